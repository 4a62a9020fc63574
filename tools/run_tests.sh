#!/bin/sh
# Runs each cmocka suite given on the command line, keeps going after a
# failure so every failing suite is shown, and ends with one summary line
# "N passed, N failed" (counting suites' test cases) and a non-zero exit if
# any failed.
set -u
passed=0 failed=0 bad=""
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
        bad="$bad $(basename "$t")"
        [ -z "$f" ] && failed=$((failed + 1))   # crashed before cmocka's summary
    fi
done
echo "$passed passed, $failed failed"
if [ -n "$bad" ]; then
    echo "failing suites:$bad" >&2
    exit 1
fi
