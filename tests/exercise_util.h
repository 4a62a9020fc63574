/* exercise_util.h - what the exercise tests share: checks whose failure
 * message names the unfinished function and points to its hint.
 *
 * Each test defines EX_NUM (the exercise number) and EX_FUNC (the function's
 * name, a string) before including this header. A failed check prints
 *   gan_sample_latent (exercise 1): <what>: ... Stuck? make hint EX=1
 * and fails the cmocka test.
 */
#ifndef EXERCISE_UTIL_H
#define EXERCISE_UTIL_H

#include <math.h>
#include <stdio.h>
#include "testutil.h"

#if !defined(EX_NUM) || !defined(EX_FUNC)
#error "define EX_NUM and EX_FUNC before including exercise_util.h"
#endif

/* Fails with the exercise's message when cond is false. */
#define ex_expect(cond, ...)                                                          \
    do {                                                                              \
        if (!(cond)) {                                                                \
            print_error("%s (exercise %d): ", EX_FUNC, EX_NUM);                       \
            print_error(__VA_ARGS__);                                                 \
            print_error("\n  Stuck? make hint EX=%d\n", EX_NUM);                       \
            fail();                                                                   \
        }                                                                             \
    } while (0)

/* Worst relative error of got against want, the course's measure:
 * max|a-b| / max(1e-8, max|a| + max|b|); *where gets the worst index. */
static inline double ex_rel_error(const float *got, const float *want, size_t n, size_t *where)
{
    double diff = 0.0, ma = 0.0, mb = 0.0;
    *where = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)got[i] - (double)want[i]);
        /* A NaN must count as the worst difference, not be skipped by >. */
        if (d > diff || d != d) {
            diff = d != d ? INFINITY : d;
            *where = i;
        }
        if (fabs(got[i]) > ma) ma = fabs(got[i]);
        if (fabs(want[i]) > mb) mb = fabs(want[i]);
    }
    return diff / fmax(1e-8, ma + mb);
}

/* How far got is from want, in words: "9.1% off", "off by 0.25" (want 0),
 * "not a number". */
static inline const char *ex_how_far(double got, double want, char *buf, size_t cap)
{
    if (got != got) snprintf(buf, cap, "not a number");
    else if (!isfinite(got)) snprintf(buf, cap, "infinite");
    else if (want != 0.0) {
        double pct = 100.0 * fabs(got - want) / fabs(want);
        snprintf(buf, cap, pct >= 10.0 ? "%.0f%% off" : "%.2g%% off", pct);
    }
    else snprintf(buf, cap, "off by %.2g", fabs(got - want));
    return buf;
}

/* Fails unless got (n) matches want within relative error tol; the message
 * names the worst element first (its value, the one expected, how far off),
 * then the array's relative error, max|got - want| / (max|got| + max|want|),
 * which one stray element in a large array only nudges. */
#define ex_expect_close(got, want, n, tol, what)                                       \
    do {                                                                              \
        size_t ex_i_;                                                                 \
        char ex_far_[48];                                                             \
        double ex_e_ = ex_rel_error((got), (want), (n), &ex_i_);                      \
        ex_expect(ex_e_ <= (tol),                                                     \
                  "%s: element %zu is %.7g, expected %.7g (%s); the array's relative "\
                  "error is %.2g, allowed %.1g",                                      \
                  (what), ex_i_, (double)(got)[ex_i_], (double)(want)[ex_i_],         \
                  ex_how_far((double)(got)[ex_i_], (double)(want)[ex_i_], ex_far_,    \
                             sizeof ex_far_),                                         \
                  ex_e_, (double)(tol));                                              \
    } while (0)

/* Fails unless |got - want| <= tol (scalars). */
#define ex_expect_near(got, want, tol, what)                                           \
    do {                                                                              \
        double ex_g_ = (got), ex_w_ = (want);                                         \
        ex_expect(fabs(ex_g_ - ex_w_) <= (tol), "%s is %.7g, expected %.7g (+- %.1g)", \
                  (what), ex_g_, ex_w_, (double)(tol));                               \
    } while (0)

/* The slips a mean loss's gradient d (n) is checked for before its values,
 * when the test filled d with `garbage` first and want (n) is the answer:
 * d left unwritten, the gradient added to what d held (+= for =), and the
 * 1/n of the mean forgotten. Returns only when none of them is what d holds. */
static inline void ex_expect_mean_grad_written(const float *got, const float *want, int n,
                                               float garbage, const char *what)
{
    size_t where;
    float alt[64];
    ex_expect(n <= 64, "(test) arrays too long");
    int untouched = 1;
    for (int i = 0; i < n; i++) untouched &= got[i] == garbage;
    ex_expect(!untouched, "%s: not written (it still holds what was there before)", what);
    for (int i = 0; i < n; i++) alt[i] = want[i] + garbage;
    ex_expect(ex_rel_error(got, alt, (size_t)n, &where) > 1e-5,
              "%s: it is the gradient plus what the array held before; write it (=), do not "
              "add into it (+=)", what);
    for (int i = 0; i < n; i++) alt[i] = want[i] * (float)n;
    ex_expect(ex_rel_error(got, alt, (size_t)n, &where) > 1e-5,
              "%s: each value is %d times too large; the loss is a mean over n = %d values, "
              "so each derivative carries 1/n", what, n, n);
}

#endif
