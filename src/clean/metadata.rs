//! Pass 4, metadata: the title (minus a site suffix), the real date, the interviewees,
//! the original publisher from credits, and the source URL. Placeholder authors such as
//! `小编` and `admin` are ignored.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::text::Literals;

use super::chrome::{self, Role};
use super::extract::{Block, BlockKind, Head, Page};
use super::lexicon::Lexicon;
use super::pipeline::PageState;
use super::{CleanSettings, Lang, LangChoice, Problem};

/// Reads the front matter from the laid-out page, decides the language, and finds the
/// in-text interview date.
pub fn run(state: &mut PageState, settings: &CleanSettings) -> Result<(), Problem> {
    let indices = |wanted: Role| -> Vec<usize> {
        state
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == wanted)
            .map(|(i, _)| i)
            .collect()
    };
    let bylines = indices(Role::Byline);
    let body = indices(Role::Body);
    let mut meta = read(
        &state.page,
        state.title_index,
        &bylines,
        &body,
        &state.brands,
    );
    if meta.date.is_none() {
        let year_hint = page_year(&state.page, &state.chrome_text);
        meta.date = bylines
            .iter()
            .find_map(|&i| month_day(&state.page.blocks[i].text, year_hint));
    }
    let body_text = state.body_text();
    state.lang = Some(match settings.lang {
        LangChoice::Zh => Lang::Zh,
        LangChoice::En => Lang::En,
        LangChoice::Auto => super::detect_lang(&body_text),
    });
    meta.interview_date = interview_date(&body_text, meta.date.as_deref());
    state.meta = meta;
    Ok(())
}

/// What the page says about the article, before spin restoration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The title, without the site's name.
    pub title: String,
    /// The title as the page had it (site name, brand and all).
    pub raw_title: String,
    /// The publication date: `2024-03-21`, `2024-03-21 14:20:15` or RFC 3339.
    pub date: Option<String>,
    /// The day of the interview, when the text names exactly one (`3月15日…专访时`).
    pub interview_date: Option<String>,
    /// The people interviewed.
    pub interviewees: Vec<String>,
    /// The reporter, from a byline that is not a placeholder.
    pub interviewer: Option<String>,
    /// The original publisher, from credits in the text.
    pub publication: Option<String>,
    /// The article's address.
    pub source_url: Option<String>,
    /// The standfirst, when the page set it apart from the body (see [`take_standfirst`]).
    pub summary: Option<String>,
}

/// A credit pattern, its weight, and a test for a character every match of it holds (a
/// text without one is not searched).
type CreditPattern = (Regex, u32, fn(&str) -> bool);

struct Patterns {
    byline: Regex,
    byline_en: Regex,
    date: Regex,
    date_en: Regex,
    date_en_day_first: Regex,
    credits: Vec<CreditPattern>,
    interviewee_zh: Regex,
    interviewee_zh_short: Regex,
    interviewee_en: Regex,
    author: Regex,
    /// A source's name alone in brackets: `（德國之聲）`.
    source_alone: Regex,
    /// A news agency's lead: the agency, a place, the day, `电`, then its reporters.
    news_lead: Regex,
    print_credit: Regex,
    dateline: Regex,
    /// A date written as one token of eight digits (`20161107`), as a mirror's dateline
    /// may have it.
    date_compact: Regex,
    /// A word that names an interview, in a headline: `专访`, `對話`, `Interview`.
    names_interview: Regex,
    /// A reporter's mark above the article: `■吴禄庭`, `■本报记者 李青`.
    author_mark: Regex,
    url: Regex,
    source_label: Regex,
    placeholders: Vec<String>,
    month_day: Regex,
    year: Regex,
    interview_zh: Regex,
    interview_en: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |pattern: &str| Regex::new(pattern).expect("metadata pattern compiles");
        Patterns {
            byline: re(
                r"(?:作者|发布时间|发布日期|发表时间|发表日期|更新时间|时间|日期|来源|信息来源|文章来源|出处|浏览量|浏览次数|阅读量|阅读次数|阅读数|点击数|点击量|责任编辑|编辑|發布時間|發佈時間|發布日期|發表時間|更新時間|時間|來源|資料來源|信息來源|出處|瀏覽次數|瀏覽量|閱讀次數|點擊數|責任編輯|編輯)\s*[:：]|^\S{1,24}\s+(?:发表于|發表於)\s",
            ),
            byline_en: re(r"^(?:By\s+\S|Published(?-u:\b)|Posted(?-u:\b)|Updated(?-u:\b)|Date:)"),
            date: re(
                r"(\d{4})(?:\s*[-/.年]\s*|\s+)(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?",
            ),
            date_en: re(
                r"(?-u:\b)(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?-u:\b)",
            ),
            date_en_day_first: re(
                r"(?-u:\b)(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(\d{4})(?-u:\b)",
            ),
            credits: vec![
                (
                    re(r"未经《([^》]{2,24})》(?:书面)?(?:许可|授权|同意)"),
                    3,
                    has_closing_title_mark,
                ),
                (
                    // Not another outlet's reporter the text quotes (`日本媒体《某某》
                    // 记者…称`, `据《某某》记者`).
                    re(r"(?:^|[^据據媒体體])《([^》]{2,24})》(?:特约|首席)?记者"),
                    2,
                    has_closing_title_mark,
                ),
                (
                    re(
                        r"(?:来源|出处|稿源|转载自|本文来自)\s*[:：]\s*《?([\p{Han}A-Za-z0-9][\p{Han}A-Za-z0-9·-]{1,23}?)》?(?:\s|$|，|。|\|)",
                    ),
                    2,
                    has_colon,
                ),
                (
                    re(
                        r"(?i:originally (?:published|appeared)|first (?:published|appeared)|reprinted from|source:)\s+(?:(?i:in|by|on)\s+)?(\p{Lu}[A-Za-z&'.]*(?:\s+\p{Lu}[A-Za-z&'.]*){0,4})",
                    ),
                    2,
                    has_letter_r,
                ),
            ],
            interviewee_zh: re(
                r"(?:专访|对话|访谈|访)\s*[^:：，,|]{0,30}?(?:院长|所长|总裁|董事长|总经理|联合创始人|创始人|主任|教授|研究员|首席[\p{Han}]{1,4}官|CEO|CTO|总监|主席|校长|会长|社长|主编|导演|作家|经济学家|科学家|院士|博士|总编辑|合伙人|负责人)\s*([\p{Han}·]{2,4}?)\s*[:：，,|]",
            ),
            interviewee_zh_short: re(r"^(?:专访|对话)\s*([\p{Han}·]{2,4}?)\s*[:：，,|]"),
            interviewee_en: re(
                r"(?:[Ii]nterview [Ww]ith|[Cc]onversation [Ww]ith|Q&A [Ww]ith|[Tt]alking [Tt]o|[Tt]alks? [Tt]o)\s+(?:(?:the\s+)?[a-z-]+\s+){0,3}?(\p{Lu}\p{Ll}+(?:[ -]\p{Lu}[\p{Ll}'.]+){1,2}(?:(?:,\s*|,?\s+and\s+|\s*&\s*)\p{Lu}\p{Ll}+(?:[ -]\p{Lu}[\p{Ll}'.]+){1,2}){0,3})",
            ),
            author: re(
                r"(?:作者|记者)\s*[:：]?\s*([\p{Han}·]{2,4}|[A-Za-z][A-Za-z .'-]{1,30}?)(?:\s|$|，|,|\|)|^By\s+(\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,3})",
            ),
            dateline: re(
                r"^[^\s，,。：:]{0,12}?\d{1,2}\s*月\s*\d{1,2}\s*今?日\s*(?:讯|訊|电|電|宣|报道|報道)+\s*[，,：:]?\s*",
            ),
            print_credit: re(
                r"《([^》]{2,20})》\s*[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*第\s*\d{1,3}\s*版\s*[)）]",
            ),
            news_lead: re(
                r"^(\p{Han}{1,5}(?:社|網|网|報|报|台))\p{Han}{0,4}\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊)\s*[（(](?:本报|本報)?(?:特约|特約|首席)?(?:记者|記者)\s*([\p{Han}·]{2,4})[）)、\s]",
            ),
            source_alone: re(r"^[（(]([\p{Han}·]{2,10})[）)]$"),
            date_compact: re(r"(?:^|\s)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\s|$)"),
            names_interview: re(
                r"专访|專訪|对话|對話|访谈|訪談|(?i:interview|in conversation with|q&a)",
            ),
            author_mark: re(
                r"^[■□●◆▲★◎]\s*(?:本报|本報)?(?:特约|特約|首席)?(?:记者|記者|通讯员|通訊員)?\s*([\p{Han}·]{2,4})$",
            ),
            url: re(r#"https?://[^\s"'<>，。]+"#),
            source_label: re(r"原文链接|原文地址|原文网址|(?i:source:|originally published)"),
            placeholders: super::data_lines(include_str!("data/placeholder-authors.txt"))
                .map(str::to_lowercase)
                .collect(),
            month_day: re(r"(?:^|[^\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]"),
            year: re(r"(?:^|[^\d])((?:19|20)\d{2})(?:[^\d]|$)"),
            interview_zh: re(
                r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號][^。！？!?]{0,40}?(?:专访|專訪|采访|採訪|访谈|訪談|访问|訪問)",
            ),
            interview_en: re(
                r"(?i:interview(?:ed)?|spoke (?:to|with)|talked (?:to|with))[^.]{0,60}?(?-u:\b)on\s+((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?)",
            ),
        }
    })
}

/// Whether `text` holds `》`.
fn has_closing_title_mark(text: &str) -> bool {
    static MARK: Literals<1> = Literals::new(["》"]);
    MARK.any_in(text)
}

/// Whether `text` holds `:` or `：`.
fn has_colon(text: &str) -> bool {
    static WIDE: Literals<1> = Literals::new(["："]);
    memchr::memchr(b':', text.as_bytes()).is_some() || WIDE.any_in(text)
}

/// Whether `text` holds an `r` in either case (as `originally`, `first`, `reprinted`
/// and `source` do).
fn has_letter_r(text: &str) -> bool {
    memchr::memchr2(b'r', b'R', text.as_bytes()).is_some()
}

/// Whether a line is a byline or date line (`作者：… 发布时间：…`, `By …`, `Published …`,
/// or a date with little else: `2021-06-02 08:45  阅读次数:57`, `09月07日`).
pub fn is_byline(text: &str) -> bool {
    let patterns = patterns();
    let chars = text.chars().count();
    if chars > 120 {
        return false;
    }
    if patterns.byline.is_match(text)
        || patterns.byline_en.is_match(text)
        || author_mark(text).is_some()
        || source_alone(text).is_some()
    {
        return true;
    }
    // A site's address in a dateline (`http://example.com 2006年07月12日`) is no words
    // of a sentence, and does not count.
    let words = || {
        text.split_whitespace()
            .filter(|word| !word.starts_with("http://") && !word.starts_with("https://"))
    };
    words()
        .map(|word| word.chars().count() + 1)
        .sum::<usize>()
        .saturating_sub(1)
        <= 48
        && !crate::text::has_wide_mark(text, &['。', '，', '！', '？'])
        && !text.contains(". ")
        && {
            let dated = find_date(text).is_some() || patterns.month_day.is_match(text);
            let letters = words()
                .flat_map(str::chars)
                .filter(|c| c.is_alphabetic() && !c.is_ascii_digit())
                .count();
            dated && letters <= 16
        }
}

/// A year the page states outside the article (its address, its copyright line), for a
/// date written without one.
fn page_year(page: &Page, chrome_text: &str) -> Option<i32> {
    let url = page.head.url.as_deref().unwrap_or("");
    [url, chrome_text].into_iter().find_map(|text| {
        patterns()
            .year
            .captures_iter(text)
            .filter_map(|c| c[1].parse::<i32>().ok())
            .max()
    })
}

/// A `MM月DD日` date, completed with the page's year.
fn month_day(text: &str, year: Option<i32>) -> Option<String> {
    let c = patterns().month_day.captures(text)?;
    civil_date(year?, c[1].parse().ok()?, c[2].parse().ok()?)
}

/// The interview's day, when the text names exactly one (`3月15日…接受专访时`,
/// `interviewed on March 3`); a date without a year takes the publication's, or the
/// year before when that would put the interview after the publication.
pub fn interview_date(text: &str, published: Option<&str>) -> Option<String> {
    let patterns = patterns();
    let published_date = published
        .and_then(|p| p.get(..10))
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let complete = |year: Option<i32>, month: i32, day: i32| -> Option<String> {
        let year = match (year, published_date) {
            (Some(year), _) => year,
            (None, Some(published)) => {
                let same_year = i32::from(published.year());
                let candidate = civil_date(same_year, month, day)?;
                if candidate.as_str() > published.to_string().as_str() {
                    same_year - 1
                } else {
                    same_year
                }
            }
            (None, None) => return None,
        };
        civil_date(year, month, day)
    };
    let mut found: Vec<String> = Vec::new();
    // Each interview word of the Chinese pattern holds 访 or 訪: a text without either is
    // not searched.
    static VISIT: Literals<2> = Literals::new(["访", "訪"]);
    for c in VISIT
        .any_in(text)
        .then(|| patterns.interview_zh.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let year = c.get(1).and_then(|y| y.as_str().parse().ok());
        if let (Ok(month), Ok(day)) = (c[2].parse(), c[3].parse())
            && let Some(date) = complete(year, month, day)
        {
            found.push(date);
        }
    }
    for c in patterns.interview_en.captures_iter(text) {
        let phrase = &c[1];
        let with_year = if patterns.year.is_match(phrase) {
            phrase.to_string()
        } else {
            match published_date {
                Some(p) => format!("{phrase} {}", p.year()),
                None => continue,
            }
        };
        if let Some(date) = find_date(&with_year) {
            found.push(date);
        }
    }
    found.sort();
    found.dedup();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Finds the title block: the first `<h1>`, the block the `<title>` names, the line
/// above a byline, or the first line that reads like a title. When the extractor found
/// the page's main text, the title is never looked for after its end (a headline
/// repeated in a teaser list below the article would make the article chrome). A
/// heading inside an element named for chrome (a page builder's `widget`, a
/// `header`) is the title only when it is the `og:title` or `<title>` itself.
pub fn locate_title(page: &Page, brands: &[String]) -> Option<usize> {
    let window = match page.blocks.iter().rposition(|b| !b.boilerplate) {
        Some(last_main) if page.blocks.iter().any(|b| b.boilerplate) => last_main + 1,
        _ => page.blocks.len(),
    };
    let blocks = &page.blocks[..window];
    let head_titles: Vec<String> = [&page.head.og_title, &page.head.title]
        .into_iter()
        .flatten()
        .map(|title| split_site_suffix(title).0)
        .collect();
    let names_the_page =
        |b: &Block| matches!(b.kind, BlockKind::Heading(_)) && head_titles.contains(&b.text);
    let usable = |b: &Block| {
        let chars = b.text.chars().count();
        (4..=150).contains(&chars)
            && if b.chrome_hint && names_the_page(b) {
                let unhinted = Block {
                    chrome_hint: false,
                    ..b.clone()
                };
                chrome::chrome_reason(&unhinted, brands).is_none()
            } else {
                chrome::chrome_reason(b, brands).is_none()
            }
            && {
                // Judged without the junk the title pass would strip from it.
                let title = clean_title(&b.text, brands);
                !title.is_empty() && !Lexicon::global().is_spam_line(&title)
            }
            && !is_byline(&b.text)
            && !chrome::is_end_marker(&b.text)
    };
    if page.is_html {
        if let Some(i) = blocks
            .iter()
            .position(|b| b.kind == BlockKind::Heading(1) && usable(b))
        {
            return Some(i);
        }
        for main in &head_titles {
            if let Some(i) = blocks
                .iter()
                .take(60)
                .position(|b| usable(b) && b.text.contains(main.as_str()))
            {
                return Some(i);
            }
        }
        return blocks
            .iter()
            .take(60)
            .position(|b| matches!(b.kind, BlockKind::Heading(_)) && usable(b));
    }
    // A text page's title comes before its first paragraph of prose (a mirror may put
    // a hundred lines of menus first); a line the breadcrumb above it ends with is the
    // headline, whatever short line (the site's name) comes first, and neither of them
    // is that paragraph. The last line that names an interview (`专访…`; copies with
    // junk in front come first) above the first byline is the headline before any
    // line that merely looks like one.
    let head = &blocks[..blocks.len().min(TITLE_SCAN_BLOCKS)];
    let crumb_titles: Vec<String> = head
        .iter()
        .filter_map(|b| chrome::breadcrumb_last(&b.text))
        .collect();
    let repeats_crumb = |b: &Block| crumb_titles.iter().any(|t| t == b.text.trim());
    // A headline long enough to read as prose still heads the byline under it.
    let heads_byline = |i: usize| {
        looks_like_title(&head[i].text) && head[i + 1..].iter().take(2).any(|b| is_byline(&b.text))
    };
    let window = (0..head.len())
        .find(|&i| {
            let b = &head[i];
            super::prose::is_prose(b)
                && !repeats_crumb(b)
                && chrome::chrome_reason(b, brands).is_none()
                && !heads_byline(i)
        })
        .unwrap_or(head.len().min(20));
    if let Some(title) = blocks[..window]
        .iter()
        .position(|b| repeats_crumb(b) && usable(b))
    {
        return Some(title);
    }
    // Headlines of other articles can read as short prose (a mirror's clickbait list):
    // the interview's headline is looked for up to the first paragraph of some length.
    let long_paragraph = head
        .iter()
        .position(|b| {
            b.text.chars().count() >= LONG_PARAGRAPH_CHARS
                && super::prose::is_prose(b)
                && chrome::chrome_reason(b, brands).is_none()
        })
        .unwrap_or(window)
        .max(window);
    let before_byline = blocks[..long_paragraph]
        .iter()
        .position(|b| is_byline(&b.text))
        .unwrap_or(long_paragraph);
    if let Some(title) = blocks[..before_byline].iter().rposition(|b| {
        usable(b) && looks_like_title(&b.text) && patterns().names_interview.is_match(&b.text)
    }) {
        return Some(title);
    }
    if let Some(byline) = blocks[..window].iter().position(|b| is_byline(&b.text))
        && let Some(title) = (0..byline)
            .rev()
            .find(|&i| usable(&blocks[i]) && looks_like_title(&blocks[i].text))
    {
        return Some(title);
    }
    blocks[..window]
        .iter()
        .position(|b| usable(b) && looks_like_title(&b.text))
        .or_else(|| {
            // A copy may put the headline under its opening paragraph: only one that
            // names an interview (`专访…`) is taken there.
            (window..blocks.len().min(window + HEADLINE_BELOW_LEAD)).find(|&i| {
                usable(&blocks[i])
                    && looks_like_title(&blocks[i].text)
                    && patterns().names_interview.is_match(&blocks[i].text)
            })
        })
}

/// How many blocks under a text page's first paragraph a headline naming an interview
/// is looked for, when none stands above it.
const HEADLINE_BELOW_LEAD: usize = 2;

/// How many blocks of a text page are searched for its first paragraph of prose, above
/// which the title stands.
const TITLE_SCAN_BLOCKS: usize = 200;

/// A paragraph this long is the article's, not a headline of another one.
const LONG_PARAGRAPH_CHARS: usize = 80;

/// Whether a line of a text page reads as a title rather than a paragraph or a turn:
/// short, no full stop, not a quoted turn (`記者問到：“…”`).
fn looks_like_title(text: &str) -> bool {
    if text
        .strip_prefix(['图', '圖'])
        .is_some_and(|rest| rest.starts_with([':', '：', '为', '為']))
    {
        // A photo caption (`图：…摄`, `圖為…`).
        return false;
    }
    let chars = text.chars().count();
    let commas = text.matches(['，', ',']).count();
    (5..=80).contains(&chars)
        && !text.contains('。')
        && !text.ends_with(['.', '”', '"', '’', ':', '：'])
        && !text.contains("：“")
        && !text.contains(":“")
        && (chars <= 40 || commas < 2)
}

/// A stand-in title for a page that has none: its first clause, 40 characters at
/// most, after a news dateline opening it (`雷速體育8月18日宣 `, `某某10月12日報道，`)
/// and a time word or connective of its own clause (`近日，`, `然而，`), which the spam
/// pass may have left first by cutting a farm's dateline.
pub fn first_sentence(body: &str) -> String {
    let dateline = patterns().dateline.find(body);
    let mut body = dateline.map_or(body, |m| &body[m.end()..]);
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n' | '，' | ',');
    if let Some(end) = body.find(is_end)
        && body[..end].chars().count() <= TIME_WORD_CHARS
        && body[end..].starts_with(['，', ','])
    {
        body = body[end..].trim_start_matches(['，', ',']);
    }
    let sentence: String = body.chars().take_while(|&c| !is_end(c)).take(40).collect();
    let sentence = sentence.trim();
    // A bracketed deck's opening bracket, its closing one cut off with the clause.
    match sentence.strip_prefix(['【', '[', '（', '(']) {
        Some(inside) if !inside.contains(['】', ']', '）', ')']) => inside.trim().to_string(),
        _ => sentence.to_string(),
    }
}

/// The longest time word or connective opening the text that a stand-in title skips
/// (`近日`, `日前`, `本周二`, `然而`).
const TIME_WORD_CHARS: usize = 3;

/// The title line repeated with different junk in front: the longest ending (8
/// characters or more) the title line shares with another line near it, the junk
/// glued to it (`老虎机时时彩专访…`). An ending after a space or a mark is the title's
/// second half, which a later line may share (`某某：我没那么简单 想用电影治愈社会`).
fn repeated_title(raw: &str, title: Option<usize>, blocks: &[Block]) -> Option<String> {
    let title = title?;
    let raw: Vec<char> = raw.chars().collect();
    let from = title.saturating_sub(6);
    let to = (title + 6).min(blocks.len());
    (from..to)
        .filter(|&i| i != title)
        .filter_map(|i| {
            let other: Vec<char> = blocks[i].text.chars().collect();
            let shared = raw
                .iter()
                .rev()
                .zip(other.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let glued = raw[..raw.len() - shared]
                .last()
                .is_some_and(|c| c.is_alphanumeric());
            (shared >= 8 && shared < raw.len() && glued).then_some(shared)
        })
        .max()
        .map(|shared| raw[raw.len() - shared..].iter().collect())
}

/// Splits `Title - Site`, `Title_Site`, `Title | Site` into the title and the site
/// names around it. The longest part is the title.
pub fn split_site_suffix(title: &str) -> (String, Vec<String>) {
    let separators = [" - ", " – ", " — ", " | ", "｜", " _ ", "_", " :: ", " · "];
    let mut parts = vec![title.trim().to_string()];
    for separator in separators {
        parts = parts
            .iter()
            .flat_map(|p| p.split(separator).map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect();
    }
    if parts.len() < 2 {
        return (title.trim().to_string(), Vec::new());
    }
    let main_index = parts
        .iter()
        .enumerate()
        .max_by_key(|(i, p)| (p.chars().count(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let main = parts[main_index].clone();
    let others = parts
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != main_index)
        .map(|(_, p)| p)
        .collect();
    (main, others)
}

/// A run of two or more junk symbols (`******`, `###`) at either end of a title line:
/// no headline begins or ends that way.
fn strip_symbol_runs(title: &str) -> String {
    let junk = |c: char| matches!(c, '*' | '#' | '=' | '~' | '★' | '☆' | '※');
    let mut text = title.trim();
    if text.chars().rev().take_while(|c| junk(*c)).count() >= 2 {
        text = text.trim_end_matches(junk).trim_end();
    }
    if text.chars().take_while(|c| junk(*c)).count() >= 2 {
        text = text.trim_start_matches(junk).trim_start();
    }
    text.to_string()
}

/// Removes the site suffix, a brand pasted before or after the title, junk symbols at
/// its ends, and spam lexicon words glued in front of it.
pub fn clean_title(raw: &str, brands: &[String]) -> String {
    let lexicon = Lexicon::global();
    let (mut title, others) = split_site_suffix(&strip_symbol_runs(raw));
    if lexicon.is_spam_line(&title)
        && let Some(part) = others.iter().find(|p| !lexicon.is_spam_line(p))
    {
        title = part.clone();
    }
    loop {
        let hits = lexicon.hits(&title);
        let leading = hits
            .first()
            .filter(|h| title[..h.start].trim().is_empty())
            .map(|h| h.end)
            .or_else(|| {
                lexicon
                    .bait_brands(&title)
                    .first()
                    .filter(|(start, _)| *start == 0)
                    .map(|(_, end)| *end)
            })
            .or_else(|| keyword_before_headline(&title, &hits));
        match leading {
            Some(end) if end < title.len() => {
                title = title[end..]
                    .trim_start_matches([' ', '·', '-', '|', ':', '：', '_', '，', ','])
                    .to_string();
            }
            _ => break,
        }
    }
    loop {
        let trailing = lexicon
            .hits(&title)
            .last()
            .map(|h| (h.start, h.end))
            .into_iter()
            .chain(lexicon.bait_brands(&title).last().copied())
            .filter(|(start, end)| *end == title.len() && *start > 0)
            .map(|(start, _)| start)
            .min();
        match trailing {
            Some(start) => {
                title = title[..start]
                    .trim_end_matches([' ', '·', '-', '|', ':', '：', '_', '，', ','])
                    .to_string();
            }
            None => break,
        }
    }
    // A bar left at an end by a title template (`…實錄 |`).
    title = title
        .trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '｜')
        .to_string();
    // A site's section tag in front (`【要闻】专访…`); a programme's name in square
    // brackets (`[第一眼]`) is the title's.
    if let Some(rest) = title.strip_prefix('【')
        && let Some((tag, headline)) = rest.split_once('】')
        && (1..=SECTION_TAG_CHARS).contains(&tag.chars().count())
        && headline.chars().count() >= 8
    {
        title = headline.trim_start().to_string();
    }
    for brand in brands {
        while let Some(rest) = title.strip_prefix(brand.as_str()) {
            title = rest
                .trim_start_matches([' ', '·', '-', '|', ':', '：'])
                .to_string();
        }
        while let Some(rest) = title.strip_suffix(brand.as_str()) {
            title = rest
                .trim_end_matches([' ', '·', '-', '|', ':', '：'])
                .to_string();
        }
    }
    title.trim().to_string()
}

/// The longest section tag a title loses (`【要闻】`, `【独家】`).
const SECTION_TAG_CHARS: usize = 4;

/// The end of a spam keyword phrase pasted before the headline and a space
/// (`某某视频在线播放 独家对话…`): a first word holding a lexicon hit, followed by a
/// headline of its own (8 characters or more).
fn keyword_before_headline(title: &str, hits: &[super::lexicon::Hit]) -> Option<usize> {
    let space = title.find(' ')?;
    let headline = title[space..].trim();
    (headline.chars().count() >= 8 && hits.first().is_some_and(|h| h.end <= space)).then_some(space)
}

/// The first date in `text`, as front matter writes it.
pub fn find_date(text: &str) -> Option<String> {
    let patterns = patterns();
    let month = |name: &str| -> Option<i8> {
        let months = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let lower = name.to_ascii_lowercase();
        months
            .iter()
            .position(|m| lower.starts_with(m))
            .map(|i| i as i8 + 1)
    };
    let mut found: Vec<(usize, String)> = Vec::new();
    if let Some(c) = patterns.date.captures(text) {
        let number = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
        if let (Some(y), Some(m), Some(d)) = (number(1), number(2), number(3))
            && let Some(date) = civil_date(y, m, d)
        {
            let start = c.get(0).map_or(0, |m| m.start());
            let value = match (number(4), number(5)) {
                (Some(h), Some(min)) if h < 24 && min < 60 => {
                    let sec = number(6).filter(|s| *s < 60).unwrap_or(0);
                    format!("{date} {h:02}:{min:02}:{sec:02}")
                }
                _ => date,
            };
            found.push((start, value));
        }
    }
    for (regex, day_first) in [
        (&patterns.date_en, false),
        (&patterns.date_en_day_first, true),
    ] {
        if let Some(c) = regex.captures(text) {
            let (m_name, d, y) = if day_first {
                (&c[2], &c[1], &c[3])
            } else {
                (&c[1], &c[2], &c[3])
            };
            if let (Some(m), Ok(d), Ok(y)) = (month(m_name), d.parse::<i32>(), y.parse::<i32>())
                && let Some(date) = civil_date(y, i32::from(m), d)
            {
                found.push((c.get(0).map_or(0, |m| m.start()), date));
            }
        }
    }
    if let Some(c) = patterns.date_compact.captures(text) {
        let number = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
        if let (Some(y), Some(m), Some(d)) = (number(1), number(2), number(3))
            && let Some(date) = civil_date(y, m, d)
        {
            found.push((c.get(1).map_or(0, |m| m.start()), date));
        }
    }
    found
        .into_iter()
        .min_by_key(|(start, _)| *start)
        .map(|(_, d)| d)
}

fn civil_date(year: i32, month: i32, day: i32) -> Option<String> {
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    Some(date.to_string())
}

/// The date from the head, or from a byline, normalised for front matter.
fn head_date(head: &Head) -> Option<String> {
    let published = head.published.as_deref()?;
    if published.parse::<jiff::Timestamp>().is_ok() {
        return Some(published.to_string());
    }
    find_date(published)
}

/// The original publisher named in credits (`《…》记者`, `未经《…》授权`, `来源：`,
/// `Originally published in …`), the most often named one, never a brand.
pub fn find_publisher<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    brands: &[String],
) -> Option<String> {
    let mut votes: HashMap<String, u32> = HashMap::new();
    let mut first_seen: Vec<String> = Vec::new();
    for text in texts {
        for (regex, weight, may_hold) in &patterns().credits {
            // Most texts hold no credit: a byte search, then a match test, are cheaper
            // than a capture search.
            if !may_hold(text) || !regex.is_match(text) {
                continue;
            }
            for c in regex.captures_iter(text) {
                let name = c[1].trim().trim_end_matches('.').to_string();
                if name.is_empty() || brands.iter().any(|b| name.contains(b.as_str())) {
                    continue;
                }
                if !votes.contains_key(&name) {
                    first_seen.push(name.clone());
                }
                *votes.entry(name).or_insert(0) += weight;
            }
        }
    }
    let best = votes.values().copied().max()?;
    first_seen.into_iter().find(|name| votes[name] == best)
}

/// The people a title says are interviewed (`专访…院长某某：`, `Interview with …`).
pub fn interviewees_from_title(title: &str) -> Vec<String> {
    let patterns = patterns();
    let found = patterns
        .interviewee_zh
        .captures(title)
        .or_else(|| patterns.interviewee_zh_short.captures(title))
        .or_else(|| patterns.interviewee_en.captures(title));
    let Some(found) = found else {
        return Vec::new();
    };
    // An English title may name several (`Interview With Todd Cooperman, Sarah Austin`).
    found[1]
        .split([',', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

/// The reporter named in a byline, unless the byline holds a placeholder (`小编`).
pub fn author_from_byline(text: &str) -> Option<String> {
    if let Some(name) = author_mark(text) {
        return Some(name.to_string());
    }
    let c = patterns().author.captures(text)?;
    let name = c.get(1).or_else(|| c.get(2))?.as_str().trim().to_string();
    let lower = name.to_lowercase();
    (!patterns().placeholders.contains(&lower)).then_some(name)
}

/// The writer's name in an article's header of lines of their own (`秦玥` between the
/// title and the date), asked of a header that holds a date: the first byline that is
/// a name alone, two to four Chinese characters the dictionary does not hold.
fn header_name<'a>(bylines: impl Iterator<Item = &'a str>) -> Option<String> {
    bylines
        .map(str::trim)
        .find(|line| {
            (2..=4).contains(&line.chars().count())
                && line.chars().all(crate::text::is_cjk)
                && is_unknown_word(line)
        })
        .map(str::to_string)
}

/// The agency and the reporter a news lead names (`中評社北京11月7日電（記者 蘭忠偉）`,
/// `新华社北京3月5日电（记者 张三、李四）`): the first reporter stands for them all.
fn news_lead(text: &str) -> Option<(String, String)> {
    let c = patterns().news_lead.captures(text)?;
    let agency = c.get(1)?.as_str();
    // `本报` is "this paper", no name.
    if matches!(agency, "本报" | "本報") {
        return None;
    }
    Some((agency.to_string(), c.get(2)?.as_str().to_string()))
}

/// The newspaper and date of a print-edition credit (`《人民日报》（2025年09月29日 第 06
/// 版）`), which a repost carries when it has no date of its own.
fn print_credit(text: &str) -> Option<(String, String)> {
    if !text.contains('》') {
        return None;
    }
    let c = patterns().print_credit.captures(text)?;
    let number = |i: usize| c.get(i)?.as_str().parse::<i32>().ok();
    let date = civil_date(number(2)?, number(3)?, number(4)?)?;
    Some((c.get(1)?.as_str().to_string(), date))
}

/// The source named alone in brackets on a line of its own (`（德國之聲）`); a word of
/// the dictionary there is a stage direction (`（掌声）`).
fn source_alone(text: &str) -> Option<&str> {
    unknown_word_in(&patterns().source_alone, text)
}

/// The name of a reporter's mark (`■吴禄庭`). A word of the dictionary is a section
/// mark instead (`■对话`, `■结语`).
fn author_mark(text: &str) -> Option<&str> {
    unknown_word_in(&patterns().author_mark, text)
}

/// The first group `pattern` captures in the trimmed `text`, when the dictionary does
/// not hold it as a word: a name, not a word that happens to stand in a name's place.
fn unknown_word_in<'t>(pattern: &Regex, text: &'t str) -> Option<&'t str> {
    let name = pattern.captures(text.trim())?.get(1)?.as_str();
    is_unknown_word(name).then_some(name)
}

/// Whether the dictionary does not hold `text` as a word.
fn is_unknown_word(text: &str) -> bool {
    super::dict::Dictionary::global().freq(text) == 0
}

/// Whether `name` is a placeholder author such as `小编` or `admin`.
pub fn is_placeholder_author(name: &str) -> bool {
    patterns()
        .placeholders
        .contains(&name.trim().to_lowercase())
}

/// The first web address in a line that names the source (`原文链接：`, `Source:`).
fn source_url_in(text: &str) -> Option<String> {
    if !patterns().source_label.is_match(text) {
        return None;
    }
    patterns().url.find(text).map(|m| m.as_str().to_string())
}

/// Reads the article's metadata from the page, given the title block and the blocks
/// taken as bylines and body.
pub fn read(
    page: &Page,
    title: Option<usize>,
    bylines: &[usize],
    body: &[usize],
    brands: &[String],
) -> Metadata {
    let blocks = &page.blocks;
    let raw_title = title
        .map(|i| blocks[i].text.clone())
        .or_else(|| page.head.og_title.clone())
        .or_else(|| page.head.title.clone())
        .unwrap_or_default();
    let mut title_text = clean_title(&raw_title, brands);
    if let Some(shared) = repeated_title(&raw_title, title, blocks) {
        title_text = clean_title(&shared, brands);
    }
    if let Some(site) = blocks
        .iter()
        .take(SITE_CRUMB_BLOCKS)
        .find_map(|b| super::chrome::breadcrumb_first(&b.text))
    {
        title_text = without_site_suffix(&title_text, &site);
    }
    let byline_date = bylines.iter().find_map(|&i| find_date(&blocks[i].text));
    let dated_header = byline_date.is_some();
    let credit = body
        .iter()
        .chain(bylines)
        .find_map(|&i| print_credit(&blocks[i].text));
    let date = head_date(&page.head)
        .or(byline_date)
        .or_else(|| credit.as_ref().map(|c| c.1.clone()));
    let interviewer = page
        .head
        .author
        .as_deref()
        .filter(|a| !is_placeholder_author(a))
        .map(str::to_string)
        .or_else(|| {
            bylines
                .iter()
                .find_map(|&i| author_from_byline(&blocks[i].text))
        })
        .or_else(|| {
            dated_header
                .then(|| header_name(bylines.iter().map(|&i| blocks[i].text.as_str())))
                .flatten()
        });
    let lead = body
        .iter()
        .take(3)
        .find_map(|&i| news_lead(&blocks[i].text));
    let interviewer = interviewer.or_else(|| lead.as_ref().map(|l| l.1.clone()));
    let publication = find_publisher(
        body.iter().chain(bylines).map(|&i| blocks[i].text.as_str()),
        brands,
    )
    .or_else(|| lead.map(|l| l.0))
    .or_else(|| credit.map(|c| c.0))
    .or_else(|| {
        bylines
            .iter()
            .find_map(|&i| source_alone(&blocks[i].text).map(str::to_string))
    });
    let source_url = page.head.url.clone().or_else(|| {
        body.iter()
            .chain(bylines)
            .find_map(|&i| source_url_in(&blocks[i].text))
    });
    Metadata {
        interviewees: interviewees_from_title(&title_text),
        title: title_text,
        raw_title,
        date,
        interview_date: None,
        interviewer,
        publication,
        source_url,
        summary: None,
    }
}

/// How far down the page a breadcrumb naming the site is looked for.
const SITE_CRUMB_BLOCKS: usize = 12;

/// The title without the site's name glued to its end by a separator
/// (`…更多人心田-新華網`, when a breadcrumb begins with `新華網`).
fn without_site_suffix(title: &str, site: &str) -> String {
    let Some(rest) = title.strip_suffix(site) else {
        return title.to_string();
    };
    let trimmed = rest.trim_end();
    let headline = trimmed.trim_end_matches(['-', '_', '|', '｜', '–', '—', '·']);
    if headline.len() == trimmed.len() || headline.trim().chars().count() < 4 {
        return title.to_string();
    }
    headline.trim().to_string()
}

/// The standfirst: a heading opening the body whose text is the page's own description
/// (`<h2 class=sub-head>` repeating `<meta name=description>`) is the article's summary,
/// not a section heading, so it goes to the front matter. Runs after the text passes: a
/// heading they changed no longer matches the description and stays where it is.
pub fn take_standfirst(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    let Some(description) = state.page.head.description.as_deref() else {
        return Ok(());
    };
    let Some(first) = state.body.first() else {
        return Ok(());
    };
    let same =
        super::extract::collapse_space(&first.text) == super::extract::collapse_space(description);
    if matches!(first.kind, BlockKind::Heading(_)) && same && state.body.len() > 1 {
        let standfirst = state.body.remove(0);
        state.report.push_noted(
            super::report::ChangeKind::MetadataTaken,
            standfirst.number,
            &standfirst.text,
            "the standfirst (the page's description, set as a heading): the summary",
        );
        state.meta.summary = Some(standfirst.text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standfirst_page(description: &str, first_kind: BlockKind) -> PageState {
        let mut state = PageState::with_body(
            Some(Lang::En),
            &["More devices than ever.", "The first real paragraph."],
        );
        state.body[0].kind = first_kind;
        state.page.head.description = Some(description.to_string());
        state
    }

    #[test]
    fn a_heading_repeating_the_description_becomes_the_summary() {
        let mut state = standfirst_page("More devices  than ever.", BlockKind::Heading(2));
        take_standfirst(&mut state, &CleanSettings::default()).unwrap();
        assert_eq!(
            state.meta.summary.as_deref(),
            Some("More devices than ever.")
        );
        assert_eq!(state.body_text(), "The first real paragraph.");
        assert_eq!(state.report.changes.len(), 1);
    }

    #[test]
    fn a_first_paragraph_copied_into_the_description_stays() {
        let mut state = standfirst_page("More devices than ever.", BlockKind::Paragraph);
        take_standfirst(&mut state, &CleanSettings::default()).unwrap();
        assert_eq!(state.meta.summary, None);
        let mut other = standfirst_page("Something else entirely.", BlockKind::Heading(2));
        take_standfirst(&mut other, &CleanSettings::default()).unwrap();
        assert_eq!(other.meta.summary, None);
        assert_eq!(state.body.len(), 2);
        assert_eq!(other.body.len(), 2);
    }

    #[test]
    fn dates_in_chinese_iso_and_english_forms() {
        // A mirror's dateline: its address is no words, and eight digits are a date.
        assert!(is_byline(
            "http://example.com 2006年07月12日 15:46 新浪財經 |"
        ));
        assert_eq!(
            find_date("http://www.example.com  20161107").as_deref(),
            Some("2016-11-07")
        );
        assert_eq!(find_date("订单号 2016110712"), None);
        assert_eq!(
            clean_title("新浪財經三人行：專家談競購實錄 |", &[]),
            "新浪財經三人行：專家談競購實錄"
        );
        assert_eq!(
            clean_title("【要闻】专访林知远：城市与河流的未来", &[]),
            "专访林知远：城市与河流的未来"
        );
        assert_eq!(
            clean_title("[第一眼]林知远：香港报道", &[]),
            "[第一眼]林知远：香港报道"
        );
        assert_eq!(
            find_date("作者:小编 发布时间:2024-03-21 14:20:15 浏览量:").as_deref(),
            Some("2024-03-21 14:20:15")
        );
        assert_eq!(
            find_date("时间：2023年7月5日").as_deref(),
            Some("2023-07-05")
        );
        assert_eq!(
            find_date("Published March 4, 2022 at noon").as_deref(),
            Some("2022-03-04")
        );
        assert_eq!(
            find_date("Posted 9 Sept 2021").as_deref(),
            Some("2021-09-09")
        );
        assert_eq!(find_date("2024-02-30"), None);
    }

    #[test]
    fn site_suffix_and_brand_leave_the_title() {
        assert_eq!(
            split_site_suffix("Why rivers matter - The Example Post").0,
            "Why rivers matter"
        );
        let brands = vec!["某某娱乐".to_string()];
        assert_eq!(
            clean_title("某某娱乐专访周明远：城市与河流_某某娱乐", &brands),
            "专访周明远：城市与河流"
        );
    }

    #[test]
    fn publisher_comes_from_credits_not_the_brand() {
        let brands = vec!["某某娱乐".to_string()];
        let texts = [
            "周明远在接受《南岭晨报》记者采访时说……",
            "来源：某某娱乐",
            "未经《南岭晨报》授权，不得转载。",
        ];
        assert_eq!(find_publisher(texts, &brands).as_deref(), Some("南岭晨报"));
        assert_eq!(
            find_publisher(
                ["This interview first appeared in The Harbour Review."],
                &[]
            )
            .as_deref(),
            Some("The Harbour Review")
        );
        assert_eq!(
            find_publisher(["2009年11月14日 来源:金羊网-新快报"], &[]).as_deref(),
            Some("金羊网-新快报")
        );
        assert_eq!(
            find_publisher(["日本媒体《河岸文摘》记者某某发文称……"], &[]),
            None
        );
    }

    #[test]
    fn interviewees_from_titles() {
        assert_eq!(
            interviewees_from_title("专访青禾研究院院长周明远：城市与河流"),
            ["周明远"]
        );
        assert_eq!(interviewees_from_title("对话林知远：慢下来"), ["林知远"]);
        assert_eq!(
            interviewees_from_title("An interview with the painter Ada Quill"),
            ["Ada Quill"]
        );
        assert!(interviewees_from_title("城市与河流").is_empty());
        assert_eq!(
            interviewees_from_title("Interview With Todd Cooperman, Sarah Austin"),
            ["Todd Cooperman", "Sarah Austin"]
        );
        assert_eq!(
            interviewees_from_title("A conversation with Ada Quill and Ben Okri on rivers"),
            ["Ada Quill", "Ben Okri"]
        );
    }

    #[test]
    fn placeholder_authors_are_ignored() {
        assert_eq!(author_from_byline("作者：小编 发布时间：2024-01-02"), None);
        // A farm's section name in the author field is no person.
        assert_eq!(author_from_byline("2019-06-08 作者:体育 | 浏览(108)"), None);
        // A news agency's lead names the agency and its reporter.
        assert_eq!(
            news_lead("中評社北京11月7日電（記者 藍忠平）11月17日，會議舉行了閉幕會。"),
            Some(("中評社".to_string(), "藍忠平".to_string()))
        );
        assert_eq!(
            news_lead("新华社北京3月5日电（记者张三、李四）今天上午，大会开幕。"),
            Some(("新华社".to_string(), "张三".to_string()))
        );
        assert_eq!(news_lead("他说3月5日电话打不通（记者注）。"), None);
        assert_eq!(news_lead("本报北京3月5日电（记者 张三）大会开幕。"), None);
        assert_eq!(
            print_credit("《南岭日报》（2025年09月29日 第 06 版）郑教授在授课。"),
            Some(("南岭日报".to_string(), "2025-09-29".to_string()))
        );
        assert_eq!(print_credit("《南岭日报》2025年09月29日报道了此事。"), None);
        // A source alone in brackets is a byline; a stage direction is not.
        assert_eq!(source_alone("（德國之聲）"), Some("德國之聲"));
        assert!(is_byline("(德國之聲)"));
        assert!(!is_byline("（掌声）"));
        // A long address does not make a dateline too long to be one.
        assert!(is_byline(
            "http://www.example-news-site.com.cn 2006年08月18日16:59 央视《某某会客厅》"
        ));
        // A reporter's mark gives its name; a section mark of a word is no byline.
        assert_eq!(author_from_byline("■吴小川").as_deref(), Some("吴小川"));
        assert_eq!(
            author_from_byline("■本报记者 李青").as_deref(),
            Some("李青")
        );
        assert!(is_byline("■吴小川"));
        assert!(!is_byline("■结语"));
        assert!(!is_byline("■对话"));
        assert_eq!(
            author_from_byline("作者：李青 发布时间：2024-01-02").as_deref(),
            Some("李青")
        );
        assert_eq!(
            author_from_byline("By Mara Holt | May 2, 2023").as_deref(),
            Some("Mara Holt")
        );
    }

    #[test]
    fn date_lines_in_many_shapes_are_bylines() {
        for line in [
            "2021-06-02 08:45  阅读次数:57",
            "作者:吴小川 日期:2020-12-01 出处:南岭晨报 【收藏】",
            "发布日期:2020-11-03 信息来源: 浏览次数:",
            "發布時間：2022年3月8日 10:20　來源：港灣時報",
            "2019年09月09日 10:15",
            "2019-9-5 9:30",
            "09月07日",
            "21 Mar 2024",
            "2025 09/29 08:42:49",
            "dongzi 发表于 1 小时前",
        ] {
            assert!(is_byline(line), "{line}");
        }
        assert!(!is_byline("2019年他回到家乡，开了一家茶馆。"));
        assert!(!is_byline("我们发表于去年的文章，今年又被人转载了。"));
        assert_eq!(
            find_date("2025 09/29 08:42:49").as_deref(),
            Some("2025-09-29 08:42:49")
        );
        assert_eq!(
            find_date("2019-9-5 9:30").as_deref(),
            Some("2019-09-05 09:30:00")
        );
        assert_eq!(
            month_day("09月07日", Some(2019)).as_deref(),
            Some("2019-09-07")
        );
        assert_eq!(month_day("09月07日", None), None);
    }

    #[test]
    fn the_interview_date_is_taken_only_when_unambiguous() {
        let text = "3月15日，林知远在接受本报记者专访时表示，模型会继续变大。";
        assert_eq!(
            interview_date(text, Some("2024-03-21 14:20:15")).as_deref(),
            Some("2024-03-15")
        );
        // A December interview published in January is from the year before.
        assert_eq!(
            interview_date("12月30日接受采访时，他说……", Some("2024-01-05")).as_deref(),
            Some("2023-12-30")
        );
        let two = "3月15日接受专访时他说了一些。3月18日再次接受采访时又说了一些。";
        assert_eq!(interview_date(two, Some("2024-03-21")), None);
        assert_eq!(
            interview_date("She was interviewed in Leeds on March 3, 2022.", None).as_deref(),
            Some("2022-03-03")
        );
        assert_eq!(
            interview_date("3月15日，天气很好。", Some("2024-03-21")),
            None
        );
    }

    #[test]
    fn a_headline_in_a_widget_is_the_title_when_the_head_names_it() {
        let paragraph = "The harbour board met on Tuesday, and its chair spoke for an hour \
            about the new ferry line and the people who will run it next spring.";
        let page_with = |h1: &str| {
            format!(
                "<html><head><title>A new ferry line | Lanmouth News</title>\
                 <meta property='og:title' content='A new ferry line'></head><body>\
                 <div class='site-header'><h1>Lanmouth News</h1></div>\
                 <div class='post-title-widget'><h1>{h1}</h1></div>\
                 <div class=content><p>Short lead line.</p><p>{paragraph}</p>\
                 <h3>What the board decided</h3><p>{paragraph}</p><p>{paragraph}</p></div>\
                 </body></html>"
            )
        };
        let title_of = |html: &str| {
            let page = super::super::extract::extract(html, true);
            locate_title(&page, &[]).map(|i| page.blocks[i].text.clone())
        };
        assert_eq!(
            title_of(&page_with("A new ferry line")).as_deref(),
            Some("A new ferry line")
        );
        // A heading in chrome that is not the page's title stays chrome.
        assert_ne!(
            title_of(&page_with("Our newsletter")).as_deref(),
            Some("Our newsletter")
        );
    }

    #[test]
    fn turns_and_paragraphs_are_not_titles() {
        assert!(looks_like_title("专访林知远：河流的未来"));
        assert!(looks_like_title("大模型还会继续变大吗？"));
        assert!(!looks_like_title(
            "記者問到：“你對本周中國賽最期待的是什么？”"
        ));
        assert!(!looks_like_title("他说，河流是城市的记忆。"));
        assert!(!looks_like_title("赵震在社媒写道:"));
        assert_eq!(
            first_sentence("雷速體育10月12日報道，中國籃球名宿易建聯退役。"),
            "中國籃球名宿易建聯退役"
        );
        assert_eq!(
            first_sentence("體育播報10月22日宣 在亞冠二級聯賽小組賽第3輪中，國安將客場出戰。"),
            "在亞冠二級聯賽小組賽第3輪中"
        );
        assert_eq!(first_sentence("10月12日，他回到了家乡。"), "10月12日");
        assert_eq!(
            first_sentence("【在球场的十年，她们都了不起。】正文"),
            "在球场的十年"
        );
        assert_eq!(
            first_sentence("【要闻】他回到了家乡。"),
            "【要闻】他回到了家乡"
        );
        assert_eq!(
            first_sentence("体育播报3月6今日宣 近日，选手某某接受了杂志的采访。"),
            "选手某某接受了杂志的采访"
        );
    }

    #[test]
    fn a_title_repeated_with_other_junk_glued_in_front_loses_its_own() {
        let repeated = |lines: &[&str]| {
            let page = super::super::extract::extract(&lines.join("\n"), false);
            repeated_title(&page.blocks[0].text, Some(0), &page.blocks)
        };
        assert_eq!(
            repeated(&[
                "老虎机专访林知远：河流的未来",
                "午夜影院专访林知远：河流的未来"
            ])
            .as_deref(),
            Some("专访林知远：河流的未来")
        );
        assert_eq!(
            repeated(&[
                "林知远：我没那么简单 想用电影治愈社会",
                "他说，中国人害怕面对真实，想用电影治愈社会",
            ]),
            None
        );
    }

    #[test]
    fn a_site_named_by_the_breadcrumb_leaves_the_title_end() {
        assert_eq!(
            without_site_suffix("把科学梦想种进更多人心田-新华网", "新华网"),
            "把科学梦想种进更多人心田"
        );
        assert_eq!(
            without_site_suffix("河流的未来 | 南岭网", "南岭网"),
            "河流的未来"
        );
        // Without a separator the name is the headline's own word.
        assert_eq!(without_site_suffix("我爱新华网", "新华网"), "我爱新华网");
        assert_eq!(without_site_suffix("新华网", "新华网"), "新华网");
    }

    #[test]
    fn junk_and_spam_leave_the_title() {
        assert_eq!(
            clean_title("百家乐娱乐城专访林知远：河流的未来", &[]),
            "专访林知远：河流的未来"
        );
        assert_eq!(
            clean_title("Online Casino Free Spins | Interview with Ada Quill", &[]),
            "Interview with Ada Quill"
        );
        assert_eq!(
            clean_title("PG电子 林知远谈河流 星河电竞平台", &[]),
            "林知远谈河流"
        );
        assert_eq!(
            clean_title("河流的未来？专家：慢慢来******", &[]),
            "河流的未来？专家：慢慢来"
        );
        assert_eq!(clean_title("A *starred* word", &[]), "A *starred* word");
        // A keyword phrase pasted before the headline, up to the space.
        assert_eq!(
            clean_title("高清国产视频在线播放 山城日报专访陈晓岚：图书馆的故事", &[]),
            "山城日报专访陈晓岚：图书馆的故事"
        );
        assert_eq!(
            clean_title("山城日报 专访陈晓岚：图书馆的故事", &[]),
            "山城日报 专访陈晓岚：图书馆的故事"
        );
    }

    #[test]
    fn an_interview_headline_below_a_mirrors_menus_is_the_title_and_its_header_names_the_writer() {
        let mut text = String::from("首页\n关于我们\n");
        text.push_str(&"震惊！他每天只睡四小时，结果医生都看呆了，你敢信吗？\n".repeat(3));
        text.push_str(
            "专访周望舒：一座小城的书店\nOriginal\n许清和\n江南夜读\n2022-08-15\n\
             周望舒在县城开了一家书店，十年里搬了三次家，最难的时候账上只剩八百块钱，可她从没想过关门，因为每天都有几个孩子放学后来这里写作业，她说这就是书店的意义。\n",
        );
        let page = super::super::extract::extract(&text, false);
        let title = locate_title(&page, &[]);
        assert_eq!(
            title.map(|i| page.blocks[i].text.as_str()),
            Some("专访周望舒：一座小城的书店")
        );
        assert_eq!(
            header_name(["Original", "许清和", "江南夜读", "2022-08-15"].into_iter()).as_deref(),
            Some("许清和")
        );
        // A word of the dictionary is no name.
        assert_eq!(
            header_name(["Original", "编辑", "2022-08-15"].into_iter()),
            None
        );
        // Without a date under them the short lines name no one.
        let interviewer = |header: &str| {
            let page = super::super::extract::extract(header, false);
            let bylines: Vec<usize> = (1..page.blocks.len()).collect();
            read(&page, Some(0), &bylines, &[], &[]).interviewer
        };
        assert_eq!(
            interviewer("专访周望舒\nOriginal\n许清和\n2022-08-15\n").as_deref(),
            Some("许清和")
        );
        assert_eq!(interviewer("专访周望舒\nOriginal\n许清和\n"), None);
    }

    #[test]
    fn a_headline_long_enough_for_prose_still_heads_its_byline() {
        let text = "绿军小老板何以安：想带球队来中国，但今年中国赛火爆后多队都有此意\n来源：某某体育\n\
                    今年的中国赛在澳门举办，球队的共同合伙人何以安接受了采访，他说这是很好的机会，我们都很高兴。\n";
        let page = super::super::extract::extract(text, false);
        assert_eq!(locate_title(&page, &[]), Some(0));
    }

    #[test]
    fn the_line_a_breadcrumb_ends_with_is_the_title_of_a_text_page() {
        let headline = "山城日报专访陈晓岚：一座小城的图书馆怎样留住读者？";
        let text = format!(
            "青木影视大全\n你的位置：青木影视大全 > 新闻 > {headline}\n{headline}\n\
             陈晓岚在县图书馆工作了十二年，去年开始把借阅室改成了一个可以说话的地方，来借书的孩子多了一倍。"
        );
        let page = super::super::extract::extract(&text, false);
        let title = locate_title(&page, &[]).map(|i| page.blocks[i].text.clone());
        assert_eq!(title.as_deref(), Some(headline));
    }

    #[test]
    fn a_headline_naming_an_interview_may_stand_under_the_lead() {
        let headline = "【要闻】专访陈晓岚：一座小城的图书馆怎样留住读者";
        let text = format!(
            "本篇文章7982字，读完约20分钟
             陈晓岚在县图书馆工作了十二年，去年开始把借阅室改成了一个可以说话的地方，来借书的孩子多了一倍。
             {headline}
             她说，图书馆不该只是安静的地方，孩子们需要一个能大声讨论书的角落，这是她最想做的事。"
        );
        let page = super::super::extract::extract(&text, false);
        let title = locate_title(&page, &[]).map(|i| page.blocks[i].text.clone());
        assert_eq!(title.as_deref(), Some(headline));
    }

    #[test]
    fn bylines_are_recognised() {
        assert!(is_byline(
            "作者:小编    发布时间:2024-03-21 14:20:15    浏览量:"
        ));
        assert!(is_byline("By Mara Holt, May 2, 2023"));
        assert!(!is_byline("他说，时间过得很快。"));
    }
}
