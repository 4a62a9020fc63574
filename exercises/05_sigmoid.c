/* Exercise 5: D(x) = sigmoid(logit), for any logit. The losses, the sigmoid
 * layer and every D(x) the lessons print call it (lib/nn/loss.h).
 * Check it with `make check EX=5`; stuck? `make hint EX=5`. */
#include "nn.h"

#include <math.h>

float nn_sigmoidf(float x)
{
    /* TODO: return 1 / (1 + e^-x), written so that no exp overflows and no
     * NaN comes out for any finite x (try x = -1000 on paper). */
    (void)x;
    return 0.5f;
}
