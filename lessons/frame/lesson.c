/* lesson.c - a lesson's lifetime: lesson_begin sets it up (flags, the
 * checks that refuse a run before it writes anything, header), steps follow with their pauses, long loops show progress,
 * and it ends in lesson_end or in lesson_fail. See lesson.h for the
 * contract; lesson_state.h lists the frame's other files.
 */
#include "lesson_state.h"
#include "exercise_probe.h"
#include "nn.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* ------------------------------------------------------------------ begin / end */

void lesson_destroy(lesson *L)
{
    free(L->st);
    free(L);
}

/* On the student's own code (USE=exercises): every exercise this lesson
 * calls must answer a hand-worked case first, or the lesson stops here,
 * before it writes or trains anything. */
static void stop_unless_exercises_answer(const lesson *L)
{
    char why[256];
    int n = lesson_exercise_probe(lesson_exercises_needed(L->info->number), why, sizeof why);
    if (n) {
        fprintf(stderr,
                "%s: this run uses your code (USE=exercises), and exercise %d (%s in %s) "
                "is not written yet or answers wrong: %s. Finish it first: make check "
                "EX=%d, make hint EX=%d.\n",
                L->st->name, n, lesson_exercise_function(n), lesson_exercise_file(n), why, n, n);
        exit(LESSON_EXIT_INPUT);
    }
}

/* A lesson that reads a data set (its --data flag) reads both splits once
 * here, before anything is written, with the loader its steps use: a
 * missing folder or a broken file stops the run with one line and leaves
 * the last run's files as they were, instead of stopping it in the step
 * that first needs the images. */
static void stop_unless_data_loads(lesson *L, const lesson_flag *flags, int nflags)
{
    for (int i = 0; i < nflags; i++) {
        if (strcmp(flags[i].name, "data") != 0 || flags[i].type != LESSON_STRING)
            continue;
        const char *dir = *(const char *const *)flags[i].value;
        for (int k = 0; k < 2; k++) {
            nn_dataset ds;
            nn_error err = {0};
            nn_status s = nn_dataset_load_mnist(&ds, dir, k ? NN_SPLIT_TEST : NN_SPLIT_TRAIN, &err);
            if (s != NN_OK) {
                fprintf(stderr, "%s: %s\n", L->st->name, err.msg[0] ? err.msg : nn_status_name(s));
                exit(s == NN_ERR_NOMEM || s == NN_ERR_NUMERIC ? LESSON_EXIT_INTERNAL
                                                              : LESSON_EXIT_INPUT);
            }
            /* Kept: the lesson checks its flags against these sizes
             * before its first step (lesson_data). */
            lesson_data_shape *shape = &L->st->data[k];
            *shape = (lesson_data_shape){.n = ds.n, .c = ds.c, .h = ds.h, .w = ds.w};
            for (int j = 0; j < ds.n; j++)
                if (ds.labels[j] < 10) shape->per_class[ds.labels[j]]++;
            nn_dataset_free(&ds);
        }
    }
}

/* The header on screen: the title, what the lesson is about, the seed and
 * where the output goes (lesson.md gets the same at its first write). */
static void print_header(lesson *L)
{
    const lesson_info *info = L->info;
    if (L->color)
        printf(C_BOLD "Lesson %02d: %s" C_RESET "\n", info->number, info->title);
    else
        printf("Lesson %02d: %s\n", info->number, info->title);
    lesson_text_wrap_screen(L, info->about);
    printf("%s(seed %llu%s, %s, output in %s/%s)%s\n", L->color ? C_DIM : "",
           (unsigned long long)L->seed, L->fast ? ", fast run" : "",
           L->st->yours ? "on your code from exercises/" : "on the course's solutions/", L->out,
           L->pause ? "; Enter continues, q quits" : "", L->color ? C_RESET : "");
    fflush(stdout);
}

/* Everything a run is refused for is found here, before its first write:
 * the flags, the student's exercises, the output folder, the data set. A
 * lesson's own checks of its flags follow lesson_begin and come before its
 * first step, which is the first write (see lesson.h). */
lesson *lesson_begin(int argc, char **argv, const lesson_info *info, const lesson_flag *flags,
                     int nflags)
{
    lesson *L = calloc(1, sizeof *L);
    struct lesson_state *s = L ? calloc(1, sizeof *s) : NULL;
    if (!s) {
        fprintf(stderr, "lesson: out of memory\n");
        exit(LESSON_EXIT_INTERNAL);
    }
    L->st = s;
    L->info = info;
    L->seed = info->default_seed;
    s->argc = argc;
    s->argv = argv;
    s->yours = strcmp(lesson_code_source, "exercises") == 0;
    snprintf(s->name, sizeof s->name, "%02d_%s", info->number, info->slug);
    /* A run on the student's code gets its own folder: it never overwrites
     * the course's run. */
    snprintf(s->out, sizeof s->out, "plots/%s%s", s->name, s->yours ? "-exercises" : "");
    L->out = s->out;

    const char *out = NULL;
    lesson_flags_parse(L, argc, argv, flags, nflags, s->out, &out);
    if (out && (size_t)snprintf(s->out, sizeof s->out, "%s", out) >= sizeof s->out)
        lesson_flags_error(s->name, "--out: the folder name is longer than %zu characters",
                           sizeof s->out - 1);
    if (s->yours)
        stop_unless_exercises_answer(L);
    lesson_outputs_check(L);
    stop_unless_data_loads(L, flags, nflags);

    lesson_text_setup(L);
    print_header(L);
    return L;
}

const lesson_data_shape *lesson_data(const lesson *L, int test_split)
{
    return &L->st->data[test_split ? 1 : 0];
}

int lesson_end(lesson *L)
{
    /* The run's peak resident memory (Linux reports kilobytes): what a
     * student's machine must have free for this lesson. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        lesson_key(L, "peak_rss_mb", "%.1f", (double)ru.ru_maxrss / 1024.0);
    lesson_finish_outputs(L);
    lesson_book_write(L); /* the page is made from the lesson.md now in place */
    lesson_destroy(L);
    return 0;
}

/* ------------------------------------------------------------------ steps and pauses */

/* Waits for Enter; q or end of input quits the lesson with status 0. */
static void pause_here(lesson *L)
{
    printf("%s[Enter] continue, q quit %s", L->color ? C_DIM : "", L->color ? C_RESET : "");
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin) || line[0] == 'q' || line[0] == 'Q') {
        printf("\nStopped at step %d.\n", L->st->nstep);
        lesson_notebook_text_mode(L);
        fprintf(L->st->md, "_Stopped by the reader after step %d._\n", L->st->nstep);
        lesson_notebook_close(L);
        lesson_destroy(L);
        exit(0);
    }
    /* Drain a line longer than the buffer so it does not answer the next pause. */
    while (!strchr(line, '\n') && fgets(line, sizeof line, stdin))
        ;
}

void lesson_step(lesson *L, const char *title)
{
    struct lesson_state *s = L->st;
    if (s->nstep > 0 && L->pause)
        pause_here(L);
    s->nstep++;
    char head[256];
    int n = snprintf(head, sizeof head, "-- Step %d: %s ", s->nstep, title);
    printf("\n%s%s", L->color ? C_TITLE : "", head);
    for (int i = n; i < s->width; i++)
        putchar('-');
    printf("%s\n", L->color ? C_RESET : "");
    s->after_output = 0;
    lesson_notebook_text_mode(L);
    fprintf(s->md, "## %d. %s\n\n", s->nstep, title);
    fflush(s->md);
}

/* ------------------------------------------------------------------ progress */

double lesson_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void lesson_progress_start(lesson *L, lesson_progress *p, const char *label, long total)
{
    p->L = L;
    p->label = label;
    p->total = total;
    p->done = 0;
    p->t0 = p->last = lesson_seconds();
    p->drawn = 0;
}

static void fmt_time(char *buf, size_t cap, double sec)
{
    long t = (long)(sec + 0.5);
    if (t >= 3600)
        snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

void lesson_progress_tick(lesson_progress *p, long done, const char *note, ...)
{
    p->done = done;
    double now = lesson_seconds(), el = now - p->t0;
    if (el < 2.0)
        return; /* short loops stay quiet */
    if (now - p->last < (p->L->tty ? 0.2 : 10.0))
        return;
    p->last = now;
    double rate = (double)done / el;
    char left[32] = "", tbuf[24], extra[160] = "";
    if (p->total > 0 && rate > 0) {
        fmt_time(tbuf, sizeof tbuf, (double)(p->total - done) / rate);
        snprintf(left, sizeof left, ", %s left", tbuf);
    }
    if (note) {
        va_list ap;
        va_start(ap, note);
        extra[0] = ' ';
        extra[1] = ' ';
        vsnprintf(extra + 2, sizeof extra - 2, note, ap);
        va_end(ap);
    }
    char totbuf[32] = "";
    if (p->total > 0)
        snprintf(totbuf, sizeof totbuf, "/%ld", p->total);
    if (p->L->tty) {
        printf("\r  %s %ld%s  %.1f/s%s%s\033[K", p->label, done, totbuf, rate, left, extra);
        p->drawn = 1;
    } else {
        printf("  %s %ld%s  %.1f/s%s%s\n", p->label, done, totbuf, rate, left, extra);
    }
    fflush(stdout);
}

void lesson_progress_done(lesson_progress *p)
{
    double el = lesson_seconds() - p->t0;
    if (p->drawn)
        printf("\r\033[K");
    if (el >= 2.0) {
        char tbuf[24];
        fmt_time(tbuf, sizeof tbuf, el);
        printf("  %s: %ld steps in %s (%.1f/s)\n", p->label, p->done, tbuf,
               el > 0 ? (double)p->done / el : 0.0);
    }
    p->drawn = 0;
    fflush(stdout);
}

/* ------------------------------------------------------------------ failing */

void lesson_fail(lesson *L, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", L->st->name, msg);
    if (L->st->md) {
        lesson_notebook_text_mode(L);
        fprintf(L->st->md, "**Stopped:** %s\n", msg);
    }
    lesson_notebook_close(L);
    lesson_destroy(L);
    exit(status == LESSON_EXIT_INPUT ? LESSON_EXIT_INPUT : LESSON_EXIT_INTERNAL);
}

void lesson_check(lesson *L, nn_status s, const nn_error *err)
{
    if (s == NN_OK)
        return;
    int input = s == NN_ERR_IO || s == NN_ERR_FORMAT || s == NN_ERR_ARG || s == NN_ERR_SHAPE;
    lesson_fail(L, input ? LESSON_EXIT_INPUT : LESSON_EXIT_INTERNAL, "%s",
                err && err->msg[0] ? err->msg : nn_status_name(s));
}

void lesson_use_threads(int threads)
{
    if (threads == 0 && !getenv("GANSTEPS_THREADS")) threads = 2;
    if (threads > 0) nn_set_threads(threads);
}

void *lesson_alloc(lesson *L, size_t n, size_t size)
{
    void *p = nn_alloc(n, size);
    if (!p)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %zu values of %zu bytes", n, size);
    return p;
}
