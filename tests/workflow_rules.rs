//! The `workflow` pack against its fixtures: every rule in `rules/workflow/` names a built-in
//! check; each file under `tests/fixtures/rules/<ID>/bad/` gets at least one finding from it,
//! and nothing under `good/` does. (The rule engine's generic harness covers the same fixtures
//! with snapshots once it lands; this test calls the built-ins directly.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infralint::ir::Model;
use infralint::pipeline::{self, LoadOptions};
use infralint::rules::{CheckContext, RuleMeta, Verdict, packs};

fn manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn rules() -> Vec<RuleMeta> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(manifest().join("rules/workflow")).expect("rules/workflow") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let meta: RuleMeta =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                path.file_stem().unwrap().to_str(),
                Some(meta.id.as_str()),
                "file name = id"
            );
            out.push(meta);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn load(dir: &Path) -> Model {
    let model = pipeline::load(&LoadOptions {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    })
    .expect("load fixtures");
    assert!(
        model.diagnostics.is_empty(),
        "{}: {:?}",
        dir.display(),
        model.diagnostics
    );
    model
}

/// Findings of a check per file (display path → messages with line numbers).
fn run(check: &str, model: &Model) -> BTreeMap<String, Vec<String>> {
    let f = packs::builtin(check).unwrap_or_else(|| panic!("no built-in `{check}`"));
    let settings = toml::Table::new();
    let verdicts = f(&CheckContext::new(model, &settings));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in verdicts {
        if let Verdict::Fail {
            span,
            message,
            object,
        } = v
        {
            let loc = model.sources.locate(span);
            assert!(span.end as usize <= model.sources.get(span.file).text.len());
            if let Some(o) = object {
                assert_eq!(model.objects[o].span.file, span.file, "object in same file");
            }
            out.entry(loc.file)
                .or_default()
                .push(format!("{}:{}: {message}", loc.line, loc.column));
        }
    }
    out
}

#[test]
fn workflow_rules_fire_on_bad_fixtures_only() {
    let rules = rules();
    assert_eq!(rules.len(), 16);
    for rule in &rules {
        assert_eq!(rule.pack, "workflow");
        let check = rule.check.as_deref().expect("built-in check");
        let dir = manifest().join("tests/fixtures/rules").join(&rule.id);
        let bad = load(&dir.join("bad"));
        assert!(!bad.sources.is_empty(), "{}: no bad fixtures", rule.id);
        let found = run(check, &bad);
        for file in bad.sources.iter() {
            assert!(
                found.contains_key(&file.display_path),
                "{}: no finding in bad fixture {}",
                rule.id,
                file.display_path
            );
        }
        let good = load(&dir.join("good"));
        assert!(!good.sources.is_empty(), "{}: no good fixtures", rule.id);
        let found_good = run(check, &good);
        assert!(
            found_good.is_empty(),
            "{}: findings in good fixtures: {found_good:#?}",
            rule.id
        );
        eprintln!("{} {}: {:#?}", rule.id, rule.slug, found);
    }
}

#[test]
fn every_workflow_builtin_has_a_rule() {
    let rules = rules();
    for (name, _) in packs::workflow::CHECKS {
        assert!(
            rules.iter().any(|r| r.check.as_deref() == Some(name)),
            "built-in `{name}` has no rule file"
        );
    }
}

/// A realistic pipeline (build → scan → push → deploy) gets exactly the expected findings.
#[test]
fn realistic_pipeline_findings() {
    let model = load(&manifest().join("tests/fixtures/workflow-realistic"));
    let mut found: Vec<String> = Vec::new();
    for rule in rules() {
        let lines: Vec<String> = run(rule.check.as_deref().unwrap(), &model)
            .into_values()
            .flatten()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        for line in lines {
            found.push(format!("{} line {line}", rule.id));
        }
    }
    found.sort();
    let expected = [
        "GHA001 line 44", // aquasecurity/trivy-action@master
        "GHA001 line 60", // aws-actions/configure-aws-credentials@v4
        "GHA002 line 23",
        "GHA002 line 24",
        "GHA002 line 30",
        "GHA002 line 41",
        "GHA002 line 49",
        "GHA002 line 59",
        "GHA003 line 68", // head_commit.message in run
        "GHA004 line 67", // inputs.environment
        "GHA004 line 69",
        "GHA006 line 20", // build: no permissions anywhere
        "GHA006 line 53", // push
        "GHA008 line 62", // aws-access-key-id from secrets
        "GHA009 line 23", // checkout persists creds, job uploads `.`
        "GHA011 line 49", // upload-sarif with contents: read only
        "GHA012 line 23", // checkout@v3
        "GHA012 line 24", // setup-python@v4
        "GHA012 line 30", // upload-artifact@v3
        "GHA014 line 20", // build has no timeout
    ];
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected);
}
