//! The one intermediate representation shared by all three languages.

mod object;
mod value;

use std::collections::HashMap;

pub use object::{Object, ObjectKind, Reference};
pub use value::{Unknown, Value, ValueKind};

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// Everything one run read and evaluated: files, objects and the diagnostics raised on the way.
#[derive(Debug, Default)]
pub struct Model {
    pub sources: SourceMap,
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
    by_type: HashMap<String, Vec<usize>>,
    by_address: HashMap<String, usize>,
}

impl Model {
    /// Builds the model and its indexes. Objects must already be in their final order.
    pub fn new(sources: SourceMap, objects: Vec<Object>, diagnostics: Vec<Diagnostic>) -> Self {
        let mut by_type: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_address = HashMap::with_capacity(objects.len());
        for (i, o) in objects.iter().enumerate() {
            by_type.entry(o.type_name.clone()).or_default().push(i);
            by_address.entry(o.qualified_address()).or_insert(i);
        }
        Model {
            sources,
            objects,
            diagnostics,
            by_type,
            by_address,
        }
    }

    /// Objects of one type, in model order.
    pub fn of_type<'a>(
        &'a self,
        type_name: &str,
    ) -> impl Iterator<Item = (usize, &'a Object)> + 'a {
        self.by_type
            .get(type_name)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(move |&i| (i, &self.objects[i]))
    }

    /// Looks up an object by its [`Object::qualified_address`].
    pub fn by_address(&self, qualified: &str) -> Option<usize> {
        self.by_address.get(qualified).copied()
    }
}
