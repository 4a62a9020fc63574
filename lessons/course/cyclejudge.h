/* cyclejudge.h - what lesson 15 shows of its translations on held-out
 * images: the figures of each way (A -> B, B -> A) of each run, their table
 * and means, the lesson classifier's score on the real images, and the grids
 * of images, translations and the way back. Lesson 15 uses it.
 */
#ifndef GANSTEPS_CYCLEJUDGE_H
#define GANSTEPS_CYCLEJUDGE_H

#include "lesson.h"
#include "nn.h"

/* One direction's figures on held-out images x (n). */
typedef struct {
    double accuracy;    /* share of translations the classifier calls the target class */
    double rec_err;     /* mean |F(G(x)) - x| */
    double corr;        /* mean over images of Pearson(x, G(x)) */
    double corr_other;  /* the same against another input's translation, Pearson(x_i, G(x_i+1)) */
    double differ;      /* mean |G(x_i) - G(x_i+1)|: how much translations of different
                         * inputs differ (small: much the same image whatever the input) */
    double in_differ;   /* the same for the inputs, mean |x_i - x_i+1| */
    int top_wrong;      /* the class most often recognised instead of the target */
    double top_wrong_share;
} cyclejudge_way;

/* A run's figures, the mean of its two ways. */
typedef struct {
    double rec, corr, other, differ, in_differ;
} cyclejudge_means;

cyclejudge_means cyclejudge_mean(const cyclejudge_way *ab, const cyclejudge_way *ba);

/* The share of the real images x (n, 784) the classifier net recognises as
 * their class cls. */
double cyclejudge_real_share(lesson *L, nn_model *net, const float *x, int n, int cls);

/* The table of the four ways: with the cycle A -> B and B -> A, then without
 * it, each way's figures in a column; class_names names the classes most
 * often recognised instead of the target. */
void cyclejudge_table(lesson *L, const cyclejudge_way *const ways[4],
                      const char *const *class_names);

/* cycle_keeps.png: the mean reconstruction error, the correlation of each
 * translation with its own input and with another image's input (the
 * baseline), with the cycle and without it, as grouped bars whose axis
 * shows negative values. */
void cyclejudge_plot(lesson *L, const cyclejudge_means *with, const cyclejudge_means *without);

/* The figure NAME.png of one run, cols images a row: rows A, G_ab(A),
 * G_ba(G_ab(A)), B, G_ba(B), G_ab(G_ba(B)), each at least (cols, 784), each
 * row named beside it (the classes of A and B as name_a, name_b). */
void cyclejudge_grid(lesson *L, const char *name, const char *caption, const char *name_a,
                     const char *name_b, const float *xa, const float *ta, const float *ra,
                     const float *xb, const float *tb, const float *rb, int cols);

#endif
