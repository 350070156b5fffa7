//! The reader's language: every string the theme shows and every date it prints.
//!
//! Interface strings are Project Fluent messages. The built-in translations (`locales/en.ftl`,
//! `uk.ftl`, `ru.ftl`, `ko.ftl`) are compiled into the binary; a site's own `i18n/<lang>.ftl`
//! overrides their messages or adds a language. A message missing from a language falls back to
//! English. Plurals follow CLDR's rules through Fluent (`{ $n -> [one] … [few] … *[many] … }`).
//!
//! A render pass takes one [`Locale`]: templates get its tag as `lang` and look messages up with
//! `tr(key="…")`, Rust views take `&Locale`. [`Locales`] holds every language a site can render,
//! built once per site by the model ([`Locales::build`]).

pub(crate) mod dates;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub(crate) use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use dates::Dates;

/// The built-in translations, `(language, text)`.
pub(crate) const BUILT_IN: [(&str, &str); 4] = [
    ("en", include_str!("../../locales/en.ftl")),
    ("uk", include_str!("../../locales/uk.ftl")),
    ("ru", include_str!("../../locales/ru.ftl")),
    ("ko", include_str!("../../locales/ko.ftl")),
];

/// A site's own translation file, `i18n/<lang>.ftl`, as read by the load stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StringsFile {
    /// The file name's stem (`uk`), the language it translates into.
    pub(crate) lang: String,
    /// Site-relative path, for messages (`i18n/uk.ftl`).
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

type Bundle = FluentBundle<Arc<FluentResource>>;

/// One language's strings and date formatters: what a render pass takes.
pub(crate) struct Locale {
    tag: String,
    /// The language's own messages (built-in and the site's), if it has any.
    own: Option<Bundle>,
    /// English, for messages the language lacks.
    english: Arc<Bundle>,
    /// `None` only if ICU4X had no data even for `en-GB` (dates then print as ISO 8601).
    dates: Option<Dates>,
    /// Dates, times and zone names as first written: a site shows each many times (a talk's
    /// times on its page, the front page, the timeline, the listings), and formatting one
    /// costs more than looking it up.
    memo: std::sync::Mutex<Memo>,
}

/// What [`Locale`] remembers it wrote.
#[derive(Default)]
struct Memo {
    dates: rustc_hash::FxHashMap<jiff::civil::Date, String>,
    times: rustc_hash::FxHashMap<jiff::civil::Time, String>,
    zones: rustc_hash::FxHashMap<Box<str>, String>,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("tag", &self.tag).finish()
    }
}

impl Locale {
    /// The BCP 47 tag being rendered (`en`, `uk`), as templates see it in `lang`.
    pub(crate) fn tag(&self) -> &str {
        &self.tag
    }

    /// Whether `key` is a message (in this language or in English).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.own.as_ref().is_some_and(|b| b.has_message(key)) || self.english.has_message(key)
    }

    /// The message `key` without arguments; the key itself when no language has it.
    pub(crate) fn t(&self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// The message `key` with its arguments (`$name`); numbers select plural forms.
    pub(crate) fn t_args(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let fargs = (!args.is_empty()).then_some(&fargs);
        for b in self.own.iter().chain(std::iter::once(&*self.english)) {
            if let Some(p) = b.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b.format_pattern(p, fargs, &mut errors).into_owned();
            }
        }
        key.to_string()
    }

    /// The message `key` formatted for each plural category of the language (`one`, `few`,
    /// `many`, `other`…), the number `$arg` written `{n}`, and for `0` (a message may say "No
    /// results"): for a script that picks the form with the browser's `Intl.PluralRules`.
    pub(crate) fn plural_forms(&self, key: &str, arg: &str) -> BTreeMap<String, String> {
        let rules_tag = if self.own.as_ref().is_some_and(|b| b.has_message(key)) {
            self.tag.as_str()
        } else {
            "en"
        };
        let mut out = BTreeMap::new();
        out.insert(
            "0".to_string(),
            self.t_args(key, &[(arg, FluentValue::from(0))]),
        );
        let lang: LanguageIdentifier = rules_tag.parse().unwrap_or_default();
        let Ok(rules) = PluralRules::create(lang, PluralRuleType::CARDINAL) else {
            return out;
        };
        for n in 1..=200u32 {
            let Ok(cat) = rules.select(n) else { continue };
            let name = match cat {
                PluralCategory::ZERO => "zero",
                PluralCategory::ONE => "one",
                PluralCategory::TWO => "two",
                PluralCategory::FEW => "few",
                PluralCategory::MANY => "many",
                PluralCategory::OTHER => "other",
            };
            if !out.contains_key(name) {
                let text = self.t_args(key, &[(arg, FluentValue::from(n))]);
                out.insert(name.to_string(), text.replace(&n.to_string(), "{n}"));
            }
        }
        out
    }

    /// A day: "16 May 2025", "16 травня 2025 р.".
    pub(crate) fn date(&self, d: jiff::civil::Date) -> String {
        self.remembered(
            |m| &mut m.dates,
            d,
            || {
                self.dates
                    .as_ref()
                    .map_or_else(|| d.to_string(), |f| f.date(d))
            },
        )
    }

    /// `make()`, or what it made the last time for `key` (in the map `of` picks).
    fn remembered<K: std::hash::Hash + Eq>(
        &self,
        of: impl Fn(&mut Memo) -> &mut rustc_hash::FxHashMap<K, String>,
        key: K,
        make: impl FnOnce() -> String,
    ) -> String {
        let lock = || self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = of(&mut lock()).get(&key) {
            return s.clone();
        }
        let s = make();
        of(&mut lock()).insert(key, s.clone());
        s
    }

    /// A month: "March 2022".
    pub(crate) fn month(&self, year: i16, month: i8) -> String {
        self.dates
            .as_ref()
            .map_or_else(|| format!("{year:04}-{month:02}"), |f| f.month(year, month))
    }

    /// A year: "2014", "2014 р.".
    pub(crate) fn year(&self, year: i16) -> String {
        self.dates
            .as_ref()
            .map_or_else(|| year.to_string(), |f| f.year(year))
    }

    /// A time of day: "12:30", "오후 12:30".
    pub(crate) fn time(&self, t: jiff::civil::Time) -> String {
        self.remembered(
            |m| &mut m.times,
            t,
            || {
                self.dates
                    .as_ref()
                    .map_or_else(|| t.strftime("%H:%M").to_string(), |f| f.time(t))
            },
        )
    }

    /// A display zone's name: the message `zone-<IANA name, / and _ as ->`
    /// (`zone-Europe-Kyiv = Київ`), else the IANA name's last part (`Kyiv`).
    pub(crate) fn zone(&self, iana: &str) -> String {
        self.remembered(
            |m| &mut m.zones,
            Box::from(iana),
            || {
                let key = format!("zone-{}", iana.replace(['/', '_'], "-"));
                if self.has(&key) {
                    self.t(&key)
                } else {
                    iana.rsplit('/').next().unwrap_or(iana).replace('_', " ")
                }
            },
        )
    }

    /// A language's name in a grammatical case a message needs (`from`: "з англійської",
    /// `into`: "на корейську", `whose`: "англомовний"): the message `language-<base>-<case>`,
    /// else [`Locale::language_name`].
    pub(crate) fn language_name_in(&self, code: &str, case: &str) -> String {
        let base = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        let key = format!("language-{base}-{case}");
        if self.has(&key) {
            self.t(&key)
        } else {
            self.language_name(code)
        }
    }

    /// A language's name, for notices: the message `language-<base tag>` (`language-ko`),
    /// else the code itself.
    pub(crate) fn language_name(&self, code: &str) -> String {
        let base = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        let key = format!("language-{base}");
        if self.has(&key) {
            self.t(&key)
        } else {
            code.to_string()
        }
    }
}

/// Every language a site renders, built once per site.
#[derive(Debug)]
pub(crate) struct Locales {
    default: Arc<Locale>,
    by_tag: BTreeMap<String, Arc<Locale>>,
    /// The site's own files, to tell whether an edit changed them.
    files: Vec<StringsFile>,
}

impl Locales {
    /// Build the locales of `languages` (the default first) from the built-in translations and
    /// the site's `files`. Errors: a file that does not parse (each problem at its line and
    /// column), a file name that is not a language tag. Warnings: a language of the site that
    /// lacks messages English has (they are shown in English).
    pub(crate) fn build(languages: &[String], files: &[StringsFile]) -> (Locales, Diagnostics) {
        let mut diags = Diagnostics::new();
        let mut site: BTreeMap<String, Arc<FluentResource>> = BTreeMap::new();
        for f in files {
            if f.lang.parse::<LanguageIdentifier>().is_err() {
                diags.push(
                    Diagnostic::new(
                        Code::StringsSyntax,
                        format!("`{}` is not a language tag", f.lang),
                    )
                    .in_file(&f.path)
                    .hint(
                        "name a translation file after its language: i18n/uk.ftl, i18n/pt-BR.ftl",
                    ),
                );
                continue;
            }
            match parse(f, &mut diags) {
                Some(r) => {
                    site.insert(f.lang.clone(), r);
                }
                None => continue,
            }
        }
        let built_in: BTreeMap<&str, Arc<FluentResource>> = BUILT_IN
            .iter()
            .filter_map(|(lang, text)| {
                let r = FluentResource::try_new(text.to_string()).ok()?;
                Some((*lang, Arc::new(r)))
            })
            .collect();
        let english = Arc::new(
            bundle("en", built_in.get("en"), site.get("en"))
                .unwrap_or_else(|| new_bundle(&"en".parse().unwrap_or_default())),
        );
        let english_keys: Vec<String> = built_in
            .get("en")
            .map(|r| message_ids(r))
            .unwrap_or_default();

        let mut by_tag = BTreeMap::new();
        let mut wanted: Vec<String> = languages.to_vec();
        wanted.extend(BUILT_IN.iter().map(|(l, _)| l.to_string()));
        wanted.extend(site.keys().cloned());
        for tag in wanted {
            if by_tag.contains_key(&tag) {
                continue;
            }
            // `uk-UA` uses `uk`'s strings unless the site gives `uk-UA` its own.
            let base = tag.split('-').next().unwrap_or(&tag).to_string();
            let own_site = site.get(&tag).or_else(|| site.get(&base));
            let own_built = built_in
                .get(tag.as_str())
                .or_else(|| built_in.get(base.as_str()));
            let own = if base == "en" && tag == "en" {
                None
            } else {
                bundle(&tag, own_built, own_site)
            };
            if own_built.is_none() && languages.contains(&tag) {
                let missing: Vec<&String> = english_keys
                    .iter()
                    .filter(|k| !own.as_ref().is_some_and(|b| b.has_message(k)))
                    .collect();
                if !missing.is_empty() && base != "en" {
                    let shown: Vec<&str> = missing.iter().take(5).map(|s| s.as_str()).collect();
                    let more = if missing.len() > 5 { ", …" } else { "" };
                    let file = files
                        .iter()
                        .find(|f| f.lang == tag || f.lang == base)
                        .map(|f| f.path.clone());
                    let mut d = Diagnostic::new(
                        Code::StringsMissing,
                        format!(
                            "{} interface string{} of `{tag}` {} missing, shown in English: {}{more}",
                            missing.len(),
                            if missing.len() == 1 { "" } else { "s" },
                            if missing.len() == 1 { "is" } else { "are" },
                            shown.join(", ")
                        ),
                    )
                    .hint(format!(
                        "add them to i18n/{tag}.ftl (the English ones are in locales/en.ftl of briefing's source)"
                    ));
                    if let Some(p) = file {
                        d = d.in_file(p);
                    }
                    diags.push(d);
                }
            }
            // Dates: the site's own `date-locale` for this exact tag, else a tag with a region
            // as it is (`en-US`), else the language's `date-locale`, else its tag; English's
            // for a language with no strings.
            let exact_site = site
                .get(&tag)
                .and_then(|r| bundle(&tag, None, Some(r)))
                .and_then(|b| format_plain(Some(&b), "date-locale"));
            let date_locale = exact_site
                .or_else(|| (tag != base).then(|| tag.clone()))
                .or_else(|| format_plain(own.as_ref(), "date-locale"))
                .or_else(|| own.is_some().then(|| tag.clone()))
                .or_else(|| format_plain(Some(&english), "date-locale"))
                .unwrap_or_else(|| "en-GB".into());
            let dates = Dates::new(&date_locale)
                .or_else(|| Dates::new(&tag))
                .or_else(|| Dates::new("en-GB"));
            by_tag.insert(
                tag.clone(),
                Arc::new(Locale {
                    tag: tag.clone(),
                    own,
                    english: english.clone(),
                    dates,
                    memo: Default::default(),
                }),
            );
        }
        let default_tag = languages.first().cloned().unwrap_or_else(|| "en".into());
        let default = by_tag
            .get(&default_tag)
            .or_else(|| by_tag.get("en"))
            .cloned()
            .unwrap_or_else(|| {
                Arc::new(Locale {
                    tag: "en".into(),
                    own: None,
                    english: english.clone(),
                    dates: None,
                    memo: Default::default(),
                })
            });
        (
            Locales {
                default,
                by_tag,
                files: files.to_vec(),
            },
            diags,
        )
    }

    /// The locale of the site's default language.
    pub(crate) fn default_locale(&self) -> &Arc<Locale> {
        &self.default
    }

    /// The locale of `tag` (one of the languages given to [`Locales::build`], a built-in one, or
    /// one the site has a file for); else the default language's.
    pub(crate) fn get(&self, tag: &str) -> &Arc<Locale> {
        self.by_tag.get(tag).unwrap_or(&self.default)
    }

    /// The site's own translation files, as read.
    pub(crate) fn files(&self) -> &[StringsFile] {
        &self.files
    }
}

impl Default for Locales {
    /// English with no site files (for tests and tools that need a locale).
    fn default() -> Self {
        Locales::build(&["en".to_string()], &[]).0
    }
}

fn format_plain(b: Option<&Bundle>, key: &str) -> Option<String> {
    let b = b?;
    let p = b.get_message(key)?.value()?;
    let mut errors = Vec::new();
    Some(b.format_pattern(p, None, &mut errors).trim().to_string())
}

fn new_bundle(lang: &LanguageIdentifier) -> Bundle {
    let mut b = FluentBundle::new_concurrent(vec![lang.clone()]);
    b.set_use_isolating(false);
    b
}

/// A bundle of the built-in resource overridden by the site's; `None` when neither exists.
fn bundle(
    tag: &str,
    built_in: Option<&Arc<FluentResource>>,
    site: Option<&Arc<FluentResource>>,
) -> Option<Bundle> {
    if built_in.is_none() && site.is_none() {
        return None;
    }
    let lang: LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut b = new_bundle(&lang);
    if let Some(r) = built_in {
        b.add_resource_overriding(r.clone());
    }
    if let Some(r) = site {
        b.add_resource_overriding(r.clone());
    }
    Some(b)
}

/// The ids of a resource's messages.
fn message_ids(r: &FluentResource) -> Vec<String> {
    r.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Parse a site's file; each syntax error becomes a diagnostic at its place.
fn parse(f: &StringsFile, diags: &mut Diagnostics) -> Option<Arc<FluentResource>> {
    match FluentResource::try_new(f.text.clone()) {
        Ok(r) => Some(Arc::new(r)),
        Err((_, errors)) => {
            for e in errors {
                let at = e.pos.start.min(f.text.len());
                diags.push(
                    Diagnostic::new(
                        Code::StringsSyntax,
                        format!("translation file does not parse: {}", e.kind),
                    )
                    .in_file(&f.path)
                    .at_offset(&f.text, at)
                    .span(e.pos.end.saturating_sub(e.pos.start).max(1))
                    .hint("Fluent syntax: `key = text`, `{ $name }` for a value; see https://projectfluent.org/fluent/guide/"),
                );
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        message_ids(&FluentResource::try_new(text.to_string()).unwrap())
    }

    #[test]
    fn every_built_in_file_parses_and_has_every_english_key() {
        let en = ids(BUILT_IN[0].1);
        assert!(en.len() > 100, "{}", en.len());
        for (lang, text) in BUILT_IN {
            let r = FluentResource::try_new(text.to_string());
            assert!(r.is_ok(), "{lang}.ftl: {:?}", r.err().map(|e| e.1));
            let have = ids(text);
            let missing: Vec<&String> = en.iter().filter(|k| !have.contains(k)).collect();
            assert!(missing.is_empty(), "{lang}.ftl lacks {missing:?}");
            // Grammatical cases of language names are optional extras (`language-en-from`).
            let extra: Vec<&String> = have
                .iter()
                .filter(|k| !en.contains(k))
                .filter(|k| {
                    !(k.starts_with("language-")
                        && ["-from", "-into", "-whose"].iter().any(|c| k.ends_with(c)))
                })
                .collect();
            assert!(
                extra.is_empty(),
                "{lang}.ftl has keys English lacks: {extra:?}"
            );
        }
    }

    /// Every key the built-in templates and the Rust views ask for literally is in en.ftl (a
    /// missing one would print its key, or fail the template).
    #[test]
    fn every_key_used_by_the_theme_and_the_views_exists() {
        let en = ids(BUILT_IN[0].1);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["templates", "src"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
                        files.push(p);
                    }
                }
            }
        }
        let mut used = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for pat in ["tr(key=\"", ".t(\"", "t_args(\"", "t_args(\n"] {
                for (i, _) in text.match_indices(pat) {
                    let rest = text[i + pat.len()..].trim_start();
                    let rest = rest.strip_prefix('"').unwrap_or(rest);
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    if key.is_empty() || key == "key" {
                        continue;
                    }
                    used += 1;
                    assert!(en.contains(&key), "{} asks for `{key}`", f.display());
                }
            }
        }
        assert!(used > 100, "{used}");
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        let l = Locales::default();
        let n = |lang: &str, n: i64| {
            l.get(lang)
                .t_args("search-results", &[("count", FluentValue::from(n))])
        };
        assert_eq!(n("en", 0), "No results");
        assert_eq!(n("en", 1), "1 result");
        assert_eq!(n("en", 2), "2 results");
        // Ukrainian and Russian: one (1, 21), few (2–4, 22), many (5–20, 11).
        assert_eq!(n("uk", 1), "1 результат");
        assert_eq!(n("uk", 2), "2 результати");
        assert_eq!(n("uk", 5), "5 результатів");
        assert_eq!(n("uk", 11), "11 результатів");
        assert_eq!(n("uk", 21), "21 результат");
        assert_eq!(n("uk", 22), "22 результати");
        assert_eq!(n("ru", 1), "1 результат");
        assert_eq!(n("ru", 3), "3 результата");
        assert_eq!(n("ru", 5), "5 результатов");
        assert_eq!(n("ko", 5), "결과 5건");
        assert_eq!(n("ko", 0), "결과 없음");
    }

    #[test]
    fn site_files_override_and_fall_back_to_english() {
        let files = [StringsFile {
            lang: "uk".into(),
            path: "i18n/uk.ftl".into(),
            text: "key-facts = Основне\n".into(),
        }];
        let (l, d) = Locales::build(&["uk".into()], &files);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(l.default_locale().t("key-facts"), "Основне");
        assert_eq!(l.default_locale().t("agenda"), "Порядок денний");
        // A language with only some strings of its own: the rest in English, and a warning.
        let files = [StringsFile {
            lang: "de".into(),
            path: "i18n/de.ftl".into(),
            text: "key-facts = Eckdaten\ndate-locale = de\n".into(),
        }];
        let (l, d) = Locales::build(&["de".into()], &files);
        let de = l.default_locale();
        assert_eq!(de.t("key-facts"), "Eckdaten");
        assert_eq!(de.t("agenda"), "Agenda");
        assert_eq!(de.date(jiff::civil::date(2025, 5, 16)), "16. Mai 2025");
        let w: Vec<_> = d.iter().collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].code, Code::StringsMissing);
        assert!(!w[0].is_error());
        assert_eq!(
            w[0].file.as_deref(),
            Some(std::path::Path::new("i18n/de.ftl"))
        );
    }

    #[test]
    fn a_malformed_site_file_is_an_error_at_its_line_and_column() {
        let files = [StringsFile {
            lang: "uk".into(),
            path: "i18n/uk.ftl".into(),
            text: "key-facts = Основне\nagenda = { $x ! }\nled-by = Очолює\n".into(),
        }];
        let (_, d) = Locales::build(&["uk".into()], &files);
        let e: Vec<_> = d.iter().collect();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].is_error());
        let at = e[0].location.unwrap();
        assert_eq!(at.line, 2, "{e:?}");
        assert!(at.column > 1, "{e:?}");
    }

    #[test]
    fn plural_forms_for_scripts() {
        let l = Locales::default();
        let uk = l.get("uk").plural_forms("search-results", "count");
        assert_eq!(uk.get("one").map(String::as_str), Some("{n} результат"));
        assert_eq!(uk.get("few").map(String::as_str), Some("{n} результати"));
        assert_eq!(uk.get("many").map(String::as_str), Some("{n} результатів"));
        let en = l.get("en").plural_forms("search-results", "count");
        assert_eq!(en.get("0").map(String::as_str), Some("No results"));
        assert_eq!(en.get("other").map(String::as_str), Some("{n} results"));
    }

    #[test]
    fn zones_and_language_names_in_the_readers_language() {
        let l = Locales::default();
        assert_eq!(l.get("en").zone("Europe/Kyiv"), "Kyiv");
        assert_eq!(l.get("uk").zone("Europe/Kyiv"), "Київ");
        assert_eq!(l.get("ko").zone("Asia/Seoul"), "서울");
        assert_eq!(
            l.get("ru").zone("America/Argentina/Buenos_Aires"),
            "Buenos Aires"
        );
        assert_eq!(l.get("en").language_name("ko-KR"), "Korean");
        assert_eq!(l.get("uk").language_name("ko"), "корейська");
        assert_eq!(l.get("uk").language_name("xx"), "xx");
    }
}
