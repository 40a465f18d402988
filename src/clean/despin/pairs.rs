//! Word-pair models: how much likelier a word is right after the word before it than
//! anywhere. Chinese from SunPinyin's open-gram language model
//! (`data/zh-bigrams.txt.gz`, CC BY-SA 3.0), English from CMU Sphinx's generic US
//! English model (`data/en-pairs.txt.gz`, BSD-2-Clause); both files have one format.
//!
//! Chinese: the frequency dictionary says a spun word is rare; only context says which of its
//! candidates the writer wrote (做好未成年人保护 keeps 未成年人 although 少年 is
//! commoner). A candidate is scored by the pointwise mutual information of each
//! adjacent pair from the word before it to the word after it; where the model lists
//! no pair, the first word's backoff stands in. A string the model's lexicon lacks is
//! read character by character, as an input method would.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The data file's costs are in quarter nats.
const COST_UNIT: f64 = 0.25;

/// The word-pair model, loaded on first use.
#[derive(Debug, Default)]
pub struct PairModel {
    ids: FxHashMap<Box<str>, u32>,
    /// Each word's cost alone, in the file's units.
    unigram: Vec<u8>,
    /// Each word's backoff cost as a first word, in the file's units.
    backoff: Vec<i16>,
    /// Where each first word's pairs start in `seconds` and `costs` (one more entry
    /// than there are words).
    starts: Vec<u32>,
    /// Second words, ascending within each first word's range.
    seconds: Vec<u32>,
    /// The pair costs, beside `seconds`.
    costs: Vec<u8>,
}

/// Decompresses and reads an embedded data file.
fn load(bytes: &[u8]) -> PairModel {
    PairModel::parse(&super::gunzip(bytes))
}

impl PairModel {
    /// The shipped Chinese model, loaded on first use.
    pub fn chinese() -> &'static PairModel {
        static MODEL: OnceLock<PairModel> = OnceLock::new();
        MODEL.get_or_init(|| load(include_bytes!("../data/zh-bigrams.txt.gz")))
    }

    /// The shipped English model, loaded on first use.
    pub fn english() -> &'static PairModel {
        static MODEL: OnceLock<PairModel> = OnceLock::new();
        MODEL.get_or_init(|| load(include_bytes!("../data/en-pairs.txt.gz")))
    }

    /// Reads the data file's two kinds of lines (see its header); malformed lines are
    /// skipped.
    fn parse(text: &str) -> PairModel {
        let mut model = PairModel::default();
        let mut pair_lines: Vec<(u32, &str)> = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(word), Some(second)) = (fields.next(), fields.next()) else {
                continue;
            };
            match fields.next() {
                Some(backoff) => {
                    let (Ok(unigram), Ok(backoff)) = (second.parse(), backoff.parse()) else {
                        continue;
                    };
                    model.ids.insert(word.into(), model.unigram.len() as u32);
                    model.unigram.push(unigram);
                    model.backoff.push(backoff);
                }
                None => {
                    if let Some(&id) = model.ids.get(word) {
                        pair_lines.push((id, second));
                    }
                }
            }
        }
        pair_lines.sort_unstable_by_key(|&(id, _)| id);
        let words = model.unigram.len();
        model.starts = vec![0; words + 1];
        let mut lines = pair_lines.into_iter().peekable();
        for first in 0..words {
            while let Some(&(id, pairs)) = lines.peek() {
                if id as usize != first {
                    break;
                }
                lines.next();
                model.push_pairs(pairs.as_bytes(), words);
            }
            model.starts[first + 1] = model.seconds.len() as u32;
        }
        model
    }

    /// Appends one first word's pairs, written `step cost step cost …` (see the data
    /// file's header); a malformed pair ends the line. Read byte by byte: parsing is
    /// about a third of the model's load (callgrind), as much as decompressing.
    fn push_pairs(&mut self, line: &[u8], words: usize) {
        let mut second = 0u32;
        let mut numbers = [0u32; 2];
        let mut read = 0;
        let mut digits = 0;
        for (at, &byte) in line.iter().enumerate() {
            if byte.is_ascii_digit() && digits < 9 {
                numbers[read] = numbers[read] * 10 + u32::from(byte - b'0');
                digits += 1;
                if at + 1 < line.len() {
                    continue;
                }
            } else if byte != b' ' || digits == 0 {
                return;
            }
            digits = 0;
            read += 1;
            if read == 2 {
                second = second.saturating_add(numbers[0]);
                if second as usize >= words {
                    return;
                }
                self.seconds.push(second);
                self.costs.push(u8::try_from(numbers[1]).unwrap_or(u8::MAX));
                numbers = [0, 0];
                read = 0;
            }
        }
    }

    /// The number of the word `word`, when the model knows it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The cost of the pair `first` then `second`, in the file's units, when the model
    /// lists it: `second` is likelier right after `first` than the backoff estimate
    /// says, by more than the data file's pruning threshold.
    fn listed_cost(&self, first: u32, second: u32) -> Option<i32> {
        let first = first as usize;
        let range = self.starts[first] as usize..self.starts[first + 1] as usize;
        let at = self.seconds[range.clone()].binary_search(&second).ok()?;
        Some(i32::from(self.costs[range.start + at]))
    }

    /// The pointwise mutual information of `second` right after `first` (nats), when
    /// the model lists the pair: its log probability less the second word's own.
    pub fn listed_gain(&self, first: u32, second: u32) -> Option<f64> {
        self.listed_cost(first, second)
            .map(|cost| f64::from(i32::from(self.unigram[second as usize]) - cost) * COST_UNIT)
    }

    /// [`PairModel::listed_gain`], or, where the model lists no pair, the first word's
    /// backoff.
    pub fn pair_gain(&self, first: u32, second: u32) -> f64 {
        self.listed_gain(first, second)
            .unwrap_or_else(|| -f64::from(self.backoff[first as usize]) * COST_UNIT)
    }

    /// The log probability (nats) of `second` right after `first`: the listed pair's,
    /// or the first word's backoff times the second word's own probability.
    pub fn log_prob(&self, first: u32, second: u32) -> f64 {
        let quarters = self.listed_cost(first, second).unwrap_or_else(|| {
            i32::from(self.backoff[first as usize]) + i32::from(self.unigram[second as usize])
        });
        -f64::from(quarters) * COST_UNIT
    }

    /// The log probability (nats) of `word` alone.
    pub fn log_prob_alone(&self, word: u32) -> f64 {
        -f64::from(self.unigram[word as usize]) * COST_UNIT
    }

    /// The tokens the model reads `text` as: the whole string when it is a word of the
    /// lexicon, otherwise each character (`None` for a character it does not know).
    fn tokens(&self, text: &str) -> Vec<Option<u32>> {
        match self.id(text) {
            Some(id) => vec![Some(id)],
            None => {
                let mut buffer = [0u8; 4];
                text.chars()
                    .map(|c| self.id(c.encode_utf8(&mut buffer)))
                    .collect()
            }
        }
    }

    /// How much better `middle` then `after` read after `before` than each word does
    /// alone (nats; the pointwise mutual information of each adjacent pair, summed):
    /// the evidence of the context only. How common a word is, the caller weighs
    /// already (the dictionary's segmentation); counted here too, it would favour a
    /// common synonym over a rarer word the writer chose (少年 for 未成年人). `before`
    /// and `after` are the neighbouring words (empty at a clause's edge); one the
    /// lexicon lacks contributes the character next to `middle`, and a `middle` it
    /// lacks meets them with its first and last characters ([`PairModel::cohesion`]
    /// weighs the pairs inside it). An unknown character is no evidence either way.
    pub fn fit(&self, before: &str, middle: &str, after: &str) -> f64 {
        let previous = self
            .id(before)
            .or_else(|| self.char_id(before.chars().last()));
        let next = self
            .id(after)
            .or_else(|| self.char_id(after.chars().next()));
        // A middle the lexicon lacks is read by its characters, but only its edges meet
        // the context: the pairs inside it tell how well it holds together (举步维艰
        // scored 13.7 nats that way), not how it fits its neighbours.
        let tokens = self.tokens(middle);
        let edges = [
            (previous, tokens.first().copied().flatten()),
            (tokens.last().copied().flatten(), next),
        ];
        edges
            .into_iter()
            .filter_map(|pair| match pair {
                (Some(first), Some(second)) => Some(self.pair_gain(first, second)),
                _ => None,
            })
            .sum()
    }

    /// How well a word the lexicon lacks holds together: the pointwise mutual
    /// information of its adjacent characters, summed (0 for a lexicon word, whose
    /// unity the model takes as given). Evidence that the word on a page is one unit
    /// the writer chose (体力劳动), which a candidate in its place cannot claim.
    pub fn cohesion(&self, word: &str) -> f64 {
        self.tokens(word)
            .windows(2)
            .filter_map(|pair| match pair {
                [Some(first), Some(second)] => Some(self.pair_gain(*first, *second)),
                _ => None,
            })
            .sum()
    }

    /// The number of the one-character word `c`.
    fn char_id(&self, c: Option<char>) -> Option<u32> {
        let mut buffer = [0u8; 4];
        self.id(c?.encode_utf8(&mut buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_loads_its_words_and_pairs() {
        let model = PairModel::chinese();
        assert!(model.unigram.len() > 50_000, "{}", model.unigram.len());
        assert!(model.seconds.len() > 1_000_000, "{}", model.seconds.len());
        assert_eq!(model.starts.len(), model.unigram.len() + 1);
        assert!(model.id("模型").is_some() && model.id("模子").is_some());
    }

    #[test]
    fn the_english_model_loads_and_lists_rare_words_pairs() {
        let model = PairModel::english();
        assert!(model.unigram.len() > 70_000, "{}", model.unigram.len());
        assert!(model.seconds.len() > 1_500_000, "{}", model.seconds.len());
        let id = |w: &str| model.id(w).expect(w);
        // The rare word's pair is kept, which symspellpy's pruned counts lacked.
        assert!(
            model
                .listed_gain(id("misunderstanding"), id("about"))
                .is_some()
        );
        assert!(
            model
                .listed_gain(id("artificial"), id("intelligence"))
                .is_some()
        );
        assert!(
            model
                .listed_gain(id("biggest"), id("misunderstanding"))
                .is_none()
        );
        // A listed pair is likelier than its backoff estimate.
        let (a, b) = (id("artificial"), id("intelligence"));
        assert!(model.log_prob(a, b) > model.log_prob_alone(b) + 1.0);
    }

    #[test]
    fn a_listed_pair_is_evidence_and_frequency_alone_is_not() {
        let model = PairModel::chinese();
        // 进行训练 is a listed pair; 进行磨练 backs off to the rare word alone.
        assert!(model.fit("进行", "训练", "") > model.fit("进行", "磨练", "") + 2.0);
        // 未成年人保护 is a collocation; the more common 少年 gains nothing there.
        assert!(model.fit("做好", "未成年人", "保护") > model.fit("做好", "少年", "保护") + 2.0);
        // Where neither word has a listed pair, neither wins by being common.
        let (rare, common) = (
            model.fit("向", "未成年人", "出售"),
            model.fit("向", "少年", "出售"),
        );
        assert!((rare - common).abs() < 1.0, "{rare} vs {common}");
    }

    #[test]
    fn strings_outside_the_lexicon_are_read_by_character() {
        let model = PairModel::chinese();
        assert_eq!(model.tokens("规复").len(), 2);
        assert_eq!(model.tokens("恢复").len(), 1);
        // An unknown character is no evidence either way.
        assert_eq!(model.fit("进行", "\u{10FFFF}", "训练"), 0.0);
    }

    #[test]
    fn only_the_edges_of_a_string_outside_the_lexicon_meet_the_context() {
        let model = PairModel::chinese();
        assert!(model.id("举步维艰").is_none());
        // Its characters hold together strongly, which says nothing of its neighbours.
        assert!(
            model.cohesion("举步维艰") > 5.0,
            "{}",
            model.cohesion("举步维艰")
        );
        assert_eq!(model.fit("", "举步维艰", ""), 0.0);
        assert_eq!(model.cohesion("恢复"), 0.0);
    }

    #[test]
    fn parsing_skips_malformed_lines_and_numbers_pairs_by_step() {
        let model =
            PairModel::parse("# header\n甲\t8\t0\n乙\t4\t2\n丙\t12\t0\n甲\t1 2 1 3\n乙\tx y\n坏\n");
        assert_eq!(model.unigram, [8, 4, 12]);
        assert_eq!(model.starts, [0, 2, 2, 2]);
        assert_eq!(model.seconds, [1, 2]);
        let (jia, yi, bing) = (0, 1, 2);
        // Listed: 乙 alone costs 1 nat, after 甲 0.5.
        assert_eq!(model.pair_gain(jia, yi), 0.5);
        assert_eq!(model.pair_gain(jia, bing), 3.0 - 0.75);
        // 乙 then 甲: no pair, so 乙's backoff.
        assert_eq!(model.pair_gain(yi, jia), -0.5);
    }
}
