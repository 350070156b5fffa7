//! Tera setup: the filters and functions briefing adds, compiling templates, and turning Tera's
//! errors into diagnostics that name the template file, line and column.
//!
//! Filters and functions are registered before templates are added (Tera 2 rejects unknown names
//! when a template is added):
//! - `url(path="talks/x/")`: the URL of a site path under the base path (`absolute=true` for a full
//!   URL when a base URL is set). Templates never hard-code `/…`.
//! - `date`: formats a content date (`2025-05-16`, `2025-05-16T12:30`, …) as a day in the
//!   reader's language ("16 May 2025", "16 травня 2025 р."); `date(format="%d.%m.%Y")` uses
//!   jiff's strftime instead (English month names).
//! - `tr(key="key-facts", name=value…)`: the interface string `key` in the language being
//!   rendered (the context's `lang`; the site's default language when a template has none, as in
//!   a component that does not take `@lang`). Other arguments are the message's variables; they
//!   are escaped unless marked safe, the message itself is theme text and is not.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Error, ErrorKind, Kwargs, State, Tera, TeraResult};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::i18n::{FluentValue, Locale, Locales};
use crate::load::TemplateSource;
use crate::parse::dates::DateValue;

/// Compiled templates plus where each came from (for error messages).
pub(crate) struct Templates {
    pub(crate) tera: Tera,
    origins: HashMap<String, (PathBuf, String)>,
}

/// Static files by the name templates use, to the name they are written under (renamed with a
/// content hash for stylesheets and scripts: `style.css` → `style.1a2b3c4d.css`).
pub(crate) type AssetMap = Arc<HashMap<String, String>>;

/// The locale a template is rendered in: its context's `lang`, else the site's default.
fn locale_of<'l>(locales: &'l Locales, state: &State) -> &'l Arc<Locale> {
    // Read as a value (shared), not copied out as a `String`: this runs for every label.
    match state.get::<tera::Value>("lang") {
        Ok(Some(v)) => v
            .as_str()
            .map_or_else(|| locales.default_locale(), |t| locales.get(t)),
        _ => locales.default_locale(),
    }
}

fn register(tera: &mut Tera, config: &Config, assets: &AssetMap, locales: &Arc<Locales>) {
    let base_path = config.base_path.clone();
    let base_url = config.base_url.clone();
    let root_path = config.root_path.clone();
    let root_url = config.root_url.clone();
    let assets = assets.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let absolute: bool = kwargs.get("absolute")?.unwrap_or(false);
            let path = path.trim_start_matches('/');
            // Static files are shared by every edition, at the site's root.
            if let Some(file) = assets.get(path) {
                return Ok(match (&root_url, absolute) {
                    (Some(b), true) => format!("{b}{file}"),
                    _ => format!("{root_path}{file}"),
                });
            }
            Ok(match (&base_url, absolute) {
                (Some(b), true) => format!("{b}{path}"),
                _ => format!("{base_path}{path}"),
            })
        },
    );
    // `smart`: the smart punctuation Markdown bodies get, for text from YAML (titles, names,
    // summaries), so that one page never mixes straight and curly quotes.
    tera.register_filter(
        "smart",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(crate::render::markdown::smart(value))
        },
    );
    // `nest_headings`: a body shown under a section heading of the theme's own ("What
    // happened") has its headings moved one level down, `##` → `<h3>`, so the outline nests.
    tera.register_filter(
        "nest_headings",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(crate::render::markdown::nest_headings(value))
        },
    );
    let l = locales.clone();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            let v = DateValue::parse(value).map_err(Error::message)?;
            let dt = v.start();
            match format {
                None => Ok(locale_of(&l, state).date(dt.date())),
                Some(format) => jiff::fmt::strtime::format(format, dt).map_err(|e| {
                    Error::message(format!("date filter: invalid format `{format}`: {e}"))
                }),
            }
        },
    );
    let l = locales.clone();
    tera.register_function(
        "tr",
        move |kwargs: Kwargs, state: &State| -> TeraResult<tera::Value> {
            let key: &str = kwargs.must_get("key")?;
            let loc = locale_of(&l, state);
            if !loc.has(key) {
                return Err(Error::message(format!(
                    "unknown interface string `{key}`: it is in neither the built-in translations nor the site's i18n/ files"
                )));
            }
            let mut args: Vec<(String, FluentValue<'static>)> = Vec::new();
            for (k, v) in kwargs.iter() {
                let name = k.to_string();
                if name == "key" {
                    continue;
                }
                let value = if let Some(n) = v.as_i64().filter(|_| v.is_number()) {
                    FluentValue::from(n)
                } else {
                    let text = match v.as_str() {
                        Some(s) => s.to_string(),
                        None => v.to_string(),
                    };
                    let text = if v.is_safe() || !state.autoescaping_enabled() {
                        text
                    } else {
                        state.escape(&text)?
                    };
                    FluentValue::from(text)
                };
                args.push((name, value));
            }
            let args: Vec<(&str, FluentValue<'_>)> =
                args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            Ok(tera::Value::safe_string(&loc.t_args(key, &args)))
        },
    );
}

impl Templates {
    /// Compile every template. Syntax errors in several templates are all reported.
    pub(crate) fn compile(
        sources: &[TemplateSource],
        config: &Config,
        assets: &AssetMap,
        locales: &Arc<Locales>,
    ) -> Result<Templates, Diagnostics> {
        let origins: HashMap<String, (PathBuf, String)> = sources
            .iter()
            .map(|t| (t.name.clone(), (t.origin.clone(), t.text.clone())))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        register(&mut tera, config, assets, locales);
        let this = Templates { tera, origins };

        // First pass: each template on its own, to report every syntax error at once.
        let mut diags = Diagnostics::new();
        for t in sources {
            let mut probe = Tera::new();
            register(&mut probe, config, assets, locales);
            if let Err(e) = probe.add_raw_template(&t.name, &t.text)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                diags.push(this.diagnostic(&e, Some(&t.name)));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let mut this = this;
        if let Err(e) = this
            .tera
            .add_raw_templates(sources.iter().map(|t| (t.name.as_str(), t.text.as_str())))
        {
            return Err(this.diagnostic(&e, None).into());
        }
        Ok(this)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A Tera error as a diagnostic. `name` is the template being added or rendered.
    pub(crate) fn diagnostic(&self, e: &Error, name: Option<&str>) -> Diagnostic {
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let file = if r.filename().is_empty() {
                    name.unwrap_or("")
                } else {
                    r.filename()
                };
                let what = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                let mut d = Diagnostic::new(Code::Template, format!("{what}: {}", r.message()));
                if let Some((origin, text)) = self.origins.get(file) {
                    let span = r.span();
                    let len = if span.end_line == span.start_line {
                        span.end_col.saturating_sub(span.start_col)
                    } else {
                        1
                    };
                    d = d
                        .in_file(origin)
                        .at(text, span.start_line, span.start_col + 1)
                        .span(len);
                } else {
                    d = d.in_file(format!("templates/{file}"));
                }
                if r.message().contains("not found in context") || r.message().contains("undefined")
                {
                    d = d.hint("check the variable's name, or guard it with `is defined` / `| default(value=…)`");
                }
                d
            }
            _ => {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(e);
                while let Some(s) = src {
                    msg.push_str(&format!(": {s}"));
                    src = s.source();
                }
                if let Some(d) = self.include_cycle(&msg) {
                    return d;
                }
                let mut d = Diagnostic::new(Code::Template, format!("template error: {msg}"));
                if let Some(n) = name
                    && let Some((origin, _)) = self.origins.get(n)
                {
                    d = d.in_file(origin);
                }
                d
            }
        }
    }
}

impl Templates {
    /// Tera's "Circular include detected … Include chain: `["a.html", "b.html", "a.html"]`" as
    /// a diagnostic naming the templates of the circle, at the include that closes it.
    fn include_cycle(&self, msg: &str) -> Option<Diagnostic> {
        if !msg.contains("Circular include") {
            return None;
        }
        let list = &msg[msg.find('[')? + 1..msg.rfind(']')?];
        let chain: Vec<&str> = list
            .split(',')
            .map(|n| n.trim().trim_matches('"'))
            .filter(|n| !n.is_empty())
            .collect();
        let (&repeated, before) = chain.split_last()?;
        let start = before.iter().position(|n| *n == repeated).unwrap_or(0);
        let circle = &chain[start..];
        let mut d = Diagnostic::new(
            Code::Template,
            format!(
                "templates include each other in a circle: {}",
                circle.join(" → ")
            ),
        )
        .hint("an include must not lead back to a template that is being included");
        // The include that closes the circle: in the last template before the repeat.
        let closer = before.last()?;
        if let Some((origin, text)) = self.origins.get(*closer) {
            d = d.in_file(origin);
            let quoted = [format!("\"{repeated}\""), format!("'{repeated}'")];
            let at = quoted.iter().find_map(|q| {
                text.match_indices(q.as_str()).map(|(i, _)| i).find(|&i| {
                    text[..i]
                        .rfind("{%")
                        .is_some_and(|t| text[t..i].contains("include"))
                })
            });
            if let Some(i) = at {
                let tag = text[..i].rfind("{%").unwrap_or(i);
                d = d.at_offset(text, tag);
            }
        }
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteFile;

    fn src(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            origin: PathBuf::from(format!("templates/{name}")),
            text: text.into(),
        }
    }

    fn config() -> Config {
        Config::from_file(SiteFile::default(), Some("https://example.org/sub/"), false).unwrap()
    }

    #[test]
    fn url_and_date_helpers() {
        let t = Templates::compile(
            &[src(
                "a.html",
                "{{ url(path='talks/x/') }}|{{ url(path='x/', absolute=true) }}|{{ '2025-05-16' | date }}|{{ '2025-05-16T12:30' | date(format='%H:%M') }}",
            )],
            &config(),
            &AssetMap::default(),
            &Arc::default(),
        )
        .unwrap();
        let out = t.tera.render("a.html", &tera::Context::new()).unwrap();
        assert_eq!(
            out,
            "/sub/talks/x/|https://example.org/sub/x/|16 May 2025|12:30"
        );
        let assets: AssetMap =
            Arc::new([("style.css".to_string(), "style.0123abcd.css".to_string())].into());
        let t = Templates::compile(
            &[src("a.html", "{{ url(path='style.css') }}")],
            &config(),
            &assets,
            &Arc::default(),
        )
        .unwrap();
        let out = t.tera.render("a.html", &tera::Context::new()).unwrap();
        assert_eq!(out, "/sub/style.0123abcd.css");
    }

    #[test]
    fn syntax_errors_in_several_templates_are_all_reported_with_locations() {
        let err = Templates::compile(
            &[
                src("a.html", "ok\n{% if %}"),
                src("b.html", "{{ x }\n"),
                src("c.html", "fine"),
            ],
            &config(),
            &AssetMap::default(),
            &Arc::default(),
        )
        .err()
        .unwrap();
        let v: Vec<_> = err.iter().collect();
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(
            v[0].file.as_deref(),
            Some(std::path::Path::new("templates/a.html"))
        );
        assert_eq!(v[0].location.unwrap().line, 2);
    }

    #[test]
    fn undefined_variable_is_a_located_error() {
        let t = Templates::compile(
            &[src("a.html", "line\n{{ nope }}")],
            &config(),
            &AssetMap::default(),
            &Arc::default(),
        )
        .unwrap();
        let e = t.tera.render("a.html", &tera::Context::new()).unwrap_err();
        let d = t.diagnostic(&e, Some("a.html"));
        assert_eq!(d.location.unwrap().line, 2, "{d:?}");
        assert_eq!(d.location.unwrap().column, 4, "{d:?}");
    }
}
