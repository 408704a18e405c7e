#!/usr/bin/env bash
# Writes a synthetic course of N lessons made from the bundled lessons (issue #26, the
# "Big courses" benchmarks of BENCHMARKS.md): lesson i is bundled lesson i mod 8 with the
# id `big-i`, the title "Lesson i: <title>", `order: i` and no declared neighbours, and
# course.yaml and images/ are copied. 10,000 lessons are about 118 MB of Markdown.
#
#   scripts/big-course.sh N DIR
set -euo pipefail
n=${1:?usage: big-course.sh N DIR}
dir=${2:?usage: big-course.sh N DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
cp "$here/lessons/course.yaml" "$dir/"
cp -r "$here/lessons/images" "$dir/"
mapfile -t sources < <(ls "$here"/lessons/*.md | sort)

# One awk for every lesson: it reads the bundled lessons once and writes N files.
awk -v n="$n" -v dir="$dir" '
    FNR == 1 { k++; lines[k] = 0 }
    { lines[k]++; text[k, lines[k]] = $0 }
    END {
        for (i = 0; i < n; i++) {
            s = i % k + 1
            out = sprintf("%s/l%05d.md", dir, i)
            fm = 0
            for (j = 1; j <= lines[s]; j++) {
                line = text[s, j]
                if (j == 1) { fm = 1 }
                else if (fm && line == "---") { fm = 0 }
                else if (fm && line ~ /^id:/) { line = sprintf("id: big-%05d", i) }
                else if (fm && line ~ /^title:/) {
                    sub(/^title: */, "", line); gsub(/^"|"$/, "", line); line = sprintf("title: \"Lesson %d: %s\"", i, line)
                }
                else if (fm && line ~ /^order:/) { line = sprintf("order: %d", i) }
                else if (fm && line ~ /^(prev|next)LessonId:/) { continue }
                print line > out
            }
            close(out)
        }
    }
' "${sources[@]}"
