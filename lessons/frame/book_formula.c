/* book_formula.c - a formula, given once in two forms: TeX for the course
 * book's page (typeset by KaTeX) and a plain line for the terminal and
 * lesson.md. lesson.md keeps the TeX in an HTML comment just before the
 * plain form's ``` block, where Markdown readers do not show it and the book
 * (book_page.c, book_ipynb.c) finds it.
 */
#include "lesson_state.h"

#include <stdlib.h>
#include <string.h>

/* Writes one formula: plain on the terminal, both forms in lesson.md.
 * *in_verbatim is lesson_say's open ``` block (closed first). */
static void formula(lesson *L, const char *tex, size_t tn, const char *plain, size_t pn,
                    int *in_verbatim)
{
    struct lesson_state *s = L->st;
    /* An HTML comment cannot hold "--", and the comment is one line. */
    for (size_t i = 0; i < tn; i++)
        if (tex[i] == '\n' || (tex[i] == '-' && i + 1 < tn && tex[i + 1] == '-'))
            lesson_fail(L, LESSON_EXIT_INTERNAL,
                        "formula \"%.*s\": its TeX must be one line without \"--\"", (int)tn,
                        tex);
    lesson_notebook_text_mode(L);
    if (*in_verbatim) {
        fputs("```\n\n", s->md);
        *in_verbatim = 0;
    }
    printf("  %.*s\n", (int)pn, plain);
    fprintf(s->md, "<!-- tex: %.*s -->\n\n```\n  %.*s\n```\n\n", (int)tn, tex, (int)pn, plain);
    fflush(s->md);
}

int lesson_formula_line(lesson *L, const char *line, size_t len, int *in_verbatim)
{
    if (len < 3 || line[0] != ' ' || line[1] != ' ' || line[2] != '\x01')
        return 0;
    const char *tex = line + 3, *end = line + len;
    const char *mid = memchr(tex, '\x02', (size_t)(end - tex));
    if (!mid)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "a LESSON_MATH line has no plain form: %.*s",
                    (int)len, line);
    formula(L, tex, (size_t)(mid - tex), mid + 1, (size_t)(end - mid - 1), in_verbatim);
    return 1;
}

void lesson_formula(lesson *L, const char *tex, const char *plain, ...)
{
    va_list ap;
    va_start(ap, plain);
    char *text = lesson_text_format(plain, ap);
    va_end(ap);
    if (!text)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting a formula");
    if (L->st->after_output)
        putchar('\n');
    L->st->after_output = 0;
    int in_verbatim = 0;
    formula(L, tex, strlen(tex), text, strlen(text), &in_verbatim);
    free(text);
}
