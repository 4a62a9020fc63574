/* info.h - InfoGAN's information losses (Chen et al. 2016).
 *
 * InfoGAN gives G codes c beside z and asks a head Q, sharing D's body, to
 * read them back from G(z, c). The mutual information I(c; G(z, c)) has the
 * lower bound H(c) + E[log Q(c | x)]; H(c) is fixed by the prior, so
 * maximising the bound is minimising -E[log Q(c | x)]: a cross-entropy for a
 * categorical code, a squared error for a continuous code read as the mean
 * of a unit-variance Gaussian. Both read Q's outputs in place, inside D's
 * output rows (a stride), and write their gradients there.
 */
#ifndef NN_INFO_H
#define NN_INFO_H

/* Exercise 21. Q's logits for a categorical code of k values: row i is
 * q[i * stride + j], j < k; the codes c (n) drawn for each sample.
 *   L = mean_i [ logsumexp_j q_ij - q_i,c_i ]            (= -E log Q(c | x))
 *   dL/dq_ij = (softmax(q_i)_j - [j = c_i]) / n
 * Writes the gradient into dq at the same places (the other columns of a
 * row are not touched) unless dq is NULL. The lower bound on I(c; x) is then
 * log k - L for a uniform code. Stable for any logit. */
float nn_info_cat_loss(float *dq, const float *q, int stride, const int *c, int n, int k);

/* A continuous code read as the mean of a unit-variance Gaussian: Q's
 * estimates mu (row i: mu[i * stride + j], j < m) against the codes
 * c (n, m):
 *   L = 1/2 mean_i sum_j (mu_ij - c_ij)^2,   dL/dmu_ij = (mu_ij - c_ij) / n
 * (the log-density up to a constant). dmu as dq above. */
float nn_info_cont_loss(float *dmu, const float *mu, int stride, const float *c, int n, int m);

#endif
