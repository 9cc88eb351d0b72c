//! GitHub Actions workflow and action YAML → `gha_workflow`, `gha_job`, `gha_step` and
//! `gha_action` objects. The object model is documented in `docs/ir-workflow.md`.

use std::ops::Range;

use indexmap::IndexMap;

use super::yaml::{self, Converter, Node, NodeKind};
use crate::diagnostic::{CoreCode, Diagnostic};
use crate::ir::{Object, ObjectKind, Value};
use crate::source::{FileKind, SourceFile, Span};

/// Parses a workflow (or `action.yml`) into its workflow/action, job and step objects.
pub fn parse(file: &SourceFile) -> (Vec<Object>, Vec<Diagnostic>) {
    let loaded = yaml::load(file.id, &file.text);
    let mut diags = loaded.diagnostics;
    let Some(root) = loaded.root else {
        return (Vec::new(), diags);
    };
    if matches!(root.resolved().kind, NodeKind::Null) {
        return (Vec::new(), diags);
    }
    if root.as_map().is_none() {
        let what = if file.kind == FileKind::Action {
            "an action file"
        } else {
            "a workflow"
        };
        diags.push(Diagnostic::new(
            CoreCode::ParseError,
            format!("{what} must be a YAML mapping at the top level"),
            root.span,
        ));
        return (Vec::new(), diags);
    }
    let mut b = ObjBuilder {
        scope: file.display_path.clone(),
        conv: Converter::new(file.id),
        objects: Vec::new(),
    };
    match file.kind {
        FileKind::Action => b.action(&root),
        _ => b.workflow(&root),
    }
    diags.extend(b.conv.exceeded.take());
    (b.objects, diags)
}

struct ObjBuilder {
    scope: String,
    conv: Converter,
    objects: Vec<Object>,
}

impl ObjBuilder {
    fn push(&mut self, o: Object) -> Option<usize> {
        // Each object counts against the expansion budget too: aliased job or step lists
        // cannot multiply into millions of objects.
        if !self.conv.spend(1, o.span) {
            return None;
        }
        self.objects.push(o);
        Some(self.objects.len() - 1)
    }

    /// Converts every entry of a mapping node except `skip`.
    fn attrs_of(&mut self, node: &Node, skip: &[&str]) -> IndexMap<String, Value> {
        let mut attrs = IndexMap::new();
        for e in node.as_map().unwrap_or_default() {
            if skip.contains(&e.key.as_str()) {
                continue;
            }
            let v = self.conv.value(&e.value);
            attrs.insert(e.key.clone(), v);
        }
        attrs
    }

    fn workflow(&mut self, root: &Node) {
        let mut wf = Object::new(
            ObjectKind::Workflow,
            "gha_workflow",
            root.get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default(),
            "workflow",
            self.scope.clone(),
            root.span,
        );
        wf.attrs = self.attrs_of(root, &["jobs"]);
        if let Some(on) = root.get("on") {
            let normalized = normalize_on(&mut self.conv, on);
            wf.attrs.insert("on".into(), normalized);
        }
        let jobs = root.get("jobs");
        let job_count = jobs.and_then(Node::as_map).map_or(0, <[_]>::len);
        wf.attrs.insert(
            "job_count".into(),
            Value::number(job_count as f64).with_span(jobs.map_or(root.span, |j| j.span)),
        );
        let Some(wf_index) = self.push(wf) else {
            return;
        };
        let Some(jobs) = jobs.and_then(Node::as_map) else {
            return;
        };
        for entry in jobs {
            let job_node = &entry.value;
            let span = Span::new(
                entry.key_span.file,
                entry.key_span.start as usize,
                job_node.span.end.max(entry.key_span.end) as usize,
            );
            let mut job = Object::new(
                ObjectKind::Job,
                "gha_job",
                entry.key.clone(),
                format!("jobs.{}", entry.key),
                self.scope.clone(),
                span,
            );
            job.parent = Some(wf_index);
            job.attrs = self.attrs_of(job_node, &["steps"]);
            if let Some(needs) = job.attrs.get_mut("needs") {
                if needs.as_str().is_some() {
                    let single = needs.clone();
                    *needs = Value::list(vec![single.clone()]);
                    needs.span = single.span;
                }
            }
            if let Some(uses) = job_node.get("uses") {
                if let Some(text) = uses.as_str() {
                    job.attrs
                        .insert("uses_parsed".into(), parse_uses(text, uses.span));
                }
            }
            let steps = job_node.get("steps");
            let step_nodes = steps.and_then(Node::as_seq).unwrap_or_default();
            if let Some(steps) = steps {
                job.attrs.insert(
                    "step_count".into(),
                    Value::number(step_nodes.len() as f64).with_span(steps.span),
                );
            }
            let Some(job_index) = self.push(job) else {
                return;
            };
            let prefix = format!("jobs.{}.steps", entry.key);
            if !self.steps(step_nodes, &prefix, job_index) {
                return;
            }
        }
    }

    /// Adds one `gha_step` per step node; false when the object budget ran out.
    fn steps(&mut self, nodes: &[Node], prefix: &str, parent: usize) -> bool {
        for (n, node) in nodes.iter().enumerate() {
            let label = |k: &str| node.get(k).and_then(Node::scalar_text);
            let name = label("name")
                .or_else(|| label("id"))
                .or_else(|| label("uses"))
                .unwrap_or_else(|| format!("steps[{n}]"));
            let mut step = Object::new(
                ObjectKind::Step,
                "gha_step",
                name,
                format!("{prefix}[{n}]"),
                self.scope.clone(),
                node.span,
            );
            step.parent = Some(parent);
            step.attrs = self.attrs_of(node, &[]);
            if let Some(uses) = node.get("uses") {
                if let Some(text) = uses.as_str() {
                    step.attrs
                        .insert("uses_parsed".into(), parse_uses(text, uses.span));
                }
            }
            if self.push(step).is_none() {
                return false;
            }
        }
        true
    }

    fn action(&mut self, root: &Node) {
        let mut action = Object::new(
            ObjectKind::Action,
            "gha_action",
            root.get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default(),
            "action",
            self.scope.clone(),
            root.span,
        );
        action.attrs = self.attrs_of(root, &["runs"]);
        let runs = root.get("runs");
        let steps = runs.and_then(|r| r.get("steps"));
        if let Some(runs_node) = runs {
            let mut runs_attrs = self.attrs_of(runs_node, &["steps"]);
            if let Some(steps) = steps {
                let count = steps.as_seq().map_or(0, <[_]>::len);
                runs_attrs.insert(
                    "step_count".into(),
                    Value::number(count as f64).with_span(steps.span),
                );
            }
            action.attrs.insert(
                "runs".into(),
                Value::map(runs_attrs).with_span(runs_node.span),
            );
        }
        let Some(index) = self.push(action) else {
            return;
        };
        let step_nodes = steps.and_then(Node::as_seq).unwrap_or_default();
        self.steps(step_nodes, "runs.steps", index);
    }
}

/// `on:` in any of its three forms (`push`, `[push, pull_request]`, `{push: {...}}`) as a map
/// from event name to its configuration (null when none is given). Event names written as
/// strings keep their span on the null value.
fn normalize_on(conv: &mut Converter, on: &Node) -> Value {
    let mut m = IndexMap::new();
    match &on.resolved().kind {
        NodeKind::String(s) => {
            m.insert(s.clone(), Value::null().with_span(on.span));
        }
        NodeKind::Seq(items) => {
            for item in items {
                if let Some(text) = item.scalar_text() {
                    m.insert(text, Value::null().with_span(item.span));
                }
            }
        }
        NodeKind::Map(_) => return conv.value(on),
        _ => return conv.value(on),
    }
    Value::map(m).with_span(on.span)
}

/// Splits a `uses:` reference into its parts (see `docs/ir-workflow.md`):
/// `owner/repo[/path]@ref`, `./local/path` or `$/path` (this repository), or
/// `docker://image[:tag][@sha256:digest]`.
pub fn parse_uses(text: &str, span: Span) -> Value {
    let s = |v: Option<&str>| match v {
        Some(v) if !v.is_empty() => Value::string(v).with_span(span),
        _ => Value::null().with_span(span),
    };
    let b = |v: bool| Value::bool(v).with_span(span);
    let text = text.trim();
    let mut m = IndexMap::new();
    let (owner, repo, path, reference, is_local, is_docker, pinned, image);
    // `./path` and GitHub's self-repository form `$/path` both name this repository.
    if let Some(local) = text.strip_prefix("./").or_else(|| text.strip_prefix("$/")) {
        (owner, repo, path, reference, image) = (None, None, Some(local), None, None);
        (is_local, is_docker, pinned) = (true, false, false);
    } else if let Some(img) = text.strip_prefix("docker://") {
        let (name, r, digest) = match img.split_once('@') {
            Some((n, d)) => (n, Some(d), true),
            None => {
                let last_slash = img.rfind('/').map_or(0, |i| i + 1);
                match img[last_slash..].rfind(':') {
                    Some(c) => (
                        &img[..last_slash + c],
                        Some(&img[last_slash + c + 1..]),
                        false,
                    ),
                    None => (img, None, false),
                }
            }
        };
        (owner, repo, path, reference, image) = (None, None, None, r, Some(name));
        (is_local, is_docker) = (false, true);
        pinned = digest
            && r.is_some_and(|d| {
                d.strip_prefix("sha256:")
                    .is_some_and(|h| h.len() == 64 && h.bytes().all(|c| c.is_ascii_hexdigit()))
            });
    } else {
        let (target, r) = match text.split_once('@') {
            Some((t, r)) => (t, Some(r)),
            None => (text, None),
        };
        let mut parts = target.splitn(3, '/');
        owner = parts.next();
        repo = parts.next();
        path = parts.next();
        reference = r;
        image = None;
        (is_local, is_docker) = (false, false);
        pinned = r.is_some_and(is_full_sha);
    }
    m.insert("owner".into(), s(owner));
    m.insert("repo".into(), s(repo));
    m.insert("path".into(), s(path));
    m.insert("ref".into(), s(reference));
    m.insert("is_local".into(), b(is_local));
    m.insert("is_docker".into(), b(is_docker));
    m.insert("ref_is_sha".into(), b(pinned));
    if is_docker {
        m.insert("image".into(), s(image));
    }
    Value::map(m).with_span(span)
}

/// The span of the key whose value is written at `value_span` (`permissions` for the span of
/// `write-all` in `permissions: write-all`), for findings that should point at a key. Values
/// do not carry their keys' spans, so this re-reads the file's YAML; call it only when
/// reporting. None when no mapping entry has exactly that value span.
pub fn key_span_of(file: &SourceFile, value_span: Span) -> Option<Span> {
    fn find(node: &Node, target: Span) -> Option<Span> {
        // Children lie within their parent's span: skip subtrees that cannot hold it.
        if node.span.end < target.start || node.span.start > target.end {
            return None;
        }
        match &node.kind {
            NodeKind::Map(entries) => entries.iter().find_map(|e| {
                if e.value.span == target {
                    Some(e.key_span)
                } else {
                    find(&e.value, target)
                }
            }),
            NodeKind::Seq(items) => items.iter().find_map(|n| find(n, target)),
            _ => None,
        }
    }
    if value_span.file != file.id {
        return None;
    }
    let root = yaml::load(file.id, &file.text).root?;
    find(&root, value_span)
}

/// True for a full 40-hex-digit commit SHA.
pub fn is_full_sha(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Every `${{ … }}` expression in `s`: the range of the whole `${{ … }}` and the trimmed text
/// inside it. Quoted strings inside an expression may contain `}}`. An unterminated
/// expression is not returned.
pub fn expressions_in(s: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(pos) = s[i..].find("${{") {
        let start = i + pos;
        let body = start + 3;
        let mut j = body;
        let mut in_str = false;
        let mut end = None;
        while j < bytes.len() {
            match bytes[j] {
                b'\'' => in_str = !in_str,
                b'}' if !in_str && bytes.get(j + 1) == Some(&b'}') => {
                    end = Some(j);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let Some(end) = end else { break };
        out.push((start..end + 2, s[body..end].trim()));
        i = end + 2;
    }
    out
}

/// The span of `piece` inside the source text of a value (its `occurrence`-th appearance,
/// 0-based), for pointing into a `run:` script; the value's span when it is not written
/// verbatim (e.g. folded across lines).
pub fn span_within(text: &str, value_span: Span, piece: &str, occurrence: usize) -> Span {
    let Some(src) = text.get(value_span.range()) else {
        return value_span;
    };
    match src.match_indices(piece).nth(occurrence) {
        Some((i, _)) => Span::new(
            value_span.file,
            value_span.start as usize + i,
            value_span.start as usize + i + piece.len(),
        ),
        None => value_span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::ValueKind;
    use crate::source::FileId;

    fn file(kind: FileKind, text: &str) -> SourceFile {
        let path = if kind == FileKind::Action {
            "action.yml"
        } else {
            ".github/workflows/ci.yml"
        };
        SourceFile::new(FileId(0), path.into(), path.into(), kind, text.into())
    }

    fn wf(text: &str) -> (SourceFile, Vec<Object>) {
        let f = file(FileKind::Workflow, text);
        let (objs, diags) = parse(&f);
        assert!(diags.is_empty(), "{diags:?}");
        (f, objs)
    }

    const CI: &str = r#"name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    needs: lint
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - name: Test
        run: |
          echo "${{ github.event.pull_request.title }}"
          cargo test
  call:
    uses: org/repo/.github/workflows/reuse.yml@0123456789abcdef0123456789abcdef01234567
    with:
      x: 1
    secrets: inherit
"#;

    #[test]
    fn workflow_jobs_steps() {
        let (f, objs) = wf(CI);
        let types: Vec<_> = objs.iter().map(|o| o.type_name.as_str()).collect();
        assert_eq!(
            types,
            ["gha_workflow", "gha_job", "gha_step", "gha_step", "gha_job"]
        );
        let w = &objs[0];
        assert_eq!(w.name, "CI");
        assert_eq!(w.address, "workflow");
        let on = w.attr("on").unwrap();
        assert!(on.get("push").is_some() && on.get("pull_request").unwrap().is_null());
        let build = &objs[1];
        assert_eq!(build.address, "jobs.build");
        assert_eq!(build.parent, Some(0));
        assert!(f.slice(build.span).starts_with("build:"));
        assert_eq!(
            build.attr("needs").unwrap().as_list().unwrap()[0].as_str(),
            Some("lint")
        );
        assert_eq!(build.attr("step_count").unwrap().as_f64(), Some(2.0));
        let checkout = &objs[2];
        assert_eq!(checkout.address, "jobs.build.steps[0]");
        assert_eq!(checkout.name, "actions/checkout@v4");
        assert_eq!(checkout.parent, Some(1));
        assert_eq!(
            checkout.attr_path("uses_parsed.repo").unwrap().as_str(),
            Some("checkout")
        );
        assert_eq!(
            checkout.attr_path("with.persist-credentials").unwrap().kind,
            ValueKind::Bool(false)
        );
        let test = &objs[3];
        assert_eq!(test.name, "Test");
        let run = test.attr("run").unwrap();
        let (range, expr) = expressions_in(run.as_str().unwrap())[0].clone();
        assert_eq!(expr, "github.event.pull_request.title");
        let raw = &run.as_str().unwrap()[range];
        let sp = span_within(&f.text, run.span.unwrap(), raw, 0);
        assert_eq!(f.slice(sp), raw);
        assert_eq!(f.line_col(sp.start).line, 18);
        let call = &objs[4];
        assert_eq!(call.attr("secrets").unwrap().as_str(), Some("inherit"));
        assert_eq!(
            call.attr_path("uses_parsed.path").unwrap().as_str(),
            Some(".github/workflows/reuse.yml")
        );
        assert_eq!(
            call.attr_path("uses_parsed.ref_is_sha").unwrap().as_bool(),
            Some(true)
        );
        assert!(call.attr("step_count").is_none());
    }

    #[test]
    fn on_forms() {
        for (text, events) in [
            ("on: push\njobs: {}\n", vec!["push"]),
            (
                "on: [push, pull_request_target]\njobs: {}\n",
                vec!["push", "pull_request_target"],
            ),
            (
                "on:\n  workflow_dispatch:\n  schedule:\n    - cron: '0 0 * * *'\njobs: {}\n",
                vec!["workflow_dispatch", "schedule"],
            ),
            (
                "\"on\": {issues: {types: [opened]}}\njobs: {}\n",
                vec!["issues"],
            ),
        ] {
            let (_, objs) = wf(text);
            let on = objs[0].attr("on").unwrap().as_map().unwrap();
            let keys: Vec<_> = on.keys().map(String::as_str).collect();
            assert_eq!(keys, events, "{text}");
        }
    }

    #[test]
    fn flow_style_and_anchors() {
        let text = "on: {push: {}}\njobs:\n  a: &job {runs-on: ubuntu-latest, steps: [{uses: 'actions/checkout@v4'}, {run: echo hi}]}\n  b: *job\n";
        let (_, objs) = wf(text);
        let steps: Vec<_> = objs.iter().filter(|o| o.kind == ObjectKind::Step).collect();
        assert_eq!(steps.len(), 4);
        assert_eq!(steps[2].address, "jobs.b.steps[0]");
        assert_eq!(steps[3].attr("run").unwrap().as_str(), Some("echo hi"));
    }

    #[test]
    fn folded_and_literal() {
        let text = "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: >\n          echo a\n          b\n      - run: |-\n          x\n          y\n";
        let (_, objs) = wf(text);
        assert_eq!(objs[2].attr("run").unwrap().as_str(), Some("echo a b\n"));
        assert_eq!(objs[3].attr("run").unwrap().as_str(), Some("x\ny"));
    }

    #[test]
    fn broken_yaml_reports_line_and_column() {
        let text = "on: push\njobs:\n  build:\n    runs-on: [ubuntu-latest\n    steps: []\n";
        let f = file(FileKind::Workflow, text);
        let (objs, diags) = parse(&f);
        assert!(objs.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, CoreCode::ParseError);
        let lc = f.line_col(diags[0].span.start);
        assert_eq!((lc.line, lc.column), (5, 10), "{}", diags[0].message);

        let text = "on: push\njobs:\n  build:\n   bad: 1\n    runs-on: x\n";
        let f = file(FileKind::Workflow, text);
        let (_, diags) = parse(&f);
        assert_eq!(diags[0].code, CoreCode::ParseError);
        let lc = f.line_col(diags[0].span.start);
        assert_eq!((lc.line, lc.column), (5, 12), "{}", diags[0].message);
    }

    #[test]
    fn billion_laughs_bounded() {
        let mut text = String::from("on: push\nx0: &a0 [l, l, l, l, l, l, l, l, l, l]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        text.push_str("jobs:\n  j:\n    runs-on: *a11\n");
        let f = file(FileKind::Workflow, &text);
        let (objs, diags) = parse(&f);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, CoreCode::LimitExceeded);
        assert!(objs.len() <= 2);
    }

    #[test]
    fn crlf_workflow() {
        let text = "on: push\r\njobs:\r\n  j:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: |\r\n          echo 1\r\n          echo 2\r\n";
        let (f, objs) = wf(text);
        let run = objs[2].attr("run").unwrap();
        assert_eq!(run.as_str(), Some("echo 1\necho 2\n"));
        // Block scalar spans start at their first content line.
        assert_eq!(f.line_col(run.span.unwrap().start).line, 7);
        assert_eq!(f.slice(objs[1].span).lines().next(), Some("j:"));
    }

    #[test]
    fn composite_action() {
        let text = "name: Setup\ninputs:\n  version: {required: true}\nruns:\n  using: composite\n  steps:\n    - uses: some/action@v1\n    - run: echo ${{ inputs.version }}\n      shell: bash\n";
        let f = file(FileKind::Action, text);
        let (objs, diags) = parse(&f);
        assert!(diags.is_empty());
        assert_eq!(objs[0].type_name, "gha_action");
        assert_eq!(
            objs[0].attr_path("runs.using").unwrap().as_str(),
            Some("composite")
        );
        assert_eq!(
            objs[0].attr_path("runs.step_count").unwrap().as_f64(),
            Some(2.0)
        );
        assert_eq!(objs[1].address, "runs.steps[0]");
        assert_eq!(objs[1].parent, Some(0));
        assert_eq!(objs[2].attr("shell").unwrap().as_str(), Some("bash"));
    }

    #[test]
    fn uses_forms() {
        let sp = Span::new(FileId(0), 0, 1);
        let p = parse_uses("./.github/actions/x", sp);
        assert_eq!(p.get("is_local").unwrap().as_bool(), Some(true));
        let p = parse_uses("$/.github/workflows/plan.yml", sp);
        assert_eq!(p.get("is_local").unwrap().as_bool(), Some(true));
        assert_eq!(
            p.get("path").unwrap().as_str(),
            Some(".github/workflows/plan.yml")
        );
        let p = parse_uses("docker://alpine:3.19", sp);
        assert_eq!(p.get("image").unwrap().as_str(), Some("alpine"));
        assert_eq!(p.get("ref").unwrap().as_str(), Some("3.19"));
        assert_eq!(p.get("ref_is_sha").unwrap().as_bool(), Some(false));
        let digest = format!("docker://ghcr.io/a/b@sha256:{}", "a".repeat(64));
        let p = parse_uses(&digest, sp);
        assert_eq!(p.get("ref_is_sha").unwrap().as_bool(), Some(true));
        assert_eq!(p.get("image").unwrap().as_str(), Some("ghcr.io/a/b"));
        let p = parse_uses("github/codeql-action/upload-sarif@v3", sp);
        assert_eq!(p.get("owner").unwrap().as_str(), Some("github"));
        assert_eq!(p.get("path").unwrap().as_str(), Some("upload-sarif"));
        assert_eq!(p.get("ref").unwrap().as_str(), Some("v3"));
    }

    #[test]
    fn every_prefix_parses_without_panicking() {
        // Truncations of a workflow with multi-byte text, CRLF, anchors, block and flow styles:
        // each either parses or gives diagnostics whose spans lie inside the text.
        let text = "name: \"Déploiement ✓\"\r\non:\r\n  push: {branches: [main]}\r\nx: &a {k: [1, 2]}\r\njobs:\r\n  j:\r\n    runs-on: *a\r\n    steps:\r\n      - run: |\r\n          echo \"ü ${{ github.head_ref }}\"\r\n      - uses: 'a/b@v1'\r\n";
        for (end, _) in text.char_indices().skip(1) {
            let f = file(FileKind::Workflow, &text[..end]);
            let (objs, diags) = parse(&f);
            for d in &diags {
                assert!(d.span.end as usize <= end, "{d:?}");
                assert!(f.text.is_char_boundary(d.span.start as usize));
            }
            for o in &objs {
                assert!(o.span.end as usize <= end);
                assert!(f.text.is_char_boundary(o.span.start as usize));
            }
        }
    }

    #[test]
    fn non_mapping_root_is_a_parse_error() {
        let f = file(FileKind::Workflow, "- just\n- a list\n");
        let (objs, diags) = parse(&f);
        assert!(objs.is_empty());
        assert_eq!(diags[0].code, CoreCode::ParseError);
        let f = file(FileKind::Workflow, "# only a comment\n");
        let (objs, diags) = parse(&f);
        assert!(objs.is_empty() && diags.is_empty());
    }

    #[test]
    fn key_spans_on_demand() {
        let (f, objs) = wf(CI);
        let perms = objs[0].attr("permissions").unwrap().span.unwrap();
        let key = key_span_of(&f, perms).unwrap();
        assert_eq!(f.slice(key), "permissions");
        let uses = objs[2].attr("uses").unwrap().span.unwrap();
        let key = key_span_of(&f, uses).unwrap();
        assert_eq!(f.slice(key), "uses");
        assert_eq!(f.line_col(key.start).line, 13);
        let persist = objs[2]
            .attr_path("with.persist-credentials")
            .unwrap()
            .span
            .unwrap();
        assert_eq!(
            f.slice(key_span_of(&f, persist).unwrap()),
            "persist-credentials"
        );
        assert!(key_span_of(&f, Span::new(FileId(0), 0, 1)).is_none());
    }

    #[test]
    fn expressions_helper() {
        let s = "a ${{ x }} b ${{ format('{0}}}', y) }} ${{ broken";
        let e = expressions_in(s);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].1, "x");
        assert_eq!(&s[e[0].0.clone()], "${{ x }}");
        assert_eq!(e[1].1, "format('{0}}}', y)");
    }
}
