//! Dockerfile → `dockerfile` and `docker_stage` objects.

use crate::diagnostic::Diagnostic;
use crate::ir::Object;
use crate::source::SourceFile;

/// Parses a Dockerfile into one `dockerfile` object followed by its `docker_stage` objects.
pub fn parse(_file: &SourceFile) -> (Vec<Object>, Vec<Diagnostic>) {
    (Vec::new(), Vec::new())
}
