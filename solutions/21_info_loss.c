/* Exercise 21: InfoGAN's categorical information loss and its gradient. */
#include "nn.h"

#include <math.h>

float nn_info_cat_loss(float *dq, const float *q, int stride, const int *c, int n, int k)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        const float *row = q + (size_t)i * stride;
        /* -log Q(c | x) = logsumexp(q) - q_c, with the largest logit taken
         * out first so that exp never overflows. */
        float mx = row[0];
        for (int j = 1; j < k; j++) mx = fmaxf(mx, row[j]);
        double sum = 0.0;
        for (int j = 0; j < k; j++) sum += exp((double)(row[j] - mx));
        double lse = (double)mx + log(sum);
        total += lse - (double)row[c[i]];
        if (!dq) continue;
        /* The softmax, minus 1 at the code: the mean's 1/n on each row. */
        float *d = dq + (size_t)i * stride;
        for (int j = 0; j < k; j++)
            d[j] = (float)(exp((double)row[j] - lse) - (j == c[i] ? 1.0 : 0.0)) / (float)n;
    }
    return (float)(total / n);
}
