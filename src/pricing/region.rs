//! The region each resource is priced in: its provider configuration's `region`, else
//! `--region`, else us-east-1. Every fallback is said.

use std::collections::HashMap;

use crate::ir::{Model, Object, ObjectKind, ValueKind};

use super::{CostOptions, DEFAULT_REGION};

/// The region chosen for one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChoice {
    pub region: String,
    /// `provider aws.west`, `--region` or `default`.
    pub source: String,
    /// Why a fallback was used, when the provider said something else.
    pub note: Option<String>,
}

/// What a provider block says about its region.
enum ProviderRegion {
    Known(String),
    Unknown(String),
    Unset,
}

/// Resolves regions, caching provider blocks by `scope` and address.
pub struct Resolver<'a> {
    providers: HashMap<(String, String), ProviderRegion>,
    fallback: RegionChoice,
    options: &'a CostOptions,
}

impl<'a> Resolver<'a> {
    pub fn new(model: &Model, options: &'a CostOptions) -> Self {
        let mut providers = HashMap::new();
        for o in model
            .objects
            .iter()
            .filter(|o| o.kind == ObjectKind::Provider)
        {
            let region = match o.attr("region").map(|v| &v.kind) {
                Some(ValueKind::String(s)) => ProviderRegion::Known(s.clone()),
                Some(ValueKind::Unknown(u)) => ProviderRegion::Unknown(u.reason.clone()),
                None | Some(ValueKind::Null) => ProviderRegion::Unset,
                Some(_) => ProviderRegion::Unknown("not a string".to_string()),
            };
            providers.insert((o.scope.clone(), o.address.clone()), region);
        }
        let fallback = match &options.region {
            Some(r) if options.prices.has_region(r) => RegionChoice {
                region: r.clone(),
                source: "--region".to_string(),
                note: None,
            },
            Some(r) => RegionChoice {
                region: DEFAULT_REGION.to_string(),
                source: "default".to_string(),
                note: Some(format!(
                    "--region {r} has no bundled prices; priced as {DEFAULT_REGION}"
                )),
            },
            None => RegionChoice {
                region: DEFAULT_REGION.to_string(),
                source: "default".to_string(),
                note: None,
            },
        };
        Resolver {
            providers,
            fallback,
            options,
        }
    }

    /// The region for `obj`.
    pub fn resolve(&self, obj: &Object) -> RegionChoice {
        let name = obj
            .provider
            .clone()
            .unwrap_or_else(|| obj.type_name.split('_').next().unwrap_or("aws").to_string());
        let address = format!("provider.{name}");
        let fallback = |why: String| {
            let mut c = self.fallback.clone();
            let extra = c.note.take();
            c.note = Some(match extra {
                Some(e) => format!("{why}; {e}"),
                None => format!("{why}; priced as {}", c.region),
            });
            c
        };
        match self.providers.get(&(obj.scope.clone(), address.clone())) {
            Some(ProviderRegion::Known(r)) if self.options.prices.has_region(r) => RegionChoice {
                region: r.clone(),
                source: format!("provider {name}"),
                note: None,
            },
            Some(ProviderRegion::Known(r)) => fallback(format!(
                "region {r} of provider {name} has no bundled prices"
            )),
            Some(ProviderRegion::Unknown(why)) => {
                fallback(format!("region of provider {name} is unknown ({why})"))
            }
            Some(ProviderRegion::Unset) | None => self.fallback.clone(),
        }
    }
}
