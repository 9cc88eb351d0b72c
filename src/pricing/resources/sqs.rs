//! SQS queues: requests (usage), billed per 64 KB chunk, tiered at 100B and 200B.

use crate::pricing::Outcome;
use crate::pricing::context::{Ctx, Tier, Unknown, tiered};

pub fn queue(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let fifo = ctx.boolean("fifo_queue")?.unwrap_or(false);
    let chunks = (ctx.usage("request_size_kb").unwrap_or(64.0) / 64.0)
        .ceil()
        .max(1.0);
    let (q, first) = if fifo {
        ("fifo", "first 100B/month")
    } else {
        ("standard", "first 100B/month (after 1M free)")
    };
    let p = |res: &str, tier: &str| ctx.price("sqs", res, &format!("queue={q};tier={tier}"));
    let tiers = vec![
        Tier {
            size: 100e9,
            label: "first 100B",
            price: p(&format!("{q}-requests-first-100b"), first),
        },
        Tier {
            size: 100e9,
            label: "next 100B",
            price: p(&format!("{q}-requests-next-100b-200b"), "100B-200B"),
        },
        Tier {
            size: f64::INFINITY,
            label: "over 200B",
            price: p(&format!("{q}-requests-over-200b"), ">200B"),
        },
    ];
    Ok(Outcome::Priced(tiered(
        if fifo { "FIFO requests" } else { "Requests" },
        "requests",
        ctx.usage("monthly_requests").map(|r| r * chunks),
        tiers,
    )))
}
