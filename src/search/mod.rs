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
use tokens::{GramKey, TermSink};

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
#[derive(Debug, Default)]
pub struct Postings {
    /// Unigrams and bigrams of ideographic text.
    pub grams: FxHashMap<GramKey, Vec<Posting>>,
    /// Folded words.
    pub words: FxHashMap<Box<str>, Vec<Posting>>,
}

impl Postings {
    /// Indexes the site's articles in parallel, each under its position in `site.pages`.
    pub fn of_site(site: &Site) -> Postings {
        let per_thread = site.pages.len() / (4 * rayon::current_num_threads()).max(1);
        site.pages
            .par_iter()
            .enumerate()
            .with_min_len(per_thread.max(1))
            .fold(Collector::default, |mut collector, (doc, page)| {
                collector.add(doc as u32, page);
                collector
            })
            .map(|collector| collector.postings)
            .reduce(Postings::default, Postings::append)
    }

    /// `self` followed by `later`, whose articles all come after `self`'s.
    fn append(mut self, later: Postings) -> Postings {
        if self.grams.len() + self.words.len() < later.grams.len() + later.words.len() {
            // Prepend the smaller map instead of copying the larger one.
            let mut merged = later;
            for (key, mut postings) in self.grams {
                let entry = merged.grams.entry(key).or_default();
                postings.append(entry);
                *entry = postings;
            }
            for (word, mut postings) in self.words {
                let entry = merged.words.entry(word).or_default();
                postings.append(entry);
                *entry = postings;
            }
            return merged;
        }
        for (key, postings) in later.grams {
            self.grams.entry(key).or_default().extend(postings);
        }
        for (word, postings) in later.words {
            self.words.entry(word).or_default().extend(postings);
        }
        self
    }
}

/// Which part of an article a term was seen in.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Meta,
    Body,
}

/// Gathers the terms of one article at a time into the postings of a run of articles.
#[derive(Default)]
struct Collector {
    postings: Postings,
    /// The current article's terms and their field bits, cleared per article.
    grams: FxHashMap<GramKey, u32>,
    words: FxHashMap<String, u32>,
    field: Option<Field>,
    scratch: String,
}

impl Collector {
    fn add(&mut self, doc: u32, page: &Page) {
        let article = &page.article;
        self.field = Some(Field::Title);
        self.tokenize(&article.title);
        self.field = Some(Field::Meta);
        for text in article
            .interviewees
            .iter()
            .chain(&article.interviewers)
            .chain(&article.tags)
            .chain(&article.publication)
        {
            self.tokenize(text);
        }
        self.field = Some(Field::Body);
        self.tokenize(&page.rendered.text);
        let base = doc << 5;
        for (key, bits) in self.grams.drain() {
            self.postings
                .grams
                .entry(key)
                .or_default()
                .push(base | bits);
        }
        for (word, bits) in self.words.drain() {
            match self.postings.words.get_mut(word.as_str()) {
                Some(list) => list.push(base | bits),
                None => {
                    self.postings
                        .words
                        .insert(word.into_boxed_str(), vec![base | bits]);
                }
            }
        }
    }

    fn tokenize(&mut self, text: &str) {
        let mut scratch = std::mem::take(&mut self.scratch);
        tokens::tokenize(text, &mut scratch, self);
        self.scratch = scratch;
    }
}

/// Adds one occurrence in `field` to a term's bits.
fn mark(bits: &mut u32, field: Option<Field>) {
    match field {
        Some(Field::Title) => *bits |= IN_TITLE,
        Some(Field::Meta) => *bits |= IN_META,
        Some(Field::Body) | None => {
            if *bits & MAX_BODY_COUNT < MAX_BODY_COUNT {
                *bits += 1;
            }
        }
    }
}

impl TermSink for Collector {
    fn gram(&mut self, key: GramKey) {
        mark(self.grams.entry(key).or_default(), self.field);
    }

    fn word(&mut self, word: &str) {
        match self.words.get_mut(word) {
            Some(bits) => mark(bits, self.field),
            None => {
                let mut bits = 0;
                mark(&mut bits, self.field);
                self.words.insert(word.to_string(), bits);
            }
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
            mark(&mut bits, Some(Field::Body));
        }
        mark(&mut bits, Some(Field::Title));
        mark(&mut bits, Some(Field::Meta));
        assert_eq!(bits, IN_TITLE | IN_META | MAX_BODY_COUNT);
    }

    #[test]
    fn append_keeps_article_order_either_way() {
        let make = |docs: &[u32]| {
            let mut p = Postings::default();
            p.words
                .insert("a".into(), docs.iter().map(|d| d << 5).collect());
            p
        };
        let mut big = make(&[3, 4]);
        big.words.insert("b".into(), vec![3 << 5]);
        let merged = make(&[1]).append(big);
        assert_eq!(merged.words["a"], vec![1 << 5, 3 << 5, 4 << 5]);
        let merged = make(&[1, 2]).append(make(&[5]));
        assert_eq!(merged.words["a"], vec![1 << 5, 2 << 5, 5 << 5]);
    }
}
