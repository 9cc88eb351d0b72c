//! Built-in checks of the `tags` pack: required tag keys and allowed tag values, configured in
//! `.infralint.toml`:
//!
//! ```toml
//! [tags]
//! required = ["Project", "Environment"]
//! [tags.values]
//! Environment = ["dev", "staging", "prod"]
//! [tags.patterns]
//! Owner = "*@example.com"
//! ```
//!
//! A resource's effective tags are its `tags_all` (the evaluator merges the `default_tags` of the
//! resource's provider configuration, alias included, under its `tags`), else its `tags`. Only
//! types listed in [`crate::eval::taggable`] are checked. Without configuration the pack reports
//! nothing.

use indexmap::IndexMap;

use crate::eval::taggable::is_taggable;
use crate::ir::{Model, Object, ObjectKind, Value, ValueKind};
use crate::rules::iam_policy::wildcard_match;
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("tags_required_missing", required_missing),
    ("tags_value_not_allowed", value_not_allowed),
    (
        "tags_provider_default_tags_missing",
        provider_default_tags_missing,
    ),
];

/// The `[tags]` settings.
#[derive(Default)]
struct TagSettings {
    required: Vec<String>,
    values: Vec<(String, Vec<String>)>,
    patterns: Vec<(String, String)>,
}

fn strings(v: &toml::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn settings(ctx: &CheckContext<'_>) -> TagSettings {
    let Some(t) = ctx.settings.get("tags").and_then(toml::Value::as_table) else {
        return TagSettings::default();
    };
    TagSettings {
        required: t.get("required").map(strings).unwrap_or_default(),
        values: t
            .get("values")
            .and_then(toml::Value::as_table)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), strings(v))).collect())
            .unwrap_or_default(),
        patterns: t
            .get("patterns")
            .and_then(toml::Value::as_table)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The effective tags of a resource and where to point at them.
enum Tags<'m> {
    Known(&'m IndexMap<String, Value>, Span),
    /// No `tags` at all (nor provider defaults).
    None(Span),
    Unknown(String, Span),
}

fn first_line(model: &Model, span: Span) -> Span {
    let text = &model.sources.get(span.file).text;
    let start = span.start as usize;
    let rest = text.get(start..span.end as usize).unwrap_or("");
    let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
    Span::new(span.file, start, start + len)
}

fn effective_tags<'m>(model: &Model, o: &'m Object) -> Tags<'m> {
    let header = first_line(model, o.span);
    let value = o
        .attr("tags_all")
        .or_else(|| o.attr("tags"))
        .filter(|v| !v.is_null());
    // Point at the resource's own `tags` when written, else at the block's first line.
    let span = o.attr("tags").and_then(|v| v.span).unwrap_or(header);
    match value.map(|v| &v.kind) {
        None => Tags::None(header),
        Some(ValueKind::Map(m)) => Tags::Known(m, span),
        Some(ValueKind::Unknown(u)) => Tags::Unknown(u.reason.clone(), span),
        Some(_) => Tags::Unknown("the tags are not a map".into(), span),
    }
}

fn taggable_resources(model: &Model) -> impl Iterator<Item = (usize, &Object)> {
    model
        .objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o.kind == ObjectKind::Resource && is_taggable(&o.type_name))
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// TAG001: a taggable resource lacks a required tag key.
fn required_missing(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let s = settings(ctx);
    if s.required.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, o) in taggable_resources(ctx.model) {
        let (missing, span): (Vec<&str>, Span) = match effective_tags(ctx.model, o) {
            Tags::Unknown(reason, span) => {
                out.push(Verdict::unknown(
                    i,
                    span,
                    format!("the tags of {} are unknown: {reason}", o.address),
                ));
                continue;
            }
            Tags::None(span) => (s.required.iter().map(String::as_str).collect(), span),
            // The key set of a known map is known even when some values are not.
            Tags::Known(m, span) => (
                s.required
                    .iter()
                    .map(String::as_str)
                    .filter(|k| !m.contains_key(*k))
                    .collect(),
                span,
            ),
        };
        if !missing.is_empty() {
            out.push(Verdict::fail(
                i,
                span,
                format!(
                    "{} lacks required tag{} {}",
                    o.address,
                    if missing.len() == 1 { "" } else { "s" },
                    quoted(&missing)
                ),
            ));
        }
    }
    out
}

/// TAG002: a tag value outside the allowed values or not matching the configured pattern.
fn value_not_allowed(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let s = settings(ctx);
    if s.values.is_empty() && s.patterns.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, o) in taggable_resources(ctx.model) {
        let m = match effective_tags(ctx.model, o) {
            Tags::Known(m, _) => m,
            Tags::None(_) => continue,
            Tags::Unknown(reason, span) => {
                out.push(Verdict::unknown(
                    i,
                    span,
                    format!("the tags of {} are unknown: {reason}", o.address),
                ));
                continue;
            }
        };
        let header = first_line(ctx.model, o.span);
        for (key, v) in m {
            let allowed = s.values.iter().find(|(k, _)| k == key).map(|(_, a)| a);
            let pattern = s.patterns.iter().find(|(k, _)| k == key).map(|(_, p)| p);
            if allowed.is_none() && pattern.is_none() {
                continue;
            }
            // Values from the provider's default_tags are anchored on the whole resource.
            let span = v.span.filter(|s| *s != o.span).unwrap_or(header);
            let text = match &v.kind {
                ValueKind::String(t) => t.clone(),
                ValueKind::Number(n) => n.to_string(),
                ValueKind::Bool(b) => b.to_string(),
                ValueKind::Unknown(u) => {
                    out.push(Verdict::unknown(
                        i,
                        span,
                        format!("tag `{key}` of {} is unknown: {}", o.address, u.reason),
                    ));
                    continue;
                }
                _ => String::new(),
            };
            if let Some(a) = allowed
                && !a.contains(&text)
            {
                out.push(Verdict::fail(
                    i,
                    span,
                    format!(
                        "tag `{key}` of {} is \"{text}\", not one of {}",
                        o.address,
                        quoted(&a.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                ));
            } else if let Some(p) = pattern
                && !wildcard_match(p, &text, false)
            {
                out.push(Verdict::fail(
                    i,
                    span,
                    format!(
                        "tag `{key}` of {} is \"{text}\", which does not match `{p}`",
                        o.address
                    ),
                ));
            }
        }
    }
    out
}

/// TAG003: an `aws` provider configuration whose `default_tags` lack required keys.
fn provider_default_tags_missing(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let s = settings(ctx);
    if s.required.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.kind != ObjectKind::Provider || o.name != "aws" {
            continue;
        }
        let header = first_line(ctx.model, o.span);
        let dt = o
            .attr("default_tags")
            .filter(|v| !v.is_null())
            .map(|v| match &v.kind {
                ValueKind::List(l) => l.first().and_then(|b| b.get("tags")),
                _ => Some(v),
            });
        let (keys, span): (Option<&IndexMap<String, Value>>, Span) = match dt {
            None | Some(None) => (None, header),
            Some(Some(t)) => {
                let span = t.span.unwrap_or(header);
                match &t.kind {
                    ValueKind::Map(m) => (Some(m), span),
                    ValueKind::Null => (None, span),
                    ValueKind::Unknown(u) => {
                        out.push(Verdict::unknown(
                            i,
                            span,
                            format!("default_tags of {} are unknown: {}", o.address, u.reason),
                        ));
                        continue;
                    }
                    _ => continue,
                }
            }
        };
        let missing: Vec<&str> = s
            .required
            .iter()
            .map(String::as_str)
            .filter(|k| keys.is_none_or(|m| !m.contains_key(*k)))
            .collect();
        if !missing.is_empty() {
            out.push(Verdict::fail(i, span, format!(
                    "{} has no default_tags for required tag{} {}; resources of this provider must tag themselves",
                    o.address,
                    if missing.len() == 1 { "" } else { "s" },
                    quoted(&missing)
                )));
        }
    }
    out
}
