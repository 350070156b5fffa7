//! The invariant of rebuilds that follow dependencies: after any sequence of edits, what a
//! kept `Session` (as `serve` and `build --watch` use it) renders is byte-identical to a clean
//! render of the same files, and it fails exactly when a clean build fails. Random sequences of
//! edits of every kind (bodies, titles, tags, summaries, records, timeline and source entries,
//! data files, templates, static files, site.yaml, new, deleted and renamed files) are applied to
//! a briefing site with records, paginated listings (two entries a page), and a timeline,
//! source list and positions matrix split into years, letters and topics, comparing after
//! each step.

mod common;

use std::collections::BTreeSet;

use briefing::build::{BuildOptions, Failure, Session};
use common::{Site, briefing_site};
use proptest::prelude::*;

/// One edit to the fixture site.
#[derive(Debug, Clone)]
enum Edit {
    Body(usize, u8),
    Title(usize, u8),
    Tags(usize, u8),
    Summary(usize, u8),
    /// A note that cites a source (0, 1) or not (2), retitled: the source list shows the
    /// titles of the pages that cite.
    CitingTitle(u8),
    Dated(usize, u8),
    /// The tags of the first page with `alpha` (`notes/a.md`), whose spelling names the tag.
    FirstTags(u8),
    NewNote(usize),
    DeleteNote(usize),
    RenameNote(usize),
    LinkNote(usize, usize),
    RenamePerson(u8),
    RenameParty(u8),
    TalkBody(u8),
    TalkTime(u8),
    Statement(u8),
    Timeline(u8),
    Source(u8),
    Data(u8),
    Template(u8),
    Static(u8),
    SiteTitle(u8),
    Broken(u8),
    /// `site.yaml` with a `uk` edition (0) or without (1).
    Languages(u8),
    /// A translation of a note (0, 1), of the talk (2), or both deleted (3).
    Translation(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..4usize, 0..3u8).prop_map(|(n, v)| Edit::Body(n, v)),
        (0..4usize, 0..3u8).prop_map(|(n, v)| Edit::Title(n, v)),
        (0..4usize, 0..7u8).prop_map(|(n, v)| Edit::Tags(n, v)),
        (0..4usize, 0..3u8).prop_map(|(n, v)| Edit::Dated(n, v)),
        (0..3u8).prop_map(Edit::FirstTags),
        (0..4usize, 0..3u8).prop_map(|(n, v)| Edit::Summary(n, v)),
        (0..3u8).prop_map(Edit::CitingTitle),
        (0..4usize).prop_map(Edit::NewNote),
        (0..4usize).prop_map(Edit::DeleteNote),
        (0..4usize).prop_map(Edit::RenameNote),
        (0..4usize, 0..4usize).prop_map(|(a, b)| Edit::LinkNote(a, b)),
        (0..3u8).prop_map(Edit::RenamePerson),
        (0..3u8).prop_map(Edit::RenameParty),
        (0..3u8).prop_map(Edit::TalkBody),
        (0..3u8).prop_map(Edit::TalkTime),
        (0..3u8).prop_map(Edit::Statement),
        (0..3u8).prop_map(Edit::Timeline),
        (0..5u8).prop_map(Edit::Source),
        (0..2u8).prop_map(Edit::Data),
        (0..3u8).prop_map(Edit::Template),
        (0..3u8).prop_map(Edit::Static),
        (0..2u8).prop_map(Edit::SiteTitle),
        (0..2u8).prop_map(Edit::Broken),
        (0..2u8).prop_map(Edit::Languages),
        (0..4u8).prop_map(Edit::Translation),
    ]
}

fn note(title: &str, tags: &str, summary: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ntags: [{tags}]\n{summary}---\n\n{body}\n")
}

/// The fixture: the common briefing site plus notes with tags, a statement and a data file.
fn fixture() -> Site {
    let site = briefing_site()
        .file(
            "content/statements/terms.md",
            "---\ntitle: Terms\nparty: party-a\nspeaker: jane-doe\ndate: 2025-05-15\ntopics: [ceasefire]\ntalk: round-one\n---\n\nSaid [@src-one] ([entry](@/sources.yaml#src-src-one)).\n",
        )
        .file("content/sources.yaml", sources(0))
        // Three cells of the positions matrix (three topics × one party): split into topics.
        .file(
            "content/parties/mediator.md",
            "---\nname: Mediating State\nkind: state\nroles: [mediator, host]\npositions:\n  \
             - {topic: ceasefire, stance: supports, summary: \"Backs a truce [@src-one].\", as_of: 2025-05-20}\n  \
             - {topic: prisoners, stance: proposes, summary: Proposes an exchange., as_of: 2025-05-21}\n  \
             - {topic: elections, stance: rejects, summary: Not now., as_of: 2025-05-22}\n---\n\nWhy it mediates.\n",
        )
        .file("content/topics/prisoners.md", "---\ntitle: Prisoners\n---\n\nExchanges.\n")
        .file("content/topics/elections.md", "---\ntitle: Elections\n---\n\nWhen to vote.\n")
        .file("content/data/facts.yaml", "count: 1\n")
        // Two entries a listing page: the notes and the tag `alpha` take more than one page,
        // and edits move entries between pages and change how many there are.
        .file(
            "site.yaml",
            "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\npaginate_by: 2\nsplit_above: 2\n",
        )
        .file("static/extra.txt", "one\n");
    for n in 0..2 {
        site.write(
            &format!("content/notes/n{n}.md"),
            note(&format!("Note {n}"), "alpha", "", "## A heading\n\nText."),
        );
    }
    site
}

/// The source registry: four sources on two letters (`split_above: 2` splits it), the letter A
/// on two pages (`paginate_by: 2`: Agency Four and One, then Two); edit `v` changes the first
/// one's publisher (1), moves it to the other letter (2: A is one page), also drops two, so the
/// list is one page again (3), or moves it to the end of its letter (4: each page of A holds
/// other sources, their number unchanged).
fn sources(v: u8) -> String {
    let publisher = match v {
        0 => "Agency One",
        1 => "Agency One 1",
        4 => "Agency Zed",
        _ => "Bureau One",
    };
    let mut s = format!(
        "- id: src-one\n  publisher: {publisher}\n  title: Talks open\n  url: https://news.example.com/one\n  published: 2025-05-10\n\
                         - id: src-two\n  publisher: Agency Two\n  published: 2025-05-11\n"
    );
    if v != 3 {
        s.push_str("- id: src-three\n  publisher: Bureau Three\n");
        s.push_str("- id: src-four\n  publisher: Agency Four\n  title: Later talks\n");
    }
    s
}

/// Apply `e`, returning the site-relative paths it touched (as the watcher would report them).
fn apply(site: &Site, e: &Edit) -> BTreeSet<String> {
    let touched = std::cell::RefCell::new(BTreeSet::new());
    let write = |rel: &str, text: String| {
        site.write(rel, text);
        touched.borrow_mut().insert(rel.to_string());
    };
    let note_path = |n: usize| format!("content/notes/n{n}.md");
    let read = |rel: &str| std::fs::read_to_string(site.path(rel)).unwrap_or_default();
    match e {
        Edit::Body(n, v) => {
            let t = read(&note_path(*n));
            if !t.is_empty() {
                write(&note_path(*n), format!("{t}\nMore text {v}.\n"));
            }
        }
        Edit::Title(n, v) => {
            write(
                &note_path(*n),
                note(&format!("Title {v} of {n}"), "alpha", "", "Body."),
            );
        }
        Edit::Tags(n, v) => {
            // Spelt differently too: a tag's name is its first page's spelling.
            let tags = ["alpha", "beta", "alpha, gamma", "", "Alpha, beta", "gamma, GAMMA", "Alpha"][*v as usize];
            write(&note_path(*n), note(&format!("Note {n}"), tags, "", "Body."));
        }
        Edit::FirstTags(v) => {
            let tags = ["Alpha", "alpha", "beta, ALPHA"][*v as usize];
            write(
                "content/notes/a.md",
                format!("---\ntitle: Note A\ntags: [{tags}]\n---\n\n## First\n\nSome text.\n"),
            );
        }
        Edit::Dated(n, v) => {
            // Dates order listings and fix the briefing's "now"; weight comes before them.
            let front = ["date: 2025-05-01\n", "date: 2024-01-02\nweight: 1\n", "date: 2025-05-01\nupdated: 2026-01-01\n"][*v as usize];
            write(&note_path(*n), note(&format!("Note {n}"), "beta", front, "Body."));
        }
        Edit::Summary(n, v) => {
            let summary = format!("summary: Summary {v}\n");
            write(&note_path(*n), note(&format!("Note {n}"), "beta", &summary, "Body."));
        }
        Edit::NewNote(n) => write(
            &note_path(*n),
            note(&format!("New {n}"), "gamma", "", "Fresh."),
        ),
        Edit::DeleteNote(n) => {
            let p = note_path(*n);
            if site.path(&p).exists() {
                site.remove(&p);
                touched.borrow_mut().insert(p);
            }
        }
        Edit::RenameNote(n) => {
            let (from, to) = (note_path(*n), format!("content/notes/moved-{n}.md"));
            if site.path(&from).exists() {
                let t = read(&from);
                site.remove(&from);
                touched.borrow_mut().insert(from);
                write(&to, t);
            }
        }
        Edit::LinkNote(a, b) => write(
            &note_path(*a),
            note(
                &format!("Note {a}"),
                "alpha",
                "",
                &format!("See [the other](@/notes/n{b}.md) and [Jane](@/people/jane-doe.md)."),
            ),
        ),
        Edit::RenamePerson(v) => write(
            "content/people/jane-doe.md",
            format!("---\nname: Jane Doe {v}\nparty: party-a\n---\n\nWho she is.\n"),
        ),
        // 2 also gives the party a position: a column more in the positions matrix.
        Edit::RenameParty(v) => write(
            "content/parties/party-a.md",
            format!("---\nname: Party A{v}\nkind: state\nroles: [negotiating-party]\nleaders: [jane-doe]\n{}---\n\nAbout Party A.\n",
                if *v == 2 { "positions:\n  - {topic: prisoners, stance: demands, summary: All for all., as_of: 2025-05-23}\n" } else { "" }),
        ),
        Edit::TalkBody(v) => {
            let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one");
            write("content/talks/round-one.md", format!("{t}\nUpdate {v} [@src-two].\n"));
        }
        Edit::TalkTime(v) => {
            let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one")
                .replace("2025-05-16T12:30", &format!("2025-05-1{}T12:30", 6 + v));
            write("content/talks/round-one.md", t);
        }
        Edit::Statement(v) => match v {
            0 => {
                let p = "content/statements/terms.md";
                if site.path(p).exists() {
                    site.remove(p);
                    touched.borrow_mut().insert(p.to_string());
                }
            }
            _ => write(
                "content/statements/terms.md",
                format!("---\ntitle: Terms {v}\nparty: party-a\nspeaker: jane-doe\ndate: 2025-05-1{v}\ntopics: [ceasefire]\n---\n\nSaid.\n"),
            ),
        },
        Edit::Timeline(v) => write(
            "content/timeline.yaml",
            format!("- date: 2025-05-0{}\n  title: Talks announced {v}\n  parties: [party-a]\n  sources: [src-two]\n", v + 1),
        ),
        // See `sources`: an entry changes, moves to another letter or page, or the list is one.
        Edit::Source(v) => write("content/sources.yaml", sources(*v)),
        Edit::Data(v) => write("content/data/facts.yaml", format!("count: {v}\n")),
        Edit::CitingTitle(v) => {
            let body = if *v < 2 { "Text [@src-one]." } else { "Text." };
            write(
                &note_path(1),
                note(&format!("Cited {v}"), "alpha", "", body),
            );
        }
        Edit::Template(v) => match v {
            0 => {
                let p = "templates/page.html";
                if site.path(p).exists() {
                    site.remove(p);
                    touched.borrow_mut().insert(p.to_string());
                }
            }
            _ => write(
                "templates/page.html",
                format!("{{% extends \"base.html\" %}}{{% block content %}}<article><h1>{{{{ page.title }}}}</h1><p>v{v}</p>{{{{ page.content | safe }}}}</article>{{% endblock %}}"),
            ),
        },
        Edit::Static(v) => write("static/extra.txt", format!("{v}\n")),
        Edit::SiteTitle(v) => write(
            "site.yaml",
            format!("title: Test briefing {v}\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\npaginate_by: {}\nsplit_above: 2\n", v + 2),
        ),
        Edit::Languages(v) => write(
            "site.yaml",
            match v {
                0 => "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\nlanguages:\n  - code: en\n  - code: uk\n    title: Тестовий брифінг\n".into(),
                _ => "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\n".into(),
            },
        ),
        Edit::Translation(v) => match v {
            0 | 1 => write(
                "content/notes/n0.uk.md",
                format!("---\ntitle: Примітка {v}\n---\n\n## Розділ\n\nТекст {v}.\n"),
            ),
            2 => write(
                "content/talks/round-one.uk.md",
                "---\ntitle: Перший раунд\nvenue: {name: Палац}\n---\n\nЧого очікують.\n".into(),
            ),
            _ => {
                for p in ["content/notes/n0.uk.md", "content/talks/round-one.uk.md"] {
                    if site.path(p).exists() {
                        site.remove(p);
                        touched.borrow_mut().insert(p.to_string());
                    }
                }
            }
        },
        Edit::Broken(v) => match v {
            // A reference to a person who does not exist; the next edit of the party repairs it.
            0 => write(
                "content/parties/party-a.md",
                "---\nname: Party A\nkind: state\nroles: [negotiating-party]\nleaders: [nobody]\n---\n\nAbout Party A.\n".into(),
            ),
            _ => write("content/notes/n0.md", "---\ntitle: [unclosed\n---\n".into()),
        },
    }
    touched.into_inner()
}

fn opts(site: &Site) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: true,
    }
}

fn clean(site: &Site) -> Result<std::collections::BTreeMap<String, Vec<u8>>, String> {
    match Session::new(opts(site)).rebuild(&BTreeSet::new()) {
        Ok(r) => Ok(r
            .files
            .iter()
            .map(|(p, b)| (p.clone(), b.to_vec()))
            .collect()),
        Err(Failure::Site(d)) => Err(format!("{} site error(s)", d.iter().count())),
        Err(Failure::Io(d)) => Err(format!("io: {}", d.message)),
    }
}

fn compare(site: &Site, session: &mut Session, touched: &BTreeSet<String>, step: &str) {
    let kept = session.rebuild(touched);
    let fresh = clean(site);
    match (kept, fresh) {
        (Ok(r), Ok(fresh)) => {
            let kept: std::collections::BTreeMap<String, Vec<u8>> = r
                .files
                .iter()
                .map(|(p, b)| (p.clone(), b.to_vec()))
                .collect();
            let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
                (kept.keys().collect(), fresh.keys().collect());
            assert_eq!(a, b, "{step}: the same files");
            for (path, bytes) in &fresh {
                assert!(
                    kept.get(path) == Some(bytes),
                    "{step}: {path} differs from a clean build:\n--- kept\n{}\n--- clean\n{}",
                    String::from_utf8_lossy(&kept[path]),
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("{step}: the kept session built, a clean build failed: {e}"),
        (Err(_), Ok(_)) => panic!("{step}: the kept session failed, a clean build succeeded"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn a_kept_session_renders_what_a_clean_build_renders(
        edits in prop::collection::vec((edit(), any::<bool>()), 1..10)
    ) {
        let site = fixture();
        let mut session = Session::new(opts(&site));
        session.rebuild(&BTreeSet::new()).map_err(|_| TestCaseError::fail("the fixture builds"))?;
        for (n, (e, warm)) in edits.iter().enumerate() {
            // As `serve` does between edits, or not: what is made ahead must be what the
            // update would have made.
            if *warm {
                session.warm();
            }
            let touched = apply(&site, e);
            compare(&site, &mut session, &touched, &format!("step {n} ({e:?}) of {edits:?}"));
        }
    }
}

/// Each kind of edit once, in a fixed order, so a failure here names the kind plainly.
#[test]
fn every_kind_of_edit_keeps_the_invariant() {
    every_kind_of_edit(false);
}

/// The same, with what the next update needs made ahead before every edit, as `serve` does.
#[test]
fn every_kind_of_edit_keeps_the_invariant_when_warmed_between_edits() {
    every_kind_of_edit(true);
}

fn every_kind_of_edit(warm: bool) {
    let site = fixture();
    let mut session = Session::new(opts(&site));
    let first = session
        .rebuild(&BTreeSet::new())
        .expect("the fixture builds");
    for paged in [
        "notes/page/2/index.html",
        "tags/alpha/page/2/index.html",
        "timeline/2025/index.html",
        "sources/a/index.html",
        "sources/a/page/2/index.html",
        "sources/b/index.html",
        "positions/prisoners/index.html",
    ] {
        assert!(
            first.files.contains_key(paged),
            "the fixture paginates: {paged}"
        );
    }
    let all = [
        Edit::Body(0, 1),
        Edit::Title(1, 2),
        Edit::Tags(0, 6),
        Edit::FirstTags(0),
        Edit::Tags(0, 0),
        Edit::FirstTags(1),
        Edit::Tags(0, 1),
        Edit::FirstTags(2),
        Edit::Tags(0, 2),
        Edit::Tags(2, 4),
        Edit::Tags(0, 5),
        Edit::Tags(0, 4),
        Edit::Tags(0, 0),
        Edit::Dated(1, 0),
        Edit::Title(1, 0),
        Edit::Dated(1, 1),
        Edit::Dated(2, 2),
        Edit::Summary(1, 1),
        Edit::CitingTitle(0),
        Edit::CitingTitle(1),
        Edit::CitingTitle(2),
        Edit::CitingTitle(0),
        Edit::NewNote(3),
        Edit::LinkNote(0, 3),
        Edit::DeleteNote(3),
        Edit::NewNote(3),
        Edit::RenameNote(1),
        Edit::RenamePerson(1),
        Edit::RenameParty(2),
        Edit::TalkBody(1),
        Edit::TalkTime(2),
        Edit::Statement(2),
        Edit::Statement(0),
        Edit::Timeline(1),
        Edit::Source(4),
        Edit::Source(0),
        Edit::Source(2),
        Edit::Source(3),
        Edit::Source(0),
        Edit::Data(1),
        Edit::Template(1),
        Edit::Template(2),
        Edit::Template(0),
        Edit::Static(1),
        Edit::SiteTitle(1),
        Edit::Broken(0),
        Edit::RenameParty(1),
        Edit::Broken(1),
        Edit::Body(0, 2),
        Edit::Title(0, 1),
        Edit::Translation(0),
        Edit::Languages(0),
        Edit::Translation(1),
        Edit::Body(0, 1),
        Edit::Translation(2),
        Edit::TalkBody(2),
        Edit::Title(1, 1),
        Edit::Timeline(2),
        Edit::Source(1),
        Edit::Translation(3),
        Edit::Translation(0),
        Edit::SiteTitle(0),
        Edit::Languages(0),
        Edit::DeleteNote(0),
    ];
    for (n, e) in all.iter().enumerate() {
        if warm {
            session.warm();
        }
        let touched = apply(&site, e);
        compare(&site, &mut session, &touched, &format!("step {n} ({e:?})"));
    }
}

/// What is rendered again follows what was read: a body edit of one note re-renders that note
/// (and nothing that lists it, when its summary did not change); renaming a person re-renders
/// the pages that show the person, and not a note that does not.
#[test]
fn an_edit_renders_only_what_read_it() {
    let site = fixture();
    let mut session = Session::new(opts(&site));
    session
        .rebuild(&BTreeSet::new())
        .expect("the fixture builds");

    // A body edit below the first paragraph: the summary stays, so listings stay. The search
    // index rewrites the note's document shard and the term shards of the words it gained,
    // nothing else.
    let t = std::fs::read_to_string(site.path("content/notes/n0.md")).unwrap();
    site.write("content/notes/n0.md", format!("{t}\nA later paragraph.\n"));
    let r = session
        .rebuild(&["content/notes/n0.md".to_string()].into())
        .unwrap_or_else(|_| panic!("builds"));
    let changed = r.changed.clone().expect("incremental");
    let (search, rest): (Vec<&String>, Vec<&String>) =
        changed.iter().partition(|p| p.starts_with("search/"));
    assert_eq!(rest, ["notes/n0/index.html"], "{changed:?}");
    let docs: Vec<&&String> = search.iter().filter(|p| p.contains("/docs-")).collect();
    assert_eq!(docs.len(), 1, "one document shard: {changed:?}");
    let text = |p: &str| String::from_utf8_lossy(&r.files[p]).into_owned();
    assert!(
        text(docs[0]).contains("A later paragraph."),
        "{}",
        text(docs[0])
    );
    let terms: Vec<&&String> = search.iter().filter(|p| p.contains("/terms-")).collect();
    assert!(
        terms.iter().any(|p| text(p).contains("\"later\":")),
        "{changed:?}"
    );
    let all_terms = r
        .files
        .keys()
        .filter(|p| p.starts_with("search/terms-"))
        .count();
    assert!(
        terms.len() <= 2 && terms.len() < all_terms.max(2),
        "{changed:?}"
    );

    // A title edit: the page, its section listing, its tag page, and what lists every page.
    site.write(
        "content/notes/n0.md",
        note("Renamed note", "alpha", "", "## A heading\n\nText."),
    );
    let r = session
        .rebuild(&["content/notes/n0.md".to_string()].into())
        .unwrap_or_else(|_| panic!("builds"));
    let changed = r.changed.expect("incremental");
    for p in [
        "notes/n0/index.html",
        "notes/index.html",
        "tags/alpha/index.html",
    ] {
        assert!(changed.iter().any(|c| c == p), "{p} in {changed:?}");
    }
    let renamed = |p: &String| String::from_utf8_lossy(&r.files[p]).contains("Renamed note");
    assert!(
        changed
            .iter()
            .any(|c| c.starts_with("search/docs-") && renamed(c)),
        "the new title in a document shard: {changed:?}"
    );
    assert!(
        !changed.iter().any(|c| c == "notes/n1/index.html"),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|c| c == "topics/ceasefire/index.html"),
        "{changed:?}"
    );

    // Renaming a person: every page that shows her, not the notes.
    site.write(
        "content/people/jane-doe.md",
        "---\nname: Jane Q. Doe\nparty: party-a\n---\n\nWho she is.\n",
    );
    let r = session
        .rebuild(&["content/people/jane-doe.md".to_string()].into())
        .unwrap_or_else(|_| panic!("builds"));
    let changed = r.changed.expect("incremental");
    for p in [
        "people/jane-doe/index.html",
        "talks/round-one/index.html",
        "parties/party-a/index.html",
        "statements/terms/index.html",
        "index.html",
        "briefing.json",
    ] {
        assert!(changed.iter().any(|c| c == p), "{p} in {changed:?}");
    }
    for p in [
        "notes/n0/index.html",
        "notes/n1/index.html",
        "topics/ceasefire/index.html",
    ] {
        assert!(!changed.iter().any(|c| c == p), "{p} not in {changed:?}");
    }
}

/// On a split source list, an edit of one source writes its letter's page and the entry page
/// again, and no other letter's page.
#[test]
fn a_source_edit_renders_its_letter_page() {
    let site = fixture();
    let mut session = Session::new(opts(&site));
    session
        .rebuild(&BTreeSet::new())
        .expect("the fixture builds");
    let yaml = sources(0).replace("Bureau Three", "Bureau Three, renamed");
    site.write("content/sources.yaml", yaml);
    let r = session
        .rebuild(&["content/sources.yaml".to_string()].into())
        .unwrap_or_else(|_| panic!("builds"));
    let changed = r.changed.clone().expect("incremental");
    for p in ["sources/b/index.html", "sources/index.html"] {
        assert!(changed.iter().any(|c| c == p), "{p} in {changed:?}");
    }
    for p in ["sources/a/index.html", "sources/a/page/2/index.html"] {
        assert!(!changed.iter().any(|c| c == p), "{p} in {changed:?}");
    }
    assert!(String::from_utf8_lossy(&r.files["sources/b/index.html"]).contains("renamed"));
}

/// A new title of a page that cites a source changes the one page of the source list that
/// shows the source (its "Cited on" list), not the other pages of its letter.
#[test]
fn a_citing_title_edit_changes_its_sources_page() {
    let site = fixture();
    let mut session = Session::new(opts(&site));
    session
        .rebuild(&BTreeSet::new())
        .expect("the fixture builds");
    let touched = apply(&site, &Edit::CitingTitle(1));
    let r = session
        .rebuild(&touched)
        .unwrap_or_else(|_| panic!("builds"));
    let changed = r.changed.clone().expect("incremental");
    // `src-one` (Agency One) is on page 1 of A, after Agency Four.
    assert!(
        changed.iter().any(|c| c == "sources/a/index.html"),
        "{changed:?}"
    );
    for p in [
        "sources/a/page/2/index.html",
        "sources/b/index.html",
        "sources/index.html",
    ] {
        assert!(!changed.iter().any(|c| c == p), "{p} in {changed:?}");
    }
    let a = String::from_utf8_lossy(&r.files["sources/a/index.html"]);
    assert!(a.contains("Cited 1"), "{a}");
}

/// A one-shot `build` streams its search index to disk as pages render, where a kept session
/// keeps the whole index: both write the same files, the search shards included.
#[test]
fn a_one_shot_build_writes_what_a_kept_session_renders() {
    let site = fixture();
    let run = common::run(site.cmd("build", &["-u", "http://127.0.0.1:1111/", "--drafts"]));
    run.code(0);
    let mut built = std::collections::BTreeMap::new();
    let public = site.public();
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk the output");
        if entry.file_type().is_file() && entry.file_name() != ".briefing" {
            let rel = entry.path().strip_prefix(&public).expect("under public/");
            let rel = rel.to_string_lossy().replace('\\', "/");
            built.insert(rel, std::fs::read(entry.path()).expect("read an output"));
        }
    }
    let kept = clean(&site).expect("the fixture builds");
    assert!(built.keys().any(|p| p.starts_with("search/docs-")));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        kept.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &kept {
        assert!(
            built[path] == *bytes,
            "{path} differs:\n--- build\n{}\n--- kept session\n{}",
            String::from_utf8_lossy(&built[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}
