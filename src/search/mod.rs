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

/// Every term of the archive with its postings, before it is cut into files.
///
/// The threads that read the articles each hold their terms' lists in one buffer (a
/// [`Part`]); a term's postings are its lists in the parts that saw it, in part order,
/// which is article order. Nothing is allocated per term: a real archive has hundreds of
/// thousands of terms, most of them in several parts.
#[derive(Debug, Default)]
pub struct Postings {
    /// The number of each unigram and bigram of ideographic text.
    grams: FxHashMap<GramKey, u32>,
    /// The number of each folded word of up to eight bytes, packed ([`pack_word`]).
    short_words: FxHashMap<u64, u32>,
    /// The number of each longer folded word.
    words: FxHashMap<Box<str>, u32>,
    parts: Vec<Part>,
    /// Term `t`'s lists are `lists[list_ends[t - 1]..list_ends[t]]` (from 0 for the
    /// first term).
    list_ends: Vec<u32>,
    /// A part's number and the term's number in that part.
    lists: Vec<(u32, u32)>,
}

/// The postings one thread gathered: every term's list, in article order, as a range of
/// one buffer.
#[derive(Debug, Default)]
struct Part {
    postings: Vec<Posting>,
    /// Term `t`'s postings are `postings[ends[t - 1]..ends[t]]` (from 0 for the first).
    ends: Vec<u32>,
}

impl Part {
    fn list(&self, term: u32) -> &[Posting] {
        &self.postings[list_range(&self.ends, term)]
    }
}

/// Where list `list` lies in a buffer of lists laid out one after the other, given
/// where each ends ([`lay_out`]).
fn list_range(ends: &[u32], list: u32) -> std::ops::Range<usize> {
    let list = list as usize;
    let start = list.checked_sub(1).map_or(0, |before| ends[before]);
    start as usize..ends[list] as usize
}

/// A [`Part`] with the numbers its thread gave its terms.
#[derive(Debug, Default)]
struct Gathered {
    part: Part,
    grams: FxHashMap<GramKey, u32>,
    short_words: FxHashMap<u64, u32>,
    words: FxHashMap<Box<str>, u32>,
}

impl Postings {
    /// Indexes the site's articles in parallel, each under its position in `site.pages`.
    pub fn of_site(site: &Site) -> Postings {
        let per_thread = site.pages.len() / (4 * rayon::current_num_threads()).max(1);
        let gathered = site
            .pages
            .par_iter()
            .enumerate()
            .with_min_len(per_thread.max(1))
            .fold(Collector::default, |mut collector, (doc, page)| {
                collector.add(doc as u32, page);
                collector
            })
            .map(Collector::into_gathered)
            .collect::<Vec<_>>();
        Postings::merge(gathered)
    }

    /// One numbering for the terms of `gathered`, whose parts are in article order.
    fn merge(gathered: Vec<Gathered>) -> Postings {
        let mut postings = Postings::default();
        let mut terms = 0;
        // Each part's (global number, number in the part) pairs.
        let mut numbered: Vec<Vec<(u32, u32)>> = Vec::with_capacity(gathered.len());
        for part in gathered {
            let mut pairs = Vec::with_capacity(part.part.ends.len());
            number_into(&mut postings.grams, part.grams, &mut terms, &mut pairs);
            number_into(
                &mut postings.short_words,
                part.short_words,
                &mut terms,
                &mut pairs,
            );
            number_into(&mut postings.words, part.words, &mut terms, &mut pairs);
            numbered.push(pairs);
            postings.parts.push(part.part);
        }
        let mut counts = vec![0u32; terms as usize];
        for &(term, _) in numbered.iter().flatten() {
            counts[term as usize] += 1;
        }
        let (ends, mut next, total) = lay_out(counts);
        postings.lists = vec![(0, 0); total as usize];
        for (part, pairs) in numbered.into_iter().enumerate() {
            for (term, local) in pairs {
                let at = &mut next[term as usize];
                postings.lists[*at as usize] = (part as u32, local);
                *at += 1;
            }
        }
        postings.list_ends = ends;
        postings
    }

    /// Whether the archive holds the gram `key`.
    pub fn has_gram(&self, key: GramKey) -> bool {
        self.grams.contains_key(&key)
    }

    /// Every term's text and number, in no particular order.
    pub fn terms(&mut self) -> Vec<(String, u32)> {
        let grams = std::mem::take(&mut self.grams)
            .into_iter()
            .map(|(key, term)| (tokens::gram_text(key), term));
        let short_words = std::mem::take(&mut self.short_words)
            .into_iter()
            .map(|(packed, term)| (unpack_word(packed), term));
        let words = std::mem::take(&mut self.words)
            .into_iter()
            .map(|(word, term)| (word.into_string(), term));
        grams.chain(short_words).chain(words).collect()
    }

    /// Term `term`'s postings, as runs in article order.
    pub fn runs(&self, term: u32) -> impl Iterator<Item = &[Posting]> {
        self.lists[list_range(&self.list_ends, term)]
            .iter()
            .map(|&(part, local)| self.parts[part as usize].list(local))
    }
}

/// Words and grams of one part, each with its list, for tests.
#[cfg(test)]
pub(crate) type TestPart<'a> = (
    &'a [(&'a str, &'a [Posting])],
    &'a [(GramKey, &'a [Posting])],
);

#[cfg(test)]
impl Postings {
    /// Postings made from hand-written lists, one [`TestPart`] per thread's part.
    pub(crate) fn from_lists(parts: &[TestPart<'_>]) -> Postings {
        let gathered = parts
            .iter()
            .map(|(words, grams)| {
                let mut gathered = Gathered::default();
                let mut add = |list: &[Posting]| {
                    let part = &mut gathered.part;
                    part.postings.extend_from_slice(list);
                    part.ends.push(part.postings.len() as u32);
                    part.ends.len() as u32 - 1
                };
                let mut grams_in = FxHashMap::default();
                for &(key, list) in grams.iter() {
                    grams_in.insert(key, add(list));
                }
                let (mut short_words, mut words_in) = (FxHashMap::default(), FxHashMap::default());
                for &(word, list) in words.iter() {
                    let term = add(list);
                    match pack_word(word) {
                        Some(packed) => short_words.insert(packed, term),
                        None => words_in.insert(word.into(), term),
                    };
                }
                gathered.grams = grams_in;
                gathered.short_words = short_words;
                gathered.words = words_in;
                gathered
            })
            .collect();
        Postings::merge(gathered)
    }
}

/// Lays out lists of the given lengths one after the other in one buffer: returns
/// where each list ends, where each starts (to write it from) and the buffer's length.
fn lay_out(mut lengths: Vec<u32>) -> (Vec<u32>, Vec<u32>, u32) {
    let mut total = 0;
    for length in &mut lengths {
        total += *length;
        *length = total;
    }
    let starts = std::iter::once(0)
        .chain(lengths.iter().copied())
        .take(lengths.len())
        .collect();
    (lengths, starts, total)
}

/// Gives each key of `part` its number in `table`, numbering new keys from `terms`, and
/// notes the pair (number in `table`, number in the part).
fn number_into<K: std::hash::Hash + Eq>(
    table: &mut FxHashMap<K, u32>,
    part: FxHashMap<K, u32>,
    terms: &mut u32,
    pairs: &mut Vec<(u32, u32)>,
) {
    table.reserve(part.len());
    for (key, local) in part {
        let term = *table.entry(key).or_insert_with(|| {
            *terms += 1;
            *terms - 1
        });
        pairs.push((term, local));
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
/// only at the end of one buffer; at the end the lists are laid out, term by term, in
/// one buffer of their final size (a [`Part`]).
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
    fn into_gathered(self) -> Gathered {
        // Each term's list ends with its current posting: the finished ones, plus one.
        let mut counts = vec![1u32; self.tally.terms as usize];
        for &(term, _) in &self.tally.finished {
            counts[term as usize] += 1;
        }
        let (ends, mut next, total) = lay_out(counts);
        let mut postings = vec![0; total as usize];
        for (term, posting) in self.tally.finished {
            let at = &mut next[term as usize];
            postings[*at as usize] = posting;
            *at += 1;
        }
        // What is left at the end of each term's range is its current posting's place.
        let mut close = |slot: Slot| {
            postings[next[slot.term as usize] as usize] = slot.current;
            slot.term
        };
        let mut grams: FxHashMap<GramKey, u32> = self
            .grams
            .into_iter()
            .map(|(key, slot)| (key, close(slot)))
            .collect();
        for (code, slot) in UNIFIED_IDEOGRAPHS.zip(self.common_unigrams) {
            if let (Some(c), false) = (char::from_u32(code), slot.term == UNSEEN.term) {
                grams.insert(tokens::unigram(c), close(slot));
            }
        }
        let short_words = self
            .short_words
            .into_iter()
            .map(|(packed, slot)| (packed, close(slot)))
            .collect();
        let words = self
            .words
            .into_iter()
            .map(|(word, slot)| (word, close(slot)))
            .collect();
        Gathered {
            part: Part { postings, ends },
            grams,
            short_words,
            words,
        }
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

    #[inline(always)]
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

    /// The runs of the gram `key`, or of the word `word`, as vectors.
    fn runs_of(postings: &Postings, key: Option<GramKey>, word: &str) -> Vec<Vec<Posting>> {
        let term = match key {
            Some(key) => postings.grams[&key],
            None => match pack_word(word) {
                Some(packed) => postings.short_words[&packed],
                None => postings.words[word],
            },
        };
        postings.runs(term).map(<[Posting]>::to_vec).collect()
    }

    #[test]
    fn collector_lists_each_term_once_per_article_with_its_fields() {
        let mut collector = Collector::default();
        let key = tokens::bigram('数', '据');
        let common = tokens::unigram('数');
        let rare = tokens::unigram('\u{3400}');
        let long = "interviewing";
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
        collector.word(long);
        let postings = Postings::merge(vec![collector.into_gathered()]);
        let both = vec![IN_TITLE | MAX_BODY_COUNT, (2 << 5) | IN_META];
        assert_eq!(runs_of(&postings, Some(key), ""), vec![both.clone()]);
        assert_eq!(runs_of(&postings, Some(common), ""), vec![both.clone()]);
        assert_eq!(runs_of(&postings, Some(rare), ""), vec![vec![(3 << 5) | 1]]);
        let mut with_doc_3 = both.clone();
        with_doc_3.push((3 << 5) | 1);
        assert_eq!(runs_of(&postings, None, "sora"), vec![with_doc_3]);
        assert_eq!(runs_of(&postings, None, long), vec![vec![(3 << 5) | 1]]);
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
    fn merged_parts_keep_article_order_and_one_number_per_term() {
        let part = |docs: &[(&str, &[u32])]| {
            let mut collector = Collector::default();
            for &(word, list) in docs {
                for &doc in list {
                    collector.tally.doc = doc;
                    collector.word(word);
                }
            }
            collector.into_gathered()
        };
        let mut merged = Postings::merge(vec![
            part(&[("a", &[1])]),
            part(&[("b", &[3]), ("a", &[3, 4])]),
            part(&[]),
            part(&[("a", &[6]), ("c", &[7])]),
        ]);
        let flat = |word| {
            runs_of(&merged, None, word)
                .concat()
                .iter()
                .map(|posting| posting >> 5)
                .collect::<Vec<_>>()
        };
        assert_eq!(flat("a"), vec![1, 3, 4, 6]);
        assert_eq!(runs_of(&merged, None, "a").len(), 3, "one run per part");
        assert_eq!(flat("b"), vec![3]);
        assert_eq!(flat("c"), vec![7]);
        let mut terms = merged.terms();
        terms.sort();
        let numbers: std::collections::BTreeSet<u32> = terms.iter().map(|t| t.1).collect();
        let texts: Vec<&str> = terms.iter().map(|t| t.0.as_str()).collect();
        assert_eq!((texts, numbers.len()), (vec!["a", "b", "c"], 3));
    }
}
