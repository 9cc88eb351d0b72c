#![no_main]
//! The whole library pipeline (discover → read → parse → local modules → evaluate → rules →
//! cost → reports) on a small tree never panics or hangs.
//!
//! The input is split at `0xFF` bytes (never valid UTF-8, so never inside a text file) into up
//! to four files: `main.tf`, `Dockerfile`, `.github/workflows/ci.yml` and `modules/m/main.tf`
//! (a local module `main.tf` can call with `source = "./modules/m"`). Missing parts are empty
//! files; non-UTF-8 parts exercise the unreadable-file path.

use std::path::PathBuf;
use std::sync::OnceLock;

use infralint::eval::EvalOptions;
use infralint::pipeline::{self, LoadOptions};
use infralint::pricing::{self, CostOptions};
use infralint::report::{self, Report, ReportOptions};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 4] = [
    "main.tf",
    "Dockerfile",
    ".github/workflows/ci.yml",
    "modules/m/main.tf",
];

/// One scratch tree per fuzzing process, rewritten for every input.
fn tree() -> &'static PathBuf {
    static TREE: OnceLock<PathBuf> = OnceLock::new();
    TREE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("infralint-fuzz-check-{}", std::process::id()));
        for f in FILES {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().expect("has a parent")).expect("scratch dir");
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let root = tree();
    let mut parts = data.split(|&b| b == 0xFF);
    for f in FILES {
        let text = parts.next().unwrap_or_default();
        if std::fs::write(root.join(f), text).is_err() {
            return;
        }
    }
    let options = LoadOptions {
        paths: vec![root.clone()],
        eval: EvalOptions {
            allowed_roots: vec![root.clone()],
            ..EvalOptions::default()
        },
        ..LoadOptions::default()
    };
    let Ok(model) = pipeline::load(&options) else {
        return;
    };
    let _ = pricing::estimate(&model, &CostOptions::default());
    let result = infralint::check(model);
    let registry = infralint::rules::load::builtin_registry();
    let rep = Report::build(result, registry, &ReportOptions::default());
    let _ = report::sarif::render(&rep);
    let _ = report::json::render(&rep.result);
});
