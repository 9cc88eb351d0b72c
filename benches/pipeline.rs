//! Micro-benchmarks of each stage of a run, over the repository's own fixtures (`examples/` and
//! `tests/fixtures/seeds/`), so `cargo bench` needs nothing outside the repository:
//!
//! - `parse/terraform`, `parse/dockerfile`, `parse/workflow`: text → AST / objects, every file of
//!   that kind once (the text is read before timing starts);
//! - `evaluate/roots`: every root module evaluated from already-parsed files;
//! - `rules/all_packs`: every rule (`--select ALL`) over the evaluated model;
//! - `cost/estimate`: the cost engine with the bundled prices over the same model;
//! - `corpus/check`: the whole library pipeline (discover → … → findings) over
//!   `../shared/bench-corpus` when that directory exists (skipped with a note otherwise).

use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};

use infralint::discover::{self, DiscoverOptions};
use infralint::eval::{self, EvalOptions, ModuleFiles};
use infralint::ir::Model;
use infralint::parse::{self, terraform};
use infralint::pipeline::{self, LoadOptions, module_dir};
use infralint::pricing::{self, CostOptions};
use infralint::rules::engine::{self, Selection};
use infralint::source::{FileId, FileKind, SourceFile, SourceMap};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture trees the benches run on.
fn fixture_paths() -> Vec<PathBuf> {
    let root = manifest_dir();
    vec![root.join("examples"), root.join("tests/fixtures/seeds")]
}

/// Every discovered fixture file, read into memory (file IDs in discovery order).
fn read_fixtures() -> Vec<SourceFile> {
    let found = discover::discover(&fixture_paths(), &DiscoverOptions::default())
        .expect("the fixture directories exist");
    found
        .iter()
        .enumerate()
        .map(|(i, f)| parse::read_source(FileId(i as u32), f).0)
        .collect()
}

fn of_kinds<'a>(files: &'a [SourceFile], kinds: &[FileKind]) -> Vec<&'a SourceFile> {
    let out: Vec<&SourceFile> = files.iter().filter(|f| kinds.contains(&f.kind)).collect();
    assert!(!out.is_empty(), "no fixture of kinds {kinds:?}");
    out
}

fn load_options(paths: Vec<PathBuf>) -> LoadOptions {
    LoadOptions {
        paths,
        discover: DiscoverOptions::default(),
        eval: EvalOptions {
            allowed_roots: vec![manifest_dir()],
            ..EvalOptions::default()
        },
    }
}

fn loaded_model() -> Model {
    pipeline::load(&load_options(fixture_paths())).expect("the fixtures load")
}

fn bench_parsers(c: &mut Criterion) {
    let files = read_fixtures();
    let mut group = c.benchmark_group("parse");
    let tf = of_kinds(
        &files,
        &[
            FileKind::Terraform,
            FileKind::TerraformJson,
            FileKind::Tfvars,
            FileKind::TfvarsJson,
        ],
    );
    group.bench_function("terraform", |b| {
        b.iter(|| {
            for f in &tf {
                let _ = black_box(terraform::parse(f));
            }
        })
    });
    let docker = of_kinds(&files, &[FileKind::Dockerfile]);
    group.bench_function("dockerfile", |b| {
        b.iter(|| {
            for f in &docker {
                black_box(parse::dockerfile::parse(f));
            }
        })
    });
    let workflows = of_kinds(&files, &[FileKind::Workflow, FileKind::Action]);
    group.bench_function("workflow", |b| {
        b.iter(|| {
            for f in &workflows {
                black_box(parse::workflow::parse(f));
            }
        })
    });
    group.finish();
}

fn bench_evaluator(c: &mut Criterion) {
    let files: Vec<Arc<SourceFile>> = read_fixtures().into_iter().map(Arc::new).collect();
    let parsed: Vec<(FileId, PathBuf, terraform::TfFile)> = files
        .iter()
        .filter(|f| f.kind.is_terraform())
        .filter_map(|f| {
            let tf = terraform::parse(f).ok()?;
            Some((f.id, module_dir(&f.path), tf))
        })
        .collect();
    let mut modules: ModuleFiles<'_> = HashMap::new();
    for (id, dir, tf) in &parsed {
        modules.entry(dir.clone()).or_default().push((*id, tf));
    }
    // Roots: module directories no other fixture directory calls as a local module (what
    // `pipeline::load` picks, minus its handling of cycles, which the fixtures do not have).
    let called: BTreeSet<PathBuf> = parsed
        .iter()
        .flat_map(|(_, dir, tf)| {
            terraform::local_module_sources(tf)
                .into_iter()
                .map(move |s| discover::normalize(&dir.join(s)))
        })
        .collect();
    let roots: Vec<&PathBuf> = modules
        .keys()
        .filter(|d| !called.contains(*d))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(!roots.is_empty());
    let sources = SourceMap::new(files);
    let options = EvalOptions {
        allowed_roots: vec![manifest_dir()],
        ..EvalOptions::default()
    };
    c.bench_function("evaluate/roots", |b| {
        b.iter(|| {
            for root in &roots {
                black_box(eval::evaluate_root(root, &modules, &sources, &options));
            }
        })
    });
}

fn bench_rules(c: &mut Criterion) {
    let model = loaded_model();
    let registry = infralint::rules::load::builtin_registry();
    let settings = toml::Table::new();
    let selection = Selection::all();
    c.bench_function("rules/all_packs", |b| {
        b.iter(|| {
            black_box(
                engine::run(&model, registry, &settings, &selection)
                    .expect("the embedded rules are valid"),
            )
        })
    });
}

fn bench_cost(c: &mut Criterion) {
    let model = loaded_model();
    let options = CostOptions::default();
    c.bench_function("cost/estimate", |b| {
        b.iter(|| black_box(pricing::estimate(&model, &options)))
    });
}

fn bench_corpus(c: &mut Criterion) {
    let corpus = manifest_dir().join("../shared/bench-corpus");
    if !Path::new(&corpus).is_dir() {
        eprintln!(
            "corpus/check skipped: {} is absent (see docs/performance.md)",
            corpus.display()
        );
        return;
    }
    let options = load_options(vec![corpus]);
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.bench_function("check", |b| {
        b.iter(|| {
            let model = pipeline::load(&options).expect("the corpus loads");
            black_box(infralint::check(model))
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_parsers,
    bench_evaluator,
    bench_rules,
    bench_cost,
    bench_corpus
);
criterion_main!(benches);
