//! `briefing check --external`: checks the external links of a rendered site over the network.
//!
//! Off by default (builds and tests never touch the network). Each distinct `http(s)` URL in the
//! generated HTML that is not the site's own is requested once (HEAD, then GET if the server
//! refuses HEAD), as `site.yaml`'s `external_links` says: with its user agent, skipping its hosts
//! and prefixes, accepting its status codes, trying again with backoff (and as long as a 429's
//! `Retry-After` asks), and never more than `per_host` requests to one host at once. A link that
//! fails is an error or a warning (`level`). A source's link is reported at its line in
//! `content/sources.yaml`, and its `archived_url` (checked like any link) is offered as the fix.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::config::{ExternalLinks, LinkLevel, authority};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::records::locate_value;
use crate::model::Site;
use crate::render::links::{Own, Scans, unescape};

/// Requests in flight at once, over all hosts.
const WORKERS: usize = 8;

/// The longest a `Retry-After` is waited for; a server asking for more fails the link.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// External URLs in the rendered HTML, each with the pages (output paths, in order) that link to
/// it. The site's own absolute URLs (canonical links, for one) are left out: they are checked as
/// internal links, and may not be published yet.
pub(crate) fn external_links(scans: &Scans, own: &Own<'_>) -> BTreeMap<String, Vec<String>> {
    let mut paths: Vec<&String> = scans.keys().collect();
    paths.sort();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in paths {
        for value in scans[path].links() {
            let url = unescape(value).into_owned();
            if (url.starts_with("http://") || url.starts_with("https://"))
                && own.local_part(&url).is_none()
            {
                let pages = out.entry(url).or_default();
                if pages.last() != Some(path) {
                    pages.push(path.clone());
                }
            }
        }
    }
    out
}

/// Why a link failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with this status (after `tries` requests).
    Status { code: u16, tries: u32 },
    /// A 429 or 503 asked to wait longer than [`MAX_RETRY_AFTER`].
    WaitTooLong { code: u16, seconds: u64 },
    /// No answer within the timeout.
    Timeout { tries: u32 },
    /// No connection, or a broken exchange.
    Unreachable { error: String, tries: u32 },
}

impl Failure {
    fn describe(&self) -> String {
        let tries = |n: &u32| {
            if *n > 1 {
                format!(" ({n} tries)")
            } else {
                String::new()
            }
        };
        match self {
            Failure::Status { code, tries: n } => format!("answered HTTP {code}{}", tries(n)),
            Failure::WaitTooLong { code, seconds } => format!(
                "answered HTTP {code} and asked to wait {seconds} s before trying again (the check waits at most {} s)",
                MAX_RETRY_AFTER.as_secs()
            ),
            Failure::Timeout { tries: n } => format!("did not answer in time{}", tries(n)),
            Failure::Unreachable { error, tries: n } => {
                format!("could not be reached{} ({error})", tries(n))
            }
        }
    }

    /// What to change in `site.yaml` when this is the server's doing rather than the link's.
    fn hint(&self) -> Option<&'static str> {
        match self {
            Failure::Status {
                code: 401 | 403, ..
            } => Some(
                "some sites refuse unknown bots: set `external_links.user_agent` in site.yaml, \
                 add the code to `external_links.accept`, or list the host under `external_links.skip`",
            ),
            Failure::Status { code: 429, .. } | Failure::WaitTooLong { .. } => Some(
                "the site limits how often it may be asked: lower `external_links.per_host`, \
                 or raise `retries` and `backoff`",
            ),
            Failure::Timeout { .. } => Some(
                "raise `external_links.timeout` in site.yaml, or list the host under `external_links.skip`",
            ),
            _ => None,
        }
    }
}

/// One request's outcome: the link works, or why not and whether (and when) to ask again.
enum Attempt {
    Works,
    Failed {
        failure: Failure,
        retry: bool,
        /// What the server asked for (`Retry-After`), if anything.
        wait: Option<Duration>,
    },
}

fn status_of(
    r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(u16, Option<Duration>), ureq::Error> {
    r.map(|resp| {
        let wait = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after);
        (resp.status().as_u16(), wait)
    })
}

/// A `Retry-After` value: seconds, or an HTTP date.
pub(crate) fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let secs = at.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(secs.max(0) as u64))
}

fn attempt(agent: &ureq::Agent, url: &str, settings: &ExternalLinks, tries: u32) -> Attempt {
    let mut result = status_of(agent.head(url).call());
    // Some servers refuse HEAD; ask again with GET before calling the link broken (but not
    // after a timeout or a failed connection, which GET would only repeat).
    let again = match &result {
        Ok((code, _)) => matches!(code, 403 | 405 | 501),
        Err(ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed) => false,
        Err(_) => true,
    };
    if again {
        result = status_of(agent.get(url).call());
    }
    match result {
        Ok((code, _)) if code < 400 || settings.accept.contains(&code) => Attempt::Works,
        Ok((code, wait)) => Attempt::Failed {
            failure: Failure::Status { code, tries },
            retry: matches!(code, 408 | 429 | 500 | 502 | 503 | 504),
            wait: wait.filter(|_| matches!(code, 429 | 503)),
        },
        Err(ureq::Error::Timeout(_)) => Attempt::Failed {
            failure: Failure::Timeout { tries },
            retry: true,
            wait: None,
        },
        Err(e) => Attempt::Failed {
            failure: Failure::Unreachable {
                error: e.to_string(),
                tries,
            },
            retry: true,
            wait: None,
        },
    }
}

/// Request `url` until it works, fails for good, or the retries are spent.
fn probe(agent: &ureq::Agent, url: &str, settings: &ExternalLinks) -> Result<(), Failure> {
    let mut tries = 1;
    loop {
        match attempt(agent, url, settings, tries) {
            Attempt::Works => return Ok(()),
            Attempt::Failed {
                failure,
                retry,
                wait,
            } => {
                if !retry || tries > settings.retries {
                    return Err(failure);
                }
                if let (Some(w), Failure::Status { code, .. }) = (wait, &failure)
                    && w > MAX_RETRY_AFTER
                {
                    return Err(Failure::WaitTooLong {
                        code: *code,
                        seconds: w.as_secs(),
                    });
                }
                let backoff = settings.backoff.saturating_mul(1 << (tries - 1).min(16));
                std::thread::sleep(wait.unwrap_or(backoff));
                tries += 1;
            }
        }
    }
}

/// The URLs waiting to be requested, and how many requests each host has in flight.
struct Queue<'a> {
    pending: VecDeque<(&'a str, String)>,
    in_flight: HashMap<String, usize>,
}

/// Request every URL, `WORKERS` at a time and at most `per_host` at once to one host.
fn probe_all<'a>(urls: &[&'a str], settings: &ExternalLinks) -> HashMap<&'a str, Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(settings.user_agent.as_str())
        .build()
        .into();
    let queue = Mutex::new(Queue {
        pending: urls
            .iter()
            .map(|u| (*u, authority(u).unwrap_or("").to_ascii_lowercase()))
            .collect(),
        in_flight: HashMap::new(),
    });
    let freed = Condvar::new();
    let failures = Mutex::new(HashMap::new());
    // A poisoned lock means a worker panicked; the others stop taking work.
    let next = || -> Option<(&'a str, String)> {
        let mut q = queue.lock().ok()?;
        loop {
            if q.pending.is_empty() {
                return None;
            }
            let free = q.pending.iter().position(|(_, host)| {
                q.in_flight.get(host).copied().unwrap_or(0) < settings.per_host
            });
            if let Some(i) = free {
                let (url, host) = q.pending.remove(i)?;
                *q.in_flight.entry(host.clone()).or_insert(0) += 1;
                return Some((url, host));
            }
            q = freed.wait(q).ok()?;
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(urls.len()) {
            scope.spawn(|| {
                while let Some((url, host)) = next() {
                    let result = probe(&agent, url, settings);
                    crate::progress::tick();
                    if let Ok(mut q) = queue.lock()
                        && let Some(n) = q.in_flight.get_mut(&host)
                    {
                        *n -= 1;
                    }
                    freed.notify_all();
                    if let Err(f) = result
                        && let Ok(mut failures) = failures.lock()
                    {
                        failures.insert(url, f);
                    }
                }
            });
        }
    });
    failures.into_inner().unwrap_or_default()
}

/// What `check --external` found.
#[derive(Debug, Default)]
pub(crate) struct External {
    pub(crate) diagnostics: Diagnostics,
    /// Distinct URLs requested.
    pub(crate) checked: usize,
    /// Distinct URLs left alone by `skip`.
    pub(crate) skipped: usize,
}

/// One rendered edition, as `check --external` reads it: the site, and its outputs' scans and
/// paths (relative to the edition's folder).
pub(crate) type Rendered<'a> = (&'a Site, &'a Scans, &'a crate::render::links::Paths);

/// Check every external link of the rendered site, in every edition (the default first): each
/// distinct URL is requested once, however many pages of however many editions link to it.
pub(crate) fn check_external(editions: &[Rendered<'_>]) -> External {
    let Some(&(site, _, _)) = editions.first() else {
        return External::default();
    };
    let settings = &site.config.external_links;
    // URL → the pages linking to it, by output path under the root (`uk/notes/a/index.html`).
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &(edition, scans, paths) in editions {
        let own = Own::new(&edition.config, paths);
        let prefix = crate::render::editions::prefix(edition);
        for (url, pages) in external_links(scans, &own) {
            links
                .entry(url)
                .or_default()
                .extend(pages.into_iter().map(|p| format!("{prefix}{p}")));
        }
    }
    let (skipped, to_check): (Vec<&str>, Vec<&str>) = links
        .keys()
        .map(String::as_str)
        .partition(|u| settings.skip.iter().any(|r| r.matches(u)));
    crate::progress::stage("checking external links", Some(to_check.len()));
    let failures = probe_all(&to_check, settings);
    let status = |url: &str| -> Status<'_> {
        if skipped.contains(&url) {
            Status::Skipped
        } else if let Some(f) = failures.get(url) {
            Status::Failed(f)
        } else if links.contains_key(url) {
            Status::Works
        } else {
            Status::NotLinked
        }
    };
    let sources_file = site.sources_file.as_ref();
    let mut diags = Diagnostics::default();
    for (url, failure) in &failures {
        let pages = &links[*url];
        let shown: Vec<String> = pages.iter().take(5).map(|p| format!("/{p}")).collect();
        let more = pages.len().saturating_sub(5);
        let mut on = shown.join(", ");
        if more > 0 {
            on.push_str(&format!(" and {more} more"));
        }
        let problem = failure.describe();
        let mut level = settings.level;
        // A source this URL is the link or the archived copy of.
        let original = site
            .briefing
            .sources
            .iter()
            .find(|s| s.url.as_deref() == Some(url));
        let archive = site
            .briefing
            .sources
            .iter()
            .find(|s| s.archived_url.as_deref() == Some(url));
        let mut d = match (original, archive) {
            (Some(s), _) => {
                let mut d = Diagnostic::new(
                    Code::ExternalLink,
                    format!(
                        "the link of source `{}`, `{url}`, {problem} (linked from {on})",
                        s.id
                    ),
                );
                d.hint = Some(match s.archived_url.as_deref() {
                    None => format!(
                        "add `archived_url:` to source `{}` with a web archive copy \
                         (https://web.archive.org/…): it is shown to readers beside the link, and checked too",
                        s.id
                    ),
                    Some(a) => match status(a) {
                        Status::Works => {
                            // Readers already have the fix beside the link.
                            level = LinkLevel::Warn;
                            format!(
                                "readers are offered its archived copy, {a}, which works; \
                                 if the original is gone for good, make that its `url`"
                            )
                        }
                        Status::Failed(f) => {
                            format!("its archived copy, {a}, fails too: it {}", f.describe())
                        }
                        Status::Skipped | Status::NotLinked => {
                            format!(
                                "readers are offered its archived copy, {a} (not checked: skipped)"
                            )
                        }
                    },
                });
                d
            }
            (None, Some(s)) => {
                let mut d = Diagnostic::new(
                    Code::ExternalLink,
                    format!(
                        "the archived copy of source `{}`, `{url}`, {problem} (linked from {on})",
                        s.id
                    ),
                );
                d.hint = Some("point `archived_url` at a copy that opens, or remove it".into());
                d
            }
            (None, None) => Diagnostic::new(
                Code::ExternalLink,
                format!("external link `{url}` {problem} (linked from {on})"),
            ),
        };
        let at = (original.is_some() || archive.is_some())
            .then_some(sources_file)
            .flatten()
            .and_then(|f| locate_value(&f.text, url, 0).map(|off| (f, off)));
        d = match at {
            Some((f, off)) => d
                .in_file(&f.path)
                .at_offset(&f.text, off)
                .span(url.chars().count()),
            None => d.in_file(format!("public/{}", pages[0])),
        };
        if let Some(h) = failure.hint() {
            d.hint = Some(match d.hint.take() {
                Some(mine) => format!("{mine}; or {h}"),
                None => h.to_string(),
            });
        }
        if level == LinkLevel::Warn {
            d.code = Code::ExternalLinkWarning;
        }
        diags.push(d);
    }
    diags.sort();
    External {
        diagnostics: diags,
        checked: to_check.len(),
        skipped: skipped.len(),
    }
}

/// What became of one URL.
enum Status<'a> {
    Works,
    Failed(&'a Failure),
    Skipped,
    /// Not in the rendered HTML at all.
    NotLinked,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(" 0 "), Some(Duration::ZERO));
        // A date in the past means "now".
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600);
        let http_date = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&later)
            .unwrap();
        let wait = retry_after(&http_date).unwrap();
        assert!(
            wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
        assert_eq!(retry_after("soon"), None);
    }
}
