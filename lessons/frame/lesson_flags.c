/* lesson_flags.c - the flags: the shared ones and a lesson's own table
 * parsed from argv, each value checked against its type and range, --help,
 * and the one-line error with a "did you mean" for a typo.
 */
#include "lesson_state.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void lesson_flags_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try --help)\n");
    va_end(ap);
    exit(LESSON_EXIT_INPUT);
}

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
                       int nflags, const char *default_out)
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
    printf("  %-*s  output folder (default %s)\n", w, "--out DIR", default_out);
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
            lesson_flags_error(prog, "--%s: %s is out of range, it must be at least %.10g",
                               f->name, text, f->min);
        lesson_flags_error(prog, "--%s: %s is out of range, it must be between %.10g and %.10g",
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
            lesson_flags_error(prog, "--%s: \"%s\" is not a whole number", f->name, v);
        check_range(prog, f, (double)x, v);
        *(int *)f->value = (int)x;
        break;
    }
    case LESSON_FLOAT: {
        errno = 0;
        double x = strtod(v, &end);
        if (end == v || *end || !isfinite(x) || fabs(x) > 3.4e38)
            lesson_flags_error(prog, "--%s: \"%s\" is not a number", f->name, v);
        check_range(prog, f, x, v);
        *(float *)f->value = (float)x;
        break;
    }
    case LESSON_STRING:
        if (!*v)
            lesson_flags_error(prog, "--%s: the value is empty", f->name);
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
        lesson_flags_error(prog, "--%s: \"%s\" is not one of %s%s", f->name, v, f->choices,
                           hint);
    }
    case LESSON_SWITCH:
        *(int *)f->value = 1;
        break;
    }
}

void lesson_flags_parse(lesson *L, int argc, char **argv, const lesson_flag *flags, int nflags,
                        const char *default_out, const char **out)
{
    const char *prog = L->st->name;
    int no_pause = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0)
            lesson_flags_error(prog, "unexpected argument \"%s\": flags start with --", arg);
        char name[64];
        const char *eq = strchr(arg + 2, '=');
        size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        if (n == 0 || n >= sizeof name)
            lesson_flags_error(prog, "\"%s\" is not a flag", arg);
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
            lesson_flags_error(prog, "unknown flag --%s%s", name, hint);
        }
        if (is_switch) {
            if (value)
                lesson_flags_error(prog, "--%s takes no value", name);
        } else if (!value) {
            if (i + 1 >= argc)
                lesson_flags_error(prog, "--%s needs a value", name);
            value = argv[++i];
        }

        if (!strcmp(name, "help")) {
            print_help(argv[0], L->info, flags, nflags, default_out);
            lesson_destroy(L);
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
                lesson_flags_error(prog, "--seed: \"%s\" is not a whole number >= 0", value);
            L->seed = (uint64_t)s;
        } else if (!strcmp(name, "out")) {
            if (!*value)
                lesson_flags_error(prog, "--out: the folder name is empty");
            *out = value;
        } else {
            set_flag(prog, f, value);
        }
    }
    L->pause = !no_pause && isatty(STDIN_FILENO);
}
