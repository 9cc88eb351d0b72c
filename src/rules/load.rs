//! Reading rule files: the embedded `rules/**/*.toml` and user rule directories (`--rules`).
//!
//! Every problem is reported with the rule file and the line and column it is at.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::RuleMeta;
use super::condition::{CompileError, Condition, TomlPathSeg};
use super::registry::{CORE_CHECK, Registry, Rule, RuleImpl};

/// The embedded rule files: `(path relative to the crate root, text)`, sorted by path.
pub const BUILTIN_RULE_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Built-in packs and their ID prefixes.
pub const PACKS: &[(&str, &str)] = &[
    ("core", "IL"),
    ("security-groups", "SG"),
    ("encryption", "ENC"),
    ("tags", "TAG"),
    ("iam", "IAM"),
    ("logging", "LOG"),
    ("dockerfile", "DF"),
    ("image-size", "IMG"),
    ("workflow", "GHA"),
    ("cost", "COST"),
];

/// Languages a rule example may be written in (the fence tag of its docs code blocks).
pub const EXAMPLE_LANGUAGES: &[&str] = &["hcl", "dockerfile", "yaml", "json", "text"];

/// One problem in one rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The rule file.
    pub file: String,
    /// 1-based line and column (1:1 when the problem is the whole file).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Everything wrong with a set of rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError(pub Vec<LoadError>);

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "invalid rule file {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RulesError {}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn error_at(file: &str, text: &str, span: Option<Range<usize>>, message: String) -> LoadError {
    let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
    LoadError {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// The byte range of the value at a path in a TOML document (the deepest part of the path
/// that exists), e.g. `["condition", "all", 1, "equals"]`.
pub fn locate(text: &str, path: &[TomlPathSeg]) -> Option<Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut best = doc.span();
    let mut cur: &DeValue<'_>;
    let mut table = Some(doc.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for seg in path {
        let next = match seg {
            TomlPathSeg::Key(k) => table.and_then(|t| {
                t.iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                    .map(|(_, v)| v)
            }),
            TomlPathSeg::Index(i) => array.and_then(|a| a.get(*i)),
        };
        let Some(v) = next else {
            break;
        };
        best = v.span();
        cur = v.get_ref();
        table = cur.as_table();
        array = cur.as_array().map(|a| &a[..]);
    }
    Some(best)
}

fn key_path(keys: &[&str]) -> Vec<TomlPathSeg> {
    keys.iter()
        .map(|k| TomlPathSeg::Key((*k).to_string()))
        .collect()
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `SG001` → `("SG", "001")`; None unless the ID is uppercase letters followed by digits.
fn split_id(id: &str) -> Option<(&str, &str)> {
    let digits = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, num) = id.split_at(digits);
    (!prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && num.chars().all(|c| c.is_ascii_digit()))
    .then_some((prefix, num))
}

/// Parses and checks one rule file on its own (duplicates are checked by [`build`]).
pub fn parse_rule(file: &str, text: &str, builtin: bool) -> Result<Rule, LoadError> {
    let meta: RuleMeta = toml::from_str(text)
        .map_err(|e| error_at(file, text, e.span(), e.message().trim().to_string()))?;
    let at = |keys: &[&str], message: String| {
        error_at(file, text, locate(text, &key_path(keys)), message)
    };
    let Some((prefix, _)) = split_id(&meta.id) else {
        return Err(at(
            &["id"],
            format!(
                "bad rule ID `{}`: expected uppercase letters then digits, e.g. `SG001`",
                meta.id
            ),
        ));
    };
    if !is_kebab(&meta.slug) {
        return Err(at(
            &["slug"],
            format!(
                "bad slug `{}`: expected kebab-case (lowercase letters, digits and `-`)",
                meta.slug
            ),
        ));
    }
    let pack_prefix = PACKS.iter().find(|(p, _)| *p == meta.pack).map(|(_, x)| *x);
    let reserved = PACKS.iter().find(|(_, x)| *x == prefix).map(|(p, _)| *p);
    match (builtin, pack_prefix) {
        (true, None) => {
            let names: Vec<_> = PACKS.iter().map(|(p, _)| *p).collect();
            return Err(at(
                &["pack"],
                format!(
                    "unknown pack `{}` (expected one of: {})",
                    meta.pack,
                    names.join(", ")
                ),
            ));
        }
        (_, Some(expected)) if expected != prefix => {
            return Err(at(
                &["id"],
                format!(
                    "rule `{}` is in pack `{}`, whose IDs start with `{expected}`",
                    meta.id, meta.pack
                ),
            ));
        }
        (false, Some(_)) => {
            return Err(at(
                &["pack"],
                format!(
                    "pack `{}` is built in; give user rules a pack (and ID prefix) of their own",
                    meta.pack
                ),
            ));
        }
        (false, None) => {
            if let Some(pack) = reserved {
                return Err(at(
                    &["id"],
                    format!(
                        "ID prefix `{prefix}` belongs to the built-in `{pack}` pack; user rules need another prefix"
                    ),
                ));
            }
            if !is_kebab(&meta.pack) {
                return Err(at(
                    &["pack"],
                    format!("bad pack name `{}`: expected kebab-case", meta.pack),
                ));
            }
        }
        (true, Some(_)) => {}
    }
    if !EXAMPLE_LANGUAGES.contains(&meta.example.language.as_str()) {
        return Err(at(
            &["example", "language"],
            format!(
                "unknown example language `{}` (expected one of: {})",
                meta.example.language,
                EXAMPLE_LANGUAGES.join(", ")
            ),
        ));
    }
    let imp = match (&meta.check, &meta.condition) {
        (Some(_), Some(_)) => {
            return Err(at(
                &["check"],
                "a rule has either `check` or `condition`, not both".to_string(),
            ));
        }
        (None, None) => {
            return Err(error_at(
                file,
                text,
                None,
                "a rule needs `check = \"<built-in>\"` or a `[condition]` table".to_string(),
            ));
        }
        (Some(name), None) if name == CORE_CHECK => {
            // Core rules are raised by the pipeline (IL0001–IL0007) or by suppression handling
            // (IL0100, IL0101), not by a check.
            if meta.pack != "core" || !meta.id.starts_with("IL") {
                return Err(at(
                    &["check"],
                    format!("`check = \"{CORE_CHECK}\"` is for the core diagnostics (IL…)"),
                ));
            }
            RuleImpl::Core
        }
        (Some(name), None) => match RuleImpl::of(&meta) {
            RuleImpl::Builtin(n, f) => RuleImpl::Builtin(n, f),
            _ => {
                return Err(at(
                    &["check"],
                    format!("no built-in check is called `{name}`"),
                ));
            }
        },
        (None, Some(c)) => match Condition::compile(c) {
            Ok(c) => RuleImpl::Condition(std::sync::Arc::new(c)),
            Err(CompileError { at: path, message }) => {
                let mut full = key_path(&["condition"]);
                full.extend(path.iter().cloned());
                let err = CompileError {
                    at: path,
                    message: message.clone(),
                };
                return Err(error_at(
                    file,
                    text,
                    locate(text, &full),
                    format!("in `{}`: {message}", err.path_text()),
                ));
            }
        },
    };
    Ok(Rule {
        meta,
        imp,
        origin: file.to_string(),
        builtin,
    })
}

/// Checks a set of parsed rules together (unique IDs, slugs; aliases that shadow an ID or
/// slug) and builds the registry. `texts` maps each origin to its text, for positions.
fn build(rules: Vec<Rule>, texts: &HashMap<String, String>) -> Result<Registry, RulesError> {
    let mut errors = Vec::new();
    let mut ids: HashMap<&str, &Rule> = HashMap::new();
    let mut slugs: HashMap<&str, &Rule> = HashMap::new();
    let at = |r: &Rule, key: &str, message: String| {
        let text = texts.get(&r.origin).map_or("", String::as_str);
        error_at(&r.origin, text, locate(text, &key_path(&[key])), message)
    };
    for r in &rules {
        if let Some(prev) = ids.insert(&r.meta.id, r) {
            errors.push(at(
                r,
                "id",
                format!(
                    "duplicate rule ID `{}` (also in {})",
                    r.meta.id, prev.origin
                ),
            ));
        }
        if let Some(prev) = slugs.insert(&r.meta.slug, r) {
            errors.push(at(
                r,
                "slug",
                format!("duplicate slug `{}` (also in {})", r.meta.slug, prev.origin),
            ));
        }
    }
    for r in &rules {
        for alias in &r.meta.aliases {
            if let Some(other) = ids.get(alias.as_str()).or(slugs.get(alias.as_str())) {
                if other.meta.id != r.meta.id {
                    errors.push(at(
                        r,
                        "aliases",
                        format!(
                            "alias `{alias}` is the ID or slug of rule {} ({})",
                            other.meta.id, other.origin
                        ),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(Registry::from_rules(rules))
    } else {
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        Err(RulesError(errors))
    }
}

/// The `*.toml` files under a directory, recursively, sorted.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            toml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses rule files given as `(origin, text, builtin)` into a registry.
pub fn from_sources(sources: Vec<(String, String, bool)>) -> Result<Registry, RulesError> {
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    let mut texts = HashMap::new();
    for (origin, text, builtin) in sources {
        match parse_rule(&origin, &text, builtin) {
            Ok(r) => rules.push(r),
            Err(e) => errors.push(e),
        }
        texts.insert(origin, text);
    }
    if !errors.is_empty() {
        return Err(RulesError(errors));
    }
    build(rules, &texts)
}

/// The embedded rule files as `(origin, text, builtin = true)`, for [`from_sources`].
pub fn builtin_sources() -> Vec<(String, String, bool)> {
    BUILTIN_RULE_FILES
        .iter()
        .map(|(path, text)| ((*path).to_string(), (*text).to_string(), true))
        .collect()
}

/// The embedded rules. They are checked by the test suite, so this does not fail in a
/// released binary.
pub fn builtin_registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| match from_sources(builtin_sources()) {
        Ok(r) => r,
        Err(e) => panic!("the embedded rules are invalid:\n{e}"),
    })
}

/// The embedded rules plus the rule files under each of `dirs`: the shared
/// [`builtin_registry`] when there are none, else [`load_registry`].
pub fn registry(dirs: &[PathBuf]) -> Result<Cow<'static, Registry>, RulesError> {
    if dirs.is_empty() {
        Ok(Cow::Borrowed(builtin_registry()))
    } else {
        load_registry(dirs).map(Cow::Owned)
    }
}

/// The embedded rules plus the rule files under each of `dirs` (recursively).
pub fn load_registry(dirs: &[PathBuf]) -> Result<Registry, RulesError> {
    let mut sources = builtin_sources();
    let mut errors = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        if let Err(e) = toml_files(dir, &mut files) {
            errors.push(LoadError {
                file: dir.display().to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read rule directory: {e}"),
            });
            continue;
        }
        files.sort();
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => sources.push((f.display().to_string(), text, false)),
                Err(e) => errors.push(LoadError {
                    file: f.display().to_string(),
                    line: 1,
                    column: 1,
                    message: format!("cannot read rule file: {e}"),
                }),
            }
        }
    }
    if !errors.is_empty() {
        return Err(RulesError(errors));
    }
    from_sources(sources)
}
