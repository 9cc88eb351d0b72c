//! The shared AWS views (`infralint::rules::aws`): S3 buckets merged with their split
//! resources, and security group rules normalized and attached to their group.

use infralint::ir::Model;
use infralint::rules::aws::{s3, security_groups as sg};
use infralint::rules::iam_policy::Tri;

mod common;

fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Model) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let model = common::load_tree(dir.path());
    (dir, model)
}

fn addr(model: &Model, i: usize) -> &str {
    &model.objects[i].address
}

#[test]
fn s3_view_links_split_resources_by_reference_and_by_name() {
    let (_d, model) = load(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "a" {
  bucket = "bucket-a"
  acl    = "private"
}
resource "aws_s3_bucket" "b" {
  bucket = "bucket-b"
}
resource "aws_s3_bucket_acl" "a" {
  bucket = aws_s3_bucket.a.id
  acl    = "public-read"
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket            = "bucket-b"
  block_public_acls = true
}
resource "aws_s3_bucket_policy" "elsewhere" {
  bucket = "not-in-this-stack"
  policy = "{}"
}
resource "aws_s3_bucket_ownership_controls" "a" {
  bucket = aws_s3_bucket.a.bucket
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
"#,
    )]);
    let view = s3::view(&model);
    assert_eq!(view.buckets.len(), 2);
    let a = &view.buckets[0];
    assert_eq!(a.name, Some("bucket-a"));
    let acls: Vec<(&str, &str)> = a
        .acls
        .iter()
        .map(|(i, v)| (addr(&model, *i), v.as_str().unwrap()))
        .collect();
    assert_eq!(
        acls,
        [
            ("aws_s3_bucket.a", "private"),
            ("aws_s3_bucket_acl.a", "public-read")
        ]
    );
    assert_eq!(a.ownership_controls.len(), 1);
    let b = &view.buckets[1];
    assert_eq!(
        b.public_access_blocks
            .iter()
            .map(|i| addr(&model, *i))
            .collect::<Vec<_>>(),
        ["aws_s3_bucket_public_access_block.b"]
    );
    assert_eq!(
        view.orphans
            .iter()
            .map(|i| addr(&model, *i))
            .collect::<Vec<_>>(),
        ["aws_s3_bucket_policy.elsewhere"]
    );
}

#[test]
fn security_group_rules_are_normalized_and_attached() {
    let (_d, model) = load(&[(
        "main.tf",
        r#"
variable "port" {
  type = number
}
resource "aws_security_group" "web" {
  description = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "app" {
  type                     = "ingress"
  security_group_id        = aws_security_group.web.id
  from_port                = var.port
  to_port                  = var.port
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.web.id
}
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}
"#,
    )]);
    let rules = sg::rules(&model);
    assert_eq!(rules.len(), 3);
    let web = model
        .by_address(&model.objects[rules[0].object].qualified_address())
        .unwrap();
    assert!(rules.iter().all(|r| r.group == Some(web)));

    let inline = &rules[0];
    assert_eq!(inline.inline, Some(("ingress", 0)));
    assert_eq!(inline.direction, sg::Direction::Ingress);
    assert_eq!(inline.covers_port(443), Some(true));
    assert_eq!(inline.covers_port(22), Some(false));
    assert_eq!(inline.internet_cidr().unwrap().text, "0.0.0.0/0");
    assert_eq!(inline.description, Some(None));

    let app = &rules[1];
    assert!(matches!(app.protocol, Tri::Known(sg::Protocol::Tcp)));
    assert_eq!(
        app.covers_port(22),
        None,
        "port from a variable without value"
    );
    assert_eq!(app.security_groups, ["aws_security_group.web"]);
    assert!(app.cidrs.is_empty());

    let egress = &rules[2];
    assert_eq!(egress.direction, sg::Direction::Egress);
    assert_eq!(egress.all_ports(), Some(true));
    assert!(egress.internet_cidr().is_some());
}
