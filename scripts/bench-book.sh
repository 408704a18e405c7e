#!/usr/bin/env bash
# Opening a real book with Lectern against building it with mdBook, in the same run
# (BENCHMARKS.md, "Opening a book"): `lectern check BOOK` (every chapter read, its
# includes expanded, rendered and its quiz parsed), `mdbook build BOOK` (the HTML
# written), and the app's start-up on the book (first paint, course page painted) from
# scripts/startup-bench.sh. Medians of RUNS runs each.
#
#   scripts/bench-book.sh BOOK [RUNS]   # BOOK: a book's root, e.g. a clone of rust-lang/book
#
# Needs `mdbook` on PATH (`cargo install mdbook --locked`). The book is copied to a
# temporary folder first, so its own `book/` output and the search cache stay out of it.
set -euo pipefail
book=${1:?usage: scripts/bench-book.sh BOOK [RUNS]}
runs=${2:-5}
book=$(cd "$book" && pwd)
command -v mdbook >/dev/null || { echo "bench-book: install mdbook first (cargo install mdbook --locked)" >&2; exit 2; }
cd "$(dirname "$0")/.."
cargo build --release --locked -p lectern --bin lectern >&2
cargo build --release --locked -p lectern-app >&2
target=$(cargo metadata --no-deps --format-version 1 --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$book" "$work/book"
rm -rf "$work/book/book" "$work/book/.git"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ms NAME COMMAND…: RUNS timed runs of COMMAND (its output dropped), the median in ms.
ms() {
  local name=$1 out=$work/times t0 t1
  shift
  : >"$out"
  for ((r = 0; r < runs; r++)); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }' >>"$out"
  done
  printf '%-40s %6s ms  (runs: %s)\n' "$name" "$(median <"$out")" "$(tr '\n' ' ' <"$out")"
}

echo "== $(basename "$book"): $(grep -c '\](' "$work/book/src/SUMMARY.md" || true) SUMMARY entries, $(grep -rho '{{#[a-z_]*include' "$work/book/src" | wc -l) includes; $runs runs each"
"$target/release/lectern" check "$work/book" | tail -1
ms "lectern check" "$target/release/lectern" check "$work/book"
ms "mdbook build" mdbook build "$work/book" -d "$work/out"
BENCH_APP="$target/release/lectern-app" BENCH_COURSE="$work/book" scripts/startup-bench.sh "$runs"
