//! Built-in checks of the `workflow` pack (GitHub Actions workflows and actions).
//!
//! Each check walks `gha_workflow` / `gha_job` / `gha_step` / `gha_action` objects (see
//! `docs/ir-workflow.md`) and points at the offending value: the `uses:` reference, the
//! `${{ … }}` inside a `run:` script, the `permissions:` value, or the job's key.

use crate::ir::{Model, Object, Value, ValueKind};
use crate::parse::workflow::{expressions_in, span_within};
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("gha_unpinned_third_party_action", unpinned_third_party),
    ("gha_unpinned_first_party_action", unpinned_first_party),
    ("gha_script_injection", script_injection),
    ("gha_input_injection", input_injection),
    ("gha_untrusted_checkout", untrusted_checkout),
    ("gha_missing_permissions", missing_permissions),
    ("gha_permissions_write_all", permissions_write_all),
    ("gha_long_lived_aws_keys", long_lived_aws_keys),
    ("gha_artipacked", artipacked),
    ("gha_secret_echoed", secret_echoed),
    ("gha_sarif_upload_permissions", sarif_upload_permissions),
    ("gha_deprecated_action_version", deprecated_action_version),
    ("gha_self_hosted_public_trigger", self_hosted_public_trigger),
    ("gha_job_missing_timeout", job_missing_timeout),
    ("gha_secrets_inherit", secrets_inherit),
    ("gha_unpinned_container_image", unpinned_container_image),
];

// ---------------------------------------------------------------------------------------------
// Model helpers

fn source_text(model: &Model, span: Span) -> &str {
    &model.sources.get(span.file).text
}

fn parent<'m>(model: &'m Model, o: &Object) -> Option<&'m Object> {
    o.parent.and_then(|p| model.objects.get(p))
}

/// The workflow object a job or step belongs to (None for composite-action steps).
fn workflow_of<'m>(model: &'m Model, o: &'m Object) -> Option<&'m Object> {
    let mut cur = o;
    loop {
        if cur.type_name == "gha_workflow" {
            return Some(cur);
        }
        cur = parent(model, cur)?;
    }
}

/// Event names the workflow is triggered by (`on:` is normalized to a map by the parser).
fn triggers(wf: &Object) -> Vec<&str> {
    wf.attr("on")
        .and_then(Value::as_map)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Children of each object of type `type_name`, by parent index, in model order (one pass,
/// so checks stay linear in the number of objects).
fn children_by_parent<'m>(
    model: &'m Model,
    type_name: &str,
) -> std::collections::HashMap<usize, Vec<(usize, &'m Object)>> {
    let mut map: std::collections::HashMap<usize, Vec<(usize, &Object)>> =
        std::collections::HashMap::new();
    for (i, o) in model.of_type(type_name) {
        if let Some(p) = o.parent {
            map.entry(p).or_default().push((i, o));
        }
    }
    map
}

/// A short span on the key a job is written under (`build:`), else the first line.
fn key_span(model: &Model, o: &Object) -> Span {
    let text = source_text(model, o.span);
    let start = o.span.start as usize;
    let end = start + o.name.len();
    if text.get(start..end) == Some(o.name.as_str()) {
        return Span::new(o.span.file, start, end);
    }
    first_line(model, o.span)
}

fn first_line(model: &Model, span: Span) -> Span {
    let text = source_text(model, span);
    let start = span.start as usize;
    let rest = text.get(start..span.end as usize).unwrap_or("");
    let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
    Span::new(span.file, start, start + len)
}

/// The `uses:` value of a step or job, with its span.
fn uses_of(o: &Object) -> Option<(&str, Span)> {
    let v = o.attr("uses")?;
    Some((v.as_str()?, v.span.unwrap_or(o.span)))
}

/// `owner/repo` of a step's or job's `uses:` (lowercased), for repository references.
fn action_repo(o: &Object) -> Option<String> {
    let p = o.attr("uses_parsed")?;
    let owner = p.get("owner")?.as_str()?;
    let repo = p.get("repo")?.as_str()?;
    Some(format!(
        "{}/{}",
        owner.to_ascii_lowercase(),
        repo.to_ascii_lowercase()
    ))
}

/// Whether a step uses `repo` (`owner/name`, lowercase) or one of its sub-actions.
fn step_uses(o: &Object, repo: &str) -> bool {
    action_repo(o).is_some_and(|r| r == repo)
}

fn str_at<'a>(o: &'a Object, path: &str) -> Option<&'a str> {
    o.attr_path(path).and_then(Value::as_str)
}

// ---------------------------------------------------------------------------------------------
// GHA001 / GHA002: actions not pinned to a commit SHA

fn is_first_party(owner: &str) -> bool {
    owner.eq_ignore_ascii_case("actions") || owner.eq_ignore_ascii_case("github")
}

/// A plausible GitHub owner or repository name.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn unpinned(ctx: &CheckContext<'_>, first_party: bool) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.type_name != "gha_step" && o.type_name != "gha_job" {
            continue;
        }
        let (Some((uses, span)), Some(p)) = (uses_of(o), o.attr("uses_parsed")) else {
            continue;
        };
        let flag = |k: &str| p.get(k).and_then(Value::as_bool).unwrap_or(false);
        if flag("is_local") || flag("ref_is_sha") {
            continue;
        }
        if uses.contains("${{") {
            out.push(Verdict::unknown(
                i,
                span,
                "`uses:` is computed by an expression",
            ));
            continue;
        }
        if flag("is_docker") {
            if !first_party {
                out.push(Verdict::fail(
                    i,
                    span,
                    format!("container image `{uses}` is not pinned to a sha256 digest"),
                ));
            }
            continue;
        }
        let owner = p.get("owner").and_then(Value::as_str).unwrap_or("");
        let repo = p.get("repo").and_then(Value::as_str).unwrap_or("");
        if !is_name(owner) || !is_name(repo) {
            if !first_party {
                out.push(Verdict::unknown(
                    i,
                    span,
                    format!("`{uses}` is not a recognizable action reference"),
                ));
            }
            continue;
        }
        if is_first_party(owner) != first_party {
            continue;
        }
        let what = if first_party {
            "first-party action"
        } else {
            "third-party action"
        };
        let message = match p.get("ref").and_then(Value::as_str) {
            Some(r) => format!(
                "{what} `{uses}` is pinned to `{r}`, a mutable ref; pin it to a full 40-character commit SHA"
            ),
            None => format!("{what} `{uses}` has no ref; pin it to a full commit SHA"),
        };
        out.push(Verdict::fail(i, span, message));
    }
    out
}

fn unpinned_third_party(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    unpinned(ctx, false)
}

fn unpinned_first_party(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    unpinned(ctx, true)
}

// ---------------------------------------------------------------------------------------------
// GHA003 / GHA004: expressions expanded into scripts

/// Context paths an outside contributor controls (`*` matches one segment or index).
const ATTACKER_CONTROLLED: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.email",
    "github.event.commits.*.author.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.pull_requests.*.head.ref",
];

/// Dotted context paths read by an expression (`a.b[0].c` → `a.b.*.c`, `a['x']` → `a.x`).
fn context_paths(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            // skip string literal
            i += 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let mut path = String::new();
            let mut seg_start = i;
            loop {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-')
                {
                    i += 1;
                }
                path.push_str(&expr[seg_start..i]);
                if i < b.len() && b[i] == b'.' {
                    i += 1;
                    if i < b.len() && b[i] == b'*' {
                        path.push_str(".*");
                        i += 1;
                        if i < b.len() && b[i] == b'.' {
                            i += 1;
                            path.push('.');
                        } else {
                            break;
                        }
                    } else {
                        path.push('.');
                    }
                    seg_start = i;
                    continue;
                }
                if i < b.len() && b[i] == b'[' {
                    let close = expr[i..].find(']').map(|j| i + j);
                    let Some(close) = close else { break };
                    let inner = expr[i + 1..close].trim();
                    let seg = inner
                        .strip_prefix('\'')
                        .and_then(|s| s.strip_suffix('\''))
                        .unwrap_or("*");
                    path.push('.');
                    path.push_str(seg);
                    i = close + 1;
                    if i < b.len() && b[i] == b'.' {
                        i += 1;
                        path.push('.');
                        seg_start = i;
                        continue;
                    }
                    break;
                }
                break;
            }
            // Function calls (`contains(`) are not context paths.
            if b.get(i) != Some(&b'(') {
                out.push(path.trim_end_matches('.').to_ascii_lowercase());
            }
            continue;
        }
        i += 1;
    }
    out
}

fn path_matches(path: &[&str], pattern: &[&str]) -> bool {
    path.iter()
        .zip(pattern)
        .all(|(a, p)| *p == "*" || *a == "*" || a == p)
}

/// The attacker-controlled context an expression reads, if any. A path that is a prefix of
/// one (`toJSON(github.event.issue)`) counts too.
fn attacker_controlled(expr: &str) -> Option<String> {
    for path in context_paths(expr) {
        let segs: Vec<&str> = path.split('.').collect();
        for pat in ATTACKER_CONTROLLED {
            let p: Vec<&str> = pat.split('.').collect();
            // Two segments at least: `toJSON(github.event)` counts, `toJSON(github)` is noise.
            if segs.len() >= 2 && path_matches(&segs, &p) {
                return Some(path);
            }
        }
    }
    None
}

fn user_input(expr: &str) -> Option<String> {
    context_paths(expr)
        .into_iter()
        .find(|p| p.starts_with("inputs.") || p.starts_with("github.event.inputs."))
}

/// Scripts of a step: `run:`, and `script:` of `actions/github-script`.
fn scripts(o: &Object) -> Vec<(&'static str, &Value)> {
    let mut out = Vec::new();
    if let Some(run) = o.attr("run") {
        out.push(("`run:` script", run));
    }
    if step_uses(o, "actions/github-script") {
        if let Some(script) = o.attr_path("with.script") {
            out.push(("`actions/github-script` script", script));
        }
    }
    out
}

fn injection(ctx: &CheckContext<'_>, classify: fn(&str) -> Option<String>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("gha_step") {
        for (where_, script) in scripts(o) {
            let Some(text) = script.as_str() else {
                continue;
            };
            let Some(span) = script.span else { continue };
            let src = source_text(ctx.model, span);
            for (range, expr) in expressions_in(text) {
                let Some(path) = classify(expr) else { continue };
                let raw = &text[range.clone()];
                let nth = text[..range.start].matches(raw).count();
                out.push(Verdict::fail(
                    i,
                    span_within(src, span, raw, nth),
                    format!(
                        "`{path}` is expanded into the {where_} before it runs; pass it \
                         through `env:` and use the environment variable instead"
                    ),
                ));
            }
        }
    }
    out
}

fn script_injection(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    injection(ctx, attacker_controlled)
}

fn input_injection(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    injection(ctx, user_input)
}

// ---------------------------------------------------------------------------------------------
// GHA005: privileged triggers that check out the pull request's code

const UNTRUSTED_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.repo.full_name",
    "github.event.pull_request.merge_commit_sha",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_repository.full_name",
    "github.event.number",
    "github.event.pull_request.number",
];

fn untrusted_checkout(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("gha_step") {
        let Some(wf) = workflow_of(ctx.model, o) else {
            continue;
        };
        let trig = triggers(wf);
        let Some(event) = trig
            .iter()
            .find(|t| **t == "pull_request_target" || **t == "workflow_run")
        else {
            continue;
        };
        let mut candidates: Vec<&Value> = Vec::new();
        if step_uses(o, "actions/checkout") {
            candidates.extend(o.attr_path("with.ref"));
            candidates.extend(o.attr_path("with.repository"));
        }
        for v in candidates {
            let (Some(text), Some(span)) = (v.as_str(), v.span) else {
                continue;
            };
            let hit = expressions_in(text).into_iter().find_map(|(_, e)| {
                context_paths(e)
                    .into_iter()
                    .find(|p| UNTRUSTED_REFS.contains(&p.as_str()))
            });
            if let Some(path) = hit {
                out.push(Verdict::fail(
                    i,
                    span,
                    format!(
                        "this `{event}` workflow checks out untrusted pull-request code \
                         (`{path}`) with the base repository's token and secrets"
                    ),
                ));
            }
        }
        if let Some(run) = o.attr("run") {
            if let (Some(text), Some(span)) = (run.as_str(), run.span) {
                if let Some(pos) = text.find("gh pr checkout") {
                    let src = source_text(ctx.model, span);
                    let piece = &text[pos..pos + "gh pr checkout".len()];
                    out.push(Verdict::fail(
                        i,
                        span_within(src, span, piece, 0),
                        format!(
                            "this `{event}` workflow checks out untrusted pull-request code \
                             (`gh pr checkout`) with the base repository's token and secrets"
                        ),
                    ));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA006 / GHA007: permissions

fn missing_permissions(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    let jobs_by_workflow = children_by_parent(ctx.model, "gha_job");
    for (wi, wf) in ctx.model.of_type("gha_workflow") {
        if wf.attr("permissions").is_some() {
            continue;
        }
        // A reusable workflow's token is the caller's (it can only be reduced): the caller's
        // `permissions:` is what matters.
        let trig = triggers(wf);
        if !trig.is_empty() && trig.iter().all(|t| *t == "workflow_call") {
            continue;
        }
        let jobs = jobs_by_workflow
            .get(&wi)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let without: Vec<_> = jobs
            .iter()
            .filter(|(_, j)| j.attr("permissions").is_none())
            .collect();
        if without.is_empty() {
            continue;
        }
        for (ji, job) in without {
            out.push(Verdict::fail(
                *ji,
                key_span(ctx.model, job),
                format!(
                    "job `{}` has no `permissions:` and the workflow sets none, so its \
                     GITHUB_TOKEN gets the repository's default permissions",
                    job.name
                ),
            ));
        }
    }
    out
}

fn permissions_write_all(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.type_name != "gha_workflow" && o.type_name != "gha_job" {
            continue;
        }
        let Some(p) = o.attr("permissions") else {
            continue;
        };
        if p.as_str() == Some("write-all") {
            let what = if o.type_name == "gha_job" {
                format!("job `{}`", o.name)
            } else {
                "the workflow".to_string()
            };
            out.push(Verdict::fail(
                i,
                p.span.unwrap_or(o.span),
                format!("{what} grants the GITHUB_TOKEN write access to every scope"),
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA008: long-lived AWS keys

fn references_secret(text: &str) -> bool {
    expressions_in(text)
        .iter()
        .any(|(_, e)| context_paths(e).iter().any(|p| p.starts_with("secrets.")))
}

fn long_lived_aws_keys(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if !o.type_name.starts_with("gha_") {
            continue;
        }
        if o.type_name == "gha_step" && step_uses(o, "aws-actions/configure-aws-credentials") {
            if let Some(v) = o.attr_path("with.aws-access-key-id") {
                if v.as_str().is_some_and(references_secret) {
                    out.push(Verdict::fail(
                        i,
                        v.span.unwrap_or(o.span),
                        "long-lived AWS access key passed to configure-aws-credentials; \
                         use OIDC (`role-to-assume` with `id-token: write`) instead",
                    ));
                }
            }
        }
        let Some(env) = o.attr("env").and_then(Value::as_map) else {
            continue;
        };
        // S3-compatible services (R2, MinIO, …) reuse the AWS variable names but have no OIDC.
        if env
            .keys()
            .any(|k| k.to_ascii_uppercase().starts_with("AWS_ENDPOINT_URL"))
        {
            continue;
        }
        for (k, v) in env {
            if k.eq_ignore_ascii_case("AWS_ACCESS_KEY_ID")
                && v.as_str().is_some_and(references_secret)
            {
                out.push(Verdict::fail(
                    i,
                    v.span.unwrap_or(o.span),
                    "long-lived AWS access key exported as AWS_ACCESS_KEY_ID; use OIDC \
                     (`aws-actions/configure-aws-credentials` with `role-to-assume`) instead",
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA009: checkout credentials persisted in jobs that upload artifacts

fn artipacked(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    let steps_by_job = children_by_parent(ctx.model, "gha_step");
    for (ji, _job) in ctx.model.of_type("gha_job") {
        let steps = steps_by_job.get(&ji).map(Vec::as_slice).unwrap_or_default();
        let uploads = steps
            .iter()
            .any(|(_, s)| step_uses(s, "actions/upload-artifact"));
        if !uploads {
            continue;
        }
        for (si, s) in steps {
            if !step_uses(s, "actions/checkout") {
                continue;
            }
            let persist = s.attr_path("with.persist-credentials");
            match persist.map(|v| &v.kind) {
                Some(ValueKind::Bool(false)) => {}
                Some(ValueKind::String(t)) if t == "false" => {}
                Some(ValueKind::String(t)) if t.contains("${{") => out.push(Verdict::unknown(
                    *si,
                    persist.and_then(|v| v.span).unwrap_or(s.span),
                    "`persist-credentials` is computed by an expression",
                )),
                _ => {
                    let (_, span) = uses_of(s).unwrap_or(("", s.span));
                    out.push(Verdict::fail(
                        *si,
                        span,
                        "actions/checkout persists the GITHUB_TOKEN in `.git/config` and this \
                         job uploads artifacts; set `persist-credentials: false`",
                    ));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA010: secrets echoed to the log

const PRINT_COMMANDS: &[&str] = &["echo", "printf", "write-host", "write-output", "print"];

/// Commands whose output re-encodes their input: a secret piped through one reaches the log in
/// a form the runner's masking does not recognise.
const ENCODERS: &[&str] = &["base64", "base32", "basenc", "xxd", "od", "hexdump", "rev"];

/// Where the output of a print command goes, given the script text after the printed value:
/// `Some(None)` to the log as is, `Some(Some(encoder))` to the log through an encoder, `None`
/// elsewhere (a file, or a command that consumes it such as `docker login --password-stdin`).
fn log_route(rest: &str) -> Option<Option<&str>> {
    let to_file = |t: &str| t.replace(">&2", "").replace(">&1", "").contains('>');
    match rest.split_once('|') {
        None => (!to_file(rest)).then_some(None),
        Some((before, after)) => {
            if to_file(before) || after.starts_with('|') {
                return None;
            }
            let mut words = after.split_whitespace();
            let cmd = words.next()?;
            let encoder = ENCODERS.iter().find(|e| **e == cmd)?;
            let tail = &after[after.find(cmd).unwrap_or(0) + cmd.len()..];
            (!tail.contains('|') && !to_file(tail)).then_some(Some(*encoder))
        }
    }
}

/// Names of environment variables set from a `secrets.` expression for a step: its own `env:`,
/// its job's and its workflow's.
fn secret_env_names(model: &Model, step: &Object) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Some(step);
    while let Some(o) = cur {
        if let Some(env) = o.attr("env").and_then(Value::as_map) {
            for (name, v) in env {
                let from_secret = v.as_str().is_some_and(|t| {
                    expressions_in(t)
                        .iter()
                        .any(|(_, e)| context_paths(e).iter().any(|p| p.starts_with("secrets.")))
                });
                if from_secret && !out.contains(name) {
                    out.push(name.clone());
                }
            }
        }
        cur = o.parent.map(|p| &model.objects[p]);
    }
    out
}

/// `$NAME` / `${NAME}` references to `names` in `text`: (byte range, name).
fn env_refs<'n>(text: &str, names: &'n [String]) -> Vec<(std::ops::Range<usize>, &'n str)> {
    let mut out = Vec::new();
    for name in names {
        for pat in [format!("${{{name}}}"), format!("${name}")] {
            for (i, _) in text.match_indices(&pat) {
                let end = i + pat.len();
                // `$TOKEN_URL` is not `$TOKEN`.
                let next = text[end..].chars().next();
                if !pat.ends_with('}')
                    && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    continue;
                }
                if !out
                    .iter()
                    .any(|(r, _): &(std::ops::Range<usize>, &str)| r.start == i)
                {
                    out.push((i..end, name.as_str()));
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

fn secret_echoed(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("gha_step") {
        let Some(run) = o.attr("run") else { continue };
        let (Some(text), Some(span)) = (run.as_str(), run.span) else {
            continue;
        };
        let src = source_text(ctx.model, span);
        let env_names = secret_env_names(ctx.model, o);
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let offset = line_start;
            line_start += line.len();
            let line = line.trim_end_matches(['\n', '\r']);
            let words: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '(')
                .filter(|w| !w.is_empty())
                .collect();
            let Some(cmd_pos) = words
                .iter()
                .position(|w| PRINT_COMMANDS.contains(&w.to_ascii_lowercase().as_str()))
            else {
                continue;
            };
            let cmd = words[cmd_pos];
            let cmd_at = line.find(cmd).unwrap_or(0);
            let after_cmd = &line[cmd_at..];
            // `${{ secrets.X }}` expressions, then `$NAME` of env vars set from secrets.
            let mut printed: Vec<(std::ops::Range<usize>, String)> = expressions_in(after_cmd)
                .into_iter()
                .filter(|(_, expr)| {
                    context_paths(expr)
                        .iter()
                        .any(|p| p.starts_with("secrets."))
                })
                .map(|(r, e)| (r, format!("`{e}`")))
                .collect();
            printed.extend(
                env_refs(after_cmd, &env_names)
                    .into_iter()
                    // `'$TOKEN'` is the literal text.
                    .filter(|(r, _)| after_cmd[..r.start].matches('\'').count() % 2 == 0)
                    .map(|(r, n)| (r, format!("`${n}` (set from a secret)"))),
            );
            for (range, what) in printed {
                // `::add-mask::` lines are workflow commands, not output.
                if after_cmd[..range.start].contains("::add-mask::") {
                    continue;
                }
                let rest = &after_cmd[range.end..];
                let message = match log_route(rest) {
                    None => continue,
                    Some(None) => format!(
                        "{what} is printed by `{cmd}`; secrets written to the log are only \
                         masked while their exact value is printed"
                    ),
                    Some(Some(enc)) => format!(
                        "{what} is printed by `{cmd}` through `{enc}`: the log shows the encoded \
                         value, which the runner does not mask"
                    ),
                };
                let raw = &after_cmd[range.clone()];
                // Which occurrence of this text in the script it is, to point at this line.
                let nth = text[..offset + cmd_at + range.start].matches(raw).count();
                out.push(Verdict::fail(i, span_within(src, span, raw, nth), message));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA011: SARIF upload without `security-events: write`

/// Whether a `permissions:` value grants write on `scope`.
fn grants_write(p: &Value, scope: &str) -> Option<bool> {
    match &p.kind {
        ValueKind::String(s) if s == "write-all" => Some(true),
        ValueKind::String(s) if s == "read-all" => Some(false),
        ValueKind::String(s) if s.contains("${{") => None,
        ValueKind::Map(m) => match m.get(scope).map(|v| &v.kind) {
            Some(ValueKind::String(s)) if s.contains("${{") => None,
            Some(ValueKind::String(s)) => Some(s == "write"),
            _ => Some(false),
        },
        ValueKind::Unknown(_) => None,
        _ => Some(false),
    }
}

fn sarif_upload_permissions(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("gha_step") {
        if !step_uses(o, "github/codeql-action") {
            continue;
        }
        let path = o
            .attr_path("uses_parsed.path")
            .and_then(Value::as_str)
            .unwrap_or("");
        if path != "upload-sarif" {
            continue;
        }
        let Some(job) = parent(ctx.model, o).filter(|j| j.type_name == "gha_job") else {
            continue;
        };
        let effective = job
            .attr("permissions")
            .or_else(|| workflow_of(ctx.model, job).and_then(|w| w.attr("permissions")));
        let Some(perms) = effective else { continue };
        let (_, span) = uses_of(o).unwrap_or(("", o.span));
        match grants_write(perms, "security-events") {
            Some(true) => {}
            Some(false) => out.push(Verdict::fail(
                i,
                span,
                format!(
                    "job `{}` declares permissions without `security-events: write`, so this \
                     SARIF upload is rejected",
                    job.name
                ),
            )),
            None => out.push(Verdict::unknown(
                i,
                span,
                "`permissions` is computed by an expression",
            )),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA012: deprecated action major versions

/// Action repositories, the oldest version that is not deprecated, and why older ones are.
const DEPRECATED: &[(&str, (u32, u32, u32), &str)] = &[
    (
        "actions/checkout",
        (4, 0, 0),
        "v1–v3 run on Node 12/16, which GitHub-hosted runners no longer support",
    ),
    (
        "actions/setup-python",
        (5, 0, 0),
        "v1–v4 run on Node 12/16, which GitHub-hosted runners no longer support",
    ),
    (
        "actions/setup-node",
        (4, 0, 0),
        "v1–v3 run on Node 12/16, which GitHub-hosted runners no longer support",
    ),
    (
        "actions/upload-artifact",
        (4, 0, 0),
        "v1–v3 use the artifact backend GitHub retired on 2025-01-30; jobs using them fail",
    ),
    (
        "actions/download-artifact",
        (4, 0, 0),
        "v1–v3 use the artifact backend GitHub retired on 2025-01-30; jobs using them fail",
    ),
    (
        "actions/cache",
        (3, 4, 0),
        "releases before v3.4.0 talk to the legacy cache service GitHub retired in 2025",
    ),
    (
        "aws-actions/configure-aws-credentials",
        (4, 0, 0),
        "v1–v3 run on Node 12/16, which GitHub-hosted runners no longer support",
    ),
];

/// A version ref: `v3` (floating: minor None), `v3.5`, `v3.5.2`, `3`.
fn parse_version(r: &str) -> Option<(u32, Option<u32>, Option<u32>)> {
    let r = r.trim();
    let r = r.strip_prefix(['v', 'V']).unwrap_or(r);
    let mut parts = r.split('.');
    let num = |p: Option<&str>| -> Result<Option<u32>, ()> {
        match p {
            None => Ok(None),
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().map(Some).map_err(|_| ())
            }
            Some(_) => Err(()),
        }
    };
    let major = num(parts.next()).ok()??;
    let minor = num(parts.next()).ok()?;
    let patch = num(parts.next()).ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

/// Whether `v` is older than `min`. A floating `vN` tag means the newest `N.x` release.
fn older_than(v: (u32, Option<u32>, Option<u32>), min: (u32, u32, u32)) -> bool {
    match v {
        (major, _, _) if major != min.0 => major < min.0,
        (_, None, _) => false,
        (_, Some(minor), _) if minor != min.1 => minor < min.1,
        (_, _, None) => false,
        (_, _, Some(patch)) => patch < min.2,
    }
}

fn deprecated_action_version(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("gha_step") {
        let Some(repo) = action_repo(o) else { continue };
        let Some(&(_, min, why)) = DEPRECATED.iter().find(|(r, _, _)| *r == repo) else {
            continue;
        };
        let Some((uses, span)) = uses_of(o) else {
            continue;
        };
        let r = str_at(o, "uses_parsed.ref").unwrap_or("");
        let version = if crate::parse::workflow::is_full_sha(r) {
            // A SHA pin with a version comment (`@<sha> # v3.5.2`).
            let file = ctx.model.sources.get(span.file);
            let line = file.line_text(file.line_col(span.start).line);
            line.split_once('#').and_then(|(_, c)| {
                c.split_whitespace().find_map(|w| {
                    w.starts_with(['v', 'V'])
                        .then(|| parse_version(w))
                        .flatten()
                })
            })
        } else {
            parse_version(r)
        };
        if version.is_some_and(|v| older_than(v, min)) {
            let fixed = if min.1 == 0 && min.2 == 0 {
                format!("v{}", min.0)
            } else {
                format!("v{}.{}.{}", min.0, min.1, min.2)
            };
            out.push(Verdict::fail(
                i,
                span,
                format!("`{uses}` is deprecated: {why}; upgrade to {fixed} or later"),
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA013: self-hosted runners reachable from pull requests

/// Whether `runs-on` names a self-hosted runner: Some(true/false), None when computed.
fn is_self_hosted(v: &Value) -> Option<bool> {
    let label = |l: &Value| -> Option<bool> {
        let s = l.as_str()?;
        if s.contains("${{") {
            return None;
        }
        Some(s.eq_ignore_ascii_case("self-hosted"))
    };
    match &v.kind {
        ValueKind::String(s) if s.contains("${{") => None,
        ValueKind::String(_) => label(v),
        ValueKind::List(items) => {
            let mut any_unknown = false;
            for it in items {
                match label(it) {
                    Some(true) => return Some(true),
                    None => any_unknown = true,
                    Some(false) => {}
                }
            }
            if any_unknown { None } else { Some(false) }
        }
        // Runner groups are self-hosted (or larger GitHub-hosted) runners.
        ValueKind::Map(m) => {
            if let Some(labels) = m.get("labels") {
                if let Some(true) = is_self_hosted(labels) {
                    return Some(true);
                }
            }
            Some(false)
        }
        _ => Some(false),
    }
}

fn self_hosted_public_trigger(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, job) in ctx.model.of_type("gha_job") {
        let Some(wf) = workflow_of(ctx.model, job) else {
            continue;
        };
        let trig = triggers(wf);
        let Some(event) = trig
            .iter()
            .find(|t| **t == "pull_request" || **t == "pull_request_target")
        else {
            continue;
        };
        let Some(runs_on) = job.attr("runs-on") else {
            continue;
        };
        let span = runs_on.span.unwrap_or(job.span);
        match is_self_hosted(runs_on) {
            Some(true) => out.push(Verdict::fail(
                i,
                span,
                format!(
                    "job `{}` runs on a self-hosted runner in a `{event}` workflow; code from \
                     pull requests can persist on the runner and reach its network",
                    job.name
                ),
            )),
            Some(false) => {}
            None => out.push(Verdict::unknown(
                i,
                span,
                "`runs-on` is computed by an expression",
            )),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA014: jobs without a timeout

fn job_missing_timeout(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    ctx.model
        .of_type("gha_job")
        .filter(|(_, j)| j.attr("uses").is_none() && j.attr("timeout-minutes").is_none())
        .map(|(i, j)| {
            Verdict::fail(
                i,
                key_span(ctx.model, j),
                format!(
                    "job `{}` has no `timeout-minutes`; a hung run holds a runner for the \
                     default 360 minutes",
                    j.name
                ),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// GHA015: `secrets: inherit` to another repository's workflow

fn secrets_inherit(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, job) in ctx.model.of_type("gha_job") {
        let Some(secrets) = job.attr("secrets") else {
            continue;
        };
        if secrets.as_str() != Some("inherit") {
            continue;
        }
        let (Some((uses, _)), Some(p)) = (uses_of(job), job.attr("uses_parsed")) else {
            continue;
        };
        // A workflow of the same repository comes from the same commit and is edited by the
        // same people as its caller: `inherit` crosses no trust boundary there.
        if p.get("is_local").and_then(Value::as_bool).unwrap_or(false) {
            continue;
        }
        let repo = action_repo(job).unwrap_or_else(|| uses.to_string());
        out.push(Verdict::fail(
            i,
            secrets.span.unwrap_or(job.span),
            format!(
                "job `{}` passes every secret of this repository and its organization to `{uses}`, \
                 a workflow of another repository ({repo}); pass only the secrets it needs",
                job.name
            ),
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// GHA016: job container and service images not pinned to a digest

/// `(name, tag, digest)` of an image reference: `ghcr.io/o/img:1.2@sha256:…`. The tag is looked
/// for after the last `/`, so a registry port (`localhost:5000/img`) is not a tag.
fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let image = image.strip_prefix("docker://").unwrap_or(image);
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let last = rest.rfind('/').map_or(0, |k| k + 1);
    match rest[last..].rfind(':') {
        Some(k) => (&rest[..last + k], Some(&rest[last + k + 1..]), digest),
        None => (rest, None, digest),
    }
}

/// The images of a job: `container:` (a string or `{image: …}`) and `services.<name>.image`,
/// with where they are written.
fn job_images(job: &Object) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(c) = job.attr("container") {
        let image = if c.as_str().is_some() {
            Some(c)
        } else {
            c.get("image")
        };
        if let Some(image) = image {
            out.push(("container".to_string(), image));
        }
    }
    if let Some(services) = job.attr("services").and_then(Value::as_map) {
        for (name, svc) in services {
            if let Some(image) = svc.get("image") {
                out.push((format!("service `{name}`"), image));
            }
        }
    }
    out
}

fn unpinned_container_image(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, job) in ctx.model.of_type("gha_job") {
        for (what, v) in job_images(job) {
            let span = v.span.unwrap_or(job.span);
            let Some(image) = v.as_str().map(str::trim) else {
                continue;
            };
            // An empty image skips the service (a matrix idiom).
            if image.is_empty() {
                continue;
            }
            if image.contains("${{") {
                out.push(Verdict::unknown(
                    i,
                    span,
                    format!("the {what} image `{image}` is computed by an expression"),
                ));
                continue;
            }
            let (name, tag, digest) = split_image(image);
            if digest.is_some_and(|d| d.starts_with("sha256:")) {
                continue;
            }
            let message = match tag {
                None => format!(
                    "{what} image `{image}` has no tag, so it runs whatever `{name}:latest` is at the time; pin it to a digest"
                ),
                Some("latest") => format!(
                    "{what} image `{image}` uses the floating `latest` tag; pin it to a digest"
                ),
                Some(t) => format!(
                    "{what} image `{image}` is pinned to the tag `{t}`, which can be moved; pin it to a digest"
                ),
            };
            out.push(Verdict::fail(i, span, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_split() {
        assert_eq!(split_image("redis"), ("redis", None, None));
        assert_eq!(
            split_image("localhost:5000/app"),
            ("localhost:5000/app", None, None)
        );
        assert_eq!(
            split_image("ghcr.io/o/app:1.2@sha256:ab"),
            ("ghcr.io/o/app", Some("1.2"), Some("sha256:ab"))
        );
        assert_eq!(split_image("docker://node:20"), ("node", Some("20"), None));
    }

    #[test]
    fn context_paths_normalize_indexes() {
        assert_eq!(
            context_paths("github.event.commits[0].message || 'github.head_ref'"),
            vec!["github.event.commits.*.message"]
        );
        assert_eq!(
            context_paths("toJSON(github.event['issue'])"),
            vec!["github.event.issue"]
        );
        assert_eq!(
            context_paths("github.event.commits.*.author.name"),
            vec!["github.event.commits.*.author.name"]
        );
    }

    #[test]
    fn attacker_controlled_contexts() {
        assert!(attacker_controlled("github.event.issue.title").is_some());
        assert!(attacker_controlled("github.head_ref").is_some());
        assert!(attacker_controlled("format('{0}', github.event.pull_request.head.ref)").is_some());
        assert!(attacker_controlled("toJSON(github.event.issue)").is_some());
        assert!(attacker_controlled("github.event.pull_request.number").is_none());
        assert!(attacker_controlled("github.event.pull_request.head.sha").is_none());
        assert!(attacker_controlled("github.event_name").is_none());
        assert!(attacker_controlled("inputs.name").is_none());
        assert!(user_input("github.event.inputs.tag").is_some());
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("v3"), Some((3, None, None)));
        assert_eq!(parse_version("v3.5.2"), Some((3, Some(5), Some(2))));
        assert_eq!(parse_version("4"), Some((4, None, None)));
        assert_eq!(parse_version("main"), None);
        assert_eq!(parse_version("v3-beta"), None);
        assert!(older_than((3, None, None), (4, 0, 0)));
        assert!(!older_than((3, None, None), (3, 4, 0)));
        assert!(older_than((3, Some(3), Some(2)), (3, 4, 0)));
        assert!(!older_than((3, Some(4), None), (3, 4, 0)));
        assert!(!older_than((5, Some(0), Some(0)), (4, 0, 0)));
    }
}
