//! One module per AWS service: evaluated resource → cost components.

use super::Outcome;
use super::context::{Ctx, Unknown};

pub mod cloudfront;
pub mod cloudwatch;
pub mod dynamodb;
pub mod ebs;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod eks;
pub mod elasticache;
pub mod elb;
pub mod kms;
pub mod lambda;
pub mod mq;
pub mod opensearch;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod secretsmanager;
pub mod sns;
pub mod sqs;
pub mod vpc;

/// A cost function. `Err` means an input the cost depends on is unknown.
pub type CostFn = fn(&Ctx) -> Result<Outcome, Unknown>;

/// How infralint treats a resource type.
pub enum Kind {
    Priced(CostFn),
    Free(&'static str),
}

/// Priced resource types and their cost functions.
pub const PRICED: &[(&str, CostFn)] = &[
    ("aws_instance", ec2::instance),
    ("aws_ebs_volume", ebs::volume),
    ("aws_eip", vpc::eip),
    ("aws_nat_gateway", vpc::nat_gateway),
    ("aws_vpc_endpoint", vpc::endpoint),
    (
        "aws_ec2_transit_gateway_vpc_attachment",
        vpc::transit_gateway_vpc_attachment,
    ),
    ("aws_vpn_connection", vpc::vpn_connection),
    ("aws_lb", elb::load_balancer),
    ("aws_alb", elb::load_balancer),
    ("aws_elb", elb::classic),
    ("aws_db_instance", rds::db_instance),
    ("aws_rds_cluster", rds::cluster),
    ("aws_rds_cluster_instance", rds::cluster_instance),
    ("aws_elasticache_cluster", elasticache::cluster),
    (
        "aws_elasticache_replication_group",
        elasticache::replication_group,
    ),
    ("aws_ecs_service", ecs::service),
    ("aws_lambda_function", lambda::function),
    ("aws_s3_bucket", s3::bucket),
    ("aws_cloudwatch_log_group", cloudwatch::log_group),
    ("aws_cloudwatch_metric_alarm", cloudwatch::metric_alarm),
    ("aws_cloudwatch_dashboard", cloudwatch::dashboard),
    ("aws_kms_key", kms::key),
    ("aws_secretsmanager_secret", secretsmanager::secret),
    ("aws_route53_zone", route53::zone),
    ("aws_route53_resolver_endpoint", route53::resolver_endpoint),
    ("aws_opensearch_domain", opensearch::domain),
    ("aws_elasticsearch_domain", opensearch::domain),
    ("aws_mq_broker", mq::broker),
    ("aws_ecr_repository", ecr::repository),
    ("aws_cloudfront_distribution", cloudfront::distribution),
    ("aws_dynamodb_table", dynamodb::table),
    ("aws_sns_topic", sns::topic),
    ("aws_sqs_queue", sqs::queue),
    ("aws_efs_file_system", efs::file_system),
    ("aws_eks_cluster", eks::cluster),
    ("aws_eks_node_group", eks::node_group),
    ("aws_autoscaling_group", ec2::autoscaling_group),
];

const FREE_REASON: &str = "no charge of its own";

/// Resource types that cost nothing by themselves.
const FREE: &[&str] = &[
    "aws_acm_certificate",
    "aws_acm_certificate_validation",
    "aws_alb_listener",
    "aws_alb_listener_rule",
    "aws_alb_target_group",
    "aws_alb_target_group_attachment",
    "aws_appautoscaling_policy",
    "aws_appautoscaling_target",
    "aws_autoscaling_attachment",
    "aws_autoscaling_policy",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
    "aws_cloudwatch_log_resource_policy",
    "aws_cloudwatch_log_subscription_filter",
    "aws_cloudwatch_log_metric_filter",
    "aws_db_option_group",
    "aws_db_parameter_group",
    "aws_db_subnet_group",
    "aws_default_network_acl",
    "aws_default_route_table",
    "aws_default_security_group",
    "aws_default_subnet",
    "aws_default_vpc",
    "aws_dynamodb_table_item",
    "aws_ecr_lifecycle_policy",
    "aws_ecr_repository_policy",
    "aws_ecs_cluster",
    "aws_ecs_cluster_capacity_providers",
    "aws_ecs_task_definition",
    "aws_egress_only_internet_gateway",
    "aws_eip_association",
    "aws_elasticache_parameter_group",
    "aws_elasticache_subnet_group",
    "aws_internet_gateway",
    "aws_key_pair",
    "aws_kms_alias",
    "aws_lambda_alias",
    "aws_lambda_event_source_mapping",
    "aws_lambda_permission",
    "aws_launch_configuration",
    "aws_launch_template",
    "aws_lb_listener",
    "aws_lb_listener_certificate",
    "aws_lb_listener_rule",
    "aws_lb_target_group",
    "aws_lb_target_group_attachment",
    "aws_main_route_table_association",
    "aws_network_acl",
    "aws_network_acl_association",
    "aws_network_acl_rule",
    "aws_placement_group",
    "aws_rds_cluster_parameter_group",
    "aws_route",
    "aws_route53_record",
    "aws_route53_zone_association",
    "aws_route_table",
    "aws_route_table_association",
    "aws_secretsmanager_secret_policy",
    "aws_secretsmanager_secret_rotation",
    "aws_secretsmanager_secret_version",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_service_discovery_private_dns_namespace",
    "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
    "aws_sqs_queue_policy",
    "aws_sqs_queue_redrive_policy",
    "aws_ssm_parameter",
    "aws_subnet",
    "aws_volume_attachment",
    "aws_vpc",
    "aws_vpc_dhcp_options",
    "aws_vpc_dhcp_options_association",
    "aws_vpc_endpoint_route_table_association",
    "aws_vpc_endpoint_subnet_association",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_ipv4_cidr_block_association",
];

/// Free type-name prefixes (IAM, S3 bucket sub-configurations, non-AWS utility providers).
const FREE_PREFIXES: &[&str] = &[
    "aws_iam_",
    "aws_s3_bucket_",
    "random_",
    "null_",
    "terraform_",
    "tls_",
    "time_",
    "local_",
    "archive_",
];

/// How `type_name` is treated; `None` when infralint does not price it.
pub fn classify(type_name: &str) -> Option<Kind> {
    if let Some((_, f)) = PRICED.iter().find(|(t, _)| *t == type_name) {
        return Some(Kind::Priced(*f));
    }
    if FREE.contains(&type_name) || FREE_PREFIXES.iter().any(|p| type_name.starts_with(p)) {
        return Some(Kind::Free(FREE_REASON));
    }
    None
}

/// `n` formatted without a useless fraction (`2`, `0.25`).
pub(crate) fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
