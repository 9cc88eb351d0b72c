//! The bundled example stack (`examples/`, the README's first command): exactly the findings
//! `examples/README.md` lists — its six deliberate defects and the secondary findings — and the
//! exit code 1 a CI job would see.

use std::path::Path;

#[test]
fn examples_report_what_their_readme_lists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(root)
        .args(["check", "examples", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["file"].as_str().unwrap().trim_start_matches("examples/"),
                f["line"],
                f["rule_id"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    let wf = ".github/workflows/deploy.yml";
    let mut want: Vec<String> = [
        // The six deliberate defects.
        "terraform/bastion.tf:22 SG001 high".to_string(),
        "terraform/ecs.tf:17 LOG028 low".into(),
        "app/Dockerfile:12 DF001 high".into(),
        "app/Dockerfile:17 DF008 low".into(),
        "app/Dockerfile:17 DF009 low".into(),
        "app/Dockerfile:17 IMG004 low".into(),
        format!("{wf}:44 GHA008 medium"),
        format!("{wf}:63 GHA001 high"),
        // Secondary findings.
        "terraform/ecs.tf:17 ENC026 low".into(),
        "terraform/bastion.tf:40 SG010 medium".into(),
        "terraform/alb.tf:27 LOG002 low".into(),
        "terraform/alb.tf:28 SG013 info".into(),
        "terraform/storage.tf:1 LOG007 low".into(),
        format!("{wf}:42 GHA001 high"),
        format!("{wf}:50 GHA001 high"),
        format!("{wf}:53 GHA001 high"),
        format!("{wf}:56 GHA001 high"),
        format!("{wf}:25 GHA002 low"),
        format!("{wf}:26 GHA002 low"),
        format!("{wf}:39 GHA002 low"),
        format!("{wf}:22 GHA014 info"),
        format!("{wf}:34 GHA014 info"),
    ]
    .into_iter()
    .collect();
    want.sort();
    assert_eq!(got, want);
}

/// `--show-unknown` on the example says that nothing was left undecided, rather than listing
/// an empty section.
#[test]
fn examples_have_no_undecided_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(root)
        .args(["check", "examples", "--show-unknown", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Undecided: none, every selected rule was decided."),
        "{text}"
    );
}
