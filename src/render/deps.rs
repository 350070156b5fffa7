//! What each output read, and what an edit changed.
//!
//! While a job renders, every read of something another file owns is noted ([`read`]): a
//! record looked up by id, the set of records of a kind iterated over, a page's listing entry,
//! a section's or tag's page list, the timeline, the source registry, an `@/` link target, a
//! template. A job runs on one thread from start to end (no job waits on another), so the
//! notes go to a thread-local list that [`recording`] collects. After an edit, [`diff`]
//! compares the old and new resolved sites and lists the [`Dep`]s that changed; an output is
//! rendered again exactly when one of its reads is among them.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::load::kinds::Kind;
use crate::model::Site;

/// One thing an output read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Dep {
    /// A page's whole file, front matter and body (its own page reads it).
    Source(Arc<str>),
    /// A record's front matter, read from another output (content path).
    Record(Arc<str>),
    /// What a listing shows of a page: title, date, summary, address.
    Listing(Arc<str>),
    /// The set of records of a kind and each one's front matter.
    Kind(Kind),
    /// Which records reference this one (content path).
    Backlinks(Arc<str>),
    /// A section's page list, order, title, subsections and `_index.md` (its folder).
    Section(String),
    /// A tag's page list and name (its slug).
    Tag(String),
    /// A tag's name (the first spelling of it, in content order), as pages that carry it show it.
    TagName(String),
    /// Every tag and its count.
    TagList,
    /// The timeline's events.
    Timeline,
    /// The source registry.
    Sources,
    /// Where an `@/` link leads (the content path written after `@/`).
    Link(String),
    /// A template, by name.
    Template(String),
}

thread_local! {
    static READS: RefCell<Option<Vec<Dep>>> = const { RefCell::new(None) };
    /// The kinds the running job has read whole (bit `kind as usize`): a record of such a kind
    /// need not be noted on its own (a person's page goes through every talk).
    static KINDS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Note that the job running on this thread read `dep` (nothing happens outside [`recording`]).
pub(crate) fn read(dep: Dep) {
    if let Dep::Kind(k) = dep {
        KINDS.with(|b| b.set(b.get() | 1 << (k as u64)));
    }
    READS.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.push(dep);
        }
    });
}

/// Note that the running job looked up a record of `kind` (content path `key`), unless it has
/// read the whole kind already.
pub(crate) fn read_record(kind: Kind, key: Arc<str>) {
    if KINDS.with(|b| b.get() & (1 << (kind as u64)) == 0) {
        read(Dep::Record(key));
    }
}

/// Run `f`, collecting what it [`read`].
pub(crate) fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Dep>) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let outer_kinds = KINDS.with(|b| b.replace(0));
    let out = f();
    KINDS.with(|b| b.set(outer_kinds));
    let mut reads = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    let mut reads = reads.take().unwrap_or_default();
    reads.sort_unstable_by(|a, b| format_key(a).cmp(&format_key(b)));
    reads.dedup();
    (out, reads)
}

/// [`recording`] when `keep`; otherwise `f` runs with nothing noted (its reads are dropped
/// as they are made) and the list is empty: for a render whose state no edit will update.
pub(crate) fn recording_if<T>(keep: bool, f: impl FnOnce() -> T) -> (T, Vec<Dep>) {
    if keep {
        return recording(f);
    }
    let outer = READS.with(|r| r.borrow_mut().take());
    let outer_kinds = KINDS.with(|b| b.replace(0));
    let out = f();
    KINDS.with(|b| b.set(outer_kinds));
    READS.with(|r| *r.borrow_mut() = outer);
    (out, Vec::new())
}

fn format_key(d: &Dep) -> (u8, &str) {
    match d {
        Dep::Source(s) => (0, s),
        Dep::Record(s) => (1, s),
        Dep::Listing(s) => (2, s),
        Dep::Kind(k) => (3, k.decl().one),
        Dep::Backlinks(s) => (4, s),
        Dep::Section(s) => (5, s),
        Dep::Tag(s) => (6, s),
        Dep::TagName(s) => (12, s),
        Dep::TagList => (7, ""),
        Dep::Timeline => (8, ""),
        Dep::Sources => (9, ""),
        Dep::Link(s) => (10, s),
        Dep::Template(s) => (11, s),
    }
}

/// Note the `@/` link targets written in `text` (an over-approximation: every `@/…` token).
pub(crate) fn read_links(text: &str) {
    for i in memchr::memmem::find_iter(text.as_bytes(), b"@/") {
        let rest = &text[i + 2..];
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || matches!(c, ')' | '#' | '"' | '\'' | ']' | '>' | '<')
            })
            .unwrap_or(rest.len());
        if end > 0 {
            read(Dep::Link(rest[..end].to_string()));
        }
    }
}

/// Every [`Dep`] some output read, numbered once, so that an output keeps its reads as small
/// numbers and the check of thousands of outputs against an edit hashes nothing.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: HashMap<Dep, u32>,
}

impl Interner {
    /// The numbers of `reads`, numbering the new ones.
    pub(crate) fn intern(&mut self, reads: Vec<Dep>) -> Box<[u32]> {
        self.ids.reserve(reads.len());
        reads
            .into_iter()
            .map(|d| {
                let next = self.ids.len() as u32;
                *self.ids.entry(d).or_insert(next)
            })
            .collect()
    }

    /// The numbered form of `changes.deps`, for [`Touched::touches`].
    pub(crate) fn touched(&self, changes: &Changes) -> Touched {
        let mut bits = vec![0u64; self.ids.len() / 64 + 1];
        let mut ids = Vec::new();
        for d in &changes.deps {
            if let Some(&id) = self.ids.get(d) {
                bits[id as usize / 64] |= 1 << (id % 64);
                ids.push(id);
            }
        }
        Touched { bits, ids }
    }
}

/// The changed [`Dep`]s as a set of numbers (see [`Interner`]).
pub(crate) struct Touched {
    bits: Vec<u64>,
    /// The same numbers, as a list.
    ids: Vec<u32>,
}

impl Touched {
    /// Whether an output that read `reads` read something that changed.
    pub(crate) fn touches(&self, reads: &[u32]) -> bool {
        reads.iter().any(|&id| {
            self.bits
                .get(id as usize / 64)
                .is_some_and(|w| w & (1 << (id % 64)) != 0)
        })
    }
}

/// For each numbered [`Dep`], the outputs that read it, by their place in the plan
/// (`Site::outputs`): so an edit finds the outputs it touches without going through all of
/// them. Valid only while the plan stays the same (its owner drops it when the plan may have
/// changed). An output is added to a dep's list when it starts reading it and is not taken off
/// when it stops: a list may name an output that no longer reads the dep, so what
/// [`Readers::of`] gives is to be checked against the output's reads.
#[derive(Debug, Default)]
pub(crate) struct Readers {
    of: Vec<Vec<u32>>,
}

impl Readers {
    /// Note that the output at `place` reads `new`, having read `old` before.
    pub(crate) fn note(&mut self, place: u32, old: &[u32], new: &[u32]) {
        let mut old = old.to_vec();
        old.sort_unstable();
        for &id in new {
            if old.binary_search(&id).is_ok() {
                continue;
            }
            let id = id as usize;
            if self.of.len() <= id {
                self.of.resize_with(id + 1, Vec::new);
            }
            self.of[id].push(place);
        }
    }

    /// The places of the outputs that may have read something in `touched`, in plan order,
    /// each once.
    pub(crate) fn of(&self, touched: &Touched) -> Vec<u32> {
        let mut out: Vec<u32> = touched
            .ids
            .iter()
            .filter_map(|&id| self.of.get(id as usize))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// What changed between two resolved versions of a site.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub(crate) deps: FxHashSet<Dep>,
    /// Something every output reads changed (settings, navigation, data files, "now", the
    /// asset names): render everything.
    pub(crate) everything: bool,
    /// Pages were added or removed, or moved: the set of output paths may differ.
    pub(crate) structure: bool,
    /// Content paths of pages whose file changed (their bodies are rendered again).
    pub(crate) pages: FxHashSet<Arc<str>>,
}

/// Compare the old and new site: which [`Dep`]s differ.
pub(crate) fn diff(old: &Site, new: &Site) -> Changes {
    let mut c = Changes::default();
    if old.config != new.config
        || old.data != new.data
        || old.locales.files() != new.locales.files()
    {
        c.everything = true;
        return c;
    }
    // Templates.
    let old_t: HashMap<&str, &str> = old
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.text.as_str()))
        .collect();
    let new_t: HashMap<&str, &str> = new
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.text.as_str()))
        .collect();
    for (name, text) in &new_t {
        if old_t.get(name) != Some(text) {
            c.deps.insert(Dep::Template(name.to_string()));
        }
    }
    for name in old_t.keys() {
        if !new_t.contains_key(name) {
            c.deps.insert(Dep::Template(name.to_string()));
        }
    }

    // Pages, by content path.
    let old_p: HashMap<&str, usize> = old
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.rel.as_str(), i))
        .collect();
    let new_p: HashMap<&str, usize> = new
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.rel.as_str(), i))
        .collect();
    let whole = |c: &mut Changes, rel: &str, kind: Option<Kind>| {
        let key: Arc<str> = Arc::from(rel);
        c.deps.insert(Dep::Source(key.clone()));
        c.deps.insert(Dep::Record(key.clone()));
        c.deps.insert(Dep::Listing(key.clone()));
        c.deps.insert(Dep::Backlinks(key.clone()));
        c.deps.insert(Dep::Link(rel.to_string()));
        if let Some(k) = kind {
            c.deps.insert(Dep::Kind(k));
        }
        c.pages.insert(key);
    };
    for (rel, &i) in &new_p {
        let np = &new.pages[i];
        match old_p.get(rel) {
            None => {
                c.structure = true;
                whole(&mut c, rel, np.source.front.kind());
            }
            Some(&j) => {
                let op = &old.pages[j];
                if op.path != np.path {
                    c.structure = true;
                    whole(&mut c, rel, np.source.front.kind());
                    continue;
                }
                // An edition's page is its translation's text over its original's front matter.
                let same_original = op.source.overlays == np.source.overlays;
                if Arc::ptr_eq(&op.source, &np.source)
                    || (op.source.text == np.source.text && same_original)
                {
                    continue;
                }
                let (o, n) = (&op.source, &np.source);
                let key: Arc<str> = Arc::from(*rel);
                c.pages.insert(key.clone());
                c.deps.insert(Dep::Source(key.clone()));
                if o.text.get(o.split.yaml_start..o.split.yaml_end)
                    != n.text.get(n.split.yaml_start..n.split.yaml_end)
                    || !same_original
                {
                    c.deps.insert(Dep::Record(key.clone()));
                    c.deps.insert(Dep::Listing(key));
                    if let Some(k) = np.source.front.kind() {
                        c.deps.insert(Dep::Kind(k));
                    }
                }
            }
        }
    }
    for (rel, &j) in &old_p {
        if !new_p.contains_key(rel) {
            c.structure = true;
            whole(&mut c, rel, old.pages[j].source.front.kind());
        }
    }

    // Sections: page lists, titles, subsections, index pages.
    /// What a section's listing shows of the section: title, address, pages in order,
    /// subsections, `_index.md`.
    type SectionKey<'a> = (
        &'a str,
        &'a str,
        Vec<&'a str>,
        Vec<(&'a str, &'a str)>,
        Option<&'a str>,
    );
    fn section_key(site: &Site, i: usize) -> SectionKey<'_> {
        let s = &site.sections[i];
        let pages = s
            .pages
            .iter()
            .map(|&p| site.pages[p].source.rel.as_str())
            .collect();
        let subs = s
            .subsections
            .iter()
            .map(|&j| {
                (
                    site.sections[j].title.as_str(),
                    site.sections[j].path.as_str(),
                )
            })
            .collect();
        let index = s.index.as_ref().map(|ix| ix.text.as_str());
        (&s.title, &s.path, pages, subs, index)
    }
    let old_s: BTreeMap<&str, SectionKey<'_>> = (0..old.sections.len())
        .map(|i| (old.sections[i].dir.as_str(), section_key(old, i)))
        .collect();
    let new_s: BTreeMap<&str, SectionKey<'_>> = (0..new.sections.len())
        .map(|i| (new.sections[i].dir.as_str(), section_key(new, i)))
        .collect();
    if old_s.keys().ne(new_s.keys()) {
        // A folder came or went: navigation may change.
        c.everything = true;
        return c;
    }
    for (dir, key) in &new_s {
        if old_s.get(dir) != Some(key) {
            c.deps.insert(Dep::Section(dir.to_string()));
        }
    }

    // Tags.
    fn tag_key(site: &Site, i: usize) -> (String, Vec<&str>) {
        let t = &site.tags[i];
        let pages: Vec<&str> = t
            .pages
            .iter()
            .map(|&p| site.pages[p].source.rel.as_str())
            .collect();
        (t.name.clone(), pages)
    }
    let old_g: BTreeMap<&str, _> = (0..old.tags.len())
        .map(|i| (old.tags[i].slug.as_str(), tag_key(old, i)))
        .collect();
    let new_g: BTreeMap<&str, _> = (0..new.tags.len())
        .map(|i| (new.tags[i].slug.as_str(), tag_key(new, i)))
        .collect();
    if old_g.keys().ne(new_g.keys()) {
        c.structure = true;
    }
    for (slug, key) in new_g.iter() {
        match old_g.get(slug) {
            Some(old) if old == key => {}
            Some(old) => {
                c.deps.insert(Dep::Tag(slug.to_string()));
                if old.0 != key.0 {
                    c.deps.insert(Dep::TagName(slug.to_string()));
                }
                if old.0 != key.0 || old.1.len() != key.1.len() {
                    c.deps.insert(Dep::TagList);
                }
            }
            None => {
                c.deps.insert(Dep::Tag(slug.to_string()));
                c.deps.insert(Dep::TagList);
            }
        }
    }
    if old_g.keys().any(|k| !new_g.contains_key(k)) {
        c.deps.insert(Dep::TagList);
    }

    // Briefing-wide facts.
    let (ob, nb) = (&old.briefing, &new.briefing);
    if ob.now != nb.now || ob.latest_talk != nb.latest_talk || ob.next_talk != nb.next_talk {
        c.everything = true;
        return c;
    }
    if ob.talk_order != nb.talk_order {
        c.deps.insert(Dep::Kind(Kind::Talk));
    }
    if ob.timeline != nb.timeline {
        c.deps.insert(Dep::Timeline);
    }
    if ob.sources != nb.sources {
        c.deps.insert(Dep::Sources);
    }
    fn by_rels(site: &Site) -> BTreeMap<&str, Vec<&str>> {
        site.briefing
            .referenced_by
            .iter()
            .map(|(&t, by)| {
                (
                    site.pages[t].source.rel.as_str(),
                    by.iter()
                        .map(|&i| site.pages[i].source.rel.as_str())
                        .collect(),
                )
            })
            .collect()
    }
    let (obl, nbl) = (by_rels(old), by_rels(new));
    for (rel, by) in &nbl {
        if obl.get(rel) != Some(by) {
            c.deps.insert(Dep::Backlinks(Arc::from(*rel)));
        }
    }
    for rel in obl.keys() {
        if !nbl.contains_key(rel) {
            c.deps.insert(Dep::Backlinks(Arc::from(*rel)));
        }
    }

    // Where `@/` links lead (an anchor with a place of its own, `sources.yaml#src-x`, is read
    // as its file's link).
    let link = |k: &str| Dep::Link(k.split_once('#').map_or(k, |(f, _)| f).to_string());
    for (k, v) in &new.link_targets {
        if old.link_targets.get(k) != Some(v) {
            c.deps.insert(link(k));
        }
    }
    for k in old.link_targets.keys() {
        if !new.link_targets.contains_key(k) {
            c.deps.insert(link(k));
        }
    }

    // Copied files: fingerprinted names are in every page.
    let names = |site: &Site| -> Vec<(String, String)> {
        site.copies
            .iter()
            .filter(|c| c.written != c.output)
            .map(|c| (c.output.clone(), c.written.clone()))
            .collect()
    };
    if names(old) != names(new) {
        c.everything = true;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_reads_are_touched_by_exactly_the_changed_deps() {
        let mut interner = Interner::default();
        let page = interner.intern(vec![Dep::Timeline, Dep::Tag("a".into())]);
        let other = interner.intern(vec![Dep::Sources, Dep::Tag("b".into())]);
        let many: Vec<Dep> = (0..200).map(|i| Dep::Link(format!("n{i}.md"))).collect();
        let links = interner.intern(many);
        assert_eq!(page.len(), 2);
        let mut changes = Changes::default();
        changes.deps.insert(Dep::Tag("a".into()));
        // Never read by any output: no number, touches nothing.
        changes.deps.insert(Dep::Tag("z".into()));
        let t = interner.touched(&changes);
        assert!(t.touches(&page));
        assert!(!t.touches(&other));
        assert!(!t.touches(&links));
        changes.deps.insert(Dep::Link("n199.md".into()));
        assert!(interner.touched(&changes).touches(&links));
        // Reads met again keep their numbers.
        assert_eq!(interner.intern(vec![Dep::Timeline]), page[..1].into());
    }

    #[test]
    fn readers_name_every_output_that_reads_a_changed_dep() {
        let mut interner = Interner::default();
        let a = interner.intern(vec![Dep::Timeline, Dep::Tag("a".into())]);
        let b = interner.intern(vec![Dep::Sources, Dep::Tag("a".into())]);
        let c = interner.intern(vec![Dep::Sources]);
        let c2 = interner.intern(vec![Dep::Sources, Dep::Timeline]);
        let mut readers = Readers::default();
        readers.note(0, &[], &a);
        readers.note(5, &[], &b);
        readers.note(2, &[], &c);
        let touched = |deps: &[Dep]| {
            let mut changes = Changes::default();
            changes.deps.extend(deps.iter().cloned());
            interner.touched(&changes)
        };
        assert_eq!(readers.of(&touched(&[Dep::Tag("a".into())])), [0, 5]);
        assert_eq!(
            readers.of(&touched(&[Dep::Sources, Dep::Timeline])),
            [0, 2, 5]
        );
        assert!(readers.of(&touched(&[Dep::TagList])).is_empty());
        // Output 2 now reads the timeline too: found by it, once.
        readers.note(2, &c, &c2);
        readers.note(2, &c2, &c2);
        assert_eq!(readers.of(&touched(&[Dep::Timeline])), [0, 2]);
        assert_eq!(
            readers.of(&touched(&[Dep::Timeline, Dep::Sources])),
            [0, 2, 5]
        );
    }

    #[test]
    fn recording_collects_reads_once_each_and_nothing_outside() {
        read(Dep::Timeline);
        let ((), reads) = recording(|| {
            read(Dep::Sources);
            read(Dep::Kind(Kind::Person));
            read(Dep::Sources);
            read_links("see [x](@/people/a.md#bio) and @/notes/b.md.");
        });
        assert_eq!(
            reads,
            vec![
                Dep::Kind(Kind::Person),
                Dep::Sources,
                Dep::Link("notes/b.md.".into()),
                Dep::Link("people/a.md".into()),
            ]
        );
        let ((), none) = recording(|| ());
        assert!(none.is_empty());
    }

    #[test]
    fn recording_if_not_kept_notes_nothing_and_leaves_the_outer_recording_alone() {
        let ((), outer) = recording(|| {
            read(Dep::Timeline);
            let ((), inner) = recording_if(false, || {
                read(Dep::Sources);
                read(Dep::Kind(Kind::Talk));
            });
            assert!(inner.is_empty());
            // The whole kind read inside does not leak out: a record of it is still noted.
            read_record(Kind::Talk, Arc::from("talks/a.md"));
        });
        assert_eq!(
            outer,
            vec![Dep::Record(Arc::from("talks/a.md")), Dep::Timeline]
        );
        let ((), kept) = recording_if(true, || read(Dep::Sources));
        assert_eq!(kept, vec![Dep::Sources]);
    }
}
