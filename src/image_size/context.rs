//! The build context: which files `COPY <src>` would send, honouring `.dockerignore`, measured
//! from file metadata only (sizes of regular files; symlinks are not followed).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};

/// At most this many files are visited per source, so a huge tree cannot stall a run.
const MAX_FILES: usize = 200_000;

/// The `.dockerignore` rules of a context: `(matcher, is_exception)` in file order.
#[derive(Debug, Default)]
pub struct Ignore {
    rules: Vec<(GlobMatcher, bool)>,
}

fn glob(pattern: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g: Glob| g.compile_matcher())
}

impl Ignore {
    /// Reads `<Dockerfile>.dockerignore` or `.dockerignore` in `dir` (the former wins, as in
    /// BuildKit). No file: nothing is ignored.
    pub fn load(dir: &Path, dockerfile_name: Option<&str>) -> Self {
        let own = dockerfile_name.map(|n| dir.join(format!("{n}.dockerignore")));
        let path = own
            .filter(|p| p.is_file())
            .unwrap_or_else(|| dir.join(".dockerignore"));
        let text = std::fs::read_to_string(path).unwrap_or_default();
        Self::parse(&text)
    }

    /// Parses `.dockerignore` text: one pattern a line, `#` comments, `!` exceptions, patterns
    /// relative to the context root (a leading `/` or `./` is dropped).
    pub fn parse(text: &str) -> Self {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (neg, pat) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pat = pat.trim_start_matches("./").trim_start_matches('/');
            let pat = pat.trim_end_matches('/');
            if pat.is_empty() {
                continue;
            }
            if let Some(m) = glob(pat) {
                rules.push((m, neg));
            }
        }
        Ignore { rules }
    }

    /// Whether the context-relative path (`/`-separated) is excluded. A pattern matching a
    /// parent directory excludes everything below it; the last matching pattern wins.
    pub fn excluded(&self, rel: &str) -> bool {
        let mut excluded = false;
        for (m, neg) in &self.rules {
            let hit = m.is_match(rel) || rel.match_indices('/').any(|(i, _)| m.is_match(&rel[..i]));
            if hit {
                excluded = !neg;
            }
        }
        excluded
    }

    fn has_exceptions(&self) -> bool {
        self.rules.iter().any(|(_, n)| *n)
    }
}

/// What a `COPY` source resolves to in the context.
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    /// Total bytes of the files that would be sent, and how many.
    Bytes { bytes: u64, files: usize },
    /// The source matches nothing in the scanned tree (not part of the scan, or generated).
    Missing,
}

/// Measures one `COPY`/`ADD` source (a path or a glob, relative to the context root).
pub fn measure(root: &Path, ignore: &Ignore, source: &str) -> Measured {
    let src = source.trim_start_matches("./").trim_start_matches('/');
    let src = src.trim_end_matches('/');
    let mut bytes = 0u64;
    let mut files = 0usize;
    let mut found = false;
    if src.is_empty() || src == "." {
        walk(root, "", ignore, &mut bytes, &mut files);
        return Measured::Bytes { bytes, files };
    }
    if src.contains(['*', '?', '[']) {
        let Some(m) = glob(src) else {
            return Measured::Missing;
        };
        let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
        // Globs match entries at the pattern's depth.
        let depth = src.split('/').count();
        while let Some((dir, rel)) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let r = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                let d = r.split('/').count();
                if d == depth && m.is_match(&r) {
                    found = true;
                    measure_entry(&e.path(), &r, ignore, &mut bytes, &mut files);
                } else if d < depth && e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push((e.path(), r));
                }
            }
        }
    } else {
        let p = root.join(src);
        if p.symlink_metadata().is_ok() {
            found = true;
            measure_entry(&p, src, ignore, &mut bytes, &mut files);
        }
    }
    if found {
        Measured::Bytes { bytes, files }
    } else {
        Measured::Missing
    }
}

fn measure_entry(path: &Path, rel: &str, ignore: &Ignore, bytes: &mut u64, files: &mut usize) {
    let Ok(meta) = path.symlink_metadata() else {
        return;
    };
    if meta.is_dir() {
        walk(path, rel, ignore, bytes, files);
    } else if meta.is_file() && !ignore.excluded(rel) {
        *bytes += meta.len();
        *files += 1;
    }
}

fn walk(dir: &Path, rel: &str, ignore: &Ignore, bytes: &mut u64, files: &mut usize) {
    if !rel.is_empty() && ignore.excluded(rel) && !ignore.has_exceptions() {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if *files >= MAX_FILES {
            return;
        }
        let name = e.file_name().to_string_lossy().to_string();
        let r = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        measure_entry(&e.path(), &r, ignore, bytes, files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_rules() {
        let ig = Ignore::parse("# c\n.git\n*.pyc\n**/__pycache__\ntests/\n!tests/keep.txt\n");
        assert!(ig.excluded(".git/config"));
        assert!(ig.excluded("a.pyc"));
        assert!(!ig.excluded("src/a.pyc"), "`*` does not cross `/`");
        assert!(ig.excluded("src/__pycache__/x.pyc"));
        assert!(ig.excluded("tests/t.py"));
        assert!(!ig.excluded("tests/keep.txt"));
        assert!(!ig.excluded("src/app.py"));
    }

    #[test]
    fn measures_files_honouring_dockerignore() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("src")).unwrap();
        std::fs::create_dir_all(d.path().join(".git")).unwrap();
        std::fs::write(d.path().join("src/a.py"), vec![b'x'; 1000]).unwrap();
        std::fs::write(d.path().join(".git/pack"), vec![b'x'; 5000]).unwrap();
        std::fs::write(d.path().join("req.txt"), vec![b'x'; 10]).unwrap();
        let ig = Ignore::parse(".git\n");
        assert_eq!(
            measure(d.path(), &ig, "."),
            Measured::Bytes {
                bytes: 1010,
                files: 2
            }
        );
        assert_eq!(
            measure(d.path(), &Ignore::default(), "."),
            Measured::Bytes {
                bytes: 6010,
                files: 3
            }
        );
        assert_eq!(
            measure(d.path(), &ig, "src/"),
            Measured::Bytes {
                bytes: 1000,
                files: 1
            }
        );
        assert_eq!(
            measure(d.path(), &ig, "*.txt"),
            Measured::Bytes {
                bytes: 10,
                files: 1
            }
        );
        assert_eq!(measure(d.path(), &ig, "missing/"), Measured::Missing);
    }
}
