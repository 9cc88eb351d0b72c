//! Terraform semantics: variables, locals, expressions, functions, count/for_each, local
//! modules and provider default_tags, turning parsed files into evaluated objects.
//!
//! Evaluation is lazy and memoized per module instance (`scope`): a reference evaluates its
//! target on first use, so file order does not matter and cycles become Unknown values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

mod expand;
mod expr;
pub mod functions;
mod module;
mod ops;
mod refs;
mod scope;
pub mod taggable;
mod vars;

use crate::diagnostic::{CoreCode, Diagnostic};
use crate::ir::{Object, ObjectKind};
use crate::parse::terraform::TfFile;
use crate::source::{FileId, SourceMap, Span};

use scope::{Ctx, Inst, MAX_OBJECTS};

/// Inputs that come from the command line or config rather than from files.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// `--var-file` paths, applied to every root module after its own tfvars.
    pub var_files: Vec<PathBuf>,
    /// `--var name=value`, applied last.
    pub vars: Vec<(String, String)>,
    /// `file()` and friends may not read outside these directories.
    pub allowed_roots: Vec<PathBuf>,
}

/// The parsed Terraform files of every module directory in the run, keyed by normalized
/// directory path.
pub type ModuleFiles<'a> = HashMap<PathBuf, Vec<(FileId, &'a TfFile)>>;

/// Stack for one root's evaluation: lazy references recurse up to [`scope::MAX_DEPTH`] levels.
const EVAL_STACK_BYTES: usize = 64 << 20;

/// Evaluates the root module in `root_dir` (and the local modules it calls) into objects.
pub fn evaluate_root(
    root_dir: &Path,
    modules: &ModuleFiles<'_>,
    sources: &SourceMap,
    options: &EvalOptions,
) -> (Vec<Object>, Vec<Diagnostic>) {
    // A dedicated thread with a large stack, so deep reference chains cannot overflow the
    // caller's (rayon's default 2 MiB) stack before the depth limit stops them.
    let spawned = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("tf-eval".into())
            .stack_size(EVAL_STACK_BYTES)
            .spawn_scoped(s, || {
                evaluate_root_here(root_dir, modules, sources, options)
            })
            .ok()?;
        Some(handle.join())
    });
    match spawned {
        Some(Ok(result)) => result,
        Some(Err(_)) => {
            let span = modules
                .get(root_dir)
                .and_then(|f| f.first())
                .map_or(Span::file_start(FileId(0)), |&(id, _)| Span::file_start(id));
            let d = Diagnostic::new(
                CoreCode::EvalError,
                "internal error while evaluating this module; its objects are not checked",
                span,
            );
            (
                Vec::new(),
                if sources.is_empty() {
                    Vec::new()
                } else {
                    vec![d]
                },
            )
        }
        None => evaluate_root_here(root_dir, modules, sources, options),
    }
}

fn evaluate_root_here(
    root_dir: &Path,
    modules: &ModuleFiles<'_>,
    sources: &SourceMap,
    options: &EvalOptions,
) -> (Vec<Object>, Vec<Diagnostic>) {
    let ctx = Ctx::new(modules, sources, options);
    let scope_name = scope_display(root_dir, modules, sources);
    let mut root = ctx.new_inst(
        root_dir,
        String::new(),
        vec![root_dir.to_path_buf()],
        HashMap::new(),
        HashMap::new(),
    );
    root.inputs = ctx.root_inputs(&root);
    root.provider_attrs = ctx.init_providers(&root);
    let root = Rc::new(root);
    let mut emit = Emitter {
        ctx: &ctx,
        scope: scope_name,
        objects: Vec::new(),
        limit_reported: false,
    };
    emit.module(&root);
    let objects = emit.objects;
    let diags = ctx.diags.into_inner();
    (objects, diags)
}

/// The root module directory as users see it: the display directory of one of its files.
fn scope_display(root_dir: &Path, modules: &ModuleFiles<'_>, sources: &SourceMap) -> String {
    let Some(&(id, _)) = modules.get(root_dir).and_then(|f| f.first()) else {
        return ".".to_string();
    };
    match sources.get(id).display_path.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        Some(_) => "/".to_string(),
        None => ".".to_string(),
    }
}

/// Turns evaluated module instances into IR objects, in file order, depth first.
struct Emitter<'c, 'a> {
    ctx: &'c Ctx<'a>,
    scope: String,
    objects: Vec<Object>,
    limit_reported: bool,
}

impl<'a> Emitter<'_, 'a> {
    fn room(&mut self, span: Span) -> bool {
        if self.objects.len() < MAX_OBJECTS {
            return true;
        }
        if !self.limit_reported {
            self.limit_reported = true;
            self.ctx.diag(
                CoreCode::LimitExceeded,
                format!(
                    "more than {MAX_OBJECTS} objects in one root module; the rest is not checked"
                ),
                span,
            );
        }
        false
    }

    fn module(&mut self, inst: &Inst<'a>) {
        let prefix = inst.prefix();
        for (id, i, attrs) in &inst.provider_attrs {
            let (i, id) = (*i, id.clone());
            let decl = inst.providers[i];
            let span = decl.block.span.span(decl.file);
            if !self.room(span) {
                return;
            }
            let local = expand::provider_local_name(inst, i).unwrap_or_default();
            let name = decl.block.labels.first().cloned().unwrap_or_default();
            let mut o = Object::new(
                ObjectKind::Provider,
                "provider",
                name,
                format!("{prefix}provider.{local}"),
                self.scope.clone(),
                span,
            );
            o.attrs = attrs.clone();
            o.module = inst.path.clone();
            o.provider = Some(id);
            self.objects.push(o);
        }
        for idx in 0..inst.blocks.len() {
            let decl = inst.blocks[idx];
            let b = decl.block;
            let span = b.span.span(decl.file);
            if b.ident == "module" {
                let Some(call) = self.ctx.call_expansion(inst, idx) else {
                    continue;
                };
                for ci in &call.instances {
                    if !self.room(span) {
                        return;
                    }
                    let name = b.labels.first().cloned().unwrap_or_default();
                    let mut o = Object::new(
                        ObjectKind::Module,
                        "module",
                        name,
                        format!("{prefix}{}", ci.address),
                        self.scope.clone(),
                        span,
                    );
                    o.attrs = ci.attrs.clone();
                    o.refs = ci.refs.clone();
                    o.module = inst.path.clone();
                    self.objects.push(o);
                    if let Some(child) = &ci.child {
                        self.module(child);
                    }
                }
                continue;
            }
            let Some(exp) = self.ctx.expansion(inst, idx) else {
                continue;
            };
            let kind = if b.ident == "data" {
                ObjectKind::Data
            } else {
                ObjectKind::Resource
            };
            for i in &exp.instances {
                if !self.room(span) {
                    return;
                }
                let mut o = Object::new(
                    kind,
                    b.labels.first().cloned().unwrap_or_default(),
                    b.labels.get(1).cloned().unwrap_or_default(),
                    format!("{prefix}{}", i.address),
                    self.scope.clone(),
                    span,
                );
                o.attrs = i.attrs.clone();
                o.refs = i.refs.clone();
                o.module = inst.path.clone();
                o.provider = i.provider.clone();
                self.objects.push(o);
            }
        }
    }
}
