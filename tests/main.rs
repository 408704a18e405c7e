//! Integration tests of the `lectern` core and CLI: one test crate, a module per
//! feature, fixture folders under `tests/fixtures/<feature>/<case>/` copied into temp
//! dirs. The end-to-end tests of the app are in `tests/e2e/` (package `lectern-app`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod bundled;
mod cli;
mod course;
mod formats;
mod hardening;
mod live;
mod notes;
mod pack;
mod progress;
mod quiz;
mod render;
mod review;
mod robustness;
mod search;
mod support;
