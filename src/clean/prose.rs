//! Pass prose: never refuse prose. When the layout left no article-sized body, but the
//! page holds two or more paragraphs of prose, every prose block is kept, the article
//! is marked draft and the report says why. Only a page without prose is refused.

use super::extract::Block;
use super::lexicon::Lexicon;
use super::pipeline::PageState;
use super::report::ChangeKind;
use super::{CleanSettings, Problem};
use crate::text::is_cjk;

/// The fewest characters of body text the layout must leave for its choice to stand.
const MIN_BODY_CHARS: usize = 20;

/// Whether a block reads as a paragraph of prose: long enough, ending sentences, not
/// mostly links, and not a line of stuffed spam words.
pub fn is_prose(block: &Block) -> bool {
    let text = block.text.as_str();
    if block.link_density >= 0.5 {
        return false;
    }
    // Each test stops as soon as it is answered.
    let has_sentence = text
        .chars()
        .any(|c| matches!(c, '。' | '！' | '？' | '.' | '!' | '?' | '，' | ','));
    let long_enough = || {
        text.chars().filter(|c| is_cjk(*c)).nth(29).is_some()
            || text.split_whitespace().nth(14).is_some()
    };
    has_sentence && long_enough() && !Lexicon::global().is_spam_line(text)
}

/// Keeps every prose block when the layout found too little; refuses a page with
/// fewer than two paragraphs of prose.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    let body_chars: usize = state.body.iter().map(|b| b.text.chars().count()).sum();
    if body_chars >= MIN_BODY_CHARS && (state.body.len() >= 2 || state.body.iter().any(is_prose)) {
        state.before = joined(&state.body);
        return Ok(());
    }
    let prose: Vec<Block> = state
        .page
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| Some(*i) != state.title_index && is_prose(b))
        .map(|(_, b)| b.clone())
        .collect();
    if prose.len() < 2 {
        if body_chars >= MIN_BODY_CHARS {
            state.before = joined(&state.body);
            return Ok(());
        }
        return Err(Problem::NotAnArticle);
    }
    for block in &prose {
        if !state.body.iter().any(|b| b.number == block.number) {
            state.report.push_noted(
                ChangeKind::ProseKept,
                block.number,
                &block.text,
                "kept: prose, although the layout took it for chrome",
            );
        }
    }
    state.report.draft_reasons.push(format!(
        "no block stood out as the article: all {} prose blocks were kept; check for leftovers",
        prose.len()
    ));
    state.body = prose;
    state.before = joined(&state.body);
    Ok(())
}

fn joined(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::extract;

    fn state_of(text: &str, html: bool) -> PageState {
        let mut state = PageState {
            page: extract::extract(text, html),
            ..PageState::default()
        };
        crate::clean::layout::run(&mut state, &CleanSettings::default()).expect("layout");
        state
    }

    #[test]
    fn prose_the_layout_missed_is_kept_as_a_draft() {
        // The layout took the whole page for chrome (as it does when the article sits
        // in an element named like a sidebar): the body is empty, the prose is in the page.
        let para = "请先读完这一段很长的说明文字，它讲的是河流治理的二十年经验和教训，内容很多。";
        let mut state = state_of(&format!("{para}\n{para}再补一句。\n"), false);
        state.body.clear();
        run(&mut state, &CleanSettings::default()).expect("prose is never refused");
        assert_eq!(state.body.len(), 2);
        assert_eq!(state.report.draft_reasons.len(), 1);
        assert_eq!(state.report.count(ChangeKind::ProseKept), 2);
    }

    #[test]
    fn a_page_without_prose_is_refused() {
        let mut state = state_of("首页 | 联系我们\n客服热线：400-888-1234\n", false);
        assert_eq!(
            run(&mut state, &CleanSettings::default()),
            Err(Problem::NotAnArticle)
        );
    }
}
