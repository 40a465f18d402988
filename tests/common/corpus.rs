//! Scores `verbatim clean` on the corpus in tests/fixtures/clean/corpus: each page has
//! an `.expect` file listing its pollution kinds (`# kinds:`), the expected `title:`
//! and `date:`, strings that must be gone (`- `) and strings that must stay (`+ `).
//! Pages whose kinds include `clean` are negatives: every string must stay and no
//! pass may change their body text. Used by tests/clean_corpus.rs (with thresholds)
//! and by examples/clean-eval.rs (which prints the table). The forms `gone: `,
//! `stay: ` and a `# clean: …` / `# polluted: …` first comment are read too.

use std::collections::BTreeMap;
use std::path::Path;

use verbatim::clean::{ChangeKind, CleanSettings, clean_document};

/// Changes that alter body text (chrome and metadata leave the body as it was).
pub const BODY_CHANGES: &[ChangeKind] = &[
    ChangeKind::BrandRemoved,
    ChangeKind::KeywordRemoved,
    ChangeKind::UrlRemoved,
    ChangeKind::PastedTitleRemoved,
    ChangeKind::SpunWordRestored,
    ChangeKind::LeakedTagRemoved,
    ChangeKind::ImageNameRemoved,
    ChangeKind::LexiconRemoved,
    ChangeKind::ConnectiveRemoved,
    ChangeKind::PinyinRemoved,
    ChangeKind::EmojiRemoved,
    ChangeKind::JunkTokenRemoved,
    ChangeKind::ForeignParagraphRemoved,
];

/// Hits out of totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many were as expected.
    pub hit: usize,
    /// How many were checked.
    pub total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.hit += usize::from(ok);
    }

    /// The share as a percentage (100 when nothing was checked).
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.hit as f64 * 100.0 / self.total as f64
        }
    }
}

/// The scores of one kind of page (or of all of them).
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Pages scored.
    pub pages: usize,
    /// Must-be-gone strings that are gone.
    pub gone: Tally,
    /// Must-stay strings that stayed.
    pub stay: Tally,
    /// Titles as expected.
    pub title: Tally,
    /// Dates as expected.
    pub date: Tally,
}

/// What one page scored, with what went wrong.
#[derive(Debug, Clone, Default)]
pub struct PageScore {
    /// The page's file name.
    pub name: String,
    /// Its kinds.
    pub kinds: Vec<String>,
    /// Its scores.
    pub scores: Scores,
    /// Body-changing edits (negatives must have none).
    pub body_changes: usize,
    /// Messages: strings left or lost, wrong title or date, refusal.
    pub misses: Vec<String>,
}

/// Strips the Markdown and the full-width punctuation the formatter adds, so
/// expectations match page text.
fn plain(markdown: &str) -> String {
    let text: String = markdown
        .replace("**", "")
        .replace('\\', "")
        .chars()
        .map(|c| match c {
            '：' => ':',
            '，' => ',',
            '？' => '?',
            '！' => '!',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect();
    text.replace(": ", ":").replace(", ", ",")
}

/// Scores one page.
pub fn score_page(page: &Path, expect: &str) -> PageScore {
    let name = page
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut score = PageScore {
        name: name.clone(),
        ..PageScore::default()
    };
    let mut gone = Vec::new();
    let mut stay = Vec::new();
    let (mut title, mut date) = (None, None);
    for line in expect.lines() {
        if let Some(kinds) = line.strip_prefix("# kinds:") {
            score.kinds = kinds.split(',').map(|k| k.trim().to_string()).collect();
        } else if score.kinds.is_empty()
            && let Some(set) = ["clean", "polluted"]
                .into_iter()
                .find(|set| line.starts_with(&format!("# {set}")))
        {
            // The real-page collection's form: `# clean: …` or `# polluted: …`.
            score.kinds = vec![set.to_string()];
        } else if let Some(t) = line.strip_prefix("title: ") {
            title = Some(t.to_string());
        } else if let Some(d) = line.strip_prefix("date: ") {
            date = Some(d.to_string());
        } else if let Some(g) = line.strip_prefix("- ").or(line.strip_prefix("gone: ")) {
            gone.push(g.to_string());
        } else if let Some(s) = line.strip_prefix("+ ").or(line.strip_prefix("stay: ")) {
            stay.push(s.to_string());
        }
    }
    score.scores.pages = 1;
    let bytes = std::fs::read(page).unwrap_or_default();
    let cleaned = match clean_document(&bytes, &name, &CleanSettings::default()) {
        Ok(cleaned) => cleaned,
        Err(error) => {
            score.misses.push(format!("refused: {error}"));
            for _ in &stay {
                score.scores.stay.add(false);
            }
            for _ in &gone {
                score.scores.gone.add(true);
            }
            return score;
        }
    };
    let body = plain(&cleaned.body);
    let everything = format!("{}\n{}", plain(&cleaned.front.title), body);
    for g in &gone {
        let ok = !everything.contains(&plain(g));
        if !ok {
            score.misses.push(format!("left: {g}"));
        }
        score.scores.gone.add(ok);
    }
    for s in &stay {
        let ok = body.contains(&plain(s));
        if !ok {
            score.misses.push(format!("lost: {s}"));
        }
        score.scores.stay.add(ok);
    }
    if let Some(title) = title {
        let ok = plain(&cleaned.front.title) == plain(&title);
        if !ok {
            score
                .misses
                .push(format!("title: {:?}, not {title:?}", cleaned.front.title));
        }
        score.scores.title.add(ok);
    }
    if let Some(date) = date {
        let ok = cleaned.front.date == date;
        if !ok {
            score
                .misses
                .push(format!("date: {:?}, not {date:?}", cleaned.front.date));
        }
        score.scores.date.add(ok);
    }
    score.body_changes = BODY_CHANGES.iter().map(|k| cleaned.report.count(*k)).sum();
    score
}

/// Scores every page of a corpus folder (pages are the files beside `.expect` files).
pub fn score_corpus(dir: &Path) -> Vec<PageScore> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e != "expect"))
        .filter_map(|page| {
            let expect = std::fs::read_to_string(page.with_extension("expect")).ok()?;
            Some(score_page(page, &expect))
        })
        .collect()
}

/// Sums page scores by kind; the key `all polluted` / `all clean` sums the two sets.
pub fn by_kind(pages: &[PageScore]) -> BTreeMap<String, Scores> {
    let mut kinds: BTreeMap<String, Scores> = BTreeMap::new();
    for page in pages {
        let set = if page.kinds.iter().any(|k| k == "clean") {
            "all clean"
        } else {
            "all polluted"
        };
        let keys = page.kinds.iter().map(String::as_str).chain([set]);
        for key in keys {
            let entry = kinds.entry(key.to_string()).or_default();
            entry.pages += 1;
            for (sum, add) in [
                (&mut entry.gone, page.scores.gone),
                (&mut entry.stay, page.scores.stay),
                (&mut entry.title, page.scores.title),
                (&mut entry.date, page.scores.date),
            ] {
                sum.hit += add.hit;
                sum.total += add.total;
            }
        }
    }
    kinds
}

/// The table printed by the scorer: one line per kind.
pub fn table(pages: &[PageScore]) -> String {
    let mut out = format!(
        "{:<20} {:>5} {:>14} {:>14} {:>12} {:>12}\n",
        "kind", "pages", "gone", "stay", "title", "date"
    );
    let cell = |t: Tally| format!("{:>5.1}% {:>3}/{:<3}", t.percent(), t.hit, t.total);
    for (kind, s) in by_kind(pages) {
        out.push_str(&format!(
            "{kind:<20} {:>5} {:>14} {:>14} {:>12} {:>12}\n",
            s.pages,
            cell(s.gone),
            cell(s.stay),
            format!("{}/{}", s.title.hit, s.title.total),
            format!("{}/{}", s.date.hit, s.date.total),
        ));
    }
    out
}
