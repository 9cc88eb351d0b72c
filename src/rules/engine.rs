//! The rule engine: runs the enabled rules of a registry over a model, in parallel, and turns
//! their verdicts (and the model's core diagnostics) into findings.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::registry::{Registry, Rule, RuleImpl};
use super::{CheckContext, Verdict, condition};
use crate::finding::{Finding, sort_findings};
use crate::ir::Model;
use crate::source::Span;

/// Which rules run. A plain struct: the CLI fills it from `--select`/`--ignore`, the config
/// file from its `rules` table.
///
/// Each entry is a rule ID, slug or alias, a pack name, or `ALL`.
/// - `select` empty: every rule with `default_enabled = true`; non-empty: exactly the
///   selected rules (opt-in ones included).
/// - `extend_select` adds rules to that set.
/// - `ignore` removes rules (it wins over both).
/// - Core rules (parse and evaluation problems) stay on unless ignored by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    /// Every rule, opt-in ones included.
    pub fn all() -> Self {
        Selection {
            select: vec!["ALL".to_string()],
            ..Selection::default()
        }
    }

    /// The IDs of the enabled rules. An entry that names no rule or pack is an error.
    pub fn resolve(&self, registry: &Registry) -> Result<BTreeSet<String>, String> {
        let matches = |key: &str| -> Result<Vec<String>, String> {
            if key == "ALL" {
                return Ok(registry.iter().map(|r| r.id.clone()).collect());
            }
            if let Some(r) = registry.find(key) {
                return Ok(vec![r.id.clone()]);
            }
            let in_pack: Vec<String> = registry
                .iter()
                .filter(|r| r.pack == key)
                .map(|r| r.id.clone())
                .collect();
            if in_pack.is_empty() {
                Err(format!(
                    "`{key}` is not a rule ID, slug, alias or pack (see `infralint rules`)"
                ))
            } else {
                Ok(in_pack)
            }
        };
        let mut enabled: BTreeSet<String> = if self.select.is_empty() {
            registry
                .iter()
                .filter(|r| r.default_enabled)
                .map(|r| r.id.clone())
                .collect()
        } else {
            let mut set: BTreeSet<String> = registry
                .rules()
                .iter()
                .filter(|r| matches!(r.imp, RuleImpl::Core))
                .map(|r| r.meta.id.clone())
                .collect();
            for key in &self.select {
                set.extend(matches(key)?);
            }
            set
        };
        for key in &self.extend_select {
            enabled.extend(matches(key)?);
        }
        for key in &self.ignore {
            for id in matches(key)? {
                enabled.remove(&id);
            }
        }
        Ok(enabled)
    }
}

/// A rule that could not be decided on an object because a value it needs is Unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct UndecidedItem {
    pub rule_id: String,
    pub slug: String,
    pub span: Span,
    pub address: Option<String>,
    /// Why: the Unknown's reason (`ingress.0.cidr_blocks is unknown: variable "cidr" has no value`).
    pub reason: String,
}

impl UndecidedItem {
    /// The item as the JSON output's `unknown` array shows it.
    pub fn to_json(&self, sources: &crate::source::SourceMap) -> serde_json::Value {
        let loc = sources.locate(self.span);
        serde_json::json!({
            "rule_id": self.rule_id,
            "slug": self.slug,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "address": self.address,
            "reason": self.reason,
        })
    }

    /// `file:line:col RULE reason (address)`, as the text output lists it.
    pub fn to_line(&self, sources: &crate::source::SourceMap) -> String {
        let loc = sources.locate(self.span);
        let mut s = format!(
            "{}:{}:{}: {}[{}] {}",
            loc.file, loc.line, loc.column, self.rule_id, self.slug, self.reason
        );
        if let Some(a) = &self.address {
            s.push_str(&format!(" (in {a})"));
        }
        s
    }
}

/// What a run of the engine produces: findings and undecided items, both sorted.
#[derive(Debug, Default)]
pub struct EngineOutput {
    pub findings: Vec<Finding>,
    pub unknowns: Vec<UndecidedItem>,
}

/// The verdicts of one declarative rule over the model.
fn run_condition(model: &Model, rule: &Rule, cond: &condition::Condition) -> Vec<Verdict> {
    let mut out = Vec::new();
    for i in cond.candidates(model) {
        let o = &model.objects[i];
        let outcome = cond.evaluate(model, i);
        let witness = outcome.witness.as_ref();
        let span = witness.and_then(|w| w.span).unwrap_or(o.span);
        match outcome.tri {
            condition::Tri::True => {
                let template = cond.message().unwrap_or(&rule.meta.title);
                out.push(Verdict::Fail {
                    object: Some(i),
                    span,
                    message: condition::render_message(template, o, witness),
                });
            }
            condition::Tri::Unknown => out.push(Verdict::Unknown {
                object: Some(i),
                span,
                reason: witness
                    .and_then(|w| w.reason.clone())
                    .unwrap_or_else(|| "a value it needs is unknown".to_string()),
            }),
            condition::Tri::False => {}
        }
    }
    out
}

/// Runs every enabled rule of `registry` over `model`. Core rules turn the model's
/// diagnostics into findings; built-in checks and declarative conditions run in parallel.
/// Output order is deterministic.
pub fn run(
    model: &Model,
    registry: &Registry,
    settings: &toml::Table,
    selection: &Selection,
) -> Result<EngineOutput, String> {
    let enabled = selection.resolve(registry)?;
    let rules: Vec<&Rule> = registry
        .rules()
        .iter()
        .filter(|r| enabled.contains(&r.meta.id))
        .collect();
    let ctx = CheckContext::new(model, settings);
    let per_rule: Vec<(Vec<Finding>, Vec<UndecidedItem>)> = rules
        .par_iter()
        .map(|rule| {
            let verdicts = match &rule.imp {
                RuleImpl::Core => {
                    let findings = model
                        .diagnostics
                        .iter()
                        .filter(|d| d.code.id() == rule.meta.id)
                        .map(|d| {
                            let mut f = Finding::from_diagnostic(d);
                            f.severity = rule.meta.severity;
                            f.slug = rule.meta.slug.clone();
                            f
                        })
                        .collect();
                    return (findings, Vec::new());
                }
                RuleImpl::Builtin(_, f) => f(&ctx),
                RuleImpl::Condition(c) => run_condition(model, rule, c),
                RuleImpl::Invalid(_) => Vec::new(),
            };
            let address = |object: Option<usize>| {
                object
                    .and_then(|i| model.objects.get(i))
                    .map(|o| o.address.clone())
            };
            let mut findings = Vec::new();
            let mut unknowns = Vec::new();
            for v in verdicts {
                match v {
                    Verdict::Fail {
                        object,
                        span,
                        message,
                    } => findings.push(Finding {
                        rule_id: rule.meta.id.clone(),
                        slug: rule.meta.slug.clone(),
                        pack: rule.meta.pack.clone(),
                        severity: rule.meta.severity,
                        message,
                        span,
                        address: address(object),
                    }),
                    Verdict::Unknown {
                        object,
                        span,
                        reason,
                    } => unknowns.push(UndecidedItem {
                        rule_id: rule.meta.id.clone(),
                        slug: rule.meta.slug.clone(),
                        span,
                        address: address(object),
                        reason,
                    }),
                }
            }
            (findings, unknowns)
        })
        .collect();
    let mut out = EngineOutput::default();
    for (f, u) in per_rule {
        out.findings.extend(f);
        out.unknowns.extend(u);
    }
    sort_findings(&mut out.findings, &model.sources);
    out.unknowns.sort_by(|a, b| {
        let pa = &model.sources.get(a.span.file).display_path;
        let pb = &model.sources.get(b.span.file).display_path;
        (
            pa,
            a.span.start,
            a.span.end,
            &a.rule_id,
            &a.reason,
            &a.address,
        )
            .cmp(&(
                pb,
                b.span.start,
                b.span.end,
                &b.rule_id,
                &b.reason,
                &b.address,
            ))
    });
    out.unknowns.dedup();
    Ok(out)
}
