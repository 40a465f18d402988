//! Progress of long commands, reported through a callback: the library never prints, the
//! command line decides whether and how to draw it.

/// The stage a command is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading, parsing and rendering the articles' Markdown.
    Preparing,
    /// Rendering the templates and writing the output.
    Writing,
    /// Cleaning raw pages.
    Cleaning,
}

/// One report: the stage, items done so far, and the total when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Items done in this stage.
    pub done: usize,
    /// Items in this stage, when known in advance.
    pub total: Option<usize>,
}

/// Receives progress reports, from any thread.
pub type ProgressFn<'a> = &'a (dyn Fn(Progress) + Sync);

/// A receiver that ignores every report.
pub fn ignore(_: Progress) {}
