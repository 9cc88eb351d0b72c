//! Rules: metadata, the built-in check contract, and (in submodules) the engine and packs.
//!
//! Every rule has exactly one metadata file, `rules/<pack>/<ID>.toml`:
//!
//! ```toml
//! id = "DF001"
//! slug = "dockerfile-root-user"
//! pack = "dockerfile"
//! severity = "high"                 # info | low | medium | high | critical
//! title = "Final stage runs as root"
//! description = "What and why (Markdown)."
//! remediation = "How to fix (Markdown)."
//! aliases = ["DL3002", "CKV_DOCKER_3"]   # other tools' IDs, for migration and suppressions
//! default_enabled = true            # false for opt-in rules
//! check = "dockerfile_root_user"    # a built-in check name, or a [condition] table
//!                                   # ("core" for the IL core diagnostics, emitted by the engine)
//!
//! [example]
//! language = "dockerfile"           # hcl | dockerfile | yaml
//! bad = '''...'''
//! good = '''...'''
//! ```

pub mod aws;
pub mod cli;
pub mod condition;
pub mod docs;
pub mod engine;
pub mod iam_policy;
pub mod load;
pub mod packs;
pub mod registry;

pub use registry::Registry;

use std::sync::OnceLock;

use crate::diagnostic::Severity;
use crate::image_size::{Estimate, estimate_all};
use crate::ir::Model;
use crate::source::Span;

/// A rule's metadata, as written in its `rules/` file.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub slug: String,
    pub pack: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    pub remediation: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default = "default_true")]
    pub default_enabled: bool,
    /// Name of the built-in check implementing the rule (absent for declarative rules).
    #[serde(default)]
    pub check: Option<String>,
    /// Declarative condition (absent for built-in rules); interpreted by the engine.
    #[serde(default)]
    pub condition: Option<toml::Value>,
    pub example: RuleExample,
}

fn default_true() -> bool {
    true
}

/// A failing and a passing example, shown in the rule's docs.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleExample {
    pub language: String,
    pub bad: String,
    pub good: String,
}

/// What a built-in check sees: the whole model and the run's settings.
pub struct CheckContext<'a> {
    pub model: &'a Model,
    /// The parsed configuration file (empty table when there is none). Checks read their
    /// own keys, e.g. `settings["tags"]["required"]`.
    pub settings: &'a toml::Table,
    /// The image-size estimates of the model's Dockerfiles, computed by the first check that
    /// asks (they measure build contexts on disk) and shared by the rest of the run.
    image_estimates: OnceLock<Vec<Estimate>>,
    /// The model's cost estimate, computed on first use and shared by the cost checks.
    cost: OnceLock<crate::pricing::CostReport>,
    /// Every security-group rule of the model, normalized once for the checks that read them.
    sg_rules: OnceLock<Vec<aws::security_groups::SgRule>>,
    /// The merged S3 bucket view, built once for the checks that read it.
    s3: OnceLock<aws::s3::S3View<'a>>,
}

impl<'a> CheckContext<'a> {
    pub fn new(model: &'a Model, settings: &'a toml::Table) -> Self {
        CheckContext {
            model,
            settings,
            image_estimates: OnceLock::new(),
            cost: OnceLock::new(),
            sg_rules: OnceLock::new(),
            s3: OnceLock::new(),
        }
    }

    /// [`estimate_all`] of the model, computed once per context.
    pub fn image_estimates(&self) -> &[Estimate] {
        self.image_estimates
            .get_or_init(|| estimate_all(self.model))
    }

    /// [`aws::security_groups::rules`] of the model, computed once per context.
    pub fn sg_rules(&self) -> &[aws::security_groups::SgRule] {
        self.sg_rules
            .get_or_init(|| aws::security_groups::rules(self.model))
    }

    /// [`aws::s3::view`] of the model, computed once per context.
    pub fn s3_view(&self) -> &aws::s3::S3View<'a> {
        self.s3.get_or_init(|| aws::s3::view(self.model))
    }

    /// The cost estimate of the model with the default options (bundled prices, no usage
    /// file), computed once per run however many checks ask for it.
    pub fn cost_estimate(&self) -> &crate::pricing::CostReport {
        self.cost.get_or_init(|| {
            crate::pricing::estimate(self.model, &crate::pricing::CostOptions::default())
        })
    }
}

/// The outcome of a check on one object (or place).
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The rule is violated here.
    Fail {
        /// Index of the object in [`Model::objects`], when the violation belongs to one.
        object: Option<usize>,
        span: Span,
        message: String,
    },
    /// The rule could not be decided because a value is Unknown; never a finding, but listed
    /// by `--show-unknown`.
    Unknown {
        object: Option<usize>,
        span: Span,
        reason: String,
    },
}

impl Verdict {
    /// The object at index `object` violates the rule at `span`.
    pub fn fail(object: usize, span: Span, message: impl Into<String>) -> Self {
        Verdict::Fail {
            object: Some(object),
            span,
            message: message.into(),
        }
    }

    /// The rule cannot be decided for the object at index `object`: `reason` says which value
    /// is Unknown and why.
    pub fn unknown(object: usize, span: Span, reason: impl Into<String>) -> Self {
        Verdict::Unknown {
            object: Some(object),
            span,
            reason: reason.into(),
        }
    }
}

/// A built-in check: one function per rule, run over the whole model.
pub type BuiltinFn = fn(&CheckContext<'_>) -> Vec<Verdict>;
