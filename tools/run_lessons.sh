#!/bin/sh
# Smoke tests of the lessons: runs each lesson binary given on the command
# line with --fast --no-pause into a scratch folder (and again for each of its
# extra_runs below), and checks that it exits
# 0 and wrote lesson.md, summary.tsv and at least one figure file (.png, .dat
# or .gp), and that the text of a --fast run says what such a run is too short
# to show (fast_text below). Keeps going after a failure, shows the failing
# run's last lines, ends with "lessons: N passed, N failed" and a non-zero
# exit if any failed.
set -u
passed=0 failed=0 bad=""
scratch=$(mktemp -d) || exit 1   # honours TMPDIR
trap 'rm -rf "$scratch"' EXIT INT TERM
# Runs that take paths the default run does not: the binary's name, then
# the arguments added to --fast --no-pause.
extra_runs()
{
    cat <<'EOF'
09_mode_collapse --fix wgan-gp --dataset ring --fashion-steps 0
EOF
}

# What the lesson.md of a lesson's plain --fast run must (+) or must not (-)
# say: the binary's name, the sign, then a fixed string. A --fast run is too
# short to show what the full run shows, and its text has to say so rather
# than read the full run's lesson into noise.
fast_text()
{
    cat <<'EOF'
06_training + too short to show where the balance settles
06_training + too short to show any of this
06_training - show the same
08_vanishing_gradients + too few to show the fall
08_vanishing_gradients - the better D gets, the less G learns
08_vanishing_gradients + A --fast run is too short to show it
09_mode_collapse + far too short to show any of what follows
11_wasserstein + far too short to show what clipping does
11_wasserstein + too few to say whether either curve tracks
11_wasserstein + too short to rank the objectives
11_wasserstein + too short to show what any trick does
11_wasserstein - they fall together
11_wasserstein + far too short for training to move the weights
11_wasserstein + too short to show whether G circles the ring
11_wasserstein - chase each other around the ring
11_wasserstein + too short to rank the objectives, at equal updates or at equal time
12_steering + A --fast run is too short to show a G that obeys
12_steering + A --fast run is too short to show what a trained InfoGAN's code
12_steering + too short to tell whether G copies
12_steering - no sign of copying
12_steering - the code sorts G's images largely by class
13_autoencoder + too short to show how blurred each one's images end up
13_autoencoder - That is the blur the mean squared error asks
14_judging + far too short to show collapse
14_judging - most real images have no sample
14_judging + too short to tell whether G copies
14_judging - no sign of copying
14_judging - some samples sit on training images
15_cyclegan + far too short to show translations the classifier accepts
15_cyclegan - What the cycle keeps: there and back
16_stylegan + too short to show what the styles decide
16_stylegan + too short to show what the noise learns to do
16_stylegan + too short to show truncation's trade
16_stylegan - So in this run the coarse styles decide
16_stylegan - Truncation buys
17_flow + far too short to show where a flow puts its mass
17_flow + This --fast run is far too short to show what follows
17_flow - This run shows both sides
18_generative_family + far too short to show what a diffusion model learns
18_generative_family + too short to tell whether a diffusion model reaches recognisable clothes
18_generative_family - steps), the diffusion model's samples are
18_generative_family + This --fast run is far too short to show what follows
18_generative_family - Diversity and quality together
18_generative_family - The VAE's samples have
19_image_to_image + far too short for either model to learn the task
19_image_to_image + shows nothing about the trade-off
19_image_to_image + too short to tell what the skips add
19_image_to_image + This --fast run is far too short to show what follows
19_image_to_image - sit on the two sides of the trade
19_image_to_image - the adversarial term brings the edges back
19_image_to_image - With the skips the L1-only error falls
EOF
}

# fast_text_check NAME MD: "" when MD says what fast_text asks of NAME, else why not.
fast_text_check()
{
    while read -r who sign text; do
        [ "$who" = "$1" ] || continue
        # A sentence may cross a line of lesson.md: search the lines joined.
        if tr '\n' ' ' <"$2" | grep -qF -- "$text"; then found=1; else found=0; fi
        if [ "$sign" = "+" ] && [ $found -eq 0 ]; then
            echo "lesson.md lacks \"$text\""
            return
        fi
        if [ "$sign" = "-" ] && [ $found -eq 1 ]; then
            echo "lesson.md says \"$text\", which a --fast run cannot show"
            return
        fi
    done <<EOF
$(fast_text)
EOF
}

# run_one BINARY LABEL [ARGS...]: one smoke run, counted and reported.
run_one()
{
    b=$1 label=$2
    shift 2
    out="$scratch/$label"
    start=$(date +%s)
    "$b" --fast --no-pause --out "$out" "$@" </dev/null >"$scratch/$label.log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    why=""
    if [ "$rc" -ne 0 ]; then
        why="exit status $rc"
    elif [ ! -s "$out/lesson.md" ]; then
        why="no lesson.md"
    elif [ ! -s "$out/summary.tsv" ]; then
        why="no summary.tsv"
    elif [ -z "$(find "$out" -maxdepth 2 \( -name '*.png' -o -name '*.dat' -o -name '*.gp' \) -print | head -n 1)" ]; then
        why="no figure (.png, .dat or .gp)"
    elif [ $# -eq 0 ]; then
        why=$(fast_text_check "$label" "$out/lesson.md")
    fi
    if [ -z "$why" ]; then
        echo "[ lesson OK ] $label${*:+ ($*)} (${secs} s)"
        passed=$((passed + 1))
    else
        echo "[ lesson FAILED ] $label${*:+ ($*)}: $why; last lines of its output:"
        tail -n 15 "$scratch/$label.log" | sed 's/^/    /'
        failed=$((failed + 1))
        bad="$bad $label"
    fi
}

for b in "$@"; do
    name=$(basename "$b")
    run_one "$b" "$name"
    k=0
    while read -r who args; do
        [ "$who" = "$name" ] || continue
        k=$((k + 1))
        # shellcheck disable=SC2086
        run_one "$b" "$name.$k" $args
    done <<EOF
$(extra_runs)
EOF
done
echo "lessons: $passed passed, $failed failed"
if [ -n "$bad" ]; then
    echo "failing lessons:$bad" >&2
    exit 1
fi
