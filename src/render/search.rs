//! The search index: `search-index.json`, read by the search page's small script.
//!
//! One entry per page: title, URL, kind, and a short plain text (summary and headings) to match
//! and show. It is kept small on purpose: full bodies are not indexed.

use rayon::prelude::*;
use serde::Serialize;

/// One searchable page.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub text: String,
}

/// The index as compact JSON: the same bytes as `serde_json::to_string(entries)`, the entries
/// serialised in parallel.
pub fn to_json(entries: &[Entry]) -> String {
    let items: Vec<String> = entries
        .par_iter()
        .map(|e| serde_json::to_string(e).unwrap_or_default())
        .collect();
    let mut json = String::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 2);
    json.push('[');
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push_str(item);
    }
    json.push(']');
    json
}

/// Most characters of text kept per entry.
const MAX_TEXT: usize = 300;

/// Plain text from an HTML fragment: tags dropped, common entities decoded, spaces collapsed.
pub fn plain_text(html: &str) -> String {
    const BLOCK: &[&str] = &[
        "p",
        "li",
        "br",
        "div",
        "td",
        "th",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "dt",
        "dd",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_cite = 0usize;
    // Text runs are copied whole, up to the next tag.
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if in_cite == 0 {
                out.push_str(rest);
            }
            break;
        };
        if in_cite == 0 {
            out.push_str(&rest[..lt]);
        }
        let after = &rest[lt + 1..];
        // A tag never closed runs to the end of the text (and must not be cut mid-character).
        let (tag, next) = match after.find('>') {
            Some(i) => (&after[..i], &after[i + 1..]),
            None => (after, ""),
        };
        let bare = tag.trim_start_matches('/');
        let name_len = bare.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = &bare[..name_len];
        if tag.starts_with("sup class=\"cite\"") {
            in_cite += 1;
        } else if tag == "/sup" && in_cite > 0 {
            in_cite -= 1;
        } else if BLOCK.contains(&name) {
            out.push(' ');
        }
        rest = next;
    }
    let decoded = if out.contains('&') {
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        out
    };
    let mut collapsed = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// Cut `s` to at most `MAX_TEXT` characters at a word boundary.
pub fn clip(s: &str) -> String {
    if s.len() <= MAX_TEXT || s.chars().count() <= MAX_TEXT {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_TEXT).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_and_citations() {
        let h = "<p>Talks <em>began</em> &amp; ended<sup class=\"cite\" id=\"c\"><a href=\"#s\">[1]</a></sup>.</p>";
        assert_eq!(plain_text(h), "Talks began & ended.");
        assert_eq!(
            plain_text("<p>A</p><p>B <a href=\"x\">c</a>, d</p>"),
            "A B c, d"
        );
    }

    #[test]
    fn unclosed_tag_before_a_multibyte_character_does_not_panic() {
        // Found by the `markdown` fuzz target (tests/fuzz-regressions/markdown/unclosed-tag-multibyte):
        // with no `>`, the tag was cut one byte short of the end, inside `é`.
        assert_eq!(plain_text("<p><é"), "");
        assert_eq!(plain_text("a <b>c</b> <é"), "a c");
        assert_eq!(plain_text("x<p>y<"), "x y");
    }

    #[test]
    fn json_is_what_serde_writes() {
        let entry = |n: usize| Entry {
            title: format!("Title \"{n}\" é"),
            url: format!("/p/{n}/"),
            kind: "page",
            text: "a\nb <c> & d".into(),
        };
        for n in [0, 1, 3, 100] {
            let entries: Vec<Entry> = (0..n).map(entry).collect();
            assert_eq!(to_json(&entries), serde_json::to_string(&entries).unwrap());
        }
    }

    #[test]
    fn clip_cuts_at_a_word() {
        let s = "word ".repeat(100);
        let c = clip(&s);
        assert!(c.ends_with('…'));
        assert!(c.chars().count() <= MAX_TEXT + 1);
    }
}
