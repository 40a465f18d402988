//! Property tests over front matter, Markdown and whole sites: whatever the input, nothing
//! panics, feeds and the sitemap are well-formed XML, no page carries a live link with a
//! forbidden scheme or raw script, and time grows linearly with the input.
//!
//! Case counts are small so `cargo test` stays fast; `bench/fuzz.sh` runs them deeper
//! through `PROPTEST_CASES`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use verbatim::config::SiteConfig;
use verbatim::markdown::{Highlighter, MarkdownOptions, SourceInfo};

/// Pieces of Markdown that have broken renderers before: markers, unsafe schemes in every
/// link form, entities that decode to control characters, labels, fences.
const MARKDOWN_PIECES: &[&str] = &[
    "# ",
    "## ",
    "### {#x}",
    "**问：**",
    "**Q:** ",
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "```rust\n",
    "~~",
    "[x](",
    "[x]: ",
    "[x]",
    "](",
    ")",
    "(",
    "<",
    ">",
    "&#7;",
    "&#x1b;",
    "&#x09;",
    "&#0;",
    "&amp;",
    "javascript:",
    "JaVaScRiPt:alert(1)",
    "java&#x09;script:",
    "vbscript:",
    "data:text/html,<script>alert(1)</script>",
    "data:image/png;base64,AA",
    "file:///etc/passwd",
    "<javascript:alert(1)>",
    "<https://example.org/>",
    "<m@example.org>",
    "![i](",
    "<script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "- [x] ",
    "|a|b|\n|-|-|\n",
    "[^1]",
    "[^1]: note\n",
    "<!-- more -->",
    "\\",
    "　",
    "第一行",
    "\u{7}",
    "\u{c}",
    "\u{1b}",
    "\u{FFFF}",
    "\r\n",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(MARKDOWN_PIECES).prop_map(str::to_string),
        1 => "\\PC{0,8}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

fn render(markdown: &str, highlighter: &Highlighter) -> verbatim::markdown::Rendered {
    verbatim::markdown::render(
        markdown,
        SourceInfo {
            path: Path::new("content/p.md"),
            first_line: 5,
            lang: "en",
            media: &[],
            interviewers: &[],
        },
        MarkdownOptions::default(),
        highlighter,
    )
}

/// The theme's search script on the generated sites below (base path `/archive/`).
const SEARCH_SCRIPT: &str = "/archive/search.js";

/// The value of a URL attribute as a browser reads its scheme: without white space or
/// control characters, lowercase.
fn scheme_view(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Fails if `html` has a script element (other than `allowed_script`, the theme's own
/// script by its `src`, with no inline code), an event-handler attribute, or a link or
/// source whose scheme is not allowed.
fn assert_no_live_script(html: &str, allowed_script: Option<&str>) {
    let document = scraper::Html::parse_fragment(html);
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = element.value().name();
        if name == "script" {
            let theme_script = allowed_script.is_some()
                && element.value().attr("src") == allowed_script
                && element.inner_html().is_empty();
            assert!(theme_script, "{html}");
        }
        for (attribute, value) in element.value().attrs() {
            assert!(!attribute.starts_with("on"), "{attribute} in {html}");
            if matches!(attribute, "href" | "src") {
                let seen = scheme_view(value);
                for bad in ["javascript:", "vbscript:", "data:text", "file:"] {
                    assert!(!seen.starts_with(bad), "{attribute}={value:?} in {html}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn markdown_never_panics_and_keeps_no_live_script(text in markdown()) {
        let highlighter = Highlighter::new();
        let rendered = render(&text, &highlighter);
        assert_no_live_script(&rendered.html, None);
        assert_no_live_script(&rendered.summary_html, None);
    }

    #[test]
    fn any_front_matter_parses_or_fails_with_a_short_located_error(
        lines in prop::collection::vec(
            prop_oneof![
                Just("title: A".to_string()),
                Just("date: 2024-03-21".to_string()),
                Just("date: 9999-12-31".to_string()),
                Just("tags: [a, b, 长]".to_string()),
                Just("tags:\n  - x\n  - y".to_string()),
                Just("slug: ../../etc".to_string()),
                Just("lang: zh".to_string()),
                Just("extra:\n  k: [1, {a: b}]".to_string()),
                Just("draft: yes".to_string()),
                Just("&anchor x: *anchor".to_string()),
                "[a-z_]{1,12}: \\PC{0,40}",
                "\\PC{0,60}",
                "[ \\t:\\[\\]{}\"',#&*!|>%@`-]{0,20}",
            ],
            0..12,
        ),
        body in "\\PC{0,40}",
    ) {
        let text = format!("---\n{}\n---\n{body}", lines.join("\n"));
        match verbatim::content::parse_article(&text, Path::new("content/p.md"), &SiteConfig::default()) {
            Ok(article) => {
                prop_assert!(!article.title.is_empty());
                prop_assert!(!article.url_path.contains(".."));
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.starts_with("content/p.md"), "{message}");
                prop_assert!(message.lines().all(|l| l.chars().count() <= 400), "{message}");
            }
        }
    }
}

#[derive(serde::Serialize)]
struct FrontMatter {
    title: String,
    date: &'static str,
    tags: Vec<String>,
    interviewee: String,
    summary: String,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_site_builds_well_formed_feeds_and_pages_or_fails_cleanly(
        articles in prop::collection::vec(
            ("\\PC{1,20}|[\\x00-\\x1f\\u{FFFE}\\u{FFFF} a-z]{1,12}", prop::collection::vec("\\PC{1,10}", 0..4), "\\PC{0,10}", markdown()),
            1..4,
        ),
    ) {
        let site = common::TestSite::new();
        site.write(
            "site.yml",
            "base_url: https://example.org/archive/\ntaxonomies:\n  - name: tags\n    feed: true\n  - name: interviewees\n    title: People\n",
        );
        for (n, (title, tags, person, body)) in articles.into_iter().enumerate() {
            let front = FrontMatter {
                title,
                date: "2024-03-21",
                tags,
                interviewee: person,
                summary: String::new(),
            };
            let yaml = verbatim::frontmatter::to_yaml(&front).expect("serialises");
            site.write(&format!("content/a{n}.md"), &format!("---\n{yaml}---\n{body}"));
        }
        match site.build() {
            Ok(_) => {
                for file in common::all_files(&site.public()) {
                    let name = file.to_string_lossy();
                    let bytes = std::fs::read(site.public().join(&file)).expect("read");
                    let text = String::from_utf8(bytes).expect("UTF-8 output");
                    if name.ends_with(".xml") {
                        roxmltree::Document::parse(&text)
                            .unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
                    }
                    if name.ends_with(".html") {
                        let body = text.split("<body").nth(1).unwrap_or(&text);
                        assert_no_live_script(body, Some(SEARCH_SCRIPT));
                    }
                }
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.contains("content/a") || message.contains("site.yml"), "{message}");
                prop_assert!(!site.public().exists());
            }
        }
    }
}

/// The quickest of five runs of `work`: a stable figure on a shared machine, where the
/// other tests of this file run at the same time.
fn quickest(work: impl Fn()) -> Duration {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// A named generator of Markdown of a given size.
type Shape = (&'static str, fn(usize) -> String);

/// Sixteen times the input must cost well under 256 times the time (what quadratic
/// growth gives). The bound allows four times linear, and each time is the quickest of
/// five, because other programs share the machine: at four times the input and a bound
/// of ten, one loaded run failed it.
#[test]
fn markdown_time_grows_linearly_with_pathological_inputs() {
    let highlighter = Highlighter::new();
    let shapes: &[Shape] = &[
        ("identical headings", |n| "## Same\n\n".repeat(n)),
        ("code blocks", |n| "```\nx\n```\n\n".repeat(n)),
        ("unclosed emphasis", |n| "**a ".repeat(n)),
        ("bold labels", |n| "**问：**答。".repeat(n)),
        ("nested quotes", |n| format!("{}x\n", "> ".repeat(n / 8))),
        ("links", |n| {
            "[x](javascript:a) [y](https://e.org/) ".repeat(n)
        }),
        ("soft breaks in Chinese", |n| "第一行\n".repeat(n)),
    ];
    for (name, make) in shapes {
        let small = make(1_000);
        let large = make(16_000);
        let small_time = quickest(|| {
            render(&small, &highlighter);
        });
        let large_time = quickest(|| {
            render(&large, &highlighter);
        });
        let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-6);
        assert!(
            ratio < 64.0,
            "{name}: 16× the input took {ratio:.1}× the time ({small_time:?} → {large_time:?})"
        );
    }
}
