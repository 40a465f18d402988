//! `verbatim clean`: raw scraped pages → clean, reviewable Markdown articles.
//!
//! [`decode`] turns bytes into text and [`extract`] text into blocks; then the passes
//! of [`pipeline::PASSES`] run in order over one [`pipeline::PageState`] — sanitize,
//! flatten, layout (chrome, brand, title), metadata, prose, spam, pinyin, emoji, junk,
//! foreign, despin — each in its own module, each recording every change with a reason
//! (and what it kept as suspect) in the [`Report`]; [`format`] writes the Markdown.
//! [`clean_document`] cleans one page; [`files::run`] cleans files and folders in
//! parallel and writes the articles.

pub mod chrome;
pub mod decode;
pub mod despin;
pub mod dict;
pub mod diff;
pub mod emoji;
pub mod extract;
pub mod files;
pub mod flatten;
pub mod foreign;
pub mod format;
pub mod junk;
pub mod layout;
pub mod lexicon;
pub mod markdown;
pub mod metadata;
pub mod pinyin;
pub mod pipeline;
pub mod prose;
pub mod report;
pub mod review;
pub mod sanitize;
pub mod spam;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::CleanConfig;
pub use files::{CleanOptions, CleanOutcome, FileDone, FileOutcome, run, run_with_progress};
pub use report::{Change, ChangeKind, Report, Suspect};

/// The language of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The code written to front matter.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// Which language to assume: detect it, or force one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LangChoice {
    /// Chinese when most letters are CJK.
    #[default]
    Auto,
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// The cleaner's settings: site.yml's `clean:` section plus command-line choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanSettings {
    /// The language to assume.
    pub lang: LangChoice,
    /// Extra spam brands, removed wherever they appear in the body.
    pub brands: Vec<String>,
    /// Extra keywords to look for as injected.
    pub keywords: Vec<String>,
    /// Extra spinner pairs, `spun=original`, applied on spun pages.
    pub spin_pairs: Vec<String>,
    /// The user's thesaurus (site.yml `clean.thesaurus`), read once for all pages.
    pub thesaurus: Option<std::sync::Arc<despin::Thesaurus>>,
    /// Apply middle-confidence restorations too, instead of listing them as suspects.
    pub aggressive: bool,
    /// Restore every page as a spun one, whatever the page gate says (`--spun`).
    pub assume_spun: bool,
    /// Turn half-width `,:;?!()` next to CJK text into full width.
    pub fullwidth_punctuation: bool,
    /// Pages larger than this are refused.
    pub max_input_bytes: usize,
}

/// The largest page read by default: 32 MiB, far above any real article.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

impl Default for CleanSettings {
    fn default() -> Self {
        CleanSettings {
            lang: LangChoice::Auto,
            brands: Vec::new(),
            keywords: Vec::new(),
            spin_pairs: Vec::new(),
            thesaurus: None,
            aggressive: false,
            assume_spun: false,
            fullwidth_punctuation: true,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
        }
    }
}

impl From<&CleanConfig> for CleanSettings {
    fn from(config: &CleanConfig) -> Self {
        CleanSettings {
            brands: config.brands.clone(),
            keywords: config.keywords.clone(),
            spin_pairs: config.spin_pairs.clone(),
            fullwidth_punctuation: config.fullwidth_punctuation,
            ..CleanSettings::default()
        }
    }
}

/// Why a page could not be cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Larger than the limit.
    TooLarge {
        /// The page's size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Empty, binary or undecodable.
    Decode(decode::DecodeError),
    /// No block of text that could be an article, and fewer than two paragraphs of
    /// prose anywhere on the page.
    NotAnArticle,
    /// The input is not a regular file (a FIFO, a device, a folder).
    NotAFile,
    /// The input could not be read.
    Unreadable(String),
    /// The article it gives exists already and `--force` was not given.
    OutputExists(PathBuf),
    /// Another input gives the same article.
    OutputClash {
        /// The article both would write.
        output: PathBuf,
        /// The other input.
        other: PathBuf,
    },
    /// The article could not be written.
    WriteFailed {
        /// The article.
        output: PathBuf,
        /// The system's message.
        error: String,
    },
    /// A spinner pair in site.yml is malformed.
    BadSpinPair(despin::TableError),
}

/// A page that could not be cleaned, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CleanError {
    /// The input, as given (a file name for [`clean_document`], a path for [`run`]).
    pub path: PathBuf,
    /// What went wrong.
    pub problem: Problem,
}

impl fmt::Display for CleanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.path.display();
        match &self.problem {
            Problem::TooLarge { size, limit } => write!(
                f,
                "{file}: the page is {:.1} MiB, more than the {:.0} MiB the cleaner reads; \
                 check that it is one article, or split it",
                *size as f64 / 1048576.0,
                *limit as f64 / 1048576.0
            ),
            Problem::Decode(error) => write!(f, "{file}: {error}"),
            Problem::NotAnArticle => write!(
                f,
                "{file}: nothing article-like found (fewer than two paragraphs of prose \
                 outside the site's chrome); check that this is the article page"
            ),
            Problem::NotAFile => write!(
                f,
                "{file}: not a regular file (a pipe, a device or a folder); give the \
                 saved page itself"
            ),
            Problem::Unreadable(error) => write!(f, "{file}: cannot read it: {error}"),
            Problem::OutputExists(output) => write!(
                f,
                "{file}: {} already exists; pass --force to overwrite it",
                output.display()
            ),
            Problem::OutputClash { output, other } => write!(
                f,
                "{file}: would write {}, as {} does; rename one of them",
                output.display(),
                other.display()
            ),
            Problem::WriteFailed { output, error } => {
                write!(f, "{file}: cannot write {}: {error}", output.display())
            }
            Problem::BadSpinPair(error) => {
                write!(f, "{file}: site.yml clean.spin_pairs: {error}")
            }
        }
    }
}

/// One cleaned page.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// The front matter to write.
    pub front: markdown::FrontMatter,
    /// The Markdown body.
    pub body: String,
    /// The article's text as extracted, before spam removal and despinning (for
    /// the diff).
    pub before: String,
    /// The article's text after the passes, before Markdown formatting (for the diff).
    pub after: String,
    /// Every change made.
    pub report: Report,
    /// The encoding the page was read as.
    pub encoding: &'static str,
    /// Whether mojibake was repaired.
    pub mojibake_repaired: bool,
}

impl Cleaned {
    /// The article file: front matter and body.
    pub fn article(&self) -> String {
        markdown::article(&self.front, &self.body)
    }

    /// A word-level diff of the article text before and after the cleaning passes.
    pub fn diff(&self, color: bool) -> String {
        diff::word_diff(&self.before, &self.after, color)
    }
}

/// Reads the non-empty, non-comment lines of an embedded data file.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The language of a text: Chinese when CJK characters carry most of it.
pub fn detect_lang(text: &str) -> Lang {
    const READ: usize = 20_000;
    let read = text.chars().count().min(READ);
    let (mut cjk, mut latin) = (0usize, 0usize);
    for (seen, c) in text.chars().take(READ).enumerate() {
        // ASCII first: no CJK character is, and its letters need no Unicode table.
        if c.is_ascii() {
            latin += usize::from(c.is_ascii_alphabetic());
        } else if crate::text::is_cjk(c) {
            cjk += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
        // Each character left adds at most one CJK character or one letter: once
        // neither could turn the answer, the rest is not read.
        let left = read - seen - 1;
        if cjk * 3 >= latin + left {
            return Lang::Zh;
        }
        if (cjk + left) * 3 < latin {
            return Lang::En;
        }
    }
    // A CJK character carries about as much as a short Latin word.
    if cjk * 3 >= latin { Lang::Zh } else { Lang::En }
}

/// Cleans one page: decode, extract, the passes in order, format; nothing read or
/// written but the bytes given.
pub fn clean_document(
    bytes: &[u8],
    file_name: &str,
    settings: &CleanSettings,
) -> Result<Cleaned, CleanError> {
    let fail = |problem| CleanError {
        path: PathBuf::from(file_name),
        problem,
    };
    if bytes.len() > settings.max_input_bytes {
        return Err(fail(Problem::TooLarge {
            size: bytes.len(),
            limit: settings.max_input_bytes,
        }));
    }
    let user_spin = if settings.spin_pairs.is_empty() {
        None
    } else {
        Some(
            despin::SpinTable::from_pairs(&settings.spin_pairs)
                .map_err(|e| fail(Problem::BadSpinPair(e)))?,
        )
    };
    let decoded = decode::decode(bytes).map_err(|e| fail(Problem::Decode(e)))?;
    let html = extract::is_html(file_name, &decoded.text);
    let mut state = pipeline::PageState {
        file_name: file_name.to_string(),
        page: extract::extract(&decoded.text, html),
        user_spin,
        ..pipeline::PageState::default()
    };
    pipeline::run(&mut state, settings).map_err(fail)?;
    Ok(finish(
        state,
        settings,
        decoded.encoding,
        decoded.mojibake_repaired,
    ))
}

/// Turns the state the passes left into the article: Markdown body and front matter.
fn finish(
    mut state: pipeline::PageState,
    settings: &CleanSettings,
    encoding: &'static str,
    mojibake_repaired: bool,
) -> Cleaned {
    let lang = state.language();
    let fullwidth = lang == Lang::Zh && settings.fullwidth_punctuation;
    let meta = std::mem::take(&mut state.meta);
    let mut report = std::mem::take(&mut state.report);
    let mut title = meta.title;
    let mut summary = meta.summary;
    if fullwidth {
        title = format::fullwidth_punctuation(&title, 0, &mut report);
        summary = summary.map(|s| format::fullwidth_punctuation(&s, 0, &mut report));
    }
    if title.is_empty() {
        // The body as cleaned, so spam cannot stand in for the title.
        title = metadata::first_sentence(&state.body_text());
        report
            .draft_reasons
            .push("no title on the page: its first sentence stands in".to_string());
        // A first line that is the whole stand-in (a headline too short to be taken
        // as one, `米雪`) moves to the title rather than stand twice.
        if state.body.len() > 1 && !title.is_empty() && state.body[0].text.trim() == title {
            let line = state.body.remove(0);
            report.push_noted(
                ChangeKind::MetadataTaken,
                line.number,
                line.text,
                "a first line that is the whole stand-in title",
            );
        }
    }
    if title.is_empty() {
        title = Path::new(&state.file_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| state.file_name.clone());
    }
    let mut interviewees = meta.interviewees;
    if interviewees.is_empty() {
        // A label of one letter or 甲 marks turns but names nobody.
        interviewees = format::speakers(&state.body)
            .into_iter()
            .filter(|s| s.chars().nth(1).is_some())
            .collect();
    }
    let date = match meta.date {
        Some(date) => date,
        None => {
            report.push_noted(
                ChangeKind::MetadataTaken,
                0,
                "",
                "no date found: today's date written and the article marked draft",
            );
            report
                .draft_reasons
                .push("no date found on the page".to_string());
            today()
        }
    };
    let mut throwaway = Report::default();
    let after = state
        .body
        .iter()
        .map(|b| {
            if fullwidth {
                format::fullwidth_punctuation(&b.text, b.number, &mut throwaway)
            } else {
                b.text.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let body = format::to_markdown(
        &state.body,
        lang,
        settings.fullwidth_punctuation,
        &mut report,
    );
    let mut front = markdown::FrontMatter {
        title,
        date,
        interview_date: meta.interview_date,
        interviewer: meta.interviewer,
        publication: meta.publication,
        source_url: meta.source_url,
        summary,
        lang: lang.code().to_string(),
        draft: !report.draft_reasons.is_empty(),
        cleaned_from: state.file_name.clone(),
        ..markdown::FrontMatter::default()
    };
    front.set_interviewees(&interviewees);
    report.brands = state.brands;
    Cleaned {
        front,
        body,
        before: state.before,
        after,
        report,
        encoding,
        mojibake_repaired,
    }
}

/// Today's date (UTC), for an article whose page gives none.
fn today() -> String {
    let days = jiff::Timestamp::now().as_second().div_euclid(86_400);
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .map(|d| d.to_string())
        .unwrap_or_else(|_| "1970-01-01".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_script() {
        assert_eq!(detect_lang("这是一段中文 with a few words"), Lang::Zh);
        assert_eq!(
            detect_lang("An English interview about 北京 and rivers"),
            Lang::En
        );
    }

    #[test]
    fn a_one_letter_label_marks_turns_but_names_nobody() {
        let page = "专访：一个电台的二十年\n2024-03-02\nM:歡迎返嚟，今集我哋講電台嘅故事，好多聽眾都記得。\n甲：多謝。我哋當年一集集咁做，做咗好多年，好開心。\nM:你點樣兼顧工作同節目呢？\n甲：好難講，靠大家幫手，一齊撐落去。\n林知遠：我係後來先加入嘅。\n林知遠：但係我都記得嗰陣時。\n";
        let cleaned = clean_document(page.as_bytes(), "radio.txt", &CleanSettings::default())
            .expect("cleans");
        assert_eq!(cleaned.front.interviewee.as_deref(), Some("林知遠"));
        assert!(cleaned.front.interviewees.is_empty());
        assert!(cleaned.body.contains("**M:**"), "{}", cleaned.body);
    }

    #[test]
    fn a_headline_too_short_to_be_taken_moves_to_the_title() {
        let page = "周小禾\n1月29日晚，老友的演唱会上，久违的周小禾也将现身助场。昨日，本报记者电话专访了她。\n问：这两年您是怎么过的？\n周小禾：拍戏，也陪家人。\n";
        let cleaned = clean_document(page.as_bytes(), "short.txt", &CleanSettings::default())
            .expect("cleans");
        assert_eq!(cleaned.front.title, "周小禾");
        assert!(cleaned.body.starts_with("1月29日晚"), "{}", cleaned.body);
    }

    #[test]
    fn settings_come_from_the_site_config() {
        let config = CleanConfig {
            brands: vec!["金鲤娱乐".into()],
            fullwidth_punctuation: false,
            ..CleanConfig::default()
        };
        let settings = CleanSettings::from(&config);
        assert_eq!(settings.brands, ["金鲤娱乐"]);
        assert!(!settings.fullwidth_punctuation);
        assert_eq!(settings.max_input_bytes, DEFAULT_MAX_INPUT_BYTES);
    }
}
