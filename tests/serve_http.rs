//! `verbatim serve` over real HTTP: each test builds a small site in a temporary folder,
//! starts the server in-process on an ephemeral port and talks to it with raw requests
//! (raw, so that traversal attempts reach the server exactly as written).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use verbatim::ServeOptions;
use verbatim::serve::{ServeError, Server};

/// Long enough for a loaded CI machine; the waits return as soon as the condition holds.
const TIMEOUT: Duration = Duration::from_secs(15);

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(&path, text).expect("write file");
}

fn article(title: &str, date: &str, tags: &str, body: &str) -> String {
    format!("---\ntitle: {title:?}\ndate: {date}\ntags: {tags}\n---\n{body}\n")
}

/// A site of three articles, one tagged in Chinese.
fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    write(
        root,
        "content/interviews/first.md",
        &article(
            "First talk",
            "2024-01-01",
            "[archives]",
            "Q: Hello?\n\nA: Hi.",
        ),
    );
    write(
        root,
        "content/interviews/second.md",
        &article("Second talk", "2024-02-01", "[档案, archives]", "Body two."),
    );
    write(
        root,
        "content/interviews/third.md",
        &article("Third talk", "2024-03-01", "[other]", "Body three."),
    );
    dir
}

fn start(root: &Path) -> Server {
    start_with(root, ServeOptions::default())
}

fn start_with(root: &Path, options: ServeOptions) -> Server {
    let options = ServeOptions {
        port: Some(0),
        ..options
    };
    Server::start(root, &options).expect("the server starts")
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request exactly as given and reads the whole reply.
fn request(address: SocketAddr, method: &str, path: &str, extra_headers: &str) -> Reply {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{extra_headers}\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a header block");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get(address: SocketAddr, path: &str) -> Reply {
    request(address, "GET", path, "")
}

/// A live-reload connection, read on its own thread.
struct LiveEvents {
    events: mpsc::Receiver<(String, String)>,
}

impl LiveEvents {
    /// Connects and waits for the `hello` event, so later changes cannot be missed.
    fn connect(address: SocketAddr, path: &str) -> LiveEvents {
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            let mut data = Vec::new();
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), data.join("\n"));
                    data.clear();
                    if sender.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        let live = LiveEvents { events };
        live.wait_for("hello");
        live
    }

    /// The data of the next event named `name`, skipping others.
    fn wait_for(&self, name: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok(_) => continue,
                Err(_) => panic!("no `{name}` event within {TIMEOUT:?}"),
            }
        }
    }
}

#[test]
fn serves_pages_with_types_etags_and_a_404_page_without_writing_public() {
    let site = sample_site();
    let server = start(site.path());
    let address = server.address();
    assert_eq!(address.ip().to_string(), "127.0.0.1");

    let home = get(address, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Third talk"), "{}", home.body);
    assert!(
        home.body.contains("__verbatim/events"),
        "the live reload script is injected"
    );
    let article = get(address, "/interviews/first/");
    assert_eq!(article.status, 200);
    assert!(article.body.contains("First talk"));

    let folder = get(address, "/interviews/first");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("location"), Some("/interviews/first/"));

    let css = get(address, "/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        !css.body.contains("__verbatim"),
        "only HTML gets the script"
    );
    let feed = get(address, "/atom.xml");
    assert_eq!(feed.status, 200);
    assert!(
        feed.header("content-type")
            .is_some_and(|t| t.contains("xml"))
    );

    let missing = get(address, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let not_found_page = get(address, "/404.html");
    assert_eq!(not_found_page.status, 200);
    assert!(
        missing.body.len() > 100 && missing.body == not_found_page.body,
        "the 404 status comes with the site's 404 page"
    );

    let head = request(address, "HEAD", "/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );

    let etag = home.header("etag").expect("an ETag");
    let cached = request(address, "GET", "/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    let stale = request(address, "GET", "/", "If-None-Match: \"other\"\r\n");
    assert_eq!(stale.status, 200);

    assert_eq!(request(address, "POST", "/", "").status, 405);
    assert!(
        !site.path().join("public").exists(),
        "serve builds in memory only"
    );
    server.stop();
}

#[test]
fn traversal_attempts_are_refused() {
    let parent = tempfile::tempdir().expect("temporary folder");
    write(parent.path(), "secret.txt", "TOP SECRET");
    let root = parent.path().join("site");
    write(
        &root,
        "content/a.md",
        &article("A", "2024-01-01", "[]", "Body."),
    );
    write(&root, "static/ok.txt", "fine");
    let server = start(&root);
    let address = server.address();
    assert_eq!(get(address, "/ok.txt").body, "fine");
    for path in [
        "/../secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        &format!("/{}", parent.path().join("secret.txt").display()),
    ] {
        let reply = get(address, path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("TOP SECRET"), "{path} leaked the file");
    }
    assert_eq!(get(address, "/%2e%2e/secret.txt").status, 400);
    server.stop();
}

#[test]
fn chinese_tag_pages_are_served_at_their_percent_encoded_urls() {
    let site = sample_site();
    let server = start(site.path());
    let address = server.address();
    let encoded = "/tags/%E6%A1%A3%E6%A1%88/";
    let article = get(address, "/interviews/second/");
    assert!(
        article.body.contains(&format!("href=\"{encoded}\"")),
        "the article links to its Chinese tag: {}",
        article.body
    );
    let tag = get(address, encoded);
    assert_eq!(tag.status, 200);
    assert!(tag.body.contains("Second talk"));
    assert!(!tag.body.contains("First talk"));
    server.stop();
}

#[test]
fn a_base_url_with_a_path_is_served_under_it_with_live_reload() {
    let site = sample_site();
    write(
        site.path(),
        "site.yml",
        "title: Archive\nbase_url: https://user.github.io/archive/\n",
    );
    let server = start(site.path());
    let address = server.address();
    assert_eq!(server.url(), format!("http://{address}/archive/"));

    let root = get(address, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/archive/"));
    let home = get(address, "/archive/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/archive/interviews/first/\""));
    assert!(home.body.contains("/archive/__verbatim/events"));
    assert_eq!(get(address, "/archive/style.css").status, 200);
    assert_eq!(get(address, "/interviews/first/").status, 404);

    let live = LiveEvents::connect(address, "/archive/__verbatim/events");
    write(
        site.path(),
        "content/interviews/first.md",
        &article("First, renamed", "2024-01-01", "[archives]", "Q: Hello?"),
    );
    live.wait_for("reload");
    let page = get(address, "/archive/interviews/first/");
    assert!(page.body.contains("First, renamed"), "{}", page.body);
    server.stop();
}

#[test]
fn editing_an_article_sends_reload_and_updates_its_page_and_listings() {
    let site = sample_site();
    let server = start(site.path());
    let address = server.address();
    let untouched_before = get(address, "/interviews/third/").body;
    let live = LiveEvents::connect(address, "/__verbatim/events");

    write(
        site.path(),
        "content/interviews/first.md",
        &article(
            "First talk, revised",
            "2024-01-01",
            "[archives]",
            "New answer.",
        ),
    );
    live.wait_for("reload");
    let page = get(address, "/interviews/first/");
    assert!(page.body.contains("First talk, revised"));
    assert!(page.body.contains("New answer."));
    let home = get(address, "/");
    assert!(home.body.contains("First talk, revised"), "the listing too");
    let tag = get(address, "/tags/archives/");
    assert!(tag.body.contains("First talk, revised"), "and its tag page");
    // The only change to another article's page is the reload script's generation.
    let untouched_after = get(address, "/interviews/third/").body;
    let strip_generation = |page: &str| {
        page.lines()
            .filter(|line| !line.contains("data-generation"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip_generation(&untouched_before),
        strip_generation(&untouched_after)
    );

    // A new article moves every listing: it appears everywhere it belongs.
    write(
        site.path(),
        "content/interviews/fourth.md",
        &article("Fourth talk", "2024-04-01", "[archives]", "Body four."),
    );
    live.wait_for("reload");
    assert!(get(address, "/").body.contains("Fourth talk"));
    assert_eq!(get(address, "/interviews/fourth/").status, 200);

    std::fs::remove_file(site.path().join("content/interviews/fourth.md")).expect("remove");
    live.wait_for("reload");
    assert_eq!(get(address, "/interviews/fourth/").status, 404);
    assert!(!get(address, "/").body.contains("Fourth talk"));
    server.stop();
}

#[test]
fn a_remade_search_index_is_announced_and_named_in_pages() {
    let site = sample_site();
    let server = start(site.path());
    let address = server.address();
    let live = LiveEvents::connect(address, "/__verbatim/events");
    let first: u64 = live.wait_for("search").parse().expect("a generation");
    let search_page = get(address, "/search/");
    assert!(
        search_page
            .body
            .contains(&format!("data-search-generation=\"{first}\"")),
        "the page names the index it was served with"
    );
    let etag = search_page.header("etag").expect("an ETag").to_string();

    write(
        site.path(),
        "content/interviews/fourth.md",
        &article("Fourth talk", "2024-04-01", "[archives]", "Aurora."),
    );
    live.wait_for("reload");
    let remade: u64 = live.wait_for("search").parse().expect("a generation");
    assert!(remade > first, "{remade} follows {first}");
    assert!(
        get(address, "/search/index.json")
            .body
            .contains("\"docs\":4")
    );
    let again = request(
        address,
        "GET",
        "/search/",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(
        again.status, 200,
        "a page naming the old index is not reused"
    );
    assert!(
        again
            .body
            .contains(&format!("data-search-generation=\"{remade}\""))
    );
    server.stop();
}

#[test]
fn a_save_by_rename_is_seen() {
    let site = sample_site();
    let server = start(site.path());
    let address = server.address();
    let live = LiveEvents::connect(address, "/__verbatim/events");
    let scratch = site.path().join("content/interviews/.first.md.tmp");
    std::fs::write(
        &scratch,
        article("Saved by rename", "2024-01-01", "[]", "Body."),
    )
    .expect("write the scratch file");
    std::fs::rename(&scratch, site.path().join("content/interviews/first.md")).expect("rename");
    live.wait_for("reload");
    assert!(
        get(address, "/interviews/first/")
            .body
            .contains("Saved by rename")
    );
    server.stop();
}

#[test]
fn a_broken_article_shows_an_overlay_until_fixed() {
    let site = sample_site();
    let server = start(site.path());
    let address = server.address();
    let live = LiveEvents::connect(address, "/__verbatim/events");

    write(
        site.path(),
        "content/interviews/first.md",
        "---\ntitle: \"First <talk>\"\ndate: not-a-date\n---\nBody.\n",
    );
    let message = live.wait_for("failed");
    assert!(
        message.contains("content/interviews/first.md:3"),
        "the error names file and line: {message}"
    );
    let page = get(address, "/interviews/first/");
    assert_eq!(page.status, 200, "the last good site is still served");
    assert!(
        page.body.contains("First talk"),
        "with the last good content"
    );
    assert!(page.body.contains("id=\"verbatim-error\""), "{}", page.body);
    assert!(page.body.contains("content/interviews/first.md:3"));
    assert!(
        !page.body.contains("<talk>"),
        "the message is escaped: {}",
        page.body
    );

    write(
        site.path(),
        "content/interviews/first.md",
        &article("First talk, fixed", "2024-01-01", "[archives]", "Body."),
    );
    live.wait_for("reload");
    let page = get(address, "/interviews/first/");
    assert!(page.body.contains("First talk, fixed"));
    assert!(!page.body.contains("id=\"verbatim-error\""));
    server.stop();
}

#[test]
fn a_failed_first_build_serves_the_error_until_fixed() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "content/a.md", "no front matter here\n");
    let server = start(dir.path());
    let address = server.address();
    let page = get(address, "/");
    assert_eq!(page.status, 500);
    assert!(page.body.contains("content/a.md:1:1"), "{}", page.body);
    assert!(page.body.contains("__verbatim/events"));

    let live = LiveEvents::connect(address, "/__verbatim/events");
    write(
        dir.path(),
        "content/a.md",
        &article("Now valid", "2024-01-01", "[]", "Body."),
    );
    live.wait_for("reload");
    assert!(get(address, "/a/").body.contains("Now valid"));
    server.stop();
}

#[test]
fn templates_and_stylesheets_rebuild_without_touching_articles() {
    let site = sample_site();
    write(site.path(), "static/style.css", "body { color: black }\n");
    let server = start(site.path());
    let address = server.address();
    let live = LiveEvents::connect(address, "/__verbatim/events");

    write(
        site.path(),
        "static/style.css",
        "body { color: rebeccapurple }\n",
    );
    live.wait_for("stylesheets");
    let css = get(address, "/style.css");
    assert!(
        css.body.contains("rebeccapurple"),
        "the site's stylesheet replaces the built-in one"
    );

    write(
        site.path(),
        "templates/article.html",
        "<!doctype html><html><body><h1>Custom: {{ page.title }}</h1></body></html>\n",
    );
    live.wait_for("reload");
    let page = get(address, "/interviews/first/");
    assert!(page.body.contains("Custom: First talk"), "{}", page.body);

    write(site.path(), "templates/article.html", "{% if %}\n");
    let message = live.wait_for("failed");
    assert!(
        message.contains("templates/article.html"),
        "the template error names the file: {message}"
    );
    server.stop();
}

#[test]
fn polling_sees_changes_too() {
    let site = sample_site();
    let server = start_with(
        site.path(),
        ServeOptions {
            poll: true,
            ..ServeOptions::default()
        },
    );
    let address = server.address();
    let live = LiveEvents::connect(address, "/__verbatim/events");
    write(
        site.path(),
        "content/interviews/first.md",
        &article("Polled", "2024-01-01", "[]", "Body."),
    );
    live.wait_for("reload");
    assert!(get(address, "/interviews/first/").body.contains("Polled"));
    server.stop();
}

#[test]
fn an_explicit_port_in_use_is_a_clear_error() {
    let site = sample_site();
    let first = start(site.path());
    let options = ServeOptions {
        port: Some(first.address().port()),
        ..ServeOptions::default()
    };
    let error = Server::start(site.path(), &options)
        .err()
        .expect("the port is taken");
    assert!(matches!(error, ServeError::PortInUse { .. }), "{error}");
    assert!(error.to_string().contains("already in use"), "{error}");
    first.stop();
}

#[test]
fn media_beside_an_article_are_served_and_an_edit_keeps_their_sizes() {
    let site = tempfile::tempdir().expect("temporary folder");
    write(
        site.path(),
        "content/interviews/glacier/index.md",
        "---\ntitle: Glacier\ndate: 2024-01-01\n---\n![Ridge](ridge.gif)\n",
    );
    // A 3×2 GIF header: signature, then width and height little-endian.
    let gif = b"GIF89a\x03\x00\x02\x00\x00\x00\x00;";
    std::fs::write(
        site.path().join("content/interviews/glacier/ridge.gif"),
        gif,
    )
    .expect("write the image");
    let server = start(site.path());
    let address = server.address();
    let image = get(address, "/interviews/glacier/ridge.gif");
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), Some("image/gif"));
    let page = get(address, "/interviews/glacier/");
    assert!(
        page.body.contains("width=\"3\" height=\"2\""),
        "{}",
        page.body
    );

    write(
        site.path(),
        "content/interviews/glacier/index.md",
        "---\ntitle: Glacier, edited\ndate: 2024-01-01\n---\n![Ridge](ridge.gif)\n",
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let page = get(address, "/interviews/glacier/");
        if page.body.contains("Glacier, edited") {
            assert!(
                page.body.contains("width=\"3\" height=\"2\""),
                "{}",
                page.body
            );
            break;
        }
        assert!(Instant::now() < deadline, "the edit was not rebuilt");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(address, "/interviews/glacier/ridge.gif").status, 200);
    server.stop();
}
