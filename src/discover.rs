//! Finding the files to scan: a parallel, `.gitignore`-aware walk plus classification by name.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::source::FileKind;

/// A file chosen for the run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    /// Shown to users: relative to the current directory when under it, `/`-separated.
    pub display_path: String,
    /// Used to read the file.
    pub path: PathBuf,
    pub kind: FileKind,
}

/// What to walk and what to leave out.
#[derive(Debug, Default, Clone)]
pub struct DiscoverOptions {
    /// Glob patterns (matched against display paths and every parent directory of them).
    pub exclude: Vec<String>,
}

/// Errors that stop discovery before any file is read (a bad glob or a missing path).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("invalid --exclude pattern `{pattern}`: {source}")]
    BadGlob {
        pattern: String,
        source: globset::Error,
    },
    #[error("path `{0}` does not exist")]
    Missing(String),
}

/// Directory names never descended into.
const SKIPPED_DIRS: &[&str] = &[".git", ".terraform", "node_modules", ".terragrunt-cache"];

/// Classifies a file by its path: `None` for files infralint does not read.
pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf.json") {
        return Some(FileKind::TerraformJson);
    }
    if lower.ends_with(".tfvars.json") {
        return Some(FileKind::TfvarsJson);
    }
    if lower.ends_with(".tf") {
        return Some(FileKind::Terraform);
    }
    if lower.ends_with(".tfvars") {
        return Some(FileKind::Tfvars);
    }
    // `Dockerfile.dockerignore` / `api.Dockerfile.dockerignore` are BuildKit's per-Dockerfile
    // ignore files, not Dockerfiles.
    if lower.ends_with(".dockerignore") {
        return None;
    }
    if name == "Dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
        || lower.ends_with(".dockerfile")
    {
        return Some(FileKind::Dockerfile);
    }
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if is_yaml && (lower == "action.yml" || lower == "action.yaml") {
        return Some(FileKind::Action);
    }
    if is_yaml {
        let parent = path.parent()?;
        let in_workflows = parent.file_name().is_some_and(|n| n == "workflows")
            && parent
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == ".github");
        if in_workflows {
            return Some(FileKind::Workflow);
        }
    }
    None
}

/// Classifies a file named explicitly on the command line: by name first, then by content
/// (a pre-commit hook may pass files with any name).
fn classify_explicit(path: &Path) -> Option<FileKind> {
    if let Some(kind) = classify(path) {
        return Some(kind);
    }
    let lower = path.file_name()?.to_str()?.to_ascii_lowercase();
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        return Some(FileKind::Workflow);
    }
    None
}

/// Walks `paths` (files or directories) and returns the files to scan, sorted by display path.
pub fn discover(
    paths: &[PathBuf],
    options: &DiscoverOptions,
) -> Result<Vec<DiscoveredFile>, DiscoverError> {
    let excludes = build_globset(&options.exclude)?;
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let found = Mutex::new(Vec::new());

    for root in paths {
        if !root.exists() && root.symlink_metadata().is_err() {
            return Err(DiscoverError::Missing(root.display().to_string()));
        }
        if root.is_file() {
            let display = display_path(&cwd, root);
            if let Some(kind) = classify_explicit(root) {
                if kind.is_terraform() {
                    // A Terraform file means nothing without its module: load the directory.
                    module_siblings(root, &cwd, &excludes, &found);
                }
                found.lock().expect("walk lock").push(DiscoveredFile {
                    display_path: display,
                    path: root.clone(),
                    kind,
                });
            }
            continue;
        }
        walk_dir(root, &cwd, &excludes, &found);
    }

    let mut files = found.into_inner().expect("walk lock");
    files.sort();
    files.dedup_by(|a, b| a.display_path == b.display_path);
    Ok(files)
}

/// The directories a run may read arbitrary files in (`file()`, `templatefile()`, `fileset()`…):
/// each scanned path, or the directory of a scanned file; `.` when no path is given. Never the
/// working directory as such, so `infralint check /repo` run from `/` cannot read `/etc`.
pub fn scan_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        return vec![PathBuf::from(".")];
    }
    paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                }
            }
        })
        .collect()
}

/// The Terraform files beside `file` in its directory (not below it), honouring excludes.
fn module_siblings(
    file: &Path,
    cwd: &Path,
    excludes: &GlobSet,
    found: &Mutex<Vec<DiscoveredFile>>,
) {
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Some(kind) = classify(&path).filter(|k| k.is_terraform()) else {
            continue;
        };
        let display = display_path(cwd, &path);
        if is_excluded(excludes, &display) {
            continue;
        }
        found.lock().expect("walk lock").push(DiscoveredFile {
            display_path: display,
            path,
            kind,
        });
    }
}

/// Which findings a run reports when files are named on the command line (as pre-commit does
/// with the changed files). Terraform files are loaded with their whole module directory (see
/// [`discover`]); findings are reported for
/// - a named directory: everything under it;
/// - a named Terraform file (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`): every file of its
///   module directory, because a change to `variables.tf` or `terraform.tfvars` can make a
///   resource in `main.tf` insecure;
/// - any other named file (Dockerfile, workflow, action): that file only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportScope {
    dirs: Vec<PathBuf>,
    module_dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl ReportScope {
    /// The scope of a run over `paths`, or `None` when no file is named (report everything).
    pub fn for_paths(paths: &[PathBuf]) -> Option<ReportScope> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let mut scope = ReportScope::default();
        for path in paths {
            let absolute = normalize(&cwd.join(path));
            if !path.is_file() {
                scope.dirs.push(absolute);
            } else if classify_explicit(path).is_some_and(FileKind::is_terraform) {
                let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
                scope.module_dirs.push(dir);
            } else {
                scope.files.push(absolute);
            }
        }
        (!scope.module_dirs.is_empty() || !scope.files.is_empty()).then_some(scope)
    }

    /// Whether findings in the file read from `path` are reported.
    pub fn contains(&self, path: &Path) -> bool {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let absolute = normalize(&cwd.join(path));
        self.files.contains(&absolute)
            || absolute
                .parent()
                .is_some_and(|dir| self.module_dirs.iter().any(|m| m == dir))
            || self.dirs.iter().any(|d| absolute.starts_with(d))
    }
}

fn walk_dir(root: &Path, cwd: &Path, excludes: &GlobSet, found: &Mutex<Vec<DiscoveredFile>>) {
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        })
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let display = display_path(cwd, entry.path());
            if is_excluded(excludes, &display) {
                return if is_file {
                    WalkState::Continue
                } else {
                    WalkState::Skip
                };
            }
            if !is_file {
                return WalkState::Continue;
            }
            if let Some(kind) = classify(entry.path()) {
                found.lock().expect("walk lock").push(DiscoveredFile {
                    display_path: display,
                    path: entry.path().to_path_buf(),
                    kind,
                });
            }
            WalkState::Continue
        })
    });
}

fn build_globset(patterns: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_end_matches('/');
        for candidate in [trimmed.to_string(), format!("**/{trimmed}")] {
            let glob = Glob::new(&candidate).map_err(|source| DiscoverError::BadGlob {
                pattern: pattern.clone(),
                source,
            })?;
            builder.add(glob);
        }
    }
    builder.build().map_err(|source| DiscoverError::BadGlob {
        pattern: patterns.join(", "),
        source,
    })
}

fn is_excluded(excludes: &GlobSet, display: &str) -> bool {
    !excludes.is_empty() && excludes.is_match(display)
}

/// A path as users see it: relative to `cwd` when under it, with `/` separators and no `./`.
pub fn display_path(cwd: &Path, path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let normalized = normalize(&absolute);
    let shown = normalized
        .strip_prefix(normalize(cwd))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| normalize(path));
    let parts: Vec<String> = shown
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            Component::RootDir => Some(String::new()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Removes `.` and folds `..` lexically (no file system access: links are not followed).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name() {
        let cases = [
            ("main.tf", Some(FileKind::Terraform)),
            ("main.tf.json", Some(FileKind::TerraformJson)),
            ("prod.tfvars", Some(FileKind::Tfvars)),
            ("x.auto.tfvars", Some(FileKind::Tfvars)),
            ("x.auto.tfvars.json", Some(FileKind::TfvarsJson)),
            ("Dockerfile", Some(FileKind::Dockerfile)),
            ("Dockerfile.prod", Some(FileKind::Dockerfile)),
            ("api.Dockerfile", Some(FileKind::Dockerfile)),
            ("Containerfile", Some(FileKind::Dockerfile)),
            ("Dockerfile.dockerignore", None),
            ("Containerfile.dockerignore", None),
            ("api.Dockerfile.dockerignore", None),
            ("docker/Dockerfile.prod.dockerignore", None),
            (".dockerignore", None),
            (".github/workflows/ci.yml", Some(FileKind::Workflow)),
            (".github/workflows/ci.yaml", Some(FileKind::Workflow)),
            ("ci.yml", None),
            ("action.yml", Some(FileKind::Action)),
            ("a/b/action.yaml", Some(FileKind::Action)),
            ("README.md", None),
        ];
        for (path, want) in cases {
            assert_eq!(classify(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn display_paths_are_relative_and_slashed() {
        let cwd = Path::new("/repo");
        assert_eq!(
            display_path(cwd, Path::new("./infra/main.tf")),
            "infra/main.tf"
        );
        assert_eq!(display_path(cwd, Path::new("/repo/a/../b/x.tf")), "b/x.tf");
        assert_eq!(display_path(cwd, Path::new("/other/x.tf")), "/other/x.tf");
        assert_eq!(display_path(cwd, Path::new("../m/x.tf")), "../m/x.tf");
    }

    #[test]
    fn excludes_match_anywhere_in_the_path() {
        let set = build_globset(&["examples".into(), "*.tfvars".into()]).unwrap();
        assert!(is_excluded(&set, "examples"));
        assert!(is_excluded(&set, "a/examples"));
        assert!(is_excluded(&set, "a/prod.tfvars"));
        assert!(!is_excluded(&set, "a/main.tf"));
    }
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    #[test]
    fn report_scope_by_kind_of_named_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("infra/sub")).unwrap();
        std::fs::create_dir_all(root.join("ops")).unwrap();
        for f in ["infra/vars.tfvars", "Dockerfile", "ops/x.yml"] {
            std::fs::write(root.join(f), "").unwrap();
        }
        assert_eq!(ReportScope::for_paths(&[root.join("ops")]), None);
        let scope =
            ReportScope::for_paths(&[root.join("infra/vars.tfvars"), root.join("Dockerfile")])
                .unwrap();
        assert!(scope.contains(&root.join("infra/main.tf")));
        assert!(scope.contains(&root.join("infra/./vars.tfvars")));
        assert!(!scope.contains(&root.join("infra/sub/main.tf")));
        assert!(scope.contains(&root.join("Dockerfile")));
        assert!(!scope.contains(&root.join("app/Dockerfile")));
        assert!(!scope.contains(&root.join("ops/x.yml")));
        let scope = ReportScope::for_paths(&[root.join("ops"), root.join("Dockerfile")]).unwrap();
        assert!(scope.contains(&root.join("ops/x.yml")));
        assert!(!scope.contains(&root.join("infra/main.tf")));
    }
}
