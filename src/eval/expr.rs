//! Expression evaluation: literals, templates, operators, for expressions, splats, calls.

use indexmap::IndexMap;

use super::functions::{self, FunctionContext};
use super::ops::{self, Fail, R};
use super::scope::{Ctx, Frame, Inst, MAX_DEPTH, Scope};
use crate::diagnostic::CoreCode;
use crate::ir::{Value, ValueKind};
use crate::parse::terraform::{BinaryOp, Expr, ExprKind, ForExpr, Key, Op, Part};

impl<'a> Ctx<'a> {
    /// Evaluates an expression; failures become Unknown values carrying the failure message.
    pub fn eval_value(&self, inst: &Inst<'a>, sc: Scope<'_>, e: &Expr) -> Value {
        match self.eval(inst, sc, e) {
            Ok(v) => v,
            Err(f) => {
                if f.function && self.try_depth.get() == 0 {
                    self.diag(CoreCode::EvalError, f.message.clone(), e.pos.span(sc.file));
                }
                Value::unknown(f.message).with_span(e.pos.span(sc.file))
            }
        }
    }

    /// Evaluates an expression.
    pub fn eval(&self, inst: &Inst<'a>, sc: Scope<'_>, e: &Expr) -> R {
        let depth = self.depth.get() + 1;
        if depth > MAX_DEPTH {
            if !self.depth_reported.replace(true) {
                self.diag(
                    CoreCode::LimitExceeded,
                    format!(
                        "expression nesting deeper than {MAX_DEPTH}; the rest is not evaluated"
                    ),
                    e.pos.span(sc.file),
                );
            }
            return Ok(Value::unknown("expression nesting limit reached"));
        }
        self.depth.set(depth);
        let r = self.eval_inner(inst, sc, e);
        self.depth.set(depth - 1);
        let span = e.pos.span(sc.file);
        r.map(|mut v| {
            if v.span.is_none() {
                v.span = Some(span);
            }
            v
        })
    }

    fn eval_inner(&self, inst: &Inst<'a>, sc: Scope<'_>, e: &Expr) -> R {
        let span = e.pos.span(sc.file);
        Ok(match &e.kind {
            ExprKind::Null => Value::null().with_span(span),
            ExprKind::Bool(b) => Value::bool(*b).with_span(span),
            ExprKind::Number(n) => Value::number(*n).with_span(span),
            ExprKind::String(s) => Value::string(s.clone()).with_span(span),
            ExprKind::Template(parts) => {
                if let [Part::Interp(x)] = parts.as_slice() {
                    return self.eval(inst, sc, x);
                }
                let mut out = String::new();
                match self.render(inst, sc, parts, &mut out)? {
                    Some(u) => u,
                    None => Value::string(out).with_span(span),
                }
            }
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    out.push(self.eval(inst, sc, x)?);
                }
                Value::list(out).with_span(span)
            }
            ExprKind::Object(entries) => {
                let mut out = IndexMap::with_capacity(entries.len());
                for (k, x) in entries {
                    let key = match k {
                        Key::Name(n) => n.clone(),
                        Key::Expr(kx) => {
                            let kv = self.eval(inst, sc, kx)?;
                            match ops::to_template_string(&kv)? {
                                Some(s) => s,
                                None => return Ok(kv),
                            }
                        }
                    };
                    out.insert(key, self.eval(inst, sc, x)?);
                }
                Value::map(out).with_span(span)
            }
            ExprKind::Var(name) => return self.traverse_root(inst, sc, name, &[]),
            ExprKind::Traversal(root, steps) => {
                if let ExprKind::Var(name) = &root.kind {
                    return self.traverse_root(inst, sc, name, steps);
                }
                let v = self.eval(inst, sc, root)?;
                return self.apply_ops(inst, sc, v, steps);
            }
            ExprKind::Call(name, args, expand) => return self.call(inst, sc, name, args, *expand),
            ExprKind::Cond(c) => {
                let cond = self.eval(inst, sc, &c.0)?;
                if cond.is_unknown() {
                    // Both branches agreeing on a known value make the condition irrelevant.
                    self.try_depth.set(self.try_depth.get() + 1);
                    let a = self.eval(inst, sc, &c.1);
                    let b = a
                        .as_ref()
                        .ok()
                        .filter(|a| !a.contains_unknown())
                        .map(|_| self.eval(inst, sc, &c.2));
                    self.try_depth.set(self.try_depth.get() - 1);
                    if let (Ok(a), Some(Ok(b))) = (a, b) {
                        if ops::equal(&a, &b) {
                            return Ok(a);
                        }
                    }
                    return Ok(cond);
                }
                match cond.as_bool() {
                    Some(true) => return self.eval(inst, sc, &c.1),
                    Some(false) => return self.eval(inst, sc, &c.2),
                    None => return Err(Fail::new("a condition must be a bool")),
                }
            }
            ExprKind::Unary(op, x) => {
                let v = self.eval(inst, sc, x)?;
                ops::unary(*op, v)?.with_span(span)
            }
            ExprKind::Binary(op, pair) => {
                let a = self.eval(inst, sc, &pair.0)?;
                if *op == BinaryOp::And && a.as_bool() == Some(false) {
                    return Ok(Value::bool(false).with_span(span));
                }
                if *op == BinaryOp::Or && a.as_bool() == Some(true) {
                    return Ok(Value::bool(true).with_span(span));
                }
                let b = self.eval(inst, sc, &pair.1)?;
                ops::binary(*op, a, b)?.with_span(span)
            }
            ExprKind::For(f) => self.for_expr(inst, sc, f)?.with_span(span),
        })
    }

    /// Renders template parts into `out`; returns `Some(unknown)` when a part is Unknown.
    fn render(
        &self,
        inst: &Inst<'a>,
        sc: Scope<'_>,
        parts: &[Part],
        out: &mut String,
    ) -> Result<Option<Value>, Fail> {
        for p in parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Interp(x) => {
                    let v = self.eval(inst, sc, x)?;
                    match ops::to_template_string(&v)? {
                        Some(s) => out.push_str(&s),
                        None => return Ok(Some(v)),
                    }
                }
                Part::If(c, then, els) => {
                    let cv = self.eval(inst, sc, c)?;
                    if cv.is_unknown() {
                        return Ok(Some(cv));
                    }
                    let branch = match cv.as_bool() {
                        Some(true) => then,
                        Some(false) => els,
                        None => return Err(Fail::new("a template condition must be a bool")),
                    };
                    if let Some(u) = self.render(inst, sc, branch, out)? {
                        return Ok(Some(u));
                    }
                }
                Part::For(kv, vv, coll, body) => {
                    let c = self.eval(inst, sc, coll)?;
                    if c.is_unknown() {
                        return Ok(Some(c));
                    }
                    let pairs = ops::iter_pairs(&c)
                        .ok_or_else(|| Fail::new("a template for needs a list or map"))?;
                    for (k, v) in pairs {
                        let f1 = Frame {
                            name: vv,
                            value: v,
                            parent: sc.frame,
                        };
                        let f2;
                        let inner = match kv {
                            Some(kn) => {
                                f2 = Frame {
                                    name: kn,
                                    value: k,
                                    parent: Some(&f1),
                                };
                                sc.with_frame(&f2)
                            }
                            None => sc.with_frame(&f1),
                        };
                        if let Some(u) = self.render(inst, inner, body, out)? {
                            return Ok(Some(u));
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    fn for_expr(&self, inst: &Inst<'a>, sc: Scope<'_>, f: &ForExpr) -> R {
        let coll = self.eval(inst, sc, &f.collection)?;
        if coll.is_unknown() {
            return Ok(coll);
        }
        if coll.is_null() {
            return Err(Fail::new("a for expression cannot iterate over null"));
        }
        let pairs = ops::iter_pairs(&coll)
            .ok_or_else(|| Fail::new("a for expression needs a list or map"))?;
        let mut list = Vec::new();
        let mut map: IndexMap<String, Value> = IndexMap::new();
        for (k, v) in pairs {
            let f1 = Frame {
                name: &f.value_var,
                value: v,
                parent: sc.frame,
            };
            let f2;
            let inner = match &f.key_var {
                Some(kn) => {
                    f2 = Frame {
                        name: kn,
                        value: k,
                        parent: Some(&f1),
                    };
                    sc.with_frame(&f2)
                }
                None => sc.with_frame(&f1),
            };
            if let Some(c) = &f.cond {
                let cv = self.eval(inst, inner, c)?;
                if cv.is_unknown() {
                    return Ok(cv);
                }
                if !cv
                    .as_bool()
                    .ok_or_else(|| Fail::new("a for condition must be a bool"))?
                {
                    continue;
                }
            }
            let value = self.eval(inst, inner, &f.value_expr)?;
            match &f.key_expr {
                None => list.push(value),
                Some(kx) => {
                    let kv = self.eval(inst, inner, kx)?;
                    let Some(key) = ops::to_template_string(&kv)? else {
                        return Ok(kv);
                    };
                    if f.grouping {
                        let slot = map.entry(key).or_insert_with(|| Value::list(Vec::new()));
                        if let ValueKind::List(items) = &mut slot.kind {
                            items.push(value);
                        }
                    } else if map.contains_key(&key) {
                        return Err(Fail::new(format!(
                            "duplicate key \"{key}\" in a for expression"
                        )));
                    } else {
                        map.insert(key, value);
                    }
                }
            }
        }
        Ok(if f.key_expr.is_some() {
            Value::map(map)
        } else {
            Value::list(list)
        })
    }

    /// [`Self::apply_ops`] on a borrowed value: leading attribute steps into maps are followed
    /// by reference, so only the selected part is cloned (not a whole object for `x.name`).
    pub fn apply_ops_ref(&self, inst: &Inst<'a>, sc: Scope<'_>, mut v: &Value, steps: &[Op]) -> R {
        let mut used = 0;
        for step in steps {
            let (Op::Attr(name), ValueKind::Map(m)) = (step, &v.kind) else {
                break;
            };
            let Some(next) = m.get(name.as_str()) else {
                break;
            };
            v = next;
            used += 1;
        }
        self.apply_ops(inst, sc, v.clone(), &steps[used..])
    }

    /// Applies traversal steps to a value (splats map the rest over list elements).
    pub fn apply_ops(&self, inst: &Inst<'a>, sc: Scope<'_>, mut v: Value, steps: &[Op]) -> R {
        for (i, step) in steps.iter().enumerate() {
            match step {
                Op::Attr(name) => v = ops::get_attr(v, name)?,
                Op::Index(x) => {
                    let k = self.eval(inst, sc, x)?;
                    v = ops::index(v, &k)?;
                }
                Op::AttrSplat | Op::FullSplat => {
                    let rest = &steps[i + 1..];
                    let (each, after) = if matches!(step, Op::AttrSplat) {
                        let n = rest.iter().take_while(|s| matches!(s, Op::Attr(_))).count();
                        rest.split_at(n)
                    } else {
                        (rest, &[][..])
                    };
                    let items = match v.kind {
                        ValueKind::Unknown(_) => return Ok(v),
                        ValueKind::Null => Vec::new(),
                        ValueKind::List(items) => items,
                        _ => vec![v],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_ops(inst, sc, item, each)?);
                    }
                    return self.apply_ops(inst, sc, Value::list(out), after);
                }
            }
        }
        Ok(v)
    }

    /// `templatefile(path, vars)`: reads only inside the allowed roots; nothing is executed.
    fn templatefile(&self, inst: &Inst<'a>, sc: Scope<'_>, args: &[Expr]) -> R {
        let [path, vars] = args else {
            return Err(Fail {
                message: "templatefile(): expects a path and a map of variables".into(),
                function: true,
            });
        };
        let p = self.eval(inst, sc, path)?;
        let v = self.eval(inst, sc, vars)?;
        let Some(p) = p.as_str() else {
            return Ok(if p.is_unknown() {
                p
            } else {
                Value::unknown("templatefile() path is not a string")
            });
        };
        let Some(map) = v.as_map() else {
            return Ok(if v.is_unknown() {
                v
            } else {
                Value::unknown("templatefile() variables are not a map")
            });
        };
        // The same confinement as `file()`: symlinks resolved, only inside the allowed roots,
        // regular files only (a FIFO would block), at most 1 MiB.
        let ctx = FunctionContext {
            module_dir: &inst.dir,
            allowed_roots: &self.options.allowed_roots,
        };
        let text = match functions::read_confined_text("templatefile", p, &ctx) {
            Ok(t) => t,
            Err(reason) => return Ok(Value::unknown(reason)),
        };
        let template =
            crate::parse::terraform::parse_template(&text, path.pos).map_err(|m| Fail {
                message: format!("templatefile(): {m}"),
                function: true,
            })?;
        let inner = Scope {
            file: sc.file,
            count_index: None,
            each: None,
            frame: None,
            template_vars: Some(map),
        };
        self.eval(inst, inner, &template)
    }

    fn call(&self, inst: &Inst<'a>, sc: Scope<'_>, name: &str, args: &[Expr], expand: bool) -> R {
        match name {
            "try" => {
                self.try_depth.set(self.try_depth.get() + 1);
                let mut result = Err(Fail::new("no expression passed to try() succeeded"));
                for a in args {
                    if let Ok(v) = self.eval(inst, sc, a) {
                        result = Ok(v);
                        break;
                    }
                }
                self.try_depth.set(self.try_depth.get() - 1);
                return result;
            }
            "can" => {
                self.try_depth.set(self.try_depth.get() + 1);
                let r = args.first().map(|a| self.eval(inst, sc, a));
                self.try_depth.set(self.try_depth.get() - 1);
                return Ok(match r {
                    Some(Ok(v)) if v.is_unknown() => v,
                    Some(Ok(_)) => Value::bool(true),
                    _ => Value::bool(false),
                });
            }
            "templatefile" => return self.templatefile(inst, sc, args),
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(inst, sc, a)?);
        }
        if expand {
            if let Some(last) = values.pop() {
                match last.kind {
                    ValueKind::List(items) => values.extend(items),
                    ValueKind::Unknown(_) => return Ok(last),
                    _ => {
                        return Err(Fail::new(
                            "the final argument of a `...` call must be a list",
                        ));
                    }
                }
            }
        }
        if name.contains("::") {
            return Ok(Value::unknown(format!(
                "provider function {name}() is not evaluated"
            )));
        }
        let ctx = FunctionContext {
            module_dir: &inst.dir,
            allowed_roots: &self.options.allowed_roots,
        };
        functions::call(name, values, &ctx).map_err(|message| Fail {
            message: format!("{name}(): {message}"),
            function: true,
        })
    }
}
