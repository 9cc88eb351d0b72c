//! Lambda: requests and duration (GB-seconds, tiered) from usage; architecture and memory
//! from the function.

use crate::ir::Value;
use crate::pricing::context::{Ctx, Tier, Unknown, tiered};
use crate::pricing::{Component, Outcome};

pub fn function(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let memory_mb = ctx.num("memory_size")?.unwrap_or(128.0);
    let arch = match ctx.attr("architectures").and_then(Value::as_list) {
        Some(l) if l.iter().any(|v| v.as_str() == Some("arm64")) => "arm64",
        _ => "x86_64",
    };
    if ctx
        .attr("architectures")
        .is_some_and(Value::contains_unknown)
    {
        return Err("`architectures` is unknown".into());
    }
    let requests = ctx.usage("monthly_requests");
    let gb_seconds = match (requests, ctx.usage("request_duration_ms")) {
        (Some(r), Some(ms)) => Some(r * (ms / 1000.0) * (memory_mb / 1024.0)),
        _ => None,
    };
    let mut out = vec![Component::usage(
        "Requests",
        "requests",
        requests,
        ctx.price("lambda", "requests", &format!("arch={arch}")),
    )];
    let tier = |t: &str| ctx.price("lambda", "duration", &format!("arch={arch};tier={t}"));
    let tiers = if arch == "arm64" {
        vec![
            Tier {
                size: 7.5e9,
                label: "first 7.5B GB-s",
                price: tier("first 7.5B GB-s/month"),
            },
            Tier {
                size: 11.25e9,
                label: "next 11.25B GB-s",
                price: tier("next 11.25B GB-s/month"),
            },
            Tier {
                size: f64::INFINITY,
                label: "over 18.75B GB-s",
                price: tier("over 18.75B GB-s/month"),
            },
        ]
    } else {
        vec![
            Tier {
                size: 6e9,
                label: "first 6B GB-s",
                price: tier("first 6B GB-s/month"),
            },
            Tier {
                size: 9e9,
                label: "next 9B GB-s",
                price: tier("next 9B GB-s/month"),
            },
            Tier {
                size: f64::INFINITY,
                label: "over 15B GB-s",
                price: tier("over 15B GB-s/month"),
            },
        ]
    };
    out.extend(tiered(
        &format!("Duration ({arch}, {} MB)", memory_mb),
        "GB-seconds",
        gb_seconds,
        tiers,
    ));
    Ok(Outcome::Priced(out))
}
