//! The `logging` pack on the seed fixtures (`tests/fixtures/seeds/<name>/`) and on `examples/`:
//! exactly the findings below (rule, file:line, address), no undecided object, and none of the
//! rules that each README lists as a correct practice. Duplicates across root modules (morket's
//! staging and production both call the same modules) are counted once.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::{Row, repo_root, seed};

/// Findings and undecided objects of the logging pack on `dir`, with `settings`.
fn run(dir: &Path, settings: &toml::Table) -> (BTreeSet<Row>, BTreeSet<Row>) {
    let model = common::load_tree(dir);
    let out = common::run_rules(&model, settings, &common::whole_pack("logging"));
    let rows = out
        .findings
        .iter()
        .filter(|f| f.pack == "logging")
        .map(|f| common::finding_row(&model, dir, f))
        .collect();
    let undecided = out
        .unknowns
        .iter()
        .filter(|u| u.rule_id.starts_with("LOG"))
        .map(|u| common::row(&model, dir, &u.rule_id, u.span, &u.address))
        .collect();
    (rows, undecided)
}

fn check(dir: &Path, expected: &[(&str, &str, &str)], never: &[&str]) {
    let (got, undecided) = run(dir, &toml::Table::new());
    common::assert_rows(&dir.display().to_string(), &got, expected, never);
    // Undecided objects are allowed (a container `user` from a module input the seed leaves
    // unset), but none of them may also be a finding.
    for (r, l, a) in &got {
        assert!(
            !undecided.contains(&(r.clone(), l.clone(), a.clone())),
            "{}: {r} at {l} ({a}) is both a finding and undecided",
            dir.display()
        );
    }
}

#[test]
fn cloudclearing() {
    check(
        &seed("cloudclearing"),
        &[
            (
                "LOG023",
                "infra/terraform/modules/compute/main.tf:5",
                "module.compute.aws_ecr_repository.app",
            ),
            (
                "LOG029",
                "infra/terraform/modules/security/main.tf:15",
                "module.security.aws_secretsmanager_secret.gee_credentials",
            ),
            (
                "LOG029",
                "infra/terraform/modules/security/main.tf:21",
                "module.security.aws_secretsmanager_secret.api_keys",
            ),
        ],
        // flow logs, bucket versioning and access logging, ECR scan on push, Container
        // Insights, log group retention
        &["LOG001", "LOG007", "LOG008", "LOG018", "LOG022", "LOG028"],
    );
}

#[test]
fn marine_safety() {
    check(
        &seed("marine-safety"),
        &[
            (
                "LOG023",
                "infrastructure/terraform/app.tf:7",
                "aws_ecr_repository.api",
            ),
            (
                "LOG005",
                "infrastructure/terraform/app.tf:247",
                "aws_cloudfront_distribution.main",
            ),
            (
                "LOG006",
                "infrastructure/terraform/app.tf:247",
                "aws_cloudfront_distribution.main",
            ),
            (
                "LOG029",
                "infrastructure/terraform/data.tf:15",
                "aws_secretsmanager_secret.db",
            ),
            (
                "LOG012",
                "infrastructure/terraform/data.tf:33",
                "aws_db_instance.main",
            ),
            (
                "LOG029",
                "infrastructure/terraform/data.tf:80",
                "aws_secretsmanager_secret.redis",
            ),
            // the README's expected logging finding
            (
                "LOG028",
                "infrastructure/terraform/data.tf:90",
                "aws_cloudwatch_log_group.redis",
            ),
            (
                "LOG007",
                "infrastructure/terraform/data.tf:133",
                "aws_s3_bucket.main[\"backups\"]",
            ),
            (
                "LOG007",
                "infrastructure/terraform/data.tf:133",
                "aws_s3_bucket.main[\"exports\"]",
            ),
            (
                "LOG007",
                "infrastructure/terraform/data.tf:133",
                "aws_s3_bucket.main[\"raw-data\"]",
            ),
            (
                "LOG001",
                "infrastructure/terraform/main.tf:59",
                "aws_vpc.main",
            ),
        ],
        // RDS backups 14 days, deletion protection, log exports, Performance Insights; ALB
        // access logs, header dropping, deletion protection; bucket versioning; Redis
        // failover and snapshots; Container Insights
        &[
            "LOG002", "LOG003", "LOG004", "LOG008", "LOG009", "LOG010", "LOG011", "LOG013",
            "LOG014", "LOG015", "LOG018",
        ],
    );
}

#[test]
fn morket() {
    check(
        &seed("morket"),
        &[
            (
                "LOG004",
                "terraform/modules/alb/main.tf:9",
                "module.alb.aws_lb.this",
            ),
            (
                "LOG012",
                "terraform/modules/aurora/main.tf:26",
                "module.aurora.aws_rds_cluster.this",
            ),
            (
                "LOG029",
                "terraform/modules/clickhouse/main.tf:16",
                "module.clickhouse.aws_secretsmanager_secret.clickhouse",
            ),
            // the README's IMDSv2 finding (any pack)
            (
                "LOG024",
                "terraform/modules/clickhouse/main.tf:64",
                "module.clickhouse.aws_launch_template.clickhouse",
            ),
            // the README's expected logging finding
            (
                "LOG005",
                "terraform/modules/cloudfront/main.tf:19",
                "module.cloudfront.aws_cloudfront_distribution.frontend",
            ),
            (
                "LOG006",
                "terraform/modules/cloudfront/main.tf:19",
                "module.cloudfront.aws_cloudfront_distribution.frontend",
            ),
            (
                "LOG023",
                "terraform/modules/ecr/main.tf:5",
                "module.ecr.aws_ecr_repository.this[\"morket-backend\"]",
            ),
            (
                "LOG023",
                "terraform/modules/ecr/main.tf:5",
                "module.ecr.aws_ecr_repository.this[\"morket-frontend\"]",
            ),
            (
                "LOG023",
                "terraform/modules/ecr/main.tf:5",
                "module.ecr.aws_ecr_repository.this[\"morket-scraper\"]",
            ),
            (
                "LOG029",
                "terraform/modules/opensearch/main.tf:11",
                "module.opensearch.aws_secretsmanager_secret.master",
            ),
            (
                "LOG016",
                "terraform/modules/opensearch/main.tf:29",
                "module.opensearch.aws_opensearch_domain.this",
            ),
            (
                "LOG029",
                "terraform/modules/rabbitmq/main.tf:6",
                "module.rabbitmq.aws_secretsmanager_secret.rabbitmq",
            ),
            (
                "LOG029",
                "terraform/modules/redis/main.tf:23",
                "module.redis.aws_secretsmanager_secret.auth",
            ),
            (
                "LOG007",
                "terraform/modules/s3/main.tf:11",
                "module.s3.aws_s3_bucket.frontend",
            ),
            (
                "LOG007",
                "terraform/modules/s3/main.tf:44",
                "module.s3.aws_s3_bucket.exports",
            ),
            (
                "LOG008",
                "terraform/modules/s3/main.tf:44",
                "module.s3.aws_s3_bucket.exports",
            ),
            (
                "LOG007",
                "terraform/modules/s3/main.tf:72",
                "module.s3.aws_s3_bucket.alb_logs",
            ),
            (
                "LOG008",
                "terraform/modules/s3/main.tf:72",
                "module.s3.aws_s3_bucket.alb_logs",
            ),
            (
                "LOG029",
                "terraform/modules/secrets/main.tf:3",
                "module.secrets.aws_secretsmanager_secret.app[\"encryption-master-key\"]",
            ),
            (
                "LOG029",
                "terraform/modules/secrets/main.tf:3",
                "module.secrets.aws_secretsmanager_secret.app[\"jwt-secret\"]",
            ),
            (
                "LOG029",
                "terraform/modules/secrets/main.tf:3",
                "module.secrets.aws_secretsmanager_secret.app[\"service-api-key\"]",
            ),
            (
                "LOG029",
                "terraform/modules/secrets/main.tf:3",
                "module.secrets.aws_secretsmanager_secret.app[\"webhook-hmac-secret\"]",
            ),
        ],
        // ALB access logs, VPC flow logs, RabbitMQ general logs, Aurora log exports, 7-day
        // backups and deletion protection, ECR scan on push, Container Insights, log group
        // retention
        &[
            "LOG001", "LOG002", "LOG009", "LOG010", "LOG011", "LOG017", "LOG018", "LOG022",
            "LOG028",
        ],
    );
}

#[test]
fn ocean_dashboard() {
    check(
        &seed("ocean-dashboard"),
        &[
            // the README's IMDSv2 finding (any pack)
            (
                "LOG024",
                "infra/terraform/ec2.tf:16",
                "aws_instance.app_server",
            ),
            // the README's expected logging finding
            (
                "LOG030",
                "infra/terraform/lambda.tf:39",
                "aws_lambda_function.fetch_noaa",
            ),
            (
                "LOG029",
                "infra/terraform/secrets.tf:6",
                "aws_secretsmanager_secret.db_password",
            ),
            (
                "LOG029",
                "infra/terraform/secrets.tf:22",
                "aws_secretsmanager_secret.api_key",
            ),
        ],
        // the backend log group has a 7-day retention; the Lambda's secret is passed by ARN
        &["LOG026", "LOG028"],
    );
}

#[test]
fn spendsense() {
    check(
        &seed("spendsense"),
        &[
            (
                "LOG014",
                "terraform/main.tf:153",
                "aws_elasticache_cluster.redis",
            ),
            ("LOG007", "terraform/main.tf:163", "aws_s3_bucket.uploads"),
            (
                "LOG029",
                "terraform/main.tf:203",
                "aws_secretsmanager_secret.app[\"database-url\"]",
            ),
            (
                "LOG029",
                "terraform/main.tf:203",
                "aws_secretsmanager_secret.app[\"jwt-secret\"]",
            ),
            (
                "LOG029",
                "terraform/main.tf:203",
                "aws_secretsmanager_secret.app[\"oauth-credentials\"]",
            ),
            (
                "LOG029",
                "terraform/main.tf:203",
                "aws_secretsmanager_secret.app[\"redis-endpoint\"]",
            ),
            // the README's expected logging finding: no access logs, no header dropping
            (
                "LOG004",
                "terraform/modules/alb/main.tf:1",
                "module.alb.aws_lb.this",
            ),
            (
                "LOG002",
                "terraform/modules/alb/main.tf:3",
                "module.alb.aws_lb.this",
            ),
            (
                "LOG003",
                "terraform/modules/alb/main.tf:3",
                "module.alb.aws_lb.this",
            ),
            (
                "LOG011",
                "terraform/modules/rds/main.tf:16",
                "module.rds.aws_db_instance.this",
            ),
            (
                "LOG013",
                "terraform/modules/rds/main.tf:16",
                "module.rds.aws_db_instance.this",
            ),
            (
                "LOG012",
                "terraform/modules/rds/main.tf:18",
                "module.rds.aws_db_instance.this",
            ),
            // README: dev RDS deletion_protection = false is acceptable either way
            (
                "LOG010",
                "terraform/modules/rds/main.tf:40",
                "module.rds.aws_db_instance.this",
            ),
            (
                "LOG001",
                "terraform/modules/vpc/main.tf:5",
                "module.vpc.aws_vpc.this",
            ),
        ],
        // 30-day RDS backups, split-resource versioning, 30-day log group retention
        &["LOG008", "LOG009", "LOG028"],
    );
}

#[test]
fn examples() {
    check(
        &repo_root().join("examples/terraform"),
        &[
            ("LOG002", "alb.tf:27", "aws_lb.main"),
            ("LOG028", "ecs.tf:17", "aws_cloudwatch_log_group.migrations"),
            ("LOG007", "storage.tf:1", "aws_s3_bucket.uploads"),
        ],
        // VPC flow log, RDS log exports / IAM auth / Performance Insights, the container
        // definition (partly known: its image URI is computed) with no root user or secrets
        &[
            "LOG001", "LOG011", "LOG012", "LOG013", "LOG020", "LOG021", "LOG025",
        ],
    );
    // Every logging rule decides on the example stack: nothing is left undecided.
    let (_, undecided) = run(&repo_root().join("examples/terraform"), &toml::Table::new());
    assert!(undecided.is_empty(), "undecided: {undecided:#?}");
}

/// `[logging] rds_min_backup_retention_days` moves LOG009's threshold.
#[test]
fn rds_retention_threshold_from_settings() {
    let dir = repo_root().join("tests/fixtures/rules/LOG009/bad");
    let ids = |settings: &toml::Table| -> BTreeSet<String> {
        run(&dir, settings)
            .0
            .into_iter()
            .filter(|(r, _, _)| r == "LOG009")
            .map(|(_, _, a)| a)
            .collect()
    };
    let all: BTreeSet<String> = [
        "aws_db_instance.absent",
        "aws_db_instance.zero",
        "aws_db_instance.from_var",
        "aws_rds_cluster.aurora",
        "aws_rds_cluster.aurora_default",
    ]
    .map(String::from)
    .into();
    assert_eq!(ids(&toml::Table::new()), all);
    let with_min = |n: i64| -> toml::Table {
        toml::from_str(&format!("[logging]\nrds_min_backup_retention_days = {n}\n")).unwrap()
    };
    // At 1 day, only the explicit 0 falls short (absent means AWS's 1-day default).
    assert_eq!(
        ids(&with_min(1)),
        BTreeSet::from(["aws_db_instance.zero".to_string()])
    );
    // At 2, everything below 2 days, including the 1-day default.
    assert_eq!(
        ids(&with_min(2)),
        [
            "aws_db_instance.absent",
            "aws_db_instance.zero",
            "aws_rds_cluster.aurora",
            "aws_rds_cluster.aurora_default"
        ]
        .map(String::from)
        .into()
    );
}
