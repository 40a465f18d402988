//! The cleaner's passes as a list over one page state. Each pass is a module with a
//! `run(&mut PageState, &CleanSettings)` function; adding a pass is adding a module and
//! one line to [`PASSES`].

use super::chrome::Role;
use super::despin::{self, SpinTable};
use super::extract::{Block, Page};
use super::metadata::Metadata;
use super::report::{ChangeKind, Report};
use super::{
    CleanSettings, Lang, Problem, emoji, flatten, foreign, junk, layout, metadata, pinyin, prose,
    sanitize, spam,
};

/// Everything known about one page while the passes run.
#[derive(Debug, Default)]
pub struct PageState {
    /// The input's file name (extension and all).
    pub file_name: String,
    /// The page as extracted: blocks and `<head>` metadata.
    pub page: Page,
    /// The title block, once the layout pass found it.
    pub title_index: Option<usize>,
    /// The role of each block of `page`, once laid out.
    pub roles: Vec<Role>,
    /// The hijacking site's brands, learned from the page or given.
    pub brands: Vec<String>,
    /// The chrome blocks' text, one a line (where bait domains are learned).
    pub chrome_text: String,
    /// The front matter found so far.
    pub meta: Metadata,
    /// The article's blocks, from the layout pass on.
    pub body: Vec<Block>,
    /// The body text as laid out, before any text pass (for the diff).
    pub before: String,
    /// The article's language.
    pub lang: Option<Lang>,
    /// The site's own spinner pairs, compiled.
    pub user_spin: Option<SpinTable>,
    /// Every change and suspect.
    pub report: Report,
}

impl PageState {
    /// The body's text, blocks joined by a line break.
    pub fn body_text(&self) -> String {
        self.body
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The language, Chinese until the metadata pass has decided.
    pub fn language(&self) -> Lang {
        self.lang.unwrap_or(Lang::Zh)
    }

    /// Drops body blocks a pass emptied.
    pub fn drop_empty_blocks(&mut self) {
        // All white space when trimmed from the start alone: no need to trim both ends.
        self.body.retain(|b| !b.text.trim_start().is_empty());
    }

    /// A state whose body is `texts`, one paragraph block each, numbered from 1: the
    /// page a text pass's tests start from.
    #[cfg(test)]
    pub fn with_body(lang: Option<Lang>, texts: &[&str]) -> PageState {
        PageState {
            lang,
            body: texts
                .iter()
                .enumerate()
                .map(|(i, text)| Block {
                    number: i + 1,
                    kind: super::extract::BlockKind::Paragraph,
                    text: text.to_string(),
                    link_density: 0.0,
                    chrome_hint: false,
                    boilerplate: false,
                })
                .collect(),
            ..PageState::default()
        }
    }
}

/// Cuts byte ranges (in order, not overlapping) out of a block's text and records each
/// cut as a change of `kind`, with `reason` or the kind's default one; returns the text
/// that is left. The text passes (emoji, junk, spam's bait brands) share it.
pub fn cut_ranges(
    block: &Block,
    ranges: &[(usize, usize)],
    kind: ChangeKind,
    reason: Option<&str>,
    report: &mut Report,
) -> String {
    let text = &block.text;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for &(start, end) in ranges {
        if start > last {
            out.push_str(&text[last..start]);
        }
        let cut = &text[start..end];
        match reason {
            Some(reason) => report.push_noted(kind, block.number, cut, reason),
            None => report.push(kind, block.number, cut),
        }
        last = end.max(last) + close_the_gap(&mut out, &text[end.max(last)..]);
    }
    out.push_str(&text[last..]);
    out
}

/// Closes the gap a cut leaves in `kept`, the text before it, given the text `after`
/// it; returns how many bytes of `after` go too. A paste brings its spaces along
/// (`要 XM外汇平台 慎做`): between two CJK characters no space stays (`要慎做`), nor at
/// either end of the block, and elsewhere one of the two spaces around the cut goes
/// (`a BRAND b` → `a b`).
fn close_the_gap(kept: &mut String, after: &str) -> usize {
    let is_space = |c: char| c == ' ' || c == '\u{3000}';
    let space_after = after.len() - after.trim_start_matches(is_space).len();
    let before_len = kept.trim_end_matches(is_space).len();
    let space_before = kept.len() - before_len;
    if space_after == 0 && space_before == 0 {
        return 0;
    }
    let next = after[space_after..].chars().next();
    // At either end of the block no space stays.
    if before_len == 0 || next.is_none() {
        kept.truncate(before_len);
        return space_after;
    }
    let cjk_both = kept[..before_len]
        .chars()
        .next_back()
        .is_some_and(crate::text::is_cjk)
        && next.is_some_and(crate::text::is_cjk);
    if cjk_both {
        kept.truncate(before_len);
        space_after
    } else if space_before > 0 {
        space_after
    } else {
        0
    }
}

/// One pass: a name (for messages and the README) and its function.
pub struct Pass {
    /// What the pass is called.
    pub name: &'static str,
    /// Runs the pass; an error stops the page.
    pub run: fn(&mut PageState, &CleanSettings) -> Result<(), Problem>,
}

/// The passes, in order. Decoding and extraction come before (they make the state);
/// formatting comes after (it turns the state into an article).
pub const PASSES: &[Pass] = &[
    Pass {
        name: "sanitize",
        run: sanitize::run,
    },
    Pass {
        name: "flatten",
        run: flatten::run,
    },
    Pass {
        name: "layout",
        run: layout::run,
    },
    Pass {
        name: "metadata",
        run: metadata::run,
    },
    Pass {
        name: "prose",
        run: prose::run,
    },
    Pass {
        name: "spam",
        run: spam::run,
    },
    Pass {
        name: "pinyin",
        run: pinyin::run,
    },
    Pass {
        name: "emoji",
        run: emoji::run,
    },
    Pass {
        name: "junk",
        run: junk::run,
    },
    Pass {
        name: "foreign",
        run: foreign::run,
    },
    Pass {
        name: "despin",
        run: despin_pass,
    },
    Pass {
        name: "standfirst",
        run: metadata::take_standfirst,
    },
];

/// Runs every pass in order.
pub fn run(state: &mut PageState, settings: &CleanSettings) -> Result<(), Problem> {
    for pass in PASSES {
        (pass.run)(state, settings)?;
        state.drop_empty_blocks();
    }
    Ok(())
}

/// Despin: the page gate decides whether the page was spun; if so the pair tables and
/// the language models restore the body and the metadata (see [`despin`]).
fn despin_pass(state: &mut PageState, settings: &CleanSettings) -> Result<(), Problem> {
    let despin_settings = despin::DespinSettings {
        aggressive: settings.aggressive,
        assume_spun: settings.assume_spun,
        user_pairs: state.user_spin.take(),
        thesaurus: settings.thesaurus.clone(),
    };
    let lang = state.language();
    let despun = despin::despin(&mut state.body, lang, &despin_settings, &mut state.report);
    state.meta.title = despun.restore(&state.meta.title, 0, &mut state.report);
    // Names in the front matter are restored too, but they are not body changes.
    let mut names = Report::default();
    state.meta.publication = state
        .meta
        .publication
        .as_deref()
        .map(|p| despun.restore(p, 0, &mut names));
    state.meta.interviewees = state
        .meta
        .interviewees
        .iter()
        .map(|n| despun.restore(n, 0, &mut names))
        .collect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, ranges: &[(usize, usize)]) -> String {
        let block = Block {
            number: 1,
            kind: super::super::extract::BlockKind::Paragraph,
            text: text.to_string(),
            link_density: 0.0,
            chrome_hint: false,
            boilerplate: false,
        };
        cut_ranges(
            &block,
            ranges,
            ChangeKind::BrandRemoved,
            None,
            &mut Report::default(),
        )
    }

    fn range(text: &str, part: &str) -> (usize, usize) {
        let start = text.find(part).expect("part is in the text");
        (start, start + part.len())
    }

    #[test]
    fn a_cut_takes_the_spaces_a_paste_brought() {
        for (text, paste, left) in [
            ("要 XM外汇平台 慎做领读者", "XM外汇平台", "要慎做领读者"),
            (
                "read the Spinbet login page",
                "Spinbet login",
                "read the page",
            ),
            // No space, or space on one side only: the text closes as it stands.
            ("河边XM外汇平台的房子", "XM外汇平台", "河边的房子"),
            ("Visit Spinbet, then", "Spinbet", "Visit , then"),
            // At either end no space stays.
            ("Spinbet now open", "Spinbet", "now open"),
            ("open now Spinbet", "Spinbet", "open now"),
        ] {
            assert_eq!(cut(text, &[range(text, paste)]), left, "{text}");
        }
        let text = "两个 品牌A 品牌B 之间";
        assert_eq!(
            cut(text, &[range(text, "品牌A"), range(text, "品牌B")]),
            "两个之间"
        );
    }
}
