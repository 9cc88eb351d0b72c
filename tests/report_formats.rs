//! Golden tests: every output format on the same fixture.

#[path = "fixtures/report/harness.rs"]
mod harness;

use infralint::diagnostic::Severity;
use infralint::report::markdown::{self, MarkdownOptions};
use infralint::report::{self, CostSummary, Report, ReportOptions};
use infralint::rules::Registry;

fn build(reg: &Registry) -> Report<'_> {
    Report::build(harness::fixture(reg), reg, &ReportOptions::default())
}

#[test]
fn text() {
    let reg = harness::registry();
    let rep = build(&reg);
    let out = report::text::render(
        &rep,
        report::text::TextOptions {
            color: false,
            quiet: false,
        },
    );
    insta::assert_snapshot!(out);
}

#[test]
fn text_quiet_has_no_summary() {
    let reg = harness::registry();
    let rep = build(&reg);
    let out = report::text::render(
        &rep,
        report::text::TextOptions {
            color: false,
            quiet: true,
        },
    );
    assert!(!out.contains("Found "));
    assert!(out.contains("DF003[root-user]"));
}

#[test]
fn text_color_only_when_asked() {
    let reg = harness::registry();
    let rep = build(&reg);
    let plain = report::text::render(
        &rep,
        report::text::TextOptions {
            color: false,
            quiet: false,
        },
    );
    assert!(!plain.contains('\x1b'));
    let colored = report::text::render(
        &rep,
        report::text::TextOptions {
            color: true,
            quiet: false,
        },
    );
    assert!(colored.contains('\x1b'));
}

#[test]
fn json() {
    let reg = harness::registry();
    let rep = build(&reg);
    insta::assert_snapshot!(report::json::render(&rep.result));
}

#[test]
fn sarif() {
    let reg = harness::registry();
    let rep = build(&reg);
    insta::assert_snapshot!(report::sarif::render(&rep));
}

#[test]
fn sarif_keeps_suppressed_findings_with_justification() {
    let reg = harness::registry();
    let rep = build(&reg);
    let doc: serde_json::Value = serde_json::from_str(&report::sarif::render(&rep)).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        rep.result.findings.len() + rep.suppressed.len()
    );
    let bastion = results
        .iter()
        .find(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                == "aws_security_group.bastion"
        })
        .unwrap();
    assert_eq!(bastion["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        bastion["suppressions"][0]["justification"],
        "bastion, reviewed by sec-team"
    );
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["infralint/v1"].is_string());
    }
    let sg001 = rules.iter().find(|r| r["id"] == "SG001").unwrap();
    assert_eq!(sg001["properties"]["security-severity"], "9.5");
    assert_eq!(
        sg001["helpUri"],
        "https://github.com/infralint/infralint/blob/main/docs/rules/SG001.md"
    );
}

#[test]
fn markdown() {
    let reg = harness::registry();
    let rep = build(&reg);
    insta::assert_snapshot!(markdown::render(&rep, MarkdownOptions::default()));
}

#[test]
fn markdown_with_cost_section() {
    let reg = harness::registry();
    let mut rep = build(&reg);
    rep.cost = Some(CostSummary {
        headline: "Monthly cost +$312 (+8.4%) → $4,021".into(),
        markdown: "| Resource | Δ |\n|---|---|\n| `aws_instance.app` | +$312 |".into(),
    });
    let out = markdown::render(&rep, MarkdownOptions::default());
    let cost = out.find("### 💰 Cost").unwrap();
    assert!(cost < out.find("| Severity |").unwrap());
    assert!(out.contains("| `aws_instance.app` | +$312 |"));
}

#[test]
fn markdown_passes_below_fail_on() {
    let reg = harness::registry();
    let mut rep = build(&reg);
    let opts = MarkdownOptions {
        fail_on: Severity::Critical,
        ..Default::default()
    };
    assert!(markdown::render(&rep, opts).starts_with("<!-- infralint -->\n## ❌"));
    rep.result
        .findings
        .retain(|f| f.severity < Severity::Critical);
    let out = markdown::render(&rep, opts);
    assert!(
        out.starts_with("<!-- infralint -->\n## ✅ infralint: 5 findings"),
        "{out}"
    );
}

#[test]
fn markdown_truncates_5000_findings_under_the_limit() {
    let reg = harness::registry();
    let mut result = harness::fixture(&reg);
    let template = result.findings[0].clone();
    result.findings = (0..5000)
        .map(|i| {
            let mut f = template.clone();
            f.address = Some(format!("aws_security_group.sg_{i:04}"));
            f.message = format!("Synthetic finding number {i} with a message of moderate length");
            f
        })
        .collect();
    let rep = Report::build(result, &reg, &ReportOptions::default());
    // The fixture's `infralint:ignore[TAG001]` without a reason adds IL0100.
    assert_eq!(rep.result.findings.len(), 5001);
    let out = markdown::render(&rep, MarkdownOptions::default());
    assert!(
        out.chars().count() < markdown::MAX_COMMENT_CHARS,
        "{}",
        out.chars().count()
    );
    assert!(out.contains("findings are not shown"));
    assert!(out.contains("of 5001 findings"));
    assert!(out.starts_with(markdown::MARKER));
}

#[test]
fn github() {
    let reg = harness::registry();
    let rep = build(&reg);
    insta::assert_snapshot!(report::github::render(&rep));
}

/// Runs Microsoft's SARIF Multitool on the fixture's SARIF when `SARIF_MULTITOOL` points at an
/// installed `Sarif.Multitool` (CI sets it; `scripts/validate-sarif.sh` installs one).
#[test]
fn sarif_passes_the_multitool_when_available() {
    let Some(tool) = std::env::var_os("SARIF_MULTITOOL") else {
        eprintln!("SARIF_MULTITOOL not set; skipped");
        return;
    };
    let reg = harness::registry();
    let rep = build(&reg);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fixture.sarif");
    let output = dir.path().join("validation.sarif");
    std::fs::write(&input, report::sarif::render(&rep)).unwrap();
    let status = std::process::Command::new(tool)
        .args([
            "validate",
            "--rule-kind",
            "Gh;Sarif",
            "--level",
            "Error;Warning",
            "--output",
        ])
        .arg(&output)
        .arg(&input)
        .status()
        .unwrap();
    assert!(status.success());
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let problems = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(problems.is_empty(), "{problems:#?}");
}
