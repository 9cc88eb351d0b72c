//! Built-in checks of the `image-size` pack. They read the estimate of `crate::image_size`
//! (base-image table, package tables, build context measured from metadata) and flag what makes
//! final images large. See `docs/image-size.md`.

use globset::Glob;

use crate::image_size::{Estimate, PartKind, table};
use crate::ir::Value;
use crate::rules::{BuiltinFn, CheckContext, Verdict};

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("image_size_over_budget", over_budget),
    (
        "image_size_build_tools_in_final_image",
        build_tools_in_final,
    ),
    ("image_size_full_base_image", full_base_image),
    ("image_size_cache_in_final_image", cache_in_final),
    ("image_size_deleted_in_later_layer", deleted_in_later_layer),
    (
        "image_size_rewritten_in_later_layer",
        rewritten_in_later_layer,
    ),
];

/// The budget for a Dockerfile: the most specific matching glob of `[image.budgets]`, else
/// `[image] budget_mb`.
fn budget_for(settings: &toml::Table, file: &str) -> Option<f64> {
    let image = settings.get("image")?.as_table()?;
    let num = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    if let Some(globs) = image.get("budgets").and_then(toml::Value::as_table) {
        let mut best: Option<(usize, f64)> = None;
        for (g, v) in globs {
            let Some(mb) = num(v) else { continue };
            let Ok(m) = Glob::new(g).map(|g| g.compile_matcher()) else {
                continue;
            };
            let hit = m.is_match(file) || file.rsplit('/').next().is_some_and(|n| m.is_match(n));
            if hit && best.is_none_or(|(len, _)| g.len() > len) {
                best = Some((g.len(), mb));
            }
        }
        if let Some((_, mb)) = best {
            return Some(mb);
        }
    }
    image.get("budget_mb").and_then(num)
}

fn from_span(ctx: &CheckContext<'_>, e: &Estimate) -> crate::source::Span {
    let o = &ctx.model.objects[e.final_stage];
    o.attr("from").and_then(|v| v.span).unwrap_or(o.span)
}

fn over_budget(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for e in ctx.image_estimates() {
        let Some(budget) = budget_for(ctx.settings, &e.file) else {
            continue;
        };
        let known = e.known();
        let span = from_span(ctx, e);
        let unknown = e.unknown();
        if known.lo > budget {
            out.push(Verdict::fail(
                e.final_stage,
                span,
                format!(
                    "the final image's estimated size exceeds the {budget:.0} MB budget: {}",
                    e.summary()
                ),
            ));
        } else if known.hi > budget || !unknown.is_empty() {
            let names: Vec<&str> = unknown.iter().map(|p| p.label.as_str()).collect();
            out.push(Verdict::Unknown {
                object: Some(e.final_stage),
                span,
                reason: if names.is_empty() {
                    format!(
                        "the estimate {} straddles the {budget:.0} MB budget",
                        known.human()
                    )
                } else {
                    format!(
                        "the known part {} fits the {budget:.0} MB budget, but these parts are unknown: {}",
                        known.human(),
                        names.join(", ")
                    )
                },
            });
        }
    }
    out
}

/// Whether the final image starts from an image that already carries a toolchain
/// (`buildpack-deps`, `golang`, `rust`, `gcc`, or a full official image with a slim variant):
/// headers added there are not what makes it large, and IMG003 reports the base.
fn toolchain_base(ctx: &CheckContext<'_>, e: &Estimate) -> bool {
    let Some(base) = e.parts.iter().find(|p| p.kind == PartKind::Base) else {
        return false;
    };
    let Some(image) = ctx.model.objects[base.stage]
        .attr("image")
        .filter(|v| !v.is_unknown())
    else {
        return false;
    };
    let get = |k: &str| image.get(k).and_then(Value::as_str);
    if get("registry").is_some_and(|r| r != "docker.io") {
        return false;
    }
    let Some(repo) = get("repository") else {
        return false;
    };
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    matches!(repo, "buildpack-deps" | "golang" | "rust" | "gcc")
        || slim_variant(repo, get("tag").unwrap_or("latest")).is_some()
}

fn build_tools_in_final(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for e in ctx.image_estimates() {
        if toolchain_base(ctx, e) {
            continue;
        }
        // Packages from a variable may be build tools: undecided, never a finding.
        for p in e.parts.iter().filter(|p| p.unresolved) {
            out.push(Verdict::Unknown {
                object: Some(p.stage),
                span: p.span,
                reason: format!("{}: the packages come from a variable", p.label),
            });
        }
        for p in e.parts.iter().filter(|p| !p.build_tools.is_empty()) {
            let size = p
                .size
                .map(|s| format!(" (the whole install {})", s.human()))
                .unwrap_or_default();
            let how = if e.stages > 1 {
                "in the final stage of a multi-stage build: install them in the build stage only"
            } else {
                "in a single-stage image: build in a separate stage and copy the result"
            };
            out.push(Verdict::fail(
                p.stage,
                p.span,
                format!(
                    "build-only packages {} stay in the final image{size}, {how}",
                    p.build_tools.join(", ")
                ),
            ));
        }
    }
    out
}

/// Official images with a slim or alpine variant, and the variant to suggest.
fn slim_variant(repository: &str, tag: &str) -> Option<String> {
    let repo = repository.strip_prefix("library/").unwrap_or(repository);
    if !matches!(repo, "python" | "node" | "ruby" | "openjdk" | "debian") {
        return None;
    }
    let lower = tag.to_ascii_lowercase();
    if ["slim", "alpine", "windows", "nanoserver"]
        .iter()
        .any(|v| lower.contains(v))
    {
        return None;
    }
    let version = lower
        .trim_end_matches("-bookworm")
        .trim_end_matches("-bullseye")
        .trim_end_matches("-trixie");
    Some(if repo == "debian" {
        format!("{repo}:{version}-slim")
    } else if version == "latest" {
        format!("{repo}:slim")
    } else {
        format!("{repo}:{version}-slim")
    })
}

fn full_base_image(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for e in ctx.image_estimates() {
        // The external base the final image starts from (following FROM <stage>).
        let Some(base) = e.parts.iter().find(|p| p.kind == PartKind::Base) else {
            continue;
        };
        let st = &ctx.model.objects[base.stage];
        let Some(image) = st.attr("image").filter(|v| !v.is_unknown()) else {
            continue;
        };
        let get = |k: &str| image.get(k).and_then(Value::as_str);
        if get("registry").is_some_and(|r| r != "docker.io") {
            continue;
        }
        let Some(repo) = get("repository") else {
            continue;
        };
        let tag = get("tag").unwrap_or("latest");
        let Some(slim) = slim_variant(repo, tag) else {
            continue;
        };
        let sizes = match (
            table::base_image(None, repo, Some(tag)),
            slim.split_once(':')
                .and_then(|(r, t)| table::base_image(None, r, Some(t))),
        ) {
            (Some(a), Some(b)) => format!(
                " ({} {} vs {} {})",
                base.label,
                a.range.human(),
                slim,
                b.range.human()
            ),
            _ => String::new(),
        };
        out.push(Verdict::fail(
            base.stage,
            base.span,
            format!(
                "the final image is built on the full `{}`; `{slim}` carries no compilers, headers or docs{sizes}",
                base.label
            ),
        ));
    }
    out
}

fn cache_in_final(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for e in ctx.image_estimates() {
        for p in e.parts.iter().filter(|p| p.kind == PartKind::Cache) {
            let size = p
                .size
                .map(|s| format!(" ({})", s.human()))
                .unwrap_or_default();
            out.push(Verdict::fail(
                p.stage,
                p.span,
                format!("{}{size} left in a layer of the final image", p.label),
            ));
        }
    }
    out
}

fn deleted_in_later_layer(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for e in ctx.image_estimates() {
        for d in &e.deletions {
            let size = d
                .part
                .size
                .map(|s| format!(" ({})", s.human()))
                .unwrap_or_default();
            let line = ctx.model.sources.locate(d.part.span).line;
            out.push(Verdict::fail(
                d.stage,
                d.span,
                format!(
                    "removes `{}`{size}, added by an earlier layer (line {line}): the bytes stay in the image; remove it in the same RUN or use a build stage or a cache mount",
                    d.part.path.as_deref().unwrap_or(&d.part.label)
                ),
            ));
        }
    }
    out
}

fn rewritten_in_later_layer(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for e in ctx.image_estimates() {
        // One finding per command, listing what it copies again.
        let mut by_cmd: Vec<(crate::source::Span, usize, Vec<String>)> = Vec::new();
        for r in &e.rewrites {
            let line = ctx.model.sources.locate(r.part.span).line;
            let size = r
                .part
                .size
                .map(|s| format!(", {}", s.human()))
                .unwrap_or_default();
            let what = format!("{} (line {line}{size})", r.part.label);
            match by_cmd.iter_mut().find(|(s, _, _)| *s == r.span) {
                Some(entry) => entry.2.push(what),
                None => by_cmd.push((r.span, r.stage, vec![what])),
            }
        }
        for (span, stage, what) in by_cmd {
            out.push(Verdict::fail(
                stage,
                span,
                format!(
                    "a recursive ownership or mode change rewrites files added by earlier layers, so the image carries them twice: {}; set ownership and mode where the files are created (`COPY --chown=…`, `COPY --chmod=…`, or in the same `RUN`)",
                    what.join(", ")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_by_glob() {
        let s: toml::Table = toml::from_str(
            "[image]\nbudget_mb = 500\n[image.budgets]\n\"docker/*.Dockerfile\" = 800\n\"docker/scraper.Dockerfile\" = 1500\n",
        )
        .unwrap();
        assert_eq!(budget_for(&s, "Dockerfile"), Some(500.0));
        assert_eq!(budget_for(&s, "docker/backend.Dockerfile"), Some(800.0));
        assert_eq!(budget_for(&s, "docker/scraper.Dockerfile"), Some(1500.0));
        assert_eq!(budget_for(&toml::Table::new(), "Dockerfile"), None);
    }

    #[test]
    fn slim_variants() {
        assert_eq!(
            slim_variant("python", "3.12").as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(
            slim_variant("node", "20-bookworm").as_deref(),
            Some("node:20-slim")
        );
        assert_eq!(slim_variant("python", "3.12-slim"), None);
        assert_eq!(slim_variant("node", "20-alpine"), None);
        assert_eq!(slim_variant("nginx", "1.25"), None);
    }
}
