//! Small text helpers shared by the stages: slugs, term folding, CJK tests, suggestions.

use crate::config::SlugMode;

/// Whether `c` is a CJK ideograph, kana, hangul or CJK punctuation: text written without
/// spaces between words.
pub fn is_cjk(c: char) -> bool {
    let code = c as u32;
    // The commonest answers first, asked of every character of a page by several passes:
    // everything below the radicals (Latin text) is not, the unified ideographs are.
    if code < 0x2E80 {
        return false;
    }
    if (0x4E00..=0x9FFF).contains(&code) {
        return true;
    }
    matches!(code,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // hiragana, katakana
        | 0x3100..=0x312F    // bopomofo
        | 0x3190..=0x31FF    // kanbun, strokes, katakana extensions
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFF00..=0xFF60    // full-width forms
        | 0xFF61..=0xFF9F    // half-width katakana
        | 0x20000..=0x3FFFF  // extensions B and later
    )
}

/// Whether `tag` is a language tag, BCP 47 in outline: a language of two or three
/// letters, then subtags of one to eight letters or digits (`zh`, `en-GB`, `zh-Hant`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    language_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Maps full-width ASCII forms (`Ａ`, `１`, `（`) and the ideographic space to their
/// half-width equivalents, leaving everything else alone.
pub fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The key under which taxonomy terms merge: width-folded, lowercased, with runs of
/// white space made one space. `AI`, `ai` and `ＡＩ` share a key.
pub fn fold_term(term: &str) -> String {
    let mut folded = String::with_capacity(term.len());
    fold_term_into(term, &mut folded);
    folded
}

/// [`fold_term`] appended to `folded`, so that a caller folding every term of every
/// article (the taxonomies) can reuse one buffer.
pub fn fold_term_into(term: &str, folded: &mut String) {
    let start = folded.len();
    let mut space = false;
    for c in term.chars().map(fold_width) {
        if c.is_whitespace() {
            space = folded.len() > start;
            continue;
        }
        if space {
            folded.push(' ');
            space = false;
        }
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            folded.extend(c.to_lowercase());
        }
    }
}

/// Turns a title or term into a URL segment: lowercase, letters and digits of every
/// script kept (or transliterated in [`SlugMode::Ascii`]), every other run of characters
/// made one `-`. The result never contains `/`, `.` or `\`, so it cannot leave its folder.
pub fn slugify(text: &str, mode: SlugMode) -> String {
    let source: String = match mode {
        SlugMode::Unicode => text.chars().map(fold_width).collect(),
        SlugMode::Ascii => deunicode::deunicode(text),
    };
    let mut slug = String::with_capacity(source.len());
    let mut pending_dash = false;
    for c in source.chars().flat_map(char::to_lowercase) {
        let keep = match mode {
            SlugMode::Unicode => c.is_alphanumeric() || c == '_',
            SlugMode::Ascii => c.is_ascii_alphanumeric() || c == '_',
        };
        if keep {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// The UTF-8 start of U+FFC0 to U+FFFF, the block holding the two non-characters XML 1.0
/// forbids (U+FFFE, U+FFFF, encoded with a third byte of 0xBE or 0xBF); rare enough in
/// text that one search for it is the whole cost for most pages.
const NONCHARACTER_BLOCK: &[u8] = b"\xEF\xBF";

fn is_noncharacter_at(bytes: &[u8]) -> bool {
    bytes.starts_with(NONCHARACTER_BLOCK) && matches!(bytes.get(2), Some(0xBE | 0xBF))
}

/// The control characters XML 1.0 forbids: all but tab, line feed and carriage return.
/// Written as comparisons, which compile to vector instructions over a chunk (a bit-mask
/// lookup does not, and costs ten times as much on a site's whole output).
fn is_forbidden_control(byte: u8) -> bool {
    byte < 0x20 && byte != b'\t' && byte != b'\n' && byte != b'\r'
}

/// Removes from UTF-8 `bytes` the characters XML 1.0 forbids (U+0000 to U+001F but tab,
/// line feed and carriage return; U+FFFE; U+FFFF), which make a feed or sitemap
/// unreadable and are parse errors in HTML. A bell or escape character in a scraped
/// title must not break every feed reader. Text without them is left as it is, after
/// one fast pass.
pub fn strip_xml_forbidden(bytes: &mut Vec<u8>) {
    if !has_xml_forbidden(bytes) {
        return;
    }
    let mut kept = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if is_noncharacter_at(rest) {
            i += 3;
            continue;
        }
        if !is_forbidden_control(rest[0]) {
            kept.push(rest[0]);
        }
        i += 1;
    }
    *bytes = kept;
}

/// Whether `text` holds one of `marks`, full-width punctuation whose UTF-8 encoding
/// starts with the byte `E3` or `EF` (`。`, `，`, `！`, `？`, `；`, `：`…): only the
/// characters at those bytes, found by memchr, are compared, where `text.contains(marks)`
/// compares every character of a text that has none.
pub fn has_wide_mark(text: &str, marks: &[char]) -> bool {
    debug_assert!(
        marks.iter().all(|&mark| {
            let mut utf8 = [0u8; 4];
            matches!(mark.encode_utf8(&mut utf8).as_bytes()[0], 0xE3 | 0xEF)
        }),
        "has_wide_mark finds only marks whose UTF-8 starts with E3 or EF: {marks:?}"
    );
    memchr::memchr2_iter(0xE3, 0xEF, text.as_bytes()).any(|at| {
        text[at..]
            .chars()
            .next()
            .is_some_and(|c| marks.contains(&c))
    })
}

/// Literals looked for in many texts, their searchers built on first use (built per
/// call, a searcher cost more than the search). A search for one multi-byte character
/// as a `char` stops at every byte equal to its last, which CJK text is full of.
pub struct Literals<const N: usize> {
    needles: [&'static str; N],
    finders: std::sync::OnceLock<[memchr::memmem::Finder<'static>; N]>,
}

impl<const N: usize> Literals<N> {
    /// The searchers of `needles`, not built yet.
    pub const fn new(needles: [&'static str; N]) -> Literals<N> {
        Literals {
            needles,
            finders: std::sync::OnceLock::new(),
        }
    }

    /// Whether `text` holds any of the literals.
    pub fn any_in(&self, text: &str) -> bool {
        self.finders
            .get_or_init(|| self.needles.map(memchr::memmem::Finder::new))
            .iter()
            .any(|finder| finder.find(text.as_bytes()).is_some())
    }
}

/// Whether `bytes` hold a byte `wanted` accepts. Whole chunks are folded into one
/// answer without stopping early, so the test compiles to vector instructions.
pub fn has_byte(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> bool {
    bytes
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |found, &b| found | wanted(b)))
}

/// Whether UTF-8 `bytes` hold a character XML 1.0 forbids ([`strip_xml_forbidden`]), in
/// one fast pass.
pub fn has_xml_forbidden(bytes: &[u8]) -> bool {
    // Whole chunks folded into a byte, without stopping early, so the test compiles to
    // vector instructions.
    let has_control = bytes.chunks(256).any(|chunk| {
        chunk
            .iter()
            .fold(0u8, |found, &b| found | u8::from(is_forbidden_control(b)))
            != 0
    });
    has_control
        || memchr::memmem::find_iter(bytes, NONCHARACTER_BLOCK)
            .any(|at| is_noncharacter_at(&bytes[at..]))
}

/// `text` cut to at most `max` characters, with `…` where it was cut: for quoting a
/// user's value in a message without printing a whole over-long line.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_find_any_of_theirs() {
        static BRACKETS: Literals<2> = Literals::new(["（", "【"]);
        assert!(BRACKETS.any_in("他说（笑）"));
        assert!(BRACKETS.any_in("【图】"));
        // `（` ends in 0x88 as 们 does: a byte in common is no match.
        assert!(!BRACKETS.any_in("我们的访谈"));
        assert!(!BRACKETS.any_in(""));
    }

    #[test]
    fn has_wide_mark_answers_as_contains_does() {
        let marks = ['。', '，', '！', '？', '；', '：'];
        for mark in marks {
            let mut utf8 = [0u8; 4];
            assert!(matches!(
                mark.encode_utf8(&mut utf8).as_bytes()[0],
                0xE3 | 0xEF
            ));
        }
        for text in [
            "",
            "plain English, no marks.",
            "「引号」（括号）、顿号",
            "他说：好。",
            "真的吗？",
            "a；b",
            "\u{3000}\u{feff}",
        ] {
            assert_eq!(has_wide_mark(text, &marks), text.contains(marks), "{text}");
            assert_eq!(
                has_wide_mark(text, &['。', '！']),
                text.contains(['。', '！']),
                "{text}"
            );
        }
    }

    #[test]
    fn language_tags_in_outline() {
        for tag in ["zh", "en", "zh-Hant", "en-GB", "yue-HK"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in ["", "42", "e", "chinese", "zh-", "zh_CN", "en-toolongsubtag"] {
            assert!(!is_language_tag(tag), "{tag}");
        }
    }

    #[test]
    fn strips_what_xml_forbids_and_keeps_the_rest() {
        let mut bytes = "a\u{7}b\u{c}c\u{1b}[0m\td\ne\r\u{0}f\u{FFFE}g\u{FFFF}h，中\u{FFFD}"
            .as_bytes()
            .to_vec();
        strip_xml_forbidden(&mut bytes);
        assert_eq!(
            String::from_utf8(bytes).expect("still UTF-8"),
            "abc[0m\td\ne\rfgh，中\u{FFFD}"
        );
        let clean = "标题 – title\n".repeat(100);
        let mut bytes = clean.as_bytes().to_vec();
        strip_xml_forbidden(&mut bytes);
        assert_eq!(bytes, clean.as_bytes());
    }

    #[test]
    fn a_forbidden_character_is_found_anywhere_in_a_long_text() {
        let clean = format!("标题，{}", "a title\t\r\n".repeat(40));
        assert!(!has_xml_forbidden(clean.as_bytes()));
        for at in [0, 255, 256, 257, clean.len() - 1, clean.len()] {
            assert!(clean.is_char_boundary(at));
            for forbidden in ["\u{1}", "\u{1f}", "\u{FFFF}"] {
                let text = [&clean[..at], forbidden, &clean[at..]].concat();
                assert!(has_xml_forbidden(text.as_bytes()), "{forbidden:?} at {at}");
            }
        }
    }

    #[test]
    fn unicode_slugs_keep_chinese() {
        assert_eq!(
            slugify("冰川上的数据中心：一次访谈", SlugMode::Unicode),
            "冰川上的数据中心-一次访谈"
        );
        assert_eq!(
            slugify("  Open Source!! ", SlugMode::Unicode),
            "open-source"
        );
        assert_eq!(slugify("../../etc/passwd", SlugMode::Unicode), "etc-passwd");
        assert_eq!(slugify("ＡＩ 伦理", SlugMode::Unicode), "ai-伦理");
    }

    #[test]
    fn ascii_slugs_transliterate() {
        let slug = slugify("数据 Archive", SlugMode::Ascii);
        assert!(slug.is_ascii(), "{slug}");
        assert!(slug.ends_with("-archive"), "{slug}");
        assert!(!slug.contains("--"));
    }

    #[test]
    fn terms_fold_case_and_width() {
        assert_eq!(fold_term("ＡＩ"), fold_term("ai"));
        assert_eq!(fold_term("Open  Source"), "open source");
        assert_eq!(fold_term("  Deep\u{3000}Learning\t"), "deep learning");
        assert_eq!(fold_term("Éva ÖRSTED"), "éva örsted");
        assert_ne!(fold_term("AI"), fold_term("AL"));
    }

    #[test]
    fn cjk_detection() {
        assert!(is_cjk('问'));
        assert!(is_cjk('。'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk('é'));
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(did_you_mean("tag", ["title", "tags", "date"]), Some("tags"));
        assert_eq!(
            did_you_mean("intervieweee", ["interviewee"]),
            Some("interviewee")
        );
        assert_eq!(did_you_mean("zzzzzz", ["title", "tags"]), None);
    }
}
