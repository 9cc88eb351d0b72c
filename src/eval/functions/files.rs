//! Filesystem functions. Files are read only inside the scanned tree (`allowed_roots`, after
//! resolving symlinks) and only up to [`MAX_FILE_SIZE`]; anything else is Unknown.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::encoding::{Hash, base64_encode, render_hash};
use super::{FnResult, FunctionContext, arity, deep_unknown, not_evaluated, str_arg};
use crate::ir::Value;

/// Files larger than this are not read.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Why a file could not be read statically (becomes an Unknown reason).
struct NotRead(String);

/// The canonical path of `raw` (relative to the module directory) when it lies inside an
/// allowed root. For a path that does not exist, the canonical form of its deepest existing
/// ancestor plus the rest is checked, so that `fileexists` can answer `false` inside the tree.
fn resolve(name: &str, raw: &str, ctx: &FunctionContext<'_>) -> Result<PathBuf, NotRead> {
    if raw.starts_with('~') {
        return Err(NotRead(format!(
            "{name}() of a path under the home directory is not read"
        )));
    }
    let joined = ctx.module_dir.join(raw);
    let mut existing = joined.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    let canonical = loop {
        match existing.canonicalize() {
            Ok(p) => break p,
            Err(_) => {
                let Some(parent) = existing.parent() else {
                    return Err(NotRead(format!("{name}(): cannot resolve path {raw:?}")));
                };
                match existing.components().next_back() {
                    Some(Component::Normal(c)) => rest.push(c),
                    _ => {
                        return Err(NotRead(format!("{name}(): cannot resolve path {raw:?}")));
                    }
                }
                existing = parent;
            }
        }
    };
    let mut full = canonical;
    for c in rest.into_iter().rev() {
        full.push(c);
    }
    let inside = ctx
        .allowed_roots
        .iter()
        .filter_map(|r| r.canonicalize().ok())
        .any(|root| full.starts_with(&root));
    if !inside {
        return Err(NotRead(format!(
            "{name}() outside the scanned tree is not read"
        )));
    }
    Ok(full)
}

/// The bytes of a file inside the scanned tree.
fn read(name: &str, raw: &str, ctx: &FunctionContext<'_>) -> Result<Vec<u8>, NotRead> {
    let path = resolve(name, raw, ctx)?;
    let meta =
        fs::metadata(&path).map_err(|_| NotRead(format!("{name}(): no file exists at {raw:?}")))?;
    if !meta.is_file() {
        return Err(NotRead(format!("{name}(): {raw:?} is not a regular file")));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(NotRead(format!(
            "{name}(): {raw:?} is larger than 1 MiB and is not read"
        )));
    }
    // Bounded even if the file grows between the size check and the read.
    let cannot = |e: std::io::Error| NotRead(format!("{name}(): cannot read {raw:?}: {e}"));
    let mut bytes = Vec::new();
    fs::File::open(&path)
        .map_err(cannot)?
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(NotRead(format!(
            "{name}(): {raw:?} is larger than 1 MiB and is not read"
        )));
    }
    Ok(bytes)
}

/// The UTF-8 text of a file inside the scanned tree, with the same confinement and size limit
/// as `file()` (the evaluator's `templatefile` reads its template through this). `Err` is the
/// reason of the Unknown value to use instead.
pub fn read_text(name: &str, raw: &str, ctx: &FunctionContext<'_>) -> Result<String, String> {
    let bytes = read(name, raw, ctx).map_err(|NotRead(reason)| reason)?;
    String::from_utf8(bytes).map_err(|_| format!("{name}(): {raw:?} is not valid UTF-8"))
}

/// Runs `f` on the contents of the file named by the single argument.
fn with_file(
    name: &str,
    args: &[Value],
    ctx: &FunctionContext<'_>,
    f: impl FnOnce(Vec<u8>) -> FnResult,
) -> FnResult {
    arity(name, args, 1)?;
    if let Some(u) = deep_unknown(name, args) {
        return Ok(u);
    }
    let raw = str_arg(name, args, 0)?;
    match read(name, &raw, ctx) {
        Ok(bytes) => f(bytes),
        Err(NotRead(reason)) => Ok(Value::unknown(reason)),
    }
}

pub fn file(args: Vec<Value>, ctx: &FunctionContext<'_>) -> FnResult {
    with_file("file", &args, ctx, |bytes| {
        String::from_utf8(bytes)
            .map(Value::string)
            .map_err(|_| "file(): contents are not valid UTF-8; use filebase64 instead".into())
    })
}

pub fn filebase64(args: Vec<Value>, ctx: &FunctionContext<'_>) -> FnResult {
    with_file("filebase64", &args, ctx, |bytes| {
        Ok(Value::string(base64_encode(&bytes)))
    })
}

pub fn file_hash(
    name: &str,
    args: Vec<Value>,
    ctx: &FunctionContext<'_>,
    hash: Hash,
    base64: bool,
) -> FnResult {
    with_file(name, &args, ctx, |bytes| {
        Ok(Value::string(render_hash(hash, &bytes, base64)))
    })
}

pub fn fileexists(args: Vec<Value>, ctx: &FunctionContext<'_>) -> FnResult {
    arity("fileexists", &args, 1)?;
    if let Some(u) = deep_unknown("fileexists", &args) {
        return Ok(u);
    }
    let raw = str_arg("fileexists", &args, 0)?;
    let path = match resolve("fileexists", &raw, ctx) {
        Ok(p) => p,
        Err(NotRead(reason)) => return Ok(Value::unknown(reason)),
    };
    match fs::metadata(&path) {
        Err(_) => Ok(Value::bool(false)),
        Ok(m) if m.is_file() => Ok(Value::bool(true)),
        Ok(_) => Err(format!("fileexists(): {raw:?} is not a regular file")),
    }
}

/// Go's `filepath.Clean` for slash-separated paths.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

pub fn dirname(args: Vec<Value>) -> FnResult {
    arity("dirname", &args, 1)?;
    if let Some(u) = deep_unknown("dirname", &args) {
        return Ok(u);
    }
    let p = str_arg("dirname", &args, 0)?;
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    Ok(Value::string(clean(dir)))
}

pub fn basename(args: Vec<Value>) -> FnResult {
    arity("basename", &args, 1)?;
    if let Some(u) = deep_unknown("basename", &args) {
        return Ok(u);
    }
    let p = str_arg("basename", &args, 0)?;
    if p.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    Ok(Value::string(base))
}

/// Absolute paths are cleaned; relative ones depend on Terraform's working directory, which
/// a static scan does not have.
pub fn abspath(args: Vec<Value>) -> FnResult {
    arity("abspath", &args, 1)?;
    if let Some(u) = deep_unknown("abspath", &args) {
        return Ok(u);
    }
    let p = str_arg("abspath", &args, 0)?;
    if Path::new(&p).is_absolute() {
        return Ok(Value::string(clean(&p)));
    }
    Ok(Value::unknown(
        "abspath() of a relative path depends on Terraform's working directory",
    ))
}

pub fn pathexpand(args: Vec<Value>) -> FnResult {
    arity("pathexpand", &args, 1)?;
    if let Some(u) = deep_unknown("pathexpand", &args) {
        return Ok(u);
    }
    let p = str_arg("pathexpand", &args, 0)?;
    if !p.starts_with('~') {
        return Ok(Value::string(p));
    }
    Ok(not_evaluated("pathexpand"))
}

/// Directory entries visited by `fileset` before giving up.
const MAX_FILESET_ENTRIES: usize = 10_000;

/// Files under `dir` (not following directory symlinks), as slash-separated relative paths.
fn walk(dir: &Path, rel: &str, out: &mut Vec<String>, budget: &mut usize) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {rel:?}: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        if *budget == 0 {
            return Err(format!(
                "more than {MAX_FILESET_ENTRIES} entries; the directory is not listed"
            ));
        }
        *budget -= 1;
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let ft = entry.file_type().map_err(|e| e.to_string())?;
        if ft.is_dir() {
            walk(&entry.path(), &child, out, budget)?;
        } else if ft.is_file() || (ft.is_symlink() && entry.path().is_file()) {
            out.push(child);
        }
    }
    Ok(())
}

/// `fileset(path, pattern)`: the files under `path` matching the glob `pattern` (`*`, `**`,
/// `?`, `{a,b}`, `[abc]`), relative to `path`, sorted.
pub fn fileset(args: Vec<Value>, ctx: &FunctionContext<'_>) -> FnResult {
    arity("fileset", &args, 2)?;
    if let Some(u) = deep_unknown("fileset", &args) {
        return Ok(u);
    }
    let raw = str_arg("fileset", &args, 0)?;
    let pattern = str_arg("fileset", &args, 1)?;
    let glob = globset::GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("fileset(): invalid pattern {pattern:?}: {e}"))?
        .compile_matcher();
    let dir = match resolve("fileset", &raw, ctx) {
        Ok(p) => p,
        Err(NotRead(reason)) => return Ok(Value::unknown(reason)),
    };
    if !dir.is_dir() {
        return Ok(Value::list(Vec::new()));
    }
    let mut files = Vec::new();
    let mut budget = MAX_FILESET_ENTRIES;
    if let Err(e) = walk(&dir, "", &mut files, &mut budget) {
        return Ok(Value::unknown(format!("fileset(): {e}")));
    }
    files.retain(|f| glob.is_match(f));
    files.sort();
    Ok(Value::list(files.into_iter().map(Value::string).collect()))
}

/// `templatefile(path, vars)`: see [`super::template`] for what is evaluated.
pub fn templatefile(args: Vec<Value>, ctx: &FunctionContext<'_>) -> FnResult {
    arity("templatefile", &args, 2)?;
    if let Some(u) = deep_unknown("templatefile", &args[..1]) {
        return Ok(u);
    }
    if let Some(u) = args[1].as_unknown() {
        return Ok(super::unknown_arg("templatefile", 1, u));
    }
    let raw = str_arg("templatefile", &args, 0)?;
    let vars = match &args[1].kind {
        crate::ir::ValueKind::Map(m) => m,
        _ => {
            return Err("invalid value for argument 2 of templatefile(): a map is required".into());
        }
    };
    let bytes = match read("templatefile", &raw, ctx) {
        Ok(b) => b,
        Err(NotRead(reason)) => return Ok(Value::unknown(reason)),
    };
    let src = String::from_utf8(bytes)
        .map_err(|_| "templatefile(): the template is not valid UTF-8".to_string())?;
    super::template::to_result("templatefile", super::template::render(&src, vars))
}
