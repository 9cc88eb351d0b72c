//! Built-in checks of the `dockerfile` pack. They read the `dockerfile`/`docker_stage` objects
//! laid out in `docs/ir-dockerfile.md`, and look at parsed shell commands, not substrings.

use std::path::Path;

use crate::ir::{Model, Object, Value};
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("dockerfile_root_user", root_user),
    ("dockerfile_missing_healthcheck", missing_healthcheck),
    ("dockerfile_unpinned_base_image", unpinned_base_image),
    (
        "dockerfile_base_image_not_digest_pinned",
        base_image_not_digest_pinned,
    ),
    ("dockerfile_add_remote_url", add_remote_url),
    ("dockerfile_add_instead_of_copy", add_instead_of_copy),
    (
        "dockerfile_apt_install_without_yes",
        apt_install_without_yes,
    ),
    ("dockerfile_apt_install_recommends", apt_install_recommends),
    ("dockerfile_apt_lists_not_removed", apt_lists_not_removed),
    (
        "dockerfile_apk_add_without_no_cache",
        apk_add_without_no_cache,
    ),
    ("dockerfile_pip_install_cache", pip_install_cache),
    (
        "dockerfile_npm_install_instead_of_ci",
        npm_install_instead_of_ci,
    ),
    ("dockerfile_pipe_download_to_shell", pipe_download_to_shell),
    ("dockerfile_sudo", sudo),
    ("dockerfile_secret_in_env_or_arg", secret_in_env_or_arg),
    (
        "dockerfile_copy_context_without_dockerignore",
        copy_context_without_dockerignore,
    ),
    ("dockerfile_expose_ssh", expose_ssh),
    ("dockerfile_world_writable_chmod", world_writable_chmod),
    ("dockerfile_relative_workdir", relative_workdir),
    ("dockerfile_hardcoded_platform", hardcoded_platform),
    (
        "dockerfile_multiple_cmd_or_entrypoint",
        multiple_cmd_or_entrypoint,
    ),
    ("dockerfile_shell_form_cmd", shell_form_cmd),
    (
        "dockerfile_copy_from_unknown_stage",
        copy_from_unknown_stage,
    ),
    (
        "dockerfile_files_in_root_home_for_non_root",
        files_in_root_home_for_non_root,
    ),
    ("dockerfile_install_failure_masked", install_failure_masked),
    (
        "dockerfile_healthcheck_tool_missing",
        healthcheck_tool_missing,
    ),
    ("dockerfile_maintainer_deprecated", maintainer_deprecated),
    ("dockerfile_pipe_without_pipefail", pipe_without_pipefail),
];

// ---------------------------------------------------------------------------------------------
// Views over the IR

/// One stage of a Dockerfile.
struct Stage<'a> {
    /// Index in `Model::objects`.
    idx: usize,
    obj: &'a Object,
}

impl<'a> Stage<'a> {
    fn instrs(&self) -> &'a [Value] {
        self.obj
            .attr("instructions")
            .and_then(Value::as_list)
            .unwrap_or_default()
    }

    fn alias(&self) -> Option<&'a str> {
        self.obj.attr("alias").and_then(Value::as_str)
    }

    fn is_final(&self) -> bool {
        self.obj
            .attr("is_final")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    fn image_str(&self, key: &str) -> Option<&'a str> {
        self.obj.attr_path(&format!("image.{key}"))?.as_str()
    }

    fn image_flag(&self, key: &str) -> bool {
        self.obj
            .attr_path(&format!("image.{key}"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The span of the `FROM` instruction.
    fn stage_span(&self) -> Span {
        self.obj
            .attr("from")
            .and_then(|v| v.span)
            .unwrap_or(self.obj.span)
    }
}

/// The stages of each Dockerfile, grouped by file, in order.
fn dockerfiles(model: &Model) -> Vec<(usize, Vec<Stage<'_>>)> {
    let mut out: Vec<(usize, Vec<Stage<'_>>)> = model
        .of_type("dockerfile")
        .map(|(i, _)| (i, Vec::new()))
        .collect();
    for (idx, obj) in model.of_type("docker_stage") {
        if let Some(entry) = out.iter_mut().find(|(f, _)| Some(*f) == obj.parent) {
            entry.1.push(Stage { idx, obj });
        }
    }
    out
}

fn all_stages(model: &Model) -> impl Iterator<Item = Stage<'_>> {
    model
        .of_type("docker_stage")
        .map(|(idx, obj)| Stage { idx, obj })
}

fn kw(i: &Value) -> &str {
    i.get("instruction").and_then(Value::as_str).unwrap_or("")
}

fn str_list(v: Option<&Value>) -> Vec<(&str, Span)> {
    v.and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|w| Some((w.as_str()?, w.span?)))
        .collect()
}

fn words(i: &Value) -> Vec<(&str, Span)> {
    str_list(i.get("words"))
}

fn flag<'a>(i: &'a Value, name: &str) -> Option<&'a Value> {
    i.get_path(&format!("flags.{name}"))
}

/// All values of a possibly repeated flag.
fn flag_values<'a>(i: &'a Value, name: &str) -> Vec<&'a Value> {
    match flag(i, name) {
        Some(v) => match v.as_list() {
            Some(items) => items.iter().collect(),
            None => vec![v],
        },
        None => Vec::new(),
    }
}

fn span_of(i: &Value) -> Span {
    i.span.unwrap_or(Span::file_start(crate::source::FileId(0)))
}

fn args_span(i: &Value) -> Span {
    i.get("args")
        .and_then(|a| a.span)
        .unwrap_or_else(|| span_of(i))
}

/// A parsed shell command of a RUN (or CMD/ENTRYPOINT/HEALTHCHECK) instruction.
struct Cmd<'a> {
    argv: Vec<(&'a str, Span)>,
    assignments: Vec<&'a str>,
    wrappers: Vec<&'a str>,
    span: Span,
    pipes: bool,
    /// The operator after the command (`&&`, `||`, `;`, …), None at the end.
    sep: Option<&'a str>,
}

impl<'a> Cmd<'a> {
    fn name(&self) -> &'a str {
        self.argv
            .first()
            .map(|(w, _)| w.rsplit('/').next().unwrap_or(w))
            .unwrap_or("")
    }

    fn args(&self) -> &[(&'a str, Span)] {
        self.argv.get(1..).unwrap_or_default()
    }

    fn has(&self, flag: &str) -> bool {
        self.args().iter().any(|(w, _)| *w == flag)
    }

    /// Words that are not options.
    fn operands(&self) -> impl Iterator<Item = &(&'a str, Span)> {
        self.args().iter().filter(|(w, _)| !w.starts_with('-'))
    }

    /// The subcommand: first operand (`install` in `apt-get -q install x`).
    fn sub(&self) -> Option<&'a str> {
        self.operands().next().map(|(w, _)| *w)
    }
}

fn commands(i: &Value) -> Vec<Cmd<'_>> {
    i.get("commands")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .map(|c| Cmd {
            argv: str_list(c.get("argv")),
            assignments: str_list(c.get("assignments"))
                .into_iter()
                .map(|w| w.0)
                .collect(),
            wrappers: c
                .get("wrappers")
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_str)
                .collect(),
            span: c.span.unwrap_or_else(|| span_of(i)),
            pipes: c
                .get("pipes_into_next")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            sep: c.get("separator").and_then(Value::as_str),
        })
        .collect()
}

/// RUN instructions of every stage (and `ONBUILD RUN` triggers) with their commands.
fn runs(model: &Model) -> Vec<(usize, &Value, Vec<Cmd<'_>>)> {
    let mut out = Vec::new();
    for st in all_stages(model) {
        for i in st.instrs() {
            let i = match kw(i) {
                "ONBUILD" => match i.get("trigger") {
                    Some(t) => t,
                    None => continue,
                },
                _ => i,
            };
            if kw(i) == "RUN" {
                out.push((st.idx, i, commands(i)));
            }
        }
    }
    out
}

/// A RUN cache mount targets a path containing `needle`.
fn has_cache_mount(i: &Value, needle: &str) -> bool {
    flag_values(i, "mount").iter().any(|m| {
        m.as_str()
            .is_some_and(|s| s.split(',').any(|kv| kv == "type=cache") && s.contains(needle))
    })
}

fn short_flag_has(cmd: &Cmd<'_>, ch: char) -> bool {
    cmd.args()
        .iter()
        .any(|(w, _)| w.starts_with('-') && !w.starts_with("--") && w[1..].contains(ch))
}

// ---------------------------------------------------------------------------------------------
// User

fn is_root_user(u: &str) -> bool {
    let name = u.split(':').next().unwrap_or(u);
    name == "root" || name == "0" || name.eq_ignore_ascii_case("ContainerAdministrator")
}

/// The USER in effect at the end of a stage (following `FROM <earlier stage>`), with its span.
fn effective_user<'a>(stage: &Stage<'a>, stages: &[Stage<'a>]) -> Option<(&'a str, Span)> {
    let mut cur = stage;
    for _ in 0..=stages.len() {
        if let Some(u) = cur
            .instrs()
            .iter()
            .rev()
            .filter(|i| kw(i) == "USER")
            .find_map(|i| words(i).into_iter().next())
        {
            return Some(u);
        }
        if !cur.image_flag("is_stage") {
            return None;
        }
        let base = cur.image_str("resolved")?.to_ascii_lowercase();
        cur = stages.iter().find(|s| s.alias() == Some(base.as_str()))?;
    }
    None
}

/// Whether a stage's base image is known to end with a non-root `USER`:
/// `nginxinc/nginx-unprivileged` (its Dockerfile ends with `USER $UID`, uid 101) and
/// distroless `nonroot` tags (uid 65532). Other images are assumed to run as root, as most do.
fn base_runs_as_non_root(root: &Stage<'_>) -> bool {
    if root.image_flag("is_stage") || root.obj.attr("image").is_none_or(Value::is_unknown) {
        return false;
    }
    let repo = root.image_str("repository").unwrap_or("");
    let tag = root.image_str("tag").unwrap_or("");
    match root.image_str("registry") {
        None | Some("docker.io" | "index.docker.io") => repo == "nginxinc/nginx-unprivileged",
        Some("gcr.io") => repo.starts_with("distroless/") && tag.contains("nonroot"),
        Some(_) => false,
    }
}

fn root_user(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        let Some(last) = stages.iter().find(|s| s.is_final()) else {
            continue;
        };
        match effective_user(last, &stages) {
            // The chain ends on a base image whose own last `USER` is known not to be root.
            None if base_runs_as_non_root(
                stage_chain(last, &stages).last().copied().unwrap_or(last),
            ) => {}
            None => {
                let root = stage_chain(last, &stages).last().copied().unwrap_or(last);
                // Windows Server Core's default user is the administrator account.
                let windows = root.image_str("registry") == Some("mcr.microsoft.com")
                    && root
                        .image_str("repository")
                        .is_some_and(|r| r.contains("servercore"));
                out.push(Verdict::fail(
                    last.idx,
                    last.stage_span(),
                    if windows {
                        "the final stage sets no USER, so the container runs as ContainerAdministrator"
                    } else {
                        "the final stage sets no USER, so the container runs as root"
                    },
                ))
            }
            Some((u, span)) if is_root_user(u) => out.push(Verdict::fail(
                last.idx,
                span,
                if u.starts_with("root") || u.starts_with('0') {
                    format!("the final stage runs as `{u}` (root)")
                } else {
                    format!("the final stage runs as `{u}` (the Windows administrator)")
                },
            )),
            Some(_) => {}
        }
    }
    out
}

fn missing_healthcheck(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let required = ctx
        .settings
        .get("dockerfile")
        .and_then(|d| d.get("require_healthcheck"))
        .and_then(toml::Value::as_bool)
        .unwrap_or(true);
    if !required {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        let Some(last) = stages.iter().find(|s| s.is_final()) else {
            continue;
        };
        let mut cur = last;
        let mut found = false;
        for _ in 0..=stages.len() {
            if cur.instrs().iter().any(|i| kw(i) == "HEALTHCHECK") {
                found = true;
                break;
            }
            let next = cur
                .image_flag("is_stage")
                .then(|| cur.image_str("resolved"))
                .flatten()
                .map(str::to_ascii_lowercase)
                .and_then(|b| stages.iter().find(|s| s.alias() == Some(b.as_str())));
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        if !found {
            out.push(Verdict::fail(
                last.idx,
                last.stage_span(),
                "the final stage has no HEALTHCHECK",
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Base images

fn base_image_checks(
    ctx: &CheckContext<'_>,
    verdict: impl Fn(&Stage<'_>, Span) -> Option<String>,
) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        let span = st.obj.span_of("base");
        if let Some(u) = st.obj.attr("image").and_then(Value::as_unknown) {
            out.push(Verdict::Unknown {
                object: Some(st.idx),
                span,
                reason: u.reason.clone(),
            });
            continue;
        }
        if st.image_flag("is_stage") || st.image_flag("is_scratch") {
            continue;
        }
        if let Some(msg) = verdict(&st, span) {
            out.push(Verdict::fail(st.idx, span, msg));
        }
    }
    out
}

fn unpinned_base_image(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    base_image_checks(ctx, |st, _| {
        if st.image_str("digest").is_some() {
            return None;
        }
        let image = st.image_str("resolved").unwrap_or("");
        match st.image_str("tag") {
            None => Some(format!(
                "base image `{image}` has no tag, so it means `latest` and changes under you"
            )),
            Some("latest") => Some(format!("base image `{image}` uses the moving `latest` tag")),
            Some(_) => None,
        }
    })
}

fn base_image_not_digest_pinned(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    base_image_checks(ctx, |st, _| {
        st.image_str("digest").is_none().then(|| {
            format!(
                "base image `{}` is not pinned by digest (`@sha256:…`)",
                st.image_str("resolved").unwrap_or("")
            )
        })
    })
}

// ---------------------------------------------------------------------------------------------
// ADD

fn is_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("git@")
}

const LOCAL_ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
];

/// ADD/COPY sources (all words but the destination), unless it is a heredoc.
fn sources(i: &Value) -> Vec<(&str, Span)> {
    let mut w = words(i);
    w.pop();
    w
}

fn add_remote_url(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st.instrs().iter().filter(|i| kw(i) == "ADD") {
            if flag(i, "checksum").is_some() {
                continue;
            }
            for (src, span) in sources(i) {
                if is_url(src) {
                    out.push(Verdict::fail(
                        st.idx,
                        span,
                        format!("ADD downloads `{src}` without verifying it; use `ADD --checksum=…` or RUN curl with a checksum check"),
                    ));
                }
            }
        }
    }
    out
}

fn add_instead_of_copy(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st.instrs().iter().filter(|i| kw(i) == "ADD") {
            let srcs = sources(i);
            if srcs.is_empty() || srcs.iter().any(|(s, _)| is_url(s)) {
                continue;
            }
            let all_local_files = srcs.iter().all(|(s, _)| {
                let l = s.to_ascii_lowercase();
                !LOCAL_ARCHIVE_SUFFIXES.iter().any(|suf| l.ends_with(suf)) && !l.contains('$')
            });
            if all_local_files {
                out.push(Verdict::fail(
                    st.idx,
                    i.get("instruction").and_then(|v| v.span).unwrap_or_else(|| span_of(i)),
                    "ADD of local files that are not tar archives: COPY does the same without ADD's implicit extraction and URL handling",
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Package managers

fn is_apt_install(c: &Cmd<'_>) -> bool {
    matches!(c.name(), "apt-get" | "apt") && c.sub() == Some("install")
}

fn apt_install_without_yes(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (idx, _, cmds) in runs(ctx.model) {
        for c in cmds.iter().filter(|c| is_apt_install(c)) {
            let yes = c.has("--yes")
                || c.has("--assume-yes")
                || c.has("-qq")
                || c.args()
                    .iter()
                    .any(|(w, _)| w.starts_with("--yes=") || w.starts_with("--assume-yes="))
                || short_flag_has(c, 'y');
            if !yes {
                out.push(Verdict::fail(
                    idx,
                    c.span,
                    format!("`{} install` without `-y` waits for a confirmation that never comes in a build", c.name()),
                ));
            }
        }
    }
    out
}

fn apt_install_recommends(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (idx, _, cmds) in runs(ctx.model) {
        for c in cmds.iter().filter(|c| is_apt_install(c)) {
            let off = c.has("--no-install-recommends")
                || c.args().iter().any(|(w, _)| {
                    w.to_ascii_lowercase().contains("install-recommends=false")
                        || w.to_ascii_lowercase().contains("install-recommends=0")
                });
            if !off {
                out.push(Verdict::fail(
                    idx,
                    c.span,
                    format!("`{} install` without `--no-install-recommends` also installs recommended packages", c.name()),
                ));
            }
        }
    }
    out
}

fn apt_lists_not_removed(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (idx, i, cmds) in runs(ctx.model) {
        if has_cache_mount(i, "/var/lib/apt") {
            continue;
        }
        let Some(install) = cmds.iter().find(|c| is_apt_install(c)) else {
            continue;
        };
        let cleaned = cmds.iter().any(|c| {
            (c.name() == "rm" && c.operands().any(|(w, _)| w.starts_with("/var/lib/apt/lists")))
                // apt >= 2.7 (Debian trixie): `dist-clean` also removes the lists.
                || (matches!(c.name(), "apt-get" | "apt") && c.sub() == Some("dist-clean"))
        });
        if !cleaned {
            out.push(Verdict::fail(
                idx,
                install.span,
                "apt package lists are left in the layer: add `&& rm -rf /var/lib/apt/lists/*` to the same RUN",
            ));
        }
    }
    out
}

fn apk_add_without_no_cache(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (idx, i, cmds) in runs(ctx.model) {
        if has_cache_mount(i, "/var/cache/apk") || has_cache_mount(i, "/etc/apk/cache") {
            continue;
        }
        let cleaned = cmds.iter().any(|c| {
            c.name() == "rm" && c.operands().any(|(w, _)| w.starts_with("/var/cache/apk"))
        });
        for c in cmds
            .iter()
            .filter(|c| c.name() == "apk" && c.sub() == Some("add"))
        {
            // `--no-network` installs without fetching an index, so nothing is cached.
            if !c.has("--no-cache") && !c.has("--no-network") && !cleaned {
                out.push(Verdict::fail(
                    idx,
                    c.span,
                    "`apk add` without `--no-cache` leaves the package index in the layer",
                ));
            }
        }
    }
    out
}

fn is_pip(name: &str) -> bool {
    name == "pip"
        || name
            .strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_python(name: &str) -> bool {
    name == "python"
        || name
            .strip_prefix("python")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The words after `pip` for `pip …`, `pip3 …` and `python -m pip …`.
fn pip_args<'a, 'b>(c: &'b Cmd<'a>) -> Option<&'b [(&'a str, Span)]> {
    if is_pip(c.name()) {
        return Some(c.args());
    }
    if is_python(c.name()) {
        let a = c.args();
        let m = a.iter().position(|(w, _)| *w == "-m")?;
        if a.get(m + 1).map(|w| w.0) == Some("pip") {
            return Some(&a[m + 2..]);
        }
    }
    None
}

fn stage_env_names(st: &Stage<'_>) -> Vec<String> {
    st.instrs()
        .iter()
        .filter(|i| matches!(kw(i), "ENV" | "ARG"))
        .flat_map(|i| {
            i.get("pairs")
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get("key").and_then(Value::as_str).map(str::to_string))
        })
        .collect()
}

fn pip_install_cache(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        for st in &stages {
            // Set in this stage or inherited from the stage it is built FROM.
            if stage_chain(st, &stages)
                .iter()
                .any(|s| stage_env_names(s).iter().any(|n| n == "PIP_NO_CACHE_DIR"))
            {
                continue;
            }
            pip_install_cache_in(st, &mut out);
        }
    }
    out
}

fn pip_install_cache_in(st: &Stage<'_>, out: &mut Vec<Verdict>) {
    for i in st.instrs().iter().filter(|i| kw(i) == "RUN") {
        {
            if has_cache_mount(i, ".cache/pip") || has_cache_mount(i, "/pip") {
                continue;
            }
            for c in commands(i) {
                let Some(args) = pip_args(&c) else { continue };
                if args.iter().find(|(w, _)| !w.starts_with('-')).map(|w| w.0) != Some("install") {
                    continue;
                }
                let ok = args
                    .iter()
                    .any(|(w, _)| *w == "--no-cache-dir" || w.starts_with("--no-cache-dir="))
                    || c.assignments
                        .iter()
                        .any(|a| a.starts_with("PIP_NO_CACHE_DIR="));
                if !ok {
                    out.push(Verdict::fail(
                        st.idx,
                        c.span,
                        "`pip install` without `--no-cache-dir` keeps pip's download cache in the layer",
                    ));
                }
            }
        }
    }
}

fn npm_install_instead_of_ci(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        let dir = stage_dir(ctx.model, &st);
        let mut lockfile = false;
        for i in st.instrs() {
            match kw(i) {
                "COPY" | "ADD" if flag(i, "from").is_none() => {
                    for (s, _) in sources(i) {
                        let base = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
                        if matches!(
                            base,
                            "package-lock.json"
                                | "npm-shrinkwrap.json"
                                | "package*.json"
                                | "*.json"
                        ) || ((s == "." || s == "./")
                            && dir
                                .as_ref()
                                .is_some_and(|d| d.join("package-lock.json").is_file()))
                        {
                            lockfile = true;
                        }
                    }
                }
                "RUN" if lockfile => {
                    for c in commands(i) {
                        if c.name() != "npm" || !matches!(c.sub(), Some("install" | "i")) {
                            continue;
                        }
                        let global = c.has("-g") || c.has("--global");
                        let packages = c.operands().count() > 1;
                        if !global && !packages {
                            out.push(Verdict::fail(
                                st.idx,
                                c.span,
                                "`npm install` with a lockfile present: `npm ci` installs exactly the locked versions",
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shell hygiene

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

fn pipe_download_to_shell(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (idx, _, cmds) in runs(ctx.model) {
        for (k, c) in cmds.iter().enumerate() {
            let downloads = matches!(c.name(), "curl" | "wget");
            if downloads && c.pipes {
                if let Some(next) = cmds.get(k + 1).filter(|n| SHELLS.contains(&n.name())) {
                    out.push(Verdict::fail(
                        idx,
                        Span::new(c.span.file, c.span.start as usize, next.span.end as usize),
                        format!(
                            "`{}` output is piped into `{}`: the script runs unverified",
                            c.name(),
                            next.name()
                        ),
                    ));
                }
            }
            if SHELLS.contains(&c.name())
                && c.args().iter().any(|(w, _)| {
                    w.contains("$(curl")
                        || w.contains("<(curl")
                        || w.contains("<(wget")
                        || w.contains("$(wget")
                        || w.contains("`curl")
                        || w.contains("`wget")
                })
            {
                out.push(Verdict::fail(
                    idx,
                    c.span,
                    format!("`{}` runs a downloaded script unverified", c.name()),
                ));
            }
        }
    }
    out
}

fn sudo(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (idx, _, cmds) in runs(ctx.model) {
        for c in &cmds {
            if c.wrappers.contains(&"sudo") || c.name() == "sudo" {
                out.push(Verdict::fail(
                    idx,
                    c.span,
                    "`sudo` in a build step: RUN already runs as the current USER; switch with USER instead",
                ));
            }
        }
    }
    out
}

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CLIENT_SECRET",
    "AUTH_KEY",
    "CREDENTIALS",
];
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_URL",
    "_ENDPOINT",
    "_NAME",
    "_HEADER",
];

fn secret_in_env_or_arg(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    // `in_final`: the instruction is in the final stage or a stage it is built FROM, whose
    // history and config are the image's (a builder stage's are not).
    let check_pairs = |owner: usize,
                       kind: &str,
                       in_final: bool,
                       pairs: &[Value],
                       out: &mut Vec<Verdict>| {
        for p in pairs {
            let Some(key) = p.get("key").and_then(Value::as_str) else {
                continue;
            };
            let upper = key.to_ascii_uppercase();
            if !SECRET_WORDS.iter().any(|w| upper.contains(w))
                || NOT_SECRET_SUFFIXES.iter().any(|s| upper.ends_with(s))
            {
                continue;
            }
            let key_span = p
                .get("key")
                .and_then(|k| k.span)
                .or(p.span)
                .unwrap_or(Span::file_start(crate::source::FileId(0)));
            let value = p.get("value");
            let v = value.and_then(Value::as_str).map(str::trim);
            let from_outside = v.is_none_or(|v| v.is_empty() || v.starts_with('$'));
            let message = match (kind, from_outside) {
                (_, false) => {
                    format!(
                        "{kind} `{key}` has a literal value: it is stored in the image and its history"
                    )
                }
                // `ARG TOKEN` is filled with `--build-arg TOKEN=…`; every later RUN of
                // the stage records it in the image history (`docker history`).
                ("ARG", true) if in_final => format!(
                    "ARG `{key}` takes a secret with `--build-arg`: build arguments are recorded in the image history; use `RUN --mount=type=secret`"
                ),
                // `ENV TOKEN=$TOKEN` copies the build argument into the image config.
                ("ENV", true) if in_final && v.is_some_and(|v| v.starts_with('$')) => format!(
                    "ENV `{key}` copies `{}` into the image config, where `docker inspect` and every process in the container see it",
                    v.unwrap_or_default()
                ),
                _ => continue,
            };
            let span = match (from_outside, value.and_then(|v| v.span)) {
                (false, Some(sp)) => sp,
                _ => key_span,
            };
            out.push(Verdict::fail(owner, span, message));
        }
    };
    for (fidx, obj) in ctx.model.of_type("dockerfile") {
        let pairs = obj
            .attr("args")
            .and_then(Value::as_list)
            .unwrap_or_default();
        // A global ARG only feeds FROM lines: only a literal value is a finding.
        check_pairs(fidx, "ARG", false, pairs, &mut out);
    }
    for (_, stages) in dockerfiles(ctx.model) {
        let final_chain: Vec<usize> = stages
            .iter()
            .find(|s| s.is_final())
            .map(|last| stage_chain(last, &stages).iter().map(|s| s.idx).collect())
            .unwrap_or_default();
        for st in &stages {
            let in_final = final_chain.contains(&st.idx);
            for i in st
                .instrs()
                .iter()
                .filter(|i| matches!(kw(i), "ENV" | "ARG"))
            {
                let pairs = i.get("pairs").and_then(Value::as_list).unwrap_or_default();
                check_pairs(st.idx, kw(i), in_final, pairs, &mut out);
            }
        }
    }
    out
}

/// The directory of the Dockerfile a stage belongs to, on disk.
fn stage_dir(model: &Model, st: &Stage<'_>) -> Option<std::path::PathBuf> {
    let file = model.sources.get(st.obj.span.file);
    let parent = file.path.parent()?;
    Some(if parent.as_os_str().is_empty() {
        Path::new(".").to_path_buf()
    } else {
        parent.to_path_buf()
    })
}

fn copy_context_without_dockerignore(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        let Some(dir) = stage_dir(ctx.model, &st) else {
            continue;
        };
        let file = ctx.model.sources.get(st.obj.span.file);
        let own_ignore = file
            .path
            .file_name()
            .map(|n| format!("{}.dockerignore", n.to_string_lossy()));
        if dir.join(".dockerignore").is_file() || own_ignore.is_some_and(|n| dir.join(n).is_file())
        {
            continue;
        }
        for i in st
            .instrs()
            .iter()
            .filter(|i| matches!(kw(i), "COPY" | "ADD"))
        {
            if flag(i, "from").is_some() || i.get("form").and_then(Value::as_str) == Some("heredoc")
            {
                continue;
            }
            let Some((_, span)) = sources(i)
                .into_iter()
                .find(|(s, _)| matches!(*s, "." | "./"))
            else {
                continue;
            };
            // A .dockerignore higher up (e.g. `docker/Dockerfile` built with the repository
            // root as context) makes the context uncertain: not a finding, but say why.
            if let Some(up) = ancestor_dockerignore(&dir) {
                out.push(Verdict::Unknown {
                    object: Some(st.idx),
                    span,
                    reason: format!(
                        "no .dockerignore next to the Dockerfile, but {} exists: the build context may be that directory",
                        up.display()
                    ),
                });
                continue;
            }
            let present: Vec<&str> = [".git", ".env", "node_modules"]
                .into_iter()
                .filter(|n| dir.join(n).exists())
                .collect();
            let extra = if present.is_empty() {
                String::new()
            } else {
                format!("; {} would be sent too", present.join(", "))
            };
            out.push(Verdict::fail(
                st.idx,
                span,
                format!("{} copies the whole build context and there is no .dockerignore next to the Dockerfile{extra}", kw(i)),
            ));
        }
    }
    out
}

/// The nearest `.dockerignore` in a parent directory of `dir`, searching up to the repository
/// root (the first directory holding `.git`).
fn ancestor_dockerignore(dir: &Path) -> Option<std::path::PathBuf> {
    let start = std::fs::canonicalize(dir).ok()?;
    if start.join(".git").exists() {
        return None;
    }
    for up in start.ancestors().skip(1) {
        let candidate = up.join(".dockerignore");
        if candidate.is_file() {
            return Some(candidate);
        }
        if up.join(".git").exists() {
            break;
        }
    }
    None
}

fn expose_ssh(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st.instrs().iter().filter(|i| kw(i) == "EXPOSE") {
            for (w, span) in words(i) {
                let port = w.split('/').next().unwrap_or(w);
                let hit = match port.split_once('-') {
                    Some((a, b)) => {
                        matches!((a.parse::<u32>(), b.parse::<u32>()), (Ok(a), Ok(b)) if a <= 22 && 22 <= b)
                    }
                    None => port == "22",
                };
                if hit {
                    out.push(Verdict::fail(
                        st.idx,
                        span,
                        "EXPOSE 22: SSH in a container widens the attack surface",
                    ));
                }
            }
        }
    }
    out
}

/// A chmod mode that makes files writable by everyone (without the sticky bit).
fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.len() <= 4 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits: Vec<u8> = mode.bytes().map(|b| b - b'0').collect();
        let other = *digits.last().unwrap_or(&0);
        let sticky = digits.len() == 4 && digits[0] & 1 == 1;
        return other & 2 != 0 && !sticky;
    }
    mode.split(',').any(|clause| {
        let op = clause.find(['+', '=']);
        let Some(op) = op else { return false };
        let who = &clause[..op];
        (who.contains('a') || who.contains('o')) && clause[op + 1..].contains('w')
    })
}

fn world_writable_chmod(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st.instrs() {
            match kw(i) {
                "RUN" => {
                    for c in commands(i).iter().filter(|c| c.name() == "chmod") {
                        if let Some((mode, _)) = c.operands().next() {
                            if world_writable(mode) {
                                out.push(Verdict::fail(
                                    st.idx,
                                    c.span,
                                    format!("`chmod {mode}` makes files writable by every user"),
                                ));
                            }
                        }
                    }
                }
                "COPY" | "ADD" => {
                    if let Some(v) = flag(i, "chmod") {
                        if v.as_str().is_some_and(world_writable) {
                            out.push(Verdict::fail(
                                st.idx,
                                v.span.unwrap_or_else(|| span_of(i)),
                                format!(
                                    "`--chmod={}` makes the copied files writable by every user",
                                    v.as_str().unwrap_or("")
                                ),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn relative_workdir(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st.instrs().iter().filter(|i| kw(i) == "WORKDIR") {
            let Some((w, span)) = words(i).into_iter().next() else {
                continue;
            };
            let b = w.as_bytes();
            let windows = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
            if !(w.starts_with('/') || w.starts_with('$') || windows) {
                out.push(Verdict::fail(
                    st.idx,
                    span,
                    format!("WORKDIR `{w}` is relative: it depends on every earlier WORKDIR"),
                ));
            }
        }
    }
    out
}

fn hardcoded_platform(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        if let Some(p) = st.obj.attr("platform") {
            if let Some(s) = p.as_str() {
                if !s.contains('$') {
                    out.push(Verdict::fail(
                        st.idx,
                        p.span.unwrap_or_else(|| st.stage_span()),
                        format!("FROM --platform={s} is hard-coded; use $BUILDPLATFORM or $TARGETPLATFORM"),
                    ));
                }
            }
        }
    }
    out
}

fn multiple_cmd_or_entrypoint(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for name in ["CMD", "ENTRYPOINT"] {
            let found: Vec<&Value> = st.instrs().iter().filter(|i| kw(i) == name).collect();
            for i in found.iter().skip(1) {
                out.push(Verdict::fail(
                    st.idx,
                    span_of(i),
                    format!(
                        "the stage has {} {name} instructions; only the last one takes effect",
                        found.len()
                    ),
                ));
            }
        }
    }
    out
}

fn shell_form_cmd(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st
            .instrs()
            .iter()
            .filter(|i| matches!(kw(i), "CMD" | "ENTRYPOINT"))
        {
            if i.get("form").and_then(Value::as_str) == Some("shell") {
                out.push(Verdict::fail(
                    st.idx,
                    args_span(i),
                    format!("shell-form {}: the process runs under `/bin/sh -c` and does not receive SIGTERM", kw(i)),
                ));
            }
        }
    }
    out
}

/// Docker Hub official images that `COPY --from=<name>` (no tag) commonly names.
const OFFICIAL_COPY_FROM_IMAGES: &[&str] = &[
    "alpine", "busybox", "debian", "ubuntu", "nginx", "node", "python", "golang", "rust", "docker",
    "composer", "php", "ruby", "redis", "postgres",
];

fn copy_from_unknown_stage(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        for (pos, st) in stages.iter().enumerate() {
            for i in st
                .instrs()
                .iter()
                .filter(|i| matches!(kw(i), "COPY" | "ADD"))
            {
                let Some(v) = flag(i, "from") else { continue };
                let Some(name) = v.as_str() else { continue };
                let span = v.span.unwrap_or_else(|| span_of(i));
                if name.contains('/') || name.contains(':') || name.contains('@') {
                    continue;
                }
                if name.contains('$') {
                    out.push(Verdict::Unknown {
                        object: Some(st.idx),
                        span,
                        reason: format!("COPY --from={name} depends on a build argument"),
                    });
                    continue;
                }
                let known = match name.parse::<usize>() {
                    Ok(n) => n < pos,
                    Err(_) => {
                        let lower = name.to_ascii_lowercase();
                        stages
                            .iter()
                            .enumerate()
                            .any(|(k, s)| k != pos && s.alias() == Some(lower.as_str()))
                    }
                };
                // `COPY --from=busybox` without a tag is the `busybox:latest` image: accept the
                // official images people copy binaries from, so a typo of a stage name is still
                // caught.
                let official_image =
                    OFFICIAL_COPY_FROM_IMAGES.contains(&name.to_ascii_lowercase().as_str());
                if !known && !official_image {
                    out.push(Verdict::fail(
                        st.idx,
                        span,
                        format!(
                            "{} --from={name}: no stage is named `{name}` (an image would need a tag or a registry path)",
                            kw(i)
                        ),
                    ));
                }
            }
        }
    }
    out
}

fn files_in_root_home_for_non_root(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        let Some(last) = stages.iter().find(|s| s.is_final()) else {
            continue;
        };
        let Some((user, _)) = effective_user(last, &stages) else {
            continue;
        };
        if is_root_user(user) {
            continue;
        }
        for i in last
            .instrs()
            .iter()
            .filter(|i| matches!(kw(i), "COPY" | "ADD"))
        {
            let Some((dest, span)) = words(i).into_iter().last() else {
                continue;
            };
            if dest == "/root" || dest.starts_with("/root/") {
                out.push(Verdict::fail(
                    last.idx,
                    span,
                    format!("files are copied into `{dest}` but the image runs as `{user}`, who cannot read /root"),
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// HEALTHCHECK tools

/// The stage itself, then the stages it is built `FROM`, up to the one on an image.
fn stage_chain<'s, 'a>(stage: &'s Stage<'a>, stages: &'s [Stage<'a>]) -> Vec<&'s Stage<'a>> {
    let mut chain = vec![stage];
    let mut cur = stage;
    while chain.len() <= stages.len() && cur.image_flag("is_stage") {
        let Some(base) = cur.image_str("resolved").map(str::to_ascii_lowercase) else {
            break;
        };
        let Some(next) = stages.iter().find(|s| s.alias() == Some(base.as_str())) else {
            break;
        };
        chain.push(next);
        cur = next;
    }
    chain
}

/// Whether an official base image is known to ship without `tool` (`curl` or `wget`): Debian,
/// Ubuntu and `-slim` images have neither; Alpine and BusyBox have BusyBox `wget` but no `curl`;
/// distroless and scratch have no tools at all. None when unsure (full `python`, `node` images
/// are built on `buildpack-deps` and have both).
fn image_lacks(repository: &str, tag: &str, registry: Option<&str>, tool: &str) -> Option<bool> {
    let repo = repository.strip_prefix("library/").unwrap_or(repository);
    let has_busybox_wget = tool == "wget";
    if registry == Some("gcr.io") && repo.starts_with("distroless/") || repo == "scratch" {
        return Some(true);
    }
    if registry.is_some() {
        return None;
    }
    // The nginx images (official and `nginxinc/nginx-unprivileged`) add curl in their
    // `alpine` and Debian variants ("to make registering on DNS SD easier"); `-slim` ones
    // are not known either way.
    if matches!(repo, "nginx" | "nginxinc/nginx-unprivileged") {
        return if tag.contains("slim") {
            None
        } else {
            Some(false)
        };
    }
    if matches!(repo, "alpine" | "busybox") || tag.contains("alpine") {
        return Some(!has_busybox_wget);
    }
    if matches!(repo, "debian" | "ubuntu") || tag.contains("slim") {
        return Some(true);
    }
    None
}

/// A package list of an install command in the stage names the tool.
fn installs(cmds: &[Cmd<'_>], tool: &str) -> bool {
    cmds.iter().any(|c| {
        let installer = matches!(
            (c.name(), c.sub()),
            (
                "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "zypper",
                Some("install")
            ) | ("apk", Some("add"))
        );
        installer
            && c.operands()
                .any(|(w, _)| w.split(['=', '~']).next() == Some(tool))
    })
}

fn healthcheck_tool_missing(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        let Some(last) = stages.iter().find(|s| s.is_final()) else {
            continue;
        };
        let chain = stage_chain(last, &stages);
        let Some(hc) = chain
            .iter()
            .flat_map(|s| s.instrs().iter().rev())
            .find(|i| kw(i) == "HEALTHCHECK")
        else {
            continue;
        };
        let tool_word = match hc.get("cmd").map(|c| (c.as_list(), c.as_str())) {
            Some((Some(list), _)) => list.first().and_then(|w| Some((w.as_str()?, w.span?))),
            Some((None, Some(_))) => commands(hc)
                .into_iter()
                .find(|c| matches!(c.name(), "curl" | "wget"))
                .and_then(|c| c.argv.first().copied()),
            _ => None,
        };
        let Some((word, span)) = tool_word else {
            continue;
        };
        let tool = word.rsplit('/').next().unwrap_or(word);
        if !matches!(tool, "curl" | "wget") {
            continue;
        }
        let root = chain.last().copied().unwrap_or(last);
        if root.obj.attr("image").is_none_or(Value::is_unknown) {
            continue;
        }
        let repo = root.image_str("repository").unwrap_or("");
        let tag = root.image_str("tag").unwrap_or("");
        let lacks = if root.image_flag("is_scratch") {
            Some(true)
        } else {
            image_lacks(repo, tag, root.image_str("registry"), tool)
        };
        if lacks != Some(true) {
            continue;
        }
        let installed = chain.iter().any(|s| {
            s.instrs().iter().any(|i| {
                (kw(i) == "RUN" && installs(&commands(i), tool))
                    || (matches!(kw(i), "COPY" | "ADD")
                        && words(i).last().is_some_and(|(d, _)| {
                            d.trim_end_matches('/').rsplit('/').next() == Some(tool)
                                || d.ends_with("/bin/")
                        }))
            })
        });
        if !installed {
            let base = root.image_str("resolved").unwrap_or(repo);
            out.push(Verdict::fail(
                last.idx,
                span,
                format!("HEALTHCHECK runs `{tool}`, which `{base}` does not include and no step installs: the check always fails and the container is marked unhealthy"),
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Masked failures

/// A package install or build step whose failure the build cannot see: `pip install` in
/// `pip install … || pip3 install …` is fine, in `… || echo` or `… || true` it is not.
fn install_step(c: &Cmd<'_>) -> Option<String> {
    if let Some(args) = pip_args(c) {
        return (args.iter().find(|(w, _)| !w.starts_with('-')).map(|w| w.0) == Some("install"))
            .then(|| "pip install".to_string());
    }
    let sub = c.sub().unwrap_or("");
    let hit = match c.name() {
        "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "zypper" => sub == "install",
        "apk" => sub == "add",
        "npm" => matches!(sub, "ci" | "install" | "i"),
        "yarn" | "pnpm" | "bundle" | "composer" | "poetry" => sub == "install",
        "gem" => sub == "install",
        "uv" => matches!(sub, "sync" | "pip"),
        _ => false,
    };
    hit.then(|| format!("{} {sub}", c.name()))
}

/// `true`, `:`, `echo …`, `printf …` or `exit 0`: a command that turns a failure into success.
fn swallows_failure(c: &Cmd<'_>) -> bool {
    match c.name() {
        "true" | ":" | "echo" | "printf" => true,
        "exit" => c.args().first().is_none_or(|(w, _)| *w == "0"),
        _ => false,
    }
}

fn install_failure_masked(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (stage, _, cmds) in runs(ctx.model) {
        for k in 0..cmds.len() {
            if cmds[k].sep != Some("||") || !cmds.get(k + 1).is_some_and(swallows_failure) {
                continue;
            }
            // `|| { echo "failed" >&2; exit 1; }` reports and fails (groups are flattened, so
            // look for a failing exit after the fallback).
            let fails_later = cmds[k + 2..].iter().any(|c| {
                c.name() == "false"
                    || (c.name() == "exit" && c.args().first().is_some_and(|(w, _)| *w != "0"))
            });
            if fails_later {
                continue;
            }
            // The `||` guards the whole `a && b && c` list before it.
            let mut first = k;
            while first > 0 && cmds[first - 1].sep == Some("&&") {
                first -= 1;
            }
            let masker = &cmds[k + 1];
            let shown = match masker.name() {
                "echo" | "printf" if masker.args().is_empty() => masker.name().to_string(),
                "echo" | "printf" => format!("{} …", masker.name()),
                _ => masker
                    .argv
                    .iter()
                    .map(|w| w.0)
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            for c in &cmds[first..=k] {
                if let Some(what) = install_step(c) {
                    out.push(Verdict::fail(
                        stage,
                        c.span,
                        format!("`{what}` can fail unnoticed: `|| {shown}` turns its failure into success, so the image builds without what it installs"),
                    ));
                }
            }
        }
    }
    out
}

fn maintainer_deprecated(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for st in all_stages(ctx.model) {
        for i in st.instrs().iter().filter(|i| kw(i) == "MAINTAINER") {
            out.push(Verdict::fail(
                st.idx,
                span_of(i),
                "MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors=\"…\"`",
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Pipelines without pipefail

/// Shell options (`-o pipefail`, `-eo pipefail`, `-Eeuxo pipefail`, `-opipefail`) turn pipefail
/// on.
fn sets_pipefail<'w>(words: impl IntoIterator<Item = &'w str>) -> bool {
    let words: Vec<&str> = words.into_iter().collect();
    words.iter().enumerate().any(|(k, w)| {
        if *w == "-opipefail" {
            return true;
        }
        let short = w.len() > 1
            && w.starts_with('-')
            && !w.starts_with("--")
            && w[1..].chars().all(|c| c.is_ascii_alphabetic())
            && w.ends_with('o');
        short && words.get(k + 1) == Some(&"pipefail")
    })
}

/// Whether the `SHELL` in effect at the end of `stage` (its own last `SHELL`, else that of the
/// stage it is built `FROM`, …) sets pipefail. An image's default shell, `/bin/sh -c`, does not.
/// Base images from a registry are assumed to keep that default.
fn shell_pipefail_at_end(stage: &Stage<'_>, stages: &[Stage<'_>]) -> bool {
    for st in stage_chain(stage, stages) {
        if let Some(sh) = st.instrs().iter().rev().find(|i| kw(i) == "SHELL") {
            return sets_pipefail(str_list(sh.get("args")).into_iter().map(|w| w.0));
        }
    }
    false
}

/// Commands that cannot fail in a way worth stopping the build for, as the writing side of a
/// pipe: `echo "$SUM  file" | sha256sum -c -`, `yes | installer`. (`yes` even fails under
/// pipefail when the reader exits first.)
fn harmless_pipe_source(c: &Cmd<'_>) -> bool {
    matches!(c.name(), "echo" | "printf" | "yes" | "true" | ":")
}

/// Whether a RUN runs its script with pipefail already on, independently of `set -o pipefail`
/// in the script: the exec-form argv (`["bash", "-o", "pipefail", "-c", …]`), the shell named on
/// a heredoc line (`RUN <<EOF bash -o pipefail`), else the stage's `SHELL`. A heredoc that
/// starts with `#!` is run by its interpreter, not by `SHELL`.
fn run_has_pipefail(i: &Value, shell_pipefail: bool) -> bool {
    match i.get("form").and_then(Value::as_str) {
        Some("exec") => sets_pipefail(str_list(i.get("args")).into_iter().map(|w| w.0)),
        Some("heredoc") => {
            let line = i.get("args").and_then(Value::as_str).unwrap_or("");
            let line_words: Vec<&str> = line
                .split_whitespace()
                .filter(|w| !w.starts_with("<<"))
                .collect();
            let names_shell = line_words
                .first()
                .is_some_and(|w| SHELLS.contains(&w.rsplit('/').next().unwrap_or(w)));
            let shebang = i
                .get("heredocs")
                .and_then(Value::as_list)
                .and_then(|h| h.first())
                .and_then(|h| h.get("body"))
                .and_then(Value::as_str)
                .is_some_and(|b| b.starts_with("#!"));
            if names_shell {
                sets_pipefail(line_words)
            } else if line_words.is_empty() && shebang {
                false
            } else {
                shell_pipefail
            }
        }
        _ => shell_pipefail,
    }
}

fn pipe_without_pipefail(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (_, stages) in dockerfiles(ctx.model) {
        for st in &stages {
            // The SHELL inherited from the stage this one is built FROM.
            let mut pipefail = stage_chain(st, &stages)
                .get(1)
                .is_some_and(|base| shell_pipefail_at_end(base, &stages));
            for i in st.instrs() {
                if kw(i) == "SHELL" {
                    pipefail = sets_pipefail(str_list(i.get("args")).into_iter().map(|w| w.0));
                    continue;
                }
                let run = match kw(i) {
                    "RUN" => i,
                    "ONBUILD" => match i.get("trigger").filter(|t| kw(t) == "RUN") {
                        Some(t) => t,
                        None => continue,
                    },
                    _ => continue,
                };
                if run.get("commands").is_none() || run_has_pipefail(run, pipefail) {
                    continue;
                }
                pipelines_without_pipefail(st.idx, &commands(run), &mut out);
            }
        }
    }
    out
}

/// The program whose exit status a pipeline sees: the outermost wrapper (`xargs` in
/// `xargs -r apk add`), else the command.
fn shown_name<'a>(c: &Cmd<'a>) -> &'a str {
    c.wrappers.first().copied().unwrap_or_else(|| c.name())
}

/// Reports each pipeline of `cmds` that runs before any `set -o pipefail` and whose writing side
/// can fail.
fn pipelines_without_pipefail(stage: usize, cmds: &[Cmd<'_>], out: &mut Vec<Verdict>) {
    let mut k = 0;
    while k < cmds.len() {
        let c = &cmds[k];
        if c.name() == "set" && sets_pipefail(c.args().iter().map(|w| w.0)) {
            return;
        }
        if !c.pipes {
            k += 1;
            continue;
        }
        let start = k;
        while k < cmds.len() && cmds[k].pipes {
            k += 1;
        }
        // `cmds[start..k]` write into a pipe; `cmds[k]` (if any) is the last reader.
        let last = k.min(cmds.len() - 1);
        if let Some(src) = cmds[start..k].iter().find(|c| !harmless_pipe_source(c)) {
            let names: Vec<&str> = cmds[start..=last].iter().map(shown_name).collect();
            out.push(Verdict::fail(
                stage,
                Span::new(
                    cmds[start].span.file,
                    cmds[start].span.start as usize,
                    cmds[last].span.end as usize,
                ),
                format!(
                    "pipeline `{}` runs without pipefail: if `{}` fails, the step still succeeds with the exit status of `{}`",
                    names.join(" | "),
                    shown_name(src),
                    shown_name(&cmds[last])
                ),
            ));
        }
        k = last + 1;
    }
}
