//! DynamoDB tables: provisioned RCU/WCU, or on-demand request units (usage); storage and
//! PITR backups (usage). Standard and Standard-IA table classes.

use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

use super::fmt_num;

pub fn table(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let mode = ctx
        .str("billing_mode")?
        .unwrap_or_else(|| "PROVISIONED".into());
    let class = match ctx.str("table_class")?.as_deref() {
        Some("STANDARD_INFREQUENT_ACCESS") => "table_class=standard-ia",
        _ => "table_class=standard",
    };
    let mut out = Vec::new();
    if mode == "PAY_PER_REQUEST" {
        out.push(Component::usage(
            "Write request units",
            "WRU",
            ctx.usage("monthly_write_request_units"),
            ctx.price("dynamodb", "on-demand-write-request-units", class),
        ));
        out.push(Component::usage(
            "Read request units",
            "RRU",
            ctx.usage("monthly_read_request_units"),
            ctx.price("dynamodb", "on-demand-read-request-units", class),
        ));
    } else {
        let wcu = ctx
            .num("write_capacity")?
            .ok_or("`write_capacity` is not set")?;
        let rcu = ctx
            .num("read_capacity")?
            .ok_or("`read_capacity` is not set")?;
        out.push(Component::fixed(
            format!("Write capacity ({} WCU)", fmt_num(wcu)),
            "WCU-hours",
            wcu * HOURS_PER_MONTH,
            ctx.price("dynamodb", "provisioned-wcu-hour", class),
        ));
        out.push(Component::fixed(
            format!("Read capacity ({} RCU)", fmt_num(rcu)),
            "RCU-hours",
            rcu * HOURS_PER_MONTH,
            ctx.price("dynamodb", "provisioned-rcu-hour", class),
        ));
    }
    out.push(Component::usage(
        "Data storage",
        "GB-month",
        ctx.usage("storage_gb"),
        ctx.price("dynamodb", "storage", class),
    ));
    let pitr = ctx
        .block("point_in_time_recovery")
        .and_then(|b| b.get("enabled"))
        .and_then(|v| v.as_bool())
        == Some(true);
    if pitr {
        out.push(Component::usage(
            "Point-in-time recovery backup storage",
            "GB-month",
            ctx.usage("pitr_backup_storage_gb"),
            ctx.price("dynamodb", "pitr-backup-storage", ""),
        ));
    }
    Ok(Outcome::Priced(out))
}
