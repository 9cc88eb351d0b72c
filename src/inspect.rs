//! `infralint inspect`: the evaluated objects as JSON, exactly what rules see, and the
//! image-size estimate of each Dockerfile.

use serde_json::{Value as Json, json};

use crate::finding::Finding;
use crate::ir::{Model, Object};

/// The inspect document: `{"objects": [...], "diagnostics": [...]}`.
pub fn to_json(model: &Model) -> Json {
    let objects: Vec<Json> = model
        .objects
        .iter()
        .map(|o| object_json(model, o))
        .collect();
    let mut diagnostics: Vec<Finding> = model
        .diagnostics
        .iter()
        .map(Finding::from_diagnostic)
        .collect();
    crate::finding::sort_findings(&mut diagnostics, &model.sources);
    let diagnostics: Vec<Json> = diagnostics
        .iter()
        .map(|f| serde_json::to_value(f.locate(&model.sources)).unwrap_or(Json::Null))
        .collect();
    let mut doc = json!({ "objects": objects, "diagnostics": diagnostics });
    // The image-size estimate of each Dockerfile (see `docs/image-size.md`).
    let estimates: Vec<Json> = crate::image_size::estimate_all(model)
        .iter()
        .map(|e| e.to_json(model))
        .collect();
    if !estimates.is_empty() {
        doc["image_size"] = Json::Array(estimates);
    }
    doc
}

fn object_json(model: &Model, o: &Object) -> Json {
    let loc = model.sources.locate(o.span);
    let attributes: serde_json::Map<String, Json> = o
        .attrs
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let mut unknown = Vec::new();
    for (k, v) in &o.attrs {
        v.unknown_paths(k, &mut unknown);
    }
    let mut out = json!({
        "kind": o.kind,
        "type": o.type_name,
        "name": o.name,
        "address": o.address,
        "scope": o.scope,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "attributes": attributes,
        "unknown": unknown,
    });
    let map = out.as_object_mut().expect("object literal");
    if !o.module.is_empty() {
        map.insert("module".into(), json!(o.module));
    }
    if let Some(p) = &o.provider {
        map.insert("provider".into(), json!(p));
    }
    if let Some(parent) = o.parent.and_then(|p| model.objects.get(p)) {
        map.insert("parent".into(), json!(parent.address));
    }
    if !o.refs.is_empty() {
        map.insert(
            "references".into(),
            serde_json::to_value(&o.refs).unwrap_or(Json::Null),
        );
    }
    out
}
