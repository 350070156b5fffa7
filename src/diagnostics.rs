//! Diagnostics: the one typed error value every stage reports, and the one place that prints them.
//!
//! Each stage collects [`Diagnostic`]s instead of stopping at the first problem, so a build
//! reports every content error at once. A diagnostic names the file, line and column (1-based),
//! carries the offending source line for a caret snippet, and an optional hint ("did you mean …").
//! [`render`] turns them into rustc-style text with `annotate-snippets`.
//!
//! Every diagnostic has a [`Code`] (`E012`, `W002`), the stable name of the kind of problem it
//! reports, which decides its severity; the explanation of each code is the README's error
//! index, which `briefing explain CODE` prints.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is. Errors fail a build; warnings fail only `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )*) => {
        /// The kind of problem a diagnostic reports, named by a stable code
        /// ([`as_str`](Code::as_str)): a code is never reused for another kind of problem, and
        /// one that is retired stays unused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order declared (for the error index and its tests).
            pub(crate) const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as printed: `E0xx` for errors, `W0xx` for warnings.
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }
        }
    };
}

// The one list of the kinds of problem and their codes. Append new ones; never renumber.
codes! {
    /// A file or folder could not be read, created or written (an I/O error).
    Io = "E001",
    /// A file is not valid UTF-8.
    NotUtf8 = "E002",
    /// The site folder does not exist or is not a folder.
    NoSiteFolder = "E003",
    /// A symbolic link leads outside the site folder.
    LinkOutsideSite = "E004",
    /// A symbolic link is broken or leads to the wrong kind of file.
    BadSymlink = "E005",
    /// A page has no front matter (or an empty file).
    NoFrontMatter = "E010",
    /// Front matter opened with `---` is never closed.
    UnclosedFrontMatter = "E011",
    /// A key that the page, record or file does not take (usually a typo).
    UnknownKey = "E012",
    /// YAML that does not parse.
    YamlSyntax = "E013",
    /// A value of the wrong type or outside the allowed values.
    InvalidValue = "E014",
    /// A key written twice.
    DuplicateKey = "E015",
    /// YAML nested too deeply, or aliases that expand too far.
    YamlTooDeep = "E016",
    /// `site.yaml` has a bad `base_url` or is a link out of the site.
    BadConfig = "E017",
    /// A reference to a record or source that does not exist.
    UnknownReference = "E020",
    /// Two sources or timeline events with the same id.
    DuplicateId = "E021",
    /// An id or a file name that is not a slug, or gives an empty URL segment.
    BadName = "E022",
    /// A required field is missing.
    MissingField = "E023",
    /// Times that contradict each other (an end before its start).
    TimesOutOfOrder = "E024",
    /// A `status` that contradicts the talk's times.
    StatusContradiction = "E025",
    /// An alias that is not a path on this site.
    BadAlias = "E026",
    /// Two pages or files that would be written to the same place.
    OutputClash = "E027",
    /// A disputed value without two alternative accounts, or an account without its sources.
    Disputed = "E028",
    /// Two positions of one party on one topic with the same `as_of`.
    PositionHistory = "E029",
    /// A template that does not parse or fails to render.
    Template = "E030",
    /// A `template:` that names a template that does not exist.
    MissingTemplate = "E031",
    /// A translation file of interface strings (`i18n/<lang>.ftl`) that does not parse.
    StringsSyntax = "E035",
    /// A link to a page, file or anchor of the site that does not exist.
    BrokenLink = "E040",
    /// An external link that fails (`check --external`).
    ExternalLink = "E041",
    /// Raw HTML that is not allowed under `raw_html: sanitize`.
    UnsafeHtml = "E042",
    /// Markdown or HTML nested too deeply.
    TooDeep = "E043",
    /// An output folder briefing refuses to write into.
    OutputRefused = "E050",
    /// `new` was given a folder that is not empty.
    FolderNotEmpty = "E060",
    /// The preview server cannot listen on its address.
    CannotListen = "E061",
    /// The preview server ran out of resources or could not accept a connection.
    Server = "E062",
    /// Watching for changes failed.
    Watch = "E063",
    /// `languages:` in `site.yaml` lists a language twice, or contradicts `language:`.
    BadLanguages = "E070",
    /// A translation file whose language or original is unknown.
    BadTranslation = "E071",
    /// A translation that sets what only the original may (dates, references, statuses…),
    /// or an entry that matches none of the original's.
    TranslationMismatch = "E072",
    /// A bug in briefing.
    Internal = "E099",
    /// A symbolic link to a folder, which is not followed.
    SymlinkNotFollowed = "W001",
    /// `site.yaml` has no `base_url`.
    NoBaseUrl = "W002",
    /// Files of an earlier build that could not be deleted.
    Leftovers = "W003",
    /// Raw HTML that is never closed, left out of the page.
    UnclosedHtml = "W010",
    /// A talk still `scheduled` after its start.
    StaleStatus = "W020",
    /// A problem while watching that does not stop the watch.
    WatchTrouble = "W030",
    /// Interface strings a site's language lacks, shown in English.
    StringsMissing = "W035",
    /// An external link that fails, reported as a warning (`check --external` at the `warn`
    /// level, or a source whose archived copy works).
    ExternalLinkWarning = "W041",
    /// A translation whose original changed since it was translated, or that does not say
    /// which version of the original it translates.
    StaleTranslation = "W050",
}

impl Code {
    /// Errors fail a build; warnings only `check --strict`. Follows from the code's letter.
    pub(crate) fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// The code written `text` (case-insensitive), if there is one.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// README.md, whose *Error index* section is the one place the codes are explained.
const README: &str = include_str!("../README.md");

/// The error index's entry for `code` (its heading, an example and the fix), as written in the
/// README. `None` only if the README lacks it, which a test rules out.
pub(crate) fn explanation(code: Code) -> Option<&'static str> {
    let index = error_index()?;
    let heading = format!("\n### {}:", code.as_str());
    let start = index.find(&heading)? + 1;
    let entry = &index[start..];
    let end = entry[1..].find("\n### ").map_or(entry.len(), |i| i + 1);
    Some(entry[..end].trim_end())
}

/// The README's *Error index* section, up to the next section.
fn error_index() -> Option<&'static str> {
    let (_, index) = README.split_once("\n## Error index\n")?;
    Some(index.split("\n## ").next().unwrap_or(index))
}

/// A position in a source file, 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Location {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// One problem found in the site, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The kind of problem, which decides the severity.
    pub(crate) code: Code,
    pub message: String,
    /// File the problem is in, relative to the site root where possible.
    pub(crate) file: Option<PathBuf>,
    pub(crate) location: Option<Location>,
    /// The text of the line at `location`, for the snippet.
    pub(crate) source_line: Option<String>,
    /// Length in characters of the underlined span (at least 1).
    pub(crate) span_len: usize,
    /// A short label under the caret.
    pub(crate) label: Option<String>,
    /// A hint: "did you mean `x`?", "quote the value", …
    pub(crate) hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of the kind `code` names, with the severity that kind has.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: None,
            location: None,
            source_line: None,
            span_len: 1,
            label: None,
            hint: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attach a location, taking the snippet line from `source` (the whole file's text).
    pub(crate) fn at(mut self, source: &str, line: usize, column: usize) -> Self {
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

    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// `path:line:col`, `path`, or nothing: the locus printed before the message.
    pub(crate) fn locus(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let file = display_path(file);
        Some(match self.location {
            Some(loc) => format!("{file}:{}:{}", loc.line, loc.column),
            None => file,
        })
    }

    fn sort_key(&self) -> (Option<&PathBuf>, Option<Location>, Severity, &str, Code) {
        (
            self.file.as_ref(),
            self.location,
            self.severity(),
            self.message.as_str(),
            self.code,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = self.severity().label();
        let code = self.code.as_str();
        match self.locus() {
            Some(locus) => write!(f, "{locus}: {level}[{code}]: {}", self.message)?,
            None => write!(f, "{level}[{code}]: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Path with forward slashes, for messages that read the same on every platform.
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
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

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sort by file, position and message, and drop exact repeats, so output is stable.
    pub(crate) fn sort(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
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
    let level = match d.severity() {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let path = d.file.as_deref().map(display_path);
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code.as_str()));
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
pub(crate) fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
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
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for &c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} is used twice");
            assert_eq!(s.len(), 4, "{s}");
            assert!(s[1..].bytes().all(|b| b.is_ascii_digit()), "{s}");
            let letter = if c.severity() == Severity::Error {
                'E'
            } else {
                'W'
            };
            assert!(s.starts_with(letter), "{s}");
            assert_eq!(Code::parse(&s.to_lowercase()), Some(c));
        }
        assert_eq!(Code::parse("E999"), None);
    }

    #[test]
    fn the_readme_explains_every_code_and_only_those() {
        for &c in Code::ALL {
            let text = explanation(c).unwrap_or_else(|| panic!("README lacks {}", c.as_str()));
            let example = format!("{}[{}]:", c.severity().label(), c.as_str());
            assert!(
                text.contains(&example),
                "no example `{example}…` in:\n{text}"
            );
            assert!(text.contains("Fix"), "no fix in:\n{text}");
        }
        let index = error_index().expect("README has an Error index section");
        for line in index.lines() {
            if let Some(rest) = line.strip_prefix("### ") {
                let code = rest.split(':').next().unwrap_or("");
                assert!(
                    Code::parse(code).is_some(),
                    "README explains unknown code {code}"
                );
            }
        }
    }

    #[test]
    fn an_explanation_is_one_entry() {
        let text = explanation(Code::UnknownKey).unwrap();
        assert!(text.starts_with("### E012: an unknown key"), "{text}");
        assert!(!text.contains("### E013"), "{text}");
    }

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
        let d = Diagnostic::new(Code::UnknownKey, "unknown key `titel`")
            .in_file("content/a.md")
            .at(src, 2, 1)
            .span(5)
            .hint("did you mean `title`?");
        let out = render(&d, false);
        assert!(out.contains("content/a.md:2:1"), "{out}");
        assert!(out.contains("titel: x"), "{out}");
        assert!(out.contains("did you mean `title`?"), "{out}");
        assert!(out.starts_with("error[E012]: unknown key `titel`"), "{out}");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error[E012]: unknown key `titel` (hint: did you mean `title`?)"
        );
    }
}
