//! Usage estimates in Infracost's `infracost-usage.yml` format:
//!
//! ```yaml
//! version: 0.1
//! resource_type_default_usage:
//!   aws_lambda_function:
//!     monthly_requests: 100000
//! resource_usage:
//!   aws_nat_gateway.main:
//!     monthly_data_processed_gb: 100
//!   module.app.aws_lambda_function.worker[*]:
//!     monthly_requests: 2000000
//!     request_duration_ms: 300
//! ```
//!
//! For one resource, values are merged from the type default, then matching wildcard keys,
//! then the exact address (later wins, key by key).

use std::path::Path;

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Value as Json};

/// Usage entries keyed by resource type or address, in file order.
type Entries = Vec<(String, Map<String, Json>)>;

/// A parsed usage file.
#[derive(Debug, Clone, Default)]
pub struct UsageFile {
    type_defaults: Entries,
    resources: Entries,
}

/// The usage values that apply to one resource.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    values: Map<String, Json>,
}

impl Usage {
    pub fn from_json(values: Map<String, Json>) -> Usage {
        Usage { values }
    }

    /// A number at a dotted path (`standard.storage_gb`). Numeric strings are accepted.
    pub fn number(&self, path: &str) -> Option<f64> {
        let mut parts = path.split('.');
        let first = parts.next()?;
        let mut v = self.values.get(first)?;
        for p in parts {
            v = v.get(p)?;
        }
        match v {
            Json::Number(n) => n.as_f64(),
            Json::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

fn to_json(y: &Yaml) -> Json {
    match y {
        Yaml::Value(s) => scalar_to_json(s),
        Yaml::Representation(text, _, _) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Json::String(text.to_string()), Json::Number),
        Yaml::Sequence(items) => Json::Array(items.iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            Json::Object(m.iter().map(|(k, v)| (key_string(k), to_json(v))).collect())
        }
        Yaml::Tagged(_, inner) => to_json(inner),
        Yaml::Alias(_) | Yaml::BadValue => Json::Null,
    }
}

fn scalar_to_json(s: &Scalar) -> Json {
    match s {
        Scalar::Null => Json::Null,
        Scalar::Boolean(b) => Json::Bool(*b),
        Scalar::Integer(i) => Json::from(*i),
        Scalar::FloatingPoint(f) => {
            serde_json::Number::from_f64(f.into_inner()).map_or(Json::Null, Json::Number)
        }
        Scalar::String(s) => Json::String(s.to_string()),
    }
}

fn key_string(y: &Yaml) -> String {
    match to_json(y) {
        Json::String(s) => s,
        other => other.to_string(),
    }
}

/// Whether a usage key with `[*]` wildcards matches `address`.
fn wildcard_matches(pattern: &str, address: &str) -> bool {
    let mut rest = address;
    let mut parts = pattern.split("[*]").peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        if first {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
            first = false;
        } else {
            // The previous `[*]` must consume exactly one `[...]` instance key.
            if !rest.starts_with('[') {
                return false;
            }
            let Some(close) = rest.find(']') else {
                return false;
            };
            rest = &rest[close + 1..];
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        }
        if parts.peek().is_none() {
            return rest.is_empty();
        }
    }
    rest.is_empty()
}

fn merge(into: &mut Map<String, Json>, from: &Map<String, Json>) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Json::Object(a)), Json::Object(b)) => merge(a, b),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

impl UsageFile {
    pub fn load(path: &Path) -> Result<UsageFile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read usage file {}: {e}", path.display()))?;
        UsageFile::parse(&text).map_err(|e| format!("usage file {}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<UsageFile, String> {
        let docs = Yaml::load_from_str(text).map_err(|e| e.to_string())?;
        let Some(doc) = docs.first() else {
            return Ok(UsageFile::default());
        };
        let Json::Object(root) = to_json(doc) else {
            return Err("expected a mapping at the top level".to_string());
        };
        if let Some(v) = root.get("version") {
            let v = match v {
                Json::String(s) => s.trim_start_matches('v').to_string(),
                other => other.to_string(),
            };
            if v != "0.1" {
                return Err(format!("unsupported version {v} (expected 0.1)"));
            }
        }
        let section = |name: &str| -> Result<Entries, String> {
            match root.get(name) {
                None | Some(Json::Null) => Ok(Vec::new()),
                Some(Json::Object(m)) => m
                    .iter()
                    .map(|(k, v)| match v {
                        Json::Object(o) => Ok((k.clone(), o.clone())),
                        Json::Null => Ok((k.clone(), Map::new())),
                        _ => Err(format!("{name}.{k}: expected a mapping")),
                    })
                    .collect(),
                Some(_) => Err(format!("{name}: expected a mapping")),
            }
        };
        Ok(UsageFile {
            type_defaults: section("resource_type_default_usage")?,
            resources: section("resource_usage")?,
        })
    }

    /// The usage for one resource address (`module.x.aws_lambda_function.f["a"]`).
    pub fn for_resource(&self, address: &str, type_name: &str) -> Usage {
        let mut values = Map::new();
        for (t, v) in &self.type_defaults {
            if t == type_name {
                merge(&mut values, v);
            }
        }
        // A bare type name under resource_usage (as in Infracost's examples) applies to all.
        for (k, v) in &self.resources {
            if k == type_name {
                merge(&mut values, v);
            }
        }
        for (k, v) in &self.resources {
            if k.contains("[*]") && wildcard_matches(k, address) {
                merge(&mut values, v);
            }
        }
        for (k, v) in &self.resources {
            if k == address {
                merge(&mut values, v);
            }
        }
        Usage { values }
    }

    pub fn is_empty(&self) -> bool {
        self.type_defaults.is_empty() && self.resources.is_empty()
    }

    /// `resource_usage` keys that match none of `resources` (address, type): likely typos or
    /// resources that no longer exist.
    pub fn unmatched_keys(&self, resources: &[(&str, &str)]) -> Vec<String> {
        self.resources
            .iter()
            .map(|(k, _)| k)
            .filter(|k| {
                !resources.iter().any(|(address, type_name)| {
                    *k == address
                        || *k == type_name
                        || (k.contains("[*]") && wildcard_matches(k, address))
                })
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
version: 0.1
resource_type_default_usage:
  aws_lambda_function:
    monthly_requests: 100
    request_duration_ms: 50
resource_usage:
  aws_lambda_function.f[*]:
    monthly_requests: 2000000
  aws_lambda_function.f["b"]:
    request_duration_ms: 300
  aws_s3_bucket.logs:
    standard:
      storage_gb: 1024.5
"#;

    #[test]
    fn merges_defaults_wildcards_and_exact_keys() {
        let u = UsageFile::parse(FILE).unwrap();
        let b = u.for_resource("aws_lambda_function.f[\"b\"]", "aws_lambda_function");
        assert_eq!(b.number("monthly_requests"), Some(2_000_000.0));
        assert_eq!(b.number("request_duration_ms"), Some(300.0));
        let a = u.for_resource("aws_lambda_function.f[\"a\"]", "aws_lambda_function");
        assert_eq!(a.number("request_duration_ms"), Some(50.0));
        let g = u.for_resource("aws_lambda_function.g", "aws_lambda_function");
        assert_eq!(g.number("monthly_requests"), Some(100.0));
        let s = u.for_resource("aws_s3_bucket.logs", "aws_s3_bucket");
        assert_eq!(s.number("standard.storage_gb"), Some(1024.5));
        assert_eq!(s.number("standard.monthly_tier_1_requests"), None);
    }

    #[test]
    fn wildcards_match_one_instance_key() {
        assert!(wildcard_matches(
            "module.a[*].aws_eip.x[*]",
            "module.a[0].aws_eip.x[\"k\"]"
        ));
        assert!(!wildcard_matches("aws_eip.x[*]", "aws_eip.x"));
        assert!(!wildcard_matches("aws_eip.x[*]", "aws_eip.xy[0]"));
    }

    #[test]
    fn rejects_unknown_version() {
        assert!(UsageFile::parse("version: 2\n").is_err());
        assert!(UsageFile::parse("version: v0.1\nresource_usage:\n").is_ok());
    }
}
