#!/bin/sh
# Runs each lesson binary given on the command line with --fast --no-pause
# under valgrind's memcheck: an invalid read or write, a use of an
# uninitialised value, a bad free or a definitely lost block fails the lesson
# (memory still reachable at exit does not). Keeps going after a failure,
# shows the first error of a failing lesson with its first frames, keeps every
# full log in LOGDIR, ends with "valgrind: N passed, N failed" and a non-zero
# exit if any failed.
# Usage: tools/valgrind_lessons.sh LOGDIR LESSON_BINARY...
# The binaries must be built without sanitizers (ASan and valgrind do not mix).
set -u
if [ $# -lt 1 ]; then
    echo "usage: tools/valgrind_lessons.sh LOGDIR LESSON_BINARY..." >&2
    exit 2
fi
logdir=$1
shift
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: not installed; tools/deps.sh valgrind installs it" >&2
    exit 1
fi
mkdir -p "$logdir" || exit 1
passed=0 failed=0 bad=""
scratch=$(mktemp -d) || exit 1   # honours TMPDIR
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

# One thread: the matmul workers (lib/kernels/pool.c) and OpenBLAS's spin while
# they wait, and valgrind runs one thread at a time, so a spinning worker
# holds the only core for its whole time slice, and the run crawls. The
# kernels are the same at one thread; only the hand-off between threads goes
# unchecked here.
GANSTEPS_THREADS=1 OPENBLAS_NUM_THREADS=1
export GANSTEPS_THREADS OPENBLAS_NUM_THREADS

for b in "$@"; do
    name=$(basename "$b")
    log="$logdir/$name.log"
    start=$(date +%s)
    valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$log" "$b" --fast --no-pause --out "$scratch/$name" \
        </dev/null >"$logdir/$name.out" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    summary=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: //p' "$log" | tail -n 1)
    lost=$(sed -n 's/^==[0-9]*==[ ]*definitely lost: //p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        echo "[ valgrind OK ] $name (${secs} s; ${summary:-no summary})"
        passed=$((passed + 1))
    else
        echo "[ valgrind FAILED ] $name: exit status $rc; ${summary:-no summary}${lost:+; definitely lost: $lost}; log: $log"
        # The first error: its headline and the frames under it, without
        # the ==pid== prefix; the lesson's own last words if valgrind saw none.
        sed -n 's/^==[0-9]*== //p' "$log" |
            awk 'started && /^$/ { exit } /^(Invalid|Conditional|Use of|Mismatched|Source and|Syscall|Argument|[0-9,]+ bytes in)/ { started = 1 }
                 started { print "    " $0; if (++k == 14) exit }'
        if [ -z "$summary" ] || [ "${summary#0 errors}" != "$summary" ]; then
            tail -n 5 "$logdir/$name.out" | sed 's/^/    output: /'
        fi
        failed=$((failed + 1))
        bad="$bad $name"
    fi
done
echo "valgrind: $passed passed, $failed failed"
if [ -n "$bad" ]; then
    echo "failing lessons under valgrind:$bad" >&2
    exit 1
fi
