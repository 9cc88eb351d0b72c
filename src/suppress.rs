//! Suppression comments: `# infralint:ignore[SG001] reason` and the comment syntaxes of
//! Checkov, tfsec, Trivy and hadolint (matched through each rule's aliases).
//!
//! Parsers drop comments, so directives are read from the raw source lines. Scopes:
//!
//! - a comment alone on its line covers the next non-comment line, and every object (resource
//!   block, job, step…) that starts on that line, with everything inside it;
//! - a comment at the end of a line covers that line and every object starting on it;
//! - `#checkov:skip=` inside a block also covers the innermost object containing it;
//! - `# hadolint ignore=` covers the next Dockerfile instruction (with its continuation lines).
//!
//! Suppressed findings are kept and marked, so SARIF can list them with a justification.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::finding::{CORE_PACK, Finding};
use crate::ir::Model;
use crate::rules::Registry;
use crate::source::{FileId, FileKind, SourceFile, Span};

/// ID of the finding for an `infralint:ignore` comment without a reason.
pub const MISSING_REASON_ID: &str = "IL0100";
pub const MISSING_REASON_SLUG: &str = "ignore-without-reason";
/// ID of the finding for a suppression comment that matched no finding
/// (`--report-unused-ignores`).
pub const UNUSED_ID: &str = "IL0101";
pub const UNUSED_SLUG: &str = "unused-ignore";

/// The metadata files of the suppression diagnostics, as shipped in `rules/core/`.
pub const RULE_FILES: &[&str] = &[
    include_str!("../rules/core/IL0100.toml"),
    include_str!("../rules/core/IL0101.toml"),
];

/// The metadata of the suppression diagnostics (IL0100, IL0101).
pub fn rule_metas() -> Vec<crate::rules::RuleMeta> {
    RULE_FILES
        .iter()
        .map(|t| toml::from_str(t).expect("rules/core suppression metadata is valid"))
        .collect()
}

/// Which tool's syntax a directive was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    Infralint,
    Checkov,
    Tfsec,
    Trivy,
    Hadolint,
}

impl Tool {
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Infralint => "infralint",
            Tool::Checkov => "checkov",
            Tool::Tfsec => "tfsec",
            Tool::Trivy => "trivy",
            Tool::Hadolint => "hadolint",
        }
    }
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub tool: Tool,
    /// Rule IDs, slugs or aliases as written.
    pub ids: Vec<String>,
    pub reason: Option<String>,
    /// 1-based line of the comment.
    pub line: u32,
    /// Whether code precedes the comment on its line.
    pub trailing: bool,
    /// `# hadolint global ignore=…`: the whole file.
    pub global: bool,
    /// The directive's text (from the comment marker to the end of the line).
    pub span: Span,
}

/// How a finding was suppressed (SARIF `suppressions[].kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A comment in the scanned file.
    InSource,
    /// Configuration (`per-path-ignores`) or a baseline file.
    External,
}

/// Why a finding is not reported as active.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// `infralint`, `checkov`, `tfsec`, `trivy`, `hadolint`, `per-path-ignores` or `baseline`.
    pub source: String,
    pub justification: Option<String>,
}

/// Parses the suppression directives of one file.
pub fn parse_directives(file: &SourceFile) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (idx, raw) in file.text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(d) = parse_line(line, idx as u32 + 1, file.id, offset) {
            out.push(d);
        }
        offset += raw.len() + 1;
    }
    out
}

fn parse_line(line: &str, line_no: u32, file: FileId, line_offset: usize) -> Option<Directive> {
    for (pos, _) in line.match_indices(['#', '/']) {
        let marker_len = if line[pos..].starts_with("//") || line[pos..].starts_with("/*") {
            2
        } else if line[pos..].starts_with('#') {
            1
        } else {
            continue;
        };
        let body = line[pos + marker_len..].trim_start();
        // `/* infralint:ignore[SG001] reason */` on one line.
        let body = body
            .trim_end()
            .strip_suffix("*/")
            .unwrap_or(body)
            .trim_end();
        let global = body.starts_with("hadolint global ");
        let Some((tool, ids, reason)) = parse_body(body) else {
            continue;
        };
        if ids.is_empty() {
            continue;
        }
        let trailing = !line[..pos].trim().is_empty();
        let start = line_offset + pos;
        return Some(Directive {
            tool,
            ids,
            reason,
            line: line_no,
            trailing,
            global,
            span: Span::new(file, start, line_offset + line.trim_end().len()),
        });
    }
    None
}

fn split_ids(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn parse_body(body: &str) -> Option<(Tool, Vec<String>, Option<String>)> {
    if let Some(rest) = body.strip_prefix("infralint:ignore") {
        let rest = rest.trim_start().strip_prefix('[')?;
        let (ids, reason) = rest.split_once(']')?;
        let reason = reason
            .trim_start()
            .trim_start_matches([':', '-', '—', '–'])
            .trim();
        return Some((Tool::Infralint, split_ids(ids), non_empty(reason)));
    }
    if let Some(rest) = body.strip_prefix("checkov:skip=") {
        let (ids, reason) = rest.split_once(':').unwrap_or((rest, ""));
        return Some((Tool::Checkov, split_ids(ids), non_empty(reason)));
    }
    for (prefix, tool) in [
        ("tfsec:ignore:", Tool::Tfsec),
        ("trivy:ignore:", Tool::Trivy),
    ] {
        if body.starts_with(prefix) {
            // Several may share a comment: `tfsec:ignore:a tfsec:ignore:b`; `:exp:DATE` and
            // `[key=value]` qualifiers are accepted and not enforced.
            let ids = body
                .split_whitespace()
                .filter_map(|tok| tok.trim_start_matches('#').strip_prefix(prefix))
                .map(|id| {
                    let id = id.split(":exp:").next().unwrap_or(id);
                    id.split('[').next().unwrap_or(id).to_string()
                })
                .filter(|id| !id.is_empty())
                .collect();
            return Some((tool, ids, None));
        }
    }
    if let Some(rest) = body.strip_prefix("hadolint") {
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("global").unwrap_or(rest).trim_start();
        let rest = rest.strip_prefix("ignore=")?;
        let ids = rest.split_whitespace().next().unwrap_or("");
        return Some((Tool::Hadolint, split_ids(ids), None));
    }
    None
}

/// The lines and object spans a directive covers.
#[derive(Debug, Clone)]
struct Scope {
    file: FileId,
    first_line: u32,
    last_line: u32,
    spans: Vec<Span>,
}

fn is_comment_line(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('#') || t.starts_with("//")
}

/// The last line of the Dockerfile instruction starting on `line` (backslash continuations).
fn instruction_end(file: &SourceFile, line: u32) -> u32 {
    let mut end = line;
    while end < file.line_count() && file.line_text(end).trim_end().ends_with('\\') {
        end += 1;
    }
    end
}

/// `in_file`: the indices of the model's objects whose span lies in `file`.
fn scope_of(d: &Directive, file: &SourceFile, model: &Model, in_file: &[usize]) -> Scope {
    if d.global {
        return Scope {
            file: file.id,
            first_line: 1,
            last_line: file.line_count(),
            spans: Vec::new(),
        };
    }
    let mut target = d.line;
    if !d.trailing {
        target += 1;
        while target <= file.line_count() {
            let text = file.line_text(target);
            let skip =
                is_comment_line(text) || (d.tool == Tool::Hadolint && text.trim().is_empty());
            if !skip {
                break;
            }
            target += 1;
        }
    }
    let last_line = if file.kind == FileKind::Dockerfile {
        instruction_end(file, target)
    } else {
        target
    };
    let mut spans = Vec::new();
    if d.tool != Tool::Hadolint {
        for o in in_file.iter().map(|&i| &model.objects[i]) {
            if file.line_col(o.span.start).line == target {
                spans.push(o.span);
            }
        }
    }
    if d.tool == Tool::Checkov && !d.trailing {
        // Checkov's convention: the comment sits inside the resource it skips.
        let innermost = in_file
            .iter()
            .map(|&i| &model.objects[i])
            .filter(|o| {
                o.span.start < d.span.start
                    && d.span.end <= o.span.end
                    && file.line_col(o.span.start).line < d.line
            })
            .min_by_key(|o| o.span.end - o.span.start);
        if let Some(o) = innermost {
            spans.push(o.span);
        }
    }
    Scope {
        file: file.id,
        first_line: target,
        last_line,
        spans,
    }
}

/// The suppression directives of a run, with their scopes.
#[derive(Debug)]
pub struct Directives {
    entries: Vec<(Directive, Scope)>,
}

impl Directives {
    /// Reads every file of the model for suppression comments (files in parallel; entries in
    /// file order, so the result does not depend on scheduling).
    pub fn collect(model: &Model) -> Self {
        // Objects per file, built once: a directive's scope looks only at its own file's
        // objects, so the cost is not directives × all objects.
        let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); model.sources.len()];
        for (i, o) in model.objects.iter().enumerate() {
            if let Some(list) = by_file.get_mut(o.span.file.0 as usize) {
                list.push(i);
            }
        }
        let files: Vec<&SourceFile> = model.sources.iter().map(|f| f.as_ref()).collect();
        let per_file: Vec<Vec<(Directive, Scope)>> = files
            .par_iter()
            .map(|file| {
                let in_file = by_file
                    .get(file.id.0 as usize)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                parse_directives(file)
                    .into_iter()
                    .map(|d| {
                        let scope = scope_of(&d, file, model, in_file);
                        (d, scope)
                    })
                    .collect()
            })
            .collect();
        Directives {
            entries: per_file.into_iter().flatten().collect(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Directive> {
        self.entries.iter().map(|(d, _)| d)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Whether `written` (an ID, slug or alias from a comment) names the finding's rule.
fn names_rule(written: &str, finding: &Finding, registry: &Registry) -> bool {
    if written.eq_ignore_ascii_case(&finding.rule_id) || written == finding.slug {
        return true;
    }
    let meta = registry
        .find(written)
        .or_else(|| registry.find(&written.to_ascii_uppercase()))
        .or_else(|| registry.find(&written.to_ascii_lowercase()));
    meta.is_some_and(|m| m.id == finding.rule_id)
}

/// The outcome of matching findings against directives.
#[derive(Debug)]
pub struct Matched {
    /// One entry per input finding: the suppression that applies, if any.
    pub suppressions: Vec<Option<Suppression>>,
    /// New findings: IL0100 for reasons missing, IL0101 for unused directives (when asked).
    pub diagnostics: Vec<Finding>,
}

/// Matches `findings` against the directives; `report_unused` adds IL0101 findings.
pub fn apply(
    findings: &[Finding],
    directives: &Directives,
    model: &Model,
    registry: &Registry,
    report_unused: bool,
) -> Matched {
    let mut used: HashSet<usize> = HashSet::new();
    let mut suppressions = Vec::with_capacity(findings.len());
    for f in findings {
        let file = model.sources.get(f.span.file);
        let line = file.line_col(f.span.start).line;
        let hit = directives.entries.iter().enumerate().find(|(_, (d, s))| {
            s.file == f.span.file
                && (((s.first_line..=s.last_line).contains(&line))
                    || s.spans.iter().any(|sp| sp.contains(&f.span)))
                && d.ids.iter().any(|id| names_rule(id, f, registry))
        });
        suppressions.push(hit.map(|(i, (d, _))| {
            used.insert(i);
            Suppression {
                kind: SuppressionKind::InSource,
                source: d.tool.as_str().to_string(),
                justification: d.reason.clone(),
            }
        }));
    }
    let mut diagnostics = Vec::new();
    for (i, (d, _)) in directives.entries.iter().enumerate() {
        if d.tool == Tool::Infralint && d.reason.is_none() {
            diagnostics.push(meta_finding(
                MISSING_REASON_ID,
                MISSING_REASON_SLUG,
                format!(
                    "`infralint:ignore[{}]` has no reason; say why after the `]`",
                    d.ids.join(",")
                ),
                d.span,
                registry,
            ));
        }
        if report_unused && !used.contains(&i) {
            diagnostics.push(meta_finding(
                UNUSED_ID,
                UNUSED_SLUG,
                format!(
                    "{} suppression of {} matches no finding",
                    d.tool.as_str(),
                    d.ids.join(", ")
                ),
                d.span,
                registry,
            ));
        }
    }
    Matched {
        suppressions,
        diagnostics,
    }
}

fn meta_finding(id: &str, slug: &str, message: String, span: Span, registry: &Registry) -> Finding {
    let severity = registry.find(id).map_or(Severity::Low, |m| m.severity);
    Finding {
        rule_id: id.to_string(),
        slug: slug.to_string(),
        pack: CORE_PACK.to_string(),
        severity,
        message,
        span,
        address: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> Option<(Tool, Vec<String>, Option<String>)> {
        parse_body(s)
    }

    #[test]
    fn parses_every_syntax() {
        assert_eq!(
            body("infralint:ignore[SG001, open-ingress] legacy VPN"),
            Some((
                Tool::Infralint,
                vec!["SG001".into(), "open-ingress".into()],
                Some("legacy VPN".into())
            ))
        );
        assert_eq!(
            body("infralint:ignore[SG001]"),
            Some((Tool::Infralint, vec!["SG001".into()], None))
        );
        assert_eq!(
            body("checkov:skip=CKV_AWS_24:SSH from bastion"),
            Some((
                Tool::Checkov,
                vec!["CKV_AWS_24".into()],
                Some("SSH from bastion".into())
            ))
        );
        assert_eq!(
            body("tfsec:ignore:aws-ec2-no-public-ingress-sgr:exp:2030-01-01"),
            Some((
                Tool::Tfsec,
                vec!["aws-ec2-no-public-ingress-sgr".into()],
                None
            ))
        );
        assert_eq!(
            body("trivy:ignore:AVD-AWS-0107 trivy:ignore:AVD-AWS-0104"),
            Some((
                Tool::Trivy,
                vec!["AVD-AWS-0107".into(), "AVD-AWS-0104".into()],
                None
            ))
        );
        assert_eq!(
            body("hadolint ignore=DL3008,DL3009"),
            Some((Tool::Hadolint, vec!["DL3008".into(), "DL3009".into()], None))
        );
        assert_eq!(body("just a comment"), None);
    }

    #[test]
    fn finds_trailing_and_slash_comments() {
        let d = parse_line(
            "  cidr = \"0.0.0.0/0\" // infralint:ignore[SG001] ok",
            3,
            FileId(0),
            10,
        )
        .unwrap();
        assert!(d.trailing);
        assert_eq!(d.line, 3);
        assert_eq!(d.ids, vec!["SG001"]);
        let d = parse_line("/* infralint:ignore[SG001] ok */", 1, FileId(0), 0).unwrap();
        assert_eq!(d.reason.as_deref(), Some("ok"));
        let d = parse_line("# infralint:ignore[SG001] ok", 1, FileId(0), 0).unwrap();
        assert!(!d.trailing);
        assert_eq!(d.span, Span::new(FileId(0), 0, 28));
    }
}
