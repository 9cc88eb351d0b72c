//! Baselines: findings recorded once stay hidden when code moves, new ones still show.

#[path = "fixtures/report/harness.rs"]
mod harness;

use infralint::baseline::{Baseline, BaselineError};
use infralint::report::{Report, ReportOptions};
use infralint::rules::Registry;

fn build<'r>(tf: &str, df: &str, reg: &'r Registry, baseline: Option<&Baseline>) -> Report<'r> {
    Report::build(
        harness::result_for(tf, df, reg),
        reg,
        &ReportOptions {
            baseline,
            ..Default::default()
        },
    )
}

#[test]
fn inserted_lines_do_not_resurface_baselined_findings() {
    let reg = harness::registry();
    let before = build(harness::MAIN_TF, harness::DOCKERFILE, &reg, None);
    assert_eq!(before.result.findings.len(), 6);
    let baseline = before.baseline();
    assert_eq!(baseline.findings.len(), 6);

    // Lines inserted above every finding, and indentation changed.
    let tf = format!(
        "terraform {{\n  required_version = \">= 1.5\"\n}}\n\n{}",
        harness::MAIN_TF.replace("  egress {", "\n\n    egress {")
    );
    let df = format!("# syntax=docker/dockerfile:1\n\n{}", harness::DOCKERFILE);
    let after = build(&tf, &df, &reg, Some(&baseline));
    assert!(
        after.result.findings.is_empty(),
        "{:?}",
        after.result.findings
    );
    assert_eq!(after.baselined(), 6);
    assert!(!after.result.fails(infralint::diagnostic::Severity::Info));
}

#[test]
fn new_findings_still_show() {
    let reg = harness::registry();
    // The baseline is taken before the egress rule is added.
    let mut result = harness::fixture(&reg);
    result.findings.retain(|f| f.rule_id != "SG002");
    let old = Report::build(result, &reg, &ReportOptions::default());
    let baseline = old.baseline();
    let now = build(harness::MAIN_TF, harness::DOCKERFILE, &reg, Some(&baseline));
    let ids: Vec<_> = now
        .result
        .findings
        .iter()
        .map(|f| f.rule_id.as_str())
        .collect();
    assert_eq!(ids, ["SG002"]);
}

#[test]
fn a_second_identical_finding_is_new() {
    let reg = harness::registry();
    let base = build(harness::MAIN_TF, harness::DOCKERFILE, &reg, None).baseline();
    // A second `RUN apt-get install -y wget` adds a second DF001 with the same snippet.
    let df = harness::DOCKERFILE.replace("USER root", "RUN apt-get install -y wget\nUSER root");
    let mut result = harness::result_for(harness::MAIN_TF, &df, &reg);
    let extra = result
        .findings
        .iter()
        .find(|f| f.rule_id == "DF001" && f.span.start > 60)
        .unwrap()
        .clone();
    let mut second = extra.clone();
    let start = df.rfind("apt-get install -y wget").unwrap();
    second.span = infralint::source::Span::new(extra.span.file, start, start + 23);
    result.findings.push(second);
    infralint::finding::sort_findings(&mut result.findings, &result.model.sources);
    let rep = Report::build(
        result,
        &reg,
        &ReportOptions {
            baseline: Some(&base),
            ..Default::default()
        },
    );
    assert_eq!(rep.result.findings.len(), 1);
    assert_eq!(rep.result.findings[0].rule_id, "DF001");
}

#[test]
fn file_round_trips_and_checks_version() {
    let reg = harness::registry();
    let base = build(harness::MAIN_TF, harness::DOCKERFILE, &reg, None).baseline();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    base.write(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\"line\""), "no line numbers in baselines");
    assert_eq!(Baseline::read(&path).unwrap(), base);
    let future = text.replacen("\"version\": 1", "\"version\": 9", 1);
    assert!(matches!(
        Baseline::parse(&future, "b.json"),
        Err(BaselineError::Version { found: 9, .. })
    ));
    assert!(matches!(
        Baseline::parse("{", "b.json"),
        Err(BaselineError::Parse { .. })
    ));
}

#[test]
fn cli_writes_and_reads_baselines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_s3_bucket\" \"a\" {}\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["check", "--write-baseline", "baseline.json", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = Baseline::read(&dir.path().join("baseline.json")).unwrap();
    let out = run(&[
        "check",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
        ".",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    assert_eq!(written.version, 1);
    let missing = run(&["check", "--baseline", "nope.json", "."]);
    assert_eq!(missing.status.code(), Some(2));
}
