/* p2pjudge.h - how lesson 19 judges a translation on held-out test images:
 * per-pixel error against the real image (distortion), lesson 13's
 * sharpness, the lesson classifier's Frechet distance to real test images
 * and how often it names the real image's class (perception), and the
 * figures that put them side by side.
 */
#ifndef GANSTEPS_P2PJUDGE_H
#define GANSTEPS_P2PJUDGE_H

#include "judge.h"
#include "lesson.h"
#include "nn.h"

typedef struct {
    double l1_err;      /* mean |out - y| over the pixels made (all, or the hole),
                         * pixels in [0, 1] */
    double sharpness;   /* nn_sharpness (lesson 13), images in [-1, 1]: of the whole
                         * images, or with a mask of the hidden squares alone */
    double fd;          /* Frechet distance of the classifier's features to j's real images */
    double class_acc;   /* share of outputs the classifier gives their real image's class */
} p2p_scores;

/* The scores of n outputs out (n, 784) of the real images y (n, 784) with
 * labels (n), masks (n, 784) or NULL. n <= j->n; NAN scores for any
 * non-finite output. */
void p2p_score(lesson *L, judge *j, const float *out, const float *y, const float *mask,
               const int *labels, int n, p2p_scores *s);

/* The scores of n methods as a table, a row each named names[i]. */
void p2p_table(lesson *L, const char *const *names, const p2p_scores *s, int n);

/* A figure of named rows of k images each (rows (nrows, k, 784), [-1, 1]),
 * the row names on the left: name.png in the lesson folder, with caption. */
void p2p_rows_figure(lesson *L, const char *name, const char *caption, const float *rows,
                     const char *const *row_names, int nrows, int k);

/* Named points (n, 2) in a figure name.png: x the per-pixel error, y the
 * Frechet distance; shown in the terminal too. */
void p2p_tradeoff_figure(lesson *L, const char *name, const char *title, const float *pts,
                         const char *const *names, int n);

#endif
