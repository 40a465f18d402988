//! `verbatim init`: a new archive folder with settings, one example interview, a
//! `.gitignore` and a GitHub Pages workflow that installs a pinned Verbatim.
//!
//! The files are templates in this folder, embedded with `include_str!`; `@NAME@`
//! placeholders are filled in from the options and from Cargo.toml.

use std::path::{Path, PathBuf};

const SITE_YML: &str = include_str!("site.yml");
const INTERVIEW_MD: &str = include_str!("interview.md");
const GITIGNORE: &str = include_str!("gitignore");
const PAGES_YML: &str = include_str!("pages.yml");

/// The repository Verbatim is installed from, as Cargo.toml's `repository` says.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
/// The version the generated workflow pins.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `verbatim init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The archive's title; the folder's name when `None`.
    pub title: Option<String>,
    /// The default language of articles (`en`, `zh`, …).
    pub language: String,
    /// Write into a folder that already holds files (existing files are kept).
    pub force: bool,
    /// Today's date for the example interview, `YYYY-MM-DD`.
    pub today: String,
}

/// What `verbatim init` did.
#[derive(Debug, Clone, Default)]
pub struct InitOutcome {
    /// Files written, under the archive folder.
    pub written: Vec<PathBuf>,
    /// Files that existed already and were left as they were (only with `force`).
    pub kept: Vec<PathBuf>,
}

/// Why `verbatim init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder holds files and `--force` was not given.
    #[error(
        "{}: the folder is not empty\n help: choose a new folder, or pass --force to add the missing files (existing files are kept)",
        .0.display()
    )]
    NotEmpty(PathBuf),
    /// The language is not a language tag.
    #[error("--language {0}: not a language tag\n help: write en, zh or zh-Hant")]
    Language(String),
    /// Reading or writing failed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// The files of a new archive, relative to its folder, with placeholders filled in.
pub fn files(title: &str, options: &InitOptions) -> Vec<(PathBuf, String)> {
    let quoted_title = serde_json::Value::from(title).to_string();
    vec![
        (
            PathBuf::from(crate::config::CONFIG_FILE),
            SITE_YML
                .replace("\"@TITLE@\"", &quoted_title)
                .replace("@LANGUAGE@", &options.language),
        ),
        (
            Path::new("content")
                .join("interviews")
                .join("first-interview.md"),
            INTERVIEW_MD.replace("@DATE@", &options.today),
        ),
        (PathBuf::from(".gitignore"), GITIGNORE.to_string()),
        (
            Path::new(".github").join("workflows").join("pages.yml"),
            PAGES_YML
                .replace("@VERSION@", VERSION)
                .replace("@REPOSITORY@", REPOSITORY),
        ),
    ]
}

/// Creates a new archive in `dir` (created if missing). Refuses a folder that holds
/// anything unless `force`; never overwrites a file.
pub fn init(dir: &Path, options: &InitOptions) -> Result<InitOutcome, InitError> {
    if !crate::text::is_language_tag(&options.language) {
        return Err(InitError::Language(options.language.clone()));
    }
    let io = |path: &Path, action: &'static str| {
        let path = path.to_path_buf();
        move |source| InitError::Io {
            path,
            action,
            source,
        }
    };
    if dir.exists() && !options.force {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir, "cannot list the folder"))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let title = match &options.title {
        Some(title) => title.clone(),
        None => folder_title(dir),
    };
    let mut outcome = InitOutcome::default();
    for (relative, text) in files(&title, options) {
        let path = dir.join(&relative);
        if path.exists() {
            outcome.kept.push(relative);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
        }
        write_new(&path, text.as_bytes()).map_err(io(&path, "cannot write"))?;
        outcome.written.push(relative);
    }
    Ok(outcome)
}

/// Writes a file that must not exist yet.
pub(crate) fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents)
}

/// A title from the folder's name: `my-archive` gives `My archive`.
fn folder_title(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Interview archive".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> InitOptions {
        InitOptions {
            title: None,
            language: "zh".into(),
            force: false,
            today: "2026-03-01".into(),
        }
    }

    #[test]
    fn placeholders_are_all_filled() {
        let placeholder = regex::Regex::new("@[A-Z]+@").expect("valid pattern");
        for (path, text) in files("A \"quoted\" title", &options()) {
            assert!(!placeholder.is_match(&text), "{}: {text}", path.display());
        }
    }

    #[test]
    fn the_settings_parse_and_keep_the_title_and_language() {
        let (_, text) = files("A \"quoted\" title: yes", &options()).remove(0);
        let config = crate::config::parse(&text, Path::new("site.yml")).expect("valid settings");
        assert_eq!(config.title, "A \"quoted\" title: yes");
        assert_eq!(config.language, "zh");
    }

    #[test]
    fn the_workflow_pins_this_version_from_this_repository() {
        let (_, text) = files("t", &options()).remove(3);
        assert!(
            text.contains(&format!("VERBATIM_VERSION: \"{VERSION}\"")),
            "{text}"
        );
        assert!(text.contains(REPOSITORY), "{text}");
        assert!(text.contains("--tag \"v$VERBATIM_VERSION\""), "{text}");
    }

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(folder_title(Path::new("/tmp/my-archive")), "My archive");
        assert_eq!(folder_title(Path::new("/tmp/访谈_档案")), "访谈 档案");
    }

    #[test]
    fn a_bad_language_is_refused_before_writing() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut bad = options();
        bad.language = "zh cn".into();
        assert!(matches!(
            init(dir.path(), &bad),
            Err(InitError::Language(_))
        ));
        assert!(
            std::fs::read_dir(dir.path())
                .expect("listable")
                .next()
                .is_none()
        );
    }
}
