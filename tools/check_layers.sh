#!/bin/sh
# The library's layers run one way (docs/architecture.md): a file in lib/L/
# may include headers of L itself and of the layers L rests on, never of a
# layer above or beside it. This reads every #include "..." of lib/*/*.[ch]
# and fails, one line per include, on any that breaks the rule, on a lib
# header included without its layer ("model.h" for "nn/model.h"), on a
# header that does not exist and on a .c file directly in lib/ (only the
# umbrella nn.h sits there).
#
# Usage: tools/check_layers.sh [LIB_DIR]        (default: lib)
#        tools/check_layers.sh --self-test       the check on lib/ passes, and
#          on a scratch copy with an upward include planted it fails naming it
set -u

# Each layer and the layers it may include, bottom to top.
rules()
{
    cat <<'EOF_RULES'
base    base
kernels base kernels
nn      base kernels nn
gan     base kernels nn gan
flow    base kernels nn flow
gen     base kernels nn gen
data    base data
eval    base eval
viz     base viz
EOF_RULES
}

check()
{
    lib=$1
    bad=0
    for f in "$lib"/*.c; do
        [ -e "$f" ] || continue
        echo "layers: $f sits directly in $lib/; put it in the folder of its layer"
        bad=$((bad + 1))
    done
    for dir in "$lib"/*/; do
        layer=$(basename "$dir")
        allowed=$(rules | awk -v l="$layer" '$1 == l { $1 = ""; print }')
        if [ -z "$allowed" ]; then
            echo "layers: $lib/$layer/ is not a known layer; add it to the rules in $0"
            bad=$((bad + 1))
            continue
        fi
        for f in "$dir"*.c "$dir"*.h; do
            [ -e "$f" ] || continue
            for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
                case "$inc" in
                */*) to=${inc%%/*} ;;
                *)
                    echo "layers: ${f#./} includes \"$inc\"; name a library header by its layer (\"L/$inc\")"
                    bad=$((bad + 1))
                    continue ;;
                esac
                if [ ! -f "$lib/$inc" ]; then
                    echo "layers: ${f#./} includes \"$inc\", which is not in $lib/"
                    bad=$((bad + 1))
                    continue
                fi
                case " $allowed " in
                *" $to "*) ;;
                *)
                    echo "layers: ${f#./} includes \"$inc\": $layer may include only$allowed ($to is above or beside it)"
                    bad=$((bad + 1)) ;;
                esac
            done
        done
    done
    return $bad
}

if [ "${1:-}" = "--self-test" ]; then
    out=$(check lib)
    if [ -n "$out" ]; then
        echo "$out"
        echo "layers: FAILED, the library breaks its layering"
        exit 1
    fi
    scratch=$(mktemp -d) || exit 1
    trap 'rm -rf "$scratch"' EXIT INT TERM
    cp -R lib "$scratch/lib"
    # An upward include: the bottom layer reaching for the GAN.
    printf '#include "gan/gan.h"\n' >>"$scratch/lib/base/rng.c"
    planted=$(check "$scratch/lib")
    case "$planted" in
    *"base/rng.c includes \"gan/gan.h\""*) ;;
    *)
        echo "layers: FAILED, an upward include planted in base/rng.c went unnoticed"
        exit 1 ;;
    esac
    echo "layers: 1 passed, 0 failed (lib/ runs one way; a planted upward include is caught)"
    exit 0
fi

out=$(check "${1:-lib}")
[ -z "$out" ] && exit 0
echo "$out"
exit 1
