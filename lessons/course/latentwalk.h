/* latentwalk.h - a walk through a generator's latent space (lesson 12): the
 * generator it walks, how long the prior's draws are, and how long z stays
 * along straight and spherical paths between two of them.
 */
#ifndef GANSTEPS_LATENTWALK_H
#define GANSTEPS_LATENTWALK_H

#include <stdint.h>

#include "lesson.h"
#include "nn.h"

/* The generator to walk: lesson 10's DCGAN when it has trained at least
 * as long as lesson 10's default run beside this lesson's folder (and no
 * mlp_ckpt was given, not under --fast), else lesson 06's default MLP (from mlp_ckpt, lesson
 * 06's folder, or trained here for mlp_steps steps on ds:
 * trainrun_mlp_from_lesson06). *owner is what to free with nn_gan_free;
 * NULL when the DCGAN's G is returned, which the caller frees with
 * nn_model_free. */
nn_model *latentwalk_generator(lesson *L, const nn_dataset *ds, const char *mlp_ckpt,
                               int mlp_steps, nn_gan **owner);

/* |z| of `draws` draws of the prior N(0, I) in dim dimensions (latent stream
 * `stream` of the lesson's seed), sorted ascending; the caller frees them. */
double *latentwalk_prior_norms(lesson *L, int dim, int draws, uint64_t stream);

/* The sag of straight paths and the floor of spherical ones. */
typedef struct {
    double mid_lin;         /* shortest |z| at the central points of the straight paths */
    double min_sph;         /* shortest |z| anywhere on the spherical paths */
} latentwalk_sag;

/* paths (2 * pairs * n, dim): for each pair a straight path then a
 * spherical one, n points each. Measures |z| along them and draws the first
 * pair's two curves against the prior's 1st and 99th percentiles p01 and
 * p99 as the figure path_norms (and in the terminal). */
latentwalk_sag latentwalk_path_norms(lesson *L, const float *paths, int dim, int pairs, int n,
                                     double p01, double p99);

#endif
