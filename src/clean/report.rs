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
    /// A word that may be a spinner's, left as it is for the editor to decide.
    SpunWordSuspect,
    /// A line was read for front matter (title, date, publisher…) and left the body.
    MetadataTaken,
    /// Half-width punctuation between CJK characters became full width.
    PunctuationNormalised,
    /// A speaker label was made bold.
    SpeakerLabelled,
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
            ChangeKind::SpunWordSuspect => "suspected spun word (kept)",
            ChangeKind::MetadataTaken => "metadata taken",
            ChangeKind::PunctuationNormalised => "punctuation normalised",
            ChangeKind::SpeakerLabelled => "speaker labelled",
        }
    }
}

/// How sure a pass is of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak evidence: the text is left alone.
    Low,
    /// Some evidence: applied only when asked (`--aggressive`), otherwise listed.
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
    /// A word on why, where the kind alone does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How sure the pass was, for passes that weigh evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
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

/// Every change made to one page, in the order the passes made them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
    /// How strongly the page scored as spun: spinner-only forms per 1,000 characters.
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
            note: None,
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
            note: None,
            confidence: None,
        });
    }

    /// Records a change with a note.
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
            note: Some(note.into()),
            confidence: None,
        });
    }

    /// Records a weighed replacement: its confidence and the reason for it.
    pub fn weighed(&mut self, kind: ChangeKind, block: usize, weighed: Weighed) {
        self.changes.push(Change {
            kind,
            block,
            from: weighed.from,
            to: Some(weighed.to),
            note: Some(weighed.reason),
            confidence: Some(weighed.confidence),
        });
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
        if counts.is_empty() {
            return "no changes".to_string();
        }
        counts
            .iter()
            .map(|(kind, n)| format!("{}: {n}", kind.label()))
            .collect::<Vec<_>>()
            .join(", ")
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
        assert!(!json.contains("\"note\""), "{json}");
    }
}
