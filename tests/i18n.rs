//! The reader's language: interface strings, dates and plurals follow `language:` in site.yaml;
//! a site's own `i18n/<lang>.ftl` overrides or adds strings, and its mistakes are located.

mod common;

use common::{Site, briefing_site, diagnostics};

/// The fixture briefing in `lang` (its site.yaml with `language:` added), built.
fn built_in(lang: &str) -> Site {
    let site = briefing_site().file(
        "site.yaml",
        format!(
            "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC, Europe/Kyiv]\nlanguage: {lang}\n"
        ),
    );
    site.build_ok();
    site
}

/// The search script's plural forms of "N results", as the search page gives them.
fn result_forms(site: &Site) -> serde_json::Value {
    let html = site.read_out("search/index.html");
    let raw = common::attr(&html, "data-strings");
    let raw = raw.first().expect("the search form has data-strings");
    let json = raw
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&json).expect("data-strings is JSON");
    v["results"].clone()
}

#[test]
fn labels_dates_and_plurals_follow_the_sites_language() {
    let en = built_in("en");
    let talk = en.read_out("talks/round-one/index.html");
    assert!(talk.contains("<html lang=\"en\">"), "{talk}");
    assert!(talk.contains(">Key facts</h2>"), "{talk}");
    assert!(talk.contains("<dt>Scheduled start</dt>"), "{talk}");
    // 12:30 in Geneva (Europe/Zurich, summer time) is 10:30 UTC and 13:30 in Kyiv.
    assert!(talk.contains("12:30 Geneva, 16 May 2025"), "{talk}");
    assert!(talk.contains("UTC 10:30 · Kyiv 13:30"), "{talk}");
    let forms = result_forms(&en);
    assert_eq!(forms["one"], "{n} result");
    assert_eq!(forms["other"], "{n} results");
    assert_eq!(forms["0"], "No results");

    let uk = built_in("uk");
    let talk = uk.read_out("talks/round-one/index.html");
    assert!(talk.contains("<html lang=\"uk\">"), "{talk}");
    assert!(talk.contains(">Основні факти</h2>"), "{talk}");
    assert!(talk.contains("<dt>Запланований початок</dt>"), "{talk}");
    assert!(talk.contains("<dt>Статус</dt>"), "{talk}");
    assert!(talk.contains(">Заплановано</span>"), "status label: {talk}");
    // CLDR writes a narrow no-break space before "р.".
    assert!(
        talk.contains("12:30 Geneva, 16 травня 2025\u{202f}р."),
        "{talk}"
    );
    assert!(talk.contains("UTC 10:30 · Київ 13:30"), "{talk}");
    assert!(!talk.contains("Key facts"), "{talk}");
    let forms = result_forms(&uk);
    assert_eq!(forms["one"], "{n} результат");
    assert_eq!(forms["few"], "{n} результати");
    assert_eq!(forms["many"], "{n} результатів");
    // Navigation labels declared with the kinds, and the front page's date.
    let front = uk.read_out("index.html");
    assert!(front.contains(">Переговори</a>"), "{front}");
    assert!(front.contains(">Огляд</a>"), "{front}");

    let ru = built_in("ru");
    let talk = ru.read_out("talks/round-one/index.html");
    assert!(talk.contains(">Основные факты</h2>"), "{talk}");
    assert!(talk.contains("16 мая 2025\u{202f}г."), "{talk}");
    assert!(talk.contains("UTC 10:30 · Киев 13:30"), "{talk}");
    let forms = result_forms(&ru);
    assert_eq!(forms["few"], "{n} результата");
    assert_eq!(forms["many"], "{n} результатов");

    let ko = built_in("ko");
    let talk = ko.read_out("talks/round-one/index.html");
    assert!(talk.contains(">주요 사항</h2>"), "{talk}");
    assert!(
        talk.contains("오후 12:30 Geneva, 2025년 5월 16일"),
        "{talk}"
    );
    assert!(talk.contains("키이우 오후 1:30"), "{talk}");
    assert_eq!(result_forms(&ko)["other"], "결과 {n}건");
}

#[test]
fn a_sites_strings_override_the_built_in_ones() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: Test briefing\nbase_url: https://example.org/\nlanguage: uk\n",
        )
        .file("i18n/uk.ftl", "key-facts = Коротко про раунд\n")
        .file("i18n/notes.txt", "not a translation file\n");
    let r = site.build_ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let talk = site.read_out("talks/round-one/index.html");
    assert!(talk.contains(">Коротко про раунд</h2>"), "{talk}");
    // Everything else keeps the built-in Ukrainian.
    assert!(talk.contains(">Порядок денний</h2>"), "{talk}");
}

#[test]
fn a_language_without_built_in_strings_falls_back_to_english_and_check_warns() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: Test briefing\nbase_url: https://example.org/\nlanguage: de\n",
        )
        .file("i18n/de.ftl", "key-facts = Eckdaten\ndate-locale = de\n");
    site.build_ok();
    let talk = site.read_out("talks/round-one/index.html");
    assert!(talk.contains(">Eckdaten</h2>"), "{talk}");
    assert!(talk.contains(">Agenda</h2>"), "English fallback: {talk}");
    assert!(talk.contains("16. Mai 2025"), "German dates: {talk}");
    let r = site.check();
    let d = diagnostics(&r.stderr);
    let w = d
        .iter()
        .find(|d| d.code == "W035")
        .unwrap_or_else(|| panic!("no W035 warning:\n{}", r.stderr));
    assert_eq!(w.level, "warning");
    w.in_file("i18n/de.ftl");
    assert!(w.message.contains("shown in English"), "{}", w.message);
    // `check --strict` fails on it.
    common::run(site.cmd("check", &["--strict"])).code(1);
}

#[test]
fn a_malformed_translation_file_is_an_error_at_its_line_and_column() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: Test briefing\nbase_url: https://example.org/\nlanguage: uk\n",
        )
        .file(
            "i18n/uk.ftl",
            "key-facts = Основне\nagenda = { $x ! }\nled-by = Очолює\n",
        );
    let r = site.build();
    r.code(1);
    let e = r.error("translation file does not parse");
    e.code("E035").in_file("i18n/uk.ftl").hint("Fluent syntax");
    let locus = e.locus.clone().unwrap_or_default();
    assert!(locus.starts_with("i18n/uk.ftl:2:"), "{locus}");
    assert!(!site.out_exists("index.html"), "no half-written site");
}

#[test]
fn a_translation_file_named_after_no_language_is_an_error() {
    let site = briefing_site().file("i18n/not a tag.ftl", "key-facts = X\n");
    let r = site.build();
    r.code(1);
    r.error("is not a language tag")
        .code("E035")
        .in_file("i18n/not a tag.ftl");
}

#[test]
fn a_template_asking_for_an_unknown_string_is_a_located_template_error() {
    let site = briefing_site().file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ tr(key=\"no-such-string\") }}\n{% endblock %}\n",
    );
    let r = site.build();
    r.code(1);
    r.error("unknown interface string `no-such-string`")
        .code("E030")
        .in_file("templates/page.html");
}

/// The Ukrainian edition of a site whose pages show everything the theme writes around the
/// content (a paginated listing, a byline, a page not yet translated, a split timeline) says it
/// all in Ukrainian: no English interface words are left.
#[test]
fn a_ukrainian_edition_has_no_english_interface_words_left() {
    let site = briefing_site()
        .file(
            "site.yaml",
            "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\n\
             author: The editors\npaginate_by: 1\nsplit_above: 1\n\
             languages:\n  - code: en\n  - code: uk\n    title: Тестовий брифінг\n    author: Редакція\n",
        )
        .file(
            "content/notes/b.md",
            "---\ntitle: Note B\ndate: 2025-05-12\n---\n\nMore text.\n",
        )
        .file(
            "content/timeline.yaml",
            "- date: 2024-03-01\n  title: Contacts resume\n\
             - date: 2025-05-01\n  title: Talks announced\n  parties: [party-a]\n  sources: [src-two]\n\
             - date: 2025-05-02\n  title: Venue chosen\n",
        );
    site.build_ok();
    let english = [
        "Page 1 of",
        "Next page",
        "Previous page",
        "Pages of this listing",
        "(page 2 of 2)",
        "By The editors",
        ">Published ",
        "not yet translated",
        "Read the original",
        ">Corrections<",
        ">Changes<",
        "events)",
        "All years",
        "Years of the timeline",
        "Timeline: 2025",
        "aria-label=\"Language\"",
        "aria-label=\"Translation\"",
    ];
    let pages = [
        "uk/notes/index.html",
        "uk/notes/page/2/index.html",
        "uk/notes/b/index.html",
        "uk/talks/round-one/index.html",
        "uk/timeline/index.html",
        "uk/timeline/2025/index.html",
    ];
    let mut all = String::new();
    for p in pages {
        let html = site.read_out(p);
        for e in english {
            assert!(!html.contains(e), "{p} still says {e:?}:\n{html}");
        }
        all.push_str(&html);
    }
    for uk in [
        "Сторінка 1 з 2",
        "Наступна сторінка",
        "Попередня сторінка",
        "aria-label=\"Сторінки цього списку\"",
        "<title>Note B",
        "(сторінка 2 з 2) · Тестовий брифінг</title>",
        "<span class=\"by\">Автор: Редакція</span>",
        "<span class=\"published\">Опубліковано ",
        "Цю сторінку ще не перекладено: її показано в оригіналі, англійською мовою.",
        "Читати оригінал</a>.",
        ">Виправлення</a> · <a href=\"/uk/changes/\">Зміни</a>",
        "(3 події)",
        "(1 подія)",
        "Усі роки",
        "aria-label=\"Роки хронології\"",
        "<title>Хронологія: 2025 · Тестовий брифінг</title>",
        "aria-label=\"Мова\"",
    ] {
        assert!(all.contains(uk), "no {uk:?} in the uk edition:\n{all}");
    }
    // The English edition keeps its English words and its own author.
    let en = site.read_out("notes/index.html");
    assert!(en.contains("Page 1 of 2"), "{en}");
    let talk = site.read_out("talks/round-one/index.html");
    assert!(
        talk.contains("<span class=\"by\">By The editors</span>"),
        "{talk}"
    );
}
