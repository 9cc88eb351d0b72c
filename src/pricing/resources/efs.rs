//! EFS file systems: storage by class (usage) and provisioned throughput.

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, Outcome};

pub fn file_system(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let one_zone = ctx
        .attr("availability_zone_name")
        .is_some_and(|v| !v.is_null());
    let (std_res, ia_res, label) = if one_zone {
        ("onezone-storage", "onezone-ia-storage", "One Zone")
    } else {
        ("standard-storage", "ia-storage", "Standard")
    };
    let mut out = vec![
        Component::usage(
            format!("Storage ({label})"),
            "GB-month",
            ctx.usage("storage_gb"),
            ctx.price("efs", std_res, ""),
        ),
        Component::usage(
            format!("Storage ({label}-Infrequent Access)"),
            "GB-month",
            ctx.usage("infrequent_access_storage_gb"),
            ctx.price("efs", ia_res, ""),
        ),
    ];
    if ctx.str("throughput_mode")?.as_deref() == Some("provisioned") {
        let mibps = ctx
            .num("provisioned_throughput_in_mibps")?
            .ok_or("`provisioned_throughput_in_mibps` is not set")?;
        out.push(
            Component::fixed(
                "Provisioned throughput",
                "MBps-month",
                mibps,
                ctx.price("efs", "provisioned-throughput", ""),
            )
            .with_note("throughput included with stored data is not subtracted (upper bound)"),
        );
    }
    Ok(Outcome::Priced(out))
}
