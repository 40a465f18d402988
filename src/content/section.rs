//! `_index.md`: a section's title, description and introduction, shown on its listing
//! (`content/interviews/_index.md` for `/interviews/`, `content/_index.md` for the home
//! page).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ContentError;
use crate::frontmatter;

/// The file name that describes a section.
pub const INDEX_FILE: &str = "_index.md";

/// A section's description, from its `_index.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionIndex {
    /// The file, as found under the site root.
    pub source: PathBuf,
    /// The section path (`interviews`, `interviews/2024`), empty for the home page.
    pub path: String,
    /// The listing's heading, instead of the folder name.
    pub title: Option<String>,
    /// One sentence for `<meta name="description">` and the listing's lead.
    pub description: Option<String>,
    /// The Markdown introduction shown above the listing.
    pub body: String,
    /// The line of the file where the body starts.
    pub body_line: usize,
    /// Free values for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSectionIndex {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Parses an `_index.md`; `path` is the file as shown to the user, starting `content/`.
/// Front matter is optional: a file with only text gives the section an introduction.
pub fn parse_index(text: &str, path: &Path) -> Result<SectionIndex, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let (raw, body, body_line) = match frontmatter::split(&text) {
        Some(split) if !split.yaml.trim().is_empty() => (
            frontmatter::parse_yaml::<RawSectionIndex>(split.yaml, path, split.yaml_line)?,
            split.body.to_string(),
            split.body_line,
        ),
        Some(split) => (
            RawSectionIndex {
                title: None,
                description: None,
                extra: serde_json::Map::new(),
            },
            split.body.to_string(),
            split.body_line,
        ),
        None => (
            RawSectionIndex {
                title: None,
                description: None,
                extra: serde_json::Map::new(),
            },
            text.clone(),
            1,
        ),
    };
    let (folder, _) = super::section_and_stem(path);
    let non_empty = |value: Option<String>| {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    Ok(SectionIndex {
        source: path.to_path_buf(),
        path: folder,
        title: non_empty(raw.title),
        description: non_empty(raw.description),
        body,
        body_line,
        extra: raw.extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_title_description_and_body() {
        let index = parse_index(
            "---\ntitle: 访谈\ndescription: 全部访谈\n---\n导言。\n",
            Path::new("content/interviews/_index.md"),
        )
        .unwrap();
        assert_eq!(index.path, "interviews");
        assert_eq!(index.title.as_deref(), Some("访谈"));
        assert_eq!(index.description.as_deref(), Some("全部访谈"));
        assert_eq!(index.body, "导言。\n");
        assert_eq!(index.body_line, 5);
        let home = parse_index("Hello\n", Path::new("content/_index.md")).unwrap();
        assert_eq!(home.path, "");
        assert_eq!(home.body, "Hello\n");
    }

    #[test]
    fn unknown_key_names_the_line() {
        let message = parse_index(
            "---\ntitle: A\ndescripton: B\n---\n",
            Path::new("content/a/_index.md"),
        )
        .unwrap_err()
        .to_string();
        assert!(message.starts_with("content/a/_index.md:3:1"), "{message}");
        assert!(message.contains("description"), "{message}");
    }
}
