//! Pass 3, chrome: tell the site's chrome (navigation, contact lines, footers, related
//! links) from the article, by general signals: position before the title and after
//! the end, `|`-joined short lines, phone numbers and e-mail, copyright and ICP lines,
//! friend-link and "recommended" headings, link density, the site's name recurring.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use regex::Regex;
use rustc_hash::FxHashSet;

use super::extract::{Block, BlockKind};
use super::{metadata, pinyin, prose};
use crate::text::has_wide_mark;

/// A paragraph with more of its text in links than this is no article prose (a teaser).
const MAX_PROSE_LINK_DENSITY: f32 = 0.2;

/// What a block of the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Site chrome, with the reason.
    Chrome(&'static str),
    /// The article's title.
    Title,
    /// A byline or date line, read for front matter.
    Byline,
    /// Article text.
    Body,
}

struct Patterns {
    line_markers: AhoCorasick,
    end_markers: FxHashSet<String>,
    tag_labels: FxHashSet<String>,
    credit: Regex,
    phone: Regex,
    email: Regex,
    legal: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let list = |text: &str| -> FxHashSet<String> {
            super::data_lines(text).map(str::to_lowercase).collect()
        };
        Patterns {
            line_markers: AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .build(super::data_lines(include_str!("data/chrome-lines.txt")))
                .expect("chrome markers compile"),
            end_markers: list(include_str!("data/chrome-end.txt")),
            tag_labels: list(include_str!("data/tag-labels.txt")),
            credit: Regex::new(
                r"^[【\[（(]?\s*(?:责任编辑|責任編輯|编辑|編輯|责编|責編)\s*[:：]\s*[\p{Han}·]{2,4}(?:[\s、，,/]+[\p{Han}·]{2,4}){0,3}\s*[】\]）)]?$",
            )
            .expect("credit pattern compiles"),
            phone: Regex::new(
                r"(?:[48]00[-\s]?\d{3}[-\s]?\d{4})|(?:(?-u:\b)1[3-9]\d{9}(?-u:\b))|(?:(?-u:\b)0\d{2,3}-\d{7,8}(?-u:\b))|(?:\+\d{1,3}[\s-]\(?\d{1,4}\)?[\s-]\d{3,4}[\s-]\d{3,4})",
            )
            .expect("phone pattern compiles"),
            email: Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
                .expect("email pattern compiles"),
            legal: Regex::new(r"(?i)^(?:copyright|©|\(c\))|ICP[备证]|公网安备|版权所有\s*$")
                .expect("legal pattern compiles"),
        }
    })
}

/// Whether the line is a heading that starts the after-article part of a page
/// (`新闻推荐`, `友情链接：`, `Related articles`), read without pinyin annotations.
pub fn is_end_marker(text: &str) -> bool {
    let text = pinyin::without_readings(text);
    if text.len() > 64 {
        return false;
    }
    let trimmed = text.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '：' | '>' | '»' | '.' | '…')
    });
    // Most lines have nothing to lower: lowering them (a table look-up per character)
    // cost more than the set look-up.
    if trimmed.chars().all(has_no_lower_case) {
        return patterns().end_markers.contains(trimmed);
    }
    patterns().end_markers.contains(&trimmed.to_lowercase())
}

/// Whether the line is only an editor's credit (`【编辑:张三】`, `责任编辑：李四 王五`),
/// which news sites put where the article ends.
fn is_credit_line(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() <= 30 && patterns().credit.is_match(text)
}

/// Whether `c` is one of the characters Chinese and English lines are mostly made of
/// that lower-casing leaves as they are: ASCII other than capitals, CJK punctuation,
/// the ideographs, and full-width punctuation and digits.
fn has_no_lower_case(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF01..=0xFF20)
}

/// Why the block is chrome wherever it stands, or `None` when it may be article text.
pub fn chrome_reason(block: &Block, brands: &[String]) -> Option<&'static str> {
    general_reason(block).or_else(|| names_site(block, brands).then_some(SITE_NAME))
}

/// The reason of a short line holding one of the site's brands.
const SITE_NAME: &str = "site name";

/// A line short enough, and no sentence, to be chrome when it holds a brand.
fn may_name_site(block: &Block) -> bool {
    let text = block.text.as_str();
    text.chars().count() <= 40 && !has_wide_mark(text, &['。', '！', '？', '，'])
}

/// Whether the block is a short line holding one of the site's brands.
fn names_site(block: &Block, brands: &[String]) -> bool {
    may_name_site(block) && brands.iter().any(|b| block.text.contains(b.as_str()))
}

/// [`chrome_reason`] without the site's brands: what does not depend on them. The
/// line is read without pinyin annotations, which the pinyin pass removes only later.
fn general_reason(block: &Block) -> Option<&'static str> {
    let text = pinyin::without_readings(&block.text);
    let text = text.as_ref();
    let chars = text.chars().count();
    if block.chrome_hint {
        return Some("inside a page element named for chrome");
    }
    if block.link_density >= 0.6 && chars < 200 {
        return Some("mostly links");
    }
    let patterns = patterns();
    // Only whether there are one or two distinct markers matters, and whether the line
    // opens with one as its label (`上一篇：…`, a link to another article).
    let mut seen = Vec::new();
    let mut labelled = false;
    for m in patterns.line_markers.find_iter(text) {
        labelled |= m.start() == 0
            && (text[..m.end()].ends_with([':', '：']) || text[m.end()..].starts_with([':', '：']));
        if !seen.contains(&m.pattern()) {
            seen.push(m.pattern());
            if seen.len() == 2 {
                break;
            }
        }
    }
    let markers = seen.len();
    let sentence = || has_wide_mark(text, &['。', '！', '？', '，']);
    if (markers >= 1 && chars <= 24 && !sentence()) || markers >= 2 || labelled {
        return Some("site label or contact line");
    }
    if chars <= 10 && (text.starts_with("? ") || text.starts_with('\u{FFFD}')) {
        // An icon the page's encoding lost, before its widget's label (`? 人氣`).
        return Some("widget label");
    }
    if chars <= 12 && is_font_size_widget(text) {
        return Some("widget label");
    }
    if block.kind != BlockKind::TableRow && is_bar(text) {
        return Some("navigation bar");
    }
    if is_breadcrumb(text) {
        return Some("breadcrumb");
    }
    if is_tag_line(text) {
        return Some("tag line");
    }
    if is_handle(text) {
        return Some("a social-media handle alone");
    }
    // Each pattern is asked only of a text holding a byte every match of it holds: a
    // phone number a `0`, `1` or `+`; an e-mail address an `@`.
    let bytes = text.as_bytes();
    if chars <= 80
        && memchr::memchr3(b'0', b'1', b'+', bytes).is_some()
        && patterns.phone.is_match(text)
    {
        return Some("phone number");
    }
    if chars <= 80 && memchr::memchr(b'@', bytes).is_some() && patterns.email.is_match(text) {
        return Some("contact e-mail");
    }
    if chars <= 200 && patterns.legal.is_match(text) {
        return Some("copyright line");
    }
    None
}

/// A trail of short segments joined by `>`, `>>`, `->`, `»` or `＞`:
/// `首页 >> 冠军访谈 -> 正文`, the last of them perhaps the article's title.
fn is_breadcrumb(text: &str) -> bool {
    breadcrumb_trail(text).is_some()
}

/// The last crumb of a breadcrumb line, read without pinyin annotations: on many
/// sites the article's headline, which a text copy then repeats as a line of its own.
pub fn breadcrumb_last(text: &str) -> Option<String> {
    let text = pinyin::without_readings(text);
    breadcrumb_trail(&text).and_then(|trail| trail.last().map(|s| s.to_string()))
}

/// The first crumb of a breadcrumb line, read without pinyin annotations: the site's
/// name (`新華網 > 科技 > 正文`), which a copied title may end with.
pub fn breadcrumb_first(text: &str) -> Option<String> {
    let text = pinyin::without_readings(text);
    breadcrumb_trail(&text).and_then(|trail| trail.first().map(|s| s.to_string()))
}

/// The segments of a breadcrumb line ([`is_breadcrumb`]).
fn breadcrumb_trail(text: &str) -> Option<Vec<&str>> {
    // More than 480 bytes are more than 120 characters; without a separator there is
    // one segment at most.
    static SEPARATORS: crate::text::Literals<4> = crate::text::Literals::new([">", "»", "＞", "›"]);
    if text.len() > 480
        || !SEPARATORS.any_in(text)
        || text.chars().count() > 120
        || has_wide_mark(text, &['。'])
    {
        return None;
    }
    let segments: Vec<&str> = text
        .split(['>', '»', '＞', '›'])
        .map(|s| s.trim().trim_end_matches(['-', '－']).trim())
        .filter(|s| !s.is_empty())
        .collect();
    // The last crumb may be the article's own title, a question or an exclamation. A
    // crumb may be empty (`新華網 > > 正文`, a section without a name): two separators
    // make a trail too.
    let separators = text.matches(['>', '»', '＞', '›']).count();
    let (last, crumbs) = segments.split_last()?;
    (!crumbs.is_empty()
        && (crumbs.len() >= 2 || separators >= 2)
        && crumbs
            .iter()
            .all(|s| s.chars().count() <= 30 && !has_wide_mark(s, &['！', '？']))
        && last.chars().count() <= 80)
        .then_some(segments)
}

/// A CMS tag or keyword line: a label of `data/tag-labels.txt`, a colon, then keywords
/// and no sentence (`標簽：足球 中超 中國足球`), or hashtags alone (`#香港一线`).
fn is_tag_line(text: &str) -> bool {
    if text.len() > 480 || has_wide_mark(text, &['。', '！', '？']) {
        return false;
    }
    if text.starts_with('#') || text.starts_with('＃') {
        return text
            .split_whitespace()
            .all(|tag| tag.starts_with(['#', '＃']) && (2..=16).contains(&tag.chars().count()));
    }
    let Some((label, keywords)) = text.split_once([':', '：']) else {
        return false;
    };
    let label = label.trim();
    label.chars().count() <= 8
        && !keywords.trim().is_empty()
        && keywords.chars().count() <= 100
        && patterns().tag_labels.contains(&label.to_lowercase())
}

/// A font-size widget's buttons (`- A+`, `A- A A+`): letters A with signs, and signs.
fn is_font_size_widget(text: &str) -> bool {
    text.contains("A+")
        && text
            .split_whitespace()
            .all(|t| matches!(t, "A+" | "A-" | "A" | "-" | "+" | "A+A-" | "A-A+"))
}

/// A social-media account's handle alone on a line (`@直新闻`).
fn is_handle(text: &str) -> bool {
    text.strip_prefix(['@', '＠']).is_some_and(|name| {
        (1..=HANDLE_CHARS).contains(&name.chars().count())
            && !name.contains(|c: char| c.is_whitespace() || matches!(c, '@' | '.' | '。'))
    })
}

/// The longest handle taken as one.
const HANDLE_CHARS: usize = 20;

/// Short segments joined by `|`: `首页 | 关于我们 | 联系方式`.
fn is_bar(text: &str) -> bool {
    // Without a bar there is one segment (both looked for by a byte search).
    if !text.contains('|') && memchr::memmem::find(text.as_bytes(), "｜".as_bytes()).is_none() {
        return false;
    }
    let segments: Vec<&str> = text.split(['|', '｜']).map(str::trim).collect();
    segments.len() >= 3 && segments.iter().all(|s| s.chars().count() <= 24)
        || segments.len() == 2 && segments.iter().all(|s| s.chars().count() <= 8)
}

/// A page laid out before its site's brands are known: the brands only turn short body
/// lines that hold one into chrome, so the layout pass lays a page out once and asks for
/// its roles with the given brands and again with the brands learned from them.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The roles, with every line that may name the site still body.
    roles: Vec<Role>,
    /// The body lines that are chrome when they hold a brand ([`may_name_site`]).
    may_name_site: Vec<usize>,
}

impl Layout {
    /// Gives each block its role, but for the site's brands: chrome before the title
    /// and after an end heading, bylines near the title, chrome lines wherever they
    /// stand, the rest body. Where the extractor told the page's main text from the
    /// rest, a paragraph of its prose is body even before the title (a headline placed
    /// below the lead) and after an end heading (a `Related articles` box inside the
    /// article): the cut resumes at the first main-text block, not a link, that such a
    /// paragraph follows.
    pub fn new(blocks: &[Block], title: Option<usize>) -> Layout {
        let mut may_name = Vec::new();
        let roles = layout_without_brands(blocks, title, &mut may_name);
        Layout {
            roles,
            may_name_site: may_name,
        }
    }

    /// The roles of `blocks` (the blocks it was made from) with the site's `brands`.
    pub fn roles(&self, blocks: &[Block], brands: &[String]) -> Vec<Role> {
        let mut roles = self.roles.clone();
        for &i in &self.may_name_site {
            // A teaser or listing mark made later wins over the brand, as in one pass.
            if roles[i] == Role::Body && names_site(&blocks[i], brands) {
                roles[i] = Role::Chrome(SITE_NAME);
            }
        }
        roles
    }
}

/// How many blocks right above a text page's title may be its lead: a copy may put
/// the headline below the opening sentence (`…接受了某台的采访。` then the headline).
const LEAD_ABOVE_TITLE: usize = 3;

/// Whether a block reads as a sentence of the article: it ends with a full stop, holds
/// 15 Chinese characters or 8 words, and no chrome or spam. Teasers are cut short
/// (`…`) or end in a question or an exclamation (`…看完你还敢去吗？`); headlines and
/// menus end without a stop.
fn is_lead_sentence(block: &Block) -> bool {
    let text = block.text.trim_end();
    let unquoted = text.trim_end_matches(['”', '」', '"']);
    unquoted.ends_with(['。', '.'])
        && !is_cut_short(text)
        && (text
            .chars()
            .filter(|c| crate::text::is_cjk(*c))
            .nth(14)
            .is_some()
            || text.split_whitespace().nth(7).is_some())
        && general_reason(block).is_none()
        && !crate::clean::lexicon::Lexicon::global().is_spam_line(text)
}

/// [`Layout::new`]'s roles, with every line that would be chrome for holding a brand
/// left as body and its index pushed to `may_name`.
fn layout_without_brands(
    blocks: &[Block],
    title: Option<usize>,
    may_name: &mut Vec<usize>,
) -> Vec<Role> {
    let mut roles = vec![Role::Body; blocks.len()];
    let main_known = blocks.iter().any(|b| b.boilerplate);
    let main_prose = |block: &Block| {
        main_known
            && !block.boilerplate
            && block.link_density < MAX_PROSE_LINK_DENSITY
            && prose::is_prose(block)
    };
    let start = match title {
        Some(t) => {
            for (i, role) in roles.iter_mut().enumerate().take(t) {
                *role = if metadata::is_byline(&blocks[i].text) {
                    Role::Byline
                } else if main_prose(&blocks[i])
                    || !main_known && i + LEAD_ABOVE_TITLE >= t && is_lead_sentence(&blocks[i])
                {
                    Role::Body
                } else {
                    Role::Chrome("before the title")
                };
            }
            roles[t] = Role::Title;
            t + 1
        }
        None => 0,
    };
    // Which blocks are end headings, asked once per block.
    let end_marker: Vec<bool> = blocks.iter().map(|b| is_end_marker(&b.text)).collect();
    // Whether main-text prose follows block `i` before the next end heading.
    let mut prose_ahead = vec![false; blocks.len() + 1];
    for i in (0..blocks.len()).rev() {
        let continues = i + 1 < blocks.len() && !end_marker[i + 1];
        prose_ahead[i] = main_prose(&blocks[i]) || continues && prose_ahead[i + 1];
    }
    let resumes = |i: usize| {
        let block = &blocks[i];
        !block.boilerplate && block.link_density < MAX_PROSE_LINK_DENSITY && prose_ahead[i]
    };
    let mut after_end = false;
    let mut teasers_follow = false;
    // An editor's credit ends the article once prose has begun; above it, it is a
    // byline.
    let mut prose_seen = false;
    for i in start..blocks.len() {
        let block = &blocks[i];
        if i > start && (end_marker[i] || prose_seen && is_credit_line(&block.text)) {
            after_end = true;
            teasers_follow = only_teasers_follow(blocks, &end_marker, i, resumes);
            roles[i] = Role::Chrome("after the article");
            continue;
        }
        if after_end && teasers_follow {
            roles[i] = Role::Chrome("a teaser of another article");
            continue;
        }
        if after_end && !resumes(i) {
            roles[i] = Role::Chrome("after the article");
            continue;
        }
        after_end = false;
        roles[i] = if i < start + 4 && metadata::is_byline(&block.text) {
            Role::Byline
        } else if block.boilerplate {
            Role::Chrome("outside the page's main text")
        } else if let Some(reason) = general_reason(block) {
            Role::Chrome(reason)
        } else {
            if may_name_site(block) {
                may_name.push(i);
            }
            prose_seen = prose_seen || prose::is_prose(block);
            Role::Body
        };
    }
    mark_header_fields(blocks, &mut roles, start);
    mark_widget_labels(blocks, &mut roles, start);
    let date_lines = DateLines::of(blocks);
    mark_teasers(blocks, &date_lines, &mut roles, start);
    mark_listings(blocks, &date_lines, &mut roles, start);
    mark_summaries(blocks, &mut roles, start);
    mark_promoted_lists(blocks, &mut roles, start);
    roles
}

/// The longest label of a site's promotion heading its list (`【上某某独家看英超】`).
const PROMOTION_LABEL_CHARS: usize = 16;

/// A site's promotion in brackets standing alone, with nothing after it but bulleted
/// lines (the site's other stories), ends the article: it and they are chrome.
fn mark_promoted_lists(blocks: &[Block], roles: &mut [Role], start: usize) {
    let is_bulleted = |b: &Block| {
        b.kind == BlockKind::ListItem || b.text.trim_start().starts_with(['•', '·', '▪', '●'])
    };
    let Some(label) = (start..blocks.len()).find(|&i| {
        let text = blocks[i].text.trim();
        text.strip_prefix('【')
            .and_then(|rest| rest.strip_suffix('】'))
            .is_some_and(|inner| (1..=PROMOTION_LABEL_CHARS).contains(&inner.chars().count()))
            && i + 1 < blocks.len()
            && blocks[i + 1..].iter().all(is_bulleted)
    }) else {
        return;
    };
    for role in &mut roles[label..] {
        *role = Role::Chrome("a promotion and the site's other stories after the article");
    }
}

/// The characters of a summary that must repeat the article's opening.
const SUMMARY_REPEAT_CHARS: usize = 20;

/// A site's summary of the article above it: the opening of the text, cut short
/// (`简介主持人：随着…何种...` before `主持人：随着…何种联想呢？`), perhaps after a
/// label or a brand. It is chrome: the text follows in full.
fn mark_summaries(blocks: &[Block], roles: &mut [Role], start: usize) {
    let letters = |text: &str| -> String { text.chars().filter(|c| c.is_alphanumeric()).collect() };
    for i in start..blocks.len() {
        if roles[i] != Role::Body || !is_cut_short(&blocks[i].text) {
            continue;
        }
        let summary = letters(&blocks[i].text);
        // The summary's end, from where the next text's opening stands in it (a label
        // or a brand may come first), is that text's beginning.
        let repeats = (i + 1..blocks.len().min(i + 3)).any(|next| {
            let text = letters(&blocks[next].text);
            let opening: String = text.chars().take(SUMMARY_REPEAT_CHARS).collect();
            opening.chars().count() == SUMMARY_REPEAT_CHARS
                && summary
                    .find(&opening)
                    .is_some_and(|at| text.starts_with(&summary[at..]))
        });
        if repeats {
            roles[i] = Role::Chrome("a summary of the article (its opening, cut short)");
        }
    }
}

/// The fields of an article's header, each on a line of its own between the title and
/// the byline right under it (a mirrored WeChat article: `Original`, the writer, the
/// account, then the date), are bylines too: words too short for a subtitle.
fn mark_header_fields(blocks: &[Block], roles: &mut [Role], start: usize) {
    let Some(byline) = (start..blocks.len().min(start + 4)).find(|&i| roles[i] == Role::Byline)
    else {
        return;
    };
    for i in start..byline {
        let text = blocks[i].text.trim();
        if roles[i] == Role::Body
            && (1..=HEADER_FIELD_CHARS).contains(&text.chars().count())
            && !has_wide_mark(text, &['。', '，', '！', '？', '：'])
        {
            roles[i] = Role::Byline;
        }
    }
}

/// The longest line taken for a field of an article's header.
const HEADER_FIELD_CHARS: usize = 8;

/// Above the first paragraph of prose, the one-word lines and counts that follow a
/// chrome line are its widget's other labels (`字号` then `放大`, `标准`, `分享`; a
/// hashtag then its article count, `83个`), and a short line that is no sentence
/// between two chrome lines is one of them too (an account's promotion: `更多分析请下载`,
/// `直新闻APP`, `参与评论请在新浪微博`).
fn mark_widget_labels(blocks: &[Block], roles: &mut [Role], start: usize) {
    for i in start.max(1)..blocks.len() {
        if prose::is_prose(&blocks[i]) {
            return;
        }
        if roles[i] != Role::Body || !matches!(roles[i - 1], Role::Chrome(_)) {
            continue;
        }
        let text = blocks[i].text.trim();
        let chars = text.chars().count();
        if (1..=WIDGET_LABEL_CHARS).contains(&chars) && text.chars().all(char::is_alphabetic)
            || is_count(text)
        {
            roles[i] = Role::Chrome("a widget's label");
        } else if chars <= WEDGED_LINE_CHARS
            && !has_wide_mark(text, &['。', '！', '？', '，'])
            && roles
                .get(i + 1)
                .is_some_and(|r| matches!(r, Role::Chrome(_)))
        {
            roles[i] = Role::Chrome("a short line between chrome lines above the article");
        }
    }
}

/// The longest line taken for a widget's label.
const WIDGET_LABEL_CHARS: usize = 2;
/// The longest line taken for chrome between two chrome lines above the article.
const WEDGED_LINE_CHARS: usize = 24;

/// A widget's count: digits with perhaps a measure word or a `+` (`83个`, `1.2万`, `99+`).
fn is_count(text: &str) -> bool {
    let unit = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    unit.len() < text.len()
        && text.starts_with(|c: char| c.is_ascii_digit())
        && matches!(
            unit,
            "" | "+" | "个" | "個" | "条" | "條" | "篇" | "次" | "人" | "万" | "萬"
        )
}

/// Whether each block is a date line ([`is_date_line`]), found when first asked: the
/// teaser and listing marks ask it of most blocks more than once.
struct DateLines<'b> {
    blocks: &'b [Block],
    known: Vec<std::cell::OnceCell<bool>>,
}

impl<'b> DateLines<'b> {
    fn of(blocks: &'b [Block]) -> DateLines<'b> {
        DateLines {
            blocks,
            known: vec![std::cell::OnceCell::new(); blocks.len()],
        }
    }

    /// Whether block `i` is a date line (false past the last block).
    fn at(&self, i: usize) -> bool {
        self.blocks
            .get(i)
            .is_some_and(|b| *self.known[i].get_or_init(|| is_date_line(&b.text)))
    }
}

/// Whether the prose that would resume after the end heading at `end` (up to the next
/// one) is a list of other posts' excerpts, not the article going on: at least two of
/// its paragraphs are cut short (`…`), and they are at least a third of it. `end_marker`
/// tells which blocks are end headings.
fn only_teasers_follow(
    blocks: &[Block],
    end_marker: &[bool],
    end: usize,
    resumes: impl Fn(usize) -> bool,
) -> bool {
    let section = end_marker[end + 1..]
        .iter()
        .position(|&marker| marker)
        .map_or(blocks.len(), |n| end + 1 + n);
    let resumed: Vec<&Block> = (end + 1..section)
        .filter(|&i| resumes(i))
        .map(|i| &blocks[i])
        .collect();
    let cut_short = resumed.iter().filter(|b| is_cut_short(&b.text)).count();
    cut_short >= 2 && cut_short * 3 >= resumed.len()
}

/// A paragraph that stops mid-sentence with an ellipsis, as an excerpt does (`……`
/// is Chinese punctuation for a trailing-off sentence and does not count).
fn is_cut_short(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with("...") || text.ends_with('…') && !text.ends_with("……")
}

/// A line that is a date and little else: `2025-12-08`, `11/20/2019 01:14 PM`.
fn is_date_line(text: &str) -> bool {
    // The length first, without counting a paragraph through: most blocks are longer.
    text.chars().nth(24).is_none()
        && text.chars().filter(|c| c.is_alphabetic()).count() <= 4
        && (metadata::find_date(text).is_some()
            || text.chars().filter(char::is_ascii_digit).count() >= 6 && text.contains(['/', ':']))
}

/// A list of other articles: headlines, each followed by its date line (and perhaps a
/// byline between). Three entries in a row, or one right after a teaser, are chrome.
fn mark_listings(blocks: &[Block], date_lines: &DateLines, roles: &mut [Role], start: usize) {
    let headline = |i: usize, b: &Block| {
        let chars = b.text.chars().count();
        (4..=100).contains(&chars)
            && !date_lines.at(i)
            && !b.text.contains('。')
            && !b.text.trim_end().ends_with(['.', ':', '：'])
    };
    // The length of the entry starting at `i`: headline, [byline], date line.
    let entry = |i: usize| -> Option<usize> {
        if !headline(i, blocks.get(i)?) {
            return None;
        }
        let date_at = |j: usize| date_lines.at(j);
        if date_at(i + 1) {
            return Some(2);
        }
        let byline = blocks
            .get(i + 1)
            .is_some_and(|b| b.text.chars().count() <= 48 && metadata::is_byline(&b.text));
        (byline && date_at(i + 2)).then_some(3)
    };
    let reason = Role::Chrome("a teaser of another article");
    let mut i = start.max(1);
    while i < blocks.len() {
        let after_teaser = roles[i - 1] == reason;
        let mut end = i;
        let mut entries = 0;
        while let Some(length) = entry(end) {
            end += length;
            entries += 1;
        }
        if entries >= 3 || entries >= 1 && after_teaser {
            for role in &mut roles[i..end] {
                *role = reason;
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

/// A teaser of another article: a lead cut short by the site (`...`, `…`; prose's own
/// ellipsis is `……`) next to a date line, opening with a date, or next to another
/// cut lead; with its headline above. Such groups are chrome wherever they stand.
fn mark_teasers(blocks: &[Block], date_lines: &DateLines, roles: &mut [Role], start: usize) {
    let is_date = |i: usize| date_lines.at(i);
    let cut_short = |i: usize| blocks.get(i).is_some_and(|b| is_cut_short(&b.text));
    let opens_with_date = |i: usize| {
        let head: String = blocks[i].text.chars().take(12).collect();
        metadata::find_date(&head).is_some()
    };
    for i in start.max(1)..blocks.len() {
        if !cut_short(i) {
            continue;
        }
        let evidence = is_date(i + 1)
            || is_date(i - 1)
            || opens_with_date(i)
            || cut_short(i + 1)
            || cut_short(i - 1);
        if !evidence {
            continue;
        }
        let reason = Role::Chrome("a teaser of another article");
        roles[i] = reason;
        for j in [i - 1, i + 1] {
            if is_date(j) {
                roles[j] = reason;
            }
        }
        let headline = i - 1;
        let text = &blocks[headline].text;
        if headline > start
            && !is_date(headline)
            && !cut_short(headline)
            && text.chars().count() <= 40
            && !text.contains('。')
        {
            roles[headline] = reason;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The roles of `blocks` with the site's `brands`, as the layout pass asks for them.
    fn layout(blocks: &[Block], title: Option<usize>, brands: &[String]) -> Vec<Role> {
        Layout::new(blocks, title).roles(blocks, brands)
    }

    fn blocks_of(texts: &[&str]) -> Vec<Block> {
        texts.iter().copied().map(block).collect()
    }

    fn block(text: &str) -> Block {
        Block {
            number: 1,
            kind: BlockKind::Paragraph,
            text: text.to_string(),
            link_density: 0.0,
            chrome_hint: false,
            boilerplate: false,
        }
    }

    #[test]
    fn contact_and_legal_lines_are_chrome() {
        for line in [
            "首页 | 关于我们 | 新闻中心 | 联系我们",
            "服务热线：400-888-1234",
            "邮箱：service@example-site.cn",
            "Copyright © 2010-2024 某某网 版权所有 粤ICP备12345678号",
            "Contact us",
            "首页 >> 冠军访谈 -> 正文",
            "新華網 > > 正文",
            "字體：",
            "- A+",
            "A- A A+",
            "上一篇: 林知远：感谢所有人，这两场比赛我们拼下了一分，没什么可挑剔的",
            "某某网提示您本文标题是：《记者会结束后，还有你不知道的料》。来源是某某报。",
            "本網站使用相關技術提供更好的閱讀體驗，同時尊重使用者隱私，點這裡瞭解",
            "請同意我們的隱私權規範，才能啟用聽新聞的功能。",
            "Your browser does not appear to support Traditional Chinese. Would you like to go to the English site?",
            "Home › Features › Interviews",
            "你的位置：某某网 > 科技 > 独家对话叶明：低代码到底改变了什么？",
            "標簽：  足球  中超  中國足球",
            "关键词: 城市更新, 口述历史",
            "Tags: archives, oral history",
            // Labels with a machine conversion's readings left in.
            "當(dāng)前位置： 首頁(yè) > 人物專訪",
            "標(biāo)簽： 鐘錶 手藝",
            "#香港一线",
            "#书店故事 #县城",
            "收录于话题",
            "? 人氣",
            "@直新闻",
            "更多分析请下载",
            "参与评论请在新浪微博",
            "欄目: 華語片場 / 發佈於: / 人氣:1.05W",
            "Posted in 维修保养指南",
            "專題:香港回歸十週年?第一眼-CCTV.com新聞",
            ">>點擊看視頻",
            "Raw Blame History",
            "This file contains Unicode characters that might be confused with other characters. If you think that this is intentional, you can safely ignore this warning. Use the Escape button to reveal them.",
            "字体：",
            "瀏覽：",
            "文章简介：今天的比赛结束后，他接受了媒体采访。记者：你还关注什么运动？",
        ] {
            assert!(chrome_reason(&block(line), &[]).is_some(), "{line}");
        }
    }

    #[test]
    fn interview_sentences_are_not_chrome() {
        for line in [
            "记者：您怎样看待大模型的未来？",
            "林知远：我们在官网上公布了全部数据，这是对用户负责。",
            "Q: How did the company start?",
            "The hotline idea came from our customers, she said.",
            "问：x > y 时，模型会怎样？",
            "标签化的人生，我们都不喜欢。",
            "关键词：信任。没有它，什么都做不成。",
            "标签：这是别人给你的，不是你自己的！",
            "#1 是我们最常被问到的问题",
            "找到你的位置",
            "@所有人 明天的采访改到上午。",
            "他的人气很高，栏目也办得好。",
            "他浏览了文章简介，决定买下这本书。",
        ] {
            assert_eq!(chrome_reason(&block(line), &[]), None, "{line}");
        }
    }

    #[test]
    fn a_promotion_heading_a_list_of_other_stories_ends_the_article() {
        let blocks = blocks_of(&[
            "一篇访谈的标题",
            "问：您为什么回到家乡？",
            "【对话】",
            "答：因为家乡的图书馆需要人。",
            "【上某某独家看英超】",
            "• 某某：不是明显误判就不该介入",
            "• 某某：被逆转我感觉很糟糕",
            "•",
        ]);
        let roles = layout(&blocks, Some(0), &[]);
        assert_eq!(roles[1..4], [Role::Body, Role::Body, Role::Body]);
        assert!(
            roles[4..].iter().all(|r| matches!(r, Role::Chrome(_))),
            "{roles:?}"
        );
    }

    #[test]
    fn a_text_pages_lead_above_its_headline_stays() {
        let blocks = blocks_of(&[
            "某某体育在线直播",
            "独家揭秘！河边老房子背后的秘密，看完你还敢去吗？",
            "在客场不敌对手的赛后，主帅林知远接受了本地电视台的采访。",
            "林知远：开场两分钟就能感受到球迷的欢呼声",
            "我们少聊点比赛，多说说这次回来的感受吧。",
        ]);
        let roles = layout(&blocks, Some(3), &[]);
        assert!(matches!(roles[0], Role::Chrome(_)), "{roles:?}");
        assert!(matches!(roles[1], Role::Chrome(_)), "{roles:?}");
        assert_eq!(roles[2], Role::Body);
    }

    #[test]
    fn a_summary_repeating_the_opening_cut_short_is_chrome() {
        let blocks = blocks_of(&[
            "一篇访谈的标题",
            "简介某某网主持人：随着河边的老房子一座座修好，人们谈论得越来越多的是...",
            "主持人：随着河边的“老房子”一座座修好，人们谈论得越来越多的是图书馆。",
            "答：因为家乡的图书馆需要人，我也想看看孩子们现在读什么书、怎么读书...",
            "问：您为什么回到家乡？",
        ]);
        let roles = layout(&blocks, Some(0), &[]);
        assert!(matches!(roles[1], Role::Chrome(_)), "{roles:?}");
        assert_eq!(roles[2..], [Role::Body, Role::Body, Role::Body]);
    }

    #[test]
    fn the_site_name_marks_short_lines() {
        let brands = vec!["某某娱乐".to_string()];
        assert!(chrome_reason(&block("某某娱乐·官方平台"), &brands).is_some());
    }

    #[test]
    fn an_editors_credit_after_the_prose_ends_the_article() {
        let blocks = blocks_of(&[
            "一篇访谈的标题",
            "编辑：周小北",
            "问：您为什么回到家乡？这个问题很多人问过您吧，您每次都怎么回答他们呢？",
            "答：因为家乡的图书馆需要人，我也想看看孩子们现在读什么书、怎么读书。",
            "【编辑:周小北】",
            "----- 精选新闻 -----",
            "城南老街的春天",
        ]);
        let roles = layout(&blocks, Some(0), &[]);
        // Above the prose the same credit is a byline.
        assert_eq!(roles[1], Role::Byline);
        assert_eq!(roles[2], Role::Body);
        assert_eq!(roles[3], Role::Body);
        for role in &roles[4..] {
            assert_eq!(*role, Role::Chrome("after the article"));
        }
        for credit in [
            "【编辑:张三】",
            "（责任编辑：李四 王五）",
            "責任編輯：陳大文",
        ] {
            assert!(is_credit_line(credit), "{credit}");
        }
        for turn in ["编辑：这本书您写了多久？", "编辑部的故事"] {
            assert!(!is_credit_line(turn), "{turn}");
        }
    }

    #[test]
    fn layout_cuts_before_title_and_after_end_heading() {
        let blocks = blocks_of(&[
            "网站首页 | 在线留言",
            "行业动态",
            "一篇访谈的标题",
            "作者：小编 发布时间：2024-01-02",
            "正文第一段，很长很长的内容。",
            "相关推荐",
            "另一篇文章的标题",
        ]);
        let roles = layout(&blocks, Some(2), &[]);
        assert!(matches!(roles[0], Role::Chrome(_)));
        assert!(matches!(roles[1], Role::Chrome(_)));
        assert_eq!(roles[2], Role::Title);
        assert_eq!(roles[3], Role::Byline);
        assert_eq!(roles[4], Role::Body);
        assert!(matches!(roles[5], Role::Chrome("after the article")));
        assert!(matches!(roles[6], Role::Chrome("after the article")));
    }

    #[test]
    fn header_fields_and_widget_labels_around_the_byline() {
        let prose =
            "正文第一段，写了县城书店的十年，很长很长的内容，她说每天都有孩子来这里写作业。";
        let blocks = blocks_of(&[
            "专访周望舒：书店的十年",
            "Original",
            "许清和",
            "2022-08-15",
            "字号",
            "放大",
            "分享",
            prose,
            "记者：还会担心吗？",
            "好的",
        ]);
        let roles = layout(&blocks, Some(0), &[]);
        assert_eq!(roles[1..4], [Role::Byline, Role::Byline, Role::Byline]);
        assert!(
            roles[4..7].iter().all(|r| matches!(r, Role::Chrome(_))),
            "{roles:?}"
        );
        // Below the first paragraph a short line is the article's.
        assert_eq!(roles[7..], [Role::Body, Role::Body, Role::Body]);
    }

    #[test]
    fn an_accounts_promotion_above_the_article_is_chrome() {
        let prose =
            "正文第一段，写了县城书店的十年，很长很长的内容，她说每天都有孩子来这里写作业。";
        let blocks = blocks_of(&[
            "专访周望舒：书店的十年",
            "收录于话题",
            "#书店故事",
            "83个",
            "书店周刊：由某某团队出品",
            "更多故事请下载",
            "书店周刊APP",
            "@书店周刊",
            "【编者按】",
            prose,
            "83个",
        ]);
        let roles = layout(&blocks, Some(0), &[]);
        assert!(
            roles[1..8].iter().all(|r| matches!(r, Role::Chrome(_))),
            "{roles:?}"
        );
        // The label before the first paragraph has no chrome under it, and below the
        // first paragraph a count is the article's.
        assert_eq!(roles[8..], [Role::Body, Role::Body, Role::Body]);
    }

    #[test]
    fn counts_are_digits_with_a_measure_word() {
        for count in ["83个", "1.2万", "99+", "12"] {
            assert!(is_count(count), "{count}");
        }
        for other in ["个", "83个人", "第83个", "8月"] {
            assert!(!is_count(other), "{other}");
        }
    }

    #[test]
    fn main_text_prose_resumes_after_an_inner_end_heading() {
        let prose = "The council met on Monday and agreed the plan, which the mayor said would take three years to finish.";
        let mut blocks: Vec<Block> = [
            "Menu",
            "A council plan",
            prose,
            "Related articles",
            "Another story about the council",
            prose,
            "Related articles",
            "A third story, linked",
        ]
        .into_iter()
        .map(block)
        .collect();
        blocks[0].boilerplate = true;
        blocks[4].link_density = 1.0;
        blocks[7].boilerplate = true;
        let roles = layout(&blocks, Some(1), &[]);
        assert_eq!(roles[2], Role::Body);
        assert!(matches!(roles[3], Role::Chrome("after the article")));
        assert!(matches!(roles[4], Role::Chrome("after the article")));
        assert_eq!(roles[5], Role::Body, "{roles:?}");
        assert!(matches!(roles[6], Role::Chrome(_)));
        assert!(matches!(roles[7], Role::Chrome(_)));
    }

    #[test]
    fn excerpts_after_a_related_posts_heading_inside_the_article_are_teasers() {
        let prose = "The council met on Monday and agreed the plan, which the mayor said would take three years to finish.";
        let excerpt =
            "Another council met on Tuesday and argued about the budget for the new bridge until …";
        let mut blocks: Vec<Block> = [
            "Menu",
            "A council plan",
            prose,
            "Você pode gostar...",
            excerpt,
            "Share this",
            excerpt,
            "Share this",
            prose,
        ]
        .into_iter()
        .map(block)
        .collect();
        for i in [0, 3, 5, 7] {
            blocks[i].boilerplate = true;
        }
        let roles = layout(&blocks, Some(1), &[]);
        assert_eq!(roles[2], Role::Body);
        assert!(is_end_marker(&blocks[3].text));
        for (i, role) in roles.iter().enumerate().skip(3) {
            assert!(matches!(role, Role::Chrome(_)), "block {i}: {roles:?}");
        }
    }

    #[test]
    fn main_text_prose_above_the_headline_is_body() {
        let prose = "The council met on Monday and agreed the plan, which the mayor said would take three years to finish.";
        let mut blocks: Vec<Block> = ["Menu", prose, "A council plan", prose]
            .into_iter()
            .map(block)
            .collect();
        blocks[0].boilerplate = true;
        let roles = layout(&blocks, Some(2), &[]);
        assert!(matches!(roles[0], Role::Chrome("before the title")));
        assert_eq!(roles[1], Role::Body);
        assert_eq!(roles[3], Role::Body);
    }

    /// The title, then the one body block, then nothing but chrome.
    fn assert_body_then_chrome(blocks: &[Block]) {
        let roles = layout(blocks, Some(0), &[]);
        assert_eq!(roles[1], Role::Body);
        for role in &roles[2..] {
            assert!(matches!(role, Role::Chrome(_)), "{roles:?}");
        }
    }

    #[test]
    fn teasers_of_other_articles_are_chrome() {
        let blocks = blocks_of(&[
            "一篇访谈的标题",
            "正文第一段，很长很长的内容。",
            "另一篇文章的标题",
            "据报道，这是另一篇文章的开头...",
            "2025-12-22",
            "第三篇的标题：很长",
            "开头的一句话，被截断了…",
            "2025-12-21",
        ]);
        assert_body_then_chrome(&blocks);
    }

    #[test]
    fn lists_of_headlines_with_dates_are_chrome() {
        let blocks = blocks_of(&[
            "一篇访谈的标题",
            "正文第一段，很长很长的内容。",
            "另一篇文章的标题",
            "据报道，这是另一篇文章的开头...",
            "2025-12-22",
            "第三篇的标题，没有导语",
            "2025-12-21",
            "The mayor opens the new bridge",
            "By CITY DESK",
            "11/20/2019 01:14 PM",
            "A second headline here",
            "11/20/2019 10:08 AM",
            "A third headline here",
            "11/19/2019 09:39 PM",
        ]);
        assert_body_then_chrome(&blocks);
        let lone = blocks_of(&["标题", "正文。", "他说起2019年的事", "2019-06-01 08:00"]);
        let roles = layout(&lone, Some(0), &[]);
        assert_eq!(roles[2], Role::Body, "one entry alone is no list");
    }

    #[test]
    fn end_markers_match_whole_lines_only() {
        assert!(is_end_marker("友情链接："));
        assert!(is_end_marker("Related articles"));
        assert!(!is_end_marker("我们的友情链接很多，这是一句话。"));
    }
}
