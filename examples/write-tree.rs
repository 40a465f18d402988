//! The floor under a cold build, for the build benchmark (issue 14): writes a copy of a
//! built site into a new folder with nothing but `create_dir_all` and `write`, on as
//! many threads as the machine has cores, and prints the seconds that took.
//!
//! ```text
//! rustc -O --edition 2024 examples/write-tree.rs -o write-tree
//! write-tree SITE NEW_FOLDER
//! ```
//!
//! The files are read into memory first and only the writing is timed, so the figure is
//! what creating the output's folders and files costs on that disk: the part of a cold
//! build that no renderer can save, however fast. A rebuild over the previous output
//! creates nothing and pays none of it.
//!
//! It uses the standard library only, like `gen-corpus.rs`, so `bench/run.sh` compiles
//! it with plain `rustc` even while the library is mid-edit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use std::{env, fs, io, thread};

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [site, target] = args.as_slice() else {
        eprintln!("usage: write-tree SITE NEW_FOLDER");
        return ExitCode::from(2);
    };
    match run(Path::new(site), Path::new(target)) {
        Ok(seconds) => {
            println!("{seconds:.4}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("write-tree: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Copies `site` into `target`, which must not exist yet; returns the seconds the
/// writing took.
fn run(site: &Path, target: &Path) -> io::Result<f64> {
    if target.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} exists: the floor is measured into a new folder",
                target.display()
            ),
        ));
    }
    let mut files = Vec::new();
    read_tree(site, site, &mut files)?;
    let threads = thread::available_parallelism().map_or(1, usize::from);
    // Contiguous runs in path order, as a build's threads take articles: each thread
    // mostly fills folders of its own.
    let per_thread = files.len().div_ceil(threads).max(1);
    let started = Instant::now();
    thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || write_all(target, chunk)))
            .collect();
        workers.into_iter().try_for_each(|worker| {
            worker
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("a writer panicked")))
        })
    })?;
    Ok(started.elapsed().as_secs_f64())
}

/// Every file under `dir` as its path relative to `root` and its bytes, in path order.
fn read_tree(root: &Path, dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, files)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .map_err(io::Error::other)?
                .to_path_buf();
            let bytes = fs::read(&path)?;
            files.push((relative, bytes));
        }
    }
    Ok(())
}

fn write_all(target: &Path, files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    for (relative, bytes) in files {
        let path = target.join(relative);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)?;
        }
        fs::write(&path, bytes)?;
    }
    Ok(())
}
