#!/bin/sh
# bench/run.sh - what `make bench` and `make bench-compare` run.
#
# Usage: bench/run.sh BENCH_DIR LESSON06 LESSON10 [compare]
#   BENCH_DIR  where mlp_gan and runstat were built
#   LESSON06   the lesson 06 binary; "" when the lesson does not exist yet,
#              "build-failed" when it does not build
#   LESSON10   the lesson 10 binary, likewise
#   compare    also time ../shared/reference/torch_ref.py (PyTorch) and print
#              the ratio of the best steps/s of each
# BENCH_STEPS (default 300) sets the timed steps per round of gansteps,
# BENCH_TORCH_STEPS (default 200) those of each PyTorch run: PyTorch with two
# threads can be very slow on a busy machine. BENCH_DCGAN_STEPS (default 40)
# the DCGAN's, gansteps' and PyTorch's alike. Run from the repository root.
set -u
dir=$1
lesson06=$2
lesson10=$3
mode=${4:-}
steps=${BENCH_STEPS:-300}
tsteps=${BENCH_TORCH_STEPS:-200}
dsteps=${BENCH_DCGAN_STEPS:-40}

# "a b" -> the larger of two decimal numbers
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a) ? b : a }'; }
# the value of key=... in a line
field() { echo "$1" | sed -n "s/.*[ ]$2=\([0-9.]*\).*/\1/p"; }

echo "== MLP GAN training step (fast path; best of 3 rounds of $steps steps)"
best=0
for t in 1 2; do
    out=$("$dir/mlp_gan" --threads "$t" --steps "$steps") || exit 1
    echo "$out" | grep -E '^(gemm_peak|mlp_gan)'
    best=$(max "$best" "$(field "$(echo "$out" | grep '^mlp_gan')" steps_per_s)")
done
echo "$out" | grep -A1 '^step_gflop'

echo "== DCGAN training step (fast path; best of 3 rounds of $dsteps steps)"
dbest=0
for t in 1 2; do
    out=$("$dir/mlp_gan" --model dcgan --threads "$t" --steps "$dsteps" --warmup 5) || exit 1
    echo "$out" | grep '^dcgan_gan'
    dbest=$(max "$dbest" "$(field "$(echo "$out" | grep '^dcgan_gan')" steps_per_s)")
done

echo "== the MLP step on the reference loops (1 thread, 5 steps)"
"$dir/mlp_gan" --threads 1 --kernel reference --warmup 1 --steps 5 --rounds 1 | grep '^mlp_gan'

# run_lesson NAME BINARY ARGS...: wall time and peak RSS of one lesson run,
# its output in BENCH_DIR/NAME.log and its files in BENCH_DIR/NAME_out.
run_lesson() {
    name=$1 bin=$2
    shift 2
    case "$bin" in
    "") echo "$name skipped: its source does not exist yet" ;;
    build-failed) echo "$name skipped: it does not build yet (see $dir/${name}_build.log)" ;;
    *)
        rm -rf "$dir/${name}_out"
        RUNSTAT_LOG="$dir/$name.log" "$dir/runstat" "$name" "$bin" --no-pause \
            --out "$dir/${name}_out" "$@" || echo "$name failed: see $dir/$name.log"
        ;;
    esac
}
echo "== lesson 06, default settings"
run_lesson lesson06 "$lesson06"
# Lesson 10's memory is set by its networks, batch and data, not by how long
# it trains (its log grows by 16 bytes a step), so one epoch shows the
# default run's peak; the default run writes its own in its summary.tsv.
echo "== lesson 10, default settings but one epoch (its MLP and classifier trained here)"
run_lesson lesson10 "$lesson10" --epochs 1

[ "$mode" = compare ] || exit 0

echo "== PyTorch reference (best of 2 runs of $tsteps steps per thread count)"
ref=../shared/reference/torch_ref.py
if [ ! -f "$ref" ]; then
    echo "pytorch skipped: $ref is absent (it sits in shared/reference/ beside the clone); no ratio"
    exit 0
fi
tbest=0
for t in 1 2; do
    tb=0
    for run in 1 2; do
        line=$(THREADS=$t /usr/bin/python3 "$ref" mlp "$tsteps" 64 2>&1 | grep '^mlp ') || {
            echo "pytorch failed: THREADS=$t /usr/bin/python3 $ref mlp $tsteps 64"
            exit 1
        }
        tb=$(max "$tb" "$(echo "$line" | sed -n 's/.*steps\/s=\([0-9.]*\).*/\1/p')")
    done
    echo "pytorch batch=64 threads=$t steps_per_s=$tb"
    tbest=$(max "$tbest" "$tb")
done
awk -v g="$best" -v p="$tbest" 'BEGIN { printf "ratio gansteps/pytorch = %.1fx (best %.1f against best %.1f steps/s)\n", g / p, g, p }'
dtbest=0
for t in 1 2; do
    line=$(THREADS=$t /usr/bin/python3 "$ref" dcgan "$dsteps" 64 2>&1 | grep '^dcgan ') || {
        echo "pytorch failed: THREADS=$t /usr/bin/python3 $ref dcgan $dsteps 64"
        exit 1
    }
    tb=$(echo "$line" | sed -n 's/.*steps\/s=\([0-9.]*\).*/\1/p')
    echo "pytorch dcgan batch=64 threads=$t steps_per_s=$tb"
    dtbest=$(max "$dtbest" "$tb")
done
awk -v g="$dbest" -v p="$dtbest" 'BEGIN { printf "dcgan ratio gansteps/pytorch = %.1fx (best %.1f against best %.1f steps/s)\n", g / p, g, p }'
