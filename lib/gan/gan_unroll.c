/* gan_unroll.c - unrolling as an option of the GAN step (gan.h; Metz et al.
 * 2017, first order): G is scored against the D that k more updates would
 * give, taken on a copy so that D itself keeps its state. */
#include "gan/gan_options.h"

#include <string.h>

nn_status nn_gan_unrolling_setup(nn_gan *g, nn_error *err)
{
    if (g->cfg.unroll <= 0) return NN_OK;
    nn_error local;
    nn_error *e = err ? err : &local; /* the status is in it */
    g->unrolled.D = nn_gan_same_layers(g->D, 0, e);
    return g->unrolled.D ? NN_OK : e->code;
}

void nn_gan_unrolling_free(nn_gan_unrolling *u)
{
    nn_model_free(u->D);
    u->D = NULL;
}

nn_model *nn_gan_unroll_start(nn_gan *g)
{
    /* The copy starts where D is, Adam moments and step count included, so
     * its k updates are the ones D itself would take next. */
    nn_model *Du = g->unrolled.D;
    nn_model_copy_params(Du, g->D);
    memcpy(Du->adam_m, g->D->adam_m, g->D->n_params * sizeof(float));
    memcpy(Du->adam_v, g->D->adam_v, g->D->n_params * sizeof(float));
    Du->adam_t = g->D->adam_t;
    return Du;
}
