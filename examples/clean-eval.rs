//! Prints the cleaner's scores on a corpus, per pollution kind, and every miss: strings
//! left in, strings lost, wrong titles and dates. Run `bash bench/clean-eval [FOLDER]`;
//! the folder defaults to tests/fixtures/clean/corpus. It measures and asserts nothing
//! (tests/clean_corpus.rs holds the thresholds).

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/fixtures/clean/corpus"));
    let pages = corpus::score_corpus(&dir);
    if pages.is_empty() {
        eprintln!(
            "error: no pages with .expect files in {}; give a corpus folder",
            dir.display()
        );
        std::process::exit(1);
    }
    print!("{}", corpus::table(&pages));
    println!();
    let is_clean = |p: &corpus::PageScore| p.kinds.iter().any(|k| k == "clean");
    for page in pages
        .iter()
        .filter(|p| !p.misses.is_empty() || is_clean(p) && p.body_changes > 0)
    {
        let changed = if is_clean(page) && page.body_changes > 0 {
            format!(" [{} body changes on a clean page]", page.body_changes)
        } else {
            String::new()
        };
        println!("{}{changed}", page.name);
        for miss in &page.misses {
            println!("  {miss}");
        }
    }
}
