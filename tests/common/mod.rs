//! Helpers for integration tests: small sites in temporary folders.

#![allow(dead_code)]

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
