//! GitHub Actions workflow and action YAML → `gha_workflow`, `gha_job`, `gha_step` objects.

use crate::diagnostic::Diagnostic;
use crate::ir::Object;
use crate::source::SourceFile;

/// Parses a workflow (or `action.yml`) into its workflow/action, job and step objects.
pub fn parse(_file: &SourceFile) -> (Vec<Object>, Vec<Diagnostic>) {
    (Vec::new(), Vec::new())
}
