/* toy_oscillation.h - a real GAN circling instead of settling: lesson 09's
 * vanilla GAN on the ring of 8 Gaussians, D(x) and D(G(z)) step by step,
 * how far D(x)'s running mean still swings over the second half of the
 * run, and where G's samples are over that half: which mode holds most of
 * them at each check, and whether that mode changes. Lesson 11 uses it
 * beside the game x y. */
#ifndef GANSTEPS_TOY_OSCILLATION_H
#define GANSTEPS_TOY_OSCILLATION_H

#include <stdint.h>

#include "lesson.h"

/* Checks of G's samples over the second half: every this many steps ... */
#define TOY_OSC_EVERY 50
/* ... this many samples, each given to its nearest mode. */
#define TOY_OSC_SAMPLES 512

/* The second half of a run, measured. */
typedef struct {
    float lo, hi;          /* the range of D(x)'s 50-step running mean */
    int checks;            /* checks of G's samples */
    int concentrated;      /* checks where one mode held at least half of them */
    int switches;          /* concentrated checks whose top mode differs from the last one's */
    int visited;           /* distinct top modes of the concentrated checks */
    double top_share;      /* the top mode's share, averaged over the checks */
} toy_oscillation_swing;

/* What the checks say about G's mass: spread over several modes most of
 * the time (concentrated in under half the checks), on one mode at a time
 * and moving (2 or more switches), or on one mode that stays. */
typedef enum { TOY_OSC_SPREAD, TOY_OSC_MOVES, TOY_OSC_STAYS } toy_oscillation_reading;
toy_oscillation_reading toy_oscillation_read(const toy_oscillation_swing *w);

/* Trains from seed for steps G updates and draws the figures
 * toy_oscillation (D's outputs) and toy_oscillation_modes (each mode's
 * share of G's samples at each check). */
toy_oscillation_swing toy_oscillation_run(lesson *L, uint64_t seed, int steps);

#endif
