//! Pass sanitize: what no article text holds. Characters XML 1.0 forbids (control
//! characters break feeds), HTML tags that leaked into the text as text
//! (`<cite id=…>`), and image file names and image credits pasted inline
//! (`IMG_2041.jpg`, `（图片来源：网络）`), and news photo captions glued into a
//! paragraph (`资料图：图为…记者 某某 摄`) or standing as one (`…发布会。（攝影：某某）`).
//! A dash the page's encoding lost (`players ?a good result`) is put back.

use std::sync::OnceLock;

use regex::Regex;

use crate::text::Literals;

use super::pipeline::PageState;
use super::report::{ChangeKind, Report};
use super::{CleanSettings, Problem};

/// Compiles a pattern of this module (each on first use: a page that cannot hold what
/// a pattern finds never pays for compiling it).
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("sanitize pattern compiles")
}

/// An HTML tag shown as text. Only names of real HTML elements: `a < b` and
/// `<未经授权>` are text. Every match ends with `>`.
fn tag() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        compile(
            r"(?i)</?(?:a|abbr|b|br|cite|code|div|em|font|h[1-6]|i|img|p|section|small|span|strong|sup|sub|table|td|tr|u|ul|li|figure|figcaption|iframe|script|style)(?:\s+[a-z-]+(?:\s*=\s*(?:&quot;[^&]*&quot;|&#39;[^&]*&#39;|[^\s>]+))?)*\s*/?>|</?(?:cite|span|font|figcaption)(?:\s[^<>]{0,200})?>|[?？]?/(?:p|div|span|strong|em|li|td|tr|table|section|article)>",
        )
    })
}

/// An image file name inside the text, with its address if it has one. Every match
/// holds a `.`.
fn image() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        compile(
            r"(?i)(?:[(（\[【]\s*)?(?:https?://[!-~&&[^\s\x22'<>()]]{1,200}/)?(?-u:\b)[a-z0-9_\-.]{1,64}\.(?:jpe?g|png|gif|webp|bmp)(?-u:\b)(?:\s*[)）\]】])?|(?:[(（\[【]\s*)?图片?\d{0,3}\.(?:jpe?g|png|gif|webp)(?:\s*[)）\]】])?",
        )
    })
}

/// The extensions of [`image_line`], in lower case.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "bmp"];

/// A file name standing as a line of its own (it may have a name in any script). Every
/// match ends with one of [`IMAGE_EXTENSIONS`], in any case.
fn image_line() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| compile(r"(?i)^[\p{L}\p{N}_\-. ]{1,48}\.(?:jpe?g|png|gif|webp|bmp)$"))
}

/// Whether `line` ends with an image extension, in any ASCII case.
fn ends_with_image_extension(line: &str) -> bool {
    IMAGE_EXTENSIONS.iter().any(|extension| {
        let at = line.len().saturating_sub(extension.len());
        line.len() >= extension.len()
            && line.is_char_boundary(at)
            && line[at..].eq_ignore_ascii_case(extension)
    })
}

/// A news photo caption: `资料图：图为…记者 某某 摄`, `图为…（摄影：某某）`. Every match
/// holds 资料 or 图为 (in either script).
fn caption() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        compile(
            r"(?:^|[。！？」”])\s*((?:资料图|資料圖|资料照片|資料照片|图为|圖為)[:：]?[^。！？]{2,120}?(?:记者|記者|摄影|攝影|通讯员|通訊員)[:：]?\s*[\p{Han}·]{2,4}(?:\s+[\p{Han}·]{2,4})?\s*[摄攝])",
        )
    })
}

/// A photographer's credit in brackets at the end of a block: `（摄影：某某）`,
/// `（新华社记者 某某 摄）`. Every match holds 摄 or 攝.
fn photographer() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        compile(
            r"[（(]\s*(?:(?:摄影|攝影)\s*[:：]\s*[\p{Han}·]{2,4}(?:\s+[\p{Han}·]{2,4})?|[^（）()]{0,12}?(?:记者|記者|通讯员|通訊員)\s*[\p{Han}·]{2,4}\s*[摄攝])\s*[)）]\s*$",
        )
    })
}

/// A news agency's or its reporter's photo credit, unbracketed, at the end of a block:
/// `中新社发 某某 摄`, `新华社记者 某某 摄`. Every match holds 摄 or 攝.
fn agency_credit() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        compile(
            r"(?:^|[。！？\s])\s*\p{Han}{1,6}(?:社|网|網|报|報)(?:[发發]|记者|記者)\s*[\p{Han}·]{2,4}(?:\s+[\p{Han}·]{2,4})?\s*[摄攝]\s*$",
        )
    })
}

/// The longest caption (a date, what the photo shows, 图为…) dropped with its agency's
/// credit: a news paragraph never ends in one.
const AGENCY_CAPTION_CHARS: usize = 150;

/// Whether a block is a photo caption ending in its agency's credit.
fn is_agency_caption(text: &str) -> bool {
    text.chars().count() <= AGENCY_CAPTION_CHARS && agency_credit().is_match(text)
}

/// The longest caption taken whole before a photographer's credit.
const CAPTION_CHARS: usize = 80;

/// Whether the text before a photographer's credit is a photo's caption, not a
/// paragraph the credit was glued to: short, and one sentence at most.
fn is_caption(text: &str) -> bool {
    text.chars().count() <= CAPTION_CHARS
        && text
            .trim_end_matches(['。', '！', '？'])
            .chars()
            .all(|c| !matches!(c, '。' | '！' | '？'))
}

/// An image credit inside the text. Every match opens with a bracket.
fn credit() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        compile(
            r"(?i)[(（【\[]\s*(?:图片?来源|圖片?來源|图源|圖源|图片源自网络|圖片源自網絡|图/[^)）】\]]{1,20}|圖/[^)）】\]]{1,20}|photo(?: credit)?:|image:|credit:)[^)）】\]]{0,40}[)）】\]]",
        )
    })
}

/// A link's call to click at the end of a block: `>>点击进入论坛查看`, `>>點擊看視頻`.
/// Every match holds `>>`.
fn link_prompt() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| compile(r"\s*>>\s*(?:点击|點擊)[^。！？>]{0,24}$"))
}

/// Whether XML 1.0 allows the character in text: tab, line breaks and everything
/// from U+0020 except U+FFFE and U+FFFF.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// Drops forbidden characters, leaked tags and inline image names from every block,
/// and from the `<head>` values the metadata pass reads.
pub fn run(state: &mut PageState, _settings: &CleanSettings) -> Result<(), Problem> {
    let report = &mut state.report;
    for block in &mut state.page.blocks {
        block.text = sanitize_text(&block.text, block.number, report);
    }
    let head = &mut state.page.head;
    for value in [
        &mut head.title,
        &mut head.og_title,
        &mut head.site_name,
        &mut head.author,
    ]
    .into_iter()
    .flatten()
    {
        *value = value.chars().filter(|c| xml_allowed(*c)).collect();
    }
    Ok(())
}

/// One block's text with forbidden characters, leaked tags and image names removed.
pub fn sanitize_text(text: &str, block: usize, report: &mut Report) -> String {
    let (mut out, dropped) = if !crate::text::has_xml_forbidden(text.as_bytes()) {
        (text.to_string(), 0)
    } else {
        let out: String = text.chars().filter(|c| xml_allowed(*c)).collect();
        let dropped = text.chars().count() - out.chars().count();
        (out, dropped)
    };
    if dropped > 0 {
        report.push_noted(
            ChangeKind::ControlCharacterRemoved,
            block,
            format!("{dropped} character(s)"),
            "control characters XML 1.0 forbids (they break feeds)",
        );
    }
    if memchr::memmem::find(out.as_bytes(), b" ?").is_some() {
        out = restore_lost_dashes(&out, block, report);
    }
    let line = out.trim();
    if is_courtesy_line(line) {
        report.push_noted(
            ChangeKind::ImageNameRemoved,
            block,
            line,
            "a photo credit standing as a line (`某某供图`)",
        );
        return String::new();
    }
    if may_hold_photographer(line) && is_agency_caption(&super::pinyin::without_readings(line)) {
        report.push_noted(
            ChangeKind::ImageNameRemoved,
            block,
            line,
            "a photo caption ending in its agency's credit (`…中新社发 某某 摄`)",
        );
        return String::new();
    }
    if ends_with_image_extension(line) && image_line().is_match(line) {
        report.push_noted(
            ChangeKind::ImageNameRemoved,
            block,
            out.trim(),
            "an image file name standing as a line",
        );
        return String::new();
    }
    // Each pattern needs a literal most text lacks, looked for first: a caption opens
    // with 资料图, 资料照片 or 图为 (either script); a tag ends with `>`; a credit opens
    // with a bracket; an image name holds a `.` before its extension.
    let captions: Vec<(usize, usize)> = if may_hold_caption(&out) {
        caption()
            .captures_iter(&out)
            .filter_map(|c| c.get(1).map(|m| (m.start(), m.end())))
            .collect()
    } else {
        Vec::new()
    };
    for &(start, end) in &captions {
        report.push_noted(
            ChangeKind::ImageNameRemoved,
            block,
            &out[start..end],
            "a photo caption (`图为…记者 某某 摄`) inside the text",
        );
    }
    for &(start, end) in captions.iter().rev() {
        out.replace_range(start..end, "");
    }
    if may_hold_photographer(&out)
        && let Some(credit) = photographer().find(&out)
    {
        let before = out[..credit.start()].trim();
        if is_caption(before) {
            report.push_noted(
                ChangeKind::ImageNameRemoved,
                block,
                out.trim(),
                "a photo caption ending in its photographer's credit",
            );
            return String::new();
        }
        report.push_noted(
            ChangeKind::ImageNameRemoved,
            block,
            credit.as_str(),
            "a photographer's credit after the text",
        );
        out.truncate(credit.start());
        out.truncate(out.trim_end().len());
    }
    let tag_end = |text: &str| text.contains('>');
    let dot = |text: &str| text.contains('.');
    let arrows = |text: &str| text.contains(">>");
    for (regex, literal, kind, reason) in [
        (
            tag as fn() -> &'static Regex,
            &tag_end as &dyn Fn(&str) -> bool,
            ChangeKind::LeakedTagRemoved,
            "an HTML tag shown as text",
        ),
        (
            credit,
            &holds_bracket,
            ChangeKind::ImageNameRemoved,
            "an image credit inside the text",
        ),
        (
            image,
            &dot,
            ChangeKind::ImageNameRemoved,
            "an image file name inside the text",
        ),
        (
            link_prompt,
            &arrows,
            ChangeKind::ChromeRemoved,
            "a link's call to click after the text (`>>点击看视频`)",
        ),
    ] {
        if !literal(&out) {
            continue;
        }
        let regex = regex();
        if !regex.is_match(&out) {
            continue;
        }
        for m in regex.find_iter(&out) {
            report.push_noted(kind, block, m.as_str(), reason);
        }
        out = tidy(&regex.replace_all(&out, ""));
    }
    out
}

/// Whether `text` holds a literal a caption opens with (资料 or 图为, in either script).
fn may_hold_caption(text: &str) -> bool {
    static OPENERS: Literals<4> = Literals::new(["资料", "資料", "图为", "圖為"]);
    OPENERS.any_in(text)
}

/// Puts back the dashes a page's encoding lost in English text: a `?` after a word
/// and a space, glued to the lower-case word after it (`players ?a good result`), is
/// no question mark, which follows its word and precedes a space.
fn restore_lost_dashes(text: &str, block: usize, report: &mut Report) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find(" ?") {
        let (before, after) = (&rest[..at], &rest[at + 2..]);
        let lost = before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, ',' | ')'))
            && after.starts_with(|c: char| c.is_ascii_lowercase());
        out.push_str(before);
        if lost {
            let word: String = after
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            report.replace_because(
                ChangeKind::LostDashRestored,
                block,
                format!("?{word}"),
                format!("— {word}"),
                "a `?` glued to the next word: a dash the page's encoding lost",
            );
            out.push_str(" — ");
        } else {
            out.push_str(" ?");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The longest name before 供图 in a photo credit line.
const COURTESY_NAME_CHARS: usize = 12;

/// A photo credit standing as a line: a name, then 供图 ("picture supplied by"):
/// `西北大学供图`, `受访者供图`.
fn is_courtesy_line(line: &str) -> bool {
    line.strip_suffix("供图")
        .or_else(|| line.strip_suffix("供圖"))
        .is_some_and(|name| {
            (1..=COURTESY_NAME_CHARS).contains(&name.chars().count())
                && name.chars().all(|c| crate::text::is_cjk(c) || c == '·')
        })
}

/// Whether `text` holds a character every photographer's credit holds: 摄 or 攝.
fn may_hold_photographer(text: &str) -> bool {
    static SHOT: Literals<2> = Literals::new(["摄", "攝"]);
    SHOT.any_in(text)
}

/// Whether `text` holds a bracket a credit may open with: `(`, `[`, `（` or `【`.
fn holds_bracket(text: &str) -> bool {
    static WIDE: Literals<2> = Literals::new(["（", "【"]);
    memchr::memchr2(b'(', b'[', text.as_bytes()).is_some() || WIDE.any_in(text)
}

/// Collapses the double spaces a cut leaves.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' && (out.ends_with(' ') || out.is_empty()) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> (String, Report) {
        let mut report = Report::default();
        (sanitize_text(text, 1, &mut report), report)
    }

    #[test]
    fn photo_captions_glued_into_a_paragraph_go() {
        let (text, report) = clean(
            "资料图：图为2020年新生在校门口合影 南岭日报记者 周小禾 摄此外，学校还开放了图书馆。",
        );
        assert_eq!(text, "此外，学校还开放了图书馆。");
        assert_eq!(report.count(ChangeKind::ImageNameRemoved), 1);
        let prose = "图为他最喜欢的一张照片，是父亲在河边拍摄的。";
        assert_eq!(clean(prose).0, prose);
    }

    #[test]
    fn a_links_call_to_click_goes_from_the_end() {
        let (text, report) = clean("主播做客本网演播室，聊聊他的感受。>>點擊進入BBS查看互動頁面");
        assert_eq!(text, "主播做客本网演播室，聊聊他的感受。");
        assert_eq!(report.count(ChangeKind::ChromeRemoved), 1);
        let kept = "他说：“>>点击这个按钮，然后等待。”";
        assert_eq!(clean(kept).0, kept);
    }

    #[test]
    fn a_caption_ending_in_its_agencys_credit_goes() {
        for caption in [
            "11月11日，新闻中心举办记者招待会。图为一位记者提问。中新社發(fā) 廖攀 攝",
            "河边的老房子已经修好了。新华社记者 周小禾 摄",
        ] {
            let (text, report) = clean(caption);
            assert_eq!(text, "", "{caption}");
            assert_eq!(report.count(ChangeKind::ImageNameRemoved), 1);
        }
        for kept in ["他在报社发表了文章，后来去拍摄", "我们请摄影师周小禾来拍摄"]
        {
            assert_eq!(clean(kept).0, kept);
        }
    }

    #[test]
    fn a_photographers_credit_goes_with_its_caption() {
        let (text, report) = clean("全國人大常委會辦公廳舉行新聞發布會。（攝影：蘭小禾）");
        assert_eq!(text, "");
        assert_eq!(report.count(ChangeKind::ImageNameRemoved), 1);
        assert_eq!(clean("河边的老房子（南岭日报记者 周小禾 摄）").0, "");
        // After a paragraph of several sentences only the credit goes.
        let (text, _) = clean("他回到了家乡。河边的老房子已经修好了。（摄影：周小禾）");
        assert_eq!(text, "他回到了家乡。河边的老房子已经修好了。");
        assert_eq!(clean("  受访者供图").0, "");
        let sentence = "这些照片都是学校供图，我们只做了裁剪。";
        assert_eq!(clean(sentence).0, sentence);
        // A bracket that credits nobody stays.
        let own = "这张照片很珍贵。（这是我自己拍摄）";
        assert_eq!(clean(own).0, own);
    }

    #[test]
    fn a_lost_dash_is_put_back_and_a_question_mark_stays() {
        let (text, report) =
            clean("a small number of players ?a good result, and three lists ?for U.S. players");
        assert_eq!(
            text,
            "a small number of players — a good result, and three lists — for U.S. players"
        );
        assert_eq!(report.count(ChangeKind::LostDashRestored), 2);
        for kept in ["Is it true ? yes", "Why ?", "x ?Y", "他说 ?对"] {
            assert_eq!(clean(kept).0, kept);
        }
    }

    #[test]
    fn the_image_extension_test_is_exact() {
        // `(?i)` folds no letter outside ASCII onto an extension's letters.
        let letters = Regex::new(r"(?i)^[jpegnifwbm]$").expect("compiles");
        let folded: Vec<char> = (0..=0x10_ffff)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && letters.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert!(folded.is_empty(), "{folded:?}");
        assert!(ends_with_image_extension("IMG_2041.JPG"));
        assert!(ends_with_image_extension("照片.webp"));
        assert!(!ends_with_image_extension("这不是图片。"));
    }

    #[test]
    fn control_characters_go() {
        let (text, report) = clean("河流\u{7}与\u{c}城市\u{1b}[0m。\t好");
        assert_eq!(text, "河流与城市[0m。\t好");
        assert_eq!(report.count(ChangeKind::ControlCharacterRemoved), 1);
        let (text, report) = clean("河流\u{fffe}与城市\u{ffff}。\r\n好");
        assert_eq!(text, "河流与城市。\r\n好");
        assert_eq!(report.count(ChangeKind::ControlCharacterRemoved), 1);
    }

    #[test]
    fn leaked_tags_go_but_comparisons_stay() {
        let (text, report) = clean("他说<cite id=\"c3\">这很重要</cite>。a < b 且 b > c。");
        assert_eq!(text, "他说这很重要。a < b 且 b > c。");
        assert_eq!(report.count(ChangeKind::LeakedTagRemoved), 2);
        assert_eq!(clean("《未经授权》<不是标签>").0, "《未经授权》<不是标签>");
        assert_eq!(clean("我们的年轻人。?/p>").0, "我们的年轻人。");
        assert_eq!(clean("and/or 1/2 km/h").0, "and/or 1/2 km/h");
    }

    #[test]
    fn image_names_and_credits_go() {
        let (text, report) = clean("河边的老房子IMG_2041.jpg（图片来源：网络）已经修好了。");
        assert_eq!(text, "河边的老房子已经修好了。");
        assert_eq!(report.count(ChangeKind::ImageNameRemoved), 2);
        let (text, _) =
            clean("The old mill (photo: Ada Quill) stands by river-mill_03.JPG the weir.");
        assert_eq!(text, "The old mill stands by the weir.");
        assert_eq!(clean("版本 v1.2.3 发布了。").0, "版本 v1.2.3 发布了。");
        assert_eq!(clean("張2.png").0, "");
        let (text, _) =
            clean("http://paper.example.cn/pic/202509/29/ed6d7900-299a.jpg 郑教授在授课。");
        assert_eq!(text, "郑教授在授课。");
    }
}
