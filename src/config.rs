//! `.infralint.toml`: selection, severity overrides, per-path ignores, excludes and pack settings.
//!
//! The file is found by walking up from the first scanned path (or given with `--config`).
//! Unknown keys are errors that point at the key (`file:line:column`). The whole file, as a
//! `toml::Table`, is handed to checks as their `settings`; pack tables (`[tags]`, `[image]`,
//! `[cost]`, `[dockerfile]`, `[logging]`) are type-checked here.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostic::Severity;
use crate::finding::Finding;
use crate::rules::{Registry, RuleMeta};

/// File name looked up when no `--config` is given.
pub const CONFIG_FILE_NAME: &str = ".infralint.toml";

/// The starter file `infralint init` writes.
pub const STARTER: &str = include_str!("config_starter.toml");

/// A parsed configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to run (IDs, slugs, aliases or pack names); default: every default-enabled rule.
    pub select: Option<Vec<String>>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides: `SG003 = "low"`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub per_path_ignores: PerPathIgnores,
    pub fail_on: Option<Severity>,
    /// Globs of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub rules: RulesSection,
    #[serde(default)]
    pub tags: Option<TagsSettings>,
    #[serde(default)]
    pub image: Option<ImageSettings>,
    #[serde(default)]
    pub cost: Option<CostSettings>,
    #[serde(default)]
    pub dockerfile: Option<DockerfileSettings>,
    #[serde(default)]
    pub logging: Option<LoggingSettings>,
}

/// `[rules]`: where to load user rules from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    /// Directories or files of extra rule definitions (relative to the config file).
    #[serde(default)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsSettings {
    /// Tag keys every taggable resource must carry (TAG001, TAG003).
    #[serde(default)]
    pub required: Vec<String>,
    /// `[tags.values]`: allowed values per tag key (TAG002).
    #[serde(default)]
    pub values: BTreeMap<String, Vec<String>>,
    /// `[tags.patterns]`: a glob (`*`, `?`) each value of the key must match (TAG002).
    #[serde(default)]
    pub patterns: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSettings {
    /// Size budget of every Dockerfile's final image, in MB (IMG001).
    pub budget_mb: Option<f64>,
    /// Budgets per Dockerfile glob (matched against the display path or the file name); the
    /// longest matching glob wins over `budget_mb`.
    #[serde(default)]
    pub budgets: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSettings {
    pub region: Option<String>,
    pub usage_file: Option<PathBuf>,
    pub monthly_budget: Option<f64>,
    pub max_increase_percent: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DockerfileSettings {
    pub require_healthcheck: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingSettings {
    pub rds_min_backup_retention_days: Option<i64>,
}

/// One per-path ignore: files matching any glob do not report these rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPathIgnore {
    /// Globs, relative to the config file's directory.
    pub paths: Vec<String>,
    /// IDs, slugs, aliases, pack names, or `"ALL"`.
    pub rules: Vec<String>,
    pub reason: Option<String>,
}

/// `[per-path-ignores]` (a table of glob → rules) or `[[per-path-ignores]]` (entries).
#[derive(Debug, Clone, Default)]
pub struct PerPathIgnores(pub Vec<PerPathIgnore>);

impl<'de> Deserialize<'de> for PerPathIgnores {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PerPathIgnores;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of glob = [rules] or an array of tables")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let table: BTreeMap<String, Vec<String>> =
                    Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(PerPathIgnores(
                    table
                        .into_iter()
                        .map(|(glob, rules)| PerPathIgnore {
                            paths: vec![glob],
                            rules,
                            reason: None,
                        })
                        .collect(),
                ))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let list: Vec<PerPathIgnore> =
                    Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(PerPathIgnores(list))
            }
        }
        d.deserialize_any(V)
    }
}

/// A configuration error, with the place in the file when there is one.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Other { path: String, message: String },
}

/// The configuration of a run and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: Config,
    /// The file, when one was found.
    pub path: Option<PathBuf>,
    /// Directory that relative paths and globs in the file are relative to.
    pub dir: PathBuf,
    /// The whole file as a table: the `settings` checks read. `cost.usage_file` is resolved
    /// against the file's directory.
    pub settings: toml::Table,
    per_path: Vec<(Vec<GlobMatcher>, Vec<String>, Option<String>)>,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl LoadedConfig {
    /// Parses configuration text; `path` names the file in errors, `dir` anchors relative paths.
    pub fn parse(text: &str, path: &Path, dir: &Path) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let invalid = |e: toml::de::Error| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            ConfigError::Invalid {
                path: shown.clone(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        };
        let config: Config = toml::from_str(text).map_err(invalid)?;
        let mut settings: toml::Table = toml::from_str(text).map_err(invalid)?;
        if let Some(toml::Value::Table(cost)) = settings.get_mut("cost") {
            if let Some(toml::Value::String(f)) = cost.get_mut("usage_file") {
                *f = dir.join(&*f).display().to_string();
            }
        }
        let mut per_path = Vec::new();
        for entry in &config.per_path_ignores.0 {
            let mut globs = Vec::new();
            for p in &entry.paths {
                let glob = Glob::new(p).map_err(|e| ConfigError::Other {
                    path: shown.clone(),
                    message: format!("invalid glob `{p}` in per-path-ignores: {e}"),
                })?;
                globs.push(glob.compile_matcher());
            }
            per_path.push((globs, entry.rules.clone(), entry.reason.clone()));
        }
        for p in &config.exclude {
            Glob::new(p).map_err(|e| ConfigError::Other {
                path: shown.clone(),
                message: format!("invalid glob `{p}` in exclude: {e}"),
            })?;
        }
        Ok(LoadedConfig {
            config,
            path: Some(path.to_path_buf()),
            dir: dir.to_path_buf(),
            settings,
            per_path,
        })
    }

    /// Reads a configuration file.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Self::parse(&text, path, dir)
    }

    /// The config for a run: `explicit` when given, else the nearest `.infralint.toml` walking up
    /// from `first_path`, else the defaults.
    pub fn discover(explicit: Option<&Path>, first_path: &Path) -> Result<Self, ConfigError> {
        if let Some(p) = explicit {
            return Self::read(p);
        }
        match find_config(first_path) {
            Some(p) => Self::read(&p),
            None => Ok(LoadedConfig {
                dir: PathBuf::from("."),
                ..Default::default()
            }),
        }
    }

    /// Rule paths from `[rules] paths`, resolved against the config file's directory.
    pub fn rule_paths(&self) -> Vec<PathBuf> {
        self.config
            .rules
            .paths
            .iter()
            .map(|p| self.dir.join(p))
            .collect()
    }

    /// Exclude globs as discovery matches them (against paths relative to the current
    /// directory): prefixed with the config directory when it lies below the current one, and
    /// stripped of the way down when the current directory lies below the config's.
    pub fn exclude_globs(&self) -> Vec<String> {
        let prefix = config_prefix(&self.dir);
        let down = way_down(&self.dir);
        self.config
            .exclude
            .iter()
            .map(|g| match (&prefix, &down) {
                (Some(p), _) if !p.is_empty() => format!("{p}/{g}"),
                (None, Some(d)) => g
                    .strip_prefix(&format!("{d}/"))
                    .map_or_else(|| g.clone(), str::to_string),
                _ => g.clone(),
            })
            .collect()
    }

    /// The rule selection from `select`/`ignore`.
    pub fn selection(&self) -> Selection {
        Selection {
            select: self.config.select.clone(),
            ignore: self.config.ignore.clone(),
        }
    }

    /// The per-path ignore matching a finding's file (display path, relative to the current
    /// directory), as `(rules, reason)`.
    pub fn per_path_ignore(
        &self,
        finding: &Finding,
        display_path: &str,
        registry: &Registry,
    ) -> Option<Option<String>> {
        let rel = relative_to_config(display_path, &self.dir);
        self.per_path.iter().find_map(|(globs, rules, reason)| {
            let path_hit = globs.iter().any(|g| g.is_match(&rel));
            (path_hit && rules.iter().any(|r| names(r, finding, registry))).then(|| reason.clone())
        })
    }

    /// Rule names in `select`, `ignore`, `[severity]` and `per-path-ignores` that name no rule,
    /// alias, pack or core diagnostic, as `(key, name)`: likely typos, worth a warning.
    pub fn unknown_rule_names(&self, registry: &Registry) -> Vec<(&'static str, String)> {
        let known = |name: &str| {
            name.eq_ignore_ascii_case("ALL")
                || registry.find(name).is_some()
                || registry.iter().any(|r| r.pack == name)
                || name == crate::finding::CORE_PACK
                || crate::diagnostic::CoreCode::ALL
                    .iter()
                    .any(|c| c.id() == name || c.slug() == name)
        };
        let c = &self.config;
        let mut names: Vec<(&'static str, &String)> = Vec::new();
        names.extend(c.select.iter().flatten().map(|n| ("select", n)));
        names.extend(c.ignore.iter().map(|n| ("ignore", n)));
        names.extend(c.severity.keys().map(|n| ("severity", n)));
        for e in &c.per_path_ignores.0 {
            names.extend(e.rules.iter().map(|n| ("per-path-ignores", n)));
        }
        names
            .into_iter()
            .filter(|(_, n)| !known(n))
            .map(|(k, n)| (k, n.clone()))
            .collect()
    }

    /// The `[severity]` override for a rule (ID, slug or pack, in `finding`'s terms); the most
    /// specific key wins: a rule name over its pack, a pack over `ALL`.
    fn override_for(&self, f: &Finding, registry: &Registry) -> Option<Severity> {
        self.config
            .severity
            .iter()
            .filter(|(k, _)| names(k, f, registry))
            .max_by_key(|(k, _)| {
                if k.eq_ignore_ascii_case("ALL") {
                    0
                } else if **k == f.pack {
                    1
                } else {
                    2
                }
            })
            .map(|(_, s)| *s)
    }

    /// Applies `[severity]` overrides to findings.
    pub fn apply_severity(&self, findings: &mut [Finding], registry: &Registry) {
        if self.config.severity.is_empty() {
            return;
        }
        for f in findings {
            if let Some(sev) = self.override_for(f, registry) {
                f.severity = sev;
            }
        }
    }

    /// The severity of a rule after `[severity]` overrides (SARIF rule descriptors use it,
    /// since GitHub rates alerts by the rule's `security-severity`).
    pub fn rule_severity(&self, rule: &RuleMeta, registry: &Registry) -> Severity {
        let probe = Finding {
            rule_id: rule.id.clone(),
            slug: rule.slug.clone(),
            pack: rule.pack.clone(),
            severity: rule.severity,
            message: String::new(),
            span: crate::source::Span::file_start(crate::source::FileId(0)),
            address: None,
        };
        self.override_for(&probe, registry).unwrap_or(rule.severity)
    }
}

/// The config directory relative to the current directory (`None` when it is not below it).
fn config_prefix(dir: &Path) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let abs = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        cwd.join(dir)
    };
    let abs = crate::discover::normalize(&abs);
    let rel = abs.strip_prefix(&cwd).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A display path (relative to the current directory) made relative to the config directory.
fn relative_to_config(display_path: &str, dir: &Path) -> String {
    match config_prefix(dir) {
        Some(p) if !p.is_empty() => display_path
            .strip_prefix(&format!("{p}/"))
            .unwrap_or(display_path)
            .to_string(),
        Some(_) => display_path.to_string(),
        None => match way_down(dir) {
            Some(down) => format!("{down}/{display_path}"),
            None => display_path.to_string(),
        },
    }
}

/// The current directory relative to `dir`, when it lies strictly below it.
fn way_down(dir: &Path) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let abs = crate::discover::normalize(&if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        cwd.join(dir)
    });
    let down = cwd.strip_prefix(&abs).ok()?;
    if down.as_os_str().is_empty() {
        return None;
    }
    Some(
        down.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The nearest `.infralint.toml` in `start` (or its directory) and its ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let abs = crate::discover::normalize(&cwd.join(start));
    let mut dir = if abs.is_dir() {
        abs
    } else {
        abs.parent()?.to_path_buf()
    };
    loop {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            // Shown in errors: relative to the current directory when below it.
            return Some(match candidate.strip_prefix(&cwd) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => candidate,
            });
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Whether `key` (ID, slug, alias, pack name or `ALL`) names the finding's rule.
fn names(key: &str, f: &Finding, registry: &Registry) -> bool {
    key.eq_ignore_ascii_case("ALL")
        || key == f.rule_id
        || key == f.slug
        || key == f.pack
        || registry.find(key).is_some_and(|m| m.id == f.rule_id)
}

/// Which rules run: `select` (default: the default-enabled rules) minus `ignore`. Entries are
/// IDs, slugs, aliases, pack names or `ALL`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
}

impl Selection {
    fn matches(key: &str, rule: &RuleMeta, registry: &Registry) -> bool {
        key.eq_ignore_ascii_case("ALL")
            || key == rule.id
            || key == rule.slug
            || key == rule.pack
            || rule.aliases.iter().any(|a| a == key)
            || registry.find(key).is_some_and(|m| m.id == rule.id)
    }

    /// Whether a rule runs. The most specific mention wins: a rule named by ID in `ignore`
    /// stays off even when its pack is selected, and vice versa.
    pub fn enabled(&self, rule: &RuleMeta, registry: &Registry) -> bool {
        let specificity = |key: &str| -> u8 {
            if key.eq_ignore_ascii_case("ALL") {
                0
            } else if key == rule.pack {
                1
            } else {
                2
            }
        };
        let best = |keys: &[String]| {
            keys.iter()
                .filter(|k| Self::matches(k, rule, registry))
                .map(|k| specificity(k))
                .max()
        };
        let selected = match &self.select {
            None => rule.default_enabled.then_some(0),
            Some(keys) => best(keys),
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// Drops findings of rules the selection turns off. Findings of rules the registry does
    /// not know (core diagnostics) are kept unless ignored by ID or slug.
    pub fn filter(&self, findings: &mut Vec<Finding>, registry: &Registry) {
        findings.retain(|f| match registry.find(&f.rule_id) {
            Some(meta) => self.enabled(meta, registry),
            None => !self
                .ignore
                .iter()
                .any(|k| k == &f.rule_id || k == &f.slug || k == "ALL"),
        });
    }

    /// Drops findings whose rule `ignore` names (by ID, slug, alias, pack or `ALL`), whatever
    /// `select` and `default_enabled` say: for findings asked for by a flag.
    pub fn filter_explicit(&self, findings: &mut Vec<Finding>, registry: &Registry) {
        findings.retain(|f| !self.ignore.iter().any(|k| names(k, f, registry)));
    }
}
