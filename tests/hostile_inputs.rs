//! Hostile inputs: every case ends in bounded time with a clear diagnostic, never a panic, and
//! the other files of the run are still checked.
//!
//! Each case writes its hostile file(s) next to a canary: a Terraform file with a syntax error at
//! a known place. The canary's IL0001 in the output proves the rest of the run went on.
//! Durations are printed (run with `--nocapture`), never asserted.

use std::path::Path;
use std::time::Instant;

use assert_cmd::Command;
use serde_json::Value;

const CANARY: &str = "resource \"aws_s3_bucket\" \"canary\" {\n  bucket = \n}\n";

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

impl Run {
    fn findings(&self) -> &[Value] {
        self.json["findings"].as_array().map_or(&[], Vec::as_slice)
    }

    fn with_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.findings().iter().filter(move |f| f["rule_id"] == rule)
    }

    fn assert_canary_checked(&self) {
        let canary: Vec<_> = self
            .with_rule("IL0001")
            .filter(|f| f["file"] == "canary/main.tf")
            .collect();
        assert_eq!(canary.len(), 1, "canary not reported: {}", self.json);
        assert_eq!(canary[0]["line"], 2);
    }
}

fn run_check(dir: &Path, name: &str) -> Run {
    std::fs::create_dir_all(dir.join("canary")).unwrap();
    std::fs::write(dir.join("canary/main.tf"), CANARY).unwrap();
    let start = Instant::now();
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(dir)
        .args(["check", ".", "--format", "json"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    println!("{name}: {:?}", start.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{name} panicked: {stderr}");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: output is not JSON ({e}); stderr: {stderr}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stderr,
    }
}

fn case(name: &str, files: &[(&str, &[u8])]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    let run = run_check(dir.path(), name);
    run.assert_canary_checked();
    assert_eq!(run.code, 1, "{name}: the canary alone makes the run fail");
    run
}

#[test]
fn empty_files_parse_without_panic() {
    let run = case(
        "empty files",
        &[
            ("main.tf", b""),
            ("vars.tfvars", b""),
            (".github/workflows/ci.yml", b""),
            ("action.yml", b""),
        ],
    );
    let others: Vec<_> = run
        .findings()
        .iter()
        .filter(|f| f["file"] != "canary/main.tf")
        .collect();
    assert!(
        others.is_empty(),
        "empty Terraform/YAML is valid: {others:?}"
    );
}

#[test]
fn empty_dockerfile_is_a_parse_error() {
    let run = case("empty Dockerfile", &[("Dockerfile", b"")]);
    assert!(run.with_rule("IL0001").any(|f| f["file"] == "Dockerfile"));
}

#[test]
fn binary_file_is_reported_not_parsed() {
    let run = case(
        "binary",
        &[("main.tf", b"\x7fELF\x02\x01\x01\0\0\0\0garbage")],
    );
    let d: Vec<_> = run.with_rule("IL0002").collect();
    assert_eq!(d.len(), 1, "{}", run.json);
    assert_eq!(d[0]["file"], "main.tf");
    assert!(d[0]["message"].as_str().unwrap().contains("NUL"));
}

#[test]
fn invalid_utf8_is_reported_at_its_position() {
    let run = case(
        "invalid utf-8",
        &[("main.tf", b"locals {\n  a = \"\xff\xfe\"\n}\n")],
    );
    let d: Vec<_> = run.with_rule("IL0002").collect();
    assert_eq!(d.len(), 1, "{}", run.json);
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some(2), Some(8))
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let run = case(
        "bom + crlf",
        &[
            ("main.tf", b"\xEF\xBB\xBFlocals {\r\n  a = 1\r\n}\r\n"),
            ("Dockerfile", b"\xEF\xBB\xBFFROM alpine:3.20\r\nRUN echo hi \\\r\n  && echo there\r\n"),
            (
                ".github/workflows/ci.yml",
                b"\xEF\xBB\xBFon: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: echo hi\r\n",
            ),
        ],
    );
    let core: Vec<_> = run
        .findings()
        .iter()
        .filter(|f| f["pack"] == "core" && f["file"] != "canary/main.tf")
        .collect();
    assert!(core.is_empty(), "{core:?}");
}

#[test]
fn crlf_parse_error_has_the_right_position() {
    let run = case(
        "crlf error",
        &[("x/main.tf", b"locals {\r\n  a = 1\r\n  b = \r\n}\r\n")],
    );
    let d: Vec<_> = run
        .with_rule("IL0001")
        .filter(|f| f["file"] == "x/main.tf")
        .collect();
    assert_eq!(d.len(), 1, "{}", run.json);
    assert_eq!(d[0]["line"], 3);
}

#[test]
fn ten_megabyte_single_line_is_refused_by_size() {
    let mut big = b"locals { a = \"".to_vec();
    big.resize(10 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\" }\n");
    let run = case("10 MB line", &[("big.tf", &big)]);
    let d: Vec<_> = run.with_rule("IL0002").collect();
    assert_eq!(d.len(), 1, "{}", run.json);
    assert!(d[0]["message"].as_str().unwrap().contains("limit"));
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let depth = 10_000;
    let hcl = format!(
        "locals {{\n  a = {}1{}\n}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let yaml = format!("on: push\nx: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    let run = case(
        "10,000-deep nesting",
        &[
            ("deep/main.tf", hcl.as_bytes()),
            (".github/workflows/deep.yml", yaml.as_bytes()),
        ],
    );
    let files: Vec<_> = run.with_rule("IL0006").map(|f| f["file"].clone()).collect();
    assert!(files.contains(&"deep/main.tf".into()), "{}", run.json);
    assert!(
        files.contains(&".github/workflows/deep.yml".into()),
        "{}",
        run.json
    );
}

#[test]
fn deep_block_indentation_in_yaml_is_bounded() {
    let mut yaml = String::from("on: push\n");
    for i in 0..2_000 {
        yaml.push_str(&" ".repeat(i));
        yaml.push_str("k:\n");
    }
    let run = case(
        "2,000-deep YAML indentation",
        &[(".github/workflows/deep.yml", yaml.as_bytes())],
    );
    assert!(run.stderr.is_empty() || !run.stderr.contains("overflow"));
}

#[test]
fn yaml_billion_laughs_is_bounded() {
    let mut yaml = String::from(
        "on: push\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    yaml.push_str("jobs: *a9\n");
    let run = case(
        "billion laughs",
        &[(".github/workflows/lol.yml", yaml.as_bytes())],
    );
    assert!(
        run.findings()
            .iter()
            .any(|f| f["file"] == ".github/workflows/lol.yml" && f["pack"] == "core"),
        "expansion limit must be reported: {}",
        run.json
    );
}

#[test]
fn module_calling_itself_is_a_cycle() {
    let run = case(
        "self-calling module",
        &[("self/main.tf", b"module \"me\" {\n  source = \"./\"\n}\n")],
    );
    assert!(run.with_rule("IL0005").count() >= 1, "{}", run.json);
}

#[test]
fn modules_calling_each_other_are_a_cycle() {
    let run = case(
        "module cycle",
        &[
            ("a/main.tf", b"module \"b\" {\n  source = \"../b\"\n}\n"),
            ("b/main.tf", b"module \"a\" {\n  source = \"../a\"\n}\n"),
        ],
    );
    assert!(run.with_rule("IL0005").count() >= 1, "{}", run.json);
}

#[test]
fn huge_count_hits_the_expansion_limit() {
    let run = case(
        "count = 1e9",
        &[(
            "big/main.tf",
            b"resource \"aws_eip\" \"x\" {\n  count = 1000000000\n}\n",
        )],
    );
    assert!(run.with_rule("IL0006").count() >= 1, "{}", run.json);
}

#[test]
fn huge_for_each_range_is_bounded() {
    let run = case(
        "for_each over range(1e6)",
        &[(
            "big/main.tf",
            b"resource \"aws_eip\" \"x\" {\n  for_each = toset([for i in range(1000000) : tostring(i)])\n}\n",
        )],
    );
    assert!(
        run.findings().iter().any(|f| f["file"] == "big/main.tf"),
        "{}",
        run.json
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    std::os::unix::fs::symlink("main.tf", dir.path().join("a/self.tf")).unwrap();
    std::fs::write(dir.path().join("a/main.tf"), "locals {\n  a = 1\n}\n").unwrap();
    let run = run_check(dir.path(), "symlink loop");
    run.assert_canary_checked();
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.tf");
    std::fs::write(&path, "locals {}\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        println!("unreadable file: skipped (running with permission to read anything, e.g. root)");
        return;
    }
    let run = run_check(dir.path(), "unreadable");
    run.assert_canary_checked();
    assert!(run.with_rule("IL0002").any(|f| f["file"] == "secret.tf"));
}

#[test]
fn spaces_and_non_ascii_in_paths() {
    let run = case(
        "odd paths",
        &[("my stack/ñandú.tf", b"locals {\n  a = \n}\n")],
    );
    let d: Vec<_> = run
        .with_rule("IL0001")
        .filter(|f| f["file"] == "my stack/ñandú.tf")
        .collect();
    assert_eq!(d.len(), 1, "{}", run.json);
    assert_eq!(d[0]["line"], 2);
}
