/* workqueue.h - independent training runs shared out to worker threads: the
 * course's tables of runs (lesson 09's toy table, lesson 17's flows, lesson
 * 18's family of models) all go through this one queue. */
#ifndef WORKQUEUE_H
#define WORKQUEUE_H

#include "lesson.h"

/* One run: i is its index in the caller's list, ctx the caller's data. */
typedef void (*workqueue_fn)(void *ctx, int i);

/* Runs fn(ctx, i) for i = 0 .. n-1 on min(jobs, n, 16) worker threads, each
 * taking the next run in order. A run must touch only its own data, so its
 * numbers depend on i alone, not on the worker or the order. The library's
 * products run single-threaded meanwhile (one run per core), and the thread
 * count is restored after. Progress, labelled `label`, ticks as runs
 * finish. With no thread to be had, the runs go here, one after another. */
void workqueue_run(lesson *L, const char *label, int n, int jobs, workqueue_fn fn, void *ctx);

#endif
