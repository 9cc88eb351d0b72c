//! The `rules` and `explain` commands.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Registry;
use super::{docs, load};
use crate::cli::RulesFormat;

fn registry(dirs: &[PathBuf]) -> Result<std::borrow::Cow<'static, Registry>, String> {
    load::registry(dirs).map_err(|e| e.to_string())
}

/// `infralint rules`: one line per rule (text) or an array of rule objects (JSON).
pub fn list(dirs: &[PathBuf], pack: Option<&str>, format: RulesFormat) -> Result<String, String> {
    let registry = registry(dirs)?;
    if let Some(p) = pack {
        if !registry.packs().contains(&p) {
            return Err(format!(
                "unknown pack `{p}` (packs: {})",
                registry.packs().join(", ")
            ));
        }
    }
    let rules: Vec<_> = registry
        .rules()
        .iter()
        .filter(|r| pack.is_none_or(|p| r.meta.pack == p))
        .collect();
    match format {
        RulesFormat::Json => {
            let items: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.meta.id,
                        "slug": r.meta.slug,
                        "pack": r.meta.pack,
                        "severity": r.meta.severity,
                        "default_enabled": r.meta.default_enabled,
                        "title": r.meta.title,
                        "aliases": r.meta.aliases,
                        "implementation": r.imp.kind_name(),
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?;
            s.push('\n');
            Ok(s)
        }
        RulesFormat::Text => {
            let mut out = String::new();
            for r in rules {
                let m = &r.meta;
                let _ = write!(
                    out,
                    "{:<9} {:<40} {:<16} {:<8} {:<3} {}",
                    m.id,
                    m.slug,
                    m.pack,
                    m.severity.as_str(),
                    if m.default_enabled { "on" } else { "off" },
                    m.title
                );
                if !m.aliases.is_empty() {
                    let _ = write!(out, " [{}]", m.aliases.join(", "));
                }
                out.push('\n');
            }
            Ok(out)
        }
    }
}

/// `infralint explain RULE`: the rule's docs page, rendered for a terminal.
pub fn explain(dirs: &[PathBuf], key: &str) -> Result<String, String> {
    let registry = registry(dirs)?;
    let rule = registry
        .find_rule(key)
        .ok_or_else(|| format!("no rule is called `{key}` (try `infralint rules` for the list)"))?;
    Ok(docs::render_plain(&docs::rule_page(rule)))
}
