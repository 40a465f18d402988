//! `site.yml`: the site settings, their defaults and their checks.
//!
//! Every key is optional, so a folder with only `content/` builds. Unknown keys are
//! errors with a did-you-mean, never silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

use crate::frontmatter::{self, YamlError};

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
    /// The most terms an article may carry in one taxonomy.
    pub max_terms_per_article: usize,
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Additions to the cleaner's word lists.
    pub clean: CleanConfig,
    /// Whether to write the search index and the search page.
    pub search: bool,
    /// How many related interviews each article lists; 0 for none.
    pub related: usize,
    /// The site menu; by default the taxonomies, the archive, the search page and the
    /// pages marked `menu: true`.
    pub menu: Option<Vec<MenuItem>>,
    /// Interface strings replacing the built-in ones, by language then key
    /// (`strings: {zh: {older: 更早}}`).
    pub strings: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Stylesheets under `static/` loaded after the theme's own (`custom.css`).
    pub extra_css: Vec<String>,
    /// Free values passed to templates as `config.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One entry of the site menu.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link text.
    pub title: String,
    /// A path of the site (`/about/`) or a full address.
    pub url: String,
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
            max_terms_per_article: 100,
            markdown: MarkdownConfig::default(),
            clean: CleanConfig::default(),
            search: true,
            related: 5,
            menu: None,
            strings: std::collections::BTreeMap::new(),
            extra_css: Vec::new(),
            extra: serde_json::Map::new(),
        }
    }
}

/// One way of grouping articles: tags, people, publications, or a site's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawTaxonomyConfig")]
pub struct TaxonomyConfig {
    /// Internal name, used in templates (`tags`).
    pub name: String,
    /// Heading shown to readers (`Tags`, `People`).
    pub title: Option<String>,
    /// The front-matter field the terms come from.
    pub field: TermField,
    /// The URL folder, `tags` gives `/tags/` and `/tags/<term>/`.
    pub path: Option<String>,
    /// Articles per term page.
    pub paginate_by: usize,
    /// Whether each term gets its own `atom.xml`.
    pub feed: bool,
}

/// A taxonomy entry as written in `site.yml`, before its field is resolved.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomyConfig {
    name: String,
    #[serde(default)]
    title: Option<String>,
    /// `tags`, `interviewees`, `interviewers`, `publication`, or `extra.<key>`; defaults
    /// to the name.
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default = "default_paginate")]
    paginate_by: usize,
    #[serde(default)]
    feed: bool,
}

impl TryFrom<RawTaxonomyConfig> for TaxonomyConfig {
    type Error = String;

    fn try_from(raw: RawTaxonomyConfig) -> Result<Self, Self::Error> {
        let key = raw.key.as_deref().unwrap_or(&raw.name);
        let field = TermField::parse(key).ok_or_else(|| {
            format!(
                "taxonomy `{}` reads unknown front-matter field `{key}`; use one of {} or `extra.<key>`",
                raw.name,
                TermField::BUILT_IN
                    .iter()
                    .map(|f| f.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        Ok(TaxonomyConfig {
            name: raw.name,
            title: raw.title,
            field,
            path: raw.path,
            paginate_by: raw.paginate_by,
            feed: raw.feed,
        })
    }
}

/// The front-matter field a taxonomy takes its terms from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TermField {
    /// `tags`.
    Tags,
    /// `interviewee` / `interviewees`.
    Interviewees,
    /// `interviewer` / `interviewers`.
    Interviewers,
    /// `publication`.
    Publication,
    /// `extra.<key>`: a string or a list of strings under `extra`.
    Extra(String),
}

impl TermField {
    /// The fields every article has, in the order they are listed to users.
    pub const BUILT_IN: [TermField; 4] = [
        TermField::Tags,
        TermField::Interviewees,
        TermField::Interviewers,
        TermField::Publication,
    ];

    /// Reads a field as written in `site.yml`; `None` for an unknown one.
    pub fn parse(key: &str) -> Option<TermField> {
        match key {
            "tags" => Some(TermField::Tags),
            "interviewees" => Some(TermField::Interviewees),
            "interviewers" => Some(TermField::Interviewers),
            "publication" => Some(TermField::Publication),
            _ => key
                .strip_prefix("extra.")
                .filter(|k| !k.is_empty())
                .map(|k| TermField::Extra(k.to_string())),
        }
    }

    /// The field as written in `site.yml` (`tags`, `extra.region`).
    pub fn key(&self) -> std::borrow::Cow<'static, str> {
        match self {
            TermField::Tags => "tags".into(),
            TermField::Interviewees => "interviewees".into(),
            TermField::Interviewers => "interviewers".into(),
            TermField::Publication => "publication".into(),
            TermField::Extra(key) => format!("extra.{key}").into(),
        }
    }
}

fn default_paginate() -> usize {
    20
}

impl TaxonomyConfig {
    fn defaults() -> Vec<TaxonomyConfig> {
        // Their headings come from the interface strings, in the site's language.
        [
            ("tags", TermField::Tags),
            ("interviewees", TermField::Interviewees),
            ("publications", TermField::Publication),
        ]
        .into_iter()
        .map(|(name, field)| TaxonomyConfig {
            name: name.into(),
            title: None,
            field,
            path: Some(name.into()),
            paginate_by: default_paginate(),
            feed: false,
        })
        .collect()
    }

    /// The URL folder, defaulting to the name.
    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or(&self.name)
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
    /// A thesaurus file (Cilin format or one group of synonyms a line), relative to
    /// the site root: more candidates for restoring spun Chinese words.
    pub thesaurus: Option<PathBuf>,
    /// Turn half-width `,:?()` between CJK characters into full width.
    pub fullwidth_punctuation: bool,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig {
            brands: Vec::new(),
            keywords: Vec::new(),
            spin_pairs: Vec::new(),
            thesaurus: None,
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
    config
        .check_values()
        .map_err(|invalid| invalid.in_file(text, path))?;
    Ok(config)
}

/// A value in the settings that parses but makes no sense, and the key it is under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// Where the value is.
    pub key: ValueKey,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// The keys of `site.yml` whose values are checked beyond their type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKey {
    /// `base_url`.
    BaseUrl,
    /// `language`.
    Language,
    /// `paginate_by`.
    PaginateBy,
    /// `highlight.light`.
    HighlightLight,
    /// `highlight.dark`.
    HighlightDark,
    /// `taxonomies[i].paginate_by`.
    TaxonomyPaginateBy(usize),
    /// `taxonomies[i].path`.
    TaxonomyPath(usize),
    /// `menu[i]`.
    Menu(usize),
    /// `extra_css[i]`.
    ExtraCss(usize),
}

/// Where the checked values are in `site.yml`: read again, only after a check failed,
/// so that the settings types stay plain values.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ValueSpans {
    base_url: Option<Spanned<IgnoredAny>>,
    language: Option<Spanned<IgnoredAny>>,
    paginate_by: Option<Spanned<IgnoredAny>>,
    highlight: HighlightSpans,
    taxonomies: Vec<TaxonomySpans>,
    menu: Vec<Spanned<IgnoredAny>>,
    extra_css: Vec<Spanned<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HighlightSpans {
    light: Option<Spanned<IgnoredAny>>,
    dark: Option<Spanned<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TaxonomySpans {
    name: Option<Spanned<IgnoredAny>>,
    path: Option<Spanned<IgnoredAny>>,
    paginate_by: Option<Spanned<IgnoredAny>>,
}

impl ValueSpans {
    /// The line and column of `key`'s value; for a taxonomy value left to its default,
    /// the taxonomy's `name`.
    fn locate(&self, key: ValueKey) -> Option<serde_saphyr::Location> {
        let taxonomy = |i: usize, pick: fn(&TaxonomySpans) -> &Option<Spanned<IgnoredAny>>| {
            self.taxonomies
                .get(i)
                .and_then(|t| pick(t).as_ref().or(t.name.as_ref()))
        };
        let spanned = match key {
            ValueKey::BaseUrl => self.base_url.as_ref(),
            ValueKey::Language => self.language.as_ref(),
            ValueKey::PaginateBy => self.paginate_by.as_ref(),
            ValueKey::HighlightLight => self.highlight.light.as_ref(),
            ValueKey::HighlightDark => self.highlight.dark.as_ref(),
            ValueKey::TaxonomyPaginateBy(i) => taxonomy(i, |t| &t.paginate_by),
            ValueKey::TaxonomyPath(i) => taxonomy(i, |t| &t.path),
            ValueKey::Menu(i) => self.menu.get(i),
            ValueKey::ExtraCss(i) => self.extra_css.get(i),
        };
        spanned.map(|s| s.referenced)
    }
}

impl InvalidValue {
    /// The error placed at the value in `text`, the settings file at `path`.
    fn in_file(self, text: &str, path: &Path) -> YamlError {
        let location = frontmatter::parse_yaml::<ValueSpans>(text, path, 1)
            .ok()
            .and_then(|spans| spans.locate(self.key));
        let (line, column) = location.map_or((1, 1), |l| {
            ((l.line() as usize).max(1), (l.column() as usize).max(1))
        });
        YamlError {
            path: path.to_path_buf(),
            line,
            column,
            message: self.message,
            help: Some(self.help),
            source_line: text.lines().nth(line - 1).map(str::to_string),
        }
    }
}

impl SiteConfig {
    /// Checks values that parse but make no sense; `path` names the source in messages
    /// (`--base-url` for a value given on the command line).
    pub fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        self.check_values().map_err(|invalid| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: format!("{}; {}", invalid.message, invalid.help),
        })
    }

    /// The first value that parses but makes no sense, if any.
    pub fn check_values(&self) -> Result<(), InvalidValue> {
        let invalid = |key: ValueKey, message: String, help: &str| InvalidValue {
            key,
            message,
            help: help.to_string(),
        };
        if self.paginate_by == 0 {
            return Err(invalid(
                ValueKey::PaginateBy,
                "`paginate_by` must be at least 1".into(),
                "write how many articles a page lists, such as 20",
            ));
        }
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            return Err(invalid(
                ValueKey::BaseUrl,
                format!(
                    "`base_url: {}` must start with `/`, `http://` or `https://`",
                    crate::text::shorten(&self.base_url, 60)
                ),
                "write the full address, such as https://user.github.io/archive/, or `/`",
            ));
        }
        if !crate::text::is_language_tag(&self.language) {
            return Err(invalid(
                ValueKey::Language,
                format!(
                    "`language: {}` is not a language tag",
                    crate::text::shorten(&self.language, 60)
                ),
                "use a tag such as zh, en or zh-Hant",
            ));
        }
        let mut seen_paths = std::collections::HashSet::new();
        for (i, taxonomy) in self.taxonomies.iter().enumerate() {
            if taxonomy.paginate_by == 0 {
                return Err(invalid(
                    ValueKey::TaxonomyPaginateBy(i),
                    format!(
                        "taxonomy `{}`: `paginate_by` must be at least 1",
                        taxonomy.name
                    ),
                    "write how many articles a term page lists, such as 20",
                ));
            }
            let url_path = taxonomy.path();
            if url_path.is_empty()
                || url_path.contains(['/', '\\', '.'])
                || crate::text::slugify(url_path, SlugMode::Unicode) != url_path
            {
                return Err(invalid(
                    ValueKey::TaxonomyPath(i),
                    format!(
                        "taxonomy `{}`: `path: {url_path}` is not one lowercase URL segment",
                        taxonomy.name
                    ),
                    "write a folder name such as `tags`",
                ));
            }
            if !seen_paths.insert(url_path) {
                return Err(invalid(
                    ValueKey::TaxonomyPath(i),
                    format!("two taxonomies use the URL folder `{url_path}`"),
                    "give each taxonomy its own `path`",
                ));
            }
        }
        for (i, css) in self.extra_css.iter().enumerate() {
            if css.is_empty() || css.contains("://") || css.split(['/', '\\']).any(|s| s == "..") {
                return Err(invalid(
                    ValueKey::ExtraCss(i),
                    format!("`extra_css: {css}` is not a file under static/"),
                    "write a path under static/, such as `custom.css`",
                ));
            }
        }
        for (i, item) in self.menu.iter().flatten().enumerate() {
            if item.title.trim().is_empty() || item.url.trim().is_empty() {
                return Err(invalid(
                    ValueKey::Menu(i),
                    "a `menu` entry has an empty `title` or `url`".into(),
                    "give each entry a title and a site path (`/about/`) or a full address",
                ));
            }
        }
        for (key, label, theme) in [
            (
                ValueKey::HighlightLight,
                "highlight.light",
                &self.highlight.light,
            ),
            (
                ValueKey::HighlightDark,
                "highlight.dark",
                &self.highlight.dark,
            ),
        ] {
            if !crate::markdown::highlight::THEME_NAMES.contains(&theme.as_str()) {
                return Err(invalid(
                    key,
                    format!("`{label}: {theme}` is not a known theme"),
                    &format!(
                        "choose one of {}",
                        crate::markdown::highlight::THEME_NAMES.join(", ")
                    ),
                ));
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

    /// Problems in the settings that do not stop a build. `path` is the settings file and
    /// `text` its contents, to place the warning on a line.
    pub fn warnings(&self, path: &Path, text: Option<&str>) -> Vec<crate::warning::Warning> {
        let mut warnings = Vec::new();
        if self.absolute_base().is_none() && (self.feed.enabled || self.sitemap) {
            let line = text
                .and_then(|text| frontmatter::parse_yaml::<ValueSpans>(text, path, 1).ok())
                .and_then(|spans| spans.locate(ValueKey::BaseUrl))
                .map(|l| l.line() as usize);
            warnings.push(crate::warning::Warning {
                path: path.to_path_buf(),
                line,
                message: format!(
                    "`base_url: {}` has no host, so the feed, the sitemap and link previews carry relative addresses that readers and search engines cannot follow; set the full address (https://user.github.io/archive/) or pass --base-url",
                    self.base_url
                ),
            });
        }
        warnings
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
        assert_eq!(config.taxonomies[2].field, TermField::Publication);
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
    fn value_errors_name_line_and_column() {
        let cases = [
            (
                "title: A\npaginate_by: 0\n",
                "site.yml:2:14: `paginate_by` must be at least 1",
            ),
            (
                "base_url: example.org\n",
                "site.yml:1:11: `base_url: example.org` must start with",
            ),
            (
                "title: A\nlanguage: 42\n",
                "site.yml:2:11: `language: 42` is not a language tag",
            ),
            (
                "highlight:\n  dark: Nope\n",
                "site.yml:2:9: `highlight.dark: Nope` is not a known theme",
            ),
            (
                "taxonomies:\n  - name: tags\n  - name: labels\n    key: tags\n    path: tags\n",
                "site.yml:5:11: two taxonomies use the URL folder `tags`",
            ),
            (
                "taxonomies:\n  - name: Big Tags\n    key: tags\n",
                "site.yml:2:11: taxonomy `Big Tags`: `path: Big Tags` is not one lowercase URL segment",
            ),
        ];
        for (text, expected) in cases {
            let message = parse_str(text).unwrap_err().to_string();
            assert!(message.starts_with(expected), "{message}");
            assert!(message.contains("\n help: "), "{message}");
        }
    }

    #[test]
    fn yes_and_no_stay_strings() {
        let config = parse_str("title: NO\n").unwrap();
        assert_eq!(config.title, "NO");
    }
}
