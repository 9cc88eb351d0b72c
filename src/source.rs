//! Source files, byte spans and their line/column positions.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// Index of a file in the [`SourceMap`] of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// An empty span at the start of a file, for file-level diagnostics.
    pub fn file_start(file: FileId) -> Self {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What a file is, decided by discovery from its name and location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// `*.tf`
    Terraform,
    /// `*.tf.json`
    TerraformJson,
    /// `*.tfvars`, `*.auto.tfvars`
    Tfvars,
    /// `*.tfvars.json`, `*.auto.tfvars.json`
    TfvarsJson,
    /// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`
    Dockerfile,
    /// `.github/workflows/*.yml`
    Workflow,
    /// `action.yml` (composite or other action metadata)
    Action,
}

impl FileKind {
    pub fn is_terraform(self) -> bool {
        matches!(
            self,
            FileKind::Terraform | FileKind::TerraformJson | FileKind::Tfvars | FileKind::TfvarsJson
        )
    }
}

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// One file read for a run: its text and a line index.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path used to read the file.
    pub path: PathBuf,
    /// Path shown to users: relative to the scan root, `/`-separated.
    pub display_path: String,
    pub kind: FileKind,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(
        id: FileId,
        path: PathBuf,
        display_path: String,
        kind: FileKind,
        text: Arc<str>,
    ) -> Self {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i as u32 + 1),
            )
            .collect();
        SourceFile {
            id,
            path,
            display_path,
            kind,
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.text.len() as u32);
        let line_idx = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.line_starts[line_idx] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[line_start..end].chars().count() as u32 + 1;
        LineCol {
            line: line_idx as u32 + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and column; clamped to the text.
    pub fn offset_of(&self, line: u32, column: u32) -> usize {
        let line_idx = (line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let start = self.line_starts[line_idx] as usize;
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let byte_in_line = line_text
            .char_indices()
            .nth(column.max(1) as usize - 1)
            .map_or(line_text.len(), |(i, _)| i);
        start + byte_in_line
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = line.max(1) as usize - 1;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// All files of one run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn new(files: Vec<Arc<SourceFile>>) -> Self {
        debug_assert!(files.iter().enumerate().all(|(i, f)| f.id.0 as usize == i));
        SourceMap { files }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<SourceFile>> {
        self.files.iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A span resolved to a file path and 1-based start/end positions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl SourceMap {
    pub fn locate(&self, span: Span) -> Location {
        let file = self.get(span.file);
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        Location {
            file: file.display_path.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            FileId(0),
            "a.tf".into(),
            "a.tf".into(),
            FileKind::Terraform,
            text.into(),
        )
    }

    #[test]
    fn line_col_counts_from_one_and_in_chars() {
        let f = file("ab\nçd\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'ç' is two bytes: offset 5 is 'd', the second character.
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_col(100), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let f = file("ab\nçd\nx");
        for off in [0u32, 1, 3, 5, 7] {
            let lc = f.line_col(off);
            assert_eq!(f.offset_of(lc.line, lc.column), off as usize);
        }
    }

    #[test]
    fn line_text_strips_crlf() {
        let f = file("a\r\nb");
        assert_eq!(f.line_text(1), "a");
        assert_eq!(f.line_text(2), "b");
        assert_eq!(f.line_text(9), "");
    }
}
