//! English candidates and scores: a thesaurus proposes the ordinary words a spinner
//! may have replaced, and a word-pair model of ordinary English decides, sentence by
//! sentence, which reading the writer most likely wrote.
//!
//! The model is a noisy channel over the words of a sentence: each suspicious word may
//! stay or be one of its candidates. A reading scores how probable CMU Sphinx's
//! English bigram model ([`PairModel::english`]) finds it (a listed pair by its
//! probability, any other by the first word's backoff and the second word's own
//! probability), plus, for each change, the odds that a spinner made it: the spinner
//! picks one of the spun forms the thesaurus offers for the original, and a rare
//! thesaurus word on a page it ran over is more likely spun than not ([`SPIN_ODDS`]).
//! The best reading wins; a change's margin is how much more probable the best reading
//! is than the best one with anything else at that word (keeping it, or another
//! candidate), in nats. A word whose pair with a neighbour the model lists as a
//! collocation ([`FITS`]) is the writer's and is not weighed at all.

use std::cmp::Ordering;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::pairs::PairModel;
use super::{Proposal, Source};

/// The log odds (nats) that a rare thesaurus word was put there by the spinner rather
/// than the writer, on a page the gate lets through. Chosen on the development split
/// of the spun twins (the other half of the eligible words), not on the reported one.
const SPIN_ODDS: f64 = 2.0;
/// A word that the word-pair model lists after the word before it, or before the word
/// after it, with at least this much mutual information (nats) fits its place and is
/// kept: "biggest misunderstanding about" keeps its rare word (its pair with "about"
/// gains 2.25), though "biggest mistake" is the likelier pair. 3 did as well on the
/// development split; 2 keeps that word.
const FITS: f64 = 2.0;
/// The log probability (nats) of a word the word-pair model does not know: as rare as
/// its rarest words.
const UNKNOWN_LOG_PROB: f64 = -20.0;
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

/// The English word counts, word-pair model and spun-word candidates.
// Fx hashing: the tables are embedded data, so SipHash's flood protection buys
// nothing, and it was most of the model's load time.
#[derive(Debug)]
pub struct EnglishModel {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    counts: Vec<u64>,
    /// The word-pair model, and each word's number in it.
    pairs: &'static PairModel,
    pair_ids: Vec<Option<u32>>,
    candidates: FxHashMap<Box<str>, Vec<u32>>,
    /// For each word, how many spun forms the thesaurus offers a spinner for it.
    forms: Vec<u32>,
}

impl EnglishModel {
    /// The shipped model, decompressed on first use.
    pub fn global() -> &'static EnglishModel {
        static MODEL: OnceLock<EnglishModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            EnglishModel::from_text(
                &super::gunzip(include_bytes!("../data/en-words.txt.gz")),
                PairModel::english(),
                &super::gunzip(include_bytes!("../data/en-thesaurus.txt.gz")),
            )
        })
    }

    /// Builds a model from two data files' text (`word\tcount`,
    /// `spun\toriginal,original`) and a word-pair model. Malformed lines are skipped.
    pub fn from_text(words: &str, pairs: &'static PairModel, thesaurus: &str) -> EnglishModel {
        // Sized from the text (about 16 and 116 bytes a line) to spare the rehashing.
        let mut model = EnglishModel {
            ids: FxHashMap::with_capacity_and_hasher(words.len() / 16, Default::default()),
            words: Vec::new(),
            counts: Vec::new(),
            pairs,
            pair_ids: Vec::new(),
            candidates: FxHashMap::with_capacity_and_hasher(
                thesaurus.len() / 116,
                Default::default(),
            ),
            forms: Vec::new(),
        };
        for line in super::super::data_lines(words) {
            if let Some((word, count)) = line.split_once('\t')
                && let Ok(count) = count.trim().parse::<u64>()
            {
                let id = model.counts.len() as u32;
                model.ids.insert(word.into(), id);
                model.words.push(word.into());
                model.counts.push(count);
                model.pair_ids.push(pairs.id(word));
            }
        }
        model.forms = vec![0; model.counts.len()];
        for line in super::super::data_lines(thesaurus) {
            if let Some((spun, originals)) = line.split_once('\t') {
                let ids: Vec<u32> = originals
                    .split(',')
                    .filter_map(|o| model.id(o))
                    .take(MAX_CANDIDATES)
                    .collect();
                for &id in &ids {
                    model.forms[id as usize] += 1;
                }
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

    /// The log probability (nats) of `b` after `a` (word-pair model numbers; `None`
    /// for `a`: the start of a run, so `b` alone).
    fn transition(&self, a: Option<u32>, b: Option<u32>) -> f64 {
        let Some(b) = b else {
            return UNKNOWN_LOG_PROB;
        };
        match a {
            Some(a) => self.pairs.log_prob(a, b),
            None => self.pairs.log_prob_alone(b),
        }
    }

    /// Whether the word-pair model lists `a` then `b` with at least [`FITS`] nats of
    /// mutual information.
    fn listed(&self, a: Option<u32>, b: Option<u32>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => self
                .pairs
                .listed_gain(a, b)
                .is_some_and(|gain| gain >= FITS),
            _ => false,
        }
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
        // A known word's pair number was looked up at load: only the others are asked.
        let pair_ids: Vec<Option<u32>> = lowered
            .iter()
            .zip(&ids)
            .map(|(w, id)| match id {
                Some(id) => self.pair_ids[*id as usize],
                None => self.pairs.id(w),
            })
            .collect();
        // The other readings of each suspicious word; most runs have none, and then
        // there is nothing to weigh.
        let mut others: Vec<(usize, Vec<Node>)> = Vec::new();
        for (i, word) in lowered.iter().enumerate() {
            // A capital after a space inside a run is a name or a title ("at Verbatim",
            // "the Harbor Institute"), which is the writer's, whatever the thesaurus
            // lists; only the run's first word may be capitalised for the sentence.
            let named = i > 0 && text.as_bytes()[words[i].start].is_ascii_uppercase();
            if named || !self.suspicious(word, ids[i], &pair_ids, i) {
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
                    // Rejected only when below the floor, as before (a NaN passes).
                    let below = ratio.partial_cmp(&MIN_RATIO.ln()) == Some(Ordering::Less);
                    (!below).then_some(Node {
                        word: Some(c),
                        pair: self.pair_ids[c as usize],
                        score: SPIN_ODDS - f64::from(self.forms[c as usize].max(1)).ln(),
                    })
                })
                .collect();
            if !readings.is_empty() {
                others.push((i, readings));
            }
        }
        if others.is_empty() {
            return;
        }
        // Each position's nodes; node 0 is the word on the page.
        let mut nodes: Vec<Vec<Node>> = ids
            .iter()
            .zip(&pair_ids)
            .map(|(&word, &pair)| {
                vec![Node {
                    word,
                    pair,
                    score: 0.0,
                }]
            })
            .collect();
        for (i, readings) in others {
            nodes[i].extend(readings);
        }
        // Each pair's log probability, looked up once for both sweeps: `pairs[i - 1]`
        // holds the pairs from position i - 1 to i, row by row of the earlier word.
        let pairs: Vec<Vec<f64>> = nodes
            .windows(2)
            .map(|two| {
                two[0]
                    .iter()
                    .flat_map(|first| two[1].iter().map(|second| (first.pair, second.pair)))
                    .map(|(a, b)| self.transition(a, b))
                    .collect()
            })
            .collect();
        let forward = self.sweep(&nodes, &pairs, false);
        let backward = self.sweep(&nodes, &pairs, true);
        let best_total = forward
            .last()
            .into_iter()
            .flatten()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        // Trace the best path: at each position the node whose through-score is best.
        for (i, here) in nodes.iter().enumerate() {
            let through = |k: usize| forward[i][k] + backward[i][k] - here[k].score;
            let (best, score) = (0..here.len())
                .map(|k| (k, through(k)))
                .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
            if best == 0 || score < best_total - 1e-9 {
                continue;
            }
            // Against the best reading with anything else here: keeping the word, or
            // another candidate (when `you`, `they` and `me` fit equally, none is sure).
            let runner_up = (0..here.len())
                .filter(|&k| k != best)
                .map(through)
                .fold(f64::NEG_INFINITY, f64::max);
            let margin = best_total - runner_up;
            let Some(id) = here[best].word else { continue };
            let word = &words[i];
            let original = self.word(id);
            proposals.push(Proposal {
                start: word.start,
                end: word.end,
                original: super::match_case(&text[word.start..word.end], original),
                margin,
                sure_margin: super::HIGH_MARGIN,
                spun_margin: margin,
                source: Source::EnglishThesaurus,
                reason: format!(
                    "`{}` reads better here: the sentence is {margin:.1} nats more likely with it than with anything else at `{}`",
                    original, lowered[i]
                ),
            });
        }
    }

    fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", |w| &**w)
    }

    /// A word is a candidate for change when the thesaurus knows it, it is not an
    /// ordinary word, and neither of its pairs with its neighbours (`ids`: word-pair
    /// model numbers) is a collocation ([`FITS`]).
    fn suspicious(&self, word: &str, id: Option<u32>, ids: &[Option<u32>], i: usize) -> bool {
        // The count first: it is at hand, the thesaurus takes a look-up.
        if id.is_some_and(|id| self.counts[id as usize] >= ORDINARY_COUNT) {
            return false;
        }
        if !self.candidates.contains_key(word) {
            return false;
        }
        let before = i.checked_sub(1).map(|j| ids[j]);
        let after = ids.get(i + 1).copied();
        !(before.is_some_and(|b| self.listed(b, ids[i]))
            || after.is_some_and(|a| self.listed(ids[i], a)))
    }

    /// Best score of a path reaching each node from the left (or, `reverse`, from the
    /// right), node scores included; `pairs` as `propose_in` makes them.
    fn sweep(&self, nodes: &[Vec<Node>], pairs: &[Vec<f64>], reverse: bool) -> Vec<Vec<f64>> {
        let n = nodes.len();
        let mut best: Vec<Vec<f64>> = nodes.iter().map(|h| vec![0.0; h.len()]).collect();
        let order: Vec<usize> = if reverse {
            (0..n).rev().collect()
        } else {
            (0..n).collect()
        };
        for (step, &i) in order.iter().enumerate() {
            for (k, node) in nodes[i].iter().enumerate() {
                let from_previous = if step == 0 {
                    // The first word's own probability, counted once (left to right).
                    if reverse {
                        0.0
                    } else {
                        self.transition(None, node.pair)
                    }
                } else {
                    let j = order[step - 1];
                    (0..nodes[j].len())
                        .map(|p| {
                            let pair = if reverse {
                                pairs[i][k * nodes[j].len() + p]
                            } else {
                                pairs[j][p * nodes[i].len() + k]
                            };
                            best[j][p] + pair
                        })
                        .fold(f64::NEG_INFINITY, f64::max)
                };
                best[i][k] = from_previous + node.score;
            }
        }
        best
    }
}

/// A reading of a word in the model's lattice.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Its number in the word counts (`None`: unknown).
    word: Option<u32>,
    /// Its number in the word-pair model (`None`: unknown).
    pair: Option<u32>,
    /// The node's own score: for a change, the odds that the spinner made it (nats).
    score: f64,
}

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
    // About one word in six bytes of English: room for most texts without growing.
    let mut out: Vec<Word> = Vec::with_capacity(text.len() / 6 + 1);
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
    fn a_collocation_restores_the_spun_word() {
        assert_eq!(
            restored("They study man-made intelligence at home."),
            "They study artificial intelligence at home."
        );
    }

    #[test]
    fn a_capitalised_word_inside_a_sentence_is_a_name_and_kept() {
        let name = "They study Man-made intelligence at home.";
        assert_eq!(restored(name), name);
        assert_eq!(
            restored("Man-made intelligence is what they study."),
            "Artificial intelligence is what they study."
        );
    }

    #[test]
    fn a_spun_form_with_a_common_synonym_in_context_is_restored() {
        let proposals = EnglishModel::global().propose("They study man-made intelligence at home.");
        let artificial = proposals
            .iter()
            .find(|p| p.original == "artificial")
            .expect("man-made is weighed");
        assert!(
            artificial.margin >= super::super::MIDDLE_MARGIN,
            "{artificial:?}"
        );
    }

    #[test]
    fn a_rare_word_with_a_listed_pair_is_kept() {
        // "biggest mistake" is the likelier pair, but "misunderstanding about" is a
        // collocation the model lists: the writer's rare word stays, not even weighed.
        let text = "What is the biggest misunderstanding about huge language designs?";
        let proposals = EnglishModel::global().propose(text);
        assert!(
            proposals
                .iter()
                .all(|p| &text[p.start..p.end] != "misunderstanding"),
            "{proposals:?}"
        );
        let model = EnglishModel::global();
        let pairs = PairModel::english();
        let ids: Vec<Option<u32>> = ["biggest", "misunderstanding", "about"]
            .iter()
            .map(|w| pairs.id(w))
            .collect();
        assert!(!model.suspicious("misunderstanding", model.id("misunderstanding"), &ids, 1));
    }

    #[test]
    fn unknown_words_are_as_unlikely_as_the_rarest() {
        let model = EnglishModel::global();
        let pairs = PairModel::english();
        let the = pairs.id("the");
        assert_eq!(model.transition(the, None), UNKNOWN_LOG_PROB);
        let aardvark = model.transition(the, pairs.id("aardvark"));
        assert!(aardvark > UNKNOWN_LOG_PROB, "{aardvark}");
        assert!(model.transition(the, pairs.id("end")) > aardvark);
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
