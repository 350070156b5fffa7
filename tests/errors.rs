//! The bad-input corpus. Each case starts from a good briefing that is built first, breaks it,
//! and builds again: the build must fail with the expected exit code, message, `file:line:col`
//! and hint, must not panic, must leave the previous `public/` byte-identical, and `check` must
//! report the same errors. Valid-but-unusual inputs (BOM and CRLF, a 20 MB page, odd file names)
//! must build.

mod common;

use common::{Diag, Run, Site, assert_same_tree, briefing_site, files_containing, talk, tree};

/// Build the good site, apply `breakage`, build again (the build must fail), and check that the
/// previous output is untouched and that `check` agrees with `build`.
fn broken_with(breakage: impl FnOnce(&Site)) -> (Site, Run) {
    let site = briefing_site();
    let first = site.build_ok();
    assert!(
        first.errors().is_empty() && !first.stderr.contains("warning["),
        "the good site builds cleanly:\n{}",
        first.stderr
    );
    let before = tree(&site.public());
    assert!(before.contains_key("index.html"));

    breakage(&site);
    let build = site.build();
    build.no_panic();
    assert_ne!(
        build.code,
        Some(0),
        "the broken site built:\n{}",
        build.stderr
    );
    assert_same_tree(
        &before,
        &tree(&site.public()),
        "public/ before and after the failed build",
    );
    assert!(
        site.leftovers().is_empty(),
        "temporary folders left behind: {:?}",
        site.leftovers()
    );

    let check = site.check();
    check.no_panic();
    assert_eq!(
        check.code, build.code,
        "check and build disagree:\n--- check ---\n{}\n--- build ---\n{}",
        check.stderr, build.stderr
    );
    let key = |r: &Run| -> Vec<(String, Option<String>)> {
        r.errors()
            .into_iter()
            .map(|d| (d.message, d.locus))
            .collect()
    };
    assert_eq!(key(&check), key(&build), "check reports what build reports");
    (site, build)
}

/// [`broken_with`], writing the given files.
fn broken(files: &[(&str, &[u8])]) -> Run {
    broken_with(|site| {
        for (rel, bytes) in files {
            site.write(rel, bytes);
        }
    })
    .1
}

fn one_error(files: &[(&str, &[u8])], fragment: &str) -> Diag {
    let r = broken(files);
    r.code(1).error_count(1);
    r.error(fragment)
}

// --- Front matter and YAML syntax ---------------------------------------------------------

#[test]
fn front_matter_never_closed() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\nsummary: S\n\nBody text.\n",
        )],
        "front matter is never closed",
    )
    .at("content/notes/b.md:1:1")
    .hint("add a line `---`");
}

#[test]
fn tabs_in_yaml_indentation() {
    // Whatever the parser calls it, the hint must name the tab.
    one_error(
        &[("content/notes/b.md", b"---\ntitle: B\ntags:\n\t- x\n---\n")],
        "",
    )
    .at("content/notes/b.md:4:1")
    .hint("spaces, not tabs")
    .no_inner_position();
}

#[test]
fn tab_before_a_key() {
    one_error(
        &[("content/notes/b.md", b"---\ntitle: B\n\ttags: [x]\n---\n")],
        "tab",
    )
    .at("content/notes/b.md:3:1")
    .hint("spaces, not tabs")
    .no_inner_position();
}

#[test]
fn unclosed_quote() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: \"B\ntags: [x]\n---\n\nBody\n",
        )],
        "quoted scalar",
    )
    .at("content/notes/b.md:2:8")
    .hint("closing quote")
    .no_inner_position();
}

#[test]
fn key_given_twice_points_at_the_repeat() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\nsummary: one\nsummary: two\n---\n",
        )],
        "given twice",
    )
    .at("content/notes/b.md:4:1")
    .hint("each key may appear once");
}

#[test]
fn unknown_key_with_a_suggestion() {
    one_error(
        &[("content/notes/b.md", b"---\ntitle: B\ntagz: [x]\n---\n")],
        "unknown key `tagz`",
    )
    .at("content/notes/b.md:3:1")
    .hint("did you mean `tags`?");
}

#[test]
fn unknown_key_in_a_talk_with_a_suggestion() {
    let text = talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("status: scheduled", "statsu: scheduled");
    one_error(
        &[("content/talks/round-one.md", text.as_bytes())],
        "unknown key `statsu`",
    )
    .at("content/talks/round-one.md:3:1")
    .hint("did you mean `status`?");
}

#[test]
fn unknown_key_far_from_any_lists_the_known_keys() {
    one_error(
        &[("content/notes/b.md", b"---\ntitle: B\nqqqqqqqq: 1\n---\n")],
        "unknown key `qqqqqqqq`",
    )
    .at("content/notes/b.md:3:1")
    .no_hint("did you mean")
    .hint("known keys");
}

#[test]
fn wrong_type_list_where_a_string_goes() {
    one_error(
        &[("content/notes/b.md", b"---\ntitle: [B, C]\n---\n")],
        "expected a string",
    )
    .at("content/notes/b.md:2:8");
}

#[test]
fn date_that_does_not_exist() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\ndate: 2025-02-30\n---\n",
        )],
        "2025-02-30",
    )
    .at("content/notes/b.md:3:7");
}

#[test]
fn talk_start_that_does_not_exist() {
    let text = talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("2025-05-16T12:30", "2025-02-30T12:30");
    one_error(
        &[("content/talks/round-one.md", text.as_bytes())],
        "2025-02-30T12:30",
    )
    .at("content/talks/round-one.md:8:18");
}

#[test]
fn time_zone_that_does_not_exist() {
    let text = talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("Europe/Zurich", "Europe/Istanbull");
    one_error(
        &[("content/talks/round-one.md", text.as_bytes())],
        "unknown time zone `Europe/Istanbull`",
    )
    .at("content/talks/round-one.md:7:13");
}

// --- References between records -------------------------------------------------------------

fn bad_talk(mediator: &str, person: &str, topic: &str, source: &str, fragment: &str) -> Diag {
    let text = talk(mediator, person, topic, source);
    one_error(&[("content/talks/round-one.md", text.as_bytes())], fragment)
}

#[test]
fn missing_party() {
    bad_talk(
        "mediatr",
        "jane-doe",
        "ceasefire",
        "src-one",
        "unknown party `mediatr`",
    )
    .at("content/talks/round-one.md:10:12")
    .hint("did you mean `mediator`?");
}

#[test]
fn an_unknown_id_is_located_where_it_is_used_not_where_it_is_mentioned() {
    // The bad topic id also appears, as a plain word, in the title above its use.
    let text = talk("mediator", "jane-doe", "truce", "src-one")
        .replace("title: Round one", "title: Round one, a truce in sight");
    one_error(
        &[("content/talks/round-one.md", text.as_bytes())],
        "unknown topic `truce`",
    )
    .at("content/talks/round-one.md:17:12");
}

#[test]
fn missing_party_with_no_close_match_gets_no_suggestion() {
    bad_talk(
        "zzzzzzzzzz",
        "jane-doe",
        "ceasefire",
        "src-one",
        "unknown party `zzzzzzzzzz`",
    )
    .at("content/talks/round-one.md:10:12")
    .no_hint("did you mean");
}

#[test]
fn missing_person() {
    bad_talk(
        "mediator",
        "jane-do",
        "ceasefire",
        "src-one",
        "unknown person `jane-do`",
    )
    .at("content/talks/round-one.md:14:15")
    .hint("did you mean `jane-doe`?");
}

#[test]
fn missing_topic() {
    bad_talk(
        "mediator",
        "jane-doe",
        "ceasfire",
        "src-one",
        "unknown topic `ceasfire`",
    )
    .at("content/talks/round-one.md:17:12")
    .hint("did you mean `ceasefire`?");
}

#[test]
fn missing_source() {
    bad_talk(
        "mediator",
        "jane-doe",
        "ceasefire",
        "src-onee",
        "unknown source `src-onee`",
    )
    .at("content/talks/round-one.md:19:11")
    .hint("did you mean `src-one`?");
}

#[test]
fn missing_source_cited_in_a_page_body() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\nClaim [@src-onee] here.\n",
        )],
        "unknown source `src-onee`",
    )
    .at("content/notes/b.md:5:9")
    .hint("did you mean `src-one`?");
}

#[test]
fn missing_party_in_the_timeline() {
    one_error(
        &[(
            "content/timeline.yaml",
            b"- date: 2025-05-01\n  title: Talks announced\n  parties: [party-b]\n  sources: [src-two]\n",
        )],
        "unknown party `party-b`",
    )
    .at("content/timeline.yaml:3:13")
    .hint("did you mean `party-a`?");
}

#[test]
fn duplicate_source_id_points_at_the_second() {
    one_error(
        &[(
            "content/sources.yaml",
            b"- id: src-one\n  publisher: A\n- id: src-two\n  publisher: B\n- id: src-one\n  publisher: C\n",
        )],
        "duplicate source id `src-one`",
    )
    .at("content/sources.yaml:5:7");
}

// --- Files and output paths ------------------------------------------------------------------

#[test]
fn two_pages_with_the_same_output_path() {
    let d = one_error(
        &[
            ("content/notes/Same Name.md", b"---\ntitle: One\n---\n"),
            ("content/notes/same-name.md", b"---\ntitle: Two\n---\n"),
        ],
        "notes/same-name/index.html",
    );
    assert!(
        d.message.contains("content/notes/Same Name.md")
            && d.message.contains("content/notes/same-name.md"),
        "names both files:\n{}",
        d.text
    );
    let locus = d.locus.clone().unwrap_or_default();
    assert!(
        locus.starts_with("content/notes/Same Name.md")
            || locus.starts_with("content/notes/same-name.md"),
        "located in one of the two files:\n{}",
        d.text
    );
    d.hint("slug");
}

#[test]
fn empty_file() {
    one_error(&[("content/notes/empty.md", b"")], "empty file")
        .at("content/notes/empty.md:1:1")
        .hint("title");
}

#[test]
fn file_that_is_not_utf8() {
    one_error(
        &[("content/notes/b.md", b"---\ntitle: caf\xe9\n---\n")],
        "not valid UTF-8",
    )
    .at("content/notes/b.md:2:11")
    .hint("UTF-8");
}

#[test]
fn bom_and_crlf_build() {
    let site = briefing_site()
        .file(
            "content/notes/a.md",
            b"\xEF\xBB\xBF---\r\ntitle: Windows note\r\ntags: [crlf]\r\n---\r\n\r\n## Heading here\r\n\r\nLine *one*\r\nline two.\r\n",
        )
        .file(
            "content/talks/round-one.md",
            format!(
                "\u{feff}{}",
                talk("mediator", "jane-doe", "ceasefire", "src-one").replace('\n', "\r\n")
            ),
        );
    let r = site.build_ok();
    assert!(r.errors().is_empty(), "{}", r.stderr);
    let html = site.read_out("notes/a/index.html");
    assert!(html.contains("Windows note"), "{html}");
    assert!(html.contains("<em>one</em>"), "{html}");
    assert!(html.contains("id=\"heading-here\""), "{html}");
    assert!(!html.contains('\u{feff}'), "no BOM in the output");
    assert!(!html.contains('\r'), "no CR in the output");
    assert!(site.out_exists("tags/crlf/index.html"));
    assert!(
        site.read_out("talks/round-one/index.html")
            .contains("Round one")
    );
}

#[test]
fn bom_and_crlf_errors_are_located_like_any_other() {
    one_error(
        &[(
            "content/notes/b.md",
            b"\xEF\xBB\xBF---\r\ntitle: B\r\ntagz: [x]\r\n---\r\n",
        )],
        "unknown key `tagz`",
    )
    .at("content/notes/b.md:3:1")
    .hint("did you mean `tags`?");
}

// --- Links --------------------------------------------------------------------------------------

#[test]
fn internal_link_to_a_missing_file() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\nSee [the plan](@/notes/missing.md).\n",
        )],
        "notes/missing.md",
    )
    .at("content/notes/b.md:5:16");
}

#[test]
fn internal_link_with_a_typo_gets_a_suggestion() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\nIntro.\n\nSee [A](@/notes/aa.md).\n",
        )],
        "notes/aa.md",
    )
    .at("content/notes/b.md:7:9")
    .hint("did you mean `notes/a.md`?");
}

#[test]
fn internal_link_to_a_missing_anchor() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\nSee [A](@/notes/a.md#nowhere).\n",
        )],
        "no anchor `#nowhere`",
    )
    .at("content/notes/b.md:5:9");
}

#[test]
fn link_to_a_missing_anchor_of_the_same_page() {
    // A link to an id of its own page is settled when the page is scanned; one to an id the
    // page lacks is still found, and placed in the Markdown.
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\n## Here\n\nSee [here](#here) and [there](#there).\n",
        )],
        "no anchor `#there`",
    )
    .at("content/notes/b.md:7:31");
}

// --- Templates ----------------------------------------------------------------------------------

#[test]
fn template_syntax_error() {
    one_error(
        &[("templates/page.html", b"<html>\n{{ page.title }\n</html>\n")],
        "template syntax error",
    )
    .at("templates/page.html:2:15");
}

#[test]
fn template_with_an_undefined_variable() {
    one_error(
        &[(
            "templates/page.html",
            b"<html>\n<p>{{ nosuchvar }}</p>\n</html>\n",
        )],
        "nosuchvar",
    )
    .at("templates/page.html:2:7");
}

// --- Size, alias bombs, nesting ---------------------------------------------------------------

#[test]
fn twenty_megabyte_page_builds() {
    let mut text = String::from("---\ntitle: Big\n---\n\n");
    let mut i = 0;
    while text.len() < 20 * 1024 * 1024 {
        if i % 1000 == 0 {
            text.push_str(&format!("## Part {}\n\n", i / 1000));
        }
        text.push_str(&format!(
            "Paragraph {i} with *emphasis*, **strong**, `code` and a [link](https://news.example.com/{i}). \
             Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n\n"
        ));
        i += 1;
    }
    text.push_str("The very LAST-PARAGRAPH-MARKER.\n");
    let site = briefing_site().file("content/notes/big.md", &text);
    site.build_ok();
    let html = site.read_out("notes/big/index.html");
    assert!(html.len() > 20 * 1024 * 1024, "the whole page was rendered");
    assert!(html.contains("<p>The very LAST-PARAGRAPH-MARKER.</p>"));
    assert!(html.contains(&format!("Paragraph {}", i - 1)));
}

/// Nine levels of ten aliases each: 10^10 nodes if expanded.
fn alias_bomb(indent: &str) -> String {
    let mut y = format!("{indent}a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        y.push_str(&format!("{indent}{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    y
}

#[test]
fn alias_bomb_in_front_matter_is_an_error() {
    let text = format!("---\ntitle: Bomb\nextra:\n{}---\n", alias_bomb("  "));
    let r = broken(&[("content/notes/bomb.md", text.as_bytes())]);
    r.code(1).error_count(1);
    r.error("alias").in_file("content/notes/bomb.md");
    assert!(r.stderr.len() < 10_000, "the error output is small");
}

#[test]
fn alias_bomb_in_a_data_file_is_an_error() {
    let r = broken(&[("content/data/bomb.yaml", alias_bomb("").as_bytes())]);
    r.code(1).error_count(1);
    r.error("alias").in_file("content/data/bomb.yaml");
    assert!(r.stderr.len() < 10_000, "the error output is small");
}

#[test]
fn deeply_nested_flow_yaml_is_an_error() {
    let text = format!(
        "---\ntitle: Deep\nextra: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let r = broken(&[("content/notes/deep.md", text.as_bytes())]);
    r.code(1).error_count(1);
    let d = r.error("nested");
    d.in_file("content/notes/deep.md");
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with("content/notes/deep.md:3:")),
        "located on the line of the nesting:\n{}",
        d.text
    );
}

#[test]
fn deeply_nested_block_yaml_is_an_error() {
    let mut text = String::from("---\ntitle: Deep\nextra:\n");
    for i in 0..1000 {
        text.push_str(&"  ".repeat(i + 1));
        text.push_str(&format!("k{i}:\n"));
    }
    text.push_str(&"  ".repeat(1001));
    text.push_str("end\n---\n");
    let r = broken(&[("content/notes/deep.md", text.as_bytes())]);
    r.code(1).error_count(1);
    r.error("nested").in_file("content/notes/deep.md");
}

#[test]
fn deeply_nested_data_file_is_an_error() {
    let text = format!("x: {}{}\n", "{a: ".repeat(50_000), "}".repeat(50_000));
    let r = broken(&[("content/data/deep.yaml", text.as_bytes())]);
    r.code(1).error_count(1);
    r.error("nested").in_file("content/data/deep.yaml");
}

// --- Links out of the site, odd names ---------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_to_a_file_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let secret = "SECRET-CONTENT-7f3a9c";
    let target = outside.path().join("secret.md");
    std::fs::write(&target, format!("---\ntitle: Secret\n---\n\n{secret}\n")).unwrap();
    let css = outside.path().join("secret.css");
    std::fs::write(&css, format!("/* {secret} */")).unwrap();

    let (site, r) = broken_with(|site| {
        std::os::unix::fs::symlink(&target, site.path("content/notes/leak.md")).unwrap();
        std::fs::create_dir_all(site.path("static")).unwrap();
        std::os::unix::fs::symlink(&css, site.path("static/leak.css")).unwrap();
    });
    r.code(1).error_count(2);
    let errors = r.errors();
    for link in ["content/notes/leak.md", "static/leak.css"] {
        let d = errors
            .iter()
            .find(|d| d.locus.as_deref().is_some_and(|l| l.starts_with(link)))
            .unwrap_or_else(|| panic!("no error names {link}:\n{}", r.stderr));
        assert!(d.message.contains("outside the site"), "{}", d.text);
    }
    assert!(!r.stderr.contains(secret), "the linked file was read");
    let out = tree(&site.public());
    assert!(
        files_containing(&out, secret).is_empty(),
        "the linked file's content reached the output"
    );
}

#[test]
fn file_names_with_spaces_and_non_latin_letters_build() {
    let site = briefing_site()
        .file(
            "content/notes/with space.md",
            "---\ntitle: With space\n---\n\nSee [the talks](<@/notes/Переговори 2025.md>).\n",
        )
        .file(
            "content/notes/Переговори 2025.md",
            "---\ntitle: Переговори\n---\n\nSee [the other](<@/notes/with space.md>) and ![map](<карта 1.png>).\n",
        )
        .file("content/notes/карта 1.png", b"not really a png")
        .file("content/Новини/Перша новина.md", "---\ntitle: Перша\n---\n");
    site.build_ok();
    let a = site.read_out("notes/with-space/index.html");
    assert!(a.contains("href=\"/notes/peregovori-2025/\""), "{a}");
    let b = site.read_out("notes/peregovori-2025/index.html");
    assert!(b.contains("href=\"/notes/with-space/\""), "{b}");
    assert!(site.out_exists("novini/persha-novina/index.html"));
    assert_eq!(
        std::fs::read(site.public().join("notes/карта 1.png")).unwrap(),
        b"not really a png"
    );
}

// --- Many problems at once, and the snapshot ------------------------------------------------

#[test]
fn several_broken_files_are_all_reported_in_one_run() {
    let bad_talk = talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("2025-05-16T12:30", "2025-02-30T12:30");
    let r = broken(&[
        ("content/notes/b.md", b"---\ntitle: B\n\nno closing line\n"),
        ("content/notes/c.md", b"---\ntitle: C\ntagz: [x]\n---\n"),
        ("content/notes/d.md", b"---\ntitle: caf\xe9\n---\n"),
        ("content/talks/round-one.md", bad_talk.as_bytes()),
        (
            "content/timeline.yaml",
            b"- date: 2025-05-01\n  titel: Talks announced\n",
        ),
    ]);
    r.code(1).error_count(5);
    r.error("never closed").at("content/notes/b.md:1:1");
    r.error("unknown key `tagz`").at("content/notes/c.md:3:1");
    r.error("not valid UTF-8").at("content/notes/d.md:2:11");
    r.error("2025-02-30").at("content/talks/round-one.md:8:18");
    r.error("titel").at("content/timeline.yaml:2:3");
}

#[test]
fn snapshot_of_a_front_matter_error() {
    let r = broken(&[(
        "content/notes/b.md",
        b"---\ntitle: B\nsummary: Never closed\n\nBody text.\n",
    )]);
    r.code(1);
    insta::assert_snapshot!("front_matter_never_closed_stderr", r.stderr);
}

#[test]
fn file_errors_and_reference_errors_are_reported_in_the_same_run() {
    // A person whose file is broken, a talk that references them (not reported again), and
    // an unrelated bad reference in the same build.
    let r = broken(&[
        (
            "content/people/jane-doe.md",
            b"---\nname: Jane Doe\nparty: party-a\nrole: x\n---\n",
        ),
        (
            "content/parties/party-a.md",
            b"---\nname: Party A\nkind: state\nleaders: [jane-doe, john-roe]\n---\n",
        ),
    ]);
    r.code(1).error_count(2);
    r.error("unknown key `role`")
        .at("content/people/jane-doe.md:4:1");
    r.error("unknown person `john-roe`")
        .at("content/parties/party-a.md:4:21");
}

#[test]
fn an_unreadable_sources_file_does_not_make_every_citation_an_error() {
    let r = broken(&[(
        "content/sources.yaml",
        b"- id: src-one\n  publisher: [unclosed\n",
    )]);
    r.code(1).error_count(1);
    r.error("").in_file("content/sources.yaml");
}

// --- Briefing-model rules on times, statuses, ids -------------------------------------------

const TIMED_TALK: &str = "---\ntitle: Round two\nstatus: concluded\nvenue:\n  name: Palais\n  timezone: Europe/Zurich\n\
scheduled_start: 2025-05-16T10:00\nactual_start: 2025-05-16T10:30\nactual_end: 2025-05-16T09:00\n---\nText.\n";

#[test]
fn a_talk_that_ends_before_it_starts_is_an_error_at_actual_end() {
    let d = one_error(
        &[("content/talks/round-two.md", TIMED_TALK.as_bytes())],
        "ends",
    );
    d.at("content/talks/round-two.md:9:1");
    assert!(d.message.contains("before it starts"), "{}", d.message);
}

#[test]
fn a_status_that_contradicts_the_times_is_an_error_at_status() {
    let talk = TIMED_TALK
        .replace("status: concluded", "status: scheduled")
        .replace("actual_end: 2025-05-16T09:00\n", "");
    let d = one_error(
        &[("content/talks/round-two.md", talk.as_bytes())],
        "contradicts",
    );
    d.at("content/talks/round-two.md:3:1");
    let talk = TIMED_TALK
        .replace("status: concluded", "status: under-way")
        .replace(
            "actual_end: 2025-05-16T09:00",
            "actual_end: 2025-05-16T12:00",
        );
    one_error(
        &[("content/talks/round-two.md", talk.as_bytes())],
        "contradicts",
    )
    .at("content/talks/round-two.md:3:1");
}

#[test]
fn a_scheduled_talk_in_the_past_is_a_warning_not_an_error() {
    let site = briefing_site().file(
        "content/talks/round-zero.md",
        "---\ntitle: Round zero\nstatus: scheduled\nvenue: {name: P, timezone: UTC}\nscheduled_start: 2025-01-02T10:00\n---\n",
    );
    let r = site.build();
    r.code(0).no_panic();
    assert!(
        r.stderr
            .contains("warning[W020]: talk is still `scheduled`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/talks/round-zero.md:3:1"),
        "{}",
        r.stderr
    );
    site.check().code(0);
    common::run(site.cmd("check", &["--strict"])).code(1);
}

#[test]
fn a_record_file_name_must_be_a_slug() {
    let d = one_error(
        &[("content/people/Jane Roe.md", b"---\nname: Jane Roe\n---\n")],
        "is not a slug",
    );
    d.at("content/people/Jane Roe.md:1:1")
        .hint("jane-roe.md")
        .hint("lowercase letters, digits and `-`");
}

#[test]
fn duplicate_timeline_ids_are_an_error() {
    one_error(
        &[(
            "content/timeline.yaml",
            b"- date: 2025-05-01\n  title: Talks announced\n- date: 2025-05-01\n  title: Talks announced\n",
        )],
        "two timeline events have the id",
    )
    .in_file("content/timeline.yaml");
}

#[test]
fn an_unknown_talk_in_the_timeline_suggests_the_closest() {
    one_error(
        &[(
            "content/timeline.yaml",
            b"- date: 2025-05-01\n  title: Talks announced\n  talks: [round-on]\n",
        )],
        "unknown talk `round-on`",
    )
    .at("content/timeline.yaml:3:11")
    .hint("did you mean `round-one`?");
}

#[test]
fn a_reference_to_a_draft_says_so() {
    // Jane Doe leads the party and heads the delegation: both references name the draft.
    let r = broken(&[(
        "content/people/jane-doe.md",
        b"---\nname: Jane Doe\nparty: party-a\ndraft: true\n---\n",
    )]);
    r.code(1).error_count(2);
    r.error("unknown person `jane-doe`").hint("is a draft");
}

#[test]
fn a_malformed_language_tag_is_an_error_at_its_line() {
    let person =
        "---\nname: Jane Doe\nnative_name:\n  text: Джейн\n  lang: uk_UA\nparty: party-a\n---\n";
    let r = broken(&[("content/people/jane-doe.md", person.as_bytes())]);
    r.code(1);
    r.error("`uk_UA` is not a language tag")
        .at("content/people/jane-doe.md:5:9")
        .hint("`uk-UA`");
}

#[test]
fn a_language_name_in_site_yaml_is_refused() {
    one_error(
        &[("site.yaml", b"title: Test briefing\nlanguage: English\n")],
        "`English` is not a language tag",
    )
    .in_file("site.yaml")
    .hint("not a name");
}

#[test]
fn an_invalid_as_of_is_an_error_in_site_yaml() {
    one_error(
        &[(
            "site.yaml",
            b"title: Test briefing\nbase_url: https://example.org/\nas_of: 2025-02-30\n",
        )],
        "as_of",
    )
    .in_file("site.yaml");
}

#[test]
fn an_error_in_site_yaml_is_reported_with_the_contents_errors() {
    let r = broken(&[
        (
            "site.yaml",
            b"title: Test briefing\nbase_url: https://example.org/\nas_of: 2025-02-30\n",
        ),
        (
            "content/notes/bad.md",
            b"---\ntitle: Bad\ntags: [\"!!!\"]\n---\n\nText.\n",
        ),
    ]);
    r.code(1).error_count(2);
    r.error("as_of").in_file("site.yaml");
    r.error("has no letters or digits");
}

/// Every bad value of `site.yaml` is reported in one run, each at its line, and a misspelt zone
/// is matched to the zone's current name (`Europe/Kyiv`, not the old `Europe/Kiev`).
#[test]
fn every_bad_value_in_site_yaml_is_reported_at_once() {
    let r = broken(&[(
        "site.yaml",
        b"title: Test briefing\ndisplay_timezones: [Europe/Kyev]\nas_of: 2025-02-30\n",
    )]);
    r.code(1).error_count(2);
    r.error("Europe/Kyev")
        .at("site.yaml:2:21")
        .hint("`Europe/Kyiv`");
    r.error("as_of").at("site.yaml:3:8");
}

/// A local time that no zone can turn into an instant (past the end of the supported range)
/// used to be written as 1970-01-01 in calendar.ics; it is an error at its line.
#[test]
fn a_time_that_cannot_be_converted_is_an_error_at_its_line() {
    let text = talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("2025-05-16T12:30", "9999-12-31T23:30")
        .replace("Europe/Zurich", "America/New_York");
    one_error(
        &[("content/talks/round-one.md", text.as_bytes())],
        "9999-12-31T23:30",
    )
    .at("content/talks/round-one.md:8:18")
    .hint("between the years");
}

/// A `base_url` that cannot be the address of a site is an error at its line, saying why.
#[test]
fn a_bad_base_url_is_an_error_at_its_line() {
    for (url, why) in [
        ("example.org/briefing/", "http:// or https://"),
        ("https://example.org\\briefing/", "backslash"),
        (
            "https://editor:secret@example.org/",
            "user name or password",
        ),
        ("https://example.org/a/../b/", "`..`"),
        ("https://example.org/./b/", "`.`"),
        ("https:///briefing/", "no host"),
    ] {
        let yaml = format!("title: Test briefing\nbase_url: {url}\n");
        let d = one_error(&[("site.yaml", yaml.as_bytes())], "base_url");
        d.at("site.yaml:2:11");
        assert!(d.message.contains(why), "{url}: {}", d.text);
    }
}

/// A title (or name) that is required may not be empty or null: it would make an empty link
/// text in every listing.
#[test]
fn an_empty_or_null_title_is_an_error_at_its_line() {
    for (file, text, at) in [
        (
            "content/notes/b.md",
            "---\ntitle: ''\n---\n\nB.\n",
            "content/notes/b.md:2:1",
        ),
        (
            "content/notes/b.md",
            "---\ntitle: null\n---\n\nB.\n",
            "content/notes/b.md:2:1",
        ),
        (
            "content/notes/b.md",
            "---\ntitle:\n---\n\nB.\n",
            "content/notes/b.md:2:1",
        ),
        (
            "content/notes/b.md",
            "---\ndate: 2025-05-01\ntitle: '   '\n---\n\nB.\n",
            "content/notes/b.md:3:1",
        ),
        (
            "content/people/jane-doe.md",
            "---\nname: ~\nparty: party-a\n---\n",
            "content/people/jane-doe.md:2:1",
        ),
        (
            "content/timeline.yaml",
            "- date: 2025-05-01\n  title: \"\"\n",
            "content/timeline.yaml:2:3",
        ),
    ] {
        one_error(&[(file, text.as_bytes())], "must not be empty")
            .hint("write the text")
            .at(at)
            .no_inner_position();
    }
}

/// Tags whose spellings differ in more than case, spaces, `-` and `_` but which slug to the same
/// URL (`C++`, `C`, `c#`) would be merged into one page under the first spelling: an error
/// naming both spellings and files. Spellings that differ only so are one tag.
#[test]
fn tags_that_would_share_a_url_are_an_error() {
    let r = broken(&[
        (
            "content/notes/b.md",
            b"---\ntitle: B\ntags: [x, C++]\n---\n\nB.\n",
        ),
        (
            "content/notes/c.md",
            b"---\ntitle: C\ntags:\n  - C\n---\n\nC.\n",
        ),
        (
            "content/notes/d.md",
            b"---\ntitle: D\ntags: [Alpha, C++]\n---\n\nD.\n",
        ),
    ]);
    r.code(1).error_count(1);
    let d = r.error("share the page `tags/c/`");
    d.at("content/notes/c.md:4:5").hint("rename one");
    for part in ["`C++`", "content/notes/b.md", "`C`"] {
        assert!(d.message.contains(part), "{part}: {}", d.text);
    }
}

// --- Heading ids ---------------------------------------------------------------------------------

#[test]
fn a_heading_id_given_twice_is_an_error_at_the_second() {
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\n## One {#x}\n\nText.\n\n## Two {#x}\n",
        )],
        "id `x`",
    )
    .at("content/notes/b.md:9:1")
    .hint("another id");
}

#[test]
fn a_heading_id_the_layout_uses_is_an_error_at_its_line() {
    // The layout's skip link jumps to `#main`.
    one_error(
        &[(
            "content/notes/b.md",
            b"---\ntitle: B\n---\n\nIntro.\n\n## Start here {#main}\n",
        )],
        "id `main`",
    )
    .at("content/notes/b.md:7:1")
    .hint("another id");
}

#[test]
fn a_heading_id_that_would_break_the_html_is_an_error() {
    let r = broken(&[(
        "content/notes/b.md",
        b"---\ntitle: B\n---\n\n## Evil {#a\"onmouseover=\"alert(1)}\n",
    )]);
    r.code(1).error_count(1);
    r.error("heading id").at("content/notes/b.md:5:1");
}

#[test]
fn a_circular_template_include_names_the_templates_and_the_include() {
    let d = one_error(
        &[
            (
                "templates/page.html",
                b"<html>\n{% include \"partials/x.html\" %}\n</html>\n",
            ),
            (
                "templates/partials/x.html",
                b"x\n{% include \"partials/y.html\" %}\n",
            ),
            (
                "templates/partials/y.html",
                b"y\n\n  {% include \"partials/x.html\" %}\n",
            ),
        ],
        "include each other",
    );
    d.at("templates/partials/y.html:3:3");
    assert!(
        d.message
            .contains("partials/x.html → partials/y.html → partials/x.html"),
        "{}",
        d.text
    );
}

// --- Issue 14: nested keys, several errors in one file, whole-token carets -----------------

/// The caret line of a diagnostic: how many `^` it has.
fn caret_len(d: &Diag) -> usize {
    d.text
        .lines()
        .filter(|l| l.contains('^'))
        .map(|l| l.chars().filter(|&c| c == '^').count())
        .max()
        .unwrap_or(0)
}

#[test]
fn an_unknown_key_inside_a_nested_mapping_is_named_where_it_is() {
    // The summary mentions "at" before the bad mapping: the error must not point there.
    let text = talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "scheduled_start: 2025-05-16T12:30\n",
        "scheduled_start: 2025-05-16T12:30\nsummary: Talks at the palace.\nactual_start: {at: 2025-05-16T13:30, approximate: true, disputed: true}\n",
    );
    let d = one_error(
        &[("content/talks/round-one.md", text.as_bytes())],
        "unknown key `disputed`",
    );
    d.at("content/talks/round-one.md:10:57")
        .hint("`at` and `approximate`");
    assert_eq!(caret_len(&d), "disputed".len(), "{}", d.text);
}

#[test]
fn a_bad_zone_and_an_impossible_date_in_one_file_are_both_reported() {
    let text = talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("Europe/Zurich", "Europe/Zurik")
        .replace("2025-05-16T12:30", "2025-02-30T12:30");
    let r = broken(&[("content/talks/round-one.md", text.as_bytes())]);
    r.code(1).error_count(2);
    let zone = r.error("unknown time zone `Europe/Zurik`");
    zone.at("content/talks/round-one.md:7:13")
        .hint("did you mean `Europe/Zurich`?");
    assert_eq!(caret_len(&zone), "Europe/Zurik".len(), "{}", zone.text);
    let date = r.error("2025-02-30T12:30");
    date.at("content/talks/round-one.md:8:18");
    assert_eq!(caret_len(&date), "2025-02-30T12:30".len(), "{}", date.text);
}
