//! Listing a source folder of the site (`content/`, `static/`): every regular file, in a
//! stable order, following symbolic links only while they stay inside the site.
//!
//! A link that leads out of the site is refused, never skipped in silence: publishing
//! `static/keys -> ~/.ssh` or reading `content/a.md -> /etc/passwd` is never what the
//! editor meant, and a link dropped without a word hides a missing article.

use std::path::{Path, PathBuf};

/// One file found under a source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as found (under the site root; links not resolved).
    pub path: PathBuf,
    /// The path relative to the folder listed.
    pub relative: PathBuf,
}

/// Why a source folder cannot be listed.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A symbolic link leads out of the site.
    #[error("{}: a symbolic link to {}, which is outside the site\n help: copy what it points to into the site, or remove the link", link.display(), target.display())]
    OutsideLink {
        /// The link.
        link: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A FIFO, socket or device: reading it could hang or never end.
    #[error("{}: not a regular file or folder\n help: remove it; only files and folders are published", path.display())]
    Special {
        /// The entry.
        path: PathBuf,
    },
    /// The folder, or an entry in it, cannot be read.
    #[error("{}: cannot list: {message}", path.display())]
    Io {
        /// The entry.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Every file under `root/folder`, sorted by path. Links are followed when their target
/// is inside `root` and refused otherwise. Names starting with `.` are skipped (with
/// their contents) when `skip_hidden`. A missing folder has no files.
pub fn source_files(
    root: &Path,
    folder: &str,
    skip_hidden: bool,
) -> Result<Vec<SourceFile>, WalkError> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let site = root.canonicalize().map_err(|e| WalkError::Io {
        path: root.to_path_buf(),
        message: e.to_string(),
    })?;
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            !skip_hidden
                || entry.depth() == 0
                || !entry.file_name().to_string_lossy().starts_with('.')
        });
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(&dir).to_path_buf();
            let message = match error.loop_ancestor() {
                Some(ancestor) => format!("a symbolic link loops back to {}", ancestor.display()),
                None => error.to_string(),
            };
            WalkError::Io { path, message }
        })?;
        if entry.path_is_symlink() {
            // Checked before anything under it is listed: walkdir yields a folder before
            // its contents, and the first error ends the walk.
            let target = entry.path().canonicalize().map_err(|e| WalkError::Io {
                path: entry.path().to_path_buf(),
                message: e.to_string(),
            })?;
            if !target.starts_with(&site) {
                return Err(WalkError::OutsideLink {
                    link: entry.into_path(),
                    target,
                });
            }
        }
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return Err(WalkError::Special {
                path: entry.into_path(),
            });
        }
        let relative = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        files.push(SourceFile {
            path: entry.into_path(),
            relative,
        });
    }
    Ok(files)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir_all(dir.path().join("static/css")).expect("folders");
        std::fs::write(dir.path().join("static/css/a.css"), "a").expect("file");
        std::fs::write(dir.path().join("static/.hidden"), "h").expect("file");
        dir
    }

    fn relatives(files: &[SourceFile]) -> Vec<String> {
        files
            .iter()
            .map(|f| f.relative.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn lists_files_sorted_and_skips_hidden_on_request() {
        let site = site();
        let all = source_files(site.path(), "static", false).expect("lists");
        assert_eq!(relatives(&all), [".hidden", "css/a.css"]);
        let visible = source_files(site.path(), "static", true).expect("lists");
        assert_eq!(relatives(&visible), ["css/a.css"]);
        assert!(
            source_files(site.path(), "missing", true)
                .expect("empty")
                .is_empty()
        );
    }

    #[test]
    fn follows_links_inside_the_site() {
        let site = site();
        std::fs::create_dir_all(site.path().join("shared")).expect("folder");
        std::fs::write(site.path().join("shared/logo.svg"), "<svg/>").expect("file");
        symlink(site.path().join("shared"), site.path().join("static/img")).expect("link");
        symlink("css/a.css", site.path().join("static/b.css")).expect("link");
        let files = source_files(site.path(), "static", true).expect("lists");
        assert_eq!(relatives(&files), ["b.css", "css/a.css", "img/logo.svg"]);
    }

    #[test]
    fn refuses_links_leading_out_of_the_site() {
        let site = site();
        let outside = tempfile::tempdir().expect("temporary folder");
        std::fs::write(outside.path().join("secret.txt"), "s").expect("file");
        symlink(outside.path(), site.path().join("static/out")).expect("link");
        let error = source_files(site.path(), "static", true).expect_err("outside");
        assert!(matches!(error, WalkError::OutsideLink { .. }), "{error}");
        let message = error.to_string();
        assert!(message.contains("static/out"), "{message}");
        assert!(message.contains("outside the site"), "{message}");
    }

    #[test]
    fn refuses_loops_and_special_files() {
        let looped = site();
        let root = looped.path();
        symlink(root.join("static"), root.join("static/css/up")).expect("link");
        let error = source_files(root, "static", true).expect_err("loop");
        assert!(error.to_string().contains("loops back"), "{error}");

        let site = site();
        let fifo = site.path().join("static/pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let error = source_files(site.path(), "static", true).expect_err("fifo");
        assert!(matches!(error, WalkError::Special { .. }), "{error}");
    }
}
