/* exercise_probe_main.c - which exercises stop each lesson, on the
 * student's code: for each lesson number given, one line
 *   10: 9 15
 * the exercises that lesson calls (exercises/lessons.txt) whose hand-worked
 * probes fail, the very probes the lesson runs before it starts (empty: the
 * lesson runs). make check links it with the student's exercises, as a
 * lesson is, and says what the lesson will do from it.
 * Usage: exercise_probe LESSON...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exercise_probe.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int lesson = atoi(argv[i]);
        uint64_t failing = lesson_exercise_probe_all(lesson_exercises_needed(lesson));
        printf("%d:", lesson);
        for (int k = 1; k <= LESSON_EXERCISE_MAX; k++)
            if (failing & LESSON_EXERCISE_BIT(k)) printf(" %d", k);
        printf("\n");
        fflush(stdout);
    }
    return 0;
}
