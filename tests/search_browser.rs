//! Search in a real browser: a site under a subpath, served on 127.0.0.1 by
//! `verbatim serve`, searched through `/archive/search/?q=…` in headless Chromium
//! (Debian's `chromium`; see tests/common/browser.rs).

mod common;

use common::TestSite;
use common::browser::{self, evaluate, wait_until};
use headless_chrome::Tab;
use verbatim::ServeOptions;
use verbatim::serve::Server;

/// Five fictional interviews: simplified and traditional Chinese, English with
/// diacritics, and a mixed one; and twelve short notes alike but for their dates, more
/// than one page of results.
fn archive() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "title: 测试档案\nlanguage: zh\nbase_url: https://user.github.io/archive/\n",
    );
    site.article(
        "interviews/glacier.md",
        "冰川上的数据中心",
        "2024-01-17",
        "interviewee: 何青\ntags: [气候]\n",
        "**问：**为什么把服务器放在冰川边上？\n\n**答：**因为冷。我们的数据中心靠融水[^1]降温，大模型的训练也放在这里。\n\n[^1]: 夏天最多。\n",
    );
    site.article(
        "interviews/translator.md",
        "慢读的人",
        "2023-06-28",
        "interviewee: 许嘉言\n",
        "许嘉言翻译北欧小说二十年。她说，好的译者是最慢的读者。\n",
    );
    site.article(
        "interviews/archive-hk.md",
        "檔案館裡的聲音",
        "2022-03-02",
        "interviewee: 梁靜文\n",
        "梁靜文在香港的檔案館工作，負責把錄音數碼化。她說冰川一樣慢的工作最需要耐心。\n",
    );
    site.article(
        "interviews/cafe.md",
        "Café Conversations on Glaciers",
        "2021-09-10",
        "interviewee: Mara Lind\n",
        "Mara Lind studies glacial meltwater. She says a naïve question is often the best one.\n",
    );
    site.article(
        "interviews/video.md",
        "视频生成的一年",
        "2024-05-05",
        "interviewee: 程远\n",
        "我们用 Sora 做了一年实验。模型还很粗糙，但剪辑师已经离不开它。\n",
    );
    for n in 1..=12 {
        site.article(
            &format!("notes/lantern-{n:02}.md"),
            &format!("Lantern notes {n:02}"),
            &format!("2020-01-{n:02}"),
            if n == 5 {
                "interviewee: Ilse Varga\ntags: [reading]\n"
            } else {
                "interviewee: Ilse Varga\n"
            },
            "Ilse Varga keeps a lantern by the door of the reading room.\n",
        );
    }
    site
}

/// Opens the search page for `query` and returns the result titles once the status
/// line says the search finished.
fn search(tab: &Tab, base: &str, query: &str) -> Vec<String> {
    let url = format!("{base}search/?q={}", encode(query));

    tab.navigate_to(&url)
        .and_then(|tab| tab.wait_until_navigated())
        .unwrap_or_else(|error| panic!("open {url}: {error}"));
    wait_until(
        tab,
        &format!("the search for {query:?} finishes"),
        "document.getElementById('search-results')?.getAttribute('aria-busy') === 'false'",
    );
    let titles = evaluate(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.search-result__title')).map(h => h.textContent))",
    );
    serde_json::from_str(titles.as_str().unwrap_or("[]")).expect("a list of titles")
}

fn encode(query: &str) -> String {
    query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn search_finds_chinese_traditional_english_and_mixed_queries_under_a_subpath() {
    let Some(browser) = browser::start() else {
        return;
    };
    let site = archive();
    let options = ServeOptions {
        port: Some(0),
        ..ServeOptions::default()
    };
    let server = Server::start(site.root(), &options).expect("the server starts");
    let base = server.url();
    assert!(base.ends_with("/archive/"), "{base}");
    let tab = browser.browser.new_tab().expect("a tab");

    // Chinese: two, four and one characters; the title match ranks first.
    assert_eq!(
        search(&tab, &base, "冰川"),
        ["冰川上的数据中心", "檔案館裡的聲音"]
    );
    assert_eq!(search(&tab, &base, "数据中心"), ["冰川上的数据中心"]);
    assert_eq!(search(&tab, &base, "译"), ["慢读的人"]);
    // Traditional finds simplified, simplified finds traditional.
    assert_eq!(search(&tab, &base, "數據中心"), ["冰川上的数据中心"]);
    assert_eq!(search(&tab, &base, "档案馆"), ["檔案館裡的聲音"]);
    // English: case, diacritics and prefixes fold; people are searched.
    assert_eq!(
        search(&tab, &base, "GLACI"),
        ["Café Conversations on Glaciers"]
    );
    assert_eq!(
        search(&tab, &base, "cafe naive"),
        ["Café Conversations on Glaciers"]
    );
    assert_eq!(
        search(&tab, &base, "mara"),
        ["Café Conversations on Glaciers"]
    );
    // Mixed: every term must be in the article.
    assert_eq!(search(&tab, &base, "Sora 模型"), ["视频生成的一年"]);
    // Equal scores: the newer article first.
    assert_eq!(
        search(&tab, &base, "模型"),
        ["视频生成的一年", "冰川上的数据中心"]
    );
    // A term in one article (a sparse posting list) with one in most (a dense list).
    assert_eq!(search(&tab, &base, "lantern 07"), ["Lantern notes 07"]);
    assert_eq!(search(&tab, &base, "07 ilse"), ["Lantern notes 07"]);
    // A dense list's field bits are each article's own: the one article that also has
    // the term in its tags ranks first, the others follow newest first.
    let mut reading = vec!["Lantern notes 05".to_string()];
    reading.extend(
        (1..=12)
            .rev()
            .filter(|&n| n != 5)
            .map(|n| format!("Lantern notes {n:02}")),
    );
    assert_eq!(search(&tab, &base, "reading"), reading[..10]);
    // Strings in no article.
    assert!(search(&tab, &base, "zqxjv").is_empty());
    assert!(search(&tab, &base, "冰川数据").is_empty());
    let status = evaluate(&tab, "document.getElementById('search-status').textContent");
    assert_eq!(status, "没有文章包含“冰川数据”。");

    // Results link under the subpath and mark the match in the snippet.
    search(&tab, &base, "融水");
    let link = evaluate(
        &tab,
        "document.querySelector('.search-result__title a').getAttribute('href')",
    );
    assert_eq!(link, "/archive/interviews/glacier/");
    let marked = evaluate(
        &tab,
        "document.querySelector('.search-result__snippet mark').textContent",
    );
    assert_eq!(marked, "融水");
    // The footnote's number is not part of the snippet's text.
    let snippet = evaluate(
        &tab,
        "document.querySelector('.search-result__snippet').textContent",
    );
    let snippet = snippet.as_str().unwrap_or_default();
    assert!(snippet.contains("靠融水降温"), "{snippet}");
    assert!(!snippet.contains('1'), "{snippet}");

    // Twelve equal scores: the ten newest first, the other two behind the button.
    let newest_first: Vec<String> = (1..=12)
        .rev()
        .map(|n| format!("Lantern notes {n:02}"))
        .collect();
    assert_eq!(search(&tab, &base, "lantern"), newest_first[..10]);
    evaluate(&tab, "document.getElementById('search-more').click()");
    wait_until(
        &tab,
        "the second page of results",
        "document.querySelectorAll('.search-result').length === 12 && document.getElementById('search-results').getAttribute('aria-busy') === 'false'",
    );
    let titles = evaluate(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.search-result__title')).map(h => h.textContent))",
    );
    let titles: Vec<String> =
        serde_json::from_str(titles.as_str().unwrap_or("[]")).expect("a list of titles");
    assert_eq!(titles, newest_first);
    assert_eq!(
        evaluate(&tab, "document.getElementById('search-more').hidden"),
        true
    );

    // Keyboard: arrows move from the box to the results and back.
    tab.find_element("#search-input")
        .and_then(|input| input.focus().map(|_| ()))
        .expect("focus the box");
    tab.press_key("ArrowDown").expect("press ArrowDown");
    wait_until(
        &tab,
        "ArrowDown focuses the first result",
        "document.activeElement.closest('.search-result') !== null",
    );
    tab.press_key("ArrowUp").expect("press ArrowUp");
    wait_until(
        &tab,
        "ArrowUp returns to the box",
        "document.activeElement.id === 'search-input'",
    );

    // Typing updates the address, so the search can be shared.
    evaluate(&tab, "document.getElementById('search-input').select()");
    tab.type_str("极光").expect("type a query");
    wait_until(
        &tab,
        "the address follows the box",
        "new URLSearchParams(location.search).get('q') === '极光'",
    );

    // On any other page, `/` focuses the header's box, which submits to the search page.
    tab.navigate_to(&base)
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open the home page");
    wait_until(
        &tab,
        "the home page",
        "document.getElementById('site-search-input') !== null",
    );
    tab.press_key("/").expect("press /");
    wait_until(
        &tab,
        "/ focuses the search box",
        "document.activeElement.id === 'site-search-input'",
    );
    let action = evaluate(
        &tab,
        "document.querySelector('form.site-search').getAttribute('action')",
    );
    assert_eq!(action, "/archive/search/");

    // Live reload: a new article is found once the site rebuilds.
    search(&tab, &base, "极光");
    site.article(
        "interviews/aurora.md",
        "极光下的录音",
        "2024-07-01",
        "",
        "在北方的冬夜录下极光的声音。\n",
    );
    wait_until(
        &tab,
        "the search page reloads and finds the new article",
        "Array.from(document.querySelectorAll('.search-result__title')).some(h => h.textContent === '极光下的录音')",
    );

    // An edit: the page reloads at once and the index follows it just after, so the
    // next search finds the new words.
    site.article(
        "interviews/aurora.md",
        "极光下的录音",
        "2024-07-01",
        "",
        "在北方的冬夜录下极光的声音，还有驯鹿的铃铛。
",
    );
    let deadline = std::time::Instant::now() + browser::TIMEOUT;
    while search(&tab, &base, "驯鹿") != ["极光下的录音"] {
        assert!(
            std::time::Instant::now() < deadline,
            "the edited article is not found by its new words"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server.stop();
}
