/* condgan.h - how well a conditional GAN obeys (lesson 12): the judge's
 * own confusions on real test images, what the requested x recognised
 * confusion matrix says (overall, the least obeyed class, the largest
 * confusion and how much of it is the judge's), and the same judgement of
 * G's own weights when the samples come from an average of them.
 */
#ifndef GANSTEPS_CONDGAN_H
#define GANSTEPS_CONDGAN_H

#include "lesson.h"
#include "nn.h"
#include "steered.h"

/* The classifier net on every image of test: cm (STEERED_CLASSES,
 * STEERED_CLASSES), true class against recognised one. Returns how many it
 * got right. */
int condgan_judge_test_set(lesson *L, nn_model *net, const nn_dataset *test, int *cm);

typedef struct {
    int ok;                 /* samples recognised as the class asked for */
    int worst;              /* the least obeyed class */
    float worst_acc;        /* its share recognised, in [0, 1] */
    int top_r, top_c;       /* the largest confusion: top_r asked for, top_c recognised */
    double judge_same;      /* % of real top_r test images the judge takes for top_c */
} condgan_obedience;

/* Reads cm (requested x recognised, per_class samples a row) beside the
 * judge's own confusion matrix judge_cm on the test set. */
condgan_obedience condgan_read_confusion(const int *cm, const int *judge_cm, int per_class);

/* Who the largest confusion belongs to: the judge's rate on real images
 * (judge_pct) beside G's (g_pct), both in percent of their row. At half of
 * G's rate or more the judge's own confusion is comparable and may explain
 * much of G's; below it, most of G's confusion is G's. */
typedef enum { CONDGAN_JUDGE_COMPARABLE, CONDGAN_MOSTLY_G } condgan_blame;
condgan_blame condgan_who_confuses(double judge_pct, double g_pct);

/* The samples of cg's own G judged as steered_judge_per_class does (latent
 * stream stream, per_class a class; want is rewritten with the same
 * requests): the samples recognised as asked for into *ok, the fewest of
 * one class into *min_ok. */
void condgan_judge_own_weights(lesson *L, const nn_gan *cg, nn_model *net, int per_class,
                               uint64_t stream, int *want, int *ok, int *min_ok);

#endif
