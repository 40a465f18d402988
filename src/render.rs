//! Templates and page contexts: every HTML page, the feeds, the sitemap and robots.txt,
//! rendered in parallel into memory.
//!
//! Listing pages carry article summaries built once per article and shared (tera values
//! are reference counted), never whole bodies.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::{SiteConfig, TaxonomyConfig};
use crate::site::{Page, Site, pager_url, paginate};

/// The folder of a site's own templates, which override the built-in ones by file name.
pub const TEMPLATES_DIR: &str = "templates";

/// The default theme's templates, embedded so a folder with only `content/` builds.
const BUILT_IN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("section.html", include_str!("../templates/section.html")),
    ("taxonomy.html", include_str!("../templates/taxonomy.html")),
    ("term.html", include_str!("../templates/term.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("search.html", include_str!("../templates/search.html")),
    (
        "search_box.html",
        include_str!("../templates/search_box.html"),
    ),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
];

/// Where the search page is written, relative to the output root.
const SEARCH_PAGE: &str = "search/";

/// One file of the built site, relative to the output root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `interviews/a/index.html`.
    pub path: String,
    /// The bytes to write.
    pub contents: Vec<u8>,
}

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template file cannot be read.
    #[error("{}: cannot read the template: {source}", path.display())]
    Read {
        /// The template file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A template does not parse, or fails while rendering.
    #[error("{origin}: {message}")]
    Template {
        /// Which template, and whether it is the site's or built in.
        origin: String,
        /// Tera's report, with template:line:col and a snippet.
        message: String,
    },
    /// An article names a template that does not exist.
    #[error("{}: `template: {template}` does not exist\n help: add templates/{template} or remove the key", source_file.display())]
    MissingTemplate {
        /// The article.
        source_file: PathBuf,
        /// The template it asked for.
        template: String,
    },
}

/// Builds URLs; every internal link in the output goes through here so that `base_url`
/// applies everywhere.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    absolute_base: Option<String>,
}

impl Urls {
    /// URLs for a site's settings.
    pub fn new(config: &SiteConfig) -> Urls {
        Urls {
            base_path: config.base_path(),
            absolute_base: config.absolute_base(),
        }
    }

    /// `/base/<path>`, percent-encoded.
    pub fn path(&self, relative: &str) -> String {
        format!(
            "{}{}",
            self.base_path,
            percent_encode(relative.trim_start_matches('/'))
        )
    }

    /// `https://host/base/<path>` when `base_url` has a host, else the same as [`Urls::path`].
    pub fn absolute(&self, relative: &str) -> String {
        match &self.absolute_base {
            Some(base) => format!("{base}{}", percent_encode(relative.trim_start_matches('/'))),
            None => self.path(relative),
        }
    }
}

/// Percent-encodes everything but unreserved characters and `/`, `#`, `?`, `=`, `&`, `%`.
fn percent_encode(path: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(path.len() * 3);
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/#?=&%".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
    out
}

/// The Tera environment, ready to render any site with the same templates and settings.
pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, String>,
    urls: Urls,
}

impl Renderer {
    /// Loads the built-in templates and the site's overrides from `root/templates`.
    pub fn new(root: &Path, config: &SiteConfig) -> Result<Renderer, RenderError> {
        let mut sources: Vec<(String, String)> = BUILT_IN_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let mut origins: HashMap<String, String> = sources
            .iter()
            .map(|(name, _)| (name.clone(), format!("built-in template {name}")))
            .collect();
        for (name, path) in site_templates(&root.join(TEMPLATES_DIR))? {
            let text = std::fs::read_to_string(&path).map_err(|source| RenderError::Read {
                path: path.clone(),
                source,
            })?;
            let shown = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            origins.insert(name.clone(), shown);
            match sources.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 = text,
                None => sources.push((name, text)),
            }
        }
        Self::from_sources(sources, origins, config)
    }

    /// A renderer from in-memory templates (name → text); `origins` names where each came
    /// from for error messages.
    pub fn from_sources(
        sources: Vec<(String, String)>,
        origins: HashMap<String, String>,
        config: &SiteConfig,
    ) -> Result<Renderer, RenderError> {
        let urls = Urls::new(config);
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        register_helpers(&mut tera, &urls);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|error| template_error(&error, &origins))?;
        let mut global = Context::new();
        global.insert("config", &ConfigContext::new(config, &urls));
        *tera.global_context() = global;
        Ok(Renderer {
            tera,
            origins,
            urls,
        })
    }

    /// The URL helper this renderer uses.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// Renders every file of the site.
    pub fn render_site(&self, site: &Site) -> Result<Vec<OutputFile>, RenderError> {
        let mut files = self.render_jobs(site, all_jobs(site), None)?;
        files.push(self.robots_txt(site));
        Ok(files)
    }

    /// Renders every file of the site and hands each to `sink` as soon as it is ready, from
    /// any thread, so a build never holds the whole rendered site in memory. Returns the
    /// number of files.
    pub fn render_site_into<E: From<RenderError> + Send>(
        &self,
        site: &Site,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
    ) -> Result<usize, E> {
        let summaries = self.summaries(site, None);
        let jobs = all_jobs(site);
        let count = jobs.len() + 1;
        jobs.into_par_iter()
            .try_for_each(|job| sink(self.render_job(site, &summaries, job)?))?;
        sink(self.robots_txt(site))?;
        Ok(count)
    }

    /// Renders only the files that show one of the `changed` pages (indices into
    /// `site.pages`): their article pages and their neighbours' (which link to them), the
    /// listings and feeds they are on, and the sitemap. Only valid while the order of the
    /// pages, the sections and the terms are those of the last [`Renderer::render_site`];
    /// the preview server checks that before calling.
    pub fn render_changed_pages(
        &self,
        site: &Site,
        changed: &[usize],
    ) -> Result<Vec<OutputFile>, RenderError> {
        let shows = |indices: &[usize]| indices.iter().any(|i| changed.contains(i));
        let feed_limit = site.config.feed.limit;
        let jobs = all_jobs(site)
            .into_iter()
            .filter(|job| match job {
                Job::Article(index) => changed.iter().any(|c| c.abs_diff(*index) <= 1),
                Job::Home(pager) => changed.iter().any(|c| pager.items.contains(c)),
                Job::Section(s, pager) => shows(&site.sections[*s].pages[pager.items.clone()]),
                Job::Term(t, term, pager) => {
                    shows(&site.taxonomies[*t].terms[*term].pages[pager.items.clone()])
                }
                Job::TermFeed(t, term) => {
                    let pages = &site.taxonomies[*t].terms[*term].pages;
                    shows(&pages[..pages.len().min(feed_limit)])
                }
                Job::Feed => changed.iter().any(|&c| c < feed_limit),
                Job::Sitemap => true,
                Job::TaxonomyIndex(_) | Job::NotFound | Job::Search => false,
            })
            .collect::<Vec<Job>>();
        // Only the summaries these jobs show: building all of them would cost more than
        // rendering the few pages.
        let mut shown: HashSet<usize> = HashSet::new();
        for job in &jobs {
            match job {
                Job::Article(index) => shown.extend(index.saturating_sub(1)..=index + 1),
                Job::Home(pager) => shown.extend(pager.items.clone()),
                Job::Section(s, pager) => {
                    shown.extend(&site.sections[*s].pages[pager.items.clone()]);
                }
                Job::Term(t, term, pager) => {
                    shown.extend(&site.taxonomies[*t].terms[*term].pages[pager.items.clone()]);
                }
                _ => {}
            }
        }
        self.render_jobs(site, jobs, Some(&shown))
    }

    /// Renders `jobs`; `shown` limits which article summaries are built (all when `None`).
    fn render_jobs(
        &self,
        site: &Site,
        jobs: Vec<Job>,
        shown: Option<&HashSet<usize>>,
    ) -> Result<Vec<OutputFile>, RenderError> {
        let summaries = self.summaries(site, shown);
        jobs.into_par_iter()
            .map(|job| self.render_job(site, &summaries, job))
            .collect()
    }

    /// Each article's summary as a template value, built once and shared by every listing;
    /// `shown` limits which are built (all when `None`).
    fn summaries(&self, site: &Site, shown: Option<&HashSet<usize>>) -> Vec<Value> {
        site.pages
            .par_iter()
            .enumerate()
            .map(|(index, page)| {
                if shown.is_none_or(|shown| shown.contains(&index)) {
                    Value::from_serializable(&self.summary(site, page))
                } else {
                    Value::none()
                }
            })
            .collect()
    }

    fn render_job(
        &self,
        site: &Site,
        summaries: &[Value],
        job: Job,
    ) -> Result<OutputFile, RenderError> {
        match job {
            Job::Article(index) => self.article_page(site, summaries, index),
            Job::Home(pager) => {
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
            Job::Section(s, pager) => {
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
            Job::TaxonomyIndex(t) => {
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
            Job::Term(t, term, pager) => {
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
            Job::TermFeed(t, term) => {
                let taxonomy = &site.taxonomies[t];
                let term = &taxonomy.terms[term];
                let title = format!("{} — {}", site.config.title, term.name);
                self.feed(site, &term.pages, &title, &term.url_path)
            }
            Job::Feed => {
                let all: Vec<usize> = (0..site.pages.len()).collect();
                self.feed(site, &all, &site.config.title, "")
            }
            Job::Sitemap => self.sitemap(site),
            Job::Search => {
                let mut context = Context::new();
                context.insert("page_url", &self.urls.path(SEARCH_PAGE));
                context.insert(
                    "search",
                    &SearchPageContext {
                        index_url: self
                            .urls
                            .path(&format!("{}/index.json", crate::search::INDEX_DIR)),
                    },
                );
                self.render_file("search.html", &context, format!("{SEARCH_PAGE}index.html"))
            }
            Job::NotFound => {
                let mut context = Context::new();
                context.insert("absolute_urls", &true);
                context.insert("page_url", &self.urls.absolute("404.html"));
                self.render_file("404.html", &context, "404.html".into())
            }
        }
    }

    fn article_page(
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
                    .terms_for(taxonomy.config.key())
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

    fn feed(
        &self,
        site: &Site,
        indices: &[usize],
        title: &str,
        folder: &str,
    ) -> Result<OutputFile, RenderError> {
        let entries: Vec<FeedEntry> = indices
            .iter()
            .take(site.config.feed.limit)
            .map(|&i| {
                let page = &site.pages[i];
                let article = &page.article;
                FeedEntry {
                    title: &article.title,
                    url: self.urls.absolute(&article.url_path),
                    published: article.date.rfc3339(),
                    updated: article.updated.unwrap_or(article.date).rfc3339(),
                    authors: &article.interviewers,
                    summary: summary_html(page),
                    content: &page.rendered.html,
                    lang: &article.lang,
                }
            })
            .collect();
        let updated = indices
            .iter()
            .map(|&i| {
                site.pages[i]
                    .article
                    .updated
                    .unwrap_or(site.pages[i].article.date)
            })
            .max_by_key(|d| d.instant)
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
        let feed_path = format!("{folder}atom.xml");
        let mut context = Context::new();
        context.insert(
            "feed",
            &FeedContext {
                title,
                url: self.urls.absolute(&feed_path),
                home: self.urls.absolute(folder),
                updated,
            },
        );
        context.insert("entries", &entries);
        self.render_file("atom.xml", &context, feed_path)
    }

    fn sitemap(&self, site: &Site) -> Result<OutputFile, RenderError> {
        let mut entries: Vec<SitemapEntry> = vec![SitemapEntry {
            url: self.urls.absolute(""),
            lastmod: site.pages.first().map(|p| p.article.date.rfc3339()),
        }];
        entries.extend(site.pages.iter().map(|page| SitemapEntry {
            url: self.urls.absolute(&page.article.url_path),
            lastmod: Some(page.article.updated.unwrap_or(page.article.date).rfc3339()),
        }));
        for section in &site.sections {
            entries.push(SitemapEntry {
                url: self.urls.absolute(&format!("{}/", section.path)),
                lastmod: None,
            });
        }
        for taxonomy in &site.taxonomies {
            entries.push(SitemapEntry {
                url: self.urls.absolute(&taxonomy.url_path()),
                lastmod: None,
            });
            entries.extend(taxonomy.terms.iter().map(|term| SitemapEntry {
                url: self.urls.absolute(&term.url_path),
                lastmod: None,
            }));
        }
        let mut context = Context::new();
        context.insert("entries", &entries);
        self.render_file("sitemap.xml", &context, "sitemap.xml".into())
    }

    fn robots_txt(&self, site: &Site) -> OutputFile {
        let mut text = String::from("User-agent: *\nAllow: /\n");
        if site.config.sitemap {
            text.push_str(&format!("Sitemap: {}\n", self.urls.absolute("sitemap.xml")));
        }
        OutputFile {
            path: "robots.txt".into(),
            contents: text.into_bytes(),
        }
    }

    fn render_file(
        &self,
        template: &str,
        context: &Context,
        path: String,
    ) -> Result<OutputFile, RenderError> {
        // Rendering into bytes skips the UTF-8 check `render` makes of every page.
        let mut contents = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, context, &mut contents)
            .map_err(|error| template_error(&error, &self.origins))?;
        Ok(OutputFile { path, contents })
    }

    fn summary<'a>(&self, site: &Site, page: &'a Page) -> Summary<'a> {
        let article = &page.article;
        let links = |field: &str, names: &[String]| -> Vec<LinkContext> {
            let taxonomy = site.taxonomies.iter().find(|t| t.config.key() == field);
            names
                .iter()
                .map(|name| LinkContext {
                    name: name.clone(),
                    url: taxonomy
                        .and_then(|t| t.term(name))
                        .map_or_else(String::new, |term| self.urls.path(&term.url_path)),
                })
                .collect()
        };
        Summary {
            title: &article.title,
            url: self.urls.path(&article.url_path),
            permalink: self.urls.absolute(&article.url_path),
            date: article.date.ymd(),
            date_iso: article.date.rfc3339(),
            lang: &article.lang,
            section: &article.section,
            interviewees: links("interviewees", &article.interviewees),
            interviewers: links("interviewers", &article.interviewers),
            publication: links("publication", article.publication.as_slice()).pop(),
            tags: links("tags", &article.tags),
            summary: summary_html(page),
            summary_text: article
                .summary
                .as_deref()
                .unwrap_or(&page.rendered.summary_text),
            reading_minutes: page.rendered.reading_minutes,
            draft: article.draft,
        }
    }

    fn paginator(&self, first: &str, pager: &crate::site::Pager) -> PaginatorContext {
        PaginatorContext {
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

    fn taxonomy_context(&self, taxonomy: &TaxonomyConfig) -> TaxonomyContext {
        TaxonomyContext {
            name: taxonomy.name.clone(),
            title: taxonomy.title().to_string(),
            url: self.urls.path(&format!("{}/", taxonomy.path())),
            path: format!("{}/", taxonomy.path()),
        }
    }
}

/// Every page, listing and feed of the site, as render jobs.
fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Article).collect();
    jobs.extend(
        paginate(site.pages.len(), site.config.paginate_by)
            .into_iter()
            .map(Job::Home),
    );
    for (s, section) in site.sections.iter().enumerate() {
        for pager in paginate(section.pages.len(), site.config.paginate_by) {
            jobs.push(Job::Section(s, pager));
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyIndex(t));
        for (term, entry) in taxonomy.terms.iter().enumerate() {
            for pager in paginate(entry.pages.len(), taxonomy.config.paginate_by) {
                jobs.push(Job::Term(t, term, pager));
            }
            if taxonomy.config.feed {
                jobs.push(Job::TermFeed(t, term));
            }
        }
    }
    jobs.push(Job::NotFound);
    if site.config.search {
        jobs.push(Job::Search);
    }
    if site.config.feed.enabled {
        jobs.push(Job::Feed);
    }
    if site.config.sitemap {
        jobs.push(Job::Sitemap);
    }
    jobs
}

enum Job {
    Article(usize),
    Home(crate::site::Pager),
    Section(usize, crate::site::Pager),
    TaxonomyIndex(usize),
    Term(usize, usize, crate::site::Pager),
    TermFeed(usize, usize),
    Feed,
    Sitemap,
    NotFound,
    Search,
}

/// The summary shown in listings: the editor's `summary`, else the Markdown summary.
fn summary_html(page: &Page) -> String {
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

fn listing(summaries: &[Value], indices: &[usize]) -> Value {
    Value::from(
        indices
            .iter()
            .map(|&i| summaries[i].clone())
            .collect::<Vec<Value>>(),
    )
}

/// The article page's `page`: the summary's fields plus the full ones.
fn merge(summary: &Value, full: Value) -> Value {
    let (Some(summary), Some(full)) = (summary.as_map(), full.as_map()) else {
        return full;
    };
    let mut merged = summary.clone();
    merged.extend(full.iter().map(|(k, v)| (k.clone(), v.clone())));
    Value::from(merged)
}

fn template_error(error: &tera::Error, origins: &HashMap<String, String>) -> RenderError {
    let message = error.to_string();
    let origin = origins
        .iter()
        .filter(|(name, _)| message.contains(name.as_str()))
        .max_by_key(|(name, _)| name.len())
        .map_or_else(|| "templates".to_string(), |(_, origin)| origin.clone());
    RenderError::Template { origin, message }
}

fn site_templates(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| RenderError::Read {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("loop in folder links")),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let Ok(relative) = path.strip_prefix(dir) else {
            continue;
        };
        let name = relative.to_string_lossy().replace('\\', "/");
        if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") {
            found.push((name, path));
        }
    }
    Ok(found)
}

fn register_helpers(tera: &mut Tera, urls: &Urls) {
    let for_url = urls.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false)
                || state.get::<bool>("absolute_urls")?.unwrap_or(false);
            Ok(if absolute {
                for_url.absolute(path)
            } else {
                for_url.path(path)
            })
        },
    );
    tera.register_filter(
        "date",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: &str = kwargs.get("format")?.unwrap_or("%Y-%m-%d");
            let date = crate::content::ArticleDate::parse(value)
                .ok_or_else(|| tera::Error::message(format!("`{value}` is not a date")))?;
            jiff::fmt::strtime::format(format, date.local)
                .map_err(|e| tera::Error::message(format!("bad date format `{format}`: {e}")))
        },
    );
}

#[derive(Serialize)]
struct ConfigContext {
    title: String,
    description: String,
    base_url: String,
    language: String,
    author: Option<String>,
    feed_url: Option<String>,
    taxonomies: Vec<TaxonomyContext>,
    search: Option<SearchContext>,
    extra: serde_json::Map<String, serde_json::Value>,
}

/// What every page needs for the search box, when search is on.
#[derive(Serialize)]
struct SearchContext {
    /// The search page.
    url: String,
    /// `search.js`.
    script_url: String,
    /// Interface strings in the site's language.
    strings: std::collections::BTreeMap<&'static str, &'static str>,
    /// The same, as JSON for the script.
    strings_json: String,
}

/// The search page's own variables.
#[derive(Serialize)]
struct SearchPageContext {
    /// The index manifest.
    index_url: String,
}

impl ConfigContext {
    fn new(config: &SiteConfig, urls: &Urls) -> ConfigContext {
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
                .map(|t| TaxonomyContext {
                    name: t.name.clone(),
                    title: t.title().to_string(),
                    url: urls.path(&format!("{}/", t.path())),
                    path: format!("{}/", t.path()),
                })
                .collect(),
            search: config.search.then(|| {
                let strings = crate::search::strings(&config.language);
                SearchContext {
                    url: urls.path(SEARCH_PAGE),
                    script_url: urls.path(crate::search::SCRIPT),
                    strings_json: serde_json::to_string(&strings).unwrap_or_default(),
                    strings,
                }
            }),
            extra: config.extra.clone(),
        }
    }
}

#[derive(Serialize)]
struct TaxonomyContext {
    name: String,
    title: String,
    /// With the base path applied.
    url: String,
    /// Relative to the site root, for `url(path=…)`.
    path: String,
}

#[derive(Serialize)]
struct LinkContext {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct TermContext {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct PaginatorContext {
    number: usize,
    total: usize,
    first_url: String,
    last_url: String,
    prev_url: Option<String>,
    next_url: Option<String>,
}

/// What listings know of an article.
#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    date: String,
    date_iso: String,
    lang: &'a str,
    section: &'a str,
    interviewees: Vec<LinkContext>,
    interviewers: Vec<LinkContext>,
    publication: Option<LinkContext>,
    tags: Vec<LinkContext>,
    summary: String,
    summary_text: &'a str,
    reading_minutes: usize,
    draft: bool,
}

/// What only the article's own page needs.
#[derive(Serialize)]
struct ArticleContext<'a> {
    content: &'a str,
    toc: &'a [crate::markdown::TocEntry],
    updated: Option<String>,
    updated_iso: Option<String>,
    source_url: Option<&'a str>,
    cleaned_from: Option<&'a str>,
    cjk_chars: usize,
    latin_words: usize,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    terms: HashMap<&'a str, Vec<LinkContext>>,
    source_file: String,
}

#[derive(Serialize)]
struct FeedContext<'a> {
    title: &'a str,
    url: String,
    home: String,
    updated: String,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    published: String,
    updated: String,
    authors: &'a [String],
    summary: String,
    content: &'a str,
    lang: &'a str,
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_apply_base_path_and_encode() {
        let config = crate::config::parse(
            "base_url: https://user.github.io/archive/\n",
            Path::new("site.yml"),
        )
        .unwrap();
        let urls = Urls::new(&config);
        assert_eq!(urls.path("tags/"), "/archive/tags/");
        assert_eq!(
            urls.path("/tags/档案/"),
            "/archive/tags/%E6%A1%A3%E6%A1%88/"
        );
        assert_eq!(urls.absolute(""), "https://user.github.io/archive/");
        let root = Urls::new(&SiteConfig::default());
        assert_eq!(root.path(""), "/");
        assert_eq!(root.absolute("a/"), "/a/");
    }

    #[test]
    fn built_in_templates_parse() {
        let renderer = Renderer::from_sources(
            BUILT_IN_TEMPLATES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            HashMap::new(),
            &SiteConfig::default(),
        );
        assert!(
            renderer.is_ok(),
            "{:?}",
            renderer.err().map(|e| e.to_string())
        );
    }

    #[test]
    fn template_errors_name_the_file() {
        let mut origins = HashMap::new();
        origins.insert("index.html".to_string(), "templates/index.html".to_string());
        let error = Renderer::from_sources(
            vec![("index.html".into(), "line one\n{% if %}\n".into())],
            origins,
            &SiteConfig::default(),
        )
        .err()
        .expect("syntax error");
        let message = error.to_string();
        assert!(message.starts_with("templates/index.html:"), "{message}");
        assert!(message.contains(":2:"), "{message}");
    }
}
