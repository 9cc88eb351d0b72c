//! `infralint cost` on the seed stacks (`tests/fixtures/seeds/<x>/`) whose teams wrote down a
//! monthly cost: our estimate without a usage file, and with the usage file written from the
//! seed's own assumptions. `docs/cost.md` ("Seeds: estimate vs the team's own figure")
//! explains every difference; keep the two in step.

use assert_cmd::Command;
use serde_json::Value;

fn cost(seed: &str, extra: &[&str]) -> Value {
    let dir = format!("tests/fixtures/seeds/{seed}");
    let mut args = vec!["cost", dir.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn cents(v: &Value) -> i64 {
    (v.as_f64().expect("a number") * 100.0).round() as i64
}

/// Monthly cost in cents of the resource at `address` (`None` when it has no cost).
fn resource(report: &Value, address: &str) -> Option<i64> {
    let r = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in the report"));
    r["monthly_cost"]
        .as_f64()
        .map(|_| cents(&r["monthly_cost"]))
}

fn status<'a>(report: &'a Value, address: &str) -> &'a str {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in the report"))["status"]
        .as_str()
        .unwrap()
}

#[test]
fn marine_safety_without_usage() {
    // The team: ~$1,135/month. Ours: $924.15 (fixed charges only).
    let r = cost("marine-safety", &[]);
    assert_eq!(cents(&r["total_monthly_cost"]), 92_415);
    // db.r6g.large PostgreSQL Multi-AZ: 730 h × $0.45 = $328.50, + 100 GB gp3 Multi-AZ × $0.23.
    assert_eq!(resource(&r, "aws_db_instance.main"), Some(35_150));
    // 2 × cache.r6g.large: 2 × 730 h × $0.206.
    assert_eq!(
        resource(&r, "aws_elasticache_replication_group.main"),
        Some(30_076)
    );
    // 2 tasks × (2 vCPU × $0.04048 + 4 GB × $0.004445) × 730 h.
    assert_eq!(resource(&r, "aws_ecs_service.api"), Some(14_416));
    assert_eq!(resource(&r, "aws_lb.main"), Some(1_643));
    for i in 0..3 {
        assert_eq!(
            resource(&r, &format!("aws_nat_gateway.main[{i}]")),
            Some(3_285)
        );
        assert_eq!(resource(&r, &format!("aws_eip.nat[{i}]")), Some(365));
    }
    assert_eq!(
        status(&r, "aws_cloudfront_distribution.main"),
        "usage_based"
    );
    assert_eq!(r["complete"], false);
}

#[test]
fn marine_safety_with_the_seeds_usage() {
    let r = cost(
        "marine-safety",
        &[
            "--usage-file",
            "tests/fixtures/seeds/marine-safety/infracost-usage.yml",
        ],
    );
    // + 1 TB CloudFront to US viewers (1,000 GB × $0.085) + 100 GB S3 Standard (× $0.023).
    assert_eq!(
        resource(&r, "aws_cloudfront_distribution.main"),
        Some(8_500)
    );
    assert_eq!(resource(&r, "aws_s3_bucket.main[\"raw-data\"]"), Some(230));
    assert_eq!(cents(&r["total_monthly_cost"]), 101_145);
    assert!(
        r.get("usage_unmatched")
            .is_none_or(|u| u.as_array().unwrap().is_empty())
    );
}

#[test]
fn ocean_dashboard_without_and_with_usage() {
    // The team: ~$15-20/month. Ours: $19.06 (t3.small in eu-west-3 with its 8 GB gp2 root
    // volume, 2 secrets, 1 alarm).
    let r = cost("ocean-dashboard", &[]);
    assert_eq!(cents(&r["total_monthly_cost"]), 1_906);
    // 730 h × $0.0236 + 8 GB gp2 × $0.116.
    assert_eq!(resource(&r, "aws_instance.app_server"), Some(1_816));
    assert_eq!(status(&r, "aws_lambda_function.fetch_noaa"), "usage_based");

    let u = cost(
        "ocean-dashboard",
        &[
            "--usage-file",
            "tests/fixtures/seeds/ocean-dashboard/infracost-usage.yml",
        ],
    );
    // 200 requests × $0.0000002 = $0.00004; the duration stays usage-based (not stated).
    let total = u["total_monthly_cost"].as_f64().unwrap();
    assert!((total - 19.05604).abs() < 1e-9, "{total}");
    assert!(u["usage_missing"].as_array().unwrap().iter().any(|m| {
        m.as_str()
            .unwrap()
            .starts_with("aws_lambda_function.fetch_noaa: Duration")
    }));
}

#[test]
fn cloudclearing_prices_what_is_known_and_leaves_the_az_count_unknown() {
    // The team: ~$23 (dev) to ~$139 (prod). The number of AZs comes from the
    // `aws_availability_zones` data source, so the NAT gateways, their EIPs (count unknown,
    // `[*]`) and the 4 interface endpoints (one ENI per private subnet) are unknown, never
    // guessed. What is known: KMS key $1, 2 secrets $0.80, 3 alarms $0.30, 1 dashboard $3.
    let r = cost("cloudclearing", &[]);
    assert_eq!(cents(&r["total_monthly_cost"]), 510);
    assert_eq!(
        status(&r, "module.network.aws_nat_gateway.main[*]"),
        "unknown"
    );
    assert_eq!(status(&r, "module.network.aws_eip.nat[*]"), "unknown");
    for ep in ["ecr.api", "ecr.dkr", "logs", "secretsmanager"] {
        assert_eq!(
            status(
                &r,
                &format!("module.network.aws_vpc_endpoint.interface[\"{ep}\"]")
            ),
            "unknown"
        );
    }
    assert_eq!(r["complete"], false);

    // The dev tfvars of the seed turn the NAT gateways off: they disappear (count = 0).
    let dev = cost(
        "cloudclearing",
        &[
            "--var-file",
            "tests/fixtures/seeds/cloudclearing/infra/terraform/terraform.tfvars.example",
        ],
    );
    assert!(
        !dev["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["type"] == "aws_nat_gateway")
    );
    assert_eq!(cents(&dev["total_monthly_cost"]), 510);
}
