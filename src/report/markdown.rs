//! `--format markdown`: a pull-request comment a reviewer reads in ten seconds.
//!
//! Starts with the hidden marker `<!-- infralint -->` (bots find and update their comment by
//! it), then a headline, the optional cost section, a findings table and the details folded in
//! `<details>`. The whole comment stays under GitHub's 65,536-character limit: rows that do not
//! fit are dropped with a visible note.

use std::fmt::Write as _;

use super::Report;
use crate::diagnostic::Severity;
use crate::finding::Finding;

/// The hidden marker that identifies infralint's comment.
pub const MARKER: &str = "<!-- infralint -->";

/// GitHub's limit on the body of a comment.
pub const MAX_COMMENT_CHARS: usize = 65_536;

/// Room kept for the closing lines and the truncation note.
const RESERVE: usize = 1_024;

#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Severity at which the run fails (decides ✅ or ❌).
    pub fail_on: Severity,
    /// Character budget of the whole comment.
    pub max_chars: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            fail_on: Severity::Low,
            max_chars: MAX_COMMENT_CHARS,
        }
    }
}

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "🟣",
        Severity::High => "🔴",
        Severity::Medium => "🟠",
        Severity::Low => "🟡",
        Severity::Info => "🔵",
    }
}

/// Makes text safe inside a table cell or a paragraph: no HTML, no pipes, one line.
fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

fn code(s: &str) -> String {
    let s = cell(s).replace('`', "'");
    format!("`{s}`")
}

fn row(report: &Report<'_>, f: &Finding) -> String {
    let loc = report.result.model.sources.locate(f.span);
    format!(
        "| {} {} | {} {} | {} | {} |\n",
        icon(f.severity),
        f.severity,
        code(&f.rule_id),
        cell(&f.slug),
        f.address.as_deref().map_or_else(|| "—".to_string(), code),
        code(&format!("{}:{}", loc.file, loc.line)),
    )
}

fn detail(report: &Report<'_>, f: &Finding) -> String {
    let loc = report.result.model.sources.locate(f.span);
    let mut s = format!(
        "- **{}** {} — {}: {}\n",
        code(&f.rule_id),
        cell(&f.slug),
        code(&format!("{}:{}:{}", loc.file, loc.line, loc.column)),
        cell(&f.message)
    );
    if let Some(h) = report.hint(&f.rule_id) {
        let _ = writeln!(s, "  <br>Fix: {}", cell(&h));
    }
    s
}

/// Dockerfiles listed at most in the image-size section.
const MAX_IMAGES: usize = 10;

/// `### 📦 Image size`: one line per Dockerfile with the estimate's range, main contributors
/// and unknown parts (see `docs/image-size.md`). Empty without Dockerfiles.
fn image_sizes(report: &Report<'_>) -> String {
    let estimates = crate::image_size::estimate_all(&report.result.model);
    if estimates.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n### 📦 Image size (static estimate)\n\n");
    for e in estimates.iter().take(MAX_IMAGES) {
        let _ = writeln!(s, "- {}: {}", code(&e.file), cell(&e.summary()));
    }
    if estimates.len() > MAX_IMAGES {
        let _ = writeln!(
            s,
            "- _{} more Dockerfiles not shown._",
            estimates.len() - MAX_IMAGES
        );
    }
    s
}

pub fn render(report: &Report<'_>, options: MarkdownOptions) -> String {
    let findings = &report.result.findings;
    let failing = report.result.fails(options.fail_on);
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}");
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let n = findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    let mark = if failing { "❌" } else { "✅" };
    if findings.is_empty() {
        let _ = writeln!(out, "## {mark} infralint: no findings");
    } else {
        let _ = writeln!(
            out,
            "## {mark} infralint: {} finding{} ({})",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            counts.join(", ")
        );
    }
    let files = report.result.model.sources.len();
    let mut facts = vec![format!(
        "{files} file{} scanned",
        if files == 1 { "" } else { "s" }
    )];
    if failing {
        facts.push(format!("fails at `{}` and above", options.fail_on));
    }
    let suppressed = report.suppressed.len() - report.baselined();
    if suppressed > 0 {
        facts.push(format!("{suppressed} suppressed"));
    }
    if report.baselined() > 0 {
        facts.push(format!("{} in baseline", report.baselined()));
    }
    let _ = writeln!(out, "\n{}.", facts.join(" · "));
    if let Some(cost) = &report.cost {
        let _ = writeln!(out, "\n### 💰 Cost\n\n{}\n", cell(&cost.headline));
        if !cost.markdown.trim().is_empty() {
            let _ = writeln!(out, "{}\n", cost.markdown.trim_end());
        }
    }
    out.push_str(&image_sizes(report));
    if findings.is_empty() {
        return out;
    }

    // Most severe first, so truncation drops the least important rows.
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let budget = options.max_chars.saturating_sub(RESERVE);
    let header = "\n| Severity | Rule | Resource | Location |\n|---|---|---|---|\n";
    out.push_str(header);
    let mut used = out.chars().count();
    let mut shown = 0;
    for f in &ordered {
        let r = row(report, f);
        let n = r.chars().count();
        if used + n > budget {
            break;
        }
        out.push_str(&r);
        used += n;
        shown += 1;
    }
    let mut details = String::from("\n<details>\n<summary>Details</summary>\n\n");
    used += details.chars().count() + "\n</details>\n".len();
    let mut detailed = 0;
    for f in &ordered[..shown] {
        let d = detail(report, f);
        let n = d.chars().count();
        if used + n > budget {
            break;
        }
        details.push_str(&d);
        used += n;
        detailed += 1;
    }
    if detailed > 0 {
        if detailed < shown {
            let _ = writeln!(details, "\n_{} more not detailed._", shown - detailed);
        }
        details.push_str("\n</details>\n");
        out.push_str(&details);
    }
    if shown < findings.len() {
        let _ = writeln!(
            out,
            "\n> [!WARNING]\n> {} of {} findings are not shown: the comment would exceed \
             GitHub's {}-character limit. Run `infralint check` locally or see the code \
             scanning results for the full list.",
            findings.len() - shown,
            findings.len(),
            MAX_COMMENT_CHARS
        );
    }
    out
}
