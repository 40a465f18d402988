//! Folding: the character-by-character normal form that both the index and a query are
//! brought to, so that `Café`, `cafe` and `ＣＡＦＥ` meet, and so do `數據` and `数据`.
//!
//! Each character folds to exactly one character, so a position in folded text is the
//! same position in the original, which lets the search page mark matches in the text
//! it shows. `static/search.js` folds queries the same way: compatibility decomposition
//! (width, ligatures, diacritics: first character of NFKD) for characters below U+3000
//! and full-width forms, then lower case, then the traditional → simplified table.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// OpenCC's character tables (Apache-2.0), one `traditional<TAB>simplified…` a line.
const T2S_TABLE: &str = include_str!("data/opencc-t2s.txt");

/// The first and one past the last code point of the dense part of the table: the CJK
/// ideographs of the Basic Multilingual Plane, where nearly every entry lies.
const DENSE_START: u32 = 0x3400;
const DENSE_END: u32 = 0xA000;

/// The traditional → simplified table, read once.
struct ScriptTable {
    /// `dense[c - DENSE_START]` is the folded character, or `'\0'` for itself.
    dense: Vec<char>,
    /// Entries outside the dense range.
    sparse: FxHashMap<char, char>,
}

static SCRIPT_TABLE: LazyLock<ScriptTable> = LazyLock::new(|| ScriptTable::parse(T2S_TABLE));

impl ScriptTable {
    fn parse(text: &str) -> ScriptTable {
        // Earlier groups win: the variant groups only add characters TSCharacters lacks,
        // and then point at a standard traditional form that TSCharacters folds further.
        let mut first: FxHashMap<char, char> = FxHashMap::default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let key = fields.next().and_then(single_char);
            let value = fields
                .next()
                .and_then(|v| v.split(' ').next())
                .and_then(single_char);
            if let (Some(key), Some(value)) = (key, value) {
                first.entry(key).or_insert(value);
            }
        }
        let mut table = ScriptTable {
            dense: vec!['\0'; (DENSE_END - DENSE_START) as usize],
            sparse: FxHashMap::default(),
        };
        for (&key, &value) in &first {
            let mut target = value;
            if let Some(&further) = first.get(&value) {
                target = further;
            }
            if target == key {
                continue;
            }
            match dense_slot(key) {
                Some(slot) => table.dense[slot] = target,
                None => {
                    table.sparse.insert(key, target);
                }
            }
        }
        table
    }

    fn get(&self, c: char) -> Option<char> {
        match dense_slot(c) {
            Some(slot) => Some(self.dense[slot]).filter(|&t| t != '\0'),
            None if self.sparse.is_empty() => None,
            None => self.sparse.get(&c).copied(),
        }
    }
}

fn dense_slot(c: char) -> Option<usize> {
    let code = c as u32;
    (DENSE_START..DENSE_END)
        .contains(&code)
        .then(|| (code - DENSE_START) as usize)
}

fn single_char(field: &str) -> Option<char> {
    let mut chars = field.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Folds one character. Combining marks fold to `None` (they are dropped, which is how
/// `é` written as `e` + U+0301 meets `e`).
pub fn fold_char(c: char) -> Option<char> {
    Folder::new().fold(c)
}

/// [`fold_char`] with its tables looked up once, for folding a whole text: every
/// character below U+A000 (Latin, punctuation, the BMP ideographs) and the full-width
/// forms are one array read, which the caller's loop inlines.
#[derive(Clone, Copy)]
pub struct Folder {
    table: &'static FoldTable,
}

/// [`fold_other`] computed ahead for the characters nearly every text is made of.
struct FoldTable {
    script: &'static ScriptTable,
    /// `low[c]` folds `c` below [`DENSE_END`]; `'\0'` marks a dropped character.
    low: Vec<char>,
    /// The same for the half-width and full-width forms, from [`WIDE_START`].
    wide: Vec<char>,
}

/// The half-width and full-width forms block: `，`, `：`, `？`, `Ａ` in Chinese text.
const WIDE_START: u32 = 0xFF00;
const WIDE_END: u32 = 0xFFF0;

static FOLD_TABLE: LazyLock<FoldTable> = LazyLock::new(|| {
    let script = &*SCRIPT_TABLE;
    let ahead = |range: std::ops::Range<u32>| -> Vec<char> {
        range
            .map(|code| {
                char::from_u32(code)
                    .and_then(|c| fold_other(script, c))
                    .unwrap_or('\0')
            })
            .collect()
    };
    // The ideographs of the dense range have no case and no decomposition: they fold
    // by the script table alone, which is read here as it is instead of character by
    // character through `fold_other` (3.5 M of the 12 M instructions the tables cost).
    let mut low = ahead(0..DENSE_START);
    low.extend(
        (DENSE_START..DENSE_END)
            .zip(&script.dense)
            .map(|(code, &to)| {
                if to != '\0' {
                    to
                } else {
                    char::from_u32(code).unwrap_or('\0')
                }
            }),
    );
    FoldTable {
        script,
        low,
        wide: ahead(WIDE_START..WIDE_END),
    }
});

/// Builds the folding tables now. They are otherwise built on first use, by one of the
/// index's threads while the others wait for them (about a millisecond and a half); a
/// build asks for them beside the loading of the articles instead.
pub fn prepare() {
    LazyLock::force(&FOLD_TABLE);
}

impl Folder {
    /// A folder holding the (lazily built) tables.
    pub fn new() -> Folder {
        Folder { table: &FOLD_TABLE }
    }

    /// Folds the character `code` below U+A000 (the BMP ideographs, most of a Chinese
    /// text): its folded form, or `'\0'` where it is dropped, without the checks a `char`
    /// needs.
    #[inline]
    pub fn fold_below_a000(self, code: u32) -> Option<char> {
        self.table.low.get(code as usize).copied()
    }

    /// Folds one character, as [`fold_char`].
    #[inline]
    pub fn fold(self, c: char) -> Option<char> {
        if c.is_ascii() {
            return Some(c.to_ascii_lowercase());
        }
        let code = c as u32;
        let ahead = if code < DENSE_END {
            self.table.low[code as usize]
        } else if (WIDE_START..WIDE_END).contains(&code) {
            self.table.wide[(code - WIDE_START) as usize]
        } else {
            return fold_other(self.table.script, c);
        };
        (ahead != '\0').then_some(ahead)
    }
}

impl Default for Folder {
    fn default() -> Folder {
        Folder::new()
    }
}

/// Folds a character the slow way: compatibility decomposition below U+3000 and in the
/// full-width forms, lower case, then the script table.
fn fold_other(table: &ScriptTable, c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let code = c as u32;
    let base = if code < 0x3000 || (WIDE_START..WIDE_END).contains(&code) {
        if unicode_normalization::char::is_combining_mark(c) {
            return None;
        }
        c.nfkd().next().unwrap_or(c)
    } else {
        c
    };
    if base.is_ascii() {
        // Full-width letters and punctuation: most of what reaches here in Chinese text.
        return Some(base.to_ascii_lowercase());
    }
    let lower = base.to_lowercase().next().unwrap_or(base);
    Some(table.get(lower).unwrap_or(lower))
}

/// Folds a whole string (for titles, names and queries in tests).
pub fn fold(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

/// The traditional characters whose folded form is in `wanted`, as (traditional,
/// simplified) pairs in code point order: the part of the table a search page needs
/// to fold the queries that can match this archive.
pub fn script_pairs_for(wanted: impl Fn(char) -> bool) -> Vec<(char, char)> {
    let table = &*SCRIPT_TABLE;
    let mut pairs: Vec<(char, char)> = table
        .dense
        .iter()
        .enumerate()
        .filter(|(_, t)| **t != '\0')
        .filter_map(|(slot, &t)| Some((char::from_u32(DENSE_START + slot as u32)?, t)))
        .chain(table.sparse.iter().map(|(&k, &v)| (k, v)))
        .filter(|&(_, t)| wanted(t))
        .collect();
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_width_and_diacritics_fold() {
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold("CAFE\u{301}"), "cafe");
        assert_eq!(fold("ＡＩ２０２４"), "ai2024");
        assert_eq!(fold("Łódź Ørsted"), "łodz ørsted");
        assert_eq!(fold("ΣΟΦΙΑ"), "σοφια");
    }

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(fold("數據中心"), "数据中心");
        assert_eq!(fold("冰川與譯者"), "冰川与译者");
        assert_eq!(fold("数据中心"), "数据中心");
        // A Taiwan variant goes through the standard traditional form.
        assert_eq!(fold("偽"), "伪");
    }

    #[test]
    fn tables_agree_with_the_slow_path() {
        let folder = Folder::new();
        let astral = ['\u{1D400}', '\u{20000}', '\u{1F600}'];
        for c in (0..0x1_0000).filter_map(char::from_u32).chain(astral) {
            assert_eq!(
                folder.fold(c),
                fold_other(&SCRIPT_TABLE, c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn kana_and_hangul_are_left_alone() {
        assert_eq!(fold("がくせい한국"), "がくせい한국");
    }

    #[test]
    fn every_character_folds_to_one() {
        let text = "Émile 說：ﬁne “數據” ①";
        let folded: Vec<char> = text.chars().filter_map(fold_char).collect();
        assert_eq!(folded.len(), text.chars().count());
    }

    #[test]
    fn pairs_cover_only_wanted_targets() {
        let pairs = script_pairs_for(|c| c == '数' || c == '据');
        assert!(pairs.contains(&('數', '数')));
        assert!(pairs.contains(&('據', '据')));
        assert!(pairs.iter().all(|&(_, s)| s == '数' || s == '据'));
    }
}
