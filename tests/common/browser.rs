//! Headless Chromium for the browser tests (Debian's `chromium` package, installed by
//! `.ci/install-browser`), driven over the DevTools protocol.
//!
//! Without Chromium these tests are skipped with a message, unless
//! `VERBATIM_REQUIRE_BROWSER=1` (set by `.ci/run`) makes that a failure.

use std::ffi::OsStr;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

/// How long a page may take to show what a test waits for.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A headless browser with its own temporary profile.
pub struct TestBrowser {
    /// The browser; dropping it ends the process.
    pub browser: Browser,
    _profile: tempfile::TempDir,
}

/// Starts Chromium, or returns `None` when it is missing (see [`super::chromium_or_skip`]).
pub fn start() -> Option<TestBrowser> {
    let chromium = super::chromium_or_skip()?;
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let args: Vec<&OsStr> = [
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let browser = Browser::new(LaunchOptions {
        path: Some(chromium.clone()),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        user_data_dir: Some(profile.path().to_path_buf()),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    })
    .unwrap_or_else(|error| panic!("cannot start {}: {error}", chromium.display()));
    Some(TestBrowser {
        browser,
        _profile: profile,
    })
}

/// Evaluates `expression` until it returns true; panics after [`TIMEOUT`].
pub fn wait_until(tab: &Tab, what: &str, expression: &str) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        // Evaluating fails while the page is between documents; that is a retry.
        let value = tab
            .evaluate(expression, false)
            .ok()
            .and_then(|result| result.value);
        if value == Some(serde_json::Value::Bool(true)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not seen within {TIMEOUT:?} (page: {})",
            tab.get_url()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The value of `expression` in the page, as JSON; panics if it throws.
pub fn evaluate(tab: &Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, false)
        .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}
