#!/bin/sh
# The course book's test (part of make test): lessons 01, 03 (tables,
# figures), 05 (formulas) and 09 (lesson 09's films) run with --fast into a
# scratch plots/ folder, and lesson 01 once more on the student's exercises/
# (USE=exercises: it runs none of them, so the untouched stubs do) into
# 01_environment-exercises, as make lesson N=1 USE=exercises would; then the
# book is built and checked:
#   - the index links every run, both runs of lesson 01, and says how to run
#     a lesson that has not run;
#   - every page passes tools/book/check_pages.py in headless Chromium (no
#     console error, images decoded, maths typeset, no raw TeX, contents links
#     land, local links resolve); screenshots stay in BUILD/book-test/;
#   - planted broken pages fail, each for its own reason (a console error, an
#     image that does not decode, raw TeX, a contents link to nowhere): the
#     check can fail;
#   - every lesson.ipynb validates with nbformat, and a planted broken one
#     does not.
# Usage: tools/book_test.sh BUILD BOOK_BIN EXERCISES_LESSON_01 LESSON_BIN...
set -u
build=$1 book=$2 yours=$3
shift 3
keep="$build/book-test"
rm -rf "$keep"
mkdir -p "$keep"
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM
plots="$scratch/plots"
py=/usr/bin/python3
passed=0 failed=0

ok() { echo "[ book OK ] $1"; passed=$((passed + 1)); }
bad() { echo "[ book FAILED ] $1"; failed=$((failed + 1)); }

for b in "$@"; do
    name=$(basename "$b")
    case "$name" in 01_* | 03_* | 05_* | 09_*) ;; *) continue ;; esac
    if "$b" --fast --no-pause --out "$plots/$name" </dev/null >"$scratch/$name.log" 2>&1 &&
        [ -s "$plots/$name/index.html" ] && [ -s "$plots/$name/lesson.ipynb" ]; then
        ok "$name --fast wrote its page and notebook"
    else
        bad "$name --fast did not write index.html and lesson.ipynb; last lines:"
        tail -n 8 "$scratch/$name.log" | sed 's/^/    /'
    fi
done
name=$(basename "$yours")
if "$yours" --fast --no-pause --out "$plots/$name-exercises" </dev/null >"$scratch/x.log" 2>&1 &&
    grep -q "Code: your own" "$plots/$name-exercises/index.html"; then
    ok "$name on your code wrote its own page"
else
    bad "$name on your code (USE=exercises) wrote no page of its own; last lines:"
    tail -n 8 "$scratch/x.log" | sed 's/^/    /'
fi

if "$book" "$plots" >"$scratch/book.log" 2>&1 && grep -q "file://" "$scratch/book.log"; then
    ok "book built the site and printed its address"
else
    bad "book failed: $(cat "$scratch/book.log")"
fi
index="$plots/index.html"
why=""
for d in "$plots"/[0-9][0-9]_*/; do
    d=$(basename "$d")
    grep -q "href=\"$d/index.html\"" "$index" || why="$why no link to $d;"
done
grep -q 'href="01_environment-exercises/index.html">your code' "$index" || why="$why no link to the run on your code;"
grep -q 'href="01_environment/index.html">the course' "$index" || why="$why no link to the course's run;"
grep -q 'make lesson N=4</code>' "$index" || why="$why lesson 04 (not run) does not say how to run it;"
grep -q 'How is the generator built?' "$index" || why="$why lesson 03's questions are missing;"
if [ -z "$why" ]; then ok "the index links every run, both of lesson 01"; else bad "index:$why"; fi

# Every page in the browser; the screenshot is lesson 05's, with its maths.
pages=$(printf "%s\n" "$plots"/05_*/index.html "$index" "$plots"/[0-9][0-9]_*/index.html | awk '!seen[$0]++')
# shellcheck disable=SC2086
if timeout 600 tools/book/check_pages.py --screenshot "$keep/05_losses.png" \
        --dark "$keep/05_losses-dark.png" $pages >"$scratch/pages.log" 2>&1; then
    ok "$(grep -c 'page OK' "$scratch/pages.log") pages pass in headless Chromium (screenshots in $keep)"
else
    bad "pages in headless Chromium:"
    grep -v 'page OK' "$scratch/pages.log" | sed 's/^/    /'
fi

# Planted faults: a copy of lesson 05's page with one fault each must fail,
# naming that fault.
broken="$scratch/broken"
mkdir -p "$broken"
cp -r "$plots/book.css" "$plots/book.js" "$broken/"
[ -d "$plots/katex" ] && cp -r "$plots/katex" "$broken/"
src=$(ls -d "$plots"/05_*/ | head -n 1)
plant()  # plant NAME EXPECTED PYTHON-EDIT-OF-page(str)
{
    cp -r "$src" "$broken/$1"
    $py - "$broken/$1/index.html" "$3" <<'PY'
import sys
path, edit = sys.argv[1], sys.argv[2]
page = open(path).read()
new = eval(edit, {'page': page})
assert new != page, 'the planted fault changed nothing'
open(path, 'w').write(new)
PY
    if timeout 120 tools/book/check_pages.py "$broken/$1/index.html" >"$scratch/plant.log" 2>&1; then
        bad "planted $1 passed the browser check"
    elif grep -q "$2" "$scratch/plant.log"; then
        ok "planted $1 caught: $2"
    else
        bad "planted $1 failed for another reason: $(cat "$scratch/plant.log")"
    fi
}
plant console-error "console.error: planted" \
    "page.replace('</body>', '<script>console.error(\"planted\")</script></body>')"
plant raw-tex "raw TeX on the page" \
    "page.replace('</main>', '<p>\$\$\\\\sum_i x_i\$\$</p></main>')"
plant bad-tex "formula not typeset" \
    "page.replace('<div class=\"math\" data-plain=\"', '<div class=\"math\" data-plain=\"x\">\\\\frac{1}{</div><div data-plain=\"', 1)"
plant toc-link "contents link step-99" "page.replace('href=\"#step-2\"', 'href=\"#step-99\"', 1)"
cp -r "$src" "$broken/bad-image"
png=$(grep -o '<img src="[^"]*"' "$broken/bad-image/index.html" | head -n 1 | sed 's/<img src="//; s/"$//')
printf 'not a PNG' >"$broken/bad-image/$png"
if timeout 120 tools/book/check_pages.py "$broken/bad-image/index.html" >"$scratch/plant.log" 2>&1; then
    bad "planted bad-image passed the browser check"
elif grep -q "image not decoded: $png" "$scratch/plant.log"; then
    ok "planted bad-image caught: image not decoded"
else
    bad "planted bad-image failed for another reason: $(cat "$scratch/plant.log")"
fi

# Every notebook validates; a broken one does not.
cp "$(ls "$plots"/03_*/lesson.ipynb | head -n 1)" "$scratch/broken.ipynb"
$py - "$scratch/broken.ipynb" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1]))
code = [c for c in nb['cells'] if c['cell_type'] == 'code']
del code[0]['outputs']
json.dump(nb, open(sys.argv[1], 'w'))
PY
$py - "$scratch/broken.ipynb" "$plots"/*/lesson.ipynb >"$scratch/nb.log" 2>&1 <<'PY'
import sys
import nbformat
planted, real = sys.argv[1], sys.argv[2:]
bad = 0
for path in real:
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == 'code']
        if not code or not any(o.get('output_type') == 'display_data' for c in code for o in c.outputs):
            raise ValueError('no code cell with a figure among its outputs')
        print('valid', path, len(nb.cells), 'cells')
    except Exception as e:
        print('INVALID', path, str(e).split('\n')[0])
        bad = 1
try:
    nbformat.validate(nbformat.read(planted, as_version=4))
    print('INVALID planted notebook passed')
    bad = 1
except nbformat.ValidationError:
    print('planted notebook caught')
sys.exit(bad)
PY
if [ $? -eq 0 ]; then
    ok "$(grep -c '^valid' "$scratch/nb.log") notebooks valid for nbformat, the planted one caught"
else
    bad "notebooks:"
    sed 's/^/    /' "$scratch/nb.log"
fi

echo "book: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
