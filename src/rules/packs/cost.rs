//! Built-in checks of the `cost` pack: the monthly budget (`[cost] monthly_budget`) and cost
//! hygiene findings taken from the cost engine's hints (see `docs/cost.md`), each stating the
//! estimated monthly saving from the bundled price tables.
//!
//! These are built-ins because they need the price tables and the whole-model estimate, which
//! the declarative condition language does not reach.

use crate::ir::{Model, ObjectKind};
use crate::pricing::{self, CostOptions, CostReport};
use crate::rules::{BuiltinFn, CheckContext, Verdict};

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("cost_monthly_budget", monthly_budget),
    ("cost_gp2_volume", gp2_volume),
    ("cost_previous_generation", previous_generation),
];

fn estimate(model: &Model) -> CostReport {
    pricing::estimate(model, &CostOptions::default())
}

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
    let report = estimate(ctx.model);
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
            out.push(Verdict::Fail {
                object: Some(i),
                span,
                message: format!(
                    "estimated monthly cost is{lower} {} (on-demand list prices), over the budget of {} by {}",
                    money(total),
                    money(budget),
                    money(total - budget)
                ),
            });
        } else if missing > 0 {
            out.push(Verdict::Unknown {
                object: Some(i),
                span,
                reason: format!(
                    "estimate {} is under the budget {}, but {missing} resource(s) have an unknown or incomplete cost",
                    money(total),
                    money(budget)
                ),
            });
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
    let report = estimate(ctx.model);
    report
        .hints
        .iter()
        .filter(|h| h.id == id)
        .filter_map(|h| {
            // A finding must state its saving: hints without a price difference stay hints.
            let saving = h.monthly_saving.filter(|s| *s > 0.0)?;
            let i = object_of(ctx.model, &h.address, &h.file, h.line)?;
            Some(Verdict::Fail {
                object: Some(i),
                span: ctx.model.objects[i].span,
                message: message(&h.message, saving),
            })
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

/// COST003: an EC2 instance of a previous-generation family (t2, m3/m4, c3/c4, r3/r4, i2).
fn previous_generation(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    from_hints(ctx, "cost-previous-generation", |m, s| {
        format!("{m}, which costs ~{}/month less on-demand", money(s))
    })
}
