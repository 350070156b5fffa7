//! A split positions matrix (above `split_above` cells): `/positions/` becomes an entry page
//! listing the topics with how many parties hold a position on each, and each topic gets
//! `/positions/<topic>/` with every party's latest position on it (the matrix's row, one party
//! a line). The one-page matrix is [`super::jobs`]'s.

use serde::Serialize;

use super::Output;
use super::jobs::Renderer;
use super::views::{self, PageCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::FluentValue;
use crate::load::kinds::Kind;
use crate::model::outputs;

type Made = Result<(Output, Diagnostics), Diagnostic>;

/// A topic on the entry page of a split positions matrix.
#[derive(Serialize)]
struct TopicLine<'a> {
    id: &'a str,
    title: &'a str,
    /// Its page of the split matrix.
    url: String,
    /// Parties with a position on it.
    count: usize,
}

impl Renderer<'_> {
    /// The entry page of a split positions matrix: every topic with a position, linking to
    /// its page.
    pub(super) fn positions_entry(&self) -> Made {
        let site = self.site;
        self.ix.all(Kind::Party);
        self.ix.all(Kind::Topic);
        let title = self.loc.t("nav-positions");
        let mut ctx = self.base_context("positions/", &title);
        let topics: Vec<TopicLine<'_>> = outputs::matrix_topics(site)
            .into_iter()
            .map(|(i, count)| {
                let p = &site.pages[i];
                TopicLine {
                    id: &p.id,
                    title: topic_title(p),
                    url: site.config.url(&outputs::positions_topic_path(&p.id)),
                    count,
                }
            })
            .collect();
        ctx.insert("topics", &topics);
        let html = self.render("positions-index.html", &ctx, None)?;
        let cx = PageCtx::new(site, self.resolver, self.loc);
        Ok(self.finish("positions/".into(), html, cx, title))
    }

    /// Topic `i`'s page of a split positions matrix (an index into `Site::pages`).
    pub(super) fn positions_topic(&self, i: usize) -> Made {
        let site = self.site;
        let page = &site.pages[i];
        let path = outputs::positions_topic_path(&page.id);
        let title = self.loc.t_args(
            "positions-topic-title",
            &[("topic", FluentValue::from(topic_title(page)))],
        );
        let mut cx = PageCtx::new(site, self.resolver, self.loc);
        let mut ctx = self.base_context(&path, &title);
        let m = views::matrix_view_of(&mut cx, self.ix, Some(&page.id));
        ctx.insert("matrix", &m);
        drop(m);
        ctx.insert("positions_entry", &site.config.url("positions/"));
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("positions-topic.html", &ctx, None)?;
        Ok(self.finish(path, html, cx, title))
    }
}

/// A topic's title (its id if the page is not a topic, which the plan does not make).
fn topic_title(p: &crate::model::Page) -> &str {
    match &p.source.front {
        crate::load::records::Front::Topic(f) => &f.title,
        _ => &p.id,
    }
}
