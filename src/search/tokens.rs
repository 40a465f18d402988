//! Tokenising folded text into index terms.
//!
//! Two kinds of term, so that Chinese works without a word list and English works
//! while typing:
//! - **words**: runs of letters and digits outside the ideographic scripts (`sora`,
//!   `2024`, `łodz`), matched by prefix;
//! - **grams**: every character of an ideographic run (Chinese, kana, hangul) and every
//!   pair of neighbours. A query of one character looks up its unigram, a longer one the
//!   bigrams it is made of, so any substring of the text can be found.
//!
//! `static/search.js` splits queries by the same rules.

use super::fold::Folder;

/// Words longer than this are cut: nobody types them, and they bloat the index.
pub const MAX_WORD_CHARS: usize = 32;

/// A gram as one number: the first character in the high bits, the second (or 0 for a
/// unigram) in the low 21 bits. Ordering by this number orders grams as their strings.
pub type GramKey = u64;

/// The key of the unigram `c`.
pub fn unigram(c: char) -> GramKey {
    (c as u64) << 21
}

/// The key of the bigram `a b`.
pub fn bigram(a: char, b: char) -> GramKey {
    ((a as u64) << 21) | b as u64
}

/// The CJK unified ideographs of the Basic Multilingual Plane: most of a Chinese text,
/// so the index and the tokenizer give them fast paths.
pub const UNIFIED_IDEOGRAPHS: std::ops::Range<u32> = 0x4E00..0xA000;

/// Whether `c` belongs to a script written without spaces, indexed by character:
/// CJK ideographs, kana, bopomofo and hangul.
pub fn is_ideographic(c: char) -> bool {
    let code = c as u32;
    // Most characters of any text lie below the first range, and most of the rest of
    // a Chinese text in the unified block: one or two comparisons for them.
    if code < 0x3005 {
        return false;
    }
    if UNIFIED_IDEOGRAPHS.contains(&code) {
        return true;
    }
    matches!(code,
        0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x30FA    // hiragana, katakana
        | 0x30FC..=0x30FF    // prolonged sound mark, katakana extensions
        | 0x3100..=0x312F    // bopomofo
        | 0x31F0..=0x31FF    // katakana phonetic extensions
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x3FFFF  // extensions B and later
    )
}

/// Whether `c` (folded, not ideographic) is part of a word.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        // CJK punctuation (、。「」《》【】…), frequent in Chinese text, is no letter:
        // skip the Unicode tables for it.
        !matches!(c as u32, 0x3000..=0x3004 | 0x3008..=0x3020) && c.is_alphanumeric()
    }
}

/// Receives the terms of a text, in order of appearance (repeats included).
pub trait TermSink {
    /// A character of an ideographic run.
    fn unigram(&mut self, c: char);
    /// Two neighbouring characters of an ideographic run.
    fn bigram(&mut self, first: char, second: char);
    /// A folded word.
    fn word(&mut self, word: &str);
    /// A folded word of one to eight ASCII bytes, packed into a number, its first byte
    /// lowest: handed over without making the text of it.
    fn short_word(&mut self, packed: u64);
}

/// The character at byte `at` of `bytes`, folded, if both it and its folded form are
/// unified ideographs (U+4E00–U+9FFF, three bytes in UTF-8): most of a Chinese text.
#[inline]
fn unified_ideograph_at(bytes: &[u8], at: usize, folder: Folder) -> Option<char> {
    let [lead @ 0xE4..=0xE9, second, third, ..] = *bytes.get(at..)? else {
        return None;
    };
    // Lead bytes 0xE4 to 0xE9 give U+4000 to U+9FFF: only the lower end needs a check.
    let code =
        (u32::from(lead & 0x0F) << 12) | (u32::from(second & 0x3F) << 6) | u32::from(third & 0x3F);
    if code < UNIFIED_IDEOGRAPHS.start {
        return None;
    }
    folder
        .fold_below_a000(code)
        .filter(|&folded| UNIFIED_IDEOGRAPHS.contains(&(folded as u32)))
}

/// The length of the run of ASCII letters and digits `bytes` starts with, its first
/// eight bytes lower-cased and packed as [`TermSink::short_word`] takes them, and whether
/// it holds an upper-case letter. Eight bytes at a time ([`Ascii8`]): a byte at a time
/// took about 20 instructions a letter, a fifth of the tokenizer on an English-heavy
/// archive (callgrind).
#[inline]
fn ascii_run(bytes: &[u8]) -> (usize, u64, bool) {
    let Some(first) = bytes.first_chunk::<8>().map(|chunk| Ascii8::new(*chunk)) else {
        return ascii_run_bytewise(bytes);
    };
    let (run, kept) = first.run();
    if run < 8 {
        return (run, first.lowered() & kept, first.upper & kept != 0);
    }
    let packed = first.lowered();
    let mut upper = first.upper != 0;
    let mut at = 8;
    while let Some(chunk) = bytes[at..].first_chunk::<8>() {
        let next = Ascii8::new(*chunk);
        let (run, kept) = next.run();
        upper |= next.upper & kept != 0;
        at += run;
        if run < 8 {
            return (at, packed, upper);
        }
    }
    let (rest, _, rest_upper) = ascii_run_bytewise(&bytes[at..]);
    (at + rest, packed, upper || rest_upper)
}

/// [`ascii_run`] a byte at a time, for the last few bytes of a text.
fn ascii_run_bytewise(bytes: &[u8]) -> (usize, u64, bool) {
    let mut packed = 0;
    let mut upper = false;
    for (at, &byte) in bytes.iter().enumerate() {
        if !byte.is_ascii_alphanumeric() {
            return (at, packed, upper);
        }
        let is_upper = byte.is_ascii_uppercase();
        upper |= is_upper;
        if at < 8 {
            packed |= u64::from(byte | (u8::from(is_upper) << 5)) << (8 * at);
        }
    }
    (bytes.len(), packed, upper)
}

/// Eight bytes of text as one number (the first byte lowest), classified all at once:
/// each mask holds 0x80 in the bytes of its class.
struct Ascii8 {
    bytes: u64,
    alphanumeric: u64,
    upper: u64,
}

impl Ascii8 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

    #[inline]
    fn new(chunk: [u8; 8]) -> Ascii8 {
        let bytes = u64::from_le_bytes(chunk);
        // Each byte cut to seven bits, so that the additions below never carry into
        // the next byte; bytes of non-ASCII text are taken out again at the end.
        let low = bytes & Self::LOW7;
        let ascii = !bytes & Self::HIGH;
        let upper = Self::in_range(low, b'A', b'Z') & ascii;
        let letter_or_digit = Self::in_range(low, b'a', b'z') | Self::in_range(low, b'0', b'9');
        Ascii8 {
            bytes,
            alphanumeric: (upper | letter_or_digit) & ascii,
            upper,
        }
    }

    /// 0x80 in each byte of `low` (seven-bit bytes) from `first` to `last`.
    #[inline]
    fn in_range(low: u64, first: u8, last: u8) -> u64 {
        let from_first = low + u64::from_le_bytes([0x80 - first; 8]);
        let past_last = low + u64::from_le_bytes([0x7F - last; 8]);
        from_first & !past_last & Self::HIGH
    }

    /// How many of the bytes, from the first, are ASCII letters or digits, and a mask
    /// of those bytes.
    #[inline]
    fn run(&self) -> (usize, u64) {
        let run = (!self.alphanumeric & Self::HIGH).trailing_zeros() / 8;
        let kept = 1u64.checked_shl(8 * run).map_or(u64::MAX, |bit| bit - 1);
        (run as usize, kept)
    }

    /// The bytes with their upper-case letters lowered.
    #[inline]
    fn lowered(&self) -> u64 {
        self.bytes | (self.upper >> 2)
    }
}

/// Folds `text` and hands each of its terms to `sink`. `scratch` is reused between calls
/// to avoid allocating a word buffer per text.
pub fn tokenize(text: &str, scratch: &mut String, sink: &mut impl TermSink) {
    scratch.clear();
    let mut word_chars = 0;
    let mut previous_ideograph: Option<char> = None;
    let folder = Folder::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        // ASCII, most of the bytes of any text, needs neither decoding nor the tables.
        if byte.is_ascii() {
            if byte.is_ascii_alphanumeric() {
                // The whole run of ASCII letters and digits at once, its first eight
                // bytes lower-cased and packed on the way.
                let (run, packed, upper) = ascii_run(&bytes[at..]);
                let kept = run.min(MAX_WORD_CHARS - word_chars);
                let word = &text[at..at + kept];
                // A whole word of ASCII (ended by ASCII or the text's end) goes to the
                // sink as it is, not through the buffer.
                if scratch.is_empty() && bytes.get(at + run).is_none_or(u8::is_ascii) {
                    if run <= 8 {
                        sink.short_word(packed);
                    } else if !upper {
                        sink.word(word);
                    } else {
                        scratch.push_str(word);
                        scratch.make_ascii_lowercase();
                        sink.word(scratch);
                        scratch.clear();
                    }
                    at += run;
                    previous_ideograph = None;
                    continue;
                }
                let start = scratch.len();
                scratch.push_str(word);
                scratch[start..].make_ascii_lowercase();
                word_chars += kept;
                at += run;
                previous_ideograph = None;
                continue;
            }
            at += 1;
            if !scratch.is_empty() {
                sink.word(scratch);
                scratch.clear();
                word_chars = 0;
            }
            previous_ideograph = None;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        let Some(c) = folder.fold(c) else {
            continue;
        };
        // Ideographs first: they are most of a Chinese text, and the range test is
        // cheaper than the Unicode tables `is_word_char` consults.
        let ideographic = is_ideographic(c);
        if !ideographic && is_word_char(c) {
            if word_chars < MAX_WORD_CHARS {
                scratch.push(c);
                word_chars += 1;
            }
            previous_ideograph = None;
            continue;
        }
        if !scratch.is_empty() {
            sink.word(scratch);
            scratch.clear();
            word_chars = 0;
        }
        if ideographic {
            sink.unigram(c);
            if let Some(previous) = previous_ideograph {
                sink.bigram(previous, c);
            }
            // The rest of a run of unified ideographs, without the general checks.
            let mut last = c;
            while let Some(next) = unified_ideograph_at(bytes, at, folder) {
                at += 3;
                sink.unigram(next);
                sink.bigram(last, next);
                last = next;
            }
            previous_ideograph = Some(last);
        } else {
            previous_ideograph = None;
        }
    }
    if !scratch.is_empty() {
        sink.word(scratch);
        scratch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gram a key stands for, as text.
    fn gram_text(key: GramKey) -> String {
        let first = char::from_u32((key >> 21) as u32);
        let second = char::from_u32((key & 0x1F_FFFF) as u32).filter(|&c| c != '\0');
        first.into_iter().chain(second).collect()
    }

    #[derive(Default)]
    struct Collect(Vec<String>);

    impl TermSink for Collect {
        fn unigram(&mut self, c: char) {
            self.0.push(gram_text(unigram(c)));
        }
        fn bigram(&mut self, first: char, second: char) {
            self.0.push(gram_text(bigram(first, second)));
        }
        fn word(&mut self, word: &str) {
            self.0.push(word.to_string());
        }
        fn short_word(&mut self, packed: u64) {
            let bytes = packed.to_le_bytes();
            let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
            self.0
                .push(String::from_utf8_lossy(&bytes[..len]).into_owned());
        }
    }

    fn terms(text: &str) -> Vec<String> {
        let mut sink = Collect::default();
        tokenize(text, &mut String::new(), &mut sink);
        sink.0
    }

    #[test]
    fn chinese_gives_unigrams_and_bigrams() {
        assert_eq!(
            terms("冰川数据"),
            ["冰", "川", "冰川", "数", "川数", "据", "数据"]
        );
    }

    #[test]
    fn runs_mixing_unified_and_other_ideographs_keep_every_bigram() {
        assert_eq!(
            terms("冰\u{3400}川か"),
            [
                "冰",
                "\u{3400}",
                "冰\u{3400}",
                "川",
                "\u{3400}川",
                "か",
                "川か"
            ]
        );
    }

    #[test]
    fn punctuation_and_latin_break_ideographic_runs() {
        assert_eq!(terms("译，者"), ["译", "者"]);
        assert_eq!(terms("用Sora模型"), ["用", "sora", "模", "型", "模型"]);
    }

    #[test]
    fn words_are_folded_and_split_on_punctuation() {
        assert_eq!(
            terms("Émile's GPT-4o, naïve ＡＩ"),
            ["emile", "s", "gpt", "4o", "naive", "ai"]
        );
    }

    #[test]
    fn ascii_words_of_any_case_and_length_fold_alike() {
        assert_eq!(
            terms("ABCDEFGH abcdefghi ABCDEFGHIJ x9Y 7 GPT4o"),
            ["abcdefgh", "abcdefghi", "abcdefghij", "x9y", "7", "gpt4o"]
        );
        assert_eq!(
            ascii_run(b"Sora, "),
            (4, u64::from_le_bytes(*b"sora\0\0\0\0"), true)
        );
        assert_eq!(
            ascii_run(b"2024"),
            (4, u64::from_le_bytes(*b"2024\0\0\0\0"), false)
        );
    }

    #[test]
    fn ascii_runs_eight_at_a_time_agree_with_bytewise() {
        // Every byte value at every place of a sixteen-byte text, after runs of each
        // length: the class boundaries (`/0 9:`, `@A Z[`, `` `a z{ ``) and non-ASCII
        // bytes included.
        let mut checked = 0;
        for run in 0..14 {
            for place in run..16 {
                for byte in 0..=255u8 {
                    let mut text: Vec<u8> = b"aB3zZ09AzqRtYu7x".to_vec();
                    text[place] = byte;
                    let bytes = &text[..];
                    assert_eq!(
                        ascii_run(bytes),
                        ascii_run_bytewise(bytes),
                        "{:?}",
                        String::from_utf8_lossy(bytes)
                    );
                    assert_eq!(ascii_run(&bytes[run..]), ascii_run_bytewise(&bytes[run..]));
                    checked += 1;
                }
            }
        }
        assert!(checked > 30_000);
        for length in 0..40 {
            let mut text = "Rust".repeat(10).into_bytes();
            text[length] = b' ';
            assert_eq!(ascii_run(&text), ascii_run_bytewise(&text));
            assert_eq!(ascii_run(&text).0, length);
        }
    }

    #[test]
    fn traditional_text_indexes_as_simplified() {
        assert_eq!(terms("數據"), terms("数据"));
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(terms(&long), ["a".repeat(MAX_WORD_CHARS)]);
    }

    #[test]
    fn gram_keys_sort_like_their_text() {
        let mut keys = [
            bigram('数', '据'),
            unigram('数'),
            unigram('冰'),
            bigram('冰', '川'),
        ];
        keys.sort_unstable();
        let texts: Vec<String> = keys.iter().map(|&k| gram_text(k)).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
    }
}
