//! `--format github`: workflow commands that GitHub Actions shows as annotations.
//!
//! `::error file=main.tf,line=3,col=5,endLine=3,endColumn=16,title=SG001[open-ingress]::message`

use super::Report;
use crate::diagnostic::Severity;

/// The annotation command of a severity.
pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (as data, plus `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let sources = &report.result.model.sources;
    for f in &report.result.findings {
        let loc = sources.locate(f.span);
        let title = format!("{}[{}] ({})", f.rule_id, f.slug, f.severity);
        let mut message = f.message.clone();
        if let Some(a) = &f.address {
            message.push_str(&format!("\nResource: {a}"));
        }
        if let Some(h) = report.hint(&f.rule_id) {
            message.push_str(&format!("\nFix: {h}"));
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            command(f.severity),
            escape_property(&loc.file),
            loc.line,
            loc.column,
            loc.end_line,
            loc.end_column,
            escape_property(&title),
            escape_data(&message),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_workflow_command_rules() {
        assert_eq!(escape_data("100% a\r\nb"), "100%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
