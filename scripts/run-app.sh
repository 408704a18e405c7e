#!/usr/bin/env bash
# Installs what is missing, builds Lectern, and opens it on the bundled course
# (or on the folder given as the first argument).
#
#   scripts/run-app.sh            # the bundled NLP course
#   scripts/run-app.sh my-course  # a folder of your own lessons
set -euo pipefail
args=()
for a in "$@"; do
  # A folder is relative to where the command was typed, not to the repository.
  if [ -e "$a" ]; then a="$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"; fi
  args+=("$a")
done
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release -p lectern-app -p lectern
# Cargo's target folder: `target/`, or wherever CARGO_TARGET_DIR (or a cargo config) puts it.
target=$(cargo metadata --no-deps --format-version 1 |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
exec "$target/release/lectern-app" "${args[@]+"${args[@]}"}"
