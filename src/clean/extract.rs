//! Pass 2, extract: a page's text → blocks (headings, paragraphs, list items, quotes,
//! table rows), with what the HTML `<head>` says about the page.

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
        let trimmed = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
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
        });
    }
    Page {
        blocks,
        head: Head::default(),
        is_html: false,
    }
}

fn markdown_heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = line[hashes..].strip_prefix(' ')?;
    (1..=6)
        .contains(&hashes)
        .then(|| (hashes as u8, rest.trim()))
}

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
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
            let total = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
            self.blocks.push(Block {
                number: self.blocks.len() + 1,
                kind,
                text: text.to_string(),
                link_density: (self.link_chars.min(total) as f32) / total as f32,
                chrome_hint: self.in_hint > 0 && self.in_article == 0,
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
    let document = Html::parse_document(text);
    let head = read_head(&document);
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
    Page {
        blocks: builder.blocks,
        head,
        is_html: true,
    }
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
    }
}

/// Collapses runs of white space to one space, and drops it entirely between two CJK
/// characters (a line break in the source of a Chinese paragraph is not a space).
pub fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{feff}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let before_cjk = out.chars().next_back().is_some_and(crate::text::is_cjk);
            if !(before_cjk && crate::text::is_cjk(c)) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn sniffs_html_without_extension() {
        assert!(is_html("page.txt", "\n<!DOCTYPE html><html>"));
        assert!(!is_html("page.txt", "标题\n正文"));
        assert!(is_html("page.HTM", "plain"));
    }
}
