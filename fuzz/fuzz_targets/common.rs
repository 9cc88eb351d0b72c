//! Shared by the fuzz targets: turn fuzzer bytes into a source file of a given kind.

use std::path::PathBuf;

use infralint::source::{FileId, FileKind, SourceFile};

pub fn source(data: &[u8], kind: FileKind, name: &str) -> Option<SourceFile> {
    let text = std::str::from_utf8(data).ok()?;
    Some(SourceFile::new(
        FileId(0),
        PathBuf::from(name),
        name.to_string(),
        kind,
        text.into(),
    ))
}
