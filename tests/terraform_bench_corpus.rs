//! Every Terraform file of the shared bench corpus loads without parse or evaluation errors.

use std::path::Path;

use infralint::diagnostic::CoreCode;
use infralint::pipeline::{self, LoadOptions};

#[test]
fn bench_corpus_loads_without_errors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench-corpus/terraform");
    if !corpus.is_dir() {
        println!("note: {} is absent; skipping", corpus.display());
        return;
    }
    let options = LoadOptions {
        paths: vec![corpus],
        ..LoadOptions::default()
    };
    let model = pipeline::load(&options).expect("corpus loads");
    let files = model
        .sources
        .iter()
        .filter(|f| f.kind.is_terraform())
        .count();
    let errors: Vec<String> = model
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                CoreCode::ParseError | CoreCode::EvalError | CoreCode::UnreadableFile
            )
        })
        .map(|d| {
            let loc = model.sources.locate(d.span);
            format!("{}:{}:{}: {}", loc.file, loc.line, loc.column, d.message)
        })
        .collect();
    let remote = model
        .diagnostics
        .iter()
        .filter(|d| d.code == CoreCode::RemoteModule)
        .count();
    println!(
        "bench corpus: {files} Terraform files, {} objects, {remote} remote module calls, {} diagnostics",
        model.objects.len(),
        model.diagnostics.len()
    );
    assert!(errors.is_empty(), "errors:\n{}", errors.join("\n"));
    assert!(files > 100, "only {files} files found");
    assert!(!model.objects.is_empty());
}
