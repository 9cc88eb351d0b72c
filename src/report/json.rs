//! `--format json`: `{"version":1,"findings":[...],"summary":{...}}`.

use serde_json::json;

use super::Summary;
use crate::CheckResult;

/// Version of the JSON document; bumped only on incompatible changes.
pub const JSON_VERSION: u32 = 1;

pub fn render(result: &CheckResult) -> String {
    render_with_cost(result, None)
}

/// The JSON report with a `"cost"` member (`check --cost`: the document of
/// `infralint cost --format json`, plus `"change"` with `--compare-to`).
pub fn render_with_cost(result: &CheckResult, cost: Option<&serde_json::Value>) -> String {
    let findings: Vec<_> = result
        .findings
        .iter()
        .map(|f| f.locate(&result.model.sources))
        .collect();
    let mut doc = json!({
        "version": JSON_VERSION,
        "findings": findings,
        "summary": Summary::of(result),
    });
    if let Some(unknowns) = &result.unknowns {
        doc["unknown"] = unknowns
            .iter()
            .map(|u| u.to_json(&result.model.sources))
            .collect();
    }
    if let Some(cost) = cost {
        doc["cost"] = cost.clone();
    }
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON of plain data");
    out.push('\n');
    out
}
