//! Every file a build writes, declared once: its output path, the job that makes it, and the
//! condition under which it exists. The collision check, the render (which runs exactly these
//! jobs), the link check (which knows exactly these paths) and `serve` (which re-runs the jobs
//! an edit touches) all read this one list.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, display_path};
use crate::model::{Site, letters, urls};

/// What makes one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Job {
    /// A content page (index into `Site::pages`).
    Page(usize),
    /// A section listing (index into `Site::sections`); the home page is section 0.
    Section(usize),
    /// Page N ≥ 2 of a paginated section listing (section index, N), at `<section>/page/N/`;
    /// page 1 is [`Job::Section`].
    SectionPage(usize, usize),
    TagList,
    Tag(usize),
    /// Page N ≥ 2 of a paginated tag listing (tag index, N), at `tags/<tag>/page/N/`.
    TagPage(usize, usize),
    Positions,
    /// One topic's row of a split positions matrix (index into `Site::pages` of the topic), at
    /// `positions/<topic>/` (see [`positions_topics`]).
    PositionsTopic(usize),
    Timeline,
    /// `/changes/`: every stance change, outcome and correction (always built).
    Changes,
    /// `/corrections/`: every correction (always built; the footer links to it).
    Corrections,
    /// One year of a split timeline, at `timeline/<year>/` (see [`timeline_split`]).
    TimelineYear(i16),
    Sources,
    /// Page N (from 1) of one letter of a split source list, at `sources/<letter>/` for page 1
    /// and `sources/<letter>/page/N/` after it (see [`crate::model::letters::Layout`]).
    SourceLetter(char, usize),
    Search,
    NotFound,
    /// A redirect page (index into `Site::aliases`).
    Alias(usize),
    Robots,
    Sitemap,
    Feed,
    Calendar,
    Export,
    /// The search index's manifest (`search-index.json`).
    SearchIndex,
    /// A shard of the search index's terms (`search/terms-<i>.json`).
    SearchTerms(usize),
    /// A shard of the search index's documents (`search/docs-<j>.json`).
    SearchDocs(usize),
    /// A file copied as it is (index into `Site::copies`).
    Copy(usize),
    /// The parallel view of a talk (index into `Site::pages`) in the default edition and
    /// edition `.1` (index into `Config::languages`), side by side; planned in the default
    /// edition, made once every edition is rendered.
    Compare(usize, usize),
}

impl Job {
    /// An HTML page rendered through a template (as opposed to a publishing file or a copy).
    pub(crate) fn is_page(self) -> bool {
        !matches!(
            self,
            Job::Robots
                | Job::Sitemap
                | Job::Feed
                | Job::Calendar
                | Job::Export
                | Job::SearchIndex
                | Job::SearchTerms(_)
                | Job::SearchDocs(_)
                | Job::Copy(_)
                | Job::Compare(..)
        )
    }

    /// A page the search index holds: every page a reader can land on, but the search page,
    /// the 404 page and redirects.
    pub(crate) fn is_indexed(self) -> bool {
        matches!(
            self,
            Job::Page(_)
                | Job::Section(_)
                | Job::TagList
                | Job::Tag(_)
                | Job::Positions
                | Job::PositionsTopic(_)
                | Job::Timeline
                | Job::Changes
                | Job::Corrections
                | Job::TimelineYear(_)
                | Job::Sources
                | Job::SourceLetter(..)
        )
    }

    /// The site path of a page that belongs in the sitemap and in navigation.
    pub(crate) fn site_path(self, site: &Site) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(match self {
            Job::SectionPage(i, n) => return Some(paged_path(&site.sections[i].path, n).into()),
            Job::TagPage(i, n) => return Some(paged_path(&site.tags[i].path, n).into()),
            Job::TimelineYear(y) => return Some(format!("timeline/{y}/").into()),
            Job::SourceLetter(c, n) => return Some(source_letter_path(c, n).into()),
            Job::PositionsTopic(i) => return Some(positions_topic_path(&site.pages[i].id).into()),
            Job::Page(i) => &site.pages[i].path,
            Job::Section(i) => &site.sections[i].path,
            Job::TagList => "tags/",
            Job::Tag(i) => &site.tags[i].path,
            Job::Positions => "positions/",
            Job::Timeline => "timeline/",
            Job::Changes => "changes/",
            Job::Corrections => "corrections/",
            Job::Sources => "sources/",
            Job::Search => "search/",
            _ => return None,
        }))
    }

    /// What makes it, for messages: a file when one does (`content/a.md`), else a description.
    pub(crate) fn origin(self, site: &Site) -> String {
        match self {
            Job::Page(i) => display_path(&site.pages[i].source.path),
            Job::Section(i) => match &site.sections[i].index {
                Some(ix) => display_path(&ix.path),
                None => format!("the section listing for content/{}", site.sections[i].dir),
            },
            Job::SectionPage(i, n) => format!(
                "page {n} of the listing of content/{}",
                site.sections[i].dir
            ),
            Job::TagPage(i, n) => format!("page {n} of the tag `{}`", site.tags[i].name),
            Job::TagList => "the tag list".into(),
            Job::Tag(i) => format!("the page of tag `{}`", site.tags[i].name),
            Job::Positions => "the positions matrix".into(),
            Job::PositionsTopic(i) => format!("the positions on topic `{}`", site.pages[i].id),
            Job::Timeline => "the timeline".into(),
            Job::Changes => "the list of changes".into(),
            Job::Corrections => "the list of corrections".into(),
            Job::TimelineYear(y) => format!("the timeline of {y}"),
            Job::Sources => "the source list".into(),
            Job::SourceLetter(c, 1) => format!("the source list's letter {}", letters::label(c)),
            Job::SourceLetter(c, n) => {
                format!("page {n} of the source list's letter {}", letters::label(c))
            }
            Job::Search => "the search page".into(),
            Job::NotFound => "the 404 page".into(),
            Job::Alias(i) => format!(
                "alias in {}",
                display_path(&site.pages[site.aliases[i].page].source.path)
            ),
            Job::Robots => "robots.txt".into(),
            Job::Sitemap => "the sitemap".into(),
            Job::Feed => "the Atom feed".into(),
            Job::Calendar => "the calendar".into(),
            Job::Export => "the JSON export".into(),
            Job::SearchIndex => "the search index".into(),
            Job::SearchTerms(i) => format!("the search index's term shard {i}"),
            Job::SearchDocs(j) => format!("the search index's document shard {j}"),
            Job::Copy(i) => display_path(&site.copies[i].file.origin),
            Job::Compare(i, e) => format!(
                "the parallel view of {} in `{}`",
                display_path(&site.pages[i].source.path),
                site.config.languages.get(e).map_or("", |l| l.code.as_str())
            ),
        }
    }
}

/// One file the build writes.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    /// Output path, relative, `/`-separated (`talks/x/index.html`).
    pub(crate) path: String,
    pub(crate) job: Job,
}

/// Every output of `site`, in the order they are rendered: pages, then listings (the longest
/// jobs first), then the source list (it lists who cites what), then publishing files and copies.
pub(crate) fn plan(site: &Site) -> Vec<Planned> {
    let b = &site.briefing;
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    jobs.extend((0..site.sections.len()).map(Job::Section));
    for i in 0..site.sections.len() {
        jobs.extend((2..=section_pages(site, i)).map(|n| Job::SectionPage(i, n)));
    }
    if !site.tags.is_empty() {
        jobs.push(Job::TagList);
        jobs.extend((0..site.tags.len()).map(Job::Tag));
        for t in 0..site.tags.len() {
            let n = listing_pages(site.tags[t].pages.len(), site.config.paginate_by);
            jobs.extend((2..=n).map(|n| Job::TagPage(t, n)));
        }
    }
    if !b.parties().is_empty() && !b.topics().is_empty() {
        jobs.push(Job::Positions);
        jobs.extend(positions_topics(site).into_iter().map(Job::PositionsTopic));
    }
    if !b.timeline.is_empty() {
        jobs.push(Job::Timeline);
        jobs.extend(timeline_years(site).into_iter().map(Job::TimelineYear));
    }
    jobs.push(Job::Changes);
    jobs.push(Job::Corrections);
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    if !b.sources.is_empty() {
        jobs.push(Job::Sources);
        let layout = &b.source_pages;
        jobs.extend(layout.all_pages().map(|(c, n)| Job::SourceLetter(c, n)));
    }
    // One `robots.txt` and one sitemap for the whole site, at its root.
    let root = site.config.edition == 0;
    if root {
        jobs.push(Job::Robots);
    }
    if site.config.base_url.is_some() {
        if root {
            jobs.push(Job::Sitemap);
        }
        jobs.push(Job::Feed);
    }
    if !b.talks().is_empty() {
        jobs.push(Job::Calendar);
    }
    if !b.is_empty() {
        jobs.push(Job::Export);
    }
    jobs.push(Job::SearchIndex);
    let layout = SearchLayout::for_docs(jobs.iter().filter(|j| j.is_indexed()).count());
    jobs.extend((0..layout.terms).map(Job::SearchTerms));
    jobs.extend((0..layout.docs).map(Job::SearchDocs));
    // Static files once, at the root; files beside pages in every edition (its pages link them).
    jobs.extend(
        (0..site.copies.len())
            .filter(|&i| copied_here(site, &site.copies[i]))
            .map(Job::Copy),
    );
    if root {
        for e in 1..site.config.languages.len() {
            jobs.extend(b.talks().values().map(|&i| Job::Compare(i, e)));
        }
    }
    jobs.into_iter()
        .map(|job| Planned {
            path: output_path(site, job),
            job,
        })
        .collect()
}

/// Whether this edition writes copied file `c`: static files are written once, at the root
/// (every edition links them there); files beside pages in every edition (its pages link them).
pub(crate) fn copied_here(site: &Site, c: &crate::model::Copy) -> bool {
    site.config.edition == 0 || c.file.origin.starts_with("content")
}

fn output_path(site: &Site, job: Job) -> String {
    match job {
        Job::NotFound => "404.html".into(),
        Job::Alias(i) => site.aliases[i].output.clone(),
        Job::Robots => "robots.txt".into(),
        Job::Sitemap => "sitemap.xml".into(),
        Job::Feed => "atom.xml".into(),
        Job::Calendar => "calendar.ics".into(),
        Job::Export => "briefing.json".into(),
        Job::SearchIndex => "search-index.json".into(),
        Job::SearchTerms(i) => format!("search/terms-{i}.json"),
        Job::SearchDocs(j) => format!("search/docs-{j}.json"),
        Job::Copy(i) => site.copies[i].written.clone(),
        Job::Compare(i, e) => format!(
            "{}compare/{}-{}/index.html",
            site.pages[i].path,
            site.config.language,
            site.config.languages.get(e).map_or("", |l| l.code.as_str())
        ),
        page => urls::output_file(&page.site_path(site).unwrap_or_default()),
    }
}

/// How many pages a listing of `entries` entries takes at `paginate_by` a page (at least one;
/// `0` puts every entry on one page).
pub(crate) fn listing_pages(entries: usize, paginate_by: usize) -> usize {
    match paginate_by {
        0 => 1,
        by => entries.div_ceil(by).max(1),
    }
}

/// How many pages section `i`'s listing takes. The front page of a briefing shows the briefing,
/// not a listing: one page.
pub(crate) fn section_pages(site: &Site, i: usize) -> usize {
    let s = &site.sections[i];
    if s.dir.is_empty() && !site.briefing.is_empty() {
        return 1;
    }
    listing_pages(s.pages.len(), site.config.paginate_by)
}

/// The entries (indexes into `list`) page `n` (from 1) of a listing shows.
pub(crate) fn page_range(len: usize, paginate_by: usize, n: usize) -> std::ops::Range<usize> {
    if paginate_by == 0 {
        return 0..len;
    }
    let start = (n.saturating_sub(1) * paginate_by).min(len);
    start..(start + paginate_by).min(len)
}

/// Whether the timeline is split into year pages: it has more than `split_above` events
/// (`0`: never split).
pub(crate) fn timeline_split(site: &Site) -> bool {
    splits(site.briefing.timeline.len(), site.config.split_above)
}

/// Whether a list of `n` entries is split at `split_above` (`0`: never).
pub(crate) fn splits(n: usize, split_above: usize) -> bool {
    split_above > 0 && n > split_above
}

/// The years of a split timeline's year pages, in order (none when it is not split).
pub(crate) fn timeline_years(site: &Site) -> Vec<i16> {
    if !timeline_split(site) {
        return Vec::new();
    }
    let mut years: Vec<i16> = site
        .briefing
        .timeline
        .iter()
        .map(|e| e.date.start().year())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Whether the source list is split into letter pages: it has more than `split_above` sources
/// (`0`: never split).
pub(crate) fn sources_split(site: &Site) -> bool {
    splits(site.briefing.sources.len(), site.config.split_above)
}

/// The site path of page `n` (from 1) of letter `c` of a split source list.
pub(crate) fn source_letter_path(c: char, n: usize) -> String {
    paged_path(&format!("sources/{}/", letters::slug(c)), n)
}

/// The topics of the positions matrix (page indexes, in id order), each with how many
/// parties hold a position on it: the topics at least one party has a position on.
pub(crate) fn matrix_topics(site: &Site) -> Vec<(usize, usize)> {
    let b = &site.briefing;
    let mut holders: HashMap<&str, usize> = HashMap::new();
    for &i in b.parties().values() {
        if let crate::load::records::Front::Party(f) = &site.pages[i].source.front {
            let mut topics: Vec<&str> = f.positions.iter().map(|p| p.topic.as_str()).collect();
            topics.sort_unstable();
            topics.dedup();
            for t in topics {
                *holders.entry(t).or_default() += 1;
            }
        }
    }
    b.topics()
        .iter()
        .filter_map(|(id, &i)| holders.get(id.as_str()).map(|&n| (i, n)))
        .collect()
}

/// How many parties the positions matrix has columns for: those with a position.
fn matrix_parties(site: &Site) -> usize {
    site.briefing
        .parties()
        .values()
        .filter(|&&i| {
            matches!(&site.pages[i].source.front,
                crate::load::records::Front::Party(f) if !f.positions.is_empty())
        })
        .count()
}

/// Whether the positions matrix is split into a page a topic: it has more than `split_above`
/// cells (topics with a position × parties with a position; `0`: never split).
pub(crate) fn positions_split(site: &Site) -> bool {
    let by = site.config.split_above;
    by > 0 && {
        let topics = matrix_topics(site).len();
        topics > 0 && splits(topics.saturating_mul(matrix_parties(site)), by)
    }
}

/// The topics (page indexes, in id order) of a split positions matrix's topic pages (none
/// when it is not split).
pub(crate) fn positions_topics(site: &Site) -> Vec<usize> {
    if !positions_split(site) {
        return Vec::new();
    }
    matrix_topics(site).into_iter().map(|(i, _)| i).collect()
}

/// The site path of topic `id`'s page of a split positions matrix.
pub(crate) fn positions_topic_path(id: &str) -> String {
    format!("positions/{id}/")
}

/// Site path of page `n` of the listing at `path`: page 1 is the listing's own address, page
/// N ≥ 2 is `<path>page/N/`.
pub(crate) fn paged_path(path: &str, n: usize) -> String {
    if n <= 1 {
        path.to_string()
    } else {
        format!("{path}page/{n}/")
    }
}

/// Documents per shard of the search index's documents.
pub(crate) const SEARCH_CHUNK: usize = 16;

/// How many shards of each family the search index has, fixed by how many pages it holds
/// (so the plan knows every file before anything renders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SearchLayout {
    pub(crate) terms: usize,
    pub(crate) docs: usize,
}

impl SearchLayout {
    /// One term shard per 32 documents (a power of two, at most 512); one document shard per
    /// [`SEARCH_CHUNK`] documents. Up to 63 pages have one term shard.
    pub(crate) fn for_docs(n: usize) -> SearchLayout {
        SearchLayout {
            terms: (n / 32).max(1).next_power_of_two().min(512),
            docs: n.div_ceil(SEARCH_CHUNK).max(1),
        }
    }
}

/// Longest file or folder name most file systems take, in bytes.
const MAX_NAME: usize = 255;

/// Two outputs at one path, a file where another output needs a folder, or a name too long
/// for the file system: errors naming what makes each output, found before anything is
/// written.
pub(crate) fn check_collisions(site: &Site, plan: &[Planned], diags: &mut Diagnostics) {
    // Located in the first of the two that a file of the site makes, at what makes its path.
    let in_file = |d: Diagnostic, jobs: [Job; 2]| match jobs.into_iter().find(|j| {
        let o = j.origin(site);
        matches!(j, Job::Alias(_)) || o.starts_with("content") || o.starts_with("static")
    }) {
        Some(job) => locate(site, job, d),
        None => d,
    };
    let files: HashMap<&str, Job> = plan.iter().map(|p| (p.path.as_str(), p.job)).collect();
    for p in plan {
        if let Some(name) = p.path.split('/').find(|n| n.len() > MAX_NAME) {
            let origin = p.job.origin(site);
            diags.push(in_file(
                Diagnostic::new(Code::OutputClash, format!(
                    "{origin} writes a file or folder name of {} bytes (`{}…`); file systems take at most {MAX_NAME}",
                    name.len(),
                    name.chars().take(40).collect::<String>()
                ))
                .hint("shorten the file name, or give the page a shorter `slug:`"),
                [p.job, p.job],
            ));
        }
        // Every folder the output goes in must not be another output's file.
        let mut end = 0;
        while let Some(i) = p.path[end..].find('/') {
            end += i;
            if let Some(&job) = files.get(&p.path[..end]) {
                let (first, origin) = (job.origin(site), p.job.origin(site));
                diags.push(in_file(
                    Diagnostic::new(Code::OutputClash, format!(
                        "{first} writes the file `{}`, but {origin} needs a folder of that name for `{}`",
                        &p.path[..end],
                        p.path
                    ))
                    .hint("rename one of them"),
                    [p.job, job],
                ));
            }
            end += 1;
        }
    }
    let mut seen: HashMap<&str, Job> = HashMap::with_capacity(plan.len());
    for p in plan {
        let Some(&first_job) = seen.get(p.path.as_str()) else {
            seen.insert(&p.path, p.job);
            continue;
        };
        let (first, origin) = (first_job.origin(site), p.job.origin(site));
        let d = Diagnostic::new(
            Code::OutputClash,
            format!("{first} and {origin} both write `{}`", p.path),
        )
        .hint("rename one of them, or give a page a different `slug:`");
        diags.push(in_file(d, [p.job, first_job]));
    }
}

/// The editions' outputs against each other: the folder of each further edition (`uk/`)
/// is its own, so no output of the default edition may be written in it.
pub(crate) fn check_editions(sites: &[Site], diags: &mut Diagnostics) {
    let Some(first) = sites.first() else {
        return;
    };
    for l in first.config.languages.iter().skip(1) {
        let prefix = format!("{}/", l.code);
        for p in &first.outputs {
            if p.path.starts_with(&prefix) || p.path == l.code {
                let origin = p.job.origin(first);
                let d = Diagnostic::new(
                    Code::OutputClash,
                    format!(
                        "{origin} writes `{}`, in the folder of the `{}` edition",
                        p.path, l.code
                    ),
                )
                .hint(format!(
                    "`{prefix}` holds the `{}` edition; rename the folder or give the page another `slug:`",
                    l.code
                ));
                diags.push(match p.job {
                    Job::Page(_) | Job::Alias(_) | Job::Section(_) | Job::Copy(_) => {
                        locate(first, p.job, d)
                    }
                    _ => d,
                });
            }
        }
    }
}

/// `d` placed in the file that makes `job`'s output, at what decides its path: the page's
/// `slug:` or alias line, else line 1 (the path comes from the file's name). A copied file
/// is named without a line.
fn locate(site: &Site, job: Job, d: Diagnostic) -> Diagnostic {
    let page = match job {
        Job::Page(i) => &site.pages[i].source,
        Job::Alias(i) => &site.pages[site.aliases[i].page].source,
        Job::Section(i) => match &site.sections[i].index {
            Some(ix) => ix,
            None => return d,
        },
        Job::Copy(i) => return d.in_file(site.copies[i].file.origin.clone()),
        _ => return d,
    };
    let text = &page.text;
    let front = &text[..page.split.yaml_end.min(text.len())];
    let value = match job {
        Job::Alias(i) => page
            .front
            .common()
            .aliases
            .iter()
            .find(|a| urls::alias_output(a).as_deref() == Some(site.aliases[i].output.as_str()))
            .map(String::as_str),
        Job::Page(_) => page.front.common().slug,
        _ => None,
    };
    let d = d.in_file(page.path.clone());
    match value.and_then(|v| crate::load::records::locate_value(front, v, 0).map(|o| (o, v))) {
        Some((offset, v)) => d.at_offset(text, offset).span(v.chars().count()),
        None => d.at(text, 1, 1),
    }
}
