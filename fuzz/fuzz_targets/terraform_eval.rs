#![no_main]
//! Parsing then evaluating a one-file root module never panics or hangs.

use std::collections::HashMap;
use std::sync::Arc;

use infralint::eval::{self, EvalOptions};
use infralint::parse::terraform;
use infralint::pipeline::module_dir;
use infralint::source::{FileKind, SourceMap};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some(file) = common::source(data, FileKind::Terraform, "fuzz-root/main.tf") else {
        return;
    };
    let Ok(tf) = terraform::parse(&file) else {
        return;
    };
    let dir = module_dir(&file.path);
    let id = file.id;
    let sources = SourceMap::new(vec![Arc::new(file)]);
    let mut modules = HashMap::new();
    modules.insert(dir.clone(), vec![(id, &tf)]);
    let _ = eval::evaluate_root(&dir, &modules, &sources, &EvalOptions::default());
});
