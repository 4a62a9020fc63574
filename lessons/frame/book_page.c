/* book_page.c - a run's page: lesson.md, parsed by libcmark, walked block by
 * block into run_dir/index.html. Headings "## k. title" become the sections
 * the contents bar links to; ```c blocks are highlighted; output blocks keep
 * their text and tables, minus the terminal copy of the figure that follows
 * them; a figure paragraph becomes a <figure>; a "<!-- tex: ... -->" comment
 * turns the ``` block after it (the formula's plain form) into maths for
 * KaTeX; everything else is cmark's own HTML. summary.tsv closes the page.
 */
#include "book_internal.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of a node's inline children, without markup. */
static void plain_text(book_buf *b, cmark_node *n)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(c);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
            bb_puts(b, cmark_node_get_literal(c));
    }
    cmark_iter_free(it);
}

/* The image of a paragraph that holds nothing else (a figure), or NULL. */
static cmark_node *figure_image(cmark_node *n)
{
    if (!n || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
        return NULL;
    cmark_node *c = cmark_node_first_child(n);
    return c && !cmark_node_next(c) && cmark_node_get_type(c) == CMARK_NODE_IMAGE ? c : NULL;
}

static void put_cmark_html(book_buf *b, cmark_node *n)
{
    char *h = cmark_render_html(n, CMARK_OPT_DEFAULT);
    if (h)
        bb_puts(b, h);
    else
        b->ok = 0;
    free(h);
}

static void code_cell(book_buf *b, const char *code)
{
    bb_puts(b, "<pre class=\"code\"><code class=\"language-c\">");
    int in_comment = 0;
    for (const char *p = code; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bb_highlight_c(b, p, len, &in_comment);
        p += len;
        if (*p) {
            bb_puts(b, "\n");
            p++;
        }
    }
    bb_puts(b, "</code></pre>\n");
}

static void figure(book_buf *b, cmark_node *img)
{
    book_buf cap;
    bb_init(&cap);
    plain_text(&cap, img);
    const char *url = cmark_node_get_url(img);
    bb_puts(b, "<figure><img src=\"");
    bb_html(b, url, strlen(url));
    bb_puts(b, "\" alt=\"");
    bb_html(b, cap.p ? cap.p : "", cap.n);
    bb_puts(b, "\"><figcaption>");
    bb_html(b, cap.p ? cap.p : "", cap.n);
    bb_puts(b, "</figcaption></figure>\n");
    bb_free(&cap);
}

/* "<!-- tex: X -->": X, trimmed, into tex; 1 when it is such a comment. */
static int tex_comment(const char *html, book_buf *tex)
{
    const char *p = strstr(html, "<!-- tex:");
    const char *e = p ? strstr(p, "-->") : NULL;
    if (!e)
        return 0;
    p += 9;
    while (p < e && *p == ' ')
        p++;
    while (e > p && e[-1] == ' ')
        e--;
    tex->n = 0;
    bb_put(tex, p, (size_t)(e - p));
    return 1;
}

/* summary.tsv as the page's last section. */
static void key_figures(book_buf *b, book_buf *toc, const char *run_dir)
{
    char path[1100], err[256];
    snprintf(path, sizeof path, "%s/summary.tsv", run_dir);
    char *tsv = book_read_file(path, NULL, err, sizeof err);
    if (!tsv || !*tsv) {
        free(tsv);
        return;
    }
    bb_puts(toc, "<li><a href=\"#key-figures\">Key figures</a></li>\n");
    bb_puts(b, "<section id=\"key-figures\">\n<h2>Key figures of this run</h2>\n"
               "<p>summary.tsv, as the run wrote it:</p>\n<div class=\"table\"><table>\n"
               "<tr><th>name</th><th>value</th></tr>\n");
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        bb_puts(b, "<tr><td><code>");
        bb_html(b, line, (size_t)(tab - line));
        bb_puts(b, "</code></td><td class=\"n\">");
        bb_html(b, tab + 1, strlen(tab + 1));
        bb_puts(b, "</td></tr>\n");
    }
    bb_puts(b, "</table></div>\n</section>\n");
    free(tsv);
}

/* The blocks of lesson.md into main (and the steps into toc). */
static int walk(cmark_node *doc, book_buf *main, book_buf *toc, book_buf *title)
{
    book_buf tex;
    bb_init(&tex);
    int have_tex = 0, in_section = 0, maths = 0, step = 0;
    bb_puts(main, "<section id=\"about\">\n");
    in_section = 1;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 1) {
            title->n = 0;
            plain_text(title, n);
            bb_puts(main, "<h1>");
            bb_html(main, title->p ? title->p : "", title->n);
            bb_puts(main, "</h1>\n");
        } else if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2) {
            book_buf h;
            bb_init(&h);
            plain_text(&h, n);
            step++;
            if (in_section)
                bb_puts(main, "</section>\n");
            bb_printf(main, "<section id=\"step-%d\">\n<h2>", step);
            bb_html(main, h.p ? h.p : "", h.n);
            bb_puts(main, "</h2>\n");
            bb_printf(toc, "<li><a href=\"#step-%d\">", step);
            bb_html(toc, h.p ? h.p : "", h.n);
            bb_puts(toc, "</a></li>\n");
            in_section = 1;
            bb_free(&h);
        } else if (t == CMARK_NODE_HTML_BLOCK) {
            have_tex = tex_comment(cmark_node_get_literal(n), &tex);
            continue;
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            const char *info = cmark_node_get_fence_info(n);
            const char *lit = cmark_node_get_literal(n);
            size_t len = strlen(lit);
            if (have_tex) {
                while (len && (lit[len - 1] == '\n' || lit[len - 1] == ' '))
                    len--;
                size_t lead = strspn(lit, " ");
                bb_puts(main, "<div class=\"math\" data-plain=\"");
                bb_html(main, lit + lead, len - lead);
                bb_puts(main, "\">");
                bb_html(main, tex.p ? tex.p : "", tex.n);
                bb_puts(main, "</div>\n");
                maths++;
            } else if (info && !strcmp(info, "c")) {
                code_cell(main, lit);
            } else {
                if (figure_image(cmark_node_next(n)))
                    len = book_art_start(lit, len);
                book_output_html(main, lit, len);
            }
        } else if (figure_image(n)) {
            figure(main, figure_image(n));
        } else {
            put_cmark_html(main, n);
        }
        have_tex = 0;
    }
    if (in_section)
        bb_puts(main, "</section>\n");
    bb_free(&tex);
    return maths;
}

static void nav_links(book_buf *b, const book_links *links)
{
    bb_puts(b, "<nav class=\"along\">");
    if (links->prev[0]) {
        bb_printf(b, "<a rel=\"prev\" href=\"%s\">&larr; ", links->prev);
        bb_html(b, links->prev_title, strlen(links->prev_title));
        bb_puts(b, "</a>");
    }
    bb_puts(b, "<a href=\"../index.html\">the course</a>");
    if (links->next[0]) {
        bb_printf(b, "<a rel=\"next\" href=\"%s\">", links->next);
        bb_html(b, links->next_title, strlen(links->next_title));
        bb_puts(b, " &rarr;</a>");
    }
    bb_puts(b, "</nav>\n");
}

int book_write_page(const char *run_dir, const book_run *run, const book_links *links,
                    int katex, char *err, size_t cap)
{
    cmark_node *doc = book_parse_notebook(run_dir, err, cap);
    if (!doc)
        return -1;
    book_buf main, toc, title, page;
    bb_init(&main);
    bb_init(&toc);
    bb_init(&title);
    bb_init(&page);
    int maths = walk(doc, &main, &toc, &title);
    cmark_node_free(doc);
    key_figures(&main, &toc, run_dir);

    const char *t = title.p ? title.p : run->title;
    bb_puts(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
    bb_html(&page, t, strlen(t));
    bb_printf(&page, "%s</title>\n<link rel=\"stylesheet\" href=\"../book.css\">\n",
              run->yours ? " (your code)" : "");
    if (maths && katex)
        bb_puts(&page, "<link rel=\"stylesheet\" href=\"../katex/katex.min.css\">\n"
                       "<script defer src=\"../katex/katex.min.js\"></script>\n");
    bb_puts(&page, "<script defer src=\"../book.js\"></script>\n</head>\n<body>\n<header>");
    nav_links(&page, links);
    bb_puts(&page, "</header>\n<div class=\"layout\">\n<nav class=\"contents\" "
                   "aria-label=\"contents\">\n<p><a href=\"#about\">");
    bb_html(&page, t, strlen(t));
    bb_puts(&page, "</a></p>\n<ul>\n");
    bb_put(&page, toc.p ? toc.p : "", toc.n);
    bb_puts(&page, "</ul>\n<p class=\"files\"><a href=\"lesson.md\">lesson.md</a> &middot; "
                   "<a href=\"lesson.ipynb\">lesson.ipynb</a> &middot; "
                   "<a href=\"summary.tsv\">summary.tsv</a></p>\n</nav>\n<main>\n");
    bb_put(&page, main.p ? main.p : "", main.n);
    bb_puts(&page, "</main>\n</div>\n<footer>");
    nav_links(&page, links);
    bb_puts(&page, "</footer>\n</body>\n</html>\n");

    int rc = -1;
    if (!page.ok || !main.ok || !toc.ok) {
        snprintf(err, cap, "out of memory writing the page of %s", run_dir);
    } else {
        char path[1100];
        snprintf(path, sizeof path, "%s/index.html", run_dir);
        rc = book_write_file(path, page.p, page.n, err, cap);
    }
    bb_free(&main);
    bb_free(&toc);
    bb_free(&title);
    bb_free(&page);
    return rc;
}
