//! A small POSIX-shell reader for Dockerfile `RUN`/`CMD`/`ENTRYPOINT` lines and heredoc bodies.
//!
//! It is not a shell: it splits a script into simple commands (argv words with quotes removed),
//! flattening lists (`&&`, `||`, `;`, `|`, `&`, newlines), subshells `( … )`, groups `{ …; }` and
//! compound keywords (`if`/`then`/`fi`, `while`/`do`/`done`, `for … in …`, `case … esac`), so
//! rules can look at commands and their flags instead of substrings. Command substitutions
//! (`$(…)`, backticks) and parameter expansions stay inside their word, unexpanded.
//!
//! Every word and command keeps a span in the original file, through a [`Mapped`] text whose
//! bytes each know their file offset (line continuations removed).

use crate::source::{FileId, Span};

/// A text assembled from pieces of a file, each byte with its file offset.
#[derive(Debug, Clone, Default)]
pub struct Mapped {
    pub text: String,
    /// `offs[i]` is the file offset of `text` byte `i`; `offs[text.len()]` is the end offset.
    pub offs: Vec<u32>,
}

impl Mapped {
    /// A mapped text for the file range `start..end`, dropping `\r` before `\n`.
    pub fn from_range(src: &str, start: usize, end: usize) -> Mapped {
        let mut m = Mapped::default();
        m.push_range(src, start, end);
        m.finish(end);
        m
    }

    /// Appends the file range `start..end` (dropping `\r` before `\n`).
    pub fn push_range(&mut self, src: &str, start: usize, end: usize) {
        let bytes = src.as_bytes();
        let mut i = start;
        while i < end {
            if bytes[i] == b'\r' && i + 1 < end && bytes[i + 1] == b'\n' {
                i += 1;
                continue;
            }
            // Copy whole characters so `text` stays valid UTF-8.
            let ch_len = utf8_len(bytes[i]);
            let stop = (i + ch_len).min(end);
            self.text.push_str(&src[i..stop]);
            for k in i..stop {
                self.offs.push(k as u32);
            }
            i = stop;
        }
    }

    /// Sets the end offset; call once after the last `push_range`.
    pub fn finish(&mut self, end: usize) {
        self.offs.truncate(self.text.len());
        self.offs.push(end as u32);
    }

    /// The sub-text from byte `from` to the end.
    pub fn tail(&self, from: usize) -> Mapped {
        Mapped {
            text: self.text[from..].to_string(),
            offs: self.offs[from..].to_vec(),
        }
    }

    /// The sub-text `from..to`.
    pub fn slice(&self, from: usize, to: usize) -> Mapped {
        let mut offs = self.offs[from..to].to_vec();
        offs.push(if to > from {
            self.offs[to - 1] + 1
        } else {
            self.offs[from]
        });
        Mapped {
            text: self.text[from..to].to_string(),
            offs,
        }
    }

    /// The file span of text bytes `a..b`.
    pub fn span(&self, file: FileId, a: usize, b: usize) -> Span {
        if b <= a {
            let o = self.offs[a.min(self.offs.len() - 1)] as usize;
            Span::new(file, o, o)
        } else {
            Span::new(file, self.offs[a] as usize, self.offs[b - 1] as usize + 1)
        }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// One shell word, quotes and escapes removed (expansions kept as written).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub span: Span,
    /// Some part of the word was quoted.
    pub quoted: bool,
}

/// One simple command of a script.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The command and its arguments, after unwrapping `sudo`, `env`, `xargs`, … (see
    /// `wrappers`).
    pub argv: Vec<Word>,
    /// `NAME=value` words before the command (and those given to `env`).
    pub assignments: Vec<Word>,
    /// Wrapper commands that were stripped from the front of `argv`, outermost first.
    pub wrappers: Vec<String>,
    /// Redirections as written with their target, e.g. `>/dev/null`, `2>&1`, `<<EOF`.
    pub redirects: Vec<Word>,
    /// The whole command, from its first word to its last.
    pub span: Span,
    /// The operator after the command: `&&`, `||`, `;`, `|`, `&`, `\n`; None at the end.
    pub separator: Option<String>,
}

impl Command {
    /// The command name (basename of `argv[0]`).
    pub fn name(&self) -> &str {
        self.argv
            .first()
            .map(|w| w.text.rsplit('/').next().unwrap_or(&w.text))
            .unwrap_or("")
    }

    /// The command's output is piped into the next command.
    pub fn pipes_into_next(&self) -> bool {
        matches!(self.separator.as_deref(), Some("|") | Some("|&"))
    }

    /// Arguments after the command name.
    pub fn args(&self) -> &[Word] {
        self.argv.get(1..).unwrap_or(&[])
    }
}

#[derive(Debug)]
enum Tok {
    Word(Word),
    Op(String),
    Redirect(Word),
}

/// Splits a script into simple commands. `m` is the script with file offsets.
pub fn parse(m: &Mapped, file: FileId) -> Vec<Command> {
    let toks = tokenize(m, file);
    assemble(toks, m, file)
}

fn tokenize(m: &Mapped, file: FileId) -> Vec<Tok> {
    let b = m.text.as_bytes();
    let n = b.len();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    while i < n {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if i + 1 < n && b[i + 1] == b'\n' => i += 2,
            b'\n' => {
                toks.push(Tok::Op("\n".into()));
                i += 1;
                // Skip the bodies of heredocs opened on this line.
                for (delim, strip) in pending_heredocs.drain(..) {
                    while i < n {
                        let line_end = m.text[i..].find('\n').map_or(n, |k| i + k);
                        let line = &m.text[i..line_end];
                        let line = if strip {
                            line.trim_start_matches('\t')
                        } else {
                            line
                        };
                        i = (line_end + 1).min(n);
                        if line.trim_end_matches('\r') == delim {
                            break;
                        }
                    }
                }
            }
            b'#' => {
                while i < n && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'&' if i + 1 < n && b[i + 1] == b'>' => {
                let (w, end) = redirect(
                    m,
                    file,
                    i,
                    i + if b.get(i + 2) == Some(&b'>') { 3 } else { 2 },
                );
                toks.push(Tok::Redirect(w));
                i = end;
            }
            b'&' | b'|' | b';' => {
                let two = match b.get(i + 1) {
                    Some(next) if next.is_ascii() => &m.text[i..i + 2],
                    _ => "",
                };
                let op = match two {
                    "&&" | "||" | ";;" | "|&" => two,
                    _ => &m.text[i..i + 1],
                };
                toks.push(Tok::Op(op.to_string()));
                i += op.len();
            }
            b'(' | b')' => {
                toks.push(Tok::Op((c as char).to_string()));
                i += 1;
            }
            // Process substitution `<(…)` / `>(…)`: one word, kept as written.
            b'<' | b'>' if b.get(i + 1) == Some(&b'(') => {
                let end = skip_expansion(b, i);
                toks.push(Tok::Word(Word {
                    text: m.text[i..end].to_string(),
                    span: m.span(file, i, end),
                    quoted: false,
                }));
                i = end;
            }
            b'<' | b'>' => {
                let start = i;
                let mut j = i + 1;
                if c == b'<' && b.get(j) == Some(&b'<') {
                    j += 1;
                    if b.get(j) == Some(&b'<') {
                        j += 1;
                    } else {
                        let strip = b.get(j) == Some(&b'-');
                        if strip {
                            j += 1;
                        }
                        // A heredoc: its body (in a script) follows the next newline.
                        let mut k = j;
                        while k < n && (b[k] == b' ' || b[k] == b'\t') {
                            k += 1;
                        }
                        let (text, _, _) = scan_word(b, k);
                        let delim = String::from_utf8_lossy(&text).into_owned();
                        if !delim.is_empty() {
                            pending_heredocs.push((delim, strip));
                        }
                    }
                } else if matches!(b.get(j), Some(b'>') | Some(b'&') | Some(b'|')) {
                    j += 1;
                }
                let (w, end) = redirect(m, file, start, j);
                toks.push(Tok::Redirect(w));
                i = end;
            }
            _ => {
                let start = i;
                let (text, end, quoted) = scan_word(b, i);
                i = end;
                let text = String::from_utf8_lossy(&text).into_owned();
                // `2>file`: a file-descriptor number glued to a redirection.
                if !quoted
                    && i < n
                    && (b[i] == b'<' || b[i] == b'>')
                    && text.bytes().all(|d| d.is_ascii_digit())
                {
                    let mut j = i + 1;
                    if matches!(b.get(j), Some(b'>') | Some(b'&') | Some(b'<')) {
                        j += 1;
                    }
                    let (w, end) = redirect(m, file, start, j);
                    toks.push(Tok::Redirect(w));
                    i = end;
                    continue;
                }
                toks.push(Tok::Word(Word {
                    text,
                    span: m.span(file, start, end),
                    quoted,
                }));
            }
        }
    }
    toks
}

/// A redirection operator `start..op_end` and its target word.
fn redirect(m: &Mapped, file: FileId, start: usize, op_end: usize) -> (Word, usize) {
    let b = m.text.as_bytes();
    let mut j = op_end;
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    let (target, end, quoted) = scan_word(b, j);
    let mut text = m.text[start..op_end].to_string();
    text.push_str(&String::from_utf8_lossy(&target));
    (
        Word {
            text,
            span: m.span(file, start, end.max(op_end)),
            quoted,
        },
        end.max(op_end),
    )
}

/// Scans one word from `i`; returns its unquoted bytes, end and whether it had quotes.
fn scan_word(b: &[u8], mut i: usize) -> (Vec<u8>, usize, bool) {
    let n = b.len();
    let mut out = Vec::new();
    let mut quoted = false;
    while i < n {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
            b'\\' => {
                if i + 1 < n {
                    if b[i + 1] != b'\n' {
                        out.push(b[i + 1]);
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            b'\'' => {
                quoted = true;
                let end = b[i + 1..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(n, |k| i + 1 + k);
                out.extend_from_slice(&b[i + 1..end]);
                i = (end + 1).min(n);
            }
            b'"' => {
                quoted = true;
                i += 1;
                while i < n && b[i] != b'"' {
                    if b[i] == b'\\'
                        && i + 1 < n
                        && matches!(b[i + 1], b'$' | b'`' | b'"' | b'\\' | b'\n')
                    {
                        if b[i + 1] != b'\n' {
                            out.push(b[i + 1]);
                        }
                        i += 2;
                    } else if b[i] == b'$' && i + 1 < n && (b[i + 1] == b'(' || b[i + 1] == b'{') {
                        let end = skip_expansion(b, i);
                        out.extend_from_slice(&b[i..end]);
                        i = end;
                    } else if b[i] == b'`' {
                        let end = skip_backtick(b, i);
                        out.extend_from_slice(&b[i..end]);
                        i = end;
                    } else {
                        out.push(b[i]);
                        i += 1;
                    }
                }
                i = (i + 1).min(n);
            }
            b'$' if i + 1 < n && (b[i + 1] == b'(' || b[i + 1] == b'{') => {
                let end = skip_expansion(b, i);
                out.extend_from_slice(&b[i..end]);
                i = end;
            }
            b'`' => {
                let end = skip_backtick(b, i);
                out.extend_from_slice(&b[i..end]);
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    (out, i, quoted)
}

/// End of `$(…)`, `$((…))` or `${…}` starting at `i` (the `$`).
fn skip_expansion(b: &[u8], i: usize) -> usize {
    let n = b.len();
    let (open, close) = if b[i + 1] == b'(' {
        (b'(', b')')
    } else {
        (b'{', b'}')
    };
    let mut depth = 0usize;
    let mut j = i + 1;
    while j < n {
        match b[j] {
            b'\\' => j += 1,
            b'\'' if open == b'(' => {
                j = b[j + 1..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(n, |k| j + 1 + k);
            }
            b'"' => {
                j += 1;
                while j < n && b[j] != b'"' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
            }
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    n
}

fn skip_backtick(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'`' => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

fn is_assignment(w: &Word) -> bool {
    let Some(eq) = w.text.find('=') else {
        return false;
    };
    let name = &w.text[..eq];
    !name.is_empty()
        && name
            .bytes()
            .enumerate()
            .all(|(k, c)| c == b'_' || c.is_ascii_alphabetic() || (k > 0 && c.is_ascii_digit()))
}

#[derive(Default)]
struct Builder {
    words: Vec<Word>,
    assignments: Vec<Word>,
    redirects: Vec<Word>,
    start: Option<usize>,
    end: usize,
}

fn assemble(toks: Vec<Tok>, m: &Mapped, file: FileId) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    let mut cur = Builder::default();
    // Dropping the words of a `for`/`select` header up to the next separator.
    let mut skipping = false;
    // Inside `case … in`, before a pattern's `)`.
    let mut expect_pattern = false;
    let mut case_header = false;
    let mut case_depth = 0usize;

    let finish = |cur: &mut Builder, out: &mut Vec<Command>, sep: Option<&str>| {
        let b = std::mem::take(cur);
        if b.words.is_empty() {
            if let (Some(sep), Some(last)) = (sep, out.last_mut()) {
                if last.separator.is_none() {
                    last.separator = Some(sep.to_string());
                }
            }
            return;
        }
        let start = b.start.unwrap_or(0);
        let span = Span::new(file, start, b.end);
        let _ = m;
        out.push(unwrap(Command {
            argv: b.words,
            assignments: b.assignments,
            wrappers: Vec::new(),
            redirects: b.redirects,
            span,
            separator: sep.map(str::to_string),
        }));
    };

    for tok in toks {
        match tok {
            Tok::Word(w) => {
                if skipping {
                    continue;
                }
                if case_header {
                    if !w.quoted && w.text == "in" {
                        case_header = false;
                        expect_pattern = true;
                    }
                    continue;
                }
                if expect_pattern {
                    if !w.quoted && w.text == "esac" {
                        expect_pattern = false;
                        case_depth = case_depth.saturating_sub(1);
                    }
                    continue;
                }
                if cur.words.is_empty() && is_assignment(&w) {
                    cur.start.get_or_insert(w.span.start as usize);
                    cur.end = w.span.end as usize;
                    cur.assignments.push(w);
                    continue;
                }
                if cur.words.is_empty() && !w.quoted {
                    match w.text.as_str() {
                        "{" | "!" | "if" | "then" | "else" | "elif" | "do" | "while" | "until" => {
                            continue;
                        }
                        "}" | "fi" | "done" => {
                            finish(&mut cur, &mut out, None);
                            continue;
                        }
                        "esac" => {
                            case_depth = case_depth.saturating_sub(1);
                            finish(&mut cur, &mut out, None);
                            continue;
                        }
                        "for" | "select" => {
                            skipping = true;
                            continue;
                        }
                        "case" => {
                            case_header = true;
                            case_depth += 1;
                            continue;
                        }
                        _ => {}
                    }
                }
                cur.start.get_or_insert(w.span.start as usize);
                cur.end = w.span.end as usize;
                cur.words.push(w);
            }
            Tok::Redirect(w) => {
                if skipping || expect_pattern || case_header {
                    continue;
                }
                cur.start.get_or_insert(w.span.start as usize);
                cur.end = cur.end.max(w.span.end as usize);
                cur.redirects.push(w);
            }
            Tok::Op(op) => {
                if op == ")" && expect_pattern {
                    expect_pattern = false;
                    continue;
                }
                if expect_pattern || case_header {
                    continue;
                }
                match op.as_str() {
                    "(" | ")" => finish(&mut cur, &mut out, None),
                    ";;" => {
                        finish(&mut cur, &mut out, Some(";"));
                        if case_depth > 0 {
                            expect_pattern = true;
                        }
                    }
                    _ => {
                        if skipping && matches!(op.as_str(), ";" | "\n") {
                            skipping = false;
                            continue;
                        }
                        finish(&mut cur, &mut out, Some(&op));
                    }
                }
            }
        }
    }
    finish(&mut cur, &mut out, None);
    out
}

/// Strips wrapper commands (`sudo`, `env`, `xargs`, …) from the front of `argv`.
fn unwrap(mut cmd: Command) -> Command {
    loop {
        let name = cmd.name().to_string();
        // Options taking a separate argument, per wrapper.
        let (with_arg, positional): (&[&str], usize) = match name.as_str() {
            "sudo" | "doas" => (&["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"], 0),
            "env" => (&["-u", "-C", "-S", "--unset", "--chdir"], 0),
            "xargs" => (
                &["-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a", "-e", "-l"],
                0,
            ),
            "nohup" | "time" | "exec" => (&["-a"], 0),
            "command" => {
                if cmd.args().iter().any(|w| w.text == "-v" || w.text == "-V") {
                    return cmd;
                }
                (&[], 0)
            }
            "nice" => (&["-n"], 0),
            "timeout" => (&["-s", "-k", "--signal", "--kill-after"], 1),
            "stdbuf" => (&["-i", "-o", "-e"], 0),
            "gosu" | "su-exec" | "chroot" => (&[], 1),
            _ => return cmd,
        };
        let mut k = 1;
        while k < cmd.argv.len() {
            let t = cmd.argv[k].text.as_str();
            if t == "--" {
                k += 1;
                break;
            }
            if t.starts_with('-') && t.len() > 1 {
                k += if with_arg.contains(&t) { 2 } else { 1 };
                continue;
            }
            if (name == "env" || name == "sudo") && is_assignment(&cmd.argv[k]) {
                cmd.assignments.push(cmd.argv[k].clone());
                k += 1;
                continue;
            }
            break;
        }
        k += positional;
        if k >= cmd.argv.len() {
            return cmd;
        }
        cmd.argv.drain(..k);
        cmd.wrappers.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(s: &str) -> Vec<Command> {
        parse(&Mapped::from_range(s, 0, s.len()), FileId(0))
    }

    fn argvs(s: &str) -> Vec<Vec<String>> {
        cmds(s)
            .iter()
            .map(|c| c.argv.iter().map(|w| w.text.clone()).collect())
            .collect()
    }

    #[test]
    fn lists_and_pipes() {
        let c = cmds("apt-get update && apt-get install -y curl | tee log; echo done || true");
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].name(), "apt-get");
        assert_eq!(c[0].separator.as_deref(), Some("&&"));
        assert!(c[1].pipes_into_next());
        assert_eq!(c[2].name(), "tee");
        assert_eq!(c[3].separator.as_deref(), Some("||"));
        assert_eq!(c[4].separator, None);
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            argvs(r#"echo 'a b' "c \"d\" $X" e\ f"#),
            vec![vec!["echo", "a b", "c \"d\" $X", "e f"]]
        );
        let c = cmds("echo 'a b'");
        assert!(c[0].argv[1].quoted);
        assert_eq!(c[0].argv[1].span, Span::new(FileId(0), 5, 10));
    }

    #[test]
    fn substitutions_stay_in_words() {
        assert_eq!(
            argvs("x=$(cat a | wc -l) y `date` \"$(echo \"in\")\""),
            vec![vec!["y", "`date`", "$(echo \"in\")"]]
        );
        let c = cmds("FOO=1 BAR=\"a b\" make ${TARGET:-all}");
        assert_eq!(c[0].assignments.len(), 2);
        assert_eq!(c[0].argv[1].text, "${TARGET:-all}");
    }

    #[test]
    fn subshells_groups_and_keywords_flatten() {
        assert_eq!(
            argvs("(cd a && make) && { echo x; echo y; }"),
            vec![
                vec!["cd", "a"],
                vec!["make"],
                vec!["echo", "x"],
                vec!["echo", "y"]
            ]
        );
        assert_eq!(
            argvs("if [ -f a ]; then rm a; else touch b; fi; for f in a b; do echo $f; done"),
            vec![
                vec!["[", "-f", "a", "]"],
                vec!["rm", "a"],
                vec!["touch", "b"],
                vec!["echo", "$f"]
            ]
        );
        assert_eq!(
            argvs(
                "case \"$arch\" in amd64|x86_64) a=1; echo x ;; arm64) echo y ;; *) exit 1 ;; esac; ls"
            ),
            vec![
                vec!["echo", "x"],
                vec!["echo", "y"],
                vec!["exit", "1"],
                vec!["ls"]
            ]
        );
    }

    #[test]
    fn process_substitution_is_one_word() {
        assert_eq!(
            argvs("bash <(curl -fsSL https://x/y.sh) && diff <(ls a) <(ls b)"),
            vec![
                vec!["bash", "<(curl -fsSL https://x/y.sh)"],
                vec!["diff", "<(ls a)", "<(ls b)"]
            ]
        );
    }

    #[test]
    fn comments_and_redirects() {
        let c = cmds("make 2>&1 >/dev/null # build it\n# whole line\ncurl -o x y");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].argv.len(), 1);
        assert_eq!(
            c[0].redirects
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>(),
            vec!["2>&1", ">/dev/null"]
        );
        assert_eq!(c[0].separator.as_deref(), Some("\n"));
    }

    #[test]
    fn wrappers_are_unwrapped() {
        let c = cmds("sudo -u app env A=1 pip install x; find . | xargs -n 1 rm -f");
        assert_eq!(c[0].wrappers, vec!["sudo", "env"]);
        assert_eq!(c[0].name(), "pip");
        assert_eq!(c[0].assignments[0].text, "A=1");
        assert_eq!(c[2].wrappers, vec!["xargs"]);
        assert_eq!(c[2].name(), "rm");
        let c = cmds("command -v curl");
        assert!(c[0].wrappers.is_empty());
    }

    #[test]
    fn script_heredoc_bodies_are_skipped() {
        assert_eq!(
            argvs("cat <<EOF > /etc/x\nnot a command\nEOF\necho after"),
            vec![vec!["cat"], vec!["echo", "after"]]
        );
        assert_eq!(
            argvs("cat <<-'END'\n\tbody\n\tEND\necho ok"),
            vec![vec!["cat"], vec!["echo", "ok"]]
        );
    }

    #[test]
    fn mapped_spans_follow_file_offsets() {
        // "ab" at 0..2 and "cd" at 10..12 joined: the word spans both pieces.
        let src = "ab\\\n      cd";
        let mut m = Mapped::default();
        m.push_range(src, 0, 2);
        m.push_range(src, 10, 12);
        m.finish(12);
        let c = parse(&m, FileId(0));
        assert_eq!(c[0].argv[0].text, "abcd");
        assert_eq!(c[0].argv[0].span, Span::new(FileId(0), 0, 12));
    }
}
