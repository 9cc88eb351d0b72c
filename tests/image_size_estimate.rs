//! Estimator details on small Dockerfiles: purges in the same RUN, `--virtual` groups,
//! unknown bases, `COPY --from` subsets, requirements files, `.dockerignore`.

use infralint::eval::EvalOptions;
use infralint::image_size::{Estimate, estimate_all};
use std::path::PathBuf;

use infralint::pipeline::{self, LoadOptions};

mod common;

fn estimate(files: &[(&str, &str)]) -> Estimate {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let model = common::load_tree(d.path());
    estimate_all(&model).remove(0)
}

fn part<'a>(e: &'a Estimate, label_start: &str) -> &'a infralint::image_size::Part {
    e.parts
        .iter()
        .find(|p| p.label.starts_with(label_start))
        .unwrap_or_else(|| panic!("no {label_start} in {:#?}", e.parts))
}

#[test]
fn purged_packages_do_not_count() {
    let e = estimate(&[(
        "Dockerfile",
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc curl \\\n && pip install --no-cache-dir psutil && apt-get purge -y --auto-remove gcc \\\n && rm -rf /var/lib/apt/lists/*\n",
    )]);
    let apt = part(&e, "apt: gcc, curl");
    let r = apt.size.unwrap();
    // Only curl's closure stays (≈ 37 MB), not gcc's (≈ 200 MB).
    assert!(r.hi < 60.0 && r.lo > 25.0, "{r:?}");
    assert!(apt.build_tools.is_empty());
}

#[test]
fn virtual_group_deleted_in_the_same_run_is_zero() {
    let e = estimate(&[(
        "Dockerfile",
        "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir psutil && apk del .build-deps\n",
    )]);
    let apk = part(&e, "apk: gcc, musl-dev");
    assert_eq!(apk.size.map(|s| s.hi), Some(0.0));
    // python:3.12-alpine is not in the table: unknown, never zero.
    assert!(!e.base_known());
    assert!(
        e.summary()
            .starts_with("unknown (no published size for `python:3.12-alpine`)")
    );
}

#[test]
fn requirements_and_dockerignore_are_read_from_the_context() {
    let e = estimate(&[
        (
            "Dockerfile",
            "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
        ),
        (
            "requirements.txt",
            "numpy==2.1.0  # pinned\nrequests>=2\n\n-e ./local\n",
        ),
        (".dockerignore", "data/\n"),
        ("data/big.bin", &"x".repeat(5_000_000)),
        ("app.py", &"y".repeat(1_000_000)),
    ]);
    let pip = part(&e, "pip install: numpy, requests");
    let r = pip.size.unwrap();
    // numpy ≈ 72 MB with dependencies, requests ≈ 3 MB: from the larger to the sum, ±20%.
    assert!(r.lo > 50.0 && r.hi < 100.0, "{r:?}");
    assert_eq!(pip.path.as_deref(), Some("/usr/local/lib/python3"));
    let ctx = part(&e, "COPY .");
    let size = ctx.size.unwrap();
    // data/ is ignored: the Dockerfile, requirements, .dockerignore and app.py remain.
    assert!(size.lo > 1.0 && size.hi < 1.1, "{size:?}");
    assert!(e.unknown().is_empty());
}

#[test]
fn copy_from_a_stage_takes_what_it_left_at_the_path() {
    let e = estimate(&[(
        "Dockerfile",
        "FROM python:3.11-slim AS build\nRUN python -m venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\nRUN pip install --no-cache-dir numpy\n\nFROM python:3.11-slim\nCOPY --from=build /opt/venv /opt/venv\nCOPY --from=build /usr/local/share /usr/local/share\nCOPY --from=build /opt/venv/lib /tmp/lib\n",
    )]);
    let venv = part(&e, "COPY --from=build /opt/venv");
    assert!(venv.size.is_some_and(|s| s.lo > 50.0), "{venv:?}");
    // Nothing known was left there by the build stage: unknown, not zero.
    assert!(
        part(&e, "COPY --from=build /usr/local/share")
            .size
            .is_none()
    );
    // A sub-path of what the stage left: from nothing up to all of it.
    let sub = part(&e, "COPY --from=build /opt/venv/lib").size.unwrap();
    assert_eq!(sub.lo, 0.0);
    assert!(sub.hi > 50.0);
}

#[test]
fn arg_base_is_unknown() {
    let e = estimate(&[("Dockerfile", "ARG BASE\nFROM ${BASE}\nRUN echo hi\n")]);
    assert!(!e.base_known());
    assert_eq!(e.unknown().len(), 1);
}

#[test]
fn context_lookup_goes_up_but_never_above_the_scan_root() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("repo");
    std::fs::create_dir_all(repo.join("docker")).unwrap();
    std::fs::create_dir_all(repo.join("conf")).unwrap();
    std::fs::create_dir_all(d.path().join("outside")).unwrap();
    std::fs::write(repo.join("conf/app.conf"), "x".repeat(1000)).unwrap();
    std::fs::write(d.path().join("outside/big.bin"), "x".repeat(1000)).unwrap();
    std::fs::write(
        repo.join("docker/app.Dockerfile"),
        "FROM nginx:alpine\nCOPY conf/app.conf /etc/app.conf\nCOPY outside/big.bin /big.bin\n",
    )
    .unwrap();
    // Scanned from the repository (`outside/` is above the working directory), and from the
    // parent with `repo/` a git repository (`outside/` is above the repository root).
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for (cwd, scan) in [
        (repo.clone(), PathBuf::from(".")),
        (d.path().to_path_buf(), PathBuf::from("repo")),
    ] {
        let prev = std::env::current_dir().unwrap();
        std::env::set_current_dir(&cwd).unwrap();
        let model = pipeline::load(&LoadOptions {
            paths: vec![scan.clone()],
            eval: EvalOptions {
                allowed_roots: vec![cwd.clone()],
                ..EvalOptions::default()
            },
            ..LoadOptions::default()
        })
        .unwrap();
        let e = estimate_all(&model).remove(0);
        std::env::set_current_dir(prev).unwrap();
        // `conf/` is found one level up, in the repository the workflow builds from.
        let conf = part(&e, "COPY conf/app.conf");
        assert_eq!(conf.size.map(|s| s.lo), Some(0.001), "{scan:?}: {conf:?}");
        // `outside/` exists only above the scan root: never looked at.
        assert!(
            part(&e, "COPY outside/big.bin").size.is_none(),
            "{scan:?}: {:?}",
            part(&e, "COPY outside/big.bin")
        );
    }
}

#[test]
fn requirements_file_is_found_through_the_copy_that_placed_it() {
    let e = estimate(&[
        (
            "Dockerfile",
            "FROM python:3.11-slim\nWORKDIR /build\nCOPY services/api/requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY services/worker/ /srv/worker/\nRUN pip install --no-cache-dir -r /srv/worker/requirements.txt\n",
        ),
        ("services/api/requirements.txt", "requests\n"),
        ("services/worker/requirements.txt", "numpy\n"),
    ]);
    let api = part(&e, "pip install: requests");
    assert!(api.size.is_some_and(|s| s.hi < 10.0), "{api:?}");
    let worker = part(&e, "pip install: numpy");
    assert!(worker.size.is_some_and(|s| s.lo > 50.0), "{worker:?}");
    assert!(e.unknown().is_empty(), "{:?}", e.unknown());
}
