//! The archive features of issue 11, each on a small site built in a temporary folder:
//! standalone pages, sections, redirects, media, future dates, menu, interface language,
//! pagination, the archive, related interviews and metadata.

mod common;

use common::{TestSite, all_files, png_header};

fn zh_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "title: 档案\nlanguage: zh\nbase_url: https://example.org/\npaginate_by: 2\n",
    );
    site
}

#[test]
fn standalone_pages_are_published_but_listed_nowhere() {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n");
    site.article(
        "interviews/a.md",
        "Interview A",
        "2024-01-01",
        "tags: [x]\n",
        "Body A.\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About us\nlayout: page\nmenu: true\ntags: [x]\n---\nWho we are.\n",
    );
    let summary = site.build().expect("a page needs no date");
    assert_eq!((summary.articles, summary.pages), (1, 1));
    let page = site.read("about/index.html");
    assert!(
        page.contains("<article class=\"page\""),
        "page.html is used: {page}"
    );
    assert!(page.contains("Who we are."));
    assert!(!page.contains("rel=\"prev\"") && !page.contains("class=\"related\""));
    for listing in [
        "index.html",
        "atom.xml",
        "tags/x/index.html",
        "archive/index.html",
        "interviews/index.html",
    ] {
        let text = site.read(listing);
        assert!(!text.contains("Who we are"), "{listing} lists the page");
        assert!(
            !text.contains("About us</a></h2>"),
            "{listing} has a card for it"
        );
    }
    assert!(
        !site
            .read("interviews/a/index.html")
            .contains("class=\"related\""),
        "not related"
    );
    assert_eq!(
        site.read("tags/x/index.html")
            .matches("<li class=\"article-card\"")
            .count(),
        1
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/about/</loc>")
    );
    assert!(
        site.read("index.html")
            .contains("<a href=\"/about/\">About us</a>"),
        "menu: true puts the page in the menu"
    );
}

#[test]
fn an_interview_without_a_date_is_still_an_error() {
    let site = TestSite::new();
    site.write("content/a.md", "---\ntitle: A\n---\nBody\n");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/a.md:2:1: missing required key `date`"),
        "{message}"
    );
    assert!(message.contains("layout: page"), "{message}");
}

#[test]
fn index_files_title_and_introduce_sections() {
    let site = TestSite::new();
    site.article("interviews/a.md", "A", "2024-01-01", "", "Body.\n");
    site.write(
        "content/interviews/_index.md",
        "---\ntitle: 访谈 Interviews\ndescription: Every interview.\n---\nAn *introduction*.\n",
    );
    site.write("content/_index.md", "Welcome to the archive.\n");
    site.write("content/empty/_index.md", "---\ntitle: Coming soon\n---\n");
    site.build().expect("builds");
    let section = site.read("interviews/index.html");
    assert!(
        section.contains("<h1 class=\"listing-title\">访谈 Interviews"),
        "{section}"
    );
    assert!(section.contains("<title>访谈 Interviews — "), "{section}");
    assert!(section.contains("<meta name=\"description\" content=\"Every interview.\">"));
    assert!(section.contains("An <em>introduction</em>."));
    assert!(site.read("index.html").contains("Welcome to the archive."));
    assert!(
        site.read("empty/index.html").contains("Coming soon"),
        "a section of no articles still has its page"
    );
    assert!(
        !site.has("interviews/_index/index.html"),
        "_index.md is not an article"
    );
}

#[test]
fn aliases_write_redirect_pages() {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/archive/\n");
    site.article(
        "interviews/a.md",
        "A",
        "2024-01-01",
        "aliases: [/old/path/, /2019/05/old.html, \"/%E6%97%A7/\"]\n",
        "Body.\n",
    );
    site.build().expect("builds");
    let target = "https://example.org/archive/interviews/a/";
    for file in ["old/path/index.html", "2019/05/old.html", "旧/index.html"] {
        let page = site.read(file);
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            )),
            "{file}: {page}"
        );
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
            "{file}"
        );
        assert!(
            page.contains(&format!("<a href=\"{target}\">{target}</a>")),
            "{file}: a visible link"
        );
        assert!(page.contains("noindex"));
    }
}

#[test]
fn an_alias_onto_a_generated_page_names_both_owners() {
    let site = TestSite::new();
    site.article(
        "interviews/a.md",
        "A",
        "2024-01-01",
        "tags: [ai]\n",
        "Body.\n",
    );
    site.article(
        "interviews/b.md",
        "B",
        "2024-01-02",
        "aliases: [/tags/ai/]\n",
        "Body.\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.starts_with(
            "the alias of content/interviews/b.md and the page of the tags term `ai` would both be published at /tags/ai/"
        ),
        "{message}"
    );

    let site = TestSite::new();
    site.article("interviews/a.md", "A", "2024-01-01", "", "Body.\n");
    site.article(
        "interviews/b.md",
        "B",
        "2024-01-02",
        "aliases: [/interviews/a/]\n",
        "Body.\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("the article content/interviews/a.md")
            && message.contains("the alias of content/interviews/b.md")
            && message.contains("would both be published at /interviews/a/"),
        "{message}"
    );

    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "aliases: [/old/]\n", "Body.\n");
    site.article("b.md", "B", "2024-01-02", "aliases: [old]\n", "Body.\n");
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "the alias of content/b.md and the alias of content/a.md would both be published at /old/"
        ),
        "{stderr}"
    );
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn a_bad_alias_points_at_its_line() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "A",
        "2024-01-01",
        "aliases:\n  - https://example.org/x/\n",
        "Body.\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.starts_with("content/a.md:5:5: alias `https://example.org/x/` is a full address"),
        "{message}"
    );
}

#[test]
fn media_beside_an_article_are_copied_with_image_sizes() {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n");
    site.write(
        "content/interviews/glacier/index.md",
        "---\ntitle: Glacier\ndate: 2024-01-01\nimage: photo.png\n---\n![The ridge](photo.png)\n\n![Elsewhere](https://example.org/x.png)\n\n[Listen](audio.mp3)\n",
    );
    site.write_bytes(
        "content/interviews/glacier/photo.png",
        &png_header(640, 360),
    );
    site.write_bytes(
        "content/interviews/glacier/audio.mp3",
        b"ID3 fictional audio",
    );
    site.write_bytes(
        "content/interviews/glacier/scans/p1.png",
        &png_header(10, 20),
    );
    site.write_bytes("content/interviews/loose.pdf", b"%PDF fictional");
    site.write(
        "content/drafts/held/index.md",
        "---\ntitle: Held\ndate: 2024-01-01\ndraft: true\n---\n",
    );
    site.write_bytes("content/drafts/held/secret.png", &png_header(1, 1));
    site.build().expect("builds");
    assert_eq!(
        std::fs::read(site.public().join("interviews/glacier/photo.png")).unwrap(),
        png_header(640, 360)
    );
    assert!(site.has("interviews/glacier/audio.mp3"));
    assert!(site.has("interviews/glacier/scans/p1.png"));
    assert!(
        site.has("interviews/loose.pdf"),
        "loose files keep their section folder"
    );
    assert!(
        !all_files(&site.public())
            .iter()
            .any(|f| f.ends_with("secret.png")),
        "a draft's media stay private"
    );
    let page = site.read("interviews/glacier/index.html");
    assert!(
        page.contains("<img src=\"photo.png\" alt=\"The ridge\" width=\"640\" height=\"360\" loading=\"lazy\">"),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"https://example.org/x.png\" alt=\"Elsewhere\" loading=\"lazy\">")
    );
    assert!(page.contains(
        "<meta property=\"og:image\" content=\"https://example.org/interviews/glacier/photo.png\">"
    ));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
}

#[test]
fn future_articles_are_held_back_and_counted() {
    let site = TestSite::new();
    site.article("a.md", "Today", "2024-01-01", "", "Body.\n");
    site.article("b.md", "Later", "2999-01-01", "", "Body.\n");
    site.article(
        "c.md",
        "Much later",
        "2999-06-01T10:00:00+08:00",
        "",
        "Body.\n",
    );
    let output = site.run(&["build"]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Built 1 article, 0 terms"), "{stdout}");
    assert!(
        stdout.contains("(2 dated in the future held back; --future to include)"),
        "{stdout}"
    );
    assert!(!site.has("b/index.html"));
    assert!(!site.read("atom.xml").contains("Later"));
    let output = site.run(&["build", "--future"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("Built 3 articles") && !stdout.contains("held back"),
        "{stdout}"
    );
    assert!(site.has("b/index.html"));
}

#[test]
fn a_chinese_site_speaks_chinese() {
    let site = zh_site();
    for (i, date) in ["2024-03-21", "2024-03-20", "2024-03-19"]
        .iter()
        .enumerate()
    {
        site.article(
            &format!("interviews/{i}.md"),
            &format!("访谈{i}"),
            date,
            "interviewees: [林知远, 许嘉言]\n",
            "正文。\n",
        );
    }
    site.article(
        "interviews/en.md",
        "English one",
        "2023-01-01",
        "lang: en\ninterviewees: [Ann, Bo]\n",
        "Text.\n",
    );
    site.build().expect("builds");
    let article = site.read("interviews/0/index.html");
    assert!(
        article.contains("<time datetime=\"2024-03-21T00:00:00Z\">2024年3月21日</time>"),
        "{article}"
    );
    assert!(article.contains("<dt>受访者</dt>"));
    assert!(
        article.contains(">林知远</a>、<a"),
        "names joined with 、: {article}"
    );
    assert!(article.contains("跳到正文") && article.contains("相关访谈"));
    assert!(article.contains("<a href=\"/archive/\">归档</a>"));
    let english = site.read("interviews/en/index.html");
    assert!(
        english.contains("1 January 2023") && english.contains(">Ann</a>, <a"),
        "an English article keeps English labels"
    );
    // The search box is made once per language: each page gets its own language's.
    assert!(
        english.contains("placeholder=\"Search interviews\"")
            && article.contains("placeholder=\"搜索访谈\""),
        "{english}"
    );
    let search = site.read("search/index.html");
    assert!(
        !search.contains("class=\"site-search\"") && search.contains("/search.js"),
        "the search page has no box in its header, only the script: {search}"
    );
    let home = site.read("index.html");
    assert!(
        home.contains("较早 →") && home.contains("第 1 页，共 2 页"),
        "{home}"
    );
    let second = site.read("page/2/index.html");
    assert!(second.contains("<title>第 2 页 — 档案</title>"), "{second}");
    assert!(second.contains("← 较新"));
    assert!(site.read("404.html").contains("页面不存在"));
}

#[test]
fn interface_strings_can_be_overridden_and_typos_are_errors() {
    let site = zh_site();
    site.write(
        "site.yml",
        "language: zh\nstrings:\n  zh:\n    archive: 往期\n",
    );
    site.article("a.md", "A", "2024-01-01", "", "正文。\n");
    site.build().expect("builds");
    assert!(site.read("index.html").contains(">往期</a>"));
    site.write(
        "site.yml",
        "language: zh\nstrings:\n  zh:\n    archiv: 往期\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("site.yml: `strings.zh.archiv` is not an interface string"),
        "{message}"
    );
    assert!(message.contains("did you mean `archive`?"), "{message}");
}

#[test]
fn pagination_titles_links_and_first_page_redirect() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "base_url: https://example.org/\npaginate_by: 1\n",
    );
    for i in 1..=3 {
        site.article(
            &format!("a{i}.md"),
            &format!("A{i}"),
            &format!("2024-01-0{i}"),
            "",
            "Body.\n",
        );
    }
    site.build().expect("builds");
    let second = site.read("page/2/index.html");
    assert!(
        second.contains("<title>Page 2 — Interview archive</title>"),
        "{second}"
    );
    assert!(second.contains("<span class=\"page-number\">Page 2</span>"));
    assert!(
        second.contains("<link rel=\"prev\" href=\"/\">"),
        "{second}"
    );
    assert!(second.contains("<link rel=\"next\" href=\"/page/3/\">"));
    assert!(second.contains("<link rel=\"canonical\" href=\"https://example.org/page/2/\">"));
    let first = site.read("index.html");
    assert!(first.contains("<title>Interview archive</title>") && !first.contains("rel=\"prev\""));
    let redirect = site.read("page/1/index.html");
    assert!(
        redirect.contains("url=https://example.org/\""),
        "{redirect}"
    );
}

#[test]
fn the_archive_groups_by_year_and_month_with_counts() {
    let site = TestSite::new();
    for (name, date) in [
        ("a", "2024-03-21"),
        ("b", "2024-03-02"),
        ("c", "2024-01-09"),
        ("d", "2022-12-31"),
    ] {
        site.article(
            &format!("{name}.md"),
            &format!("Title {name}"),
            date,
            "",
            "Body.\n",
        );
    }
    site.build().expect("builds");
    let archive = site.read("archive/index.html");
    assert!(
        archive.contains("<span class=\"count\">4 interviews</span>"),
        "{archive}"
    );
    assert!(
        archive.contains("<h2>2024 <span class=\"count\">3 interviews</span></h2>"),
        "{archive}"
    );
    assert!(archive.contains("<h2>2022 <span class=\"count\">1 interview</span></h2>"));
    assert!(
        archive.contains("<h3 id=\"m2024-03\">March 2024 <span class=\"count\">2</span></h3>"),
        "{archive}"
    );
    let order: Vec<usize> = ["Title a", "Title b", "Title c", "Title d"]
        .iter()
        .map(|t| archive.find(t).expect("listed"))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first");
}

#[test]
fn related_interviews_share_people_first_then_tags() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "Alpha",
        "2024-01-05",
        "interviewee: Lin\ntags: [x, y]\n",
        "Body.\n",
    );
    site.article("b.md", "Bravo", "2024-01-04", "tags: [x, y]\n", "Body.\n");
    site.article(
        "c.md",
        "Charlie",
        "2024-01-03",
        "interviewee: Lin\n",
        "Body.\n",
    );
    site.article("d.md", "Delta", "2024-01-02", "tags: [y]\n", "Body.\n");
    site.article("e.md", "Echo", "2024-01-01", "tags: [z]\n", "Body.\n");
    site.build().expect("builds");
    let page = site.read("a/index.html");
    let related = &page[page.find("class=\"related\"").expect("related list")..];
    let position = |title: &str| related.find(title);
    assert!(
        position("Charlie") < position("Bravo") && position("Bravo") < position("Delta"),
        "{related}"
    );
    assert!(position("Echo").is_none());
    assert!(!site.read("e/index.html").contains("class=\"related\""));
    site.write("site.yml", "related: 0\n");
    site.build().expect("builds");
    assert!(!site.read("a/index.html").contains("class=\"related\""));
}

#[test]
fn metadata_is_absolute_and_json_ld_cannot_close_its_script() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "title: Archive\nbase_url: https://example.org/\n",
    );
    site.article(
        "a.md",
        "Ends </script><script>alert(1)</script> & more",
        "2024-03-21",
        "interviewees: [林知远, Ann]\ninterviewer: Mara\npublication: The Review\n",
        "Body.\n",
    );
    let summary = site.build().expect("builds");
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let page = site.read("a/index.html");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/a/\">"));
    assert!(page.contains("<meta property=\"og:url\" content=\"https://example.org/a/\">"));
    assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + page[start..].find("</script>").expect("closed");
    let json: serde_json::Value = serde_json::from_str(&page[start..end]).expect("valid JSON");
    assert_eq!(json["@type"], "Article");
    assert_eq!(
        json["headline"],
        "Ends </script><script>alert(1)</script> & more"
    );
    assert_eq!(
        json["about"][0],
        serde_json::json!({"@type": "Person", "name": "林知远"})
    );
    assert_eq!(json["about"][1]["name"], "Ann");
    assert_eq!(json["author"][0]["name"], "Mara");
    assert_eq!(
        json["publisher"],
        serde_json::json!({"@type": "Organization", "name": "The Review"})
    );
    assert_eq!(json["datePublished"], "2024-03-21T00:00:00Z");
    assert!(
        !page[start..end].contains('<'),
        "no raw < inside the script block"
    );
}

#[test]
fn a_relative_base_url_with_feeds_is_a_warning() {
    let site = TestSite::new();
    site.write("site.yml", "title: A\nbase_url: /archive/\n");
    site.article("a.md", "A", "2024-01-01", "", "Body.\n");
    let summary = site.build().expect("a warning does not stop the build");
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    let warning = &summary.warnings[0];
    assert_eq!(
        (warning.path.to_str(), warning.line),
        (Some("site.yml"), Some(2))
    );
    assert!(
        warning.message.contains("base_url: /archive/"),
        "{}",
        warning.message
    );
    let output = site.run(&["build"]);
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("warning: site.yml:2: `base_url: /archive/`")
    );
    site.write(
        "site.yml",
        "base_url: /archive/\nfeed:\n  enabled: false\nsitemap: false\n",
    );
    assert!(site.build().expect("builds").warnings.is_empty());
}

#[test]
fn a_menu_in_site_yml_replaces_the_default() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "base_url: https://example.org/sub/\nmenu:\n  - {title: 首页, url: /}\n  - {title: Elsewhere, url: \"https://example.net/\"}\n",
    );
    site.article("a.md", "A", "2024-01-01", "tags: [x]\n", "Body.\n");
    site.build().expect("builds");
    let home = site.read("index.html");
    assert!(
        home.contains("<a href=\"/sub/\" aria-current=\"page\">首页</a>"),
        "{home}"
    );
    assert!(home.contains("<a href=\"https://example.net/\">Elsewhere</a>"));
    assert!(!home.contains(">Tags</a>"));
}

#[test]
fn named_interviewer_turns_are_questions_and_english_gets_smart_quotes() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "A",
        "2024-01-01",
        "interviewer: Mara\nlang: en\n",
        "> Editor's note: fictional.\n\nThe \"first\" paragraph.\n\n<!-- more -->\n\n**Mara:** Why?\n\n**Lin:** Because.\n\n- [x] done\n",
    );
    site.article("b.md", "B", "2024-01-02", "lang: zh\n", "他说\"好\"。\n");
    site.build().expect("builds");
    let page = site.read("a/index.html");
    assert!(
        page.contains("<p class=\"turn turn-q\"><strong>Mara:</strong>"),
        "{page}"
    );
    assert!(page.contains("<p class=\"turn turn-a\"><strong>Lin:</strong>"));
    assert!(page.contains("The “first” paragraph."), "{page}");
    let home = site.read("index.html");
    let card = &home[home.find("href=\"/a/\"").expect("card")..];
    let summary = &card[card.find("article-card__summary").expect("summary")..];
    assert!(
        summary.starts_with("article-card__summary\"><p>The “first”"),
        "the leading note is skipped: {summary}"
    );
    assert!(
        site.read("b/index.html").contains("他说&quot;好&quot;。")
            || site.read("b/index.html").contains("他说\"好\"。")
    );
}
