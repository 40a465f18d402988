//! Throughput of `verbatim clean` on one core: cleans a corpus of synthetic polluted
//! and clean pages (the test fixtures, each repeated into articles of realistic length)
//! several times on one thread and prints MB/s per run and the median. It measures and
//! asserts nothing; run it with `bash bench/clean.sh` (release build).
//! `clean-bench --write DIR` writes the distinct pages of the corpus into DIR instead,
//! so a change to the cleaner can be checked for identical output on them.
//! With `CLEAN_BENCH_THESAURUS=FILE` set, the pages are cleaned with that thesaurus, as
//! `clean.thesaurus` in site.yml would give it.

use std::time::Instant;

use verbatim::clean::{CleanSettings, clean_document};

/// The fixtures: (file name, bytes).
const PAGES: &[(&str, &[u8])] = &[
    (
        "zh-spun.txt",
        include_bytes!("../tests/fixtures/clean/zh-spun.txt"),
    ),
    (
        "zh-polluted.html",
        include_bytes!("../tests/fixtures/clean/zh-polluted.html"),
    ),
    (
        "zh-gbk.txt",
        include_bytes!("../tests/fixtures/clean/zh-gbk.txt"),
    ),
    (
        "en-polluted.html",
        include_bytes!("../tests/fixtures/clean/en-polluted.html"),
    ),
    (
        "zh-clean.txt",
        include_bytes!("../tests/fixtures/clean/zh-clean.txt"),
    ),
    (
        "zh-casino.txt",
        include_bytes!("../tests/fixtures/clean/zh-casino.txt"),
    ),
    (
        "en-clean.txt",
        include_bytes!("../tests/fixtures/clean/en-clean.txt"),
    ),
];

/// Makes a page about `target` bytes long by repeating the fixture's middle lines, so
/// its head (chrome, title) and tail (footer) stay where they are.
fn lengthen(page: &[u8], target: usize) -> Vec<u8> {
    let lines: Vec<&[u8]> = page.split(|&b| b == b'\n').collect();
    if lines.len() < 6 || page.len() >= target {
        return page.to_vec();
    }
    let (head, rest) = lines.split_at(lines.len() / 3);
    let (middle, tail) = rest.split_at(rest.len() / 2);
    let mut out: Vec<u8> = head.join(&b'\n');
    out.push(b'\n');
    let middle = middle.join(&b'\n');
    while out.len() + tail.iter().map(|l| l.len() + 1).sum::<usize>() < target {
        out.extend_from_slice(&middle);
        out.push(b'\n');
    }
    out.extend_from_slice(&tail.join(&b'\n'));
    out
}

/// The corpus: each fixture lengthened to one of ten lengths in turn.
fn corpus(pages_per_fixture: usize) -> Vec<(&'static str, Vec<u8>)> {
    PAGES
        .iter()
        .flat_map(|(name, bytes)| {
            (0..pages_per_fixture).map(move |i| (*name, lengthen(bytes, 6_000 + (i % 10) * 2_000)))
        })
        .collect()
}

/// Writes the ten lengths of each fixture into `dir` as `<length>-<fixture name>`.
fn write_corpus(dir: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (i, (name, bytes)) in corpus(10).iter().enumerate() {
        let path = std::path::Path::new(dir).join(format!("{}-{name}", i % 10));
        std::fs::write(path, bytes)?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir] = args.as_slice()
        && flag == "--write"
    {
        if let Err(error) = write_corpus(dir) {
            eprintln!("clean-bench: {dir}: {error}");
            std::process::exit(1);
        }
        return;
    }
    let pages_per_fixture: usize = args.first().and_then(|n| n.parse().ok()).unwrap_or(150);
    let mut settings = CleanSettings::default();
    if let Some(path) = std::env::var_os("CLEAN_BENCH_THESAURUS") {
        match verbatim::clean::despin::Thesaurus::load(std::path::Path::new(&path)) {
            Ok(thesaurus) => settings.thesaurus = Some(std::sync::Arc::new(thesaurus)),
            Err(error) => {
                eprintln!("clean-bench: {error}");
                std::process::exit(1);
            }
        }
        println!("thesaurus: {}", path.to_string_lossy());
    }
    let corpus = corpus(pages_per_fixture);
    let total: usize = corpus.iter().map(|(_, b)| b.len()).sum();
    println!(
        "corpus: {} pages, {:.1} MB (fixtures lengthened to 6-24 KB)",
        corpus.len(),
        total as f64 / 1e6
    );
    // Compile the tables outside the timed runs, as a long `clean` run would.
    let _ = clean_document(PAGES[0].1, PAGES[0].0, &settings);
    let mut rates = Vec::new();
    for run in 1..=5 {
        let start = Instant::now();
        let mut failed = 0;
        for (name, bytes) in &corpus {
            if clean_document(bytes, name, &settings).is_err() {
                failed += 1;
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        let rate = total as f64 / 1e6 / seconds;
        println!("run {run}: {seconds:.3} s, {rate:.1} MB/s on one thread ({failed} failed)");
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    println!("median: {:.1} MB/s per core", rates[rates.len() / 2]);
}
