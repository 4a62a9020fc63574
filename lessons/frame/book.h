/* book.h - the course book: every run as a web page and a Jupyter notebook.
 *
 * A run's notebook is its lesson.md (lesson_notebook.c writes it as the
 * lesson goes). From it the book writes, in the run's folder:
 *   index.html    the page: the steps as sections with a contents bar, the
 *                 prose, the C cells highlighted, outputs (tables as tables,
 *                 the terminal copies of figures left out), the figures and
 *                 films inline, formulas typeset by KaTeX, the key figures of
 *                 summary.tsv, previous/next links along the course;
 *   lesson.ipynb  the same as nbformat 4: markdown cells, the C cells as
 *                 code cells, their outputs with the figures embedded;
 * and in the folder above the runs (plots/): index.html (every lesson, the
 * questions it answers from the README's table, its runs and when they ran),
 * book.css, book.js and katex/ (copied from Debian's libjs-katex when it is
 * installed, so the pages need no network).
 *
 * A formula reaches the page through lesson.md as an HTML comment holding its
 * TeX, "<!-- tex: ... -->", just before the ``` block of its plain form
 * (book_formula.c writes both).
 *
 * Nothing here prints on success; failures come back as -1 with a message.
 */
#ifndef GANSTEPS_BOOK_H
#define GANSTEPS_BOOK_H

#include <stddef.h>

/* Writes run_dir's index.html and lesson.ipynb, then the book's index and
 * assets in run_dir's parent folder. 0, or -1 with err filled. */
int book_refresh_run(const char *run_dir, char *err, size_t cap);

/* Every run under plots_dir (each NN_topic and NN_topic-exercises folder that
 * holds a lesson.md), then the index and assets. *pages gets the number of
 * run pages written. 0, or -1 with err filled. */
int book_build(const char *plots_dir, int *pages, char *err, size_t cap);

/* The files the book embeds at build time (tools/embed -m): README.md (its
 * lesson table), tools/book/book.css, tools/book/book.js. */
extern const char book_embedded[];

#endif
