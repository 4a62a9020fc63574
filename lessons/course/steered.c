/* steered.c - sampling and judging a steered generator (steered.h). */
#include "steered.h"

#include <string.h>

#include "mlpgan.h"

enum { K = STEERED_CLASSES };

void steered_rows(float *rows, const nn_gan *t, const float *z, const int *labels,
                  const float *cont, int n, float *scratch)
{
    int d = t->arch.latent_dim, m = t->arch.n_cont;
    for (int i = 0; i < n; i++) {
        memcpy(scratch + (size_t)i * (d + m), z + (size_t)i * d, (size_t)d * sizeof(float));
        for (int j = 0; j < m; j++)
            scratch[(size_t)i * (d + m) + d + j] = cont ? cont[(size_t)i * m + j] : 0.0f;
    }
    nn_gan_condition(rows, scratch, labels, n, d + m, K);
}

float *steered_judge_per_class(lesson *L, const nn_gan *t, nn_model *G, nn_model *net, int per,
                               uint64_t stream, int *want, int *got)
{
    int n = K * per, d = t->arch.latent_dim, m = t->arch.n_cont;
    float *z = lesson_alloc(L, (size_t)n * d, sizeof(float));
    float *cont = m ? lesson_alloc(L, (size_t)n * m, sizeof(float)) : NULL;
    float *scratch = lesson_alloc(L, (size_t)n * (d + m), sizeof(float));
    float *rows = lesson_alloc(L, (size_t)n * G->in, sizeof(float));
    float *img = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    nn_rng r;
    nn_rng_seed(&r, L->seed, stream);
    nn_sample_latent(z, n, d, &r);
    if (cont) nn_rng_fill_uniform(&r, cont, (size_t)n * m, -1.0f, 1.0f);
    for (int i = 0; i < n; i++) want[i] = i / per;
    steered_rows(rows, t, z, want, cont, n, scratch);
    gan_sample_images(img, G, rows, n);
    classifier_predict(net, img, n, got);
    nn_free(z);
    nn_free(cont);
    nn_free(scratch);
    nn_free(rows);
    return img;
}

void steered_show_confusion(lesson *L, const int *m, const char *const *row_names,
                            const char *const *col_names, const char *rows_are,
                            const char *name, const char *title)
{
    lesson_print(L, "%-12s", "");
    for (int c = 0; c < K; c++) lesson_print(L, " %5.5s", col_names[c]);
    lesson_print(L, "\n");
    float pct[K * K];
    for (int r = 0; r < K; r++) {
        long row = 0;
        for (int c = 0; c < K; c++) row += m[r * K + c];
        lesson_print(L, "%-12.12s", row_names[r]);
        for (int c = 0; c < K; c++) {
            pct[r * K + c] = row ? 100.0f * (float)m[r * K + c] / (float)row : 0.0f;
            lesson_print(L, " %5.1f", (double)pct[r * K + c]);
        }
        lesson_print(L, "\n");
    }
    nn_error err = {NN_OK, ""};
    /* The figure reads like the table above it: the same rows top to bottom,
     * the same names, the percentages in the cells. */
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "recognised class",
                 .ylabel = rows_are, .width = 760, .height = 680};
    nn_status s = nn_plot_matrix(&p, pct, K, K, row_names, col_names, &err);
    lesson_plot_shown(L, &p, s, &err, title);
}

void steered_batches_alloc(lesson *L, steered_batches *b, int batch, long cap)
{
    b->x = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    b->real = lesson_alloc(L, (size_t)batch * (784 + K), sizeof(float));
    b->y = lesson_alloc(L, (size_t)batch, sizeof(int));
    b->lg = (trainrun_log){0, lesson_alloc(L, (size_t)cap, sizeof(float)),
                           lesson_alloc(L, (size_t)cap, sizeof(float)),
                           lesson_alloc(L, (size_t)cap, sizeof(float)),
                           lesson_alloc(L, (size_t)cap, sizeof(float))};
}

void steered_batches_free(steered_batches *b)
{
    nn_free(b->x);
    nn_free(b->real);
    nn_free(b->y);
    nn_free(b->lg.d_loss);
    nn_free(b->lg.g_loss);
    nn_free(b->lg.d_real);
    nn_free(b->lg.d_fake);
}
