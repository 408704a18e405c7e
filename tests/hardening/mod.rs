//! Regression tests for the hardening defects (issue "Hardening"): each test names the
//! class of input it pins, with a fixture under `tests/fixtures/hardening/` or, for what
//! git cannot store (FIFOs, sparse files, links out of the folder), one made at run time.

mod files;
mod output;
mod quiz;
mod render;
mod store;
