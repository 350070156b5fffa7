//! Diagnostics: the one typed error value every stage reports, and the one place that prints them.
//!
//! Each stage collects [`Diagnostic`]s instead of stopping at the first problem, so a build
//! reports every content error at once. A diagnostic names the file, line and column (1-based),
//! carries the offending source line for a caret snippet, and an optional hint ("did you mean …").
//! [`render`] turns them into rustc-style text with `annotate-snippets`.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is. Errors fail a build; warnings fail only `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// One problem found in the site, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// File the problem is in, relative to the site root where possible.
    pub file: Option<PathBuf>,
    pub location: Option<Location>,
    /// The text of the line at `location`, for the snippet.
    pub source_line: Option<String>,
    /// Length in characters of the underlined span (at least 1).
    pub span_len: usize,
    /// A short label under the caret.
    pub label: Option<String>,
    /// A hint: "did you mean `x`?", "quote the value", …
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            location: None,
            source_line: None,
            span_len: 1,
            label: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attach a location, taking the snippet line from `source` (the whole file's text).
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        let line = line.max(1);
        let column = column.max(1);
        self.location = Some(Location { line, column });
        self.source_line = source
            .lines()
            .nth(line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Attach a location from a byte offset into `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.at(source, line, column)
    }

    pub fn span(mut self, len: usize) -> Self {
        self.span_len = len.max(1);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, `path`, or nothing: the locus printed before the message.
    pub fn locus(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let file = display_path(file);
        Some(match self.location {
            Some(loc) => format!("{file}:{}:{}", loc.line, loc.column),
            None => file,
        })
    }

    fn sort_key(&self) -> (Option<&PathBuf>, Option<Location>, Severity, &str) {
        (
            self.file.as_ref(),
            self.location,
            self.severity,
            self.message.as_str(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.locus() {
            Some(locus) => write!(f, "{locus}: {level}: {}", self.message)?,
            None => write!(f, "{level}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Path with forward slashes, for messages that read the same on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// A set of diagnostics collected by a stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sort by file, position and message, and drop exact repeats, so output is stable.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Render one diagnostic as a rustc-style report: header, `--> path:line:col`, the source
/// line with a caret, and `= help:` for the hint.
pub fn render(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let path = d.file.as_deref().map(display_path);
    let mut group = Group::with_title(level.primary_title(d.message.as_str()));
    match (&path, d.location, &d.source_line) {
        (Some(path), Some(loc), Some(line)) => {
            // Span in bytes within the single line we show.
            let start = line
                .char_indices()
                .nth(loc.column - 1)
                .map_or(line.len(), |(i, _)| i);
            let end = line[start..]
                .char_indices()
                .nth(d.span_len)
                .map_or(line.len(), |(i, _)| start + i);
            let mut ann = AnnotationKind::Primary.span(start..end.max(start));
            if let Some(label) = &d.label {
                ann = ann.label(label.as_str());
            }
            group = group.element(
                Snippet::source(line.as_str())
                    .line_start(loc.line)
                    .path(path.as_str())
                    .annotation(ann),
            );
        }
        (Some(path), _, _) => {
            let locus = match d.location {
                Some(loc) => format!("{path}:{}:{}", loc.line, loc.column),
                None => path.clone(),
            };
            group = group.element(annotate_snippets::Origin::path(locus));
        }
        _ => {}
    }
    let mut report: Vec<Group<'_>> = vec![group];
    if let Some(hint) = &d.hint {
        report.push(Group::with_title(
            Level::HELP.secondary_title(hint.as_str()),
        ));
    }
    // Make sure the `path:line:col` locus is always present in plain text for tools that grep it.
    let mut out = renderer.render(&report);
    if let (Some(path), Some(loc)) = (&path, d.location) {
        let locus = format!("{path}:{}:{}", loc.line, loc.column);
        if !out.contains(&locus) {
            out.push_str(&format!("\n  --> {locus}"));
        }
    }
    out
}

/// Render a whole set, followed by a count line.
pub fn render_all(diags: &Diagnostics, color: bool) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        out.push_str(&render(d, color));
        out.push_str("\n\n");
    }
    let (e, w) = (diags.error_count(), diags.warning_count());
    if e > 0 || w > 0 {
        out.push_str(&format!(
            "{} error{}, {} warning{}\n",
            e,
            if e == 1 { "" } else { "s" },
            w,
            if w == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The closest candidate to `wanted` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "a: 1\nbé: x\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 5), (2, 1));
        // 'x' comes after "bé: " = 4 chars, 5 bytes
        assert_eq!(line_col(src, 5 + 5), (2, 5));
    }

    #[test]
    fn suggestion_finds_close_ids() {
        let ids = ["rustem-umerov", "vladimir-medinsky", "hakan-fidan"];
        assert_eq!(
            did_you_mean("rustem-umerv", ids.iter().copied()),
            Some("rustem-umerov")
        );
        assert_eq!(did_you_mean("zzzz", ids.iter().copied()), None);
    }

    #[test]
    fn rendered_report_names_the_locus_and_hint() {
        let src = "---\ntitel: x\n---\n";
        let d = Diagnostic::error("unknown key `titel`")
            .in_file("content/a.md")
            .at(src, 2, 1)
            .span(5)
            .hint("did you mean `title`?");
        let out = render(&d, false);
        assert!(out.contains("content/a.md:2:1"), "{out}");
        assert!(out.contains("titel: x"), "{out}");
        assert!(out.contains("did you mean `title`?"), "{out}");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error: unknown key `titel` (hint: did you mean `title`?)"
        );
    }
}
