//! Loading `content/`: walk the folder, split and parse front matter, validate it, and
//! derive each article's slug, URL and output path. `_index.md` files describe sections
//! (`content::section`); other files beside an article are its media (`crate::media`).

pub mod aliases;
pub mod section;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::{SiteConfig, TermField};
use crate::frontmatter::{self, YamlError};
use crate::text::{shorten, slugify};

/// The folder of articles at the site root.
pub const CONTENT_DIR: &str = "content";

/// The longest name a folder or file in the output may have, in bytes: the limit of
/// common file systems (ext4, APFS, NTFS in UTF-16 units).
pub const MAX_SEGMENT_BYTES: usize = 255;

/// Front matter exactly as written; names follow Hugo and Jekyll where they have one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Spanned<String>,
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    layout: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    image: Option<Spanned<String>>,
    #[serde(default)]
    menu: bool,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    updated: Option<Spanned<String>>,
    #[serde(default)]
    interview_date: Option<Spanned<String>>,
    #[serde(default)]
    interviewee: Option<OneOrMany>,
    #[serde(default)]
    interviewees: Option<OneOrMany>,
    #[serde(default)]
    interviewer: Option<OneOrMany>,
    #[serde(default)]
    interviewers: Option<OneOrMany>,
    #[serde(default)]
    publication: Option<String>,
    #[serde(default)]
    source_url: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    lang: Option<Spanned<String>>,
    #[serde(default)]
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    cleaned_from: Option<String>,
}

/// A person field may hold one name or a list of names.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(name) => vec![name],
            OneOrMany::Many(names) => names,
        }
    }
}

/// A date from front matter: the calendar date and time as written, and the instant it
/// stands for (UTC when no offset was given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleDate {
    /// Date and time as the author wrote them, for display.
    pub local: jiff::civil::DateTime,
    /// The instant, for sorting and feeds.
    pub instant: jiff::Timestamp,
    /// Whether a time of day was given.
    pub has_time: bool,
}

/// The dates an article may carry: those whose instant the date library can represent
/// in every time zone offset.
pub const DATE_RANGE: &str = "0000-01-01 to 9999-12-30";

/// Why a front-matter value is not a usable date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not in any of the accepted forms.
    NotADate,
    /// A real calendar date, but outside [`DATE_RANGE`].
    OutOfRange,
}

impl ArticleDate {
    /// Parses `2024-03-21`, `2024-03-21 14:20:15`, `2024-03-21T14:20:15` or RFC 3339.
    pub fn parse(text: &str) -> Option<ArticleDate> {
        Self::parse_checked(text).ok()
    }

    /// As [`ArticleDate::parse`], telling a malformed date from one out of range.
    pub fn parse_checked(text: &str) -> Result<ArticleDate, DateProblem> {
        let text = text.trim();
        let in_range = |local| {
            jiff::tz::TimeZone::UTC
                .to_timestamp(local)
                .map_err(|_| DateProblem::OutOfRange)
        };
        if let Ok(date) = text.parse::<jiff::civil::Date>()
            && text.len() <= 10
        {
            let local = date.to_datetime(jiff::civil::Time::midnight());
            return Ok(ArticleDate {
                local,
                instant: in_range(local)?,
                has_time: false,
            });
        }
        let local = text
            .parse::<jiff::civil::DateTime>()
            .map_err(|_| DateProblem::NotADate)?;
        let instant = match text.parse::<jiff::Timestamp>() {
            Ok(instant) => instant,
            Err(_) => in_range(local)?,
        };
        Ok(ArticleDate {
            local,
            instant,
            has_time: true,
        })
    }

    /// `2024-03-21`.
    pub fn ymd(&self) -> String {
        self.local.date().to_string()
    }

    /// RFC 3339, for `<time datetime>`, feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        self.instant.to_string()
    }
}

/// What kind of page a content file makes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// An interview: dated, listed, in feeds and taxonomies.
    #[default]
    Interview,
    /// A standalone page (About, Contact): published at its URL, listed nowhere.
    Page,
}

/// One article, validated, with its place in the output.
#[derive(Debug, Clone)]
pub struct Article {
    /// The source file, as found under the site root (`content/interviews/a.md`).
    pub source: PathBuf,
    /// Title.
    pub title: String,
    /// Publication date; always present for interviews, optional for pages.
    pub date: Option<ArticleDate>,
    /// Interview or standalone page.
    pub layout: Layout,
    /// Old URLs that redirect here, as output paths (`old/path/`, `2019/05/old.html`).
    pub aliases: Vec<String>,
    /// The card image for link previews: a URL, or a path relative to the article.
    pub image: Option<String>,
    /// Whether a standalone page is listed in the site menu.
    pub menu: bool,
    /// Order in the menu, lowest first.
    pub weight: i64,
    /// Files beside the article (`photo.jpg` next to `index.md`), copied next to its page.
    pub media: Vec<crate::media::MediaFile>,
    /// Last update, if given.
    pub updated: Option<ArticleDate>,
    /// When the interview took place, if the page says (`interview_date`).
    pub interview_date: Option<ArticleDate>,
    /// The people interviewed.
    pub interviewees: Vec<String>,
    /// The people asking.
    pub interviewers: Vec<String>,
    /// The original publisher.
    pub publication: Option<String>,
    /// Where the interview was first published.
    pub source_url: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// A summary written by the editor.
    pub summary: Option<String>,
    /// Language of the article (`zh`, `en`).
    pub lang: String,
    /// URL segment of the article.
    pub slug: String,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// A template other than `article.html`.
    pub template: Option<String>,
    /// Free values for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The raw page `verbatim clean` made this article from.
    pub cleaned_from: Option<String>,
    /// The folder under `content/` (`interviews`), empty at the top.
    pub section: String,
    /// The URL path relative to the site root, ending in `/` (`interviews/a/`).
    pub url_path: String,
    /// The Markdown body.
    pub body: String,
    /// The line of the source file where the body starts, for messages.
    pub body_line: usize,
}

impl Article {
    /// Whether the article is dated after `now`, so held back unless `--future`.
    pub fn is_future(&self, now: jiff::Timestamp) -> bool {
        self.date.is_some_and(|date| date.instant > now)
    }

    /// The output file relative to the output root (`interviews/a/index.html`).
    pub fn output_path(&self) -> PathBuf {
        Path::new(&self.url_path).join("index.html")
    }

    /// The terms this article carries for a taxonomy's front-matter field.
    pub fn terms_for(&self, field: &TermField) -> Vec<&str> {
        fn all(names: &[String]) -> Vec<&str> {
            names.iter().map(String::as_str).collect()
        }
        match field {
            TermField::Tags => all(&self.tags),
            TermField::Interviewees => all(&self.interviewees),
            TermField::Interviewers => all(&self.interviewers),
            TermField::Publication => self.publication.iter().map(String::as_str).collect(),
            TermField::Extra(key) => match self.extra.get(key) {
                Some(serde_json::Value::String(term)) => vec![term.as_str()],
                Some(serde_json::Value::Array(items)) => {
                    items.iter().filter_map(|item| item.as_str()).collect()
                }
                _ => Vec::new(),
            },
        }
    }
}

/// What can be wrong with one content file.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// The file cannot be read.
    #[error("{}: cannot read: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The file is not UTF-8 from `line`, `column` on (1-based; the column in characters).
    #[error(
        "{}:{line}:{column}: not UTF-8 from here on\n help: save the file as UTF-8, or run `verbatim clean` on it (it reads any encoding)",
        path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The line of the first byte that is not UTF-8.
        line: usize,
        /// Its column.
        column: usize,
    },
    /// The YAML is malformed or has an unknown key.
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// The file has no front matter.
    #[error(
        "{}:1:1: no front matter\n help: start the file with a `---` line, then `title:` and `date:`, then a closing `---` line",
        path.display()
    )]
    MissingFrontMatter {
        /// The file.
        path: PathBuf,
    },
    /// Two files would be written to the same place.
    #[error(
        "{} and {} would both be published at /{url_path}\n help: give one of them a different `slug:`",
        first.display(), second.display()
    )]
    Collision {
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
        /// The URL both map to.
        url_path: String,
    },
    /// The walk over `content/` failed, or a link in it leads out of the site.
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
    /// There is no `content/` folder: most likely the wrong `--root`.
    #[error("{}: no `content/` folder here, so there is nothing to publish\n help: pass --root with the site folder that holds content/ (an empty content/ builds an empty site)", root.display())]
    NoContentFolder {
        /// The site root.
        root: PathBuf,
    },
}

/// All the errors found while loading, so one build reports every broken file.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n\n"))]
pub struct ContentErrors(pub Vec<ContentError>);

/// Which articles a load keeps.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Keep articles marked `draft: true`.
    pub drafts: bool,
    /// Keep articles dated after `now`.
    pub future: bool,
    /// The moment the build runs, to tell future dates.
    pub now: jiff::Timestamp,
}

/// Everything under `content/`.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Articles and pages, by source path.
    pub articles: Vec<Article>,
    /// Section descriptions from `_index.md` files.
    pub sections: Vec<section::SectionIndex>,
    /// Files under `content/` that belong to no article, copied to their section's folder.
    pub loose_media: Vec<crate::media::MediaFile>,
    /// How many articles were held back for being dated in the future.
    pub held_future: usize,
}

/// The 1-based line and column (in characters) just after `start`, the UTF-8 start of a
/// file.
fn line_and_column(start: &str) -> (usize, usize) {
    let line = 1 + start.matches('\n').count();
    let column = 1 + start
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count());
    (line, column)
}

/// Loads every article under `root/content`, in a stable order (by source path).
/// Drafts and future articles are skipped unless `options` says otherwise.
pub fn load(
    root: &Path,
    config: &SiteConfig,
    options: &LoadOptions,
) -> Result<Loaded, ContentErrors> {
    let files = list_sources(root).map_err(|e| ContentErrors(vec![e]))?;
    let (markdown, others): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|path| path.extension().is_some_and(|x| x == "md"));
    let (indexes, markdown): (Vec<PathBuf>, Vec<PathBuf>) = markdown
        .into_iter()
        .partition(|path| path.file_name().is_some_and(|n| n == section::INDEX_FILE));
    let read = |path: &Path| -> Result<String, ContentError> {
        let text = std::fs::read(path).map_err(|e| ContentError::Read {
            path: display_path(root, path),
            message: e.to_string(),
        })?;
        // Checked with SIMD: the standard library's check took 8 instructions a byte of
        // Chinese text, 2.5 % of a build.
        if let Err(error) = simdutf8::compat::from_utf8(&text) {
            let start = std::str::from_utf8(&text[..error.valid_up_to()]).unwrap_or_default();
            let (line, column) = line_and_column(start);
            return Err(ContentError::NotUtf8 {
                path: display_path(root, path),
                line,
                column,
            });
        }
        // SAFETY: `simdutf8` has just found `text` to be valid UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(text) })
    };
    let results: Vec<Result<Article, ContentError>> = markdown
        .par_iter()
        .map(|path| parse_article(&read(path)?, &display_path(root, path), config))
        .collect();
    let section_results: Vec<Result<section::SectionIndex, ContentError>> = indexes
        .par_iter()
        .map(|path| section::parse_index(&read(path)?, &display_path(root, path)))
        .collect();
    let mut loaded = Loaded::default();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(article) if article.draft && !options.drafts => {}
            Ok(article) if !options.future && article.is_future(options.now) => {
                loaded.held_future += 1;
            }
            Ok(article) => loaded.articles.push(article),
            Err(error) => errors.push(error),
        }
    }
    for result in section_results {
        match result {
            Ok(index) => loaded.sections.push(index),
            Err(error) => errors.push(error),
        }
    }
    errors.extend(find_collisions(&loaded.articles));
    if !errors.is_empty() {
        return Err(ContentErrors(errors));
    }
    let others: Vec<PathBuf> = others.iter().map(|p| display_path(root, p)).collect();
    let bundles: Vec<PathBuf> = markdown.iter().map(|p| display_path(root, p)).collect();
    loaded.loose_media =
        crate::media::attach(root, &mut loaded.articles, &bundles, others, config.slug);
    Ok(loaded)
}

/// `content/x.md` rather than an absolute path, when the file is under the root.
fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The files under `root/content`, sorted; hidden files and folders skipped.
fn list_sources(root: &Path) -> Result<Vec<PathBuf>, ContentError> {
    if !root.join(CONTENT_DIR).is_dir() {
        return Err(ContentError::NoContentFolder {
            root: root.to_path_buf(),
        });
    }
    Ok(crate::walk::source_files(root, CONTENT_DIR, true)?
        .into_iter()
        .map(|file| file.path)
        .collect())
}

/// Parses one article's text. `path` is the source as shown to the user; it must start
/// with `content/` for the section to be derived.
pub fn parse_article(
    text: &str,
    path: &Path,
    config: &SiteConfig,
) -> Result<Article, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n");
        normalised.as_str()
    } else {
        text
    };
    let split = frontmatter::split(text).ok_or_else(|| ContentError::MissingFrontMatter {
        path: path.to_path_buf(),
    })?;
    let raw: RawFrontMatter = frontmatter::parse_yaml(split.yaml, path, split.yaml_line)?;
    let at = |spanned_line: u64, column: u64, message: String, help: &str| {
        let block_line = (spanned_line as usize).max(1);
        ContentError::Yaml(YamlError {
            path: path.to_path_buf(),
            line: split.yaml_line + block_line - 1,
            column: (column as usize).max(1),
            message,
            help: Some(help.to_string()),
            source_line: split.yaml.lines().nth(block_line - 1).map(str::to_string),
        })
    };
    let title = raw.title.value.trim().to_string();
    if title.is_empty() {
        let l = raw.title.referenced;
        return Err(at(
            l.line(),
            l.column(),
            "`title` is empty".into(),
            "write the interview's title",
        ));
    }
    let parse_date = |field: &str, value: &Spanned<String>| {
        ArticleDate::parse_checked(&value.value).map_err(|problem| {
            let l = value.referenced;
            let shown = shorten(&value.value, 60);
            match problem {
                DateProblem::NotADate => at(
                    l.line(),
                    l.column(),
                    format!("`{field}: {shown}` is not a date"),
                    "write 2024-03-21, 2024-03-21 14:20:15 or 2024-03-21T14:20:15+08:00",
                ),
                DateProblem::OutOfRange => at(
                    l.line(),
                    l.column(),
                    format!("`{field}: {shown}` is outside the supported range ({DATE_RANGE})"),
                    "check the year",
                ),
            }
        })
    };
    let layout = match &raw.layout {
        None => Layout::Interview,
        Some(layout) => match layout.value.as_str() {
            "page" => Layout::Page,
            "interview" | "article" => Layout::Interview,
            other => {
                let l = layout.referenced;
                return Err(at(
                    l.line(),
                    l.column(),
                    format!("`layout: {other}` is not a layout"),
                    "write `layout: page` for a standalone page, or remove the key for an interview",
                ));
            }
        },
    };
    let date = raw
        .date
        .as_ref()
        .map(|d| parse_date("date", d))
        .transpose()?;
    if date.is_none() && layout == Layout::Interview {
        let l = raw.title.referenced;
        return Err(at(
            l.line(),
            1,
            "missing required key `date`".into(),
            "add a line `date: 2024-03-21`, or `layout: page` for a page without a date",
        ));
    }
    let aliases = raw
        .aliases
        .iter()
        .map(|alias| {
            aliases::normalise(&alias.value).map_err(|problem| {
                let l = alias.referenced;
                at(
                    l.line(),
                    l.column(),
                    format!("alias `{}` {problem}", alias.value),
                    "write an old path of this site, such as /2019/05/old-title/ or /old.html",
                )
            })
        })
        .collect::<Result<Vec<String>, ContentError>>()?;
    let image = match &raw.image {
        Some(image) if image.value.trim().is_empty() || image.value.contains("..") => {
            let l = image.referenced;
            return Err(at(
                l.line(),
                l.column(),
                format!("`image: {}` is not a usable image path", image.value),
                "name a file beside the article (photo.jpg), a path under static/ (/img/a.jpg) or a full https:// address",
            ));
        }
        Some(image) => Some(image.value.trim().to_string()),
        None => None,
    };
    let updated = raw
        .updated
        .as_ref()
        .map(|u| parse_date("updated", u))
        .transpose()?;
    let interview_date = raw
        .interview_date
        .as_ref()
        .map(|d| parse_date("interview_date", d))
        .transpose()?;
    let interviewees = merge_people(raw.interviewee, raw.interviewees);
    let interviewers = merge_people(raw.interviewer, raw.interviewers);
    let lang = match raw.lang {
        Some(lang) if !crate::text::is_language_tag(&lang.value) => {
            let l = lang.referenced;
            return Err(at(
                l.line(),
                l.column(),
                format!("`lang: {}` is not a language tag", shorten(&lang.value, 60)),
                "use a tag such as zh, en or zh-Hant",
            ));
        }
        Some(lang) => lang.value,
        None => config.language.clone(),
    };
    if let Some(url) = &raw.source_url
        && !(url.value.starts_with("http://") || url.value.starts_with("https://"))
    {
        let l = url.referenced;
        return Err(at(
            l.line(),
            l.column(),
            format!(
                "`source_url: {}` is not a web address",
                shorten(&url.value, 60)
            ),
            "write the full address, starting with https://",
        ));
    }
    let (section, stem) = section_and_stem(path);
    let slug = match &raw.slug {
        Some(slug) => {
            let cleaned = slugify(&slug.value, config.slug);
            if cleaned.is_empty() {
                let l = slug.referenced;
                return Err(at(
                    l.line(),
                    l.column(),
                    format!(
                        "`slug: {}` has no letters or digits",
                        shorten(&slug.value, 60)
                    ),
                    "use words such as `glacier-data-centre`",
                ));
            }
            cleaned
        }
        None => slugify(&stem, config.slug),
    };
    if slug.is_empty() {
        return Err(at(
            1,
            1,
            format!("the file name `{stem}` gives an empty URL slug"),
            "add a `slug:` or rename the file",
        ));
    }
    if slug.len() > MAX_SEGMENT_BYTES {
        let (line, column) = raw
            .slug
            .as_ref()
            .map_or((1, 1), |s| (s.referenced.line(), s.referenced.column()));
        return Err(at(
            line,
            column,
            format!(
                "the URL slug is {} bytes long; a name in a URL path can have at most {MAX_SEGMENT_BYTES}",
                slug.len()
            ),
            "write a shorter `slug:` (or rename the file)",
        ));
    }
    let url_path = if section.is_empty() {
        format!("{slug}/")
    } else {
        format!("{section}/{slug}/")
    };
    let article = Article {
        source: path.to_path_buf(),
        title,
        date,
        layout,
        aliases,
        image,
        menu: raw.menu,
        weight: raw.weight,
        media: Vec::new(),
        updated,
        interview_date,
        interviewees,
        interviewers,
        publication: raw
            .publication
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
        source_url: raw.source_url.map(|u| u.value),
        tags: raw
            .tags
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        lang,
        slug,
        draft: raw.draft,
        template: raw.template,
        extra: raw.extra,
        cleaned_from: raw.cleaned_from,
        section,
        url_path,
        body: split.body.to_string(),
        body_line: split.body_line,
    };
    check_terms(&article, config, split.yaml)
        .map_err(|(line, column, message, help)| at(line, column, message, help))?;
    Ok(article)
}

/// Checks that every term of the site's taxonomies can become a URL folder, and that no
/// article carries more terms than `max_terms_per_article` (each term page lists the
/// article, so thousands of terms would multiply the output). Returns the place in the
/// front matter (`yaml`, block lines) and the message when not.
fn check_terms(
    article: &Article,
    config: &SiteConfig,
    yaml: &str,
) -> Result<(), (u64, u64, String, &'static str)> {
    // Lowercasing can lengthen a term by at most three times in bytes, transliteration
    // (ASCII slugs) by more; shorter terms need no slug to be made to know they fit.
    let most_growth = match config.slug {
        crate::config::SlugMode::Unicode => 3,
        crate::config::SlugMode::Ascii => 16,
    };
    for taxonomy in &config.taxonomies {
        let terms = article.terms_for(&taxonomy.field);
        if terms.len() > config.max_terms_per_article {
            let (line, column) = terms.first().map_or((1, 1), |t| locate(yaml, t));
            return Err((
                line,
                column,
                format!(
                    "{} {} terms; an article may carry at most {} per taxonomy",
                    terms.len(),
                    taxonomy.field.key(),
                    config.max_terms_per_article
                ),
                "keep the terms that matter, or raise `max_terms_per_article` in site.yml",
            ));
        }
        for term in terms {
            if term.len() * most_growth <= MAX_SEGMENT_BYTES {
                continue;
            }
            let length = slugify(term, config.slug).len();
            if length > MAX_SEGMENT_BYTES {
                let (line, column) = locate(yaml, term);
                return Err((
                    line,
                    column,
                    format!(
                        "the {} term `{}` makes a URL name of {length} bytes; at most {MAX_SEGMENT_BYTES} are possible",
                        taxonomy.name,
                        shorten(term, 40)
                    ),
                    "shorten the term",
                ));
            }
        }
    }
    Ok(())
}

/// The 1-based line and column, in `yaml`, of the first occurrence of `needle`; (1, 1)
/// when it is not written literally (quoted with escapes, say).
fn locate(yaml: &str, needle: &str) -> (u64, u64) {
    let Some(offset) = yaml.find(needle) else {
        return (1, 1);
    };
    let before = &yaml[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u64, column as u64)
}

fn merge_people(one: Option<OneOrMany>, many: Option<OneOrMany>) -> Vec<String> {
    one.into_iter()
        .chain(many)
        .flat_map(OneOrMany::into_vec)
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The URL section (folders under `content/`, each slugified) and the file stem; an
/// `index.md` takes its folder's name.
fn section_and_stem(path: &Path) -> (String, String) {
    let relative = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    let mut folders: Vec<String> = relative
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index"
        && let Some(folder) = folders.pop()
    {
        stem = folder;
    }
    let section = folders
        .iter()
        .map(|f| slugify(f, crate::config::SlugMode::Unicode))
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    (section, stem)
}

fn find_collisions(articles: &[Article]) -> Vec<ContentError> {
    let mut seen: std::collections::HashMap<&str, &Path> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for article in articles {
        if let Some(first) = seen.insert(&article.url_path, &article.source) {
            errors.push(ContentError::Collision {
                first: first.to_path_buf(),
                second: article.source.clone(),
                url_path: article.url_path.clone(),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, ContentError> {
        parse_article(
            text,
            Path::new("content/interviews/a.md"),
            &SiteConfig::default(),
        )
    }

    #[test]
    fn positions_in_a_file_count_lines_and_characters() {
        assert_eq!(line_and_column(""), (1, 1));
        assert_eq!(line_and_column("ab\ncd"), (2, 3));
        assert_eq!(line_and_column("一二\n三"), (2, 2));
        assert_eq!(line_and_column("---\ntitle: caf"), (2, 11));
    }

    #[test]
    fn derives_section_slug_and_url() {
        let article = parse("---\ntitle: A\ndate: 2024-03-21\n---\nBody\n").unwrap();
        assert_eq!(article.section, "interviews");
        assert_eq!(article.slug, "a");
        assert_eq!(article.url_path, "interviews/a/");
        assert_eq!(article.output_path(), Path::new("interviews/a/index.html"));
        assert_eq!(article.body, "Body\n");
        assert_eq!(article.body_line, 5);
        assert_eq!(article.lang, "en");
    }

    #[test]
    fn tolerates_bom_and_crlf() {
        let article =
            parse("\u{feff}---\r\ntitle: A\r\ndate: 2024-03-21\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(article.title, "A");
        assert_eq!(article.body, "Body\n");
    }

    #[test]
    fn dates_in_three_forms() {
        let day = ArticleDate::parse("2024-03-21").unwrap();
        assert!(!day.has_time);
        assert_eq!(day.rfc3339(), "2024-03-21T00:00:00Z");
        let local = ArticleDate::parse("2024-03-21 14:20:15").unwrap();
        assert_eq!(local.rfc3339(), "2024-03-21T14:20:15Z");
        let offset = ArticleDate::parse("2024-03-21T09:30:00+08:00").unwrap();
        assert_eq!(offset.ymd(), "2024-03-21");
        assert_eq!(offset.rfc3339(), "2024-03-21T01:30:00Z");
        assert!(ArticleDate::parse("March 2024").is_none());
    }

    #[test]
    fn dates_outside_the_range_say_so() {
        for (date, column) in [("9999-12-31", 7), ("9999-12-31T23:00:00-05:00", 7)] {
            let message = parse(&format!("---\ntitle: A\ndate: {date}\n---\n"))
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with(&format!(
                    "content/interviews/a.md:3:{column}: `date: {date}` is outside the supported range (0000-01-01 to 9999-12-30)"
                )),
                "{message}"
            );
        }
        assert!(parse("---\ntitle: A\ndate: 9999-12-30\n---\n").is_ok());
        assert_eq!(
            ArticleDate::parse_checked("31/12/2024"),
            Err(DateProblem::NotADate)
        );
    }

    #[test]
    fn names_too_long_for_a_path_segment_are_errors_at_load() {
        let slug = "a".repeat(256);
        let message = parse(&format!(
            "---\ntitle: A\ndate: 2024-03-21\nslug: {slug}\n---\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            message.starts_with("content/interviews/a.md:4:7: the URL slug is 256 bytes long"),
            "{message}"
        );
        assert!(
            message.lines().all(|l| l.chars().count() < 200),
            "{message}"
        );
        assert!(
            parse(&format!(
                "---\ntitle: A\ndate: 2024-03-21\nslug: {}\n---\n",
                "a".repeat(255)
            ))
            .is_ok()
        );

        let tag = "长".repeat(90);
        let message = parse(&format!(
            "---\ntitle: A\ndate: 2024-03-21\ntags: [x, {tag}]\n---\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            message.starts_with("content/interviews/a.md:4:11: the tags term `"),
            "{message}"
        );
        assert!(message.contains("270 bytes"), "{message}");
    }

    #[test]
    fn too_many_terms_in_one_article() {
        let tags: Vec<String> = (0..101).map(|n| format!("t{n}")).collect();
        let message = parse(&format!(
            "---\ntitle: A\ndate: 2024-03-21\ntags: [{}]\n---\n",
            tags.join(", ")
        ))
        .unwrap_err()
        .to_string();
        assert!(
            message.starts_with(
                "content/interviews/a.md:4:8: 101 tags terms; an article may carry at most 100"
            ),
            "{message}"
        );
        assert!(message.contains("max_terms_per_article"), "{message}");
    }

    #[test]
    fn people_one_or_many() {
        let article = parse(
            "---\ntitle: A\ndate: 2024-03-21\ninterviewee: 林知远\ninterviewers: [Mara, Li]\n---\n",
        )
        .unwrap();
        assert_eq!(article.interviewees, ["林知远"]);
        assert_eq!(article.interviewers, ["Mara", "Li"]);
    }

    #[test]
    fn unknown_key_names_file_line_and_suggestion() {
        let error = parse("---\ntitle: A\ndate: 2024-03-21\ntag: [x]\n---\n").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("content/interviews/a.md:4:1: unknown key `tag`"),
            "{message}"
        );
        assert!(message.contains("did you mean `tags`?"), "{message}");
    }

    #[test]
    fn bad_date_points_at_value() {
        let message = parse("---\ntitle: A\ndate: soon\n---\n")
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("content/interviews/a.md:3:7:"),
            "{message}"
        );
        assert!(message.contains("not a date"), "{message}");
    }

    #[test]
    fn missing_front_matter_and_title() {
        assert!(matches!(
            parse("no fences"),
            Err(ContentError::MissingFrontMatter { .. })
        ));
        let message = parse("---\ndate: 2024-03-21\n---\n")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("missing required key `title`"),
            "{message}"
        );
    }

    #[test]
    fn slugs_cannot_escape() {
        let article = parse("---\ntitle: A\ndate: 2024-03-21\nslug: ../../etc\n---\n").unwrap();
        assert_eq!(article.url_path, "interviews/etc/");
        assert!(parse("---\ntitle: A\ndate: 2024-03-21\nslug: \"../\"\n---\n").is_err());
    }

    #[test]
    fn validates_lang_and_source_url() {
        assert!(parse("---\ntitle: A\ndate: 2024-03-21\nlang: chinese!\n---\n").is_err());
        assert!(parse("---\ntitle: A\ndate: 2024-03-21\nsource_url: example.com\n---\n").is_err());
        let ok = parse("---\ntitle: A\ndate: 2024-03-21\nlang: zh-Hant\n---\n").unwrap();
        assert_eq!(ok.lang, "zh-Hant");
    }

    #[test]
    fn index_md_takes_folder_name() {
        let (section, stem) = section_and_stem(Path::new("content/interviews/glacier/index.md"));
        assert_eq!((section.as_str(), stem.as_str()), ("interviews", "glacier"));
    }

    #[test]
    fn extra_taxonomy_field() {
        let article =
            parse("---\ntitle: A\ndate: 2024-03-21\nextra:\n  region: [北方, South]\n---\n")
                .unwrap();
        assert_eq!(
            article.terms_for(&TermField::Extra("region".into())),
            ["北方", "South"]
        );
        assert!(
            article
                .terms_for(&TermField::Extra("none".into()))
                .is_empty()
        );
    }
}
