//! `<head>` metadata: description, Open Graph and Twitter card values, and JSON-LD
//! (`NewsArticle` for pages; for a round of talks, one `about` its `Event`).

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Value, json};

use crate::load::records::{Front, TalkStatus, UpdateKind};
use crate::model::{Page, Site};
use crate::render::publish::{instant, talk_start};
use crate::render::trust;

fn rfc3339(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// JSON for a `<script type="application/ld+json">`: `</` is escaped so it cannot end the script.
fn script_json(v: &Value) -> String {
    script_text(&serde_json::to_string(v).unwrap_or_default())
}

fn script_text(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\!--")
}

/// Metadata for a page that is not a content page (listings, generated pages).
pub(crate) fn generic<'a>(site: &'a Site, path: &str, title: &'a str) -> Meta<'a> {
    Meta {
        title,
        description: Cow::Borrowed(&site.config.description),
        og_type: "website",
        url: site.config.absolute_url(path),
        jsonld: None,
    }
}

/// `meta`: the `<head>` values of a page.
#[derive(Serialize)]
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Cow<'a, str>,
    /// `article` for a content page, `website` for the others.
    pub(crate) og_type: &'static str,
    /// The absolute URL, when the site has a base URL.
    pub(crate) url: Option<String>,
    /// A content page's JSON-LD, ready for its `<script>` (null on other pages).
    pub(crate) jsonld: Option<String>,
}

/// Metadata for a content page; `summary` is its plain-text summary.
///
/// Every content page is a `NewsArticle` with its byline (`author`: each a `Person` or
/// `Organization`), `datePublished` and `dateModified` (the page's "last updated",
/// [`trust::stamps`]) and its corrections; a round of talks is also the `Event` the article is
/// `about`, its times and status following the content.
pub(crate) fn for_page<'a>(site: &'a Site, p: &'a Page, summary: Option<String>) -> Meta<'a> {
    let c = p.source.front.common();
    let description = summary
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| site.config.description.clone());
    let absolute = site.config.absolute_url(&p.path);
    let url = absolute.clone().unwrap_or_else(|| site.config.url(&p.path));
    let publisher = json!({
        "@type": "Organization",
        "name": site.config.author.as_deref().unwrap_or(&site.config.title),
    });
    let by = trust::authors(site, &p.source.front);
    let author: Value = if by.is_empty() {
        Value::Array(vec![publisher.clone()])
    } else {
        Value::Array(by.iter().map(trust::Author::jsonld).collect())
    };
    let zone = match &p.source.front {
        Front::Talk(t) => Some(t.venue.timezone.0.as_str()),
        _ => None,
    };
    let mut corrections = Vec::new();
    let about = match &p.source.front {
        Front::Talk(t) => {
            let status = match t.status {
                TalkStatus::Postponed => "EventPostponed",
                TalkStatus::Cancelled => "EventCancelled",
                _ if !t.rescheduled.is_empty() => "EventRescheduled",
                _ => "EventScheduled",
            };
            let mut address = serde_json::Map::new();
            address.insert("@type".into(), "PostalAddress".into());
            if let Some(city) = &t.venue.city {
                address.insert("addressLocality".into(), city.clone().into());
            }
            if let Some(country) = &t.venue.country {
                address.insert("addressCountry".into(), country.clone().into());
            }
            for u in t
                .updates
                .iter()
                .filter(|u| u.kind == UpdateKind::Correction)
            {
                corrections.push(json!({
                    "@type": "CorrectionComment",
                    "text": trust::without_cites(&u.text),
                    "datePublished": rfc3339(instant(&u.at, zone)),
                }));
            }
            let end = trust::talk_end(t);
            json!({
                "@type": "Event",
                "name": t.title,
                "url": url,
                "startDate": talk_start(t).map(rfc3339),
                "endDate": end.map(rfc3339),
                "duration": t.duration.as_ref().filter(|_| t.actual_end.is_none()).map(|d| d.value.iso()),
                "eventStatus": format!("https://schema.org/{status}"),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "previousStartDate": t.rescheduled.iter().map(|r| rfc3339(instant(&r.from, zone))).collect::<Vec<_>>(),
                "location": {"@type": "Place", "name": t.venue.name, "address": Value::Object(address)},
            })
        }
        _ => Value::Null,
    };
    let ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": c.title,
        "description": description,
        "url": url,
        "datePublished": trust::published(&p.source.front).map(rfc3339),
        "dateModified": trust::last_modified(&p.source.front).map(rfc3339),
        "author": author,
        "publisher": publisher,
        "inLanguage": site.config.language,
        "correction": corrections,
        "about": prune(about),
    });
    Meta {
        title: c.title,
        description: Cow::Owned(description),
        og_type: "article",
        url: absolute,
        jsonld: Some(script_json(&prune(ld))),
    }
}

/// Keys with nothing to say are left out (null, or an empty list).
fn prune(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(&json!({"a": "</script><!--"}));
        assert!(!s.contains("</"));
        assert!(!s.contains("<!--"));
    }
}
