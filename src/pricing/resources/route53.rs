//! Route 53 hosted zones (first-25-zones price) and DNS queries (usage, tiered at 1B).

use crate::pricing::context::{Ctx, Tier, Unknown, tiered};
use crate::pricing::{Component, Outcome};

pub fn zone(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let mut out = vec![
        Component::fixed(
            "Hosted zone",
            "months",
            1.0,
            ctx.global_price("route53", "hosted-zone-month", "tier=first 25 zones"),
        )
        .with_note("zones beyond 25 in an account cost less (not applied)"),
    ];
    const B: f64 = 1e9;
    let q = |res: &str, t: &str| ctx.global_price("route53", res, &format!("tier={t}"));
    out.extend(tiered(
        "Standard queries",
        "queries",
        ctx.usage("monthly_standard_queries"),
        vec![
            Tier {
                size: B,
                label: "first 1B",
                price: q("queries-standard", "first 1B/month"),
            },
            Tier {
                size: f64::INFINITY,
                label: "over 1B",
                price: q("queries-standard", "over 1B/month"),
            },
        ],
    ));
    for (key, name, res) in [
        (
            "monthly_latency_based_queries",
            "Latency based routing queries",
            "queries-latency",
        ),
        ("monthly_geo_queries", "Geo DNS queries", "queries-geo"),
    ] {
        if let Some(n) = ctx.usage(key) {
            out.push(Component::usage(
                name,
                "queries",
                Some(n),
                q(res, "first 1B/month"),
            ));
        }
    }
    Ok(Outcome::Priced(out))
}

/// Route 53 Resolver endpoint: one elastic network interface per `ip_address` block, billed
/// hourly.
pub fn resolver_endpoint(ctx: &Ctx) -> Result<Outcome, Unknown> {
    use crate::pricing::HOURS_PER_MONTH;
    let enis = ctx.blocks("ip_address").len();
    if enis == 0 {
        return Err("no `ip_address` blocks (one billed interface each)".into());
    }
    Ok(Outcome::Priced(vec![Component::fixed(
        format!("Resolver endpoint ({enis} ENIs)"),
        "hours",
        HOURS_PER_MONTH * enis as f64,
        ctx.price("route53", "resolver-endpoint-eni-hour", ""),
    )]))
}
