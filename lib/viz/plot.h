/* plot.h - figures through gnuplot, written three ways.
 *
 * Every figure NAME goes to a folder as
 *   NAME.dat  the numbers, plain columns a student can read or reuse;
 *   NAME.gp   the gnuplot script that draws them: edit it and re-run
 *             `cd DIR && gnuplot NAME.gp`;
 *   NAME.png  the picture (pngcairo, or the png terminal where pngcairo is
 *             missing), made by running that same script.
 * With p->term set, the script also renders as a text plot (gnuplot's dumb
 * terminal) into that stream, for inline display in a terminal or notebook;
 * there the y label sits on its own line above the plot and there is no grid.
 * Log axes label their ticks with %g (1e-06, 0.001, 100).
 *
 * gnuplot is run with fork/exec (never a shell), in the folder, with the
 * script's bare file name, so no path is ever quoted into a command line.
 * When gnuplot is missing from PATH or fails, the .dat and .gp files are still
 * written, the call still returns NN_OK, and p->warning says what happened
 * and how to fix it (the library never prints): one warning, nothing fails.
 */
#ifndef NN_PLOT_H
#define NN_PLOT_H

#include <stdio.h>
#include "base/common.h"

/* One figure: where it goes and how it looks. Zero-initialise, set dir and
 * name (and what else you like), call one nn_plot_* function, then read png
 * and warning. */
typedef struct {
    const char *dir;        /* output folder, must exist */
    const char *name;       /* base file name: letters, digits, '_', '-', '.' only */
    const char *title;      /* NULL or "" for none; any text (quoted safely) */
    const char *xlabel, *ylabel;
    int logx, logy;         /* 1: logarithmic axis (a log-log plot sets both) */
    int dashed;             /* lines: 1 draws series 1, 3, ... dashed on top of the solid
                               series 0, 2, ... before them, so pairs that coincide show */
    int width, height;      /* PNG pixels; 0: 800 x 500 */
    FILE *term;             /* not NULL: a dumb-terminal rendering is written here */
    int term_cols, term_rows; /* its size in characters; 0: 78 x 22 */
    /* Vertical lines across the plot at x = xmarks[i], each labelled
     * xmark_names[i] (NULL: unlabelled), e.g. a prediction among the data
     * it was fitted to. Line plots and histograms; n_xmarks 0: none. */
    const float *xmarks;    /* (n_xmarks) */
    const char *const *xmark_names; /* (n_xmarks) or NULL */
    int n_xmarks;
    /* results */
    int png;                /* 1 when NAME.png was written */
    char warning[256];      /* "" or why there is no PNG / no terminal plot */
} nn_plot;

/* 1 when gnuplot is an executable file in a PATH folder. */
int nn_plot_have_gnuplot(void);

/* Lines: k series ys[s] (n) against x (n) (NULL: 0, 1, ..., n-1), one
 * line each, titled names[s] (NULL: "series s") in a key below the plot.
 * Non-finite values are written as NaN, which gnuplot skips. Columns:
 * x y_0 ... y_{k-1}. */
nn_status nn_plot_lines(nn_plot *p, const float *x, const float *const *ys,
                        const char *const *names, int k, int n, nn_error *err);

/* 2-D scatter of points pts (n, 2), with the modes (m, 2) marked as crosses
 * when modes is not NULL (m may be 0). Two data blocks: points, then modes. */
nn_status nn_plot_scatter(nn_plot *p, const float *pts, int n, const float *modes, int m,
                          nn_error *err);

/* Heatmap of z (ny, nx) sampled on the grid x_i = x0 + i (x1 - x0)/(nx - 1),
 * y_j = y0 + j (y1 - y0)/(ny - 1) (z[j*nx + i] at (x_i, y_j)), e.g. D(x) over
 * the plane. Each sample is the centre of a cell of the same size, edge cells
 * included (the axes reach half a cell past x0..x1, y0..y1), and a colour
 * scale beside the plot gives the values. Optional overlays: points pts
 * (n, 2) and arrows (na, 4) as rows (x, y, dx, dy), e.g. samples and the
 * generator's gradient at them. nx, ny >= 2. For a table (rows and columns
 * that are categories, not coordinates) use nn_plot_matrix. */
nn_status nn_plot_heatmap(nn_plot *p, const float *z, int nx, int ny, float x0, float x1,
                          float y0, float y1, const float *pts, int n, const float *arrows,
                          int na, nn_error *err);

/* A table of numbers as a heat map, read like the printed table: z (rows,
 * cols) row-major, row 0 at the top, one square cell per entry, each cell's
 * value written in it (%.0f; %.1f when every value is below 10 and one is
 * not a whole number), the rows
 * labelled row_names on the left and the columns col_names along the bottom
 * (NULL: 0, 1, ...), and a colour scale from 0 (or the least value, when it
 * is negative) to the greatest. E.g. a confusion matrix in percent of each
 * row. The text plot, where cells cannot be coloured, is the table itself.
 * Columns of the .dat: col row value. rows, cols >= 1. */
nn_status nn_plot_matrix(nn_plot *p, const float *z, int rows, int cols,
                         const char *const *row_names, const char *const *col_names,
                         nn_error *err);

/* Vector field: arrows (na, 4) rows (x, y, dx, dy) drawn from (x, y) to
 * (x + scale dx, y + scale dy), with scale chosen so the longest arrow is
 * about a tenth of the plot; optional points (n, 2) marked (NULL: none). */
nn_status nn_plot_vectors(nn_plot *p, const float *arrows, int na, const float *pts, int n,
                          nn_error *err);

/* Bars: values (k) labelled labels[k] (NULL: 0..k-1), e.g. images per class.
 * The text plot lays the bars on their side, one row each with its label
 * before it and its value after it (written here, not by gnuplot, whose
 * text terminal cannot turn labels that run into each other). */
nn_status nn_plot_bars(nn_plot *p, const float *values, const char *const *labels, int k,
                       nn_error *err);

/* Histogram of x (n) in `bins` equal bins between its min and max (weights,
 * activations, pixel values); non-finite values are left out. Columns:
 * bin centre, count. bins >= 1. */
nn_status nn_plot_histogram(nn_plot *p, const float *x, int n, int bins, nn_error *err);

/* Bars in groups: values (ngroups, nseries), one cluster per group named
 * groups[g], one bar per series named series[s] in a key. The y axis reaches
 * whatever the values need on both sides of 0 (negative bars point down
 * from a line at 0). Columns of the .dat: "group" value_0 ... value_{s-1}. */
nn_status nn_plot_bar_groups(nn_plot *p, const float *values, const char *const *groups,
                             const char *const *series, int ngroups, int nseries,
                             nn_error *err);

/* Named points: pts (n, 2), point i a dot with names[i] (NULL: its number)
 * written beside it, e.g. models placed by two scores. Columns of the .dat:
 * x y "name". n >= 1. */
nn_status nn_plot_named_points(nn_plot *p, const float *pts, const char *const *names, int n,
                               nn_error *err);

/* Rows of grey images, each row named: x (rows * cols, h * w), image i of
 * row r at x[(r * cols + i) * h * w], its values from lo (black) to hi
 * (white), drawn side by side with a one-pixel gap, row r's name row_names[r]
 * on the y axis beside it. Columns of the .dat: x, y (pixel centres, y down),
 * value. rows, cols, h, w >= 1; hi > lo. */
nn_status nn_plot_image_rows(nn_plot *p, const float *x, int rows, int cols, int h, int w,
                             float lo, float hi, const char *const *row_names, nn_error *err);

#endif
