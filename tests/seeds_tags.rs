//! The `tags` pack on the seed fixtures (`tests/fixtures/seeds/*/`), with
//! `[tags] required = ["Project", "Environment"]`: exactly the findings each README lists for the
//! pack, and none where provider `default_tags` or module-passed `var.tags` cover the resources.
//! Without configuration the pack reports nothing.

use infralint::rules::engine::Selection;

mod common;

fn required() -> toml::Table {
    toml::from_str("[tags]\nrequired = [\"Project\", \"Environment\"]\n").unwrap()
}

/// `file:line RULE` for every finding of the `tags` pack, sorted.
fn tag_findings(name: &str, settings: &toml::Table) -> Vec<String> {
    let dir = common::seed(name);
    let model = common::load_tree(&dir);
    let out = common::run_rules(&model, settings, &Selection::default());
    let mut lines: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.pack == "tags")
        .map(|f| format!("{} {}", common::location(&model, &dir, f.span), f.rule_id))
        .collect();
    lines.sort();
    lines
}

const SEEDS: &[&str] = &[
    "cloudclearing",
    "spendsense",
    "ocean-dashboard",
    "morket",
    "marine-safety",
];

#[test]
fn nothing_without_configuration() {
    for s in SEEDS {
        assert_eq!(
            tag_findings(s, &toml::Table::new()),
            Vec::<String>::new(),
            "{s}"
        );
    }
}

#[test]
fn provider_default_tags_cover_everything() {
    for s in ["cloudclearing", "spendsense", "marine-safety"] {
        assert_eq!(tag_findings(s, &required()), Vec::<String>::new(), "{s}");
    }
}

#[test]
fn ocean_dashboard_is_untagged() {
    let t = "infra/terraform";
    let mut expected: Vec<String> = [
        "ec2.tf:11",
        "ec2.tf:110",
        "ec2.tf:28",
        "ec2.tf:33",
        "ec2.tf:66",
        "lambda.tf:39",
        "lambda.tf:55",
        "lambda.tf:7",
        "monitoring.tf:1",
        "monitoring.tf:18",
        "monitoring.tf:6",
        "secrets.tf:22",
        "secrets.tf:6",
    ]
    .iter()
    .map(|l| format!("{t}/{l} TAG001"))
    .collect();
    expected.push(format!("{t}/main.tf:20 TAG003"));
    expected.sort();
    assert_eq!(tag_findings("ocean-dashboard", &required()), expected);
}

#[test]
fn morket_module_tags_are_followed_and_untagged_leftovers_reported() {
    let mut expected = Vec::new();
    for env in ["staging", "production"] {
        expected.push(format!(
            "terraform/environments/{env}/versions.tf:16 TAG003"
        ));
        for l in [
            "alb/main.tf:39",
            "alb/main.tf:54",
            "alb/main.tf:67",
            "alb/main.tf:83",
            "clickhouse/main.tf:59",
            "clickhouse/main.tf:64",
            "ecs/main.tf:126",
        ] {
            expected.push(format!("terraform/modules/{l} TAG001"));
        }
    }
    // Three autoscaling targets (for_each over the scaled services) in one environment.
    for _ in 0..3 {
        expected.push("terraform/modules/ecs/main.tf:240 TAG001".to_string());
    }
    expected.sort();
    assert_eq!(tag_findings("morket", &required()), expected);
}
