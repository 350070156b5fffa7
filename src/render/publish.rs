//! Files for hosting and syndication: `sitemap.xml`, `robots.txt`, `atom.xml` and
//! `calendar.ics`.
//!
//! The sitemap and feed need absolute URLs, so they are made only when the site has a base URL.
//! Every date comes from content, never from the build machine's clock.

use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use quick_xml::escape::escape;

use crate::load::records::{Front, TalkFront, TalkStatus, UpdateKind};
use crate::model::Site;
use crate::parse::dates::DateValue;

/// The instant a content date stands for: its own instant, else its start read in `zone`
/// (the venue's zone for talks, UTC otherwise).
pub(crate) fn instant(v: &DateValue, zone: Option<&str>) -> Timestamp {
    if let Some(ts) = v.instant() {
        return ts;
    }
    let tz = zone.and_then(crate::parse::zone).unwrap_or(TimeZone::UTC);
    v.start()
        .to_zoned_datetime(tz)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The zone a page's local times are read in.
fn page_zone(front: &Front) -> Option<&str> {
    match front {
        Front::Talk(t) => Some(t.venue.timezone.0.as_str()),
        _ => None,
    }
}

/// When a page was last updated ([`crate::render::trust::last_modified`]): `updated`, else a
/// talk's latest update-log entry, else its published date.
pub(crate) fn page_lastmod(front: &Front) -> Option<Timestamp> {
    crate::render::trust::last_modified(front)
}

/// `sitemap.xml` for the given HTML outputs (site paths), or `None` without a base URL.
pub(crate) fn sitemap(site: &Site, html_paths: &[String]) -> Option<String> {
    let _ = site.config.base_url.as_ref()?;
    let by_path: std::collections::HashMap<&str, &Front> = site
        .pages
        .iter()
        .map(|p| (p.path.as_str(), &p.source.front))
        .collect();
    let site_lastmod = site
        .pages
        .iter()
        .filter_map(|p| page_lastmod(&p.source.front))
        .max();
    let c = &site.config;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if c.is_multilingual() {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for path in html_paths {
        let lastmod = match by_path.get(path.as_str()) {
            Some(front) => page_lastmod(front),
            None => site_lastmod,
        };
        // Every edition this page is translated in (fallback pages are left out), each listing
        // the others as alternates.
        let editions: Vec<usize> = (0..c.languages.len())
            .filter(|&i| site.edition.is_translated(i, path))
            .collect();
        for &i in &editions {
            let loc = c.edition_absolute_url(i, path)?;
            out.push_str("  <url>\n    <loc>");
            out.push_str(&escape(loc.as_str()));
            out.push_str("</loc>\n");
            if let Some(ts) = lastmod {
                out.push_str(&format!("    <lastmod>{}</lastmod>\n", rfc3339(ts)));
            }
            if editions.len() > 1 {
                for &j in &editions {
                    let href = c.edition_absolute_url(j, path)?;
                    out.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        escape(&c.languages[j].code),
                        escape(&href)
                    ));
                }
            }
            out.push_str("  </url>\n");
        }
    }
    out.push_str("</urlset>\n");
    Some(out)
}

/// `robots.txt`: allow everything, and point at the sitemap when there is one.
pub(crate) fn robots(site: &Site) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(u) = site.config.absolute_url("sitemap.xml") {
        s.push_str(&format!("\nSitemap: {u}\n"));
    }
    s
}

/// One feed entry before formatting.
struct Entry {
    id: String,
    title: String,
    link: String,
    published: Timestamp,
    updated: Timestamp,
    correction: bool,
    /// The page's byline (the feed's own `<author>` stands for an empty one).
    authors: Vec<crate::render::trust::Author>,
    html: String,
}

/// The anchors of a talk's update-log entries, in the log's own order: `update-` and the
/// instant, numbered -2, -3… when entries share one (an update and its correction).
pub(crate) fn update_anchors(t: &crate::load::records::TalkFront) -> Vec<String> {
    let zone = Some(t.venue.timezone.0.as_str());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    t.updates
        .iter()
        .map(|u| {
            let base = format!("update-{}", instant(&u.at, zone).strftime("%Y%m%dT%H%M%SZ"));
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            match *n {
                1 => base,
                n => format!("{base}-{n}"),
            }
        })
        .collect()
}

/// The feed's entries of each page, as last made (see [`atom_kept`]).
#[derive(Debug, Default)]
pub(crate) struct FeedKept {
    /// Aligned with `Site::pages`: each entry's sort key (updated, id) and XML.
    pages: Vec<Vec<(Timestamp, String, String)>>,
    /// Every entry as (page, entry of the page), in the feed's order; kept while no entry
    /// made again came, went or changed its key.
    order: Vec<(u32, u32)>,
}

/// `atom.xml`: each update-log entry and each dated page. `update_html` renders an update's
/// inline Markdown; `summary_html` gives a page's summary HTML. Each page's entries are kept in
/// `kept`: with `redo` given (the pages whose entries
/// may have changed) and entries kept for a site of as many pages, only those pages' entries
/// are made again; otherwise all are. The feed is the same either way. `None` without a base
/// URL; an empty text when only `redo`'s entries were made again and none of them changed
/// (the feed is as it was).
pub(crate) fn atom_kept(
    site: &Site,
    loc: &Locale,
    kept: &mut Option<FeedKept>,
    redo: Option<&[usize]>,
    update_html: &dyn Fn(usize, usize) -> String,
    summary_html: &dyn Fn(usize) -> Option<String>,
) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    let xml = |i: usize| -> Option<Vec<(Timestamp, String, String)>> {
        Some(
            page_entries(site, loc, i, update_html, summary_html)?
                .into_iter()
                .map(|e| (e.updated, e.id.clone(), entry_xml(&e)))
                .collect(),
        )
    };
    // Whether the entries' order must be made again: entries came or went, or a sort key
    // (updated, id) changed.
    let mut reorder = true;
    let same_keys = |a: &[(Timestamp, String, String)], b: &[(Timestamp, String, String)]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0 && x.1 == y.1)
    };
    match (kept.as_mut(), redo) {
        (Some(k), Some(redo)) if k.pages.len() == site.pages.len() => {
            let mut any = false;
            reorder = false;
            for &i in redo {
                match xml(i) {
                    Some(e) if e == k.pages[i] => {}
                    Some(e) => {
                        reorder |= !same_keys(&e, &k.pages[i]);
                        k.pages[i] = e;
                        any = true;
                    }
                    None => {
                        *kept = None;
                        return None;
                    }
                }
            }
            if !any {
                return Some(String::new());
            }
        }
        _ => {
            *kept = None;
            let pages = (0..site.pages.len()).map(xml).collect::<Option<Vec<_>>>()?;
            *kept = Some(FeedKept {
                pages,
                order: Vec::new(),
            });
        }
    }
    let kept = kept.as_mut()?;
    if reorder {
        let pages = &kept.pages;
        let mut order: Vec<(u32, u32)> = pages
            .iter()
            .enumerate()
            .flat_map(|(i, e)| (0..e.len()).map(move |k| (i as u32, k as u32)))
            .collect();
        let at = |&(i, k): &(u32, u32)| &pages[i as usize][k as usize];
        order.sort_by(|a, b| {
            let (a, b) = (at(a), at(b));
            b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
        });
        kept.order = order;
    }
    let entries: Vec<&(Timestamp, String, String)> = kept
        .order
        .iter()
        .map(|&(i, k)| &kept.pages[i as usize][k as usize])
        .collect();
    // The order is newest first.
    let feed_updated = entries.first().map_or(Timestamp::UNIX_EPOCH, |e| e.0);
    let c = &site.config;
    let mut out = String::with_capacity(entries.iter().map(|e| e.2.len()).sum::<usize>() + 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(c.language.as_str())
    ));
    out.push_str(&format!("  <title>{}</title>\n", escape(c.title.as_str())));
    if !c.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(c.description.as_str())
        ));
    }
    out.push_str(&format!("  <id>{}</id>\n", escape(base.as_str())));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>\n",
        escape(base.as_str())
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(base.as_str())
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", rfc3339(feed_updated)));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(c.author.as_deref().unwrap_or(c.title.as_str()))
    ));
    out.push_str("  <generator>briefing</generator>\n");
    for e in entries {
        out.push_str(&e.2);
    }
    out.push_str("</feed>\n");
    Some(out)
}

/// The feed entries of page `i`: the page's own, if dated, and its update log's.
fn page_entries(
    site: &Site,
    loc: &Locale,
    i: usize,
    update_html: &dyn Fn(usize, usize) -> String,
    summary_html: &dyn Fn(usize) -> Option<String>,
) -> Option<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    let p = &site.pages[i];
    let c = p.source.front.common();
    let zone = page_zone(&p.source.front);
    let url = site.config.absolute_url(&p.path)?;
    let authors = crate::render::trust::authors(site, &p.source.front);
    if let Some(date) = c.date {
        let published =
            crate::render::trust::published(&p.source.front).unwrap_or_else(|| instant(date, zone));
        let updated = page_lastmod(&p.source.front)
            .unwrap_or(published)
            .max(published);
        entries.push(Entry {
            id: url.clone(),
            title: c.title.to_string(),
            link: url.clone(),
            published,
            updated,
            correction: false,
            authors: authors.clone(),
            html: c
                .summary
                .map(|s| {
                    let mut h = String::new();
                    let _ = pulldown_cmark_escape::escape_html(&mut h, s);
                    h
                })
                .or_else(|| summary_html(i))
                .unwrap_or_default(),
        });
    }
    if let Front::Talk(t) = &p.source.front {
        let anchors = update_anchors(t);
        for ((j, u), anchor) in t.updates.iter().enumerate().zip(anchors) {
            let at = instant(&u.at, zone);
            let correction = u.kind == UpdateKind::Correction;
            // An approximate time says so: "Update, about 13:30 Istanbul time: …".
            let when = if u.approximate {
                let tv = crate::render::time::at_venue(
                    loc,
                    &u.at,
                    &t.venue.timezone.0,
                    t.venue.city.as_deref(),
                    &[],
                    true,
                );
                let about = loc.t("when-about");
                match (tv.time, tv.zone) {
                    (Some(hm), Some(z)) => {
                        use crate::i18n::FluentValue;
                        let at = loc.t_args(
                            "stamp-zone",
                            &[
                                ("time", FluentValue::from(hm)),
                                ("zone", FluentValue::from(z)),
                            ],
                        );
                        format!(", {about} {at}")
                    }
                    (Some(hm), None) => format!(", {about} {hm}"),
                    _ => format!(", {about} {}", tv.date),
                }
            } else {
                String::new()
            };
            entries.push(Entry {
                id: format!("{url}#{anchor}"),
                title: format!(
                    "{}{when}: {}",
                    loc.t(if correction { "correction" } else { "update" }),
                    t.title
                ),
                link: format!("{url}#{anchor}"),
                published: at,
                updated: at,
                correction,
                authors: authors.clone(),
                html: update_html(i, j),
            });
        }
    }
    Some(entries)
}

/// One `<entry>` of the feed.
fn entry_xml(e: &Entry) -> String {
    let mut out = String::new();
    out.push_str("  <entry>\n");
    out.push_str(&format!(
        "    <title>{}</title>\n",
        escape(e.title.as_str())
    ));
    out.push_str(&format!("    <id>{}</id>\n", escape(e.id.as_str())));
    out.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(e.link.as_str())
    ));
    out.push_str(&format!(
        "    <published>{}</published>\n",
        rfc3339(e.published)
    ));
    out.push_str(&format!("    <updated>{}</updated>\n", rfc3339(e.updated)));
    for a in &e.authors {
        out.push_str(&format!(
            "    <author><name>{}</name>",
            escape(a.name.as_str())
        ));
        if let Some(u) = &a.url {
            out.push_str(&format!("<uri>{}</uri>", escape(u.as_str())));
        }
        out.push_str("</author>\n");
    }
    if e.correction {
        out.push_str("    <category term=\"correction\" label=\"Correction\"/>\n");
    }
    if !e.html.is_empty() {
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(e.html.as_str())
        ));
    }
    out.push_str("  </entry>\n");
    out
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

fn ics_time(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The instant a talk starts: actual start, else scheduled start, else its date.
pub(crate) fn talk_start(t: &TalkFront) -> Option<Timestamp> {
    let zone = Some(t.venue.timezone.0.as_str());
    t.actual_start
        .as_ref()
        .map(|a| &a.at)
        .or(t.scheduled_start.as_ref())
        .or(t.date.as_ref())
        .map(|v| instant(v, zone))
}

/// The instant a talk's calendar event starts: the scheduled start, else the actual start,
/// else its date. (The actual start goes in the description, so a late start does not move
/// the event readers put in their calendars.)
pub(crate) fn calendar_start(t: &TalkFront) -> Option<Timestamp> {
    let zone = Some(t.venue.timezone.0.as_str());
    t.scheduled_start
        .as_ref()
        .or(t.actual_start.as_ref().map(|a| &a.at))
        .or(t.date.as_ref())
        .map(|v| instant(v, zone))
}

/// What a calendar event says besides its summary: the actual start and end, at the venue
/// (labelled with its city) and in UTC, each marked when it is approximate.
fn calendar_times(loc: &Locale, t: &TalkFront) -> Vec<String> {
    let zone = t.venue.timezone.0.as_str();
    let label = crate::render::time::venue_label(loc, t.venue.city.as_deref());
    let say = |what: &str, v: &crate::load::records::MaybeApprox| {
        let tv =
            crate::render::time::at_venue(loc, &v.at, zone, t.venue.city.as_deref(), &[], false);
        let utc = instant(&v.at, Some(zone)).strftime("%H:%M UTC");
        let about = if v.approximate {
            format!("{} ", loc.t("when-about"))
        } else {
            String::new()
        };
        let note = if v.approximate {
            format!(" {}", loc.t("calendar-approximate"))
        } else {
            String::new()
        };
        match tv.time {
            Some(hm) => format!("{what} {about}{hm} {label}, {} ({utc}){note}.", tv.date),
            None => format!("{what} {about}{}{note}.", tv.date),
        }
    };
    let mut out = Vec::new();
    if let Some(a) = &t.actual_start {
        out.push(say(&loc.t("calendar-began"), a));
    }
    if let Some(e) = &t.actual_end {
        out.push(say(&loc.t("calendar-ended"), e));
    }
    if let Some(d) = &t.duration {
        use crate::i18n::FluentValue;
        use crate::render::trust::{about, duration_text};
        if d.accounts.is_empty() {
            let length = about(loc, d.approximate, duration_text(loc, d.value));
            out.push(loc.t_args("calendar-lasted", &[("length", FluentValue::from(length))]));
        } else {
            let accounts: Vec<String> = d
                .accounts
                .iter()
                .map(|a| about(loc, a.approximate, duration_text(loc, a.value)))
                .collect();
            let accounts = accounts.join(&loc.t("list-or"));
            out.push(loc.t_args(
                "calendar-length-disputed",
                &[("accounts", FluentValue::from(accounts))],
            ));
        }
    }
    out
}

/// The VEVENT lines of one dated watch item, or none when its date is coarser than a day.
fn watch_event(
    loc: &Locale,
    w: &crate::load::trust::WatchItem,
    uid: String,
    zone: Option<&str>,
    url: Option<String>,
) -> Vec<String> {
    let Some(date) = &w.date else {
        return Vec::new();
    };
    let start = match date {
        DateValue::Day(d) => format!("DTSTART;VALUE=DATE:{}", d.strftime("%Y%m%d")),
        DateValue::Year(_) | DateValue::Month(..) => return Vec::new(),
        other => format!("DTSTART:{}", ics_time(instant(other, zone))),
    };
    let stamp = ics_time(instant(date, zone));
    let mut v = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{stamp}"),
        start,
        format!(
            "SUMMARY:{}",
            ics_text(&loc.t_args(
                "watch-summary",
                &[(
                    "text",
                    crate::i18n::FluentValue::from(crate::render::trust::without_cites(&w.text))
                )]
            ))
        ),
        "STATUS:TENTATIVE".to_string(),
    ];
    if let Some(u) = url {
        v.push(format!("URL:{u}"));
    }
    v.push("END:VEVENT".into());
    v
}

/// `calendar.ics`: one VEVENT per round of talks, times in UTC.
///
/// `DTSTART` is the scheduled start when there is one (else the actual start, else the date);
/// the actual start and end are stated in the description, marked where approximate. `DTEND` is
/// the actual end, approximate or not; else the start (actual, else scheduled) plus `duration`
/// (a disputed one: its first account); else there is no `DTEND`. Each dated item of a "what to
/// watch" list (a talk's, the front page's) is an event of its own, all day when it has no time. The `UID` names the
/// talk, the host and the base path, so two briefings on one host never share one.
pub(crate) fn calendar(site: &Site, loc: &Locale) -> String {
    let host = site
        .config
        .base_url
        .as_deref()
        .and_then(|u| u.split("://").nth(1))
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|h| !h.is_empty())
        .unwrap_or("briefing.invalid")
        .to_string();
    let mut out = String::new();
    let mut line = |s: String| fold(&s, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//briefing//briefing calendar//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", ics_text(&site.config.title)));
    for id in &site.briefing.talk_order {
        let Some(&i) = site.briefing.talks().get(id) else {
            continue;
        };
        let p = &site.pages[i];
        let Front::Talk(t) = &p.source.front else {
            continue;
        };
        let Some(start) = calendar_start(t) else {
            continue;
        };
        let zone = Some(t.venue.timezone.0.as_str());
        let stamp = page_lastmod(&p.source.front).unwrap_or(start);
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}@{}", ics_text(id), host));
        line(format!("DTSTAMP:{}", ics_time(stamp)));
        line(format!("DTSTART:{}", ics_time(start)));
        // An end at or before the start (a round that ran shorter than it was late) would make
        // the event invalid: it is then only in the description.
        if let Some(end) = crate::render::trust::talk_end(t)
            && end > start
        {
            line(format!("DTEND:{}", ics_time(end)));
        }
        line(format!("SUMMARY:{}", ics_text(&t.title)));
        let mut place = vec![t.venue.name.clone()];
        place.extend(t.venue.city.clone());
        place.extend(t.venue.country.clone());
        line(format!("LOCATION:{}", ics_text(&place.join(", "))));
        let mut description: Vec<String> = t.summary.iter().cloned().collect();
        description.extend(calendar_times(loc, t));
        if !description.is_empty() {
            line(format!("DESCRIPTION:{}", ics_text(&description.join("\n"))));
        }
        let status = match t.status {
            TalkStatus::Scheduled | TalkStatus::UnderWay | TalkStatus::Concluded => "CONFIRMED",
            TalkStatus::Postponed => "TENTATIVE",
            TalkStatus::Cancelled => "CANCELLED",
        };
        line(format!("STATUS:{status}"));
        line(format!("SEQUENCE:{}", t.rescheduled.len()));
        if let Some(u) = site.config.absolute_url(&p.path) {
            line(format!("URL:{u}"));
        }
        line("END:VEVENT".into());
        for (n, w) in t.watch.iter().enumerate() {
            let uid = format!("watch-{}-{}@{}", ics_text(id), n + 1, host);
            for l in watch_event(loc, w, uid, zone, site.config.absolute_url(&p.path)) {
                line(l);
            }
        }
    }
    if let Some(home) = site.sections.first().and_then(|s| s.index.as_deref()) {
        let (_, watch) = crate::model::trust::editorial(&home.front);
        for (n, w) in watch.iter().enumerate() {
            let uid = format!("watch-front-{}@{}", n + 1, host);
            for l in watch_event(loc, w, uid, None, site.config.absolute_url("")) {
                line(l);
            }
        }
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_utf8_and_line_length() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "Dolmabahçe ".repeat(12)), &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.starts_with("SUMMARY:Dolmabahçe Dolmabahçe"));
    }

    #[test]
    fn text_escaping() {
        assert_eq!(ics_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn local_times_use_the_given_zone() {
        let v = DateValue::parse("2025-05-16T12:30").unwrap();
        assert_eq!(
            rfc3339(instant(&v, Some("Europe/Istanbul"))),
            "2025-05-16T09:30:00Z"
        );
        assert_eq!(rfc3339(instant(&v, None)), "2025-05-16T12:30:00Z");
    }
}
