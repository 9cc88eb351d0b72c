//! Amazon MQ brokers: instance type × deployment mode, plus storage (usage).

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::tables::attrs;
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

pub fn broker(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let itype = ctx.required_str("host_instance_type")?;
    let engine = ctx.required_str("engine_type")?.to_ascii_lowercase();
    let mode = ctx
        .str("deployment_mode")?
        .unwrap_or_else(|| "SINGLE_INSTANCE".into());
    let deployment = match mode.as_str() {
        "SINGLE_INSTANCE" => "single-instance",
        "ACTIVE_STANDBY_MULTI_AZ" => "active-standby",
        "CLUSTER_MULTI_AZ" => "cluster",
        other => return Err(format!("unsupported deployment_mode `{other}`")),
    };
    let storage_type = match ctx.str("storage_type")? {
        Some(s) => s,
        None if engine == "activemq" => "efs".into(),
        None => "ebs".into(),
    };
    let storage_key = if storage_type == "ebs" {
        "storage_type=ebs"
    } else {
        "storage_type=efs-durability-optimized"
    };
    Ok(Outcome::Priced(vec![
        Component::fixed(
            format!("Broker ({engine}, {itype}, {deployment})"),
            "hours",
            HOURS_PER_MONTH,
            ctx.price(
                "mq",
                &itype,
                &attrs(&[("deployment", deployment), ("engine", &engine)]),
            ),
        ),
        Component::usage(
            format!("Storage ({storage_type})"),
            "GB-month",
            ctx.usage("storage_size_gb"),
            ctx.price("mq", "broker-storage", storage_key),
        ),
    ]))
}
