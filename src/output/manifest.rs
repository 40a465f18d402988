//! What a build left in an output folder, kept beside it (never inside, so it is not
//! published): each folder's and each file's identity and times as the build last saw
//! them, and each file's content hash. When the folder is reused as a later build's
//! staging folder, a file whose identity, size and times are unchanged and whose new
//! contents hash the same is skipped without being read, and a folder whose identity and
//! times are unchanged is not listed: its entries are the ones recorded. Anything that
//! differs, or that was recorded too close to the manifest's own time to be sure of
//! (see [`Stamp::settled`]), takes the slow path: the byte compare and the listing.

use std::collections::HashMap;
use std::fs::Metadata;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The first line of a manifest; a change of format changes it.
const HEADER: &str = "verbatim output manifest 1";

/// A change made after the manifest was written gets a change time no earlier than the
/// file system's clock then, which lags the real clock by at most one timer tick (10 ms
/// at 100 Hz). A time recorded more than this before the manifest was written therefore
/// differs from the time of any later change.
const FINE_MARGIN: Duration = Duration::from_millis(20);

/// The same margin on file systems that keep whole seconds (or two-second steps, as FAT
/// does), recognised by nanoseconds that are all zero.
const COARSE_MARGIN: Duration = Duration::from_secs(3);

/// An entry's identity and times: if any change was made to a file (its contents, its
/// times, its permissions) or to a folder's entries, its change time moved. The size
/// is a file's; a folder's is not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of an entry, from its metadata (not followed through a link). `None`
    /// where the platform does not give inode numbers and change times.
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                inode: meta.ino(),
                size: if meta.is_file() { meta.len() } else { 0 },
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// Whether the entry's last change lies far enough before `written` (the manifest's
    /// time) that any later change shows in its change time.
    fn settled(&self, written: SystemTime) -> bool {
        let coarse = self.changed.1 == 0 && self.modified.1 == 0;
        let margin = if coarse { COARSE_MARGIN } else { FINE_MARGIN };
        let Ok(changed_secs) = u64::try_from(self.changed.0) else {
            return false;
        };
        let Ok(changed_nanos) = u32::try_from(self.changed.1) else {
            return false;
        };
        let changed = UNIX_EPOCH + Duration::new(changed_secs, changed_nanos);
        changed + margin < written
    }
}

/// A written file as the manifest records it: its stamp after the build wrote or
/// checked it, and the hash of its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    stamp: Stamp,
    hash: u64,
}

impl FileRecord {
    /// The record of a file holding contents that hash to `hash`.
    pub fn new(meta: &Metadata, hash: u64) -> Option<FileRecord> {
        Stamp::of(meta).map(|stamp| FileRecord { stamp, hash })
    }
}

/// The hash of file contents that a manifest keeps: keyed by the manifest's seed.
#[derive(Debug, Clone)]
pub struct ContentHasher {
    seed: u64,
    state: foldhash::fast::FixedState,
}

impl ContentHasher {
    /// A hasher keyed by `seed`.
    pub fn new(seed: u64) -> ContentHasher {
        ContentHasher {
            seed,
            state: foldhash::fast::FixedState::with_seed(seed),
        }
    }

    /// A hasher with a seed of its own, for an output that has no manifest yet.
    pub fn random() -> ContentHasher {
        ContentHasher::new(std::hash::RandomState::new().hash_one(HEADER))
    }

    /// The hash of `contents`.
    pub fn hash(&self, contents: &[u8]) -> u64 {
        self.state.hash_one(contents)
    }

    /// A known value, stored in the manifest: if the hash function ever changes (a new
    /// version of it), the value differs and the manifest is set aside.
    fn check(&self) -> u64 {
        self.hash(HEADER.as_bytes())
    }
}

/// One output folder's manifest, as read back by the build that reuses the folder.
#[derive(Debug)]
pub struct Manifest {
    hasher: ContentHasher,
    written: SystemTime,
    folders: HashMap<PathBuf, Option<Stamp>>,
    files: HashMap<PathBuf, Option<FileRecord>>,
    children: HashMap<PathBuf, Vec<(PathBuf, bool)>>,
}

impl Manifest {
    /// Reads the manifest at `path` if it describes `folder` (by its inode number);
    /// `None` when it is missing, damaged or about another folder.
    pub fn read(path: &Path, folder: &Metadata) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let manifest = parse(&text)?;
        let folder_inode = Stamp::of(folder)?.inode;
        (manifest.0 == folder_inode).then_some(manifest.1)
    }

    /// The hasher whose hashes this manifest holds.
    pub fn hasher(&self) -> &ContentHasher {
        &self.hasher
    }

    /// Whether the file at `relative`, whose metadata is `meta`, still holds the contents
    /// recorded, and those hash to `hash`: then it need not be read.
    pub fn holds_unchanged(&self, relative: &Path, meta: &Metadata, hash: u64) -> bool {
        let Some(Some(record)) = self.files.get(relative) else {
            return false;
        };
        record.hash == hash
            && Stamp::of(meta) == Some(record.stamp)
            && record.stamp.settled(self.written)
    }

    /// The entries (relative paths, and whether each is a folder) of the folder at
    /// `relative`, whose metadata is `meta`, if its entries are the ones recorded.
    pub fn unchanged_entries(
        &self,
        relative: &Path,
        meta: &Metadata,
    ) -> Option<&[(PathBuf, bool)]> {
        let recorded = (*self.folders.get(relative)?)?;
        if Stamp::of(meta) != Some(recorded) || !recorded.settled(self.written) {
            return None;
        }
        Some(self.children.get(relative).map_or(&[], Vec::as_slice))
    }
}

/// The manifest of the folder whose inode number is `folder_inode`, holding `folders`
/// and `files` (paths relative to it), as text; `None` if a path cannot be written on a
/// line of its own (not UTF-8, or holding a line break), or the folder has no stamp.
pub fn render(
    hasher: &ContentHasher,
    folder: &Metadata,
    written: SystemTime,
    folders: &[(PathBuf, Option<Stamp>)],
    files: &HashMap<PathBuf, Option<FileRecord>>,
) -> Option<String> {
    use std::fmt::Write as _;
    let folder_inode = Stamp::of(folder)?.inode;
    let since = written.duration_since(UNIX_EPOCH).ok()?;
    let mut text = String::with_capacity(64 + 100 * (folders.len() + files.len()));
    let _ = writeln!(
        text,
        "{HEADER}\nfolder {folder_inode} {} {} {:x} {:x}",
        since.as_secs(),
        since.subsec_nanos(),
        hasher.seed,
        hasher.check()
    );
    fn line_path(path: &Path) -> Option<&str> {
        path.to_str().filter(|p| !p.contains(['\n', '\r']))
    }
    for (path, stamp) in folders {
        let path = line_path(path)?;
        match stamp {
            Some(s) => {
                let _ = writeln!(
                    text,
                    "d {} {} {} {} {} {path}",
                    s.inode, s.modified.0, s.modified.1, s.changed.0, s.changed.1
                );
            }
            None => {
                let _ = writeln!(text, "D {path}");
            }
        }
    }
    for (path, record) in files {
        let path = line_path(path)?;
        match record {
            Some(FileRecord { stamp: s, hash }) => {
                let _ = writeln!(
                    text,
                    "f {} {} {} {} {} {} {hash:x} {path}",
                    s.inode, s.size, s.modified.0, s.modified.1, s.changed.0, s.changed.1
                );
            }
            None => {
                let _ = writeln!(text, "F {path}");
            }
        }
    }
    let lines = text.lines().count();
    let sum = hasher.hash(text.as_bytes());
    let _ = writeln!(text, "end {lines} {sum:x}");
    Some(text)
}

/// Parses a manifest; returns the inode number of the folder it describes. Any line
/// that does not parse, or an end line that does not match the text before it (a write
/// cut short), sets the whole manifest aside.
fn parse(text: &str) -> Option<(u64, Manifest)> {
    let body_end = text.trim_end_matches('\n').rfind('\n')? + 1;
    let (body, end) = text.split_at(body_end);
    let mut lines = body.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut head = lines.next()?.strip_prefix("folder ")?.split(' ');
    let folder_inode: u64 = head.next()?.parse().ok()?;
    let written =
        UNIX_EPOCH + Duration::new(head.next()?.parse().ok()?, head.next()?.parse().ok()?);
    let hasher = ContentHasher::new(u64::from_str_radix(head.next()?, 16).ok()?);
    if u64::from_str_radix(head.next()?, 16).ok()? != hasher.check() {
        return None;
    }
    let mut tail = end.trim_end_matches('\n').strip_prefix("end ")?.split(' ');
    let count: usize = tail.next()?.parse().ok()?;
    let sum = u64::from_str_radix(tail.next()?, 16).ok()?;
    if count != body.lines().count() || sum != hasher.hash(body.as_bytes()) {
        return None;
    }
    let mut manifest = Manifest {
        hasher,
        written,
        folders: HashMap::new(),
        files: HashMap::new(),
        children: HashMap::new(),
    };
    for line in lines {
        let (kind, rest) = line.split_once(' ')?;
        let (path, is_folder) = match kind {
            "d" => {
                let mut fields = rest.splitn(6, ' ');
                let mut number = || fields.next()?.parse::<i64>().ok();
                let stamp = Stamp {
                    inode: u64::try_from(number()?).ok()?,
                    size: 0,
                    modified: (number()?, number()?),
                    changed: (number()?, number()?),
                };
                let path = PathBuf::from(fields.next()?);
                manifest.folders.insert(path.clone(), Some(stamp));
                (path, true)
            }
            "D" => {
                let path = PathBuf::from(rest);
                manifest.folders.insert(path.clone(), None);
                (path, true)
            }
            "f" => {
                let mut fields = rest.splitn(8, ' ');
                let mut number = || fields.next()?.parse::<i64>().ok();
                let inode = u64::try_from(number()?).ok()?;
                let size = u64::try_from(number()?).ok()?;
                let modified = (number()?, number()?);
                let changed = (number()?, number()?);
                let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
                let path = PathBuf::from(fields.next()?);
                let stamp = Stamp {
                    inode,
                    size,
                    modified,
                    changed,
                };
                manifest
                    .files
                    .insert(path.clone(), Some(FileRecord { stamp, hash }));
                (path, false)
            }
            "F" => {
                let path = PathBuf::from(rest);
                manifest.files.insert(path.clone(), None);
                (path, false)
            }
            _ => return None,
        };
        // The root folder is the empty path, and is nobody's entry.
        if let Some(parent) = path.parent() {
            manifest
                .children
                .entry(parent.to_path_buf())
                .or_default()
                .push((path, is_folder));
        }
    }
    Some((folder_inode, manifest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later(seconds: u64) -> SystemTime {
        SystemTime::now() + Duration::from_secs(seconds)
    }

    #[test]
    fn a_manifest_reads_back_what_was_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a b");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("index.html"), "page").unwrap();
        std::fs::write(dir.path().join("copied.png"), "png").unwrap();
        let hasher = ContentHasher::random();
        let meta = |p: &Path| std::fs::symlink_metadata(p).unwrap();
        let folders = vec![
            (PathBuf::new(), Stamp::of(&meta(dir.path()))),
            (PathBuf::from("a b"), Stamp::of(&meta(&sub))),
        ];
        let page = meta(&sub.join("index.html"));
        let files = HashMap::from([
            (
                PathBuf::from("a b/index.html"),
                FileRecord::new(&page, hasher.hash(b"page")),
            ),
            (PathBuf::from("copied.png"), None),
        ]);
        let text = render(&hasher, &meta(dir.path()), later(1), &folders, &files).unwrap();
        let (inode, manifest) = parse(&text).unwrap();
        assert_eq!(Some(inode), Stamp::of(&meta(dir.path())).map(|s| s.inode));
        assert_eq!(manifest.files, files);
        let mut root = manifest
            .unchanged_entries(Path::new(""), &meta(dir.path()))
            .unwrap()
            .to_vec();
        root.sort();
        assert_eq!(
            root,
            vec![
                (PathBuf::from("a b"), true),
                (PathBuf::from("copied.png"), false)
            ]
        );
        assert!(manifest.holds_unchanged(Path::new("a b/index.html"), &page, hasher.hash(b"page")));
        assert!(
            !manifest.holds_unchanged(Path::new("a b/index.html"), &page, hasher.hash(b"pagf")),
            "new contents with another hash are written"
        );
        assert!(
            !manifest.holds_unchanged(
                Path::new("copied.png"),
                &meta(&dir.path().join("copied.png")),
                hasher.hash(b"png")
            ),
            "a file recorded without a stamp is read"
        );

        // Damaged or cut short: set aside whole.
        assert!(parse(&text.replace("index.html", "index.htm")).is_none());
        assert!(parse(&text[..text.len() - 30]).is_none());
        assert!(parse("").is_none());
    }

    #[test]
    fn a_file_changed_after_the_manifest_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, "one").unwrap();
        let hasher = ContentHasher::random();
        let before = std::fs::symlink_metadata(&path).unwrap();
        let files = HashMap::from([(
            PathBuf::from("page.html"),
            FileRecord::new(&before, hasher.hash(b"one")),
        )]);
        let folders = vec![(
            PathBuf::new(),
            Stamp::of(&std::fs::symlink_metadata(dir.path()).unwrap()),
        )];
        let root = std::fs::symlink_metadata(dir.path()).unwrap();
        let text = render(&hasher, &root, later(1), &folders, &files).unwrap();
        let (_, manifest) = parse(&text).unwrap();
        assert!(manifest.holds_unchanged(Path::new("page.html"), &before, hasher.hash(b"one")));

        // Same size, other bytes, the modification time put back: the change time moved.
        let modified = before.modified().unwrap();
        std::fs::write(&path, "two").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let after = std::fs::symlink_metadata(&path).unwrap();
        assert!(!manifest.holds_unchanged(Path::new("page.html"), &after, hasher.hash(b"one")));

        // A file added to the folder: its entries are listed again.
        std::fs::write(dir.path().join("extra.html"), "x").unwrap();
        let root_now = std::fs::symlink_metadata(dir.path()).unwrap();
        assert!(
            manifest
                .unchanged_entries(Path::new(""), &root_now)
                .is_none()
        );
    }

    #[test]
    fn a_stamp_taken_just_before_the_manifest_is_not_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, "one").unwrap();
        let stamp = Stamp::of(&std::fs::symlink_metadata(&path).unwrap()).unwrap();
        assert!(
            !stamp.settled(SystemTime::now()),
            "changed within the margin"
        );
        assert!(stamp.settled(later(5)));
        let coarse = Stamp {
            modified: (stamp.modified.0, 0),
            changed: (stamp.changed.0, 0),
            ..stamp
        };
        assert!(
            !coarse.settled(SystemTime::now() + Duration::from_secs(1)),
            "whole seconds"
        );
    }
}
