//! The HTTP side: answers GET and HEAD from the in-memory site, streams live-reload events,
//! and puts the reload script (and, after a failed rebuild, the error) into HTML pages.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use percent_encoding::percent_decode_str;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast, mpsc, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;

use super::state::{LiveEvent, ServedFile, Shared, Snapshot};

/// The live-reload event stream, under the site's base path.
const EVENTS_PATH: &str = "__verbatim/events";

const LIVE_RELOAD_JS: &str = include_str!("livereload.js");

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;\
    margin:0;padding:2rem;background:rgba(30,0,0,.94);color:#fff;\
    font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace";

const OVERLAY_HEADING: &str = "<p><strong>verbatim serve: the rebuild failed.</strong> \
    The last good version is still served. Fix the file and save; this page updates itself.</p>";

struct App {
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
}

/// The most connections served at once; more wait in the listen queue. Browsers open
/// six per host, so this is far above what a preview needs and bounds what a flood of
/// idle sockets can hold.
const MAX_CONNECTIONS: usize = 256;

/// Serves until `shutdown` turns true, then closes live-reload streams and returns.
///
/// A client has `header_timeout` to send a request's headers, counted from when the
/// connection opens or its previous response ends, so slow or idle sockets are closed;
/// a live-reload stream is a response in progress, which the limit does not touch.
pub(crate) async fn run(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
    header_timeout: Duration,
) -> std::io::Result<()> {
    let app = Arc::new(App {
        shared,
        shutdown: shutdown.clone(),
    });
    let service = TowerToHyperService::new(Router::new().fallback(handle).with_state(app));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let connections = GracefulShutdown::new();
    let mut stop = shutdown;
    loop {
        let accepted = tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        let Some((stream, slot)) = accepted else {
            continue;
        };
        let connection =
            connections.watch(http.serve_connection(TokioIo::new(stream), service.clone()));
        tokio::spawn(async move {
            // A client that goes away mid-request is not the server's problem.
            let _ = connection.await;
            drop(slot);
        });
    }
    connections.shutdown().await;
    Ok(())
}

/// Waits for a free connection slot, then for a connection. `None` when accepting
/// failed (say, out of file descriptors): after a short pause the loop tries again
/// rather than ending the server.
async fn accept(
    listener: &tokio::net::TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(tokio::net::TcpStream, OwnedSemaphorePermit)> {
    let slot = slots.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, _)) => Some((stream, slot)),
        Err(_) => {
            tokio::time::sleep(Duration::from_millis(50)).await;
            None
        }
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file of the site, by output path.
    File(String),
    /// The same place with a trailing slash, or the base path.
    Redirect(String),
    /// The live-reload event stream.
    Events,
    /// Nothing here.
    NotFound,
    /// A path trying to leave the site (`..`, backslashes, absolute paths) or not UTF-8.
    Refused,
}

async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are served.",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = app.shared.current();
    let target = resolve(uri.path(), &snapshot.base_path, |path| {
        snapshot.files.contains(path)
    });
    match target {
        Target::Events => live_events(&app),
        Target::Refused => plain(
            StatusCode::BAD_REQUEST,
            "This path is refused: it would leave the site folder.",
        ),
        Target::Redirect(location) => redirect(&location),
        _ if !snapshot.has_site => build_failed_page(&snapshot),
        Target::File(path) => match snapshot.files.get(&path) {
            Some(file) => send_file(&snapshot, &path, file, StatusCode::OK, &headers),
            None => not_found(&snapshot, &headers),
        },
        Target::NotFound => not_found(&snapshot, &headers),
    }
}

/// Maps a raw request path to a [`Target`]. `exists` tells whether an output path is in
/// the site, to send `/a` on to `/a/` when `/a/index.html` exists.
fn resolve(raw: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Target {
    let lowered = raw.to_ascii_lowercase();
    if raw.contains('\\') || lowered.contains("%5c") || lowered.contains("%00") {
        return Target::Refused;
    }
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Target::Refused;
    };
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains('\\'))
    {
        return Target::Refused;
    }
    if decoded == base_path.trim_end_matches('/') || (decoded == "/" && base_path != "/") {
        return Target::Redirect(base_path.to_string());
    }
    let Some(relative) = decoded.strip_prefix(base_path) else {
        return Target::NotFound;
    };
    // `//etc/passwd` or `/C:/x`: an absolute path smuggled after the base.
    let first = relative.split('/').next().unwrap_or_default();
    if relative.starts_with('/') || (first.len() == 2 && first.ends_with(':')) {
        return Target::Refused;
    }
    if relative == EVENTS_PATH {
        return Target::Events;
    }
    if relative.is_empty() || relative.ends_with('/') {
        return Target::File(format!("{relative}index.html"));
    }
    if !exists(relative) && exists(&format!("{relative}/index.html")) {
        return Target::Redirect(format!("{raw}/"));
    }
    Target::File(relative.to_string())
}

fn send_file(
    snapshot: &Snapshot,
    path: &str,
    file: &ServedFile,
    status: StatusCode,
    request: &HeaderMap,
) -> Response {
    let content_type = content_type(path);
    let is_html = content_type.starts_with("text/html");
    // HTML carries the reload script, which names the generations of the site and of
    // the search index, so its tag does too (a stale page would otherwise reload for ever).
    let etag = if is_html {
        format!(
            "\"{:016x}-{}-{}\"",
            file.hash, snapshot.generation, snapshot.search_generation
        )
    } else {
        format!("\"{:016x}\"", file.hash)
    };
    if status == StatusCode::OK && matches_etag(request, &etag) {
        return with_headers(
            StatusCode::NOT_MODIFIED,
            Body::empty(),
            &content_type,
            &etag,
        );
    }
    let body = if is_html {
        Body::from(inject(&file.contents, snapshot))
    } else {
        Body::from(file.contents.clone())
    };
    with_headers(status, body, &content_type, &etag)
}

fn not_found(snapshot: &Snapshot, request: &HeaderMap) -> Response {
    match snapshot.files.get("404.html") {
        Some(page) => send_file(snapshot, "404.html", page, StatusCode::NOT_FOUND, request),
        None => plain(StatusCode::NOT_FOUND, "Not found."),
    }
}

/// Before any build succeeded there is no site, only the error and the reload script.
fn build_failed_page(snapshot: &Snapshot) -> Response {
    let page = b"<!doctype html>\n<html><head><meta charset=\"utf-8\">\
        <title>Build failed</title></head><body></body></html>\n";
    let mut response = Response::new(Body::from(inject(page, snapshot)));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    set_header(
        &mut response,
        header::CONTENT_TYPE,
        "text/html; charset=utf-8",
    );
    set_header(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

fn matches_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

fn with_headers(status: StatusCode, body: Body, content_type: &str, etag: &str) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    set_header(&mut response, header::CONTENT_TYPE, content_type);
    set_header(&mut response, header::ETAG, etag);
    // Always revalidate: the preview changes under the browser's feet.
    set_header(&mut response, header::CACHE_CONTROL, "no-cache");
    set_header(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}

fn set_header(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::FOUND;
    set_header(&mut response, header::LOCATION, location);
    response
}

/// The media type by extension, with `charset=utf-8` for text.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || mime.suffix().is_some_and(|s| s == mime_guess::mime::XML);
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The page with the live-reload script (and the error overlay, if the last rebuild
/// failed) before `</body>`, or at the end when there is none.
fn inject(page: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let events_url = format!("{}{EVENTS_PATH}", snapshot.base_path);
    let mut snippet = String::new();
    if let Some(error) = &snapshot.error {
        snippet.push_str(&format!(
            "<div id=\"verbatim-error\" role=\"alert\" style=\"{OVERLAY_STYLE}\">{OVERLAY_HEADING}<pre>{}</pre></div>\n",
            escape_html(error)
        ));
    }
    snippet.push_str(&format!(
        "<script data-generation=\"{}\" data-search-generation=\"{}\" data-events=\"{}\" data-overlay-style=\"{}\" data-overlay-heading=\"{}\">\n{LIVE_RELOAD_JS}</script>\n",
        snapshot.generation,
        snapshot.search_generation,
        escape_html(&events_url),
        escape_html(OVERLAY_STYLE),
        escape_html(OVERLAY_HEADING),
    ));
    let at = find_ignore_case(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + snippet.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The last occurrence, since `</body>` may also appear quoted inside an article.
fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

/// Streams [`LiveEvent`]s as Server-Sent Events until the client leaves or the server
/// stops. The first events, `hello` and `search`, name the current generation and the
/// search index's.
fn live_events(app: &App) -> Response {
    let (sender, receiver) = mpsc::channel::<Event>(16);
    let mut events = app.shared.events.subscribe();
    let current = app.shared.current();
    let (generation, search_generation) = (current.generation, current.search_generation);
    drop(current);
    let mut shutdown = app.shutdown.clone();
    tokio::spawn(async move {
        let hello = Event::default().event("hello").data(generation.to_string());
        // A search page loaded just before its index was replaced learns it here.
        for event in [hello, search_event(search_generation)] {
            if sender.send(event).await.is_err() {
                return;
            }
        }
        loop {
            let event = tokio::select! {
                _ = shutdown.wait_for(|stopped| *stopped) => return,
                received = events.recv() => match received {
                    Ok(event) => sse_event(event),
                    // Missed some: reloading catches up with all of them.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("reload").data(generation.to_string())
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            };
            if sender.send(event).await.is_err() {
                return;
            }
        }
    });
    let stream = ReceiverStream::new(receiver).map(Ok::<Event, Infallible>);
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn sse_event(event: LiveEvent) -> Event {
    match event {
        LiveEvent::Reload { generation } => Event::default()
            .event("reload")
            .data(generation.to_string()),
        LiveEvent::Stylesheets { generation } => Event::default()
            .event("stylesheets")
            .data(generation.to_string()),
        LiveEvent::Failed { message, .. } => Event::default().event("failed").data(message),
        LiveEvent::Search { generation } => search_event(generation),
    }
}

/// Names the search index served now, so that a search page can tell whether its
/// results came from it.
fn search_event(generation: u64) -> Event {
    Event::default()
        .event("search")
        .data(generation.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_root(raw: &str) -> Target {
        resolve(raw, "/", |path| path == "tags/index.html")
    }

    #[test]
    fn resolves_folders_redirects_and_refuses_traversal() {
        assert_eq!(at_root("/"), Target::File("index.html".into()));
        assert_eq!(at_root("/tags/"), Target::File("tags/index.html".into()));
        assert_eq!(at_root("/tags"), Target::Redirect("/tags/".into()));
        assert_eq!(
            at_root("/tags/%E6%A1%A3%E6%A1%88/"),
            Target::File("tags/档案/index.html".into())
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2E%2E/etc/passwd",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/%ff",
        ] {
            assert_eq!(at_root(bad), Target::Refused, "{bad}");
        }
        assert_eq!(at_root("/__verbatim/events"), Target::Events);
    }

    #[test]
    fn serves_under_the_base_path() {
        let base = |raw: &str| resolve(raw, "/archive/", |_| false);
        assert_eq!(base("/"), Target::Redirect("/archive/".into()));
        assert_eq!(base("/archive"), Target::Redirect("/archive/".into()));
        assert_eq!(base("/archive/"), Target::File("index.html".into()));
        assert_eq!(base("/other/"), Target::NotFound);
        assert_eq!(base("/archive/__verbatim/events"), Target::Events);
    }

    #[test]
    fn injects_before_the_last_body_end_and_escapes_the_error() {
        let snapshot = Snapshot {
            base_path: "/".into(),
            generation: 7,
            error: Some("content/a.md:2:1: bad <b>".into()),
            ..Snapshot::default()
        };
        let page = inject(b"<p>&lt;/body&gt; </BODY></html>", &snapshot);
        let page = String::from_utf8(page).expect("UTF-8");
        assert!(page.ends_with("</script>\n</BODY></html>"), "{page}");
        assert!(page.contains("bad &lt;b&gt;"), "{page}");
        assert!(page.contains("data-generation=\"7\""), "{page}");
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert!(content_type("atom.xml").ends_with("xml; charset=utf-8"));
        assert_eq!(content_type("photo.png"), "image/png");
    }
}
