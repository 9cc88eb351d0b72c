//! A broken Dockerfile loaded through the pipeline reports IL0001 at the right line:column,
//! and the rest of the file is still checked.

use infralint::diagnostic::CoreCode;
use infralint::pipeline::{self, LoadOptions};

fn diagnostics(text: &str) -> (Vec<(String, u32, u32, String)>, usize) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let model = pipeline::load(&LoadOptions {
        paths: vec![dir.path().to_path_buf()],
        ..Default::default()
    })
    .unwrap();
    let diags = model
        .diagnostics
        .iter()
        .map(|d| {
            let loc = model.sources.locate(d.span);
            (
                d.code.id().to_string(),
                loc.line,
                loc.column,
                d.message.clone(),
            )
        })
        .collect();
    (diags, model.of_type("docker_stage").count())
}

#[test]
fn unknown_instruction_after_a_continuation() {
    let (d, stages) = diagnostics(
        "FROM alpine:3.20\r\nRUN apk add --no-cache \\\r\n    curl\r\n\r\n   COPPY a /b\r\nUSER app\r\n",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0.as_str(), d[0].1, d[0].2), ("IL0001", 5, 4));
    assert!(d[0].3.contains("COPPY"));
    assert_eq!(stages, 1);
    assert_eq!(CoreCode::ParseError.id(), "IL0001");
}

#[test]
fn file_without_from() {
    let (d, stages) = diagnostics("# only a comment\nARG X=1\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0.as_str(), d[0].1, d[0].2), ("IL0001", 1, 1));
    assert_eq!(stages, 0);
    let (d, _) = diagnostics("");
    assert_eq!((d[0].1, d[0].2), (1, 1));
}

#[test]
fn unterminated_heredoc_points_at_its_marker() {
    let (d, _) = diagnostics("FROM alpine:3.20\nRUN cat <<EOF > /x\nhello\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].1, d[0].2), (2, 9));
}
