/* classshare.c - the classes a generator draws (classshare.h). */
#include "classshare.h"

#include <stdio.h>
#include <string.h>

#include "viz/image.h"
#include "viz/plot.h"

void classshare_show(lesson *L, const char *name, const int *counts, const nn_dataset *set,
                     const float *img, float *pct)
{
    nn_error err;
    int present = 0;
    char missing[256] = "";
    for (int c = 0; c < CLASSIFIER_CLASSES; c++) {
        pct[c] = 100.0f * (float)counts[c] / CLASSSHARE_SAMPLES;
        present += pct[c] >= CLASSSHARE_PRESENT_PCT;
        if (pct[c] < CLASSSHARE_PRESENT_PCT) {
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "",
                     set->class_names[c]);
        }
    }
    char key[64], png[80];
    snprintf(key, sizeof key, "fashion_%s_classes_present", name);
    lesson_key(L, key, "%d", present);
    snprintf(key, sizeof key, "fashion_%s_classes_missing", name);
    lesson_key(L, key, "%s", missing[0] ? missing : "none");
    snprintf(key, sizeof key, "fashion_%s_class_kl", name);
    lesson_key(L, key, "%.3f", (double)nn_hist_kl_uniform(counts, CLASSIFIER_CLASSES));
    snprintf(key, sizeof key, "classes_%s", name);
    char title[96];
    snprintf(title, sizeof title, "--arch %s: %% of 2,000 samples per class", name);
    nn_plot p = {.dir = L->out, .name = key, .title = title, .ylabel = "% of samples",
                 .width = 900};
    lesson_check(L, nn_plot_bars(&p, pct, (const char *const *)set->class_names,
                                 CLASSIFIER_CLASSES, &err), &err);
    snprintf(png, sizeof png, "%s.png", key);
    lesson_figure(L, png, title);
    snprintf(png, sizeof png, "samples_%s.png", name);
    nn_grid_opts go = nn_grid_defaults(-1.0f, 1.0f);
    lesson_check(L, nn_image_write_grid(lesson_path(L, png), img, 64, 1, 28, 28, &go, &err),
                 &err);
    lesson_figure(L, png, "64 of the samples");
}

void classshare_table(lesson *L, const char *const *names, const float *pct0, const float *pct1,
                      const nn_dataset *set)
{
    lesson_print(L, "%-13s %8s %8s\n", "class", names[0], names[1]);
    for (int c = 0; c < CLASSIFIER_CLASSES; c++)
        lesson_print(L, "%-13s %7.1f%% %7.1f%%\n", set->class_names[c], (double)pct0[c],
                     (double)pct1[c]);
}
