//! Deterministic corpus generator for the build benchmark (issue 5).
//!
//! ```text
//! cargo run --release --example gen-corpus -- N DIR [--vocabulary WORDS | --paragraphs TEXT]
//! ```
//!
//! Writes `DIR/site.yml` and N fictional interviews as
//! `DIR/content/interviews/00001.md` … with YAML front matter and a body of
//! 1,500–4,000 characters of mixed Chinese/English Markdown. Article `i` depends
//! only on `i`, so a corpus of 100 is a prefix of a corpus of 10,000.
//!
//! The sentences come from small pools, so the corpus has a few thousand distinct
//! words, where a real archive has hundreds of thousands; that hides the cost of
//! anything that grows with the vocabulary, such as the search index. With
//! `--vocabulary WORDS` (a text file whose lines start with a word, such as the
//! cleaner's frequency list: `gzip -dc src/clean/data/jieba-dict.txt.gz > words.txt`)
//! half of the Chinese sentences are instead strings of words drawn from that file
//! (by the counts in its second field, when it has them).
//! Without it the corpus is the same as before the option existed.
//!
//! Words drawn independently still make random pairs of neighbours, which a search
//! index of character pairs counts as terms. With `--paragraphs TEXT` (any UTF-8 text
//! of running prose: paragraphs separated by blank lines) every paragraph of prose is
//! instead one of TEXT's paragraphs of at least 20 Chinese characters that is not a
//! heading, list, table, quote or code; the structure, front matter and code blocks
//! stay generated. Third-party text stays out of the repository: point it at a local
//! file (bench/search.md says what was used and how it was made).
//!
//! It uses the standard library only, so it also builds with plain
//! `rustc -O --edition 2024 examples/gen-corpus.rs` while the library is mid-edit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{env, fs, io};

/// Fixed seed: changing it changes every corpus and invalidates old measurements.
const SEED: u64 = 0x5645_5242_4154_494d; // "VERBATIM"
const MIN_BODY_CHARS: usize = 1_500;
const MAX_BODY_CHARS: usize = 4_000;
/// 2019-01-01 and 2024-12-31 as days since 1970-01-01.
const FIRST_DAY: i64 = 17_897;
const LAST_DAY: i64 = 20_088;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let (n, dir, vocabulary_file, paragraphs_file) = match args.as_slice() {
        [n, dir] => (n, dir, None, None),
        [n, dir, flag, file] if flag == "--vocabulary" => (n, dir, Some(PathBuf::from(file)), None),
        [n, dir, flag, file] if flag == "--paragraphs" => (n, dir, None, Some(PathBuf::from(file))),
        _ => return usage("expected N DIR [--vocabulary WORDS | --paragraphs TEXT]"),
    };
    let Ok(count) = n.parse::<usize>() else {
        return usage(&format!("N must be a whole number, got {n:?}"));
    };
    let dir = PathBuf::from(dir);
    let vocabulary = match vocabulary_file.as_deref().map(read_vocabulary).transpose() {
        Ok(vocabulary) => vocabulary.unwrap_or_default(),
        Err(err) => {
            let file = vocabulary_file.unwrap_or_default();
            eprintln!("gen-corpus: {}: {err}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let paragraphs = match paragraphs_file.as_deref().map(read_paragraphs).transpose() {
        Ok(paragraphs) => paragraphs.unwrap_or_default(),
        Err(err) => {
            let file = paragraphs_file.unwrap_or_default();
            eprintln!("gen-corpus: {}: {err}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let sources = Sources {
        vocabulary,
        paragraphs,
    };
    match generate(count, &dir, &sources) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen-corpus: {}: {err}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!(
        "gen-corpus: {problem}\nusage: gen-corpus N DIR [--vocabulary WORDS | --paragraphs TEXT]   (writes N articles under DIR)"
    );
    ExitCode::from(2)
}

/// Where the prose comes from besides the built-in pools.
#[derive(Default)]
struct Sources {
    /// Words for half of the Chinese sentences (`--vocabulary`), or none.
    vocabulary: Vocabulary,
    /// Paragraphs of running text for every paragraph of prose (`--paragraphs`), or none.
    paragraphs: Vec<String>,
}

/// Words to draw from, each as often as its weight says.
#[derive(Default)]
struct Vocabulary {
    words: Vec<String>,
    /// Running totals of the weights, for drawing by weight.
    cumulative: Vec<u64>,
}

impl Vocabulary {
    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative[self.cumulative.len() - 1];
        let target = rng.next_u64() % total;
        let at = self.cumulative.partition_point(|&c| c <= target);
        &self.words[at.min(self.words.len() - 1)]
    }
}

/// The Chinese words of a word list: the first field of each line, when every
/// character of it is a CJK ideograph, weighted by the second field when it is a
/// count (as in a frequency list), else by 1.
fn read_vocabulary(path: &Path) -> io::Result<Vocabulary> {
    let mut vocabulary = Vocabulary::default();
    let mut total = 0u64;
    for line in fs::read_to_string(path)?.lines() {
        let mut fields = line.split_whitespace();
        let Some(word) = fields.next() else { continue };
        if !word.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            continue;
        }
        total += fields
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1u64)
            .max(1);
        vocabulary.words.push(word.to_owned());
        vocabulary.cumulative.push(total);
    }
    if vocabulary.is_empty() {
        return Err(io::Error::other(
            "no Chinese word found (one word at the start of each line expected)",
        ));
    }
    Ok(vocabulary)
}

/// The paragraphs of `path` (blank-line separated) with at least 20 Chinese characters
/// that are prose: no heading, list, table, quote, HTML, image or code fence.
fn read_paragraphs(path: &Path) -> io::Result<Vec<String>> {
    const MIN_CHINESE: usize = 20;
    let text = fs::read_to_string(path)?;
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| {
            !p.contains("```")
                && !p.starts_with(['#', '|', '<', '!', '>', '-', '*', '+'])
                && p.chars()
                    .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                    .count()
                    >= MIN_CHINESE
        })
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect();
    if paragraphs.is_empty() {
        return Err(io::Error::other(
            "no paragraph of prose with 20 Chinese characters or more found",
        ));
    }
    Ok(paragraphs)
}

/// Writes the site settings and `count` articles under `dir`.
///
/// Refuses a non-empty `content/interviews` so that a stale, larger corpus is
/// never silently mixed into a smaller one.
fn generate(count: usize, dir: &Path, sources: &Sources) -> io::Result<()> {
    assert_fold_distinct("tag", TAGS);
    assert_fold_distinct("publication", PUBLICATIONS);
    let articles_dir = dir.join("content").join("interviews");
    if fs::read_dir(&articles_dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(io::Error::other(format!(
            "{} is not empty; remove it first",
            articles_dir.display()
        )));
    }
    fs::create_dir_all(&articles_dir)?;
    fs::write(
        dir.join("site.yml"),
        "title: \"Verbatim benchmark corpus\"\nbase_url: /\n",
    )?;
    let tag_picker = Zipf::new(TAGS.len());
    let publication_picker = Zipf::new(PUBLICATIONS.len());
    for index in 1..=count {
        let mut rng = Rng::new(SEED ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let article = write_article(&mut rng, &tag_picker, &publication_picker, sources);
        fs::write(articles_dir.join(format!("{index:05}.md")), article)?;
    }
    Ok(())
}

/// Panics if two entries of a pool would become the same taxonomy term once
/// case, full-width forms and punctuation are folded, as slugs and Hugo do.
fn assert_fold_distinct(kind: &str, pool: &[&str]) {
    let mut seen = std::collections::HashMap::new();
    for &name in pool {
        if let Some(other) = seen.insert(fold_key(name), name) {
            panic!("{kind} pool has {other:?} and {name:?}, which fold to the same term");
        }
    }
}

/// Lower-cased, width-folded alphanumerics of `name`.
fn fold_key(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            // Full-width ASCII block: U+FF01..U+FF5E maps onto U+0021..U+007E.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// splitmix64: tiny, fast, and good enough for picking phrases.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; the modulo bias is irrelevant for pools this small.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool[self.below(pool.len())]
    }

    /// `count` different entries of `pool`, in random order (partial Fisher–Yates).
    fn pick_distinct<'a>(&mut self, pool: &[&'a str], count: usize) -> Vec<&'a str> {
        let mut shuffled = pool.to_vec();
        for i in 0..count {
            let j = i + self.below(shuffled.len() - i);
            shuffled.swap(i, j);
        }
        shuffled.truncate(count);
        shuffled
    }
}

/// Zipf(s = 1) over ranks `0..n`: rank k has weight 1 / (k + 1), so a few tags
/// are everywhere and most are rare, as in a real archive.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let target = rng.unit() * self.cumulative[self.cumulative.len() - 1];
        self.cumulative
            .partition_point(|&c| c <= target)
            .min(self.cumulative.len() - 1)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Zh,
    En,
}

/// The parts of one article that several sections refer to.
struct Subject<'a> {
    lang: Lang,
    interviewee: String,
    tags: Vec<&'a str>,
    /// Word lists and paragraphs to draw prose from.
    sources: &'a Sources,
}

impl Subject<'_> {
    /// A topic to talk about: one of the article's tags or a general one.
    fn topic(&self, rng: &mut Rng) -> String {
        if rng.chance(0.4) {
            self.tags[rng.below(self.tags.len())].to_owned()
        } else {
            rng.pick(TOPICS).to_owned()
        }
    }

    /// Expands `{topic}`, `{thing}`, `{name}`, `{year}` and `{n}` in `template`.
    fn fill(&self, rng: &mut Rng, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = start + rest[start..].find('}').expect("unclosed slot in template");
            match &rest[start + 1..end] {
                "topic" => out.push_str(&self.topic(rng)),
                "thing" => out.push_str(rng.pick(THINGS)),
                "name" => out.push_str(&self.interviewee),
                "year" => write!(out, "{}", rng.between(1998, 2023)).unwrap(),
                "n" => write!(out, "{}", rng.between(2, 40)).unwrap(),
                slot => panic!("unknown slot {{{slot}}} in template {template:?}"),
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        match self.lang {
            Lang::Zh if !self.sources.vocabulary.is_empty() && rng.chance(0.5) => {
                let mut s: String = (0..rng.between(4, 12))
                    .map(|_| self.sources.vocabulary.draw(rng))
                    .collect();
                s.push('。');
                s
            }
            Lang::Zh => {
                let mut template = rng.pick(ZH_OPENERS).to_owned() + rng.pick(ZH_CLAUSES);
                if rng.chance(0.4) {
                    template.push('，');
                    template += rng.pick(ZH_CLAUSES);
                }
                let mut s = self.fill(rng, &template);
                s.push('。');
                s
            }
            Lang::En => {
                let template = rng.pick(EN_OPENERS).to_owned() + rng.pick(EN_CLAUSES);
                let mut s = self.fill(rng, &template);
                if rng.chance(0.15) {
                    write!(s, " — as the saying goes, “{}”", rng.pick(ZH_SAYINGS)).unwrap();
                }
                s.push('.');
                capitalise_first(&s)
            }
        }
    }

    /// Between `fewest` and `most` sentences, or one paragraph of `--paragraphs`.
    fn paragraph(&self, rng: &mut Rng, fewest: usize, most: usize) -> String {
        let paragraphs = &self.sources.paragraphs;
        if !paragraphs.is_empty() {
            return paragraphs[rng.below(paragraphs.len())].clone();
        }
        let sentences = rng.between(fewest, most);
        let separator = if self.lang == Lang::Zh { "" } else { " " };
        (0..sentences)
            .map(|_| self.sentence(rng))
            .collect::<Vec<_>>()
            .join(separator)
    }
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One whole article: front matter and body.
fn write_article(
    rng: &mut Rng,
    tag_picker: &Zipf,
    publication_picker: &Zipf,
    sources: &Sources,
) -> String {
    let lang = if rng.chance(0.6) { Lang::Zh } else { Lang::En };
    let interviewee = person_name(rng);
    let interviewer = STAFF[rng.below(STAFF.len())];
    let publication = PUBLICATIONS[publication_picker.sample(rng)];
    let mut tags: Vec<&str> = Vec::new();
    let tag_count = rng.between(2, 5);
    while tags.len() < tag_count {
        let tag = TAGS[tag_picker.sample(rng)];
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let subject = Subject {
        lang,
        interviewee,
        tags,
        sources,
    };
    let (title_pool, summary_pool) = match lang {
        Lang::Zh => (ZH_TITLES, ZH_SUMMARIES),
        Lang::En => (EN_TITLES, EN_SUMMARIES),
    };
    let title_template = rng.pick(title_pool);
    let title = subject.fill(rng, title_template);
    let summary_template = rng.pick(summary_pool);
    let summary = subject.fill(rng, summary_template);
    let date = timestamp(rng);

    let mut out = String::with_capacity(MAX_BODY_CHARS * 3 + 512);
    out.push_str("---\n");
    writeln!(out, "title: {}", yaml_quote(&title)).unwrap();
    writeln!(out, "date: {date}").unwrap();
    writeln!(out, "interviewee: {}", yaml_quote(&subject.interviewee)).unwrap();
    writeln!(out, "interviewer: {}", yaml_quote(interviewer)).unwrap();
    writeln!(out, "publication: {}", yaml_quote(publication)).unwrap();
    let tag_list: Vec<String> = subject.tags.iter().map(|t| yaml_quote(t)).collect();
    writeln!(out, "tags: [{}]", tag_list.join(", ")).unwrap();
    writeln!(out, "summary: {}", yaml_quote(&summary)).unwrap();
    writeln!(out, "lang: {}", if lang == Lang::Zh { "zh" } else { "en" }).unwrap();
    out.push_str("---\n\n");
    out.push_str(&body(rng, &subject));
    out
}

/// Chinese or English fictional name, from pools large enough that people recur
/// across articles (a realistic "interviewees" taxonomy) without dominating it.
fn person_name(rng: &mut Rng) -> String {
    if rng.chance(0.6) {
        format!("{}{}", rng.pick(ZH_SURNAMES), rng.pick(ZH_GIVEN_NAMES))
    } else {
        format!("{} {}", rng.pick(EN_GIVEN_NAMES), rng.pick(EN_SURNAMES))
    }
}

/// `YYYY-MM-DD hh:mm:ss` between 2019 and 2024.
fn timestamp(rng: &mut Rng) -> String {
    let day = FIRST_DAY + rng.between(0, (LAST_DAY - FIRST_DAY) as usize) as i64;
    let (year, month, date) = civil_from_days(day);
    let seconds = rng.below(86_400);
    format!(
        "{year:04}-{month:02}-{date:02} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A YAML double-quoted scalar; safe for any text, including `:`, `#` and quotes.
fn yaml_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Markdown body: an introduction, Q&A turns with a heading, a blockquote,
/// a list, sometimes a table, and for about one article in ten a code block and
/// a footnote. Filler turns are added until a random target length is reached,
/// never past [`MAX_BODY_CHARS`].
fn body(rng: &mut Rng, subject: &Subject) -> String {
    let target = rng.between(MIN_BODY_CHARS, MAX_BODY_CHARS - 400);
    let technical = rng.chance(0.1);
    let zh = subject.lang == Lang::Zh;

    let mut blocks: Vec<String> = Vec::new();
    blocks.push(subject.paragraph(rng, 2, 3));
    blocks.push(heading(rng, subject));
    blocks.push(turn(rng, subject, false));
    blocks.push(format!("> {}", subject.paragraph(rng, 1, 2)));
    blocks.push(turn(rng, subject, technical));
    blocks.push(list(rng, subject));
    if rng.chance(0.3) {
        blocks.push(table(rng, subject));
    }
    if technical {
        blocks.push(code_block(rng));
    }
    let second_heading = rng.chance(0.6);
    let footnote = if technical {
        let note = if zh {
            "此处为受访者事后补充的说明。"
        } else {
            "The interviewee added this note after the conversation."
        };
        let separator = if zh { "" } else { " " };
        format!("[^1]: {note}{separator}{}", subject.sentence(rng))
    } else {
        String::new()
    };

    let mut length: usize =
        blocks.iter().map(|b| b.chars().count() + 2).sum::<usize>() + footnote.chars().count();
    let mut turns_added = 0;
    while length < target {
        let mut next = turn(rng, subject, false);
        if second_heading && turns_added == 1 {
            next = format!("{}\n\n{next}", heading(rng, subject));
        }
        let next_length = next.chars().count() + 2;
        if length + next_length > MAX_BODY_CHARS {
            break;
        }
        length += next_length;
        blocks.push(next);
        turns_added += 1;
    }
    if !footnote.is_empty() {
        blocks.push(footnote);
    }
    // Pad short bodies with a closing paragraph so none falls under the minimum.
    while length < MIN_BODY_CHARS {
        let closing = subject.paragraph(rng, 2, 2);
        length += closing.chars().count() + 2;
        blocks.push(closing);
    }
    let mut text = blocks.join("\n\n");
    text.push('\n');
    text
}

fn heading(rng: &mut Rng, subject: &Subject) -> String {
    let pool = if subject.lang == Lang::Zh {
        ZH_HEADINGS
    } else {
        EN_HEADINGS
    };
    let template = rng.pick(pool);
    format!("## {}", subject.fill(rng, template))
}

/// A bold question and a bold answer. The closing `**` is followed by a space:
/// CommonMark does not close emphasis between full-width punctuation and a letter.
fn turn(rng: &mut Rng, subject: &Subject, with_footnote: bool) -> String {
    let (question_pool, q, a) = match subject.lang {
        Lang::Zh => (ZH_QUESTIONS, "**问：**", "**答：**"),
        Lang::En => (EN_QUESTIONS, "**Q:**", "**A:**"),
    };
    let question_template = rng.pick(question_pool);
    let question = subject.fill(rng, question_template);
    let mut answer = subject.paragraph(rng, 2, 5);
    if with_footnote {
        answer.push_str("[^1]");
    }
    format!("{q} {question}\n\n{a} {answer}")
}

fn list(rng: &mut Rng, subject: &Subject) -> String {
    let (lead, pool) = match subject.lang {
        Lang::Zh => ("回头看，有几件事最重要：", ZH_LIST_ITEMS),
        Lang::En => ("Looking back, a few things mattered most:", EN_LIST_ITEMS),
    };
    let mut out = format!("{lead}\n");
    let count = rng.between(3, 5);
    for template in rng.pick_distinct(pool, count) {
        let item = subject.fill(rng, template);
        write!(out, "\n- {item}").unwrap();
    }
    out
}

fn table(rng: &mut Rng, subject: &Subject) -> String {
    let (header, notes) = match subject.lang {
        Lang::Zh => ("| 年份 | 项目 | 备注 |", ZH_TABLE_NOTES),
        Lang::En => ("| Year | Project | Note |", EN_TABLE_NOTES),
    };
    let mut out = format!("{header}\n| --- | --- | --- |");
    let mut year = rng.between(2008, 2016);
    for _ in 0..rng.between(2, 4) {
        write!(
            out,
            "\n| {year} | {} | {} |",
            rng.pick(THINGS),
            rng.pick(notes)
        )
        .unwrap();
        year += rng.between(1, 3);
    }
    out
}

fn code_block(rng: &mut Rng) -> String {
    let (language, pool) = match rng.below(3) {
        0 => ("rust", RUST_SNIPPETS),
        1 => ("python", PYTHON_SNIPPETS),
        _ => ("bash", BASH_SNIPPETS),
    };
    let code = rng
        .pick(pool)
        .replace("{field}", rng.pick(FIELDS))
        .replace("{n}", &rng.between(2, 500).to_string());
    format!("```{language}\n{code}\n```")
}

// ---------------------------------------------------------------------------
// Phrase pools. All written for this generator; people and publications are
// fictional. Nothing here may contain Markdown syntax outside of inline code.
// ---------------------------------------------------------------------------

/// ~200 tags, Chinese first, then English; Zipf rank follows this order, so the
/// head of each half is common and the tail rare.
const TAGS: &[&str] = &[
    "人工智能",
    "开源",
    "Rust",
    "创业",
    "设计",
    "编程语言",
    "机器学习",
    "Python",
    "出版",
    "数据库",
    "写作",
    "教育",
    "Linux",
    "分布式系统",
    "翻译",
    "JavaScript",
    "产品",
    "网络安全",
    "云计算",
    "隐私",
    "open source",
    "文学",
    "电影",
    "音乐",
    "startups",
    "摄影",
    "建筑",
    "城市",
    "typography",
    "科学",
    "物理",
    "生物",
    "医学",
    "心理学",
    "经济",
    "金融",
    "历史",
    "哲学",
    "社会学",
    "新闻",
    "媒体",
    "游戏",
    "硬件",
    "芯片",
    "机器人",
    "自动驾驶",
    "能源",
    "气候",
    "环境",
    "农业",
    "食物",
    "旅行",
    "体育",
    "艺术",
    "博物馆",
    "诗歌",
    "小说",
    "漫画",
    "动画",
    "播客",
    "职业",
    "管理",
    "团队",
    "远程办公",
    "招聘",
    "面试",
    "性能优化",
    "前端",
    "后端",
    "移动开发",
    "操作系统",
    "编译器",
    "函数式编程",
    "测试",
    "运维",
    "可观测性",
    "数据可视化",
    "搜索引擎",
    "推荐系统",
    "自然语言处理",
    "计算机视觉",
    "开发者工具",
    "社区",
    "开源许可",
    "标准化",
    "互联网治理",
    "数字人文",
    "档案",
    "图书馆",
    "口述历史",
    "纪录片",
    "戏剧",
    "舞蹈",
    "时尚",
    "咖啡",
    "烹饪",
    "健康",
    "育儿",
    "公益",
    "法律",
    "航天",
    "天文",
    "数学",
    "AI",
    "TypeScript",
    "Go",
    "Haskell",
    "OCaml",
    "Erlang",
    "Elixir",
    "Kotlin",
    "Swift",
    "Zig",
    "Lisp",
    "WebAssembly",
    "FreeBSD",
    "Kubernetes",
    "PostgreSQL",
    "SQLite",
    "GraphQL",
    "accessibility",
    "open data",
    "venture capital",
    "UX research",
    "game design",
    "indie games",
    "science fiction",
    "jazz",
    "film photography",
    "urbanism",
    "cycling",
    "climate tech",
    "robotics",
    "embedded systems",
    "RISC-V",
    "FPGA",
    "databases",
    "distributed computing",
    "observability",
    "security research",
    "cryptography",
    "privacy engineering",
    "developer experience",
    "documentation",
    "technical writing",
    "product management",
    "remote work",
    "hiring",
    "mentorship",
    "burnout",
    "leadership",
    "funding",
    "nonprofits",
    "public health",
    "bioinformatics",
    "neuroscience",
    "astronomy",
    "space",
    "oceans",
    "agriculture",
    "food systems",
    "architecture",
    "industrial design",
    "graphic design",
    "fonts",
    "bookbinding",
    "libraries",
    "archives",
    "oral history",
    "journalism",
    "podcasting",
    "radio",
    "documentary",
    "theatre",
    "dance",
    "poetry",
    "translation",
    "linguistics",
    "language learning",
    "education policy",
    "math education",
    "chess",
    "board games",
    "speedrunning",
    "retro computing",
    "home labs",
    "self hosting",
    "static sites",
    "web standards",
    "browsers",
    "compilers",
    "type systems",
    "formal methods",
    "concurrency",
    "performance",
    "benchmarks",
    "testing",
    "continuous integration",
];

/// ~30 fictional publications, Chinese and English.
const PUBLICATIONS: &[&str] = &[
    "晨光周刊",
    "长河评论",
    "青苔杂志",
    "灯塔技术报",
    "白鹭观察",
    "北窗读书",
    "山海访谈录",
    "纸船月刊",
    "星野周报",
    "回声评论",
    "半亩书房",
    "雾港日报",
    "松间杂志",
    "拾光季刊",
    "远山周末",
    "The Lantern Review",
    "Copper Kettle Weekly",
    "The Quiet Signal",
    "Northbound Tech",
    "Meridian Letters",
    "Field Notes Monthly",
    "Paper Boat Journal",
    "The Long Table",
    "Open Circuit",
    "Slow Light Magazine",
    "Bramble Press Review",
    "Lowtide Dispatch",
    "Saltmarsh Quarterly",
    "The Ninth Shelf",
    "Kiln and Compass",
];

/// Staff interviewers: a small, fixed group, as at a real publication.
const STAFF: &[&str] = &[
    "沈听雨",
    "顾南星",
    "宋知白",
    "韩一苇",
    "陆青禾",
    "秦望川",
    "白晚舟",
    "温如初",
    "Nell Ashdown",
    "Theo Marchetti",
    "Ruth Okonkwo",
    "Sami Varga",
    "Lucia Brandt",
    "Ivo Kessler",
    "June Takeda",
    "Owen Farrow",
];

const ZH_SURNAMES: &[&str] = &[
    "林", "陈", "周", "吴", "郑", "王", "李", "张", "刘", "赵", "孙", "何", "许", "冯", "邓", "曹",
    "彭", "曾", "萧", "田", "董", "潘", "袁", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
];

const ZH_GIVEN_NAMES: &[&str] = &[
    "晓岚", "子墨", "若溪", "一帆", "思远", "嘉怡", "明哲", "雨桐", "浩然", "静姝", "安然", "书言",
    "听澜", "知秋", "景行", "云舒", "清越", "沐阳", "望舒", "疏影", "星河", "远舟", "未央", "半夏",
    "长风", "问渠", "砚秋", "溪亭", "北辰", "念初", "若愚", "拾遗", "云起", "南乔", "少游", "惊鸿",
];

const EN_GIVEN_NAMES: &[&str] = &[
    "Mara", "Tobias", "Ines", "Kwame", "Priya", "Jonas", "Leila", "Ruben", "Astrid", "Mateo",
    "Yusuf", "Hana", "Oskar", "Noor", "Felix", "Marisol", "Dmitri", "Ada", "Caleb", "Freya",
    "Anselm", "Bea", "Cyrus", "Delphine", "Emeka", "Greta", "Hugo", "Imani", "Joaquin", "Kaia",
];

const EN_SURNAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Halvorsen",
    "Castellanos",
    "Brightwater",
    "Voss",
    "Achterberg",
    "Quill",
    "Marlowe",
    "Tennant",
    "Fairweather",
    "Oduya",
    "Rasmussen",
    "Delacroix",
    "Pemberton",
    "Szabo",
    "Whitlock",
    "Yilmaz",
    "Ferreira",
    "Hollis",
    "Novak",
    "Strand",
    "Aldana",
    "Birch",
    "Calloway",
    "Dunmore",
    "Esposito",
    "Galloway",
    "Hartigan",
];

/// General topics; several English terms land in Chinese text on purpose.
const TOPICS: &[&str] = &[
    "开源社区",
    "代码评审",
    "Rust",
    "编译器",
    "排版",
    "口述历史",
    "CI 流水线",
    "数据库迁移",
    "长期维护",
    "文档",
    "用户研究",
    "LLM",
    "API 设计",
    "Cargo",
    "Markdown",
    "SQLite",
    "远程协作",
    "技术写作",
    "设计系统",
    "性能调优",
    "可访问性",
    "archive",
    "open data",
    "release engineering",
    "code review",
    "type systems",
    "field recording",
    "community",
    "small teams",
    "documentation",
];

const THINGS: &[&str] = &[
    "构建系统",
    "搜索功能",
    "排版引擎",
    "数据管道",
    "发布流程",
    "测试套件",
    "索引",
    "插件机制",
    "权限模型",
    "缓存层",
    "the build system",
    "the search index",
    "the editor",
    "the release process",
    "the test suite",
    "the plugin API",
    "the data pipeline",
    "the style guide",
    "the archive",
    "the scheduler",
];

const ZH_OPENERS: &[&str] = &[
    "",
    "",
    "我觉得",
    "说实话，",
    "回头看，",
    "很多人以为",
    "其实",
    "在我们团队里，",
    "那几年",
    "最开始的时候，",
    "坦白讲，",
    "后来我们发现",
    "我一直相信",
    "对我来说，",
    "有一段时间，",
];

const ZH_CLAUSES: &[&str] = &[
    "{topic}并不是一个单纯的技术问题",
    "真正难的是让大家愿意慢下来",
    "我们花了{n}个月才把{thing}重写完",
    "{topic}最重要的是耐心",
    "每一次改动都要先写清楚为什么",
    "{year}年那次失败教会了我很多",
    "用户其实并不关心{thing}用了什么语言",
    "我们把{thing}拆成了{n}个小模块",
    "好的{topic}应该让新人在一周内上手",
    "写文档比写代码更需要勇气",
    "我们每周都会一起读一遍{thing}的代码",
    "{topic}和{topic}之间其实没有那么远",
    "那时候谁也没想到{topic}会变得这么重要",
    "最难的部分往往不在代码里",
    "我更愿意把时间花在{thing}上",
    "社区里的讨论让{topic}变得更好",
    "我们在{year}年第一次公开了{thing}",
    "{name}这个名字后来成了团队里的一个玩笑",
    "一个简单的 `git log` 就能看出很多东西",
    "如果没有{topic}，我们可能早就放弃了",
    "评审时我们只问一个问题：它能不能被删掉",
    "数据从来不会自己说话",
    "我们用 Python 写了第一个原型",
    "后来又用 Rust 重写了{thing}",
    "读者的来信比任何指标都诚实",
];

const EN_OPENERS: &[&str] = &[
    "",
    "",
    "honestly, ",
    "looking back, ",
    "for a long time ",
    "what surprised me is that ",
    "in our team ",
    "I think ",
    "the truth is that ",
    "after {year} ",
    "early on, ",
    "to be fair, ",
];

const EN_CLAUSES: &[&str] = &[
    "the hardest part of {topic} was never the code",
    "we rewrote {thing} {n} times before it felt right",
    "{topic} rewards patience more than cleverness",
    "nobody reads the changelog until something breaks",
    "we split {thing} into {n} small pieces",
    "good tooling for {topic} lets a newcomer contribute in a week",
    "the people who complain are the people who care",
    "{topic} and {topic} are closer than they look",
    "we shipped {thing} in {year} and learned a lot from the bug reports",
    "every change had to explain itself in the commit message",
    "the first prototype was a Python script on my laptop",
    "we moved {thing} to Rust once the shape was clear",
    "a plain `git log` tells you more than any dashboard",
    "readers notice when the typography is careless",
    "the archive outlives every tool we used to build it",
    "{name} kept asking whether we could delete it instead",
    "most of the work was deciding what not to build",
    "we read {thing} together every Friday",
    "small teams can afford to be opinionated",
    "the numbers only made sense once we talked to the users",
];

/// Common proverbs, quoted in English answers.
const ZH_SAYINGS: &[&str] = &[
    "慢工出细活",
    "水滴石穿",
    "知易行难",
    "三思而后行",
    "温故而知新",
];

const ZH_QUESTIONS: &[&str] = &[
    "你是怎么开始接触{topic}的？",
    "{topic}这几年最大的变化是什么？",
    "如果重来一次，你会怎么做{thing}？",
    "团队里有人反对吗？",
    "你怎么看待外界对{topic}的批评？",
    "{year}年发生了什么？",
    "新人最常犯的错误是什么？",
    "你们是怎么决定先做{thing}的？",
    "有没有哪一次让你想放弃？",
    "接下来最想做的是什么？",
];

const EN_QUESTIONS: &[&str] = &[
    "How did you first get into {topic}?",
    "What changed most about {topic} in recent years?",
    "If you started over, how would you build {thing}?",
    "Did anyone on the team disagree?",
    "What do you make of the criticism of {topic}?",
    "What happened in {year}?",
    "What mistake do newcomers make most often?",
    "Why did you start with {thing}?",
    "Was there a moment you wanted to give up?",
    "What are you most excited to work on next?",
];

const ZH_HEADINGS: &[&str] = &[
    "从{topic}说起",
    "关于{thing}",
    "转折点",
    "下一步",
    "{year}年",
    "慢下来",
];

const EN_HEADINGS: &[&str] = &[
    "Starting with {topic}",
    "On {thing}",
    "The turning point",
    "What comes next",
    "Back in {year}",
    "Slowing down",
];

const ZH_LIST_ITEMS: &[&str] = &[
    "先把{thing}写清楚，再谈优化",
    "每周留一个下午给{topic}",
    "让新人先修文档里的错",
    "评审时多问一句为什么",
    "不要害怕删代码",
    "和读者保持联系",
    "把{topic}当成长期的事",
];

const EN_LIST_ITEMS: &[&str] = &[
    "write down how {thing} works before optimising it",
    "keep one afternoon a week for {topic}",
    "let newcomers fix the documentation first",
    "ask why once more during review",
    "delete code without fear",
    "stay in touch with readers",
    "treat {topic} as a long game",
];

const ZH_TABLE_NOTES: &[&str] = &[
    "第一次公开发布",
    "重写",
    "团队扩大到十人",
    "停止维护",
    "迁移到新平台",
    "获得资助",
];

const EN_TABLE_NOTES: &[&str] = &[
    "first public release",
    "rewrite",
    "team grew to ten",
    "maintenance mode",
    "moved to a new platform",
    "received funding",
];

/// Field names substituted into code snippets.
const FIELDS: &[&str] = &["word_count", "year", "score", "pages", "retries"];

const RUST_SNIPPETS: &[&str] = &[
    "fn count_long(items: &[Interview]) -> usize {\n    items.iter().filter(|item| item.{field} > {n}).count()\n}",
    "let total: u64 = records\n    .iter()\n    .map(|record| record.{field} as u64)\n    .sum();\nprintln!(\"total = {total}, limit = {n}\");",
    "#[derive(Debug, Clone)]\nstruct Entry {\n    {field}: u32,\n}\n\nimpl Entry {\n    fn is_large(&self) -> bool {\n        self.{field} > {n}\n    }\n}",
];

const PYTHON_SNIPPETS: &[&str] = &[
    "def count_long(rows):\n    return sum(1 for row in rows if row[\"{field}\"] > {n})",
    "import json\n\nwith open(\"archive.json\") as f:\n    data = json.load(f)\nprint(max(item[\"{field}\"] for item in data), {n})",
    "from collections import Counter\n\ncounts = Counter(row[\"{field}\"] for row in rows)\nfor value, seen in counts.most_common({n}):\n    print(value, seen)",
];

const BASH_SNIPPETS: &[&str] = &[
    "find content -name '*.md' | xargs grep -l '{field}' | wc -l",
    "for f in content/*.md; do\n  head -n {n} \"$f\" | grep -q '^{field}:' || echo \"$f\"\ndone",
    "git log --since='{n} weeks ago' --oneline -- content/ | wc -l",
];

const ZH_TITLES: &[&str] = &[
    "{name}：{topic}是一场慢功夫",
    "和{name}聊{topic}",
    "{topic}之外：{name}谈{thing}",
    "{name}访谈：从{topic}到{topic}",
    "“先把事情做对”——{name}谈{topic}",
    "{name}：我们为什么重写{thing}",
    "{year}年以后的{topic}：对话{name}",
];

const EN_TITLES: &[&str] = &[
    "{name} on {topic}",
    "Why {topic} needs patience: a conversation with {name}",
    "\"Good enough\" is a decision: {name} on {thing}",
    "{name}: from {topic} to {topic}",
    "After {year}: {name} looks back at {topic}",
    "{name} on rewriting {thing} (and why #{n} stuck)",
];

const ZH_SUMMARIES: &[&str] = &[
    "{name}谈{topic}、{topic}，以及{thing}背后的取舍。",
    "从{year}年说起，{name}回顾了{topic}的得失。",
    "{name}认为{topic}最需要的是耐心。",
];

const EN_SUMMARIES: &[&str] = &[
    "{name} talks about {topic}, {topic} and the trade-offs behind {thing}.",
    "Starting from {year}, {name} looks back at what {topic} got right and wrong.",
    "{name} argues that {topic} needs patience more than talent.",
];
