//! This repository's own integration files: the GitHub Action (`action.yml`) and CI workflows
//! pass infralint's own rules, and the pre-commit hook sends exactly the files `check` reads.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn action_and_workflows_have_no_findings() {
    let workflows = root().join(".github/workflows");
    let count = std::fs::read_dir(&workflows).unwrap().count();
    assert!(count > 0, "no workflow in {}", workflows.display());
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(root())
        .args(["check", "action.yml", ".github", "--format", "json"])
        .args(["--fail-on", "info", "--show-unknown"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]), "{doc:#}");
    assert_eq!(out.status.code(), Some(0));
}

/// The hook's settings, read from the YAML text (one `key: value` per line).
fn hook_setting(key: &str) -> String {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let prefix = if key == "id" { "- id: " } else { "" };
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| {
            if prefix.is_empty() {
                l.starts_with(&format!("{key}: "))
            } else {
                l.starts_with(prefix)
            }
        })
        .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"));
    let value = line.split_once(": ").unwrap().1;
    value.trim_matches('\'').to_string()
}

#[test]
fn pre_commit_hook_runs_check_on_file_names_serially() {
    assert_eq!(hook_setting("id"), "infralint");
    assert_eq!(hook_setting("language"), "rust");
    assert_eq!(hook_setting("entry"), "infralint check");
    assert_eq!(hook_setting("pass_filenames"), "true");
    assert_eq!(hook_setting("require_serial"), "true");
}

/// The hook's `files` pattern, minus its `exclude` pattern, selects exactly the names discovery
/// reads. The pattern is a
/// regular expression (Python `re` in pre-commit) and uses only syntax RE2 shares, so it is
/// evaluated with Terraform's `regexall` through infralint's own evaluator.
#[test]
fn pre_commit_file_pattern_agrees_with_discovery() {
    let pattern = hook_setting("files");
    let exclude = hook_setting("exclude");
    let names = [
        "main.tf",
        "infra/network/vpc.tf",
        "stack.tf.json",
        "prod.tfvars",
        "env/dev.auto.tfvars.json",
        "Dockerfile",
        "services/api/Dockerfile",
        "Dockerfile.prod",
        "worker.dockerfile",
        "Containerfile",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yaml",
        "action.yml",
        "actions/setup/action.yaml",
        "README.md",
        "config.yml",
        "docker-compose.yml",
        "terraform.tfstate",
        ".terraform.lock.hcl",
        "Dockerfiles/README.md",
        "notes.tf.bak",
        "ci/workflows/build.yml",
        "Dockerfile.dockerignore",
        "docker/api.Dockerfile.dockerignore",
        ".dockerignore",
    ];
    let hcl_string = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let list = names.iter().map(|n| hcl_string(n)).collect::<Vec<_>>();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        format!(
            "resource \"terraform_data\" \"m\" {{\n  input = [for n in [{}] : n if length(regexall({}, n)) > 0 && length(regexall({}, n)) == 0]\n}}\n",
            list.join(", "),
            hcl_string(&pattern),
            hcl_string(&exclude)
        ),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(dir.path())
        .args(["inspect", "."])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc:#}");
    let matched: Vec<&str> = doc["objects"][0]["attributes"]["input"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc:#}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let read: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| infralint::discover::classify(Path::new(n)).is_some())
        .collect();
    assert_eq!(matched, read);
    assert_eq!(read.len(), 14, "{read:?}");
}
