//! Cost diff: the estimate of the current tree against a baseline, either a directory or a git
//! revision extracted with `git archive` into a temporary directory (local, no network).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use super::render::money;
use super::{CostReport, ResourceCost};

/// How one resource changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// One resource whose estimate changed.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceDiff {
    pub address: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub scope: String,
    pub change: Change,
    #[serde(serialize_with = "super::ser_opt")]
    pub monthly_cost_before: Option<f64>,
    #[serde(serialize_with = "super::ser_opt")]
    pub monthly_cost_after: Option<f64>,
    #[serde(serialize_with = "super::ser_f64")]
    pub monthly_delta: f64,
}

/// The whole diff.
#[derive(Debug, Clone, Serialize)]
pub struct CostDiff {
    pub currency: &'static str,
    pub compare_to: String,
    #[serde(serialize_with = "super::ser_f64")]
    pub total_monthly_cost_before: f64,
    #[serde(serialize_with = "super::ser_f64")]
    pub total_monthly_cost_after: f64,
    #[serde(serialize_with = "super::ser_f64")]
    pub total_monthly_delta: f64,
    /// Either side is incomplete (unknown, unpriced or usage-based items).
    pub complete: bool,
    pub resources: Vec<ResourceDiff>,
}

fn key(r: &ResourceCost) -> (String, String) {
    (r.scope.clone(), r.address.clone())
}

/// Compares two estimates resource by resource (keyed by scope and address).
pub fn diff(before: &CostReport, after: &CostReport, compare_to: &str) -> CostDiff {
    let old: BTreeMap<_, _> = before.resources.iter().map(|r| (key(r), r)).collect();
    let new: BTreeMap<_, _> = after.resources.iter().map(|r| (key(r), r)).collect();
    let mut resources = Vec::new();
    for (k, a) in &new {
        match old.get(k) {
            None => resources.push(ResourceDiff {
                address: a.address.clone(),
                type_name: a.type_name.clone(),
                scope: a.scope.clone(),
                change: Change::Added,
                monthly_cost_before: None,
                monthly_cost_after: a.monthly_cost,
                monthly_delta: a.monthly_cost.unwrap_or(0.0),
            }),
            Some(b) => {
                let delta = a.monthly_cost.unwrap_or(0.0) - b.monthly_cost.unwrap_or(0.0);
                if delta.abs() > 1e-9 || a.monthly_cost.is_some() != b.monthly_cost.is_some() {
                    resources.push(ResourceDiff {
                        address: a.address.clone(),
                        type_name: a.type_name.clone(),
                        scope: a.scope.clone(),
                        change: Change::Changed,
                        monthly_cost_before: b.monthly_cost,
                        monthly_cost_after: a.monthly_cost,
                        monthly_delta: delta,
                    });
                }
            }
        }
    }
    for (k, b) in &old {
        if !new.contains_key(k) {
            resources.push(ResourceDiff {
                address: b.address.clone(),
                type_name: b.type_name.clone(),
                scope: b.scope.clone(),
                change: Change::Removed,
                monthly_cost_before: b.monthly_cost,
                monthly_cost_after: None,
                monthly_delta: -b.monthly_cost.unwrap_or(0.0),
            });
        }
    }
    resources.sort_by(|x, y| (&x.scope, &x.address).cmp(&(&y.scope, &y.address)));
    CostDiff {
        currency: "USD",
        compare_to: compare_to.to_string(),
        total_monthly_cost_before: before.total_monthly_cost,
        total_monthly_cost_after: after.total_monthly_cost,
        total_monthly_delta: after.total_monthly_cost - before.total_monthly_cost,
        complete: before.complete && after.complete,
        resources,
    }
}

/// `+$1.00` / `-$1.00`.
pub fn signed(x: f64) -> String {
    if x < -0.005 {
        format!("-{}", money(Some(-x)))
    } else {
        format!("+{}", money(Some(x.max(0.0))))
    }
}

/// Plain-text rendering.
pub fn table(d: &CostDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Cost change against {}:\n", d.compare_to);
    for r in &d.resources {
        let sym = match r.change {
            Change::Added => "+",
            Change::Removed => "-",
            Change::Changed => "~",
        };
        let _ = writeln!(
            out,
            "{sym} {:<60} {:>12} → {:>12}  {:>12}",
            r.address,
            money(r.monthly_cost_before),
            money(r.monthly_cost_after),
            signed(r.monthly_delta)
        );
    }
    if d.resources.is_empty() {
        let _ = writeln!(out, "  no resource cost changed");
    }
    let _ = writeln!(
        out,
        "\nMonthly total: {} → {} ({}){}",
        money(Some(d.total_monthly_cost_before)),
        money(Some(d.total_monthly_cost_after)),
        signed(d.total_monthly_delta),
        if d.complete {
            ""
        } else {
            " — incomplete: some resources are unknown, unpriced or usage-based"
        }
    );
    out
}

/// Markdown rendering.
pub fn markdown(d: &CostDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Monthly cost change: {} ({} → {})\n",
        signed(d.total_monthly_delta),
        money(Some(d.total_monthly_cost_before)),
        money(Some(d.total_monthly_cost_after))
    );
    let _ = writeln!(out, "| | Resource | Before | After | Change |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|");
    for r in &d.resources {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            match r.change {
                Change::Added => "added",
                Change::Removed => "removed",
                Change::Changed => "changed",
            },
            r.address.replace('|', "\\|"),
            money(r.monthly_cost_before),
            money(r.monthly_cost_after),
            signed(r.monthly_delta)
        );
    }
    let _ = writeln!(out, "\n_Compared to `{}`._", d.compare_to);
    out
}

pub fn json(d: &CostDiff) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}

/// A baseline tree on disk; a git revision's temporary copy is deleted on drop.
pub struct Baseline {
    /// The directory to run from so that relative paths and scopes match the current run.
    pub cwd: PathBuf,
    temp: Option<PathBuf>,
}

impl Drop for Baseline {
    fn drop(&mut self) {
        if let Some(t) = &self.temp {
            let _ = std::fs::remove_dir_all(t);
        }
    }
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

/// Prepares the baseline for `--compare-to`: an existing directory is used as the working
/// directory of the baseline run; anything else is a git revision of the repository around the
/// current directory, extracted with `git archive` into a temporary directory.
pub fn baseline(compare_to: &str) -> Result<Baseline, String> {
    let as_dir = Path::new(compare_to);
    if as_dir.is_dir() {
        return Ok(Baseline {
            cwd: as_dir.to_path_buf(),
            temp: None,
        });
    }
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let commit = git(&["rev-parse", "--verify", &format!("{compare_to}^{{commit}}")])?;
    let temp = std::env::temp_dir().join(format!(
        "infralint-compare-{}-{}",
        std::process::id(),
        &commit[..12.min(commit.len())]
    ));
    std::fs::create_dir_all(&temp).map_err(|e| format!("cannot create {}: {e}", temp.display()))?;
    let baseline = Baseline {
        cwd: temp.join(&prefix),
        temp: Some(temp.clone()),
    };
    let mut archive = Command::new("git")
        .args(["-C", &top, "archive", "--format=tar", &commit])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    let status = Command::new("tar")
        .args(["-x", "-C"])
        .arg(&temp)
        .stdin(archive.stdout.take().ok_or("git archive gave no output")?)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive.wait().map_err(|e| e.to_string())?;
    if !status.success() || !archived.success() {
        return Err(format!(
            "could not extract {compare_to} into {}",
            temp.display()
        ));
    }
    std::fs::create_dir_all(&baseline.cwd).map_err(|e| e.to_string())?;
    Ok(baseline)
}
