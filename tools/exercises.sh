#!/bin/sh
# The exercises' side of the Makefile:
#   exercises.sh pick BUILD EX VERB    exits 2 with one line when EX names no
#                                      exercise (VERB: check or grade)
#   exercises.sh check BUILD EX        progress table of the student's exercises
#                                      (one number: that row, the test's full
#                                      output and what remains; a range a-b:
#                                      those rows)
#   exercises.sh grade BUILD EX        the grader's table of EX (all when
#                                      empty), a score line, a JUnit report in
#                                      $GRADE_XML; exit 1 unless all pass
#   exercises.sh watch BUILD           the table again on every save
#   exercises.sh hint BUILD N          the hint for exercise N
#   exercises.sh prove BUILD NAME...   every answer passes its test and every
#                                      stub still marked TODO fails it
# NAME is NN_name (01_sample_latent). The Makefile passes in the environment:
#   EX_NAMES       every exercise's NAME, in order
#   EX_SOURCES     the student's files (what watch watches)
#   LESSON_NAMES   every lesson's NN_topic (prove checks exercises/lessons.txt)
#   MAKE           the make that builds the objects and test binaries below
# for check, STRICT=1: exit 1 when an exercise does not pass; for grade,
# GRADE_XML: where the JUnit report goes (default plots/grade.xml).
#
# How check and grade build (so that each row is about its own exercise):
# every exercise's object $BUILD/exercises/NAME.o is built on its own
# (make -k); one that does not compile is its row's failure. The test
# $BUILD/check/exercise_NAME links that one object with the course's answers
# for every other hole (the Makefile's rule), so exercise 9's test runs your
# training step on the course's losses, and a crash in exercise 3 is row 3's.
#
# How a test runs: under timeout(1), with a budget of a few times the run of
# the same test on the course's answer ($BUILD/extest/solutions/, measured
# once per build of it and kept in $BUILD/check/NAME.base): BUDGET_FACTOR
# times that, plus BUDGET_FLOOR_MS for start-up and a busy machine (a course
# machine shared by a class; the tests run in 10 to 100 ms, 3 to 4 times
# that for a failing one under ASan). Leaks are not looked for here: a
# failing test leaks by design, and make test checks the answers'. A test
# that crashes (a signal, which cmocka reports too, or a sanitizer's error)
# is "crashed (SIGSEGV)"; the function in exercises/ where it happened comes
# from the sanitizer's backtrace, or from gdb where it is installed.
#
# watch: WATCH_MAX=n stops after n checks that followed a change and
# WATCH_SECONDS=s after about s seconds (tests); WATCH_POLL=1 polls even when
# inotifywait is there.
#
# exercises/lessons.txt says which exercises each lesson runs: one line per
# lesson, its number then the exercise numbers ("3 1 2 3 6"); a first word
# that is not a number (the header) is skipped.
set -u
mode=${1:-}; build=${2:-build/default}
[ $# -ge 2 ] && shift 2
EX_NAMES=${EX_NAMES:-$*}
MAKE=${MAKE:-make}
check_dir=$build/check
lessons_txt=exercises/lessons.txt
BUDGET_FACTOR=10
BUDGET_FLOOR_MS=3000

# "01_sample_latent" -> "1"
number() { echo "$1" | sed 's/_.*//; s/^0*//'; }
# "01_sample_latent" -> "sample_latent"
title() { echo "$1" | sed 's/^[0-9]*_//'; }
# The student's object and the check's test binary of NAME.
student_obj() { echo "$build/exercises/$1.o"; }
check_bin() { echo "$check_dir/exercise_$1"; }
# make's own "*** ... Error" lines say nothing a student needs.
no_make_lines() { grep -v '^make\(\[[0-9]*\]\)\{0,1\}: '; }

# The numbers of the exercises, "1..13", or "1, 2, 5" when there are gaps.
ex_range()
{
    nums=""
    for name in $EX_NAMES; do nums="$nums $(number "$name")"; done
    echo "$nums" | awk '{ ok = 1; for (i = 2; i <= NF; i++) if ($i != $(i - 1) + 1) ok = 0
                          if (NF == 0) print "none"
                          else if (ok && NF > 2) print $1 ".." $NF
                          else { s = $1; for (i = 2; i <= NF; i++) s = s ", " $i; print s } }'
}

# The NAME of exercise number n, or "".
ex_name()
{
    for name in $EX_NAMES; do
        [ "$(number "$name")" = "$1" ] && { echo "$name"; return; }
    done
}

# pick EX VERB: sets picked to the NAMEs EX asks for (a number, a range a-b,
# or empty for all) and one to the NAME when EX is one number; on an EX
# that names none, one line on stderr and exit 2.
pick()
{
    spec=$1 verb=$2 picked="" one=""
    if [ -z "$spec" ]; then picked=$EX_NAMES; return 0; fi
    case $spec in
    *-*) lo=${spec%%-*} hi=${spec#*-} ;;
    *) lo=$spec hi=$spec ;;
    esac
    case "$lo$hi" in
    *[!0-9]*|'') lo="" ;;
    *) [ -n "$lo" ] && [ -n "$hi" ] || lo="" ;;
    esac
    if [ -n "$lo" ]; then
        lo=$(echo "$lo" | sed 's/^0*//'); hi=$(echo "$hi" | sed 's/^0*//')
        for name in $EX_NAMES; do
            k=$(number "$name")
            [ "$k" -ge "${lo:-0}" ] && [ "$k" -le "${hi:-0}" ] && picked="$picked $name"
        done
    fi
    if [ -z "$picked" ]; then
        echo "make $verb: no exercise EX=$spec; the exercises are $(ex_range): EX=3 for one," \
            "EX=1-13 for a range, no EX for all" >&2
        exit 2
    fi
    case $spec in *-*) ;; *) one=$(echo $picked) ;; esac
    return 0
}

# ---------------------------------------------------------------- check

# build_some NAME...: builds those exercises' objects, then their test
# binaries, and sets broken (names that do not compile), unlinked (names
# whose test does not link). Messages: $check_dir/NAME.msg.
build_some()
{
    mkdir -p "$check_dir"
    objs=""
    for name in "$@"; do objs="$objs $(student_obj "$name")"; done
    # shellcheck disable=SC2086
    $MAKE -s -k --no-print-directory $objs >"$check_dir/build.log" 2>&1
    broken="" bins=""
    for name in "$@"; do
        rm -f "$check_dir/$name.msg"
        if [ -f "$(student_obj "$name")" ]; then
            bins="$bins $(check_bin "$name")"
            continue
        fi
        broken="$broken $name"
        $MAKE -s --no-print-directory V=1 "$(student_obj "$name")" 2>&1 | no_make_lines \
            >"$check_dir/$name.msg"
    done
    unlinked=""
    [ -n "$bins" ] || return 0
    # shellcheck disable=SC2086
    $MAKE -s -k --no-print-directory $bins >>"$check_dir/build.log" 2>&1
    for name in "$@"; do
        case " $broken " in *" $name "*) continue ;; esac
        [ -x "$(check_bin "$name")" ] && continue
        unlinked="$unlinked $name"
        $MAKE -s --no-print-directory V=1 "$(check_bin "$name")" 2>&1 | no_make_lines \
            >"$check_dir/$name.msg"
    done
}

# Milliseconds since the epoch (whole seconds where date has no %N).
now_ms()
{
    t=$(date +%s%3N)
    case $t in *[!0-9]*) t=$(( $(date +%s) * 1000 )) ;; esac
    echo "$t"
}

# "2150" -> "2.15" (milliseconds as seconds, for timeout(1) and the report)
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)) | sed 's/0*$//; s/\.$//'; }

# base_ms NAME: how long the test runs on the course's answer, in ms:
# measured on the answers' binary, kept until that binary is rebuilt.
base_ms()
{
    f=$check_dir/$1.base
    sol=$build/extest/solutions/exercise_$1
    if [ -s "$f" ] && [ "$f" -nt "$sol" ]; then cat "$f"; return; fi
    t0=$(now_ms)
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$sol" >/dev/null 2>&1
    t1=$(now_ms)
    echo $((t1 - t0)) | tee "$f"
}

# crash_site NAME BIN: "in nn_linear_forward, exercises/03_linear_forward.c:13",
# the first frame in exercises/ of the sanitizer's backtrace in the test's
# output, else of gdb's (a second run, where gdb is installed), else "".
crash_site()
{
    frame='\([A-Za-z_][A-Za-z_0-9]*\)'
    site=$(sed -n "s|^ *#[0-9]* 0x[0-9a-f]* in $frame .*\(exercises/[0-9][0-9]_[^: ]*:[0-9]*\).*|in \1, \2|p" \
        "$check_dir/$1.out" | head -n 1)
    if [ -z "$site" ] && ! grep -q 'Sanitizer\|runtime error:' "$check_dir/$1.out" &&
        command -v gdb >/dev/null 2>&1; then
        site=$(timeout 30 gdb -q -nx -batch -ex run -ex bt "$2" </dev/null 2>/dev/null |
            sed -n "s|^#[0-9]*  *\(0x[0-9a-f]* in \)\{0,1\}$frame (.* at .*\(exercises/[0-9][0-9]_[^: ]*:[0-9]*\)\$|in \2, \3|p" |
            head -n 1)
    fi
    echo "$site"
}

# run_test NAME: runs its test within its budget, output in
# $check_dir/NAME.out; sets st (passed, FAILED, "crashed (SIGSEGV)", "timed
# out"), why (one line: the test's first message, where it crashed, or how
# long it ran) and ms (how long it took). In a sanitized build a NULL
# pointer is UBSan's catch before any signal: "crashed (NULL pointer)".
run_test()
{
    bin=$(check_bin "$1") out=$check_dir/$1.out
    base=$(base_ms "$1")
    budget=$((BUDGET_FACTOR * base + BUDGET_FLOOR_MS))
    t0=$(now_ms)
    # (UBSan's stack trace names the function, as ASan's does.)
    asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    ubsan="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1"
    if command -v timeout >/dev/null 2>&1; then
        ASAN_OPTIONS=$asan UBSAN_OPTIONS=$ubsan timeout -k 2 "$(secs "$budget")" "$bin" \
            >"$out" 2>&1
    else
        ASAN_OPTIONS=$asan UBSAN_OPTIONS=$ubsan "$bin" >"$out" 2>&1
    fi
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    why=$(grep -m 1 '(exercise [0-9]*): ' "$out" | sed 's/^.*(exercise [0-9]*): //')
    if [ "$rc" -eq 0 ]; then st=passed why=""; return; fi
    if [ "$rc" -eq 124 ] && command -v timeout >/dev/null 2>&1; then
        st="timed out"
        why="stopped after $(secs "$budget") s; the course's answer runs this test in $(secs "$base") s"
        return
    fi
    # The signal: the exit status, cmocka's report of one it caught, or the
    # sanitizer's; else a sanitizer's other error.
    sig="" kind=""
    [ "$rc" -gt 128 ] && sig=$(kill -l $((rc - 128)) 2>/dev/null)
    signo=$(sed -n 's/.*Test failed with exception: .*(\([0-9]*\)).*/\1/p' "$out" | head -n 1)
    [ -n "$signo" ] && sig=$(kill -l "$signo" 2>/dev/null)
    san=$(sed -n 's/.*ERROR: AddressSanitizer: \([A-Za-z-]*\).*/\1/p' "$out" | head -n 1)
    case $san in
    '') ;;
    SEGV|BUS|FPE|ILL|ABRT|TRAP) sig=$san ;;
    *) kind=$san ;;
    esac
    # UBSan stops a NULL pointer's load or store before the signal comes.
    ub=$(grep -m 1 'runtime error:' "$out" | sed 's/^.*runtime error: //')
    if [ -z "$sig$kind" ] && [ -n "$ub" ]; then
        case $ub in *"null pointer"*) kind="NULL pointer" ;; *) kind="UBSan" ;; esac
        why=$ub
    fi
    if [ -n "$sig" ]; then
        st="crashed (SIG${sig#SIG})"
    elif [ -n "$kind" ]; then
        st="crashed ($kind)"
    else
        st=FAILED
        [ -z "$why" ] && why=$(grep -m 1 'LeakSanitizer' "$out")
        return
    fi
    site=$(crash_site "$1" "$bin")
    if [ -n "$site" ] && [ -n "$ub" ]; then why="$ub, $site"
    elif [ -n "$site" ]; then why=$site
    fi
    return 0
}

row() { printf '  %-3s %-22s %-22s %s\n' "$1" "$2" "$3" "$4" | sed 's/ *$//'; }

# status NAME: runs it (as built by build_some); sets st, why and ms.
status()
{
    why="" ms=0
    case " $broken " in
    *" $1 "*) st="does not compile" ;;
    *) case " $unlinked " in
       *" $1 "*) st="does not link" ;;
       *) run_test "$1" ;;
       esac ;;
    esac
    if [ -f "$check_dir/$1.msg" ] && [ -z "$why" ]; then
        why=$(grep -m 1 'error' "$check_dir/$1.msg" | cut -c 1-200)
    fi
    return 0
}

# lessons_note N: which lessons that call exercise N run on the student's
# code now; else the one nearest to it (fewest exercises still to write).
# What a lesson will do comes from the lessons' own probes (each exercise a
# lesson calls tried on a small case before it starts), run by
# $check_dir/exercise_probe on the student's code as a lesson is linked; the
# tests' results stand in when it cannot run. Both read exercises/lessons.txt.
lessons_note()
{
    [ -f "$lessons_txt" ] || return 0
    users=$(awk -v e="$1" '$1 ~ /^[0-9]+$/ { for (i = 2; i <= NF; i++) if ($i == e) { print $1; break } }' \
        "$lessons_txt")
    if [ -z "$users" ]; then
        echo "  No lesson calls exercise $1 yet (exercises/lessons.txt)."
        return 0
    fi
    who=$(echo $users | sed 's/ /, /g')
    case $who in *,*) who="Lessons $who call it" ;; *) who="Lesson $who calls it" ;; esac
    if [ -n "$broken" ]; then
        echo "  $who; a lesson runs on your code once every exercise compiles (it links them all)."
        return 0
    fi
    probed=""
    # shellcheck disable=SC2086
    $MAKE -s --no-print-directory "$check_dir/exercise_probe" >>"$check_dir/build.log" 2>&1 &&
        probed=$(timeout 20 "$check_dir/exercise_probe" $users 2>/dev/null)
    now="" near="" near_missing="" near_k=999
    for l in $users; do
        exs=$(awk -v l="$l" '$1 == l { $1 = ""; print }' "$lessons_txt")
        # Those whose tests do not pass yet.
        failing=""
        for e in $exs; do
            case " $passing " in *" $e "*) ;; *) failing="$failing $e" ;; esac
        done
        line=$(printf '%s\n' "$probed" | grep "^$l:")
        if [ -n "$line" ]; then missing=${line#*:}; else missing=$failing; fi
        k=$(echo $missing | wc -w)
        if [ "$k" -eq 0 ]; then
            now="$now $l"
            [ -n "$failing" ] && eval "untested_$l=\"$(echo $failing | sed 's/ /, /g')\""
        elif [ "$k" -lt "$near_k" ]; then
            near=$l near_missing=$(echo $missing | sed 's/ /, /g') near_k=$k
        fi
    done
    if [ -n "$now" ]; then
        for l in $now; do
            echo "  Lesson $l runs on your code now: make lesson N=$l USE=exercises"
            u=$(eval "echo \${untested_$l:-}")
            [ -n "$u" ] && echo "    (with your $u as written: their small cases pass, their tests not yet)"
        done
    else
        echo "  $who; lesson $near runs on your code once $near_missing $( [ "$near_k" -eq 1 ] && echo is || echo are) written too."
        echo "  (A lesson tries each exercise it calls on a small case before it starts.)"
    fi
    return 0
}

# check: the table of the picked exercises (pick sets picked and one); every
# exercise is built and run, since what remains is part of the answer. Sets
# passing to the passing numbers; fails unless the picked ones pass.
check()
{
    # shellcheck disable=SC2086
    build_some $EX_NAMES
    total=0 done_=0 passing="" next="" next_after="" picked_pass=0 picked_fail=0 pick_st=""
    pick_n=""
    [ -n "$one" ] && pick_n=$(number "$one")
    printf '\n'
    row "#" "exercise" "status" "next"
    row "--" "--------" "------" "----"
    for name in $EX_NAMES; do
        total=$((total + 1))
        n=$(number "$name")
        status "$name"
        if [ "$st" = passed ]; then
            done_=$((done_ + 1))
            passing="$passing $n"
        else
            [ -z "$next" ] && next=$n
            [ -z "$next_after" ] && [ -n "$pick_n" ] && [ "$n" -gt "$pick_n" ] && next_after=$n
        fi
        case " $picked " in *" $name "*) ;; *) continue ;; esac
        pick_st=$st
        case $st in
        passed) row "$n" "$(title "$name")" "$st" "-"; picked_pass=$((picked_pass + 1)) ;;
        "does not compile"|"does not link")
            row "$n" "$(title "$name")" "$st" "make check EX=$n"; picked_fail=1 ;;
        *) row "$n" "$(title "$name")" "$st" "make check EX=$n, make hint EX=$n"; picked_fail=1 ;;
        esac
        if [ -n "$one" ]; then
            # One exercise asked for: all of what its test or compiler said.
            printf '\n'
            if [ -f "$check_dir/$name.msg" ]; then
                cat "$check_dir/$name.msg"
            else
                cat "$check_dir/$name.out"
                case $st in crashed*|"timed out") printf '\n  Exercise %s %s: %s\n' "$n" "$st" "$why" ;; esac
            fi
        elif [ -f "$check_dir/$name.msg" ]; then
            # In the table: the compiler's (or linker's) first lines.
            head -n 4 "$check_dir/$name.msg" | cut -c 1-110 | sed 's/^/        /'
        else
            # A crash or a time-out: where, or how long, under its row.
            case $st in crashed*|"timed out") echo "        $why" | cut -c 1-118 ;; esac
        fi
    done
    [ -n "$next_after" ] && next=$next_after

    printf '\n'
    # Those that do not compile, also when their rows are not shown: a
    # lesson on your code needs every exercise to compile.
    others=""
    for name in $broken; do
        [ "$name" = "$one" ] || others="$others${others:+, }$(number "$name")"
    done
    if [ -n "$others" ]; then
        case $others in *,*) what="Exercises $others do not compile" ;;
                        *) what="Exercise $others does not compile" ;; esac
        echo "  $what (make check EX=${others%%,*} shows why)."
    fi
    # The rule, so that a row reads as its own exercise's.
    echo "  Each test runs your code for its own exercise, with the course's answers in"
    echo "  every other hole."
    echo
    if [ -n "$one" ]; then
        remain=$((total - done_))
        if [ "$picked_pass" -eq 1 ] && [ "$remain" -eq 0 ]; then
            echo "  Exercise $pick_n passes, and so do all $total: run make lesson N=6 USE=exercises"
            echo "  to train a GAN on your own code."
        elif [ "$picked_pass" -eq 1 ]; then
            echo "  Exercise $pick_n passes. $remain exercise$( [ "$remain" -eq 1 ] || echo s) remain: next make check EX=$next"
        elif [ "$pick_st" = "does not compile" ] || [ "$pick_st" = "does not link" ]; then
            echo "  Exercise $pick_n $pick_st: fix what the compiler says above, then make check EX=$pick_n."
        else
            echo "  Exercise $pick_n does not pass yet ($done_ of $total pass). Stuck? make hint EX=$pick_n"
        fi
        [ "$picked_pass" -eq 1 ] && lessons_note "$pick_n"
    elif [ "$done_" -eq "$total" ]; then
        echo "  $done_ of $total exercises pass. All done: run make lesson N=6 USE=exercises"
        echo "  to train a GAN on your own code."
    else
        echo "  $done_ of $total exercises pass. Next: make check EX=$next, make hint EX=$next"
    fi
    [ "$picked_fail" -eq 0 ]
}

# ---------------------------------------------------------------- grade

# XML text: the five characters escaped, control characters and invalid
# UTF-8 dropped (a test's output is whatever the student's code printed).
xml_text()
{
    if command -v iconv >/dev/null 2>&1; then iconv -f UTF-8 -t UTF-8 -c; else cat; fi |
        tr -d '\000-\010\013\014\016-\037' |
        sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}

# grade: the picked exercises' table, the score and the JUnit report; fails
# unless every picked exercise passes. Only the picked ones are built and run.
grade()
{
    # shellcheck disable=SC2086
    build_some $picked
    xml=${GRADE_XML:-plots/grade.xml}
    cases=$check_dir/grade.cases
    : >"$cases"
    total=0 pass=0 t_all=0
    printf '\n'
    row "#" "exercise" "status" ""
    row "--" "--------" "------" ""
    for name in $picked; do
        total=$((total + 1))
        n=$(number "$name")
        status "$name"
        t_all=$((t_all + ms))
        row "$n" "$(title "$name")" "$st" ""
        if [ "$st" = passed ]; then
            pass=$((pass + 1))
        elif [ -n "$why" ]; then
            # Why, under the row: the test's first message, where it
            # crashed, or how long it ran, folded at word breaks (three
            # lines at most: grade.xml keeps it whole).
            printf '%s\n' "$why" | fold -s -w 104 | head -n 3 | sed 's/^/        /'
        fi
        # The test case: its name, time and, for a failure, the message and
        # all the test (or the compiler) said.
        {
            printf '    <testcase classname="exercises" name="%s" file="exercises/%s.c" time="%s"' \
                "$name" "$name" "$(secs "$ms")"
            if [ "$st" = passed ]; then
                printf '/>\n'
            else
                printf '>\n      <failure type="%s" message="%s">' "$st" \
                    "$(printf 'exercise %s %s: %s' "$n" "$st" "$why" | xml_text)"
                if [ -f "$check_dir/$name.msg" ]; then xml_text <"$check_dir/$name.msg"
                else xml_text <"$check_dir/$name.out"; fi
                printf '</failure>\n    </testcase>\n'
            fi
        } >>"$cases"
    done
    range=""
    [ "$(echo $picked)" != "$(echo $EX_NAMES)" ] &&
        range=" (exercises $(number "$(echo $picked | sed 's/ .*//')")-$(number "$(echo $picked | sed 's/.* //')"))"
    printf '\n  %s of %s exercises pass%s.\n' "$pass" "$total" "$range"
    # Written to a temporary name and moved in place: never half a report.
    mkdir -p "$(dirname "$xml")"
    {
        printf '<?xml version="1.0" encoding="UTF-8"?>\n'
        printf '<testsuites name="gansteps exercises" tests="%s" failures="%s" errors="0" time="%s">\n' \
            "$total" $((total - pass)) "$(secs "$t_all")"
        printf '  <testsuite name="exercises%s" tests="%s" failures="%s" errors="0" skipped="0" time="%s" timestamp="%s">\n' \
            "$(printf '%s' "$range" | xml_text)" "$total" $((total - pass)) "$(secs "$t_all")" \
            "$(date -u +%Y-%m-%dT%H:%M:%S)"
        cat "$cases"
        printf '  </testsuite>\n</testsuites>\n'
    } >"$xml.tmp" && mv "$xml.tmp" "$xml"
    echo "  The report, one test case per exercise: $xml"
    [ "$pass" -eq "$total" ]
}

# ---------------------------------------------------------------- watch

# A fingerprint of the student's files: changes when any of them does.
fingerprint()
{
    # shellcheck disable=SC2086
    cat ${EX_SOURCES:-exercises/*.c} exercises/*.h 2>/dev/null | cksum
}

wait_change()
{
    if [ -z "${WATCH_POLL:-}" ] && command -v inotifywait >/dev/null 2>&1; then
        # shellcheck disable=SC2086
        dirs=$(for f in ${EX_SOURCES:-exercises/*.c}; do dirname "$f"; done | sort -u)
        # shellcheck disable=SC2086
        inotifywait -qq -t 5 -e close_write -e moved_to -e create -e delete $dirs \
            >/dev/null 2>&1 || sleep 1
    else
        sleep 1
    fi
}

watch()
{
    trap 'printf "\n  Stopped watching.\n"; exit 0' INT TERM
    passing=""
    how="every second"
    [ -z "${WATCH_POLL:-}" ] && command -v inotifywait >/dev/null 2>&1 && how="with inotifywait"
    seen="" rechecks=0 first=1 t0=$(date +%s)
    while :; do
        if [ -n "${WATCH_SECONDS:-}" ] && [ $(( $(date +%s) - t0 )) -ge "$WATCH_SECONDS" ]; then
            printf '\n  Stopped after %s s (WATCH_SECONDS).\n' "$WATCH_SECONDS"
            exit 0
        fi
        now=$(fingerprint)
        if [ "$now" != "$seen" ]; then
            seen=$now
            [ -t 1 ] && printf '\033[H\033[2J'
            [ "$first" -eq 0 ] && printf '  %s: saved, checking again.\n' "$(date +%H:%M:%S)"
            before=$passing
            picked=$EX_NAMES one=""
            check
            # Each exercise that passes now and did not before.
            if [ "$first" -eq 0 ]; then
                for n in $passing; do
                    case " $before " in *" $n "*) continue ;; esac
                    printf '\n  Exercise %s passes now.\n' "$n"
                    lessons_note "$n"
                done
                rechecks=$((rechecks + 1))
            fi
            first=0
            if [ -n "${WATCH_MAX:-}" ] && [ "$rechecks" -ge "$WATCH_MAX" ]; then
                printf '\n  Stopped after %s check(s) since the first (WATCH_MAX).\n' "$rechecks"
                exit 0
            fi
            printf '\n  Watching the exercises (%s): save one to check again; Ctrl-C stops.\n' "$how"
        fi
        wait_change
    done
}

# ---------------------------------------------------------------- main

case "$mode" in
pick)
    pick "${1:-}" "${2:-check}"
    echo $picked
    ;;
check)
    pick "${1:-}" check
    check
    rc=$?
    [ "${STRICT:-0}" = 1 ] && exit "$rc"
    exit 0
    ;;
grade)
    pick "${1:-}" grade
    grade
    ;;
watch)
    watch
    ;;
hint)
    n=${1:-}
    if [ -z "$n" ]; then
        echo "make hint: say which exercise, e.g. make hint EX=1 (the exercises are $(ex_range))" >&2
        exit 2
    fi
    # "08" would read as octal in printf: strip the zeros first.
    k=$(echo "$n" | sed 's/^0*//')
    name=""
    case "$k" in *[!0-9]*|'') ;; *) name=$(ex_name "$k") ;; esac
    if [ -z "$name" ]; then
        echo "make hint: no exercise $n; the exercises are $(ex_range), e.g. make hint EX=1" >&2
        exit 2
    fi
    f=$(printf 'exercises/hints/%02d.txt' "$k")
    if [ ! -f "$f" ]; then
        echo "make hint: exercise $k has no hint file ($f)" >&2
        exit 2
    fi
    cat "$f"
    ;;
prove)
    sol_ok=0 stub_ok=0 stubs=0 bad=""
    for name in "$@"; do
        out=$("$build/extest/solutions/exercise_$name" 2>&1); rc=$?
        if [ "$rc" -eq 0 ]; then
            sol_ok=$((sol_ok + 1))
        else
            printf '%s\n' "$out"
            bad="$bad solutions/$name.c(fails its test)"
        fi
        # Only an untouched stub must fail: one whose TODO is still there.
        if grep -q TODO "exercises/$name.c"; then
            stubs=$((stubs + 1))
            # A stub's test fails by design; its leaks are not the point.
            out=$(ASAN_OPTIONS=detect_leaks=0 "$build/extest/stub/exercise_$name" 2>&1); rc=$?
            if [ "$rc" -ne 0 ]; then
                stub_ok=$((stub_ok + 1))
            else
                printf '%s\n' "$out"
                bad="$bad exercises/$name.c(stub passes its test)"
            fi
        fi
    done
    n=$#
    # exercises/lessons.txt names real lessons and exercises, every lesson once.
    map_bad=""
    if [ -n "${LESSON_NAMES:-}" ]; then
        nums=""
        for name in "$@"; do nums="$nums $(number "$name")"; done
        for l in $LESSON_NAMES; do
            k=$(number "$l")
            c=$(awk -v k="$k" '$1 == k' "$lessons_txt" 2>/dev/null | wc -l)
            [ "$c" -eq 1 ] || map_bad="$map_bad lesson-$k($c lines)"
        done
        while read -r l exs; do
            case $l in ''|*[!0-9]*) continue ;; esac
            case " $LESSON_NAMES " in *" 0$l"_*|*" $l"_*) ;; *) map_bad="$map_bad no-lesson-$l" ;; esac
            for e in $exs; do
                case " $nums " in *" $e "*) ;; *) map_bad="$map_bad lesson-$l:no-exercise-$e" ;; esac
            done
        done <"$lessons_txt"
        [ -n "$map_bad" ] && bad="$bad $lessons_txt:$map_bad"
    fi
    [ -n "$bad" ] && echo "exercise checks that went wrong:$bad"
    echo "exercises: $sol_ok of $n solutions pass, $stub_ok of $stubs stubs fail as they should"
    failed=$((n - sol_ok + stubs - stub_ok))
    [ -n "$map_bad" ] && failed=$((failed + 1))
    # The last line, in run_tests.sh's form, so `make test` ends with one.
    echo "$((sol_ok + stub_ok)) passed, $failed failed"
    [ "$failed" -eq 0 ]
    ;;
*)
    echo "usage: tools/exercises.sh pick|check|grade|watch|hint|prove BUILD [EX, number or names]" >&2
    exit 2
    ;;
esac
