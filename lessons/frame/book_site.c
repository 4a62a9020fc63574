/* book_site.c - the course book as a site: the runs found under plots/, the
 * course index (every lesson of the README's table, the questions it
 * answers, its runs), the shared assets, and the two entry points of book.h.
 */
#include "book.h"
#include "book_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_RUNS 256
#define MAX_LESSONS 100
#define KATEX_DIR "/usr/share/javascript/katex"

typedef struct {
    int number;
    char name[64];          /* "03 generator" */
    char questions[1200];
} lesson_row;

/* The README's lesson table: rows "| NN name | questions |". */
static int readme_lessons(lesson_row *rows, int cap)
{
    const char *p = strstr(book_embedded, "==> README.md <==");
    const char *end = p ? strstr(p + 1, "==> ") : NULL;
    int n = 0;
    while (p && (p = strstr(p, "\n| ")) != NULL && (!end || p < end) && n < cap) {
        p += 3;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ' ')
            continue;
        const char *bar = strchr(p, '|'), *eol = strchr(p, '\n');
        if (!bar || !eol || bar > eol)
            continue;
        const char *q = bar + 1, *qe = eol;
        while (q < qe && *q == ' ')
            q++;
        while (qe > q && (qe[-1] == ' ' || qe[-1] == '|'))
            qe--;
        lesson_row *r = &rows[n++];
        r->number = (p[0] - '0') * 10 + (p[1] - '0');
        size_t nl = (size_t)(bar - p);
        while (nl && p[nl - 1] == ' ')
            nl--;
        snprintf(r->name, sizeof r->name, "%.*s", (int)nl, p);
        snprintf(r->questions, sizeof r->questions, "%.*s", (int)(qe - q), q);
    }
    return n;
}

/* One embedded file ("tools/book/book.css") as [*start, start + *n). */
static int embedded_file(const char *name, const char **start, size_t *n)
{
    char head[128];
    snprintf(head, sizeof head, "==> %s <==\n", name);
    const char *p = strstr(book_embedded, head);
    if (!p)
        return -1;
    p += strlen(head);
    const char *e = strstr(p, "==> ");
    *start = p;
    *n = e ? (size_t)(e - p) : strlen(p);
    return 0;
}

/* Copies src to dst unless dst already has src's size. */
static int copy_file(const char *src, const char *dst, char *err, size_t cap)
{
    struct stat a, b;
    if (stat(src, &a) != 0)
        return 0; /* nothing to copy */
    if (stat(dst, &b) == 0 && a.st_size == b.st_size)
        return 0;
    size_t n;
    char *data = book_read_file(src, &n, err, cap);
    if (!data)
        return -1;
    int rc = book_write_file(dst, data, n, err, cap);
    free(data);
    return rc;
}

/* book.css, book.js and KaTeX (when Debian's libjs-katex is installed) in
 * dir. Returns 1 when KaTeX is there, 0 when not, -1 on a write error. */
static int write_assets(const char *dir, char *err, size_t cap)
{
    static const char *const files[] = {"tools/book/book.css", "tools/book/book.js"};
    char path[1100];
    for (int i = 0; i < 2; i++) {
        const char *s;
        size_t n;
        if (embedded_file(files[i], &s, &n) != 0) {
            snprintf(err, cap, "%s is not embedded in this program", files[i]);
            return -1;
        }
        snprintf(path, sizeof path, "%s/%s", dir, strrchr(files[i], '/') + 1);
        if (book_write_file(path, s, n, err, cap) != 0)
            return -1;
    }
    if (!book_exists(KATEX_DIR "/katex.min.js"))
        return 0;
    char src[1100];
    snprintf(path, sizeof path, "%s/katex", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/katex/fonts", dir);
    mkdir(path, 0777);
    static const char *const top[] = {"katex.min.js", "katex.min.css"};
    for (int i = 0; i < 2; i++) {
        snprintf(src, sizeof src, KATEX_DIR "/%s", top[i]);
        snprintf(path, sizeof path, "%s/katex/%s", dir, top[i]);
        if (copy_file(src, path, err, cap) != 0)
            return -1;
    }
    DIR *d = opendir(KATEX_DIR "/fonts");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(src, sizeof src, KATEX_DIR "/fonts/%s", e->d_name);
        snprintf(path, sizeof path, "%s/katex/fonts/%s", dir, e->d_name);
        if (copy_file(src, path, err, cap) != 0) {
            closedir(d);
            return -1;
        }
    }
    if (d)
        closedir(d);
    return 1;
}

/* The runs in dir: folders NN_topic or NN_topic-exercises with a lesson.md,
 * sorted by name (lesson order, the course's run before the student's). */
static int cmp_run(const void *a, const void *b)
{
    return strcmp(((const book_run *)a)->dir, ((const book_run *)b)->dir);
}

static int find_runs(const char *dir, book_run *runs, int cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < cap) {
        const char *nm = e->d_name;
        if (!isdigit((unsigned char)nm[0]) || !isdigit((unsigned char)nm[1]) || nm[2] != '_' ||
            strlen(nm) >= sizeof runs[0].dir)
            continue;
        char path[1100], err[256];
        snprintf(path, sizeof path, "%s/%s/lesson.md", dir, nm);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        book_run *r = &runs[n];
        memset(r, 0, sizeof *r);
        snprintf(r->dir, sizeof r->dir, "%s", nm);
        r->number = (nm[0] - '0') * 10 + (nm[1] - '0');
        size_t len = strlen(nm);
        r->yours = len > 10 && !strcmp(nm + len - 10, "-exercises");
        r->when = sb.st_mtime;
        char *md = book_read_file(path, NULL, err, sizeof err);
        if (!md)
            continue;
        if (!strncmp(md, "# ", 2))
            snprintf(r->title, sizeof r->title, "%.*s", (int)strcspn(md + 2, "\n"), md + 2);
        else
            snprintf(r->title, sizeof r->title, "%s", nm);
        const char *run_line = strstr(md, "\nRun: `");
        const char *eol = run_line ? strchr(run_line + 1, '\n') : NULL;
        const char *fast = run_line ? strstr(run_line, ", fast)") : NULL;
        r->fast = fast && eol && fast < eol;
        free(md);
        n++;
    }
    closedir(d);
    qsort(runs, (size_t)n, sizeof runs[0], cmp_run);
    return n;
}

/* The neighbours of runs[i] along the course: the nearest earlier and later
 * lessons that have a run, of the same code where there is one. */
static void links_of(const book_run *runs, int n, int i, book_links *l)
{
    memset(l, 0, sizeof *l);
    const book_run *prev = NULL, *next = NULL;
    for (int k = 0; k < n; k++) {
        const book_run *r = &runs[k];
        if (r->number < runs[i].number &&
            (!prev || r->number > prev->number ||
             (r->number == prev->number && r->yours == runs[i].yours)))
            prev = r;
        if (r->number > runs[i].number &&
            (!next || r->number < next->number ||
             (r->number == next->number && next->yours != runs[i].yours)))
            next = r;
    }
    if (prev) {
        snprintf(l->prev, sizeof l->prev, "../%s/index.html", prev->dir);
        snprintf(l->prev_title, sizeof l->prev_title, "%s", prev->title);
    }
    if (next) {
        snprintf(l->next, sizeof l->next, "../%s/index.html", next->dir);
        snprintf(l->next_title, sizeof l->next_title, "%s", next->title);
    }
}

static void run_link(book_buf *b, const book_run *r)
{
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", localtime(&r->when));
    bb_printf(b, "<li class=\"%s\"><a href=\"%s/index.html\">%s</a>, run %s%s "
                 "<span class=\"files\">(<a href=\"%s/lesson.ipynb\">notebook</a>)</span></li>\n",
              r->yours ? "yours" : "course", r->dir,
              r->yours ? "your code (USE=exercises)" : "the course's code", when,
              r->fast ? ", a --fast run" : "", r->dir);
}

static int write_index(const char *dir, const book_run *runs, int n, char *err, size_t cap)
{
    static lesson_row rows[MAX_LESSONS];
    int nrows = readme_lessons(rows, MAX_LESSONS);
    book_buf b;
    bb_init(&b);
    bb_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>gansteps: the course book</title>\n"
                "<link rel=\"stylesheet\" href=\"book.css\">\n"
                "<script defer src=\"book.js\"></script>\n</head>\n<body class=\"index\">\n"
                "<main>\n<h1>gansteps: the course book</h1>\n"
                "<p>Every lesson of the course, the questions it answers, and the runs under "
                "this folder: each run's page is its notebook, with its figures. A lesson "
                "that has not run yet says how to run it.</p>\n<ol class=\"lessons\">\n");
    int shown[MAX_RUNS] = {0};
    for (int k = 0; k < nrows || k == 0; k++) {
        if (nrows == 0)
            break;
        lesson_row *row = &rows[k];
        bb_printf(&b, "<li id=\"lesson-%02d\"><h2>", row->number);
        bb_html(&b, row->name, strlen(row->name));
        bb_puts(&b, "</h2>\n<p class=\"questions\">");
        bb_html(&b, row->questions, strlen(row->questions));
        bb_puts(&b, "</p>\n<ul class=\"runs\">\n");
        int any = 0, course = 0, yours = 0;
        for (int i = 0; i < n; i++)
            if (runs[i].number == row->number) {
                run_link(&b, &runs[i]);
                shown[i] = 1;
                any = 1;
                course |= !runs[i].yours;
                yours |= runs[i].yours;
            }
        if (!course)
            bb_printf(&b, "<li class=\"notrun\">not run yet on the course's code: "
                          "<code>make lesson N=%d</code></li>\n", row->number);
        if (!yours && any)
            bb_printf(&b, "<li class=\"notrun\">not run yet on your code: "
                          "<code>make lesson N=%d USE=exercises</code></li>\n", row->number);
        bb_puts(&b, "</ul></li>\n");
    }
    /* Runs of a lesson the table does not name still get their link. */
    for (int i = 0; i < n; i++)
        if (!shown[i]) {
            bb_puts(&b, "<li><h2>");
            bb_html(&b, runs[i].title, strlen(runs[i].title));
            bb_puts(&b, "</h2>\n<ul class=\"runs\">\n");
            run_link(&b, &runs[i]);
            bb_puts(&b, "</ul></li>\n");
        }
    bb_puts(&b, "</ol>\n</main>\n</body>\n</html>\n");
    char path[1100];
    snprintf(path, sizeof path, "%s/index.html", dir);
    int rc = b.ok ? book_write_file(path, b.p, b.n, err, cap) : -1;
    if (!b.ok)
        snprintf(err, cap, "out of memory writing %s", path);
    bb_free(&b);
    return rc;
}

/* Writes the pages of the runs under dir (only the one named `only`, or all
 * when it is NULL), then the index. */
static int build(const char *dir, const char *only, int *pages, char *err, size_t cap)
{
    static book_run runs[MAX_RUNS];
    int katex = write_assets(dir, err, cap);
    if (katex < 0)
        return -1;
    int n = find_runs(dir, runs, MAX_RUNS), written = 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
        if (only && strcmp(runs[i].dir, only) != 0)
            continue;
        found = 1;
        book_links l;
        links_of(runs, n, i, &l);
        char run_dir[1100];
        if (snprintf(run_dir, sizeof run_dir, "%s/%s", dir, runs[i].dir) >= (int)sizeof run_dir) {
            snprintf(err, cap, "path %s/%s is too long", dir, runs[i].dir);
            return -1;
        }
        if (book_write_page(run_dir, &runs[i], &l, katex, err, cap) != 0 ||
            book_write_ipynb(run_dir, err, cap) != 0)
            return -1;
        written++;
    }
    /* A run folder the index cannot list (its name is not NN_topic) still
     * gets its page. */
    if (only && !found) {
        book_run r;
        memset(&r, 0, sizeof r);
        snprintf(r.title, sizeof r.title, "%s", only);
        book_links l;
        memset(&l, 0, sizeof l);
        char run_dir[1100];
        snprintf(run_dir, sizeof run_dir, "%s/%s", dir, only);
        if (book_write_page(run_dir, &r, &l, katex, err, cap) != 0 ||
            book_write_ipynb(run_dir, err, cap) != 0)
            return -1;
        written++;
    }
    if (pages)
        *pages = written;
    return write_index(dir, runs, n, err, cap);
}

int book_refresh_run(const char *run_dir, char *err, size_t cap)
{
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", run_dir);
    size_t len = strlen(parent);
    while (len > 1 && parent[len - 1] == '/')
        parent[--len] = '\0';
    char *slash = strrchr(parent, '/');
    const char *name = slash ? slash + 1 : parent;
    char base[256];
    snprintf(base, sizeof base, "%s", name);
    if (slash == parent)
        parent[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    return build(parent, base, NULL, err, cap);
}

int book_build(const char *plots_dir, int *pages, char *err, size_t cap)
{
    struct stat sb;
    if (stat(plots_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(err, cap, "%s is not a folder of runs (run a lesson first: make lesson N=1)",
                 plots_dir);
        return -1;
    }
    return build(plots_dir, NULL, pages, err, cap);
}
