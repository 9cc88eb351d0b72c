//! Dockerfile → `dockerfile` and `docker_stage` objects. The attribute layout is documented in
//! `docs/ir-dockerfile.md`.
//!
//! Hand-written, following BuildKit's reading of a Dockerfile: parser directives at the top,
//! line continuations with the escape character (comment and empty lines inside them dropped),
//! heredocs on `RUN`/`COPY`/`ADD`, exec (JSON) form falling back to shell form, flags, and
//! `ARG`s before the first `FROM` substituted into `FROM`.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::shell::{self, Mapped};
use crate::diagnostic::{CoreCode, Diagnostic};
use crate::ir::{Object, ObjectKind, Value};
use crate::source::{FileId, SourceFile, Span};

/// Instructions BuildKit knows.
const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Instructions that take `--flags` before their arguments.
const FLAGGED: &[&str] = &["ADD", "COPY", "FROM", "RUN", "HEALTHCHECK"];

/// A heredoc attached to an instruction.
#[derive(Debug, Clone)]
struct Heredoc {
    delimiter: String,
    body: Mapped,
    /// The `<<EOF` marker in the instruction line.
    marker: Span,
}

/// One instruction as read from the file, before interpretation.
#[derive(Debug)]
struct RawInstr {
    /// The instruction line(s), continuations joined, starting at the keyword.
    line: Mapped,
    heredocs: Vec<Heredoc>,
    /// First byte of the keyword to the end of the last line (or heredoc terminator).
    span: (usize, usize),
}

struct Ctx<'a> {
    file: FileId,
    escape: u8,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(CoreCode::ParseError, msg.into(), span));
    }
}

/// Parses a Dockerfile into one `dockerfile` object followed by its `docker_stage` objects.
pub fn parse(file: &SourceFile) -> (Vec<Object>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let src: &str = &file.text;
    let fid = file.id;
    let lines = physical_lines(src);

    // Parser directives: only at the very top, before any comment, blank line or instruction.
    let mut directives: IndexMap<String, Value> = IndexMap::new();
    let mut escape = b'\\';
    let mut li = 0;
    while li < lines.len() {
        let (s, e) = lines[li];
        let Some((name, value, vstart)) = directive(&src[s..e]) else {
            break;
        };
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") || directives.contains_key(&name)
        {
            break;
        }
        let vspan = Span::new(fid, s + vstart, s + vstart + value.len());
        if name == "escape" {
            match value {
                "\\" => escape = b'\\',
                "`" => escape = b'`',
                other => diags.push(Diagnostic::new(
                    CoreCode::ParseError,
                    format!("invalid escape directive `{other}`: must be ` or \\"),
                    vspan,
                )),
            }
        }
        directives.insert(name, Value::string(value).with_span(vspan));
        li += 1;
    }

    let mut ctx = Ctx {
        file: fid,
        escape,
        diags: &mut diags,
    };
    let raws = read_instructions(src, &lines, li, &mut ctx);

    // Global ARGs, then stages.
    let mut global_args: Vec<Value> = Vec::new();
    let mut global_vars: HashMap<String, Option<String>> = HashMap::new();
    let mut stages: Vec<StageBuilder> = Vec::new();
    for raw in &raws {
        let Some(instr) = interpret(raw, &mut ctx) else {
            continue;
        };
        let keyword = instr.keyword.clone();
        if keyword == "FROM" {
            let st = start_stage(&instr, raw, stages.len(), &stages, &global_vars, &mut ctx);
            stages.push(st);
            continue;
        }
        match stages.last_mut() {
            Some(st) => {
                st.end = raw.span.1;
                let mut value = instr.value;
                if keyword == "SHELL" {
                    st.shell = shell_of(&value);
                }
                if let (Some(shell), crate::ir::ValueKind::Map(m)) = (&st.shell, &mut value.kind) {
                    // Commands for PowerShell or cmd are not POSIX shell: don't pretend to
                    // read them.
                    if m.shift_remove("commands").is_some() {
                        m.insert("shell".into(), Value::string(shell.clone()));
                    }
                }
                st.instructions.push(value);
            }
            None if keyword == "ARG" => {
                for pair in instr.pairs.iter() {
                    global_vars.insert(pair.0.clone(), pair.1.clone());
                }
                if let Some(pairs) = instr.value.get("pairs").and_then(Value::as_list) {
                    global_args.extend(pairs.iter().cloned());
                }
            }
            None => {
                let span = instr.keyword_span;
                ctx.error(
                    span,
                    format!("{keyword} before the first FROM: no build stage in current context"),
                );
            }
        }
    }
    if stages.is_empty() {
        // An empty or ARG-only file: Docker refuses it too.
        ctx.error(
            Span::new(fid, 0, 0),
            "no FROM instruction: a Dockerfile must have at least one build stage",
        );
    }

    let dir = match file.display_path.rfind('/') {
        Some(i) if i > 0 => file.display_path[..i].to_string(),
        Some(_) => "/".to_string(),
        None => ".".to_string(),
    };
    let name = file
        .display_path
        .rsplit('/')
        .next()
        .unwrap_or(&file.display_path)
        .to_string();
    let whole = Span::new(fid, 0, src.len());
    let mut root = Object::new(
        ObjectKind::Dockerfile,
        "dockerfile",
        name,
        "dockerfile",
        file.display_path.clone(),
        whole,
    );
    let mut dir_map = IndexMap::new();
    dir_map.insert(
        "syntax".to_string(),
        directives
            .get("syntax")
            .cloned()
            .unwrap_or_else(Value::null),
    );
    dir_map.insert(
        "escape".to_string(),
        directives
            .get("escape")
            .cloned()
            .unwrap_or_else(|| Value::string((escape as char).to_string())),
    );
    if let Some(check) = directives.get("check") {
        dir_map.insert("check".to_string(), check.clone());
    }
    root.attrs.insert("directives".into(), Value::map(dir_map));
    root.attrs.insert("args".into(), Value::list(global_args));
    root.attrs
        .insert("stages".into(), Value::number(stages.len() as f64));
    root.attrs.insert("dir".into(), Value::string(dir));

    let count = stages.len();
    let mut objects = vec![root];
    for (i, st) in stages.into_iter().enumerate() {
        objects.push(st.build(fid, &file.display_path, i + 1 == count));
    }
    (objects, diags)
}

/// `(start, end)` of each line's content, without its line ending.
fn physical_lines(src: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in src.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && src.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
        }
    }
    if start < src.len() {
        let end = src.len() - usize::from(src.ends_with('\r'));
        out.push((start, end));
    }
    out
}

/// `# name=value` → (name, value, value offset in the line).
fn directive(line: &str) -> Option<(&str, &str, usize)> {
    let rest = line.strip_prefix('#')?;
    let body = rest.trim_start();
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = &body[..name_len];
    let after = body[name_len..].trim_start().strip_prefix('=')?;
    let value = after.trim();
    if value.is_empty() {
        return None;
    }
    let vstart = line.len() - after.len() + (after.len() - after.trim_start().len());
    Some((name, value, vstart))
}

/// Groups physical lines into instructions: continuations, comments, heredoc bodies.
fn read_instructions(
    src: &str,
    lines: &[(usize, usize)],
    mut li: usize,
    ctx: &mut Ctx<'_>,
) -> Vec<RawInstr> {
    let esc = ctx.escape as char;
    let mut out = Vec::new();
    while li < lines.len() {
        let (s, e) = lines[li];
        let trimmed = src[s..e].trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            li += 1;
            continue;
        }
        let first = e - trimmed.len();
        let mut line = Mapped::default();
        let mut end = e;
        let mut is_first = true;
        loop {
            if li >= lines.len() {
                break;
            }
            let (s, e) = lines[li];
            let content = &src[s..e];
            li += 1;
            if !is_first {
                let t = content.trim_start();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
            }
            let seg_start = if is_first { first } else { s };
            is_first = false;
            let body = content.trim_end();
            if body.ends_with(esc) && s + body.len() > seg_start {
                line.push_range(src, seg_start, s + body.len() - 1);
                end = s + body.len();
                continue;
            }
            line.push_range(src, seg_start, s + body.len());
            end = s + body.len();
            break;
        }
        line.finish(end);

        // Heredocs follow the instruction line, in order.
        let mut heredocs = Vec::new();
        let keyword = line
            .text
            .split(|c: char| c.is_ascii_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let heredoc_host = match keyword.as_str() {
            "RUN" | "COPY" | "ADD" => true,
            "ONBUILD" => {
                let inner = line.text[7..].trim_start();
                let kw = inner.split_whitespace().next().unwrap_or("");
                matches!(kw.to_ascii_uppercase().as_str(), "RUN" | "COPY" | "ADD")
            }
            _ => false,
        };
        if heredoc_host {
            for (delim, strip, marker) in heredoc_markers(&line, ctx.file) {
                let body_start = lines.get(li).map_or(src.len(), |l| l.0);
                let mut found = None;
                while li < lines.len() {
                    let (s, e) = lines[li];
                    li += 1;
                    let content = &src[s..e];
                    let content = if strip {
                        content.trim_start_matches('\t')
                    } else {
                        content
                    };
                    if content == delim {
                        found = Some((s, e));
                        break;
                    }
                }
                let Some((term_start, term_end)) = found else {
                    ctx.error(
                        marker,
                        format!("unterminated heredoc: no line `{delim}` closes it"),
                    );
                    end = src.len();
                    let body = Mapped::from_range(src, body_start, src.len());
                    heredocs.push(Heredoc {
                        delimiter: delim,
                        body,
                        marker,
                    });
                    break;
                };
                end = term_end;
                let mut body = Mapped::default();
                let mut k = body_start;
                // Body lines, with leading tabs removed for `<<-`.
                while k < term_start {
                    let line_end = src[k..term_start]
                        .find('\n')
                        .map_or(term_start, |x| k + x + 1);
                    let mut from = k;
                    if strip {
                        while from < line_end && src.as_bytes()[from] == b'\t' {
                            from += 1;
                        }
                    }
                    body.push_range(src, from, line_end);
                    k = line_end;
                }
                body.finish(term_start);
                heredocs.push(Heredoc {
                    delimiter: delim,
                    body,
                    marker,
                });
            }
        }
        out.push(RawInstr {
            line,
            heredocs,
            span: (first, end),
        });
    }
    out
}

/// Heredoc markers (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`) in an instruction line.
fn heredoc_markers(line: &Mapped, file: FileId) -> Vec<(String, bool, Span)> {
    let b = line.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i + 2 < b.len() + 1 && i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
            i += 1;
            continue;
        }
        // `<<` starts a heredoc only at the start of a word (after an optional fd number), so
        // `$((1<<2))` is not one.
        let word_start = {
            let mut k = i;
            while k > 0 && b[k - 1].is_ascii_digit() {
                k -= 1;
            }
            k == 0 || matches!(b[k - 1], b' ' | b'\t' | b';' | b'&' | b'|')
        };
        if c == b'<' && word_start && b.get(i + 1) == Some(&b'<') && b.get(i + 2) != Some(&b'<') {
            let start = i;
            let mut j = i + 2;
            let strip = b.get(j) == Some(&b'-');
            if strip {
                j += 1;
            }
            let q = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    j += 1;
                    Some(q)
                }
                _ => None,
            };
            let ds = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
                j += 1;
            }
            let de = j;
            if let Some(q) = q {
                if b.get(j) == Some(&q) {
                    j += 1;
                } else {
                    i = j;
                    continue;
                }
            }
            if de > ds {
                out.push((
                    line.text[ds..de].to_string(),
                    strip,
                    line.span(file, start, j),
                ));
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// An interpreted instruction: its IR map plus what stage building needs.
struct Instr {
    keyword: String,
    keyword_span: Span,
    value: Value,
    /// ARG/ENV pairs (name, value).
    pairs: Vec<(String, Option<String>)>,
    /// Words of the arguments (shell form, unquoted), with spans.
    words: Vec<(String, Span)>,
    flags: IndexMap<String, Value>,
}

fn interpret(raw: &RawInstr, ctx: &mut Ctx<'_>) -> Option<Instr> {
    interpret_line(&raw.line, &raw.heredocs, ctx, raw.span)
}

fn interpret_line(
    line: &Mapped,
    heredocs: &[Heredoc],
    ctx: &mut Ctx<'_>,
    span: (usize, usize),
) -> Option<Instr> {
    let fid = ctx.file;
    let text = line.text.as_str();
    let kw_end = text
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(text.len());
    let keyword = text[..kw_end].to_ascii_uppercase();
    let keyword_span = line.span(fid, 0, kw_end);
    if !INSTRUCTIONS.contains(&keyword.as_str()) {
        ctx.error(
            keyword_span,
            format!("unknown instruction: {}", &text[..kw_end]),
        );
        return None;
    }
    let whole = Span::new(fid, span.0, span.1);
    let mut pos = kw_end;
    skip_ws(text, &mut pos);

    // Flags.
    let mut flags: IndexMap<String, Value> = IndexMap::new();
    if FLAGGED.contains(&keyword.as_str()) {
        while text[pos..].starts_with("--") {
            let start = pos;
            while pos < text.len() && !text.as_bytes()[pos].is_ascii_whitespace() {
                pos += 1;
            }
            let flag = &text[start + 2..pos];
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => {
                    let vstart = start + 2 + n.len() + 1;
                    let v = unquote(v, ctx.escape);
                    (
                        n.to_string(),
                        Value::string(v).with_span(line.span(fid, vstart, pos)),
                    )
                }
                None => (
                    flag.to_string(),
                    Value::bool(true).with_span(line.span(fid, start, pos)),
                ),
            };
            match flags.get_mut(&name) {
                Some(existing) => {
                    let prev = std::mem::replace(existing, Value::null());
                    let mut items = match prev.kind {
                        crate::ir::ValueKind::List(items) => items,
                        _ => vec![prev],
                    };
                    items.push(value);
                    *existing = Value::list(items);
                }
                None => {
                    flags.insert(name, value);
                }
            }
            skip_ws(text, &mut pos);
        }
    }

    let args = line.tail(pos);
    let args_span = line.span(fid, pos, text.len());
    let mut map: IndexMap<String, Value> = IndexMap::new();
    map.insert(
        "instruction".into(),
        Value::string(keyword.clone()).with_span(keyword_span),
    );
    map.insert("flags".into(), Value::map(flags.clone()));

    if args.text.trim().is_empty() && heredocs.is_empty() {
        ctx.error(
            keyword_span,
            format!("{keyword} requires at least one argument"),
        );
        return None;
    }

    let mut pairs = Vec::new();
    let mut words = Vec::new();
    let exec_capable = matches!(
        keyword.as_str(),
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "VOLUME" | "COPY" | "ADD"
    );
    let exec = if exec_capable && heredocs.is_empty() {
        parse_json_array(&args, fid)
    } else {
        None
    };
    let form = if !heredocs.is_empty() {
        "heredoc"
    } else if exec.is_some() {
        "exec"
    } else {
        "shell"
    };
    map.insert("form".into(), Value::string(form));
    match &exec {
        Some(items) => {
            map.insert(
                "args".into(),
                Value::list(
                    items
                        .iter()
                        .map(|(s, sp)| Value::string(s.clone()).with_span(*sp))
                        .collect(),
                )
                .with_span(args_span),
            );
            words = items.clone();
        }
        None => {
            map.insert(
                "args".into(),
                Value::string(args.text.clone()).with_span(args_span),
            );
        }
    }
    map.insert(
        "heredocs".into(),
        Value::list(
            heredocs
                .iter()
                .map(|h| {
                    let mut m = IndexMap::new();
                    m.insert(
                        "delimiter".into(),
                        Value::string(h.delimiter.clone()).with_span(h.marker),
                    );
                    m.insert(
                        "body".into(),
                        Value::string(h.body.text.clone()).with_span(Span::new(
                            fid,
                            h.body.offs[0] as usize,
                            *h.body.offs.last().unwrap_or(&0) as usize,
                        )),
                    );
                    Value::map(m)
                })
                .collect(),
        ),
    );

    match keyword.as_str() {
        "RUN" | "CMD" | "ENTRYPOINT" if exec.is_none() => {
            let mut commands = shell::parse(&args, fid);
            // A heredoc fed to a shell (or the whole RUN) is the script itself.
            if keyword == "RUN" && !heredocs.is_empty() {
                let runs_script = commands.is_empty()
                    || (commands.len() == 1
                        && matches!(commands[0].name(), "sh" | "bash" | "ash" | "dash" | "zsh")
                        && commands[0].args().iter().all(|w| w.text.starts_with('-')));
                if runs_script {
                    commands.clear();
                    for h in heredocs {
                        commands.extend(shell::parse(&h.body, fid));
                    }
                }
            }
            map.insert(
                "commands".into(),
                Value::list(commands.iter().map(command_value).collect()),
            );
        }
        // Exec form runs argv directly, no shell: one command whose words are the array's
        // strings, or the script of `["sh", "-c", "script"]`.
        "RUN" => {
            if let Some(items) = &exec {
                map.insert(
                    "commands".into(),
                    Value::list(
                        exec_commands(items, fid)
                            .iter()
                            .map(command_value)
                            .collect(),
                    ),
                );
            }
        }
        "ENV" | "ARG" | "LABEL" => {
            let ws = split_words(&args, ctx.escape, fid);
            let legacy = keyword == "ENV" && ws.first().is_some_and(|w| !w.0.contains('='));
            let mut list = Vec::new();
            if legacy {
                // `ENV name value with spaces`
                let (name, nspan, _) = ws[0].clone();
                let rest_start = ws.get(1).map_or(args.len(), |w| w.2);
                let value = unquote(args.text[rest_start..].trim(), ctx.escape);
                let vspan = args.span(fid, rest_start, args.len());
                pairs.push((name.clone(), Some(value.clone())));
                list.push(pair_value(
                    &name,
                    nspan,
                    Some((&value, vspan)),
                    nspan.start,
                    vspan.end,
                    fid,
                ));
            } else {
                for (w, wspan, _) in &ws {
                    match w.split_once('=') {
                        Some((k, v)) => {
                            let vstart = wspan.start as usize + w.find('=').map_or(0, |x| x + 1);
                            let vspan =
                                Span::new(fid, vstart.min(wspan.end as usize), wspan.end as usize);
                            let kspan = Span::new(
                                fid,
                                wspan.start as usize,
                                vstart.saturating_sub(1).max(wspan.start as usize),
                            );
                            pairs.push((k.to_string(), Some(v.to_string())));
                            list.push(pair_value(
                                k,
                                kspan,
                                Some((v, vspan)),
                                wspan.start,
                                wspan.end,
                                fid,
                            ));
                        }
                        None => {
                            pairs.push((w.clone(), None));
                            list.push(pair_value(w, *wspan, None, wspan.start, wspan.end, fid));
                        }
                    }
                }
            }
            map.insert("pairs".into(), Value::list(list));
        }
        "ONBUILD" => {
            let inner = line.tail(pos);
            let start = inner.offs[0] as usize;
            if let Some(trigger) = interpret_line(&inner, heredocs, ctx, (start, span.1)) {
                map.insert("trigger".into(), trigger.value);
            }
        }
        "HEALTHCHECK" => {
            let t = args.text.trim_start();
            let upper = t.to_ascii_uppercase();
            map.insert("none".into(), Value::bool(upper == "NONE"));
            if upper.starts_with("CMD") {
                let off = args.len() - t.len() + 3;
                let mut p = off;
                skip_ws(&args.text, &mut p);
                let cmd = args.tail(p);
                let cspan = args.span(fid, p, args.len());
                match parse_json_array(&cmd, fid) {
                    Some(items) => {
                        map.insert("cmd_form".into(), Value::string("exec"));
                        map.insert(
                            "cmd".into(),
                            Value::list(
                                items
                                    .into_iter()
                                    .map(|(s, sp)| Value::string(s).with_span(sp))
                                    .collect(),
                            )
                            .with_span(cspan),
                        );
                    }
                    None => {
                        map.insert("cmd_form".into(), Value::string("shell"));
                        map.insert(
                            "cmd".into(),
                            Value::string(cmd.text.clone()).with_span(cspan),
                        );
                        let commands = shell::parse(&cmd, fid);
                        map.insert(
                            "commands".into(),
                            Value::list(commands.iter().map(command_value).collect()),
                        );
                    }
                }
            }
        }
        _ => {}
    }
    if exec.is_none() && !matches!(keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT" | "ONBUILD") {
        words = split_words(&args, ctx.escape, fid)
            .into_iter()
            .map(|(w, s, _)| (w, s))
            .collect();
    }
    if !matches!(keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT" | "ONBUILD") || exec.is_some() {
        map.insert(
            "words".into(),
            Value::list(
                words
                    .iter()
                    .map(|(w, s)| Value::string(w.clone()).with_span(*s))
                    .collect(),
            ),
        );
    }
    Some(Instr {
        keyword,
        keyword_span,
        value: Value::map(map).with_span(whole),
        pairs,
        words,
        flags,
    })
}

fn pair_value(
    key: &str,
    kspan: Span,
    value: Option<(&str, Span)>,
    start: u32,
    end: u32,
    fid: FileId,
) -> Value {
    let mut m = IndexMap::new();
    m.insert("key".into(), Value::string(key).with_span(kspan));
    m.insert(
        "value".into(),
        match value {
            Some((v, s)) => Value::string(v).with_span(s),
            None => Value::null(),
        },
    );
    Value::map(m).with_span(Span::new(fid, start as usize, end as usize))
}

fn command_value(c: &shell::Command) -> Value {
    let words = |ws: &[shell::Word]| {
        Value::list(
            ws.iter()
                .map(|w| Value::string(w.text.clone()).with_span(w.span))
                .collect(),
        )
    };
    let mut m = IndexMap::new();
    m.insert("argv".into(), words(&c.argv));
    m.insert("assignments".into(), words(&c.assignments));
    m.insert(
        "wrappers".into(),
        Value::list(
            c.wrappers
                .iter()
                .map(|w| Value::string(w.clone()))
                .collect(),
        ),
    );
    m.insert("redirects".into(), words(&c.redirects));
    m.insert(
        "separator".into(),
        c.separator.clone().map_or_else(Value::null, Value::string),
    );
    m.insert("pipes_into_next".into(), Value::bool(c.pipes_into_next()));
    Value::map(m).with_span(c.span)
}

fn skip_ws(text: &str, pos: &mut usize) {
    while *pos < text.len() && text.as_bytes()[*pos].is_ascii_whitespace() {
        *pos += 1;
    }
}

/// A JSON array of strings with the span of each element, or None (→ shell form).
/// The commands of an exec-form `RUN`. The words are given to the program as they are, so
/// they are written single-quoted into a script for [`shell::parse`] (which unwraps `sudo`,
/// `env`, … as usual). A string without JSON escapes keeps exact spans (`'pip'` and `"pip"`
/// have the same length); one with escapes maps every byte to the string's start.
/// `["sh", "-c", "script"]` (any shell, `-c` possibly among other flags) runs the script.
fn exec_commands(items: &[(String, Span)], fid: FileId) -> Vec<shell::Command> {
    // The mapped text of one JSON string: its decoded content, optionally wrapped in quotes.
    let push = |m: &mut Mapped, text: &str, span: Span, quote: bool| {
        let exact = text.len() + 2 == (span.end - span.start) as usize && !text.contains('\'');
        let start = span.start;
        let at = |k: usize| if exact { start + k as u32 } else { start };
        if quote && exact {
            m.text.push('\'');
            m.offs.push(at(0));
            m.text.push_str(text);
            m.offs.extend((0..text.len()).map(|k| at(k + 1)));
            m.text.push('\'');
            m.offs.push(at(text.len() + 1));
        } else if quote {
            let q = format!("'{}'", text.replace('\'', "'\\''"));
            m.offs.extend(std::iter::repeat_n(start, q.len()));
            m.text.push_str(&q);
        } else {
            m.text.push_str(text);
            m.offs.extend((0..text.len()).map(|k| at(k + 1)));
        }
    };
    let mut m = Mapped::default();
    let shell = items.first().is_some_and(|(w, _)| {
        matches!(
            w.rsplit('/').next(),
            Some("sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
        )
    });
    let script = shell
        .then(|| {
            let flags = items.iter().skip(1).take_while(|(w, _)| w.starts_with('-'));
            let has_c = flags.clone().any(|(w, _)| w.len() > 1 && w.ends_with('c'));
            let n = 1 + flags.count();
            has_c.then(|| items.get(n)).flatten()
        })
        .flatten();
    let end = match script {
        Some((text, span)) => {
            push(&mut m, text, *span, false);
            span.end
        }
        None => {
            for (k, (text, span)) in items.iter().enumerate() {
                if k > 0 {
                    m.text.push(' ');
                    m.offs.push(span.start);
                }
                push(&mut m, text, *span, true);
            }
            items.last().map_or(0, |(_, sp)| sp.end)
        }
    };
    m.finish(end as usize);
    shell::parse(&m, fid)
}

fn parse_json_array(m: &Mapped, fid: FileId) -> Option<Vec<(String, Span)>> {
    let b = m.text.as_bytes();
    let mut i = 0;
    let ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    ws(&mut i);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    ws(&mut i);
    let mut out = Vec::new();
    if b.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                match *b.get(i)? {
                    b'"' => {
                        i += 1;
                        break;
                    }
                    b'\\' => {
                        let c = *b.get(i + 1)?;
                        i += 2;
                        match c {
                            b'"' => s.push('"'),
                            b'\\' => s.push('\\'),
                            b'/' => s.push('/'),
                            b'b' => s.push('\u{8}'),
                            b'f' => s.push('\u{c}'),
                            b'n' => s.push('\n'),
                            b'r' => s.push('\r'),
                            b't' => s.push('\t'),
                            b'u' => {
                                let hex = m.text.get(i..i + 4)?;
                                let code = u32::from_str_radix(hex, 16).ok()?;
                                s.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                                i += 4;
                            }
                            _ => return None,
                        }
                    }
                    c if c < 0x20 => return None,
                    _ => {
                        let ch = m.text[i..].chars().next()?;
                        s.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            out.push((s, m.span(fid, start, i)));
            ws(&mut i);
            match b.get(i) {
                Some(b',') => {
                    i += 1;
                    ws(&mut i);
                }
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    ws(&mut i);
    (i == b.len()).then_some(out)
}

/// Whitespace-separated words, quotes and escapes removed: (text, span, start offset).
fn split_words(m: &Mapped, escape: u8, fid: FileId) -> Vec<(String, Span, usize)> {
    let b = m.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut w: Vec<u8> = Vec::new();
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    i += 1;
                }
                Some(b'"') if c == escape && i + 1 < b.len() => {
                    w.push(b[i + 1]);
                    i += 2;
                }
                Some(_) => {
                    w.push(c);
                    i += 1;
                }
                None if c.is_ascii_whitespace() => break,
                None if c == b'"' || c == b'\'' => {
                    quote = Some(c);
                    i += 1;
                }
                None if c == escape && i + 1 < b.len() => {
                    w.push(b[i + 1]);
                    i += 2;
                }
                None => {
                    w.push(c);
                    i += 1;
                }
            }
        }
        out.push((
            String::from_utf8_lossy(&w).into_owned(),
            m.span(fid, start, i),
            start,
        ));
    }
    out
}

/// Removes one level of quotes/escapes from a flag or ENV value.
fn unquote(s: &str, escape: u8) -> String {
    let m = Mapped::from_range(s, 0, s.len());
    split_words(&m, escape, FileId(0))
        .into_iter()
        .map(|w| w.0)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:+a}`, `${VAR+a}`.
/// Err names the first variable with no value.
pub fn substitute(s: &str, vars: &HashMap<String, Option<String>>) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() && b[i + 1] == b'$' {
            out.push('$');
            i += 2;
            continue;
        }
        if b[i] != b'$' {
            let ch = s[i..].chars().next().unwrap_or('?');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let lookup = |name: &str| vars.get(name).cloned().flatten();
        if b.get(i + 1) == Some(&b'{') {
            let Some(close) = s[i..].find('}') else {
                out.push_str(&s[i..]);
                break;
            };
            let inner = &s[i + 2..i + close];
            i += close + 1;
            let name_len = inner
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            let (name, op) = inner.split_at(name_len);
            let val = lookup(name);
            let set_nonempty = val.as_deref().is_some_and(|v| !v.is_empty());
            let resolved = if let Some(d) = op.strip_prefix(":-") {
                Some(if set_nonempty {
                    val.unwrap_or_default()
                } else {
                    d.to_string()
                })
            } else if let Some(d) = op.strip_prefix('-') {
                Some(val.unwrap_or_else(|| d.to_string()))
            } else if let Some(a) = op.strip_prefix(":+") {
                Some(if set_nonempty {
                    a.to_string()
                } else {
                    String::new()
                })
            } else if let Some(a) = op.strip_prefix('+') {
                Some(if val.is_some() {
                    a.to_string()
                } else {
                    String::new()
                })
            } else {
                val
            };
            match resolved {
                Some(v) => out.push_str(&v),
                None => return Err(name.to_string()),
            }
        } else {
            let name_len = s[i + 1..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            if name_len == 0 {
                out.push('$');
                i += 1;
                continue;
            }
            let name = &s[i + 1..i + 1 + name_len];
            i += 1 + name_len;
            match lookup(name) {
                Some(v) => out.push_str(&v),
                None => return Err(name.to_string()),
            }
        }
    }
    Ok(out)
}

/// `[registry/]repository[:tag][@digest]`.
pub struct ImageRef {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

pub fn parse_image(s: &str) -> ImageRef {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (s, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (
            &rest[..last_slash + i],
            Some(rest[last_slash + i + 1..].to_string()),
        ),
        None => (rest, None),
    };
    let (registry, repository) = match name.split_once('/') {
        Some((first, repo))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first.to_string()), repo.to_string())
        }
        _ => (None, name.to_string()),
    };
    ImageRef {
        registry,
        repository,
        tag,
        digest,
    }
}

/// The shell named by a `SHELL` instruction when it is not a POSIX shell.
fn shell_of(instr: &Value) -> Option<String> {
    let first = instr.get_path("args.0")?.as_str()?;
    let name = first
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(first)
        .to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name).to_string();
    matches!(name.as_str(), "powershell" | "pwsh" | "cmd").then_some(name)
}

struct StageBuilder {
    index: usize,
    alias: Option<(String, Span)>,
    base: Value,
    image: Value,
    platform: Value,
    from: Value,
    start: usize,
    end: usize,
    instructions: Vec<Value>,
    /// The non-POSIX shell set by `SHELL` (`powershell`, `cmd`), if any.
    shell: Option<String>,
}

fn start_stage(
    instr: &Instr,
    raw: &RawInstr,
    index: usize,
    earlier: &[StageBuilder],
    vars: &HashMap<String, Option<String>>,
    ctx: &mut Ctx<'_>,
) -> StageBuilder {
    let words = &instr.words;
    let (base_raw, base_span) = words
        .first()
        .cloned()
        .unwrap_or((String::new(), instr.keyword_span));
    let mut alias = None;
    match words.len() {
        1 => {}
        3 if words[1].0.eq_ignore_ascii_case("as") => {
            alias = Some((words[2].0.to_ascii_lowercase(), words[2].1));
        }
        _ => ctx.error(
            words.get(1).map_or(instr.keyword_span, |w| w.1),
            "FROM takes an image and an optional `AS name`",
        ),
    }
    let image = match substitute(&base_raw, vars) {
        Ok(resolved) => {
            let lower = resolved.to_ascii_lowercase();
            let is_stage = earlier
                .iter()
                .any(|s| s.alias.as_ref().is_some_and(|a| a.0 == lower));
            let r = parse_image(&resolved);
            let opt = |v: Option<String>| v.map_or_else(Value::null, Value::string);
            let mut m = IndexMap::new();
            m.insert("resolved".into(), Value::string(resolved.clone()));
            m.insert("registry".into(), opt(r.registry));
            m.insert("repository".into(), Value::string(r.repository));
            m.insert("tag".into(), opt(r.tag));
            m.insert("digest".into(), opt(r.digest));
            m.insert("is_stage".into(), Value::bool(is_stage));
            m.insert("is_scratch".into(), Value::bool(lower == "scratch"));
            Value::map(m).with_span(base_span)
        }
        Err(var) => Value::unknown(format!(
            "FROM `{base_raw}` uses ARG `{var}`, which has no default before the first FROM"
        ))
        .with_span(base_span),
    };
    let from = instr.value.clone();
    StageBuilder {
        index,
        alias,
        base: Value::string(base_raw).with_span(base_span),
        image,
        platform: instr
            .flags
            .get("platform")
            .cloned()
            .unwrap_or_else(Value::null),
        from,
        start: raw.span.0,
        end: raw.span.1,
        instructions: Vec::new(),
        shell: None,
    }
}

impl StageBuilder {
    fn build(self, fid: FileId, scope: &str, is_final: bool) -> Object {
        let name = self
            .alias
            .as_ref()
            .map_or_else(|| self.index.to_string(), |a| a.0.clone());
        let mut o = Object::new(
            ObjectKind::DockerStage,
            "docker_stage",
            name.clone(),
            format!("stage[{name}]"),
            scope,
            Span::new(fid, self.start, self.end),
        );
        o.parent = Some(0);
        o.attrs
            .insert("index".into(), Value::number(self.index as f64));
        o.attrs.insert(
            "alias".into(),
            self.alias
                .map_or_else(Value::null, |(a, s)| Value::string(a).with_span(s)),
        );
        o.attrs.insert("base".into(), self.base);
        o.attrs.insert("image".into(), self.image);
        o.attrs.insert("platform".into(), self.platform);
        o.attrs.insert("is_final".into(), Value::bool(is_final));
        o.attrs.insert("from".into(), self.from);
        o.attrs
            .insert("instructions".into(), Value::list(self.instructions));
        o
    }
}

#[cfg(test)]
mod tests;
