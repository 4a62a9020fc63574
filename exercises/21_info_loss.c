/* Exercise 21: InfoGAN's categorical information loss on Q's logits and its
 * gradient (lib/gan/info.h declares it; every InfoGAN step calls it twice, in
 * D's update and in G's).
 * Check it with `make check EX=21`; stuck? `make hint EX=21`. */
#include "nn.h"

float nn_info_cat_loss(float *dq, const float *q, int stride, const int *c, int n, int k)
{
    /* TODO: row i of Q's logits is q[i * stride + j] for j < k, and c[i] is
     * the code G was given for sample i. Return
     *   L = mean over rows of ( log sum_j exp(q_ij) - q_i,c_i )
     * and, unless dq is NULL, write dL/dq_ij into dq[i * stride + j] (only
     * those k places of each row). Large logits must not overflow. */
    (void)dq;
    (void)q;
    (void)stride;
    (void)c;
    (void)n;
    (void)k;
    return 0.0f;
}
