//! `site.yml`: the site settings, their defaults and their checks.
//!
//! Every key is optional, so a folder with only `content/` builds. Unknown keys are
//! errors with a did-you-mean, never silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::frontmatter::{self, YamlError};

/// The file name of the settings file at the site root.
pub const CONFIG_FILE: &str = "site.yml";

/// Site settings read from `site.yml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// The site's name, shown in the header and the feed.
    pub title: String,
    /// One sentence about the archive, used in `<meta name="description">` and the feed.
    pub description: String,
    /// Where the site is published, e.g. `https://user.github.io/archive/`; `/` for a root site.
    pub base_url: String,
    /// Default language of articles (`en`, `zh`, …) when an article has no `lang`.
    pub language: String,
    /// The archive's editor, named in the feed.
    pub author: Option<String>,
    /// Articles per page on the home page.
    pub paginate_by: usize,
    /// The taxonomies the archive is indexed by.
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Code highlighting themes.
    pub highlight: HighlightConfig,
    /// The Atom feed.
    pub feed: FeedConfig,
    /// Whether to write `sitemap.xml`.
    pub sitemap: bool,
    /// A custom domain written to `CNAME` for GitHub Pages.
    pub cname: Option<String>,
    /// How titles become URL slugs.
    pub slug: SlugMode,
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Additions to the cleaner's word lists.
    pub clean: CleanConfig,
    /// Whether to write the search index and the search page.
    pub search: bool,
    /// Free values passed to templates as `config.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Interview archive".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            author: None,
            paginate_by: 20,
            taxonomies: TaxonomyConfig::defaults(),
            highlight: HighlightConfig::default(),
            feed: FeedConfig::default(),
            sitemap: true,
            cname: None,
            slug: SlugMode::default(),
            markdown: MarkdownConfig::default(),
            clean: CleanConfig::default(),
            search: true,
            extra: serde_json::Map::new(),
        }
    }
}

/// One way of grouping articles: tags, people, publications, or a site's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Internal name, used in templates (`tags`).
    pub name: String,
    /// Heading shown to readers (`Tags`, `People`).
    #[serde(default)]
    pub title: Option<String>,
    /// The front-matter field the terms come from: `tags`, `interviewees`, `interviewers`,
    /// `publication`, or `extra.<key>`.
    #[serde(default)]
    pub key: Option<String>,
    /// The URL folder, `tags` gives `/tags/` and `/tags/<term>/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Articles per term page.
    #[serde(default = "default_paginate")]
    pub paginate_by: usize,
    /// Whether each term gets its own `atom.xml`.
    #[serde(default)]
    pub feed: bool,
}

fn default_paginate() -> usize {
    20
}

impl TaxonomyConfig {
    fn defaults() -> Vec<TaxonomyConfig> {
        [
            ("tags", "Tags", "tags"),
            ("interviewees", "People", "interviewees"),
            ("publications", "Publications", "publication"),
        ]
        .into_iter()
        .map(|(name, title, key)| TaxonomyConfig {
            name: name.into(),
            title: Some(title.into()),
            key: Some(key.into()),
            path: Some(name.into()),
            paginate_by: default_paginate(),
            feed: false,
        })
        .collect()
    }

    /// The front-matter field this taxonomy reads, defaulting to its name.
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.name)
    }

    /// The URL folder, defaulting to the name.
    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or(&self.name)
    }

    /// The heading shown to readers, defaulting to the name.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

/// Syntect theme names for light and dark colour schemes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    /// Theme for `prefers-color-scheme: light`.
    pub light: String,
    /// Theme for `prefers-color-scheme: dark`.
    pub dark: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light: "InspiredGitHub".into(),
            dark: "base16-ocean.dark".into(),
        }
    }
}

/// The site-wide Atom feed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// Whether to write `atom.xml`.
    pub enabled: bool,
    /// How many of the newest articles the feed holds.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            enabled: true,
            limit: 20,
        }
    }
}

/// How slugs are made from titles.
///
/// `unicode` is the default: an archive of Chinese interviews should have URLs a Chinese
/// reader can read (`/interviews/冰川上的数据中心/`), which browsers show decoded and
/// GitHub Pages serves as is. `ascii` transliterates for hosts or tools that mishandle
/// non-ASCII paths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugMode {
    /// Keep letters of every script, lowercase, spaces and punctuation become `-`.
    #[default]
    Unicode,
    /// Transliterate to ASCII (`bing-chuan-shang-de-shu-ju-zhong-xin`).
    Ascii,
}

/// Markdown rendering options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through; by default it is escaped, because archives hold
    /// scraped, untrusted text.
    pub allow_html: bool,
}

/// A site's additions to the cleaner's shipped word lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CleanConfig {
    /// Extra spam brand names to remove wherever they appear.
    pub brands: Vec<String>,
    /// Extra keywords known to be injected.
    pub keywords: Vec<String>,
    /// Extra spinner pairs, written `spun=original`.
    pub spin_pairs: Vec<String>,
    /// Turn half-width `,:?()` between CJK characters into full width.
    pub fullwidth_punctuation: bool,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig {
            brands: Vec::new(),
            keywords: Vec::new(),
            spin_pairs: Vec::new(),
            fullwidth_punctuation: true,
        }
    }
}

/// What can be wrong with `site.yml`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("{}: cannot read the site settings: {source}", path.display())]
    Read {
        /// The settings file.
        path: PathBuf,
        /// Why reading failed.
        source: std::io::Error,
    },
    /// The YAML is malformed or has a wrong key or value.
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// A value is well-formed YAML but makes no sense.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The settings file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Reads `site.yml` at `root`, or the defaults when there is none.
pub fn load(root: &Path) -> Result<SiteConfig, ConfigError> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SiteConfig::default()),
        Err(source) => return Err(ConfigError::Read { path, source }),
    };
    parse(&text, &path)
}

/// Parses the text of a settings file; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let config: SiteConfig = if text.trim().is_empty() {
        SiteConfig::default()
    } else {
        frontmatter::parse_yaml(text, path, 1)?
    };
    config.validate(path)?;
    Ok(config)
}

impl SiteConfig {
    /// Checks values that parse but make no sense; `path` names the source in messages.
    pub fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        if self.paginate_by == 0 {
            return Err(invalid("`paginate_by` must be at least 1".into()));
        }
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            return Err(invalid(format!(
                "`base_url: {}` must start with `/`, `http://` or `https://`",
                self.base_url
            )));
        }
        let mut seen_paths = std::collections::HashSet::new();
        for taxonomy in &self.taxonomies {
            if taxonomy.paginate_by == 0 {
                return Err(invalid(format!(
                    "taxonomy `{}`: `paginate_by` must be at least 1",
                    taxonomy.name
                )));
            }
            let key = taxonomy.key();
            if !crate::content::TAXONOMY_FIELDS.contains(&key) && !key.starts_with("extra.") {
                return Err(invalid(format!(
                    "taxonomy `{}` reads unknown front-matter field `{key}`; use one of {} or `extra.<key>`",
                    taxonomy.name,
                    crate::content::TAXONOMY_FIELDS.join(", ")
                )));
            }
            let url_path = taxonomy.path();
            if url_path.is_empty()
                || url_path.contains(['/', '\\', '.'])
                || crate::text::slugify(url_path, SlugMode::Unicode) != url_path
            {
                return Err(invalid(format!(
                    "taxonomy `{}`: `path: {url_path}` must be one lowercase URL segment such as `tags`",
                    taxonomy.name
                )));
            }
            if !seen_paths.insert(url_path) {
                return Err(invalid(format!(
                    "two taxonomies use the URL folder `{url_path}`; give each its own `path`"
                )));
            }
        }
        for (label, theme) in [
            ("highlight.light", &self.highlight.light),
            ("highlight.dark", &self.highlight.dark),
        ] {
            if !crate::markdown::highlight::THEME_NAMES.contains(&theme.as_str()) {
                return Err(invalid(format!(
                    "`{label}: {theme}` is not a known theme; choose one of {}",
                    crate::markdown::highlight::THEME_NAMES.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`
    /// (`/archive/` for `https://user.github.io/archive`).
    pub fn base_path(&self) -> String {
        let without_scheme = self
            .base_url
            .strip_prefix("https://")
            .or_else(|| self.base_url.strip_prefix("http://"));
        let path = match without_scheme {
            Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => self.base_url.as_str(),
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` with exactly one trailing slash, for absolute URLs in feeds and sitemaps;
    /// `None` when the base URL has no host.
    pub fn absolute_base(&self) -> Option<String> {
        if self.base_url.starts_with("http://") || self.base_url.starts_with("https://") {
            Some(format!("{}/", self.base_url.trim_end_matches('/')))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<SiteConfig, ConfigError> {
        parse(text, Path::new("site.yml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse_str("").expect("empty settings are valid");
        assert_eq!(config.base_url, "/");
        assert_eq!(config.taxonomies.len(), 3);
        assert_eq!(config.taxonomies[2].key(), "publication");
        assert_eq!(config.slug, SlugMode::Unicode);
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let error = parse_str("title: A\npaginte_by: 5\n").expect_err("typo must fail");
        let message = error.to_string();
        assert!(message.contains("site.yml:2:1"), "{message}");
        assert!(message.contains("paginate_by"), "{message}");
    }

    #[test]
    fn nested_unknown_key_is_an_error() {
        let message = parse_str("feed:\n  limt: 3\n").unwrap_err().to_string();
        assert!(message.contains("site.yml:2:3"), "{message}");
        assert!(message.contains("did you mean `limit`"), "{message}");
    }

    #[test]
    fn base_path_of_project_site() {
        let config = parse_str("base_url: https://user.github.io/archive\n").unwrap();
        assert_eq!(config.base_path(), "/archive/");
        assert_eq!(
            config.absolute_base().as_deref(),
            Some("https://user.github.io/archive/")
        );
        let root = parse_str("base_url: https://example.org/\n").unwrap();
        assert_eq!(root.base_path(), "/");
    }

    #[test]
    fn rejects_bad_values() {
        assert!(parse_str("paginate_by: 0\n").is_err());
        assert!(parse_str("base_url: example.org\n").is_err());
        assert!(parse_str("highlight:\n  light: NoSuchTheme\n").is_err());
        let taxonomy = "taxonomies:\n  - name: topics\n    key: topic\n";
        assert!(
            parse_str(taxonomy)
                .unwrap_err()
                .to_string()
                .contains("topic")
        );
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        assert!(parse_str("").unwrap().search);
        assert!(!parse_str("search: false\n").unwrap().search);
        let message = parse_str("title: A\nsearch: sometimes\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("site.yml:2:9"), "{message}");
    }

    #[test]
    fn yes_and_no_stay_strings() {
        let config = parse_str("title: NO\n").unwrap();
        assert_eq!(config.title, "NO");
    }
}
