//! `verbatim serve`: build the site in memory, serve it on 127.0.0.1, watch the sources,
//! rebuild only what a change touches, and tell open pages to reload over Server-Sent
//! Events. The output folder is never written.
//!
//! Threads: the watcher's debouncer sends batches of changed paths to one rebuild thread,
//! which publishes a new [`state::Snapshot`] and a [`state::LiveEvent`]; the HTTP server
//! (axum on a small tokio runtime) only ever reads the current snapshot.

mod http;
mod rebuild;
mod state;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, watch as tokio_watch};

use crate::build::BuildOptions;
use rebuild::Rebuilder;
use state::Shared;

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after [`DEFAULT_PORT`] are tried when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on; 127.0.0.1 unless the user asks for another.
    pub interface: IpAddr,
    /// The port. `None` means [`DEFAULT_PORT`], or the next free one when it is taken;
    /// `Some(0)` lets the system choose (tests).
    pub port: Option<u16>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated after now.
    pub future: bool,
    /// Poll the file system instead of waiting for change notifications (containers,
    /// network drives).
    pub poll: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// How long a client may take to send a request's headers, and how long an idle
    /// connection stays open; live-reload streams are not affected.
    pub header_timeout: Duration,
}

/// The default [`ServeOptions::header_timeout`]: ample for a browser on this machine.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            interface: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
            drafts: false,
            future: false,
            poll: false,
            open: false,
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site folder does not exist.
    #[error("{}: cannot open the site folder: {source}\n help: pass --root with the folder that holds content/", path.display())]
    Root {
        /// The folder given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another program listens on the port.
    #[error(
        "cannot listen on {address}: the port is already in use\n help: stop the other server, or pass --port with a free port"
    )]
    PortInUse {
        /// The address tried last.
        address: SocketAddr,
    },
    /// Listening failed for another reason.
    #[error("cannot listen on {address}: {source}\n help: check --interface and --port")]
    Listen {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The file watcher cannot start.
    #[error("{}: cannot watch for changes: {message}\n help: try --poll", path.display())]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The async runtime or a thread cannot start.
    #[error("cannot start the server: {0}")]
    Start(std::io::Error),
}

/// A running preview server; stops when [`Server::stop`] is called or it is dropped.
pub struct Server {
    address: SocketAddr,
    base_path: String,
    shutdown: tokio_watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
    http_task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    watcher: Option<watch::SourceWatcher>,
    rebuild_thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Builds the site at `root`, starts listening and watching, and returns at once.
    /// A failed first build still starts the server, which shows the error until fixed.
    pub fn start(root: &Path, options: &ServeOptions) -> Result<Server, ServeError> {
        let root = root.canonicalize().map_err(|source| ServeError::Root {
            path: root.to_path_buf(),
            source,
        })?;
        let listener = bind(options.interface, options.port)?;
        let address = listener.local_addr().map_err(ServeError::Start)?;
        listener.set_nonblocking(true).map_err(ServeError::Start)?;

        let build_options = BuildOptions {
            drafts: options.drafts,
            future: options.future,
            ..BuildOptions::default()
        };
        let mut rebuilder = Rebuilder::new(root.clone(), build_options);
        let (events, _) = broadcast::channel(64);
        let shared = Arc::new(Shared::new(events));
        let started = Instant::now();
        let first_build = rebuilder.full();
        rebuild::publish(&shared, first_build, started);
        let base_path = shared.current().base_path.clone();

        let (shutdown, shutdown_signal) = tokio_watch::channel(false);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(ServeError::Start)?;
        let http_task = {
            let _entered = runtime.enter();
            let listener =
                tokio::net::TcpListener::from_std(listener).map_err(ServeError::Start)?;
            runtime.spawn(http::run(
                listener,
                shared.clone(),
                shutdown_signal,
                options.header_timeout,
            ))
        };

        let (changes_sender, changes) = mpsc::channel();
        let watcher = watch::SourceWatcher::start(&root, options.poll, changes_sender)?;
        let rebuild_thread = std::thread::Builder::new()
            .name("verbatim-rebuild".into())
            .spawn(move || rebuild::run(rebuilder, changes, &shared))
            .map_err(ServeError::Start)?;

        Ok(Server {
            address,
            base_path,
            shutdown,
            runtime: Some(runtime),
            http_task: Some(http_task),
            watcher: Some(watcher),
            rebuild_thread: Some(rebuild_thread),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The site's home page, under `base_url`'s path: `http://127.0.0.1:1111/archive/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, self.base_path)
    }

    /// Serves until Ctrl-C, then stops cleanly.
    pub fn run_until_ctrl_c(mut self) -> Result<(), ServeError> {
        if let Some(runtime) = &self.runtime {
            runtime
                .block_on(tokio::signal::ctrl_c())
                .map_err(ServeError::Start)?;
        }
        self.shut_down();
        Ok(())
    }

    /// Stops serving and watching, closing open live-reload connections.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let _ = self.shutdown.send(true);
        // Dropping the watcher closes the change channel, which ends the rebuild thread.
        self.watcher = None;
        if let Some(thread) = self.rebuild_thread.take() {
            let _ = thread.join();
        }
        if let (Some(runtime), Some(task)) = (self.runtime.take(), self.http_task.take()) {
            let _ = runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(5), task).await });
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Serves the site at `root` until Ctrl-C: the `verbatim serve` command.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<(), ServeError> {
    let server = Server::start(root, options)?;
    println!(
        "Serving {} at {} (Ctrl-C to stop)",
        root.display(),
        server.url()
    );
    if options.open {
        open_in_browser(&server.url());
    }
    server.run_until_ctrl_c()?;
    println!("Stopped.");
    Ok(())
}

/// Listens on the port asked for, or on the first free one from [`DEFAULT_PORT`] when
/// none was given.
fn bind(interface: IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
    let candidates: Vec<u16> = match port {
        Some(port) => vec![port],
        None => (DEFAULT_PORT..DEFAULT_PORT + PORT_ATTEMPTS).collect(),
    };
    let mut last = SocketAddr::new(interface, DEFAULT_PORT);
    for candidate in candidates {
        last = SocketAddr::new(interface, candidate);
        match TcpListener::bind(last) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(source) => {
                return Err(ServeError::Listen {
                    address: last,
                    source,
                });
            }
        }
    }
    Err(ServeError::PortInUse { address: last })
}

/// Best effort: a missing opener only means the user clicks the printed URL.
fn open_in_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(error) = command.arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({error}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_port_in_use_is_an_error() {
        let taken = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        let port = taken.local_addr().expect("address").port();
        let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let error = bind(localhost, Some(port)).expect_err("the port is taken");
        assert!(matches!(error, ServeError::PortInUse { .. }), "{error}");
        assert!(error.to_string().contains("--port"), "{error}");
    }

    #[test]
    fn without_a_port_a_taken_default_moves_to_the_next() {
        let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);
        // Holding the default port (or finding it held by someone else) forces a move.
        let _held = TcpListener::bind((localhost, DEFAULT_PORT));
        let listener = bind(localhost, None).expect("a free port after the default");
        let port = listener.local_addr().expect("address").port();
        assert!(
            port > DEFAULT_PORT && port < DEFAULT_PORT + PORT_ATTEMPTS,
            "{port}"
        );
    }
}
