//! `<head>` metadata: description, Open Graph and Twitter card values, and JSON-LD
//! (`NewsArticle` for pages, `Event` for rounds of talks).

use serde::Serialize;
use serde_json::{Value, json};

use crate::load::records::{Front, TalkStatus};
use crate::model::{Page, Site};
use crate::render::publish::{instant, talk_start};

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
pub(crate) fn generic(site: &Site, path: &str, title: &str) -> Value {
    json!({
        "title": title,
        "description": site.config.description,
        "og_type": "website",
        "url": site.config.absolute_url(path),
        "jsonld": Value::Null,
    })
}

/// `<head>` values of a content page.
#[derive(Serialize)]
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: String,
    pub(crate) og_type: &'static str,
    pub(crate) url: Option<String>,
    pub(crate) jsonld: String,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// schema.org `NewsArticle`, written straight to JSON (pages are many; no intermediate map).
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    author: &'a Organization<'a>,
    publisher: &'a Organization<'a>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
}

/// Metadata for a content page; `summary` is its plain-text summary.
pub(crate) fn for_page<'a>(site: &'a Site, p: &'a Page, summary: Option<String>) -> Meta<'a> {
    let c = p.source.front.common();
    let description = summary
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| site.config.description.clone());
    let absolute = site.config.absolute_url(&p.path);
    let url = absolute.clone().unwrap_or_else(|| site.config.url(&p.path));
    let org = Organization {
        kind: "Organization",
        name: site.config.author.as_deref().unwrap_or(&site.config.title),
    };
    let jsonld = match &p.source.front {
        Front::Talk(t) => {
            let zone = Some(t.venue.timezone.0.as_str());
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
            let ld = json!({
                "@context": "https://schema.org",
                "@type": "Event",
                "name": t.title,
                "description": description,
                "url": url,
                "startDate": talk_start(t).map(rfc3339),
                "endDate": t.actual_end.as_ref().map(|e| rfc3339(instant(&e.at, zone))),
                "eventStatus": format!("https://schema.org/{status}"),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "previousStartDate": t.rescheduled.iter().map(|r| rfc3339(instant(&r.from, zone))).collect::<Vec<_>>(),
                "location": {"@type": "Place", "name": t.venue.name, "address": Value::Object(address)},
                "inLanguage": site.config.language,
            });
            // Keys with nothing to say are left out.
            let ld: serde_json::Map<String, Value> = match ld {
                Value::Object(m) => m
                    .into_iter()
                    .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                    .collect(),
                _ => serde_json::Map::new(),
            };
            script_json(&Value::Object(ld))
        }
        _ => {
            let article = NewsArticle {
                context: "https://schema.org",
                kind: "NewsArticle",
                headline: c.title,
                description: &description,
                url: &url,
                date_published: c.date.map(|d| rfc3339(instant(d, None))),
                date_modified: c.updated.or(c.date).map(|d| rfc3339(instant(d, None))),
                author: &org,
                publisher: &org,
                in_language: &site.config.language,
            };
            script_text(&serde_json::to_string(&article).unwrap_or_default())
        }
    };
    Meta {
        title: c.title,
        description,
        og_type: "article",
        url: absolute,
        jsonld,
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
