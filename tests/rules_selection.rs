//! Which rules run: default_enabled, --select / --extend-select / --ignore by ID, slug, alias,
//! pack or ALL; core rules stay on unless ignored.

use std::collections::BTreeSet;

use infralint::rules::engine::Selection;
use infralint::rules::load;

fn rule(id: &str, slug: &str, default_enabled: bool, aliases: &str) -> (String, String, bool) {
    (
        format!("u/{id}.toml"),
        format!(
            r#"id = "{id}"
slug = "{slug}"
pack = "{pack}"
severity = "low"
title = "T"
description = "D"
remediation = "R"
aliases = [{aliases}]
default_enabled = {default_enabled}
[condition]
resource = "aws_s3_bucket"
[example]
language = "hcl"
bad = ""
good = ""
"#,
            pack = if id.starts_with("ACME") {
                "acme"
            } else {
                "other"
            }
        ),
        false,
    )
}

fn ids(set: BTreeSet<String>) -> Vec<String> {
    // Only the test's own rules: the embedded packs change as rules are added.
    set.into_iter()
        .filter(|id| id.starts_with("ACME") || id.starts_with("OTHER"))
        .collect()
}

#[test]
fn selection_semantics() {
    let mut sources = load::builtin_sources();
    sources.extend([
        rule("ACME001", "acme-one", true, "\"CKV_AWS_1\""),
        rule("ACME002", "acme-two", false, ""),
        rule("OTHER001", "other-one", true, ""),
    ]);
    let registry = load::from_sources(sources).unwrap();
    let resolve = |s: Selection| ids(s.resolve(&registry).unwrap());
    assert_eq!(resolve(Selection::default()), ["ACME001", "OTHER001"]);
    assert_eq!(
        resolve(Selection::all()),
        ["ACME001", "ACME002", "OTHER001"]
    );
    let sel = |select: &[&str], extend: &[&str], ignore: &[&str]| Selection {
        select: select.iter().map(|s| s.to_string()).collect(),
        extend_select: extend.iter().map(|s| s.to_string()).collect(),
        ignore: ignore.iter().map(|s| s.to_string()).collect(),
    };
    assert_eq!(resolve(sel(&["acme"], &[], &[])), ["ACME001", "ACME002"]);
    assert_eq!(resolve(sel(&["CKV_AWS_1"], &[], &[])), ["ACME001"]);
    assert_eq!(
        resolve(sel(&[], &["acme-two"], &[])),
        ["ACME001", "ACME002", "OTHER001"]
    );
    assert_eq!(resolve(sel(&["ALL"], &[], &["acme"])), ["OTHER001"]);
    assert_eq!(resolve(sel(&[], &[], &["CKV_AWS_1"])), ["OTHER001"]);

    // Core rules stay on with --select, go away only when ignored.
    let core = |s: Selection| {
        s.resolve(&registry)
            .unwrap()
            .into_iter()
            .filter(|i| i.starts_with("IL"))
            .count()
    };
    assert_eq!(core(sel(&["acme"], &[], &[])), 9);
    assert_eq!(core(sel(&[], &[], &["core"])), 0);
    // IL0101 (unused suppression) is opt-in, so 9 core rules minus IL0101 and IL0001.
    assert_eq!(core(sel(&[], &[], &["parse-error"])), 7);

    let err = sel(&["nope"], &[], &[]).resolve(&registry).unwrap_err();
    assert!(
        err.contains("`nope` is not a rule ID, slug, alias or pack"),
        "{err}"
    );
}
