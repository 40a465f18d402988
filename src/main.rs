//! The `verbatim` command line: parse arguments, call the library, print errors, set the
//! exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Clean interviews scraped from the web and publish them as a static archive.
#[derive(Parser)]
#[command(name = "verbatim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder ready for GitHub Pages.
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
    },
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
        Command::Clean {
            inputs,
            root,
            out,
            lang,
            report,
            diff,
            dry_run,
            force,
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
        }),
    }
}

fn run_clean(options: verbatim::clean::CleanOptions) -> ExitCode {
    let outcome = match verbatim::clean::run(&options) {
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
    let failed = outcome.failed();
    if failed > 0 {
        eprintln!("{failed} of {} pages failed", outcome.files.len());
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
    match verbatim::build(&root, &options) {
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
                    "Built {} articles{pages}, {} terms: {} files written to {} in {} ms{held}",
                    summary.articles,
                    summary.terms,
                    summary.files,
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
