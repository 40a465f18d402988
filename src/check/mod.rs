//! `verbatim check`: builds the site in memory, as `verbatim build` would, and reports
//! what a reader would stumble on: links to pages that do not exist, `#fragment`s with no
//! such id on the target page, missing images and other files, front-matter oddities, the
//! build's warnings (a relative `base_url` with feeds or a sitemap among them), and (with
//! `--external`) dead external links. URL clashes, aliases included, stop the build
//! itself (`routes`), so they are reported as its error.
//!
//! `links` reads the rendered HTML; `source` maps a link back to its line in the
//! Markdown and checks front matter; `external` asks the web.

pub mod external;
pub mod links;
pub mod source;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::build::{BuildError, BuildOptions};
use crate::markdown::Highlighter;

pub use external::ExternalOptions;

/// How bad a problem is: errors make `verbatim check` exit 1, warnings only with
/// `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A reader will hit it: a broken link, anchor or image.
    Error,
    /// Worth fixing, but the site works.
    Warning,
}

/// What kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A link to a page that is not in the site.
    BrokenLink,
    /// A `#fragment` with no such id on the target page.
    BrokenAnchor,
    /// An image, stylesheet, script or other file that is not in the site.
    MissingFile,
    /// An internal link outside the site's base path.
    OutsideSite,
    /// An external link that fails.
    ExternalLink,
    /// A front-matter value that is probably a mistake.
    FrontMatter,
    /// A site setting that is probably a mistake.
    Settings,
    /// A build warning (for example a code block in an unknown language).
    Build,
}

/// One problem, where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// The file to fix: the Markdown source, `site.yml`, or an output page for links that
    /// come from templates.
    pub file: PathBuf,
    /// The line in `file`, when known.
    pub line: Option<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Settings overrides and drafts, as for `verbatim build`.
    pub build: BuildOptions,
    /// Check external links too, with these limits.
    pub external: Option<ExternalOptions>,
}

/// What `verbatim check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Every problem, sorted by file and line.
    pub problems: Vec<Problem>,
    /// HTML pages read.
    pub pages: usize,
    /// Internal links, images and files checked (each occurrence).
    pub internal_links: usize,
    /// Distinct external URLs checked (0 without `--external`).
    pub external_urls: usize,
}

impl CheckReport {
    /// How many problems have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }
}

/// Checks the site at `root`. Fails only when the site does not build; everything else is
/// a [`Problem`] in the report.
pub fn check(root: &Path, options: &CheckOptions) -> Result<CheckReport, BuildError> {
    let prepared = crate::build::prepare(root, &options.build, &Highlighter::new())?;
    let mut files = prepared.renderer.render_site(&prepared.site)?;
    // The search page links its index (a preload of the manifest): made as a build makes it.
    files.extend(crate::build::search_files(&prepared.site)?);
    files.extend(crate::output::generated_files(&prepared.extras));
    files.extend(crate::output::read_static(root)?);
    // Media are copied as they are: only their paths matter here.
    let media: Vec<&str> = prepared.media.iter().map(|m| m.output.as_str()).collect();
    let config = &prepared.site.config;

    let sources = source::ArticleLinks::collect(&prepared.site);
    let scan = links::scan(&files, &media, config, &sources);
    let mut problems = scan.problems;
    problems.extend(source::front_matter_problems(root, &prepared.site));
    problems.extend(prepared.warnings.iter().map(source::from_warning));

    let mut external_urls = 0;
    if let Some(external) = &options.external {
        external_urls = scan.external.len();
        problems.extend(external::check(&scan.external, external));
    }
    problems.sort();
    problems.dedup();
    Ok(CheckReport {
        problems,
        pages: scan.pages,
        internal_links: scan.internal_links,
        external_urls,
    })
}

/// Where a link was found: a source file and line, or an output page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The Markdown file, or the output page for links from templates.
    pub file: PathBuf,
    /// The line, when the link comes from Markdown.
    pub line: Option<usize>,
    /// The listing page a Markdown link was found on, when it is in an article's summary
    /// rather than on the article's own page.
    pub shown_on: Option<String>,
}
