//! The `iam` pack on the seed fixtures (`tests/fixtures/seeds/*/`): exactly the findings each
//! README lists for the pack, at `file:line` (the policy statement), and none on the good practices
//! (scoped execution roles, flow-logs roles, secret reads).

use infralint::rules::engine::Selection;

mod common;

/// `file:line RULE` for every finding of the `iam` pack, sorted; `extra` selects opt-in rules.
fn iam_findings(name: &str, extra: &[&str]) -> Vec<String> {
    let dir = common::seed(name);
    let model = common::load_tree(&dir);
    let selection = Selection {
        extend_select: extra.iter().map(|s| s.to_string()).collect(),
        ..Selection::default()
    };
    let out = common::run_rules(&model, &toml::Table::new(), &selection);
    let mut lines: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.pack == "iam")
        .map(|f| format!("{} {}", common::location(&model, &dir, f.span), f.rule_id))
        .collect();
    lines.sort();
    lines
}

#[test]
fn cloudclearing_pass_role_and_s3_wildcard() {
    let sec = "infra/terraform/modules/security/main.tf";
    assert_eq!(
        iam_findings("cloudclearing", &[]),
        [format!("{sec}:156 IAM002"), format!("{sec}:202 IAM003")]
    );
    // The opt-in wildcard-resource rule adds the ecs:RunTask and iam:PassRole statements.
    assert_eq!(
        iam_findings("cloudclearing", &["IAM010"]),
        [
            format!("{sec}:156 IAM002"),
            format!("{sec}:197 IAM010"),
            format!("{sec}:202 IAM003"),
            format!("{sec}:202 IAM010"),
        ]
    );
}

#[test]
fn spendsense_rds_and_elasticache_wildcards() {
    assert_eq!(
        iam_findings("spendsense", &[]),
        ["terraform/modules/ecs/main.tf:79 IAM002"]
    );
}

#[test]
fn marine_safety_s3_wildcard() {
    assert_eq!(
        iam_findings("marine-safety", &[]),
        ["infrastructure/terraform/app.tf:82 IAM002"]
    );
}

#[test]
fn ocean_dashboard_s3_wildcard() {
    assert_eq!(
        iam_findings("ocean-dashboard", &[]),
        ["infra/terraform/ec2.tf:101 IAM002"]
    );
}

#[test]
fn morket_scoped_roles_give_nothing() {
    // Per-service secret reads, exports-only S3 access, a flow-logs role scoped to its group.
    assert_eq!(iam_findings("morket", &[]), Vec::<String>::new());
}
