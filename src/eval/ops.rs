//! Operations on evaluated values: traversal steps, operators, string conversion, equality.

use indexmap::IndexMap;

use crate::ir::{Value, ValueKind};
use crate::parse::terraform::{BinaryOp, UnaryOp};

/// An evaluation failure Terraform would report; becomes an Unknown with this reason.
#[derive(Debug, Clone)]
pub(crate) struct Fail {
    pub message: String,
    /// A function rejected its arguments (reported as IL0007 outside `try`/`can`).
    pub function: bool,
}

impl Fail {
    pub fn new(message: impl Into<String>) -> Self {
        Fail {
            message: message.into(),
            function: false,
        }
    }
}

pub(crate) type R = Result<Value, Fail>;

/// Terraform's number formatting: integers without a fraction.
pub(crate) fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Converts a primitive to its template string; `Ok(None)` for Unknown.
pub(crate) fn to_template_string(v: &Value) -> Result<Option<String>, Fail> {
    match &v.kind {
        ValueKind::String(s) => Ok(Some(s.clone())),
        ValueKind::Number(n) => Ok(Some(fmt_number(*n))),
        ValueKind::Bool(b) => Ok(Some(b.to_string())),
        ValueKind::Unknown(_) => Ok(None),
        ValueKind::Null => Err(Fail::new(
            "a null value cannot be used in a string template",
        )),
        ValueKind::List(_) | ValueKind::Map(_) => Err(Fail::new(
            "a list or object cannot be used in a string template",
        )),
    }
}

/// Deep equality ignoring spans; numbers compare numerically.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::Null, ValueKind::Null) => true,
        (ValueKind::Bool(x), ValueKind::Bool(y)) => x == y,
        (ValueKind::Number(x), ValueKind::Number(y)) => x == y,
        (ValueKind::String(x), ValueKind::String(y)) => x == y,
        (ValueKind::List(x), ValueKind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (ValueKind::Map(x), ValueKind::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => false,
    }
}

/// `value.name`.
pub(crate) fn get_attr(v: Value, name: &str) -> R {
    match v.kind {
        ValueKind::Map(mut m) => m
            .swap_remove(name)
            .ok_or_else(|| Fail::new(format!("object has no attribute \"{name}\""))),
        ValueKind::Unknown(_) => Ok(v),
        ValueKind::Null => Err(Fail::new(format!(
            "attempt to get attribute \"{name}\" from a null value"
        ))),
        ValueKind::List(_) => Err(Fail::new(format!(
            "cannot get attribute \"{name}\" of a list; use [*] or an index"
        ))),
        _ => Err(Fail::new(format!(
            "cannot get attribute \"{name}\" of a primitive value"
        ))),
    }
}

/// `value[key]`.
pub(crate) fn index(v: Value, key: &Value) -> R {
    if key.is_unknown() {
        return Ok(key.clone());
    }
    match v.kind {
        ValueKind::List(mut items) => {
            let n = key
                .as_f64()
                .ok_or_else(|| Fail::new("a list index must be a number"))?;
            if n < 0.0 || n.fract() != 0.0 || n as usize >= items.len() {
                return Err(Fail::new(format!(
                    "index {} out of range for a list of {} elements",
                    fmt_number(n),
                    items.len()
                )));
            }
            Ok(items.swap_remove(n as usize))
        }
        ValueKind::Map(mut m) => {
            let k = match &key.kind {
                ValueKind::String(s) => s.clone(),
                ValueKind::Number(n) => fmt_number(*n),
                ValueKind::Bool(b) => b.to_string(),
                _ => return Err(Fail::new("a map key must be a string")),
            };
            m.swap_remove(&k)
                .ok_or_else(|| Fail::new(format!("the map has no element for key \"{k}\"")))
        }
        ValueKind::Unknown(_) => Ok(v),
        ValueKind::Null => Err(Fail::new("attempt to index a null value")),
        _ => Err(Fail::new("cannot index a primitive value")),
    }
}

fn num(v: &Value) -> Result<f64, Fail> {
    v.as_f64()
        .ok_or_else(|| Fail::new("an arithmetic operand must be a number"))
}

fn boolean(v: &Value) -> Result<bool, Fail> {
    v.as_bool()
        .ok_or_else(|| Fail::new("a logical operand must be a bool"))
}

pub(crate) fn unary(op: UnaryOp, v: Value) -> R {
    if v.is_unknown() {
        return Ok(v);
    }
    Ok(match op {
        UnaryOp::Neg => Value::number(-num(&v)?),
        UnaryOp::Not => Value::bool(!boolean(&v)?),
    })
}

/// A binary operation on two evaluated operands (`&&`/`||` are handled by the caller).
pub(crate) fn binary(op: BinaryOp, a: Value, b: Value) -> R {
    use BinaryOp::*;
    match op {
        Eq | NotEq => {
            if a.is_unknown() {
                return Ok(a);
            }
            if b.is_unknown() {
                return Ok(b);
            }
            let e = equal(&a, &b);
            return Ok(Value::bool(if op == Eq { e } else { !e }));
        }
        And | Or => {
            for v in [&a, &b] {
                if let Some(x) = v.as_bool() {
                    if op == And && !x {
                        return Ok(Value::bool(false));
                    }
                    if op == Or && x {
                        return Ok(Value::bool(true));
                    }
                }
            }
            if a.is_unknown() {
                return Ok(a);
            }
            if b.is_unknown() {
                return Ok(b);
            }
            let (x, y) = (boolean(&a)?, boolean(&b)?);
            return Ok(Value::bool(if op == And { x && y } else { x || y }));
        }
        _ => {}
    }
    if a.is_unknown() {
        return Ok(a);
    }
    if b.is_unknown() {
        return Ok(b);
    }
    let (x, y) = (num(&a)?, num(&b)?);
    Ok(match op {
        Plus => Value::number(x + y),
        Minus => Value::number(x - y),
        Mul => Value::number(x * y),
        Div => {
            if y == 0.0 {
                return Err(Fail::new("division by zero"));
            }
            Value::number(x / y)
        }
        Mod => {
            if y == 0.0 {
                return Err(Fail::new("modulo by zero"));
            }
            Value::number(x % y)
        }
        Less => Value::bool(x < y),
        LessEq => Value::bool(x <= y),
        Greater => Value::bool(x > y),
        GreaterEq => Value::bool(x >= y),
        Eq | NotEq | And | Or => unreachable_op(),
    })
}

fn unreachable_op() -> Value {
    Value::unknown("operator handled above")
}

/// Pairs to iterate a collection: (key, value); lists give numeric keys.
pub(crate) fn iter_pairs(v: &Value) -> Option<Vec<(Value, Value)>> {
    match &v.kind {
        ValueKind::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::number(i as f64), x.clone()))
                .collect(),
        ),
        ValueKind::Map(m) => Some(
            m.iter()
                .map(|(k, x)| (Value::string(k.clone()), x.clone()))
                .collect(),
        ),
        _ => None,
    }
}

/// Sets the span of every node of `v` that is not inside `within` to `within`.
pub(crate) fn reanchor(v: &mut Value, within: crate::source::Span) {
    if !v.span.is_some_and(|s| within.contains(&s)) {
        v.span = Some(within);
    }
    match &mut v.kind {
        ValueKind::List(items) => items.iter_mut().for_each(|x| reanchor(x, within)),
        ValueKind::Map(m) => m.values_mut().for_each(|x| reanchor(x, within)),
        _ => {}
    }
}

/// Removes all spans (values from files outside the source map).
pub(crate) fn strip_spans(v: &mut Value) {
    v.span = None;
    match &mut v.kind {
        ValueKind::List(items) => items.iter_mut().for_each(strip_spans),
        ValueKind::Map(m) => m.values_mut().for_each(strip_spans),
        _ => {}
    }
}

/// Shallow merge of maps (later wins); Unknown if any input is Unknown.
pub(crate) fn merge_maps(maps: &[&Value]) -> Value {
    let mut out = IndexMap::new();
    for m in maps {
        match &m.kind {
            ValueKind::Map(entries) => {
                for (k, v) in entries {
                    out.insert(k.clone(), v.clone());
                }
            }
            ValueKind::Unknown(_) => return (*m).clone(),
            _ => {}
        }
    }
    Value::map(out)
}

/// Converts a variable value to its declared primitive type where that is simple.
pub(crate) fn convert(v: Value, ty: &str) -> Value {
    let span = v.span;
    let kind = match (ty, &v.kind) {
        ("string", ValueKind::Number(n)) => ValueKind::String(fmt_number(*n)),
        ("string", ValueKind::Bool(b)) => ValueKind::String(b.to_string()),
        ("number", ValueKind::String(s)) => match s.trim().parse::<f64>() {
            Ok(n) => ValueKind::Number(n),
            Err(_) => return v,
        },
        ("bool", ValueKind::String(s)) if s == "true" || s == "false" => {
            ValueKind::Bool(s == "true")
        }
        _ => return v,
    };
    Value::new(kind, span)
}
