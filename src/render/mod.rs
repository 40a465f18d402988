//! Templates and page contexts: every HTML page, the feeds, the sitemap and robots.txt,
//! rendered in parallel into memory.
//!
//! Listing pages carry article summaries built once per article and shared (tera values
//! are reference counted), never whole bodies. Each summary carries its `card`, rendered
//! once by `article_card.html` and spliced into every listing that shows the article,
//! rather than rendered again per listing.
//!
//! `urls` builds links, `context` the values templates see, `pages` the HTML pages,
//! `feeds` the feeds, sitemap and robots.txt, `jobs` the list of files to render and
//! who owns each path, `i18n` the interface strings, `menu` the site menu, `meta` the
//! JSON-LD metadata.

mod context;
mod feeds;
pub mod i18n;
mod jobs;
mod menu;
mod meta;
mod pages;
mod urls;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::SiteConfig;
use crate::markdown::Body;
use crate::site::Site;
use context::{ConfigContext, SiteUrls};
use jobs::{Job, all_jobs};
pub use urls::Urls;

/// The folder of a site's own templates, which override the built-in ones by file name.
pub const TEMPLATES_DIR: &str = "templates";

/// The default theme's templates, embedded so a folder with only `content/` builds.
pub const BUILT_IN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "head_extra.html",
        include_str!("../../templates/head_extra.html"),
    ),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("menu.html", include_str!("../../templates/menu.html")),
    (
        "article_card.html",
        include_str!("../../templates/article_card.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("section.html", include_str!("../../templates/section.html")),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "search_box.html",
        include_str!("../../templates/search_box.html"),
    ),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];

/// The template of one article card, spliced into listings.
const CARD_TEMPLATE: &str = "article_card.html";

/// The template of the menu's links, spliced into every page.
const MENU_TEMPLATE: &str = "menu.html";

/// The header's search box, rendered once per language rather than once per page.
const SEARCH_BOX_TEMPLATE: &str = "search_box.html";

/// Where the search page is written, relative to the output root.
pub(crate) const SEARCH_PAGE: &str = "search/";

/// One file of the built site, relative to the output root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `interviews/a/index.html`.
    pub path: String,
    /// The bytes to write.
    pub contents: Vec<u8>,
}

/// A render of every file of a site, in the stages a build releases memory between:
/// [`SiteRender::feeds`], which quote the article bodies, then [`SiteRender::articles`],
/// which takes the bodies and releases each once its page is made, then
/// [`SiteRender::rest`]. Each stage hands each file to a `sink` as soon as it is ready,
/// from any thread.
pub struct SiteRender<'a> {
    renderer: &'a Renderer,
    shared: Shared,
    /// The jobs no stage has rendered yet.
    jobs: Vec<Job>,
}

impl SiteRender<'_> {
    /// Renders the site feed and the term feeds, the only files besides the article
    /// pages that show the article bodies.
    pub fn feeds<E: From<RenderError> + Send>(
        &mut self,
        site: &Site,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        let (feeds, rest) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|job| matches!(job, Job::Feed | Job::TermFeed(..)));
        self.jobs = rest;
        self.run(site, feeds, sink)
    }

    /// Renders the article pages, each from its body in `bodies` (by index into
    /// `site.pages`, as [`Site::take_bodies`] hands them out), which is dropped as soon
    /// as its page is made.
    pub fn articles<E: From<RenderError> + Send>(
        &mut self,
        site: &Site,
        bodies: Vec<Body>,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        self.jobs.retain(|job| !matches!(job, Job::Article(_)));
        let (renderer, shared) = (self.renderer, &self.shared);
        bodies
            .into_par_iter()
            .enumerate()
            .try_for_each(|(index, body)| {
                let html = body.into_html().map_err(RenderError::from)?;
                sink(renderer.article_page(site, shared, index, &html)?)
            })
    }

    /// Renders every file the earlier stages did not (the listings, with the articles'
    /// cards, rendered now), and `robots.txt`.
    pub fn rest<E: From<RenderError> + Send>(
        mut self,
        site: &Site,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        // The archive page and the sitemap show no cards and are made from a context with
        // an entry per article: made while the cards are, their contexts are gone before
        // the cards are all held (100,000 articles: both on top of the cards were the
        // build's peak memory).
        let (whole_archive, listings) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|job| matches!(job, Job::Archive | Job::Sitemap));
        let summaries = std::mem::take(&mut self.shared.summaries);
        let (whole_archive, cards) = rayon::join(
            || self.run(site, whole_archive, &sink),
            || self.renderer.with_cards(summaries),
        );
        whole_archive?;
        self.shared.summaries = cards?;
        self.run(site, listings, &sink)?;
        sink(self.renderer.robots_txt(site))
    }

    fn run<E: From<RenderError> + Send>(
        &self,
        site: &Site,
        jobs: Vec<Job>,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        jobs.into_par_iter()
            .try_for_each(|job| sink(self.renderer.render_job(site, &self.shared, job)?))
    }
}

/// Values computed once per render and shared by every page.
struct Shared {
    /// Each article's summary (empty where not needed), by index into `site.pages`.
    summaries: Vec<Value>,
    /// The site menu.
    menu: Value,
    /// The menu's links as HTML, for pages with relative links and for pages with
    /// absolute ones (`absolute_urls`).
    menu_html: [RenderedMenu; 2],
    /// `site_urls`: relative, and absolute.
    site_urls: [Value; 2],
    /// The header's search box as `search_box.html` renders it, by language table
    /// ([`i18n::Table::index`]): for every page but the search page, and for that one.
    search_box_html: Vec<[Value; 2]>,
    /// Each term's `{name, url}` link, by taxonomy and term, made on first use and
    /// shared by the article pages that show it.
    term_links: Vec<Vec<OnceLock<Value>>>,
}

/// The menu's links rendered once by `menu.html` for each link a page can be, rather
/// than once per page.
struct RenderedMenu {
    /// For a page the menu does not link.
    elsewhere: Value,
    /// By the page the menu links, which its link marks as current.
    current: HashMap<String, Value>,
}

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// An interface string override in `site.yml` is wrong.
    #[error("{message}")]
    Strings {
        /// What is wrong, naming the file and key.
        message: String,
    },
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
    /// A parked body could not be read back (see `crate::spill`).
    #[error(transparent)]
    Spill(#[from] crate::spill::SpillError),
}

/// The Tera environment, ready to render any site with the same templates and settings.
pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, String>,
    urls: Urls,
    strings: i18n::Strings,
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
        let strings = i18n::Strings::new(config)?;
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        register_helpers(&mut tera, &urls);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|error| template_error(&error, &origins))?;
        let mut global = Context::new();
        global.insert("config", &ConfigContext::new(config, &urls, strings.site()));
        *tera.global_context() = global;
        Ok(Renderer {
            tera,
            origins,
            urls,
            strings,
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

    /// Starts rendering every file of the site in stages ([`SiteRender`]), so that a
    /// build can release the article bodies and never holds the whole rendered site in
    /// memory. Builds the values all pages share, the summaries among them; their cards
    /// come with the listings.
    pub fn begin_site(&self, site: &Site) -> Result<SiteRender<'_>, RenderError> {
        Ok(SiteRender {
            renderer: self,
            // The cards come with the listings (`rest`): on a large archive, holding them
            // beside the bodies raised the peak memory.
            shared: self.shared(site, None)?,
            jobs: all_jobs(site),
        })
    }

    /// Renders only the files that show one of the `changed` pages (indices into
    /// `site.pages`): their article pages and their neighbours' (which link to them), the
    /// listings and feeds they are on, and the archive and sitemap if what they show of
    /// the pages changed since `before`, the site last rendered. Only valid while the
    /// order of the pages, the sections and the terms are those of `before`; the preview
    /// server checks that before calling.
    pub fn render_changed_pages(
        &self,
        before: &Site,
        site: &Site,
        changed: &[usize],
    ) -> Result<Vec<OutputFile>, RenderError> {
        let jobs = jobs::jobs_showing(before, site, changed);
        // Only the summaries these jobs show: building all of them would cost more than
        // rendering the few pages.
        let shown = jobs::summaries_shown(site, &jobs);
        self.render_jobs(site, jobs, Some(&shown))
    }

    /// Renders `jobs`; `shown` limits which article summaries are built (all when `None`).
    fn render_jobs(
        &self,
        site: &Site,
        jobs: Vec<Job>,
        shown: Option<&HashSet<usize>>,
    ) -> Result<Vec<OutputFile>, RenderError> {
        let mut shared = self.shared(site, shown)?;
        shared.summaries = self.with_cards(std::mem::take(&mut shared.summaries))?;
        jobs.into_par_iter()
            .map(|job| self.render_job(site, &shared, job))
            .collect()
    }

    /// The values every page shares, the summaries without their cards ([`Self::with_cards`]);
    /// `shown` limits which summaries are built.
    fn shared(&self, site: &Site, shown: Option<&HashSet<usize>>) -> Result<Shared, RenderError> {
        let entries = menu::menu(site, &self.urls, self.strings.site());
        let menu = Value::from_serializable(&entries);
        let mut shared = Shared {
            summaries: Vec::new(),
            menu_html: [
                self.rendered_menu(&entries, &menu, false)?,
                self.rendered_menu(&entries, &menu, true)?,
            ],
            site_urls: [false, true]
                .map(|absolute| Value::from_serializable(&SiteUrls::new(&self.urls, absolute))),
            search_box_html: self.rendered_search_boxes()?,
            term_links: site
                .taxonomies
                .iter()
                .map(|taxonomy| taxonomy.terms.iter().map(|_| OnceLock::new()).collect())
                .collect(),
            menu,
        };
        shared.summaries = self.summaries(site, &shared, shown);
        Ok(shared)
    }

    /// The menu's links as `menu.html` renders them on every page, with relative or
    /// `absolute` links.
    fn rendered_menu(
        &self,
        entries: &[menu::MenuEntry],
        menu: &Value,
        absolute: bool,
    ) -> Result<RenderedMenu, RenderError> {
        let render = |page_url: Value| -> Result<Value, RenderError> {
            let mut context = Context::new();
            context.insert_value("t", self.strings.site().value().clone());
            context.insert_value("menu", menu.clone());
            context.insert_value("page_url", page_url);
            context.insert("absolute_urls", &absolute);
            self.fragment(MENU_TEMPLATE, &context)
        };
        let mut current = HashMap::new();
        for entry in entries {
            if !current.contains_key(&entry.url) {
                current.insert(entry.url.clone(), render(Value::from(entry.url.as_str()))?);
            }
        }
        Ok(RenderedMenu {
            elsewhere: render(Value::none())?,
            current,
        })
    }

    /// `search_box.html` for each language table, as every page but the search page shows
    /// it and as the search page does (its `page_url` is the search page's).
    fn rendered_search_boxes(&self) -> Result<Vec<[Value; 2]>, RenderError> {
        let search_page = Value::from(self.urls.path(SEARCH_PAGE));
        self.strings
            .tables()
            .map(|table| {
                let render = |page_url: Value| -> Result<Value, RenderError> {
                    let mut context = Context::new();
                    context.insert_value("t", table.value().clone());
                    context.insert_value("page_url", page_url);
                    self.fragment(SEARCH_BOX_TEMPLATE, &context)
                };
                Ok([render(Value::none())?, render(search_page.clone())?])
            })
            .collect()
    }

    /// Each article's summary as a template value, built once and shared by every page
    /// that shows it; `shown` limits which are built (all when `None`).
    fn summaries(
        &self,
        site: &Site,
        shared: &Shared,
        shown: Option<&HashSet<usize>>,
    ) -> Vec<Value> {
        site.pages
            .par_iter()
            .enumerate()
            .map(|(index, page)| {
                if shown.is_none_or(|shown| shown.contains(&index)) {
                    self.listed_summary(site, shared, page)
                } else {
                    Value::none()
                }
            })
            .collect()
    }

    /// The `summaries` with each one's `card`: each article's card rendered once, as
    /// every listing shows it.
    fn with_cards(&self, summaries: Vec<Value>) -> Result<Vec<Value>, RenderError> {
        let t = self.strings.site().value();
        summaries
            .into_par_iter()
            .map(|summary| self.with_card(summary, t))
            .collect()
    }

    /// `summary` with `card` added: the article's card as listings show it (their `t` is
    /// the site's language, as here).
    fn with_card(&self, summary: Value, t: &Value) -> Result<Value, RenderError> {
        if summary.as_map().is_none() {
            return Ok(summary);
        }
        let mut context = Context::new();
        context.insert_value("article", summary.clone());
        context.insert_value("t", t.clone());
        let card = self.fragment(CARD_TEMPLATE, &context)?;
        // Without the context's reference the map is taken, not copied.
        drop(context);
        let mut fields = summary.into_map().unwrap_or_default();
        fields.insert("card".into(), card);
        Ok(Value::from(fields))
    }

    /// A piece of HTML rendered once and spliced into many pages (a card, the menu's
    /// links, the search box), as a value templates print unescaped.
    fn fragment(&self, template: &str, context: &Context) -> Result<Value, RenderError> {
        let html = self
            .tera
            .render(template, context)
            .map_err(|error| template_error(&error, &self.origins))?;
        Ok(Value::safe_string(&html))
    }

    fn render_job(
        &self,
        site: &Site,
        shared: &Shared,
        job: Job,
    ) -> Result<OutputFile, RenderError> {
        match job {
            Job::Article(index) => {
                let html = site.pages[index].rendered.body_html()?;
                self.article_page(site, shared, index, &html)
            }
            Job::Page(index) => self.standalone_page(site, shared, index),
            Job::Home(pager) => self.home_page(site, shared, pager),
            Job::Section(s, pager) => self.section_page(site, shared, s, pager),
            Job::TaxonomyIndex(t) => self.taxonomy_index(site, shared, t),
            Job::Term(t, term, pager) => self.term_page(site, shared, t, term, pager),
            Job::Archive => self.archive_page(site, shared),
            Job::Redirect(redirect) => self.redirect_page(shared, redirect),
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
            Job::NotFound => self.not_found_page(shared),
            Job::Search => self.search_page(shared),
        }
    }

    /// Renders an HTML page: `context` gains `menu_html`, the menu's links as this page
    /// shows them (its `page_url` marked current), and `site_urls`, both absolute where
    /// the page asks for `absolute_urls`.
    fn render_html(
        &self,
        shared: &Shared,
        template: &str,
        mut context: Context,
        path: String,
    ) -> Result<OutputFile, RenderError> {
        let absolute = usize::from(context.get("absolute_urls").is_some_and(Value::is_truthy));
        let menus = &shared.menu_html[absolute];
        let menu_html = context
            .get("page_url")
            .and_then(Value::as_str)
            .and_then(|page_url| menus.current.get(page_url))
            .unwrap_or(&menus.elsewhere)
            .clone();
        context.insert_value("menu_html", menu_html);
        context.insert_value("site_urls", shared.site_urls[absolute].clone());
        self.render_file(template, &context, path)
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
        crate::text::strip_xml_forbidden(&mut contents);
        Ok(OutputFile { path, contents })
    }
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
    tera.register_filter("json_ld", meta::JsonLdFilter);
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

#[cfg(test)]
mod tests {
    use super::*;

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
