//! What the server answers from: the last good site in memory, the current build error,
//! and the channel that tells open pages to reload.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use tokio::sync::broadcast;

use crate::render::OutputFile;

/// One file ready to send.
#[derive(Debug)]
pub(crate) struct ServedFile {
    pub contents: Bytes,
    /// A hash of the contents, for `ETag` and conditional GET.
    pub hash: u64,
}

impl ServedFile {
    fn new(contents: Vec<u8>) -> Arc<ServedFile> {
        let mut hasher = std::hash::DefaultHasher::new();
        contents.hash(&mut hasher);
        Arc::new(ServedFile {
            contents: Bytes::from(contents),
            hash: hasher.finish(),
        })
    }
}

/// Files by output path (`tags/a/index.html`), in the layers `verbatim build` writes:
/// generated files, then the search index, then rendered pages, then the site's
/// `static/`, each replacing the one before.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteFiles {
    pub generated: HashMap<String, Arc<ServedFile>>,
    /// Files beside articles under `content/`.
    pub media: HashMap<String, Arc<ServedFile>>,
    pub rendered: HashMap<String, Arc<ServedFile>>,
    pub site_static: HashMap<String, Arc<ServedFile>>,
    /// The search index, made again whenever the articles change.
    pub search: HashMap<String, Arc<ServedFile>>,
}

impl SiteFiles {
    pub fn get(&self, path: &str) -> Option<&Arc<ServedFile>> {
        self.site_static
            .get(path)
            .or_else(|| self.rendered.get(path))
            .or_else(|| self.search.get(path))
            .or_else(|| self.media.get(path))
            .or_else(|| self.generated.get(path))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }
}

/// Hashes and indexes rendered files, for [`SiteFiles`].
pub(crate) fn index(files: Vec<OutputFile>) -> HashMap<String, Arc<ServedFile>> {
    files
        .into_iter()
        .map(|file| (file.path, ServedFile::new(file.contents)))
        .collect()
}

/// The state of the preview at one moment.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// The last site that built; empty until one has.
    pub files: SiteFiles,
    /// Whether any build has succeeded yet.
    pub has_site: bool,
    /// `base_url`'s path (`/` or `/archive/`); the site is served under it.
    pub base_path: String,
    /// The generation whose articles the search index was made from (it may lag
    /// behind `generation` while the preview makes it again).
    pub search_generation: u64,
    /// Counts rebuild attempts, so a page can tell it missed one.
    pub generation: u64,
    /// The last rebuild's error, until a rebuild succeeds.
    pub error: Option<String>,
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub(crate) enum LiveEvent {
    /// The site changed: reload the page.
    Reload { generation: u64 },
    /// Only stylesheets changed: fetch them again, keep the page.
    Stylesheets { generation: u64 },
    /// The rebuild failed: show the error over the page.
    Failed { message: String },
    /// A newer search index is served: a search page showing results of an older one
    /// runs its query again.
    Search { generation: u64 },
}

/// State shared by the rebuild thread (the only writer) and the HTTP handlers.
pub(crate) struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    pub events: broadcast::Sender<LiveEvent>,
}

impl Shared {
    pub fn new(events: broadcast::Sender<LiveEvent>) -> Shared {
        Shared {
            snapshot: RwLock::new(Arc::new(Snapshot {
                base_path: "/".into(),
                ..Snapshot::default()
            })),
            events,
        }
    }

    /// The snapshot to answer one request from.
    pub fn current(&self) -> Arc<Snapshot> {
        // A panic while holding the lock cannot leave a half-written snapshot: it is
        // replaced whole, so a poisoned lock still holds a consistent value.
        match self.snapshot.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Serves `search`, made from the articles of `generation`, as the search index,
    /// unless a newer one is served already, then tells open pages: only a search page
    /// acts on it, since no other shows what the index holds.
    pub fn replace_search(&self, generation: u64, search: HashMap<String, Arc<ServedFile>>) {
        let mut guard = match self.snapshot.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if generation <= guard.search_generation {
            return;
        }
        let mut files = guard.files.clone();
        files.search = search;
        *guard = Arc::new(Snapshot {
            files,
            search_generation: generation,
            base_path: guard.base_path.clone(),
            error: guard.error.clone(),
            ..**guard
        });
        drop(guard);
        // No open page is not an error.
        let _ = self.events.send(LiveEvent::Search { generation });
    }

    /// [`Shared::publish`], keeping the search index served now: for a snapshot whose
    /// own index would be older.
    pub fn publish_keeping_search(&self, mut snapshot: Snapshot, event: LiveEvent) {
        let mut guard = match self.snapshot.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        snapshot.files.search = guard.files.search.clone();
        snapshot.search_generation = guard.search_generation;
        *guard = Arc::new(snapshot);
        drop(guard);
        let _ = self.events.send(event);
    }

    /// Publishes a new snapshot, then tells open pages.
    pub fn publish(&self, snapshot: Snapshot, event: LiveEvent) {
        match self.snapshot.write() {
            Ok(mut guard) => *guard = Arc::new(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(snapshot),
        }
        // No open page is not an error.
        let _ = self.events.send(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search_of(text: &str) -> HashMap<String, Arc<ServedFile>> {
        index(vec![OutputFile {
            path: "search/index.json".into(),
            contents: text.as_bytes().to_vec(),
        }])
    }

    fn served_search(shared: &Shared) -> String {
        let snapshot = shared.current();
        let file = snapshot
            .files
            .search
            .get("search/index.json")
            .expect("index");
        String::from_utf8(file.contents.to_vec()).expect("UTF-8")
    }

    #[test]
    fn an_older_search_index_never_replaces_a_newer_one() {
        let (events, _) = broadcast::channel(4);
        let shared = Shared::new(events);
        shared.replace_search(3, search_of("three"));
        shared.replace_search(2, search_of("two"));
        assert_eq!(served_search(&shared), "three");
        shared.replace_search(4, search_of("four"));
        assert_eq!(served_search(&shared), "four");
    }

    #[test]
    fn a_new_index_is_announced_and_an_older_one_is_not() {
        let (events, mut receiver) = broadcast::channel(4);
        let shared = Shared::new(events);
        shared.replace_search(3, search_of("three"));
        shared.replace_search(2, search_of("two"));
        assert!(matches!(
            receiver.try_recv(),
            Ok(LiveEvent::Search { generation: 3 })
        ));
        assert!(
            receiver.try_recv().is_err(),
            "the older index is not served"
        );
    }

    #[test]
    fn a_publish_with_a_stale_index_keeps_the_one_served() {
        let (events, _) = broadcast::channel(4);
        let shared = Shared::new(events);
        shared.replace_search(5, search_of("five"));
        let files = SiteFiles {
            search: search_of("old"),
            ..SiteFiles::default()
        };
        shared.publish_keeping_search(
            Snapshot {
                files,
                generation: 6,
                ..Snapshot::default()
            },
            LiveEvent::Reload { generation: 6 },
        );
        assert_eq!(served_search(&shared), "five");
        assert_eq!(shared.current().generation, 6);
    }
}
