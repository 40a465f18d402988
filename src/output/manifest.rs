//! What a build left in an output folder, kept beside it (never inside, so it is not
//! published): each folder's and each file's identity and times as the build last saw
//! them, and each file's content hash. When the folder is reused as a later build's
//! staging folder, a file whose identity, size and times are unchanged and whose new
//! contents hash the same is skipped without being read, and a folder whose identity and
//! times are unchanged is not listed: its entries are the ones recorded. Anything that
//! differs, or that was recorded too close to the manifest's own time to be sure of
//! (see [`Stamp::settled`]), takes the slow path: the byte compare and the listing.

use std::collections::{HashMap, HashSet};
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
///
/// Times are held as nanoseconds since 1970 (a build holds one stamp for each of its
/// files, a quarter of a million at 100,000 articles); a time that does not fit (past
/// the year 2262) gives no stamp, and its file takes the slow path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    inode: u64,
    size: u64,
    modified: i64,
    changed: i64,
}

const NANOS: i64 = 1_000_000_000;

/// A time given as seconds and nanoseconds, in nanoseconds.
fn nanos(seconds: i64, nanoseconds: i64) -> Option<i64> {
    seconds.checked_mul(NANOS)?.checked_add(nanoseconds)
}

/// Nanoseconds as the seconds and nanoseconds a manifest line writes.
fn split(nanos: i64) -> (i64, i64) {
    (nanos.div_euclid(NANOS), nanos.rem_euclid(NANOS))
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
                modified: nanos(meta.mtime(), meta.mtime_nsec())?,
                changed: nanos(meta.ctime(), meta.ctime_nsec())?,
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
        let coarse = self.changed % NANOS == 0 && self.modified % NANOS == 0;
        let margin = if coarse { COARSE_MARGIN } else { FINE_MARGIN };
        let Ok(changed) = u64::try_from(self.changed) else {
            return false;
        };
        UNIX_EPOCH + Duration::from_nanos(changed) + margin < written
    }
}

/// Files' records by the hash of their paths ([`ContentHasher::path_key`]): the paths
/// themselves are not needed to look a file up, and an archive of 100,000 articles has
/// a quarter of a million files. Two paths of the same hash cannot mislead: a record is
/// trusted only for the file whose identity (its inode) and times it holds. The last
/// record given for a key wins; `None` says a file has none (a copied file).
#[derive(Debug, Default)]
pub struct FileRecords {
    entries: Vec<(u64, Option<FileRecord>)>,
}

impl FileRecords {
    /// Adds the record of the file whose path has the key `key`.
    pub fn push(&mut self, key: u64, record: Option<FileRecord>) {
        self.entries.push((key, record));
    }

    /// Orders the records for [`FileRecords::get`], keeping the order of each key's.
    pub fn sort(&mut self) {
        self.entries.sort_by_key(|entry| entry.0);
    }

    /// The last record given for `key`, once sorted.
    pub fn get(&self, key: u64) -> Option<FileRecord> {
        let after = self.entries.partition_point(|entry| entry.0 <= key);
        let (found, record) = *self.entries.get(after.checked_sub(1)?)?;
        if found == key { record } else { None }
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

    /// The key [`FileRecords`] hold the record of the file at `relative` under.
    pub fn path_key(&self, relative: &Path) -> u64 {
        self.hash(relative.as_os_str().as_encoded_bytes())
    }

    /// A known value, stored in the manifest: if the hash function ever changes (a new
    /// version of it), the value differs and the manifest is set aside.
    fn check(&self) -> u64 {
        self.hash(HEADER.as_bytes())
    }
}

/// One output folder's manifest, as read back by the build that reuses the folder: the
/// records of its files, held for the whole build. Its folders' records are needed only
/// by the pruning at the end ([`Manifest::folders`]), so they are read then, after the
/// listings, rather than held beside them (a large archive's peak memory).
#[derive(Debug)]
pub struct Manifest {
    hasher: ContentHasher,
    written: SystemTime,
    /// Each file's record.
    files: FileRecords,
    /// Where it was read from, and the folder it describes.
    path: PathBuf,
    folder_inode: u64,
}

/// The folders a manifest records: each one's stamp and entries.
#[derive(Debug)]
pub struct Folders {
    written: SystemTime,
    stamps: HashMap<PathBuf, Option<Stamp>>,
    children: HashMap<PathBuf, Vec<(PathBuf, bool)>>,
}

impl Manifest {
    /// Reads the manifest at `path` if it describes `folder` (by its inode number);
    /// `None` when it is missing, damaged or about another folder.
    pub fn read(path: &Path, folder: &Metadata) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let parsed = parse(&text, Wanted::Files)?;
        let folder_inode = Stamp::of(folder)?.inode;
        (parsed.folder_inode == folder_inode).then(|| Manifest {
            hasher: parsed.hasher,
            written: parsed.written,
            files: parsed.files,
            path: path.to_path_buf(),
            folder_inode,
        })
    }

    /// The hasher whose hashes this manifest holds.
    pub fn hasher(&self) -> &ContentHasher {
        &self.hasher
    }

    /// Whether the file at `relative`, whose metadata is `meta`, still holds the contents
    /// recorded, and those hash to `hash`: then it need not be read.
    pub fn holds_unchanged(&self, relative: &Path, meta: &Metadata, hash: u64) -> bool {
        let Some(record) = self.files.get(self.hasher.path_key(relative)) else {
            return false;
        };
        record.hash == hash
            && Stamp::of(meta) == Some(record.stamp)
            && record.stamp.settled(self.written)
    }

    /// The records of the folders, read again from the same file (the build holds the
    /// output's lock, so it is the one read at the start); `None` if it changed since.
    pub fn folders(&self) -> Option<Folders> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let parsed = parse(&text, Wanted::Folders)?;
        (parsed.folder_inode == self.folder_inode
            && parsed.written == self.written
            && parsed.hasher.seed == self.hasher.seed)
            .then_some(parsed.folders)
    }
}

impl Folders {
    /// The entries (relative paths, and whether each is a folder) of the folder at
    /// `relative`, whose metadata is `meta`, if its entries are the ones recorded.
    pub fn unchanged_entries(
        &self,
        relative: &Path,
        meta: &Metadata,
    ) -> Option<&[(PathBuf, bool)]> {
        let recorded = (*self.stamps.get(relative)?)?;
        if Stamp::of(meta) != Some(recorded) || !recorded.settled(self.written) {
            return None;
        }
        Some(self.children.get(relative).map_or(&[], Vec::as_slice))
    }
}

/// The manifest of the folder whose inode number is `folder_inode`, holding `folders`
/// and `files` (paths relative to it, their records in `records` under their
/// [`ContentHasher::path_key`]), as text; `None` if a path cannot be written on a
/// line of its own (not UTF-8, or holding a line break), or the folder has no stamp.
pub fn render(
    hasher: &ContentHasher,
    folder: &Metadata,
    written: SystemTime,
    folders: &[(PathBuf, Option<Stamp>)],
    files: &HashSet<PathBuf>,
    records: &FileRecords,
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
                let (modified, changed) = (split(s.modified), split(s.changed));
                let _ = writeln!(
                    text,
                    "d {} {} {} {} {} {path}",
                    s.inode, modified.0, modified.1, changed.0, changed.1
                );
            }
            None => {
                let _ = writeln!(text, "D {path}");
            }
        }
    }
    for path in files {
        let record = records.get(hasher.path_key(path));
        let path = line_path(path)?;
        match record {
            Some(FileRecord { stamp: s, hash }) => {
                let (modified, changed) = (split(s.modified), split(s.changed));
                let _ = writeln!(
                    text,
                    "f {} {} {} {} {} {} {hash:x} {path}",
                    s.inode, s.size, modified.0, modified.1, changed.0, changed.1
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

/// Parses a manifest, keeping the records `wanted` asks for. Any line that does not
/// parse, or an end line that does not match the text before it (a write
/// cut short), sets the whole manifest aside.
fn parse(text: &str, wanted: Wanted) -> Option<Parsed> {
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
    let mut files = FileRecords::default();
    let mut folders = Folders {
        written,
        stamps: HashMap::new(),
        children: HashMap::new(),
    };
    for line in lines {
        let (kind, rest) = line.split_once(' ')?;
        let (path, is_folder) = match kind {
            "d" | "D" => {
                let (stamp, path) = if kind == "d" {
                    let mut fields = rest.splitn(6, ' ');
                    let mut number = || fields.next()?.parse::<i64>().ok();
                    let stamp = Stamp {
                        inode: u64::try_from(number()?).ok()?,
                        size: 0,
                        modified: nanos(number()?, number()?)?,
                        changed: nanos(number()?, number()?)?,
                    };
                    (Some(stamp), fields.next()?)
                } else {
                    (None, rest)
                };
                if wanted == Wanted::Folders {
                    folders.stamps.insert(PathBuf::from(path), stamp);
                }
                (path, true)
            }
            "f" => {
                let mut fields = rest.splitn(8, ' ');
                let mut number = || fields.next()?.parse::<i64>().ok();
                let inode = u64::try_from(number()?).ok()?;
                let size = u64::try_from(number()?).ok()?;
                let modified = nanos(number()?, number()?)?;
                let changed = nanos(number()?, number()?)?;
                let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
                let path = fields.next()?;
                if wanted == Wanted::Files {
                    let stamp = Stamp {
                        inode,
                        size,
                        modified,
                        changed,
                    };
                    let record = FileRecord { stamp, hash };
                    files.push(hasher.path_key(Path::new(path)), Some(record));
                }
                (path, false)
            }
            "F" => (rest, false),
            _ => return None,
        };
        // The root folder is the empty path, and is nobody's entry.
        if wanted == Wanted::Folders
            && let Some(parent) = Path::new(path).parent()
        {
            folders
                .children
                .entry(parent.to_path_buf())
                .or_default()
                .push((PathBuf::from(path), is_folder));
        }
    }
    files.sort();
    Some(Parsed {
        folder_inode,
        written,
        hasher,
        files,
        folders,
    })
}

/// Which records [`parse`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Files,
    Folders,
}

/// A manifest's text, checked and read.
struct Parsed {
    folder_inode: u64,
    written: SystemTime,
    hasher: ContentHasher,
    /// The files' records (when [`Wanted::Files`]).
    files: FileRecords,
    /// The folders' records (when [`Wanted::Folders`]).
    folders: Folders,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later(seconds: u64) -> SystemTime {
        SystemTime::now() + Duration::from_secs(seconds)
    }

    /// The inode, the file records and the folder records of a manifest's text, as a
    /// build reads them (the folders at the end, from the same text).
    fn read_back(text: &str) -> Option<(u64, Manifest, Folders)> {
        let files = parse(text, Wanted::Files)?;
        let folders = parse(text, Wanted::Folders)?;
        let manifest = Manifest {
            hasher: files.hasher,
            written: files.written,
            files: files.files,
            path: PathBuf::new(),
            folder_inode: files.folder_inode,
        };
        Some((files.folder_inode, manifest, folders.folders))
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
        let files = HashSet::from([PathBuf::from("a b/index.html"), PathBuf::from("copied.png")]);
        let mut records = FileRecords::default();
        // A generated file replaced by a copy: the copy's record (none) wins.
        for (path, record) in [
            ("copied.png", FileRecord::new(&page, hasher.hash(b"png"))),
            (
                "a b/index.html",
                FileRecord::new(&page, hasher.hash(b"page")),
            ),
            ("copied.png", None),
        ] {
            records.push(hasher.path_key(Path::new(path)), record);
        }
        records.sort();
        let text = render(
            &hasher,
            &meta(dir.path()),
            later(1),
            &folders,
            &files,
            &records,
        )
        .unwrap();
        assert!(text.contains("\nF copied.png\n"), "{text}");
        let (inode, manifest, folders) = read_back(&text).unwrap();
        assert_eq!(Some(inode), Stamp::of(&meta(dir.path())).map(|s| s.inode));
        let mut root = folders
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
        assert!(read_back(&text.replace("index.html", "index.htm")).is_none());
        assert!(read_back(&text[..text.len() - 30]).is_none());
        assert!(read_back("").is_none());
    }

    #[test]
    fn a_file_changed_after_the_manifest_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, "one").unwrap();
        let hasher = ContentHasher::random();
        let before = std::fs::symlink_metadata(&path).unwrap();
        let files = HashSet::from([PathBuf::from("page.html")]);
        let mut records = FileRecords::default();
        records.push(
            hasher.path_key(Path::new("page.html")),
            FileRecord::new(&before, hasher.hash(b"one")),
        );
        let folders = vec![(
            PathBuf::new(),
            Stamp::of(&std::fs::symlink_metadata(dir.path()).unwrap()),
        )];
        let root = std::fs::symlink_metadata(dir.path()).unwrap();
        let text = render(&hasher, &root, later(1), &folders, &files, &records).unwrap();
        let (_, manifest, folders) = read_back(&text).unwrap();
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
            folders
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
            modified: stamp.modified - stamp.modified % NANOS,
            changed: stamp.changed - stamp.changed % NANOS,
            ..stamp
        };
        assert!(
            !coarse.settled(SystemTime::now() + Duration::from_secs(1)),
            "whole seconds"
        );
    }
}
