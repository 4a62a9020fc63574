#!/bin/sh
# The student's path through the library's holes, checked end to end:
#   1. lesson 06 built on the untouched stubs (USE=exercises) stops before
#      anything is written: exit status 2, one line naming exercise 1;
#   2. a copy of the project whose exercises/ hold the answers builds lesson
#      06, 08 and 09 with USE=exercises, and each --fast run writes the same
#      summary.tsv as the solutions build, but for the line that says which
#      code ran and the timings; lesson.md says it ran on the student's code.
# Usage: tools/exercise_path_test.sh BUILD   (BUILD holds the solutions' and
# the stubs' lesson binaries; make flags such as SANITIZE come from MAKEFLAGS)
set -u
build=${1:-build/default}
passed=0 failed=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "exercise path: $*"; }

# 1. The stubs.
"$build/lessons/exercises/06_training" --fast --no-pause --out "$scratch/stub" \
    </dev/null >"$scratch/stub.out" 2>"$scratch/stub.err"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$scratch/stub.err")" -eq 1 ] &&
   grep -q "exercise 1 (nn_sample_latent" "$scratch/stub.err" && [ ! -e "$scratch/stub" ]; then
    ok
else
    bad "lesson 06 on the stubs: exit $rc, wanted 2 with one line naming exercise 1 and no" \
        "output folder; stderr: $(head -c 300 "$scratch/stub.err")"
fi

# 2. The answers as the student's code, in a copy of the project.
copy="$scratch/project"
mkdir -p "$copy"
cp -R Makefile lib lessons solutions exercises tests tools "$copy"/
cp solutions/*.c "$copy/exercises/"
lessons="06_training 08_vanishing_gradients 09_mode_collapse"
targets=""
for l in $lessons; do targets="$targets build/lessons/exercises/$l"; done
# shellcheck disable=SC2086
if ! make -C "$copy" -s --no-print-directory BUILD=build USE=exercises $targets \
        >"$scratch/build.log" 2>&1; then
    bad "building lessons with USE=exercises on the answers failed:"
    tail -n 20 "$scratch/build.log"
else
    for l in $lessons; do
        "$copy/build/lessons/exercises/$l" --fast --no-pause --out "$scratch/yours_$l" \
            </dev/null >/dev/null 2>&1
        rc1=$?
        "$build/lessons/solutions/$l" --fast --no-pause --out "$scratch/ours_$l" \
            </dev/null >/dev/null 2>&1
        rc2=$?
        strip() { grep -v -E '^(code|wall_s|steps_per_s|peak_rss_mb|train_s|[a-z_]*wall_s)	' "$1"; }
        if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ]; then
            bad "$l: exit $rc1 on the student's copy of the answers, $rc2 on solutions/"
        elif ! grep -q "^code	exercises$" "$scratch/yours_$l/summary.tsv" ||
             ! grep -q "your own, from \`exercises/\`" "$scratch/yours_$l/lesson.md"; then
            bad "$l: summary.tsv or lesson.md does not say the student's code ran"
        elif ! strip "$scratch/yours_$l/summary.tsv" >"$scratch/a" ||
             ! strip "$scratch/ours_$l/summary.tsv" >"$scratch/b" ||
             ! cmp -s "$scratch/a" "$scratch/b"; then
            bad "$l: summary.tsv differs between USE=exercises (with the answers) and solutions/:"
            diff "$scratch/a" "$scratch/b" | head -n 10
        else
            ok
        fi
    done
fi
echo "exercise path: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
