//! The learner's own marks on a lesson: highlights, notes and bookmarks.
//!
//! Lessons change under the learner (authors live-edit them, courses get new
//! versions), so an annotation is kept as an [`Anchor`] — the quoted text with its
//! context and old position — and placed again on each version of the lesson's text by
//! [`place`]. Nothing here reads files, the clock or the database: the store keeps the
//! anchors, the reader supplies the text.

pub mod anchor;
pub mod text;

pub use anchor::{place, place_all, Anchor, Placement};
pub use text::{plain_text, Utf16};
