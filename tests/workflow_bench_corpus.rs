//! Every workflow and action under `../shared/bench-corpus/workflows/` parses without a
//! diagnostic. Skipped (with a note) when the shared corpus is not checked out.

use std::path::Path;

use infralint::ir::ObjectKind;
use infralint::pipeline::{self, LoadOptions};

#[test]
fn bench_corpus_workflows_parse_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench-corpus/workflows");
    if !root.is_dir() {
        eprintln!(
            "note: {} not found; skipping the workflow corpus test",
            root.display()
        );
        return;
    }
    let model = pipeline::load(&LoadOptions {
        paths: vec![root],
        ..Default::default()
    })
    .expect("discovery");
    let diags: Vec<String> = model
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", model.sources.locate(d.span).file, d.message))
        .collect();
    assert!(diags.is_empty(), "diagnostics: {diags:#?}");
    let count = |k: ObjectKind| model.objects.iter().filter(|o| o.kind == k).count();
    let (workflows, actions, jobs, steps) = (
        count(ObjectKind::Workflow),
        count(ObjectKind::Action),
        count(ObjectKind::Job),
        count(ObjectKind::Step),
    );
    eprintln!(
        "bench corpus: {} files, {workflows} workflows, {actions} actions, {jobs} jobs, {steps} steps",
        model.sources.len()
    );
    assert_eq!(workflows + actions, model.sources.len());
    assert!(workflows >= 40 && jobs > workflows && steps > jobs);
    for o in &model.objects {
        if o.kind == ObjectKind::Step {
            let parent = &model.objects[o.parent.expect("steps have a parent")];
            assert!(matches!(parent.kind, ObjectKind::Job | ObjectKind::Action));
            assert_eq!(parent.scope, o.scope);
        }
    }
}
