#!/usr/bin/env bash
# Installs whatever the tests need, then runs every check CI runs: formatting, clippy,
# the core's unit and integration tests, the doc tests, and the end-to-end tests that
# drive the real app window under Xvfb (they start their own Xvfb; nothing is skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== lectern check lessons (the bundled course must be clean)"
cargo run -q -p lectern --bin lectern -- check lessons

echo "== cargo test"
cargo test --workspace --all-targets
cargo test --workspace --doc

# Last: the .deb built, validated, installed, started and removed. Only under CI=true or
# LECTERN_TEST_PACKAGE=1 (it installs system-wide); otherwise it says it was skipped.
scripts/test-package.sh
