//! Suppression comments: every syntax, every scope, aliases, reasons and unused ignores.

#[path = "fixtures/report/harness.rs"]
mod harness;

use infralint::report::{Report, ReportOptions};
use infralint::rules::Registry;
use infralint::suppress::SuppressionKind;

/// (rule, line, suppressed-by) for every finding of a report built from `tf`/`df`.
fn outcome(tf: &str, df: &str, reg: &Registry, unused: bool) -> Vec<(String, u32, Option<String>)> {
    let result = harness::result_for(tf, df, reg);
    let rep = Report::build(
        result,
        reg,
        &ReportOptions {
            report_unused_ignores: unused,
            ..Default::default()
        },
    );
    let sources = &rep.result.model.sources;
    let mut out: Vec<_> = rep
        .result
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), sources.locate(f.span).line, None))
        .chain(rep.suppressed.iter().map(|s| {
            (
                s.finding.rule_id.clone(),
                sources.locate(s.finding.span).line,
                Some(s.suppression.source.clone()),
            )
        }))
        .collect();
    out.sort();
    out
}

fn status(out: &[(String, u32, Option<String>)], rule: &str, line: u32) -> Option<String> {
    out.iter()
        .find(|(r, l, _)| r == rule && *l == line)
        .unwrap_or_else(|| panic!("no {rule} on line {line}: {out:?}"))
        .2
        .clone()
}

#[test]
fn fixture_comments_each_suppress_their_scope() {
    let reg = harness::registry();
    let out = outcome(harness::MAIN_TF, harness::DOCKERFILE, &reg, false);
    // End of line, by ID: only the named rule on that line.
    assert_eq!(status(&out, "SG002", 5).as_deref(), Some("infralint"));
    assert_eq!(status(&out, "SG001", 5), None);
    assert_eq!(status(&out, "SG002", 8), None);
    // Above a block, by slug: the whole block.
    assert_eq!(status(&out, "SG001", 15).as_deref(), Some("infralint"));
    // Checkov inside the block, by alias.
    assert_eq!(status(&out, "S3001", 19).as_deref(), Some("checkov"));
    // tfsec above the block, by alias.
    assert_eq!(status(&out, "S3002", 25).as_deref(), Some("tfsec"));
    // Trivy at the end of the line, by alias.
    assert_eq!(status(&out, "S3003", 26).as_deref(), Some("trivy"));
    // No reason: still suppresses, and reports IL0100.
    assert_eq!(status(&out, "TAG001", 30).as_deref(), Some("infralint"));
    assert_eq!(status(&out, "IL0100", 29), None);
    // hadolint: the next instruction, continuation lines included, not the one after.
    assert_eq!(status(&out, "DF001", 4).as_deref(), Some("hadolint"));
    assert_eq!(status(&out, "DF001", 5), None);
    assert_eq!(status(&out, "DF002", 1), None);
}

#[test]
fn line_above_covers_only_the_next_line() {
    let reg = harness::registry();
    let tf = harness::MAIN_TF.replace(
        "  egress {\n    cidr_blocks",
        "  egress {\n    # infralint:ignore[SG002] egress is filtered by the proxy\n    cidr_blocks",
    );
    let out = outcome(&tf, harness::DOCKERFILE, &reg, false);
    assert_eq!(status(&out, "SG002", 9).as_deref(), Some("infralint"));
    assert_eq!(status(&out, "SG001", 5), None);
}

#[test]
fn multiple_ids_and_hcl_slash_comments() {
    let reg = harness::registry();
    let tf = harness::MAIN_TF.replace(
        "resource \"aws_security_group\" \"web\" {",
        "// infralint:ignore[SG001, open-egress] legacy network, tracked in INFRA-12\nresource \"aws_security_group\" \"web\" {",
    );
    let out = outcome(&tf, harness::DOCKERFILE, &reg, false);
    assert_eq!(status(&out, "SG001", 6).as_deref(), Some("infralint"));
    assert_eq!(status(&out, "SG002", 9).as_deref(), Some("infralint"));
}

#[test]
fn stacked_comments_above_a_block_all_apply() {
    let reg = harness::registry();
    let tf = harness::MAIN_TF.replace(
        "resource \"aws_security_group\" \"web\" {",
        "#checkov:skip=CKV_AWS_24:office VPN only\n#trivy:ignore:AVD-AWS-0104\nresource \"aws_security_group\" \"web\" {",
    );
    let out = outcome(&tf, harness::DOCKERFILE, &reg, false);
    assert_eq!(status(&out, "SG001", 7).as_deref(), Some("checkov"));
    assert_eq!(status(&out, "SG002", 10).as_deref(), Some("trivy"));
}

#[test]
fn tfsec_alias_at_end_of_line() {
    let reg = harness::registry();
    let tf = harness::MAIN_TF.replace(
        "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n\n# infralint:ignore[open-ingress]",
        "    cidr_blocks = [\"0.0.0.0/0\"] #tfsec:ignore:aws-ec2-no-public-ingress-sgr\n  }\n}\n\n# infralint:ignore[open-ingress]",
    );
    // That comment sits on the egress line, which has no SG001 finding.
    let out = outcome(&tf, harness::DOCKERFILE, &reg, true);
    assert_eq!(status(&out, "SG002", 8), None);
    assert_eq!(status(&out, "IL0101", 8), None);
}

#[test]
fn unrelated_ids_do_not_suppress() {
    let reg = harness::registry();
    let df = harness::DOCKERFILE.replace("USER root", "# hadolint ignore=DL3007\nUSER root");
    let out = outcome(harness::MAIN_TF, &df, &reg, false);
    assert_eq!(status(&out, "DF003", 7), None);
    let df = harness::DOCKERFILE.replace("USER root", "# hadolint ignore=DL3002\nUSER root");
    let out = outcome(harness::MAIN_TF, &df, &reg, false);
    assert_eq!(status(&out, "DF003", 7).as_deref(), Some("hadolint"));
}

#[test]
fn unused_ignores_are_reported_only_when_asked() {
    let reg = harness::registry();
    let tf = format!(
        "{}\n# infralint:ignore[S3001] nothing here any more\nlocals {{}}\n",
        harness::MAIN_TF
    );
    let quiet = outcome(&tf, harness::DOCKERFILE, &reg, false);
    assert!(!quiet.iter().any(|(r, _, _)| r == "IL0101"));
    let out = outcome(&tf, harness::DOCKERFILE, &reg, true);
    let unused: Vec<_> = out.iter().filter(|(r, _, _)| r == "IL0101").collect();
    assert_eq!(unused.len(), 1, "{out:?}");
    assert_eq!(unused[0].1, 35);
}

#[test]
fn suppressions_are_in_source_with_justification() {
    let reg = harness::registry();
    let rep = Report::build(harness::fixture(&reg), &reg, &ReportOptions::default());
    let s = rep
        .suppressed
        .iter()
        .find(|s| s.suppression.source == "checkov")
        .unwrap();
    assert_eq!(s.suppression.kind, SuppressionKind::InSource);
    assert_eq!(
        s.suppression.justification.as_deref(),
        Some("access logs of the log bucket would loop")
    );
}

#[test]
fn hadolint_global_ignore_covers_the_file() {
    let reg = harness::registry();
    let df = format!("# hadolint global ignore=DL3008\n{}", harness::DOCKERFILE);
    let out = outcome(harness::MAIN_TF, &df, &reg, false);
    assert_eq!(status(&out, "DF001", 6).as_deref(), Some("hadolint"));
    assert_eq!(status(&out, "DF002", 2), None);
}
