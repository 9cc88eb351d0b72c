//! The image-size estimate in `infralint inspect` (JSON) and in the Markdown report.

use assert_cmd::Command;

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("Dockerfile"),
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY app.py /app/app.py\nUSER nobody\n",
    )
    .unwrap();
    std::fs::write(d.path().join("app.py"), vec![b'#'; 2_000_000]).unwrap();
    d
}

#[test]
fn inspect_lists_the_estimate() {
    let d = project();
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .args(["inspect", "."])
        .current_dir(d.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let est = &doc["image_size"][0];
    assert_eq!(est["file"], "Dockerfile");
    assert_eq!(est["complete"], true);
    let parts = est["parts"].as_array().unwrap();
    let labels: Vec<&str> = parts.iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["python:3.12-slim", "apt: gcc", "COPY app.py"]);
    assert_eq!(parts[0]["mb_low"], 119.2);
    assert_eq!(parts[2]["mb_low"], 2.0);
    assert_eq!(parts[1]["build_tools"][0], "gcc");
    let lo = est["mb_low"].as_f64().unwrap();
    let hi = est["mb_high"].as_f64().unwrap();
    assert!(lo > 119.2 + 2.0 && hi > lo, "{est}");
}

#[test]
fn markdown_report_has_a_compact_image_size_section() {
    let d = project();
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .args([
            "check",
            ".",
            "--format",
            "markdown",
            "--select",
            "image-size",
        ])
        .current_dir(d.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let section = text
        .split("### 📦 Image size (static estimate)")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    let line = section.lines().find(|l| l.starts_with("- ")).unwrap();
    assert!(line.starts_with("- `Dockerfile`: ≈ "), "{line}");
    assert!(line.contains("python:3.12-slim ≈ 119 MB"), "{line}");
    assert!(line.contains("apt: gcc"), "{line}");
    assert!(text.contains("IMG002"), "{text}");
}

#[test]
fn no_dockerfile_no_section() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("main.tf"),
        "resource \"null_resource\" \"x\" {}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .args(["check", ".", "--format", "markdown"])
        .current_dir(d.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("Image size"), "{text}");
}
