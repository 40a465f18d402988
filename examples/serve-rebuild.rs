//! Edit-to-reload benchmark for `verbatim serve` (issue 4). Run it through
//! `bench/serve-rebuild.sh`, which generates the corpus and builds in release mode.
//!
//! ```text
//! cargo run --release --example serve-rebuild -- SITE_DIR [EDITS]
//! ```
//!
//! Serves SITE_DIR in-process, listens for live-reload events like a browser would, then
//! EDITS times (default 30) rewrites one article's body and measures the time from the
//! write to the `reload` event, and to the new page having been fetched. It measures;
//! it asserts nothing. The file is restored at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use verbatim::ServeOptions;
use verbatim::serve::Server;

const DEFAULT_EDITS: usize = 30;
const WAIT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, edits) = match args.as_slice() {
        [dir] => (PathBuf::from(dir), DEFAULT_EDITS),
        [dir, edits] => match edits.parse() {
            Ok(edits) => (PathBuf::from(dir), edits),
            Err(_) => return usage(&format!("EDITS must be a whole number, got {edits:?}")),
        },
        _ => return usage("expected SITE_DIR and optionally EDITS"),
    };
    match run(&dir, edits) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("serve-rebuild: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("serve-rebuild: {problem}\nusage: serve-rebuild SITE_DIR [EDITS]");
    ExitCode::from(2)
}

fn run(dir: &Path, edits: usize) -> Result<(), String> {
    let article = middle_article(dir)?;
    let original = std::fs::read_to_string(&article)
        .map_err(|e| format!("{}: cannot read: {e}", article.display()))?;
    let started = Instant::now();
    let server = Server::start(
        dir,
        &ServeOptions {
            port: Some(0),
            ..ServeOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    eprintln!(
        "first build and start: {} ms",
        started.elapsed().as_millis()
    );
    let events = live_events(server.address())?;
    let url_path = format!(
        "/interviews/{}/",
        article
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    );

    let mut to_event = Vec::with_capacity(edits);
    let mut to_page = Vec::with_capacity(edits);
    for edit in 0..edits {
        let marker = format!("serve-rebuild-marker-{edit}");
        let edited = format!("{}\n\n{marker}\n", original.trim_end());
        // Let the debouncer go quiet, so each edit is measured on its own.
        std::thread::sleep(Duration::from_millis(300));
        let written = Instant::now();
        std::fs::write(&article, edited).map_err(|e| format!("cannot write: {e}"))?;
        wait_for_reload(&events)?;
        to_event.push(written.elapsed());
        let page = get(server.address(), &url_path)?;
        if !page.contains(&marker) {
            return Err(format!("{url_path} does not show edit {edit}"));
        }
        to_page.push(written.elapsed());
    }
    std::fs::write(&article, original).map_err(|e| format!("cannot restore: {e}"))?;
    server.stop();
    println!("edits: {edits}, article: {}", article.display());
    report("write → reload event", &mut to_event);
    report("write → new page fetched", &mut to_page);
    Ok(())
}

/// The article in the middle of the folder, so it sits in the middle of the listings.
fn middle_article(dir: &Path) -> Result<PathBuf, String> {
    let folder = dir.join("content/interviews");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| format!("{}: {e} (generate a corpus first)", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
        .get(files.len() / 2)
        .cloned()
        .ok_or_else(|| format!("{}: no articles", folder.display()))
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, min {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        ms(at(0.5)),
        ms(at(0.0)),
        ms(at(0.9)),
        ms(at(1.0))
    );
}

/// Names of live-reload events, read on their own thread as a browser would.
fn live_events(address: SocketAddr) -> Result<mpsc::Receiver<String>, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /__verbatim/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(name) = line.strip_prefix("event:")
                && sender.send(name.trim().to_string()).is_err()
            {
                return;
            }
        }
    });
    match receiver.recv_timeout(WAIT) {
        Ok(name) if name == "hello" => Ok(receiver),
        other => Err(format!("expected a hello event, got {other:?}")),
    }
}

fn wait_for_reload(events: &mpsc::Receiver<String>) -> Result<(), String> {
    loop {
        match events.recv_timeout(WAIT) {
            Ok(name) if name == "reload" => return Ok(()),
            Ok(name) if name == "failed" => return Err("the rebuild failed".into()),
            Ok(_) => continue,
            Err(e) => return Err(format!("no reload event: {e}")),
        }
    }
}

fn get(address: SocketAddr, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut body = String::new();
    stream
        .read_to_string(&mut body)
        .map_err(|e| e.to_string())?;
    Ok(body)
}
