//! Subcommands of the `lectern` binary that have grown their own file.

pub(crate) mod progress;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod source;
pub(crate) mod watch;
