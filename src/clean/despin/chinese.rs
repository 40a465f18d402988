//! Chinese candidates and scores, from the word-frequency dictionary alone (plus a
//! thesaurus the user may supply).
//!
//! A spinner mostly swaps a word for a rarer near-synonym, often one character of it
//! (模型→模子, 训练→磨练). So a rare dictionary word that the best segmentation of its
//! clause keeps as a word is a suspect, and its candidates are the frequent words
//! that share all but one character, in place (its siblings), and its synonyms in the
//! user's thesaurus. Each candidate is scored by how much more probable the clause
//! around it becomes under the dictionary's word model; for a sibling only a quarter
//! of its own frequency advantage counts, so it must win by forming a known compound
//! with its neighbours (人为智能→人工智能), since almost every rare word has some
//! frequent sibling. The margin is the best
//! candidate's gain less a cost per change, and never more than its lead over the
//! runner-up: when 孩子, 日子 and 模型 fit 模子 equally well, nothing is sure.

use std::hash::BuildHasher;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::pairs::PairModel;
use super::segment::{OpenRun, OpenRuns, joins_neighbours, open_runs, segment, segment_score};
use super::{Proposal, Source, Thesaurus};
use crate::clean::dict::{Dictionary, Lookup, PackedRun};

/// A word this rare or rarer may be a spinner's: a dictionary word with siblings is
/// weighed, and a word of the user's thesaurus counts towards the page gate. A more
/// common one is used by writers as readily as by spinners.
const RARE: u32 = 300;
/// A sibling must be at least this frequent…
const FREQUENT: u32 = 500;
/// …and this many times more frequent than the word on the page.
const SIBLING_RATIO: u32 = 20;
/// A thesaurus synonym must be this many times more frequent than the word.
const SYNONYM_RATIO: u32 = 5;
/// The cost of one change to a dictionary sibling, in nats.
const SIBLING_COST: f64 = 2.0;
/// The least cost of one change to a synonym the user's thesaurus gives: a narrower
/// source. A synonym with many synonyms of its own costs more ([`synonym_cost`]).
const SYNONYM_COST: f64 = 1.0;
/// How much of a sibling's own frequency advantage counts: a frequent word one
/// character away exists for most rare words, so a sibling must win mostly by its
/// context (a compound with its neighbours), not by being common.
const SIBLING_FREQUENCY_WEIGHT: f64 = 0.25;
/// The cost of restoring a synonym that stands unchanged elsewhere on the page: a
/// spinner swaps every use of a word it knows, so a word the page still holds is
/// seldom the one it replaced (its group's other members are likelier). Any cost
/// above a nat or so gave the same figures on the twins' development split.
const STANDING_COST: f64 = 4.0;
/// Characters of context on either side when scoring a change.
const WINDOW: usize = 4;

/// A suspect word (start and end, in characters) and its candidates.
type Suspect<'a> = (usize, usize, Vec<Candidate<'a>>);

/// A word that may have been the suspect's original, and where it comes from.
#[derive(Debug, Clone, Copy)]
struct Candidate<'a> {
    word: &'a str,
    source: Source,
    /// A dictionary sibling's context-free facts, from the siblings table.
    facts: Option<&'a WordFacts>,
}

/// What scoring needs of a frequent word wherever it stands, computed once with the
/// siblings table rather than for every suspect it is a candidate of.
#[derive(Debug)]
struct WordFacts {
    chars: Box<[char]>,
    /// The runs from each of its characters to its end that may go on into a word.
    open: OpenRuns,
    /// The score of the best segmentation of the word alone.
    alone: f64,
    /// The natural log of its count.
    ln_count: f64,
    /// Its count.
    count: u32,
}

impl Candidate<'_> {
    /// The candidate's characters, in `buffer` unless known.
    fn chars<'b>(&'b self, buffer: &'b mut Vec<char>) -> &'b [char] {
        match self.facts {
            Some(facts) => &facts.chars,
            None => {
                buffer.clear();
                buffer.extend(self.word.chars());
                buffer
            }
        }
    }

    /// Its open runs ([`open_runs`]), given its characters.
    fn open_runs(&self, chars: &[char]) -> OpenRuns {
        match self.facts {
            Some(facts) => facts.open,
            None => open_runs(chars),
        }
    }

    /// The score of the best segmentation of the candidate alone.
    fn alone(&self, chars: &[char]) -> f64 {
        self.facts.map_or_else(|| segment_score(chars), |f| f.alone)
    }

    /// The natural log of its count (of 1 when it is no word).
    fn ln_count(&self) -> f64 {
        self.facts.map_or_else(
            || f64::from(Dictionary::global().freq(self.word).max(1)).ln(),
            |f| f.ln_count,
        )
    }
}

/// The frequent words that may be a rare word's siblings.
struct Siblings {
    /// The frequent words, most frequent first (ties in the words' order).
    frequent: Vec<(Box<str>, WordFacts)>,
    /// The frequent words as indices into `frequent`, by their packed characters with
    /// one of them replaced by a mark ([`masked`]).
    by_mask: FxHashMap<PackedRun, Vec<u32>>,
    /// The two-character runs a suspect may begin with ([`SuspectStarts`]).
    suspect_starts: SuspectStarts,
}

/// The two-character runs that begin a rare word of two or three characters, as a
/// bit per hash: a text is scanned for suspects at every character, and a bit in a
/// table small enough for the processor's cache rules out most places before the
/// dictionary's table (30 MB: 917,504 slots of 32 bytes, far past the caches) is
/// asked. A set bit may be another run's (the hashes collide); a clear one never lets
/// a suspect go.
struct SuspectStarts {
    bits: Box<[u64]>,
}

/// The bits of [`SuspectStarts`]: 256 KiB for the 154,833 runs that begin a rare word
/// of jieba's dictionary (149,129 bits end up set: 7 % of the table).
const SUSPECT_START_BITS: u32 = 21;

impl SuspectStarts {
    /// The starts of the dictionary's rare words of two and three characters.
    fn of_dictionary(dictionary: &Dictionary) -> SuspectStarts {
        let mut bits = vec![0u64; 1 << (SUSPECT_START_BITS - 6)].into_boxed_slice();
        for (word, count) in dictionary.packed_entries() {
            if count > RARE || !(2..=3).contains(&word.len()) {
                continue;
            }
            if let Some(start) = PackedRun::of_chars(word.chars().take(2)) {
                let bit = Self::bit(start);
                bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        SuspectStarts { bits }
    }

    /// Whether a rare word of two or three characters may begin with `run`.
    fn may_begin(&self, run: PackedRun) -> bool {
        let bit = Self::bit(run);
        self.bits[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The bit of `run`: the top bits of its hash, the best mixed of Fx hashing's.
    fn bit(run: PackedRun) -> usize {
        let hash = rustc_hash::FxBuildHasher.hash_one(run);
        (hash >> (64 - SUSPECT_START_BITS)) as usize
    }
}

/// The shape of the words that have siblings: two or three CJK characters.
fn is_candidate_shape(chars: &[char]) -> bool {
    (2..=3).contains(&chars.len()) && chars.iter().all(|&c| crate::text::is_cjk(c))
}

/// The word of `chars` with the character at `at` replaced by a mark, as a hash key.
fn masked(chars: &[char], at: usize) -> Option<PackedRun> {
    PackedRun::of_chars(
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| if i == at { '\u{3007}' } else { c }),
    )
}

impl Siblings {
    /// The siblings of the word of `chars`, most frequent first, when it is a rare
    /// word that has any. Found when asked rather than for every rare word at load:
    /// a page holds a few hundred of the dictionary's 230,000 rare words.
    fn of(&self, chars: &[char]) -> Option<Vec<Candidate<'_>>> {
        let word = PackedRun::of_chars(chars.iter().copied())?;
        self.of_found(chars, Dictionary::global().lookup_packed(word))
    }

    /// [`Siblings::of`], given what the dictionary holds for the word of `chars`.
    fn of_found(&self, chars: &[char], found: Lookup) -> Option<Vec<Candidate<'_>>> {
        if !(2..=3).contains(&chars.len()) {
            return None;
        }
        // The script is tested last: one hash lookup rules out most runs, a character
        // range test per character would cost more.
        if !found.is_word || found.count > RARE || !is_candidate_shape(chars) {
            return None;
        }
        let floor = FREQUENT.max(SIBLING_RATIO.saturating_mul(found.count.max(1)));
        // Each list holds ranks in order, so counts from high to low: the siblings
        // frequent enough are a prefix of it, found by bisection and copied whole.
        let mut prefixes: [&[u32]; 3] = [&[]; 3];
        for (at, prefix) in prefixes.iter_mut().enumerate().take(chars.len()) {
            if let Some(list) = masked(chars, at).and_then(|key| self.by_mask.get(&key)) {
                let frequent_enough =
                    list.partition_point(|&rank| self.frequent[rank as usize].1.count >= floor);
                *prefix = &list[..frequent_enough];
            }
        }
        let mut ranks: Vec<u32> = Vec::with_capacity(prefixes.iter().map(|p| p.len()).sum());
        for prefix in prefixes {
            ranks.extend_from_slice(prefix);
        }
        if ranks.is_empty() {
            return None;
        }
        // Ranks in order are counts from high to low, ties by word.
        ranks.sort_unstable();
        Some(
            ranks
                .into_iter()
                .map(|rank| {
                    let (word, facts) = &self.frequent[rank as usize];
                    Candidate {
                        word,
                        source: Source::DictionarySibling,
                        facts: Some(facts),
                    }
                })
                .collect(),
        )
    }
}

/// The frequent words and their masks, built once from the dictionary (about 0.1
/// billion instructions).
fn siblings() -> &'static Siblings {
    static SIBLINGS: OnceLock<Siblings> = OnceLock::new();
    SIBLINGS.get_or_init(|| {
        let mut frequent: Vec<(PackedRun, u32)> = Dictionary::global()
            .packed_entries()
            .filter(|&(word, count)| {
                count >= FREQUENT && is_candidate_shape(&word.chars().collect::<Vec<_>>())
            })
            .collect();
        // Characters compare in the order of the strings' bytes (UTF-8 keeps it).
        frequent.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.chars().cmp(b.0.chars())));
        let mut by_mask: FxHashMap<PackedRun, Vec<u32>> = FxHashMap::default();
        for (rank, &(word, _)) in (0u32..).zip(&frequent) {
            let chars: Vec<char> = word.chars().collect();
            for at in 0..chars.len() {
                if let Some(key) = masked(&chars, at) {
                    by_mask.entry(key).or_default().push(rank);
                }
            }
        }
        let frequent = frequent
            .into_iter()
            .map(|(word, count)| {
                let chars: Box<[char]> = word.chars().collect();
                let facts = WordFacts {
                    open: open_runs(&chars),
                    alone: segment_score(&chars),
                    ln_count: f64::from(count.max(1)).ln(),
                    count,
                    chars,
                };
                (word.chars().collect::<String>().into(), facts)
            })
            .collect();
        Siblings {
            frequent,
            by_mask,
            suspect_starts: SuspectStarts::of_dictionary(Dictionary::global()),
        }
    })
}

/// Whether any candidate for the word at `s..e` of the clause `window` could reach a
/// middle margin, judged without segmenting the clause: a user's synonym always may,
/// a dictionary sibling only by forming a word with its neighbours. A sibling that
/// forms none gains at most its own segmentation over the word's, less the discount on
/// its frequency advantage, which stays far below the bar (about 3 nats at the most
/// frequent siblings against the 4 a middle margin needs). Whether each candidate it
/// asked about forms a word with its neighbours goes to `joined`, in order, for the
/// scoring to reuse.
fn any_can_matter(
    window: &[char],
    s: usize,
    e: usize,
    word: &str,
    candidates: &[Candidate],
    left_open: &[OpenRun],
    joined: &mut Vec<bool>,
) -> bool {
    let dictionary = Dictionary::global();
    let own_segments = segment_score(&window[s..e]);
    let own = f64::from(dictionary.freq(word).max(1)).ln();
    let mut buffer: Vec<char> = Vec::new();
    candidates.iter().any(|candidate| {
        if candidate.source == Source::UserThesaurus {
            return true;
        }
        let candidate_chars = candidate.chars(&mut buffer);
        let candidate_open = candidate.open_runs(candidate_chars);
        let joins = joins_neighbours(left_open, candidate_chars, &candidate_open, &window[e..]);
        joined.push(joins);
        if joins {
            return true;
        }
        let frequency = candidate.ln_count() - own;
        let best_score = candidate.alone(candidate_chars)
            - own_segments
            - (1.0 - SIBLING_FREQUENCY_WEIGHT) * frequency;
        best_score - SIBLING_COST >= super::MIDDLE_MARGIN
    })
}

/// The proposals for one text: suspects found clause by clause, scored in context
/// ([`propose_page`] for a text alone).
pub fn propose(text: &str, thesaurus: Option<&Thesaurus>) -> Vec<Proposal> {
    propose_page(&[text], thesaurus).pop().unwrap_or_default()
}

/// A text's characters, with their byte offsets.
struct Chars<'t> {
    text: &'t str,
    indexed: Vec<(usize, char)>,
    plain: Vec<char>,
}

impl<'t> Chars<'t> {
    fn of(text: &'t str) -> Chars<'t> {
        // Sized by a count first: collected as they come, they grow the vector many times.
        let mut indexed: Vec<(usize, char)> = Vec::with_capacity(text.chars().count());
        indexed.extend(text.char_indices());
        let plain = indexed.iter().map(|c| c.1).collect();
        Chars {
            text,
            indexed,
            plain,
        }
    }

    /// The byte offset of character `i`.
    fn byte_at(&self, i: usize) -> usize {
        self.indexed.get(i).map_or(self.text.len(), |c| c.0)
    }

    /// The character index of byte offset `byte`.
    fn char_at(&self, byte: usize) -> usize {
        self.indexed.partition_point(|c| c.0 < byte)
    }
}

/// One place a word of the user's thesaurus stands, and each candidate's gain there.
struct Occurrence {
    block: usize,
    start: usize,
    end: usize,
    gains: Vec<f64>,
}

/// The proposals for each block of a page. Dictionary siblings are weighed where
/// they stand and proposed when they reach a middle margin; a word of the user's
/// thesaurus is weighed once for the whole page, pooling the context of all its
/// uses ([`weigh_synonyms`]), and proposed when it is likely spun at all, whatever
/// its change's own margin (the gate counts it when the word is rare; the change
/// needs its margin).
pub fn propose_page(blocks: &[&str], thesaurus: Option<&Thesaurus>) -> Vec<Vec<Proposal>> {
    let dictionary = Dictionary::global();
    let mut proposals: Vec<Vec<Proposal>> = vec![Vec::new(); blocks.len()];
    // Per thesaurus word, in order of first sight: its candidates and occurrences.
    let mut pooled: Vec<(&str, Vec<Candidate>, Vec<Occurrence>)> = Vec::new();
    // Every thesaurus word the page holds, weighed or not: a candidate among them
    // stands elsewhere on the page.
    let mut on_page: FxHashSet<&str> = FxHashSet::default();
    for (block, text) in blocks.iter().enumerate() {
        let chars = Chars::of(text);
        let mut suspects = sibling_suspects(&chars.plain);
        for (start, end, word) in thesaurus.into_iter().flat_map(|t| t.find(text)) {
            on_page.insert(word);
            let (start, end) = (chars.char_at(start), chars.char_at(end));
            // The user's groups are the narrower evidence: they replace the siblings.
            suspects.retain(|s| !(s.0 == start && s.1 == end));
            let at = match pooled.iter().position(|p| p.0 == word) {
                Some(at) => at,
                None => {
                    let own = dictionary.freq(word);
                    // A lone character in a group (圈 beside 标点) is mostly a bound or
                    // literary form, not the word a spinner's compound replaced.
                    let synonyms: Vec<Candidate> = thesaurus
                        .into_iter()
                        .flat_map(|t| t.synonyms(word))
                        .filter(|s| {
                            s.chars().nth(1).is_some()
                                && dictionary.freq(s) >= SYNONYM_RATIO.saturating_mul(own.max(1))
                        })
                        .map(|word| Candidate {
                            word,
                            source: Source::UserThesaurus,
                            facts: None,
                        })
                        .collect();
                    pooled.push((word, synonyms, Vec::new()));
                    pooled.len() - 1
                }
            };
            let (_, candidates, occurrences) = &mut pooled[at];
            if candidates.is_empty() {
                continue;
            }
            if let Some(gains) = clause_gains(&chars, start, end, candidates, false) {
                occurrences.push(Occurrence {
                    block,
                    start: chars.byte_at(start),
                    end: chars.byte_at(end),
                    gains,
                });
            }
        }
        for (start, end, candidates) in suspects {
            if let Some(proposal) = weigh_siblings(&chars, start, end, &candidates) {
                proposals[block].push(proposal);
            }
        }
    }
    for (word, candidates, occurrences) in &pooled {
        let standing: Vec<bool> = candidates
            .iter()
            .map(|c| on_page.contains(c.word))
            .collect();
        let costs: Vec<f64> = candidates
            .iter()
            .map(|c| thesaurus.map_or(SYNONYM_COST, |t| synonym_cost(t, c.word)))
            .collect();
        for (block, proposal) in weigh_synonyms(word, candidates, &standing, &costs, occurrences) {
            proposals[block].push(proposal);
        }
    }
    for found in &mut proposals {
        found.sort_by_key(|p| p.start);
    }
    proposals
}

/// The cost, in nats, of restoring `candidate` from the user's thesaurus: a spinner
/// that swapped it wrote one of its synonyms (of two characters or more), so the word
/// on the page is one choice among that many, and ln of their number is what the
/// guess costs (a member of a loose group of twenty, as Cilin has, explains any one
/// of them poorly), never less than [`SYNONYM_COST`].
fn synonym_cost(thesaurus: &Thesaurus, candidate: &str) -> f64 {
    let choices = thesaurus
        .synonyms(candidate)
        .filter(|s| s.chars().nth(1).is_some())
        .count();
    SYNONYM_COST.max((choices.max(1) as f64).ln())
}

/// The rare dictionary words of a text that have frequent siblings, longest first at
/// each place.
fn sibling_suspects<'s>(chars: &[char]) -> Vec<Suspect<'s>> {
    let siblings = siblings();
    let dictionary = Dictionary::global();
    let mut suspects: Vec<Suspect> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !crate::text::is_cjk(chars[i]) {
            i += 1;
            continue;
        }
        // A three-character word begins with a two-character key that has a longer
        // word: without one, the three characters are not looked up.
        let found = chars.get(i..i + 2).and_then(|pair| {
            let start = PackedRun::of_chars(pair.iter().copied())?;
            if !siblings.suspect_starts.may_begin(start) {
                return None;
            }
            let two = dictionary.lookup_packed(start);
            let three = two
                .has_longer
                .then(|| chars.get(i..i + 3).and_then(|word| siblings.of(word)))
                .flatten()
                .map(|candidates| (i, i + 3, candidates));
            three.or_else(|| {
                siblings
                    .of_found(pair, two)
                    .map(|candidates| (i, i + 2, candidates))
            })
        });
        match found {
            Some(suspect) => {
                i = suspect.1;
                suspects.push(suspect);
            }
            None => i += 1,
        }
    }
    suspects
}

/// How much more probable the clause around the word at `start..end` (characters)
/// becomes with each candidate in its place (nats, in the candidates' order), or
/// `None` when the word is no word of the clause's best reading (a chance overlap),
/// or when `only_if_it_can_matter` and no candidate could reach a middle margin.
fn clause_gains(
    chars: &Chars,
    start: usize,
    end: usize,
    candidates: &[Candidate],
    only_if_it_can_matter: bool,
) -> Option<Vec<f64>> {
    let plain = &chars.plain;
    let is_clause = |k: usize| crate::text::is_cjk(plain[k]);
    let left = (start.saturating_sub(WINDOW)..start)
        .rev()
        .take_while(|&k| is_clause(k))
        .last()
        .unwrap_or(start);
    let right = (end..(end + WINDOW).min(plain.len()))
        .take_while(|&k| is_clause(k))
        .last()
        .map_or(end, |k| k + 1);
    let (s, e) = (start - left, end - left);
    let word = &chars.text[chars.byte_at(start)..chars.byte_at(end)];
    let left_open = open_runs(&plain[left..start]);
    let mut joined = Vec::with_capacity(candidates.len());
    // The cheap test first: most suspects fail it, and then the clause need not be
    // segmented at all.
    if only_if_it_can_matter
        && !any_can_matter(
            &plain[left..right],
            s,
            e,
            word,
            candidates,
            &left_open,
            &mut joined,
        )
    {
        return None;
    }
    let (base, cuts) = segment(&plain[left..right]);
    if !cuts.contains(&s) || !cuts.contains(&e) {
        return None;
    }
    // Most candidates form no word with their neighbours; then the clause splits at
    // the candidate's edges, and its two sides are segmented once for all of them.
    let outside = segment_score(&plain[left..start]) + segment_score(&plain[end..right]);
    let mut window: Vec<char> = Vec::with_capacity(right - left + 4);
    let mut buffer: Vec<char> = Vec::new();
    // The pair model weighs the user's synonyms only: the user vouches for the group, so
    // context decides within it. Siblings stay judged by the dictionary alone: the
    // model knows real names (南京晨报), so it would rename a fictional one (南岭晨报).
    let context = candidates
        .iter()
        .any(|c| c.source == Source::UserThesaurus)
        .then(|| {
            let (before, after) = neighbours(&plain[left..right], &cuts, s, e);
            let pairs = PairModel::chinese();
            // The page's word keeps what holds it together; its candidates only meet
            // the context.
            let kept = pairs.fit(&before, word, &after) + pairs.cohesion(word);
            (pairs, before, after, kept)
        });
    let gains = candidates
        .iter()
        .enumerate()
        .map(|(k, candidate)| {
            let candidate_chars = candidate.chars(&mut buffer);
            let joins = joined.get(k).copied().unwrap_or_else(|| {
                let candidate_open = candidate.open_runs(candidate_chars);
                joins_neighbours(
                    &left_open,
                    candidate_chars,
                    &candidate_open,
                    &plain[end..right],
                )
            });
            let with_candidate = if joins {
                window.clear();
                window.extend_from_slice(&plain[left..start]);
                window.extend_from_slice(candidate_chars);
                window.extend_from_slice(&plain[end..right]);
                segment_score(&window)
            } else {
                outside + candidate.alone(candidate_chars)
            };
            let in_context = match (&context, candidate.source) {
                (Some((pairs, before, after, kept)), Source::UserThesaurus) => {
                    pairs.fit(before, candidate.word, after) - kept
                }
                _ => 0.0,
            };
            with_candidate - base + in_context
        })
        .collect();
    Some(gains)
}

/// The words of the clause `window` right before `s` and right after `e`, given the
/// boundaries `cuts` of its best segmentation (empty at its edges).
fn neighbours(window: &[char], cuts: &[usize], s: usize, e: usize) -> (String, String) {
    let before = cuts
        .iter()
        .rev()
        .find(|&&c| c < s)
        .map_or_else(String::new, |&c| window[c..s].iter().collect());
    let after = cuts
        .iter()
        .find(|&&c| c > e)
        .map_or_else(String::new, |&c| window[e..c].iter().collect());
    (before, after)
}

/// Scores the dictionary siblings of the word at `start..end` (characters) in its
/// clause: a proposal when the best reaches a middle margin.
fn weigh_siblings(
    chars: &Chars,
    start: usize,
    end: usize,
    candidates: &[Candidate],
) -> Option<Proposal> {
    let gains = clause_gains(chars, start, end, candidates, true)?;
    let word = &chars.text[chars.byte_at(start)..chars.byte_at(end)];
    let own = f64::from(Dictionary::global().freq(word).max(1)).ln();
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .zip(gains)
        .map(|(candidate, gain)| {
            let frequency = candidate.ln_count() - own;
            (
                gain - (1.0 - SIBLING_FREQUENCY_WEIGHT) * frequency,
                candidate.word,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, original) = *scored.first()?;
    let lead = scored.get(1).map_or(f64::INFINITY, |r| best - r.0);
    let margin = (best - SIBLING_COST).min(lead);
    // A low-confidence change is neither applied nor listed, nor counted by the gate.
    if margin < super::MIDDLE_MARGIN {
        return None;
    }
    let runner_up = scored
        .get(1)
        .map(|r| format!("; next best `{}` trails by {lead:.1}", r.1))
        .unwrap_or_default();
    Some(Proposal {
        start: chars.byte_at(start),
        end: chars.byte_at(end),
        original: original.to_string(),
        margin,
        sure_margin: super::HIGH_MARGIN,
        spun_margin: margin,
        source: Source::DictionarySibling,
        reason: format!(
            "`{word}` is rare; `{original}` is a more frequent word one character away that \
             fits its neighbours: the clause reads {best:.1} more likely with it{runner_up}"
        ),
    })
}

/// Weighs a word of the user's thesaurus over all its occurrences on the page, as a
/// noisy channel: the writer wrote one of the word's more frequent synonyms (or the
/// word itself) and a spinner swapped it for this one everywhere. A candidate's score
/// against keeping the word is its frequency advantage, counted once (a writer picks
/// a word for a page, not anew at each use), plus what the context of each
/// occurrence adds beyond that (a compound with the neighbours, 日头能→太阳能), less
/// the cost of the change (`costs`, [`synonym_cost`]), and less [`STANDING_COST`] for
/// a candidate `standing` marks as standing elsewhere on the page. The change's
/// margin is the log odds of the best candidate against every other reading, keeping
/// the word included: when 许多 and 很多 fit equally, nothing is sure. For a rare word
/// these odds make the change sure at [`super::ODDS_HIGH_MARGIN`], and the odds that
/// the word is spun at all (any candidate against keeping it) are what the page gate
/// counts. An ordinary word (轻易 for 容易) is a spinner's everyday swap as often as a
/// writer's choice: it is weighed on a page that other evidence calls spun, sure only
/// at [`super::HIGH_MARGIN`], and never makes a page spun itself.
fn weigh_synonyms(
    word: &str,
    candidates: &[Candidate],
    standing: &[bool],
    costs: &[f64],
    occurrences: &[Occurrence],
) -> Vec<(usize, Proposal)> {
    if candidates.is_empty() || occurrences.is_empty() {
        return Vec::new();
    }
    let count = Dictionary::global().freq(word);
    let own = f64::from(count.max(1)).ln();
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .enumerate()
        .map(|(k, candidate)| {
            let frequency = candidate.ln_count() - own;
            let context: f64 = occurrences.iter().map(|o| o.gains[k] - frequency).sum();
            let stands = if standing[k] { STANDING_COST } else { 0.0 };
            (frequency + context - stands - costs[k], candidate.word)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, original) = scored[0];
    let log_sum = |scores: &mut dyn Iterator<Item = f64>| -> f64 {
        let scores: Vec<f64> = scores.collect();
        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        top + scores.iter().map(|s| (s - top).exp()).sum::<f64>().ln()
    };
    // Keeping the word scores 0.
    let margin = best - log_sum(&mut scored[1..].iter().map(|s| s.0).chain([0.0]));
    let spun_margin = log_sum(&mut scored.iter().map(|s| s.0));
    if spun_margin < super::MIDDLE_MARGIN {
        return Vec::new();
    }
    // The margin of a rare word is calibrated log odds: on the spun twins its changes
    // between the two bars were right in 24 uses of 24 (both splits, the fixture
    // thesauri and Cilin). An ordinary word's are not: a writer chooses it as often
    // as a spinner (天下 → 世界 at 2.99 was the writer's 天下), and with the lower bar
    // clean pages lost 体验 to 经验.
    let (spun_margin, sure_margin, what) = if count <= RARE {
        (spun_margin, super::ODDS_HIGH_MARGIN, "is rare")
    } else {
        (
            0.0,
            super::HIGH_MARGIN,
            "is an ordinary word, weighed as the page is spun",
        )
    };
    let runner_up = scored
        .get(1)
        .map(|r| format!("; `{}` scores {:.1}", r.1, r.0))
        .unwrap_or_default();
    let reason = format!(
        "`{word}` {what}; `{original}`, a more frequent synonym in your thesaurus, reads \
         {best:.1} more likely over its {} use(s) on the page{runner_up}",
        occurrences.len()
    );
    occurrences
        .iter()
        .map(|o| {
            let proposal = Proposal {
                start: o.start,
                end: o.end,
                original: original.to_string(),
                margin,
                sure_margin,
                spun_margin,
                source: Source::UserThesaurus,
                reason: reason.clone(),
            };
            (o.block, proposal)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(text: &str, thesaurus: Option<&Thesaurus>) -> Vec<(String, String)> {
        propose(text, thesaurus)
            .into_iter()
            .filter(|p| p.margin >= super::super::MIDDLE_MARGIN)
            .map(|p| (text[p.start..p.end].to_string(), p.original))
            .collect()
    }

    #[test]
    fn siblings_are_the_frequent_words_one_character_away_most_frequent_first() {
        let words = |text: &str| -> Option<Vec<String>> {
            let chars: Vec<char> = text.chars().collect();
            let found = siblings().of(&chars)?;
            Some(found.iter().map(|c| c.word.to_string()).collect())
        };
        let of_muzi = words("模子").expect("模子 is rare and has siblings");
        let at = |w: &str| of_muzi.iter().position(|s| s == w);
        assert!(
            at("孩子") < at("模型") && at("模型").is_some(),
            "{of_muzi:?}"
        );
        // A frequent word, a non-word and a run with a Latin letter have none.
        assert_eq!(words("孩子"), None);
        assert_eq!(words("模猫"), None);
        assert_eq!(words("模a"), None);
    }

    #[test]
    fn every_rare_word_with_siblings_begins_at_a_suspect_start() {
        let starts = &siblings().suspect_starts;
        let mut suspects = 0;
        for (word, _) in Dictionary::global().packed_entries() {
            let chars: Vec<char> = word.chars().collect();
            if siblings().of(&chars).is_some() {
                suspects += 1;
                let start = PackedRun::of_chars(chars[..2].iter().copied()).expect("packs");
                assert!(starts.may_begin(start), "{chars:?}");
            }
        }
        assert!(suspects > 10_000, "{suspects}");
        // Most runs of ordinary text begin no rare word: the table rules them out.
        let text: Vec<char> = "人工智能的发展需要更多的数据和更好的模型".chars().collect();
        let runs = text.windows(2).count();
        let ruled_out = text
            .windows(2)
            .filter(|pair| {
                !starts.may_begin(PackedRun::of_chars(pair.iter().copied()).expect("packs"))
            })
            .count();
        assert!(ruled_out * 2 > runs, "{ruled_out} of {runs}");
    }

    #[test]
    fn a_sibling_that_is_only_more_frequent_is_not_sure() {
        let found = best(
            "口述历史不是问卷，是陪人回忆。我们聊聊中文排版和标点。",
            None,
        );
        assert_eq!(found, [], "{found:?}");
    }

    #[test]
    fn thesaurus_synonyms_are_weighed_by_frequency() {
        let sure = Thesaurus::parse("Hg06A01= 训练 磨练\n", "t").expect("parses");
        let found = best("他们每天磨练新的模型。", Some(&sure));
        assert_eq!(found, [("磨练".to_string(), "训练".to_string())]);
        // With 锻炼 in the group too, both fit: the lead is too small to be sure.
        let open = Thesaurus::parse("Hg06A01= 训练 磨练 锻炼\n", "t").expect("parses");
        assert_eq!(best("他们每天磨练新的模型。", Some(&open)), []);
    }

    #[test]
    fn a_synonym_with_many_synonyms_of_its_own_is_a_poorer_guess() {
        let spun = "他们每天磨练新的模型。";
        let proposed = |thesaurus: &str| -> Vec<Proposal> {
            propose(
                spun,
                Some(&Thesaurus::parse(thesaurus, "t").expect("parses")),
            )
        };
        let narrow = proposed("Hg06A01= 训练 磨练\n");
        assert_eq!(narrow.len(), 1, "{narrow:?}");
        assert_eq!(narrow[0].original, "训练");
        assert!(
            narrow[0].margin >= super::super::MIDDLE_MARGIN,
            "{narrow:?}"
        );
        // 训练 also heads a loose group: a spinner that swapped it had twenty words to
        // choose from, so 磨练 is a poor sign of it, not even a suspect.
        let loose = proposed(
            "Hg06A01= 训练 磨练\nHg06A02= 训练 培训 操练 演练 练习 集训 教练 排练 练兵 \
             陶冶 熏陶 教育 培养 造就 栽培 作育 培植 养育 哺育 锤炼\n",
        );
        assert_eq!(loose, [], "{loose:?}");
    }

    #[test]
    fn a_synonym_that_stands_elsewhere_on_the_page_is_not_what_was_swapped() {
        let open = Thesaurus::parse("Hg06A01= 训练 磨练 锻炼\n", "t").expect("parses");
        let spun = "他们每天磨练新的模型。";
        assert_eq!(best(spun, Some(&open)), []);
        // The writer's 锻炼 stands untouched, so the spinner's 磨练 replaced 训练.
        let page = propose_page(&[spun, "周末大家去锻炼身体。"], Some(&open));
        assert_eq!(page[0].len(), 1, "{page:?}");
        assert_eq!(page[0][0].original, "训练");
        assert!(page[0][0].margin >= super::super::MIDDLE_MARGIN, "{page:?}");
    }

    #[test]
    fn a_thesaurus_word_is_weighed_over_all_its_uses_on_the_page() {
        let group = Thesaurus::parse("Ga01A01= 清楚 明晰 明白\n", "t").expect("parses");
        // Alone, 清楚 and 明白 both fit 明晰 (很明白 is a listed pair, 很清楚 reads as
        // well): likely spun, original not sure.
        let alone = propose("这件事很明晰。", Some(&group));
        assert_eq!(alone.len(), 1, "{alone:?}");
        assert!(alone[0].margin < super::super::HIGH_MARGIN, "{alone:?}");
        assert!(
            alone[0].spun_margin >= super::super::MIDDLE_MARGIN,
            "{alone:?}"
        );
        // 说不清楚 is a dictionary word: that use decides the other one too.
        let page = propose_page(&["他总说不明晰。", "这件事很明晰。"], Some(&group));
        for found in &page {
            assert_eq!(found.len(), 1, "{page:?}");
            assert_eq!(found[0].original, "清楚");
            assert!(found[0].margin >= super::super::MIDDLE_MARGIN, "{page:?}");
        }
    }

    #[test]
    fn an_ordinary_word_is_weighed_but_never_makes_a_page_spun() {
        use crate::clean::Lang;
        use crate::clean::despin::{DespinSettings, despin_text};
        let group = Thesaurus::parse("Ee01A01= 容易 轻易\n", "t").expect("parses");
        // 轻易 is common (1,474 in jieba's counts): a spinner's everyday swap for 容易
        // here, but as likely a writer's word, so it is no evidence of spinning.
        let text = "这本书轻易理解。";
        let found = propose(text, Some(&group));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].original, "容易");
        assert!(found[0].margin >= super::super::MIDDLE_MARGIN, "{found:?}");
        assert_eq!(found[0].spun_margin, 0.0, "{found:?}");
        let settings = DespinSettings {
            aggressive: true,
            thesaurus: Some(std::sync::Arc::new(group)),
            ..DespinSettings::default()
        };
        let (kept, report) = despin_text(text, Lang::Zh, &settings);
        assert!(!report.despun);
        assert_eq!(kept, text);
        // On a page other evidence calls spun, it is restored.
        let spun = format!("曩昔我们做了很多尝试。往实在了说，{text}");
        let (restored, _) = despin_text(&spun, Lang::Zh, &settings);
        assert_eq!(restored, "过去我们做了很多尝试。总的来说，这本书容易理解。");
    }

    #[test]
    fn a_rare_words_odds_make_it_sure_sooner_than_an_ordinary_words() {
        use crate::clean::report::Confidence;
        let group =
            Thesaurus::parse("Za01A04= 出版 出书\nZa01A06= 选择 抉择\n", "t").expect("parses");
        let found = |text: &str| -> Proposal {
            let mut found = propose(text, Some(&group));
            assert_eq!(found.len(), 1, "{found:?}");
            found.remove(0)
        };
        // 出书 is rare: odds of about 23 to 1 are sure.
        let rare = found("这本书明年出书。");
        assert_eq!(rare.original, "出版");
        assert!(rare.margin < super::super::HIGH_MARGIN, "{rare:?}");
        assert_eq!(rare.confidence(), Confidence::High, "{rare:?}");
        // 抉择 is an ordinary word: a better margin is still only worth a look.
        let ordinary = found("每个人都要抉择自己的路。");
        assert_eq!(ordinary.original, "选择");
        assert!(ordinary.margin > rare.margin, "{ordinary:?}");
        assert_eq!(ordinary.confidence(), Confidence::Middle, "{ordinary:?}");
    }

    #[test]
    fn a_candidate_is_not_favoured_by_how_its_own_characters_hold_together() {
        // 举步维艰 is no word of the pair model: read by its characters, its inner pairs
        // (举步, 维艰) once counted as context and outweighed the writer's 难找.
        let group = Thesaurus::parse("Ed07A01= 困难 难找 举步维艰\n", "t").expect("parses");
        let proposed = best(
            "钱和书都能想办法，但愿意长期跑流动点的人很难找。",
            Some(&group),
        );
        assert!(
            proposed.iter().all(|(_, original)| original != "举步维艰"),
            "{proposed:?}"
        );
    }

    #[test]
    fn context_decides_within_a_group_and_keeps_a_word_that_fits() {
        let group =
            Thesaurus::parse("Ab01A01= 少年 未成年人\nHg06A01= 训练 磨练\n", "t").expect("parses");
        // 未成年人保护 is a collocation: the rarer word is the writer's, whatever its
        // group's more common member.
        assert_eq!(best("学校要做好未成年人保护工作。", Some(&group)), []);
        // 进行训练 is one: the spun 磨练 goes back.
        assert_eq!(
            best("我们每天进行磨练，模型才稳定。", Some(&group)),
            [("磨练".to_string(), "训练".to_string())]
        );
    }

    #[test]
    fn an_ordinary_word_of_a_thesaurus_group_is_the_writers_choice() {
        let group = Thesaurus::parse("Aa01A01= 自己 本人 自个儿\n", "t").expect("parses");
        assert_eq!(propose("本人不同意。", Some(&group)), []);
        // A lone character of the group is no candidate for a word.
        let with_char = Thesaurus::parse("Aa01A01= 标点 圈\n", "t").expect("parses");
        assert_eq!(propose("标点很重要。", Some(&with_char)), []);
        assert_eq!(
            best("他自个儿去了。", Some(&group)),
            [("自个儿".to_string(), "自己".to_string())]
        );
    }

    #[test]
    fn ordinary_prose_yields_no_confident_change() {
        let text = "我们正在研究人工智能的未来。这个题目很有意思，世界各地的学者都在讨论。";
        assert_eq!(best(text, None), []);
    }
}
