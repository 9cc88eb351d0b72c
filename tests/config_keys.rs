//! `.infralint.toml`: one test per key, unknown-key locations, discovery and `init`.

#[path = "fixtures/report/harness.rs"]
mod harness;

use std::path::Path;

use infralint::config::{ConfigError, LoadedConfig, STARTER};
use infralint::diagnostic::Severity;
use infralint::report::{Report, ReportOptions};
use infralint::rules::Registry;

fn parse(text: &str) -> Result<LoadedConfig, ConfigError> {
    LoadedConfig::parse(text, Path::new(".infralint.toml"), Path::new("."))
}

fn ok(text: &str) -> LoadedConfig {
    parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The report on the fixture with `cfg` applied.
fn fixture_report<'r>(reg: &'r Registry, cfg: &LoadedConfig) -> Report<'r> {
    Report::build(
        harness::fixture(reg),
        reg,
        &ReportOptions {
            config: Some(cfg),
            ..Default::default()
        },
    )
}

/// The severity of the first finding of rule `id` in `rep` (which must have one).
fn severity(rep: &Report, id: &str) -> Severity {
    rep.result
        .findings
        .iter()
        .find(|f| f.rule_id == id)
        .unwrap()
        .severity
}

/// Rule IDs still active after applying a config to the fixture.
fn active(cfg: &LoadedConfig) -> Vec<String> {
    let reg = harness::registry();
    let rep = fixture_report(&reg, cfg);
    rep.result
        .findings
        .iter()
        .map(|f| f.rule_id.clone())
        .collect()
}

fn err_at(text: &str) -> (usize, usize, String) {
    match parse(text) {
        Err(ConfigError::Invalid {
            line,
            column,
            message,
            ..
        }) => (line, column, message),
        other => panic!("expected a located error, got {other:?}"),
    }
}

#[test]
fn empty_file_is_the_default() {
    let cfg = ok("");
    assert_eq!(
        active(&cfg),
        ["DF002", "DF001", "DF003", "SG001", "SG002", "IL0100"]
    );
}

#[test]
fn select_by_pack_and_id() {
    let cfg = ok(r#"select = ["dockerfile", "SG002"]"#);
    // IL0100 is a core diagnostic of the run, not a selectable rule of the registry here.
    assert_eq!(active(&cfg), ["DF002", "DF001", "DF003", "SG002"]);
}

#[test]
fn ignore_by_slug_alias_and_pack() {
    let cfg = ok(r#"ignore = ["latest-tag", "DL3002", "aws"]"#);
    assert_eq!(active(&cfg), ["DF001", "IL0100"]);
}

#[test]
fn ignore_by_id_beats_selected_pack() {
    let cfg = ok("select = [\"dockerfile\"]\nignore = [\"DF001\"]");
    assert_eq!(active(&cfg), ["DF002", "DF003"]);
}

#[test]
fn severity_overrides_by_id_and_slug() {
    let cfg = ok("[severity]\nSG001 = \"low\"\nlatest-tag = \"info\"");
    let reg = harness::registry();
    let rep = fixture_report(&reg, &cfg);
    let sev = |id: &str| severity(&rep, id);
    assert_eq!(sev("SG001"), Severity::Low);
    assert_eq!(sev("DF002"), Severity::Info);
    assert_eq!(sev("DF003"), Severity::High);
}

#[test]
fn severity_value_is_checked() {
    let (line, column, message) = err_at("[severity]\nSG001 = \"urgent\"");
    assert_eq!((line, column), (2, 9));
    assert!(message.contains("urgent"), "{message}");
}

#[test]
fn per_path_ignores_table_form() {
    let cfg = ok(
        "[per-path-ignores]\n\"infra/**\" = [\"open-ingress\", \"IL0100\"]\n\"Docker*\" = [\"ALL\"]",
    );
    assert_eq!(active(&cfg), ["SG002"]);
}

#[test]
fn per_path_ignores_array_form_with_reason() {
    let cfg = ok(
        "[[per-path-ignores]]\npaths = [\"Dockerfile\"]\nrules = [\"dockerfile\"]\nreason = \"base image owned by platform team\"",
    );
    assert_eq!(active(&cfg), ["SG001", "SG002", "IL0100"]);
    let reg = harness::registry();
    let rep = fixture_report(&reg, &cfg);
    let s = rep
        .suppressed
        .iter()
        .find(|s| s.finding.rule_id == "DF003")
        .unwrap();
    assert_eq!(s.suppression.source, "per-path-ignores");
    assert_eq!(
        s.suppression.justification.as_deref(),
        Some("base image owned by platform team")
    );
}

#[test]
fn per_path_ignores_unknown_key_is_located() {
    let (line, column, message) =
        err_at("[[per-path-ignores]]\npaths = [\"a\"]\nrule = [\"SG001\"]");
    assert_eq!((line, column), (3, 1), "{message}");
    assert!(message.contains("rule"), "{message}");
}

#[test]
fn fail_on() {
    assert_eq!(
        ok("fail-on = \"high\"").config.fail_on,
        Some(Severity::High)
    );
    assert_eq!(ok("").config.fail_on, None);
}

#[test]
fn exclude_globs_are_validated_and_passed_on() {
    let cfg = ok("exclude = [\"examples/**\"]");
    assert_eq!(cfg.exclude_globs(), ["examples/**"]);
    assert!(matches!(
        parse("exclude = [\"a/[\"]"),
        Err(ConfigError::Other { .. })
    ));
}

#[test]
fn pack_tables_are_typed_and_handed_on_as_settings() {
    let cfg = ok(r#"
[tags]
required = ["owner", "cost-center"]

[image]
budget_mb = 500

[image.budgets]
"docker/*.Dockerfile" = 800

[cost]
region = "eu-west-1"
usage_file = "usage.yml"
monthly_budget = 2000
max_increase_percent = 10.5

[dockerfile]
require_healthcheck = true

[logging]
rds_min_backup_retention_days = 7
"#);
    let c = &cfg.config;
    assert_eq!(c.tags.as_ref().unwrap().required, ["owner", "cost-center"]);
    assert_eq!(c.image.as_ref().unwrap().budget_mb, Some(500.0));
    assert_eq!(
        c.image.as_ref().unwrap().budgets.get("docker/*.Dockerfile"),
        Some(&800.0)
    );
    let cost = c.cost.as_ref().unwrap();
    assert_eq!(cost.region.as_deref(), Some("eu-west-1"));
    assert_eq!(cost.monthly_budget, Some(2000.0));
    assert_eq!(cost.max_increase_percent, Some(10.5));
    assert_eq!(
        c.dockerfile.as_ref().unwrap().require_healthcheck,
        Some(true)
    );
    assert_eq!(
        c.logging.as_ref().unwrap().rds_min_backup_retention_days,
        Some(7)
    );
    // Checks read the raw table: settings["tags"]["required"].
    let s = &cfg.settings;
    assert_eq!(s["tags"]["required"][1].as_str(), Some("cost-center"));
    assert_eq!(s["image"]["budget_mb"].as_integer(), Some(500));
    assert_eq!(
        Path::new(s["cost"]["usage_file"].as_str().unwrap()),
        Path::new(".").join("usage.yml")
    );
}

#[test]
fn unknown_key_in_pack_table_is_located() {
    let (line, column, message) = err_at("[image]\nbudget_mb = 1\nbudget_gb = 2\n");
    assert_eq!((line, column), (3, 1));
    assert!(message.contains("budget_gb"), "{message}");
}

#[test]
fn wrong_type_in_pack_table_is_located() {
    let (line, column, _) = err_at("[dockerfile]\nrequire_healthcheck = \"yes\"\n");
    assert_eq!((line, column), (2, 23));
}

#[test]
fn rules_paths_are_relative_to_the_config() {
    let cfg = LoadedConfig::parse(
        "[rules]\npaths = [\"policies\"]",
        Path::new("repo/.infralint.toml"),
        Path::new("repo"),
    )
    .unwrap();
    assert_eq!(cfg.rule_paths(), [Path::new("repo").join("policies")]);
}

#[test]
fn unknown_top_level_key_is_located() {
    let (line, column, message) = err_at("fail-on = \"high\"\n\nselcet = [\"SG001\"]\n");
    assert_eq!((line, column), (3, 1));
    assert!(message.contains("selcet"), "{message}");
    let e = parse("\n  colour = 1").unwrap_err().to_string();
    assert!(e.starts_with(".infralint.toml:2:3: "), "{e}");
}

#[test]
fn found_by_walking_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".infralint.toml"), "fail-on = \"critical\"").unwrap();
    std::fs::create_dir_all(root.join("envs/prod")).unwrap();
    std::fs::write(root.join("envs/prod/main.tf"), "").unwrap();
    let cfg = LoadedConfig::discover(None, &root.join("envs/prod/main.tf")).unwrap();
    assert_eq!(cfg.config.fail_on, Some(Severity::Critical));
    assert_eq!(
        cfg.path.as_deref(),
        Some(root.join(".infralint.toml").as_path())
    );
    let explicit = root.join("other.toml");
    std::fs::write(&explicit, "fail-on = \"info\"").unwrap();
    let cfg = LoadedConfig::discover(Some(&explicit), &root.join("envs")).unwrap();
    assert_eq!(cfg.config.fail_on, Some(Severity::Info));
}

#[test]
fn starter_file_parses() {
    let cfg = ok(STARTER);
    assert_eq!(cfg.config.fail_on, Some(Severity::Low));
}

#[test]
fn init_writes_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["init"]).status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join(".infralint.toml")).unwrap();
    assert_eq!(written, STARTER);
    std::fs::write(dir.path().join(".infralint.toml"), "# mine").unwrap();
    let again = run(&["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(run(&["init", "--force"]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".infralint.toml")).unwrap(),
        STARTER
    );
}

#[test]
fn cli_exits_2_on_unknown_key_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".infralint.toml"),
        "ignore = []\nbogus = true\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".infralint.toml:2:1:") && err.contains("bogus"),
        "{err}"
    );
}

#[test]
fn unknown_rule_names_are_listed() {
    let cfg = ok(
        "select = [\"ALL\", \"aws\"]\nignore = [\"SG01\", \"CKV_AWS_24\", \"parse-error\"]\n[severity]\nopen-ingres = \"low\"\n[per-path-ignores]\n\"a/**\" = [\"tags\", \"nope\"]",
    );
    let reg = harness::registry();
    assert_eq!(
        cfg.unknown_rule_names(&reg),
        [
            ("ignore", "SG01".to_string()),
            ("severity", "open-ingres".to_string()),
            ("per-path-ignores", "nope".to_string())
        ]
    );
}

#[test]
fn globs_are_relative_to_the_config_file_wherever_it_runs() {
    let run = |cwd: &Path, args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(cwd)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let make = |config_dir: &str, exclude: &str, ignored: &str| {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir_all(sub.join("skip")).unwrap();
        std::fs::write(sub.join("main.tf"), "# infralint:ignore[X1]\nlocals {}\n").unwrap();
        std::fs::write(sub.join("skip/bad.tf"), b"\xff\n").unwrap();
        std::fs::write(
            dir.path().join(config_dir).join(".infralint.toml"),
            format!(
                "exclude = [\"{exclude}\"]\n[per-path-ignores]\n\"{ignored}\" = [\"IL0100\"]\n"
            ),
        )
        .unwrap();
        dir
    };
    // Config above the current directory.
    let dir = make(".", "sub/skip/**", "sub/main.tf");
    assert_eq!(
        run(
            &dir.path().join("sub"),
            &["check", "--format", "github", "."]
        ),
        (0, String::new())
    );
    // Config below the current directory.
    let dir = make("sub", "skip/**", "main.tf");
    assert_eq!(
        run(dir.path(), &["check", "--format", "github", "sub"]),
        (0, String::new())
    );
    // Config in the current directory.
    let dir = make(".", "sub/skip/**", "sub/main.tf");
    assert_eq!(
        run(dir.path(), &["check", "--format", "github", "."]),
        (0, String::new())
    );
}

#[test]
fn severity_overrides_prefer_the_rule_over_its_pack_and_reach_sarif() {
    let cfg = ok("[severity]\naws = \"low\"\nSG001 = \"medium\"\nALL = \"info\"");
    let reg = harness::registry();
    let rep = fixture_report(&reg, &cfg);
    let sev = |id: &str| severity(&rep, id);
    assert_eq!(sev("SG001"), Severity::Medium);
    assert_eq!(sev("SG002"), Severity::Low);
    assert_eq!(sev("DF003"), Severity::Info);
    let doc: serde_json::Value =
        serde_json::from_str(&infralint::report::sarif::render(&rep)).unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let sg001 = rules.iter().find(|r| r["id"] == "SG001").unwrap();
    assert_eq!(sg001["properties"]["security-severity"], "5.5");
    assert_eq!(sg001["defaultConfiguration"]["level"], "warning");
}

#[test]
fn tags_values_and_patterns_are_known_keys() {
    let cfg = ok(r#"
[tags]
required = ["Project"]
[tags.values]
Environment = ["dev", "prod"]
[tags.patterns]
Owner = "*@example.com"
"#);
    let t = cfg.config.tags.as_ref().unwrap();
    assert_eq!(t.values["Environment"], ["dev", "prod"]);
    assert_eq!(t.patterns["Owner"], "*@example.com");
    assert_eq!(
        cfg.settings["tags"]["patterns"]["Owner"].as_str(),
        Some("*@example.com")
    );
    assert!(parse("[tags]\nrequird = [\"x\"]").is_err());
    assert!(parse("[tags.patterns]\nOwner = 3").is_err());
}
