//! ElastiCache: `aws_elasticache_cluster` and `aws_elasticache_replication_group`
//! (node type × nodes; cluster mode: shards × (replicas + 1)).

use crate::pricing::context::{Ctx, Unknown, num_of};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

use super::fmt_num;

fn node_component(ctx: &Ctx, engine: &str, node_type: &str, nodes: f64) -> Component {
    Component::fixed(
        format!(
            "Cache nodes ({engine}, {node_type}, {} nodes)",
            fmt_num(nodes)
        ),
        "hours",
        HOURS_PER_MONTH * nodes,
        ctx.price("elasticache", node_type, &format!("engine={engine}")),
    )
}

pub fn cluster(ctx: &Ctx) -> Result<Outcome, Unknown> {
    if ctx
        .attr("replication_group_id")
        .is_some_and(|v| !v.is_null())
    {
        return Ok(Outcome::Free(
            "member of a replication group: nodes are priced on the group".to_string(),
        ));
    }
    let node_type = ctx.required_str("node_type")?;
    let engine = ctx.required_str("engine")?;
    let nodes = ctx.num("num_cache_nodes")?.unwrap_or(1.0);
    Ok(Outcome::Priced(vec![node_component(
        ctx, &engine, &node_type, nodes,
    )]))
}

pub fn replication_group(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let node_type = ctx.required_str("node_type")?;
    let engine = ctx.str("engine")?.unwrap_or_else(|| "redis".to_string());
    let cluster_mode = ctx.block("cluster_mode");
    let shards = match ctx.num("num_node_groups")? {
        Some(n) => Some(n),
        None => match cluster_mode {
            Some(b) => num_of("cluster_mode.num_node_groups", b.get("num_node_groups"))?,
            None => None,
        },
    };
    let nodes = match shards {
        Some(shards) => {
            let replicas = match ctx.num("replicas_per_node_group")? {
                Some(r) => r,
                None => match cluster_mode {
                    Some(b) => num_of(
                        "cluster_mode.replicas_per_node_group",
                        b.get("replicas_per_node_group"),
                    )?
                    .unwrap_or(0.0),
                    None => 0.0,
                },
            };
            shards * (replicas + 1.0)
        }
        None => match ctx.num("num_cache_clusters")? {
            Some(n) => n,
            None => ctx.num("number_cache_clusters")?.unwrap_or(1.0),
        },
    };
    Ok(Outcome::Priced(vec![node_component(
        ctx, &engine, &node_type, nodes,
    )]))
}
