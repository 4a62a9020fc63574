/* dcganvsmlp.c - the buffers and pictures of lesson 10's comparison (dcganvsmlp.h). */
#include "dcganvsmlp.h"

#include <stdlib.h>

#include "classifier.h"
#include "viz/image.h"
#include "nn.h"

void dcganvsmlp_alloc(lesson *L, dcganvsmlp *c, int n, int latent_dim)
{
    c->n = n;
    c->z = lesson_alloc(L, (size_t)n * latent_dim, sizeof(float));
    for (int i = 0; i < 4; i++) {
        c->img[i] = lesson_alloc(L, (size_t)n * 784, sizeof(float));
        c->feat[i] = lesson_alloc(L, (size_t)n * CLASSIFIER_FEATURES, sizeof(float));
    }
    c->idx = malloc((size_t)n * sizeof(int));
    c->labels = malloc((size_t)n * sizeof(int));
    if (!c->idx || !c->labels) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory");
}

void dcganvsmlp_show_samples(lesson *L, const dcganvsmlp *c)
{
    nn_error err;
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 10;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "dcgan_samples.png"), c->img[1], 100, 1,
                                        28, 28, &o, &err), &err);
    lesson_check(L, nn_image_write_grid(lesson_path(L, "mlp_samples.png"), c->img[2], 100, 1,
                                        28, 28, &o, &err), &err);
    lesson_figure(L, "dcgan_samples.png", "DCGAN, 100 samples");
    lesson_figure(L, "mlp_samples.png", "lesson 06's MLP, the same 100 latent vectors");
    FILE *pf = lesson_capture_begin(L);
    nn_image_preview(pf, c->img[1], 3, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
    nn_image_preview(pf, c->img[2], 3, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
    lesson_capture_end(L);
}

void dcganvsmlp_free(dcganvsmlp *c)
{
    for (int i = 0; i < 4; i++) {
        nn_free(c->img[i]);
        nn_free(c->feat[i]);
    }
    free(c->idx);
    free(c->labels);
    nn_free(c->z);
}
