//! `docs/rules/` is generated from `rules/`: this test fails when they drift.
//! Regenerate with `INFRALINT_BLESS=1 cargo test --test rules_docs`.

use std::collections::BTreeSet;
use std::path::Path;

use infralint::rules::{docs, load};

#[test]
fn docs_match_rules() {
    let registry = load::builtin_registry();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let generated = docs::generate(registry);
    let bless = std::env::var_os("INFRALINT_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                if e.path().extension().is_some_and(|x| x == "md") {
                    std::fs::remove_file(e.path()).unwrap();
                }
            }
        }
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut problems = Vec::new();
    for (name, text) in &generated {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *text => {}
            Ok(_) => problems.push(format!("docs/rules/{name} is out of date")),
            Err(_) => problems.push(format!("docs/rules/{name} is missing")),
        }
    }
    let expected: BTreeSet<&str> = generated.iter().map(|(n, _)| n.as_str()).collect();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".md") && !expected.contains(name.as_str()) {
            problems.push(format!("docs/rules/{name} has no rule file in rules/"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nRegenerate with: INFRALINT_BLESS=1 cargo test --test rules_docs",
        problems.join("\n")
    );
}

#[test]
fn explain_renders_the_docs_page() {
    let registry = load::builtin_registry();
    let rule = registry.find_rule("parse-error").unwrap();
    let page = docs::rule_page(rule);
    assert!(page.starts_with("# IL0001: File does not parse\n"));
    let plain = docs::render_plain(&page);
    assert!(plain.starts_with("IL0001: File does not parse\n====="));
    assert!(!plain.contains("```"));
    assert!(plain.contains("Slug:               parse-error"));
}
