/* workqueue.c - the course's one queue of independent runs on threads. */
#include "workqueue.h"

#include "kernels/pool.h"

#include <pthread.h>

typedef struct {
    workqueue_fn fn;
    void *ctx;
    int n, next, done;
    pthread_mutex_t lock;
    pthread_cond_t progress; /* signalled after each finished run */
} queue;

static void *worker(void *arg)
{
    queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        int i = q->next < q->n ? q->next++ : -1;
        pthread_mutex_unlock(&q->lock);
        if (i < 0) return NULL;
        q->fn(q->ctx, i);
        pthread_mutex_lock(&q->lock);
        q->done++;
        pthread_cond_signal(&q->progress);
        pthread_mutex_unlock(&q->lock);
    }
}

void workqueue_run(lesson *L, const char *label, int n, int jobs, workqueue_fn fn, void *ctx)
{
    int threads_before = nn_get_threads();
    nn_set_threads(1);
    queue q = {.fn = fn, .ctx = ctx, .n = n};
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.progress, NULL);
    pthread_t tid[16];
    int w = jobs < n ? jobs : n, started = 0;
    if (w > 16) w = 16;
    for (; started < w; started++)
        if (pthread_create(&tid[started], NULL, worker, &q) != 0) break;
    if (started == 0) worker(&q);  /* no threads to be had: run them here */
    lesson_progress prog;
    lesson_progress_start(L, &prog, label, n);
    pthread_mutex_lock(&q.lock);
    while (q.done < n) {
        pthread_cond_wait(&q.progress, &q.lock);
        lesson_progress_tick(&prog, q.done, "%d workers", started ? started : 1);
    }
    pthread_mutex_unlock(&q.lock);
    for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
    lesson_progress_done(&prog);
    pthread_mutex_destroy(&q.lock);
    pthread_cond_destroy(&q.progress);
    nn_set_threads(threads_before);
}
