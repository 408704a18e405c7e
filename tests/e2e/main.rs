//! End-to-end tests: the real `lectern-app` binary in a real window under Xvfb, driven
//! through tauri-driver and WebKitWebDriver (the W3C WebDriver protocol).
//!
//! These tests never skip: when Xvfb, tauri-driver or WebKitWebDriver is missing they
//! fail and say how to install them (`scripts/install-deps.sh --test`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod about;
mod access;
mod book;
mod bundled;
mod harness;
mod keys;
mod live;
mod outline;
mod problems;
mod progress;
mod quiz;
mod reader;
mod review;
mod search;
mod security;
