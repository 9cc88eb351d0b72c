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

/// `aws_eks_node_group`: `scaling_config.desired_size` × on-demand price of the first
/// `instance_types` entry (EKS default t3.medium) + a `disk_size` GB gp2 volume per node
/// (EKS default 20 GB) when no launch template is used.
pub fn node_group(ctx: &Ctx) -> Result<Outcome, Unknown> {
    use crate::ir::Value;
    use crate::pricing::context::num_of;
    use crate::pricing::resources::ebs::{self, Volume};
    use crate::pricing::resources::fmt_num;

    let scaling = ctx
        .block("scaling_config")
        .ok_or("`scaling_config` is not set")?;
    let nodes = num_of("scaling_config.desired_size", scaling.get("desired_size"))?
        .ok_or("`scaling_config.desired_size` is not set")?;
    let types = ctx.attr("instance_types");
    if types.is_some_and(Value::contains_unknown) {
        return Err("`instance_types` is unknown".into());
    }
    let launch_template = !ctx.blocks("launch_template").is_empty();
    let itype = match types.and_then(Value::as_list).and_then(|l| l.first()) {
        Some(t) => t
            .as_str()
            .map(str::to_string)
            .ok_or("`instance_types` is not a list of strings")?,
        None if launch_template => {
            return Err("instance type comes from the launch template (not followed)".into());
        }
        None => "t3.medium".to_string(),
    };
    let spot = ctx.str("capacity_type")?.as_deref() == Some("SPOT");
    let mut compute = Component::fixed(
        format!(
            "Instance usage (Linux/UNIX, on-demand, {itype}, {} nodes)",
            fmt_num(nodes)
        ),
        "hours",
        HOURS_PER_MONTH * nodes,
        ctx.price("ec2", &itype, ""),
    );
    if spot {
        compute = compute.with_note("capacity_type SPOT: on-demand price shown (upper bound)");
    }
    let mut out = vec![compute];
    if !launch_template {
        let size = ctx.num("disk_size")?.unwrap_or(20.0);
        let vol = Volume {
            kind: "gp2".into(),
            size_gb: size * nodes,
            iops: None,
            throughput: None,
        };
        out.extend(ebs::components(
            ctx,
            &format!("Node disks ({} × {} GB)", fmt_num(nodes), fmt_num(size)),
            &vol,
        ));
    }
    Ok(Outcome::Priced(out))
}
