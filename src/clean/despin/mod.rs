//! Pass 6, despin: restore the words a synonym spinner swapped, whatever spinner ran.
//!
//! Three sources propose changes: the project's pair tables ([`table`], sure pairs
//! seen on real spun pages), and a language model per language that finds words a
//! writer would hardly have chosen where a common synonym fits ([`english`] over a
//! thesaurus and word-pair counts; [`chinese`] over the word-frequency dictionary,
//! its one-character siblings and a thesaurus the user supplies); a page that writes
//! 的 as 得 or 地 throughout is found by its counts and restored by [`particles`]. The
//! page gate ([`gate`]) decides from these whether the page was spun at all; on a clean page
//! nothing changes. On a spun page each proposal has a [`Confidence`]: high is
//! applied, middle is applied only when asked (`--aggressive`) and otherwise listed
//! as a suspect, low is left alone.

pub mod chinese;
pub mod english;
pub mod gate;
pub mod pairs;
pub mod particles;
mod segment;
pub mod table;
pub mod thesaurus;

use std::ops::Range;
use std::sync::Arc;

pub use table::{SpinTable, TableError, shipped};
pub use thesaurus::{Thesaurus, ThesaurusError};

use super::Lang;
use super::extract::Block;
use super::report::{ChangeKind, Confidence, Report, Weighed};
use table::FoundForms;

/// A model's margin at or above which a change is sure.
pub const HIGH_MARGIN: f64 = 6.0;
/// The margin at or above which a change is sure when the margin is the log odds of
/// the change against every other reading: ln 19, the odds of the 95 % precision
/// asked of a sure change. Only the Chinese model's weighing of a rare word of the
/// user's thesaurus gives such odds (`chinese::weigh_synonyms`); the other margins
/// are leads over a runner-up, and the English model's between [`MIDDLE_MARGIN`] and
/// [`HIGH_MARGIN`] were right in 62 of 89 on the spun twins.
pub const ODDS_HIGH_MARGIN: f64 = 2.944_438_979_166_440_5;
/// A model's margin at or above which a change is worth an editor's look.
pub const MIDDLE_MARGIN: f64 = 2.0;

/// What the despin pass is given besides the text.
#[derive(Debug, Clone, Default)]
pub struct DespinSettings {
    /// Apply middle-confidence changes too.
    pub aggressive: bool,
    /// The editor says the page is spun: restore it whatever the gate's verdict.
    pub assume_spun: bool,
    /// The user's extra pairs (site.yml `clean.spin_pairs`).
    pub user_pairs: Option<SpinTable>,
    /// The user's thesaurus (site.yml `clean.thesaurus`).
    pub thesaurus: Option<Arc<Thesaurus>>,
}

/// Where a proposed change comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The English thesaurus, weighed by word pairs.
    EnglishThesaurus,
    /// A more frequent dictionary word that differs in one character.
    DictionarySibling,
    /// The user's thesaurus, weighed by word frequencies.
    UserThesaurus,
    /// 的 where the page writes 得 or 地 for it throughout ([`particles`]).
    SwappedParticle,
}

/// A change a model proposes: a byte range of the text and what goes there.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Start of the spun word (bytes).
    pub start: usize,
    /// End of the spun word (bytes).
    pub end: usize,
    /// The word the writer most likely wrote.
    pub original: String,
    /// How much better the text scores with the change than without (nats).
    pub margin: f64,
    /// The margin at or above which the change is sure: [`HIGH_MARGIN`], or
    /// [`ODDS_HIGH_MARGIN`] when `margin` is calibrated log odds.
    pub sure_margin: f64,
    /// How much more likely the word is spun at all, whatever its original, than
    /// written (nats): what the page gate counts. The margin itself when the model
    /// does not tell the two apart; 0 for a word that is no sign of a spinner however
    /// likely its change (an ordinary word of the user's thesaurus).
    pub spun_margin: f64,
    /// Which source proposed it.
    pub source: Source,
    /// Why, in one line for the editor.
    pub reason: String,
}

impl Proposal {
    /// The confidence its margin earns.
    pub fn confidence(&self) -> Confidence {
        if self.margin >= self.sure_margin {
            Confidence::High
        } else if self.margin >= MIDDLE_MARGIN {
            Confidence::Middle
        } else {
            Confidence::Low
        }
    }
}

/// The model proposals for one text in the page's language.
fn propose(text: &str, lang: Lang, settings: &DespinSettings) -> Vec<Proposal> {
    match lang {
        Lang::En => english::EnglishModel::global().propose(text),
        Lang::Zh => chinese::propose(text, settings.thesaurus.as_deref()),
    }
}

/// The model proposals for each block of a page, which the Chinese model weighs
/// together (a thesaurus word's uses on the page share one original).
fn propose_page(blocks: &[&str], lang: Lang, settings: &DespinSettings) -> Vec<Vec<Proposal>> {
    match lang {
        Lang::En => blocks
            .iter()
            .map(|block| english::EnglishModel::global().propose(block))
            .collect(),
        Lang::Zh => chinese::propose_page(blocks, settings.thesaurus.as_deref()),
    }
}

/// The despin decision for a page, reused for its title and metadata.
#[derive(Debug)]
pub struct Despin<'a> {
    lang: Lang,
    settings: &'a DespinSettings,
    evidence: table::PageEvidence,
    user_evidence: Option<table::PageEvidence>,
    /// Whether the page counts as spun.
    pub spun: bool,
    /// Whether high-confidence changes apply without `--aggressive` (the gate is sure).
    sure: bool,
    /// The character the page writes for 的 throughout, if any ([`particles`]).
    stand_in: Option<char>,
}

impl<'a> Despin<'a> {
    /// Restores `text` (table pairs, then the model's proposals by confidence) when
    /// the page is spun, recording each change under `block`.
    pub fn restore(&self, text: &str, block: usize, report: &mut Report) -> String {
        self.restore_with(text, None, None, block, report)
    }

    /// `text` restored by the pair tables, the project's, then the user's, and the
    /// byte ranges of the originals they put in. `on_page` is the shipped table's
    /// forms found on the page and where `text` stands on it, when it is a block of it.
    fn restore_tables(
        &self,
        text: &str,
        on_page: Option<(&FoundForms, usize)>,
        block: usize,
        report: &mut Report,
    ) -> (String, Vec<Range<usize>>) {
        let shipped = match on_page {
            Some((found, offset)) => {
                shipped().restore_found(text, found, offset, &self.evidence, block, report)
            }
            None => shipped().restore(text, &self.evidence, block, report),
        };
        let originals = |restored: &table::Restored| -> Vec<Range<usize>> {
            restored.edits.iter().map(|e| e.original.clone()).collect()
        };
        match (&self.settings.user_pairs, &self.user_evidence) {
            (Some(user), Some(evidence)) => {
                let user = user.restore(&shipped.text, evidence, block, report);
                let mut spans: Vec<Range<usize>> = shipped
                    .edits
                    .iter()
                    .map(|e| user.map(&e.original))
                    .collect();
                spans.extend(originals(&user));
                (user.text, spans)
            }
            _ => {
                let spans = originals(&shipped);
                (shipped.text, spans)
            }
        }
    }

    /// [`Despin::restore`], reusing the model's proposals for `text` when the gate
    /// made them and the table changed nothing, and the table's forms found on the
    /// page when `text` is a block of it ([`Despin::restore_tables`]).
    fn restore_with(
        &self,
        text: &str,
        known: Option<&[Proposal]>,
        on_page: Option<(&FoundForms, usize)>,
        block: usize,
        report: &mut Report,
    ) -> String {
        if !self.spun {
            return text.to_string();
        }
        let (restored, tabled) = self.restore_tables(text, on_page, block, report);
        let proposals = match known {
            Some(known) if restored == text => std::borrow::Cow::Borrowed(known),
            _ => std::borrow::Cow::Owned(outside(
                with_particles(
                    propose(&restored, self.lang, self.settings),
                    &restored,
                    self.stand_in,
                ),
                &tabled,
            )),
        };
        apply(&restored, &proposals, self.applies(), block, report)
    }

    /// Which of the model's proposals are applied on this page.
    fn applies(&self) -> Applies {
        Applies {
            aggressive: self.settings.aggressive,
            sure: self.sure,
        }
    }
}

/// Runs the pass over the body blocks: decides whether the page is spun and restores
/// it. Returns the decision, to restore the title and metadata the same way.
pub fn despin<'a>(
    body: &mut [Block],
    lang: Lang,
    settings: &'a DespinSettings,
    report: &mut Report,
) -> Despin<'a> {
    let texts: Vec<&str> = body.iter().map(|b| b.text.as_str()).collect();
    let page_text = texts.join("\n");
    // Where each block starts in the page text.
    let offsets: Vec<usize> = texts
        .iter()
        .scan(0, |at, text| {
            let start = *at;
            *at += text.len() + 1;
            Some(start)
        })
        .collect();
    let units = gate::units(&page_text);
    let forms = shipped().find(&page_text);
    let table = gate::judge_by_table(&forms);
    let stand_in = match lang {
        Lang::Zh => particles::swapped_particle(&page_text, units),
        Lang::En => None,
    };
    // A page that writes 的 as 得 throughout is as surely spun as one with the table's
    // forms.
    let spun = table.spun || stand_in.is_some() || settings.assume_spun;
    // The tables' `doc:` evidence is looked for only on a page that counts as spun:
    // nothing else reads it.
    let evidence = || {
        // A page its particles show spun gets the table's markers only: its one marker
        // (蕞) does not vouch for another family's everyday swaps (很紧张 → 很重要).
        let shipped_evidence = shipped().page_evidence(&page_text);
        let shipped_evidence = if table.markers > 0 && (table.spun || stand_in.is_none()) {
            shipped_evidence
        } else {
            shipped_evidence.without_markers()
        };
        let user_evidence = settings
            .user_pairs
            .as_ref()
            .map(|u| u.page_evidence(&page_text));
        (shipped_evidence, user_evidence)
    };
    let mut despin = Despin {
        lang,
        settings,
        evidence: table::PageEvidence::default(),
        user_evidence: None,
        spun,
        sure: spun,
        stand_in,
    };
    if despin.spun {
        (despin.evidence, despin.user_evidence) = evidence();
        // Spun whatever the model says: the tables restore each block first, and the
        // model weighs what they left, once, on the text its changes apply to (weighing
        // the spun text first was done again for every block the tables changed).
        let mut tabled = Vec::with_capacity(body.len());
        let mut table_spans = Vec::with_capacity(body.len());
        let mut table_changes = Vec::with_capacity(body.len());
        for (block, &offset) in body.iter().zip(&offsets) {
            let mut changes = Report::default();
            let (text, spans) = despin.restore_tables(
                &block.text,
                Some((&forms, offset)),
                block.number,
                &mut changes,
            );
            tabled.push(text);
            table_spans.push(spans);
            table_changes.push(changes.changes);
        }
        let tabled_texts: Vec<&str> = tabled.iter().map(String::as_str).collect();
        let proposals: Vec<Vec<Proposal>> = propose_page(&tabled_texts, lang, settings)
            .into_iter()
            .zip(&tabled_texts)
            .zip(&table_spans)
            .map(|((found, text), spans)| outside(with_particles(found, text, stand_in), spans))
            .collect();
        let verdict = gate::verdict(table, &tabled_texts, &proposals, units, lang);
        report.spin_score = (verdict.score * 100.0).round() / 100.0;
        report.despun = true;
        for ((block, text), (changes, found)) in body
            .iter_mut()
            .zip(&tabled)
            .zip(table_changes.into_iter().zip(&proposals))
        {
            report.changes.extend(changes);
            block.text = apply(text, found, despin.applies(), block.number, report);
        }
        return despin;
    }
    // A paragraph break ends a clause and a sentence; the Chinese model still weighs
    // a thesaurus word's uses on the whole page together.
    let proposals = propose_page(&texts, lang, settings);
    let verdict = gate::verdict(table, &texts, &proposals, units, lang);
    report.spin_score = (verdict.score * 100.0).round() / 100.0;
    report.despun = verdict.spun;
    despin.spun = verdict.spun;
    despin.sure = verdict.sure;
    if despin.spun {
        (despin.evidence, despin.user_evidence) = evidence();
        for ((block, known), &offset) in body.iter_mut().zip(&proposals).zip(&offsets) {
            block.text = despin.restore_with(
                &block.text,
                Some(known),
                Some((&forms, offset)),
                block.number,
                report,
            );
        }
    }
    despin
}

/// The model's `proposals` for `text` and, where the page writes `stand_in` for 的,
/// the particle's restorations that no proposal overlaps, in order.
fn with_particles(
    mut proposals: Vec<Proposal>,
    text: &str,
    stand_in: Option<char>,
) -> Vec<Proposal> {
    let Some(stand_in) = stand_in else {
        return proposals;
    };
    let particles: Vec<Proposal> = particles::propose(text, stand_in)
        .into_iter()
        .filter(|p| !proposals.iter().any(|q| p.start < q.end && q.start < p.end))
        .collect();
    if !particles.is_empty() {
        proposals.extend(particles);
        proposals.sort_by_key(|p| p.start);
    }
    proposals
}

/// `proposals` without those that touch `tabled`, the originals the pair tables
/// restored: the tables' pairs are surer than the models, which must not weigh their
/// output as the page's own words (a thesaurus grouping the restored 总的来说 with the
/// far commoner 看来 would undo the restoration).
fn outside(proposals: Vec<Proposal>, tabled: &[Range<usize>]) -> Vec<Proposal> {
    if tabled.is_empty() {
        return proposals;
    }
    proposals
        .into_iter()
        .filter(|p| !tabled.iter().any(|t| p.start < t.end && t.start < p.end))
        .collect()
}

/// Despins one text on its own, as a page of one block: for tools and evaluation.
pub fn despin_text(text: &str, lang: Lang, settings: &DespinSettings) -> (String, Report) {
    let mut report = Report::default();
    let mut blocks = [Block {
        number: 1,
        kind: super::extract::BlockKind::Paragraph,
        text: text.to_string(),
        link_density: 0.0,
        chrome_hint: false,
        boilerplate: false,
    }];
    despin(&mut blocks, lang, settings, &mut report);
    let [block] = blocks;
    (block.text, report)
}

/// Which proposals [`apply`] applies.
#[derive(Clone, Copy)]
struct Applies {
    /// Middle-confidence ones too (`--aggressive`).
    aggressive: bool,
    /// High-confidence ones: the page is spun beyond doubt ([`gate::Verdict::sure`]).
    sure: bool,
}

/// Applies high-confidence proposals when the page is surely spun (and middle ones when
/// `aggressive`), records the others as suspects, and leaves low ones alone, save a
/// word that is surely spun though its original is unclear (several candidates fit):
/// the editor is shown it, as a suspect that no mode applies.
fn apply(
    text: &str,
    proposals: &[Proposal],
    applies: Applies,
    block: usize,
    report: &mut Report,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for proposal in proposals {
        let confidence = proposal.confidence();
        let unresolved = confidence == Confidence::Low && proposal.spun_margin >= HIGH_MARGIN;
        if confidence == Confidence::Low && !unresolved || proposal.start < last {
            continue;
        }
        let applied =
            !unresolved && (confidence == Confidence::High && applies.sure || applies.aggressive);
        let mut reason = proposal.reason.clone();
        if unresolved {
            reason.push_str(&format!(
                "; left to you: the word is hardly the writer's (the text reads {:.1} more \
                 likely with one of its candidates), but which one is unclear",
                proposal.spun_margin
            ));
        } else if confidence == Confidence::High && !applied {
            reason.push_str(
                "; left to you: the page is only just over the spin gate, as clean pages can be",
            );
        }
        let weighed = Weighed {
            from: text[proposal.start..proposal.end].to_string(),
            to: proposal.original.clone(),
            reason,
            confidence,
        };
        if applied {
            out.push_str(&text[last..proposal.start]);
            out.push_str(&proposal.original);
            last = proposal.end;
        }
        report.weighed(ChangeKind::SpunWordRestored, block, weighed, applied);
    }
    out.push_str(&text[last..]);
    out
}

/// Keeps a capital first letter of the spun form on the original.
pub(crate) fn match_case(found: &str, original: &str) -> String {
    if found.starts_with(|c: char| c.is_uppercase()) {
        let mut chars = original.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        original.to_string()
    }
}

/// Decompresses an embedded gzip data file (the models' word lists and pair tables).
fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    // The files are embedded at compile time and tested; a failure here is a build bug.
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap_or_default();
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encyclopedia_family_opens_the_gate_and_its_everyday_words_do_not() {
        // Written for this test in the manner of bench/real-pairs.md's pair 13: its
        // archaic 曩昔 and its register clash 研讨怎么 are the evidence.
        let spun = "教授以为，曩昔只要人才干做的作业，如今计算机也能做。团队研讨怎么让体系取得常识，又研讨怎么表明常识。";
        let (restored, report) = despin_text(spun, Lang::Zh, &DespinSettings::default());
        assert!(report.despun);
        assert_eq!(
            restored,
            "教授认为，过去只要人才能做的作业，如今计算机也能做。团队研究如何让体系取得知识，又研究如何表示知识。"
        );
        // The same everyday words, the writer's own: the page is not spun.
        let clean =
            "研讨会上，她说常识库还不完善，专家体系必定会过时，她将担任主编，完结这部作品的作业。";
        let (kept, report) = despin_text(clean, Lang::Zh, &DespinSettings::default());
        assert!(!report.despun);
        assert_eq!(kept, clean);
    }

    #[test]
    fn the_third_familys_non_phrases_open_the_gate_and_its_words_do_not() {
        // Written for this test in the manner of bench/real-pages.md's r8.
        let spun =
            "平台的数据表露，一段时辰以来，开辟者莫得闭塞到这个变化，体验照旧不够好，各人都在等。";
        let (restored, report) = despin_text(spun, Lang::Zh, &DespinSettings::default());
        assert!(report.despun);
        assert_eq!(
            restored,
            "平台的数据显示，一段时间以来，开发者没有注意到这个变化，体验还是不够好，大家都在等。"
        );
        // The same words as the writer's own: no page of theirs is spun.
        let clean = "一切照旧，他说各人有各人的难处，莫得办法，这条路很平直。";
        let (kept, report) = despin_text(clean, Lang::Zh, &DespinSettings::default());
        assert!(!report.despun);
        assert_eq!(kept, clean);
    }

    #[test]
    fn a_page_spun_by_its_particles_gets_no_other_familys_swaps() {
        // Written for this test in the manner of bench/real-pairs.md's pair 35: every 的
        // is 得, 最 is 蕞, and the writer's 很紧张 and 发现 stay (the example page's
        // family writes them for 很重要 and 挖掘).
        let spun = "那是凌晨一点半得比赛，我提前一周被通知要解说这场比赛。因为是第一次解说，\
            自己其实很紧张。结果在解说台上发现，准备得资料根本看不过来。难忘得事情太多了，\
            蕞难忘得一次是在节目第三季，熟悉我得朋友都知道我蕞喜欢得球员就是他，\
            那是我们得偶像，也是这个城市得骄傲，更是那一年得冠军。";
        let (restored, report) = despin_text(spun, Lang::Zh, &DespinSettings::default());
        assert!(report.despun);
        for kept in ["很紧张", "发现"] {
            assert!(restored.contains(kept), "{kept}: {restored}");
        }
        for put_back in ["最难忘的一次", "一点半的比赛", "熟悉我的朋友"] {
            assert!(restored.contains(put_back), "{put_back}: {restored}");
        }
    }

    #[test]
    fn what_the_table_restored_is_not_weighed_again() {
        // The table restores 总的来说 for the marker 往实在了说; a thesaurus that groups
        // it with the far commoner 看来 must not take the restoration on.
        let settings = DespinSettings {
            aggressive: true,
            thesaurus: Some(Arc::new(
                Thesaurus::parse("Kc09C01= 总的来说 看来\n", "t").expect("parses"),
            )),
            ..DespinSettings::default()
        };
        let spun = "曩昔我们做了很多尝试。往实在了说，这件事很难。";
        let (restored, report) = despin_text(spun, Lang::Zh, &settings);
        assert!(report.despun);
        assert_eq!(restored, "过去我们做了很多尝试。总的来说，这件事很难。");
        // The writer's own 总的来说 on a spun page is still weighed.
        let (_, report) = despin_text(
            "曩昔我们做了很多尝试。往实在了说，这件事很难。总的来说，还要再试。",
            Lang::Zh,
            &settings,
        );
        let weighed: Vec<&str> = report
            .changes
            .iter()
            .filter(|c| c.from == "总的来说")
            .map(|c| c.from.as_str())
            .collect();
        assert_eq!(weighed, ["总的来说"], "{:?}", report.changes);
    }

    #[test]
    fn a_spun_word_whose_original_is_unclear_is_shown_but_never_changed() {
        // 厥后 is rare and its group's common members fit alike: the page is surely
        // spun there, but the thesaurus cannot say which word the writer used.
        let settings = DespinSettings {
            aggressive: true,
            assume_spun: true,
            thesaurus: Some(Arc::new(
                Thesaurus::parse("Zc02A07= 后来 厥后 以后 之后\n", "t").expect("parses"),
            )),
            ..DespinSettings::default()
        };
        let spun = "厥后我们又去了一次，厥后就不去了。";
        let (restored, report) = despin_text(spun, Lang::Zh, &settings);
        assert_eq!(restored, spun, "{:?}", report.changes);
        let shown: Vec<(&str, Option<Confidence>)> = report
            .suspects
            .iter()
            .map(|s| (s.text.as_str(), s.confidence))
            .collect();
        assert_eq!(
            shown,
            [
                ("厥后", Some(Confidence::Low)),
                ("厥后", Some(Confidence::Low))
            ],
            "{:?}",
            report.suspects
        );
        assert!(report.suspects[0].reason.contains("unclear"));
        // A low margin alone, with nothing to say the word is spun, stays unlisted.
        let weak = Proposal {
            start: 0,
            end: 3,
            original: "b".to_string(),
            margin: 1.0,
            sure_margin: HIGH_MARGIN,
            spun_margin: 1.0,
            source: Source::UserThesaurus,
            reason: String::new(),
        };
        let mut report = Report::default();
        let applies = Applies {
            aggressive: true,
            sure: true,
        };
        assert_eq!(apply("abc", &[weak], applies, 1, &mut report), "abc");
        assert!(report.suspects.is_empty() && report.changes.is_empty());
    }

    #[test]
    fn the_editor_can_open_the_gate_for_a_snippet_too_short_to_judge() {
        // One marker form: too little for the gate, which wants two distinct ones.
        let snippet = "这个大模子很好用。";
        let (shut, report) = despin_text(snippet, Lang::Zh, &DespinSettings::default());
        assert_eq!(shut, snippet);
        assert!(!report.despun);
        let settings = DespinSettings {
            assume_spun: true,
            ..DespinSettings::default()
        };
        let (open, report) = despin_text(snippet, Lang::Zh, &settings);
        assert_eq!(open, "这个大模型很好用。");
        assert!(report.despun);
    }
}
