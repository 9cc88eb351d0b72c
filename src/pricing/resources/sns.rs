//! SNS topics: publish requests (usage), billed per 64 KB chunk.

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, Outcome};

pub fn topic(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let fifo = ctx.boolean("fifo_topic")?.unwrap_or(false);
    let chunks = (ctx.usage("request_size_kb").unwrap_or(64.0) / 64.0)
        .ceil()
        .max(1.0);
    let res = if fifo {
        "fifo-publish-api-requests"
    } else {
        "standard-publish-api-requests"
    };
    Ok(Outcome::Priced(vec![Component::usage(
        "Publish requests",
        "requests",
        ctx.usage("monthly_requests").map(|r| r * chunks),
        ctx.price("sns", res, ""),
    )]))
}
