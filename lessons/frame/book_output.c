/* book_output.c - an output block as the page shows it. A figure's terminal
 * copy (gnuplot's text plot, an image preview in characters) is left to the
 * terminal: the page shows the PNG after it. Columns that line up over three
 * or more lines become a table.
 */
#include "book_internal.h"

#include <ctype.h>
#include <string.h>

/* Lines of text[0..n): starts in ls[], at most cap of them; returns the count.
 * Line k is [ls[k], ls[k+1] - 1) (the last one up to n). */
static size_t split_lines(const char *t, size_t n, size_t *ls, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        ls[k++] = i;
        const char *e = memchr(t + i, '\n', n - i);
        i = e ? (size_t)(e - t) + 1 : n;
    }
    return k;
}

static size_t line_len(const char *t, size_t n, const size_t *ls, size_t k, size_t nl)
{
    size_t end = k + 1 < nl ? ls[k + 1] : n;
    if (end > ls[k] && t[end - 1] == '\n')
        end--;
    return end - ls[k];
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

/* gnuplot's dumb terminal draws the frame as +-----...-----+. */
static int plot_border(const char *s, size_t n)
{
    const char *plus = memchr(s, '+', n);
    if (!plus)
        return 0;
    size_t dashes = 0;
    for (const char *c = plus + 1; c < s + n && *c == '-'; c++)
        dashes++;
    return dashes >= 20;
}

/* A preview row: only the characters of viz/preview.c's grey ramp (or its
 * colour half-blocks, whose escapes lesson.md has dropped). */
static int preview_row(const char *s, size_t n)
{
    static const char ramp[] = " .:-=+*#%@";
    size_t marks = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) { /* UTF-8 of the half block, U+2580 */
            marks++;
            continue;
        }
        if (!strchr(ramp, c))
            return 0;
        marks += c != ' ';
    }
    return marks >= 8;
}

size_t book_art_start(const char *t, size_t n)
{
    size_t ls[4096];
    size_t nl = split_lines(t, n, ls, 4096);
    if (nl == 0 || nl == 4096)
        return n;
    /* A text plot: from the blank lines above its title to the end. */
    for (size_t k = 0; k < nl; k++) {
        if (!plot_border(t + ls[k], line_len(t, n, ls, k, nl)))
            continue;
        size_t s = k;
        for (size_t up = 1; up <= 4 && up <= k; up++)
            if (blank(t + ls[k - up], line_len(t, n, ls, k - up, nl))) {
                s = k - up;
                break;
            }
        while (s > 0 && blank(t + ls[s - 1], line_len(t, n, ls, s - 1, nl)))
            s--;
        return ls[s];
    }
    /* An image preview: the rows of characters at the end. */
    size_t s = nl;
    while (s > 0) {
        size_t len = line_len(t, n, ls, s - 1, nl);
        if (!preview_row(t + ls[s - 1], len) && !blank(t + ls[s - 1], len))
            break;
        s--;
    }
    /* Two rows of characters are not yet a picture. */
    size_t rows = 0;
    for (size_t k = s; k < nl; k++)
        rows += preview_row(t + ls[k], line_len(t, n, ls, k, nl));
    return rows >= 3 ? ls[s] : n;
}

/* Fields of a line split at runs of two or more spaces: starts and ends. */
static int fields(const char *s, size_t n, size_t *fs, size_t *fe, int cap)
{
    int k = 0;
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    while (i < n && k < cap) {
        size_t j = i;
        while (j < n && !(s[j] == ' ' && (j + 1 >= n || s[j + 1] == ' ')))
            j++;
        fs[k] = i;
        fe[k] = j;
        k++;
        while (j < n && s[j] == ' ')
            j++;
        i = j;
    }
    return k;
}

/* A line a table can hold: no frame characters of a plot, some letter or
 * digit. */
static int table_line(const char *s, size_t n, int *nf)
{
    size_t fs[32], fe[32];
    if (blank(s, n) || memchr(s, '|', n) || plot_border(s, n) || preview_row(s, n))
        return 0;
    *nf = fields(s, n, fs, fe, 32);
    return *nf >= 3 && *nf < 32;
}

/* A field that reads as a number: 12, -0.5, +4.07, 1e-3, 25.0%. */
static int is_number(const char *s, size_t n)
{
    size_t i = n && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    return i < n && (isdigit((unsigned char)s[i]) || (s[i] == '.' && i + 1 < n &&
                                                      isdigit((unsigned char)s[i + 1])));
}

static void table_html(book_buf *b, const char *t, size_t n, const size_t *ls, size_t nl,
                       size_t from, size_t to)
{
    bb_puts(b, "<div class=\"table\"><table>\n");
    /* The first line heads the columns when none of its fields is a number. */
    int header = 1;
    {
        size_t len = line_len(t, n, ls, from, nl), fs[32], fe[32];
        int nf = fields(t + ls[from], len, fs, fe, 32);
        for (int f = 0; f < nf; f++)
            if (is_number(t + ls[from] + fs[f], fe[f] - fs[f]))
                header = 0;
    }
    for (size_t k = from; k < to; k++) {
        const char *s = t + ls[k];
        size_t len = line_len(t, n, ls, k, nl), fs[32], fe[32];
        int nf = fields(s, len, fs, fe, 32);
        const char *cell = k == from && header ? "th" : "td";
        bb_puts(b, "<tr>");
        for (int f = 0; f < nf; f++) {
            /* Numbers right-aligned, as the terminal shows them. */
            int num = is_number(s + fs[f], fe[f] - fs[f]);
            bb_printf(b, "<%s%s>", cell, num && cell[1] == 'd' ? " class=\"n\"" : "");
            bb_html(b, s + fs[f], fe[f] - fs[f]);
            bb_printf(b, "</%s>", cell);
        }
        bb_puts(b, "</tr>\n");
    }
    bb_puts(b, "</table></div>\n");
}

static void pre_html(book_buf *b, const char *s, size_t n)
{
    while (n && s[n - 1] == '\n')
        n--;
    if (blank(s, n))
        return;
    bb_puts(b, "<pre class=\"output\">");
    bb_html(b, s, n);
    bb_puts(b, "</pre>\n");
}

void book_output_html(book_buf *b, const char *t, size_t n)
{
    size_t ls[4096];
    size_t nl = split_lines(t, n, ls, 4096);
    if (nl == 4096) {
        pre_html(b, t, n);
        return;
    }
    size_t text_from = 0, k = 0;
    while (k < nl) {
        /* A table: three or more lines with the same number of fields, its
         * first line (the header) holding a letter. */
        int nf0;
        if (!table_line(t + ls[k], line_len(t, n, ls, k, nl), &nf0)) {
            k++;
            continue;
        }
        size_t e = k + 1;
        int nf;
        while (e < nl && table_line(t + ls[e], line_len(t, n, ls, e, nl), &nf) && nf == nf0)
            e++;
        int letters = 0;
        for (size_t i = 0; i < line_len(t, n, ls, k, nl); i++)
            letters += isalpha((unsigned char)t[ls[k] + i]) != 0;
        if (e - k >= 3 && letters >= 2) {
            pre_html(b, t + ls[text_from], ls[k] - ls[text_from]);
            table_html(b, t, n, ls, nl, k, e);
            text_from = e;
        }
        k = e;
    }
    if (text_from < nl)
        pre_html(b, t + ls[text_from], n - ls[text_from]);
}
