/* Exercise 6: DCGAN's initialisation, N(0, 0.02) weights and zero biases. */
#include "exercises.h"

#include <string.h>

void gan_init_weights(nn_model *m, nn_rng *rng)
{
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        if (l->spec.kind == NN_LAYER_LINEAR) {
            /* w is (out, in): out * in numbers, drawn in layer order so one
             * seed fixes the whole model. */
            nn_init_normal(rng, l->w, (size_t)l->out * (size_t)l->in, 0.0f, 0.02f);
            memset(l->b, 0, (size_t)l->out * sizeof(float));
        } else if (l->spec.kind == NN_LAYER_BATCHNORM) {
            /* gamma 1, beta 0: batchnorm starts as a plain standardisation. */
            for (int j = 0; j < l->out; j++) {
                l->w[j] = 1.0f;
                l->b[j] = 0.0f;
            }
        }
    }
}
