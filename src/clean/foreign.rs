//! Pass foreign: a paragraph in another language injected into the article. The
//! language of each prose paragraph is identified with `whatlang` (trigram models for
//! 69 languages, a few hundred kilobytes in the binary); a reliable mismatch with the
//! article's language plus spam evidence (a lexicon word, a bait domain) drops the
//! paragraph; a mismatch alone (a quotation, an abstract) is only suspect.

use whatlang::Lang as Language;

use super::lexicon::Lexicon;
use super::pipeline::PageState;
use super::report::ChangeKind;
use super::{CleanSettings, Lang, Problem, prose, spam};

/// The fewest letters for an identification worth acting on.
const MIN_LETTERS: usize = 40;

/// The language `whatlang` names, when it is sure and the paragraph is long enough.
pub fn identify(text: &str) -> Option<Language> {
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(text)?;
    info.is_reliable().then_some(info.lang())
}

/// A cheap test before the identifier runs (it costs more than every other pass on
/// a paragraph): in a Chinese article, a paragraph that is not mostly CJK; in an
/// English one, a paragraph with few of the commonest English words.
fn may_be_foreign(text: &str, lang: Lang) -> bool {
    match lang {
        Lang::Zh => {
            let chars = text.chars().count();
            let mut cjk = 0;
            for c in text.chars() {
                cjk += usize::from(crate::text::is_cjk(c));
                // Half CJK already: whatever the rest holds, the paragraph is not foreign.
                if cjk * 2 >= chars {
                    return false;
                }
            }
            // Letters are at most all the characters: a mostly CJK paragraph needs no
            // look-up in the (slow, for CJK) table of letters.
            cjk * 2 < text.chars().filter(|c| c.is_alphabetic()).count()
        }
        Lang::En => {
            const COMMON: &[&str] = &[
                "the", "and", "of", "to", "a", "in", "is", "it", "that", "for", "was", "on",
                "with", "we", "i", "you", "he", "she", "they", "at", "be", "this", "are",
            ];
            // ASCII-only comparison: the common words are ASCII.
            let is_common = |word: &str| COMMON.iter().any(|c| word.eq_ignore_ascii_case(c));
            let (mut words, mut common) = (0, 0);
            // The words are the runs of letters.
            let mut start = None;
            for (i, c) in text.char_indices() {
                if c.is_alphabetic() {
                    start.get_or_insert(i);
                    continue;
                }
                if let Some(from) = start.take() {
                    words += 1;
                    common += usize::from(is_common(&text[from..i]));
                    // Each word left needs a letter and a break before it, so the rest
                    // (from this break on) holds at most half its bytes: once even that
                    // many uncommon words could not tip the share, it is not read.
                    if common * 12 >= words + (text.len() - i).div_ceil(2) {
                        return false;
                    }
                }
            }
            if let Some(from) = start {
                words += 1;
                common += usize::from(is_common(&text[from..]));
            }
            common * 12 < words
        }
    }
}

fn matches_article(found: Language, lang: Lang) -> bool {
    match lang {
        Lang::Zh => found == Language::Cmn,
        Lang::En => found == Language::Eng,
    }
}

/// Drops foreign paragraphs that carry spam; lists the others as suspect.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    let lang = state.language();
    let lexicon = Lexicon::global();
    let mut kept = Vec::with_capacity(state.body.len());
    for block in std::mem::take(&mut state.body) {
        // The script test first: it is the cheaper one, and most blocks fail it.
        let foreign = (may_be_foreign(&block.text, lang) && prose::is_prose(&block))
            .then(|| identify(&block.text))
            .flatten()
            .filter(|found| !matches_article(*found, lang));
        let Some(found) = foreign else {
            kept.push(block);
            continue;
        };
        let spam_words = lexicon.hits(&block.text).len() + lexicon.bait_brands(&block.text).len();
        let domains = spam::bait_domains(&block.text, "").len();
        if spam_words + domains > 0 {
            state.report.push_noted(
                ChangeKind::ForeignParagraphRemoved,
                block.number,
                &block.text,
                format!(
                    "written in {} in a {} article, with {} spam word(s) and {} bait domain(s)",
                    found.eng_name(),
                    lang.code(),
                    spam_words,
                    domains
                ),
            );
        } else {
            state.report.suspect(
                ChangeKind::ForeignParagraphRemoved,
                block.number,
                &block.text,
                format!(
                    "written in {}, but with no spam in it (a quotation?)",
                    found.eng_name()
                ),
            );
            kept.push(block);
        }
    }
    state.body = kept;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(lang: Lang, texts: &[&str]) -> PageState {
        PageState::with_body(Some(lang), texts)
    }

    #[test]
    fn a_foreign_paragraph_with_spam_goes_and_one_without_stays() {
        let mut page = state(
            Lang::En,
            &[
                "The river project took ten years, and the engineers said the hardest part was persuading the farmers upstream.",
                "Situs judi online terpercaya dengan slot gacor dan bonus besar setiap hari untuk semua pemain baru di Indonesia.",
                "Der Fluss war früher sauber, sagte sie, aber die Fabriken haben das Wasser über viele Jahre verschmutzt.",
            ],
        );
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body.len(), 2);
        assert!(page.body[1].text.starts_with("Der Fluss"));
        assert_eq!(page.report.count(ChangeKind::ForeignParagraphRemoved), 1);
        assert_eq!(page.report.suspects.len(), 1);
    }

    #[test]
    fn the_identifier_runs_only_on_paragraphs_that_may_be_foreign() {
        assert!(!may_be_foreign(
            "The river project took ten years, and the engineers said it was hard.",
            Lang::En
        ));
        assert!(may_be_foreign(
            "Situs judi online terpercaya dengan slot gacor dan bonus besar setiap hari.",
            Lang::En
        ));
        assert!(!may_be_foreign(
            "这个项目做了十年，工程师们说最难的是说服农民。",
            Lang::Zh
        ));
        assert!(may_be_foreign(
            "Play the best online casino games today.",
            Lang::Zh
        ));
    }

    #[test]
    fn english_spam_in_a_chinese_article_goes() {
        let mut page = state(
            Lang::Zh,
            &[
                "这个项目做了十年，工程师们说最难的是说服上游的农民，他们担心灌溉用水会减少。",
                "Play the best online casino games with free spins and a welcome bonus today at our trusted site.",
            ],
        );
        run(&mut page, &CleanSettings::default()).expect("runs");
        assert_eq!(page.body.len(), 1);
    }
}
