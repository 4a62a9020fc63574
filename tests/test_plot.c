/* test_plot.c - every figure writes NAME.dat and NAME.gp (checked line by
 * line), NAME.png when gnuplot is on PATH, a text plot on request, and one
 * warning without gnuplot (lib/viz/plot.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "viz/plot.h"
#include "testutil.h"

/* The whole of tu_dir/name, NUL-terminated; fails the test when missing. */
static char *slurp(const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", tu_dir, name);
    FILE *f = fopen(p, "rb");
    if (!f) fail_msg("%s was not written", p);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int exists(const char *name)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", tu_dir, name);
    return stat(p, &st) == 0 && st.st_size > 0;
}

/* When gnuplot is installed the PNG must exist and be a PNG. */
static void check_png(const nn_plot *p, const char *name)
{
    if (!nn_plot_have_gnuplot()) return;
    if (!p->png) fail_msg("no PNG for %s: %s", name, p->warning);
    assert_string_equal(p->warning, "");
    const char *b = slurp(name);
    assert_memory_equal(b, "\x89PNG", 4);
}

static void test_lines(void **state)
{
    (void)state;
    float x[3] = {1, 10, 100}, a[3] = {0.5f, 0.25f, 0.125f}, b[3] = {2, -1, 3};
    const float *ys[2] = {a, b};
    const char *names[2] = {"D(x)", "it's G"};
    char *term = NULL;
    size_t tlen = 0;
    FILE *tf = open_memstream(&term, &tlen);
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "losses";
    p.title = "Losses 'now'";
    p.logx = 1;
    p.logy = 1;
    p.term = tf;
    nn_error err;
    nn_status s = nn_plot_lines(&p, x, ys, names, 2, 3, &err);
    fclose(tf);
    if (s != NN_OK) fail_msg("%s", err.msg);
    /* -1 cannot go on a log axis: written as NaN so gnuplot skips it. */
    assert_string_equal(slurp("losses.dat"),
                        "# x series_0 series_1\n1 0.5 2\n10 0.25 NaN\n100 0.125 3\n");
    const char *gp = slurp("losses.gp");
    assert_non_null(strstr(gp, "set title 'Losses ''now'''\n"));
    assert_non_null(strstr(gp, "set logscale x\nset format x '%g'\n"));
    assert_non_null(strstr(gp, "set logscale y\nset format y '%g'\n"));
    /* The key below the plot, where it cannot sit on a curve. */
    assert_non_null(strstr(gp, "set key below width 3\n"));
    assert_non_null(strstr(gp, "'losses.dat' using 1:2 with lines lw 2 title 'D(x)'"));
    assert_non_null(strstr(gp, "'losses.dat' using 1:3 with lines lw 2 title 'it''s G'"));
    assert_non_null(strstr(gp, "set output 'losses.png'"));
    check_png(&p, "losses.png");
    if (nn_plot_have_gnuplot()) assert_non_null(strstr(term, "Losses 'now'"));
    free(term);
}

static void test_scatter_heatmap_vectors(void **state)
{
    (void)state;
    float pts[4] = {0.5f, -1.5f, 2, 0}, modes[2] = {2, 0};
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "scatter";
    assert_int_equal(nn_plot_scatter(&p, pts, 2, modes, 1, NULL), NN_OK);
    assert_string_equal(slurp("scatter.dat"),
                        "# block 0: samples x y\n0.5 -1.5\n2 0\n\n\n# block 1: mode centres x y\n2 0\n");
    assert_non_null(strstr(slurp("scatter.gp"), "index 1 using 1:2"));
    check_png(&p, "scatter.png");

    float z[6] = {0, 1, 2, 3, 4, 5}, arrows[4] = {0.5f, 0.5f, 0.1f, -0.2f};
    p.name = "heat";
    assert_int_equal(nn_plot_heatmap(&p, z, 3, 2, -1, 1, 0, 1, pts, 1, arrows, 1, NULL), NN_OK);
    assert_string_equal(slurp("heat.dat"),
                        "# block 0: grid x y z\n-1 0 0\n0 0 1\n1 0 2\n\n-1 1 3\n0 1 4\n1 1 5\n\n"
                        "\n# block 1: points x y\n0.5 -1.5\n"
                        "\n\n# block 2: arrows x y dx dy\n0.5 0.5 0.100000001 -0.200000003\n");
    const char *gp = slurp("heat.gp");
    assert_non_null(strstr(gp, "index 0 using 1:2:3 with image"));
    /* Samples are cell centres: half a cell of 1 (x) and of 1 (y) beyond
     * the grid on each side, so the edge cells are whole; a colour scale. */
    assert_non_null(strstr(gp, "set xrange [-1.5:1.5]\nset yrange [-0.5:1.5]\n"));
    assert_non_null(strstr(gp, "set colorbox\n"));
    assert_non_null(strstr(gp, "index 2 using 1:2:($3*s):($4*s) with vectors"));
    check_png(&p, "heat.png");

    p.name = "field";
    assert_int_equal(nn_plot_vectors(&p, arrows, 1, modes, 1, NULL), NN_OK);
    assert_non_null(strstr(slurp("field.dat"), "0.5 0.5 0.100000001 -0.200000003\n"));
    check_png(&p, "field.png");

    nn_error err;
    p.name = "bad";
    assert_int_equal(nn_plot_heatmap(&p, z, 1, 2, -1, 1, 0, 1, NULL, 0, NULL, 0, &err),
                     NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "1 x 2"));
}

static void test_bars_histogram(void **state)
{
    (void)state;
    float counts[3] = {6000, 5999, 1};
    const char *labels[3] = {"T-shirt/top", "Ankle boot", "say \"hi\""};
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "classes";
    assert_int_equal(nn_plot_bars(&p, counts, labels, 3, NULL), NN_OK);
    assert_string_equal(slurp("classes.dat"), "# index \"label\" value\n0 \"T-shirt/top\" 6000\n"
                                              "1 \"Ankle boot\" 5999\n2 \"say 'hi'\" 1\n");
    assert_non_null(strstr(slurp("classes.gp"), "using 1:3:xtic(2) with boxes"));
    check_png(&p, "classes.png");
    /* The text plot lays the bars on their side, each after its name: the
     * names are 11, 10 and 8 characters, the values at most 4, so in 78
     * columns the longest bar is 78 - 11 - 3 - 4 = 60 wide; 5999 rounds to
     * 60 too, and 1 to none. */
    char *term = NULL;
    size_t tlen = 0;
    FILE *tf = open_memstream(&term, &tlen);
    p.term = tf;
    p.name = "classes_text";
    assert_int_equal(nn_plot_bars(&p, counts, labels, 3, NULL), NN_OK);
    fclose(tf);
    p.term = NULL;
    char want[512], hashes[61];
    memset(hashes, '#', 60);
    hashes[60] = '\0';
    snprintf(want, sizeof want, "T-shirt/top |%s 6000\nAnkle boot  |%s 5999\nsay \"hi\"    | 1\n",
             hashes, hashes);
    assert_string_equal(term, want);
    free(term);
    /* The script's own text branch puts the names down the side too. */
    assert_non_null(strstr(slurp("classes_text.gp"), ":ytic(2) with boxxyerror"));

    /* 0..3 in 4 bins of width 0.75; the maximum falls in the last bin and
     * the NaN is left out. */
    float x[6] = {0, 0.5f, 1, 3, 2.9f, NAN};
    p.name = "hist";
    const float marks[1] = {1.5f};
    const char *mark_names[1] = {"mean's here"};
    p.xmarks = marks;
    p.xmark_names = mark_names;
    p.n_xmarks = 1;
    assert_int_equal(nn_plot_histogram(&p, x, 6, 4, NULL), NN_OK);
    assert_string_equal(slurp("hist.dat"),
                        "# bin_centre count\n0.375 2\n1.125 1\n1.875 0\n2.625 2\n");
    /* The mark: a line at x = 1.5 across the plot, and its label. */
    const char *hgp = slurp("hist.gp");
    assert_non_null(strstr(hgp, "set arrow 1 from 1.5, graph 0 to 1.5, graph 1 nohead"));
    assert_non_null(strstr(hgp, "set label 100 'mean''s here' at 1.5, graph 0.88"));
    check_png(&p, "hist.png");
}

/* A table as a heat map: row 0 at the top as printed (the y axis runs
 * down), whole square cells, names on both axes, a colour scale from 0 to
 * the greatest value, each value in its cell; the text plot is the table. */
static void test_matrix(void **state)
{
    (void)state;
    float z[6] = {90, 10, 0, 25, 75, 0}; /* 2 rows, 3 columns */
    const char *rows[2] = {"Trouser", "Bag"}, *cols[3] = {"Trouser", "Bag", "it's"};
    char *term = NULL;
    size_t tlen = 0;
    FILE *tf = open_memstream(&term, &tlen);
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "table";
    p.term = tf;
    nn_error err;
    nn_status s = nn_plot_matrix(&p, z, 2, 3, rows, cols, &err);
    fclose(tf);
    if (s != NN_OK) fail_msg("%s", err.msg);
    assert_string_equal(slurp("table.dat"),
                        "# col row value (row 0 is the table's first row, drawn at the top)\n"
                        "0 0 90\n1 0 10\n2 0 0\n\n0 1 25\n1 1 75\n2 1 0\n\n");
    const char *gp = slurp("table.gp");
    assert_non_null(strstr(gp, "set xrange [-0.5:2.5]\nset yrange [1.5:-0.5]\n"));
    assert_non_null(strstr(gp, "set xtics ('Trouser' 0, 'Bag' 1, 'it''s' 2)"));
    assert_non_null(strstr(gp, "set ytics ('Trouser' 0, 'Bag' 1)"));
    assert_non_null(strstr(gp, "set cbrange [0:90]\nset colorbox\n"));
    assert_non_null(strstr(gp, "sprintf('%.0f', $3)"));
    check_png(&p, "table.png");
    assert_string_equal(term, "             Trouser     Bag    it's\n"
                              "Trouser           90      10       0\n"
                              "Bag               25      75       0\n");
    free(term);
    p.term = NULL;
    p.name = "bad_table";
    assert_int_equal(nn_plot_matrix(&p, z, 0, 3, NULL, NULL, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "0 x 3"));
    /* Small counts keep no decimals; small fractions keep one. */
    float counts[4] = {1, 2, 3, 4}, shares[4] = {0.5f, 1, 2, 3};
    p.name = "counts";
    assert_int_equal(nn_plot_matrix(&p, counts, 2, 2, NULL, NULL, &err), NN_OK);
    assert_non_null(strstr(slurp("counts.gp"), "sprintf('%.0f', $3)"));
    p.name = "shares";
    assert_int_equal(nn_plot_matrix(&p, shares, 2, 2, NULL, NULL, &err), NN_OK);
    assert_non_null(strstr(slurp("shares.gp"), "sprintf('%.1f', $3)"));
}

static void test_bad_names(void **state)
{
    (void)state;
    float v[1] = {1};
    nn_plot p = {0};
    nn_error err;
    p.dir = tu_dir;
    p.name = "../escape";
    assert_int_equal(nn_plot_bars(&p, v, NULL, 1, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "../escape"));
    p.name = "a b;rm";
    assert_int_equal(nn_plot_bars(&p, v, NULL, 1, &err), NN_ERR_ARG);
    p.name = "ok";
    p.dir = "/nonexistent-folder";
    assert_int_equal(nn_plot_bars(&p, v, NULL, 1, &err), NN_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-folder"));
}

/* The text rendering of a figure, as a lesson shows it (NULL without gnuplot). */
static char *render_dumb(nn_plot *p, int kind, const float *x, const float *const *ys,
                         const char *const *names, int k, int n)
{
    char *term = NULL;
    size_t tlen = 0;
    FILE *tf = open_memstream(&term, &tlen);
    assert_non_null(tf);
    p->dir = tu_dir;
    p->term = tf;
    nn_error err;
    nn_status s = kind ? nn_plot_histogram(p, ys[0], n, 8, &err)
                       : nn_plot_lines(p, x, ys, names, k, n, &err);
    fclose(tf);
    if (s != NN_OK) fail_msg("%s", err.msg);
    if (!nn_plot_have_gnuplot()) {
        free(term);
        return NULL;
    }
    return term;
}

/* A word of the text plot glued to a number ("count200", "value0.9"). */
static int glued_to_digit(const char *text, const char *word)
{
    for (const char *c = text; (c = strstr(c, word)) != NULL; c++) {
        char next = c[strlen(word)];
        if ((next >= '0' && next <= '9') || next == '-' || next == '.') return 1;
    }
    return 0;
}

/* Log axes: the .gp asks for %g ticks, and the text plot reads 1e-06 or
 * 0.001, never 0.0000010 or 100.0000000. */
static void test_log_axis_format(void **state)
{
    (void)state;
    float x[9], y[9];
    for (int i = 0; i < 9; i++) {
        x[i] = (float)i;
        y[i] = powf(10.0f, (float)i - 6.0f); /* 1e-06 .. 100 */
    }
    const float *ys[1] = {y};
    const char *names[1] = {"grad"};
    nn_plot p = {0};
    p.name = "logy";
    p.ylabel = "size";
    p.logy = 1;
    char *term = render_dumb(&p, 0, x, ys, names, 1, 9);
    assert_non_null(strstr(slurp("logy.gp"), "set logscale y\nset format y '%g'\n"));
    check_png(&p, "logy.png");
    if (!term) return;
    assert_null(strstr(term, "0.00000"));
    assert_null(strstr(term, "100.000"));
    assert_non_null(strstr(term, "1e-06"));
    assert_non_null(strstr(term, "100 "));
    free(term);
}

/* The text plot: the y label on a line of its own, never run into the tick
 * numbers; the key below the plot, in one piece. */
static void test_dumb_labels(void **state)
{
    (void)state;
    float x[40], a[40], b[40];
    for (int i = 0; i < 40; i++) {
        x[i] = (float)i;
        a[i] = 0.5f + 0.5f * (float)i / 39.0f;
        b[i] = 1.0f - 0.5f * (float)i / 39.0f;
    }
    const float *ys[2] = {a, b};
    const char *names[2] = {"rising curve", "falling curve"};
    nn_plot p = {0};
    p.name = "dumb_lines";
    p.title = "two curves";
    p.xlabel = "step";
    p.ylabel = "value";
    char *term = render_dumb(&p, 0, x, ys, names, 2, 40);
    const char *gp = slurp("dumb_lines.gp");
    assert_non_null(strstr(gp, "set label 1 'value' at screen 0, graph 1"));
    assert_non_null(strstr(gp, "    set ylabel 'value'\n"));
    check_png(&p, "dumb_lines.png");
    if (term) {
        assert_non_null(strstr(term, "value"));
        assert_false(glued_to_digit(term, "value"));
        /* Each key entry whole, on a line with no plot border or tick. */
        for (int j = 0; j < 2; j++) {
            const char *e = strstr(term, names[j]);
            if (!e) fail_msg("key entry '%s' missing or broken:\n%s", names[j], term);
            if (e > term && e[-1] != ' ' && e[-1] != '\n')
                fail_msg("key entry '%s' glued to what precedes it:\n%s", names[j], term);
            const char *bol = e;
            while (bol > term && bol[-1] != '\n') bol--;
            const char *eol = strchr(e, '\n');
            for (const char *c = bol; c < (eol ? eol : e + strlen(e)); c++)
                if (*c == '|' || *c == '+')
                    fail_msg("key entry '%s' shares its line with the plot:\n%s", names[j],
                             term);
        }
        free(term);
    }

    nn_plot h = {0};
    h.name = "dumb_hist";
    h.title = "counts";
    h.ylabel = "count";
    float v[200];
    for (int i = 0; i < 200; i++) v[i] = (float)(i % 17);
    const float *vs[1] = {v};
    term = render_dumb(&h, 1, NULL, vs, NULL, 1, 200);
    if (!term) return;
    assert_non_null(strstr(term, "count"));
    assert_false(glued_to_digit(term, "count"));
    free(term);
}

/* No gnuplot on PATH: one warning, .dat and .gp still there, status OK. */
static void test_without_gnuplot(void **state)
{
    (void)state;
    const char *old = getenv("PATH");
    char *saved = old ? strdup(old) : NULL;
    setenv("PATH", tu_dir, 1); /* a folder with no gnuplot in it */
    assert_int_equal(nn_plot_have_gnuplot(), 0);
    float v[2] = {1, 2};
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "nognuplot";
    nn_error err;
    nn_status s = nn_plot_bars(&p, v, NULL, 2, &err);
    if (saved) {
        setenv("PATH", saved, 1);
        free(saved);
    }
    assert_int_equal(s, NN_OK);
    assert_int_equal(p.png, 0);
    assert_non_null(strstr(p.warning, "gnuplot is not on PATH"));
    assert_non_null(strstr(p.warning, "nognuplot.dat"));
    assert_true(exists("nognuplot.dat"));
    assert_true(exists("nognuplot.gp"));
    assert_false(exists("nognuplot.png"));
}

/* Grouped bars reach below 0 when a value does; the labels stay one column. */
static void test_bar_groups(void **state)
{
    (void)state;
    float v[4] = {0.5f, 0.25f, -0.125f, 1};
    const char *groups[2] = {"error", "corr. \"own\""}, *series[2] = {"with", "without"};
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "groups";
    assert_int_equal(nn_plot_bar_groups(&p, v, groups, series, 2, 2, NULL), NN_OK);
    assert_string_equal(slurp("groups.dat"), "# \"group\" \"with\" \"without\"\n"
                                             "\"error\" 0.5 0.25\n\"corr. 'own'\" -0.125 1\n");
    const char *gp = slurp("groups.gp");
    assert_non_null(strstr(gp, "set yrange [*<0:0<*]"));
    assert_non_null(strstr(gp, "using 2:xtic(1) title 'with'"));
    assert_non_null(strstr(gp, "using 3 title 'without'"));
    check_png(&p, "groups.png");
    nn_error err;
    assert_int_equal(nn_plot_bar_groups(&p, v, groups, series, 2, 0, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "2 groups of 0"));
}

/* Rows of images: every pixel at its place, a NaN gap between images and
 * rows, each row's name on the y axis at its middle. */
static void test_image_rows(void **state)
{
    (void)state;
    float x[8] = {0, 1, 2, 3, 4, 5, 6, 7}; /* 2 rows of 2 images of 1 x 2 */
    const char *names[2] = {"inputs", "outputs"};
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "rows";
    assert_int_equal(nn_plot_image_rows(&p, x, 2, 2, 1, 2, 0, 7, names, NULL), NN_OK);
    assert_string_equal(slurp("rows.dat"),
                        "# x y value\n0 0 0\n1 0 1\n2 0 NaN\n3 0 2\n4 0 3\n\n"
                        "0 1 NaN\n1 1 NaN\n2 1 NaN\n3 1 NaN\n4 1 NaN\n\n"
                        "0 2 4\n1 2 5\n2 2 NaN\n3 2 6\n4 2 7\n\n");
    const char *gp = slurp("rows.gp");
    assert_non_null(strstr(gp, "set ytics scale 0 ('inputs' 0, 'outputs' 2)"));
    assert_non_null(strstr(gp, "set yrange [2.5:-0.5]"));
    check_png(&p, "rows.png");
    nn_error err;
    assert_int_equal(nn_plot_image_rows(&p, x, 2, 2, 1, 2, 1, 1, names, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "hi > lo"));
}

/* Named points: one row per point with its name as a quoted column (a
 * missing name becomes the point's number), drawn as dots and labels. */
static void test_named_points(void **state)
{
    (void)state;
    float pts[4] = {0.25f, 10, 0.5f, 2.5f};
    const char *names[2] = {"L1 \"only\"", NULL};
    nn_plot p = {0};
    p.dir = tu_dir;
    p.name = "named";
    assert_int_equal(nn_plot_named_points(&p, pts, names, 2, NULL), NN_OK);
    assert_string_equal(slurp("named.dat"), "# x y \"name\"\n0.25 10 \"L1 'only'\"\n"
                                            "0.5 2.5 \"1\"\n");
    const char *gp = slurp("named.gp");
    assert_non_null(strstr(gp, "using 1:2 with points"));
    assert_non_null(strstr(gp, "using 1:2:3 with labels"));
    check_png(&p, "named.png");
    nn_error err;
    assert_int_equal(nn_plot_named_points(&p, pts, names, 0, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "no points"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lines, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_scatter_heatmap_vectors, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bars_histogram, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_matrix, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_log_axis_format, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_dumb_labels, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_without_gnuplot, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bar_groups, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_image_rows, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_named_points, tu_tmpdir_setup, tu_tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
