//! Cost estimation: evaluated Terraform resources → monthly cost components, priced from
//! bundled AWS on-demand price tables (see `docs/cost.md`).
//!
//! Money is `f64` USD. Unit prices have at most ~10 significant digits and a report sums at
//! most a few thousand products, so the accumulated binary rounding error stays below 1e-9
//! USD, far under the cent shown. Values are rounded only when rendered (JSON keeps 10
//! decimal places, which also hides representation noise such as `15.184000000000001`).

pub mod context;
pub mod diff;
pub mod hints;
pub mod region;
pub mod render;
pub mod resources;
pub mod tables;
pub mod usage;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ir::{Model, Object, ObjectKind};
pub use context::Ctx;
pub use region::RegionChoice;
pub use tables::{PriceBook, PriceSource};
pub use usage::{Usage, UsageFile};

/// Hours in a month, as AWS and Infracost count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Region used when neither the provider nor `--region` gives one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Options of one estimate.
#[derive(Debug, Clone)]
pub struct CostOptions {
    /// `--region`: used when a resource's provider has no (known) region.
    pub region: Option<String>,
    pub usage: UsageFile,
    pub prices: PriceBook,
}

impl Default for CostOptions {
    fn default() -> Self {
        CostOptions {
            region: None,
            usage: UsageFile::default(),
            prices: PriceBook::bundled(),
        }
    }
}

/// One priced line of a resource.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Component {
    pub name: String,
    pub unit: String,
    #[serde(serialize_with = "ser_opt")]
    pub monthly_quantity: Option<f64>,
    #[serde(serialize_with = "ser_opt")]
    pub unit_price: Option<f64>,
    #[serde(serialize_with = "ser_opt")]
    pub monthly_cost: Option<f64>,
    pub usage_based: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Table the price came from (for the `prices` summary).
    #[serde(skip)]
    pub price_source: Option<PriceSource>,
}

/// How a resource was priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every fixed component has a price (usage-based ones may still lack usage).
    Priced,
    /// Some fixed component has no price in the tables: the cost is a lower bound.
    Incomplete,
    /// An input the price depends on is unknown: no cost at all.
    Unknown,
    /// Every component is usage-based and no usage was given: no cost (not zero).
    UsageBased,
}

/// The estimate of one resource.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceCost {
    pub address: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub file: String,
    pub line: u32,
    pub scope: String,
    pub module: String,
    pub region: String,
    /// Where the region came from: `provider aws.west`, `--region`, `default`.
    pub region_source: String,
    pub status: Status,
    /// Sum of the components that have a cost; `null` when the status is `unknown` or
    /// `usage_based`.
    #[serde(serialize_with = "ser_opt")]
    pub monthly_cost: Option<f64>,
    #[serde(serialize_with = "ser_opt")]
    pub hourly_cost: Option<f64>,
    pub components: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A resource that contributes nothing to the totals, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unpriced {
    pub address: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub file: String,
    pub line: u32,
    pub reason: String,
}

/// Totals of one root module directory.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeTotal {
    pub scope: String,
    #[serde(serialize_with = "ser_f64")]
    pub monthly_cost: f64,
    #[serde(serialize_with = "ser_f64")]
    pub hourly_cost: f64,
    pub resources: usize,
}

/// Price provenance of a report.
#[derive(Debug, Clone, Serialize)]
pub struct PricesInfo {
    /// `bundled` or the `--pricing` directory.
    pub source: String,
    /// Oldest effective date among the prices used (all tables when none was used).
    pub effective_date: String,
    /// Every snapshot a used price came from.
    pub sources: Vec<PriceSource>,
}

/// The whole estimate.
#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    pub currency: &'static str,
    #[serde(serialize_with = "ser_f64")]
    pub total_monthly_cost: f64,
    #[serde(serialize_with = "ser_f64")]
    pub total_hourly_cost: f64,
    /// False when something was not priced, unknown, or lacks usage.
    pub complete: bool,
    pub resources: Vec<ResourceCost>,
    pub unpriced: Vec<Unpriced>,
    pub free: Vec<Unpriced>,
    /// Usage-based components left without a quantity (`address: component`).
    pub usage_missing: Vec<String>,
    /// `resource_usage` keys of the usage file that match no resource.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub usage_unmatched: Vec<String>,
    pub totals_by_scope: Vec<ScopeTotal>,
    /// Cost hygiene hints (cheaper equivalents); they never change the totals.
    pub hints: Vec<hints::Hint>,
    pub prices: PricesInfo,
}

fn round10(x: f64) -> f64 {
    let r = (x * 1e10).round() / 1e10;
    if r == 0.0 { 0.0 } else { r }
}

fn ser_f64<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round10(*x))
}

fn ser_opt<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => s.serialize_f64(round10(*v)),
        None => s.serialize_none(),
    }
}

/// What a cost function decided for one resource.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Components (possibly none priced yet, e.g. usage-based only).
    Priced(Vec<Component>),
    /// The resource costs nothing by itself (reason shown).
    Free(String),
    /// An input is unknown; no cost.
    Unknown(String),
}

/// The status of a resource priced with `components`.
fn status_of(components: &[Component]) -> Status {
    if components
        .iter()
        .any(|c| !c.usage_based && c.monthly_cost.is_none())
    {
        Status::Incomplete
    } else if !components.is_empty() && components.iter().all(|c| c.monthly_cost.is_none()) {
        Status::UsageBased
    } else {
        Status::Priced
    }
}

/// The monthly cost reported for a resource of `status` priced with `components`.
fn monthly_of(status: Status, components: &[Component]) -> Option<f64> {
    (!matches!(status, Status::Unknown | Status::UsageBased)).then(|| {
        components
            .iter()
            .filter_map(|c| c.monthly_cost)
            .sum::<f64>()
            + 0.0
    })
}

/// The monthly cost [`estimate`] reports for the resource `obj`, priced in the context of
/// `model` (its provider's region, the objects it refers to). `obj` need not be one of
/// `model`'s objects: the cost checks price a changed copy of one (another instance class)
/// without estimating the whole model again. `None` when the resource is not priced, free,
/// unknown or only usage-based.
pub fn monthly_cost_of(model: &Model, obj: &Object, options: &CostOptions) -> Option<f64> {
    let resources::Kind::Priced(cost_fn) = resources::classify(&obj.type_name)? else {
        return None;
    };
    if obj.address.contains("[*]") {
        return None;
    }
    let choice = region::Resolver::new(model, options).resolve(obj);
    let ctx = Ctx {
        obj,
        model,
        region: &choice.region,
        prices: &options.prices,
        usage: options.usage.for_resource(&obj.address, &obj.type_name),
    };
    match cost_fn(&ctx).ok()? {
        Outcome::Priced(components) => monthly_of(status_of(&components), &components),
        Outcome::Free(_) | Outcome::Unknown(_) => None,
    }
}

/// Estimates the cost of every Terraform resource in `model`.
pub fn estimate(model: &Model, options: &CostOptions) -> CostReport {
    let regions = region::Resolver::new(model, options);
    let mut resources = Vec::new();
    let mut unpriced = Vec::new();
    let mut free = Vec::new();
    let mut used_sources: BTreeSet<PriceSource> = BTreeSet::new();
    let mut all_hints = Vec::new();

    for obj in model
        .objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Resource)
    {
        let loc = model.sources.locate(obj.span);
        let entry = |reason: String| Unpriced {
            address: obj.address.clone(),
            type_name: obj.type_name.clone(),
            file: loc.file.clone(),
            line: loc.line,
            reason,
        };
        let Some(kind) = resources::classify(&obj.type_name) else {
            unpriced.push(entry("resource type not priced by infralint".to_string()));
            continue;
        };
        let cost_fn = match kind {
            resources::Kind::Free(why) => {
                free.push(entry(why.to_string()));
                continue;
            }
            resources::Kind::Priced(f) => f,
        };
        let choice = regions.resolve(obj);
        let ctx = Ctx {
            obj,
            model,
            region: &choice.region,
            prices: &options.prices,
            usage: options.usage.for_resource(&obj.address, &obj.type_name),
        };
        let mut notes: Vec<String> = choice.note.iter().cloned().collect();
        // `[*]`: the evaluator kept one placeholder for a block whose count/for_each is
        // unknown. It may stand for zero or many instances, so pricing it as one would be a
        // guess.
        let outcome = if obj.address.contains("[*]") {
            Outcome::Unknown(
                "the number of instances is unknown (count/for_each depends on an unknown value)"
                    .to_string(),
            )
        } else {
            cost_fn(&ctx).unwrap_or_else(Outcome::Unknown)
        };
        let (status, components) = match outcome {
            Outcome::Free(why) => {
                free.push(entry(why));
                continue;
            }
            Outcome::Unknown(why) => {
                unpriced.push(entry(format!("unknown: {why}")));
                notes.push(format!("unknown: {why}"));
                (Status::Unknown, Vec::new())
            }
            Outcome::Priced(components) => (status_of(&components), components),
        };
        for c in &components {
            if let (Some(src), Some(_)) = (&c.price_source, c.monthly_cost) {
                used_sources.insert(src.clone());
            }
        }
        let monthly = monthly_of(status, &components);
        let cost = ResourceCost {
            address: obj.address.clone(),
            type_name: obj.type_name.clone(),
            file: loc.file.clone(),
            line: loc.line,
            scope: obj.scope.clone(),
            module: obj.module.clone(),
            region: choice.region.clone(),
            region_source: choice.source.clone(),
            status,
            monthly_cost: monthly,
            hourly_cost: monthly.map(|m| m / HOURS_PER_MONTH),
            components,
            notes,
        };
        all_hints.extend(hints::for_resource(&ctx, &cost));
        resources.push(cost);
    }

    let mut by_scope: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for r in &resources {
        let e = by_scope.entry(r.scope.clone()).or_default();
        e.0 += r.monthly_cost.unwrap_or(0.0) + 0.0;
        e.1 += 1;
    }
    let totals_by_scope = by_scope
        .into_iter()
        .map(|(scope, (m, n))| ScopeTotal {
            scope,
            monthly_cost: m,
            hourly_cost: m / HOURS_PER_MONTH,
            resources: n,
        })
        .collect();
    let total: f64 = resources.iter().filter_map(|r| r.monthly_cost).sum::<f64>() + 0.0;
    let usage_missing: Vec<String> = resources
        .iter()
        .flat_map(|r| {
            r.components
                .iter()
                .filter(|c| c.usage_based && c.monthly_cost.is_none())
                .map(move |c| format!("{}: {}", r.address, c.name))
        })
        .collect();
    let addresses: Vec<(&str, &str)> = model
        .objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Resource)
        .map(|o| (o.address.as_str(), o.type_name.as_str()))
        .collect();
    let usage_unmatched = options.usage.unmatched_keys(&addresses);
    let complete = unpriced.is_empty()
        && usage_missing.is_empty()
        && resources.iter().all(|r| r.status == Status::Priced);

    let sources: Vec<PriceSource> = if used_sources.is_empty() {
        let mut all: BTreeSet<PriceSource> = BTreeSet::new();
        for name in options.prices.table_names() {
            if let Some(t) = options.prices.table(name) {
                all.extend(t.sources.iter().cloned());
            }
        }
        all.into_iter().collect()
    } else {
        used_sources.into_iter().collect()
    };
    let effective_date = sources
        .iter()
        .map(|s| s.effective_date.clone())
        .min()
        .unwrap_or_default();

    CostReport {
        currency: "USD",
        total_monthly_cost: total,
        total_hourly_cost: total / HOURS_PER_MONTH,
        complete,
        resources,
        unpriced,
        free,
        usage_missing,
        usage_unmatched,
        totals_by_scope,
        hints: all_hints,
        prices: PricesInfo {
            source: options.prices.origin.clone(),
            effective_date,
            sources,
        },
    }
}
