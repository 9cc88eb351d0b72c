//! A small regular-expression engine for `regex`, `regexall` and `replace(…, "/re/", …)`.
//!
//! It covers the RE2 syntax Terraform configurations use (literals, `.`, classes with ranges
//! and POSIX names, `\d\w\s` and negations, anchors, `\b`, groups (capturing, named,
//! non-capturing), alternation, greedy and lazy `* + ? {n,m}`, flags `i`, `s`, `m`) with
//! Go's leftmost-first semantics. Matching is a backtracking VM with a visited set, so it
//! runs in time linear in `program × text`. Anything else (Unicode classes, `(?U)`, huge
//! repetitions or inputs) is reported as unsupported and the caller returns Unknown.

use std::collections::HashMap;

/// Why a pattern cannot be used: `Unsupported` becomes an Unknown result, `Invalid` an error.
#[derive(Debug)]
pub enum RegexError {
    Invalid(String),
    Unsupported(String),
}

#[derive(Debug, Clone)]
struct Class {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl Class {
    fn matches(&self, c: char, icase: bool) -> bool {
        let hit = |x: char| self.ranges.iter().any(|&(a, b)| a <= x && x <= b);
        let mut found = hit(c);
        if !found && icase {
            found = c.to_lowercase().any(hit) || c.to_uppercase().any(hit);
        }
        found != self.negated
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Assert {
    TextStart,
    TextEnd,
    LineStart,
    LineEnd,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char, bool),
    Any(bool),
    Class(Class, bool),
    Assert(Assert),
    Group(Box<Node>, Option<usize>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
}

#[derive(Clone, Copy, Default)]
struct Flags {
    icase: bool,
    dotall: bool,
    multiline: bool,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
    names: Vec<Option<String>>,
}

const MAX_REPEAT: u32 = 1000;

fn invalid(msg: impl Into<String>) -> RegexError {
    RegexError::Invalid(msg.into())
}

fn unsupported(msg: impl Into<String>) -> RegexError {
    RegexError::Unsupported(msg.into())
}

fn perl_class(c: char) -> Option<Class> {
    let (ranges, negated): (Vec<(char, char)>, bool) = match c {
        'd' => (vec![('0', '9')], false),
        'D' => (vec![('0', '9')], true),
        'w' => (vec![('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')], false),
        'W' => (vec![('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')], true),
        's' => (vec![('\t', '\n'), ('\x0c', '\r'), (' ', ' ')], false),
        'S' => (vec![('\t', '\n'), ('\x0c', '\r'), (' ', ' ')], true),
        _ => return None,
    };
    Some(Class { ranges, negated })
}

fn posix_class(name: &str) -> Option<Vec<(char, char)>> {
    Some(match name {
        "alnum" => vec![('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => vec![('A', 'Z'), ('a', 'z')],
        "ascii" => vec![('\0', '\x7f')],
        "blank" => vec![('\t', '\t'), (' ', ' ')],
        "cntrl" => vec![('\0', '\x1f'), ('\x7f', '\x7f')],
        "digit" => vec![('0', '9')],
        "graph" => vec![('!', '~')],
        "lower" => vec![('a', 'z')],
        "print" => vec![(' ', '~')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => vec![('\t', '\r'), (' ', ' ')],
        "upper" => vec![('A', 'Z')],
        "word" => vec![('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')],
        "xdigit" => vec![('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    })
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn parse_alt(&mut self, flags: &mut Flags) -> Result<Node, RegexError> {
        let mut branches = vec![self.parse_concat(flags)?];
        while self.eat('|') {
            branches.push(self.parse_concat(flags)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn parse_concat(&mut self, flags: &mut Flags) -> Result<Node, RegexError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.parse_atom(flags)?;
            let atom = self.parse_quantifier(atom)?;
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    fn parse_number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    fn parse_quantifier(&mut self, atom: Node) -> Result<Node, RegexError> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => {
                let save = self.pos;
                self.pos += 1;
                let Some(min) = self.parse_number() else {
                    // Not a repetition: a literal `{`.
                    self.pos = save;
                    return Ok(atom);
                };
                let max = if self.eat(',') {
                    self.parse_number()
                } else {
                    Some(min)
                };
                if !self.eat('}') {
                    self.pos = save;
                    return Ok(atom);
                }
                if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT) {
                    return Err(invalid("invalid repeat count"));
                }
                if max.is_some_and(|m| m < min) {
                    return Err(invalid("invalid repeat count"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        let greedy = !self.eat('?');
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return Err(invalid("invalid nested repetition operator"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    fn parse_escape(&mut self) -> Result<Result<char, Class>, RegexError> {
        let Some(c) = self.peek() else {
            return Err(invalid("trailing backslash at end of expression"));
        };
        self.pos += 1;
        if let Some(class) = perl_class(c) {
            return Ok(Err(class));
        }
        Ok(Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\x0c',
            'v' => '\x0b',
            'a' => '\x07',
            'x' => {
                let hex: String = if self.eat('{') {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.pos += 1;
                    }
                    let h = self.chars[start..self.pos].iter().collect();
                    if !self.eat('}') {
                        return Err(invalid("invalid escape sequence"));
                    }
                    h
                } else {
                    let h: String = self.chars[self.pos..].iter().take(2).collect();
                    self.pos += h.chars().count();
                    h
                };
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| invalid("invalid escape sequence"))?
            }
            'p' | 'P' => return Err(unsupported("Unicode character classes")),
            c if c.is_ascii_alphanumeric() => {
                return Err(invalid(format!("invalid escape sequence \\{c}")));
            }
            c => c,
        }))
    }

    fn parse_class(&mut self) -> Result<Class, RegexError> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(invalid("missing closing ]"));
            };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' && self.chars.get(self.pos + 1) == Some(&':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    let name = &rest[..end];
                    let (neg, name) = match name.strip_prefix('^') {
                        Some(n) => (true, n),
                        None => (false, name),
                    };
                    let r = posix_class(name)
                        .ok_or_else(|| invalid(format!("invalid character class [:{name}:]")))?;
                    if neg {
                        return Err(unsupported("negated POSIX classes"));
                    }
                    ranges.extend(r);
                    self.pos += 2 + name.chars().count() + usize::from(neg) + 2;
                    continue;
                }
            }
            self.pos += 1;
            let lo = if c == '\\' {
                match self.parse_escape()? {
                    Ok(ch) => ch,
                    Err(class) => {
                        if class.negated {
                            return Err(unsupported("negated classes inside brackets"));
                        }
                        ranges.extend(class.ranges);
                        continue;
                    }
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let hc = self.peek().ok_or_else(|| invalid("missing closing ]"))?;
                self.pos += 1;
                let hi = if hc == '\\' {
                    match self.parse_escape()? {
                        Ok(ch) => ch,
                        Err(_) => return Err(invalid("invalid character class range")),
                    }
                } else {
                    hc
                };
                if hi < lo {
                    return Err(invalid("invalid character class range"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Class { ranges, negated })
    }

    fn parse_group(&mut self, flags: &mut Flags) -> Result<Node, RegexError> {
        // After `(`.
        let mut index = None;
        let mut inner_flags = *flags;
        if self.eat('?') {
            if self.eat('P') || self.peek() == Some('<') {
                if !self.eat('<') {
                    return Err(invalid("invalid named capture"));
                }
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if name.is_empty() || !self.eat('>') {
                    return Err(invalid("invalid named capture"));
                }
                if self
                    .names
                    .iter()
                    .any(|n| n.as_deref() == Some(name.as_str()))
                {
                    return Err(invalid(format!("duplicate capture group name {name:?}")));
                }
                self.groups += 1;
                index = Some(self.groups);
                self.names.push(Some(name));
            } else {
                // Flags: (?flags) or (?flags:re)
                let mut on = true;
                loop {
                    let Some(c) = self.peek() else {
                        return Err(invalid("missing closing )"));
                    };
                    self.pos += 1;
                    match c {
                        'i' => inner_flags.icase = on,
                        's' => inner_flags.dotall = on,
                        'm' => inner_flags.multiline = on,
                        'U' => return Err(unsupported("the U flag")),
                        '-' if on => on = false,
                        ')' => {
                            // Applies to the rest of the enclosing group.
                            *flags = inner_flags;
                            return Ok(Node::Empty);
                        }
                        ':' => break,
                        _ => return Err(invalid("invalid or unsupported Perl syntax")),
                    }
                }
            }
        } else {
            self.groups += 1;
            index = Some(self.groups);
            self.names.push(None);
        }
        let body = self.parse_alt(&mut inner_flags)?;
        if !self.eat(')') {
            return Err(invalid("missing closing )"));
        }
        Ok(Node::Group(Box::new(body), index))
    }

    fn parse_atom(&mut self, flags: &mut Flags) -> Result<Node, RegexError> {
        let c = self.peek().ok_or_else(|| invalid("unexpected end"))?;
        self.pos += 1;
        Ok(match c {
            '(' => self.parse_group(flags)?,
            '[' => Node::Class(self.parse_class()?, flags.icase),
            '.' => Node::Any(flags.dotall),
            '^' => Node::Assert(if flags.multiline {
                Assert::LineStart
            } else {
                Assert::TextStart
            }),
            '$' => Node::Assert(if flags.multiline {
                Assert::LineEnd
            } else {
                Assert::TextEnd
            }),
            '*' | '+' | '?' => return Err(invalid("missing argument to repetition operator")),
            '\\' => match self.peek() {
                Some('b') => {
                    self.pos += 1;
                    Node::Assert(Assert::WordBoundary)
                }
                Some('B') => {
                    self.pos += 1;
                    Node::Assert(Assert::NotWordBoundary)
                }
                Some('A') => {
                    self.pos += 1;
                    Node::Assert(Assert::TextStart)
                }
                Some('z') => {
                    self.pos += 1;
                    Node::Assert(Assert::TextEnd)
                }
                Some('Q') => {
                    self.pos += 1;
                    let mut lits = Vec::new();
                    while let Some(c) = self.peek() {
                        if c == '\\' && self.chars.get(self.pos + 1) == Some(&'E') {
                            self.pos += 2;
                            break;
                        }
                        lits.push(Node::Char(c, flags.icase));
                        self.pos += 1;
                    }
                    Node::Concat(lits)
                }
                _ => match self.parse_escape()? {
                    Ok(ch) => Node::Char(ch, flags.icase),
                    Err(class) => Node::Class(class, flags.icase),
                },
            },
            c => Node::Char(c, flags.icase),
        })
    }
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char, bool),
    Any(bool),
    Class(usize, bool),
    Assert(Assert),
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Match,
}

/// A compiled pattern.
pub struct Regex {
    prog: Vec<Inst>,
    classes: Vec<Class>,
    /// Names of groups 1..; None for unnamed ones.
    pub names: Vec<Option<String>>,
}

const MAX_PROGRAM: usize = 20_000;

struct Compiler {
    prog: Vec<Inst>,
    classes: Vec<Class>,
}

impl Compiler {
    fn emit(&mut self, i: Inst) -> Result<usize, RegexError> {
        if self.prog.len() >= MAX_PROGRAM {
            return Err(unsupported("the expression is too large"));
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn compile(&mut self, n: &Node) -> Result<(), RegexError> {
        match n {
            Node::Empty => {}
            Node::Char(c, i) => {
                self.emit(Inst::Char(*c, *i))?;
            }
            Node::Any(dotall) => {
                self.emit(Inst::Any(*dotall))?;
            }
            Node::Class(c, i) => {
                self.classes.push(c.clone());
                self.emit(Inst::Class(self.classes.len() - 1, *i))?;
            }
            Node::Assert(a) => {
                self.emit(Inst::Assert(*a))?;
            }
            Node::Group(body, idx) => {
                if let Some(k) = idx {
                    self.emit(Inst::Save(2 * k))?;
                }
                self.compile(body)?;
                if let Some(k) = idx {
                    self.emit(Inst::Save(2 * k + 1))?;
                }
            }
            Node::Concat(items) => {
                for item in items {
                    self.compile(item)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (i, b) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.compile(b)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, next);
                    } else {
                        self.compile(b)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                for _ in 0..*min {
                    self.compile(node)?;
                }
                match max {
                    None => {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.compile(node)?;
                        self.emit(Inst::Jmp(split))?;
                        let end = self.prog.len();
                        self.prog[split] = if *greedy {
                            Inst::Split(split + 1, end)
                        } else {
                            Inst::Split(end, split + 1)
                        };
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.compile(node)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.prog[s] = if *greedy {
                                Inst::Split(s + 1, end)
                            } else {
                                Inst::Split(end, s + 1)
                            };
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Byte ranges of the capture groups of one match (group 0 is the whole match).
pub type Groups = Vec<Option<(usize, usize)>>;

/// Backtracking work: a state to explore, or a capture slot to restore.
enum Step {
    Visit(usize, usize),
    Restore(usize, Option<usize>),
}

/// Cap on the work of one call: the sum of `program length × remaining text` over the
/// searches it makes (the visited sets).
const MAX_WORK: usize = 64_000_000;

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, RegexError> {
        let mut p = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            groups: 0,
            names: Vec::new(),
        };
        let mut flags = Flags::default();
        let ast = p.parse_alt(&mut flags)?;
        if p.pos < p.chars.len() {
            return Err(invalid("unexpected )"));
        }
        let mut c = Compiler {
            prog: Vec::new(),
            classes: Vec::new(),
        };
        c.emit(Inst::Save(0))?;
        c.compile(&ast)?;
        c.emit(Inst::Save(1))?;
        c.emit(Inst::Match)?;
        Ok(Regex {
            prog: c.prog,
            classes: c.classes,
            names: p.names,
        })
    }

    pub fn group_count(&self) -> usize {
        self.names.len()
    }

    /// The first match at or after char index `from`: capture slots as char indexes.
    /// `budget` is the work (visited-set size) still allowed for the whole call.
    fn find_at(
        &self,
        text: &[char],
        from: usize,
        budget: &mut usize,
    ) -> Result<Option<Vec<Option<usize>>>, RegexError> {
        // Positions from `from` to the end of the text, inclusive.
        let n = text.len() + 1 - from;
        let work = self.prog.len().saturating_mul(n);
        if work > *budget {
            return Err(unsupported("the input is too large for the expression"));
        }
        *budget -= work;
        let mut visited = vec![0u64; work.div_ceil(64)];
        let slots = 2 * (self.names.len() + 1);
        for start in from..=text.len() {
            let mut caps: Vec<Option<usize>> = vec![None; slots];
            let mut stack: Vec<Step> = vec![Step::Visit(0, start)];
            while let Some(top) = stack.pop() {
                let (mut pc, mut pos) = match top {
                    Step::Visit(pc, pos) => (pc, pos),
                    Step::Restore(slot, old) => {
                        caps[slot] = old;
                        continue;
                    }
                };
                loop {
                    let key = pc * n + (pos - from);
                    let (word, bit) = (key / 64, 1u64 << (key % 64));
                    if visited[word] & bit != 0 {
                        break;
                    }
                    visited[word] |= bit;
                    match &self.prog[pc] {
                        Inst::Match => return Ok(Some(caps)),
                        Inst::Char(c, icase) => {
                            let Some(&t) = text.get(pos) else { break };
                            let ok = t == *c || (*icase && t.to_lowercase().eq(c.to_lowercase()));
                            if !ok {
                                break;
                            }
                            pc += 1;
                            pos += 1;
                        }
                        Inst::Any(dotall) => match text.get(pos) {
                            Some(&t) if *dotall || t != '\n' => {
                                pc += 1;
                                pos += 1;
                            }
                            _ => break,
                        },
                        Inst::Class(k, icase) => match text.get(pos) {
                            Some(&t) if self.classes[*k].matches(t, *icase) => {
                                pc += 1;
                                pos += 1;
                            }
                            _ => break,
                        },
                        Inst::Assert(a) => {
                            let prev = pos.checked_sub(1).and_then(|p| text.get(p)).copied();
                            let next = text.get(pos).copied();
                            let ok = match a {
                                Assert::TextStart => pos == 0,
                                Assert::TextEnd => pos == text.len(),
                                Assert::LineStart => pos == 0 || prev == Some('\n'),
                                Assert::LineEnd => pos == text.len() || next == Some('\n'),
                                Assert::WordBoundary => is_word(prev) != is_word(next),
                                Assert::NotWordBoundary => is_word(prev) == is_word(next),
                            };
                            if !ok {
                                break;
                            }
                            pc += 1;
                        }
                        Inst::Split(a, b) => {
                            stack.push(Step::Visit(*b, pos));
                            pc = *a;
                        }
                        Inst::Jmp(a) => pc = *a,
                        Inst::Save(slot) => {
                            stack.push(Step::Restore(*slot, caps[*slot]));
                            caps[*slot] = Some(pos);
                            pc += 1;
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    /// All non-overlapping matches, as Go's `FindAll…` returns them: capture groups as
    /// byte ranges of `text` (None for groups that did not participate).
    pub fn find_all(&self, text: &str, limit: Option<usize>) -> Result<Vec<Groups>, RegexError> {
        let chars: Vec<char> = text.chars().collect();
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        let mut out = Vec::new();
        let mut pos = 0;
        let mut prev_end: Option<usize> = None;
        let mut budget = MAX_WORK;
        while pos <= chars.len() {
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            let Some(caps) = self.find_at(&chars, pos, &mut budget)? else {
                break;
            };
            let (s, e) = (caps[0].unwrap_or(pos), caps[1].unwrap_or(pos));
            let accept = !(s == e && prev_end == Some(e));
            if accept {
                let groups = caps
                    .chunks(2)
                    .map(|p| match (p[0], p[1]) {
                        (Some(a), Some(b)) => Some((offsets[a], offsets[b])),
                        _ => None,
                    })
                    .collect();
                out.push(groups);
            }
            pos = if e == s { e + 1 } else { e };
            prev_end = Some(e);
        }
        Ok(out)
    }

    /// Go's `Regexp.ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in the
    /// replacement.
    pub fn replace_all(&self, text: &str, replacement: &str) -> Result<String, RegexError> {
        let names: HashMap<&str, usize> = self
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_deref().map(|n| (n, i + 1)))
            .collect();
        let mut out = String::new();
        let mut last = 0;
        for groups in self.find_all(text, None)? {
            let Some((s, e)) = groups[0] else { continue };
            out.push_str(&text[last..s]);
            expand(replacement, text, &groups, &names, &mut out);
            last = e;
        }
        out.push_str(&text[last..]);
        Ok(out)
    }
}

fn expand(
    template: &str,
    text: &str,
    groups: &[Option<(usize, usize)>],
    names: &HashMap<&str, usize>,
    out: &mut String,
) {
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '$' || i >= chars.len() {
            out.push(c);
            continue;
        }
        if chars[i] == '$' {
            out.push('$');
            i += 1;
            continue;
        }
        let (name, next) = if chars[i] == '{' {
            match chars[i + 1..].iter().position(|&c| c == '}') {
                Some(end) => (
                    chars[i + 1..i + 1 + end].iter().collect::<String>(),
                    i + end + 2,
                ),
                None => {
                    out.push('$');
                    continue;
                }
            }
        } else {
            let start = i;
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            (chars[start..j].iter().collect::<String>(), j)
        };
        if name.is_empty() {
            out.push('$');
            continue;
        }
        i = next;
        let idx = name
            .parse::<usize>()
            .ok()
            .or_else(|| names.get(name.as_str()).copied());
        if let Some(Some((s, e))) = idx.and_then(|k| groups.get(k)) {
            out.push_str(&text[*s..*e]);
        }
    }
}
