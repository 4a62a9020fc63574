#!/bin/sh
# The promises every lesson makes on bad input, checked from the outside
# ("a bad flag or value gets one clear line and exit status 2"). For each lesson binary:
#   - --help exits 0, prints the usage on stdout and nothing on stderr;
#   - an unknown flag, a stray argument, a flag that needs a value given none,
#     a switch given a value, a bad --seed, an --out that cannot be made, and
#     for every flag listed by --help the values its type and range forbid
#     (not a number, empty, below the minimum, above the maximum, not one of
#     the choices): exit status 2, exactly one line on stderr naming the flag,
#     nothing on stdout, and no --out folder left behind;
#   - for a lesson with --data: a missing folder, a plain file, an empty,
#     wrong-magic or truncated IDX file, a truncated or corrupt gzip: exit
#     status 2 and exactly one line on stderr naming the file (so also no
#     sanitizer report when the lessons are built with SANITIZE=1), and no
#     --out folder left behind;
#   - a flag typo (the longest flag with its last letter missing, --sede)
#     names the flag meant ("did you mean --epochs?"), a choice typo the
#     choice; a name close to nothing gets no suggestion;
#   - --help's flag texts all start in one column, ranges and choices too;
#   - for a lesson with --resume: after a --fast run, each checkpoint it
#     wrote with 4 bytes overwritten in the middle: --resume exits with status
#     2 and exactly one line on stderr naming that checkpoint as corrupted;
#   - a refused run leaves the last finished run's folder byte-identical
#     (lesson 14 with a missing --data folder, lesson 15 with --a equal to
#     --b, lesson 15 built on the untouched exercise stubs, a --batch larger
#     than a tiny data set, --data images of a size the networks do not read,
#     --save-samples into a missing folder), and a new --out folder uncreated;
#   - a few lesson-specific cases from the table near the end.
# Flags and ranges are read from --help itself, so a new flag or a new lesson
# is covered without editing this file. Each check prints one line; the run
# ends with "cli: N passed, N failed" and exits non-zero if any failed.
#
# Usage: tools/cli_tests.sh [LESSON_BINARY ...]
#   Without arguments: every lessons/NN_topic.c in the current folder, built
#   as ${BUILD:-build/default}/lessons/solutions/NN_topic.
#   CLI_VERBOSE=1 also shows each passing check's message.
set -u
LC_ALL=C
export LC_ALL

passed=0 failed=0 bad="" n=0 note=""
scratch=$(mktemp -d) || exit 1   # honours TMPDIR
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

if [ $# -eq 0 ]; then
    for src in lessons/[0-9][0-9]_*.c; do
        [ -e "$src" ] || continue
        name=$(basename "$src" .c)
        set -- "$@" "${BUILD:-build/default}/lessons/solutions/$name"
    done
    if [ $# -eq 0 ]; then
        echo "cli_tests: no lessons/NN_*.c here; run from the project folder" >&2
        exit 2
    fi
fi

# The command line of a check as a reader would type it ('' for empty words).
show_args()
{
    s=""
    for a in "$@"; do
        case $a in
            "") s="$s ''" ;;
            *[!A-Za-z0-9_./=:+-]*) s="$s '$a'" ;;
            *) s="$s $a" ;;
        esac
    done
    printf '%s' "$s"
}

result()   # result NAME WHY ARGS... : one line per check, counted
{
    name=$1 why=$2
    shift 2
    line="$name$(show_args "$@")${note:+ ($note)}"
    case $line in *"$scratch"*) line=$(printf '%s' "$line" | sed "s|$scratch|TMP|g") ;; esac
    if [ -z "$why" ]; then
        echo "[ cli OK ] $line"
        if [ -n "${CLI_VERBOSE:-}" ] && [ -f "$scratch/err" ]; then
            sed 's/^/    stderr: /' "$scratch/err"
        fi
        passed=$((passed + 1))
    else
        echo "[ cli FAILED ] $line: $why"
        failed=$((failed + 1))
        case " $bad " in *" $name "*) ;; *) bad="$bad $name" ;; esac
    fi
}

# Why stderr ($scratch/err) is not exactly one non-empty line, or "".
one_line_why()
{
    lines=$(wc -l <"$scratch/err")
    bytes=$(wc -c <"$scratch/err")
    first=$(head -n 1 "$scratch/err" | cut -c 1-120)
    if [ "$bytes" -eq 0 ]; then
        echo "nothing on stderr"
    elif [ "$lines" -ne 1 ] || [ -n "$(tail -c 1 "$scratch/err")" ]; then
        echo "$lines lines on stderr (want 1), first: $first"
    elif [ "$bytes" -le 1 ]; then
        echo "an empty line on stderr"
    fi
}

# expect_bad_input BIN WANT ARGS...: runs BIN ARGS with no input and sets
# why to "" when it exited 2 with one line on stderr naming WANT, else to
# what went wrong. Its stdout and stderr stay in $scratch/std and err.
expect_bad_input()
{
    bin=$1 want=$2
    shift 2
    "$bin" "$@" </dev/null >"$scratch/std" 2>"$scratch/err"
    rc=$?
    why=""
    if [ "$rc" -ne 2 ]; then
        why="exit status $rc (want 2)"
        [ -s "$scratch/err" ] && why="$why, stderr: $(head -n 1 "$scratch/err" | cut -c 1-120)"
    else
        why=$(one_line_why)
    fi
    if [ -z "$why" ] && ! grep -qF -e "$want" "$scratch/err"; then
        why="the message does not name $want: $(cut -c 1-120 "$scratch/err")"
    fi
}

# check_flag BIN WANT ARGS...: a bad command line. The lesson runs with
# --no-pause --out DIR first, so the folder it must not create is known.
check_flag()
{
    bin=$1 want=$2
    shift 2
    n=$((n + 1))
    out="$scratch/out$n"
    expect_bad_input "$bin" "$want" --no-pause --out "$out" "$@"
    if [ -z "$why" ] && [ -s "$scratch/std" ]; then
        why="$(wc -l <"$scratch/std") lines on stdout (want none), first: $(head -n 1 "$scratch/std" | cut -c 1-80)"
    fi
    if [ -z "$why" ] && [ -e "$out" ]; then
        why="left its --out folder behind, holding: $(find "$out" -mindepth 1 -maxdepth 1 -exec basename {} \; | tr '\n' ' ')"
    fi
    result "$(basename "$bin")" "$why" "$@"
}

# check_input BIN WANT ARGS...: bad input found after the lesson started
# (a data file, a checkpoint): exit 2, one line on stderr naming WANT. What
# it printed on stdout before (its header, earlier steps) is fine.
check_input()
{
    bin=$1 want=$2
    shift 2
    n=$((n + 1))
    out="$scratch/out$n"
    expect_bad_input "$bin" "$want" --fast --no-pause --out "$out" "$@"
    # A data set is read before the first write: a refusal leaves no folder.
    if [ -z "$why" ] && [ -n "${refused_before_writing:-}" ] && [ -e "$out" ]; then
        why="left its --out folder behind, holding: $(find "$out" -mindepth 1 -maxdepth 1 -exec basename {} \; | tr '\n' ' ')"
    fi
    result "$(basename "$bin")" "$why" "$@"
    rm -rf "$out"
}

check_help()
{
    bin=$1
    n=$((n + 1))
    out="$scratch/out$n"
    "$bin" --out "$out" --help </dev/null >"$scratch/std" 2>"$scratch/err"
    rc=$?
    why=""
    if [ "$rc" -ne 0 ]; then
        why="exit status $rc (want 0)"
    elif [ -s "$scratch/err" ]; then
        why="stderr: $(head -n 1 "$scratch/err" | cut -c 1-120)"
    elif ! grep -q '^usage: ' "$scratch/std"; then
        why="no usage line on stdout"
    elif [ -e "$out" ]; then
        why="--help created $out"
    else
        why=$(help_misaligned "$scratch/std")
    fi
    result "$(basename "$bin")" "$why" --help
}

# Why the flag lines of a --help output ($1) are not in two columns, or "":
# every "  --name T" line's text and every range or choice line under it
# must start in the same column, two spaces or more after the longest name.
help_misaligned()
{
    awk '
        /^  --/ {
            if (!match($0, /^  --[a-z0-9-]+( [A-Z]+)?   */)) {
                bad = "no two spaces after the flag: " $0; exit
            }
            c = RLENGTH
        }
        /^   +(range: |at least |one of: )/ { match($0, /^ +/); c = RLENGTH }
        /^  --/ || /^   +(range: |at least |one of: )/ {
            if (col == "") col = c
            else if (c != col) { bad = "text in column " c + 1 " (others: " col + 1 "): " $0; exit }
        }
        END { if (bad != "") print substr(bad, 1, 140) }' "$1"
}

# The flags --help lists, one per line: name<TAB>type<TAB>min<TAB>max<TAB>
# choices, where type is the word after the name (N whole number, X number,
# S or DIR text, W one of a list) or "switch", min/max come from the
# "range: a .. b" or "at least a" line under it and choices from its
# "one of: a|b" line ("-" when there is none: tabs are white space to
# read, so an empty field would vanish). lesson_flags.c pads a flag's
# "--name T" to the longest one's width plus two spaces: a switch's name is
# followed by two spaces or more, a flag with a value by one space and its
# type word.
help_flags()
{
    awk -F '\n' '
        function f(v) { return v == "" ? "-" : v }
        function flush() { if (nm != "") print nm "\t" ty "\t" f(lo) "\t" f(hi) "\t" f(ch); nm = "" }
        /^  --[a-z0-9][a-z0-9-]*( |$)/ {
            flush()
            s = substr($0, 5); nm = s; sub(/ .*/, "", nm)
            rest = substr(s, length(nm) + 1)
            if (rest ~ /^ [A-Z]+( |$)/) { ty = substr(rest, 2); sub(/ .*/, "", ty) }
            else ty = "switch"
            lo = ""; hi = ""; ch = ""
            next
        }
        /^   +one of: / { s = $0; sub(/^ +one of: /, "", s); ch = s; next }
        /^   +range: / {
            s = $0; sub(/^ +range: /, "", s)
            lo = s; sub(/ \.\. .*/, "", lo)
            hi = s; sub(/.* \.\. /, "", hi)
            next
        }
        /^   +at least / { s = $0; sub(/^ +at least /, "", s); lo = s; next }
        /^  [^ ]/ { flush() }
        END { flush() }' "$1"
}

# Values below the minimum / above the maximum worth trying: min-1, and 0
# and -1 when they are below it too; max+1.
below() { awk -v m="$1" 'BEGIN { printf "%.10g\n", m - 1; if (m > 0 && m - 1 != 0) print 0;
                                 if (m > -1 && m - 1 != -1) print -1 }'; }
above() { awk -v m="$1" 'BEGIN { printf "%.10g\n", m + 1 }'; }

# A tiny valid MNIST-format data set (both splits, raw files) in $1: 100
# images of 28x28 and their labels, built byte by byte so nothing but a
# POSIX shell is needed (printf formats built from numbers on purpose: they
# are octal escapes).
# shellcheck disable=SC2059
be32() { printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"; }
# idx_images [SIDE]: 100 images of SIDE x SIDE (28 unless told).
idx_images() { side=${1:-28}; printf '\000\000\010\003'; be32 100; be32 "$side"; be32 "$side";
               awk -v n=$((100 * side * side)) 'BEGIN { for (i = 0; i < n; i++) printf "%c", 1 + (i * i + 7 * i) % 127 }'; }
# shellcheck disable=SC2059
idx_labels() { printf '\000\000\010\001'; be32 100;
               i=0; while [ $i -lt 100 ]; do printf "\\$(printf %03o $((i % 10)))"; i=$((i + 1)); done; }
good_data()   # good_data DIR [SIDE]
{
    mkdir -p "$1"
    for split in train t10k; do
        idx_images "${2:-28}" >"$1/$split-images-idx3-ubyte"
        idx_labels >"$1/$split-labels-idx1-ubyte"
    done
}
# Replaces the images (or labels) files of both splits in $1 by what
# `$3 FILE` writes; $2 is images-idx3-ubyte or labels-idx1-ubyte.
spoil()
{
    for split in train t10k; do
        f="$1/$split-$2"
        rm -f "$f" "$f.gz"
        $3 "$f"
    done
}
empty_file() { : >"$1"; }
wrong_magic() { { printf 'GIF89a\000\000'; head -c 78400 /dev/zero; } >"$1"; }
short_raw() { { printf '\000\000\010\001'; be32 100; printf '\001\002\003'; } >"$1"; }
trunc_gz()
{
    case $1 in *images*) idx_images ;; *) idx_labels ;; esac | gzip -n -c >"$1.gz.full"
    size=$(wc -c <"$1.gz.full")
    head -c $((size / 2)) "$1.gz.full" >"$1.gz"
    rm -f "$1.gz.full"
}
# 32 bytes of 0xff over the middle of the deflate stream: inflate either
# meets an invalid code or produces wrong bytes the CRC-32 at the end catches.
corrupt_gz()
{
    case $1 in *images*) idx_images ;; *) idx_labels ;; esac | gzip -n -c >"$1.gz"
    size=$(wc -c <"$1.gz")
    printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' >"$scratch/ff"
    cat "$scratch/ff" "$scratch/ff" >"$scratch/ff32"
    dd if="$scratch/ff32" of="$1.gz" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
}
# 16 bytes of 0xff right after the 10-byte gzip header: the first deflate
# block has the reserved type 3, so inflate fails on the IDX header.
corrupt_gz_head()
{
    case $1 in *images*) idx_images ;; *) idx_labels ;; esac | gzip -n -c >"$1.gz"
    printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' >"$scratch/ff"
    dd if="$scratch/ff" of="$1.gz" bs=1 seek=10 conv=notrunc 2>/dev/null
}
# A well-formed gzip of a file whose magic is wrong.
wrong_magic_gz() { wrong_magic "$1.raw"; gzip -n -c "$1.raw" >"$1.gz"; rm -f "$1.raw"; }

# Flags that bring a lesson to its bad input sooner (fewer toy runs first)
# for the checks after it starts: a lesson number and name=value words, each
# used only while --help lists it.
shortcuts()
{
    cat <<'EOF'
09 dataset=ring seeds=1 steps=10 frames=2
EOF
}

data_checks()
{
    bin=$1
    d="$scratch/data"
    # shellcheck disable=SC2086
    set -- $quick
    check_input "$bin" "$d/no-such-folder" "$@" --data "$d/no-such-folder"
    : >"$scratch/plain-file"
    check_input "$bin" "$scratch/plain-file" "$@" --data "$scratch/plain-file"
    for c in empty_file:images-idx3-ubyte wrong_magic:images-idx3-ubyte \
             short_raw:labels-idx1-ubyte trunc_gz:images-idx3-ubyte \
             corrupt_gz:images-idx3-ubyte corrupt_gz_head:labels-idx1-ubyte \
             wrong_magic_gz:labels-idx1-ubyte; do
        how=${c%%:*} file=${c#*:}
        rm -rf "$d"
        good_data "$d"
        spoil "$d" "$file" "$how"
        note="$file: $how"
        check_input "$bin" "$file" "$@" --data "$d"
        # The message names the file by its path in the data folder.
        if [ "$rc" -eq 2 ] && ! grep -qF -e "$d/" "$scratch/err"; then
            result "$(basename "$bin")" "the message does not give the path in $d" "$@" --data "$d"
        fi
        note=""
    done
}

# A checkpoint damaged after it was saved (a disk or copy error) must stop
# --resume with one line naming it, not resume from wrong weights: one --fast
# run writes the checkpoints, then each *.ckpt in turn gets 4 bytes of 0xff in
# its middle (inside the weights) and is put back after its check.
resume_checks()
{
    bin=$1
    n=$((n + 1))
    out="$scratch/out$n"
    # shellcheck disable=SC2086
    set -- $quick
    if ! "$bin" --fast --no-pause --out "$out" "$@" </dev/null >"$scratch/std" 2>"$scratch/err"; then
        result "$(basename "$bin")" "the run that writes the checkpoints failed: $(tail -n 1 "$scratch/err" | cut -c 1-120)" "$@"
        rm -rf "$out"
        return
    fi
    found=0
    for ck in "$out"/*.ckpt; do
        [ -f "$ck" ] || continue
        found=1
        cp "$ck" "$scratch/ckpt.good"
        size=$(wc -c <"$ck")
        printf '\377\377\377\377' | dd of="$ck" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
        note="$(basename "$ck") with 4 bytes overwritten"
        expect_bad_input "$bin" "$ck" --fast --no-pause --out "$out" "$@" --resume
        if [ -z "$why" ] && ! grep -q "corrupted" "$scratch/err"; then
            why="the message does not say the checkpoint is corrupted: $(cut -c 1-120 "$scratch/err")"
        fi
        result "$(basename "$bin")" "$why" "$@" --resume
        note=""
        cp "$scratch/ckpt.good" "$ck"
    done
    [ "$found" -eq 1 ] || result "$(basename "$bin")" "a --fast run left no *.ckpt in its --out folder" "$@" --resume
    rm -rf "$out"
}

# A refused run leaves the last finished run's files as they were. After
# one --fast run into a folder, each refusal below into the same folder
# must exit 2 with one line naming WANT and leave every file in it
# byte-identical, with none added (no lesson.md replaced by a stub, no figure
# redrawn, no stopped notebook); the same refusal into a new --out folder
# must leave no folder. Lesson number, WANT, the arguments (@TMP is a scratch
# folder, @DATA the tiny data set above: 100 images of 28 x 28, fewer than
# a batch of 128, @DATA20 the same of 20 x 20, a size no network reads);
# each refusal is one a lesson finds before its first step. A WANT that
# starts with "exercises:" runs the lesson built on the untouched stubs
# (USE=exercises, beside the solutions' binary), which must stop at the
# first exercise it probes, before it writes anything.
refusal_cases()
{
    cat <<'EOF'
14 /nonexistent --data /nonexistent
15 --a --a 7 --b 7
15 exercises:(USE=exercises)
04 --data --data @DATA20
06 --batch --data @DATA --batch 128
06 --data --data @DATA20
08 --batch --data @DATA --batch 128
09 --save-samples --save-samples @TMP/no-such-folder/samples.txt
10 --batch --data @DATA --batch 128
10 --data --data @DATA20
10 --save-samples --save-samples @TMP/no-such-folder/samples.idx
13 --batch --data @DATA --batch 128
13 --data --data @DATA20
16 --batch --data @DATA --batch 128
16 --data --data @DATA20
19 --data --data @DATA
19 --data --data @DATA20
19 --save-samples --save-samples @TMP/no-such-folder/samples.idx
19 exercises:(USE=exercises)
EOF
}

# Every file under $1 with its checksum and size, by name.
snapshot() { (cd "$1" && find . -type f -exec cksum {} + | sort -k 3); }

# keeps_last_run BIN DIR WANT ARGS...: see refusal_cases.
keeps_last_run()
{
    bin=$1 dir=$2 want=$3
    shift 3
    snapshot "$dir" >"$scratch/before"
    expect_bad_input "$bin" "$want" --fast --no-pause --out "$dir" "$@"
    if [ -z "$why" ]; then
        snapshot "$dir" >"$scratch/after"
        if ! cmp -s "$scratch/before" "$scratch/after"; then
            why="changed the last run's files: $(diff "$scratch/before" "$scratch/after" |
                sed -n 's/^[<>] [0-9]* [0-9]* \.\///p' | sort -u | head -n 5 | tr '\n' ' ')"
        fi
    fi
    note="${on_stubs}into the folder of a finished run"
    result "$(basename "$bin")" "$why" "$@"
    n=$((n + 1))
    out="$scratch/out$n"
    expect_bad_input "$bin" "$want" --fast --no-pause --out "$out" "$@"
    if [ -z "$why" ] && [ -e "$out" ]; then
        why="left its --out folder behind, holding: $(find "$out" -mindepth 1 -maxdepth 1 -exec basename {} \; | tr '\n' ' ')"
    fi
    note="${on_stubs}into a new --out folder"
    result "$(basename "$bin")" "$why" "$@"
    note=""
}

refusal_checks()
{
    bin=$1 num=$2
    lesson_bin=$1 # expect_bad_input sets bin to the binary it runs
    last="$scratch/last_$num"
    refusal_cases >"$scratch/refusals"
    while read -r ln want args; do
        [ "$ln" = "$num" ] || continue
        if [ ! -d "$last" ]; then
            # shellcheck disable=SC2086
            if ! "$bin" --fast --no-pause --out "$last" $quick </dev/null >"$scratch/std" 2>"$scratch/err" ||
               [ ! -s "$last/lesson.md" ] || [ ! -s "$last/summary.tsv" ]; then
                result "$(basename "$bin")" "the --fast run that makes a finished folder failed: $(tail -n 1 "$scratch/err" | cut -c 1-120)" --fast
                return
            fi
        fi
        run=$bin on_stubs=""
        case $want in
            exercises:*)
                run="${lesson_bin%/*/*}/exercises/$(basename "$lesson_bin")"
                want=${want#exercises:}
                on_stubs="built on the untouched stubs, "
                if [ ! -x "$run" ]; then
                    result "$(basename "$bin")" "not built: $run (USE=exercises)"
                    continue
                fi
                # Its --help names the folder it writes to by default.
                dflt="plots/$(basename "$run")-exercises"
                "$run" --help </dev/null >"$scratch/std" 2>&1
                why=""
                grep -qF "(default $dflt)" "$scratch/std" ||
                    why="--help does not give $dflt as --out's default: $(grep -e '--out' "$scratch/std" | cut -c 1-100)"
                note="built on the untouched stubs"
                result "$(basename "$run")" "$why" --help
                note="" ;;
        esac
        [ -d "$scratch/data28" ] || good_data "$scratch/data28"
        [ -d "$scratch/data20" ] || good_data "$scratch/data20" 20
        args=$(printf '%s' "$args" | sed -e "s|@TMP|$scratch|g" -e "s|@DATA20|$scratch/data20|g" \
                                         -e "s|@DATA|$scratch/data28|g")
        # shellcheck disable=SC2086
        keeps_last_run "$run" "$last" "$want" $args
        bin=$lesson_bin
    done <"$scratch/refusals"
}

# Lesson-specific cases no --help can describe: lesson number, the text the
# message must contain, the arguments (words without spaces; @TMP is a scratch
# folder). They run with --fast --no-pause in a new --out folder.
specific_cases()
{
    cat <<'EOF'
06 --resume --resume
06 --save-samples --save-samples @TMP/no-such-folder/samples.idx
09 --save-samples --save-samples @TMP/no-such-folder/samples.txt
11 --save-samples --save-samples @TMP/no-such-folder/samples.idx
15 --save-samples --save-samples @TMP/no-such-folder/samples.idx
18 --save-samples --save-samples @TMP/no-such-folder/samples.idx
18 --save-points --save-points @TMP/no-such-folder/points.tsv
19 --save-samples --save-samples @TMP/no-such-folder/samples.idx
15 --a --a 7 --b 7
EOF
}

: >"$scratch/a-file"
for bin in "$@"; do
    name=$(basename "$bin")
    if [ ! -x "$bin" ]; then
        result "$name" "not built: $bin"
        continue
    fi
    check_help "$bin"
    if [ "$rc" -ne 0 ]; then
        continue
    fi
    cp "$scratch/std" "$scratch/help"

    # Shared flags and command-line shape.
    check_flag "$bin" "--no-such-flag" --no-such-flag
    if [ -z "$why" ] && grep -q "did you mean" "$scratch/err"; then
        result "$name" "a suggestion for a flag nothing is close to: $(cat "$scratch/err")" --no-such-flag
    fi
    check_flag "$bin" "--no-such-flag" --no-such-flag=3
    check_flag "$bin" "stray" stray
    check_flag "$bin" "--" --
    check_flag "$bin" "--seed" --seed -1
    check_flag "$bin" "--seed" --seed=-1
    check_flag "$bin" "--out" --out "$scratch/a-file/sub"

    # Every flag --help lists, by its type and range.
    help_flags "$scratch/help" >"$scratch/flags"
    if [ ! -s "$scratch/flags" ]; then
        result "$name" "no flags found in --help's output" --help
    fi
    while IFS='	' read -r f ty lo hi ch; do
        [ "$lo" = - ] && lo=""
        [ "$hi" = - ] && hi=""
        [ "$ch" = - ] && ch=""
        if [ "$ty" = switch ]; then
            check_flag "$bin" "--$f" "--$f=1"
            continue
        fi
        check_flag "$bin" "--$f" "--$f"
        check_flag "$bin" "--$f" "--$f" ""
        case $ty in
            N) bads="abc 1.5 99999999999999999999999" ;;
            X) bads="abc nan inf 1e999" ;;
            W) bads="no-such-choice" ;;
            *) bads="" ;;
        esac
        [ -n "$lo" ] && bads="$bads $(below "$lo")"
        [ -n "$hi" ] && bads="$bads $(above "$hi")"
        for v in $bads; do
            check_flag "$bin" "--$f" "--$f" "$v"
        done
        # A choice with its last letter missing: the message names the choice.
        first=${ch%%|*}
        if [ "$ty" = W ] && [ ${#first} -ge 4 ]; then
            check_flag "$bin" "did you mean $first?" "--$f" "${first%?}"
        fi
    done <"$scratch/flags"

    # Flag typos get a suggestion: the lesson's longest flag with its last
    # letter missing, two letters of --seed swapped; nothing close, none.
    longest=$(cut -f 1 "$scratch/flags" | awk '{ if (length($0) > length(l)) l = $0 } END { print l }')
    if [ ${#longest} -ge 3 ]; then
        check_flag "$bin" "unknown flag --${longest%?}; did you mean --$longest?" "--${longest%?}"
    fi
    check_flag "$bin" "did you mean --seed?" --sede 3

    # Bad data folders, for the lessons that read one.
    num=$(printf '%s' "$name" | cut -c 1-2)
    quick=""
    for kv in $(shortcuts | sed -n "s/^$num //p"); do
        grep -q "^${kv%%=*}	" "$scratch/flags" && quick="$quick --$kv"
    done
    if grep -q '^data	' "$scratch/flags"; then
        refused_before_writing=1
        data_checks "$bin"
        refused_before_writing=""
    fi
    if grep -q '^resume	switch' "$scratch/flags"; then
        resume_checks "$bin"
    fi

    refusal_checks "$bin" "$num"

    specific_cases >"$scratch/cases"
    while read -r ln want args; do
        [ "$ln" = "$num" ] || continue
        # shellcheck disable=SC2046,SC2086
        check_input "$bin" "$want" $quick $(printf '%s' "$args" | sed "s|@TMP|$scratch|g")
    done <"$scratch/cases"
done

echo "cli: $passed passed, $failed failed"
if [ -n "$bad" ]; then
    echo "cli checks failed in:$bad" >&2
    exit 1
fi
