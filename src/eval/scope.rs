//! The evaluation context of one root module and the per-module-instance state.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use indexmap::IndexMap;

use super::{EvalOptions, ModuleFiles};
use crate::diagnostic::{CoreCode, Diagnostic};
use crate::ir::{Reference, Value};
use crate::parse::terraform::{Block, Expr};
use crate::source::{FileId, SourceMap, Span};

/// Maximum nesting of expression evaluation (including lazy references).
pub(crate) const MAX_DEPTH: u32 = 256;
/// Maximum instances of one block.
pub(crate) const MAX_INSTANCES: usize = 10_000;
/// Maximum objects per root module.
pub(crate) const MAX_OBJECTS: usize = 100_000;
/// Maximum module nesting.
pub(crate) const MAX_MODULE_DEPTH: usize = 32;

/// A memo slot: being computed (a reference back to it is a cycle) or done.
pub(crate) enum Slot<T> {
    Busy,
    Done(T),
}

/// A block declared in one file of a module.
#[derive(Clone, Copy)]
pub(crate) struct Decl<'a> {
    pub file: FileId,
    pub block: &'a Block,
}

/// The key of one instance of a counted or for_each block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum InstKey {
    None,
    Int(usize),
    Str(String),
    /// count/for_each is Unknown: one placeholder instance, address `…[*]`.
    Unknown,
}

impl InstKey {
    pub fn suffix(&self) -> String {
        match self {
            InstKey::None => String::new(),
            InstKey::Int(i) => format!("[{i}]"),
            InstKey::Str(s) => format!("[{}]", serde_json::Value::String(s.clone())),
            InstKey::Unknown => "[*]".to_string(),
        }
    }
}

/// How a block expands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mode {
    Single,
    Count,
    ForEach,
    Unknown,
}

/// One evaluated instance of a resource or data block.
pub(crate) struct Instance {
    pub key: InstKey,
    /// Address within its module (`aws_subnet.private["a"]`).
    pub address: String,
    pub attrs: IndexMap<String, Value>,
    pub refs: Vec<Reference>,
    pub provider: Option<String>,
}

/// All instances of one resource or data block.
pub(crate) struct Expansion {
    pub mode: Mode,
    /// Why the instance count is unknown (mode Unknown).
    pub unknown_reason: String,
    pub instances: Vec<Instance>,
}

/// One instance of a module call.
pub(crate) struct CallInstance<'a> {
    pub key: InstKey,
    pub address: String,
    pub attrs: IndexMap<String, Value>,
    pub refs: Vec<Reference>,
    pub child: Option<Rc<Inst<'a>>>,
}

/// All instances of one module call; `unavailable` says why outputs are Unknown.
pub(crate) struct CallExpansion<'a> {
    pub mode: Mode,
    pub unknown_reason: String,
    pub unavailable: Option<String>,
    pub instances: Vec<CallInstance<'a>>,
}

/// A local's value and the references its expression made.
pub(crate) type LocalValue = (Value, Vec<String>);

/// One instance of a module (the root or a called local module).
pub(crate) struct Inst<'a> {
    pub dir: PathBuf,
    /// `""` at the root, `module.a[0].module.b` below.
    pub path: String,
    /// Directories of this module and its callers (cycle detection).
    pub ancestors: Vec<PathBuf>,
    pub variables: HashMap<&'a str, Decl<'a>>,
    pub locals: HashMap<&'a str, (FileId, &'a Expr)>,
    pub outputs: HashMap<&'a str, (FileId, &'a Expr)>,
    /// Resource, data and module blocks in file order.
    pub blocks: Vec<Decl<'a>>,
    /// `type.name`, `data.type.name` and `module.name` → index in `blocks`.
    pub index: HashMap<String, usize>,
    pub providers: Vec<Decl<'a>>,
    /// Input variable values (caller arguments, tfvars, `--var`).
    pub inputs: HashMap<String, Value>,
    /// Local provider name (`aws`, `aws.west`) → resolved configuration id.
    pub provider_map: HashMap<String, String>,
    pub var_memo: RefCell<HashMap<String, Slot<Value>>>,
    pub local_memo: RefCell<HashMap<String, Slot<LocalValue>>>,
    pub output_memo: RefCell<HashMap<String, Slot<Value>>>,
    pub block_memo: RefCell<HashMap<usize, Slot<Rc<Expansion>>>>,
    pub call_memo: RefCell<HashMap<usize, Slot<Rc<CallExpansion<'a>>>>>,
    /// Evaluated provider blocks: (configuration id, index in `providers`, attributes).
    pub provider_attrs: Vec<(String, usize, IndexMap<String, Value>)>,
}

impl Inst<'_> {
    /// `module.a.` prefix for addresses (empty at the root).
    pub fn prefix(&self) -> String {
        if self.path.is_empty() {
            String::new()
        } else {
            format!("{}.", self.path)
        }
    }
}

/// A resolved provider configuration.
pub(crate) struct ProviderConf {
    pub default_tags: Option<Value>,
}

/// Variables bound by for expressions and dynamic blocks, innermost first.
pub(crate) struct Frame<'s> {
    pub name: &'s str,
    pub value: Value,
    pub parent: Option<&'s Frame<'s>>,
}

/// Where an expression is evaluated.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'s> {
    pub file: FileId,
    pub count_index: Option<&'s Value>,
    pub each: Option<(&'s Value, &'s Value)>,
    pub frame: Option<&'s Frame<'s>>,
    /// `templatefile` variables.
    pub template_vars: Option<&'s IndexMap<String, Value>>,
}

impl<'s> Scope<'s> {
    pub fn new(file: FileId) -> Self {
        Scope {
            file,
            count_index: None,
            each: None,
            frame: None,
            template_vars: None,
        }
    }

    pub fn lookup(&self, name: &str) -> Option<&'s Value> {
        let mut f = self.frame;
        while let Some(fr) = f {
            if fr.name == name {
                return Some(&fr.value);
            }
            f = fr.parent;
        }
        self.template_vars.and_then(|m| m.get(name))
    }

    pub fn with_frame<'t>(&self, frame: &'t Frame<'t>) -> Scope<'t>
    where
        's: 't,
    {
        Scope {
            file: self.file,
            count_index: self.count_index,
            each: self.each,
            frame: Some(frame),
            template_vars: self.template_vars,
        }
    }
}

/// State shared by the evaluation of one root module.
pub(crate) struct Ctx<'a> {
    pub modules: &'a ModuleFiles<'a>,
    pub sources: &'a SourceMap,
    pub options: &'a EvalOptions,
    pub diags: RefCell<Vec<Diagnostic>>,
    pub depth: Cell<u32>,
    pub depth_reported: Cell<bool>,
    /// Inside `try`/`can`: function errors are not reported.
    pub try_depth: Cell<u32>,
    /// Reference sinks: one per block being evaluated.
    pub ref_stack: RefCell<Vec<Vec<String>>>,
    pub provider_confs: RefCell<HashMap<String, Rc<ProviderConf>>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        modules: &'a ModuleFiles<'a>,
        sources: &'a SourceMap,
        options: &'a EvalOptions,
    ) -> Self {
        Ctx {
            modules,
            sources,
            options,
            diags: RefCell::new(Vec::new()),
            depth: Cell::new(0),
            depth_reported: Cell::new(false),
            try_depth: Cell::new(0),
            ref_stack: RefCell::new(Vec::new()),
            provider_confs: RefCell::new(HashMap::new()),
        }
    }

    pub fn diag(&self, code: CoreCode, message: impl Into<String>, span: Span) {
        if span.file.0 as usize >= self.sources.len() {
            return;
        }
        // A module instantiated several times reports a problem in its text once.
        let d = Diagnostic::new(code, message, span);
        let mut diags = self.diags.borrow_mut();
        if !diags.contains(&d) {
            diags.push(d);
        }
    }

    /// Records a reference to `target` in the block being evaluated.
    pub fn record_ref(&self, target: String) {
        if let Some(top) = self.ref_stack.borrow_mut().last_mut() {
            top.push(target);
        }
    }

    /// Number of references recorded so far in the current block.
    pub fn ref_mark(&self) -> usize {
        self.ref_stack.borrow().last().map_or(0, Vec::len)
    }

    /// References recorded since `mark`, as [`Reference`]s written at `attr`.
    pub fn refs_since(&self, mark: usize, attr: &str, out: &mut Vec<Reference>) {
        if let Some(top) = self.ref_stack.borrow().last() {
            for t in top.get(mark..).unwrap_or_default() {
                let r = Reference {
                    attr: attr.to_string(),
                    target: t.clone(),
                };
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
}
