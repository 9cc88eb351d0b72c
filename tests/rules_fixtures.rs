//! Generic fixture harness: for every rule with `tests/fixtures/rules/<ID>/{bad,good}/`, the
//! rule fires at least once on `bad/` and never on `good/`, with every rule enabled (opt-in
//! ones included). Its findings on `bad/` are snapshotted as
//! `file:line:col rule_id message address`, paths relative to the fixture directory.
//!
//! The rules are the embedded ones plus the example user rules in
//! `tests/fixtures/custom-rules/` (loaded as with `--rules`).
//!
//! Rules that read settings (e.g. the `tags` pack) get them from an optional
//! `tests/fixtures/rules/<ID>/infralint.toml`, parsed as `.infralint.toml` would be and applied
//! to both `bad/` and `good/`, and from a `.infralint.toml` inside `bad/` or `good/` (its
//! top-level keys override); without either the settings are empty.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test --test rules_fixtures` (or
//! `cargo insta review`).

use std::path::{Path, PathBuf};

use infralint::rules::engine::{self, Selection};
use infralint::rules::{Registry, load};
use infralint::source::FileKind;

mod common;

/// Languages whose front end does not produce objects yet on this branch: their fixtures
/// cannot be checked and are skipped when they yield no objects at all. A test below fails as
/// soon as a listed language produces objects, so the list only shrinks.
const FRONTENDS_PENDING: &[FileKind] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn registry() -> Registry {
    load::load_registry(&[root().join("tests/fixtures/custom-rules")])
        .unwrap_or_else(|e| panic!("{e}"))
}

fn fixture_dir(id: &str) -> PathBuf {
    root().join("tests/fixtures/rules").join(id)
}

struct Run {
    /// Findings of the rule under test, rendered.
    lines: Vec<String>,
    objects: usize,
    kinds: Vec<FileKind>,
}

/// The fixture's settings: `<ID>/infralint.toml`, else an empty table.
fn settings(id: &str) -> toml::Table {
    let path = fixture_dir(id).join("infralint.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        Err(_) => toml::Table::new(),
    }
}

fn run(registry: &Registry, id: &str, dir: &Path) -> Run {
    let model = common::load_tree(dir);
    // Per-rule settings (`<ID>/infralint.toml`), overridden key by key by a `.infralint.toml`
    // inside the fixture directory itself (e.g. `[cost] monthly_budget`).
    let mut settings = settings(id);
    if let Ok(text) = std::fs::read_to_string(dir.join(".infralint.toml")) {
        let local: toml::Table = text.parse().expect("fixture .infralint.toml");
        settings.extend(local);
    }
    let out = engine::run(&model, registry, &settings, &Selection::all()).unwrap();
    let lines = out
        .findings
        .iter()
        .filter(|f| f.rule_id == id)
        .map(|f| {
            let file = model.sources.get(f.span.file);
            let pos = file.line_col(f.span.start);
            let path = file.path.strip_prefix(dir).unwrap_or(&file.path);
            format!(
                "{}:{}:{} {} {} {}",
                path.to_string_lossy().replace('\\', "/"),
                pos.line,
                pos.column,
                f.rule_id,
                f.message.replace('\n', "\\n"),
                f.address.as_deref().unwrap_or("-")
            )
        })
        .collect();
    Run {
        lines,
        objects: model.objects.len(),
        kinds: model.sources.iter().map(|s| s.kind).collect(),
    }
}

fn pending(r: &Run) -> bool {
    r.objects == 0 && !r.kinds.is_empty() && r.kinds.iter().all(|k| FRONTENDS_PENDING.contains(k))
}

#[test]
fn fixtures_fire_on_bad_and_not_on_good() {
    let registry = registry();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in registry.rules() {
        let id = &rule.meta.id;
        let dir = fixture_dir(id);
        if !dir.join("bad").is_dir() || !dir.join("good").is_dir() {
            continue;
        }
        let bad = run(&registry, id, &dir.join("bad"));
        let good = run(&registry, id, &dir.join("good"));
        let core = rule.meta.pack == "core";
        if !core && pending(&bad) {
            eprintln!("skipped {id}: its fixture's language has no front end on this branch yet");
            continue;
        }
        checked += 1;
        if bad.lines.is_empty() {
            failures.push(format!("{id}: does not fire on {}/bad", dir.display()));
        }
        if !good.lines.is_empty() {
            failures.push(format!(
                "{id}: fires on good/:\n  {}",
                good.lines.join("\n  ")
            ));
        }
        insta::assert_snapshot!(format!("{id}"), bad.lines.join("\n"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0);
}

#[test]
fn every_rule_has_fixtures() {
    let registry = registry();
    let missing: Vec<String> = registry
        .rules()
        .iter()
        .filter(|r| r.meta.pack != "core")
        .filter(|r| {
            let dir = fixture_dir(&r.meta.id);
            !dir.join("bad").is_dir() || !dir.join("good").is_dir()
        })
        .map(|r| {
            format!(
                "{} ({}): tests/fixtures/rules/{}/{{bad,good}}/",
                r.meta.id, r.origin, r.meta.id
            )
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without fixtures:\n{}",
        missing.join("\n")
    );
}

#[test]
fn pending_front_ends_are_still_pending() {
    let registry = registry();
    let mut stale = Vec::new();
    for rule in registry.rules() {
        let dir = fixture_dir(&rule.meta.id).join("bad");
        if !dir.is_dir() {
            continue;
        }
        let r = run(&registry, &rule.meta.id, &dir);
        if r.objects > 0 {
            for k in &r.kinds {
                if FRONTENDS_PENDING.contains(k) && !stale.contains(k) {
                    stale.push(*k);
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "these front ends produce objects now: remove {stale:?} from FRONTENDS_PENDING in tests/rules_fixtures.rs"
    );
}

/// Rules whose `[example]` is an excerpt rather than a whole input: a workflow's `steps:` without
/// the `jobs:` around them. Their bad example does not fire on its own; the test
/// below fails as soon as one does, so the list only shrinks.
const EXCERPT_EXAMPLES: &[&str] = &[
    "GHA002", "GHA003", "GHA004", "GHA008", "GHA009", "GHA010", "GHA011", "GHA012",
];

/// Every rule's `[example]` (the one its docs page shows), written where its language lives:
/// `bad` fires the rule, `good` does not, with every rule enabled and the fixture's settings
/// (`tests/fixtures/rules/<ID>/infralint.toml`) applied. Core rules and `text` examples have
/// no file to write and are skipped.
#[test]
fn examples_in_rule_files_agree_with_checks() {
    let registry = registry();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in registry.rules() {
        let meta = &rule.meta;
        let file = match meta.example.language.as_str() {
            "hcl" => "main.tf",
            "dockerfile" => "Dockerfile",
            "yaml" => ".github/workflows/ci.yml",
            _ => continue,
        };
        if meta.pack == "core" {
            continue;
        }
        // Settings an example needs are stated on its first line, as the docs page shows them:
        // `# .infralint.toml: [cost] monthly_budget = 100`; they apply to both examples.
        let local_settings = [&meta.example.bad, &meta.example.good]
            .into_iter()
            .find_map(|text| text.lines().next()?.strip_prefix("# .infralint.toml: "))
            .map(|line| line.replacen("] ", "]\n", 1));
        let excerpt = EXCERPT_EXAMPLES.contains(&meta.id.as_str());
        let dir = tempfile::tempdir().unwrap();
        for (kind, text, should_fire) in [
            ("bad", &meta.example.bad, true),
            ("good", &meta.example.good, false),
        ] {
            let path = dir.path().join(kind).join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            if let Some(settings) = &local_settings {
                std::fs::write(dir.path().join(kind).join(".infralint.toml"), settings).unwrap();
            }
            let fired = run(&registry, &meta.id, &dir.path().join(kind)).lines;
            match (fired.is_empty() != should_fire, excerpt && should_fire) {
                (true, false) | (false, true) => {}
                (false, false) => failures.push(format!("{} example.{kind}: {fired:?}", meta.id)),
                (true, true) => failures.push(format!(
                    "{}: its bad example fires now: remove it from EXCERPT_EXAMPLES",
                    meta.id
                )),
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0);
}
