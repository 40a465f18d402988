//! Loading `content/`: walk the folder, split and parse front matter, validate it, and
//! derive each article's slug, URL and output path.

pub mod frontmatter;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::SiteConfig;
use crate::text::slugify;
use frontmatter::YamlError;

/// The folder of articles at the site root.
pub const CONTENT_DIR: &str = "content";

/// Front-matter fields a taxonomy may read its terms from.
pub const TAXONOMY_FIELDS: &[&str] = &["tags", "interviewees", "interviewers", "publication"];

/// Front matter exactly as written; names follow Hugo and Jekyll where they have one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Spanned<String>,
    date: Spanned<String>,
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

impl ArticleDate {
    /// Parses `2024-03-21`, `2024-03-21 14:20:15`, `2024-03-21T14:20:15` or RFC 3339.
    pub fn parse(text: &str) -> Option<ArticleDate> {
        let text = text.trim();
        if let Ok(date) = text.parse::<jiff::civil::Date>()
            && text.len() <= 10
        {
            let local = date.to_datetime(jiff::civil::Time::midnight());
            return Some(ArticleDate {
                local,
                instant: jiff::tz::TimeZone::UTC.to_timestamp(local).ok()?,
                has_time: false,
            });
        }
        let local = text.parse::<jiff::civil::DateTime>().ok()?;
        let instant = match text.parse::<jiff::Timestamp>() {
            Ok(instant) => instant,
            Err(_) => jiff::tz::TimeZone::UTC.to_timestamp(local).ok()?,
        };
        Some(ArticleDate {
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

/// One article, validated, with its place in the output.
#[derive(Debug, Clone)]
pub struct Article {
    /// The source file, as found under the site root (`content/interviews/a.md`).
    pub source: PathBuf,
    /// Title.
    pub title: String,
    /// Publication date.
    pub date: ArticleDate,
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
    /// The output file relative to the output root (`interviews/a/index.html`).
    pub fn output_path(&self) -> PathBuf {
        Path::new(&self.url_path).join("index.html")
    }

    /// The terms this article carries for a taxonomy's front-matter field.
    pub fn terms_for(&self, field: &str) -> Vec<&str> {
        fn all(names: &[String]) -> Vec<&str> {
            names.iter().map(String::as_str).collect()
        }
        match field {
            "tags" => all(&self.tags),
            "interviewees" => all(&self.interviewees),
            "interviewers" => all(&self.interviewers),
            "publication" => self.publication.iter().map(String::as_str).collect(),
            other => match other.strip_prefix("extra.").and_then(|k| self.extra.get(k)) {
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
    /// The file cannot be read or is not UTF-8.
    #[error("{}: cannot read: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
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
    /// The walk over `content/` failed.
    #[error("{}: cannot list the folder: {message}", path.display())]
    Walk {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// All the errors found while loading, so one build reports every broken file.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n\n"))]
pub struct ContentErrors(pub Vec<ContentError>);

/// Loads every article under `root/content`, in a stable order (by source path).
/// Drafts are skipped unless `include_drafts`.
pub fn load(
    root: &Path,
    config: &SiteConfig,
    include_drafts: bool,
) -> Result<Vec<Article>, ContentErrors> {
    let files = list_markdown(&root.join(CONTENT_DIR)).map_err(|e| ContentErrors(vec![e]))?;
    let results: Vec<Result<Article, ContentError>> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read(path).map_err(|e| ContentError::Read {
                path: display_path(root, path),
                message: e.to_string(),
            })?;
            let text = String::from_utf8(text).map_err(|e| ContentError::Read {
                path: display_path(root, path),
                message: format!(
                    "not UTF-8 (invalid byte at offset {}); save the file as UTF-8 or run `verbatim clean` on it",
                    e.utf8_error().valid_up_to()
                ),
            })?;
            parse_article(&text, &display_path(root, path), config)
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(article) if article.draft && !include_drafts => {}
            Ok(article) => articles.push(article),
            Err(error) => errors.push(error),
        }
    }
    errors.extend(find_collisions(&articles));
    if errors.is_empty() {
        Ok(articles)
    } else {
        Err(ContentErrors(errors))
    }
}

/// `content/x.md` rather than an absolute path, when the file is under the root.
fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn list_markdown(dir: &Path) -> Result<Vec<PathBuf>, ContentError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walker {
        let entry = entry.map_err(|e| ContentError::Walk {
            path: e.path().unwrap_or(dir).to_path_buf(),
            message: e.to_string(),
        })?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
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
        ArticleDate::parse(&value.value).ok_or_else(|| {
            let l = value.referenced;
            at(
                l.line(),
                l.column(),
                format!("`{field}: {}` is not a date", value.value),
                "write 2024-03-21, 2024-03-21 14:20:15 or 2024-03-21T14:20:15+08:00",
            )
        })
    };
    let date = parse_date("date", &raw.date)?;
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
        Some(lang) if !is_language_tag(&lang.value) => {
            let l = lang.referenced;
            return Err(at(
                l.line(),
                l.column(),
                format!("`lang: {}` is not a language tag", lang.value),
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
            format!("`source_url: {}` is not a web address", url.value),
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
                    format!("`slug: {}` has no letters or digits", slug.value),
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
    let url_path = if section.is_empty() {
        format!("{slug}/")
    } else {
        format!("{section}/{slug}/")
    };
    Ok(Article {
        source: path.to_path_buf(),
        title,
        date,
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
    })
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

/// BCP 47 in outline: a 2-3 letter language, then alphanumeric subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    language_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
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
        assert_eq!(article.terms_for("extra.region"), ["北方", "South"]);
        assert!(article.terms_for("extra.none").is_empty());
    }
}
