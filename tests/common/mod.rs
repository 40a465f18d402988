//! Helpers for integration tests: small sites in temporary folders.

#![allow(dead_code)]

pub mod browser;

use std::path::{Path, PathBuf};

/// A site in a temporary folder, removed when dropped.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site folder.
    pub fn new() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the root, creating folders.
    pub fn write(&self, relative: &str, text: &str) -> &TestSite {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
        std::fs::write(&path, text).expect("write file");
        self
    }

    /// Writes an article with the given extra front-matter lines and body.
    pub fn article(
        &self,
        relative: &str,
        title: &str,
        date: &str,
        front: &str,
        body: &str,
    ) -> &TestSite {
        let text = format!("---\ntitle: {title:?}\ndate: {date}\n{front}---\n{body}");
        self.write(&format!("content/{relative}"), &text)
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Reads an output file.
    pub fn read(&self, relative: &str) -> String {
        let path = self.public().join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Builds with the library.
    pub fn build(&self) -> Result<verbatim::BuildSummary, verbatim::BuildError> {
        verbatim::build(self.root(), &verbatim::BuildOptions::default())
    }

    /// Runs the `verbatim` binary with `args` in the site folder.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run verbatim")
    }
}

/// Every file under `dir`, relative, sorted.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("under dir").to_path_buf())
        .collect();
    files.sort();
    files
}

/// The repository's own sample archive (content/, site.yml, templates/, static/).
pub fn sample_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Browser names looked for on the `PATH`.
const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome"];

/// The Chromium for browser tests: `$VERBATIM_CHROMIUM`, else the first on the `PATH`.
///
/// Without one, a browser test prints "skipped: no Chromium found" on stderr and passes
/// (call this first and return on `None`), so `cargo test` works on any machine; CI sets
/// `VERBATIM_REQUIRE_BROWSER=1`, which turns a missing browser into a failure.
pub fn chromium_or_skip() -> Option<PathBuf> {
    let found = match std::env::var_os("VERBATIM_CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)),
        None => std::env::var_os("PATH").and_then(|search| {
            std::env::split_paths(&search)
                .flat_map(|dir| CHROMIUM_NAMES.iter().map(move |name| dir.join(name)))
                .find(|candidate| candidate.is_file())
        }),
    };
    if found.is_none() {
        assert!(
            std::env::var_os("VERBATIM_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "VERBATIM_REQUIRE_BROWSER=1 but no Chromium found (looked for {CHROMIUM_NAMES:?} on PATH and $VERBATIM_CHROMIUM); install it with .ci/install-browser"
        );
        say_past_capture(&format!(
            "skipped: no Chromium found (looked for {CHROMIUM_NAMES:?} on PATH and $VERBATIM_CHROMIUM)"
        ));
    }
    found
}

/// Prints a line on the process's stderr past the test harness's capture, so a plain
/// `cargo test` shows it (the harness captures `eprintln!`).
fn say_past_capture(line: &str) {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::fd::BorrowedFd;
        // SAFETY: descriptor 2 is open for the whole life of the process.
        let stderr = unsafe { BorrowedFd::borrow_raw(2) };
        if let Ok(owned) = stderr.try_clone_to_owned() {
            let mut file = std::fs::File::from(owned);
            if writeln!(file, "{line}").is_ok() {
                return;
            }
        }
    }
    eprintln!("{line}");
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests of external link checks: each request
/// is answered on its own thread by `answer(path) -> (status, delay)`, and every
/// request's path, method and arrival time is recorded.
pub struct LocalServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<(String, String, std::time::Instant)>>>,
}

impl LocalServer {
    /// Starts the server; it lives until the test process ends.
    pub fn start(answer: fn(&str) -> (u16, std::time::Duration)) -> LocalServer {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().filter_map(Result::ok) {
                let log = log.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(&stream);
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).is_err() {
                        return;
                    }
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        line.clear();
                    }
                    let mut parts = request_line.split_whitespace();
                    let method = parts.next().unwrap_or_default().to_string();
                    let path = parts.next().unwrap_or_default().to_string();
                    log.lock().expect("request log").push((
                        method,
                        path.clone(),
                        std::time::Instant::now(),
                    ));
                    let (status, delay) = answer(&path);
                    std::thread::sleep(delay);
                    let response = format!(
                        "HTTP/1.1 {status} Status\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    );
                    let _ = (&stream).write_all(response.as_bytes());
                });
            }
        });
        LocalServer { base, requests }
    }

    /// The requests so far for paths starting with `prefix`: method, path, arrival.
    pub fn requests(&self, prefix: &str) -> Vec<(String, String, std::time::Instant)> {
        let mut found: Vec<_> = self
            .requests
            .lock()
            .expect("request log")
            .iter()
            .filter(|(_, path, _)| path.starts_with(prefix))
            .cloned()
            .collect();
        found.sort_by_key(|(_, _, at)| *at);
        found
    }
}

/// The first bytes of a PNG of `width` × `height` pixels: enough for a reader of image
/// headers, which is what the build looks at.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

impl TestSite {
    /// Writes a binary file under the root, creating folders.
    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) -> &TestSite {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
        std::fs::write(&path, bytes).expect("write file");
        self
    }

    /// Whether an output file exists.
    pub fn has(&self, relative: &str) -> bool {
        self.public().join(relative).is_file()
    }
}

/// A fingerprint of everything under `dir` (names, kinds, file bytes, link targets), to
/// show that a failed build left a folder exactly as it was. Empty for a missing folder.
pub fn tree_hash(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    entries.sort_by(|a, b| a.path().cmp(b.path()));
    for entry in entries {
        entry.path().strip_prefix(dir).ok().hash(&mut hasher);
        let kind = entry.file_type();
        if kind.is_symlink() {
            std::fs::read_link(entry.path()).ok().hash(&mut hasher);
        } else if kind.is_file() {
            std::fs::read(entry.path()).ok().hash(&mut hasher);
        } else {
            "folder".hash(&mut hasher);
        }
    }
    hasher.finish()
}

impl TestSite {
    /// Runs the `verbatim` binary and returns its exit code and standard error.
    pub fn fail(&self, args: &[&str]) -> (Option<i32>, String) {
        let output = self.run(args);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Names in the site root, sorted, to show nothing was left beside the output.
    pub fn root_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root())
            .expect("list the site")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}
