#![no_main]
//! The workflow parser never panics, whatever the input.

use infralint::source::FileKind;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    if let Some(file) = common::source(data, FileKind::Workflow, ".github/workflows/ci.yml") {
        let _ = infralint::parse::workflow::parse(&file);
    }
});
