/* metrics.h - how good and how varied are a generator's samples?
 *
 * Toy 2-D sets (a ring or a grid of Gaussian modes) are scored as in VEEGAN
 * (Srivastava et al. 2017) and PacGAN (Lin et al. 2018):
 *   - a sample is high quality (hq) when it lies within 3 sigma of its
 *     nearest mode centre;
 *   - a mode is covered when at least one hq sample is nearest to it;
 *   - the reverse KL compares the histogram of hq samples over the modes
 *     with the uniform one: KL(q || u) = sum_k q_k log(K q_k).
 * Image samples are scored through a classifier's labels (class histogram)
 * or through feature vectors (Frechet distance, the maths behind FID).
 * Every function works on plain arrays the caller owns; none allocates
 * memory that outlives the call.
 */
#ifndef NN_METRICS_H
#define NN_METRICS_H

#include "base/common.h"

/* What nn_mode_stats computes for one set of samples. */
typedef struct {
    int n_samples;       /* samples scored */
    int n_modes;         /* K, mode centres given */
    int n_hq;            /* samples within 3 sigma of their nearest mode */
    int modes_covered;   /* modes with at least one hq sample nearest them */
    float hq_fraction;   /* n_hq / n_samples, in [0, 1] */
    float reverse_kl;    /* KL(q || uniform) over modes, q = hq histogram; log K when n_hq = 0 */
} nn_mode_stats;

/* Scores samples (n, dim) against mode centres (n_modes, dim) of a mixture
 * whose components have standard deviation sigma:
 *   nearest(x) = argmin_k |x - c_k|,   hq(x) = |x - c_nearest| <= 3 sigma
 * counts (n_modes), when not NULL, receives how many hq samples are nearest
 * each mode. Returns NN_ERR_ARG for n < 1, dim < 1, n_modes < 1, sigma <= 0
 * or a non-finite sample (a diverged generator), with err saying which. */
nn_status nn_mode_stats_compute(nn_mode_stats *out, int *counts, const float *samples, int n,
                                int dim, const float *centres, int n_modes, float sigma,
                                nn_error *err);

/* KL(q || uniform) of a histogram: q_k = counts_k / sum, KL = sum_k q_k log(K q_k)
 * (0 log 0 = 0); log K when every count is 0. In nats, between 0 and log K. */
float nn_hist_kl_uniform(const int *counts, int k);

/* counts[c] = #{ i : labels[i] = c } for c < n_classes; labels outside
 * [0, n_classes) are not counted. Returns how many labels were counted. */
int nn_class_histogram(int *counts, const int *labels, int n, int n_classes);

/* labels[i] = argmax_j scores[i*k + j] (the first maximum), for i < n: turns a
 * classifier's logits (n, k) into labels. */
void nn_argmax_rows(int *labels, const float *scores, int n, int k);

/* A confusion matrix: m (k_rows, k_cols), m[r * k_cols + c] = #{ i : rows[i] = r,
 * cols[i] = c } (requested class against recognised, or code against
 * class); pairs outside the ranges are not counted. Returns how many were. */
int nn_confusion_matrix(int *m, const int *rows, const int *cols, int n, int k_rows,
                        int k_cols);

/* Purity of a clustering read from its confusion matrix m (k_rows clusters,
 * k_cols classes): the share of samples whose class is their cluster's most
 * common class,  sum_r max_c m[r, c] / sum m.  1 when every cluster holds
 * one class; 0 for an empty matrix. */
float nn_purity(const int *m, int k_rows, int k_cols);

/* Mean (dim) and covariance (dim, dim) of the rows of x (n, dim), in double:
 *   mu = (1/n) sum x_i,   S = (1/(n-1)) sum (x_i - mu)(x_i - mu)^T
 * (the unbiased estimate numpy.cov uses; S = 0 when n = 1). */
void nn_mean_cov(double *mu, double *cov, const float *x, int n, int dim);

/* Eigen-decomposition of a symmetric matrix a (dim, dim) by cyclic Jacobi
 * rotations: a = V diag(w) V^T. a is overwritten; vecs (dim, dim), when not
 * NULL, receives V column by column (vecs[i*dim + j] = V_ij). Meant for small
 * dim (tens to a few hundred). Returns the number of sweeps used. */
int nn_sym_eig(double *w, double *vecs, double *a, int dim);

/* The eigenvalues w (dim), in no particular order, of a symmetric matrix a
 * (dim, dim), without the vectors: Householder tridiagonalisation and
 * implicit QL, several times faster than nn_sym_eig for the same values.
 * a is overwritten; e (dim) is scratch. */
void nn_sym_eigvals(double *w, double *e, double *a, int dim);

/* Symmetric square root of a symmetric positive semi-definite matrix:
 *   sqrt(A) = V diag(sqrt(max(w, 0))) V^T
 * out and a are (dim, dim); a is left untouched. Negative eigenvalues (round-off
 * on a singular covariance) are clipped to 0. Returns NN_ERR_NOMEM if the
 * workspace cannot be allocated. */
nn_status nn_sym_sqrtm(double *out, const double *a, int dim, nn_error *err);

/* Frechet distance between two Gaussians fitted to the rows of x (nx, dim) and
 * y (ny, dim) (Dowson & Landau 1982; FID, Heusel et al. 2017):
 *   d^2 = |mu_x - mu_y|^2 + tr(S_x + S_y - 2 (S_x^1/2 S_y S_x^1/2)^1/2)
 * tr((S_x S_y)^1/2) is computed as tr((S_x^1/2 S_y S_x^1/2)^1/2), which keeps
 * every matrix symmetric. Writes d^2 to *out (>= 0). NN_ERR_ARG for nx or ny
 * below 2 or dim < 1. */
nn_status nn_frechet_distance(double *out, const float *x, int nx, const float *y, int ny,
                              int dim, nn_error *err);

/* The side of a Frechet distance that stays fixed while the other changes
 * (a generator judged against the same real images at every step): x's mean,
 * the square root of its covariance and that covariance's trace, computed
 * once. nn_frechet_distance is init, distance_to, free. */
typedef struct {
    int dim;
    double *mu;         /* (dim) */
    double *sqrt_cov;   /* (dim, dim): S_x^1/2 */
    double tr_cov;      /* tr S_x */
} nn_frechet_ref;

/* From the rows of x (n, dim); NN_ERR_ARG for n < 2 or dim < 1, NN_ERR_NOMEM.
 * Free with nn_frechet_ref_free (safe on a failed or zeroed ref). */
nn_status nn_frechet_ref_init(nn_frechet_ref *r, const float *x, int n, int dim, nn_error *err);
void nn_frechet_ref_free(nn_frechet_ref *r);

/* d^2 between r's Gaussian and the one fitted to the rows of y (ny, r->dim). */
nn_status nn_frechet_distance_to(double *out, const nn_frechet_ref *r, const float *y, int ny,
                                 nn_error *err);

/* Spearman's rank correlation of a and b (n): the Pearson correlation of
 * their ranks, ties sharing their mean rank; in [-1, 1]. NAN for n < 3, a
 * constant series (no ranking) or no memory for the ranks. */
double nn_spearman(const float *a, const float *b, int n);

/* Precision and recall for generative models (Kynkaanniemi et al. 2019),
 * on feature vectors. Each row r of ref (nref, dim) owns a ball whose radius
 * is its distance to its k-th nearest other row of ref; the k-NN precision
 * of x (nx, dim) against ref is the share of the rows of x inside at least
 * one ball (a point on the border is inside):
 *   prec(ref, x) = (1/nx) #{ i : exists r, |x_i - ref_r| <= |ref_r - NN_k(ref_r)| }
 * Euclidean distances. 1 <= k < nref. Exercise 23.                            */
float nn_knn_precision(const float *ref, int nref, const float *x, int nx, int dim, int k);

/* Both numbers for real (nr, dim) and generated (nf, dim) features:
 *   precision = prec(real, fake): how many samples look real (fidelity);
 *   recall    = prec(fake, real): how much of the real data the samples
 *               reach (coverage); a collapsed generator has little.
 * NN_ERR_ARG for k < 1, k >= nr or k >= nf, or dim < 1, with err saying which. */
nn_status nn_precision_recall(float *precision, float *recall, const float *real, int nr,
                              const float *fake, int nf, int dim, int k, nn_error *err);

/* Sharpness of grey images x (n, h*w): the mean over images and pixels of
 * the squared differences between horizontal and vertical neighbours,
 *   S = mean ( (x[i][j+1] - x[i][j])^2 + (x[i+1][j] - x[i][j])^2 )
 * in the units of x squared. A blurred image has small differences, a sharp
 * edge a large one. h, w >= 2. */
double nn_sharpness(const float *x, int n, int h, int w);

#endif
