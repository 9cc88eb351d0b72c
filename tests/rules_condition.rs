//! The declarative condition language on hand-built models: selection, operators, paths,
//! three-valued logic, relationships, spans and messages.

use infralint::diagnostic::Severity;
use infralint::ir::{Model, Object, ObjectKind, Reference, Unknown, Value, ValueKind};
use infralint::rules::condition::cidr_is_public;
use infralint::rules::engine::{self, EngineOutput, Selection};
use infralint::rules::load;
use infralint::source::{FileId, Span};
use serde_json::json;

mod common;

/// A value tree from JSON where every node gets its own span (consecutive offsets), and
/// strings starting with `?` become Unknown (`?reason` or `?reason@target` for a reference).
fn spanned(v: &serde_json::Value, next: &mut usize) -> Value {
    let start = *next;
    *next += 1;
    let kind = match v {
        serde_json::Value::String(s) if s.starts_with('?') => {
            let body = &s[1..];
            match body.split_once('@') {
                Some((reason, target)) => ValueKind::Unknown(Unknown::reference(reason, target)),
                None => ValueKind::Unknown(Unknown::new(body)),
            }
        }
        serde_json::Value::Array(items) => {
            ValueKind::List(items.iter().map(|i| spanned(i, next)).collect())
        }
        serde_json::Value::Object(m) => ValueKind::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), spanned(v, next)))
                .collect(),
        ),
        other => Value::from_json(other).kind,
    };
    Value::new(kind, Some(Span::new(FileId(0), start, start + 1)))
}

struct Builder {
    objects: Vec<Object>,
    next: usize,
}

impl Builder {
    fn new() -> Self {
        Builder {
            objects: Vec::new(),
            next: 0,
        }
    }

    fn resource(&mut self, type_name: &str, name: &str, attrs: serde_json::Value) -> &mut Object {
        let start = self.next;
        let value = spanned(&attrs, &mut self.next);
        let mut o = Object::new(
            ObjectKind::Resource,
            type_name,
            name,
            format!("{type_name}.{name}"),
            ".",
            Span::new(FileId(0), start, self.next),
        );
        if let ValueKind::Map(m) = value.kind {
            o.attrs = m;
        }
        self.objects.push(o);
        self.objects.last_mut().unwrap()
    }

    fn model(self) -> Model {
        let text: String = " ".repeat(self.next + 10);
        common::main_tf_model(&text, self.objects)
    }
}

fn rule(id: &str, condition: &str) -> String {
    format!(
        r#"id = "{id}"
slug = "{slug}"
pack = "test"
severity = "high"
title = "Test rule {id}"
description = "d"
remediation = "r"
[example]
language = "hcl"
bad = ""
good = ""
[condition]
{condition}
"#,
        slug = id.to_ascii_lowercase()
    )
}

fn run(condition: &str, model: &Model) -> EngineOutput {
    let registry = load::from_sources(vec![(
        "t/T001.toml".to_string(),
        rule("T001", condition),
        false,
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    engine::run(
        model,
        &registry,
        &toml::Table::new(),
        &Selection {
            select: vec!["T001".into()],
            ..Selection::default()
        },
    )
    .unwrap()
}

fn fired(out: &EngineOutput) -> Vec<(String, u32, String)> {
    out.findings
        .iter()
        .map(|f| {
            (
                f.address.clone().unwrap_or_default(),
                f.span.start,
                f.message.clone(),
            )
        })
        .collect()
}

fn sg_model() -> Model {
    let mut b = Builder::new();
    b.resource(
        "aws_security_group",
        "open",
        json!({"ingress": [
            {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
            {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]}
        ]}),
    );
    b.resource(
        "aws_security_group",
        "private",
        json!({"ingress": [
            {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
            {"from_port": 0, "to_port": 65535, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}
        ]}),
    );
    b.resource(
        "aws_security_group",
        "all_traffic",
        json!({"ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "ipv6_cidr_blocks": ["::/0"]}]}),
    );
    b.resource(
        "aws_security_group",
        "var_cidr",
        json!({"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": "?variable \"cidr\" has no value"}]}),
    );
    b.model()
}

const SSH_OPEN: &str = r#"resource = "aws_security_group"
message = "{address} allows SSH from {value}"
path = "ingress"
where = { all = [
  { port_range_includes = 22 },
  { any = [
    { path = "cidr_blocks.*", cidr_is_public = true },
    { path = "ipv6_cidr_blocks.*", cidr_is_public = true },
  ] },
] }"#;

#[test]
fn where_correlates_tests_on_one_nested_block() {
    let model = sg_model();
    let out = run(SSH_OPEN, &model);
    let hits = fired(&out);
    // `private` has SSH (via 0-65535) only from 10/8 and HTTPS from anywhere: no finding.
    assert_eq!(
        hits.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(),
        vec!["aws_security_group.open", "aws_security_group.all_traffic"]
    );
    assert_eq!(
        hits[0].2,
        "aws_security_group.open allows SSH from 0.0.0.0/0"
    );
    assert_eq!(
        hits[1].2,
        "aws_security_group.all_traffic allows SSH from ::/0"
    );
    // The finding points at the public CIDR that decided it, not at the object.
    let open = &model.objects[0];
    let cidr = open
        .attr_path("ingress.1.cidr_blocks.1")
        .and_then(|v| v.span)
        .unwrap();
    assert_eq!(out.findings[0].span, cidr);
    // The unknown CIDR is undecided, with the variable as the reason.
    assert_eq!(out.unknowns.len(), 1);
    assert_eq!(
        out.unknowns[0].address.as_deref(),
        Some("aws_security_group.var_cidr")
    );
    assert!(
        out.unknowns[0]
            .reason
            .contains("variable \"cidr\" has no value"),
        "{}",
        out.unknowns[0].reason
    );
}

#[test]
fn three_valued_logic() {
    let mut b = Builder::new();
    b.resource("aws_ebs_volume", "known_false", json!({"encrypted": false}));
    b.resource("aws_ebs_volume", "known_true", json!({"encrypted": true}));
    b.resource("aws_ebs_volume", "missing", json!({}));
    b.resource(
        "aws_ebs_volume",
        "unknown",
        json!({"encrypted": "?variable \"enc\" has no value"}),
    );
    let model = b.model();
    let out = run(
        r#"resource = "aws_ebs_volume"
not = { path = "encrypted", equals = true }"#,
        &model,
    );
    let hits: Vec<String> = fired(&out).into_iter().map(|h| h.0).collect();
    assert_eq!(
        hits,
        vec!["aws_ebs_volume.known_false", "aws_ebs_volume.missing"]
    );
    assert_eq!(out.unknowns.len(), 1);
    assert_eq!(
        out.unknowns[0].address.as_deref(),
        Some("aws_ebs_volume.unknown")
    );

    // `all`: False wins over Unknown; `any`: True wins over Unknown.
    let out = run(
        r#"resource = "aws_ebs_volume"
all = [{ path = "encrypted", equals = false }, { path = "size", gt = 100 }]"#,
        &model,
    );
    assert!(out.findings.is_empty());
    assert!(out.unknowns.is_empty(), "{:?}", out.unknowns);
    let out = run(
        r#"resource = "aws_ebs_volume"
any = [{ path = "encrypted", equals = false }, { absent = false, path = "encrypted" }]"#,
        &model,
    );
    assert_eq!(fired(&out).len(), 2);
    assert_eq!(out.unknowns.len(), 1);
}

#[test]
fn operators() {
    let mut b = Builder::new();
    b.resource(
        "aws_db_instance",
        "db",
        json!({
            "engine": "postgres",
            "backup_retention_period": "3",
            "tags": {"Owner": "team-a"},
            "names": ["a", "b", "c"],
            "publicly_accessible": "true",
            "storage_encrypted": null,
        }),
    );
    let model = b.model();
    let cases: &[(&str, bool)] = &[
        (r#"path = "engine", equals = "postgres""#, true),
        (r#"path = "engine", not_equals = "postgres""#, false),
        (r#"path = "engine", in = ["mysql", "postgres"]"#, true),
        (r#"path = "engine", not_in = ["mysql", "postgres"]"#, false),
        (r#"path = "engine", matches = "post*""#, true),
        (r#"path = "backup_retention_period", lt = 7"#, true),
        (r#"path = "backup_retention_period", ge = 7"#, false),
        (r#"path = "backup_retention_period", equals = 3"#, true),
        (r#"path = "publicly_accessible", equals = true"#, true),
        (r#"path = "tags", contains = "Owner""#, true),
        (r#"path = "tags.Owner", matches = "team-*""#, true),
        (r#"path = "names", contains = "b""#, true),
        (r#"path = "names", length_ge = 3"#, true),
        (r#"path = "names", length_lt = 3"#, false),
        (r#"path = "names.*", equals = "c""#, true),
        (
            r#"path = "names.*", equals = "c", quantifier = "all""#,
            false,
        ),
        (
            r#"path = "names.*", matches = "?", quantifier = "all""#,
            true,
        ),
        (r#"path = "storage_encrypted", absent = true"#, true),
        (r#"path = "nope", absent = true"#, true),
        (r#"path = "nope", exists = true"#, false),
        (r#"path = "nope", not_equals = true"#, true),
        (r#"path = "nope.deeper", equals = 1"#, false),
    ];
    for (cond, expect) in cases {
        let out = run(
            &format!("resource = \"aws_db_*\"\nall = [{{ {cond} }}]"),
            &model,
        );
        assert_eq!(!out.findings.is_empty(), *expect, "{cond}");
    }
}

#[test]
fn port_ranges_and_cidrs() {
    let mut b = Builder::new();
    b.resource(
        "aws_security_group_rule",
        "tcp_range",
        json!({"type": "ingress", "from_port": 20, "to_port": 25, "protocol": "tcp"}),
    );
    b.resource(
        "aws_security_group_rule",
        "all",
        json!({"type": "ingress", "from_port": 0, "to_port": 0, "protocol": "all"}),
    );
    b.resource(
        "aws_security_group_rule",
        "icmp",
        json!({"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "icmp"}),
    );
    b.resource(
        "aws_vpc_security_group_ingress_rule",
        "v",
        json!({"ip_protocol": "-1"}),
    );
    b.resource(
        "aws_security_group_rule",
        "https",
        json!({"type": "ingress", "from_port": 443, "to_port": 443, "protocol": "6"}),
    );
    let model = b.model();
    let out = run(
        r#"type = ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule"]
port_range_includes = [22, 3389]"#,
        &model,
    );
    let hits: Vec<String> = fired(&out).into_iter().map(|h| h.0).collect();
    assert_eq!(
        hits,
        vec![
            "aws_security_group_rule.tcp_range",
            "aws_security_group_rule.all",
            "aws_vpc_security_group_ingress_rule.v"
        ]
    );
    for (cidr, public) in [
        ("0.0.0.0/0", true),
        ("::/0", true),
        ("8.8.8.8/32", true),
        ("8.8.8.8", true),
        ("10.0.0.0/8", false),
        ("10.1.2.0/24", false),
        ("172.16.0.0/12", false),
        ("172.0.0.0/8", true),
        ("192.168.1.1", false),
        ("fd00::/8", false),
        ("2600::/16", true),
    ] {
        assert_eq!(cidr_is_public(cidr), Some(public), "{cidr}");
    }
    assert_eq!(cidr_is_public("not a cidr"), None);
}

#[test]
fn relationships() {
    let mut b = Builder::new();
    b.resource("aws_s3_bucket", "with_ref", json!({"bucket": "a"}));
    b.resource("aws_s3_bucket", "with_unknown_ref", json!({"bucket": "b"}));
    b.resource("aws_s3_bucket", "with_name", json!({"bucket": "c"}));
    b.resource("aws_s3_bucket", "suspended", json!({"bucket": "d"}));
    b.resource("aws_s3_bucket", "alone", json!({"bucket": "e"}));
    let v = b.resource(
        "aws_s3_bucket_versioning",
        "a",
        json!({"bucket": "?computed at apply", "versioning_configuration": [{"status": "Enabled"}]}),
    );
    v.refs.push(Reference {
        attr: "bucket".into(),
        target: "aws_s3_bucket.with_ref".into(),
    });
    b.resource(
        "aws_s3_bucket_versioning",
        "b",
        json!({"bucket": "?computed at apply@aws_s3_bucket.with_unknown_ref", "versioning_configuration": [{"status": "Enabled"}]}),
    );
    b.resource(
        "aws_s3_bucket_versioning",
        "c",
        json!({"bucket": "c", "versioning_configuration": [{"status": "Enabled"}]}),
    );
    b.resource(
        "aws_s3_bucket_versioning",
        "d",
        json!({"bucket": "d", "versioning_configuration": [{"status": "Suspended"}]}),
    );
    let model = b.model();
    let cond = r#"resource = "aws_s3_bucket"
not = { has_related = { type = "aws_s3_bucket_versioning", via = "bucket", where = { path = "versioning_configuration.status", equals = "Enabled" } } }"#;
    let out = run(cond, &model);
    let hits: Vec<String> = fired(&out).into_iter().map(|h| h.0).collect();
    assert_eq!(hits, vec!["aws_s3_bucket.suspended", "aws_s3_bucket.alone"]);
    assert!(out.unknowns.is_empty());

    // A versioning resource whose bucket is unknown (no reference) may belong to any bucket.
    let mut b = Builder::new();
    b.resource("aws_s3_bucket", "x", json!({"bucket": "x"}));
    b.resource(
        "aws_s3_bucket_versioning",
        "v",
        json!({"bucket": "?variable \"bucket\" has no value", "versioning_configuration": [{"status": "Enabled"}]}),
    );
    let model = b.model();
    let out = run(cond, &model);
    assert!(out.findings.is_empty());
    assert_eq!(out.unknowns.len(), 1);
    assert!(
        out.unknowns[0]
            .reason
            .contains("aws_s3_bucket_versioning.v")
    );

    // Forward: this object's attribute refers to another one.
    let mut b = Builder::new();
    b.resource("aws_kms_key", "k", json!({"enable_key_rotation": false}));
    b.resource(
        "aws_ebs_volume",
        "v",
        json!({"kms_key_id": "?computed@aws_kms_key.k"}),
    );
    let model = b.model();
    let out = run(
        r#"resource = "aws_ebs_volume"
references = { type = "aws_kms_key", via = "kms_key_id", where = { path = "enable_key_rotation", equals = false } }"#,
        &model,
    );
    assert_eq!(fired(&out).len(), 1);
}

#[test]
fn engine_maps_verdicts_to_findings() {
    let mut b = Builder::new();
    b.resource("aws_instance", "web", json!({"monitoring": false}));
    let model = b.model();
    let out = run(
        r#"resource = "aws_instance"
path = "monitoring"
equals = false"#,
        &model,
    );
    let f = &out.findings[0];
    assert_eq!(f.rule_id, "T001");
    assert_eq!(f.slug, "t001");
    assert_eq!(f.pack, "test");
    assert_eq!(f.severity, Severity::High);
    // Default message: the rule's title.
    assert_eq!(f.message, "Test rule T001");
    assert_eq!(f.address.as_deref(), Some("aws_instance.web"));
}

fn load_error(condition: &str) -> String {
    load::from_sources(vec![(
        "t/T001.toml".to_string(),
        rule("T001", condition),
        false,
    )])
    .unwrap_err()
    .to_string()
}

#[test]
fn bad_conditions_point_at_their_line() {
    // The [condition] table starts on line 12 of the generated rule file.
    let e = load_error(
        "resource = \"aws_s3_bucket\"\nall = [\n  { path = \"x\", equals = 1 },\n  { path = \"y\", frobnicate = 2 },\n]",
    );
    assert!(e.starts_with("invalid rule file t/T001.toml:16:"), "{e}");
    assert!(e.contains("unknown key `frobnicate`"), "{e}");

    let e = load_error("resource = \"aws_s3_bucket\"\npath = \"x\"\nequals = 1\nlt = 3");
    assert!(e.contains("t/T001.toml:16:6:"), "{e}");
    assert!(e.contains("one attribute test per table"), "{e}");

    let e = load_error("path = \"x\"\nequals = 1");
    assert!(e.contains("must select objects"), "{e}");

    let e = load_error("resource = \"a\"\nmessage = \"{adress}\"\npath = \"x\"\nexists = true");
    assert!(e.contains("t/T001.toml:14:11"), "{e}");
    assert!(e.contains("unknown placeholder `{adress}`"), "{e}");

    let e = load_error("kind = \"resourse\"");
    assert!(e.contains("unknown object kind `resourse`"), "{e}");

    let e = load_error("resource = \"a\"\npath = \"x\"\nport_range_includes = 70000");
    assert!(e.contains("outside 0..=65535"), "{e}");
}

/// The example user rules of `tests/fixtures/custom-rules/` on models that mirror their
/// `bad/` and `good/` fixtures (what the Terraform evaluator produces for them), so the
/// examples are tested whatever front ends exist.
#[test]
fn example_user_rules_on_their_fixture_models() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-rules");
    let registry = load::load_registry(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    type Build = fn(&mut Builder);
    let cases: &[(&str, Build, Build)] = &[
        (
            "ACME001",
            |b| {
                b.resource("aws_s3_bucket", "logs", json!({"bucket": "acme-logs"}));
            },
            |b| {
                b.resource("aws_s3_bucket", "logs", json!({"bucket": "acme-logs"}));
                b.resource(
                    "aws_s3_bucket_versioning",
                    "logs",
                    json!({"bucket": "?computed at apply@aws_s3_bucket.logs", "versioning_configuration": [{"status": "Enabled"}]}),
                );
            },
        ),
        (
            "ACME002",
            |b| {
                b.resource("aws_security_group", "bastion", json!({"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}));
            },
            |b| {
                b.resource("aws_security_group", "bastion", json!({"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]}));
            },
        ),
        (
            "ACME003",
            |b| {
                b.resource(
                    "aws_db_instance",
                    "main",
                    json!({"engine": "postgres", "backup_retention_period": 1}),
                );
            },
            |b| {
                b.resource(
                    "aws_db_instance",
                    "main",
                    json!({"engine": "postgres", "backup_retention_period": 14}),
                );
            },
        ),
        (
            "ACME004",
            |b| {
                b.resource(
                    "aws_instance",
                    "web",
                    json!({"ami": "ami-123", "instance_type": "t3.micro"}),
                );
            },
            |b| {
                b.resource("aws_instance", "web", json!({"ami": "ami-123", "instance_type": "t3.micro", "tags": {"Owner": "web-team"}}));
            },
        ),
    ];
    for (id, bad, good) in cases {
        let selection = Selection {
            select: vec![(*id).to_string()],
            ..Selection::default()
        };
        let mut b = Builder::new();
        bad(&mut b);
        let model = b.model();
        let out = engine::run(&model, &registry, &toml::Table::new(), &selection).unwrap();
        assert_eq!(out.findings.len(), 1, "{id} on bad");
        assert_eq!(out.findings[0].rule_id, *id);
        let mut b = Builder::new();
        good(&mut b);
        let model = b.model();
        let out = engine::run(&model, &registry, &toml::Table::new(), &selection).unwrap();
        assert!(out.findings.is_empty(), "{id} on good: {:?}", out.findings);
        assert!(out.unknowns.is_empty(), "{id} on good: {:?}", out.unknowns);
    }
}

#[test]
fn show_unknown_in_text_and_json() {
    let mut b = Builder::new();
    b.resource(
        "aws_security_group",
        "var_cidr",
        json!({"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": "?variable \"cidr\" has no value"}]}),
    );
    let options = infralint::CheckOptions {
        rule_dirs: vec![
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-rules"),
        ],
        selection: Selection {
            select: vec!["ACME002".into()],
            ..Selection::default()
        },
        show_unknown: true,
        ..infralint::CheckOptions::default()
    };
    let result = infralint::check_with(b.model(), &options).unwrap();
    assert!(result.findings.is_empty());
    let registry = infralint::rules::load::load_registry(&options.rule_dirs).unwrap();
    let json = infralint::report::json::render(&result);
    let report = infralint::report::Report::build(result, &registry, &Default::default());
    let text = infralint::report::text::render(&report, Default::default());
    assert!(
        text.contains("Undecided (1): a value these rules need is unknown\n  main.tf:1:"),
        "{text}"
    );
    assert!(text.contains("ACME002[acme-ssh-open-to-world] `ingress.0.cidr_blocks` is unknown: variable \"cidr\" has no value (in aws_security_group.var_cidr)"), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["unknown"][0]["rule_id"], "ACME002");
    assert_eq!(doc["unknown"][0]["address"], "aws_security_group.var_cidr");
}
