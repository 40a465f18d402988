//! The search index's two stages timed alone, in one process, on a site loaded once:
//! steadier than whole builds on a shared machine, where a build's wall time moves by
//! ±15 % from run to run and hides a change of a few percent in the index.
//!
//! ```text
//! cargo run --release --example index-bench -- SITE_DIR [RUNS]
//! ```
//!
//! Loads and renders SITE_DIR as a build does (its `site.yml` must have `search:` on,
//! or the plain texts are not kept), then RUNS times (default 15) gathers the postings
//! (`Postings::of_site`) and writes the shards to a sink that only counts their bytes
//! (`shards::write`), and prints the median, lowest and highest time of each stage and
//! of both, with the CPU time of both. It measures; it asserts nothing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use verbatim::build::{BuildOptions, prepare};
use verbatim::markdown::Highlighter;
use verbatim::search::{Postings, shards};

const DEFAULT_RUNS: usize = 15;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, runs) = match args.as_slice() {
        [dir] => (PathBuf::from(dir), DEFAULT_RUNS),
        [dir, runs] => match runs.parse() {
            Ok(runs) if runs > 0 => (PathBuf::from(dir), runs),
            _ => {
                return usage(&format!(
                    "RUNS must be a positive whole number, got {runs:?}"
                ));
            }
        },
        _ => return usage("expected SITE_DIR and optionally RUNS"),
    };
    let prepared = match prepare(&dir, &BuildOptions::default(), &Highlighter::new()) {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("index-bench: {}: {err}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let site = &prepared.site;
    if !site.config.search {
        return usage("the site's search is off: set `search: true` in its site.yml");
    }
    let (mut gather, mut write, mut both, mut cpu) = (vec![], vec![], vec![], vec![]);
    let mut bytes = 0;
    for _ in 0..runs {
        let cpu_start = cpu_time();
        let start = Instant::now();
        let postings = match Postings::of_site(site) {
            Ok(postings) => postings,
            Err(err) => {
                eprintln!("index-bench: {err}");
                return ExitCode::FAILURE;
            }
        };
        let gathered = Instant::now();
        let written = std::sync::atomic::AtomicUsize::new(0);
        let result = shards::write(site, postings, |file| {
            written.fetch_add(file.contents.len(), std::sync::atomic::Ordering::Relaxed);
            Ok::<(), ()>(())
        });
        if result.is_err() {
            eprintln!("index-bench: the shards could not be written");
            return ExitCode::FAILURE;
        }
        let end = Instant::now();
        gather.push(gathered - start);
        write.push(end - gathered);
        both.push(end - start);
        cpu.push(cpu_time().saturating_sub(cpu_start));
        bytes = written.into_inner();
    }
    println!(
        "{} articles, {runs} runs, {:.1} MB of index",
        site.pages.len(),
        bytes as f64 / 1e6
    );
    for (name, times) in [
        ("gather", gather),
        ("write", write),
        ("both", both),
        ("both, CPU", cpu),
    ] {
        let (median, low, high) = summary(times);
        println!(
            "{name:<10} median {:7.1} ms  ({:.1}–{:.1})",
            ms(median),
            ms(low),
            ms(high)
        );
    }
    ExitCode::SUCCESS
}

/// The median (of the two middle runs for an even count, as `search-bench` takes it),
/// lowest and highest of `times`.
fn summary(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    let middle = times.len() / 2;
    let median = if times.len() % 2 == 1 {
        times[middle]
    } else {
        (times[middle - 1] + times[middle]) / 2
    };
    (median, times[0], times[times.len() - 1])
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// The process's user and system time so far, from `/proc/self/stat` (zero elsewhere).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&at| fields.get(at)?.parse::<u64>().ok())
        .sum();
    // The kernel's clock ticks are a hundredth of a second on Linux's usual builds.
    Duration::from_millis(ticks * 10)
}

fn usage(message: &str) -> ExitCode {
    eprintln!("index-bench: {message}\nusage: index-bench SITE_DIR [RUNS]");
    ExitCode::from(2)
}
