//! The HTML pages: articles, the home page, section and term listings, taxonomy
//! indexes and the 404 page.

use std::collections::HashMap;

use tera::{Context, Value};

use super::context::{ArticleContext, LinkContext, TermContext, listing, merge};
use super::{OutputFile, RenderError, Renderer};
use crate::config::TermField;
use crate::site::{Pager, Site, pager_url};

impl Renderer {
    pub(super) fn home_page(
        &self,
        summaries: &[Value],
        pager: Pager,
    ) -> Result<OutputFile, RenderError> {
        let mut context = Context::new();
        let indices: Vec<usize> = pager.items.clone().collect();
        context.insert_value("articles", listing(summaries, &indices));
        context.insert("paginator", &self.paginator("", &pager));
        context.insert("page_url", &self.urls.path(&pager_url("", pager.number)));
        self.render_file(
            "index.html",
            &context,
            pager_url("", pager.number) + "index.html",
        )
    }

    pub(super) fn section_page(
        &self,
        site: &Site,
        summaries: &[Value],
        s: usize,
        pager: Pager,
    ) -> Result<OutputFile, RenderError> {
        let section = &site.sections[s];
        let first = format!("{}/", section.path);
        let indices = &section.pages[pager.items.clone()];
        let mut context = Context::new();
        context.insert(
            "section",
            &LinkContext {
                name: section.path.clone(),
                url: self.urls.path(&first),
            },
        );
        context.insert_value("articles", listing(summaries, indices));
        context.insert("paginator", &self.paginator(&first, &pager));
        context.insert(
            "page_url",
            &self.urls.path(&pager_url(&first, pager.number)),
        );
        self.render_file(
            "section.html",
            &context,
            pager_url(&first, pager.number) + "index.html",
        )
    }

    pub(super) fn taxonomy_index(&self, site: &Site, t: usize) -> Result<OutputFile, RenderError> {
        let taxonomy = &site.taxonomies[t];
        let terms: Vec<TermContext> = taxonomy
            .terms
            .iter()
            .map(|term| TermContext {
                name: term.name.clone(),
                url: self.urls.path(&term.url_path),
                count: term.pages.len(),
            })
            .collect();
        let mut context = Context::new();
        context.insert("taxonomy", &self.taxonomy_context(&taxonomy.config));
        context.insert("terms", &terms);
        context.insert("page_url", &self.urls.path(&taxonomy.url_path()));
        self.render_file(
            "taxonomy.html",
            &context,
            taxonomy.url_path() + "index.html",
        )
    }

    pub(super) fn term_page(
        &self,
        site: &Site,
        summaries: &[Value],
        t: usize,
        term: usize,
        pager: Pager,
    ) -> Result<OutputFile, RenderError> {
        let taxonomy = &site.taxonomies[t];
        let term = &taxonomy.terms[term];
        let indices = &term.pages[pager.items.clone()];
        let mut context = Context::new();
        context.insert("taxonomy", &self.taxonomy_context(&taxonomy.config));
        context.insert(
            "term",
            &TermContext {
                name: term.name.clone(),
                url: self.urls.path(&term.url_path),
                count: term.pages.len(),
            },
        );
        context.insert(
            "term_feed",
            &taxonomy
                .config
                .feed
                .then(|| self.urls.path(&format!("{}atom.xml", term.url_path))),
        );
        context.insert_value("articles", listing(summaries, indices));
        context.insert("paginator", &self.paginator(&term.url_path, &pager));
        context.insert(
            "page_url",
            &self.urls.path(&pager_url(&term.url_path, pager.number)),
        );
        self.render_file(
            "term.html",
            &context,
            pager_url(&term.url_path, pager.number) + "index.html",
        )
    }

    pub(super) fn not_found_page(&self) -> Result<OutputFile, RenderError> {
        let mut context = Context::new();
        context.insert("absolute_urls", &true);
        context.insert("page_url", &self.urls.absolute("404.html"));
        self.render_file("404.html", &context, "404.html".into())
    }

    pub(super) fn article_page(
        &self,
        site: &Site,
        summaries: &[Value],
        index: usize,
    ) -> Result<OutputFile, RenderError> {
        let page = &site.pages[index];
        let article = &page.article;
        let template = article.template.as_deref().unwrap_or("article.html");
        if !self.origins.contains_key(template) {
            return Err(RenderError::MissingTemplate {
                source_file: article.source.clone(),
                template: template.to_string(),
            });
        }
        let terms: HashMap<&str, Vec<LinkContext>> = site
            .taxonomies
            .iter()
            .map(|taxonomy| {
                let links = article
                    .terms_for(&taxonomy.config.field)
                    .iter()
                    .filter_map(|spelling| taxonomy.term(spelling))
                    .map(|term| LinkContext {
                        name: term.name.clone(),
                        url: self.urls.path(&term.url_path),
                    })
                    .collect();
                (taxonomy.config.name.as_str(), links)
            })
            .collect();
        let full = ArticleContext {
            content: &page.rendered.html,
            toc: &page.rendered.toc,
            updated: article.updated.map(|d| d.ymd()),
            updated_iso: article.updated.map(|d| d.rfc3339()),
            source_url: article.source_url.as_deref(),
            cleaned_from: article.cleaned_from.as_deref(),
            cjk_chars: page.rendered.cjk_chars,
            latin_words: page.rendered.latin_words,
            extra: &article.extra,
            terms,
            source_file: article.source.display().to_string(),
            tags: self.term_links(site, TermField::Tags, &article.tags),
            tags_more: 0,
        };
        let mut context = Context::new();
        context.insert_value(
            "page",
            merge(&summaries[index], Value::from_serializable(&full)),
        );
        context.insert_value(
            "newer",
            index
                .checked_sub(1)
                .map_or(Value::none(), |i| summaries[i].clone()),
        );
        context.insert_value(
            "older",
            summaries.get(index + 1).cloned().unwrap_or(Value::none()),
        );
        context.insert("page_url", &self.urls.path(&article.url_path));
        let path = article.output_path().to_string_lossy().replace('\\', "/");
        self.render_file(template, &context, path)
    }
}
