//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! One run; `tool.driver.rules` lists every rule that can fire, results point into it by
//! `ruleIndex`. Suppressed and baselined findings are kept with `suppressions`. Regions count
//! Unicode scalar values (`columnKind: unicodeCodePoints`).

use std::collections::HashMap;

use serde::Serialize;

use super::Report;
use crate::diagnostic::Severity;
use crate::finding::{Finding, sort_key};
use crate::fingerprint::SARIF_KEY;
use crate::rules::RuleMeta;
use crate::suppress::{Suppression, SuppressionKind};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
pub const INFORMATION_URI: &str = "https://github.com/infralint/infralint";

/// The documentation page of a rule.
pub fn rule_doc_url(id: &str) -> String {
    format!("https://github.com/infralint/infralint/blob/main/docs/rules/{id}.md")
}

#[derive(Debug, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    pub column_kind: &'static str,
    pub results: Vec<SarifResult>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub semantic_version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<ReportingDescriptor>,
}

#[derive(Debug, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct MultiformatMessage {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: String,
    pub name: String,
    pub short_description: Text,
    pub full_description: Text,
    pub help: MultiformatMessage,
    pub help_uri: String,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RuleProperties {
    pub tags: Vec<String>,
    #[serde(rename = "security-severity")]
    pub security_severity: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<SarifLocation>,
    pub partial_fingerprints: HashMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<SarifSuppression>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    pub fully_qualified_name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    pub uri_base_id: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Debug, Serialize)]
pub struct SarifSuppression {
    pub kind: &'static str,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// SARIF `level` of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score of a severity.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// Ends text with a period, as SARIF messages should.
fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn plain(markdown: &str) -> String {
    markdown.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn descriptor(m: &RuleMeta, severity: Severity) -> ReportingDescriptor {
    let mut md = format!(
        "**{}**\n\n{}\n\n**Remediation**\n\n{}",
        m.title,
        m.description.trim(),
        m.remediation.trim()
    );
    if !m.references.is_empty() {
        md.push_str("\n\n**References**\n");
        for r in &m.references {
            md.push_str(&format!("\n- {r}"));
        }
    }
    ReportingDescriptor {
        id: m.id.clone(),
        name: m.slug.clone(),
        short_description: Text {
            text: sentence(&m.title),
        },
        full_description: Text {
            text: sentence(&plain(&m.description)),
        },
        help: MultiformatMessage {
            text: sentence(&plain(&m.remediation)),
            markdown: md,
        },
        help_uri: rule_doc_url(&m.id),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            tags: vec![m.pack.clone(), "security".into()],
            security_severity: security_severity(severity).into(),
        },
    }
}

/// A descriptor for a rule the registry does not know (core diagnostics before their
/// metadata is loaded).
fn synthetic(f: &Finding) -> ReportingDescriptor {
    let title = f.slug.replace('-', " ");
    ReportingDescriptor {
        id: f.rule_id.clone(),
        name: f.slug.clone(),
        short_description: Text {
            text: sentence(&title),
        },
        full_description: Text {
            text: sentence(&format!("{} ({} pack)", title, f.pack)),
        },
        help: MultiformatMessage {
            text: sentence(&format!("See the documentation of {}", f.rule_id)),
            markdown: format!("See the documentation of `{}`.", f.rule_id),
        },
        help_uri: rule_doc_url(&f.rule_id),
        default_configuration: Configuration {
            level: level(f.severity),
        },
        properties: RuleProperties {
            tags: vec![f.pack.clone(), "security".into()],
            security_severity: security_severity(f.severity).into(),
        },
    }
}

fn suppression(s: &Suppression) -> SarifSuppression {
    SarifSuppression {
        kind: match s.kind {
            SuppressionKind::InSource => "inSource",
            SuppressionKind::External => "external",
        },
        status: "accepted",
        justification: s.justification.clone(),
    }
}

/// Builds the SARIF log of a report.
pub fn log(report: &Report<'_>) -> Log {
    let severity_of = |m: &RuleMeta| {
        report
            .severity_overrides
            .get(&m.id)
            .copied()
            .unwrap_or(m.severity)
    };
    let mut rules: Vec<ReportingDescriptor> = report
        .registry
        .iter()
        .filter(|m| report.selection.enabled(m, report.registry))
        .map(|m| descriptor(m, severity_of(m)))
        .collect();
    let mut index: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let sources = &report.result.model.sources;
    let active = report
        .result
        .findings
        .iter()
        .zip(&report.fingerprints)
        .map(|(f, fp)| (f, fp, None));
    let hidden = report
        .suppressed
        .iter()
        .map(|s| (&s.finding, &s.fingerprint, Some(&s.suppression)));
    let mut all: Vec<_> = active.chain(hidden).collect();
    all.sort_by(|a, b| sort_key(a.0, sources).cmp(&sort_key(b.0, sources)));
    let mut results = Vec::with_capacity(all.len());
    for (f, fp, sup) in all {
        let rule_index = match index.get(&f.rule_id) {
            Some(&i) => i,
            None => {
                let d = report
                    .registry
                    .find(&f.rule_id)
                    .filter(|m| m.id == f.rule_id)
                    .map_or_else(|| synthetic(f), |m| descriptor(m, severity_of(m)));
                rules.push(d);
                index.insert(f.rule_id.clone(), rules.len() - 1);
                rules.len() - 1
            }
        };
        let loc = sources.locate(f.span);
        results.push(SarifResult {
            rule_id: f.rule_id.clone(),
            rule_index,
            level: level(f.severity),
            message: Text {
                text: sentence(&f.message),
            },
            locations: vec![SarifLocation {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: uri_path(&loc.file),
                        uri_base_id: "%SRCROOT%",
                    },
                    region: Region {
                        start_line: loc.line,
                        start_column: loc.column,
                        end_line: loc.end_line,
                        end_column: loc.end_column,
                    },
                },
                logical_locations: f
                    .address
                    .iter()
                    .map(|a| LogicalLocation {
                        fully_qualified_name: a.clone(),
                    })
                    .collect(),
            }],
            partial_fingerprints: HashMap::from([(SARIF_KEY, fp.clone())]),
            suppressions: sup.map(suppression).into_iter().collect(),
        });
    }
    Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "infralint",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// Percent-encodes the characters a relative URI reference may not hold as is.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn render(report: &Report<'_>) -> String {
    let mut s = serde_json::to_string_pretty(&log(report)).expect("JSON of plain data");
    s.push('\n');
    s
}
