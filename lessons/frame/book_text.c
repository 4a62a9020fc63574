/* book_text.c - the book's small tools: growing buffers, HTML and JSON
 * escaping, base64, C highlighted as HTML, files read and written whole, and
 * a run's lesson.md parsed.
 */
#include "book_internal.h"
#include "c_keywords.h"

#include <cmark.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void bb_init(book_buf *b)
{
    b->p = NULL;
    b->n = b->cap = 0;
    b->ok = 1;
}

void bb_free(book_buf *b)
{
    free(b->p);
    bb_init(b);
}

void bb_put(book_buf *b, const char *s, size_t n)
{
    if (!b->ok)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->ok = 0;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void bb_puts(book_buf *b, const char *s)
{
    bb_put(b, s, strlen(s));
}

void bb_printf(book_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        bb_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->ok = 0;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bb_put(b, big, (size_t)n);
    free(big);
}

void bb_html(book_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;"
                      : s[i] == '"' ? "&quot;" : NULL;
        if (!e)
            continue;
        bb_put(b, s + run, i - run);
        bb_puts(b, e);
        run = i + 1;
    }
    bb_put(b, s + run, n - run);
}

void bb_json(book_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            bb_put(b, e, 2);
        } else if (c == '\n') {
            bb_puts(b, "\\n");
        } else if (c == '\t') {
            bb_puts(b, "\\t");
        } else if (c < 0x20) {
            bb_printf(b, "\\u%04x", c); /* JSON allows no raw control characters */
        } else {
            bb_put(b, s + i, 1);
        }
    }
}

void bb_base64(book_buf *b, const unsigned char *s, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n) v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        char q[4] = {al[v >> 18 & 63], al[v >> 12 & 63], i + 1 < n ? al[v >> 6 & 63] : '=',
                     i + 2 < n ? al[v & 63] : '='};
        bb_put(b, q, 4);
    }
}

static void span(book_buf *b, const char *cls, const char *s, size_t n)
{
    bb_printf(b, "<span class=\"%s\">", cls);
    bb_html(b, s, n);
    bb_puts(b, "</span>");
}

/* The same tokens lesson_cells.c colours on a terminal. */
void bb_highlight_c(book_buf *b, const char *p, size_t n, int *in_comment)
{
    size_t i = 0;
    while (i < n) {
        if (*in_comment) {
            size_t j = i;
            while (j < n && !(p[j] == '*' && j + 1 < n && p[j + 1] == '/'))
                j++;
            if (j < n) {
                j += 2;
                *in_comment = 0;
            }
            span(b, "com", p + i, j - i);
            i = j;
        } else if (p[i] == '/' && i + 1 < n && p[i + 1] == '*') {
            *in_comment = 1;
        } else if (p[i] == '/' && i + 1 < n && p[i + 1] == '/') {
            span(b, "com", p + i, n - i);
            i = n;
        } else if (p[i] == '"' || p[i] == '\'') {
            size_t j = i + 1;
            while (j < n && p[j] != p[i])
                j += (p[j] == '\\') ? 2 : 1;
            size_t end = j < n ? j + 1 : n;
            span(b, "str", p + i, end - i);
            i = end;
        } else if (isalpha((unsigned char)p[i]) || p[i] == '_') {
            size_t j = i;
            while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '_'))
                j++;
            if (c_is_keyword(p + i, j - i))
                span(b, "kw", p + i, j - i);
            else
                bb_html(b, p + i, j - i);
            i = j;
        } else if (isdigit((unsigned char)p[i])) {
            size_t j = i;
            while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '.'))
                j++;
            span(b, "num", p + i, j - i);
            i = j;
        } else {
            bb_html(b, p + i, 1);
            i++;
        }
    }
}

char *book_read_file(const char *path, size_t *n, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, cap, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    book_buf b;
    bb_init(&b);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        bb_put(&b, chunk, k);
    int bad = ferror(f);
    fclose(f);
    if (bad || !b.ok) {
        snprintf(err, cap, "cannot read %s: %s", path, bad ? "read error" : "out of memory");
        bb_free(&b);
        return NULL;
    }
    if (!b.p)
        bb_put(&b, "", 0);
    if (!b.ok) {
        snprintf(err, cap, "cannot read %s: out of memory", path);
        return NULL;
    }
    if (n)
        *n = b.n;
    return b.p;
}

int book_write_file(const char *path, const char *data, size_t n, char *err, size_t cap)
{
    char tmp[1100];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, cap, "path %s is too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, cap, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    int bad = fwrite(data, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        snprintf(err, cap, "cannot write %s: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

int book_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

cmark_node *book_parse_notebook(const char *run_dir, char *err, size_t cap)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/lesson.md", run_dir);
    size_t n;
    char *md = book_read_file(path, &n, err, cap);
    if (!md)
        return NULL;
    cmark_node *doc = cmark_parse_document(md, n, CMARK_OPT_DEFAULT);
    free(md);
    if (!doc)
        snprintf(err, cap, "cannot parse %s", path);
    return doc;
}
