//! The review page (`verbatim clean --review review.html`): one self-contained HTML
//! file showing each article's text with every change in place — removed text struck
//! through, the replacement beside it, coloured by confidence, the reason on hover or
//! keyboard focus — plus suspects the editor should look at, the blocks that left the
//! body, and a table of distinct changes with counts so a recurring swap is judged
//! once. The page shell, styles, script and labels are in `data/review.html`.

use std::fmt::Write as _;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::FileOutcome;
use super::report::{Change, ChangeKind, Confidence, Report};

/// One stretch of an article's text: unchanged, changed, or a kept suspect.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'r> {
    Same(String),
    Changed {
        before: String,
        after: String,
        change: Option<&'r Change>,
    },
    Suspect(&'r Change),
}

/// Whether a change kind edits text inside the body (and so shows in the diff).
fn inline(kind: ChangeKind) -> bool {
    !matches!(
        kind,
        ChangeKind::ChromeRemoved
            | ChangeKind::MetadataTaken
            | ChangeKind::SpeakerLabelled
            | ChangeKind::SpunWordSuspect
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
        if let Segment::Changed { before, after, change: None } = &out[i]
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
    for i in 0..out.len() {
        let Segment::Changed { before, after, change: None } = &out[i] else {
            continue;
        };
        let found = report.changes.iter().enumerate().find(|(k, c)| {
            !used[*k]
                && inline(c.kind)
                && c.from.contains(before.as_str())
                && c.to.as_deref().unwrap_or("").contains(after.as_str())
        });
        let Some((k, change)) = found else { continue };
        used[k] = true;
        widen(&mut out, i, change);
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
            Segment::Suspect(c) => c.from.as_str(),
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
                Segment::Changed { before, after, change } => {
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
    let mut suspects = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::SpunWordSuspect)
        .peekable();
    let mut out = Vec::with_capacity(segments.len());
    for segment in segments {
        let Segment::Same(mut text) = segment else {
            out.push(segment);
            continue;
        };
        while let Some(suspect) = suspects.peek() {
            let Some(at) = text.find(suspect.from.as_str()).filter(|_| !suspect.from.is_empty())
            else {
                break;
            };
            let rest = text.split_off(at + suspect.from.len());
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

/// The `data-` attributes and tooltip of a change mark.
fn mark_open(out: &mut String, kind: ChangeKind, confidence: Option<Confidence>, note: &str) {
    let confidence = confidence.map_or("none", Confidence::name);
    let _ = write!(
        out,
        "<span class=\"chg\" tabindex=\"0\" data-kind=\"{}\" data-confidence=\"{confidence}\"",
        kind_name(kind)
    );
    out.push_str(" title=\"");
    escape(out, note);
    out.push_str("\">");
}

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
                let (kind, confidence) = change.map_or(
                    (ChangeKind::PunctuationNormalised, None),
                    |c| (c.kind, c.confidence),
                );
                let note = match change {
                    Some(c) => c
                        .note
                        .clone()
                        .unwrap_or_else(|| kind.label().to_string()),
                    None if before.chars().chain(after.chars()).all(|c| !c.is_alphanumeric()) => {
                        kind.label().to_string()
                    }
                    None => "changed by formatting".to_string(),
                };
                let note = format!("{}: {note}", kind.label());
                mark_open(&mut out, kind, confidence, &note);
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
            Segment::Suspect(change) => {
                let note = format!(
                    "{}: `{}` may be `{}` — {}",
                    change.kind.label(),
                    change.from,
                    change.to.as_deref().unwrap_or(""),
                    change.note.as_deref().unwrap_or("")
                );
                mark_open(&mut out, change.kind, change.confidence, &note);
                out.push_str("<mark>");
                escape(&mut out, &change.from);
                out.push_str("</mark><span class=\"alt\">");
                escape(&mut out, change.to.as_deref().unwrap_or(""));
                out.push_str("?</span>");
                why(&mut out, &note);
            }
        }
    }
    out
}

/// The list of blocks that left the body (chrome, metadata) for one article.
fn removed_blocks(report: &Report) -> String {
    let mut out = String::new();
    for change in report.changes.iter().filter(|c| !inline(c.kind) && c.kind != ChangeKind::SpunWordSuspect) {
        let note = change.note.as_deref().unwrap_or(change.kind.label());
        out.push_str("<li>");
        mark_open(&mut out, change.kind, change.confidence, note);
        out.push_str("<del>");
        escape(&mut out, &change.from);
        out.push_str("</del>");
        why(&mut out, &format!("{}: {note}", change.kind.label()));
        out.push_str("</li>");
    }
    out
}

/// Distinct word changes (restorations and suspects) with counts, most frequent first.
fn distinct_changes(report: &Report) -> String {
    let mut counts: Vec<(&Change, usize)> = Vec::new();
    for change in report
        .changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::SpunWordRestored | ChangeKind::SpunWordSuspect))
    {
        match counts.iter_mut().find(|(c, _)| {
            c.kind == change.kind && c.from == change.from && c.to == change.to
        }) {
            Some((_, n)) => *n += 1,
            None => counts.push((change, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    let mut out = String::new();
    for (change, n) in counts {
        let confidence = change.confidence.map_or("none", Confidence::name);
        let _ = write!(
            out,
            "<tr data-kind=\"{}\" data-confidence=\"{confidence}\"><td>",
            kind_name(change.kind)
        );
        escape(&mut out, &change.from);
        out.push_str("</td><td>");
        escape(&mut out, change.to.as_deref().unwrap_or(""));
        let _ = write!(out, "</td><td>{n}</td><td>{confidence}</td><td>");
        escape(&mut out, change.kind.label());
        out.push_str("</td></tr>");
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
        let lang = if after.chars().any(crate::text::is_cjk) { "zh-Hans" } else { "en" };
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
            articles.push_str("<details class=\"removed\"><summary>Blocks that left the body</summary><ul>");
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
            escape(&mut li, message);
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
        );
        report.weighed(
            ChangeKind::SpunWordSuspect,
            1,
            Weighed {
                from: "磨练".into(),
                to: "训练".into(),
                reason: "rare word".into(),
                confidence: Confidence::Middle,
            },
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
        assert!(found.iter().any(|s| matches!(s, Segment::Suspect(c) if c.from == "磨练")));
    }

    #[test]
    fn the_text_marks_carry_kind_confidence_and_reason_escaped() {
        let report = spun_report();
        let html = article_text("大模子<b>的磨练", "大模型<b>的磨练", &report);
        assert!(html.contains("data-kind=\"spun_word_restored\" data-confidence=\"high\""), "{html}");
        assert!(html.contains("<del>模子</del><ins>模型</ins>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(html.contains("data-kind=\"spun_word_suspect\" data-confidence=\"middle\""), "{html}");
        assert!(html.contains("table pair"), "{html}");
    }
}
