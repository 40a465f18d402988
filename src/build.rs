//! `verbatim build`: the pipeline from a site folder to a written output folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{ConfigError, SiteConfig};
use crate::content::section::SectionIndex;
use crate::content::{Article, ContentErrors, Layout, LoadOptions};
use crate::markdown::{Highlighter, MarkdownOptions, Rendered, SourceInfo};
use crate::media::MediaFile;
use crate::output::{Extras, OutputError, Staging};
use crate::progress::{Progress, ProgressFn, Stage};
use crate::render::{OutputFile, RenderError, Renderer};
use crate::site::{Page, SectionIntro, Site, SiteError};
use crate::spill::{SpillError, SpillFile};
use crate::warning::Warning;

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.yml`.
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated after now.
    pub future: bool,
    /// Bytes of Markdown past which the rendered bodies wait in a scratch file beside
    /// the output rather than in memory (`crate::spill`); `None` is [`SPILL_ABOVE`].
    pub spill_above: Option<u64>,
}

/// Past this much Markdown (about 19,000 interviews of 7 KB) a build parks the rendered
/// bodies on disk. Below it memory is not the limit, and parking costs time: at 10,000
/// such interviews (223 MB peak) it took 4 % more wall time and saved 74 MB.
pub const SPILL_ABOVE: u64 = 128 << 20;

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Articles published.
    pub articles: usize,
    /// Standalone pages published.
    pub pages: usize,
    /// Articles held back for being dated in the future (see `--future`).
    pub held_future: usize,
    /// Terms across all taxonomies.
    pub terms: usize,
    /// Files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Vec<Warning>,
    /// The output folder.
    pub output: PathBuf,
}

/// Why a build failed; each variant's message names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site folder does not exist or is not a folder.
    #[error("{}: cannot open the site folder: {reason}\n help: pass --root with the folder that holds content/", path.display())]
    Root {
        /// The folder given.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// `site.yml` is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// One or more articles are wrong.
    #[error(transparent)]
    Content(#[from] ContentErrors),
    /// The taxonomies cannot be built.
    #[error(transparent)]
    Site(#[from] SiteError),
    /// A template is wrong.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The scratch file for rendered bodies failed (see `crate::spill`).
    #[error(transparent)]
    Spill(#[from] SpillError),
    /// Writing failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Two things would be published at one URL.
    #[error(transparent)]
    Route(#[from] crate::routes::RouteClash),
    /// A source folder (`static/`) cannot be listed.
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
    /// The highlight theme CSS could not be generated.
    #[error("site.yml: {0}")]
    Theme(String),
}

/// Reads the settings, applying command-line overrides.
fn load_config(root: &Path, options: &BuildOptions) -> Result<SiteConfig, ConfigError> {
    let mut config = crate::config::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
        config.validate(Path::new("--base-url"))?;
    }
    Ok(config)
}

/// Everything a build knows before rendering templates: what `build` writes out and
/// what `serve` keeps in memory.
pub struct Prepared {
    /// The indexed archive.
    pub site: Site,
    /// The templates, loaded.
    pub renderer: Renderer,
    /// Extra files for the output root.
    pub extras: Extras,
    /// Media files to publish as they are: articles' and loose files under `content/`.
    pub media: Vec<MediaFile>,
    /// Articles held back for being dated in the future.
    pub held_future: usize,
    /// Problems that did not stop the build.
    pub warnings: Vec<Warning>,
    /// The rendered bodies and plain texts wait in a scratch file (`crate::spill`).
    pub parked: bool,
}

/// What to do with each article's Markdown source once its body is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sources<'a> {
    /// Keep it: the preview server compares it with the next edit, `check` maps links
    /// back to its lines.
    Keep,
    /// Empty it at once, so a large archive never holds every source beside every
    /// rendered body; past `above` bytes of Markdown, also park each rendered body in a
    /// scratch file in `spill_folder`.
    Release { spill_folder: &'a Path, above: u64 },
}

/// Runs the stages up to the indexed site: settings, content, Markdown, taxonomies, and
/// loads the templates. `highlighter` may be kept between builds so its syntax set loads
/// once.
pub fn prepare(
    root: &Path,
    options: &BuildOptions,
    highlighter: &Highlighter,
) -> Result<Prepared, BuildError> {
    prepare_keeping(root, options, highlighter, Sources::Keep)
}

/// [`prepare`], keeping or releasing the articles' Markdown sources.
fn prepare_keeping(
    root: &Path,
    options: &BuildOptions,
    highlighter: &Highlighter,
    sources: Sources<'_>,
) -> Result<Prepared, BuildError> {
    check_root(root)?;
    let config = load_config(root, options)?;
    let settings_file = root.join(crate::config::CONFIG_FILE);
    let settings_text = std::fs::read_to_string(&settings_file).ok();
    let mut warnings = config.warnings(
        Path::new(crate::config::CONFIG_FILE),
        settings_text.as_deref(),
    );
    // The templates, the highlight CSS and the search index's folding tables do not
    // depend on the content: they are made beside the loading of the articles instead
    // of on one thread after it.
    let (loaded, (renderer, extras)) = rayon::join(
        || {
            crate::content::load(
                root,
                &config,
                &LoadOptions {
                    drafts: options.drafts,
                    future: options.future,
                    now: jiff::Timestamp::now(),
                },
            )
        },
        || {
            if config.search {
                crate::search::fold::prepare();
            }
            (Renderer::new(root, &config), extras(&config, highlighter))
        },
    );
    let loaded = loaded?;
    let renderer = renderer?;
    let articles: Vec<Arc<Article>> = loaded.articles.into_iter().map(Arc::new).collect();
    let mut parked = false;
    let pages = match sources {
        Sources::Keep => render_articles(articles, &config, highlighter, |_| None),
        Sources::Release {
            spill_folder,
            above,
        } => {
            let markdown_bytes: u64 = articles.iter().map(|a| a.body.len() as u64).sum();
            let spill = (markdown_bytes > above)
                .then(|| SpillFile::create_in(spill_folder))
                .transpose()?;
            parked = spill.is_some();
            render_releasing_sources(articles, &config, highlighter, spill.as_ref())?
        }
    };
    let intros = render_intros(loaded.sections, &config, highlighter);
    warnings.extend(
        pages
            .iter()
            .map(|p| &p.rendered)
            .chain(intros.iter().map(|i| &i.rendered))
            .flat_map(|r| r.warnings.iter().cloned()),
    );
    let extras = extras?;
    let site = Site::new(config, pages, intros)?;
    check_routes(root, &site)?;
    let media = site
        .pages
        .iter()
        .chain(&site.standalone)
        .flat_map(|page| page.article.media.iter().cloned())
        .chain(loaded.loose_media)
        .collect();
    Ok(Prepared {
        site,
        renderer,
        extras,
        media,
        held_future: loaded.held_future,
        warnings,
        parked,
    })
}

/// Checks that every URL of the site, static files included, has one owner.
pub fn check_routes(root: &Path, site: &Site) -> Result<(), BuildError> {
    let static_files: Vec<String> =
        crate::walk::source_files(root, crate::output::STATIC_DIR, false)?
            .into_iter()
            .map(|file| file.relative.to_string_lossy().replace('\\', "/"))
            .collect();
    crate::routes::Routes::of_site(site, &static_files)?;
    Ok(())
}

/// The site folder must exist: a typo in `--root` must not publish an empty site.
fn check_root(root: &Path) -> Result<(), BuildError> {
    let reason = match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => "it is a file, not a folder".to_string(),
        Err(error) => error.to_string(),
    };
    Err(BuildError::Root {
        path: root.to_path_buf(),
        reason,
    })
}

/// Renders each article's Markdown in parallel. `reuse` may hand back an earlier render
/// of an unchanged article (the preview server keeps them), which is then not redone.
pub fn render_articles(
    articles: Vec<Arc<Article>>,
    config: &SiteConfig,
    highlighter: &Highlighter,
    reuse: impl Fn(&Article) -> Option<Arc<Rendered>> + Sync,
) -> Vec<Page> {
    articles
        .into_par_iter()
        .map(|article| {
            let rendered = reuse(&article)
                .unwrap_or_else(|| Arc::new(render_body(&article, config, highlighter)));
            Page { article, rendered }
        })
        .collect()
}

/// Renders each article's Markdown in parallel, emptying its source as soon as its body is
/// rendered (where no one else holds the article), and parking each interview's body in
/// `spill` if given (the few standalone pages stay in memory until the listings).
fn render_releasing_sources(
    articles: Vec<Arc<Article>>,
    config: &SiteConfig,
    highlighter: &Highlighter,
    spill: Option<&Arc<SpillFile>>,
) -> Result<Vec<Page>, SpillError> {
    articles
        .into_par_iter()
        .map(|mut article| {
            let mut rendered = render_body(&article, config, highlighter);
            if let Some(spill) = spill.filter(|_| article.layout == Layout::Interview) {
                rendered.park(spill)?;
            }
            if let Some(article) = Arc::get_mut(&mut article) {
                article.body = String::new();
            }
            Ok(Page {
                article,
                rendered: Arc::new(rendered),
            })
        })
        .collect()
}

/// Renders one article's Markdown body.
pub fn render_body(article: &Article, config: &SiteConfig, highlighter: &Highlighter) -> Rendered {
    crate::markdown::render(
        &article.body,
        SourceInfo {
            path: &article.source,
            first_line: article.body_line,
            lang: &article.lang,
            media: &article.media,
            interviewers: &article.interviewers,
        },
        MarkdownOptions {
            allow_html: config.markdown.allow_html,
            keep_text: config.search,
        },
        highlighter,
    )
}

/// Renders the sections' `_index.md` introductions, in the site's language.
pub fn render_intros(
    indexes: Vec<SectionIndex>,
    config: &SiteConfig,
    highlighter: &Highlighter,
) -> Vec<SectionIntro> {
    let markdown_options = MarkdownOptions {
        allow_html: config.markdown.allow_html,
        keep_text: false,
    };
    indexes
        .into_par_iter()
        .map(|index| {
            let rendered = crate::markdown::render(
                &index.body,
                SourceInfo {
                    path: &index.source,
                    first_line: index.body_line,
                    lang: &config.language,
                    media: &[],
                    interviewers: &[],
                },
                markdown_options,
                highlighter,
            );
            SectionIntro {
                index: Arc::new(index),
                rendered: Arc::new(rendered),
            }
        })
        .collect()
}

/// The extra output files a site's settings call for (CNAME, highlight CSS).
fn extras(config: &SiteConfig, highlighter: &Highlighter) -> Result<Extras, BuildError> {
    let highlight_css = highlighter
        .theme_css(&config.highlight.light, &config.highlight.dark)
        .map_err(BuildError::Theme)?;
    Ok(Extras {
        cname: config.cname.clone(),
        highlight_css,
    })
}

/// Hands the search index files to `sink` as each is made, when `search:` is on (see
/// `crate::search`).
pub fn write_search_files<E: From<SpillError> + Send>(
    site: &Site,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), E> {
    if site.config.search {
        crate::search::index_files(site, sink)
    } else {
        Ok(())
    }
}

/// The search index files, when `search:` is on, in memory (for the preview server and
/// `check`).
pub fn search_files(site: &Site) -> Result<Vec<OutputFile>, SpillError> {
    let files = std::sync::Mutex::new(Vec::new());
    write_search_files(site, |file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok::<(), SpillError>(())
    })?;
    Ok(files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Where a build parks rendered bodies: the nearest existing folder above the output,
/// which is on the disk the output goes to (as the staging folder is).
fn spill_folder(output: &Path) -> PathBuf {
    let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    output
        .ancestors()
        .skip(1)
        .find(|folder| folder.is_dir())
        .map_or_else(std::env::temp_dir, Path::to_path_buf)
}

/// Builds the site at `root` and writes it; the previous output stays intact unless the
/// whole build succeeds.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    build_with_progress(root, options, &crate::progress::ignore)
}

/// [`build`], reporting progress to `progress` as files are written.
pub fn build_with_progress(
    root: &Path,
    options: &BuildOptions,
    progress: ProgressFn<'_>,
) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let report = |stage, done| {
        progress(Progress {
            stage,
            done,
            total: None,
        })
    };
    report(Stage::Preparing, 0);
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    check_root(root)?;
    crate::output::check_output_location(root, &output)?;
    let spill_folder = spill_folder(&output);
    let sources = Sources::Release {
        spill_folder: &spill_folder,
        above: options.spill_above.unwrap_or(SPILL_ABOVE),
    };
    // Code blocks a previous build highlighted are taken from its cache; the cache is
    // written back once the Markdown is rendered, and the syntaxes dropped with it.
    let highlight_cache = crate::output::beside(&output, "highlight-cache");
    let highlighter = Highlighter::with_cache(&highlight_cache);
    let mut prepared = prepare_keeping(root, options, &highlighter, sources)?;
    highlighter.save_cache(&highlight_cache);
    // Each file is written as soon as it is made; the staging folder removes itself
    // if anything fails, leaving the previous output as it was.
    let staging = Staging::begin(root, &output, &prepared.extras)?;
    let written = AtomicUsize::new(0);
    let write = |file: OutputFile| {
        staging.write(&file).map_err(BuildError::from)?;
        report(Stage::Writing, written.fetch_add(1, Ordering::Relaxed) + 1);
        Ok::<(), BuildError>(())
    };
    // Memory is the limit on a large archive, so each large value goes after its last
    // use: each rendered body once its article page is written (after the feeds, which
    // quote bodies), the plain texts, summaries, tables of contents and the scratch file
    // once the search index is made; the listings, made last, need none of them. Parked
    // bodies and texts take no memory: the index, which reads the texts back, is then
    // made first, so that its tables are never held beside the summaries every page
    // after it shares.
    if prepared.parked {
        // The Markdown sources freed while the bodies were parked would otherwise stay in
        // the allocator's pages under the index's tables (100,000 articles: peak RSS
        // 1.04-1.07 GB without this, 0.96-0.97 GB with it).
        crate::allocator::return_freed_memory();
        write_search_files(&prepared.site, write)?;
        crate::allocator::return_freed_memory();
    }
    let mut render = prepared.renderer.begin_site(&prepared.site)?;
    render.feeds(&prepared.site, write)?;
    let bodies = prepared.site.take_bodies();
    render.articles(&prepared.site, bodies, write)?;
    crate::allocator::return_freed_memory();
    if !prepared.parked {
        write_search_files(&prepared.site, write)?;
    }
    prepared.site.release_rendered();
    render.rest(&prepared.site, write)?;
    prepared
        .media
        .par_iter()
        .try_for_each(|media| staging.copy(&media.source, &media.output))?;
    // The listings' values are gone; their pages go back before the pruning and the
    // manifest take theirs.
    crate::allocator::return_freed_memory();
    let files = staging.commit(root)?;
    let Prepared {
        site,
        renderer,
        held_future,
        warnings,
        ..
    } = prepared;
    let summary = BuildSummary {
        articles: site.pages.len(),
        pages: site.standalone.len(),
        held_future,
        terms: site.taxonomies.iter().map(|t| t.terms.len()).sum(),
        files,
        elapsed: started.elapsed(),
        warnings,
        output,
    };
    // Freeing an archive is a million small frees (about 90 ms at 10,000 articles):
    // done beside the caller, which in the command line is about to exit anyway.
    std::thread::spawn(move || drop((site, renderer)));
    Ok(summary)
}
