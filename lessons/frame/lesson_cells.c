/* lesson_cells.c - the code cells: lesson_code cuts the lines between a
 * STEP marker and END STEP out of the lesson's own embedded source, prints
 * them (highlighted on a colour terminal) and copies them into lesson.md.
 */
#include "lesson_state.h"
#include "c_keywords.h"

#include <ctype.h>
#include <string.h>

/* Colours of the highlighted C, used only when L->color. */
#define C_KEYWORD "\033[34m"
#define C_STRING "\033[33m"
#define C_NUMBER "\033[36m"
#define C_COMMENT "\033[90m"

/* Copies line [p, eol) trimmed of surrounding blanks into buf. */
static void trimmed(char *buf, size_t cap, const char *p, size_t len)
{
    while (len && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
}

/* Prints one line of C with light colours; *in_comment carries a block
 * comment over to the next line. */
static void highlight(const char *p, size_t n, int *in_comment)
{
    size_t i = 0;
    while (i < n) {
        if (*in_comment) {
            fputs(C_COMMENT, stdout);
            while (i < n && !(p[i] == '*' && i + 1 < n && p[i + 1] == '/'))
                putchar(p[i++]);
            if (i < n) {
                fputs("*/", stdout);
                i += 2;
                *in_comment = 0;
            }
            fputs(C_RESET, stdout);
        } else if (p[i] == '/' && i + 1 < n && p[i + 1] == '*') {
            *in_comment = 1;
        } else if (p[i] == '/' && i + 1 < n && p[i + 1] == '/') {
            printf(C_COMMENT "%.*s" C_RESET, (int)(n - i), p + i);
            i = n;
        } else if (p[i] == '"' || p[i] == '\'') {
            char q = p[i];
            size_t j = i + 1;
            while (j < n && p[j] != q)
                j += (p[j] == '\\') ? 2 : 1;
            if (j > n)
                j = n;
            size_t end = j < n ? j + 1 : n;
            printf(C_STRING "%.*s" C_RESET, (int)(end - i), p + i);
            i = end;
        } else if (isalpha((unsigned char)p[i]) || p[i] == '_') {
            size_t j = i;
            while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '_'))
                j++;
            if (c_is_keyword(p + i, j - i))
                printf(C_KEYWORD "%.*s" C_RESET, (int)(j - i), p + i);
            else
                printf("%.*s", (int)(j - i), p + i);
            i = j;
        } else if (isdigit((unsigned char)p[i])) {
            size_t j = i;
            while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '.'))
                j++;
            printf(C_NUMBER "%.*s" C_RESET, (int)(j - i), p + i);
            i = j;
        } else {
            putchar(p[i++]);
        }
    }
}

void lesson_code(lesson *L, const char *name)
{
    struct lesson_state *s = L->st;
    char want[160], line[256];
    snprintf(want, sizeof want, "/* STEP: %s */", name);

    /* Find the opening marker, then the cell's lines up to END STEP. */
    const char *p = lesson_source, *first = NULL, *last = NULL;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        trimmed(line, sizeof line, p, len);
        const char *next = p + len + (eol != NULL);
        if (!first && !strcmp(line, want)) {
            first = next;
        } else if (first && !strcmp(line, "/* END STEP */")) {
            last = p;
            break;
        }
        p = next;
    }
    if (!first || !last)
        lesson_fail(L, LESSON_EXIT_INTERNAL,
                    "code cell \"%s\" is not marked in the lesson's source (expected lines "
                    "\"/* STEP: %s */\" and \"/* END STEP */\")",
                    name, name);

    /* Common indentation, so a cell from inside a loop reads flush left. */
    size_t indent = (size_t)-1;
    for (const char *c = first; c < last;) {
        const char *eol = strchr(c, '\n');
        size_t k = 0;
        while (c + k < eol && c[k] == ' ')
            k++;
        if (c + k < eol && k < indent)
            indent = k;
        c = eol + 1;
    }
    if (indent == (size_t)-1)
        indent = 0;

    lesson_notebook_text_mode(L);
    fputs("```c\n", s->md);
    putchar('\n');
    int in_comment = 0;
    for (const char *c = first; c < last;) {
        const char *eol = strchr(c, '\n');
        size_t len = (size_t)(eol - c);
        const char *body = c + (len >= indent ? indent : len);
        size_t blen = (size_t)(eol - body);
        fprintf(s->md, "%.*s\n", (int)blen, body);
        if (L->color) {
            fputs(C_DIM "  | " C_RESET, stdout);
            highlight(body, blen, &in_comment);
            putchar('\n');
        } else {
            printf("  | %.*s\n", (int)blen, body);
        }
        c = eol + 1;
    }
    putchar('\n');
    s->after_output = 0;
    fputs("```\n\n", s->md);
    fflush(s->md);
    fflush(stdout);
}
