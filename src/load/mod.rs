//! Stage 1, load: read a site folder into memory.
//!
//! Walks `content/`, `templates/` and `static/`, decodes text as UTF-8, splits and parses front
//! matter and YAML data files into typed values, and merges the built-in theme (compiled into
//! the binary) with the site's own files. Every problem found is collected; nothing here knows
//! about URLs or references between pages (that is the model's job).

pub(crate) mod assets;
pub(crate) mod embedded;
pub mod frontmatter;
pub(crate) mod kinds;
pub mod records;
pub(crate) mod translations;
pub(crate) mod trust;
pub(crate) mod walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::{decode_utf8, yaml};
use frontmatter::Split;
pub(crate) use records::{DataFiles, Front};

/// A page file: its text, where its front matter is, and the parsed front matter.
#[derive(Debug, Clone)]
pub(crate) struct SourcePage {
    /// Path relative to the site root (`content/notes/a.md`), for messages.
    pub(crate) path: PathBuf,
    /// Path relative to `content/`, with `/` separators (`notes/a.md`).
    pub(crate) rel: String,
    /// The file's text, BOM removed and line endings normalised to `\n`: all of it, or only up
    /// to the body (`split.body_start`) when the body is read again as its page renders
    /// ([`Bodies::ReadAgain`]). [`SourcePage::whole`] gives all of it either way.
    pub(crate) text: String,
    /// Where the body is when `text` stops before it: `None` when `text` is whole.
    pub(crate) deferred: Option<Arc<Deferred>>,
    pub(crate) split: Split,
    pub(crate) front: Front,
    /// For a translation laid over its original (an edition's page): the original's front
    /// matter, whose structure the page's front has. What the page is made of is then `text`
    /// and this.
    pub(crate) overlays: Option<Arc<str>>,
    /// For a translation laid over its original: the text keys the translation gave, as
    /// paths into the original's front matter (`title`, `updates.1.text`,
    /// `delegations.0.members.2.title`; list items by their place in the original). Any other
    /// text of the page is the original's, shown untranslated (see `Site::text_lang`).
    pub(crate) given: Option<Arc<std::collections::HashSet<String>>>,
}

impl SourcePage {
    /// Whether a translation laid over the original gave the text at `key` (a path as in
    /// `given`); false for an original.
    pub(crate) fn gave(&self, key: &str) -> bool {
        self.given.as_ref().is_some_and(|g| g.contains(key))
    }

    /// The whole text of the file, as it was read: at hand, or read again when the load left
    /// the body on disk. An error if the file changed or went away since (a build racing an
    /// edit): its front matter was read from the earlier text.
    pub(crate) fn whole(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        let Some(d) = &self.deferred else {
            return Ok(std::borrow::Cow::Borrowed(&self.text));
        };
        let text = read_text(&d.abs, &self.path)?;
        let same = text.len() == self.text.len() + d.body_len
            && text.as_bytes().starts_with(self.text.as_bytes())
            && Deferred::hash(&text[self.text.len()..]) == d.body_hash;
        if !same {
            return Err(Diagnostic::new(
                Code::Io,
                "the file changed while the site was being built".to_string(),
            )
            .in_file(&self.path)
            .hint("build again"));
        }
        Ok(std::borrow::Cow::Owned(text))
    }

    /// The body (after the front matter) of `whole`, this file's [`SourcePage::whole`] text.
    pub(crate) fn body_of<'t>(&self, whole: &'t str) -> &'t str {
        whole.get(self.split.body_start..).unwrap_or("")
    }

    /// The file stem (`a` for `notes/a.md`).
    pub(crate) fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// The folder relative to `content/` (`notes`, or `` for the top).
    pub(crate) fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// Whether a load keeps page bodies in memory. A one-shot build reads each body again when
/// its page renders, so the sources' text is never all resident at once (at 100,000 pages it
/// was 40 % of the peak); `serve` and `build --watch` keep them, to compare an edit with what
/// was there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bodies {
    Kept,
    ReadAgain,
}

/// Where a page's body is when the load did not keep it: its file, and what it held, to
/// notice a change between the load and the render.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Deferred {
    abs: PathBuf,
    body_len: usize,
    body_hash: u64,
}

impl Deferred {
    fn hash(body: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        body.hash(&mut h);
        h.finish()
    }
}

/// A file copied as it is (an image beside a page, a stylesheet in `static/`). A file of the
/// site is not read when it is loaded: the write stage streams it from where it is, so a file
/// of any size is never held in memory whole ([`FileBytes::copy_to`]).
#[derive(Debug, Clone)]
pub(crate) struct FileBytes {
    /// Path relative to its folder (`content/` or `static/`), with `/` separators.
    pub(crate) rel: String,
    /// Where it came from, for messages (`static/style.css` or `(built-in) static/style.css`).
    pub(crate) origin: PathBuf,
    pub(crate) content: assets::Content,
    /// SHA-256 of the contents, for the files whose output name carries it
    /// ([`assets::is_fingerprinted`]); hashed as they are loaded, by streaming.
    pub(crate) digest: Option<[u8; 32]>,
}

/// A Tera template with its name (`page.html`) and text.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    pub(crate) name: String,
    pub(crate) origin: PathBuf,
    pub(crate) text: String,
}

/// Everything read from a site folder.
#[derive(Debug, Clone)]
pub(crate) struct SourceSite {
    /// Shared, so a rebuild can keep the pages that did not change.
    pub(crate) pages: Vec<Arc<SourcePage>>,
    /// Folders under `content/`, relative, `""` for `content/` itself.
    pub(crate) sections: Vec<String>,
    pub(crate) data: Arc<DataFiles>,
    /// The YAML data files read (`content`-relative).
    pub(crate) data_files: Vec<String>,
    pub(crate) assets: Vec<Arc<FileBytes>>,
    pub(crate) templates: Vec<TemplateSource>,
    pub(crate) statics: Vec<Arc<FileBytes>>,
    /// The site's own interface strings, `i18n/<lang>.ftl`.
    pub(crate) strings: Vec<crate::i18n::StringsFile>,
    /// Problems found while loading (errors and warnings). The site is still returned so the
    /// model can report its own errors in the same run.
    pub(crate) problems: Diagnostics,
    /// Pages (`content`-relative) that could not be read or parsed: references to them are not
    /// reported again as unknown.
    pub(crate) unreadable: Vec<String>,
    /// Files named as translations (`talks/x.uk.md`, `sources.ru.yaml`), by path; the model
    /// decides what they are once it knows the site's languages.
    pub(crate) translations: Vec<Arc<translations::SourceTranslation>>,
}

impl SourceSite {
    /// Whether this read met `rel` (`content`-relative) as a file or as a folder of files.
    pub(crate) fn knows(&self, rel: &str) -> bool {
        let under = |r: &str| {
            r.strip_prefix(rel)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let at = self.pages.partition_point(|p| p.rel.as_str() < rel);
        self.pages.get(at).is_some_and(|p| under(&p.rel))
            || self.sections.iter().any(|s| under(s))
            || self.data_files.iter().any(|f| under(f))
            || self.assets.iter().any(|a| under(&a.rel))
            || self.unreadable.iter().any(|r| under(r))
            || self.translations.iter().any(|t| under(&t.rel))
    }
}

/// A failure of the load stage that is not the site's fault (exit 2).
#[derive(Debug)]
pub(crate) enum LoadError {
    Io(Diagnostic),
}

/// Read the site at `root`.
pub(crate) fn load(root: &Path) -> Result<SourceSite, LoadError> {
    load_with(root, Bodies::Kept)
}

/// [`load`], keeping page bodies in memory or not.
pub(crate) fn load_with(root: &Path, bodies: Bodies) -> Result<SourceSite, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::Io(Diagnostic::new(
            Code::NoSiteFolder,
            format!(
                "site folder `{}` does not exist or is not a folder",
                root.display()
            ),
        )));
    }
    let mut diags = Diagnostics::new();

    let content = walk::walk(root, &root.join("content"), "content");
    diags.extend(content.problems.into_iter().collect());

    let mut md = Vec::new();
    let mut yaml_files = Vec::new();
    let mut other = Vec::new();
    let mut translated = Vec::new();
    for f in content.files {
        if translations::translation_of(&f.rel).is_some() {
            translated.push(f);
        } else if f.rel.ends_with(".md") {
            md.push(f);
        } else if f.rel.ends_with(".yaml") || f.rel.ends_with(".yml") {
            yaml_files.push(f);
        } else {
            other.push(f);
        }
    }

    let parsed: Vec<Result<SourcePage, Diagnostics>> =
        md.par_iter().map(|f| read_page(f, bodies)).collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut unreadable = Vec::new();
    for (p, f) in parsed.into_iter().zip(&md) {
        match p {
            Ok(p) => pages.push(Arc::new(p)),
            Err(d) => {
                diags.extend(d);
                unreadable.push(f.rel.clone());
            }
        }
    }

    // In order of path, which [`reload`] keeps (the walk's order differs where a name sorts
    // before `/`: `a-b.md` comes after `a/` in its folder's walk).
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));

    let data_files: Vec<String> = yaml_files.into_iter().map(|f| f.rel).collect();
    let data = read_data_files(root, &data_files, &mut diags);

    let mut assets = Vec::new();
    for f in other {
        let origin = PathBuf::from("content").join(&f.rel);
        match assets::from_disk(&f.abs, f.rel, origin, false) {
            Ok(file) => assets.push(Arc::new(file)),
            Err(d) => diags.push(d),
        }
    }

    let mut translations = Vec::new();
    for f in &translated {
        match translations::read(f) {
            Ok(t) => translations.push(Arc::new(t)),
            Err(d) => diags.extend(d),
        }
    }

    let templates = load_templates(root, &mut diags);
    let statics = load_statics(root, &mut diags);
    let strings = load_strings(root, &mut diags);

    let mut sections = content.dirs;
    if !sections.iter().any(String::is_empty) {
        sections.insert(0, String::new());
    }
    Ok(SourceSite {
        pages,
        sections,
        data: Arc::new(data),
        data_files,
        assets,
        templates,
        statics,
        strings,
        problems: diags,
        unreadable,
        translations,
    })
}

/// The site's translation files of interface strings: `i18n/<lang>.ftl` (other files there are
/// ignored). Parsed by [`crate::i18n::Locales::build`].
pub(crate) fn load_strings(root: &Path, diags: &mut Diagnostics) -> Vec<crate::i18n::StringsFile> {
    let w = walk::walk(root, &root.join("i18n"), "i18n");
    diags.extend(w.problems.into_iter().collect());
    let mut out = Vec::new();
    for f in w.files {
        let Some(lang) = f.rel.strip_suffix(".ftl").filter(|l| !l.contains('/')) else {
            continue;
        };
        let path = PathBuf::from("i18n").join(&f.rel);
        match read_text(&f.abs, &path) {
            Ok(text) => out.push(crate::i18n::StringsFile {
                lang: lang.to_string(),
                path,
                text,
            }),
            Err(d) => diags.push(d),
        }
    }
    out.sort_by(|a, b| a.lang.cmp(&b.lang));
    out
}

/// Read and parse the YAML data files of `content/` (`content`-relative paths).
fn read_data_files(root: &Path, rels: &[String], diags: &mut Diagnostics) -> DataFiles {
    let mut data_texts = Vec::new();
    for rel in rels {
        let path = PathBuf::from("content").join(rel);
        match read_text(&root.join(&path), &path) {
            Ok(text) => data_texts.push((rel.clone(), path, text)),
            Err(d) => diags.push(d),
        }
    }
    let mut data = records::parse_data_files(data_texts, diags);
    data.sources_unreadable = diags.iter().any(|d| {
        d.is_error()
            && d.file.as_deref().is_some_and(|f| {
                f == Path::new("content/sources.yaml") || f == Path::new("content/sources.yml")
            })
    });
    data
}

/// Read again what changed since `old` was loaded (`changed`: site-relative paths, as the
/// watcher reports them), keeping every unchanged page and file as it was. `None` when the
/// change needs a fresh [`load`]: a folder came or went, a link, anything outside the site's
/// folders. `site.yaml` is not read here (it is the settings', not the content's).
pub(crate) fn reload(
    root: &Path,
    old: &SourceSite,
    changed: &std::collections::BTreeSet<String>,
) -> Option<SourceSite> {
    let mut next = old.clone();
    let mut problems: Vec<Diagnostic> = old.problems.iter().cloned().collect();
    let (mut data_changed, mut templates_changed, mut statics_changed) = (false, false, false);
    let is_data = |rel: &str| rel.ends_with(".yaml") || rel.ends_with(".yml");
    for path in changed {
        if path == "site.yaml" {
            continue;
        }
        if path.starts_with("templates/") {
            templates_changed = true;
            continue;
        }
        if path.starts_with("static/") {
            statics_changed = true;
            continue;
        }
        let rel = path.strip_prefix("content/")?;
        if rel.is_empty() || rel.split('/').any(walk::is_ignored) {
            continue;
        }
        let shown = PathBuf::from(path);
        problems.retain(|d| d.file.as_deref() != Some(shown.as_path()));
        // The pages stay in order of path (a fresh load's), so one is found by halving.
        let at = next.pages.partition_point(|p| p.rel.as_str() < rel);
        if next.pages.get(at).is_some_and(|p| p.rel == rel) {
            next.pages.remove(at);
        }
        next.assets.retain(|a| a.rel != rel);
        next.translations.retain(|t| t.rel != rel);
        next.unreadable.retain(|r| r != rel);
        let prefix = format!("{rel}/");
        match std::fs::symlink_metadata(root.join(path)) {
            Ok(m) if m.is_file() => {
                // Its folders are sections.
                let mut dir = rel;
                while let Some((d, _)) = dir.rsplit_once('/') {
                    if !next.sections.iter().any(|s| s == d) {
                        next.sections.push(d.to_string());
                    }
                    dir = d;
                }
                let found = walk::Found {
                    rel: rel.to_string(),
                    abs: root.join(path),
                };
                if translations::translation_of(rel).is_some() {
                    match translations::read(&found) {
                        Ok(t) => next.translations.push(Arc::new(t)),
                        Err(d) => problems.extend(d),
                    }
                } else if rel.ends_with(".md") {
                    match read_page(&found, Bodies::Kept) {
                        Ok(p) => next.pages.insert(at, Arc::new(p)),
                        Err(d) => {
                            problems.extend(d);
                            next.unreadable.push(rel.to_string());
                        }
                    }
                } else if is_data(rel) {
                    data_changed = true;
                    if !next.data_files.iter().any(|f| f == rel) {
                        next.data_files.push(rel.to_string());
                        next.data_files.sort();
                    }
                } else {
                    match assets::from_disk(&found.abs, rel.to_string(), shown, false) {
                        Ok(file) => next.assets.push(Arc::new(file)),
                        Err(d) => problems.push(d),
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A folder that went away takes its files with it: read everything again.
                if next
                    .sections
                    .iter()
                    .any(|s| s == rel || s.starts_with(&prefix))
                    || old.pages.iter().any(|p| p.rel.starts_with(&prefix))
                    || old.assets.iter().any(|a| a.rel.starts_with(&prefix))
                {
                    return None;
                }
                if is_data(rel) {
                    data_changed = true;
                    next.data_files.retain(|f| f != rel);
                }
            }
            // A folder, a link or anything else: walk again.
            _ => return None,
        }
    }
    if data_changed {
        let shown: Vec<PathBuf> = next
            .data_files
            .iter()
            .chain(&old.data_files)
            .map(|r| PathBuf::from("content").join(r))
            .collect();
        problems.retain(|d| {
            d.file
                .as_deref()
                .is_none_or(|f| !shown.iter().any(|s| s == f))
        });
        let mut diags = Diagnostics::new();
        next.data = Arc::new(read_data_files(root, &next.data_files, &mut diags));
        problems.extend(diags);
    }
    if templates_changed {
        problems.retain(|d| {
            d.file
                .as_deref()
                .is_none_or(|f| !f.starts_with("templates"))
        });
        let mut diags = Diagnostics::new();
        next.templates = load_templates(root, &mut diags);
        problems.extend(diags);
    }
    if statics_changed {
        problems.retain(|d| d.file.as_deref().is_none_or(|f| !f.starts_with("static")));
        let mut diags = Diagnostics::new();
        next.statics = load_statics(root, &mut diags);
        problems.extend(diags);
    }
    // The order a fresh load gives: by path (the pages kept in it above).
    debug_assert!(next.pages.is_sorted_by(|a, b| a.rel <= b.rel));
    next.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    next.unreadable.sort();
    next.translations.sort_by(|a, b| a.rel.cmp(&b.rel));
    next.problems = problems.into_iter().collect();
    Some(next)
}

pub(crate) fn read_text(abs: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs)
        .map_err(|e| Diagnostic::new(Code::Io, format!("cannot read: {e}")).in_file(shown))?;
    decode_utf8(shown, bytes)
}

pub(crate) fn read_page(f: &walk::Found, bodies: Bodies) -> Result<SourcePage, Diagnostics> {
    let path = PathBuf::from("content").join(&f.rel);
    let mut text = read_text(&f.abs, &path)?;
    let split = frontmatter::split(&path, &text)?;
    let origin = yaml::Origin {
        file: &path,
        file_text: &text,
        offset: split.yaml_start,
    };
    let front = records::parse_front(&f.rel, &text[split.yaml_start..split.yaml_end], origin)?;
    // A section's text stays: sections are few, and their listings read it more than once.
    let section = f.rel == "_index.md" || f.rel.ends_with("/_index.md");
    let deferred =
        (bodies == Bodies::ReadAgain && !section && split.body_start < text.len()).then(|| {
            let body = &text[split.body_start..];
            let d = Deferred {
                abs: f.abs.clone(),
                body_len: body.len(),
                body_hash: Deferred::hash(body),
            };
            text.truncate(split.body_start);
            text.shrink_to_fit();
            Arc::new(d)
        });
    Ok(SourcePage {
        path,
        rel: f.rel.clone(),
        text,
        deferred,
        split,
        front,
        overlays: None,
        given: None,
    })
}

pub(crate) fn load_templates(root: &Path, diags: &mut Diagnostics) -> Vec<TemplateSource> {
    let mut by_name: BTreeMap<String, TemplateSource> = BTreeMap::new();
    for (name, text) in embedded::templates() {
        by_name.insert(
            name.clone(),
            TemplateSource {
                origin: PathBuf::from(format!("(built-in) templates/{name}")),
                name,
                text,
            },
        );
    }
    let w = walk::walk(root, &root.join("templates"), "templates");
    diags.extend(w.problems.into_iter().collect());
    for f in w.files {
        let origin = PathBuf::from("templates").join(&f.rel);
        match read_text(&f.abs, &origin) {
            Ok(text) => {
                by_name.insert(
                    f.rel.clone(),
                    TemplateSource {
                        name: f.rel,
                        origin,
                        text,
                    },
                );
            }
            Err(d) => diags.push(d),
        }
    }
    by_name.into_values().collect()
}

pub(crate) fn load_statics(root: &Path, diags: &mut Diagnostics) -> Vec<Arc<FileBytes>> {
    let mut by_name: BTreeMap<String, FileBytes> = BTreeMap::new();
    for (rel, bytes) in embedded::statics() {
        let origin = PathBuf::from(format!("(built-in) static/{rel}"));
        by_name.insert(rel.clone(), assets::embedded(rel, origin, bytes));
    }
    let w = walk::walk(root, &root.join("static"), "static");
    diags.extend(w.problems.into_iter().collect());
    for f in w.files {
        let origin = PathBuf::from("static").join(&f.rel);
        match assets::from_disk(&f.abs, f.rel.clone(), origin, true) {
            Ok(file) => {
                by_name.insert(f.rel, file);
            }
            Err(d) => diags.push(d),
        }
    }
    by_name.into_values().map(Arc::new).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(dir: &Path, rel: &str, text: &str) -> walk::Found {
        let abs = dir.join(rel);
        std::fs::write(&abs, text).unwrap();
        walk::Found {
            rel: rel.to_string(),
            abs,
        }
    }

    #[test]
    fn pages_are_in_order_of_path_after_a_load_and_after_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("a")).unwrap();
        let page = "---\ntitle: T\n---\nBody.\n";
        for rel in ["a/x.md", "a-b.md", "b.md"] {
            std::fs::write(content.join(rel), page).unwrap();
        }
        let rels = |s: &SourceSite| s.pages.iter().map(|p| p.rel.clone()).collect::<Vec<_>>();
        // The walk gives `a/x.md` before `a-b.md`; by path `-` sorts before `/`.
        let site = load(dir.path()).unwrap();
        assert_eq!(rels(&site), ["a-b.md", "a/x.md", "b.md"]);
        std::fs::write(content.join("a-a.md"), page).unwrap();
        std::fs::write(content.join("b.md"), "---\ntitle: U\n---\nBody.\n").unwrap();
        let changed = ["content/a-a.md", "content/b.md"].map(String::from).into();
        let again = reload(dir.path(), &site, &changed).unwrap();
        assert_eq!(rels(&again), ["a-a.md", "a-b.md", "a/x.md", "b.md"]);
        assert!(again.pages[3].text.contains("title: U"));
    }

    #[test]
    fn a_body_left_on_disk_is_read_again_whole_and_a_change_since_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let text = "---\ntitle: A\n---\nThe body.\n";
        let f = found(dir.path(), "a.md", text);
        let kept = read_page(&f, Bodies::Kept).unwrap();
        let left = read_page(&f, Bodies::ReadAgain).unwrap();
        assert_eq!(kept.text, text);
        assert_eq!(left.text, "---\ntitle: A\n---\n");
        assert_eq!(left.whole().unwrap(), text);
        assert_eq!(left.body_of(&left.whole().unwrap()), "The body.\n");
        std::fs::write(&f.abs, "---\ntitle: A\n---\nThe body, edited.\n").unwrap();
        let e = left.whole().unwrap_err();
        assert!(e.message.contains("changed"), "{}", e.message);
        assert_eq!(kept.whole().unwrap(), text);
    }

    #[test]
    fn a_section_text_stays_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let f = found(dir.path(), "_index.md", "---\ntitle: S\n---\nIntro.\n");
        let p = read_page(&f, Bodies::ReadAgain).unwrap();
        assert!(p.deferred.is_none() && p.text.ends_with("Intro.\n"));
    }
}
