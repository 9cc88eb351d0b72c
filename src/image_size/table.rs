//! The bundled size tables: base images (`rules/data/base-images.toml`) and packages
//! (`rules/data/package-sizes.toml`). Both carry their sources; see the files' headers.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::Range;

const BASE_IMAGES: &str = include_str!("../../rules/data/base-images.toml");
const PACKAGES: &str = include_str!("../../rules/data/package-sizes.toml");
const APT_CLOSURES: &str = include_str!("../../rules/data/apt-closures.toml");

/// One base image tag and its published size.
#[derive(Debug, Clone, Deserialize)]
pub struct BaseImage {
    #[serde(default)]
    pub registry: Option<String>,
    pub repository: String,
    pub tag: String,
    pub size_mb: f64,
    /// `uncompressed` (on-disk, what `docker images` shows) or `compressed` (registry).
    pub kind: String,
    #[serde(default)]
    pub approximate: bool,
    pub resolved: String,
    pub measured: String,
    pub source: String,
}

/// One package (or package set) of a package manager with its installed size.
#[derive(Debug, Clone, Deserialize)]
pub struct PackageSize {
    pub packages: Vec<String>,
    #[serde(default)]
    pub version: Option<String>,
    pub installed_kib: u64,
    pub with_deps_kib: u64,
}

#[derive(Debug, Deserialize)]
struct BaseFile {
    image: Vec<BaseImage>,
}

#[derive(Debug, Deserialize)]
struct PackageFile {
    #[serde(default)]
    apt: Vec<PackageSize>,
    #[serde(default)]
    pip: Vec<PackageSize>,
}

#[derive(Debug, Deserialize)]
struct ClosureFile {
    installed_kib: HashMap<String, u64>,
    closures: HashMap<String, Vec<String>>,
}

/// The parsed tables.
#[derive(Debug)]
pub struct Tables {
    pub images: Vec<BaseImage>,
    pub apt: Vec<PackageSize>,
    pub pip: Vec<PackageSize>,
    /// Own `Installed-Size` (KiB) of every package in some closure.
    pub apt_installed_kib: HashMap<String, u64>,
    /// Dependency closure of common apt packages (`rules/data/apt-closures.toml`).
    pub apt_closures: HashMap<String, Vec<String>>,
}

/// The bundled tables, parsed once. The files are checked by tests, so a parse error is a bug.
pub fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let base: BaseFile = toml::from_str(BASE_IMAGES).expect("rules/data/base-images.toml");
        let pkgs: PackageFile = toml::from_str(PACKAGES).expect("rules/data/package-sizes.toml");
        let closures: ClosureFile =
            toml::from_str(APT_CLOSURES).expect("rules/data/apt-closures.toml");
        Tables {
            images: base.image,
            apt: pkgs.apt,
            pip: pkgs.pip,
            apt_installed_kib: closures.installed_kib,
            apt_closures: closures.closures,
        }
    })
}

/// A base image found in the table, with the range the estimator uses for it.
#[derive(Debug, Clone)]
pub struct BaseMatch {
    pub entry: &'static BaseImage,
    pub range: Range,
    /// How the tag was matched when not exactly (`3.11.7-slim` → `3.11-slim`).
    pub note: Option<String>,
}

fn normalize_repo(registry: Option<&str>, repository: &str) -> (Option<String>, String) {
    let registry = registry.filter(|r| *r != "docker.io" && *r != "index.docker.io");
    let repo = repository
        .strip_prefix("library/")
        .unwrap_or(repository)
        .to_ascii_lowercase();
    (registry.map(str::to_ascii_lowercase), repo)
}

/// Candidate tags to look up for `tag`: the tag itself, then with its patch version dropped
/// (`3.11.7-slim` → `3.11-slim`) and with a Debian/Alpine release suffix dropped
/// (`3.11-slim-bookworm` → `3.11-slim`, `22-alpine3.20` → `22-alpine`).
fn tag_candidates(tag: &str) -> Vec<(String, Option<&'static str>)> {
    let mut out = vec![(tag.to_string(), None)];
    let (version, variant) = match tag.find('-') {
        Some(i) => (&tag[..i], Some(&tag[i + 1..])),
        None => (tag, None),
    };
    let parts: Vec<&str> = version.split('.').collect();
    let short = if parts.len() > 2 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        Some(parts[..2].join("."))
    } else {
        None
    };
    let variant_short = variant.map(|v| {
        let v = v
            .trim_end_matches("-bookworm")
            .trim_end_matches("-bullseye")
            .trim_end_matches("-trixie");
        if let Some(rest) = v.strip_prefix("alpine") {
            if rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return "alpine".to_string();
            }
        }
        v.to_string()
    });
    let join = |v: &str, var: &Option<String>| match var {
        Some(var) => format!("{v}-{var}"),
        None => v.to_string(),
    };
    if variant_short.as_deref() != variant {
        out.push((
            join(version, &variant_short),
            Some("same version, other distribution release"),
        ));
    }
    if let Some(s) = &short {
        out.push((
            join(s, &variant_short),
            Some("same minor version, other patch"),
        ));
    }
    out
}

/// Looks up a base image. `None` when the table has no published size for it.
pub fn base_image(
    registry: Option<&str>,
    repository: &str,
    tag: Option<&str>,
) -> Option<BaseMatch> {
    let (registry, repo) = normalize_repo(registry, repository);
    let tag = tag.unwrap_or("latest");
    for (cand, why) in tag_candidates(tag) {
        let Some(entry) = tables().images.iter().find(|e| {
            e.repository == repo && e.registry.as_deref() == registry.as_deref() && e.tag == cand
        }) else {
            continue;
        };
        let mut range = match entry.kind.as_str() {
            "compressed" => Range::new(entry.size_mb * 2.0, entry.size_mb * 3.5),
            _ => Range::exact(entry.size_mb),
        };
        if entry.approximate {
            range = Range::new(range.lo * 0.75, range.hi * 1.25);
        }
        let note = why.map(|w| {
            // A different patch or release: allow ±10%.
            range = Range::new(range.lo * 0.9, range.hi * 1.1);
            format!("size of `{}:{}` ({w})", entry.repository, entry.tag)
        });
        return Some(BaseMatch { entry, range, note });
    }
    None
}

/// The apt table entry for exactly this package.
pub fn apt(name: &str) -> Option<&'static PackageSize> {
    tables()
        .apt
        .iter()
        .find(|p| p.packages.len() == 1 && p.packages[0] == name)
}

/// What one `apt-get install` of `pkgs` adds, as far as the closure table knows: the summed
/// `Installed-Size` (KiB) of the union of the known packages' closures (shared dependencies
/// counted once), and the packages the table does not know.
/// Packages in `have` (installed by an earlier layer of the same image) are not counted again,
/// and the new ones are added to it.
pub fn apt_union<'a>(pkgs: &[&'a str], have: &mut BTreeSet<String>) -> (u64, Vec<&'a str>) {
    let t = tables();
    let mut union: BTreeSet<&str> = BTreeSet::new();
    let mut unknown = Vec::new();
    for p in pkgs {
        let name = p.split('=').next().unwrap_or(p);
        match t.apt_closures.get(name) {
            Some(c) => union.extend(c.iter().map(String::as_str)),
            None => unknown.push(*p),
        }
    }
    let kib = union
        .iter()
        .filter(|m| !have.contains(**m))
        .map(|m| t.apt_installed_kib.get(*m).copied().unwrap_or(0))
        .sum();
    have.extend(union.iter().map(|m| m.to_string()));
    (kib, unknown)
}

/// The pip table entry for this distribution name (case and `-`/`_` insensitive).
pub fn pip(name: &str) -> Option<&'static PackageSize> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let n = norm(name);
    tables()
        .pip
        .iter()
        .find(|p| p.packages.iter().any(|q| norm(q) == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_fallbacks_work() {
        assert!(tables().images.len() >= 10);
        let m = base_image(None, "python", Some("3.11.7-slim")).unwrap();
        assert_eq!(m.entry.tag, "3.11-slim");
        assert!(m.note.is_some());
        assert!(m.range.lo < 124.84 && m.range.hi > 124.84);
        let exact = base_image(None, "library/python", Some("3.10-slim")).unwrap();
        assert_eq!(exact.range, Range::exact(126.13));
        assert!(base_image(None, "python", Some("3.9-slim")).is_none());
        assert!(base_image(Some("ghcr.io"), "python", Some("3.10-slim")).is_none());
        // Fallbacks only shorten a tag: `alpine:3.22.6` finds `3.22`, but `alpine:3.24` does not
        // find the `3.24.2` entry (repo-info publishes no `3.24` file).
        let a = base_image(None, "alpine", Some("3.22.6")).unwrap();
        assert_eq!(a.entry.tag, "3.22");
        assert!(a.note.is_some());
        assert!(base_image(None, "alpine", Some("3.24")).is_none());
        // No tag means `latest`.
        assert_eq!(
            base_image(None, "ubuntu", None).unwrap().entry.tag,
            "latest"
        );
        assert!(apt("libgdal-dev").is_some());
        // Shared dependencies count once: gcc is inside build-essential's closure.
        let (both, unknown) = apt_union(&["build-essential", "gcc"], &mut BTreeSet::new());
        let mut have = BTreeSet::new();
        let (alone, _) = apt_union(&["build-essential"], &mut have);
        assert_eq!(both, alone);
        assert!(unknown.is_empty());
        // Installed by an earlier layer: nothing new.
        assert_eq!(apt_union(&["gcc"], &mut have).0, 0);
        assert_eq!(
            apt_union(&["no-such-package"], &mut have).1,
            vec!["no-such-package"]
        );
        // Every closure member has a size.
        for c in tables().apt_closures.values() {
            for m in c {
                assert!(tables().apt_installed_kib.contains_key(m), "{m}");
            }
        }
    }
}
