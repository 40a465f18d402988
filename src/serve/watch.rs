//! Watching the site's sources: `site.yml`, `content/`, `templates/` and `static/`, with a
//! short debounce so that one save (often several events, or a write then a rename)
//! makes one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use super::ServeError;
use super::rebuild::Changes;
use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;
use crate::output::STATIC_DIR;
use crate::render::TEMPLATES_DIR;

/// Quiet time after the last event before rebuilding, with the platform's own events.
/// One save's events (a write and its close, or a temporary file renamed into place)
/// come within a millisecond or two of each other; 15 ms folds them together while
/// adding little to edit-to-reload.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// The same for `--poll`, whose events arrive only at each poll: the poll interval
/// dominates, and a longer quiet time folds a save split across two polls' scans.
const POLL_DEBOUNCE: Duration = Duration::from_millis(50);

/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// The source folders, watched recursively.
const SOURCE_DIRS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR];

enum Message {
    Events(DebounceEventResult),
    Stop,
}

/// Either kind of debounced watcher; both are driven the same way.
enum AnyDebouncer {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

impl AnyDebouncer {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            AnyDebouncer::Native(debouncer) => debouncer.watch(path, mode),
            AnyDebouncer::Polling(debouncer) => debouncer.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            AnyDebouncer::Native(debouncer) => debouncer.unwatch(path),
            AnyDebouncer::Polling(debouncer) => debouncer.unwatch(path),
        }
    }
}

/// Watches a site and sends [`Changes`] to the rebuild thread until dropped.
pub(crate) struct SourceWatcher {
    stop: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

impl SourceWatcher {
    /// Starts watching `root` (canonical), natively or by polling.
    pub fn start(
        root: &Path,
        poll: bool,
        changes: Sender<Changes>,
    ) -> Result<SourceWatcher, ServeError> {
        let (sender, messages) = mpsc::channel();
        let events = sender.clone();
        let handler = move |result: DebounceEventResult| {
            let _ = events.send(Message::Events(result));
        };
        let watch_error = |path: &Path, error: notify::Error| ServeError::Watch {
            path: path.to_path_buf(),
            message: error.to_string(),
        };
        let mut debouncer = if poll {
            // The poller keeps modification times to the second only; comparing contents
            // catches two saves within one second.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            AnyDebouncer::Polling(
                new_debouncer_opt(POLL_DEBOUNCE, None, handler, NoCache, config)
                    .map_err(|e| watch_error(root, e))?,
            )
        } else {
            AnyDebouncer::Native(
                new_debouncer_opt(
                    DEBOUNCE,
                    None,
                    handler,
                    RecommendedCache::new(),
                    notify::Config::default(),
                )
                .map_err(|e| watch_error(root, e))?,
            )
        };
        // The root itself only for site.yml and for source folders that appear later.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, e))?;
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(&path, e))?;
            }
        }
        let root = root.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("verbatim-watch".into())
            .spawn(move || forward(debouncer, &root, messages, &changes))
            .map_err(ServeError::Start)?;
        Ok(SourceWatcher {
            stop: sender,
            thread: Some(thread),
        })
    }
}

impl Drop for SourceWatcher {
    fn drop(&mut self) {
        let _ = self.stop.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Turns debounced events into [`Changes`], and watches source folders created (or
/// re-created, as `git checkout` does) while serving.
fn forward(
    mut debouncer: AnyDebouncer,
    root: &Path,
    messages: Receiver<Message>,
    changes: &Sender<Changes>,
) {
    while let Ok(Message::Events(result)) = messages.recv() {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for error in errors {
                    eprintln!("warning: file watching: {error}");
                }
                continue;
            }
        };
        // Reading a file is an event too; the rebuild's own reads must not start another.
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|event| !event.kind.is_access())
            .flat_map(|event| event.event.paths)
            .collect();
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if paths.contains(&path) && path.is_dir() {
                let _ = debouncer.unwatch(&path);
                if let Err(error) = debouncer.watch(&path, RecursiveMode::Recursive) {
                    eprintln!("warning: {}: cannot watch: {error}", path.display());
                }
            }
        }
        let batch = classify(root, &paths);
        if !batch.is_empty() && changes.send(batch).is_err() {
            return;
        }
    }
}

/// Sorts changed paths by the source they belong to, ignoring editors' temporary files
/// and anything outside the sources (such as `public/`).
fn classify(root: &Path, paths: &[PathBuf]) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        // Hidden files and folders are not part of the site (`content::load` skips them).
        let hidden = relative
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if hidden || is_editor_scratch(relative) {
            continue;
        }
        let mut components = relative.components();
        let Some(first) = components.next() else {
            continue;
        };
        let nested = components.next().is_some();
        let first = first.as_os_str();
        if first == CONFIG_FILE && !nested {
            changes.config = true;
        } else if first == CONTENT_DIR {
            // Folders (renamed or removed) and Markdown files; not images beside them.
            if relative.extension().is_none_or(|x| x == "md") {
                changes.content.insert(relative.to_path_buf());
            }
        } else if first == TEMPLATES_DIR {
            changes.templates = true;
        } else if first == STATIC_DIR {
            changes.static_files.insert(relative.to_path_buf());
        }
    }
    changes
}

/// Swap, backup and lock files that editors write beside the file being saved.
fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes_by_source_and_skips_scratch_files() {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = [
            "/site/content/a.md",
            "/site/content/.a.md.swp",
            "/site/content/.drafts/b.md",
            "/site/content/a.md~",
            "/site/content/photo.jpg",
            "/site/templates/base.html",
            "/site/static/style.css",
            "/site/public/index.html",
            "/elsewhere/site.yml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let changes = classify(root, &paths);
        assert!(!changes.config);
        assert!(changes.templates);
        let content: Vec<_> = changes.content.iter().collect();
        assert_eq!(content, [Path::new("content/a.md")]);
        assert!(changes.static_files.contains(Path::new("static/style.css")));
        assert_eq!(changes.static_files.len(), 1);
        assert!(classify(root, &[PathBuf::from("/site/site.yml")]).config);
    }
}
