//! Problems that do not stop a build, returned to the caller (the library does not print).

use std::fmt;
use std::path::PathBuf;

/// A problem worth telling the editor, placed in a file when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file at fault (`content/a.md`, `site.yml`).
    pub path: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}
