/* flowruns.c - lesson 17's training runs on worker threads (flowruns.h). */
#include "flowruns.h"

#include <stdio.h>

#include "viz/plot.h"
#include "workqueue.h"

void flowruns_flow(lesson *L, flowrun *r, const nn_flow_config *cfg, const nn_toy *data,
                   int steps, uint64_t seed, const float *held, int n_held,
                   void (*train)(flowrun *r))
{
    nn_error err;
    nn_flow_config c = *cfg;
    /* The networks see the data divided by its spread (the root mean square
     * of a coordinate of the mode centres), as lesson 09's do. */
    int unused;
    c.scale = toy_config_preset(data, &unused).scale;
    r->flow = nn_flow_create(&c, seed, &err);
    if (!r->flow) lesson_check(L, err.code, &err);
    r->train = train;
    r->data = data;
    r->steps = steps;
    r->seed = seed;
    r->batch_x = lesson_alloc(L, (size_t)c.max_batch * 2, sizeof(float));
    r->held = held;
    r->n_held = n_held;
}

/* One run, on whichever worker takes it. */
static void flowrun_one(void *ctx, int i)
{
    flowrun *r = &((flowrun *)ctx)[i];
    double t0 = lesson_seconds();
    r->train(r);
    r->secs = lesson_seconds() - t0;
}

void flowruns_train_all(lesson *L, flowrun *runs, int n, int jobs)
{
    workqueue_run(L, "training", n, jobs, flowrun_one, runs);
}

void flowruns_plot_curves(lesson *L, flowrun *const *flows, int n)
{
    nn_error err;
    const float *ys[2];
    const char *sn[2];
    for (int d = 0; d < n && d < 2; d++) {
        ys[d] = flows[d]->curve_ll;
        sn[d] = flows[d]->data->name;
    }
    /* Both curves on one axis only when they have the same steps. */
    int k = n == 2 && flows[0]->steps != flows[1]->steps ? 1 : n;
    for (int d = 0; d < n; d += k) {
        char nm[64];
        snprintf(nm, sizeof nm, k == 1 ? "heldout_ll_%s" : "heldout_ll", sn[d]);
        nn_plot p = {.dir = L->out, .name = nm, .xlabel = "Adam steps",
                     .ylabel = "held-out mean log p(x)",
                     .title = "the flow's held-out log-likelihood while training",
                     .term = d == 0 ? lesson_capture_begin(L) : NULL};
        nn_status s = nn_plot_lines(&p, flows[d]->curve_at, ys + d, sn + d, k, FLOWRUNS_CURVE,
                                    &err);
        if (d == 0) lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "held-out mean log-likelihood against steps");
    }
}

void flowruns_free(flowrun *r)
{
    nn_flow_free(r->flow);
    toy_gan_free(r->gan);
    nn_free(r->batch_x);
    nn_free(r->samples);
    r->flow = NULL;
    r->gan = NULL;
    r->batch_x = r->samples = NULL;
}
