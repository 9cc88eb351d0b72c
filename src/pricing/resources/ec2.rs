//! EC2: `aws_instance` (Linux on-demand compute, root and EBS block devices, public IPv4).

use super::ebs::{self, Volume};
use crate::pricing::context::{Ctx, Unknown};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

/// Root volume defaults when `root_block_device` does not say (the AMI decides; this is
/// the common Amazon Linux value, also Infracost's assumption).
const ROOT_DEFAULT_TYPE: &str = "gp2";
const ROOT_DEFAULT_SIZE: f64 = 8.0;

pub fn instance(ctx: &Ctx) -> Result<Outcome, Unknown> {
    use crate::pricing::context::str_of;

    // Without `instance_type`, the launch template (reference or literal name) decides.
    let itype = match ctx.str("instance_type")? {
        Some(t) => t,
        None if ctx.block("launch_template").is_some() => {
            let template = ctx
                .referenced("launch_template", "aws_launch_template")
                .or_else(|| {
                    let lt = ctx.block("launch_template")?;
                    let name = lt.get("name")?.as_str()?;
                    ctx.find_by_attr("aws_launch_template", "name", name)
                })
                .ok_or("launch template not found in the scanned files")?;
            str_of("instance_type", template.attr("instance_type"))?
                .ok_or("neither the instance nor its launch template sets `instance_type`")?
        }
        None => ctx.required_str("instance_type")?,
    };
    let tenancy = ctx.str("tenancy")?.unwrap_or_else(|| "default".to_string());
    let mut out = Vec::new();
    let compute_name = format!("Instance usage (Linux/UNIX, on-demand, {itype})");
    if tenancy != "default" {
        out.push(Component::missing(
            compute_name,
            "hours",
            Some(HOURS_PER_MONTH),
            "dedicated/host tenancy prices are not in the bundled tables",
        ));
    } else {
        let mut c = Component::fixed(
            compute_name,
            "hours",
            HOURS_PER_MONTH,
            ctx.price("ec2", &itype, ""),
        );
        if !ctx.blocks("instance_market_options").is_empty() {
            c = c.with_note("spot market options set: on-demand price shown (upper bound)");
        }
        out.push(c);
    }

    // A volume whose inputs are unknown leaves that volume unpriced, not the instance.
    let root = ctx.block("root_block_device");
    let root_vol = match root {
        Some(b) => Volume::read(
            b,
            "volume_type",
            "volume_size",
            ROOT_DEFAULT_TYPE,
            Some(ROOT_DEFAULT_SIZE),
        ),
        None => Ok(Volume {
            kind: ROOT_DEFAULT_TYPE.to_string(),
            size_gb: ROOT_DEFAULT_SIZE,
            iops: None,
            throughput: None,
        }),
    };
    let mut root_parts = match root_vol {
        Ok(v) => ebs::components(ctx, "Root volume", &v),
        Err(why) => vec![Component::missing(
            "Root volume",
            "GB-month",
            None,
            &format!("unknown: {why}"),
        )],
    };
    let root_assumed =
        root.is_none_or(|b| b.get("volume_size").is_none() || b.get("volume_type").is_none());
    if root_assumed && let Some(first) = root_parts.first_mut() {
        *first = first
            .clone()
            .with_note("size/type not set: AMI default assumed (8 GB gp2)");
    }
    out.extend(root_parts);

    for (i, b) in ctx.blocks("ebs_block_device").into_iter().enumerate() {
        let dev = b
            .get("device_name")
            .and_then(|v| v.as_str())
            .map_or_else(|| format!("#{i}"), str::to_string);
        let name = format!("EBS volume {dev}");
        match Volume::read(b, "volume_type", "volume_size", "gp2", None) {
            Ok(vol) => out.extend(ebs::components(ctx, &name, &vol)),
            Err(why) => out.push(Component::missing(
                name,
                "GB-month",
                None,
                &format!("unknown: {why}"),
            )),
        }
    }

    if ctx.boolean("associate_public_ip_address")? == Some(true) {
        out.push(Component::fixed(
            "Public IPv4 address",
            "hours",
            HOURS_PER_MONTH,
            ctx.price("vpc", "public-ipv4-in-use-hour", ""),
        ));
    }
    Ok(Outcome::Priced(out))
}

/// `aws_autoscaling_group`: `desired_capacity` (else `min_size`) × the on-demand price of the
/// instance type of its launch template (followed through the `launch_template.id` reference
/// or a literal `name`) or launch configuration. Volumes of the template are not priced.
pub fn autoscaling_group(ctx: &Ctx) -> Result<Outcome, Unknown> {
    use super::fmt_num;
    use crate::pricing::context::str_of;

    let count = match ctx.num("desired_capacity")? {
        Some(n) => n,
        None => ctx
            .num("min_size")?
            .ok_or("neither `desired_capacity` nor `min_size` is set")?,
    };
    let template = ctx
        .referenced("launch_template", "aws_launch_template")
        .or_else(|| ctx.referenced("launch_configuration", "aws_launch_configuration"))
        .or_else(|| {
            let lt = ctx.block("launch_template")?;
            let name = lt.get("name")?.as_str()?;
            ctx.find_by_attr("aws_launch_template", "name", name)
        });
    let template = match template {
        Some(t) => t,
        None if !ctx.blocks("mixed_instances_policy").is_empty() => {
            return Err("mixed_instances_policy is not modelled".into());
        }
        None => return Err("launch template/configuration not found in the scanned files".into()),
    };
    let itype = str_of("instance_type", template.attr("instance_type"))?
        .ok_or("the launch template has no `instance_type`")?;
    Ok(Outcome::Priced(vec![
        Component::fixed(
            format!(
                "Instance usage (Linux/UNIX, on-demand, {itype}, {} instances)",
                fmt_num(count)
            ),
            "hours",
            HOURS_PER_MONTH * count,
            ctx.price("ec2", &itype, ""),
        )
        .with_note("instance volumes of the launch template are not priced"),
    ]))
}
