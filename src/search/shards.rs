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

use rayon::prelude::*;
use serde::Serialize;

use super::tokens::{gram_text, unigram};
use super::{INDEX_DIR, Posting, Postings};
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
    let fold_pairs = super::fold::script_pairs_for(|c| postings.grams.contains_key(&unigram(c)));
    let mut files = Vec::new();
    let fold = (!fold_pairs.is_empty()).then(|| {
        let pairs: String = fold_pairs.iter().flat_map(|&(t, s)| [t, s]).collect();
        let text = serde_json::Value::String(pairs).to_string();
        add_hashed(&mut files, "f", text)
    });

    let records = site
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
            serde_json::to_string(&records).unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .into_iter()
        .map(|text| add_hashed(&mut files, "d", text))
        .collect();

    let shards = cut(encode_terms(postings))
        .into_iter()
        .map(|(first, text)| (first, add_hashed(&mut files, "t", text)))
        .collect();

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
fn encode_terms(postings: Postings) -> Vec<(String, String)> {
    let mut terms: Vec<(String, Vec<Posting>)> = postings
        .grams
        .into_iter()
        .map(|(key, list)| (gram_text(key), list))
        .chain(
            postings
                .words
                .into_iter()
                .map(|(word, list)| (word.into_string(), list)),
        )
        .collect();
    // Byte order is UTF-16 order unless a character beyond U+FFFF meets one in
    // U+E000–U+FFFF, so the slower comparison is only needed when there are such.
    if terms
        .iter()
        .any(|(term, _)| term.chars().any(|c| c > '\u{FFFF}'))
    {
        terms.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    } else {
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    terms
        .into_par_iter()
        .map(|(term, list)| {
            let mut member = serde_json::Value::String(term.clone()).to_string();
            member.reserve(list.len() * 4 + 4);
            member.push_str(":[");
            let mut previous = 0;
            for (i, posting) in list.iter().enumerate() {
                let doc = posting >> 5;
                if i > 0 {
                    member.push(',');
                }
                push_number(&mut member, ((doc - previous) << 5) | (posting & 31));
                previous = doc;
            }
            member.push(']');
            (term, member)
        })
        .collect()
}

/// Appends `n` in decimal; `write!` costs several times more, and a 10,000-article
/// archive has millions of postings.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[start..]
        .iter()
        .for_each(|&digit| out.push(char::from(digit)));
}

/// Groups consecutive members into shards of about [`SHARD_BYTES`]; returns each shard's
/// first term and its JSON text.
fn cut(members: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut shards: Vec<(String, String)> = Vec::new();
    for (term, member) in members {
        match shards.last_mut() {
            Some((_, text)) if text.len() < SHARD_BYTES => {
                text.push(',');
                text.push_str(&member);
            }
            _ => {
                let mut text = String::with_capacity(SHARD_BYTES + member.len() + 2);
                text.push('{');
                text.push_str(&member);
                shards.push((term, text));
            }
        }
    }
    for (_, text) in &mut shards {
        text.push('}');
    }
    shards
}

/// Adds `search/<folder>/<hash>.json` holding `text`; returns the hash, which is all the
/// manifest names it by (the script knows the folders): 48 bits keep collisions
/// improbable in an index of thousands of files and the manifest short.
fn add_hashed(files: &mut Vec<OutputFile>, folder: &str, text: String) -> String {
    let hash = format!("{:012x}", fnv1a(text.as_bytes()) >> 16);
    files.push(OutputFile {
        path: format!("{INDEX_DIR}/{folder}/{hash}.json"),
        contents: text.into_bytes(),
    });
    hash
}

/// FNV-1a, 64 bits: a stable content hash for file names (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokens::bigram;

    fn postings(words: &[(&str, &[u32])], grams: &[(u64, &[u32])]) -> Postings {
        let mut p = Postings::default();
        for (word, list) in words {
            p.words.insert((*word).into(), list.to_vec());
        }
        for (key, list) in grams {
            p.grams.insert(*key, list.to_vec());
        }
        p
    }

    #[test]
    fn postings_are_delta_encoded_with_their_bits() {
        let members = encode_terms(postings(&[("sora", &[(2 << 5) | 16, (7 << 5) | 3])], &[]));
        assert_eq!(members, [("sora".into(), "\"sora\":[80,163]".into())]);
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
                serde_json::from_str(text).expect("a shard is a JSON object");
            assert_eq!(parsed.keys().next(), Some(first));
            seen += parsed.len();
        }
        assert_eq!(seen, 40);
    }

    #[test]
    fn numbers_print_in_decimal() {
        let mut out = String::new();
        for n in [0, 7, 10, 4_294_967_295] {
            push_number(&mut out, n);
            out.push(' ');
        }
        assert_eq!(out, "0 7 10 4294967295 ");
    }

    #[test]
    fn content_hash_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
