//! Every TOML block of `docs/custom-rules.md` loads: whole rule files as they are, `[condition]`
//! fragments inside a minimal rule. The example rules in `tests/fixtures/custom-rules/` load.

use infralint::rules::load;

const DOC: &str = include_str!("../docs/custom-rules.md");

fn toml_blocks(md: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in md.lines().enumerate() {
        match &mut current {
            None if line.trim() == "```toml" => current = Some((i + 2, String::new())),
            Some(_) if line.trim() == "```" => out.push(current.take().unwrap()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    out
}

const HEADER: &str = r#"id = "DOC001"
slug = "doc-example"
pack = "doc"
severity = "low"
title = "Example"
description = "d"
remediation = "r"
[example]
language = "hcl"
bad = ""
good = ""
"#;

#[test]
fn doc_examples_load() {
    let blocks = toml_blocks(DOC);
    assert!(blocks.len() >= 5, "found {} toml blocks", blocks.len());
    for (line, text) in blocks {
        let file = if text.starts_with("id =") {
            text
        } else {
            format!("{HEADER}{text}")
        };
        if let Err(e) =
            load::from_sources(vec![(format!("docs/custom-rules.md:{line}"), file, false)])
        {
            panic!("example at docs/custom-rules.md line {line} does not load:\n{e}");
        }
    }
}

#[test]
fn example_user_rules_load() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-rules");
    let registry = load::load_registry(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let acme: Vec<_> = registry.iter().filter(|r| r.pack == "acme").collect();
    assert_eq!(acme.len(), 4);
    assert!(
        registry
            .rules()
            .iter()
            .filter(|r| r.meta.pack == "acme")
            .all(|r| !r.builtin)
    );
}
