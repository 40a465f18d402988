//! The page gate: was this page spun at all? Family-independent: it counts both the
//! table's spinner-only forms and the words the language model would change with at
//! least middle confidence, per 1,000 units of text (a CJK character or a Latin word).
//! A spinner touches a large share of a page's words; a clean page has at most a stray
//! rare word or two, so a density threshold separates them.

use super::table::FoundForms;
use super::{MIDDLE_MARGIN, Proposal, shipped};
use crate::clean::Lang;

/// Model changes per 1,000 units at or above which a page counts as spun.
const MODEL_DENSITY: f64 = 8.0;
/// The same for English, per 1,000 words: its model flags a stray rare word in clean
/// prose more often than the Chinese one does. 16 and 24 gave the same figures on the
/// development split of the spun twins (8 let a sample interview through in
/// aggressive mode with a bolder model); 24 keeps a margin.
const EN_MODEL_DENSITY: f64 = 24.0;

/// The English model density at or above which a page the model alone calls spun is
/// clearly spun: between the gate and this, its changes are left to the editor. Clean
/// news pages reach 29.7 (the article-extraction benchmark's 181, `bench/extraction.sh`),
/// where the gate's 24 let two wrong changes through on one of them.
const EN_SURE_DENSITY: f64 = 36.0;

/// The model density at or above which a page in `lang` counts as spun.
fn model_density_needed(lang: Lang) -> f64 {
    match lang {
        Lang::Zh => MODEL_DENSITY,
        Lang::En => EN_MODEL_DENSITY,
    }
}

/// The fewest model changes, and distinct changed words, that can make a page spun.
const MODEL_MINIMUM: usize = 4;

/// The gate's verdict on one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Spinner evidence (table forms plus model changes) per 1,000 units.
    pub score: f64,
    /// Whether the page counts as spun.
    pub spun: bool,
    /// Whether it is spun beyond doubt: by the table, or by a model density well above
    /// the gate's. Otherwise even high-confidence changes are only suspects.
    pub sure: bool,
}

/// Units of text: CJK characters plus Latin words.
pub fn units(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        // ASCII first: no CJK character is, and its letters and digits need no table.
        let alphanumeric = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else if crate::text::is_cjk(c) {
            count += 1;
            in_word = false;
            continue;
        } else {
            c.is_alphanumeric()
        };
        if alphanumeric {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count.max(1)
}

/// What the pair table alone says of a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableVerdict {
    /// How many of the table's marker forms the page holds.
    pub markers: usize,
    /// Whether they alone make the page spun: two distinct forms, or one that vouches
    /// for [`VOUCHED_FORMS`] of its family's everyday swaps on the page, and at least
    /// one form per 2,000 characters. Two different words no writer uses are evidence
    /// enough on a snippet; a page over 4,000 characters needs more of them, so two
    /// stray forms in a long interview (a classical quotation's 曩昔) do not open it.
    pub spun: bool,
}

/// How many distinct everyday swaps of its family a single marker form must vouch for
/// on the page to make it spun (工做 beside 若是, 没法, 因此 and 仍是): a writer's one
/// typo seldom comes with four of a spinner's word choices.
const VOUCHED_FORMS: usize = 4;

/// The pair table's verdict on a page, given the shipped table's forms `found` on it.
pub fn judge_by_table(found: &FoundForms) -> TableVerdict {
    let table = shipped();
    let page = found.text();
    let (markers, distinct_markers) = table.markers(found);
    let chars = page.chars().count().max(1);
    let enough_kinds = distinct_markers >= 2
        || distinct_markers == 1
            && table.vouched_forms(found, &table.page_evidence(page)) >= VOUCHED_FORMS;
    TableVerdict {
        markers,
        spun: enough_kinds && markers * 2000 >= chars,
    }
}

/// The verdict on a page of `units` ([`units`]) in `lang`, given the table's and the
/// model's proposals for its blocks: spun when the table says so, or when the model's
/// confident changes are dense enough.
pub fn verdict(
    table: TableVerdict,
    blocks: &[&str],
    proposals: &[Vec<Proposal>],
    units: usize,
    lang: Lang,
) -> Verdict {
    let confident: Vec<&str> = blocks
        .iter()
        .zip(proposals)
        .flat_map(|(block, found)| {
            found
                .iter()
                .filter(|p| p.spun_margin >= MIDDLE_MARGIN)
                .map(|p| &block[p.start..p.end])
        })
        .collect();
    let mut distinct = confident.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let units = units as f64;
    let model_density = confident.len() as f64 * 1000.0 / units;
    let model_spun = confident.len() >= MODEL_MINIMUM
        && distinct.len() >= 2
        && model_density >= model_density_needed(lang);
    let sure_density = match lang {
        Lang::Zh => MODEL_DENSITY,
        Lang::En => EN_SURE_DENSITY,
    };
    Verdict {
        score: (table.markers + confident.len()) as f64 * 1000.0 / units,
        spun: table.spun || model_spun,
        sure: table.spun || model_spun && model_density >= sure_density,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::despin::{DespinSettings, propose_page};

    #[test]
    fn units_count_cjk_characters_and_latin_words() {
        assert_eq!(units("大模型 and large models, 2024"), 3 + 3 + 1);
    }

    /// The whole gate on a page of one block.
    fn judge(text: &str) -> Verdict {
        let blocks = [text];
        let proposals = propose_page(&blocks, Lang::Zh, &DespinSettings::default());
        verdict(
            judge_by_table(&shipped().find(text)),
            &blocks,
            &proposals,
            units(text),
            Lang::Zh,
        )
    }

    /// An English page of `words` distinct words, `flagged` of them proposed with the
    /// given spun margin, and the gate's verdict on it.
    fn english_page(words: usize, flagged: usize) -> Verdict {
        let text: String = (0..words).map(|i| format!("w{i:04} ")).collect();
        let proposals: Vec<Proposal> = (0..flagged)
            .map(|i| Proposal {
                start: i * 6,
                end: i * 6 + 5,
                original: "word".to_string(),
                margin: 8.0,
                sure_margin: crate::clean::despin::HIGH_MARGIN,
                spun_margin: 8.0,
                source: crate::clean::despin::Source::EnglishThesaurus,
                reason: String::new(),
            })
            .collect();
        let table = TableVerdict {
            markers: 0,
            spun: false,
        };
        verdict(table, &[&text], &[proposals], units(&text), Lang::En)
    }

    #[test]
    fn an_english_page_just_over_the_gate_is_spun_but_not_surely() {
        // 10 per 1,000 words: clean; 30: over the gate, as clean news pages can be; 40:
        // well over it.
        let clean = english_page(1000, 10);
        assert!(!clean.spun && !clean.sure, "{clean:?}");
        let borderline = english_page(1000, 30);
        assert!(borderline.spun && !borderline.sure, "{borderline:?}");
        let clear = english_page(1000, 40);
        assert!(clear.spun && clear.sure, "{clear:?}");
    }

    #[test]
    fn two_distinct_table_forms_open_a_short_page_but_not_a_long_one() {
        // A snippet from the spam-blog rewriter: two different non-phrases.
        let snippet = "It is a department of synthetic intelligence and Pc science.";
        assert!(judge_by_table(&shipped().find(snippet)).spun);
        // One form twice is not two kinds of evidence.
        assert!(!judge_by_table(&shipped().find("Pc science, and more Pc science.")).spun);
        // The same two forms in 5,000 characters of ordinary prose: fewer than one per
        // 2,000 characters.
        let long = format!(
            "{snippet} {}",
            "An ordinary sentence of prose. ".repeat(160)
        );
        assert!(long.chars().count() > 4_000);
        assert!(!judge_by_table(&shipped().find(&long)).spun);
    }

    #[test]
    fn one_marker_opens_the_gate_when_it_vouches_for_four_of_its_familys_swaps() {
        let spun = "若是负载太高，工做就没法按时完成，因此仍是先重启吧。";
        assert!(judge_by_table(&shipped().find(spun)).spun);
        // The marker alone beside a writer's ordinary words: a typo, not a spinner.
        let typo = "如果负载太高，工做就无法按时完成，所以还是先重启吧。";
        assert!(!judge_by_table(&shipped().find(typo)).spun);
    }

    #[test]
    fn table_forms_alone_open_the_gate() {
        let spun = "咱们正正在物色人为智能的改日，大模子和神经搜集都很紧急。";
        assert!(judge_by_table(&shipped().find(spun)).spun);
        assert!(judge(spun).spun);
        let clean = "我们正在研究人工智能的未来，这个题目很有意思。";
        assert!(!judge(clean).spun);
    }
}
