/* latent.h - walking the latent space: paths between two latent vectors.
 *
 * z ~ N(0, I) in d dimensions has |z| close to sqrt(d) (for d = 100, between
 * about 9 and 11): the prior's mass lies on a thin shell. The straight line
 * between two such vectors cuts inside the shell (its midpoint has norm
 * about sqrt(d / 2)), where G was never trained; the great-circle path of
 * spherical interpolation (slerp, Shoemake 1985; White 2016 for GANs) keeps
 * the norm between the two ends' norms.
 */
#ifndef NN_LATENT_H
#define NN_LATENT_H

/* out (dim) = (1 - t) a + t b. */
void nn_lerp(float *out, const float *a, const float *b, int dim, float t);

/* Exercise 20. Spherical interpolation, t in [0, 1]:
 *   omega = arccos(a.b / (|a| |b|)),
 *   out = sin((1 - t) omega) / sin(omega) a + sin(t omega) / sin(omega) b
 * When a and b are (nearly) parallel, sin(omega) is (nearly) 0 and the
 * formula divides 0 by 0: there the path is the straight line, nn_lerp's. */
void nn_slerp(float *out, const float *a, const float *b, int dim, float t);

/* A path of `steps` points (steps >= 2) from a to b, t = i / (steps - 1):
 * out (steps, dim), spherical (nn_slerp) when spherical is 1, else linear. */
void nn_latent_path(float *out, const float *a, const float *b, int dim, int steps,
                    int spherical);

#endif
