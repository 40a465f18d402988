//! A scratch file on the output's disk where a large archive's rendered bodies and plain
//! texts wait between the Markdown stage and their last use (the feeds, the article pages,
//! the search index), so the build does not hold them all in its memory at once.
//!
//! Every body is rendered before any page (an article page lists other articles' cards,
//! and the feeds quote many bodies), so without this the build's peak memory holds every
//! body and text at once: about 1 GB of a 2 GB peak at 100,000 articles. Parked here,
//! they sit in the system's page cache while memory allows, and the system writes them
//! to disk when it does not. The file has no name, and the system deletes it when the
//! build ends, however it ends.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A scratch file that many threads park text in at once.
#[derive(Debug)]
pub struct SpillFile {
    file: File,
    /// The folder it was made in, for errors.
    folder: PathBuf,
    /// Where the next text goes: each writer reserves its span first.
    end: AtomicU64,
}

/// A stretch of the spill file.
#[derive(Debug, Clone, Copy)]
struct Span {
    at: u64,
    len: usize,
}

/// A rendered body's HTML and plain text, parked in a [`SpillFile`].
#[derive(Debug, Clone)]
pub struct Parked {
    file: Arc<SpillFile>,
    html: Span,
    text: Span,
}

/// Reading or writing the scratch file failed.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: cannot {action} the build's scratch file for rendered bodies: {source}\n help: this folder, beside the output, needs free space of about 2.2 times the size of the articles' Markdown; free some, or pass --output on another disk",
    folder.display()
)]
pub struct SpillError {
    folder: PathBuf,
    action: &'static str,
    source: std::io::Error,
}

impl SpillFile {
    /// Makes a nameless scratch file in `folder`.
    pub fn create_in(folder: &Path) -> Result<Arc<SpillFile>, SpillError> {
        let file = tempfile::tempfile_in(folder).map_err(|source| SpillError {
            folder: folder.to_path_buf(),
            action: "create",
            source,
        })?;
        Ok(Arc::new(SpillFile {
            file,
            folder: folder.to_path_buf(),
            end: AtomicU64::new(0),
        }))
    }

    /// Parks `html` and `text`, one after the other.
    pub fn park(self: &Arc<Self>, html: &str, text: &str) -> Result<Parked, SpillError> {
        let at = self
            .end
            .fetch_add((html.len() + text.len()) as u64, Ordering::Relaxed);
        let html_span = Span {
            at,
            len: html.len(),
        };
        let text_span = Span {
            at: at + html.len() as u64,
            len: text.len(),
        };
        for (span, content) in [(html_span, html), (text_span, text)] {
            positioned::write_all_at(&self.file, content.as_bytes(), span.at)
                .map_err(|source| self.error("write", source))?;
        }
        Ok(Parked {
            file: Arc::clone(self),
            html: html_span,
            text: text_span,
        })
    }

    fn read(&self, span: Span) -> Result<String, SpillError> {
        let mut bytes = vec![0; span.len];
        positioned::read_exact_at(&self.file, &mut bytes, span.at)
            .map_err(|source| self.error("read", source))?;
        // Checked with SIMD, as `content` checks the sources: the standard library's
        // check costs about 8 instructions a byte of Chinese text.
        if simdutf8::basic::from_utf8(&bytes).is_err() {
            return Err(self.error(
                "read",
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "what was read back is not the text written",
                ),
            ));
        }
        // SAFETY: `simdutf8` has just found `bytes` to be valid UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    }

    fn error(&self, action: &'static str, source: std::io::Error) -> SpillError {
        SpillError {
            folder: self.folder.clone(),
            action,
            source,
        }
    }
}

impl Parked {
    /// The body's HTML, read back.
    pub fn html(&self) -> Result<String, SpillError> {
        self.file.read(self.html)
    }

    /// The body's plain text, read back.
    pub fn text(&self) -> Result<String, SpillError> {
        self.file.read(self.text)
    }
}

/// Reads and writes at an offset without moving a shared cursor, so threads need no lock.
#[cfg(unix)]
mod positioned {
    use std::fs::File;
    use std::os::unix::fs::FileExt;

    pub fn write_all_at(file: &File, bytes: &[u8], at: u64) -> std::io::Result<()> {
        file.write_all_at(bytes, at)
    }

    pub fn read_exact_at(file: &File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
        file.read_exact_at(bytes, at)
    }
}

/// Windows has only the single-call forms, which may move fewer bytes than asked.
#[cfg(windows)]
mod positioned {
    use std::fs::File;
    use std::io::{Error, ErrorKind};
    use std::os::windows::fs::FileExt;

    pub fn write_all_at(file: &File, mut bytes: &[u8], mut at: u64) -> std::io::Result<()> {
        while !bytes.is_empty() {
            match file.seek_write(bytes, at)? {
                0 => return Err(Error::from(ErrorKind::WriteZero)),
                n => {
                    bytes = &bytes[n..];
                    at += n as u64;
                }
            }
        }
        Ok(())
    }

    pub fn read_exact_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> std::io::Result<()> {
        while !bytes.is_empty() {
            match file.seek_read(bytes, at)? {
                0 => return Err(Error::from(ErrorKind::UnexpectedEof)),
                n => {
                    bytes = &mut bytes[n..];
                    at += n as u64;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn texts_parked_from_many_threads_read_back_whole() {
        let folder = tempfile::tempdir().unwrap();
        let spill = SpillFile::create_in(folder.path()).unwrap();
        let bodies: Vec<(String, String)> = (0..500)
            .map(|i| {
                (
                    format!("<p>第{i}篇访谈 — interview {i}</p>").repeat(i % 7),
                    format!("访谈 {i}").repeat(i % 5),
                )
            })
            .collect();
        let parked: Vec<Parked> = bodies
            .par_iter()
            .map(|(html, text)| spill.park(html, text).unwrap())
            .collect();
        for ((html, text), parked) in bodies.iter().zip(&parked) {
            assert_eq!(&parked.html().unwrap(), html);
            assert_eq!(&parked.text().unwrap(), text);
        }
    }

    #[test]
    fn a_missing_folder_is_named_in_the_error() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("gone");
        let error = SpillFile::create_in(&missing).unwrap_err().to_string();
        assert!(error.contains(&missing.display().to_string()), "{error}");
        assert!(error.contains("cannot create"), "{error}");
    }
}
