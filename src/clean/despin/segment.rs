//! The dictionary's word model over a run of Chinese characters: the most probable
//! segmentation into dictionary words, and whether a word of the text crosses an edge
//! of a candidate (a compound the candidate would form with its neighbours).

use crate::clean::dict::{Dictionary, PackedRun};

/// The longest dictionary word looked up while segmenting.
const LONGEST_WORD: usize = 4;

/// Segmentations of runs shorter than this keep their tables on the stack: the
/// clause windows the Chinese model scores are at most twice its window plus a word
/// long.
const STACK_RUN: usize = 32;

/// The log probability of the best segmentation of `chars` under the dictionary's
/// word model, and the word boundaries of that segmentation.
pub(super) fn segment(chars: &[char]) -> (f64, Vec<usize>) {
    let n = chars.len();
    let mut from = vec![0usize; n + 1];
    let score = best_segmentation(chars, &mut from);
    let mut cuts = Vec::with_capacity(n + 1);
    cuts.push(n);
    let mut at = n;
    while at > 0 {
        at = from[at];
        cuts.push(at);
    }
    cuts.reverse();
    (score, cuts)
}

/// The log probability of the best segmentation of `chars`, as [`segment`] gives it,
/// without its boundaries.
pub(super) fn segment_score(chars: &[char]) -> f64 {
    if chars.len() < STACK_RUN {
        let mut from = [0usize; STACK_RUN];
        best_segmentation(chars, &mut from[..=chars.len()])
    } else {
        best_segmentation(chars, &mut vec![0usize; chars.len() + 1])
    }
}

/// The best segmentation of `chars` by dynamic programming: returns its log
/// probability and leaves in `from[end]` where the word ending at `end` starts.
fn best_segmentation(chars: &[char], from: &mut [usize]) -> f64 {
    let dictionary = Dictionary::global();
    let unknown = (1.0 / dictionary.total().max(1) as f64).ln();
    let n = chars.len();
    let mut stack_best = [f64::NEG_INFINITY; STACK_RUN];
    let mut heap_best = Vec::new();
    let best: &mut [f64] = if n < STACK_RUN {
        &mut stack_best[..=n]
    } else {
        heap_best.resize(n + 1, f64::NEG_INFINITY);
        &mut heap_best
    };
    best[0] = 0.0;
    for start in 0..n {
        if best[start] == f64::NEG_INFINITY {
            continue;
        }
        let mut run = PackedRun::new();
        for end in start + 1..=(start + LONGEST_WORD).min(n) {
            let Some(longer) = run.push(chars[end - 1]) else {
                break;
            };
            run = longer;
            let found = dictionary.lookup_packed(run);
            let score = if found.count > 0 {
                Some(found.log_prob)
            } else if end == start + 1 {
                Some(unknown)
            } else {
                None
            };
            if let Some(score) = score
                && best[start] + score > best[end]
            {
                best[end] = best[start] + score;
                from[end] = start;
            }
            // No word begins with this run: a longer one cannot be a word either.
            if !found.has_longer {
                break;
            }
        }
    }
    best[n]
}

/// A run of characters each of whose beginnings, itself included, begins a longer
/// dictionary word: a word may go on past its end.
pub(super) type OpenRun = PackedRun;

/// The clause around the form at `start..end` (bytes) of `text`: up to `CONTEXT` CJK
/// characters on either side of it, every character read through `read` (a caller
/// with simplified models reads traditional text through them), and where the form
/// starts and ends in it (characters).
pub(super) fn clause_around<const CONTEXT: usize>(
    text: &str,
    start: usize,
    end: usize,
    read: impl Fn(char) -> char,
) -> (Vec<char>, usize, usize) {
    let in_clause = |c: &char| crate::text::is_cjk(*c);
    // The characters before, last first, into the end of a buffer on the stack.
    let mut before = ['\0'; CONTEXT];
    let mut before_len = 0;
    for c in text[..start]
        .chars()
        .rev()
        .take_while(in_clause)
        .take(CONTEXT)
    {
        before[CONTEXT - 1 - before_len] = read(c);
        before_len += 1;
    }
    let mut clause: Vec<char> = Vec::with_capacity(2 * CONTEXT + (end - start));
    clause.extend_from_slice(&before[CONTEXT - before_len..]);
    let form_start = clause.len();
    clause.extend(text[start..end].chars().map(&read));
    let form_end = clause.len();
    clause.extend(
        text[end..]
            .chars()
            .take_while(in_clause)
            .take(CONTEXT)
            .map(&read),
    );
    (clause, form_start, form_end)
}

/// The open runs of a text that end at its end: at most one per start within the
/// longest word's length, kept on the stack (they are asked for once per suspect).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct OpenRuns {
    runs: [OpenRun; LONGEST_WORD - 1],
    len: usize,
}

impl std::ops::Deref for OpenRuns {
    type Target = [OpenRun];

    fn deref(&self) -> &[OpenRun] {
        &self.runs[..self.len]
    }
}

/// The open runs of `chars` that end at its end, shorter than the longest word.
/// Whether a word crosses an edge of a candidate depends on these runs of the text
/// before it and of the candidate, and on nothing else of theirs, so they are found
/// once per suspect and once per sibling.
pub(super) fn open_runs(chars: &[char]) -> OpenRuns {
    let dictionary = Dictionary::global();
    let first = chars.len().saturating_sub(LONGEST_WORD - 1);
    let mut open = OpenRuns::default();
    'starts: for start in first..chars.len() {
        let mut run = PackedRun::new();
        for &c in &chars[start..] {
            match run.push(c) {
                Some(longer) if dictionary.lookup_packed(longer).has_longer => run = longer,
                _ => continue 'starts,
            }
        }
        open.runs[open.len] = run;
        open.len += 1;
    }
    open
}

/// Whether the open run `run` becomes a dictionary word when `rest` follows it, within
/// the longest word's length.
fn becomes_word(mut run: OpenRun, rest: impl Iterator<Item = char>) -> bool {
    let dictionary = Dictionary::global();
    for c in rest.take(LONGEST_WORD.saturating_sub(run.len())) {
        let Some(longer) = run.push(c) else {
            return false;
        };
        run = longer;
        let found = dictionary.lookup_packed(run);
        if found.count > 0 {
            return true;
        }
        if !found.has_longer {
            return false;
        }
    }
    false
}

/// Whether a dictionary word of the text `left`, `candidate`, `right` takes
/// characters from both sides of an edge of the candidate, given the open runs that
/// end where the candidate starts (`left_open`, of `left`) and where it ends
/// (`candidate_open`, of the candidate).
pub(super) fn joins_neighbours(
    left_open: &[OpenRun],
    candidate: &[char],
    candidate_open: &[OpenRun],
    right: &[char],
) -> bool {
    left_open
        .iter()
        .any(|&open| becomes_word(open, candidate.iter().chain(right).copied()))
        || candidate_open
            .iter()
            .any(|&open| becomes_word(open, right.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segmentation_prefers_dictionary_words() {
        let chars: Vec<char> = "人工智能的未来".chars().collect();
        let (_, cuts) = segment(&chars);
        assert_eq!(cuts, [0, 4, 5, 7]);
    }

    /// Whether a dictionary word of `window` crosses `from` or `to`, by trying every
    /// run: what [`joins_neighbours`] answers from open runs.
    fn joins_by_every_run(window: &[char], from: usize, to: usize) -> bool {
        let dictionary = Dictionary::global();
        (0..window.len()).any(|start| {
            (start + 1..=(start + LONGEST_WORD).min(window.len())).any(|end| {
                let crosses = (start < from && end > from) || (start < to && end > to);
                let run: String = window[start..end].iter().collect();
                crosses && dictionary.freq(&run) > 0
            })
        })
    }

    #[test]
    fn joins_neighbours_agrees_with_trying_every_run() {
        let text: Vec<char> = "人工智能的发展需要大模型和神经网络的研究与未来世界中国人民"
            .chars()
            .collect();
        let mut answers = [0, 0];
        for from in 0usize..8 {
            for len in 1..=4 {
                let (left, candidate, right) = (
                    &text[from.saturating_sub(4)..from],
                    &text[from..from + len],
                    &text[from + len..from + len + 4],
                );
                let window: Vec<char> = [left, candidate, right].concat();
                let expected = joins_by_every_run(&window, left.len(), left.len() + len);
                let found =
                    joins_neighbours(&open_runs(left), candidate, &open_runs(candidate), right);
                assert_eq!(found, expected, "{window:?} at {from}+{len}");
                answers[usize::from(found)] += 1;
            }
        }
        assert!(answers[0] > 0 && answers[1] > 0, "{answers:?}");
    }
}
