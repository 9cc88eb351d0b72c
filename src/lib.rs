//! infralint: a policy-and-cost linter for Terraform, Dockerfiles and GitHub Actions workflows.
//!
//! The pipeline runs one way: [`discover`] → [`parse`] → [`eval`] → [`ir::Model`] → rules and
//! cost → [`report`]. [`pipeline::load`] runs the front half; the CLI in `main.rs` is thin.

pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod eval;
pub mod finding;
pub mod inspect;
pub mod ir;
pub mod parse;
pub mod pipeline;
pub mod pricing;
pub mod report;
pub mod rules;
pub mod source;

use diagnostic::Severity;
use finding::{Finding, sort_findings};
use ir::Model;

/// The outcome of `check`: the model that was checked and its sorted findings.
#[derive(Debug)]
pub struct CheckResult {
    pub model: Model,
    pub findings: Vec<Finding>,
}

impl CheckResult {
    /// Whether the run fails: a file could not be checked, or a finding is at or above `fail_on`.
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.model.diagnostics.iter().any(|d| d.code.fails_run())
            || self.findings.iter().any(|f| f.severity >= fail_on)
    }
}

/// Runs every check over a loaded model.
pub fn check(model: Model) -> CheckResult {
    let mut findings: Vec<Finding> = model
        .diagnostics
        .iter()
        .map(Finding::from_diagnostic)
        .collect();
    sort_findings(&mut findings, &model.sources);
    CheckResult { model, findings }
}
