//! The `image-size` pack on the seed fixtures (`tests/fixtures/seeds/<name>/`): the estimate of
//! each Dockerfile's final image (range, contributors, unknown parts) and exactly the findings
//! listed in each README, none of the rules the READMEs list as correct practices, and the
//! budget rule (IMG001) with the seeds' own "<500MB" target.

use std::collections::BTreeSet;
use std::path::Path;

use infralint::image_size::{Estimate, PartKind, estimate_all};

mod common;
use common::seed;

type Rows = BTreeSet<(String, String)>;

/// `(rule, file:line)` of the pack's findings, and of its undecided items.
fn run(dir: &Path, settings: &toml::Table) -> (Rows, Rows) {
    let model = common::load_tree(dir);
    let out = common::run_rules(&model, settings, &common::whole_pack("image-size"));
    let found = out
        .findings
        .iter()
        .filter(|f| f.pack == "image-size")
        .map(|f| (f.rule_id.clone(), common::location(&model, dir, f.span)))
        .collect();
    let undecided = out
        .unknowns
        .iter()
        .filter(|u| u.rule_id.starts_with("IMG"))
        .map(|u| (u.rule_id.clone(), common::location(&model, dir, u.span)))
        .collect();
    (found, undecided)
}

fn rows(list: &[(&str, &str)]) -> Rows {
    list.iter()
        .map(|(r, l)| (r.to_string(), l.to_string()))
        .collect()
}

fn budget(mb: i64) -> toml::Table {
    toml::from_str(&format!("[image]\nbudget_mb = {mb}\n")).unwrap()
}

fn estimate(dir: &Path, file: &str) -> Estimate {
    let m = common::load_tree(dir);
    estimate_all(&m)
        .into_iter()
        .find(|e| e.file.ends_with(file))
        .unwrap_or_else(|| panic!("no estimate for {file}"))
}

fn unknown_labels(e: &Estimate) -> Vec<String> {
    e.unknown().iter().map(|p| p.label.clone()).collect()
}

#[test]
fn cloudclearing_estimate_includes_the_reported_2_36_gb() {
    let e = estimate(&seed("cloudclearing"), "Dockerfile");
    let total = e.known();
    // The seed's design doc: "Image size: 2.36GB (above target, optimization needed)".
    assert!(
        total.lo <= 2360.0 && 2360.0 <= total.hi,
        "{total:?}: {}",
        e.summary()
    );
    assert!(total.lo > 1000.0, "{}", e.summary());
    // Base from the table, the GDAL runtime install, the venv copied from the builder.
    let base = &e.parts[0];
    assert_eq!(
        (base.kind, base.label.as_str()),
        (PartKind::Base, "python:3.10-slim")
    );
    assert!(base.size.is_some());
    let apt = e
        .parts
        .iter()
        .find(|p| p.label.starts_with("apt: gdal-bin"))
        .unwrap();
    let apt_size = apt.size.unwrap();
    assert!(apt_size.lo > 700.0 && apt_size.hi < 1300.0, "{apt_size:?}");
    assert_eq!(
        apt.build_tools,
        [
            "libgdal-dev",
            "libgeos-dev",
            "libproj-dev",
            "libspatialindex-dev"
        ]
    );
    let venv = e
        .parts
        .iter()
        .find(|p| p.label == "COPY --from=builder /opt/venv")
        .unwrap();
    assert!(venv.size.is_some_and(|s| s.lo > 100.0), "{venv:?}");
    // The application sources are not part of the fixture: unknown, not zero.
    // `chown -R /app` at :71 copies those unknown files again: unknown too.
    assert_eq!(
        unknown_labels(&e),
        [
            "COPY src/",
            "COPY config/",
            "chown -R /app (copies earlier layers again)"
        ]
    );
}

#[test]
fn cloudclearing_findings() {
    let dir = seed("cloudclearing");
    let (found, undecided) = run(&dir, &toml::Table::new());
    assert_eq!(
        found,
        rows(&[("IMG002", "Dockerfile:42"), ("IMG006", "Dockerfile:71")])
    );
    assert!(undecided.is_empty(), "{undecided:?}");
    // With the seed's own target (<500MB) the low end alone is over budget.
    let (found, _) = run(&dir, &budget(500));
    assert!(
        found.contains(&("IMG001".into(), "Dockerfile:35".into())),
        "{found:?}"
    );
}

#[test]
fn spendsense_estimate_and_no_findings() {
    let dir = seed("spendsense");
    let e = estimate(&dir, "Dockerfile");
    // python:3.11.7-slim is not in the table: the 3.11-slim figure with a ±10% range.
    let base = &e.parts[0];
    assert_eq!(base.label, "python:3.11.7-slim");
    let r = base.size.unwrap();
    assert!(r.lo < 124.84 && r.hi > 124.84, "{r:?}");
    // requirements.txt is not part of the seed: what the builder leaves in /root/.local is unknown.
    assert_eq!(unknown_labels(&e), ["COPY --from=builder /root/.local"]);
    // Multi-stage, --no-cache-dir, slim base, .dockerignore: only the `chown -R /app` after
    // `COPY . .`, which stores the application twice.
    let (found, undecided) = run(&dir, &toml::Table::new());
    assert_eq!(found, rows(&[("IMG006", "Dockerfile:14")]));
    assert!(undecided.is_empty(), "{undecided:?}");
    // Against the seed's <500MB target the known part fits, the rest is unknown: undecided.
    let (found, undecided) = run(&dir, &budget(500));
    assert!(!found.iter().any(|(r, _)| r == "IMG001"), "{found:?}");
    assert_eq!(undecided, rows(&[("IMG001", "Dockerfile:8")]));
}

#[test]
fn morket_estimates_and_findings() {
    let dir = seed("morket");
    // node:20-alpine and nginxinc/nginx-unprivileged have no published size in the table.
    let backend = estimate(&dir, "backend.Dockerfile");
    assert!(!backend.base_known());
    assert!(unknown_labels(&backend).contains(&"node:20-alpine".to_string()));
    let frontend = estimate(&dir, "frontend.Dockerfile");
    assert!(!frontend.base_known());
    // nginx.conf is found in the repository-root context the workflow builds with.
    let conf = frontend
        .parts
        .iter()
        .find(|p| p.label == "COPY docker/nginx.conf")
        .unwrap();
    assert!(conf.size.is_some());
    // The scraper: Chromium dominates, twice (installed, then `chown -R` of its directory).
    let scraper = estimate(&dir, "scraper.Dockerfile");
    let total = scraper.known();
    assert!(
        total.lo > 800.0 && total.hi < 2500.0,
        "{}",
        scraper.summary()
    );
    assert!(scraper.summary().contains("playwright install chromium"));
    assert!(scraper.summary().contains("chown -R /ms-playwright"));
    let (found, undecided) = run(&dir, &toml::Table::new());
    assert_eq!(
        found,
        rows(&[
            ("IMG004", "docker/scraper.Dockerfile:26"),
            ("IMG005", "docker/scraper.Dockerfile:23"),
            ("IMG006", "docker/scraper.Dockerfile:32"),
        ])
    );
    assert!(undecided.is_empty(), "{undecided:?}");
}

#[test]
fn marine_safety_findings() {
    let dir = seed("marine-safety");
    let (found, undecided) = run(&dir, &toml::Table::new());
    // `rm -rf /wheels` in the RUN after `COPY --from=builder /wheels`. pip installs local wheels
    // only, so its download cache stays empty: no IMG004.
    assert_eq!(found, rows(&[("IMG005", "Dockerfile:20")]));
    assert!(undecided.is_empty(), "{undecided:?}");
}

#[test]
fn ocean_dashboard_findings() {
    let dir = seed("ocean-dashboard");
    let (found, undecided) = run(&dir, &toml::Table::new());
    assert_eq!(
        found,
        rows(&[
            ("IMG002", "infra/docker/Dockerfile.backend:8"),
            ("IMG004", "infra/docker/Dockerfile.backend:8"),
            ("IMG004", "infra/docker/Dockerfile.backend:14"),
            ("IMG003", "infra/docker/Dockerfile.frontend:1"),
            ("IMG004", "infra/docker/Dockerfile.frontend:6"),
        ])
    );
    assert!(undecided.is_empty(), "{undecided:?}");
    let backend = estimate(&dir, "Dockerfile.backend");
    let apt = backend
        .parts
        .iter()
        .find(|p| p.label.starts_with("apt: build-essential"))
        .unwrap();
    assert_eq!(apt.build_tools, ["build-essential", "libpq-dev"]);
}
