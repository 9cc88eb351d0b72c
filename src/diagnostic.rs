//! Severities and the diagnostics raised while reading and evaluating files (the `core` pack).

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// How serious a finding is, from least to most.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected info, low, medium, high or critical)"
            )),
        }
    }
}

/// The diagnostics of the `core` pack: problems reading or evaluating the scanned files.
/// Their metadata (docs, severity) lives in `rules/core/` like every other rule's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoreCode {
    /// IL0001: a file does not parse.
    ParseError,
    /// IL0002: a file cannot be read (permissions, not UTF-8, too large).
    UnreadableFile,
    /// IL0003: a module comes from a remote source and is not evaluated.
    RemoteModule,
    /// IL0004: a local module's source directory does not exist or holds no Terraform.
    ModuleNotFound,
    /// IL0005: local modules call each other in a cycle.
    ModuleCycle,
    /// IL0006: an evaluation limit was hit (expansion count, nesting depth).
    LimitExceeded,
    /// IL0007: an expression that Terraform would reject (unknown function, wrong argument).
    EvalError,
}

impl CoreCode {
    pub fn id(self) -> &'static str {
        match self {
            CoreCode::ParseError => "IL0001",
            CoreCode::UnreadableFile => "IL0002",
            CoreCode::RemoteModule => "IL0003",
            CoreCode::ModuleNotFound => "IL0004",
            CoreCode::ModuleCycle => "IL0005",
            CoreCode::LimitExceeded => "IL0006",
            CoreCode::EvalError => "IL0007",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            CoreCode::ParseError => "parse-error",
            CoreCode::UnreadableFile => "unreadable-file",
            CoreCode::RemoteModule => "remote-module",
            CoreCode::ModuleNotFound => "module-not-found",
            CoreCode::ModuleCycle => "module-cycle",
            CoreCode::LimitExceeded => "limit-exceeded",
            CoreCode::EvalError => "eval-error",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            CoreCode::ParseError | CoreCode::UnreadableFile => Severity::High,
            CoreCode::ModuleCycle | CoreCode::LimitExceeded | CoreCode::EvalError => {
                Severity::Medium
            }
            CoreCode::ModuleNotFound => Severity::Low,
            CoreCode::RemoteModule => Severity::Info,
        }
    }

    /// Whether this diagnostic means a file was not (fully) checked: such runs exit 1.
    pub fn fails_run(self) -> bool {
        matches!(
            self,
            CoreCode::ParseError | CoreCode::UnreadableFile | CoreCode::LimitExceeded
        )
    }

    pub const ALL: [CoreCode; 7] = [
        CoreCode::ParseError,
        CoreCode::UnreadableFile,
        CoreCode::RemoteModule,
        CoreCode::ModuleNotFound,
        CoreCode::ModuleCycle,
        CoreCode::LimitExceeded,
        CoreCode::EvalError,
    ];
}

/// A problem found while reading or evaluating, at a place in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: CoreCode,
    pub message: String,
    pub span: Span,
    /// Terraform address or workflow path the problem belongs to, when there is one.
    pub address: Option<String>,
}

impl Diagnostic {
    pub fn new(code: CoreCode, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            span,
            address: None,
        }
    }

    pub fn with_address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }
}
