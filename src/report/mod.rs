//! Output formats. Emitters only render: findings arrive sorted and final.

pub mod json;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::CheckResult;
use crate::diagnostic::Severity;

/// Counts shown at the end of every report.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub objects: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    pub by_pack: BTreeMap<String, usize>,
    pub files_failed: usize,
}

impl Summary {
    pub fn of(result: &CheckResult) -> Self {
        let mut by_severity: BTreeMap<&'static str, usize> =
            Severity::ALL.iter().map(|s| (s.as_str(), 0)).collect();
        let mut by_pack = BTreeMap::new();
        for f in &result.findings {
            *by_severity.entry(f.severity.as_str()).or_default() += 1;
            *by_pack.entry(f.pack.clone()).or_default() += 1;
        }
        let mut failed: Vec<_> = result
            .model
            .diagnostics
            .iter()
            .filter(|d| d.code.fails_run())
            .map(|d| d.span.file)
            .collect();
        failed.sort();
        failed.dedup();
        Summary {
            files_scanned: result.model.sources.len(),
            objects: result.model.objects.len(),
            findings: result.findings.len(),
            by_severity,
            by_pack,
            files_failed: failed.len(),
        }
    }
}
