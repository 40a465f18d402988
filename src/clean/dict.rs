//! The Chinese word-frequency dictionary (jieba's `dict.txt`, MIT), decompressed on
//! first use: how often each word occurs, for judging which of two words a writer
//! more likely used.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

/// Word counts and their total.
#[derive(Debug, Default)]
pub struct Dictionary {
    counts: HashMap<Box<str>, u32>,
    total: f64,
}

impl Dictionary {
    /// The shipped dictionary.
    pub fn global() -> &'static Dictionary {
        static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
        DICTIONARY.get_or_init(|| {
            let mut text = String::new();
            // Embedded at compile time and checked by a test; empty only on a build bug.
            let _ = flate2::read::GzDecoder::new(&include_bytes!("data/zh-words.txt.gz")[..])
                .read_to_string(&mut text);
            Dictionary::parse(&text)
        })
    }

    /// Reads `word<TAB>count` lines (`#` comments skipped).
    pub fn parse(text: &str) -> Dictionary {
        let mut dictionary = Dictionary::default();
        for line in super::data_lines(text) {
            if let Some((word, count)) = line.split_once('\t')
                && let Ok(count) = count.trim().parse::<u32>()
            {
                dictionary.counts.insert(word.into(), count);
                dictionary.total += f64::from(count);
            }
        }
        dictionary
    }

    /// How often `word` occurs; 0 when the dictionary does not hold it.
    pub fn freq(&self, word: &str) -> u64 {
        self.counts.get(word).map_or(0, |&n| u64::from(n))
    }

    /// Whether the dictionary holds `word`.
    pub fn contains(&self, word: &str) -> bool {
        self.counts.contains_key(word)
    }

    /// The sum of all counts.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Every word and its count, in no order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, u64)> {
        self.counts.iter().map(|(w, &n)| (&**w, u64::from(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_dictionary_knows_common_and_rare_words() {
        let dictionary = Dictionary::global();
        assert!(dictionary.freq("我们") > 50_000);
        assert!(dictionary.freq("模型") > 20 * dictionary.freq("模子"));
        assert_eq!(dictionary.freq("大模子"), 0);
        assert!(dictionary.total() > 1e7);
    }
}
