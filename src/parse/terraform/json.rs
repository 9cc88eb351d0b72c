//! Terraform JSON syntax (`*.tf.json`, `*.tfvars.json`) → the Terraform AST.
//!
//! serde_json validates and reports errors; a small span-tracking reader then builds values
//! with byte ranges. Strings in expression positions are templates (`"${var.x}"`).

use crate::diagnostic::{CoreCode, Diagnostic};
use crate::source::{SourceFile, Span};

use super::{Attr, Block, Body, Expr, ExprKind, Key, Pos};

/// A JSON value with its byte range.
struct JVal {
    kind: JKind,
    pos: Pos,
}

enum JKind {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<JVal>),
    Obj(Vec<(String, JVal)>),
}

fn read(file: &SourceFile) -> Result<JVal, Diagnostic> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&file.text) {
        let offset = file.offset_of(e.line() as u32, e.column() as u32);
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        return Err(Diagnostic::new(
            CoreCode::ParseError,
            msg,
            Span::new(file.id, offset, offset),
        ));
    }
    let mut r = Reader {
        s: file.text.as_bytes(),
        i: 0,
    };
    Ok(r.value())
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    /// Reads one value; the input is already known to be valid JSON.
    fn value(&mut self) -> JVal {
        self.ws();
        let start = self.i;
        let kind = match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b'}') | None => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => self.i += 1,
                        _ => {
                            let key = self.string();
                            self.ws();
                            self.i += 1; // ':'
                            let v = self.value();
                            entries.push((key, v));
                        }
                    }
                }
                JKind::Obj(entries)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b']') | None => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => self.i += 1,
                        _ => items.push(self.value()),
                    }
                }
                JKind::Arr(items)
            }
            Some(b'"') => JKind::Str(self.string()),
            Some(b't') => {
                self.i += 4;
                JKind::Bool(true)
            }
            Some(b'f') => {
                self.i += 5;
                JKind::Bool(false)
            }
            Some(b'n') => {
                self.i += 4;
                JKind::Null
            }
            _ => {
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("0");
                JKind::Num(text.parse().unwrap_or(f64::NAN))
            }
        };
        JVal {
            kind,
            pos: Pos::new(start, self.i.min(self.s.len())),
        }
    }

    fn string(&mut self) -> String {
        let start = self.i;
        self.i += 1;
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        let raw = std::str::from_utf8(&self.s[start..self.i.min(self.s.len())]).unwrap_or("\"\"");
        serde_json::from_str(raw).unwrap_or_default()
    }
}

/// `*.tfvars.json`: top-level keys are variable values, taken literally.
pub(super) fn parse_tfvars(file: &SourceFile) -> Result<Body, Diagnostic> {
    let root = read(file)?;
    let mut body = Body::default();
    if let JKind::Obj(entries) = root.kind {
        for (k, v) in entries {
            body.attrs.push(Attr {
                name: k,
                span: v.pos,
                expr: literal(v),
            });
        }
    }
    Ok(body)
}

fn literal(v: JVal) -> Expr {
    let kind = match v.kind {
        JKind::Null => ExprKind::Null,
        JKind::Bool(b) => ExprKind::Bool(b),
        JKind::Num(n) => ExprKind::Number(n),
        JKind::Str(s) => ExprKind::String(s),
        JKind::Arr(items) => ExprKind::List(items.into_iter().map(literal).collect()),
        JKind::Obj(entries) => ExprKind::Object(
            entries
                .into_iter()
                .map(|(k, v)| (Key::Name(k), literal(v)))
                .collect(),
        ),
    };
    Expr { kind, pos: v.pos }
}

/// A JSON value in expression position: strings are templates.
fn expression(v: JVal) -> Expr {
    let kind = match v.kind {
        JKind::Str(s) => {
            if s.contains("${") || s.contains("%{") {
                return super::hcl::parse_template_at(&s, v.pos).unwrap_or(Expr {
                    kind: ExprKind::String(s),
                    pos: v.pos,
                });
            }
            ExprKind::String(s)
        }
        JKind::Arr(items) => ExprKind::List(items.into_iter().map(expression).collect()),
        JKind::Obj(entries) => ExprKind::Object(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = if k.contains("${") {
                        super::hcl::parse_template_at(&k, v.pos)
                            .map(Key::Expr)
                            .unwrap_or(Key::Name(k))
                    } else {
                        Key::Name(k)
                    };
                    (key, expression(v))
                })
                .collect(),
        ),
        other => {
            return literal(JVal {
                kind: other,
                pos: v.pos,
            });
        }
    };
    Expr { kind, pos: v.pos }
}

/// Number of labels of each top-level block type.
fn label_count(ident: &str) -> Option<usize> {
    Some(match ident {
        "resource" | "data" => 2,
        "module" | "provider" | "variable" | "output" => 1,
        "locals" | "terraform" | "moved" | "import" | "check" | "removed" => 0,
        _ => return None,
    })
}

/// Map-typed arguments that must stay attributes although their value is a JSON object.
const MAP_ARGS: &[&str] = &[
    "default",
    "environment",
    "labels",
    "metadata",
    "parameters",
    "providers",
    "tags",
    "tags_all",
    "triggers",
    "variables",
];

/// `*.tf.json`: block types → objects, labels as nested keys.
pub(super) fn parse_config(file: &SourceFile) -> Result<Body, Diagnostic> {
    let root = read(file)?;
    let mut body = Body::default();
    let JKind::Obj(entries) = root.kind else {
        return Ok(body);
    };
    for (ident, v) in entries {
        if ident == "//" {
            continue;
        }
        let Some(n) = label_count(&ident) else {
            continue;
        };
        let mut out = Vec::new();
        labelled(&ident, v, n, &mut Vec::new(), &mut out);
        body.blocks.extend(out);
    }
    Ok(body)
}

fn labelled(ident: &str, v: JVal, n: usize, labels: &mut Vec<String>, out: &mut Vec<Block>) {
    if n == 0 {
        match v.kind {
            JKind::Arr(items) => {
                for item in items {
                    labelled(ident, item, 0, labels, out);
                }
            }
            JKind::Obj(_) => {
                let attrs_only = ident == "locals";
                out.push(Block {
                    ident: ident.to_string(),
                    labels: labels.clone(),
                    span: v.pos,
                    body: block_body(v, attrs_only),
                })
            }
            _ => {}
        }
        return;
    }
    match v.kind {
        JKind::Obj(entries) => {
            for (k, inner) in entries {
                labels.push(k);
                labelled(ident, inner, n - 1, labels, out);
                labels.pop();
            }
        }
        JKind::Arr(items) => {
            for item in items {
                labelled(ident, item, n, labels, out);
            }
        }
        _ => {}
    }
}

fn is_block_value(v: &JVal) -> bool {
    match &v.kind {
        JKind::Obj(_) => true,
        JKind::Arr(items) => {
            !items.is_empty() && items.iter().all(|i| matches!(i.kind, JKind::Obj(_)))
        }
        _ => false,
    }
}

fn block_body(v: JVal, attrs_only: bool) -> Body {
    let mut body = Body::default();
    let JKind::Obj(entries) = v.kind else {
        return body;
    };
    for (k, v) in entries {
        if k == "//" {
            continue;
        }
        if !attrs_only && !MAP_ARGS.contains(&k.as_str()) && is_block_value(&v) {
            if k == "dynamic" {
                let mut out = Vec::new();
                labelled_dynamic(v, &mut out);
                body.blocks.extend(out);
                continue;
            }
            let items = match v.kind {
                JKind::Arr(items) => items,
                other => vec![JVal {
                    kind: other,
                    pos: v.pos,
                }],
            };
            for item in items {
                body.blocks.push(Block {
                    ident: k.clone(),
                    labels: Vec::new(),
                    span: item.pos,
                    body: block_body(item, false),
                });
            }
        } else {
            body.attrs.push(Attr {
                name: k,
                span: v.pos,
                expr: expression(v),
            });
        }
    }
    body
}

fn labelled_dynamic(v: JVal, out: &mut Vec<Block>) {
    if let JKind::Obj(entries) = v.kind {
        for (label, inner) in entries {
            let span = inner.pos;
            let mut b = block_body(inner, false);
            // `content` is a block; keep `for_each`/`iterator` as attributes.
            for blk in &mut b.blocks {
                if blk.ident != "content" {
                    blk.ident = "content".into();
                }
            }
            out.push(Block {
                ident: "dynamic".into(),
                labels: vec![label],
                span,
                body: b,
            });
        }
    }
}
