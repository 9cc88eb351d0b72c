//! Named values: `var.*`, `local.*`, `count.*`, `each.*`, `path.*`, resources, data sources
//! and module outputs, each resolved lazily with memoization and cycle detection.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;

use indexmap::IndexMap;

use super::ops::{self, Fail, R};
use super::scope::{Ctx, Inst, InstKey, Mode, Scope, Slot};
use crate::ir::{Unknown, Value, ValueKind};
use crate::parse::terraform::Op;

/// Looks up a memo; computes and stores on a miss; `cycle` on re-entry.
pub(crate) fn memo<K: Hash + Eq + Clone, T: Clone>(
    cell: &RefCell<HashMap<K, Slot<T>>>,
    key: &K,
    cycle: impl FnOnce() -> T,
    compute: impl FnOnce() -> T,
) -> T {
    match cell.borrow().get(key) {
        Some(Slot::Done(v)) => return v.clone(),
        Some(Slot::Busy) => return cycle(),
        None => {}
    }
    cell.borrow_mut().insert(key.clone(), Slot::Busy);
    let v = compute();
    cell.borrow_mut().insert(key.clone(), Slot::Done(v.clone()));
    v
}

fn attr_name(steps: &[Op], i: usize) -> Option<&str> {
    match steps.get(i) {
        Some(Op::Attr(n)) => Some(n),
        _ => None,
    }
}

impl<'a> Ctx<'a> {
    /// Resolves `name.steps…` where `name` is a root variable of the expression language.
    pub fn traverse_root(&self, inst: &Inst<'a>, sc: Scope<'_>, name: &str, steps: &[Op]) -> R {
        if let Some(v) = sc.lookup(name) {
            return self.apply_ops_ref(inst, sc, v, steps);
        }
        let first = attr_name(steps, 0);
        let (v, used) = match (name, first) {
            ("var", Some(n)) => (self.variable(inst, n), 1),
            ("local", Some(n)) => (self.local(inst, n)?, 1),
            ("count", Some("index")) => match sc.count_index {
                Some(v) => (v.clone(), 1),
                None => return Err(Fail::new("count.index is only valid in a block with count")),
            },
            ("each", Some(k @ ("key" | "value"))) => match sc.each {
                Some((key, value)) => {
                    let v = if k == "key" { key } else { value };
                    return self.apply_ops_ref(inst, sc, v, &steps[1..]);
                }
                None => return Err(Fail::new("each is only valid in a block with for_each")),
            },
            ("path", Some(_)) => (Value::string("."), 1),
            ("terraform", Some("workspace")) => (Value::string("default"), 1),
            ("terraform", Some(_)) => (Value::unknown("terraform.* is not evaluated"), 1),
            ("self", _) => (Value::unknown("self is only known at apply time"), 0),
            ("data", Some(t)) => {
                let Some(n) = attr_name(steps, 1) else {
                    return Err(Fail::new("a data reference needs a type and a name"));
                };
                let key = format!("data.{t}.{n}");
                let Some(&idx) = inst.index.get(&key) else {
                    return Err(Fail::new(format!(
                        "reference to undeclared data source {key}"
                    )));
                };
                return self.block_ref(inst, sc, idx, &key, &steps[2..]);
            }
            ("module", Some(n)) => {
                let key = format!("module.{n}");
                let Some(&idx) = inst.index.get(&key) else {
                    return Err(Fail::new(format!("reference to undeclared module {key}")));
                };
                return self.module_ref(inst, sc, idx, &key, &steps[1..]);
            }
            (t, Some(n)) if inst.index.contains_key(&format!("{t}.{n}")) => {
                let key = format!("{t}.{n}");
                let idx = inst.index[&key];
                return self.block_ref(inst, sc, idx, &key, &steps[1..]);
            }
            _ => {
                return Err(Fail::new(format!(
                    "reference to unknown name `{name}{}`",
                    first.map(|f| format!(".{f}")).unwrap_or_default()
                )));
            }
        };
        self.apply_ops(inst, sc, v, &steps[used..])
    }

    /// The value of `var.name` in this module instance.
    pub fn variable(&self, inst: &Inst<'a>, name: &str) -> Value {
        if let Some(v) = inst.inputs.get(name) {
            return v.clone();
        }
        let key = name.to_string();
        memo(
            &inst.var_memo,
            &key,
            || Value::unknown(format!("variable \"{name}\" refers to itself")),
            || {
                let Some(decl) = inst.variables.get(name) else {
                    return Value::unknown(format!("variable \"{name}\" is not declared"));
                };
                match decl.block.body.attr("default") {
                    Some(d) => {
                        let v = self.eval_value(inst, Scope::new(decl.file), &d.expr);
                        self.typed(inst, name, v)
                    }
                    None => Value::unknown(format!("variable \"{name}\" has no value")),
                }
            },
        )
    }

    fn local(&self, inst: &Inst<'a>, name: &str) -> R {
        let Some(&(file, expr)) = inst.locals.get(name) else {
            return Err(Fail::new(format!(
                "reference to undeclared local value local.{name}"
            )));
        };
        let key = name.to_string();
        let (v, refs) = memo(
            &inst.local_memo,
            &key,
            || {
                (
                    Value::unknown(format!("local.{name} refers to itself (cycle)")),
                    Vec::new(),
                )
            },
            || {
                self.ref_stack.borrow_mut().push(Vec::new());
                let v = self.eval_value(inst, Scope::new(file), expr);
                let refs = self.ref_stack.borrow_mut().pop().unwrap_or_default();
                (v, refs)
            },
        );
        for r in refs {
            self.record_ref(r);
        }
        Ok(v)
    }

    /// `module.x.out` of a child instance.
    pub fn output(&self, child: &Inst<'a>, name: &str) -> R {
        let Some(&(file, expr)) = child.outputs.get(name) else {
            return Err(Fail::new(format!(
                "module {} has no output \"{name}\"",
                child.path
            )));
        };
        let key = name.to_string();
        Ok(memo(
            &child.output_memo,
            &key,
            || Value::unknown(format!("output \"{name}\" of {} is in a cycle", child.path)),
            || {
                // References inside the child stay the child's own.
                self.ref_stack.borrow_mut().push(Vec::new());
                let v = self.eval_value(child, Scope::new(file), expr);
                self.ref_stack.borrow_mut().pop();
                v
            },
        ))
    }

    /// A reference to a resource or data block: `key` is `type.name` or `data.type.name`.
    fn block_ref(&self, inst: &Inst<'a>, sc: Scope<'_>, idx: usize, key: &str, steps: &[Op]) -> R {
        let base = format!("{}{key}", inst.prefix());
        self.record_ref(base.clone());
        let Some(exp) = self.expansion(inst, idx) else {
            return Ok(Value::new(
                ValueKind::Unknown(Unknown::reference(
                    format!("{base} refers back to the object being evaluated (cycle)"),
                    base,
                )),
                None,
            ));
        };
        let is_data = key.starts_with("data.");
        let attr_of = |i: usize, steps: &[Op]| -> R {
            let instance = &exp.instances[i];
            let addr = format!("{}{}", inst.prefix(), instance.address);
            match steps.first() {
                None => Ok(Value::map(instance.attrs.clone())),
                Some(Op::Attr(a)) => match instance.attrs.get(a.as_str()) {
                    Some(v) => self.apply_ops_ref(inst, sc, v, &steps[1..]),
                    None => {
                        let what = if is_data { "data source" } else { "resource" };
                        Ok(Value::new(
                            ValueKind::Unknown(Unknown::reference(
                                format!("{what} attribute {addr}.{a} is computed"),
                                addr,
                            )),
                            None,
                        ))
                    }
                },
                Some(_) => Err(Fail::new(format!("{addr} cannot be indexed"))),
            }
        };
        match exp.mode {
            Mode::Single => attr_of(0, steps),
            Mode::Unknown => Ok(Value::new(
                ValueKind::Unknown(Unknown::reference(exp.unknown_reason.clone(), base)),
                None,
            )),
            Mode::Count | Mode::ForEach => match steps.first() {
                Some(Op::Index(x)) => {
                    let k = self.eval(inst, sc, x)?;
                    if k.is_unknown() {
                        return Ok(k);
                    }
                    let pos = find_instance(exp.instances.iter().map(|i| &i.key), &k);
                    match pos {
                        Some(p) => attr_of(p, &steps[1..]),
                        None => Err(Fail::new(format!(
                            "{base} has no instance {}",
                            key_text(&k)
                        ))),
                    }
                }
                Some(Op::FullSplat | Op::AttrSplat) => {
                    let mut out = Vec::with_capacity(exp.instances.len());
                    let rest = &steps[1..];
                    let n = if matches!(steps[0], Op::AttrSplat) {
                        rest.iter().take_while(|s| matches!(s, Op::Attr(_))).count()
                    } else {
                        rest.len()
                    };
                    for i in 0..exp.instances.len() {
                        out.push(attr_of(i, &rest[..n])?);
                    }
                    self.apply_ops(inst, sc, Value::list(out), &rest[n..])
                }
                _ => {
                    let whole = if exp.mode == Mode::Count {
                        Value::list(
                            exp.instances
                                .iter()
                                .map(|i| Value::map(i.attrs.clone()))
                                .collect(),
                        )
                    } else {
                        let m: IndexMap<String, Value> = exp
                            .instances
                            .iter()
                            .map(|i| match &i.key {
                                InstKey::Str(s) => (s.clone(), Value::map(i.attrs.clone())),
                                other => (other.suffix(), Value::map(i.attrs.clone())),
                            })
                            .collect();
                        Value::map(m)
                    };
                    self.apply_ops(inst, sc, whole, steps)
                }
            },
        }
    }

    /// A reference to a module call: `module.x.out`, `module.x[0].out`, `module.x[*].out`.
    fn module_ref(&self, inst: &Inst<'a>, sc: Scope<'_>, idx: usize, key: &str, steps: &[Op]) -> R {
        let base = format!("{}{key}", inst.prefix());
        self.record_ref(base.clone());
        let Some(call) = self.call_expansion(inst, idx) else {
            return Ok(Value::new(
                ValueKind::Unknown(Unknown::reference(
                    format!("{base} refers back to itself (cycle)"),
                    base,
                )),
                None,
            ));
        };
        if let Some(reason) = &call.unavailable {
            return Ok(Value::new(
                ValueKind::Unknown(Unknown::reference(reason.clone(), base)),
                None,
            ));
        }
        let out_of = |i: usize, steps: &[Op]| -> R {
            let Some(child) = &call.instances[i].child else {
                return Ok(Value::unknown("module is not evaluated"));
            };
            match steps.first() {
                Some(Op::Attr(o)) => {
                    let v = self.output(child, o)?;
                    self.apply_ops(inst, sc, v, &steps[1..])
                }
                None => {
                    let mut m = IndexMap::new();
                    let mut names: Vec<&&str> = child.outputs.keys().collect();
                    names.sort();
                    for n in names {
                        m.insert(n.to_string(), self.output(child, n)?);
                    }
                    Ok(Value::map(m))
                }
                Some(_) => Err(Fail::new(format!("{base} cannot be indexed"))),
            }
        };
        match call.mode {
            Mode::Single => out_of(0, steps),
            Mode::Unknown => Ok(Value::new(
                ValueKind::Unknown(Unknown::reference(call.unknown_reason.clone(), base)),
                None,
            )),
            Mode::Count | Mode::ForEach => match steps.first() {
                Some(Op::Index(x)) => {
                    let k = self.eval(inst, sc, x)?;
                    if k.is_unknown() {
                        return Ok(k);
                    }
                    match find_instance(call.instances.iter().map(|i| &i.key), &k) {
                        Some(p) => out_of(p, &steps[1..]),
                        None => Err(Fail::new(format!(
                            "{base} has no instance {}",
                            key_text(&k)
                        ))),
                    }
                }
                Some(Op::FullSplat | Op::AttrSplat) => {
                    let mut out = Vec::new();
                    for i in 0..call.instances.len() {
                        out.push(out_of(i, &steps[1..])?);
                    }
                    Ok(Value::list(out))
                }
                _ => {
                    let mut items = Vec::new();
                    let mut map = IndexMap::new();
                    for (i, ci) in call.instances.iter().enumerate() {
                        let v = out_of(i, &[])?;
                        match &ci.key {
                            InstKey::Str(s) => {
                                map.insert(s.clone(), v);
                            }
                            _ => items.push(v),
                        }
                    }
                    let whole = if call.mode == Mode::Count {
                        Value::list(items)
                    } else {
                        Value::map(map)
                    };
                    self.apply_ops(inst, sc, whole, steps)
                }
            },
        }
    }
}

/// Position of the instance with key `k` (direct for count indexes).
fn find_instance<'k>(
    mut keys: impl ExactSizeIterator<Item = &'k InstKey> + Clone,
    k: &Value,
) -> Option<usize> {
    if let Some(n) = k.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0) {
        let i = n as usize;
        if keys
            .clone()
            .nth(i)
            .is_some_and(|key| *key == InstKey::Int(i))
        {
            return Some(i);
        }
    }
    keys.position(|key| key_matches(key, k))
}

fn key_matches(key: &InstKey, k: &Value) -> bool {
    match (key, &k.kind) {
        (InstKey::Int(i), ValueKind::Number(n)) => *i as f64 == *n,
        (InstKey::Int(i), ValueKind::String(s)) => s.parse::<usize>().ok() == Some(*i),
        (InstKey::Str(s), ValueKind::String(t)) => s == t,
        _ => false,
    }
}

fn key_text(k: &Value) -> String {
    match &k.kind {
        ValueKind::String(s) => format!("[\"{s}\"]"),
        ValueKind::Number(n) => format!("[{}]", ops::fmt_number(*n)),
        _ => "[?]".into(),
    }
}
