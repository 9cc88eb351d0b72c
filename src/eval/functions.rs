//! Terraform's built-in functions over [`Value`]s.
//!
//! The dispatcher lives here; the functions themselves are grouped in submodules
//! (`collections`, `strings`, `format`, `numeric`, `encoding`, `network`, `files`, `regex`,
//! `digest`). Shared helpers (arity checks, argument conversion, Unknown propagation) are at
//! the bottom of this file.
//!
//! Conventions:
//! - An Unknown argument the result depends on gives an Unknown result whose reason names the
//!   argument (`argument 2 of merge() is unknown: <inner reason>`) and keeps the inner
//!   `refers_to`. Partial knowledge is kept where it is cheap and sound: `length` of a list
//!   with Unknown elements, `merge`/`concat`/`reverse`/`lookup`/`element` passing Unknown
//!   elements through, `contains`/`alltrue`/`anytrue`/`coalesce` decided by a known element,
//!   `formatlist` rows.
//! - `Err` only for calls Terraform rejects (arity, types, invalid values).
//! - Unknown by design: clock, randomness and secrets (`timestamp`, `plantimestamp`, `uuid`,
//!   `bcrypt`, `timeadd`, `timecmp`, `formatdate`, `rsadecrypt`, `ephemeralasnull`),
//!   `pathexpand` of `~`, `abspath` of a relative path, files outside `allowed_roots`, over
//!   1 MiB or missing, regular expressions using Unicode classes or `(?U)`, and every
//!   function not listed in [`call`] (`base64gzip`, `textencodebase64`, …).
//! - Results carry no span, except values passed through unchanged (`lookup`, `element`, …).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::ir::{Unknown, Value, ValueKind};

mod collections;
mod digest;
mod encoding;
mod files;
pub(crate) use files::read_text as read_confined_text;
mod format;
mod network;
mod numeric;
mod regex;
mod strings;
mod template;
#[cfg(test)]
mod tests;

/// Where a function call is evaluated: `file()` reads relative to `module_dir` and never
/// outside `allowed_roots`.
pub struct FunctionContext<'a> {
    pub module_dir: &'a Path,
    pub allowed_roots: &'a [PathBuf],
}

/// Calls the Terraform function `name`.
///
/// - `Ok(value)`: the result; Unknown when an argument it depends on is Unknown, or when the
///   function is not evaluated statically (`timestamp`, `uuid`, unsupported ones), with a reason.
/// - `Err(message)`: Terraform itself would reject the call (wrong arity or argument type).
///
/// `try` and `can` are not here: they need lazy arguments and are special forms of the
/// evaluator.
pub fn call(name: &str, args: Vec<Value>, ctx: &FunctionContext<'_>) -> Result<Value, String> {
    let a = args;
    match name {
        // collections
        "alltrue" => collections::alltrue(a),
        "anytrue" => collections::anytrue(a),
        "chunklist" => collections::chunklist(a),
        "coalesce" => collections::coalesce(a),
        "coalescelist" => collections::coalescelist(a),
        "compact" => collections::compact(a),
        "concat" => collections::concat(a),
        "contains" => collections::contains(a),
        "distinct" => collections::distinct(a),
        "element" => collections::element(a),
        "flatten" => collections::flatten(a),
        "index" => collections::index(a),
        "keys" => collections::keys(a),
        "length" => collections::length(a),
        "lookup" => collections::lookup(a),
        "matchkeys" => collections::matchkeys(a),
        "merge" => collections::merge(a),
        "one" => collections::one(a),
        "range" => collections::range(a),
        "reverse" => collections::reverse(a),
        "setintersection" => collections::setintersection(a),
        "setproduct" => collections::setproduct(a),
        "setsubtract" => collections::setsubtract(a),
        "setunion" => collections::setunion(a),
        "slice" => collections::slice(a),
        "sort" => collections::sort(a),
        "sum" => collections::sum(a),
        "tobool" => collections::tobool(a),
        "tolist" => collections::tolist(a),
        "tomap" => collections::tomap(a),
        "tonumber" => collections::tonumber(a),
        "toset" => collections::toset(a),
        "tostring" => collections::tostring(a),
        "transpose" => collections::transpose(a),
        "values" => collections::values(a),
        "zipmap" => collections::zipmap(a),
        "sensitive" | "nonsensitive" => collections::identity(name, a),
        // strings
        "chomp" => strings::chomp(a),
        "endswith" => strings::endswith(a),
        "format" => format::format(a),
        "formatlist" => format::formatlist(a),
        "indent" => strings::indent(a),
        "join" => strings::join(a),
        "lower" => strings::lower(a),
        "regex" | "regexall" => strings::regex(name, a),
        "replace" => strings::replace(a),
        "split" => strings::split(a),
        "startswith" => strings::startswith(a),
        "strcontains" => strings::strcontains(a),
        "strrev" => strings::strrev(a),
        "substr" => strings::substr(a),
        "title" => strings::title(a),
        "trim" => strings::trim(a),
        "trimprefix" => strings::trimprefix(a),
        "trimspace" => strings::trimspace(a),
        "trimsuffix" => strings::trimsuffix(a),
        "upper" => strings::upper(a),
        // numbers
        "abs" => numeric::abs(a),
        "ceil" => numeric::ceil(a),
        "floor" => numeric::floor(a),
        "log" => numeric::log(a),
        "max" => numeric::max(a),
        "min" => numeric::min(a),
        "parseint" => numeric::parseint(a),
        "pow" => numeric::pow(a),
        "signum" => numeric::signum(a),
        // encoding and hashing
        "base64decode" => encoding::base64decode(a),
        "csvdecode" => encoding::csvdecode(a),
        "uuidv5" => encoding::uuidv5(a),
        "base64encode" => encoding::base64encode(a),
        "base64sha256" => encoding::hash_fn(name, a, encoding::Hash::Sha256, true),
        "base64sha512" => encoding::hash_fn(name, a, encoding::Hash::Sha512, true),
        "jsondecode" => encoding::jsondecode(a),
        "jsonencode" => encoding::jsonencode(a),
        "md5" => encoding::hash_fn(name, a, encoding::Hash::Md5, false),
        "sha1" => encoding::hash_fn(name, a, encoding::Hash::Sha1, false),
        "sha256" => encoding::hash_fn(name, a, encoding::Hash::Sha256, false),
        "sha512" => encoding::hash_fn(name, a, encoding::Hash::Sha512, false),
        "urlencode" => encoding::urlencode(a),
        "yamldecode" => encoding::yamldecode(a),
        "yamlencode" => encoding::yamlencode(a),
        // network
        "cidrhost" => network::cidrhost(a),
        "cidrnetmask" => network::cidrnetmask(a),
        "cidrsubnet" => network::cidrsubnet(a),
        "cidrsubnets" => network::cidrsubnets(a),
        // filesystem
        "abspath" => files::abspath(a),
        "basename" => files::basename(a),
        "dirname" => files::dirname(a),
        "file" => files::file(a, ctx),
        "filebase64" => files::filebase64(a, ctx),
        "filebase64sha256" => files::file_hash(name, a, ctx, encoding::Hash::Sha256, true),
        "filebase64sha512" => files::file_hash(name, a, ctx, encoding::Hash::Sha512, true),
        "fileexists" => files::fileexists(a, ctx),
        "fileset" => files::fileset(a, ctx),
        "filemd5" => files::file_hash(name, a, ctx, encoding::Hash::Md5, false),
        "filesha1" => files::file_hash(name, a, ctx, encoding::Hash::Sha1, false),
        "filesha256" => files::file_hash(name, a, ctx, encoding::Hash::Sha256, false),
        "filesha512" => files::file_hash(name, a, ctx, encoding::Hash::Sha512, false),
        "pathexpand" => files::pathexpand(a),
        "templatefile" => files::templatefile(a, ctx),
        // Values that depend on the clock, randomness, secrets or the plan.
        "timestamp" | "plantimestamp" | "uuid" | "bcrypt" | "timeadd" | "timecmp"
        | "formatdate" | "rsadecrypt" | "ephemeralasnull" => Ok(not_evaluated(name)),
        _ => Ok(Value::unknown(format!(
            "function `{name}` is not supported by infralint"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

pub(crate) type FnResult = Result<Value, String>;

/// Unknown result for a function that is never evaluated statically.
pub(crate) fn not_evaluated(name: &str) -> Value {
    Value::unknown(format!("function `{name}` is not evaluated statically"))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Exactly `n` arguments.
pub(crate) fn arity(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() != n {
        return Err(format!(
            "{name}() takes {n} argument{}, {} given",
            plural(n),
            args.len()
        ));
    }
    Ok(())
}

/// Between `min` and `max` arguments (`max: None` for variadic functions).
pub(crate) fn arity_range(
    name: &str,
    args: &[Value],
    min: usize,
    max: Option<usize>,
) -> Result<(), String> {
    let n = args.len();
    if n < min {
        return Err(format!(
            "{name}() takes at least {min} argument{}, {n} given",
            plural(min)
        ));
    }
    if let Some(max) = max
        && n > max
    {
        return Err(format!(
            "{name}() takes at most {max} argument{}, {n} given",
            plural(max)
        ));
    }
    Ok(())
}

/// An Unknown result caused by argument `idx` (0-based) being (or containing) `inner`.
pub(crate) fn unknown_arg(name: &str, idx: usize, inner: &Unknown) -> Value {
    Value::new(
        ValueKind::Unknown(Unknown {
            reason: format!(
                "argument {} of {name}() is unknown: {}",
                idx + 1,
                inner.reason
            ),
            refers_to: inner.refers_to.clone(),
            decoded: None,
        }),
        None,
    )
}

/// The first Unknown anywhere inside `v`.
pub(crate) fn find_unknown(v: &Value) -> Option<&Unknown> {
    match &v.kind {
        ValueKind::Unknown(u) => Some(u),
        ValueKind::List(items) => items.iter().find_map(find_unknown),
        ValueKind::Map(m) => m.values().find_map(find_unknown),
        _ => None,
    }
}

/// Unknown result when an argument is itself Unknown (elements may still be Unknown).
pub(crate) fn shallow_unknown(name: &str, args: &[Value]) -> Option<Value> {
    args.iter()
        .enumerate()
        .find_map(|(i, a)| a.as_unknown().map(|u| unknown_arg(name, i, u)))
}

/// Unknown result when an argument contains an Unknown anywhere.
pub(crate) fn deep_unknown(name: &str, args: &[Value]) -> Option<Value> {
    args.iter()
        .enumerate()
        .find_map(|(i, a)| find_unknown(a).map(|u| unknown_arg(name, i, u)))
}

/// A number as Terraform prints it: integers without a fraction, no exponent.
pub(crate) fn num_to_string(n: f64) -> String {
    if n == 0.0 {
        return "0".to_string();
    }
    if n.is_infinite() {
        return if n > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    format!("{n}")
}

/// A primitive value converted to a string as Terraform converts it (None for other kinds).
pub(crate) fn primitive_string(v: &Value) -> Option<String> {
    match &v.kind {
        ValueKind::String(s) => Some(s.clone()),
        ValueKind::Number(n) => Some(num_to_string(*n)),
        ValueKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind_name(v: &Value) -> &'static str {
    match &v.kind {
        ValueKind::Null => "null",
        ValueKind::Bool(_) => "bool",
        ValueKind::Number(_) => "number",
        ValueKind::String(_) => "string",
        ValueKind::List(_) => "list",
        ValueKind::Map(_) => "map",
        ValueKind::Unknown(_) => "unknown value",
    }
}

fn arg_error(name: &str, idx: usize, what: &str, v: &Value) -> String {
    format!(
        "invalid value for argument {} of {name}(): {what} required, got {}",
        idx + 1,
        kind_name(v)
    )
}

fn null_error(name: &str, idx: usize) -> String {
    format!("argument {} of {name}() must not be null", idx + 1)
}

/// Argument `idx` as a string (numbers and bools convert).
pub(crate) fn str_arg(name: &str, args: &[Value], idx: usize) -> Result<String, String> {
    let v = &args[idx];
    if v.is_null() {
        return Err(null_error(name, idx));
    }
    primitive_string(v).ok_or_else(|| arg_error(name, idx, "string", v))
}

/// A string value parsed as a Terraform number.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || t.eq_ignore_ascii_case("nan")
        || t.to_ascii_lowercase().contains("inf")
        || t.starts_with("0x")
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Argument `idx` as a number (numeric strings convert).
pub(crate) fn num_arg(name: &str, args: &[Value], idx: usize) -> Result<f64, String> {
    let v = &args[idx];
    match &v.kind {
        ValueKind::Number(n) => Ok(*n),
        ValueKind::String(s) => parse_number(s).ok_or_else(|| {
            format!(
                "invalid value for argument {} of {name}(): a number is required, got string {s:?}",
                idx + 1
            )
        }),
        ValueKind::Null => Err(null_error(name, idx)),
        _ => Err(arg_error(name, idx, "number", v)),
    }
}

/// Argument `idx` as a whole number.
pub(crate) fn int_arg(name: &str, args: &[Value], idx: usize) -> Result<i64, String> {
    let n = num_arg(name, args, idx)?;
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(format!(
            "invalid value for argument {} of {name}(): must be a whole number, got {}",
            idx + 1,
            num_to_string(n)
        ));
    }
    Ok(n as i64)
}

/// Argument `idx` as a bool (`"true"`/`"false"` convert).
pub(crate) fn bool_arg(name: &str, args: &[Value], idx: usize) -> Result<bool, String> {
    let v = &args[idx];
    match &v.kind {
        ValueKind::Bool(b) => Ok(*b),
        ValueKind::String(s) if s == "true" => Ok(true),
        ValueKind::String(s) if s == "false" => Ok(false),
        ValueKind::Null => Err(null_error(name, idx)),
        _ => Err(arg_error(name, idx, "bool", v)),
    }
}

/// Argument `idx` as a list (or set, or tuple).
pub(crate) fn list_arg<'a>(
    name: &str,
    args: &'a [Value],
    idx: usize,
) -> Result<&'a [Value], String> {
    let v = &args[idx];
    match &v.kind {
        ValueKind::List(items) => Ok(items),
        ValueKind::Null => Err(null_error(name, idx)),
        _ => Err(arg_error(name, idx, "list", v)),
    }
}

/// Argument `idx` as a map (or object).
pub(crate) fn map_arg<'a>(
    name: &str,
    args: &'a [Value],
    idx: usize,
) -> Result<&'a IndexMap<String, Value>, String> {
    let v = &args[idx];
    match &v.kind {
        ValueKind::Map(m) => Ok(m),
        ValueKind::Null => Err(null_error(name, idx)),
        _ => Err(arg_error(name, idx, "map", v)),
    }
}

/// A canonical text for equality and set membership. Primitives compare by their string
/// form (Terraform unifies `1` and `"1"` to the same string element type); collections by
/// their sorted JSON form. Spans are ignored.
pub(crate) fn canon_key(v: &Value) -> String {
    match &v.kind {
        ValueKind::Null => "\u{0}null".to_string(),
        ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::String(_) => {
            format!("s:{}", primitive_string(v).unwrap_or_default())
        }
        ValueKind::List(items) => {
            let parts: Vec<String> = items.iter().map(canon_key).collect();
            format!("l:[{}]", parts.join("\u{1}"))
        }
        ValueKind::Map(m) => {
            let mut parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k:?}={}", canon_key(v)))
                .collect();
            parts.sort();
            format!("m:{{{}}}", parts.join("\u{1}"))
        }
        ValueKind::Unknown(u) => format!("\u{0}unknown:{}", u.reason),
    }
}

/// Equality as Terraform's `==` after type unification, ignoring spans.
pub(crate) fn values_equal(a: &Value, b: &Value) -> bool {
    canon_key(a) == canon_key(b)
}

/// A fresh value (no span).
pub(crate) fn val(kind: ValueKind) -> Value {
    Value::new(kind, None)
}

/// Whether `c` continues the user-perceived character before it (an approximation of
/// Unicode grapheme cluster rules: combining marks, variation selectors, emoji modifiers
/// and tags, zero-width joiner).
fn extends_grapheme(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0900..=0x0903
        | 0x093A..=0x094F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200C..=0x200D
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F
        | 0xE0100..=0xE01EF)
}

/// The string split into user-perceived characters, as Terraform counts them for
/// `length`, `substr` and `strrev`.
pub(crate) fn graphemes(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut regional_run = 0;
    for (i, c) in s.char_indices() {
        let regional = ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
        let joins = i > 0
            && (extends_grapheme(c)
                || prev == Some('\u{200D}')
                || (prev == Some('\r') && c == '\n')
                || (regional && regional_run % 2 == 1));
        if !joins && i > 0 {
            out.push(&s[start..i]);
            start = i;
        }
        regional_run = if regional { regional_run + 1 } else { 0 };
        prev = Some(c);
    }
    if !s.is_empty() {
        out.push(&s[start..]);
    }
    out
}
