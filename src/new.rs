//! `verbatim new`: a new draft article with its front matter filled in.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::config::SiteConfig;

/// The folder under `content/` a bare title goes to, as `verbatim clean` does.
pub const DEFAULT_SECTION: &str = "interviews";

/// Why no article was written.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// `site.yml` is wrong.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The file exists.
    #[error("{}: the file exists already; nothing was written\n help: choose another title or path", .0.display())]
    Exists(PathBuf),
    /// The title or path gives no usable file name.
    #[error("`{0}`: {1}")]
    BadSpec(String, &'static str),
    /// Writing failed.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The front matter of a new article, in the order an editor reads it.
#[derive(Serialize)]
struct NewFrontMatter<'a> {
    title: &'a str,
    date: &'a str,
    slug: &'a str,
    lang: &'a str,
    draft: bool,
}

/// A planned new article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    /// The file, relative to the site root (`content/interviews/a.md`).
    pub path: PathBuf,
    /// Its title.
    pub title: String,
    /// Its slug.
    pub slug: String,
}

/// Plans the article for `spec`: `[SECTION/]TITLE` (`interviews/A talk` →
/// `content/interviews/a-talk.md`), or a path ending in `.md` (relative to `content/`, whose
/// file name gives the title).
pub fn plan(spec: &str, config: &SiteConfig) -> Result<NewArticle, NewError> {
    let spec_trimmed = spec.trim().trim_start_matches("content/");
    let (folder, name) = match spec_trimmed.rsplit_once('/') {
        Some((folder, name)) => (folder.trim_matches('/'), name.trim()),
        None => (DEFAULT_SECTION, spec_trimmed),
    };
    let bad = |why| NewError::BadSpec(spec.to_string(), why);
    let folder_path = Path::new(folder);
    if folder_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(bad(
            "the section must be a folder under content/, without `..`",
        ));
    }
    let (title, slug) = match name.strip_suffix(".md") {
        Some(stem) => {
            let slug = crate::text::slugify(stem, config.slug);
            (stem.replace(['-', '_'], " ").trim().to_string(), slug)
        }
        None => (name.to_string(), crate::text::slugify(name, config.slug)),
    };
    if title.is_empty() || slug.is_empty() {
        return Err(bad(
            "give a title with letters or digits, e.g. `interviews/A talk`",
        ));
    }
    Ok(NewArticle {
        path: Path::new("content")
            .join(folder_path)
            .join(format!("{slug}.md")),
        title,
        slug,
    })
}

/// The text of the new article: front matter and an empty body.
pub fn text(article: &NewArticle, config: &SiteConfig, today: &str) -> String {
    let front = NewFrontMatter {
        title: &article.title,
        date: today,
        slug: &article.slug,
        lang: &config.language,
        draft: true,
    };
    // Serialising these plain strings and a bool cannot fail; an empty mapping is the
    // fallback that still parses.
    let yaml = crate::frontmatter::to_yaml(&front).unwrap_or_default();
    format!("---\n{yaml}---\n\n")
}

/// Writes a new draft article for `spec` under `root`, with `today` (`YYYY-MM-DD`) as its
/// date, and returns its path. Never overwrites.
pub fn new_article(root: &Path, spec: &str, today: &str) -> Result<PathBuf, NewError> {
    let config = crate::config::load(root)?;
    let article = plan(spec, &config)?;
    let path = root.join(&article.path);
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| NewError::Io { path, source }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    crate::init::write_new(&path, text(&article, &config, today).as_bytes()).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            NewError::Exists(path.clone())
        } else {
            io(&path)(error)
        }
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_title_goes_to_interviews_with_a_slug() {
        let article = plan("A Talk: on Tapes", &SiteConfig::default()).expect("plan");
        assert_eq!(
            article.path,
            Path::new("content/interviews/a-talk-on-tapes.md")
        );
        assert_eq!(article.title, "A Talk: on Tapes");
    }

    #[test]
    fn a_section_and_a_chinese_title() {
        let article = plan("talks/冰川上的 数据中心", &SiteConfig::default()).expect("plan");
        assert_eq!(
            article.path,
            Path::new("content/talks/冰川上的-数据中心.md")
        );
    }

    #[test]
    fn a_path_gives_its_title_from_the_file_name() {
        let article = plan("content/notes/field-notes.md", &SiteConfig::default()).expect("plan");
        assert_eq!(article.path, Path::new("content/notes/field-notes.md"));
        assert_eq!(article.title, "field notes");
    }

    #[test]
    fn escaping_sections_and_empty_titles_are_refused() {
        assert!(plan("../x/Title", &SiteConfig::default()).is_err());
        assert!(plan("interviews/!!!", &SiteConfig::default()).is_err());
    }

    #[test]
    fn the_text_is_an_article_the_build_accepts() {
        let config = SiteConfig {
            language: "zh".into(),
            ..SiteConfig::default()
        };
        let article = plan("标题: \"引号\"", &config).expect("plan");
        let text = text(&article, &config, "2026-03-01");
        let parsed = crate::content::parse_article(&text, &article.path, &config)
            .expect("the build accepts it");
        assert_eq!(parsed.title, "标题: \"引号\"");
        assert!(parsed.draft);
        assert_eq!(parsed.lang, "zh");
        assert_eq!(parsed.date.map(|d| d.ymd()).as_deref(), Some("2026-03-01"));
    }
}
