#!/bin/sh
# The exercises' side of the Makefile:
#   exercises.sh check BUILD NAME...   progress table of the student's exercises
#                                      (one name: that row, the test's full
#                                      output and what remains)
#   exercises.sh watch BUILD           the table again on every save
#   exercises.sh hint BUILD N          the hint for exercise N
#   exercises.sh prove BUILD NAME...   every answer passes its test and every
#                                      stub still marked TODO fails it
# NAME is NN_name (01_sample_latent). The Makefile passes in the environment:
#   EX_NAMES       every exercise's NAME, in order
#   EX_SOURCES     the student's files (what watch watches)
#   LESSON_NAMES   every lesson's NN_topic (prove checks exercises/lessons.txt)
#   MAKE           the make that builds the objects and test binaries below
# and for check, STRICT=1: exit 1 when an exercise does not pass.
#
# How check builds (so that one exercise that does not compile is that
# exercise's failure only): every exercise's object $BUILD/exercises/NAME.o
# is built on its own (make -k); the names of those that did not compile go
# to $BUILD/check/broken.txt, and the Makefile links each test
# $BUILD/check/exercise_NAME against the student's objects of every exercise
# that compiles plus the course's answers for the broken ones.
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

# ---------------------------------------------------------------- check

# build_all PICK...: builds every exercise's object, then the test binaries
# of PICK, and sets broken (names that do not compile), unlinked (names
# whose test does not link). Messages: $check_dir/NAME.msg.
build_all()
{
    mkdir -p "$check_dir"
    objs=""
    for name in $EX_NAMES; do objs="$objs $(student_obj "$name")"; done
    # shellcheck disable=SC2086
    $MAKE -s -k --no-print-directory $objs >"$check_dir/build.log" 2>&1
    broken=""
    for name in $EX_NAMES; do
        rm -f "$check_dir/$name.msg"
        [ -f "$(student_obj "$name")" ] && continue
        broken="$broken $name"
        $MAKE -s --no-print-directory V=1 "$(student_obj "$name")" 2>&1 | no_make_lines \
            >"$check_dir/$name.msg"
    done
    # Rewritten only when it changes: the check's library depends on it.
    printf '%s\n' "$broken" >"$check_dir/broken.tmp"
    if cmp -s "$check_dir/broken.tmp" "$check_dir/broken.txt"; then
        rm -f "$check_dir/broken.tmp"
    else
        mv "$check_dir/broken.tmp" "$check_dir/broken.txt"
    fi
    bins=""
    for name in "$@"; do
        case " $broken " in *" $name "*) continue ;; esac
        bins="$bins $(check_bin "$name")"
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

# run_test NAME: runs its test (at most 60 s where timeout exists), output in
# $check_dir/NAME.out; sets st to passed, FAILED or "timed out".
run_test()
{
    bin=$(check_bin "$1")
    if command -v timeout >/dev/null 2>&1; then
        timeout 60 "$bin" >"$check_dir/$1.out" 2>&1
    else
        "$bin" >"$check_dir/$1.out" 2>&1
    fi
    rc=$?
    if [ "$rc" -eq 0 ]; then st=passed
    elif [ "$rc" -eq 124 ]; then st="timed out"
    else st=FAILED
    fi
}

row() { printf '  %-3s %-22s %-17s %s\n' "$1" "$2" "$3" "$4"; }

# lessons_note N: which lessons run on the student's code now that exercise N
# passes; else the lesson using it that is nearest to it (fewest exercises
# still to pass).
lessons_note()
{
    [ -f "$lessons_txt" ] || return 0
    now="" users="" near="" near_missing="" near_k=999
    while read -r l exs; do
        case $l in ''|*[!0-9]*) continue ;; esac
        case " $exs " in *" $1 "*) ;; *) continue ;; esac
        users="$users${users:+, }$l"
        missing="" k=0
        for e in $exs; do
            case " $passing " in *" $e "*) ;; *) missing="$missing${missing:+, }$e"; k=$((k + 1)) ;; esac
        done
        if [ "$k" -eq 0 ]; then
            now="$now $l"
        elif [ "$k" -lt "$near_k" ]; then
            near=$l near_missing=$missing near_k=$k
        fi
    done <"$lessons_txt"
    if [ -z "$users" ]; then
        echo "  No lesson calls exercise $1 yet (exercises/lessons.txt)."
    elif [ -n "$now" ] && [ -n "$broken" ]; then
        echo "  Lessons$now run on it once every exercise compiles (a lesson links them all)."
    elif [ -n "$now" ]; then
        for l in $now; do
            echo "  Lesson $l runs on your code now: make lesson N=$l USE=exercises"
        done
    else
        case $users in *,*) who="Lessons $users call it" ;; *) who="Lesson $users calls it" ;; esac
        echo "  $who; lesson $near runs on your code once $near_missing pass$( [ "$near_k" -eq 1 ] && echo es) too."
    fi
    return 0
}

# check PICK...: the table of PICK (every exercise is built and run: what
# remains is part of the answer); sets passing to the passing numbers.
check()
{
    # shellcheck disable=SC2086
    build_all $EX_NAMES
    total=0 done_=0 passing="" next="" next_after="" picked_pass=0 pick_st=""
    one=""
    [ $# -eq 1 ] && one=$1
    pick_n=""
    [ -n "$one" ] && pick_n=$(number "$one")
    printf '\n'
    row "#" "exercise" "status" "next"
    row "--" "--------" "------" "----"
    for name in $EX_NAMES; do
        total=$((total + 1))
        n=$(number "$name")
        case " $broken " in
        *" $name "*) st="does not compile" ;;
        *) case " $unlinked " in
           *" $name "*) st="does not link" ;;
           *) run_test "$name" ;;
           esac ;;
        esac
        if [ "$st" = passed ]; then
            done_=$((done_ + 1))
            passing="$passing $n"
        else
            [ -z "$next" ] && next=$n
            [ -z "$next_after" ] && [ -n "$pick_n" ] && [ "$n" -gt "$pick_n" ] && next_after=$n
        fi
        case " $* " in *" $name "*) ;; *) continue ;; esac
        case $st in
        passed) row "$n" "$(title "$name")" "$st" "-"; picked_pass=1 ;;
        esac
        pick_st=$st
        case $st in
        passed) ;;
        FAILED|"timed out") row "$n" "$(title "$name")" "$st" "make check EX=$n, make hint EX=$n" ;;
        *) row "$n" "$(title "$name")" "$st" "make check EX=$n" ;;
        esac
        if [ -n "$one" ]; then
            # One exercise asked for: all of what its test or compiler said.
            if [ -f "$check_dir/$name.msg" ] && [ "$st" != passed ] && [ "$st" != FAILED ]; then
                printf '\n'; cat "$check_dir/$name.msg"
            else
                printf '\n'; cat "$check_dir/$name.out"
            fi
        elif [ -f "$check_dir/$name.msg" ]; then
            # In the table: the compiler's (or linker's) first lines.
            head -n 4 "$check_dir/$name.msg" | cut -c 1-110 | sed 's/^/        /'
        fi
    done
    [ -n "$next_after" ] && next=$next_after

    printf '\n'
    # The rule, when it was used: each exercise is checked with your code for
    # every exercise that compiles, and the course's answer for those that
    # do not (so one broken file does not fail the others).
    others=""
    for name in $broken; do
        [ "$name" = "$one" ] || others="$others${others:+, }$(number "$name")"
    done
    if [ -n "$others" ]; then
        case $others in *,*) what="Exercises $others do not compile" ;;
                        *) what="Exercise $others does not compile" ;; esac
        echo "  $what (make check EX=${others%%,*} shows why). The others"
        echo "  were checked with your code wherever it compiles and the course's answer in"
        echo "  place of what does not."
        echo
    fi
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
    if [ -n "$one" ]; then
        [ "$picked_pass" -eq 1 ]
    else
        [ "$done_" -eq "$total" ]
    fi
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
            # shellcheck disable=SC2086
            check $EX_NAMES
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
check)
    check "$@"
    rc=$?
    [ "${STRICT:-0}" = 1 ] && exit "$rc"
    exit 0
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
    echo "usage: tools/exercises.sh check|watch|hint|prove BUILD [names or number]" >&2
    exit 2
    ;;
esac
