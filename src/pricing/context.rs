//! What a cost function sees: the resource, the model (to follow references), its region,
//! the price tables and its usage; plus helpers that turn Unknown inputs into errors.

use crate::ir::{Model, Object, Value, ValueKind};

use super::tables::{Price, PriceBook};
use super::{Component, Usage};

/// Context of one resource estimate.
pub struct Ctx<'a> {
    pub obj: &'a Object,
    pub model: &'a Model,
    pub region: &'a str,
    pub prices: &'a PriceBook,
    pub usage: Usage,
}

/// An input that is written but cannot be known statically: the reason to show.
pub type Unknown = String;

fn unknown_reason(path: &str, v: &Value) -> Option<Unknown> {
    let mut paths = Vec::new();
    v.unknown_paths("", &mut paths);
    let first = paths.first()?;
    let inner = if first.is_empty() {
        v
    } else {
        v.get_path(first).unwrap_or(v)
    };
    let reason = inner
        .as_unknown()
        .map_or_else(|| "unknown".to_string(), |u| u.reason.clone());
    Some(format!("`{path}` is unknown ({reason})"))
}

/// A string input: `Ok(None)` when absent or null, `Err` when unknown.
pub fn str_of(path: &str, v: Option<&Value>) -> Result<Option<String>, Unknown> {
    match v {
        None => Ok(None),
        Some(v) => match &v.kind {
            ValueKind::Null => Ok(None),
            ValueKind::String(s) => Ok(Some(s.clone())),
            ValueKind::Number(n) => Ok(Some(n.to_string())),
            ValueKind::Bool(b) => Ok(Some(b.to_string())),
            _ => Err(unknown_reason(path, v)
                .unwrap_or_else(|| format!("`{path}` is not a single value"))),
        },
    }
}

/// A number input (numeric strings accepted).
pub fn num_of(path: &str, v: Option<&Value>) -> Result<Option<f64>, Unknown> {
    match v {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) => Ok(Some(n)),
            None => {
                Err(unknown_reason(path, v).unwrap_or_else(|| format!("`{path}` is not a number")))
            }
        },
    }
}

/// A boolean input (`"true"`/`"false"` accepted).
pub fn bool_of(path: &str, v: Option<&Value>) -> Result<Option<bool>, Unknown> {
    match v {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) => match v.as_bool() {
            Some(b) => Ok(Some(b)),
            None => {
                Err(unknown_reason(path, v).unwrap_or_else(|| format!("`{path}` is not a boolean")))
            }
        },
    }
}

/// Nested blocks written under `name`: a list of maps (or a single map).
pub fn blocks_of(v: Option<&Value>) -> Vec<&Value> {
    match v.map(|v| &v.kind) {
        Some(ValueKind::List(items)) => items.iter().filter(|i| i.as_map().is_some()).collect(),
        Some(ValueKind::Map(_)) => vec![v.expect("matched Some")],
        _ => Vec::new(),
    }
}

impl<'a> Ctx<'a> {
    pub fn attr(&self, path: &str) -> Option<&'a Value> {
        self.obj.attr_path(path)
    }

    pub fn str(&self, path: &str) -> Result<Option<String>, Unknown> {
        str_of(path, self.attr(path))
    }

    pub fn num(&self, path: &str) -> Result<Option<f64>, Unknown> {
        num_of(path, self.attr(path))
    }

    pub fn boolean(&self, path: &str) -> Result<Option<bool>, Unknown> {
        bool_of(path, self.attr(path))
    }

    /// The string at `path`, which the price depends on: absent is an error too.
    pub fn required_str(&self, path: &str) -> Result<String, Unknown> {
        self.str(path)?
            .ok_or_else(|| format!("`{path}` is not set"))
    }

    pub fn blocks(&self, name: &str) -> Vec<&'a Value> {
        blocks_of(self.attr(name))
    }

    /// First nested block `name`, if any.
    pub fn block(&self, name: &str) -> Option<&'a Value> {
        self.blocks(name).into_iter().next()
    }

    /// Length of a list input (`Ok(None)` when absent).
    pub fn list_len(&self, path: &str) -> Result<Option<usize>, Unknown> {
        match self.attr(path) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => {
                match v.as_list() {
                    Some(items) => Ok(Some(items.len())),
                    None => Err(unknown_reason(path, v)
                        .unwrap_or_else(|| format!("`{path}` is not a list"))),
                }
            }
        }
    }

    /// A usage value from the usage file.
    pub fn usage(&self, key: &str) -> Option<f64> {
        self.usage.number(key)
    }

    pub fn price(&self, table: &str, resource: &str, attrs: &str) -> Option<Price> {
        self.prices.lookup(table, self.region, resource, attrs)
    }

    pub fn global_price(&self, table: &str, resource: &str, attrs: &str) -> Option<Price> {
        self.prices.lookup(table, "global", resource, attrs)
    }

    /// The object an attribute refers to (`task_definition = aws_ecs_task_definition.app.arn`),
    /// through the Unknown's `refers_to` or the object's recorded references.
    pub fn referenced(&self, attr: &str, type_name: &str) -> Option<&'a Object> {
        let mut targets: Vec<String> = Vec::new();
        if let Some(u) = self.attr(attr).and_then(Value::as_unknown)
            && let Some(t) = &u.refers_to
        {
            targets.push(t.clone());
        }
        for r in &self.obj.refs {
            if r.attr == attr || r.attr.starts_with(&format!("{attr}.")) {
                targets.push(r.target.clone());
            }
        }
        // Targets are module-qualified; accept a module-relative one too.
        let module = &self.obj.module;
        if !module.is_empty() {
            let qualified: Vec<String> = targets
                .iter()
                .filter(|t| !t.starts_with("module."))
                .map(|t| format!("{module}.{t}"))
                .collect();
            targets.splice(0..0, qualified);
        }
        targets
            .iter()
            .find_map(|t| self.resolve_address(t, type_name))
    }

    fn resolve_address(&self, target: &str, type_name: &str) -> Option<&'a Object> {
        let model = self.model;
        if let Some(i) = model.by_address(&format!("{}:{target}", self.obj.scope)) {
            let o = &model.objects[i];
            return (o.type_name == type_name).then_some(o);
        }
        // A reference to a whole counted resource: accept it when it has exactly one instance.
        let prefix = format!("{target}[");
        let mut found = model
            .of_type(type_name)
            .map(|(_, o)| o)
            .filter(|o| o.scope == self.obj.scope && o.address.starts_with(&prefix));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// A resource of `type_name` in the same root module whose `attr` equals `value`.
    pub fn find_by_attr(&self, type_name: &str, attr: &str, value: &str) -> Option<&'a Object> {
        self.model.of_type(type_name).map(|(_, o)| o).find(|o| {
            o.scope == self.obj.scope && o.attr(attr).and_then(Value::as_str) == Some(value)
        })
    }
}

impl Component {
    /// A component with a known quantity. Without a price, the cost stays unknown and the
    /// note says which price is missing.
    pub fn fixed(name: impl Into<String>, unit: &str, quantity: f64, price: Option<Price>) -> Self {
        Component::build(name.into(), unit, Some(quantity), price, false)
    }

    /// A usage-based component; `quantity` comes from the usage file.
    pub fn usage(
        name: impl Into<String>,
        unit: &str,
        quantity: Option<f64>,
        price: Option<Price>,
    ) -> Self {
        Component::build(name.into(), unit, quantity, price, true)
    }

    fn build(
        name: String,
        unit: &str,
        qty: Option<f64>,
        price: Option<Price>,
        usage: bool,
    ) -> Self {
        // A usage-based component without usage needs no note: `usage_based` with a null
        // quantity says it, and the report lists it under `usage_missing`.
        let note = price
            .is_none()
            .then(|| "no price in the tables for this region".to_string());
        Component {
            name,
            unit: unit.to_string(),
            monthly_quantity: qty,
            unit_price: price.as_ref().map(|p| p.usd),
            monthly_cost: match (&price, qty) {
                (Some(p), Some(q)) => Some(p.usd * q),
                _ => None,
            },
            usage_based: usage,
            note,
            price_source: price.map(|p| p.source),
        }
    }

    /// A component that cannot be priced from the bundled data at all.
    pub fn missing(name: impl Into<String>, unit: &str, quantity: Option<f64>, why: &str) -> Self {
        Component {
            name: name.into(),
            unit: unit.to_string(),
            monthly_quantity: quantity,
            unit_price: None,
            monthly_cost: None,
            usage_based: false,
            note: Some(why.to_string()),
            price_source: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        let note = note.into();
        self.note = Some(match self.note.take() {
            Some(old) => format!("{old}; {note}"),
            None => note,
        });
        self
    }
}

/// One tier of a tiered price: the quantity it covers (`f64::INFINITY` for the last),
/// its label and price.
pub struct Tier {
    pub size: f64,
    pub label: &'static str,
    pub price: Option<Price>,
}

/// Splits a usage quantity over price tiers. One component when the quantity is unknown or
/// fits in the first tier; one per tier used otherwise.
pub fn tiered(name: &str, unit: &str, quantity: Option<f64>, tiers: Vec<Tier>) -> Vec<Component> {
    let Some(first) = tiers.first() else {
        return Vec::new();
    };
    match quantity {
        None => vec![Component::usage(name, unit, None, first.price.clone())],
        Some(q) if q <= first.size => {
            vec![Component::usage(name, unit, Some(q), first.price.clone())]
        }
        Some(mut q) => {
            let mut out = Vec::new();
            for t in tiers {
                if q <= 0.0 {
                    break;
                }
                let take = q.min(t.size);
                out.push(Component::usage(
                    format!("{name} ({})", t.label),
                    unit,
                    Some(take),
                    t.price,
                ));
                q -= take;
            }
            out
        }
    }
}
