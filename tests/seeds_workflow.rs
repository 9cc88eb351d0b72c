//! The `workflow` pack on the seed fixtures (`tests/fixtures/seeds/<name>/`), with the default
//! rule selection (opt-in rules stay off, as for a user without a config): exactly
//! the findings below (rule, file:line, address), and none of the rules that each README lists as
//! a correct practice.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::{Row, seed};

/// Findings of the pack's default-enabled rules on `dir`.
fn run(dir: &Path) -> BTreeSet<Row> {
    common::pack_default_rows("workflow", dir)
}

fn check(name: &str, expected: &[(&str, &str, &str)], never: &[&str]) -> BTreeSet<Row> {
    common::check_seed_pack("workflow", name, expected, never)
}

#[test]
fn cloudclearing() {
    check(
        "cloudclearing",
        &[
            (
                "GHA006",
                ".github/workflows/docker-build-push.yml:31",
                "jobs.build",
            ),
            (
                "GHA014",
                ".github/workflows/docker-build-push.yml:31",
                "jobs.build",
            ),
            (
                "GHA002",
                ".github/workflows/docker-build-push.yml:36",
                "jobs.build.steps[0]",
            ),
            (
                "GHA009",
                ".github/workflows/docker-build-push.yml:36",
                "jobs.build.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/docker-build-push.yml:39",
                "jobs.build.steps[1]",
            ),
            (
                "GHA001",
                ".github/workflows/docker-build-push.yml:42",
                "jobs.build.steps[2]",
            ),
            (
                "GHA002",
                ".github/workflows/docker-build-push.yml:68",
                "jobs.build.steps[6]",
            ),
            (
                "GHA006",
                ".github/workflows/docker-build-push.yml:74",
                "jobs.push-to-ecr",
            ),
            (
                "GHA014",
                ".github/workflows/docker-build-push.yml:74",
                "jobs.push-to-ecr",
            ),
            (
                "GHA002",
                ".github/workflows/docker-build-push.yml:81",
                "jobs.push-to-ecr.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/docker-build-push.yml:89",
                "jobs.push-to-ecr.steps[2]",
            ),
            (
                "GHA008",
                ".github/workflows/docker-build-push.yml:91",
                "jobs.push-to-ecr.steps[2]",
            ),
            (
                "GHA001",
                ".github/workflows/docker-build-push.yml:97",
                "jobs.push-to-ecr.steps[3]",
            ),
            (
                "GHA014",
                ".github/workflows/docker-build-push.yml:109",
                "jobs.security-scan",
            ),
            (
                "GHA002",
                ".github/workflows/docker-build-push.yml:118",
                "jobs.security-scan.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/docker-build-push.yml:126",
                "jobs.security-scan.steps[2]",
            ),
            (
                "GHA002",
                ".github/workflows/docker-build-push.yml:134",
                "jobs.security-scan.steps[3]",
            ),
        ],
        // security-scan grants `security-events: write` for upload-sarif; no attacker-controlled
        // context in run:
        &["GHA003", "GHA011"],
    );
}

#[test]
fn spendsense() {
    // The seed's workflow (with the `with:` keys the seed omits): Node 16 majors.
    check(
        "spendsense",
        &[
            ("GHA006", ".github/workflows/deploy.yml:17", "jobs.test"),
            ("GHA014", ".github/workflows/deploy.yml:17", "jobs.test"),
            (
                "GHA002",
                ".github/workflows/deploy.yml:20",
                "jobs.test.steps[0]",
            ),
            (
                "GHA012",
                ".github/workflows/deploy.yml:20",
                "jobs.test.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/deploy.yml:21",
                "jobs.test.steps[1]",
            ),
            (
                "GHA012",
                ".github/workflows/deploy.yml:21",
                "jobs.test.steps[1]",
            ),
            (
                "GHA006",
                ".github/workflows/deploy.yml:29",
                "jobs.build-and-deploy",
            ),
            (
                "GHA014",
                ".github/workflows/deploy.yml:29",
                "jobs.build-and-deploy",
            ),
            (
                "GHA002",
                ".github/workflows/deploy.yml:34",
                "jobs.build-and-deploy.steps[0]",
            ),
            (
                "GHA012",
                ".github/workflows/deploy.yml:34",
                "jobs.build-and-deploy.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:36",
                "jobs.build-and-deploy.steps[1]",
            ),
            (
                "GHA012",
                ".github/workflows/deploy.yml:36",
                "jobs.build-and-deploy.steps[1]",
            ),
            (
                "GHA008",
                ".github/workflows/deploy.yml:38",
                "jobs.build-and-deploy.steps[1]",
            ),
        ],
        &["GHA003", "GHA005", "GHA010"],
    );
}

#[test]
fn marine_safety() {
    check(
        "marine-safety",
        &[
            ("GHA006", ".github/workflows/ci-cd.yml:15", "jobs.lint"),
            ("GHA014", ".github/workflows/ci-cd.yml:15", "jobs.lint"),
            (
                "GHA002",
                ".github/workflows/ci-cd.yml:18",
                "jobs.lint.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/ci-cd.yml:19",
                "jobs.lint.steps[1]",
            ),
            ("GHA006", ".github/workflows/ci-cd.yml:28", "jobs.test"),
            ("GHA014", ".github/workflows/ci-cd.yml:28", "jobs.test"),
            // `services:` images on version tags, not digests
            ("GHA016", ".github/workflows/ci-cd.yml:33", "jobs.test"),
            ("GHA016", ".github/workflows/ci-cd.yml:43", "jobs.test"),
            (
                "GHA002",
                ".github/workflows/ci-cd.yml:47",
                "jobs.test.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/ci-cd.yml:48",
                "jobs.test.steps[1]",
            ),
            (
                "GHA006",
                ".github/workflows/ci-cd.yml:58",
                "jobs.build-and-deploy",
            ),
            (
                "GHA014",
                ".github/workflows/ci-cd.yml:58",
                "jobs.build-and-deploy",
            ),
            (
                "GHA002",
                ".github/workflows/ci-cd.yml:66",
                "jobs.build-and-deploy.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/ci-cd.yml:69",
                "jobs.build-and-deploy.steps[1]",
            ),
            (
                "GHA008",
                ".github/workflows/ci-cd.yml:71",
                "jobs.build-and-deploy.steps[1]",
            ),
            (
                "GHA001",
                ".github/workflows/ci-cd.yml:77",
                "jobs.build-and-deploy.steps[2]",
            ),
            (
                "GHA001",
                ".github/workflows/ci-cd.yml:90",
                "jobs.build-and-deploy.steps[4]",
            ),
            (
                "GHA001",
                ".github/workflows/ci-cd.yml:139",
                "jobs.build-and-deploy.steps[10]",
            ),
        ],
        // the CI-only Postgres password in `services:` is not an echoed secret
        &["GHA003", "GHA005", "GHA010"],
    );
}

#[test]
fn morket() {
    // ci.yml sets read-only top-level permissions (no GHA006 there); deploy.yml sets none.
    check(
        "morket",
        &[
            ("GHA014", ".github/workflows/ci.yml:16", "jobs.changes"),
            (
                "GHA002",
                ".github/workflows/ci.yml:24",
                "jobs.changes.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/ci.yml:25",
                "jobs.changes.steps[1]",
            ),
            ("GHA014", ".github/workflows/ci.yml:38", "jobs.backend"),
            (
                "GHA002",
                ".github/workflows/ci.yml:46",
                "jobs.backend.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/ci.yml:47",
                "jobs.backend.steps[1]",
            ),
            ("GHA014", ".github/workflows/ci.yml:57", "jobs.scraper"),
            (
                "GHA002",
                ".github/workflows/ci.yml:65",
                "jobs.scraper.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/ci.yml:66",
                "jobs.scraper.steps[1]",
            ),
            ("GHA014", ".github/workflows/ci.yml:77", "jobs.frontend"),
            (
                "GHA002",
                ".github/workflows/ci.yml:85",
                "jobs.frontend.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/ci.yml:86",
                "jobs.frontend.steps[1]",
            ),
            ("GHA014", ".github/workflows/ci.yml:96", "jobs.terraform"),
            (
                "GHA002",
                ".github/workflows/ci.yml:107",
                "jobs.terraform.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/ci.yml:108",
                "jobs.terraform.steps[1]",
            ),
            (
                "GHA002",
                ".github/workflows/ci.yml:111",
                "jobs.terraform.steps[2]",
            ),
            (
                "GHA001",
                ".github/workflows/ci.yml:116",
                "jobs.terraform.steps[3]",
            ),
            (
                "GHA008",
                ".github/workflows/ci.yml:118",
                "jobs.terraform.steps[3]",
            ),
            ("GHA006", ".github/workflows/deploy.yml:15", "jobs.build"),
            ("GHA014", ".github/workflows/deploy.yml:15", "jobs.build"),
            (
                "GHA002",
                ".github/workflows/deploy.yml:22",
                "jobs.build.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:25",
                "jobs.build.steps[1]",
            ),
            (
                "GHA008",
                ".github/workflows/deploy.yml:27",
                "jobs.build.steps[1]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:33",
                "jobs.build.steps[2]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:35",
                "jobs.build.steps[3]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:38",
                "jobs.build.steps[4]",
            ),
            ("GHA006", ".github/workflows/deploy.yml:49", "jobs.deploy"),
            ("GHA014", ".github/workflows/deploy.yml:49", "jobs.deploy"),
            (
                "GHA002",
                ".github/workflows/deploy.yml:56",
                "jobs.deploy.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:59",
                "jobs.deploy.steps[1]",
            ),
            (
                "GHA008",
                ".github/workflows/deploy.yml:61",
                "jobs.deploy.steps[1]",
            ),
            (
                "GHA006",
                ".github/workflows/deploy.yml:110",
                "jobs.frontend",
            ),
            (
                "GHA014",
                ".github/workflows/deploy.yml:110",
                "jobs.frontend",
            ),
            (
                "GHA002",
                ".github/workflows/deploy.yml:115",
                "jobs.frontend.steps[0]",
            ),
            (
                "GHA002",
                ".github/workflows/deploy.yml:116",
                "jobs.frontend.steps[1]",
            ),
            (
                "GHA001",
                ".github/workflows/deploy.yml:125",
                "jobs.frontend.steps[3]",
            ),
            (
                "GHA008",
                ".github/workflows/deploy.yml:127",
                "jobs.frontend.steps[3]",
            ),
        ],
        // `github.event.pull_request.head.sha` in run: is a hex SHA, not attacker text
        &["GHA003", "GHA005", "GHA007"],
    );
}

#[test]
fn ocean_dashboard() {
    check(
        "ocean-dashboard",
        &[
            (
                "GHA006",
                ".github/workflows/build-push.yml:14",
                "jobs.build-push",
            ),
            (
                "GHA014",
                ".github/workflows/build-push.yml:14",
                "jobs.build-push",
            ),
            (
                "GHA002",
                ".github/workflows/build-push.yml:20",
                "jobs.build-push.steps[0]",
            ),
            (
                "GHA001",
                ".github/workflows/build-push.yml:23",
                "jobs.build-push.steps[1]",
            ),
            (
                "GHA008",
                ".github/workflows/build-push.yml:25",
                "jobs.build-push.steps[1]",
            ),
            (
                "GHA006",
                ".github/workflows/build-push.yml:41",
                "jobs.restart",
            ),
            (
                "GHA014",
                ".github/workflows/build-push.yml:41",
                "jobs.restart",
            ),
            (
                "GHA001",
                ".github/workflows/build-push.yml:46",
                "jobs.restart.steps[0]",
            ),
        ],
        // `matrix.component` in run: comes from the workflow's own matrix
        &["GHA003", "GHA010"],
    );
}

/// Every seed hands long-lived AWS keys to `aws-actions/configure-aws-credentials`.
#[test]
fn every_seed_passing_aws_keys_is_found() {
    for name in [
        "cloudclearing",
        "spendsense",
        "ocean-dashboard",
        "morket",
        "marine-safety",
    ] {
        let got = run(&seed(name));
        assert!(
            got.iter().any(|(r, _, _)| r == "GHA008"),
            "{name}: no GHA008 in {got:#?}"
        );
    }
}
