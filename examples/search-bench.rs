//! Search benchmark driver, run by `bench/search.sh`: opens a built site's search page in
//! headless Chromium with the CPU slowed down (DevTools `Emulation.setCPUThrottlingRate`)
//! and reports, per query, the time from submitting it to the first result and to the
//! full first page of results, and the compressed bytes the reader had downloaded
//! before the first result (the page, the script, the stylesheets and the index files,
//! each gzipped at level 9 from the output folder; responses complete before the first
//! result showed).
//!
//! ```text
//! cargo run --release --example search-bench -- PUBLIC_DIR URL THROTTLE QUERY...
//! ```
//!
//! `URL` is where `PUBLIC_DIR` is served (e.g. by `python3 -m http.server`). The browser
//! cache is disabled for the cold run of each query and enabled for the warm run that
//! follows, which repeats the query in the same page (its decoded terms are kept). The
//! fresh run opens the page anew with the index files in the browser's cache, so the
//! query is parsed, decoded and ranked from scratch without waiting on the network. The
//! typed run does the same but types the query a character every 100 ms, as the page
//! sees a reader type, and times the first result from the query's start (the page
//! waits for a 120 ms pause in typing before it runs a query; the shards of the terms
//! typed so far are fetched meanwhile).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::{Emulation, Network};
use headless_chrome::{Browser, LaunchOptions, Tab};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [public, url, throttle, queries @ ..] = args.as_slice() else {
        eprintln!("usage: search-bench PUBLIC_DIR URL THROTTLE QUERY...");
        return ExitCode::from(2);
    };
    let Ok(throttle) = throttle.parse::<f64>() else {
        eprintln!("search-bench: THROTTLE must be a number, got {throttle:?}");
        return ExitCode::from(2);
    };
    match run(Path::new(public), url, throttle, queries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("search-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What one query cost.
struct Measure {
    first_ms: f64,
    page_ms: f64,
    results: u64,
    bytes_before_first: u64,
    files_before_first: Vec<String>,
}

fn run(public: &Path, url: &str, throttle: f64, queries: &[String]) -> anyhow::Result<()> {
    let chromium = std::env::var_os("VERBATIM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let browser = Browser::new(LaunchOptions {
        path: Some(chromium),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        idle_browser_timeout: Duration::from_secs(300),
        ..LaunchOptions::default()
    })?;
    println!(
        "| query | results | cold: first result ms | cold: first page ms | warm: first result ms | fresh: first result ms | typed: first result ms | KB gzip before first result | files |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for query in queries {
        let tab = browser.new_tab()?;
        tab.call_method(Emulation::SetCPUThrottlingRate { rate: throttle })?;
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })?;
        tab.call_method(Network::SetCacheDisabled {
            cache_disabled: true,
        })?;
        let cold = measure(&tab, public, url, query)?;
        tab.call_method(Network::SetCacheDisabled {
            cache_disabled: false,
        })?;
        let warm = measure_again(&tab, query)?;
        // The first fresh page fills the browser's cache, the second is measured.
        measure_fresh(&tab, url, query)?;
        let fresh = measure_fresh(&tab, url, query)?;
        let typed = measure_typed(&tab, url, query)?;
        println!(
            "| {query} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
            cold.results,
            cold.first_ms,
            cold.page_ms,
            warm.first_ms,
            fresh.first_ms,
            typed,
            cold.bytes_before_first as f64 / 1024.0,
            cold.files_before_first.len()
        );
        eprintln!("  {query}: {}", cold.files_before_first.join(" "));
        std::io::stdout().flush()?;
        tab.close(true)?;
    }
    Ok(())
}

/// Installs a probe that times a query from submit to the first result and to the
/// finished first page (the list's `aria-busy` goes back to false).
const PROBE: &str = r#"
window.__bench = { done: false };
(() => {
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const input = document.getElementById('search-input');
  const started = performance.now();
  window.__bench.started = started;
  const check = () => {
    const b = window.__bench;
    if (b.first === undefined && list.querySelector('.search-result')) b.first = performance.now();
    const items = list.querySelectorAll('.search-result');
    if (b.busy && list.getAttribute('aria-busy') === 'false' && !b.done) {
      b.page = performance.now();
      b.results = items.length;
      b.done = true;
    }
  };
  new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  input.value = QUERY;
  input.form.dispatchEvent(new Event('submit', { cancelable: true }));
  // The page marks the list busy until the first page of results has its snippets.
  window.__bench.busy = list.getAttribute('aria-busy') === 'true';
  check();
})();
"#;

/// Opens the search page and waits while the script fetches the manifest, as it does
/// while the reader types.
fn open_search_page(tab: &Tab, url: &str) -> anyhow::Result<()> {
    let page = format!("{}/search/", url.trim_end_matches('/'));
    tab.navigate_to(&page)?.wait_until_navigated()?;
    wait_for(tab, "document.getElementById('search-input') !== null")?;
    std::thread::sleep(Duration::from_millis(500));
    Ok(())
}

fn measure(tab: &Tab, public: &Path, url: &str, query: &str) -> anyhow::Result<Measure> {
    open_search_page(tab, url)?;
    let times = probe(tab, query)?;
    let entries = tab
        .evaluate(
            "JSON.stringify([location.pathname].concat(performance.getEntriesByType('resource').filter(e => e.responseEnd <= window.__bench.first).map(e => new URL(e.name).pathname)))",
            false,
        )?
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let paths: Vec<String> = serde_json::from_str(&entries)?;
    // The browser also asks for /favicon.ico, which the site does not have.
    let paths: Vec<String> = paths
        .into_iter()
        .filter(|path| file_for(public, path).is_file())
        .collect();
    let mut bytes = 0;
    for path in &paths {
        bytes += gzip_size(&file_for(public, path))?;
    }
    Ok(Measure {
        files_before_first: paths,
        bytes_before_first: bytes,
        ..times
    })
}

/// The same query again in the same page, with the index files now cached.
fn measure_again(tab: &Tab, query: &str) -> anyhow::Result<Measure> {
    probe(tab, query)
}

/// The query in a newly opened page, with the browser's cache enabled.
fn measure_fresh(tab: &Tab, url: &str, query: &str) -> anyhow::Result<Measure> {
    open_search_page(tab, url)?;
    probe(tab, query)
}

/// Types `QUERY` into the box a character every 100 ms and times the first result from
/// the moment the page starts the query (the list turns `aria-busy`).
const TYPING_PROBE: &str = r#"
window.__bench = { done: false };
(async () => {
  const list = document.getElementById('search-results');
  const input = document.getElementById('search-input');
  const b = window.__bench;
  new MutationObserver(() => {
    if (b.started === undefined && list.getAttribute('aria-busy') === 'true') b.started = performance.now();
    if (b.started !== undefined && !b.done && list.querySelector('.search-result')) {
      b.first = performance.now();
      b.done = true;
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
  let typed = '';
  for (const c of Array.from(QUERY)) {
    typed += c;
    input.value = typed;
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();
"#;

/// The query typed in a newly opened page, with the browser's cache enabled: the time
/// from the query's start to its first result.
fn measure_typed(tab: &Tab, url: &str, query: &str) -> anyhow::Result<f64> {
    open_search_page(tab, url)?;
    let script = TYPING_PROBE.replace("QUERY", &serde_json::to_string(query)?);
    tab.evaluate(&script, false)?;
    wait_for(tab, "window.__bench && window.__bench.done")?;
    let value = tab
        .evaluate("window.__bench.first - window.__bench.started", false)?
        .value
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN);
    Ok(value)
}

fn probe(tab: &Tab, query: &str) -> anyhow::Result<Measure> {
    let script = PROBE.replace("QUERY", &serde_json::to_string(query)?);
    tab.evaluate(&script, false)?;
    wait_for(tab, "window.__bench && window.__bench.done")?;
    let value = tab
        .evaluate("JSON.stringify(window.__bench)", false)?
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let bench: serde_json::Value = serde_json::from_str(&value)?;
    let number = |key: &str| bench[key].as_f64().unwrap_or(f64::NAN);
    let started = number("started");
    Ok(Measure {
        first_ms: number("first") - started,
        page_ms: number("page") - started,
        results: bench["results"].as_u64().unwrap_or(0),
        bytes_before_first: 0,
        files_before_first: Vec::new(),
    })
}

fn wait_for(tab: &Tab, expression: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let value = tab.evaluate(expression, false).ok().and_then(|r| r.value);
        if value == Some(serde_json::Value::Bool(true)) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    anyhow::bail!("timed out waiting for {expression}")
}

/// The output file a URL path is served from.
fn file_for(public: &Path, path: &str) -> PathBuf {
    let decoded = percent_encoding::percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8_lossy()
        .to_string();
    let file = public.join(decoded);
    if path.ends_with('/') {
        file.join("index.html")
    } else {
        file
    }
}

fn gzip_size(path: &Path) -> anyhow::Result<u64> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes)?;
    Ok(encoder.finish()?.len() as u64)
}
