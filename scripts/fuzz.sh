#!/usr/bin/env bash
# Long fuzz run on the stable toolchain: `scripts/fuzz.sh [SECONDS]` (default 600).
#
# Runs the fuzz test of tests/robustness/fuzz.rs in release mode for SECONDS, with a
# fresh seed (printed; set LECTERN_FUZZ_SEED to repeat a run). Random lessons —
# generated ones and mutants of tests/fixtures and lessons/ — go through lesson::parse,
# render, the render check and quiz::parse; a panic, a hang (LECTERN_FUZZ_TIMEOUT_MS
# per input, default 10000), forbidden markup in the HTML or a NUL byte fails the run.
# Failing inputs are saved in fuzz-failures/ of cargo's target folder (target/, or
# CARGO_TARGET_DIR) with a .txt saying what was found;
# replay them with LECTERN_FUZZ_REPLAY=FILE[:FILE…] scripts/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${LECTERN_FUZZ_REPLAY:-}" ]]; then
    export LECTERN_FUZZ_SECONDS="${1:-600}"
fi
exec cargo test --release -p lectern --test integration \
    robustness::fuzz::fuzz_lessons_never_panic_hang_or_get_markup_past_the_sanitizer \
    -- --exact --nocapture
