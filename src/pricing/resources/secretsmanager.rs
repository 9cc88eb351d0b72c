//! Secrets Manager: a monthly fee per secret plus API requests (usage).

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, Outcome};

pub fn secret(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![
        Component::fixed(
            "Secret",
            "months",
            1.0,
            ctx.price("secretsmanager", "secret-month", ""),
        ),
        Component::usage(
            "API requests",
            "requests",
            ctx.usage("monthly_requests"),
            ctx.price("secretsmanager", "api-request", ""),
        ),
    ]))
}
