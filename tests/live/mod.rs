//! Live preview: the incremental course always equals a fresh load, whatever changes.

mod cli;
mod incremental;
mod watch;
