//! Snapshots of the cost report renderings (table, JSON, Markdown) of `infralint cost` on
//! `tests/fixtures/cost/basic`, and a hand-built model of the same fixture for the arithmetic.

use assert_cmd::Command;
use infralint::ir::{Model, Object, ObjectKind, Value, ValueKind};
use infralint::pricing::{self, CostOptions, UsageFile};
use infralint::source::{FileId, Span};
use serde_json::json;

mod common;
use common::cost_snapshot as snapshot;

const FIXTURE: &str = include_str!("fixtures/cost/basic/main.tf");
const USAGE: &str = include_str!("fixtures/cost/basic/infracost-usage.yml");

/// The span of the block whose header line is `header`.
fn span_of(header: &str) -> Span {
    let start = FIXTURE.find(header).expect("header in fixture");
    Span::new(FileId(0), start, start + header.len())
}

fn resource(type_name: &str, name: &str, attrs: serde_json::Value) -> Object {
    let header = format!("resource \"{type_name}\" \"{name}\"");
    let mut o = Object::new(
        ObjectKind::Resource,
        type_name,
        name,
        format!("{type_name}.{name}"),
        ".",
        span_of(&header),
    );
    o.provider = Some("aws".into());
    if let ValueKind::Map(m) = Value::from_json(&attrs).kind {
        o.attrs = m;
    }
    o
}

fn fixture_model() -> Model {
    let mut provider = Object::new(
        ObjectKind::Provider,
        "provider",
        "aws",
        "provider.aws",
        ".",
        span_of("provider \"aws\""),
    );
    provider
        .attrs
        .insert("region".into(), Value::string("eu-west-1"));
    let mut worker = resource("aws_instance", "worker", json!({}));
    worker.attrs.insert(
        "instance_type".into(),
        Value::unknown("variable \"worker_type\" has no value"),
    );
    let objects = vec![
        provider,
        resource("aws_vpc", "main", json!({"cidr_block": "10.0.0.0/16"})),
        resource(
            "aws_instance",
            "web",
            json!({"instance_type": "t3.small",
                   "root_block_device": [{"volume_type": "gp3", "volume_size": 20}]}),
        ),
        worker,
        resource("aws_eip", "nat", json!({"domain": "vpc"})),
        resource(
            "aws_nat_gateway",
            "main",
            json!({"subnet_id": "subnet-123"}),
        ),
        resource(
            "aws_db_instance",
            "db",
            json!({"engine": "postgres", "instance_class": "db.t3.micro",
                   "allocated_storage": 20, "storage_type": "gp3"}),
        ),
        resource(
            "aws_lambda_function",
            "api",
            json!({"function_name": "api", "memory_size": 256, "architectures": ["arm64"]}),
        ),
        resource(
            "aws_kinesis_stream",
            "events",
            json!({"name": "events", "shard_count": 1}),
        ),
        resource(
            "aws_cloudwatch_log_group",
            "api",
            json!({"name": "/aws/lambda/api"}),
        ),
    ];
    common::main_tf_model(FIXTURE, objects)
}

fn report() -> pricing::CostReport {
    let options = CostOptions {
        usage: UsageFile::parse(USAGE).unwrap(),
        ..CostOptions::default()
    };
    pricing::estimate(&fixture_model(), &options)
}

#[test]
fn fixture_totals_by_hand() {
    // eu-west-1: t3.small $0.0228 × 730 = $16.644 ; gp3 20 GB × $0.088 = $1.76
    // EIP 730 × $0.005 = $3.65 ; NAT 730 × $0.048 = $35.04 + 250 GB × $0.048 = $12.00
    // db.t3.micro postgres Single-AZ $0.02 × 730 = $14.60 ; gp3 20 GB × $0.127 = $2.54
    let r = report();
    let expected = 16.644 + 1.76 + 3.65 + 35.04 + 12.0 + 14.6 + 2.54;
    assert!(
        (r.total_monthly_cost - expected).abs() < 1e-9,
        "{} vs {expected}",
        r.total_monthly_cost
    );
    assert!(!r.complete);
}

/// `infralint cost .` run inside the real fixture (evaluated by the Terraform evaluator), with
/// its usage file.
fn cli(format: &str) -> String {
    common::infralint_ok(
        "tests/fixtures/cost/basic",
        &[
            "cost",
            ".",
            "--usage-file",
            "infracost-usage.yml",
            "--format",
            format,
        ],
    )
}

#[test]
fn table_snapshot() {
    snapshot("table", cli("table"));
}

#[test]
fn json_snapshot() {
    snapshot("json", cli("json"));
}

#[test]
fn markdown_snapshot() {
    snapshot("markdown", cli("markdown"));
}

#[test]
fn hand_built_model_renders_like_the_cli() {
    // The hand-built model of the same fixture gives the same JSON as the evaluator's.
    assert_eq!(pricing::render::json(&report()), cli("json"));
}

#[test]
fn cli_cost_json_on_fixture() {
    let out = common::infralint_ok(
        ".",
        &[
            "cost",
            "tests/fixtures/cost/basic",
            "--format",
            "json",
            "--usage-file",
            "tests/fixtures/cost/basic/infracost-usage.yml",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["currency"], "USD");
    assert!(v["total_monthly_cost"].is_number());
    assert!(v["resources"].is_array());
    assert!(v["unpriced"].is_array());
    assert!(v["prices"]["effective_date"].is_string());
}

#[test]
fn cli_cost_rejects_a_bad_usage_file_and_pricing_dir() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.yml");
    std::fs::write(&usage, "version: 7\n").unwrap();
    Command::cargo_bin("infralint")
        .unwrap()
        .args(["cost", "tests/fixtures/cost/basic", "--usage-file"])
        .arg(&usage)
        .assert()
        .code(2);
    Command::cargo_bin("infralint")
        .unwrap()
        .args(["cost", "tests/fixtures/cost/basic", "--pricing"])
        .arg(dir.path().join("missing"))
        .assert()
        .code(2);
}

#[test]
fn pricing_dir_overrides_a_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vpc.tsv"),
        "# source 0: test effective_date=2030-01-01\n# attributes 0:\n@us-east-1\nnat-gateway-hour\t0\thour\t1\t0\n",
    )
    .unwrap();
    let prices = pricing::PriceBook::from_dir(dir.path()).unwrap();
    let mut o = Object::new(
        ObjectKind::Resource,
        "aws_nat_gateway",
        "n",
        "aws_nat_gateway.n",
        ".",
        span_of("resource \"aws_nat_gateway\" \"main\""),
    );
    o.provider = None;
    let model = common::main_tf_model(FIXTURE, vec![o]);
    let options = CostOptions {
        prices,
        ..CostOptions::default()
    };
    let r = pricing::estimate(&model, &options);
    // 730 h × $1 (overridden table); the data component has no price in the override.
    assert_eq!(r.resources[0].monthly_cost, Some(730.0));
    assert_eq!(r.prices.effective_date, "2030-01-01");
}

#[test]
fn cli_cost_table_and_markdown_run() {
    for format in ["table", "markdown"] {
        let out = Command::cargo_bin("infralint")
            .unwrap()
            .args(["cost", "tests/fixtures/cost/basic", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("730 hours/month"), "{text}");
    }
}
