/* Exercise 5: D(x) = sigmoid(logit), for any logit. */
#include "nn.h"

#include <math.h>

float nn_sigmoidf(float x)
{
    /* 1 / (1 + e^-x) is fine for x >= 0, where e^-x <= 1. For x < 0 the
     * same value is e^x / (1 + e^x), and there e^x <= 1: exp never sees a
     * large argument, so nothing overflows and no NaN appears. */
    if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}
