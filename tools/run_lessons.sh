#!/bin/sh
# Smoke tests of the lessons: runs each lesson binary given on the command
# line with --fast --no-pause into a scratch folder, and checks that it exits
# 0 and wrote lesson.md, summary.tsv and at least one figure file (.png, .dat
# or .gp). Keeps going after a failure, shows the failing run's last lines,
# ends with "lessons: N passed, N failed" and a non-zero exit if any failed.
set -u
passed=0 failed=0 bad=""
scratch=$(mktemp -d) || exit 1   # honours TMPDIR
trap 'rm -rf "$scratch"' EXIT INT TERM
for b in "$@"; do
    name=$(basename "$b")
    out="$scratch/$name"
    start=$(date +%s)
    "$b" --fast --no-pause --out "$out" </dev/null >"$scratch/$name.log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    why=""
    if [ "$rc" -ne 0 ]; then
        why="exit status $rc"
    elif [ ! -s "$out/lesson.md" ]; then
        why="no lesson.md"
    elif [ ! -s "$out/summary.tsv" ]; then
        why="no summary.tsv"
    elif [ -z "$(find "$out" -maxdepth 2 \( -name '*.png' -o -name '*.dat' -o -name '*.gp' \) -print | head -n 1)" ]; then
        why="no figure (.png, .dat or .gp)"
    fi
    if [ -z "$why" ]; then
        echo "[ lesson OK ] $name (${secs} s)"
        passed=$((passed + 1))
    else
        echo "[ lesson FAILED ] $name: $why; last lines of its output:"
        tail -n 15 "$scratch/$name.log" | sed 's/^/    /'
        failed=$((failed + 1))
        bad="$bad $name"
    fi
done
echo "lessons: $passed passed, $failed failed"
if [ -n "$bad" ]; then
    echo "failing lessons:$bad" >&2
    exit 1
fi
