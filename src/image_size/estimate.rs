//! Walks the stages of each Dockerfile and sizes what every instruction of the final image adds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::context::{self, Ignore, Measured};
use super::{Range, kib_to_mb, table};
use crate::ir::{Model, Object, Value};
use crate::source::Span;

/// Default range of a package missing from the tables, per package manager (MB).
const APT_DEFAULT: Range = Range { lo: 1.0, hi: 60.0 };
const PIP_DEFAULT: Range = Range { lo: 1.0, hi: 40.0 };
const APK_DEFAULT: Range = Range { lo: 0.5, hi: 20.0 };
const DNF_DEFAULT: Range = Range { lo: 1.0, hi: 60.0 };
/// `/var/lib/apt/lists` after `apt-get update` on Debian 12: the bookworm, bookworm-updates and
/// bookworm-security amd64 indexes, kept lz4-compressed as Debian's images configure apt to do,
/// measured at 19.6 MB on 2026-11-23; other releases and sources vary.
const APT_LISTS: Range = Range { lo: 15.0, hi: 30.0 };
/// Alpine's APKINDEX files for main + community.
const APK_INDEX: Range = Range { lo: 1.0, hi: 4.0 };
/// dnf/yum metadata and package cache left without `dnf clean all` (heuristic).
const DNF_CACHE: Range = Range {
    lo: 30.0,
    hi: 200.0,
};

/// What a part of the image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The base image (from the table).
    Base,
    /// Packages installed by a package manager.
    Packages,
    /// A package manager's cache or index left in the layer.
    Cache,
    /// Files copied from the build context.
    Context,
    /// Files copied from another stage.
    StageCopy,
    /// Anything else sized (a browser download, a virtualenv).
    Other,
}

/// One contributor to an image's size.
#[derive(Debug, Clone)]
pub struct Part {
    /// `python:3.10-slim`, `apt: gdal-bin, libgdal-dev …`, `pip cache`.
    pub label: String,
    pub kind: PartKind,
    /// `None`: the size cannot be known statically (the estimate says so).
    pub size: Option<Range>,
    /// Why the size is unknown, or how it was derived.
    pub note: Option<String>,
    /// The instruction (or `FROM`) that adds it.
    pub span: Span,
    /// Index of the stage object it was added in.
    pub stage: usize,
    /// Where it lives in the image, when known (`/opt/venv`, `/var/lib/apt/lists`).
    pub path: Option<String>,
    /// Build-only packages among those installed (compilers, headers, `build-essential`).
    pub build_tools: Vec<String>,
    /// For wheels: the installed size they turn into.
    pub installs: Option<Range>,
    /// For build-context copies: the file or directory on disk that was measured.
    pub context_file: Option<PathBuf>,
    /// Packages named by a variable (`apt-get install $PKGS`): which ones is unknown.
    pub unresolved: bool,
}

/// A path removed in a later layer than the one that added it: it still counts.
#[derive(Debug, Clone)]
pub struct Deletion {
    /// The part that was removed later.
    pub part: Part,
    /// The `rm` command.
    pub span: Span,
    pub stage: usize,
}

/// The estimate of one Dockerfile's final image.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Index of the `dockerfile` object.
    pub dockerfile: usize,
    /// Index of the final stage object.
    pub final_stage: usize,
    /// Display path of the Dockerfile.
    pub file: String,
    /// Contributors of the final image, in layer order (inherited stages first).
    pub parts: Vec<Part>,
    /// Removals in a later layer of the final image.
    pub deletions: Vec<Deletion>,
    /// `chown -R`/`chmod -R` in a later layer of files an earlier layer added: the files are
    /// copied into the new layer (same struct: the part and the command).
    pub rewrites: Vec<Deletion>,
    /// Stages of the file, for multi-stage checks.
    pub stages: usize,
}

impl Estimate {
    /// Sum of the parts whose size is known.
    pub fn known(&self) -> Range {
        self.parts
            .iter()
            .filter_map(|p| p.size)
            .fold(Range::zero(), Range::plus)
    }

    /// Parts whose size is unknown.
    pub fn unknown(&self) -> Vec<&Part> {
        self.parts.iter().filter(|p| p.size.is_none()).collect()
    }

    /// Whether the base image's size is known.
    pub fn base_known(&self) -> bool {
        self.parts
            .iter()
            .filter(|p| p.kind == PartKind::Base)
            .all(|p| p.size.is_some())
    }

    /// One line: total range, main contributors, unknown parts.
    pub fn summary(&self) -> String {
        let mut main: Vec<&Part> = self
            .parts
            .iter()
            .filter(|p| p.size.is_some_and(|s| s.hi >= 1.0) || p.kind == PartKind::Base)
            .collect();
        main.sort_by(|a, b| {
            let ka = a.size.map_or(f64::MAX, |s| s.hi);
            let kb = b.size.map_or(f64::MAX, |s| s.hi);
            kb.total_cmp(&ka)
        });
        let shown: Vec<String> = main
            .iter()
            .filter(|p| p.size.is_some())
            .take(4)
            .map(|p| {
                format!(
                    "{} {}",
                    p.label,
                    p.size.map(|s| s.human()).unwrap_or_default()
                )
            })
            .collect();
        let unknown = self.unknown();
        let known = self.known().human();
        let mut s = if self.base_known() {
            known
        } else {
            let base = self
                .parts
                .iter()
                .find(|p| p.kind == PartKind::Base)
                .map_or("?", |p| p.label.as_str());
            format!("unknown (no published size for `{base}`); known parts {known}")
        };
        if !shown.is_empty() {
            s.push_str(": ");
            s.push_str(&shown.join(", "));
        }
        let unknown: Vec<&str> = unknown
            .iter()
            .filter(|p| p.kind != PartKind::Base)
            .map(|p| p.label.as_str())
            .collect();
        if !unknown.is_empty() {
            s.push_str(&format!(" + unknown: {}", unknown.join(", ")));
        }
        s
    }

    /// The estimate as JSON (for `inspect`).
    pub fn to_json(&self, model: &Model) -> serde_json::Value {
        let total = self.known();
        let parts: Vec<serde_json::Value> = self
            .parts
            .iter()
            .map(|p| {
                let loc = model.sources.locate(p.span);
                serde_json::json!({
                    "label": p.label,
                    "kind": format!("{:?}", p.kind).to_ascii_lowercase(),
                    "mb_low": p.size.map(|s| round(s.lo)),
                    "mb_high": p.size.map(|s| round(s.hi)),
                    "unknown": p.size.is_none(),
                    "note": p.note,
                    "line": loc.line,
                    "path": p.path,
                    "build_tools": p.build_tools,
                })
            })
            .collect();
        serde_json::json!({
            "file": self.file,
            "summary": self.summary(),
            "mb_low": round(total.lo),
            "mb_high": round(total.hi),
            "complete": self.unknown().is_empty(),
            "parts": parts,
        })
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Estimates every Dockerfile of the model.
pub fn estimate_all(model: &Model) -> Vec<Estimate> {
    let mut out = Vec::new();
    for (fidx, fobj) in model.of_type("dockerfile") {
        let stages: Vec<(usize, &Object)> = model
            .of_type("docker_stage")
            .filter(|(_, o)| o.parent == Some(fidx))
            .collect();
        let Some(last) = stages.len().checked_sub(1) else {
            continue;
        };
        let file = model.sources.get(fobj.span.file);
        let dir = match file.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string());
        let ignore = Ignore::load(&dir, name.as_deref());
        // The root of display paths (the working directory for relative scans): context
        // lookups never go above it, nor above a repository root (`.git`).
        let full = file.path.to_string_lossy().replace('\\', "/");
        let root = full
            .strip_suffix(file.display_path.as_str())
            .map(|r| r.trim_end_matches('/'))
            .filter(|r| !r.is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        let mut w = Walker {
            stages: &stages,
            dir: &dir,
            root: &root,
            ignore: &ignore,
            memo: HashMap::new(),
        };
        let st = w.stage(last, 0);
        out.push(Estimate {
            dockerfile: fidx,
            final_stage: stages[last].0,
            file: file.display_path.clone(),
            parts: st.parts,
            deletions: st.deletions,
            rewrites: st.rewrites,
            stages: stages.len(),
        });
    }
    out
}

#[derive(Debug, Clone, Default)]
struct StageResult {
    parts: Vec<Part>,
    deletions: Vec<Deletion>,
    rewrites: Vec<Deletion>,
    workdir: String,
    env: HashMap<String, String>,
    /// apt packages installed by earlier layers (closure members).
    apt_have: std::collections::BTreeSet<String>,
}

struct Walker<'a> {
    stages: &'a [(usize, &'a Object)],
    dir: &'a Path,
    /// The scan root (`.` when relative and empty).
    root: &'a Path,
    ignore: &'a Ignore,
    memo: HashMap<usize, StageResult>,
}

fn strs(v: Option<&Value>) -> Vec<(&str, Span)> {
    v.and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|w| Some((w.as_str()?, w.span?)))
        .collect()
}

fn kw(i: &Value) -> &str {
    i.get("instruction").and_then(Value::as_str).unwrap_or("")
}

fn flag<'a>(i: &'a Value, name: &str) -> Option<&'a str> {
    i.get_path(&format!("flags.{name}")).and_then(Value::as_str)
}

/// A `--mount=type=cache` whose target contains `path` (`target=/root/.cache` covers pip's
/// cache), or whose spec mentions `needle`.
fn cache_mount_covers(i: &Value, path: &str, needle: &str) -> bool {
    mounts(i).any(|s| {
        let kv: Vec<&str> = s.split(',').collect();
        kv.contains(&"type=cache")
            && (kv.iter().any(|p| {
                ["target=", "dst=", "destination="]
                    .iter()
                    .find_map(|k| p.strip_prefix(k))
                    .is_some_and(|t| under(path, t.trim_end_matches('/')))
            }) || s.contains(needle))
    })
}

fn has_cache_mount(i: &Value, needle: &str) -> bool {
    mounts(i).any(|s| s.split(',').any(|kv| kv == "type=cache") && s.contains(needle))
}

/// The specs of a RUN's `--mount` flags (one value or a list of them).
fn mounts(i: &Value) -> impl Iterator<Item = &str> {
    let vals: &[Value] = match i.get_path("flags.mount") {
        Some(v) => v.as_list().unwrap_or(std::slice::from_ref(v)),
        None => &[],
    };
    vals.iter().filter_map(Value::as_str)
}

/// `/abs` stays; `rel` is joined to the working directory.
fn absolute(workdir: &str, p: &str) -> String {
    let joined = if p.starts_with('/') {
        p.to_string()
    } else {
        let p = p.trim_start_matches("./");
        if p == "." || p.is_empty() {
            workdir.to_string()
        } else {
            format!("{}/{}", workdir.trim_end_matches('/'), p)
        }
    };
    let t = joined.trim_end_matches('/');
    if t.is_empty() { "/".into() } else { t.into() }
}

/// Whether `dir` is `root` or below it (component-wise, `.` ignored).
fn within(dir: &Path, root: &Path) -> bool {
    let comps = |p: &Path| -> Vec<std::ffi::OsString> {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_os_string())
            .collect()
    };
    let (d, r) = (comps(dir), comps(root));
    d.len() >= r.len() && d[..r.len()] == r[..]
}

fn under(path: &str, dir: &str) -> bool {
    path == dir || dir == "/" || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// Build-only packages: compilers, headers, build meta-packages.
pub fn is_build_tool(pkg: &str) -> bool {
    let p = pkg.split(['=', ':']).next().unwrap_or(pkg);
    matches!(
        p,
        "build-essential"
            | "build-base"
            | "gcc"
            | "g++"
            | "gcc-c++"
            | "clang"
            | "make"
            | "cmake"
            | "autoconf"
            | "automake"
            | "libtool"
            | "pkg-config"
            | "pkgconf"
            | "musl-dev"
            | "cargo"
            | "rustc"
    ) || p.ends_with("-dev")
        || p.ends_with("-devel")
        || (p.starts_with("gcc-") && p[4..].chars().all(|c| c.is_ascii_digit()))
        || (p.starts_with("g++-") && p[4..].chars().all(|c| c.is_ascii_digit()))
}

struct Cmd<'a> {
    argv: Vec<&'a str>,
    assignments: Vec<&'a str>,
    span: Span,
}

impl<'a> Cmd<'a> {
    fn name(&self) -> &'a str {
        self.argv
            .first()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .unwrap_or("")
    }
    fn args(&self) -> &[&'a str] {
        self.argv.get(1..).unwrap_or_default()
    }
    fn has(&self, f: &str) -> bool {
        self.args().contains(&f)
    }
    fn sub(&self) -> Option<&'a str> {
        self.args().iter().copied().find(|w| !w.starts_with('-'))
    }
}

fn commands(i: &Value) -> Vec<Cmd<'_>> {
    i.get("commands")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .map(|c| Cmd {
            argv: strs(c.get("argv")).into_iter().map(|w| w.0).collect(),
            assignments: strs(c.get("assignments"))
                .into_iter()
                .map(|w| w.0)
                .collect(),
            span: c
                .span
                .or(i.span)
                .unwrap_or(Span::file_start(crate::source::FileId(0))),
        })
        .collect()
}

/// Operands after the subcommand, skipping options (and the values of options that take one).
fn operands<'a>(args: &[&'a str], takes_value: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    let mut seen_sub = false;
    for w in args {
        if skip {
            skip = false;
            continue;
        }
        if w.starts_with('-') {
            if takes_value.contains(w) {
                skip = true;
            }
            continue;
        }
        if !seen_sub {
            seen_sub = true;
            continue;
        }
        out.push(*w);
    }
    out
}

/// Sums a set of packages installed together: the largest closure at least (shared
/// dependencies), the sum of closures at most.
fn package_set(sizes: &[Range]) -> Range {
    let max_lo = sizes.iter().map(|r| r.lo).fold(0.0, f64::max);
    let sum_hi: f64 = sizes.iter().map(|r| r.hi).sum();
    Range::new(max_lo, sum_hi)
}

fn short_list(pkgs: &[&str]) -> String {
    if pkgs.len() <= 3 {
        pkgs.join(", ")
    } else {
        format!("{}, … ({} packages)", pkgs[..3].join(", "), pkgs.len())
    }
}

impl<'a> Walker<'a> {
    fn stage_by_name(&self, name: &str) -> Option<usize> {
        let lname = name.to_ascii_lowercase();
        self.stages.iter().position(|(_, o)| {
            o.attr("alias").and_then(Value::as_str) == Some(lname.as_str())
                || o.attr("index")
                    .and_then(Value::as_f64)
                    .is_some_and(|n| n.to_string() == lname)
        })
    }

    fn stage(&mut self, i: usize, depth: usize) -> StageResult {
        if let Some(r) = self.memo.get(&i) {
            return r.clone();
        }
        let (idx, obj) = self.stages[i];
        let from_span = obj.attr("from").and_then(|v| v.span).unwrap_or(obj.span);
        let mut st = StageResult {
            workdir: "/".into(),
            ..Default::default()
        };
        // Base.
        let image = obj.attr("image");
        let base_label = obj
            .attr("base")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        match image {
            Some(v) if v.is_unknown() => st.parts.push(Part {
                label: base_label,
                kind: PartKind::Base,
                size: None,
                note: Some("the base image uses an ARG without a value".into()),
                span: from_span,
                stage: idx,
                path: None,
                build_tools: vec![],
                installs: None,
                context_file: None,
                unresolved: false,
            }),
            Some(v) => {
                let get = |k: &str| v.get(k).and_then(Value::as_str);
                let flag = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
                let resolved = get("resolved").unwrap_or(&base_label).to_string();
                if flag("is_scratch") {
                } else if flag("is_stage") {
                    if let Some(j) = self
                        .stage_by_name(&resolved)
                        .filter(|j| *j < i && depth < 32)
                    {
                        let inherited = self.stage(j, depth + 1);
                        st = inherited;
                    }
                } else {
                    let found = get("repository")
                        .and_then(|r| table::base_image(get("registry"), r, get("tag")));
                    st.parts.push(match found {
                        Some(m) => Part {
                            label: resolved,
                            kind: PartKind::Base,
                            size: Some(m.range),
                            note: Some(m.note.unwrap_or_else(|| {
                                format!("{} ({})", m.entry.resolved, m.entry.measured)
                            })),
                            span: from_span,
                            stage: idx,
                            path: None,
                            build_tools: vec![],
                            installs: None,
                            context_file: None,
                            unresolved: false,
                        },
                        None => Part {
                            label: resolved,
                            kind: PartKind::Base,
                            size: None,
                            note: Some("no published size in the bundled base-image table".into()),
                            span: from_span,
                            stage: idx,
                            path: None,
                            build_tools: vec![],
                            installs: None,
                            context_file: None,
                            unresolved: false,
                        },
                    });
                }
            }
            None => {}
        }
        let instrs = obj
            .attr("instructions")
            .and_then(Value::as_list)
            .unwrap_or_default();
        for ins in instrs {
            let span = ins.span.unwrap_or(obj.span);
            match kw(ins) {
                "WORKDIR" => {
                    if let Some((w, _)) = strs(ins.get("words")).first() {
                        st.workdir = absolute(&st.workdir, w);
                    }
                }
                "ENV" => {
                    for p in ins
                        .get("pairs")
                        .and_then(Value::as_list)
                        .unwrap_or_default()
                    {
                        if let (Some(k), Some(v)) = (
                            p.get("key").and_then(Value::as_str),
                            p.get("value").and_then(Value::as_str),
                        ) {
                            st.env.insert(k.to_string(), v.to_string());
                        }
                    }
                }
                "COPY" | "ADD" => self.copy(ins, span, idx, depth, &mut st),
                "RUN" => self.run(ins, span, idx, &mut st),
                _ => {}
            }
        }
        self.memo.insert(i, st.clone());
        st
    }

    fn part(
        &self,
        label: String,
        kind: PartKind,
        size: Option<Range>,
        span: Span,
        stage: usize,
    ) -> Part {
        Part {
            label,
            kind,
            size,
            note: None,
            span,
            stage,
            path: None,
            build_tools: vec![],
            installs: None,
            context_file: None,
            unresolved: false,
        }
    }

    fn copy(&mut self, ins: &Value, span: Span, idx: usize, depth: usize, st: &mut StageResult) {
        if ins.get("form").and_then(Value::as_str) == Some("heredoc") {
            return;
        }
        let words = strs(ins.get("words"));
        let words: Vec<&str> = match ins.get("args").and_then(Value::as_list) {
            Some(list) => list.iter().filter_map(Value::as_str).collect(),
            None => words.into_iter().map(|w| w.0).collect(),
        };
        let Some((dest, srcs)) = words.split_last() else {
            return;
        };
        let dest_abs = absolute(&st.workdir, dest);
        if let Some(from) = flag(ins, "from") {
            let Some(j) = self.stage_by_name(from).filter(|_| depth < 32) else {
                let mut p = self.part(
                    format!("COPY --from={from}"),
                    PartKind::StageCopy,
                    None,
                    span,
                    idx,
                );
                p.note = Some(format!("`{from}` is an image, not a stage of this file"));
                st.parts.push(p);
                return;
            };
            let src_stage = self.stage(j, depth + 1);
            for s in srcs {
                let s_abs = absolute("/", s.trim_end_matches("/*"));
                let mut total = Range::zero();
                let mut installs: Option<Range> = None;
                let mut matched = false;
                let mut unknown = false;
                for p in &src_stage.parts {
                    let Some(pp) = &p.path else { continue };
                    if under(pp, &s_abs) {
                        matched = true;
                        match p.size {
                            Some(r) => total = total.plus(r),
                            None => unknown = true,
                        }
                        if let Some(r) = p.installs {
                            installs = Some(installs.map_or(r, |x| x.plus(r)));
                        }
                    } else if under(&s_abs, pp) {
                        matched = true;
                        match p.size {
                            Some(r) => total = total.plus(Range::new(0.0, r.hi)),
                            None => unknown = true,
                        }
                    }
                }
                let label = format!("COPY --from={from} {s}");
                let mut part = self.part(label, PartKind::StageCopy, None, span, idx);
                part.path = Some(if srcs.len() == 1 {
                    dest_abs.clone()
                } else {
                    format!("{dest_abs}/{s}")
                });
                part.installs = installs;
                if matched && !unknown {
                    part.size = Some(total);
                } else {
                    part.note = Some(format!(
                        "what stage `{from}` leaves at `{s}` is not known statically"
                    ));
                }
                st.parts.push(part);
            }
            return;
        }
        for s in srcs {
            if s.contains("://") || s.starts_with("git@") {
                let mut p = self.part(
                    format!("{} {s}", kw(ins)),
                    PartKind::Context,
                    None,
                    span,
                    idx,
                );
                p.note = Some("remote source: not measurable offline".into());
                st.parts.push(p);
                continue;
            }
            let mut p = self.part(format!("COPY {s}"), PartKind::Context, None, span, idx);
            p.path = Some(dest_abs.clone());
            let mut measured = context::measure(self.dir, self.ignore, s);
            // `docker build -f docker/x.Dockerfile .`: the context is often a parent directory;
            // when the source is not beside the Dockerfile, try up to three levels up.
            let mut ctx_note = String::new();
            let mut ctx_dir = self.dir.to_path_buf();
            let mut up = self.dir.to_path_buf();
            for _ in 0..3 {
                if measured != Measured::Missing || !up.pop() {
                    break;
                }
                if up.as_os_str().is_empty() {
                    up = PathBuf::from(".");
                }
                if !within(&up, self.root) {
                    break;
                }
                // Not above the repository either.
                if up != self.dir
                    && self
                        .dir
                        .ancestors()
                        .skip(1)
                        .take_while(|a| *a != up.as_path())
                        .any(|a| a.join(".git").exists())
                {
                    break;
                }
                let alt = context::measure(&up, &Ignore::load(&up, None), s);
                if alt != Measured::Missing {
                    measured = alt;
                    ctx_note = format!(" (context assumed: {})", up.display());
                    ctx_dir = up.clone();
                }
            }
            match measured {
                Measured::Bytes { bytes, files } => {
                    p.size = Some(Range::exact(bytes as f64 / 1_000_000.0));
                    p.note = Some(format!("{files} files in the build context{ctx_note}"));
                    if !s.contains(['*', '?', '[']) {
                        p.context_file = Some(ctx_dir.join(s.trim_start_matches("./")));
                    }
                }
                Measured::Missing => {
                    p.note = Some("not in the scanned tree (generated or outside the scan)".into());
                }
            }
            st.parts.push(p);
        }
    }

    fn requirements(&self, file: &str, st: &StageResult) -> Option<Vec<String>> {
        // The file a `COPY` put at that path, read from the build context.
        let target = absolute(&st.workdir, file);
        let from_copy = st.parts.iter().rev().find_map(|p| {
            let src = p.context_file.as_ref()?;
            let dest = p.path.as_deref()?;
            if src.is_file() {
                let name = src.file_name()?.to_string_lossy().to_string();
                (target == dest || target == format!("{}/{name}", dest.trim_end_matches('/')))
                    .then(|| src.clone())
            } else if src.is_dir() && under(&target, dest) && target != dest {
                Some(src.join(&target[dest.trim_end_matches('/').len() + 1..]))
            } else {
                None
            }
        });
        // Else a file of that name beside the Dockerfile.
        let base = file.rsplit('/').next().unwrap_or(file);
        let candidates = from_copy.into_iter().chain([
            self.dir.join(base),
            self.dir.join(file.trim_start_matches("./")),
        ]);
        for p in candidates {
            if let Ok(text) = std::fs::read_to_string(&p) {
                return Some(
                    text.lines()
                        .map(|l| l.split('#').next().unwrap_or("").trim())
                        .filter(|l| !l.is_empty() && !l.starts_with('-'))
                        .map(|l| {
                            l.split(|c: char| "=<>!~;[@ ".contains(c))
                                .next()
                                .unwrap_or(l)
                                .to_string()
                        })
                        .collect(),
                );
            }
        }
        None
    }

    fn run(&mut self, ins: &Value, span: Span, idx: usize, st: &mut StageResult) {
        let cmds = commands(ins);
        let removes = |prefix: &str| {
            cmds.iter()
                .any(|c| c.name() == "rm" && c.args().iter().any(|w| w.starts_with(prefix)))
        };
        let start = st.parts.len();
        // chown/chmod -R of files an earlier layer added: copied again into this layer.
        let mut rewritten: Vec<Part> = Vec::new();
        for c in cmds
            .iter()
            .filter(|c| matches!(c.name(), "chown" | "chmod" | "chgrp"))
        {
            let recursive = c.args().iter().any(|w| {
                *w == "--recursive"
                    || (w.starts_with('-') && !w.starts_with("--") && w.contains('R'))
            });
            if !recursive {
                continue;
            }
            // The first operand is the owner or mode.
            for w in c.args().iter().filter(|w| !w.starts_with('-')).skip(1) {
                let target = absolute(&st.workdir, w.trim_end_matches("/*"));
                let mut total = Some(Range::zero());
                let mut hit = false;
                for p in st.parts[..start].iter() {
                    let Some(pp) = p.path.as_deref() else {
                        continue;
                    };
                    let size = if under(pp, &target) {
                        p.size
                    } else if under(&target, pp) {
                        p.size.map(|s| Range::new(0.0, s.hi))
                    } else {
                        continue;
                    };
                    hit = true;
                    total = match (total, size) {
                        (Some(a), Some(b)) => Some(a.plus(b)),
                        _ => None,
                    };
                    st.rewrites.push(Deletion {
                        part: p.clone(),
                        span: c.span,
                        stage: idx,
                    });
                }
                if hit {
                    let mut part = self.part(
                        format!("{} -R {target} (copies earlier layers again)", c.name()),
                        PartKind::Other,
                        total,
                        c.span,
                        idx,
                    );
                    part.path = Some(target.clone());
                    if total.is_none() {
                        part.note = Some("the rewritten files' size is not known".into());
                    }
                    rewritten.push(part);
                }
            }
        }
        // Removals of paths created by an earlier layer.
        for c in cmds.iter().filter(|c| c.name() == "rm") {
            for w in c.args().iter().filter(|w| !w.starts_with('-')) {
                let target = absolute(&st.workdir, w.trim_end_matches("/*").trim_end_matches('*'));
                for p in st.parts[..start].iter() {
                    if p.path.as_deref().is_some_and(|pp| under(pp, &target))
                        && p.size.is_none_or(|s| s.hi > 0.0)
                    {
                        st.deletions.push(Deletion {
                            part: p.clone(),
                            span: c.span,
                            stage: idx,
                        });
                    }
                }
            }
        }
        let purged: Vec<&str> = cmds
            .iter()
            .filter(|c| {
                (matches!(c.name(), "apt-get" | "apt")
                    && matches!(c.sub(), Some("purge" | "remove" | "autoremove")))
                    || (c.name() == "apk" && c.sub() == Some("del"))
            })
            .flat_map(|c| c.args().iter().copied().filter(|w| !w.starts_with('-')))
            .collect();
        // `apt-mark auto '.*'` … `apt-get purge --auto-remove`: everything installed in this RUN
        // that is not marked manual again is removed (docker-library's pattern).
        let auto_purge = cmds
            .iter()
            .any(|c| c.name() == "apt-mark" && c.sub() == Some("auto"))
            && cmds.iter().any(|c| {
                matches!(c.name(), "apt-get" | "apt")
                    && (c.sub() == Some("autoremove")
                        || (matches!(c.sub(), Some("purge" | "remove")) && c.has("--auto-remove")))
            });
        let apt_autoremove = cmds.iter().any(|c| {
            matches!(c.name(), "apt-get" | "apt")
                && (c.sub() == Some("autoremove") || c.has("--auto-remove"))
        });
        let mut apt_updated = false;
        for c in &cmds {
            let name = c.name();
            if matches!(name, "apt-get" | "apt") && c.sub() == Some("update") {
                apt_updated = true;
            }
            if matches!(name, "apt-get" | "apt") && c.sub() == Some("install") {
                apt_updated = true;
                let pkgs = operands(c.args(), &["-o", "-t", "--target-release"]);
                let (vars, pkgs): (Vec<&str>, Vec<&str>) =
                    pkgs.into_iter().partition(|p| p.contains('$'));
                if !vars.is_empty() {
                    let mut v = self.part(
                        format!("apt: {}", vars.join(" ")),
                        PartKind::Packages,
                        None,
                        c.span,
                        idx,
                    );
                    v.note = Some("packages named by a variable: not known statically".into());
                    v.unresolved = true;
                    st.parts.push(v);
                }
                if pkgs.is_empty() {
                    continue;
                }
                let kept: Vec<&str> = pkgs
                    .iter()
                    .copied()
                    .filter(|p| !purged.contains(p))
                    .collect();
                // Purged in the same RUN: only what stays counts. With --auto-remove the
                // dependencies go too (the kept packages' closure); without, they may stay.
                let mut have_before = st.apt_have.clone();
                let (kib_all, unknown) = table::apt_union(&pkgs, &mut have_before);
                let (kib_kept, _) = table::apt_union(&kept, &mut st.apt_have);
                let (lo_kib, hi_kib) = if kept.len() == pkgs.len() {
                    (kib_all, kib_all)
                } else if apt_autoremove {
                    (kib_kept, kib_kept)
                } else {
                    (kib_kept, kib_all)
                };
                let mut r = Range::new(kib_to_mb(lo_kib) * 0.85, kib_to_mb(hi_kib) * 1.3);
                for u in &unknown {
                    if !purged.contains(u) {
                        r = r.plus(APT_DEFAULT);
                    }
                }
                if !c.has("--no-install-recommends") {
                    r = r.scale(1.0, 1.5);
                }
                let known = pkgs.len() - unknown.len();
                let mut p = self.part(
                    format!("apt: {}", short_list(&pkgs)),
                    PartKind::Packages,
                    Some(r),
                    c.span,
                    idx,
                );
                p.note = Some(format!(
                    "{known} of {} packages in the table (Debian 12 Installed-Size of the dependency closure)",
                    pkgs.len()
                ));
                if auto_purge {
                    p.size = None;
                    p.note = Some(
                        "auto-marked and purged in the same RUN: what stays is not known statically"
                            .into(),
                    );
                }
                p.build_tools = if auto_purge {
                    Vec::new()
                } else {
                    pkgs.iter()
                        .filter(|p| is_build_tool(p) && !purged.contains(p))
                        .map(|p| p.to_string())
                        .collect()
                };
                st.parts.push(p);
            }
            if name == "apk" && c.sub() == Some("add") {
                let pkgs = operands(c.args(), &["-t", "--virtual", "-X", "--repository"]);
                let virtual_name = c
                    .args()
                    .iter()
                    .position(|w| *w == "-t" || *w == "--virtual")
                    .and_then(|i| c.args().get(i + 1).copied());
                let sizes: Vec<Range> = pkgs.iter().map(|_| APK_DEFAULT).collect();
                let mut p = self.part(
                    format!("apk: {}", short_list(&pkgs)),
                    PartKind::Packages,
                    Some(package_set(&sizes)),
                    c.span,
                    idx,
                );
                p.note = Some("default range per package (no apk table yet)".into());
                let deleted_virtual = virtual_name.is_some_and(|v| purged.contains(&v));
                if deleted_virtual {
                    p.size = Some(Range::zero());
                    p.note =
                        Some("installed as a --virtual group and deleted in the same RUN".into());
                }
                p.build_tools = pkgs
                    .iter()
                    .filter(|p| is_build_tool(p) && !purged.contains(p) && !deleted_virtual)
                    .map(|p| p.to_string())
                    .collect();
                st.parts.push(p);
                if !c.has("--no-cache")
                    && !c.has("--no-network")
                    && !removes("/var/cache/apk")
                    && !cache_mount_covers(ins, "/var/cache/apk", "/etc/apk/cache")
                {
                    let mut p = self.part(
                        "apk index cache".into(),
                        PartKind::Cache,
                        Some(APK_INDEX),
                        c.span,
                        idx,
                    );
                    p.path = Some("/var/cache/apk".into());
                    st.parts.push(p);
                }
            }
            if matches!(name, "dnf" | "yum" | "microdnf") && c.sub() == Some("install") {
                let pkgs = operands(c.args(), &["--setopt", "--enablerepo", "--disablerepo"]);
                let sizes: Vec<Range> = pkgs.iter().map(|_| DNF_DEFAULT).collect();
                let mut p = self.part(
                    format!("{name}: {}", short_list(&pkgs)),
                    PartKind::Packages,
                    Some(package_set(&sizes)),
                    c.span,
                    idx,
                );
                p.note = Some("default range per package (no rpm table yet)".into());
                p.build_tools = pkgs
                    .iter()
                    .filter(|p| is_build_tool(p) && !purged.contains(p))
                    .map(|p| p.to_string())
                    .collect();
                st.parts.push(p);
                let cleaned = cmds.iter().any(|c| {
                    matches!(c.name(), "dnf" | "yum" | "microdnf") && c.sub() == Some("clean")
                }) || removes("/var/cache/dnf")
                    || removes("/var/cache/yum")
                    || has_cache_mount(ins, "/var/cache/");
                if !cleaned {
                    let mut p = self.part(
                        format!("{name} cache"),
                        PartKind::Cache,
                        Some(DNF_CACHE),
                        c.span,
                        idx,
                    );
                    p.path = Some(format!(
                        "/var/cache/{}",
                        if name == "yum" { "yum" } else { "dnf" }
                    ));
                    st.parts.push(p);
                }
            }
            if let Some((sub, rest)) = pip_words(c) {
                self.pip(c, ins, sub, &rest, idx, st);
            }
            if name == "playwright" && c.sub() == Some("install") {
                let chromium = table::apt("chromium").map(|e| kib_to_mb(e.with_deps_kib));
                let mut p = self.part(
                    format!("playwright install {}", operands(c.args(), &[]).join(" ")),
                    PartKind::Other,
                    chromium.map(|v| Range::new(v * 0.5, v * 1.2)),
                    c.span,
                    idx,
                );
                p.note = Some("proxy: Debian 12 `chromium` with its dependencies".into());
                p.path = st.env.get("PLAYWRIGHT_BROWSERS_PATH").cloned();
                st.parts.push(p);
            }
            if matches!(name, "npm" | "yarn" | "pnpm")
                && matches!(c.sub(), Some("ci" | "install" | "i"))
                && c.args().iter().filter(|w| !w.starts_with('-')).count() == 1
            {
                let mut p = self.part(
                    format!("{name} {}: node_modules", c.sub().unwrap_or("")),
                    PartKind::Packages,
                    None,
                    c.span,
                    idx,
                );
                p.note = Some("node_modules size depends on the lockfile; not estimated".into());
                p.path = Some(format!("{}/node_modules", st.workdir.trim_end_matches('/')));
                st.parts.push(p);
                let cleaned = cmds.iter().any(|c| {
                    matches!(c.name(), "npm" | "yarn" | "pnpm") && matches!(c.sub(), Some("cache"))
                }) || cache_mount_covers(ins, "/root/.npm", ".npm")
                    || has_cache_mount(ins, "yarn")
                    || has_cache_mount(ins, "pnpm");
                if !cleaned && name == "npm" {
                    let mut p = self.part("npm cache".into(), PartKind::Cache, None, c.span, idx);
                    p.note = Some("about the size of node_modules' tarballs; not estimated".into());
                    p.path = Some("/root/.npm".into());
                    st.parts.push(p);
                }
            }
        }
        st.parts.extend(rewritten);
        if apt_updated
            && !removes("/var/lib/apt/lists")
            && !cache_mount_covers(ins, "/var/lib/apt/lists", "/var/lib/apt")
            && !cmds
                .iter()
                .any(|c| matches!(c.name(), "apt-get" | "apt") && c.sub() == Some("dist-clean"))
        {
            let mut p = self.part(
                "apt lists".into(),
                PartKind::Cache,
                Some(APT_LISTS),
                span,
                idx,
            );
            p.path = Some("/var/lib/apt/lists".into());
            st.parts.push(p);
        }
    }

    fn pip(
        &mut self,
        c: &Cmd<'_>,
        ins: &Value,
        sub: &str,
        rest: &[&str],
        idx: usize,
        st: &mut StageResult,
    ) {
        let mut pkgs: Vec<String> = Vec::new();
        let mut local: Vec<String> = Vec::new();
        let mut reqs_unknown: Vec<String> = Vec::new();
        let mut target: Option<String> = None;
        let mut user = false;
        let mut no_cache = false;
        let mut it = rest.iter().peekable();
        while let Some(w) = it.next() {
            match *w {
                "-r" | "--requirement" => {
                    if let Some(f) = it.next() {
                        match self.requirements(f, st) {
                            Some(list) => pkgs.extend(list),
                            None => reqs_unknown.push(f.to_string()),
                        }
                    }
                }
                "-w" | "--wheel-dir" | "-t" | "--target" | "--prefix" | "--root" => {
                    target = it.next().map(|s| absolute(&st.workdir, s));
                }
                "-c" | "--constraint" | "-i" | "--index-url" | "--extra-index-url" | "-f"
                | "--find-links" | "--trusted-host" | "--platform" | "--python-version" => {
                    it.next();
                }
                "--user" => user = true,
                "--no-cache-dir" => no_cache = true,
                w if w.starts_with("--no-cache-dir=") => no_cache = true,
                w if w.starts_with('-') => {}
                w if w.starts_with('/') || w.starts_with('.') || w.ends_with(".whl") => {
                    local.push(w.to_string())
                }
                w => pkgs.push(
                    w.split(|c: char| "=<>!~;[@ ".contains(c))
                        .next()
                        .unwrap_or(w)
                        .to_string(),
                ),
            }
        }
        // pip, setuptools, wheel upgrades are already in the image: negligible growth.
        pkgs.retain(|p| {
            !matches!(
                p.to_ascii_lowercase().as_str(),
                "pip" | "setuptools" | "wheel"
            )
        });
        let sizes: Vec<Range> = pkgs
            .iter()
            .map(|p| match table::pip(p) {
                Some(e) => Range::exact(kib_to_mb(e.with_deps_kib)),
                None => PIP_DEFAULT,
            })
            .collect();
        let mut installed = if sizes.is_empty() {
            None
        } else {
            Some(package_set(&sizes).scale(0.8, 1.2))
        };
        // Local wheels copied from another stage: they install to what that stage measured.
        for l in &local {
            let dir = absolute(
                &st.workdir,
                l.trim_end_matches("/*").trim_end_matches("*.whl"),
            );
            let from = st
                .parts
                .iter()
                .filter(|p| {
                    p.path
                        .as_deref()
                        .is_some_and(|pp| under(pp, &dir) || under(&dir, pp))
                })
                .find_map(|p| p.installs);
            installed = match (installed, from) {
                (Some(a), Some(b)) => Some(a.plus(b)),
                (None, Some(b)) => Some(b),
                (a, None) => {
                    reqs_unknown.push(l.clone());
                    a
                }
            };
        }
        if pkgs.is_empty() && local.is_empty() && reqs_unknown.is_empty() {
            return;
        }
        let venv = st.env.get("VIRTUAL_ENV").cloned().or_else(|| {
            st.env.get("PATH").and_then(|p| {
                p.split(':')
                    .find(|d| d.ends_with("/bin") && d.contains("venv"))
                    .map(|d| d.trim_end_matches("/bin").to_string())
            })
        });
        let wheel = sub == "wheel" || sub == "download";
        let path = target
            .clone()
            .or_else(|| user.then(|| "/root/.local".to_string()))
            .or(venv)
            .unwrap_or_else(|| "/usr/local/lib/python3".into());
        let unread: Vec<String> = reqs_unknown
            .iter()
            .filter(|r| !local.contains(r))
            .map(|r| format!("-r {r}"))
            .collect();
        let mut label_pkgs: Vec<&str> = pkgs.iter().map(String::as_str).collect();
        label_pkgs.extend(local.iter().map(String::as_str));
        label_pkgs.extend(unread.iter().map(String::as_str));
        let label = format!("pip {sub}: {}", short_list(&label_pkgs));
        let size = if reqs_unknown.is_empty() {
            installed.map(|r| if wheel { r.scale(0.3, 0.6) } else { r })
        } else {
            None
        };
        let mut p = self.part(label, PartKind::Packages, size, c.span, idx);
        p.path = Some(path);
        if wheel {
            p.installs = installed.filter(|_| reqs_unknown.is_empty());
            p.note = Some("wheels: compressed, about 30–60% of their installed size".into());
        }
        if !reqs_unknown.is_empty() {
            p.note = Some(format!(
                "{} not readable from the scanned tree",
                reqs_unknown.join(", ")
            ));
        } else if !wheel {
            let known = pkgs.iter().filter(|p| table::pip(p).is_some()).count();
            p.note = Some(format!(
                "{known} of {} packages in the table (installed with dependencies)",
                pkgs.len()
            ));
        }
        st.parts.push(p.clone());
        let env_no_cache = st.env.contains_key("PIP_NO_CACHE_DIR")
            || c.assignments
                .iter()
                .any(|a| a.starts_with("PIP_NO_CACHE_DIR="));
        let all_local = pkgs.is_empty() && reqs_unknown.iter().all(|r| local.contains(r));
        if !no_cache
            && !env_no_cache
            && !all_local
            && !cache_mount_covers(ins, "/root/.cache/pip", ".cache/pip")
        {
            let mut cache = self.part(
                "pip cache".into(),
                PartKind::Cache,
                size.map(|r| r.scale(0.3, 0.6)),
                c.span,
                idx,
            );
            if cache.size.is_none() {
                cache.note =
                    Some("about the downloaded wheels' size; the packages are not known".into());
            }
            cache.path = Some("/root/.cache/pip".into());
            st.parts.push(cache);
        }
    }
}

/// `pip install …`, `pip3 wheel …`, `python -m pip install …`: the subcommand and its words.
fn pip_words<'a>(c: &Cmd<'a>) -> Option<(&'a str, Vec<&'a str>)> {
    let name = c.name();
    let is_pip = name == "pip"
        || name
            .strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let is_py = name == "python"
        || name
            .strip_prefix("python")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let args: Vec<&'a str> = if is_pip {
        c.args().to_vec()
    } else if is_py {
        let a = c.args();
        let m = a.iter().position(|w| *w == "-m")?;
        if a.get(m + 1) != Some(&"pip") {
            return None;
        }
        a[m + 2..].to_vec()
    } else {
        return None;
    };
    let pos = args.iter().position(|w| !w.starts_with('-'))?;
    let sub = args[pos];
    if !matches!(sub, "install" | "wheel" | "download") || sub == "download" {
        return None;
    }
    Some((sub, args[pos + 1..].to_vec()))
}
