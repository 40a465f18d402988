//! Pass 2, extract: a page's text → blocks (headings, paragraphs, list items, quotes,
//! table rows), with what the HTML `<head>` says about the page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `<h1>`…`<h6>` or a `#` line; the level.
    Heading(u8),
    /// A paragraph, or a line of a text page.
    Paragraph,
    /// A list item.
    ListItem,
    /// A block quote.
    Quote,
    /// A table row, cells joined by ` | `.
    TableRow,
    /// Preformatted text.
    Preformatted,
}

/// One block of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The 1-based position of the block on the page, used in the report.
    pub number: usize,
    /// What the block is.
    pub kind: BlockKind,
    /// The text, white space collapsed.
    pub text: String,
    /// The share of the text inside links (0 for text pages).
    pub link_density: f32,
    /// Whether the block sits in an element whose class or id names chrome
    /// (`footer`, `sidebar`, `related`…) outside any `<article>`/`<main>`.
    pub chrome_hint: bool,
    /// Whether the extractor judged the block to lie outside the page's main text
    /// (always false for text pages).
    pub boilerplate: bool,
}

/// What the HTML `<head>` says about the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    /// `<title>`.
    pub title: Option<String>,
    /// `og:title`.
    pub og_title: Option<String>,
    /// `og:site_name`.
    pub site_name: Option<String>,
    /// `<link rel=canonical>` or `og:url`.
    pub url: Option<String>,
    /// `<meta name=author>`.
    pub author: Option<String>,
    /// `article:published_time`, `pubdate`, or the first `<time datetime>`.
    pub published: Option<String>,
    /// `<meta name=description>` or `og:description`.
    pub description: Option<String>,
}

/// A page split into blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The blocks in page order.
    pub blocks: Vec<Block>,
    /// The head's metadata (empty for text pages).
    pub head: Head,
    /// Whether the page was HTML.
    pub is_html: bool,
}

impl Page {
    /// The blocks the extractor judged to be the page's main text, in page order.
    pub fn main_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| !b.boilerplate)
    }
}

/// Whether the page is HTML: by file extension, or by its first tags.
pub fn is_html(file_name: &str, text: &str) -> bool {
    let lower_name = file_name.to_ascii_lowercase();
    if [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|ext| lower_name.ends_with(ext))
    {
        return true;
    }
    let start: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.contains("<body")
        || start.contains("<head")
}

/// Splits a page into blocks: HTML by its elements, text by its lines.
pub fn extract(text: &str, html: bool) -> Page {
    if html {
        extract_html(text)
    } else {
        extract_text(text)
    }
}

fn extract_text(text: &str) -> Page {
    let mut blocks = Vec::new();
    for line in text.lines() {
        let trimmed =
            without_table_bars(line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'));
        if trimmed.is_empty() {
            continue;
        }
        let (kind, text) = match markdown_heading(trimmed) {
            Some((level, heading)) => (BlockKind::Heading(level), heading),
            None => (BlockKind::Paragraph, trimmed),
        };
        blocks.push(Block {
            number: blocks.len() + 1,
            kind,
            text: collapse_space(text),
            link_density: 0.0,
            chrome_hint: false,
            boilerplate: false,
        });
    }
    Page {
        blocks,
        head: Head::default(),
        is_html: false,
    }
}

/// A line without the empty cells a layout table left after it when the page was
/// saved as text (`央视《新闻会客厅》:边走边想长征路 | |||||||||`): two bars or more, with
/// only spaces between them, at the end. One bar may be the writer's.
fn without_table_bars(line: &str) -> &str {
    let text = line.trim_end_matches(|c: char| c == '|' || c.is_whitespace());
    if line[text.len()..].matches('|').count() >= 2 {
        text
    } else {
        line
    }
}

fn markdown_heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = line[hashes..].strip_prefix(' ')?;
    (1..=6)
        .contains(&hashes)
        .then(|| (hashes as u8, rest.trim()))
}

/// Elements whose content is never article text. A `<form>` is not among them: some
/// sites wrap the whole page in one (ASP.NET's page form); its controls are.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "iframe", "button", "select",
    "textarea", "nav", "aside", "footer", "object", "canvas", "video", "audio",
];

/// Words in a class or id that name chrome.
const CHROME_HINTS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "sidebar",
    "breadcrumb",
    "comment",
    "share",
    "related",
    "recommend",
    "copyright",
    "friend",
    "links",
    "banner",
    "topbar",
    "header",
    "widget",
    "advert",
    "contact",
];

struct Builder {
    blocks: Vec<Block>,
    buffer: String,
    link_chars: usize,
    kinds: Vec<BlockKind>,
    in_link: usize,
    in_article: usize,
    in_hint: usize,
    in_pre: usize,
    row_cells: usize,
}

impl Builder {
    fn kind(&self) -> BlockKind {
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    fn push_text(&mut self, text: &str) {
        if self.in_link > 0 {
            self.link_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        }
        self.buffer.push_str(text);
    }

    fn flush(&mut self) {
        let kind = self.kind();
        let text = if kind == BlockKind::Preformatted {
            self.buffer.trim_matches('\n').to_string()
        } else {
            collapse_space(&self.buffer)
        };
        let text = text.trim_matches(|c: char| c == '|' || c.is_whitespace());
        if !text.is_empty() {
            let total = if kind == BlockKind::Preformatted {
                text.chars().filter(|c| !c.is_whitespace()).count()
            } else {
                // Collapsed, its only white space is single ASCII spaces: counted by
                // bytes, not told apart character by character.
                text.chars().count() - text.bytes().filter(|&b| b == b' ').count()
            }
            .max(1);
            self.blocks.push(Block {
                number: self.blocks.len() + 1,
                kind,
                text: text.to_string(),
                link_density: (self.link_chars.min(total) as f32) / total as f32,
                chrome_hint: self.in_hint > 0 && self.in_article == 0,
                boilerplate: false,
            });
        }
        self.buffer.clear();
        self.link_chars = 0;
    }
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "blockquote" => BlockKind::Quote,
        "tr" => BlockKind::TableRow,
        "pre" => BlockKind::Preformatted,
        "p" | "div" | "section" | "article" | "main" | "body" | "header" | "figcaption"
        | "caption" | "address" | "center" | "ul" | "ol" | "dl" | "table" | "figure" => {
            BlockKind::Paragraph
        }
        _ => return None,
    })
}

fn has_chrome_hint(element: &scraper::node::Element) -> bool {
    let mut words = element.classes().chain(element.id());
    words.any(|word| {
        let word = word.to_ascii_lowercase();
        CHROME_HINTS.iter().any(|hint| word.contains(hint))
    })
}

fn extract_html(text: &str) -> Page {
    let source = cap_nesting(text, MAX_NESTING);
    let document = Html::parse_document(&source);
    let head = read_head(&document);
    let blocks = with_main_text(html_blocks(&document), &source);
    Page {
        blocks,
        head,
        is_html: true,
    }
}

/// The blocks of a parsed page, in document order, skipping elements that never hold
/// article text.
fn html_blocks(document: &Html) -> Vec<Block> {
    let mut builder = Builder {
        blocks: Vec::new(),
        buffer: String::new(),
        link_chars: 0,
        kinds: Vec::new(),
        in_link: 0,
        in_article: 0,
        in_hint: 0,
        in_pre: 0,
        row_cells: 0,
    };
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => {
                        builder.push_text(text);
                    }
                    Node::Element(element) => {
                        let name = element.name();
                        let inside_article = builder.in_article > 0;
                        if SKIPPED.contains(&name) || (name == "header" && !inside_article) {
                            skipping = Some(node.id());
                            continue;
                        }
                        if has_chrome_hint(element) {
                            builder.in_hint += 1;
                        }
                        match name {
                            "a" => builder.in_link += 1,
                            "article" | "main" => builder.in_article += 1,
                            "pre" => builder.in_pre += 1,
                            "br" => builder.flush(),
                            "td" | "th" => {
                                if builder.row_cells > 0 {
                                    builder.buffer.push_str(" | ");
                                }
                                builder.row_cells += 1;
                            }
                            _ => {}
                        }
                        if let Some(kind) = block_kind(name) {
                            builder.flush();
                            builder.kinds.push(kind);
                            if kind == BlockKind::TableRow {
                                builder.row_cells = 0;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if block_kind(name).is_some() {
                        builder.flush();
                        builder.kinds.pop();
                    }
                    match name {
                        "a" => builder.in_link = builder.in_link.saturating_sub(1),
                        "article" | "main" => {
                            builder.in_article = builder.in_article.saturating_sub(1)
                        }
                        "pre" => builder.in_pre = builder.in_pre.saturating_sub(1),
                        _ => {}
                    }
                    if has_chrome_hint(element) {
                        builder.in_hint = builder.in_hint.saturating_sub(1);
                    }
                }
            }
        }
    }
    builder.flush();
    builder.blocks
}
/// The page's blocks with its main text as rs-trafilatura (a port of trafilatura, the
/// best-scoring extractor on the article-extraction benchmark) finds it: the page's own
/// blocks before and after the main text are kept, marked as boilerplate, for the title,
/// byline and chrome passes; between them stand the extractor's blocks. When it finds
/// no main text of substance, the page's blocks are returned as they are, so that a page
/// of prose is never lost for want of an article block; when none of the page's blocks
/// matches its main text and none is paragraph-sized (the page walk skipped the
/// article), the extractor's blocks stand alone.
fn with_main_text(page_blocks: Vec<Block>, html: &str) -> Vec<Block> {
    let Some((main, main_folded)) = main_content_blocks(html) else {
        return page_blocks;
    };
    let main_chars: usize = main.iter().map(|b| b.text.chars().count()).sum();
    if main_chars < MIN_MAIN_TEXT_CHARS {
        return page_blocks;
    }
    let joined = main_folded.concat();
    // Each page block folded and matched once: the first and last matches and the walk
    // between them all ask.
    let page_folded: Vec<String> = page_blocks
        .iter()
        .map(|b| fold_for_matching(&b.text))
        .collect();
    let is_main: Vec<bool> = page_folded
        .iter()
        .map(|folded| {
            !folded.is_empty()
                && (main_folded.contains(folded)
                    || folded.chars().count() >= MIN_MERGED_BLOCK_CHARS
                        && joined.contains(folded.as_str()))
        })
        .collect();
    let first = is_main.iter().position(|&m| m);
    let last = is_main.iter().rposition(|&m| m);
    let (Some(first), Some(last)) = (first, last) else {
        let no_paragraph = page_blocks
            .iter()
            .all(|b| b.text.chars().count() < MIN_PARAGRAPH_CHARS);
        return if no_paragraph { main } else { page_blocks };
    };
    let outside = |block: &Block| Block {
        boilerplate: true,
        ..block.clone()
    };
    let mut blocks = Vec::with_capacity(page_blocks.len() + main.len());
    blocks.extend(page_blocks[..first].iter().map(outside));
    // Between the first and the last match, the extractor's blocks replace the page's;
    // a page block it left out (a byline, a share bar) stays in place as boilerplate.
    let mut main = main.into_iter().zip(main_folded);
    for ((block, folded), &matched) in page_blocks[first..=last]
        .iter()
        .zip(&page_folded[first..=last])
        .zip(&is_main[first..=last])
    {
        if !matched {
            blocks.push(outside(block));
            continue;
        }
        for (main_block, main_text) in main.by_ref() {
            blocks.push(main_block);
            if main_text.contains(folded.as_str()) || folded.contains(main_text.as_str()) {
                break;
            }
        }
    }
    blocks.extend(main.map(|(block, _)| block));
    blocks.extend(page_blocks[last + 1..].iter().map(outside));
    for (number, block) in blocks.iter_mut().enumerate() {
        block.number = number + 1;
    }
    blocks
}

/// Below this many characters of main text the extractor's choice is not trusted.
const MIN_MAIN_TEXT_CHARS: usize = 40;

/// A block this long or longer is a paragraph, not a label or a link.
const MIN_PARAGRAPH_CHARS: usize = 60;

/// A page block not equal to one of the extractor's blocks is matched inside its main
/// text only from this length on (shorter ones, like `Share`, would match by chance).
const MIN_MERGED_BLOCK_CHARS: usize = 12;

/// The main content as rs-trafilatura finds it, as blocks (headings, paragraphs, lists,
/// quotes and tables from its HTML; its plain text, line by line, when it gives none),
/// each with its text folded for matching ([`fold_for_matching`]).
fn main_content_blocks(html: &str) -> Option<(Vec<Block>, Vec<String>)> {
    let options = rs_trafilatura::Options {
        include_tables: true,
        // Every page the cleaner is given is meant to be an article, so the page-type
        // classifier (a fifth of the extraction) is skipped. The crate's article
        // profile is not the one used: when the article is shorter than 3,000
        // characters it merges the page's other top-scoring sections into it (meant
        // for listicles), which on a news page pulls in the teaser lists around a
        // short story. Its category profile is the article profile without that
        // merge (and with a lookup of `category-description`-like blocks, which no
        // page of the benchmark has): the crate alone on the article-extraction
        // benchmark goes from F1 0.956 to 0.962.
        page_type: Some(rs_trafilatura::page_type::PageType::Category),
        // The crate's fallback replaces a main text it found with the page's longer
        // run of paragraphs whenever it judges the text under-extracted, which on
        // short stories brings in the sidebar; it is asked for only when no main
        // text was found at all (below): F1 0.962 → 0.964.
        use_fallback_extraction: false,
        ..rs_trafilatura::Options::default()
    };
    let found = rs_trafilatura::extract_with_options(html, &options)
        .ok()
        .filter(|result| !result.content_text.trim().is_empty());
    let result = match found {
        Some(result) => result,
        None => {
            let with_fallback = rs_trafilatura::Options {
                use_fallback_extraction: true,
                ..options
            };
            rs_trafilatura::extract_with_options(html, &with_fallback).ok()?
        }
    };
    // Its plain text is the cleaner of its two outputs (the HTML keeps a headline and
    // date lines the text leaves out); its HTML has the structure. Keep the HTML's
    // blocks that the text has.
    let text = fold_for_matching(&result.content_text);
    let with_folded = |block: Block| {
        let folded = fold_for_matching(&block.text);
        (block, folded)
    };
    let (blocks, folded): (Vec<Block>, Vec<String>) = match &result.content_html {
        Some(content) => {
            let mut searched_to = 0;
            html_blocks(&Html::parse_fragment(content))
                .into_iter()
                .map(with_folded)
                .filter(|(_, folded)| contains_from(&text, folded, &mut searched_to))
                .unzip()
        }
        None => extract_text(&result.content_text)
            .blocks
            .into_iter()
            .map(with_folded)
            .unzip(),
    };
    (!blocks.is_empty()).then_some((blocks, folded))
}

/// Whether `needle` occurs in `haystack`, looked for from `*from` on first and moving
/// `from` past what it finds: the extractor's blocks come in its text's order, so the
/// text is searched about once for all of them, not once for each.
fn contains_from(haystack: &str, needle: &str, from: &mut usize) -> bool {
    let rest = &haystack.as_bytes()[*from..];
    // Mostly the block is what comes next: compared, not searched for.
    let found = if rest.starts_with(needle.as_bytes()) {
        Some(*from)
    } else {
        memchr::memmem::find(rest, needle.as_bytes())
            .map(|at| *from + at)
            .or_else(|| memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()))
    };
    match found {
        Some(at) => {
            *from = at + needle.len();
            true
        }
        None => false,
    }
}

/// The text without white space and table-cell bars, so that blocks cut or joined
/// differently by two extractors still compare equal.
fn fold_for_matching(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    // Copied run by run between the characters left out, not character by character.
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Only a `|` or a byte that may begin a space has its character decoded; it
        // starts a character, as every such byte does.
        match bytes[i..]
            .iter()
            .position(|&b| b == b'|' || SPACE_LEADS[usize::from(b)])
        {
            Some(skipped) => i += skipped,
            None => break,
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c.is_whitespace() || c == '|' {
            folded.push_str(&text[run_start..i]);
            run_start = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    folded.push_str(&text[run_start..]);
    folded
}

/// The deepest element nesting handed to the HTML parser. The parser's scope checks
/// walk the stack of open elements on every tag, so a page nested 100,000 deep would
/// take quadratic time; browsers stop nesting at about this depth too.
const MAX_NESTING: usize = 512;

/// Elements without content (never pushed on the stack of open elements).
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements the parser closes by itself when a sibling starts (`<p>`, `<li>`, `<td>`…), so
/// their start tags say nothing about depth.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "caption", "colgroup", "html", "head", "body",
];

/// Elements whose content is raw text up to their own end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Drops the start and end tags of elements nested deeper than `max_depth`, keeping their
/// text, in one linear scan of the source; a page within the limit is returned as is.
fn cap_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut open_by_name: HashMap<String, usize> = HashMap::new();
    let mut kept_depth = 0usize;
    let mut dropped: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset;
        let next = bytes.get(start + 1).copied().unwrap_or(b' ');
        if next == b'!' || next == b'?' {
            at = if bytes[start..].starts_with(b"<!--") {
                find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3)
            } else {
                find(bytes, start, b">").map_or(bytes.len(), |end| end + 1)
            };
        } else if next == b'/' && bytes.get(start + 2).is_some_and(u8::is_ascii_alphabetic) {
            let name = tag_name(bytes, start + 2);
            let end = find(bytes, start, b">").map_or(bytes.len(), |end| end + 1);
            at = end;
            if open_by_name.get(&name).copied().unwrap_or(0) == 0 {
                continue;
            }
            while let Some((open_name, kept)) = open.pop() {
                if let Some(count) = open_by_name.get_mut(&open_name) {
                    *count -= 1;
                }
                if kept {
                    kept_depth -= 1;
                }
                if open_name == name {
                    if !kept {
                        dropped.push(start..end);
                    }
                    break;
                }
            }
        } else if next.is_ascii_alphabetic() {
            let name = tag_name(bytes, start + 1);
            let end = start_tag_end(bytes, start + 1);
            at = end;
            if RAW_TEXT.contains(&name.as_str()) {
                let close = format!("</{name}");
                at = find_ignoring_case(bytes, end, close.as_bytes()).unwrap_or(bytes.len());
                continue;
            }
            let self_closed = end >= 2 && &bytes[end - 2..end] == b"/>";
            if self_closed
                || VOID.contains(&name.as_str())
                || SELF_CLOSING_SIBLINGS.contains(&name.as_str())
            {
                continue;
            }
            let kept = kept_depth < max_depth;
            if kept {
                kept_depth += 1;
            } else {
                dropped.push(start..end);
            }
            *open_by_name.entry(name.clone()).or_default() += 1;
            open.push((name, kept));
        } else {
            at = start + 1;
        }
    }
    if dropped.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for range in dropped {
        out.push_str(&html[from..range.start]);
        from = range.end;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// The lower-cased tag name starting at `from`.
fn tag_name(bytes: &[u8], from: usize) -> String {
    let end = bytes[from..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        .map_or(bytes.len(), |n| from + n);
    String::from_utf8_lossy(&bytes[from..end]).to_ascii_lowercase()
}

/// Where a start tag ends (just past its `>`), skipping a `>` inside a quoted attribute
/// value (a quote only opens a value right after `=`, as in the HTML tokenizer).
fn start_tag_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'>' => return at + 1,
            b'=' => {
                at += 1;
                while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                    at += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(at) {
                    at = find(bytes, at + 1, &[quote]).map_or(bytes.len(), |end| end + 1);
                }
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|n| from + n)
}

fn read_head(document: &Html) -> Head {
    let first = |selector: &str, attr: Option<&str>| -> Option<String> {
        let selector = Selector::parse(selector).ok()?;
        let element = document.select(&selector).next()?;
        let value = match attr {
            Some(attr) => element.value().attr(attr)?.to_string(),
            None => element.text().collect::<String>(),
        };
        let value = collapse_space(&value);
        (!value.is_empty()).then_some(value)
    };
    Head {
        title: first("title", None),
        og_title: first("meta[property='og:title']", Some("content")),
        site_name: first("meta[property='og:site_name']", Some("content")),
        url: first("link[rel='canonical']", Some("href"))
            .or_else(|| first("meta[property='og:url']", Some("content"))),
        author: first("meta[name='author']", Some("content")),
        published: first("meta[property='article:published_time']", Some("content"))
            .or_else(|| first("meta[name='pubdate']", Some("content")))
            .or_else(|| first("time[datetime]", Some("datetime"))),
        description: first("meta[name='description']", Some("content"))
            .or_else(|| first("meta[property='og:description']", Some("content"))),
    }
}

/// Whether the character belongs to a script written without spaces between words
/// (Chinese and Japanese; Korean Hangul separates its words with spaces).
fn written_without_spaces(c: char) -> bool {
    crate::text::is_cjk(c) && !('\u{AC00}'..='\u{D7AF}').contains(&c)
}

/// Collapses runs of white space to one space, and drops it between two Chinese or
/// Japanese characters unless it is typed spaces between two words (a line break in
/// the source of a Chinese paragraph is not a space, nor a space after `，`; a space
/// typed between words separates a headline's clauses or a byline's fields).
pub fn collapse_space(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    // Whether the pending space holds more than typed spaces (a line break, a form
    // feed): then it is no space between two Chinese characters.
    let mut pending_break = false;
    // Where the run of non-space characters being read began: copied whole at its end.
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // Inside a run only a byte that may begin a space needs its character decoded:
        // the bytes up to the next one are passed over in one tight loop.
        if run.is_some() {
            match bytes[i..].iter().position(|&b| SPACE_LEADS[usize::from(b)]) {
                Some(skipped) => i += skipped,
                None => break,
            }
        }
        // `i` is a character's start: a run has just ended, or the byte begins one.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let next = i + c.len_utf8();
        if c.is_whitespace() || c == '\u{feff}' {
            if let Some(start) = run.take() {
                out.push_str(&text[start..i]);
            }
            if !pending_space {
                pending_break = false;
            }
            pending_space = !out.is_empty();
            pending_break = pending_break || !matches!(c, ' ' | '\u{3000}' | '\u{a0}');
        } else if run.is_none() {
            if pending_space {
                let before = out.chars().next_back();
                let between_cjk =
                    before.is_some_and(written_without_spaces) && written_without_spaces(c);
                // Kept only between two words: beside a full-width mark it is padding.
                let typed_between_words = !pending_break
                    && before.is_some_and(char::is_alphanumeric)
                    && c.is_alphanumeric();
                if !between_cjk || typed_between_words {
                    out.push(' ');
                }
                pending_space = false;
                pending_break = false;
            }
            run = Some(i);
        }
        i = next;
    }
    if let Some(start) = run {
        out.push_str(&text[start..]);
    }
    out
}

/// [`may_begin_space`] of every byte, looked up rather than compared.
const SPACE_LEADS: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < table.len() {
        table[byte] = may_begin_space(byte as u8);
        byte += 1;
    }
    table
};

/// Whether `byte` may begin a white-space character or U+FEFF in UTF-8: ASCII white
/// space, or the lead byte of U+0085 and U+00A0 (`C2`), U+1680 (`E1`), U+2000–U+205F
/// (`E2`), U+3000 (`E3`) or U+FEFF (`EF`). Any other byte is inside a run of text.
const fn may_begin_space(byte: u8) -> bool {
    matches!(
        byte,
        b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_line_loses_the_empty_cells_of_a_layout_table() {
        let page = extract_text("某某访谈:边走边想 | |||||||||\n收入 | 支出\n选项 A |\n");
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["某某访谈:边走边想", "收入 | 支出", "选项 A |"]);
    }

    #[test]
    fn every_space_begins_with_a_byte_marked_as_a_space_lead() {
        let mut utf8 = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() || c == '\u{feff}' {
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(SPACE_LEADS[usize::from(lead)], "{:?}", c);
            }
        }
    }

    #[test]
    fn folding_and_collapsing_agree_with_a_character_walk() {
        let texts = [
            "",
            "  a\u{a0}b\u{3000}c\u{feff}d\u{2029}e\u{85}f\u{1680}g ",
            "表 | 格\t一\n二 三|四",
            "English words, and 中文 mixed\u{2003}in",
            "们（笑）\u{202f}x",
        ];
        for text in texts {
            let folded: String = text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '|')
                .collect();
            assert_eq!(fold_for_matching(text), folded, "{text:?}");
            let collapsed = collapse_space(text);
            assert!(!collapsed.starts_with(' ') && !collapsed.ends_with(' '));
            assert_eq!(
                collapsed.chars().filter(|c| *c != ' ').collect::<String>(),
                text.chars()
                    .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
                    .collect::<String>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn text_pages_split_by_line() {
        let page = extract("  标题\n\n\u{3000}\u{3000}第一段。\n# 小标题\n", false);
        let texts: Vec<_> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["标题", "第一段。", "小标题"]);
        assert_eq!(page.blocks[2].kind, BlockKind::Heading(1));
        assert_eq!(page.blocks[1].number, 2);
    }

    #[test]
    fn html_keeps_content_blocks_and_drops_scripts_and_nav() {
        let html = "<html><head><title>T - Site</title>\
            <link rel=canonical href='https://example.org/a'></head><body>\
            <nav><a href=/>Home</a></nav><script>var x = 1;</script>\
            <article><header><h1>A talk</h1></header><p>First\n paragraph.</p>\
            <ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>\
            <table><tr><td>a</td><td>b</td></tr></table></article>\
            <footer>Copyright</footer></body></html>";
        let page = extract(html, true);
        let texts: Vec<_> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "A talk",
                "First paragraph.",
                "one",
                "two",
                "quoted",
                "a | b"
            ]
        );
        assert_eq!(page.blocks[0].kind, BlockKind::Heading(1));
        assert_eq!(page.blocks[4].kind, BlockKind::Quote);
        assert_eq!(page.head.title.as_deref(), Some("T - Site"));
        assert_eq!(page.head.url.as_deref(), Some("https://example.org/a"));
    }

    #[test]
    fn link_density_and_chrome_hints_are_measured() {
        let html = "<body><div class='friend-links'><a href=x>甲网</a> <a href=y>乙网</a></div>\
            <p>正文里有一个<a href=z>链接</a>和很多字。</p></body>";
        let page = extract(html, true);
        assert!(page.blocks[0].chrome_hint);
        assert!(page.blocks[0].link_density > 0.9);
        assert!(!page.blocks[1].chrome_hint);
        assert!(page.blocks[1].link_density < 0.3);
    }

    #[test]
    fn line_breaks_inside_chinese_are_not_spaces() {
        assert_eq!(
            collapse_space("大模型\n  训练 and  more"),
            "大模型训练 and more"
        );
        assert_eq!(collapse_space("정석희 칼럼\n 기사"), "정석희 칼럼 기사");
        // A space typed between Chinese words separates them (a headline's clauses,
        // a byline's fields).
        assert_eq!(
            collapse_space("刘翔很难重回巅峰  媒体报道\n 太可笑"),
            "刘翔很难重回巅峰 媒体报道太可笑"
        );
        assert_eq!(collapse_space("交流， 而\u{c}且 。"), "交流，而且。");
    }

    /// How deep the parsed tree goes: the parser's work per tag grows with it.
    fn tree_depth(document: &Html) -> usize {
        let mut depth = 0usize;
        let mut deepest = 0usize;
        for edge in document.tree.root().traverse() {
            match edge {
                Edge::Open(_) => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                Edge::Close(_) => depth -= 1,
            }
        }
        deepest
    }

    fn nested(levels: usize, tag: &str, inner: &str) -> String {
        let mut html = String::from("<html><body>");
        html.push_str(&format!("<{tag}>").repeat(levels));
        html.push_str(inner);
        html.push_str(&format!("</{tag}>").repeat(levels));
        html.push_str("<p>After the nest.</p></body></html>");
        html
    }

    #[test]
    fn deep_nesting_reaches_the_parser_capped_with_its_text() {
        let html = nested(100_000, "div", "<p>深处的一段话。</p>");
        let capped = cap_nesting(&html, MAX_NESTING);
        let document = Html::parse_document(&capped);
        // Bounded depth is what keeps parsing linear: html5ever's scope checks walk the
        // stack of open elements on every tag.
        assert!(tree_depth(&document) <= MAX_NESTING + 8);
        let text: String = document.root_element().text().collect();
        assert!(text.contains("深处的一段话。"));
        assert!(text.contains("After the nest."));
    }

    #[test]
    fn a_page_nested_100k_deep_is_extracted() {
        let html = nested(
            100_000,
            "span",
            "<p>One paragraph of real text at the bottom.</p>",
        );
        let page = extract(&html, true);
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(texts.contains(&"One paragraph of real text at the bottom."));
        assert!(texts.contains(&"After the nest."));
    }

    #[test]
    fn ordinary_pages_reach_the_parser_unchanged() {
        let html = "<html><body><div title='a > b'><!-- <div><div> --><script>if (a < b) \
            { document.write('<div>') }</script><p>one<p>two<br><img src=x>\
            <ul><li>a<li>b</ul></div></body></html>";
        assert!(matches!(cap_nesting(html, 3), Cow::Borrowed(_)));
    }

    #[test]
    fn only_tags_past_the_limit_are_dropped() {
        let html = "<div><section><b>deep <i>deeper</i></b> back</section></div>";
        assert_eq!(
            cap_nesting(html, 2),
            "<div><section>deep deeper back</section></div>"
        );
        let unclosed = "<div><div><span>a</div></div><div>b</div>";
        assert_eq!(
            cap_nesting(unclosed, 2),
            "<div><div>a</div></div><div>b</div>"
        );
    }

    #[test]
    fn blocks_outside_the_main_text_are_marked() {
        let paragraph = "The interview began in the morning, and the founder spoke for two \
            hours about the first years of the company and the people who built it.";
        let html = format!(
            "<html><body><div class=menu><a href=/>Home</a> <a href=/news>News</a></div>\
             <div class=sidebar><p>Popular: ten ways to save money</p></div>\
             <article><h1>A long talk</h1><p>{paragraph}</p><p>Q: Why now?</p>\
             <p>A: Because the market was ready, and so were we.</p><p>{paragraph}</p>\
             </article><div class=footer><p>Contact the newsroom any time</p></div>\
             </body></html>"
        );
        let page = extract(&html, true);
        let main: Vec<&str> = page.main_blocks().map(|b| b.text.as_str()).collect();
        assert!(main.contains(&"Q: Why now?"), "{main:?}");
        assert!(main.contains(&"A: Because the market was ready, and so were we."));
        assert!(main.contains(&paragraph));
        assert!(
            !main.contains(&"Popular: ten ways to save money"),
            "{main:?}"
        );
        assert!(!main.contains(&"Contact the newsroom any time"), "{main:?}");
    }

    #[test]
    fn a_page_wrapped_in_one_form_keeps_its_article() {
        let paragraph = "The harbour board met on Tuesday, and its chair spoke for an hour \
            about the new ferry line and the people who will run it next spring.";
        let html = format!(
            "<html><body><form id=page method=post><div class=menu><a href=/>Home</a></div>\
             <article><h1>A new ferry line</h1><p>{paragraph}</p><p>{paragraph} Again.</p>\
             </article><input type=hidden value=state><button>Send</button></form></body></html>"
        );
        let page = extract(&html, true);
        let main: Vec<&str> = page.main_blocks().map(|b| b.text.as_str()).collect();
        assert!(main.iter().any(|text| text.contains(paragraph)), "{main:?}");
        assert!(!page.blocks.iter().any(|b| b.text.contains("Send")));
    }

    #[test]
    fn text_pages_have_no_boilerplate() {
        let page = extract("标题\n第一段。\n第二段。", false);
        assert_eq!(page.main_blocks().count(), 3);
    }

    #[test]
    fn sniffs_html_without_extension() {
        assert!(is_html("page.txt", "\n<!DOCTYPE html><html>"));
        assert!(!is_html("page.txt", "标题\n正文"));
        assert!(is_html("page.HTM", "plain"));
    }
}
