//! Pass layout: which blocks are the title, bylines, chrome and body. Chrome and brand
//! depend on each other, so the roles with the user's brands give the chrome to learn
//! the site's brand from, and the roles with it are the layout's; the page is laid out
//! once for both (`chrome::Layout`), since brands only turn short lines into chrome.

use super::chrome::{self, Role};
use super::pipeline::PageState;
use super::report::ChangeKind;
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
    state.body = blocks
        .iter()
        .zip(&roles)
        .filter(|(_, r)| **r == Role::Body)
        .map(|(b, _)| b.clone())
        .collect();
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
}
