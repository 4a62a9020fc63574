/* book_ipynb.c - a run's notebook for JupyterLab or VS Code: lesson.md,
 * parsed by libcmark, as run_dir/lesson.ipynb (nbformat 4.5). Prose gathers
 * into markdown cells (formulas as $$ TeX $$); each ```c block becomes a code
 * cell marked as C; the output blocks and figures right after it become its
 * outputs (stream text, and image/png or image/gif in base64, without the
 * terminal copies of the figures). Output or a figure after prose goes into
 * a markdown cell (the figure as an attachment), keeping the run's order.
 */
#include "book_internal.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    book_buf json;          /* the cells written so far, comma-separated */
    book_buf md;            /* markdown gathering for the next markdown cell */
    book_buf att;           /* that cell's attachments (JSON members) */
    book_buf code, outs;    /* the open code cell: its source and outputs */
    int open_code;          /* a code cell takes outputs */
    int ncells, nexec;
    const char *run_dir;
} nb;

static void cell_start(nb *b, const char *type)
{
    bb_printf(&b->json, "%s\n  {\"cell_type\": \"%s\", \"id\": \"cell-%d\", \"metadata\": {}, ",
              b->ncells ? "," : "", type, b->ncells);
    b->ncells++;
}

static void flush_code(nb *b)
{
    if (!b->open_code)
        return;
    cell_start(b, "code");
    bb_printf(&b->json, "\"execution_count\": %d, \"source\": \"", ++b->nexec);
    bb_json(&b->json, b->code.p ? b->code.p : "", b->code.n);
    bb_puts(&b->json, "\", \"outputs\": [");
    bb_put(&b->json, b->outs.p ? b->outs.p : "", b->outs.n);
    bb_puts(&b->json, "]}");
    b->code.n = b->outs.n = 0;
    b->open_code = 0;
}

static void flush_md(nb *b)
{
    size_t n = b->md.n;
    while (n && b->md.p[n - 1] == '\n')
        n--;
    if (n) {
        cell_start(b, "markdown");
        if (b->att.n) {
            bb_puts(&b->json, "\"attachments\": {");
            bb_put(&b->json, b->att.p, b->att.n);
            bb_puts(&b->json, "}, ");
        }
        bb_puts(&b->json, "\"source\": \"");
        bb_json(&b->json, b->md.p, n);
        bb_puts(&b->json, "\"}");
    }
    b->md.n = b->att.n = 0;
}

/* Prose: ends the open code cell's outputs. */
static void prose(nb *b, const char *text)
{
    flush_code(b);
    bb_puts(&b->md, text);
    bb_puts(&b->md, "\n");
}

/* The figure file as base64 under its MIME type, or -1 when unreadable. */
static int image_data(nb *b, const char *url, book_buf *out, const char **mime)
{
    char path[1100], err[256];
    snprintf(path, sizeof path, "%s/%s", b->run_dir, url);
    size_t n;
    char *bytes = book_read_file(path, &n, err, sizeof err);
    if (!bytes)
        return -1;
    size_t ul = strlen(url);
    *mime = ul > 4 && !strcmp(url + ul - 4, ".gif") ? "image/gif" : "image/png";
    bb_base64(out, (const unsigned char *)bytes, n);
    free(bytes);
    return 0;
}

static void figure(nb *b, cmark_node *img)
{
    const char *url = cmark_node_get_url(img), *mime;
    cmark_node *t = cmark_node_first_child(img);
    const char *cap = t && cmark_node_get_literal(t) ? cmark_node_get_literal(t) : url;
    book_buf data;
    bb_init(&data);
    if (image_data(b, url, &data, &mime) != 0) {
        bb_free(&data);
        return;
    }
    if (b->open_code) {
        bb_printf(&b->outs, "%s{\"output_type\": \"display_data\", \"metadata\": {}, "
                            "\"data\": {\"%s\": \"", b->outs.n ? ", " : "", mime);
        bb_put(&b->outs, data.p ? data.p : "", data.n);
        bb_puts(&b->outs, "\", \"text/plain\": \"");
        bb_json(&b->outs, cap, strlen(cap));
        bb_puts(&b->outs, "\"}}");
    } else {
        bb_printf(&b->att, "%s\"", b->att.n ? ", " : "");
        bb_json(&b->att, url, strlen(url));
        bb_printf(&b->att, "\": {\"%s\": \"", mime);
        bb_put(&b->att, data.p ? data.p : "", data.n);
        bb_puts(&b->att, "\"}");
        bb_puts(&b->md, "![");
        bb_puts(&b->md, cap);
        bb_puts(&b->md, "](attachment:");
        bb_puts(&b->md, url);
        bb_puts(&b->md, ")\n\n");
    }
    bb_free(&data);
}

static void output(nb *b, const char *text, size_t n)
{
    if (n == 0)
        return;
    if (b->open_code) {
        bb_printf(&b->outs, "%s{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"",
                  b->outs.n ? ", " : "");
        bb_json(&b->outs, text, n);
        bb_puts(&b->outs, "\"}");
    } else {
        bb_puts(&b->md, "```\n");
        bb_put(&b->md, text, n);
        bb_puts(&b->md, n && text[n - 1] == '\n' ? "```\n\n" : "\n```\n\n");
    }
}

static cmark_node *figure_image(cmark_node *n)
{
    if (!n || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
        return NULL;
    cmark_node *c = cmark_node_first_child(n);
    return c && !cmark_node_next(c) && cmark_node_get_type(c) == CMARK_NODE_IMAGE ? c : NULL;
}

static void walk(nb *b, cmark_node *doc)
{
    const char *tex = NULL;
    char *tex_copy = NULL;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HTML_BLOCK) {
            const char *lit = cmark_node_get_literal(n);
            const char *p = strstr(lit, "<!-- tex:"), *e = p ? strstr(p, "-->") : NULL;
            free(tex_copy);
            tex_copy = NULL;
            if (e) {
                p += 9;
                tex_copy = malloc((size_t)(e - p) + 1);
                if (tex_copy) {
                    memcpy(tex_copy, p, (size_t)(e - p));
                    tex_copy[e - p] = '\0';
                }
            }
            tex = tex_copy;
            continue;
        }
        if (t == CMARK_NODE_CODE_BLOCK) {
            const char *info = cmark_node_get_fence_info(n), *lit = cmark_node_get_literal(n);
            if (tex) {
                flush_code(b);
                bb_puts(&b->md, "$$");
                bb_puts(&b->md, tex);
                bb_puts(&b->md, "$$\n\n");
            } else if (info && !strcmp(info, "c")) {
                flush_code(b);
                flush_md(b);
                size_t len = strlen(lit);
                while (len && lit[len - 1] == '\n')
                    len--;
                bb_put(&b->code, lit, len);
                b->open_code = 1;
            } else {
                size_t len = strlen(lit);
                if (figure_image(cmark_node_next(n)))
                    len = book_art_start(lit, len);
                output(b, lit, len);
            }
        } else if (figure_image(n)) {
            figure(b, figure_image(n));
        } else {
            char *md = cmark_render_commonmark(n, CMARK_OPT_DEFAULT, 0);
            if (md)
                prose(b, md);
            free(md);
        }
        tex = NULL;
    }
    free(tex_copy);
    flush_code(b);
    flush_md(b);
}

int book_write_ipynb(const char *run_dir, char *err, size_t cap)
{
    cmark_node *doc = book_parse_notebook(run_dir, err, cap);
    if (!doc)
        return -1;
    nb b = {.run_dir = run_dir};
    bb_init(&b.json);
    bb_init(&b.md);
    bb_init(&b.att);
    bb_init(&b.code);
    bb_init(&b.outs);
    bb_puts(&b.json, "{\n \"nbformat\": 4, \"nbformat_minor\": 5,\n \"metadata\": {"
                     "\"kernelspec\": {\"name\": \"c\", \"display_name\": \"C\", "
                     "\"language\": \"c\"}, \"language_info\": {\"name\": \"c\", "
                     "\"file_extension\": \".c\", \"mimetype\": \"text/x-csrc\"}},\n"
                     " \"cells\": [");
    walk(&b, doc);
    cmark_node_free(doc);
    bb_puts(&b.json, "\n ]\n}\n");
    int ok = b.json.ok && b.md.ok && b.att.ok && b.code.ok && b.outs.ok;
    int rc = -1;
    if (!ok) {
        snprintf(err, cap, "out of memory writing the notebook of %s", run_dir);
    } else {
        char path[1100];
        snprintf(path, sizeof path, "%s/lesson.ipynb", run_dir);
        rc = book_write_file(path, b.json.p, b.json.n, err, cap);
    }
    bb_free(&b.json);
    bb_free(&b.md);
    bb_free(&b.att);
    bb_free(&b.code);
    bb_free(&b.outs);
    return rc;
}
