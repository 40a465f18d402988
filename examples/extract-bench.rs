//! Article-extraction benchmark driver: runs Verbatim on every page of a folder of
//! HTML files (`<id>.html`) and writes what it took as the article body, in the
//! benchmark's prediction format (`{"<id>": {"articleBody": "…"}}`), twice:
//! `verbatim-extract.json` from the extract pass alone (its main-text blocks), and
//! `verbatim-clean.json` from the whole cleaner (the Markdown body; a refused page
//! counts as an empty body), and `rs-trafilatura-alone.json` from the extraction crate the
//! extract pass builds on, called directly, for comparison. Measures nothing itself: `bench/extraction.sh` runs it and
//! scores the files with the benchmark's own `evaluate.py`. It also prints what the
//! despin pass did to these pages: they are ordinary news, not spun, so every page it
//! judged spun and every word it restored or listed is a false alarm.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use verbatim::clean::{ChangeKind, CleanSettings, clean_document, decode, extract};

#[derive(Serialize)]
struct Prediction {
    #[serde(rename = "articleBody")]
    article_body: String,
}

/// One page's bodies: from the extract pass, and from the whole cleaner (`None` when
/// the cleaner refused the page), and what the despin pass did to it.
struct Bodies {
    extract: String,
    clean: Option<String>,
    crate_alone: String,
    despin: Despun,
}

/// The despin pass's work on one page: whether it judged the page spun, and the words
/// it restored and listed as suspects.
#[derive(Default)]
struct Despun {
    spun: bool,
    restored: Vec<String>,
    suspects: usize,
}

fn run_page(path: &Path) -> Result<Bodies, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let decoded = decode::decode(&bytes).map_err(|e| format!("{name}: {e}"))?;
    let page = extract::extract(&decoded.text, true);
    let extract = page
        .main_blocks()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let cleaned = clean_document(&bytes, &name, &CleanSettings::default()).ok();
    let despin = cleaned.as_ref().map_or_else(Despun::default, |cleaned| {
        let report = &cleaned.report;
        Despun {
            spun: report.despun,
            restored: report
                .changes
                .iter()
                .filter(|c| c.kind == ChangeKind::SpunWordRestored)
                .map(|c| format!("{} → {}", c.from, c.to.as_deref().unwrap_or("")))
                .collect(),
            suspects: report
                .suspects
                .iter()
                .filter(|s| s.kind == ChangeKind::SpunWordRestored)
                .count(),
        }
    });
    let clean = cleaned.map(|cleaned| cleaned.body);
    let crate_alone = rs_trafilatura::extract(&decoded.text)
        .map(|result| result.content_text)
        .unwrap_or_default();
    Ok(Bodies {
        extract,
        clean,
        crate_alone,
        despin,
    })
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pages, out] = args.as_slice() else {
        return Err("usage: extract-bench HTML_DIR OUTPUT_DIR".to_string());
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(pages)
        .map_err(|e| format!("{pages}: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "html"))
        .collect();
    paths.sort();
    let results: Vec<(String, Bodies)> = paths
        .par_iter()
        .map(|path| {
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            run_page(path).map(|bodies| (id, bodies))
        })
        .collect::<Result<_, _>>()?;
    let refused: Vec<&str> = results
        .iter()
        .filter(|(_, b)| b.clean.is_none())
        .map(|(id, _)| id.as_str())
        .collect();
    let mut extract = BTreeMap::new();
    let mut clean = BTreeMap::new();
    let mut crate_alone = BTreeMap::new();
    for (id, bodies) in &results {
        extract.insert(
            id.clone(),
            Prediction {
                article_body: bodies.extract.clone(),
            },
        );
        crate_alone.insert(
            id.clone(),
            Prediction {
                article_body: bodies.crate_alone.clone(),
            },
        );
        clean.insert(
            id.clone(),
            Prediction {
                article_body: bodies.clean.clone().unwrap_or_default(),
            },
        );
    }
    let write = |file: &str, value: &BTreeMap<String, Prediction>| -> Result<(), String> {
        let path = Path::new(out).join(file);
        let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
        std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("verbatim-extract.json", &extract)?;
    write("verbatim-clean.json", &clean)?;
    write("rs-trafilatura-alone.json", &crate_alone)?;
    println!(
        "{} pages; the cleaner refused {}{}",
        results.len(),
        refused.len(),
        listed(&refused)
    );
    let spun = results.iter().filter(|(_, b)| b.despin.spun).count();
    let restored: Vec<String> = results
        .iter()
        .flat_map(|(id, b)| {
            // The page's id is a hash; its first twelve digits find its file.
            let short = id.get(..12).unwrap_or(id);
            b.despin
                .restored
                .iter()
                .map(move |r| format!("{r} ({short}…)"))
        })
        .collect();
    let suspects: usize = results.iter().map(|(_, b)| b.despin.suspects).sum();
    println!(
        "despin on these unspun pages (all false alarms): {spun} of {} judged spun, {} words \
         restored{}, {suspects} listed as suspects",
        results.len(),
        restored.len(),
        listed(&restored)
    );
    Ok(())
}

/// `items` after a colon, comma-separated, or nothing when there are none.
fn listed(items: &[impl AsRef<str>]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!(": {}", items.join(", "))
}
