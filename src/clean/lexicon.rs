//! The spam lexicons (`data/lexicon.txt`: porn and gambling words, zh in both scripts
//! and en; `data/spam-brands.txt`: known spam brands) and the brand classes
//! (`data/lexicon-patterns.txt`). A hit is evidence for the passes to weigh, never a
//! removal by itself.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexSet};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// What a lexicon word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Adult-content spam.
    Porn,
    /// Gambling spam.
    Gambling,
    /// A known spam brand.
    Brand,
}

/// One lexicon word found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// What the word is.
    pub class: Class,
}

/// The compiled lexicons.
pub struct Lexicon {
    words: AhoCorasick,
    classes: Vec<Class>,
    bait: Vec<Regex>,
    /// All of `bait` at once: one pass tells whether a text holds any bait brand.
    any_bait: RegexSet,
    /// The literals every bait brand holds one of, searched before `any_bait`.
    bait_gate: Option<Regex>,
    lead: Vec<Regex>,
    suspect: Vec<GatedPattern>,
}

impl Lexicon {
    /// The shipped lexicons, compiled on first use.
    pub fn global() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let mut words: Vec<String> = Vec::new();
            let mut classes = Vec::new();
            let mut class = Class::Gambling;
            for line in super::data_lines(include_str!("data/lexicon.txt")) {
                match line {
                    "@porn" => class = Class::Porn,
                    "@gambling" => class = Class::Gambling,
                    word => {
                        words.push(word.to_lowercase());
                        classes.push(class);
                    }
                }
            }
            for brand in super::data_lines(include_str!("data/spam-brands.txt")) {
                words.push(brand.to_lowercase());
                classes.push(Class::Brand);
            }
            let mut bait = Vec::new();
            let mut lead = Vec::new();
            let mut suspect: Vec<Regex> = Vec::new();
            let mut group = &mut bait;
            for line in super::data_lines(include_str!("data/lexicon-patterns.txt")) {
                match line {
                    "@bait" => group = &mut bait,
                    "@lead" => group = &mut lead,
                    "@suspect" => group = &mut suspect,
                    pattern => group.push(Regex::new(pattern).expect("lexicon pattern compiles")),
                }
            }
            let any_bait =
                RegexSet::new(bait.iter().map(Regex::as_str)).expect("lexicon patterns compile");
            Lexicon {
                any_bait,
                bait_gate: gate_of(bait.iter().map(Regex::as_str)),
                // A DFA: searched over every block several times, built once.
                words: AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::DFA))
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&words)
                    .expect("lexicon compiles"),
                classes,
                bait,
                lead,
                suspect: suspect.into_iter().map(GatedPattern::new).collect(),
            }
        })
    }

    /// Every lexicon word in `text`, leftmost longest, Latin words on word boundaries.
    pub fn hits(&self, text: &str) -> Vec<Hit> {
        self.words
            .find_iter(text)
            .filter(|m| latin_boundary(text, m.start(), m.end()))
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                class: self.classes[m.pattern().as_usize()],
            })
            .collect()
    }

    /// Brand names with bait (`星河体育注册`, `luckybet login`): byte ranges.
    pub fn bait_brands(&self, text: &str) -> Vec<(usize, usize)> {
        if self.bait_gate.as_ref().is_some_and(|g| !g.is_match(text))
            || !self.any_bait.is_match(text)
        {
            return Vec::new();
        }
        let mut found: Vec<(usize, usize)> = self
            .bait
            .iter()
            .flat_map(|r| r.find_iter(text).map(|m| (m.start(), m.end())))
            .map(|(start, end)| (from_repeated_name(&text[start..end]) + start, end))
            .collect();
        found.sort_unstable();
        found.dedup_by(|b, a| b.0 < a.1);
        found
    }

    /// Gambling-brand shapes without bait (`星河体育`): byte ranges, leaving out
    /// dictionary words and names of institutions (`北京体育大学`: the shape followed
    /// by a word that forms one with its ending).
    pub fn suspect_brands(&self, text: &str) -> Vec<(usize, usize)> {
        self.suspect
            .iter()
            .flat_map(|r| r.find_iter(text))
            .filter(|m| {
                // Asked for only once a shape is found: a page without one (any English
                // page) never loads the dictionary.
                let dict = super::dict::Dictionary::global();
                if dict.contains_any_script(m.as_str()) {
                    return false;
                }
                let ending: String = m.as_str().chars().skip(2).collect();
                let next: String = text[m.end()..].chars().take(2).collect();
                !dict.contains_any_script(&format!("{ending}{next}"))
            })
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    /// The length in bytes of a brand lead at the start of `text` (`某某平台消息：`).
    pub fn lead(&self, text: &str) -> Option<usize> {
        self.lead.iter().find_map(|r| r.find(text).map(|m| m.end()))
    }

    /// What the lexicons find in `text`, found once for the questions the passes ask of
    /// a line (each would otherwise run every lexicon over it again).
    pub fn evidence(&self, text: &str) -> Evidence {
        let hits = self.hits(text);
        let baits = self.bait_brands(text);
        let found = hits.len() + baits.len();
        let share = if found == 0 {
            0.0
        } else {
            covered_share(
                text,
                hits.iter()
                    .map(|h| (h.start, h.end))
                    .chain(baits.iter().copied()),
            )
        };
        let sentence = crate::text::has_wide_mark(text, &['。', '，', '！', '？', '；'])
            || text.contains(", ")
            || text.contains(". ")
            || text.trim_end().ends_with(['.', '!', '?']);
        Evidence {
            found,
            share,
            sentence,
            baits,
        }
    }

    /// Whether a line is spam through and through ([`Evidence::is_spam_line`]).
    pub fn is_spam_line(&self, text: &str) -> bool {
        self.evidence(text).is_spam_line()
    }
}

/// Where a front's pasted title really starts, as an offset into `found`: its name
/// stands twice (`开云网页版-开云(中国)…`), and a pattern's name class may have taken in
/// the writer's characters before the first (`的开云网页版-开云`). Without a repeated
/// name, 0.
fn from_repeated_name(found: &str) -> usize {
    let Some((before, after)) = found.split_once(['-', '－', '—', '·']) else {
        return 0;
    };
    let name = after.split(['(', '（']).next().unwrap_or_default();
    let named = before.trim_end_matches("网页版").trim_end_matches("網頁版");
    match named.strip_suffix(name) {
        Some(writers) if !name.is_empty() => writers.len(),
        _ => 0,
    }
}

/// What the lexicons find in one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// How many lexicon words and bait brands it holds.
    pub found: usize,
    /// The share of its letters they cover.
    pub share: f32,
    /// Whether it reads as a sentence (a clause mark, or a full stop at its end).
    pub sentence: bool,
    /// Its bait brands ([`Lexicon::bait_brands`]).
    pub baits: Vec<(usize, usize)>,
}

impl Evidence {
    /// Whether the line is spam through and through: a line without a sentence whose
    /// letters are a third lexicon words (or that holds two of them), or any line that
    /// is more than half lexicon words.
    pub fn is_spam_line(&self) -> bool {
        self.found > 0
            && (self.share > 0.5 || !self.sentence && (self.share >= 0.34 || self.found >= 2))
    }
}

/// The share of `text`'s letters inside the byte `ranges`.
fn covered_share(text: &str, ranges: impl Iterator<Item = (usize, usize)>) -> f32 {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters == 0 {
        return 0.0;
    }
    let mut covered = vec![false; text.len()];
    for (start, end) in ranges {
        covered[start..end].iter_mut().for_each(|c| *c = true);
    }
    let spam = text
        .char_indices()
        .filter(|(i, c)| c.is_alphanumeric() && covered[*i])
        .count();
    spam as f32 / letters as f32
}

/// A pattern and, when every match of it holds one of a few literals, a search for
/// those literals that rules out most texts first. The regex engine does not do this
/// itself for a pattern that opens with a wide class (`\p{Han}{2}(?:体育|…)`): it
/// scanned text for that one at 500 MB/s, and for its endings at 2 GB/s.
#[derive(Debug)]
struct GatedPattern {
    regex: Regex,
    gate: Option<Regex>,
}

impl GatedPattern {
    fn new(regex: Regex) -> GatedPattern {
        GatedPattern {
            gate: gate_of([regex.as_str()]),
            regex,
        }
    }

    /// The pattern's matches in `text`, as [`Regex::find_iter`] gives them.
    fn find_iter<'t>(&self, text: &'t str) -> impl Iterator<Item = regex::Match<'t>> {
        let may_match = self.gate.as_ref().is_none_or(|g| g.is_match(text));
        may_match
            .then(|| self.regex.find_iter(text))
            .into_iter()
            .flatten()
    }
}

/// A search for literals of which every match of any of `patterns` holds one, when
/// each pattern has such literals ([`necessary_literals`]).
fn gate_of<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<Regex> {
    let mut alternatives: Vec<String> = Vec::new();
    for pattern in patterns {
        let hir = regex_syntax::parse(pattern).ok()?;
        alternatives.extend(necessary_literals(&hir)?.iter().map(|t| regex::escape(t)));
    }
    if alternatives.is_empty() {
        return None;
    }
    Regex::new(&alternatives.join("|")).ok()
}

/// Literals of which every match of `hir` holds one: those it ends with, or else those
/// of an element it cannot do without (a group of words between classes,
/// `\p{Han}{2,4}(?:体育|娱乐)\d*`), or those of each of its branches.
fn necessary_literals(hir: &Hir) -> Option<Vec<String>> {
    if let Some(endings) = ending_literals(hir) {
        return Some(endings);
    }
    match hir.kind() {
        HirKind::Capture(capture) => necessary_literals(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min > 0 => {
            necessary_literals(&repetition.sub)
        }
        HirKind::Concat(elements) => elements.iter().find_map(necessary_literals),
        HirKind::Alternation(branches) => branches
            .iter()
            .map(necessary_literals)
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|each| each.concat()),
        _ => None,
    }
}

/// The literals every match of `hir` ends with, when it has such literals and each is
/// a non-empty run of whole characters.
fn ending_literals(hir: &Hir) -> Option<Vec<String>> {
    let endings = Extractor::new().kind(ExtractKind::Suffix).extract(hir);
    let texts = endings
        .literals()?
        .iter()
        .map(|l| {
            std::str::from_utf8(l.as_bytes())
                .ok()
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        })
        .collect::<Option<Vec<String>>>()?;
    (!texts.is_empty()).then_some(texts)
}

/// Latin words match whole: `bet now` not inside `alphabet nowhere`.
fn latin_boundary(text: &str, start: usize, end: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    (!word(first) || !word(text[..start].chars().next_back()))
        && (!word(last) || !word(text[end..].chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_in_both_scripts_and_english() {
        let lexicon = Lexicon::global();
        for (text, class) in [
            ("最新百家乐平台", Class::Gambling),
            ("最新百家樂平臺", Class::Gambling),
            ("Best Online Casino bonus", Class::Gambling),
            ("免费午夜影院", Class::Porn),
            ("华体会", Class::Brand),
        ] {
            let hits = lexicon.hits(text);
            assert!(hits.iter().any(|h| h.class == class), "{text}: {hits:?}");
        }
        assert!(lexicon.hits("the alphabet nowhere").is_empty());
    }

    #[test]
    fn a_pattern_is_searched_first_for_literals_every_match_holds() {
        let gate = |pattern: &str| gate_of([pattern]);
        let endings = gate(r"\p{Han}{2}(?:体育|娱乐)").expect("two endings");
        assert!(endings.is_match("星河体育"));
        assert!(!endings.is_match("北京大学的老师"));
        // Case-insensitive literals are searched for in every case.
        let folded = gate(r"(?i)\p{Han}{2}casino").expect("its cases");
        assert!(folded.is_match("星河CaSiNo"));
        // A group of words between classes, and each branch of an alternation.
        let inner = gate(r"\p{Han}{2,4}(?:体育|彩票)\d*(?:app)?").expect("the group");
        assert!(inner.is_match("彩票") && !inner.is_match("app 2024"));
        let branches = gate(r"\p{Han}{2}(?:网|網)\d*|[a-z]+bet\d*").expect("both");
        assert!(branches.is_match("網") && branches.is_match("bet"));
        // No gate when a branch or every element may be anything.
        assert!(gate(r"[a-z]{2,16}\d*").is_none());
        assert!(gate(r"\p{Han}{2}(?:体育)?").is_none());
        assert!(gate(r"体育|\d+").is_none());
        for pattern in [r"\p{Han}{2}(?:体育|娱乐)", r"[a-z]{2,16}bet\d*"] {
            let regex = Regex::new(pattern).expect("compiles");
            let gated = GatedPattern::new(regex.clone());
            for text in ["星河体育和天马娱乐", "北京大学", "playbet123 and bet", ""] {
                let found: Vec<&str> = gated.find_iter(text).map(|m| m.as_str()).collect();
                let expected: Vec<&str> = regex.find_iter(text).map(|m| m.as_str()).collect();
                assert_eq!(found, expected, "{pattern} in {text}");
            }
        }
        // The shipped bait patterns all hold literals, so their set has a gate.
        assert!(Lexicon::global().bait_gate.is_some());
    }

    #[test]
    fn bait_brands_need_bait() {
        let lexicon = Lexicon::global();
        assert_eq!(lexicon.bait_brands("毕业于星河体育注册学院").len(), 1);
        assert_eq!(lexicon.bait_brands("畢業於星河體育官網").len(), 1);
        assert!(lexicon.bait_brands("北京体育大学的老师").is_empty());
        assert_eq!(lexicon.bait_brands("要 XM外汇平台 慎做领读者").len(), 1);
        assert!(
            lexicon
                .bait_brands("他建议选择外汇平台时先看牌照")
                .is_empty()
        );
        let pasted = "都是中心的星河网页版-星河(中国)官方在线登录通稿";
        let found = lexicon.bait_brands(pasted);
        assert_eq!(
            found
                .iter()
                .map(|&(s, e)| &pasted[s..e])
                .collect::<Vec<_>>(),
            ["星河网页版-星河(中国)官方在线登录"]
        );
        assert!(
            lexicon
                .bait_brands("他在微软（中国）有限公司工作")
                .is_empty()
        );
        assert_eq!(
            lexicon.lead("星河平台消息：今天"),
            Some("星河平台消息：".len())
        );
        // A sports farm's dateline, its 宣布 cut short; a company's announcement is prose.
        assert_eq!(
            lexicon.lead("体育播报8月30日宣 近日，她接受了采访。"),
            Some("体育播报8月30日宣 ".len())
        );
        assert_eq!(
            lexicon.lead("體育播報06月28今日宣 人民日報獨家對話"),
            Some("體育播報06月28今日宣 ".len())
        );
        assert_eq!(lexicon.lead("南岭书店8月18日宣布闭店。"), None);
    }

    #[test]
    fn spam_lines_are_told_from_prose() {
        let lexicon = Lexicon::global();
        assert!(lexicon.is_spam_line("百家乐 老虎机 真人荷官"));
        assert!(lexicon.is_spam_line("Online Casino | Free Spins"));
        assert!(!lexicon.is_spam_line(
            "他在澳门的娱乐城工作了十年，见过百家乐桌边的各种人，也见过这个行业的变化。"
        ));
        assert!(!lexicon.is_spam_line("记者：百家乐和老虎机，哪个对赌场更重要？"));
    }
}
