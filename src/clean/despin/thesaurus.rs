//! A thesaurus the user supplies at run time (site.yml `clean.thesaurus`), for
//! Chinese candidates no shippable list holds. Two formats, one group a line:
//! Cilin's (`Aa01A01= 人 士 人物`: a code ending in `=` marks synonyms; `#` related
//! words and `@` lone words are skipped), or plain words separated by spaces or
//! commas. `#` starts a comment line in the plain format. The file may be in any
//! encoding the cleaner reads pages in: the Cilin copies in circulation are GBK.

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A thesaurus file that could not be read, with the place and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {problem}", at_line(*.line))]
pub struct ThesaurusError {
    /// The file.
    pub file: String,
    /// The 1-based line, or 0 for the whole file.
    pub line: usize,
    /// What is wrong and what to do.
    pub problem: String,
}

/// `:LINE` for an error on a line, nothing for one about the whole file.
fn at_line(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// Groups of synonyms and a matcher for their words.
#[derive(Debug, Clone)]
pub struct Thesaurus {
    groups: Vec<Vec<String>>,
    groups_of: HashMap<String, Vec<u32>>,
    words: Vec<String>,
    matcher: AhoCorasick,
}

impl PartialEq for Thesaurus {
    fn eq(&self, other: &Self) -> bool {
        self.groups == other.groups
    }
}

impl Eq for Thesaurus {}

impl Thesaurus {
    /// Reads a thesaurus file.
    pub fn load(path: &Path) -> Result<Thesaurus, ThesaurusError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ThesaurusError {
            file: file.clone(),
            line: 0,
            problem: format!("cannot read it ({e}); check clean.thesaurus in site.yml"),
        })?;
        Thesaurus::from_bytes(&bytes, &file)
    }

    /// Decodes thesaurus bytes in any encoding the cleaner reads (UTF-8, GBK, Big5…)
    /// and parses them; `file` names them in errors.
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Thesaurus, ThesaurusError> {
        let decoded = crate::clean::decode::decode(bytes).map_err(|e| ThesaurusError {
            file: file.to_string(),
            line: 0,
            problem: format!("cannot read it as a thesaurus: {e}"),
        })?;
        Thesaurus::parse(&decoded.text, file)
    }

    /// Parses thesaurus text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Thesaurus, ThesaurusError> {
        let mut groups = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split(|c: char| c.is_whitespace() || c == ',' || c == '，');
            let first = fields.next().unwrap_or_default();
            let words: Vec<String> = match first.chars().last() {
                Some(mark @ ('=' | '#' | '@')) if first.is_ascii() && first.len() > 1 => {
                    if mark != '=' {
                        continue;
                    }
                    fields.filter(|w| !w.is_empty()).map(String::from).collect()
                }
                _ if first.is_ascii() && first.ends_with(|c: char| c.is_ascii_digit()) => {
                    return Err(ThesaurusError {
                        file: file.to_string(),
                        line: index + 1,
                        problem: format!(
                            "`{first}` looks like a Cilin code without its `=`, `#` or `@` mark; \
                             write it as `{first}=` followed by the words"
                        ),
                    });
                }
                _ => std::iter::once(first)
                    .chain(fields)
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect(),
            };
            if words.len() >= 2 {
                groups.push(words);
            }
        }
        if groups.is_empty() {
            return Err(ThesaurusError {
                file: file.to_string(),
                line: 0,
                problem: "no group of two or more words found; one group a line, words separated by spaces".to_string(),
            });
        }
        let mut groups_of: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, group) in groups.iter().enumerate() {
            for word in group {
                groups_of.entry(word.clone()).or_default().push(id as u32);
            }
        }
        let words: Vec<String> = groups_of
            .keys()
            .filter(|w| w.chars().count() >= 2)
            .cloned()
            .collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .map_err(|e| ThesaurusError {
                file: file.to_string(),
                line: 0,
                problem: format!("too large to compile ({e})"),
            })?;
        Ok(Thesaurus {
            groups,
            groups_of,
            words,
            matcher,
        })
    }

    /// The thesaurus words found in `text`, leftmost-longest: (start, end, word).
    pub fn find<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, &'t str)> + 't {
        self.matcher.find_iter(text).map(|m| {
            (
                m.start(),
                m.end(),
                self.words[m.pattern().as_usize()].as_str(),
            )
        })
    }

    /// The other words of every group holding `word`, each once (Cilin's groups
    /// overlap: a word listed twice would split its own score).
    pub fn synonyms<'t>(&'t self, word: &'t str) -> impl Iterator<Item = &'t str> + 't {
        let mut seen: Vec<&str> = Vec::new();
        self.groups_of
            .get(word)
            .into_iter()
            .flatten()
            .flat_map(|&g| self.groups[g as usize].iter())
            .map(String::as_str)
            .filter(move |w| {
                let new = *w != word && !seen.contains(w);
                if new {
                    seen.push(w);
                }
                new
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cilin_lines_keep_synonym_groups_only() {
        let text = "Bo15A02= 模型 模子\nAa01A01# 人 士\nHg06A01@ 磨练\n训练 磨练, 锻炼\n";
        let thesaurus = Thesaurus::parse(text, "t.txt").expect("parses");
        let mut of_model: Vec<&str> = thesaurus.synonyms("模子").collect();
        of_model.sort();
        assert_eq!(of_model, ["模型"]);
        assert!(thesaurus.synonyms("士").next().is_none());
        let found: Vec<&str> = thesaurus.find("大模子的磨练").map(|f| f.2).collect();
        assert_eq!(found, ["模子", "磨练"]);
    }

    #[test]
    fn a_gbk_file_with_crlf_lines_is_read_like_utf8() {
        let text = "Bo15A02= 模型 模子\r\nHg06A01= 训练 磨练 锻炼\r\n";
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&gbk).is_err(),
            "the test bytes must not be UTF-8"
        );
        let thesaurus = Thesaurus::from_bytes(&gbk, "cilin.txt").expect("reads GBK");
        assert_eq!(
            thesaurus,
            Thesaurus::parse(text, "cilin.txt").expect("parses")
        );
        let mut of_drill: Vec<&str> = thesaurus.synonyms("磨练").collect();
        of_drill.sort();
        assert_eq!(of_drill, ["训练", "锻炼"]);
    }

    #[test]
    fn a_file_that_is_no_text_is_named_without_a_line() {
        let error = Thesaurus::from_bytes(b"\x00\x01\x02 binary", "cilin.bin").unwrap_err();
        assert_eq!(error.line, 0);
        let message = error.to_string();
        assert!(message.starts_with("cilin.bin: "), "{message}");
        assert!(message.contains("binary"), "{message}");
    }

    #[test]
    fn a_synonym_in_two_groups_of_the_word_is_listed_once() {
        let overlapping =
            Thesaurus::parse("Zd02A01= 帮忙 帮手 帮助\nZb01A03= 帮助 协助 帮手\n", "t")
                .expect("parses");
        let of_helper: Vec<&str> = overlapping.synonyms("帮手").collect();
        assert_eq!(of_helper, ["帮忙", "帮助", "协助"]);
    }

    #[test]
    fn a_code_without_its_mark_is_named_with_its_line() {
        let error = Thesaurus::parse("模型 模子\nBo15A02 模型 模子\n", "my.txt").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.to_string().starts_with("my.txt:2:"), "{error}");
        assert!(error.problem.contains("Bo15A02="), "{error}");
    }
}
