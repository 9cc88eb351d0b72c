//! OpenSearch / Elasticsearch domains: data, dedicated master and UltraWarm instances.
//! EBS storage prices for OpenSearch are not in the bundled data: shown without a cost.

use crate::pricing::context::{Ctx, Unknown, bool_of, num_of, str_of};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

use super::fmt_num;

/// `r6g.large.elasticsearch` → `r6g.large.search` (one price list for both).
fn search_type(t: &str) -> String {
    match t.strip_suffix(".elasticsearch") {
        Some(base) => format!("{base}.search"),
        None => t.to_string(),
    }
}

pub fn domain(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let cc = ctx
        .block("cluster_config")
        .ok_or("`cluster_config` is not set (instance type is the AWS default)")?;
    let itype = str_of("cluster_config.instance_type", cc.get("instance_type"))?
        .ok_or("`cluster_config.instance_type` is not set (AWS default applies)")?;
    let count = num_of("cluster_config.instance_count", cc.get("instance_count"))?.unwrap_or(1.0);
    let node = |label: &str, t: &str, n: f64| {
        let t = search_type(t);
        Component::fixed(
            format!("{label} ({t}, {} nodes)", fmt_num(n)),
            "hours",
            HOURS_PER_MONTH * n,
            ctx.price("opensearch", &t, ""),
        )
    };
    let mut out = vec![node("Data instances", &itype, count)];
    if bool_of(
        "dedicated_master_enabled",
        cc.get("dedicated_master_enabled"),
    )? == Some(true)
    {
        let t = str_of("dedicated_master_type", cc.get("dedicated_master_type"))?
            .ok_or("`dedicated_master_type` is not set")?;
        let n = num_of("dedicated_master_count", cc.get("dedicated_master_count"))?.unwrap_or(3.0);
        out.push(node("Dedicated master instances", &t, n));
    }
    if bool_of("warm_enabled", cc.get("warm_enabled"))? == Some(true) {
        let t = str_of("warm_type", cc.get("warm_type"))?.ok_or("`warm_type` is not set")?;
        let n = num_of("warm_count", cc.get("warm_count"))?.unwrap_or(0.0);
        out.push(node("UltraWarm instances", &t, n));
    }
    if let Some(ebs) = ctx.block("ebs_options")
        && bool_of("ebs_enabled", ebs.get("ebs_enabled"))? == Some(true)
    {
        let size = num_of("ebs_options.volume_size", ebs.get("volume_size"))?.unwrap_or(0.0);
        let vtype = str_of("ebs_options.volume_type", ebs.get("volume_type"))?
            .unwrap_or_else(|| "gp2".into());
        out.push(Component::missing(
            format!(
                "EBS storage ({vtype}, {} GB × {} nodes)",
                fmt_num(size),
                fmt_num(count)
            ),
            "GB-month",
            Some(size * count),
            "OpenSearch storage prices are not in the bundled data",
        ));
    }
    Ok(Outcome::Priced(out))
}
