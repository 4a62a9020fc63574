/* flowruns.c - lesson 17's training runs on worker threads (flowruns.h). */
#include "flowruns.h"

#include <pthread.h>
#include <stdio.h>

#include "viz/plot.h"

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

typedef struct {
    flowrun *runs;
    int n, next, done;
    pthread_mutex_t lock;
    pthread_cond_t progress;
} queue;

static void *worker(void *arg)
{
    queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        int i = q->next < q->n ? q->next++ : -1;
        pthread_mutex_unlock(&q->lock);
        if (i < 0) return NULL;
        flowrun *r = &q->runs[i];
        double t0 = lesson_seconds();
        r->train(r);
        r->secs = lesson_seconds() - t0;
        pthread_mutex_lock(&q->lock);
        q->done++;
        pthread_cond_signal(&q->progress);
        pthread_mutex_unlock(&q->lock);
    }
}

void flowruns_train_all(lesson *L, flowrun *runs, int n, int jobs)
{
    int before = nn_get_threads();
    nn_set_threads(1);
    queue q = {.runs = runs, .n = n};
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.progress, NULL);
    pthread_t tid[16];
    int w = jobs < n ? jobs : n, started = 0;
    if (w > 16) w = 16;
    for (; started < w; started++)
        if (pthread_create(&tid[started], NULL, worker, &q) != 0) break;
    if (started == 0) worker(&q);  /* no threads to be had: run them here */
    lesson_progress prog;
    lesson_progress_start(L, &prog, "training", n);
    pthread_mutex_lock(&q.lock);
    while (q.done < n) {
        pthread_cond_wait(&q.progress, &q.lock);
        lesson_progress_tick(&prog, q.done, "runs done, %d workers", started ? started : 1);
    }
    pthread_mutex_unlock(&q.lock);
    for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
    lesson_progress_done(&prog);
    pthread_mutex_destroy(&q.lock);
    pthread_cond_destroy(&q.progress);
    nn_set_threads(before);
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
