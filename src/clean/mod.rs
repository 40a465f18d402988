//! `verbatim clean`: raw scraped pages → clean, reviewable Markdown articles.
//!
//! One pass per module, each a function from plain values to plain values:
//! [`decode`] bytes → text, [`extract`] text → blocks, [`chrome`] blocks → roles,
//! [`metadata`] → front matter, [`spam`] → injected brand, keyword, URL and title cut,
//! [`despin`] → spun words restored, [`format`] → Markdown. Every change goes into a
//! [`Report`]. [`clean_document`] runs the passes on one page; [`run`] runs them on
//! files and folders in parallel and writes the articles.

pub mod chrome;
pub mod decode;
pub mod despin;
pub mod diff;
pub mod extract;
pub mod format;
pub mod markdown;
pub mod metadata;
pub mod report;
pub mod spam;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::CleanConfig;
pub use report::{Change, ChangeKind, Report};

use chrome::Role;
use extract::Block;

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
    /// No block of text that could be an article.
    NotAnArticle,
    /// A spinner pair in site.yml is malformed.
    BadSpinPair(despin::TableError),
}

/// A page that could not be cleaned, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CleanError {
    /// The input's file name.
    pub file: String,
    /// What went wrong.
    pub problem: Problem,
}

impl fmt::Display for CleanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = &self.file;
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
                "{file}: nothing article-like found (no paragraph of text outside the \
                 site's chrome); check that this is the article page"
            ),
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

fn detect_lang(text: &str) -> Lang {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        if crate::text::is_cjk(c) {
            cjk += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
    }
    // A CJK character carries about as much as a short Latin word.
    if cjk * 3 >= latin { Lang::Zh } else { Lang::En }
}

/// Cleans one page: the passes in order, nothing read or written but the bytes given.
pub fn clean_document(
    bytes: &[u8],
    file_name: &str,
    settings: &CleanSettings,
) -> Result<Cleaned, CleanError> {
    let fail = |problem| CleanError {
        file: file_name.to_string(),
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
    let page = extract::extract(&decoded.text, html);
    let blocks = &page.blocks;
    let mut report = Report::default();

    // Chrome and brand depend on each other: a first layout with the user's brands
    // gives the chrome to learn the site's brand from, a second one uses it.
    let title_index = metadata::locate_title(&page, &settings.brands);
    let first_roles = chrome::layout(blocks, title_index, &settings.brands);
    let chrome_lines: Vec<&str> = pick(blocks, &first_roles, |r| matches!(r, Role::Chrome(_)))
        .map(|b| b.text.as_str())
        .collect();
    let body_text: String = pick(blocks, &first_roles, |r| *r == Role::Body)
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let raw_title = title_index
        .map(|i| blocks[i].text.clone())
        .unwrap_or_default();
    let brands = spam::learn_brands(
        &chrome_lines,
        &page.head,
        &raw_title,
        &body_text,
        &settings.brands,
    );
    let roles = chrome::layout(blocks, title_index, &brands);
    let index_of = |wanted: fn(&Role) -> bool| -> Vec<usize> {
        roles
            .iter()
            .enumerate()
            .filter(|(_, r)| wanted(r))
            .map(|(i, _)| i)
            .collect()
    };
    let bylines = index_of(|r| *r == Role::Byline);
    let body_indices = index_of(|r| *r == Role::Body);
    let meta = metadata::read(&page, title_index, &bylines, &body_indices, &brands);

    for (block, role) in blocks.iter().zip(&roles) {
        match role {
            Role::Chrome(reason) => report.push_noted(
                ChangeKind::ChromeRemoved,
                block.number,
                &block.text,
                *reason,
            ),
            Role::Title => report.push_noted(
                ChangeKind::MetadataTaken,
                block.number,
                &block.text,
                "title",
            ),
            Role::Byline => report.push_noted(
                ChangeKind::MetadataTaken,
                block.number,
                &block.text,
                "byline",
            ),
            Role::Body => {}
        }
    }

    let mut body: Vec<Block> = body_indices.iter().map(|&i| blocks[i].clone()).collect();
    let article_chars: usize = body.iter().map(|b| b.text.chars().count()).sum();
    if article_chars < 20 {
        return Err(fail(Problem::NotAnArticle));
    }
    let before = body
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");

    let chrome_text = chrome_lines.join("\n");
    let title_variants = [raw_title.clone(), meta.title.clone()];
    spam::remove_pasted_title(&mut body, &title_variants, &mut report);
    spam::remove_bait_urls(&mut body, &chrome_text, &mut report);
    spam::remove_brands(&mut body, &brands, &mut report);
    spam::remove_injected_keywords(&mut body, &settings.keywords, &mut report);
    report.brands = brands;

    let page_text = body
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let lang = match settings.lang {
        LangChoice::Zh => Lang::Zh,
        LangChoice::En => Lang::En,
        LangChoice::Auto => detect_lang(&page_text),
    };
    let table = despin::shipped();
    let (score, spun) = despin::score(table, &page_text);
    report.spin_score = (score * 100.0).round() / 100.0;
    report.despun = spun;
    let evidence = table.page_evidence(&page_text);
    let user_evidence = user_spin.as_ref().map(|u| u.page_evidence(&page_text));
    let restore = |text: &str, block: usize, report: &mut Report| -> String {
        if !spun {
            return text.to_string();
        }
        let restored = table.restore(text, &evidence, block, report);
        match (&user_spin, &user_evidence) {
            (Some(user), Some(evidence)) => user.restore(&restored, evidence, block, report),
            _ => restored,
        }
    };
    for block in &mut body {
        block.text = restore(&block.text, block.number, &mut report);
    }
    body.retain(|b| !b.text.trim().is_empty());

    let mut title = restore(&meta.title, 0, &mut report);
    if lang == Lang::Zh && settings.fullwidth_punctuation {
        title = format::fullwidth_punctuation(&title, 0, &mut report);
    }
    if title.is_empty() {
        title = Path::new(file_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| file_name.to_string());
    }
    let mut throwaway = Report::default();
    let publication = meta
        .publication
        .as_deref()
        .map(|p| restore(p, 0, &mut throwaway));
    let mut interviewees: Vec<String> = meta
        .interviewees
        .iter()
        .map(|n| restore(n, 0, &mut throwaway))
        .collect();
    if interviewees.is_empty() {
        interviewees = format::speakers(&body);
    }
    let (date, draft) = match meta.date {
        Some(date) => (date, false),
        None => {
            report.push_noted(
                ChangeKind::MetadataTaken,
                0,
                "",
                "no date found: today's date written and the article marked draft",
            );
            (today(), true)
        }
    };
    let after = body
        .iter()
        .map(|b| {
            if lang == Lang::Zh && settings.fullwidth_punctuation {
                format::fullwidth_punctuation(&b.text, b.number, &mut throwaway)
            } else {
                b.text.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let body_markdown =
        format::to_markdown(&body, lang, settings.fullwidth_punctuation, &mut report);
    let mut front = markdown::FrontMatter {
        title,
        date,
        interviewer: meta.interviewer,
        publication,
        source_url: meta.source_url,
        lang: lang.code().to_string(),
        draft,
        cleaned_from: file_name.to_string(),
        ..markdown::FrontMatter::default()
    };
    front.set_interviewees(&interviewees);
    Ok(Cleaned {
        front,
        body: body_markdown,
        before,
        after,
        report,
        encoding: decoded.encoding,
        mojibake_repaired: decoded.mojibake_repaired,
    })
}

/// Today's date (UTC), for an article whose page gives none.
fn today() -> String {
    let days = jiff::Timestamp::now().as_second().div_euclid(86_400);
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .map(|d| d.to_string())
        .unwrap_or_else(|_| "1970-01-01".to_string())
}

fn pick<'a>(
    blocks: &'a [Block],
    roles: &'a [Role],
    wanted: impl Fn(&Role) -> bool + 'a,
) -> impl Iterator<Item = &'a Block> + 'a {
    blocks
        .iter()
        .zip(roles)
        .filter(move |(_, r)| wanted(r))
        .map(|(b, _)| b)
}

/// What `verbatim clean` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    /// Files or folders of raw pages.
    pub inputs: Vec<PathBuf>,
    /// The site root, whose `site.yml` is read.
    pub root: PathBuf,
    /// Where articles go; `<root>/content/interviews` when `None`.
    pub out: Option<PathBuf>,
    /// The language to assume.
    pub lang: LangChoice,
    /// Where to write the JSON report.
    pub report: Option<PathBuf>,
    /// Whether to compute a word diff per file.
    pub diff: bool,
    /// Whether the diff uses ANSI colours.
    pub color: bool,
    /// Write nothing; say what would be written.
    pub dry_run: bool,
    /// Overwrite existing articles.
    pub force: bool,
}

/// What happened to one input.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The input.
    pub input: PathBuf,
    /// The article it gives.
    pub output: PathBuf,
    /// The cleaned page, or the message saying why it failed (naming the file).
    pub result: Result<FileDone, String>,
}

/// A cleaned input.
#[derive(Debug, Clone)]
pub struct FileDone {
    /// The article's title.
    pub title: String,
    /// The change report.
    pub report: Report,
    /// The word diff, when asked for.
    pub diff: Option<String>,
    /// Whether the article was written (false in a dry run).
    pub written: bool,
}

/// What `verbatim clean` did.
#[derive(Debug, Clone, Default)]
pub struct CleanOutcome {
    /// One entry per input file, in input order.
    pub files: Vec<FileOutcome>,
    /// The report file written, if any.
    pub report_written: Option<PathBuf>,
}

impl CleanOutcome {
    /// How many inputs failed.
    pub fn failed(&self) -> usize {
        self.files.iter().filter(|f| f.result.is_err()).count()
    }
}

#[derive(Serialize)]
struct ReportEntry<'a> {
    input: &'a Path,
    output: &'a Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<std::collections::BTreeMap<ChangeKind, usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
}

/// File extensions read from a folder of inputs.
const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "shtml", "txt", "text"];

fn collect_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    files
}

fn output_name(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = crate::text::slugify(&stem, crate::config::SlugMode::Unicode);
    if slug.is_empty() {
        "article.md".to_string()
    } else {
        format!("{slug}.md")
    }
}

/// Runs the cleaner over files and folders: reads `site.yml` at the root, cleans the
/// pages in parallel, writes one article per page (never over an existing file
/// without `force`, nothing in a dry run) and the JSON report. A page that fails is
/// reported in its [`FileOutcome`]; the others are still written.
pub fn run(options: &CleanOptions) -> anyhow::Result<CleanOutcome> {
    run_with_progress(options, &crate::progress::ignore)
}

/// [`run`], reporting to `progress` as each page is done.
pub fn run_with_progress(
    options: &CleanOptions,
    progress: crate::progress::ProgressFn<'_>,
) -> anyhow::Result<CleanOutcome> {
    let config = crate::config::load(&options.root)
        .with_context(|| format!("reading {}", options.root.join("site.yml").display()))?;
    let mut settings = CleanSettings::from(&config.clean);
    settings.lang = options.lang;
    let out_dir = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("content").join("interviews"));
    let inputs = collect_inputs(&options.inputs);
    if inputs.is_empty() {
        anyhow::bail!("no pages to clean: give a file or a folder holding .html or .txt pages");
    }
    let mut claimed: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
    let planned: Vec<(PathBuf, PathBuf, Option<String>)> = inputs
        .into_iter()
        .map(|input| {
            let output = out_dir.join(output_name(&input));
            let clash = claimed.get(&output).map(|first| {
                format!(
                    "{}: would write {}, as {} does; rename one of them",
                    input.display(),
                    output.display(),
                    first.display()
                )
            });
            claimed
                .entry(output.clone())
                .or_insert_with(|| input.clone());
            (input, output, clash)
        })
        .collect();
    if !options.dry_run {
        std::fs::create_dir_all(&out_dir)
            .with_context(|| format!("creating the output folder {}", out_dir.display()))?;
    }
    let total = planned.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let files: Vec<FileOutcome> = planned
        .into_par_iter()
        .map(|(input, output, clash)| {
            let result = match clash {
                Some(message) => Err(message),
                None => clean_file(&input, &output, &settings, options),
            };
            progress(crate::progress::Progress {
                stage: crate::progress::Stage::Cleaning,
                done: done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                total: Some(total),
            });
            FileOutcome {
                input,
                output,
                result,
            }
        })
        .collect();
    let mut outcome = CleanOutcome {
        files,
        report_written: None,
    };
    if let Some(path) = &options.report
        && !options.dry_run
    {
        let entries: Vec<ReportEntry> = outcome
            .files
            .iter()
            .map(|f| ReportEntry {
                input: &f.input,
                output: &f.output,
                error: f.result.as_ref().err().map(String::as_str),
                counts: f.result.as_ref().ok().map(|d| d.report.counts()),
                report: f.result.as_ref().ok().map(|d| &d.report),
            })
            .collect();
        let json = serde_json::to_string_pretty(&entries)?;
        std::fs::write(path, json)
            .with_context(|| format!("writing the report {}", path.display()))?;
        outcome.report_written = Some(path.clone());
    }
    Ok(outcome)
}

fn clean_file(
    input: &Path,
    output: &Path,
    settings: &CleanSettings,
    options: &CleanOptions,
) -> Result<FileDone, String> {
    if output.exists() && !options.force {
        return Err(format!(
            "{}: {} already exists; pass --force to overwrite it",
            input.display(),
            output.display()
        ));
    }
    let size = std::fs::metadata(input)
        .map_err(|e| format!("{}: cannot read it: {e}", input.display()))?
        .len();
    if size > settings.max_input_bytes as u64 {
        let error = CleanError {
            file: input.display().to_string(),
            problem: Problem::TooLarge {
                size: usize::try_from(size).unwrap_or(usize::MAX),
                limit: settings.max_input_bytes,
            },
        };
        return Err(error.to_string());
    }
    let bytes =
        std::fs::read(input).map_err(|e| format!("{}: cannot read it: {e}", input.display()))?;
    let file_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned = clean_document(&bytes, &file_name, settings).map_err(|e| {
        let message = e.to_string();
        match message.strip_prefix(&format!("{file_name}: ")) {
            Some(rest) => format!("{}: {rest}", input.display()),
            None => message,
        }
    })?;
    if !options.dry_run {
        write_atomically(output, cleaned.article().as_bytes()).map_err(|e| {
            format!(
                "{}: cannot write {}: {e}",
                input.display(),
                output.display()
            )
        })?;
    }
    Ok(FileDone {
        title: cleaned.front.title.clone(),
        diff: options.diff.then(|| cleaned.diff(options.color)),
        report: cleaned.report,
        written: !options.dry_run,
    })
}

/// Writes through a temporary file beside the target, so a failed write leaves no
/// half article.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
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
    fn output_names_stay_inside_the_folder() {
        assert_eq!(
            output_name(Path::new("../x/Some Page.html")),
            "some-page.md"
        );
        assert_eq!(output_name(Path::new("...")), "article.md");
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
