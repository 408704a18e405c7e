#!/usr/bin/env bash
# Measures mdBook's `serve` on the same kind of content as benches/live.rs, for the
# comparison in BENCHMARKS.md: a book of N chapters (10 and 10,000 by default), one
# chapter saved 20 times, and the time from the save until mdBook has written the
# chapter's new HTML (the file is polled every 2 ms; mdBook's own reload of the browser
# comes after that, so this is its best case). Needs `mdbook` on PATH
# (`cargo install mdbook --locked`); serves on 127.0.0.1 only.
set -euo pipefail
command -v mdbook >/dev/null || { echo "bench-mdbook: install mdbook first (cargo install mdbook --locked)" >&2; exit 2; }
lesson="$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/render/seedlike/lesson.md"
# The lesson's body, front matter left out.
body="$(awk '/^---$/ && n < 2 { n++; next } n >= 2' "$lesson")"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 10000)
for n in "${sizes[@]}"; do
  dir=$(mktemp -d)
  mkdir -p "$dir/src"
  printf '[book]\ntitle = "Bench"\n[output.html]\n' > "$dir/book.toml"
  {
    echo "# Summary"
    echo "- [Edited](edited.md)"
    for i in $(seq 1 "$n"); do echo "- [Lesson $i](l$i.md)"; done
  } > "$dir/src/SUMMARY.md"
  for i in $(seq 1 "$n"); do printf '# Lesson %s\n\nSome prose.\n' "$i" > "$dir/src/l$i.md"; done
  printf '%s\n' "$body" > "$dir/src/edited.md"
  port=$((20000 + RANDOM % 20000))
  (cd "$dir" && exec mdbook serve -n 127.0.0.1 -p "$port" >/dev/null 2>&1) &
  server=$!
  # Bounded waits: a run that never sees its change is reported, not waited on forever.
  tries=0
  until [ -f "$dir/book/edited.html" ]; do
    sleep 0.1; tries=$((tries + 1))
    [ "$tries" -lt 6000 ] || { echo "bench-mdbook: mdbook never built the book" >&2; kill "$server"; exit 1; }
  done
  sleep 1
  times=()
  for run in $(seq 1 20); do
    printf '%s\n\nAn edit, number %s.\n' "$body" "$run" > "$dir/src/edited.md"
    start=$(date +%s%N)
    until grep -q "An edit, number $run\." "$dir/book/edited.html" 2>/dev/null; do
      sleep 0.002
      [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 120 ] || { echo "bench-mdbook: no rebuild within 120 s" >&2; kill "$server"; exit 1; }
    done
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    sleep 0.5
  done
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  p50=$(echo "$sorted" | sed -n '10p'); p95=$(echo "$sorted" | sed -n '19p')
  echo "mdbook serve, $n chapters: save → chapter HTML written p50 ${p50} ms, p95 ${p95} ms"
  rm -rf "$dir"
done
