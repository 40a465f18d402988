//! Pass emoji: emoji pasted after clauses of formal prose (news, interviews). When the
//! page's prose holds two or more, every emoji in the body goes (the injection also
//! hits captions and bylines); a lone one in prose is suspect; a page whose prose has
//! none keeps the emoji of its other lines.

use super::pipeline::{PageState, cut_ranges};
use super::report::ChangeKind;
use super::{CleanSettings, Problem, prose};

/// Whether `c` is an emoji or a part of one (variation selector, joiner, skin tone).
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF      // pictographs, emoticons, flags, symbols, skin tones
        | 0x2600..=0x27BF      // miscellaneous symbols and dingbats
        | 0x2B00..=0x2BFF      // arrows and stars used as emoji (⭐)
        | 0xFE0F | 0x200D | 0x20E3)
}

/// Removes emoji from prose when the page shows the pattern.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    // Emoji first: most blocks have none, and then whether they are prose is moot.
    let in_prose: usize = state
        .body
        .iter()
        .map(|b| match emoji_runs(&b.text).len() {
            0 => 0,
            runs => usize::from(prose::is_prose(b)) * runs,
        })
        .sum();
    if in_prose == 0 {
        return Ok(());
    }
    for block in &mut state.body {
        if in_prose < 2 && !prose::is_prose(block) {
            continue;
        }
        let runs = emoji_runs(&block.text);
        if runs.is_empty() {
            continue;
        }
        if in_prose < 2 {
            for (start, end) in &runs {
                state.report.suspect(
                    ChangeKind::EmojiRemoved,
                    block.number,
                    &block.text[*start..*end],
                    "one emoji in the prose: injection leaves many",
                );
            }
            continue;
        }
        let out = cut_ranges(
            block,
            &runs,
            ChangeKind::EmojiRemoved,
            None,
            &mut state.report,
        );
        block.text = out.replace("  ", " ").trim().to_string();
    }
    Ok(())
}

/// Whether `text` may hold an emoji, from its UTF-8 bytes: every character
/// [`is_emoji`] accepts starts with `F0 9F` (U+1F000..), `E2 98`-`E2 9E` (U+2600..U+27BF),
/// `E2 AC`-`E2 AF` (U+2B00..U+2BFF), `E2 80 8D` (U+200D), `E2 83 A3` (U+20E3) or `EF B8 8F`
/// (U+FE0F). A byte search skips the text between candidates, which a character walk
/// would decode.
fn may_hold_emoji(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(0xE2, 0xEF, 0xF0, bytes).any(|at| {
        let next = |k: usize| bytes.get(at + k).copied();
        matches!(
            (bytes[at], next(1), next(2)),
            (0xF0, Some(0x9F), _)
                | (0xE2, Some(0x98..=0x9E | 0xAC..=0xAF), _)
                | (0xE2, Some(0x80), Some(0x8D))
                | (0xE2, Some(0x83), Some(0xA3))
                | (0xEF, Some(0xB8), Some(0x8F))
        )
    })
}

/// Byte ranges of runs of emoji (with the space before a run in Latin text).
fn emoji_runs(text: &str) -> Vec<(usize, usize)> {
    if !may_hold_emoji(text) {
        return Vec::new();
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (at, c) in text.char_indices() {
        if !is_emoji(c) {
            continue;
        }
        let end = at + c.len_utf8();
        match runs.last_mut() {
            Some(run) if run.1 == at => run.1 = end,
            _ => {
                let start = if text[..at].ends_with(' ') {
                    at - 1
                } else {
                    at
                };
                runs.push((start, end));
            }
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_test_finds_every_emoji_character() {
        let emoji: Vec<char> = (0..=0x10_ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_emoji(c))
            .collect();
        assert!(emoji.len() > 1000);
        for c in emoji {
            assert!(may_hold_emoji(&format!("文{c}字")), "{c:?}");
        }
        assert!(!may_hold_emoji("“引号”，全角。"));
    }

    fn state(texts: &[&str]) -> PageState {
        PageState::with_body(None, texts)
    }

    #[test]
    fn emoji_in_formal_prose_go() {
        let mut page = state(&[
            "市政府昨天公布了新的河道治理方案🔥，预计明年完成第一期工程👍👍。方案包括三个部分，涉及沿河的十二个街道。",
            "The council approved the plan 🚀 on Monday, and the first phase will start in spring next year, officials said.",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(
            page.body[0].text,
            "市政府昨天公布了新的河道治理方案，预计明年完成第一期工程。方案包括三个部分，涉及沿河的十二个街道。"
        );
        assert!(
            page.body[1]
                .text
                .starts_with("The council approved the plan on Monday")
        );
        assert_eq!(page.report.count(ChangeKind::EmojiRemoved), 3);
    }

    #[test]
    fn a_lone_emoji_is_only_suspect() {
        let text =
            "她笑着说这是她最喜欢的一张照片😊，拍的是小时候家门口的那条河，现在已经看不到了。";
        let mut page = state(&[text]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[0].text, text);
        assert_eq!(page.report.suspects.len(), 1);
    }
}
