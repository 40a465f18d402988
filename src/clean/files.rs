//! `verbatim clean` on files and folders: collect the pages, read each safely (a
//! regular file, at most the size limit plus one byte), clean them in parallel, write
//! the articles and the JSON report without overwriting anything unless told.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use super::report::{ChangeKind, Report};
use super::{CleanError, CleanSettings, LangChoice, Problem, clean_document};

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
    /// Apply middle-confidence spin restorations too.
    pub aggressive: bool,
    /// Treat every page as spun, whatever the page gate says.
    pub spun: bool,
    /// Where to write the review page, if anywhere (written in a dry run too).
    pub review: Option<PathBuf>,
}

/// What happened to one input.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The input.
    pub input: PathBuf,
    /// The article it gives.
    pub output: PathBuf,
    /// The cleaned page, or why it failed (the error names the input).
    pub result: Result<FileDone, CleanError>,
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
    /// The text before and after the passes, kept for the review page.
    pub texts: Option<(String, String)>,
}

/// What `verbatim clean` did.
#[derive(Debug, Clone, Default)]
pub struct CleanOutcome {
    /// One entry per input file, in input order.
    pub files: Vec<FileOutcome>,
    /// The report file written, if any.
    pub report_written: Option<PathBuf>,
    /// The review page written, if any.
    pub review_written: Option<PathBuf>,
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
    error: Option<String>,
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
    settings.aggressive = options.aggressive;
    settings.assume_spun = options.spun;
    if let Some(path) = &config.clean.thesaurus {
        let thesaurus = super::despin::Thesaurus::load(&options.root.join(path))
            .context("site.yml clean.thesaurus: the thesaurus file could not be used")?;
        settings.thesaurus = Some(std::sync::Arc::new(thesaurus));
    }
    let out_dir = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("content").join("interviews"));
    let inputs = collect_inputs(&options.inputs);
    if inputs.is_empty() {
        anyhow::bail!("no pages to clean: give a file or a folder holding .html or .txt pages");
    }
    if let Some(report) = &options.report
        && !options.dry_run
    {
        check_report_path(report, &inputs, options.force)?;
    }
    let mut claimed: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
    let planned: Vec<(PathBuf, PathBuf, Option<Problem>)> = inputs
        .into_iter()
        .map(|input| {
            let output = out_dir.join(output_name(&input));
            let clash = claimed.get(&output).map(|first| Problem::OutputClash {
                output: output.clone(),
                other: first.clone(),
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
                Some(problem) => Err(CleanError {
                    path: input.clone(),
                    problem,
                }),
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
        review_written: None,
    };
    if let Some(path) = &options.review {
        write_atomically(path, super::review::page(&outcome.files).as_bytes())
            .with_context(|| format!("writing the review page {}", path.display()))?;
        outcome.review_written = Some(path.clone());
    }
    if let Some(path) = &options.report
        && !options.dry_run
    {
        let entries: Vec<ReportEntry> = outcome
            .files
            .iter()
            .map(|f| ReportEntry {
                input: &f.input,
                output: &f.output,
                error: f.result.as_ref().err().map(CleanError::to_string),
                counts: f.result.as_ref().ok().map(|d| d.report.counts()),
                report: f.result.as_ref().ok().map(|d| &d.report),
            })
            .collect();
        let json = serde_json::to_string_pretty(&entries)?;
        write_atomically(path, json.as_bytes())
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
) -> Result<FileDone, CleanError> {
    let fail = |problem| CleanError {
        path: input.to_path_buf(),
        problem,
    };
    if output.exists() && !options.force {
        return Err(fail(Problem::OutputExists(output.to_path_buf())));
    }
    let bytes = read_page(input, settings.max_input_bytes).map_err(fail)?;
    let file_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned = clean_document(&bytes, &file_name, settings).map_err(|e| fail(e.problem))?;
    if !options.dry_run {
        write_atomically(output, cleaned.article().as_bytes()).map_err(|e| {
            fail(Problem::WriteFailed {
                output: output.to_path_buf(),
                error: e.to_string(),
            })
        })?;
    }
    Ok(FileDone {
        title: cleaned.front.title.clone(),
        diff: options.diff.then(|| cleaned.diff(options.color)),
        texts: options
            .review
            .is_some()
            .then(|| (cleaned.before.clone(), cleaned.after.clone())),
        report: cleaned.report,
        written: !options.dry_run,
    })
}

/// Reads a page: a regular file only (a FIFO would hang, a device never end), and at
/// most `limit + 1` bytes whatever its metadata says, so a link to `/dev/zero` or a
/// file that grows cannot exhaust memory.
fn read_page(input: &Path, limit: usize) -> Result<Vec<u8>, Problem> {
    let metadata = std::fs::metadata(input).map_err(|e| Problem::Unreadable(e.to_string()))?;
    if !metadata.is_file() {
        return Err(Problem::NotAFile);
    }
    let file = std::fs::File::open(input).map_err(|e| Problem::Unreadable(e.to_string()))?;
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len().min(cap)).unwrap_or(0));
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::Unreadable(e.to_string()))?;
    if bytes.len() > limit {
        return Err(Problem::TooLarge {
            size: usize::try_from(metadata.len())
                .unwrap_or(usize::MAX)
                .max(bytes.len()),
            limit,
        });
    }
    Ok(bytes)
}

/// Refuses a report path that names an existing file (unless forced) or any input,
/// so the report can never replace a page, an article or site.yml by mistake.
fn check_report_path(report: &Path, inputs: &[PathBuf], force: bool) -> anyhow::Result<()> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(input) = inputs.iter().find(|i| same(i, report)) {
        anyhow::bail!(
            "the report {} is one of the pages to clean ({}); give the report another name",
            report.display(),
            input.display()
        );
    }
    if report.is_dir() {
        anyhow::bail!(
            "the report {} is a folder; give a file name such as report.json",
            report.display()
        );
    }
    if report.exists() && !force {
        anyhow::bail!(
            "the report {} already exists; pass --force to overwrite it, or choose another name",
            report.display()
        );
    }
    Ok(())
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
    fn output_names_stay_inside_the_folder() {
        assert_eq!(
            output_name(Path::new("../x/Some Page.html")),
            "some-page.md"
        );
        assert_eq!(output_name(Path::new("...")), "article.md");
    }
}
