//! Highlighted code kept between builds, in a file beside the output
//! (`.public.highlight-cache`): each code block's language, code and HTML, and the theme
//! CSS with the names it was made from. A rebuild that meets the same block again takes
//! its HTML from here, and one whose blocks are all known never loads syntect's syntaxes
//! nor compiles their regular expressions (at 100 articles that set-up was about 30 % of
//! the build's instructions).
//!
//! The HTML depends on syntect's version and on Verbatim's class names, so a cache is
//! trusted only by the binary that wrote it: its header holds the executable's size and
//! modification time. A damaged or foreign file is ignored whole; a cache that cannot
//! be written costs only the next build's time.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The first line of a cache file; a change of format changes it.
const HEADER: &str = "verbatim highlight cache 1";

/// Fixed, so that a file's checksum and its blocks' keys mean the same to every run.
const SEED: u64 = 0x6869_6768_6c69_6768;

/// One code block as highlighted: `html` is `None` when the language is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    language: Box<str>,
    code: Box<str>,
    html: Option<Box<str>>,
}

/// The theme CSS and the two theme names it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ThemeCss {
    light: Box<str>,
    dark: Box<str>,
    css: Box<str>,
}

/// The blocks and theme CSS a previous build wrote, and what this build adds; shared by
/// the threads of the Markdown stage.
#[derive(Debug, Default)]
pub struct HighlightCache {
    known: Vec<Block>,
    by_key: HashMap<u64, usize, foldhash::fast::FixedState>,
    used: Vec<AtomicBool>,
    fresh: Mutex<Vec<Block>>,
    theme: Mutex<Option<ThemeCss>>,
    theme_changed: AtomicBool,
    /// This binary's [`fingerprint`], found once for both the read and the write;
    /// `None` when it cannot be found, and then nothing is read or written.
    fingerprint: Option<String>,
}

fn state() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(SEED)
}

fn key(language: &str, code: &str) -> u64 {
    state().hash_one((language, code))
}

impl HighlightCache {
    /// The cache in `file`, or an empty one when the file is missing, damaged, or was
    /// written by another binary.
    pub fn load(file: &Path) -> HighlightCache {
        let fingerprint = fingerprint();
        let parsed = fingerprint.as_deref().and_then(|fingerprint| {
            let text = std::fs::read_to_string(file).ok()?;
            parse(&text, fingerprint)
        });
        let (blocks, theme) = parsed.unwrap_or_default();
        HighlightCache::from_parts(blocks, theme, fingerprint)
    }

    fn from_parts(
        blocks: Vec<Block>,
        theme: Option<ThemeCss>,
        fingerprint: Option<String>,
    ) -> HighlightCache {
        let mut by_key = HashMap::with_capacity_and_hasher(blocks.len(), state());
        let mut known = Vec::with_capacity(blocks.len());
        for block in blocks {
            let entry = by_key.entry(key(&block.language, &block.code));
            if let std::collections::hash_map::Entry::Vacant(place) = entry {
                place.insert(known.len());
                known.push(block);
            }
        }
        let used = known.iter().map(|_| AtomicBool::new(false)).collect();
        HighlightCache {
            known,
            by_key,
            used,
            fresh: Mutex::default(),
            theme: Mutex::new(theme),
            theme_changed: AtomicBool::new(false),
            fingerprint,
        }
    }

    /// The highlighted HTML of `code` in `language` when a previous build made it:
    /// `Some(None)` for a language it did not know, `None` when the block is new.
    pub fn get(&self, language: &str, code: &str) -> Option<Option<&str>> {
        let index = *self.by_key.get(&key(language, code))?;
        let block = &self.known[index];
        if &*block.language != language || &*block.code != code {
            return None;
        }
        self.used[index].store(true, Ordering::Relaxed);
        Some(block.html.as_deref())
    }

    /// Notes a block this build highlighted, for the next build.
    pub fn insert(&self, language: &str, code: &str, html: Option<&str>) {
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Block {
                language: language.into(),
                code: code.into(),
                html: html.map(Into::into),
            });
    }

    /// The theme CSS for `light` and `dark`, from the cache or made by `make` (and then
    /// kept).
    pub fn theme_css(
        &self,
        light: &str,
        dark: &str,
        make: impl FnOnce() -> Result<String, String>,
    ) -> Result<String, String> {
        let mut theme = self.theme.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = theme.as_ref()
            && &*kept.light == light
            && &*kept.dark == dark
        {
            return Ok(kept.css.to_string());
        }
        let css = make()?;
        *theme = Some(ThemeCss {
            light: light.into(),
            dark: dark.into(),
            css: css.as_str().into(),
        });
        self.theme_changed.store(true, Ordering::Relaxed);
        Ok(css)
    }

    /// Writes the blocks this build met (known or new) and the theme CSS to `file`,
    /// unless they are exactly what was read. Best effort: the file is written beside and
    /// renamed into place, and any failure leaves the next build to highlight again.
    pub fn save(self, file: &Path) {
        let fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let all_used = self.used.iter().all(|u| u.load(Ordering::Relaxed));
        if fresh.is_empty() && all_used && !self.theme_changed.load(Ordering::Relaxed) {
            return;
        }
        let Some(fingerprint) = self.fingerprint else {
            return;
        };
        let theme = self.theme.into_inner().unwrap_or_else(|e| e.into_inner());
        let kept = self
            .known
            .into_iter()
            .zip(self.used)
            .filter(|(_, used)| used.load(Ordering::Relaxed))
            .map(|(block, _)| block);
        let mut seen = std::collections::HashSet::with_hasher(state());
        let blocks: Vec<Block> = kept
            .chain(fresh)
            .filter(|block| seen.insert(key(&block.language, &block.code)))
            .collect();
        let text = render(&blocks, theme.as_ref(), &fingerprint);
        let mut temporary = file.as_os_str().to_owned();
        temporary.push(format!(".tmp-{}", std::process::id()));
        let temporary = std::path::PathBuf::from(temporary);
        // A new file, never one written through a link left at the name.
        let _ = std::fs::remove_file(&temporary);
        let written = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut out| out.write_all(text.as_bytes()))
            .and_then(|()| std::fs::rename(&temporary, file));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// What the HTML depends on besides the code: this binary (its version, size and
/// modification time). `None` when the executable cannot be examined: no cache is then
/// read or written.
fn fingerprint() -> Option<String> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}.{:09}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}

/// A cache file: the header, the fingerprint, a checksum of the rest, then one record a
/// block (`B`, the lengths in bytes of its language, code and HTML, `-` for no HTML, then
/// the three texts) and at most one for the theme CSS (`T`, likewise).
fn render(blocks: &[Block], theme: Option<&ThemeCss>, fingerprint: &str) -> String {
    let mut body = String::new();
    if let Some(theme) = theme {
        record(
            &mut body,
            'T',
            [&theme.light, &theme.dark],
            Some(&theme.css),
        );
    }
    for block in blocks {
        record(
            &mut body,
            'B',
            [&block.language, &block.code],
            block.html.as_deref(),
        );
    }
    format!(
        "{HEADER}\n{fingerprint}\n{:016x}\n{body}",
        state().hash_one(body.as_str())
    )
}

fn record(out: &mut String, kind: char, texts: [&str; 2], last: Option<&str>) {
    use std::fmt::Write as _;
    let last_length = last.map_or_else(|| "-".to_string(), |t| t.len().to_string());
    let _ = writeln!(
        out,
        "{kind} {} {} {last_length}",
        texts[0].len(),
        texts[1].len()
    );
    out.push_str(texts[0]);
    out.push_str(texts[1]);
    out.push_str(last.unwrap_or(""));
}

/// The blocks and theme of a cache file written by the binary `fingerprint` names, or
/// `None` if anything in it is amiss.
fn parse(text: &str, fingerprint: &str) -> Option<(Vec<Block>, Option<ThemeCss>)> {
    let (header, rest) = text.split_once('\n')?;
    let (written_by, rest) = rest.split_once('\n')?;
    let (checksum, mut body) = rest.split_once('\n')?;
    if header != HEADER
        || written_by != fingerprint
        || u64::from_str_radix(checksum, 16).ok()? != state().hash_one(body)
    {
        return None;
    }
    let mut blocks = Vec::new();
    let mut theme = None;
    while !body.is_empty() {
        let (line, rest) = body.split_once('\n')?;
        let mut fields = line.split(' ');
        let kind = fields.next()?;
        let first: usize = fields.next()?.parse().ok()?;
        let second: usize = fields.next()?.parse().ok()?;
        let last: Option<usize> = match fields.next()? {
            "-" => None,
            length => Some(length.parse().ok()?),
        };
        let (first, rest) = (rest.get(..first)?, rest.get(first..)?);
        let (second, rest) = (rest.get(..second)?, rest.get(second..)?);
        let (last, rest) = match last {
            Some(length) => (Some(rest.get(..length)?), rest.get(length..)?),
            None => (None, rest),
        };
        match kind {
            "B" => blocks.push(Block {
                language: first.into(),
                code: second.into(),
                html: last.map(Into::into),
            }),
            "T" => {
                theme = Some(ThemeCss {
                    light: first.into(),
                    dark: second.into(),
                    css: last?.into(),
                })
            }
            _ => return None,
        }
        body = rest;
    }
    Some((blocks, theme))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(language: &str, code: &str, html: Option<&str>) -> Block {
        Block {
            language: language.into(),
            code: code.into(),
            html: html.map(Into::into),
        }
    }

    fn theme() -> ThemeCss {
        ThemeCss {
            light: "InspiredGitHub".into(),
            dark: "base16-ocean.dark".into(),
            css: ".hl-a { color: red }\n".into(),
        }
    }

    #[test]
    fn a_cache_file_reads_back_as_written() {
        let blocks = vec![
            block(
                "rust",
                "fn main() {}\n",
                Some("<span class=\"hl-x\">fn</span>"),
            ),
            block("klingon", "qapla'\n", None),
            block("", "", Some("")),
            block("python", "print('引号 B 1 2 3\n')\n", Some("B 3 4 -\n")),
        ];
        let text = render(&blocks, Some(&theme()), "v 1 2.000000003");
        assert_eq!(
            parse(&text, "v 1 2.000000003"),
            Some((blocks, Some(theme())))
        );
    }

    #[test]
    fn a_foreign_damaged_or_cut_short_file_is_ignored() {
        let blocks = vec![block("rust", "let x = 1;\n", Some("<b>let</b>"))];
        let text = render(&blocks, Some(&theme()), "v 1 2.0");
        assert!(parse(&text, "v 1 2.0").is_some());
        assert_eq!(parse(&text, "v 1 3.0"), None, "another binary's cache");
        assert_eq!(parse(&text.replace("<b>let", "<i>let"), "v 1 2.0"), None);
        for cut in 1..text.len() {
            if text.is_char_boundary(cut) {
                assert_eq!(parse(&text[..cut], "v 1 2.0"), None, "cut at {cut}");
            }
        }
        assert_eq!(parse("", "v 1 2.0"), None);
    }

    #[test]
    fn lookups_compare_the_whole_block_and_note_what_was_used() {
        let cache = HighlightCache::from_parts(
            vec![
                block("rust", "a\n", Some("A")),
                block("rust", "b\n", None),
                block("rust", "a\n", Some("duplicate, dropped")),
            ],
            None,
            None,
        );
        assert_eq!(cache.get("rust", "a\n"), Some(Some("A")));
        assert_eq!(cache.get("rust", "b\n"), Some(None));
        assert_eq!(cache.get("python", "a\n"), None);
        assert_eq!(cache.get("rust", "a"), None);
        assert!(cache.used.iter().all(|u| u.load(Ordering::Relaxed)));
        assert_eq!(cache.known.len(), 2);
    }

    #[test]
    fn the_theme_css_is_made_once_for_the_same_names() {
        let cache = HighlightCache::from_parts(Vec::new(), Some(theme()), None);
        let kept = cache.theme_css("InspiredGitHub", "base16-ocean.dark", || {
            panic!("the kept CSS is used")
        });
        assert_eq!(kept.as_deref(), Ok(".hl-a { color: red }\n"));
        assert!(!cache.theme_changed.load(Ordering::Relaxed));
        let made = cache.theme_css("InspiredGitHub", "Solarized (dark)", || Ok("new".into()));
        assert_eq!(made.as_deref(), Ok("new"));
        assert!(cache.theme_changed.load(Ordering::Relaxed));
    }

    #[test]
    fn save_keeps_the_blocks_met_and_skips_an_unchanged_file() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let file = folder.path().join(".public.highlight-cache");
        let first = HighlightCache::load(&file);
        assert!(first.get("rust", "a\n").is_none());
        first.insert("rust", "a\n", Some("A"));
        first.insert("rust", "b\n", Some("B"));
        first.insert("rust", "a\n", Some("A"));
        first.theme_css("l", "d", || Ok("css".into())).expect("css");
        first.save(&file);
        let second = HighlightCache::load(&file);
        assert_eq!(second.known.len(), 2);
        assert_eq!(second.get("rust", "a\n"), Some(Some("A")));
        assert_eq!(second.get("rust", "b\n"), Some(Some("B")));
        assert_eq!(
            second.theme_css("l", "d", || Err("kept".into())).as_deref(),
            Ok("css")
        );
        let before = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("time");
        std::thread::sleep(std::time::Duration::from_millis(20));
        second.save(&file);
        let after = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("time");
        assert_eq!(before, after, "nothing changed, nothing written");
        // A block no longer met is left out of the next file.
        let third = HighlightCache::load(&file);
        assert!(third.get("rust", "a\n").is_some());
        third
            .theme_css("l", "d", || Err("kept".into()))
            .expect("css");
        third.save(&file);
        let fourth = HighlightCache::load(&file);
        assert_eq!(fourth.known.len(), 1);
        assert!(fourth.get("rust", "b\n").is_none());
        let leftovers = std::fs::read_dir(folder.path()).expect("listing").count();
        assert_eq!(leftovers, 1, "no temporary file is left");
    }
}
