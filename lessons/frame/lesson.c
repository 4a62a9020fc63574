/* lesson.c - the lesson frame: flags, steps, code cells, outputs, notebook.
 * See lesson.h for the contract; this file is the plumbing behind it.
 */
#include "lesson.h"
#include "exercise_probe.h"
#include "nn.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_WIDTH 80
#define MAX_WIDTH 100

/* ANSI styles, used only when L->color. */
#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_TITLE "\033[1;36m"
#define C_KEYWORD "\033[34m"
#define C_STRING "\033[33m"
#define C_NUMBER "\033[36m"
#define C_COMMENT "\033[90m"

struct lesson_state {
    FILE *md, *tsv;         /* lesson.md and summary.tsv, open for the whole run */
    int md_in_output;       /* a ``` output block is open in lesson.md */
    int md_bol;             /* lesson.md is at the beginning of a line */
    int nstep;              /* steps started so far */
    int after_output;       /* the last thing on stdout was output, not text */
    int width;              /* columns for wrapped text */
    FILE *cap;              /* lesson_capture stream, NULL when none */
    char *capbuf;
    size_t caplen;
    char name[64];          /* "01_environment", prefix of error lines */
    char out[1024];         /* the output folder */
    char path[2048];        /* lesson_path's buffer */
};

/* ------------------------------------------------------------------ small pieces */

double lesson_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* printf into a fresh heap string; NULL only when memory runs out. */
static char *vformat(const char *fmt, va_list ap)
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

/* mkdir -p: each prefix of path that is missing is created. */
static int make_dirs(const char *path)
{
    char buf[1024];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            buf[i] = c;
        }
    }
    struct stat sb;
    return (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) ? 0 : -1;
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

/* lesson.md: close an open output block before anything that is not output. */
static void md_text_mode(lesson *L)
{
    struct lesson_state *s = L->st;
    if (!s->md_in_output)
        return;
    fprintf(s->md, "%s```\n\n", s->md_bol ? "" : "\n");
    s->md_in_output = 0;
    s->md_bol = 1;
}

/* Output text: to stdout as is and into lesson.md's current ``` block. */
static void emit_output(lesson *L, const char *text)
{
    struct lesson_state *s = L->st;
    if (!*text)
        return;
    fputs(text, stdout);
    s->after_output = 1;
    if (!s->md_in_output) {
        fputs("```\n", s->md);
        s->md_in_output = 1;
    }
    /* ANSI escapes (coloured previews) mean nothing in Markdown: drop them. */
    for (const char *p = text; *p; p++) {
        if (*p == '\033' && p[1] == '[') {
            p += 2;
            while (*p && !isalpha((unsigned char)*p))
                p++;
            if (!*p)
                break;
            continue;
        }
        if (*p == '\r')
            continue;
        fputc(*p, s->md);
    }
    s->md_bol = text[strlen(text) - 1] == '\n';
    fflush(s->md);
}

/* Closes both files; safe to call twice. */
static void close_files(lesson *L)
{
    struct lesson_state *s = L->st;
    if (s->cap) {
        fclose(s->cap);
        s->cap = NULL;
        free(s->capbuf);
        s->capbuf = NULL;
    }
    if (s->md) {
        md_text_mode(L);
        fclose(s->md);
        s->md = NULL;
    }
    if (s->tsv) {
        fclose(s->tsv);
        s->tsv = NULL;
    }
    fflush(stdout);
}

static void free_lesson(lesson *L)
{
    free(L->st);
    free(L);
}

/* Exit before the lesson is set up (flag errors): one line, status 2. */
LESSON_NORETURN static void flag_error(const char *name, const char *fmt, ...)
    LESSON_PRINTF(2, 3);
static void flag_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try --help)\n");
    va_end(ap);
    exit(LESSON_EXIT_INPUT);
}

/* ------------------------------------------------------------------ flags */

static const char *type_word(lesson_flag_type t)
{
    switch (t) {
    case LESSON_INT: return "N";
    case LESSON_FLOAT: return "X";
    case LESSON_STRING: return "S";
    case LESSON_CHOICE: return "W";
    case LESSON_SWITCH: return "";
    }
    return "";
}

/* The shared flags' names, for --help's column and for suggestions. */
static const char *const shared_names[] = {"help", "no-pause", "fast", "seed", "out"};
#define N_SHARED ((int)(sizeof shared_names / sizeof shared_names[0]))

/* A flag's "--name T" as --help shows it (the type word only for a value). */
static void flag_head(char *buf, size_t cap, const lesson_flag *f)
{
    if (f->type == LESSON_SWITCH)
        snprintf(buf, cap, "--%s", f->name);
    else
        snprintf(buf, cap, "--%s %s", f->name, type_word(f->type));
}

/* --help: each flag's "--name T" in a column as wide as the longest of them,
 * then two spaces or more and its text; a range or choice list goes on the
 * next line, under the text. */
static void print_help(const char *prog, const lesson_info *info, const lesson_flag *flags,
                       int nflags)
{
    static const char *const shared_heads[] = {"--help", "--no-pause", "--fast", "--seed N",
                                               "--out DIR"};
    char head[96];
    int w = 0;
    for (size_t i = 0; i < sizeof shared_heads / sizeof shared_heads[0]; i++)
        if ((int)strlen(shared_heads[i]) > w)
            w = (int)strlen(shared_heads[i]);
    for (int i = 0; i < nflags; i++) {
        flag_head(head, sizeof head, &flags[i]);
        if ((int)strlen(head) > w)
            w = (int)strlen(head);
    }
    printf("Lesson %02d: %s\n%s\n\nusage: %s [flags]\n\n", info->number, info->title,
           info->about, prog);
    printf("  %-*s  this text\n", w, "--help");
    printf("  %-*s  run straight through (the default when stdin is not a terminal)\n", w,
           "--no-pause");
    printf("  %-*s  a small, quick run (what the smoke tests use)\n", w, "--fast");
    printf("  %-*s  random seed (default %llu)\n", w, "--seed N",
           (unsigned long long)info->default_seed);
    printf("  %-*s  output folder (default plots/%02d_%s)\n", w, "--out DIR", info->number,
           info->slug);
    for (int i = 0; i < nflags; i++) {
        const lesson_flag *f = &flags[i];
        char def[128] = "";
        flag_head(head, sizeof head, f);
        switch (f->type) {
        /* A number below its range by default means "the lesson chooses":
         * the help text says how. */
        case LESSON_INT:
            if (f->min < f->max && *(int *)f->value < f->min) break;
            snprintf(def, sizeof def, " (default %d)", *(int *)f->value);
            break;
        case LESSON_FLOAT:
            if (f->min < f->max && *(float *)f->value < f->min) break;
            snprintf(def, sizeof def, " (default %g)", (double)*(float *)f->value);
            break;
        case LESSON_STRING:
        case LESSON_CHOICE: {
            const char *v = *(const char **)f->value;
            if (v)
                snprintf(def, sizeof def, " (default %s)", v);
            break;
        }
        case LESSON_SWITCH:
            break;
        }
        printf("  %-*s  %s%s\n", w, head, f->help, def);
        if (f->type == LESSON_CHOICE)
            printf("  %-*s  one of: %s\n", w, "", f->choices);
        else if ((f->type == LESSON_INT || f->type == LESSON_FLOAT) && f->min < f->max) {
            if (f->max >= 1e9)
                printf("  %-*s  at least %.10g\n", w, "", f->min);
            else
                printf("  %-*s  range: %.10g .. %.10g\n", w, "", f->min, f->max);
        }
    }
}

/* Edit distance between a and b counting a swap of two neighbours as one
 * edit ("--sede" is one edit from "--seed"); names longer than 63 count as
 * far from everything. */
static int edit_distance(const char *a, const char *b)
{
    enum { MAXN = 64 };
    size_t n = strlen(a), m = strlen(b);
    if (n >= MAXN || m >= MAXN)
        return MAXN;
    int d[MAXN][MAXN];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* "Did you mean": among the words offered one by one (suggest_word), the
 * one the user probably meant by `typed`: the closest by edit_distance when
 * it is close enough for the word's length (1 edit up to 4 letters, 2 up to
 * 8, 3 beyond), the first on a tie; else the only word that `typed` (3
 * letters or more) is the start of; else none. */
typedef struct {
    const char *typed, *best;
    size_t best_len;
    int best_d;
    const char *prefix_of;
    size_t prefix_len;
    int n_prefix;
} suggestion;

static void suggest_start(suggestion *s, const char *typed)
{
    memset(s, 0, sizeof *s);
    s->typed = typed;
    s->best_d = 1 << 20;
}

static void suggest_word(suggestion *s, const char *word, size_t len)
{
    char w[64];
    if (len == 0 || len >= sizeof w)
        return;
    memcpy(w, word, len);
    w[len] = '\0';
    size_t tl = strlen(s->typed);
    int d = edit_distance(s->typed, w);
    int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    if (d <= limit && d < s->best_d) {
        s->best = word;
        s->best_len = len;
        s->best_d = d;
    }
    if (tl >= 3 && tl < len && !strncmp(s->typed, w, tl)) {
        s->prefix_of = word;
        s->prefix_len = len;
        s->n_prefix++;
    }
}

/* Writes lead + the word + "?" into buf ("; did you mean --epochs?"), or ""
 * when no word is close. */
static void suggest_text(const suggestion *s, char *buf, size_t cap, const char *lead)
{
    buf[0] = '\0';
    if (s->best)
        snprintf(buf, cap, "%s%.*s?", lead, (int)s->best_len, s->best);
    else if (s->n_prefix == 1)
        snprintf(buf, cap, "%s%.*s?", lead, (int)s->prefix_len, s->prefix_of);
}

/* Range check shared by INT and FLOAT. */
static void check_range(const char *prog, const lesson_flag *f, double v, const char *text)
{
    if (!(f->min < f->max))
        return;
    if (v < f->min || v > f->max) {
        if (f->max >= 1e9)
            flag_error(prog, "--%s: %s is out of range, it must be at least %.10g", f->name,
                       text, f->min);
        flag_error(prog, "--%s: %s is out of range, it must be between %.10g and %.10g",
                   f->name, text, f->min, f->max);
    }
}

/* Parses one lesson-specific flag's value into its pointer. */
static void set_flag(const char *prog, const lesson_flag *f, const char *v)
{
    char *end;
    switch (f->type) {
    case LESSON_INT: {
        errno = 0;
        long x = strtol(v, &end, 10);
        if (end == v || *end || errno || x < -2147483647L || x > 2147483647L)
            flag_error(prog, "--%s: \"%s\" is not a whole number", f->name, v);
        check_range(prog, f, (double)x, v);
        *(int *)f->value = (int)x;
        break;
    }
    case LESSON_FLOAT: {
        errno = 0;
        double x = strtod(v, &end);
        if (end == v || *end || !isfinite(x) || fabs(x) > 3.4e38)
            flag_error(prog, "--%s: \"%s\" is not a number", f->name, v);
        check_range(prog, f, x, v);
        *(float *)f->value = (float)x;
        break;
    }
    case LESSON_STRING:
        if (!*v)
            flag_error(prog, "--%s: the value is empty", f->name);
        *(const char **)f->value = v;
        break;
    case LESSON_CHOICE: {
        /* Point at the table's own copy of the word, so lessons can compare
         * with strcmp or by pointer. */
        size_t n = strlen(v);
        for (const char *c = f->choices; n && *c;) {
            const char *bar = strchr(c, '|');
            size_t len = bar ? (size_t)(bar - c) : strlen(c);
            if (len == n && strncmp(c, v, n) == 0) {
                *(const char **)f->value = v;
                return;
            }
            c += len + (bar != NULL);
        }
        suggestion sg;
        suggest_start(&sg, v);
        for (const char *c = f->choices; *c;) {
            const char *bar = strchr(c, '|');
            size_t len = bar ? (size_t)(bar - c) : strlen(c);
            suggest_word(&sg, c, len);
            c += len + (bar != NULL);
        }
        char hint[96];
        suggest_text(&sg, hint, sizeof hint, "; did you mean ");
        flag_error(prog, "--%s: \"%s\" is not one of %s%s", f->name, v, f->choices, hint);
    }
    case LESSON_SWITCH:
        *(int *)f->value = 1;
        break;
    }
}

static void parse_flags(lesson *L, int argc, char **argv, const lesson_flag *flags, int nflags,
                        const char **out)
{
    const char *prog = L->st->name;
    int no_pause = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0)
            flag_error(prog, "unexpected argument \"%s\": flags start with --", arg);
        char name[64];
        const char *eq = strchr(arg + 2, '=');
        size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        if (n == 0 || n >= sizeof name)
            flag_error(prog, "\"%s\" is not a flag", arg);
        memcpy(name, arg + 2, n);
        name[n] = '\0';
        const char *value = eq ? eq + 1 : NULL;

        /* Switches take no value. */
        int is_switch = !strcmp(name, "help") || !strcmp(name, "no-pause") ||
                        !strcmp(name, "fast");
        const lesson_flag *f = NULL;
        for (int k = 0; k < nflags && !is_switch; k++)
            if (!strcmp(flags[k].name, name))
                f = &flags[k];
        if (f && f->type == LESSON_SWITCH)
            is_switch = 1;
        if (!is_switch && !f && strcmp(name, "seed") && strcmp(name, "out")) {
            /* A typo: name the flag that was probably meant. */
            suggestion sg;
            suggest_start(&sg, name);
            for (int k = 0; k < N_SHARED; k++)
                suggest_word(&sg, shared_names[k], strlen(shared_names[k]));
            for (int k = 0; k < nflags; k++)
                suggest_word(&sg, flags[k].name, strlen(flags[k].name));
            char hint[96];
            suggest_text(&sg, hint, sizeof hint, "; did you mean --");
            flag_error(prog, "unknown flag --%s%s", name, hint);
        }
        if (is_switch) {
            if (value)
                flag_error(prog, "--%s takes no value", name);
        } else if (!value) {
            if (i + 1 >= argc)
                flag_error(prog, "--%s needs a value", name);
            value = argv[++i];
        }

        if (!strcmp(name, "help")) {
            print_help(argv[0], L->info, flags, nflags);
            free_lesson(L);
            exit(0);
        } else if (!strcmp(name, "no-pause")) {
            no_pause = 1;
        } else if (!strcmp(name, "fast")) {
            L->fast = 1;
        } else if (!strcmp(name, "seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(value, &end, 10);
            if (end == value || *end || errno || value[0] == '-')
                flag_error(prog, "--seed: \"%s\" is not a whole number >= 0", value);
            L->seed = (uint64_t)s;
        } else if (!strcmp(name, "out")) {
            if (!*value)
                flag_error(prog, "--out: the folder name is empty");
            *out = value;
        } else {
            set_flag(prog, f, value);
        }
    }
    L->pause = !no_pause && isatty(STDIN_FILENO);
}

/* ------------------------------------------------------------------ begin / end */

lesson *lesson_begin(int argc, char **argv, const lesson_info *info, const lesson_flag *flags,
                     int nflags)
{
    lesson *L = calloc(1, sizeof *L);
    struct lesson_state *s = L ? calloc(1, sizeof *s) : NULL;
    if (!s) {
        fprintf(stderr, "lesson: out of memory\n");
        exit(LESSON_EXIT_INTERNAL);
    }
    L->st = s;
    L->info = info;
    L->seed = info->default_seed;
    snprintf(s->name, sizeof s->name, "%02d_%s", info->number, info->slug);

    const char *out = NULL;
    parse_flags(L, argc, argv, flags, nflags, &out);

    /* On the student's own code (USE=exercises): every exercise this lesson
     * calls must answer a hand-worked case first, or the lesson stops here,
     * before it writes or trains anything. */
    int yours = strcmp(lesson_code_source, "exercises") == 0;
    if (yours) {
        char why[256];
        int n = lesson_exercise_probe(lesson_exercises_needed(info->number), why, sizeof why);
        if (n) {
            fprintf(stderr,
                    "%s: this run uses your code (USE=exercises), and exercise %d (%s in %s) "
                    "is not written yet or answers wrong: %s. Finish it first: make check "
                    "EX=%d, make hint EX=%d.\n",
                    s->name, n, lesson_exercise_function(n), lesson_exercise_file(n), why, n, n);
            exit(LESSON_EXIT_INPUT);
        }
    }
    /* A run on the student's code gets its own folder: it never overwrites
     * the course's run. */
    if (out)
        snprintf(s->out, sizeof s->out, "%s", out);
    else
        snprintf(s->out, sizeof s->out, "plots/%s%s", s->name, yours ? "-exercises" : "");
    L->out = s->out;

    L->tty = isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    L->color = L->tty && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
    s->width = terminal_width(L->tty);

    if (make_dirs(s->out) != 0)
        flag_error(s->name, "--out: cannot create folder %s: %s", s->out, strerror(errno));
    s->md = fopen(lesson_path(L, "lesson.md"), "w");
    s->tsv = s->md ? fopen(lesson_path(L, "summary.tsv"), "w") : NULL;
    if (!s->tsv)
        flag_error(s->name, "--out: cannot write in %s: %s", s->out, strerror(errno));
    s->md_bol = 1;

    /* Header: on screen and as the notebook's title, with the command that
     * reproduces the run. */
    if (L->color)
        printf(C_BOLD "Lesson %02d: %s" C_RESET "\n", info->number, info->title);
    else
        printf("Lesson %02d: %s\n", info->number, info->title);
    fprintf(s->md, "# Lesson %02d: %s\n\n", info->number, info->title);
    lesson_say(L, "%s", info->about);
    fprintf(s->md, "Run: `%s", s->name);
    for (int i = 1; i < argc; i++)
        fprintf(s->md, " %s", argv[i]);
    fprintf(s->md, "` (seed %llu%s). Files: `%s/`.\n\n", (unsigned long long)L->seed,
            L->fast ? ", fast" : "", s->out);
    /* Which code ran: the course's answers, or the student's exercises. */
    fprintf(s->md, "Code: %s.\n\n", yours ? "your own, from `exercises/` (USE=exercises)"
                                           : "the course's answers, from `solutions/`");
    fprintf(s->tsv, "code\t%s\n", lesson_code_source);
    printf("%s(seed %llu%s, %s, output in %s/%s)%s\n", L->color ? C_DIM : "",
           (unsigned long long)L->seed, L->fast ? ", fast run" : "",
           yours ? "on your code from exercises/" : "on the course's solutions/", s->out,
           L->pause ? "; Enter continues, q quits" : "", L->color ? C_RESET : "");
    fflush(stdout);
    fflush(s->md);
    return L;
}

int lesson_end(lesson *L)
{
    struct lesson_state *s = L->st;
    /* The run's peak resident memory (Linux reports kilobytes): what a
     * student's machine must have free for this lesson. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        lesson_key(L, "peak_rss_mb", "%.1f", (double)ru.ru_maxrss / 1024.0);
    md_text_mode(L);
    printf("\n%sNotebook of this run: %s/lesson.md; key figures: %s/summary.tsv%s\n",
           L->color ? C_DIM : "", s->out, s->out, L->color ? C_RESET : "");
    close_files(L);
    free_lesson(L);
    return 0;
}

/* ------------------------------------------------------------------ steps and text */

/* Waits for Enter; q or end of input quits the lesson with status 0. */
static void pause_here(lesson *L)
{
    printf("%s[Enter] continue, q quit %s", L->color ? C_DIM : "", L->color ? C_RESET : "");
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin) || line[0] == 'q' || line[0] == 'Q') {
        printf("\nStopped at step %d.\n", L->st->nstep);
        md_text_mode(L);
        fprintf(L->st->md, "_Stopped by the reader after step %d._\n", L->st->nstep);
        close_files(L);
        free_lesson(L);
        exit(0);
    }
    /* Drain a line longer than the buffer so it does not answer the next pause. */
    while (!strchr(line, '\n') && fgets(line, sizeof line, stdin))
        ;
}

void lesson_step(lesson *L, const char *title)
{
    struct lesson_state *s = L->st;
    if (s->nstep > 0 && L->pause)
        pause_here(L);
    s->nstep++;
    char head[256];
    int n = snprintf(head, sizeof head, "-- Step %d: %s ", s->nstep, title);
    printf("\n%s%s", L->color ? C_TITLE : "", head);
    for (int i = n; i < s->width; i++)
        putchar('-');
    printf("%s\n", L->color ? C_RESET : "");
    s->after_output = 0;
    md_text_mode(L);
    fprintf(s->md, "## %d. %s\n\n", s->nstep, title);
    fflush(s->md);
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

void lesson_say(lesson *L, const char *fmt, ...)
{
    struct lesson_state *s = L->st;
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    if (!text)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting text");
    md_text_mode(L);
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
        int blank = 1;
        for (size_t k = 0; k < len; k++)
            if (!isspace((unsigned char)p[k]))
                blank = 0;
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
            int b2 = 1;
            for (size_t k = 0; k < l2; k++)
                if (!isspace((unsigned char)q[k]))
                    b2 = 0;
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

/* ------------------------------------------------------------------ code cells */

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

static int is_keyword(const char *w, size_t n)
{
    static const char *const kw[] = {
        "int", "float", "double", "char", "void", "const", "static", "struct", "typedef",
        "unsigned", "long", "short", "size_t", "uint64_t", "uint32_t", "uint8_t", "int64_t",
        "return", "if", "else", "for", "while", "do", "break", "continue", "sizeof", "enum",
        "switch", "case", "default", "NULL", "FILE", "goto"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i]) == n && !strncmp(kw[i], w, n))
            return 1;
    return 0;
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
            if (is_keyword(p + i, j - i))
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

    md_text_mode(L);
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

/* ------------------------------------------------------------------ outputs */

void lesson_print(lesson *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    if (!text)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting output");
    emit_output(L, text);
    free(text);
}

/* Appends name<TAB>value to summary.tsv; returns the value text (heap). */
static char *record_key(lesson *L, const char *name, const char *fmt, va_list ap)
{
    char *v = vformat(fmt, ap);
    if (!v)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory while formatting %s", name);
    for (char *c = v; *c; c++)
        if (*c == '\t' || *c == '\n' || *c == '\r')
            *c = ' '; /* one record per line, two fields: keep the file parseable */
    fprintf(L->st->tsv, "%s\t%s\n", name, v);
    fflush(L->st->tsv);
    return v;
}

void lesson_key(lesson *L, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *v = record_key(L, name, fmt, ap);
    va_end(ap);
    lesson_print(L, "%s = %s\n", name, v);
    free(v);
}

void lesson_key_quiet(lesson *L, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(record_key(L, name, fmt, ap));
    va_end(ap);
}

FILE *lesson_capture_begin(lesson *L)
{
    struct lesson_state *s = L->st;
    if (s->cap)
        lesson_capture_end(L); /* one at a time: finish the previous one */
    s->cap = open_memstream(&s->capbuf, &s->caplen);
    return s->cap ? s->cap : stdout;
}

void lesson_capture_end(lesson *L)
{
    struct lesson_state *s = L->st;
    if (!s->cap)
        return;
    fclose(s->cap);
    s->cap = NULL;
    if (s->capbuf)
        emit_output(L, s->capbuf);
    free(s->capbuf);
    s->capbuf = NULL;
    s->caplen = 0;
    fflush(stdout);
}

const char *lesson_path(lesson *L, const char *name)
{
    struct lesson_state *s = L->st;
    int n = snprintf(s->path, sizeof s->path, "%s/%s", s->out, name);
    if (n < 0 || (size_t)n >= sizeof s->path)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "path %s/%s is too long", s->out, name);
    return s->path;
}

void lesson_figure(lesson *L, const char *name, const char *caption)
{
    struct lesson_state *s = L->st;
    struct stat sb;
    const char *path = lesson_path(L, name);
    int ok = stat(path, &sb) == 0 && sb.st_size > 0;
    md_text_mode(L);
    s->after_output = 1;
    if (ok) {
        printf("%sfigure: %s%s  %s\n", L->color ? C_BOLD : "", path, L->color ? C_RESET : "",
               caption);
        fprintf(s->md, "![%s](%s)\n\n", caption, name);
    } else {
        printf("figure: %s was not rendered (is gnuplot installed? `make deps`); its data "
               "is in the .dat/.gp files beside it\n",
               path);
        fprintf(s->md, "_Figure %s (%s) was not rendered; its data is in the .dat/.gp files._\n\n",
                name, caption);
    }
    fflush(s->md);
}

void lesson_plot_shown(lesson *L, const nn_plot *p, nn_status s, const nn_error *err,
                       const char *caption)
{
    lesson_check(L, s, err);
    if (p->warning[0]) lesson_print(L, "note: %s\n", p->warning);
    char png[256];
    snprintf(png, sizeof png, "%s.png", p->name);
    lesson_figure(L, png, caption);
}

/* ------------------------------------------------------------------ progress */

void lesson_progress_start(lesson *L, lesson_progress *p, const char *label, long total)
{
    p->L = L;
    p->label = label;
    p->total = total;
    p->done = 0;
    p->t0 = p->last = lesson_seconds();
    p->drawn = 0;
}

static void fmt_time(char *buf, size_t cap, double sec)
{
    long t = (long)(sec + 0.5);
    if (t >= 3600)
        snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

void lesson_progress_tick(lesson_progress *p, long done, const char *note, ...)
{
    p->done = done;
    double now = lesson_seconds(), el = now - p->t0;
    if (el < 2.0)
        return; /* short loops stay quiet */
    if (now - p->last < (p->L->tty ? 0.2 : 10.0))
        return;
    p->last = now;
    double rate = (double)done / el;
    char left[32] = "", tbuf[24], extra[160] = "";
    if (p->total > 0 && rate > 0) {
        fmt_time(tbuf, sizeof tbuf, (double)(p->total - done) / rate);
        snprintf(left, sizeof left, ", %s left", tbuf);
    }
    if (note) {
        va_list ap;
        va_start(ap, note);
        extra[0] = ' ';
        extra[1] = ' ';
        vsnprintf(extra + 2, sizeof extra - 2, note, ap);
        va_end(ap);
    }
    char totbuf[32] = "";
    if (p->total > 0)
        snprintf(totbuf, sizeof totbuf, "/%ld", p->total);
    if (p->L->tty) {
        printf("\r  %s %ld%s  %.1f/s%s%s\033[K", p->label, done, totbuf, rate, left, extra);
        p->drawn = 1;
    } else {
        printf("  %s %ld%s  %.1f/s%s%s\n", p->label, done, totbuf, rate, left, extra);
    }
    fflush(stdout);
}

void lesson_progress_done(lesson_progress *p)
{
    double el = lesson_seconds() - p->t0;
    if (p->drawn)
        printf("\r\033[K");
    if (el >= 2.0) {
        char tbuf[24];
        fmt_time(tbuf, sizeof tbuf, el);
        printf("  %s: %ld steps in %s (%.1f/s)\n", p->label, p->done, tbuf,
               el > 0 ? (double)p->done / el : 0.0);
    }
    p->drawn = 0;
    fflush(stdout);
}

/* ------------------------------------------------------------------ failing */

void lesson_fail(lesson *L, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", L->st->name, msg);
    if (L->st->md) {
        md_text_mode(L);
        fprintf(L->st->md, "**Stopped:** %s\n", msg);
    }
    close_files(L);
    free_lesson(L);
    exit(status == LESSON_EXIT_INPUT ? LESSON_EXIT_INPUT : LESSON_EXIT_INTERNAL);
}

void lesson_check(lesson *L, nn_status s, const nn_error *err)
{
    if (s == NN_OK)
        return;
    int input = s == NN_ERR_IO || s == NN_ERR_FORMAT || s == NN_ERR_ARG || s == NN_ERR_SHAPE;
    lesson_fail(L, input ? LESSON_EXIT_INPUT : LESSON_EXIT_INTERNAL, "%s",
                err && err->msg[0] ? err->msg : nn_status_name(s));
}

void lesson_use_threads(int threads)
{
    if (threads == 0 && !getenv("GANSTEPS_THREADS")) threads = 2;
    if (threads > 0) nn_set_threads(threads);
}

void *lesson_alloc(lesson *L, size_t n, size_t size)
{
    void *p = nn_alloc(n, size);
    if (!p)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %zu values of %zu bytes", n, size);
    return p;
}
