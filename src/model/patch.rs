//! Patching a resolved site in place after an edit of generic pages' front matter.
//!
//! [`super::resolve`] goes over every page; after an edit of one page's title or tags that is
//! most of the time an edit takes. When every edited file is a generic page (not a record, not
//! an `_index.md`) that keeps its address, draft state, aliases, template and (unless `as_of`
//! fixes the briefing's "now") its dates, and whose tags all exist already, the site can be
//! brought up to date by replacing the pages and re-sorting only the section and tags they are
//! in. [`patch`] does that and says what it touched, or declines (changing nothing), and the
//! caller resolves the whole site as usual. Both ways give the same site (tested in
//! `tests/incremental.rs` against a clean build).

use std::sync::Arc;

use crate::load::SourcePage;
use crate::load::kinds::Front;

use super::{Site, listing_key, urls};

/// What [`patch`] changed.
#[derive(Debug, Default)]
pub(crate) struct Patched {
    /// The pages replaced (indexes into [`Site::pages`]).
    pub(crate) pages: Vec<usize>,
    /// Sections whose page order changed.
    pub(crate) sections: Vec<usize>,
    /// Tags whose pages, order or name changed.
    pub(crate) tags: Vec<usize>,
    /// Tags whose name changed (pages that carry them show it).
    pub(crate) renamed_tags: Vec<usize>,
    /// A tag's count or name changed (the tag list shows them).
    pub(crate) tag_list: bool,
}

/// The tag index (into `site.tags`) of each tag `front` gives, deduplicated and sorted, or `None`
/// when one is not a tag the site has (a new tag adds a page: the caller resolves in full).
fn tag_indexes(site: &Site, front: &Front) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for name in front.common().tags {
        let slug = urls::slugify(name);
        let t = site
            .tags
            .binary_search_by(|t| t.slug.as_str().cmp(&slug))
            .ok()?;
        out.push(t);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// Replace the pages `edited` stands for with their new versions, if the edit can be applied
/// without resolving the site again (see the module comment). `None`: nothing was changed.
pub(crate) fn patch(site: &mut Site, edited: &[Arc<SourcePage>]) -> Option<Patched> {
    // Check everything first: a refusal must leave the site as it was.
    let mut plan: Vec<(usize, Vec<usize>, &Arc<SourcePage>)> = Vec::with_capacity(edited.len());
    for new in edited {
        let i = site
            .pages
            .binary_search_by(|p| p.source.rel.as_str().cmp(&new.rel))
            .ok()?;
        if plan.iter().any(|(j, _, _)| *j == i) {
            return None;
        }
        let old = &site.pages[i].source;
        if !matches!(old.front, Front::Page(_)) || !matches!(new.front, Front::Page(_)) {
            return None;
        }
        let (o, n) = (old.front.common(), new.front.common());
        let dates_fixed =
            site.config.as_of.is_some() || (o.date == n.date && o.updated == n.updated);
        if o.slug != n.slug
            || o.draft != n.draft
            || o.aliases != n.aliases
            || o.template != n.template
            || o.authors != n.authors
            || super::trust::editorial(&old.front) != super::trust::editorial(&new.front)
            || !dates_fixed
        {
            return None;
        }
        let tags = tag_indexes(site, &new.front)?;
        plan.push((i, tags, new));
    }
    // A tag must keep at least one page (an emptied tag's page goes away).
    for t in 0..site.tags.len() {
        let left = site.tags[t]
            .pages
            .iter()
            .filter(|p| !plan.iter().any(|(i, _, _)| i == *p))
            .count();
        let added = plan.iter().filter(|(_, tags, _)| tags.contains(&t)).count();
        if left + added == 0 {
            return None;
        }
        // A tag whose listing takes another number of pages changes the site's outputs.
        let by = site.config.paginate_by;
        if super::outputs::listing_pages(left + added, by)
            != super::outputs::listing_pages(site.tags[t].pages.len(), by)
        {
            return None;
        }
    }

    let mut patched = Patched::default();
    let mut sections: Vec<usize> = Vec::new();
    let mut tags: Vec<usize> = Vec::new();
    let mut joined_or_left: Vec<usize> = Vec::new();
    for (i, new_tags, new) in plan {
        site.pages[i].source = new.clone();
        let old_tags = std::mem::replace(&mut site.pages[i].tags, new_tags.clone());
        for &t in &old_tags {
            if !new_tags.contains(&t) {
                site.tags[t].pages.retain(|&p| p != i);
                joined_or_left.push(t);
            }
        }
        for &t in &new_tags {
            if !old_tags.contains(&t) {
                site.tags[t].pages.push(i);
                joined_or_left.push(t);
            }
        }
        tags.extend(old_tags.iter().chain(&new_tags));
        sections.push(site.pages[i].section);
        patched.pages.push(i);
    }
    sections.sort_unstable();
    sections.dedup();
    tags.sort_unstable();
    tags.dedup();

    // Listing order, as `resolve` gives it, for the lists the pages are in.
    let Site {
        pages,
        sections: all_sections,
        tags: all_tags,
        ..
    } = site;
    // The other pages kept their keys, so their order: the edited ones are taken out and put
    // back in where their new keys go (a list keeps its length, so pages stay once each).
    let edited: Vec<usize> = patched.pages.clone();
    let sort = |list: &mut Vec<usize>| -> bool {
        let before = list.clone();
        let mut mine: Vec<usize> = list
            .iter()
            .copied()
            .filter(|p| edited.contains(p))
            .collect();
        mine.sort_by(|&a, &b| listing_key(&pages[a]).cmp(&listing_key(&pages[b])));
        list.retain(|p| !edited.contains(p));
        for p in mine {
            let key = listing_key(&pages[p]);
            let at = list.partition_point(|&q| listing_key(&pages[q]) <= key);
            list.insert(at, p);
        }
        *list != before
    };
    for s in sections {
        if sort(&mut all_sections[s].pages) {
            patched.sections.push(s);
        }
    }
    for t in tags {
        let tag = &mut all_tags[t];
        let moved = sort(&mut tag.pages);
        // The name is the spelling of the first page (in content order) that has the tag
        // (every tag kept a page, checked above, and each of its pages spells it).
        let name = tag
            .pages
            .iter()
            .copied()
            .min()
            .and_then(|first| spelling_in(pages, first, &tag.slug));
        let renamed = name.is_some_and(|n| *n != tag.name);
        if let Some(name) = name.filter(|_| renamed) {
            tag.name = name.clone();
            patched.tag_list = true;
            patched.renamed_tags.push(t);
        }
        let joined = joined_or_left.contains(&t);
        patched.tag_list |= joined;
        if moved || renamed || joined {
            patched.tags.push(t);
        }
    }
    Some(patched)
}

/// How page `p` spells the tag with `slug` (its first spelling of it).
fn spelling_in<'a>(pages: &'a [super::Page], p: usize, slug: &str) -> Option<&'a String> {
    pages[p]
        .source
        .front
        .common()
        .tags
        .iter()
        .find(|n| urls::slugify(n) == slug)
}
