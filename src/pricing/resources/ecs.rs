//! ECS on Fargate: `aws_ecs_service` × its `aws_ecs_task_definition` (cpu, memory,
//! architecture, OS, ephemeral storage) × `desired_count`.

use crate::ir::{Object, Value};
use crate::pricing::context::{Ctx, Unknown, blocks_of, num_of, str_of};
use crate::pricing::tables::attrs;
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

use super::fmt_num;

/// vCPUs from a task `cpu` value: CPU units (`"256"`) or `"0.25 vCPU"`.
fn parse_vcpu(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    if let Some(v) = t.strip_suffix("vcpu") {
        return v.trim().parse().ok();
    }
    t.parse::<f64>().ok().map(|units| units / 1024.0)
}

/// GB from a task `memory` value: MiB (`"512"`) or `"1 GB"`.
fn parse_memory_gb(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    if let Some(v) = t.strip_suffix("gb") {
        return v.trim().parse().ok();
    }
    t.parse::<f64>().ok().map(|mib| mib / 1024.0)
}

fn task_definition<'a>(ctx: &Ctx<'a>) -> Result<&'a Object, Unknown> {
    if let Some(o) = ctx.referenced("task_definition", "aws_ecs_task_definition") {
        return Ok(o);
    }
    match ctx.attr("task_definition").and_then(Value::as_str) {
        Some(s) => {
            // `family` or `family:revision` (an ARN ends with `task-definition/family:rev`).
            let tail = s.rsplit('/').next().unwrap_or(s);
            let family = tail.split(':').next().unwrap_or(tail);
            ctx.find_by_attr("aws_ecs_task_definition", "family", family)
                .ok_or_else(|| format!("task definition `{s}` is not in the scanned files"))
        }
        None => Err("`task_definition` does not resolve to an aws_ecs_task_definition".into()),
    }
}

pub fn service(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let launch_type = ctx.str("launch_type")?;
    let strategies: Vec<String> = ctx
        .blocks("capacity_provider_strategy")
        .into_iter()
        .filter_map(|b| b.get("capacity_provider").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let spot = strategies.iter().any(|s| s == "FARGATE_SPOT");
    let on_fargate_strategy = strategies.iter().any(|s| s.starts_with("FARGATE"));
    let td = task_definition(ctx);

    let fargate = match launch_type.as_deref() {
        Some("FARGATE") => true,
        Some(_) => false,
        None if on_fargate_strategy => true,
        None if !strategies.is_empty() => false,
        None => {
            // Neither set: the cluster's default strategy decides; a Fargate-only task
            // definition can only run on Fargate.
            let compat: Vec<String> = td
                .as_ref()
                .ok()
                .and_then(|o| o.attr("requires_compatibilities"))
                .and_then(Value::as_list)
                .map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            compat.iter().any(|c| c == "FARGATE") && !compat.iter().any(|c| c == "EC2")
        }
    };
    if !fargate {
        return Ok(Outcome::Free(
            "EC2/external launch type: compute is billed through the container instances"
                .to_string(),
        ));
    }
    let td = td?;
    let cpu = str_of("task_definition.cpu", td.attr("cpu"))?
        .ok_or("the task definition has no task-level `cpu` (required on Fargate)")?;
    let memory = str_of("task_definition.memory", td.attr("memory"))?
        .ok_or("the task definition has no task-level `memory` (required on Fargate)")?;
    let vcpu = parse_vcpu(&cpu).ok_or_else(|| format!("cannot read task cpu `{cpu}`"))?;
    let mem_gb =
        parse_memory_gb(&memory).ok_or_else(|| format!("cannot read task memory `{memory}`"))?;
    let platform = blocks_of(td.attr("runtime_platform")).into_iter().next();
    let arch = match platform.map(|p| str_of("cpu_architecture", p.get("cpu_architecture"))) {
        Some(r) => r?.unwrap_or_else(|| "X86_64".into()),
        None => "X86_64".into(),
    };
    let os_family = match platform
        .map(|p| str_of("operating_system_family", p.get("operating_system_family")))
    {
        Some(r) => r?.unwrap_or_else(|| "LINUX".into()),
        None => "LINUX".into(),
    };
    let windows = os_family.starts_with("WINDOWS");
    let (arch_key, os_key) = match (arch.as_str(), windows) {
        ("ARM64", false) => ("arm64", "linux"),
        (_, true) => ("x86_64", "windows"),
        _ => ("x86_64", "linux"),
    };
    let count = ctx.num("desired_count")?.unwrap_or(1.0);
    let a = attrs(&[("arch", arch_key), ("os", os_key)]);
    let label = format!("{os_key}/{arch_key}, {} tasks", fmt_num(count));
    let mut out = vec![
        Component::fixed(
            format!("Fargate vCPU ({} vCPU, {label})", fmt_num(vcpu)),
            "vCPU-hours",
            vcpu * count * HOURS_PER_MONTH,
            ctx.price("fargate", "vcpu-hour", &a),
        ),
        Component::fixed(
            format!("Fargate memory ({} GB, {label})", fmt_num(mem_gb)),
            "GB-hours",
            mem_gb * count * HOURS_PER_MONTH,
            ctx.price("fargate", "memory-gb-hour", &a),
        ),
    ];
    if windows {
        out.push(Component::fixed(
            "Windows license",
            "vCPU-hours",
            vcpu * count * HOURS_PER_MONTH,
            ctx.price("fargate", "windows-license-vcpu-hour", "os=windows"),
        ));
    }
    if let Some(eph) = blocks_of(td.attr("ephemeral_storage")).into_iter().next() {
        let size = num_of("ephemeral_storage.size_in_gib", eph.get("size_in_gib"))?.unwrap_or(20.0);
        if size > 20.0 {
            out.push(Component::fixed(
                "Ephemeral storage above 20 GB",
                "GB-hours",
                (size - 20.0) * count * HOURS_PER_MONTH,
                ctx.price("fargate", "ephemeral-storage-above-20gb", ""),
            ));
        }
    }
    if spot {
        for c in &mut out {
            *c = c.clone().with_note(
                "FARGATE_SPOT in capacity_provider_strategy: Spot prices are not in the tables, \
                 on-demand shown (upper bound)",
            );
        }
    }
    Ok(Outcome::Priced(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cpu_and_memory_forms() {
        assert_eq!(parse_vcpu("256"), Some(0.25));
        assert_eq!(parse_vcpu("1 vCPU"), Some(1.0));
        assert_eq!(parse_memory_gb("512"), Some(0.5));
        assert_eq!(parse_memory_gb("2 GB"), Some(2.0));
    }
}
