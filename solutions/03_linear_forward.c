/* Exercise 3: a linear layer's forward pass, the first step of every
 * generator and discriminator. */
#include "nn.h"

void nn_linear_forward(float *y, const float *x, const float *w, const float *b,
                       int batch, int in, int out)
{
    /* y[r][o] = sum_i x[r][i] w[o][i] + b[o]: row r of x against row o of w
     * (torch's layout, w is (out, in)), which is y = x . w^T. nn_matmul does
     * the sums (its flags: x as is, w transposed, y overwritten). */
    nn_matmul(y, x, w, batch, out, in, 0, 1, 0);
    /* Then the same bias on every row. */
    if (b) nn_add_bias(y, b, batch, out);
}
