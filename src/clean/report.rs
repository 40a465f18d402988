//! The account of every change the cleaner made to one page, for the editor.

use std::collections::BTreeMap;

use serde::Serialize;

/// What kind of change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A block of site chrome (navigation, contact, footer, related links) was dropped.
    ChromeRemoved,
    /// The hijacking site's brand was cut out of the text.
    BrandRemoved,
    /// An injected keyword was cut out of the text.
    KeywordRemoved,
    /// A link or domain pasted in as bait was cut out.
    UrlRemoved,
    /// A copy of the title pasted into a sentence was cut out.
    PastedTitleRemoved,
    /// A spinner's word was put back to the original.
    SpunWordRestored,
    /// A line was read for front matter (title, date, publisher…) and left the body.
    MetadataTaken,
    /// Half-width punctuation between CJK characters became full width.
    PunctuationNormalised,
    /// A speaker label was made bold.
    SpeakerLabelled,
    /// A character XML 1.0 forbids (a control character) was dropped.
    ControlCharacterRemoved,
    /// A dash the page's encoding lost, left as ` ?` before a word, was put back.
    LostDashRestored,
    /// An HTML tag leaked into the text (`<cite id=…>`) was cut out.
    LeakedTagRemoved,
    /// An image file name or image credit pasted into the text was cut out.
    ImageNameRemoved,
    /// A block holding a whole flattened article was split at its speaker turns.
    TurnsSplit,
    /// A sentence the page broke across lines was joined back into one paragraph.
    LinesJoined,
    /// A porn or gambling lexicon word in a structural position (title line, a line of
    /// its own, a brand lead) was cut out.
    LexiconRemoved,
    /// A spinner connective standing as a paragraph of its own was dropped.
    ConnectiveRemoved,
    /// A pinyin annotation after a character (`發(fā)`) was cut out.
    PinyinRemoved,
    /// An emoji pasted into formal prose was cut out.
    EmojiRemoved,
    /// A junk token (not a word) pasted before punctuation was cut out.
    JunkTokenRemoved,
    /// A paragraph in another language, injected with spam, was dropped.
    ForeignParagraphRemoved,
    /// The article text did not stand out from the page: every prose block was kept.
    ProseKept,
}

impl ChangeKind {
    /// A short human label, as printed in the terminal summary.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::ChromeRemoved => "chrome removed",
            ChangeKind::BrandRemoved => "brand removed",
            ChangeKind::KeywordRemoved => "keyword removed",
            ChangeKind::UrlRemoved => "url removed",
            ChangeKind::PastedTitleRemoved => "pasted title removed",
            ChangeKind::SpunWordRestored => "spun word restored",
            ChangeKind::MetadataTaken => "metadata taken",
            ChangeKind::PunctuationNormalised => "punctuation normalised",
            ChangeKind::SpeakerLabelled => "speaker labelled",
            ChangeKind::ControlCharacterRemoved => "control character removed",
            ChangeKind::LostDashRestored => "lost dash restored",
            ChangeKind::LeakedTagRemoved => "leaked tag removed",
            ChangeKind::ImageNameRemoved => "image name removed",
            ChangeKind::TurnsSplit => "turns split",
            ChangeKind::LinesJoined => "lines joined",
            ChangeKind::LexiconRemoved => "lexicon word removed",
            ChangeKind::ConnectiveRemoved => "connective removed",
            ChangeKind::PinyinRemoved => "pinyin removed",
            ChangeKind::EmojiRemoved => "emoji removed",
            ChangeKind::JunkTokenRemoved => "junk token removed",
            ChangeKind::ForeignParagraphRemoved => "foreign paragraph removed",
            ChangeKind::ProseKept => "prose kept",
        }
    }

    /// The reason given when the pass that made the change gives none.
    pub fn default_reason(self) -> &'static str {
        match self {
            ChangeKind::ChromeRemoved => "site chrome, not article text",
            ChangeKind::BrandRemoved => "the hijacking site's brand, glued into the text",
            ChangeKind::KeywordRemoved => "a keyword pasted after unrelated words, repeatedly",
            ChangeKind::UrlRemoved => "a bait address pasted into the text",
            ChangeKind::PastedTitleRemoved => "a copy of the title inside a sentence",
            ChangeKind::SpunWordRestored => "a spinner's synonym on a page that scores as spun",
            ChangeKind::MetadataTaken => "read into the front matter",
            ChangeKind::PunctuationNormalised => "half-width punctuation between CJK text",
            ChangeKind::SpeakerLabelled => "a speaker's turn",
            ChangeKind::ControlCharacterRemoved => "a character XML 1.0 forbids",
            ChangeKind::LostDashRestored => "a dash the page's encoding turned into `?`",
            ChangeKind::LeakedTagRemoved => "HTML markup shown as text",
            ChangeKind::ImageNameRemoved => "an image file name or credit inside the text",
            ChangeKind::TurnsSplit => "several speaker turns on one line",
            ChangeKind::LinesJoined => "a sentence broken across lines",
            ChangeKind::LexiconRemoved => "a spam lexicon word in a structural position",
            ChangeKind::ConnectiveRemoved => "a connective standing alone as a paragraph",
            ChangeKind::PinyinRemoved => "a pinyin annotation from a machine conversion",
            ChangeKind::EmojiRemoved => "an emoji pasted after a clause of formal prose",
            ChangeKind::JunkTokenRemoved => "not a word, pasted before punctuation, repeatedly",
            ChangeKind::ForeignParagraphRemoved => "another language, with spam in it",
            ChangeKind::ProseKept => "no block stood out as the article",
        }
    }
}

/// How sure a pass is of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak evidence: the text is left alone.
    Low,
    /// Some evidence: applied only when asked (`--aggressive`), otherwise a suspect.
    Middle,
    /// Strong evidence: applied.
    High,
}

impl Confidence {
    /// The lower-case name used in reports and on the review page.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Middle => "middle",
            Confidence::High => "high",
        }
    }
}

/// A replacement that a pass weighed: the text, the replacement, why, and how sure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weighed {
    /// The text on the page.
    pub from: String,
    /// The replacement.
    pub to: String,
    /// Why, in one line.
    pub reason: String,
    /// How sure.
    pub confidence: Confidence,
}

/// One change: what, where, and the text before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The kind of change.
    pub kind: ChangeKind,
    /// Where: the 1-based number of the block (line or HTML block) of the input page,
    /// or 0 for the title.
    pub block: usize,
    /// The text that was removed or replaced.
    pub from: String,
    /// The replacement, for restorations and normalisations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Why, in one line.
    pub reason: String,
    /// How sure the pass was, for passes that weigh evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// Text the cleaner kept although it looks like pollution: the evidence was too weak
/// to remove it, so an editor decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    /// What it would have been removed as.
    pub kind: ChangeKind,
    /// The block it is in (1-based), or 0 for the title.
    pub block: usize,
    /// The text in question.
    pub text: String,
    /// What was seen, and what was missing.
    pub reason: String,
    /// What it would have become, for a suspected replacement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// How sure the pass was, for passes that weigh evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// Every change made to one page, in the order the passes made them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
    /// What was kept but looks like pollution, for the editor.
    pub suspects: Vec<Suspect>,
    /// Why the article is a draft, when it is one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub draft_reasons: Vec<String>,
    /// How strongly the page scored as spun, per 1,000 units (CJK characters or words):
    /// the pair table's marker forms plus the model's confident changes (on a page the
    /// table alone calls spun, those it proposes once the table has restored it).
    pub spin_score: f64,
    /// Whether the spin restorations were applied.
    pub despun: bool,
    /// The brands learned from the page's chrome or given in settings.
    pub brands: Vec<String>,
    /// The keywords found injected.
    pub keywords: Vec<String>,
}

impl Report {
    /// Records a change.
    pub fn push(&mut self, kind: ChangeKind, block: usize, from: impl Into<String>) {
        self.changes.push(Change {
            kind,
            block,
            from: from.into(),
            to: None,
            reason: kind.default_reason().to_string(),
            confidence: None,
        });
    }

    /// Records a replacement.
    pub fn replace(
        &mut self,
        kind: ChangeKind,
        block: usize,
        from: impl Into<String>,
        to: impl Into<String>,
    ) {
        self.changes.push(Change {
            kind,
            block,
            from: from.into(),
            to: Some(to.into()),
            reason: kind.default_reason().to_string(),
            confidence: None,
        });
    }

    /// Records a replacement with its reason.
    pub fn replace_because(
        &mut self,
        kind: ChangeKind,
        block: usize,
        from: impl Into<String>,
        to: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.changes.push(Change {
            kind,
            block,
            from: from.into(),
            to: Some(to.into()),
            reason: reason.into(),
            confidence: None,
        });
    }

    /// Records text kept as suspect.
    pub fn suspect(
        &mut self,
        kind: ChangeKind,
        block: usize,
        text: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.suspects.push(Suspect {
            kind,
            block,
            text: text.into(),
            reason: reason.into(),
            to: None,
            confidence: None,
        });
    }

    /// Records a change with its reason.
    pub fn push_noted(
        &mut self,
        kind: ChangeKind,
        block: usize,
        from: impl Into<String>,
        note: impl Into<String>,
    ) {
        self.changes.push(Change {
            kind,
            block,
            from: from.into(),
            to: None,
            reason: note.into(),
            confidence: None,
        });
    }

    /// Records a weighed replacement: applied as a change, or kept as a suspect.
    pub fn weighed(&mut self, kind: ChangeKind, block: usize, weighed: Weighed, applied: bool) {
        if applied {
            self.changes.push(Change {
                kind,
                block,
                from: weighed.from,
                to: Some(weighed.to),
                reason: weighed.reason,
                confidence: Some(weighed.confidence),
            });
        } else {
            self.suspects.push(Suspect {
                kind,
                block,
                text: weighed.from,
                reason: weighed.reason,
                to: Some(weighed.to),
                confidence: Some(weighed.confidence),
            });
        }
    }

    /// How many changes of each kind were made.
    pub fn counts(&self) -> BTreeMap<ChangeKind, usize> {
        let mut counts = BTreeMap::new();
        for change in &self.changes {
            *counts.entry(change.kind).or_insert(0) += 1;
        }
        counts
    }

    /// How many changes of one kind were made.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    /// One line per kind, e.g. `spun word restored: 212`, for the terminal.
    pub fn summary(&self) -> String {
        let counts = self.counts();
        let mut parts: Vec<String> = counts
            .iter()
            .map(|(kind, n)| format!("{}: {n}", kind.label()))
            .collect();
        if !self.suspects.is_empty() {
            parts.push(format!("suspect: {}", self.suspects.len()));
        }
        if parts.is_empty() {
            return "no changes".to_string();
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_changes_by_kind() {
        let mut report = Report::default();
        report.push(ChangeKind::ChromeRemoved, 1, "首页");
        report.push(ChangeKind::ChromeRemoved, 2, "联系我们");
        report.replace(ChangeKind::SpunWordRestored, 5, "大模子", "大模型");
        assert_eq!(report.count(ChangeKind::ChromeRemoved), 2);
        assert_eq!(report.summary(), "chrome removed: 2, spun word restored: 1");
    }

    #[test]
    fn json_names_kinds_in_snake_case() {
        let mut report = Report::default();
        report.replace(ChangeKind::SpunWordRestored, 5, "大模子", "大模型");
        let json = serde_json::to_string(&report).expect("report serialises");
        assert!(json.contains("\"kind\":\"spun_word_restored\""), "{json}");
        assert!(json.contains("\"reason\":\"a spinner's synonym"), "{json}");
    }
}
