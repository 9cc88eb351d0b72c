//! The set of rules of a run, looked up by ID, slug or alias.

use std::collections::HashMap;

use super::RuleMeta;

/// All rules known to a run (built-in and user-supplied), in ID order.
#[derive(Debug, Default)]
pub struct Registry {
    rules: Vec<RuleMeta>,
    index: HashMap<String, usize>,
}

impl Registry {
    /// Builds a registry; rules are sorted by ID. IDs, slugs and aliases index the rule
    /// (the first rule wins when an alias is shared).
    pub fn new(mut rules: Vec<RuleMeta>) -> Self {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let mut index = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            index.insert(r.id.clone(), i);
            index.insert(r.slug.clone(), i);
        }
        for (i, r) in rules.iter().enumerate() {
            for alias in &r.aliases {
                index.entry(alias.clone()).or_insert(i);
            }
        }
        Registry { rules, index }
    }

    /// The rule with this ID, slug or alias.
    pub fn find(&self, key: &str) -> Option<&RuleMeta> {
        self.index.get(key).map(|&i| &self.rules[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.iter()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
