//! Rendering a site of several editions: each edition rendered once, as a site of its own, into
//! its folder (`uk/`); what every page shows of the other editions (the language switcher,
//! `hreflang` alternates, the "not yet translated" fallback and its canonical link, a
//! translation's provenance and whether its original changed since); and the parallel view of
//! a talk in two editions (`talks/<id>/compare/en-uk/`), made once every edition is resolved.

use std::borrow::Cow;

use serde::Serialize;

use super::markdown::{self, Citer};
use super::{Memory, Rendered, Sink, State, Streamed};
use crate::config::edition_prefix;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::FluentValue;
use crate::load::FileBytes;
use crate::load::kinds::Kind;
use crate::load::records::{Front, Translator};
use crate::model::Site;
use crate::model::outputs::Job;

/// A sink that puts every output of one edition under its folder.
struct Prefixed<'s> {
    prefix: String,
    inner: &'s dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: &str, bytes: Cow<'static, [u8]>) {
        self.inner.put(&format!("{}{path}", self.prefix), bytes);
    }

    fn copy(&self, path: &str, file: &FileBytes) -> Result<(), Diagnostic> {
        self.inner.copy(&format!("{}{path}", self.prefix), file)
    }
}

/// The folder of `site`'s edition under the root (`` or `uk/`).
pub(crate) fn prefix(site: &Site) -> String {
    edition_prefix(&site.config.languages, site.config.edition)
}

/// Every diagnostic once (the editions of one site report the same problems of the files
/// they share).
pub(crate) fn once(d: Diagnostics) -> Diagnostics {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out: Diagnostics = d
        .into_iter()
        .filter(|x| seen.insert(format!("{x:?}")))
        .collect();
    out.sort();
    out
}

/// Render every edition into `sink` (the default at the root, the others under their folder),
/// then the parallel views. The errors of every edition are reported together.
/// `keep_reads` as for [`super::render_once`] (false: a one-shot build, nothing noted).
pub(crate) fn render_into(
    sites: &[Site],
    sink: &dyn Sink,
    keep_reads: bool,
) -> Result<(Streamed, Vec<State>), Diagnostics> {
    let mut total = Streamed::default();
    let mut states = Vec::with_capacity(sites.len());
    let mut errors = Diagnostics::new();
    for site in sites {
        let sink = Prefixed {
            prefix: prefix(site),
            inner: sink,
        };
        let rendered = if keep_reads {
            super::render_into(site, &sink)
        } else {
            super::render_once(site, &sink)
        };
        match rendered {
            Ok((s, state)) => {
                total.files += s.files;
                total.pages += s.pages;
                total.warnings.extend(s.warnings);
                states.push(state);
            }
            Err(d) => errors.extend(d),
        }
    }
    if errors.has_errors() {
        return Err(once(errors));
    }
    let compared = compare_pages(&sites.iter().collect::<Vec<_>>())?;
    total.files += compared.len();
    total.pages += compared.len();
    for (path, html) in compared {
        sink.put(&path, Cow::Owned(html.into_bytes()));
    }
    total.warnings = once(total.warnings);
    Ok((total, states))
}

/// [`render_into`] kept in memory, for `serve`.
pub(crate) fn render_with_state(sites: &[Site]) -> Result<(Rendered, Vec<State>), Diagnostics> {
    let memory = Memory::default();
    let (streamed, states) = render_into(sites, &memory, true)?;
    Ok((memory.into_rendered(streamed), states))
}

/// The name of a language in itself, for the switcher.
pub(crate) fn autonym(code: &str) -> String {
    let base = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
    match base.as_str() {
        "en" => "English".into(),
        "uk" => "Українська".into(),
        "ru" => "Русский".into(),
        "ko" => "한국어".into(),
        "tr" => "Türkçe".into(),
        "fr" => "Français".into(),
        "de" => "Deutsch".into(),
        "es" => "Español".into(),
        "pl" => "Polski".into(),
        _ => code.to_string(),
    }
}

/// One edition in the language switcher.
#[derive(Debug, Serialize)]
pub(crate) struct EditionLink {
    pub(crate) code: String,
    /// The language's name in itself (`Українська`).
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) current: bool,
    /// The page is translated in that edition (else it shows the original there).
    pub(crate) translated: bool,
}

/// A `<link rel="alternate" hreflang>` of a page.
#[derive(Debug, Serialize)]
pub(crate) struct Alternate {
    pub(crate) hreflang: String,
    pub(crate) href: String,
}

/// The original of a page, from an edition that shows it untranslated or whose translation is
/// older than it.
#[derive(Debug, Serialize)]
pub(crate) struct Original {
    pub(crate) lang: String,
    /// The name of its language in the edition's language, as the notices need it (the
    /// `whose` case: "англійською мовою"; "English" in English).
    pub(crate) language: String,
    pub(crate) url: String,
}

/// What a page shows of the site's editions (`edition` in every template's context).
#[derive(Debug, Default, Serialize)]
pub(crate) struct EditionView {
    /// Every edition, for the switcher (empty on a site of one language).
    pub(crate) editions: Vec<EditionLink>,
    /// The editions this page is translated in, and `x-default` (empty on a fallback page).
    pub(crate) alternates: Vec<Alternate>,
    /// Set on a page this edition builds from the original ("not yet translated").
    pub(crate) fallback: Option<Original>,
    /// Set when the original changed since this translation was stamped.
    pub(crate) outdated: Option<Original>,
    /// How the translation was made, in the edition's language: "Translated from English by
    /// machine (AI)."
    pub(crate) provenance: Option<String>,
    /// On a talk page: its parallel views (`en-uk`…).
    pub(crate) compare: Vec<EditionLink>,
    /// The canonical URL when it is not the page's own (a fallback page: the original's).
    #[serde(skip)]
    pub(crate) canonical: Option<Option<String>>,
}

/// What the page at site path `path` of `site` shows of the editions.
pub(crate) fn view(site: &Site, path: &str) -> EditionView {
    let c = &site.config;
    if !c.is_multilingual() {
        return EditionView::default();
    }
    let ed = &site.edition;
    let here = c.edition;
    let translated_here = ed.is_translated(here, path);
    let url_in = |i: usize| {
        c.edition_absolute_url(i, path)
            .unwrap_or_else(|| c.edition_url(i, path))
    };
    let editions = c
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| EditionLink {
            code: l.code.clone(),
            name: autonym(&l.code),
            url: c.edition_url(i, path),
            current: i == here,
            translated: ed.is_translated(i, path),
        })
        .collect();
    let mut view = EditionView {
        editions,
        ..EditionView::default()
    };
    let default = &c.languages[0].code;
    let original = || Original {
        lang: default.clone(),
        language: super::locale(site).language_name_in(default, "whose"),
        url: c.edition_url(0, path),
    };
    if translated_here {
        view.alternates = c
            .languages
            .iter()
            .enumerate()
            .filter(|&(i, _)| ed.is_translated(i, path))
            .map(|(i, l)| Alternate {
                hreflang: l.code.clone(),
                href: url_in(i),
            })
            .collect();
        if view.alternates.len() > 1 {
            view.alternates.push(Alternate {
                hreflang: "x-default".into(),
                href: url_in(0),
            });
        } else {
            view.alternates.clear();
        }
    } else {
        view.fallback = Some(original());
        view.canonical = Some(c.edition_absolute_url(0, path));
    }
    let rel = ed.sources.get(path);
    if let Some(made) = rel.and_then(|r| ed.made.get(r)) {
        if made.stale {
            view.outdated = Some(original());
        }
        if let (Some(from), Some(by)) = (&made.from, made.by) {
            let by = match by {
                Translator::Machine => "machine",
                Translator::Human => "human",
                Translator::MachineReviewed => "reviewed",
            };
            let loc = super::locale(site);
            view.provenance = Some(loc.t_args(
                "edition-provenance",
                &[
                    (
                        "from",
                        FluentValue::from(loc.language_name_in(from, "from")),
                    ),
                    ("by", FluentValue::from(by)),
                ],
            ));
        }
    }
    let is_talk = rel.is_some_and(|r| crate::load::records::record_kind(r) == Some(Kind::Talk));
    if is_talk {
        let pairs: Vec<usize> = if here == 0 {
            (1..c.languages.len()).collect()
        } else {
            vec![here]
        };
        view.compare = pairs
            .into_iter()
            .map(|i| {
                let code = &c.languages[i].code;
                EditionLink {
                    code: format!("{default}-{code}"),
                    name: format!("{} – {}", autonym(default), autonym(code)),
                    url: c.edition_url(0, &format!("{path}compare/{default}-{code}/")),
                    current: false,
                    translated: ed.is_translated(i, path),
                }
            })
            .collect();
    }
    view
}

/// One row of the parallel view: a label and the text of each edition (HTML).
#[derive(Debug, Serialize)]
struct Row {
    label: String,
    a: String,
    b: String,
}

/// One column's edition.
#[derive(Debug, Serialize)]
struct Column {
    lang: String,
    /// The name of its language in the page's language ("English", "англійська").
    name: String,
    /// That name in the `whose` case ("англійською мовою"; "English" in English).
    whose: String,
    title: String,
    url: String,
    translated: bool,
}

/// Every parallel view the default edition plans, as (output path, HTML).
pub(crate) fn compare_pages(sites: &[&Site]) -> Result<Vec<(String, String)>, Diagnostics> {
    let Some(first) = sites.first().copied() else {
        return Ok(Vec::new());
    };
    let jobs: Vec<(String, usize, usize)> = first
        .outputs
        .iter()
        .filter_map(|o| match o.job {
            Job::Compare(i, e) => Some((o.path.clone(), i, e)),
            _ => None,
        })
        .collect();
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let (tpl, _) = super::templates_for(first)?;
    let mut out = Vec::with_capacity(jobs.len());
    let mut diags = Diagnostics::new();
    for (path, i, e) in jobs {
        let Some(other) = sites.get(e).copied() else {
            continue;
        };
        match compare_page(first, other, i, &tpl) {
            Ok(html) => out.push((path, html)),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

/// Inline or block Markdown of `site` as HTML, without citation marks (they number the
/// talk page's sources, which this page does not list).
fn md(site: &Site, text: &str, dir: &str, inline: bool) -> String {
    let resolver = super::resolver_for(site, &site.briefing.source_index);
    let mut problems = Vec::new();
    let m = markdown::render(
        text,
        dir,
        &resolver,
        &mut Citer::default(),
        &mut problems,
        inline,
    );
    markdown::strip_cites(&m.html)
}

/// The top-level blocks of rendered HTML (`<p>…</p>`, `<h2>…</h2>`, `<ul>…</ul>`), so that two
/// bodies are set side by side paragraph by paragraph.
fn blocks(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let end = html[i..].find('>').map_or(bytes.len(), |e| i + e + 1);
            let tag = &html[i..end];
            let void = tag.ends_with("/>")
                || [
                    "<br", "<hr", "<img", "<input", "<meta", "<link", "<wbr", "<!--",
                ]
                .iter()
                .any(|v| tag.starts_with(v));
            if tag.starts_with("</") {
                depth -= 1;
                if depth == 0 {
                    out.push(html[start..end].trim().to_string());
                    start = end;
                }
            } else if !void {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            } else if depth == 0 {
                out.push(tag.to_string());
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

/// The parallel view of talk `i` in the default edition `a` and edition `b`.
fn compare_page(
    a: &Site,
    b: &Site,
    i: usize,
    tpl: &super::Templates,
) -> Result<String, Diagnostic> {
    let (pa, pb) = (&a.pages[i], &b.pages[i]);
    let (Front::Talk(ta), Front::Talk(tb)) = (&pa.source.front, &pb.source.front) else {
        return Err(Diagnostic::new(
            crate::diagnostics::Code::Internal,
            "internal: a parallel view of a page that is not a talk",
        ));
    };
    let dir = pa.source.dir();
    let text = |s: &Site, t: &str| md(s, t, dir, true);
    let opt = |s: &Site, t: &Option<String>| t.as_deref().map(|t| text(s, t)).unwrap_or_default();
    // In a column of a translated talk, the text its edition shows untranslated carries the
    // original's `lang` (the column of an untranslated talk is in the original's as a whole).
    let marks = |s: &Site| s.original_lang().is_some() && pb.source.given.is_some();
    let mark = |s: &Site, key: &str, html: String| {
        if marks(s) {
            super::views::in_lang(s.text_lang(&pb.source, key), html)
        } else {
            html
        }
    };
    let name_of = |s: &Site, kind: Kind, id: &str| match s.briefing.get(kind, id) {
        Some(j) => {
            let src = &s.pages[j].source;
            let name = escape(&markdown::smart(src.front.common().title));
            match marks(s) {
                true => super::views::in_lang(s.title_lang(src), name),
                false => name,
            }
        }
        None => escape(id),
    };
    let loc = super::locale(a);
    let mut rows = vec![
        Row {
            label: loc.t("compare-title"),
            a: text(a, &ta.title),
            b: mark(b, "title", text(b, &tb.title)),
        },
        Row {
            label: loc.t("compare-summary"),
            a: opt(a, &ta.summary),
            b: mark(b, "summary", opt(b, &tb.summary)),
        },
    ];
    let venue = |s: &Site, t: &crate::load::records::TalkFront| {
        let v = &t.venue;
        let parts: Vec<String> = [
            Some((v.name.as_str(), "venue.name")),
            v.city.as_deref().map(|c| (c, "venue.city")),
            v.country.as_deref().map(|c| (c, "venue.country")),
        ]
        .into_iter()
        .flatten()
        .map(|(part, key)| mark(s, key, text(s, part)))
        .collect();
        parts.join(", ")
    };
    rows.push(Row {
        label: loc.t("fact-venue"),
        a: venue(a, ta),
        b: venue(b, tb),
    });
    if ta.format.is_some() {
        rows.push(Row {
            label: loc.t("fact-format"),
            a: opt(a, &ta.format),
            b: mark(b, "format", opt(b, &tb.format)),
        });
    }
    for (i, (x, y)) in ta.delegations.iter().zip(&tb.delegations).enumerate() {
        let line = |s: &Site, d: &crate::load::records::Delegation| {
            let mut h = name_of(s, Kind::Party, &d.party);
            if let Some(n) = &d.note {
                h.push_str(" — ");
                h.push_str(&mark(s, &format!("delegations.{i}.note"), text(s, n)));
            }
            h
        };
        rows.push(Row {
            label: loc.t("capacity-delegation"),
            a: line(a, x),
            b: line(b, y),
        });
    }
    for (i, (x, y)) in ta.agenda.iter().zip(&tb.agenda).enumerate() {
        let line = |s: &Site, g: &crate::load::records::AgendaItem| {
            let mut h = name_of(s, Kind::Topic, &g.topic);
            if let Some(n) = &g.note {
                h.push_str(" — ");
                h.push_str(&mark(s, &format!("agenda.{i}.note"), text(s, n)));
            }
            h
        };
        rows.push(Row {
            label: loc.t("compare-agenda"),
            a: line(a, x),
            b: line(b, y),
        });
    }
    for (i, (x, y)) in ta.outcomes.iter().zip(&tb.outcomes).enumerate() {
        rows.push(Row {
            label: super::views::label(loc, "outcome", &x.kind),
            a: text(a, &x.text),
            b: mark(b, &format!("outcomes.{i}.text"), text(b, &y.text)),
        });
    }
    for (i, (x, y)) in ta.updates.iter().zip(&tb.updates).enumerate() {
        rows.push(Row {
            label: loc.t("update"),
            a: text(a, &x.text),
            b: mark(b, &format!("updates.{i}.text"), text(b, &y.text)),
        });
    }
    rows.retain(|r| !(r.a.is_empty() && r.b.is_empty()));
    // Each column's ids (headings, footnotes) and the links to them are its own: the two
    // bodies may be the same text.
    let scoped = |html: String, column: &str| {
        html.replace(" id=\"", &format!(" id=\"{column}-"))
            .replace("href=\"#", &format!("href=\"#{column}-"))
    };
    let (wa, wb) = (pa.source.whole()?, pb.source.whole()?);
    let (ba, bb) = (
        blocks(&scoped(md(a, pa.source.body_of(&wa), dir, false), "a")),
        blocks(&scoped(md(b, pb.source.body_of(&wb), dir, false), "b")),
    );
    let narrative: Vec<Row> = (0..ba.len().max(bb.len()))
        .map(|k| Row {
            label: String::new(),
            a: ba.get(k).cloned().unwrap_or_default(),
            b: bb.get(k).cloned().unwrap_or_default(),
        })
        .collect();
    // A column of an edition that has not translated the talk shows the original, in its
    // language.
    let column = |s: &Site, t: &crate::load::records::TalkFront| {
        let translated = s.edition.is_translated(s.config.edition, &pa.path);
        Column {
            lang: if translated {
                s.config.language.clone()
            } else {
                a.config.language.clone()
            },
            name: loc.language_name(&s.config.language),
            whose: loc.language_name_in(&s.config.language, "whose"),
            title: t.title.clone(),
            url: s.config.url(&pa.path),
            translated,
        }
    };
    let path = format!(
        "{}compare/{}-{}/",
        pa.path, a.config.language, b.config.language
    );
    let mut ctx = tera::Context::new();
    ctx.insert("current_path", &path);
    ctx.insert("current_url", &a.config.url(&path));
    ctx.insert("canonical", &a.config.absolute_url(&path));
    ctx.insert("lang", &a.config.language);
    ctx.insert(
        "title",
        &format!(
            "{} ({} – {})",
            ta.title, a.config.language, b.config.language
        ),
    );
    ctx.insert("meta", &super::meta::generic(a, &path, &ta.title));
    ctx.insert("edition", &EditionView::default());
    ctx.insert("a", &column(a, ta));
    ctx.insert("b", &column(b, tb));
    ctx.insert("rows", &rows);
    ctx.insert("narrative", &narrative);
    ctx.insert("talk_url", &a.config.url(&pa.path));
    tpl.tera
        .render("compare.html", &ctx)
        .map_err(|e| tpl.diagnostic(&e, Some("compare.html")))
}

fn escape(s: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_split_into_top_level_blocks() {
        let html = "<h2 id=\"a\">A</h2>\n<p>One <em>two</em><br>three</p>\n<ul>\n<li><p>x</p></li>\n</ul>\n<hr />\n";
        assert_eq!(
            blocks(html),
            [
                "<h2 id=\"a\">A</h2>",
                "<p>One <em>two</em><br>three</p>",
                "<ul>\n<li><p>x</p></li>\n</ul>",
                "<hr />"
            ]
        );
    }
}
