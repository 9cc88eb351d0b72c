//! Human output: a code frame per finding (rendered by miette), then a summary.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::{Report, Summary};
use crate::CheckResult;
use crate::diagnostic::Severity;
use crate::finding::Finding;
use crate::source::FileId;

/// Text rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    pub color: bool,
    /// Findings only, no summary.
    pub quiet: bool,
}

#[derive(Debug)]
struct Frame {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<Arc<str>>,
    label: LabeledSpan,
}

impl std::fmt::Display for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Frame {}

impl miette::Diagnostic for Frame {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium | Severity::Low => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Renders one finding as a code frame.
pub fn render_finding(
    result: &CheckResult,
    finding: &Finding,
    hint: Option<&str>,
    handler: &GraphicalReportHandler,
) -> String {
    let file = result.model.sources.get(finding.span.file);
    let span = finding.span;
    let frame = Frame {
        code: format!("{}[{}]", finding.rule_id, finding.slug),
        message: format!("{} ({})", finding.message, finding.severity),
        severity: miette_severity(finding.severity),
        help: help_line(finding, hint),
        source: NamedSource::new(&file.display_path, file.text.clone()),
        label: LabeledSpan::new_primary_with_span(
            Some(finding.slug.clone()),
            (span.start as usize, (span.end - span.start) as usize),
        ),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &frame).is_err() {
        let loc = result.model.sources.locate(span);
        out = format!(
            "{}:{}:{}: {} {}\n",
            loc.file, loc.line, loc.column, frame.code, frame.message
        );
    }
    out
}

/// The help line under a frame: the fix hint and the resource address.
fn help_line(finding: &Finding, hint: Option<&str>) -> Option<String> {
    match (hint, &finding.address) {
        (Some(h), Some(a)) => Some(format!("{h} (in {a})")),
        (Some(h), None) => Some(h.to_string()),
        (None, Some(a)) => Some(format!("in {a}")),
        (None, None) => None,
    }
}

pub fn render(report: &Report<'_>, options: TextOptions) -> String {
    let result = &report.result;
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    // Findings per file for the headings, counted once rather than rescanning every finding
    // at each new file.
    let mut per_file: HashMap<FileId, usize> = HashMap::new();
    for f in &result.findings {
        *per_file.entry(f.span.file).or_default() += 1;
    }
    let mut current_file = None;
    for f in &result.findings {
        if current_file != Some(f.span.file) {
            current_file = Some(f.span.file);
            let path = &result.model.sources.get(f.span.file).display_path;
            let n = per_file[&f.span.file];
            if !out.is_empty() {
                out.push('\n');
            }
            let heading = format!("{path} ({n} finding{})", if n == 1 { "" } else { "s" });
            if options.color {
                let _ = writeln!(out, "\x1b[1;4m{heading}\x1b[0m");
            } else {
                let _ = writeln!(out, "{heading}");
            }
        }
        let hint = report.hint(&f.rule_id);
        out.push_str(&render_finding(result, f, hint.as_deref(), &handler));
    }
    if let Some(unknowns) = &result.unknowns {
        if unknowns.is_empty() {
            let _ = writeln!(out, "Undecided: none, every selected rule was decided.");
        } else {
            let _ = writeln!(
                out,
                "Undecided ({}): a value these rules need is unknown",
                unknowns.len()
            );
        }
        for u in unknowns {
            let _ = writeln!(out, "  {}", u.to_line(&result.model.sources));
        }
    }
    if !options.quiet {
        let s = Summary::of(result);
        let counts: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|sev| {
                let n = s.by_severity.get(sev.as_str()).copied().unwrap_or(0);
                (n > 0).then(|| format!("{n} {sev}"))
            })
            .collect();
        if s.findings == 0 {
            let _ = writeln!(
                out,
                "No findings in {} file{}.",
                s.files_scanned,
                if s.files_scanned == 1 { "" } else { "s" }
            );
        } else {
            let _ = writeln!(
                out,
                "Found {} finding{} ({}) in {} file{}.",
                s.findings,
                if s.findings == 1 { "" } else { "s" },
                counts.join(", "),
                s.files_scanned,
                if s.files_scanned == 1 { "" } else { "s" }
            );
        }
        let packs: Vec<String> = s.by_pack.iter().map(|(p, n)| format!("{p}: {n}")).collect();
        if !packs.is_empty() {
            let _ = writeln!(out, "By pack: {}.", packs.join(", "));
        }
        let baselined = report.baselined();
        let suppressed = report.suppressed.len() - baselined;
        if suppressed > 0 || baselined > 0 {
            let _ = writeln!(
                out,
                "{suppressed} suppressed by comments or config, {baselined} hidden by the baseline."
            );
        }
        if let Some(cost) = &report.cost {
            let _ = writeln!(out, "Cost: {}", cost.headline);
        }
        if let Some(t) = report.elapsed {
            let _ = writeln!(out, "Checked in {:.2}s.", t.as_secs_f64());
        }
        if s.files_failed > 0 {
            let _ = writeln!(out, "{} file(s) could not be checked.", s.files_failed);
        }
    }
    out
}
