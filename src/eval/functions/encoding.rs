//! Encoding and hashing functions.

use sha2::{Digest, Sha256, Sha512};

use super::digest::{md5, sha1};
use super::{FnResult, arity, deep_unknown, num_to_string, shallow_unknown, str_arg, val};
use crate::ir::{Value, ValueKind};

/// The hash algorithms of `md5`, `sha1`, `sha256`, `sha512` and their file/base64 variants.
#[derive(Debug, Clone, Copy)]
pub enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Md5 => md5(data).to_vec(),
            Hash::Sha1 => sha1(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of `data`, hex-encoded, or base64-encoded when `base64` is set.
pub fn render_hash(hash: Hash, data: &[u8], base64: bool) -> String {
    let d = hash.digest(data);
    if base64 { base64_encode(&d) } else { hex(&d) }
}

pub fn hash_fn(name: &str, args: Vec<Value>, hash: Hash, base64: bool) -> FnResult {
    arity(name, &args, 1)?;
    if let Some(u) = shallow_unknown(name, &args) {
        return Ok(u);
    }
    let s = str_arg(name, &args, 0)?;
    Ok(Value::string(render_hash(hash, s.as_bytes(), base64)))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with padding; None when the input is not valid base64.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (ci, chunk) in bytes.chunks(4).enumerate() {
        let last = ci == bytes.len() / 4 - 1;
        let mut n = 0u32;
        let mut pads = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if last && i >= 2 => {
                    pads += 1;
                    0
                }
                _ => return None,
            };
            if pads > 0 && c != b'=' {
                return None;
            }
            n = (n << 6) | u32::from(v);
        }
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pads]);
    }
    Some(out)
}

pub fn base64encode(args: Vec<Value>) -> FnResult {
    arity("base64encode", &args, 1)?;
    if let Some(u) = shallow_unknown("base64encode", &args) {
        return Ok(u);
    }
    let s = str_arg("base64encode", &args, 0)?;
    Ok(Value::string(base64_encode(s.as_bytes())))
}

pub fn base64decode(args: Vec<Value>) -> FnResult {
    arity("base64decode", &args, 1)?;
    if let Some(u) = shallow_unknown("base64decode", &args) {
        return Ok(u);
    }
    let s = str_arg("base64decode", &args, 0)?;
    // Go's decoder skips line breaks.
    let compact: String = s.chars().filter(|&c| c != '\n' && c != '\r').collect();
    let bytes = base64_decode(&compact)
        .ok_or_else(|| "base64decode(): failed to decode base64 data".to_string())?;
    String::from_utf8(bytes)
        .map(Value::string)
        .map_err(|_| "base64decode(): the result of decoding is not valid UTF-8".to_string())
}

/// Go's `url.QueryEscape`.
pub fn urlencode(args: Vec<Value>) -> FnResult {
    arity("urlencode", &args, 1)?;
    if let Some(u) = shallow_unknown("urlencode", &args) {
        return Ok(u);
    }
    let s = str_arg("urlencode", &args, 0)?;
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::string(out))
}

/// A JSON string literal as Terraform writes it (Go's `encoding/json`: `<`, `>`, `&`,
/// U+2028 and U+2029 escaped).
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_write(v: &Value, out: &mut String) -> Result<(), String> {
    match &v.kind {
        ValueKind::Null => out.push_str("null"),
        ValueKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ValueKind::Number(n) => {
            if !n.is_finite() {
                return Err("jsonencode(): cannot encode an infinite number".into());
            }
            out.push_str(&num_to_string(*n));
        }
        ValueKind::String(s) => json_string(s, out),
        ValueKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_write(item, out)?;
            }
            out.push(']');
        }
        ValueKind::Map(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                json_write(item, out)?;
            }
            out.push('}');
        }
        ValueKind::Unknown(_) => return Err("jsonencode(): value is unknown".into()),
    }
    Ok(())
}

/// The JSON text of a fully known value, with Terraform's key order (sorted) and number
/// format.
pub(crate) fn json_encode_value(v: &Value) -> Result<String, String> {
    let mut out = String::new();
    json_write(v, &mut out)?;
    Ok(out)
}

pub fn jsonencode(args: Vec<Value>) -> FnResult {
    arity("jsonencode", &args, 1)?;
    if let Some(mut u) = deep_unknown("jsonencode", &args) {
        // Keep the partly known document for JSON-reading checks (IAM policies).
        if let ValueKind::Unknown(unknown) = &mut u.kind
            && !args[0].is_unknown()
        {
            unknown.decoded = Some(Box::new(args[0].clone()));
        }
        return Ok(u);
    }
    json_encode_value(&args[0]).map(Value::string)
}

pub fn jsondecode(args: Vec<Value>) -> FnResult {
    arity("jsondecode", &args, 1)?;
    if let Some(u) = shallow_unknown("jsondecode", &args) {
        return Ok(u);
    }
    let s = str_arg("jsondecode", &args, 0)?;
    let parsed: serde_json::Value =
        serde_json::from_str(&s).map_err(|e| format!("jsondecode(): {e}"))?;
    let mut v = Value::from_json(&parsed);
    v.span = None;
    Ok(v)
}

// ---- YAML ------------------------------------------------------------------------------

/// Strings are always double-quoted, as Terraform's YAML encoder writes them.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_inline(v: &Value) -> Option<String> {
    Some(match &v.kind {
        ValueKind::Null => "null".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(n) => num_to_string(*n),
        ValueKind::String(s) => yaml_string(s),
        ValueKind::List(items) if items.is_empty() => "[]".into(),
        ValueKind::Map(m) if m.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn yaml_write(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match &v.kind {
        ValueKind::List(items) if !items.is_empty() => {
            for item in items {
                match yaml_inline(item) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        // The nested block starts on the dash line.
                        let mut child = String::new();
                        yaml_write(item, indent + 1, &mut child);
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(&child[pad.len() + 2..]);
                    }
                }
            }
        }
        ValueKind::Map(m) if !m.is_empty() => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (k, item) in entries {
                let key = yaml_string(k);
                match yaml_inline(item) {
                    Some(s) => out.push_str(&format!("{pad}{key}: {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        let child = if matches!(item.kind, ValueKind::List(_)) {
                            indent
                        } else {
                            indent + 1
                        };
                        yaml_write(item, child, out);
                    }
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", yaml_inline(v).unwrap_or_default())),
    }
}

/// A YAML document for a fully known value, in block style with sorted keys and
/// double-quoted strings, as Terraform writes it.
pub fn yamlencode(args: Vec<Value>) -> FnResult {
    arity("yamlencode", &args, 1)?;
    if let Some(u) = deep_unknown("yamlencode", &args) {
        return Ok(u);
    }
    let mut out = String::new();
    yaml_write(&args[0], 0, &mut out);
    Ok(val(ValueKind::String(out)))
}

/// A YAML node as a value; `Err` for what Terraform cannot represent either.
fn yaml_to_value(node: &saphyr::Yaml<'_>) -> Result<Value, String> {
    use saphyr::{Scalar, Yaml};
    Ok(match node {
        Yaml::Value(Scalar::Null) => Value::null(),
        Yaml::Value(Scalar::Boolean(b)) => Value::bool(*b),
        Yaml::Value(Scalar::Integer(i)) => Value::number(*i as f64),
        Yaml::Value(Scalar::FloatingPoint(f)) => {
            let f = f.into_inner();
            if !f.is_finite() {
                return Err("yamldecode(): infinite and NaN numbers are not supported".into());
            }
            Value::number(f)
        }
        Yaml::Value(Scalar::String(s)) => Value::string(s.to_string()),
        Yaml::Representation(s, _, _) => Value::string(s.to_string()),
        Yaml::Sequence(items) => {
            Value::list(items.iter().map(yaml_to_value).collect::<Result<_, _>>()?)
        }
        Yaml::Mapping(m) => {
            let mut out = indexmap::IndexMap::new();
            for (k, v) in m {
                let key = match yaml_to_value(k)?.kind {
                    ValueKind::String(s) => s,
                    ValueKind::Number(n) => num_to_string(n),
                    ValueKind::Bool(b) => b.to_string(),
                    ValueKind::Null => "null".to_string(),
                    _ => return Err("yamldecode(): mapping keys must be scalars".into()),
                };
                out.insert(key, yaml_to_value(v)?);
            }
            Value::map(out)
        }
        Yaml::Tagged(_, inner) => yaml_to_value(inner)?,
        Yaml::Alias(_) => return Err("yamldecode(): unresolved alias".into()),
        Yaml::BadValue => return Err("yamldecode(): invalid YAML value".into()),
    })
}

/// `yamldecode`: exactly one document (none gives null).
pub fn yamldecode(args: Vec<Value>) -> FnResult {
    use saphyr::LoadableYamlNode;
    arity("yamldecode", &args, 1)?;
    if let Some(u) = shallow_unknown("yamldecode", &args) {
        return Ok(u);
    }
    let s = str_arg("yamldecode", &args, 0)?;
    let docs = saphyr::Yaml::load_from_str(&s).map_err(|e| format!("yamldecode(): {e}"))?;
    match docs.as_slice() {
        [] => Ok(Value::null()),
        [doc] => yaml_to_value(doc),
        _ => Err("yamldecode(): the input contains more than one YAML document".into()),
    }
}

/// Records of a CSV text as Go's `encoding/csv` reads them (RFC 4180, `""` escapes inside
/// quoted fields, blank lines skipped).
fn csv_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut line_has_content = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                in_quotes = true;
                line_has_content = true;
            }
            '"' => return Err("bare \" in non-quoted field".into()),
            ',' => {
                record.push(std::mem::take(&mut field));
                line_has_content = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if line_has_content || !field.is_empty() {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                line_has_content = false;
            }
            _ => {
                field.push(c);
                line_has_content = true;
            }
        }
    }
    if in_quotes {
        return Err("extraneous or missing \" in quoted field".into());
    }
    if line_has_content || !field.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// `csvdecode`: the first line names the fields; every other line becomes a map of strings.
pub fn csvdecode(args: Vec<Value>) -> FnResult {
    arity("csvdecode", &args, 1)?;
    if let Some(u) = shallow_unknown("csvdecode", &args) {
        return Ok(u);
    }
    let s = str_arg("csvdecode", &args, 0)?;
    let records = csv_records(&s).map_err(|e| format!("csvdecode(): {e}"))?;
    let mut iter = records.into_iter();
    let header = iter
        .next()
        .ok_or_else(|| "csvdecode(): missing header line".to_string())?;
    let mut rows = Vec::new();
    for (i, rec) in iter.enumerate() {
        if rec.len() != header.len() {
            return Err(format!(
                "csvdecode(): line {}: wrong number of fields",
                i + 2
            ));
        }
        rows.push(Value::map(
            header
                .iter()
                .cloned()
                .zip(rec.into_iter().map(Value::string))
                .collect(),
        ));
    }
    Ok(Value::list(rows))
}

/// `uuidv5(namespace, name)`: a name-based UUID (SHA-1), deterministic.
pub fn uuidv5(args: Vec<Value>) -> FnResult {
    arity("uuidv5", &args, 2)?;
    if let Some(u) = deep_unknown("uuidv5", &args) {
        return Ok(u);
    }
    let ns = str_arg("uuidv5", &args, 0)?;
    let name = str_arg("uuidv5", &args, 1)?;
    let ns_text = match ns.as_str() {
        "dns" => "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "url" => "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
        "oid" => "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
        "x500" => "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
        other => other,
    };
    let hexdigits: String = ns_text
        .trim_start_matches("urn:uuid:")
        .trim_matches(|c| c == '{' || c == '}')
        .chars()
        .filter(|&c| c != '-')
        .collect();
    if hexdigits.len() != 32 || !hexdigits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("uuidv5(): invalid namespace {ns:?}"));
    }
    let mut data: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&hexdigits[i * 2..i * 2 + 2], 16).unwrap_or(0))
        .collect();
    data.extend_from_slice(name.as_bytes());
    let mut b = sha1(&data);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b[..16]);
    Ok(Value::string(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )))
}
