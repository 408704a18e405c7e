//! The inputs of the scaling harness, one generator per class of issue 10's quadratic
//! inputs, shared by the size-and-count test (`tests/robustness/scaling.rs`) and the
//! timing bench (`benches/scaling.rs`) so both measure the same lessons.
//!
//! Each generator makes a whole lesson (front matter included) with `n` of its item;
//! [`CLASSES`] gives the size the issue names as `full` (the bench's 4N).

/// Front matter every generated lesson starts with.
const FRONT: &str = "---\nid: scale\ntitle: Scale\n---\n";

/// One class of input.
pub(crate) struct Class {
    /// A short name, used in test failures and bench ids.
    pub(crate) name: &'static str,
    /// The size for this class: the bench measures `full / 4` and `full`.
    pub(crate) full: usize,
    /// Makes a lesson with `n` items.
    pub(crate) make: fn(usize) -> String,
}

/// The classes of issue 10, item 2 (a course of many lessons is `Shape::SCALING` of
/// `tests/support/courses.rs`).
pub(crate) const CLASSES: &[Class] = &[
    Class {
        name: "same-headings",
        full: 20_000,
        make: same_headings,
    },
    Class {
        name: "hash-lines",
        full: 40_000,
        make: hash_lines,
    },
    Class {
        name: "missing-images",
        full: 40_000,
        make: missing_images,
    },
    Class {
        name: "duplicate-options",
        full: 40_000,
        make: duplicate_options,
    },
    Class {
        name: "bad-links",
        full: 40_000,
        make: bad_links,
    },
    Class {
        name: "math-errors",
        full: 40_000,
        make: math_errors,
    },
    Class {
        name: "long-line",
        full: 10_000,
        make: long_line,
    },
];

fn lesson(n: usize, item: impl Fn(usize) -> String) -> String {
    let mut text = String::from(FRONT);
    for i in 0..n {
        text.push_str(&item(i));
    }
    text
}

/// `n` identical `## Same` headings (each needs the next free `-k` suffix).
pub(crate) fn same_headings(n: usize) -> String {
    lesson(n, |_| "## Same\n\n".to_owned())
}

/// `n` lines of `#` (empty level-1 headings).
pub(crate) fn hash_lines(n: usize) -> String {
    lesson(n, |_| "#\n".to_owned())
}

/// `n` missing images, one per line: `n` `missing-image` diagnostics.
pub(crate) fn missing_images(n: usize) -> String {
    lesson(n, |i| format!("![x](missing-{i}.png)\n"))
}

/// A Knowledge Check question with `n` identical options.
pub(crate) fn duplicate_options(n: usize) -> String {
    let mut text = lesson(1, |_| "## Knowledge Check\n\n1. Which one?\n".to_owned());
    text.push_str(&"   - same\n".repeat(n));
    text
}

/// `n` links with a refused scheme, one per line.
pub(crate) fn bad_links(n: usize) -> String {
    lesson(n, |i| format!("[x](javascript:{i})\n"))
}

/// `n` formulas math-core cannot read, one per line.
pub(crate) fn math_errors(n: usize) -> String {
    lesson(n, |i| format!("$\\frac{{{i}}}$\n"))
}

/// One line holding `n` missing images (10,000 make a line of about 160 KB).
pub(crate) fn long_line(n: usize) -> String {
    let mut text = lesson(n, |i| format!("![](m{i}.png) "));
    text.push('\n');
    text
}
