//! Splitting a page into YAML front matter and Markdown body, and the generic front matter keys.
//!
//! A page starts with a line `---`, then YAML, then a closing `---` (or `...`) line. Everything
//! after is Markdown. Positions are kept so errors point into the file, not the YAML slice.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

/// The pieces of a page file: byte ranges into its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte offset where the YAML starts (just after the opening `---` line).
    pub yaml_start: usize,
    pub yaml_end: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Find the front matter of a page. `text` has LF line endings and no BOM.
pub fn split(path: &Path, text: &str) -> Result<Split, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(
            Code::NoFrontMatter,
            "empty file: a page needs front matter with a `title`",
        )
        .in_file(path)
        .at(text, 1, 1)
        .hint("start the file with `---`, a line `title: …`, and `---`"));
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(
            Diagnostic::new(Code::NoFrontMatter, "page has no front matter")
                .in_file(path)
                .at(text, 1, 1)
                .span(first_line.chars().count())
                .hint("start the file with `---`, a line `title: …`, and `---`"),
        );
    }
    let yaml_start = first_line.len() + 1;
    let mut pos = yaml_start.min(text.len());
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml_start,
                yaml_end: pos,
                body_start: (line_end + 1).min(text.len()),
            });
        }
        pos = line_end + 1;
    }
    Err(
        Diagnostic::new(Code::UnclosedFrontMatter, "front matter is never closed")
            .in_file(path)
            .at(text, 1, 1)
            .span(3)
            .label("opened here")
            .hint("add a line `---` after the last front matter key"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "---\ntitle: A\n---\nBody\n";
        let s = split(Path::new("a.md"), t).unwrap();
        assert_eq!(&t[s.yaml_start..s.yaml_end], "title: A\n");
        assert_eq!(&t[s.body_start..], "Body\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let d = split(Path::new("a.md"), "---\ntitle: A\nBody\n").unwrap_err();
        assert!(d.message.contains("never closed"));
        assert_eq!(d.location.unwrap().line, 1);
    }

    #[test]
    fn missing_and_empty() {
        assert!(
            split(Path::new("a.md"), "# Hi\n")
                .unwrap_err()
                .message
                .contains("no front matter")
        );
        assert!(
            split(Path::new("a.md"), "")
                .unwrap_err()
                .message
                .contains("empty")
        );
    }

    #[test]
    fn body_may_be_empty() {
        let s = split(Path::new("a.md"), "---\ntitle: A\n---").unwrap();
        assert_eq!(s.body_start, "---\ntitle: A\n---".len());
    }
}
