//! `infralint cost --compare-to`: a directory baseline (`tests/fixtures/cost/diff/{base,head}`)
//! and a git revision of a temporary repository.
//!
//! The fixture pair, us-east-1: `aws_instance.app` t3.medium → t3.large (+730 h × ($0.0832 −
//! $0.0416) = +$30.37), `aws_db_instance.db` Multi-AZ on (db.t3.micro 730 h × $0.018 + 20 GB
//! gp3 × $0.115 = $15.44, doubled), `aws_instance.legacy` removed (t3.small $15.18 + 8 GB
//! gp3 $0.64), `aws_eip.bastion` added ($3.65); the NAT gateway is unchanged and not listed.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;

mod common;
use common::cost_snapshot as snapshot;

fn diff_in_head(format: &str) -> String {
    common::infralint_ok(
        "tests/fixtures/cost/diff/head",
        &["cost", ".", "--compare-to", "../base", "--format", format],
    )
}

#[test]
fn diff_table_snapshot() {
    snapshot("diff_table", diff_in_head("table"));
}

#[test]
fn diff_json_snapshot() {
    snapshot("diff_json", diff_in_head("json"));
}

#[test]
fn diff_markdown_snapshot() {
    snapshot("diff_markdown", diff_in_head("markdown"));
}

#[test]
fn diff_json_per_resource_and_total() {
    let d: serde_json::Value = serde_json::from_str(&diff_in_head("json")).unwrap();
    let changes: Vec<(String, String, i64)> = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_string(),
                r["change"].as_str().unwrap().to_string(),
                (r["monthly_delta"].as_f64().unwrap() * 1000.0).round() as i64,
            )
        })
        .collect();
    let expect = |a: &str, c: &str, d: i64| (a.to_string(), c.to_string(), d);
    assert_eq!(
        changes,
        vec![
            expect("aws_db_instance.db", "changed", 15_440),
            expect("aws_eip.bastion", "added", 3_650),
            expect("aws_instance.app", "changed", 30_368),
            expect("aws_instance.legacy", "removed", -15_824),
        ]
    );
    let delta = d["total_monthly_delta"].as_f64().unwrap();
    assert!((delta - 33.634).abs() < 1e-9, "{delta}");
    assert!((d["total_monthly_cost_before"].as_f64().unwrap() - 96.082).abs() < 1e-9);
}

fn git(dir: &Path, args: &[&str]) {
    let out = Std::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn compare_to_a_git_revision() {
    if Std::new("git").arg("--version").output().is_err() {
        eprintln!("note: git not installed, skipping");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cost/diff");
    std::fs::create_dir(repo.join("infra")).unwrap();
    std::fs::copy(fixtures.join("base/main.tf"), repo.join("infra/main.tf")).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["tag", "base"]);
    std::fs::copy(fixtures.join("head/main.tf"), repo.join("infra/main.tf")).unwrap();
    // Uncommitted working tree vs the tagged revision, and vs HEAD (the same commit).
    for rev in ["base", "HEAD"] {
        let out = common::infralint_ok(
            repo,
            &["cost", "infra", "--compare-to", rev, "--format", "json"],
        );
        let d: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(d["compare_to"], rev);
        let delta = d["total_monthly_delta"].as_f64().unwrap();
        assert!((delta - 33.634).abs() < 1e-9, "{rev}: {delta}");
        assert_eq!(d["resources"].as_array().unwrap().len(), 4);
    }
    // The working tree is left as it was.
    let now = std::fs::read_to_string(repo.join("infra/main.tf")).unwrap();
    assert!(now.contains("t3.large"));
    // An unknown revision is a usage error, not an empty baseline.
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(repo)
        .args(["cost", "infra", "--compare-to", "no-such-ref"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check_in_head(args: &[&str]) -> String {
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .current_dir("tests/fixtures/cost/diff/head")
        .args(["check", "."])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn check_cost_json_is_the_cost_report() {
    let check: serde_json::Value =
        serde_json::from_str(&check_in_head(&["--cost", "--format", "json"])).unwrap();
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .current_dir("tests/fixtures/cost/diff/head")
        .args(["cost", ".", "--format", "json"])
        .output()
        .unwrap();
    let cost: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check["cost"], cost);
    // Without --cost there is no cost member.
    let plain: serde_json::Value =
        serde_json::from_str(&check_in_head(&["--format", "json"])).unwrap();
    assert!(plain.get("cost").is_none());
    // With --compare-to, the change rides along.
    let with_change: serde_json::Value = serde_json::from_str(&check_in_head(&[
        "--cost",
        "--compare-to",
        "../base",
        "--format",
        "json",
    ]))
    .unwrap();
    let delta = with_change["cost"]["change"]["total_monthly_delta"]
        .as_f64()
        .unwrap();
    assert!((delta - 33.634).abs() < 1e-9);
}

#[test]
fn check_cost_markdown_snapshots() {
    snapshot(
        "check_cost_markdown",
        // Only the cost pack: the snapshot is about the cost section, not other packs' findings.
        check_in_head(&["--cost", "--select", "cost", "--format", "markdown"]),
    );
    snapshot(
        "check_cost_change_markdown",
        check_in_head(&[
            "--cost",
            "--select",
            "cost",
            "--compare-to",
            "../base",
            "--format",
            "markdown",
        ]),
    );
}
