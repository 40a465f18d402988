//! The steady-state cost of `verbatim clean`, for a profiler: cleans every fixture once
//! (plain and aggressive) to load every table, then the clean-bench corpus once inside
//! `steady_state`, which a profiler can isolate (e.g. callgrind's
//! `--toggle-collect='*steady_state*'`). Measures and asserts nothing.

use verbatim::clean::{CleanSettings, clean_document};

/// The fixtures the warm-up and the corpus start from, as in `clean-bench`.
const FIXTURES: &[&str] = &[
    "zh-spun.txt",
    "zh-polluted.html",
    "zh-gbk.txt",
    "en-polluted.html",
    "zh-clean.txt",
    "zh-casino.txt",
    "en-clean.txt",
];

/// Cleans every page once; the function a profiler collects.
#[inline(never)]
fn steady_state(pages: &[(String, Vec<u8>)], settings: &CleanSettings) -> usize {
    pages
        .iter()
        .filter(|(name, bytes)| clean_document(bytes, name, settings).is_ok())
        .count()
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/clean".to_string());
    let read = |name: &str| std::fs::read(std::path::Path::new(&dir).join(name));
    let mut warm = Vec::new();
    for name in FIXTURES {
        match read(name) {
            Ok(bytes) => warm.push((name.to_string(), bytes)),
            Err(error) => {
                eprintln!("clean-profile: {dir}/{name}: {error}");
                std::process::exit(1);
            }
        }
    }
    let plain = CleanSettings::default();
    let aggressive = CleanSettings {
        aggressive: true,
        ..CleanSettings::default()
    };
    for (name, bytes) in &warm {
        let _ = clean_document(bytes, name, &plain);
        let _ = clean_document(bytes, name, &aggressive);
    }
    let pages: Vec<(String, Vec<u8>)> = std::env::args()
        .nth(2)
        .and_then(|corpus| std::fs::read_dir(corpus).ok())
        .map(|entries| {
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            paths
                .into_iter()
                .filter_map(|p| {
                    let name = p.file_name()?.to_string_lossy().into_owned();
                    Some((name, std::fs::read(&p).ok()?))
                })
                .collect()
        })
        .unwrap_or(warm);
    let cleaned = steady_state(&pages, &plain);
    println!("{cleaned} of {} pages cleaned", pages.len());
}
