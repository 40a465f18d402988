//! The review page of `verbatim clean --review` in a real browser: a spun Chinese page
//! and an English page are cleaned, and the page is driven by keyboard and filters.
//!
//! Without Chromium this test fails; set `VERBATIM_SKIP_BROWSER=1` to skip it knowingly.

mod common;

use std::path::Path;

use common::browser::{self, evaluate, wait_until};
use verbatim::clean::{CleanOptions, LangChoice};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clean")
        .join(name)
}

#[test]
fn the_review_page_shows_changes_in_place_and_is_keyboard_navigable() {
    let site = tempfile::tempdir().expect("temporary folder");
    let review = site.path().join("review.html");
    let outcome = verbatim::clean::run(&CleanOptions {
        inputs: vec![fixture("zh-spun.txt"), fixture("en-polluted.html")],
        root: site.path().to_path_buf(),
        lang: LangChoice::Auto,
        review: Some(review.clone()),
        ..CleanOptions::default()
    })
    .expect("clean runs");
    assert_eq!(outcome.failed(), 0);
    assert_eq!(outcome.review_written.as_deref(), Some(review.as_path()));
    let html = std::fs::read_to_string(&review).expect("review page written");
    assert!(
        !html.contains("<link") && !html.contains("src=\"http"),
        "self-contained"
    );

    let Some(browser) = browser::start() else {
        return;
    };
    let tab = browser.browser.new_tab().expect("a tab");
    tab.navigate_to(&format!("file://{}", review.display()))
        .expect("navigate");
    wait_until(
        &tab,
        "the page",
        "document.querySelectorAll('article').length === 2",
    );

    // The Chinese article is marked Chinese, and restorations show before → after.
    assert_eq!(
        evaluate(&tab, "document.querySelector('article').lang"),
        "zh-Hans"
    );
    let restored = evaluate(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.chg[data-kind=spun_word_restored]'))\
         .map(e => (e.querySelector('del')?.textContent ?? '') + '→' + (e.querySelector('ins')?.textContent ?? '')))",
    );
    let restored: Vec<String> =
        serde_json::from_str(restored.as_str().expect("a JSON string")).expect("strings");
    for whole in [
        "磨练→训练",
        "墟市→市场",
        "man-made consciousness→artificial intelligence",
    ] {
        assert!(
            restored.contains(&whole.to_string()),
            "{whole}: {restored:?}"
        );
    }
    assert!(
        evaluate(
            &tab,
            "document.querySelectorAll('.chg[data-kind=brand_removed] del').length"
        )
        .as_u64()
        .is_some_and(|n| n >= 1)
    );

    // j moves focus to the first change and shows its reason; k comes back.
    tab.press_key("j").expect("key j");
    wait_until(
        &tab,
        "focus on a change",
        "document.activeElement.classList.contains('chg')",
    );
    assert_eq!(
        evaluate(
            &tab,
            "getComputedStyle(document.activeElement.querySelector('.why')).display"
        ),
        "block"
    );
    tab.press_key("j").expect("key j");
    wait_until(
        &tab,
        "the counter",
        "document.getElementById('position').textContent.startsWith('2 / ')",
    );
    tab.press_key("k").expect("key k");
    wait_until(
        &tab,
        "the counter",
        "document.getElementById('position').textContent.startsWith('1 / ')",
    );

    // Unticking a kind switches its marks off, and j skips them.
    let total = evaluate(&tab, "document.querySelectorAll('.chg:not(.off)').length")
        .as_u64()
        .expect("a count");
    tab.evaluate(
        "document.querySelector('#kinds input[value=spun_word_restored]').click()",
        false,
    )
    .expect("click");
    wait_until(
        &tab,
        "restorations filtered out",
        "Array.from(document.querySelectorAll('.chg[data-kind=spun_word_restored]')).every(e => e.classList.contains('off'))",
    );
    let shown = evaluate(&tab, "document.querySelectorAll('.chg:not(.off)').length")
        .as_u64()
        .expect("a count");
    assert!(shown < total, "{shown} of {total}");
    for _ in 0..5 {
        tab.press_key("j").expect("key j");
        assert_ne!(
            evaluate(&tab, "document.activeElement.getAttribute('data-kind')"),
            "spun_word_restored"
        );
    }
}
