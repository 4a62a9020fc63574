#!/bin/sh
# The exercise runner's promises, checked from the outside in a scratch copy
# of the project (the student's exercises/ and the build stay untouched):
#   - make hint with EX=0, EX=abc or no EX, make check EX=0, make lesson with
#     no N or N=99: exit 2 and one line (besides make's own "***" line)
#     naming what is valid (1..N, the lessons); make hint EX=1 prints a hint;
#   - make watch: the table, then, once the first exercise's answer is copied
#     over its stub, the table again with that exercise passed and the
#     lessons that use it; WATCH_MAX=1 stops it (exit 0), a timeout kills it;
#   - make check EX=1 on a passing exercise says how many remain and which
#     is next; make check with the second exercise broken (a syntax error):
#     its row says "does not compile" with the compiler's error under it, the
#     others are still checked, the footer names the rule, exit 0 (STRICT=1:
#     exit 1); make check EX=1 still passes with the second one broken;
#   - tools/quiet.sh: one short line for a step that works, the command and
#     the compiler's message for one that fails, and its exit status.
# Each check prints one line; the run ends with "check: N passed, N failed"
# and exits non-zero if any failed.
#
# Usage: tools/check_tests.sh [BUILD [VAR=value...]]   from the project
#   folder. BUILD (the build folder, default build/default) is copied with
#   the sources, so the copy rebuilds only what the checks change; the
#   variables it was built with go to every make (SANITIZE=1 for
#   build/sanitize). CHECK_TIMEOUT: seconds any one make may take (default 600).
set -u
LC_ALL=C
export LC_ALL
build=${1:-build/default}
[ $# -ge 1 ] && shift
# Every make below gets these (split at blanks: no value with a space).
vars=$*
make_=${MAKE:-make}
top=$(pwd)
limit=${CHECK_TIMEOUT:-600}
passed=0 failed=0

if [ ! -f Makefile ] || [ ! -d "$build" ]; then
    echo "check_tests: run from the project folder after a build ($build is missing)" >&2
    exit 2
fi
scratch=$(mktemp -d) || exit 1   # honours TMPDIR
pid=""
trap 'if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null; fi; rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

result()   # result NAME WHY: one line per check, counted
{
    if [ -z "$2" ]; then
        echo "[ check OK ] $1"
        passed=$((passed + 1))
    else
        echo "[ check FAILED ] $1: $2"
        failed=$((failed + 1))
    fi
}

# The copy: every top-level entry but the build and the lessons' output, and
# the build folder at the same place (or build/copied for an absolute one).
repo=$scratch/repo
mkdir -p "$repo"
for f in * .[!.]*; do
    case $f in build|plots|.git|'.[!.]*'|'*') continue ;; esac
    [ -e "$f" ] && cp -Rp "$f" "$repo/"
done
case $build in /*) cbuild=build/copied ;; *) cbuild=$build ;; esac
mkdir -p "$repo/$(dirname "$cbuild")"
cp -Rp "$build" "$repo/$cbuild"

# The exercises (NAMEs with an answer, a stub and a test): how many
# (count), the first two, the last one's number (last) and their numbers
# as make hint names them (range: "1..N", or a list where numbers are
# missing).
ex1="" ex2="" last=0 count=0 nums=""
for f in "$repo"/solutions/[0-9][0-9]_*.c; do
    name=$(basename "$f" .c)
    if [ ! -f "$repo/exercises/$name.c" ] || [ ! -f "$repo/tests/exercise_$name.c" ]; then continue; fi
    count=$((count + 1))
    last=$(echo "$name" | sed 's/_.*//; s/^0*//')
    nums="$nums $last"
    if [ -z "$ex1" ]; then ex1=$name; elif [ -z "$ex2" ]; then ex2=$name; fi
done
range=$(echo "$nums" | awk '{ ok = 1; for (i = 2; i <= NF; i++) if ($i != $(i - 1) + 1) ok = 0
                             if (ok && NF > 2) print $1 ".." $NF
                             else { s = $1; for (i = 2; i <= NF; i++) s = s ", " $i; print s } }')
n1=$(echo "$ex1" | sed 's/_.*//; s/^0*//')
n2=$(echo "$ex2" | sed 's/_.*//; s/^0*//')
if [ -z "$ex2" ]; then
    result "setup" "fewer than two exercises with an answer in solutions/"
    echo "check: $passed passed, $failed failed"
    exit 1
fi

# mk ARGS...: make in the copy (quietly), stdout and stderr in $scratch/out
# and err, status in rc.
mk()
{
    # shellcheck disable=SC2086
    (cd "$repo" && $make_ --no-print-directory BUILD="$cbuild" $vars "$@") \
        </dev/null >"$scratch/out" 2>"$scratch/err"
    rc=$?
}

# bad_input NAME WANT ARGS...: make ARGS exits 2 with one line of its own on
# stderr (make's "***" line aside) holding WANT, and nothing on stdout.
bad_input()
{
    name=$1 want=$2
    shift 2
    mk "$@"
    grep -v '^make\(\[[0-9]*\]\)\{0,1\}: \*\*\*' "$scratch/err" >"$scratch/own"
    why=""
    if [ "$rc" -ne 2 ]; then
        why="exit status $rc (want 2)"
    elif [ "$(wc -l <"$scratch/own")" -ne 1 ]; then
        why="$(wc -l <"$scratch/own") lines of its own on stderr (want 1): $(head -n 2 "$scratch/own" | tr '\n' '|')"
    elif ! grep -qF -e "$want" "$scratch/own"; then
        why="the message does not say \"$want\": $(cat "$scratch/own")"
    elif [ -s "$scratch/out" ]; then
        why="stdout: $(head -n 1 "$scratch/out")"
    fi
    result "$name" "$why"
}

# ---------------------------------------------------------------- bad input
bad_input "make hint EX=0" "the exercises are $range" hint EX=0
bad_input "make hint EX=abc" "the exercises are $range" hint EX=abc
bad_input "make hint" "say which exercise, e.g. make hint EX=1" hint
bad_input "make check EX=0" "the exercises are 1..$last" check EX=0
bad_input "make lesson" "make lesson: say which lesson, e.g. make lesson N=6; the lessons are 1 " lesson
bad_input "make lesson N=99" "no lesson N=99; the lessons are 1 " lesson N=99
mk hint EX="$n1"
why=""
[ "$rc" -eq 0 ] || why="exit status $rc"
[ -z "$why" ] && [ ! -s "$scratch/out" ] && why="no hint printed"
result "make hint EX=$n1" "$why"

# ---------------------------------------------------------------- watch
# status_of NUMBER FILE: that exercise's status in the last table of FILE.
status_of() { awk -v n="$1" '$1 == n && $2 ~ /^[a-z0-9_]+$/ && $2 != "of" && NF >= 3 { s = $3 }
                             END { print s }' "$2"; }

# wait_for SECONDS TEST...: runs TEST every second until it succeeds or the
# watcher has exited (then 1) or time is up (then 2).
wait_for()
{
    t=$1
    shift
    while [ "$t" -gt 0 ]; do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || { "$@" && return 0; return 1; }
        sleep 1
        t=$((t - 1))
    done
    return 2
}
watching() { [ "$(grep -c 'Watching the exercises' "$scratch/watch.log")" -ge 1 ]; }
gone() { ! kill -0 "$pid" 2>/dev/null; }

# WATCH_SECONDS bounds the watcher itself; make passes a kill on to it.
# shellcheck disable=SC2086
(cd "$repo" && WATCH_MAX=1 WATCH_POLL=1 WATCH_SECONDS=$((2 * limit)) \
    exec $make_ --no-print-directory BUILD="$cbuild" $vars watch) </dev/null >"$scratch/watch.log" 2>&1 &
pid=$!
why=""
wait_for "$limit" watching
case $? in
    1) why="make watch exited before watching: $(tail -n 3 "$scratch/watch.log" | tr '\n' '|')" ;;
    2) why="no table within $limit s" ;;
esac
if [ -z "$why" ] && [ "$(status_of "$n1" "$scratch/watch.log")" != FAILED ]; then
    why="first table: exercise $n1 is \"$(status_of "$n1" "$scratch/watch.log")\", want FAILED"
fi
result "make watch shows the table" "$why"
if [ -z "$why" ]; then
    # A save a second later (the watcher compares the files' contents).
    sleep 1
    cp "$repo/solutions/$ex1.c" "$repo/exercises/$ex1.c"
    wait_for "$limit" gone
    w=$?
    wait "$pid" 2>/dev/null
    wrc=$?
    sed -n '/saved, checking again/,$p' "$scratch/watch.log" >"$scratch/after"
    why=""
    if [ "$w" -eq 2 ]; then
        why="still running $limit s after the save (killed)"
        kill -TERM "$pid" 2>/dev/null
    elif [ ! -s "$scratch/after" ]; then
        why="no recheck after the save: $(tail -n 3 "$scratch/watch.log" | tr '\n' '|')"
    elif [ "$(status_of "$n1" "$scratch/after")" != passed ]; then
        why="after the save exercise $n1 is \"$(status_of "$n1" "$scratch/after")\", want passed"
    elif ! grep -q "Exercise $n1 passes now" "$scratch/after"; then
        why="no \"Exercise $n1 passes now\" after the save"
    elif ! grep -q "^  Lesson.* call\|^  Lesson .* runs on your code\|^  No lesson calls" "$scratch/after"; then
        why="no word on the lessons that use exercise $n1"
    elif [ "$wrc" -ne 0 ]; then
        why="exit status $wrc after WATCH_MAX=1 (want 0)"
    fi
    result "make watch rechecks after a save and stops (WATCH_MAX=1)" "$why"
    pid=""
fi
cp "$repo/solutions/$ex1.c" "$repo/exercises/$ex1.c"

# ---------------------------------------------------------------- check
mk check EX="$n1"
why=""
[ "$rc" -eq 0 ] || why="exit status $rc"
[ -z "$why" ] && ! grep -q "^  Exercise $n1 passes. $((count - 1)) exercises remain: next make check EX=$n2\$" "$scratch/out" &&
    why="no \"Exercise $n1 passes. $((count - 1)) exercises remain: next make check EX=$n2\": $(tail -n 2 "$scratch/out" | tr '\n' '|')"
result "make check EX=$n1 (passes) names what remains" "$why"

printf '\nint this_is_not_c = ;\n' >>"$repo/exercises/$ex2.c"
mk check
why=""
row2=$(grep -n "^  $n2 " "$scratch/out" | head -n 1)
if [ "$rc" -ne 0 ]; then
    why="exit status $rc (want 0: a failing exercise is not a make error), stderr: $(head -n 2 "$scratch/err" | tr '\n' '|')"
elif grep -q '\*\*\*' "$scratch/err"; then
    why="make printed an error line: $(grep '\*\*\*' "$scratch/err" | head -n 1)"
elif ! printf '%s' "$row2" | grep -q "does not compile"; then
    why="row $n2: ${row2:-none}"
elif ! sed -n "$(( ${row2%%:*} + 1 )),$(( ${row2%%:*} + 4 ))p" "$scratch/out" | grep -q "$ex2.c.*error"; then
    why="no compiler error under row $n2"
elif [ "$(status_of "$n1" "$scratch/out")" != passed ] || [ "$(status_of "$last" "$scratch/out")" != FAILED ]; then
    why="the others were not checked: row $n1 \"$(status_of "$n1" "$scratch/out")\", row $last \"$(status_of "$last" "$scratch/out")\""
elif ! grep -q "Exercise $n2 does not compile" "$scratch/out" || ! grep -q "course's answer" "$scratch/out"; then
    why="the footer does not give the rule for exercise $n2"
fi
result "make check: exercise $n2 does not compile, the others are checked" "$why"

mk check EX="$n1"
why=""
[ "$rc" -eq 0 ] || why="exit status $rc"
[ -z "$why" ] && [ "$(status_of "$n1" "$scratch/out")" != passed ] && why="exercise $n1 is \"$(status_of "$n1" "$scratch/out")\""
[ -z "$why" ] && ! grep -q "Exercise $n2 does not compile" "$scratch/out" && why="no word on exercise $n2"
result "make check EX=$n1 with exercise $n2 broken" "$why"

mk check STRICT=1
why=""
[ "$rc" -ne 0 ] || why="exit status 0 with failing exercises (want non-zero)"
result "make check STRICT=1 fails when an exercise fails" "$why"

# ---------------------------------------------------------------- quiet builds
printf 'int ok(void) { return 1; }\n' >"$scratch/ok.c"
printf 'int bad(void) { return 1 }\n' >"$scratch/bad.c"
out=$(cd "$scratch" && "$top/tools/quiet.sh" "${CC:-cc}" -c ok.c -o ok.o 2>&1); qrc=$?
why=""
[ "$qrc" -eq 0 ] && [ "$out" = "  CC ok.c" ] || why="status $qrc, printed: $(printf '%s' "$out" | tr '\n' '|')"
result "tools/quiet.sh: one short line for a step that works" "$why"
out=$(cd "$scratch" && "$top/tools/quiet.sh" "${CC:-cc}" -c bad.c -o bad.o 2>&1); qrc=$?
why=""
if [ "$qrc" -eq 0 ]; then
    why="status 0 for a failing compile"
elif ! printf '%s\n' "$out" | grep -q -- "-c bad.c -o bad.o"; then
    why="the command is not shown: $(printf '%s' "$out" | head -n 2 | tr '\n' '|')"
elif ! printf '%s\n' "$out" | grep -q "bad.c:1.*error"; then
    why="the compiler's message is not shown"
fi
result "tools/quiet.sh: the command and the error for a step that fails" "$why"

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
