/* lesson_text.c - the text on screen: whether it is coloured, how wide it
 * wraps, and the two ways a lesson writes: lesson_say (prose, wrapped, as
 * Markdown paragraphs in lesson.md) and lesson_print (output, as is).
 */
#include "lesson_state.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DEFAULT_WIDTH 80
#define MAX_WIDTH 100

char *lesson_text_format(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static int terminal_width(int tty)
{
    const char *env = getenv("COLUMNS");
    int w = env ? atoi(env) : 0;
    if (w <= 0 && tty) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
            w = ws.ws_col;
    }
    if (w <= 0)
        w = DEFAULT_WIDTH;
    if (w > MAX_WIDTH)
        w = MAX_WIDTH; /* long lines are hard to read even on wide screens */
    return w < 40 ? 40 : w;
}

void lesson_text_setup(lesson *L)
{
    L->tty = isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    L->color = L->tty && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
    L->st->width = terminal_width(L->tty);
}

/* Prints words of text[0..n) wrapped at width, the first line after `first`
 * and the others after `indent` spaces. */
static void wrap(const char *text, size_t n, int width, const char *first, int indent)
{
    int col = (int)strlen(first);
    fputs(first, stdout);
    size_t i = 0;
    int fresh = 1; /* nothing on this line yet after the lead */
    while (i < n) {
        while (i < n && isspace((unsigned char)text[i]))
            i++;
        size_t j = i;
        while (j < n && !isspace((unsigned char)text[j]))
            j++;
        if (j == i)
            break;
        int len = (int)(j - i);
        if (!fresh && col + 1 + len > width) {
            printf("\n%*s", indent, "");
            col = indent;
            fresh = 1;
        }
        if (!fresh) {
            putchar(' ');
            col++;
        }
        fwrite(text + i, 1, (size_t)len, stdout);
        col += len;
        fresh = 0;
        i = j;
    }
    putchar('\n');
}

void lesson_text_wrap_screen(lesson *L, const char *text)
{
    wrap(text, strlen(text), L->st->width, "", 0);
}

/* 1 when the len characters at p are all white space. */
static int blank_line(const char *p, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (!isspace((unsigned char)p[k]))
            return 0;
    return 1;
}


void lesson_say(lesson *L, const char *fmt, ...)
{
    struct lesson_state *s = L->st;
    va_list ap;
    va_start(ap, fmt);
    char *text = lesson_text_format(fmt, ap);
    va_end(ap);
    if (!text)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting text");
    lesson_notebook_text_mode(L);
    if (s->after_output)
        putchar('\n'); /* set text apart from the output above it */
    s->after_output = 0;

    /* Walk the lines: gather a paragraph or a bullet until a line that starts
     * something else, then print it wrapped. Verbatim lines print as they are
     * (in lesson.md inside a ``` block so Markdown keeps their spacing). */
    const char *p = text;
    int in_verbatim = 0, prev_bullet = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        int blank = blank_line(p, len);
        int verbatim = !blank && len >= 2 && p[0] == ' ' && p[1] == ' ';
        if (in_verbatim && !verbatim) {
            fputs("```\n\n", s->md);
            in_verbatim = 0;
        }
        if (blank || verbatim) {
            if (prev_bullet)
                fputc('\n', s->md);
            prev_bullet = 0;
        }
        if (blank) {
            putchar('\n');
            p += len + (eol != NULL);
            continue;
        }
        if (verbatim && lesson_formula_line(L, p, len, &in_verbatim)) {
            p += len + (eol != NULL);
            continue;
        }
        if (verbatim) {
            if (!in_verbatim)
                fputs("```\n", s->md);
            in_verbatim = 1;
            printf("%.*s\n", (int)len, p);
            fprintf(s->md, "%.*s\n", (int)len, p);
            p += len + (eol != NULL);
            continue;
        }
        /* A paragraph or bullet runs on over following plain lines. */
        int bullet = len >= 2 && p[0] == '-' && p[1] == ' ';
        const char *start = p, *q = p + len + (eol != NULL);
        while (*q) {
            const char *e2 = strchr(q, '\n');
            size_t l2 = e2 ? (size_t)(e2 - q) : strlen(q);
            int b2 = blank_line(q, l2);
            if (b2 || (l2 >= 2 && ((q[0] == '-' && q[1] == ' ') || (q[0] == ' ' && q[1] == ' '))))
                break;
            q += l2 + (e2 != NULL);
        }
        size_t n = (size_t)(q - start);
        if (bullet)
            wrap(start + 2, n - 2, s->width, "  - ", 4);
        else
            wrap(start, n, s->width, "", 0);
        /* Markdown joins the lines of a paragraph itself; a bullet needs its
         * continuation lines indented. */
        if (prev_bullet && !bullet)
            fputc('\n', s->md);
        prev_bullet = bullet;
        for (const char *c = start; c < q; c++) {
            fputc(*c == '\n' && c + 1 < q ? ' ' : *c, s->md);
        }
        if (q[-1] != '\n')
            fputc('\n', s->md);
        if (!bullet)
            fputc('\n', s->md);
        p = q;
    }
    if (in_verbatim)
        fputs("```\n\n", s->md);
    else if (prev_bullet)
        fputc('\n', s->md);
    fflush(s->md);
    free(text);
}

void lesson_print(lesson *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = lesson_text_format(fmt, ap);
    va_end(ap);
    if (!text)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting output");
    lesson_notebook_output(L, text);
    free(text);
}
