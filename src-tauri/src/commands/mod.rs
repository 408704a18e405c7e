//! Tauri commands, one file per domain. Each takes state, calls one core function
//! and converts the result; no logic of its own.

pub(crate) mod about;
pub(crate) mod author;
pub(crate) mod boot;
pub(crate) mod course;
pub(crate) mod dashboard;
pub(crate) mod lesson;
pub(crate) mod live;
pub(crate) mod notes;
pub(crate) mod progress;
pub(crate) mod quiz;
pub(crate) mod review;
pub(crate) mod settings;
