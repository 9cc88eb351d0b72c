//! ECR repositories: image storage (usage).

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, Outcome};

pub fn repository(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![Component::usage(
        "Storage",
        "GB-month",
        ctx.usage("storage_gb"),
        ctx.price("ecr", "storage", ""),
    )]))
}
