//! The `verbatim` command line: parse arguments, call the library, print errors, set the
//! exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use verbatim::progress::{Progress, Stage};

/// Clean interviews scraped from the web and publish them as a static archive.
#[derive(Parser)]
#[command(
    name = "verbatim",
    version,
    about,
    after_help = "Examples:\n  verbatim init my-archive      start a new archive\n  verbatim serve                preview it with live reload\n  verbatim help check           more about one command"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder ready for GitHub Pages.
    #[command(after_help = "Example:\n  verbatim build --base-url https://user.github.io/archive/")]
    Build {
        /// The site folder (holding content/, and optionally site.yml, templates/, static/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace base_url from site.yml, e.g. https://user.github.io/archive/.
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated after now (held back by default).
        #[arg(long)]
        future: bool,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Preview the site on 127.0.0.1 with live reload; rebuilds on every change.
    #[command(after_help = "Example:\n  verbatim serve --drafts --open")]
    Serve {
        /// The site folder (holding content/, and optionally site.yml, templates/, static/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; use 0.0.0.0 only on a network you trust.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port [default: 1111, or the next free one].
        #[arg(long)]
        port: Option<u16>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated after now.
        #[arg(long)]
        future: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of waiting for notifications (containers, network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Turn scraped, spam-polluted interview pages into clean Markdown articles.
    #[command(after_help = "Example:\n  verbatim clean raw/ --report clean-report.json --diff")]
    Clean {
        /// Raw pages (.html or .txt, any encoding), or folders of them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The site folder whose site.yml `clean:` section is read.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the articles [default: <root>/content/interviews].
        #[arg(long)]
        out: Option<PathBuf>,
        /// The pages' language.
        #[arg(long, value_enum, default_value = "auto")]
        lang: verbatim::clean::LangChoice,
        /// Write every change, per file, to this JSON file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Print a coloured word-level diff of each body for review.
        #[arg(long)]
        diff: bool,
        /// Write nothing; print what would be written.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite articles that already exist.
        #[arg(long)]
        force: bool,
        /// Also restore spun words of middle confidence (otherwise listed as suspects).
        #[arg(long)]
        aggressive: bool,
        /// Treat every page as spun: restore without the page gate's verdict. For pages
        /// you know a spinner made that are too short for the gate to tell (a snippet of
        /// a few sentences).
        #[arg(long)]
        spun: bool,
        /// Write a review page (one HTML file) showing every change in place.
        #[arg(long, value_name = "FILE")]
        review: Option<PathBuf>,
    },
    /// Start a new archive: site.yml, an example interview, .gitignore and a GitHub Pages
    /// workflow.
    #[command(after_help = "Example:\n  verbatim init my-archive --language zh")]
    Init {
        /// The folder to create or fill.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The default language of articles.
        #[arg(long, default_value = "en")]
        language: String,
        /// The archive's title [default: from the folder's name].
        #[arg(long)]
        title: Option<String>,
        /// Add the missing files to a folder that is not empty; existing files are kept.
        #[arg(long)]
        force: bool,
    },
    /// Write a new draft article and print its path.
    #[command(
        after_help = "Examples:\n  verbatim new \"A talk with Mara Lind\"        content/interviews/a-talk-with-mara-lind.md\n  verbatim new essays/冰川上的数据中心          content/essays/冰川上的数据中心.md\n  verbatim new notes/field-notes.md"
    )]
    New {
        /// `[SECTION/]TITLE`, or a path under content/ ending in `.md`.
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build in memory and report broken links, anchors and images, and likely mistakes.
    #[command(
        after_help = "Exit status: 1 when any error is found (or any warning, with --deny-warnings).\n\nExamples:\n  verbatim check\n  verbatim check --external --format json > check.json"
    )]
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace base_url from site.yml, as for `build`.
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future.
        #[arg(long)]
        future: bool,
        /// Also check links to other sites (slower; needs the network).
        #[arg(long)]
        external: bool,
        /// External requests in flight at once.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
        concurrency: u16,
        /// Seconds before an external request gives up.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Milliseconds between two requests to the same host.
        #[arg(long, default_value_t = 500)]
        host_interval: u64,
        /// `text` (file:line: message) or `json` for tools.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// Exit 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  verbatim completions bash > ~/.local/share/bash-completion/completions/verbatim\n  verbatim completions zsh > ~/.zfunc/_verbatim"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  verbatim man > verbatim.1 && man ./verbatim.1")]
    Man,
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write the built-in templates and static files, to copy the ones you want to change.
    #[command(
        after_help = "Example:\n  verbatim theme export theme-copy   then copy theme-copy/templates/article.html to templates/"
    )]
    Export {
        /// The folder to write templates/ and static/ into.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

/// How `verbatim check` prints its findings.
#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// One `file:line: message` per problem.
    Text,
    /// One JSON document.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            quiet,
        } => run_build(
            root,
            verbatim::BuildOptions {
                output,
                base_url,
                drafts,
                future,
                spill_above: None,
            },
            quiet,
        ),
        Command::Serve {
            root,
            interface,
            port,
            drafts,
            future,
            open,
            poll,
        } => run_serve(
            &root,
            &verbatim::ServeOptions {
                interface,
                port,
                drafts,
                future,
                poll,
                open,
                ..verbatim::ServeOptions::default()
            },
        ),
        Command::Init {
            dir,
            language,
            title,
            force,
        } => run_init(&dir, language, title, force),
        Command::New { title, root } => run_new(&root, &title),
        Command::Check {
            root,
            base_url,
            drafts,
            future,
            external,
            concurrency,
            timeout,
            host_interval,
            format,
            deny_warnings,
        } => {
            let options = verbatim::CheckOptions {
                build: verbatim::BuildOptions {
                    output: None,
                    base_url,
                    drafts,
                    future,
                    spill_above: None,
                },
                external: external.then(|| verbatim::check::ExternalOptions {
                    concurrency: usize::from(concurrency),
                    timeout: Duration::from_secs(timeout),
                    per_host_interval: Duration::from_millis(host_interval),
                }),
            };
            run_check(&root, &options, format, deny_warnings)
        }
        Command::Theme {
            command: ThemeCommand::Export { dir },
        } => run_theme_export(&dir),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "verbatim",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write the manual page: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Clean {
            inputs,
            root,
            out,
            lang,
            report,
            diff,
            dry_run,
            force,
            aggressive,
            spun,
            review,
        } => run_clean(verbatim::clean::CleanOptions {
            inputs,
            root,
            out,
            lang,
            report,
            diff,
            color: std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none(),
            dry_run,
            force,
            aggressive,
            spun,
            review,
        }),
    }
}

/// Draws a progress bar on stderr once a command has run for a second, only on a
/// terminal and never in CI.
struct ProgressDrawer {
    started: Instant,
    enabled: bool,
    bar: OnceLock<indicatif::ProgressBar>,
}

impl ProgressDrawer {
    /// How long a command runs before it gets a bar.
    const DELAY: Duration = Duration::from_secs(1);

    fn new() -> ProgressDrawer {
        let enabled = std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("CI").is_none()
            && std::env::var("TERM").map_or(true, |term| term != "dumb");
        ProgressDrawer {
            started: Instant::now(),
            enabled,
            bar: OnceLock::new(),
        }
    }

    fn report(&self, progress: Progress) {
        if !self.enabled || self.started.elapsed() < Self::DELAY {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let (bar, template) = match progress.total {
                Some(total) => (
                    indicatif::ProgressBar::new(total as u64),
                    "{msg} [{bar:30}] {pos}/{len} ({eta})",
                ),
                None => (
                    indicatif::ProgressBar::new_spinner(),
                    "{spinner} {msg} {pos}",
                ),
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        bar.set_message(match progress.stage {
            Stage::Preparing => "reading articles",
            Stage::Writing => "writing files",
            Stage::Cleaning => "cleaning pages",
        });
        bar.set_position(progress.done as u64);
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// `1 article`, `2 articles`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Today's date where the user is, `YYYY-MM-DD`.
fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

fn run_init(dir: &Path, language: String, title: Option<String>, force: bool) -> ExitCode {
    let options = verbatim::init::InitOptions {
        title,
        language,
        force,
        today: today(),
    };
    match verbatim::init::init(dir, &options) {
        Ok(outcome) => {
            for path in &outcome.written {
                println!("wrote {}", dir.join(path).display());
            }
            for path in &outcome.kept {
                println!("kept  {} (it exists)", dir.join(path).display());
            }
            println!(
                "\nNext:\n  cd {}\n  verbatim serve     preview at http://127.0.0.1:1111/\n  verbatim new \"A first interview\"\nPublish: push to GitHub and set Settings → Pages → Source to \"GitHub Actions\".",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_new(root: &Path, title: &str) -> ExitCode {
    match verbatim::new::new_article(root, title, &today()) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_theme_export(dir: &Path) -> ExitCode {
    match verbatim::theme::export(dir) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            println!(
                "Copy the files you want to change into your site's templates/ or static/; the others keep following Verbatim's updates."
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_check(
    root: &Path,
    options: &verbatim::CheckOptions,
    format: ReportFormat,
    deny_warnings: bool,
) -> ExitCode {
    let report = match verbatim::check(root, options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("The site does not build, so it cannot be checked.");
            return ExitCode::FAILURE;
        }
    };
    let errors = report.count(verbatim::check::Severity::Error);
    let warnings = report.count(verbatim::check::Severity::Warning);
    match format {
        ReportFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("error: cannot write the report: {error}");
                return ExitCode::FAILURE;
            }
        },
        ReportFormat::Text => {
            for problem in &report.problems {
                match problem.severity {
                    verbatim::check::Severity::Error => println!("{problem}"),
                    verbatim::check::Severity::Warning => println!("warning: {problem}"),
                }
            }
            let external = if options.external.is_some() {
                format!(
                    ", {}",
                    count(report.external_urls, "external URL", "external URLs")
                )
            } else {
                String::new()
            };
            eprintln!(
                "Checked {}, {}{external}: {}, {}",
                count(report.pages, "page", "pages"),
                count(report.internal_links, "internal link", "internal links"),
                count(errors, "error", "errors"),
                count(warnings, "warning", "warnings"),
            );
        }
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_clean(options: verbatim::clean::CleanOptions) -> ExitCode {
    let drawer = ProgressDrawer::new();
    let outcome = verbatim::clean::run_with_progress(&options, &|p| drawer.report(p));
    drawer.finish();
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    for file in &outcome.files {
        match &file.result {
            Ok(done) => {
                let verb = if done.written { "wrote" } else { "would write" };
                println!(
                    "{} → {verb} {}",
                    file.input.display(),
                    file.output.display()
                );
                println!("  {}: {}", done.title, done.report.summary());
                if let Some(diff) = &done.diff {
                    println!("{diff}");
                }
            }
            Err(message) => eprintln!("error: {message}"),
        }
    }
    if let Some(path) = &outcome.report_written {
        println!("report: {}", path.display());
    }
    if let Some(path) = &outcome.review_written {
        println!("review page: {}", path.display());
    }
    let failed = outcome.failed();
    if failed > 0 {
        eprintln!(
            "{failed} of {} failed",
            count(outcome.files.len(), "page", "pages")
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn run_serve(root: &std::path::Path, options: &verbatim::ServeOptions) -> ExitCode {
    match verbatim::serve(root, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_build(root: PathBuf, options: verbatim::BuildOptions, quiet: bool) -> ExitCode {
    let drawer = ProgressDrawer::new();
    let result = verbatim::build_with_progress(&root, &options, &|p| drawer.report(p));
    drawer.finish();
    match result {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
            if !quiet {
                let pages = match summary.pages {
                    0 => String::new(),
                    1 => ", 1 page".to_string(),
                    n => format!(", {n} pages"),
                };
                let held = match summary.held_future {
                    0 => String::new(),
                    n => format!(" ({n} dated in the future held back; --future to include)"),
                };
                println!(
                    "Built {}{pages}, {}: {} written to {} in {} ms{held}",
                    count(summary.articles, "article", "articles"),
                    count(summary.terms, "term", "terms"),
                    count(summary.files, "file", "files"),
                    summary.output.display(),
                    summary.elapsed.as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("The build failed; the previous output was left as it was.");
            ExitCode::FAILURE
        }
    }
}
