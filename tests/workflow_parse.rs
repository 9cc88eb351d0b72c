//! Workflow parsing through the whole pipeline: a broken file gives IL0001 at the parser's
//! line and column, and the other files are still read.

use infralint::diagnostic::CoreCode;
use infralint::ir::ObjectKind;
use infralint::pipeline::{self, LoadOptions};

#[test]
fn broken_workflow_reports_il0001_and_the_run_goes_on() {
    // Not `.tmp…`: discovery skips hidden directories given as children.
    let dir = tempfile::Builder::new().prefix("wf").tempdir().unwrap();
    let wf = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    std::fs::write(
        wf.join("broken.yml"),
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo a: b\n",
    )
    .unwrap();
    std::fs::write(
        wf.join("ok.yaml"),
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n",
    )
    .unwrap();
    let action = dir.path().join(".github/actions/setup");
    std::fs::create_dir_all(&action).unwrap();
    std::fs::write(
        action.join("action.yml"),
        "name: Setup\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n",
    )
    .unwrap();

    let model = pipeline::load(&LoadOptions {
        paths: vec![dir.path().to_path_buf()],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(model.diagnostics.len(), 1, "{:?}", model.diagnostics);
    let d = &model.diagnostics[0];
    assert_eq!(d.code, CoreCode::ParseError);
    let loc = model.sources.locate(d.span);
    assert!(loc.file.ends_with("broken.yml"), "{loc:?}");
    assert!(d.message.starts_with("invalid YAML: "), "{}", d.message);
    // `echo a: b` is a plain scalar followed by a second `: `.
    assert_eq!((loc.line, loc.column), (6, 20), "{}", d.message);

    let kinds: Vec<ObjectKind> = model.objects.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == ObjectKind::Workflow).count(),
        1
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == ObjectKind::Action).count(),
        1
    );
    assert_eq!(kinds.iter().filter(|k| **k == ObjectKind::Step).count(), 2);
    // Parents point at objects of the same file after the pipeline merged the lists.
    for o in &model.objects {
        if let Some(p) = o.parent {
            assert_eq!(model.objects[p].scope, o.scope);
        }
    }
}
