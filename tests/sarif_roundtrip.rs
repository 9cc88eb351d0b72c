//! The SARIF output carries exactly the findings of the JSON output for the same run: same
//! count, same rule, file and line for each. Run on the bundled example stack and on a tree with
//! findings from every pack (`tests/fixtures/report/all-packs/`). `.ci/run` validates the same
//! two SARIF files with Microsoft's SARIF Multitool.

use std::collections::BTreeMap;
use std::path::Path;

fn run(path: &str, format: &str) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(root)
        .args(["check", path, "--format", format])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule id, file, line) → how often.
type Tally = BTreeMap<(String, String, u64), usize>;

fn from_json(doc: &serde_json::Value) -> Tally {
    let mut tally = Tally::new();
    for f in doc["findings"].as_array().unwrap() {
        let key = (
            f["rule_id"].as_str().unwrap().to_string(),
            f["file"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap(),
        );
        *tally.entry(key).or_default() += 1;
    }
    tally
}

fn from_sarif(doc: &serde_json::Value) -> Tally {
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let mut tally = Tally::new();
    for r in runs[0]["results"].as_array().unwrap() {
        let id = r["ruleId"].as_str().unwrap().to_string();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id.as_str(), "ruleIndex of {id}");
        let loc = &r["locations"][0]["physicalLocation"];
        let key = (
            id,
            loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
            loc["region"]["startLine"].as_u64().unwrap(),
        );
        *tally.entry(key).or_default() += 1;
    }
    tally
}

fn packs(doc: &serde_json::Value) -> Vec<&str> {
    let mut packs: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["pack"].as_str().unwrap())
        .collect();
    packs.sort_unstable();
    packs.dedup();
    packs
}

#[test]
fn sarif_results_match_json_findings_on_the_examples() {
    let json = run("examples", "json");
    let sarif = run("examples", "sarif");
    let (j, s) = (from_json(&json), from_sarif(&sarif));
    assert!(!j.is_empty(), "the example stack has findings");
    assert_eq!(j, s);
}

#[test]
fn sarif_results_match_json_findings_in_every_pack() {
    let dir = "tests/fixtures/report/all-packs";
    let json = run(dir, "json");
    let sarif = run(dir, "sarif");
    let found = packs(&json);
    for pack in ["core", "dockerfile", "workflow"] {
        assert!(found.contains(&pack), "no {pack} finding: {found:?}");
    }
    let (j, s) = (from_json(&json), from_sarif(&sarif));
    assert_eq!(
        j.values().sum::<usize>(),
        sarif["runs"][0]["results"].as_array().unwrap().len()
    );
    assert_eq!(j, s);
}

/// Every output format renders the all-packs tree (rule texts hold `…`, `→`, backticks).
#[test]
fn every_format_renders_every_pack() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for format in ["text", "json", "sarif", "markdown", "github"] {
        let out = assert_cmd::Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(root)
            .args([
                "check",
                "tests/fixtures/report/all-packs",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(!out.stdout.is_empty(), "{format}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}
