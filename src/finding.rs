//! Findings: what rules and core diagnostics report, ready for every output format.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Location, SourceMap, Span};

/// Pack of the core diagnostics (parse and evaluation problems).
pub const CORE_PACK: &str = "core";

/// One reported problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule_id: String,
    pub slug: String,
    pub pack: String,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub address: Option<String>,
}

impl Finding {
    pub fn from_diagnostic(d: &Diagnostic) -> Self {
        Finding {
            rule_id: d.code.id().to_string(),
            slug: d.code.slug().to_string(),
            pack: CORE_PACK.to_string(),
            severity: d.code.severity(),
            message: d.message.clone(),
            span: d.span,
            address: d.address.clone(),
        }
    }
}

/// A finding resolved to file positions, as the JSON output shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LocatedFinding<'a> {
    pub rule_id: &'a str,
    pub slug: &'a str,
    pub pack: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    #[serde(flatten)]
    pub location: Location,
    pub address: Option<&'a str>,
}

impl Finding {
    pub fn locate<'a>(&'a self, sources: &SourceMap) -> LocatedFinding<'a> {
        LocatedFinding {
            rule_id: &self.rule_id,
            slug: &self.slug,
            pack: &self.pack,
            severity: self.severity,
            message: &self.message,
            location: sources.locate(self.span),
            address: self.address.as_deref(),
        }
    }
}

/// Sorts findings by file, position, rule and message: the order of every output.
pub fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by(|a, b| sort_key(a, sources).cmp(&sort_key(b, sources)));
}

/// The key [`sort_findings`] orders by, for sorting findings held inside other values.
pub fn sort_key<'a>(f: &'a Finding, sources: &'a SourceMap) -> impl Ord + 'a {
    (
        sources.get(f.span.file).display_path.as_str(),
        f.span.start,
        f.span.end,
        f.rule_id.as_str(),
        f.message.as_str(),
        f.address.as_deref(),
    )
}
