//! Rebuilding after a change, touching only what the change can affect: an edited
//! article re-renders its Markdown, its page, its neighbours and the listings it is on;
//! a template re-renders pages from the kept Markdown; a static file is only re-read.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Instant;

use rustc_hash::FxHashMap;

use crate::build::{BuildError, BuildOptions, Prepared, prepare, render_articles, search_files};
use crate::content::Article;
use crate::markdown::Highlighter;
use crate::output::{generated_files, read_static};
use crate::render::{OutputFile, Renderer};
use crate::site::{SectionIntro, Site};
use crate::warning::Warning;

use super::state::{LiveEvent, Shared, SiteFiles, Snapshot, index};

/// What changed on disk since the last rebuild, by kind of source.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub config: bool,
    pub templates: bool,
    /// Paths relative to the root (`content/interviews/a.md`), as in `Article::source`.
    pub content: HashSet<PathBuf>,
    /// Paths relative to the root (`static/style.css`).
    pub static_files: HashSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.templates && self.content.is_empty() && self.static_files.is_empty()
    }

    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.content.extend(other.content);
        self.static_files.extend(other.static_files);
    }

    /// Only stylesheets changed, so open pages can swap them without reloading.
    fn stylesheets_only(&self) -> bool {
        !self.config
            && !self.templates
            && self.content.is_empty()
            && self
                .static_files
                .iter()
                .all(|path| path.extension().is_some_and(|x| x == "css"))
    }
}

/// A successful (re)build.
pub(crate) struct Rebuilt {
    files: SiteFiles,
    base_path: String,
    /// What was redone, for the terminal.
    report: String,
    warnings: Vec<Warning>,
    stylesheets_only: bool,
    /// The articles changed, so the search index served is one edit behind until
    /// [`Rebuilder::refresh_search`] makes it again (after the pages have reloaded).
    search_stale: bool,
}

/// The last good build, kept so the next one can reuse its parts.
struct LastBuild {
    site: Arc<Site>,
    renderer: Renderer,
    files: SiteFiles,
}

/// Builds a site again and again, keeping what it can between builds.
pub(crate) struct Rebuilder {
    root: PathBuf,
    options: BuildOptions,
    highlighter: Highlighter,
    last: Option<LastBuild>,
}

impl Rebuilder {
    pub fn new(root: PathBuf, options: BuildOptions) -> Rebuilder {
        Rebuilder {
            root,
            options,
            highlighter: Highlighter::new(),
            last: None,
        }
    }

    /// Builds everything from the sources.
    pub fn full(&mut self) -> Result<Rebuilt, BuildError> {
        let Prepared {
            site,
            renderer,
            extras,
            media,
            warnings,
            ..
        } = prepare(&self.root, &self.options, &self.highlighter)?;
        let rendered = renderer.render_site(&site)?;
        let files = SiteFiles {
            generated: index(generated_files(&extras)),
            media: index(read_media(&media)?),
            rendered: index(rendered),
            site_static: index(read_static(&self.root)?),
            search: index(search_files(&site)?),
        };
        let report = format!(
            "full build: {} articles, {} pages",
            site.pages.len(),
            files.rendered.len()
        );
        let base_path = site.config.base_path();
        self.last = Some(LastBuild {
            site: Arc::new(site),
            renderer,
            files: files.clone(),
        });
        Ok(Rebuilt {
            files,
            base_path,
            report,
            warnings,
            stylesheets_only: false,
            search_stale: false,
        })
    }

    /// The last good build's site, for making its search index on another thread.
    pub fn last_site(&self) -> Option<Arc<Site>> {
        self.last.as_ref().map(|last| last.site.clone())
    }

    /// Rebuilds after `changes`; on error the last good build is kept for the next try.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, BuildError> {
        let Some(last) = &self.last else {
            return self.full();
        };
        if changes.config || changes.content.iter().any(|path| !is_article_file(path)) {
            // Settings reach every page and the Markdown options; section introductions
            // and media files are rare edits that a full build handles simply.
            return self.full();
        }
        let step = self.incremental(last, changes)?;
        let base_path = step.site.as_ref().unwrap_or(&last.site).config.base_path();
        if let Some(last) = &mut self.last {
            if let Some(site) = step.site {
                last.site = Arc::new(site);
            }
            if let Some(renderer) = step.renderer {
                last.renderer = renderer;
            }
            last.files = step.files.clone();
        }
        Ok(Rebuilt {
            files: step.files,
            base_path,
            report: step.report.join(", "),
            warnings: step.warnings,
            stylesheets_only: changes.stylesheets_only(),
            search_stale: step.search_stale,
        })
    }

    fn incremental(&self, last: &LastBuild, changes: &Changes) -> Result<Step, BuildError> {
        let mut files = last.files.clone();
        let mut report = Vec::new();
        let mut warnings = Vec::new();
        let new_renderer = if changes.templates {
            Some(Renderer::new(&self.root, &last.site.config)?)
        } else {
            None
        };
        let renderer = new_renderer.as_ref().unwrap_or(&last.renderer);

        let edited = if changes.content.is_empty() {
            None
        } else {
            let mut edited = match self.edit_in_place(last, &changes.content) {
                Some(edited) => edited,
                None => self.reindex(last, &changes.content)?,
            };
            report.push(format!("{} Markdown re-rendered", edited.rerendered));
            warnings.append(&mut edited.warnings);
            Some(edited)
        };
        let site = edited.as_ref().map_or(&*last.site, |edited| &edited.site);
        let reindexed = edited.as_ref().is_some_and(|edited| !edited.in_place);
        if reindexed || !changes.static_files.is_empty() {
            crate::build::check_routes(&self.root, site)?;
        }
        if changes.templates || (reindexed && !same_shape(&last.site, site)) {
            // Pages moved between listings (or every page's template changed): render
            // all pages again, from the Markdown already rendered.
            files.rendered = index(renderer.render_site(site)?);
            report.push(format!("{} pages re-rendered", files.rendered.len()));
        } else if let Some(edited) = &edited {
            let rendered =
                renderer.render_changed_pages(&last.site, site, &edited.changed_pages)?;
            report.push(format!("{} pages re-rendered", rendered.len()));
            files.rendered.extend(index(rendered));
        }
        if !changes.static_files.is_empty() {
            files.site_static = index(read_static(&self.root)?);
            report.push(format!(
                "{} static files copied",
                changes.static_files.len()
            ));
        }
        Ok(Step {
            search_stale: edited.is_some(),
            site: edited.map(|edited| edited.site),
            renderer: new_renderer,
            files,
            report,
            warnings,
        })
    }
}

impl Rebuilder {
    /// Whether `article` stays out of the preview: a draft or a future date the
    /// options do not include.
    fn holds_back(&self, article: &Article, now: jiff::Timestamp) -> bool {
        (article.draft && !self.options.drafts) || (!self.options.future && article.is_future(now))
    }

    /// The last site with the edited articles put in their places, when every changed
    /// file is an interview that keeps its place ([`Site::replace_page`]): the common
    /// edit of a body or a summary, which at 10,000 articles is far cheaper than
    /// indexing the archive again. `None` when any file needs [`Rebuilder::reindex`].
    fn edit_in_place(&self, last: &LastBuild, changed: &HashSet<PathBuf>) -> Option<Edited> {
        let config = &last.site.config;
        let now = jiff::Timestamp::now();
        let mut site = Site::clone(&last.site);
        let mut changed_pages = Vec::with_capacity(changed.len());
        let mut warnings = Vec::new();
        let mut rerendered = 0;
        for relative in changed {
            let index = site
                .pages
                .iter()
                .position(|page| page.article.source.as_os_str() == relative.as_os_str())?;
            let text = std::fs::read_to_string(self.root.join(relative)).ok()?;
            let mut article = crate::content::parse_article(&text, relative, config).ok()?;
            if self.holds_back(&article, now) {
                return None;
            }
            let previous = &site.pages[index];
            // Media are found by the folder walk; an edit of the text keeps them.
            article.media.clone_from(&previous.article.media);
            let rendered = if same_body(&previous.article, &article) {
                previous.rendered.clone()
            } else {
                let rendered = crate::build::render_body(&article, config, &self.highlighter);
                warnings.extend(rendered.warnings.iter().cloned());
                rerendered += 1;
                Arc::new(rendered)
            };
            let page = crate::site::Page {
                article: Arc::new(article),
                rendered,
            };
            site.replace_page(index, page).ok()?;
            changed_pages.push(index);
        }
        Some(Edited {
            site,
            changed_pages,
            warnings,
            rerendered,
            in_place: true,
        })
    }

    /// The site indexed again from the last build's articles and the changed files.
    fn reindex(&self, last: &LastBuild, changed: &HashSet<PathBuf>) -> Result<Edited, BuildError> {
        let config = &last.site.config;
        let articles = self.reload_articles(last, changed)?;
        // By the path's bytes with Fx hashing: `Path`'s own hash walks components,
        // which at 10,000 articles was a visible part of every rebuild.
        let kept: FxHashMap<&OsStr, &crate::site::Page> = last
            .site
            .pages
            .iter()
            .map(|page| (page.article.source.as_os_str(), page))
            .collect();
        // Markdown is re-rendered only where the body itself changed.
        let reusable = |article: &Article| {
            kept.get(article.source.as_os_str()).filter(|page| {
                std::ptr::eq(&*page.article, article) || same_body(&page.article, article)
            })
        };
        let rerendered: HashSet<PathBuf> = articles
            .iter()
            .filter(|article| reusable(article).is_none())
            .map(|article| article.source.clone())
            .collect();
        let pages = render_articles(articles, config, &self.highlighter, |article| {
            reusable(article).map(|page| page.rendered.clone())
        });
        let warnings = pages
            .iter()
            .filter(|page| rerendered.contains(&page.article.source))
            .flat_map(|page| page.rendered.warnings.clone())
            .collect();
        let intros: Vec<SectionIntro> = last
            .site
            .home
            .iter()
            .chain(last.site.sections.iter().filter_map(|s| s.intro.as_ref()))
            .cloned()
            .collect();
        let site = Site::new(config.clone(), pages, intros)?;
        let changed_pages = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| {
                changed.contains(&page.article.source) || rerendered.contains(&page.article.source)
            })
            .map(|(index, _)| index)
            .collect();
        Ok(Edited {
            site,
            changed_pages,
            warnings,
            rerendered: rerendered.len(),
            in_place: false,
        })
    }

    /// The last build's articles with the changed files parsed again. Anything unusual
    /// (a folder, a file that cannot be read or parsed, two articles at one URL) falls
    /// back to loading all of `content/`, which words every error as `verbatim build` does.
    fn reload_articles(
        &self,
        last: &LastBuild,
        changed: &HashSet<PathBuf>,
    ) -> Result<Vec<Arc<Article>>, BuildError> {
        let config = &last.site.config;
        let now = jiff::Timestamp::now();
        let load_all = || {
            crate::content::load(
                &self.root,
                config,
                &crate::content::LoadOptions {
                    drafts: self.options.drafts,
                    future: self.options.future,
                    now,
                },
            )
            .map(|loaded| loaded.articles.into_iter().map(Arc::new).collect())
            .map_err(BuildError::from)
        };
        if changed
            .iter()
            .any(|path| path.extension().is_none_or(|x| x != "md") || self.root.join(path).is_dir())
        {
            return load_all();
        }
        // In any order: `Site::new` sorts them.
        let mut articles: Vec<Arc<Article>> = last
            .site
            .pages
            .iter()
            .chain(&last.site.standalone)
            .map(|page| page.article.clone())
            .collect();
        for relative in changed {
            articles.retain(|article| article.source.as_os_str() != relative.as_os_str());
            let text = match std::fs::read_to_string(self.root.join(relative)) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(_) => return load_all(),
            };
            let previous = last
                .site
                .pages
                .iter()
                .chain(&last.site.standalone)
                .find(|page| page.article.source.as_os_str() == relative.as_os_str());
            match crate::content::parse_article(&text, relative, config) {
                Ok(article) if self.holds_back(&article, now) => {}
                Ok(mut article) => {
                    // Media are found by the folder walk; an edit of the text keeps them.
                    if let Some(previous) = previous {
                        article.media.clone_from(&previous.article.media);
                    }
                    articles.push(Arc::new(article));
                }
                Err(_) => return load_all(),
            }
        }
        let mut url_paths = HashSet::new();
        if !articles
            .iter()
            .all(|article| url_paths.insert(article.url_path.as_str()))
        {
            return load_all();
        }
        Ok(articles)
    }
}

/// The site after an edit of articles, and what the edit touched.
struct Edited {
    site: Site,
    /// Indices into `site.pages` of the changed articles.
    changed_pages: Vec<usize>,
    /// Warnings from the Markdown rendered again.
    warnings: Vec<Warning>,
    /// How many articles' Markdown was rendered again.
    rerendered: usize,
    /// Whether the articles kept their places, so listings, terms and URLs are as before.
    in_place: bool,
}

/// Whether two versions of an article have the same Markdown at the same line, so its
/// earlier render stands.
fn same_body(a: &Article, b: &Article) -> bool {
    a.body == b.body && a.body_line == b.body_line
}

/// The parts of an incremental rebuild, committed only when all of it succeeded.
struct Step {
    site: Option<Site>,
    renderer: Option<Renderer>,
    files: SiteFiles,
    report: Vec<String>,
    warnings: Vec<Warning>,
    /// Whether the articles changed, leaving the search index to make again.
    search_stale: bool,
}

/// Whether every listing holds the same pages in the same order, with the same URLs and
/// term names, so that only the pages showing a changed article need rendering again.
fn same_shape(old: &Site, new: &Site) -> bool {
    let pages_match = old.pages.len() == new.pages.len()
        && old.pages.iter().zip(&new.pages).all(|(a, b)| {
            a.article.source.as_os_str() == b.article.source.as_os_str()
                && a.article.url_path == b.article.url_path
        });
    let sections_match = old.sections.len() == new.sections.len()
        && old
            .sections
            .iter()
            .zip(&new.sections)
            .all(|(a, b)| a.path == b.path && a.pages == b.pages);
    let taxonomies_match = old.taxonomies.len() == new.taxonomies.len()
        && old.taxonomies.iter().zip(&new.taxonomies).all(|(a, b)| {
            a.terms.len() == b.terms.len()
                && a.terms.iter().zip(&b.terms).all(|(x, y)| {
                    x.name == y.name && x.url_path == y.url_path && x.pages == y.pages
                })
        });
    let standalone_match = old.standalone.len() == new.standalone.len()
        && old
            .standalone
            .iter()
            .zip(&new.standalone)
            .all(|(a, b)| Arc::ptr_eq(&a.article, &b.article));
    pages_match && sections_match && taxonomies_match && standalone_match
}

/// An article's Markdown file, which an incremental rebuild can re-read alone (not a
/// section's `_index.md` nor a media file).
fn is_article_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "md")
        && path
            .file_name()
            .is_some_and(|name| name != crate::content::section::INDEX_FILE)
}

/// The media files read into memory, to serve at their output paths.
fn read_media(media: &[crate::media::MediaFile]) -> Result<Vec<OutputFile>, BuildError> {
    media
        .iter()
        .map(|file| {
            std::fs::read(&file.source)
                .map(|contents| OutputFile {
                    path: file.output.clone(),
                    contents,
                })
                .map_err(|source| {
                    BuildError::Output(crate::output::OutputError::Io {
                        path: file.source.clone(),
                        action: "cannot read",
                        source,
                    })
                })
        })
        .collect()
}

/// What [`publish`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Published {
    /// The build failed; the last good site stays.
    Failed,
    /// The new site is served.
    Done,
    /// The new site (of this generation) is served with the previous search index,
    /// to be made again.
    SearchStale {
        /// The generation published.
        generation: u64,
    },
}

/// Publishes a build's outcome: a new snapshot and a live event on success; on failure
/// the last good site stays and the error is shown in the terminal and the browser.
pub(crate) fn publish(
    shared: &Shared,
    outcome: Result<Rebuilt, BuildError>,
    started: Instant,
) -> Published {
    let previous = shared.current();
    let generation = previous.generation + 1;
    let elapsed = started.elapsed();
    match outcome {
        Ok(rebuilt) => {
            for warning in &rebuilt.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "Rebuilt in {:.1} ms ({})",
                elapsed.as_secs_f64() * 1000.0,
                rebuilt.report
            );
            let event = if rebuilt.stylesheets_only && previous.error.is_none() {
                LiveEvent::Stylesheets { generation }
            } else {
                LiveEvent::Reload { generation }
            };
            let snapshot = Snapshot {
                files: rebuilt.files,
                has_site: true,
                base_path: rebuilt.base_path,
                search_generation: generation,
                generation,
                error: None,
            };
            if rebuilt.search_stale {
                shared.publish_keeping_search(snapshot, event);
                Published::SearchStale { generation }
            } else {
                shared.publish(snapshot, event);
                Published::Done
            }
        }
        Err(error) => {
            let message = error.to_string();
            eprintln!("error: {message}");
            eprintln!("Still serving the last good version; fix the file and save.");
            let snapshot = Snapshot {
                files: previous.files.clone(),
                has_site: previous.has_site,
                base_path: previous.base_path.clone(),
                search_generation: previous.search_generation,
                generation,
                error: Some(message.clone()),
            };
            shared.publish_keeping_search(snapshot, LiveEvent::Failed { message });
            Published::Failed
        }
    }
}

/// The rebuild thread: waits for changes, folds together those that arrived meanwhile,
/// rebuilds and publishes. Ends when the watcher closes the channel. After an article
/// edit the search index is made again on a thread of its own, one at a time, so that
/// neither this reload nor the next edit's waits for it.
pub(crate) fn run(mut rebuilder: Rebuilder, changes: Receiver<Changes>, shared: &Shared) {
    // The index is made on a pool of one thread, not rayon's shared pool, whose threads
    // the next rebuild needs free (if that pool cannot start, the shared one serves).
    let search_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "verbatim-search".into())
        .start_handler(|_| yield_to_rebuilds())
        .build()
        .ok();
    std::thread::scope(|scope| {
        // The changes of a failed rebuild are not in the last good build yet, so they
        // are redone with the next batch.
        let mut failed = Changes::default();
        // The generation whose search index is still to be made, if any.
        let mut search_due: Option<u64> = None;
        let mut indexing: Option<std::thread::ScopedJoinHandle<'_, ()>> = None;
        loop {
            if indexing.as_ref().is_some_and(|thread| thread.is_finished()) {
                indexing = None;
            }
            if let (Some(generation), None) = (search_due, &indexing)
                && let Some(site) = rebuilder.last_site()
            {
                search_due = None;
                let pool = search_pool.as_ref();
                indexing = Some(scope.spawn(move || {
                    let make = || search_files(&site);
                    let made = match pool {
                        Some(pool) => pool.install(make),
                        None => make(),
                    };
                    // The preview parks no body, so nothing can fail to be read back;
                    // were it to, the previous index would stay.
                    if let Ok(search) = made {
                        shared.replace_search(generation, index(search));
                    }
                }));
            }
            let next = if search_due.is_some() {
                // Come back to start the index once the one being made is done.
                match changes.recv_timeout(SEARCH_WAIT) {
                    Ok(next) => next,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match changes.recv() {
                    Ok(next) => next,
                    Err(_) => return,
                }
            };
            let mut batch = std::mem::take(&mut failed);
            batch.merge(next);
            while let Ok(more) = changes.try_recv() {
                batch.merge(more);
            }
            if batch.is_empty() {
                continue;
            }
            let started = Instant::now();
            let outcome = rebuilder.rebuild(&batch);
            match publish(shared, outcome, started) {
                Published::Failed => failed = batch,
                Published::Done => {}
                Published::SearchStale { generation } => search_due = Some(generation),
            }
        }
    });
}

/// Lowers the calling thread's scheduling priority, so that on a machine with few cores
/// the next edit's rebuild takes the processor from a search index still being made.
#[cfg(target_os = "linux")]
fn yield_to_rebuilds() {
    // On Linux a nice value belongs to the thread (no pid: the caller); failure only
    // means the index competes at normal priority.
    let _ = rustix::process::setpriority_process(None, 10);
}

/// Elsewhere a nice value belongs to the whole process, which must not be lowered.
#[cfg(not(target_os = "linux"))]
fn yield_to_rebuilds() {}

/// How often the rebuild thread looks whether a search index being made is done, when
/// another is due.
const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
        std::fs::write(path, text).expect("write file");
    }

    fn article(title: &str, date: &str, tags: &str) -> String {
        format!("---\ntitle: {title}\ndate: {date}\ntags: {tags}\n---\nBody of {title}.\n")
    }

    /// Every file the incremental rebuild serves, and a fresh full build's files.
    fn incremental_and_full(
        rebuilder: &mut Rebuilder,
        changes: &Changes,
    ) -> (SiteFiles, SiteFiles) {
        let mut incremental = rebuilder
            .rebuild(changes)
            .expect("incremental rebuild")
            .files;
        if let Some(site) = rebuilder.last_site() {
            incremental.search = index(search_files(&site).expect("the index"));
        }
        let root = rebuilder.root.clone();
        let full = Rebuilder::new(root, BuildOptions::default())
            .full()
            .expect("full build")
            .files;
        (incremental, full)
    }

    fn assert_same(incremental: &SiteFiles, full: &SiteFiles) {
        let mut paths: Vec<&String> = full.rendered.keys().collect();
        paths.sort();
        let mut served: Vec<&String> = incremental.rendered.keys().collect();
        served.sort();
        assert_eq!(served, paths, "the same files");
        for path in paths {
            assert_eq!(
                incremental.rendered[path].contents, full.rendered[path].contents,
                "{path} differs from a full build"
            );
        }
    }

    #[test]
    fn incremental_rebuilds_match_full_builds() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        // Paginate by 2 so the edited article sits on some listing pages and not others.
        write(root, "site.yml", "paginate_by: 2\n");
        for (name, date, tags) in [
            ("a", "2024-01-01", "[x]"),
            ("b", "2024-02-01", "[x, y]"),
            ("c", "2024-03-01", "[y]"),
            ("d", "2024-04-01", "[x]"),
            ("e", "2024-05-01", "[z]"),
        ] {
            write(
                root,
                &format!("content/s/{name}.md"),
                &article(name, date, tags),
            );
        }
        let mut rebuilder = Rebuilder::new(root.to_path_buf(), BuildOptions::default());
        rebuilder.full().expect("first build");
        let content = |name: &str| Changes {
            content: HashSet::from([PathBuf::from(format!("content/s/{name}.md"))]),
            ..Changes::default()
        };

        // Same place in every listing: only the pages showing `c` are rendered.
        write(
            root,
            "content/s/c.md",
            &article("c renamed", "2024-03-01", "[y]"),
        );
        let (incremental, full) = incremental_and_full(&mut rebuilder, &content("c"));
        assert_same(&incremental, &full);

        // A new body, `updated` date and language keep its place: it is edited in place,
        // and the sitemap and archive, which show those, are rendered again.
        for front in ["updated: 2024-06-01", "updated: 2024-06-01\nlang: zh"] {
            write(
                root,
                "content/s/c.md",
                &format!(
                    "---\ntitle: c renamed\ndate: 2024-03-01\ntags: [y]\n{front}\n---\nNew body.\n"
                ),
            );
            let (incremental, full) = incremental_and_full(&mut rebuilder, &content("c"));
            assert_same(&incremental, &full);
        }

        // A new date and tag move it between listings.
        write(
            root,
            "content/s/c.md",
            &article("c moved", "2023-01-01", "[z]"),
        );
        let (incremental, full) = incremental_and_full(&mut rebuilder, &content("c"));
        assert_same(&incremental, &full);

        std::fs::remove_file(root.join("content/s/e.md")).expect("remove");
        let (incremental, full) = incremental_and_full(&mut rebuilder, &content("e"));
        assert_same(&incremental, &full);

        write(
            root,
            "templates/article.html",
            "<h1>{{ page.title }}</h1>{{ page.content | safe }}",
        );
        let templates = Changes {
            templates: true,
            ..Changes::default()
        };
        let (incremental, full) = incremental_and_full(&mut rebuilder, &templates);
        assert_same(&incremental, &full);
    }

    #[test]
    fn an_edit_in_place_renders_the_archive_and_sitemap_only_when_they_show_it() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        for (name, date) in [
            ("a", "2024-01-01"),
            ("b", "2024-02-01"),
            ("c", "2024-03-01"),
        ] {
            write(
                root,
                &format!("content/s/{name}.md"),
                &article(name, date, "[x]"),
            );
        }
        let mut rebuilder = Rebuilder::new(root.to_path_buf(), BuildOptions::default());
        rebuilder.full().expect("first build");
        let changes = Changes {
            content: HashSet::from([PathBuf::from("content/s/b.md")]),
            ..Changes::default()
        };
        let mut rendered_after = |front: &str| {
            write(
                root,
                "content/s/b.md",
                &format!("---\ntitle: b\ndate: 2024-02-01\ntags: [x]\n{front}---\nNew body.\n"),
            );
            let report = rebuilder.rebuild(&changes).expect("rebuild").report;
            report
                .split(", ")
                .find_map(|part| part.strip_suffix(" pages re-rendered"))
                .and_then(|count| count.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("no page count in {report:?}"))
        };
        let body_only = rendered_after("");
        assert_eq!(
            rendered_after("updated: 2024-06-01\n"),
            body_only + 1,
            "and the sitemap"
        );
        assert_eq!(
            rendered_after("updated: 2024-06-01\nlang: zh\n"),
            body_only + 1,
            "and the archive, whose entries carry the language"
        );
        assert_eq!(
            rendered_after("updated: 2024-06-01\nlang: zh\n"),
            body_only,
            "the same again: neither"
        );
    }

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_build() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        write(root, "content/a.md", &article("a", "2024-01-01", "[]"));
        let mut rebuilder = Rebuilder::new(root.to_path_buf(), BuildOptions::default());
        rebuilder.full().expect("first build");
        let changes = Changes {
            content: HashSet::from([PathBuf::from("content/a.md")]),
            ..Changes::default()
        };
        write(root, "content/a.md", "---\ntitle: a\n---\n");
        let error = rebuilder
            .rebuild(&changes)
            .err()
            .expect("a missing date fails");
        assert!(error.to_string().contains("content/a.md"), "{error}");
        write(
            root,
            "content/a.md",
            &article("a again", "2024-01-01", "[]"),
        );
        let files = rebuilder.rebuild(&changes).expect("fixed").files;
        let page = &files.rendered["a/index.html"].contents;
        assert!(String::from_utf8_lossy(page).contains("a again"));
    }
}
