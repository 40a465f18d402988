//! Markdown → HTML: CommonMark with tables, footnotes, strikethrough, task lists and
//! heading attributes; highlighted code; unique heading ids with anchors; a table of
//! contents; the summary; reading time counted separately for CJK and Latin text.

pub mod highlight;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::SlugMode;
use crate::spill::{Parked, SpillError, SpillFile};
use crate::text::{is_cjk, slugify};
pub use highlight::Highlighter;

/// Labels of the asking side in Q&A turns.
const QUESTION_LABELS: &str = include_str!("data/question_labels.txt");

/// The summary marker: everything before it is the summary.
const MORE_MARKER: &str = "<!-- more -->";

/// Marks a bold label the preprocessor lifted out of the text (see [`lift_bold_labels`]).
const LABEL_START: char = '\u{E000}';
const LABEL_END: char = '\u{E001}';

/// The URL schemes a link or image may use; any other (`javascript:`, `vbscript:`,
/// `data:`, `file:`) is neutralised, as goldmark and Hugo do by default.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Inline images may also be raster `data:` URLs, which cannot run script.
const SAFE_DATA_IMAGES: &[&str] = &[
    "data:image/png",
    "data:image/gif",
    "data:image/jpeg",
    "data:image/webp",
];

/// CJK characters read per minute, and Latin words per minute.
const CJK_PER_MINUTE: usize = 400;
const WORDS_PER_MINUTE: usize = 230;

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownOptions {
    /// Pass raw HTML through instead of escaping it.
    pub allow_html: bool,
    /// Keep the body's plain text in [`Rendered::text`], for the search index.
    pub keep_text: bool,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// The result of rendering one article body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML; empty once [`Rendered::parked`], so read it with
    /// [`Rendered::body_html`] wherever a build may have parked it.
    pub html: String,
    /// Headings in order.
    pub toc: Vec<TocEntry>,
    /// HTML before `<!-- more -->`, or the first paragraph.
    pub summary_html: String,
    /// The same summary as plain text.
    pub summary_text: String,
    /// The body as plain text, one line per block, without code blocks; empty unless
    /// [`MarkdownOptions::keep_text`] asked for it, and once [`Rendered::parked`] (read
    /// it with [`Rendered::plain_text`]).
    pub text: String,
    /// Ideographs, kana and hangul in the text.
    pub cjk_chars: usize,
    /// Words in other scripts.
    pub latin_words: usize,
    /// Estimated minutes to read, at least 1.
    pub reading_minutes: usize,
    /// Problems worth telling the author.
    pub warnings: Vec<crate::warning::Warning>,
    /// Where `html` and `text` wait when a large archive's build parked them.
    pub parked: Option<Parked>,
}

impl Rendered {
    /// Moves the HTML and the plain text into `spill`, out of memory.
    pub fn park(&mut self, spill: &Arc<SpillFile>) -> Result<(), SpillError> {
        self.parked = Some(spill.park(&self.html, &self.text)?);
        self.html = String::new();
        self.text = String::new();
        Ok(())
    }

    /// The body as HTML, read back if it was parked.
    pub fn body_html(&self) -> Result<Cow<'_, str>, SpillError> {
        match &self.parked {
            Some(parked) => parked.html().map(Cow::Owned),
            None => Ok(Cow::Borrowed(&self.html)),
        }
    }

    /// The body as plain text, read back if it was parked.
    pub fn plain_text(&self) -> Result<Cow<'_, str>, SpillError> {
        match &self.parked {
            Some(parked) => parked.text().map(Cow::Owned),
            None => Ok(Cow::Borrowed(&self.text)),
        }
    }
}

/// A rendered body's HTML handed over for one last use: in memory, or parked.
#[derive(Debug)]
pub enum Body {
    /// The HTML itself.
    Held(String),
    /// Where the HTML waits.
    Parked(Parked),
}

impl Body {
    /// The HTML, read back if it was parked.
    pub fn into_html(self) -> Result<String, SpillError> {
        match self {
            Body::Held(html) => Ok(html),
            Body::Parked(parked) => parked.html(),
        }
    }
}

/// Where the Markdown comes from: for warnings, image sizes, question turns and
/// typography.
#[derive(Debug, Clone, Copy)]
pub struct SourceInfo<'a> {
    /// The file.
    pub path: &'a Path,
    /// The line of the file where the Markdown starts.
    pub first_line: usize,
    /// The article's language; English-like text gets typographic quotes and dashes.
    pub lang: &'a str,
    /// Files beside the article, whose sizes go on the images that show them.
    pub media: &'a [crate::media::MediaFile],
    /// The interviewers' names: a turn labelled with one of them is a question.
    pub interviewers: &'a [String],
}

/// Renders `markdown` to HTML.
pub fn render(
    markdown: &str,
    source: SourceInfo<'_>,
    options: MarkdownOptions,
    highlighter: &Highlighter,
) -> Rendered {
    let (prepared, labels) = lift_bold_labels(markdown);
    let mut parser_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    // Chinese and Japanese text is typed with its own quotation marks; straight quotes
    // there are code or quotes of Latin text, left as written.
    if !is_cjk_language(source.lang) {
        parser_options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    // An event per 12–33 bytes of Markdown (24 in the middle) on the generated corpus:
    // sized so that most bodies never grow the list, each growth a copy of all of it.
    let mut raw: Vec<(Event<'_>, std::ops::Range<usize>)> = Vec::with_capacity(prepared.len() / 16);
    raw.extend(Parser::new_ext(&prepared, parser_options).into_offset_iter());

    let mut rendered = Rendered::default();
    let lines = LineIndex::new(&prepared);
    let warn_at = |offset: usize, message: String| crate::warning::Warning {
        path: source.path.to_path_buf(),
        line: Some(source.first_line + lines.line_of(offset)),
        message,
    };
    for (event, range) in &mut raw {
        if let Some(removed) = neutralise_unsafe_url(event) {
            rendered.warnings.push(warn_at(
                range.start,
                format!(
                    "the link `{}` was removed: only http, https, mailto, tel and relative links are kept",
                    crate::text::shorten(&removed, 60)
                ),
            ));
        }
    }
    let mut events: Vec<Event<'_>> = Vec::with_capacity(raw.len());
    let mut more_at = None;
    let mut heading_ids = HeadingIds::default();
    let mut i = 0;
    while i < raw.len() {
        let (event, range) = &raw[i];
        match event {
            Event::Html(html) | Event::InlineHtml(html) if html.trim() == MORE_MARKER => {
                more_at.get_or_insert(events.len());
            }
            Event::Html(html) | Event::InlineHtml(html) if !options.allow_html => {
                events.push(Event::Text(html.clone()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let end = find_end(&raw, i);
                let inner: Vec<Event<'_>> =
                    raw[i + 1..end].iter().map(|(e, _)| e.clone()).collect();
                let alt = plain_text(&expand_labels(inner, &labels));
                events.push(Event::Html(
                    image_html(dest_url, &alt, title, source.media).into(),
                ));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let end = find_end(&raw, i);
                // A heading's inline HTML is escaped like any other (it is copied here,
                // past the arm above that escapes it).
                let inner: Vec<Event<'_>> = raw[i + 1..end]
                    .iter()
                    .map(|(e, _)| match e {
                        Event::InlineHtml(html) if !options.allow_html => Event::Text(html.clone()),
                        other => other.clone(),
                    })
                    .collect();
                let inner = expand_labels(inner, &labels);
                let title = plain_text(&inner);
                let base = id
                    .as_ref()
                    .map(|id| id.to_string())
                    .unwrap_or_else(|| slugify(&title, SlugMode::Unicode));
                let id = heading_ids.unique(if base.is_empty() {
                    "section".into()
                } else {
                    base
                });
                let level_number = heading_number(*level);
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                };
                events.push(Event::Html(
                    format!("<h{level_number} id=\"{}\"{class_attr}>", escape_attr(&id)).into(),
                ));
                events.extend(inner);
                events.push(Event::Html(
                    format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level_number}>\n",
                        escape_attr(&id)
                    )
                    .into(),
                ));
                rendered.toc.push(TocEntry {
                    level: level_number,
                    id,
                    title,
                });
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&raw, i);
                let code: String = raw[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) => Some(restore_labels(t, &labels)),
                        _ => None,
                    })
                    .collect();
                let language = match kind {
                    CodeBlockKind::Fenced(info) => code_language(info),
                    CodeBlockKind::Indented => String::new(),
                };
                events.push(Event::Html(
                    code_block(&code, &language, highlighter, |message| {
                        rendered.warnings.push(warn_at(range.start, message));
                    })
                    .into(),
                ));
                i = end + 1;
                continue;
            }
            Event::Code(code) if code.contains(LABEL_START) => {
                events.push(Event::Code(restore_labels(code, &labels).into()));
            }
            Event::Text(text) if text.contains(LABEL_START) => {
                events.extend(expand_labels(vec![Event::Text(text.clone())], &labels));
            }
            // Moved, not copied: each event is visited once.
            _ => events.push(std::mem::replace(&mut raw[i].0, Event::HardBreak)),
        }
        i += 1;
    }

    join_cjk_lines(&mut events);
    mark_turns(&mut events, source.interviewers);
    count_words(&events, &mut rendered);

    let summary_events: &[Event<'_>] = match more_at {
        Some(end) => skip_leading_quotes(&events[..end]),
        None => first_paragraph(&events),
    };
    pulldown_cmark::html::push_html(&mut rendered.summary_html, summary_events.iter().cloned());
    rendered.summary_text = plain_text(summary_events).trim().to_string();
    if options.keep_text {
        rendered.text = block_text(&events, prepared.len());
    }
    // Sized for the usual HTML of a body, then fitted: an archive holds every body
    // until its page is written, and a doubling buffer wastes a quarter on average.
    rendered.html.reserve(prepared.len() + prepared.len() / 4);
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter());
    rendered.html.shrink_to_fit();
    rendered.text.shrink_to_fit();
    rendered
}

/// CommonMark does not close `**问：**答` because the closing `**` follows punctuation and
/// precedes a letter. Such labels are swapped for a placeholder before parsing and turned
/// into `<strong>` afterwards, so speaker labels in Chinese transcripts render bold.
fn lift_bold_labels(markdown: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(markdown.len());
    let mut labels = Vec::new();
    let mut rest = markdown;
    // memchr's vectorised search, built once: this runs over every article's whole text,
    // and `memmem::find` would build its searcher again for each of the many `**`.
    let stars = memchr::memmem::Finder::new(b"**");
    let find_stars = |text: &str| stars.find(text.as_bytes());
    while let Some(start) = find_stars(rest) {
        let before = &rest[..start];
        let after_open = &rest[start + 2..];
        let preceded_ok = !before.ends_with(['*', '\\']);
        let label_end = find_stars(after_open);
        let lifted = label_end.and_then(|end| {
            let label = &after_open[..end];
            let next = after_open[end + 2..].chars().next()?;
            let last = label.chars().last()?;
            let first = label.chars().next()?;
            let plain = label.chars().count() <= 40
                && !label.contains(['*', '`', '[', ']', '<', '\\', '\n', LABEL_START]);
            let closes_badly =
                is_punctuation(last) && !next.is_whitespace() && !is_punctuation(next);
            (preceded_ok && plain && !first.is_whitespace() && closes_badly).then_some(label)
        });
        match lifted {
            Some(label) => {
                out.push_str(before);
                out.push(LABEL_START);
                out.push_str(&labels.len().to_string());
                out.push(LABEL_END);
                labels.push(label.to_string());
                rest = &after_open[label.len() + 2..];
            }
            None => {
                out.push_str(&rest[..start + 2]);
                rest = after_open;
            }
        }
    }
    out.push_str(rest);
    (out, labels)
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
            | '\u{3014}'..='\u{301F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// Splits text events at label placeholders into `<strong>` events.
fn expand_labels<'a>(events: Vec<Event<'a>>, labels: &[String]) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let Event::Text(text) = &event else {
            out.push(event);
            continue;
        };
        if !text.contains(LABEL_START) {
            out.push(event);
            continue;
        }
        let mut rest: &str = text;
        while let Some(start) = rest.find(LABEL_START) {
            let after = &rest[start + LABEL_START.len_utf8()..];
            let Some(end) = after.find(LABEL_END) else {
                break;
            };
            let Some(label) = after[..end]
                .parse::<usize>()
                .ok()
                .and_then(|n| labels.get(n))
            else {
                break;
            };
            if start > 0 {
                out.push(Event::Text(CowStr::from(rest[..start].to_string())));
            }
            out.push(Event::Start(Tag::Strong));
            out.push(Event::Text(CowStr::from(label.clone())));
            out.push(Event::End(TagEnd::Strong));
            rest = &after[end + LABEL_END.len_utf8()..];
        }
        if !rest.is_empty() {
            out.push(Event::Text(CowStr::from(rest.to_string())));
        }
    }
    out
}

/// Puts the original `**label**` back where a placeholder ended up in code.
fn restore_labels(text: &str, labels: &[String]) -> String {
    if !text.contains(LABEL_START) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(LABEL_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + LABEL_START.len_utf8()..];
        let parsed = after.find(LABEL_END).and_then(|end| {
            let label = labels.get(after[..end].parse::<usize>().ok()?)?;
            Some((label, end))
        });
        match parsed {
            Some((label, end)) => {
                out.push_str("**");
                out.push_str(label);
                out.push_str("**");
                rest = &after[end + LABEL_END.len_utf8()..];
            }
            None => {
                out.push(LABEL_START);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The index of the `End` matching the `Start` at `start`.
fn find_end(events: &[(Event<'_>, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return start + offset;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Heading ids handed out so far. A repeated id gets the next free `-1`, `-2`, …; the
/// next suffix to try is kept per id, so a page of twenty thousand identical headings
/// costs linear time, not quadratic.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Replaces the destination of a link or image whose scheme is not safe: links point to
/// `#`, images lose their source. Returns the URL removed.
fn neutralise_unsafe_url(event: &mut Event<'_>) -> Option<String> {
    let (dest_url, replacement, image) = match event {
        Event::Start(Tag::Link { dest_url, .. }) => (dest_url, "#", false),
        Event::Start(Tag::Image { dest_url, .. }) => (dest_url, "", true),
        _ => return None,
    };
    if is_safe_url(dest_url, image) {
        return None;
    }
    let removed = dest_url.to_string();
    *dest_url = CowStr::Borrowed(replacement);
    Some(removed)
}

/// Whether a link (or an image's source) is relative or uses a safe scheme. The URL is
/// read as a browser reads it: pulldown-cmark has already decoded character references,
/// and browsers drop ASCII tabs and newlines anywhere and leading control characters
/// and spaces, so `java&#x09;script:` and ` JavaScript:` are caught.
pub fn is_safe_url(url: &str, image: bool) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // `./a:b` or `a/b:c`: a relative path with a colon in it.
        return true;
    }
    let lower = cleaned.to_ascii_lowercase();
    SAFE_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
        || (image
            && SAFE_DATA_IMAGES.iter().any(|prefix| {
                lower
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with([';', ',']))
            }))
}

/// The first word of a fence's info string: "rust,ignore" and "{.python}" name rust and python.
fn code_language(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '{' || c == '}' || c == '.')
        .to_string()
}

fn code_block(
    code: &str,
    language: &str,
    highlighter: &Highlighter,
    mut warn: impl FnMut(String),
) -> String {
    let language_attr = escape_attr(language);
    if !language.is_empty() {
        if let Some(html) = highlighter.highlight(code, language) {
            return format!(
                "<pre class=\"code\" data-lang=\"{language_attr}\"><code class=\"language-{language_attr}\">{html}</code></pre>\n"
            );
        }
        warn(format!(
            "unknown code language `{language}`; the block is shown without highlighting"
        ));
    }
    let mut escaped = String::with_capacity(code.len());
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, code);
    if language.is_empty() {
        format!("<pre class=\"code\"><code>{escaped}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{language_attr}\"><code class=\"language-{language_attr}\">{escaped}</code></pre>\n"
        )
    }
}

/// The newline offsets of a text, found on first use (most articles never need a line
/// number), for turning an event's offset into a line in one binary search: counting
/// newlines from the start for each would be quadratic.
struct LineIndex<'a> {
    text: &'a str,
    newlines: std::cell::OnceCell<Vec<usize>>,
}

impl LineIndex<'_> {
    fn new(text: &str) -> LineIndex<'_> {
        LineIndex {
            text,
            newlines: std::cell::OnceCell::new(),
        }
    }

    /// How many lines precede the one holding `offset` (0 for the first line).
    fn line_of(&self, offset: usize) -> usize {
        self.newlines
            .get_or_init(|| {
                self.text
                    .bytes()
                    .enumerate()
                    .filter_map(|(i, b)| (b == b'\n').then_some(i))
                    .collect()
            })
            .partition_point(|&newline| newline < offset)
    }
}

/// Text of events with markup dropped.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The text of `events` with a line break after every block, so words of neighbouring
/// paragraphs, list items or cells stay apart. `source_len` (the Markdown's length, which
/// the text rarely exceeds) sizes the buffer, so that it is not copied as it grows.
fn block_text(events: &[Event<'_>], source_len: usize) -> String {
    let mut text = String::with_capacity(source_len);
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // Headings and code blocks arrive as HTML already.
            Event::Html(_)
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => text.push('\n'),
            _ => {}
        }
    }
    text
}

fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, value);
    out
}

/// A line break inside a Chinese paragraph is not a space: drop soft breaks between two
/// CJK characters.
fn join_cjk_lines(events: &mut [Event<'_>]) {
    for i in 0..events.len() {
        if matches!(events[i], Event::SoftBreak)
            && neighbour_char(events, i, false).is_some_and(is_cjk)
            && neighbour_char(events, i, true).is_some_and(is_cjk)
        {
            events[i] = Event::Text(CowStr::Borrowed(""));
        }
    }
}

/// The nearest text character before (or after) event `i`, looking through inline markup.
fn neighbour_char(events: &[Event<'_>], i: usize, forward: bool) -> Option<char> {
    let indices: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(i + 1..events.len())
    } else {
        Box::new((0..i).rev())
    };
    for j in indices {
        match &events[j] {
            Event::Text(t) | Event::Code(t) if !t.is_empty() => {
                return if forward {
                    t.chars().next()
                } else {
                    t.chars().last()
                };
            }
            Event::Text(_) => {}
            Event::Start(Tag::Strong | Tag::Emphasis | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link,
            ) => {}
            _ => return None,
        }
    }
    None
}

/// Paragraphs that open with a bold label ending in a colon are Q&A turns: they get
/// `class="turn turn-q"` (asking) or `class="turn turn-a"` (answering).
fn mark_turns(events: &mut [Event<'_>], interviewers: &[String]) {
    let question_labels: Vec<&str> = QUESTION_LABELS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    // Lower-cased once, not once per turn: a long interview has hundreds of turns.
    let interviewers: Vec<String> = interviewers
        .iter()
        .map(|name| name.trim().to_lowercase())
        .collect();
    let mut open_turn = false;
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Paragraph) => {
                if !matches!(events.get(i + 1), Some(Event::Start(Tag::Strong))) {
                    continue;
                }
                let label: String = events[i + 2..]
                    .iter()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Strong)))
                    .filter_map(|e| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let label = label.trim();
                let Some(name) = label.strip_suffix(['：', ':']) else {
                    continue;
                };
                let name = name.trim().to_lowercase();
                let opening =
                    if question_labels.contains(&name.as_str()) || interviewers.contains(&name) {
                        "<p class=\"turn turn-q\">"
                    } else {
                        "<p class=\"turn turn-a\">"
                    };
                events[i] = Event::Html(opening.into());
                open_turn = true;
            }
            Event::End(TagEnd::Paragraph) if open_turn => {
                events[i] = Event::Html("</p>\n".into());
                open_turn = false;
            }
            _ => {}
        }
    }
}

fn count_words(events: &[Event<'_>], rendered: &mut Rendered) {
    let mut in_word = false;
    for event in events {
        let Event::Text(text) = event else {
            in_word = false;
            continue;
        };
        // Byte by byte, decoding only what is neither ASCII nor a unified ideograph:
        // this runs over every article's whole text.
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii() {
                if byte.is_ascii_alphanumeric() || (in_word && (byte == b'\'' || byte == b'-')) {
                    if !in_word {
                        rendered.latin_words += 1;
                    }
                    in_word = true;
                } else {
                    in_word = false;
                }
                at += 1;
                continue;
            }
            // A unified ideograph (U+4E00–U+9FFF) is three bytes led by E4–E9: most of a
            // Chinese text.
            if let [lead @ 0xE4..=0xE9, second, third, ..] = bytes[at..] {
                let code = (u32::from(lead & 0x0F) << 12)
                    | (u32::from(second & 0x3F) << 6)
                    | u32::from(third & 0x3F);
                if code >= 0x4E00 {
                    rendered.cjk_chars += 1;
                    in_word = false;
                    at += 3;
                    continue;
                }
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            at += c.len_utf8();
            if in_word && c == '’' {
                continue;
            }
            // Punctuation, frequent in Chinese text, needs no Unicode table.
            if is_punctuation(c) {
                in_word = false;
            } else if is_cjk(c) {
                if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric() {
                    rendered.cjk_chars += 1;
                }
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    rendered.latin_words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }
    let minutes = rendered.cjk_chars as f64 / CJK_PER_MINUTE as f64
        + rendered.latin_words as f64 / WORDS_PER_MINUTE as f64;
    rendered.reading_minutes = (minutes.ceil() as usize).max(1);
}

/// The events of the first paragraph that is not inside a quote, list, table or footnote.
/// The summary before `<!-- more -->` without a leading block quote, which in an
/// archive is an editor's note or disclaimer rather than the interview.
fn skip_leading_quotes<'e, 'a>(mut events: &'e [Event<'a>]) -> &'e [Event<'a>] {
    while let Some(Event::Start(Tag::BlockQuote(_))) = events.first() {
        let mut depth = 0usize;
        let end = events.iter().position(|event| {
            match event {
                Event::Start(Tag::BlockQuote(_)) => depth += 1,
                Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        match end {
            Some(end) => events = &events[end + 1..],
            None => return events,
        }
    }
    events
}

/// `zh`, `zh-Hant`, `ja`, `ko`: languages whose text is not given smart quotes.
fn is_cjk_language(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or("");
    matches!(primary, "zh" | "ja" | "ko")
}

/// An `<img>` with `loading="lazy"`, and `width`/`height` when the image is a file
/// beside the article whose header could be read.
fn image_html(src: &str, alt: &str, title: &str, media: &[crate::media::MediaFile]) -> String {
    let mut html = String::from("<img src=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut html, src);
    html.push_str("\" alt=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, title);
        html.push('"');
    }
    if let Some((width, height)) = crate::media::find(media, src).and_then(|m| m.size) {
        html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    html.push_str(" loading=\"lazy\">");
    html
}

fn first_paragraph<'e, 'a>(events: &'e [Event<'a>]) -> &'e [Event<'a>] {
    let mut depth = 0usize;
    let mut start = None;
    for (i, event) in events.iter().enumerate() {
        let opens_paragraph = matches!(event, Event::Start(Tag::Paragraph))
            || matches!(event, Event::Html(h) if h.starts_with("<p class=\"turn"));
        let closes_paragraph = matches!(event, Event::End(TagEnd::Paragraph))
            || matches!(event, Event::Html(h) if h.as_ref() == "</p>\n");
        match start {
            None if depth == 0 && opens_paragraph => start = Some(i),
            Some(s) if closes_paragraph => return &events[s..=i],
            _ => {}
        }
        match event {
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::FootnoteDefinition(_),
            ) => depth += 1,
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition,
            ) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    &[]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(markdown: &str) -> Rendered {
        render(
            markdown,
            SourceInfo {
                path: Path::new("content/a.md"),
                first_line: 5,
                lang: "en",
                media: &[],
                interviewers: &[],
            },
            MarkdownOptions::default(),
            &Highlighter::new(),
        )
    }

    #[test]
    fn chinese_bold_labels_render_bold() {
        let html = render_str("**问：**你好吗？\n\n**答：**很好。\n").html;
        assert!(html.contains("<strong>问：</strong>你好吗？"), "{html}");
        assert!(
            html.contains("<p class=\"turn turn-q\"><strong>问：</strong>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"turn turn-a\"><strong>答：</strong>很好。"),
            "{html}"
        );
        assert!(!html.contains("**"), "{html}");
    }

    #[test]
    fn english_labels_and_names() {
        let html = render_str("**Q:** Why?\n\n**Mara Lind:** Because.\n").html;
        assert!(
            html.contains("<p class=\"turn turn-q\"><strong>Q:</strong> Why?"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"turn turn-a\"><strong>Mara Lind:</strong>"),
            "{html}"
        );
    }

    #[test]
    fn an_interviewer_is_recognised_whatever_the_case_and_spacing() {
        let interviewers = [" Mara Lind ".to_string()];
        let html = render(
            "**MARA LIND:** Why?\n\n**Tom:** Because.\n",
            SourceInfo {
                path: Path::new("content/a.md"),
                first_line: 5,
                lang: "en",
                media: &[],
                interviewers: &interviewers,
            },
            MarkdownOptions::default(),
            &Highlighter::new(),
        )
        .html;
        assert!(
            html.contains("<p class=\"turn turn-q\"><strong>MARA LIND:</strong>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"turn turn-a\"><strong>Tom:</strong>"),
            "{html}"
        );
    }

    #[test]
    fn labels_in_code_stay_literal() {
        let html = render_str("`**问：**答`\n\n```\n**问：**答\n```\n").html;
        assert_eq!(html.matches("**问：**答").count(), 2, "{html}");
        assert!(!html.contains('\u{E000}'));
    }

    #[test]
    fn ordinary_bold_untouched() {
        let html = render_str("a **bold** word and **两个字**的\n").html;
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("<strong>两个字</strong>的"), "{html}");
    }

    #[test]
    fn cjk_soft_breaks_join_without_space() {
        let html = render_str("第一行\n第二行\nEnglish\nwords\n").html;
        assert!(html.contains("第一行第二行"), "{html}");
        assert!(html.contains("English\nwords"), "{html}");
    }

    #[test]
    fn heading_ids_unique_and_readable() {
        let rendered = render_str("## 数据中心\n\n## 数据中心\n\n## Custom {#mine}\n");
        let ids: Vec<&str> = rendered.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["数据中心", "数据中心-1", "mine"]);
        assert!(
            rendered
                .html
                .contains("<h2 id=\"数据中心\">数据中心<a class=\"anchor\" href=\"#数据中心\"")
        );
        assert_eq!(rendered.toc[2].title, "Custom");
    }

    #[test]
    fn search_text_keeps_blocks_apart_and_skips_code() {
        let markdown = "## 标题\n\n**问：**为什么\n\n- item one\n- item two\n\n```\ncode\n```\n";
        let with_text = |keep_text| {
            render(
                markdown,
                SourceInfo {
                    path: Path::new("a.md"),
                    first_line: 1,
                    lang: "zh",
                    media: &[],
                    interviewers: &[],
                },
                MarkdownOptions {
                    allow_html: false,
                    keep_text,
                },
                &Highlighter::new(),
            )
            .text
        };
        let text = with_text(true);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["标题", "问：为什么", "item", "one", "item", "two"]);
        assert_eq!(with_text(false), "");
    }

    #[test]
    fn repeated_heading_ids_stay_unique_next_to_explicit_ones() {
        let rendered = render_str("## A {#a-2}\n\n## A\n\n## A\n\n## A\n\n## A\n");
        let ids: Vec<&str> = rendered.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a-2", "a", "a-1", "a-3", "a-4"]);
        let many = render_str(&"## Same\n\n".repeat(2000));
        let unique: HashSet<&str> = many.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(unique.len(), 2000);
        assert_eq!(many.toc[1999].id, "same-1999");
    }

    #[test]
    fn unsafe_link_schemes_are_neutralised() {
        for markdown in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](java&#x0A;script:alert(1))",
            "[x](&#x20;javascript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "![x](javascript:alert(1))",
            "![x](data:text/html,<script>alert(1)</script>)",
            "## [x](javascript:alert(1))",
        ] {
            let rendered = render_str(markdown);
            let html = rendered.html.to_ascii_lowercase();
            for bad in ["javascript:", "vbscript:", "data:text", "file:"] {
                assert!(
                    !html.contains(&format!("href=\"{bad}"))
                        && !html.contains(&format!("src=\"{bad}")),
                    "{markdown} → {html}"
                );
            }
            assert!(
                html.contains("href=\"#\"") || html.contains("src=\"\""),
                "{markdown} → {html}"
            );
            assert_eq!(
                rendered.warnings.len(),
                1,
                "{markdown}: {:?}",
                rendered.warnings
            );
            assert!(
                rendered.warnings[0]
                    .to_string()
                    .starts_with("content/a.md:5: the link `"),
                "{:?}",
                rendered.warnings
            );
        }
        let kept = render_str(
            "[a](https://x.org/) [b](/c/d) [c](mailto:m@x.org) [d](tel:+1) [e](#f) [g](./h:i) <m@x.org>\n\n![p](data:image/png;base64,iVBO)\n",
        );
        assert!(kept.warnings.is_empty(), "{:?}", kept.warnings);
        for href in [
            "https://x.org/",
            "/c/d",
            "mailto:m@x.org",
            "tel:+1",
            "#f",
            "./h:i",
            "mailto:m@x.org",
        ] {
            assert!(
                kept.html.contains(&format!("href=\"{href}\"")),
                "{href}: {}",
                kept.html
            );
        }
        assert!(
            kept.html.contains("src=\"data:image/png;base64,iVBO\""),
            "{}",
            kept.html
        );
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let heading = render_str("# Title <script>alert(1)</script>\n").html;
        assert!(!heading.contains("<script>"), "{heading}");
        assert!(heading.contains("&lt;script&gt;"), "{heading}");
        let html = render_str("<script>alert(1)</script>\n\nHi <b>x</b>\n").html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let allowed = render(
            "Hi <b>x</b>\n",
            SourceInfo {
                path: Path::new("a.md"),
                first_line: 1,
                lang: "en",
                media: &[],
                interviewers: &[],
            },
            MarkdownOptions {
                allow_html: true,
                keep_text: false,
            },
            &Highlighter::new(),
        );
        assert!(allowed.html.contains("<b>x</b>"));
    }

    #[test]
    fn code_highlighting_and_unknown_language_warning() {
        let rendered = render_str("Text\n\n```rust\nfn main() {}\n```\n\n```klingon\n<x>\n```\n");
        assert!(rendered.html.contains("class=\"hl-"), "{}", rendered.html);
        assert!(rendered.html.contains("&lt;x&gt;"));
        assert_eq!(rendered.warnings.len(), 1);
        assert!(
            rendered.warnings[0]
                .to_string()
                .starts_with("content/a.md:11:"),
            "{:?}",
            rendered.warnings
        );
    }

    #[test]
    fn summary_from_more_marker_or_first_paragraph() {
        let with_marker = render_str("Intro *one*.\n\nTwo.\n\n<!-- more -->\n\nRest.\n");
        assert!(with_marker.summary_html.contains("Two."));
        assert!(!with_marker.summary_html.contains("Rest"));
        assert!(!with_marker.html.contains("more"));
        let first = render_str("> A note\n\nFirst para.\n\nSecond.\n");
        assert_eq!(first.summary_text, "First para.");
    }

    #[test]
    fn reading_time_counts_cjk_and_words() {
        let text = format!("{}\n\n{}\n", "字".repeat(800), "word ".repeat(230));
        let rendered = render_str(&text);
        assert_eq!(rendered.cjk_chars, 800);
        assert_eq!(rendered.latin_words, 230);
        assert_eq!(rendered.reading_minutes, 3);
    }

    #[test]
    fn word_count_handles_apostrophes_punctuation_and_other_scripts() {
        // Curly and straight apostrophes and hyphens keep a word whole; CJK punctuation,
        // kana and ideographs outside the unified block count as characters, not words.
        let rendered =
            render_str("don’t re-run it’s “quoted” naïve Ελλάδα\n\n中文，日本語のかな、㐀。\n");
        assert_eq!(rendered.latin_words, 6);
        assert_eq!(rendered.cjk_chars, 9);
    }

    #[test]
    fn tables_footnotes_tasks_strikethrough() {
        let html = render_str("| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1] ~~old~~\n\n- [x] done\n\n[^1]: The note.\n").html;
        assert!(html.contains("<table>"));
        assert!(html.contains("footnote-definition"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("type=\"checkbox\""));
    }
}
