//! The HTML pages: articles, standalone pages, the home page, section and term listings,
//! taxonomy indexes, the archive, redirects and the 404 page.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Value};

use super::context::{ArticleContext, TermContext, listing, merge};
use super::jobs::{ARCHIVE_PATH, Redirect};
use super::{OutputFile, RenderError, Renderer, Shared};
use crate::config::TermField;
use crate::site::{Page, Pager, SectionIntro, Site, pager_url};

/// A section's `_index.md`, as templates see it.
#[derive(Serialize)]
struct SectionContext<'a> {
    /// The `_index.md` title, else the folder path.
    name: &'a str,
    /// The folder path (`interviews`).
    path: &'a str,
    url: String,
    description: Option<&'a str>,
    /// The introduction, rendered.
    content: Option<&'a str>,
    extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

/// One year of `/archive/`.
#[derive(Serialize)]
struct YearContext<'a> {
    year: i16,
    count: usize,
    count_text: String,
    months: Vec<MonthContext<'a>>,
}

#[derive(Serialize)]
struct MonthContext<'a> {
    /// `2024-03`, for anchors.
    id: String,
    title: String,
    count: usize,
    articles: Vec<ArchiveEntry<'a>>,
}

/// What the archive shows of an article: light, so the page of 10,000 stays cheap.
#[derive(Serialize)]
struct ArchiveEntry<'a> {
    title: &'a str,
    url: String,
    date: String,
    date_iso: String,
    lang: &'a str,
}

impl Renderer {
    /// A context with what every page shows: the interface strings of `lang` (the site's
    /// language when `None`) and the menu.
    fn page_context(&self, shared: &Shared, lang: Option<&str>) -> Context {
        let t = lang.map_or_else(|| self.strings.site(), |lang| self.strings.for_lang(lang));
        let mut context = Context::new();
        context.insert_value("t", t.value().clone());
        context.insert_value("menu", shared.menu.clone());
        if let Some([elsewhere, _]) = shared.search_box_html.get(t.index()) {
            context.insert_value("search_box_html", elsewhere.clone());
        }
        context
    }

    pub(super) fn home_page(
        &self,
        site: &Site,
        shared: &Shared,
        pager: Pager,
    ) -> Result<OutputFile, RenderError> {
        let mut context = self.page_context(shared, None);
        let indices: Vec<usize> = pager.items.clone().collect();
        context.insert_value("articles", listing(&shared.summaries, &indices));
        context.insert("paginator", &self.paginator("", &pager));
        context.insert("page_url", &self.urls.path(&pager_url("", pager.number)));
        context.insert(
            "permalink",
            &self.urls.absolute(&pager_url("", pager.number)),
        );
        context.insert("section", &self.section_context(site.home.as_ref(), "", ""));
        self.render_html(
            shared,
            "index.html",
            context,
            pager_url("", pager.number) + "index.html",
        )
    }

    fn section_context<'a>(
        &self,
        intro: Option<&'a SectionIntro>,
        name: &'a str,
        path: &'a str,
    ) -> SectionContext<'a> {
        SectionContext {
            name,
            path,
            url: self.urls.path(&if path.is_empty() {
                String::new()
            } else {
                format!("{path}/")
            }),
            description: intro.and_then(|i| i.index.description.as_deref()),
            content: intro
                .map(|i| i.rendered.html.as_str())
                .filter(|html| !html.trim().is_empty()),
            extra: intro.map(|i| &i.index.extra),
        }
    }

    pub(super) fn section_page(
        &self,
        site: &Site,
        shared: &Shared,
        s: usize,
        pager: Pager,
    ) -> Result<OutputFile, RenderError> {
        let section = &site.sections[s];
        let first = format!("{}/", section.path);
        let indices = &section.pages[pager.items.clone()];
        let mut context = self.page_context(shared, None);
        context.insert(
            "section",
            &self.section_context(section.intro.as_ref(), section.title(), &section.path),
        );
        context.insert_value("articles", listing(&shared.summaries, indices));
        context.insert("paginator", &self.paginator(&first, &pager));
        context.insert(
            "page_url",
            &self.urls.path(&pager_url(&first, pager.number)),
        );
        context.insert(
            "permalink",
            &self.urls.absolute(&pager_url(&first, pager.number)),
        );
        self.render_html(
            shared,
            "section.html",
            context,
            pager_url(&first, pager.number) + "index.html",
        )
    }

    pub(super) fn taxonomy_index(
        &self,
        site: &Site,
        shared: &Shared,
        t: usize,
    ) -> Result<OutputFile, RenderError> {
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
        let mut context = self.page_context(shared, None);
        context.insert("taxonomy", &self.taxonomy_context(&taxonomy.config));
        context.insert("terms", &terms);
        context.insert("page_url", &self.urls.path(&taxonomy.url_path()));
        context.insert("permalink", &self.urls.absolute(&taxonomy.url_path()));
        self.render_html(
            shared,
            "taxonomy.html",
            context,
            taxonomy.url_path() + "index.html",
        )
    }

    pub(super) fn term_page(
        &self,
        site: &Site,
        shared: &Shared,
        t: usize,
        term: usize,
        pager: Pager,
    ) -> Result<OutputFile, RenderError> {
        let taxonomy = &site.taxonomies[t];
        let term = &taxonomy.terms[term];
        let indices = &term.pages[pager.items.clone()];
        let mut context = self.page_context(shared, None);
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
        context.insert_value("articles", listing(&shared.summaries, indices));
        context.insert("paginator", &self.paginator(&term.url_path, &pager));
        context.insert(
            "page_url",
            &self.urls.path(&pager_url(&term.url_path, pager.number)),
        );
        context.insert(
            "permalink",
            &self.urls.absolute(&pager_url(&term.url_path, pager.number)),
        );
        self.render_html(
            shared,
            "term.html",
            context,
            pager_url(&term.url_path, pager.number) + "index.html",
        )
    }

    pub(super) fn archive_page(
        &self,
        site: &Site,
        shared: &Shared,
    ) -> Result<OutputFile, RenderError> {
        let t = self.strings.site();
        let count_text = |n: usize| {
            if n == 1 {
                t.get("one_interview").to_string()
            } else {
                t.count("interviews_n", n)
            }
        };
        let years: Vec<YearContext> = crate::site::archive::by_year(site)
            .into_iter()
            .map(|year| YearContext {
                year: year.year,
                count: year.count,
                count_text: count_text(year.count),
                months: year
                    .months
                    .into_iter()
                    .map(|month| MonthContext {
                        id: format!("{}-{:02}", year.year, month.month),
                        title: t.month(year.year, month.month),
                        count: month.pages.len(),
                        articles: month
                            .pages
                            .iter()
                            .map(|&i| {
                                let article = &site.pages[i].article;
                                ArchiveEntry {
                                    title: &article.title,
                                    url: self.urls.path(&article.url_path),
                                    date: article.date.map(|d| t.date(&d)).unwrap_or_default(),
                                    date_iso: article.date.map(|d| d.rfc3339()).unwrap_or_default(),
                                    lang: &article.lang,
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let mut context = self.page_context(shared, None);
        context.insert("years", &years);
        // The context holds its own copy, which would otherwise stay beside this one
        // while the page renders (with the sitemap's, 20-40 MB of the peak at 100,000
        // articles).
        drop(years);
        context.insert("total", &site.pages.len());
        context.insert("total_text", &count_text(site.pages.len()));
        context.insert("page_url", &self.urls.path(ARCHIVE_PATH));
        context.insert("permalink", &self.urls.absolute(ARCHIVE_PATH));
        self.render_html(
            shared,
            "archive.html",
            context,
            format!("{ARCHIVE_PATH}index.html"),
        )
    }

    pub(super) fn redirect_page(
        &self,
        shared: &Shared,
        redirect: Redirect,
    ) -> Result<OutputFile, RenderError> {
        let mut context = self.page_context(shared, None);
        let target = self.urls.absolute(&redirect.to);
        // Readers see the address decoded (`/访谈/`), the link keeps it encoded.
        let target_text = percent_encoding::percent_decode_str(&target).decode_utf8_lossy();
        context.insert("target_text", &target_text);
        context.insert("target", &target);
        context.insert("target_path", &self.urls.path(&redirect.to));
        self.render_html(shared, "redirect.html", context, redirect.from)
    }

    pub(super) fn not_found_page(&self, shared: &Shared) -> Result<OutputFile, RenderError> {
        let mut context = self.page_context(shared, None);
        context.insert("absolute_urls", &true);
        context.insert("page_url", &self.urls.absolute("404.html"));
        self.render_html(shared, "404.html", context, "404.html".into())
    }

    /// The search page; `search.index_url` is the index manifest it reads.
    pub(super) fn search_page(&self, shared: &Shared) -> Result<OutputFile, RenderError> {
        let mut context = self.page_context(shared, None);
        if let Some([_, here]) = shared.search_box_html.get(self.strings.site().index()) {
            context.insert_value("search_box_html", here.clone());
        }
        context.insert("page_url", &self.urls.path(super::SEARCH_PAGE));
        context.insert("permalink", &self.urls.absolute(super::SEARCH_PAGE));
        context.insert(
            "search",
            &super::context::SearchPageContext {
                index_url: self
                    .urls
                    .path(&format!("{}/index.json", crate::search::INDEX_DIR)),
            },
        );
        self.render_html(
            shared,
            "search.html",
            context,
            format!("{}index.html", super::SEARCH_PAGE),
        )
    }

    /// A standalone page (`layout: page`): its own template, no neighbours, no related.
    pub(super) fn standalone_page(
        &self,
        site: &Site,
        shared: &Shared,
        index: usize,
    ) -> Result<OutputFile, RenderError> {
        let page = &site.standalone[index];
        let summary = Value::from_serializable(&self.summary(site, page));
        let content = &page.rendered.body_html()?;
        self.render_page(
            site,
            shared,
            page,
            content,
            summary,
            "page.html",
            &[],
            None,
            None,
        )
    }

    /// The page of the interview at `index`, showing `content`, its rendered body.
    pub(super) fn article_page(
        &self,
        site: &Site,
        shared: &Shared,
        index: usize,
        content: &str,
    ) -> Result<OutputFile, RenderError> {
        let summaries = &shared.summaries;
        let related = site.related.get(index).map_or(&[][..], Vec::as_slice);
        self.render_page(
            site,
            shared,
            &site.pages[index],
            content,
            summaries[index].clone(),
            "article.html",
            related,
            index.checked_sub(1).map(|i| summaries[i].clone()),
            summaries.get(index + 1).cloned(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn render_page(
        &self,
        site: &Site,
        shared: &Shared,
        page: &Page,
        content: &str,
        summary: Value,
        default_template: &str,
        related: &[usize],
        newer: Option<Value>,
        older: Option<Value>,
    ) -> Result<OutputFile, RenderError> {
        let article = &page.article;
        let template = article.template.as_deref().unwrap_or(default_template);
        if !self.origins.contains_key(template) {
            return Err(RenderError::MissingTemplate {
                source_file: article.source.clone(),
                template: template.to_string(),
            });
        }
        let terms: HashMap<&str, Vec<Value>> = site
            .taxonomies
            .iter()
            .enumerate()
            .map(|(t, taxonomy)| {
                let links = article
                    .terms_for(&taxonomy.config.field)
                    .iter()
                    .filter_map(|spelling| taxonomy.term_index(spelling))
                    .map(|index| self.term_link(site, shared, t, index))
                    .collect();
                (taxonomy.config.name.as_str(), links)
            })
            .collect();
        let t = self.strings.for_lang(&article.lang);
        let full = ArticleContext {
            content,
            toc: &page.rendered.toc,
            updated: article.updated.map(|d| d.ymd()),
            updated_iso: article.updated.map(|d| d.rfc3339()),
            updated_text: article.updated.map(|d| t.date(&d)),
            source_url: article.source_url.as_deref(),
            cleaned_from: article.cleaned_from.as_deref(),
            cjk_chars: page.rendered.cjk_chars,
            latin_words: page.rendered.latin_words,
            extra: &article.extra,
            terms,
            source_file: article.source.display().to_string(),
            related: related
                .iter()
                .map(|&i| shared.summaries[i].clone())
                .collect(),
            json_ld: self.json_ld(&site.config.title, page),
            tags: self.shared_term_links(site, shared, TermField::Tags, &article.tags),
            tags_more: 0,
        };
        let mut context = self.page_context(shared, Some(&article.lang));
        context.insert_value("page", merge(&summary, Value::from_serializable(&full)));
        context.insert_value("newer", newer.unwrap_or_else(Value::none));
        context.insert_value("older", older.unwrap_or_else(Value::none));
        context.insert("page_url", &self.urls.path(&article.url_path));
        let path = article.output_path().to_string_lossy().replace('\\', "/");
        self.render_html(shared, template, context, path)
    }
}
