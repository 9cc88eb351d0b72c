//! Cost hygiene hints: cheaper equivalents of what is written, with the monthly saving when
//! the tables can say it. Hints never change the estimate.

use serde::Serialize;

use super::context::Ctx;
use super::{HOURS_PER_MONTH, ResourceCost, Status};

/// One hint.
#[derive(Debug, Clone, Serialize)]
pub struct Hint {
    pub id: &'static str,
    pub address: String,
    pub file: String,
    pub line: u32,
    pub message: String,
    #[serde(serialize_with = "super::ser_opt")]
    pub monthly_saving: Option<f64>,
}

/// Previous-generation EC2 families and their current-generation replacement.
const PREVIOUS_GENERATION: &[(&str, &str)] = &[
    ("t2", "t3"),
    ("m3", "m5"),
    ("m4", "m5"),
    ("c3", "c5"),
    ("c4", "c5"),
    ("r3", "r5"),
    ("r4", "r5"),
    ("i2", "i3"),
];

fn hint(r: &ResourceCost, id: &'static str, message: String, saving: Option<f64>) -> Hint {
    Hint {
        id,
        address: r.address.clone(),
        file: r.file.clone(),
        line: r.line,
        message,
        monthly_saving: saving,
    }
}

/// Hints for one priced resource.
pub fn for_resource(ctx: &Ctx, r: &ResourceCost) -> Vec<Hint> {
    let mut out = Vec::new();
    if r.status == Status::Unknown {
        return out;
    }
    match r.type_name.as_str() {
        "aws_instance" | "aws_ebs_volume" => {
            let gp2 = ctx.price("ebs", "gp2-storage", "");
            let gp3 = ctx.price("ebs", "gp3-storage", "");
            for c in r
                .components
                .iter()
                .filter(|c| c.name.contains("storage (gp2,"))
            {
                let saving = match (&gp2, &gp3, c.monthly_quantity) {
                    (Some(a), Some(b), Some(q)) if a.usd > b.usd => Some(q * (a.usd - b.usd)),
                    _ => None,
                };
                let what = c.name.split(':').next().unwrap_or("volume");
                out.push(hint(
                    r,
                    "cost-gp2-to-gp3",
                    format!(
                        "{what} is gp2: gp3 costs less per GB with the same baseline performance"
                    ),
                    saving,
                ));
            }
            if r.type_name == "aws_instance"
                && let Some(itype) = ctx.attr("instance_type").and_then(|v| v.as_str())
                && let Some((family, size)) = itype.split_once('.')
                && let Some((_, next)) = PREVIOUS_GENERATION.iter().find(|(old, _)| *old == family)
            {
                let replacement = format!("{next}.{size}");
                let saving = match (
                    ctx.price("ec2", itype, ""),
                    ctx.price("ec2", &replacement, ""),
                ) {
                    (Some(a), Some(b)) if a.usd > b.usd => Some((a.usd - b.usd) * HOURS_PER_MONTH),
                    _ => None,
                };
                out.push(hint(
                    r,
                    "cost-previous-generation",
                    format!("{itype} is a previous-generation type: consider {replacement}"),
                    saving,
                ));
            }
        }
        "aws_ecs_service" => {
            let x86 = |name: &str| {
                r.components
                    .iter()
                    .find(|c| c.name.starts_with(name) && c.name.contains("linux/x86_64"))
            };
            if let (Some(cpu), Some(mem)) = (x86("Fargate vCPU"), x86("Fargate memory")) {
                let arm = "arch=arm64;os=linux";
                let saving = match (
                    cpu.monthly_cost,
                    mem.monthly_cost,
                    cpu.monthly_quantity,
                    mem.monthly_quantity,
                    ctx.price("fargate", "vcpu-hour", arm),
                    ctx.price("fargate", "memory-gb-hour", arm),
                ) {
                    (Some(c), Some(m), Some(cq), Some(mq), Some(pc), Some(pm)) => {
                        Some(c + m - cq * pc.usd - mq * pm.usd)
                    }
                    _ => None,
                };
                out.push(hint(
                    r,
                    "cost-fargate-arm64",
                    "runs on x86_64: ARM64 (Graviton) Fargate tasks cost less if the image supports it"
                        .to_string(),
                    saving.filter(|s| *s > 0.0),
                ));
            }
        }
        "aws_cloudwatch_log_group" => {
            let retention = ctx.attr("retention_in_days");
            let forever = match retention {
                None => true,
                Some(v) => v.is_null() || v.as_f64() == Some(0.0),
            };
            if forever {
                out.push(hint(
                    r,
                    "cost-log-retention",
                    "no retention_in_days: logs are kept forever and storage grows every month"
                        .to_string(),
                    None,
                ));
            }
        }
        _ => {}
    }
    out
}
