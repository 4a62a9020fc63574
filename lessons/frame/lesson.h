/* lesson.h - the frame every lesson program is built on: flags, steps,
 * explanations, code cells, outputs, figures, key figures, pauses, progress.
 *
 * A lesson is one main() that reads like a notebook:
 *
 *     static int steps = 200;                       // a lesson-specific flag
 *     static const lesson_flag flags[] = {
 *         {"steps", LESSON_INT, &steps, "training steps", 1, 1e6, NULL},
 *     };
 *     int main(int argc, char **argv) {
 *         static const lesson_info info = {1, "environment", "The environment",
 *             "What gansteps needs and what it runs on.", 42};
 *         lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
 *         lesson_step(L, "Seeding");
 *         lesson_say(L, "The same seed gives the same numbers.");
 *         lesson_code(L, "seed");                   // prints the cell below
 *         // STEP: seed    (written as a C block comment, see "Code cells")
 *         nn_rng r; nn_rng_seed(&r, L->seed, 0);
 *         lesson_print(L, "%.4f\n", nn_rng_normal(&r));
 *         // END STEP
 *         lesson_key(L, "first_normal", "%.6f", x);  // printed + summary.tsv
 *         return lesson_end(L);
 *     }
 *
 * Code cells. The Makefile embeds each lesson's own source in its binary at
 * build time (tools/embed.c, symbol `lesson_source`). A cell is the lines
 * between a line holding a C block comment "STEP: name" and the next line
 * holding "END STEP", both written as slash-star comments on lines of their
 * own; the marker lines themselves are not shown. lesson_code(L, "name")
 * prints exactly those lines (common indentation removed, lightly
 * highlighted on a colour terminal) and copies them into lesson.md as a
 * ```c block, so what the student reads is what the program runs. A cell
 * name that is not in the source is a bug in the lesson: it fails with exit 1.
 *
 * Output. Everything a step prints goes through lesson_print / lesson_key /
 * lesson_capture_*, which write to stdout and to lesson.md (inside a ``` block)
 * together. lesson_say text is wrapped to the terminal width (COLUMNS or the
 * tty's width, at most 100; 80 in a pipe).
 *
 * Files, in the output folder (--out DIR, default plots/NN_slug, or
 * plots/NN_slug-exercises on the student's code):
 *   lesson.md    the notebook of the run: titles, explanations, code cells,
 *                outputs in ``` blocks, figures inline as ![caption](file.png)
 *   summary.tsv  one "name<TAB>value" line per lesson_key call
 * Nothing is written before the first step (or the first output): a run
 * refused before it (a bad flag, an --out that cannot be written, a data
 * set that does not load, an unwritten exercise, a lesson's own check of
 * its flags between lesson_begin and its first step) leaves the folder
 * exactly as it was, and creates none. So a lesson checks its flags right
 * after lesson_begin. During the run the two files are written under
 * running names (lesson.running.md, summary.running.tsv) and renamed into
 * place by lesson_end, so the last finished run's stay whole until then. A
 * run that stops part-way (lesson_fail, q at a pause, Ctrl-C) keeps its
 * notebook apart as lesson.stopped.md and summary.stopped.tsv and says so.
 *
 * Data. A lesson with a --data flag (LESSON_STRING, NULL for the default
 * folder) has both splits of that MNIST-format set read once by
 * lesson_begin, so a missing or broken file refuses the run before it
 * writes anything; lesson_data gives its sizes, so the lesson's own checks
 * (the image size its networks read, a --batch against the images) refuse
 * the run at the same point, before its first step.
 *
 * Pauses. Before every step after the first, when stdin is a terminal and
 * --no-pause was not given, the lesson waits: Enter continues, q (or end of
 * input) quits cleanly with exit status 0 and the files closed.
 *
 * Colour only when stdout is a terminal, TERM is not "dumb" and NO_COLOR is
 * unset (https://no-color.org). Nothing in lesson.md or summary.tsv is coloured.
 *
 * Shared flags, parsed by lesson_begin for every lesson:
 *   --help  --no-pause  --fast  --seed N  --out DIR
 * plus the lesson's own table. Both "--name value" and "--name=value" work.
 * An unknown flag or a bad value prints one line naming the flag and what was
 * wrong, then "try --help", and exits with status 2.
 *
 * Exit statuses: 0 done (or quit at a pause), 2 bad input (flag, data file),
 * 1 an internal failure; Ctrl-C (SIGINT), SIGTERM and SIGHUP end the run by
 * that signal (130 for Ctrl-C in a shell) once its notebook is kept apart.
 */
#ifndef GANSTEPS_LESSON_H
#define GANSTEPS_LESSON_H

#include <stdint.h>
#include <stdio.h>
#include "base/common.h"
#include "viz/plot.h"

#if defined(__GNUC__)
#define LESSON_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define LESSON_NORETURN __attribute__((noreturn))
#else
#define LESSON_PRINTF(f, a)
#define LESSON_NORETURN
#endif

enum { LESSON_EXIT_INTERNAL = 1, LESSON_EXIT_INPUT = 2 };

/* ------------------------------------------------------------------ flags */

typedef enum {
    LESSON_INT,     /* value: int *    "--steps 200"; checked against [min, max] */
    LESSON_FLOAT,   /* value: float *  "--lr 2e-4"; finite, checked against [min, max] */
    LESSON_STRING,  /* value: const char ** (points into argv) "--data DIR" */
    LESSON_CHOICE,  /* value: const char ** set to the matching entry of choices */
    LESSON_SWITCH   /* value: int *    "--verbose" sets it to 1, takes no value */
} lesson_flag_type;

/* One lesson-specific flag. The value pointer holds the default before
 * lesson_begin and the parsed value after it; --help shows the default. A
 * number whose default lies below its range is left for the lesson to
 * choose (its help text says how), and --help shows no default for it. */
typedef struct {
    const char *name;       /* without the dashes: "lr" is given as --lr */
    lesson_flag_type type;
    void *value;            /* see lesson_flag_type for the pointed-to type */
    const char *help;       /* one short line for --help */
    double min, max;        /* INT/FLOAT: allowed range, inclusive; min >= max: any */
    const char *choices;    /* CHOICE: the allowed words, "|"-separated: "minimax|nonsat" */
} lesson_flag;

#define LESSON_NFLAGS(table) ((int)(sizeof(table) / sizeof((table)[0])))

/* ------------------------------------------------------------------ the lesson */

/* What a lesson is, given once to lesson_begin. */
typedef struct {
    int number;             /* 1..99: the NN of lessons/NN_slug.c */
    const char *slug;       /* "environment": default output is plots/NN_slug */
    const char *title;      /* "The environment" */
    const char *about;      /* one or two sentences for --help and the top of lesson.md */
    uint64_t default_seed;  /* --seed when not given */
} lesson_info;

struct lesson_state;        /* private to the frame (lesson_state.h) */

/* The running lesson. Lessons read these fields; only the frame writes them. */
typedef struct {
    const lesson_info *info;
    int fast;               /* --fast: a small, quick run (smoke tests) */
    int pause;              /* 1 when pausing between steps (tty, no --no-pause) */
    int color;              /* 1 when stdout gets ANSI colours */
    int tty;                /* 1 when stdout is a terminal */
    uint64_t seed;          /* --seed, or info->default_seed */
    const char *out;        /* output folder; it exists from the first step on */
    struct lesson_state *st;
} lesson;

/* Parses argv (shared flags + flags[0..nflags)), checks that the output
 * folder can be written and that the data set loads (see Files and Data),
 * on the student's code probes the lesson's exercises, and prints the
 * lesson's header; it writes no file. --help prints the usage and exits 0;
 * a bad flag or input exits 2 (see above). Never returns NULL. */
lesson *lesson_begin(int argc, char **argv, const lesson_info *info, const lesson_flag *flags,
                     int nflags);

/* The shape of one split of the --data set lesson_begin read (see Data):
 * what a lesson checks its flags and networks against right after
 * lesson_begin, before its first step writes anything. */
typedef struct {
    int n;                  /* images in the split */
    int c, h, w;            /* one image */
    int per_class[10];      /* images of each label */
} lesson_data_shape;

/* The shape of split 0 (training) or 1 (test) of the lesson's --data set;
 * all zero in a lesson without a --data flag. */
const lesson_data_shape *lesson_data(const lesson *L, int test_split);

/* Closes the files, renames them into place (see Files), prints where they
 * are, frees the lesson. Returns 0, so a lesson's main ends with
 * `return lesson_end(L);`. */
int lesson_end(lesson *L);

/* ------------------------------------------------------------------ steps and text */

/* Starts a step: pauses first (see Pauses) unless it is the first one, then
 * prints "Step k  title" and writes "## k. title" to lesson.md. */
void lesson_step(lesson *L, const char *title);

/* Explanation text, printf-style, wrapped to the terminal width. Paragraphs
 * are separated by a blank line ("\n\n"); a line starting with "- " is a
 * bullet; a line starting with two spaces is kept verbatim (formulas). */
void lesson_say(lesson *L, const char *fmt, ...) LESSON_PRINTF(2, 3);

/* A formula in two forms, given once: TeX for the course book's page (KaTeX
 * typesets it) and a plain line for the terminal and lesson.md. On a line of
 * its own; plain is printf-formatted (TeX is not: write a number into the
 * plain form only, or use LESSON_MATH inside a lesson_say text, which formats
 * both):
 *     lesson_formula(L, "D^*(x) = \\frac{p(x)}{p(x) + q(x)}", "D*(x) = p(x) / (p(x) + q(x))");
 * LESSON_MATH(tex, plain) is the same formula as a line of lesson_say text:
 *     lesson_say(L, "The value function:\n\n"
 *                   LESSON_MATH("V(D, G) = \\log 4", "V(D, G) = log 4") "\n\n"
 *                   "More prose.");  */
#define LESSON_MATH(tex, plain) "  \x01" tex "\x02" plain
void lesson_formula(lesson *L, const char *tex, const char *plain, ...) LESSON_PRINTF(3, 4);

/* Shows the code cell `name` (see "Code cells"). */
void lesson_code(lesson *L, const char *name);

/* ------------------------------------------------------------------ outputs */

/* Output of the code, printf-style: stdout and lesson.md (a ``` block).
 * Text is shown as is: use it for numbers, tables and terminal plots. */
void lesson_print(lesson *L, const char *fmt, ...) LESSON_PRINTF(2, 3);

/* A key figure: prints "name = value" as an output line and appends
 * "name<TAB>value" to summary.tsv. value is printf-formatted: ("d_loss_end",
 * "%.4f", x). Names are lower_snake_case, values have no tabs or newlines. */
void lesson_key(lesson *L, const char *name, const char *fmt, ...) LESSON_PRINTF(3, 4);

/* Same, but only to summary.tsv (for figures already shown another way). */
void lesson_key_quiet(lesson *L, const char *name, const char *fmt, ...) LESSON_PRINTF(3, 4);

/* For library functions that write to a FILE * (terminal plots, image
 * previews, tables): lesson_capture_begin returns a stream to pass them;
 * lesson_capture_end prints what was written as output (stdout and
 * lesson.md) and closes the stream. One capture at a time. When the stream
 * cannot be made it returns stdout (then the text skips lesson.md). */
FILE *lesson_capture_begin(lesson *L);
void lesson_capture_end(lesson *L);

/* The path of a file in the output folder: out/name, in a buffer owned by
 * the lesson that stays valid until the next lesson_path call (copy it to keep
 * it). Fails the lesson (exit 1) if it does not fit. */
const char *lesson_path(lesson *L, const char *name);

/* Registers a figure the lesson wrote in its output folder (name relative to
 * it, "losses.png"): prints "figure: out/losses.png  caption" and shows it
 * inline in lesson.md. A missing file is noted in both instead (gnuplot may
 * be absent), not an error: the .dat/.gp beside it still hold the data. */
void lesson_figure(lesson *L, const char *name, const char *caption);

/* Shows a figure the plot library has just written through p: fails the
 * lesson on a non-OK status s (err's message), prints gnuplot's warning if
 * there is one, and registers p->name + ".png" with lesson_figure. The one
 * call every lesson makes after nn_plot_*. */
void lesson_plot_shown(lesson *L, const nn_plot *p, nn_status s, const nn_error *err,
                       const char *caption);

/* ------------------------------------------------------------------ progress */

/* A progress line for a loop that may run more than a few seconds:
 *     lesson_progress p; lesson_progress_start(L, &p, "training", steps);
 *     for (...) { ...; lesson_progress_tick(&p, i + 1, "d_loss %.3f", dl); }
 *     lesson_progress_done(&p);
 * Nothing is shown during the first 2 s. After that, on a terminal one line
 * is redrawn with \r about 5 times a second; in a pipe a line is printed
 * every 10 s. Shows done/total, steps/s, time left and the caller's note.
 * Progress lines go to stdout only, never to lesson.md. */
typedef struct {
    lesson *L;
    const char *label;
    long total;             /* steps expected; <= 0 when unknown */
    long done;
    double t0, last;        /* seconds (monotonic) at start and last display */
    int drawn;              /* a \r line is on screen and needs a newline */
} lesson_progress;

void lesson_progress_start(lesson *L, lesson_progress *p, const char *label, long total);
/* note may be NULL; printf-style otherwise, formatted only when displayed. */
void lesson_progress_tick(lesson_progress *p, long done, const char *note, ...)
    LESSON_PRINTF(3, 4);
/* Ends the line; if the loop took more than 2 s prints its wall time and rate. */
void lesson_progress_done(lesson_progress *p);

/* Seconds on a monotonic clock, for wall times (wall_s, steps_per_s). */
double lesson_seconds(void);

/* ------------------------------------------------------------------ failing */

/* Stops the lesson cleanly: one line "NN_slug: message" to stderr (and a note
 * in lesson.md), files closed, exit with status (LESSON_EXIT_INPUT for bad
 * input or data, LESSON_EXIT_INTERNAL otherwise). */
LESSON_NORETURN void lesson_fail(lesson *L, int status, const char *fmt, ...) LESSON_PRINTF(3, 4);

/* If s is not NN_OK, fails with err's message: exit 2 for io/format/arg/shape
 * (the input was wrong), 1 for nomem/numeric. err may be NULL. Returns when OK. */
void lesson_check(lesson *L, nn_status s, const nn_error *err);

/* The thread count of the matrix products for a lesson's --threads flag:
 * threads > 0 as asked; 0 keeps GANSTEPS_THREADS when it is set, else 2
 * (both cores of the 2-core course machine). */
void lesson_use_threads(int threads);

/* n zeroed values of size bytes each (nn_alloc; free with nn_free), or the
 * lesson stops with "out of memory" (exit 1): a lesson has nothing to fall
 * back on. */
void *lesson_alloc(lesson *L, size_t n, size_t size);

/* Embedded at build time by the Makefile (tools/embed.c): this lesson's own
 * source, NUL-terminated. */
extern const char lesson_source[];

#endif
