//! Every Dockerfile of the shared bench corpus parses without diagnostics.

use std::path::{Path, PathBuf};

use infralint::ir::Value;
use infralint::parse::dockerfile;
use infralint::source::{FileId, FileKind, SourceFile};

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            dockerfiles(&p, out);
        } else if p.file_name().is_some_and(|n| n == "Dockerfile") {
            out.push(p);
        }
    }
}

#[test]
fn bench_corpus_dockerfiles_parse_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench-corpus/docker");
    if !root.is_dir() {
        println!("note: {} is absent; skipping", root.display());
        return;
    }
    let mut files = Vec::new();
    dockerfiles(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no Dockerfile under the bench corpus");
    let (mut stages, mut instructions, mut commands) = (0, 0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let display = path.strip_prefix(&root).unwrap().display().to_string();
        let f = SourceFile::new(
            FileId(0),
            path.clone(),
            display.clone(),
            FileKind::Dockerfile,
            text.into(),
        );
        let (objects, diags) = dockerfile::parse(&f);
        assert!(diags.is_empty(), "{display}: {diags:?}");
        assert!(objects.len() >= 2, "{display}: no stage");
        for st in &objects[1..] {
            stages += 1;
            for i in st.attr("instructions").and_then(Value::as_list).unwrap() {
                instructions += 1;
                commands += i
                    .get("commands")
                    .and_then(Value::as_list)
                    .map_or(0, <[Value]>::len);
            }
        }
    }
    println!(
        "bench corpus: {} Dockerfiles, {stages} stages, {instructions} instructions, {commands} shell commands, 0 diagnostics",
        files.len()
    );
}

/// Runs the whole `dockerfile` pack over the corpus and prints counts per check. The official
/// python images are careful about hygiene (caches, pinning, exec form), so only the checks for
/// choices they leave to the user (USER, HEALTHCHECK, digest pinning) may fire, and pipelines
/// run without pipefail (true findings: `find … | … | xargs apk add` in the build RUN, see
/// `docs/comparisons/hadolint-dockerfile.md`): anything else is a false positive.
#[test]
fn pack_runs_over_the_bench_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench-corpus/docker");
    if !root.is_dir() {
        println!("note: {} is absent; skipping", root.display());
        return;
    }
    let model = infralint::pipeline::load(&infralint::pipeline::LoadOptions {
        paths: vec![root],
        ..Default::default()
    })
    .unwrap();
    let settings = toml::Table::new();
    let ctx = infralint::rules::CheckContext::new(&model, &settings);
    let allowed = [
        "dockerfile_root_user",
        "dockerfile_missing_healthcheck",
        "dockerfile_base_image_not_digest_pinned",
        "dockerfile_pipe_without_pipefail",
    ];
    let mut unexpected = Vec::new();
    for (name, check) in infralint::rules::packs::dockerfile::CHECKS {
        let verdicts = check(&ctx);
        println!("{name}: {}", verdicts.len());
        if let Some(infralint::rules::Verdict::Fail { span, message, .. }) = verdicts.first() {
            let loc = model.sources.locate(*span);
            println!("  e.g. {}:{}:{} {message}", loc.file, loc.line, loc.column);
            if !allowed.contains(name) {
                unexpected.push(format!("{name}: {}:{} {message}", loc.file, loc.line));
            }
        }
    }
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}
