//! Pass 7, format: blocks → Markdown body. Q&A turns get bold speaker labels, half-width
//! `,:;?!()` next to CJK text become full width, and the original publisher's rights
//! notice is kept as the last paragraph.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use regex::Regex;

use super::Lang;
use super::extract::{Block, BlockKind};
use super::report::{ChangeKind, Report};
use crate::text::is_cjk;

/// Labels that mark a turn whatever the page, in both scripts (`问`, `記者`, `Q`,
/// `Interviewer`).
const FIXED_LABELS: &[&str] = &[
    "问",
    "問",
    "答",
    "记者",
    "記者",
    "主持人",
    "编者",
    "編者",
    "Q",
    "A",
    "Interviewer",
    "Host",
];

/// Whether `label` marks a turn whatever the page: a fixed label, or a question's
/// label with its number (`提问1`, `问题12`).
fn is_fixed_label(label: &str) -> bool {
    let unnumbered = label.trim_end_matches(|c: char| c.is_ascii_digit());
    FIXED_LABELS.contains(&label)
        || unnumbered.len() < label.len()
            && label.len() - unnumbered.len() <= 2
            && ["提问", "提問", "问题", "問題", "问", "問"].contains(&unnumbered)
}

/// The labels of notes and fields, never speakers (`data/note-labels.txt`).
fn is_note_label(label: &str) -> bool {
    static LABELS: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    LABELS
        .get_or_init(|| super::data_lines(include_str!("data/note-labels.txt")).collect())
        .contains(label)
}

/// Endings that make a label a verb of saying (`他说：`), not a speaker's name.
pub(crate) const SAYING: &[&str] = &[
    "说", "道", "称", "表示", "指出", "认为", "强调", "介绍", "问", "写",
];

fn label_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"^(问|答|记者|主持人|编者|Q|A|Interviewer|Host|(?:提问|提問|问题|問題|问|問)\d{1,2}|[\p{Han}·]{2,4}|\p{Han} \p{Han}|[甲乙丙丁]|\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]+){0,2})\s*[:：]\s*",
        )
        .expect("label pattern compiles")
    })
}

/// The speaker label opening `text` ([`label_pattern`]), if any. Texts that cannot
/// hold one are not asked of the pattern: a label ends in a colon, the first of the
/// text; one that does not open with a capital letter is one to four Han characters
/// (or `·`), so the colon comes right after them and some space; before the colon of
/// any other only letters, Han characters, spaces and `·.'-` stand.
fn speaker_label(text: &str) -> Option<SpeakerLabel<'_>> {
    let first = text.chars().next()?;
    let plausible = if first.is_uppercase() {
        let colon = text.find([':', '：'])?;
        if text[..colon].contains(", ") {
            return transcript_label(text, colon);
        }
        // The Han characters that are no letters: radicals and a few marks.
        let han_symbol = |c: char| matches!(c, '\u{2e80}'..='\u{2fdf}' | '\u{16fe0}'..='\u{16fff}');
        text[..colon].chars().all(|c| {
            c.is_whitespace()
                || matches!(c, '·' | '.' | '\'' | '-')
                || c.is_alphabetic()
                || han_symbol(c)
        })
    } else {
        let is_colon = |c: char| matches!(c, ':' | '：');
        let mut chars = text.chars().peekable();
        let mut label = 0;
        while chars
            .next_if(|&c| !c.is_whitespace() && !is_colon(c))
            .is_some()
            && label < 5
        {
            label += 1;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        // A two-character name spaced to a three-character width (`杨 春：`).
        if label == 1 && chars.next_if(|c| super::junk::is_han(*c)).is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
        }
        (1..=4).contains(&label) && chars.next().is_some_and(is_colon)
    };
    if !plausible {
        return None;
    }
    // The label is the match up to its colon, less the space before it: neither the
    // label nor that space holds a colon, and no label ends in space. A plain match
    // is cheaper than a capture search.
    let end = label_pattern().find(text)?.end();
    let colon = text[..end].find([':', '：'])?;
    Some(SpeakerLabel {
        label: text[..colon].trim_end(),
        role: "",
        end,
    })
}

/// A broadcast transcript's label with the speaker's role, all in capitals
/// (`FREDRICKA WHITFIELD, CNN ANCHOR:`, `SARAH AUSTIN, "SELF":`): one to four words of
/// name, a comma, and a role of at most sixty characters, before the text's first
/// colon (at byte `colon`).
fn transcript_label(text: &str, colon: usize) -> Option<SpeakerLabel<'_>> {
    if colon > MAX_TRANSCRIPT_LABEL || !text[colon..].starts_with(':') {
        return None;
    }
    let (name, role) = text[..colon].split_once(", ")?;
    let capital_word = |word: &str| {
        word.chars().next().is_some_and(char::is_uppercase)
            && word
                .chars()
                .all(|c| c.is_uppercase() || matches!(c, '.' | '\'' | '-'))
    };
    let words = name.split(' ').count();
    let named = (1..=4).contains(&words) && name.split(' ').all(capital_word);
    let role_ok = role.len() <= 60
        && role.chars().any(char::is_alphabetic)
        && !role.chars().any(|c| c.is_lowercase() || c == ',');
    (named && role_ok).then(|| SpeakerLabel {
        label: name,
        role,
        end: colon + 1 + text[colon + 1..].len() - text[colon + 1..].trim_start().len(),
    })
}

/// The longest a transcript label runs before its colon (bytes).
const MAX_TRANSCRIPT_LABEL: usize = 100;

/// A speaker label opening a text (`林知远：`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct SpeakerLabel<'t> {
    /// The speaker's name or the fixed label.
    label: &'t str,
    /// The speaker's role after the name, in a transcript's label (`CNN ANCHOR`), or
    /// nothing.
    role: &'t str,
    /// Where the label, its colon and the space after end (bytes).
    end: usize,
}

/// Whether a transcript label's role is the programme's own staff, who ask.
fn is_staff_role(role: &str) -> bool {
    const STAFF: &[&str] = &[
        "ANCHOR",
        "HOST",
        "CORRESPONDENT",
        "REPORTER",
        "MODERATOR",
        "INTERVIEWER",
    ];
    STAFF.iter().any(|s| role.contains(s))
}

/// The rights notice opening `text` ([`rights_pattern`]), if any.
fn rights_captures(text: &str) -> Option<regex::Captures<'_>> {
    may_open_with_rights(text)
        .then(|| rights_pattern().captures(text))
        .flatten()
}

/// Whether `text` may match [`rights_pattern`]: a notice opens, after at most two digits
/// and some space, with one of the few characters its phrases start with, so other
/// texts are not asked of the pattern.
fn may_open_with_rights(text: &str) -> bool {
    let mut rest = text;
    for _ in 0..2 {
        // `is_numeric` holds for every `\d` of the pattern (and a few more).
        match rest.chars().next() {
            Some(c) if c.is_numeric() => rest = &rest[c.len_utf8()..],
            _ => break,
        }
    }
    let opening = rest.trim_start().chars().next();
    matches!(opening, Some('未' | '版' | '本' | 'a' | 'A' | 't' | 'T'))
}

fn rights_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"^(\d{0,2})\s*(未经.{0,30}(?:授权|许可|同意)|版权声明|本文(?:系|为).{0,20}(?:原创|独家)|(?i:all rights reserved|this (?:interview|article) (?:first|originally) (?:appeared|ran|was published)))",
        )
        .expect("rights pattern compiles")
    })
}

/// The speaker names used as labels at the start of two or more blocks, or of one
/// that answers an interviewer's question (interviewees), save one whose every turn
/// asks a question while another speaker's does not (an interviewer named by their
/// paper: `南都娱乐：…吗？`) and a transcript's anchor or host. A transcript's name in
/// capitals is given as written in prose (`SARAH AUSTIN` → `Sarah Austin`).
pub fn speakers(blocks: &[Block]) -> Vec<String> {
    let labels: Vec<Option<SpeakerLabel>> = blocks.iter().map(|b| speaker_label(&b.text)).collect();
    let named = speakers_labelled(blocks, &labels);
    let answered = named.iter().any(|s| !s.only_asks);
    named
        .into_iter()
        .filter(|s| !(s.staff || answered && s.only_asks))
        .filter(|s| !is_own_staff(s.name, blocks))
        .filter(|s| !greets_the_audience(s.name, blocks, &labels))
        .map(|s| {
            // A transcript's full name in capitals; not initials (`MJ`), not Chinese.
            let in_capitals = s.name.contains(' ')
                && s.name.chars().any(|c| c.is_ascii_uppercase())
                && !s.name.chars().any(char::is_lowercase);
            if in_capitals {
                in_prose_case(s.name)
            } else {
                s.name.to_string()
            }
        })
        .collect()
}

/// A name written in capitals, as prose writes it: `DR. TODD COOPERMAN` → `Dr. Todd
/// Cooperman`, `O'NEIL` → `O'Neil`.
fn in_prose_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut word_start = true;
    for c in name.chars() {
        if word_start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        word_start = !c.is_alphabetic();
    }
    out
}

/// Whether the speaker's first turn welcomes the audience to the programme
/// (`欢迎收看今天的《某某》`): the host, not a guest.
fn greets_the_audience(name: &str, blocks: &[Block], labels: &[Option<SpeakerLabel>]) -> bool {
    const WELCOMES: &[&str] = &[
        "欢迎收看",
        "歡迎收看",
        "欢迎收听",
        "歡迎收聽",
        "欢迎来到",
        "歡迎來到",
        "欢迎走进",
        "歡迎走進",
    ];
    blocks
        .iter()
        .zip(labels)
        .find(|(_, label)| label.is_some_and(|l| l.label == name))
        .is_some_and(|(block, _)| WELCOMES.iter().any(|w| block.text.contains(w)))
}

/// Whether the text names `name` as one of the publisher's own hosts or reporters
/// (`本網女主播辛梓`, `本报记者林某`): they ask, they are not interviewed. A host named
/// otherwise (`知名主持人某某`) may well be the interviewee.
fn is_own_staff(name: &str, blocks: &[Block]) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let role_before = PATTERN.get_or_init(|| {
        Regex::new(
            r"(?:本网|本網|本台|本报|本報|本刊)\p{Han}{0,2}(?:主持人|主播|记者|記者|编辑|編輯)\s*$",
        )
        .expect("staff pattern compiles")
    });
    blocks.iter().any(|b| {
        b.text.match_indices(name).any(|(at, _)| {
            // The role and the words before it fit in a dozen characters.
            let mut from = at.saturating_sub(36);
            while !b.text.is_char_boundary(from) {
                from += 1;
            }
            role_before.is_match(&b.text[from..at])
        })
    })
}

/// A name used as a label at the start of two or more blocks, or of one that answers
/// an interviewer's question.
struct Speaker<'b> {
    /// The speaker's fullest label (`FREDRICKA WHITFIELD` over `WHITFIELD`).
    name: &'b str,
    /// Every label the speaker's turns open with.
    labels: Vec<&'b str>,
    /// Whether every one of its turns asks a question.
    only_asks: bool,
    /// Whether a transcript label names the speaker the programme's anchor or host.
    staff: bool,
}

/// Each label's speaker: a transcript names a speaker in full once (`SARAH AUSTIN,
/// "SELF":`) and by surname after (`AUSTIN:`), so a one-word label that ends exactly
/// one longer label of the page is that speaker.
fn speaker_of<'b>(labels: &[Option<SpeakerLabel<'b>>]) -> FxHashMap<&'b str, &'b str> {
    let full: FxHashSet<&str> = labels
        .iter()
        .flatten()
        .map(|l| l.label)
        .filter(|l| l.contains(' '))
        .collect();
    let mut speaker: FxHashMap<&str, &str> = FxHashMap::default();
    for label in labels.iter().flatten().map(|l| l.label) {
        if label.contains(' ') || speaker.contains_key(label) {
            continue;
        }
        let mut longer = full.iter().filter(|f| f.rsplit(' ').next() == Some(label));
        if let (Some(&only), None) = (longer.next(), longer.next()) {
            speaker.insert(label, only);
        }
    }
    speaker
}

/// The speakers of `blocks`, given each block's label ([`speaker_label`]), in order of
/// their first turn.
fn speakers_labelled<'b>(
    blocks: &'b [Block],
    labels: &[Option<SpeakerLabel<'b>>],
) -> Vec<Speaker<'b>> {
    let speaker_of = speaker_of(labels);
    // Per speaker: its turns, how many of them ask a question, and whether a role
    // names it staff.
    let mut counts: FxHashMap<&str, (usize, usize, bool)> = FxHashMap::default();
    let mut order: Vec<&str> = Vec::new();
    // Speakers that answer a turn a fixed label took right before (`記者：…？`).
    let mut answering: FxHashSet<&str> = FxHashSet::default();
    let mut interviewer_turned = false;
    for (block, found) in blocks.iter().zip(labels) {
        let Some(SpeakerLabel { label, role, end }) = *found else {
            interviewer_turned = false;
            continue;
        };
        if end >= block.text.len() {
            interviewer_turned = false;
            continue;
        }
        let name = speaker_of.get(label).copied().unwrap_or(label);
        if !counts.contains_key(name) {
            order.push(name);
        }
        let asks = block.text.contains(['？', '?']);
        if interviewer_turned {
            answering.insert(name);
        }
        // The interviewer's turn, a question or not (`记者：…我们不妨从头谈起。`).
        interviewer_turned = is_fixed_label(label) && !matches!(label, "答" | "A");
        let count = counts.entry(name).or_insert((0, 0, false));
        count.0 += 1;
        count.1 += usize::from(asks);
        count.2 |= is_staff_role(role);
    }
    order
        .into_iter()
        .filter(|l| (counts[l].0 >= 2 || answering.contains(l)) && !is_fixed_label(l))
        .filter(|l| !SAYING.iter().any(|s| l.ends_with(s)) && !is_note_label(l))
        .map(|name| {
            let mut labels = vec![name];
            labels.extend(
                speaker_of
                    .iter()
                    .filter(|(_, full)| **full == name)
                    .map(|(short, _)| *short),
            );
            Speaker {
                name,
                labels,
                only_asks: counts[name].0 == counts[name].1,
                staff: counts[name].2,
            }
        })
        .collect()
}

/// Writes the body blocks as Markdown.
pub fn to_markdown(blocks: &[Block], lang: Lang, fullwidth: bool, report: &mut Report) -> String {
    // Each block's label, found once: for the speakers, and for the block itself unless
    // its text changes on the way.
    let labels: Vec<Option<SpeakerLabel>> = blocks.iter().map(|b| speaker_label(&b.text)).collect();
    let names: Vec<String> = speakers_labelled(blocks, &labels)
        .into_iter()
        .flat_map(|s| s.labels)
        .map(str::to_string)
        .collect();
    let mut paragraphs: Vec<String> = Vec::new();
    let mut rights: Vec<String> = Vec::new();
    let mut table: Vec<String> = Vec::new();
    for (block, &block_label) in blocks.iter().zip(&labels) {
        let mut text = block.text.clone();
        if lang == Lang::Zh && fullwidth && block.kind != BlockKind::Preformatted {
            text = fullwidth_punctuation(&text, block.number, report);
        }
        if block.kind == BlockKind::TableRow {
            table.push(text);
            continue;
        }
        if !table.is_empty() {
            paragraphs.push(markdown_table(&std::mem::take(&mut table)));
        }
        if let Some(c) = rights_captures(&text) {
            let stray = c.get(1).map_or("", |m| m.as_str());
            if !stray.is_empty() {
                report.push_noted(
                    ChangeKind::ChromeRemoved,
                    block.number,
                    stray,
                    "stray number before the rights notice",
                );
                text = text[stray.len()..].trim_start().to_string();
            }
            rights.push(escape(&text));
            continue;
        }
        paragraphs.push(match block.kind {
            BlockKind::Heading(level) => {
                let hashes = usize::from(level.max(2));
                let mut heading = String::with_capacity(hashes + 1 + text.len());
                heading.extend(std::iter::repeat_n('#', hashes));
                heading.push(' ');
                escape_into(&mut heading, &text);
                heading
            }
            BlockKind::ListItem => escaped_after("- ", &text),
            BlockKind::Quote => escaped_after("> ", &text),
            BlockKind::Preformatted => format!("```\n{}\n```", text.replace("```", "` ` `")),
            BlockKind::Paragraph | BlockKind::TableRow => {
                let label = if text == block.text {
                    block_label
                } else {
                    speaker_label(&text)
                };
                labelled(&text, label, &names, lang, block.number, report)
            }
        });
    }
    if !table.is_empty() {
        paragraphs.push(markdown_table(&table));
    }
    paragraphs.extend(rights);
    let mut body = paragraphs.join("\n\n");
    body.push('\n');
    body
}

/// `问：…` → `**问：**…`, `Q: …` → `**Q:** …`, for fixed labels and the page's speakers.
/// `label` is the text's own ([`speaker_label`]).
fn labelled(
    text: &str,
    label: Option<SpeakerLabel>,
    names: &[String],
    lang: Lang,
    block: usize,
    report: &mut Report,
) -> String {
    if let Some(SpeakerLabel { label, role, end }) = label
        && end < text.len()
        && (is_fixed_label(label) || names.iter().any(|n| n == label))
    {
        let rest = &text[end..];
        report.push(ChangeKind::SpeakerLabelled, block, label);
        let cjk_label = label.chars().any(is_cjk);
        let mut out = String::with_capacity(text.len() + 8);
        out.push_str("**");
        escape_into(&mut out, label);
        if !role.is_empty() {
            out.push_str(", ");
            escape_into(&mut out, role);
        }
        out.push_str(if lang == Lang::Zh && cjk_label {
            "：**"
        } else {
            ":** "
        });
        escape_into(&mut out, rest);
        return out;
    }
    escape(text)
}

fn markdown_table(rows: &[String]) -> String {
    let cells = |row: &str| -> Vec<String> { row.split(" | ").map(escape).collect() };
    let header = cells(&rows[0]);
    let mut lines = vec![
        format!("| {} |", header.join(" | ")),
        format!("|{}|", vec![" --- "; header.len()].join("|")),
    ];
    for row in &rows[1..] {
        lines.push(format!("| {} |", cells(row).join(" | ")));
    }
    lines.join("\n")
}

/// Escapes what Markdown would read as markup, so page text stays text. An underscore
/// inside a word (`snake_case`, `Writer_Name`) never marks emphasis and stays as it is.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// `prefix` followed by `text` escaped ([`escape`]), in one string sized for both.
fn escaped_after(prefix: &str, text: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + text.len() + 8);
    out.push_str(prefix);
    escape_into(&mut out, text);
    out
}

/// Appends `text` escaped ([`escape`]) to `out`.
fn escape_into(out: &mut String, text: &str) {
    let start = out.len();
    // Most paragraphs hold no markup character: copied as they are.
    let plain = !crate::text::has_byte(text.as_bytes(), |b| {
        matches!(b, b'\\' | b'*' | b'`' | b'[' | b']' | b'<' | b'_')
    }) && !text.starts_with(['#', '>', '-', '+', '=']);
    if plain {
        out.push_str(text);
        if let Some(dot) = ordered_list_dot(&out[start..]) {
            out.insert(start + dot, '\\');
        }
        return;
    }
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // Only an underscore asks about its neighbours (a Unicode table lookup each).
        let mut inside_word = || {
            let next = chars.peek().map(|(_, n)| *n);
            previous.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)
        };
        let markup = matches!(c, '\\' | '*' | '`' | '[' | ']' | '<')
            || (c == '_' && !inside_word())
            || (i == 0 && matches!(c, '#' | '>' | '-' | '+' | '='));
        previous = Some(c);
        if markup {
            out.push('\\');
        }
        out.push(c);
    }
    if let Some(dot) = ordered_list_dot(&out[start..]) {
        out.insert(start + dot, '\\');
    }
}

/// `1. text` at the start reads as a list; the position of its dot.
fn ordered_list_dot(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && text[digits..].starts_with(". ")).then_some(digits)
}

/// A CJK character of a word: an ideograph or kana, not a CJK punctuation mark.
fn is_cjk_word(c: char) -> bool {
    is_cjk(c) && c.is_alphanumeric()
}

fn cjk_side(c: Option<char>) -> bool {
    c.is_some_and(|c| is_cjk(c) || matches!(c, '“' | '”' | '‘' | '’'))
}

/// Half-width `,:;?!()` touching CJK text → full width, and `.` between two Chinese
/// words → `。`; each mark is recorded. A full-width mark carries its own space, so
/// the spaces a half-width one had around it (`交流, 而`) go with it.
pub fn fullwidth_punctuation(text: &str, block: usize, report: &mut Report) -> String {
    // Most Chinese paragraphs hold no half-width mark at all: nothing to look at.
    if !crate::text::has_byte(text.as_bytes(), |b| {
        matches!(b, b',' | b':' | b';' | b'?' | b'!' | b'(' | b')' | b'.')
    }) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut opened: Vec<bool> = Vec::new();
    let mut skip_spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if skip_spaces && c == ' ' {
            continue;
        }
        skip_spaces = false;
        let prev = out.chars().next_back();
        let next = chars.get(i + 1).copied();
        let wide = match c {
            ',' | ';' | '?' | '!' if cjk_side(prev) || cjk_side(next) => Some(full(c)),
            ':' if cjk_side(prev) && next != Some('/') => Some('：'),
            // A full stop only between two Chinese words (not beside a CJK mark):
            // elsewhere a dot is a decimal point, an abbreviation or part of an address.
            '.' if prev.is_some_and(is_cjk_word)
                && chars[i + 1..]
                    .iter()
                    .find(|&&c| c != ' ')
                    .is_some_and(|&c| is_cjk_word(c)) =>
            {
                Some('。')
            }
            '(' => {
                let convert = cjk_side(prev) || cjk_side(next);
                opened.push(convert);
                convert.then_some('（')
            }
            ')' => {
                let convert = opened.pop().unwrap_or_else(|| cjk_side(prev));
                convert.then_some('）')
            }
            _ => None,
        };
        match wide {
            Some(w) => {
                let before = out.len() - out.trim_end_matches(' ').len();
                out.truncate(out.len() - before);
                let after = chars[i + 1..].iter().take_while(|&&c| c == ' ').count();
                skip_spaces = after > 0;
                let from = format!("{}{c}{}", " ".repeat(before), " ".repeat(after));
                report.replace(
                    ChangeKind::PunctuationNormalised,
                    block,
                    from,
                    w.to_string(),
                );
                out.push(w);
            }
            None => out.push(c),
        }
    }
    out
}

fn full(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(number: usize, text: &str) -> Block {
        Block {
            number,
            kind: BlockKind::Paragraph,
            text: text.to_string(),
            link_density: 0.0,
            chrome_hint: false,
            boilerplate: false,
        }
    }

    #[test]
    fn punctuation_between_cjk_becomes_full_width() {
        let mut report = Report::default();
        let out = fullwidth_punctuation(
            "他说:定律(Scaling Laws),很重要?见 https://example.org, ok (yes).",
            1,
            &mut report,
        );
        assert_eq!(
            out,
            "他说：定律（Scaling Laws），很重要？见 https://example.org, ok (yes)."
        );
        assert_eq!(report.count(ChangeKind::PunctuationNormalised), 5);
    }

    #[test]
    fn a_widened_mark_takes_its_spaces_and_a_dot_between_words_ends_a_sentence() {
        let mut report = Report::default();
        let out = fullwidth_punctuation(
            "作出真诚交流, 而且 (据说) 很好? 见 x, y. 晕开了. 我们等.每次 3.5 版 Mr. 李」. 好",
            1,
            &mut report,
        );
        assert_eq!(
            out,
            "作出真诚交流，而且（据说）很好？见 x, y. 晕开了。我们等。每次 3.5 版 Mr. 李」. 好"
        );
        assert_eq!(report.count(ChangeKind::PunctuationNormalised), 6);
    }

    #[test]
    fn the_label_precheck_passes_every_label_the_pattern_finds() {
        for text in [
            "问：好的",
            "林知远：我们",
            "Q: How did it start?",
            "Mary-Ann O'Neil Smith: yes",
            "记者 ：是",
            "⺈⺈：部首",
            "他说，然后：不",
            "2024：年",
            "A:b",
            "·林·：x",
            "五个字名字：多了一个",
            "林知远 \t：空格",
            " 问：开头是空格",
            "问",
            "",
            "Mary Ann Smith :  yes",
            "问 ：\t好",
            "Host:",
            "M:歡迎返嚟",
            "甲：我係記者甲",
            "林：单字",
            "提问1:除了运动",
            "问题12：还有",
            "杨 春：知道这个还行",
            "杨 春 ：空格",
            "杨 春天：不是",
            "他 说：不",
        ] {
            let expected = label_pattern().captures(text).map(|c| SpeakerLabel {
                label: c.get(1).map_or("", |m| m.as_str()),
                role: "",
                end: c.get(0).map_or(0, |m| m.end()),
            });
            assert_eq!(speaker_label(text), expected, "{text}");
        }
    }

    /// Paragraphs numbered from 1.
    fn numbered(texts: &[&str]) -> Vec<Block> {
        (1..).zip(texts).map(|(n, t)| paragraph(n, t)).collect()
    }

    fn speakers_of(texts: &[&str]) -> Vec<String> {
        speakers(&numbered(texts))
    }

    #[test]
    fn qa_turns_get_bold_labels() {
        let blocks = [
            paragraph(1, "问：您为什么回到家乡？"),
            paragraph(2, "林知远：因为河流。"),
            paragraph(3, "林知远：也因为父亲。"),
            paragraph(4, "他说：这很好。"),
        ];
        let mut report = Report::default();
        let body = to_markdown(&blocks, Lang::Zh, true, &mut report);
        assert_eq!(
            body,
            "**问：**您为什么回到家乡？\n\n**林知远：**因为河流。\n\n**林知远：**也因为父亲。\n\n他说：这很好。\n"
        );
        assert_eq!(speakers(&blocks), ["林知远"]);
        // The traditional script's fixed labels too, however often they occur.
        let mut report = Report::default();
        let traditional = [paragraph(1, "記者：您為什麼回到家鄉？")];
        assert_eq!(
            to_markdown(&traditional, Lang::Zh, true, &mut report),
            "**記者：**您為什麼回到家鄉？\n"
        );
        // A paper's name that only asks is the interviewer.
        let turns = [
            "南都娱乐：您为什么接受这次访问？",
            "区永权：因为我们认识很多年了。",
            "南都娱乐：节目什么时候播出？大家都很关心。",
            "区永权：要看公司的安排。",
        ];
        assert_eq!(speakers_of(&turns), ["区永权"]);
        // The publisher's own host asks, whatever her turns say.
        let turns = [
            "本網女主播辛梓和林知遠在演播室",
            "辛梓：各位好，我是辛梓。",
            "林知遠：大家好。",
            "辛梓：您這次來香港多久了？",
            "林知遠：三天。",
        ];
        assert_eq!(speakers_of(&turns), ["林知遠"]);
        // A name used once is a speaker when it answers the interviewer's question; a
        // saying used once (他说：) is not.
        let turns = [
            "記者：您為什麼回到家鄉？",
            "林知遠：因為河流。",
            "記者：還會再走嗎？",
            "陳曉嵐：不會了。",
            "她說：這很好。",
        ];
        assert_eq!(speakers_of(&turns), ["林知遠", "陳曉嵐"]);
        // The interviewer's turn need not ask: a request is answered too.
        let turns = [
            "记者：我们不妨从头谈起，从你如何走上写作之路谈起。",
            "林知远：这个访谈的确是我的第一个访谈。",
            "他说：这很好。",
        ];
        assert_eq!(speakers_of(&turns), ["林知远"]);
        // A transcript's initials and its 甲/乙 are speakers; another single character
        // is no label.
        let turns = [
            "M:歡迎返嚟。",
            "甲：多謝。",
            "M:你點睇？",
            "甲：好難講。",
            "图：资料",
            "图：资料",
        ];
        assert_eq!(speakers_of(&turns), ["M", "甲"]);
        // A note's label opens lines as often as a speaker's, and is none.
        let lines = [
            "注意：写入之前要先打开文件。",
            "林知远：这一步很多人会忘。",
            "注意：关闭之后不能再写。",
            "林知远：所以要检查两遍。",
        ];
        let blocks = numbered(&lines);
        assert_eq!(speakers(&blocks), ["林知远"]);
        let body = to_markdown(&blocks, Lang::Zh, true, &mut Report::default());
        assert!(body.starts_with("注意：写入之前"), "{body}");
    }

    #[test]
    fn a_two_character_name_spaced_wide_is_a_label() {
        let turns = [
            "杨 春：今天我们来到了阿坝。",
            "张浩然：平均每天走三十公里。",
            "杨 春：累不累？",
            "张浩然：不累。",
        ];
        let mut report = Report::default();
        let body = to_markdown(&numbered(&turns), Lang::Zh, true, &mut report);
        assert!(body.starts_with("**杨 春：**今天"), "{body}");
        assert_eq!(speakers_of(&turns), ["杨 春", "张浩然"]);
        // A host who welcomes the audience asks; the guest is interviewed.
        let turns = [
            "杨 春：欢迎收看今天的节目，我们来到了阿坝。",
            "张浩然：平均每天走三十公里。",
            "杨 春：累不累？",
            "张浩然：不累。",
        ];
        assert_eq!(speakers_of(&turns), ["张浩然"]);
    }

    #[test]
    fn numbered_questions_are_fixed_labels() {
        let turns = [
            "提问1:除了跑步之外，最喜欢的运动是？",
            "林知远:其实是足球。",
            "提问2:为什么？",
            "林知远:因为团队。",
        ];
        let mut report = Report::default();
        let body = to_markdown(&numbered(&turns), Lang::Zh, true, &mut report);
        assert!(body.starts_with("**提问1：**除了跑步之外"), "{body}");
        assert_eq!(speakers_of(&turns), ["林知远"]);
        assert!(!is_fixed_label("提问123"));
        assert!(!is_fixed_label("提问"));
    }

    #[test]
    fn a_transcripts_labels_with_roles_name_one_speaker_each() {
        let turns = [
            "FREDRICKA WHITFIELD, CNN ANCHOR: Joining us, Sarah Austin and Dr. Todd Cooperman.",
            "DR. TODD COOPERMAN, PHARMACYCHECKER.COM: Thanks for having us on.",
            "WHITFIELD: Sarah, let me begin with you. Why?",
            "SARAH AUSTIN, \"SELF\": We took a poll.",
            "WHITFIELD: And the risks?",
            "AUSTIN: Well, we were able to get those very easily.",
            "COOPERMAN: Prices are lower, too.",
            "However, one reader wrote: it was easy.",
        ];
        // The anchor asks; the guests are given as prose writes their names.
        assert_eq!(speakers_of(&turns), ["Dr. Todd Cooperman", "Sarah Austin"]);
        let body = to_markdown(&numbered(&turns), Lang::En, true, &mut Report::default());
        assert!(
            body.starts_with("**FREDRICKA WHITFIELD, CNN ANCHOR:** Joining us"),
            "{body}"
        );
        assert!(body.contains("\n\n**AUSTIN:** Well"), "{body}");
        assert!(
            body.contains("\n\n**SARAH AUSTIN, \"SELF\":** We took"),
            "{body}"
        );
        assert!(
            body.ends_with("\n\nHowever, one reader wrote: it was easy.\n"),
            "{body}"
        );
        // A role is in capitals like the name: a sentence with a comma is no label.
        assert_eq!(speaker_label("JOHN, he said: no"), None);
        assert_eq!(speaker_label("Then, she said: no"), None);
    }

    #[test]
    fn english_labels_keep_a_space() {
        let blocks = [paragraph(1, "Q: Why rivers?"), paragraph(2, "A: Because.")];
        let body = to_markdown(&blocks, Lang::En, true, &mut Report::default());
        assert_eq!(body, "**Q:** Why rivers?\n\n**A:** Because.\n");
    }

    #[test]
    fn rights_notice_goes_last_without_stray_digits() {
        let blocks = [
            paragraph(1, "2未经《南岭晨报》授权，不得转载。"),
            paragraph(2, "正文。"),
        ];
        let mut report = Report::default();
        let body = to_markdown(&blocks, Lang::Zh, true, &mut report);
        assert_eq!(body, "正文。\n\n未经《南岭晨报》授权，不得转载。\n");
        assert_eq!(report.count(ChangeKind::ChromeRemoved), 1);
    }

    #[test]
    fn markup_in_page_text_is_escaped() {
        assert_eq!(
            escape("# not a heading *really* <b>"),
            "\\# not a heading \\*really\\* \\<b>"
        );
        assert_eq!(escape("1. not a list"), "1\\. not a list");
        assert_eq!(
            escape("_lead_ and snake_case, Writer_Kim"),
            "\\_lead\\_ and snake_case, Writer_Kim"
        );
    }
}
