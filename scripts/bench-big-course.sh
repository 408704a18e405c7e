#!/usr/bin/env bash
# The "Big courses" figures of BENCHMARKS.md (issue #26): times `lectern check DIR` of
# each given binary with an emptied check cache (cold), then again (warm), binaries
# alternating round by round, and prints one line per binary and round. Make the course
# with scripts/big-course.sh; build each binary with `cargo build --release -p lectern`
# (copy target/release/lectern aside between commits).
#
#   scripts/bench-big-course.sh ROUNDS DIR BINARY...
set -euo pipefail
rounds=${1:?usage: bench-big-course.sh ROUNDS DIR BINARY...}
dir=${2:?usage: bench-big-course.sh ROUNDS DIR BINARY...}
shift 2
caches=$(mktemp -d)
trap 'rm -rf "$caches"' EXIT
seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null || true; e=$(date +%s%N); echo "scale=3; ($e - $s) / 1000000000" | bc; }
for ((r = 0; r < rounds; r++)); do
    for bin in "$@"; do
        export XDG_CACHE_HOME="$caches/$r-$(basename "$bin")"
        cold=$(seconds "$bin" check "$dir")
        warm=$(seconds "$bin" check "$dir")
        echo "$bin round $r: cold ${cold} s, warm ${warm} s"
    done
done
