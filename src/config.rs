//! Site settings: `site.yaml` at the site root, merged with command-line overrides.
//!
//! Every key is optional and unknown keys are errors. The base URL decides how every generated
//! URL starts: without one, URLs are root-relative (`/talks/x/`) and outputs that need absolute
//! URLs are skipped with a warning.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::yaml;

/// `site.yaml`, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteFile {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) base_url: Option<BaseUrl>,
    pub(crate) language: Option<crate::parse::LanguageTag>,
    /// The site's editions, default language first (see [`LanguageFile`]); without it the site
    /// has one language, `language`.
    pub(crate) languages: Option<Vec<LanguageFile>>,
    pub(crate) author: Option<String>,
    /// "Now" for the briefing (`YYYY-MM-DD`); defaults to the latest date in the content.
    pub(crate) as_of: Option<crate::parse::dates::DateValue>,
    /// IANA zones every time is also shown in.
    pub(crate) display_timezones: Option<Vec<crate::parse::TimeZoneName>>,
    /// Raw HTML in Markdown: `allow` (trusted authors) or `sanitize`.
    pub(crate) raw_html: Option<RawHtml>,
    /// How `check --external` requests external links.
    pub(crate) external_links: Option<ExternalLinksFile>,
    /// Entries per page of section and tag listings (`0`: every entry on one page).
    pub(crate) paginate_by: Option<PaginateBy>,
    /// Entries above which the timeline, source list and positions matrix are split (`0`: never).
    pub(crate) split_above: Option<SplitAbove>,
}

/// Entries a page of section and tag listings shows when `site.yaml` does not say.
pub(crate) const DEFAULT_PAGINATE_BY: usize = 50;

/// `paginate_by:` as written: a whole number from 0 (one page) to 100,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PaginateBy(pub usize);

impl<'de> Deserialize<'de> for PaginateBy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whole_number(
            d,
            "a whole number of entries a listing page shows, from 0 (every entry on one page) to 100000",
        )
        .map(PaginateBy)
    }
}

/// Entries above which the timeline, the source list and the positions matrix are split, when
/// `site.yaml` does not say.
pub(crate) const DEFAULT_SPLIT_ABOVE: usize = 1000;

/// `split_above:` as written: a whole number from 0 (never split) to 100,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SplitAbove(pub usize);

impl<'de> Deserialize<'de> for SplitAbove {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whole_number(
            d,
            "a whole number of entries (timeline events, sources, cells of the positions matrix) above which the timeline, the source list and the positions matrix are split, from 0 (never split) to 100000",
        )
        .map(SplitAbove)
    }
}

/// A whole number from 0 to 100,000, or an error that says what was written and `what` is wanted.
fn whole_number<'de, D: serde::Deserializer<'de>>(
    d: D,
    what: &'static str,
) -> Result<usize, D::Error> {
    struct V(&'static str);
    impl serde::de::Visitor<'_> for V {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<usize, E> {
            match usize::try_from(v) {
                Ok(n) if n <= 100_000 => Ok(n),
                _ => Err(E::custom(format!("`{v}` is too large: use {}", self.0))),
            }
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<usize, E> {
            match u64::try_from(v) {
                Ok(n) => self.visit_u64(n),
                Err(_) => Err(E::custom(format!("`{v}` is negative: use {}", self.0))),
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<usize, E> {
            Err(E::custom(format!(
                "`{v}` is not a whole number: use {}",
                self.0
            )))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
            Err(E::custom(format!("`{v}` is not a number: use {}", self.0)))
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<usize, E> {
            Err(E::custom(format!("`{v}` is not a number: use {}", self.0)))
        }
    }
    d.deserialize_any(V(what))
}

/// `external_links:` in `site.yaml`, as written. Every value is checked where it is read, so a
/// mistake is reported at its line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExternalLinksFile {
    /// The `User-Agent` sent with every request.
    pub(crate) user_agent: Option<UserAgent>,
    /// Hosts (`example.com`, which covers its subdomains) or URL prefixes never requested.
    pub(crate) skip: Option<Vec<SkipRule>>,
    /// Status codes counted as working (on top of 100–399).
    pub(crate) accept: Option<Vec<Bounded<100, 599>>>,
    /// How many times a failed request is tried again.
    pub(crate) retries: Option<Bounded<0, 10>>,
    /// Seconds to wait before the first retry; doubled before each next one.
    pub(crate) backoff: Option<Seconds<0>>,
    /// Seconds one request may take.
    pub(crate) timeout: Option<Seconds<1>>,
    /// Requests in flight to one host at once.
    pub(crate) per_host: Option<Bounded<1, 16>>,
    /// What a broken external link is: `error` or `warn`.
    pub(crate) level: Option<LinkLevel>,
}

/// One entry of `languages:` in `site.yaml`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguageFile {
    /// BCP 47 tag (`en`, `uk`, `pt-BR`), checked where it is read.
    pub(crate) code: crate::parse::LanguageTag,
    /// The edition's title; the default language's title (`title:`) when not given.
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    /// The edition's byline for pages without `authors` ("Редакція"); `author:` when not given.
    pub(crate) author: Option<String>,
}

/// One edition of the site: a language, and the title, description and author it is published
/// under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Language {
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) author: Option<String>,
}

/// A whole number from `LO` to `HI`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounded<const LO: u32, const HI: u32>(pub u32);

impl<'de, const LO: u32, const HI: u32> Deserialize<'de> for Bounded<LO, HI> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        match u32::try_from(v) {
            Ok(n) if (LO..=HI).contains(&n) => Ok(Bounded(n)),
            _ => Err(serde::de::Error::custom(format!(
                "`{v}` is out of range: use a whole number from {LO} to {HI}"
            ))),
        }
    }
}

/// A number of seconds (`1`, `0.5`), at least `MIN_MS` milliseconds and at most ten minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Seconds<const MIN_MS: u64>(pub std::time::Duration);

impl<'de, const MIN_MS: u64> Deserialize<'de> for Seconds<MIN_MS> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        let min = MIN_MS as f64 / 1000.0;
        if v.is_finite() && v >= min && v <= 600.0 {
            Ok(Seconds(std::time::Duration::from_secs_f64(v)))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{v}` is out of range: use a number of seconds from {min} to 600"
            )))
        }
    }
}

/// A `User-Agent` header value: printable ASCII on one line, not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserAgent(pub String);

impl<'de> Deserialize<'de> for UserAgent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            Ok(UserAgent(s.to_string()))
        } else {
            Err(serde::de::Error::custom(
                "a user agent must be printable ASCII on one line, not empty \
                 (e.g. `Mozilla/5.0 (compatible; our-briefing-check)`)",
            ))
        }
    }
}

/// What `check --external` does not request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SkipRule {
    /// A host, lower-case, with a port if one was given (`example.com`, `localhost:8080`): the
    /// host and every subdomain of it.
    Host(String),
    /// Every URL starting with this (`https://example.com/private/`).
    Prefix(String),
}

impl<'de> Deserialize<'de> for SkipRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let s = s.trim();
        let bad = |why: &str| {
            serde::de::Error::custom(format!(
                "`{s}` {why}: write a host (`example.com`) or the start of a URL \
                 (`https://example.com/private/`)"
            ))
        };
        if let Some(rest) = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
        {
            if rest.is_empty() || rest.starts_with('/') || s.contains(char::is_whitespace) {
                return Err(bad("is not the start of a URL"));
            }
            return Ok(SkipRule::Prefix(s.to_string()));
        }
        if s.is_empty() || s.contains(['/', '?', '#', '@']) || s.contains(char::is_whitespace) {
            return Err(bad("is not a host"));
        }
        Ok(SkipRule::Host(s.to_ascii_lowercase()))
    }
}

impl SkipRule {
    /// Whether `url` (an `http(s)` URL) is skipped by this rule.
    pub(crate) fn matches(&self, url: &str) -> bool {
        match self {
            SkipRule::Prefix(p) => url.starts_with(p.as_str()),
            SkipRule::Host(h) => {
                let Some(authority) = authority(url) else {
                    return false;
                };
                let authority = authority.to_ascii_lowercase();
                let name = if h.contains(':') {
                    authority.as_str()
                } else {
                    host_of(&authority)
                };
                name == h
                    || name
                        .strip_suffix(h.as_str())
                        .is_some_and(|sub| sub.ends_with('.'))
            }
        }
    }
}

/// `https://user@Example.org:8080/x` → `Example.org:8080`.
pub(crate) fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    Some(auth.rsplit_once('@').map_or(auth, |(_, a)| a))
}

/// `example.org:8080` → `example.org`; `[::1]:80` → `[::1]`.
fn host_of(authority: &str) -> &str {
    match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => &authority[..i],
        _ => authority,
    }
}

/// What a broken external link is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LinkLevel {
    /// It fails `check --external` (the default).
    #[default]
    Error,
    /// It is reported, and `check --external` passes unless `--strict`.
    Warn,
}

/// How `check --external` requests links, with the defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExternalLinks {
    pub(crate) user_agent: String,
    pub(crate) skip: Vec<SkipRule>,
    pub(crate) accept: Vec<u16>,
    pub(crate) retries: u32,
    pub(crate) backoff: std::time::Duration,
    pub(crate) timeout: std::time::Duration,
    pub(crate) per_host: usize,
    pub(crate) level: LinkLevel,
}

/// The `User-Agent` sent when `site.yaml` names none.
pub(crate) const DEFAULT_USER_AGENT: &str =
    concat!("briefing-link-check/", env!("CARGO_PKG_VERSION"));

impl ExternalLinks {
    fn from_file(f: ExternalLinksFile) -> ExternalLinks {
        use std::time::Duration;
        ExternalLinks {
            user_agent: f
                .user_agent
                .map_or_else(|| DEFAULT_USER_AGENT.to_string(), |u| u.0),
            skip: f.skip.unwrap_or_default(),
            accept: f
                .accept
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.0 as u16)
                .collect(),
            retries: f.retries.map_or(2, |r| r.0),
            backoff: f.backoff.map_or(Duration::from_secs(1), |s| s.0),
            timeout: f.timeout.map_or(Duration::from_secs(15), |s| s.0),
            per_host: f.per_host.map_or(2, |n| n.0 as usize),
            level: f.level.unwrap_or_default(),
        }
    }
}

impl Default for ExternalLinks {
    fn default() -> Self {
        ExternalLinks::from_file(ExternalLinksFile::default())
    }
}

/// `base_url` as written, checked when it is read (so a bad one is located at its line). An
/// empty one means none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BaseUrl(pub String);

const BASE_URL_HINT: &str = "write it as https://example.org/ or https://example.org/sub/path/";

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if !s.trim().is_empty()
            && let Err(why) = normalize_base_url(&s)
        {
            return Err(serde::de::Error::custom(format!(
                "invalid base_url `{s}`: {why}{}{BASE_URL_HINT}",
                yaml::HINT
            )));
        }
        Ok(BaseUrl(s))
    }
}

/// What to do with raw HTML written in Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawHtml {
    /// Pass it through: the authors are trusted (the default).
    #[default]
    Allow,
    /// Clean it with ammonia, and refuse `javascript:` and `data:` links.
    Sanitize,
}

/// Resolved settings used by every later stage.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    pub(crate) title: String,
    pub(crate) description: String,
    /// Absolute base URL with a trailing slash (`https://example.org/sub/`), if any.
    pub(crate) base_url: Option<String>,
    /// The path part of the base URL, always starting and ending with `/` (`/sub/` or `/`).
    pub(crate) base_path: String,
    pub(crate) language: String,
    pub(crate) author: Option<String>,
    pub(crate) as_of: Option<crate::parse::dates::DateValue>,
    pub(crate) display_timezones: Vec<String>,
    pub(crate) raw_html: RawHtml,
    /// Include pages marked `draft: true`.
    pub(crate) drafts: bool,
    /// How `check --external` requests external links.
    pub(crate) external_links: ExternalLinks,
    /// Every edition, the default language first; one entry for a site of one language.
    pub(crate) languages: Vec<Language>,
    /// The edition these settings are for (index into `languages`; 0, the default, at the root).
    pub(crate) edition: usize,
    /// The base path and URL of the whole site: the default edition's. `base_path` and
    /// `base_url` are the edition's own (`/uk/` under the root `/`).
    pub(crate) root_path: String,
    pub(crate) root_url: Option<String>,
    /// Entries per page of section and tag listings; `0` puts every entry on one page.
    pub(crate) paginate_by: usize,
    /// Entries above which the timeline (events), the source list (sources) and the positions
    /// matrix (cells) are split into years, letters and topics; `0` never splits.
    pub(crate) split_above: usize,
}

pub(crate) const DEFAULT_TIMEZONES: &[&str] = &["UTC"];

impl Config {
    /// Read `ROOT/site.yaml` if present and apply overrides. Errors are site errors.
    pub(crate) fn load(
        root: &Path,
        base_url_override: Option<&str>,
        drafts: bool,
    ) -> Result<Config, Diagnostics> {
        let path = root.join("site.yaml");
        check_readable(root, &path)?;
        let (file, text) = match std::fs::read(&path) {
            Ok(bytes) => {
                let rel = Path::new("site.yaml");
                let text = crate::parse::decode_utf8(rel, bytes)?;
                let file = yaml::parse_all::<SiteFile>(
                    &text,
                    yaml::Origin {
                        file: rel,
                        file_text: &text,
                        offset: 0,
                    },
                )?;
                (file, text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (SiteFile::default(), String::new())
            }
            Err(e) => {
                return Err(
                    Diagnostic::new(Code::Io, format!("cannot read site.yaml: {e}"))
                        .in_file("site.yaml")
                        .into(),
                );
            }
        };
        let problems = check_languages(&file, &text);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Config::from_file(file, base_url_override, drafts)?)
    }

    pub(crate) fn from_file(
        file: SiteFile,
        base_url_override: Option<&str>,
        drafts: bool,
    ) -> Result<Config, Diagnostic> {
        // The file's value was checked as it was read; the command line's is checked here.
        let base_url = match base_url_override {
            Some(u) => Some(u.to_string()),
            None => file.base_url.map(|b| b.0),
        }
        .filter(|s| !s.trim().is_empty());
        let (base_url, base_path) = match base_url {
            Some(u) => {
                let (abs, path) = normalize_base_url(&u).map_err(|msg| {
                    Diagnostic::new(Code::BadConfig, format!("invalid --base-url `{u}`: {msg}"))
                        .hint(BASE_URL_HINT)
                })?;
                (Some(abs), path)
            }
            None => (None, "/".to_string()),
        };
        let title = file.title.unwrap_or_else(|| "Briefing".to_string());
        let description = file.description.unwrap_or_default();
        let language = match file.languages.as_deref() {
            Some([first, ..]) => first.code.0.clone(),
            _ => file.language.map_or_else(|| "en".to_string(), |l| l.0),
        };
        let languages = match file.languages {
            Some(list) if !list.is_empty() => list
                .into_iter()
                .map(|l| Language {
                    code: l.code.0,
                    title: l.title.unwrap_or_else(|| title.clone()),
                    description: l.description.unwrap_or_else(|| description.clone()),
                    author: l.author.or_else(|| file.author.clone()),
                })
                .collect(),
            _ => vec![Language {
                code: language.clone(),
                title: title.clone(),
                description: description.clone(),
                author: file.author.clone(),
            }],
        };
        let author = languages[0].author.clone();
        Ok(Config {
            title: languages[0].title.clone(),
            description: languages[0].description.clone(),
            root_path: base_path.clone(),
            root_url: base_url.clone(),
            base_url,
            base_path,
            languages,
            edition: 0,
            language,
            author,
            as_of: file.as_of,
            display_timezones: file
                .display_timezones
                .map(|zones| zones.into_iter().map(|z| z.0).collect())
                .unwrap_or_else(|| DEFAULT_TIMEZONES.iter().map(|s| s.to_string()).collect()),
            raw_html: file.raw_html.unwrap_or_default(),
            drafts,
            external_links: ExternalLinks::from_file(file.external_links.unwrap_or_default()),
            paginate_by: file.paginate_by.map_or(DEFAULT_PAGINATE_BY, |p| p.0),
            split_above: file.split_above.map_or(DEFAULT_SPLIT_ABOVE, |p| p.0),
        })
    }

    /// The settings of edition `i` (an index into `languages`): its language, title and
    /// description, and its base path and URL under the site's (`/uk/` for `uk`).
    pub(crate) fn for_edition(&self, i: usize) -> Config {
        let mut c = self.clone();
        let Some(lang) = self.languages.get(i) else {
            return c;
        };
        let prefix = edition_prefix(&self.languages, i);
        c.edition = i;
        c.language = lang.code.clone();
        c.title = lang.title.clone();
        c.description = lang.description.clone();
        c.author = lang.author.clone();
        c.base_path = format!("{}{prefix}", self.root_path);
        c.base_url = self.root_url.as_ref().map(|u| format!("{u}{prefix}"));
        c
    }

    /// Whether the site has more than one edition.
    pub(crate) fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Root-relative URL of site path `path` in edition `i` (`/uk/talks/x/`).
    pub(crate) fn edition_url(&self, i: usize, path: &str) -> String {
        format!(
            "{}{}{}",
            self.root_path,
            edition_prefix(&self.languages, i),
            path.trim_start_matches('/')
        )
    }

    /// Absolute URL of site path `path` in edition `i`, when a base URL is set.
    pub(crate) fn edition_absolute_url(&self, i: usize, path: &str) -> Option<String> {
        let root = self.root_url.as_ref()?;
        Some(format!(
            "{root}{}{}",
            edition_prefix(&self.languages, i),
            path.trim_start_matches('/')
        ))
    }

    /// Root-relative URL (under the base path) for a site path like `talks/x/`.
    pub(crate) fn url(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        format!("{}{}", self.base_path, path)
    }

    /// Absolute URL for a site path, when a base URL is set.
    pub(crate) fn absolute_url(&self, path: &str) -> Option<String> {
        let base = self.base_url.as_ref()?;
        Some(format!("{}{}", base, path.trim_start_matches('/')))
    }
}

/// Where edition `i`'s outputs go under the site's root: `` for the default, `uk/` for `uk`.
pub(crate) fn edition_prefix(languages: &[Language], i: usize) -> String {
    match languages.get(i) {
        Some(l) if i > 0 => format!("{}/", l.code),
        _ => String::new(),
    }
}

/// Problems of `languages:` that no single value shows: a language listed twice, and a
/// `language:` that says otherwise. Located in `text` (the file as read).
fn check_languages(file: &SiteFile, text: &str) -> Diagnostics {
    let mut out = Diagnostics::new();
    let Some(list) = &file.languages else {
        return out;
    };
    let at = |d: Diagnostic, value: &str, nth: usize| {
        let d = d.in_file("site.yaml");
        match crate::load::records::locate_value(text, value, nth) {
            Some(off) => d.at_offset(text, off).span(value.chars().count()),
            None => d,
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for l in list {
        let code = l.code.0.as_str();
        let nth = seen.iter().filter(|s| s.eq_ignore_ascii_case(code)).count();
        if nth > 0 {
            out.push(at(
                Diagnostic::new(
                    Code::BadLanguages,
                    format!("language `{code}` is listed twice in `languages:`"),
                )
                .hint("list each edition once"),
                code,
                nth,
            ));
        }
        seen.push(code);
    }
    if list.is_empty() {
        out.push(
            Diagnostic::new(Code::BadLanguages, "`languages:` is empty")
                .in_file("site.yaml")
                .hint("list the default language first (`- code: en`), or remove `languages:`"),
        );
    }
    if let (Some(lang), Some(first)) = (&file.language, list.first())
        && lang.0 != first.code.0
    {
        out.push(at(
            Diagnostic::new(
                Code::BadLanguages,
                format!(
                    "`language: {}` contradicts `languages:`, whose default (first) is `{}`",
                    lang.0, first.code.0
                ),
            )
            .hint("remove `language:`: with `languages:` the first entry is the default"),
            &lang.0,
            0,
        ));
    }
    out
}

/// `site.yaml` is read like content: a link is followed only inside the site folder, and only
/// a regular file is read (never a device, a pipe or a file of `/proc`). A missing file is fine.
fn check_readable(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let refuse = |msg: String| Err(Diagnostic::new(Code::BadConfig, msg).in_file("site.yaml"));
    let is_link = match std::fs::symlink_metadata(path) {
        Ok(m) => m.file_type().is_symlink(),
        Err(_) => return Ok(()),
    };
    let real = if is_link {
        let Ok(real) = path.canonicalize() else {
            return refuse("site.yaml is a broken symbolic link".into());
        };
        let inside = root.canonicalize().is_ok_and(|r| real.starts_with(r));
        if !inside {
            return Err(Diagnostic::new(
                Code::BadConfig,
                "site.yaml is a symbolic link that leads outside the site folder",
            )
            .in_file("site.yaml")
            .hint("copy the settings into the site instead of linking to them"));
        }
        real
    } else {
        path.to_path_buf()
    };
    if !std::fs::metadata(&real).is_ok_and(|m| m.is_file()) {
        return refuse("site.yaml is not a regular file".into());
    }
    Ok(())
}

/// `https://example.org/sub` → (`https://example.org/sub/`, `/sub/`). Refused: another scheme,
/// a query, fragment or space, a backslash (browsers read it as `/`, so the URLs written would
/// not be the ones meant), a user name or password (they would be published in every page),
/// and `.` or `..` segments (browsers resolve them away).
fn normalize_base_url(u: &str) -> Result<(String, String), &'static str> {
    let u = u.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or("it must start with http:// or https://")?;
    if rest.contains(['?', '#', ' ']) {
        return Err("it must not contain a query, fragment or spaces");
    }
    if rest.contains('\\') {
        return Err("it must not contain a backslash (write `/`)");
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.contains('@') {
        return Err("it must not contain a user name or password (`user:password@`)");
    }
    if host.is_empty() {
        return Err("it has no host");
    }
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err("it must not contain `.` or `..` segments");
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let scheme = &u[..u.len() - rest.len()];
    Ok((format!("{scheme}{host}{path}"), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_a_trailing_slash_and_a_path() {
        let c = Config::from_file(
            SiteFile::default(),
            Some("https://example.org/briefings/istanbul"),
            false,
        )
        .unwrap();
        assert_eq!(
            c.base_url.as_deref(),
            Some("https://example.org/briefings/istanbul/")
        );
        assert_eq!(c.base_path, "/briefings/istanbul/");
        assert_eq!(c.url("/talks/x/"), "/briefings/istanbul/talks/x/");
        assert_eq!(
            c.absolute_url("talks/x/").as_deref(),
            Some("https://example.org/briefings/istanbul/talks/x/")
        );
    }

    #[test]
    fn no_base_url_means_root_relative() {
        let c = Config::from_file(SiteFile::default(), None, false).unwrap();
        assert_eq!(c.base_path, "/");
        assert_eq!(c.url("tags/"), "/tags/");
        assert!(c.absolute_url("x").is_none());
    }

    fn parse(yaml: &str) -> Result<Config, Diagnostic> {
        let file = yaml::parse::<SiteFile>(
            yaml,
            yaml::Origin {
                file: Path::new("site.yaml"),
                file_text: yaml,
                offset: 0,
            },
        )?;
        Config::from_file(file, None, false)
    }

    #[test]
    fn external_links_settings_are_read_and_defaulted() {
        let c = parse(
            "external_links:\n  user_agent: Desk/1.0\n  skip: [Example.COM, 'https://x.org/private/']\n  \
             accept: [403, 999]\n  retries: 0\n  backoff: 0.5\n  timeout: 3\n  per_host: 4\n  level: warn\n",
        );
        assert!(c.is_err(), "999 is no status code");
        let c = parse(
            "external_links:\n  user_agent: Desk/1.0\n  skip: [Example.COM, 'https://x.org/private/']\n  \
             accept: [403]\n  retries: 0\n  backoff: 0.5\n  timeout: 3\n  per_host: 4\n  level: warn\n",
        )
        .unwrap();
        let e = &c.external_links;
        assert_eq!(e.user_agent, "Desk/1.0");
        assert_eq!(
            e.skip,
            [
                SkipRule::Host("example.com".into()),
                SkipRule::Prefix("https://x.org/private/".into())
            ]
        );
        assert_eq!(e.accept, [403]);
        assert_eq!((e.retries, e.per_host, e.level), (0, 4, LinkLevel::Warn));
        assert_eq!(e.backoff, std::time::Duration::from_millis(500));
        assert_eq!(e.timeout, std::time::Duration::from_secs(3));
        let d = parse("").unwrap().external_links;
        assert_eq!(d, ExternalLinks::default());
        assert_eq!((d.retries, d.per_host, d.level), (2, 2, LinkLevel::Error));
        assert_eq!(d.user_agent, DEFAULT_USER_AGENT);
    }

    #[test]
    fn a_bad_external_links_value_is_an_error_at_its_line() {
        for (yaml, line, says) in [
            ("title: T\nexternal_links:\n  level: fatal\n", 3, "fatal"),
            (
                "external_links:\n  retries: 2\n  per_host: 0\n",
                3,
                "from 1 to 16",
            ),
            ("external_links:\n  timeout: 0\n", 2, "seconds"),
            ("external_links:\n  backoff: -1\n", 2, "seconds"),
            (
                "external_links:\n  accept: [200, 42]\n",
                2,
                "from 100 to 599",
            ),
            (
                "external_links:\n  skip:\n    - example.com/path\n",
                3,
                "is not a host",
            ),
            (
                "external_links:\n  skip:\n    - 'https:///x'\n",
                3,
                "not the start of a URL",
            ),
            (
                "external_links:\n  user_agent: \"tab\\there\"\n",
                2,
                "printable ASCII",
            ),
            ("external_links:\n  agent: x\n", 2, "agent"),
        ] {
            let d = parse(yaml).expect_err(yaml);
            assert_eq!(d.location.map(|l| l.line), Some(line), "{yaml}: {d:?}");
            assert!(d.message.contains(says), "{yaml}: {}", d.message);
        }
    }

    #[test]
    fn skip_rules_match_hosts_with_their_subdomains_and_prefixes() {
        let host = SkipRule::Host("example.com".into());
        assert!(host.matches("https://example.com/a"));
        assert!(host.matches("https://news.Example.com:8443/a"));
        assert!(host.matches("http://user@example.com"));
        assert!(!host.matches("https://notexample.com/a"));
        assert!(!host.matches("https://example.com.evil.org/a"));
        let with_port = SkipRule::Host("localhost:8080".into());
        assert!(with_port.matches("http://localhost:8080/x"));
        assert!(!with_port.matches("http://localhost:9090/x"));
        let prefix = SkipRule::Prefix("https://x.org/private/".into());
        assert!(prefix.matches("https://x.org/private/a"));
        assert!(!prefix.matches("https://x.org/public/a"));
    }

    #[test]
    fn bad_base_url_is_an_error() {
        for bad in [
            "example.org",
            "https://example.org\\sub/",
            "https://u:p@example.org/",
            "https://example.org/a/../b/",
            "https://example.org/./",
            "https:///x/",
        ] {
            assert!(
                Config::from_file(SiteFile::default(), Some(bad), false).is_err(),
                "{bad}"
            );
        }
        // A dot inside a segment is fine.
        assert!(
            Config::from_file(SiteFile::default(), Some("https://a.example/v1.2/"), false).is_ok()
        );
    }
}
