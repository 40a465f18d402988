//! The Chinese word-frequency dictionary: is a string a word, and how common is it.
//!
//! The data is jieba's `dict.txt` (MIT; see the header of `data/jieba-dict.txt.gz`),
//! 349,046 words with their counts in a balanced corpus, embedded compressed (1.7 MB)
//! and decompressed on first use. It is written in the simplified script; traditional
//! text is looked up through a character map (`data/traditional-simplified.txt`,
//! OpenCC, Apache-2.0) without converting the page itself.
//!
//! ```
//! use verbatim::clean::dict::Dictionary;
//! let dict = Dictionary::global();
//! assert!(dict.contains("模型"));
//! assert!(dict.freq("人工智能") > 0);
//! assert!(dict.contains_any_script("發展"));
//! ```

use std::borrow::Cow;
use std::io::Read;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The shipped dictionary, gzip-compressed.
const SHIPPED: &[u8] = include_bytes!("data/jieba-dict.txt.gz");

/// A line of a dictionary file that is not `word count`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("dictionary line {line}: {problem}")]
pub struct DictError {
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// Words and how often each occurs in the dictionary's corpus.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    // Keys of up to `PACKED_CHARS` characters (all but 0.5 % of jieba's words) are
    // their characters packed into an integer: the segmenter looks up every one- to
    // four-character run of a page, and an integer key is hashed and compared without
    // building a string or calling memcmp. Longer words keep a string key. Fx hashing:
    // SipHash's flood protection buys nothing for an embedded table. Each entry holds
    // the count and two flags (`IS_WORD`, `HAS_LONGER`), and the word's log probability
    // computed once; proper prefixes of words are keys too, so a segmenter can stop
    // extending a run that starts no word.
    short: FxHashMap<u128, Entry>,
    long: FxHashMap<Box<str>, Entry>,
    word_count: usize,
    total: u64,
    longest: usize,
}

/// What the dictionary holds for one key.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// The count and the flags.
    value: u32,
    /// `ln(count / total)`; meaningless when the count is 0.
    log_prob: f64,
}

/// Flag: the key is a word of the dictionary.
const IS_WORD: u32 = 1 << 31;
/// Flag: a longer word begins with the key.
const HAS_LONGER: u32 = 1 << 30;
/// The bits that hold the count.
const COUNT: u32 = HAS_LONGER - 1;

/// The most characters a packed key holds: 21 bits each (every Unicode scalar value
/// plus one, so that no character packs to 0 and the length is implicit) in 128.
const PACKED_CHARS: usize = 6;

/// A run of up to [`PACKED_CHARS`] characters as one integer, built a character at a
/// time: the key of that run in [`Dictionary::lookup_packed`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PackedRun {
    key: u128,
    len: usize,
}

impl PackedRun {
    /// The empty run.
    pub fn new() -> PackedRun {
        PackedRun::default()
    }

    /// The run with `c` appended; `None` once it would be longer than a packed key
    /// holds.
    pub fn push(self, c: char) -> Option<PackedRun> {
        (self.len < PACKED_CHARS).then(|| PackedRun {
            key: (self.key << 21) | u128::from(u32::from(c) + 1),
            len: self.len + 1,
        })
    }

    /// The packed key of `word`, when it has 1 to [`PACKED_CHARS`] characters.
    pub fn of(word: &str) -> Option<PackedRun> {
        PackedRun::of_chars(word.chars())
    }

    /// The packed key of a run of 1 to [`PACKED_CHARS`] characters.
    pub fn of_chars(chars: impl IntoIterator<Item = char>) -> Option<PackedRun> {
        let run = chars
            .into_iter()
            .try_fold(PackedRun::new(), PackedRun::push)?;
        (run.len > 0).then_some(run)
    }

    /// How many characters the run holds.
    pub fn len(self) -> usize {
        self.len
    }

    /// Whether the run holds no character.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The characters of the run, first to last.
    pub fn chars(self) -> impl Iterator<Item = char> {
        (0..self.len)
            .rev()
            .filter_map(move |i| char::from_u32(((self.key >> (21 * i)) & 0x1F_FFFF) as u32 - 1))
    }

    /// The run with the key `key` (as the dictionary stores it).
    fn from_key(key: u128) -> PackedRun {
        let len = (128 - key.leading_zeros() as usize).div_ceil(21);
        PackedRun { key, len }
    }
}

/// What the dictionary knows of a run of characters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lookup {
    /// How often it occurs as a word (0: not a word).
    pub count: u32,
    /// Whether it is a word of the dictionary (a word may be listed with a count of 0).
    pub is_word: bool,
    /// Whether a longer word begins with it.
    pub has_longer: bool,
    /// `ln(count / total)` when the count is not 0 (computed once, at load).
    pub log_prob: f64,
}

impl Lookup {
    fn of(entry: Option<&Entry>) -> Lookup {
        let entry = entry.copied().unwrap_or_default();
        Lookup {
            count: entry.value & COUNT,
            is_word: entry.value & IS_WORD != 0,
            has_longer: entry.value & HAS_LONGER != 0,
            log_prob: entry.log_prob,
        }
    }
}

impl Dictionary {
    /// The shipped dictionary, decompressed and parsed once, on first use (about 0.5
    /// billion instructions, 0.1 s).
    pub fn global() -> &'static Dictionary {
        static GLOBAL: OnceLock<Dictionary> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let mut text = String::new();
            // The file is embedded and checked by this module's tests: failing here is
            // a broken build, not bad user input.
            flate2::read::GzDecoder::new(SHIPPED)
                .read_to_string(&mut text)
                .expect("the embedded dictionary decompresses");
            Dictionary::parse(&text).expect("the embedded dictionary parses")
        })
    }

    /// Reads a dictionary in jieba's format: `word count [tag]` a line; `#` lines and
    /// blank lines are skipped; a word listed twice keeps the larger count.
    pub fn parse(text: &str) -> Result<Dictionary, DictError> {
        let mut dictionary = Dictionary {
            // Sized for the keys, words and their prefixes (jieba's file: 494,244 in
            // 4.2 MB), so the table is not regrown and rehashed halfway.
            short: FxHashMap::with_capacity_and_hasher(text.len() / 8, Default::default()),
            ..Dictionary::default()
        };
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |problem: &str| DictError {
                line: index + 1,
                problem: problem.to_string(),
            };
            let mut fields = line.split_whitespace();
            let word = fields.next().ok_or_else(|| fail("no word"))?;
            let count: u32 = fields
                .next()
                .ok_or_else(|| fail("no count after the word"))?
                .parse()
                .map_err(|_| fail("the count is not a whole number"))?;
            if count > COUNT {
                return Err(fail("the count is larger than the dictionary can hold"));
            }
            dictionary.total += u64::from(count);
            // One walk over the word marks its proper prefixes and packs its key, a
            // character at a time (no key is packed from a string twice).
            let mut run = Some(PackedRun::new());
            let mut chars = 0;
            for (at, c) in word.char_indices() {
                if at > 0 {
                    dictionary.entry_of(run, &word[..at]).value |= HAS_LONGER;
                }
                run = run.and_then(|r| r.push(c));
                chars += 1;
            }
            dictionary.longest = dictionary.longest.max(chars);
            let entry = dictionary.entry_of(run, word);
            let is_new = entry.value & IS_WORD == 0;
            entry.value = IS_WORD | (entry.value & HAS_LONGER) | (entry.value & COUNT).max(count);
            dictionary.word_count += usize::from(is_new);
        }
        let total = dictionary.total.max(1) as f64;
        for entry in dictionary
            .short
            .values_mut()
            .chain(dictionary.long.values_mut())
        {
            entry.log_prob = (f64::from(entry.value & COUNT) / total).ln();
        }
        Ok(dictionary)
    }

    /// The entry of `key`, made empty when it is new, given its packed run when it
    /// has one (`None`: longer than a packed key holds).
    fn entry_of(&mut self, run: Option<PackedRun>, key: &str) -> &mut Entry {
        match run {
            Some(packed) => self.short.entry(packed.key).or_default(),
            None => self.long.entry(key.into()).or_default(),
        }
    }

    /// The entry of `key`, if it is a word or a prefix of one.
    fn entry(&self, key: &str) -> Option<&Entry> {
        match PackedRun::of(key) {
            Some(packed) => self.short.get(&packed.key),
            None => self.long.get(key),
        }
    }

    /// What the dictionary knows of `run`, spelled exactly so: its count as a word and
    /// whether a longer word begins with it (one hash lookup for both).
    pub fn lookup(&self, run: &str) -> Lookup {
        Lookup::of(self.entry(run))
    }

    /// [`Dictionary::lookup`] for a run packed a character at a time: no string is
    /// built, and the word's log probability comes with it.
    pub fn lookup_packed(&self, run: PackedRun) -> Lookup {
        Lookup::of(self.short.get(&run.key))
    }

    /// How often `word` occurs, spelled exactly so; 0 when it is not a word.
    pub fn freq(&self, word: &str) -> u32 {
        self.entry(word).map_or(0, |entry| entry.value & COUNT)
    }

    /// Whether `word`, spelled exactly so, is in the dictionary.
    pub fn contains(&self, word: &str) -> bool {
        self.entry(word)
            .is_some_and(|entry| entry.value & IS_WORD != 0)
    }

    /// How often `word` occurs, in either script: a traditional spelling is looked up
    /// by its simplified form (`發展` → `发展`).
    pub fn freq_any_script(&self, word: &str) -> u32 {
        match self.freq(word) {
            0 => match simplified_key(word) {
                Cow::Owned(key) => self.freq(&key),
                Cow::Borrowed(_) => 0,
            },
            found => found,
        }
    }

    /// Whether `word` is in the dictionary in either script.
    pub fn contains_any_script(&self, word: &str) -> bool {
        self.freq_any_script(word) > 0
    }

    /// [`Dictionary::freq_any_script`] of the word spelled by `chars`, packed rather
    /// than built as a string when it is short enough (the junk pass asks this at
    /// every clause end).
    pub fn freq_chars_any_script(&self, chars: &[char]) -> u32 {
        let packed = (!chars.is_empty())
            .then(|| {
                chars
                    .iter()
                    .try_fold(PackedRun::new(), |run, &c| run.push(c))
            })
            .flatten();
        let Some(run) = packed else {
            return self.freq_any_script(&chars.iter().collect::<String>());
        };
        match self.lookup_packed(run).count {
            0 => {
                let map = traditional_map();
                if !chars.iter().any(|c| map.contains_key(c)) {
                    return 0;
                }
                chars
                    .iter()
                    .try_fold(PackedRun::new(), |run, c| {
                        run.push(*map.get(c).unwrap_or(c))
                    })
                    .map_or(0, |simplified| self.lookup_packed(simplified).count)
            }
            found => found,
        }
    }

    /// The sum of all counts: divide a count by it for a probability.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The natural log of the word's probability, or of half a count for an unknown
    /// word, so that unknown words are rarer than any known one but not impossible.
    pub fn log_prob(&self, word: &str) -> f64 {
        let count = match self.freq_any_script(word) {
            0 => 0.5,
            n => f64::from(n),
        };
        (count / self.total.max(1) as f64).ln()
    }

    /// Every word and its count, in no order.
    pub fn entries(&self) -> impl Iterator<Item = (String, u32)> + '_ {
        let short = self
            .packed_entries()
            .map(|(run, count)| (run.chars().collect(), count));
        let long = self
            .long
            .iter()
            .filter(|(_, entry)| entry.value & IS_WORD != 0)
            .map(|(word, entry)| (word.to_string(), entry.value & COUNT));
        short.chain(long)
    }

    /// Every word of up to six characters, packed, and its count, in no order: the
    /// words a table over short words needs, without a string for each.
    pub fn packed_entries(&self) -> impl Iterator<Item = (PackedRun, u32)> + '_ {
        self.short
            .iter()
            .filter(|(_, entry)| entry.value & IS_WORD != 0)
            .map(|(&key, entry)| (PackedRun::from_key(key), entry.value & COUNT))
    }

    /// How many words it holds.
    pub fn len(&self) -> usize {
        self.word_count
    }

    /// Whether it holds no words.
    pub fn is_empty(&self) -> bool {
        self.word_count == 0
    }

    /// The length of the longest word, in characters.
    pub fn longest_word(&self) -> usize {
        self.longest
    }
}

fn traditional_map() -> &'static FxHashMap<char, char> {
    static MAP: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        super::data_lines(include_str!("data/traditional-simplified.txt"))
            .filter_map(|line| {
                let mut chars = line.chars().filter(|c| !c.is_whitespace());
                Some((chars.next()?, chars.next()?))
            })
            .collect()
    })
}

/// `word` with traditional characters replaced by their simplified forms, for lookups
/// only; borrowed when nothing changes.
pub fn simplified_key(word: &str) -> Cow<'_, str> {
    let map = traditional_map();
    if !word.chars().any(|c| map.contains_key(&c)) {
        return Cow::Borrowed(word);
    }
    Cow::Owned(word.chars().map(simplified_char).collect())
}

/// `c`'s simplified form, or `c` when it has none.
pub fn simplified_char(c: char) -> char {
    traditional_map().get(&c).copied().unwrap_or(c)
}

/// Whether `c` is a traditional-only character (one the map turns into another).
pub fn is_traditional_char(c: char) -> bool {
    traditional_map().contains_key(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_dictionary_loads_whole() {
        let dict = Dictionary::global();
        assert_eq!(
            dict.len(),
            349_045,
            "jieba 0.42.1 has 349,046 lines, one a duplicate"
        );
        assert!(dict.total() > 60_000_000);
        assert!(dict.freq("的") > dict.freq("模型"));
        assert!(dict.contains("大模型") || dict.contains("模型"));
        assert!(!dict.contains("河模"));
        assert!(dict.longest_word() >= 4);
    }

    #[test]
    fn traditional_words_are_found_through_the_map() {
        let dict = Dictionary::global();
        assert!(!dict.contains("發展"));
        assert_eq!(dict.freq_any_script("發展"), dict.freq("发展"));
        assert_eq!(simplified_key("長城"), "长城");
        assert!(matches!(simplified_key("长城"), Cow::Borrowed(_)));
        assert!(is_traditional_char('體') && !is_traditional_char('体'));
    }

    #[test]
    fn frequencies_of_characters_agree_with_those_of_strings() {
        let dict = Dictionary::global();
        for word in [
            "",
            "的",
            "发展",
            "發展",
            "長城",
            "河模",
            "人工智能",
            "中華人民共和國",
            "a",
            "模型a",
        ] {
            let chars: Vec<char> = word.chars().collect();
            assert_eq!(
                dict.freq_chars_any_script(&chars),
                dict.freq_any_script(word),
                "{word}"
            );
        }
    }

    #[test]
    fn unknown_words_are_rarer_than_any_known_word() {
        let dict = Dictionary::global();
        assert!(dict.log_prob("嘁嘁嗖") < dict.log_prob("的"));
        assert!(dict.log_prob("嘁嘁嗖").is_finite());
    }

    #[test]
    fn parse_reports_the_bad_line() {
        let dict = Dictionary::parse("# header\n河流 30 n\n河流 40\n城市 5\n").expect("parses");
        assert_eq!(dict.freq("河流"), 40);
        assert_eq!(dict.total(), 75);
        let error = Dictionary::parse("河流 30\n城市 many\n").expect_err("bad count");
        assert_eq!(error.line, 2);
        assert!(error.to_string().contains("whole number"), "{error}");
    }

    #[test]
    fn prefixes_are_known_but_are_not_words() {
        let dict = Dictionary::parse("人工智能 10\n人工 20\n河 3\n").expect("parses");
        assert_eq!(dict.len(), 3);
        assert_eq!(dict.freq("人工智"), 0);
        assert!(!dict.contains("人工智"));
        let prefix = dict.lookup("人工智");
        assert_eq!((prefix.count, prefix.has_longer), (0, true));
        let word = dict.lookup("人工");
        assert_eq!((word.count, word.has_longer), (20, true));
        assert_eq!(word.log_prob, (20.0f64 / 33.0).ln());
        let packed = "人工"
            .chars()
            .try_fold(PackedRun::new(), PackedRun::push)
            .map(|run| dict.lookup_packed(run));
        assert_eq!(packed, Some(word));
        assert!(!dict.lookup("河").has_longer);
        assert_eq!(dict.entries().count(), 3);
    }

    #[test]
    fn words_longer_than_a_packed_key_are_found_too() {
        let dict = Dictionary::parse("一二三四五六七 4\n一二三四五六 2\n").expect("parses");
        assert_eq!(dict.freq("一二三四五六七"), 4);
        assert!(dict.lookup("一二三四五六").has_longer);
        assert!(dict.lookup("一二三四五").has_longer);
        assert_eq!(dict.longest_word(), 7);
        let mut entries: Vec<(String, u32)> = dict.entries().collect();
        entries.sort();
        assert_eq!(
            entries,
            [
                ("一二三四五六".to_string(), 2),
                ("一二三四五六七".to_string(), 4)
            ]
        );
    }
}
