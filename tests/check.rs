//! `verbatim check` end to end: small sites with broken links, anchors and images, the
//! sample archive, JSON output, and external links against a server on 127.0.0.1.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{LocalServer, TestSite};
use verbatim::check::{ExternalOptions, ProblemKind, Severity};
use verbatim::{BuildOptions, CheckOptions};

/// A site with an absolute base URL, two articles linking to each other, a static image
/// and one of each broken kind, at known lines.
fn site_with_mistakes() -> TestSite {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/archive/\n")
        .write("static/images/ok.png", "png")
        .article(
            "interviews/first.md",
            "First",
            "2024-01-01",
            "",
            // Body starts on line 5 of the file.
            "## 数据中心\n\
             \n\
             The summary.\n\
             \n\
             Good: [second](/archive/interviews/second/) and [heading](../second/#冰川), \
             ![ok](/archive/images/ok.png) [self](#数据中心)\n\
             \n\
             Broken page: [nope](/archive/interviews/nope/)\n\
             \n\
             Broken anchor: [second](../second/#no-such-id)\n\
             \n\
             Broken image: ![lost](/archive/images/lost.png)\n",
        )
        .article(
            "interviews/second.md",
            "Second",
            "2024-02-01",
            "",
            "## 冰川\n\nBack to [first](/archive/interviews/first/#数据中心).\n",
        );
    site
}

fn check(site: &TestSite) -> verbatim::CheckReport {
    verbatim::check(site.root(), &CheckOptions::default()).expect("the site builds")
}

#[test]
fn finds_a_broken_link_anchor_and_image_at_their_markdown_lines() {
    let site = site_with_mistakes();
    let report = check(&site);
    let errors: Vec<(String, Option<usize>, ProblemKind)> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.file.display().to_string(), p.line, p.kind))
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "content/interviews/first.md".into(),
                Some(11),
                ProblemKind::BrokenLink
            ),
            (
                "content/interviews/first.md".into(),
                Some(13),
                ProblemKind::BrokenAnchor
            ),
            (
                "content/interviews/first.md".into(),
                Some(15),
                ProblemKind::MissingFile
            ),
        ],
        "{:#?}",
        report.problems
    );
    let anchor = &report.problems[1];
    assert!(anchor.message.contains("no-such-id"), "{}", anchor.message);
    assert!(report.internal_links > 10, "{report:?}");
}

#[test]
fn the_command_prints_file_line_message_and_exits_1() {
    let site = site_with_mistakes();
    let output = site.run(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("content/interviews/first.md:11: link to `/archive/interviews/nope/`"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "content/interviews/first.md:15: link to `/archive/images/lost.png`: no such image"
        ),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3 errors"), "{stderr}");
}

#[test]
fn json_output_lists_problems_for_tools() {
    let site = site_with_mistakes();
    let output = site.run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let problems = json["problems"].as_array().expect("a list of problems");
    assert_eq!(problems.len(), 3, "{json}");
    assert_eq!(problems[0]["file"], "content/interviews/first.md");
    assert_eq!(problems[0]["line"], 11);
    assert_eq!(problems[0]["kind"], "broken-link");
    assert_eq!(problems[1]["kind"], "broken-anchor");
    assert_eq!(problems[2]["severity"], "error");
}

#[test]
fn a_fixed_site_passes() {
    let site = site_with_mistakes();
    site.article(
        "interviews/first.md",
        "First",
        "2024-01-01",
        "",
        "## 数据中心\n\nSummary.\n\n[second](../second/#冰川) ![ok](/archive/images/ok.png)\n",
    );
    let report = check(&site);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(site.run(&["check"]).status.code(), Some(0));
}

#[test]
fn the_sample_archive_passes() {
    let options = CheckOptions {
        build: BuildOptions {
            base_url: Some("https://example.org/archive/".into()),
            ..BuildOptions::default()
        },
        external: None,
    };
    let report = verbatim::check(common::sample_root(), &options).expect("the sample builds");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert!(
        report.pages > 20 && report.internal_links > 500,
        "{report:?}"
    );
}

#[test]
fn a_broken_link_in_a_template_is_reported_once_with_a_count() {
    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "", "Body.\n")
        .article("b.md", "B", "2024-01-02", "", "Body.\n")
        .write(
            "templates/head_extra.html",
            "<link rel=\"stylesheet\" href=\"{{ url(path='missing.css') }}\">\n",
        );
    let report = check(&site);
    let missing: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.message.contains("missing.css"))
        .collect();
    assert_eq!(missing.len(), 1, "{:#?}", report.problems);
    assert_eq!(missing[0].kind, ProblemKind::MissingFile);
    assert!(
        missing[0].message.contains("pages"),
        "{}",
        missing[0].message
    );
}

#[test]
fn a_relative_link_in_a_summary_is_reported_where_the_summary_breaks_it() {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n")
        .article(
            "interviews/a.md",
            "A",
            "2024-01-01",
            "",
            "See [b](../b/).\n",
        )
        .article("interviews/b.md", "B", "2024-01-02", "", "Body.\n");
    let report = check(&site);
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let problem = &report.problems[0];
    assert_eq!(
        (problem.file.to_str(), problem.line),
        (Some("content/interviews/a.md"), Some(5))
    );
    assert!(
        problem
            .message
            .contains("on `index.html` and 1 other page, which repeat this text"),
        "{}",
        problem.message
    );
}

#[test]
fn links_outside_the_base_path_are_errors() {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/archive/\n")
        .article("a.md", "A", "2024-01-01", "", "See [b](/b/).\n")
        .article("b.md", "B", "2024-01-02", "", "Body.\n");
    let report = check(&site);
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    assert_eq!(report.problems[0].kind, ProblemKind::OutsideSite);
    assert_eq!(report.problems[0].line, Some(5));
}

#[test]
fn a_relative_base_url_with_feeds_is_a_warning_at_its_line() {
    let site = TestSite::new();
    site.write("site.yml", "title: T\nbase_url: /\n").article(
        "a.md",
        "A",
        "2024-01-01",
        "",
        "Body.\n",
    );
    let report = check(&site);
    let settings: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Settings)
        .collect();
    assert_eq!(settings.len(), 1, "{:#?}", report.problems);
    assert_eq!(settings[0].file, Path::new("site.yml"));
    assert_eq!(settings[0].line, Some(2));
    assert_eq!(settings[0].severity, Severity::Warning);
    // A warning alone passes, unless warnings are denied.
    assert_eq!(site.run(&["check"]).status.code(), Some(0));
    assert_eq!(
        site.run(&["check", "--deny-warnings"]).status.code(),
        Some(1)
    );

    site.write(
        "site.yml",
        "base_url: /\nfeed:\n  enabled: false\nsitemap: false\n",
    );
    assert!(check(&site).problems.is_empty());
}

#[test]
fn front_matter_mistakes_are_warnings_with_lines() {
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n")
        .article(
            "a.md",
            "Same",
            "2024-03-01",
            "updated: 2023-01-01\n",
            "Body.\n",
        )
        .article("b.md", "same", "2024-01-01", "", "Body.\n");
    let report = check(&site);
    let found: Vec<(String, Option<usize>)> = report
        .problems
        .iter()
        .map(|p| (p.file.display().to_string(), p.line))
        .collect();
    // `updated` before `date` at its line; the second article (in date order) with the
    // same title at its `title` line.
    assert_eq!(
        found,
        vec![
            ("content/a.md".into(), Some(4)),
            ("content/b.md".into(), Some(2))
        ]
    );
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.severity == Severity::Warning && p.kind == ProblemKind::FrontMatter),
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_site_that_does_not_build_fails_with_the_build_error() {
    let site = TestSite::new();
    site.write("content/a.md", "---\ntitle: A\ndate: soon\n---\nBody\n");
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/a.md:3"), "{stderr}");
}

fn answer(path: &str) -> (u16, Duration) {
    match path {
        "/gone" => (404, Duration::ZERO),
        "/slow" => (200, Duration::from_secs(5)),
        "/head-refused" => (405, Duration::ZERO),
        _ => (200, Duration::ZERO),
    }
}

#[test]
fn external_links_are_checked_with_a_timeout_and_a_per_host_interval() {
    let server = LocalServer::start(answer);
    let base = &server.base;
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n")
        .article(
            "a.md",
            "A",
            "2024-01-01",
            "",
            &format!(
                "[ok]({base}/ok) [gone]({base}/gone)\n\n[slow]({base}/slow)\n\n\
                 [r1]({base}/rate/1) [r2]({base}/rate/2) [r3]({base}/rate/3)\n"
            ),
        );
    let interval = Duration::from_millis(300);
    let options = CheckOptions {
        build: BuildOptions::default(),
        external: Some(ExternalOptions {
            concurrency: 4,
            timeout: Duration::from_secs(1),
            per_host_interval: interval,
        }),
    };
    let started = std::time::Instant::now();
    let report = verbatim::check(site.root(), &options).expect("the site builds");
    assert_eq!(report.external_urls, 6);
    let external: Vec<(Option<usize>, &str)> = report
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::ExternalLink)
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(external.len(), 2, "{:#?}", report.problems);
    assert_eq!(external[0].0, Some(5));
    assert!(
        external[0].1.contains("/gone` answers HTTP 404"),
        "{}",
        external[0].1
    );
    assert_eq!(external[1].0, Some(7));
    assert!(
        external[1].1.contains("/slow` cannot be reached"),
        "{}",
        external[1].1
    );

    // Every request to the one host waited its turn: the k-th cannot arrive before k
    // intervals have passed (load can only make it later).
    let mut arrivals: Vec<std::time::Instant> =
        server.requests("/").iter().map(|(_, _, at)| *at).collect();
    arrivals.sort();
    assert!(arrivals.len() >= 6, "{} requests", arrivals.len());
    for (k, arrival) in arrivals.iter().enumerate() {
        let earliest = started + interval * u32::try_from(k).expect("few requests");
        assert!(
            *arrival >= earliest,
            "request {k} came {:?} too early",
            earliest - *arrival
        );
    }
}

#[test]
fn a_server_that_refuses_head_is_asked_with_get() {
    let server = LocalServer::start(answer);
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n")
        .article(
            "a.md",
            "A",
            "2024-01-01",
            "",
            &format!("[x]({}/head-refused)\n", server.base),
        );
    let options = CheckOptions {
        build: BuildOptions::default(),
        external: Some(ExternalOptions {
            per_host_interval: Duration::ZERO,
            ..ExternalOptions::default()
        }),
    };
    let report = verbatim::check(site.root(), &options).expect("the site builds");
    let methods: Vec<String> = server
        .requests("/head-refused")
        .into_iter()
        .map(|(method, _, _)| method)
        .collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    // The test server answers 405 to GET too, so the link is reported.
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
}

#[test]
fn without_external_no_request_is_made() {
    let server = LocalServer::start(answer);
    let site = TestSite::new();
    site.write("site.yml", "base_url: https://example.org/\n")
        .article(
            "a.md",
            "A",
            "2024-01-01",
            "",
            &format!("[x]({}/gone)\n", server.base),
        );
    assert!(check(&site).problems.is_empty());
    assert!(server.requests("/").is_empty());
}
