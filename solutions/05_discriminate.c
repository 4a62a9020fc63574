/* Exercise 5: the discriminator's forward pass, to a logit and a probability. */
#include "exercises.h"

const float *gan_discriminate(nn_model *D, const float *x, int batch, int train, float *prob)
{
    const float *s = nn_model_forward(D, x, batch, train);
    /* D(x) = sigmoid(s): the probability D gives to "x is real". */
    if (prob)
        for (int i = 0; i < batch; i++) prob[i] = nn_sigmoidf(s[i]);
    return s;
}
