//! Editions: one resolved [`Site`] per language of `languages:`.
//!
//! A translation file gives only text. It is checked against its original here — its language
//! must be one of the site's, its original must exist, it may not set a structural key (a date,
//! a reference, a status) to anything but the original's value, and each of its list entries
//! must match one of the original's — and laid over the original ([`overlay`]): the merged
//! front matter is read with the kind's own type, so a record keeps its id and its structure in
//! every edition. Each edition is then resolved like the default one, with settings whose base
//! path is the edition's (`/uk/`), and carries an [`Edition`]: which of its pages are built from
//! the original ("not yet translated") and how each translation was made.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::SourcePage;
use crate::load::SourceSite;
use crate::load::kinds::Kind;
use crate::load::records::{Translation, Translator};
use crate::load::translations::SourceTranslation;
use crate::model::Site;

/// What a site's edition knows of itself and of the others, for switchers, alternates, the
/// sitemap and fallback pages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Edition {
    /// For every edition (the order of `Config::languages`): the site paths of the pages it
    /// builds from the original, untranslated. Empty sets for the default edition.
    pub(crate) untranslated: Arc<Vec<HashSet<String>>>,
    /// How each translated page of this edition was made, by `content`-relative original path.
    pub(crate) made: HashMap<String, Made>,
    /// Site path → `content`-relative path of the file that makes it (pages and sections with
    /// an `_index.md`).
    pub(crate) sources: Arc<HashMap<String, String>>,
}

impl Edition {
    /// Whether `site_path` is built from a translation in edition `i` (a page made from no file,
    /// such as the timeline, counts as translated: its words are the edition's).
    pub(crate) fn is_translated(&self, i: usize, site_path: &str) -> bool {
        self.untranslated
            .get(i)
            .is_none_or(|u| !u.contains(site_path))
    }
}

impl Site {
    /// The language of the text this edition shows untranslated: the default edition's, in a
    /// further edition; `None` in the default edition (all its text is its own) and on a site
    /// of one language.
    pub(crate) fn original_lang(&self) -> Option<&str> {
        let c = &self.config;
        if !c.is_multilingual() || c.edition == 0 {
            return None;
        }
        c.languages.first().map(|l| l.code.as_str())
    }

    /// The `lang` text `key` of `source` (a path as in `SourcePage::given`) is to be marked
    /// with: the original's, when this edition shows it untranslated — on a page with no
    /// translation, or because its translation did not give it. `None` for the edition's own
    /// text.
    pub(crate) fn text_lang(&self, source: &SourcePage, key: &str) -> Option<&str> {
        self.original_lang().filter(|_| !source.gave(key))
    }

    /// The `lang` of the title of `source` (a party's or person's `name`), as
    /// [`Site::text_lang`].
    pub(crate) fn title_lang(&self, source: &SourcePage) -> Option<&str> {
        let key = match source.front.kind() {
            Some(Kind::Party | Kind::Person) => "name",
            _ => "title",
        };
        self.text_lang(source, key)
    }

    /// The `lang` of section `s`'s own title: its `_index.md`'s, or its folder's name (the
    /// site's word, in the original's language); none for the site's title and a record
    /// kind's folder without `_index.md` (the interface names it).
    pub(crate) fn section_title_lang(&self, s: &crate::model::Section) -> Option<&str> {
        match &s.index {
            Some(ix) => self.text_lang(ix, "title"),
            None if s.dir.is_empty() || Kind::from_folder(&s.dir).is_some() => None,
            None => self.original_lang(),
        }
    }

    /// The `lang` of the body of `source`: the original's on a page this edition shows
    /// untranslated (a translation gives its own body).
    pub(crate) fn body_lang(&self, source: &SourcePage) -> Option<&str> {
        self.lang_unless(source.given.is_some())
    }

    /// The `lang` of a text a translation gave or not (`given`), as [`Site::text_lang`].
    pub(crate) fn lang_unless(&self, given: bool) -> Option<&str> {
        self.original_lang().filter(|_| !given)
    }
}

/// How one translation was made, and whether its original changed since.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Made {
    pub(crate) from: Option<String>,
    pub(crate) by: Option<Translator>,
    /// The original changed since the translation was stamped with `of:`.
    pub(crate) stale: bool,
}

/// The digest a translation's `of:` names: the first 16 hex digits of the SHA-256 of the
/// original file's text.
pub(crate) fn digest(text: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(text.as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Resolve every edition of `source`: the default first, then one per further language. A site
/// of one language is resolved as it always was (files named like translations are pages).
pub(crate) fn resolve_editions(
    mut source: SourceSite,
    config: Config,
) -> Result<Vec<Site>, Diagnostics> {
    let translations = std::mem::take(&mut source.translations);
    if !config.is_multilingual() {
        as_pages(&mut source, &translations);
        return crate::model::resolve(source, config).map(|s| vec![s]);
    }
    let mut diags = Diagnostics::new();
    let mut warnings = Diagnostics::new();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let by_rel: HashMap<&str, &Arc<SourcePage>> =
        source.pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    // Per edition (index into `languages`), the pages laid over their originals.
    let mut overlaid: Vec<HashMap<String, Arc<SourcePage>>> =
        vec![HashMap::new(); config.languages.len()];
    let mut made: Vec<HashMap<String, Made>> = vec![HashMap::new(); config.languages.len()];
    let mut data_tr: Vec<Vec<&SourceTranslation>> = vec![Vec::new(); config.languages.len()];
    for t in &translations {
        let Some(e) = edition_of(t, &codes, &mut diags) else {
            continue;
        };
        if t.is_page() {
            let Some(original) = by_rel.get(t.original.as_str()) else {
                if !source.unreadable.contains(&t.original) {
                    diags.push(no_original(t, by_rel.keys().copied()));
                }
                continue;
            };
            let m = provenance(t, original, &mut diags, &mut warnings);
            match overlay_page(t, original, &mut diags) {
                Some(page) => {
                    overlaid[e].insert(t.original.clone(), Arc::new(page));
                    made[e].insert(t.original.clone(), m);
                }
                None => continue,
            }
        } else {
            if !source.data_files.contains(&t.original) {
                diags.push(no_original(t, source.data_files.iter().map(String::as_str)));
                continue;
            }
            data_tr[e].push(t);
        }
    }
    // Data translations, checked against the data as read.
    let mut data: Vec<Option<crate::load::DataFiles>> = vec![None; config.languages.len()];
    for (e, list) in data_tr.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let mut d = (*source.data).clone();
        for t in list {
            overlay_data(t, &mut d, &mut diags);
        }
        data[e] = Some(d);
    }

    let default = crate::model::resolve(source.clone(), config.for_edition(0));
    let mut default = match default {
        Ok(site) if !diags.has_errors() => site,
        Ok(_) => return Err(diags),
        Err(mut all) => {
            all.extend(diags);
            all.sort();
            return Err(all);
        }
    };
    default.warnings.extend(warnings);

    // The file behind each site path, and which each edition leaves untranslated.
    let mut sources: HashMap<String, String> = HashMap::new();
    for p in &default.pages {
        sources.insert(p.path.clone(), p.source.rel.clone());
    }
    for s in &default.sections {
        if let Some(ix) = &s.index {
            sources.insert(s.path.clone(), ix.rel.clone());
        }
    }
    let untranslated: Vec<HashSet<String>> = (0..config.languages.len())
        .map(|e| {
            if e == 0 {
                return HashSet::new();
            }
            sources
                .iter()
                .filter(|(_, rel)| !overlaid[e].contains_key(rel.as_str()))
                .map(|(path, _)| path.clone())
                .collect()
        })
        .collect();
    let untranslated = Arc::new(untranslated);
    let sources = Arc::new(sources);
    default.edition = Edition {
        untranslated: untranslated.clone(),
        made: HashMap::new(),
        sources: sources.clone(),
    };

    let mut sites = vec![default];
    for e in 1..config.languages.len() {
        let mut s = source.clone();
        // Reported once, by the default edition.
        s.problems = Diagnostics::new();
        s.pages = s
            .pages
            .iter()
            .map(|p| {
                overlaid[e]
                    .get(&p.rel)
                    .cloned()
                    .unwrap_or_else(|| p.clone())
            })
            .collect();
        if let Some(d) = data[e].take() {
            s.data = Arc::new(d);
        }
        match crate::model::resolve(s, config.for_edition(e)) {
            Ok(mut site) => {
                site.warnings = Diagnostics::new();
                site.edition = Edition {
                    untranslated: untranslated.clone(),
                    made: std::mem::take(&mut made[e]),
                    sources: sources.clone(),
                };
                sites.push(site);
            }
            Err(d) => diags.extend(d.into_iter().filter(Diagnostic::is_error).collect()),
        }
    }
    crate::model::outputs::check_editions(&sites, &mut diags);
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(sites)
}

/// On a site of one language, files named like translations are pages, as they always were.
fn as_pages(source: &mut SourceSite, translations: &[Arc<SourceTranslation>]) {
    for t in translations {
        let Some(split) = t.split else {
            // `sources.uk.yaml` on a one-language site: free-form data, as before.
            let stem = t.rel.rsplit_once('.').map_or(t.rel.as_str(), |(s, _)| s);
            let mut data = (*source.data).clone();
            data.other.insert(stem.to_string(), t.value.clone());
            source.data = Arc::new(data);
            source.data_files.push(t.rel.clone());
            continue;
        };
        let origin = crate::parse::yaml::Origin {
            file: &t.path,
            file_text: &t.text,
            offset: split.yaml_start,
        };
        match crate::load::records::parse_front(
            &t.rel,
            &t.text[split.yaml_start..split.yaml_end],
            origin,
        ) {
            Ok(front) => source.pages.push(Arc::new(SourcePage {
                path: t.path.clone(),
                rel: t.rel.clone(),
                text: t.text.clone(),
                deferred: None,
                split,
                front,
                overlays: None,
                given: None,
            })),
            Err(d) => {
                source.problems.extend(d);
                source.unreadable.push(t.rel.clone());
            }
        }
    }
    source.pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    source.data_files.sort();
}

/// The edition a translation belongs to, or an error: a suffix that is not one of the site's
/// languages (with the closest), or the default language.
fn edition_of(t: &SourceTranslation, codes: &[&str], diags: &mut Diagnostics) -> Option<usize> {
    match codes.iter().position(|c| c.eq_ignore_ascii_case(&t.lang)) {
        Some(0) => {
            diags.push(
                Diagnostic::new(
                    Code::BadTranslation,
                    format!(
                        "`{}` is a translation into `{}`, the default language",
                        t.rel, t.lang
                    ),
                )
                .in_file(&t.path)
                .at(&t.text, 1, 1)
                .hint(format!(
                    "the default edition is made from `{}` itself; remove this file or merge it into the original",
                    t.original
                )),
            );
            None
        }
        Some(i) => Some(i),
        None => {
            let others = &codes[1..];
            let hint = match closest(&t.lang, others.iter().copied()) {
                Some(c) => format!(
                    "did you mean `{c}`? The site's languages (`languages:` in site.yaml) are {}",
                    list(codes)
                ),
                None => format!(
                    "add `{}` to `languages:` in site.yaml, or rename the file; the site's languages are {}",
                    t.lang,
                    list(codes)
                ),
            };
            diags.push(
                Diagnostic::new(
                    Code::BadTranslation,
                    format!("unknown language suffix `{}` in `{}`", t.lang, t.rel),
                )
                .in_file(&t.path)
                .at(&t.text, 1, 1)
                .hint(hint),
            );
            None
        }
    }
}

fn list(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate nearest to `s` by edit distance, if it is near (at most 2 edits).
fn closest<'a>(s: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    // Short names are near only by one edit (any two two-letter codes are two apart).
    let near = if s.chars().count() <= 3 { 1 } else { 2 };
    candidates
        .map(|c| {
            (
                distance(&s.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= near)
        .min()
        .map(|(_, c)| c)
}

/// A translation of a file that does not exist.
fn no_original<'a>(t: &SourceTranslation, rels: impl Iterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::BadTranslation,
        format!(
            "`{}` translates `{}`, which does not exist",
            t.rel, t.original
        ),
    )
    .in_file(&t.path)
    .at(&t.text, 1, 1);
    // The nearest original in the same folder, by name.
    let dir = t.original.rsplit_once('/').map_or("", |(d, _)| d);
    let same_dir: Vec<&str> = rels
        .filter(|r| r.rsplit_once('/').map_or("", |(d, _)| d) == dir)
        .collect();
    let near = closest(&t.original, same_dir.iter().copied());
    match near {
        Some(n) => {
            let name = n.rsplit('/').next().unwrap_or(n);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "md"));
            d.hint(format!(
                "did you mean to translate `{n}`? Name the file `{stem}.{}.{ext}`",
                t.lang
            ))
        }
        None => d.hint(
            "a translation sits beside its original, named like it with the language before the extension",
        ),
    }
}

/// `translation:` and `of:` of a page translation, and `check`'s warning when it is not
/// stamped or its original changed since.
fn provenance(
    t: &SourceTranslation,
    original: &SourcePage,
    diags: &mut Diagnostics,
    warnings: &mut Diagnostics,
) -> Made {
    let mut made = Made {
        from: None,
        by: None,
        stale: false,
    };
    let fm = front_text(t);
    if let Some(v) = t.value.get("translation") {
        match serde_json::from_value::<Translation>(v.clone()) {
            Ok(tr) => {
                if let Some(to) = &tr.to
                    && !to.0.eq_ignore_ascii_case(&t.lang)
                {
                    diags.push(at_key(
                        Diagnostic::new(
                            Code::TranslationMismatch,
                            format!(
                                "`translation: {{to: {}}}` contradicts the file's suffix `{}`",
                                to.0, t.lang
                            ),
                        )
                        .hint("leave `to` out: the suffix says which language it is"),
                        t,
                        fm,
                        &["translation", "to"],
                    ));
                }
                if let Some((msg, hint)) = crate::parse::LanguageTag::problem(&tr.from.0) {
                    diags.push(at_key(
                        Diagnostic::new(Code::InvalidValue, msg).hint(hint),
                        t,
                        fm,
                        &["translation", "from"],
                    ));
                }
                made.from = Some(tr.from.0);
                made.by = Some(tr.by);
            }
            Err(e) => diags.push(at_key(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`translation` must be `{{from: <language>, by: machine | human | machine-reviewed}}`: {e}"),
                ),
                t,
                fm,
                &["translation"],
            )),
        }
    }
    // The whole file's digest, its body read again if the load left it on disk.
    let now = match original.whole() {
        Ok(whole) => digest(&whole),
        Err(d) => {
            diags.push(d);
            return made;
        }
    };
    // `of:` may also be a time (`2025-05-17T09:00`): the translation is up to date while the
    // original's `updated` (else its `date`) is no later.
    let by_time = |of: &str| -> Option<bool> {
        if of.len() == now.len() && of.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let of = crate::parse::dates::DateValue::parse(of).ok()?;
        let c = original.front.common();
        let changed = c.updated.or(c.date)?;
        Some(changed.start() <= of.start())
    };
    // A digest of decimal digits only is read by YAML as a number.
    let of = match t.value.get("of") {
        Some(Value::Number(n)) => Some(Value::String(n.to_string())),
        other => other.cloned(),
    };
    match of.as_ref() {
        Some(Value::String(of)) if *of == now => {}
        Some(Value::String(of)) if by_time(of) == Some(true) => {}
        Some(of) => {
            made.stale = true;
            let was = match of {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            warnings.push(at_key(
                Diagnostic::new(
                    Code::StaleTranslation,
                    format!(
                        "`{}` has changed since this translation was made (`of: {was}`)",
                        original.rel
                    ),
                )
                .hint(format!(
                    "bring the translation up to date, then stamp it with `of: {now}`"
                )),
                t,
                fm,
                &["of"],
            ));
        }
        None => warnings.push(
            Diagnostic::new(
                Code::StaleTranslation,
                format!(
                    "this translation does not say which version of `{}` it translates",
                    original.rel
                ),
            )
            .in_file(&t.path)
            .at(&t.text, 1, 1)
            .hint(format!(
                "once it matches the original, add `of: {now}` to its front matter"
            )),
        ),
    }
    made
}

/// The front matter's range in a translation's text (the whole file for YAML).
fn front_text(t: &SourceTranslation) -> (usize, usize) {
    t.split
        .map_or((0, t.text.len()), |s| (s.yaml_start, s.yaml_end))
}

/// `d` placed at the key `path` (nested keys, outermost first) in `t`'s front matter, or at
/// its first line.
fn at_key(
    d: Diagnostic,
    t: &SourceTranslation,
    (start, end): (usize, usize),
    path: &[&str],
) -> Diagnostic {
    let d = d.in_file(&t.path);
    let mut region = Region { start, end };
    for k in path {
        match region.key(&t.text, k) {
            Some(r) => region = r,
            None => break,
        }
    }
    if region.start == start && !path.is_empty() {
        return d.at_offset(&t.text, start);
    }
    d.at_offset(&t.text, region.start)
}

/// A stretch of YAML text in block style: a key's line and the lines nested under it, or a
/// list item. Used only to point at what a translation wrote (serde keeps no positions).
#[derive(Debug, Clone, Copy)]
struct Region {
    start: usize,
    end: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

impl Region {
    /// The lines of `text` in this region, with their offsets.
    fn lines<'t>(&self, text: &'t str) -> impl Iterator<Item = (usize, &'t str)> {
        let slice = &text[self.start..self.end];
        let base = self.start;
        slice.split_inclusive('\n').scan(0usize, move |off, l| {
            let at = base + *off;
            *off += l.len();
            Some((at, l.trim_end_matches('\n')))
        })
    }

    /// The first key `k` in this region (as `k:` or `- k:`), with what is nested under it.
    fn key(&self, text: &str, k: &str) -> Option<Region> {
        let mut found: Option<(usize, usize)> = None;
        for (at, line) in self.lines(text) {
            match found {
                None => {
                    let body = line.trim_start_matches([' ', '-']);
                    let rest = body.strip_prefix(k).and_then(|r| r.strip_prefix(':'));
                    if rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t'])) {
                        let col = line.len() - body.len();
                        found = Some((at + col, col));
                    }
                }
                Some((start, col)) => {
                    let body = line.trim_start_matches(' ');
                    let under = body.is_empty()
                        || body.starts_with('#')
                        || indent(line) > col
                        || (indent(line) == col && body.starts_with('-'));
                    if !under {
                        return Some(Region { start, end: at });
                    }
                }
            }
        }
        found.map(|(start, _)| Region {
            start,
            end: self.end,
        })
    }

    /// The `n`th (0-based) block list item in this region.
    fn item(&self, text: &str, n: usize) -> Option<Region> {
        let mut col: Option<usize> = None;
        let mut starts = Vec::new();
        for (at, line) in self.lines(text) {
            let body = line.trim_start_matches(' ');
            if body.starts_with("- ") || body == "-" {
                let c = indent(line);
                match col {
                    None => {
                        col = Some(c);
                        starts.push(at + c);
                    }
                    Some(k) if k == c => starts.push(at + c),
                    _ => {}
                }
            }
        }
        let start = *starts.get(n)?;
        let end = starts.get(n + 1).copied().unwrap_or(self.end);
        Some(Region { start, end })
    }
}

/// How a kind's translatable text is laid out: keys not listed are structural.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Text,
    /// A mapping with translatable keys of its own.
    Map(&'static [(&'static str, Shape)]),
    /// A list whose entries are matched by these keys, repeated verbatim in the translation
    /// (the first always; the others when the first alone is ambiguous).
    Keyed(&'static [&'static str], &'static [(&'static str, Shape)]),
    /// A list whose entries are matched by place.
    Ordered(&'static [(&'static str, Shape)]),
}

use Shape::{Keyed, Map, Ordered, Text};

const COMMON: &[(&str, Shape)] = &[("title", Text), ("summary", Text)];

/// A generic page (the home page's `_index.md` among them): its bottom line and what to watch.
const PAGE: &[(&str, Shape)] = &[
    ("title", Text),
    ("summary", Text),
    ("bottom_line", Text),
    ("watch", Ordered(&[("text", Text)])),
];

/// The alternative accounts of a disputed value: their notes are text.
const ACCOUNTS: Shape = Ordered(&[("note", Text)]);

const TALK: &[(&str, Shape)] = &[
    ("title", Text),
    ("summary", Text),
    ("format", Text),
    ("bottom_line", Text),
    (
        "venue",
        Map(&[("name", Text), ("city", Text), ("country", Text)]),
    ),
    (
        "mediators",
        Keyed(
            &["party"],
            &[("title", Text), ("role", Text), ("note", Text)],
        ),
    ),
    (
        "delegations",
        Keyed(
            &["party"],
            &[
                ("note", Text),
                ("head", Map(&[("title", Text)])),
                ("members", Keyed(&["person"], &[("title", Text)])),
            ],
        ),
    ),
    ("agenda", Keyed(&["topic"], &[("note", Text)])),
    ("updates", Ordered(&[("text", Text)])),
    ("outcomes", Ordered(&[("text", Text)])),
    ("rescheduled", Ordered(&[("note", Text)])),
    ("watch", Ordered(&[("text", Text)])),
    ("facts", Ordered(&[("label", Text), ("accounts", ACCOUNTS)])),
    ("duration", Map(&[("accounts", ACCOUNTS)])),
    ("actual_start", Map(&[("accounts", ACCOUNTS)])),
    ("actual_end", Map(&[("accounts", ACCOUNTS)])),
];

const PARTY: &[(&str, Shape)] = &[
    ("name", Text),
    ("short_name", Text),
    ("adjective", Text),
    ("summary", Text),
    (
        "positions",
        Keyed(&["topic", "as_of"], &[("summary", Text)]),
    ),
];

const PERSON: &[(&str, Shape)] = &[
    ("name", Text),
    ("summary", Text),
    ("native_name", Map(&[("text", Text)])),
    ("roles", Ordered(&[("title", Text), ("organisation", Text)])),
];

fn shape_of(kind: Option<Kind>) -> &'static [(&'static str, Shape)] {
    match kind {
        Some(Kind::Talk) => TALK,
        Some(Kind::Party) => PARTY,
        Some(Kind::Person) => PERSON,
        Some(Kind::Topic) | Some(Kind::Statement) => COMMON,
        None => PAGE,
    }
}

/// Keys of a translation's front matter about the translation itself.
const META: &[&str] = &["translation", "of"];

/// Lay translation `t` over `original`: the original's front matter with `t`'s texts, and
/// `t`'s body. `None` (with errors) when `t` sets what only the original may.
fn overlay_page(
    t: &SourceTranslation,
    original: &SourcePage,
    diags: &mut Diagnostics,
) -> Option<SourcePage> {
    let split = t.split?;
    let o = &original.text[original.split.yaml_start..original.split.yaml_end];
    let orig: Value = if o.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        match serde_yaml::from_str(o) {
            Ok(v) => v,
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        format!("the original's front matter cannot be compared with this translation: {e}"),
                    )
                    .in_file(&t.path)
                    .hint(format!("keep the front matter of `{}` to plain keys and values", original.rel)),
                );
                return None;
            }
        }
    };
    let mut merged = orig.clone();
    let before = diags.error_count();
    let Value::Object(tr) = &t.value else {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                "a translation's front matter must be a mapping of keys to text",
            )
            .in_file(&t.path)
            .at_offset(&t.text, split.yaml_start),
        );
        return None;
    };
    let mut tr = tr.clone();
    for k in META {
        tr.remove(*k);
    }
    let cx = Cx {
        t,
        region: Region {
            start: split.yaml_start,
            end: split.yaml_end,
        },
    };
    let mut paths = HashSet::new();
    overlay_map(
        &Value::Object(tr),
        &orig,
        &mut merged,
        shape_of(original.front.kind()),
        &[],
        &cx,
        &mut Given {
            at: String::new(),
            paths: &mut paths,
        },
        diags,
    );
    if diags.error_count() > before {
        return None;
    }
    match crate::load::kinds::front_from_value(&original.rel, merged) {
        Ok(front) => Some(SourcePage {
            path: t.path.clone(),
            rel: original.rel.clone(),
            text: t.text.clone(),
            deferred: None,
            split,
            front,
            overlays: Some(Arc::from(o)),
            given: Some(Arc::new(paths)),
        }),
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("this translation cannot be read: {e}"),
                )
                .in_file(&t.path)
                .at_offset(&t.text, split.yaml_start),
            );
            None
        }
    }
}

/// Where in a translation's text the value being overlaid is.
struct Cx<'a> {
    t: &'a SourceTranslation,
    region: Region,
}

impl Cx<'_> {
    fn at(&self, region: Region) -> Cx<'_> {
        Cx { t: self.t, region }
    }

    fn key(&self, k: &str) -> Region {
        self.region.key(&self.t.text, k).unwrap_or(self.region)
    }

    fn item(&self, n: usize) -> Region {
        self.region.item(&self.t.text, n).unwrap_or(self.region)
    }

    fn error(&self, region: Region, code: Code, msg: String, hint: &str) -> Diagnostic {
        Diagnostic::new(code, msg)
            .in_file(&self.t.path)
            .at_offset(&self.t.text, region.start)
            .hint(hint.to_string())
    }
}

/// What [`overlay_map`] notes: the paths of the text keys a translation gave (`at` is the
/// path of the mapping being overlaid, `""` at the top).
struct Given<'g> {
    at: String,
    paths: &'g mut HashSet<String>,
}

impl Given<'_> {
    fn path(&self, k: &str) -> String {
        if self.at.is_empty() {
            k.to_string()
        } else {
            format!("{}.{k}", self.at)
        }
    }

    fn under(&mut self, at: String) -> Given<'_> {
        Given {
            at,
            paths: self.paths,
        }
    }
}

/// Overlay the mapping `tr` onto `orig` (a mapping), writing into `out`. `keys`: the keys
/// that matched this entry to the original's (allowed to repeat, verbatim). Every text key
/// given is noted in `gave`, by its path in the original.
#[allow(clippy::too_many_arguments)]
fn overlay_map(
    tr: &Value,
    orig: &Value,
    out: &mut Value,
    shape: &[(&str, Shape)],
    keys: &[&str],
    cx: &Cx<'_>,
    gave: &mut Given<'_>,
    diags: &mut Diagnostics,
) {
    let Value::Object(tr) = tr else {
        diags.push(cx.error(
            cx.region,
            Code::InvalidValue,
            "expected a mapping of keys to text here".into(),
            "write the same keys as the original, with their text translated",
        ));
        return;
    };
    for (k, v) in tr {
        let at = cx.key(k);
        let o = orig.get(k);
        match shape.iter().find(|(name, _)| name == k).map(|(_, s)| *s) {
            Some(Text) => match v {
                Value::String(_) | Value::Null => {
                    if let Value::Object(m) = out {
                        m.insert(k.clone(), v.clone());
                    }
                    gave.paths.insert(gave.path(k));
                }
                _ => diags.push(cx.error(
                    at,
                    Code::InvalidValue,
                    format!("`{k}` is text: write it as a string"),
                    "translate the original's text; structure comes from the original",
                )),
            },
            Some(Map(sub)) => {
                let Some(o) = o.filter(|o| o.is_object()) else {
                    diags.push(unmatched(cx, at, k));
                    continue;
                };
                if let Some(slot) = out.get_mut(k) {
                    let mut inner = gave.under(gave.path(k));
                    overlay_map(v, o, slot, sub, &[], &cx.at(at), &mut inner, diags);
                }
            }
            Some(Keyed(by, sub)) => {
                let (Value::Array(items), Some(Value::Array(originals))) = (v, o) else {
                    diags.push(unmatched(cx, at, k));
                    continue;
                };
                let list = cx.at(at);
                for (n, item) in items.iter().enumerate() {
                    let item_at = list.item(n);
                    let given: Vec<(&str, &Value)> = by
                        .iter()
                        .filter_map(|key| item.get(*key).map(|v| (*key, v)))
                        .collect();
                    if given.first().map(|(key, _)| *key) != Some(by[0]) {
                        diags.push(cx.error(
                            item_at,
                            Code::TranslationMismatch,
                            format!(
                                "this entry of `{k}` does not say which of the original's it translates"
                            ),
                            &format!(
                                "repeat the original's `{}` verbatim: entries of `{k}` are matched by it",
                                by[0]
                            ),
                        ));
                        continue;
                    }
                    let matches: Vec<usize> = originals
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| given.iter().all(|(key, v)| o.get(*key) == Some(*v)))
                        .map(|(i, _)| i)
                        .collect();
                    match matches.as_slice() {
                        [i] => {
                            if let Some(slot) = out.get_mut(k).and_then(|l| l.get_mut(*i)) {
                                let mut inner = gave.under(format!("{}.{i}", gave.path(k)));
                                overlay_map(item, &originals[*i], slot, sub, by, &list.at(item_at), &mut inner, diags);
                            }
                        }
                        [] => diags.push(cx.error(
                            item_at,
                            Code::TranslationMismatch,
                            format!(
                                "this entry of `{k}` matches none of the original's ({})",
                                describe(&given)
                            ),
                            &format!("entries of `{k}` are matched by {}: repeat the original's verbatim", keys_list(by)),
                        )),
                        _ => diags.push(cx.error(
                            item_at,
                            Code::TranslationMismatch,
                            format!(
                                "this entry of `{k}` matches {} of the original's ({})",
                                matches.len(),
                                describe(&given)
                            ),
                            &format!("give {} too, as the original does, to say which", keys_list(&by[1..])),
                        )),
                    }
                }
            }
            Some(Ordered(sub)) => {
                let (Value::Array(items), Some(Value::Array(originals))) = (v, o) else {
                    diags.push(unmatched(cx, at, k));
                    continue;
                };
                let list = cx.at(at);
                for (n, item) in items.iter().enumerate() {
                    let item_at = list.item(n);
                    match originals.get(n) {
                        Some(o) => {
                            if let Some(slot) = out.get_mut(k).and_then(|l| l.get_mut(n)) {
                                let mut inner = gave.under(format!("{}.{n}", gave.path(k)));
                                overlay_map(item, o, slot, sub, &[], &list.at(item_at), &mut inner, diags);
                            }
                        }
                        None => diags.push(cx.error(
                            item_at,
                            Code::TranslationMismatch,
                            format!(
                                "entry {} of `{k}` has no original: the original has {}",
                                n + 1,
                                originals.len()
                            ),
                            &format!("entries of `{k}` are matched by place: list the original's, in its order, and no more"),
                        )),
                    }
                }
            }
            None => {
                if o == Some(v) {
                    continue;
                }
                let why = if keys.contains(&k.as_str()) {
                    "it matches the entry to the original's, and must repeat it verbatim"
                } else {
                    "dates, times, zones, references, statuses and the like come from the original only"
                };
                let msg = match o {
                    Some(_) => format!("`{k}` is set differently from the original: {why}"),
                    None => format!("`{k}` is not set in the original: {why}"),
                };
                let texts = shape.iter().map(|(name, _)| *name);
                let hint = match closest(k, texts).filter(|_| o.is_none()) {
                    Some(near) => format!("did you mean `{near}`? It is text a translation gives"),
                    None => {
                        "remove it from the translation (or repeat the original's value exactly)"
                            .to_string()
                    }
                };
                diags.push(cx.error(at, Code::TranslationMismatch, msg, &hint));
            }
        }
    }
}

fn unmatched(cx: &Cx<'_>, at: Region, k: &str) -> Diagnostic {
    cx.error(
        at,
        Code::TranslationMismatch,
        format!("`{k}` is not in the original, or not of the same shape"),
        "a translation gives text for what the original has; remove this or add it to the original first",
    )
}

fn describe(given: &[(&str, &Value)]) -> String {
    given
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn keys_list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Lay `sources.<lang>.yaml` or `timeline.<lang>.yaml` over the data as read: entries are
/// matched by `id`; an unmatched one is an error at its line.
fn overlay_data(t: &SourceTranslation, data: &mut crate::load::DataFiles, diags: &mut Diagnostics) {
    let is_sources = t.original.starts_with("sources.");
    let Value::Array(items) = &t.value else {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                "a data translation is a list of entries, each with the `id` of the original's",
            )
            .in_file(&t.path)
            .at(&t.text, 1, 1),
        );
        return;
    };
    let cx = Cx {
        t,
        region: Region {
            start: 0,
            end: t.text.len(),
        },
    };
    let (texts, never): (&[&str], &[&str]) = if is_sources {
        (&["note", "title_translated"], &["title", "publisher"])
    } else {
        (&["title", "text"], &[])
    };
    for (n, item) in items.iter().enumerate() {
        let at = cx.item(n);
        let item_cx = cx.at(at);
        let Value::Object(m) = item else {
            diags.push(cx.error(
                at,
                Code::InvalidValue,
                "expected an entry with keys (`id:` and the text it translates)".into(),
                "write each entry as `- id: …` followed by its translated keys",
            ));
            continue;
        };
        let Some(Value::String(id)) = m.get("id") else {
            diags.push(cx.error(
                at,
                Code::TranslationMismatch,
                "this entry has no `id`".into(),
                "entries of a data translation are matched by `id`: repeat the original's",
            ));
            continue;
        };
        let original: Option<Value> = if is_sources {
            data.sources
                .iter()
                .find(|s| &s.id == id)
                .and_then(|s| serde_json::to_value(SourceJson::from(s)).ok())
        } else {
            data.timeline
                .iter()
                .find(|e| e.id.as_ref() == Some(id))
                .map(|e| serde_json::json!({"id": e.id, "title": e.title, "text": e.text}))
        };
        let Some(original) = original else {
            let what = if is_sources {
                "source"
            } else {
                "timeline event"
            };
            let hint = if is_sources {
                "use the `id` of an entry of sources.yaml".to_string()
            } else {
                "give the event an `id` in timeline.yaml, and use it here".to_string()
            };
            diags.push(item_cx.error(
                item_cx.key("id"),
                Code::TranslationMismatch,
                format!("no {what} has the id `{id}`"),
                &hint,
            ));
            continue;
        };
        let mut ok = true;
        for (k, v) in m {
            if k == "id" || texts.contains(&k.as_str()) {
                if k != "id" && !matches!(v, Value::String(_) | Value::Null) {
                    ok = false;
                    diags.push(item_cx.error(
                        item_cx.key(k),
                        Code::InvalidValue,
                        format!("`{k}` is text: write it as a string"),
                        "translate the original's text",
                    ));
                }
                continue;
            }
            if original.get(k) == Some(v) {
                continue;
            }
            ok = false;
            let hint = if never.contains(&k.as_str()) {
                "a source's `title` and `publisher` stay as published; give `title_translated` instead"
            } else if is_sources {
                "a source translation gives only `note` and `title_translated`"
            } else {
                "a timeline translation gives only `title` and `text`"
            };
            diags.push(item_cx.error(
                item_cx.key(k),
                Code::TranslationMismatch,
                format!("`{k}` cannot be translated here"),
                hint,
            ));
        }
        if !ok {
            continue;
        }
        let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
        if is_sources {
            if let Some(s) = data.sources.iter_mut().find(|s| &s.id == id) {
                if m.contains_key("note") {
                    s.note = text("note");
                    s.note_given = true;
                }
                if m.contains_key("title_translated") {
                    s.title_translated = text("title_translated");
                }
            }
        } else if let Some(e) = data.timeline.iter_mut().find(|e| e.id.as_ref() == Some(id)) {
            if let Some(title) = text("title").filter(|t| !t.trim().is_empty()) {
                e.title = title;
                e.given.title = true;
            }
            if m.contains_key("text") {
                e.text = text("text");
                e.given.text = true;
            }
        }
    }
}

/// The fields of a source a translation may repeat, as written.
#[derive(serde::Serialize)]
struct SourceJson {
    id: String,
    publisher: String,
    title: Option<String>,
}

impl From<&crate::load::records::SourceEntry> for SourceJson {
    fn from(s: &crate::load::records::SourceEntry) -> Self {
        SourceJson {
            id: s.id.clone(),
            publisher: s.publisher.clone(),
            title: s.title.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_find_keys_and_items() {
        let text = "title: T\ndelegations:\n  - party: a\n    note: x\n  - party: b\n    members:\n      - person: p\nupdates:\n  - text: u\n";
        let all = Region {
            start: 0,
            end: text.len(),
        };
        let d = all.key(text, "delegations").unwrap();
        assert_eq!(&text[d.start..d.start + 12], "delegations:");
        let second = d.item(text, 1).unwrap();
        assert!(text[second.start..].starts_with("- party: b"));
        let members = second.key(text, "members").unwrap();
        assert!(text[members.start..].starts_with("members:"));
        assert!(text[..d.end].ends_with("- person: p\n"));
        let u = all.key(text, "updates").unwrap();
        assert!(text[u.start..].starts_with("updates:"));
    }

    /// A page of `text` at `rel`, as loading reads it.
    fn page(rel: &str, text: &str) -> SourcePage {
        let path = std::path::PathBuf::from("content").join(rel);
        let split = crate::load::frontmatter::split(&path, text).unwrap();
        let origin = crate::parse::yaml::Origin {
            file: &path,
            file_text: text,
            offset: split.yaml_start,
        };
        let front =
            crate::load::records::parse_front(rel, &text[split.yaml_start..split.yaml_end], origin)
                .unwrap();
        SourcePage {
            path,
            rel: rel.into(),
            text: text.into(),
            deferred: None,
            split,
            front,
            overlays: None,
            given: None,
        }
    }

    #[test]
    fn the_overlay_notes_what_a_translation_gave_by_its_place_in_the_original() {
        let original = page(
            "talks/t.md",
            "---\ntitle: T\nstatus: concluded\nvenue: {name: P, city: G, timezone: Europe/Zurich}\n\
             scheduled_start: 2025-05-16T12:30\ndelegations:\n  - party: a\n    note: A\n\
             \x20 - party: b\n    note: B\n    members:\n      - person: x\n        title: X\n\
             \x20     - person: y\n        title: Y\nupdates:\n  - at: 2025-05-16T13:00\n    text: one\n\
             \x20 - at: 2025-05-16T14:00\n    text: two\n---\n\nBody.\n",
        );
        // The second delegation's second member, and the first update only.
        let text = "---\ntitle: Т\ndelegations:\n  - party: b\n    members:\n      - person: y\n        title: Й\n\
                    updates:\n  - text: один\n---\n\nТіло.\n";
        let split = crate::load::frontmatter::split(std::path::Path::new("t.uk.md"), text).unwrap();
        let t = SourceTranslation {
            path: "content/talks/t.uk.md".into(),
            rel: "talks/t.uk.md".into(),
            original: "talks/t.md".into(),
            lang: "uk".into(),
            text: text.into(),
            split: Some(split),
            value: serde_yaml::from_str(&text[split.yaml_start..split.yaml_end]).unwrap(),
        };
        let mut diags = Diagnostics::new();
        let laid = overlay_page(&t, &original, &mut diags).expect("the translation is laid over");
        assert!(!diags.has_errors(), "{diags:?}");
        let mut given: Vec<&str> = laid
            .given
            .as_ref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        given.sort_unstable();
        assert_eq!(
            given,
            ["delegations.1.members.1.title", "title", "updates.0.text"]
        );
        assert!(laid.gave("updates.0.text") && !laid.gave("updates.1.text"));
        assert!(!laid.gave("delegations.1.note") && !laid.gave("delegations.0.note"));
        // An original gave nothing: every text of it is its own.
        assert!(!original.gave("title"));
    }

    #[test]
    fn closest_language() {
        assert_eq!(closest("ua", ["uk", "ru", "ko"].into_iter()), Some("uk"));
        assert_eq!(closest("de", ["uk"].into_iter()), None);
    }
}
