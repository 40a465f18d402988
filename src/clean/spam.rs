//! Pass 5, spam: what the hijacking site pasted into the article — its brand (learned
//! from the page's own chrome and title), known spam brands, bait domains, a copy of
//! the title inside a sentence, and a keyword pasted after unrelated words.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::extract::{Block, Head};
use super::lexicon::Lexicon;
use super::pipeline::{PageState, cut_ranges};
use super::report::{ChangeKind, Report};
use super::{CleanSettings, Problem};
use crate::text::is_cjk;

/// Removes what the hijacking site pasted in, strongest evidence first: copies of the
/// title, bait addresses, the learned brands, lexicon spam in structural positions,
/// lone connectives, then injected keywords.
pub fn run(state: &mut PageState, settings: &CleanSettings) -> Result<(), Problem> {
    let title_variants = [state.meta.raw_title.clone(), state.meta.title.clone()];
    let report = &mut state.report;
    remove_pasted_title(&mut state.body, &title_variants, report);
    remove_doubled_title_words(&mut state.body, &state.meta.title, report);
    remove_bait_urls(&mut state.body, &state.chrome_text, report);
    remove_brands(&mut state.body, &state.brands, report);
    remove_lexicon_spam(&mut state.body, report);
    list_suspect_brands(&state.body, &state.brands, report);
    remove_lone_connectives(&mut state.body, report);
    remove_injected_keywords(&mut state.body, &settings.keywords, report);
    remove_tail_tags(&mut state.body, report);
    Ok(())
}

/// A name from the title doubled into a sentence by the injection (`The Lucky Lucky
/// Mega Wheel Mega Wheel`): a run of one to three capitalised title words repeated
/// right after itself loses its first copy. Names that repeat by nature (`Walla
/// Walla`) are kept unless the title holds them.
pub fn remove_doubled_title_words(blocks: &mut [Block], title: &str, report: &mut Report) {
    fn bare(word: &str) -> &str {
        // Most words start and end with an ASCII letter or digit: nothing to trim.
        let bytes = word.as_bytes();
        if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        {
            return word;
        }
        word.trim_matches(|c: char| !c.is_alphanumeric())
    }
    let title_words: HashSet<&str> = title.split_whitespace().map(bare).collect();
    // A word counts as the title's only when a title word is capitalised, or holds an
    // apostrophe the word may stop at: a title with neither (most Chinese ones) has
    // nothing to double, and the blocks need not be split into words.
    if !title_words
        .iter()
        .any(|t| t.starts_with(char::is_uppercase) || t.contains(['’', '\'']))
    {
        return;
    }
    let in_title = |word: &str| {
        let word = bare(word);
        word.chars().next().is_some_and(char::is_uppercase) && title_words.contains(word)
            || title_words.iter().any(|t| {
                t.len() > word.len()
                    && t.starts_with(word)
                    && t[word.len()..].starts_with(['’', '\''])
            })
    };
    for block in blocks.iter_mut() {
        // Split at the spaces memchr finds in one pass (as `split(' ')` would, without a
        // search started per word), into a vector sized by their count.
        let spaces = memchr::memchr_iter(b' ', block.text.as_bytes());
        let mut words: Vec<&str> = Vec::with_capacity(spaces.clone().count() + 1);
        let mut start = 0;
        for at in spaces {
            words.push(&block.text[start..at]);
            start = at + 1;
        }
        words.push(&block.text[start..]);
        // Each word bare once, not at every comparison it takes part in.
        let mut bares: Vec<&str> = words.iter().map(|w| bare(w)).collect();
        let mut removed = Vec::new();
        let mut i = 0;
        while i < words.len() {
            // The repetition first: it is cheap and rare, the title look-up is neither.
            let doubled = (1..=3).rev().find(|&n| {
                i + 2 * n <= words.len()
                    && bares[i..i + n] == bares[i + n..i + 2 * n]
                    && (i..i + n).all(|k| in_title(words[k]) && bares[k] == words[k])
            });
            match doubled {
                Some(n) => {
                    removed.push(words[i..i + n].join(" "));
                    words.drain(i..i + n);
                    bares.drain(i..i + n);
                }
                None => i += 1,
            }
        }
        if removed.is_empty() {
            continue;
        }
        for phrase in removed {
            report.push_noted(
                ChangeKind::PastedTitleRemoved,
                block.number,
                phrase,
                "a name from the title doubled into the sentence",
            );
        }
        block.text = words.join(" ");
    }
}

/// Lexicon spam in structural positions: brand names carrying bait (`星河体育注册`)
/// wherever they stand, a brand lead opening a paragraph (`某某平台消息：`), and a
/// line that is spam through and through. Lexicon words inside prose stay.
pub fn remove_lexicon_spam(blocks: &mut [Block], report: &mut Report) {
    let lexicon = Lexicon::global();
    for block in blocks.iter_mut() {
        let evidence = lexicon.evidence(&block.text);
        let stuffed = block.text.chars().nth(80).is_none() || evidence.share >= 0.3;
        if stuffed && evidence.is_spam_line() {
            report.push_noted(
                ChangeKind::LexiconRemoved,
                block.number,
                &block.text,
                "a line of spam words of its own",
            );
            block.text.clear();
            continue;
        }
        let baits = if let Some(end) = lexicon.lead(&block.text) {
            report.push_noted(
                ChangeKind::LexiconRemoved,
                block.number,
                &block.text[..end],
                "a gambling brand's lead opening the paragraph",
            );
            block.text = block.text[end..].trim_start().to_string();
            lexicon.bait_brands(&block.text)
        } else {
            evidence.baits
        };
        if baits.is_empty() {
            continue;
        }
        let out = cut_ranges(
            block,
            &baits,
            ChangeKind::BrandRemoved,
            Some("a gambling brand with bait (platform, sign-up, official site, address)"),
            report,
        );
        block.text = tidy_spaces(&out);
    }
}

/// Gambling-brand shapes that carry no bait and are not the site's brand: kept, and
/// listed as suspect for the editor.
pub fn list_suspect_brands(blocks: &[Block], brands: &[String], report: &mut Report) {
    let lexicon = Lexicon::global();
    for block in blocks {
        for (start, end) in lexicon.suspect_brands(&block.text) {
            let name = &block.text[start..end];
            if brands.iter().any(|b| b.contains(name)) {
                continue;
            }
            report.suspect(
                ChangeKind::BrandRemoved,
                block.number,
                name,
                "shaped like a gambling brand, but with no bait and not the site's brand",
            );
        }
    }
}

/// A paragraph that is nothing but a connective (`与此同时，`, `值得一提的是,`,
/// `Meanwhile,`): a spinner's filler — no paragraph ends in a comma. A short line ending
/// in a comma goes when it is a known connective (`data/connectives.txt`), or when the
/// page already has a known one standing alone; otherwise it stays (`また、その他にも、`).
pub fn remove_lone_connectives(blocks: &mut [Block], report: &mut Report) {
    let lone: Vec<(usize, bool)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, block)| lone_comma_line(&block.text).map(|known| (i, known)))
        .collect();
    let page_has_filler = lone.iter().any(|&(_, known)| known);
    if !page_has_filler {
        return;
    }
    for (i, _) in lone {
        let block = &mut blocks[i];
        report.push(
            ChangeKind::ConnectiveRemoved,
            block.number,
            block.text.trim(),
        );
        block.text.clear();
    }
}

/// For a paragraph that is a short line ending in a comma, whether it is a known
/// connective; `None` for any other paragraph.
pub fn lone_comma_line(text: &str) -> Option<bool> {
    let text = text.trim();
    let chars = text.chars().count();
    let short = (3..=12).contains(&chars) && text.split_whitespace().count() <= 3;
    if !short || !text.ends_with(['，', ',', '、']) {
        return None;
    }
    let phrase = text.trim_end_matches(['，', ',', '、']).trim();
    Some(
        lists()
            .connectives
            .iter()
            .any(|known| known.eq_ignore_ascii_case(phrase)),
    )
}

struct Lists {
    connectives: Vec<String>,
    brand_patterns: Vec<Regex>,
    shipped_brands: Vec<String>,
    /// Finds any of `shipped_brands`: most blocks hold none, and are not searched for
    /// each.
    shipped_brand_finder: AhoCorasick,
    keywords: Vec<String>,
    /// A searcher for each of `keywords`, built once: each counts its keyword on a
    /// page in a vectorised pass.
    keyword_finders: Vec<memchr::memmem::Finder<'static>>,
    brand_in_chrome: Vec<Regex>,
    domain: Regex,
    bait_host: Regex,
    cheap_host: Regex,
    call_to_act: Regex,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("spam pattern compiles");
        let shipped_brands: Vec<String> = super::data_lines(include_str!("data/spam-brands.txt"))
            .map(str::to_string)
            .collect();
        let keywords: Vec<String> = super::data_lines(include_str!("data/spam-keywords.txt"))
            .map(str::to_string)
            .collect();
        Lists {
            connectives: super::data_lines(include_str!("data/connectives.txt"))
                .map(str::to_string)
                .collect(),
            brand_patterns: super::data_lines(include_str!("data/spam-patterns.txt"))
                .map(re)
                .collect(),
            // Only asked whether a text holds any: leftmost-first matching finds one
            // whenever the standard kind does, and lets the search use a vectorised
            // prefilter for the few patterns.
            shipped_brand_finder: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .build(&shipped_brands)
                .expect("spam words compile"),
            keyword_finders: keywords
                .iter()
                .map(|keyword| memchr::memmem::Finder::new(keyword).into_owned())
                .collect(),
            shipped_brands,
            keywords,
            brand_in_chrome: [
                r"([\p{Han}A-Za-z0-9]{2,12}?)(?:欢迎您|欢迎访问|欢迎光临)",
                r"(?:欢迎访问|欢迎光临|Welcome to)\s*([\p{Han}A-Za-z0-9]{2,12}?)(?:官网|官方网站|网站|！|!|，|,|\.|$)",
                r"([\p{Han}A-Za-z0-9]{2,12}?)\s*[·・]?\s*(?:\([^)]{0,12}\)|（[^）]{0,12}）)?\s*(?:官方网站|官网|Official Site|official site)",
                r"(?:Copyright|©|版权所有)[\s©:：]*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*([\p{Han}A-Za-z0-9]{2,12})",
                r"^([\p{Han}A-Za-z0-9]{2,8}?)(?:是|is)\s*[^，。]{0,12}(?:最|领先|知名|专业|一家|leading|best)",
            ]
            .into_iter()
            .map(re)
            .collect(),
            domain: re(
                r"(?i)(?-u:\b)(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|net|org|cc|vip|top|xyz|app|bet|casino|info|me|io|cn|tv|club|site|online))(?-u:\b)(?:/[^\s，。）)]*)?",
            ),
            call_to_act: re(
                r"(?i)访问|訪問|登录|登錄|注册|註冊|点击|點擊|详情|詳情|官网|官網|网址|網址|visit|play|sign up|join|click|log ?in|register|bonus|spins",
            ),
            // Top-level domains sold cheaply and common in spam (registries' price lists
            // and spam-domain reports); a host on one is bait only when pasted mid-sentence.
            cheap_host: re(r"(?i)\.(?:top|vip|xyz|bet|club|site|online|icu|fun|win|cc)$"),
            bait_host: re(
                r"(?i)bet|casino|poker|slot|spin|jackpot|lucky|porn|xxx|sex|vip|365|888|777|娱乐|体育|\.(?:vip|bet|casino|win|poker)$",
            ),
        }
    })
}

/// Words that name nobody's brand, however often a template repeats them.
const GENERIC: &[&str] = &[
    "本站", "本网", "我们", "网站", "您的", "这里", "欢迎", "公司", "官方", "首页", "this", "the",
    "our",
];

/// Learns the hijacking site's brand from the page: names its chrome repeats (`欢迎访问…`,
/// `…官方网站`, `Copyright … 版权所有`), its `<title>` suffix and `og:site_name`, kept
/// when they look like a gambling front, repeat in the chrome and sit glued into the
/// body, or were given by the user. Longest first.
pub fn learn_brands(
    chrome_lines: &[&str],
    head: &Head,
    raw_title: &str,
    body: &str,
    user_brands: &[String],
) -> Vec<String> {
    let lists = lists();
    // (name, whether the page names it as its own site: title suffix, og:site_name)
    let mut candidates: Vec<(String, bool)> = Vec::new();
    for title in [&head.title, &head.og_title].into_iter().flatten() {
        let suffixes = super::metadata::split_site_suffix(title).1;
        candidates.extend(suffixes.into_iter().map(|s| (s, true)));
    }
    candidates.extend(head.site_name.iter().map(|s| (s.clone(), true)));
    for line in chrome_lines {
        for regex in &lists.brand_in_chrome {
            for c in regex.captures_iter(line) {
                candidates.push((c[1].to_string(), false));
            }
        }
    }
    let mut brands: Vec<String> = user_brands
        .iter()
        .filter(|b| !b.is_empty())
        .cloned()
        .collect();
    for (candidate, own_site) in candidates {
        let candidate = strip_site_words(&candidate);
        let chars = candidate.chars().count();
        if !(2..=12).contains(&chars)
            || GENERIC.contains(&candidate.to_lowercase().as_str())
            || brands.contains(&candidate)
        {
            continue;
        }
        let looks_like_spam = lists.brand_patterns.iter().any(|r| r.is_match(&candidate))
            || lists.shipped_brands.contains(&candidate);
        let in_chrome = chrome_lines
            .iter()
            .filter(|l| l.contains(candidate.as_str()))
            .count();
        let glued =
            glued_positions(body, &candidate) > 0 || raw_title.starts_with(candidate.as_str());
        let in_body = body.contains(candidate.as_str());
        if looks_like_spam && (in_chrome >= 1 || glued || own_site && in_body)
            || (in_chrome >= 2 || own_site) && glued
        {
            brands.push(candidate);
        }
    }
    brands.sort_by_key(|b| std::cmp::Reverse(b.chars().count()));
    brands
}

/// A site name without the words that say it is a site (`官方网站`, `Official Site`).
fn strip_site_words(name: &str) -> String {
    let mut name = name.trim();
    for suffix in [
        "官方网站",
        "官网",
        "Official Website",
        "Official Site",
        "Online",
    ] {
        if name.len() > suffix.len()
            && name.is_char_boundary(name.len() - suffix.len())
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        {
            name = name[..name.len() - suffix.len()].trim();
        }
    }
    name.to_string()
}

/// How many times `word` sits glued into the text: not inside `《》`, and with text
/// of the same script right before it.
fn glued_positions(text: &str, word: &str) -> usize {
    text.match_indices(word)
        .filter(|(at, _)| !inside_book_title(text, *at))
        .filter(|(at, _)| {
            text[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric())
        })
        .count()
}

/// Whether position `at` is inside `《…》` (a publication's name, never spam). Titles
/// are short, so only the 120 bytes before `at` are looked at.
fn inside_book_title(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(120);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..at];
    match (before.rfind('《'), before.rfind('》')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Removes every copy of the title (as pasted, or with the brand cut) that sits inside
/// a longer block of body text, glued to the text before it. A copy that opens a clause
/// (at the block's start, or after a clause mark or an opening quote) is the writer's:
/// headlines are drawn from the lead and from quotes (`…今日推出第一期，某某做客人民网
/// 演播室`), where a spam site pastes its headline mid-clause (`…的人紫鲸棋牌对话…`).
pub fn remove_pasted_title(blocks: &mut [Block], variants: &[String], report: &mut Report) {
    let mut variants: Vec<&String> = variants.iter().filter(|v| v.chars().count() >= 8).collect();
    variants.sort_by_key(|v| std::cmp::Reverse(v.len()));
    variants.dedup();
    // Each variant's searcher is built once for all blocks.
    let finders: Vec<memchr::memmem::Finder> = variants
        .iter()
        .map(|v| memchr::memmem::Finder::new(v.as_bytes()))
        .collect();
    for block in blocks.iter_mut() {
        for (variant, finder) in variants.iter().zip(&finders) {
            if block.text.trim() == variant.as_str() || finder.find(block.text.as_bytes()).is_none()
            {
                continue;
            }
            remove_word(
                block,
                variant,
                ChangeKind::PastedTitleRemoved,
                report,
                |text, at| !opens_clause(text, at),
            );
        }
    }
}

/// Whether position `at` of `text` opens a clause: the block's start, or right after a
/// clause mark or an opening quote or bracket (spaces between them aside).
fn opens_clause(text: &str, at: usize) -> bool {
    text[..at].trim_end().chars().next_back().is_none_or(|c| {
        matches!(
            c,
            '，' | '。'
                | '；'
                | '：'
                | '！'
                | '？'
                | '、'
                | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '.'
                | '“'
                | '「'
                | '『'
                | '（'
                | '('
                | '《'
                | '"'
                | '\u{2014}'
        )
    })
}

/// Removes the learned brands wherever they appear in the body (outside `《》`), and the
/// shipped spam brands where they sit glued into the text.
pub fn remove_brands(blocks: &mut [Block], brands: &[String], report: &mut Report) {
    let lists = lists();
    let shipped = &lists.shipped_brands;
    for block in blocks.iter_mut() {
        for brand in brands {
            remove_word(
                block,
                brand,
                ChangeKind::BrandRemoved,
                report,
                |text, at| !inside_book_title(text, at),
            );
        }
        // Each removal needs its brand in the text: a block holding none is left as is,
        // one holding any goes through the whole list in order, as before.
        if !lists.shipped_brand_finder.is_match(&block.text) {
            continue;
        }
        for brand in shipped {
            if brands.contains(brand) {
                continue;
            }
            remove_word(
                block,
                brand,
                ChangeKind::BrandRemoved,
                report,
                |text, at| {
                    !inside_book_title(text, at)
                        && text[..at]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric())
                },
            );
        }
    }
}

/// Cuts `word` out of a block where `cut_here(text, at)` says so, tidying the space
/// it leaves in Latin text.
fn remove_word(
    block: &mut Block,
    word: &str,
    kind: ChangeKind,
    report: &mut Report,
    cut_here: impl Fn(&str, usize) -> bool,
) {
    if word.is_empty() || !block.text.contains(word) {
        return;
    }
    let text = &block.text;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(word) {
        if at < last || !cut_here(text, at) {
            continue;
        }
        out.push_str(&text[last..at]);
        last = at + word.len();
        report.push(kind, block.number, word);
    }
    // A block where every copy stays is left as it was, spaces and all.
    if last > 0 {
        out.push_str(&text[last..]);
        block.text = tidy_spaces(&out);
    }
}

/// Collapses double spaces and drops a space left before punctuation.
fn tidy_spaces(text: &str) -> String {
    // Without a space there is nothing to collapse or drop: only the trim is left.
    if memchr::memchr(b' ', text.as_bytes()).is_none() {
        return text.trim().to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '，' | '。') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// The web addresses in `text` that are bait: their domain also appears in the site's
/// chrome, the host looks like a gambling or adult front, or a host on a top-level
/// domain spam favours stands pasted between two words of a sentence. `chrome_lower`
/// is the chrome's text in lower case (lowered once per page by the caller, not per
/// block).
pub fn bait_domains(text: &str, chrome_lower: &str) -> Vec<String> {
    // Every address the pattern finds holds a `.`: a text without one (most Chinese
    // paragraphs end their sentences with `。`) is not searched.
    if memchr::memchr(b'.', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let lists = lists();
    lists
        .domain
        .captures_iter(text)
        .filter(|c| {
            let host = c[1].to_lowercase();
            let registrable: String = host
                .rsplitn(3, '.')
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join(".");
            let Some(whole) = c.get(0) else {
                return false;
            };
            if opens_news_lead(text, whole.start(), whole.end()) {
                return false;
            }
            !chrome_lower.is_empty() && chrome_lower.contains(&registrable)
                || lists.bait_host.is_match(&host)
                || lists.cheap_host.is_match(&host)
                    && pasted_mid_sentence(text, whole.start(), whole.end())
        })
        .map(|c| c[0].to_string())
        .collect()
}

/// Whether the address at `start..end` opens the block as its news lead's source
/// (`CCTV.com消息：`, `Example.com讯`): the site naming itself, never bait.
fn opens_news_lead(text: &str, start: usize, end: usize) -> bool {
    text[..start].trim().is_empty()
        && ["消息", "讯", "訊", "报道", "報道", "电", "電"]
            .iter()
            .any(|lead| text[end..].starts_with(lead))
}

/// Whether a bare address stands between two words of a sentence (`creating
/// example.top the ultimate…`): no sentence names a site that way.
fn pasted_mid_sentence(text: &str, start: usize, end: usize) -> bool {
    let (before, after) = (&text[..start], &text[end..]);
    before.ends_with(' ')
        && after.starts_with(' ')
        && before
            .trim_end()
            .chars()
            .last()
            .is_some_and(char::is_alphabetic)
        && after
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
}

/// Removes web addresses pasted in as bait (see [`bait_domains`]): the whole sentence
/// when it is nothing but the bait, the address alone otherwise.
pub fn remove_bait_urls(blocks: &mut [Block], chrome_text: &str, report: &mut Report) {
    let chrome_lower = chrome_text.to_lowercase();
    for block in blocks.iter_mut() {
        for url in bait_domains(&block.text, &chrome_lower) {
            match bait_sentence(&block.text, &url) {
                Some(sentence) => {
                    block.text = tidy_spaces(&block.text.replacen(&sentence, "", 1));
                    report.push_noted(
                        ChangeKind::UrlRemoved,
                        block.number,
                        sentence,
                        "a short sentence built around a bait address",
                    );
                }
                None => remove_word(block, &url, ChangeKind::UrlRemoved, report, |_, _| true),
            }
        }
    }
}

/// The sentence around `url` when it is short and calls the reader to the address, so
/// it is nothing but the bait (`详情访问 www.example.com 了解。`, `Play now at
/// example.bet for spins.`).
fn bait_sentence(text: &str, url: &str) -> Option<String> {
    let at = text.find(url)?;
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n');
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(i, c)| is_end(*c) || (*c == '.' && text[i + 1..].starts_with(' ')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after = at + url.len();
    let end = text[after..]
        .char_indices()
        .find(|(_, c)| is_end(*c) || *c == '.')
        .map_or(text.len(), |(i, c)| after + i + c.len_utf8());
    let sentence = &text[start..end];
    let rest = sentence.replacen(url, "", 1);
    let short = rest.chars().filter(|c| crate::text::is_cjk(*c)).count() <= 12
        && rest.split_whitespace().count() <= 8;
    (short && lists().call_to_act.is_match(&rest)).then(|| sentence.to_string())
}

/// Punctuation a pasted keyword is typically followed by.
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '。' | '，' | '、' | '；' | '！' | '？' | ',' | ';' | '!' | '?'
    )
}

/// The two characters before `at`, when both are CJK text (not punctuation).
fn two_before(text: &str, at: usize) -> Option<[char; 2]> {
    let mut chars = text[..at].chars().rev();
    let (last, first) = (chars.next()?, chars.next()?);
    let text_char = |c: char| is_cjk(c) && !is_clause_end(c);
    (text_char(first) && text_char(last)).then_some([first, last])
}

/// The two-character prefixes that form a phrase with `keyword` somewhere on the page,
/// i.e. occur before it where it is not followed by punctuation.
fn phrase_prefixes(page: &str, keyword: &str) -> HashSet<[char; 2]> {
    page.match_indices(keyword)
        .filter(|(at, _)| {
            page[at + keyword.len()..]
                .chars()
                .next()
                .is_some_and(|c| !is_clause_end(c))
        })
        .filter_map(|(at, _)| two_before(page, at))
        .collect()
}

/// Whether the keyword at `at..end` of `text` looks pasted: glued after a CJK character,
/// right before punctuation, after two characters that never form a phrase with it
/// elsewhere on the page nor in the spin tables' vocabulary.
fn looks_pasted(text: &str, at: usize, end: usize, phrases: &HashSet<[char; 2]>) -> bool {
    let next = text[end..].chars().next();
    if !next.is_none_or(is_clause_end) {
        return false;
    }
    let Some(before) = two_before(text, at) else {
        return false;
    };
    if phrases.contains(&before) {
        return false;
    }
    // The two characters stand right before the keyword: the phrases are the text's own.
    let short_start = at - before[1].len_utf8();
    let phrase = &text[short_start - before[0].len_utf8()..end];
    let short_phrase = &text[short_start..end];
    let table = super::despin::shipped();
    !(table.knows(phrase) || table.knows(short_phrase))
}

/// Finds keywords pasted after unrelated words (four pasted-looking occurrences, or
/// three that are a quarter of all) among the shipped and user keywords, and cuts those
/// occurrences out.
pub fn remove_injected_keywords(
    blocks: &mut [Block],
    user_keywords: &[String],
    report: &mut Report,
) {
    let page: String = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let lists = lists();
    let candidates = (lists
        .keywords
        .iter()
        .zip(lists.keyword_finders.iter().map(Some)))
    .chain(user_keywords.iter().map(|keyword| (keyword, None)));
    for (keyword, finder) in candidates {
        if keyword.is_empty() || !keyword.chars().all(is_cjk) {
            continue;
        }
        // Counted as `matches` counts them (without overlaps, from the left).
        let total = match finder {
            Some(finder) => finder.find_iter(page.as_bytes()).count(),
            None => page.matches(keyword.as_str()).count(),
        };
        if total < 3 {
            continue;
        }
        let phrases = phrase_prefixes(&page, keyword);
        let pasted = page
            .match_indices(keyword.as_str())
            .filter(|(at, m)| looks_pasted(&page, *at, at + m.len(), &phrases))
            .count();
        if pasted < 3 || (pasted < 4 && pasted * 4 < total) {
            continue;
        }
        report.keywords.push(keyword.clone());
        for block in blocks.iter_mut() {
            let text = block.text.clone();
            let pasted_here: Vec<usize> = text
                .match_indices(keyword.as_str())
                .filter(|(at, m)| looks_pasted(&text, *at, at + m.len(), &phrases))
                .map(|(at, _)| at)
                .collect();
            if pasted_here.is_empty() {
                continue;
            }
            let mut out = String::with_capacity(text.len());
            let mut last = 0;
            for at in pasted_here {
                out.push_str(&text[last..at]);
                last = at + keyword.len();
                report.push(ChangeKind::KeywordRemoved, block.number, keyword.as_str());
            }
            out.push_str(&text[last..]);
            block.text = out;
        }
    }
}

/// Tail tags pasted on a page: at least this many paragraphs end with one...
const MIN_TAIL_TAGS: usize = 3;
/// ...and they are at least this share of the paragraphs that end a sentence at all.
const MIN_TAIL_TAG_SHARE: f64 = 0.25;
/// A tail tag is one word: this many Latin letters, or a third as many ideographs.
const MAX_TAIL_TAG_LETTERS: usize = 12;

/// Where the tag pasted after a paragraph's last sentence starts (`…负载均衡。java`,
/// `…怎么办呢？服务器`), if the paragraph ends that way: a word of Latin letters or of
/// ideographs, nothing else, glued right after a full-width 。？！.
fn tail_tag_start(text: &str) -> Option<usize> {
    let text = text.trim_end();
    let mut start = text.len();
    let mut weight = 0;
    let latin = text.ends_with(|c: char| c.is_ascii_alphabetic());
    for (at, c) in text.char_indices().rev() {
        let in_tag = if latin {
            c.is_ascii_alphabetic()
        } else {
            is_cjk(c) && c.is_alphabetic()
        };
        if !in_tag {
            return (matches!(c, '。' | '？' | '！') && weight > 0).then_some(start);
        }
        weight += if latin { 1 } else { 3 };
        if weight > MAX_TAIL_TAG_LETTERS {
            return None;
        }
        start = at;
    }
    None
}

/// Cuts the topic words some mirror sites paste after the last sentence of each
/// paragraph (`…实现高可用和负载均衡。java`). One paragraph ending that way may be the
/// writer's; many of them, a quarter or more of the paragraphs that end a sentence,
/// are the mirror's.
pub fn remove_tail_tags(blocks: &mut [Block], report: &mut Report) {
    use super::extract::BlockKind;
    // Headings end no sentence, and code or table cells may end in anything.
    let prose = |block: &Block| {
        matches!(
            block.kind,
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote
        )
    };
    let mut tagged: Vec<(usize, usize)> = Vec::new();
    let mut ending_sentences = 0;
    for (i, block) in blocks.iter().enumerate().filter(|(_, block)| prose(block)) {
        if let Some(start) = tail_tag_start(&block.text) {
            tagged.push((i, start));
            ending_sentences += 1;
        } else if block.text.trim_end().ends_with(['。', '？', '！']) {
            ending_sentences += 1;
        }
    }
    if tagged.len() < MIN_TAIL_TAGS
        || (tagged.len() as f64) < MIN_TAIL_TAG_SHARE * ending_sentences as f64
    {
        return;
    }
    let reason = format!(
        "a topic word pasted after the paragraph's last sentence, as {} of the {} paragraphs ending a sentence on this page are",
        tagged.len(),
        ending_sentences
    );
    for (i, start) in tagged {
        let block = &mut blocks[i];
        let tag = block.text[start..].trim_end().to_string();
        block.text.truncate(start);
        report.push_noted(
            ChangeKind::KeywordRemoved,
            block.number,
            tag,
            reason.clone(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::extract::BlockKind;

    fn blocks(texts: &[&str]) -> Vec<Block> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Block {
                number: i + 1,
                kind: BlockKind::Paragraph,
                text: t.to_string(),
                link_density: 0.0,
                chrome_hint: false,
                boilerplate: false,
            })
            .collect()
    }

    /// The blocks' texts after [`remove_lone_connectives`].
    fn without_lone_connectives(lines: &[&str]) -> Vec<String> {
        let mut body = blocks(lines);
        remove_lone_connectives(&mut body, &mut Report::default());
        body.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn known_connectives_standing_alone_are_removed() {
        let lines = [
            "他说了第一句。",
            "与此同时，",
            "Meanwhile,",
            "他说了第二句。",
        ];
        assert_eq!(
            without_lone_connectives(&lines),
            ["他说了第一句。", "", "", "他说了第二句。"]
        );
    }

    #[test]
    fn a_short_line_ending_in_a_comma_stays_without_spinner_evidence() {
        let lines = [
            "前の段落です。",
            "また、その他にも、",
            "春风吹过，",
            "次の段落です。",
        ];
        assert_eq!(without_lone_connectives(&lines), lines);
    }

    #[test]
    fn unknown_comma_lines_go_on_a_page_with_known_filler() {
        let lines = ["第一段。", "值得一提的是，", "说到这一点，", "第二段。"];
        assert_eq!(
            without_lone_connectives(&lines),
            ["第一段。", "", "", "第二段。"]
        );
    }

    #[test]
    fn brand_is_learned_from_chrome_not_from_a_list() {
        let chrome = [
            "欢迎访问金鲤娱乐官方网站",
            "Copyright © 2024 金鲤娱乐 版权所有",
        ];
        let brands = learn_brands(
            &chrome,
            &Head::default(),
            "金鲤娱乐专访：河流",
            "他说这很重要金鲤娱乐。",
            &[],
        );
        assert_eq!(brands, ["金鲤娱乐"]);
    }

    #[test]
    fn an_ordinary_site_name_is_not_a_brand() {
        let chrome = ["Copyright © 2024 南岭晨报 版权所有"];
        let brands = learn_brands(
            &chrome,
            &Head::default(),
            "专访",
            "周明远接受《南岭晨报》记者采访。",
            &[],
        );
        assert!(brands.is_empty(), "{brands:?}");
    }

    #[test]
    fn brands_leave_the_body_but_not_book_titles() {
        let mut body = blocks(&["这是进展金鲤娱乐。《金鲤娱乐年鉴》里也有。"]);
        let mut report = Report::default();
        remove_brands(&mut body, &["金鲤娱乐".to_string()], &mut report);
        assert_eq!(body[0].text, "这是进展。《金鲤娱乐年鉴》里也有。");
        assert_eq!(report.count(ChangeKind::BrandRemoved), 1);
    }

    #[test]
    fn title_names_doubled_into_a_sentence_lose_their_copy() {
        let title = "Behind the Bright Harbor Wheel’s Success";
        let mut body = blocks(&[
            "The Bright Bright Harbor Wheel Harbor Wheel, a huge machine, opened in 2019.",
            "They drove to Walla Walla and then to Bright Harbor.",
        ]);
        let mut report = Report::default();
        remove_doubled_title_words(&mut body, title, &mut report);
        assert_eq!(
            body[0].text,
            "The Bright Harbor Wheel, a huge machine, opened in 2019."
        );
        assert_eq!(
            body[1].text,
            "They drove to Walla Walla and then to Bright Harbor."
        );
        assert_eq!(report.count(ChangeKind::PastedTitleRemoved), 2);
    }

    #[test]
    fn cheap_domains_pasted_mid_sentence_are_bait() {
        let text =
            "She built it creating goldrush.top the finest wheel; see our notes at river.top.";
        assert_eq!(bait_domains(text, ""), ["goldrush.top"]);
    }

    #[test]
    fn english_brand_removal_tidies_spaces() {
        let mut body = blocks(&["The market grew LuckyReelBet . Then it slowed."]);
        let mut report = Report::default();
        remove_brands(&mut body, &["LuckyReelBet".to_string()], &mut report);
        assert_eq!(body[0].text, "The market grew. Then it slowed.");
    }

    #[test]
    fn pasted_title_is_cut_from_sentences_only() {
        let title = "专访周明远：城市与河流的未来".to_string();
        let mut body = blocks(&[
            "专访周明远：城市与河流的未来",
            "最终专访周明远：城市与河流的未来相互借鉴。",
            "今日推出第一期，专访周明远：城市与河流的未来在演播室录制。",
            "专访周明远：城市与河流的未来，是本报的新栏目。",
        ]);
        let mut report = Report::default();
        remove_pasted_title(&mut body, &[title], &mut report);
        assert_eq!(body[0].text, "专访周明远：城市与河流的未来");
        assert_eq!(body[1].text, "最终相互借鉴。");
        assert_eq!(
            body[2].text,
            "今日推出第一期，专访周明远：城市与河流的未来在演播室录制。"
        );
        assert_eq!(
            body[3].text,
            "专访周明远：城市与河流的未来，是本报的新栏目。"
        );
        assert_eq!(report.count(ChangeKind::PastedTitleRemoved), 1);
    }

    #[test]
    fn injected_keyword_needs_strong_evidence() {
        let mut body = blocks(&[
            "人工智能正在改变城市。河流需要保护科技。",
            "我们讨论了交通科技，也讨论了住房科技。",
            "人工智能的作用很大，科技创新也很重要。",
        ]);
        let mut report = Report::default();
        remove_injected_keywords(&mut body, &[], &mut report);
        assert_eq!(body[0].text, "人工智能正在改变城市。河流需要保护。");
        assert_eq!(body[1].text, "我们讨论了交通，也讨论了住房。");
        assert_eq!(body[2].text, "人工智能的作用很大，科技创新也很重要。");
        assert_eq!(report.keywords, ["科技"]);
    }

    #[test]
    fn a_keyword_used_normally_stays() {
        let text = "我们的科技很强。科技改变生活。发展科技，需要耐心。";
        let mut body = blocks(&[text]);
        let mut report = Report::default();
        remove_injected_keywords(&mut body, &[], &mut report);
        assert_eq!(body[0].text, text);
    }

    #[test]
    fn a_sites_own_address_opening_its_news_lead_stays() {
        let text = "CCTV.com消息：6月29日，主播做客本网演播室。";
        assert!(bait_domains(text, "专题：新闻访谈-cctv.com新闻").is_empty());
        assert_eq!(
            bait_domains("他说CCTV.com消息很多", "专题：新闻访谈-cctv.com新闻"),
            ["CCTV.com"]
        );
    }

    #[test]
    fn bait_domains_go_and_real_ones_stay() {
        let mut body = blocks(&[
            "等了一周。详情访问 www.lucky888bet.com 了解。论文见 arxiv.org/abs/1234。",
            "他说过去十年里 www.lucky888bet.com 之类的网站越来越多，监管也越来越严格，这是好事。",
        ]);
        let mut report = Report::default();
        remove_bait_urls(&mut body, "", &mut report);
        assert_eq!(body[0].text, "等了一周。论文见 arxiv.org/abs/1234。");
        assert_eq!(
            body[1].text,
            "他说过去十年里 之类的网站越来越多，监管也越来越严格，这是好事。"
        );
        assert_eq!(report.count(ChangeKind::UrlRemoved), 2);
    }

    /// The blocks' texts after [`remove_tail_tags`], and how many tags it cut.
    fn without_tail_tags(lines: &[&str]) -> (Vec<String>, usize) {
        let mut body = blocks(lines);
        let mut report = Report::default();
        remove_tail_tags(&mut body, &mut report);
        let texts = body.into_iter().map(|b| b.text).collect();
        (texts, report.count(ChangeKind::KeywordRemoved))
    }

    #[test]
    fn tags_pasted_after_many_paragraphs_are_cut() {
        // Written for this test in the manner of mirror sites' copies of tech articles.
        let (texts, cut) = without_tail_tags(&[
            "单机部署的性能总有上限，可以通过集群来实现负载均衡。java",
            "在集群中，我们把每个服务称为一个节点。node",
            "节点之间会同步元数据，消息数据不会同步。那么消息去哪了？服务器",
            "这种方案提高了可用性，也带来网络开销。",
            "内存节点读写速度快，客户端通常连接内存节点。网络",
        ]);
        assert_eq!(cut, 4);
        assert_eq!(
            texts[0],
            "单机部署的性能总有上限，可以通过集群来实现负载均衡。"
        );
        assert_eq!(
            texts[2],
            "节点之间会同步元数据，消息数据不会同步。那么消息去哪了？"
        );
        assert_eq!(texts[4], "内存节点读写速度快，客户端通常连接内存节点。");
    }

    #[test]
    fn a_writers_own_endings_stay() {
        let lines = [
            "他笑着说：“就这样吧。”完",
            "我们用 Rust 重写了它。Rust",
            "第一版很慢。",
            "第二版快了十倍。",
            "编程语言：Rust",
            "全文完。（完）",
            "这是第三版。——编者",
            "我们在 2024 年发布。2024",
        ];
        // At most one ending of the kind (Rust after 。): a writer's, not a mirror's.
        let (texts, cut) = without_tail_tags(&lines);
        assert_eq!(cut, 0);
        assert_eq!(texts, lines);
        // A tag longer than a word is a sentence, not a tag.
        assert_eq!(tail_tag_start("上一句。这是一句没有标点的很长的话"), None);
        assert_eq!(tail_tag_start("上一句。loadbalancingcluster"), None);
        assert_eq!(tail_tag_start("上一句。负载均衡"), Some("上一句。".len()));
    }
}
