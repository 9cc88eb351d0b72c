//! Terraform parsing and evaluation, one behaviour per test, on small temporary module trees.

use std::path::Path;

use infralint::diagnostic::CoreCode;
use infralint::eval::EvalOptions;
use infralint::ir::{Model, Object, Value};
use infralint::pipeline::{self, LoadOptions};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn load_with(files: &[(&str, &str)], eval: EvalOptions) -> (tempfile::TempDir, Model) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let options = LoadOptions {
        paths: vec![dir.path().to_path_buf()],
        eval,
        ..LoadOptions::default()
    };
    let model = pipeline::load(&options).unwrap();
    (dir, model)
}

fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Model) {
    load_with(files, EvalOptions::default())
}

fn obj<'m>(model: &'m Model, address: &str) -> &'m Object {
    model
        .objects
        .iter()
        .find(|o| o.address == address)
        .unwrap_or_else(|| {
            let all: Vec<&str> = model.objects.iter().map(|o| o.address.as_str()).collect();
            panic!("no object {address}; have {all:?}")
        })
}

fn json(v: &Value) -> serde_json::Value {
    v.to_json()
}

fn attr(model: &Model, address: &str, path: &str) -> serde_json::Value {
    json(
        obj(model, address)
            .attr_path(path)
            .unwrap_or_else(|| panic!("{address}.{path}")),
    )
}

fn unknown_reason(model: &Model, address: &str, path: &str) -> String {
    let o = obj(model, address);
    let v = o.attr_path(path).unwrap();
    v.as_unknown()
        .unwrap_or_else(|| panic!("{path} is known: {:?}", v))
        .reason
        .clone()
}

#[test]
fn expressions_operators_conditionals_and_templates() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
locals {
  n    = 3
  name = "web"
  m    = { a = 1, b = 2 }
}
resource "x_t" "e" {
  sum     = local.n * 2 + 1
  cmp     = local.n >= 3 && !false
  cond    = local.n > 5 ? "big" : "small"
  tmpl    = "${local.name}-${local.n}"
  raw     = "${local.m}"
  esc     = "$${literal} %%{x}"
  dir     = "%{ if local.n == 3 }three%{ else }other%{ endif }"
  loop    = "%{ for k, v in local.m }${k}=${v};%{ endfor }"
  idx     = local.m["b"]
  neg     = -local.n
  modulo  = 7 % 3
  eq      = [1, "a"] == [1, "a"]
  same    = var.unset ? "x" : "x"
  differs = var.unset ? "x" : "y"
}
variable "unset" {}
"#,
    )]);
    let a = "x_t.e";
    assert_eq!(attr(&m, a, "sum"), 7);
    assert_eq!(attr(&m, a, "cmp"), true);
    assert_eq!(attr(&m, a, "cond"), "small");
    assert_eq!(attr(&m, a, "tmpl"), "web-3");
    assert_eq!(attr(&m, a, "raw"), serde_json::json!({"a": 1, "b": 2}));
    assert_eq!(attr(&m, a, "esc"), "${literal} %{x}");
    assert_eq!(attr(&m, a, "dir"), "three");
    assert_eq!(attr(&m, a, "loop"), "a=1;b=2;");
    assert_eq!(attr(&m, a, "idx"), 2);
    assert_eq!(attr(&m, a, "neg"), -3);
    assert_eq!(attr(&m, a, "modulo"), 1);
    assert_eq!(attr(&m, a, "eq"), true);
    assert_eq!(attr(&m, a, "same"), "x");
    assert_eq!(
        unknown_reason(&m, a, "differs"),
        "variable \"unset\" has no value"
    );
}

#[test]
fn heredocs_strip_indentation_and_markers() {
    let (_d, m) = load(&[(
        "main.tf",
        "resource \"x_t\" \"h\" {\n  plain = <<EOT\n  keep\nEOT\n  indented = <<-EOT\n    one\n      two\n    %{ if true }\n      three\n    %{ endif }\n  EOT\n  strip = \"a %{~ if true ~} b %{~ endif ~} c\"\n}\n",
    )]);
    assert_eq!(attr(&m, "x_t.h", "plain"), "  keep\n");
    assert_eq!(attr(&m, "x_t.h", "indented"), "one\n  two\n\n  three\n\n");
    assert_eq!(attr(&m, "x_t.h", "strip"), "abc");
}

#[test]
fn for_expressions_and_splats() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
locals {
  items = [{ name = "a", port = 80 }, { name = "b", port = 443 }]
}
resource "x_t" "f" {
  names   = [for i in local.items : i.name]
  ports   = { for i in local.items : i.name => i.port if i.port > 100 }
  grouped = { for i in local.items : "all" => i.name... }
  splat   = local.items[*].port
  legacy  = local.items.*.name
  indexed = [for idx, i in local.items : idx]
  nested  = [[1, 2], [3]][*][0]
}
"#,
    )]);
    let a = "x_t.f";
    assert_eq!(attr(&m, a, "names"), serde_json::json!(["a", "b"]));
    assert_eq!(attr(&m, a, "ports"), serde_json::json!({"b": 443}));
    assert_eq!(
        attr(&m, a, "grouped"),
        serde_json::json!({"all": ["a", "b"]})
    );
    assert_eq!(attr(&m, a, "splat"), serde_json::json!([80, 443]));
    assert_eq!(attr(&m, a, "legacy"), serde_json::json!(["a", "b"]));
    assert_eq!(attr(&m, a, "indexed"), serde_json::json!([0, 1]));
    assert_eq!(attr(&m, a, "nested"), serde_json::json!([1, 3]));
}

#[test]
fn try_and_can_are_lazy() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
locals { obj = { a = 1 } }
resource "x_t" "t" {
  fallback = try(local.obj.missing, "default")
  first    = try(local.obj.a, "default")
  can_no   = can(local.obj.missing)
  can_yes  = can(local.obj.a)
}
"#,
    )]);
    assert_eq!(attr(&m, "x_t.t", "fallback"), "default");
    assert_eq!(attr(&m, "x_t.t", "first"), 1);
    assert_eq!(attr(&m, "x_t.t", "can_no"), false);
    assert_eq!(attr(&m, "x_t.t", "can_yes"), true);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
}

#[test]
fn count_and_for_each_addresses() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
variable "unset" {}
resource "aws_eip" "c" {
  count  = 2
  domain = "vpc-${count.index}"
}
resource "aws_subnet" "f" {
  for_each   = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  cidr_block = each.value
  az         = each.key
}
resource "aws_eip" "none" {
  count = 0
}
resource "aws_eip" "empty" {
  for_each = {}
}
resource "aws_eip" "later" {
  count  = var.unset
  domain = "x${count.index}"
}
resource "aws_eip" "uses" {
  ids   = aws_subnet.f["b"].cidr_block
  splat = aws_eip.c[*].domain
  id    = aws_eip.c[1].id
}
"#,
    )]);
    assert_eq!(attr(&m, "aws_eip.c[0]", "domain"), "vpc-0");
    assert_eq!(attr(&m, "aws_eip.c[1]", "domain"), "vpc-1");
    assert_eq!(attr(&m, "aws_subnet.f[\"a\"]", "cidr_block"), "10.0.1.0/24");
    assert_eq!(attr(&m, "aws_subnet.f[\"b\"]", "az"), "b");
    assert!(
        !m.objects
            .iter()
            .any(|o| o.name == "none" || o.name == "empty")
    );
    // Unknown count: one placeholder instance ending in [*], count-dependent values Unknown.
    let reason = unknown_reason(&m, "aws_eip.later[*]", "domain");
    assert!(
        reason.contains("count of aws_eip.later is unknown"),
        "{reason}"
    );
    assert_eq!(attr(&m, "aws_eip.uses", "ids"), "10.0.2.0/24");
    assert_eq!(
        attr(&m, "aws_eip.uses", "splat"),
        serde_json::json!(["vpc-0", "vpc-1"])
    );
    let uses = obj(&m, "aws_eip.uses");
    let id = uses.attr("id").unwrap().as_unknown().unwrap();
    assert_eq!(id.refers_to.as_deref(), Some("aws_eip.c[1]"));
    assert!(
        uses.refs
            .iter()
            .any(|r| r.attr == "ids" && r.target == "aws_subnet.f")
    );
}

#[test]
fn dynamic_blocks_expand() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
variable "rules" {
  default = [{ port = 22 }, { port = 443 }]
}
variable "unset" {}
resource "aws_security_group" "s" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value.port
      index     = ingress.key
    }
  }
  ingress {
    from_port = 8080
  }
  dynamic "egress" {
    for_each = var.unset
    iterator = rule
    content {
      protocol = "-1"
      port     = rule.value
    }
  }
}
"#,
    )]);
    assert_eq!(
        attr(&m, "aws_security_group.s", "ingress"),
        serde_json::json!([
            {"from_port": 22, "index": 0},
            {"from_port": 443, "index": 1},
            {"from_port": 8080}
        ])
    );
    let egress = obj(&m, "aws_security_group.s").attr("egress").unwrap();
    let e = &egress.as_list().unwrap()[0];
    assert_eq!(json(e.get("protocol").unwrap()), "-1");
    assert!(e.get("port").unwrap().is_unknown());
}

#[test]
fn variables_follow_terraform_precedence() {
    let (_d, m) = load_with(
        &[
            (
                "main.tf",
                r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { type = number }
variable "e" { type = list(string) }
variable "none" {}
resource "x_t" "v" {
  a    = var.a
  b    = var.b
  c    = var.c
  d    = var.d
  e    = var.e
  none = var.none
}
"#,
            ),
            (
                "terraform.tfvars",
                "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n",
            ),
            ("b.auto.tfvars", "b = \"auto-b\"\nc = \"auto-b\"\n"),
            (
                "a.auto.tfvars.json",
                "{\"c\": \"auto-a-json\", \"b\": \"auto-a\"}",
            ),
            ("other.tfvars", "a = \"not loaded\"\n"),
        ],
        EvalOptions {
            vars: vec![
                ("c".into(), "cli".into()),
                ("d".into(), "42".into()),
                ("e".into(), "[\"x\", \"y\"]".into()),
            ],
            ..EvalOptions::default()
        },
    );
    assert_eq!(attr(&m, "x_t.v", "a"), "tfvars");
    assert_eq!(attr(&m, "x_t.v", "b"), "auto-b");
    assert_eq!(attr(&m, "x_t.v", "c"), "cli");
    assert_eq!(attr(&m, "x_t.v", "d"), 42);
    assert_eq!(attr(&m, "x_t.v", "e"), serde_json::json!(["x", "y"]));
    assert_eq!(
        unknown_reason(&m, "x_t.v", "none"),
        "variable \"none\" has no value"
    );
    // The value comes from terraform.tfvars but points at the use site.
    let o = obj(&m, "x_t.v");
    let loc = m.sources.locate(o.attr("a").unwrap().span.unwrap());
    assert!(loc.file.ends_with("main.tf"), "{loc:?}");
    assert_eq!(loc.line, 9);
}

#[test]
fn locals_cycle_is_unknown_not_a_hang() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
locals {
  a = local.b
  b = local.a
}
resource "x_t" "c" {
  v = local.a
  self_ref = x_t.c.v
}
"#,
    )]);
    assert!(unknown_reason(&m, "x_t.c", "v").contains("cycle"));
    assert!(obj(&m, "x_t.c").attr("self_ref").unwrap().is_unknown());
}

#[test]
fn module_cycles_are_diagnosed() {
    let (_d, m) = load(&[
        ("main.tf", "module \"a\" {\n  source = \"./a\"\n}\n"),
        (
            "a/main.tf",
            "module \"b\" {\n  source = \"../b\"\n}\noutput \"x\" { value = 1 }\n",
        ),
        ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
        ("self/main.tf", "module \"me\" {\n  source = \"./\"\n}\n"),
    ]);
    let cycles = m
        .diagnostics
        .iter()
        .filter(|d| d.code == CoreCode::ModuleCycle)
        .count();
    assert!(cycles >= 2, "{:?}", m.diagnostics);
    assert!(m.objects.iter().any(|o| o.address == "module.a.module.b"));
}

#[test]
fn remote_and_missing_modules() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  name    = "x"
}
module "gone" {
  source = "./nope"
}
resource "x_t" "r" {
  vpc = module.vpc.vpc_id
}
"#,
    )]);
    let remote: Vec<_> = m
        .diagnostics
        .iter()
        .filter(|d| d.code == CoreCode::RemoteModule)
        .collect();
    assert_eq!(remote.len(), 1);
    assert!(
        m.diagnostics
            .iter()
            .any(|d| d.code == CoreCode::ModuleNotFound)
    );
    assert_eq!(attr(&m, "module.vpc", "version"), "5.0.0");
    let u = obj(&m, "x_t.r")
        .attr("vpc")
        .unwrap()
        .as_unknown()
        .unwrap()
        .clone();
    assert_eq!(
        u.reason,
        "module source `terraform-aws-modules/vpc/aws` is remote and not evaluated"
    );
    assert_eq!(u.refers_to.as_deref(), Some("module.vpc"));
}

#[test]
fn broken_file_is_reported_at_its_position_and_others_still_evaluate() {
    let (_d, m) = load(&[
        ("good.tf", "resource \"x_t\" \"ok\" {\n  a = 1\n}\n"),
        ("bad.tf", "resource \"x_t\" \"bad\" {\n  a = \n  b = 2\n}\n"),
    ]);
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.code == CoreCode::ParseError)
        .expect("parse error");
    let loc = m.sources.locate(d.span);
    assert!(loc.file.ends_with("bad.tf"));
    // hcl-edit reports the end of the incomplete `a = ` line.
    assert_eq!((loc.line, loc.column), (2, 7), "{}", d.message);
    assert!(!d.message.contains("-->"), "{}", d.message);
    assert_eq!(attr(&m, "x_t.ok", "a"), 1);
}

#[test]
fn json_syntax_files() {
    let (_d, m) = load(&[
        (
            "main.tf.json",
            r#"{
  "variable": { "env": { "default": "prod" }, "n": { "type": "number", "default": "3" } },
  "provider": { "aws": [ { "alias": "west", "region": "us-west-2" } ] },
  "locals": { "prefix": "app" },
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "count": 1,
        "bucket": "${local.prefix}-${var.env}-${count.index}",
        "tags": { "Env": "${var.env}" },
        "versioning": { "enabled": true },
        "provider": "aws.west",
        "replicas": "${var.n}",
        "dynamic": {
          "rule": {
            "for_each": "${[1, 2]}",
            "content": { "id": "r${rule.value}" }
          }
        }
      }
    }
  }
}"#,
        ),
        ("broken.tf.json", "{\n  \"resource\": [\n}"),
    ]);
    let a = "aws_s3_bucket.b[0]";
    assert_eq!(attr(&m, a, "bucket"), "app-prod-0");
    assert_eq!(attr(&m, a, "tags"), serde_json::json!({"Env": "prod"}));
    assert_eq!(
        attr(&m, a, "versioning"),
        serde_json::json!([{"enabled": true}])
    );
    let o = obj(&m, a);
    let loc = m.sources.locate(o.attr("bucket").unwrap().span.unwrap());
    assert_eq!((loc.line, loc.column), (9, 19));
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.code == CoreCode::ParseError)
        .expect("json parse error");
    let loc = m.sources.locate(d.span);
    assert!(loc.file.ends_with("broken.tf.json"));
    assert_eq!(loc.line, 3);
}

#[test]
fn providers_default_tags_and_module_provider_passing() {
    let (_d, m) = load(&[
        (
            "main.tf",
            r#"
provider "aws" {
  default_tags {
    tags = { Owner = "ops" }
  }
}
provider "aws" {
  alias = "eu"
  default_tags {
    tags = { Owner = "eu-ops" }
  }
}
resource "aws_s3_bucket" "a" {
  tags = { Name = "a", Owner = "me" }
}
resource "aws_s3_bucket_versioning" "a" {
  bucket = aws_s3_bucket.a.bucket
}
module "m" {
  source    = "./m"
  providers = { aws = aws.eu }
}
"#,
        ),
        (
            "m/main.tf",
            "resource \"aws_sqs_queue\" \"q\" {}\nmodule \"r\" {\n  source = \"hashicorp/x/aws\"\n  count  = 2\n}\n",
        ),
        (
            "twice.tf",
            "module \"m2\" {\n  source = \"./m\"\n  count  = 3\n}\n",
        ),
    ]);
    let remote = m
        .diagnostics
        .iter()
        .filter(|d| d.code == CoreCode::RemoteModule)
        .count();
    assert_eq!(remote, 1, "one per call site: {:?}", m.diagnostics);
    assert_eq!(
        attr(&m, "aws_s3_bucket.a", "tags_all"),
        serde_json::json!({"Owner": "me", "Name": "a"})
    );
    assert_eq!(
        attr(&m, "aws_s3_bucket.a", "tags"),
        serde_json::json!({"Name": "a", "Owner": "me"})
    );
    assert!(
        obj(&m, "aws_s3_bucket_versioning.a")
            .attr("tags_all")
            .is_none()
    );
    let q = obj(&m, "module.m.aws_sqs_queue.q");
    assert_eq!(q.provider.as_deref(), Some("aws.eu"));
    assert_eq!(
        attr(&m, "module.m.aws_sqs_queue.q", "tags_all"),
        serde_json::json!({"Owner": "eu-ops"})
    );
    assert_eq!(
        obj(&m, "provider.aws.eu").kind,
        infralint::ir::ObjectKind::Provider
    );
}

#[test]
fn object_types_fill_optional_attributes() {
    let (_d, m) = load(&[(
        "main.tf",
        r#"
variable "rules" {
  type = list(object({
    port     = number
    protocol = optional(string, "tcp")
    note     = optional(string)
  }))
  default = [{ port = "22" }, { port = 80, protocol = "udp" }]
}
resource "x_t" "o" {
  rules = var.rules
  proto = var.rules[0].protocol
}
"#,
    )]);
    assert_eq!(
        attr(&m, "x_t.o", "rules"),
        serde_json::json!([
            {"port": 22, "protocol": "tcp", "note": null},
            {"port": 80, "protocol": "udp", "note": null}
        ])
    );
    assert_eq!(attr(&m, "x_t.o", "proto"), "tcp");
}

#[test]
fn limits_give_diagnostics_not_crashes() {
    let mut locals = String::from("locals {\n");
    for i in 0..400 {
        locals.push_str(&format!("  a{i} = local.a{} + 1\n", i + 1));
    }
    locals.push_str("  a400 = 0\n}\n");
    let text = format!(
        "{locals}resource \"x_t\" \"deep\" {{\n  v = local.a0\n}}\nresource \"x_t\" \"many\" {{\n  count = 20000\n}}\n"
    );
    let (_d, m) = load(&[("main.tf", &text)]);
    assert!(obj(&m, "x_t.deep").attr("v").unwrap().is_unknown());
    let limits = m
        .diagnostics
        .iter()
        .filter(|d| d.code == CoreCode::LimitExceeded)
        .count();
    assert_eq!(limits, 2, "{:?}", m.diagnostics);
    assert_eq!(
        m.objects.iter().filter(|o| o.name == "many").count(),
        10_000
    );
}

#[test]
fn templatefile_renders_inside_allowed_roots_only() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "main.tf",
                r#"
resource "x_t" "t" {
  ok  = templatefile("${path.module}/tpl/user_data.tpl", { name = "web", ports = [80, 443] })
  out = templatefile("../../etc/passwd", {})
}
"#,
            ),
            (
                "tpl/user_data.tpl",
                "hello ${name}\n%{ for p in ports ~}\nport ${p}\n%{ endfor ~}\n",
            ),
        ],
    );
    let options = LoadOptions {
        paths: vec![dir.path().to_path_buf()],
        eval: EvalOptions {
            allowed_roots: vec![dir.path().to_path_buf()],
            ..EvalOptions::default()
        },
        ..LoadOptions::default()
    };
    let m = pipeline::load(&options).unwrap();
    assert_eq!(attr(&m, "x_t.t", "ok"), "hello web\nport 80\nport 443\n");
    assert!(unknown_reason(&m, "x_t.t", "out").contains("outside the scanned tree"));
}

#[test]
fn module_count_and_for_each_instances() {
    let (_d, m) = load(&[
        (
            "main.tf",
            r#"
module "c" {
  source = "./m"
  count  = 2
  name   = "c${count.index}"
}
module "f" {
  source   = "./m"
  for_each = { x = "fx", y = "fy" }
  name     = each.value
}
resource "x_t" "use" {
  first = module.c[0].name_out
  all   = module.c[*].name_out
  y     = module.f["y"].name_out
  id    = module.f["x"].bucket_id
}
"#,
        ),
        (
            "m/main.tf",
            r#"
variable "name" {}
resource "aws_s3_bucket" "b" {
  bucket = var.name
}
output "name_out" { value = aws_s3_bucket.b.bucket }
output "bucket_id" { value = aws_s3_bucket.b.id }
"#,
        ),
    ]);
    assert_eq!(attr(&m, "module.c[1].aws_s3_bucket.b", "bucket"), "c1");
    assert_eq!(attr(&m, "module.f[\"y\"].aws_s3_bucket.b", "bucket"), "fy");
    assert_eq!(
        obj(&m, "module.f[\"x\"].aws_s3_bucket.b").module,
        "module.f[\"x\"]"
    );
    assert_eq!(attr(&m, "x_t.use", "first"), "c0");
    assert_eq!(attr(&m, "x_t.use", "all"), serde_json::json!(["c0", "c1"]));
    assert_eq!(attr(&m, "x_t.use", "y"), "fy");
    let id = obj(&m, "x_t.use")
        .attr("id")
        .unwrap()
        .as_unknown()
        .unwrap()
        .clone();
    assert_eq!(
        id.refers_to.as_deref(),
        Some("module.f[\"x\"].aws_s3_bucket.b")
    );
}

#[test]
fn var_files_apply_after_tfvars_and_refs_use_nested_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "main.tf",
                r#"
variable "env" { default = "dev" }
resource "aws_security_group" "lb" {}
resource "aws_security_group" "app" {
  name = var.env
  ingress {
    from_port       = 443
    security_groups = [aws_security_group.lb.id]
  }
}
"#,
            ),
            ("terraform.tfvars", "env = \"tfvars\"\n"),
            ("extra/prod.tfvars", "env = \"from-var-file\"\n"),
        ],
    );
    let options = LoadOptions {
        paths: vec![
            dir.path().join("main.tf"),
            dir.path().join("terraform.tfvars"),
        ],
        eval: EvalOptions {
            var_files: vec![dir.path().join("extra/prod.tfvars")],
            ..EvalOptions::default()
        },
        ..LoadOptions::default()
    };
    let m = pipeline::load(&options).unwrap();
    assert_eq!(attr(&m, "aws_security_group.app", "name"), "from-var-file");
    let o = obj(&m, "aws_security_group.app");
    assert_eq!(o.refs.len(), 1);
    assert_eq!(o.refs[0].attr, "ingress.0.security_groups");
    assert_eq!(o.refs[0].target, "aws_security_group.lb");
    // The value from the var file points at the use site.
    let loc = m.sources.locate(o.attr("name").unwrap().span.unwrap());
    assert_eq!(loc.line, 5);
}
