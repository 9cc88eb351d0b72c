//! Elastic Load Balancing: `aws_lb`/`aws_alb` (application, network, gateway) and `aws_elb`.

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

/// LCU dimensions per load balancer type: new connections per second, active connections
/// per minute and processed GB per hour that make one LCU (AWS pricing page).
fn lcu_dimensions(kind: &str) -> (f64, f64, f64) {
    match kind {
        "network" => (800.0, 100_000.0, 1.0),
        "gateway" => (600.0, 60_000.0, 1.0),
        _ => (25.0, 3_000.0, 1.0),
    }
}

/// LCU-hours per month from Infracost's usage keys: `new_connections` (per second),
/// `active_connections` (per minute), `processed_bytes_gb` (per month),
/// `rule_evaluations` (per second, application only; 1,000 per LCU).
fn monthly_lcu_hours(ctx: &Ctx, kind: &str) -> Option<f64> {
    let keys = [
        "new_connections",
        "active_connections",
        "processed_bytes_gb",
        "rule_evaluations",
    ];
    if keys.iter().all(|k| ctx.usage(k).is_none()) {
        return None;
    }
    let (new_per_lcu, active_per_lcu, gb_per_lcu) = lcu_dimensions(kind);
    let new = ctx.usage("new_connections").unwrap_or(0.0) / new_per_lcu;
    let active = ctx.usage("active_connections").unwrap_or(0.0) / active_per_lcu;
    let bytes = ctx.usage("processed_bytes_gb").unwrap_or(0.0) / HOURS_PER_MONTH / gb_per_lcu;
    let rules = if kind == "application" {
        ctx.usage("rule_evaluations").unwrap_or(0.0) / 1000.0
    } else {
        0.0
    };
    Some(new.max(active).max(bytes).max(rules) * HOURS_PER_MONTH)
}

pub fn load_balancer(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let kind = ctx
        .str("load_balancer_type")?
        .unwrap_or_else(|| "application".to_string());
    let (prefix, label, lcu_unit) = match kind.as_str() {
        "application" => ("alb", "Application load balancer", "LCU-hours"),
        "network" => ("nlb", "Network load balancer", "NLCU-hours"),
        "gateway" => ("gwlb", "Gateway load balancer", "GLCU-hours"),
        other => return Err(format!("unsupported load_balancer_type `{other}`")),
    };
    let type_attr = format!("type={kind}");
    Ok(Outcome::Priced(vec![
        Component::fixed(
            label,
            "hours",
            HOURS_PER_MONTH,
            ctx.price("elb", &format!("{prefix}-hour"), &type_attr),
        ),
        Component::usage(
            "Load balancer capacity units",
            lcu_unit,
            monthly_lcu_hours(ctx, &kind),
            ctx.price("elb", &format!("{prefix}-lcu-hour"), &type_attr),
        ),
    ]))
}

pub fn classic(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![
        Component::fixed(
            "Classic load balancer",
            "hours",
            HOURS_PER_MONTH,
            ctx.price("elb", "clb-hour", "type=classic"),
        ),
        Component::usage(
            "Data processed",
            "GB",
            ctx.usage("monthly_data_processed_gb"),
            ctx.price("elb", "clb-data-processed", "type=classic"),
        ),
    ]))
}
