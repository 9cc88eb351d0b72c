//! Rule documentation generated from the rule files: `docs/rules/<ID>.md` per rule and
//! `docs/rules/README.md` (the index), plus a plain rendering for `infralint explain`.
//!
//! Regenerate the checked-in pages with `INFRALINT_BLESS=1 cargo test --test rules_docs`.

use std::fmt::Write as _;

use super::Registry;
use super::registry::{Rule, RuleImpl};

fn implementation(rule: &Rule) -> String {
    match &rule.imp {
        RuleImpl::Core => "core diagnostic (raised while reading and evaluating files)".into(),
        RuleImpl::Builtin(name, _) => format!("built-in check `{name}`"),
        RuleImpl::Condition(_) => "declarative condition".into(),
        RuleImpl::Invalid(e) => format!("invalid: {e}"),
    }
}

fn block(out: &mut String, lang: &str, code: &str) {
    let _ = writeln!(out, "```{lang}");
    out.push_str(code.trim_matches('\n'));
    out.push_str("\n```\n");
}

/// The Markdown page of one rule.
pub fn rule_page(rule: &Rule) -> String {
    let m = &rule.meta;
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", m.id, m.title);
    let _ = writeln!(out, "| | |\n| --- | --- |");
    let _ = writeln!(out, "| ID | `{}` |", m.id);
    let _ = writeln!(out, "| Slug | `{}` |", m.slug);
    let _ = writeln!(out, "| Pack | `{}` |", m.pack);
    let _ = writeln!(out, "| Severity | {} |", m.severity);
    let _ = writeln!(
        out,
        "| Enabled by default | {} |",
        if m.default_enabled {
            "yes"
        } else {
            "no (opt-in)"
        }
    );
    if !m.aliases.is_empty() {
        let aliases: Vec<String> = m.aliases.iter().map(|a| format!("`{a}`")).collect();
        let _ = writeln!(out, "| Aliases | {} |", aliases.join(", "));
    }
    let _ = writeln!(out, "| Implementation | {} |", implementation(rule));
    let _ = writeln!(out, "\n## Description\n\n{}\n", m.description.trim());
    let _ = writeln!(out, "## Remediation\n\n{}\n", m.remediation.trim());
    let _ = writeln!(out, "## Example\n\nFails:\n");
    block(&mut out, &m.example.language, &m.example.bad);
    let _ = writeln!(out, "\nPasses:\n");
    block(&mut out, &m.example.language, &m.example.good);
    if !m.references.is_empty() {
        let _ = writeln!(out, "\n## References\n");
        for r in &m.references {
            let _ = writeln!(out, "- <{r}>");
        }
    }
    out
}

/// The index page: every rule, grouped by pack.
pub fn index_page(registry: &Registry) -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from `rules/`; do not edit by hand. Regenerate with \
         `INFRALINT_BLESS=1 cargo test --test rules_docs`.\n",
    );
    for pack in registry.packs() {
        let _ = writeln!(
            out,
            "\n## {pack}\n\n| ID | Slug | Severity | Default | Title |\n| --- | --- | --- | --- | --- |"
        );
        for r in registry.rules().iter().filter(|r| r.meta.pack == pack) {
            let m = &r.meta;
            let _ = writeln!(
                out,
                "| [{}]({}.md) | `{}` | {} | {} | {} |",
                m.id,
                m.id,
                m.slug,
                m.severity,
                if m.default_enabled { "on" } else { "off" },
                m.title.replace('|', "\\|")
            );
        }
    }
    out
}

/// Every generated file: `(file name inside docs/rules, content)`, for the built-in rules.
pub fn generate(registry: &Registry) -> Vec<(String, String)> {
    let mut files = vec![("README.md".to_string(), index_page(registry))];
    for r in registry.rules().iter().filter(|r| r.builtin) {
        files.push((format!("{}.md", r.meta.id), rule_page(r)));
    }
    files
}

/// A rule page for a terminal: headings without `#`, code blocks indented, no table syntax.
pub fn render_plain(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            let _ = writeln!(out, "    {line}");
        } else if let Some(h) = line.strip_prefix("# ") {
            let _ = writeln!(out, "{h}\n{}", "=".repeat(h.chars().count()));
        } else if let Some(h) = line.strip_prefix("## ") {
            let _ = writeln!(out, "{h}\n{}", "-".repeat(h.chars().count()));
        } else if line == "| | |" || line.starts_with("| ---") {
            continue;
        } else if let Some(row) = line.strip_prefix("| ") {
            let cells: Vec<&str> = row.trim_end_matches(" |").split(" | ").collect();
            if let [k, v] = cells.as_slice() {
                let _ = writeln!(out, "{:<20}{}", format!("{k}:"), v.replace('`', ""));
            } else {
                let _ = writeln!(out, "{line}");
            }
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
