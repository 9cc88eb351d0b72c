#![no_main]
//! The Dockerfile parser never panics, whatever the input.

use infralint::source::FileKind;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    if let Some(file) = common::source(data, FileKind::Dockerfile, "Dockerfile") {
        let _ = infralint::parse::dockerfile::parse(&file);
    }
});
