//! The one place that talks to `serde_yaml`.
//!
//! serde_yaml 0.9 is unmaintained upstream; keeping every call behind [`parse`] means a
//! maintained fork can replace it here and nowhere else. This module also turns YAML errors
//! into [`Diagnostic`]s located in the *file* (front matter sits a few lines into a page), adds
//! hints for the usual mistakes (tabs, misspelt keys), and refuses alias bombs and deep nesting
//! without expanding them or overflowing the stack.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, did_you_mean, line_col};

/// Deeper nesting than this is refused before serde_yaml sees it (its own limit is 128).
const MAX_DEPTH: usize = 64;

/// Where a YAML document sits inside its file.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    /// The whole file's text, for snippets.
    pub file_text: &'a str,
    /// Byte offset of the YAML document within `file_text`.
    pub offset: usize,
}

/// Parse `yaml` (a slice of `origin.file_text` starting at `origin.offset`) into `T`, reporting
/// only the first problem (see [`parse_all`]).
pub fn parse<T: DeserializeOwned>(yaml: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    parse_all(yaml, origin).map_err(|d| {
        d.into_iter().next().unwrap_or_else(|| {
            Diagnostic::new(Code::YamlSyntax, "the YAML could not be read").in_file(origin.file)
        })
    })
}

thread_local! {
    /// Bad values found by [`soft_error`] during the parse running on this thread, if any.
    static SOFT: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Report a bad value (an unknown zone, an impossible date) without stopping the parse, so that
/// one run reports every such value of a file. Inside [`parse_all`] the message is kept and
/// `Ok(())` returned: the caller then returns a placeholder value, which never leaves the parse
/// because the parse fails. Outside a parse, `Err(message)` to raise as usual. The message must
/// quote the bad value in backticks: that is how it is located.
pub(crate) fn soft_error(message: String) -> Result<(), String> {
    SOFT.with(|s| match s.borrow_mut().as_mut() {
        Some(v) => {
            v.push(message);
            Ok(())
        }
        None => Err(message),
    })
}

/// Parse `yaml` (a slice of `origin.file_text` starting at `origin.offset`) into `T`, reporting
/// every bad value ([`soft_error`]) and the first structural problem, in the order of the file.
///
/// An empty document is read as an empty mapping, so a missing required key is reported as
/// such rather than as "end of stream".
pub(crate) fn parse_all<T: DeserializeOwned>(
    yaml: &str,
    origin: Origin<'_>,
) -> Result<T, Diagnostics> {
    if let Some(d) = check_nesting(yaml, origin) {
        return Err(d.into());
    }
    let doc = if yaml.trim().is_empty() { "{}" } else { yaml };
    let previous = SOFT.with(|s| s.borrow_mut().replace(Vec::new()));
    let result = catch_unwind(AssertUnwindSafe(|| serde_yaml::from_str::<T>(doc)));
    let soft = SOFT
        .with(|s| std::mem::replace(&mut *s.borrow_mut(), previous))
        .unwrap_or_default();
    let mut diags = soft_diagnostics(&soft, yaml, origin);
    match result {
        Ok(Ok(v)) if diags.is_empty() => return Ok(v),
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            let d = to_diagnostic(&e, yaml, origin);
            // A value raised softly and then hard (an untagged retry) is reported once.
            if !diags
                .iter()
                .any(|s| s.message == d.message && s.location == d.location)
            {
                diags.push(d);
            }
        }
        Err(_) => diags.push(
            Diagnostic::new(Code::Internal, "the YAML parser failed on this document")
                .in_file(origin.file)
                .at_offset(origin.file_text, origin.offset)
                .hint(
                    "simplify the YAML here; this is a bug in the YAML library, please report it",
                ),
        ),
    }
    diags.sort_by_key(|d| d.location);
    Err(diags.into_iter().collect())
}

/// Place each soft error at its value: the first whole occurrence of the quoted value after the
/// previous one placed (values are read in the order of the file), else anywhere.
fn soft_diagnostics(messages: &[String], yaml: &str, origin: Origin<'_>) -> Vec<Diagnostic> {
    let mut cursor = 0;
    let mut out = Vec::new();
    for full in messages {
        let (message, hint) = match full.split_once(HINT) {
            Some((m, h)) => (m, Some(h)),
            None => (full.as_str(), None),
        };
        let mut d = Diagnostic::new(kind_of(message), humanize(message)).in_file(origin.file);
        if let Some(token) = message.split('`').nth(1).filter(|t| !t.is_empty()) {
            let at = find_value(yaml, token, cursor).or_else(|| find_value(yaml, token, 0));
            match at {
                Some(i) => {
                    cursor = i + token.len();
                    // Name the key, as serde_yaml's own messages do (`as_of: invalid date …`).
                    let line_start = yaml[..i].rfind('\n').map_or(0, |n| n + 1);
                    let before = yaml[line_start..i].trim_end();
                    if let Some(key) = before
                        .strip_suffix(':')
                        .map(|k| k.trim_start_matches([' ', '-']).trim())
                        .filter(|k| {
                            !k.is_empty()
                                && k.chars()
                                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                        })
                    {
                        d.message = format!("{key}: {}", d.message);
                    }
                    d = d
                        .at_offset(origin.file_text, origin.offset + i)
                        .span(token.chars().count());
                }
                None => d = d.at_offset(origin.file_text, origin.offset),
            }
        }
        if let Some(h) = hint {
            d = d.hint(h);
        }
        out.push(d);
    }
    out
}

/// Byte offset of the first occurrence of `token` at or after `from` that is not part of a
/// longer word.
fn find_value(yaml: &str, token: &str, from: usize) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/');
    let mut at = from;
    while let Some(i) = yaml.get(at..)?.find(token) {
        let start = at + i;
        let end = start + token.len();
        let before = yaml[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c));
        let after = yaml[end..].chars().next().is_none_or(|c| !is_word(c));
        if before && after {
            return Some(start);
        }
        at = end;
    }
    None
}

/// Refuse documents nested deeper than [`MAX_DEPTH`] (by flow brackets or indentation).
fn check_nesting(yaml: &str, origin: Origin<'_>) -> Option<Diagnostic> {
    let mut depth: usize = 0;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(
                        Diagnostic::new(
                            Code::YamlTooDeep,
                            format!("YAML nested more than {MAX_DEPTH} levels deep"),
                        )
                        .in_file(origin.file)
                        .at_offset(origin.file_text, origin.offset + i)
                        .hint(
                            "flatten the data; front matter and data files never need this depth",
                        ),
                    );
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {}
            _ => {}
        }
    }
    for (n, line) in yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent / 2 > MAX_DEPTH * 2 {
            let offset = origin.offset + yaml.lines().take(n).map(|l| l.len() + 1).sum::<usize>();
            return Some(
                Diagnostic::new(
                    Code::YamlTooDeep,
                    format!("YAML nested more than {MAX_DEPTH} levels deep"),
                )
                .in_file(origin.file)
                .at_offset(origin.file_text, offset),
            );
        }
    }
    None
}

/// Separates a message from its hint in the errors our own types raise while being read.
pub(crate) const HINT: &str = "\nhint: ";

fn to_diagnostic(e: &serde_yaml::Error, yaml: &str, origin: Origin<'_>) -> Diagnostic {
    let full = e.to_string();
    // serde_yaml appends " at line L column C" to its message; we print our own locus.
    let message = strip_location(&full);
    let (message, own_hint) = match message.split_once(HINT) {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (message.to_string(), None),
    };
    let (base_line, _) = line_col(origin.file_text, origin.offset);
    let (line, column) = match e.location() {
        Some(loc) => (base_line + loc.line() - 1, loc.column()),
        None => (base_line, 1),
    };
    let (line, column, span) = refine(&message, yaml, origin, line, column);
    let mut d = Diagnostic::new(kind_of(&message), "")
        .in_file(origin.file)
        .at(origin.file_text, line, column)
        .span(span);
    if message.starts_with("unknown key `") {
        d = d.label("unknown key");
    }
    d.message = quote_only_the_line(&humanize(&message), d.source_line.as_deref().unwrap_or(""));

    // Point at the start of an unclosed quoted scalar rather than at the end of the document.
    if message.contains("while scanning a quoted scalar") {
        if let Some((l, c)) = context_position(&full) {
            d = d.at(origin.file_text, base_line + l - 1, c);
        }
        d = d.hint("a quoted value is never closed: add the closing quote");
    }

    let line_text = yaml
        .lines()
        .nth(line.saturating_sub(base_line))
        .unwrap_or("");
    if line_text.starts_with(['\t', ' ']) && line_text.contains('\t')
        || message.contains("found character that cannot start any token")
            && line_text.contains('\t')
    {
        d = d.hint("YAML indentation must use spaces, not tabs");
    }

    if let Some((field, expected)) = unknown_field(&message) {
        d = d.span(field.chars().count()).label("unknown key");
        let hint = match did_you_mean(&field, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known keys: {}", expected.join(", ")),
        };
        d = d.hint(hint);
    } else if message.contains("duplicate field") || message.contains("duplicate entry") {
        d = d.hint("each key may appear once; remove or merge the repeated one");
    } else if message.contains("repetition limit exceeded") {
        d = Diagnostic::new(
            Code::YamlTooDeep,
            "YAML aliases expand too far (an alias bomb?)",
        )
        .in_file(origin.file)
        .at_offset(origin.file_text, origin.offset)
        .hint("do not nest aliases (`*name`) of aliases; write the data out");
    } else if message.contains("recursion limit exceeded") {
        d = d.hint("the YAML is nested too deeply");
    }
    if let Some(h) = own_hint {
        d = d.hint(h);
    }
    d
}

/// The kind of a serde_yaml error, from its message: serde_yaml reports the YAML scanner's and
/// parser's errors, and serde's data errors, through one error type without a category.
fn kind_of(message: &str) -> Code {
    const SYNTAX: &[&str] = &[
        "while scanning",
        "while parsing",
        "did not find expected",
        "found character",
        "mapping values are not allowed",
        "sequence entries are not allowed",
        "found unexpected end of stream",
        "found undefined tag handle",
        "found unknown escape character",
        "control characters are not allowed",
        "invalid leading UTF-8 octet",
        "invalid trailing UTF-8 octet",
        "found incompatible YAML document",
        "deserializing from YAML containing more than one document",
    ];
    if message.contains("unknown field `") {
        Code::UnknownKey
    } else if message.contains("missing field") {
        Code::MissingField
    } else if message.contains("duplicate field") || message.contains("duplicate entry") {
        Code::DuplicateKey
    } else if message.contains("recursion limit exceeded")
        || message.contains("repetition limit exceeded")
    {
        Code::YamlTooDeep
    } else if message.contains("alternative account") {
        Code::Disputed
    } else if SYNTAX.iter().any(|s| message.contains(s)) {
        Code::YamlSyntax
    } else {
        Code::InvalidValue
    }
}

/// serde_yaml places errors raised while reading a nested value at the start of the enclosing
/// mapping. When the message quotes the bad value or key (`invalid date `2025-02-30``,
/// `unknown key `disputed``), point at it instead, underlining all of it: its first whole
/// occurrence at or after the reported line. Returns (line, column, span length).
fn refine(
    message: &str,
    yaml: &str,
    origin: Origin<'_>,
    line: usize,
    column: usize,
) -> (usize, usize, usize) {
    if message.contains("duplicate field") || message.contains("duplicate entry") {
        let (l, c) = duplicate_key(message, yaml, origin).unwrap_or((line, column));
        return (l, c, 1);
    }
    if message.contains("unknown field") {
        return (line, column, 1);
    }
    let Some(token) = message.split('`').nth(1).filter(|t| !t.is_empty()) else {
        return (line, column, 1);
    };
    let (base_line, _) = line_col(origin.file_text, origin.offset);
    let skip = line.saturating_sub(base_line);
    let from: usize = yaml.lines().take(skip).map(|l| l.len() + 1).sum();
    match find_value(yaml, token, from.min(yaml.len())) {
        Some(i) => {
            let (l, c) = line_col(origin.file_text, origin.offset + i);
            (l, c, token.chars().count())
        }
        None => (line, column, 1),
    }
}

/// Remove every " at line L column C" serde_yaml puts in its messages: they count from the
/// start of the YAML, not the file, and we print our own locus.
/// The second line that starts with `key:` (at any indentation): where a key is given twice.
fn duplicate_key(message: &str, yaml: &str, origin: Origin<'_>) -> Option<(usize, usize)> {
    let key = message.split('`').nth(1)?;
    let mut offset = 0;
    let mut seen = 0;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '-']);
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = bare.strip_prefix(key)
            && rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        {
            seen += 1;
            if seen == 2 {
                return Some(line_col(origin.file_text, origin.offset + offset + indent));
            }
        }
        offset += line.len();
    }
    None
}

fn strip_location(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(after);
        match after[n..].strip_prefix(" column ") {
            Some(col) if n > 0 && digits(col) > 0 => {
                rest = &col[digits(col)..];
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "while scanning a quoted scalar at line 2 column 8": the (line, column) of the context.
fn context_position(msg: &str) -> Option<(usize, usize)> {
    let rest = &msg[msg.find("while scanning a quoted scalar at line ")?..];
    let rest = rest.strip_prefix("while scanning a quoted scalar at line ")?;
    let mut parts = rest.split_whitespace();
    let line: usize = parts.next()?.parse().ok()?;
    if parts.next()? != "column" {
        return None;
    }
    let col: usize = parts
        .next()?
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    Some((line, col))
}

/// Parse serde's "unknown field `x`, expected one of `a`, `b`" into the field and the list.
fn unknown_field(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field.to_string(), expected))
}

/// serde quotes the value it could not use (`invalid type: string "…"`, `unknown variant `…``),
/// and a plain scalar runs over as many lines as it likes: a file that is not YAML at all (say,
/// `KEY=secret` lines) would be quoted whole. Keep a quoted value only if it stands on the
/// offending line, which the snippet shows anyway; otherwise drop it.
fn quote_only_the_line(msg: &str, line: &str) -> String {
    let mut out = msg.to_string();
    if let Some(i) = out.find("string \"") {
        let start = i + "string \"".len();
        // serde writes the value with Rust's escapes: find the closing, unescaped quote.
        let mut end = None;
        let mut escaped = false;
        for (j, c) in out[start..].char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(start + j);
                    break;
                }
                _ => escaped = false,
            }
        }
        match end {
            Some(end) if line.contains(&out[start..end]) => {}
            Some(end) => out.replace_range(i + "string".len()..end + 1, ""),
            None => out.truncate(i + "string".len()),
        }
    }
    if let Some(i) = out.find("unknown variant `") {
        let start = i + "unknown variant `".len();
        match out[start..].find('`') {
            Some(n) if line.contains(&out[start..start + n]) => {}
            Some(n) => out.replace_range(i + "unknown variant".len()..start + n + 1, ""),
            None => out.truncate(i + "unknown variant".len()),
        }
    }
    out
}

/// Reword serde's messages into the vocabulary of front matter ("key" rather than "field").
fn humanize(msg: &str) -> String {
    if let Some((field, _)) = unknown_field(msg) {
        return format!("unknown key `{field}`");
    }
    let msg = msg
        .replace("missing field", "missing required key")
        .replace("duplicate field", "key given twice:")
        .replace("duplicate entry with key", "key given twice:");
    // serde_yaml prefixes errors with the path to the value: "talks[0].venue: …"
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn parse_front(file_text: &str) -> Result<Front, Diagnostic> {
        let offset = 4; // after "---\n"
        let end = file_text[offset..]
            .find("---")
            .map_or(file_text.len(), |i| i + offset);
        parse(
            &file_text[offset..end],
            Origin {
                file: Path::new("content/a.md"),
                file_text,
                offset,
            },
        )
    }

    #[test]
    fn unknown_key_is_located_in_the_file_with_a_suggestion() {
        let d = parse_front("---\ntitle: A\ntagz: [x]\n---\n").unwrap_err();
        assert_eq!(d.message, "unknown key `tagz`");
        assert_eq!(d.location.unwrap().line, 3);
        assert_eq!(d.location.unwrap().column, 1);
        assert_eq!(d.hint.as_deref(), Some("did you mean `tags`?"));
    }

    #[test]
    fn unclosed_quote_points_at_the_quote() {
        let d = parse_front("---\ntitle: \"A\ntags: []\n---\n").unwrap_err();
        assert_eq!(d.location.unwrap().line, 2, "{d:?}");
        assert_eq!(d.location.unwrap().column, 8, "{d:?}");
    }

    #[test]
    fn a_key_given_twice_points_at_the_repeat() {
        let d = parse_front("---\ntitle: A\ntags: []\ntitle: B\n---\n").unwrap_err();
        assert_eq!(d.location.unwrap().line, 4, "{d:?}");
        assert!(d.message.contains("title"), "{d:?}");
    }

    #[test]
    fn messages_carry_no_positions_of_their_own() {
        assert_eq!(
            strip_location(
                "found x at line 3 column 1, while scanning a quoted scalar at line 2 column 8"
            ),
            "found x, while scanning a quoted scalar"
        );
        assert_eq!(strip_location("at line one"), "at line one");
    }

    #[test]
    fn a_value_is_quoted_only_from_the_offending_line() {
        let d = parse_front("---\nA=1\nB=2\n---\n").unwrap_err();
        assert_eq!(d.source_line.as_deref(), Some("A=1"));
        assert!(!d.message.contains("B=2"), "{d:?}");
        assert!(
            d.message.starts_with("invalid type: string, expected"),
            "{d:?}"
        );
        // A value on its line is still quoted.
        assert_eq!(
            quote_only_the_line(
                r#"invalid type: string "yes", expected a boolean"#,
                "a: yes"
            ),
            r#"invalid type: string "yes", expected a boolean"#
        );
        assert_eq!(
            quote_only_the_line(
                r#"x: invalid type: string "a \" b", expected u8"#,
                "x: 'a\" b'"
            ),
            "x: invalid type: string, expected u8"
        );
        assert_eq!(
            quote_only_the_line("unknown variant `al low`, expected `allow`", "raw: al"),
            "unknown variant, expected `allow`"
        );
    }

    #[test]
    fn tabs_get_a_hint() {
        let d = parse_front("---\ntitle: A\ntags:\n\t- x\n---\n").unwrap_err();
        assert_eq!(d.location.unwrap().line, 4, "{d:?}");
        assert!(d.hint.unwrap().contains("tabs"));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("---\ntitle: A\nextra_a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            y.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = c;
        }
        y.push_str("---\n");
        let r: Result<serde_json::Value, _> = parse(
            &y[4..y.len() - 4],
            Origin {
                file: Path::new("a.md"),
                file_text: &y,
                offset: 4,
            },
        );
        assert!(r.is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let r: Result<serde_json::Value, _> = parse(
            &y,
            Origin {
                file: Path::new("a.yaml"),
                file_text: &y,
                offset: 0,
            },
        );
        let d = r.unwrap_err();
        assert!(d.message.contains("nested"), "{d:?}");
    }
}
