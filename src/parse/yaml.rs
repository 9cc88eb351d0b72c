//! YAML 1.2 → a span-keeping node tree, on top of `saphyr-parser`'s event stream.
//!
//! Why our own tree rather than `saphyr::MarkedYaml`: we need byte spans (the parser counts
//! characters), the span of every mapping *key*, aliases that are shared instead of copied
//! (so a "billion laughs" document costs memory linear in its size), a nesting-depth cap, and
//! errors that become IL0001/IL0006 diagnostics instead of aborting the run.
//!
//! Scalars follow the YAML 1.2 core schema: `on`, `yes`, `off` are strings; `true`/`false`,
//! `null`/`~`/empty, integers and floats are typed when written plain (unquoted, untagged).

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YSpan};

use crate::diagnostic::{CoreCode, Diagnostic};
use crate::ir::{Value, ValueKind};
use crate::source::{FileId, Span};

/// Maximum nesting of collections in one document.
pub const MAX_DEPTH: usize = 128;
/// Maximum number of values produced when converting a document (aliases expanded).
pub const MAX_EXPANDED_NODES: usize = 1_000_000;

/// A YAML node with its byte span.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// The shape of a [`Node`].
#[derive(Debug, Clone)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string scalar (quoted, block, or plain text that is not null/bool/number).
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// `*name`: the anchored node, shared. Resolve with [`Node::resolved`].
    Alias(Rc<Node>),
    /// An alias to an anchor that is not (yet) defined, e.g. a recursive one.
    BadAlias,
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key as text (scalars verbatim, `on` stays `"on"`).
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The node itself, or the anchored node an alias points to.
    pub fn resolved(&self) -> &Node {
        let mut n = self;
        while let NodeKind::Alias(target) = &n.kind {
            n = target;
        }
        n
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.resolved().kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.resolved().kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.resolved().kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The entry `key` of a mapping (the last one if a key is repeated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The scalar's text as GitHub would see it (numbers and booleans rendered back).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.resolved().kind {
            NodeKind::String(s) => Some(s.clone()),
            NodeKind::Bool(b) => Some(b.to_string()),
            NodeKind::Number(n) => Some(render_number(*n)),
            NodeKind::Null => Some(String::new()),
            _ => None,
        }
    }
}

fn render_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Converts nodes to IR [`Value`]s with a budget on the number of values produced, so aliases
/// cannot blow up memory. When the budget runs out, the rest converts to Unknown and one
/// IL0006 diagnostic is raised.
#[derive(Debug)]
pub struct Converter {
    budget: usize,
    file: FileId,
    pub exceeded: Option<Diagnostic>,
}

impl Converter {
    pub fn new(file: FileId) -> Self {
        Self::with_budget(file, MAX_EXPANDED_NODES)
    }

    pub fn with_budget(file: FileId, budget: usize) -> Self {
        Converter {
            budget,
            file,
            exceeded: None,
        }
    }

    /// Takes `n` units from the budget; false (and a diagnostic, once) when it is spent.
    pub fn spend(&mut self, n: usize, at: Span) -> bool {
        if self.budget >= n {
            self.budget -= n;
            return true;
        }
        self.budget = 0;
        if self.exceeded.is_none() {
            self.exceeded = Some(Diagnostic::new(
                CoreCode::LimitExceeded,
                format!(
                    "YAML aliases expand to more than {MAX_EXPANDED_NODES} values; \
                     the rest of this file is treated as unknown"
                ),
                at,
            ));
        }
        let _ = self.file;
        false
    }

    /// The node as a Value; aliased subtrees are copied (against the budget). Alias values
    /// keep the spans of the anchored text, except the top one, which points at `*name`.
    pub fn value(&mut self, node: &Node) -> Value {
        if !self.spend(1, node.span) {
            return Value::unknown("YAML alias expansion limit exceeded").with_span(node.span);
        }
        let kind = match &node.kind {
            NodeKind::Null => ValueKind::Null,
            NodeKind::Bool(b) => ValueKind::Bool(*b),
            NodeKind::Number(n) => ValueKind::Number(*n),
            NodeKind::String(s) => ValueKind::String(s.clone()),
            NodeKind::Seq(items) => ValueKind::List(items.iter().map(|n| self.value(n)).collect()),
            NodeKind::Map(entries) => {
                let mut m = IndexMap::with_capacity(entries.len());
                for e in entries {
                    let v = self.value(&e.value);
                    m.insert(e.key.clone(), v);
                }
                ValueKind::Map(m)
            }
            NodeKind::Alias(target) => {
                self.budget += 1; // the alias itself is not a value
                let mut v = self.value(target);
                v.span = Some(node.span);
                return v;
            }
            NodeKind::BadAlias => {
                ValueKind::Unknown(crate::ir::Unknown::new("alias to an undefined anchor"))
            }
        };
        Value::new(kind, Some(node.span))
    }
}

/// Maps the parser's character indices to byte offsets.
struct CharMap {
    /// Byte offset of each char index; empty when the text is ASCII (index = offset).
    offsets: Vec<u32>,
    len: usize,
}

impl CharMap {
    fn new(text: &str) -> Self {
        let offsets = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i as u32)
                .chain(std::iter::once(text.len() as u32))
                .collect()
        };
        CharMap {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.offsets.is_empty() {
            char_index.min(self.len)
        } else {
            self.offsets
                .get(char_index)
                .map_or(self.len, |&b| b as usize)
        }
    }
}

/// The result of loading one YAML text.
#[derive(Debug)]
pub struct Loaded {
    /// The first document's root, when the text holds one and it loaded.
    pub root: Option<Node>,
    /// IL0001 (syntax, duplicate keys) and IL0006 (depth) diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        /// Index in `entries` of each key seen, to report duplicates in linear time.
        seen: HashMap<String, usize>,
    },
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    chars: CharMap,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Rc<Node>>,
    root: Option<Node>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses `text` (one YAML document is used; later ones are ignored).
pub fn load(file: FileId, text: &str) -> Loaded {
    let mut b = Builder {
        file,
        text,
        chars: CharMap::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        diagnostics: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut docs = 0usize;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(e)) => {
                b.syntax_error(&e);
                return b.finish(false);
            }
        };
        match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    break;
                }
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::Alias(id) => {
                let at = b.span(span);
                let kind = match b.anchors.get(&id) {
                    Some(target) => NodeKind::Alias(target.clone()),
                    None => NodeKind::BadAlias,
                };
                b.push(Node { kind, span: at }, 0);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let at = b.scalar_span(span, style);
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let kind = resolve_scalar(&text, style, tag.as_deref());
                b.push(Node { kind, span: at }, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                if !b.enter(span) {
                    return b.finish(false);
                }
                b.stack.push(Frame::Seq {
                    start: b.chars.byte(span.start.index()),
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                if !b.enter(span) {
                    return b.finish(false);
                }
                b.stack.push(Frame::Map {
                    start: b.chars.byte(span.start.index()),
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else { continue };
                let end_ev = b.span(span);
                let flow_close = matches!(
                    b.text.as_bytes().get(end_ev.start as usize),
                    Some(b']' | b'}')
                ) && end_ev.end > end_ev.start;
                let (node, anchor) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        items,
                    } => {
                        let end = if flow_close {
                            end_ev.end as usize
                        } else {
                            items.last().map_or(start, |n| n.span.end as usize)
                        };
                        let span = Span::new(b.file, start, end);
                        (
                            Node {
                                kind: NodeKind::Seq(items),
                                span,
                            },
                            anchor,
                        )
                    }
                    Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    } => {
                        let end = if flow_close {
                            end_ev.end as usize
                        } else {
                            entries
                                .last()
                                .map_or(start, |e| e.value.span.end.max(e.key_span.end) as usize)
                        };
                        let span = Span::new(b.file, start, end);
                        (
                            Node {
                                kind: NodeKind::Map(entries),
                                span,
                            },
                            anchor,
                        )
                    }
                };
                b.push(node, anchor);
            }
        }
    }
    b.finish(true)
}

impl Builder<'_> {
    fn span(&self, s: YSpan) -> Span {
        Span::new(
            self.file,
            self.chars.byte(s.start.index()),
            self.chars.byte(s.end.index()),
        )
    }

    /// Scalar spans: trailing line breaks of block scalars are not part of the value's text.
    fn scalar_span(&self, s: YSpan, style: ScalarStyle) -> Span {
        let mut sp = self.span(s);
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            let slice = &self.text[sp.range()];
            let trimmed = slice.trim_end_matches([' ', '\t', '\r', '\n']);
            sp.end = sp.start + trimmed.len() as u32;
        }
        sp
    }

    fn enter(&mut self, at: YSpan) -> bool {
        if self.stack.len() < MAX_DEPTH {
            return true;
        }
        let span = self.span(at);
        self.diagnostics.push(Diagnostic::new(
            CoreCode::LimitExceeded,
            format!("YAML nesting is deeper than {MAX_DEPTH} levels; file not checked"),
            span,
        ));
        false
    }

    fn syntax_error(&mut self, e: &ScanError) {
        let at = self.chars.byte(e.marker().index());
        self.diagnostics.push(Diagnostic::new(
            CoreCode::ParseError,
            format!("invalid YAML: {}", e.info()),
            Span::new(self.file, at, at),
        ));
    }

    fn push(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let shared = Rc::new(node.clone());
            self.anchors.insert(anchor, shared);
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => {
                    // Complex keys (never used by workflows) render as JSON, with a small
                    // budget so an aliased key cannot expand.
                    let text = node.scalar_text().unwrap_or_else(|| {
                        let mut c = Converter::with_budget(self.file, 256);
                        c.value(&node).to_json().to_string()
                    });
                    *key = Some((text, node.span));
                }
                Some((k, key_span)) => {
                    if let Some(&first) = seen.get(&k) {
                        let first_line = line_of(self.text, entries[first].key_span.start as usize);
                        self.diagnostics.push(Diagnostic::new(
                            CoreCode::ParseError,
                            format!(
                                "invalid YAML: duplicate key `{k}` (first defined on line {first_line})"
                            ),
                            key_span,
                        ));
                    }
                    seen.entry(k.clone()).or_insert(entries.len());
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: node,
                    });
                }
            },
        }
    }

    fn finish(self, complete: bool) -> Loaded {
        Loaded {
            root: if complete { self.root } else { None },
            diagnostics: self.diagnostics,
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// YAML 1.2 core-schema resolution of one scalar.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> NodeKind {
    let plain = matches!(style, ScalarStyle::Plain);
    match tag {
        Some("tag:yaml.org,2002:str" | "!!str") => return NodeKind::String(text.to_string()),
        Some("tag:yaml.org,2002:null" | "!!null") => return NodeKind::Null,
        Some("tag:yaml.org,2002:bool" | "!!bool") => {
            if let Some(b) = core_bool(text) {
                return NodeKind::Bool(b);
            }
        }
        Some("tag:yaml.org,2002:int" | "!!int" | "tag:yaml.org,2002:float" | "!!float") => {
            if let Some(n) = core_number(text) {
                return NodeKind::Number(n);
            }
        }
        _ => {}
    }
    if !plain {
        return NodeKind::String(text.to_string());
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return NodeKind::Null;
    }
    if let Some(b) = core_bool(text) {
        return NodeKind::Bool(b);
    }
    if let Some(n) = core_number(text) {
        return NodeKind::Number(n);
    }
    NodeKind::String(text.to_string())
}

fn core_bool(t: &str) -> Option<bool> {
    match t {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn core_number(t: &str) -> Option<f64> {
    if let Some(h) = t.strip_prefix("0x") {
        return i64::from_str_radix(h, 16).ok().map(|n| n as f64);
    }
    if let Some(o) = t.strip_prefix("0o") {
        return i64::from_str_radix(o, 8).ok().map(|n| n as f64);
    }
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    t.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_ok(text: &str) -> Node {
        let l = load(FileId(0), text);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        l.root.expect("a document")
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn core_schema_scalars() {
        let t = "a: on\nb: yes\nc: true\nd: 3.10\ne: ~\nf: '1'\ng: 0x1f\nh: !!str 5\ni:\n";
        let root = load_ok(t);
        let mut c = Converter::new(FileId(0));
        let v = c.value(&root);
        assert_eq!(v.get("a").unwrap().as_str(), Some("on"));
        assert_eq!(v.get("b").unwrap().as_str(), Some("yes"));
        assert_eq!(v.get("c").unwrap().kind, ValueKind::Bool(true));
        assert_eq!(v.get("d").unwrap().kind, ValueKind::Number(3.1));
        assert!(v.get("e").unwrap().is_null());
        assert_eq!(v.get("f").unwrap().as_str(), Some("1"));
        assert_eq!(v.get("g").unwrap().kind, ValueKind::Number(31.0));
        assert_eq!(v.get("h").unwrap().as_str(), Some("5"));
        assert!(v.get("i").unwrap().is_null());
    }

    #[test]
    fn keys_and_values_have_byte_spans() {
        let t = "é: x\nkey: \"quoted\"\nlist: [a, {b: c}]\n";
        let root = load_ok(t);
        let e = root.entry("key").unwrap();
        assert_eq!(slice(t, e.key_span), "key");
        assert!(slice(t, e.value.span).contains("quoted"));
        let l = root.entry("list").unwrap();
        assert_eq!(slice(t, l.value.span), "[a, {b: c}]");
        let first = root.entry("é").unwrap();
        assert_eq!(slice(t, first.key_span), "é");
        assert_eq!(slice(t, first.value.span), "x");
    }

    #[test]
    fn block_scalars_keep_text_and_span() {
        let t = "run: |\n  echo a\n  echo b\n\nfold: >\n  one\n  two\nnext: 1\n";
        let root = load_ok(t);
        assert_eq!(root.get("run").unwrap().as_str(), Some("echo a\necho b\n"));
        assert_eq!(root.get("fold").unwrap().as_str(), Some("one two\n"));
        let span = root.get("run").unwrap().span;
        assert!(slice(t, span).contains("echo b"), "{:?}", slice(t, span));
        assert!(!slice(t, span).contains("fold"));
    }

    #[test]
    fn block_mapping_span_ends_at_last_value() {
        let t = "a:\n  b: 1\n  c: [x]\n\n# trailing\nd: 2\n";
        let root = load_ok(t);
        assert_eq!(slice(t, root.get("a").unwrap().span), "b: 1\n  c: [x]");
    }

    #[test]
    fn anchors_and_aliases_resolve() {
        let t = "base: &b {x: 1}\nuse: *b\nlist: [&s str, *s]\n";
        let root = load_ok(t);
        let mut c = Converter::new(FileId(0));
        let v = c.value(&root);
        assert_eq!(v.get_path("use.x").and_then(Value::as_f64), Some(1.0));
        assert_eq!(v.get_path("list.1").and_then(Value::as_str), Some("str"));
        // The alias value points at `*b`.
        assert_eq!(slice(t, v.get("use").unwrap().span.unwrap()), "*b");
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut t = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in "bcdefghij".chars() {
            t.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let root = load_ok(&t);
        let mut c = Converter::new(FileId(0));
        let v = c.value(&root);
        let d = c.exceeded.expect("limit hit");
        assert_eq!(d.code, CoreCode::LimitExceeded);
        assert!(v.contains_unknown());
    }

    #[test]
    fn syntax_error_position() {
        let t = "a: 1\nb: [1, 2\nc: 3\n";
        let l = load(FileId(0), t);
        assert!(l.root.is_none());
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.diagnostics[0].code, CoreCode::ParseError);
    }

    #[test]
    fn unterminated_quote_is_an_error() {
        let l = load(FileId(0), "a: 1\nb: \"open\n");
        assert_eq!(l.diagnostics.len(), 1, "{:?}", l.root);
        assert_eq!(l.diagnostics[0].code, CoreCode::ParseError);
    }

    #[test]
    fn depth_is_capped() {
        let t = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        let l = load(FileId(0), &t);
        assert!(l.root.is_none());
        assert_eq!(l.diagnostics[0].code, CoreCode::LimitExceeded);
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let t = "a: 1\nb: 2\na: 3\n";
        let l = load(FileId(0), t);
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.diagnostics[0].code, CoreCode::ParseError);
        assert_eq!(slice(t, l.diagnostics[0].span), "a");
        assert!(l.root.is_some());
    }

    #[test]
    fn large_mapping_loads_in_linear_time() {
        let mut t = String::new();
        for i in 0..50_000 {
            t.push_str(&format!("key{i}: value{i}\n"));
        }
        let started = std::time::Instant::now();
        let root = load_ok(&t);
        assert_eq!(root.as_map().unwrap().len(), 50_000);
        // Quadratic duplicate detection would take far longer than this, even unoptimized.
        assert!(started.elapsed().as_secs() < 20);
    }

    #[test]
    fn crlf_offsets_are_bytes() {
        let t = "a: 1\r\nb: |\r\n  x\r\n  y\r\nc: z\r\n";
        let root = load_ok(t);
        let c = root.entry("c").unwrap();
        assert_eq!(slice(t, c.key_span), "c");
        assert_eq!(slice(t, c.value.span), "z");
        assert_eq!(root.get("b").unwrap().as_str(), Some("x\ny\n"));
    }
}
