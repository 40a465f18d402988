//! The review page (`verbatim clean --review review.html`): one self-contained HTML
//! file showing each article's text with every change in place — removed text struck
//! through, the replacement beside it, coloured by confidence, the reason on hover or
//! keyboard focus — plus suspects the editor should look at, the blocks that left the
//! body, and a table of distinct changes with counts so a recurring swap is judged
//! once. The page shell, styles, script and labels are in `data/review.html`.

use std::fmt::Write as _;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::FileOutcome;
use super::report::{Change, ChangeKind, Confidence, Report, Suspect};

/// One stretch of an article's text: unchanged, changed, or a kept suspect.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'r> {
    Same(String),
    Changed {
        before: String,
        after: String,
        change: Option<&'r Change>,
    },
    Suspect(&'r Suspect),
}

/// Whether a change kind edits text inside the body (and so shows in the diff).
fn inline(kind: ChangeKind) -> bool {
    !matches!(
        kind,
        ChangeKind::ChromeRemoved
            | ChangeKind::MetadataTaken
            | ChangeKind::SpeakerLabelled
            | ChangeKind::TurnsSplit
            | ChangeKind::LinesJoined
            | ChangeKind::ProseKept
            | ChangeKind::ForeignParagraphRemoved
            | ChangeKind::ConnectiveRemoved
    )
}

/// The segments of an article: a diff of the text before and after the passes, each
/// changed stretch widened to the whole word its report entry names, and the
/// report's suspects marked where they stand.
fn segments<'r>(before: &str, after: &str, report: &'r Report) -> Vec<Segment<'r>> {
    let mut used = vec![false; report.changes.len()];
    let mut out = diff(before, after);
    // A changed stretch holding a whole removal (a brand cut next to a restored word)
    // is split: the removal on its own, the rest diffed again.
    let mut i = 0;
    while i < out.len() {
        if let Segment::Changed {
            before,
            after,
            change: None,
        } = &out[i]
            && let Some((k, change)) = report.changes.iter().enumerate().find(|(k, c)| {
                !used[*k]
                    && inline(c.kind)
                    && c.to.as_deref().unwrap_or("").is_empty()
                    && !c.from.is_empty()
                    && before.contains(c.from.as_str())
                    && before.as_str() != c.from.as_str()
            })
        {
            used[k] = true;
            let at = before.find(change.from.as_str()).unwrap_or(0);
            let rest = format!("{}{}", &before[..at], &before[at + change.from.len()..]);
            let mut parts = split_at(diff(&rest, after), at);
            parts.1.insert(
                0,
                Segment::Changed {
                    before: change.from.clone(),
                    after: String::new(),
                    change: Some(change),
                },
            );
            let count = parts.0.len() + parts.1.len();
            out.splice(i..=i, parts.0.into_iter().chain(parts.1));
            i += count;
            continue;
        }
        i += 1;
    }
    let mut i = 0;
    while i < out.len() {
        if matches!(&out[i], Segment::Changed { change: None, .. })
            && let Some((k, end, change)) = match_run(&out, i, report, &used)
        {
            used[k] = true;
            collapse(&mut out, i, end);
            widen(&mut out, i, change);
        }
        i += 1;
    }
    mark_suspects(out, report)
}

/// The token diff of two texts as segments.
fn diff<'r>(before: &str, after: &str) -> Vec<Segment<'r>> {
    let old = super::diff::tokens(before);
    let new = super::diff::tokens(after);
    capture_diff_slices(Algorithm::Myers, &old, &new)
        .into_iter()
        .map(|op| {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                Segment::Same(old[old_range].concat())
            } else {
                Segment::Changed {
                    before: old[old_range].concat(),
                    after: new[new_range].concat(),
                    change: None,
                }
            }
        })
        .collect()
}

/// Splits segments where their `before` text reaches byte `at`; a changed stretch
/// across the point keeps its replacement on the left.
fn split_at(segments: Vec<Segment<'_>>, at: usize) -> (Vec<Segment<'_>>, Vec<Segment<'_>>) {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    let mut offset = 0;
    for segment in segments {
        let text = match &segment {
            Segment::Same(t) => t.as_str(),
            Segment::Changed { before, .. } => before.as_str(),
            Segment::Suspect(c) => c.text.as_str(),
        };
        let (start, end) = (offset, offset + text.len());
        offset = end;
        if end <= at {
            left.push(segment);
        } else if start >= at {
            right.push(segment);
        } else {
            let cut = at - start;
            match segment {
                Segment::Same(t) => {
                    left.push(Segment::Same(t[..cut].to_string()));
                    right.push(Segment::Same(t[cut..].to_string()));
                }
                Segment::Changed {
                    before,
                    after,
                    change,
                } => {
                    left.push(Segment::Changed {
                        before: before[..cut].to_string(),
                        after,
                        change,
                    });
                    right.push(Segment::Changed {
                        before: before[cut..].to_string(),
                        after: String::new(),
                        change: None,
                    });
                }
                suspect @ Segment::Suspect(_) => left.push(suspect),
            }
        }
    }
    (left, right)
}

/// The longest run of segments from `i` (a changed one, up to four more, ending on a
/// changed one) whose text lies inside one unused report change: (change index, last
/// segment of the run, change). A spun word the diff split (墟市 → 市场 as `-墟`, `市`,
/// `+场`) is found whole.
fn match_run<'r>(
    segments: &[Segment<'r>],
    i: usize,
    report: &'r Report,
    used: &[bool],
) -> Option<(usize, usize, &'r Change)> {
    let last = (i + 4).min(segments.len() - 1);
    (i..=last).rev().find_map(|end| {
        if !matches!(&segments[end], Segment::Changed { change: None, .. }) {
            return None;
        }
        let (mut before, mut after) = (String::new(), String::new());
        for segment in &segments[i..=end] {
            match segment {
                Segment::Same(t) => {
                    before.push_str(t);
                    after.push_str(t);
                }
                Segment::Changed {
                    before: b,
                    after: a,
                    change: None,
                } => {
                    before.push_str(b);
                    after.push_str(a);
                }
                _ => return None,
            }
        }
        report.changes.iter().enumerate().find_map(|(k, c)| {
            let fits = !used[k]
                && inline(c.kind)
                && c.from.contains(before.as_str())
                && c.to.as_deref().unwrap_or("").contains(after.as_str());
            fits.then_some((k, end, c))
        })
    })
}

/// Joins segments `i..=end` into one changed segment.
fn collapse(segments: &mut Vec<Segment<'_>>, i: usize, end: usize) {
    if end == i {
        return;
    }
    let (mut before, mut after) = (String::new(), String::new());
    for segment in segments.drain(i..=end) {
        match segment {
            Segment::Same(t) => {
                before.push_str(&t);
                after.push_str(&t);
            }
            Segment::Changed {
                before: b,
                after: a,
                ..
            } => {
                before.push_str(&b);
                after.push_str(&a);
            }
            Segment::Suspect(_) => {}
        }
    }
    segments.insert(
        i,
        Segment::Changed {
            before,
            after,
            change: None,
        },
    );
}

/// Moves the parts of `change.from`/`change.to` that the diff left in the
/// neighbouring unchanged stretches into the changed one at `i`.
fn widen<'r>(segments: &mut [Segment<'r>], i: usize, change: &'r Change) {
    let Segment::Changed { before, after, .. } = &segments[i] else {
        return;
    };
    let to = change.to.as_deref().unwrap_or("");
    let (Some(at_from), Some(at_to)) = (change.from.find(before.as_str()), to.find(after.as_str()))
    else {
        return;
    };
    let prefix = &change.from[..at_from];
    let suffix = &change.from[at_from + before.len()..];
    let same_context = to.get(..at_to) == Some(prefix)
        && to.get(at_to + after.len()..) == Some(suffix)
        && !(before.is_empty() && after.is_empty());
    let left_ok = i > 0 && matches!(&segments[i - 1], Segment::Same(t) if t.ends_with(prefix));
    let right_ok = matches!(segments.get(i + 1), Some(Segment::Same(t)) if t.starts_with(suffix));
    if !(same_context && (prefix.is_empty() || left_ok) && (suffix.is_empty() || right_ok)) {
        if let Segment::Changed { change: slot, .. } = &mut segments[i] {
            *slot = Some(change);
        }
        return;
    }
    if !prefix.is_empty()
        && let Segment::Same(t) = &mut segments[i - 1]
    {
        t.truncate(t.len() - prefix.len());
    }
    if !suffix.is_empty()
        && let Some(Segment::Same(t)) = segments.get_mut(i + 1)
    {
        t.replace_range(..suffix.len(), "");
    }
    segments[i] = Segment::Changed {
        before: change.from.clone(),
        after: to.to_string(),
        change: Some(change),
    };
}

/// Splits unchanged stretches where the report's suspects stand, in order.
fn mark_suspects<'r>(segments: Vec<Segment<'r>>, report: &'r Report) -> Vec<Segment<'r>> {
    let mut suspects = report.suspects.iter().peekable();
    let mut out = Vec::with_capacity(segments.len());
    for segment in segments {
        let Segment::Same(mut text) = segment else {
            out.push(segment);
            continue;
        };
        while let Some(suspect) = suspects.peek() {
            let Some(at) = text
                .find(suspect.text.as_str())
                .filter(|_| !suspect.text.is_empty())
            else {
                break;
            };
            let rest = text.split_off(at + suspect.text.len());
            text.truncate(at);
            out.push(Segment::Same(std::mem::take(&mut text)));
            out.push(Segment::Suspect(suspect));
            text = rest;
            suspects.next();
        }
        out.push(Segment::Same(text));
    }
    out
}

fn escape(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// Opens a change mark: its kind (`suspect` for kept text) and label for the filters,
/// its confidence, and the reason as a title.
fn mark_open(
    out: &mut String,
    kind: &str,
    label: &str,
    confidence: Option<Confidence>,
    note: &str,
) {
    let confidence = confidence.map_or("none", Confidence::name);
    let _ = write!(
        out,
        "<span class=\"chg\" tabindex=\"0\" data-kind=\"{kind}\" data-label=\"{label}\" data-confidence=\"{confidence}\" title=\""
    );
    escape(out, note);
    out.push_str("\">");
}

/// The label of kept text in the filters.
const SUSPECT_LABEL: &str = "suspect (kept)";

fn kind_name(kind: ChangeKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn why(out: &mut String, note: &str) {
    out.push_str("<span class=\"why\" role=\"tooltip\">");
    escape(out, note);
    out.push_str("</span></span>");
}

/// The HTML of one article's text.
fn article_text(before: &str, after: &str, report: &Report) -> String {
    let mut out = String::with_capacity(after.len() * 2);
    for segment in segments(before, after, report) {
        match segment {
            Segment::Same(text) => escape(&mut out, &text),
            Segment::Changed {
                before,
                after,
                change,
            } => {
                let (kind, confidence) = change
                    .map_or((ChangeKind::PunctuationNormalised, None), |c| {
                        (c.kind, c.confidence)
                    });
                let note = match change {
                    Some(c) => c.reason.clone(),
                    None if before
                        .chars()
                        .chain(after.chars())
                        .all(|c| !c.is_alphanumeric()) =>
                    {
                        kind.label().to_string()
                    }
                    None => "changed by formatting".to_string(),
                };
                let note = format!("{}: {note}", kind.label());
                mark_open(&mut out, &kind_name(kind), kind.label(), confidence, &note);
                if !before.is_empty() {
                    out.push_str("<del>");
                    escape(&mut out, &before);
                    out.push_str("</del>");
                }
                if !after.is_empty() {
                    out.push_str("<ins>");
                    escape(&mut out, &after);
                    out.push_str("</ins>");
                }
                why(&mut out, &note);
            }
            Segment::Suspect(suspect) => {
                let note = match &suspect.to {
                    Some(to) => format!(
                        "kept, may be {}: `{}` → `{to}`? {}",
                        suspect.kind.label(),
                        suspect.text,
                        suspect.reason
                    ),
                    None => format!("kept, may be {}: {}", suspect.kind.label(), suspect.reason),
                };
                mark_open(
                    &mut out,
                    "suspect",
                    SUSPECT_LABEL,
                    suspect.confidence,
                    &note,
                );
                out.push_str("<mark>");
                escape(&mut out, &suspect.text);
                out.push_str("</mark>");
                if let Some(to) = &suspect.to {
                    out.push_str("<span class=\"alt\">");
                    escape(&mut out, to);
                    out.push_str("?</span>");
                }
                why(&mut out, &note);
            }
        }
    }
    out
}

/// The list of blocks that left the body (chrome, metadata) for one article.
fn removed_blocks(report: &Report) -> String {
    let mut out = String::new();
    for change in report.changes.iter().filter(|c| !inline(c.kind)) {
        let note = change.reason.as_str();
        out.push_str("<li>");
        mark_open(
            &mut out,
            &kind_name(change.kind),
            change.kind.label(),
            change.confidence,
            note,
        );
        out.push_str("<del>");
        escape(&mut out, &change.from);
        out.push_str("</del>");
        why(&mut out, &format!("{}: {note}", change.kind.label()));
        out.push_str("</li>");
    }
    out
}

/// A word change as the distinct-changes table groups it: kind, from, to, confidence.
type WordChange<'a> = (&'a str, &'a str, Option<&'a str>, Option<Confidence>);

/// Distinct spin restorations and suspected ones, with counts, most frequent first.
fn distinct_changes(report: &Report) -> String {
    let restored = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::SpunWordRestored)
        .map(|c| {
            (
                "spun_word_restored",
                c.from.as_str(),
                c.to.as_deref(),
                c.confidence,
            )
        });
    let suspected = report
        .suspects
        .iter()
        .filter(|s| s.kind == ChangeKind::SpunWordRestored)
        .map(|s| ("suspect", s.text.as_str(), s.to.as_deref(), s.confidence));
    let mut counts: Vec<(WordChange, usize)> = Vec::new();
    for entry in restored.chain(suspected) {
        match counts.iter_mut().find(|(e, _)| *e == entry) {
            Some((_, n)) => *n += 1,
            None => counts.push((entry, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let mut out = String::new();
    for ((kind, from, to, confidence), n) in counts {
        let confidence = confidence.map_or("none", Confidence::name);
        let _ = write!(
            out,
            "<tr data-kind=\"{kind}\" data-confidence=\"{confidence}\"><td>"
        );
        escape(&mut out, from);
        out.push_str("</td><td>");
        escape(&mut out, to.unwrap_or(""));
        let label = if kind == "suspect" {
            SUSPECT_LABEL
        } else {
            ChangeKind::SpunWordRestored.label()
        };
        let _ = write!(
            out,
            "</td><td>{n}</td><td>{confidence}</td><td>{label}</td></tr>"
        );
    }
    out
}

/// The whole review page for the outcomes of one `verbatim clean` run.
pub fn page(files: &[FileOutcome]) -> String {
    let template = include_str!("data/review.html");
    let mut articles = String::new();
    let mut total = 0;
    for (index, file) in files.iter().enumerate() {
        let Ok(done) = &file.result else { continue };
        let Some((before, after)) = &done.texts else {
            continue;
        };
        total += 1;
        let lang = if after.chars().any(crate::text::is_cjk) {
            "zh-Hans"
        } else {
            "en"
        };
        let _ = write!(articles, "<article id=\"a{index}\" lang=\"{lang}\"><h2>");
        escape(&mut articles, &done.title);
        articles.push_str("</h2><p class=\"src\">");
        escape(&mut articles, &file.input.display().to_string());
        articles.push_str(" → ");
        escape(&mut articles, &file.output.display().to_string());
        articles.push_str("<br>");
        escape(&mut articles, &done.report.summary());
        let _ = write!(
            articles,
            "; spin score {:.2}{}</p>",
            done.report.spin_score,
            if done.report.despun { " (despun)" } else { "" }
        );
        let table = distinct_changes(&done.report);
        if !table.is_empty() {
            articles.push_str(
                "<details class=\"distinct\"><summary>Distinct word changes</summary><table><thead><tr>\
                 <th>on the page</th><th>restored / suggested</th><th>times</th><th>confidence</th><th>kind</th>\
                 </tr></thead><tbody>",
            );
            articles.push_str(&table);
            articles.push_str("</tbody></table></details>");
        }
        articles.push_str("<div class=\"text\">");
        articles.push_str(&article_text(before, after, &done.report));
        articles.push_str("</div>");
        let removed = removed_blocks(&done.report);
        if !removed.is_empty() {
            articles.push_str(
                "<details class=\"removed\"><summary>Blocks that left the body</summary><ul>",
            );
            articles.push_str(&removed);
            articles.push_str("</ul></details>");
        }
        articles.push_str("</article>");
    }
    let failed: String = files
        .iter()
        .filter_map(|f| f.result.as_ref().err())
        .map(|message| {
            let mut li = String::from("<li>");
            escape(&mut li, &message.to_string());
            li.push_str("</li>");
            li
        })
        .collect();
    template
        .replace("{{COUNT}}", &total.to_string())
        .replace("{{FAILED}}", &failed)
        .replace("{{ARTICLES}}", &articles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::report::Weighed;

    fn spun_report() -> Report {
        let mut report = Report::default();
        report.weighed(
            ChangeKind::SpunWordRestored,
            1,
            Weighed {
                from: "模子".into(),
                to: "模型".into(),
                reason: "table pair".into(),
                confidence: Confidence::High,
            },
            true,
        );
        report.weighed(
            ChangeKind::SpunWordRestored,
            1,
            Weighed {
                from: "磨练".into(),
                to: "训练".into(),
                reason: "rare word".into(),
                confidence: Confidence::Middle,
            },
            false,
        );
        report.push(ChangeKind::BrandRemoved, 1, "金鲤娱乐");
        report
    }

    #[test]
    fn a_restoration_is_shown_as_the_whole_word() {
        let report = spun_report();
        let found = segments("大模子金鲤娱乐的磨练", "大模型的磨练", &report);
        assert_eq!(found[0], Segment::Same("大".into()));
        assert!(
            matches!(&found[1], Segment::Changed { before, after, change: Some(c) }
                if before == "模子" && after == "模型" && c.kind == ChangeKind::SpunWordRestored),
            "{found:?}"
        );
        assert!(
            matches!(&found[2], Segment::Changed { before, after, change: Some(c) }
                if before == "金鲤娱乐" && after.is_empty() && c.kind == ChangeKind::BrandRemoved),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|s| matches!(s, Segment::Suspect(c) if c.text == "磨练"))
        );
    }

    #[test]
    fn a_word_the_diff_splits_is_shown_whole() {
        let mut report = Report::default();
        report.replace(ChangeKind::SpunWordRestored, 1, "墟市", "市场");
        let found = segments("墟市需求很大", "市场需求很大", &report);
        assert!(
            matches!(&found[0], Segment::Changed { before, after, change: Some(_) }
                if before == "墟市" && after == "市场"),
            "{found:?}"
        );
    }

    #[test]
    fn the_text_marks_carry_kind_confidence_and_reason_escaped() {
        let report = spun_report();
        let html = article_text("大模子<b>的磨练", "大模型<b>的磨练", &report);
        assert!(html.contains("data-kind=\"spun_word_restored\" data-label=\"spun word restored\" data-confidence=\"high\""), "{html}");
        assert!(html.contains("<del>模子</del><ins>模型</ins>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(
            html.contains(
                "data-kind=\"suspect\" data-label=\"suspect (kept)\" data-confidence=\"middle\""
            ),
            "{html}"
        );
        assert!(html.contains("table pair"), "{html}");
    }
}
