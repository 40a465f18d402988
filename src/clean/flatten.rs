//! Pass flatten: a whole article flattened onto one line is split back into blocks —
//! the title and byline off its head, then one block per speaker turn (`问：`, `记者：`,
//! `Q:`, or a name used as a label at least twice). The opposite shape, a speaker's
//! name on a line of its own above each turn (transcripts), is joined into `名字：话`.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::extract::{Block, BlockKind};
use super::pipeline::PageState;
use super::report::ChangeKind;
use super::{CleanSettings, Problem};

/// A block shorter than this is never taken for a flattened article.
const MIN_FLAT_CHARS: usize = 150;

struct Patterns {
    turn_zh: Regex,
    /// A fixed label after a space: a section heading without a full stop may come
    /// before it (`01.兩句粵語 記者：`).
    turn_zh_fixed: Regex,
    turn_en: Regex,
    /// A numbered section heading at the end of a part, before the turn that follows
    /// it (`…歡樂。 01.兩句粵語`).
    section_heading: Regex,
    byline_start: Regex,
    byline_label: Regex,
    byline_date: Regex,
    byline_en: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("flatten pattern compiles");
        let labels = r"作者|记者|記者|发布时间|發布時間|发布日期|發布日期|时间|時間|日期|来源|來源|出处|出處|编辑|編輯|责任编辑|責任編輯|浏览次数|瀏覽次數|阅读次数|閱讀次數|点击|點擊";
        Patterns {
            // A two-character name may be spaced to a three-character width (`杨 春：`).
            turn_zh: re(
                r"[。！？!?」”…]\s*((?:问|答|問|記者|记者|主持人|[\p{Han}·]{2,4}|\p{Han} \p{Han})\s*[:：])",
            ),
            turn_zh_fixed: re(r"\s((?:问|答|問|記者|记者|主持人)\s*[:：])"),
            turn_en: re(
                r"[.?!”\x22]\s+((?:Q|A|Interviewer|\p{Lu}[\p{Ll}'-]+(?: \p{Lu}[\p{Ll}'-]+)?)\s*:)\s",
            ),
            section_heading: re(r"\s(\d{1,2}\s*[.、．]\s*[^\s。！？!?，,：:]{2,30})$"),
            byline_start: re(&format!(r"\s*(?:(?:{labels})\s*[:：]|By \p{{Lu}})")),
            byline_label: re(&format!(r"(?:{labels})\s*[:：]\s*")),
            byline_date: re(
                r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
            ),
            byline_en: re(
                r"^\s*(?:By\s+\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,2}\s*[|,·]?\s*)?(?:(?:Published|Posted|Updated|Date):?\s*)?(?:\d{4}-\d{1,2}-\d{1,2}|\p{Lu}\p{Ll}{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\p{Lu}\p{Ll}{2,8}\.?\s+\d{4})?\s*",
            ),
        }
    })
}

/// Splits flattened blocks; numbers stay those of the original block, so the report
/// still points at the input's line.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    join_label_lines(state);
    let long = state
        .page
        .blocks
        .iter()
        .any(|b| b.text.chars().count() >= MIN_FLAT_CHARS);
    if !long {
        return Ok(());
    }
    let mut blocks = Vec::with_capacity(state.page.blocks.len());
    for block in std::mem::take(&mut state.page.blocks) {
        let parts = split_block(&block.text, state.page.is_html || block.number > 1);
        if parts.len() < 2 {
            blocks.push(block);
            continue;
        }
        state.report.push_noted(
            ChangeKind::TurnsSplit,
            block.number,
            format!("{} parts", parts.len()),
            "a whole article on one line: split at its title, byline and speaker turns",
        );
        for (i, text) in parts.into_iter().enumerate() {
            let kind = if i == 0 {
                block.kind
            } else if patterns().section_heading.is_match(&format!(" {text}")) {
                BlockKind::Heading(3)
            } else {
                BlockKind::Paragraph
            };
            blocks.push(Block {
                text,
                kind,
                ..block.clone()
            });
        }
    }
    state.page.blocks = blocks;
    Ok(())
}

/// Joins a speaker's name standing alone on a line (a fixed label, or a short name
/// standing alone at least twice) with the turn below it.
fn join_label_lines(state: &mut PageState) {
    let fixed = [
        "主持人",
        "记者",
        "記者",
        "问",
        "答",
        "問",
        "Q",
        "A",
        "Interviewer",
        "Host",
    ];
    // A common word standing alone twice is a repeated menu (首页, 其它, 上海), not a
    // speaker.
    let is_name = |text: &str| {
        let chars = text.chars().count();
        (2..=4).contains(&chars)
            && text.chars().all(|c| super::junk::is_han(c) || c == '·')
            && super::dict::Dictionary::global().freq(text) < COMMON_WORD
    };
    let mut alone: HashMap<&str, usize> = HashMap::new();
    for block in &state.page.blocks {
        let text = block.text.as_str();
        if fixed.contains(&text) || is_name(text) {
            *alone.entry(text).or_insert(0) += 1;
        }
    }
    let labels: Vec<String> = alone
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(name, _)| name.to_string())
        .collect();
    if labels.is_empty() {
        return;
    }
    let blocks = std::mem::take(&mut state.page.blocks);
    let mut joined: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut pending: Option<Block> = None;
    for block in blocks {
        if labels.contains(&block.text) {
            if let Some(label) = pending.replace(block) {
                joined.push(label);
            }
            continue;
        }
        match pending.take() {
            Some(label) if is_speech(&block.text) => {
                let separator = if label.text.is_ascii() { ": " } else { "：" };
                state.report.push_noted(
                    ChangeKind::TurnsSplit,
                    block.number,
                    &label.text,
                    "a speaker's name on a line of its own, joined to the turn below",
                );
                joined.push(Block {
                    text: format!("{}{separator}{}", label.text, block.text),
                    ..block
                });
            }
            Some(label) => {
                joined.push(label);
                joined.push(block);
            }
            None => joined.push(block),
        }
    }
    joined.extend(pending);
    state.page.blocks = joined;
}

/// A word counted this often in the dictionary is a word, not a person's name.
const COMMON_WORD: u32 = 1000;

/// Whether a line below a speaker's name reads as what they said: words, not a
/// number, a date or a menu's emoji (`10`, `2021-06-26`, `🔥 热搜 🔥`).
fn is_speech(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .nth(SPEECH_LETTERS - 1)
        .is_some()
}

/// The fewest letters of a turn below a speaker's name on a line of its own.
const SPEECH_LETTERS: usize = 3;

/// The parts of one flattened block, or the block whole.
fn split_block(text: &str, has_head_already: bool) -> Vec<String> {
    if text.chars().count() < MIN_FLAT_CHARS {
        return vec![text.to_string()];
    }
    let patterns = patterns();
    let mut parts = Vec::new();
    let mut rest = text;
    if !has_head_already
        && let Some(m) = patterns.byline_start.find(&text[..floor(text, 300)])
        && m.start() > 0
    {
        let byline = byline_length(&text[m.start()..]);
        if byline > 0 {
            parts.push(text[..m.start()].trim().to_string());
            parts.push(text[m.start()..m.start() + byline].trim().to_string());
            rest = &text[m.start() + byline..];
        }
    }
    let turns = turn_starts(rest);
    if turns.len() < 2 && parts.is_empty() {
        return vec![text.to_string()];
    }
    let mut last = 0;
    for at in turns {
        let part = rest[last..at].trim_end();
        // A numbered heading without a full stop ends the part before its turn.
        match patterns.section_heading.captures(part) {
            Some(c) if c.get(0).is_some_and(|m| m.start() > 0) => {
                let heading = c.get(1).map_or(part.len(), |h| h.start());
                parts.push(part[..heading].trim().to_string());
                parts.push(part[heading..].trim().to_string());
            }
            _ => parts.push(part.trim().to_string()),
        }
        last = at;
    }
    parts.push(rest[last..].trim().to_string());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The length in bytes of the byline that opens `text`: `label：value` fields (a date
/// ends a value; otherwise the next label or a space does), or an English
/// `By Name | Published date`.
fn byline_length(text: &str) -> usize {
    let patterns = patterns();
    let mut end = 0;
    let mut dated = false;
    while let Some(label) = patterns.byline_label.find_at(text, end) {
        let gap = text[end..label.start()].chars().count();
        if end > 0 && gap > 24 {
            break;
        }
        end = label.end();
        if let Some(date) = patterns.byline_date.find(&text[end..]) {
            end += date.end();
            dated = true;
        }
    }
    if end == 0 {
        return patterns.byline_en.find(text).map_or(0, |m| m.end());
    }
    // Without a date, the last value runs to the next space, 24 characters at most.
    let value: usize = text[end..]
        .chars()
        .take(24)
        .take_while(|c| !c.is_whitespace())
        .map(char::len_utf8)
        .sum();
    let rest = &text[end..end + value];
    if !dated || !rest.chars().any(crate::text::is_cjk) {
        end += value;
    }
    end
}

/// Byte offsets where a speaker turn starts: a fixed label, or a name used as a label
/// after a sentence end at least twice.
fn turn_starts(text: &str) -> Vec<usize> {
    let patterns = patterns();
    let mut found: Vec<(usize, String)> = Vec::new();
    for regex in [
        &patterns.turn_zh,
        &patterns.turn_zh_fixed,
        &patterns.turn_en,
    ] {
        for c in regex.captures_iter(text) {
            if let Some(label) = c.get(1) {
                let name = label
                    .as_str()
                    .trim_end_matches([':', '：', ' '])
                    .to_string();
                found.push((label.start(), name));
            }
        }
    }
    found.sort_unstable();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, name) in &found {
        *counts.entry(name.as_str()).or_insert(0) += 1;
    }
    let fixed = [
        "问",
        "答",
        "問",
        "记者",
        "記者",
        "主持人",
        "Q",
        "A",
        "Interviewer",
    ];
    // A name used as a label once still starts a turn when it answers the question of
    // a fixed label's turn (`記者：…說？ 全紅嬋：`).
    let answers_a_question = |k: usize| {
        let (at, _) = &found[k];
        text[..*at].trim_end().ends_with(['？', '?'])
            && k.checked_sub(1)
                .is_some_and(|j| fixed.contains(&found[j].1.as_str()))
    };
    let mut starts: Vec<usize> = (0..found.len())
        .filter(|&k| {
            let name = found[k].1.as_str();
            fixed.contains(&name)
                || (counts[name] >= 2 || answers_a_question(k))
                    && !super::format::SAYING.iter().any(|s| name.ends_with(s))
        })
        .map(|k| found[k].0)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The largest char boundary at or below `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_interview_splits_at_title_byline_and_turns() {
        let answer = "我们在河边长大，所以一直关心水质，这些年变化很大，从前的河水很清，后来工厂多了就浑了，现在又慢慢变清了。";
        let text = format!(
            "专访林知远：河流的未来 作者：李青 发布时间：2024-01-02 09:30 导语在这里，介绍了这次访谈的背景和缘由。问：您为什么关心河流？林知远：{answer}{answer}问：下一步呢？林知远：{answer}{answer}"
        );
        let parts = split_block(&text, false);
        assert_eq!(parts[0], "专访林知远：河流的未来");
        assert_eq!(parts[1], "作者：李青 发布时间：2024-01-02 09:30");
        assert!(parts[2].starts_with("导语在这里"));
        assert!(parts[3].starts_with("问：您为什么"), "{parts:?}");
        assert!(parts[4].starts_with("林知远："));
        assert_eq!(parts.len(), 7);
        // A fixed label after a heading that has no full stop.
        let text = format!(
            "專訪林知遠：河流的未來 導語在這里，介紹了這次訪談的背景。記者：您為什麼關心河流？林知遠：{answer}{answer} 02.下一步 記者：還會回來嗎？林知遠：{answer}"
        );
        let parts = split_block(&text, false);
        assert!(
            parts.iter().any(|p| p.starts_with("記者：還會")),
            "{parts:?}"
        );
        // The numbered heading before it is a part of its own.
        assert!(parts.iter().any(|p| p == "02.下一步"), "{parts:?}");
        // A name that answers the interviewer once is a turn too.
        let text = format!(
            "導語在這里，介紹了這次訪談的背景。記者：您為什麼關心河流？林知遠：{answer}{answer} 記者：還會回來嗎？ 陳曉嵐：{answer}"
        );
        let parts = split_block(&text, true);
        assert!(
            parts.last().is_some_and(|p| p.starts_with("陳曉嵐：")),
            "{parts:?}"
        );
    }

    #[test]
    fn english_turns_split_too() {
        let answer = "We grew up by the river, so water quality was always on our minds, and it changed a lot over the years.";
        let text = format!(
            "Q: Why rivers? Mara Holt: {answer} {answer} Q: What next? Mara Holt: {answer}"
        );
        let parts = split_block(&text, true);
        assert_eq!(parts.len(), 4, "{parts:?}");
        assert!(parts[1].starts_with("Mara Holt:"));
    }

    /// The blocks of a text page after the pass.
    fn flattened(text: &str) -> Vec<String> {
        let mut state = PageState {
            page: crate::clean::extract::extract(text, false),
            ..PageState::default()
        };
        run(&mut state, &CleanSettings::default()).expect("runs");
        state.page.blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn names_on_lines_of_their_own_join_their_turns() {
        let text = "访谈实录\n主持人\n欢迎您来到节目。\n林知远\n大家好，很高兴来。\n主持人\n您是什么时候到的？\n林知远\n昨天晚上。\n";
        assert_eq!(
            flattened(text),
            [
                "访谈实录",
                "主持人：欢迎您来到节目。",
                "林知远：大家好，很高兴来。",
                "主持人：您是什么时候到的？",
                "林知远：昨天晚上。"
            ]
        );
    }

    #[test]
    fn a_repeated_menu_is_no_speaker() {
        // A mirror's menu twice: a common word, or a name above a number, joins nothing.
        let text = "首页\n社会\n上海\n10\n首页\n社会\n上海\n11\n正文从这里开始，写了很多字。\n";
        assert_eq!(flattened(text), text.lines().collect::<Vec<_>>());
    }

    #[test]
    fn an_ordinary_long_paragraph_stays_whole() {
        let text = "他说：我们在河边长大。".repeat(40);
        assert_eq!(split_block(&text, true).len(), 1);
    }
}
