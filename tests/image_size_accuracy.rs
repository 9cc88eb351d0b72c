//! Accuracy of the image-size estimate against published sizes (`docs/image-size.md`, table
//! "Accuracy"). Each case is a Dockerfile whose real size is established: a base image's
//! published on-disk size (docker-library/repo-info, distroless README), an official "full"
//! image rebuilt as its slim variant plus the packages buildpack-deps installs, and the
//! CloudClearing seed whose design doc reports its built size.
//!
//! `cargo test --test image_size_accuracy -- --nocapture` prints the table rows.

use std::path::PathBuf;

use infralint::image_size::estimate_all;

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (fixture directory, real size in MB, where the real size comes from, inside the range?)
const CASES: &[(&str, f64, &str, bool)] = &[
    (
        "image-size/accuracy/01-python-3.10-slim",
        126.13,
        "repo-info python:3.10-slim",
        true,
    ),
    (
        "image-size/accuracy/02-python-3.11-slim",
        124.84,
        "repo-info python:3.11-slim",
        true,
    ),
    (
        "image-size/accuracy/03-python-3.12-slim",
        119.2,
        "repo-info python:3.12-slim",
        true,
    ),
    (
        "image-size/accuracy/04-python-3.11",
        1100.0,
        "repo-info python:3.11",
        true,
    ),
    (
        "image-size/accuracy/05-python-3.12",
        1110.0,
        "repo-info python:3.12",
        true,
    ),
    (
        "image-size/accuracy/06-node-22-slim",
        227.34,
        "repo-info node:22-slim",
        true,
    ),
    (
        "image-size/accuracy/07-node-22-alpine",
        167.77,
        "repo-info node:22-alpine",
        true,
    ),
    (
        "image-size/accuracy/08-golang-1.26",
        873.77,
        "repo-info golang:1.26",
        true,
    ),
    (
        "image-size/accuracy/09-nginx-alpine",
        40.70,
        "repo-info nginx:alpine",
        true,
    ),
    (
        "image-size/accuracy/10-distroless-static",
        2.1,
        "distroless README (~2 MiB)",
        true,
    ),
    (
        "image-size/accuracy/11-node-22-full-from-slim",
        1130.0,
        "repo-info node:22",
        true,
    ),
    (
        "image-size/accuracy/12-python-3.12-full-from-slim",
        1110.0,
        "repo-info python:3.12",
        true,
    ),
    (
        "image-size/accuracy/13-python-3.11-full-from-slim",
        1100.0,
        "repo-info python:3.11",
        true,
    ),
    (
        "image-size/accuracy/14-alpine-3.22",
        8.3,
        "repo-info alpine:3.22",
        true,
    ),
    (
        "image-size/accuracy/15-debian-bookworm-slim",
        74.83,
        "repo-info debian:bookworm-slim",
        true,
    ),
    (
        "image-size/accuracy/16-ubuntu-24.04",
        78.16,
        "repo-info ubuntu:24.04",
        true,
    ),
    (
        "image-size/accuracy/17-amazonlinux-2023",
        150.0,
        "repo-info amazonlinux:2023",
        true,
    ),
    (
        "image-size/accuracy/18-golang-1.27-alpine",
        252.74,
        "repo-info golang:1.27-alpine",
        true,
    ),
    (
        "image-size/accuracy/19-nginx-stable",
        169.48,
        "repo-info nginx:stable",
        true,
    ),
    (
        "image-size/accuracy/20-postgres-16",
        451.13,
        "repo-info postgres:16",
        true,
    ),
    (
        "image-size/accuracy/21-redis-7",
        112.91,
        "repo-info redis:7",
        true,
    ),
    (
        "seeds/cloudclearing",
        2360.0,
        "seed design doc (built image)",
        true,
    ),
];

#[test]
fn estimates_contain_the_published_sizes() {
    let mut failures = Vec::new();
    for (dir, real, source, expect_inside) in CASES {
        let dir = root().join("tests/fixtures").join(dir);
        let model = common::load_tree(&dir);
        let est = estimate_all(&model);
        assert_eq!(est.len(), 1, "{}", dir.display());
        let e = &est[0];
        let r = e.known();
        let inside = r.lo <= *real && *real <= r.hi;
        let mid = (r.lo + r.hi) / 2.0;
        let err = (mid - real) / real * 100.0;
        println!(
            "| `{}` | {:.0}–{:.0} | {:.0} | {real:.0} ({source}) | {} | {err:+.0}% |",
            dir.file_name().unwrap().to_string_lossy(),
            r.lo,
            r.hi,
            mid,
            if inside { "yes" } else { "no" },
        );
        if inside != *expect_inside {
            failures.push(format!("{}: {r:?} vs {real}", dir.display()));
        }
        // Ranges stay useful: the high end at most 2.5x the low end.
        if r.lo > 0.0 && r.hi / r.lo > 2.5 {
            failures.push(format!("{}: range too wide {r:?}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
