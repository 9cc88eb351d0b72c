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
    /// List the rules.
    Rules(RulesArgs),
    /// Show a rule's documentation.
    Explain(ExplainArgs),
    /// Write a commented starter `.infralint.toml`.
    Init(InitArgs),
    /// Estimate monthly AWS costs from bundled, dated on-demand price tables (offline).
    Cost(CostArgs),
}

/// Options choosing the rules of a run.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Enable only these rules: IDs, slugs, aliases, pack names or ALL (repeatable,
    /// comma-separated). Core rules stay on.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Enable these rules on top of the selection (e.g. opt-in rules).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Disable these rules (IDs, slugs, aliases or pack names; repeatable, comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Load rule files (`*.toml`) from this directory too (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Only the rules of this pack.
    #[arg(long, value_name = "PACK")]
    pub pack: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: RulesFormat,
    /// Load rule files from this directory too (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule ID, slug or alias.
    pub rule: String,
    /// Load rule files from this directory too (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write `.infralint.toml` into.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    Always,
    Never,
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
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// A pull-request comment.
    Markdown,
    /// GitHub Actions annotations.
    Github,
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
    /// Exit 1 when a finding at or above this severity is reported [default: `fail-on` from the
    /// config, else low].
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,
    /// When to colour text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print findings only (no summary).
    #[arg(short, long)]
    pub quiet: bool,
    /// Configuration file [default: the nearest `.infralint.toml` above the first path].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Hide findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (they are then hidden).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report suppression comments that match no finding (IL0101).
    #[arg(long)]
    pub report_unused_ignores: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Also list the rules that could not be decided because a value is unknown.
    #[arg(long)]
    pub show_unknown: bool,
    /// Add the monthly cost estimate to the JSON (`"cost"`) and Markdown reports.
    #[arg(long)]
    pub cost: bool,
    /// With `--cost`: usage estimates in Infracost's infracost-usage.yml format.
    #[arg(long = "usage-file", value_name = "FILE", requires = "cost")]
    pub usage_file: Option<PathBuf>,
    /// With `--cost`: also show the cost change against a git revision (or a directory).
    #[arg(long = "compare-to", value_name = "REF|DIR", requires = "cost")]
    pub compare_to: Option<String>,
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
