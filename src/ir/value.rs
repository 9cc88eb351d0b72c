//! The value tree of the IR: JSON-like data plus an explicit Unknown, each node with its span.

use indexmap::IndexMap;
use serde_json::json;

use crate::source::Span;

/// A value that could not be determined statically, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Human-readable reason, e.g. `variable "vpc_cidr" has no value`.
    pub reason: String,
    /// Address of the object this value would come from, when it is a reference to one
    /// (e.g. `aws_s3_bucket.logs` for `aws_s3_bucket.logs.id`). Lets the engine link objects
    /// even though the attribute itself is computed at apply time.
    pub refers_to: Option<String>,
    /// For the Unknown string `jsonencode(x)` returns when `x` is only partly known: `x`
    /// itself, so checks that decode JSON (IAM policies) can still read its known parts.
    pub decoded: Option<Box<Value>>,
}

impl Unknown {
    pub fn new(reason: impl Into<String>) -> Self {
        Unknown {
            reason: reason.into(),
            refers_to: None,
            decoded: None,
        }
    }

    pub fn reference(reason: impl Into<String>, address: impl Into<String>) -> Self {
        Unknown {
            reason: reason.into(),
            refers_to: Some(address.into()),
            decoded: None,
        }
    }
}

/// The shape of a [`Value`].
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    /// Keys keep source order.
    Map(IndexMap<String, Value>),
    Unknown(Unknown),
}

/// A node of the value tree. `span` is where the value is written, when it is written in the
/// scanned text (evaluated values point at the expression that produced them).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Option<Span>,
}

impl Value {
    pub fn new(kind: ValueKind, span: Option<Span>) -> Self {
        Value { kind, span }
    }

    pub fn null() -> Self {
        Value::new(ValueKind::Null, None)
    }

    pub fn bool(b: bool) -> Self {
        Value::new(ValueKind::Bool(b), None)
    }

    pub fn number(n: f64) -> Self {
        Value::new(ValueKind::Number(n), None)
    }

    pub fn string(s: impl Into<String>) -> Self {
        Value::new(ValueKind::String(s.into()), None)
    }

    pub fn list(items: Vec<Value>) -> Self {
        Value::new(ValueKind::List(items), None)
    }

    pub fn map(entries: IndexMap<String, Value>) -> Self {
        Value::new(ValueKind::Map(entries), None)
    }

    pub fn unknown(reason: impl Into<String>) -> Self {
        Value::new(ValueKind::Unknown(Unknown::new(reason)), None)
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, ValueKind::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, ValueKind::Unknown(_))
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.kind {
            ValueKind::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            ValueKind::String(s) if s == "true" => Some(true),
            ValueKind::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            ValueKind::Number(n) => Some(*n),
            ValueKind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&IndexMap<String, Value>> {
        match &self.kind {
            ValueKind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The entry `key` of a map (None for other kinds or a missing key).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.get(key)
    }

    /// Follows a dotted path (`a.b.0.c`) through maps and lists.
    pub fn get_path(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(self, |v, seg| match &v.kind {
            ValueKind::Map(m) => m.get(seg),
            ValueKind::List(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    }

    /// True when this value or anything inside it is Unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.kind {
            ValueKind::Unknown(_) => true,
            ValueKind::List(items) => items.iter().any(Value::contains_unknown),
            ValueKind::Map(m) => m.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// Paths (dotted, relative to this value) of every Unknown inside it.
    pub fn unknown_paths(&self, prefix: &str, out: &mut Vec<String>) {
        let join = |seg: &str| {
            if prefix.is_empty() {
                seg.to_string()
            } else {
                format!("{prefix}.{seg}")
            }
        };
        match &self.kind {
            ValueKind::Unknown(_) => out.push(prefix.to_string()),
            ValueKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.unknown_paths(&join(&i.to_string()), out);
                }
            }
            ValueKind::Map(m) => {
                for (k, v) in m {
                    v.unknown_paths(&join(k), out);
                }
            }
            _ => {}
        }
    }

    /// Plain JSON, with Unknown rendered as `{"$unknown": "<reason>"}`.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.kind {
            ValueKind::Null => serde_json::Value::Null,
            ValueKind::Bool(b) => json!(b),
            ValueKind::Number(n) => number_to_json(*n),
            ValueKind::String(s) => json!(s),
            ValueKind::List(items) => items.iter().map(Value::to_json).collect(),
            ValueKind::Map(m) => m
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            ValueKind::Unknown(u) => json!({ "$unknown": u.reason }),
        }
    }

    /// Builds a value from plain JSON (no spans).
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::null(),
            serde_json::Value::Bool(b) => Value::bool(*b),
            serde_json::Value::Number(n) => Value::number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::string(s.clone()),
            serde_json::Value::Array(items) => {
                Value::list(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(m) => Value::map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Integers print without a fraction, as Terraform shows them.
fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_renders_unknown_with_reason() {
        let mut m = IndexMap::new();
        m.insert("port".to_string(), Value::number(22.0));
        m.insert(
            "cidr".to_string(),
            Value::unknown("variable \"cidr\" has no value"),
        );
        let v = Value::map(m);
        assert_eq!(
            v.to_json(),
            json!({"port": 22, "cidr": {"$unknown": "variable \"cidr\" has no value"}})
        );
        let mut paths = Vec::new();
        v.unknown_paths("", &mut paths);
        assert_eq!(paths, vec!["cidr"]);
    }

    #[test]
    fn get_path_walks_maps_and_lists() {
        let v = Value::from_json(&json!({"ingress": [{"from_port": 22}]}));
        assert_eq!(
            v.get_path("ingress.0.from_port").and_then(Value::as_f64),
            Some(22.0)
        );
        assert!(v.get_path("ingress.1").is_none());
    }
}
