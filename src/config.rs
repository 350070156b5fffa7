//! Site settings: `site.yaml` at the site root, merged with command-line overrides.
//!
//! Every key is optional and unknown keys are errors. The base URL decides how every generated
//! URL starts: without one, URLs are root-relative (`/talks/x/`) and outputs that need absolute
//! URLs are skipped with a warning.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::yaml;

/// `site.yaml`, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<crate::parse::LanguageTag>,
    pub author: Option<String>,
    /// "Now" for the briefing (`YYYY-MM-DD`); defaults to the latest date in the content.
    pub as_of: Option<crate::parse::dates::DateValue>,
    /// IANA zones every time is also shown in.
    pub display_timezones: Option<Vec<crate::parse::TimeZoneName>>,
    /// Raw HTML in Markdown: `allow` (trusted authors) or `sanitize`.
    pub raw_html: Option<RawHtml>,
}

/// What to do with raw HTML written in Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Pass it through: the authors are trusted (the default).
    #[default]
    Allow,
    /// Clean it with ammonia, and refuse `javascript:` and `data:` links.
    Sanitize,
}

/// Resolved settings used by every later stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute base URL with a trailing slash (`https://example.org/sub/`), if any.
    pub base_url: Option<String>,
    /// The path part of the base URL, always starting and ending with `/` (`/sub/` or `/`).
    pub base_path: String,
    pub language: String,
    pub author: Option<String>,
    pub as_of: Option<crate::parse::dates::DateValue>,
    pub display_timezones: Vec<String>,
    pub raw_html: RawHtml,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

pub const DEFAULT_TIMEZONES: &[&str] = &["UTC"];

impl Config {
    /// Read `ROOT/site.yaml` if present and apply overrides. Errors are site errors.
    pub fn load(
        root: &Path,
        base_url_override: Option<&str>,
        drafts: bool,
    ) -> Result<Config, Diagnostic> {
        let path = root.join("site.yaml");
        check_readable(root, &path)?;
        let file = match std::fs::read(&path) {
            Ok(bytes) => {
                let rel = Path::new("site.yaml");
                let text = crate::parse::decode_utf8(rel, bytes)?;
                yaml::parse::<SiteFile>(
                    &text,
                    yaml::Origin {
                        file: rel,
                        file_text: &text,
                        offset: 0,
                    },
                )?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SiteFile::default(),
            Err(e) => {
                return Err(
                    Diagnostic::new(Code::Io, format!("cannot read site.yaml: {e}"))
                        .in_file("site.yaml"),
                );
            }
        };
        Config::from_file(file, base_url_override, drafts)
    }

    pub fn from_file(
        file: SiteFile,
        base_url_override: Option<&str>,
        drafts: bool,
    ) -> Result<Config, Diagnostic> {
        let base_url = base_url_override
            .map(str::to_string)
            .or(file.base_url)
            .filter(|s| !s.trim().is_empty());
        let (base_url, base_path) = match base_url {
            Some(u) => {
                let (abs, path) = normalize_base_url(&u).map_err(|msg| {
                    Diagnostic::new(Code::BadConfig, format!("invalid base_url `{u}`: {msg}"))
                        .in_file("site.yaml")
                        .hint("write it as https://example.org/ or https://example.org/sub/path/")
                })?;
                (Some(abs), path)
            }
            None => (None, "/".to_string()),
        };
        Ok(Config {
            title: file.title.unwrap_or_else(|| "Briefing".to_string()),
            description: file.description.unwrap_or_default(),
            base_url,
            base_path,
            language: file.language.map_or_else(|| "en".to_string(), |l| l.0),
            author: file.author,
            as_of: file.as_of,
            display_timezones: file
                .display_timezones
                .map(|zones| zones.into_iter().map(|z| z.0).collect())
                .unwrap_or_else(|| DEFAULT_TIMEZONES.iter().map(|s| s.to_string()).collect()),
            raw_html: file.raw_html.unwrap_or_default(),
            drafts,
        })
    }

    /// Root-relative URL (under the base path) for a site path like `talks/x/`.
    pub fn url(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        format!("{}{}", self.base_path, path)
    }

    /// Absolute URL for a site path, when a base URL is set.
    pub fn absolute_url(&self, path: &str) -> Option<String> {
        let base = self.base_url.as_ref()?;
        Some(format!("{}{}", base, path.trim_start_matches('/')))
    }
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

/// `https://example.org/sub` → (`https://example.org/sub/`, `/sub/`).
fn normalize_base_url(u: &str) -> Result<(String, String), &'static str> {
    let u = u.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or("it must start with http:// or https://")?;
    if rest.contains(['?', '#', ' ']) {
        return Err("it must not contain a query, fragment or spaces");
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err("it has no host");
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

    #[test]
    fn bad_base_url_is_an_error() {
        assert!(Config::from_file(SiteFile::default(), Some("example.org"), false).is_err());
    }
}
