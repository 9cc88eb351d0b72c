//! The `encryption` pack on the seed fixtures (`tests/fixtures/seeds/<name>/`): exactly the
//! findings each seed's README lists for this pack, at file:line, and none on the practices the
//! READMEs list as correct (encrypted Aurora, Redis with TLS and AUTH, OpenSearch with KMS, …).
//! The pack's default selection is used (`--select encryption`: opt-in rules stay off).

use std::path::{Path, PathBuf};

use infralint::eval::EvalOptions;
use infralint::pipeline::{self, LoadOptions};
use infralint::rules::engine::{self, Selection};
use infralint::rules::load;

fn seed_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name)
}

/// `rule_id path:line address` for every finding of the pack, sorted, paths relative to the seed.
fn findings(name: &str) -> Vec<String> {
    let dir = seed_dir(name);
    let model = pipeline::load(&LoadOptions {
        paths: vec![dir.clone()],
        eval: EvalOptions {
            allowed_roots: vec![dir.clone()],
            ..EvalOptions::default()
        },
        ..LoadOptions::default()
    })
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let registry = load::load_registry(&[]).unwrap();
    let selection = Selection {
        select: vec!["encryption".to_string()],
        ..Selection::default()
    };
    let out = engine::run(&model, &registry, &toml::Table::new(), &selection).unwrap();
    let mut lines: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.rule_id.starts_with("ENC"))
        .map(|f| {
            let file = model.sources.get(f.span.file);
            let pos = file.line_col(f.span.start);
            let path = file.path.strip_prefix(&dir).unwrap_or(&file.path);
            format!(
                "{} {}:{} {}",
                f.rule_id,
                path.to_string_lossy().replace('\\', "/"),
                pos.line,
                f.address.as_deref().unwrap_or("-")
            )
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

#[test]
fn cloudclearing() {
    // KMS everywhere, rotated keys, Secrets Manager with a CMK, SSE-KMS data lake: nothing.
    assert_eq!(findings("cloudclearing"), Vec::<String>::new());
}

#[test]
fn spendsense() {
    assert_eq!(
        findings("spendsense"),
        [
            "ENC007 terraform/main.tf:153 aws_elasticache_cluster.redis",
            "ENC009 terraform/modules/alb/main.tf:31 module.alb.aws_lb_listener.https",
        ]
    );
}

#[test]
fn ocean_dashboard() {
    assert_eq!(
        findings("ocean-dashboard"),
        ["ENC014 infra/terraform/ec2.tf:17 aws_instance.app_server"]
    );
}

#[test]
fn morket() {
    // The launch template is reported once per root (staging, production), same file:line;
    // encrypted Aurora, Redis (KMS, TLS, AUTH) and OpenSearch give nothing.
    assert_eq!(
        findings("morket"),
        [
            "ENC014 terraform/modules/clickhouse/main.tf:64 module.clickhouse.aws_launch_template.clickhouse"
        ]
    );
}

#[test]
fn marine_safety() {
    // Redis with KMS at rest, TLS and AUTH, and the encrypted RDS give nothing.
    assert_eq!(
        findings("marine-safety"),
        [
            "ENC008 infrastructure/terraform/app.tf:218 aws_lb_listener.http",
            "ENC011 infrastructure/terraform/app.tf:261 aws_cloudfront_distribution.main",
            "ENC023 infrastructure/terraform/app.tf:5 aws_ecr_repository.api",
        ]
    );
}
