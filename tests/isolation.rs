//! A scan reads the scanned tree and nothing else, runs nothing from it and opens no network
//! connection (see docs/limits.md, "Isolation").
//!
//! - file functions (`file`, `templatefile`, `fileset`, `fileexists`, hashes) never return
//!   content from outside the scanned root, whatever the working directory, and symlinks cannot
//!   lead out of it: such values are Unknown with a reason;
//! - provisioners, `external` data sources, Makefiles, git hooks, Dockerfile `RUN` and workflow
//!   `run:` steps are data: marker files that executing any of them would create stay absent,
//!   even with look-alike `terraform`, `git`, `make` and `sh` executables first on `PATH`;
//! - remote module sources and `http` data sources pointing at a local listener (and proxy
//!   variables pointing at it too) become IL0003 / Unknown with no connection to the listener.

use std::fs;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const SECRET: &str = "TOPSECRET-7f3a9c";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs the binary and returns (exit code, stdout, stderr).
fn run(cwd: &Path, args: &[&str], env: &[(&str, String)]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("infralint").unwrap();
    cmd.current_dir(cwd).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn inspect(cwd: &Path, root: &Path, env: &[(&str, String)]) -> (String, Value) {
    let root = root.to_str().unwrap();
    let (code, stdout, stderr) = run(cwd, &["inspect", root], env);
    assert!(code == 0 || code == 1, "inspect failed ({code}): {stderr}");
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (stdout, json)
}

fn object<'a>(model: &'a Value, address: &str) -> &'a Value {
    model["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["address"] == address)
        .unwrap_or_else(|| panic!("no object {address} in {model}"))
}

/// The reason of an Unknown attribute; panics (with the value) when it is known.
fn unknown_reason<'a>(object: &'a Value, attr: &str) -> &'a str {
    let v = &object["attributes"][attr];
    v["$unknown"]
        .as_str()
        .unwrap_or_else(|| panic!("{attr} should be Unknown, is {v}"))
}

/// `<tmp>/outside/` holds the secrets; `<tmp>/root/` is scanned and tries to reach them.
fn escape_tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    write(&base.join("outside/secret.txt"), &format!("{SECRET}\n"));
    write(
        &base.join("outside/tpl.tftpl"),
        &format!("{SECRET} ${{x}}\n"),
    );
    write(&base.join("outside/sub/more.txt"), SECRET);
    let root = base.join("root");
    write(&root.join("inside.txt"), "hello from inside");
    write(&root.join("tpl/inside.tftpl"), "hi ${x}");
    write(
        &root.join("main.tf"),
        r#"
variable "x" {
  type = string
}

resource "x_t" "r" {
  from_tfvars  = var.x
  control      = file("inside.txt")
  control_tpl  = templatefile("tpl/inside.tftpl", { x = "there" })
  etc_passwd   = file("/etc/passwd")
  etc_hostname = filebase64("/etc/hostname")
  parent       = file("../outside/secret.txt")
  parent_deep  = file("${path.module}/../../${basename(path.cwd)}/outside/secret.txt")
  home         = file("~/.aws/credentials")
  tpl_outside  = templatefile("../outside/tpl.tftpl", { x = "y" })
  tpl_abs      = templatefile("/etc/passwd", {})
  set_parent   = fileset("..", "**")
  set_outside  = fileset("../outside", "*.txt")
  exists       = fileexists("../outside/secret.txt")
  hash         = filesha256("../outside/secret.txt")
  md5          = filemd5("/etc/passwd")
  via_link     = file("link.txt")
  via_link_dir = file("linkdir/secret.txt")
  tpl_via_link = templatefile("linkdir/tpl.tftpl", { x = "y" })
  set_link_dir = fileset("linkdir", "**")
}
"#,
    );
    symlink(&base.join("outside/secret.txt"), &root.join("link.txt"));
    symlink(&base.join("outside"), &root.join("linkdir"));
    // Symlinked files a directory walk would otherwise parse: their content stays unread.
    write(
        &base.join("outside/evil.tf"),
        &format!("resource \"x_t\" \"evil\" {{\n  v = \"{SECRET}\"\n}}\n"),
    );
    write(
        &base.join("outside/Dockerfile"),
        &format!("FROM alpine:3.20\nLABEL s=\"{SECRET}\"\n"),
    );
    write(&base.join("outside/vars"), &format!("x = \"{SECRET}\"\n"));
    symlink(&base.join("outside/evil.tf"), &root.join("evil.tf"));
    symlink(&base.join("outside/Dockerfile"), &root.join("Dockerfile"));
    symlink(&base.join("outside/vars"), &root.join("terraform.tfvars"));
    (tmp, root)
}

const ESCAPES: &[&str] = &[
    "from_tfvars",
    "etc_passwd",
    "etc_hostname",
    "parent",
    "parent_deep",
    "home",
    "tpl_outside",
    "tpl_abs",
    "set_parent",
    "set_outside",
    "exists",
    "hash",
    "md5",
    "via_link",
    "via_link_dir",
    "tpl_via_link",
    "set_link_dir",
];

fn assert_confined(stdout: &str, model: &Value) {
    let r = object(model, "x_t.r");
    // Reading inside the root works, so the Unknowns below are the confinement, not a failure
    // to read files at all.
    assert_eq!(r["attributes"]["control"], "hello from inside");
    assert_eq!(r["attributes"]["control_tpl"], "hi there");
    for attr in ESCAPES {
        let reason = unknown_reason(r, attr);
        assert!(!reason.is_empty(), "{attr}: empty reason");
        assert!(!reason.contains(SECRET), "{attr}: {reason}");
    }
    assert!(!stdout.contains(SECRET), "secret leaked: {stdout}");
    assert!(!stdout.contains("root:x:0:0"), "/etc/passwd leaked");
}

#[cfg(unix)]
#[test]
fn file_functions_never_read_outside_the_scanned_root() {
    let (tmp, root) = escape_tree();
    // From the directory that holds both the root and the secrets: the working directory does
    // not widen what may be read.
    let (stdout, model) = inspect(tmp.path(), Path::new("root"), &[]);
    assert_confined(&stdout, &model);
    // From `/`, with an absolute path.
    let (stdout, model) = inspect(Path::new("/"), &root, &[]);
    assert_confined(&stdout, &model);
    // From inside the root.
    let (stdout, model) = inspect(&root, Path::new("."), &[]);
    assert_confined(&stdout, &model);
    // Naming a file: the root is its directory.
    let (stdout, model) = inspect(tmp.path(), Path::new("root/main.tf"), &[]);
    assert_confined(&stdout, &model);
}

#[cfg(unix)]
#[test]
fn findings_and_reports_never_carry_outside_content() {
    let (tmp, root) = escape_tree();
    // A resource whose checked attribute would show the secret in a finding message if it
    // were read.
    write(
        &root.join("sg.tf"),
        r#"
resource "aws_security_group" "leak" {
  description = file("../outside/secret.txt")
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [trimspace(file("../outside/secret.txt"))]
  }
}
"#,
    );
    for format in ["json", "sarif", "text", "markdown", "github"] {
        let (code, stdout, stderr) = run(
            tmp.path(),
            &["check", "root", "--show-unknown", "--format", format],
            &[],
        );
        assert!(code == 0 || code == 1, "{format}: {stderr}");
        assert!(!stdout.contains(SECRET), "{format} leaked: {stdout}");
        assert!(!stderr.contains(SECRET), "{format} leaked: {stderr}");
    }
    let (code, stdout, stderr) = run(tmp.path(), &["cost", "root", "--format", "json"], &[]);
    assert!(code == 0 || code == 1, "cost: {stderr}");
    assert!(!stdout.contains(SECRET));
}

#[cfg(unix)]
#[test]
fn library_defaults_read_no_file_at_all() {
    // `EvalOptions::default()` allows no directory: an embedding program opts in explicitly.
    let (_tmp, root) = escape_tree();
    let model = infralint::pipeline::load(&infralint::pipeline::LoadOptions {
        paths: vec![root.clone()],
        ..Default::default()
    })
    .unwrap();
    let r = model.objects.iter().find(|o| o.address == "x_t.r").unwrap();
    for attr in ["control", "parent", "via_link"] {
        assert!(r.attr(attr).unwrap().is_unknown(), "{attr}");
    }
}

/// A tree full of things that would create `<tmp>/markers/<name>` if anything ran them.
fn booby_trapped_tree() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let markers = tmp.path().join("markers");
    fs::create_dir_all(&markers).unwrap();
    let m = |name: &str| markers.join(name).display().to_string();
    let root = tmp.path().join("root");
    write(
        &root.join("main.tf"),
        &format!(
            r#"
resource "null_resource" "p" {{
  provisioner "local-exec" {{
    command = "touch {local_exec}"
  }}
  provisioner "local-exec" {{
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "touch {destroy}"
  }}
}}

data "external" "e" {{
  program = ["/bin/sh", "-c", "touch {external}; echo '{{\"v\":\"x\"}}'"]
}}

resource "x_t" "uses_external" {{
  v = data.external.e.result.v
}}

resource "terraform_data" "d" {{
  provisioner "local-exec" {{
    command = "touch {terraform_data}"
  }}
}}
"#,
            local_exec = m("local-exec"),
            destroy = m("local-exec-destroy"),
            external = m("external"),
            terraform_data = m("terraform-data"),
        ),
    );
    write(
        &root.join("Makefile"),
        &format!("all:\n\ttouch {}\n", m("make")),
    );
    write(
        &root.join("Dockerfile"),
        &format!("FROM alpine:3.20\nRUN touch {}\n", m("dockerfile")),
    );
    write(
        &root.join(".github/workflows/ci.yml"),
        &format!(
            "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: touch {}\n",
            m("workflow")
        ),
    );
    // Executables a careless implementation might run: git hooks, and look-alike tools first
    // on PATH (the test puts `<root>/bin` there).
    let script = |name: &str| format!("#!/bin/sh\ntouch {}\n", m(name));
    for hook in [
        "pre-commit",
        "post-checkout",
        "post-merge",
        "fsmonitor-watchman",
    ] {
        let p = root.join(".git/hooks").join(hook);
        write(&p, &script(&format!("hook-{hook}")));
        make_executable(&p);
    }
    write(&root.join(".git/HEAD"), "ref: refs/heads/main\n");
    write(
        &root.join(".git/config"),
        &format!(
            "[core]\n\tfsmonitor = touch {}\n\thooksPath = .git/hooks\n",
            m("git-config")
        ),
    );
    for tool in [
        "terraform",
        "tofu",
        "git",
        "make",
        "sh",
        "bash",
        "docker",
        "curl",
    ] {
        let p = root.join("bin").join(tool);
        write(&p, &script(&format!("path-{tool}")));
        make_executable(&p);
    }
    (tmp, root, markers)
}

#[cfg(unix)]
#[test]
fn nothing_in_the_tree_is_executed() {
    let (tmp, root, markers) = booby_trapped_tree();
    let path = format!(
        "{}:{}",
        root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = [("PATH", path)];
    let root_arg = root.to_str().unwrap();
    for args in [
        vec!["check", root_arg, "--format", "json"],
        vec!["check", root_arg, "--select", "ALL", "--show-unknown"],
        vec!["inspect", root_arg],
        vec!["cost", root_arg],
    ] {
        let (code, _, stderr) = run(tmp.path(), &args, &env);
        assert!(code == 0 || code == 1, "{args:?}: {stderr}");
    }
    let created: Vec<String> = fs::read_dir(&markers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(created.is_empty(), "executed: {created:?}");

    // The external data source's result is Unknown, not made up.
    let (_, model) = inspect(tmp.path(), &root, &env);
    let reason = unknown_reason(object(&model, "x_t.uses_external"), "v");
    assert!(reason.contains("data.external.e"), "{reason}");

    // The marker directory is writable, so an empty list above means "not run".
    fs::write(markers.join("probe"), "").unwrap();
    assert!(markers.join("probe").exists());
}

#[test]
fn remote_sources_are_never_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    write(
        &root.join("main.tf"),
        &format!(
            r#"
module "git" {{
  source = "git::{url}/repo.git?ref=v1"
}}
module "registry" {{
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}}
module "archive" {{
  source = "{url}/module.zip"
}}
module "s3" {{
  source = "s3::{url}/bucket/module.zip"
}}
data "http" "h" {{
  url = "{url}/data.json"
}}
resource "x_t" "use" {{
  a = module.git.id
  b = module.registry.vpc_id
  c = module.archive.x
  d = data.http.h.response_body
}}
"#
        ),
    );
    let env: Vec<(&str, String)> = [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ]
    .into_iter()
    .map(|k| (k, url.clone()))
    .collect();

    let (code, stdout, stderr) = run(
        tmp.path(),
        &["check", "root", "--format", "json", "--select", "IL0003"],
        &env,
    );
    assert!(code == 0 || code == 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let mut lines: Vec<i64> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "IL0003")
        .map(|f| f["line"].as_i64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, vec![3, 6, 10, 13], "{stdout}");

    let (_, model) = inspect(tmp.path(), &root, &env);
    let r = object(&model, "x_t.use");
    for attr in ["a", "b", "c", "d"] {
        unknown_reason(r, attr);
    }

    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok((_, peer)) => panic!("infralint connected to the listener from {peer}"),
        Err(e) => panic!("accept: {e}"),
    }
}
