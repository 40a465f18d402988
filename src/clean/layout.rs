//! Pass layout: which blocks are the title, bylines, chrome and body. Chrome and brand
//! depend on each other, so the roles with the user's brands give the chrome to learn
//! the site's brand from, and the roles with it are the layout's; the page is laid out
//! once for both (`chrome::Layout`), since brands only turn short lines into chrome.

use super::chrome::{self, Role};
use super::extract::{Block, BlockKind};
use super::pipeline::PageState;
use super::report::{ChangeKind, Report};
use super::{CleanSettings, Problem, metadata, spam};

/// Lays the page out and moves the body blocks into the state.
pub fn run(state: &mut PageState, settings: &CleanSettings) -> Result<(), Problem> {
    let blocks = &state.page.blocks;
    let title_index = metadata::locate_title(&state.page, &settings.brands);
    let layout = chrome::Layout::new(blocks, title_index);
    let first_roles = layout.roles(blocks, &settings.brands);
    let chrome_lines: Vec<&str> = blocks
        .iter()
        .zip(&first_roles)
        .filter(|(_, r)| matches!(r, Role::Chrome(_)))
        .map(|(b, _)| b.text.as_str())
        .collect();
    let first_body: String = blocks
        .iter()
        .zip(&first_roles)
        .filter(|(_, r)| **r == Role::Body)
        .map(|(b, _)| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let raw_title = title_index
        .map(|i| blocks[i].text.clone())
        .unwrap_or_default();
    let brands = spam::learn_brands(
        &chrome_lines,
        &state.page.head,
        &raw_title,
        &first_body,
        &settings.brands,
    );
    // Brands only name chrome lines: the same brands give the same layout.
    let roles = if brands == settings.brands {
        first_roles
    } else {
        layout.roles(blocks, &brands)
    };
    for (block, role) in blocks.iter().zip(&roles) {
        let reason = match role {
            Role::Chrome(reason) => {
                state.report.push_noted(
                    ChangeKind::ChromeRemoved,
                    block.number,
                    &block.text,
                    *reason,
                );
                continue;
            }
            Role::Title => "the title",
            Role::Byline => "a byline or date line",
            Role::Body => continue,
        };
        state
            .report
            .push_noted(ChangeKind::MetadataTaken, block.number, &block.text, reason);
    }
    let body = blocks
        .iter()
        .zip(&roles)
        .filter(|(_, r)| **r == Role::Body)
        .map(|(b, _)| b.clone())
        .collect();
    state.body = join_broken_lines(body, &mut state.report);
    state.chrome_text = blocks
        .iter()
        .zip(&roles)
        .filter(|(_, r)| matches!(r, Role::Chrome(_)))
        .map(|(b, _)| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    state.title_index = title_index;
    state.roles = roles;
    state.brands = brands;
    Ok(())
}

/// Joins the paragraphs a page broke mid-sentence (a mirrored WeChat article breaks
/// its lines at every styled span): a line of closing punctuation alone (`。`, `”`)
/// goes onto the paragraph before it, and a paragraph ending in a comma takes on the
/// next line, unless that line opens a speaker's turn or the paragraph is a short
/// line a spinner may have put there (`但实际上，`: the spam pass weighs those). Only
/// neighbours on the page are joined.
fn join_broken_lines(body: Vec<Block>, report: &mut Report) -> Vec<Block> {
    let mut joined: Vec<Block> = Vec::with_capacity(body.len());
    for block in body {
        if let Some(last) = joined.last_mut()
            && last.kind == BlockKind::Paragraph
            && block.kind == BlockKind::Paragraph
            && block.number == last.number + 1
            && (is_closing_punctuation(&block.text)
                || (ends_at_comma(&last.text)
                    && spam::lone_comma_line(&last.text).is_none()
                    && continues_sentence(&block.text)))
        {
            report.push_noted(
                ChangeKind::LinesJoined,
                block.number,
                &block.text,
                "the rest of a sentence the page broke across lines",
            );
            last.text.push_str(&block.text);
            last.number = block.number;
            continue;
        }
        joined.push(block);
    }
    joined
}

/// Whether a line is nothing but marks that close a sentence or a quotation.
fn is_closing_punctuation(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| matches!(c, '。' | '！' | '？' | '”' | '」' | '』' | '）' | '…'))
}

/// Whether a CJK line ends at a comma (full width, or half width as a mirror writes
/// it before the punctuation is normalised).
fn ends_at_comma(text: &str) -> bool {
    let mut end = text.chars().rev();
    match end.next() {
        Some('，' | '、') => true,
        Some(',') => end.next().is_some_and(crate::text::is_cjk),
        _ => false,
    }
}

/// Whether a line can go on a sentence cut at a comma: it opens with a CJK character
/// and is no speaker's turn (no label colon near its start).
fn continues_sentence(text: &str) -> bool {
    text.chars().next().is_some_and(crate::text::is_cjk)
        && !text
            .chars()
            .take(LABEL_CHARS)
            .any(|c| matches!(c, '：' | ':'))
}

/// How far into a line a speaker label's colon may stand.
const LABEL_CHARS: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::extract;

    #[test]
    fn chrome_and_title_leave_the_body_with_reasons() {
        let text = "网站首页 | 关于我们 | 联系我们\n专访林知远：河流的未来\n作者：李青 发布时间：2024-01-02\n林知远在河边长大，他说河流是城市的记忆。\nCopyright © 2024 某某网 版权所有\n";
        let mut state = PageState {
            page: extract::extract(text, false),
            ..PageState::default()
        };
        run(&mut state, &CleanSettings::default()).expect("lays out");
        let body: Vec<&str> = state.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(body, ["林知远在河边长大，他说河流是城市的记忆。"]);
        assert_eq!(state.title_index, Some(1));
        assert_eq!(state.report.count(ChangeKind::ChromeRemoved), 2);
        assert!(state.report.changes.iter().all(|c| !c.reason.is_empty()));
    }

    fn body_of(text: &str) -> Vec<String> {
        let mut state = PageState {
            page: extract::extract(text, false),
            ..PageState::default()
        };
        run(&mut state, &CleanSettings::default()).expect("lays out");
        state.body.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn a_sentence_broken_across_lines_is_one_paragraph() {
        let text = "专访林知远：河流的未来\n林知远在河边长大，他谈到,\n河流是城市的记忆\n。\n“我们在那年年底组建了一个记录河流的小队，\n记录每一条支流。\n”\n他说完就走了。\n";
        assert_eq!(
            body_of(text),
            [
                "林知远在河边长大，他谈到,河流是城市的记忆。",
                "“我们在那年年底组建了一个记录河流的小队，记录每一条支流。”",
                "他说完就走了。",
            ]
        );
    }

    #[test]
    fn a_turn_or_a_lone_connective_stays_its_own_paragraph() {
        let text = "专访林知远：河流的未来\n林知远在河边长大，记者问了他三个问题，\n记者：您为什么回到家乡？\n林知远：因为河流。\n但实际上，\n他很少回去。\n";
        assert_eq!(
            body_of(text),
            [
                "林知远在河边长大，记者问了他三个问题，",
                "记者：您为什么回到家乡？",
                "林知远：因为河流。",
                "但实际上，",
                "他很少回去。",
            ]
        );
    }
}
