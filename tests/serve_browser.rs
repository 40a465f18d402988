//! `verbatim serve` in a real browser: headless Chromium (Debian's `chromium` package,
//! installed by `.ci/install-browser`) driven over the DevTools protocol. It opens the
//! home page, follows a tag link, then edits and breaks an article on disk and watches
//! the page reload and the error overlay come and go. A second test walks a Chinese
//! site: its interface, the menu, a standalone page and a redirect from an old URL.
//!
//! Without Chromium these tests print "skipped: no Chromium found" and pass, unless
//! `VERBATIM_REQUIRE_BROWSER=1` (set by `.ci/run`) makes that a failure.

mod common;

use std::path::Path;

use common::browser::{self, wait_until};
use verbatim::ServeOptions;
use verbatim::serve::Server;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(&path, text).expect("write file");
}

fn article(title: &str, tags: &str) -> String {
    format!("---\ntitle: {title:?}\ndate: 2024-02-01\ntags: {tags}\n---\nQ: Why?\n\nA: Because.\n")
}

fn heading_is(title: &str) -> String {
    format!(
        "document.querySelector('h1') !== null && document.querySelector('h1').textContent.includes({title:?})"
    )
}

#[test]
fn the_browser_follows_links_reloads_after_an_edit_and_shows_errors() {
    let Some(browser) = browser::start() else {
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

    let tab = browser.browser.new_tab().expect("a tab");

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
    let Some(browser) = browser::start() else {
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
    let tab = browser.browser.new_tab().expect("a tab");

    tab.navigate_to(&server.url())
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open the home page");
    wait_until(
        &tab,
        "the Chinese interface and menu",
        "document.querySelector('.skip-link').textContent === '跳到正文' && \
         [...document.querySelectorAll('.site-nav a')].map(a => a.textContent).join('|').startsWith('标签|人物|刊物|归档|搜索|关于') && \
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
