//! `verbatim serve` in a real browser: headless Chromium (Debian's `chromium` package,
//! installed by `.ci/install-browser`) driven over the DevTools protocol. It opens the
//! home page, follows a tag link, then edits and breaks an article on disk and watches
//! the page reload and the error overlay come and go. A second test walks a Chinese
//! site: its interface, the menu, a standalone page and a redirect from an old URL.
//!
//! Without Chromium this test fails; set `VERBATIM_SKIP_BROWSER=1` to skip it knowingly.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};
use verbatim::ServeOptions;
use verbatim::serve::Server;

const TIMEOUT: Duration = Duration::from_secs(20);

const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome"];

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(&path, text).expect("write file");
}

fn article(title: &str, tags: &str) -> String {
    format!("---\ntitle: {title:?}\ndate: 2024-02-01\ntags: {tags}\n---\nQ: Why?\n\nA: Because.\n")
}

/// `VERBATIM_CHROMIUM`, else the first Chromium on the `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("VERBATIM_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let search = std::env::var_os("PATH")?;
    std::env::split_paths(&search)
        .flat_map(|dir| CHROMIUM_NAMES.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Evaluates `expression` until it returns true.
fn wait_until(tab: &Tab, what: &str, expression: &str) {
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

fn heading_is(title: &str) -> String {
    format!(
        "document.querySelector('h1') !== null && document.querySelector('h1').textContent.includes({title:?})"
    )
}

/// Chromium, or `None` when it is missing and `VERBATIM_SKIP_BROWSER=1` says to skip.
fn chromium_or_skip() -> Option<PathBuf> {
    let Some(chromium) = find_chromium() else {
        if std::env::var_os("VERBATIM_SKIP_BROWSER").is_some_and(|v| v == "1") {
            eprintln!("skipped: no Chromium, and VERBATIM_SKIP_BROWSER=1");
            return None;
        }
        panic!(
            "Chromium is not installed (looked for {CHROMIUM_NAMES:?} on PATH and $VERBATIM_CHROMIUM).\n\
             Install it with `.ci/install-browser` (Debian: apt-get install chromium), \
             or set VERBATIM_SKIP_BROWSER=1 to skip this test."
        );
    };
    Some(chromium)
}

/// A headless browser with its own profile folder (kept alive by the caller).
fn launch(chromium: &Path, profile: &Path) -> Browser {
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
    Browser::new(LaunchOptions {
        path: Some(chromium.to_path_buf()),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        user_data_dir: Some(profile.to_path_buf()),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    })
    .unwrap_or_else(|error| panic!("cannot start {}: {error}", chromium.display()))
}

#[test]
fn the_browser_follows_links_reloads_after_an_edit_and_shows_errors() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };

    let site = tempfile::tempdir().expect("temporary folder");
    write(
        site.path(),
        "content/interviews/first.md",
        &article("First talk", "[archives]"),
    );
    write(
        site.path(),
        "content/interviews/second.md",
        &article("Second talk", "[档案]"),
    );
    let options = ServeOptions {
        port: Some(0),
        ..ServeOptions::default()
    };
    let server = Server::start(site.path(), &options).expect("the server starts");

    let profile = tempfile::tempdir().expect("temporary profile folder");
    let browser = launch(&chromium, profile.path());
    let tab = browser.new_tab().expect("a tab");

    tab.navigate_to(&server.url())
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open the home page");
    wait_until(
        &tab,
        "the home page lists both articles",
        "document.body.textContent.includes('First talk') && document.body.textContent.includes('Second talk')",
    );

    tab.wait_for_element("a[href='/tags/%E6%A1%A3%E6%A1%88/']")
        .and_then(|link| link.click().map(|_| ()))
        .expect("click the Chinese tag link");
    wait_until(
        &tab,
        "the tag page",
        "decodeURIComponent(location.pathname) === '/tags/档案/' && document.body.textContent.includes('Second talk')",
    );

    tab.wait_for_element("a[href='/interviews/second/']")
        .and_then(|link| link.click().map(|_| ()))
        .expect("click the article link");
    wait_until(&tab, "the article page", &heading_is("Second talk"));

    write(
        site.path(),
        "content/interviews/second.md",
        &article("Second talk, edited", "[档案]"),
    );
    wait_until(
        &tab,
        "the page reloads with the new title",
        &heading_is("Second talk, edited"),
    );

    write(
        site.path(),
        "content/interviews/second.md",
        "---\ntitle: Broken\ndate: soon\n---\nBody\n",
    );
    wait_until(
        &tab,
        "the error overlay",
        "document.getElementById('verbatim-error') !== null && \
         document.getElementById('verbatim-error').textContent.includes('content/interviews/second.md:3')",
    );

    write(
        site.path(),
        "content/interviews/second.md",
        &article("Second talk, fixed", "[档案]"),
    );
    wait_until(
        &tab,
        "the overlay clears and the page shows the fix",
        &format!(
            "document.getElementById('verbatim-error') === null && ({})",
            heading_is("Second talk, fixed")
        ),
    );
    server.stop();
}

#[test]
fn a_chinese_site_has_its_menu_pages_and_redirects_in_the_browser() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let site = tempfile::tempdir().expect("temporary folder");
    write(site.path(), "site.yml", "title: 档案\nlanguage: zh\n");
    write(
        site.path(),
        "content/interviews/glacier.md",
        "---\ntitle: 冰川上的机柜\ndate: 2024-03-21\ninterviewees: [陶一鸣, 周晓禾]\naliases: [/2019/05/old.html]\n---\n正文。\n",
    );
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: 关于\nlayout: page\nmenu: true\n---\n这是一个虚构的档案。\n",
    );
    let options = ServeOptions {
        port: Some(0),
        ..ServeOptions::default()
    };
    let server = Server::start(site.path(), &options).expect("the server starts");
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let browser = launch(&chromium, profile.path());
    let tab = browser.new_tab().expect("a tab");

    tab.navigate_to(&server.url())
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open the home page");
    wait_until(
        &tab,
        "the Chinese interface and menu",
        "document.querySelector('.skip-link').textContent === '跳到正文' && \
         [...document.querySelectorAll('.site-nav a')].map(a => a.textContent).join('|').startsWith('标签|人物|刊物|归档|关于') && \
         document.querySelector('.article-card time').textContent === '2024年3月21日' && \
         document.querySelector('.article-card .people').textContent === '陶一鸣、周晓禾'",
    );

    tab.wait_for_element(".site-nav a[href='/about/']")
        .and_then(|link| link.click().map(|_| ()))
        .expect("click the page in the menu");
    wait_until(&tab, "the standalone page", &heading_is("关于"));
    wait_until(
        &tab,
        "the page marks itself current in the menu",
        "document.querySelector('.site-nav a[aria-current=page]').textContent === '关于'",
    );

    tab.navigate_to(&format!("{}2019/05/old.html", server.url()))
        .expect("open the old URL");
    wait_until(
        &tab,
        "the redirect lands on the article",
        &format!(
            "decodeURIComponent(location.pathname) === '/interviews/glacier/' && ({})",
            heading_is("冰川上的机柜")
        ),
    );
    server.stop();
}
