//! Collection functions and type conversions.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::{
    FnResult, arity, arity_range, bool_arg, canon_key, deep_unknown, find_unknown, graphemes,
    int_arg, list_arg, map_arg, num_arg, parse_number, primitive_string, shallow_unknown, str_arg,
    unknown_arg, val, values_equal,
};
use crate::ir::{Value, ValueKind};

/// Results larger than this are not built (Unknown instead).
const MAX_GENERATED: usize = 100_000;

fn list(items: Vec<Value>) -> Value {
    val(ValueKind::List(items))
}

fn map(m: IndexMap<String, Value>) -> Value {
    val(ValueKind::Map(m))
}

/// Converts the primitives of a collection to one element type as Terraform does: strings
/// win over numbers and bools; numbers and bools together have no common type.
fn unify(name: &str, items: Vec<Value>) -> Result<Vec<Value>, String> {
    let (mut strings, mut numbers, mut bools, mut colls) = (false, false, false, false);
    for v in &items {
        match &v.kind {
            ValueKind::String(_) => strings = true,
            ValueKind::Number(_) => numbers = true,
            ValueKind::Bool(_) => bools = true,
            ValueKind::List(_) | ValueKind::Map(_) => colls = true,
            ValueKind::Null | ValueKind::Unknown(_) => {}
        }
    }
    let prims = strings || numbers || bools;
    if colls && prims {
        return Err(format!(
            "invalid value for {name}(): all elements must have the same type"
        ));
    }
    if !strings && numbers && bools {
        return Err(format!(
            "invalid value for {name}(): cannot find a common type for number and bool elements"
        ));
    }
    if strings && (numbers || bools) {
        return Ok(items
            .into_iter()
            .map(|v| match primitive_string(&v) {
                Some(s) if !matches!(v.kind, ValueKind::String(_)) => Value::string(s),
                _ => v,
            })
            .collect());
    }
    Ok(items)
}

/// Removes duplicates (first occurrence wins) and orders the elements as Terraform orders a
/// set: numbers numerically, strings lexically (by bytes), bools false first.
fn make_set(items: Vec<Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    let mut out: Vec<Value> = items
        .into_iter()
        .filter(|v| seen.insert(canon_key(v)))
        .collect();
    let all = |f: fn(&ValueKind) -> bool| out.iter().all(|v| f(&v.kind));
    if all(|k| matches!(k, ValueKind::Number(_))) {
        out.sort_by(|a, b| {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        });
    } else if all(|k| matches!(k, ValueKind::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if all(|k| matches!(k, ValueKind::Bool(_))) {
        out.sort_by_key(|v| v.as_bool());
    }
    out
}

pub fn identity(name: &str, mut args: Vec<Value>) -> FnResult {
    arity(name, &args, 1)?;
    Ok(args.remove(0))
}

pub fn length(args: Vec<Value>) -> FnResult {
    arity("length", &args, 1)?;
    if let Some(u) = shallow_unknown("length", &args) {
        return Ok(u);
    }
    let n = match &args[0].kind {
        ValueKind::String(s) => graphemes(s).len(),
        ValueKind::List(items) => items.len(),
        ValueKind::Map(m) => m.len(),
        ValueKind::Null => return Err("argument 1 of length() must not be null".into()),
        _ => {
            return Err(
                "invalid value for argument 1 of length(): a string, list or map is required"
                    .into(),
            );
        }
    };
    Ok(Value::number(n as f64))
}

pub fn merge(args: Vec<Value>) -> FnResult {
    let mut out = IndexMap::new();
    for (i, a) in args.iter().enumerate() {
        match &a.kind {
            ValueKind::Null => {}
            ValueKind::Unknown(u) => return Ok(unknown_arg("merge", i, u)),
            ValueKind::Map(m) => {
                for (k, v) in m {
                    out.insert(k.clone(), v.clone());
                }
            }
            _ => {
                return Err(format!(
                    "invalid value for argument {} of merge(): arguments must be maps or objects",
                    i + 1
                ));
            }
        }
    }
    Ok(map(out))
}

pub fn concat(args: Vec<Value>) -> FnResult {
    if let Some(u) = shallow_unknown("concat", &args) {
        return Ok(u);
    }
    let mut out = Vec::new();
    for i in 0..args.len() {
        out.extend(list_arg("concat", &args, i)?.iter().cloned());
    }
    Ok(list(out))
}

pub fn lookup(args: Vec<Value>) -> FnResult {
    arity_range("lookup", &args, 2, Some(3))?;
    if let ValueKind::Unknown(u) = &args[0].kind {
        return Ok(unknown_arg("lookup", 0, u));
    }
    if let ValueKind::Unknown(u) = &args[1].kind {
        return Ok(unknown_arg("lookup", 1, u));
    }
    let m = map_arg("lookup", &args, 0)?;
    let key = str_arg("lookup", &args, 1)?;
    match m.get(&key) {
        Some(v) => Ok(v.clone()),
        None => match args.get(2) {
            Some(d) => Ok(d.clone()),
            None => Err(format!("lookup failed to find key {key:?}")),
        },
    }
}

pub fn element(args: Vec<Value>) -> FnResult {
    arity("element", &args, 2)?;
    if let Some(u) = shallow_unknown("element", &args) {
        return Ok(u);
    }
    let items = list_arg("element", &args, 0)?;
    let idx = int_arg("element", &args, 1)?;
    if items.is_empty() {
        return Err("cannot use element() with an empty list".into());
    }
    // Wraps around in both directions: -1 is the last element.
    Ok(items[idx.rem_euclid(items.len() as i64) as usize].clone())
}

pub fn index(args: Vec<Value>) -> FnResult {
    arity("index", &args, 2)?;
    if let Some(u) = shallow_unknown("index", &args) {
        return Ok(u);
    }
    let items = list_arg("index", &args, 0)?;
    for (i, item) in items.iter().enumerate() {
        if let Some(u) = find_unknown(item) {
            return Ok(unknown_arg("index", 0, u));
        }
        if values_equal(item, &args[1]) {
            return Ok(Value::number(i as f64));
        }
    }
    if let Some(u) = find_unknown(&args[1]) {
        return Ok(unknown_arg("index", 1, u));
    }
    Err("index(): item not found".into())
}

pub fn contains(args: Vec<Value>) -> FnResult {
    arity("contains", &args, 2)?;
    if let Some(u) = shallow_unknown("contains", &args) {
        return Ok(u);
    }
    let items = list_arg("contains", &args, 0)?;
    if let Some(u) = find_unknown(&args[1]) {
        return Ok(unknown_arg("contains", 1, u));
    }
    if items.iter().any(|v| values_equal(v, &args[1])) {
        return Ok(Value::bool(true));
    }
    if let Some(u) = items.iter().find_map(find_unknown) {
        return Ok(unknown_arg("contains", 0, u));
    }
    Ok(Value::bool(false))
}

/// Keys of a map, sorted as Terraform iterates them.
fn sorted_entries(m: &IndexMap<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

pub fn keys(args: Vec<Value>) -> FnResult {
    arity("keys", &args, 1)?;
    if let Some(u) = shallow_unknown("keys", &args) {
        return Ok(u);
    }
    let m = map_arg("keys", &args, 0)?;
    Ok(list(
        sorted_entries(m)
            .into_iter()
            .map(|(k, _)| Value::string(k.clone()))
            .collect(),
    ))
}

pub fn values(args: Vec<Value>) -> FnResult {
    arity("values", &args, 1)?;
    if let Some(u) = shallow_unknown("values", &args) {
        return Ok(u);
    }
    let m = map_arg("values", &args, 0)?;
    Ok(list(
        sorted_entries(m)
            .into_iter()
            .map(|(_, v)| v.clone())
            .collect(),
    ))
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) -> Result<(), Value> {
    match &v.kind {
        ValueKind::List(items) => {
            for item in items {
                flatten_into(item, out)?;
            }
            Ok(())
        }
        ValueKind::Unknown(u) => Err(unknown_arg("flatten", 0, u)),
        _ => {
            out.push(v.clone());
            Ok(())
        }
    }
}

pub fn flatten(args: Vec<Value>) -> FnResult {
    arity("flatten", &args, 1)?;
    if let Some(u) = shallow_unknown("flatten", &args) {
        return Ok(u);
    }
    let items = list_arg("flatten", &args, 0)?;
    let mut out = Vec::new();
    for item in items {
        if let Err(u) = flatten_into(item, &mut out) {
            return Ok(u);
        }
    }
    Ok(list(out))
}

pub fn distinct(args: Vec<Value>) -> FnResult {
    arity("distinct", &args, 1)?;
    if let Some(u) = deep_unknown("distinct", &args) {
        return Ok(u);
    }
    let items = list_arg("distinct", &args, 0)?;
    let mut seen = HashSet::new();
    Ok(list(
        items
            .iter()
            .filter(|v| seen.insert(canon_key(v)))
            .cloned()
            .collect(),
    ))
}

pub fn reverse(args: Vec<Value>) -> FnResult {
    arity("reverse", &args, 1)?;
    if let Some(u) = shallow_unknown("reverse", &args) {
        return Ok(u);
    }
    let items = list_arg("reverse", &args, 0)?;
    Ok(list(items.iter().rev().cloned().collect()))
}

pub fn slice(args: Vec<Value>) -> FnResult {
    arity("slice", &args, 3)?;
    if let Some(u) = shallow_unknown("slice", &args) {
        return Ok(u);
    }
    let items = list_arg("slice", &args, 0)?;
    let start = int_arg("slice", &args, 1)?;
    let end = int_arg("slice", &args, 2)?;
    if start < 0 {
        return Err("invalid value for argument 2 of slice(): must not be negative".into());
    }
    if end > items.len() as i64 {
        return Err(
            "invalid value for argument 3 of slice(): must not be greater than the length of the list"
                .into(),
        );
    }
    if start > end {
        return Err(
            "invalid value for argument 2 of slice(): must not be greater than the end index"
                .into(),
        );
    }
    Ok(list(items[start as usize..end as usize].to_vec()))
}

pub fn sort(args: Vec<Value>) -> FnResult {
    arity("sort", &args, 1)?;
    if let Some(u) = deep_unknown("sort", &args) {
        return Ok(u);
    }
    let items = list_arg("sort", &args, 0)?;
    let mut strs = Vec::with_capacity(items.len());
    for v in items {
        if v.is_null() {
            return Err("invalid value for sort(): given list element must not be null".into());
        }
        strs.push(
            primitive_string(v)
                .ok_or_else(|| "invalid value for sort(): list of strings required".to_string())?,
        );
    }
    strs.sort();
    Ok(list(strs.into_iter().map(Value::string).collect()))
}

pub fn zipmap(args: Vec<Value>) -> FnResult {
    arity("zipmap", &args, 2)?;
    if let Some(u) = shallow_unknown("zipmap", &args) {
        return Ok(u);
    }
    let ks = list_arg("zipmap", &args, 0)?;
    let vs = list_arg("zipmap", &args, 1)?;
    if ks.len() != vs.len() {
        return Err(format!(
            "zipmap(): number of keys ({}) does not match number of values ({})",
            ks.len(),
            vs.len()
        ));
    }
    let mut out = IndexMap::new();
    for (k, v) in ks.iter().zip(vs) {
        if let Some(u) = k.as_unknown() {
            return Ok(unknown_arg("zipmap", 0, u));
        }
        let key = primitive_string(k)
            .ok_or_else(|| "invalid value for zipmap(): keys must be strings".to_string())?;
        out.insert(key, v.clone());
    }
    Ok(map(out))
}

fn set_args(name: &str, args: &[Value]) -> Result<Result<Vec<Vec<Value>>, Value>, String> {
    arity_range(name, args, 1, None)?;
    if let Some(u) = deep_unknown(name, args) {
        return Ok(Err(u));
    }
    let mut out = Vec::new();
    for i in 0..args.len() {
        out.push(list_arg(name, args, i)?.to_vec());
    }
    Ok(Ok(out))
}

pub fn setunion(args: Vec<Value>) -> FnResult {
    let sets = match set_args("setunion", &args)? {
        Ok(s) => s,
        Err(u) => return Ok(u),
    };
    let all: Vec<Value> = sets.into_iter().flatten().collect();
    Ok(list(make_set(unify("setunion", all)?)))
}

pub fn setintersection(args: Vec<Value>) -> FnResult {
    let sets = match set_args("setintersection", &args)? {
        Ok(s) => s,
        Err(u) => return Ok(u),
    };
    let mut iter = sets.into_iter();
    let first = iter.next().unwrap_or_default();
    let others: Vec<HashSet<String>> = iter.map(|s| s.iter().map(canon_key).collect()).collect();
    let kept = first
        .into_iter()
        .filter(|v| {
            let k = canon_key(v);
            others.iter().all(|o| o.contains(&k))
        })
        .collect();
    Ok(list(make_set(unify("setintersection", kept)?)))
}

pub fn setsubtract(args: Vec<Value>) -> FnResult {
    arity("setsubtract", &args, 2)?;
    let sets = match set_args("setsubtract", &args)? {
        Ok(s) => s,
        Err(u) => return Ok(u),
    };
    let remove: HashSet<String> = sets[1].iter().map(canon_key).collect();
    let kept = sets[0]
        .iter()
        .filter(|v| !remove.contains(&canon_key(v)))
        .cloned()
        .collect();
    Ok(list(make_set(unify("setsubtract", kept)?)))
}

pub fn setproduct(args: Vec<Value>) -> FnResult {
    if args.len() < 2 {
        return Err(format!(
            "setproduct() takes at least 2 arguments, {} given",
            args.len()
        ));
    }
    let sets = match set_args("setproduct", &args)? {
        Ok(s) => s,
        Err(u) => return Ok(u),
    };
    let sets: Vec<Vec<Value>> = sets.into_iter().map(make_set).collect();
    let size = sets
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.len()));
    if size.is_none_or(|n| n > MAX_GENERATED) {
        return Ok(Value::unknown(format!(
            "setproduct() would have more than {MAX_GENERATED} elements"
        )));
    }
    let mut acc: Vec<Vec<Value>> = vec![Vec::new()];
    for set in sets {
        let mut next = Vec::with_capacity(acc.len() * set.len());
        for prefix in &acc {
            for v in &set {
                let mut row = prefix.clone();
                row.push(v.clone());
                next.push(row);
            }
        }
        acc = next;
    }
    Ok(list(acc.into_iter().map(list).collect()))
}

/// `alltrue`/`anytrue`: a known deciding element wins over Unknown ones.
fn bool_fold(name: &str, args: Vec<Value>, decisive: bool) -> FnResult {
    arity(name, &args, 1)?;
    if let Some(u) = shallow_unknown(name, &args) {
        return Ok(u);
    }
    let items = list_arg(name, &args, 0)?;
    let mut unknown = None;
    for (i, v) in items.iter().enumerate() {
        if let Some(u) = v.as_unknown() {
            unknown.get_or_insert_with(|| unknown_arg(name, 0, u));
            continue;
        }
        let b = bool_arg(name, items, i)
            .map_err(|_| format!("invalid value for {name}(): list of bools required"))?;
        if b == decisive {
            return Ok(Value::bool(decisive));
        }
    }
    Ok(unknown.unwrap_or_else(|| Value::bool(!decisive)))
}

pub fn alltrue(args: Vec<Value>) -> FnResult {
    bool_fold("alltrue", args, false)
}

pub fn anytrue(args: Vec<Value>) -> FnResult {
    bool_fold("anytrue", args, true)
}

pub fn one(args: Vec<Value>) -> FnResult {
    arity("one", &args, 1)?;
    if let Some(u) = shallow_unknown("one", &args) {
        return Ok(u);
    }
    if args[0].is_null() {
        return Err("argument 1 of one() must not be null".into());
    }
    let items = list_arg("one", &args, 0)?;
    match items.len() {
        0 => Ok(Value::null()),
        1 => Ok(items[0].clone()),
        _ => Err(
            "one(): must be a list, set, or tuple value with either zero or one elements".into(),
        ),
    }
}

pub fn chunklist(args: Vec<Value>) -> FnResult {
    arity("chunklist", &args, 2)?;
    if let Some(u) = shallow_unknown("chunklist", &args) {
        return Ok(u);
    }
    let items = list_arg("chunklist", &args, 0)?;
    let size = int_arg("chunklist", &args, 1)?;
    if size < 0 {
        return Err(
            "invalid value for argument 2 of chunklist(): the size argument must be positive"
                .into(),
        );
    }
    if size == 0 {
        return Ok(list(vec![list(items.to_vec())]));
    }
    Ok(list(
        items
            .chunks(size as usize)
            .map(|c| list(c.to_vec()))
            .collect(),
    ))
}

pub fn transpose(args: Vec<Value>) -> FnResult {
    arity("transpose", &args, 1)?;
    if let Some(u) = deep_unknown("transpose", &args) {
        return Ok(u);
    }
    let m = map_arg("transpose", &args, 0)?;
    let mut out: IndexMap<String, Vec<Value>> = IndexMap::new();
    for (k, v) in sorted_entries(m) {
        let items = v.as_list().ok_or_else(|| {
            "invalid value for transpose(): a map of lists of strings is required".to_string()
        })?;
        for item in items {
            let s = primitive_string(item).ok_or_else(|| {
                "invalid value for transpose(): a map of lists of strings is required".to_string()
            })?;
            out.entry(s).or_default().push(Value::string(k.clone()));
        }
    }
    out.sort_keys();
    Ok(map(out.into_iter().map(|(k, v)| (k, list(v))).collect()))
}

/// The first argument that is neither null nor an empty string; when the arguments mix
/// strings with numbers or bools, the result is converted to a string as Terraform unifies
/// them.
pub fn coalesce(args: Vec<Value>) -> FnResult {
    arity_range("coalesce", &args, 1, None)?;
    let has = |f: fn(&ValueKind) -> bool| args.iter().any(|a| f(&a.kind));
    let to_string = has(|k| matches!(k, ValueKind::String(_)))
        && has(|k| matches!(k, ValueKind::Number(_) | ValueKind::Bool(_)));
    for (i, a) in args.iter().enumerate() {
        match &a.kind {
            ValueKind::Unknown(u) => return Ok(unknown_arg("coalesce", i, u)),
            ValueKind::Null => {}
            ValueKind::String(s) if s.is_empty() => {}
            _ if to_string => {
                return Ok(primitive_string(a).map_or_else(|| a.clone(), Value::string));
            }
            ValueKind::Number(_) | ValueKind::Bool(_) => {
                // An Unknown argument may be a string, which would make the result one.
                if let Some((j, u)) = args
                    .iter()
                    .enumerate()
                    .find_map(|(j, b)| b.as_unknown().map(|u| (j, u)))
                {
                    return Ok(unknown_arg("coalesce", j, u));
                }
                return Ok(a.clone());
            }
            _ => return Ok(a.clone()),
        }
    }
    Err("coalesce(): no non-null, non-empty-string arguments".into())
}

pub fn coalescelist(args: Vec<Value>) -> FnResult {
    arity_range("coalescelist", &args, 1, None)?;
    for (i, a) in args.iter().enumerate() {
        match &a.kind {
            ValueKind::Unknown(u) => return Ok(unknown_arg("coalescelist", i, u)),
            ValueKind::Null => {}
            ValueKind::List(items) if items.is_empty() => {}
            ValueKind::List(_) => return Ok(a.clone()),
            _ => {
                return Err(format!(
                    "invalid value for argument {} of coalescelist(): a list is required",
                    i + 1
                ));
            }
        }
    }
    Err("coalescelist(): no non-null arguments".into())
}

pub fn compact(args: Vec<Value>) -> FnResult {
    arity("compact", &args, 1)?;
    if let Some(u) = deep_unknown("compact", &args) {
        return Ok(u);
    }
    let items = list_arg("compact", &args, 0)?;
    let mut out = Vec::new();
    for v in items {
        match &v.kind {
            ValueKind::Null => {}
            ValueKind::String(s) if s.is_empty() => {}
            _ => out.push(Value::string(primitive_string(v).ok_or_else(|| {
                "invalid value for compact(): list of strings required".to_string()
            })?)),
        }
    }
    Ok(list(out))
}

pub fn matchkeys(args: Vec<Value>) -> FnResult {
    arity("matchkeys", &args, 3)?;
    if let Some(u) = deep_unknown("matchkeys", &args) {
        return Ok(u);
    }
    let vals = list_arg("matchkeys", &args, 0)?;
    let ks = list_arg("matchkeys", &args, 1)?;
    let search = list_arg("matchkeys", &args, 2)?;
    if vals.len() != ks.len() {
        return Err("matchkeys(): length of keys and values should be equal".into());
    }
    let wanted: HashSet<String> = search.iter().map(canon_key).collect();
    Ok(list(
        vals.iter()
            .zip(ks)
            .filter(|(_, k)| wanted.contains(&canon_key(k)))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

pub fn range(args: Vec<Value>) -> FnResult {
    arity_range("range", &args, 1, Some(3))?;
    if let Some(u) = shallow_unknown("range", &args) {
        return Ok(u);
    }
    let nums: Vec<f64> = (0..args.len())
        .map(|i| num_arg("range", &args, i))
        .collect::<Result<_, _>>()?;
    let (start, limit, step) = match nums.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if limit >= start { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => unreachable!("arity checked"),
    };
    if step == 0.0 {
        return Err("range(): step must not be zero".into());
    }
    if (step > 0.0 && limit < start) || (step < 0.0 && limit > start) {
        return Err(if step > 0.0 {
            "range(): start must be less than or equal to limit when step is positive".into()
        } else {
            "range(): start must be greater than or equal to limit when step is negative".into()
        });
    }
    let mut out = Vec::new();
    let mut i = 0.0;
    loop {
        let v = start + step * i;
        if (step > 0.0 && v >= limit) || (step < 0.0 && v <= limit) {
            break;
        }
        if out.len() >= 1024 {
            return Err("range(): more than 1024 values were generated".into());
        }
        out.push(Value::number(v));
        i += 1.0;
    }
    Ok(list(out))
}

pub fn sum(args: Vec<Value>) -> FnResult {
    arity("sum", &args, 1)?;
    if let Some(u) = deep_unknown("sum", &args) {
        return Ok(u);
    }
    let items = list_arg("sum", &args, 0)?;
    if items.is_empty() {
        return Err("sum(): cannot sum an empty list".into());
    }
    let mut total = 0.0;
    for i in 0..items.len() {
        total += num_arg("sum", items, i)
            .map_err(|_| "invalid value for sum(): list of numbers required".to_string())?;
    }
    Ok(Value::number(total))
}

// ---- type conversions ------------------------------------------------------------------

pub fn tostring(args: Vec<Value>) -> FnResult {
    arity("tostring", &args, 1)?;
    if let Some(u) = shallow_unknown("tostring", &args) {
        return Ok(u);
    }
    match &args[0].kind {
        ValueKind::Null => Ok(Value::null()),
        _ => primitive_string(&args[0])
            .map(Value::string)
            .ok_or_else(|| {
                "invalid value for tostring(): cannot convert a collection to string".into()
            }),
    }
}

pub fn tonumber(args: Vec<Value>) -> FnResult {
    arity("tonumber", &args, 1)?;
    if let Some(u) = shallow_unknown("tonumber", &args) {
        return Ok(u);
    }
    match &args[0].kind {
        ValueKind::Null => Ok(Value::null()),
        ValueKind::Number(n) => Ok(Value::number(*n)),
        ValueKind::String(s) => parse_number(s)
            .map(Value::number)
            .ok_or_else(|| format!("tonumber(): cannot convert {s:?} to number")),
        _ => Err("invalid value for tonumber(): cannot convert to number".into()),
    }
}

pub fn tobool(args: Vec<Value>) -> FnResult {
    arity("tobool", &args, 1)?;
    if let Some(u) = shallow_unknown("tobool", &args) {
        return Ok(u);
    }
    match &args[0].kind {
        ValueKind::Null => Ok(Value::null()),
        ValueKind::Bool(b) => Ok(Value::bool(*b)),
        ValueKind::String(s) if s == "true" => Ok(Value::bool(true)),
        ValueKind::String(s) if s == "false" => Ok(Value::bool(false)),
        ValueKind::String(s) => Err(format!("tobool(): cannot convert {s:?} to bool")),
        _ => Err("invalid value for tobool(): cannot convert to bool".into()),
    }
}

pub fn tolist(args: Vec<Value>) -> FnResult {
    arity("tolist", &args, 1)?;
    if let Some(u) = shallow_unknown("tolist", &args) {
        return Ok(u);
    }
    if args[0].is_null() {
        return Ok(Value::null());
    }
    let items = list_arg("tolist", &args, 0)?;
    Ok(list(unify("tolist", items.to_vec())?))
}

pub fn toset(args: Vec<Value>) -> FnResult {
    arity("toset", &args, 1)?;
    if let Some(u) = deep_unknown("toset", &args) {
        return Ok(u);
    }
    if args[0].is_null() {
        return Ok(Value::null());
    }
    let items = list_arg("toset", &args, 0)?;
    Ok(list(make_set(unify("toset", items.to_vec())?)))
}

pub fn tomap(args: Vec<Value>) -> FnResult {
    arity("tomap", &args, 1)?;
    if let Some(u) = shallow_unknown("tomap", &args) {
        return Ok(u);
    }
    if args[0].is_null() {
        return Ok(Value::null());
    }
    let m = map_arg("tomap", &args, 0)?;
    let unified = unify("tomap", m.values().cloned().collect())?;
    Ok(map(m.keys().cloned().zip(unified).collect()))
}
