//! Editions (issue #15): a site in two languages built from one set of records, with
//! translation files beside their originals — outputs under `/uk/`, the language switcher,
//! hreflang alternates, the sitemap's alternates, fallback pages, the parallel view, each
//! edition's feed, calendar, export and search index — and every error a translation can make.

mod common;

use common::{Site, briefing_site, tree};

const SITE_YAML: &str = "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\n\
languages:\n  - code: en\n  - code: uk\n    title: Тестовий брифінг\n";

/// The talk of the fixture, with an update and a two-paragraph body.
const TALK: &str = "---
title: Round one
status: concluded
venue:
  name: Palais
  city: Geneva
  timezone: Europe/Zurich
scheduled_start: 2025-05-16T12:30
mediators:
  - party: mediator
delegations:
  - party: party-a
    head:
      person: jane-doe
      title: Minister
agenda:
  - topic: ceasefire
    proposed_by: party-a
updates:
  - at: 2025-05-16T13:00
    text: Delegations arrived.
  - at: 2025-05-16T15:00
    text: Talks ended.
sources: [src-one]
---

What is expected.

A second paragraph, with [the note](@/notes/a.md).
";

const TALK_UK: &str = "---
translation: {from: en, by: machine}
title: Перший раунд
venue:
  name: Палац
  city: Женева
delegations:
  - party: party-a
    head:
      title: Міністр
updates:
  - text: Делегації прибули.
---

Чого очікують.

Другий абзац, з [приміткою](@/notes/a.md).
";

/// The fixture of the other tests in two languages: the talk, a party, the home page, the
/// sources and the timeline translated into Ukrainian; the note, the person, the topic and the
/// mediator not.
fn two_languages() -> Site {
    briefing_site()
        .file("site.yaml", SITE_YAML)
        .file("content/talks/round-one.md", TALK)
        .file("content/talks/round-one.uk.md", TALK_UK)
        .file(
            "content/_index.uk.md",
            "---\ntitle: Тестовий брифінг\n---\n\nЩо відстежує цей брифінг.\n",
        )
        .file(
            "content/parties/party-a.uk.md",
            "---\nname: Сторона А\ntranslation: {from: en, by: human}\n---\n\nПро сторону А.\n",
        )
        .file(
            "content/sources.uk.yaml",
            "- id: src-one\n  title_translated: Переговори відкриваються\n",
        )
        .file(
            "content/timeline.yaml",
            "- id: announced\n  date: 2025-05-01\n  title: Talks announced\n  parties: [party-a]\n  sources: [src-two]\n",
        )
        .file(
            "content/timeline.uk.yaml",
            "- id: announced\n  title: Переговори оголошено\n",
        )
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn a_second_edition_is_built_under_its_folder_with_its_own_words() {
    let site = two_languages();
    site.build_ok();
    let uk = site.read_out("uk/talks/round-one/index.html");
    assert!(uk.contains("<html lang=\"uk\">"), "{uk}");
    assert!(uk.contains("<h1>Перший раунд</h1>"));
    assert!(uk.contains("Палац, Женева"));
    assert!(uk.contains("Чого очікують."));
    assert!(uk.contains("Делегації прибули."));
    // The second update is not translated: the original's text, as the structure is shared.
    assert!(uk.contains("Talks ended."));
    // Links inside the edition lead to the edition's pages, `@/` links included.
    assert!(uk.contains("href=\"/uk/notes/a/\""), "{uk}");
    assert!(uk.contains("href=\"/uk/parties/party-a/\""));
    // Static files are shared, at the root.
    assert!(!site.out_exists("uk/style.css"));
    assert!(uk.contains("href=\"/style."));
    // The translation's provenance, as a source's is told, in the edition's language.
    assert!(
        uk.contains("<p class=\"edition-provenance\">Перекладено з англійської машиною (ШІ).</p>"),
        "{uk}"
    );
    assert!(!uk.contains("Translated from"));
    let party = site.read_out("uk/parties/party-a/index.html");
    assert!(party.contains("Перекладено з англійської перекладачем."));
    // The default edition is at the root, as before.
    let en = site.read_out("talks/round-one/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("<h1>Round one</h1>"));
    assert!(!en.contains("Перший"));
    // The edition's title, home page, timeline and source titles.
    let home = site.read_out("uk/index.html");
    assert!(home.contains("Тестовий брифінг"));
    assert!(home.contains("Що відстежує цей брифінг."));
    assert!(
        site.read_out("uk/timeline/index.html")
            .contains("Переговори оголошено")
    );
    assert!(
        site.read_out("timeline/index.html")
            .contains("Talks announced")
    );
    let sources = site.read_out("uk/sources/index.html");
    assert!(
        sources.contains("Talks open"),
        "the title as published stays"
    );
    assert!(sources.contains("[Переговори відкриваються]"));
}

#[test]
fn every_page_links_the_same_page_in_each_edition() {
    let site = two_languages();
    site.build_ok();
    for (page, here) in [
        ("talks/round-one/index.html", "en"),
        ("uk/talks/round-one/index.html", "uk"),
        ("uk/notes/a/index.html", "uk"),
        ("timeline/index.html", "en"),
        ("uk/tags/alpha/index.html", "uk"),
    ] {
        let html = site.read_out(page);
        let path = page
            .trim_start_matches("uk/")
            .trim_end_matches("index.html");
        let nav = html
            .split("<nav class=\"editions\"")
            .nth(1)
            .and_then(|n| n.split("</nav>").next())
            .unwrap_or_else(|| panic!("no language switcher on {page}"));
        assert!(
            nav.contains(&format!("href=\"/{path}\" lang=\"en\"")),
            "{page}: {nav}"
        );
        assert!(
            nav.contains(&format!("href=\"/uk/{path}\" lang=\"uk\"")),
            "{page}: {nav}"
        );
        assert_eq!(count(nav, "aria-current"), 1, "{page}");
        assert!(
            nav.contains(&format!("lang=\"{here}\" hreflang=\"{here}\" aria-current")),
            "{page}: {nav}"
        );
    }
}

#[test]
fn translated_pages_carry_hreflang_alternates() {
    let site = two_languages();
    site.build_ok();
    for page in [
        "talks/round-one/index.html",
        "uk/talks/round-one/index.html",
    ] {
        let html = site.read_out(page);
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/talks/round-one/\">"
        ));
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"uk\" href=\"https://example.org/uk/talks/round-one/\">"
        ));
        assert!(
            html.contains("hreflang=\"x-default\" href=\"https://example.org/talks/round-one/\"")
        );
    }
    // Each page's canonical is its own.
    assert!(
        site.read_out("uk/talks/round-one/index.html")
            .contains("<link rel=\"canonical\" href=\"https://example.org/uk/talks/round-one/\">")
    );
}

#[test]
fn an_untranslated_page_is_the_original_marked_and_canonical_to_it() {
    let site = two_languages();
    site.build_ok();
    let html = site.read_out("uk/people/jane-doe/index.html");
    assert!(html.contains("<html lang=\"uk\">"));
    // The content is the original's, and says so in its `lang`; the interface strings around
    // it are the edition's, so `main` is not marked as a whole.
    assert!(html.contains("<main id=\"main\" class=\"wrap\">"), "{html}");
    assert!(html.contains("<h1 lang=\"en\">Jane Doe</h1>"), "{html}");
    assert!(
        html.contains("<div class=\"content\" lang=\"en\">"),
        "{html}"
    );
    assert!(html.contains("Who she is."));
    // The notice is in the edition's language.
    assert!(
        html.contains("Цю сторінку ще не перекладено: її показано в оригіналі, англійською мовою."),
        "{html}"
    );
    assert!(
        html.contains("aria-label=\"Переклад\" lang=\"uk\">"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/people/jane-doe/\" hreflang=\"en\">Читати оригінал</a>."));
    assert!(!html.contains("not yet translated"));
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://example.org/people/jane-doe/\">")
    );
    assert!(!html.contains("<link rel=\"alternate\" hreflang"), "{html}");
    // The original does not list the fallback as an alternate either.
    let en = site.read_out("people/jane-doe/index.html");
    assert!(!en.contains("<link rel=\"alternate\" hreflang"));
    assert!(!en.contains("not yet translated"));
}

/// Text an edition shows from the original, because no translation gave it, carries the
/// original's `lang` on the smallest element holding it; translated text carries none.
#[test]
fn untranslated_text_on_a_translated_page_carries_the_originals_lang() {
    let site = two_languages()
        .file(
            "content/timeline.yaml",
            "- id: announced\n  date: 2025-05-01\n  title: Talks announced\n  parties: [party-a]\n  sources: [src-two]\n\
             - id: invited\n  date: 2025-05-03\n  title: Delegations invited\n  text: Both sides were *invited*.\n",
        );
    site.build_ok();
    let uk = site.read_out("uk/talks/round-one/index.html");
    // The first update is translated, the second is the original's.
    assert!(uk.contains("<p>Делегації прибули."), "{uk}");
    assert!(uk.contains("<span lang=\"en\">Talks ended.</span>"), "{uk}");
    assert_eq!(count(&uk, "lang=\"en\">Делегації"), 0);
    // A translated record's name carries no `lang`; an untranslated one's does.
    assert!(
        uk.contains("<a href=\"/uk/parties/party-a/\">Сторона А</a>"),
        "{uk}"
    );
    assert!(
        uk.contains("<a href=\"/uk/people/jane-doe/\" lang=\"en\">Jane Doe</a>"),
        "{uk}"
    );
    assert!(
        uk.contains("<a href=\"/uk/parties/mediator/\" lang=\"en\">Mediating State</a>"),
        "{uk}"
    );
    assert!(
        uk.contains("<a href=\"/uk/topics/ceasefire/\" lang=\"en\">Ceasefire</a>"),
        "{uk}"
    );
    // Translated text: the title, the venue, the head's title.
    assert!(uk.contains("<h1>Перший раунд</h1>"));
    assert!(uk.contains("<span class=\"role\">Міністр</span>"), "{uk}");
    // The timeline: the translated event is not marked, the untranslated one is, title and text.
    let tl = site.read_out("uk/timeline/index.html");
    assert!(tl.contains("<h3>Переговори оголошено <a"), "{tl}");
    assert_eq!(count(&tl, "lang=\"en\">Переговори"), 0, "{tl}");
    assert!(tl.contains("lang=\"en\">Delegations invited<"), "{tl}");
    assert!(
        tl.contains("<span lang=\"en\">Both sides were <em>invited</em>.</span>"),
        "{tl}"
    );
    // The citation marks' labels are the edition's interface, not English.
    assert!(tl.contains("aria-label=\"Джерело 1\">[1]</a>"), "{tl}");
    assert!(!tl.contains("aria-label=\"Source "), "{tl}");
    // An update's title is composed in the edition's language, on the page and in the export.
    assert!(tl.contains(">Оновлення: Перший раунд</a>"), "{tl}");
    let export = site.read_out("uk/briefing.json");
    assert!(
        export.contains("\"title\": \"Оновлення: Перший раунд\""),
        "{export}"
    );
    assert!(!export.contains("Update:"), "{export}");
    assert!(
        site.read_out("briefing.json")
            .contains("\"title\": \"Update: Round one\"")
    );
    // The translated talk's own event is not marked; the untranslated update's text is.
    assert_eq!(count(&tl, "lang=\"en\">Перший раунд"), 0, "{tl}");
    assert!(tl.contains("<span lang=\"en\">Talks ended.</span>"), "{tl}");
    // The default edition marks nothing: it is all in its own language.
    for page in [
        "talks/round-one/index.html",
        "timeline/index.html",
        "index.html",
    ] {
        let en = site.read_out(page);
        assert_eq!(count(&en, "lang=\"en\">"), 1, "{page}: only <html>: {en}");
    }
    // Tags are never translated: their names are the original's in every further edition.
    let note = site.read_out("uk/notes/a/index.html");
    assert!(
        note.contains("<a href=\"/uk/tags/alpha/\" lang=\"en\">alpha</a>"),
        "{note}"
    );
    assert!(
        site.read_out("uk/tags/alpha/index.html")
            .contains("<h1>З тегом «<span lang=\"en\">alpha</span>»</h1>")
    );
    assert!(
        !site
            .read_out("notes/a/index.html")
            .contains("lang=\"en\">alpha")
    );
    // The navigation names an untranslated section in the original's language.
    assert!(
        uk.contains("<li><a href=\"/uk/notes/\" lang=\"en\">"),
        "{uk}"
    );
    // Listings: a translated page's title is not marked, an untranslated one's is.
    let notes = site.read_out("uk/notes/index.html");
    assert!(
        notes.contains("<h3><a href=\"/uk/notes/a/\" lang=\"en\">Note A</a></h3>"),
        "{notes}"
    );
    let talks = site.read_out("uk/talks/index.html");
    assert!(
        talks.contains("<h3><a href=\"/uk/talks/round-one/\">Перший раунд</a></h3>"),
        "{talks}"
    );
    // The parallel view: the translated column marks the update it shows untranslated.
    let compare = site.read_out("talks/round-one/compare/en-uk/index.html");
    assert!(
        compare.contains("Talks ended.</td><td lang=\"uk\"><span class=\"cell-label\" aria-hidden=\"true\" lang=\"en\">Ukrainian</span><span lang=\"en\">Talks ended.</span></td>"),
        "{compare}"
    );
    assert!(compare.contains("Ukrainian</span>Делегації прибули.</td>"));
    // Search results: the row of an untranslated page carries its title's `lang`.
    let rows: Vec<serde_json::Value> = tree(&site.public())
        .iter()
        .filter(|(p, _)| p.starts_with("uk/search/docs-"))
        .flat_map(|(p, _)| {
            serde_json::from_str::<Vec<serde_json::Value>>(&site.read_out(p))
                .expect("search docs are JSON")
        })
        .collect();
    let row = |url: &str| {
        rows.iter()
            .find(|r| r[0] == url)
            .unwrap_or_else(|| panic!("no search row for {url}: {rows:?}"))
    };
    assert_eq!(row("/uk/people/jane-doe/")[6], "en");
    assert!(row("/uk/talks/round-one/").get(6).is_none());
    assert!(
        tree(&site.public())
            .iter()
            .filter(|(p, _)| p.starts_with("search/docs-"))
            .all(|(p, _)| !site.read_out(p).contains(",\"en\"]"))
    );
}

/// The notices speak the edition's language: an English edition of a Ukrainian site says so in
/// English, naming the original's language in English.
#[test]
fn an_english_edition_tells_its_notices_in_english() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: Тестовий брифінг\nlanguages:\n  - code: uk\n  - code: en\n    title: Test briefing\n",
        )
        .file(
            "content/parties/party-a.en.md",
            "---\nname: Party A\ntranslation: {from: uk, by: machine-reviewed}\n---\n\nAbout party A.\n",
        );
    site.build_ok();
    let html = site.read_out("en/people/jane-doe/index.html");
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains("This page is not yet translated: it is shown as written, in Ukrainian. <a href=\"/people/jane-doe/\" hreflang=\"uk\">Read the original</a>."),
        "{html}"
    );
    assert!(
        html.contains("aria-label=\"Translation\" lang=\"en\">"),
        "{html}"
    );
    let party = site.read_out("en/parties/party-a/index.html");
    assert!(
        party.contains("Translated from Ukrainian by machine (AI), reviewed by a person."),
        "{party}"
    );
}

#[test]
fn the_sitemap_lists_translated_pages_with_their_alternates() {
    let site = two_languages();
    site.build_ok();
    let map = site.read_out("sitemap.xml");
    assert!(map.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(!site.out_exists("uk/sitemap.xml"));
    assert!(!site.out_exists("uk/robots.txt"));
    let entry = |loc: &str| -> Option<String> {
        map.split("<url>")
            .find(|u| u.contains(&format!("<loc>{loc}</loc>")))
            .map(str::to_string)
    };
    let talk_uk = entry("https://example.org/uk/talks/round-one/").expect("the uk talk");
    assert!(talk_uk.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/talks/round-one/\"/>"
    ));
    assert!(talk_uk.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"uk\" href=\"https://example.org/uk/talks/round-one/\"/>"
    ));
    assert!(entry("https://example.org/talks/round-one/").is_some());
    // A fallback page is not in the sitemap; its original is, without alternates.
    assert!(entry("https://example.org/uk/people/jane-doe/").is_none());
    let person = entry("https://example.org/people/jane-doe/").expect("the original");
    assert!(!person.contains("xhtml:link"));
}

#[test]
fn the_parallel_view_gives_record_names_the_smart_punctuation_of_other_pages() {
    let site = two_languages();
    site.write(
        "content/topics/ceasefire.md",
        "---\ntitle: Leaders' ceasefire\n---\n\nWhat a ceasefire would mean.\n",
    );
    site.build_ok();
    let html = site.read_out("talks/round-one/compare/en-uk/index.html");
    assert!(html.contains("Leaders\u{2019} ceasefire"), "{html}");
    assert!(!html.contains("Leaders&#39; ceasefire"), "{html}");
    assert!(
        site.read_out("talks/round-one/index.html")
            .contains("Leaders\u{2019} ceasefire")
    );
}

#[test]
fn the_parallel_view_sets_two_editions_side_by_side() {
    let site = two_languages();
    site.build_ok();
    let html = site.read_out("talks/round-one/compare/en-uk/index.html");
    // Each cell names its edition for the phone layout, where the cells stack under their field
    // (hidden from screen readers, which have the column headers).
    let row = |a: &str, b: &str| {
        format!(
            "<td lang=\"en\"><span class=\"cell-label\" aria-hidden=\"true\" lang=\"en\">English</span>{a}</td>\
             <td lang=\"uk\"><span class=\"cell-label\" aria-hidden=\"true\" lang=\"en\">Ukrainian</span>{b}</td>"
        )
    };
    assert!(html.contains(&row("Round one", "Перший раунд")), "{html}");
    assert!(html.contains(&row("Palais, Geneva", "Палац, Женева")));
    assert!(html.contains(&row("Delegations arrived.", "Делегації прибули.")));
    // Paragraph by paragraph.
    let en_first = html
        .find("<p>What is expected.</p>")
        .expect("first paragraph");
    let uk_first = html.find("<p>Чого очікують.</p>").expect("its translation");
    let en_second = html
        .find("<p>A second paragraph")
        .expect("second paragraph");
    assert!(en_first < uk_first && uk_first < en_second, "{html}");
    assert!(html.contains("<div class=\"compare-col\" lang=\"uk\"><p>Другий абзац"));
    // Linked from the talk page in both editions.
    for page in [
        "talks/round-one/index.html",
        "uk/talks/round-one/index.html",
    ] {
        assert!(
            site.read_out(page)
                .contains("href=\"/talks/round-one/compare/en-uk/\""),
            "{page}"
        );
    }
}

#[test]
fn each_edition_has_its_own_feed_calendar_export_and_search_index() {
    let site = two_languages();
    site.build_ok();
    let feed = site.read_out("uk/atom.xml");
    assert!(feed.contains("xml:lang=\"uk\""));
    assert!(feed.contains("Делегації прибули."));
    assert!(feed.contains("https://example.org/uk/talks/round-one/"));
    assert!(!site.read_out("atom.xml").contains("Делегації"));
    assert!(
        site.read_out("uk/calendar.ics")
            .contains("SUMMARY:Перший раунд")
    );
    assert!(site.read_out("calendar.ics").contains("SUMMARY:Round one"));
    let export = site.read_out("uk/briefing.json");
    assert!(export.contains("Перший раунд"));
    assert!(!site.read_out("briefing.json").contains("Перший"));
    // The search page reads its own edition's index.
    assert!(
        site.read_out("uk/search/index.html")
            .contains("/uk/search-index.json")
    );
    let terms: String = tree(&site.public())
        .into_iter()
        .filter(|(p, _)| p.starts_with("uk/search/terms-"))
        .filter_map(|(_, n)| match n {
            common::Node::File(b) => String::from_utf8(b).ok(),
            _ => None,
        })
        .collect();
    // Cyrillic is folded to lower case, as the search script folds what a reader types.
    assert!(terms.contains("\"раунд\""), "{terms}");
    assert!(terms.contains("\"палац\""));
    assert!(!terms.contains("\"Палац\""));
}

#[test]
fn hangul_is_found_by_the_search_index() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nlanguages:\n  - code: en\n  - code: ko\n",
        )
        .file(
            "content/notes/a.ko.md",
            "---\ntitle: 메모 에이\n---\n\n## 첫째\n\n휴전 협상이 시작되었다.\n",
        );
    site.build_ok();
    let terms: String = tree(&site.public())
        .into_iter()
        .filter(|(p, _)| p.starts_with("ko/search/terms-"))
        .filter_map(|(_, n)| match n {
            common::Node::File(b) => String::from_utf8(b).ok(),
            _ => None,
        })
        .collect();
    // The index holds terms folded as the search script folds a query: NFKD, lower case.
    use unicode_normalization::UnicodeNormalization;
    let folded: String = "휴전".nfkd().collect();
    assert!(terms.contains(&format!("\"{folded}\"")), "{terms}");
    assert!(
        site.read_out("ko/notes/a/index.html")
            .contains("<html lang=\"ko\">")
    );
}

#[test]
fn a_translation_older_than_its_original_says_so_and_check_warns() {
    let site = two_languages();
    let run = site.check();
    run.code(0);
    // Not stamped: the digest to stamp is printed.
    assert!(run.stderr.contains("warning[W050]"), "{}", run.stderr);
    let stamp = run
        .stderr
        .lines()
        .filter(|l| l.contains("add `of: "))
        .find_map(|l| l.split("add `of: ").nth(1))
        .and_then(|r| r.split('`').next())
        .map(str::to_string);
    let digests: Vec<String> = run
        .stderr
        .split("warning[W050]")
        .skip(1)
        .filter(|w| w.contains("talks/round-one.uk.md"))
        .filter_map(|w| w.split("add `of: ").nth(1))
        .filter_map(|r| r.split('`').next())
        .map(str::to_string)
        .collect();
    assert!(stamp.is_some());
    let digest = digests.first().expect("a digest for the talk").clone();
    site.write(
        "content/talks/round-one.uk.md",
        TALK_UK.replacen("---\n", &format!("---\nof: {digest}\n"), 1),
    );
    let run = site.check();
    assert!(
        !run.stderr
            .split("warning[W050]")
            .skip(1)
            .any(|w| w.contains("talks/round-one.uk.md")),
        "stamped with the original's digest: no warning\n{}",
        run.stderr
    );
    site.build_ok();
    assert!(
        !site
            .read_out("uk/talks/round-one/index.html")
            .contains("відтоді оновлено")
    );
    // The original changes: the edition says so, and check warns with the new digest.
    site.write(
        "content/talks/round-one.md",
        TALK.replace("What is expected.", "What is expected, now."),
    );
    let run = site.check();
    let w = run
        .stderr
        .split("warning[W050]")
        .find(|w| w.contains("content/talks/round-one.uk.md"))
        .expect("a warning about the talk's translation");
    assert!(
        w.contains("has changed since this translation was made"),
        "{w}"
    );
    assert!(w.contains("content/talks/round-one.uk.md:2:1"), "{w}");
    site.build_ok();
    let uk = site.read_out("uk/talks/round-one/index.html");
    assert!(
        uk.contains("Оригінал англійською мовою відтоді оновлено. <a href=\"/talks/round-one/\" hreflang=\"en\">Читати оригінал</a>."),
        "{uk}"
    );
    assert!(!uk.contains("newer updates"));
}

#[test]
fn languages_are_checked_tags_and_all_at_once() {
    let site = briefing_site().file(
        "site.yaml",
        "title: T\nlanguages:\n  - code: en\n  - code: uk_UA\n  - code: Ukrainian language\n",
    );
    let run = site.build();
    run.code(1);
    run.error("`uk_UA` is not a language tag")
        .at("site.yaml:4:11")
        .hint("`uk-UA`");
    run.error("`Ukrainian language` is not a language tag")
        .at("site.yaml:5:11");
    run.error_count(2);
    assert!(!site.public().exists());
    let site = briefing_site().file(
        "site.yaml",
        "title: T\nlanguages:\n  - code: en\n  - code: uk\n  - code: en\n",
    );
    site.build()
        .code(1)
        .error("listed twice")
        .code("E070")
        .at("site.yaml:5:11");
}

#[test]
fn language_and_languages_must_agree() {
    let site = briefing_site().file(
        "site.yaml",
        "title: T\nlanguage: uk\nlanguages:\n  - code: en\n  - code: uk\n",
    );
    site.build()
        .code(1)
        .error("contradicts `languages:`")
        .code("E070")
        .at("site.yaml:2:11");
}

#[test]
fn one_language_still_works_and_dotted_names_stay_pages() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nlanguage: uk\n",
        )
        .file(
            "content/notes/b.uk.md",
            "---\ntitle: Page B\n---\n\nText.\n",
        );
    site.build_ok();
    assert!(site.read_out("index.html").contains("<html lang=\"uk\">"));
    // As before: a page whose name has a dot in it.
    assert!(site.read_out("notes/b-uk/index.html").contains("Page B"));
    assert!(!site.read_out("index.html").contains("class=\"editions\""));
    assert!(!site.out_exists("uk/index.html"));
}

#[test]
fn translation_errors_are_located_and_reported_together() {
    let site = two_languages()
        // Unknown language, with the nearest of `languages:`.
        .file("content/notes/a.ua.md", "---\ntitle: Примітка\n---\n")
        // A translation of nothing.
        .file("content/notes/b.uk.md", "---\ntitle: Примітка Б\n---\n")
        // Structure set differently, and an unmatched keyed entry, in one file.
        .file(
            "content/talks/round-one.uk.md",
            "---\ntitle: Перший раунд\nstatus: concluded\nscheduled_start: 2025-05-17T12:30\n\
             delegations:\n  - party: party-b\n    note: Хто?\nupdates:\n  - text: Один\n  - text: Два\n  - text: Три\n---\n\nТекст.\n",
        )
        // An entry of a data translation that matches none.
        .file(
            "content/timeline.uk.yaml",
            "- id: announced\n  title: Оголошено\n- id: announcd\n  title: Хибний\n",
        )
        .file(
            "content/sources.uk.yaml",
            "- id: src-one\n  title: Інша назва\n",
        );
    let run = site.build();
    run.code(1);
    run.error("unknown language suffix `ua`")
        .code("E071")
        .at("content/notes/a.ua.md:1:1")
        .hint("did you mean `uk`?");
    run.error("translates `notes/b.md`, which does not exist")
        .code("E071")
        .at("content/notes/b.uk.md:1:1")
        .hint("`a.uk.md`");
    run.error("`scheduled_start` is set differently from the original")
        .code("E072")
        .at("content/talks/round-one.uk.md:4:1");
    run.error("matches none of the original's (party: party-b)")
        .code("E072")
        .at("content/talks/round-one.uk.md:6:3");
    run.error("entry 3 of `updates` has no original")
        .code("E072")
        .at("content/talks/round-one.uk.md:11:3");
    run.error("no timeline event has the id `announcd`")
        .code("E072")
        .at("content/timeline.uk.yaml:3:3");
    run.error("`title` cannot be translated here")
        .code("E072")
        .at("content/sources.uk.yaml:2:3")
        .hint("title_translated");
    run.error_count(7);
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn a_repeated_structural_value_is_allowed() {
    let site = two_languages().file(
        "content/talks/round-one.uk.md",
        TALK_UK.replacen(
            "title: Перший раунд\n",
            "title: Перший раунд\nstatus: concluded\nscheduled_start: 2025-05-16T12:30\n",
            1,
        ),
    );
    site.build_ok();
}

#[test]
fn the_default_editions_outputs_may_not_go_in_an_editions_folder() {
    let site = two_languages().file("content/uk/x.md", "---\ntitle: X\n---\n");
    site.build()
        .code(1)
        .error("content/uk/x.md writes `uk/x/index.html`, in the folder of the `uk` edition")
        .code("E027")
        .in_file("content/uk/x.md");
}

#[test]
fn editions_build_deterministically() {
    let a = two_languages();
    a.build_ok();
    let first = tree(&a.public());
    a.build_ok();
    common::assert_same_tree(&first, &tree(&a.public()), "a second build");
    let b = two_languages();
    b.build_ok();
    common::assert_same_tree(&first, &tree(&b.public()), "a build of a copy");
}

/// `serve` and `build --watch` render again, in each edition, what an edit touched: a
/// translation's edit its edition's page (and the parallel view), an original's edit the
/// default's page and every edition showing it untranslated; always what a clean build makes.
#[test]
fn a_kept_session_renders_again_the_editions_an_edit_touches() {
    use briefing::build::{BuildOptions, Session};
    use std::collections::BTreeSet;
    let site = two_languages();
    let opts = || BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
    };
    let mut session = Session::new(opts());
    session.rebuild(&BTreeSet::new()).expect("builds");
    let mut step = |rel: &str, text: String| -> Vec<String> {
        site.write(rel, text);
        let r = session
            .rebuild(&[rel.to_string()].into())
            .unwrap_or_else(|_| panic!("{rel}: builds"));
        let clean = Session::new(opts())
            .rebuild(&BTreeSet::new())
            .unwrap_or_else(|_| panic!("{rel}: a clean build"));
        assert_eq!(r.files, clean.files, "{rel}: what a clean build makes");
        r.changed.expect("an update, not a full render")
    };
    let changed = step(
        "content/talks/round-one.uk.md",
        TALK_UK.replace("Чого очікують.", "Чого очікують тепер."),
    );
    assert!(
        changed.contains(&"uk/talks/round-one/index.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.contains(&"talks/round-one/compare/en-uk/index.html".to_string()));
    assert!(
        !changed.contains(&"talks/round-one/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|p| p.starts_with("people/")),
        "{changed:?}"
    );

    let changed = step(
        "content/people/jane-doe.md",
        "---\nname: Jane Doe\nparty: party-a\n---\n\nWho she is, now.\n".into(),
    );
    assert!(
        changed.contains(&"people/jane-doe/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"uk/people/jane-doe/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"uk/talks/round-one/index.html".to_string()),
        "{changed:?}"
    );

    let changed = step(
        "content/talks/round-one.md",
        TALK.replace("What is expected.", "What is expected now."),
    );
    assert!(
        changed.contains(&"talks/round-one/index.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.contains(&"talks/round-one/compare/en-uk/index.html".to_string()));
    // The Ukrainian page has its own body, and the original's front matter is as it was.
    assert!(
        !changed.contains(&"uk/talks/round-one/index.html".to_string()),
        "{changed:?}"
    );
}

#[test]
fn a_misspelt_text_key_is_named() {
    let site = two_languages().file(
        "content/parties/party-a.uk.md",
        "---\nnmae: Сторона А\n---\n\nПро сторону А.\n",
    );
    site.build()
        .code(1)
        .error("`nmae` is not set in the original")
        .code("E072")
        .at("content/parties/party-a.uk.md:2:1")
        .hint("did you mean `name`?");
}

#[test]
fn the_parallel_view_of_an_untranslated_talk_keeps_its_ids_apart() {
    let site = two_languages().file(
        "content/talks/round-one.md",
        TALK.replace("What is expected.", "## Background\n\nWhat is expected."),
    );
    site.remove("content/talks/round-one.uk.md");
    site.build_ok();
    let html = site.read_out("talks/round-one/compare/en-uk/index.html");
    assert_eq!(count(&html, "id=\"a-background\""), 1, "{html}");
    assert_eq!(count(&html, "id=\"b-background\""), 1);
    assert!(html.contains("href=\"#b-background\""));
    // The column shows the original, so it is in the original's language.
    assert!(!html.contains("lang=\"uk\""), "{html}");
    assert!(html.contains("has not translated this page yet"));
}

#[test]
fn of_may_name_the_originals_updated_time() {
    let site = two_languages().file(
        "content/parties/party-a.md",
        "---\nname: Party A\nkind: state\nroles: [negotiating-party]\nleaders: [jane-doe]\nupdated: 2025-05-10T09:00\n---\n\nAbout Party A.\n",
    );
    let uk = |of: &str| format!("---\nname: Сторона А\nof: {of}\n---\n\nПро сторону А.\n");
    site.write("content/parties/party-a.uk.md", uk("2025-05-10T09:00"));
    let run = site.check();
    run.code(0);
    assert!(
        !run.stderr
            .split("warning[W050]")
            .skip(1)
            .any(|w| w.contains("party-a.uk.md")),
        "{}",
        run.stderr
    );
    site.write("content/parties/party-a.uk.md", uk("2025-05-09"));
    let run = site.check();
    assert!(
        run.stderr
            .split("warning[W050]")
            .skip(1)
            .any(|w| w.contains("party-a.uk.md") && w.contains("has changed since")),
        "{}",
        run.stderr
    );
    site.build_ok();
    assert!(
        site.read_out("uk/parties/party-a/index.html")
            .contains("відтоді оновлено")
    );
}

/// The editorial keys of talks and pages are text a translation gives too: the bottom line,
/// what to watch, the labels of key facts and the notes of disputed accounts.
#[test]
fn editorial_text_is_translated_too() {
    let talk = TALK.replacen(
        "sources: [src-one]\n",
        "sources: [src-one]\nbottom_line: A deal on data, none on quotas.\nwatch:\n  - {text: Whether round two is set, date: 2025-06-01}\n\
         facts:\n  - label: Observers present\n    accounts:\n      - {value: 30, sources: [src-one], note: by the organisers}\n      - {value: 45, sources: [src-two]}\n",
        1,
    );
    let talk_uk = TALK_UK.replacen(
        "title: Перший раунд\n",
        "title: Перший раунд\nbottom_line: Угода щодо даних, жодної щодо квот.\nwatch:\n  - text: Чи призначать другий раунд\n\
         facts:\n  - label: Присутні спостерігачі\n    accounts:\n      - note: за даними організаторів\n",
        1,
    );
    let site = two_languages()
        .file("content/talks/round-one.md", talk)
        .file("content/talks/round-one.uk.md", talk_uk);
    site.build_ok();
    let uk = site.read_out("uk/talks/round-one/index.html");
    for text in [
        "Угода щодо даних, жодної щодо квот.",
        "Чи призначать другий раунд",
        "Присутні спостерігачі",
        "за даними організаторів",
    ] {
        assert!(uk.contains(text), "{text} in:\n{uk}");
        assert!(
            !uk.contains(&format!("lang=\"en\">{text}")),
            "{text} is translated"
        );
    }
    // Left out of a translation, editorial text is the original's, and says so.
    site.write(
        "content/talks/round-one.uk.md",
        TALK_UK.replacen(
            "title: Перший раунд\n",
            "title: Перший раунд\nfacts:\n  - accounts:\n      - value: 30\n",
            1,
        ),
    );
    site.build_ok();
    let uk = site.read_out("uk/talks/round-one/index.html");
    for text in [
        "<span lang=\"en\">A deal on data, none on quotas.</span>",
        "<span lang=\"en\">Whether round two is set</span>",
        "<dt lang=\"en\">Observers present</dt>",
        "(<span lang=\"en\">by the organisers</span>)",
    ] {
        assert!(uk.contains(text), "{text} in:\n{uk}");
    }
    // A fact's value is structure: set differently, it is an error at its line.
    site.write(
        "content/talks/round-one.uk.md",
        TALK_UK.replacen(
            "title: Перший раунд\n",
            "title: Перший раунд\nfacts:\n  - label: Присутні\n    accounts:\n      - value: 31\n",
            1,
        ),
    );
    site.build()
        .code(1)
        .error("`value` is set differently from the original")
        .at("content/talks/round-one.uk.md:7:9");
}

#[test]
fn a_problem_of_a_file_every_edition_shows_is_reported_once() {
    let site = two_languages().file(
        "content/talks/round-one.md",
        TALK.replace("status: concluded", "status: scheduled"),
    );
    let run = site.check();
    run.code(0);
    assert_eq!(count(&run.stderr, "warning[W020]"), 1, "{}", run.stderr);
}

/// Under a sub-path base URL every URL below the base is the site's own, so the absolute
/// switcher and hreflang links into the other editions must count as built pages, not as
/// broken links of the default edition.
#[test]
fn editions_under_a_sub_path_base_url_link_to_each_other() {
    let site = two_languages().file(
        "site.yaml",
        SITE_YAML.replace("https://example.org/", "https://example.org/sub/"),
    );
    site.build_ok();
    let en = site.read_out("talks/round-one/index.html");
    assert!(
        en.contains("hreflang=\"uk\" href=\"https://example.org/sub/uk/talks/round-one/\""),
        "{en}"
    );
}

/// Names an edition shows untranslated inside its own phrases ("Голова делегації (…)") carry
/// the original's `lang` too, and only they.
#[test]
fn untranslated_names_inside_generated_phrases_carry_the_originals_lang() {
    let site = two_languages().file(
        "content/people/jane-doe.uk.md",
        "---\nname: Джейн Доу\ntranslation: {from: en, by: human}\n---\n\nХто вона.\n",
    );
    site.remove("content/parties/party-a.uk.md");
    site.build_ok();
    let html = site.read_out("uk/people/jane-doe/index.html");
    assert!(
        html.contains("Голова делегації (<span lang=\"en\">Party A</span>), Міністр"),
        "{html}"
    );
    let en = site.read_out("people/jane-doe/index.html");
    assert!(
        en.contains("Head of the Party A delegation (Minister)"),
        "{en}"
    );
}
