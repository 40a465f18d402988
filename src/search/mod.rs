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

use std::cmp::Ordering;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::render::OutputFile;
use crate::site::{Page, Site};
use crate::spill::SpillError;
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

/// Every term of the archive with its postings, before it is cut into files, in the
/// order of the index ([`TermKey::index_order`]).
///
/// The threads that read the articles each hold their terms' lists in one buffer (a
/// [`Part`]); a term's postings are its lists in the parts that saw it, in part order,
/// which is article order. Nothing is allocated per term: a real archive has hundreds of
/// thousands of terms, most of them in several parts.
#[derive(Debug, Default)]
pub struct Postings {
    parts: Vec<Part>,
    /// Each part's entry for each of its terms, sorted by term and, for one term, by
    /// part: term `t`'s are `entries[term_ends[t - 1]..term_ends[t]]` (from 0 for the
    /// first term).
    entries: Vec<Entry>,
    term_ends: Vec<u32>,
}

/// The postings one thread gathered: every term's list, in article order, as a range of
/// one buffer.
#[derive(Debug, Default)]
struct Part {
    postings: Vec<Posting>,
    /// Term `t`'s postings are `postings[ends[t - 1]..ends[t]]` (from 0 for the first).
    ends: Vec<u32>,
    /// The part's words of more than eight bytes, which an [`Entry`] names by index.
    long_words: Vec<Box<str>>,
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

/// One term as one part saw it: small and copied, so that the terms of all parts are
/// ordered together instead of being numbered in one hash table.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The term's first eight bytes ([`head`]): all of it unless it is a long word. As
    /// two halves, so that an entry takes 20 bytes rather than 24: a realistic archive
    /// has millions of entries, held twice while they are merged.
    head_halves: [u32; 2],
    /// The index of the term in its part's `long_words`, or [`SHORT`].
    long: u32,
    /// The part's number, in article order.
    part: u32,
    /// The term's number in its part.
    local: u32,
}

impl Entry {
    fn new(head: u64, long: u32, part: u32, local: u32) -> Entry {
        Entry {
            head_halves: [(head >> 32) as u32, head as u32],
            long,
            part,
            local,
        }
    }

    /// The term's first eight bytes.
    #[inline]
    fn head(&self) -> u64 {
        (u64::from(self.head_halves[0]) << 32) | u64::from(self.head_halves[1])
    }
}

/// [`Entry::long`] of a term of at most eight bytes.
const SHORT: u32 = u32::MAX;

/// A term as the index orders it: its [`head`], and its whole text when that is longer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TermKey<'a> {
    head: u64,
    long: Option<&'a str>,
}

impl TermKey<'_> {
    /// The key of `text`.
    pub(crate) fn of(text: &str) -> TermKey<'_> {
        TermKey {
            head: head(text.as_bytes()),
            long: (text.len() > 8).then_some(text),
        }
    }

    /// The order the script compares strings in (UTF-16 code units): that of their
    /// bytes changed by [`sort_byte`]. Most pairs are ordered by their heads as
    /// numbers: no term holds a zero byte, so comparing the zero-padded heads agrees
    /// with comparing the bytes.
    #[inline]
    pub(crate) fn index_order(&self, other: &TermKey<'_>) -> Ordering {
        self.head
            .cmp(&other.head)
            .then_with(|| match (self.long, other.long) {
                (Some(a), Some(b)) => a.bytes().map(sort_byte).cmp(b.bytes().map(sort_byte)),
                // The same head: the short term is the other's first eight bytes.
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }

    /// Whether both keys are of one term.
    fn same_term(&self, other: &TermKey<'_>) -> bool {
        self.head == other.head && self.long == other.long
    }

    /// Appends the term's text, as UTF-8.
    pub(crate) fn push_text(&self, out: &mut Vec<u8>) {
        match self.long {
            Some(text) => out.extend_from_slice(text.as_bytes()),
            None => {
                let len = 8 - self.head.trailing_zeros() as usize / 8;
                // Whether a byte is 0xF5 or 0xF6 ([`sort_byte`]), for the eight at once:
                // no other byte of UTF-8 has its low seven bits reach 0x80 - 0x0B.
                const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
                let changed = ((self.head & LOW) + 0x0B0B_0B0B_0B0B_0B0B) & self.head & !LOW;
                let bytes = if changed == 0 {
                    self.head.to_be_bytes()
                } else {
                    self.head.to_be_bytes().map(text_byte)
                };
                out.extend_from_slice(&bytes[..len]);
            }
        }
    }

    /// Calls `f` with the term's text.
    pub(crate) fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self.long {
            Some(text) => f(text),
            None => {
                let bytes = self.head.to_be_bytes().map(text_byte);
                let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                // A head of a short term is the whole term, so it is valid UTF-8.
                f(std::str::from_utf8(&bytes[..len]).unwrap_or_default())
            }
        }
    }
}

/// A UTF-8 byte changed so that comparing bytes orders strings as UTF-16 does, as the
/// script compares them: UTF-16 writes the characters beyond U+FFFF (lead bytes 0xF0 to
/// 0xF4) as surrogates from 0xD800, before those from U+E000 (lead bytes 0xEE and
/// 0xEF), which therefore move past them, to 0xF5 and 0xF6 (no UTF-8 byte). Other
/// bytes, and so the order of other characters, are left as they are.
#[inline]
fn sort_byte(byte: u8) -> u8 {
    match byte {
        0xEE | 0xEF => byte + 7,
        _ => byte,
    }
}

/// The byte [`sort_byte`] changed.
fn text_byte(byte: u8) -> u8 {
    match byte {
        0xF5 | 0xF6 => byte - 7,
        _ => byte,
    }
}

/// The first eight bytes of a term ([`sort_byte`]) as a number, the first byte highest,
/// zero-padded.
fn head(bytes: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    let len = bytes.len().min(8);
    head[..len].copy_from_slice(&bytes[..len]);
    u64::from_be_bytes(head.map(sort_byte))
}

/// The [`head`] of the gram `key`.
fn gram_head(key: GramKey) -> u64 {
    let (first, first_len) = utf8_number((key >> 21) as u32);
    let (second, second_len) = utf8_number((key & 0x1F_FFFF) as u32);
    // A unigram's second character is empty: shifted by less than 64 all the same.
    (first << (64 - 8 * first_len)) | (second << (64 - 8 * (first_len + second_len)))
}

/// The UTF-8 bytes of the character `code` ([`sort_byte`]) as a number, and how many
/// there are: none for 0.
fn utf8_number(code: u32) -> (u64, u32) {
    let code = u64::from(code);
    let tail = |shift: u32| 0x80 | ((code >> shift) & 0x3F);
    match code {
        0 => (0, 0),
        1..0x80 => (code, 1),
        0x80..0x800 => (((0xC0 | (code >> 6)) << 8) | tail(0), 2),
        0x800..0x10000 => {
            let lead = u64::from(sort_byte(0xE0 | (code >> 12) as u8));
            ((lead << 16) | (tail(6) << 8) | tail(0), 3)
        }
        _ => (
            ((0xF0 | (code >> 18)) << 24) | (tail(12) << 16) | (tail(6) << 8) | tail(0),
            4,
        ),
    }
}

/// The [`head`] of a word [`pack_word`] packed (first byte lowest).
fn packed_head(packed: u64) -> u64 {
    u64::from_be_bytes(packed.to_le_bytes().map(sort_byte))
}

/// Parts of the index per thread ([`Postings::of_site`]).
const PARTS_PER_THREAD: usize = 2;

impl Postings {
    /// Indexes the site's articles in parallel, each under its position in `site.pages`:
    /// two runs of consecutive articles per thread. Each part holds most of the
    /// archive's common terms, so every further part sorts and merges them once more:
    /// on running Chinese text, four parts per thread took 2.1 % more instructions for
    /// the whole build than two (callgrind, 10,000 articles). One part per thread saved
    /// another 1.1 %, but its parts' lists were all laid out at once, at their largest:
    /// a 100,000-article build peaked 80-110 MB higher.
    ///
    /// A thread reads its parts one after the other, each handing the next its emptied
    /// memory ([`Reused`]).
    pub fn of_site(site: &Site) -> Result<Postings, SpillError> {
        let per_part = site
            .pages
            .len()
            .div_ceil(PARTS_PER_THREAD * rayon::current_num_threads())
            .max(1);
        let gathered = site
            .pages
            .par_chunks(per_part * PARTS_PER_THREAD)
            .enumerate()
            .map(|(group, pages)| {
                let mut reused = Reused::default();
                let mut gathered = Vec::with_capacity(PARTS_PER_THREAD);
                let parts = pages.len().div_ceil(per_part);
                for (in_group, pages) in pages.chunks(per_part).enumerate() {
                    let first_doc = (group * PARTS_PER_THREAD + in_group) * per_part;
                    let mut collector = Collector::reusing(reused);
                    for (offset, page) in pages.iter().enumerate() {
                        collector.add((first_doc + offset) as u32, page)?;
                    }
                    let (part, entries, emptied) = collector.into_gathered(in_group + 1 < parts);
                    gathered.push((part, entries));
                    reused = emptied;
                }
                Ok(gathered)
            })
            .collect::<Result<Vec<_>, SpillError>>()?;
        Ok(Postings::merge(gathered.into_iter().flatten().collect()))
    }

    /// The terms of `gathered`, whose parts are in article order and each hold their
    /// entries in the order of the index, merged into that order, each term's entries
    /// in part order.
    fn merge(gathered: Vec<(Part, Vec<Entry>)>) -> Postings {
        let mut parts = Vec::with_capacity(gathered.len());
        let mut runs = Vec::with_capacity(gathered.len());
        for (number, (part, mut part_entries)) in gathered.into_iter().enumerate() {
            for entry in &mut part_entries {
                entry.part = number as u32;
            }
            runs.push(part_entries);
            parts.push(part);
        }
        let entries = merge_runs(runs, &|entry: &Entry| key_of(&parts, entry));
        let mut term_ends: Vec<u32> = entries
            .par_windows(2)
            .enumerate()
            .filter(|(_, pair)| !key_of(&parts, &pair[0]).same_term(&key_of(&parts, &pair[1])))
            .map(|(at, _)| at as u32 + 1)
            .collect();
        if !entries.is_empty() {
            term_ends.push(entries.len() as u32);
        }
        Postings {
            parts,
            entries,
            term_ends,
        }
    }

    /// How many terms the archive holds.
    pub fn term_count(&self) -> usize {
        self.term_ends.len()
    }

    /// The key of term `term`.
    pub(crate) fn key(&self, term: u32) -> TermKey<'_> {
        let first = list_range(&self.term_ends, term).start;
        key_of(&self.parts, &self.entries[first])
    }

    /// The number of the term `text`, if the archive holds it.
    pub fn find(&self, text: &str) -> Option<u32> {
        let wanted = TermKey::of(text);
        let (mut low, mut high) = (0, self.term_count());
        while low < high {
            let middle = (low + high) / 2;
            match self.key(middle as u32).index_order(&wanted) {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return Some(middle as u32),
            }
        }
        None
    }

    /// Term `term`'s postings, as runs in article order.
    pub fn runs(&self, term: u32) -> impl Iterator<Item = &[Posting]> {
        self.entries[list_range(&self.term_ends, term)]
            .iter()
            .map(|entry| self.parts[entry.part as usize].list(entry.local))
    }
}

/// `entries` in the order of their heads, entries with the same head in the order they
/// were given.
fn sort_by_head(mut entries: Vec<Entry>) -> Vec<Entry> {
    // Below this, the radix sort's fixed cost (four passes over 65,536 counts) is more
    // than a comparison sort's whole: a small archive's parts hold a few thousand terms.
    const RADIX_FROM: usize = 1 << 14;
    if entries.len() < RADIX_FROM {
        entries.sort_by_key(Entry::head);
        return entries;
    }
    radix_sort_by_head(entries)
}

/// [`sort_by_head`] as a radix sort, sixteen bits at a time from the lowest, which takes
/// a few instructions an entry for each pass (a comparison sort took several times more
/// on a real archive's hundreds of thousands of terms).
fn radix_sort_by_head(entries: Vec<Entry>) -> Vec<Entry> {
    const DIGITS: usize = 4;
    const VALUES: usize = 1 << 16;
    let digit = |head: u64, at: usize| (head >> (16 * at)) as u16 as usize;
    let mut counts = vec![0u32; DIGITS * VALUES];
    for entry in &entries {
        for at in 0..DIGITS {
            counts[at * VALUES + digit(entry.head(), at)] += 1;
        }
    }
    let mut from = entries;
    let mut to = from.clone();
    for (at, counts) in counts.chunks_exact_mut(VALUES).enumerate() {
        // Where every head has the same digit, a pass would move nothing.
        if counts.contains(&(from.len() as u32)) {
            continue;
        }
        // Each count becomes where its entries start.
        let mut start = 0;
        for count in counts.iter_mut() {
            (*count, start) = (start, start + *count);
        }
        for entry in &from {
            let next = &mut counts[digit(entry.head(), at)];
            to[*next as usize] = *entry;
            *next += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    from
}

/// `entries` in the order of the index ([`TermKey::index_order`]), entries of one term
/// in the order given; `key` gives an entry's key.
fn sort_in_index_order<'a>(entries: Vec<Entry>, key: impl Fn(&Entry) -> TermKey<'a>) -> Vec<Entry> {
    let mut entries = sort_by_head(entries);
    // The few entries sharing a head differ in a long word; the sort keeps ties in order.
    for same_head in entries.chunk_by_mut(|a, b| a.head_halves == b.head_halves) {
        if same_head.len() > 1 && same_head.iter().any(|entry| entry.long != SHORT) {
            same_head.sort_by(|a, b| key(a).index_order(&key(b)));
        }
    }
    entries
}

/// Runs of entries, each in the order of the index, merged into one, the entries of
/// one term in the order of their runs. The terms are cut into about twice as many
/// ranges as there are threads, at terms of the longest run; each range of every run
/// is merged in one pass, straight into its place in the result, and the ranges in
/// parallel. Merging the runs in pairs read and wrote every entry once per round, and
/// its last round ran on one thread.
fn merge_runs<'a>(
    mut runs: Vec<Vec<Entry>>,
    key: &(impl Fn(&Entry) -> TermKey<'a> + Sync),
) -> Vec<Entry> {
    if runs.len() <= 1 {
        return runs.pop().unwrap_or_default();
    }
    let longest = runs
        .iter()
        .map(Vec::as_slice)
        .max_by_key(|run| run.len())
        .unwrap_or_default();
    let ranges = (2 * rayon::current_num_threads()).min(longest.len()).max(1);
    let splitters: Vec<TermKey<'a>> = (1..ranges)
        .map(|range| key(&longest[range * longest.len() / ranges]))
        .collect();
    // Where each range starts in each run, and ends (the next one's start).
    let bounds: Vec<Vec<usize>> = runs
        .iter()
        .map(|run| {
            let mut starts = vec![0];
            starts.extend(splitters.iter().map(|splitter| {
                run.partition_point(|entry| key(entry).index_order(splitter).is_lt())
            }));
            starts.push(run.len());
            starts
        })
        .collect();
    let total = runs.iter().map(Vec::len).sum();
    // Filled on all threads, as it is then merged into: tens of megabytes on a large
    // archive, which one thread took about 10 ms longer to write.
    let mut merged = Vec::with_capacity(total);
    merged.par_extend(rayon::iter::repeat_n(Entry::new(0, SHORT, 0, 0), total));
    let mut pieces = Vec::with_capacity(ranges);
    let mut rest = merged.as_mut_slice();
    for range in 0..ranges {
        let slices: Vec<&[Entry]> = runs
            .iter()
            .zip(&bounds)
            .map(|(run, starts)| &run[starts[range]..starts[range + 1]])
            .collect();
        let length = slices.iter().map(|slice| slice.len()).sum();
        let (piece, after) = rest.split_at_mut(length);
        pieces.push((slices, piece));
        rest = after;
    }
    pieces
        .into_par_iter()
        .for_each(|(slices, piece)| merge_into(&slices, key, piece));
    merged
}

/// Merges `slices`, each in the order of the index, into `out` (as long as all of them
/// together): an entry of a later slice goes before one of an earlier slice only when
/// its term comes first.
fn merge_into<'a>(slices: &[&[Entry]], key: &impl Fn(&Entry) -> TermKey<'a>, out: &mut [Entry]) {
    /// The next entry of slice `slice`, ordered as it must come out.
    struct Next<'k> {
        key: TermKey<'k>,
        slice: usize,
    }
    impl PartialEq for Next<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other).is_eq()
        }
    }
    impl Eq for Next<'_> {}
    impl PartialOrd for Next<'_> {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Next<'_> {
        // Reversed, so that the heap (a max-heap) gives the first entry first.
        fn cmp(&self, other: &Self) -> Ordering {
            other
                .key
                .index_order(&self.key)
                .then(other.slice.cmp(&self.slice))
        }
    }
    let mut taken = vec![0; slices.len()];
    let mut heap: std::collections::BinaryHeap<Next<'a>> = slices
        .iter()
        .enumerate()
        .filter_map(|(slice, entries)| {
            let first = entries.first()?;
            Some(Next {
                key: key(first),
                slice,
            })
        })
        .collect();
    let mut places = out.iter_mut();
    while let Some(mut next) = heap.peek_mut() {
        let slice = next.slice;
        if let Some(place) = places.next() {
            *place = slices[slice][taken[slice]];
        }
        taken[slice] += 1;
        match slices[slice].get(taken[slice]) {
            // The slice's next entry takes its place in the heap, moved down as needed.
            Some(following) => next.key = key(following),
            None => {
                std::collections::binary_heap::PeekMut::pop(next);
            }
        }
    }
}

/// The key of the term of `entry`, a term of one of `parts`.
fn key_of<'a>(parts: &'a [Part], entry: &Entry) -> TermKey<'a> {
    key_in(&parts[entry.part as usize].long_words, entry)
}

/// The key of the term of `entry`, whose long words are `long_words`.
fn key_in<'a>(long_words: &'a [Box<str>], entry: &Entry) -> TermKey<'a> {
    TermKey {
        head: entry.head(),
        long: (entry.long != SHORT).then(|| &*long_words[entry.long as usize]),
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
                let mut part = Part::default();
                let mut entries = Vec::new();
                let mut add = |part: &mut Part, list: &[Posting], head, long| {
                    part.postings.extend_from_slice(list);
                    part.ends.push(part.postings.len() as u32);
                    let local = part.ends.len() as u32 - 1;
                    entries.push(Entry::new(head, long, 0, local));
                };
                for &(key, list) in grams.iter() {
                    let head = gram_head(key);
                    add(&mut part, list, head, SHORT);
                }
                for &(word, list) in words.iter() {
                    let long = match pack_word(word) {
                        Some(_) => SHORT,
                        None => {
                            part.long_words.push(word.into());
                            part.long_words.len() as u32 - 1
                        }
                    };
                    add(&mut part, list, TermKey::of(word).head, long);
                }
                let entries = sort_in_index_order(entries, |entry| key_in(&part.long_words, entry));
                (part, entries)
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

/// Which part of an article a term was seen in.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Meta,
    Body,
}

impl Field {
    /// What an occurrence in this field does to a posting's low bits.
    fn mark(self) -> Mark {
        match self {
            Field::Title => Mark {
                set: IN_TITLE,
                count: 0,
            },
            Field::Meta => Mark {
                set: IN_META,
                count: 0,
            },
            Field::Body => Mark { set: 0, count: 1 },
        }
    }
}

/// The bits an occurrence sets in a posting, and whether it counts (1) towards the body
/// count: a field as numbers, so that marking needs no branch.
#[derive(Clone, Copy)]
struct Mark {
    set: u32,
    count: u32,
}

/// The memory a [`Collector`] leaves to the next one on its thread, emptied: the first
/// chunk of its finished postings and its gram table, at the size they grew to. Fresh
/// memory is a page fault and the system's zeroing of every page: on running Chinese
/// text, 10,000 articles, the index took about 250 MB of it, and zeroing it cost up to
/// as much time as the tokenizer (`clear_page_erms`, perf; it varies from run to run).
#[derive(Default)]
struct Reused {
    chunk: Vec<(u32, Posting)>,
    grams: Option<TermTable<u32>>,
}

/// Gathers the terms of a run of articles, taken in order, into their postings.
///
/// Each term gets a [`Slot`] the first time it is seen: its number and the posting of
/// the latest article it was seen in. That posting moves to `finished` when the term
/// turns up in a later article. An occurrence thus touches one table entry and writes
/// only at the end of one buffer; at the end the lists are laid out, term by term, in
/// one buffer of their final size (a [`Part`]).
struct Collector {
    /// Grams of characters of the Basic Multilingual Plane but the common unigrams.
    grams: TermTable<u32>,
    /// Grams with a character beyond it.
    wide_grams: TermTable<GramKey>,
    /// Words of up to eight bytes (most of them), packed into a number ([`pack_word`]).
    short_words: TermTable<u64>,
    words: FxHashMap<Box<str>, Slot>,
    /// The unigrams from U+4E00 to U+9FFF (most of a Chinese text) by code point: an
    /// index instead of a hash lookup.
    common_unigrams: Box<[Slot; COMMON_UNIGRAMS]>,
    tally: Tally,
    scratch: String,
}

/// Where a [`Collector`] stands: apart from its tables, so both can be borrowed at once.
struct Tally {
    /// Terms numbered so far.
    terms: u32,
    /// Earlier postings, each with its term's number, in the order they were finished:
    /// the latest of them, whose spare capacity is room to write ahead
    /// ([`Tally::note`]), after the full chunks of `earlier`.
    finished: Vec<(u32, Posting)>,
    /// Chunks of finished postings filled before `finished`, in order. The postings are
    /// kept in chunks rather than one vector grown by doubling: each doubling copied
    /// every posting so far into memory the system had first to zero, and on running
    /// Chinese text that copying and zeroing took about a sixth of the gathering's time.
    earlier: Vec<Vec<(u32, Posting)>>,
    /// The article being read, and the part of it.
    doc: u32,
    mark: Mark,
}

/// A term's number and its posting for the latest article it was seen in.
#[derive(Clone, Copy)]
struct Slot {
    term: u32,
    current: Posting,
}

/// How many unigrams have a slot of their own ([`UNIFIED_IDEOGRAPHS`]); a fixed size,
/// so that indexing the slots by a character checked to be in the range needs no other
/// check.
const COMMON_UNIGRAMS: usize = (UNIFIED_IDEOGRAPHS.end - UNIFIED_IDEOGRAPHS.start) as usize;

/// The slot of a common unigram not seen yet.
const UNSEEN: Slot = Slot {
    term: u32::MAX,
    current: 0,
};

impl Default for Collector {
    fn default() -> Collector {
        Collector::reusing(Reused::default())
    }
}

impl Collector {
    /// A collector that starts with the memory an earlier one left.
    fn reusing(reused: Reused) -> Collector {
        Collector {
            grams: reused.grams.unwrap_or_else(TermTable::new),
            wide_grams: TermTable::new(),
            short_words: TermTable::new(),
            words: FxHashMap::default(),
            common_unigrams: Box::new([UNSEEN; COMMON_UNIGRAMS]),
            tally: Tally {
                terms: 0,
                finished: reused.chunk,
                earlier: Vec::new(),
                doc: 0,
                mark: Field::Body.mark(),
            },
            scratch: String::new(),
        }
    }

    fn add(&mut self, doc: u32, page: &Page) -> Result<(), SpillError> {
        let article = &page.article;
        self.start(doc, Field::Title);
        self.tokenize(&article.title);
        self.start(doc, Field::Meta);
        for text in article
            .interviewees
            .iter()
            .chain(&article.interviewers)
            .chain(&article.tags)
            .chain(&article.publication)
        {
            self.tokenize(text);
        }
        self.start(doc, Field::Body);
        self.tokenize(&page.rendered.plain_text()?);
        Ok(())
    }

    fn tokenize(&mut self, text: &str) {
        // Room for the grams the two gram tables hold back, too (`TermTable::note_soon`,
        // up to `AHEAD` each): they are noted later, during the next text or when the
        // next field starts.
        self.tally.make_room(text.len() + 2 * AHEAD);
        let mut scratch = std::mem::take(&mut self.scratch);
        tokens::tokenize(text, &mut scratch, self);
        self.scratch = scratch;
    }

    /// Starts the terms of `field` of article `doc`, once the grams still waiting for
    /// their places ([`TermTable::note_soon`]) are noted where they were seen.
    fn start(&mut self, doc: u32, field: Field) {
        self.grams.note_pending(&mut self.tally);
        self.wide_grams.note_pending(&mut self.tally);
        self.tally.doc = doc;
        self.tally.mark = field.mark();
    }

    /// The postings gathered, each term's list complete, an entry for each term, and the
    /// memory the next collector can reuse if `reuse` (otherwise it is freed as soon as
    /// it can be). The part's terms are numbered, and their lists laid out, in the order
    /// of the index: the shards are written in that order, so that they read each part's
    /// buffer from start to end instead of a term here and a term there (with hundreds
    /// of thousands of terms, every read was a cache miss).
    fn into_gathered(mut self, reuse: bool) -> (Part, Vec<Entry>, Reused) {
        self.grams.note_pending(&mut self.tally);
        self.wide_grams.note_pending(&mut self.tally);
        let terms = self.tally.terms as usize;
        // Each term's current posting, which ends its list, by the term's first number.
        let mut current = vec![0; terms];
        let mut entries = Vec::with_capacity(terms);
        let mut close = |slot: Slot, head: u64, long: u32| {
            current[slot.term as usize] = slot.current;
            entries.push(Entry::new(head, long, 0, slot.term));
        };
        for (key, slot) in self.grams.entries() {
            close(slot, gram_head(widen_gram(key)), SHORT);
        }
        // Freed here unless reused: a real archive's table is many megabytes.
        let grams = if reuse {
            Some(self.grams.emptied())
        } else {
            drop(self.grams);
            None
        };
        for (key, slot) in self.wide_grams.entries() {
            close(slot, gram_head(key), SHORT);
        }
        drop(self.wide_grams);
        for (code, slot) in UNIFIED_IDEOGRAPHS.zip(self.common_unigrams.iter().copied()) {
            if let (Some(c), false) = (char::from_u32(code), slot.term == UNSEEN.term) {
                close(slot, gram_head(tokens::unigram(c)), SHORT);
            }
        }
        for (packed, slot) in self.short_words.entries() {
            close(slot, packed_head(packed), SHORT);
        }
        drop(self.short_words);
        let mut long_words = Vec::with_capacity(self.words.len());
        for (word, slot) in self.words {
            close(slot, head(word.as_bytes()), long_words.len() as u32);
            long_words.push(word);
        }

        // Each term's list is its finished postings and its current one. Counted and
        // placed by the number the term was first given, which the finished postings
        // carry: a lookup of each posting's term in the index's order cost a cache miss
        // per posting on a large archive.
        let mut chunks = std::mem::take(&mut self.tally.earlier);
        chunks.push(std::mem::take(&mut self.tally.finished));
        let mut lengths = vec![1u32; terms];
        for chunk in &chunks {
            for (at, &(term, _)) in chunk.iter().enumerate() {
                if let Some(&(later, _)) = chunk.get(at + PLACE_AHEAD) {
                    prefetch(&lengths[later as usize]);
                }
                lengths[term as usize] += 1;
            }
        }
        // Renumber the terms in the index's order, and lay their lists out in it.
        let mut entries = sort_in_index_order(entries, |entry| key_in(&long_words, entry));
        let (ends, starts, total) = lay_out(
            entries
                .iter()
                .map(|entry| lengths[entry.local as usize])
                .collect(),
        );
        // Where each term's next posting goes, by its first number.
        let mut next = lengths;
        for (entry, start) in entries.iter().zip(starts) {
            next[entry.local as usize] = start;
        }
        let mut postings = vec![0; total as usize];
        // Chunk by chunk, each freed once placed. A large archive's lists and counters
        // are many megabytes, read and written at random: the counter of a term
        // `2 * PLACE_AHEAD` postings on is asked for, and the place of the one
        // `PLACE_AHEAD` on, whose counter came in meanwhile.
        let mut first_chunk = None;
        for chunk in chunks {
            for (at, &(term, posting)) in chunk.iter().enumerate() {
                if let Some(&(later, _)) = chunk.get(at + 2 * PLACE_AHEAD) {
                    prefetch(&next[later as usize]);
                }
                if let Some(&(sooner, _)) = chunk.get(at + PLACE_AHEAD)
                    && let Some(place) = postings.get(next[sooner as usize] as usize)
                {
                    prefetch(place);
                }
                let next = &mut next[term as usize];
                postings[*next as usize] = posting;
                *next += 1;
            }
            // The first chunk is kept for the next collector, the others freed.
            if reuse {
                first_chunk.get_or_insert(chunk);
            }
        }
        // What is left at the end of each term's range is its current posting's place.
        for (number, entry) in entries.iter_mut().enumerate() {
            let first_number = entry.local as usize;
            postings[next[first_number] as usize] = current[first_number];
            entry.local = number as u32;
        }
        let part = Part {
            postings,
            ends,
            long_words,
        };
        let mut chunk = first_chunk.unwrap_or_default();
        chunk.clear();
        let reused = Reused { chunk, grams };
        (part, entries, reused)
    }
}

impl Tally {
    /// A slot for a term seen for the first time, in the current article and field.
    fn new_slot(&mut self) -> Slot {
        let mut current = self.doc << 5;
        mark(&mut current, self.mark);
        self.terms += 1;
        Slot {
            term: self.terms - 1,
            current,
        }
    }

    /// Notes one more occurrence of a term in the current article and field, finishing
    /// its posting of an earlier article.
    ///
    /// Without a branch on whether the term was last seen in an earlier article: in a
    /// Chinese text that is a coin toss for each character, and its mispredictions were
    /// a fifth of the tokenizer's (callgrind's branch simulation). The posting is
    /// written ahead either way and kept only when it is finished; [`Tally::make_room`]
    /// must have made room for it.
    #[inline]
    fn note(&mut self, slot: &mut Slot) {
        let earlier = slot.current >> 5 != self.doc;
        let count = self.finished.len();
        self.finished.spare_capacity_mut()[0].write((slot.term, slot.current));
        // SAFETY: the place past the last finished posting was written just above.
        unsafe { self.finished.set_len(count + usize::from(earlier)) };
        slot.current = if earlier { self.doc << 5 } else { slot.current };
        mark(&mut slot.current, self.mark);
    }

    /// Makes room for the postings `notes` more notes can finish. A text of `n` bytes
    /// gives at most `n` notes: a word takes a byte or more, an ideograph's unigram and
    /// bigram take its three or four.
    fn make_room(&mut self, notes: usize) {
        if self.finished.capacity() - self.finished.len() < notes {
            // Chunks of one large size, not filled beforehand: memory is only taken as
            // it is written, and a small archive takes little of it.
            const CHUNK: usize = 1 << 22;
            let full = std::mem::replace(&mut self.finished, Vec::with_capacity(CHUNK.max(notes)));
            if !full.is_empty() {
                self.earlier.push(full);
            }
        }
    }
}

/// The slots of terms named by a non-zero number (grams, packed short words): open
/// addressing with linear probing, at most half full. A lookup that finds its term at
/// the first place it tries, nearly all of them, is a multiplication, a load and a
/// comparison: it is what the index does for every character of a Chinese text, and
/// a general hash table's probing took twice the instructions (callgrind).
///
/// Keyed by `u32` for the grams of the Basic Multilingual Plane ([`bmp_gram`]), nearly
/// all of a text's: a place then takes 12 bytes rather than 16, so the table that holds
/// a large archive's grams is a quarter smaller, for the system to zero and for the
/// caches to hold.
struct TermTable<K> {
    /// Each place's key and slot; key 0 marks an empty place.
    places: Vec<(K, Slot)>,
    /// 64 minus the base-2 logarithm of the number of places: a key's first place is the
    /// top bits of its product with [`TermTable::SPREAD`].
    shift: u32,
    /// The number of places minus one.
    mask: usize,
    /// Places taken.
    taken: usize,
    /// The last keys [`TermTable::note_soon`] was given, not noted yet: a ring, the
    /// oldest at `ahead_count % AHEAD` once it is full.
    ahead: [K; AHEAD],
    /// How many keys it was given since the last [`TermTable::note_pending`].
    ahead_count: usize,
}

/// How many keys wait for their places in a [`TermTable`] ([`TermTable::note_soon`]):
/// enough for a place to have arrived from memory when its key is noted, few enough for
/// all their cache lines to stay in the first-level cache.
const AHEAD: usize = 16;

impl<K: Copy + Default + PartialEq + Into<u64>> TermTable<K> {
    /// 2⁶⁴ divided by the golden ratio: multiplying by it spreads neighbouring keys.
    const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;
    const FIRST_BITS: u32 = 10;
    /// The number of places from which [`TermTable::note_soon`] asks for places ahead:
    /// twice the second-level cache of the machines measured, in places of 16 bytes.
    const AHEAD_FROM: usize = 1 << 17;

    fn new() -> TermTable<K> {
        TermTable {
            places: vec![(K::default(), UNSEEN); 1 << Self::FIRST_BITS],
            shift: 64 - Self::FIRST_BITS,
            mask: (1 << Self::FIRST_BITS) - 1,
            taken: 0,
            ahead: [K::default(); AHEAD],
            ahead_count: 0,
        }
    }

    /// The first place to try for `key`.
    #[inline(always)]
    fn first_place(&self, key: K) -> usize {
        (key.into().wrapping_mul(Self::SPREAD) >> self.shift) as usize
    }

    /// Notes an occurrence of `key` (not 0) [`AHEAD`] keys later, once its
    /// place has been fetched into the cache. A large archive's grams fill tables of
    /// many megabytes, so nearly every lookup missed the cache and waited for memory,
    /// one at a time; asked for ahead, the waits overlap. The notes keep their order, so
    /// the lists are the same; [`TermTable::note_pending`] must run before the article
    /// or the field changes.
    #[inline(always)]
    fn note_soon(&mut self, key: K, tally: &mut Tally) {
        // A table that fits the second-level cache gains nothing from it: asking ahead
        // there made the tokenizer 15-20 % slower. Tables only grow, so the ring is
        // empty until the table passes that size.
        if self.places.len() < Self::AHEAD_FROM {
            self.note(key, tally);
            return;
        }
        prefetch(&self.places[self.first_place(key) & self.mask]);
        let ring_at = self.ahead_count % AHEAD;
        if self.ahead_count >= AHEAD {
            self.note(self.ahead[ring_at], tally);
        }
        self.ahead[ring_at] = key;
        self.ahead_count += 1;
    }

    /// Notes the keys [`TermTable::note_soon`] holds back.
    fn note_pending(&mut self, tally: &mut Tally) {
        let count = self.ahead_count;
        for held in count.saturating_sub(AHEAD)..count {
            self.note(self.ahead[held % AHEAD], tally);
        }
        self.ahead_count = 0;
    }

    /// Notes an occurrence of the term `key` (not 0), numbering it if it is new.
    #[inline(always)]
    fn note(&mut self, key: K, tally: &mut Tally) {
        let mut at = self.first_place(key);
        loop {
            let place = &mut self.places[at & self.mask];
            if place.0 == key {
                tally.note(&mut place.1);
                return;
            }
            if place.0 == K::default() {
                *place = (key, tally.new_slot());
                self.taken += 1;
                if 2 * self.taken > self.places.len() {
                    self.grow();
                }
                return;
            }
            at += 1;
        }
    }

    /// Doubles the places, moving each key to its place in the larger table.
    #[cold]
    fn grow(&mut self) {
        let doubled = vec![(K::default(), UNSEEN); 2 * self.places.len()];
        let old = std::mem::replace(&mut self.places, doubled);
        self.shift -= 1;
        self.mask = self.places.len() - 1;
        for (key, slot) in old.into_iter().filter(|&(key, _)| key != K::default()) {
            let mut at = self.first_place(key);
            while self.places[at & self.mask].0 != K::default() {
                at += 1;
            }
            self.places[at & self.mask] = (key, slot);
        }
    }

    /// Every key with its slot, in no particular order.
    fn entries(&self) -> impl Iterator<Item = (K, Slot)> + '_ {
        self.places
            .iter()
            .copied()
            .filter(|&(key, _)| key != K::default())
    }

    /// The table with every place empty, at the size it grew to.
    fn emptied(mut self) -> TermTable<K> {
        self.places.fill((K::default(), UNSEEN));
        self.taken = 0;
        self.ahead_count = 0;
        self
    }
}

/// The gram of the characters `first` and `second` (0 for a unigram) as a `u32`, the
/// first in the high sixteen bits, if both lie in the Basic Multilingual Plane.
#[inline(always)]
fn bmp_gram(first: u32, second: u32) -> Option<u32> {
    ((first | second) <= 0xFFFF).then_some((first << 16) | second)
}

/// The [`GramKey`] of a gram [`bmp_gram`] made.
fn widen_gram(key: u32) -> GramKey {
    (u64::from(key >> 16) << 21) | u64::from(key & 0xFFFF)
}

/// How many postings ahead [`Collector::into_gathered`] asks for the places it will
/// count and write.
const PLACE_AHEAD: usize = 16;

/// Asks for the cache line of `place` to be loaded, without waiting for it.
#[inline(always)]
fn prefetch<T>(place: &T) {
    // SAFETY: a prefetch reads nothing into the program and never faults; the address
    // is that of a live value all the same.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (place as *const T).cast(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = place;
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

/// Adds one occurrence to a posting's low bits: sets its field's bit, or raises the
/// body count until it is full. Without a branch: whether the count is full is as hard
/// to predict as whether a term was seen before.
#[inline]
fn mark(bits: &mut u32, mark: Mark) {
    let room = u32::from(*bits & MAX_BODY_COUNT != MAX_BODY_COUNT);
    *bits = (*bits | mark.set) + (mark.count & room);
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
            match bmp_gram(code, 0) {
                Some(key) => self.grams.note_soon(key, &mut self.tally),
                None => self
                    .wide_grams
                    .note_soon(tokens::unigram(c), &mut self.tally),
            }
        }
    }

    #[inline(always)]
    fn bigram(&mut self, first: char, second: char) {
        match bmp_gram(first as u32, second as u32) {
            Some(key) => self.grams.note_soon(key, &mut self.tally),
            None => self
                .wide_grams
                .note_soon(tokens::bigram(first, second), &mut self.tally),
        }
    }

    #[inline(always)]
    fn short_word(&mut self, packed: u64) {
        self.short_words.note(packed, &mut self.tally);
    }

    #[inline(always)]
    fn word(&mut self, word: &str) {
        match pack_word(word) {
            Some(packed) => self.short_words.note(packed, &mut self.tally),
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

/// Makes the search index files of `site`, under `search/`, handing each to `sink` as
/// it is made.
pub fn index_files<E: From<SpillError> + Send>(
    site: &Site,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let postings = Postings::of_site(site)?;
    shards::write(site, postings, sink)
}

#[cfg(test)]
impl Collector {
    /// A collector with room for the notes of a test, which calls its [`TermSink`]
    /// methods without [`Collector::tokenize`] making room.
    fn with_room() -> Collector {
        let mut collector = Collector::default();
        collector.tally.make_room(100_000);
        collector
    }

    /// [`Collector::into_gathered`] without the memory left for reuse.
    fn gathered(self) -> (Part, Vec<Entry>) {
        let (part, entries, _) = self.into_gathered(false);
        (part, entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_counts_saturate_and_fields_set_bits() {
        let mut bits = 0;
        for _ in 0..10 {
            mark(&mut bits, Field::Body.mark());
        }
        mark(&mut bits, Field::Title.mark());
        mark(&mut bits, Field::Meta.mark());
        assert_eq!(bits, IN_TITLE | IN_META | MAX_BODY_COUNT);
    }

    /// The runs of the term `text`, as vectors.
    fn runs_of(postings: &Postings, text: &str) -> Vec<Vec<Posting>> {
        let term = postings.find(text).expect("the term is indexed");
        postings.runs(term).map(<[Posting]>::to_vec).collect()
    }

    /// Every term's text, in the order of the index.
    fn texts(postings: &Postings) -> Vec<String> {
        (0..postings.term_count() as u32)
            .map(|term| postings.key(term).with_text(str::to_owned))
            .collect()
    }

    #[test]
    fn a_collector_reusing_an_earlier_ones_memory_gathers_what_a_fresh_one_does() {
        let feed = |collector: &mut Collector, texts: [&str; 2]| {
            for (doc, text) in texts.into_iter().enumerate() {
                collector.start(doc as u32, Field::Body);
                collector.tokenize(text);
            }
        };
        let lists = |collector: Collector| {
            let postings = Postings::merge(vec![collector.gathered()]);
            texts(&postings)
                .into_iter()
                .map(|text| {
                    let runs = runs_of(&postings, &text);
                    (text, runs)
                })
                .collect::<Vec<_>>()
        };
        let mut first = Collector::default();
        feed(&mut first, ["大模型的训练数据", "数据 interviewing sora"]);
        let (_, _, reused) = first.into_gathered(true);
        assert!(reused.chunk.is_empty() && reused.chunk.capacity() > 0);
        assert!(reused.grams.is_some());
        let later = ["数据中心 冰川", "glacier 数据"];
        let mut again = Collector::reusing(reused);
        feed(&mut again, later);
        let mut fresh = Collector::default();
        feed(&mut fresh, later);
        let gathered = lists(again);
        assert!(gathered.iter().any(|(text, _)| text == "数据"));
        assert!(!gathered.iter().any(|(text, _)| text == "模型"));
        assert_eq!(gathered, lists(fresh));
    }

    #[test]
    fn collector_lists_each_term_once_per_article_with_its_fields() {
        let mut collector = Collector::with_room();
        let long = "interviewing";
        for (doc, field, times) in [
            (0, Field::Title, 1),
            (0, Field::Body, 9),
            (2, Field::Meta, 1),
        ] {
            collector.start(doc, field);
            for _ in 0..times {
                collector.bigram('数', '据');
                collector.unigram('数');
                collector.word("sora");
            }
        }
        collector.start(3, Field::Body);
        collector.unigram('\u{3400}');
        collector.unigram('𠀀');
        collector.bigram('𠀀', '数');
        collector.short_word(u64::from_le_bytes(*b"sora\0\0\0\0"));
        collector.word(long);
        let postings = Postings::merge(vec![collector.gathered()]);
        let both = vec![IN_TITLE | MAX_BODY_COUNT, (2 << 5) | IN_META];
        assert_eq!(runs_of(&postings, "数据"), vec![both.clone()]);
        assert_eq!(runs_of(&postings, "数"), vec![both.clone()]);
        assert_eq!(runs_of(&postings, "\u{3400}"), vec![vec![(3 << 5) | 1]]);
        assert_eq!(runs_of(&postings, "𠀀"), vec![vec![(3 << 5) | 1]]);
        assert_eq!(runs_of(&postings, "𠀀数"), vec![vec![(3 << 5) | 1]]);
        let mut with_doc_3 = both.clone();
        with_doc_3.push((3 << 5) | 1);
        assert_eq!(runs_of(&postings, "sora"), vec![with_doc_3]);
        assert_eq!(runs_of(&postings, long), vec![vec![(3 << 5) | 1]]);
        assert_eq!(
            texts(&postings),
            [
                "interviewing",
                "sora",
                "\u{3400}",
                "数",
                "数据",
                "𠀀",
                "𠀀数"
            ]
        );
        assert_eq!(postings.find("数据库"), None);
    }

    #[test]
    fn the_term_table_keeps_every_term_once_as_it_grows() {
        let mut table = TermTable::new();
        let mut tally = Collector::default().tally;
        tally.make_room(10_000);
        // Keys that share their low bits, and more of them than the first table holds.
        let keys: Vec<u64> = (1..=5_000u64).map(|n| n << 40).collect();
        for doc in 0..2 {
            tally.doc = doc;
            for &key in &keys {
                table.note(key, &mut tally);
            }
        }
        assert_eq!(tally.terms, 5_000, "each key numbered once");
        let mut entries: Vec<(u64, Slot)> = table.entries().collect();
        entries.sort_by_key(|&(key, _)| key);
        assert_eq!(entries.len(), 5_000);
        for (at, (key, slot)) in entries.iter().enumerate() {
            assert_eq!(*key, keys[at]);
            assert_eq!(slot.term, at as u32, "numbered in the order first seen");
            assert_eq!(slot.current, (1 << 5) | 1, "the second article's posting");
        }
        assert_eq!(tally.finished.len(), 5_000, "the first article's postings");
    }

    #[test]
    fn heads_of_grams_and_packed_words_are_those_of_their_text() {
        for word in ["a", "sora", "gpt4o", "12345678", "łodz", "\u{FB1D}", "𝐀b"] {
            let packed = pack_word(word).expect("short");
            assert_eq!(packed_head(packed), TermKey::of(word).head, "{word}");
        }
        assert_eq!(pack_word("123456789"), None);
        for (key, text) in [
            (tokens::unigram('数'), "数"),
            (tokens::bigram('数', '据'), "数据"),
            (tokens::bigram('𠀀', '𪚥'), "𠀀𪚥"),
            (tokens::bigram('\u{F900}', 'é'), "\u{F900}é"),
            (tokens::unigram('\u{FFFD}'), "\u{FFFD}"),
            (tokens::bigram('a', '\u{7FF}'), "a\u{7FF}"),
        ] {
            assert_eq!(gram_head(key), TermKey::of(text).head, "{text}");
            let mut chars = text.chars().map(|c| c as u32);
            let (first, second) = (chars.next(), chars.next());
            if let Some(narrow) = first.and_then(|first| bmp_gram(first, second.unwrap_or(0))) {
                assert_eq!(widen_gram(narrow), key, "{text}");
            }
            assert_eq!(TermKey::of(text).with_text(str::to_owned), text);
        }
    }

    #[test]
    fn term_order_agrees_with_utf16() {
        let samples = [
            "",
            "a",
            "ab",
            "b",
            "数",
            "数据",
            "数据库",
            "𠀀",
            "𠀀数",
            "\u{F900}",
            "\u{FFFD}x",
            "a𠀀",
            "a\u{F900}",
            "é",
            "e\u{301}",
            "𪚥",
            "\u{E000}",
            "z\u{10FFFF}",
            "abcdefgh",
            "abcdefgh\u{F900}",
            "abcdefgh𠀀",
            "abcdefghi",
            "abcdefg",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(
                    TermKey::of(a).index_order(&TermKey::of(b)),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn a_table_large_enough_to_ask_ahead_keeps_every_list() {
        // Enough distinct bigrams for the table to pass `AHEAD_FROM` places, so that most
        // of them go through the ring; each is in two of three articles, some twice.
        let ideograph = |code: u32| char::from_u32(0x4E00 + code).expect("an ideograph");
        let grams: Vec<(char, char)> = (0..40_000)
            .map(|i| (ideograph(i / 200), ideograph(i % 200)))
            .collect();
        let in_doc = |i: usize, doc: u32| i % 3 != doc as usize;
        let mut collector = Collector::with_room();
        for doc in 0..3 {
            collector.start(doc, Field::Body);
            for (i, &(first, second)) in grams.iter().enumerate() {
                if in_doc(i, doc) {
                    collector.bigram(first, second);
                    if i % 1_000 == 0 {
                        collector.bigram(first, second);
                    }
                }
            }
        }
        assert!(collector.grams.places.len() >= TermTable::<u32>::AHEAD_FROM);
        let postings = Postings::merge(vec![collector.gathered()]);
        for (i, &(first, second)) in grams.iter().enumerate() {
            let times = if i % 1_000 == 0 { 2 } else { 1 };
            let expected: Vec<Posting> = (0..3)
                .filter(|&doc| in_doc(i, doc))
                .map(|doc| (doc << 5) | times)
                .collect();
            let text = format!("{first}{second}");
            assert_eq!(runs_of(&postings, &text).concat(), expected, "{text}");
        }
    }

    #[test]
    fn merged_parts_keep_article_order_and_one_number_per_term() {
        let part = |docs: &[(&str, &[u32])]| {
            let mut collector = Collector::with_room();
            for &(word, list) in docs {
                for &doc in list {
                    collector.start(doc, Field::Body);
                    collector.word(word);
                }
            }
            collector.gathered()
        };
        let merged = Postings::merge(vec![
            part(&[("a", &[1])]),
            part(&[("b", &[3]), ("a", &[3, 4])]),
            part(&[]),
            part(&[("a", &[6]), ("c", &[7])]),
        ]);
        let flat = |word| {
            runs_of(&merged, word)
                .concat()
                .iter()
                .map(|posting| posting >> 5)
                .collect::<Vec<_>>()
        };
        assert_eq!(flat("a"), vec![1, 3, 4, 6]);
        assert_eq!(runs_of(&merged, "a").len(), 3, "one run per part");
        assert_eq!(flat("b"), vec![3]);
        assert_eq!(flat("c"), vec![7]);
        assert_eq!(texts(&merged), ["a", "b", "c"]);
    }

    #[test]
    fn merging_runs_orders_long_words_and_keeps_each_terms_runs_in_order() {
        // Words of more than eight bytes share their heads; each part sees some.
        let words = [
            "internationally",
            "international",
            "internal",
            "inter",
            "interviewee",
            "interview",
            "zebra",
            "a",
        ];
        let text = |entry: &Entry| words[entry.local as usize];
        let key = |entry: &Entry| TermKey::of(text(entry));
        let runs: Vec<Vec<Entry>> = (0..5u32)
            .map(|part| {
                let entries = (0u32..)
                    .zip(words)
                    .filter(|&(at, _)| (at + part) % 3 != 0)
                    .map(|(at, word)| {
                        let long = if word.len() > 8 { at } else { SHORT };
                        Entry::new(TermKey::of(word).head, long, part, at)
                    })
                    .collect();
                sort_in_index_order(entries, key)
            })
            .collect();
        let merged = merge_runs(runs.clone(), &key);
        let mut expected: Vec<Entry> = runs.concat();
        expected.sort_by(|a, b| key(a).index_order(&key(b)));
        let order = |entries: &[Entry]| -> Vec<(&str, u32)> {
            entries.iter().map(|e| (text(e), e.part)).collect()
        };
        assert_eq!(order(&merged), order(&expected));
        assert_eq!(text(&merged[0]), "a");
        assert_eq!(text(&merged[merged.len() - 1]), "zebra");
    }

    #[test]
    fn a_parts_lists_lie_in_the_order_of_the_index() {
        let mut collector = Collector::with_room();
        for (doc, word) in ["zebra", "apple", "mango", "apple"].iter().enumerate() {
            collector.start(doc as u32, Field::Body);
            collector.word(word);
        }
        let (part, entries) = collector.gathered();
        let locals: Vec<u32> = entries.iter().map(|entry| entry.local).collect();
        assert_eq!(locals, [0, 1, 2], "numbered in index order");
        let docs = |local| part.list(local).iter().map(|p| p >> 5).collect::<Vec<_>>();
        assert_eq!(docs(0), [1, 3], "apple");
        assert_eq!(docs(1), [2], "mango");
        assert_eq!(docs(2), [0], "zebra");
    }

    #[test]
    fn sorting_by_head_orders_every_digit_and_keeps_ties_in_order() {
        let heads = [
            u64::MAX,
            1 << 48,
            5,
            1 << 16,
            5,
            (1 << 32) | 7,
            1 << 48,
            0,
            5,
        ];
        let entries: Vec<Entry> = heads
            .iter()
            .enumerate()
            .map(|(at, &head)| Entry::new(head, SHORT, at as u32, 0))
            .collect();
        let heads_and_parts = |entries: Vec<Entry>| -> Vec<(u64, u32)> {
            entries
                .iter()
                .map(|entry| (entry.head(), entry.part))
                .collect()
        };
        let mut expected: Vec<(u64, u32)> = (0..).zip(heads).map(|(at, h)| (h, at)).collect();
        expected.sort();
        assert_eq!(heads_and_parts(sort_by_head(entries.clone())), expected);
        assert_eq!(heads_and_parts(radix_sort_by_head(entries)), expected);
    }

    #[test]
    fn merging_sorts_in_utf16_order_keeps_article_order_and_any_split_agrees() {
        // Words of one to twelve characters over an alphabet with characters of every
        // UTF-8 length and both sides of U+E000, so that heads tie and late bytes meet.
        let alphabet = ['a', 'b', 'é', '数', '\u{F900}', '𠀀'];
        let mut seed = 7u64;
        let mut next = move |below: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % below
        };
        let mut lists: Vec<Vec<(String, Vec<Posting>)>> = Vec::new();
        let mut expected: std::collections::BTreeMap<Vec<u16>, (String, Vec<Posting>)> =
            std::collections::BTreeMap::new();
        let mut doc = 0;
        for _ in 0..12 {
            let mut part: Vec<(String, Vec<Posting>)> = Vec::new();
            for _ in 0..next(60) {
                let len = 1 + next(12);
                // Mostly the first letters: words that share long heads.
                let word: String = (0..len)
                    .map(|_| {
                        let letters = 2 + next(5);
                        alphabet[next(letters)]
                    })
                    .collect();
                doc += next(3) as u32;
                let posting = (doc << 5) | 1;
                match part.iter_mut().find(|(w, _)| *w == word) {
                    Some((_, list)) if list.last() != Some(&posting) => list.push(posting),
                    Some(_) => {}
                    None => part.push((word.clone(), vec![posting])),
                }
                let entry = expected.entry(word.encode_utf16().collect());
                let (_, list) = entry.or_insert_with(|| (word.clone(), Vec::new()));
                if list.last() != Some(&posting) {
                    list.push(posting);
                }
            }
            lists.push(part);
        }
        let merged_on = |threads| {
            let borrowed: Vec<Vec<(&str, &[Posting])>> = lists
                .iter()
                .map(|part| {
                    part.iter()
                        .map(|(w, l)| (w.as_str(), l.as_slice()))
                        .collect()
                })
                .collect();
            let parts: Vec<TestPart<'_>> =
                borrowed.iter().map(|p| (p.as_slice(), &[][..])).collect();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool");
            pool.install(|| {
                let postings = Postings::from_lists(&parts);
                (0..postings.term_count() as u32)
                    .map(|term| {
                        let text = postings.key(term).with_text(str::to_owned);
                        (
                            text,
                            postings.runs(term).flatten().copied().collect::<Vec<_>>(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        };
        let want: Vec<(String, Vec<Posting>)> = expected.into_values().collect();
        assert!(want.len() > 200, "{} terms", want.len());
        assert_eq!(merged_on(1), want);
        assert_eq!(merged_on(4), want);
    }
}
