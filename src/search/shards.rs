//! Cutting the index into files a browser fetches a few at a time.
//!
//! ```text
//! search/index.json        the manifest: counts, the first term of every shard, file names
//! search/t/<hash>.json     a shard: consecutive terms (in UTF-16 order) and their postings
//! search/d/<hash>.json     document records: URL, title, date, people of 50 articles
//! search/f/<hash>.json     the traditional → simplified pairs that can match this archive
//! ```
//!
//! Every file but the manifest is named by a hash of its contents, so browsers and CDNs
//! may cache them for ever, an unchanged shard keeps its name (and is not rewritten)
//! between builds, and a reader never mixes shards of two builds.
//!
//! A posting list is a JSON array of numbers, one per article: the distance from the
//! previous article's index shifted left by five bits, plus the field bits (see
//! [`super::IN_TITLE`]). Small numbers compress well.

use std::cmp::Ordering;

use std::hash::Hasher;

use rayon::prelude::*;
use serde::Serialize;

use super::tokens::unigram;
use super::{INDEX_DIR, Postings};
use crate::render::OutputFile;
use crate::site::Site;

/// A shard is closed once its text passes this many bytes; one very common term may
/// make a larger one. Measured with `bench/search.sh`: smaller shards mean more files
/// and a longer manifest, larger ones more bytes per query.
pub const SHARD_BYTES: usize = 12 * 1024;

/// Articles per document-record file.
pub const DOCS_PER_FILE: usize = 50;

/// The format of the files, checked by the script.
pub const FORMAT_VERSION: u32 = 2;

/// The manifest, `search/index.json`.
#[derive(Debug, Serialize)]
struct Manifest {
    version: u32,
    /// Articles in the index.
    docs: usize,
    /// Articles per document-record file.
    docs_per_file: usize,
    /// Document-record files (`d/<hash>.json`), in article order.
    records: Vec<String>,
    /// For each shard, its first term and its file (`t/<hash>.json`).
    shards: Vec<(String, String)>,
    /// The folding pairs' file (`f/<hash>.json`), if any pair can match.
    fold: Option<String>,
}

/// One article as a result list shows it.
#[derive(Debug, Serialize)]
struct Record<'a> {
    /// URL path relative to the site root (`interviews/a/`).
    u: &'a str,
    /// Title.
    t: &'a str,
    /// `2024-03-21`, or empty for an undated article.
    d: String,
    /// The people interviewed, comma-separated.
    p: String,
}

/// The index files for `postings`, whose article numbers are positions in `site.pages`.
pub fn write(site: &Site, postings: Postings) -> Vec<OutputFile> {
    let fold_pairs = super::fold::script_pairs_for(|c| postings.has_gram(unigram(c)));
    let mut files = Vec::new();
    let fold = (!fold_pairs.is_empty()).then(|| {
        let pairs: String = fold_pairs.iter().flat_map(|&(t, s)| [t, s]).collect();
        let (hash, file) = hashed(
            "f",
            serde_json::Value::String(pairs).to_string().into_bytes(),
        );
        files.push(file);
        hash
    });

    let (records, record_files): (Vec<String>, Vec<OutputFile>) = site
        .pages
        .par_chunks(DOCS_PER_FILE)
        .map(|chunk| {
            let records: Vec<Record<'_>> = chunk
                .iter()
                .map(|page| Record {
                    u: &page.article.url_path,
                    t: &page.article.title,
                    d: page
                        .article
                        .date
                        .as_ref()
                        .map(|date| date.ymd())
                        .unwrap_or_default(),
                    p: page.article.interviewees.join(", "),
                })
                .collect();
            hashed("d", serde_json::to_vec(&records).unwrap_or_default())
        })
        .unzip();
    files.extend(record_files);

    let (shards, shard_files): (Vec<(String, String)>, Vec<OutputFile>) =
        cut(encode_terms(postings))
            .into_par_iter()
            .map(|(first, text)| {
                let (hash, file) = hashed("t", text);
                ((first, hash), file)
            })
            .unzip();
    files.extend(shard_files);

    let manifest = Manifest {
        version: FORMAT_VERSION,
        docs: site.pages.len(),
        docs_per_file: DOCS_PER_FILE,
        records,
        shards,
        fold,
    };
    files.push(OutputFile {
        path: format!("{INDEX_DIR}/index.json"),
        contents: serde_json::to_vec(&manifest).unwrap_or_default(),
    });
    files
}

/// Every term with its postings as a `"term":[…]` JSON member, in the order the script
/// compares strings (UTF-16 code units).
fn encode_terms(mut postings: Postings) -> Vec<(String, Vec<u8>)> {
    // Each term with its first eight bytes as a number, which orders most pairs without
    // a call to compare the strings (a real archive has hundreds of thousands of
    // terms), and with whether it holds a character from U+E000 up (a lead byte from
    // 0xEE): byte order is UTF-16 order unless both terms do.
    let mut terms: Vec<(u64, bool, String, u32)> = postings
        .terms()
        .into_iter()
        .map(|(text, term)| {
            let mut head = [0u8; 8];
            let len = text.len().min(8);
            head[..len].copy_from_slice(&text.as_bytes()[..len]);
            let late = text.bytes().any(|b| b >= 0xEE);
            (u64::from_be_bytes(head), late, text, term)
        })
        .collect();
    // No term holds a zero byte, so comparing the zero-padded heads first agrees with
    // comparing the bytes.
    terms.par_sort_unstable_by(|a, b| match (a.1, b.1) {
        (true, true) => utf16_order(&a.2, &b.2),
        _ => a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)),
    });
    let postings = &postings;
    terms
        .into_par_iter()
        .map(|(_, _, term, number)| {
            let count: usize = postings.runs(number).map(<[_]>::len).sum();
            let mut member = Vec::with_capacity(term.len() + count * 4 + 8);
            // Writing a string into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut member, &term);
            member.extend_from_slice(b":[");
            let mut previous = 0;
            for run in postings.runs(number) {
                for posting in run {
                    let doc = posting >> 5;
                    let delta = ((doc - previous) << 5) | (posting & 31);
                    push_number(&mut member, delta);
                    member.push(b',');
                    previous = doc;
                }
            }
            // The last comma becomes the closing bracket; a term has at least one posting.
            match member.last_mut() {
                Some(last) if *last == b',' => *last = b']',
                _ => member.push(b']'),
            }
            (term, member)
        })
        .collect()
}

/// How `a` and `b` compare as UTF-16 (as the script compares strings), from their bytes:
/// the orders differ only where a character beyond U+FFFF (a surrogate pair, 0xD800…)
/// meets one in U+E000–U+FFFF, so only the first differing characters are decoded.
/// For terms that both hold characters from U+E000 up; comparing bytes is enough for the
/// rest (see [`encode_terms`]).
fn utf16_order(a: &str, b: &str) -> Ordering {
    let differ = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    // The bytes before `differ` are the same, so a character boundary in one is one in
    // the other.
    let start = (0..=differ)
        .rev()
        .find(|&at| a.is_char_boundary(at))
        .unwrap_or(0);
    let first_unit = |c: char| match c as u32 {
        code @ 0x10000.. => 0xD800 + ((code - 0x10000) >> 10),
        code => code,
    };
    match (a[start..].chars().next(), b[start..].chars().next()) {
        (Some(x), Some(y)) => (first_unit(x), x).cmp(&(first_unit(y), y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

/// Appends `n` in decimal; `write!` costs several times more, and a 10,000-article
/// archive has millions of postings. The digits go out as one fixed-size copy, which
/// compiles to a store: a copy of their exact length was a `memcpy` call per number.
fn push_number(out: &mut Vec<u8>, n: u32) {
    let mut digits = [b'0'; 10];
    let len = (1..10)
        .find(|&width| n < 10u32.pow(width as u32))
        .unwrap_or(10);
    let mut rest = n;
    for at in (0..len).rev() {
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let end = out.len() + len;
    out.extend_from_slice(&digits);
    out.truncate(end);
}

/// Groups consecutive members into shards of about [`SHARD_BYTES`]; returns each shard's
/// first term and its JSON text.
fn cut(members: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut shards: Vec<(String, Vec<u8>)> = Vec::new();
    for (term, member) in members {
        match shards.last_mut() {
            Some((_, text)) if text.len() < SHARD_BYTES => {
                text.push(b',');
                text.extend_from_slice(&member);
            }
            _ => {
                let mut text = Vec::with_capacity(SHARD_BYTES + member.len() + 2);
                text.push(b'{');
                text.extend_from_slice(&member);
                shards.push((term, text));
            }
        }
    }
    for (_, text) in &mut shards {
        text.push(b'}');
    }
    shards
}

/// The file `search/<folder>/<hash>.json` holding `text`, and the hash, which is all the
/// manifest names it by (the script knows the folders): 48 bits keep collisions
/// improbable in an index of thousands of files and the manifest short.
fn hashed(folder: &str, text: Vec<u8>) -> (String, OutputFile) {
    let hash = format!("{:012x}", content_hash(&text) >> 16);
    let file = OutputFile {
        path: format!("{INDEX_DIR}/{folder}/{hash}.json"),
        contents: text,
    };
    (hash, file)
}

/// A content hash for file names (not for security). Fx reads eight bytes a step: a
/// byte-at-a-time hash took 30 ms over the 18 MB index of 10,000 articles.
fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokens::bigram;

    fn postings(words: &[(&str, &[u32])], grams: &[(u64, &[u32])]) -> Postings {
        Postings::from_lists(&[(words, grams)])
    }

    #[test]
    fn postings_are_delta_encoded_with_their_bits() {
        let members = encode_terms(postings(&[("sora", &[(2 << 5) | 16, (7 << 5) | 3])], &[]));
        assert_eq!(members, [("sora".into(), b"\"sora\":[80,163]".to_vec())]);
    }

    #[test]
    fn deltas_run_on_across_runs() {
        let p = Postings::from_lists(&[
            (&[("sora", &[(2 << 5) | 16])], &[]),
            (&[], &[]),
            (&[("sora", &[(7 << 5) | 3])], &[]),
        ]);
        assert_eq!(
            encode_terms(p),
            [("sora".into(), b"\"sora\":[80,163]".to_vec())]
        );
    }

    #[test]
    fn terms_sort_in_utf16_order() {
        let astral = '𠀀';
        let compat = '\u{F900}';
        let members = encode_terms(postings(
            &[("b", &[0]), ("a", &[0])],
            &[
                (unigram(compat), &[0]),
                (unigram(astral), &[0]),
                (bigram('数', '据'), &[0]),
                (unigram('数'), &[0]),
            ],
        ));
        let order: Vec<&str> = members.iter().map(|(t, _)| t.as_str()).collect();
        // U+20000 is a surrogate pair (0xD840…), which sorts before U+F900 in JavaScript.
        assert_eq!(
            order,
            [
                "a",
                "b",
                "数",
                "数据",
                &astral.to_string(),
                &compat.to_string()
            ]
        );
    }

    #[test]
    fn byte_comparison_agrees_with_utf16() {
        let samples = [
            "",
            "a",
            "ab",
            "b",
            "数",
            "数据",
            "数据库",
            "𠀀",
            "𠀀数",
            "\u{F900}",
            "\u{FFFD}x",
            "a𠀀",
            "a\u{F900}",
            "é",
            "e\u{301}",
            "𪚥",
            "\u{E000}",
            "z\u{10FFFF}",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(
                    utf16_order(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn shards_split_by_size_and_stay_valid_json() {
        let list: Vec<u32> = (0..2000).map(|d| d << 5).collect();
        let words: Vec<(String, &[u32])> = (0..40)
            .map(|i| (format!("w{i:02}"), list.as_slice()))
            .collect();
        let borrowed: Vec<(&str, &[u32])> = words.iter().map(|(w, l)| (w.as_str(), *l)).collect();
        let shards = cut(encode_terms(postings(&borrowed, &[])));
        assert!(shards.len() > 1, "{} shards", shards.len());
        let mut seen = 0;
        for (first, text) in &shards {
            let parsed: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(text).expect("a shard is a JSON object");
            assert_eq!(parsed.keys().next(), Some(first));
            seen += parsed.len();
        }
        assert_eq!(seen, 40);
    }

    #[test]
    fn numbers_print_in_decimal() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 4_294_967_295] {
            push_number(&mut out, n);
            out.push(b' ');
        }
        assert_eq!(out, b"0 7 10 4294967295 ");
    }

    #[test]
    fn one_changed_byte_anywhere_changes_the_name() {
        let text: Vec<u8> = (0..64u8).collect();
        let name = |bytes: &[u8]| hashed("t", bytes.to_vec()).0;
        let mut names: Vec<String> = vec![name(&text)];
        for at in 0..text.len() {
            let mut changed = text.clone();
            changed[at] ^= 0x80;
            names.push(name(&changed));
        }
        assert_eq!(name(&text), names[0], "the same text gets the same name");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), text.len() + 1);
    }
}
