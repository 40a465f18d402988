//! Cutting the index into files a browser fetches a few at a time.
//!
//! ```text
//! search/index.json        the manifest: counts, the first term of every shard, file
//!                          names, the traditional → simplified pairs that can match
//!                          this archive
//! search/t/<hash>.json     a shard: consecutive terms (in UTF-16 order) and their postings
//! search/d/<hash>.json     document records: URL, title, date, people of 50 articles
//! ```
//!
//! Every file but the manifest is named by a hash of its contents, so browsers and CDNs
//! may cache them for ever, an unchanged shard keeps its name (and is not rewritten)
//! between builds, and a reader never mixes shards of two builds.
//!
//! A posting list is written one of two ways (see [`super::IN_TITLE`] for the field bits):
//!
//! - sparse, a JSON string of base-32 digits, a group per article: the distance from
//!   the previous article's index in digits from `:` to `Y` ([`GAP_DIGIT`], most
//!   significant first, none for 0), then its field bits as one digit from `]` to `|`
//!   ([`BITS_DIGIT`]), which ends the group. Neither range holds a digit (the first
//!   character of a dense list), a quote or a backslash. It is half the bytes of the
//!   JSON numbers it replaced (format 4) for the build to write and the browser to read.
//! - dense, for a term in at least one article in [`DENSE_SHARE`]: a JSON string, the
//!   number of articles, `:`, a bitmap of the articles (eight hex digits per 32
//!   articles, article `32w + i` at bit `i` of word `w`), then one character per article
//!   that holds the term, in order, `'0'` plus its field bits. The script intersects
//!   such lists a word of 32 articles at a time and finds an article's bits by counting
//!   the set bits before it, where a sparse list costs it a step per posting to decode
//!   and to merge. (Format 4 gave every article of the archive a character, `'0'` where
//!   absent: on running text those zeros were 13 MB of the index's 59.9 MB.)

use std::hash::Hasher;

use rayon::prelude::*;
use serde::Serialize;

use super::{INDEX_DIR, Postings, TermKey};
use crate::render::OutputFile;
use crate::site::Site;

/// A shard is closed once its text passes this many bytes; one very common term may
/// make a larger one. Measured with `bench/search.sh`: smaller shards mean more files
/// and a longer manifest, larger ones more bytes per query.
pub const SHARD_BYTES: usize = 12 * 1024;

/// Articles per document-record file.
pub const DOCS_PER_FILE: usize = 50;

/// The format of the files, checked by the script.
pub const FORMAT_VERSION: u32 = 5;

/// A term in at least one article in this many is written as a dense list, which saves
/// the script a step per posting. On running Chinese text (10,000 articles, the medians
/// of the lists in each range of shares) a dense list is larger than the sparse one
/// below one article in four (3,872 bytes against 2,742 at 1/8–0.15) and smaller
/// above, and gzipped it is smaller at every share from 1/8 (1,204 against 1,270
/// bytes there, 3,574 against 3,936 above 0.4).
pub const DENSE_SHARE: usize = 8;

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
    /// The folding pairs that can match, one after the other (`"們们個个"`). In the
    /// manifest, a few kilobytes at most, rather than a file of their own: a Chinese query
    /// would wait on one more request.
    fold: String,
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

/// Hands the index files for `postings`, whose article numbers are positions in
/// `site.pages`, to `sink` as each is made.
pub fn write<E: Send>(
    site: &Site,
    postings: Postings,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let fold_pairs =
        super::fold::script_pairs_for(|c| postings.find(c.encode_utf8(&mut [0; 4])).is_some());
    let fold: String = fold_pairs.iter().flat_map(|&(t, s)| [t, s]).collect();

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
            let (hash, file) = hashed("d", serde_json::to_vec(&records).unwrap_or_default());
            sink(file)?;
            Ok(hash)
        })
        .collect::<Result<Vec<String>, E>>()?;

    let docs = site.pages.len();
    // Each shard's terms are encoded straight into its file, so where the shards start
    // is found first from the members' lengths alone. Encoding the members into buffers
    // of their own and then copying them into the shards cost the copy and about 70 MB
    // of fresh memory on running Chinese text at 10,000 articles (a page fault every
    // 4 KiB); counting the lengths costs less.
    let starts = shard_starts(&member_lengths(&postings, docs));
    let shards = (0..starts.len())
        .into_par_iter()
        .map(|number| {
            let (first, text) = shard(&postings, &starts, number, docs);
            let (hash, file) = hashed("t", text);
            sink(file)?;
            Ok((first, hash))
        })
        .collect::<Result<Vec<(String, String)>, E>>()?;
    drop(postings);

    let manifest = Manifest {
        version: FORMAT_VERSION,
        docs: site.pages.len(),
        docs_per_file: DOCS_PER_FILE,
        records,
        shards,
        fold,
    };
    sink(OutputFile {
        path: format!("{INDEX_DIR}/index.json"),
        contents: serde_json::to_vec(&manifest).unwrap_or_default(),
    })
}

/// Terms measured by one task: few tasks, yet enough to share a small index among the
/// threads.
const TERMS_PER_TASK: usize = 2048;

/// The length of every term's JSON member ([`encode_term`]), in the order of the index.
fn member_lengths(postings: &Postings, docs: usize) -> Vec<usize> {
    (0..postings.term_count() as u32)
        .into_par_iter()
        .with_min_len(TERMS_PER_TASK)
        .map_init(Vec::new, |name, term| {
            member_length(postings, term, docs, name)
        })
        .collect()
}

/// The length of term `term`'s member, as [`encode_term`] writes it; `name` is room to
/// write the term's name in.
fn member_length(postings: &Postings, term: u32, docs: usize, name: &mut Vec<u8>) -> usize {
    name.clear();
    push_term_name(postings.key(term), name);
    let count: usize = postings.runs(term).map(<[_]>::len).sum();
    let list = if count * DENSE_SHARE >= docs {
        // The quotes, the count and its colon, the bitmap's hex digits, a character
        // per article that holds the term.
        2 + decimal_length(count as u32) + 1 + 8 * docs.div_ceil(32) + count
    } else {
        // The quotes, and each article's distance digits and field-bits digit.
        let mut previous = 0;
        let digits: usize = postings
            .runs(term)
            .flatten()
            .map(|posting| {
                let doc = posting >> 5;
                let gap = doc - previous;
                previous = doc;
                gap_length(gap) + 1
            })
            .sum();
        2 + digits
    };
    name.len() + 1 + list
}

/// How many digits `n` has in decimal.
fn decimal_length(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// Appends term `term`'s member: its name, and its postings as a dense list if it is in
/// enough of the `docs` articles, else as a sparse one.
fn encode_term(postings: &Postings, term: u32, docs: usize, out: &mut Vec<u8>) {
    push_term_name(postings.key(term), out);
    out.push(b':');
    let count: usize = postings.runs(term).map(<[_]>::len).sum();
    if count * DENSE_SHARE >= docs {
        push_dense(postings, term, count, docs, out);
    } else {
        push_sparse(postings, term, out);
    }
}

/// The first of the 32 characters that write a sparse list's distances in base 32.
const GAP_DIGIT: u8 = b':';

/// The first of the 32 characters that write an article's field bits in a sparse list,
/// each ending the article's group.
const BITS_DIGIT: u8 = b']';

/// How many base-32 digits `gap` takes in a sparse list: none for 0.
fn gap_length(gap: u32) -> usize {
    (u32::BITS - gap.leading_zeros()).div_ceil(5) as usize
}

/// Appends the postings as a sparse list (see the module's documentation).
fn push_sparse(postings: &Postings, term: u32, out: &mut Vec<u8>) {
    out.push(b'"');
    let mut previous = 0;
    for run in postings.runs(term) {
        for posting in run {
            let doc = posting >> 5;
            let gap = doc - previous;
            for digit in (0..gap_length(gap)).rev() {
                out.push(GAP_DIGIT + (gap >> (5 * digit) & 31) as u8);
            }
            out.push(BITS_DIGIT + (posting & 31) as u8);
            previous = doc;
        }
    }
    out.push(b'"');
}

/// Appends the `count` postings as a dense list (see the module's documentation): the
/// characters follow the bitmap, which is filled in once they are written.
fn push_dense(postings: &Postings, term: u32, count: usize, docs: usize, out: &mut Vec<u8>) {
    out.push(b'"');
    out.extend_from_slice(count.to_string().as_bytes());
    out.push(b':');
    let mut words = vec![0u32; docs.div_ceil(32)];
    let hex_start = out.len();
    let chars_start = hex_start + words.len() * 8;
    out.resize(chars_start, b'0');
    for run in postings.runs(term) {
        for &posting in run {
            let doc = (posting >> 5) as usize;
            // An article past the archive's end cannot come from the index; skipping it
            // keeps the list well formed.
            if let Some(word) = words.get_mut(doc / 32) {
                *word |= 1 << (doc % 32);
                out.push(b'0' + (posting & 31) as u8);
            }
        }
    }
    for (word, hex) in words
        .iter()
        .zip(out[hex_start..chars_start].chunks_exact_mut(8))
    {
        for (at, digit) in hex.iter_mut().enumerate() {
            *digit = b"0123456789abcdef"[(word >> (28 - 4 * at) & 15) as usize];
        }
    }
    out.push(b'"');
}

/// Appends the term as a JSON string. Its bytes go out as they are, which is what
/// `serde_json` writes for text without a quote, a backslash or a control character:
/// the tokenizer's terms are letters, digits and ideographs. Decoding and checking
/// the UTF-8 of each of hundreds of thousands of terms for `serde_json` cost more than
/// writing their postings.
fn push_term_name(key: TermKey<'_>, out: &mut Vec<u8>) {
    let start = out.len();
    out.push(b'"');
    key.push_text(out);
    if out[start + 1..]
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
    {
        out.truncate(start);
        key.with_text(|text| {
            // Writing a string into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, text);
        });
    } else {
        out.push(b'"');
    }
}

/// Groups consecutive terms into shards of about [`SHARD_BYTES`], given the length of
/// each term's member: where each shard starts (its first term), and its size. That
/// follows from the lengths alone, so it is found first, on one thread, and the shards
/// ([`shard`]) are then encoded in parallel.
fn shard_starts(lengths: &[usize]) -> Vec<(usize, usize)> {
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (term, &length) in lengths.iter().enumerate() {
        match starts.last_mut() {
            // A shard takes one more member while it is short of the size.
            Some((_, size)) if *size < SHARD_BYTES => *size += 1 + length,
            _ => starts.push((term, 1 + length)),
        }
    }
    starts
}

/// Shard `number` of those [`shard_starts`] found, for an archive of `docs` articles:
/// its first term, and its text, its members encoded in place.
fn shard(
    postings: &Postings,
    starts: &[(usize, usize)],
    number: usize,
    docs: usize,
) -> (String, Vec<u8>) {
    let (from, size) = starts[number];
    let until = starts
        .get(number + 1)
        .map_or(postings.term_count(), |&(next, _)| next);
    let mut text = Vec::with_capacity(size + 1);
    for term in from..until {
        text.push(if term == from { b'{' } else { b',' });
        encode_term(postings, term as u32, docs, &mut text);
    }
    text.push(b'}');
    (postings.key(from as u32).with_text(str::to_owned), text)
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
    use crate::search::tokens::{bigram, unigram};
    use crate::search::{IN_META, IN_TITLE};

    fn postings(words: &[(&str, &[u32])], grams: &[(u64, &[u32])]) -> Postings {
        Postings::from_lists(&[(words, grams)])
    }

    /// Each term's text and member, as [`encode_term`] writes them for an archive of
    /// `docs` articles, each checked to be as long as [`member_length`] counts.
    fn members_of(postings: &Postings, docs: usize) -> Vec<(String, Vec<u8>)> {
        (0..postings.term_count() as u32)
            .map(|term| {
                let mut member = Vec::new();
                encode_term(postings, term, docs, &mut member);
                let text = postings.key(term).with_text(str::to_owned);
                let length = member_length(postings, term, docs, &mut Vec::new());
                assert_eq!(member.len(), length, "{text}");
                (text, member)
            })
            .collect()
    }

    /// The members in an archive large enough for every list here to be sparse.
    fn members(postings: &Postings) -> Vec<(String, Vec<u8>)> {
        members_of(postings, 1_000_000)
    }

    #[test]
    fn postings_are_delta_encoded_with_their_bits() {
        let p = postings(&[("sora", &[(2 << 5) | 16, (7 << 5) | 3])], &[]);
        assert_eq!(
            members(&p),
            [("sora".into(), b"\"sora\":\"<m?`\"".to_vec())]
        );
    }

    #[test]
    fn deltas_run_on_across_runs() {
        let p = Postings::from_lists(&[
            (&[("sora", &[(2 << 5) | 16])], &[]),
            (&[], &[]),
            (&[("sora", &[(7 << 5) | 3])], &[]),
        ]);
        assert_eq!(
            members(&p),
            [("sora".into(), b"\"sora\":\"<m?`\"".to_vec())]
        );
    }

    #[test]
    fn a_term_in_one_article_in_eight_is_dense() {
        // Articles 1, 2, 33, 34 and 39 of 40: the title, three in the body, and so on.
        let list = [
            (1 << 5) | IN_TITLE,
            (2 << 5) | 3,
            (33 << 5) | 7,
            (34 << 5) | 1,
            (39 << 5) | IN_META | 1,
        ];
        let p = postings(&[("sora", &list)], &[]);
        // The bits of articles 1, 2, 33, 34 and 39, in order.
        let expected = b"\"sora\":\"5:0000000600000086@3719\"".to_vec();
        assert_eq!(members_of(&p, 40), [("sora".into(), expected)]);
        // In one article fewer than one in eight, the list is sparse.
        assert_eq!(members_of(&p, 41)[0].1, b"\"sora\":\";m;`Yd;^?f\"".to_vec());
    }

    #[test]
    fn a_dense_list_runs_on_across_runs_and_stays_valid_json() {
        let p = Postings::from_lists(&[
            (&[("数据", &[2])], &[]),
            (&[("数据", &[(1 << 5) | 1, (2 << 5) | IN_TITLE])], &[]),
        ]);
        let members = members_of(&p, 3);
        let member = String::from_utf8(members[0].1.clone()).expect("UTF-8");
        let parsed: serde_json::Value =
            serde_json::from_str(&format!("{{{member}}}")).expect("a JSON member");
        assert_eq!(parsed["数据"], "3:0000000721@");
    }

    #[test]
    fn terms_sort_in_utf16_order() {
        let astral = '𠀀';
        let compat = '\u{F900}';
        let members = members(&postings(
            &[
                ("b", &[0]),
                ("abcdefghij", &[0]),
                ("a", &[0]),
                ("abcdefgh", &[0]),
            ],
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
                "abcdefgh",
                "abcdefghij",
                "b",
                "数",
                "数据",
                &astral.to_string(),
                &compat.to_string()
            ]
        );
    }

    /// `terms` words (`w00000`, `w00001`, …, in order) each in the same `docs` articles.
    fn same_list_words(terms: usize, docs: u32) -> Postings {
        let list: Vec<u32> = (0..docs).map(|d| d << 5).collect();
        let words: Vec<String> = (0..terms).map(|i| format!("w{i:05}")).collect();
        let borrowed: Vec<(&str, &[u32])> = words
            .iter()
            .map(|w| (w.as_str(), list.as_slice()))
            .collect();
        postings(&borrowed, &[])
    }

    /// Every shard of `postings` in an archive of `docs` articles: its first term and
    /// its text, each checked to be as long as [`shard_starts`] counted.
    fn cut(postings: &Postings, docs: usize) -> Vec<(String, Vec<u8>)> {
        let starts = shard_starts(&member_lengths(postings, docs));
        (0..starts.len())
            .map(|number| {
                let (first, text) = shard(postings, &starts, number, docs);
                assert_eq!(text.len(), starts[number].1 + 1, "shard {number}");
                (first, text)
            })
            .collect()
    }

    #[test]
    fn shards_are_the_members_in_order_cut_by_size() {
        let p = same_list_words(5000, 50);
        let members = members(&p);
        let starts = shard_starts(&member_lengths(&p, 1_000_000));
        let shards = cut(&p, 1_000_000);
        assert!(shards.len() > 1, "{} shards", shards.len());
        for (number, (first, text)) in shards.iter().enumerate() {
            let from = starts[number].0;
            let until = starts
                .get(number + 1)
                .map_or(members.len(), |&(next, _)| next);
            let mut expected = b"{".to_vec();
            let joined: Vec<&[u8]> = members[from..until].iter().map(|(_, m)| &m[..]).collect();
            expected.extend(joined.join(&b","[..]));
            expected.push(b'}');
            assert_eq!(*text, expected, "shard {number}");
            assert_eq!(*first, members[from].0);
            if number + 1 < shards.len() {
                assert!(text.len() > SHARD_BYTES, "shard {number} closed early");
            }
        }
    }

    #[test]
    fn shards_split_by_size_and_stay_valid_json() {
        let p = same_list_words(40, 2000);
        let shards = cut(&p, 1_000_000);
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
    fn term_names_are_written_as_serde_json_writes_them() {
        for text in [
            "sora",
            "数据",
            "𠀀\u{F900}",
            "interviewing",
            "a\"b\\c\u{1}",
            "长长长长长长",
        ] {
            let mut out = Vec::new();
            push_term_name(TermKey::of(text), &mut out);
            assert_eq!(out, serde_json::to_vec(text).expect("a string"), "{text}");
        }
        // Their members are as long as counted, dense or sparse (`members_of` checks).
        let list = [(1 << 5) | 1, (3 << 5) | IN_TITLE];
        let p = postings(&[("a\"b\\c\u{1}", &list), ("sora", &list[..1])], &[]);
        assert_eq!(members_of(&p, 4).len(), 2);
        assert_eq!(members_of(&p, 1_000_000).len(), 2);
    }

    #[test]
    fn distances_take_as_many_digits_as_their_bits_need() {
        for (gap, digits) in [
            (0, 0),
            (1, 1),
            (31, 1),
            (32, 2),
            (1023, 2),
            (1024, 3),
            (u32::MAX, 7),
        ] {
            assert_eq!(gap_length(gap), digits, "{gap}");
        }
        // Neither digit range may end the JSON string or read as a dense list's count.
        for digit in (GAP_DIGIT..GAP_DIGIT + 32).chain(BITS_DIGIT..BITS_DIGIT + 32) {
            assert!(
                !matches!(digit, b'"' | b'\\' | b'0'..=b'9'),
                "{}",
                digit as char
            );
        }
        // A long distance, digit by digit, most significant first: 1024 is 1·32² + 0 + 0.
        let p = postings(&[("sora", &[(1024 << 5) | 1])], &[]);
        assert_eq!(members(&p)[0].1, b"\"sora\":\";::^\"".to_vec());
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
