#![no_main]
//! The Terraform parser never panics, whatever the input.

use infralint::source::FileKind;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    if let Some(file) = common::source(data, FileKind::Terraform, "main.tf") {
        let _ = infralint::parse::terraform::parse(&file);
    }
});
