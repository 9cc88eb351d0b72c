//! Baselines: the fingerprints of accepted findings, hidden from later runs.
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "fingerprint": "3f2a…", "rule_id": "SG001", "file": "main.tf", "address": "aws_security_group.web" }
//!   ]
//! }
//! ```
//!
//! Only `fingerprint` is used for matching (see [`crate::fingerprint`]); the other fields are
//! there for people reading diffs of the file. Line numbers are left out on purpose, so the file
//! does not churn when code moves.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::SourceMap;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("baseline {path} is not valid: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("baseline {path} has version {found}; this infralint reads version {BASELINE_VERSION}")]
    Version { path: String, found: u32 },
    #[error("cannot write baseline {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

impl Baseline {
    /// A baseline of `findings` with their `fingerprints` (parallel slices), sorted for
    /// stable diffs.
    pub fn of(findings: &[&Finding], fingerprints: &[&str], sources: &SourceMap) -> Self {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .zip(fingerprints)
            .map(|(f, fp)| BaselineEntry {
                fingerprint: fp.to_string(),
                rule_id: f.rule_id.clone(),
                file: sources.get(f.span.file).display_path.clone(),
                address: f.address.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.file, &a.rule_id, &a.fingerprint).cmp(&(&b.file, &b.rule_id, &b.fingerprint))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: BASELINE_VERSION,
            findings: entries,
        }
    }

    pub fn parse(text: &str, path: &str) -> Result<Self, BaselineError> {
        #[derive(Deserialize)]
        struct Head {
            version: u32,
        }
        let head: Head = serde_json::from_str(text).map_err(|source| BaselineError::Parse {
            path: path.to_string(),
            source,
        })?;
        if head.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: path.to_string(),
                found: head.version,
            });
        }
        serde_json::from_str(text).map_err(|source| BaselineError::Parse {
            path: path.to_string(),
            source,
        })
    }

    pub fn read(path: &Path) -> Result<Self, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::parse(&text, &shown)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("JSON of plain data");
        s.push('\n');
        s
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|source| BaselineError::Write {
            path: path.display().to_string(),
            source,
        })
    }

    /// The set of fingerprints, for matching.
    pub fn fingerprints(&self) -> HashSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }
}
