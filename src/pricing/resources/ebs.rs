//! EBS volumes: `aws_ebs_volume`, and the block devices of `aws_instance`.

use super::fmt_num;
use crate::ir::Value;
use crate::pricing::context::{Ctx, Unknown, num_of, str_of};
use crate::pricing::{Component, Outcome};

/// The pricing inputs of one volume.
pub struct Volume {
    pub kind: String,
    pub size_gb: f64,
    pub iops: Option<f64>,
    pub throughput: Option<f64>,
}

impl Volume {
    /// Reads `type`/`volume_type`, `size`/`volume_size`, `iops`, `throughput` from a map.
    pub fn read(
        v: &Value,
        type_key: &str,
        size_key: &str,
        default_type: &str,
        default_size: Option<f64>,
    ) -> Result<Volume, Unknown> {
        let kind = str_of(type_key, v.get(type_key))?.unwrap_or_else(|| default_type.to_string());
        let size_gb = match num_of(size_key, v.get(size_key))? {
            Some(s) => s,
            None => default_size.ok_or_else(|| {
                format!("`{size_key}` is not set (size comes from a snapshot or AMI)")
            })?,
        };
        Ok(Volume {
            kind,
            size_gb,
            iops: num_of("iops", v.get("iops"))?,
            throughput: num_of("throughput", v.get("throughput"))?,
        })
    }
}

/// Components of one volume, names prefixed by `prefix` (e.g. `Root volume`).
pub fn components(ctx: &Ctx, prefix: &str, vol: &Volume) -> Vec<Component> {
    let storage = |resource: &str| {
        Component::fixed(
            format!(
                "{prefix}: storage ({}, {} GB)",
                vol.kind,
                fmt_num(vol.size_gb)
            ),
            "GB-month",
            vol.size_gb,
            ctx.price("ebs", resource, ""),
        )
    };
    let mut out = Vec::new();
    match vol.kind.as_str() {
        "gp2" => out.push(storage("gp2-storage")),
        "gp3" => {
            out.push(storage("gp3-storage"));
            // gp3 includes 3,000 IOPS and 125 MiB/s; more is billed.
            if let Some(iops) = vol.iops.filter(|&i| i > 3000.0) {
                out.push(Component::fixed(
                    format!("{prefix}: provisioned IOPS above 3000"),
                    "IOPS-month",
                    iops - 3000.0,
                    ctx.price("ebs", "gp3-iops-above-3000", ""),
                ));
            }
            if let Some(tp) = vol.throughput.filter(|&t| t > 125.0) {
                // The table prices a GiBps-month; 1 GiBps = 1024 MiBps.
                let price = ctx
                    .price("ebs", "gp3-throughput-above-125mbps", "")
                    .map(|mut p| {
                        p.usd /= 1024.0;
                        p.unit = "MiBps-month".to_string();
                        p
                    });
                out.push(Component::fixed(
                    format!("{prefix}: throughput above 125 MiB/s"),
                    "MiBps-month",
                    tp - 125.0,
                    price,
                ));
            }
        }
        "io1" => {
            out.push(storage("io1-storage"));
            out.push(Component::fixed(
                format!("{prefix}: provisioned IOPS"),
                "IOPS-month",
                vol.iops.unwrap_or(0.0),
                ctx.price("ebs", "io1-iops", ""),
            ));
        }
        "io2" => {
            out.push(storage("io2-storage"));
            let iops = vol.iops.unwrap_or(0.0);
            let tiers = [
                (32000.0, "io2-iops-tier1-0-32000", "up to 32,000"),
                (32000.0, "io2-iops-tier2-32001-64000", "32,001-64,000"),
                (f64::INFINITY, "io2-iops-tier3-over-64000", "over 64,000"),
            ];
            let mut left = iops;
            for (size, res, label) in tiers {
                if left <= 0.0 && out.len() > 1 {
                    break;
                }
                let take = left.min(size).max(0.0);
                out.push(Component::fixed(
                    format!("{prefix}: provisioned IOPS ({label})"),
                    "IOPS-month",
                    take,
                    ctx.price("ebs", res, ""),
                ));
                left -= take;
            }
        }
        "st1" => out.push(storage("st1-storage")),
        "sc1" => out.push(storage("sc1-storage")),
        "standard" => {
            out.push(storage("standard-magnetic-storage"));
            out.push(Component::usage(
                format!("{prefix}: I/O requests"),
                "requests",
                ctx.usage("monthly_standard_io_requests"),
                ctx.price("ebs", "standard-magnetic-io-requests", ""),
            ));
        }
        other => out.push(Component::missing(
            format!("{prefix}: storage ({other})"),
            "GB-month",
            Some(vol.size_gb),
            "unknown EBS volume type",
        )),
    }
    out
}

/// `aws_ebs_volume`: storage by type and size, gp3/io1/io2 IOPS and gp3 throughput.
pub fn volume(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let vol = Volume::read(
        &crate::ir::Value::map(ctx.obj.attrs.clone()),
        "type",
        "size",
        "gp2",
        None,
    )?;
    Ok(Outcome::Priced(components(ctx, "Volume", &vol)))
}
