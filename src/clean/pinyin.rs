//! Pass pinyin: machine conversions to traditional Chinese sometimes leave the reading
//! in brackets after a character (`發(fā)展`, `長(zhǎng)`). A toned syllable right
//! after a Han character is that annotation; it is removed when the page has two or
//! more (the pattern of a conversion), and listed as suspect when it has one. Toneless
//! syllables (`是(shi)`) are read as annotations only when they are valid pinyin and
//! the page has at least three of them.

use std::sync::OnceLock;

use regex::Regex;

use crate::text::Literals;

use super::extract::{Block, BlockKind};
use super::pipeline::PageState;
use super::report::ChangeKind;
use super::{CleanSettings, Problem};

/// A toneless syllable in brackets after a Han character: `是(shi)`.
fn toneless() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"(\p{Han})[(（]((?:[bpmfdtnlgkhjqxrwy]|zh|ch|sh|z|c|s)?(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|üan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|üe|ün|ve|a|o|e|i|u|ü|v))[)）]",
        )
        .expect("toneless pinyin pattern compiles")
    })
}

fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        // A syllable with a tone mark (or a tone number), in ASCII or full-width brackets.
        Regex::new(
            r"(\p{Han})[(（]\s*((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|[a-zü]{1,6}[1-5])(?:\s+[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*){0,2})\s*[)）]",
        )
        .expect("pinyin pattern compiles")
    })
}

/// Whether `text` has a bracket, as every match of both patterns does: most blocks
/// have none, and are not searched (nor the patterns compiled for them).
fn has_bracket(text: &str) -> bool {
    static WIDE: Literals<1> = Literals::new(["（"]);
    memchr::memchr(b'(', text.as_bytes()).is_some() || WIDE.any_in(text)
}

/// `text` without its toned pinyin annotations, whatever the page: what the layout
/// reads a line by, so that `當(dāng)前位置` is still a chrome label. The text itself
/// is converted later by [`run`], when the page shows the pattern.
pub fn without_readings(text: &str) -> std::borrow::Cow<'_, str> {
    if has_bracket(text) {
        pattern().replace_all(text, "$1")
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Removes pinyin annotations when the page shows the pattern.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    // The title is converted with the page: it goes through as block 0.
    state.body.insert(
        0,
        Block {
            number: 0,
            kind: BlockKind::Heading(1),
            text: std::mem::take(&mut state.meta.title),
            link_density: 0.0,
            chrome_hint: false,
            boilerplate: false,
        },
    );
    remove_toned(state);
    remove_toneless(state);
    state.meta.title = state.body.remove(0).text;
    Ok(())
}

/// Toneless syllables, when three or more on the page are valid pinyin.
fn remove_toneless(state: &mut PageState) {
    let total: usize = state
        .body
        .iter()
        .filter(|b| has_bracket(&b.text))
        .map(|b| toneless().find_iter(&b.text).count())
        .sum();
    if total < 3 {
        return;
    }
    for block in &mut state.body {
        if !has_bracket(&block.text) {
            continue;
        }
        for c in toneless().captures_iter(&block.text) {
            state.report.push_noted(
                ChangeKind::PinyinRemoved,
                block.number,
                &c[0],
                format!(
                    "the reading of {} left by a machine conversion ({total} on the page)",
                    &c[1]
                ),
            );
        }
        block.text = toneless().replace_all(&block.text, "$1").into_owned();
    }
}

/// Toned syllables: two or more on the page, or one listed as suspect.
fn remove_toned(state: &mut PageState) {
    let total: usize = state
        .body
        .iter()
        .filter(|b| has_bracket(&b.text))
        .map(|b| pattern().find_iter(&b.text).count())
        .sum();
    if total == 0 {
        return;
    }
    for block in &mut state.body {
        if !has_bracket(&block.text) || !pattern().is_match(&block.text) {
            continue;
        }
        if total < 2 {
            for m in pattern().find_iter(&block.text) {
                state.report.suspect(
                    ChangeKind::PinyinRemoved,
                    block.number,
                    m.as_str(),
                    "one pinyin annotation on the page: a conversion leaves many",
                );
            }
            continue;
        }
        for c in pattern().captures_iter(&block.text) {
            state.report.push_noted(
                ChangeKind::PinyinRemoved,
                block.number,
                &c[0],
                format!("the reading of {} left by a machine conversion", &c[1]),
            );
        }
        block.text = pattern().replace_all(&block.text, "$1").into_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(texts: &[&str]) -> PageState {
        PageState::with_body(None, texts)
    }

    #[test]
    fn readings_are_left_out_of_a_line_as_the_layout_reads_it() {
        assert_eq!(
            without_readings("當(dāng)前位置: 首頁(yè) > 足球新聞"),
            "當前位置: 首頁 > 足球新聞"
        );
        assert!(matches!(
            without_readings("是(shi)的"),
            std::borrow::Cow::Borrowed("是(shi)的")
        ));
    }

    #[test]
    fn annotations_go_when_the_page_has_several() {
        let mut page = state(&[
            "城市發(fā)展很快，長(zhǎng)期來看（zhǎng qī）也好。",
            "新(xin1)的一年。",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[0].text, "城市發展很快，長期來看也好。");
        assert_eq!(page.body[1].text, "新的一年。");
        assert_eq!(page.report.count(ChangeKind::PinyinRemoved), 4);
    }

    #[test]
    fn the_title_loses_its_readings_too() {
        let mut page = state(&["城市發(fā)展很快。", "長(zhǎng)期來看也好。"]);
        page.meta.title = "國(guó)家發(fā)展".to_string();
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.meta.title, "國家發展");
        assert_eq!(page.body.len(), 2);
    }

    #[test]
    fn toneless_syllables_go_only_in_numbers() {
        let mut page = state(&[
            "這是(shi)一個(ge)新的開始，我們(men)會努力。",
            "他用了方法(method)和模型(app)。",
        ]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[0].text, "這是一個新的開始，我們會努力。");
        assert_eq!(page.body[1].text, "他用了方法(method)和模型(app)。");
        let mut lone = state(&["老師叫他(ta)過來。"]);
        run(&mut lone, &CleanSettings::default()).expect("runs");
        assert_eq!(lone.body[0].text, "老師叫他(ta)過來。");
    }

    #[test]
    fn a_lone_annotation_or_an_english_aside_stays() {
        let mut page = state(&["他叫林(lín)先生。", "模型（GPT）和方法(method)都在。"]);
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body[0].text, "他叫林(lín)先生。");
        assert_eq!(page.body[1].text, "模型（GPT）和方法(method)都在。");
        assert_eq!(page.report.suspects.len(), 1);
    }
}
