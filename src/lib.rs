//! Verbatim: clean interviews scraped from the web and publish them as a static archive.
//!
//! The pipeline is described in DESIGN.md: `content` loads articles, `markdown` renders
//! them, `site` indexes them, `render` applies the templates and `output` writes the
//! result. `clean` turns raw scraped pages into articles; `serve` previews a site.

pub mod build;
pub mod clean;
pub mod config;
pub mod content;
pub mod frontmatter;
pub mod markdown;
pub mod media;
pub mod output;
pub mod render;
pub mod routes;
pub mod serve;
pub mod site;
pub mod text;
pub mod walk;
pub mod warning;

pub use build::{BuildError, BuildOptions, BuildSummary, build};
pub use serve::{ServeOptions, serve};
