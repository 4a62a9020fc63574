#!/bin/sh
# One build step of the Makefile, quietly: tools/quiet.sh COMMAND [ARG...]
# runs the command and prints one short line naming the step,
#     "  CC lib/kernels/ops.c"  (a compile: the word after -c)
#     "  AR build/default/libgansteps.a"  (ar: the archive)
#     "  LD build/default/lessons/solutions/06_training"  (anything with -o)
#     "  GEN build/default/lessons/src/06_training.c"  (else: its first path)
# then whatever the command printed (warnings, on stderr). When the command
# fails it prints the full command and all its output instead (on stderr)
# and exits with its status, so make stops there. QUIET=silent (set by the Makefile under
# make -s): no short line. make V=1 runs the commands without this script.
set -u
if [ $# -eq 0 ]; then
    echo "usage: tools/quiet.sh COMMAND [ARG...]" >&2
    exit 2
fi

label=""
case $(basename "$1") in
    ar|*-ar) [ $# -ge 3 ] && label="AR $3" ;;
esac
if [ -z "$label" ]; then
    prev="" out="" src="" first=""
    for a in "$@"; do
        case $prev in
            -o) out=$a ;;
            -c) src=$a ;;
        esac
        case $a in */*) [ -z "$first" ] && [ "$a" != "$1" ] && first=$a ;; esac
        prev=$a
    done
    if [ -n "$src" ]; then
        label="CC $src"
    elif [ -n "$out" ]; then
        label="LD $out"
    else
        label="GEN ${first:-$1}"
    fi
fi

log=$("$@" 2>&1)
rc=$?
if [ "$rc" -ne 0 ]; then
    {
        printf '  %s failed:\n%s\n' "$label" "$*"
        [ -n "$log" ] && printf '%s\n' "$log"
    } >&2
    exit "$rc"
fi
[ "${QUIET:-}" = silent ] || printf '  %s\n' "$label"
[ -n "$log" ] && printf '%s\n' "$log" >&2
exit 0
