//! Output formats. Emitters only render: [`Report::build`] decides what is active, suppressed
//! or baselined; findings arrive sorted and final.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use std::time::Duration;

use crate::CheckResult;
use crate::baseline::Baseline;
use crate::config::{LoadedConfig, Selection};
use crate::diagnostic::Severity;
use crate::finding::{Finding, sort_key};
use crate::fingerprint;
use crate::rules::Registry;
use crate::suppress::{self, Directives, Suppression, SuppressionKind};

/// Counts shown at the end of every report.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub objects: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    pub by_pack: BTreeMap<String, usize>,
    pub files_failed: usize,
}

impl Summary {
    pub fn of(result: &CheckResult) -> Self {
        let mut by_severity: BTreeMap<&'static str, usize> =
            Severity::ALL.iter().map(|s| (s.as_str(), 0)).collect();
        let mut by_pack = BTreeMap::new();
        for f in &result.findings {
            *by_severity.entry(f.severity.as_str()).or_default() += 1;
            *by_pack.entry(f.pack.clone()).or_default() += 1;
        }
        let mut failed: Vec<_> = result
            .model
            .diagnostics
            .iter()
            .filter(|d| d.code.fails_run())
            .map(|d| d.span.file)
            .collect();
        failed.sort();
        failed.dedup();
        Summary {
            files_scanned: result.model.sources.len(),
            objects: result.model.objects.len(),
            findings: result.findings.len(),
            by_severity,
            by_pack,
            files_failed: failed.len(),
        }
    }
}

/// A suppressed or baselined finding, kept so SARIF can list it.
#[derive(Debug, Clone)]
pub struct SuppressedFinding {
    pub finding: Finding,
    pub fingerprint: String,
    pub suppression: Suppression,
}

/// Optional cost section of reports, filled by the cost engine. Markdown shows it between the
/// headline and the findings; text shows `headline`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostSummary {
    /// One line, e.g. `Monthly cost +$312 (+8.4%) → $4,021`.
    pub headline: String,
    /// Markdown body (a table of resources), rendered as is.
    pub markdown: String,
}

/// What post-processing needs besides the findings.
#[derive(Debug, Default)]
pub struct ReportOptions<'a> {
    pub config: Option<&'a LoadedConfig>,
    pub baseline: Option<&'a Baseline>,
    /// Add IL0101 findings for suppression comments that match nothing.
    pub report_unused_ignores: bool,
    /// The rule engine already applied the selection (config merged with the command line),
    /// so the config's `select`/`ignore` must not filter the findings again.
    pub selected_by_engine: bool,
}

/// The findings of a run after selection, severity overrides, suppressions and the baseline:
/// what every output format renders.
#[derive(Debug)]
pub struct Report<'r> {
    /// The check result; its `findings` are the active ones only (sorted), so
    /// [`CheckResult::fails`] and the JSON output see what the user must act on.
    pub result: CheckResult,
    /// Fingerprints of `result.findings`, parallel to it.
    pub fingerprints: Vec<String>,
    /// Findings silenced by comments, `per-path-ignores` or the baseline.
    pub suppressed: Vec<SuppressedFinding>,
    pub registry: &'r Registry,
    /// The rule selection of the run (SARIF lists the rules it enables).
    pub selection: Selection,
    /// Rule severities changed by `[severity]` in the config, by rule ID.
    pub severity_overrides: BTreeMap<String, Severity>,
    pub elapsed: Option<Duration>,
    pub cost: Option<CostSummary>,
}

impl<'r> Report<'r> {
    /// Post-processes a check result: selection and severity from the config, suppression
    /// comments, per-path ignores, then the baseline.
    pub fn build(mut result: CheckResult, registry: &'r Registry, options: &ReportOptions) -> Self {
        let mut findings = std::mem::take(&mut result.findings);
        if let Some(cfg) = options.config {
            if !options.selected_by_engine {
                cfg.selection().filter(&mut findings, registry);
            }
            cfg.apply_severity(&mut findings, registry);
        }
        let directives = Directives::collect(&result.model);
        let matched = suppress::apply(
            &findings,
            &directives,
            &result.model,
            registry,
            options.report_unused_ignores,
        );
        let mut diagnostics = matched.diagnostics;
        if let Some(cfg) = options.config {
            // IL0100 follows the selection like any rule; IL0101 was asked for by its flag,
            // so only an explicit `ignore` drops it.
            let selection = cfg.selection();
            let (mut unused, mut others): (Vec<_>, Vec<_>) = diagnostics
                .into_iter()
                .partition(|f| f.rule_id == suppress::UNUSED_ID);
            selection.filter(&mut others, registry);
            Selection {
                select: None,
                ignore: selection.ignore.clone(),
            }
            .filter_explicit(&mut unused, registry);
            others.append(&mut unused);
            diagnostics = others;
        }
        let mut all: Vec<(Finding, Option<Suppression>)> = findings
            .into_iter()
            .zip(matched.suppressions)
            .chain(diagnostics.into_iter().map(|f| (f, None)))
            .collect();
        let sources = &result.model.sources;
        if let Some(cfg) = options.config {
            for (f, sup) in all.iter_mut().filter(|(_, s)| s.is_none()) {
                let path = &sources.get(f.span.file).display_path;
                if let Some(reason) = cfg.per_path_ignore(f, path, registry) {
                    *sup = Some(Suppression {
                        kind: SuppressionKind::External,
                        source: "per-path-ignores".into(),
                        justification: Some(
                            reason.unwrap_or_else(|| "per-path-ignores in .infralint.toml".into()),
                        ),
                    });
                }
            }
        }
        all.sort_by(|(a, _), (b, _)| sort_key(a, sources).cmp(&sort_key(b, sources)));
        let fps = fingerprint::compute(all.iter().map(|(f, _)| f), sources);
        let known = options.baseline.map(Baseline::fingerprints);
        let mut active = Vec::new();
        let mut fingerprints = Vec::new();
        let mut suppressed = Vec::new();
        for ((finding, sup), fp) in all.into_iter().zip(fps) {
            let sup = sup.or_else(|| {
                known
                    .as_ref()
                    .is_some_and(|k| k.contains(fp.as_str()))
                    .then(baseline_suppression)
            });
            match sup {
                Some(suppression) => suppressed.push(SuppressedFinding {
                    finding,
                    fingerprint: fp,
                    suppression,
                }),
                None => {
                    active.push(finding);
                    fingerprints.push(fp);
                }
            }
        }
        result.findings = active;
        Report {
            result,
            fingerprints,
            suppressed,
            registry,
            selection: options
                .config
                .map(LoadedConfig::selection)
                .unwrap_or_default(),
            severity_overrides: options
                .config
                .map(|cfg| {
                    registry
                        .iter()
                        .map(|r| (r, cfg.rule_severity(r, registry)))
                        .filter(|(r, s)| *s != r.severity)
                        .map(|(r, s)| (r.id.clone(), s))
                        .collect()
                })
                .unwrap_or_default(),
            elapsed: None,
            cost: None,
        }
    }

    /// Keeps only what lies in files `scope` reports (file arguments, as pre-commit passes
    /// them): active and suppressed findings, including IL0100/IL0101 for suppression comments
    /// in files that were only loaded for context.
    pub fn restrict_to(&mut self, scope: &crate::discover::ReportScope) {
        let sources = &self.result.model.sources;
        let keep = |f: &Finding| scope.contains(&sources.get(f.span.file).path);
        let findings = std::mem::take(&mut self.result.findings);
        let fingerprints = std::mem::take(&mut self.fingerprints);
        (self.result.findings, self.fingerprints) = findings
            .into_iter()
            .zip(fingerprints)
            .filter(|(f, _)| keep(f))
            .unzip();
        self.suppressed.retain(|s| keep(&s.finding));
        self.result.restrict_to(scope);
    }

    /// A baseline of everything that is active now or was hidden by the baseline (not what
    /// comments or per-path ignores suppress).
    pub fn baseline(&self) -> Baseline {
        let mut findings: Vec<&Finding> = self.result.findings.iter().collect();
        let mut fps: Vec<&str> = self.fingerprints.iter().map(String::as_str).collect();
        for s in &self.suppressed {
            if s.suppression.source == "baseline" {
                findings.push(&s.finding);
                fps.push(&s.fingerprint);
            }
        }
        Baseline::of(&findings, &fps, &self.result.model.sources)
    }

    /// Moves every active finding to the baselined ones (after `--write-baseline`).
    pub fn hide_as_baselined(&mut self) {
        let findings = std::mem::take(&mut self.result.findings);
        let fps = std::mem::take(&mut self.fingerprints);
        for (finding, fingerprint) in findings.into_iter().zip(fps) {
            self.suppressed.push(SuppressedFinding {
                finding,
                fingerprint,
                suppression: baseline_suppression(),
            });
        }
    }

    /// Findings hidden by the baseline.
    pub fn baselined(&self) -> usize {
        self.suppressed
            .iter()
            .filter(|s| s.suppression.source == "baseline")
            .count()
    }

    /// The first sentence of a rule's remediation, as a one-line hint.
    pub fn hint(&self, rule_id: &str) -> Option<String> {
        self.registry
            .find(rule_id)
            .map(|m| first_sentence(&m.remediation))
            .filter(|s| !s.is_empty())
    }
}

fn baseline_suppression() -> Suppression {
    Suppression {
        kind: SuppressionKind::External,
        source: "baseline".into(),
        justification: Some("accepted in the baseline file".into()),
    }
}

/// The first sentence of Markdown text, on one line.
pub fn first_sentence(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len();
    let mut in_code = false;
    // `char_indices`: slicing at `i` must stay on a character boundary (`…`, `→` in remediations).
    for (i, c) in flat.char_indices() {
        if c == '`' {
            in_code = !in_code;
        }
        let word = flat[..i].rsplit(' ').next().unwrap_or("");
        // `e.g.`, `i.e.` and list numbers (`1.`) do not end a sentence.
        let abbreviation = word.ends_with("e.g")
            || word.ends_with("i.e")
            || (!word.is_empty() && word.bytes().all(|c| c.is_ascii_digit()));
        if !in_code
            && !abbreviation
            && matches!(c, '.' | '!' | '?')
            && (i + 1 == flat.len() || flat[i + 1..].starts_with(' '))
        {
            end = i + 1;
            break;
        }
    }
    flat[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn first_sentence_of_remediation() {
        assert_eq!(
            first_sentence("Set `x = 1.5`. Then\nre-run."),
            "Set `x = 1.5`."
        );
        assert_eq!(
            first_sentence("Pin a version, e.g. `curl=8.5`. More."),
            "Pin a version, e.g. `curl=8.5`."
        );
        assert_eq!(first_sentence("No period"), "No period");
        assert_eq!(
            first_sentence("1. Add a `USER` line. 2. Rebuild."),
            "1. Add a `USER` line."
        );
        // Multi-byte characters before the end (this used to panic on a char boundary).
        assert_eq!(
            first_sentence("Pin a tag (`@sha256:…`) → digest. Then update."),
            "Pin a tag (`@sha256:…`) → digest."
        );
        assert_eq!(first_sentence("Größe prüfen…"), "Größe prüfen…");
    }
}
