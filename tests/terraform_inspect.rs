//! `infralint inspect` of the fixture stack: a snapshot plus the key facts asserted directly.

use std::path::PathBuf;

use infralint::inspect;
use infralint::pipeline::{self, LoadOptions};

fn stack_json() -> serde_json::Value {
    // Relative to the crate root (cargo's cwd for tests), so display paths are stable.
    let options = LoadOptions {
        paths: vec![PathBuf::from("tests/fixtures/terraform/stack")],
        ..LoadOptions::default()
    };
    inspect::to_json(&pipeline::load(&options).unwrap())
}

fn find<'a>(doc: &'a serde_json::Value, address: &str) -> &'a serde_json::Value {
    doc["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["address"] == address)
        .unwrap_or_else(|| panic!("no {address}"))
}

#[test]
fn stack_snapshot() {
    insta::assert_json_snapshot!(stack_json());
}

#[test]
fn stack_key_facts() {
    let doc = stack_json();
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    let subnet = find(&doc, "module.network.aws_subnet.private[\"a\"]");
    assert_eq!(subnet["attributes"]["cidr_block"], "10.0.0.0/24");
    assert_eq!(subnet["module"], "module.network");
    assert_eq!(
        subnet["attributes"]["vpc_id"]["$unknown"],
        "resource attribute module.network.aws_vpc.this.id is computed"
    );
    let nat = find(&doc, "aws_nat_gateway.this[0]");
    assert_eq!(nat["attributes"]["subnet_id"], "10.0.0.0/24");
    assert!(
        doc["objects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["address"] == "aws_nat_gateway.this[1]")
    );
    // terraform.tfvars sets nat_count = 2 over the default 1; prod.auto.tfvars wins over it for env.
    assert_eq!(nat["attributes"]["tags"]["Name"], "shop-prod-nat-0");
    assert_eq!(
        nat["attributes"]["tags_all"],
        serde_json::json!({"Team": "platform", "Managed": "terraform", "Name": "shop-prod-nat-0", "Project": "shop"})
    );
    let flow = find(&doc, "module.network.module.flow.aws_flow_log.this");
    assert_eq!(flow["provider"], "aws");
    let bucket = find(&doc, "aws_s3_bucket.logs");
    assert_eq!(bucket["provider"], "aws.west");
    assert!(bucket["attributes"].get("tags_all").is_none());
    let sg = find(&doc, "aws_security_group.web");
    assert_eq!(sg["attributes"]["ingress"][1]["from_port"], 443);
    assert_eq!(
        sg["attributes"]["ingress"][0]["cidr_blocks"][0]["$unknown"],
        "variable \"allowed_cidr\" has no value"
    );
    let web = find(&doc, "aws_instance.web[\"b\"]");
    assert_eq!(
        web["attributes"]["ami"]["$unknown"],
        "data source attribute data.aws_ami.ubuntu.id is computed"
    );
    assert_eq!(
        web["references"],
        serde_json::json!([
            {"attr": "ami", "target": "data.aws_ami.ubuntu"},
            {"attr": "vpc_security_group_ids", "target": "aws_security_group.web"}
        ])
    );
}
