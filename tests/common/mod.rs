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
