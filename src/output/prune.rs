//! Pruning an output folder that is written over: every file the build did not write is
//! removed, and the folders left empty; each remaining folder's stamp goes to the next
//! manifest. A folder the manifest shows unchanged is not listed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{Folders, Stamp};
use super::{OutputError, is_empty_dir};

/// Removes every file under `dir` that is not in `keep` (paths relative to `dir`), and
/// the folders left empty. A folder that `previous` (the folders the manifest of `dir`
/// records) shows unchanged is not listed: its entries are the ones recorded. Returns
/// the folders that remain, with their stamps after the pruning, for the next manifest.
pub(super) fn prune(
    dir: &Path,
    keep: &HashSet<PathBuf>,
    previous: Option<&Folders>,
) -> Result<Vec<(PathBuf, Option<Stamp>)>, OutputError> {
    prune_folder(dir, Path::new(""), keep, previous).map(|pruned| pruned.folders)
}

/// The folders of a staging folder that holds only `written` (paths relative to `dir`),
/// with their stamps: what [`prune`] returns, without listing them.
pub(super) fn folders_holding(
    dir: &Path,
    written: &HashSet<PathBuf>,
) -> Vec<(PathBuf, Option<Stamp>)> {
    let mut folders: HashSet<&Path> = HashSet::new();
    folders.insert(Path::new(""));
    for path in written {
        for folder in path.ancestors().skip(1) {
            if !folders.insert(folder) {
                break;
            }
        }
    }
    folders
        .into_par_iter()
        .map(|folder| {
            let stamp = std::fs::symlink_metadata(dir.join(folder))
                .ok()
                .and_then(|meta| Stamp::of(&meta));
            (folder.to_path_buf(), stamp)
        })
        .collect()
}

/// What pruning one folder did.
struct Pruned {
    /// Whether the folder lost an entry: only such a folder can have become empty.
    lost_entry: bool,
    /// The folder and the folders below it that remain, with their stamps.
    folders: Vec<(PathBuf, Option<Stamp>)>,
}

/// [`prune`] in the folder `relative` of `dir`, its subfolders in parallel: a rebuild
/// visits every folder of the output (one per article), and doing so one after the
/// other was the last stretch of a build on one thread.
fn prune_folder(
    dir: &Path,
    relative: &Path,
    keep: &HashSet<PathBuf>,
    previous: Option<&Folders>,
) -> Result<Pruned, OutputError> {
    let folder = dir.join(relative);
    let cannot_list = |source| OutputError::Io {
        path: folder.clone(),
        action: "cannot list",
        source,
    };
    let meta = std::fs::symlink_metadata(&folder).map_err(cannot_list)?;
    // Listing a folder (open, read its entries, close) costs several times a `stat`.
    let entries = match previous.and_then(|m| m.unchanged_entries(relative, &meta)) {
        Some(recorded) => recorded.to_vec(),
        None => list_folder(&folder, relative).map_err(cannot_list)?,
    };
    let children = entries
        .into_par_iter()
        .map(|(entry, is_folder)| {
            let path = dir.join(&entry);
            if is_folder {
                let mut pruned = prune_folder(dir, &entry, keep, previous)?;
                if pruned.lost_entry && is_empty_dir(&path) && std::fs::remove_dir(&path).is_ok() {
                    return Ok::<Pruned, OutputError>(Pruned {
                        lost_entry: true,
                        folders: Vec::new(),
                    });
                }
                pruned.lost_entry = false;
                Ok(pruned)
            } else if keep.contains(&entry) {
                Ok(Pruned {
                    lost_entry: false,
                    folders: Vec::new(),
                })
            } else {
                std::fs::remove_file(&path).map_err(|source| OutputError::Io {
                    path,
                    action: "cannot remove the stale file",
                    source,
                })?;
                Ok(Pruned {
                    lost_entry: true,
                    folders: Vec::new(),
                })
            }
        })
        .try_reduce(
            || Pruned {
                lost_entry: false,
                folders: Vec::new(),
            },
            |mut a, b| {
                a.lost_entry |= b.lost_entry;
                a.folders.extend(b.folders);
                Ok(a)
            },
        )?;
    // A folder that lost an entry has new times; the manifest needs them.
    let stamp = if children.lost_entry {
        std::fs::symlink_metadata(&folder)
            .ok()
            .and_then(|meta| Stamp::of(&meta))
    } else {
        Stamp::of(&meta)
    };
    let mut folders = children.folders;
    folders.push((relative.to_path_buf(), stamp));
    Ok(Pruned {
        lost_entry: children.lost_entry,
        folders,
    })
}

/// The entries of `folder` (at `relative` in the staging folder): their paths relative
/// to the staging folder, and whether each is a folder.
fn list_folder(folder: &Path, relative: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    std::fs::read_dir(folder)?
        .map(|entry| {
            let entry = entry?;
            Ok((
                relative.join(entry.file_name()),
                entry.file_type()?.is_dir(),
            ))
        })
        .collect()
}
