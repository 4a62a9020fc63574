/* exercise_probe.h - is the student's code ready for this lesson?
 *
 * With USE=exercises a lesson runs on the student's own exercises/ (the
 * library's holes). Before anything trains, lesson_begin asks here whether
 * every exercise the lesson calls is written: each probe runs the function
 * once on a case small enough to work by hand and compares the answer. A
 * stub, or a function that is plainly wrong, stops the lesson with one line
 * naming the exercise, instead of training on zeros.
 */
#ifndef GANSTEPS_EXERCISE_PROBE_H
#define GANSTEPS_EXERCISE_PROBE_H

#include <stddef.h>

/* "solutions" or "exercises": which set of holes this binary was linked
 * with (the Makefile compiles it into each set's archive). */
extern const char *const lesson_code_source;

/* Exercises lesson number calls, as a bit mask (bit k: exercise k). */
unsigned lesson_exercises_needed(int lesson_number);

/* Probes the exercises in mask, lowest first. Returns 0 when all answer
 * right, else the number of the first that does not, with what it got
 * written into why (cap bytes). */
int lesson_exercise_probe(unsigned mask, char *why, size_t cap);

/* "nn_linear_forward", "exercises/03_linear_forward.c" for exercise 3. */
const char *lesson_exercise_function(int n);
const char *lesson_exercise_file(int n);

#endif
