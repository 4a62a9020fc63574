/* plot.c - figures as NAME.dat + NAME.gp + NAME.png (plot.h).
 *
 * Each nn_plot_* function writes the numbers and the plot command; the
 * common part (checking the names, the script's preamble, running gnuplot
 * for the PNG and the dumb rendering, the warning) is shared below.
 */
#include "viz/plot.h"
#include "viz/gnuplot.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ shared */

/* A figure being written: its two open files and their paths. */
typedef struct {
    FILE *dat, *gp;
    char dat_path[4096], gp_path[4096], png_name[300], dat_name[300], gp_name[300];
} figure;

/* Base names only from a safe alphabet: they appear inside the .gp script
 * and on gnuplot's command line, and must never need quoting there. */
static int safe_name(const char *s)
{
    if (!s || !*s || strlen(s) > 200 || s[0] == '.' || s[0] == '-') return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

/* A gnuplot single-quoted string: the only escape is '' for a quote; line
 * breaks would end the command, so they become spaces. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; s && *s; s++) {
        if (*s == '\'')
            fputs("''", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* A number in a .dat file: %.9g round-trips a float; NaN for anything
 * non-finite, which gnuplot leaves out of the plot. */
static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.9g", v);
    else
        fputs("NaN", f);
}

static nn_status figure_open(nn_plot *p, figure *fg, nn_error *err)
{
    memset(fg, 0, sizeof *fg);
    p->png = 0;
    p->warning[0] = '\0';
    if (!p->dir || !*p->dir) return nn_fail(err, NN_ERR_ARG, "plot: no output folder given");
    if (!safe_name(p->name))
        return nn_fail(err, NN_ERR_ARG,
                       "plot name '%s': use letters, digits, '_', '-' and '.' only "
                       "(not first), at most 200",
                       p->name ? p->name : "(null)");
    struct stat st;
    if (stat(p->dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return nn_fail(err, NN_ERR_IO, "%s: no such folder for the plot %s; create it first",
                       p->dir, p->name);
    snprintf(fg->dat_name, sizeof fg->dat_name, "%s.dat", p->name);
    snprintf(fg->gp_name, sizeof fg->gp_name, "%s.gp", p->name);
    snprintf(fg->png_name, sizeof fg->png_name, "%s.png", p->name);
    int a = snprintf(fg->dat_path, sizeof fg->dat_path, "%s/%s", p->dir, fg->dat_name);
    int b = snprintf(fg->gp_path, sizeof fg->gp_path, "%s/%s", p->dir, fg->gp_name);
    if (a < 0 || b < 0 || (size_t)a >= sizeof fg->dat_path || (size_t)b >= sizeof fg->gp_path)
        return nn_fail(err, NN_ERR_ARG, "%s: folder name too long", p->dir);
    fg->dat = fopen(fg->dat_path, "w");
    if (!fg->dat)
        return nn_fail(err, NN_ERR_IO, "%s: cannot write: %s", fg->dat_path, strerror(errno));
    fg->gp = fopen(fg->gp_path, "w");
    if (!fg->gp) {
        fclose(fg->dat);
        return nn_fail(err, NN_ERR_IO, "%s: cannot write: %s", fg->gp_path, strerror(errno));
    }

    /* The preamble: one script serves both the PNG and the dumb rendering,
     * chosen by the variable nn_dumb (gnuplot -e nn_dumb=1 NAME.gp).
     * noenhanced: labels are shown as written, so "p_data" is not read as
     * p with a subscript d. */
    FILE *g = fg->gp;
    int w = p->width > 0 ? p->width : 800, h = p->height > 0 ? p->height : 500;
    int tc = p->term_cols > 0 ? p->term_cols : 78, tr = p->term_rows > 0 ? p->term_rows : 22;
    fprintf(g, "# %s - draws %s into %s. Edit and re-run with:\n", fg->gp_name, fg->dat_name,
            fg->png_name);
    fprintf(g, "#   gnuplot %s            (in this folder)\n", fg->gp_name);
    fprintf(g, "#   gnuplot -e nn_dumb=1 %s   (a text plot in the terminal)\n", fg->gp_name);
    fprintf(g, "if (!exists(\"nn_dumb\")) nn_dumb = 0\n");
    fprintf(g, "if (nn_dumb) {\n    set terminal dumb size %d,%d\n} else {\n", tc, tr);
    fprintf(g, "    if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n");
    fprintf(g, "        set terminal pngcairo noenhanced size %d,%d font \",10\"\n", w, h);
    fprintf(g, "    } else {\n        set terminal png noenhanced size %d,%d\n    }\n", w, h);
    fprintf(g, "    set output '%s'\n}\n", fg->png_name);
    if (p->title && *p->title) {
        fputs("set title ", g);
        put_quoted(g, p->title);
        fputc('\n', g);
    }
    if (p->xlabel && *p->xlabel) {
        fputs("set xlabel ", g);
        put_quoted(g, p->xlabel);
        fputc('\n', g);
    }
    if (p->ylabel && *p->ylabel) {
        /* A text plot cannot turn the y label on its side: set beside the
         * axis it would run into the tick numbers ("count200"), so there it
         * goes on a line of its own above the plot (the title one higher). */
        fputs("if (nn_dumb) {\n", g);
        fprintf(g, "    set tmargin %d\n", p->title && *p->title ? 4 : 3);
        if (p->title && *p->title) fputs("    set title offset 0, 1\n", g);
        fputs("    set label 1 ", g);
        put_quoted(g, p->ylabel);
        fputs(" at screen 0, graph 1 offset character 1, character 1 left\n} else {\n", g);
        fputs("    set ylabel ", g);
        put_quoted(g, p->ylabel);
        fputs("\n}\n", g);
    }
    /* Log axes label their ticks 1e-06 ... 100, not 0.0000010 ... 100.0000000. */
    if (p->logx) fputs("set logscale x\nset format x '%g'\n", g);
    if (p->logy) fputs("set logscale y\nset format y '%g'\n", g);
    /* Grid dots on a text plot are drawn with the same few characters as
     * the curves and their keys: only the PNG gets a grid. */
    fputs("if (!nn_dumb) {\n    set grid\n}\n", g);
    /* Marks: dashed red lines across the whole height, labelled near the
     * top just right of the line (labels from 100 on: label 1 is the text
     * plot's y label). */
    for (int i = 0; p->xmarks && i < p->n_xmarks; i++) {
        double x = p->xmarks[i];
        if (!isfinite(x)) continue;
        fprintf(g, "set arrow %d from %.9g, graph 0 to %.9g, graph 1 nohead lw 2 dt 2 "
                   "lc rgb '#d62728' front\n", i + 1, x, x);
        if (p->xmark_names && p->xmark_names[i]) {
            fprintf(g, "set label %d ", 100 + i);
            put_quoted(g, p->xmark_names[i]);
            fprintf(g, " at %.9g, graph 0.88 left offset character 1, 0 tc rgb '#d62728' "
                       "front\n", x);
        }
    }
    return NN_OK;
}

/* Closes both files, then draws: the PNG always (when gnuplot is there), the
 * dumb rendering into p->term when asked. Only a write error fails. */
static nn_status figure_close(nn_plot *p, figure *fg, nn_error *err)
{
    int bad_dat = ferror(fg->dat) | (fclose(fg->dat) != 0);
    int bad_gp = ferror(fg->gp) | (fclose(fg->gp) != 0);
    if (bad_dat || bad_gp)
        return nn_fail(err, NN_ERR_IO, "%s: write failed (disk full?)",
                       bad_dat ? fg->dat_path : fg->gp_path);
    if (!nn_plot_have_gnuplot()) {
        snprintf(p->warning, sizeof p->warning,
                 "gnuplot is not on PATH: wrote %.60s and %.60s but no PNG; install it with "
                 "`make deps` (Debian package gnuplot-nox)",
                 fg->dat_name, fg->gp_name);
        return NN_OK;
    }
    char msg[200];
    /* Remove an old picture first, so a failed run cannot pass for a new one. */
    char png_path[4096];
    snprintf(png_path, sizeof png_path, "%s/%s", p->dir, fg->png_name);
    remove(png_path);
    int rc = nn_gnuplot_run(p->dir, fg->gp_name, 0, NULL, msg, sizeof msg);
    struct stat st;
    p->png = rc == 0 && stat(png_path, &st) == 0 && st.st_size > 0;
    if (!p->png)
        snprintf(p->warning, sizeof p->warning, "gnuplot failed on %.60s (%.90s); %.60s is still there",
                 fg->gp_name, msg[0] ? msg : "no message", fg->dat_name);
    if (p->term && rc == 0) {
        rc = nn_gnuplot_run(p->dir, fg->gp_name, 1, p->term, msg, sizeof msg);
        if (rc != 0 && !p->warning[0])
            snprintf(p->warning, sizeof p->warning, "gnuplot's text plot of %.60s failed (%.120s)",
                     fg->gp_name, msg[0] ? msg : "no message");
    }
    return NN_OK;
}

/* ------------------------------------------------------------------ figures */

nn_status nn_plot_lines(nn_plot *p, const float *x, const float *const *ys,
                        const char *const *names, int k, int n, nn_error *err)
{
    if (k < 1 || n < 1)
        return nn_fail(err, NN_ERR_ARG, "plot %s: %d series of %d points; need at least 1 of 1",
                       p->name ? p->name : "", k, n);
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    fputs("# x", fg.dat);
    for (int j = 0; j < k; j++) fprintf(fg.dat, " series_%d", j);
    fputc('\n', fg.dat);
    for (int i = 0; i < n; i++) {
        put_num(fg.dat, x ? x[i] : i);
        for (int j = 0; j < k; j++) {
            fputc(' ', fg.dat);
            /* A log axis cannot show 0 or less: NaN leaves the point out
             * instead of making gnuplot stop with an error. */
            double v = ys[j][i];
            put_num(fg.dat, p->logy && v <= 0.0 ? NAN : v);
        }
        fputc('\n', fg.dat);
    }
    /* The key below the plot, where no curve can run under it; three
     * characters more per entry, so a text plot's entry does not run into
     * the line sample of the one before ("*******non-saturating"). */
    fputs("set key below width 3\nplot ", fg.gp);
    for (int j = 0; j < k; j++) {
        /* With p->dashed, every second series is drawn dashed and thinner
         * on top of the solid one before it: where the two coincide, both
         * colours still show. */
        int dash = p->dashed && j % 2 == 1;
        fprintf(fg.gp, "%s'%s' using 1:%d with lines lw %s title ", j ? ", \\\n     " : "",
                fg.dat_name, j + 2, dash ? "1.5 dt 2" : p->dashed ? "3" : "2");
        if (names && names[j])
            put_quoted(fg.gp, names[j]);
        else
            fprintf(fg.gp, "'series %d'", j);
    }
    fputc('\n', fg.gp);
    return figure_close(p, &fg, err);
}

nn_status nn_plot_scatter(nn_plot *p, const float *pts, int n, const float *modes, int m,
                          nn_error *err)
{
    if (n < 1) return nn_fail(err, NN_ERR_ARG, "plot %s: no points", p->name ? p->name : "");
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    fputs("# block 0: samples x y\n", fg.dat);
    for (int i = 0; i < n; i++) {
        put_num(fg.dat, pts[2 * i]);
        fputc(' ', fg.dat);
        put_num(fg.dat, pts[2 * i + 1]);
        fputc('\n', fg.dat);
    }
    int with_modes = modes && m > 0;
    if (with_modes) {
        /* Two blank lines start a new data block, reached with `index 1`. */
        fputs("\n\n# block 1: mode centres x y\n", fg.dat);
        for (int i = 0; i < m; i++) {
            put_num(fg.dat, modes[2 * i]);
            fputc(' ', fg.dat);
            put_num(fg.dat, modes[2 * i + 1]);
            fputc('\n', fg.dat);
        }
    }
    fputs("set size ratio -1\nset key top right\n", fg.gp);
    fprintf(fg.gp, "plot '%s' index 0 using 1:2 with points pt 7 ps 0.4 lc rgb '#1f77b4' "
                   "title 'samples'",
            fg.dat_name);
    if (with_modes)
        fprintf(fg.gp, ", \\\n     '%s' index 1 using 1:2 with points pt 2 ps 2 lw 2 "
                       "lc rgb '#d62728' title 'modes'",
                fg.dat_name);
    fputc('\n', fg.gp);
    return figure_close(p, &fg, err);
}

nn_status nn_plot_heatmap(nn_plot *p, const float *z, int nx, int ny, float x0, float x1,
                          float y0, float y1, const float *pts, int n, const float *arrows,
                          int na, nn_error *err)
{
    if (nx < 2 || ny < 2 || !(x1 > x0) || !(y1 > y0))
        return nn_fail(err, NN_ERR_ARG,
                       "plot %s: heatmap grid %d x %d over [%g, %g] x [%g, %g]; need at least "
                       "2 x 2 and increasing bounds",
                       p->name ? p->name : "", nx, ny, (double)x0, (double)x1, (double)y0,
                       (double)y1);
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    /* Block 0 is gnuplot's grid format: x y z, one blank line per scan line. */
    fputs("# block 0: grid x y z\n", fg.dat);
    for (int j = 0; j < ny; j++) {
        double y = y0 + (double)j * (y1 - y0) / (ny - 1);
        for (int i = 0; i < nx; i++) {
            put_num(fg.dat, x0 + (double)i * (x1 - x0) / (nx - 1));
            fputc(' ', fg.dat);
            put_num(fg.dat, y);
            fputc(' ', fg.dat);
            put_num(fg.dat, z[j * nx + i]);
            fputc('\n', fg.dat);
        }
        fputc('\n', fg.dat);
    }
    int block = 1, pts_block = -1, arrow_block = -1;
    if (pts && n > 0) {
        fputs("\n# block 1: points x y\n", fg.dat);
        for (int i = 0; i < n; i++) {
            put_num(fg.dat, pts[2 * i]);
            fputc(' ', fg.dat);
            put_num(fg.dat, pts[2 * i + 1]);
            fputc('\n', fg.dat);
        }
        pts_block = block++;
    }
    if (arrows && na > 0) {
        /* The grid already ended with one blank line; points did not. */
        fprintf(fg.dat, "%s\n# block %d: arrows x y dx dy\n", pts_block >= 0 ? "\n" : "", block);
        for (int i = 0; i < na; i++) {
            for (int c = 0; c < 4; c++) {
                if (c) fputc(' ', fg.dat);
                put_num(fg.dat, arrows[4 * i + c]);
            }
            fputc('\n', fg.dat);
        }
        arrow_block = block++;
    }
    /* Arrows are scaled so the longest is a tenth of the wider side. */
    double longest = 0.0;
    for (int i = 0; arrows && i < na; i++) {
        double l = hypot(arrows[4 * i + 2], arrows[4 * i + 3]);
        if (isfinite(l) && l > longest) longest = l;
    }
    double span = (x1 - x0) > (y1 - y0) ? (x1 - x0) : (y1 - y0);
    /* Each sample is a cell's centre: the axes reach half a cell past the
     * first and last, so the edge cells are as wide as the others. */
    double hx = 0.5 * (x1 - x0) / (nx - 1), hy = 0.5 * (y1 - y0) / (ny - 1);
    fprintf(fg.gp, "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n", x0 - hx, x1 + hx, y0 - hy,
            y1 + hy);
    fprintf(fg.gp, "set size ratio -1\nset key top right opaque\nset palette rgbformulae 33,13,10\n"
                   "set colorbox\n");
    fprintf(fg.gp, "s = %.9g   # arrow scale: longest arrow = a tenth of the plot\n",
            longest > 0.0 ? 0.1 * span / longest : 1.0);
    fprintf(fg.gp, "plot '%s' index 0 using 1:2:3 with image notitle", fg.dat_name);
    if (pts_block >= 0)
        fprintf(fg.gp, ", \\\n     '%s' index %d using 1:2 with points pt 7 ps 0.4 "
                       "lc rgb 'white' title 'samples'",
                fg.dat_name, pts_block);
    if (arrow_block >= 0)
        fprintf(fg.gp, ", \\\n     '%s' index %d using 1:2:($3*s):($4*s) with vectors "
                       "lc rgb 'black' title 'gradient'",
                fg.dat_name, arrow_block);
    fputc('\n', fg.gp);
    return figure_close(p, &fg, err);
}

/* A tic list, ("name 0" 0, "name 1" 1, ...), for set xtics / set ytics. */
static void put_tics(FILE *g, const char *axis, const char *const *names, int n, const char *how)
{
    fprintf(g, "set %s (", axis);
    for (int i = 0; i < n; i++) {
        if (i) fputs(", ", g);
        if (names && names[i])
            put_quoted(g, names[i]);
        else
            fprintf(g, "'%d'", i);
        fprintf(g, " %d", i);
    }
    fprintf(g, ") %s\n", how);
}

nn_status nn_plot_matrix(nn_plot *p, const float *z, int rows, int cols,
                         const char *const *row_names, const char *const *col_names,
                         nn_error *err)
{
    if (rows < 1 || cols < 1)
        return nn_fail(err, NN_ERR_ARG, "plot %s: a table of %d x %d; need at least 1 x 1",
                       p->name ? p->name : "", rows, cols);
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    double lo = 0.0, hi = 0.0;
    int whole = 1; /* every value an integer (counts): no decimals at all */
    fputs("# col row value (row 0 is the table's first row, drawn at the top)\n", fg.dat);
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            double v = z[r * cols + c];
            if (isfinite(v)) {
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
                whole = whole && v == floor(v);
            }
            fprintf(fg.dat, "%d %d ", c, r);
            put_num(fg.dat, v);
            fputc('\n', fg.dat);
        }
        fputc('\n', fg.dat); /* one scan line per row: gnuplot's grid format */
    }
    if (hi <= lo) hi = lo + 1.0;
    int tenths = !whole && hi < 10.0 && lo > -10.0; /* small values keep one decimal */
    const char *fmt = tenths ? "%.1f" : "%.0f";
    FILE *g = fg.gp;
    /* Row 0 at the top, as printed: the y axis runs downwards. Square cells
     * that fill the frame: the axes end half a cell past the first and last. */
    fprintf(g, "unset grid\nset key off\nset size ratio -1\nset tics scale 0\n"
               "set xrange [-0.5:%.1f]\nset yrange [%.1f:-0.5]\n",
            cols - 0.5, rows - 0.5);
    put_tics(g, "xtics", col_names, cols, "rotate by -35 left");
    put_tics(g, "ytics", row_names, rows, "");
    fprintf(g, "set palette defined (0 '#ffffff', 1 '#08519c')\nset cbrange [%.9g:%.9g]\n"
               "set colorbox\n", lo, hi);
    /* Values in the cells: white on the darker half of the scale. */
    fprintf(g, "mid = %.9g\n", 0.5 * (lo + hi));
    fprintf(g, "plot '%s' using 1:2:3 with image, \\\n"
               "     '' using 1:2:($3 > mid ? sprintf('%s', $3) : '') with labels tc rgb 'white', \\\n"
               "     '' using 1:2:($3 > mid ? '' : sprintf('%s', $3)) with labels tc rgb 'black'\n",
            fg.dat_name, fmt, fmt);
    /* A text plot cannot colour cells: there the figure is the table. */
    FILE *term = p->term;
    p->term = NULL;
    s = figure_close(p, &fg, err);
    p->term = term;
    if (s == NN_OK && term) {
        fprintf(term, "%12s", "");
        for (int c = 0; c < cols; c++)
            fprintf(term, " %7.7s", col_names && col_names[c] ? col_names[c] : "");
        fputc('\n', term);
        for (int r = 0; r < rows; r++) {
            fprintf(term, "%-12.12s", row_names && row_names[r] ? row_names[r] : "");
            for (int c = 0; c < cols; c++) fprintf(term, tenths ? " %7.1f" : " %7.0f",
                                                   (double)z[r * cols + c]);
            fputc('\n', term);
        }
    }
    return s;
}

nn_status nn_plot_vectors(nn_plot *p, const float *arrows, int na, const float *pts, int n,
                          nn_error *err)
{
    if (na < 1) return nn_fail(err, NN_ERR_ARG, "plot %s: no arrows", p->name ? p->name : "");
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    fputs("# block 0: arrows x y dx dy\n", fg.dat);
    double longest = 0.0, lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < na; i++) {
        for (int c = 0; c < 4; c++) {
            if (c) fputc(' ', fg.dat);
            put_num(fg.dat, arrows[4 * i + c]);
        }
        fputc('\n', fg.dat);
        double l = hypot(arrows[4 * i + 2], arrows[4 * i + 3]);
        if (isfinite(l) && l > longest) longest = l;
        for (int c = 0; c < 2; c++)
            if (isfinite(arrows[4 * i + c])) {
                if (arrows[4 * i + c] < lo) lo = arrows[4 * i + c];
                if (arrows[4 * i + c] > hi) hi = arrows[4 * i + c];
            }
    }
    if (pts && n > 0) {
        fputs("\n\n# block 1: points x y\n", fg.dat);
        for (int i = 0; i < n; i++) {
            put_num(fg.dat, pts[2 * i]);
            fputc(' ', fg.dat);
            put_num(fg.dat, pts[2 * i + 1]);
            fputc('\n', fg.dat);
        }
    }
    double span = hi > lo ? hi - lo : 1.0;
    fprintf(fg.gp, "set size ratio -1\nset key top right\n");
    fprintf(fg.gp, "s = %.9g   # arrow scale: longest arrow = a tenth of the plot\n",
            longest > 0.0 ? 0.1 * span / longest : 1.0);
    fprintf(fg.gp, "plot '%s' index 0 using 1:2:($3*s):($4*s) with vectors lc rgb '#1f77b4' "
                   "title 'gradient'",
            fg.dat_name);
    if (pts && n > 0)
        fprintf(fg.gp, ", \\\n     '%s' index 1 using 1:2 with points pt 2 ps 2 lw 2 "
                       "lc rgb '#d62728' title 'modes'",
                fg.dat_name);
    fputc('\n', fg.gp);
    return figure_close(p, &fg, err);
}

/* Bars as text: "label |#####... value", one row each, the longest bar as
 * wide as the terminal allows; the title and the value's name above. */
static void bars_as_text(FILE *f, const nn_plot *p, const float *values,
                         const char *const *labels, int k)
{
    int cols = p->term_cols > 0 ? p->term_cols : 78, lw = 1, vw = 1;
    double hi = 0.0;
    char num[32];
    for (int i = 0; i < k; i++) {
        int l = labels && labels[i] ? (int)strlen(labels[i]) : snprintf(num, sizeof num, "%d", i);
        lw = l > lw ? l : lw;
        int v = snprintf(num, sizeof num, "%.4g", (double)values[i]);
        vw = v > vw ? v : vw;
        if (isfinite(values[i]) && values[i] > hi) hi = values[i];
    }
    lw = lw > 28 ? 28 : lw;
    int bw = cols - lw - 3 - vw;
    bw = bw < 10 ? 10 : bw;
    if (p->title && *p->title) fprintf(f, "%s\n", p->title);
    if (p->ylabel && *p->ylabel) fprintf(f, "%*s  %s\n", lw, "", p->ylabel);
    for (int i = 0; i < k; i++) {
        if (labels && labels[i])
            fprintf(f, "%-*.*s |", lw, lw, labels[i]);
        else
            fprintf(f, "%-*d |", lw, i);
        double v = values[i];
        int n = hi > 0.0 && isfinite(v) && v > 0.0 ? (int)lround(v / hi * bw) : 0;
        for (int j = 0; j < n; j++) fputc('#', f);
        fprintf(f, " %.4g\n", v);
    }
}

nn_status nn_plot_bars(nn_plot *p, const float *values, const char *const *labels, int k,
                       nn_error *err)
{
    if (k < 1) return nn_fail(err, NN_ERR_ARG, "plot %s: no bars", p->name ? p->name : "");
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    fputs("# index \"label\" value\n", fg.dat);
    for (int i = 0; i < k; i++) {
        /* Labels are double-quoted columns, so "Ankle boot" stays one; a
         * double quote inside would end it early and becomes a single one. */
        fprintf(fg.dat, "%d \"", i);
        if (labels && labels[i])
            for (const char *c = labels[i]; *c; c++)
                fputc(*c == '"' ? '\'' : (*c == '\n' ? ' ' : *c), fg.dat);
        else
            fprintf(fg.dat, "%d", i);
        fputs("\" ", fg.dat);
        put_num(fg.dat, values[i]);
        fputc('\n', fg.dat);
    }
    fputs("set style fill solid 0.8 border -1\nset key off\n", fg.gp);
    /* On a text plot labels side by side run into each other
     * ("T-shirt/TrousPullover") and cannot be turned: there the bars lie on
     * their side, labelled down the left. */
    fprintf(fg.gp, "if (nn_dumb) {\n    set yrange [%g:-0.6]\n    set xrange [0:*]\n"
                   "    set ytics scale 0\n"
                   "    plot '%s' using ($3/2):1:(0):3:($1-0.35):($1+0.35):ytic(2) "
                   "with boxxyerror notitle\n} else {\n"
                   "    set boxwidth 0.7\n    set yrange [0:*]\n"
                   "    set offsets 0.5, 0.5, graph 0.08, 0\n    set xtics rotate by -30\n"
                   "    plot '%s' using 1:3:xtic(2) with boxes lc rgb '#1f77b4' notitle\n}\n",
            k - 0.4, fg.dat_name, fg.dat_name);
    /* The text plot is drawn here: one row per bar is all a terminal needs. */
    FILE *term = p->term;
    p->term = NULL;
    s = figure_close(p, &fg, err);
    p->term = term;
    if (s == NN_OK && term) bars_as_text(term, p, values, labels, k);
    return s;
}

nn_status nn_plot_histogram(nn_plot *p, const float *x, int n, int bins, nn_error *err)
{
    if (n < 1 || bins < 1)
        return nn_fail(err, NN_ERR_ARG, "plot %s: %d values in %d bins; need at least 1 of each",
                       p->name ? p->name : "", n, bins);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) {
            if (x[i] < lo) lo = x[i];
            if (x[i] > hi) hi = x[i];
        }
    if (!(hi >= lo))
        return nn_fail(err, NN_ERR_NUMERIC, "plot %s: none of the %d values is finite",
                       p->name ? p->name : "", n);
    /* All values equal: give the single bar a width of 1 around them. */
    if (hi == lo) {
        lo -= 0.5;
        hi += 0.5;
    }
    int *count = nn_alloc((size_t)bins, sizeof *count);
    if (!count) return nn_fail(err, NN_ERR_NOMEM, "plot %s: out of memory", p->name);
    double width = (hi - lo) / bins;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) {
            int b = (int)((x[i] - lo) / width);
            if (b >= bins) b = bins - 1; /* the maximum belongs to the last bin */
            if (b < 0) b = 0;
            count[b]++;
        }
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) {
        nn_free(count);
        return s;
    }
    fputs("# bin_centre count\n", fg.dat);
    for (int b = 0; b < bins; b++) {
        put_num(fg.dat, lo + (b + 0.5) * width);
        fprintf(fg.dat, " %d\n", count[b]);
    }
    nn_free(count);
    fputs("set style fill solid 0.8 border -1\nset key off\n", fg.gp);
    if (!p->logy) fputs("set yrange [0:*]\n", fg.gp);
    fprintf(fg.gp, "set boxwidth %.9g\n", width);
    fprintf(fg.gp, "plot '%s' using 1:2 with boxes lc rgb '#1f77b4' notitle\n", fg.dat_name);
    return figure_close(p, &fg, err);
}

/* A label as one double-quoted column: a double quote inside would end it
 * early and becomes a single one; a line break becomes a space. */
static void put_label_column(FILE *f, const char *label)
{
    fputc('"', f);
    for (const char *c = label ? label : ""; *c; c++)
        fputc(*c == '"' ? '\'' : (*c == '\n' ? ' ' : *c), f);
    fputc('"', f);
}

nn_status nn_plot_bar_groups(nn_plot *p, const float *values, const char *const *groups,
                             const char *const *series, int ngroups, int nseries,
                             nn_error *err)
{
    if (ngroups < 1 || nseries < 1)
        return nn_fail(err, NN_ERR_ARG, "plot %s: %d groups of %d bars; need at least 1 of 1",
                       p->name ? p->name : "", ngroups, nseries);
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    fputs("# \"group\"", fg.dat);
    for (int j = 0; j < nseries; j++) {
        fputc(' ', fg.dat);
        put_label_column(fg.dat, series[j]);
    }
    fputc('\n', fg.dat);
    for (int g = 0; g < ngroups; g++) {
        put_label_column(fg.dat, groups[g]);
        for (int j = 0; j < nseries; j++) {
            fputc(' ', fg.dat);
            put_num(fg.dat, values[(size_t)g * nseries + j]);
        }
        fputc('\n', fg.dat);
    }
    /* The y range always holds 0, and reaches below it when a value does. */
    fputs("set style data histograms\nset style histogram clustered gap 1\n"
          "set style fill solid 0.8 border -1\nset yrange [*<0:0<*]\nset xzeroaxis lt -1\n"
          "set offsets 0, 0, graph 0.08, graph 0.08\nset key below\n", fg.gp);
    fputs("plot", fg.gp);
    for (int j = 0; j < nseries; j++) {
        fprintf(fg.gp, "%s '%s' using %d%s title ", j ? ", \\\n    " : "", fg.dat_name,
                j + 2, j ? "" : ":xtic(1)");
        put_quoted(fg.gp, series[j] ? series[j] : "");
    }
    fputc('\n', fg.gp);
    return figure_close(p, &fg, err);
}

nn_status nn_plot_named_points(nn_plot *p, const float *pts, const char *const *names, int n,
                               nn_error *err)
{
    if (n < 1) return nn_fail(err, NN_ERR_ARG, "plot %s: no points", p->name ? p->name : "");
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    fputs("# x y \"name\"\n", fg.dat);
    for (int i = 0; i < n; i++) {
        char number[16];
        snprintf(number, sizeof number, "%d", i);
        put_num(fg.dat, pts[2 * i]);
        fputc(' ', fg.dat);
        put_num(fg.dat, pts[2 * i + 1]);
        fputc(' ', fg.dat);
        put_label_column(fg.dat, names && names[i] ? names[i] : number);
        fputc('\n', fg.dat);
    }
    /* Room around the points for their names, which sit to the right. */
    fputs("set offsets graph 0.05, graph 0.35, graph 0.1, graph 0.1\n", fg.gp);
    fprintf(fg.gp, "plot '%s' using 1:2 with points pt 7 ps 1.5 lc rgb '#1f77b4' notitle, \\\n"
                   "     '%s' using 1:2:3 with labels left offset char 1.2, 0 notitle\n",
            fg.dat_name, fg.dat_name);
    return figure_close(p, &fg, err);
}

nn_status nn_plot_image_rows(nn_plot *p, const float *x, int rows, int cols, int h, int w,
                             float lo, float hi, const char *const *row_names, nn_error *err)
{
    if (rows < 1 || cols < 1 || h < 1 || w < 1 || !(hi > lo))
        return nn_fail(err, NN_ERR_ARG, "plot %s: %d rows of %d images of %d x %d in [%g, %g]; "
                       "need at least one of each and hi > lo", p->name ? p->name : "", rows,
                       cols, h, w, (double)lo, (double)hi);
    figure fg;
    nn_status s = figure_open(p, &fg, err);
    if (s != NN_OK) return s;
    /* The mosaic, one line a pixel in gnuplot's grid format (a blank line
     * after each scan line); the one-pixel gaps between images are NaN,
     * which "with image" leaves blank. */
    int W = cols * (w + 1) - 1, H = rows * (h + 1) - 1;
    fputs("# x y value\n", fg.dat);
    for (int Y = 0; Y < H; Y++) {
        int r = Y / (h + 1), y = Y % (h + 1);
        for (int X = 0; X < W; X++) {
            int i = X / (w + 1), c = X % (w + 1);
            fprintf(fg.dat, "%d %d ", X, Y);
            put_num(fg.dat, y == h || c == w ? NAN
                                             : x[((size_t)r * cols + i) * (size_t)h * w +
                                                 (size_t)y * w + c]);
            fputc('\n', fg.dat);
        }
        fputc('\n', fg.dat);
    }
    fprintf(fg.gp, "unset grid\nset size ratio -1\nset xrange [-0.5:%d.5]\n"
                   "set yrange [%d.5:-0.5]\nunset xtics\nunset colorbox\n"
                   "set palette grey\nset cbrange [%.9g:%.9g]\nset ytics scale 0 (", W - 1,
            H - 1, (double)lo, (double)hi);
    for (int r = 0; r < rows; r++) {
        if (r) fputs(", ", fg.gp);
        put_quoted(fg.gp, row_names && row_names[r] ? row_names[r] : "");
        fprintf(fg.gp, " %g", r * (h + 1) + 0.5 * (h - 1));
    }
    fprintf(fg.gp, ")\nplot '%s' using 1:2:3 with image notitle\n", fg.dat_name);
    return figure_close(p, &fg, err);
}
