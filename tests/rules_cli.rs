//! The `rules` and `explain` commands and the rule options of `check`.

use assert_cmd::Command;

fn infralint() -> Command {
    let mut c = Command::cargo_bin("infralint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const CUSTOM: &str = "tests/fixtures/custom-rules";

#[test]
fn rules_lists_json_and_filters_by_pack() {
    let out = infralint()
        .args([
            "rules", "--format", "json", "--pack", "acme", "--rules", CUSTOM,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ACME001", "ACME002", "ACME003", "ACME004"]);
    assert_eq!(v[1]["slug"], "acme-ssh-open-to-world");
    assert_eq!(v[1]["implementation"], "condition");
    assert_eq!(v[1]["default_enabled"], true);

    let out = infralint().args(["rules"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("IL0001    parse-error")),
        "{text}"
    );

    let out = infralint()
        .args(["rules", "--pack", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_by_id_slug_and_unknown() {
    for key in ["IL0003", "remote-module"] {
        let out = infralint().args(["explain", key]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with("IL0003: Remote module is not evaluated\n"),
            "{text}"
        );
    }
    let out = infralint()
        .args(["explain", "acme-ssh-open-to-world", "--rules", CUSTOM])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = infralint().args(["explain", "NOPE001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule is called `NOPE001`"));
}

#[test]
fn check_selection_and_show_unknown() {
    let bad = "tests/fixtures/rules/IL0001/bad";
    let out = infralint()
        .args(["check", bad, "--format", "json", "--show-unknown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule_id"], "IL0001");
    assert!(v["unknown"].is_array());

    let out = infralint()
        .args(["check", bad, "--format", "json", "--ignore", "parse-error"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert!(v.get("unknown").is_none());

    let out = infralint()
        .args(["check", bad, "--select", "NOPE001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = infralint()
        .args(["check", bad, "--rules", CUSTOM, "--select", "acme,ACME001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "core rules stay on");
}

#[test]
fn bad_user_rule_file_is_exit_2_with_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("X001.toml"),
        "id = \"X001\"\nslug = \"x\"\npack = \"x\"\nseverity = \"loud\"\n",
    )
    .unwrap();
    let out = infralint()
        .args(["check", "tests/fixtures/rules/IL0001/good", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("X001.toml:4:12:"), "{err}");
}
