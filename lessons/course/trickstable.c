/* trickstable.c - lesson 11's tricks table, read back (trickstable.h). */
#include "trickstable.h"

#include <stdio.h>
#include <string.h>

void trickstable_show(lesson *L)
{
    char path[600];
    snprintf(path, sizeof path, "%s", L->out);
    char *slash = strrchr(path, '/');
    snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0),
             "11_wasserstein/summary.tsv");
    FILE *f = fopen(path, "r");
    if (!f) {
        lesson_say(L, "Lesson 11 has not run beside this one (%s is not there): run it to "
                   "see the table here.", path);
        return;
    }
    char line[256];
    int shown = 0;
    lesson_print(L, "from %s (Frechet distance, mean over seeds; classes covered):\n", path);
    while (fgets(line, sizeof line, f)) {
        char name[128];
        double v;
        if (sscanf(line, "trick_%127[^\t]\t%lf", name, &v) != 2) continue;
        size_t n = strlen(name);
        if (n > 3 && strcmp(name + n - 3, "_fd") == 0) {
            name[n - 3] = '\0';
            lesson_print(L, "  %-22s FD %8.1f", name, v);
            shown++;
        } else if (n > 8 && strcmp(name + n - 8, "_classes") == 0) {
            lesson_print(L, "   classes %4.1f\n", v);
        }
    }
    fclose(f);
    if (!shown) lesson_print(L, "  (no trick_* rows in it)\n");
}
