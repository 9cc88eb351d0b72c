//! The set of rules of a run, looked up by ID, slug or alias.

use std::collections::HashMap;
use std::sync::Arc;

use super::condition::Condition;
use super::{BuiltinFn, RuleMeta, packs};

/// The `check` value of the core rules: the engine emits them from the model's diagnostics.
pub const CORE_CHECK: &str = "core";

/// How a rule is implemented.
#[derive(Debug, Clone)]
pub enum RuleImpl {
    /// A core diagnostic (`check = "core"`): raised while reading and evaluating files.
    Core,
    /// A built-in check in Rust (`check = "<name>"`).
    Builtin(&'static str, BuiltinFn),
    /// A declarative `[condition]`.
    Condition(Arc<Condition>),
    /// The metadata does not resolve (dangling `check` name, bad condition). Only
    /// [`Registry::new`] builds these; [`super::load`] reports them as errors instead.
    Invalid(String),
}

impl RuleImpl {
    /// Resolves a rule's implementation from its metadata.
    pub fn of(meta: &RuleMeta) -> RuleImpl {
        match (&meta.check, &meta.condition) {
            (Some(_), Some(_)) => {
                RuleImpl::Invalid("a rule has either `check` or `condition`, not both".into())
            }
            (None, None) => RuleImpl::Invalid("a rule needs `check` or `condition`".into()),
            (Some(name), None) if name == CORE_CHECK => RuleImpl::Core,
            (Some(name), None) => match packs::all().find(|(n, _)| n == name) {
                Some((n, f)) => RuleImpl::Builtin(n, *f),
                None => RuleImpl::Invalid(format!("no built-in check is called `{name}`")),
            },
            (None, Some(c)) => match Condition::compile(c) {
                Ok(c) => RuleImpl::Condition(Arc::new(c)),
                Err(e) => RuleImpl::Invalid(format!("{}: {}", e.path_text(), e.message)),
            },
        }
    }

    /// `core`, `builtin` or `condition` (or `invalid`), as `infralint rules` shows it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            RuleImpl::Core => "core",
            RuleImpl::Builtin(..) => "builtin",
            RuleImpl::Condition(_) => "condition",
            RuleImpl::Invalid(_) => "invalid",
        }
    }
}

/// One rule: its metadata, implementation and where it was read from.
#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    pub imp: RuleImpl,
    /// The rule file (`rules/core/IL0001.toml` for embedded rules, the path given for user
    /// rules).
    pub origin: String,
    /// Whether the rule ships with infralint (embedded) rather than coming from `--rules`.
    pub builtin: bool,
}

/// All rules known to a run (built-in and user-supplied), in ID order.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    rules: Vec<Rule>,
    index: HashMap<String, usize>,
}

impl Registry {
    /// Builds a registry from metadata alone (no validation: unresolvable rules get
    /// [`RuleImpl::Invalid`] and never run). Use [`super::load`] for rule files.
    pub fn new(rules: Vec<RuleMeta>) -> Self {
        Self::from_rules(
            rules
                .into_iter()
                .map(|meta| Rule {
                    imp: RuleImpl::of(&meta),
                    origin: format!("<{}>", meta.id),
                    builtin: true,
                    meta,
                })
                .collect(),
        )
    }

    /// Builds a registry; rules are sorted by ID. IDs, slugs and aliases index the rule
    /// (the first rule wins when an alias is shared).
    pub fn from_rules(mut rules: Vec<Rule>) -> Self {
        rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        let mut index = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            index.insert(r.meta.id.clone(), i);
            index.insert(r.meta.slug.clone(), i);
        }
        for (i, r) in rules.iter().enumerate() {
            for alias in &r.meta.aliases {
                index.entry(alias.clone()).or_insert(i);
            }
        }
        Registry { rules, index }
    }

    /// The rule with this ID, slug or alias.
    pub fn find(&self, key: &str) -> Option<&RuleMeta> {
        self.find_rule(key).map(|r| &r.meta)
    }

    /// The rule (with implementation and origin) with this ID, slug or alias.
    pub fn find_rule(&self, key: &str) -> Option<&Rule> {
        self.index.get(key).map(|&i| &self.rules[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.iter().map(|r| &r.meta)
    }

    /// Every rule with its implementation, in ID order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Pack names, sorted and deduplicated.
    pub fn packs(&self) -> Vec<&str> {
        let mut packs: Vec<&str> = self.rules.iter().map(|r| r.meta.pack.as_str()).collect();
        packs.sort_unstable();
        packs.dedup();
        packs
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
