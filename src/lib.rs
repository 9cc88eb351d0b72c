//! infralint: a policy-and-cost linter for Terraform, Dockerfiles and GitHub Actions workflows.
//!
//! The pipeline runs one way: [`discover`] → [`parse`] → [`eval`] → [`ir::Model`] → rules and
//! cost → [`report`]. [`pipeline::load`] runs the front half; the CLI in `main.rs` is thin.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod eval;
pub mod finding;
pub mod fingerprint;
pub mod image_size;
pub mod inspect;
pub mod ir;
pub mod parse;
pub mod pipeline;
pub mod pricing;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;

use diagnostic::Severity;
use finding::Finding;
use ir::Model;

/// The outcome of `check`: the model that was checked and its sorted findings.
#[derive(Debug)]
pub struct CheckResult {
    pub model: Model,
    pub findings: Vec<Finding>,
    /// Rules left undecided by Unknown values, when asked for (`--show-unknown`).
    pub unknowns: Option<Vec<rules::engine::UndecidedItem>>,
}

/// What `check_with` runs: which rules, with which settings.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// User rule directories (`--rules DIR`), loaded beside the embedded rules.
    pub rule_dirs: Vec<std::path::PathBuf>,
    /// Which rules are enabled.
    pub selection: rules::engine::Selection,
    /// The configuration table built-in checks read their settings from.
    pub settings: toml::Table,
    /// Keep the undecided list in the result.
    pub show_unknown: bool,
}

impl CheckResult {
    /// Keeps only the findings, diagnostics and undecided items in files `scope` reports.
    pub fn restrict_to(&mut self, scope: &discover::ReportScope) {
        let sources = &self.model.sources;
        let keep = |span: source::Span| scope.contains(&sources.get(span.file).path);
        self.findings.retain(|f| keep(f.span));
        self.model.diagnostics.retain(|d| keep(d.span));
        if let Some(unknowns) = &mut self.unknowns {
            unknowns.retain(|u| keep(u.span));
        }
    }

    /// Whether the run fails: a file could not be checked, or a finding is at or above `fail_on`.
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.model.diagnostics.iter().any(|d| d.code.fails_run())
            || self.findings.iter().any(|f| f.severity >= fail_on)
    }
}

/// Runs the default rules over a loaded model.
pub fn check(model: Model) -> CheckResult {
    match check_with(model, &CheckOptions::default()) {
        Ok(result) => result,
        Err(e) => unreachable!("the default selection of the embedded rules is valid: {e}"),
    }
}

/// Runs the selected rules (embedded plus `options.rule_dirs`) over a loaded model. Fails on
/// an invalid rule file or a selection naming no rule.
pub fn check_with(model: Model, options: &CheckOptions) -> Result<CheckResult, String> {
    let registry = rules::load::registry(&options.rule_dirs).map_err(|e| e.to_string())?;
    check_with_registry(model, &registry, options)
}

/// Runs the selected rules of `registry` over a loaded model (`options.rule_dirs` is not read).
pub fn check_with_registry(
    model: Model,
    registry: &rules::Registry,
    options: &CheckOptions,
) -> Result<CheckResult, String> {
    let out = rules::engine::run(&model, registry, &options.settings, &options.selection)?;
    Ok(CheckResult {
        model,
        findings: out.findings,
        unknowns: options.show_unknown.then_some(out.unknowns),
    })
}
