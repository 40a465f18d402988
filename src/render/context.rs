//! The values templates see: typed contexts for the site settings, article summaries,
//! article pages, terms and paginators.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::i18n::Table;
use super::urls::Urls;
use super::{Renderer, Shared};
use crate::config::{SiteConfig, TaxonomyConfig, TermField};
use crate::site::{Page, Pager, Site, Taxonomy, pager_url};

/// The tags an article card shows in listings. Every term page lists its articles'
/// cards, so showing all of an article's tags there would make the output grow with
/// the square of its tag count; the article page shows them all.
pub(super) const CARD_TAGS: usize = 8;

impl Renderer {
    /// Links to the terms `names` of the taxonomy reading `field` (empty URLs when no
    /// taxonomy reads it).
    pub(super) fn term_links(
        &self,
        site: &Site,
        field: TermField,
        names: &[String],
    ) -> Vec<LinkContext> {
        let taxonomy = site.taxonomies.iter().find(|t| t.config.field == field);
        names
            .iter()
            .map(|name| self.link_to(taxonomy, name))
            .collect()
    }

    /// The link for `name` as written, to its term in `taxonomy` (an empty URL when
    /// there is no such taxonomy or term).
    fn link_to(&self, taxonomy: Option<&Taxonomy>, name: &str) -> LinkContext {
        LinkContext {
            name: name.to_string(),
            url: taxonomy
                .and_then(|t| t.term(name))
                .map_or_else(String::new, |term| self.urls.path(&term.url_path)),
        }
    }

    /// The link to term `index` of taxonomy `t`, made on first use and then shared.
    pub(super) fn term_link(&self, site: &Site, shared: &Shared, t: usize, index: usize) -> Value {
        shared.term_links[t][index]
            .get_or_init(|| {
                let term = &site.taxonomies[t].terms[index];
                Value::from_serializable(&LinkContext {
                    name: term.name.clone(),
                    url: self.urls.path(&term.url_path),
                })
            })
            .clone()
    }

    /// The same links as [`Renderer::term_links`], as template values: a name spelled as
    /// its term shows the term's shared link.
    pub(super) fn shared_term_links(
        &self,
        site: &Site,
        shared: &Shared,
        field: TermField,
        names: &[String],
    ) -> Vec<Value> {
        let t = site.taxonomies.iter().position(|t| t.config.field == field);
        names
            .iter()
            .map(|name| {
                let index = t.and_then(|t| site.taxonomies[t].term_index(name));
                match (t, index) {
                    (Some(t), Some(index)) if site.taxonomies[t].terms[index].name == *name => {
                        self.term_link(site, shared, t, index)
                    }
                    // Another spelling of a term keeps its own text.
                    _ => Value::from_serializable(
                        &self.link_to(t.map(|t| &site.taxonomies[t]), name),
                    ),
                }
            })
            .collect()
    }

    pub(super) fn summary<'a>(&self, site: &Site, page: &'a Page) -> Summary<'a> {
        let article = &page.article;
        let links = |field: TermField, names: &[String]| self.term_links(site, field, names);
        Summary {
            interviewees: links(TermField::Interviewees, &article.interviewees),
            interviewers: links(TermField::Interviewers, &article.interviewers),
            publication: links(TermField::Publication, article.publication.as_slice()).pop(),
            tags: links(TermField::Tags, card_tags(article)),
            ..self.summary_without_links(page)
        }
    }

    /// The summary in listings: [`Renderer::summary`] with the term links as the values
    /// `shared` holds for every page that shows them, rather than a copy per article.
    pub(super) fn listed_summary(&self, site: &Site, shared: &Shared, page: &Page) -> Value {
        let article = &page.article;
        let links =
            |field: TermField, names: &[String]| self.shared_term_links(site, shared, field, names);
        let summary = Value::from_serializable(&self.summary_without_links(page));
        let Some(mut fields) = summary.into_map() else {
            return Value::none();
        };
        let publication = links(TermField::Publication, article.publication.as_slice()).pop();
        for (key, value) in [
            (
                "interviewees",
                Value::from(links(TermField::Interviewees, &article.interviewees)),
            ),
            (
                "interviewers",
                Value::from(links(TermField::Interviewers, &article.interviewers)),
            ),
            ("publication", publication.unwrap_or_else(Value::none)),
            (
                "tags",
                Value::from(links(TermField::Tags, card_tags(article))),
            ),
        ] {
            fields.insert(key.into(), value);
        }
        Value::from(fields)
    }

    /// [`Renderer::summary`] without its term links.
    fn summary_without_links<'a>(&self, page: &'a Page) -> Summary<'a> {
        let article = &page.article;
        let card_tags = card_tags(article);
        let t = self.strings.for_lang(&article.lang);
        Summary {
            title: &article.title,
            url: self.urls.path(&article.url_path),
            permalink: self.urls.absolute(&article.url_path),
            date: article.date.map(|d| d.ymd()),
            date_iso: article.date.map(|d| d.rfc3339()),
            date_text: article.date.map(|d| t.date(&d)),
            reading_text: t.count("reading_minutes", page.rendered.reading_minutes),
            image: article
                .image
                .as_deref()
                .map(|image| self.image_url(article, image)),
            is_page: article.layout == crate::content::Layout::Page,
            lang: &article.lang,
            section: &article.section,
            interviewees: Vec::new(),
            interviewers: Vec::new(),
            publication: None,
            tags: Vec::new(),
            tags_more: article.tags.len() - card_tags.len(),
            summary: summary_html(page),
            summary_text: article
                .summary
                .as_deref()
                .unwrap_or(&page.rendered.summary_text),
            reading_minutes: page.rendered.reading_minutes,
            draft: article.draft,
        }
    }

    /// The absolute URL of an article's card image: a full address as is, a site path
    /// (`/img/a.jpg`) under `base_url`, else a file beside the article.
    pub(super) fn image_url(&self, article: &crate::content::Article, image: &str) -> String {
        if image.starts_with("http://") || image.starts_with("https://") {
            image.to_string()
        } else if let Some(site_path) = image.strip_prefix('/') {
            self.urls.absolute(site_path)
        } else {
            self.urls.absolute(&format!("{}{image}", article.url_path))
        }
    }

    pub(super) fn paginator(&self, first: &str, pager: &Pager) -> PaginatorContext {
        let t = self.strings.site();
        PaginatorContext {
            title: (pager.number > 1).then(|| t.count("page_n", pager.number)),
            status: t.page_status(pager.number, pager.total),
            number: pager.number,
            total: pager.total,
            first_url: self.urls.path(first),
            last_url: self.urls.path(&pager_url(first, pager.total)),
            prev_url: (pager.number > 1)
                .then(|| self.urls.path(&pager_url(first, pager.number - 1))),
            next_url: (pager.number < pager.total)
                .then(|| self.urls.path(&pager_url(first, pager.number + 1))),
        }
    }

    pub(super) fn taxonomy_context(&self, taxonomy: &TaxonomyConfig) -> TaxonomyContext {
        TaxonomyContext::new(taxonomy, &self.urls, self.strings.site())
    }
}

/// The tags an article's card shows.
fn card_tags(article: &crate::content::Article) -> &[String] {
    &article.tags[..article.tags.len().min(CARD_TAGS)]
}

/// The summary shown in listings: the editor's `summary`, else the Markdown summary.
pub(super) fn summary_html(page: &Page) -> String {
    match &page.article.summary {
        Some(text) => {
            let mut html = String::from("<p>");
            let _ = pulldown_cmark_escape::escape_html(&mut html, text);
            html.push_str("</p>");
            html
        }
        None => page.rendered.summary_html.clone(),
    }
}

/// The summaries of the articles at `indices`, shared, not copied.
pub(super) fn listing(summaries: &[Value], indices: &[usize]) -> Value {
    Value::from(
        indices
            .iter()
            .map(|&i| summaries[i].clone())
            .collect::<Vec<Value>>(),
    )
}

/// The article page's `page`: the summary's fields plus the full ones.
pub(super) fn merge(summary: &Value, full: Value) -> Value {
    let (Some(summary), Some(full)) = (summary.as_map(), full.as_map()) else {
        return full;
    };
    let mut merged = summary.clone();
    merged.extend(full.iter().map(|(k, v)| (k.clone(), v.clone())));
    Value::from(merged)
}

#[derive(Serialize)]
pub(super) struct ConfigContext {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) base_url: String,
    pub(super) language: String,
    pub(super) author: Option<String>,
    pub(super) feed_url: Option<String>,
    pub(super) taxonomies: Vec<TaxonomyContext>,
    /// The archive by date.
    pub(super) archive_url: String,
    /// The home page's absolute URL, for link previews.
    pub(super) permalink: String,
    pub(super) extra_css: Vec<String>,
    /// The search page and script, when search is on.
    pub(super) search: Option<SearchContext>,
    pub(super) extra: serde_json::Map<String, serde_json::Value>,
}

/// What every page needs for the search box, when search is on.
#[derive(Serialize)]
pub(super) struct SearchContext {
    /// The search page.
    pub(super) url: String,
    /// `search.js`.
    pub(super) script_url: String,
}

/// The search page's own variables.
#[derive(Serialize)]
pub(super) struct SearchPageContext {
    /// The index manifest.
    pub(super) index_url: String,
}

impl ConfigContext {
    pub(super) fn new(config: &SiteConfig, urls: &Urls, t: &Table) -> ConfigContext {
        ConfigContext {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            language: config.language.clone(),
            author: config.author.clone(),
            feed_url: config.feed.enabled.then(|| urls.path("atom.xml")),
            taxonomies: config
                .taxonomies
                .iter()
                .map(|taxonomy| TaxonomyContext::new(taxonomy, urls, t))
                .collect(),
            archive_url: urls.path(super::jobs::ARCHIVE_PATH),
            permalink: urls.absolute(""),
            extra_css: config.extra_css.clone(),
            search: config.search.then(|| SearchContext {
                url: urls.path(super::SEARCH_PAGE),
                script_url: urls.path(crate::search::SCRIPT),
            }),
            extra: config.extra.clone(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct TaxonomyContext {
    pub(super) name: String,
    pub(super) title: String,
    /// With the base path applied.
    pub(super) url: String,
    /// Relative to the site root, for `url(path=…)`.
    pub(super) path: String,
    /// The front-matter field it reads (`tags`, `extra.region`).
    pub(super) field: String,
    /// Whether the default theme shows it in its own place on article pages (people,
    /// publication, tags); the others are listed together.
    pub(super) built_in: bool,
}

impl TaxonomyContext {
    fn new(taxonomy: &TaxonomyConfig, urls: &Urls, t: &Table) -> TaxonomyContext {
        TaxonomyContext {
            name: taxonomy.name.clone(),
            title: t.taxonomy_title(taxonomy),
            url: urls.path(&format!("{}/", taxonomy.path())),
            path: format!("{}/", taxonomy.path()),
            field: taxonomy.field.key().into_owned(),
            built_in: !matches!(taxonomy.field, TermField::Extra(_)),
        }
    }
}

#[derive(Serialize)]
pub(super) struct LinkContext {
    pub(super) name: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct TermContext {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct PaginatorContext {
    /// `Page 2` / `第 2 页` after the first page, for the title and heading.
    pub(super) title: Option<String>,
    /// `2 of 5`.
    pub(super) status: String,
    pub(super) number: usize,
    pub(super) total: usize,
    pub(super) first_url: String,
    pub(super) last_url: String,
    pub(super) prev_url: Option<String>,
    pub(super) next_url: Option<String>,
}

/// What listings know of an article.
#[derive(Serialize)]
pub(super) struct Summary<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) date: Option<String>,
    pub(super) date_iso: Option<String>,
    /// The date for readers, in the article's language (`2024年3月21日`).
    pub(super) date_text: Option<String>,
    /// `5 min read` / `约 5 分钟`.
    pub(super) reading_text: String,
    /// The card image's absolute URL.
    pub(super) image: Option<String>,
    /// A standalone page rather than an interview.
    pub(super) is_page: bool,
    pub(super) lang: &'a str,
    pub(super) section: &'a str,
    pub(super) interviewees: Vec<LinkContext>,
    pub(super) interviewers: Vec<LinkContext>,
    pub(super) publication: Option<LinkContext>,
    /// The first [`CARD_TAGS`] tags.
    pub(super) tags: Vec<LinkContext>,
    /// How many tags a card leaves out.
    pub(super) tags_more: usize,
    pub(super) summary: String,
    pub(super) summary_text: &'a str,
    pub(super) reading_minutes: usize,
    pub(super) draft: bool,
}

/// What only the article's own page needs.
#[derive(Serialize)]
pub(super) struct ArticleContext<'a> {
    pub(super) content: &'a str,
    pub(super) toc: &'a [crate::markdown::TocEntry],
    pub(super) updated: Option<String>,
    pub(super) updated_iso: Option<String>,
    /// The update date for readers, in the article's language.
    pub(super) updated_text: Option<String>,
    pub(super) source_url: Option<&'a str>,
    pub(super) cleaned_from: Option<&'a str>,
    pub(super) cjk_chars: usize,
    pub(super) latin_words: usize,
    pub(super) extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Taxonomy name → links to the article's terms (shared values).
    pub(super) terms: HashMap<&'a str, Vec<Value>>,
    pub(super) source_file: String,
    /// Summaries of related interviews, best first.
    pub(super) related: Vec<Value>,
    /// schema.org metadata as JSON text (keys sorted, so builds are repeatable), for
    /// the `json_ld` filter.
    pub(super) json_ld: String,
    /// Every tag: the article page shows them all, replacing the card's first few.
    pub(super) tags: Vec<Value>,
    /// Always 0 on the article page.
    pub(super) tags_more: usize,
}

/// `site_urls`: the links every page of the built-in theme makes, computed once per
/// build rather than by a `url()` call per link per page.
#[derive(Serialize)]
pub(super) struct SiteUrls {
    /// The home page.
    pub(super) home: String,
    /// `style.css`.
    pub(super) style: String,
    /// `highlight.css`.
    pub(super) highlight: String,
    /// The site feed, `atom.xml`.
    pub(super) feed: String,
}

impl SiteUrls {
    /// The links with `base_url` applied; full addresses when `absolute` (the 404 page,
    /// served at any path).
    pub(super) fn new(urls: &Urls, absolute: bool) -> SiteUrls {
        let link = |path: &str| {
            if absolute {
                urls.absolute(path)
            } else {
                urls.path(path)
            }
        };
        SiteUrls {
            home: link(""),
            style: link("style.css"),
            highlight: link("highlight.css"),
            feed: link("atom.xml"),
        }
    }
}
