//! Hostile input: one case per fault found by the adversarial pass (issue 13) and per
//! bad-input check of `build`. Each case asserts the exact outcome: the message and the
//! file it names, the exit code, the output tree unchanged after a failure (compared by
//! a hash of the whole tree), and nothing outside the site touched.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{TestSite, tree_hash};

/// A site of two articles, built twice so that a reused staging folder exists.
fn built_site() -> TestSite {
    let site = TestSite::new();
    site.article(
        "interviews/one.md",
        "One",
        "2024-01-01",
        "tags: [档案]\n",
        "**问：**你好？\n\n**答：**好。\n",
    )
    .article(
        "interviews/two.md",
        "Two",
        "2024-02-01",
        "tags: [x]\n",
        "Two.\n",
    );
    site.build().expect("first build");
    site.build().expect("second build");
    site
}

/// Runs `verbatim ARGS` in the site expecting exit code 1 and every `expected` text in
/// standard error, and checks that the output tree is byte for byte as it was.
fn fails_leaving_output(site: &TestSite, args: &[&str], expected: &[&str]) -> String {
    let before = tree_hash(&site.public());
    let (code, stderr) = site.fail(args);
    assert_eq!(code, Some(1), "{stderr}");
    for text in expected {
        assert!(stderr.contains(text), "expected `{text}` in:\n{stderr}");
    }
    assert!(
        stderr.contains("The build failed; the previous output was left as it was."),
        "{stderr}"
    );
    assert_eq!(
        tree_hash(&site.public()),
        before,
        "public/ changed:\n{stderr}"
    );
    stderr
}

// 1. `javascript:` and other unsafe URLs.

#[test]
fn unsafe_link_schemes_never_reach_the_output() {
    let site = TestSite::new();
    let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](java&#x09;script:alert(3))\n\n\
                [d](vbscript:msgbox(4)) [e](data:text/html;base64,PHNjcmlwdD4=) [f][r] ![g](javascript:alert(5))\n\n\
                [ok](https://example.org/) [rel](../two/)\n\n[r]: javascript:alert(6)\n";
    site.article("a.md", "A", "2024-01-01", "", body);
    let output = site.run(&["build"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("warning: content/a.md:").count(),
        7,
        "one warning per unsafe URL:\n{stderr}"
    );
    assert!(
        stderr.contains("warning: content/a.md:5: the link `javascript:alert(1)` was removed"),
        "{stderr}"
    );
    for file in common::all_files(&site.public()) {
        let text = std::fs::read(site.public().join(&file)).expect("read");
        let lower = String::from_utf8_lossy(&text).to_ascii_lowercase();
        for scheme in ["javascript:", "vbscript:", "data:text/html"] {
            assert!(!lower.contains(scheme), "{scheme} in {}", file.display());
        }
    }
    let page = site.read("a/index.html");
    assert!(page.contains("href=\"https://example.org/\""), "{page}");
    assert!(page.contains("href=\"../two/\""), "{page}");
    assert_eq!(page.matches("href=\"#\"").count(), 6, "{page}");
}

// 3. Symbolic links for the output or the staging folder.

#[test]
fn a_symlinked_output_is_refused_and_its_target_untouched() {
    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "", "Body\n");
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    std::fs::write(elsewhere.path().join("index.html"), "theirs").expect("write");
    std::os::unix::fs::symlink(elsewhere.path(), site.public()).expect("link");
    let before = tree_hash(elsewhere.path());
    let (code, stderr) = site.fail(&["build"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("public: the output folder is a symbolic link"),
        "{stderr}"
    );
    assert_eq!(tree_hash(elsewhere.path()), before);
    assert!(site.public().is_symlink(), "the link stays a link");
    assert!(!site.root().join(".public.staging").exists());
}

#[test]
fn a_symlinked_staging_folder_is_refused() {
    let site = built_site();
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").expect("write");
    let staging = site.root().join(".public.staging");
    std::fs::remove_dir_all(&staging).expect("remove the reused staging folder");
    std::os::unix::fs::symlink(elsewhere.path(), &staging).expect("link");
    let before = tree_hash(elsewhere.path());
    fails_leaving_output(
        &site,
        &["build"],
        &[".public.staging: the staging folder is a symbolic link"],
    );
    assert_eq!(tree_hash(elsewhere.path()), before);
}

// 4. Concurrent builds.

#[test]
fn a_second_build_waits_for_the_first() {
    let site = built_site();
    let lock = std::fs::File::options()
        .write(true)
        .open(site.root().join(".public.lock"))
        .expect("the lock file exists after a build");
    lock.lock().expect("hold the lock as a running build does");
    let mut waiting = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "-q"])
        .current_dir(site.root())
        .spawn()
        .expect("start a second build");
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        waiting.try_wait().expect("poll").is_none(),
        "the second build must wait while the lock is held"
    );
    drop(lock);
    let status = waiting.wait().expect("the build ends");
    assert!(status.success(), "it builds once the lock is free");
    assert!(site.read("interviews/one/index.html").contains("One"));
}

#[test]
fn concurrent_builds_each_leave_a_whole_output() {
    let site = built_site();
    let builds: Vec<std::process::Child> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
                .args(["build", "-q"])
                .current_dir(site.root())
                .spawn()
                .expect("start a build")
        })
        .collect();
    for mut build in builds {
        assert!(build.wait().expect("ends").success());
    }
    let after = common::all_files(&site.public());
    site.build().expect("a last build alone");
    assert_eq!(common::all_files(&site.public()), after);
    assert!(!site.root().join(".public.old").exists());
}

// 5. A failed build's staging folder.

#[test]
fn a_build_failing_while_writing_removes_its_staging_folder() {
    let site = built_site();
    // Parses, so the build gets as far as writing pages; fails when rendering one.
    site.write("templates/article.html", "{{ page.no_such_field }}");
    fails_leaving_output(&site, &["build"], &["article.html"]);
    assert!(
        !site.root().join(".public.staging").exists(),
        "{:?}",
        site.root_names()
    );
    std::fs::remove_file(site.root().join("templates/article.html")).expect("undo");
    site.build().expect("the next build works");
}

#[test]
fn a_foreign_staging_folder_is_explained_and_kept() {
    let site = built_site();
    let staging = site.root().join(".public.staging");
    std::fs::remove_dir_all(&staging).expect("remove");
    std::fs::create_dir(&staging).expect("create");
    std::fs::write(staging.join("notes.txt"), "someone's notes").expect("write");
    fails_leaving_output(
        &site,
        &["build"],
        &[
            ".public.staging is in the way",
            "was not written by verbatim",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(staging.join("notes.txt")).expect("kept"),
        "someone's notes"
    );
}

// 7. A typo in `--root`, a missing `content/`.

#[test]
fn a_missing_root_is_an_error_and_creates_nothing() {
    let site = TestSite::new();
    let (code, stderr) = site.fail(&["build", "--root", "does-not-exist"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("error: does-not-exist: cannot open the site folder"),
        "{stderr}"
    );
    assert!(stderr.contains("help: pass --root"), "{stderr}");
    assert!(site.root_names().is_empty(), "{:?}", site.root_names());
}

#[test]
fn a_missing_or_file_content_folder_keeps_the_output() {
    let site = built_site();
    std::fs::rename(site.root().join("content"), site.root().join("kept")).expect("move");
    fails_leaving_output(&site, &["build"], &["no `content/` folder here"]);
    site.write("content", "not a folder");
    fails_leaving_output(&site, &["build"], &["no `content/` folder here"]);
}

#[test]
fn output_into_the_current_folder_is_refused_without_leftovers() {
    let site = built_site();
    let empty = site.root().join("empty");
    std::fs::create_dir(&empty).expect("create");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "--root", "..", "--output", "."])
        .current_dir(&empty)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refusing to write the site into .: it is the current folder"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&empty).expect("list").count(), 0);
    assert!(!site.root().join(".empty.staging").exists());
}

// 9. Names too long for a path segment.

#[test]
fn over_long_slugs_and_terms_are_load_errors_with_line_and_column() {
    let site = built_site();
    site.article(
        "long-slug.md",
        "L",
        "2024-03-01",
        &format!("slug: {}\n", "a".repeat(300)),
        "",
    )
    .article(
        "long-tag.md",
        "T",
        "2024-03-02",
        &format!("tags: [ok, {}]\n", "标".repeat(100)),
        "",
    );
    let stderr = fails_leaving_output(
        &site,
        &["build"],
        &[
            "content/long-slug.md:4:7: the URL slug is 300 bytes long",
            "content/long-tag.md:4:12: the tags term `",
            "makes a URL name of 300 bytes",
        ],
    );
    assert!(
        stderr.lines().all(|line| line.chars().count() <= 200),
        "over-long lines are cut:\n{stderr}"
    );
}

#[test]
fn too_many_terms_on_one_article_is_an_error() {
    let site = built_site();
    let tags: Vec<String> = (0..3000).map(|n| format!("t{n}")).collect();
    site.article(
        "many.md",
        "M",
        "2024-03-01",
        &format!("tags: [{}]\n", tags.join(", ")),
        "",
    );
    fails_leaving_output(
        &site,
        &["build"],
        &["content/many.md:4:8: 3000 tags terms; an article may carry at most 100 per taxonomy"],
    );
}

// 10. Quadratic corners.

#[test]
fn twenty_thousand_identical_headings_get_unique_ids() {
    let site = TestSite::new();
    site.article("h.md", "H", "2024-01-01", "", &"## Same\n\n".repeat(20_000));
    site.build().expect("builds");
    let page = site.read("h/index.html");
    assert!(page.contains("id=\"same-19999\""));
    assert_eq!(page.matches("<h2 id=\"same").count(), 20_000);
}

// 13. Symbolic links in content/ and static/.

#[test]
fn links_inside_the_site_are_followed() {
    let site = TestSite::new();
    site.write(
        "drafts/shared.md",
        "---\ntitle: Shared\ndate: 2024-01-01\n---\nLinked in.\n",
    )
    .write("assets/logo.svg", "<svg/>");
    std::fs::create_dir_all(site.root().join("content")).expect("create");
    std::fs::create_dir_all(site.root().join("static")).expect("create");
    std::os::unix::fs::symlink("../drafts/shared.md", site.root().join("content/shared.md"))
        .expect("link");
    std::os::unix::fs::symlink("../assets", site.root().join("static/img")).expect("link");
    site.build().expect("builds");
    assert!(site.read("shared/index.html").contains("Linked in."));
    assert_eq!(site.read("img/logo.svg"), "<svg/>");
}

#[test]
fn links_out_of_the_site_are_refused_in_content_and_static() {
    let outside = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2024-01-01\n---\nPrivate.\n",
    )
    .expect("write");
    let outside_before = tree_hash(outside.path());
    for (folder, link) in [("content", "content/secret.md"), ("static", "static/keys")] {
        let site = built_site();
        std::fs::create_dir_all(site.root().join(folder)).expect("create");
        let target = if folder == "content" {
            outside.path().join("secret.md")
        } else {
            outside.path().to_path_buf()
        };
        std::os::unix::fs::symlink(&target, site.root().join(link)).expect("link");
        fails_leaving_output(
            &site,
            &["build"],
            &[
                &format!("{link}: a symbolic link to"),
                "which is outside the site",
            ],
        );
    }
    assert_eq!(tree_hash(outside.path()), outside_before);
}

// 14. Dates out of range.

#[test]
fn a_date_past_the_supported_range_says_so() {
    let site = built_site();
    site.article("late.md", "Late", "9999-12-31", "", "");
    fails_leaving_output(
        &site,
        &["build"],
        &[
            "content/late.md:3:7: `date: 9999-12-31` is outside the supported range (0000-01-01 to 9999-12-30)",
        ],
    );
}

// Also: site.yml value errors, the swap, serve's timeouts.

#[test]
fn site_yml_value_errors_point_at_the_value() {
    let site = built_site();
    site.write(
        "site.yml",
        "title: T\ntaxonomies:\n  - name: tags\n    paginate_by: 0\n",
    );
    fails_leaving_output(
        &site,
        &["build"],
        &[
            "site.yml:4:18: taxonomy `tags`: `paginate_by` must be at least 1",
            " 4 |     paginate_by: 0",
            "help: write how many articles a term page lists",
        ],
    );
}

#[test]
fn the_output_never_disappears_during_a_swap() {
    let site = built_site();
    let index = site.public().join("index.html");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        let index = index.clone();
        std::thread::spawn(move || {
            let (mut looks, mut missing) = (0u64, 0u64);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if std::fs::symlink_metadata(&index).is_err() {
                    missing += 1;
                }
            }
            (looks, missing)
        })
    };
    for n in 0..6 {
        site.article(
            "interviews/two.md",
            "Two",
            "2024-02-01",
            "",
            &format!("Edit {n}.\n"),
        );
        site.build().expect("builds");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (looks, missing) = watcher.join().expect("watcher");
    assert!(looks > 100, "the watcher ran ({looks} looks)");
    assert_eq!(
        missing, 0,
        "public/index.html was missing {missing} of {looks} times"
    );
}

fn serve(site: &TestSite, header_timeout: Duration) -> verbatim::serve::Server {
    verbatim::serve::Server::start(
        site.root(),
        &verbatim::ServeOptions {
            port: Some(0),
            header_timeout,
            ..verbatim::ServeOptions::default()
        },
    )
    .expect("the server starts")
}

/// Reads until the peer closes the connection; `None` if it stays open past `limit`.
fn closed_within(stream: &mut std::net::TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .expect("timeout");
    let mut buffer = [0u8; 4096];
    while started.elapsed() < limit {
        match stream.read(&mut buffer) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(started.elapsed()),
        }
    }
    None
}

#[test]
fn serve_closes_slow_and_idle_connections_but_keeps_live_reload() {
    let site = built_site();
    let server = serve(&site, Duration::from_millis(400));
    let address = server.address();

    let mut slow = std::net::TcpStream::connect(address).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .expect("half a request");
    assert!(
        closed_within(&mut slow, Duration::from_secs(5)).is_some(),
        "a connection that never finishes its headers is closed"
    );

    let mut idle = std::net::TcpStream::connect(address).expect("connect");
    idle.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("a request");
    assert!(
        closed_within(&mut idle, Duration::from_secs(5)).is_some(),
        "an idle keep-alive connection is closed after its response"
    );

    let mut live = std::net::TcpStream::connect(address).expect("connect");
    live.write_all(b"GET /__verbatim/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("subscribe");
    assert_eq!(
        closed_within(&mut live, Duration::from_millis(1500)),
        None,
        "the live-reload stream stays open past the header timeout"
    );
    server.stop();
}

// The existing bad-input checks, each with its exact message, exit code 1 and the output
// left as it was.

#[test]
fn every_bad_input_check_names_the_file_and_keeps_the_output() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\ntags: [unclosed\n---\n",
            &["content/bad.md:4:"],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\ntag: [x]\n---\n",
            &[
                "content/bad.md:4:1: unknown key `tag`",
                "did you mean `tags`?",
            ],
        ),
        (
            "content/bad.md",
            "no front matter\n",
            &["content/bad.md:1:1: no front matter"],
        ),
        (
            "content/bad.md",
            "---\ntitle: \"  \"\ndate: 2024-01-01\n---\n",
            &["content/bad.md:2:8: `title` is empty"],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: soon\n---\n",
            &["content/bad.md:3:7: `date: soon` is not a date"],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\nlang: chinese!\n---\n",
            &["content/bad.md:4:7: `lang: chinese!` is not a language tag"],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\nsource_url: example.org\n---\n",
            &["content/bad.md:4:13: `source_url: example.org` is not a web address"],
        ),
        (
            "content/interviews/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\nslug: one\n---\n",
            &[
                "content/interviews/bad.md",
                "content/interviews/one.md",
                "would both be published at /interviews/one/",
            ],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\ntemplate: nope.html\n---\n",
            &["content/bad.md: `template: nope.html` does not exist"],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\ntags: [\"!!!\"]\n---\n",
            &["content/bad.md: the tags term `!!!` has no letters or digits"],
        ),
        (
            "content/bad.md",
            "---\ntitle: B\ndate: 2024-01-01\ntags: [a b, a-b]\n---\n",
            &[
                "the tags terms `a b` (content/bad.md) and `a-b` (content/bad.md) would share the URL /tags/a-b/",
            ],
        ),
        (
            "templates/index.html",
            "{% if %}",
            &["error: templates/index.html: ", "index.html:1:7"],
        ),
        (
            "site.yml",
            "title: T\nbase_ur: /x/\n",
            &["site.yml:2:1: unknown key `base_ur`"],
        ),
        (
            "site.yml",
            "base_url: example.org\n",
            &["site.yml:1:11: `base_url: example.org` must start with"],
        ),
    ];
    for (path, text, expected) in cases {
        let site = built_site();
        site.write(path, text);
        eprintln!("case: {path}: {text:?}");
        fails_leaving_output(&site, &["build"], expected);
    }
    let site = built_site();
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"---\ntitle: caf\xe9\ndate: 2024-01-01\n---\n",
    )
    .expect("write");
    fails_leaving_output(
        &site,
        &["build"],
        &[
            "content/latin1.md:2:11: not UTF-8 from here on",
            "verbatim clean",
        ],
    );

    let site = built_site();
    let foreign = site.root().join("mine");
    std::fs::create_dir(&foreign).expect("create");
    std::fs::write(foreign.join("keep.txt"), "precious").expect("write");
    fails_leaving_output(
        &site,
        &["build", "--output", "mine"],
        &["refusing to replace", "no .verbatim marker"],
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).expect("kept"),
        "precious"
    );
    fails_leaving_output(
        &site,
        &["build", "--output", "content/out"],
        &["it is inside `content/`"],
    );
    assert!(!site.root().join("content/out").exists());
}

// 2. Every URL has one owner.

#[test]
fn an_article_at_a_generated_url_is_an_error_naming_both() {
    let many: String = (0..21)
        .map(|n| format!("content/interviews/n{n}.md\n"))
        .collect();
    let cases: &[(&str, &str, &str)] = &[
        (
            "content/tags.md",
            "",
            "the article content/tags.md and the index of the tags taxonomy would both be published at /tags/",
        ),
        (
            "content/elsewhere.md",
            "slug: tags\n",
            "the article content/elsewhere.md and the index of the tags taxonomy would both be published at /tags/",
        ),
        (
            "content/interviews.md",
            "",
            "the article content/interviews.md and the listing of content/interviews/ would both be published at /interviews/",
        ),
        (
            "content/tags/x.md",
            "",
            "the listing of content/tags/ and the index of the tags taxonomy would both be published at /tags/",
        ),
        (
            "content/page/2.md",
            &many,
            "the article content/page/2.md and the home page listing would both be published at /page/2/",
        ),
    ];
    for (path, extra, expected) in cases {
        let site = built_site();
        if path.starts_with("content/page") {
            for file in extra.lines() {
                site.write(file, "---\ntitle: N\ndate: 2023-01-01\n---\n");
            }
            site.write(path, "---\ntitle: P\ndate: 2023-01-01\n---\n");
        } else {
            site.write(
                path,
                &format!("---\ntitle: T\ndate: 2023-01-01\n{extra}---\n"),
            );
        }
        fails_leaving_output(&site, &["build"], &[expected, "help: "]);
    }
    let site = built_site();
    site.write(
        "site.yml",
        "taxonomies:\n  - name: tags\n    path: interviews\n",
    );
    fails_leaving_output(
        &site,
        &["build"],
        &[
            "the listing of content/interviews/ and the index of the tags taxonomy would both be published at /interviews/",
        ],
    );
    let site = built_site();
    site.write("static/interviews/one/index.html", "not the article");
    fails_leaving_output(
        &site,
        &["build"],
        &[
            "the article content/interviews/one.md and the static file static/interviews/one/index.html would both be published at /interviews/one/",
        ],
    );
    let site = built_site();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build()
        .expect("static/ may replace the default robots.txt");
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}

// 6. Term pages do not grow with the square of an article's tags.

#[test]
fn term_pages_show_a_few_tags_per_card_and_the_article_all() {
    let site = TestSite::new();
    let tags: Vec<String> = (0..100).map(|n| format!("t{n:03}")).collect();
    site.article(
        "a.md",
        "A",
        "2024-01-01",
        &format!("tags: [{}]\n", tags.join(", ")),
        "Body\n",
    );
    site.build().expect("builds");
    let term_page = site.read("tags/t050/index.html");
    assert_eq!(term_page.matches("class=\"tag\"").count(), 8, "{term_page}");
    assert!(term_page.contains("+92</a>"), "{term_page}");
    let article = site.read("a/index.html");
    assert_eq!(article.matches("class=\"tag\"").count(), 100);
    let total: u64 = common::all_files(&site.public())
        .iter()
        .map(|f| {
            std::fs::metadata(site.public().join(f))
                .expect("size")
                .len()
        })
        .sum();
    assert!(total < 2_000_000, "output of {total} bytes for one article");
}

// 8. Characters XML forbids.

#[test]
fn control_characters_never_break_feeds_sitemap_or_pages() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "title: \"Archive\\a\"\nbase_url: https://example.org/\ntaxonomies:\n  - name: tags\n    feed: true\n",
    );
    site.write(
        "content/a.md",
        "---\ntitle: \"Bell\\a form\\f escape\\e[0m\"\ndate: 2024-01-01\ntags: [\"t\\a\"]\nsummary: \"s\\x01\"\n---\nBody \u{7} with &#7; and &#x1b; and \u{FFFF}.\n\n## Head\u{c}ing\n",
    );
    site.build().expect("builds");
    for file in ["atom.xml", "sitemap.xml", "tags/t/atom.xml"] {
        let text = site.read(file);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}\n{text}"));
    }
    for file in common::all_files(&site.public()) {
        let bytes = std::fs::read(site.public().join(&file)).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let forbidden = text.chars().find(|&c| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
        });
        assert_eq!(forbidden, None, "{}", file.display());
    }
    assert!(site.read("a/index.html").contains("Bell form escape[0m"));
}
