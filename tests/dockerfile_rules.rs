//! Runs every `dockerfile` pack rule on its fixtures: `bad/` must fire (once per syntactic
//! route, counted below), `good/` must stay silent. Stands in for the engine's generic harness.

use std::path::{Path, PathBuf};

use infralint::ir::Model;
use infralint::pipeline::{self, LoadOptions};
use infralint::rules::{CheckContext, RuleMeta, Verdict, packs};

/// Findings expected on each rule's `bad/Dockerfile`.
const EXPECTED_BAD: &[(&str, usize)] = &[
    ("DF001", 5),
    ("DF002", 1),
    ("DF003", 4),
    ("DF004", 2),
    ("DF005", 3),
    ("DF006", 4),
    ("DF007", 2),
    ("DF008", 2),
    ("DF009", 2),
    ("DF010", 2),
    ("DF011", 3),
    ("DF012", 2),
    ("DF013", 4),
    ("DF014", 4),
    ("DF015", 7),
    ("DF016", 3),
    ("DF017", 3),
    ("DF018", 4),
    ("DF019", 3),
    ("DF020", 2),
    ("DF021", 2),
    ("DF022", 3),
    ("DF023", 3),
    ("DF024", 2),
    ("DF025", 1),
    ("DF026", 2),
    ("DF027", 4),
    ("DF028", 11),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn load(dir: &Path) -> Model {
    let model = pipeline::load(&LoadOptions {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    })
    .unwrap();
    assert!(
        model.diagnostics.is_empty(),
        "{}: {:?}",
        dir.display(),
        model.diagnostics
    );
    assert!(
        model.of_type("docker_stage").count() > 0,
        "{}",
        dir.display()
    );
    model
}

fn run(rule: &RuleMeta, dir: &Path) -> Vec<(String, String)> {
    let model = load(dir);
    let check = packs::builtin(rule.check.as_deref().unwrap()).unwrap();
    let settings = toml::Table::new();
    let ctx = CheckContext::new(&model, &settings);
    check(&ctx)
        .into_iter()
        .filter_map(|v| match v {
            Verdict::Fail { span, message, .. } => {
                let loc = model.sources.locate(span);
                let text = model.sources.get(span.file).slice(span).to_string();
                assert!(!message.is_empty());
                Some((
                    format!("{}:{}", loc.line, loc.column),
                    format!("{text:?}: {message}"),
                ))
            }
            Verdict::Unknown { .. } => None,
        })
        .collect()
}

fn rules() -> Vec<RuleMeta> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("rules/dockerfile")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let meta: RuleMeta =
            toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        assert_eq!(
            path.file_stem().unwrap().to_str().unwrap(),
            meta.id,
            "file name must be the rule ID"
        );
        assert_eq!(meta.pack, "dockerfile");
        out.push(meta);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

#[test]
fn every_rule_fires_on_bad_and_not_on_good() {
    let rules = rules();
    assert_eq!(rules.len(), EXPECTED_BAD.len());
    let mut report = Vec::new();
    for rule in &rules {
        let fixtures = root().join("tests/fixtures/rules").join(&rule.id);
        let bad = run(rule, &fixtures.join("bad"));
        let good = run(rule, &fixtures.join("good"));
        let expected = EXPECTED_BAD
            .iter()
            .find(|(id, _)| *id == rule.id)
            .map(|e| e.1)
            .unwrap();
        for (at, msg) in &bad {
            println!("{} bad {at} {msg}", rule.id);
        }
        if bad.len() != expected || !good.is_empty() {
            report.push(format!(
                "{}: bad fired {} (expected {expected}), good fired {:?}",
                rule.id,
                bad.len(),
                good
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn examples_in_rule_files_agree_with_checks() {
    for rule in rules() {
        let dir = tempfile::tempdir().unwrap();
        for (kind, text, should_fire) in [
            ("bad", &rule.example.bad, true),
            ("good", &rule.example.good, false),
        ] {
            let sub = dir.path().join(kind);
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join("Dockerfile"), text).unwrap();
            if rule.id == "DF016" && kind == "good" {
                std::fs::write(sub.join(".dockerignore"), ".git\n").unwrap();
            }
            let fired = run(&rule, &sub);
            assert_eq!(
                !fired.is_empty(),
                should_fire,
                "{} example.{kind}: {fired:?}",
                rule.id
            );
        }
    }
}

#[test]
fn healthcheck_can_be_turned_off() {
    let model = load(&root().join("tests/fixtures/rules/DF002/bad"));
    let settings: toml::Table =
        toml::from_str("[dockerfile]\nrequire_healthcheck = false\n").unwrap();
    let ctx = CheckContext::new(&model, &settings);
    let check = packs::builtin("dockerfile_missing_healthcheck").unwrap();
    assert!(check(&ctx).is_empty());
}

#[test]
fn every_check_has_exactly_one_rule() {
    let rules = rules();
    for (name, _) in packs::dockerfile::CHECKS {
        let n = rules
            .iter()
            .filter(|r| r.check.as_deref() == Some(name))
            .count();
        assert_eq!(n, 1, "check {name} is used by {n} rules");
    }
}

#[test]
fn healthcheck_tools_by_base_image() {
    let cases = [
        (
            "FROM debian:bookworm\nHEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"http://x/\"]\n",
            true,
        ),
        (
            "FROM alpine:3.20\nHEALTHCHECK CMD wget -q --spider http://x/ || exit 1\n",
            false,
        ),
        (
            "FROM gcr.io/distroless/base-debian12\nHEALTHCHECK CMD [\"/usr/bin/curl\", \"http://x/\"]\n",
            true,
        ),
        (
            "FROM python:3.12\nHEALTHCHECK CMD curl -f http://x/\n",
            false,
        ),
        (
            "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK CMD curl -f http://x/\n",
            false,
        ),
        (
            "FROM scratch\nCOPY --from=busybox:1.36 /bin/wget /bin/wget\nHEALTHCHECK CMD [\"/bin/wget\", \"http://x/\"]\n",
            false,
        ),
    ];
    let meta: RuleMeta = toml::from_str(
        &std::fs::read_to_string(root().join("rules/dockerfile/DF025.toml")).unwrap(),
    )
    .unwrap();
    for (text, fires) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), text).unwrap();
        let found = run(&meta, dir.path());
        assert_eq!(!found.is_empty(), fires, "{text}: {found:?}");
    }
}

#[test]
fn dockerignore_message_lists_what_would_be_sent() {
    let meta: RuleMeta = toml::from_str(
        &std::fs::read_to_string(root().join("rules/dockerfile/DF016.toml")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM node:20-slim\nCOPY . /app\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("node_modules")).unwrap();
    std::fs::write(dir.path().join(".env"), "X=1\n").unwrap();
    let found = run(&meta, dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "2:6");
    assert!(
        found[0].1.contains(".env, node_modules would be sent"),
        "{found:?}"
    );
    // A `<Dockerfile name>.dockerignore` next to it counts too, for `Dockerfile` itself
    // (discovery must not read `Dockerfile.dockerignore` as a Dockerfile: `load` asserts no
    // parse error and the check must see exactly one Dockerfile) and for a named Dockerfile.
    std::fs::write(dir.path().join("Dockerfile.dockerignore"), ".env\n").unwrap();
    let model = load(dir.path());
    assert_eq!(model.of_type("dockerfile").count(), 1);
    assert!(run(&meta, dir.path()).is_empty());
    std::fs::remove_file(dir.path().join("Dockerfile.dockerignore")).unwrap();
    std::fs::rename(
        dir.path().join("Dockerfile"),
        dir.path().join("api.Dockerfile"),
    )
    .unwrap();
    assert_eq!(run(&meta, dir.path()).len(), 1);
    std::fs::write(dir.path().join("api.Dockerfile.dockerignore"), ".env\n").unwrap();
    assert!(run(&meta, dir.path()).is_empty());
}

#[test]
fn unresolvable_values_are_unknown_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "ARG BASE\nFROM ${BASE}\nCOPY --from=${SRC} /a /a\n",
    )
    .unwrap();
    let model = load(dir.path());
    let settings = toml::Table::new();
    let ctx = CheckContext::new(&model, &settings);
    for name in [
        "dockerfile_unpinned_base_image",
        "dockerfile_copy_from_unknown_stage",
    ] {
        let verdicts = packs::builtin(name).unwrap()(&ctx);
        assert_eq!(verdicts.len(), 1, "{name}: {verdicts:?}");
        assert!(
            matches!(verdicts[0], Verdict::Unknown { .. }),
            "{name}: {verdicts:?}"
        );
    }
}

#[test]
fn package_size_data_is_well_formed() {
    let text = std::fs::read_to_string(root().join("rules/data/package-sizes.toml")).unwrap();
    let data: toml::Table = toml::from_str(&text).unwrap();
    assert!(
        data["meta"]["source"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let apt = data["apt"].as_array().unwrap();
    assert!(apt.len() >= 30);
    for entry in apt {
        let own = entry["installed_kib"].as_integer().unwrap();
        let total = entry["with_deps_kib"].as_integer().unwrap();
        assert!(total >= own, "{entry:?}");
        assert!(!entry["packages"].as_array().unwrap().is_empty());
        assert!(entry["version"].as_str().is_some());
    }
}

#[test]
fn dockerignore_at_the_repository_root_makes_the_context_unknown() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::write(repo.path().join(".dockerignore"), ".git\n").unwrap();
    let sub = repo.path().join("docker");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("Dockerfile"), "FROM node:20-slim\nCOPY . /app\n").unwrap();
    let model = load(&sub);
    let settings = toml::Table::new();
    let ctx = CheckContext::new(&model, &settings);
    let verdicts = packs::builtin("dockerfile_copy_context_without_dockerignore").unwrap()(&ctx);
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert!(
        matches!(&verdicts[0], Verdict::Unknown { reason, .. } if reason.contains(".dockerignore")),
        "{verdicts:?}"
    );
}

/// Exec-form `RUN ["pip", "install", …]` and `RUN ["sh", "-c", "…"]` are checked like shell
/// form, at the word's position.
#[test]
fn exec_form_run_is_checked_like_shell_form() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        concat!(
            "FROM python:3.12-slim\n",
            "RUN [\"pip\", \"install\", \"flask\"]\n",
            "RUN [\"/bin/sh\", \"-c\", \"apt-get update && apt-get install -y curl\"]\n",
            "RUN [\"sudo\", \"pip\", \"install\", \"--no-cache-dir\", \"gunicorn\"]\n",
            "USER 10001\n",
        ),
    )
    .unwrap();
    let by_id = |id: &str| -> Vec<String> {
        let meta: RuleMeta = toml::from_str(
            &std::fs::read_to_string(root().join(format!("rules/dockerfile/{id}.toml"))).unwrap(),
        )
        .unwrap();
        run(&meta, dir.path())
            .into_iter()
            .map(|(at, _)| at)
            .collect()
    };
    assert_eq!(by_id("DF011"), ["2:6"]);
    assert_eq!(by_id("DF008"), ["3:42"]);
    assert_eq!(by_id("DF009"), ["3:42"]);
    assert_eq!(by_id("DF014"), ["4:6"]);
}
