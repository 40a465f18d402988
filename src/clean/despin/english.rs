//! English candidates and scores: a thesaurus proposes the ordinary words a spinner
//! may have replaced, and a word-pair model of ordinary English decides, sentence by
//! sentence, which reading the writer most likely wrote.
//!
//! The model is a lattice over the words of a sentence: each suspicious word may stay
//! or become one of its candidates. A path scores the pointwise mutual information of
//! its adjacent word pairs beyond what any two ordinary words share (only pairs the
//! corpus lists; the list is pruned, so an unlisted pair is no evidence either way), minus a cost per change and plus a small bonus for a more frequent
//! word. The best path wins; a change's margin is how much better the best path is
//! than the best path that keeps the word, so a change that rests on a strong
//! collocation ("artificial intelligence") is sure, one that barely wins is not.

use std::cmp::Ordering;
use std::io::Read;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::{Proposal, Source};

/// The cost of changing one word, in nats of mutual information.
const CHANGE_COST: f64 = 2.0;
/// Mutual information below this is the glue of any two ordinary words ("sense at",
/// "we finished"); only the excess over it counts as evidence of a collocation.
const GLUE: f64 = 4.0;
/// Weight of the frequency ratio between a candidate and the word on the page.
const FREQUENCY_WEIGHT: f64 = 0.15;
/// The frequency bonus is clamped to this many nats either way.
const FREQUENCY_CLAMP: f64 = 2.0;
/// The count assumed for a word the frequency list does not know.
const UNKNOWN_COUNT: f64 = 10_000.0;
/// Words at least this frequent are never changed: a spinner's output is a rarer word
/// than the one it replaced, and ordinary words are the ones a writer chose.
const ORDINARY_COUNT: u64 = 30_000_000;
/// A candidate must be this many times more frequent than the word on the page: a
/// spinner swaps an ordinary word for a rarer one, so restoring goes the other way
/// (and a loose thesaurus row cannot swap one ordinary word for another).
const MIN_RATIO: f64 = 1.5;
/// At most this many candidates per word enter the lattice.
const MAX_CANDIDATES: usize = 30;

/// The English word counts, word-pair counts and spun-word candidates.
// Fx hashing: the tables are embedded data, so SipHash's flood protection buys
// nothing, and it was most of the model's load time.
#[derive(Debug, Default)]
pub struct EnglishModel {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    counts: Vec<u64>,
    total: f64,
    pairs: FxHashMap<(u32, u32), u64>,
    candidates: FxHashMap<Box<str>, Vec<u32>>,
}

/// Decompresses an embedded gzip data file.
fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    // The files are embedded at compile time and tested; a failure here is a build bug.
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap_or_default();
    text
}

impl EnglishModel {
    /// The shipped model, decompressed on first use.
    pub fn global() -> &'static EnglishModel {
        static MODEL: OnceLock<EnglishModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            EnglishModel::from_text(
                &gunzip(include_bytes!("../data/en-words.txt.gz")),
                &gunzip(include_bytes!("../data/en-bigrams.txt.gz")),
                &gunzip(include_bytes!("../data/en-thesaurus.txt.gz")),
            )
        })
    }

    /// Builds a model from the three data files' text (`word\tcount`,
    /// `word word\tcount`, `spun\toriginal,original`). Malformed lines are skipped.
    pub fn from_text(words: &str, pairs: &str, thesaurus: &str) -> EnglishModel {
        // Sized from the text (about 16, 21 and 116 bytes a line) to spare the rehashing.
        let mut model = EnglishModel {
            ids: FxHashMap::with_capacity_and_hasher(words.len() / 16, Default::default()),
            pairs: FxHashMap::with_capacity_and_hasher(pairs.len() / 21, Default::default()),
            candidates: FxHashMap::with_capacity_and_hasher(
                thesaurus.len() / 116,
                Default::default(),
            ),
            ..EnglishModel::default()
        };
        for line in super::super::data_lines(words) {
            if let Some((word, count)) = line.split_once('\t')
                && let Ok(count) = count.trim().parse::<u64>()
            {
                let id = model.counts.len() as u32;
                model.ids.insert(word.into(), id);
                model.words.push(word.into());
                model.counts.push(count);
                model.total += count as f64;
            }
        }
        for line in super::super::data_lines(pairs) {
            if let Some((pair, count)) = line.split_once('\t')
                && let Some((a, b)) = pair.split_once(' ')
                && let (Some(a), Some(b)) = (model.id(a), model.id(b))
                && let Ok(count) = count.trim().parse::<u64>()
            {
                model.pairs.insert((a, b), count);
            }
        }
        for line in super::super::data_lines(thesaurus) {
            if let Some((spun, originals)) = line.split_once('\t') {
                let ids: Vec<u32> = originals
                    .split(',')
                    .filter_map(|o| model.id(o))
                    .take(MAX_CANDIDATES)
                    .collect();
                if !ids.is_empty() {
                    model.candidates.insert(spun.into(), ids);
                }
            }
        }
        model
    }

    fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    fn count(&self, id: Option<u32>) -> f64 {
        id.map_or(UNKNOWN_COUNT, |i| self.counts[i as usize] as f64)
    }

    /// The pointwise mutual information of a listed word pair beyond [`GLUE`], else 0.
    fn association(&self, a: Option<u32>, b: Option<u32>) -> f64 {
        let (Some(a), Some(b)) = (a, b) else {
            return 0.0;
        };
        match self.pairs.get(&(a, b)) {
            Some(&n) => {
                let expected =
                    self.counts[a as usize] as f64 * self.counts[b as usize] as f64 / self.total;
                ((n as f64 / expected).ln() - GLUE).max(0.0)
            }
            None => 0.0,
        }
    }

    fn listed(&self, a: Option<u32>, b: Option<u32>) -> bool {
        matches!((a, b), (Some(a), Some(b)) if self.pairs.contains_key(&(a, b)))
    }

    /// The changes the model proposes in `text`, best path per sentence.
    pub fn propose(&self, text: &str) -> Vec<Proposal> {
        let words = words(text);
        let mut proposals = Vec::new();
        let mut start = 0;
        for end in 1..=words.len() {
            let sentence_ends = end == words.len() || !words[end - 1].joined_to_next;
            if sentence_ends {
                self.propose_in(text, &words[start..end], &mut proposals);
                start = end;
            }
        }
        proposals
    }

    /// Viterbi with forward and backward best scores over one run of adjacent words.
    fn propose_in(&self, text: &str, words: &[Word], proposals: &mut Vec<Proposal>) {
        // Most words are in lower-case ASCII already: borrowed, not copied.
        let lowered: Vec<std::borrow::Cow<str>> = words
            .iter()
            .map(|w| {
                let word = &text[w.start..w.end];
                if word
                    .bytes()
                    .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
                {
                    std::borrow::Cow::Borrowed(word)
                } else {
                    std::borrow::Cow::Owned(word.to_lowercase())
                }
            })
            .collect();
        let ids: Vec<Option<u32>> = lowered.iter().map(|w| self.id(w)).collect();
        // The other readings of each suspicious word; most runs have none, and then
        // there is nothing to weigh.
        let mut others: Vec<(usize, Vec<Node>)> = Vec::new();
        for (i, word) in lowered.iter().enumerate() {
            if !self.suspicious(word, &ids, i) {
                continue;
            }
            let own = self.count(ids[i]);
            let readings: Vec<Node> = self
                .candidates
                .get(&**word)
                .into_iter()
                .flatten()
                .filter_map(|&c| {
                    let ratio = (self.counts[c as usize] as f64 / own).ln();
                    let bonus = (FREQUENCY_WEIGHT * ratio).clamp(-FREQUENCY_CLAMP, FREQUENCY_CLAMP);
                    // Rejected only when below the floor, as before (a NaN passes).
                    let below = ratio.partial_cmp(&MIN_RATIO.ln()) == Some(Ordering::Less);
                    (!below).then_some((Some(c), bonus - CHANGE_COST))
                })
                .collect();
            if !readings.is_empty() {
                others.push((i, readings));
            }
        }
        if others.is_empty() {
            return;
        }
        // Each position's nodes: (word id, node score); node 0 is the word on the page.
        let mut nodes: Vec<Vec<Node>> = ids.iter().map(|&id| vec![(id, 0.0)]).collect();
        for (i, readings) in others {
            nodes[i].extend(readings);
        }
        let forward = self.sweep(&nodes, false);
        let backward = self.sweep(&nodes, true);
        let best_total = forward
            .last()
            .into_iter()
            .flatten()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        // Trace the best path: at each position the node whose through-score is best.
        for (i, here) in nodes.iter().enumerate() {
            let through = |k: usize| forward[i][k] + backward[i][k] - here[k].1;
            let (best, score) = (0..here.len())
                .map(|k| (k, through(k)))
                .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
            if best == 0 || score < best_total - 1e-9 {
                continue;
            }
            let margin = best_total - through(0);
            let Some(id) = here[best].0 else { continue };
            let word = &words[i];
            let original = self.word(id);
            proposals.push(Proposal {
                start: word.start,
                end: word.end,
                original: super::match_case(&text[word.start..word.end], original),
                margin,
                spun_margin: margin,
                source: Source::EnglishThesaurus,
                reason: format!(
                    "`{}` reads better here: its word pairs score {margin:.1} above `{}`",
                    original, lowered[i]
                ),
            });
        }
    }

    fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", |w| &**w)
    }

    /// A word is a candidate for change when the thesaurus knows it, it is not an
    /// ordinary word, and neither of its pairs with its neighbours is a listed one.
    fn suspicious(&self, word: &str, ids: &[Option<u32>], i: usize) -> bool {
        if !self.candidates.contains_key(word) {
            return false;
        }
        if ids[i].is_some_and(|id| self.counts[id as usize] >= ORDINARY_COUNT) {
            return false;
        }
        let before = i.checked_sub(1).map(|j| ids[j]);
        let after = ids.get(i + 1).copied();
        !(before.is_some_and(|b| self.listed(b, ids[i]))
            || after.is_some_and(|a| self.listed(ids[i], a)))
    }

    /// Best score of a path reaching each node from the left (or, `reverse`, from the
    /// right), node scores included.
    fn sweep(&self, nodes: &[Vec<(Option<u32>, f64)>], reverse: bool) -> Vec<Vec<f64>> {
        let n = nodes.len();
        let mut best: Vec<Vec<f64>> = nodes.iter().map(|h| vec![0.0; h.len()]).collect();
        let order: Vec<usize> = if reverse {
            (0..n).rev().collect()
        } else {
            (0..n).collect()
        };
        for (step, &i) in order.iter().enumerate() {
            for (k, &(id, score)) in nodes[i].iter().enumerate() {
                let from_previous = if step == 0 {
                    0.0
                } else {
                    let j = order[step - 1];
                    nodes[j]
                        .iter()
                        .enumerate()
                        .map(|(p, &(prev, _))| {
                            let pair = if reverse {
                                self.association(id, prev)
                            } else {
                                self.association(prev, id)
                            };
                            best[j][p] + pair
                        })
                        .fold(f64::NEG_INFINITY, f64::max)
                };
                best[i][k] = from_previous + score;
            }
        }
        best
    }
}

/// A reading of a word in the model's lattice: its word id (`None`: unknown) and its
/// node score.
type Node = (Option<u32>, f64);

/// A word of English text and whether only a space separates it from the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    start: usize,
    end: usize,
    joined_to_next: bool,
}

/// The words of `text` (letters, with inner hyphens and apostrophes), each marked
/// with whether the next word follows after white space only.
fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphabetic()
                || ((bytes[i] == b'-' || bytes[i] == b'\'')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)))
        {
            i += 1;
        }
        let glued_to_prior = start > 0 && !bytes[start - 1].is_ascii_whitespace();
        if let Some(last) = out.last_mut() {
            let gap = &text[last.end..start];
            last.joined_to_next = !glued_to_prior && !gap.is_empty() && gap.trim().is_empty();
        }
        out.push(Word {
            start,
            end: i,
            joined_to_next: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restored(text: &str) -> String {
        let mut out = text.to_string();
        let proposals = EnglishModel::global().propose(text);
        for p in proposals
            .iter()
            .rev()
            .filter(|p| p.margin >= super::super::MIDDLE_MARGIN)
        {
            out.replace_range(p.start..p.end, &p.original);
        }
        out
    }

    #[test]
    fn words_split_at_punctuation_and_keep_inner_hyphens() {
        let text = "Man-made consciousness, and it's fine.";
        let found: Vec<(&str, bool)> = words(text)
            .iter()
            .map(|w| (&text[w.start..w.end], w.joined_to_next))
            .collect();
        assert_eq!(
            found,
            [
                ("Man-made", true),
                ("consciousness", false),
                ("and", true),
                ("it's", true),
                ("fine", false)
            ]
        );
    }

    #[test]
    fn a_collocation_restores_both_spun_words() {
        assert_eq!(
            restored("They study man-made consciousness at home."),
            "They study artificial intelligence at home."
        );
    }

    #[test]
    fn ordinary_sentences_are_left_alone() {
        for text in [
            "We trained the model on a large set of news articles last year.",
            "The company will release its new design in the spring.",
            "I think the information we had was good enough for the first test.",
        ] {
            assert_eq!(restored(text), text);
        }
    }
}
