//! Blocks → evaluated instances: count/for_each expansion, nested and `dynamic` blocks,
//! provider resolution and `tags_all`.

use std::rc::Rc;

use indexmap::IndexMap;

use super::ops;
use super::scope::{
    Ctx, Expansion, Frame, Inst, InstKey, Instance, MAX_INSTANCES, Mode, ProviderConf, Scope, Slot,
};
use super::taggable::is_taggable;
use crate::diagnostic::CoreCode;
use crate::ir::{Reference, Value, ValueKind};
use crate::parse::terraform::{Body, ExprKind, Op};
use crate::source::FileId;

/// Meta-arguments never stored as attributes.
const META: &[&str] = &["count", "for_each", "depends_on", "provider", "providers"];

/// One instance key with its `count.index` and `each.key`/`each.value` values.
pub(crate) type KeyBinding = (InstKey, Option<Value>, Option<(Value, Value)>);

/// How one block expands: (mode, unknown reason, keys with their `count.index` / `each` values).
pub(crate) struct Keys {
    pub mode: Mode,
    pub reason: String,
    pub keys: Vec<KeyBinding>,
}

impl<'a> Ctx<'a> {
    /// Evaluates `count`/`for_each` of a block body.
    pub fn keys(&self, inst: &Inst<'a>, file: FileId, body: &Body, what: &str) -> Keys {
        let sc = Scope::new(file);
        let single = Keys {
            mode: Mode::Single,
            reason: String::new(),
            keys: vec![(InstKey::None, None, None)],
        };
        let unknown = |reason: String| Keys {
            keys: vec![(
                InstKey::Unknown,
                Some(Value::unknown(format!(
                    "count.index of {what} is unknown: {reason}"
                ))),
                Some((
                    Value::unknown(format!("each.key of {what} is unknown: {reason}")),
                    Value::unknown(format!("each.value of {what} is unknown: {reason}")),
                )),
            )],
            mode: Mode::Unknown,
            reason,
        };
        let mut keys = Vec::new();
        let mode;
        if let Some(c) = body.attr("count") {
            let v = self.eval_value(inst, sc, &c.expr);
            if let Some(u) = v.as_unknown() {
                return unknown(format!("count of {what} is unknown ({})", u.reason));
            }
            let Some(n) = v.as_f64().filter(|n| *n >= 0.0) else {
                return unknown(format!("count of {what} is not a whole number"));
            };
            mode = Mode::Count;
            for i in 0..(n as usize).min(MAX_INSTANCES + 1) {
                keys.push((InstKey::Int(i), Some(Value::number(i as f64)), None));
            }
        } else if let Some(fe) = body.attr("for_each") {
            let v = self.eval_value(inst, sc, &fe.expr);
            mode = Mode::ForEach;
            match &v.kind {
                ValueKind::Unknown(u) => {
                    return unknown(format!("for_each of {what} is unknown ({})", u.reason));
                }
                ValueKind::Map(m) => {
                    for (k, x) in m.iter().take(MAX_INSTANCES + 1) {
                        let kv = Value::string(k.clone());
                        keys.push((InstKey::Str(k.clone()), None, Some((kv, x.clone()))));
                    }
                }
                ValueKind::List(items) => {
                    let mut seen = std::collections::HashSet::new();
                    for x in items.iter().take(MAX_INSTANCES + 1) {
                        match ops::to_template_string(x) {
                            Ok(Some(s)) => {
                                if !seen.insert(s.clone()) {
                                    continue;
                                }
                                keys.push((InstKey::Str(s), None, Some((x.clone(), x.clone()))));
                            }
                            Ok(None) => {
                                return unknown(format!("for_each of {what} has unknown elements"));
                            }
                            Err(_) => {
                                return unknown(format!(
                                    "for_each of {what} is not a map or set of strings"
                                ));
                            }
                        }
                    }
                }
                ValueKind::Null => {
                    return unknown(format!("for_each of {what} is null"));
                }
                _ => return unknown(format!("for_each of {what} is not a map or set")),
            }
        } else {
            return single;
        }
        if keys.len() > MAX_INSTANCES {
            keys.truncate(MAX_INSTANCES);
            let span = body
                .attr("count")
                .or(body.attr("for_each"))
                .map(|a| a.expr.pos.span(file))
                .unwrap_or(crate::source::Span::file_start(file));
            self.diag(
                CoreCode::LimitExceeded,
                format!("{what} expands to more than {MAX_INSTANCES} instances; only the first {MAX_INSTANCES} are checked"),
                span,
            );
        }
        Keys {
            mode,
            reason: String::new(),
            keys,
        }
    }

    /// Evaluates the arguments and nested blocks of a body (meta-arguments left out).
    pub fn eval_body(
        &self,
        inst: &Inst<'a>,
        sc: Scope<'_>,
        body: &Body,
        prefix: &str,
        refs: &mut Vec<Reference>,
    ) -> IndexMap<String, Value> {
        let mut attrs = IndexMap::new();
        for a in &body.attrs {
            if META.contains(&a.name.as_str()) {
                continue;
            }
            let mark = self.ref_mark();
            let mut v = self.eval_value(inst, sc, &a.expr);
            ops::reanchor(&mut v, a.expr.pos.span(sc.file));
            self.refs_since(mark, &format!("{prefix}{}", a.name), refs);
            attrs.insert(a.name.clone(), v);
        }
        for b in &body.blocks {
            if b.ident == "lifecycle" {
                continue;
            }
            if b.ident == "dynamic" {
                let Some(label) = b.labels.first() else {
                    continue;
                };
                let items = self.dynamic(inst, sc, &b.body, label, prefix, &attrs, refs);
                push_blocks(&mut attrs, label, items);
                continue;
            }
            let n = attrs
                .get(&b.ident)
                .and_then(Value::as_list)
                .map_or(0, <[Value]>::len);
            let p = format!("{prefix}{}.{n}.", b.ident);
            let m = self.eval_body(inst, sc, &b.body, &p, refs);
            push_blocks(
                &mut attrs,
                &b.ident,
                vec![Value::map(m).with_span(b.span.span(sc.file))],
            );
        }
        attrs
    }

    #[allow(clippy::too_many_arguments)]
    fn dynamic(
        &self,
        inst: &Inst<'a>,
        sc: Scope<'_>,
        body: &Body,
        label: &str,
        prefix: &str,
        attrs: &IndexMap<String, Value>,
        refs: &mut Vec<Reference>,
    ) -> Vec<Value> {
        let Some(content) = body.blocks.iter().find(|b| b.ident == "content") else {
            return Vec::new();
        };
        let iter_name = match body.attr("iterator").map(|a| &a.expr.kind) {
            Some(ExprKind::Var(n)) => n.as_str(),
            _ => label,
        };
        let mark = self.ref_mark();
        let coll = body
            .attr("for_each")
            .map(|fe| self.eval_value(inst, sc, &fe.expr))
            .unwrap_or_else(|| Value::unknown("dynamic block has no for_each"));
        self.refs_since(mark, &format!("{prefix}{label}"), refs);
        let base = attrs
            .get(label)
            .and_then(Value::as_list)
            .map_or(0, <[Value]>::len);
        let pairs = match ops::iter_pairs(&coll) {
            Some(p) => p,
            None if coll.is_null() => Vec::new(),
            None => {
                let reason = match coll.as_unknown() {
                    Some(u) if u.reason.starts_with("for_each of dynamic") => u.reason.clone(),
                    Some(u) => format!("for_each of dynamic \"{label}\" is unknown ({})", u.reason),
                    None => format!("for_each of dynamic \"{label}\" is not a collection"),
                };
                vec![(Value::unknown(reason.clone()), Value::unknown(reason))]
            }
        };
        let mut out = Vec::with_capacity(pairs.len());
        for (i, (k, v)) in pairs.into_iter().enumerate() {
            let mut m = IndexMap::new();
            m.insert("key".to_string(), k);
            m.insert("value".to_string(), v);
            let frame = Frame {
                name: iter_name,
                value: Value::map(m),
                parent: sc.frame,
            };
            let inner = sc.with_frame(&frame);
            let p = format!("{prefix}{label}.{}.", base + i);
            let map = self.eval_body(inst, inner, &content.body, &p, refs);
            out.push(Value::map(map).with_span(content.span.span(sc.file)));
        }
        out
    }

    /// The instances of resource/data block `idx`; `None` when it is being evaluated (cycle).
    pub fn expansion(&self, inst: &Inst<'a>, idx: usize) -> Option<Rc<Expansion>> {
        match inst.block_memo.borrow().get(&idx) {
            Some(Slot::Done(e)) => return Some(e.clone()),
            Some(Slot::Busy) => return None,
            None => {}
        }
        inst.block_memo.borrow_mut().insert(idx, Slot::Busy);
        let decl = inst.blocks[idx];
        let b = decl.block;
        let is_data = b.ident == "data";
        let type_name = b.labels.first().map_or("", String::as_str);
        let name = b.labels.get(1).map_or("", String::as_str);
        let local = if is_data {
            format!("data.{type_name}.{name}")
        } else {
            format!("{type_name}.{name}")
        };
        let what = format!("{}{local}", inst.prefix());
        self.ref_stack.borrow_mut().push(Vec::new());
        let keys = self.keys(inst, decl.file, &b.body, &what);
        let provider = self.provider_of(inst, &b.body, type_name);
        let conf = provider
            .as_ref()
            .and_then(|p| self.provider_confs.borrow().get(p).cloned());
        let mut instances = Vec::with_capacity(keys.keys.len());
        for (key, ci, each) in &keys.keys {
            let mut sc = Scope::new(decl.file);
            sc.count_index = ci.as_ref();
            sc.each = each.as_ref().map(|(k, v)| (k, v));
            let mut refs = Vec::new();
            let mut attrs = self.eval_body(inst, sc, &b.body, "", &mut refs);
            if !is_data && is_taggable(type_name) {
                if let Some(defaults) = conf.as_ref().and_then(|c| c.default_tags.as_ref()) {
                    let tags = attrs
                        .get("tags")
                        .cloned()
                        .unwrap_or_else(|| Value::map(IndexMap::new()));
                    let tags = if tags.is_null() {
                        Value::map(IndexMap::new())
                    } else {
                        tags
                    };
                    let mut all = ops::merge_maps(&[defaults, &tags]);
                    all.span = tags.span.or(Some(b.span.span(decl.file)));
                    let anchor = all.span.unwrap_or(b.span.span(decl.file));
                    ops::reanchor(&mut all, anchor);
                    attrs.insert("tags_all".to_string(), all);
                }
            }
            instances.push(Instance {
                address: format!("{local}{}", key.suffix()),
                key: key.clone(),
                attrs,
                refs,
                provider: provider.clone(),
            });
        }
        self.ref_stack.borrow_mut().pop();
        let e = Rc::new(Expansion {
            mode: keys.mode,
            unknown_reason: keys.reason,
            instances,
        });
        inst.block_memo
            .borrow_mut()
            .insert(idx, Slot::Done(e.clone()));
        Some(e)
    }

    /// The resolved provider configuration id of a resource or data block.
    fn provider_of(&self, inst: &Inst<'a>, body: &Body, type_name: &str) -> Option<String> {
        let local = match body.attr("provider").map(|a| &a.expr.kind) {
            Some(ExprKind::Var(n)) => n.clone(),
            Some(ExprKind::Traversal(root, steps)) => match (&root.kind, steps.as_slice()) {
                (ExprKind::Var(n), [Op::Attr(alias)]) => format!("{n}.{alias}"),
                _ => return None,
            },
            // JSON syntax writes the reference as a string.
            Some(ExprKind::String(s)) => s.clone(),
            _ => type_name.split('_').next()?.to_string(),
        };
        Some(inst.provider_map.get(&local).cloned().unwrap_or(local))
    }

    /// Evaluates this instance's provider blocks and registers their configurations.
    pub fn init_providers(&self, inst: &Inst<'a>) -> Vec<(String, usize, IndexMap<String, Value>)> {
        let mut out = Vec::new();
        for (i, decl) in inst.providers.iter().enumerate() {
            let Some(local) = provider_local_name(inst, i) else {
                continue;
            };
            let id = inst.provider_map.get(&local).cloned().unwrap_or(local);
            let mut refs = Vec::new();
            self.ref_stack.borrow_mut().push(Vec::new());
            let attrs =
                self.eval_body(inst, Scope::new(decl.file), &decl.block.body, "", &mut refs);
            self.ref_stack.borrow_mut().pop();
            let default_tags = attrs
                .get("default_tags")
                .and_then(Value::as_list)
                .and_then(|l| l.first())
                .map(|dt| {
                    dt.get("tags")
                        .cloned()
                        .unwrap_or_else(|| Value::map(IndexMap::new()))
                });
            self.provider_confs
                .borrow_mut()
                .insert(id.clone(), Rc::new(ProviderConf { default_tags }));
            out.push((id, i, attrs));
        }
        out
    }
}

/// `aws` or `aws.west` for provider block `i` of a module.
pub(crate) fn provider_local_name(inst: &Inst<'_>, i: usize) -> Option<String> {
    let b = inst.providers[i].block;
    let name = b.labels.first()?;
    Some(match b.body.attr("alias").map(|a| &a.expr.kind) {
        Some(ExprKind::String(alias)) => format!("{name}.{alias}"),
        _ => name.clone(),
    })
}

fn push_blocks(attrs: &mut IndexMap<String, Value>, name: &str, items: Vec<Value>) {
    match attrs.get_mut(name).map(|v| &mut v.kind) {
        Some(ValueKind::List(list)) => list.extend(items),
        _ => {
            // The list points at its first block, so findings on it land there.
            let span = items.first().and_then(|v| v.span);
            attrs.insert(name.to_string(), Value::new(ValueKind::List(items), span));
        }
    }
}
