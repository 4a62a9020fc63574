#!/bin/sh
# The exercises' side of the Makefile:
#   exercises.sh check BUILD NAME...   progress table of the student's exercises
#                                      (one name: the test's full output too)
#   exercises.sh hint BUILD N          the hint for exercise N
#   exercises.sh prove BUILD NAME...   every answer passes its test and every
#                                      stub still marked TODO fails it
# NAME is NN_name (01_sample_latent); test binaries are in BUILD/extest/.
set -u
mode=${1:-}; build=${2:-build/default}
[ $# -ge 2 ] && shift 2

# "01_sample_latent" -> "1"
number() { echo "$1" | sed 's/_.*//; s/^0*//'; }
# "01_sample_latent" -> "sample_latent"
title() { echo "$1" | sed 's/^[0-9]*_//'; }

case "$mode" in
check)
    total=0 done_=0
    printf '\n  %-3s %-22s %-8s %s\n' "#" "exercise" "status" "next"
    printf '  %-3s %-22s %-8s %s\n' "--" "--------" "------" "----"
    for name in "$@"; do
        total=$((total + 1))
        n=$(number "$name")
        out=$("$build/extest/exercises/exercise_$name" 2>&1); rc=$?
        if [ "$rc" -eq 0 ]; then
            done_=$((done_ + 1))
            printf '  %-3s %-22s %-8s %s\n' "$n" "$(title "$name")" "passed" "-"
        else
            printf '  %-3s %-22s %-8s %s\n' "$n" "$(title "$name")" "FAILED" \
                "make check EX=$n, make hint EX=$n"
        fi
        # One exercise asked for: show what its test said.
        if [ $# -eq 1 ]; then
            printf '\n%s\n' "$out"
        fi
    done
    printf '\n  %d of %d exercises pass.' "$done_" "$total"
    if [ "$done_" -eq "$total" ]; then
        printf ' All done: run `make lesson N=6 USE=exercises` to train on your own code.\n'
        exit 0
    fi
    printf ' Edit exercises/NN_name.c, then make check again.\n'
    exit 1
    ;;
hint)
    n=${1:-}
    if [ -z "$n" ]; then
        echo "make hint: say which exercise, e.g. make hint EX=3" >&2
        exit 2
    fi
    # "08" would read as octal in printf: strip the zeros first.
    n=$(echo "$n" | sed 's/^0*//')
    case "$n" in *[!0-9]*|'') n=x ;; esac
    f=$(printf 'exercises/hints/%02d.txt' "$n" 2>/dev/null)
    if [ ! -f "$f" ]; then
        echo "make hint: no hint for exercise $n (hints are exercises/hints/NN.txt)" >&2
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
    [ -n "$bad" ] && echo "exercise checks that went wrong:$bad"
    echo "exercises: $sol_ok of $n solutions pass, $stub_ok of $stubs stubs fail as they should"
    failed=$((n - sol_ok + stubs - stub_ok))
    # The last line, in run_tests.sh's form, so `make test` ends with one.
    echo "$((sol_ok + stub_ok)) passed, $failed failed"
    [ "$failed" -eq 0 ]
    ;;
*)
    echo "usage: tools/exercises.sh check|hint|prove BUILD [names or number]" >&2
    exit 2
    ;;
esac
