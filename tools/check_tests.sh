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
#     exit 2, make's status for a failed target); make check EX=1 still
#     passes with the second one broken;
#   - each row is its own exercise's: with 1..13 answered and the later ones
#     untouched, make check EX=9 passes; slips planted in answers (14 and 26
#     without their bias, 20 without the cosine's clamp, 18 without the unit
#     vector, 22 and 16 without a mean's 1/n) fail their tests with messages
#     that name them, and lesson 10 on the student's code stops at exercise
#     14's probe;
#   - make grade, with exercise 3 crashing (a NULL pointer) and 5 looping
#     forever: rows 3 and 5 say "crashed (SIGSEGV)" ("crashed (NULL pointer)"
#     where UBSan watches) and "timed out", every
#     other row is its own code's, all within 60 s; plots/grade.xml parses as
#     JUnit (python3), one test case per exercise, each failure with its
#     message; exit non-zero, and 0 for a range that passes (EX=6-13);
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

# The exercises (NAMEs with an answer, a stub and a test): how many, the
# first two, the last one's number, and how the tools name them all: 1..N
# when the numbers run without a gap, else the list (1, 2, ..., 15, 22).
ex1="" ex2="" count=0 last=0 nums=""
for f in "$repo"/solutions/[0-9][0-9]_*.c; do
    name=$(basename "$f" .c)
    if [ ! -f "$repo/exercises/$name.c" ] || [ ! -f "$repo/tests/exercise_$name.c" ]; then continue; fi
    count=$((count + 1))
    last=$(echo "$name" | sed 's/_.*//; s/^0*//')
    nums="$nums${nums:+, }$last"
    if [ -z "$ex1" ]; then ex1=$name; elif [ -z "$ex2" ]; then ex2=$name; fi
done
if [ "$count" -eq "$last" ]; then range="1..$last"; else range=$nums; fi
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
bad_input "make check EX=0" "the exercises are $range" check EX=0
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
[ "$rc" -eq 2 ] || why="exit status $rc with failing exercises (want 2, make's status for a failed target)"
result "make check STRICT=1 fails (exit 2) when an exercise fails" "$why"

# ---------------------------------------------------------------- each row its own
# The course up to exercise 13 answered (the answers copied over the stubs),
# every later one untouched: each of 1..13 passes, whatever the stubs after
# it, exercise 9 (the training step, whose test also runs the losses of 16
# and 18) included.
mid=13
for f in "$repo"/solutions/[0-9][0-9]_*.c; do
    name=$(basename "$f" .c)
    k=$(echo "$name" | sed 's/_.*//; s/^0*//')
    if [ "$k" -le "$mid" ]; then cp "$f" "$repo/exercises/$name.c"; fi
done
mk check EX=9
why=""
if [ "$rc" -ne 0 ]; then
    why="exit status $rc"
elif [ "$(status_of 9 "$scratch/out")" != passed ]; then
    why="exercise 9 is \"$(status_of 9 "$scratch/out")\": $(grep -m 1 '(exercise' "$scratch/out")"
elif ! grep -q "^  Exercise 9 passes" "$scratch/out"; then
    why="no \"Exercise 9 passes\": $(tail -n 2 "$scratch/out" | tr '\n' '|')"
fi
result "make check EX=9 passes with 1..$mid answered and the later ones untouched" "$why"

# Slips a student makes, each planted in the answer (a sed script on the
# solution): the exercise's test must fail it, with a message that names the
# slip (WANT), shown under the check's line.
slip()   # slip NUMBER SED WANT WHAT
{
    f=$(ls "$repo"/solutions/"$(printf %02d "$1")"_*.c)
    dst=$repo/exercises/$(basename "$f")
    cp "$dst" "$scratch/kept.c"
    sed "$2" "$f" >"$dst"
    why=""
    if cmp -s "$f" "$dst"; then
        why="(test) the slip did not apply to $(basename "$f"): $2"
    else
        mk check EX="$1"
        msg=$(grep -m 1 "(exercise $1): " "$scratch/out" | sed 's/^.*(exercise [0-9]*): //')
        if [ "$(status_of "$1" "$scratch/out")" != FAILED ]; then
            why="with the slip, row $1 reads: $(grep -m 1 "^  $1 " "$scratch/out")"
        elif ! printf '%s' "$msg" | grep -qF -e "$3"; then
            why="the message does not say \"$3\": ${msg:-none}"
        fi
    fi
    result "exercise $1 $4 fails its test" "$why"
    [ -z "$why" ] && echo "      $msg" | cut -c 1-160
    cp "$scratch/kept.c" "$dst"
}
slip 14 's/float acc = b ? b\[o\] : 0\.0f;/float acc = 0.0f; (void)b;/' "bias" "without the bias"
slip 20 '/c = c > 1\.0 ? 1\.0 : c < -1\.0 ? -1\.0 : c;/d' "clamp the cosine" \
    "without the cosine's clamp"
slip 18 's|(norm - 1\.0) / norm|(norm - 1.0)|' "unit vector is missing" \
    "without the unit vector g / ||g||"
slip 26 's/ + bias\[ij\];/ + 0.0f * bias[ij];/' "without the bias" "without the bias"
slip 22 's|dy\[i\] = 2\.0f \* e / (float)n;|dy[i] = 2.0f * e;|' "2 times too large" \
    "without the mean's 1/n"
slip 16 's|-1\.0f / (float)n_real;|-1.0f;|' "times too large; the loss is a mean" \
    "without the reals' 1/n"

# Lesson 10 on the student's code probes its exercises before it trains: a
# convolution without its bias stops it, naming exercise 14 and the bias.
f=$(ls "$repo"/solutions/14_*.c)
cp "$repo/exercises/$(basename "$f")" "$scratch/kept.c"
sed 's/float acc = b ? b\[o\] : 0\.0f;/float acc = 0.0f; (void)b;/' "$f" >"$repo/exercises/$(basename "$f")"
l10=$(cd "$repo" && ls lessons/10_*.c 2>/dev/null | sed 's|lessons/||; s|\.c$||')
why=""
if [ -z "$l10" ]; then
    why="(test) no lesson 10"
else
    mk "$cbuild/lessons/exercises/$l10"
    if [ "$rc" -ne 0 ]; then
        why="lesson 10 on the exercises does not build: $(tail -n 2 "$scratch/err" | tr '\n' '|')"
    else
        (cd "$repo" && "$cbuild/lessons/exercises/$l10" --fast --no-pause --out "$scratch/l10") \
            </dev/null >"$scratch/out" 2>"$scratch/err"
        lrc=$?
        if [ "$lrc" -ne 2 ]; then
            why="exit status $lrc (want 2)"
        elif ! grep -q "exercise 14 .*the bias is missing" "$scratch/err"; then
            why="stderr: $(head -c 300 "$scratch/err")"
        fi
    fi
fi
result "lesson 10 on a convolution without its bias stops at exercise 14's probe" "$why"
[ -z "$why" ] && sed 's/^.*is not written yet or answers wrong: /      /' "$scratch/err" | cut -c 1-160
cp "$scratch/kept.c" "$repo/exercises/$(basename "$f")"

# rows_are FILE FIRST LAST STATUS: every row FIRST..LAST of FILE has STATUS
# (3 and 5 skipped: they are planted below); prints the first that does not.
rows_are()
{
    k=$2
    while [ "$k" -le "$3" ]; do
        case $k in 3|5) ;; *)
            s=$(status_of "$k" "$1")
            [ "$s" = "$4" ] || { echo "row $k is \"$s\", want $4"; return; } ;;
        esac
        k=$((k + 1))
    done
}

# Then a crash planted in exercise 3 (a NULL pointer written through) and an
# endless loop in exercise 5, each at the start of its file's first function:
# their rows say so, every other row is its own code's, and the grade of all
# of them ends well within a minute.
plant()   # plant NUMBER LINE: LINE after the first "{" line of that answer
{
    f=$(ls "$repo"/solutions/"$(printf %02d "$1")"_*.c)
    awk -v line="$2" '{ print } /^{/ && !done { print line; done = 1 }' "$f" \
        >"$repo/exercises/$(basename "$f")"
}
plant 3 '    { volatile int *volatile nowhere = 0; *nowhere = 1; }'
# Where UBSan watches (SANITIZE=1), it stops the store before the signal.
crash="crashed (SIGSEGV)"
case " $vars " in *" SANITIZE=1 "*) crash="crashed (NULL pointer)" ;; esac
plant 5 '    for (;;) { }'
t0=$(date +%s)
mk grade
secs_=$(( $(date +%s) - t0 ))
cp "$scratch/out" "$scratch/grade.out"
why=""
r3=$(grep "^  3 " "$scratch/grade.out") r5=$(grep "^  5 " "$scratch/grade.out")
if [ "$rc" -eq 0 ]; then
    why="exit status 0 with failing exercises"
elif [ "$(grep -c '^make.*\*\*\*' "$scratch/err")" -ne 1 ] || [ "$(grep -vc '^make' "$scratch/err")" -ne 0 ]; then
    why="stderr: $(head -n 3 "$scratch/err" | tr '\n' '|')"
elif ! printf '%s' "$r3" | grep -qF "$crash"; then
    why="row 3: ${r3:-none}"
elif ! printf '%s' "$r5" | grep -q "timed out"; then
    why="row 5: ${r5:-none}"
elif [ -n "$(rows_are "$scratch/grade.out" 1 "$mid" passed)" ]; then
    why=$(rows_are "$scratch/grade.out" 1 "$mid" passed)
elif [ -n "$(rows_are "$scratch/grade.out" $((mid + 1)) "$last" FAILED)" ]; then
    why=$(rows_are "$scratch/grade.out" $((mid + 1)) "$last" FAILED)
elif ! grep -q "^  $((mid - 2)) of $count exercises pass\.\$" "$scratch/grade.out"; then
    why="no score line \"$((mid - 2)) of $count exercises pass.\": $(grep 'exercises pass' "$scratch/grade.out")"
elif [ "$secs_" -gt 60 ]; then
    why="the grade took $secs_ s (want at most 60)"
fi
result "make grade: 3 $crash, 5 timed out, the others their own ($secs_ s)" "$why"
[ -z "$why" ] && grep -A 1 "^  3 " "$scratch/grade.out" | tail -n 1

# The report: JUnit, one test case per exercise, each failure with the
# test's message (the crash's signal, the first line a failing test printed).
cat >"$scratch/junit.py" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
count, passing, crash = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
cases = [c for s in suites for c in s.findall("testcase")]
fails = [c for c in cases if c.find("failure") is not None]
def die(why):
    print(why)
    sys.exit(1)
if root.tag != "testsuites" or len(suites) != 1:
    die("the root is <%s> with %d suites, want <testsuites> with 1" % (root.tag, len(suites)))
if len(cases) != count or len(set(c.get("name") for c in cases)) != count:
    die("%d test cases (%d names), want %d" % (len(cases), len(set(c.get("name") for c in cases)), count))
if len(fails) != count - passing or int(suites[0].get("failures")) != count - passing:
    die("%d failures (the suite says %s), want %d" % (len(fails), suites[0].get("failures"), count - passing))
for c in fails:
    f = c.find("failure")
    if not f.get("message") or not (f.text or "").strip():
        die("test case %s: a failure without its message or the test's output" % c.get("name"))
msg = {c.get("name")[:2]: c.find("failure").get("message") for c in fails}
if crash not in msg.get("03", "") or "timed out" not in msg.get("05", ""):
    die("exercise 3's failure says %r, 5's %r" % (msg.get("03"), msg.get("05")))
if "(exercise" in "".join(msg.values()) or not all(m.partition(": ")[2].strip() for m in msg.values()):
    die("a failure's message is not the test's: %r" % list(msg.values())[:2])
PY
why=""
if ! command -v python3 >/dev/null 2>&1; then
    why="python3 is not installed (tools/deps.sh python3)"
elif [ ! -f "$repo/plots/grade.xml" ]; then
    why="no plots/grade.xml"
else
    why=$(python3 "$scratch/junit.py" "$repo/plots/grade.xml" "$count" $((mid - 2)) \
        "${crash#crashed }" 2>&1)
fi
result "plots/grade.xml is JUnit: $count test cases, each failure with its message" "$why"

mk check
why=""
[ "$rc" -eq 0 ] || why="make check exit status $rc (want 0: the student's progress view)"
[ -z "$why" ] && [ "$(status_of 3 "$scratch/out")" != "crashed" ] &&
    why="make check row 3: \"$(grep "^  3 " "$scratch/out")\""
result "make check: the same rows, exit 0" "$why"

mk grade EX=6-$mid
why=""
if [ "$rc" -ne 0 ]; then
    why="exit status $rc with every exercise of 6-$mid passing: $(grep 'exercises pass' "$scratch/out")"
elif ! grep -q "^  $((mid - 5)) of $((mid - 5)) exercises pass (exercises 6-$mid)\.\$" "$scratch/out"; then
    why="score: $(grep 'exercises pass' "$scratch/out")"
elif [ "$(grep -c '<testcase ' "$repo/plots/grade.xml")" -ne $((mid - 5)) ]; then
    why="plots/grade.xml has $(grep -c '<testcase ' "$repo/plots/grade.xml") test cases, want $((mid - 5))"
fi
result "make grade EX=6-$mid: exit 0 when all in the range pass" "$why"
mk grade EX=1-5
why=""
[ "$rc" -ne 0 ] || why="exit status 0 with exercises 3 and 5 failing"
result "make grade EX=1-5: non-zero when one in the range fails" "$why"
bad_input "make grade EX=5-3" "the exercises are $range" grade EX=5-3

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
