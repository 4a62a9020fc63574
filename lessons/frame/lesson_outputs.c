/* lesson_outputs.c - the life of a run's output folder, so that a run never
 * spoils the last finished one:
 *   - before anything is written, lesson_outputs_check says whether the
 *     folder can be made and written, without making it;
 *   - the first write of the notebook creates the folder and opens lesson.md
 *     and summary.tsv under running names (lesson.running.md,
 *     summary.running.tsv) beside the finished run's files;
 *   - a run that ends (lesson_end) renames them into place in
 *     lesson_finish_outputs: the previous lesson.md and summary.tsv stay whole
 *     until the new ones are complete;
 *   - a run that stops part-way (lesson_fail, q at a pause, Ctrl-C, any exit)
 *     keeps its notebook apart as lesson.stopped.md and summary.stopped.tsv,
 *     and says so in one line.
 */
#include "lesson_state.h"
#include "exercise_probe.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The run in flight, for the exit and Ctrl-C handlers, which get no lesson
 * to follow: the files' running and stopped names, and the line that says
 * where the stopped notebook went, prepared in advance so the signal
 * handler only calls rename and write. One lesson runs per process. */
static struct {
    volatile sig_atomic_t live; /* files exist under running names, not yet renamed */
    char md_run[1100], md_stop[1100], tsv_run[1100], tsv_stop[1100];
    char line[3400];
} in_flight;

/* ------------------------------------------------------------------ before any write */

/* The nearest existing folder on the way up from path (path itself, or a
 * prefix of it) into buf; 0 when one is found that is a folder, -1 when the
 * nearest existing entry is a file (its name left in buf). */
static int nearest_folder(const char *path, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", path);
    for (;;) {
        struct stat sb;
        if (stat(buf, &sb) == 0)
            return S_ISDIR(sb.st_mode) ? 0 : -1;
        char *slash = strrchr(buf, '/');
        while (slash && slash > buf && slash[1] == '\0') { /* "a/b/" -> "a/b" */
            *slash = '\0';
            slash = strrchr(buf, '/');
        }
        if (!slash) {
            snprintf(buf, cap, ".");
            continue;
        }
        if (slash == buf) {
            snprintf(buf, cap, "/");
            continue;
        }
        *slash = '\0';
    }
}

void lesson_outputs_check(lesson *L)
{
    struct lesson_state *s = L->st;
    char near[1024];
    if (nearest_folder(s->out, near, sizeof near) != 0)
        lesson_flags_error(s->name, "--out: cannot create folder %s: %s is a file, not a folder",
                           s->out, near);
    if (access(near, W_OK | X_OK) != 0)
        lesson_flags_error(s->name, "--out: cannot %s %s: %s is not writable (%s)",
                           strcmp(near, s->out) ? "create folder" : "write in", s->out, near,
                           strerror(errno));
    const char *names[] = {"lesson.running.md", "summary.running.tsv", "lesson.stopped.md",
                           "summary.stopped.tsv"};
    char *dst[] = {in_flight.md_run, in_flight.tsv_run, in_flight.md_stop, in_flight.tsv_stop};
    for (int i = 0; i < 4; i++)
        if ((size_t)snprintf(dst[i], sizeof in_flight.md_run, "%s/%s", s->out, names[i]) >=
            sizeof in_flight.md_run)
            lesson_flags_error(s->name, "--out: the folder name is too long");
    snprintf(in_flight.line, sizeof in_flight.line,
             "This run stopped part-way: its notebook is %s/lesson.stopped.md (key figures: "
             "summary.stopped.tsv); %s/lesson.md is still the last finished run's.\n",
             s->out, s->out);
}

/* ------------------------------------------------------------------ stopping */

/* Any exit while the files have running names: they become the stopped
 * run's, and the reader is told where. exit() runs this before it flushes
 * the streams, which then land in the renamed files. */
static void keep_stopped_notebook(void)
{
    if (!in_flight.live)
        return;
    in_flight.live = 0;
    rename(in_flight.md_run, in_flight.md_stop);
    rename(in_flight.tsv_run, in_flight.tsv_stop);
    fflush(stdout);
    fputs(in_flight.line, stdout);
    fflush(stdout);
}

/* Ctrl-C (and kill): the same, with calls safe in a signal handler, then
 * the default action, so the caller sees the run was interrupted. */
static void on_signal(int sig)
{
    if (in_flight.live) {
        in_flight.live = 0;
        rename(in_flight.md_run, in_flight.md_stop);
        rename(in_flight.tsv_run, in_flight.tsv_stop);
        ssize_t w = write(STDOUT_FILENO, "\n", 1);
        w = write(STDOUT_FILENO, in_flight.line, strlen(in_flight.line));
        (void)w;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ------------------------------------------------------------------ the first write */

/* mkdir -p: each prefix of path that is missing is created. */
static int make_dirs(const char *path)
{
    char buf[1024];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            buf[i] = c;
        }
    }
    struct stat sb;
    return (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) ? 0 : -1;
}

void lesson_notebook_ready(lesson *L)
{
    struct lesson_state *s = L->st;
    if (s->md)
        return;
    if (make_dirs(s->out) != 0)
        lesson_fail(L, LESSON_EXIT_INPUT, "--out: cannot create folder %s: %s", s->out,
                    strerror(errno));
    static int handlers;
    if (!handlers) {
        handlers = 1;
        atexit(keep_stopped_notebook);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGHUP, on_signal);
    }
    s->md = fopen(in_flight.md_run, "w");
    s->tsv = s->md ? fopen(in_flight.tsv_run, "w") : NULL;
    if (!s->tsv) {
        int e = errno;
        if (s->md) {
            fclose(s->md);
            s->md = NULL;
            remove(in_flight.md_run);
        }
        lesson_fail(L, LESSON_EXIT_INPUT, "--out: cannot write in %s: %s", s->out, strerror(e));
    }
    in_flight.live = 1;
    s->md_bol = 1;
    fprintf(s->md, "# Lesson %02d: %s\n\n%s\n\n", L->info->number, L->info->title,
            L->info->about);
    lesson_notebook_describe_run(L);
}

/* ------------------------------------------------------------------ the end */

void lesson_finish_outputs(lesson *L)
{
    struct lesson_state *s = L->st;
    lesson_notebook_ready(L); /* a run that wrote nothing still leaves its notebook */
    lesson_notebook_close(L);
    char md[1100], tsv[1100];
    snprintf(md, sizeof md, "%s/lesson.md", s->out);
    snprintf(tsv, sizeof tsv, "%s/summary.tsv", s->out);
    if (rename(in_flight.md_run, md) != 0 || rename(in_flight.tsv_run, tsv) != 0)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "cannot rename the notebook into %s: %s", md,
                    strerror(errno));
    in_flight.live = 0;
    /* A stopped run's notebook from before is older than this one: it goes. */
    remove(in_flight.md_stop);
    remove(in_flight.tsv_stop);
    printf("\n%sNotebook of this run: %s; key figures: %s%s\n", L->color ? C_DIM : "", md, tsv,
           L->color ? C_RESET : "");
    fflush(stdout);
}
