//! The declarative condition language: a rule's `[condition]` table, compiled once and
//! evaluated per object with three-valued logic (True / False / Unknown).
//!
//! ```toml
//! [condition]
//! resource = ["aws_security_group"]          # Terraform resource types (globs allowed)
//! message = "{address} allows SSH from {value}"
//! all = [
//!   { path = "ingress.*", port_range_includes = 22 },
//!   { path = "ingress.*.cidr_blocks.*", cidr_is_public = true },
//! ]
//! ```
//!
//! The user guide is `docs/custom-rules.md`; this module is its implementation.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::OnceLock;

use globset::{Glob, GlobMatcher};
use indexmap::IndexMap;
use ipnet::IpNet;

use crate::ir::{Model, Object, ObjectKind, Value, ValueKind};
use crate::source::Span;

/// One step of a path inside a rule file's TOML (`condition.all[1].equals`), used to point
/// compile errors at their line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TomlPathSeg {
    Key(String),
    Index(usize),
}

/// A condition that does not compile, with the place in the rule's TOML that is wrong
/// (relative to the `condition` table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub at: Vec<TomlPathSeg>,
    pub message: String,
}

impl CompileError {
    fn new(at: &[TomlPathSeg], message: impl Into<String>) -> Self {
        CompileError {
            at: at.to_vec(),
            message: message.into(),
        }
    }

    /// `condition.all[1].equals`
    pub fn path_text(&self) -> String {
        let mut s = String::from("condition");
        for seg in &self.at {
            match seg {
                TomlPathSeg::Key(k) => {
                    let _ = write!(s, ".{k}");
                }
                TomlPathSeg::Index(i) => {
                    let _ = write!(s, "[{i}]");
                }
            }
        }
        s
    }
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// A compiled `[condition]`.
#[derive(Debug, Clone)]
pub struct Condition {
    select: Selector,
    test: Option<Expr>,
    message: Option<String>,
}

/// Which objects a condition applies to.
#[derive(Debug, Clone)]
struct Selector {
    /// Type patterns; empty = any type.
    types: Vec<TypePattern>,
    /// Allowed kinds; empty = any kind.
    kinds: Vec<ObjectKind>,
}

#[derive(Debug, Clone)]
enum TypePattern {
    Exact(String),
    Glob(GlobMatcher),
}

impl TypePattern {
    fn parse(s: &str) -> Result<Self, String> {
        if s.contains(['*', '?', '[', '{']) {
            Glob::new(s)
                .map(|g| TypePattern::Glob(g.compile_matcher()))
                .map_err(|e| format!("bad type pattern `{s}`: {e}"))
        } else {
            Ok(TypePattern::Exact(s.to_string()))
        }
    }

    fn matches(&self, type_name: &str) -> bool {
        match self {
            TypePattern::Exact(t) => t == type_name,
            TypePattern::Glob(g) => g.is_match(type_name),
        }
    }
}

#[derive(Debug, Clone)]
enum Expr {
    All(Vec<Expr>),
    Any(Vec<Expr>),
    Not(Box<Expr>),
    Attr(AttrTest),
    Related(RelTest),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantifier {
    Any,
    All,
}

#[derive(Debug, Clone)]
struct AttrTest {
    path: Vec<PathSeg>,
    quantifier: Quantifier,
    op: Op,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathSeg {
    Key(String),
    Wildcard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl Cmp {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Eq => a == b,
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Exists(bool),
    Equals(Value),
    NotEquals(Value),
    In(Vec<Value>),
    NotIn(Vec<Value>),
    Matches(GlobMatcher),
    Compare(Cmp, f64),
    CidrIsPublic(bool),
    PortRangeIncludes(Vec<f64>),
    Contains(Value),
    Length(Cmp, f64),
    /// Every value at the path is a map (a nested block) tested by its own condition.
    Where(Box<Expr>),
}

#[derive(Debug, Clone)]
struct RelTest {
    types: Vec<TypePattern>,
    via: String,
    /// `has_related`: the other object's `via` refers to this one. `references`: this
    /// object's `via` refers to the other one.
    reverse: bool,
    filter: Option<Box<Expr>>,
}

// ---------------------------------------------------------------------------------------------
// Compiling

const SELECTOR_KEYS: &[&str] = &["resource", "data", "type", "kind", "message"];
const EXPR_KEYS: &[&str] = &["all", "any", "not", "path", "has_related", "references"];
const OPS: &[&str] = &[
    "exists",
    "absent",
    "equals",
    "not_equals",
    "in",
    "not_in",
    "matches",
    "lt",
    "le",
    "gt",
    "ge",
    "cidr_is_public",
    "port_range_includes",
    "contains",
    "length_eq",
    "length_lt",
    "length_le",
    "length_gt",
    "length_ge",
    "where",
];

/// Object kinds by their name in a condition's `kind` key.
pub const KIND_NAMES: &[(&str, ObjectKind)] = &[
    ("resource", ObjectKind::Resource),
    ("data", ObjectKind::Data),
    ("module", ObjectKind::Module),
    ("provider", ObjectKind::Provider),
    ("dockerfile", ObjectKind::Dockerfile),
    ("docker_stage", ObjectKind::DockerStage),
    ("workflow", ObjectKind::Workflow),
    ("job", ObjectKind::Job),
    ("step", ObjectKind::Step),
    ("action", ObjectKind::Action),
];

fn key(at: &[TomlPathSeg], k: &str) -> Vec<TomlPathSeg> {
    let mut v = at.to_vec();
    v.push(TomlPathSeg::Key(k.to_string()));
    v
}

fn index(at: &[TomlPathSeg], i: usize) -> Vec<TomlPathSeg> {
    let mut v = at.to_vec();
    v.push(TomlPathSeg::Index(i));
    v
}

fn string_list(v: &toml::Value, at: &[TomlPathSeg]) -> Result<Vec<String>, CompileError> {
    match v {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| CompileError::new(&index(at, i), "expected a string"))
            })
            .collect(),
        _ => Err(CompileError::new(
            at,
            "expected a string or a list of strings",
        )),
    }
}

fn type_patterns(v: &toml::Value, at: &[TomlPathSeg]) -> Result<Vec<TypePattern>, CompileError> {
    let names = string_list(v, at)?;
    if names.is_empty() {
        return Err(CompileError::new(at, "expected at least one type"));
    }
    names
        .iter()
        .map(|n| TypePattern::parse(n).map_err(|e| CompileError::new(at, e)))
        .collect()
}

/// Converts a TOML value to an IR value (for `equals` and friends).
fn ir_value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::string(s.clone()),
        toml::Value::Integer(i) => Value::number(*i as f64),
        toml::Value::Float(f) => Value::number(*f),
        toml::Value::Boolean(b) => Value::bool(*b),
        toml::Value::Datetime(d) => Value::string(d.to_string()),
        toml::Value::Array(items) => Value::list(items.iter().map(ir_value).collect()),
        toml::Value::Table(t) => Value::map(
            t.iter()
                .map(|(k, v)| (k.clone(), ir_value(v)))
                .collect::<IndexMap<_, _>>(),
        ),
    }
}

fn number(v: &toml::Value, at: &[TomlPathSeg]) -> Result<f64, CompileError> {
    match v {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        _ => Err(CompileError::new(at, "expected a number")),
    }
}

fn boolean(v: &toml::Value, at: &[TomlPathSeg]) -> Result<bool, CompileError> {
    v.as_bool()
        .ok_or_else(|| CompileError::new(at, "expected true or false"))
}

impl Condition {
    /// Compiles a rule's `condition` table.
    pub fn compile(v: &toml::Value) -> Result<Condition, CompileError> {
        let root: &[TomlPathSeg] = &[];
        let table = v
            .as_table()
            .ok_or_else(|| CompileError::new(root, "`condition` must be a table"))?;
        let mut select = Selector {
            types: Vec::new(),
            kinds: Vec::new(),
        };
        let mut message = None;
        let mut rest = toml::Table::new();
        for (k, v) in table {
            let at = key(root, k);
            match k.as_str() {
                "resource" | "data" => {
                    select.types.extend(type_patterns(v, &at)?);
                    let kind = if k == "resource" {
                        ObjectKind::Resource
                    } else {
                        ObjectKind::Data
                    };
                    if !select.kinds.contains(&kind) {
                        select.kinds.push(kind);
                    }
                }
                "type" => select.types.extend(type_patterns(v, &at)?),
                "kind" => {
                    for (i, name) in string_list(v, &at)?.iter().enumerate() {
                        let kind = KIND_NAMES
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, k)| *k)
                            .ok_or_else(|| {
                                let names: Vec<_> = KIND_NAMES.iter().map(|(n, _)| *n).collect();
                                let at = if v.is_array() {
                                    index(&at, i)
                                } else {
                                    at.clone()
                                };
                                CompileError::new(
                                    &at,
                                    format!(
                                        "unknown object kind `{name}` (expected one of: {})",
                                        names.join(", ")
                                    ),
                                )
                            })?;
                        if !select.kinds.contains(&kind) {
                            select.kinds.push(kind);
                        }
                    }
                }
                "message" => {
                    let text = v
                        .as_str()
                        .ok_or_else(|| CompileError::new(&at, "expected a string"))?;
                    check_template(text).map_err(|e| CompileError::new(&at, e))?;
                    message = Some(text.to_string());
                }
                _ => {
                    rest.insert(k.clone(), v.clone());
                }
            }
        }
        if select.types.is_empty() && select.kinds.is_empty() {
            return Err(CompileError::new(
                root,
                "a condition must select objects with `resource`, `data`, `type` or `kind`",
            ));
        }
        let test = if rest.is_empty() {
            None
        } else {
            Some(compile_expr(&rest, root, SELECTOR_KEYS)?)
        };
        Ok(Condition {
            select,
            test,
            message,
        })
    }

    /// The message template (`condition.message`), if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Indexes of the objects the condition applies to, in model order.
    pub fn candidates(&self, model: &Model) -> Vec<usize> {
        candidates(&self.select.types, model)
            .filter(|&i| self.selects(&model.objects[i]))
            .collect()
    }

    /// Whether the condition applies to this object.
    pub fn selects(&self, o: &Object) -> bool {
        (self.select.kinds.is_empty() || self.select.kinds.contains(&o.kind))
            && (self.select.types.is_empty()
                || self.select.types.iter().any(|t| t.matches(&o.type_name)))
    }

    /// Evaluates the condition on one (selected) object.
    pub fn evaluate(&self, model: &Model, object: usize) -> Outcome {
        match &self.test {
            None => Outcome {
                tri: Tri::True,
                witness: None,
            },
            Some(e) => eval_expr(
                e,
                model,
                object,
                Scope {
                    attrs: &model.objects[object].attrs,
                    prefix: "",
                },
            ),
        }
    }
}

fn compile_expr(
    table: &toml::Table,
    at: &[TomlPathSeg],
    also_allowed: &[&str],
) -> Result<Expr, CompileError> {
    for k in table.keys() {
        if !EXPR_KEYS.contains(&k.as_str())
            && !OPS.contains(&k.as_str())
            && k != "quantifier"
            && !also_allowed.contains(&k.as_str())
        {
            return Err(CompileError::new(
                &key(at, k),
                format!(
                    "unknown key `{k}` (expected `all`, `any`, `not`, `has_related`, `references`, or `path` with one of: {})",
                    OPS.join(", ")
                ),
            ));
        }
    }
    let forms: Vec<&str> = ["all", "any", "not", "has_related", "references", "path"]
        .into_iter()
        .filter(|k| table.contains_key(*k))
        .collect();
    let ops: Vec<&&str> = OPS.iter().filter(|k| table.contains_key(**k)).collect();
    let form = match (forms.as_slice(), ops.is_empty()) {
        ([form], _) => *form,
        ([], false) => "path",
        ([], true) => {
            return Err(CompileError::new(
                at,
                "empty test: expected `all`, `any`, `not`, `has_related`, `references` or an attribute test",
            ));
        }
        (many, _) => {
            return Err(CompileError::new(
                at,
                format!(
                    "a test has exactly one of `all`, `any`, `not`, `has_related`, `references`, `path`; found {}",
                    many.join(", ")
                ),
            ));
        }
    };
    if form != "path" {
        if let Some(op) = ops.first() {
            return Err(CompileError::new(
                &key(at, op),
                format!("`{op}` needs a `path`, not `{form}`, beside it"),
            ));
        }
        if table.contains_key("quantifier") {
            return Err(CompileError::new(
                &key(at, "quantifier"),
                "`quantifier` belongs to an attribute test (beside `path`)",
            ));
        }
    }
    let v = table.get(form);
    match form {
        "all" | "any" => {
            let at = key(at, form);
            let items = v
                .and_then(toml::Value::as_array)
                .ok_or_else(|| CompileError::new(&at, "expected a list of tests"))?;
            if items.is_empty() {
                return Err(CompileError::new(&at, "expected at least one test"));
            }
            let exprs = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let at = index(&at, i);
                    let t = item
                        .as_table()
                        .ok_or_else(|| CompileError::new(&at, "expected a test table"))?;
                    compile_expr(t, &at, &[])
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if form == "all" {
                Expr::All(exprs)
            } else {
                Expr::Any(exprs)
            })
        }
        "not" => {
            let at = key(at, "not");
            let t = v
                .and_then(toml::Value::as_table)
                .ok_or_else(|| CompileError::new(&at, "expected a test table"))?;
            Ok(Expr::Not(Box::new(compile_expr(t, &at, &[])?)))
        }
        "has_related" | "references" => {
            let at = key(at, form);
            let t = v
                .and_then(toml::Value::as_table)
                .ok_or_else(|| CompileError::new(&at, "expected a table: { type, via, where }"))?;
            for k in t.keys() {
                if !["type", "via", "where"].contains(&k.as_str()) {
                    return Err(CompileError::new(
                        &key(&at, k),
                        format!("unknown key `{k}` (expected `type`, `via`, `where`)"),
                    ));
                }
            }
            let types = type_patterns(
                t.get("type")
                    .ok_or_else(|| CompileError::new(&at, "missing `type`"))?,
                &key(&at, "type"),
            )?;
            let via = t
                .get("via")
                .ok_or_else(|| CompileError::new(&at, "missing `via`"))?
                .as_str()
                .ok_or_else(|| CompileError::new(&key(&at, "via"), "expected a string"))?
                .to_string();
            if via.is_empty() {
                return Err(CompileError::new(&key(&at, "via"), "empty attribute path"));
            }
            let filter = match t.get("where") {
                None => None,
                Some(w) => {
                    let wat = key(&at, "where");
                    let wt = w
                        .as_table()
                        .ok_or_else(|| CompileError::new(&wat, "expected a test table"))?;
                    Some(Box::new(compile_expr(wt, &wat, &[])?))
                }
            };
            Ok(Expr::Related(RelTest {
                types,
                via,
                reverse: form == "has_related",
                filter,
            }))
        }
        _ => compile_attr(table, at, &ops),
    }
}

fn compile_attr(
    table: &toml::Table,
    at: &[TomlPathSeg],
    ops: &[&&str],
) -> Result<Expr, CompileError> {
    let path_text = match table.get("path") {
        Some(p) => p
            .as_str()
            .ok_or_else(|| CompileError::new(&key(at, "path"), "expected a string"))?,
        None => "",
    };
    let op_name = match ops {
        [one] => **one,
        [] => {
            return Err(CompileError::new(
                at,
                format!("`path` needs one test beside it: {}", OPS.join(", ")),
            ));
        }
        many => {
            let names: Vec<&str> = many.iter().map(|s| **s).collect();
            return Err(CompileError::new(
                &key(at, names[1]),
                format!(
                    "one attribute test per table; found {} (combine them with `all`)",
                    names.join(", ")
                ),
            ));
        }
    };
    if path_text.is_empty() && op_name != "port_range_includes" {
        return Err(CompileError::new(at, format!("`{op_name}` needs a `path`")));
    }
    let path = if path_text.is_empty() {
        Vec::new()
    } else {
        path_text
            .split('.')
            .map(|s| match s {
                "" => Err(CompileError::new(
                    &key(at, "path"),
                    format!("bad path `{path_text}`: empty segment"),
                )),
                "*" => Ok(PathSeg::Wildcard),
                s => Ok(PathSeg::Key(s.to_string())),
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let quantifier = match table.get("quantifier") {
        None => Quantifier::Any,
        Some(q) => match q.as_str() {
            Some("any") => Quantifier::Any,
            Some("all") => Quantifier::All,
            _ => {
                return Err(CompileError::new(
                    &key(at, "quantifier"),
                    "expected \"any\" or \"all\"",
                ));
            }
        },
    };
    let oat = key(at, op_name);
    let v = &table[op_name];
    let length = |cmp| -> Result<Op, CompileError> {
        let n = number(v, &oat)?;
        Ok(Op::Length(cmp, n))
    };
    let op = match op_name {
        "exists" => Op::Exists(boolean(v, &oat)?),
        "absent" => Op::Exists(!boolean(v, &oat)?),
        "equals" => Op::Equals(ir_value(v)),
        "not_equals" => Op::NotEquals(ir_value(v)),
        "in" | "not_in" => {
            let items = v
                .as_array()
                .ok_or_else(|| CompileError::new(&oat, "expected a list of values"))?
                .iter()
                .map(ir_value)
                .collect();
            if op_name == "in" {
                Op::In(items)
            } else {
                Op::NotIn(items)
            }
        }
        "matches" => {
            let pattern = v
                .as_str()
                .ok_or_else(|| CompileError::new(&oat, "expected a glob pattern string"))?;
            let glob = Glob::new(pattern)
                .map_err(|e| CompileError::new(&oat, format!("bad glob `{pattern}`: {e}")))?;
            Op::Matches(glob.compile_matcher())
        }
        "lt" => Op::Compare(Cmp::Lt, number(v, &oat)?),
        "le" => Op::Compare(Cmp::Le, number(v, &oat)?),
        "gt" => Op::Compare(Cmp::Gt, number(v, &oat)?),
        "ge" => Op::Compare(Cmp::Ge, number(v, &oat)?),
        "cidr_is_public" => Op::CidrIsPublic(boolean(v, &oat)?),
        "port_range_includes" => {
            let ports = match v {
                toml::Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| number(p, &index(&oat, i)))
                    .collect::<Result<Vec<_>, _>>()?,
                other => vec![number(other, &oat)?],
            };
            if ports.is_empty() {
                return Err(CompileError::new(&oat, "expected at least one port"));
            }
            if let Some(bad) = ports.iter().find(|p| !(0.0..=65535.0).contains(*p)) {
                return Err(CompileError::new(
                    &oat,
                    format!("port {bad} is outside 0..=65535"),
                ));
            }
            Op::PortRangeIncludes(ports)
        }
        "contains" => Op::Contains(ir_value(v)),
        "length_eq" => length(Cmp::Eq)?,
        "length_lt" => length(Cmp::Lt)?,
        "length_le" => length(Cmp::Le)?,
        "length_gt" => length(Cmp::Gt)?,
        "length_ge" => length(Cmp::Ge)?,
        "where" => {
            let t = v
                .as_table()
                .ok_or_else(|| CompileError::new(&oat, "expected a test table"))?;
            Op::Where(Box::new(compile_expr(t, &oat, &[])?))
        }
        other => unreachable!("operator list and match agree: {other}"),
    };
    Ok(Expr::Attr(AttrTest {
        path,
        quantifier,
        op,
    }))
}

// ---------------------------------------------------------------------------------------------
// Evaluating

/// What decided an outcome: the value a test looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    /// Span of the value, when it has one.
    pub span: Option<Span>,
    /// Concrete dotted path (`ingress.0.cidr_blocks.1`); empty for the object itself.
    pub path: String,
    /// The value, rendered short.
    pub value: String,
    /// For Unknown outcomes: why the value is unknown.
    pub reason: Option<String>,
}

/// The result of evaluating a condition (or part of one) on an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub tri: Tri,
    pub witness: Option<Witness>,
}

impl Outcome {
    fn new(tri: Tri, witness: Option<Witness>) -> Self {
        Outcome { tri, witness }
    }
}

/// What attribute paths are relative to: the object's attributes, or a nested block inside
/// them (`where`).
#[derive(Clone, Copy)]
struct Scope<'a> {
    attrs: &'a IndexMap<String, Value>,
    prefix: &'a str,
}

fn eval_expr(e: &Expr, model: &Model, obj: usize, scope: Scope<'_>) -> Outcome {
    match e {
        Expr::All(items) => {
            let mut unknown: Option<Outcome> = None;
            let mut last_true: Option<Outcome> = None;
            for item in items {
                let o = eval_expr(item, model, obj, scope);
                match o.tri {
                    Tri::False => return o,
                    Tri::Unknown => {
                        if unknown.is_none() {
                            unknown = Some(o);
                        }
                    }
                    Tri::True => {
                        let has_span = o.witness.as_ref().is_some_and(|w| w.span.is_some());
                        let prev_has_span = last_true
                            .as_ref()
                            .and_then(|p| p.witness.as_ref())
                            .is_some_and(|w| w.span.is_some());
                        if has_span || !prev_has_span {
                            last_true = Some(o);
                        }
                    }
                }
            }
            unknown
                .or(last_true)
                .unwrap_or(Outcome::new(Tri::True, None))
        }
        Expr::Any(items) => {
            let mut unknown: Option<Outcome> = None;
            let mut first_false: Option<Outcome> = None;
            for item in items {
                let o = eval_expr(item, model, obj, scope);
                match o.tri {
                    Tri::True => return o,
                    Tri::Unknown => {
                        if unknown.is_none() {
                            unknown = Some(o);
                        }
                    }
                    Tri::False => {
                        if first_false.is_none() {
                            first_false = Some(o);
                        }
                    }
                }
            }
            unknown
                .or(first_false)
                .unwrap_or(Outcome::new(Tri::False, None))
        }
        Expr::Not(inner) => {
            let o = eval_expr(inner, model, obj, scope);
            Outcome::new(o.tri.not(), o.witness)
        }
        Expr::Attr(t) => eval_attr(t, model, obj, scope),
        Expr::Related(r) => eval_related(r, model, obj),
    }
}

/// A value found by following a path.
enum Item<'a> {
    Present(&'a Value, String),
    Missing(String),
    /// The path runs into an Unknown (the value itself or an enclosing one).
    Unknown(&'a Value, String),
}

/// Where a path walk currently is: the object's attributes or a value.
#[derive(Clone, Copy)]
enum Cursor<'a> {
    Root(&'a IndexMap<String, Value>),
    Value(&'a Value),
}

fn join(prefix: &str, seg: &str) -> String {
    if prefix.is_empty() {
        seg.to_string()
    } else {
        format!("{prefix}.{seg}")
    }
}

fn expand<'a>(cur: Cursor<'a>, segs: &[PathSeg], at: String, out: &mut Vec<Item<'a>>) {
    let Some((seg, rest)) = segs.split_first() else {
        match cur {
            Cursor::Value(v) if v.is_unknown() => out.push(Item::Unknown(v, at)),
            Cursor::Value(v) => out.push(Item::Present(v, at)),
            // A path always has a segment unless it is the object itself, which
            // `port_range_includes` handles on its own.
            Cursor::Root(_) => {}
        }
        return;
    };
    match cur {
        Cursor::Root(attrs) => match seg {
            PathSeg::Key(k) => match attrs.get(k) {
                Some(v) => expand(Cursor::Value(v), rest, join(&at, k), out),
                None => out.push(Item::Missing(join(&at, k))),
            },
            PathSeg::Wildcard => {
                for (k, v) in attrs {
                    expand(Cursor::Value(v), rest, join(&at, k), out);
                }
            }
        },
        Cursor::Value(v) => match (&v.kind, seg) {
            (ValueKind::Unknown(_), _) => out.push(Item::Unknown(v, at)),
            (ValueKind::Map(m), PathSeg::Key(k)) => match m.get(k) {
                Some(v) => expand(Cursor::Value(v), rest, join(&at, k), out),
                None => out.push(Item::Missing(join(&at, k))),
            },
            (ValueKind::Map(m), PathSeg::Wildcard) => {
                for (k, v) in m {
                    expand(Cursor::Value(v), rest, join(&at, k), out);
                }
            }
            (ValueKind::List(items), PathSeg::Key(k)) => match k.parse::<usize>() {
                Ok(i) => match items.get(i) {
                    Some(v) => expand(Cursor::Value(v), rest, join(&at, k), out),
                    None => out.push(Item::Missing(join(&at, k))),
                },
                // A name on a list (of nested blocks) looks into every element.
                Err(_) => {
                    for (i, item) in items.iter().enumerate() {
                        expand(Cursor::Value(item), segs, join(&at, &i.to_string()), out);
                    }
                }
            },
            (ValueKind::List(items), PathSeg::Wildcard) => {
                for (i, item) in items.iter().enumerate() {
                    expand(Cursor::Value(item), rest, join(&at, &i.to_string()), out);
                }
            }
            (ValueKind::Null, PathSeg::Key(k)) => out.push(Item::Missing(join(&at, k))),
            (_, PathSeg::Key(k)) => out.push(Item::Missing(join(&at, k))),
            (_, PathSeg::Wildcard) => {}
        },
    }
}

/// A short rendering of a value for messages.
pub fn display_value(v: &Value) -> String {
    match &v.kind {
        ValueKind::String(s) => s.clone(),
        ValueKind::Unknown(u) => format!("(unknown: {})", u.reason),
        _ => {
            let s = v.to_json().to_string();
            if s.chars().count() > 80 {
                let cut: String = s.chars().take(77).collect();
                format!("{cut}...")
            } else {
                s
            }
        }
    }
}

fn witness_of(v: &Value, path: &str) -> Witness {
    Witness {
        span: v.span,
        path: path.to_string(),
        value: display_value(v),
        reason: v
            .as_unknown()
            .map(|u| format!("`{path}` is unknown: {}", u.reason)),
    }
}

/// Loose equality: numbers and numeric strings compare as numbers, booleans and "true"/"false"
/// as booleans, everything else structurally. Unknown inside lists/maps gives Unknown.
fn loose_eq(a: &Value, b: &Value) -> Tri {
    match (&a.kind, &b.kind) {
        (ValueKind::Unknown(_), _) | (_, ValueKind::Unknown(_)) => Tri::Unknown,
        (ValueKind::Number(_), _) | (_, ValueKind::Number(_)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => Tri::from_bool(x == y),
            _ => Tri::False,
        },
        (ValueKind::Bool(_), _) | (_, ValueKind::Bool(_)) => match (a.as_bool(), b.as_bool()) {
            (Some(x), Some(y)) => Tri::from_bool(x == y),
            _ => Tri::False,
        },
        (ValueKind::List(x), ValueKind::List(y)) => {
            if x.len() != y.len() {
                return Tri::False;
            }
            and_all(x.iter().zip(y).map(|(p, q)| loose_eq(p, q)))
        }
        (ValueKind::Map(x), ValueKind::Map(y)) => {
            if x.len() != y.len() || x.keys().any(|k| !y.contains_key(k)) {
                return Tri::False;
            }
            and_all(x.iter().map(|(k, v)| loose_eq(v, &y[k])))
        }
        _ => Tri::from_bool(a.kind == b.kind),
    }
}

fn and_all(it: impl Iterator<Item = Tri>) -> Tri {
    let mut acc = Tri::True;
    for t in it {
        match t {
            Tri::False => return Tri::False,
            Tri::Unknown => acc = Tri::Unknown,
            Tri::True => {}
        }
    }
    acc
}

fn or_any(it: impl Iterator<Item = Tri>) -> Tri {
    let mut acc = Tri::False;
    for t in it {
        match t {
            Tri::True => return Tri::True,
            Tri::Unknown => acc = Tri::Unknown,
            Tri::False => {}
        }
    }
    acc
}

/// Address ranges that are not reachable from the internet.
const NON_PUBLIC: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "2001:db8::/32",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
];

/// [`NON_PUBLIC`], parsed once.
fn non_public() -> &'static [IpNet] {
    static NETS: OnceLock<Vec<IpNet>> = OnceLock::new();
    NETS.get_or_init(|| {
        NON_PUBLIC
            .iter()
            .map(|p| p.parse().expect("NON_PUBLIC holds CIDRs"))
            .collect()
    })
}

/// A CIDR, or a bare address as its single-address network (`10.0.0.1` is `10.0.0.1/32`).
/// `None` when the text is neither.
pub fn parse_cidr(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// Whether a network includes internet-routable addresses (it lies in no [`NON_PUBLIC`] range).
pub fn net_is_public(net: &IpNet) -> bool {
    !non_public().iter().any(|private| private.contains(net))
}

/// Whether a CIDR (or bare address) includes internet-routable addresses. `None` when the
/// text is not a CIDR.
pub fn cidr_is_public(text: &str) -> Option<bool> {
    parse_cidr(text).map(|net| net_is_public(&net))
}

fn port_range_includes(attrs: &IndexMap<String, Value>, ports: &[f64]) -> (Tri, Option<Witness>) {
    let field = |names: &[&str]| -> Option<(&Value, String)> {
        names.iter().find_map(|n| {
            attrs
                .get(*n)
                .filter(|v| !v.is_null())
                .map(|v| (v, n.to_string()))
        })
    };
    let protocol = field(&["protocol", "ip_protocol"]);
    if let Some((p, name)) = &protocol {
        if p.is_unknown() {
            return (Tri::Unknown, Some(witness_of(p, name)));
        }
        let text = match &p.kind {
            ValueKind::Number(n) => n.to_string(),
            _ => p.as_str().unwrap_or("").trim().to_ascii_lowercase(),
        };
        match text.as_str() {
            "-1" | "all" => return (Tri::True, Some(witness_of(p, name))),
            "tcp" | "udp" | "sctp" | "6" | "17" | "132" | "" => {}
            _ => return (Tri::False, Some(witness_of(p, name))),
        }
    }
    let from = field(&["from_port"]);
    let to = field(&["to_port"]);
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f.clone(), f),
        (None, Some(t)) => (t.clone(), t),
        (None, None) => return (Tri::False, None),
    };
    for (v, name) in [&from, &to] {
        if v.is_unknown() {
            return (Tri::Unknown, Some(witness_of(v, name)));
        }
    }
    match (from.0.as_f64(), to.0.as_f64()) {
        (Some(lo), Some(hi)) => {
            let hit = ports.iter().any(|p| lo <= *p && *p <= hi);
            (Tri::from_bool(hit), Some(witness_of(from.0, &from.1)))
        }
        _ => (Tri::False, None),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match &v.kind {
        ValueKind::String(s) => Some(s.clone()),
        ValueKind::Number(_) | ValueKind::Bool(_) => Some(display_value(v)),
        _ => None,
    }
}

fn length_of(v: &Value) -> Option<usize> {
    match &v.kind {
        ValueKind::String(s) => Some(s.chars().count()),
        ValueKind::List(items) => Some(items.len()),
        ValueKind::Map(m) => Some(m.len()),
        _ => None,
    }
}

/// Applies an operator to one value found at the path.
fn apply_op(op: &Op, v: &Value) -> Tri {
    match op {
        Op::Exists(want) => Tri::from_bool(v.is_null() != *want),
        Op::Equals(x) => loose_eq(v, x),
        Op::NotEquals(x) => loose_eq(v, x).not(),
        Op::In(xs) => or_any(xs.iter().map(|x| loose_eq(v, x))),
        Op::NotIn(xs) => or_any(xs.iter().map(|x| loose_eq(v, x))).not(),
        Op::Matches(g) => Tri::from_bool(scalar_text(v).is_some_and(|s| g.is_match(s))),
        Op::Compare(c, n) => Tri::from_bool(v.as_f64().is_some_and(|x| c.holds(x, *n))),
        Op::CidrIsPublic(want) => match &v.kind {
            ValueKind::List(items) => or_any(items.iter().map(|i| apply_op(op, i))),
            ValueKind::Unknown(_) => Tri::Unknown,
            _ => Tri::from_bool(
                v.as_str()
                    .and_then(cidr_is_public)
                    .is_some_and(|public| public == *want),
            ),
        },
        Op::PortRangeIncludes(ports) => match v.as_map() {
            Some(m) => port_range_includes(m, ports).0,
            None => Tri::False,
        },
        Op::Contains(x) => match &v.kind {
            ValueKind::List(items) => or_any(items.iter().map(|i| loose_eq(i, x))),
            ValueKind::Map(m) => Tri::from_bool(x.as_str().is_some_and(|k| m.contains_key(k))),
            ValueKind::String(s) => Tri::from_bool(scalar_text(x).is_some_and(|t| s.contains(&t))),
            _ => Tri::False,
        },
        Op::Length(c, n) => Tri::from_bool(length_of(v).is_some_and(|l| c.holds(l as f64, *n))),
        // Handled by `eval_item`, which has the model.
        Op::Where(_) => Tri::False,
    }
}

/// The first Unknown inside a list or map, for the reason of an Unknown outcome.
fn first_unknown<'a>(v: &'a Value, path: &str) -> Option<(&'a Value, String)> {
    match &v.kind {
        ValueKind::Unknown(_) => Some((v, path.to_string())),
        ValueKind::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| first_unknown(item, &join(path, &i.to_string()))),
        ValueKind::Map(m) => m
            .iter()
            .find_map(|(k, item)| first_unknown(item, &join(path, k))),
        _ => None,
    }
}

fn eval_item(op: &Op, item: &Item<'_>, model: &Model, obj: usize) -> Outcome {
    match item {
        Item::Unknown(v, path) => {
            // A reference to another resource's attribute is set, even if its value is
            // only known at apply time.
            if let (Op::Exists(want), Some(u)) = (op, v.as_unknown()) {
                if u.refers_to.is_some() {
                    return Outcome::new(Tri::from_bool(*want), Some(witness_of(v, path)));
                }
            }
            Outcome::new(Tri::Unknown, Some(witness_of(v, path)))
        }
        Item::Missing(path) => {
            let tri = match op {
                Op::Exists(want) => Tri::from_bool(!*want),
                Op::NotEquals(_) | Op::NotIn(_) => Tri::True,
                _ => Tri::False,
            };
            Outcome::new(
                tri,
                Some(Witness {
                    span: None,
                    path: path.clone(),
                    value: "(absent)".to_string(),
                    reason: None,
                }),
            )
        }
        Item::Present(v, path) => {
            if let Op::Where(e) = op {
                return match v.as_map() {
                    Some(m) => eval_expr(
                        e,
                        model,
                        obj,
                        Scope {
                            attrs: m,
                            prefix: path,
                        },
                    ),
                    None => Outcome::new(Tri::False, Some(witness_of(v, path))),
                };
            }
            let tri = apply_op(op, v);
            let mut w = witness_of(v, path);
            if tri == Tri::Unknown {
                if let Some((u, upath)) = first_unknown(v, path) {
                    w = witness_of(u, &upath);
                }
            }
            Outcome::new(tri, Some(w))
        }
    }
}

fn eval_attr(t: &AttrTest, model: &Model, obj: usize, scope: Scope<'_>) -> Outcome {
    if t.path.is_empty() {
        // `port_range_includes` on the object itself (e.g. `aws_security_group_rule`).
        if let Op::PortRangeIncludes(ports) = &t.op {
            let (tri, w) = port_range_includes(scope.attrs, ports);
            return Outcome::new(tri, w);
        }
    }
    let mut items = Vec::new();
    expand(
        Cursor::Root(scope.attrs),
        &t.path,
        scope.prefix.to_string(),
        &mut items,
    );
    if matches!(t.op, Op::Where(_)) {
        // `where` looks into each block of a list of nested blocks.
        items = items
            .into_iter()
            .flat_map(|item| match item {
                Item::Present(v, path) if v.as_list().is_some() => v
                    .as_list()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let p = join(&path, &i.to_string());
                        if e.is_unknown() {
                            Item::Unknown(e, p)
                        } else {
                            Item::Present(e, p)
                        }
                    })
                    .collect::<Vec<_>>(),
                other => vec![other],
            })
            .collect();
    }
    let mut unknown: Option<Outcome> = None;
    let mut decisive: Option<Outcome> = None;
    for item in &items {
        let out = eval_item(&t.op, item, model, obj);
        match (t.quantifier, out.tri) {
            (Quantifier::Any, Tri::True) | (Quantifier::All, Tri::False) => return out,
            (_, Tri::Unknown) => {
                if unknown.is_none() {
                    unknown = Some(out);
                }
            }
            _ => {
                if decisive.is_none() {
                    decisive = Some(out);
                }
            }
        }
    }
    if let Some(u) = unknown {
        return u;
    }
    let tri = match t.quantifier {
        Quantifier::Any => Tri::False,
        Quantifier::All => Tri::True,
    };
    Outcome::new(tri, decisive.and_then(|d| d.witness))
}

/// Objects that may match type patterns: through the type index when every pattern is an
/// exact name, else every object. In model order.
fn candidates<'a>(types: &[TypePattern], model: &'a Model) -> Box<dyn Iterator<Item = usize> + 'a> {
    let exact: Option<Vec<&str>> = types
        .iter()
        .map(|t| match t {
            TypePattern::Exact(name) => Some(name.as_str()),
            TypePattern::Glob(_) => None,
        })
        .collect();
    match exact {
        Some(names) if !names.is_empty() => {
            let mut idx: Vec<usize> = names
                .iter()
                .flat_map(|n| model.of_type(n).map(|(i, _)| i))
                .collect();
            idx.sort_unstable();
            idx.dedup();
            Box::new(idx.into_iter())
        }
        _ => Box::new(0..model.objects.len()),
    }
}

/// `aws_s3_bucket.logs["a"]` → `aws_s3_bucket.logs`.
fn strip_instance_key(address: &str) -> &str {
    if address.ends_with(']') {
        if let Some(i) = address.rfind('[') {
            return &address[..i];
        }
    }
    address
}

fn address_matches(target: &str, o: &Object) -> bool {
    target == o.address || target == strip_instance_key(&o.address)
}

/// Known identifying values of an object, for matching literal references.
fn identities(o: &Object) -> Vec<&str> {
    ["id", "arn", "name", "bucket"]
        .iter()
        .filter_map(|k| o.attrs.get(*k).and_then(Value::as_str))
        .collect()
}

/// Whether `from`'s attribute `via` refers to `to`.
fn links(from: &Object, via: &str, to: &Object) -> (Tri, Option<String>) {
    // The references recorded for the attribute decide, when there are any.
    let prefix = format!("{via}.");
    let mut refs = from
        .refs
        .iter()
        .filter(|r| r.attr == via || r.attr.starts_with(&prefix))
        .peekable();
    if refs.peek().is_some() {
        let hit = refs.any(|r| address_matches(&r.target, to));
        return (Tri::from_bool(hit), None);
    }
    let segs: Vec<PathSeg> = via
        .split('.')
        .map(|s| {
            if s == "*" {
                PathSeg::Wildcard
            } else {
                PathSeg::Key(s.to_string())
            }
        })
        .collect();
    let mut items = Vec::new();
    expand(Cursor::Root(&from.attrs), &segs, String::new(), &mut items);
    let ids = identities(to);
    let mut acc = Tri::False;
    let mut reason = None;
    let mut check = |v: &Value, path: &str| -> bool {
        match &v.kind {
            ValueKind::Unknown(u) => match &u.refers_to {
                Some(t) if address_matches(t, to) => return true,
                Some(_) => {}
                None => {
                    if acc == Tri::False {
                        acc = Tri::Unknown;
                        reason = Some(format!(
                            "`{}.{path}` is unknown: {}",
                            from.address, u.reason
                        ));
                    }
                }
            },
            ValueKind::String(s) => return ids.contains(&s.as_str()),
            _ => {}
        }
        false
    };
    for item in &items {
        match item {
            Item::Present(v, path) | Item::Unknown(v, path) => {
                let hit = match &v.kind {
                    ValueKind::List(elems) => elems
                        .iter()
                        .enumerate()
                        .any(|(i, e)| check(e, &join(path, &i.to_string()))),
                    _ => check(v, path),
                };
                if hit {
                    return (Tri::True, None);
                }
            }
            Item::Missing(_) => {}
        }
    }
    (acc, reason)
}

fn eval_related(r: &RelTest, model: &Model, obj: usize) -> Outcome {
    let this = &model.objects[obj];
    let mut acc = Tri::False;
    let mut unknown_witness: Option<Witness> = None;
    for i in candidates(&r.types, model) {
        let other = &model.objects[i];
        if i == obj
            || other.scope != this.scope
            || !r.types.iter().any(|t| t.matches(&other.type_name))
        {
            continue;
        }
        let (link, reason) = if r.reverse {
            links(other, &r.via, this)
        } else {
            links(this, &r.via, other)
        };
        if link == Tri::False {
            continue;
        }
        let (tri, w) = match (&r.filter, link) {
            (None, t) => (t, None),
            (Some(f), t) => {
                let o = eval_expr(
                    f,
                    model,
                    i,
                    Scope {
                        attrs: &other.attrs,
                        prefix: "",
                    },
                );
                let combined = and_all([t, o.tri].into_iter());
                (combined, o.witness.filter(|_| o.tri == Tri::Unknown))
            }
        };
        match tri {
            Tri::True => {
                return Outcome::new(
                    Tri::True,
                    Some(Witness {
                        span: None,
                        path: String::new(),
                        value: other.address.clone(),
                        reason: None,
                    }),
                );
            }
            Tri::Unknown => {
                acc = Tri::Unknown;
                if unknown_witness.is_none() {
                    let reason = reason.or_else(|| {
                        w.as_ref()
                            .and_then(|w| w.reason.clone())
                            .map(|r| format!("{}: {r}", other.address))
                    });
                    unknown_witness = Some(Witness {
                        span: None,
                        path: String::new(),
                        value: other.address.clone(),
                        reason,
                    });
                }
            }
            Tri::False => {}
        }
    }
    Outcome::new(acc, unknown_witness)
}

/// Fills a message template: `{address}`, `{type}`, `{name}`, `{path}`, `{value}`.
pub fn render_message(template: &str, o: &Object, w: Option<&Witness>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                let replacement = match name {
                    "address" => Some(o.address.clone()),
                    "type" => Some(o.type_name.clone()),
                    "name" => Some(o.name.clone()),
                    "path" => Some(w.map(|w| w.path.clone()).unwrap_or_default()),
                    "value" => Some(w.map(|w| w.value.clone()).unwrap_or_default()),
                    _ => None,
                };
                match replacement {
                    Some(r) => out.push_str(&r),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholders a message template may use.
pub const MESSAGE_PLACEHOLDERS: &[&str] = &["address", "type", "name", "path", "value"];

/// Checks that a message template only uses known placeholders.
pub fn check_template(template: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err("unclosed `{` in message".to_string());
        };
        let name = &after[..end];
        if !MESSAGE_PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder `{{{name}}}` in message (expected one of: {})",
                MESSAGE_PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}
