/* p2prun.c - lesson 19's training runs (p2prun.h). */
#include "p2prun.h"

#include <math.h>
#include <string.h>

#include "workqueue.h"

nn_model *p2prun_patch_judge(int in_c, int ch, int max_batch, nn_error *err)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_RESHAPE, .c = in_c + 1, .h = 28, .w = 28},
        {.kind = NN_LAYER_CONV2D, .out = ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 2 * ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 1, .kernel = 3, .stride = 1, .pad = 1},
    };
    return nn_model_create((in_c + 1) * 784, s, (int)(sizeof s / sizeof s[0]), max_batch, err);
}

/* Evaluation runs in chunks of this many images: the networks are built for
 * the larger of it and the batch. */
#define P2P_CHUNK 64

void p2prun_build(lesson *L, p2prun *r, p2p_task t, int adversarial, int skips,
                  const char *label, const p2prun_setup *set, const nn_dataset *ds,
                  uint64_t seed)
{
    nn_error err = {NN_OK, ""};
    memset(r, 0, sizeof *r);
    r->task = t;
    r->adversarial = adversarial;
    r->skips = skips;
    r->label = label;
    r->set = *set;
    r->seed = seed;
    r->ds = ds;
    r->diverged_at = -1;
    const int mb = set->batch > P2P_CHUNK ? set->batch : P2P_CHUNK;
    const nn_unet_config uc = {.in_c = p2p_in_c(t), .h = 28, .w = 28, .ch = set->g_ch,
                               .skips = skips, .max_batch = mb};
    nn_unet *G = nn_unet_create(&uc, &err);
    if (!G) lesson_check(L, err.code, &err);
    nn_model *D = NULL;
    if (adversarial) {
        D = p2prun_patch_judge(p2p_in_c(t), set->d_ch, set->batch, &err);
        if (!D) {
            nn_unet_free(G);
            lesson_check(L, err.code, &err);
        }
    }
    nn_pix2pix_config cfg = nn_pix2pix_config_default();
    cfg.lambda_l1 = set->lambda;
    cfg.adversarial = adversarial;
    cfg.batch = set->batch;
    cfg.lr_g = cfg.lr_d = set->lr;
    r->p = nn_pix2pix_create(G, D, &cfg, NN_INIT_NORMAL_002, seed, &err);
    if (!r->p) lesson_check(L, err.code, &err);
    float *logs = lesson_alloc(L, 4 * (size_t)set->steps, sizeof(float));
    r->l1 = logs;
    r->adv = logs + set->steps;
    r->d_real = logs + 2 * (size_t)set->steps;
    r->d_fake = logs + 3 * (size_t)set->steps;
}

void p2prun_free(p2prun *r)
{
    nn_pix2pix_free(r->p);
    nn_free(r->l1);
    memset(r, 0, sizeof *r);
}

/* One run, on whichever worker takes it: it touches only its own data. Its
 * batches come from its own stream of the seed, its masks from another, so
 * the variants of one task see the same pairs. */
static void train_one(void *ctx, int i)
{
    p2prun *r = &((p2prun *)ctx)[i];
    const int b = r->set.batch, in_c = p2p_in_c(r->task);
    double t0 = lesson_seconds();
    p2p_sampler sa;
    float *y = nn_alloc((size_t)b * 784 * (2 + (size_t)in_c), sizeof(float));
    if (!y || !p2p_sampler_init(&sa, r->ds, b, r->seed)) {
        nn_free(y);
        r->no_memory = 1;
        return;
    }
    float *mask = y + (size_t)b * 784, *x = mask + (size_t)b * 784;
    nn_rng masks;
    nn_rng_seed(&masks, r->seed, 12);
    const int half = r->set.steps / 2;
    for (long s = 0; s < r->set.steps; s++) {
        /* The paper's schedule: the rate held for half the steps, then
         * brought down linearly to 0. */
        float rate = s < half ? r->set.lr
                              : r->set.lr * (float)(r->set.steps - s) / (float)(r->set.steps - half);
        r->p->opt_g.lr = r->p->opt_d.lr = rate;
        p2p_sampler_next(&sa, y, NULL, b);
        p2p_make_inputs(r->task, x, mask, y, b, &masks);
        nn_pix2pix_stats st;
        nn_pix2pix_step(r->p, x, y, r->task == P2P_INPAINT ? mask : NULL, &st);
        r->l1[s] = st.g_l1;
        r->adv[s] = st.g_adv;
        r->d_real[s] = st.d_real;
        r->d_fake[s] = st.d_fake;
        r->done = s + 1;
        if (!isfinite(st.g_l1) || !isfinite(st.g_adv)) {
            r->diverged_at = (int)s;
            r->diverged = "the generator's loss";
            break;
        }
        if (!isfinite(st.d_loss)) {
            r->diverged_at = (int)s;
            r->diverged = "the discriminator's loss";
            break;
        }
    }
    r->secs = lesson_seconds() - t0;
    p2p_sampler_free(&sa);
    nn_free(y);
}

void p2prun_train_all(lesson *L, p2prun *runs, int n, int jobs)
{
    workqueue_run(L, "training runs", n, jobs, train_one, runs);
    for (int i = 0; i < n; i++)
        if (runs[i].no_memory)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "%s, %s: out of memory for a batch of %d; try "
                        "a smaller --batch", p2p_task_name(runs[i].task), runs[i].label,
                        runs[i].set.batch);
        else if (runs[i].diverged_at >= 0)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "%s, %s: %s stopped being a number at step %d; "
                        "try a smaller --lr", p2p_task_name(runs[i].task), runs[i].label,
                        runs[i].diverged, runs[i].diverged_at + 1);
}

void p2prun_translate(p2prun *r, float *out, const float *x, const float *y, const float *mask,
                      int n)
{
    nn_pix2pix_translate(r->p, out, x, y, mask, n);
}

double p2prun_tail_mean(const float *log, long done, int tail)
{
    if (done <= 0) return NAN;
    long from = done > tail ? done - tail : 0;
    double s = 0.0;
    for (long i = from; i < done; i++) s += log[i];
    return s / (double)(done - from);
}
