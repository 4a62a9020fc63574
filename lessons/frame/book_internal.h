/* book_internal.h - what the book's files share behind book.h.
 *
 *   book_text.c     growing buffers, HTML escaping, files read whole and
 *                   written whole (through a temporary name), C highlighted,
 *                   a run's lesson.md parsed
 *   book_output.c   an output block: its terminal copy of a figure found,
 *                   its tables told from its free text
 *   book_page.c     lesson.md to the run's index.html (libcmark)
 *   book_ipynb.c    lesson.md to the run's lesson.ipynb (libcmark)
 *   book_site.c     the runs under plots/, the course index, the assets
 */
#ifndef GANSTEPS_BOOK_INTERNAL_H
#define GANSTEPS_BOOK_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#if defined(__GNUC__)
#define BOOK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BOOK_PRINTF(f, a)
#endif

/* A growing byte buffer; ok turns 0 (and stays 0) when memory runs out. */
typedef struct {
    char *p;
    size_t n, cap;
    int ok;
} book_buf;

void bb_init(book_buf *b);
void bb_free(book_buf *b);
void bb_put(book_buf *b, const char *s, size_t n);
void bb_puts(book_buf *b, const char *s);
void bb_printf(book_buf *b, const char *fmt, ...) BOOK_PRINTF(2, 3);
/* s[0..n) with & < > " escaped for HTML text and attributes. */
void bb_html(book_buf *b, const char *s, size_t n);
/* s[0..n) as the inside of a JSON string. */
void bb_json(book_buf *b, const char *s, size_t n);
/* bytes as base64 (RFC 4648, no line breaks). */
void bb_base64(book_buf *b, const unsigned char *s, size_t n);
/* One line of C as HTML with <span class="kw|str|num|com"> around the tokens;
 * *in_comment carries a block comment over to the next line. */
void bb_highlight_c(book_buf *b, const char *s, size_t n, int *in_comment);

/* The whole file, NUL-terminated (heap, free it), or NULL with err filled. */
char *book_read_file(const char *path, size_t *n, char *err, size_t cap);
/* Writes data to path through path.tmp renamed into place, so a reader
 * never sees half a file. 0, or -1 with err filled. */
int book_write_file(const char *path, const char *data, size_t n, char *err, size_t cap);
int book_exists(const char *path);
/* The run's lesson.md (run_dir/lesson.md) read and parsed by libcmark: the
 * document (cmark_node_free it), or NULL with err filled. */
struct cmark_node *book_parse_notebook(const char *run_dir, char *err, size_t cap);

/* book_output.c */

/* Where the terminal copy of a figure starts in output text[0..n) (a
 * gnuplot text plot or an image preview at its end), or n when there is
 * none. Called for output blocks a figure follows. */
size_t book_art_start(const char *text, size_t n);
/* Output text as HTML: aligned columns of three or more lines as <table>,
 * the rest as <pre class="output">. */
void book_output_html(book_buf *b, const char *text, size_t n);

/* book_site.c: a run as the book lists it. */
typedef struct {
    char dir[128];      /* "03_generator" or "03_generator-exercises" */
    int number;         /* 3 */
    int yours;          /* a run of the student's code (USE=exercises) */
    int fast;           /* run with --fast */
    time_t when;        /* lesson.md's last change */
    char title[160];    /* "Lesson 03: The generator" */
} book_run;

/* Links a page shows along the course: "../02_dataset/index.html" or "". */
typedef struct {
    char prev[200], prev_title[160], next[200], next_title[160];
} book_links;

/* book_page.c: run_dir/index.html from run_dir/lesson.md. */
int book_write_page(const char *run_dir, const book_run *run, const book_links *links,
                    int katex, char *err, size_t cap);
/* book_ipynb.c: run_dir/lesson.ipynb from run_dir/lesson.md. */
int book_write_ipynb(const char *run_dir, char *err, size_t cap);

#endif
