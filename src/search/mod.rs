//! Full-text search: the index `verbatim build` writes for the search page
//! (`templates/search.html`, `static/search.js`).
//!
//! An article's title, people, tags, publication and body are folded
//! ([`fold`]), split into words and CJK n-grams ([`tokens`]) and gathered into one
//! posting list per term, which [`shards`] cuts into small files by term order. A query
//! fetches the manifest, the one or two shards its terms fall in, and the document
//! records of the results it shows: a few tens of kilobytes whatever the archive's size.

pub mod fold;
pub mod shards;
pub mod tokens;

use std::collections::hash_map::Entry;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::render::OutputFile;
use crate::site::{Page, Site};
use tokens::{GramKey, TermSink, UNIFIED_IDEOGRAPHS};

/// The folder of the output the index is written to.
pub const INDEX_DIR: &str = "search";

/// The search script's path in the output (from the theme's `static/`).
pub const SCRIPT: &str = "search.js";

/// Where one term occurs in one article, packed into a number: the article's index in
/// the site's order above the low five bits, which say where the term was seen.
pub type Posting = u32;

/// Bits of a posting's low five: the term is in the title.
pub const IN_TITLE: u32 = 16;
/// The term is in the people, tags or publication.
pub const IN_META: u32 = 8;
/// The low three bits count the term's occurrences in the body, up to this.
pub const MAX_BODY_COUNT: u32 = 7;

/// A term's postings in article order, as runs gathered by different threads: they are
/// only read one after the other, so joining them would be a copy for nothing.
pub type Runs = Vec<Vec<Posting>>;

/// Every term of the archive with its postings, before it is cut into files.
#[derive(Debug, Default)]
pub struct Postings {
    /// Unigrams and bigrams of ideographic text.
    pub grams: FxHashMap<GramKey, Runs>,
    /// Folded words.
    pub words: FxHashMap<Box<str>, Runs>,
}

impl Postings {
    /// Indexes the site's articles in parallel, each under its position in `site.pages`.
    pub fn of_site(site: &Site) -> Postings {
        let per_thread = site.pages.len() / (4 * rayon::current_num_threads()).max(1);
        let parts = site
            .pages
            .par_iter()
            .enumerate()
            .with_min_len(per_thread.max(1))
            .fold(Collector::default, |mut collector, (doc, page)| {
                collector.add(doc as u32, page);
                collector
            })
            .map(Collector::into_postings)
            .collect::<Vec<_>>();
        parts
            .into_iter()
            .fold(Postings::default(), Postings::append)
    }

    /// `self` followed by `later`, whose articles all come after `self`'s.
    fn append(mut self, later: Postings) -> Postings {
        append_runs(&mut self.grams, later.grams);
        append_runs(&mut self.words, later.words);
        self
    }
}

/// Each term's runs of `later` after its runs in `table`; a term new to `table` takes its
/// runs as they are (an archive has hundreds of thousands of terms, most in few parts).
fn append_runs<K: std::hash::Hash + Eq>(table: &mut FxHashMap<K, Runs>, later: FxHashMap<K, Runs>) {
    table.reserve(later.len());
    for (key, runs) in later {
        match table.entry(key) {
            Entry::Occupied(mut earlier) => earlier.get_mut().extend(runs),
            Entry::Vacant(slot) => {
                slot.insert(runs);
            }
        }
    }
}

/// Which part of an article a term was seen in.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Meta,
    Body,
}

/// Gathers the terms of a run of articles, taken in order, into their postings.
///
/// Each term gets a [`Slot`] the first time it is seen: its number and the posting of
/// the latest article it was seen in. That posting moves to `finished` when the term
/// turns up in a later article. An occurrence thus touches one table entry and writes
/// only at the end of one buffer; the per-term lists are made at the end, at their
/// final size.
struct Collector {
    grams: FxHashMap<GramKey, Slot>,
    /// Words of up to eight bytes (most of them), packed into a number so that a lookup
    /// is one multiplication and one comparison.
    short_words: FxHashMap<u64, Slot>,
    words: FxHashMap<Box<str>, Slot>,
    /// The unigrams from U+4E00 to U+9FFF (most of a Chinese text) by code point: an
    /// index instead of a hash lookup.
    common_unigrams: Vec<Slot>,
    tally: Tally,
    scratch: String,
}

/// Where a [`Collector`] stands: apart from its tables, so both can be borrowed at once.
struct Tally {
    /// Terms numbered so far.
    terms: u32,
    /// Earlier postings, each with its term's number, in the order they were finished.
    finished: Vec<(u32, Posting)>,
    /// The article being read, and the part of it.
    doc: u32,
    field: Field,
}

/// A term's number and its posting for the latest article it was seen in.
#[derive(Clone, Copy)]
struct Slot {
    term: u32,
    current: Posting,
}

/// The slot of a common unigram not seen yet.
const UNSEEN: Slot = Slot {
    term: u32::MAX,
    current: 0,
};

impl Default for Collector {
    fn default() -> Collector {
        Collector {
            grams: FxHashMap::default(),
            short_words: FxHashMap::default(),
            words: FxHashMap::default(),
            common_unigrams: vec![UNSEEN; UNIFIED_IDEOGRAPHS.len()],
            tally: Tally {
                terms: 0,
                finished: Vec::new(),
                doc: 0,
                field: Field::Body,
            },
            scratch: String::new(),
        }
    }
}

impl Collector {
    fn add(&mut self, doc: u32, page: &Page) {
        let article = &page.article;
        self.tally.doc = doc;
        self.tally.field = Field::Title;
        self.tokenize(&article.title);
        self.tally.field = Field::Meta;
        for text in article
            .interviewees
            .iter()
            .chain(&article.interviewers)
            .chain(&article.tags)
            .chain(&article.publication)
        {
            self.tokenize(text);
        }
        self.tally.field = Field::Body;
        self.tokenize(&page.rendered.text);
    }

    fn tokenize(&mut self, text: &str) {
        let mut scratch = std::mem::take(&mut self.scratch);
        tokens::tokenize(text, &mut scratch, self);
        self.scratch = scratch;
    }

    /// The postings gathered, each term's list complete.
    fn into_postings(self) -> Postings {
        let mut counts = vec![1; self.tally.terms as usize];
        for &(term, _) in &self.tally.finished {
            counts[term as usize] += 1;
        }
        let mut lists: Vec<Vec<Posting>> = counts.into_iter().map(Vec::with_capacity).collect();
        for (term, posting) in self.tally.finished {
            lists[term as usize].push(posting);
        }
        let mut take = |slot: Slot| {
            let mut list = std::mem::take(&mut lists[slot.term as usize]);
            list.push(slot.current);
            vec![list]
        };
        let mut postings = Postings::default();
        postings.grams.reserve(self.grams.len());
        for (key, slot) in self.grams {
            postings.grams.insert(key, take(slot));
        }
        for (code, slot) in UNIFIED_IDEOGRAPHS.zip(self.common_unigrams) {
            if let (Some(c), false) = (char::from_u32(code), slot.term == UNSEEN.term) {
                postings.grams.insert(tokens::unigram(c), take(slot));
            }
        }
        for (packed, slot) in self.short_words {
            postings
                .words
                .insert(unpack_word(packed).into(), take(slot));
        }
        for (word, slot) in self.words {
            postings.words.insert(word, take(slot));
        }
        postings
    }
}

impl Tally {
    /// A slot for a term seen for the first time, in the current article and field.
    fn new_slot(&mut self) -> Slot {
        let mut current = self.doc << 5;
        mark(&mut current, self.field);
        self.terms += 1;
        Slot {
            term: self.terms - 1,
            current,
        }
    }

    /// Notes one more occurrence of a term in the current article and field, finishing
    /// its posting of an earlier article.
    #[inline]
    fn note(&mut self, slot: &mut Slot) {
        if slot.current >> 5 != self.doc {
            self.finished.push((slot.term, slot.current));
            slot.current = self.doc << 5;
        }
        mark(&mut slot.current, self.field);
    }

    /// Notes an occurrence of the term `key` of `table`, numbering it if it is new.
    #[inline(always)]
    fn note_in<K: std::hash::Hash + Eq>(&mut self, table: &mut FxHashMap<K, Slot>, key: K) {
        match table.get_mut(&key) {
            Some(slot) => self.note(slot),
            None => {
                let slot = self.new_slot();
                table.insert(key, slot);
            }
        }
    }
}

/// `word`'s bytes as a number, if it has at most eight; no word holds a zero byte, so
/// the number tells the length.
fn pack_word(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    // Byte by byte: a copy of the word's length would be a `memcpy` call per word.
    (bytes.len() <= 8).then(|| {
        bytes
            .iter()
            .rev()
            .fold(0, |packed, &byte| (packed << 8) | u64::from(byte))
    })
}

/// The word [`pack_word`] packed.
fn unpack_word(packed: u64) -> String {
    let bytes = packed.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// Adds one occurrence in `field` to a posting's low bits.
#[inline]
fn mark(bits: &mut u32, field: Field) {
    match field {
        Field::Title => *bits |= IN_TITLE,
        Field::Meta => *bits |= IN_META,
        Field::Body => {
            if *bits & MAX_BODY_COUNT < MAX_BODY_COUNT {
                *bits += 1;
            }
        }
    }
}

// Forced into the tokenizer's loop, where the compiler left calls: a call per character
// cost 9 % of the index's build (callgrind, 1,000 articles).
impl TermSink for Collector {
    #[inline(always)]
    fn unigram(&mut self, c: char) {
        let code = c as u32;
        if UNIFIED_IDEOGRAPHS.contains(&code) {
            let slot = &mut self.common_unigrams[(code - UNIFIED_IDEOGRAPHS.start) as usize];
            if slot.term == UNSEEN.term {
                *slot = self.tally.new_slot();
            } else {
                self.tally.note(slot);
            }
        } else {
            self.tally.note_in(&mut self.grams, tokens::unigram(c));
        }
    }

    #[inline(always)]
    fn bigram(&mut self, first: char, second: char) {
        self.tally
            .note_in(&mut self.grams, tokens::bigram(first, second));
    }

    #[inline]
    fn word(&mut self, word: &str) {
        match pack_word(word) {
            Some(packed) => self.tally.note_in(&mut self.short_words, packed),
            None => match self.words.get_mut(word) {
                Some(slot) => self.tally.note(slot),
                None => {
                    let slot = self.tally.new_slot();
                    self.words.insert(word.into(), slot);
                }
            },
        }
    }
}

/// The search index files of `site`, under `search/`.
pub fn index_files(site: &Site) -> Vec<OutputFile> {
    let postings = Postings::of_site(site);
    shards::write(site, postings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_counts_saturate_and_fields_set_bits() {
        let mut bits = 0;
        for _ in 0..10 {
            mark(&mut bits, Field::Body);
        }
        mark(&mut bits, Field::Title);
        mark(&mut bits, Field::Meta);
        assert_eq!(bits, IN_TITLE | IN_META | MAX_BODY_COUNT);
    }

    #[test]
    fn collector_lists_each_term_once_per_article_with_its_fields() {
        let mut collector = Collector::default();
        let key = tokens::bigram('数', '据');
        let common = tokens::unigram('数');
        let rare = tokens::unigram('\u{3400}');
        for (doc, field, times) in [
            (0, Field::Title, 1),
            (0, Field::Body, 9),
            (2, Field::Meta, 1),
        ] {
            collector.tally.doc = doc;
            collector.tally.field = field;
            for _ in 0..times {
                collector.bigram('数', '据');
                collector.unigram('数');
                collector.word("sora");
            }
        }
        collector.tally.doc = 3;
        collector.tally.field = Field::Body;
        collector.unigram('\u{3400}');
        collector.word("sora");
        let postings = collector.into_postings();
        let both = vec![IN_TITLE | MAX_BODY_COUNT, (2 << 5) | IN_META];
        assert_eq!(postings.grams[&key], vec![both.clone()]);
        assert_eq!(postings.grams[&common], vec![both.clone()]);
        assert_eq!(postings.grams[&rare], vec![vec![(3 << 5) | 1]]);
        let mut with_doc_3 = both.clone();
        with_doc_3.push((3 << 5) | 1);
        assert_eq!(postings.words["sora"], vec![with_doc_3]);
        assert_eq!(postings.grams.len(), 3);
    }

    #[test]
    fn words_pack_and_unpack() {
        for word in ["a", "sora", "gpt4o", "12345678", "łodz"] {
            assert_eq!(unpack_word(pack_word(word).expect("short")), word);
        }
        assert_eq!(pack_word("123456789"), None);
        assert_ne!(pack_word("ab"), pack_word("ba"));
    }

    #[test]
    fn append_keeps_article_order() {
        let make = |docs: &[u32]| {
            let mut p = Postings::default();
            p.words
                .insert("a".into(), vec![docs.iter().map(|d| d << 5).collect()]);
            p
        };
        let mut later = make(&[3, 4]);
        later.words.insert("b".into(), vec![vec![3 << 5]]);
        let merged = Postings::default().append(make(&[1])).append(later);
        let flat = |runs: &Runs| runs.iter().flatten().copied().collect::<Vec<_>>();
        assert_eq!(flat(&merged.words["a"]), vec![1 << 5, 3 << 5, 4 << 5]);
        assert_eq!(flat(&merged.words["b"]), vec![3 << 5]);
    }
}
