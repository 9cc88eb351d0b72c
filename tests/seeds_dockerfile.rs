//! The `dockerfile` pack on the seed fixtures (`tests/fixtures/seeds/<name>/`), with the default
//! rule selection (opt-in rules such as DF004 (digest pins) stay off, as for a user without a config): exactly
//! the findings below (rule, file:line, address), and none of the rules that each README lists as
//! a correct practice.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::{Row, seed};

/// Findings of the pack's default-enabled rules on `dir`.
fn run(dir: &Path) -> BTreeSet<Row> {
    common::pack_default_rows("dockerfile", dir)
}

fn check(name: &str, expected: &[(&str, &str, &str)], never: &[&str]) -> BTreeSet<Row> {
    common::check_seed_pack("dockerfile", name, expected, never)
}

#[test]
fn cloudclearing() {
    // The builder masks a failed `pip install -r requirements.txt` (the seed's known issue #2).
    check(
        "cloudclearing",
        &[
            ("DF027", "Dockerfile:29", "stage[builder]"),
            ("DF027", "Dockerfile:30", "stage[builder]"),
        ],
        // non-root USER, HEALTHCHECK, exec-form ENTRYPOINT/CMD, --no-install-recommends with lists
        // removed in both stages, PIP_NO_CACHE_DIR in the builder, .dockerignore next to `COPY`
        &[
            "DF001", "DF002", "DF008", "DF009", "DF011", "DF016", "DF021", "DF022",
        ],
    );
}

#[test]
fn spendsense() {
    // The seed's Dockerfile, verbatim: `pip install --user` as root lands in /root/.local, which
    // `USER appuser` cannot read.
    check(
        "spendsense",
        &[("DF024", "Dockerfile:10", "stage[1]")],
        // non-root USER, HEALTHCHECK, pinned tag, --no-cache-dir, exec-form CMD, .dockerignore
        &["DF001", "DF002", "DF003", "DF011", "DF016", "DF022"],
    );
}

#[test]
fn marine_safety() {
    check(
        "marine-safety",
        &[("DF011", "Dockerfile:20", "stage[1]")],
        // multi-stage, non-root USER, --no-install-recommends with list cleanup, COPY --chown,
        // HEALTHCHECK (curl is installed), exec-form CMD, .dockerignore
        &[
            "DF001", "DF002", "DF008", "DF009", "DF016", "DF022", "DF025",
        ],
    );
}

#[test]
fn morket() {
    // Three images. The frontend has no USER but its base `nginxinc/nginx-unprivileged` ends
    // with `USER 101`, and nginx's alpine images ship curl for the HEALTHCHECK.
    check(
        "morket",
        &[
            ("DF008", "docker/scraper.Dockerfile:27", "stage[runtime]"),
            ("DF009", "docker/scraper.Dockerfile:27", "stage[runtime]"),
        ],
        // non-root (USER morket twice, nginx-unprivileged), HEALTHCHECKs with curl available,
        // pinned tags, npm ci
        &["DF001", "DF002", "DF003", "DF012", "DF025"],
    );
}

#[test]
fn ocean_dashboard() {
    // Two single-stage images without USER or HEALTHCHECK, and no .dockerignore anywhere.
    check(
        "ocean-dashboard",
        &[
            ("DF001", "infra/docker/Dockerfile.backend:1", "stage[0]"),
            ("DF002", "infra/docker/Dockerfile.backend:1", "stage[0]"),
            ("DF008", "infra/docker/Dockerfile.backend:8", "stage[0]"),
            ("DF009", "infra/docker/Dockerfile.backend:8", "stage[0]"),
            ("DF011", "infra/docker/Dockerfile.backend:14", "stage[0]"),
            ("DF016", "infra/docker/Dockerfile.backend:16", "stage[0]"),
            ("DF022", "infra/docker/Dockerfile.backend:22", "stage[0]"),
            ("DF001", "infra/docker/Dockerfile.frontend:1", "stage[0]"),
            ("DF002", "infra/docker/Dockerfile.frontend:1", "stage[0]"),
            ("DF012", "infra/docker/Dockerfile.frontend:6", "stage[0]"),
            ("DF016", "infra/docker/Dockerfile.frontend:8", "stage[0]"),
        ],
        // tagged base images; NEXT_PUBLIC_API_URL is a public URL, not a secret
        &["DF003", "DF015"],
    );
}

/// The seed's issue: `COPY --from=builder /root/.local /root/.local` then `USER appuser`.
#[test]
fn spendsense_root_local_copy_is_found_at_the_copy() {
    let got = run(&seed("spendsense"));
    assert!(got.contains(&(
        "DF024".to_string(),
        "Dockerfile:10".to_string(),
        "stage[1]".to_string()
    )));
    let text = std::fs::read_to_string(seed("spendsense").join("Dockerfile")).unwrap();
    assert_eq!(
        text.lines().nth(9),
        Some("COPY --from=builder /root/.local /root/.local")
    );
}
