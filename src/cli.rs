//! Command-line interface (clap derive). `main.rs` turns these into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;

/// Fast, offline policy-and-cost linter for Terraform, Dockerfiles and GitHub Actions.
#[derive(Debug, Parser)]
#[command(name = "infralint", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories and report findings.
    Check(CheckArgs),
    /// Print the evaluated objects that rules see.
    Inspect(InspectArgs),
    /// Estimate monthly AWS costs from bundled, dated on-demand price tables (offline).
    Cost(CostArgs),
}

/// Options shared by every command that reads a tree.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Files or directories to scan (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Leave out paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Terraform variable definitions file, applied after the module's own tfvars (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Set a Terraform variable: `--var name=value` (repeatable, applied last).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected NAME=VALUE, got `{s}`"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value = "low")]
    pub fail_on: Severity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Json,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: InspectFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CostFormat,
    /// Region for resources whose provider sets none (default: us-east-1).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Usage estimates in Infracost's infracost-usage.yml format.
    #[arg(long = "usage-file", value_name = "FILE")]
    pub usage_file: Option<PathBuf>,
    /// Read price tables (`<service>.tsv`) from this directory instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    pub pricing: Option<PathBuf>,
    /// Show the cost change against a git revision (or a directory holding the old tree).
    #[arg(long = "compare-to", value_name = "REF|DIR")]
    pub compare_to: Option<String>,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
