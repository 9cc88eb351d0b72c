//! KMS customer managed keys: a monthly fee plus requests (usage).

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, Outcome};

pub fn key(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let spec = ctx
        .str("customer_master_key_spec")?
        .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
    let mut out = vec![Component::fixed(
        "Customer managed key",
        "months",
        1.0,
        ctx.price("kms", "key-month", ""),
    )];
    let requests = Component::usage(
        "Requests",
        "requests",
        ctx.usage("monthly_requests"),
        ctx.price("kms", "symmetric-requests", ""),
    );
    out.push(if spec == "SYMMETRIC_DEFAULT" {
        requests
    } else {
        requests.with_note(format!("{spec} key: symmetric request price shown"))
    });
    Ok(Outcome::Priced(out))
}
