//! Terraform native (HCL) and JSON syntax → a parsed file, evaluated later by `eval`.
//!
//! Both syntaxes map to one small AST ([`Body`], [`Expr`]) with byte spans into the file.

mod hcl;
mod json;

use crate::diagnostic::{CoreCode, Diagnostic};
use crate::source::{FileKind, SourceFile, Span};

/// A byte range in the file the AST came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub start: u32,
    pub end: u32,
}

impl Pos {
    pub fn new(start: usize, end: usize) -> Self {
        Pos {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The crate-wide span of this range in `file`.
    pub fn span(self, file: crate::source::FileId) -> Span {
        Span {
            file,
            start: self.start,
            end: self.end,
        }
    }
}

/// A parsed Terraform (`.tf`, `.tf.json`) or variable definitions (`.tfvars`) file.
#[derive(Debug, Default)]
pub struct TfFile {
    pub body: Body,
}

/// Attributes and blocks of a file or block body, each in source order.
#[derive(Debug, Default, Clone)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// `name = expr`.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub expr: Expr,
    pub span: Pos,
}

/// `ident "label" … { body }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub ident: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub span: Pos,
}

/// An expression with its byte range.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
}

/// Expression shapes of the HCL expression language.
#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string without interpolation.
    String(String),
    /// A string or heredoc template with interpolations or directives.
    Template(Vec<Part>),
    List(Vec<Expr>),
    Object(Vec<(Key, Expr)>),
    Var(String),
    Traversal(Box<Expr>, Vec<Op>),
    /// Function name (`provider::x::f` keeps its namespace), arguments, expand final (`...`).
    Call(String, Vec<Expr>, bool),
    Cond(Box<(Expr, Expr, Expr)>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<(Expr, Expr)>),
    For(Box<ForExpr>),
}

pub use hcl_edit::expr::{BinaryOperator as BinaryOp, UnaryOperator as UnaryOp};

/// An object key: a bare identifier is a literal string, anything else is evaluated.
#[derive(Debug, Clone)]
pub enum Key {
    Name(String),
    Expr(Expr),
}

/// A traversal step.
#[derive(Debug, Clone)]
pub enum Op {
    Attr(String),
    Index(Expr),
    /// `.*`: applies the following attribute steps to each element.
    AttrSplat,
    /// `[*]`: applies all following steps to each element.
    FullSplat,
}

/// `[for k, v in coll : expr if cond]` or `{for k, v in coll : k => v... if cond}`.
#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    pub grouping: bool,
    pub cond: Option<Expr>,
}

/// A template element.
#[derive(Debug, Clone)]
pub enum Part {
    Lit(String),
    Interp(Expr),
    If(Expr, Vec<Part>, Vec<Part>),
    For(Option<String>, String, Expr, Vec<Part>),
}

/// Parses a Terraform file. A syntax error is an IL0001 diagnostic at its line and column.
pub fn parse(file: &SourceFile) -> Result<TfFile, Diagnostic> {
    let body = match file.kind {
        FileKind::TerraformJson => json::parse_config(file)?,
        FileKind::TfvarsJson => json::parse_tfvars(file)?,
        _ => hcl::parse_body(&file.text).map_err(|(offset, message)| {
            Diagnostic::new(
                CoreCode::ParseError,
                message,
                Span::new(file.id, offset, offset),
            )
        })?,
    };
    Ok(TfFile { body })
}

/// Parses one HCL expression (for `--var` values); `None` when it does not parse.
pub fn parse_expr(text: &str) -> Option<Expr> {
    hcl::parse_expr(text)
}

/// Parses a template file's text (for `templatefile`); every node gets `pos`.
pub fn parse_template(text: &str, pos: Pos) -> Result<Expr, String> {
    hcl::parse_template_at(text, pos)
}

/// The `source` of every `module` block that names a local directory (`./x`, `../x`).
pub fn local_module_sources(file: &TfFile) -> Vec<String> {
    file.body
        .blocks
        .iter()
        .filter(|b| b.ident == "module")
        .filter_map(|b| match &b.body.attr("source")?.expr.kind {
            ExprKind::String(s) if is_local_source(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// Whether a module source is a local path.
pub fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s == "." || s == ".."
}
