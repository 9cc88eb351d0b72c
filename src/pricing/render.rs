//! Cost report output: table (terminal), JSON and Markdown. Rounding happens only here.

use std::fmt::Write;

use super::{Component, CostReport, ResourceCost, Status};

/// `$15.18`; `-` for no cost.
pub fn money(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("${:.2}", round_cents(v)),
        None => "-".to_string(),
    }
}

fn round_cents(v: f64) -> f64 {
    // Round half away from zero on the decimal value, not on its binary approximation.
    let r = (v * 100.0 * 1e6).round() / 1e6;
    r.round() / 100.0
}

/// A unit price with its significant digits (`$0.0208`, `$0.0000002`).
pub fn unit_price(x: Option<f64>) -> String {
    match x {
        None => "-".to_string(),
        Some(v) => {
            let s = format!("{:.10}", v);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            let s = if let Some((i, f)) = s.split_once('.') {
                if f.len() < 2 {
                    format!("{i}.{f:0<2}")
                } else {
                    s.to_string()
                }
            } else {
                format!("{s}.00")
            };
            format!("${s}")
        }
    }
}

/// A quantity with at most 4 decimals.
pub fn quantity(x: Option<f64>) -> String {
    match x {
        None => "-".to_string(),
        Some(v) => {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

fn component_cost(c: &Component) -> String {
    match (c.monthly_cost, c.usage_based) {
        (Some(v), _) => money(Some(v)),
        (None, true) if c.unit_price.is_some() => "usage-based".to_string(),
        _ => "not priced".to_string(),
    }
}

fn resource_cost(r: &ResourceCost) -> String {
    let usage_missing = r
        .components
        .iter()
        .any(|c| c.usage_based && c.monthly_cost.is_none());
    match r.status {
        Status::Unknown => "unknown".to_string(),
        Status::UsageBased => "usage-based".to_string(),
        Status::Incomplete => format!("{} + ?", money(r.monthly_cost)),
        Status::Priced if usage_missing => format!("{} + usage", money(r.monthly_cost)),
        Status::Priced => money(r.monthly_cost),
    }
}

fn location(r: &ResourceCost) -> String {
    format!("{}:{}", r.file, r.line)
}

/// Plain-text table for terminals.
pub fn table(report: &CostReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<62} {:>12} {:<12} {:>12} {:>13}",
        "Name", "Monthly qty", "Unit", "Unit price", "Monthly cost"
    );
    for r in &report.resources {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}  ({}, {} via {})",
            r.address,
            location(r),
            r.region,
            r.region_source
        );
        let n = r.components.len();
        for (i, c) in r.components.iter().enumerate() {
            let branch = if i + 1 == n { "└─" } else { "├─" };
            let name: String = format!("{branch} {}", c.name);
            let _ = writeln!(
                out,
                "{:<62} {:>12} {:<12} {:>12} {:>13}",
                truncate(&name, 62),
                quantity(c.monthly_quantity),
                c.unit,
                unit_price(c.unit_price),
                component_cost(c)
            );
            if let Some(note) = &c.note {
                let _ = writeln!(
                    out,
                    "   {}  note: {note}",
                    if i + 1 == n { " " } else { "│" }
                );
            }
        }
        for note in &r.notes {
            let _ = writeln!(out, "   note: {note}");
        }
        let _ = writeln!(out, "{:<62} {:>52}", "   Total", resource_cost(r));
    }
    let _ = writeln!(out);
    summary_text(report, &mut out);
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn summary_text(report: &CostReport, out: &mut String) {
    if report.totals_by_scope.len() > 1 {
        let _ = writeln!(out, "Totals by module directory:");
        for s in &report.totals_by_scope {
            let _ = writeln!(
                out,
                "  {:<40} {:>12}/month {:>10}/hour  ({} resources)",
                s.scope,
                money(Some(s.monthly_cost)),
                unit_price(Some((s.hourly_cost * 1e4).round() / 1e4)),
                s.resources
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "OVERALL TOTAL: {}/month ({}/hour){}",
        money(Some(report.total_monthly_cost)),
        unit_price(Some((report.total_hourly_cost * 1e4).round() / 1e4)),
        if report.complete {
            ""
        } else {
            " (incomplete, see below)"
        }
    );
    if !report.usage_missing.is_empty() {
        let _ = writeln!(
            out,
            "\n{} usage-based components have no usage (pass --usage-file):",
            report.usage_missing.len()
        );
        for u in &report.usage_missing {
            let _ = writeln!(out, "  {u}");
        }
    }
    if !report.usage_unmatched.is_empty() {
        let _ = writeln!(out, "\nUsage file keys matching no resource:");
        for k in &report.usage_unmatched {
            let _ = writeln!(out, "  {k}");
        }
    }
    if !report.unpriced.is_empty() {
        let _ = writeln!(
            out,
            "\n{} resources not included in the total:",
            report.unpriced.len()
        );
        for u in &report.unpriced {
            let _ = writeln!(out, "  {} ({}:{}): {}", u.address, u.file, u.line, u.reason);
        }
    }
    if !report.hints.is_empty() {
        let _ = writeln!(out, "\nHints:");
        for h in &report.hints {
            let saving = h
                .monthly_saving
                .map(|s| format!(" (saves ~{}/month)", money(Some(s))))
                .unwrap_or_default();
            let _ = writeln!(out, "  {} [{}]: {}{saving}", h.address, h.id, h.message);
        }
    }
    if !report.free.is_empty() {
        let _ = writeln!(out, "\n{} free resources:", report.free.len());
        for u in &report.free {
            let _ = writeln!(out, "  {}: {}", u.address, u.reason);
        }
    }
    let _ = writeln!(
        out,
        "\nPrices: AWS on-demand list prices (USD), {} tables, effective {} (oldest price used); 730 hours/month.",
        report.prices.source, report.prices.effective_date
    );
}

/// JSON document (numbers unrounded except for 10-decimal noise removal).
pub fn json(report: &CostReport) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown, e.g. for pull request comments.
pub fn markdown(report: &CostReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Estimated monthly cost: {}{}\n",
        money(Some(report.total_monthly_cost)),
        if report.complete { "" } else { " (incomplete)" }
    );
    let _ = writeln!(out, "| Resource | Location | Region | Monthly cost |");
    let _ = writeln!(out, "|---|---|---|---:|");
    for r in &report.resources {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            md_escape(&r.address),
            md_escape(&location(r)),
            r.region,
            resource_cost(r)
        );
    }
    let _ = writeln!(out, "\n<details><summary>Components</summary>\n");
    let _ = writeln!(
        out,
        "| Resource | Component | Monthly qty | Unit | Unit price | Monthly cost |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---:|---:|");
    for r in &report.resources {
        for c in &r.components {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                md_escape(&r.address),
                md_escape(&c.name),
                quantity(c.monthly_quantity),
                c.unit,
                unit_price(c.unit_price),
                component_cost(c)
            );
        }
    }
    let _ = writeln!(out, "\n</details>\n");
    if report.totals_by_scope.len() > 1 {
        let _ = writeln!(out, "| Module directory | Monthly | Hourly |");
        let _ = writeln!(out, "|---|---:|---:|");
        for s in &report.totals_by_scope {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md_escape(&s.scope),
                money(Some(s.monthly_cost)),
                unit_price(Some((s.hourly_cost * 1e4).round() / 1e4))
            );
        }
        let _ = writeln!(out);
    }
    if !report.unpriced.is_empty() {
        let _ = writeln!(out, "**Not included ({}):**\n", report.unpriced.len());
        for u in &report.unpriced {
            let _ = writeln!(
                out,
                "- `{}`: {}",
                md_escape(&u.address),
                md_escape(&u.reason)
            );
        }
        let _ = writeln!(out);
    }
    if !report.usage_missing.is_empty() {
        let _ = writeln!(
            out,
            "**Usage-based, no usage given ({}):** {}\n",
            report.usage_missing.len(),
            report
                .usage_missing
                .iter()
                .map(|u| format!("`{}`", md_escape(u)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !report.hints.is_empty() {
        let _ = writeln!(out, "**Hints:**\n");
        for h in &report.hints {
            let saving = h
                .monthly_saving
                .map(|s| format!(" (saves ~{}/month)", money(Some(s))))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- `{}`: {}{saving}",
                md_escape(&h.address),
                md_escape(&h.message)
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "_AWS on-demand list prices (USD), {} tables, effective {}; 730 hours/month._",
        report.prices.source, report.prices.effective_date
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money_and_prices() {
        assert_eq!(money(Some(15.184)), "$15.18");
        assert_eq!(money(Some(0.005)), "$0.01");
        assert_eq!(money(Some(32.85)), "$32.85");
        assert_eq!(unit_price(Some(0.0208)), "$0.0208");
        assert_eq!(unit_price(Some(0.0000002)), "$0.0000002");
        assert_eq!(unit_price(Some(3.0)), "$3.00");
        assert_eq!(quantity(Some(730.0)), "730");
        assert_eq!(quantity(Some(0.125)), "0.125");
    }
}
