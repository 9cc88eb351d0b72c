//! Built-in checks of the `cost` pack: the monthly budget (`[cost] monthly_budget`) and cost
//! hygiene findings taken from the cost engine's hints (see `docs/cost.md`), each stating the
//! estimated monthly saving from the bundled price tables.
//!
//! These are built-ins because they need the price tables and the whole-model estimate, which
//! the declarative condition language does not reach.

use crate::ir::{Model, Object, ObjectKind, Value};
use crate::pricing::{self, CostOptions};
use crate::rules::{BuiltinFn, CheckContext, Verdict};

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("cost_monthly_budget", monthly_budget),
    ("cost_gp2_volume", gp2_volume),
    ("cost_previous_generation", previous_generation),
    (
        "cost_nat_gateway_per_az_non_production",
        nat_per_az_non_production,
    ),
    ("cost_multi_az_rds_in_dev", multi_az_rds_in_dev),
];

/// Index of the resource object a report line belongs to (same address and file).
fn object_of(model: &Model, address: &str, file: &str, line: u32) -> Option<usize> {
    model.objects.iter().position(|o| {
        o.kind == ObjectKind::Resource && o.address == address && {
            let loc = model.sources.locate(o.span);
            loc.file == file && loc.line == line
        }
    })
}

fn money(x: f64) -> String {
    pricing::render::money(Some(x))
}

/// COST001: the estimate of a root module exceeds `[cost] monthly_budget`. Reported on the
/// root module's first `provider` block, else its first resource. An estimate under the
/// budget with unknown or unpriced resources is undecided (Unknown), never a pass.
fn monthly_budget(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let Some(budget) = ctx
        .settings
        .get("cost")
        .and_then(|c| c.get("monthly_budget"))
        .and_then(|b| b.as_float().or_else(|| b.as_integer().map(|i| i as f64)))
    else {
        return Vec::new();
    };
    let report = ctx.cost_estimate();
    let mut out = Vec::new();
    for scope in &report.totals_by_scope {
        let anchor = ctx
            .model
            .objects
            .iter()
            .position(|o| {
                o.scope == scope.scope && o.module.is_empty() && o.kind == ObjectKind::Provider
            })
            .or_else(|| {
                ctx.model.objects.iter().position(|o| {
                    o.scope == scope.scope && o.module.is_empty() && o.kind == ObjectKind::Resource
                })
            })
            .or_else(|| {
                ctx.model
                    .objects
                    .iter()
                    .position(|o| o.scope == scope.scope && o.kind == ObjectKind::Resource)
            });
        let Some(i) = anchor else { continue };
        let span = ctx.model.objects[i].span;
        let in_scope = |scope_of: &str| scope_of == scope.scope;
        let missing = report
            .resources
            .iter()
            .filter(|r| in_scope(&r.scope))
            .filter(|r| {
                matches!(
                    r.status,
                    pricing::Status::Unknown | pricing::Status::Incomplete
                )
            })
            .count();
        let total = scope.monthly_cost;
        if total > budget {
            let lower = if missing > 0 { " at least" } else { "" };
            out.push(Verdict::fail(i, span, format!(
                    "estimated monthly cost is{lower} {} (on-demand list prices), over the budget of {} by {}",
                    money(total),
                    money(budget),
                    money(total - budget)
                )));
        } else if missing > 0 {
            out.push(Verdict::unknown(i, span, format!(
                    "estimate {} is under the budget {}, but {missing} resource(s) have an unknown or incomplete cost",
                    money(total),
                    money(budget)
                )));
        }
    }
    out
}

/// Findings from the cost hints with `id`.
fn from_hints(
    ctx: &CheckContext<'_>,
    id: &str,
    message: impl Fn(&str, f64) -> String,
) -> Vec<Verdict> {
    let report = ctx.cost_estimate();
    report
        .hints
        .iter()
        .filter(|h| h.id == id)
        .filter_map(|h| {
            // A finding must state its saving: hints without a price difference stay hints.
            let saving = h.monthly_saving.filter(|s| *s > 0.0)?;
            let i = object_of(ctx.model, &h.address, &h.file, h.line)?;
            Some(Verdict::fail(
                i,
                ctx.model.objects[i].span,
                message(&h.message, saving),
            ))
        })
        .collect()
}

/// COST002: a gp2 EBS volume (or instance root/EBS block device) where gp3 is cheaper.
fn gp2_volume(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    from_hints(ctx, "cost-gp2-to-gp3", |m, s| {
        format!("{m} (saves ~{}/month at list price)", money(s))
    })
    .into_iter()
    .filter(|v| {
        // An instance root volume whose type is not written is the AMI's choice: not ours to
        // report (the cost hint still mentions it).
        let Verdict::Fail {
            object: Some(i),
            message,
            ..
        } = v
        else {
            return true;
        };
        let o = &ctx.model.objects[*i];
        !(o.type_name == "aws_instance"
            && message.starts_with("Root volume")
            && o.attr_path("root_block_device.0.volume_type").is_none())
    })
    .collect()
}

/// COST003: an EC2 instance of a previous-generation family (t2, m3/m4, c3/c4, r3/r4, i2),
/// or an RDS/ElastiCache class of one (db.t2, db.m3/m4, db.r3/r4, cache.t2, cache.m3/m4,
/// cache.r3/r4).
fn previous_generation(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = from_hints(ctx, "cost-previous-generation", |m, s| {
        format!("{m}, which costs ~{}/month less on-demand", money(s))
    });
    out.extend(previous_generation_classes(ctx));
    out
}

/// Previous-generation RDS/ElastiCache class families and their replacement.
const PREVIOUS_CLASSES: &[(&str, &str)] = &[
    ("db.t2", "db.t3"),
    ("db.m3", "db.m5"),
    ("db.m4", "db.m5"),
    ("db.r3", "db.r5"),
    ("db.r4", "db.r5"),
    ("cache.t2", "cache.t3"),
    ("cache.m3", "cache.m5"),
    ("cache.m4", "cache.m5"),
    ("cache.r3", "cache.r5"),
    ("cache.r4", "cache.r5"),
];

/// The class attribute of the types COST003 covers beyond `aws_instance`.
fn class_attr(type_name: &str) -> Option<&'static str> {
    match type_name {
        "aws_db_instance" => Some("instance_class"),
        "aws_elasticache_cluster" | "aws_elasticache_replication_group" => Some("node_type"),
        _ => None,
    }
}

/// The saving is the difference between the resource's estimate and the estimate of the same
/// resource with the replacement class (so engine, Multi-AZ and node count are accounted for).
fn previous_generation_classes(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.kind != ObjectKind::Resource {
            continue;
        }
        let Some(attr) = class_attr(&o.type_name) else {
            continue;
        };
        let Some(class) = o.attr(attr).and_then(Value::as_str) else {
            continue;
        };
        let Some((family, size)) = class.rsplit_once('.') else {
            continue;
        };
        let Some((_, next)) = PREVIOUS_CLASSES.iter().find(|(old, _)| *old == family) else {
            continue;
        };
        let replacement = format!("{next}.{size}");
        let Some((a, b)) = saving_if(ctx.model, o, attr, Value::string(replacement.clone())) else {
            continue;
        };
        out.push(Verdict::fail(
            i,
            o.span_of(attr),
            format!(
                "{class} is a previous-generation class: consider {replacement}, which costs ~{}/month less on-demand",
                money(a - b)
            ),
        ));
    }
    out
}

/// The monthly cost of the resource `o` and of the same resource with `attr` set to `value`,
/// when both are priced and the change makes it cheaper.
fn saving_if(model: &Model, o: &Object, attr: &str, value: Value) -> Option<(f64, f64)> {
    let options = CostOptions::default();
    let now = pricing::monthly_cost_of(model, o, &options)?;
    let mut changed = o.clone();
    changed.attrs.insert(attr.to_string(), value);
    let then = pricing::monthly_cost_of(model, &changed, &options)?;
    (now > then).then_some((now, then))
}

/// Tag keys that name the environment (`tags_all` includes the provider's `default_tags`).
const ENV_TAGS: &[&str] = &["Environment", "environment", "Env", "env", "Stage", "stage"];

/// The environment of a resource from its `Environment`-like tag: `Ok(None)` when it has no
/// such tag, `Err(reason)` when the tag's value is unknown.
fn environment(o: &Object) -> Result<Option<String>, String> {
    for attr in ["tags_all", "tags"] {
        let Some(tags) = o.attr(attr) else { continue };
        if let Some(u) = tags.as_unknown() {
            return Err(u.reason.clone());
        }
        for key in ENV_TAGS {
            let path = format!("{attr}.{key}");
            match o.attr_path(&path) {
                None => {}
                Some(v) => match v.as_str() {
                    Some(e) => return Ok(Some(e.to_ascii_lowercase())),
                    None => {
                        return Err(v.as_unknown().map_or_else(
                            || format!("`{path}` is not a string"),
                            |u| u.reason.clone(),
                        ));
                    }
                },
            }
        }
    }
    Ok(None)
}

/// Environment names that are not production.
fn non_production(env: &str) -> bool {
    matches!(
        env,
        "dev"
            | "development"
            | "test"
            | "testing"
            | "qa"
            | "staging"
            | "stage"
            | "sandbox"
            | "nonprod"
            | "non-prod"
            | "preprod"
            | "uat"
    )
}

/// Environment names of development (where a standby replica buys nothing).
fn development(env: &str) -> bool {
    matches!(
        env,
        "dev" | "development" | "test" | "testing" | "qa" | "sandbox"
    )
}

/// COST004: a root module (scope) with more than one NAT gateway whose environment tag says it
/// is not production: one NAT gateway shared by the AZs saves the hourly charge and the
/// public IPv4 address of each extra one. Reported once, on the first NAT gateway.
fn nat_per_az_non_production(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let report = ctx.cost_estimate();
    let mut by_scope: std::collections::BTreeMap<&str, Vec<&pricing::ResourceCost>> =
        Default::default();
    for r in report
        .resources
        .iter()
        .filter(|r| r.type_name == "aws_nat_gateway" && r.monthly_cost.is_some())
    {
        by_scope.entry(r.scope.as_str()).or_default().push(r);
    }
    let mut out = Vec::new();
    for nats in by_scope.values().filter(|n| n.len() > 1) {
        let first = nats[0];
        let Some(i) = object_of(ctx.model, &first.address, &first.file, first.line) else {
            continue;
        };
        let o = &ctx.model.objects[i];
        let env = match environment(o) {
            Ok(Some(e)) => e,
            Ok(None) => continue,
            Err(reason) => {
                out.push(Verdict::unknown(
                    i,
                    o.span,
                    format!("environment tag: {reason}"),
                ));
                continue;
            }
        };
        if !non_production(&env) {
            continue;
        }
        let hour = |res: &str| {
            pricing::PriceBook::bundled()
                .lookup("vpc", &first.region, res, "")
                .map(|p| p.usd)
        };
        let extra = (nats.len() - 1) as f64;
        let saving = match (hour("nat-gateway-hour"), hour("public-ipv4-in-use-hour")) {
            (Some(n), Some(ip)) => extra * pricing::HOURS_PER_MONTH * (n + ip),
            _ => continue,
        };
        out.push(Verdict::fail(i, o.span, format!(
                "{} NAT gateways (one per AZ) in the non-production environment `{env}`: one shared NAT gateway saves ~{}/month ({} × 730 h of NAT gateway and public IPv4, data processing excluded)",
                nats.len(),
                money(saving),
                nats.len() - 1
            )));
    }
    out
}

/// COST005: an `aws_db_instance` with `multi_az = true` whose environment tag names a
/// development environment. The saving is the estimate of the same instance Single-AZ.
fn multi_az_rds_in_dev(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    let mut flagged = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.kind != ObjectKind::Resource || o.type_name != "aws_db_instance" {
            continue;
        }
        if o.attr("multi_az").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        match environment(o) {
            Ok(Some(e)) if development(&e) => flagged.push((i, e)),
            Ok(_) => {}
            Err(reason) => out.push(Verdict::unknown(
                i,
                o.span,
                format!("environment tag: {reason}"),
            )),
        }
    }
    for (i, env) in flagged {
        let o = &ctx.model.objects[i];
        let Some((a, b)) = saving_if(ctx.model, o, "multi_az", Value::bool(false)) else {
            continue;
        };
        out.push(Verdict::fail(
            i,
            o.span_of("multi_az"),
            format!(
                "Multi-AZ database in the `{env}` environment: Single-AZ saves ~{}/month ({} → {})",
                money(a - b),
                money(a),
                money(b)
            ),
        ));
    }
    out
}
