//! Stage 1, load: read a site folder into memory.
//!
//! Walks `content/`, `templates/` and `static/`, decodes text as UTF-8, splits and parses front
//! matter and YAML data files into typed values, and merges the built-in theme (compiled into
//! the binary) with the site's own files. Every problem found is collected; nothing here knows
//! about URLs or references between pages (that is the model's job).

pub mod embedded;
pub mod frontmatter;
pub mod kinds;
pub mod records;
pub mod walk;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::parse::{decode_utf8, yaml};
use frontmatter::Split;
pub use records::{DataFiles, Front};

/// A page file: its text, where its front matter is, and the parsed front matter.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to the site root (`content/notes/a.md`), for messages.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/` separators (`notes/a.md`).
    pub rel: String,
    /// Whole file text, BOM removed and line endings normalised to `\n`.
    pub text: String,
    pub split: Split,
    pub front: Front,
}

impl SourcePage {
    pub fn body(&self) -> &str {
        &self.text[self.split.body_start..]
    }

    /// 1-based line the body starts on.
    pub fn body_line(&self) -> usize {
        crate::diagnostics::line_col(&self.text, self.split.body_start).0
    }

    /// The file stem (`a` for `notes/a.md`).
    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// The folder relative to `content/` (`notes`, or `` for the top).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// A file copied as it is (an image beside a page, a stylesheet in `static/`).
#[derive(Debug, Clone)]
pub struct FileBytes {
    /// Path relative to its folder (`content/` or `static/`), with `/` separators.
    pub rel: String,
    /// Where it came from, for messages (`static/style.css` or `(built-in) static/style.css`).
    pub origin: PathBuf,
    pub bytes: Cow<'static, [u8]>,
}

/// A Tera template with its name (`page.html`) and text.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub origin: PathBuf,
    pub text: String,
}

/// Everything read from a site folder.
#[derive(Debug, Clone)]
pub struct SourceSite {
    pub root: PathBuf,
    pub pages: Vec<SourcePage>,
    /// Folders under `content/`, relative, `""` for `content/` itself.
    pub sections: Vec<String>,
    pub data: DataFiles,
    pub assets: Vec<FileBytes>,
    pub templates: Vec<TemplateSource>,
    pub statics: Vec<FileBytes>,
    /// Problems found while loading (errors and warnings). The site is still returned so the
    /// model can report its own errors in the same run.
    pub problems: Diagnostics,
    /// Pages (`content`-relative) that could not be read or parsed: references to them are not
    /// reported again as unknown.
    pub unreadable: Vec<String>,
}

/// A failure of the load stage that is not the site's fault (exit 2).
#[derive(Debug)]
pub enum LoadError {
    Io(Diagnostic),
}

/// Read the site at `root`.
pub fn load(root: &Path) -> Result<SourceSite, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::Io(Diagnostic::error(format!(
            "site folder `{}` does not exist or is not a folder",
            root.display()
        ))));
    }
    let mut diags = Diagnostics::new();

    let content = walk::walk(root, &root.join("content"), "content");
    diags.extend(content.problems.into_iter().collect());

    let mut md = Vec::new();
    let mut yaml_files = Vec::new();
    let mut other = Vec::new();
    for f in content.files {
        if f.rel.ends_with(".md") {
            md.push(f);
        } else if f.rel.ends_with(".yaml") || f.rel.ends_with(".yml") {
            yaml_files.push(f);
        } else {
            other.push(f);
        }
    }

    let parsed: Vec<Result<SourcePage, Diagnostic>> =
        md.par_iter().map(|f| read_page(root, f)).collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut unreadable = Vec::new();
    for (p, f) in parsed.into_iter().zip(&md) {
        match p {
            Ok(p) => pages.push(p),
            Err(d) => {
                diags.push(d);
                unreadable.push(f.rel.clone());
            }
        }
    }

    let mut data_texts = Vec::new();
    for f in yaml_files {
        let path = PathBuf::from("content").join(&f.rel);
        match read_text(&f.abs, &path) {
            Ok(text) => data_texts.push((f.rel, path, text)),
            Err(d) => diags.push(d),
        }
    }
    let mut data = records::parse_data_files(data_texts, &mut diags);
    data.sources_unreadable = diags.iter().any(|d| {
        d.is_error()
            && d.file.as_deref().is_some_and(|f| {
                f == Path::new("content/sources.yaml") || f == Path::new("content/sources.yml")
            })
    });

    let mut assets = Vec::new();
    for f in other {
        let origin = PathBuf::from("content").join(&f.rel);
        match std::fs::read(&f.abs) {
            Ok(bytes) => assets.push(FileBytes {
                rel: f.rel,
                origin,
                bytes: Cow::Owned(bytes),
            }),
            Err(e) => diags.push(Diagnostic::error(format!("cannot read: {e}")).in_file(origin)),
        }
    }

    let templates = load_templates(root, &mut diags);
    let statics = load_statics(root, &mut diags);

    let mut sections = content.dirs;
    if !sections.iter().any(String::is_empty) {
        sections.insert(0, String::new());
    }
    Ok(SourceSite {
        root: root.to_path_buf(),
        pages,
        sections,
        data,
        assets,
        templates,
        statics,
        problems: diags,
        unreadable,
    })
}

fn read_text(abs: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs)
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).in_file(shown))?;
    decode_utf8(shown, bytes)
}

fn read_page(_root: &Path, f: &walk::Found) -> Result<SourcePage, Diagnostic> {
    let path = PathBuf::from("content").join(&f.rel);
    let text = read_text(&f.abs, &path)?;
    let split = frontmatter::split(&path, &text)?;
    let origin = yaml::Origin {
        file: &path,
        file_text: &text,
        offset: split.yaml_start,
    };
    let front = records::parse_front(&f.rel, &text[split.yaml_start..split.yaml_end], origin)?;
    Ok(SourcePage {
        path,
        rel: f.rel.clone(),
        text,
        split,
        front,
    })
}

fn load_templates(root: &Path, diags: &mut Diagnostics) -> Vec<TemplateSource> {
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

fn load_statics(root: &Path, diags: &mut Diagnostics) -> Vec<FileBytes> {
    let mut by_name: BTreeMap<String, FileBytes> = BTreeMap::new();
    for (rel, bytes) in embedded::statics() {
        by_name.insert(
            rel.clone(),
            FileBytes {
                origin: PathBuf::from(format!("(built-in) static/{rel}")),
                rel,
                bytes,
            },
        );
    }
    let w = walk::walk(root, &root.join("static"), "static");
    diags.extend(w.problems.into_iter().collect());
    for f in w.files {
        let origin = PathBuf::from("static").join(&f.rel);
        match std::fs::read(&f.abs) {
            Ok(bytes) => {
                by_name.insert(
                    f.rel.clone(),
                    FileBytes {
                        rel: f.rel,
                        origin,
                        bytes: Cow::Owned(bytes),
                    },
                );
            }
            Err(e) => diags.push(Diagnostic::error(format!("cannot read: {e}")).in_file(origin)),
        }
    }
    by_name.into_values().collect()
}
