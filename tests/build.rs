//! `verbatim build` end to end: small sites in temporary folders, assertions on the HTML.

mod common;

use common::{TestSite, all_files};

fn three_articles() -> TestSite {
    let site = TestSite::new();
    site.article(
        "interviews/alpha.md",
        "Alpha",
        "2024-01-01",
        "tags: [AI, 档案]\ninterviewee: Mara Lind\npublication: The Tidewater Review\n",
        "First paragraph of alpha.\n",
    )
    .article(
        "interviews/beta.md",
        "Beta",
        "2024-02-01",
        "tags: [ai]\ninterviewee: 林知远\npublication: 远山周刊\n",
        "Beta body.\n",
    )
    .article(
        "interviews/gamma.md",
        "Gamma",
        "2024-03-01 10:00:00",
        "tags: [ＡＩ, Open Source]\ninterviewees: [林知远, Mara Lind]\npublication: 远山周刊\n",
        "Gamma body.\n",
    );
    site
}

#[test]
fn tag_index_counts_and_links() {
    let site = three_articles();
    let summary = site.build().expect("builds");
    assert_eq!(summary.articles, 3);
    let tags = site.read("tags/index.html");
    let ai = tags
        .find(">AI<")
        .expect("AI listed once under its common spelling");
    let open_source = tags.find(">Open Source<").expect("Open Source listed");
    assert!(ai < open_source, "sorted by count first");
    assert!(
        tags.contains("<a href=\"/tags/ai/\">AI</a> <span class=\"count\">3</span>"),
        "{tags}"
    );
    assert!(tags.contains("<span class=\"count\">1</span>"));
    assert!(
        !tags.contains(">ai<") && !tags.contains(">ＡＩ<"),
        "case and width variants merge"
    );

    let term = site.read("tags/ai/index.html");
    let positions: Vec<usize> = ["Gamma", "Beta", "Alpha"]
        .iter()
        .map(|t| {
            term.find(&format!(">{t}</a>"))
                .unwrap_or_else(|| panic!("{t} on term page"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "newest first");

    let people = site.read("interviewees/index.html");
    assert!(
        people.contains("林知远</a> <span class=\"count\">2</span>"),
        "{people}"
    );
    let publications = site.read("publications/index.html");
    assert!(publications.contains("远山周刊</a> <span class=\"count\">2</span>"));

    let article = site.read("interviews/alpha/index.html");
    assert!(
        article.contains("href=\"/tags/ai/\""),
        "articles link to their terms"
    );
    assert!(
        article.contains("href=\"/tags/%E6%A1%A3%E6%A1%88/\""),
        "{article}"
    );
    assert!(article.contains("href=\"/publications/the-tidewater-review/\""));
}

#[test]
fn pagination_of_home_and_terms() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "paginate_by: 2\ntaxonomies:\n  - name: tags\n    paginate_by: 2\n",
    );
    for day in 1..=5 {
        site.article(
            &format!("a{day}.md"),
            &format!("Article {day}"),
            &format!("2024-01-0{day}"),
            "tags: [common]\n",
            "Body.\n",
        );
    }
    site.build().expect("builds");
    let home = site.read("index.html");
    assert!(
        home.contains("Article 5") && home.contains("Article 4") && !home.contains("Article 3")
    );
    assert!(home.contains("href=\"/page/2/\""), "{home}");
    assert!(site.read("page/3/index.html").contains("Article 1"));
    assert!(site.public().join("page/3/index.html").exists());
    assert!(!site.public().join("page/4").exists());
    let term_page_2 = site.read("tags/common/page/2/index.html");
    assert!(term_page_2.contains("Article 3") && term_page_2.contains("2 of 3"));
    assert!(
        term_page_2.contains("href=\"/tags/common/\""),
        "link back to page 1"
    );
    assert!(
        site.read("tags/index.html")
            .contains("<span class=\"count\">5</span>")
    );
}

#[test]
fn project_site_subpath_has_no_unprefixed_links() {
    let site = three_articles();
    site.write("static/img/logo.svg", "<svg/>");
    let output = site.run(&["build", "--base-url", "https://user.github.io/archive/"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut checked = 0;
    for file in all_files(&site.public()) {
        let name = file.to_string_lossy();
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let text = site.read(&name);
        for bad in ["href=\"/\"", "src=\"/\""] {
            assert!(!text.contains(bad), "{name} has {bad}");
        }
        for (i, _) in text
            .match_indices("href=\"/")
            .chain(text.match_indices("src=\"/"))
        {
            let rest = &text[i..];
            assert!(
                rest.starts_with("href=\"/archive/") || rest.starts_with("src=\"/archive/"),
                "{name}: unprefixed link {}",
                &rest[..rest.len().min(60)]
            );
        }
        checked += 1;
    }
    assert!(checked > 10, "checked {checked} files");
    let home = site.read("index.html");
    assert!(home.contains("href=\"/archive/interviews/gamma/\""));
    assert!(home.contains("href=\"/archive/style.css\""));
    let feed = site.read("atom.xml");
    assert!(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://user.github.io/archive/interviews/gamma/\"/>"), "{feed}");
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://user.github.io/archive/tags/ai/</loc>"));
    let not_found = site.read("404.html");
    assert!(
        not_found.contains("href=\"https://user.github.io/archive/style.css\""),
        "{not_found}"
    );
    assert!(not_found.contains("href=\"https://user.github.io/archive/tags/\""));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://user.github.io/archive/sitemap.xml")
    );
}

#[test]
fn untrusted_text_is_escaped() {
    let site = TestSite::new();
    site.article(
        "x.md",
        "<script>alert('title')</script>",
        "2024-01-01",
        "tags: [\"<script>tag</script>\"]\ninterviewee: \"<img src=x onerror=alert(1)>\"\n",
        "Body <script>alert('body')</script> text.\n\n<iframe src=\"x\"></iframe>\n",
    );
    site.build().expect("builds");
    for file in all_files(&site.public()) {
        let name = file.to_string_lossy();
        if name.ends_with(".html") || name.ends_with(".xml") {
            let text = site.read(&name);
            assert!(!text.contains("<script>"), "{name} has a raw <script>");
            assert!(!text.contains("<img src=x"), "{name} has a raw <img>");
            assert!(!text.contains("<iframe"), "{name} has a raw <iframe>");
        }
    }
    let page = site.read("x/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;alert('title')"),
        "{page}"
    );
    // English text gets typographic quotes, so only the escaped tag is certain.
    assert!(page.contains("Body &lt;script&gt;alert("), "{page}");
}

#[test]
fn raw_html_passes_when_allowed() {
    let site = TestSite::new();
    site.write("site.yml", "markdown:\n  allow_html: true\n");
    site.article("x.md", "X", "2024-01-01", "", "Hello <kbd>Ctrl</kbd>.\n");
    site.build().expect("builds");
    assert!(site.read("x/index.html").contains("<kbd>Ctrl</kbd>"));
}

#[test]
fn chinese_slugs_heading_ids_and_bold_labels() {
    let site = TestSite::new();
    site.article(
        "访谈/冰川.md",
        "冰川上的数据中心",
        "2024-01-01",
        "slug: 冰川上的数据中心\ntags: [数字保存]\nlang: zh\n",
        "## 为什么是冰川\n\n**问：**为什么选在这里？\n\n**答：**因为冷。\n\n## 为什么是冰川\n\n第一行\n第二行\n",
    );
    site.build().expect("builds");
    let page = site.read("访谈/冰川上的数据中心/index.html");
    assert!(page.contains("<html lang=\"zh\">"));
    assert!(page.contains("<h2 id=\"为什么是冰川\">"), "{page}");
    assert!(
        page.contains("<h2 id=\"为什么是冰川-1\">"),
        "duplicate headings get unique ids"
    );
    assert!(
        page.contains("<a href=\"#为什么是冰川\">为什么是冰川</a>"),
        "table of contents"
    );
    assert!(
        page.contains("<strong>问：</strong>为什么选在这里？"),
        "{page}"
    );
    assert!(page.contains("<p class=\"turn turn-q\">"));
    assert!(page.contains("<p class=\"turn turn-a\"><strong>答：</strong>因为冷。"));
    assert!(!page.contains("**问"));
    assert!(page.contains("第一行第二行"), "no space between CJK lines");
    assert!(
        site.read("tags/数字保存/index.html")
            .contains("冰川上的数据中心")
    );
    assert!(
        site.read("访谈/index.html").contains("冰川上的数据中心"),
        "section listing"
    );
}

#[test]
fn code_is_highlighted_with_classes_and_theme_css() {
    let site = TestSite::new();
    site.article(
        "code.md",
        "Code",
        "2024-01-01",
        "",
        "```rust\nfn main() { println!(\"hi\"); }\n```\n\n```nosuchlang\nplain <text>\n```\n",
    );
    let output = site.run(&["build"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/code.md:9: unknown code language `nosuchlang`"),
        "{stderr}"
    );
    let page = site.read("code/index.html");
    assert!(page.contains("<pre class=\"code\" data-lang=\"rust\">"));
    assert!(page.contains("class=\"hl-"), "{page}");
    assert!(page.contains("plain &lt;text&gt;"));
    let css = site.read("highlight.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
    assert!(
        !site.root().join("static/highlight.css").exists(),
        "never written into static/"
    );
}

#[test]
fn highlighted_code_is_kept_between_builds_and_made_again_when_it_changes() {
    let site = TestSite::new();
    let body = |word: &str| {
        format!(
            "```rust\nfn main() {{ println!(\"{word}\"); }}\n```\n\n```nosuchlang\nplain\n```\n"
        )
    };
    site.article("code.md", "Code", "2024-01-01", "", &body("first"));
    let build = || {
        let output = site.run(&["build"]);
        assert!(output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            stderr.contains("unknown code language `nosuchlang`"),
            "{stderr}"
        );
    };
    build();
    let cache = site.root().join(".public.highlight-cache");
    let first_page = site.read("code/index.html");
    let first_css = site.read("highlight.css");
    let written = || {
        std::fs::metadata(&cache)
            .and_then(|meta| meta.modified())
            .expect("the cache is written beside the output")
    };
    let first_time = written();

    // Every block known: the same pages and CSS, the warning again, the cache untouched.
    std::thread::sleep(std::time::Duration::from_millis(20));
    build();
    assert_eq!(site.read("code/index.html"), first_page);
    assert_eq!(site.read("highlight.css"), first_css);
    assert_eq!(written(), first_time, "nothing new, nothing written");

    // An edited block and another theme are made anew, never taken from the cache.
    site.article("code.md", "Code", "2024-01-01", "", &body("second"));
    site.write("site.yml", "highlight:\n  light: Solarized (light)\n");
    build();
    let page = site.read("code/index.html");
    assert!(page.contains("second") && !page.contains("first"), "{page}");
    assert!(page.contains("class=\"hl-"), "{page}");
    let css = site.read("highlight.css");
    assert_ne!(css, first_css);
    assert!(css.contains("`Solarized (light)`"), "{css}");

    // A damaged cache is ignored.
    std::fs::write(&cache, "verbatim highlight cache 1\ngarbage").expect("write");
    build();
    assert_eq!(site.read("code/index.html"), page);
}

#[test]
fn bad_front_matter_names_file_and_absolute_line() {
    let site = TestSite::new();
    site.write(
        "content/good.md",
        "---\ntitle: Good\ndate: 2024-01-01\n---\nOK\n",
    );
    site.write(
        "content/dir/bad.md",
        "---\ntitle: Bad\ndate: 2024-01-01\ntags: [unclosed\n---\nBody\n",
    );
    let output = site.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/dir/bad.md:4:"), "{stderr}");
    assert!(
        stderr.contains("tags: [unclosed"),
        "shows the line: {stderr}"
    );
}

#[test]
fn unknown_key_suggests_a_fix() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n\ntag: [x]\n---\n",
    );
    let output = site.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/a.md:5:1: unknown key `tag`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `tags`?"), "{stderr}");

    let config = TestSite::new();
    config
        .write("site.yml", "title: T\nbase_ur: /x/\n")
        .write("content/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n");
    let stderr = String::from_utf8_lossy(&config.run(&["build"]).stderr).to_string();
    assert!(
        stderr.contains("site.yml:2:1: unknown key `base_ur`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `base_url`?"), "{stderr}");
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = three_articles();
    // Two builds, so the staging folder is a reused earlier output.
    site.build().expect("first build");
    site.build().expect("second build");
    let snapshot = || -> Vec<(std::path::PathBuf, Vec<u8>)> {
        all_files(&site.public())
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(site.public().join(&f)).expect("read");
                (f, bytes)
            })
            .collect()
    };
    let before = snapshot();
    for breakage in [
        (
            "content/interviews/broken.md",
            "---\ntitle: Broken\ndate: not-a-date\n---\n",
        ),
        ("templates/article.html", "{% if %}"),
        (
            "content/interviews/beta-copy.md",
            "---\ntitle: B\ndate: 2024-01-01\nslug: alpha\n---\n",
        ),
        // Fails while pages are being written into the staging folder.
        (
            "content/interviews/late.md",
            "---\ntitle: Late\ndate: 2024-05-01\ntemplate: missing.html\n---\n",
        ),
    ] {
        site.write(breakage.0, breakage.1);
        let output = site.run(&["build"]);
        assert_eq!(output.status.code(), Some(1), "{breakage:?} must fail");
        assert!(
            snapshot() == before,
            "output changed after a failed build with {}",
            breakage.0
        );
        std::fs::remove_file(site.root().join(breakage.0)).expect("undo");
    }
    site.build().expect("builds again once fixed");
    let after = snapshot();
    let names = |files: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<std::path::PathBuf> {
        files.iter().map(|(f, _)| f.clone()).collect()
    };
    assert_eq!(
        names(&after),
        names(&before),
        "a half-written staging folder leaves no trace"
    );
    for ((name, a), (_, b)) in after.iter().zip(&before) {
        assert!(a == b, "{} differs", name.display());
    }
}

#[test]
fn colliding_articles_name_both_files() {
    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "slug: same\n", "")
        .article("b.md", "B", "2024-01-01", "slug: same\n", "");
    let error = site.build().expect_err("collision").to_string();
    assert!(
        error.contains("content/a.md") && error.contains("content/b.md"),
        "{error}"
    );
}

#[test]
fn drafts_only_with_flag() {
    let site = TestSite::new();
    site.article("pub.md", "Published", "2024-01-01", "tags: [t]\n", "")
        .article(
            "draft.md",
            "Secret draft",
            "2024-01-02",
            "draft: true\ntags: [t]\n",
            "",
        );
    assert!(site.run(&["build"]).status.success());
    assert!(!site.public().join("draft").exists());
    assert!(!site.read("index.html").contains("Secret draft"));
    assert!(
        site.read("tags/index.html")
            .contains("<span class=\"count\">1</span>")
    );
    assert!(site.run(&["build", "--drafts"]).status.success());
    assert!(site.read("draft/index.html").contains("Secret draft"));
    assert!(
        site.read("tags/index.html")
            .contains("<span class=\"count\">2</span>")
    );
}

#[test]
fn github_pages_files_and_static_copy() {
    let site = TestSite::new();
    site.write("site.yml", "cname: archive.example.org\n")
        .write("static/img/a.txt", "static file")
        .article("a.md", "A", "2024-01-01", "", "");
    site.build().expect("builds");
    assert!(site.public().join(".nojekyll").exists());
    assert_eq!(site.read("CNAME"), "archive.example.org\n");
    assert_eq!(site.read("img/a.txt"), "static file");
    assert!(
        site.read("style.css").contains("prefers-color-scheme"),
        "built-in theme CSS"
    );
    assert!(site.read("404.html").contains("Not found"));
    assert!(site.read("sitemap.xml").contains("<urlset"));
}

#[test]
fn site_templates_override_built_ins() {
    let site = TestSite::new();
    site.write(
        "templates/article.html",
        "<p>custom {{ page.title }} by {{ config.title }}</p>",
    )
    .write("site.yml", "title: My Archive\n")
    .article("a.md", "A & B", "2024-01-01", "", "");
    site.build().expect("builds");
    assert_eq!(
        site.read("a/index.html"),
        "<p>custom A &amp; B by My Archive</p>"
    );
}

#[test]
fn an_overridden_card_appears_in_every_listing_and_its_errors_name_the_file() {
    let site = TestSite::new();
    site.write(
        "templates/article_card.html",
        "<li class=\"mine\">{{ article.title }} / {{ t.older }}</li>",
    )
    .write(
        "site.yml",
        "title: T\nlanguage: en\ntaxonomies:\n  - name: tags\n",
    )
    .article("a.md", "A & B", "2024-01-01", "tags: [river]\n", "")
    .article("b.md", "C", "2024-01-02", "tags: [river]\n", "");
    site.build().expect("builds");
    for listing in ["index.html", "tags/river/index.html"] {
        let html = site.read(listing);
        assert!(
            html.contains("<li class=\"mine\">A &amp; B / Older →</li>"),
            "{listing}: {html}"
        );
        assert!(
            html.contains("<li class=\"mine\">C / Older →</li>"),
            "{listing}: {html}"
        );
    }

    site.write("templates/article_card.html", "{{ article.no_such_field }}");
    let output = site.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("templates/article_card.html"), "{stderr}");
}

#[test]
fn template_errors_name_the_template_file() {
    let site = TestSite::new();
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ nothing_here }}{% endblock content %}",
    )
    .article("a.md", "A", "2024-01-01", "", "");
    let output = site.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("templates/index.html"), "{stderr}");
    assert!(stderr.contains("nothing_here"), "{stderr}");
}

#[test]
fn refuses_output_over_sources() {
    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "", "");
    for bad in [".", "content", "static/out"] {
        let output = site.run(&["build", "--output", bad]);
        assert_eq!(output.status.code(), Some(1), "--output {bad}");
    }
    assert!(site.root().join("content/a.md").exists());
    std::fs::create_dir_all(site.root().join("mine")).expect("mkdir");
    std::fs::write(site.root().join("mine/keep.txt"), "mine").expect("write");
    assert_eq!(
        site.run(&["build", "--output", "mine"]).status.code(),
        Some(1)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/keep.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn folder_with_only_content_builds() {
    let site = TestSite::new();
    site.write(
        "content/only.md",
        "\u{feff}---\r\ntitle: Only\r\ndate: 2024-01-01T09:30:00+08:00\r\n---\r\nText\r\n",
    );
    let output = site.run(&["build"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Built 1 article, 0 terms: "), "{stdout}");
    assert!(
        site.read("only/index.html")
            .contains("<time datetime=\"2024-01-01T01:30:00Z\">1 January 2024</time>")
    );
}

#[test]
fn summaries_in_listings_not_bodies() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "A",
        "2024-01-01",
        "",
        "Opening line.\n\nSECRET-SECOND-PARAGRAPH\n",
    )
    .article(
        "b.md",
        "B",
        "2024-01-02",
        "summary: Editor's words\n",
        "Body of b.\n",
    )
    .article(
        "c.md",
        "C",
        "2024-01-03",
        "",
        "Before.\n\n<!-- more -->\n\nAFTER-MORE\n",
    );
    site.build().expect("builds");
    let home = site.read("index.html");
    assert!(home.contains("Opening line.") && !home.contains("SECRET-SECOND-PARAGRAPH"));
    assert!(
        home.contains("Editor&#39;s words") || home.contains("Editor's words"),
        "{home}"
    );
    assert!(home.contains("Before.") && !home.contains("AFTER-MORE"));
}

/// Listings share one summary per article and each article page adds its own values
/// to it: a page's values must reach neither the listings nor another article's page.
#[test]
fn article_pages_keep_their_own_values_apart_from_shared_summaries() {
    let site = TestSite::new();
    let tags: Vec<String> = (1..=10).map(|n| format!("t{n:02}")).collect();
    site.article(
        "interviews/many.md",
        "Many tags",
        "2024-01-01",
        &format!("tags: [{}]\ninterviewee: 沈知白\n", tags.join(", ")),
        "Body of many.\n",
    )
    .article(
        "interviews/next.md",
        "Next one",
        "2024-02-01",
        "tags: [solo]\ninterviewee: Ada Quill\n",
        "Body of next.\n",
    );
    site.build().expect("builds");

    let many = site.read("interviews/many/index.html");
    assert_eq!(
        many.matches("class=\"tag\" rel=\"tag\"").count(),
        10,
        "{many}"
    );
    assert_eq!(many.matches("property=\"article:tag\"").count(), 10);
    assert!(
        !many.contains("solo") && !many.contains("Ada Quill"),
        "{many}"
    );
    assert!(many.contains("\"headline\":\"Many tags\""), "{many}");
    assert!(
        many.contains("<a class=\"newer\" rel=\"prev\" href=\"/interviews/next/\">← Next one</a>"),
        "{many}"
    );

    let next = site.read("interviews/next/index.html");
    assert_eq!(
        next.matches("class=\"tag\" rel=\"tag\"").count(),
        1,
        "{next}"
    );
    assert!(!next.contains("t01") && !next.contains("沈知白"), "{next}");
    assert!(next.contains("\"headline\":\"Next one\""), "{next}");
    assert!(
        next.contains("<a class=\"older\" rel=\"next\" href=\"/interviews/many/\">Many tags →</a>"),
        "{next}"
    );

    // The listings still show the cards: eight tags of ten and a count of the rest.
    for listing in ["index.html", "interviews/index.html", "tags/t01/index.html"] {
        let html = site.read(listing);
        assert!(
            !html.contains(">t09<") && !html.contains(">t10<"),
            "{listing}: {html}"
        );
        assert!(
            html.contains(">t08<") && html.contains(">+2</a>"),
            "{listing}: {html}"
        );
        assert!(!html.contains("rel=\"tag\""), "{listing}: {html}");
    }
}

/// The menu's links are rendered once per build and shared by every page: only the
/// page a link points to may mark it current.
#[test]
fn the_menu_marks_the_current_page_on_that_page_only() {
    let site = three_articles();
    site.build().expect("builds");
    let current = |html: &str| html.matches("aria-current=\"page\"").count();
    let tags = site.read("tags/index.html");
    assert!(
        tags.contains("<a href=\"/tags/\" aria-current=\"page\">"),
        "{tags}"
    );
    assert_eq!(current(&tags), 1, "{tags}");
    let archive = site.read("archive/index.html");
    assert!(
        archive.contains("<a href=\"/archive/\" aria-current=\"page\">"),
        "{archive}"
    );
    assert_eq!(current(&archive), 1, "{archive}");
    for page in [
        "index.html",
        "interviews/alpha/index.html",
        "tags/ai/index.html",
        "404.html",
    ] {
        let html = site.read(page);
        assert_eq!(current(&html), 0, "{page}: {html}");
        assert!(html.contains("/archive/\">"), "{page}: {html}");
    }
}

#[test]
fn search_manifest_carries_the_folding_pairs_and_the_page_preloads_it() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "title: T\nbase_url: https://example.org/archive/\n",
    )
    .article(
        "interviews/data.md",
        "数据中心",
        "2024-01-01",
        "",
        "冰川上的数据。\n",
    );
    site.build().expect("build");
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).expect("the manifest is JSON");
    // The version the script accepts is the one the build writes.
    let version = verbatim::search::shards::FORMAT_VERSION;
    assert_eq!(manifest["version"], version);
    assert!(
        site.read("search.js")
            .contains(&format!("index.version !== {version})")),
        "search.js checks another index version"
    );
    let fold: Vec<char> = manifest["fold"]
        .as_str()
        .expect("fold pairs")
        .chars()
        .collect();
    let pairs: Vec<(char, char)> = fold.chunks(2).map(|pair| (pair[0], pair[1])).collect();
    // 數 → 数 can match (数 is in the article); 們 → 们 cannot.
    assert!(pairs.contains(&('數', '数')), "{pairs:?}");
    assert!(
        pairs.iter().all(|&(_, simplified)| simplified != '们'),
        "{pairs:?}"
    );
    assert!(
        !site.public().join("search/f").exists(),
        "the pairs have no file of their own"
    );
    let page = site.read("search/index.html");
    assert!(
        page.contains(
            r#"<link rel="preload" href="/archive/search/index.json" as="fetch" crossorigin>"#
        ),
        "{page}"
    );
}

/// A large archive's bodies wait in a scratch file between the Markdown stage and their
/// pages; the site built that way is the one built in memory, byte for byte (feeds,
/// article pages and the search index all read the bodies back). Both are also the
/// site the preview server renders, which neither parks nor releases anything: no
/// page after `release_rendered` reads what it empties.
#[test]
fn bodies_parked_on_disk_build_the_same_site() {
    let outputs = tempfile::tempdir().expect("temporary folder");
    let build = |name: &str, spill_above: Option<u64>| {
        let output = outputs.path().join(name);
        let options = verbatim::BuildOptions {
            output: Some(output.clone()),
            spill_above,
            ..verbatim::BuildOptions::default()
        };
        let summary = verbatim::build(common::sample_root(), &options).expect("builds");
        assert!(summary.articles > 5, "{} articles", summary.articles);
        output
    };
    let held = build("held", None);
    let parked = build("parked", Some(0));
    let files = all_files(&held);
    assert_eq!(files, all_files(&parked));
    assert!(files.iter().any(|f| f.starts_with("search")), "{files:?}");
    for file in &files {
        let (a, b) = (
            std::fs::read(held.join(file)).expect("read"),
            std::fs::read(parked.join(file)).expect("read"),
        );
        assert!(a == b, "{} differs when bodies are parked", file.display());
    }
    let feed = std::fs::read_to_string(parked.join("atom.xml")).expect("the feed");
    assert!(feed.contains("<content"), "the feed quotes bodies: {feed}");

    let options = verbatim::BuildOptions::default();
    let highlighter = verbatim::markdown::Highlighter::new();
    let prepared =
        verbatim::build::prepare(common::sample_root(), &options, &highlighter).expect("prepares");
    let mut in_memory = prepared
        .renderer
        .render_site(&prepared.site)
        .expect("renders");
    in_memory.extend(verbatim::build::search_files(&prepared.site).expect("indexes"));
    assert!(in_memory.len() > 20, "{} files", in_memory.len());
    for file in in_memory {
        let built = std::fs::read(parked.join(&file.path)).expect("built too");
        assert!(
            built == file.contents,
            "{} differs from the preview's",
            file.path
        );
    }
}
