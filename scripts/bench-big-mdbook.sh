#!/usr/bin/env bash
# The mdBook comparison of BENCHMARKS.md's "Big courses" (issue #26): the lessons of a
# course made by scripts/big-course.sh laid out as an mdBook book (every lesson a
# chapter of src/SUMMARY.md, in file order; the front matter stays in the text, which
# mdBook shows as a rule and a paragraph), then per round `mdbook build` of it and
# `lectern check` of the same book (an emptied check cache: cold), alternating. Needs
# `mdbook` on PATH (`cargo install mdbook --locked`).
#
#   scripts/bench-big-mdbook.sh ROUNDS COURSE_DIR LECTERN_BINARY
set -euo pipefail
rounds=${1:?usage: bench-big-mdbook.sh ROUNDS COURSE_DIR LECTERN_BINARY}
course=${2:?usage: bench-big-mdbook.sh ROUNDS COURSE_DIR LECTERN_BINARY}
lectern=${3:?usage: bench-big-mdbook.sh ROUNDS COURSE_DIR LECTERN_BINARY}
command -v mdbook >/dev/null || { echo "bench-big-mdbook: install mdbook first (cargo install mdbook --locked)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/book/src"
printf '[book]\ntitle = "Big"\n[output.html]\n' > "$work/book/book.toml"
cp "$course"/*.md "$work/book/src/"
cp -r "$course/images" "$work/book/src/" 2>/dev/null || true
mapfile -t chapters < <(cd "$work/book/src" && ls -- *.md | sort)
{
    echo "# Summary"
    echo
    for c in "${chapters[@]}"; do echo "- [${c%.md}]($c)"; done
} > "$work/summary"
mv "$work/summary" "$work/book/src/SUMMARY.md"
seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo "scale=3; ($e - $s) / 1000000000" | bc; }
echo "book of ${#chapters[@]} chapters"
for ((r = 0; r < rounds; r++)); do
    rm -rf "$work/book/book"
    m=$(seconds mdbook build "$work/book")
    export XDG_CACHE_HOME="$work/cache-$r"
    l=$(seconds "$lectern" check "$work/book")
    echo "round $r: mdbook build ${m} s, lectern check (cold) ${l} s"
done
