//! Pass junk: random two-character tokens pasted before punctuation (`推进项目蒙溶，`).
//! A token is a candidate when the word-frequency dictionary ([`super::dict`]) and the
//! list of newer words (`data/newer-words.txt`) say it is no word, no word ends with
//! it, the text before it ends in a word (or a common character such as `了`), and
//! neither of its characters is a common word on its own (`去问`, `的人` are grammar,
//! not junk). A token the page also holds elsewhere (in the title, inside a clause) is
//! a word of the writer's, not a candidate. Candidates are removed only when the page
//! shows the pattern — at least three, and at least one clause end in eight — and are
//! listed as suspect when they are fewer, or when the page is written in Cantonese
//! (`data/cantonese-chars.txt`), whose words (`噉樣`, `嚟嘅`) the dictionary lacks.
//! Works in both scripts: traditional text is looked up through the dictionary's
//! character map, never converted.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

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

/// The fewest characters of written Cantonese that make a page Cantonese…
const CANTONESE_MIN: usize = 5;
/// …and the least share of its Han characters they must be.
const CANTONESE_SHARE: f32 = 0.005;

/// Whether the text is written Cantonese: it holds several of the characters of
/// `data/cantonese-chars.txt`, and they are not lost in a long text.
fn is_cantonese<'t>(texts: impl Iterator<Item = &'t str>) -> bool {
    static CHARS: OnceLock<FxHashSet<char>> = OnceLock::new();
    let cantonese = CHARS.get_or_init(|| {
        super::data_lines(include_str!("data/cantonese-chars.txt"))
            .filter_map(|line| line.chars().next())
            .collect()
    });
    let (mut han, mut spoken) = (0usize, 0usize);
    for c in texts.flat_map(str::chars).filter(|c| is_han(*c)) {
        han += 1;
        spoken += usize::from(cantonese.contains(&c));
    }
    spoken >= CANTONESE_MIN && spoken as f32 >= han as f32 * CANTONESE_SHARE
}

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

/// Whether `chars` spell a word of today's writing that the dictionary predates
/// (`data/newer-words.txt`: 算力, 微信), in either script. Held as a dictionary of its
/// own, so the lookup packs the characters as the main one does, without a string.
fn is_newer_word(chars: &[char]) -> bool {
    static WORDS: OnceLock<Dictionary> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let listed: String = super::data_lines(include_str!("data/newer-words.txt"))
            .map(|word| format!("{word} 1\n"))
            .collect();
        Dictionary::parse(&listed).expect("the newer words are one word a line")
    });
    words.freq_chars_any_script(chars) > 0
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
                && (dict.freq_chars_any_script(&window[from..to]) > 0
                    || is_newer_word(&window[from..to]))
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
    for block in &mut state.body {
        let runs = jammer_runs(&block.text);
        if !runs.is_empty() {
            block.text = cut_ranges(
                block,
                &runs,
                ChangeKind::JunkTokenRemoved,
                Some("a forum's anti-copy string: short ASCII tokens mixing letters and marks"),
                &mut state.report,
            );
        }
    }
    let dict = Dictionary::global();
    let mut ends = 0;
    let mut per_block: Vec<Vec<(usize, usize)>> = state
        .body
        .iter()
        .map(|b| {
            let (found, block_ends) = candidates(&b.text, dict);
            ends += block_ends;
            found
        })
        .collect();
    keep_words_of_the_page(state, &mut per_block);
    let total: usize = per_block.iter().map(Vec::len).sum();
    if total == 0 {
        return Ok(());
    }
    let share = total as f32 / ends.max(1) as f32;
    let cantonese = is_cantonese(state.body.iter().map(|b| b.text.as_str()));
    let pattern = total >= MIN_CANDIDATES && share >= MIN_SHARE && !cantonese;
    for (block, found) in state.body.iter_mut().zip(per_block) {
        if found.is_empty() {
            continue;
        }
        if !pattern {
            let why = if cantonese {
                "not a word, before punctuation; but the page is written in Cantonese, whose \
                 words the dictionary lacks"
                    .to_string()
            } else {
                format!(
                    "not a word, before punctuation; but only {total} such on the page \
                     ({:.0}% of clause ends)",
                    share * 100.0
                )
            };
            for (start, end) in found {
                state.report.suspect(
                    ChangeKind::JunkTokenRemoved,
                    block.number,
                    &block.text[start..end],
                    &why,
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

/// The fewest tokens of an anti-copy string…
const JAMMER_TOKENS: usize = 5;
/// …and of its tokens that mix a letter or digit with a mark (`k%`, `p.`).
const JAMMER_MIXED: usize = 2;

/// Byte ranges of the anti-copy strings a forum pastes between a post's lines (`& k%
/// j/ Y+ V$ c- M`, Discuz!'s hidden jammer text): runs of five or more tokens of one to
/// three printable ASCII characters, one space apart, at least two and a quarter of
/// them mixing a letter or digit with a mark. A formula (`a = b + c`) mixes none.
fn jammer_runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_graphic() {
            i += 1;
            continue;
        }
        // Tokens of 1-3 graphic characters, one space apart, from `i`.
        let (start, mut end, mut tokens, mut mixed) = (i, i, 0, 0);
        let mut at = i;
        loop {
            let token_end = (at..bytes.len())
                .find(|&k| !bytes[k].is_ascii_graphic())
                .unwrap_or(bytes.len());
            let token = &bytes[at..token_end];
            if token.is_empty() || token.len() > 3 {
                break;
            }
            tokens += 1;
            end = token_end;
            let marks = token.iter().any(u8::is_ascii_punctuation);
            let alnum = token.iter().any(u8::is_ascii_alphanumeric);
            mixed += usize::from(marks && alnum);
            if bytes.get(token_end) != Some(&b' ') {
                break;
            }
            at = token_end + 1;
        }
        if tokens >= JAMMER_TOKENS && mixed >= JAMMER_MIXED && mixed * 4 >= tokens {
            runs.push((start, end));
            i = end;
        } else {
            // Past this token: a run starts only at a token's first character.
            i = (i..bytes.len())
                .find(|&k| !bytes[k].is_ascii_graphic())
                .unwrap_or(bytes.len());
        }
    }
    runs
}

/// Drops the candidates whose token the page also holds where no junk is pasted (in
/// the title, or inside a clause): a word the dictionary does not know (a name, 算力,
/// 解耦) stands wherever the writer needs it, while a pasted token only ever comes
/// right before punctuation.
fn keep_words_of_the_page(state: &PageState, per_block: &mut [Vec<(usize, usize)>]) {
    let mut as_candidate: FxHashMap<&str, usize> = FxHashMap::default();
    for (block, found) in state.body.iter().zip(per_block.iter()) {
        for &(start, end) in found {
            *as_candidate.entry(&block.text[start..end]).or_default() += 1;
        }
    }
    let standing: FxHashSet<&str> = as_candidate
        .iter()
        .filter(|&(token, &count)| {
            let on_page = state.meta.title.matches(token).count()
                + state
                    .body
                    .iter()
                    .map(|b| b.text.matches(token).count())
                    .sum::<usize>();
            on_page > count
        })
        .map(|(token, _)| *token)
        .collect();
    if standing.is_empty() {
        return;
    }
    for (block, found) in state.body.iter().zip(per_block.iter_mut()) {
        found.retain(|&(start, end)| !standing.contains(&block.text[start..end]));
    }
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
    fn a_forums_anti_copy_strings_go_and_formulas_stay() {
        let mut page = state(&[
            "& k% j/ Y+ V$ c- M 2 c; q* `/ M) [0",
            "這個說法也有道理。& a. v6 M# v p",
            "9 G& i8 B' a/ i' t我沒有答話。",
            "公式是 a = b + c - d，他说 I am a big fan。",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        let texts: Vec<&str> = page.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "",
                "這個說法也有道理。",
                "我沒有答話。",
                "公式是 a = b + c - d，他说 I am a big fan。"
            ]
        );
    }

    #[test]
    fn a_cantonese_page_keeps_its_words() {
        // Written Cantonese: 噉樣, 嚟嘅 and 後呢 are words jieba's dictionary lacks.
        let spoken = [
            "我哋當時都係學生，點知做落去就做咗十年噉樣，",
            "聽眾一路陪住我哋嚟嘅，佢哋嘅回應好重要。",
            "做完第一集後呢，我哋就決定繼續做落去。",
        ];
        let mut page = state(&spoken);
        run(&mut page, &CleanSettings::default()).expect("runs");
        let kept: Vec<&str> = page.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(kept, spoken);
        assert_eq!(page.report.count(ChangeKind::JunkTokenRemoved), 0);
        assert!(!page.report.suspects.is_empty());
        // Two Cantonese characters in a long Mandarin page do not make it Cantonese.
        assert!(!is_cantonese(["佢講嘅話", &PASTED.repeat(40)].into_iter()));
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

    /// Two clauses with pasted tokens: with one more on the page, the pattern holds.
    const PASTED: &str = "我们继续推进这个项目蒙溶，今年的目标是完成三个试点稀缓。";

    #[test]
    fn a_word_the_dictionary_lacks_stays_when_the_page_uses_it_elsewhere() {
        // 蔺溪 (a name) is no dictionary word and ends a clause like a pasted token.
        let ends_with_name = "河道治理需要时间挪坯，这件事要交给蔺溪。";
        // The title holds it too.
        let mut page = state(&[PASTED, ends_with_name]);
        page.meta.title = "专访蔺溪：河道的十年".to_string();
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[1].text, "河道治理需要时间，这件事要交给蔺溪。");
        assert_eq!(page.report.count(ChangeKind::JunkTokenRemoved), 3);
        // Or a clause does, where nothing is pasted.
        let mut page = state(&[PASTED, ends_with_name, "蔺溪说河道会好起来。"]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[1].text, "河道治理需要时间，这件事要交给蔺溪。");
    }

    #[test]
    fn newer_words_are_words() {
        let mut page = state(&[
            PASTED,
            "河道治理需要时间挪坯，大家最缺的是算力。",
            "這件事上了熱搜。",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[1].text, "河道治理需要时间，大家最缺的是算力。");
        assert_eq!(page.body[2].text, "這件事上了熱搜。");
        assert!(is_newer_word(&['算', '力']) && !is_newer_word(&['蒙', '溶']));
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
