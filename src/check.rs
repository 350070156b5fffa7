//! `briefing check --external`: checks the external links of a rendered site over the network.
//!
//! Off by default (builds and tests never touch the network). Each distinct `http(s)` URL in the
//! generated HTML is requested once (HEAD, then GET if the server refuses HEAD), a few at a time,
//! with a timeout; an error status or a failed connection is a site error naming the URL and the
//! pages that link to it.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::render::links::{Scans, unescape};

/// External URLs in the rendered HTML, each with the pages (output paths, in order) that link to it.
pub fn external_links(scans: &Scans) -> BTreeMap<String, Vec<String>> {
    let mut paths: Vec<&String> = scans.keys().collect();
    paths.sort();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in paths {
        for value in scans[path].links() {
            let url = unescape(value).into_owned();
            if url.starts_with("http://") || url.starts_with("https://") {
                let pages = out.entry(url).or_default();
                if pages.last() != Some(path) {
                    pages.push(path.clone());
                }
            }
        }
    }
    out
}

/// What one request found: `None` if the link works, else the problem.
fn probe(agent: &ureq::Agent, url: &str) -> Option<String> {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(resp) => Ok(resp.status().as_u16()),
        Err(e) => Err(e.to_string()),
    };
    let mut result = status(agent.head(url).call());
    // Some servers refuse HEAD; ask again with GET before calling the link broken.
    if matches!(result, Ok(403 | 405 | 501)) || result.is_err() {
        result = status(agent.get(url).call());
    }
    match result {
        Ok(code) if code < 400 => None,
        Ok(code) => Some(format!("answered HTTP {code}")),
        Err(e) => Some(format!("could not be reached ({e})")),
    }
}

/// Check every external link in the scanned outputs.
pub fn check_external(scans: &Scans) -> Diagnostics {
    let links = external_links(scans);
    crate::progress::stage("checking external links", Some(links.len()));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("briefing-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let run = || -> Vec<Diagnostic> {
        links
            .par_iter()
            .filter_map(|(url, pages)| {
                let problem = probe(&agent, url);
                crate::progress::tick();
                problem.map(|problem| {
                    let shown: Vec<String> =
                        pages.iter().take(5).map(|p| format!("/{p}")).collect();
                    let more = pages.len().saturating_sub(5);
                    let mut on = shown.join(", ");
                    if more > 0 {
                        on.push_str(&format!(" and {more} more"));
                    }
                    Diagnostic::new(
                        Code::ExternalLink,
                        format!("external link `{url}` {problem} (linked from {on})"),
                    )
                    .in_file(format!("public/{}", pages[0]))
                })
            })
            .collect()
    };
    let found = match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    let mut diags: Diagnostics = found.into_iter().collect();
    diags.sort();
    diags
}
