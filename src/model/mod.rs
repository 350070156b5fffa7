//! Stage 2, model: turn loaded files into a resolved site.
//!
//! Decides every page's URL and output file, groups pages into sections and tags, drops drafts
//! (unless asked for), resolves the briefing records' references to each other
//! ([`briefing`]), and rejects two inputs that would write the same output. The result, [`Site`],
//! is everything the render stage needs, with no unresolved ids left in it.

pub(crate) mod briefing;
pub(crate) mod editions;
pub(crate) mod letters;
pub(crate) mod outputs;
pub(crate) mod patch;
pub(crate) mod trust;
pub(crate) mod urls;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{FileBytes, SourcePage, SourceSite, TemplateSource};
pub(crate) use briefing::Briefing;

/// A page that will be rendered.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) source: Arc<SourcePage>,
    /// The record id or file stem (`rustem-umerov`).
    pub(crate) id: String,
    /// Site path (`people/rustem-umerov/`).
    pub(crate) path: String,
    /// Index into [`Site::sections`].
    pub(crate) section: usize,
    /// Indexes into [`Site::tags`].
    pub(crate) tags: Vec<usize>,
}

impl Page {
    pub fn kind(&self) -> &'static str {
        self.source.front.kind_name()
    }
}

/// A folder under `content/`, listed on its own page.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder relative to `content/` (`` for the top).
    pub(crate) dir: String,
    /// Site path (`notes/`, `` for the home page).
    pub(crate) path: String,
    /// `_index.md`, if the folder has one.
    pub(crate) index: Option<Arc<SourcePage>>,
    pub(crate) title: String,
    /// Pages directly in this folder, in listing order.
    pub(crate) pages: Vec<usize>,
    pub(crate) subsections: Vec<usize>,
    pub(crate) parent: Option<usize>,
}

/// A tag and its pages.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) slug: String,
    /// Site path (`tags/ceasefire/`).
    pub(crate) path: String,
    pub(crate) pages: Vec<usize>,
}

/// A static or content file copied to the output.
#[derive(Debug, Clone)]
pub(crate) struct Copy {
    /// Where it is copied, as templates name it (`style.css`).
    pub(crate) output: String,
    /// Where it is written (`style.1a2b3c4d5e.css` for a fingerprinted asset).
    pub(crate) written: String,
    pub(crate) file: Arc<FileBytes>,
}

/// A redirect page written at an old URL.
#[derive(Debug, Clone)]
pub(crate) struct Alias {
    pub(crate) output: String,
    pub(crate) page: usize,
}

/// The resolved site.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub(crate) config: Config,
    pub(crate) pages: Vec<Page>,
    pub(crate) sections: Vec<Section>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) aliases: Vec<Alias>,
    pub(crate) copies: Vec<Copy>,
    pub(crate) templates: Vec<TemplateSource>,
    /// Interface strings and date formats of every language the site renders.
    pub(crate) locales: std::sync::Arc<crate::i18n::Locales>,
    pub(crate) briefing: Briefing,
    /// Free-form YAML data files for templates.
    pub(crate) data: BTreeMap<String, serde_json::Value>,
    /// `content/timeline.yaml` as read, for locating problems in its text fields.
    pub(crate) timeline_file: Option<crate::load::records::DataText>,
    /// `content/sources.yaml` as read, for locating a source's broken link at its line.
    pub(crate) sources_file: Option<crate::load::records::DataText>,
    /// Content path (`people/a.md`, `notes/_index.md`) → site path, for `@/` links.
    pub(crate) link_targets: HashMap<String, String>,
    /// Every file the build writes ([`outputs::plan`]).
    pub(crate) outputs: Vec<outputs::Planned>,
    /// Warnings found while resolving (errors abort instead).
    pub(crate) warnings: Diagnostics,
    /// Which edition this is, and what it and the others translate (`editions`).
    pub(crate) edition: editions::Edition,
}

/// Resolve a loaded site. All errors are returned together.
pub(crate) fn resolve(source: SourceSite, config: Config) -> Result<Site, Diagnostics> {
    let SourceSite {
        data_files: _,
        pages: source_pages,
        sections: dirs,
        data,
        assets,
        templates,
        statics,
        strings,
        problems,
        unreadable,
        translations: _,
    } = source;
    // Loading problems and the model's own are reported together.
    let mut diags = problems;
    let (locales, strings_problems) =
        crate::i18n::Locales::build(std::slice::from_ref(&config.language), &strings);
    diags.extend(strings_problems);

    // Sections, one per folder, with their `_index.md`.
    let mut sections: Vec<Section> = dirs
        .iter()
        .map(|dir| Section {
            dir: dir.clone(),
            path: urls::dir_path(dir),
            index: None,
            title: String::new(),
            pages: Vec::new(),
            subsections: Vec::new(),
            parent: None,
        })
        .collect();
    sections.sort_by(|a, b| a.dir.cmp(&b.dir));
    let section_of: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    for i in 0..sections.len() {
        let dir = sections[i].dir.clone();
        if !dir.is_empty() {
            let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
            if let Some(&p) = section_of.get(parent_dir) {
                sections[i].parent = Some(p);
                sections[p].subsections.push(i);
            }
        }
    }

    let mut pages: Vec<Page> = Vec::new();
    let mut drafts_dropped: Vec<(String, String)> = Vec::new();
    for sp in source_pages {
        let dir = sp.dir().to_string();
        let Some(&section) = section_of.get(&dir) else {
            continue;
        };
        if sp.stem() == "_index" {
            if !matches!(sp.front, crate::load::Front::Page(_)) {
                continue;
            }
            sections[section].index = Some(sp);
            continue;
        }
        let common = sp.front.common();
        if common.draft && !config.drafts {
            drafts_dropped.push((sp.rel.clone(), sp.front.kind_name().to_string()));
            continue;
        }
        let stem = sp.stem().to_string();
        let is_record = crate::load::records::record_kind(&sp.rel).is_some();
        let last = if is_record {
            let slug = urls::slugify(&stem);
            if slug != stem {
                diags.push(
                    Diagnostic::new(
                        Code::BadName,
                        format!("record file name `{stem}` is not a slug"),
                    )
                    .in_file(&sp.path)
                    .at(&sp.text, 1, 1)
                    .hint(format!(
                        "rename the file to `{slug}.md`: its name is its id, and may hold only lowercase letters, digits and `-`"
                    )),
                );
            }
            stem.clone()
        } else {
            match common.slug {
                Some(s) => {
                    let slug = urls::slugify(s);
                    if slug.is_empty() {
                        diags.push(
                            Diagnostic::new(
                                Code::BadName,
                                format!("`slug: {s}` gives an empty URL segment"),
                            )
                            .in_file(&sp.path),
                        );
                    }
                    slug
                }
                None => urls::slugify(&stem),
            }
        };
        if last.is_empty() {
            diags.push(
                Diagnostic::new(Code::BadName, "file name gives an empty URL segment")
                    .in_file(&sp.path)
                    .hint("use a file name with letters or digits, or set `slug:`"),
            );
            continue;
        }
        let path = urls::page_path(&dir, &last);
        pages.push(Page {
            source: sp,
            id: stem,
            path,
            section,
            tags: Vec::new(),
        });
    }
    pages.sort_by(|a, b| a.source.rel.cmp(&b.source.rel));

    // Section titles: `_index.md` title, else the folder name.
    for s in &mut sections {
        s.title = match &s.index {
            Some(ix) => ix.front.common().title.to_string(),
            None if s.dir.is_empty() => config.title.clone(),
            None => title_from_dir(&s.dir),
        };
    }

    // Listing order: weight first (ascending), then date (newest first), then title. Every
    // page gets its rank once; listings then sort by rank.
    let keys: Vec<_> = pages.iter().map(listing_key).collect();
    let mut by_order: Vec<usize> = (0..pages.len()).collect();
    by_order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut rank = vec![0usize; pages.len()];
    for (r, &i) in by_order.iter().enumerate() {
        rank[i] = r;
    }
    for (i, p) in pages.iter().enumerate() {
        sections[p.section].pages.push(i);
    }
    for s in &mut sections {
        s.pages.sort_by_key(|&i| rank[i]);
    }

    // Tags.
    let mut tag_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut tags: Vec<Tag> = Vec::new();
    // The file each tag was first written in, for a clash of spellings.
    let mut tag_first: Vec<std::path::PathBuf> = Vec::new();
    for (i, p) in pages.iter_mut().enumerate() {
        for name in p.source.front.common().tags {
            let slug = urls::slugify(name);
            if slug.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Code::BadName,
                        format!("tag `{name}` has no letters or digits"),
                    )
                    .in_file(&p.source.path),
                );
                continue;
            }
            if let Some(&t) = tag_index.get(&slug)
                && !same_tag(&tags[t].name, name)
            {
                diags.push(tag_clash(&tags[t], &tag_first[t], name, &p.source));
                continue;
            }
            let t = *tag_index.entry(slug.clone()).or_insert_with(|| {
                tag_first.push(p.source.path.clone());
                tags.push(Tag {
                    name: name.clone(),
                    path: format!("tags/{slug}/"),
                    slug,
                    pages: Vec::new(),
                });
                tags.len() - 1
            });
            // Pages are visited in order, so a repeat (the same tag spelt twice) is the last.
            if tags[t].pages.last() != Some(&i) {
                tags[t].pages.push(i);
                p.tags.push(t);
            }
        }
    }
    // Order tags by slug for stable indexes.
    let mut order: Vec<usize> = (0..tags.len()).collect();
    order.sort_by(|&a, &b| tags[a].slug.cmp(&tags[b].slug));
    let remap: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let mut tags: Vec<Tag> = order.into_iter().map(|i| tags[i].clone()).collect();
    for p in &mut pages {
        for t in &mut p.tags {
            *t = remap[t];
        }
        p.tags.sort();
    }
    for t in &mut tags {
        t.pages.sort_by_key(|&i| rank[i]);
    }

    // Link targets for `@/` links.
    let mut link_targets = HashMap::new();
    for p in &pages {
        link_targets.insert(p.source.rel.clone(), p.path.clone());
    }
    for s in &sections {
        let key = if s.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.dir)
        };
        link_targets.insert(key, s.path.clone());
    }

    // The briefing's data files link to their pages (`@/timeline.yaml#event`).
    link_targets.insert("timeline.yaml".into(), "timeline/".into());
    link_targets.insert("sources.yaml".into(), "sources/".into());

    // The briefing records.
    // Pages that could not be read count as existing, so a broken page is reported once,
    // not again at every reference to it.
    let mut known_unreadable = Vec::new();
    for rel in &unreadable {
        if let Some(kind) = crate::load::records::record_kind(rel) {
            known_unreadable.push((rel.clone(), kind.decl().one.to_string()));
        }
        link_targets.insert(rel.clone(), String::new());
    }
    let mut briefing = briefing::resolve(
        &pages,
        &data,
        &config,
        &drafts_dropped,
        &known_unreadable,
        &mut diags,
    );
    trust::resolve(&mut briefing, &pages, &sections, &data, &mut diags);
    // A split source list: its pages, and a link to a source's entry
    // (`@/sources.yaml#src-<id>`) leads to the entry on its letter's page.
    if outputs::splits(briefing.sources.len(), config.split_above) {
        briefing.source_pages = letters::Layout::new(
            briefing.sources.iter().map(|s| s.publisher.as_str()),
            config.paginate_by,
        );
        for (i, src) in briefing.sources.iter().enumerate() {
            if let Some((c, n)) = briefing.source_pages.place(i) {
                link_targets.insert(
                    format!("sources.yaml#src-{}", urls::slugify(&src.id)),
                    outputs::source_letter_path(c, n),
                );
            }
        }
    }

    // Files copied as they are.
    let mut copies: Vec<Copy> = Vec::new();
    for f in statics {
        copies.push(Copy {
            output: f.rel.clone(),
            written: String::new(),
            file: f,
        });
    }
    for f in assets {
        let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        copies.push(Copy {
            output: format!("{}{}", urls::dir_path(dir), name),
            written: String::new(),
            file: f,
        });
    }
    for c in &copies {
        if c.file.origin.starts_with("content") {
            link_targets.insert(c.file.rel.clone(), c.output.clone());
        }
    }

    // Aliases.
    let mut aliases = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for a in p.source.front.common().aliases {
            match urls::alias_output(a) {
                Some(output) => aliases.push(Alias { output, page: i }),
                None => {
                    let mut d = Diagnostic::new(
                        Code::BadAlias,
                        format!("alias `{a}` is not a path on this site"),
                    )
                    .in_file(&p.source.path)
                    .hint("write an alias as a path such as /old/url/");
                    let text = &p.source.text;
                    let front = &text[..p.source.split.yaml_end.min(text.len())];
                    if let Some(off) = crate::load::records::locate_value(front, a, 0)
                        .or_else(|| front.find(a.as_str()))
                    {
                        d = d.at_offset(text, off).span(a.chars().count().max(1));
                    }
                    diags.push(d);
                }
            }
        }
    }

    for c in &mut copies {
        c.written = written_name(&c.output, &c.file);
    }

    let mut site = Site {
        config,
        pages,
        sections,
        tags,
        aliases,
        copies,
        templates,
        locales: std::sync::Arc::new(locales),
        briefing,
        timeline_file: data.timeline_file.clone(),
        sources_file: data.sources_file.clone(),
        data: data.other.clone(),
        link_targets,
        outputs: Vec::new(),
        warnings: Diagnostics::new(),
        edition: editions::Edition::default(),
    };
    site.outputs = outputs::plan(&site);
    outputs::check_collisions(&site, &site.outputs, &mut diags);

    if diags.has_errors() {
        return Err(diags);
    }
    site.warnings = diags;
    Ok(site)
}

/// Two spellings of one tag: they differ at most in letter case, spaces, `-`, `_` and sentence
/// punctuation (`Ceasefire talks`, `ceasefire-talks`, `Ceasefire talks!`). Others that slug
/// alike differ in a sign that means something (`C++`, `C`, `C#`): a clash.
fn same_tag(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| {
                !c.is_whitespace()
                    && !matches!(
                        c,
                        '-' | '_' | '.' | ',' | '!' | '?' | ':' | ';' | '\'' | '"'
                    )
            })
            .flat_map(char::to_lowercase)
            .collect()
    };
    fold(a) == fold(b)
}

/// The error for a tag `name` in `page` whose URL is taken by the tag `first`, first written in
/// `first_file`: located at the tag in the page's front matter.
fn tag_clash(
    first: &Tag,
    first_file: &std::path::Path,
    name: &str,
    page: &SourcePage,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::DuplicateId,
        format!(
            "tag `{name}` and tag `{}` (in {}) would share the page `{}`",
            first.name,
            crate::diagnostics::display_path(first_file),
            first.path
        ),
    )
    .in_file(&page.path)
    .hint("rename one of them (`C++` could be `cpp`), or spell both the same way");
    let text = &page.text;
    let front = &text[..page.split.yaml_end.min(text.len())];
    // Among the tags: from the top-level `tags:` key on.
    let key = front
        .match_indices("tags:")
        .find(|&(i, _)| i == 0 || front.as_bytes()[i - 1] == b'\n')
        .map_or(0, |(i, _)| i);
    if let Some(off) = crate::load::records::locate_value(&front[key..], name, 0) {
        d = d.at_offset(text, key + off).span(name.chars().count());
    }
    d
}

fn title_from_dir(dir: &str) -> String {
    let last = dir.rsplit('/').next().unwrap_or(dir);
    let mut c = last.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c)
            .collect::<String>()
            .replace(['-', '_'], " "),
        None => String::new(),
    }
}

/// Listing order: weight (ascending, unweighted last), then date (newest first), then title,
/// then path. Computed once per page, so sorting does not rebuild it per comparison.
pub(crate) fn listing_key(
    p: &Page,
) -> (
    i64,
    std::cmp::Reverse<Option<jiff::civil::DateTime>>,
    &str,
    &str,
) {
    let c = p.source.front.common();
    (
        c.weight.unwrap_or(i64::MAX),
        std::cmp::Reverse(c.date.map(|d| d.start())),
        c.title,
        &p.source.rel,
    )
}

/// The name a copied file is written under: stylesheets and scripts from `static/` get a content
/// hash in their name so hosts can cache them forever (`style.css` → `style.1a2b3c4d5e.css`);
/// templates reach them through `url()`.
fn written_name(output: &str, file: &FileBytes) -> String {
    // The load stage hashed exactly the files to fingerprint (`load::assets::is_fingerprinted`).
    match (output.rsplit_once('.'), &file.digest) {
        (Some((stem, ext)), Some(digest)) => {
            let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
            format!("{stem}.{hex}.{ext}")
        }
        _ => output.to_string(),
    }
}
