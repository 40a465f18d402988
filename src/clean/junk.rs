//! Pass junk: random two-character tokens pasted before punctuation (`推进项目蒙溶，`).
//! A token is a candidate when the word-frequency dictionary ([`super::dict`]) says it
//! is no word, no word ends with it, the text before it ends in a word (or a common
//! character such as `了`), and neither of its characters is a common word on its own (`去问`, `的人` are grammar, not junk).
//! Candidates are removed only when the page shows the pattern — at least three, and
//! at least one clause end in eight — and are listed as suspect when they are fewer.
//! Works in both scripts: traditional text is looked up through the dictionary's
//! character map, never converted.

use super::dict::Dictionary;
use super::pipeline::{PageState, cut_ranges};
use super::report::ChangeKind;
use super::{CleanSettings, Lang, Problem};

/// A character more frequent than this as a word of its own is grammar (`的`, `要`,
/// `去`): clause ends built on it are ordinary Chinese.
const COMMON_CHAR: u32 = 50_000;

/// The fewest candidates on a page for the pattern to hold.
const MIN_CANDIDATES: usize = 3;

/// The share of clause ends that must be candidates for the pattern to hold.
const MIN_SHARE: f32 = 0.125;

/// Whether `c` is a Han character (not CJK punctuation or kana).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '！' | '？' | '、' | '：' | ',' | ';' | '!' | '?'
    )
}

/// Byte ranges of junk-token candidates in `text`, and how many clause ends it has.
pub fn candidates(text: &str, dict: &Dictionary) -> (Vec<(usize, usize)>, usize) {
    // Sized by a count first: collected as they come, they grow the vector many times.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(text.chars().count());
    chars.extend(text.char_indices());
    let mut found = Vec::new();
    let mut ends = 0;
    for i in 0..chars.len() {
        if !is_clause_end(chars[i].1) {
            continue;
        }
        ends += 1;
        if i < 4 {
            continue;
        }
        let mut window = ['\0'; 6];
        let n = i.min(6);
        for (slot, c) in window.iter_mut().zip(&chars[i - n..i]) {
            *slot = c.1;
        }
        let window = &window[..n];
        let (c1, c2) = (window[n - 2], window[n - 1]);
        if !(is_han(c1) && is_han(c2)) {
            continue;
        }
        let word = |from: usize, to: usize| -> bool {
            window[from..to].iter().all(|c| is_han(*c))
                && dict.freq_chars_any_script(&window[from..to]) > 0
        };
        // The token, or a longer word ending with it, is a word: ordinary text.
        if (n.saturating_sub(4)..n - 1).any(|from| word(from, n)) {
            continue;
        }
        // The text before must end in a word of its own, or in a common character
        // (`了`, `的`).
        let common = |c: char| dict.freq_chars_any_script(&[c]) >= COMMON_CHAR;
        let before = n - 2;
        let ends_in_word = (before.saturating_sub(4)..before.saturating_sub(1))
            .any(|from| word(from, before))
            || before > 0 && common(window[before - 1]);
        if !ends_in_word {
            continue;
        }
        if common(c1) || common(c2) {
            continue;
        }
        found.push((chars[i - 2].0, chars[i].0));
    }
    (found, ends)
}

/// Removes junk tokens when the page shows the pattern; lists them as suspect when the
/// pattern is weak.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    if state.language() != Lang::Zh {
        return Ok(());
    }
    let dict = Dictionary::global();
    let mut ends = 0;
    let per_block: Vec<Vec<(usize, usize)>> = state
        .body
        .iter()
        .map(|b| {
            let (found, block_ends) = candidates(&b.text, dict);
            ends += block_ends;
            found
        })
        .collect();
    let total: usize = per_block.iter().map(Vec::len).sum();
    if total == 0 {
        return Ok(());
    }
    let share = total as f32 / ends.max(1) as f32;
    let pattern = total >= MIN_CANDIDATES && share >= MIN_SHARE;
    for (block, found) in state.body.iter_mut().zip(per_block) {
        if found.is_empty() {
            continue;
        }
        if !pattern {
            for (start, end) in found {
                state.report.suspect(
                    ChangeKind::JunkTokenRemoved,
                    block.number,
                    &block.text[start..end],
                    format!(
                        "not a word, before punctuation; but only {total} such on the page \
                         ({:.0}% of clause ends)",
                        share * 100.0
                    ),
                );
            }
            continue;
        }
        let reason = format!(
            "not a word in the dictionary, pasted before punctuation ({total} on the page)"
        );
        block.text = cut_ranges(
            block,
            &found,
            ChangeKind::JunkTokenRemoved,
            Some(&reason),
            &mut state.report,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(texts: &[&str]) -> PageState {
        PageState::with_body(None, texts)
    }

    #[test]
    fn pasted_tokens_go_when_the_pattern_holds() {
        let mut page = state(&[
            "我们继续推进这个项目蒙溶，今年的目标是完成三个试点稀缓。",
            "河道治理需要时间挪坯，也需要耐心。",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(
            page.body[0].text,
            "我们继续推进这个项目，今年的目标是完成三个试点。"
        );
        assert_eq!(page.body[1].text, "河道治理需要时间，也需要耐心。");
        assert_eq!(page.report.count(ChangeKind::JunkTokenRemoved), 3);
    }

    #[test]
    fn traditional_text_is_read_in_its_own_script() {
        let mut page = state(&[
            "我們繼續推進這個項目蒙溶，今年的目標是完成三個試點稀緩。河道治理需要時間挪坯，也需要耐心。",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(
            page.body[0].text,
            "我們繼續推進這個項目，今年的目標是完成三個試點。河道治理需要時間，也需要耐心。"
        );
    }

    #[test]
    fn ordinary_clause_ends_stay() {
        let text = "他说了很多的事，我们去问，他们要拆。做完了再写，这是我的人。";
        let mut page = state(&[text]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[0].text, text);
        assert_eq!(page.report.count(ChangeKind::JunkTokenRemoved), 0);
    }
}
