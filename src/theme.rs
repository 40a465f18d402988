//! `verbatim theme export`: writes the built-in templates and static files into a site
//! folder, so a user can see what there is and keep the one file they want to change.

use std::path::{Path, PathBuf};

/// Why nothing was exported.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// Some of the files exist; nothing was written.
    #[error(
        "these files exist already, so nothing was written:\n{}\n help: export into an empty folder (verbatim theme export DIR) and copy the files you want",
        list(.0)
    )]
    Exists(Vec<PathBuf>),
    /// Writing failed.
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

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("  {}", p.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The default theme's files as `(path under the site, bytes)`: `templates/…` and
/// `static/…`.
pub fn built_in_files() -> Vec<(PathBuf, &'static [u8])> {
    let templates = crate::render::BUILT_IN_TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                Path::new(crate::render::TEMPLATES_DIR).join(name),
                text.as_bytes(),
            )
        });
    let statics = crate::output::BUILT_IN_STATIC
        .iter()
        .map(|(name, bytes)| (Path::new(crate::output::STATIC_DIR).join(name), *bytes));
    templates.chain(statics).collect()
}

/// Writes the default theme into `dir` (`dir/templates/…`, `dir/static/…`) and returns the
/// files written. Refuses, writing nothing, when any of them exists.
pub fn export(dir: &Path) -> Result<Vec<PathBuf>, ThemeError> {
    let files = built_in_files();
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(relative, _)| dir.join(relative))
        .filter(|path| path.exists())
        .collect();
    if !existing.is_empty() {
        return Err(ThemeError::Exists(existing));
    }
    let mut written = Vec::with_capacity(files.len());
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ThemeError::Io {
                path: parent.to_path_buf(),
                action: "cannot create the folder",
                source,
            })?;
        }
        crate::init::write_new(&path, bytes).map_err(|source| ThemeError::Io {
            path: path.clone(),
            action: "cannot write",
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
