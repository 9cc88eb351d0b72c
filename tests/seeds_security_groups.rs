//! The `security-groups` pack on the seed fixtures (`tests/fixtures/seeds/`): exactly the
//! findings each README expects from this pack (rule ID at file:line, every rule of the pack
//! enabled, opt-in ones included), and none on the practices the READMEs list as correct.

use infralint::rules::engine::Selection;

mod common;

/// `RULE file:line` for every finding of the pack, sorted, deduplicated across roots.
fn findings(name: &str) -> Vec<String> {
    let dir = common::seed(name);
    let model = common::load_tree(&dir);
    let out = common::run_rules(&model, &toml::Table::new(), &Selection::all());
    let mut lines: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.rule_id.starts_with("SG"))
        .map(|f| format!("{} {}", f.rule_id, common::location(&model, &dir, f.span)))
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

#[test]
fn ocean_dashboard_ssh_open_to_the_world() {
    assert_eq!(
        findings("ocean-dashboard"),
        [
            // SSH 22 from 0.0.0.0/0 (the rule's CIDR)
            "SG001 infra/terraform/ec2.tf:54",
            // no description on the group or its three ingress rules
            "SG006 infra/terraform/ec2.tf:33",
            // opt-in: all egress to the internet
            "SG022 infra/terraform/ec2.tf:61",
        ]
    );
}

#[test]
fn morket_data_stores_only_from_ecs() {
    // Aurora, Redis, RabbitMQ, OpenSearch and ClickHouse accept only the ECS SG on their port
    // (no SG001-SG005), ECS tasks have no public IP (no SG011), OpenSearch is VPC-only
    // (no SG015) and the ALB redirects 80 to 443 (SG013 info, not SG014).
    assert_eq!(
        findings("morket"),
        [
            "SG013 terraform/modules/alb/main.tf:4",
            "SG022 terraform/modules/vpc/main.tf:134",
        ]
    );
}

#[test]
fn marine_safety_alb_http_listener_forwards() {
    // The ALB's port-80 listener forwards instead of redirecting (app.tf:212); RDS is not
    // publicly accessible, tasks have no public IP, S3 has the full public access block.
    assert_eq!(
        findings("marine-safety"),
        ["SG014 infrastructure/terraform/app.tf:185"]
    );
}

#[test]
fn cloudclearing_only_the_opt_in_egress() {
    // The ECS SG has no ingress; the endpoint SG allows 443 from the VPC CIDR only; every
    // bucket has the full public access block.
    assert_eq!(
        findings("cloudclearing"),
        ["SG022 infra/terraform/modules/compute/main.tf:133"]
    );
}

#[test]
fn spendsense_public_subnets_and_alb() {
    assert_eq!(
        findings("spendsense"),
        [
            "SG009 terraform/modules/vpc/main.tf:24",
            "SG013 terraform/modules/alb/main.tf:4",
            "SG022 terraform/main.tf:97",
        ]
    );
}
