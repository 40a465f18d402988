//! Writing the site: into a staging folder beside the output, with `static/`, the theme
//! CSS, `.nojekyll` and `CNAME`, then swapped into place only when everything succeeded.

mod manifest;
mod prune;

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::render::OutputFile;
use manifest::{ContentHasher, FileRecord, FileRecords, Manifest};
use prune::{folders_holding, prune};

/// The folder copied as is to the output root.
pub const STATIC_DIR: &str = "static";

/// The default theme's static files, embedded so a folder with only `content/` builds.
/// A site's own `static/` file of the same name replaces one.
pub const BUILT_IN_STATIC: &[(&str, &[u8])] = &[
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
    /// The output, its staging folder or its lock file is a symbolic link.
    #[error("refusing to write through {}: the {role} is a symbolic link\n help: a build replaces its output whole and never follows a link there; pass the real folder with --output, or remove the link", path.display())]
    Symlink {
        /// The link.
        path: PathBuf,
        /// Which of the build's paths it is.
        role: &'static str,
    },
    /// The output path exists and is not a folder.
    #[error("refusing to replace {}: it is a file, not a folder\n help: choose another --output folder", path.display())]
    NotAFolder {
        /// The output path.
        path: PathBuf,
    },
    /// The staging folder exists but was not written by Verbatim.
    #[error("{} is in the way: a build prepares its output there, but this folder was not written by verbatim (no .verbatim marker)\n help: look inside, then remove it yourself; verbatim never deletes what it did not write", path.display())]
    ForeignStaging {
        /// The staging folder.
        path: PathBuf,
    },
    /// Another build holds the output's lock.
    #[error("another verbatim build is writing {} (it holds {}); waited {} s\n help: let it finish, then build again", output.display(), lock.display(), LOCK_WAIT.as_secs())]
    Locked {
        /// The output folder.
        output: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// A source folder (`static/`) cannot be listed.
    #[error(transparent)]
    Source(#[from] crate::walk::WalkError),
    /// A rendered path would leave the output folder.
    #[error("the output path `{path}` would leave the output folder")]
    EscapingPath {
        /// The offending path.
        path: String,
    },
}

/// Marks a folder as written by Verbatim, so a later build may replace it.
const MARKER: &str = ".verbatim";

/// How long a build waits for another build of the same output to finish: longer than a
/// build of ten thousand articles takes.
const LOCK_WAIT: Duration = Duration::from_secs(20);

/// How often a waiting build tries the lock again.
const LOCK_POLL: Duration = Duration::from_millis(50);

/// Extra files the output stage adds around the rendered ones.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// `CNAME` contents for GitHub Pages.
    pub cname: Option<String>,
    /// Generated highlight CSS, written as `highlight.css`.
    pub highlight_css: String,
}

/// Checks that `output` may be written: not the site root, not the current folder (a
/// build replaces its output whole, which would leave the shell in a removed folder),
/// not inside or above the source folders.
pub fn check_output_location(root: &Path, output: &Path) -> Result<(), OutputError> {
    let root = root.canonicalize().unwrap_or_else(|_| absolute(root));
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
    if let Ok(current) = std::env::current_dir().and_then(|c| c.canonicalize())
        && current.starts_with(&output_abs)
    {
        return Err(refuse(
            "it is the current folder (or holds it), and a build replaces its output whole",
        ));
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

/// A file the build keeps beside the output folder `output`, never published:
/// `public` and `highlight-cache` give `.public.highlight-cache`.
pub fn beside(output: &Path, suffix: &str) -> PathBuf {
    sibling(&absolute(output), suffix)
}

/// The path made absolute and free of `.` and `..`. Links in the folders above are
/// resolved, never in the last name: the output itself must not be followed, and may not
/// exist yet.
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
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map_or_else(|_| out.clone(), |parent| parent.join(name)),
        _ => out,
    }
}

/// A staging folder beside the output, filled file by file (from any thread) and swapped
/// into place by [`Staging::commit`]. The output is untouched until then. While it
/// exists the build holds the output's lock; if it is dropped without a commit (the build
/// failed), the staging folder is removed, so a failure such as a full disk does not
/// leave it to fail the next build too.
///
/// The folder the previous output is swapped out to becomes the next build's staging
/// folder: overwriting files that exist is several times cheaper than creating them (on
/// slow virtual disks creating a file and its folder costs about a millisecond), and a
/// rebuild mostly rewrites the same paths. Files the new build does not write are
/// removed before the swap.
///
/// Beside each output folder a manifest (`.public.manifest`, which becomes
/// `.public.staging-manifest` when the folder is swapped out) records what the build
/// left in it, so that reusing the folder costs neither a read of each unchanged file
/// nor a listing of each folder (see `manifest`).
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The staging folder's manifest, when it has one that still describes it.
    previous: Option<Manifest>,
    /// Whether the staging folder was empty when the build began (a cold build, or the
    /// first rebuild after one): everything in it is then this build's, so nothing is
    /// looked for before a file is written, and nothing is listed to be pruned.
    fresh: bool,
    hasher: ContentHasher,
    /// Every file written or copied, relative to `dir`.
    written: Mutex<HashSet<PathBuf>>,
    /// Their records for the next manifest.
    records: Mutex<FileRecords>,
    committed: bool,
    _lock: OutputLock,
}

impl Staging {
    /// Checks that `output` may be replaced, takes its lock, prepares the staging folder
    /// and writes the generated files (theme CSS, `.nojekyll`, `CNAME`, the marker).
    pub fn begin(root: &Path, output: &Path, extras: &Extras) -> Result<Staging, OutputError> {
        check_output_location(root, output)?;
        let output = absolute(output);
        refuse_link(&output, "output folder")?;
        if output.exists() && !output.is_dir() {
            return Err(OutputError::NotAFolder { path: output });
        }
        let dir = sibling(&output, "staging");
        refuse_link(&dir, "staging folder")?;
        let lock = OutputLock::acquire(&output, LOCK_WAIT)?;
        if output.exists() && !output.join(MARKER).exists() && !is_empty_dir(&output) {
            return Err(OutputError::ForeignOutput { path: output });
        }
        if dir.exists() && !dir.join(MARKER).exists() && !is_empty_dir(&dir) {
            return Err(OutputError::ForeignStaging { path: dir });
        }
        let fresh = !dir.exists() || is_empty_dir(&dir);
        std::fs::create_dir_all(&dir).map_err(|source| OutputError::Io {
            path: dir.clone(),
            action: "cannot create the staging folder",
            source,
        })?;
        // An empty folder has nothing a manifest could describe.
        let previous = (!fresh)
            .then(|| std::fs::symlink_metadata(&dir).ok())
            .flatten()
            .and_then(|meta| Manifest::read(&sibling(&output, "staging-manifest"), &meta));
        let hasher = previous
            .as_ref()
            .map_or_else(ContentHasher::random, |m| m.hasher().clone());
        let staging = Staging {
            dir,
            output,
            previous,
            fresh,
            hasher,
            written: Mutex::new(HashSet::new()),
            records: Mutex::new(FileRecords::default()),
            committed: false,
            _lock: lock,
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
        let previous = if self.fresh {
            Previous::Nothing
        } else {
            Previous::Unknown(self.previous.as_ref())
        };
        let record = write_one(&self.dir, file, previous, &self.hasher)?;
        self.record(PathBuf::from(&file.path), record);
        Ok(())
    }

    /// Copies a file from the sources (an article's media) to `relative` in the staging
    /// folder, unless the file there is already its copy ([`copy_unless_same`]).
    pub fn copy(&self, source: &Path, relative: &str) -> Result<(), OutputError> {
        let relative_path = Path::new(relative);
        if relative_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(OutputError::EscapingPath {
                path: relative.to_string(),
            });
        }
        let target = self.dir.join(relative_path);
        if let Some(parent) = target.parent() {
            create_folder(&self.dir, parent)?;
        }
        copy_unless_same(source, &target, false)?;
        self.record(relative_path.to_path_buf(), None);
        Ok(())
    }

    fn record(&self, relative: PathBuf, record: Option<FileRecord>) {
        let key = self.hasher.path_key(&relative);
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(key, record);
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(relative);
    }

    /// Copies the site's `static/` (whose files win over generated ones of the same name),
    /// removes what this build did not write, and swaps the staging folder into place.
    /// Returns the number of files in the new output.
    pub fn commit(mut self, root: &Path) -> Result<usize, OutputError> {
        let mut written = std::mem::take(
            self.written
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut records = std::mem::take(
            self.records
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        // Static files replace generated ones of the same name: their record is none.
        for relative in copy_static(root, &self.dir, &written)? {
            records.push(self.hasher.path_key(&relative), None);
            written.insert(relative);
        }
        records.sort();
        let folders = if self.fresh {
            folders_holding(&self.dir, &written)
        } else {
            let recorded = self.previous.take().and_then(|previous| previous.folders());
            prune(&self.dir, &written, recorded.as_ref())?
        };
        let manifest = std::fs::symlink_metadata(&self.dir).ok().and_then(|meta| {
            manifest::render(
                &self.hasher,
                &meta,
                SystemTime::now(),
                &folders,
                &written,
                &records,
            )
        });
        swap_into_place(&self.dir, &self.output)?;
        self.committed = true;
        self.keep_manifests(manifest.as_deref());
        Ok(written.len())
    }

    /// After the swap: the output's manifest moves with its folder to the staging
    /// folder's name, and `manifest` becomes the output's. Best effort: a missing or
    /// stale manifest only costs the next builds the slow path.
    fn keep_manifests(&self, manifest: Option<&str>) {
        let output_manifest = sibling(&self.output, "manifest");
        let staging_manifest = sibling(&self.output, "staging-manifest");
        if std::fs::rename(&output_manifest, &staging_manifest).is_err() {
            let _ = std::fs::remove_file(&staging_manifest);
        }
        if let Some(text) = manifest {
            // A new file, never one written through a link left at the name.
            let _ = std::fs::remove_file(&output_manifest);
            let written = File::options()
                .write(true)
                .create_new(true)
                .open(&output_manifest)
                .and_then(|mut file| file.write_all(text.as_bytes()));
            if written.is_err() {
                let _ = std::fs::remove_file(&output_manifest);
            }
        }
    }
}

impl Drop for Staging {
    /// A failed build's staging folder holds a half-written site: remove it (best effort;
    /// the build's own error is the one to report).
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
            let _ = std::fs::remove_file(sibling(&self.output, "staging-manifest"));
        }
    }
}

/// An exclusive lock on an output folder, on the file `.public.lock` beside it. The
/// operating system releases it when the file is closed or the process ends, so a build
/// that crashed leaves no stale lock behind.
struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Takes the lock, waiting up to `wait` for another build to release it.
    fn acquire(output: &Path, wait: Duration) -> Result<OutputLock, OutputError> {
        let path = sibling(output, "lock");
        refuse_link(&path, "lock file")?;
        let io = |source| OutputError::Io {
            path: path.clone(),
            action: "cannot open the lock file",
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(OutputLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(LOCK_POLL);
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Locked {
                        output: output.to_path_buf(),
                        lock: path,
                    });
                }
                Err(std::fs::TryLockError::Error(source)) => {
                    return Err(OutputError::Io {
                        path,
                        action: "cannot lock",
                        source,
                    });
                }
            }
        }
    }
}

/// An error when `path` is a symbolic link.
fn refuse_link(path: &Path, role: &'static str) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(OutputError::Symlink {
            path: path.to_path_buf(),
            role,
        }),
        _ => Ok(()),
    }
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
    crate::walk::source_files(root, STATIC_DIR, false)?
        .into_iter()
        .map(|file| {
            let contents = std::fs::read(&file.path).map_err(|source| OutputError::Io {
                path: file.path.clone(),
                action: "cannot read",
                source,
            })?;
            Ok(OutputFile {
                path: file.relative.to_string_lossy().replace('\\', "/"),
                contents,
            })
        })
        .collect()
}

/// What a staging folder may hold at a path before a build writes it.
#[derive(Clone, Copy)]
enum Previous<'a> {
    /// Nothing: the folder was empty when the build began.
    Nothing,
    /// Anything: a reused folder, with its manifest when it has one.
    Unknown(Option<&'a Manifest>),
}

/// Writes `file` into the staging folder unless the file there already holds its
/// contents; returns the file's record for the next manifest.
fn write_one(
    staging: &Path,
    file: &OutputFile,
    previous: Previous<'_>,
    hasher: &ContentHasher,
) -> Result<Option<FileRecord>, OutputError> {
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
    let hash = hasher.hash(&file.contents);
    // A file already at the path means its folders exist: a rebuild then costs one
    // `lstat` before the comparison, instead of a `mkdir` and a `stat` as well.
    let (there, previous) = match previous {
        Previous::Nothing => (None, None),
        Previous::Unknown(manifest) => (make_room_for_file(&target)?, manifest),
    };
    match there {
        // Rebuilds mostly produce the same bytes at the same paths. A file the manifest
        // shows untouched since it was written needs no reading; otherwise reading it to
        // find it unchanged costs a tenth of rewriting it.
        Some(meta)
            if meta.len() == file.contents.len() as u64
                && (previous.is_some_and(|m| m.holds_unchanged(relative, &meta, hash))
                    || holds(&target, &file.contents)) =>
        {
            return Ok(FileRecord::new(&meta, hash));
        }
        Some(_) => {}
        None => {
            if let Some(parent) = target.parent() {
                create_folder(staging, parent)?;
            }
        }
    }
    let cannot_write = |source| OutputError::Io {
        path: target.clone(),
        action: "cannot write",
        source,
    };
    let mut written = File::create(&target).map_err(cannot_write)?;
    written.write_all(&file.contents).map_err(cannot_write)?;
    // The times after the write, for the manifest; without them the file is only read
    // again next time.
    Ok(written
        .metadata()
        .ok()
        .and_then(|meta| FileRecord::new(&meta, hash)))
}

/// Whether the file at `path`, known to be `contents.len()` bytes long, holds exactly
/// `contents`: read into a buffer's spare capacity, which is neither zeroed first (as
/// `vec![0; len]` is: a memset of the whole output on every rebuild) nor read in 8 KiB
/// pieces (as `take(len).read_to_end` is), nor queried for its size again (as
/// `std::fs::read` does).
fn holds(path: &Path, contents: &[u8]) -> bool {
    if contents.is_empty() {
        return true;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut existing = Vec::with_capacity(contents.len());
    while existing.len() < contents.len() {
        match rustix::io::read(&file, rustix::buffer::spare_capacity(&mut existing)) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    existing == contents
}

/// Clears `target` for a file: a reused staging folder may hold a folder there, or a
/// link, which is removed rather than followed. Returns the metadata of the regular file
/// already there, if any.
fn make_room_for_file(target: &Path) -> Result<Option<Metadata>, OutputError> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_file() => Ok(Some(meta)),
        Ok(_) => remove_if_exists(target).map(|()| None),
        Err(_) => Ok(None),
    }
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
        // Another thread making the same folder may have removed it first.
        match std::fs::remove_file(file) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(io(error)),
            _ => {}
        }
    }
    std::fs::create_dir_all(folder).map_err(io)
}

/// Copies the site's `static/` into `staging`; returns the files copied, relative to
/// `staging`.
fn copy_static(
    root: &Path,
    staging: &Path,
    generated: &HashSet<PathBuf>,
) -> Result<Vec<PathBuf>, OutputError> {
    let files = crate::walk::source_files(root, STATIC_DIR, false)?;
    // In parallel: a site's static files (images, recordings) can be many and large.
    files
        .into_par_iter()
        .map(|file| {
            let target = staging.join(&file.relative);
            if let Some(parent) = target.parent() {
                create_folder(staging, parent)?;
            }
            // A generated file of the same name was just written: replace it whatever
            // its size and time.
            copy_unless_same(&file.path, &target, generated.contains(&file.relative))?;
            Ok(file.relative)
        })
        .collect()
}

/// Copies `source` to `target` (a path in the staging folder), unless `target` is a
/// regular file of the same size and modification time, as the last copy left it: the
/// copy takes the source's modification time, so an edited source (a new time) or an
/// older version put back (another time) is copied again, as `rsync` decides. `always`
/// copies in any case.
fn copy_unless_same(source: &Path, target: &Path, always: bool) -> Result<(), OutputError> {
    let io = |path: &Path, action: &'static str| {
        let path = path.to_path_buf();
        move |error| OutputError::Io {
            path,
            action,
            source: error,
        }
    };
    let from = std::fs::metadata(source).map_err(io(source, "cannot read"))?;
    let modified = from.modified().ok();
    let there = make_room_for_file(target)?;
    let same = there.is_some_and(|there| {
        there.len() == from.len() && modified.is_some() && there.modified().ok() == modified
    });
    if same && !always {
        return Ok(());
    }
    std::fs::copy(source, target).map_err(io(source, "cannot copy it into the output"))?;
    // Without the time, the next build only copies the file again.
    if let Some(modified) = modified {
        let _ = File::options()
            .write(true)
            .open(target)
            .and_then(|copied| copied.set_modified(modified));
    }
    Ok(())
}

/// `/site/public` → `/site/.public.staging` beside it, on the same file system so
/// renames are atomic. `output` is absolute (see [`absolute`]).
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

/// Puts the staging folder where the output was. On Linux one `renameat2` exchanges the
/// two, so there is no moment without an output, and the previous output lands where the
/// next build's staging folder goes. Elsewhere (or on a file system without the
/// exchange) two renames do the same with a short gap.
fn swap_into_place(staging: &Path, output: &Path) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(output).is_err() {
        return std::fs::rename(staging, output).map_err(|source| OutputError::Io {
            path: output.to_path_buf(),
            action: "cannot move the new output into place",
            source,
        });
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => {}
            Err(errno) => {
                return Err(OutputError::Io {
                    path: output.to_path_buf(),
                    action: "cannot swap the new output into place",
                    source: errno.into(),
                });
            }
        }
    }
    swap_by_renames(staging, output)
}

/// The portable swap: the output moves aside, the staging folder into its place, and
/// the previous output becomes the next staging folder.
fn swap_by_renames(staging: &Path, output: &Path) -> Result<(), OutputError> {
    let old = sibling(output, "old");
    refuse_link(&old, "folder for the previous output")?;
    remove_if_exists(&old)?;
    std::fs::rename(output, &old).map_err(|source| OutputError::Io {
        path: output.to_path_buf(),
        action: "cannot move the previous output aside",
        source,
    })?;
    if let Err(source) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(OutputError::Io {
            path: output.to_path_buf(),
            action: "cannot move the new output into place",
            source,
        });
    }
    if std::fs::rename(&old, staging).is_err() {
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
/// A link is removed, never followed.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    if !std::fs::symlink_metadata(path)?.is_dir() {
        return std::fs::remove_file(path);
    }
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

    /// A temporary folder, removed when the value is dropped at the test's end.
    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().expect("temporary folder")
    }

    #[cfg(unix)]
    #[test]
    fn static_files_are_copied_again_only_when_their_size_or_time_differs() {
        use std::os::unix::fs::MetadataExt;
        let dir = temp();
        let root = dir.path().to_path_buf();
        let output = root.join("public");
        let audio = root.join("static/audio/talk.mp3");
        std::fs::create_dir_all(audio.parent().unwrap()).unwrap();
        std::fs::write(&audio, b"recording one").unwrap();
        std::fs::write(root.join("static/page.html"), b"static page").unwrap();
        let generated = OutputFile {
            path: "page.html".into(),
            contents: b"made by build".to_vec(),
        };
        let build = || {
            write_site(
                &root,
                &output,
                std::slice::from_ref(&generated),
                &Extras::default(),
            )
            .unwrap()
        };
        // Two builds: the second reuses the first's folder as its staging folder.
        build();
        build();
        let copied =
            |folder: &Path| std::fs::symlink_metadata(folder.join("audio/talk.mp3")).unwrap();
        let staging = sibling(&output, "staging");
        let before = copied(&staging);
        build();
        let after = copied(&output);
        assert_eq!(
            (before.ino(), before.ctime(), before.ctime_nsec()),
            (after.ino(), after.ctime(), after.ctime_nsec()),
            "an unchanged static file is not copied again"
        );
        assert_eq!(
            std::fs::read(output.join("page.html")).unwrap(),
            b"static page",
            "a static file replaces a generated one of the same name"
        );
        // Another recording of the same size with an older time put back.
        std::fs::write(&audio, b"recording two").unwrap();
        let older = before.modified().unwrap() - std::time::Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&audio)
            .unwrap()
            .set_modified(older)
            .unwrap();
        build();
        build();
        assert_eq!(
            std::fs::read(output.join("audio/talk.mp3")).unwrap(),
            b"recording two"
        );
        assert_eq!(
            copied(&output).modified().unwrap(),
            older,
            "the copy keeps the source's time"
        );
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = temp();
        let root = dir.path().to_path_buf();
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
        let dir = temp();
        let root = dir.path().to_path_buf();
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
        let dir = temp();
        let root = dir.path().to_path_buf();
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
    fn holds_compares_every_byte_of_a_file() {
        let dir = temp();
        let path = dir.path().join("page.html");
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &big).unwrap();
        assert!(holds(&path, &big));
        let mut changed = big.clone();
        changed[99_999] ^= 1;
        assert!(!holds(&path, &changed), "a change in the last byte");
        assert!(
            !holds(&path, &[big.as_slice(), b"more"].concat()),
            "a longer text"
        );
        assert!(!holds(&dir.path().join("missing"), b"x"));
        std::fs::write(&path, b"").unwrap();
        assert!(holds(&path, b""));
    }

    #[test]
    fn reused_staging_folder_is_pruned_and_reshaped() {
        let dir = temp();
        let root = dir.path().to_path_buf();
        let output = root.join("public");
        let file = |path: &str, text: &str| OutputFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        };
        let builds = [
            vec![
                file("a/index.html", "1"),
                file("b/index.html", "1"),
                file("d/e/index.html", "1"),
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
                .filter(|p| {
                    !p.starts_with('.')
                        && !p.ends_with(".css")
                        && !BUILT_IN_STATIC.iter().any(|(name, _)| p == name)
                })
                .collect();
            found.sort();
            let mut expected: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            expected.sort();
            assert_eq!(found, expected, "exactly this build's files");
            let empty: Vec<PathBuf> = walkdir::WalkDir::new(&output)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_dir() && is_empty_dir(e.path()))
                .map(|e| e.path().to_path_buf())
                .collect();
            assert!(empty.is_empty(), "folders left empty: {empty:?}");
            for f in files {
                assert_eq!(std::fs::read(output.join(&f.path)).unwrap(), f.contents);
            }
        }
        assert!(
            sibling(&output, "staging").join(MARKER).exists(),
            "previous output kept for reuse"
        );
    }

    #[test]
    fn a_folder_written_from_empty_records_the_folders_a_listing_finds() {
        let dir = temp();
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let hasher = ContentHasher::new(7);
        let paths = [
            "a/index.html",
            "a/b/c/index.html",
            "d.html",
            "e/f/index.html",
        ];
        for path in paths {
            let file = OutputFile {
                path: path.into(),
                contents: b"x".to_vec(),
            };
            write_one(&staging, &file, Previous::Nothing, &hasher).unwrap();
        }
        let written: HashSet<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let mut recorded = folders_holding(&staging, &written);
        let mut listed = prune(&staging, &written, None).unwrap();
        recorded.sort_by(|a, b| a.0.cmp(&b.0));
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            recorded.len(),
            6,
            "the root, a, a/b, a/b/c, e, e/f: {recorded:?}"
        );
        assert_eq!(recorded, listed);
    }

    #[test]
    fn a_reused_folder_changed_behind_the_manifest_is_rewritten_and_pruned() {
        let dir = temp();
        let root = dir.path().to_path_buf();
        let output = root.join("public");
        let staging = sibling(&output, "staging");
        let file = |path: &str, text: &str| OutputFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        };
        let files = [file("a/index.html", "same text"), file("b.html", "b")];
        // Four builds: each folder then has a manifest written well after its files.
        for _ in 0..4 {
            write_site(&root, &output, &files, &Extras::default()).unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
        let read_manifest = || {
            Manifest::read(
                &sibling(&output, "staging-manifest"),
                &std::fs::symlink_metadata(&staging).unwrap(),
            )
        };
        let manifest = read_manifest().expect("the staging folder's manifest");
        let page = Path::new("a/index.html");
        let page_meta = std::fs::symlink_metadata(staging.join(page)).unwrap();
        assert!(
            manifest.holds_unchanged(page, &page_meta, manifest.hasher().hash(b"same text")),
            "an untouched file is skipped without reading"
        );
        assert!(
            manifest
                .folders()
                .expect("the folders' records read again")
                .unchanged_entries(
                    Path::new("a"),
                    &std::fs::symlink_metadata(staging.join("a")).unwrap()
                )
                .is_some(),
            "an untouched folder is not listed"
        );

        // Behind the manifest's back: other bytes of the same length with the old
        // modification time, and files added where the manifest says there are none.
        let modified = page_meta.modified().unwrap();
        std::fs::write(staging.join(page), "SAME TEXT").unwrap();
        File::options()
            .write(true)
            .open(staging.join(page))
            .unwrap()
            .set_modified(modified)
            .unwrap();
        std::fs::write(staging.join("a/extra.html"), "stale").unwrap();
        std::fs::create_dir_all(staging.join("c/d")).unwrap();
        std::fs::write(staging.join("c/d/deep.html"), "stale").unwrap();

        write_site(&root, &output, &files, &Extras::default()).unwrap();
        assert_eq!(std::fs::read(output.join(page)).unwrap(), b"same text");
        assert!(!output.join("a/extra.html").exists());
        assert!(!output.join("c").exists());
    }
}
