//! Stable fingerprints of findings, used by baselines and SARIF `partialFingerprints`.
//!
//! A fingerprint must survive unrelated edits (lines inserted above, files reformatted
//! around the finding) but change when the finding is about something else. It hashes:
//!
//! - the rule ID,
//! - the file's display path,
//! - the resource address when the finding has one, else the offending line(s) with
//!   whitespace collapsed,
//! - the occurrence index among findings sharing the three parts above (in report order).
//!
//! Line and column numbers are never part of it.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::finding::Finding;
use crate::source::SourceMap;

/// Version tag of the fingerprint scheme; part of the SARIF key (`infralint/v1`).
pub const FINGERPRINT_VERSION: u32 = 1;

/// The SARIF `partialFingerprints` key infralint writes.
pub const SARIF_KEY: &str = "infralint/v1";

/// At most this many lines of a multi-line span go into the snippet.
const MAX_SNIPPET_LINES: u32 = 8;

/// The part of a finding's identity that does not depend on line numbers.
fn anchor(finding: &Finding, sources: &SourceMap) -> String {
    if let Some(address) = &finding.address {
        return format!("address:{address}");
    }
    let file = sources.get(finding.span.file);
    let start = file.line_col(finding.span.start).line;
    let end = file
        .line_col(finding.span.end)
        .line
        .clamp(start, start + MAX_SNIPPET_LINES - 1);
    let mut snippet = String::new();
    for line in start..=end {
        for word in file.line_text(line).split_whitespace() {
            if !snippet.is_empty() {
                snippet.push(' ');
            }
            snippet.push_str(word);
        }
    }
    format!("snippet:{snippet}")
}

/// Fingerprints of `findings` (in the given order, which should be report order), as
/// lowercase hex strings of 32 characters.
pub fn compute<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    sources: &SourceMap,
) -> Vec<String> {
    let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
    findings
        .into_iter()
        .map(|f| {
            let path = sources.get(f.span.file).display_path.clone();
            let key = (f.rule_id.clone(), path, anchor(f, sources));
            let mut h = Sha256::new();
            h.update(format!("v{FINGERPRINT_VERSION}\0"));
            h.update(key.0.as_bytes());
            h.update(b"\0");
            h.update(key.1.as_bytes());
            h.update(b"\0");
            h.update(key.2.as_bytes());
            h.update(b"\0");
            let n = seen.entry(key).or_insert(0);
            h.update(n.to_le_bytes());
            *n += 1;
            let digest = h.finalize();
            digest[..16].iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::{FileId, FileKind, SourceFile, Span};

    fn map(text: &str) -> SourceMap {
        SourceMap::new(vec![Arc::new(SourceFile::new(
            FileId(0),
            "main.tf".into(),
            "main.tf".into(),
            FileKind::Terraform,
            text.into(),
        ))])
    }

    fn finding(text: &str, needle: &str, address: Option<&str>) -> Finding {
        let start = text.find(needle).unwrap();
        Finding {
            rule_id: "SG001".into(),
            slug: "open-ingress".into(),
            pack: "aws".into(),
            severity: Severity::High,
            message: "open".into(),
            span: Span::new(FileId(0), start, start + needle.len()),
            address: address.map(str::to_string),
        }
    }

    #[test]
    fn stable_when_lines_move() {
        let a = "x = 1\ncidr = \"0.0.0.0/0\"\n";
        let b = "# new comment\n\nx = 1\n  cidr   = \"0.0.0.0/0\"\n";
        let fa = compute(&[finding(a, "0.0.0.0/0", None)], &map(a));
        let fb = compute(&[finding(b, "0.0.0.0/0", None)], &map(b));
        assert_eq!(fa, fb);
        assert_eq!(fa[0].len(), 32);
    }

    #[test]
    fn occurrences_and_addresses_differ() {
        let t = "a\na\n";
        let f1 = finding(t, "a", None);
        let mut f2 = f1.clone();
        f2.span = Span::new(FileId(0), 2, 3);
        let fps = compute(&[f1.clone(), f2], &map(t));
        assert_ne!(fps[0], fps[1]);
        let with_addr = compute(&[finding(t, "a", Some("aws_s3_bucket.a"))], &map(t));
        assert_ne!(with_addr[0], fps[0]);
    }
}
