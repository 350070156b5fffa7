//! The search index: the full text of every page, folded for matching and split into shards
//! the search page's script fetches as a query needs them.
//!
//! Each indexed output (content pages, the front page and other listings, the positions matrix,
//! the timeline, the source list; not the search page, the 404 page or redirects) gives a
//! [`Doc`]: its address, title, kind, the plain text of its `<main>` element as rendered (so
//! record fields, matrix cells and timeline entries are in it as a reader sees them) and the
//! record's other names (`variants`, short and native names). Text is matched [`fold`]ed:
//! lowercased, compatibility-decomposed (NFKD, `unicode-normalization`) with combining marks
//! dropped, so `Turkiye` finds `Türkiye` and `мединскии` finds `Мединский`.
//!
//! The files ([`Layout`], declared in the output plan):
//! - `search-index.json`, the manifest: how many shards of each family, docs per doc shard;
//! - `search/terms-<i>.json`: every folded term whose first two characters hash to shard `i`,
//!   with the documents that hold it (`{"term": [posting, …]}`, each posting
//!   `(id - previous id) * 4 + weight`; weight 3 for a term of the title or a name, else
//!   0–2 by how often it occurs). A query term's prefix names the one shard that holds every
//!   term it is a prefix of;
//! - `search/docs-<j>.json`: documents `j * chunk ..` in address order, `[url, title, kind,
//!   text, [names…], notice]`, for the result list and its snippets (`notice`: the page's
//!   translation notice, or `null`).
//!
//! A one-shot render (`build`, `check`) streams the index ([`Streamer`]): each document's
//! terms are posted and its text clipped as its page is made, each document shard written once
//! its documents are all in, the term shards at the end. A term shard whose postings pass
//! [`SET_ASIDE_BUDGET`]'s share is written to a scratch file the sink gives (unnamed, on the
//! output's file system, gone when the build ends, however it ends) and read back for its file,
//! so a large site's postings do not all wait in memory. `serve` keeps the whole [`Index`]: a
//! one-page edit changes that page's document shard and the term shards of the terms it
//! gained or lost ([`Index::update`]); every other shard keeps its bytes. Both write the same
//! files for the same pages.
//! `static/search.js` folds, tokenises and hashes exactly as this module does.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::load::kinds::Front;
use crate::model::Site;
use crate::model::outputs::Job;

pub(crate) use crate::model::outputs::SEARCH_CHUNK as CHUNK;
pub(crate) use crate::model::outputs::SearchLayout as Layout;

/// Most characters of a document's text kept for snippets (every term of it is indexed).
pub(crate) const MAX_STORED: usize = 12_000;
/// Terms longer than this (in characters) are not indexed: addresses, identifiers.
const MAX_TERM: usize = 40;

/// The output path of term shard `i`.
pub(crate) fn terms_path(i: usize) -> String {
    format!("search/terms-{i}.json")
}

/// The output path of document shard `j`.
pub(crate) fn docs_path(j: usize) -> String {
    format!("search/docs-{j}.json")
}

/// What kind of page a result is, as the result list shows it.
fn kind_of(site: &Site, job: Job) -> &'static str {
    match job {
        Job::Page(i) => site.pages[i].kind(),
        Job::Section(0) => "front page",
        Job::Section(_) => "listing",
        Job::TagList | Job::Tag(_) => "tag",
        // A page of a split list is of its list's kind.
        Job::Positions | Job::PositionsTopic(_) => "positions",
        Job::Timeline | Job::TimelineYear(_) => "timeline",
        Job::Sources | Job::SourceLetter(..) => "sources",
        _ => "page",
    }
}

/// The other names a record goes by, indexed like its title and shown when a result matched
/// only them.
fn names_of(site: &Site, job: Job) -> Vec<String> {
    let Job::Page(i) = job else {
        return Vec::new();
    };
    let mut names: Vec<String> = match &site.pages[i].source.front {
        Front::Person(f) => f
            .variants
            .iter()
            .cloned()
            .chain(f.native_name.as_ref().map(|n| n.text.clone()))
            .collect(),
        Front::Party(f) => f
            .variants
            .iter()
            .cloned()
            .chain(f.short_name.clone())
            .chain(f.adjective.clone())
            .collect(),
        _ => Vec::new(),
    };
    let title = site.pages[i].source.front.common().title;
    let mut seen = Vec::new();
    names.retain(|n| {
        let keep = !n.trim().is_empty() && n != title && !seen.contains(n);
        seen.push(n.clone());
        keep
    });
    names
}

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    /// The page's text as a reader sees it (its `<main>`), whole.
    pub(crate) text: String,
    pub(crate) names: Vec<String>,
    /// The translation notice of the sources the page cites, shown with its result.
    pub(crate) notice: Option<String>,
    /// The title's `lang` when the edition shows it untranslated (the original's); stored
    /// only then, as a seventh field of the document's row.
    pub(crate) lang: Option<String>,
}

impl Doc {
    /// The document of the output `job` made (`html`), if that output is indexed.
    pub(crate) fn of(
        site: &Site,
        job: Job,
        title: &str,
        url: &str,
        html: &str,
        cites: &[String],
    ) -> Option<Doc> {
        job.is_indexed().then(|| Doc {
            url: url.to_string(),
            title: title.to_string(),
            kind: kind_of(site, job),
            text: page_text(html),
            names: names_of(site, job),
            notice: crate::render::views::notice_for(site, site.locales.default_locale(), cites),
            lang: match job {
                Job::Page(i) => site
                    .pages
                    .get(i)
                    .and_then(|p| site.title_lang(&p.source))
                    .map(str::to_string),
                _ => None,
            },
        })
    }

    /// Each distinct folded term with its weight (3: in the title or a name; else 0, 1 or 2
    /// for one, two or three, four or more occurrences; at most 1 on a listing), in no
    /// particular (but deterministic) order.
    pub(crate) fn terms(&self) -> Terms {
        // The text folded once; its terms are slices of it, counted in a map.
        let mut folded = String::with_capacity(self.text.len());
        let mut names = String::new();
        fold_into(&self.text, &mut folded);
        self.fold_names_into(&mut names);
        // Sized for the distinct terms of a page's text (about one in sixteen bytes starts
        // one), so the map seldom grows while counting.
        let mut counts: FxHashMap<&str, u32> =
            FxHashMap::with_capacity_and_hasher(folded.len() / 16 + 8, Default::default());
        split_terms(&folded, |t| *counts.entry(t).or_insert(0) += 1);
        split_terms(&names, |t| {
            counts.insert(t, NAMED);
        });
        // In the map's order: every user of the terms orders them itself (the shards' maps
        // are sorted), so sorting here would only cost time.
        let distinct: Vec<(&str, u32)> = counts.into_iter().collect();
        let mut out = Terms {
            buf: String::with_capacity(distinct.iter().map(|(t, _)| t.len()).sum()),
            spans: Vec::with_capacity(distinct.len()),
        };
        for (t, count) in distinct {
            let w = self.weight(count);
            let start = out.buf.len() as u32;
            out.buf.push_str(t);
            out.spans.push((start, out.buf.len() as u32, w));
        }
        out
    }

    /// Its title and other names folded, each followed by a space: the text whose terms
    /// weigh most.
    fn fold_names_into(&self, out: &mut String) {
        for name in std::iter::once(&self.title).chain(&self.names) {
            fold_into(name, out);
            out.push(' ');
        }
    }

    /// The weight of a term the document holds `count` times ([`NAMED`]: in its title or a
    /// name), as [`Doc::terms`] documents it.
    fn weight(&self, count: u32) -> u8 {
        let w = match count {
            NAMED => 3,
            0 | 1 => 0,
            2 | 3 => 1,
            _ => 2,
        };
        // Listings repeat what the pages they list say: they rank below those pages.
        if matches!(self.kind, "listing" | "tag" | "sources") {
            w.min(1)
        } else {
            w
        }
    }
}

/// The count [`Doc::weight`] reads as "in the title or a name".
const NAMED: u32 = u32::MAX;

/// A document's distinct terms with their weights, kept in one buffer.
#[derive(Debug, Default)]
pub(crate) struct Terms {
    buf: String,
    spans: Vec<(u32, u32, u8)>,
}

impl Terms {
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.spans
            .iter()
            .map(|&(a, b, w)| (&self.buf[a as usize..b as usize], w))
    }
}

/// Fold one character for matching, appending the result to `out`: lowercase, compatibility
/// decomposition, combining marks dropped, and the few letters that do not decompose
/// (`ı ł ø đ ß æ œ þ ð ħ ŧ ς`) spelt as their plain forms.
pub(crate) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        unicode_normalization::char::decompose_compatible(l, |d| {
            if unicode_normalization::char::is_combining_mark(d) {
                return;
            }
            for d in d.to_lowercase() {
                match d {
                    'ı' => out.push('i'),
                    'ł' => out.push('l'),
                    'ø' => out.push('o'),
                    'đ' | 'ð' => out.push('d'),
                    'ß' => out.push_str("ss"),
                    'æ' => out.push_str("ae"),
                    'œ' => out.push_str("oe"),
                    'þ' => out.push_str("th"),
                    'ħ' => out.push('h'),
                    'ŧ' => out.push('t'),
                    'ς' => out.push('σ'),
                    d => out.push(d),
                }
            }
        });
    }
}

/// `s` folded ([`fold_char`]).
#[cfg(test)]
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Append `text` folded ([`fold_char`]) to `out`, ASCII byte by byte.
fn fold_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        if ascii > 0 {
            let (head, tail) = rest.split_at(ascii);
            let start = out.len();
            out.push_str(head);
            out[start..].make_ascii_lowercase();
            rest = tail;
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            fold_char(c, out);
        }
        rest = chars.as_str();
    }
}

/// Call `f` with each term of folded text: each run of letters and digits of at most
/// [`MAX_TERM`] characters.
fn split_terms<'a>(folded: &'a str, mut f: impl FnMut(&'a str)) {
    let mut start: Option<usize> = None;
    let emit = |from: usize, to: usize, f: &mut dyn FnMut(&'a str)| {
        let t = &folded[from..to];
        if t.len() <= MAX_TERM || t.chars().count() <= MAX_TERM {
            f(t);
        }
    };
    // Byte by byte while the text is ASCII (most of it), a character at a time otherwise.
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (word, len) = if b.is_ascii() {
            // The rest of an ASCII word at once.
            if start.is_some() && b.is_ascii_alphanumeric() {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                continue;
            }
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = folded[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        };
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit(s, i, &mut f);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        emit(s, folded.len(), &mut f);
    }
}

/// Call `f` with each term of `text`: a run of letters and digits once folded, at most
/// [`MAX_TERM`] characters. `buf` is scratch space.
pub(crate) fn for_each_term(text: &str, buf: &mut String, f: impl FnMut(&str)) {
    buf.clear();
    fold_into(text, buf);
    split_terms(buf, f);
}

/// The terms of `text`, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

/// The term shard (of `shards`) that holds `term`: FNV-1a over the code points of its first
/// two characters.
pub(crate) fn shard_of(term: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(2) {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % shards.max(1)
}

/// The plain text of a rendered page: its `<main>` element (the whole page if it has none),
/// with scripts, styles, navigation and citation marks left out.
pub fn page_text(html: &str) -> String {
    let main = match html.find("<main") {
        Some(i) => {
            let rest = &html[i..];
            let body = rest.find('>').map_or("", |j| &rest[j + 1..]);
            body.rfind("</main>").map_or(body, |k| &body[..k])
        }
        None => html,
    };
    text_of(main, true)
}

/// Plain text from an HTML fragment: tags dropped, common entities decoded, spaces collapsed.
pub fn plain_text(html: &str) -> String {
    text_of(html, false)
}

/// Elements whose text is not the page's: with `skip`, their contents are left out (and
/// those of heading anchors, anything `aria-hidden` and anything marked `data-search-skip`,
/// such as a listing's entries, which are found on their own pages).
const SKIPPED: &[&str] = &["script", "style", "nav", "noscript", "template", "svg"];

fn text_of(html: &str, skip: bool) -> String {
    let mut out = Collapsed::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut in_cite = 0usize;
    // The element whose contents are being skipped, and how deep in it.
    let mut skipping: Option<(&str, usize)> = None;
    // Text runs are copied whole, up to the next tag.
    while !rest.is_empty() {
        let quiet = in_cite > 0 || skipping.is_some();
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            if !quiet {
                out.text(rest);
            }
            break;
        };
        if !quiet {
            out.text(&rest[..lt]);
        }
        let after = &rest[lt + 1..];
        // A tag never closed runs to the end of the text (and must not be cut mid-character).
        let (tag, next) = match memchr::memchr(b'>', after.as_bytes()) {
            Some(i) => (&after[..i], &after[i + 1..]),
            None => (after, ""),
        };
        let closing = tag.starts_with('/');
        let bare = tag.trim_start_matches('/');
        let name_len = bare.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = &bare[..name_len];
        if let Some((el, depth)) = skipping {
            if name.eq_ignore_ascii_case(el) && !tag.ends_with('/') {
                skipping = match (closing, depth) {
                    (true, 0) => None,
                    (true, d) => Some((el, d - 1)),
                    (false, d) => Some((el, d + 1)),
                };
            }
            rest = next;
            continue;
        }
        if tag.starts_with("sup class=\"cite\"") {
            in_cite += 1;
        } else if tag == "/sup" && in_cite > 0 {
            in_cite -= 1;
        } else if skip
            && !closing
            && !tag.ends_with('/')
            && (SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(name))
                || tag.starts_with("a class=\"anchor\"")
                || (bare.len() > name_len && skipped_by_attribute(tag)))
        {
            skipping = Some((name, 0));
            if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
                // Their text is raw: skip straight to the end tag.
                let end = find_ci(next, &format!("</{name}"));
                rest = end.map_or("", |e| {
                    let tail = &next[e..];
                    tail.find('>').map_or("", |g| &tail[g + 1..])
                });
                skipping = None;
                continue;
            }
        } else if is_block(name.as_bytes()) {
            out.space();
        }
        rest = next;
    }
    out.out
}

/// Text made in one pass as [`text_of`] reads it: entities decoded ([`entity`]), every run of
/// whitespace (as `char::is_whitespace` has it, a decoded `&nbsp;` included) one space, none
/// at either end.
struct Collapsed {
    out: String,
    /// Whitespace came since the last character kept.
    gap: bool,
}

impl Collapsed {
    fn with_capacity(n: usize) -> Collapsed {
        Collapsed {
            out: String::with_capacity(n),
            gap: false,
        }
    }

    /// A break between words (a block element's edge).
    fn space(&mut self) {
        self.gap = true;
    }

    /// Characters that are not whitespace, after the gap if there was one.
    fn word(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.gap && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.gap = false;
        self.out.push_str(s);
    }

    /// A run of text between tags.
    fn text(&mut self, s: &str) {
        /// Bytes that may start whitespace or an entity: ASCII whitespace, `&`, and the lead
        /// bytes of every other whitespace character (U+0085, U+00A0, U+1680, U+2000–U+205F,
        /// U+3000).
        const SPECIAL: [bool; 256] = {
            let mut t = [false; 256];
            let mut k = 0;
            let bytes = [
                b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c, b'&', 0xc2, 0xe1, 0xe2, 0xe3,
            ];
            while k < bytes.len() {
                t[bytes[k] as usize] = true;
                k += 1;
            }
            t
        };
        let bytes = s.as_bytes();
        // `bytes[from..i]` holds nothing to collapse or decode yet.
        let (mut from, mut i) = (0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            if !SPECIAL[usize::from(b)] {
                i += 1;
                continue;
            }
            // One space between two words stays as it is, inside the run.
            if b == b' ' && i > from && bytes.get(i + 1).is_some_and(|&n| !SPECIAL[usize::from(n)])
            {
                i += 2;
                continue;
            }
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                    self.word(&s[from..i]);
                    self.gap = true;
                    i += 1;
                    from = i;
                }
                b'&' => {
                    self.word(&s[from..i]);
                    match entity(&s[i..]) {
                        Some((c, len)) => {
                            if c.is_whitespace() {
                                self.gap = true;
                            } else {
                                self.word(c.encode_utf8(&mut [0; 4]));
                            }
                            i += len;
                        }
                        None => {
                            self.word("&");
                            i += 1;
                        }
                    }
                    from = i;
                }
                _ => {
                    let c = s[i..].chars().next().unwrap_or(' ');
                    if c.is_whitespace() {
                        self.word(&s[from..i]);
                        self.gap = true;
                        i += c.len_utf8();
                        from = i;
                    } else {
                        i += c.len_utf8();
                    }
                }
            }
        }
        self.word(&s[from..]);
    }
}

/// The character the entity `s` starts with (`&…;`) stands for, and the entity's length: the
/// five of XML, `&nbsp;`, and numeric references.
fn entity(s: &str) -> Option<(char, usize)> {
    let tail = s.strip_prefix('&')?;
    let e = tail.find(|c: char| !c.is_ascii_alphanumeric() && c != '#')?;
    if tail.as_bytes().get(e) != Some(&b';') {
        return None;
    }
    let name = &tail[..e];
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "amp" => '&',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => name.strip_prefix('#').and_then(|n| {
            let v = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => n.parse().ok(),
            };
            v.and_then(char::from_u32)
        })?,
    };
    Some((c, e + 2))
}

/// Whether the element `name` (as written) is a block whose edges part words.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"br"
            | b"div"
            | b"td"
            | b"th"
            | b"tr"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"blockquote"
            | b"dt"
            | b"dd"
            | b"section"
            | b"header"
            | b"footer"
            | b"article"
            | b"figcaption"
            | b"caption"
    )
}

/// Whether a start tag's attributes leave its contents out of the page's text
/// (`data-search-skip`, `aria-hidden="true"`).
fn skipped_by_attribute(tag: &str) -> bool {
    use std::sync::LazyLock;
    static SKIP: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(" data-search-skip"));
    static HIDDEN: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("aria-hidden=\"true\""));
    // Both contain `-`: most tags have none, and are done with one `memchr`.
    let tag = tag.as_bytes();
    memchr::memchr(b'-', tag).is_some() && (SKIP.find(tag).is_some() || HIDDEN.find(tag).is_some())
}

/// The byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Cut `s` to at most `max` characters at a word boundary, marking the cut with `…`.
pub fn clip_to(s: &str, max: usize) -> String {
    // The byte where character `max` starts, if `s` has more.
    let Some((end, _)) = s.char_indices().nth(max).filter(|_| s.len() > max) else {
        return s.to_string();
    };
    let cut = &s[..end];
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// A posting: a document's id and the term's weight in it.
fn posting(id: u32, w: u8) -> u32 {
    id << 2 | u32::from(w & 3)
}

/// A term shard's file: `terms` in term order, each with its postings in id order.
fn terms_json<'a>(terms: impl Iterator<Item = (&'a str, &'a [u32])>) -> String {
    let mut s = String::from("{");
    for (n, (term, list)) in terms.enumerate() {
        if n > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(term).unwrap_or_default());
        s.push_str(":[");
        let mut prev = 0u32;
        for (k, p) in list.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            let id = p >> 2;
            let _ = write!(s, "{}", u64::from(id - prev) * 4 + u64::from(p & 3));
            prev = id;
        }
        s.push(']');
    }
    s.push_str("}\n");
    s
}

/// A document shard's file: `docs` in id order, their text clipped to [`MAX_STORED`] (unless
/// it already is: `clip` false).
fn docs_json<'a>(docs: impl Iterator<Item = &'a Doc>, clip: bool) -> String {
    type Fields<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Cow<'a, str>,
        &'a [String],
        Option<&'a str>,
    );
    /// A document's row: its title's `lang` only when it has one.
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Row<'a> {
        Own(Fields<'a>),
        Untranslated(
            &'a str,
            &'a str,
            &'a str,
            Cow<'a, str>,
            &'a [String],
            Option<&'a str>,
            &'a str,
        ),
    }
    let rows: Vec<Row<'_>> = docs
        .map(|d| {
            let text = if clip {
                Cow::Owned(clip_to(&d.text, MAX_STORED))
            } else {
                Cow::Borrowed(d.text.as_str())
            };
            let (url, title, names, notice) = (
                d.url.as_str(),
                d.title.as_str(),
                d.names.as_slice(),
                d.notice.as_deref(),
            );
            match d.lang.as_deref() {
                None => Row::Own((url, title, d.kind, text, names, notice)),
                Some(l) => Row::Untranslated(url, title, d.kind, text, names, notice, l),
            }
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_default() + "\n"
}

/// The manifest, `search-index.json`.
fn manifest(count: usize, layout: Layout) -> String {
    format!(
        "{{\"version\":1,\"count\":{count},\"terms\":{},\"docs\":{},\"chunk\":{CHUNK}}}\n",
        layout.terms, layout.docs
    )
}

/// The whole index, kept between renders so an edit rewrites only the shards it changes.
#[derive(Debug, Default)]
pub(crate) struct Index {
    layout: Option<Layout>,
    /// Documents in address order (a document's id is its place here).
    docs: Vec<Doc>,
    /// Per term shard: term → [`posting`]s in id order.
    postings: Vec<BTreeMap<String, Vec<u32>>>,
}

impl Index {
    /// The index of `docs` (any order) in `layout`.
    pub(crate) fn build(layout: Layout, mut docs: Vec<Doc>) -> Index {
        docs.par_sort_unstable_by(|a, b| a.url.cmp(&b.url));
        // Each document's terms, then every posting in its shard (in id order, as documents
        // are visited in order), then each shard's map.
        let terms: Vec<(Terms, Vec<u16>)> = docs
            .par_iter()
            .map(|d| {
                let t = d.terms();
                let shards = t
                    .iter()
                    .map(|(t, _)| shard_of(t, layout.terms) as u16)
                    .collect();
                (t, shards)
            })
            .collect();
        let mut buckets: Vec<Vec<(u32, u32)>> = vec![Vec::new(); layout.terms];
        for (id, (_, shards)) in terms.iter().enumerate() {
            for (k, s) in shards.iter().enumerate() {
                buckets[usize::from(*s)].push((id as u32, k as u32));
            }
        }
        let postings: Vec<BTreeMap<String, Vec<u32>>> = buckets
            .into_par_iter()
            .map(|bucket| {
                let mut map: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
                for (id, k) in bucket {
                    let t = &terms[id as usize].0;
                    let (a, b, w) = t.spans[k as usize];
                    map.entry(&t.buf[a as usize..b as usize])
                        .or_default()
                        .push(posting(id, w));
                }
                map.into_iter().map(|(t, p)| (t.to_string(), p)).collect()
            })
            .collect();
        Index {
            layout: Some(layout),
            docs,
            postings,
        }
    }

    /// Every file of the index: (output path, text).
    pub(crate) fn files(&self) -> Vec<(String, String)> {
        let out = std::sync::Mutex::new(Vec::new());
        self.write(&|path, text| {
            if let Ok(mut out) = out.lock() {
                out.push((path, text));
            }
        });
        let mut out = out.into_inner().unwrap_or_default();
        out.sort();
        out
    }

    /// Hand every file of the index to `put` (output path, text) as it is made, in parallel.
    pub(crate) fn write(&self, put: &(dyn Fn(String, String) + Sync)) {
        let Some(layout) = self.layout else {
            return;
        };
        (0..layout.terms)
            .into_par_iter()
            .for_each(|i| put(terms_path(i), self.terms_json(i)));
        (0..layout.docs)
            .into_par_iter()
            .for_each(|j| put(docs_path(j), self.docs_json(j)));
        put("search-index.json".into(), self.manifest());
    }

    fn manifest(&self) -> String {
        let l = self.layout.unwrap_or(Layout { terms: 1, docs: 1 });
        manifest(self.docs.len(), l)
    }

    fn terms_json(&self, shard: usize) -> String {
        match self.postings.get(shard) {
            Some(map) => terms_json(map.iter().map(|(t, l)| (t.as_str(), l.as_slice()))),
            None => terms_json(std::iter::empty()),
        }
    }

    fn docs_json(&self, shard: usize) -> String {
        let from = (shard * CHUNK).min(self.docs.len());
        let to = ((shard + 1) * CHUNK).min(self.docs.len());
        docs_json(self.docs[from..to].iter(), true)
    }

    /// Apply changed documents (each replacing the document of the same address). Returns the
    /// files to write again, or `None` when the set of addresses changed (ids shift: build the
    /// index again).
    pub(crate) fn update(&mut self, changed: Vec<Doc>) -> Option<Vec<(String, String)>> {
        let layout = self.layout?;
        let find = |docs: &[Doc], url: &str| docs.binary_search_by(|d| d.url.as_str().cmp(url));
        if changed.iter().any(|d| find(&self.docs, &d.url).is_err()) {
            return None;
        }
        // Each document once (an update renders each output once): anything else is left to
        // a whole build of the index.
        let mut seen = rustc_hash::FxHashSet::default();
        if !changed.iter().all(|d| seen.insert(d.url.as_str())) {
            return None;
        }
        drop(seen);
        // The documents that changed, with their old and new terms (made in parallel: a long
        // page's are most of an update's time here).
        let docs = &self.docs;
        let edits: Vec<(usize, Doc, Terms, Terms)> = changed
            .into_par_iter()
            .filter_map(|doc| {
                let id = find(docs, &doc.url).ok()?;
                (docs[id] != doc).then(|| {
                    let old = docs[id].terms();
                    let new = doc.terms();
                    (id, doc, old, new)
                })
            })
            .collect();
        let mut term_shards: Vec<usize> = Vec::new();
        let mut doc_shards: Vec<usize> = Vec::new();
        for (id, doc, old_terms, new_terms) in edits {
            let old: BTreeMap<&str, u8> = old_terms.iter().collect();
            let new: BTreeMap<&str, u8> = new_terms.iter().collect();
            let id32 = id as u32;
            for (t, w) in &old {
                if new.get(t) != Some(w) {
                    let s = shard_of(t, layout.terms);
                    term_shards.push(s);
                    if let Some(list) = self.postings[s].get_mut(*t) {
                        list.retain(|p| p >> 2 != id32);
                        if list.is_empty() {
                            self.postings[s].remove(*t);
                        }
                    }
                }
            }
            for (t, w) in &new {
                if old.get(t) != Some(w) {
                    let s = shard_of(t, layout.terms);
                    term_shards.push(s);
                    let list = self.postings[s].entry(t.to_string()).or_default();
                    let at = list.partition_point(|p| p >> 2 < id32);
                    list.insert(at, posting(id32, *w));
                }
            }
            doc_shards.push(id / CHUNK);
            self.docs[id] = doc;
        }
        term_shards.sort_unstable();
        term_shards.dedup();
        doc_shards.sort_unstable();
        doc_shards.dedup();
        let this = &*self;
        Some(
            term_shards
                .par_iter()
                .map(|&i| (terms_path(i), this.terms_json(i)))
                .chain(
                    doc_shards
                        .par_iter()
                        .map(|&j| (docs_path(j), this.docs_json(j))),
                )
                .collect(),
        )
    }

    /// After an incremental render: `changed` are the documents of the outputs rendered again,
    /// `live` the address of every indexed output now (`None`: the same as at the last
    /// render). Returns the files to write: the shards `changed` touch when the addresses are
    /// the same as before, else every file of the index built again (the documents not
    /// rendered again kept).
    pub(crate) fn apply(
        &mut self,
        layout: Layout,
        changed: Vec<Doc>,
        live: Option<&rustc_hash::FxHashSet<&str>>,
    ) -> Vec<(String, String)> {
        let same = self.layout == Some(layout)
            && live.is_none_or(|live| {
                self.docs.len() == live.len()
                    && self.docs.iter().all(|d| live.contains(d.url.as_str()))
            });
        if same
            && changed
                .iter()
                .all(|d| self.docs.binary_search_by(|x| x.url.cmp(&d.url)).is_ok())
            && let Some(files) = self.update(changed.clone())
        {
            return files;
        }
        let fresh: rustc_hash::FxHashSet<&str> = changed.iter().map(|d| d.url.as_str()).collect();
        let mut docs: Vec<Doc> = std::mem::take(&mut self.docs)
            .into_iter()
            .filter(|d| {
                live.is_none_or(|live| live.contains(d.url.as_str()))
                    && !fresh.contains(d.url.as_str())
            })
            .collect();
        docs.extend(changed);
        *self = Index::build(layout, docs);
        self.files()
    }
}

/// How much memory a [`Streamer`]'s postings may take in all before a slot's are set aside to
/// its scratch file (each slot gets its share): at 10,000 pages nothing is, at 100,000 each
/// slot's are, a few times.
const SET_ASIDE_BUDGET: usize = 16 << 20;

/// Memory a term takes in a slot beside its postings (its key's allocation, the map's slot,
/// the [`Packed`], its count and its own allocation), as a [`Streamer`] counts it.
const TERM_COST: usize = 72;

/// What one thread posts while a [`Streamer`] gathers the index: each term it met once, with
/// its postings since the last set-aside.
#[derive(Default)]
struct Slot {
    /// Term → its place in `lists` and `counts`.
    dict: FxHashMap<Box<str>, u32>,
    /// Per term: its postings, in the order they came.
    lists: Vec<Packed>,
    /// Per term: how often the document being added holds it (0 between documents;
    /// `u32::MAX` for a term of its title or names).
    counts: Vec<u32>,
    /// The terms of the document being added, each once.
    touched: Vec<u32>,
    /// The document's text being folded.
    folded: String,
    /// Roughly the memory the terms and postings take ([`TERM_COST`] a term).
    bytes: usize,
    /// Where earlier postings were set aside: (term shard, offset, length) in the scratch file.
    runs: Vec<(usize, u64, usize)>,
}

impl Slot {
    /// The place of `term`, added if new.
    fn term(&mut self, term: &str) -> usize {
        if let Some(&k) = self.dict.get(term) {
            return k as usize;
        }
        let k = self.lists.len();
        self.dict.insert(term.into(), k as u32);
        self.lists.push(Packed::default());
        self.counts.push(0);
        self.bytes += term.len() + TERM_COST;
        k
    }

    /// Count `term` in the document being added: once more, or as [`NAMED`].
    fn count(&mut self, term: &str, named: bool) {
        let k = self.term(term);
        if self.counts[k] == 0 {
            self.touched.push(k as u32);
        }
        self.counts[k] = if named {
            NAMED
        } else {
            self.counts[k].saturating_add(1).min(NAMED - 1)
        };
    }

    /// Post document `id`'s terms, weighed as [`Doc::terms`] weighs them.
    fn post(&mut self, id: u32, doc: &Doc) {
        let mut folded = std::mem::take(&mut self.folded);
        folded.clear();
        fold_into(&doc.text, &mut folded);
        split_terms(&folded, |t| self.count(t, false));
        folded.clear();
        doc.fold_names_into(&mut folded);
        split_terms(&folded, |t| self.count(t, true));
        self.folded = folded;
        for k in std::mem::take(&mut self.touched) {
            let k = k as usize;
            let w = doc.weight(std::mem::take(&mut self.counts[k]));
            let list = &mut self.lists[k];
            let before = list.bytes.len();
            list.push(id, w);
            self.bytes += list.bytes.len() - before;
        }
    }

    /// The terms and their postings, by term shard (of `shards`).
    fn grouped(&self, shards: usize) -> Vec<Vec<(&str, &Packed)>> {
        let mut out: Vec<Vec<(&str, &Packed)>> = (0..shards).map(|_| Vec::new()).collect();
        for (t, &k) in &self.dict {
            if let (Some(part), Some(p)) =
                (out.get_mut(shard_of(t, shards)), self.lists.get(k as usize))
            {
                part.push((t, p));
            }
        }
        out
    }

    /// The terms and their postings, by term shard (of `shards`), emptying the slot.
    fn by_shard(&mut self, shards: usize) -> Vec<Vec<(Box<str>, Packed)>> {
        let mut out: Vec<Vec<(Box<str>, Packed)>> = (0..shards).map(|_| Vec::new()).collect();
        let mut lists: Vec<Option<Packed>> = std::mem::take(&mut self.lists)
            .into_iter()
            .map(Some)
            .collect();
        for (t, k) in std::mem::take(&mut self.dict) {
            if let Some(p) = lists.get_mut(k as usize).and_then(Option::take)
                && let Some(part) = out.get_mut(shard_of(&t, shards))
            {
                part.push((t, p));
            }
        }
        self.counts.clear();
        self.bytes = 0;
        out
    }
}

/// A term and its postings, in id order.
type TermList = (Box<str>, Vec<u32>);

/// The scratch file postings are set aside in, and its length.
struct Scratch {
    file: std::fs::File,
    end: u64,
}

/// The index of a render no edit will update (a one-shot `build`, `check`), made as the pages
/// render so no page's text waits for the others: each document's terms go into their
/// posting lists at once, its text is clipped to what the snippets need, and each document
/// shard is written as soon as its [`CHUNK`] documents are in (document ids are fixed before
/// anything renders: the plan holds every indexed output and its address). The term shards
/// are written at the end. The files are those [`Index::build`] makes of the same documents.
pub(crate) struct Streamer<'a> {
    layout: Layout,
    /// Each indexed output's document id (its place in address order) and address.
    ids: FxHashMap<Job, (u32, String)>,
    /// A slot for each of rayon's worker threads and one for any other thread: what that
    /// thread posted (merged by term shard at the end). A thread locks its own slot once a
    /// document, so the threads never share a map while they post, and a document's terms
    /// are looked up once each.
    postings: Vec<Mutex<Slot>>,
    /// Where postings are set aside, if the sink gave a file; `set_aside_at` bytes a slot.
    scratch: Option<Mutex<Scratch>>,
    set_aside_at: usize,
    /// Set when writing the scratch file failed: postings stay in memory from then on.
    scratch_failed: AtomicBool,
    /// Per document shard: its documents until it is written (`None` once written).
    chunks: Vec<Mutex<Option<Vec<Option<Doc>>>>>,
    put: &'a (dyn Fn(String, String) + Sync),
    /// The first document that was not the plan's, if any: a bug, reported by [`Streamer::finish`].
    stray: Mutex<Option<String>>,
}

impl<'a> Streamer<'a> {
    /// An index of the indexed outputs `site` plans, in `layout`, handing each file to `put`
    /// (output path, text) as soon as it is made, and setting postings aside in `scratch`
    /// (else keeping them all in memory).
    pub(crate) fn new(
        site: &Site,
        layout: Layout,
        put: &'a (dyn Fn(String, String) + Sync),
        scratch: Option<std::fs::File>,
    ) -> Streamer<'a> {
        let planned: Vec<(String, Job)> = site
            .outputs
            .iter()
            .filter(|o| o.job.is_indexed())
            .filter_map(|o| Some((site.config.url(&o.job.site_path(site)?), o.job)))
            .collect();
        let at = SET_ASIDE_BUDGET / (rayon::current_num_threads() + 1);
        Streamer::of_plan(planned, layout, put, scratch.map(|f| (f, at)))
    }

    /// An index of the outputs `planned` (address, job), in `layout`, setting a slot's
    /// postings aside in `scratch`'s file once they take its number of bytes.
    fn of_plan(
        mut planned: Vec<(String, Job)>,
        layout: Layout,
        put: &'a (dyn Fn(String, String) + Sync),
        scratch: Option<(std::fs::File, usize)>,
    ) -> Streamer<'a> {
        planned.sort_unstable();
        let chunks = (0..layout.docs)
            .map(|j| {
                let len = planned.len().saturating_sub(j * CHUNK).min(CHUNK);
                Mutex::new(Some((0..len).map(|_| None).collect()))
            })
            .collect();
        let ids = planned
            .into_iter()
            .enumerate()
            .map(|(id, (url, job))| (job, (id as u32, url)))
            .collect();
        Streamer {
            layout,
            ids,
            postings: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            set_aside_at: scratch.as_ref().map_or(usize::MAX, |(_, at)| *at),
            scratch: scratch.map(|(file, _)| Mutex::new(Scratch { file, end: 0 })),
            scratch_failed: AtomicBool::new(false),
            chunks,
            put,
            stray: Mutex::new(None),
        }
    }

    /// Take the document of the output `job` made; called from any thread, in any order.
    pub(crate) fn add(&self, job: Job, doc: Doc) {
        let Some(&(id, _)) = self.ids.get(&job).filter(|(_, url)| *url == doc.url) else {
            if let Ok(mut stray) = self.stray.lock() {
                stray.get_or_insert(doc.url);
            }
            return;
        };
        // The calling thread's own slot (a thread of another pool shares the last one).
        let last = self.postings.len() - 1;
        let slot = rayon::current_thread_index().map_or(last, |i| i.min(last));
        self.add_in(slot, id, doc);
    }

    /// Post the terms of `doc` (document `id`) in slot `slot` of [`Streamer::postings`], and
    /// keep its text for its document shard.
    fn add_in(&self, slot: usize, id: u32, mut doc: Doc) {
        if let Some(Ok(mut slot)) = self.postings.get(slot).map(|s| s.lock()) {
            slot.post(id, &doc);
            if slot.bytes > self.set_aside_at {
                self.set_aside(&mut slot);
            }
        }
        doc.text = clip_to(&doc.text, MAX_STORED);
        let (shard, place) = (id as usize / CHUNK, id as usize % CHUNK);
        let Some(chunk) = self.chunks.get(shard) else {
            return;
        };
        let full = {
            let Ok(mut chunk) = chunk.lock() else {
                return;
            };
            let Some(rows) = chunk.as_mut() else {
                return;
            };
            if let Some(row) = rows.get_mut(place) {
                *row = Some(doc);
            }
            if rows.iter().all(Option::is_some) {
                chunk.take()
            } else {
                None
            }
        };
        if let Some(rows) = full {
            (self.put)(docs_path(shard), docs_json(rows.iter().flatten(), false));
        }
    }

    /// Append `slot`'s postings to the scratch file, a run per term shard, and empty it; if
    /// that fails, keep them (and every later posting) in memory.
    fn set_aside(&self, slot: &mut Slot) {
        let Some(scratch) = &self.scratch else { return };
        if self.scratch_failed.load(Ordering::Relaxed) {
            return;
        }
        // Per term shard, per term: its length and bytes, then its postings' length and bytes.
        let runs: Vec<(usize, Vec<u8>)> = slot
            .grouped(self.layout.terms)
            .into_iter()
            .enumerate()
            .filter(|(_, part)| !part.is_empty())
            .map(|(i, part)| {
                let mut run = Vec::new();
                for (t, p) in part {
                    leb128(&mut run, t.len() as u64);
                    run.extend_from_slice(t.as_bytes());
                    leb128(&mut run, p.bytes.len() as u64);
                    run.extend_from_slice(&p.bytes);
                }
                (i, run)
            })
            .collect();
        let written = scratch.lock().ok().and_then(|mut s| {
            let mut at = Vec::with_capacity(runs.len());
            for (i, run) in &runs {
                s.file.write_all(run).ok()?;
                at.push((*i, s.end, run.len()));
                s.end += run.len() as u64;
            }
            Some(at)
        });
        match written {
            Some(at) => {
                slot.runs.extend(at);
                slot.dict.clear();
                slot.lists.clear();
                slot.counts.clear();
                slot.bytes = 0;
            }
            None => self.scratch_failed.store(true, Ordering::Relaxed),
        }
    }

    /// A term shard's terms and postings in id order, from every slot: those set aside
    /// (`runs`, read back) with those still in memory (`kept`).
    fn gathered(
        scratch: Option<&Mutex<Scratch>>,
        runs: &[(u64, usize)],
        kept: Vec<(Box<str>, Packed)>,
    ) -> Result<Vec<TermList>, String> {
        let mut lists: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for &(at, len) in runs {
            let mut run = vec![0; len];
            let read = scratch.and_then(|s| s.lock().ok()).map(|mut s| {
                s.file.seek(SeekFrom::Start(at))?;
                s.file.read_exact(&mut run)
            });
            match read {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    return Err(format!(
                        "cannot read back the search index's temporary file: {e}"
                    ));
                }
                None => return Err("the search index's temporary file is gone".into()),
            }
            let mut rest = &run[..];
            while !rest.is_empty() {
                let (term, postings);
                (term, rest) =
                    split_run(rest).ok_or("the search index's temporary file is damaged")?;
                (postings, rest) =
                    split_run(rest).ok_or("the search index's temporary file is damaged")?;
                let term = std::str::from_utf8(term)
                    .map_err(|_| "the search index's temporary file is damaged")?;
                let list = match lists.get_mut(term) {
                    Some(list) => list,
                    None => lists.entry(term.into()).or_default(),
                };
                unpack(postings, list);
            }
        }
        for (t, p) in kept {
            match lists.get_mut(&t) {
                Some(list) => unpack(&p.bytes, list),
                None => {
                    lists.insert(t, p.sorted());
                }
            }
        }
        let mut terms: Vec<TermList> = lists
            .into_iter()
            .map(|(t, mut l)| {
                if !l.is_sorted() {
                    l.sort_unstable();
                }
                (t, l)
            })
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(terms)
    }

    /// Write the term shards and the manifest. An error if a document was not the plan's or
    /// one the plan holds never came (the render failed, or a bug), or if postings set aside
    /// could not be read back.
    pub(crate) fn finish(self) -> Result<(), String> {
        if let Some(url) = self.stray.into_inner().ok().flatten() {
            return Err(format!(
                "the search index got a page it did not plan: {url}"
            ));
        }
        // Empty shards (a site with no indexed page) are complete at once.
        for (j, chunk) in self.chunks.iter().enumerate() {
            let rows = chunk.lock().ok().and_then(|mut c| c.take());
            match rows {
                Some(rows) if rows.is_empty() => {
                    (self.put)(docs_path(j), docs_json(std::iter::empty(), false))
                }
                Some(_) => {
                    return Err(format!(
                        "the search index did not get every page of {}",
                        docs_path(j)
                    ));
                }
                None => {}
            }
        }
        let put = self.put;
        let scratch = self.scratch.as_ref();
        let shards = self.layout.terms;
        // Shard by shard, what every slot set aside and kept of it.
        let mut runs: Vec<Vec<(u64, usize)>> = (0..shards).map(|_| Vec::new()).collect();
        let mut kept: Vec<Vec<(Box<str>, Packed)>> = (0..shards).map(|_| Vec::new()).collect();
        for slot in self.postings {
            let mut slot = slot.into_inner().unwrap_or_default();
            for &(i, at, len) in &slot.runs {
                if let Some(r) = runs.get_mut(i) {
                    r.push((at, len));
                }
            }
            for (i, part) in slot.by_shard(shards).into_iter().enumerate() {
                if let Some(k) = kept.get_mut(i) {
                    k.extend(part);
                }
            }
        }
        runs.into_par_iter()
            .zip(kept)
            .enumerate()
            .try_for_each(|(i, (runs, kept))| {
                let terms = Streamer::gathered(scratch, &runs, kept)?;
                put(
                    terms_path(i),
                    terms_json(terms.iter().map(|(t, l)| (&**t, l.as_slice()))),
                );
                Ok::<(), String>(())
            })?;
        put(
            "search-index.json".into(),
            manifest(self.ids.len(), self.layout),
        );
        Ok(())
    }
}

/// A term's postings while a [`Streamer`] gathers them, a byte or two each: per posting, the
/// signed difference of its document id from the previous one's (zigzag) times 4 plus the
/// weight, as a LEB128 number. Documents come mostly in id order, so the differences are small.
#[derive(Debug, Default)]
struct Packed {
    bytes: Vec<u8>,
    last: u32,
    /// Whether a document came before one already in.
    unordered: bool,
}

impl Packed {
    fn push(&mut self, id: u32, w: u8) {
        self.unordered |= id < self.last;
        let delta = i64::from(id) - i64::from(self.last);
        let zigzag = ((delta << 1) ^ (delta >> 63)) as u64;
        leb128(&mut self.bytes, zigzag << 2 | u64::from(w & 3));
        self.last = id;
    }

    /// The [`posting`]s, in id order.
    fn sorted(self) -> Vec<u32> {
        let mut out = Vec::new();
        unpack(&self.bytes, &mut out);
        if self.unordered {
            out.sort_unstable();
        }
        out
    }
}

/// Append the [`posting`]s of a [`Packed`]'s `bytes` to `out`, in the order they came.
fn unpack(mut bytes: &[u8], out: &mut Vec<u32>) {
    let mut id = 0i64;
    while let Some((v, rest)) = read_leb128(bytes) {
        let zigzag = v >> 2;
        id += (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        out.push(posting(id as u32, (v & 3) as u8));
        bytes = rest;
    }
}

/// The LEB128 number `bytes` starts with, and what follows it (`None` at the end).
fn read_leb128(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (mut v, mut shift) = (0u64, 0u32);
    for (k, &b) in bytes.iter().enumerate() {
        v |= u64::from(b & 0x7f) << shift.min(63);
        shift += 7;
        if b & 0x80 == 0 {
            return Some((v, &bytes[k + 1..]));
        }
    }
    None
}

/// `v` as a LEB128 number.
fn leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A set-aside run's next field (a LEB128 length, then that many bytes) and what follows it.
fn split_run(run: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = read_leb128(run)?;
    let len = usize::try_from(len).ok().filter(|&l| l <= rest.len())?;
    Some(rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, text: &str, names: &[&str]) -> Doc {
        Doc {
            url: url.into(),
            title: title.into(),
            kind: "page",
            text: text.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            notice: None,
            lang: None,
        }
    }

    /// The documents a query finds, as the search page's script finds them: every query term
    /// is a prefix of a term of the document (a one-character term must match whole).
    fn search(ix: &Index, q: &str) -> Vec<String> {
        let layout = ix.layout.unwrap();
        let mut hits: Option<Vec<u32>> = None;
        for qt in terms(q) {
            let shard = &ix.postings[shard_of(&qt, layout.terms)];
            let mut ids: Vec<u32> = shard
                .iter()
                .filter(|(t, _)| {
                    if qt.chars().count() == 1 {
                        **t == qt
                    } else {
                        t.starts_with(&qt)
                    }
                })
                .flat_map(|(_, l)| l.iter().map(|p| p >> 2))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            hits = Some(match hits {
                None => ids,
                Some(h) => h.into_iter().filter(|i| ids.contains(i)).collect(),
            });
        }
        hits.unwrap_or_default()
            .into_iter()
            .map(|i| ix.docs[i as usize].url.clone())
            .collect()
    }

    fn sample() -> Index {
        Index::build(
            Layout::for_docs(200),
            vec![
                doc(
                    "/talks/istanbul/",
                    "Istanbul talks",
                    "Ukraine would prioritise an unconditional ceasefire. Vladimir Medinsky led Russia's delegation.",
                    &[],
                ),
                doc(
                    "/parties/turkiye/",
                    "Republic of Türkiye",
                    "Host of the talks.",
                    &["Turkey", "Türkiye"],
                ),
                doc(
                    "/people/vladimir-medinsky/",
                    "Vladimir Medinsky",
                    "Vladimir Medinsky Владимир Мединский Aide to the Russian President.",
                    &["Владимир Мединский"],
                ),
                doc(
                    "/",
                    "Overview",
                    "İstanbul, 16 May 2025: the first direct talks since 2022.",
                    &[],
                ),
            ],
        )
    }

    #[test]
    fn folding_ignores_case_and_diacritics_cyrillic_included() {
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("İSTANBUL"), "istanbul");
        assert_eq!(fold("Мединский"), fold("мединский"));
        assert_eq!(fold("Мединский"), "мединскии");
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("Straße Łódź Øresund ﬁne"), "strasse lodz oresund fine");
        assert_eq!(
            terms("Türkiye's “ceasefire”—now!"),
            ["turkiye", "s", "ceasefire", "now"]
        );
    }

    #[test]
    fn full_text_variants_and_cyrillic_are_found() {
        let ix = sample();
        assert_eq!(search(&ix, "ceasefire"), ["/talks/istanbul/"]);
        assert_eq!(
            search(&ix, "Ceasef"),
            ["/talks/istanbul/"],
            "a prefix matches"
        );
        assert_eq!(
            search(&ix, "turkey"),
            ["/parties/turkiye/"],
            "through `variants`"
        );
        assert_eq!(search(&ix, "TURKIYE"), ["/parties/turkiye/"]);
        assert_eq!(
            search(&ix, "Medinsky"),
            ["/people/vladimir-medinsky/", "/talks/istanbul/"]
        );
        assert_eq!(search(&ix, "мединский"), ["/people/vladimir-medinsky/"]);
        assert_eq!(search(&ix, "МЕДИНСКИЙ"), ["/people/vladimir-medinsky/"]);
        assert_eq!(search(&ix, "istanbul 2025"), ["/"]);
        assert!(search(&ix, "ceasefire medinsky turkey").is_empty());
    }

    #[test]
    fn a_title_term_weighs_most() {
        let ix = sample();
        let s = &ix.postings[shard_of("medinsky", ix.layout.unwrap().terms)];
        let list = &s["medinsky"];
        // /people/… is id 2 (address order: /, /parties, /people, /talks), in its title.
        assert_eq!(list, &vec![posting(2, 3), posting(3, 0)]);
    }

    #[test]
    fn weights_grow_with_occurrences_and_a_listing_ranks_below_its_pages() {
        let weights = |kind: &'static str| -> BTreeMap<String, u8> {
            let mut d = doc(
                "/x/",
                "Ceasefire",
                "once twice twice many many many many",
                &[],
            );
            d.kind = kind;
            d.terms().iter().map(|(t, w)| (t.to_string(), w)).collect()
        };
        let page = weights("page");
        assert_eq!(
            (page["once"], page["twice"], page["many"], page["ceasefire"]),
            (0, 1, 2, 3)
        );
        for kind in ["listing", "tag", "sources"] {
            let listing = weights(kind);
            assert_eq!(
                (
                    listing["once"],
                    listing["twice"],
                    listing["many"],
                    listing["ceasefire"]
                ),
                (0, 1, 1, 1),
                "{kind}"
            );
        }
    }

    #[test]
    fn page_text_is_main_without_scripts_navigation_or_citations() {
        let html = "<html><head><title>T</title></head><body><nav>Skip me</nav>\
            <main id=\"main\"><h1>Title</h1><h2>Sub <a class=\"anchor\" href=\"#s\">#</a></h2><span aria-hidden=\"true\">★</span><ul class=\"listing\" data-search-skip><li><ul><li>A</li></ul>B</li></ul><nav aria-label=\"Pages\"><a>1</a><nav>x</nav> 2</nav>\
            <p>Talks began<sup class=\"cite\"><a href=\"#s\">[1]</a></sup> &amp; ended&#8217;s &#x41;.</p>\
            <script>var a = \"<p>no</p>\";</script><td>cell</td></main><footer>Foot</footer></body></html>";
        assert_eq!(
            page_text(html),
            "Title Sub Talks began & ended\u{2019}s A. cell"
        );
        assert_eq!(page_text("<p>no main</p>"), "no main");
    }

    /// The entities the renderer writes (and numeric ones) decoded: the two-pass way
    /// [`Collapsed`] is checked against.
    fn decode_entities(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            let end = tail[1..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
                .map(|e| e + 1);
            let decoded = match end {
                Some(e) if tail.as_bytes().get(e) == Some(&b';') => {
                    let name = &tail[1..e];
                    let c = match name {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "nbsp" => Some('\u{a0}'),
                        _ => name.strip_prefix('#').and_then(|n| {
                            let v = match n.strip_prefix(['x', 'X']) {
                                Some(h) => u32::from_str_radix(h, 16).ok(),
                                None => n.parse().ok(),
                            };
                            v.and_then(char::from_u32)
                        }),
                    };
                    c.map(|c| (c, e + 1))
                }
                _ => None,
            };
            match decoded {
                Some((c, len)) => {
                    out.push(c);
                    rest = &tail[len..];
                }
                None => {
                    out.push('&');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    proptest::proptest! {
        /// [`clip_to`] cuts where taking `max` characters and cutting at the last space would.
        #[test]
        fn clipping_cuts_after_max_characters_at_a_space(
            s in "[ aé\u{2003}ж日]{0,24}",
            max in 0usize..20,
        ) {
            let taken: String = s.chars().take(max).collect();
            let expected = if s.chars().count() <= max {
                s.clone()
            } else {
                match taken.rfind(' ') {
                    Some(i) => format!("{}…", &taken[..i]),
                    None => format!("{taken}…"),
                }
            };
            proptest::prop_assert_eq!(clip_to(&s, max), expected);
        }

        /// One pass ([`Collapsed`]) makes what decoding each run's entities, joining the runs
        /// (a space for each break) and collapsing whitespace would.
        #[test]
        fn collapsed_text_is_decoded_then_collapsed(
            runs in proptest::collection::vec(
                proptest::option::of(
                    "(&amp;|&nbsp;|&#32;|&#x2003;|&#xZ;|&lt|&;|&quot;|[ a\t\n\r\u{b}\u{c}&;#x3b2éж\u{a0}\u{85}\u{1680}\u{2003}\u{2019}\u{3000}\u{202f}]){0,16}"
                ),
                0..6,
            )
        ) {
            let mut one = Collapsed::with_capacity(0);
            let mut joined = String::new();
            for run in &runs {
                match run {
                    Some(text) => {
                        one.text(text);
                        joined.push_str(&decode_entities(text));
                    }
                    None => {
                        one.space();
                        joined.push(' ');
                    }
                }
            }
            let collapsed = joined.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(one.out, collapsed);
        }
    }

    #[test]
    fn plain_text_drops_tags_and_citations() {
        let h = "<p>Talks <em>began</em> &amp; ended<sup class=\"cite\" id=\"c\"><a href=\"#s\">[1]</a></sup>.</p>";
        assert_eq!(plain_text(h), "Talks began & ended.");
        assert_eq!(
            plain_text("<p>A</p><p>B <a href=\"x\">c</a>, d</p>"),
            "A B c, d"
        );
        assert_eq!(plain_text("a &bogus; & b &#xZZ;"), "a &bogus; & b &#xZZ;");
    }

    #[test]
    fn unclosed_tag_before_a_multibyte_character_does_not_panic() {
        // Found by the `markdown` fuzz target (tests/fuzz-regressions/markdown/unclosed-tag-multibyte):
        // with no `>`, the tag was cut one byte short of the end, inside `é`.
        assert_eq!(plain_text("<p><é"), "");
        assert_eq!(plain_text("a <b>c</b> <é"), "a c");
        assert_eq!(plain_text("x<p>y<"), "x y");
        assert_eq!(page_text("<main><script>é"), "");
        assert_eq!(page_text("<main><nav>é"), "");
    }

    #[test]
    fn shard_files_are_valid_json_and_deterministic() {
        let a = sample().files();
        let b = sample().files();
        assert_eq!(a, b);
        let layout = Layout::for_docs(200);
        assert_eq!(a.len(), layout.terms + layout.docs + 1);
        for (path, text) in &a {
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        let manifest = a.iter().find(|(p, _)| p == "search-index.json").unwrap();
        let m: serde_json::Value = serde_json::from_str(&manifest.1).unwrap();
        assert_eq!(m["count"], 4);
    }

    #[test]
    fn an_edit_rewrites_only_the_shards_it_changes() {
        let mut ix = sample();
        let layout = ix.layout.unwrap();
        let before: BTreeMap<String, String> = ix.files().into_iter().collect();
        let mut edited = ix.docs[3].clone();
        edited.text.push_str(" Zanzibar");
        let written = ix.update(vec![edited.clone()]).expect("same addresses");
        let after: BTreeMap<String, String> = ix.files().into_iter().collect();
        let changed: Vec<&String> = after
            .iter()
            .filter(|(p, t)| before.get(*p) != Some(t))
            .map(|(p, _)| p)
            .collect();
        let expected = [terms_path(shard_of("zanzibar", layout.terms)), docs_path(0)];
        let mut expected: Vec<&String> = expected.iter().collect();
        expected.sort();
        assert_eq!(changed, expected);
        let mut written: Vec<String> = written.into_iter().map(|(p, _)| p).collect();
        written.sort();
        assert_eq!(written.iter().collect::<Vec<_>>(), expected);
        assert_eq!(search(&ix, "zanzibar"), ["/talks/istanbul/"]);
        // The same edit made from scratch gives the same files.
        let mut docs = sample().docs;
        docs[3] = edited;
        let fresh: BTreeMap<String, String> =
            Index::build(layout, docs).files().into_iter().collect();
        assert_eq!(fresh, after);
        // A new address: the index must be built again.
        assert!(ix.update(vec![doc("/new/", "New", "x", &[])]).is_none());
    }

    #[test]
    fn layout_grows_with_the_site() {
        assert_eq!(Layout::for_docs(20), Layout { terms: 1, docs: 2 });
        assert_eq!(Layout::for_docs(0), Layout { terms: 1, docs: 1 });
        assert_eq!(Layout::for_docs(10_063).terms, 512);
        assert_eq!(Layout::for_docs(10_063).docs, 629);
    }
    /// The files a [`Streamer`] writes of enough documents for several shards, given in a
    /// scrambled order, setting postings aside in `scratch`; and those [`Index::build`] makes.
    fn streamed_and_built(
        scratch: Option<(std::fs::File, usize)>,
    ) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        streamed_and_built_on(scratch, 0)
    }

    /// As [`streamed_and_built`], the documents added from `threads` threads of a rayon pool
    /// at once (0: one after the other, from the test's own thread).
    fn streamed_and_built_on(
        scratch: Option<(std::fs::File, usize)>,
        threads: usize,
    ) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let mut docs = sample().docs;
        // Enough documents for several document shards, and a text longer than is stored.
        for i in 0..40 {
            let long = format!(
                "page {i} {}",
                "word ".repeat(if i == 7 { 4_000 } else { i })
            );
            let mut d = doc(&format!("/p/{i:02}/"), &format!("Page {i}"), &long, &[]);
            // Some listings (their weights are capped), and names on some pages.
            if i % 5 == 3 {
                d.kind = "tag";
            }
            if i % 7 == 2 {
                d.names = vec![format!("Word {i}"), "Named".into()];
            }
            docs.push(d);
        }
        let layout = Layout::for_docs(docs.len());
        let built: BTreeMap<String, String> = Index::build(layout, docs.clone())
            .files()
            .into_iter()
            .collect();
        let planned = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.url.clone(), Job::Page(i)))
            .collect();
        let out = Mutex::new(BTreeMap::new());
        let put = |path: String, text: String| {
            assert!(
                out.lock().unwrap().insert(path, text).is_none(),
                "one write a file"
            );
        };
        // Every other document first, then the rest backwards.
        let order: Vec<usize> = (0..docs.len())
            .step_by(2)
            .chain((1..docs.len()).step_by(2).rev())
            .collect();
        let streamer = if threads == 0 {
            let streamer = Streamer::of_plan(planned, layout, &put, scratch);
            for i in order {
                streamer.add(Job::Page(i), docs[i].clone());
            }
            streamer
        } else {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let streamer = Streamer::of_plan(planned, layout, &put, scratch);
                let slots = streamer.postings.len();
                assert_eq!(slots, threads + 1);
                // Half through the threads of the pool, half in slots chosen here (so that
                // every slot gets documents, whichever threads run them).
                order.par_iter().with_max_len(1).for_each(|&i| {
                    if i % 2 == 0 {
                        streamer.add(Job::Page(i), docs[i].clone());
                    } else {
                        let (id, _) = streamer.ids[&Job::Page(i)];
                        streamer.add_in(i / 2 % slots, id, docs[i].clone());
                    }
                });
                streamer
            })
        };
        let shards_before_finish = out.lock().unwrap().len();
        assert_eq!(
            shards_before_finish, layout.docs,
            "each document shard written when full"
        );
        streamer.finish().unwrap();
        (out.into_inner().unwrap(), built)
    }

    #[test]
    fn the_streamed_index_is_the_built_one_whatever_order_pages_come_in() {
        let (streamed, built) = streamed_and_built(None);
        assert_eq!(streamed, built);
    }

    #[test]
    fn documents_added_from_several_threads_make_the_same_files() {
        for threads in [2, 5] {
            let (streamed, built) = streamed_and_built_on(None, threads);
            assert_eq!(streamed, built, "{threads} threads");
            let file = tempfile::tempfile().unwrap();
            let (streamed, built) = streamed_and_built_on(Some((file, 40)), threads);
            assert_eq!(streamed, built, "{threads} threads, postings set aside");
        }
    }

    #[test]
    fn postings_set_aside_and_read_back_make_the_same_files() {
        // At every posting, and every few hundred bytes: runs of one term, and runs of many.
        for at in [1, 300] {
            let file = tempfile::tempfile().unwrap();
            let seen = file.try_clone().unwrap();
            let (streamed, built) = streamed_and_built(Some((file, at)));
            assert!(
                seen.metadata().unwrap().len() > 0,
                "postings were set aside"
            );
            assert_eq!(streamed, built, "set aside at {at} bytes");
        }
    }

    #[test]
    fn a_scratch_file_that_cannot_be_written_keeps_the_postings_in_memory() {
        let named = tempfile::NamedTempFile::new().unwrap();
        let read_only = std::fs::File::open(named.path()).unwrap();
        let (streamed, built) = streamed_and_built(Some((read_only, 1)));
        assert_eq!(named.as_file().metadata().unwrap().len(), 0);
        assert_eq!(streamed, built);
    }

    #[test]
    fn a_streamed_index_missing_a_page_or_given_another_is_an_error() {
        let docs = sample().docs;
        let layout = Layout::for_docs(docs.len());
        let planned: Vec<(String, Job)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.url.clone(), Job::Page(i)))
            .collect();
        let put = |_: String, _: String| {};
        let s = Streamer::of_plan(planned.clone(), layout, &put, None);
        s.add(Job::Page(0), docs[0].clone());
        assert!(s.finish().is_err(), "pages missing");
        let s = Streamer::of_plan(planned.clone(), layout, &put, None);
        for (i, d) in docs.iter().enumerate() {
            s.add(Job::Page(i), d.clone());
        }
        s.add(Job::Page(0), doc("/elsewhere/", "X", "x", &[]));
        assert!(s.finish().is_err(), "an address the plan does not hold");
        let s = Streamer::of_plan(Vec::new(), Layout::for_docs(0), &put, None);
        assert!(s.finish().is_ok(), "no page at all");
    }
    #[test]
    fn packed_postings_come_back_in_id_order() {
        let mut p = Packed::default();
        let ids = [5u32, 6, 7, 1, 2, 300_000, 3, 0, u32::MAX >> 2, 9];
        for (k, id) in ids.iter().enumerate() {
            p.push(*id, (k % 4) as u8);
        }
        let mut want: Vec<u32> = ids
            .iter()
            .enumerate()
            .map(|(k, id)| posting(*id, (k % 4) as u8))
            .collect();
        want.sort_unstable();
        assert_eq!(p.sorted(), want);
    }
}
