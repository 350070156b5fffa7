//! Translation files: which files are translations (`talks/x.uk.md` beside `talks/x.md`,
//! `sources.uk.yaml` beside `sources.yaml`), and reading them as they are written. What a
//! translation may say, and laying it over its original, is the model's (`model::editions`):
//! only it knows the site's languages.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::load::frontmatter::{self, Split};
use crate::load::walk;
use crate::parse::yaml;

/// A file named as a translation, read but not yet checked.
#[derive(Debug, Clone)]
pub(crate) struct SourceTranslation {
    /// Path relative to the site root (`content/talks/x.uk.md`), for messages.
    pub(crate) path: PathBuf,
    /// Path relative to `content/` (`talks/x.uk.md`).
    pub(crate) rel: String,
    /// The original it translates (`talks/x.md`), `content`-relative.
    pub(crate) original: String,
    /// The language suffix as written (`uk`).
    pub(crate) lang: String,
    /// Whole file text, BOM removed and line endings normalised.
    pub(crate) text: String,
    /// For a Markdown file, where its front matter and body are.
    pub(crate) split: Option<Split>,
    /// The front matter (Markdown) or the whole file (YAML), as read.
    pub(crate) value: serde_json::Value,
}

impl SourceTranslation {
    /// Whether this translates a Markdown page (else `sources` or `timeline`).
    pub(crate) fn is_page(&self) -> bool {
        self.split.is_some()
    }
}

/// Whether a suffix looks like a language tag: two or three lowercase letters, then perhaps
/// subtags (`uk`, `pt-br`, `zh-Hant`). Only such suffixes make a file a translation, so that
/// `v1.2.md` or `report.final.md` stay pages.
fn looks_like_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `(original, language)` when `rel` (`content`-relative) is named as a translation: a page
/// `name.<lang>.md`, or `sources.<lang>.yaml` / `timeline.<lang>.yaml` at the top.
pub(crate) fn translation_of(rel: &str) -> Option<(String, String)> {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, rel),
    };
    let (stem, ext) = name.rsplit_once('.')?;
    let (base, lang) = stem.rsplit_once('.')?;
    if base.is_empty() || !looks_like_tag(lang) {
        return None;
    }
    match ext {
        "md" => {}
        "yaml" | "yml" if dir.is_none() && matches!(base, "sources" | "timeline") => {}
        _ => return None,
    }
    let original = match dir {
        Some(d) => format!("{d}/{base}.{ext}"),
        None => format!("{base}.{ext}"),
    };
    Some((original, lang.to_string()))
}

/// Read a translation file (one [`translation_of`] names).
pub(crate) fn read(f: &walk::Found) -> Result<SourceTranslation, Diagnostics> {
    let path = PathBuf::from("content").join(&f.rel);
    let Some((original, lang)) = translation_of(&f.rel) else {
        return Err(Diagnostics::new());
    };
    let text = crate::load::read_text(&f.abs, &path)?;
    let (split, value) = if f.rel.ends_with(".md") {
        let split = frontmatter::split(&path, &text)?;
        let origin = yaml::Origin {
            file: &path,
            file_text: &text,
            offset: split.yaml_start,
        };
        let yaml_text = &text[split.yaml_start..split.yaml_end];
        let value = if yaml_text.trim().is_empty() {
            serde_json::Value::Object(Default::default())
        } else {
            yaml::parse::<serde_json::Value>(yaml_text, origin)?
        };
        (Some(split), value)
    } else {
        let origin = yaml::Origin {
            file: &path,
            file_text: &text,
            offset: 0,
        };
        let value = if text.trim().is_empty() {
            serde_json::Value::Array(Vec::new())
        } else {
            yaml::parse::<serde_json::Value>(&text, origin)?
        };
        (None, value)
    };
    Ok(SourceTranslation {
        path,
        rel: f.rel.clone(),
        original,
        lang,
        text,
        split,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_are_named_by_a_language_suffix() {
        let t = |r: &str| translation_of(r).map(|(o, l)| format!("{o} {l}"));
        assert_eq!(t("talks/x.uk.md").as_deref(), Some("talks/x.md uk"));
        assert_eq!(t("_index.ko.md").as_deref(), Some("_index.md ko"));
        assert_eq!(t("sources.ru.yaml").as_deref(), Some("sources.yaml ru"));
        assert_eq!(
            t("timeline.pt-BR.yml").as_deref(),
            Some("timeline.yml pt-BR")
        );
        assert_eq!(t("notes/v1.2.md"), None);
        assert_eq!(t("notes/report.final.md"), None);
        assert_eq!(t("data/budget.uk.yaml"), None);
        assert_eq!(t("budget.uk.yaml"), None);
        assert_eq!(t("talks/x.md"), None);
        assert_eq!(t(".uk.md"), None);
    }
}
