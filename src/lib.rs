//! Verbatim: clean interviews scraped from the web and publish them as a static archive.
//!
//! The pipeline is described in DESIGN.md: `content` loads articles, `markdown` renders
//! them, `site` indexes them, `render` applies the templates and `output` writes the
//! result. `clean` turns raw scraped pages into articles; `serve` previews a site;
//! `check` finds broken links; `init`, `new` and `theme` create files for a user to edit.

mod allocator;
pub mod build;
pub mod check;
pub mod clean;
pub mod config;
pub mod content;
pub mod frontmatter;
pub mod init;
pub mod markdown;
pub mod media;
pub mod new;
pub mod output;
pub mod progress;
pub mod render;
pub mod routes;
pub mod search;
pub mod serve;
pub mod site;
pub mod spill;
pub mod text;
pub mod theme;
pub mod walk;
pub mod warning;

pub use build::{BuildError, BuildOptions, BuildSummary, build, build_with_progress};
pub use check::{CheckOptions, CheckReport, check};
pub use serve::{ServeOptions, serve};
