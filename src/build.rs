//! `verbatim build`: the pipeline from a site folder to a written output folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{ConfigError, SiteConfig};
use crate::content::{Article, ContentErrors};
use crate::markdown::{Highlighter, MarkdownOptions, Rendered, SourceInfo};
use crate::output::{Extras, OutputError, Staging};
use crate::render::{OutputFile, RenderError, Renderer};
use crate::site::{Page, Site, SiteError};

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.yml`.
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Articles published.
    pub articles: usize,
    /// Terms across all taxonomies.
    pub terms: usize,
    /// Files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Problems that did not stop the build, as `file:line: message`.
    pub warnings: Vec<String>,
    /// The output folder.
    pub output: PathBuf,
}

/// Why a build failed; each variant's message names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
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
    /// Writing failed.
    #[error(transparent)]
    Output(#[from] OutputError),
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
    /// Problems that did not stop the build, as `file:line: message`.
    pub warnings: Vec<String>,
}

/// Runs the stages up to the indexed site: settings, content, Markdown, taxonomies, and
/// loads the templates. `highlighter` may be kept between builds so its syntax set loads
/// once.
pub fn prepare(
    root: &Path,
    options: &BuildOptions,
    highlighter: &Highlighter,
) -> Result<Prepared, BuildError> {
    let config = load_config(root, options)?;
    let articles = crate::content::load(root, &config, options.drafts)?;
    let renderer = Renderer::new(root, &config)?;
    let articles = articles.into_iter().map(Arc::new).collect();
    let pages = render_articles(articles, &config, highlighter, |_| None);
    let warnings: Vec<String> = pages
        .iter()
        .flat_map(|p| p.rendered.warnings.clone())
        .collect();
    let extras = extras(&config)?;
    let site = Site::new(config, pages)?;
    Ok(Prepared {
        site,
        renderer,
        extras,
        warnings,
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
    let markdown_options = MarkdownOptions {
        allow_html: config.markdown.allow_html,
        keep_text: config.search,
    };
    articles
        .into_par_iter()
        .map(|article| {
            let rendered = reuse(&article).unwrap_or_else(|| {
                Arc::new(crate::markdown::render(
                    &article.body,
                    SourceInfo {
                        path: &article.source,
                        first_line: article.body_line,
                    },
                    markdown_options,
                    highlighter,
                ))
            });
            Page { article, rendered }
        })
        .collect()
}

/// The extra output files a site's settings call for (CNAME, highlight CSS).
fn extras(config: &SiteConfig) -> Result<Extras, BuildError> {
    let highlight_css =
        crate::markdown::highlight::theme_css(&config.highlight.light, &config.highlight.dark)
            .map_err(BuildError::Theme)?;
    Ok(Extras {
        cname: config.cname.clone(),
        highlight_css,
    })
}

/// The search index files, when `search:` is on (see `crate::search`).
pub fn search_files(site: &Site) -> Vec<OutputFile> {
    if site.config.search {
        crate::search::index_files(site)
    } else {
        Vec::new()
    }
}

/// Builds the site at `root` and writes it; the previous output stays intact unless the
/// whole build succeeds.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    crate::output::check_output_location(root, &output)?;
    let prepared = prepare(root, options, &Highlighter::new())?;
    // Each page is written as soon as it is rendered; the staging folder removes itself
    // if anything fails, leaving the previous output as it was.
    let staging = Staging::begin(root, &output, &prepared.extras)?;
    let write = |file: OutputFile| staging.write(&file).map_err(BuildError::from);
    let (pages, search) = rayon::join(
        || prepared.renderer.render_site_into(&prepared.site, write),
        || {
            search_files(&prepared.site)
                .into_par_iter()
                .try_for_each(write)
        },
    );
    pages?;
    search?;
    let files = staging.commit(root)?;
    Ok(BuildSummary {
        articles: prepared.site.pages.len(),
        terms: prepared.site.taxonomies.iter().map(|t| t.terms.len()).sum(),
        files,
        elapsed: started.elapsed(),
        warnings: prepared.warnings,
        output,
    })
}
