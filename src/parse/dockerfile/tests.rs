use super::*;
use crate::source::{FileKind, LineCol};

fn file(text: &str) -> SourceFile {
    SourceFile::new(
        FileId(0),
        "app/Dockerfile".into(),
        "app/Dockerfile".into(),
        FileKind::Dockerfile,
        text.into(),
    )
}

fn parse_ok(text: &str) -> (SourceFile, Vec<Object>) {
    let f = file(text);
    let (objs, diags) = parse(&f);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:?}");
    (f, objs)
}

fn instrs(o: &Object) -> &[Value] {
    o.attr("instructions").and_then(Value::as_list).unwrap()
}

fn s<'a>(v: &'a Value, path: &str) -> &'a str {
    v.get_path(path)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {path} in {:?}", v.to_json()))
}

fn argvs(instr: &Value) -> Vec<Vec<String>> {
    instr
        .get("commands")
        .and_then(Value::as_list)
        .unwrap()
        .iter()
        .map(|c| {
            c.get("argv")
                .and_then(Value::as_list)
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn at(f: &SourceFile, span: Span) -> (u32, u32) {
    let LineCol { line, column } = f.line_col(span.start);
    (line, column)
}

#[test]
fn stages_aliases_and_file_object() {
    let (_, o) = parse_ok(
        "FROM golang:1.22 as Builder\nRUN go build\nfrom builder AS test\nFROM gcr.io/distroless/static@sha256:abc\nCOPY --from=builder /app /app\n",
    );
    assert_eq!(o.len(), 4);
    assert_eq!(o[0].type_name, "dockerfile");
    assert_eq!(o[0].name, "Dockerfile");
    assert_eq!(o[0].address, "dockerfile");
    assert_eq!(o[0].scope, "app/Dockerfile");
    assert_eq!(o[0].attr("dir").and_then(Value::as_str), Some("app"));
    assert_eq!(o[0].attr("stages").and_then(Value::as_f64), Some(3.0));
    assert_eq!(o[1].address, "stage[builder]");
    assert_eq!(o[1].parent, Some(0));
    assert_eq!(
        o[1].attr_path("image.tag").and_then(Value::as_str),
        Some("1.22")
    );
    assert_eq!(
        o[2].attr_path("image.is_stage").and_then(Value::as_bool),
        Some(true)
    );
    assert_eq!(o[3].address, "stage[2]");
    assert_eq!(
        o[3].attr_path("image.registry").and_then(Value::as_str),
        Some("gcr.io")
    );
    assert_eq!(
        o[3].attr_path("image.repository").and_then(Value::as_str),
        Some("distroless/static")
    );
    assert_eq!(
        o[3].attr_path("image.digest").and_then(Value::as_str),
        Some("sha256:abc")
    );
    assert_eq!(o[3].attr("is_final").and_then(Value::as_bool), Some(true));
    assert_eq!(o[1].attr("is_final").and_then(Value::as_bool), Some(false));
    let copy = &instrs(&o[3])[0];
    assert_eq!(s(copy, "flags.from"), "builder");
    assert_eq!(s(copy, "instruction"), "COPY");
}

#[test]
fn directives_and_backtick_escape() {
    let (f, o) = parse_ok(
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir C:/ && `\n    echo done\n",
    );
    assert_eq!(
        o[0].attr_path("directives.escape").and_then(Value::as_str),
        Some("`")
    );
    assert_eq!(
        o[0].attr_path("directives.syntax").and_then(Value::as_str),
        Some("docker/dockerfile:1")
    );
    let run = &instrs(&o[1])[0];
    assert_eq!(
        argvs(run),
        vec![vec!["dir", "C:/"], vec!["echo", "done"]]
            .into_iter()
            .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    );
    // The span of `echo` is on line 5.
    let echo = run.get_path("commands.1.argv.0").unwrap();
    assert_eq!(at(&f, echo.span.unwrap()), (5, 5));
}

#[test]
fn directives_only_count_at_the_top() {
    let (_, o) = parse_ok("# a comment\n# escape=`\nFROM alpine\nRUN echo a \\\n  b\n");
    assert_eq!(
        o[0].attr_path("directives.escape").and_then(Value::as_str),
        Some("\\")
    );
    assert!(o[0].attr_path("directives.syntax").unwrap().is_null());
    assert_eq!(argvs(&instrs(&o[1])[0]), vec![vec!["echo", "a", "b"]]);
}

#[test]
fn continuations_skip_comments_and_blank_lines() {
    let (f, o) = parse_ok(
        "FROM debian\nRUN apt-get update \\\n# a comment inside\n\n    && apt-get install -y \\\n       curl\nUSER app\n",
    );
    let run = &instrs(&o[1])[0];
    assert_eq!(
        argvs(run),
        vec![
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "curl"]
        ]
    );
    let span = run.span.unwrap();
    assert_eq!(at(&f, span), (2, 1));
    assert_eq!(f.line_col(span.end).line, 6);
    let curl = run.get_path("commands.1.argv.3").unwrap().span.unwrap();
    assert_eq!(at(&f, curl), (6, 8));
    assert_eq!(f.slice(curl), "curl");
    let cmd_span = run.get_path("commands.1").unwrap().span.unwrap();
    assert_eq!(at(&f, cmd_span), (5, 8));
    assert_eq!(s(&instrs(&o[1])[1], "args"), "app");
}

#[test]
fn crlf_line_endings() {
    let (f, o) = parse_ok("FROM alpine:3.20\r\nRUN apk add \\\r\n  curl\r\nCMD [\"sh\"]\r\n");
    let i = instrs(&o[1]);
    assert_eq!(argvs(&i[0]), vec![vec!["apk", "add", "curl"]]);
    let curl = i[0].get_path("commands.0.argv.2").unwrap().span.unwrap();
    assert_eq!(f.slice(curl), "curl");
    assert_eq!(s(&i[1], "form"), "exec");
    assert_eq!(
        o[1].attr_path("image.tag").and_then(Value::as_str),
        Some("3.20")
    );
}

#[test]
fn heredocs() {
    let text = "FROM alpine\nRUN <<EOF\napk add curl\necho hi\nEOF\nRUN <<-'SCRIPT' bash\n\tset -e\n\tpip install x\n\tSCRIPT\nRUN cat <<A > /a && cat <<\"B\" > /b\na body\nA\nb body\nB\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\nRUN python3 <<PY\nimport os\nPY\nUSER app\n";
    let (f, o) = parse_ok(text);
    let i = instrs(&o[1]);
    assert_eq!(i.len(), 6);
    assert_eq!(s(&i[0], "form"), "heredoc");
    assert_eq!(s(&i[0], "heredocs.0.delimiter"), "EOF");
    assert_eq!(s(&i[0], "heredocs.0.body"), "apk add curl\necho hi\n");
    assert_eq!(
        argvs(&i[0]),
        vec![vec!["apk", "add", "curl"], vec!["echo", "hi"]]
    );
    let apk = i[0].get_path("commands.0.argv.0").unwrap().span.unwrap();
    assert_eq!(at(&f, apk), (3, 1));
    // `<<-` strips leading tabs; the script runs in bash.
    assert_eq!(s(&i[1], "heredocs.0.body"), "set -e\npip install x\n");
    assert_eq!(
        argvs(&i[1]),
        vec![vec!["set", "-e"], vec!["pip", "install", "x"]]
    );
    // Two heredocs on one line.
    assert_eq!(s(&i[2], "heredocs.0.body"), "a body\n");
    assert_eq!(s(&i[2], "heredocs.1.delimiter"), "B");
    assert_eq!(s(&i[2], "heredocs.1.body"), "b body\n");
    assert_eq!(argvs(&i[2]), vec![vec!["cat"], vec!["cat"]]);
    assert_eq!(s(&i[3], "instruction"), "COPY");
    assert_eq!(s(&i[3], "heredocs.0.body"), "key=value\n");
    // A heredoc fed to python is not shell.
    assert_eq!(argvs(&i[4]), vec![vec!["python3"]]);
    assert_eq!(s(&i[5], "instruction"), "USER");
    assert_eq!(f.line_col(i[0].span.unwrap().end).line, 5);
}

#[test]
fn exec_and_shell_forms() {
    let (f, o) = parse_ok(
        "FROM alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT [ 'bad', json ]\nRUN [\"a\\\"b\"]\nSHELL [\"/bin/sh\", \"-c\"]\n",
    );
    let i = instrs(&o[1]);
    assert_eq!(s(&i[0], "form"), "exec");
    assert_eq!(s(&i[0], "args.2"), "daemon off;");
    assert_eq!(
        f.slice(i[0].get_path("args.1").unwrap().span.unwrap()),
        "\"-g\""
    );
    assert_eq!(s(&i[1], "form"), "shell");
    assert_eq!(s(&i[1], "args"), "[ 'bad', json ]");
    assert_eq!(s(&i[2], "args.0"), "a\"b");
    // Exec-form RUN is one command; a string with JSON escapes maps to its start.
    assert_eq!(argvs(&i[2]), vec![vec!["a\"b"]]);
    let w = i[2].get_path("commands.0.argv.0").unwrap().span.unwrap();
    assert_eq!(at(&f, w), (4, 6));
    assert!(
        i[0].get("commands").is_none(),
        "exec-form CMD is not a script"
    );
    assert_eq!(s(&i[3], "form"), "exec");
}

#[test]
fn exec_form_run_commands() {
    let (f, o) = parse_ok(concat!(
        "FROM debian\n",
        "RUN [\"pip\", \"install\", \"--user\", \"flask\"]\n",
        "RUN [\"/bin/sh\", \"-c\", \"apt-get update && apt-get install -y curl\"]\n",
        "RUN [\"bash\", \"-e\", \"-c\", \"pip install x || echo failed\"]\n",
        "RUN [\"sudo\", \"apt-get\", \"install\", \"it's\"]\n",
        "RUN [\"sh\", \\\n  \"-c\", \\\n  \"npm ci\"]\n",
        "RUN [\"bash\", \"script.sh\"]\n",
    ));
    let i = instrs(&o[1]);
    assert_eq!(
        argvs(&i[0]),
        vec![vec!["pip", "install", "--user", "flask"]]
    );
    let flask = i[0].get_path("commands.0.argv.3").unwrap().span.unwrap();
    assert_eq!(f.slice(flask), "\"flask\"");
    assert_eq!(at(&f, flask), (2, 34));
    // `sh -c script` runs the script.
    assert_eq!(
        argvs(&i[1]),
        vec![
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "curl"]
        ]
    );
    let curl = i[1].get_path("commands.1.argv.3").unwrap().span.unwrap();
    assert_eq!(f.slice(curl), "curl");
    assert_eq!(s(&i[2], "commands.0.separator"), "||");
    assert_eq!(
        argvs(&i[2]),
        vec![vec!["pip", "install", "x"], vec!["echo", "failed"]]
    );
    // Wrappers are unwrapped as in shell form; a quote inside a word survives.
    assert_eq!(s(&i[3], "commands.0.wrappers.0"), "sudo");
    assert_eq!(argvs(&i[3]), vec![vec!["apt-get", "install", "it's"]]);
    // Across line continuations.
    assert_eq!(argvs(&i[4]), vec![vec!["npm", "ci"]]);
    let npm = i[4].get_path("commands.0.argv.0").unwrap().span.unwrap();
    assert_eq!(f.slice(npm), "npm");
    assert_eq!(at(&f, npm), (8, 4));
    // A shell given a script file (no `-c`) is one command.
    assert_eq!(argvs(&i[5]), vec![vec!["bash", "script.sh"]]);
}

#[test]
fn flags_with_values_and_repeats() {
    let (f, o) = parse_ok(
        "FROM --platform=$BUILDPLATFORM golang AS b\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=x --network=none go build\nCOPY --chown=app:app --chmod=755 --link a b /dst/\nADD --checksum=sha256:00 https://x/y.tgz /\nHEALTHCHECK --interval=30s --start-period=5s CMD curl -f http://localhost/ || exit 1\n",
    );
    assert_eq!(
        o[1].attr("platform").and_then(Value::as_str),
        Some("$BUILDPLATFORM")
    );
    let i = instrs(&o[1]);
    let mounts = i[0]
        .get_path("flags.mount")
        .and_then(Value::as_list)
        .unwrap();
    assert_eq!(mounts.len(), 2);
    assert_eq!(mounts[1].as_str(), Some("type=secret,id=x"));
    assert_eq!(s(&i[0], "flags.network"), "none");
    assert_eq!(argvs(&i[0]), vec![vec!["go", "build"]]);
    assert_eq!(s(&i[1], "flags.chown"), "app:app");
    assert_eq!(
        i[1].get_path("flags.link").and_then(Value::as_bool),
        Some(true)
    );
    let words: Vec<_> = i[1]
        .get("words")
        .and_then(Value::as_list)
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(words, vec!["a", "b", "/dst/"]);
    let chmod = i[1].get_path("flags.chmod").unwrap().span.unwrap();
    assert_eq!(f.slice(chmod), "755");
    assert_eq!(s(&i[3], "flags.start-period"), "5s");
    assert_eq!(s(&i[3], "cmd_form"), "shell");
    assert_eq!(
        argvs(&i[3]),
        vec![vec!["curl", "-f", "http://localhost/"], vec!["exit", "1"]]
    );
}

#[test]
fn global_args_substitute_into_from() {
    let (_, o) = parse_ok(
        "ARG PY=3.12\nARG VARIANT\nARG REG=docker.io\nFROM python:${PY}-slim AS base\nFROM ${REG}/library/node:${NODE:-20}\nFROM python:$VARIANT\nFROM node:${VARIANT:-22}-alpine\n",
    );
    let args = o[0].attr("args").and_then(Value::as_list).unwrap();
    assert_eq!(args.len(), 3);
    assert_eq!(s(&args[0], "key"), "PY");
    assert_eq!(s(&args[0], "value"), "3.12");
    assert!(args[1].get("value").unwrap().is_null());
    assert_eq!(
        o[1].attr_path("image.tag").and_then(Value::as_str),
        Some("3.12-slim")
    );
    assert_eq!(
        o[1].attr("base").and_then(Value::as_str),
        Some("python:${PY}-slim")
    );
    assert_eq!(
        o[2].attr_path("image.registry").and_then(Value::as_str),
        Some("docker.io")
    );
    assert_eq!(
        o[2].attr_path("image.tag").and_then(Value::as_str),
        Some("20")
    );
    assert!(o[3].attr("image").unwrap().is_unknown());
    assert_eq!(
        o[4].attr_path("image.tag").and_then(Value::as_str),
        Some("22-alpine")
    );
}

#[test]
fn env_arg_label_pairs() {
    let (f, o) = parse_ok(
        "FROM alpine\nENV A=1 B=\"two words\" C=${X}\nENV LEGACY some value\nARG TOKEN\nLABEL org.opencontainers.image.title=\"x y\"\n",
    );
    let i = instrs(&o[1]);
    assert_eq!(s(&i[0], "pairs.1.key"), "B");
    assert_eq!(s(&i[0], "pairs.1.value"), "two words");
    assert_eq!(s(&i[0], "pairs.2.value"), "${X}");
    let vspan = i[0].get_path("pairs.0.value").unwrap().span.unwrap();
    assert_eq!(f.slice(vspan), "1");
    assert_eq!(s(&i[1], "pairs.0.key"), "LEGACY");
    assert_eq!(s(&i[1], "pairs.0.value"), "some value");
    assert!(i[2].get_path("pairs.0.value").unwrap().is_null());
    assert_eq!(s(&i[3], "pairs.0.value"), "x y");
}

#[test]
fn onbuild_and_case_insensitive_keywords() {
    let (_, o) = parse_ok("from alpine\nonbuild run apk add curl\nRun echo x\n");
    let i = instrs(&o[1]);
    assert_eq!(s(&i[0], "instruction"), "ONBUILD");
    assert_eq!(s(&i[0], "trigger.instruction"), "RUN");
    assert_eq!(
        argvs(i[0].get("trigger").unwrap()),
        vec![vec!["apk", "add", "curl"]]
    );
    assert_eq!(s(&i[1], "instruction"), "RUN");
}

#[test]
fn unknown_instruction_is_il0001_at_its_position() {
    let f = file("FROM alpine\nRUN echo ok\n  FORM x\nUSER app\n");
    let (o, d) = parse(&f);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, CoreCode::ParseError);
    assert_eq!(at(&f, d[0].span), (3, 3));
    assert!(d[0].message.contains("FORM"), "{}", d[0].message);
    // The rest still parses.
    assert_eq!(instrs(&o[1]).len(), 2);
}

#[test]
fn missing_from_and_empty_files() {
    for text in ["", "# just a comment\n", "ARG X=1\n", "RUN echo hi\n"] {
        let f = file(text);
        let (o, d) = parse(&f);
        assert!(
            d.iter()
                .any(|d| d.message.contains("no FROM") && d.span.start == 0),
            "{text:?}: {d:?}"
        );
        assert_eq!(o.len(), 1);
    }
    let f = file("RUN echo hi\nFROM alpine\n");
    let (_, d) = parse(&f);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("before the first FROM"));
}

#[test]
fn unterminated_heredoc_and_missing_arguments() {
    let f = file("FROM alpine\nRUN <<EOF\necho hi\n");
    let (_, d) = parse(&f);
    assert_eq!(d.len(), 1);
    assert_eq!(at(&f, d[0].span), (2, 5));
    let f = file("FROM alpine\nWORKDIR\n");
    let (_, d) = parse(&f);
    assert_eq!(at(&f, d[0].span), (2, 1));
}

#[test]
fn image_refs() {
    let r = parse_image("localhost:5000/team/app:1.0@sha256:ff");
    assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
    assert_eq!(r.repository, "team/app");
    assert_eq!(r.tag.as_deref(), Some("1.0"));
    assert_eq!(r.digest.as_deref(), Some("sha256:ff"));
    let r = parse_image("ubuntu");
    assert!(r.registry.is_none() && r.tag.is_none());
    let r = parse_image("bitnami/redis:7");
    assert!(r.registry.is_none());
    assert_eq!(r.repository, "bitnami/redis");
}

#[test]
fn non_posix_shell_commands_are_not_parsed() {
    let (_, o) = parse_ok(
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo before\nSHELL [\"powershell\", \"-Command\"]\nRUN $ErrorActionPreference = 'Stop'; `\n    Write-Host (Get-Date)\nCMD python\n",
    );
    let i = instrs(&o[1]);
    assert!(i[0].get("commands").is_some());
    assert!(i[2].get("commands").is_none());
    assert_eq!(s(&i[2], "shell"), "powershell");
    assert_eq!(s(&i[3], "shell"), "powershell");
}

/// Random Dockerfiles assembled from tricky pieces never make the parser panic, and every span
/// it produces lies inside the file on character boundaries.
#[test]
fn random_inputs_do_not_panic() {
    const PIECES: &[&str] = &[
        "FROM ",
        "RUN ",
        "COPY ",
        "ONBUILD ",
        "HEALTHCHECK ",
        "ENV ",
        "ARG ",
        "SHELL ",
        "CMD ",
        "USER ",
        "# escape=`",
        "# syntax=x",
        "\\",
        "`",
        "\n",
        "\r\n",
        " ",
        "\t",
        "<<EOF",
        "<<-'E'",
        "EOF",
        "\tE",
        "[\"a\", \"b\"]",
        "[\"",
        "\"",
        "'",
        "$(",
        ")",
        "${A:-b}",
        "$",
        "&&",
        "|",
        ";;",
        ";",
        "&",
        "(",
        "{",
        "}",
        "case",
        "in",
        "esac",
        "for",
        "do",
        "done",
        "--mount=type=cache",
        "--from=x",
        "=",
        "é",
        "日本",
        "#",
        "2>&1",
        ">",
        "<",
        "&>",
        "x",
        "AS",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let f = file(&text);
        let (objs, diags) = parse(&f);
        let check = |sp: Span| {
            assert!(sp.end as usize <= text.len(), "{text:?}: {sp:?}");
            assert!(text.is_char_boundary(sp.start as usize), "{text:?}: {sp:?}");
            assert!(text.is_char_boundary(sp.end as usize), "{text:?}: {sp:?}");
        };
        for d in &diags {
            check(d.span);
        }
        fn walk(v: &Value, check: &dyn Fn(Span)) {
            if let Some(sp) = v.span {
                check(sp);
            }
            if let Some(items) = v.as_list() {
                items.iter().for_each(|i| walk(i, check));
            }
            if let Some(m) = v.as_map() {
                m.values().for_each(|i| walk(i, check));
            }
        }
        for o in &objs {
            check(o.span);
            o.attrs.values().for_each(|v| walk(v, &check));
        }
    }
}

#[test]
fn shift_operators_are_not_heredocs() {
    let (_, o) = parse_ok("FROM alpine\nRUN echo $((1<<2)) && cat 0<<EOF\nx\nEOF\nUSER app\n");
    let i = instrs(&o[1]);
    assert_eq!(i.len(), 2);
    assert_eq!(s(&i[0], "heredocs.0.delimiter"), "EOF");
    assert_eq!(
        i[0].get("heredocs").and_then(Value::as_list).unwrap().len(),
        1
    );
}
