//! Embeds every `rules/**/*.toml` file: generates `$OUT_DIR/builtin_rules.rs`, a list of
//! `(path, include_str!(..))` pairs sorted by path. `rules/data/` is left out.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // `rules/data/` holds lookup tables for checks, not rule files.
            if path.file_name().is_some_and(|n| n == "data") {
                continue;
            }
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rules = root.join("rules");
    println!("cargo::rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        // Relative to the manifest dir at compile time, not an absolute path baked in here:
        // a checkout moved or cloned elsewhere with the same target dir must not read stale paths.
        code.push_str(&format!(
            "    ({rel:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {rel:?}))),\n"
        ));
    }
    code.push_str("]\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin_rules.rs");
    std::fs::write(out, code).expect("write builtin_rules.rs");
}
