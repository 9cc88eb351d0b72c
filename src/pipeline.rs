//! The front half of a run: discover → read → parse → load local modules → evaluate → Model.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::{self, DiscoverError, DiscoverOptions, DiscoveredFile};
use crate::eval::{self, EvalOptions, ModuleFiles};
use crate::ir::{Model, Object};
use crate::parse::{self, Parsed, terraform};
use crate::source::{FileId, SourceFile, SourceMap};

/// Everything that decides what a run reads and how it evaluates it.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub paths: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    pub eval: EvalOptions,
}

/// One file after reading and parsing.
struct LoadedFile {
    source: Arc<SourceFile>,
    parsed: Parsed,
    diagnostics: Vec<Diagnostic>,
}

fn load_file(id: FileId, found: &DiscoveredFile) -> LoadedFile {
    let (source, unreadable) = parse::read_source(id, found);
    let source = Arc::new(source);
    if let Some(d) = unreadable {
        return LoadedFile {
            source,
            parsed: Parsed::Failed,
            diagnostics: vec![d],
        };
    }
    let (parsed, diagnostics) = parse::parse_file(&source);
    LoadedFile {
        source,
        parsed,
        diagnostics,
    }
}

/// Stack size of the worker threads: parsers and the evaluator recurse, and hostile input is
/// bounded by explicit limits (nesting depth, module depth) well inside this.
const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The thread pool every run uses (built once; falls back to the global pool).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK_BYTES)
            .thread_name(|i| format!("infralint-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `f` on infralint's worker pool (large stacks), so rayon work inside it uses that pool.
pub fn in_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Reads, parses and evaluates everything under `options.paths` into a [`Model`].
pub fn load(options: &LoadOptions) -> Result<Model, DiscoverError> {
    in_pool(|| load_in_pool(options))
}

fn load_in_pool(options: &LoadOptions) -> Result<Model, DiscoverError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let found = discover::discover(&paths, &options.discover)?;
    let mut files: Vec<LoadedFile> = found
        .par_iter()
        .enumerate()
        .map(|(i, f)| load_file(FileId(i as u32), f))
        .collect();
    load_called_modules(&mut files);

    let scanned_dirs: BTreeSet<PathBuf> = files[..found.len()]
        .iter()
        .filter(|f| f.source.kind.is_terraform())
        .map(|f| module_dir(&f.source.path))
        .collect();
    let mut modules: ModuleFiles<'_> = HashMap::new();
    for f in &files {
        if let Parsed::Terraform(tf) = &f.parsed {
            modules
                .entry(module_dir(&f.source.path))
                .or_default()
                .push((f.source.id, tf));
        }
    }
    let roots = root_modules(&scanned_dirs, &modules);

    let sources = SourceMap::new(files.iter().map(|f| f.source.clone()).collect());
    let evaluated: Vec<(Vec<Object>, Vec<Diagnostic>)> = roots
        .par_iter()
        .map(|root| eval::evaluate_root(root, &modules, &sources, &options.eval))
        .collect();

    let mut objects = Vec::new();
    let mut diagnostics = Vec::new();
    for f in &mut files {
        diagnostics.append(&mut f.diagnostics);
        if let Parsed::Objects(list) = &mut f.parsed {
            let base = objects.len();
            objects.extend(std::mem::take(list).into_iter().map(|mut o| {
                o.parent = o.parent.map(|p| p + base);
                o
            }));
        }
    }
    for (objs, mut diags) in evaluated {
        let base = objects.len();
        objects.extend(objs.into_iter().map(|mut o| {
            o.parent = o.parent.map(|p| p + base);
            o
        }));
        diagnostics.append(&mut diags);
    }
    Ok(Model::new(sources, objects, diagnostics))
}

/// The directory a Terraform file belongs to, normalized lexically.
pub fn module_dir(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(dir)
    };
    discover::normalize(&absolute)
}

/// Loads the Terraform files of local module directories that are called but were not
/// discovered (e.g. `../modules/vpc` when only `envs/prod` was scanned), transitively.
fn load_called_modules(files: &mut Vec<LoadedFile>) {
    let mut known: HashSet<PathBuf> = files
        .iter()
        .filter(|f| f.source.kind.is_terraform())
        .map(|f| module_dir(&f.source.path))
        .collect();
    let mut queue: VecDeque<usize> = (0..files.len()).collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    while let Some(i) = queue.pop_front() {
        let Parsed::Terraform(tf) = &files[i].parsed else {
            continue;
        };
        let dir = module_dir(&files[i].source.path);
        let mut new_dirs = BTreeSet::new();
        for source in terraform::local_module_sources(tf) {
            let target = discover::normalize(&dir.join(&source));
            if target.is_dir() && known.insert(target.clone()) {
                new_dirs.insert(target);
            }
        }
        for target in new_dirs {
            let found = terraform_files_in(&target, &cwd);
            let start = files.len();
            let loaded: Vec<LoadedFile> = found
                .par_iter()
                .enumerate()
                .map(|(k, f)| load_file(FileId((start + k) as u32), f))
                .collect();
            files.extend(loaded);
            queue.extend(start..files.len());
        }
    }
}

/// The `.tf` and `.tf.json` files directly in `dir`, sorted.
fn terraform_files_in(dir: &Path, cwd: &Path) -> Vec<DiscoveredFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<DiscoveredFile> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let path = e.path();
            let kind = discover::classify(&path)?;
            let is_module_file = matches!(
                kind,
                crate::source::FileKind::Terraform | crate::source::FileKind::TerraformJson
            );
            is_module_file.then(|| DiscoveredFile {
                display_path: discover::display_path(cwd, &path),
                path,
                kind,
            })
        })
        .collect();
    out.sort();
    out
}

/// Root modules: scanned directories that no other loaded directory calls as a local module.
/// Directories reachable only through a cycle are roots too, so nothing scanned goes unchecked.
fn root_modules(scanned: &BTreeSet<PathBuf>, modules: &ModuleFiles<'_>) -> Vec<PathBuf> {
    let mut calls: BTreeMap<&PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (dir, files) in modules {
        let targets = calls.entry(dir).or_default();
        for (_, tf) in files {
            for source in terraform::local_module_sources(tf) {
                let target = discover::normalize(&dir.join(&source));
                if &target != dir {
                    targets.insert(target);
                }
            }
        }
    }
    let called: HashSet<&PathBuf> = calls.values().flatten().collect();
    let mut roots: Vec<PathBuf> = scanned
        .iter()
        .filter(|d| !called.contains(d))
        .cloned()
        .collect();

    let mut reached: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<PathBuf> = roots.clone();
    while let Some(d) = stack.pop() {
        if reached.insert(d.clone()) {
            if let Some(targets) = calls.get(&d) {
                stack.extend(targets.iter().cloned());
            }
        }
    }
    for dir in scanned {
        if !reached.contains(dir) {
            roots.push(dir.clone());
            let mut stack = vec![dir.clone()];
            while let Some(d) = stack.pop() {
                if reached.insert(d.clone()) {
                    if let Some(targets) = calls.get(&d) {
                        stack.extend(targets.iter().cloned());
                    }
                }
            }
        }
    }
    roots.sort();
    roots
}
