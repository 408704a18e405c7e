//! `lectern pack DIR -o FILE.lectern`, and a `.lectern` file wherever a command takes a
//! course folder (`lectern::pack`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lectern::pack::{self, PackError};

use super::{print, UsageError};

fn error(e: &PackError) -> UsageError {
    UsageError::new(e.code(), e.to_string())
}

/// Packs the course in `dir` into `out` and says how many files it holds.
pub(crate) fn run(dir: &Path, out: &Path) -> Result<ExitCode, UsageError> {
    super::require_dir(dir)?;
    let entries = pack::pack(dir, out).map_err(|e| error(&e))?;
    print(&format!(
        "packed {} file{} into `{}`\n",
        entries.len(),
        super::plural(entries.len()),
        out.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The course folder a `DIR` argument names: a `.lectern` file unpacked, checked, into
/// the app's data folder (once per distinct archive); anything else as it is (the
/// command's own check then says when it is no folder).
pub(crate) fn course_dir(arg: &Path) -> Result<PathBuf, UsageError> {
    if !pack::is_archive(arg) {
        return Ok(arg.to_path_buf());
    }
    pack::open(arg, &pack::default_base()).map_err(|e| error(&e))
}
