/* pool.c - the worker threads that share one matmul (or one convolution, or
 * one element-wise pass) between cores, and their count.
 *
 * A job is fn(ctx, part, parts) for part = 0..parts-1: the calling thread
 * runs part 0, worker i runs part i, and nn_pool_run returns when all are
 * done. The parts write disjoint blocks of C and each is computed the same
 * way whatever the other threads do, so a given thread count gives the same
 * bits on every run.
 *
 * A training step calls matmul about twenty times with element-wise work in
 * between, so waking a sleeping thread each time would eat what the
 * second core brings. Workers therefore
 * spin for a while after each job, watching a generation counter, and only
 * then sleep on a condition variable, so an idle program (a lesson waiting
 * for Enter) does not keep a core busy.
 */
#include "kernels/pool.h"

#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Polls of the generation counter before a worker sleeps: meant to outlast
 * the gaps between matmuls in a step. */
#define SPIN_POLLS 200000
/* Polls between yields while the caller waits for the workers: lets a
 * descheduled worker run sooner on an overloaded machine. */
#define YIELD_EVERY 4096

typedef struct {
    pthread_t tid[NN_MAX_THREADS];
    int threads;                 /* caller + workers; 1 means no workers */
    atomic_uint generation;      /* bumped once per job */
    atomic_int pending;          /* workers still busy with the current job */
    atomic_int sleeping;         /* workers blocked on `wake` */
    atomic_int stop;             /* 1: workers exit */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    unsigned start_generation;   /* the generation when the workers started */
    nn_pool_fn fn;               /* the current job, valid while pending > 0 */
    void *ctx;
    int parts;
} pool_state;

static pool_state g_pool = {
    .threads = 1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};

/* Waits until the generation moves past `seen` (or stop); returns the new one. */
static unsigned wait_for_job(unsigned seen)
{
    for (int i = 0; i < SPIN_POLLS; i++) {
        unsigned g = atomic_load_explicit(&g_pool.generation, memory_order_acquire);
        if (g != seen || atomic_load(&g_pool.stop)) return g;
    }
    pthread_mutex_lock(&g_pool.lock);
    /* sleeping is raised before the generation is read again: the caller
     * bumps the generation before reading sleeping, so one of the two sees
     * the other (both are sequentially consistent) and no wake-up is lost. */
    atomic_fetch_add(&g_pool.sleeping, 1);
    unsigned g;
    while ((g = atomic_load(&g_pool.generation)) == seen && !atomic_load(&g_pool.stop))
        pthread_cond_wait(&g_pool.wake, &g_pool.lock);
    atomic_fetch_sub(&g_pool.sleeping, 1);
    pthread_mutex_unlock(&g_pool.lock);
    return g;
}

static void *worker_main(void *arg)
{
    int part = (int)(size_t)arg;
    /* Not a fresh read of the counter: a job posted before this thread got
     * going would be missed, and the caller would wait for it forever. */
    unsigned seen = g_pool.start_generation;
    for (;;) {
        seen = wait_for_job(seen);
        if (atomic_load(&g_pool.stop)) return NULL;
        if (part < g_pool.parts) g_pool.fn(g_pool.ctx, part, g_pool.parts);
        /* release: the caller, seeing pending reach 0, also sees our C. */
        atomic_fetch_sub_explicit(&g_pool.pending, 1, memory_order_release);
    }
}

static void stop_workers(void)
{
    if (g_pool.threads <= 1) return;
    pthread_mutex_lock(&g_pool.lock);
    atomic_store(&g_pool.stop, 1);
    pthread_cond_broadcast(&g_pool.wake);
    pthread_mutex_unlock(&g_pool.lock);
    for (int i = 1; i < g_pool.threads; i++) pthread_join(g_pool.tid[i], NULL);
    atomic_store(&g_pool.stop, 0);
    g_pool.threads = 1;
}

/* Starts or stops workers so that `threads` (caller included) share a job;
 * returns the count reached (fewer if a thread could not be started). */
static int pool_resize(int threads)
{
    assert(threads >= 1 && threads <= NN_MAX_THREADS);
    if (threads == g_pool.threads) return threads;
    stop_workers();
    g_pool.start_generation = atomic_load(&g_pool.generation);
    int started = 1;
    for (int i = 1; i < threads; i++) {
        /* A thread that cannot be started leaves a smaller pool, not a
         * failure: the work is still done, on fewer cores. */
        if (pthread_create(&g_pool.tid[i], NULL, worker_main, (void *)(size_t)i) != 0) break;
        started++;
    }
    g_pool.threads = started;
    return started;
}

/* -1 means "not read yet": the environment is consulted on first use, so a
 * program that never calls nn_set_threads still honours GANSTEPS_THREADS. */
static int g_threads = -1;

static int threads_from_env(void)
{
    const char *s = getenv("GANSTEPS_THREADS");
    if (!s || !*s) return NN_DEFAULT_THREADS;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    /* A malformed value falls back to the default rather than failing: the
     * library cannot report an error from a setter nobody called. */
    if (*end != '\0' || v < 1) return NN_DEFAULT_THREADS;
    if (v > NN_MAX_THREADS) v = NN_MAX_THREADS;
    return (int)v;
}

void nn_set_threads(int n)
{
    assert(n >= 1);
    if (n > NN_MAX_THREADS) n = NN_MAX_THREADS;
    /* The count actually running: fewer if the system refused a thread. */
    g_threads = pool_resize(n);
}

int nn_get_threads(void)
{
    if (g_threads < 0) nn_set_threads(threads_from_env());
    return g_threads;
}

void nn_pool_run(nn_pool_fn fn, void *ctx, int parts)
{
    assert(parts >= 1 && parts <= g_pool.threads);
    if (parts == 1) {
        fn(ctx, 0, 1);
        return;
    }
    int workers = g_pool.threads - 1;
    g_pool.fn = fn;
    g_pool.ctx = ctx;
    g_pool.parts = parts;
    atomic_store(&g_pool.pending, workers);
    /* seq_cst bump, then the sleeping check (see wait_for_job). */
    atomic_fetch_add(&g_pool.generation, 1);
    if (atomic_load(&g_pool.sleeping) > 0) {
        pthread_mutex_lock(&g_pool.lock);
        pthread_cond_broadcast(&g_pool.wake);
        pthread_mutex_unlock(&g_pool.lock);
    }
    fn(ctx, 0, parts);
    for (unsigned i = 1; atomic_load_explicit(&g_pool.pending, memory_order_acquire) > 0; i++)
        if (i % YIELD_EVERY == 0) sched_yield();
}

/* ------------------------------------------------- element-wise, by blocks */

typedef struct {
    nn_range_fn fn;
    void *ctx;
    size_t n;
} range_job;

static void range_part(void *ctx, int part, int parts)
{
    const range_job *j = ctx;
    /* Equal blocks rounded up to 16 floats (64 bytes); the last is shorter. */
    size_t chunk = (j->n + (size_t)parts - 1) / (size_t)parts;
    chunk = (chunk + 15u) / 16u * 16u;
    size_t lo = (size_t)part * chunk, hi = lo + chunk;
    if (lo >= j->n) return;
    j->fn(j->ctx, lo, hi < j->n ? hi : j->n);
}

void nn_pool_for(nn_range_fn fn, void *ctx, size_t n, size_t min_per_thread)
{
    int parts = nn_get_threads();
    while (parts > 1 && n < min_per_thread * (size_t)parts) parts--;
    if (parts <= 1) {
        if (n > 0) fn(ctx, 0, n);
        return;
    }
    range_job job = {fn, ctx, n};
    nn_pool_run(range_part, &job, parts);
}
