//! CloudWatch: log groups (ingestion, storage, Insights queries from usage), metric alarms
//! and dashboards. Free tiers are not subtracted.

use crate::ir::Value;
use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, Outcome};

pub fn log_group(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let infrequent = ctx.str("log_group_class")?.as_deref() == Some("INFREQUENT_ACCESS");
    let (label, res) = if infrequent {
        (
            "Data ingested (Infrequent Access)",
            "logs-ingestion-infrequent-access",
        )
    } else {
        ("Data ingested", "logs-ingestion-standard")
    };
    Ok(Outcome::Priced(vec![
        Component::usage(
            label,
            "GB",
            ctx.usage("monthly_data_ingested_gb")
                .or_else(|| ctx.usage("monthly_ingested_gb")),
            ctx.price("cloudwatch", res, ""),
        ),
        Component::usage(
            "Archival storage",
            "GB-month",
            ctx.usage("storage_gb"),
            ctx.price("cloudwatch", "logs-storage", ""),
        ),
        Component::usage(
            "Insights queries data scanned",
            "GB",
            ctx.usage("monthly_data_scanned_gb"),
            ctx.price("cloudwatch", "logs-insights-scanned", ""),
        ),
    ]))
}

pub fn metric_alarm(ctx: &Ctx) -> Result<Outcome, Unknown> {
    // Alarms on metric math count every metric they query; others watch one metric.
    let queries = ctx.blocks("metric_query");
    let metrics = queries
        .iter()
        .filter(|q| q.get("metric").is_some_and(|m| !m.is_null()))
        .count()
        .max(1);
    let high_res = match ctx.num("period")? {
        Some(p) => p < 60.0,
        None => queries.iter().any(|q| {
            q.get_path("metric.0.period")
                .or_else(|| q.get_path("metric.period"))
                .and_then(Value::as_f64)
                .is_some_and(|p| p < 60.0)
        }),
    };
    let (name, res) = if high_res {
        ("High resolution alarm metrics", "alarm-high-resolution")
    } else {
        (
            "Standard resolution alarm metrics",
            "alarm-standard-resolution",
        )
    };
    Ok(Outcome::Priced(vec![Component::fixed(
        name,
        "alarm metrics",
        metrics as f64,
        ctx.price("cloudwatch", res, ""),
    )]))
}

pub fn dashboard(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![
        Component::fixed(
            "Dashboard",
            "months",
            1.0,
            ctx.global_price("cloudwatch", "dashboard-month", ""),
        )
        .with_note("the first 3 dashboards of an account are free (not subtracted)"),
    ]))
}
