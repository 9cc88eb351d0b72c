//! Every workflow and action under `../shared/bench-corpus/workflows/` parses without a
//! diagnostic. Skipped (with a note) when the shared corpus is not checked out.

use std::path::Path;

use infralint::ir::ObjectKind;
use infralint::pipeline::{self, LoadOptions};
use infralint::rules::{CheckContext, Verdict, packs};

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
    // Every workflow check runs over the corpus; counts are printed for review
    // (`INFRALINT_SHOW_FINDINGS=1` prints each finding).
    let settings = toml::Table::new();
    let ctx = CheckContext::new(&model, &settings);
    let show = std::env::var_os("INFRALINT_SHOW_FINDINGS").is_some();
    for (name, check) in packs::workflow::CHECKS {
        let verdicts = check(&ctx);
        let fails = verdicts
            .iter()
            .filter(|v| matches!(v, Verdict::Fail { .. }))
            .count();
        eprintln!(
            "  {name}: {fails} findings, {} unknown",
            verdicts.len() - fails
        );
        if show {
            for v in &verdicts {
                if let Verdict::Fail { span, message, .. } = v {
                    let l = model.sources.locate(*span);
                    eprintln!("    {}:{}:{}: {message}", l.file, l.line, l.column);
                }
            }
        }
    }
}
