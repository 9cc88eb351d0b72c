//! Module instances: indexing a module directory's blocks and expanding module calls
//! (local sources evaluated recursively, remote ones left Unknown).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::ops;
use super::scope::{
    CallExpansion, CallInstance, Ctx, Decl, Inst, MAX_MODULE_DEPTH, Mode, Scope, Slot,
};
use crate::diagnostic::CoreCode;
use crate::discover;
use crate::ir::Value;
use crate::parse::terraform::{ExprKind, Op, is_local_source};
use crate::source::FileKind;

/// Arguments of a module block that are not inputs.
const CALL_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "depends_on",
    "providers",
];

impl<'a> Ctx<'a> {
    /// Builds a module instance for `dir` (its `.tf`/`.tf.json` files; tfvars are skipped).
    pub fn new_inst(
        &self,
        dir: &Path,
        path: String,
        ancestors: Vec<PathBuf>,
        inputs: HashMap<String, Value>,
        parent_providers: HashMap<String, String>,
    ) -> Inst<'a> {
        let mut inst = Inst {
            dir: dir.to_path_buf(),
            path,
            ancestors,
            variables: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            blocks: Vec::new(),
            index: HashMap::new(),
            providers: Vec::new(),
            inputs,
            provider_map: parent_providers,
            var_memo: Default::default(),
            local_memo: Default::default(),
            output_memo: Default::default(),
            block_memo: Default::default(),
            call_memo: Default::default(),
            provider_attrs: Vec::new(),
        };
        let files = self.modules.get(dir).map(Vec::as_slice).unwrap_or_default();
        for &(file, tf) in files {
            if !matches!(
                self.sources.get(file).kind,
                FileKind::Terraform | FileKind::TerraformJson
            ) {
                continue;
            }
            for b in &tf.body.blocks {
                let decl = Decl { file, block: b };
                let l0 = b.labels.first().map(String::as_str);
                let l1 = b.labels.get(1).map(String::as_str);
                match (b.ident.as_str(), l0, l1) {
                    ("variable", Some(n), _) => {
                        inst.variables.insert(n, decl);
                    }
                    ("output", Some(n), _) => {
                        if let Some(v) = b.body.attr("value") {
                            inst.outputs.insert(n, (file, &v.expr));
                        }
                    }
                    ("locals", _, _) => {
                        for a in &b.body.attrs {
                            inst.locals.insert(&a.name, (file, &a.expr));
                        }
                    }
                    ("resource", Some(t), Some(n)) => {
                        inst.index.insert(format!("{t}.{n}"), inst.blocks.len());
                        inst.blocks.push(decl);
                    }
                    ("data", Some(t), Some(n)) => {
                        inst.index
                            .insert(format!("data.{t}.{n}"), inst.blocks.len());
                        inst.blocks.push(decl);
                    }
                    ("module", Some(n), _) => {
                        inst.index.insert(format!("module.{n}"), inst.blocks.len());
                        inst.blocks.push(decl);
                    }
                    ("provider", Some(_), _) => inst.providers.push(decl),
                    _ => {}
                }
            }
        }
        // A module's own provider blocks override inherited configurations.
        for i in 0..inst.providers.len() {
            if let Some(local) = super::expand::provider_local_name(&inst, i) {
                let id = format!("{}{local}", inst.prefix());
                inst.provider_map.insert(local, id);
            }
        }
        inst
    }

    /// The instances of module call `idx`; `None` while being evaluated (cycle).
    pub fn call_expansion(&self, inst: &Inst<'a>, idx: usize) -> Option<Rc<CallExpansion<'a>>> {
        match inst.call_memo.borrow().get(&idx) {
            Some(Slot::Done(e)) => return Some(e.clone()),
            Some(Slot::Busy) => return None,
            None => {}
        }
        inst.call_memo.borrow_mut().insert(idx, Slot::Busy);
        let e = Rc::new(self.expand_call(inst, idx));
        inst.call_memo
            .borrow_mut()
            .insert(idx, Slot::Done(e.clone()));
        Some(e)
    }

    fn expand_call(&self, inst: &Inst<'a>, idx: usize) -> CallExpansion<'a> {
        let decl = inst.blocks[idx];
        let b = decl.block;
        let name = b.labels.first().map_or("", String::as_str);
        let local = format!("module.{name}");
        let what = format!("{}{local}", inst.prefix());
        let span = b.span.span(decl.file);
        let source_attr = b.body.attr("source");
        let source = match source_attr.map(|a| &a.expr.kind) {
            Some(ExprKind::String(s)) => Some(s.clone()),
            _ => None,
        };
        let mut unavailable = None;
        let mut target = None;
        match &source {
            None => {
                unavailable = Some(format!("the source of {what} is not a literal string"));
            }
            Some(s) if !is_local_source(s) => {
                self.diag(
                    CoreCode::RemoteModule,
                    format!("module source `{s}` is remote and not evaluated"),
                    source_attr.map_or(span, |a| a.expr.pos.span(decl.file)),
                );
                unavailable = Some(format!("module source `{s}` is remote and not evaluated"));
            }
            Some(s) => {
                let dir = discover::normalize(&inst.dir.join(s));
                if inst.ancestors.contains(&dir) {
                    self.diag(
                        CoreCode::ModuleCycle,
                        format!(
                            "{what} calls `{s}`, which is already being evaluated (module cycle)"
                        ),
                        span,
                    );
                    unavailable = Some(format!("{what} is part of a module cycle"));
                } else if inst.ancestors.len() >= MAX_MODULE_DEPTH {
                    self.diag(
                        CoreCode::LimitExceeded,
                        format!(
                            "modules nested deeper than {MAX_MODULE_DEPTH}; {what} is not evaluated"
                        ),
                        span,
                    );
                    unavailable = Some(format!("{what} is nested too deeply"));
                } else if !self.modules.contains_key(&dir) {
                    self.diag(
                        CoreCode::ModuleNotFound,
                        format!(
                            "module directory `{s}` does not exist or holds no Terraform files"
                        ),
                        source_attr.map_or(span, |a| a.expr.pos.span(decl.file)),
                    );
                    unavailable = Some(format!("module source `{s}` was not found"));
                } else {
                    target = Some(dir);
                }
            }
        }
        self.ref_stack.borrow_mut().push(Vec::new());
        let keys = self.keys(inst, decl.file, &b.body, &what);
        let providers = self.passed_providers(inst, b);
        let mut instances = Vec::with_capacity(keys.keys.len());
        for (key, ci, each) in &keys.keys {
            let mut sc = Scope::new(decl.file);
            sc.count_index = ci.as_ref();
            sc.each = each.as_ref().map(|(k, v)| (k, v));
            let mut refs = Vec::new();
            let mut attrs = indexmap::IndexMap::new();
            for k in ["source", "version"] {
                if let Some(a) = b.body.attr(k) {
                    attrs.insert(k.to_string(), self.eval_value(inst, sc, &a.expr));
                }
            }
            let mut inputs = HashMap::new();
            for a in &b.body.attrs {
                if CALL_META.contains(&a.name.as_str()) {
                    continue;
                }
                let mark = self.ref_mark();
                let mut v = self.eval_value(inst, sc, &a.expr);
                ops::reanchor(&mut v, a.expr.pos.span(decl.file));
                self.refs_since(mark, &a.name, &mut refs);
                inputs.insert(a.name.clone(), v.clone());
                attrs.insert(a.name.clone(), v);
            }
            let address = format!("{local}{}", key.suffix());
            let child = target.as_ref().map(|dir| {
                let mut ancestors = inst.ancestors.clone();
                ancestors.push(dir.clone());
                let path = format!("{}{address}", inst.prefix());
                let child = self.new_inst(dir, path, ancestors, inputs, providers.clone());
                let mut child = self.with_declared_types(child);
                child.provider_attrs = self.init_providers(&child);
                Rc::new(child)
            });
            instances.push(CallInstance {
                key: key.clone(),
                address,
                attrs,
                refs,
                child,
            });
        }
        self.ref_stack.borrow_mut().pop();
        CallExpansion {
            mode: if keys.mode == Mode::Unknown {
                Mode::Unknown
            } else {
                keys.mode
            },
            unknown_reason: keys.reason,
            unavailable,
            instances,
        }
    }

    /// Converts inputs to the declared primitive types of the child's variables.
    fn with_declared_types(&self, mut child: Inst<'a>) -> Inst<'a> {
        let mut inputs = std::mem::take(&mut child.inputs);
        for (name, v) in inputs.iter_mut() {
            if let Some(decl) = child.variables.get(name.as_str()) {
                let old = std::mem::replace(v, Value::null());
                *v = self.typed(&child, name, old);
                if v.is_null() {
                    let nullable = decl
                        .block
                        .body
                        .attr("nullable")
                        .is_some_and(|a| matches!(a.expr.kind, ExprKind::Bool(false)));
                    if nullable {
                        if let Some(d) = decl.block.body.attr("default") {
                            *v = self.eval_value(&child, Scope::new(decl.file), &d.expr);
                        }
                    }
                }
            }
        }
        inputs.retain(|k, _| child.variables.contains_key(k.as_str()));
        child.inputs = inputs;
        child
    }

    /// Provider configurations visible in a called module: inherited defaults plus `providers`.
    fn passed_providers(
        &self,
        inst: &Inst<'a>,
        b: &crate::parse::terraform::Block,
    ) -> HashMap<String, String> {
        let mut map: HashMap<String, String> = inst
            .provider_map
            .iter()
            .filter(|(k, _)| !k.contains('.'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(ExprKind::Object(entries)) = b.body.attr("providers").map(|a| &a.expr.kind) {
            for (k, v) in entries {
                let key = match k {
                    crate::parse::terraform::Key::Name(n) => n.clone(),
                    crate::parse::terraform::Key::Expr(e) => match &e.kind {
                        ExprKind::Traversal(root, steps) => match (&root.kind, steps.as_slice()) {
                            (ExprKind::Var(n), [Op::Attr(a)]) => format!("{n}.{a}"),
                            _ => continue,
                        },
                        ExprKind::String(s) => s.clone(),
                        _ => continue,
                    },
                };
                let target = match &v.kind {
                    ExprKind::Var(n) => n.clone(),
                    ExprKind::String(s) => s.clone(),
                    ExprKind::Traversal(root, steps) => match (&root.kind, steps.as_slice()) {
                        (ExprKind::Var(n), [Op::Attr(a)]) => format!("{n}.{a}"),
                        _ => continue,
                    },
                    _ => continue,
                };
                let resolved = inst.provider_map.get(&target).cloned().unwrap_or(target);
                map.insert(key, resolved);
            }
        }
        map
    }
}
