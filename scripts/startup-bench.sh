#!/usr/bin/env bash
# Start-up figures of the release app (BENCHMARKS.md, "Start-up and memory"): from
# process start to the course page painted, warm and cold, with the bundled course and
# with a generated 10,000-lesson course, and the resident memory of the app with its
# WebKit processes once the bundled course is open.
#
#   scripts/startup-bench.sh [RUNS]     # RUNS per case (default 5); prints medians
#   BENCH_APP=PATH     measure that lectern-app binary (built already) instead of
#                      building this tree's (for A/B runs back to back)
#   BUNDLED_ONLY=1     stop after the bundled course's cases
#   BENCH_ENV='A=1 B=2'  extra environment for the app (A/B runs of a WebKit setting)
#   BENCH_COURSE=DIR   only that course (e.g. a fetched book): first open, then warm
#                      (scripts/bench-book.sh uses it)
#
# How: the app reports its own phases (LECTERN_STARTUP_TRACE=FILE, see
# src-tauri/src/startup.rs); this script notes the wall-clock time just before it starts
# the app and subtracts it from the Unix time of each phase, so no stopwatch is
# involved. Each run starts the app in its own Xvfb and D-Bus session, waits for the
# `course-painted` phase, and then for memory reads /proc/<pid>/smaps_rollup (RSS and
# PSS) of the app and every process under it (WebKitWebProcess, WebKitNetworkProcess).
# Cold runs drop the page cache first (`echo 3 > /proc/sys/vm/drop_caches`, root only;
# without it they are reported as not measured). All runs of a course share one HOME, so
# after the first run the database, the bundled course's folder and the search index
# exist: "first open" is reported on its own. The 10,000-lesson course's index is built
# (by the CLI) between its first open and the other runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
# Cargo's target folder: `target/`, or wherever CARGO_TARGET_DIR (or a cargo config) puts it.
target=$(cargo metadata --no-deps --format-version 1 --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
app=${BENCH_APP:-$target/release/lectern-app}
if [ -z "${BENCH_APP:-}" ]; then
  echo "== cargo build --release (lectern-app, and the lectern CLI that builds the search index)" >&2
  cargo build --release --locked -p lectern-app >&2
  cargo build --release --locked -p lectern --bin lectern >&2
fi

work=$(mktemp -d)
xvfb_pid='' bus_pid=''
cleanup() {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# One display and one session bus for every run (the app is started and stopped in them).
exec 5>"$work/display"
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"
dbus-daemon --session --fork --print-address=6 --print-pid=7 6>"$work/bus" 7>"$work/bus.pid"
export DBUS_SESSION_BUS_ADDRESS
DBUS_SESSION_BUS_ADDRESS=$(cat "$work/bus")
bus_pid=$(cat "$work/bus.pid")

# A course of 10,000 seed-sized lessons, as the benches make them (benches/search.rs).
make_course() {
  local dir=$1 n=$2 body
  mkdir -p "$dir"
  body=$(awk 'n >= 2; /^---$/ { n++ }' tests/fixtures/render/seedlike/lesson.md)
  for ((i = 0; i < n; i++)); do
    printf -- '---\nid: l%05d\ntitle: Lesson %d\norder: %d\n---\n%s\n\nLesson number %d.\n' \
      "$i" "$i" "$i" "$body" "$i" >"$dir/l$(printf %05d "$i").md"
  done
}

# Every process under `pid` (children, grandchildren…), then `pid`.
tree() {
  local p
  for p in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$p"; done
  echo "$1"
}

# Stops the app and its WebKit processes, and waits until all are gone: killed alone,
# the app leaves its web process running for seconds (drawing a 10,000-lesson outline),
# and the next run would start beside it on the same two cores.
stop_tree() {
  local pids p alive
  pids=$(tree "$1")
  kill $pids 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  for _ in $(seq 200); do
    alive=''
    for p in $pids; do
      # Gone, or a zombie waiting for its new parent to reap it.
      grep -qs '^State:[[:space:]]*[^Z]' /proc/"$p"/status && alive=1
    done
    [ -z "$alive" ] && return 0
    sleep 0.05
  done
  echo "startup-bench: processes of run $1 still running" >&2
}

# Sum of a field of smaps_rollup (kB) over the app's process tree.
mem_kb() {
  local field=$1 total=0 p v
  for p in $(tree "$2"); do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' /proc/"$p"/smaps_rollup 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# One run: starts the app on `$@` with HOME=$home, waits for the painted course page,
# prints "<ms to core-loaded> <ms to window> <ms to first paint> <ms to painted> <rss kB>
# <pss kB>".
run_once() {
  local home=$1 trace=$work/trace t0 pid rss=0 pss=0
  shift
  rm -f "$trace"
  t0=$EPOCHREALTIME
  # A learner's session: nothing of this shell's environment but the display and bus.
  env -i PATH=/usr/bin:/bin HOME="$home" DISPLAY="$DISPLAY" \
    DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" ${BENCH_ENV:-} \
    LECTERN_STARTUP_TRACE="$trace" "$app" "$@" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 3600); do
    grep -q ' course-painted ' "$trace" 2>/dev/null && break
    sleep 0.05
  done
  grep -q ' course-painted ' "$trace" || { echo "startup-bench: no course-painted phase" >&2; kill "$pid"; return 1; }
  if [ "${MEASURE_MEMORY:-0}" = 1 ]; then
    sleep 2 # the page settled, the search index synced
    rss=$(mem_kb Rss "$pid")
    pss=$(mem_kb Pss "$pid")
  fi
  stop_tree "$pid"
  [ -n "${TRACE_LOG:-}" ] && cat "$trace" >>"$TRACE_LOG"
  awk -v t0="$t0" -v rss="$rss" -v pss="$pss" '
    { at[$2] = $4 - t0 * 1000 }
    END { printf "%.0f %.0f %.0f %.0f %d %d\n", at["core-loaded"], at["window-created"],
      at["first-contentful-paint"], at["course-painted"], rss, pss }' "$trace"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

can_drop=0
if [ -w /proc/sys/vm/drop_caches ]; then can_drop=1; fi

# case NAME COLD HOME ARGS…: RUNS runs, medians of each column.
bench_case() {
  local name=$1 cold=$2 home=$3 out=$work/case
  shift 3
  : >"$out"
  for ((r = 0; r < runs; r++)); do
    if [ "$cold" = 1 ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi
    run_once "$home" "$@" >>"$out"
  done
  printf '%-34s core %5s  window %5s  first paint %5s  painted %5s ms  (runs: %s)' "$name" \
    "$(cut -d' ' -f1 "$out" | median)" "$(cut -d' ' -f2 "$out" | median)" \
    "$(cut -d' ' -f3 "$out" | median)" "$(cut -d' ' -f4 "$out" | median)" \
    "$(cut -d' ' -f4 "$out" | tr '\n' ' ')"
  if [ "${MEASURE_MEMORY:-0}" = 1 ]; then
    printf '  RSS %s MB  PSS %s MB' "$(($(cut -d' ' -f5 "$out" | median | cut -d. -f1) / 1024))" \
      "$(($(cut -d' ' -f6 "$out" | median | cut -d. -f1) / 1024))"
  fi
  echo
}

echo "== start-up, $runs runs per case, ms from process start (median; all runs listed)"
if [ -n "${BENCH_COURSE:-}" ]; then
  home=$work/home-course
  mkdir -p "$home"
  runs=1 bench_case "$(basename "$BENCH_COURSE"), first open" 0 "$home" "$BENCH_COURSE"
  bench_case "$(basename "$BENCH_COURSE"), warm" 0 "$home" "$BENCH_COURSE"
  exit 0
fi
home=$work/home-bundled
mkdir -p "$home"
runs=1 bench_case "bundled, first open" 0 "$home"
bench_case "bundled, warm" 0 "$home"
if [ "$can_drop" = 1 ]; then bench_case "bundled, cold (caches dropped)" 1 "$home"; else echo "bundled, cold: not measured (cannot drop caches: not root)"; fi
MEASURE_MEMORY=1 bench_case "bundled, memory" 0 "$home"
[ "${BUNDLED_ONLY:-0}" = 1 ] && exit 0

echo "== generating a 10,000-lesson course" >&2
make_course "$work/big" 10000
home=$work/home-big
mkdir -p "$home"
runs=1 bench_case "10,000 lessons, first open" 0 "$home" "$work/big"
# The first open's search index is built on a thread of its own and takes about a
# minute, longer than that run lasted: the later runs start with a finished one, built
# here by the CLI in the same cache folder (an unfinished index is a rolled-back
# transaction, and the app would build it again in every run).
echo "== building the search index of the 10,000-lesson course" >&2
env -i PATH=/usr/bin:/bin HOME="$home" "$target/release/lectern" search tokenizer "$work/big" --limit 1 >/dev/null
bench_case "10,000 lessons, warm" 0 "$home" "$work/big"
if [ "$can_drop" = 1 ]; then bench_case "10,000 lessons, cold (caches dropped)" 1 "$home" "$work/big"; else echo "10,000 lessons, cold: not measured (cannot drop caches: not root)"; fi
