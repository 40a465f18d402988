//! The cleaner on its corpus (tests/fixtures/clean/corpus, ≥ 40 polluted pages and
//! ≥ 12 clean negatives in simplified and traditional Chinese and English, HTML and
//! text), against the thresholds of issue 8: every must-stay string of the clean
//! negatives stays and their body text is not changed; ≥ 97 % of must-stay strings
//! stay on polluted pages; ≥ 90 % of must-be-gone strings are gone.
//! `bash bench/clean-eval` prints the same scores per kind.

#[path = "common/corpus.rs"]
mod corpus;

use std::path::Path;

fn scored() -> Vec<corpus::PageScore> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean/corpus");
    corpus::score_corpus(&dir)
}

fn misses(pages: &[corpus::PageScore]) -> String {
    pages
        .iter()
        .filter(|p| !p.misses.is_empty())
        .map(|p| format!("{}: {}", p.name, p.misses.join("; ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_corpus_is_large_and_covers_every_script_and_format() {
    let pages = scored();
    let clean = pages
        .iter()
        .filter(|p| p.kinds.iter().any(|k| k == "clean"));
    assert!(clean.count() >= 12);
    assert!(pages.len() >= 52, "{} pages", pages.len());
    for ending in [".txt", ".html"] {
        assert!(pages.iter().any(|p| p.name.ends_with(ending)));
    }
    for kind in [
        "traditional",
        "english",
        "junk-tokens",
        "pinyin",
        "emoji",
        "flattened",
    ] {
        assert!(
            pages.iter().any(|p| p.kinds.iter().any(|k| k == kind)),
            "{kind}"
        );
    }
}

#[test]
fn clean_negatives_keep_every_sentence_and_are_not_changed() {
    let pages = scored();
    let clean: Vec<_> = pages
        .into_iter()
        .filter(|p| p.kinds.iter().any(|k| k == "clean"))
        .collect();
    let stay: usize = clean
        .iter()
        .map(|p| p.scores.stay.total - p.scores.stay.hit)
        .sum();
    assert_eq!(stay, 0, "lost on clean pages:\n{}", misses(&clean));
    for page in &clean {
        assert_eq!(page.body_changes, 0, "{} changed its body", page.name);
    }
}

#[test]
fn polluted_pages_lose_their_pollution_and_keep_their_text() {
    let pages = scored();
    let polluted: Vec<_> = pages
        .into_iter()
        .filter(|p| !p.kinds.iter().any(|k| k == "clean"))
        .collect();
    let kinds = corpus::by_kind(&polluted);
    let all = &kinds["all polluted"];
    let report = format!("{}\n{}", corpus::table(&polluted), misses(&polluted));
    assert!(
        all.stay.percent() >= 97.0,
        "must-stay {:.1}%\n{report}",
        all.stay.percent()
    );
    assert!(
        all.gone.percent() >= 90.0,
        "must-be-gone {:.1}%\n{report}",
        all.gone.percent()
    );
}
