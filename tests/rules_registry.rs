//! One source of truth: the registry is exactly the `rules/` files, the core rules agree with
//! `CoreCode`, every built-in check is referenced by exactly one rule, and bad rule files are
//! reported with file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use infralint::diagnostic::CoreCode;
use infralint::rules::load::{self, BUILTIN_RULE_FILES, PACKS};
use infralint::rules::packs;
use infralint::rules::registry::RuleImpl;

fn rule_files_on_disk() -> BTreeSet<String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                // rules/data/ holds lookup tables for checks, not rule files.
                if p.file_name().is_some_and(|n| n != "data") {
                    walk(&p, root, out);
                }
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.insert(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeSet::new();
    walk(&root.join("rules"), root, &mut out);
    out
}

#[test]
fn registry_is_the_rules_directory() {
    let registry = load::builtin_registry();
    let embedded: BTreeSet<String> = BUILTIN_RULE_FILES
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(
        embedded,
        rule_files_on_disk(),
        "rebuild: embedded rule files differ from rules/"
    );
    let origins: BTreeSet<String> = registry.rules().iter().map(|r| r.origin.clone()).collect();
    assert_eq!(origins, embedded);
    for r in registry.rules() {
        // rules/<pack>/<ID>.toml
        assert_eq!(
            r.origin,
            format!("rules/{}/{}.toml", r.meta.pack, r.meta.id),
            "rule files live at rules/<pack>/<ID>.toml"
        );
        assert!(!matches!(r.imp, RuleImpl::Invalid(_)), "{}", r.meta.id);
        assert!(PACKS.iter().any(|(p, _)| *p == r.meta.pack));
    }
}

#[test]
fn core_rules_agree_with_core_codes() {
    let registry = load::builtin_registry();
    let core: Vec<_> = registry
        .rules()
        .iter()
        .filter(|r| {
            r.meta.pack == "core"
                && ![
                    infralint::suppress::MISSING_REASON_ID,
                    infralint::suppress::UNUSED_ID,
                ]
                .contains(&r.meta.id.as_str())
        })
        .collect();
    assert_eq!(core.len(), CoreCode::ALL.len());
    for code in CoreCode::ALL {
        let r = registry
            .find_rule(code.id())
            .unwrap_or_else(|| panic!("no rule for {}", code.id()));
        assert_eq!(r.meta.slug, code.slug(), "{}", code.id());
        assert_eq!(r.meta.severity, code.severity(), "{}", code.id());
        assert!(matches!(r.imp, RuleImpl::Core), "{}", code.id());
        assert!(r.meta.default_enabled);
    }
}

#[test]
fn every_builtin_check_is_referenced_exactly_once() {
    let registry = load::builtin_registry();
    let mut uses: BTreeMap<&str, usize> = packs::all().map(|(n, _)| (*n, 0)).collect();
    for r in registry.rules() {
        if let Some(name) = &r.meta.check {
            if name == "core" {
                continue;
            }
            assert!(
                packs::builtin(name).is_some(),
                "{}: dangling check `{name}`",
                r.meta.id
            );
            *uses.get_mut(name.as_str()).unwrap() += 1;
        }
    }
    let wrong: Vec<String> = uses
        .iter()
        .filter(|(_, n)| **n != 1)
        .map(|(name, n)| format!("built-in `{name}` is referenced by {n} rules"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let names: Vec<_> = packs::all().map(|(n, _)| *n).collect();
    let unique: BTreeSet<_> = names.iter().collect();
    assert_eq!(names.len(), unique.len(), "duplicate built-in names");
}

const GOOD: &str = r#"id = "ACME001"
slug = "acme-thing"
pack = "acme"
severity = "low"
title = "T"
description = "D"
remediation = "R"
[example]
language = "hcl"
bad = ""
good = ""
[condition]
resource = "aws_s3_bucket"
"#;

fn err(text: &str, builtin: bool) -> String {
    load::from_sources(vec![("x/ACME001.toml".into(), text.into(), builtin)])
        .unwrap_err()
        .to_string()
}

#[test]
fn bad_rule_files_name_file_line_and_column() {
    assert!(load::from_sources(vec![("x/ACME001.toml".into(), GOOD.into(), false)]).is_ok());

    let e = err(
        &GOOD.replace("severity = \"low\"", "severity = \"urgent\""),
        false,
    );
    assert!(
        e.starts_with("invalid rule file x/ACME001.toml:4:12:"),
        "{e}"
    );
    assert!(e.contains("urgent"), "{e}");

    let e = err(
        &GOOD.replace("title = \"T\"", "title = \"T\"\ncolour = 1"),
        false,
    );
    assert!(
        e.starts_with("invalid rule file x/ACME001.toml:6:1:"),
        "{e}"
    );
    assert!(e.contains("colour"), "{e}");

    let e = err(&GOOD.replace("title = \"T\"", "title = \"T"), false);
    assert!(e.contains("x/ACME001.toml:5:"), "{e}");

    let e = err(
        &GOOD.replace("slug = \"acme-thing\"", "slug = \"Acme_Thing\""),
        false,
    );
    assert!(e.contains("x/ACME001.toml:2:8: bad slug"), "{e}");

    let e = err(
        &GOOD
            .replace("[condition]\nresource = \"aws_s3_bucket\"\n", "")
            .replace("[example]", "check = \"nope\"\n[example]"),
        false,
    );
    assert!(
        e.contains("x/ACME001.toml:8:9: no built-in check is called `nope`"),
        "{e}"
    );

    let e = err(&format!("{GOOD}\n"), true);
    assert!(e.contains("unknown pack `acme`"), "{e}");

    let e = err(&GOOD.replace("ACME001", "SG001"), false);
    assert!(
        e.contains("belongs to the built-in `security-groups` pack"),
        "{e}"
    );

    let e = err(
        &GOOD.replace("[condition]\nresource = \"aws_s3_bucket\"\n", ""),
        false,
    );
    assert!(e.contains("needs `check"), "{e}");

    let e = err(
        &GOOD.replace("[example]", "check = \"core\"\n[example]"),
        false,
    );
    assert!(e.contains("either `check` or `condition`"), "{e}");
}

#[test]
fn duplicates_are_errors() {
    let e = load::from_sources(vec![
        ("a/ACME001.toml".into(), GOOD.into(), false),
        ("b/ACME001.toml".into(), GOOD.into(), false),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("b/ACME001.toml:1:6: duplicate rule ID `ACME001` (also in a/ACME001.toml)"),
        "{e}"
    );
    assert!(
        e.contains("b/ACME001.toml:2:8: duplicate slug `acme-thing`"),
        "{e}"
    );
}
