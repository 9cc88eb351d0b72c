//! hcl-edit's syntax tree → the Terraform AST.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{self, Structure};
use hcl_edit::template::{Directive, Element, Strip, Template};

use super::{Attr, Block, Body, Expr, ExprKind, ForExpr, Key, Op, Part, Pos};

/// Parses a native-syntax body; on error returns the byte offset and a one-line message.
pub(super) fn parse_body(text: &str) -> Result<Body, (usize, String)> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(Conv { fixed: None }.body(&body)),
        Err(e) => {
            let loc = e.location();
            let message = e.message().lines().collect::<Vec<_>>().join("; ");
            let message = if message.is_empty() {
                "invalid HCL syntax".to_string()
            } else {
                message
            };
            Err((loc.offset(), message))
        }
    }
}

pub(super) fn parse_expr(text: &str) -> Option<Expr> {
    let e = hcl_edit::parser::parse_expr(text).ok()?;
    Some(Conv { fixed: None }.expr(&e))
}

/// Parses a template string found at `pos` (JSON syntax); every node gets `pos`.
pub(super) fn parse_template_at(text: &str, pos: Pos) -> Result<Expr, String> {
    let t = hcl_edit::parser::parse_template(text).map_err(|e| e.message().replace('\n', "; "))?;
    let conv = Conv { fixed: Some(pos) };
    Ok(conv.template_expr(&t, pos))
}

struct Conv {
    /// Overrides every span (templates parsed out of JSON strings).
    fixed: Option<Pos>,
}

impl Conv {
    fn pos(&self, r: Option<std::ops::Range<usize>>) -> Pos {
        if let Some(p) = self.fixed {
            return p;
        }
        r.map_or(Pos::default(), |r| Pos::new(r.start, r.end))
    }

    fn body(&self, body: &structure::Body) -> Body {
        let mut out = Body::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => out.attrs.push(Attr {
                    name: a.key.value().to_string(),
                    expr: self.expr(&a.value),
                    span: self.pos(a.span()),
                }),
                Structure::Block(b) => out.blocks.push(Block {
                    ident: b.ident.value().to_string(),
                    labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                    body: self.body(&b.body),
                    span: self.pos(b.span()),
                }),
            }
        }
        out
    }

    fn expr(&self, e: &Expression) -> Expr {
        let pos = self.pos(e.span());
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => ExprKind::String(s.value().clone()),
            Expression::Array(a) => ExprKind::List(a.iter().map(|x| self.expr(x)).collect()),
            Expression::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => Key::Name(i.value().to_string()),
                            ObjectKey::Expression(x) => match self.expr(x) {
                                Expr {
                                    kind: ExprKind::Var(n),
                                    ..
                                } => Key::Name(n),
                                other => Key::Expr(other),
                            },
                        };
                        (key, self.expr(v.expr()))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                return self.template_expr_elems(t.iter(), pos);
            }
            Expression::HeredocTemplate(h) => {
                let mut e = self.template_expr(&h.template, pos);
                if let (Some(n), ExprKind::Template(parts)) = (h.indent(), &mut e.kind) {
                    for p in parts.iter_mut() {
                        dedent_nested(p, n);
                    }
                }
                return e;
            }
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => ExprKind::Var(v.value().to_string()),
            Expression::Conditional(c) => ExprKind::Cond(Box::new((
                self.expr(&c.cond_expr),
                self.expr(&c.true_expr),
                self.expr(&c.false_expr),
            ))),
            Expression::FuncCall(f) => {
                let mut name = String::new();
                for ns in &f.name.namespace {
                    name.push_str(ns.value());
                    name.push_str("::");
                }
                name.push_str(f.name.name.value());
                ExprKind::Call(
                    name,
                    f.args.iter().map(|a| self.expr(a)).collect(),
                    f.args.expand_final(),
                )
            }
            Expression::Traversal(t) => ExprKind::Traversal(
                Box::new(self.expr(&t.expr)),
                t.operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => Op::AttrSplat,
                        TraversalOperator::FullSplat(_) => Op::FullSplat,
                        TraversalOperator::GetAttr(i) => Op::Attr(i.value().to_string()),
                        TraversalOperator::Index(x) => Op::Index(self.expr(x)),
                        TraversalOperator::LegacyIndex(i) => Op::Index(Expr {
                            kind: ExprKind::Number(*i.value() as f64),
                            pos,
                        }),
                    })
                    .collect(),
            ),
            Expression::UnaryOp(u) => {
                ExprKind::Unary(*u.operator.value(), Box::new(self.expr(&u.expr)))
            }
            Expression::BinaryOp(b) => ExprKind::Binary(
                *b.operator.value(),
                Box::new((self.expr(&b.lhs_expr), self.expr(&b.rhs_expr))),
            ),
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.value().to_string()),
                value_var: f.intro.value_var.value().to_string(),
                collection: self.expr(&f.intro.collection_expr),
                key_expr: f.key_expr.as_ref().map(|k| self.expr(k)),
                value_expr: self.expr(&f.value_expr),
                grouping: f.grouping,
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
            })),
        };
        Expr { kind, pos }
    }

    fn template_expr(&self, t: &Template, pos: Pos) -> Expr {
        self.template_expr_elems(t.iter(), pos)
    }

    fn template_expr_elems<'a>(&self, elems: impl Iterator<Item = &'a Element>, pos: Pos) -> Expr {
        let parts = self.parts(elems);
        let kind = match parts.as_slice() {
            [] => ExprKind::String(String::new()),
            [Part::Lit(s)] => ExprKind::String(s.clone()),
            _ => ExprKind::Template(parts),
        };
        Expr { kind, pos }
    }

    fn parts<'a>(&self, elems: impl Iterator<Item = &'a Element>) -> Vec<Part> {
        let mut out: Vec<Part> = Vec::new();
        let mut strip_next = false;
        for el in elems {
            let (part, strip) = match el {
                Element::Literal(s) => {
                    let mut text = s.value().as_str();
                    if strip_next {
                        text = text.trim_start();
                    }
                    strip_next = false;
                    out.push(Part::Lit(text.to_string()));
                    continue;
                }
                Element::Interpolation(i) => (Part::Interp(self.expr(&i.expr)), i.strip),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let mut then = self.parts(d.if_expr.template.iter());
                        strip_edges(&mut then, d.if_expr.strip.strip_end(), false);
                        let mut els = Vec::new();
                        match &d.else_expr {
                            Some(e) => {
                                strip_edges(&mut then, false, e.strip.strip_start());
                                els = self.parts(e.template.iter());
                                strip_edges(&mut els, e.strip.strip_end(), false);
                                strip_edges(&mut els, false, d.endif_expr.strip.strip_start());
                            }
                            None => strip_edges(&mut then, false, d.endif_expr.strip.strip_start()),
                        }
                        let strip = Strip::from((
                            d.if_expr.strip.strip_start(),
                            d.endif_expr.strip.strip_end(),
                        ));
                        (Part::If(self.expr(&d.if_expr.cond_expr), then, els), strip)
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let strip =
                            Strip::from((f.strip.strip_start(), d.endfor_expr.strip.strip_end()));
                        let mut body = self.parts(f.template.iter());
                        strip_edges(
                            &mut body,
                            f.strip.strip_end(),
                            d.endfor_expr.strip.strip_start(),
                        );
                        (
                            Part::For(
                                f.key_var.as_ref().map(|k| k.value().to_string()),
                                f.value_var.value().to_string(),
                                self.expr(&f.collection_expr),
                                body,
                            ),
                            strip,
                        )
                    }
                },
            };
            if strip.strip_start() {
                if let Some(Part::Lit(prev)) = out.last_mut() {
                    let trimmed = prev.trim_end().len();
                    prev.truncate(trimmed);
                }
            }
            strip_next = strip.strip_end();
            out.push(part);
        }
        out
    }
}

/// Trims whitespace at the start of the first and/or end of the last literal (`~` markers).
fn strip_edges(parts: &mut [Part], start: bool, end: bool) {
    if start {
        if let Some(Part::Lit(s)) = parts.first_mut() {
            *s = s.trim_start().to_string();
        }
    }
    if end {
        if let Some(Part::Lit(s)) = parts.last_mut() {
            let n = s.trim_end().len();
            s.truncate(n);
        }
    }
}

/// Removes a `<<-` heredoc's indent from lines inside directives (hcl-edit dedents only the
/// top-level literals).
fn dedent_nested(part: &mut Part, n: usize) {
    let nested: Vec<&mut Part> = match part {
        Part::If(_, a, b) => a.iter_mut().chain(b.iter_mut()).collect(),
        Part::For(_, _, _, body) => body.iter_mut().collect(),
        _ => return,
    };
    for p in nested {
        match p {
            Part::Lit(s) => {
                let mut out = String::with_capacity(s.len());
                for (i, line) in s.split('\n').enumerate() {
                    if i > 0 {
                        out.push('\n');
                        let strip = line.len() - line.trim_start_matches(' ').len();
                        out.push_str(&line[strip.min(n)..]);
                    } else {
                        out.push_str(line);
                    }
                }
                *s = out;
            }
            other => dedent_nested(other, n),
        }
    }
}
