//! The report flags end to end: formats, `-o`, colour, quiet, fail-on and suppression flags.
//! Rules may not be loaded in this build, so the findings come from core diagnostics
//! (a non-UTF-8 file) and suppression comments.

use std::path::Path;

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.tf"),
        b"resource \"a\" \"b\" {}\n\xff\xfe\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "# infralint:ignore[SG001]\nresource \"aws_security_group\" \"x\" {\n  description = \"x\"\n}\n",
    )
    .unwrap();
    dir
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("infralint").unwrap();
    cmd.current_dir(dir).args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_format_renders() {
    let dir = tree();
    let (code, out, _) = run(dir.path(), &["check", "--format", "github", "."], &[]);
    assert_eq!(code, 1);
    assert!(out.contains("::error file=bad.tf,line=2,col=1,"), "{out}");
    assert!(
        out.contains("::warning file=main.tf,line=1,col=1,"),
        "{out}"
    );
    let (_, out, _) = run(dir.path(), &["check", "--format", "markdown", "."], &[]);
    assert!(
        out.starts_with("<!-- infralint -->\n## ❌ infralint: 2 findings"),
        "{out}"
    );
    let (_, out, _) = run(dir.path(), &["check", "--format", "sarif", "."], &[]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 2);
    let (_, out, _) = run(dir.path(), &["check", "--format", "json", "."], &[]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
}

#[test]
fn output_file() {
    let dir = tree();
    let (code, out, _) = run(
        dir.path(),
        &["check", "--format", "sarif", "-o", "r.sarif", "."],
        &[],
    );
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let text = std::fs::read_to_string(dir.path().join("r.sarif")).unwrap();
    assert!(text.contains("\"columnKind\": \"unicodeCodePoints\""));
}

#[test]
fn colour_and_quiet() {
    let dir = tree();
    let (_, plain, _) = run(dir.path(), &["check", "."], &[]);
    assert!(!plain.contains('\x1b'), "not a terminal: no colour");
    assert!(plain.contains("Found 2 findings"));
    let (_, always, _) = run(
        dir.path(),
        &["check", "--color", "always", "."],
        &[("NO_COLOR", "1")],
    );
    assert!(always.contains('\x1b'));
    let (_, never, _) = run(dir.path(), &["check", "--color", "never", "."], &[]);
    assert!(!never.contains('\x1b'));
    let (_, quiet, _) = run(dir.path(), &["check", "-q", "."], &[]);
    assert!(!quiet.contains("Found 2 findings"));
    assert!(quiet.contains("IL0100[ignore-without-reason]"));
}

#[test]
fn fail_on_from_flag_and_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "# infralint:ignore[SG001]\nlocals {}\n",
    )
    .unwrap();
    // IL0100 is low.
    assert_eq!(run(dir.path(), &["check", "."], &[]).0, 1);
    assert_eq!(
        run(dir.path(), &["check", "--fail-on", "medium", "."], &[]).0,
        0
    );
    std::fs::write(dir.path().join(".infralint.toml"), "fail-on = \"high\"\n").unwrap();
    assert_eq!(run(dir.path(), &["check", "."], &[]).0, 0);
    assert_eq!(
        run(dir.path(), &["check", "--fail-on", "low", "."], &[]).0,
        1
    );
}

#[test]
fn report_unused_ignores_flag() {
    let dir = tree();
    let (_, out, _) = run(dir.path(), &["check", "--format", "github", "."], &[]);
    assert!(!out.contains("IL0101"));
    let (_, out, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--report-unused-ignores",
            ".",
        ],
        &[],
    );
    assert!(out.contains("IL0101[unused-ignore]"), "{out}");
}

#[test]
fn config_flag_and_per_path_ignores() {
    let dir = tree();
    std::fs::write(
        dir.path().join("ci.toml"),
        "[per-path-ignores]\n\"main.tf\" = [\"IL0100\"]\n",
    )
    .unwrap();
    let (_, out, _) = run(
        dir.path(),
        &["check", "--config", "ci.toml", "--format", "github", "."],
        &[],
    );
    assert!(!out.contains("IL0100"), "{out}");
    let (code, _, err) = run(dir.path(), &["check", "--config", "missing.toml", "."], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.toml"));
}
