//! Where each input ends up: slugs, site paths and output file paths.
//!
//! A *site path* is relative to the base URL and ends with `/` for pages (`notes/a/`); the output
//! file for it is `notes/a/index.html`. URLs shown to readers are made by `Config::url`.

/// ASCII, lower-case, hyphenated (`Переговори 2025` → `peregovori-2025`).
pub(crate) fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// The site path of a folder under `content/` (`Новини/2025` → `novini/2025/`; `` → ``).
pub(crate) fn dir_path(dir: &str) -> String {
    let mut out = String::new();
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        out.push_str(&slugify(seg));
        out.push('/');
    }
    out
}

/// The site path of a page in `dir` with the given last segment.
pub(crate) fn page_path(dir: &str, last: &str) -> String {
    format!("{}{}/", dir_path(dir), last)
}

/// `notes/a/` → `notes/a/index.html`; `` → `index.html`.
pub(crate) fn output_file(site_path: &str) -> String {
    format!("{site_path}index.html")
}

/// Normalise an alias (`/old/url`, `old/url/`, `/old.html`) to a site path or an output file.
pub(crate) fn alias_output(alias: &str) -> Option<String> {
    let a = alias.trim().trim_start_matches('/');
    if a.is_empty() || a.split('/').any(|s| s == ".." || s == ".") || a.contains("://") {
        return None;
    }
    if a.ends_with(".html") {
        Some(a.to_string())
    } else {
        let a = a.trim_end_matches('/');
        Some(format!("{a}/index.html"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_transliterated() {
        assert_eq!(slugify("Переговори 2025"), "peregovori-2025");
        assert_eq!(
            page_path("notes", &slugify("Переговори 2025")),
            "notes/peregovori-2025/"
        );
        assert_eq!(dir_path(""), "");
        assert_eq!(dir_path("Новини/A B"), "novini/a-b/");
    }

    #[test]
    fn aliases() {
        assert_eq!(alias_output("/old/x").as_deref(), Some("old/x/index.html"));
        assert_eq!(alias_output("old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_output("../x"), None);
    }
}
