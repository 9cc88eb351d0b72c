//! Files named on the command line (as pre-commit passes them): a Terraform file is checked with
//! its whole module directory and findings anywhere in that directory are reported; a Dockerfile
//! or workflow reports only its own findings; a named directory reports everything under it.

use std::collections::BTreeSet;
use std::path::Path;

/// A tree whose findings are known per file. `module` blocks whose local source is missing give
/// IL0004 at the `module` block, so they show which Terraform files were loaded.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "infra/main.tf",
            "module \"net\" {\n  source = \"./missing\"\n}\n",
        ),
        (
            "infra/variables.tf",
            "variable \"name\" {\n  type = string\n}\n",
        ),
        (
            "infra/extra.tf",
            "module \"dns\" {\n  source = \"./gone\"\n}\n",
        ),
        (
            "infra/sub/main.tf",
            "module \"deep\" {\n  source = \"./nowhere\"\n}\n",
        ),
        (
            "other/main.tf",
            "module \"z\" {\n  source = \"./absent\"\n}\n",
        ),
        ("Dockerfile", "FROM ubuntu\n"),
        ("app/Dockerfile", "FROM alpine:latest\n"),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
        ),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// (exit code, the set of "file rule_id" of the JSON findings)
fn check(dir: &Path, args: &[&str]) -> (i32, BTreeSet<String>) {
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let found = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["file"].as_str().unwrap(),
                f["rule_id"].as_str().unwrap()
            )
        })
        .collect();
    (out.status.code().unwrap(), found)
}

fn files(found: &BTreeSet<String>) -> BTreeSet<&str> {
    found.iter().map(|f| f.split(' ').next().unwrap()).collect()
}

#[test]
fn a_terraform_file_brings_its_module_directory() {
    let dir = tree();
    // Only variables.tf is named: its siblings are loaded and their findings reported.
    let (code, found) = check(dir.path(), &["infra/variables.tf"]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        BTreeSet::from([
            "infra/extra.tf IL0004".into(),
            "infra/main.tf IL0004".into()
        ]),
    );
}

#[test]
fn named_dockerfiles_and_workflows_report_only_themselves() {
    let dir = tree();
    let (_, found) = check(dir.path(), &["Dockerfile", ".github/workflows/ci.yml"]);
    assert_eq!(
        files(&found),
        BTreeSet::from(["Dockerfile", ".github/workflows/ci.yml"])
    );
    assert!(found.contains("Dockerfile DF001"), "{found:?}");
    assert!(
        found.contains(".github/workflows/ci.yml GHA006"),
        "{found:?}"
    );
}

#[test]
fn files_from_several_kinds_and_directories_combine() {
    let dir = tree();
    let (_, found) = check(dir.path(), &["infra/main.tf", "app/Dockerfile", "other"]);
    assert_eq!(
        files(&found),
        BTreeSet::from([
            "infra/main.tf",
            "infra/extra.tf",
            "app/Dockerfile",
            "other/main.tf"
        ])
    );
}

#[test]
fn a_clean_file_in_a_clean_module_passes() {
    let dir = tree();
    std::fs::write(
        dir.path().join("other/main.tf"),
        "variable \"a\" {\n  default = 1\n}\n",
    )
    .unwrap();
    let (code, found) = check(dir.path(), &["other/main.tf"]);
    assert_eq!((code, found), (0, BTreeSet::new()));
}

#[test]
fn excluded_siblings_stay_out() {
    let dir = tree();
    let (_, found) = check(
        dir.path(),
        &["--exclude", "infra/extra.tf", "infra/variables.tf"],
    );
    assert_eq!(found, BTreeSet::from(["infra/main.tf IL0004".into()]));
}

#[test]
fn a_directory_reports_everything_under_it() {
    let dir = tree();
    let (_, found) = check(dir.path(), &["."]);
    let all = files(&found);
    for file in [
        "infra/main.tf",
        "infra/extra.tf",
        "infra/sub/main.tf",
        "other/main.tf",
        "Dockerfile",
        "app/Dockerfile",
        ".github/workflows/ci.yml",
    ] {
        assert!(all.contains(file), "{file} missing from {all:?}");
    }
}

#[test]
fn called_modules_elsewhere_are_loaded_but_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("stack")).unwrap();
    std::fs::create_dir_all(root.join("mods/n")).unwrap();
    std::fs::write(
        root.join("stack/main.tf"),
        "module \"n\" {\n  source = \"../mods/n\"\n}\n",
    )
    .unwrap();
    // A suppression comment without a reason gives IL0100 in the module's file.
    std::fs::write(
        root.join("mods/n/main.tf"),
        "# infralint:ignore[DF001]\nresource \"null_resource\" \"b\" {}\n",
    )
    .unwrap();
    let (code, found) = check(root, &["stack/main.tf"]);
    assert_eq!((code, found), (0, BTreeSet::new()));
    // Only the core rules: the bucket also draws logging-pack findings, which are not what
    // this test is about.
    let (_, found) = check(
        root,
        &["--select", "IL0100", "stack/main.tf", "mods/n/main.tf"],
    );
    assert_eq!(found, BTreeSet::from(["mods/n/main.tf IL0100".into()]));
    let (_, found) = check(root, &["--select", "IL0100", "stack"]);
    assert_eq!(found, BTreeSet::from(["mods/n/main.tf IL0100".into()]));
}
