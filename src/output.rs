//! Writing the site: into a staging folder beside the output, with `static/`, the theme
//! CSS, `.nojekyll` and `CNAME`, then swapped into place only when everything succeeded.

use std::path::{Component, Path, PathBuf};

use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::render::OutputFile;

/// The folder copied as is to the output root.
pub const STATIC_DIR: &str = "static";

/// The default theme's static files, embedded so a folder with only `content/` builds.
/// A site's own `static/` file of the same name replaces one.
const BUILT_IN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("search.js", include_bytes!("../static/search.js")),
];

/// What can go wrong while writing.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder would hold or replace the sources.
    #[error("refusing to write the site into {}: {reason}\n help: choose an output folder such as `public` that holds nothing else", path.display())]
    UnsafeOutput {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The output folder exists but was not made by Verbatim.
    #[error("refusing to replace {}: it is not empty and was not written by verbatim (no .verbatim marker)\n help: remove it yourself, or choose another --output folder", path.display())]
    ForeignOutput {
        /// The output folder.
        path: PathBuf,
    },
    /// A file system operation failed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A rendered path would leave the output folder.
    #[error("the output path `{path}` would leave the output folder")]
    EscapingPath {
        /// The offending path.
        path: String,
    },
}

/// Marks a folder as written by Verbatim, so a later build may replace it.
const MARKER: &str = ".verbatim";

/// Extra files the output stage adds around the rendered ones.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// `CNAME` contents for GitHub Pages.
    pub cname: Option<String>,
    /// Generated highlight CSS, written as `highlight.css`.
    pub highlight_css: String,
}

/// Checks that `output` may be written: not the site root, not inside or above the
/// source folders.
pub fn check_output_location(root: &Path, output: &Path) -> Result<(), OutputError> {
    let root = absolute(root);
    let output_abs = absolute(output);
    let refuse = |reason: &str| OutputError::UnsafeOutput {
        path: output.to_path_buf(),
        reason: reason.to_string(),
    };
    if output_abs == root {
        return Err(refuse("it is the site root"));
    }
    if root.starts_with(&output_abs) {
        return Err(refuse("it contains the site root"));
    }
    for source in [
        crate::content::CONTENT_DIR,
        crate::render::TEMPLATES_DIR,
        STATIC_DIR,
    ] {
        if output_abs.starts_with(root.join(source)) {
            return Err(refuse(&format!("it is inside `{source}/`")));
        }
    }
    Ok(())
}

/// The path made absolute and free of `.` and `..`, without touching the disk (the output
/// folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    std::fs::canonicalize(&out).unwrap_or(out)
}

/// A staging folder beside the output, filled file by file (from any thread) and swapped
/// into place by [`Staging::commit`]. The output is untouched until then.
///
/// The folder the previous output is swapped out to becomes the next build's staging
/// folder: overwriting files that exist is several times cheaper than creating them (on
/// slow virtual disks creating a file and its folder costs about a millisecond), and a
/// rebuild mostly rewrites the same paths. Files the new build does not write are
/// removed before the swap.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    written: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Checks that `output` may be replaced, prepares the staging folder and writes the
    /// generated files (theme CSS, `.nojekyll`, `CNAME`, the marker).
    pub fn begin(root: &Path, output: &Path, extras: &Extras) -> Result<Staging, OutputError> {
        check_output_location(root, output)?;
        if output.exists() && !output.join(MARKER).exists() && !is_empty_dir(output) {
            return Err(OutputError::ForeignOutput {
                path: output.to_path_buf(),
            });
        }
        let dir = sibling(output, "staging");
        std::fs::create_dir_all(&dir).map_err(|source| OutputError::Io {
            path: dir.clone(),
            action: "cannot create the staging folder",
            source,
        })?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            written: Mutex::new(HashSet::new()),
        };
        let mut generated = generated_files(extras);
        generated.push(OutputFile {
            path: MARKER.into(),
            contents: b"Written by verbatim build; the next build replaces this folder whole.\n"
                .to_vec(),
        });
        generated.iter().try_for_each(|file| staging.write(file))?;
        Ok(staging)
    }

    /// Writes one file into the staging folder.
    pub fn write(&self, file: &OutputFile) -> Result<(), OutputError> {
        write_one(&self.dir, file)?;
        self.record(PathBuf::from(&file.path));
        Ok(())
    }

    fn record(&self, relative: PathBuf) {
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(relative);
    }

    /// Copies the site's `static/` (whose files win over generated ones of the same name),
    /// removes what this build did not write, and swaps the staging folder into place.
    /// Returns the number of files in the new output.
    pub fn commit(self, root: &Path) -> Result<usize, OutputError> {
        for relative in copy_static(&root.join(STATIC_DIR), &self.dir)? {
            self.record(relative);
        }
        let written = self
            .written
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        prune(&self.dir, &written)?;
        swap_into_place(&self.dir, &self.output)?;
        Ok(written.len())
    }
}

/// Removes every file under `dir` that is not in `keep`, and the folders left empty.
fn prune(dir: &Path, keep: &HashSet<PathBuf>) -> Result<(), OutputError> {
    let io = |path: &Path, action: &'static str| {
        let path = path.to_path_buf();
        move |source| OutputError::Io {
            path,
            action,
            source,
        }
    };
    // Folders that lost an entry; only these can have become empty.
    let mut emptied: HashSet<PathBuf> = HashSet::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|e| walk_error(e, dir))?;
        let path = entry.path();
        let removed = if entry.file_type().is_dir() {
            emptied.contains(path) && is_empty_dir(path) && std::fs::remove_dir(path).is_ok()
        } else if path.strip_prefix(dir).is_ok_and(|r| keep.contains(r)) {
            false
        } else {
            std::fs::remove_file(path).map_err(io(path, "cannot remove the stale file"))?;
            true
        };
        if removed && let Some(parent) = path.parent() {
            emptied.insert(parent.to_path_buf());
        }
    }
    Ok(())
}

/// The files the output stage adds to the rendered ones: the built-in static files, the
/// highlight CSS, `.nojekyll` and `CNAME`. A site's own `static/` files replace these.
pub fn generated_files(extras: &Extras) -> Vec<OutputFile> {
    let mut generated: Vec<OutputFile> = BUILT_IN_STATIC
        .iter()
        .map(|(name, bytes)| OutputFile {
            path: (*name).to_string(),
            contents: bytes.to_vec(),
        })
        .collect();
    generated.push(OutputFile {
        path: "highlight.css".into(),
        contents: extras.highlight_css.clone().into_bytes(),
    });
    generated.push(OutputFile {
        path: ".nojekyll".into(),
        contents: Vec::new(),
    });
    if let Some(cname) = &extras.cname {
        generated.push(OutputFile {
            path: "CNAME".into(),
            contents: format!("{}\n", cname.trim()).into_bytes(),
        });
    }
    generated
}

/// Reads the site's `static/` folder into memory, paths relative to it with `/`
/// separators, for the preview server (which never writes the output folder).
pub fn read_static(root: &Path) -> Result<Vec<OutputFile>, OutputError> {
    let dir = root.join(STATIC_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.map_err(|e| walk_error(e, &dir))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let contents = std::fs::read(entry.path()).map_err(|source| OutputError::Io {
            path: entry.path().to_path_buf(),
            action: "cannot read",
            source,
        })?;
        files.push(OutputFile {
            path: relative.to_string_lossy().replace('\\', "/"),
            contents,
        });
    }
    Ok(files)
}

fn write_one(staging: &Path, file: &OutputFile) -> Result<(), OutputError> {
    let relative = Path::new(&file.path);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(OutputError::EscapingPath {
            path: file.path.clone(),
        });
    }
    let target = staging.join(relative);
    if let Some(parent) = target.parent() {
        create_folder(staging, parent)?;
    }
    // Rebuilds mostly produce the same bytes at the same paths; reading a file to find it
    // unchanged costs a tenth of rewriting it.
    if std::fs::read(&target).is_ok_and(|existing| existing == file.contents) {
        return Ok(());
    }
    if target.is_dir() {
        // A reused staging folder may hold a folder where this build puts a file.
        remove_if_exists(&target)?;
    }
    std::fs::write(&target, &file.contents).map_err(|source| OutputError::Io {
        path: target,
        action: "cannot write",
        source,
    })
}

/// `create_dir_all`, replacing a file that a reused staging folder holds where this build
/// needs a folder.
fn create_folder(staging: &Path, folder: &Path) -> Result<(), OutputError> {
    if std::fs::create_dir_all(folder).is_ok() {
        return Ok(());
    }
    let io = |source| OutputError::Io {
        path: folder.to_path_buf(),
        action: "cannot create the folder",
        source,
    };
    if let Some(file) = folder
        .ancestors()
        .take_while(|a| *a != staging)
        .find(|a| a.is_file())
    {
        std::fs::remove_file(file).map_err(io)?;
    }
    std::fs::create_dir_all(folder).map_err(io)
}

/// Copies `dir` into `staging`; returns the files copied, relative to `staging`.
fn copy_static(dir: &Path, staging: &Path) -> Result<Vec<PathBuf>, OutputError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut copied = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| walk_error(e, dir))?;
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let target = staging.join(relative);
        if entry.file_type().is_dir() {
            create_folder(staging, &target)?;
        } else {
            if target.is_dir() {
                remove_if_exists(&target)?;
            }
            std::fs::copy(entry.path(), &target).map_err(|source| OutputError::Io {
                path: entry.path().to_path_buf(),
                action: "cannot copy",
                source,
            })?;
            copied.push(relative.to_path_buf());
        }
    }
    Ok(copied)
}

/// `public` → `.public.staging` beside it, on the same file system so renames are atomic.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{suffix}"))
}

fn swap_into_place(staging: &Path, output: &Path) -> Result<(), OutputError> {
    let old = sibling(output, "old");
    remove_if_exists(&old)?;
    if output.exists() {
        std::fs::rename(output, &old).map_err(|source| OutputError::Io {
            path: output.to_path_buf(),
            action: "cannot move the previous output aside",
            source,
        })?;
    }
    if let Err(source) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(OutputError::Io {
            path: output.to_path_buf(),
            action: "cannot move the new output into place",
            source,
        });
    }
    // The previous output is the next build's staging folder (see `Staging`).
    if old.exists() && std::fs::rename(&old, staging).is_err() {
        remove_if_exists(&old)?;
    }
    Ok(())
}

fn remove_if_exists(path: &Path) -> Result<(), OutputError> {
    match remove_tree(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(OutputError::Io {
            path: path.to_path_buf(),
            action: "cannot remove",
            source: e,
        }),
        _ => Ok(()),
    }
}

/// `remove_dir_all`, with the entries of each folder removed in parallel: deleting an old
/// output of thousands of pages one file at a time is a noticeable share of a build.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    let entries = std::fs::read_dir(path)?.collect::<Result<Vec<_>, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(path)
}

/// A failed folder listing as an error that names the folder.
fn walk_error(error: walkdir::Error, dir: &Path) -> OutputError {
    OutputError::Io {
        path: error.path().unwrap_or(dir).to_path_buf(),
        action: "cannot list",
        source: error
            .into_io_error()
            .unwrap_or_else(|| std::io::Error::other("loop in folder links")),
    }
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One whole build's writing, as `build` does it.
    fn write_site(
        root: &Path,
        output: &Path,
        files: &[OutputFile],
        extras: &Extras,
    ) -> Result<usize, OutputError> {
        let staging = Staging::begin(root, output, extras)?;
        files.iter().try_for_each(|file| staging.write(file))?;
        staging.commit(root)
    }

    fn temp() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "verbatim-output-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let root = temp();
        for bad in [
            root.clone(),
            root.join("content"),
            root.join("static/out"),
            root.parent().unwrap().to_path_buf(),
        ] {
            assert!(
                check_output_location(&root, &bad).is_err(),
                "{}",
                bad.display()
            );
        }
        assert!(check_output_location(&root, &root.join("public")).is_ok());
        assert!(check_output_location(&root, &root.join("content/../public")).is_ok());
    }

    #[test]
    fn writes_then_replaces_and_refuses_foreign_folders() {
        let root = temp();
        let output = root.join("public");
        let file = |path: &str, text: &str| OutputFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        };
        write_site(
            &root,
            &output,
            &[file("a/index.html", "one"), file("gone.html", "x")],
            &Extras::default(),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(output.join("a/index.html")).unwrap(),
            "one"
        );
        assert!(output.join(".nojekyll").exists());
        write_site(
            &root,
            &output,
            &[file("a/index.html", "two")],
            &Extras::default(),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(output.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(
            !output.join("gone.html").exists(),
            "the output is replaced whole"
        );

        let foreign = root.join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "precious").unwrap();
        assert!(matches!(
            write_site(&root, &foreign, &[], &Extras::default()),
            Err(OutputError::ForeignOutput { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn escaping_paths_fail_and_leave_output() {
        let root = temp();
        let output = root.join("public");
        let bad = OutputFile {
            path: "../evil.html".into(),
            contents: Vec::new(),
        };
        assert!(write_site(&root, &output, &[bad], &Extras::default()).is_err());
        assert!(!root.join("evil.html").exists());
        assert!(!output.exists(), "nothing is swapped in after a failure");
    }

    #[test]
    fn reused_staging_folder_is_pruned_and_reshaped() {
        let root = temp();
        let output = root.join("public");
        let file = |path: &str, text: &str| OutputFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        };
        let builds = [
            vec![
                file("a/index.html", "1"),
                file("b/index.html", "1"),
                file("x", "file"),
            ],
            vec![
                file("a/index.html", "2"),
                file("c/index.html", "2"),
                file("x/index.html", "dir"),
            ],
            vec![file("a/index.html", "3"), file("x", "file again")],
        ];
        for files in &builds {
            write_site(&root, &output, files, &Extras::default()).unwrap();
            let mut found: Vec<String> = walkdir::WalkDir::new(&output)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    e.path()
                        .strip_prefix(&output)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .filter(|p| !p.starts_with('.') && !p.ends_with(".css"))
                .collect();
            found.sort();
            let mut expected: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            expected.sort();
            assert_eq!(found, expected, "exactly this build's files");
            for f in files {
                assert_eq!(std::fs::read(output.join(&f.path)).unwrap(), f.contents);
            }
        }
        assert!(
            sibling(&output, "staging").join(MARKER).exists(),
            "previous output kept for reuse"
        );
    }
}
