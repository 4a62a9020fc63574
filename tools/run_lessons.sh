#!/bin/sh
# Smoke tests of the lessons: runs each lesson binary given on the command
# line with --fast --no-pause into a scratch folder (and again for each of its
# extra_runs below), and checks that it exits
# 0 and wrote lesson.md, summary.tsv and at least one figure file (.png, .dat
# or .gp). Keeps going after a failure, shows the failing run's last lines,
# ends with "lessons: N passed, N failed" and a non-zero exit if any failed.
set -u
passed=0 failed=0 bad=""
scratch=$(mktemp -d) || exit 1   # honours TMPDIR
trap 'rm -rf "$scratch"' EXIT INT TERM
# Runs that take paths the default run does not: the binary's name, then
# the arguments added to --fast --no-pause.
extra_runs()
{
    cat <<'EOF'
09_mode_collapse --fix wgan-gp --dataset ring --fashion-steps 0
EOF
}

# run_one BINARY LABEL [ARGS...]: one smoke run, counted and reported.
run_one()
{
    b=$1 label=$2
    shift 2
    out="$scratch/$label"
    start=$(date +%s)
    "$b" --fast --no-pause --out "$out" "$@" </dev/null >"$scratch/$label.log" 2>&1
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
        echo "[ lesson OK ] $label${*:+ ($*)} (${secs} s)"
        passed=$((passed + 1))
    else
        echo "[ lesson FAILED ] $label${*:+ ($*)}: $why; last lines of its output:"
        tail -n 15 "$scratch/$label.log" | sed 's/^/    /'
        failed=$((failed + 1))
        bad="$bad $label"
    fi
}

for b in "$@"; do
    name=$(basename "$b")
    run_one "$b" "$name"
    k=0
    while read -r who args; do
        [ "$who" = "$name" ] || continue
        k=$((k + 1))
        # shellcheck disable=SC2086
        run_one "$b" "$name.$k" $args
    done <<EOF
$(extra_runs)
EOF
done
echo "lessons: $passed passed, $failed failed"
if [ -n "$bad" ]; then
    echo "failing lessons:$bad" >&2
    exit 1
fi
