//! Root module variable values: tfvars files, `--var-file` and `--var`.

use std::collections::HashMap;
use std::path::Path;

use super::ops;
use super::scope::{Ctx, Inst, Scope};
use crate::ir::{Value, ValueKind};
use crate::parse::terraform::{self, Expr, ExprKind, Key, TfFile};
use crate::source::{FileId, FileKind, SourceFile};

/// Whether Terraform loads a variable file automatically.
fn auto_loaded(name: &str) -> Option<u8> {
    match name {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

impl<'a> Ctx<'a> {
    /// Values for the root module's variables, in Terraform's precedence order.
    pub fn root_inputs(&self, root: &Inst<'a>) -> HashMap<String, Value> {
        let mut out = HashMap::new();
        let files = self
            .modules
            .get(&root.dir)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut tfvars: Vec<(u8, &str, FileId, &TfFile)> = files
            .iter()
            .filter_map(|&(id, tf)| {
                let src = self.sources.get(id);
                if !matches!(src.kind, FileKind::Tfvars | FileKind::TfvarsJson) {
                    return None;
                }
                let name = src.path.file_name()?.to_str()?;
                Some((auto_loaded(name)?, name, id, tf))
            })
            .collect();
        tfvars.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, _, id, tf) in tfvars {
            for a in &tf.body.attrs {
                let v = self.eval_value(root, Scope::new(id), &a.expr);
                out.insert(a.name.clone(), v);
            }
        }
        for path in &self.options.var_files {
            self.read_var_file(root, path, &mut out);
        }
        for (k, raw) in &self.options.vars {
            let ty = root
                .variables
                .get(k.as_str())
                .and_then(|d| d.block.body.attr("type"))
                .and_then(|t| match &t.expr.kind {
                    ExprKind::Var(t) => Some(t.as_str()),
                    _ => None,
                });
            let primitive = matches!(ty, Some("string" | "number" | "bool"));
            // Like Terraform: an HCL value when it parses to a constant, else the raw string.
            let parsed = terraform::parse_expr(raw)
                .filter(|_| !primitive)
                .and_then(|e| self.eval(root, Scope::new(FileId(u32::MAX)), &e).ok())
                .filter(|v| !v.contains_unknown());
            let v = match parsed {
                Some(mut v) => {
                    ops::strip_spans(&mut v);
                    v
                }
                None => Value::string(raw.clone()),
            };
            out.insert(k.clone(), v);
        }
        for (name, v) in out.iter_mut() {
            let old = std::mem::replace(v, Value::null());
            *v = self.typed(root, name, old);
        }
        out
    }

    /// Reads a `--var-file` (outside the source map: its values carry no spans).
    fn read_var_file(&self, root: &Inst<'a>, path: &Path, out: &mut HashMap<String, Value>) {
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let kind = if path.to_string_lossy().ends_with(".json") {
            FileKind::TfvarsJson
        } else {
            FileKind::Tfvars
        };
        let file = SourceFile::new(
            FileId(u32::MAX),
            path.to_path_buf(),
            path.display().to_string(),
            kind,
            text.into(),
        );
        let Ok(tf) = terraform::parse(&file) else {
            return;
        };
        for a in &tf.body.attrs {
            let mut v = self.eval_value(root, Scope::new(FileId(u32::MAX)), &a.expr);
            ops::strip_spans(&mut v);
            out.insert(a.name.clone(), v);
        }
    }
}

impl<'a> Ctx<'a> {
    /// Converts `v` to the declared variable type `ty` where that is simple: primitives,
    /// collections of them, and objects whose `optional(...)` attributes get their default or null.
    pub fn apply_type(&self, inst: &Inst<'a>, file: FileId, v: Value, ty: &Expr) -> Value {
        if v.is_unknown() || v.is_null() {
            return v;
        }
        match &ty.kind {
            ExprKind::Var(t) => ops::convert(v, t),
            // JSON syntax writes type constraints as strings.
            ExprKind::String(s) => match terraform::parse_expr(s) {
                Some(parsed) if !matches!(parsed.kind, ExprKind::String(_)) => {
                    self.apply_type(inst, file, v, &parsed)
                }
                _ => v,
            },
            ExprKind::Call(name, args, _) => match (name.as_str(), args.as_slice()) {
                ("list" | "set", [t]) => match v.kind {
                    ValueKind::List(items) => Value::new(
                        ValueKind::List(
                            items
                                .into_iter()
                                .map(|x| self.apply_type(inst, file, x, t))
                                .collect(),
                        ),
                        v.span,
                    ),
                    kind => Value::new(kind, v.span),
                },
                ("map", [t]) => match v.kind {
                    ValueKind::Map(m) => Value::new(
                        ValueKind::Map(
                            m.into_iter()
                                .map(|(k, x)| (k, self.apply_type(inst, file, x, t)))
                                .collect(),
                        ),
                        v.span,
                    ),
                    kind => Value::new(kind, v.span),
                },
                ("object", [fields]) => {
                    let ExprKind::Object(fields) = &fields.kind else {
                        return v;
                    };
                    let span = v.span;
                    let ValueKind::Map(mut m) = v.kind else {
                        return Value::new(v.kind, span);
                    };
                    for (key, fty) in fields {
                        let Key::Name(k) = key else { continue };
                        let present = m.get(k).is_some_and(|x| !x.is_null());
                        match &fty.kind {
                            ExprKind::Call(o, oargs, _) if o == "optional" => {
                                let Some(inner) = oargs.first() else { continue };
                                if present {
                                    let x = m.swap_remove(k).unwrap_or_else(Value::null);
                                    m.insert(k.clone(), self.apply_type(inst, file, x, inner));
                                } else {
                                    let d = match oargs.get(1) {
                                        Some(d) => {
                                            let dv = self.eval_value(inst, Scope::new(file), d);
                                            self.apply_type(inst, file, dv, inner)
                                        }
                                        None => Value::null(),
                                    };
                                    m.insert(k.clone(), d);
                                }
                            }
                            _ => {
                                if let Some(x) = m.get_mut(k) {
                                    let old = std::mem::replace(x, Value::null());
                                    *x = self.apply_type(inst, file, old, fty);
                                }
                            }
                        }
                    }
                    Value::new(ValueKind::Map(m), span)
                }
                _ => v,
            },
            _ => v,
        }
    }

    /// Applies the declared type of variable `name` (when declared) to `v`.
    pub fn typed(&self, inst: &Inst<'a>, name: &str, v: Value) -> Value {
        match inst.variables.get(name) {
            Some(decl) => match decl.block.body.attr("type") {
                Some(t) => self.apply_type(inst, decl.file, v, &t.expr),
                None => v,
            },
            None => v,
        }
    }
}
