//! The default theme compiled into the binary: `templates/` and `static/` of this repository.
//!
//! A site's own file of the same name replaces the built-in one (see `load_templates`).

use std::borrow::Cow;

use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct Templates;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Statics;

/// Built-in templates as (name, text), sorted by name.
pub(crate) fn templates() -> Vec<(String, String)> {
    let mut names: Vec<_> = Templates::iter().collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let file = Templates::get(&name)?;
            let text = String::from_utf8(file.data.into_owned()).ok()?;
            Some((name.into_owned(), text))
        })
        .collect()
}

/// Built-in static files as (path, bytes), sorted by path.
pub(crate) fn statics() -> Vec<(String, Cow<'static, [u8]>)> {
    let mut names: Vec<_> = Statics::iter().collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let file = Statics::get(&name)?;
            Some((name.into_owned(), file.data))
        })
        .collect()
}
