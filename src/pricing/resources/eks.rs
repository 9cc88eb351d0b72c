//! EKS clusters: the control plane, standard support.

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

pub fn cluster(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![
        Component::fixed(
            "EKS cluster (standard support)",
            "hours",
            HOURS_PER_MONTH,
            ctx.price("eks", "cluster-hour", "support=standard"),
        )
        .with_note(
            "extended support surcharge applies once the Kubernetes version leaves standard \
             support (not included)",
        ),
    ]))
}
