//! Reading files and parsing them into the IR (Terraform is parsed here, evaluated in `eval`).

pub mod dockerfile;
pub mod shell;
pub mod terraform;
pub mod workflow;
pub mod yaml;

use std::sync::Arc;

use crate::diagnostic::{CoreCode, Diagnostic};
use crate::discover::DiscoveredFile;
use crate::ir::Object;
use crate::source::{FileId, FileKind, SourceFile, Span};

/// Files larger than this are not parsed (reported as IL0002).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The result of parsing one file.
#[derive(Debug)]
pub enum Parsed {
    /// A Terraform or tfvars file, evaluated later per module.
    Terraform(terraform::TfFile),
    /// Dockerfile or workflow objects, complete after parsing. `parent` indexes are relative to
    /// this list.
    Objects(Vec<Object>),
    /// The file could not be read or parsed; a diagnostic says why.
    Failed,
}

/// Reads a discovered file. Never fails: unreadable, binary, non-UTF-8 or oversized files give
/// an empty source and an IL0002 diagnostic.
pub fn read_source(id: FileId, found: &DiscoveredFile) -> (SourceFile, Option<Diagnostic>) {
    let make = |text: Arc<str>| {
        SourceFile::new(
            id,
            found.path.clone(),
            found.display_path.clone(),
            found.kind,
            text,
        )
    };
    let unreadable = |text: Arc<str>, offset: usize, message: String| {
        let file = make(text);
        let span = Span::new(id, offset, offset);
        (
            file,
            Some(Diagnostic::new(CoreCode::UnreadableFile, message, span)),
        )
    };
    match std::fs::metadata(&found.path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            return unreadable(
                "".into(),
                0,
                format!(
                    "file is {} bytes, over the {MAX_FILE_BYTES}-byte limit; not checked",
                    meta.len()
                ),
            );
        }
        Ok(_) => {}
        Err(e) => return unreadable("".into(), 0, format!("cannot read file: {e}")),
    }
    let bytes = match std::fs::read(&found.path) {
        Ok(b) => b,
        Err(e) => return unreadable("".into(), 0, format!("cannot read file: {e}")),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let text: Arc<str> = String::from_utf8_lossy(bytes).into();
        return unreadable(
            text,
            nul,
            "file contains NUL bytes (binary?); not checked".into(),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (make(text.into()), None),
        Err(e) => {
            let valid = e.valid_up_to();
            let text: Arc<str> = String::from_utf8_lossy(bytes).into();
            unreadable(text, valid, "file is not valid UTF-8; not checked".into())
        }
    }
}

/// Deepest bracket nesting a file may have before it is refused (IL0006). Real files stay far
/// below it; recursive parsers and tree drops would exhaust the stack far above it.
pub const MAX_NESTING: usize = 256;

/// Finds where bracket nesting (`[`, `{`, `(`) first exceeds [`MAX_NESTING`], outside quoted
/// strings. A linear, allocation-free pass run before any recursive parser.
pub fn excessive_nesting(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q || b == b'\n' {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' => quote = Some(b'"'),
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parses one file according to its kind.
pub fn parse_file(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    if let Some(offset) = excessive_nesting(&file.text) {
        let message = format!("brackets nest deeper than {MAX_NESTING} levels; file not parsed");
        let span = Span::new(file.id, offset, offset + 1);
        return (
            Parsed::Failed,
            vec![Diagnostic::new(CoreCode::LimitExceeded, message, span)],
        );
    }
    match file.kind {
        FileKind::Terraform | FileKind::TerraformJson | FileKind::Tfvars | FileKind::TfvarsJson => {
            match terraform::parse(file) {
                Ok(tf) => (Parsed::Terraform(tf), Vec::new()),
                Err(d) => (Parsed::Failed, vec![d]),
            }
        }
        FileKind::Dockerfile => {
            let (objects, diags) = dockerfile::parse(file);
            (Parsed::Objects(objects), diags)
        }
        FileKind::Workflow | FileKind::Action => {
            let (objects, diags) = workflow::parse(file);
            (Parsed::Objects(objects), diags)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_strings() {
        let deep = format!(
            "x = {}{}",
            "[".repeat(MAX_NESTING + 1),
            "]".repeat(MAX_NESTING + 1)
        );
        assert_eq!(excessive_nesting(&deep), Some(4 + MAX_NESTING));
        let quoted = format!("x = \"{}\"", "[".repeat(1000));
        assert_eq!(excessive_nesting(&quoted), None);
        assert_eq!(excessive_nesting("a = [1, [2, {b = (3)}]]"), None);
    }
}
