//! Shared harness for the integration tests that run the rule engine on a fixture tree (the seed
//! stacks under `tests/fixtures/seeds/<name>/`, `examples/`, a rule fixture): where the trees
//! are, loading one, running the built-in rules on it, and rendering a finding as
//! `(rule, path:line, address)` with the path relative to the tree. Also: a hand-built model
//! over one `main.tf`, running the `infralint` binary, and the cost reports' snapshots.
//!
//! A test crate uses it with `mod common;`.

// Every test crate compiles its own copy of this module and uses a different subset of it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use infralint::eval::EvalOptions;
use infralint::finding::Finding;
use infralint::ir::{Model, Object};
use infralint::pipeline::{self, LoadOptions};
use infralint::rules::Registry;
use infralint::rules::engine::{self, EngineOutput, Selection};
use infralint::rules::load;
use infralint::source::{FileId, FileKind, SourceFile, SourceMap, Span};

/// The repository root (the directory of `Cargo.toml`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed stack `tests/fixtures/seeds/<name>/`.
pub fn seed(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/seeds").join(name)
}

/// Loads the tree at `dir`, as `infralint check <dir>` does, with evaluation allowed to read
/// files under `dir` only. Panics (naming `dir`) if the tree cannot be loaded.
pub fn load_tree(dir: &Path) -> Model {
    pipeline::load(&LoadOptions {
        paths: vec![dir.to_path_buf()],
        eval: EvalOptions {
            allowed_roots: vec![dir.to_path_buf()],
            ..EvalOptions::default()
        },
        ..LoadOptions::default()
    })
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// A hand-built model: `objects` over one Terraform file, `main.tf`, holding `text` (what the
/// objects' spans point into; `FileId(0)`).
pub fn main_tf_model(text: &str, objects: Vec<Object>) -> Model {
    let file = SourceFile::new(
        FileId(0),
        "main.tf".into(),
        "main.tf".into(),
        FileKind::Terraform,
        text.into(),
    );
    Model::new(SourceMap::new(vec![Arc::new(file)]), objects, Vec::new())
}

/// The built-in rules (no custom rule directories).
pub fn builtin_registry() -> Registry {
    load::load_registry(&[]).unwrap()
}

/// Runs the built-in rules chosen by `selection` over `model`, with `settings` (the
/// configuration file's tables).
pub fn run_rules(model: &Model, settings: &toml::Table, selection: &Selection) -> EngineOutput {
    engine::run(model, &builtin_registry(), settings, selection).unwrap()
}

/// Every rule of `pack`, opt-in ones included (`--select <pack>`).
pub fn whole_pack(pack: &str) -> Selection {
    Selection {
        select: vec![pack.to_string()],
        ..Selection::default()
    }
}

/// The rules of `pack` that are enabled by default: its opt-in rules stay off, as for a user
/// without a configuration.
pub fn pack_defaults(pack: &str) -> Selection {
    let opt_in = builtin_registry()
        .iter()
        .filter(|r| r.pack == pack && !r.default_enabled)
        .map(|r| r.id.clone())
        .collect();
    Selection {
        ignore: opt_in,
        ..whole_pack(pack)
    }
}

/// `path:line` of `span`'s start, the path relative to `dir` (the tree `model` was loaded
/// from) with `/` separators.
pub fn location(model: &Model, dir: &Path, span: Span) -> String {
    let file = model.sources.get(span.file);
    let line = file.line_col(span.start).line;
    let path = file.path.strip_prefix(dir).unwrap_or(&file.path);
    format!("{}:{line}", path.to_string_lossy().replace('\\', "/"))
}

/// A finding (or undecided item) as `(rule, path:line, address)`; no address is `""`.
pub type Row = (String, String, String);

/// `rule`, `span` and `address` as a [`Row`], the location relative to `dir`.
pub fn row(model: &Model, dir: &Path, rule: &str, span: Span, address: &Option<String>) -> Row {
    (
        rule.to_string(),
        location(model, dir, span),
        address.clone().unwrap_or_default(),
    )
}

/// `finding` as a [`Row`], the location relative to `dir`.
pub fn finding_row(model: &Model, dir: &Path, finding: &Finding) -> Row {
    row(model, dir, &finding.rule_id, finding.span, &finding.address)
}

/// Asserts that `got` is exactly `expected` (reporting what is missing and what is
/// unexpected) and that no rule in `never` (a practice the seed's README calls correct) is in
/// it. `label` names the tree in the messages.
pub fn assert_rows(
    label: &str,
    got: &BTreeSet<Row>,
    expected: &[(&str, &str, &str)],
    never: &[&str],
) {
    let want: BTreeSet<Row> = expected
        .iter()
        .map(|(r, l, a)| (r.to_string(), l.to_string(), a.to_string()))
        .collect();
    let missing: Vec<_> = want.difference(got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{label}: missing {missing:#?}\nunexpected {extra:#?}"
    );
    for id in never {
        assert!(
            got.iter().all(|(r, _, _)| r != id),
            "{label}: {id} must not fire (README: correct practice)"
        );
    }
}

/// Findings of `pack`'s default-enabled rules on the tree at `dir`, which must load without
/// diagnostics.
pub fn pack_default_rows(pack: &str, dir: &Path) -> BTreeSet<Row> {
    let model = load_tree(dir);
    let out = run_rules(&model, &toml::Table::new(), &pack_defaults(pack));
    assert!(
        model.diagnostics.is_empty(),
        "{}: {:?}",
        dir.display(),
        model.diagnostics
    );
    out.findings
        .iter()
        .filter(|f| f.pack == pack)
        .map(|f| finding_row(&model, dir, f))
        .collect()
}

/// Asserts that `pack`'s default-enabled rules on the seed `name` find exactly `expected` and
/// none of the rules in `never` (see [`assert_rows`]); returns the findings.
pub fn check_seed_pack(
    pack: &str,
    name: &str,
    expected: &[(&str, &str, &str)],
    never: &[&str],
) -> BTreeSet<Row> {
    let got = pack_default_rows(pack, &seed(name));
    assert_rows(name, &got, expected, never);
    got
}

/// Runs the `infralint` binary in `dir` (relative to the repository root, where integration
/// tests run) with `args`; asserts that it exits 0 (printing its stderr otherwise) and returns
/// its stdout.
pub fn infralint_ok(dir: impl AsRef<Path>, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Asserts `text` against the snapshot `name`; the cost reports' snapshots live with the cost
/// fixtures, in `tests/fixtures/cost/snapshots/<name>.snap`.
pub fn cost_snapshot(name: &str, text: String) {
    // insta resolves `snapshot_path` from this file's directory (`tests/common/`).
    insta::with_settings!({snapshot_path => "../fixtures/cost/snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}
