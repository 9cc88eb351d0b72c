//! RDS: `aws_db_instance` (PostgreSQL/MySQL) and Aurora (`aws_rds_cluster`,
//! `aws_rds_cluster_instance`), standard and I/O-Optimized storage.

use crate::ir::Object;
use crate::pricing::context::{Ctx, Unknown, str_of};
use crate::pricing::tables::attrs;
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

use super::fmt_num;

/// Engines with instance prices in the tables, as `aws_db_instance.engine` spells them.
fn table_engine(engine: &str) -> Option<&'static str> {
    match engine {
        "postgres" => Some("postgres"),
        "mysql" => Some("mysql"),
        _ => None,
    }
}

pub fn db_instance(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let class = ctx.required_str("instance_class")?;
    let engine = match ctx.str("engine")? {
        Some(e) => e,
        None if ctx.attr("replicate_source_db").is_some() => {
            return Err("`engine` is not set (read replica: inherited from the source)".into());
        }
        None => return Err("`engine` is not set".into()),
    };
    let multi_az = ctx.boolean("multi_az")?.unwrap_or(false);
    let deployment = if multi_az { "multi-az" } else { "single-az" };
    let mut out = Vec::new();
    let name = format!(
        "Database instance ({engine}, {class}, {})",
        if multi_az { "Multi-AZ" } else { "Single-AZ" }
    );
    match table_engine(&engine) {
        Some(te) => out.push(Component::fixed(
            name,
            "hours",
            HOURS_PER_MONTH,
            ctx.price(
                "rds_instances",
                &class,
                &attrs(&[("deployment", deployment), ("engine", te)]),
            ),
        )),
        None => out.push(Component::missing(
            name,
            "hours",
            Some(HOURS_PER_MONTH),
            "only PostgreSQL and MySQL instance prices are in the bundled tables",
        )),
    }

    let Some(size) = ctx.num("allocated_storage")? else {
        // Replicas and snapshot restores inherit their storage: not written here.
        out.push(Component::missing(
            "Storage",
            "GB-month",
            None,
            "`allocated_storage` is not set (inherited from a source database or snapshot)",
        ));
        return Ok(Outcome::Priced(out));
    };
    let iops = ctx.num("iops")?;
    let storage_type = ctx
        .str("storage_type")?
        .unwrap_or_else(|| if iops.is_some() { "io1" } else { "gp2" }.to_string());
    let dep = attrs(&[("deployment", deployment)]);
    let storage = |res: &str| {
        Component::fixed(
            format!("Storage ({storage_type}, {} GB)", fmt_num(size)),
            "GB-month",
            size,
            ctx.price("rds_storage", res, &dep),
        )
    };
    match storage_type.as_str() {
        "gp2" => out.push(storage("storage-gp2")),
        "gp3" => {
            out.push(storage("storage-gp3"));
            // gp3 baseline: 3,000 IOPS / 125 MiB/s below 400 GB, 12,000 / 500 from 400 GB.
            let (base_iops, base_tp) = if size >= 400.0 {
                (12000.0, 500.0)
            } else {
                (3000.0, 125.0)
            };
            if let Some(i) = iops.filter(|&i| i > base_iops) {
                out.push(Component::fixed(
                    format!("Provisioned IOPS above {}", fmt_num(base_iops)),
                    "IOPS-month",
                    i - base_iops,
                    ctx.price("rds_storage", "gp3-iops-above-baseline", &dep),
                ));
            }
            if let Some(t) = ctx.num("storage_throughput")?.filter(|&t| t > base_tp) {
                out.push(Component::fixed(
                    format!("Throughput above {} MiB/s", fmt_num(base_tp)),
                    "MBps-month",
                    t - base_tp,
                    ctx.price("rds_storage", "gp3-throughput-above-baseline", &dep),
                ));
            }
        }
        "io1" | "io2" => {
            out.push(storage(&format!("storage-{storage_type}")));
            let res = format!("{storage_type}-iops");
            let c = Component::fixed(
                "Provisioned IOPS",
                "IOPS-month",
                iops.unwrap_or(0.0),
                ctx.price("rds_storage", &res, &dep),
            );
            out.push(c);
        }
        "standard" => out.push(storage("storage-magnetic")),
        other => out.push(Component::missing(
            format!("Storage ({other})"),
            "GB-month",
            Some(size),
            "unknown RDS storage type",
        )),
    }
    out.push(Component::usage(
        "Additional backup storage",
        "GB-month",
        ctx.usage("additional_backup_storage_gb"),
        ctx.price("rds_storage", "backup-storage", "engine=non-aurora"),
    ));
    Ok(Outcome::Priced(out))
}

/// `aurora-mysql`/`aurora-postgresql` (legacy `aurora` is MySQL-compatible).
fn aurora_engine(engine: &str) -> Option<&'static str> {
    match engine {
        "aurora" | "aurora-mysql" => Some("aurora-mysql"),
        "aurora-postgresql" => Some("aurora-postgresql"),
        _ => None,
    }
}

fn storage_config(storage_type: Option<&str>) -> &'static str {
    if storage_type == Some("aurora-iopt1") {
        "io-optimized"
    } else {
        "standard"
    }
}

pub fn cluster(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let engine_raw = ctx.str("engine")?.unwrap_or_else(|| "aurora".to_string());
    let Some(engine) = aurora_engine(&engine_raw) else {
        return Ok(Outcome::Priced(vec![Component::missing(
            format!("Multi-AZ DB cluster ({engine_raw})"),
            "hours",
            None,
            "Multi-AZ DB cluster (non-Aurora) prices are not in the bundled tables",
        )]));
    };
    if ctx.str("engine_mode")?.as_deref() == Some("serverless") {
        return Ok(Outcome::Priced(vec![Component::missing(
            "Aurora Serverless v1 capacity",
            "ACU-hours",
            None,
            "Aurora Serverless v1 prices are not in the bundled tables",
        )]));
    }
    let config = storage_config(ctx.str("storage_type")?.as_deref());
    let a = attrs(&[("aurora_storage_config", config), ("engine", engine)]);
    let storage_price = ctx.price("rds_storage", "aurora-storage", &a).or_else(|| {
        ctx.price(
            "rds_storage",
            "aurora-storage",
            &attrs(&[("aurora_storage_config", config), ("engine", "aurora")]),
        )
    });
    let label = if config == "io-optimized" {
        "I/O-Optimized"
    } else {
        "standard"
    };
    let mut out = vec![Component::usage(
        format!("Storage (Aurora {label})"),
        "GB-month",
        ctx.usage("storage_gb"),
        storage_price,
    )];
    if config == "standard" {
        // Infracost's keys: average reads and writes per second.
        let io = match (
            ctx.usage("write_requests_per_sec"),
            ctx.usage("read_requests_per_sec"),
        ) {
            (None, None) => None,
            (w, r) => Some((w.unwrap_or(0.0) + r.unwrap_or(0.0)) * 3600.0 * HOURS_PER_MONTH),
        };
        out.push(Component::usage(
            "I/O requests",
            "requests",
            io,
            ctx.price(
                "rds_storage",
                "aurora-io-requests",
                "aurora_storage_config=standard;engine=aurora",
            ),
        ));
    }
    out.push(Component::usage(
        "Backup storage",
        "GB-month",
        ctx.usage("backup_snapshot_size_gb"),
        ctx.price("rds_storage", "backup-storage", &format!("engine={engine}")),
    ));
    Ok(Outcome::Priced(out))
}

/// The cluster a cluster instance belongs to.
fn parent_cluster<'a>(ctx: &Ctx<'a>) -> Option<&'a Object> {
    ctx.referenced("cluster_identifier", "aws_rds_cluster")
        .or_else(|| {
            let id = ctx.attr("cluster_identifier")?.as_str()?;
            ctx.find_by_attr("aws_rds_cluster", "cluster_identifier", id)
        })
}

pub fn cluster_instance(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let class = ctx.required_str("instance_class")?;
    let cluster = parent_cluster(ctx);
    let engine_raw = match ctx.str("engine")? {
        Some(e) => e,
        None => match cluster {
            Some(c) => str_of("engine", c.attr("engine"))?.unwrap_or_else(|| "aurora".into()),
            None => return Err("`engine` is not set and the cluster was not found".into()),
        },
    };
    let Some(engine) = aurora_engine(&engine_raw) else {
        return Err(format!("engine `{engine_raw}` is not an Aurora engine"));
    };
    let (config, note) = match cluster {
        Some(c) => (
            storage_config(str_of("storage_type", c.attr("storage_type"))?.as_deref()),
            None,
        ),
        None => (
            "standard",
            Some("cluster not found in the scanned files: standard storage assumed"),
        ),
    };
    let a = attrs(&[
        ("aurora_storage_config", config),
        ("deployment", "single-az"),
        ("engine", engine),
    ]);
    let mut c = if class == "db.serverless" {
        Component::usage(
            "Aurora Serverless v2 capacity",
            "ACU-hours",
            ctx.usage("capacity_units_per_hr")
                .map(|acu| acu * HOURS_PER_MONTH),
            ctx.price(
                "rds_storage",
                "serverless-v2-acu",
                &attrs(&[("aurora_storage_config", config), ("engine", engine)]),
            ),
        )
    } else {
        Component::fixed(
            format!(
                "Database instance ({engine}, {class}, {})",
                if config == "io-optimized" {
                    "I/O-Optimized"
                } else {
                    "standard"
                }
            ),
            "hours",
            HOURS_PER_MONTH,
            ctx.price("rds_instances", &class, &a),
        )
    };
    if let Some(n) = note {
        c = c.with_note(n);
    }
    Ok(Outcome::Priced(vec![c]))
}
