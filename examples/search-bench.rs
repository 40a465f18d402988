//! Search benchmark driver, run by `bench/search.sh`: opens a built site's search page in
//! headless Chromium with the CPU slowed down (DevTools `Emulation.setCPUThrottlingRate`)
//! and reports, per query, the time from submitting it to the first result (and, for
//! the fresh run, to the first snippet) and to the full first page of results, and the
//! compressed bytes the reader had downloaded
//! before the first result (the page, the script, the stylesheets and the index files,
//! each gzipped at level 9 from the output folder; responses complete before the first
//! result showed).
//!
//! ```text
//! cargo run --release --example search-bench -- PUBLIC_DIR URL THROTTLE QUERY...
//! ```
//!
//! `THROTTLE` is the slowdown rate (`4`), or `mid` or `low` for the rate at which this
//! machine's browser scores like a mid-tier phone (a Pixel 5) or a low-tier one on a
//! small CPU benchmark, the device classes and method of Chrome DevTools' CPU
//! calibration (Lighthouse's benchmark index: building strings and copying arrays, in
//! runs per second; a mid-tier phone scores about 1,000, a low-tier one about 264).
//! Every report starts with the host's score and the score at the rate used, so a
//! fixed rate's figures say what device they stood for on that machine.
//!
//! `URL` is where `PUBLIC_DIR` is served (e.g. by `python3 -m http.server`). The browser
//! cache is disabled for the cold run of each query and enabled for the warm run that
//! follows, which repeats the query in the same page (its decoded terms are kept). The
//! fresh run opens the page anew with the index files in the browser's cache, so the
//! query is parsed, decoded and ranked from scratch without waiting on the network. The
//! typed run does the same but types the query a character every 100 ms, as the page
//! sees a reader type, and times the first result from the query's start (the page
//! waits for a 120 ms pause in typing before it runs a query; the shards of the terms
//! typed so far are fetched meanwhile). The linked run opens `/search/?q=QUERY` anew, as
//! a reader following a shared link does, and times the first result from the start of
//! the navigation (the page, the script and the manifest included).
//!
//! `FRESH_ONLY=1` skips the warm, typed and linked runs, for quicker comparisons of the
//! fresh one. `RUNS=N` in the environment measures every query N times (each time in a new tab)
//! and reports the median with the minimum and maximum. `PROFILE=1` adds, per query,
//! a CPU profile of one more fresh run (DevTools `Profiler`, 100 µs samples) from the
//! submit to the first result: where the main thread's time went (the script's
//! functions by self time, the browser's own work as `(program)`, waiting as `(idle)`)
//! and when each file the query fetched started and ended. `TIMELINE=1` with it prints
//! to stderr each traced run's main-thread events of 0.1 ms or more in order, nested,
//! with when each started: where a rendering pass or a response body sits between
//! the submit and the first result.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::{Emulation, Network, Page, Profiler};
use headless_chrome::{Browser, LaunchOptions, Tab};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [public, url, throttle, queries @ ..] = args.as_slice() else {
        eprintln!("usage: search-bench PUBLIC_DIR URL THROTTLE QUERY...");
        return ExitCode::from(2);
    };
    let throttle = match throttle.as_str() {
        "mid" => Throttle::Calibrated(MID_TIER_SCORE),
        "low" => Throttle::Calibrated(LOW_TIER_SCORE),
        rate => match rate.parse::<f64>() {
            Ok(rate) if rate >= 1.0 => Throttle::Rate(rate),
            _ => {
                eprintln!(
                    "search-bench: THROTTLE must be a rate of 1 or more, `mid` or `low`, got {rate:?}"
                );
                return ExitCode::from(2);
            }
        },
    };
    match run(Path::new(public), url, throttle, queries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("search-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

/// How much to slow the page's CPU down.
#[derive(Clone, Copy)]
enum Throttle {
    /// A fixed DevTools slowdown rate.
    Rate(f64),
    /// The rate at which the benchmark index comes out at this score.
    Calibrated(f64),
}

/// Benchmark index of a mid-tier phone (a Pixel 5), as Chrome DevTools' calibration targets.
const MID_TIER_SCORE: f64 = 1000.0;
/// Benchmark index of a low-tier phone (a Moto G4 Power of 2022), likewise.
const LOW_TIER_SCORE: f64 = 264.0;

/// Defines `benchmarkIndex(ms)`: half the time appending to a string 10,000 times, half
/// copying an array of 100,000 numbers, each as runs per second over ten, averaged
/// (the measure Lighthouse calls its benchmark index).
const BENCHMARK_INDEX: &str = r#"
window.benchmarkIndex = (ms) => {
  const perSecondOverTen = (runs, since) => runs / 10 / ((Date.now() - since) / 1000);
  let since = Date.now();
  let strings = 0;
  while (Date.now() - since < ms / 2) {
    let text = '';
    for (let i = 0; i < 10000; i++) text += 'a';
    if (text.length !== 10000) throw new Error('string not built');
    strings++;
  }
  const stringScore = perSecondOverTen(strings, since);
  const left = Array.from({ length: 100000 }, (_, i) => i);
  const right = left.slice();
  since = Date.now();
  let copies = 0;
  // Date.now is read every tenth copy only, so the clock stays out of the loop's cost.
  while (copies % 10 !== 0 || Date.now() - since < ms / 2) {
    const [from, to] = copies % 2 === 0 ? [left, right] : [right, left];
    for (let i = 0; i < from.length; i++) to[i] = from[i];
    copies++;
  }
  return (stringScore + perSecondOverTen(copies, since)) / 2;
};
"#;

/// The benchmark index at `rate`: the median of `runs` runs of 250 ms.
fn benchmark_index(tab: &Tab, rate: f64, runs: usize) -> anyhow::Result<f64> {
    tab.call_method(Emulation::SetCPUThrottlingRate { rate })?;
    let mut scores = (0..runs)
        .map(|_| one_benchmark_run(tab))
        .collect::<anyhow::Result<Vec<f64>>>()?;
    Ok(median(&mut scores))
}

/// One run of 250 ms, the length Chrome DevTools' calibration uses.
fn one_benchmark_run(tab: &Tab) -> anyhow::Result<f64> {
    tab.evaluate("benchmarkIndex(250)", false)?
        .value
        .and_then(|v| v.as_f64())
        .ok_or_else(|| anyhow::anyhow!("the benchmark index gave no number"))
}

/// Finds the slowdown rate for `throttle` and prints what device it stands for: the
/// host's benchmark index and the index at that rate.
fn calibrate(browser: &Browser, throttle: Throttle) -> anyhow::Result<f64> {
    let tab = browser.new_tab()?;
    tab.navigate_to("about:blank")?.wait_until_navigated()?;
    tab.evaluate(BENCHMARK_INDEX, false)?;
    // Three seconds unthrottled first: the scores climb until V8 has optimised the loops.
    for _ in 0..12 {
        one_benchmark_run(&tab)?;
    }
    let host = benchmark_index(&tab, 1.0, 9)?;
    let rate = match throttle {
        Throttle::Rate(rate) => rate,
        Throttle::Calibrated(target) => {
            if host < target {
                anyhow::bail!(
                    "this machine's benchmark index is {host:.0}, below the {target:.0} asked for: it cannot be slowed down to that device; use a rate of 1"
                );
            }
            rate_for(&tab, target)?
        }
    };
    let score = benchmark_index(&tab, rate, 9)?;
    tab.close(true)?;
    println!(
        "CPU: benchmark index {host:.0} unthrottled, {score:.0} at the {rate:.2}× slowdown used (a mid-tier phone scores about {MID_TIER_SCORE:.0}, a low-tier one about {LOW_TIER_SCORE:.0})."
    );
    println!();
    Ok(rate)
}

/// The rate at which the benchmark index comes out at `target`. One run's index
/// varies by 15 % or so, and above 5× it splits into a fast and a slow cluster, so a
/// bisection on single runs wanders; instead the index is taken at rates from 1.5× to
/// 8× (the median of five runs each) and a power law, index = a / rate^p, fitted to
/// the logarithms by least squares is solved for the target. Unthrottled runs stay
/// out of the fit: throttling at all costs a step (2× scores about a third of 1×).
fn rate_for(tab: &Tab, target: f64) -> anyhow::Result<f64> {
    let mut points = Vec::new();
    for rate in [1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0] {
        points.push((f64::ln(rate), benchmark_index(tab, rate, 5)?.ln()));
    }
    let count = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / count;
    let covariance: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let variance: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let slope = covariance / variance;
    if slope >= 0.0 {
        anyhow::bail!(
            "the benchmark index did not fall as the CPU was slowed (slope {slope:.2}): the machine is too busy to calibrate; try again or give a rate"
        );
    }
    let intercept = mean_y - slope * mean_x;
    // DevTools applies rates to a hundredth.
    let rate = ((target.ln() - intercept) / slope).exp().max(1.0);
    Ok((rate * 100.0).round() / 100.0)
}

/// What one query cost.
struct Measure {
    first_ms: f64,
    /// To the first snippet (the first result's, unless that one was dropped).
    snippet_ms: f64,
    page_ms: f64,
    results: u64,
    bytes_before_first: u64,
    files_before_first: Vec<String>,
}

fn run(public: &Path, url: &str, throttle: Throttle, queries: &[String]) -> anyhow::Result<()> {
    let runs = match std::env::var("RUNS") {
        Ok(runs) => runs
            .parse::<usize>()
            .ok()
            .filter(|&runs| runs > 0)
            .ok_or_else(|| anyhow::anyhow!("RUNS must be a positive whole number, got {runs:?}"))?,
        Err(_) => 1,
    };
    let profile = std::env::var_os("PROFILE").is_some_and(|value| value == "1");
    let fresh_only = std::env::var_os("FRESH_ONLY").is_some_and(|value| value == "1");
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
    let throttle = calibrate(&browser, throttle)?;
    if runs > 1 {
        println!("Times in ms: median (minimum–maximum) of {runs} runs.");
        println!();
    }
    println!(
        "| query | results | cold: first result ms | cold: first page ms | warm: first result ms | fresh: first result ms | fresh: first snippet ms | typed: first result ms | linked: first result ms | KB gzip before first result | files |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut profiles = Vec::new();
    for query in queries {
        let mut cold = Vec::new();
        let mut page = Vec::new();
        let mut warm = Vec::new();
        let mut fresh = Vec::new();
        let mut fresh_snippet = Vec::new();
        let mut typed = Vec::new();
        let mut linked = Vec::new();
        let mut first_cold = None;
        for _ in 0..runs {
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
            let measured = measure(&tab, public, url, query)?;
            cold.push(measured.first_ms);
            page.push(measured.page_ms);
            tab.call_method(Network::SetCacheDisabled {
                cache_disabled: false,
            })?;
            if !fresh_only {
                warm.push(measure_again(&tab, query)?.first_ms);
            }
            // A reader has no DevTools open: the network domain's bookkeeping (a record
            // and the script's stack for every request) would be timed too.
            tab.call_method(Network::Disable(None))?;
            // The first fresh page fills the browser's cache, the second is measured.
            measure_fresh(&tab, url, query)?;
            let again = measure_fresh(&tab, url, query)?;
            fresh.push(again.first_ms);
            fresh_snippet.push(again.snippet_ms);
            if !fresh_only {
                typed.push(measure_typed(&tab, url, query)?);
                linked.push(measure_linked(&tab, url, query)?);
            }
            if profile && first_cold.is_none() {
                let functions = profile_fresh(&tab, url, query)?;
                let tasks = trace_fresh(&tab, url, query)?;
                let linked = trace_linked(&tab, url, query)?;
                profiles.push((
                    query.clone(),
                    format!(
                        "{functions}\n{tasks}\nLinked page, navigation to first result: {linked}"
                    ),
                ));
            }
            first_cold.get_or_insert(measured);
            tab.close(true)?;
        }
        let Some(cold_measure) = first_cold else {
            continue;
        };
        println!(
            "| {query} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {} |",
            cold_measure.results,
            spread(&mut cold),
            spread(&mut page),
            spread(&mut warm),
            spread(&mut fresh),
            spread(&mut fresh_snippet),
            spread(&mut typed),
            spread(&mut linked),
            cold_measure.bytes_before_first as f64 / 1024.0,
            cold_measure.files_before_first.len()
        );
        eprintln!("  {query}: {}", cold_measure.files_before_first.join(" "));
        std::io::stdout().flush()?;
    }
    for (query, breakdown) in profiles {
        println!();
        println!("Profile of `{query}`, fresh page, submit to first result:");
        println!();
        println!("{breakdown}");
    }
    Ok(())
}

/// `12.3` for one time, else the median with the minimum and maximum: `12.3 (10.1–15.0)`.
fn spread(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    match times {
        [] => String::from("–"),
        [only] => format!("{only:.1}"),
        _ => format!(
            "{:.1} ({:.1}–{:.1})",
            median(times),
            times[0],
            times[times.len() - 1]
        ),
    }
}

/// The median of `values` (at least one), which sorts them.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
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
    if (b.snippet === undefined && list.querySelector('.search-result__snippet')) b.snippet = performance.now();
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

/// Marks the moment the page shows its first result, from the start of the navigation.
const LINK_PROBE: &str = r#"
window.__linked = {};
new MutationObserver(() => {
  if (window.__linked.first === undefined && document.querySelector('#search-results .search-result')) {
    window.__linked.first = performance.now();
  }
}).observe(document, { childList: true, subtree: true });
"#;

/// Opens `/search/?q=QUERY` in the tab, as a reader following a shared link does, with
/// the index files in the browser's cache: the time from the navigation's start to the
/// first result.
fn measure_linked(tab: &Tab, url: &str, query: &str) -> anyhow::Result<f64> {
    let installed = tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
        source: LINK_PROBE.to_string(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })?;
    let query: String =
        percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let page = format!("{}/search/?q={query}", url.trim_end_matches('/'));
    let measured = tab
        .navigate_to(&page)
        .and_then(|tab| tab.wait_until_navigated())
        .and_then(|_| {
            wait_for(
                tab,
                "window.__linked && window.__linked.first !== undefined",
            )
        })
        .and_then(|()| {
            Ok(tab
                .evaluate("window.__linked.first", false)?
                .value
                .and_then(|v| v.as_f64())
                .unwrap_or(f64::NAN))
        });
    tab.call_method(Page::RemoveScriptToEvaluateOnNewDocument {
        identifier: installed.identifier,
    })?;
    measured
}

/// Runs the page's main thread busy for a millisecond, so the profile shows where the
/// query starts, then submits the query.
const PROFILE_PROBE: &str = r#"
function __benchMarkStart() {
  const until = performance.now() + 5;
  while (performance.now() < until);
}
__benchMarkStart();
"#;

/// One more fresh run of `query` under the CPU profiler: where the main thread's time
/// went between the submit and the first result, and the files fetched meanwhile.
fn profile_fresh(tab: &Tab, url: &str, query: &str) -> anyhow::Result<String> {
    open_search_page(tab, url)?;
    tab.call_method(Profiler::Enable(None))?;
    tab.call_method(Profiler::SetSamplingInterval { interval: 100 })?;
    tab.call_method(Profiler::Start(None))?;
    let script = format!(
        "{PROFILE_PROBE}{}",
        PROBE.replace("QUERY", &serde_json::to_string(query)?)
    );
    tab.evaluate(&script, false)?;
    wait_for(tab, "window.__bench && window.__bench.done")?;
    let profile = tab.call_method(StopProfiler {})?;
    tab.call_method(Profiler::Disable(None))?;
    let first_ms = tab
        .evaluate("window.__bench.first - window.__bench.started", false)?
        .value
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN);
    let files = tab
        .evaluate(
            "JSON.stringify(performance.getEntriesByType('resource').filter(e => e.startTime >= window.__bench.started && e.startTime <= window.__bench.first).map(e => [new URL(e.name).pathname, e.startTime - window.__bench.started, e.responseEnd - window.__bench.started, e.transferSize]))",
            false,
        )?
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let files: Vec<(String, f64, f64, u64)> = serde_json::from_str(&files)?;

    // Each sample's time, and the function it was taken in.
    let profile = &profile["profile"];
    let nodes: std::collections::HashMap<u64, String> = profile["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| Some((node["id"].as_u64()?, frame_name(&node["callFrame"]))))
        .collect();
    let numbers = |key: &str| -> Vec<f64> {
        profile[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_f64)
            .collect()
    };
    let mut at = profile["startTime"].as_f64().unwrap_or_default();
    let timed: Vec<(f64, &str)> = numbers("samples")
        .iter()
        .zip(numbers("timeDeltas"))
        .filter_map(|(sample, delta)| {
            at += delta;
            nodes.get(&(*sample as u64)).map(|name| (at, name.as_str()))
        })
        .collect();
    let start = timed
        .iter()
        .filter(|(_, name)| name.split(' ').next() == Some("__benchMarkStart"))
        .map(|(at, _)| *at)
        .next_back()
        .ok_or_else(|| anyhow::anyhow!("the profile missed the query's start"))?;
    let end = start + first_ms * 1000.0;
    let window: Vec<&(f64, &str)> = timed
        .iter()
        .filter(|(at, _)| *at > start && *at <= end)
        .collect();
    let mut by_function: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    for pair in window.windows(2) {
        let (at, name) = pair[0];
        *by_function.entry(name).or_default() += (pair[1].0 - at) / 1000.0;
    }
    let mut by_function: Vec<(&str, f64)> = by_function.into_iter().collect();
    by_function.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = format!(
        "First result after {first_ms:.1} ms. Main thread, self time:\n\n| where | ms |\n|---|---:|\n"
    );
    for (name, ms) in by_function.iter().filter(|(_, ms)| *ms >= 0.5) {
        out += &format!("| {name} | {ms:.1} |\n");
    }
    out += "\nFiles fetched (ms from the submit):\n\n| file | start | end | bytes over the wire |\n|---|---:|---:|---:|\n";
    for (path, from, to, bytes) in files {
        out += &format!("| {path} | {from:.1} | {to:.1} | {bytes} |\n");
    }
    Ok(out)
}

/// `Profiler.stop`, its profile read as JSON: the protocol's typed profile rejects the
/// negative time deltas Chromium sends.
#[derive(Debug, serde::Serialize)]
struct StopProfiler {}

impl headless_chrome::protocol::cdp::types::Method for StopProfiler {
    const NAME: &'static str = "Profiler.stop";
    type ReturnObject = serde_json::Value;
}

/// `search.js:42 lookup` for a function of a script, `(program)` for the browser's own.
fn frame_name(frame: &serde_json::Value) -> String {
    let function = frame["functionName"].as_str().unwrap_or_default();
    let url = frame["url"].as_str().unwrap_or_default();
    if url.is_empty() {
        return function.to_string();
    }
    let file = url.rsplit('/').next().unwrap_or_default();
    let line = frame["lineNumber"].as_u64().unwrap_or_default() + 1;
    let function = if function.is_empty() {
        "(anonymous)"
    } else {
        function
    };
    format!("{function} {file}:{line}")
}

/// `Tracing.start`, the trace handed over as a stream when it ends.
#[derive(Debug, serde::Serialize)]
struct StartTracing {
    categories: &'static str,
    #[serde(rename = "transferMode")]
    transfer_mode: &'static str,
}

impl headless_chrome::protocol::cdp::types::Method for StartTracing {
    const NAME: &'static str = "Tracing.start";
    type ReturnObject = serde_json::Value;
}

/// What the trace records: the main thread's tasks and what runs in them.
const TRACE_CATEGORIES: &str = "toplevel,devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,blink,blink.user_timing,loading,disabled-by-default-v8.gc";

/// One more fresh run of `query` under DevTools tracing: the renderer's main thread
/// between the submit and the first result, by the self time of each kind of event,
/// and the time no task ran.
fn trace_fresh(tab: &Tab, url: &str, query: &str) -> anyhow::Result<String> {
    open_search_page(tab, url)?;
    let script = format!(
        "performance.mark('bench-start');{}",
        PROBE.replace("QUERY", &serde_json::to_string(query)?)
    );
    trace(tab, "bench-start", || {
        tab.evaluate(&script, false)?;
        wait_for(tab, "window.__bench && window.__bench.done")?;
        Ok(tab
            .evaluate("window.__bench.first - window.__bench.started", false)?
            .value
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN))
    })
}

/// The same for one more linked run, from the start of the navigation.
fn trace_linked(tab: &Tab, url: &str, query: &str) -> anyhow::Result<String> {
    trace(tab, "navigationStart", || measure_linked(tab, url, query))
}

/// Traces `run`, which returns the milliseconds from the trace's last `mark` to the
/// first result, and sums up the renderer's main thread between the two.
fn trace(
    tab: &Tab,
    mark: &str,
    run: impl FnOnce() -> anyhow::Result<f64>,
) -> anyhow::Result<String> {
    use headless_chrome::protocol::cdp::{IO, Tracing};
    let stream = std::sync::Arc::new(std::sync::Mutex::new(None));
    let slot = stream.clone();
    let listener = tab.add_event_listener(std::sync::Arc::new(
        move |event: &headless_chrome::protocol::cdp::types::Event| {
            if let headless_chrome::protocol::cdp::types::Event::TracingComplete(complete) = event
                && let Ok(mut slot) = slot.lock()
            {
                *slot = Some(complete.params.stream.clone());
            }
        },
    ))?;
    tab.call_method(StartTracing {
        categories: TRACE_CATEGORIES,
        transfer_mode: "ReturnAsStream",
    })?;
    let first_ms = run()?;
    tab.call_method(Tracing::End(None))?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let handle = loop {
        if let Some(handle) = stream.lock().ok().and_then(|mut slot| slot.take()) {
            break handle;
        }
        anyhow::ensure!(Instant::now() < deadline, "the trace did not end");
        std::thread::sleep(Duration::from_millis(50));
    };
    tab.remove_event_listener(&listener)?;
    let handle = handle.ok_or_else(|| anyhow::anyhow!("the trace came without a stream"))?;
    let mut text = String::new();
    loop {
        let chunk = tab.call_method(IO::Read {
            handle: handle.clone(),
            offset: None,
            size: Some(1 << 20),
        })?;
        text += &chunk.data;
        if chunk.eof {
            break;
        }
    }
    tab.call_method(IO::Close { handle })?;
    let trace: serde_json::Value = serde_json::from_str(&text)?;
    let events = trace["traceEvents"]
        .as_array()
        .or_else(|| trace.as_array())
        .ok_or_else(|| anyhow::anyhow!("the trace has no events"))?;
    let mark = events
        .iter()
        .filter(|event| event["name"] == mark)
        .max_by(|a, b| {
            let ts = |event: &serde_json::Value| event["ts"].as_f64().unwrap_or_default();
            ts(a).total_cmp(&ts(b))
        })
        .ok_or_else(|| anyhow::anyhow!("the trace missed the query's start"))?;
    let pid = &mark["pid"];
    let main = events
        .iter()
        .find(|event| {
            event["ph"] == "M"
                && event["pid"] == *pid
                && event["name"] == "thread_name"
                && event["args"]["name"] == "CrRendererMain"
        })
        .map(|event| event["tid"].clone())
        .ok_or_else(|| anyhow::anyhow!("the trace has no renderer main thread"))?;
    let start = mark["ts"].as_f64().unwrap_or_default();
    let end = start + first_ms * 1000.0;
    // The main thread's complete events, outermost first where two start together.
    let mut spans: Vec<(f64, f64, String)> = events
        .iter()
        .filter(|event| event["ph"] == "X" && event["pid"] == *pid && event["tid"] == main)
        .filter_map(|event| {
            let from = event["ts"].as_f64()?;
            let to = from + event["dur"].as_f64()?;
            (to > start && from < end).then(|| (from.max(start), to.min(end), trace_name(event)))
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    // Self time: each span's length less its children's, found with a stack of the
    // spans that enclose the current one.
    let mut own: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut busy = 0.0;
    let timeline = std::env::var_os("TIMELINE").is_some_and(|value| value == "1");
    if timeline {
        eprintln!("Main thread from the {mark} mark (ms from it, ms long, event):");
    }
    for (i, (from, to, name)) in spans.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if spans[top].1 <= *from {
                stack.pop();
            } else {
                break;
            }
        }
        match stack.last() {
            Some(&parent) => *own.entry(spans[parent].2.as_str()).or_default() -= to - from,
            None => busy += to - from,
        }
        *own.entry(name.as_str()).or_default() += to - from;
        if timeline && stack.len() < TIMELINE_DEPTH && to - from >= 100.0 {
            let indent = "  ".repeat(stack.len());
            let (at, length) = ((from - start) / 1000.0, (to - from) / 1000.0);
            eprintln!("{indent}{at:7.1} {length:6.1} {name}");
        }
        stack.push(i);
    }
    let mut own: Vec<(&str, f64)> = own.into_iter().collect();
    own.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = format!(
        "First result after {first_ms:.1} ms; the main thread ran tasks for {:.1} ms of it. Self time by event:\n\n| event | ms |\n|---|---:|\n",
        busy / 1000.0
    );
    for (name, micros) in own.iter().filter(|(_, micros)| *micros >= 500.0) {
        out += &format!("| {name} | {:.1} |\n", micros / 1000.0);
    }
    Ok(out)
}

/// How deep in the main thread's nesting of events `TIMELINE=1` shows them.
const TIMELINE_DEPTH: usize = 6;

/// An event's name, with the function or file it ran where the trace says.
fn trace_name(event: &serde_json::Value) -> String {
    let name = event["name"].as_str().unwrap_or_default();
    let data = &event["args"]["data"];
    let detail = data["functionName"]
        .as_str()
        .filter(|function| !function.is_empty())
        .or_else(|| data["url"].as_str().and_then(|url| url.rsplit('/').next()))
        .filter(|detail| !detail.is_empty());
    match detail {
        Some(detail) => format!("{name} ({detail})"),
        None => name.to_string(),
    }
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
        snippet_ms: number("snippet") - started,
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
