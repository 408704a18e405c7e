//! Live preview: the incremental course always equals a fresh load, whatever changes.

mod incremental;
mod watch;
