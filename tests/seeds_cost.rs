//! The `cost` pack on every seed stack: no hygiene finding (no seed writes gp2 volumes or
//! previous-generation instance types; ocean-dashboard's root volume type is the AMI's), and
//! the budget rule against each team's own figure.

use assert_cmd::Command;

fn cost_findings(seed: &str, config: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("infralint.toml");
    std::fs::write(&cfg, config.unwrap_or("")).unwrap();
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .args([
            "check",
            &format!("tests/fixtures/seeds/{seed}"),
            "--select",
            "cost",
        ])
        .args(["--format", "json", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let d: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule_id"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect()
}

const SEEDS: &[&str] = &[
    "cloudclearing",
    "marine-safety",
    "morket",
    "ocean-dashboard",
    "spendsense",
];

#[test]
fn no_cost_findings_without_a_budget() {
    for seed in SEEDS {
        assert_eq!(cost_findings(seed, None), Vec::<String>::new(), "{seed}");
    }
}

#[test]
fn budget_against_the_teams_figures() {
    // marine-safety's team budgets ~$1,135; our fixed-charge estimate is $924.15: a $900
    // budget is exceeded, reported on the root module's provider block.
    assert_eq!(
        cost_findings("marine-safety", Some("[cost]\nmonthly_budget = 900\n")),
        vec!["COST001 tests/fixtures/seeds/marine-safety/infrastructure/terraform/main.tf:16"]
    );
    assert_eq!(
        cost_findings("marine-safety", Some("[cost]\nmonthly_budget = 1135\n")),
        Vec::<String>::new()
    );
    // ocean-dashboard: $19.06 against the team's upper figure $20 (no finding), and $15.
    assert_eq!(
        cost_findings("ocean-dashboard", Some("[cost]\nmonthly_budget = 20\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        cost_findings("ocean-dashboard", Some("[cost]\nmonthly_budget = 15\n")).len(),
        1
    );
    // cloudclearing: $5.10 known, NAT gateways and endpoints unknown: under a $23 budget the
    // rule is undecided, not a finding.
    assert_eq!(
        cost_findings("cloudclearing", Some("[cost]\nmonthly_budget = 23\n")),
        Vec::<String>::new()
    );
}
