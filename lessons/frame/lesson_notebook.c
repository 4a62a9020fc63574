/* lesson_notebook.c - what goes into the files of a run: lesson.md (titles,
 * text, code cells, outputs in ``` blocks, figures) and summary.tsv (the key
 * figures), plus captured output, figure registration and the paths of files
 * in the folder. Where the files are and when they are opened, renamed or kept
 * apart is lesson_outputs.c's job.
 */
#include "lesson_state.h"
#include "exercise_probe.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void lesson_notebook_describe_run(lesson *L)
{
    struct lesson_state *s = L->st;
    int yours = s->yours;
    fprintf(s->md, "Run: `%s", s->name);
    for (int i = 1; i < s->argc; i++)
        fprintf(s->md, " %s", s->argv[i]);
    fprintf(s->md, "` (seed %llu%s). Files: `%s/`.\n\n", (unsigned long long)L->seed,
            L->fast ? ", fast" : "", s->out);
    /* Which code ran: the course's answers, or the student's exercises. */
    fprintf(s->md, "Code: %s.\n\n", yours ? "your own, from `exercises/` (USE=exercises)"
                                           : "the course's answers, from `solutions/`");
    fprintf(s->tsv, "code\t%s\n", lesson_code_source);
    fflush(s->md);
}

void lesson_notebook_text_mode(lesson *L)
{
    struct lesson_state *s = L->st;
    lesson_notebook_ready(L);
    if (!s->md_in_output)
        return;
    fprintf(s->md, "%s```\n\n", s->md_bol ? "" : "\n");
    s->md_in_output = 0;
    s->md_bol = 1;
}

/* Output text: to stdout as is and into lesson.md's current ``` block. */
void lesson_notebook_output(lesson *L, const char *text)
{
    struct lesson_state *s = L->st;
    if (!*text)
        return;
    lesson_notebook_ready(L);
    fputs(text, stdout);
    s->after_output = 1;
    if (!s->md_in_output) {
        fputs("```\n", s->md);
        s->md_in_output = 1;
    }
    /* ANSI escapes (coloured previews) mean nothing in Markdown: drop them. */
    for (const char *p = text; *p; p++) {
        if (*p == '\033' && p[1] == '[') {
            p += 2;
            while (*p && !isalpha((unsigned char)*p))
                p++;
            if (!*p)
                break;
            continue;
        }
        if (*p == '\r')
            continue;
        fputc(*p, s->md);
    }
    s->md_bol = text[strlen(text) - 1] == '\n';
    fflush(s->md);
}

/* Closes both files; safe to call twice. */
void lesson_notebook_close(lesson *L)
{
    struct lesson_state *s = L->st;
    if (s->cap) {
        fclose(s->cap);
        s->cap = NULL;
        free(s->capbuf);
        s->capbuf = NULL;
    }
    if (s->md) {
        lesson_notebook_text_mode(L);
        fclose(s->md);
        s->md = NULL;
    }
    if (s->tsv) {
        fclose(s->tsv);
        s->tsv = NULL;
    }
    fflush(stdout);
}

/* Appends name<TAB>value to summary.tsv; returns the value text (heap). */
static char *record_key(lesson *L, const char *name, const char *fmt, va_list ap)
{
    char *v = lesson_text_format(fmt, ap);
    if (!v)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting %s", name);
    lesson_notebook_ready(L);
    for (char *c = v; *c; c++)
        if (*c == '\t' || *c == '\n' || *c == '\r')
            *c = ' '; /* one record per line, two fields: keep the file parseable */
    fprintf(L->st->tsv, "%s\t%s\n", name, v);
    fflush(L->st->tsv);
    return v;
}

void lesson_key(lesson *L, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *v = record_key(L, name, fmt, ap);
    va_end(ap);
    lesson_print(L, "%s = %s\n", name, v);
    free(v);
}

void lesson_key_quiet(lesson *L, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(record_key(L, name, fmt, ap));
    va_end(ap);
}

FILE *lesson_capture_begin(lesson *L)
{
    struct lesson_state *s = L->st;
    if (s->cap)
        lesson_capture_end(L); /* one at a time: finish the previous one */
    s->cap = open_memstream(&s->capbuf, &s->caplen);
    return s->cap ? s->cap : stdout;
}

void lesson_capture_end(lesson *L)
{
    struct lesson_state *s = L->st;
    if (!s->cap)
        return;
    fclose(s->cap);
    s->cap = NULL;
    if (s->capbuf)
        lesson_notebook_output(L, s->capbuf);
    free(s->capbuf);
    s->capbuf = NULL;
    s->caplen = 0;
    fflush(stdout);
}

const char *lesson_path(lesson *L, const char *name)
{
    struct lesson_state *s = L->st;
    int n = snprintf(s->path, sizeof s->path, "%s/%s", s->out, name);
    if (n < 0 || (size_t)n >= sizeof s->path)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "path %s/%s is too long", s->out, name);
    return s->path;
}

void lesson_figure(lesson *L, const char *name, const char *caption)
{
    struct lesson_state *s = L->st;
    struct stat sb;
    const char *path = lesson_path(L, name);
    int ok = stat(path, &sb) == 0 && sb.st_size > 0;
    lesson_notebook_text_mode(L);
    s->after_output = 1;
    if (ok) {
        printf("%sfigure: %s%s  %s\n", L->color ? C_BOLD : "", path, L->color ? C_RESET : "",
               caption);
        fprintf(s->md, "![%s](%s)\n\n", caption, name);
    } else {
        printf("figure: %s was not rendered (is gnuplot installed? `make deps`); its data "
               "is in the .dat/.gp files beside it\n",
               path);
        fprintf(s->md, "_Figure %s (%s) was not rendered; its data is in the .dat/.gp files._\n\n",
                name, caption);
    }
    fflush(s->md);
}

void lesson_plot_shown(lesson *L, const nn_plot *p, nn_status s, const nn_error *err,
                       const char *caption)
{
    lesson_check(L, s, err);
    if (p->warning[0]) lesson_print(L, "note: %s\n", p->warning);
    char png[256];
    snprintf(png, sizeof png, "%s.png", p->name);
    lesson_figure(L, png, caption);
}
