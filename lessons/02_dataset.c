/* 02_dataset.c - lesson 02: the data set a GAN learns from.
 *
 * The course questions it answers: how do we load MNIST-like data; how do we
 * transform and normalise it (and why [-1, 1]); how do we iterate over it in
 * batches, shuffled but reproducibly.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "nn.h"

static const char *data_dir = NULL; /* --data DIR; NULL: the Debian package's folder */

static const lesson_flag flags[] = {
    {"data", LESSON_STRING, &data_dir,
     "folder with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] "
     "(default " NN_FASHION_MNIST_DIR ")",
     0, 0, NULL},
};

/* What the steps share: the training set, and the images step 3 pictures
 * (step 5 resizes the first eight of them). */
typedef struct {
    nn_dataset ds;       /* a step copies the handle; the images stay where they are */
    float *img;          /* (64, c*h*w) in [0, 1] */
    nn_grid_opts grid;   /* how both grids are drawn */
} dataset_tour;

/* Step 1: the IDX files read, checked and held as bytes. */
static void load_training_set(lesson *L, dataset_tour *t)
{
    nn_error err;
    lesson_step(L, "Loading the training set");
    lesson_say(L,
               "Fashion-MNIST has the same format as MNIST: 60,000 training and 10,000 test "
               "images of 28 x 28 grey pixels, each with a label 0..9 naming a kind of "
               "clothing. The files are IDX: a 4-byte magic number (00 00 08 ndims), the "
               "sizes as big-endian 32-bit integers, then the bytes. They ship "
               "gzip-compressed; zlib inflates them while reading.\n\n"
               "A reader that trusts its input is a crash waiting for a bad download, so "
               "nn_dataset_load_mnist checks the magic number, the type byte, the number of "
               "dimensions, a 1 GiB bound on what a header may ask for, and that the file "
               "holds exactly the bytes the header declares, all before it allocates. "
               "Images stay bytes in memory (47 MB, not 188 MB of floats).");
    lesson_code(L, "load");
    /* STEP: load */
    nn_dataset ds;
    nn_status s = nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err);
    lesson_check(L, s, &err); /* a missing or broken file: one line, exit 2 */
    lesson_print(L, "images: %d of %d x %d x %d (c x h x w), %d bytes each\n", ds.n, ds.c,
                 ds.h, ds.w, ds.c * ds.h * ds.w);
    lesson_print(L, "first labels:");
    int first = ds.n < 8 ? ds.n : 8;
    for (int i = 0; i < first; i++)
        lesson_print(L, " %d (%s)%s", ds.labels[i], ds.class_names[ds.labels[i]],
                     i < first - 1 ? "," : "\n");
    /* END STEP */
    lesson_key(L, "train_images", "%d", ds.n);
    lesson_key(L, "image_shape", "%dx%dx%d", ds.c, ds.h, ds.w);
    t->ds = ds;
}

/* Step 2: images per class, as a table and a bar chart. */
static void count_classes(lesson *L, dataset_tour *t)
{
    nn_dataset ds = t->ds;
    nn_error err;
    nn_status s;
    lesson_step(L, "How many of each class");
    lesson_say(L,
               "A generator learns the distribution it is shown. If one class were rare, "
               "a GAN could ignore it and still fool the discriminator most of the time. "
               "Fashion-MNIST is balanced: 6,000 images per class in the training set. "
               "Later lessons use the same histogram on generated samples to spot mode "
               "collapse.");
    lesson_code(L, "classes");
    /* STEP: classes */
    int counts[10];
    float bars[10];
    nn_dataset_class_counts(&ds, counts);
    for (int k = 0; k < ds.n_classes; k++) {
        bars[k] = (float)counts[k];
        lesson_print(L, "%d %-12s %6d\n", k, ds.class_names[k], counts[k]);
    }
    nn_plot hist = {.dir = L->out, .name = "class_histogram", .title = "images per class",
                    .ylabel = "images", .term = lesson_capture_begin(L), .term_rows = 18};
    s = nn_plot_bars(&hist, bars, ds.class_names, ds.n_classes, &err);
    lesson_capture_end(L);
    /* END STEP */
    lesson_plot_shown(L, &hist, s, &err, "images per class in the training set");
    int cmin = counts[0], cmax = counts[0];
    for (int k = 1; k < ds.n_classes; k++) {
        if (counts[k] < cmin) cmin = counts[k];
        if (counts[k] > cmax) cmax = counts[k];
    }
    lesson_key(L, "class_count_min", "%d", cmin);
    lesson_key(L, "class_count_max", "%d", cmax);
}

/* Step 3: 64 random images as a PNG grid, six in the terminal. */
static void show_images(lesson *L, dataset_tour *t)
{
    nn_dataset ds = t->ds;
    nn_error err;
    nn_status s;
    lesson_step(L, "What the images look like");
    lesson_say(L,
               "Numbers are no substitute for looking. Below, 64 images picked at random "
               "(with --seed) as a PNG grid, and the first six of them in the terminal: "
               "in colour where the terminal supports 24-bit colour, as shaded characters "
               "otherwise (and in this notebook).");
    lesson_code(L, "grid");
    /* STEP: grid */
    enum { SHOW = 64 };
    int pick[SHOW];
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 0);
    for (int i = 0; i < SHOW; i++) pick[i] = (int)nn_rng_below(&rng, (uint32_t)ds.n);
    int dim = ds.c * ds.h * ds.w;
    float *img = nn_alloc((size_t)SHOW * dim, sizeof(float));
    if (!img) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d images", SHOW);
    nn_dataset_gather(img, &ds, pick, SHOW, NN_RANGE_01);
    nn_grid_opts grid = nn_grid_defaults(0.0f, 1.0f);
    grid.scale = 2;
    s = nn_image_write_grid(lesson_path(L, "sample_grid.png"), img, SHOW, ds.c, ds.h, ds.w,
                            &grid, &err);
    lesson_check(L, s, &err);
    FILE *f = lesson_capture_begin(L);
    nn_image_preview(f, img, 6, ds.c, ds.h, ds.w, 3, 0.0f, 1.0f, NN_PREVIEW_AUTO);
    lesson_capture_end(L);
    /* END STEP */
    lesson_print(L, "labels:");
    for (int i = 0; i < 6; i++) lesson_print(L, " %s%s", ds.class_names[ds.labels[pick[i]]],
                                             i < 5 ? "," : "\n");
    lesson_figure(L, "sample_grid.png", "64 random training images");
    t->img = img;
    t->grid = grid;
}

/* Step 4: pixel statistics before and after mapping to [-1, 1]. */
static void normalise_pixels(lesson *L, dataset_tour *t)
{
    nn_dataset ds = t->ds;
    int dim = ds.c * ds.h * ds.w;
    nn_error err;
    nn_status s;
    lesson_step(L, "Pixel statistics and the [-1, 1] range");
    lesson_say(L,
               "A DCGAN-style generator ends in tanh, whose outputs lie in (-1, 1). The "
               "discriminator must not be able to tell real from fake by their range alone, "
               "so real images are mapped to the same interval: x / 127.5 - 1 sends byte 0 "
               "to -1 and byte 255 to +1. It is what torchvision's ToTensor() followed by "
               "Normalize(0.5, 0.5) does:\n\n"
               LESSON_MATH("\\frac{x / 255 - 0.5}{0.5} = \\frac{x}{127.5} - 1", "(x / 255 - 0.5) / 0.5 = x / 127.5 - 1") "\n\n"
               "The statistics below are over %s images. Most pixels are background, so "
               "the histogram has a tall bar at -1.",
               L->fast ? "2,000" : "20,000");
    lesson_code(L, "normalise");
    /* STEP: normalise */
    int n_stat = L->fast ? 2000 : 20000;
    if (n_stat > ds.n) n_stat = ds.n;
    size_t n_pix = (size_t)n_stat * dim;
    float *x = nn_alloc(n_pix, sizeof(float));
    if (!x) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d images", n_stat);
    double mean01, std01, mean, std;
    nn_bytes_to_float(x, ds.pixels, n_pix, NN_RANGE_01);
    nn_mean_std(x, n_pix, &mean01, &std01);
    nn_normalize(x, n_pix, 0.5f, 0.5f); /* Normalize(0.5, 0.5) on [0, 1] */
    nn_mean_std(x, n_pix, &mean, &std);
    float lo = x[0], hi = x[0];
    for (size_t i = 1; i < n_pix; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    lesson_print(L, "[0, 1]:  mean %.4f  std %.4f\n", mean01, std01);
    lesson_print(L, "[-1, 1]: mean %.4f  std %.4f  min %.1f  max %.1f\n", mean, std, lo, hi);
    nn_plot ph = {.dir = L->out, .name = "pixel_histogram", .title = "pixel values in [-1, 1]",
                  .xlabel = "pixel", .ylabel = "count", .logy = 1,
                  .term = lesson_capture_begin(L), .term_rows = 16};
    s = nn_plot_histogram(&ph, x, (int)n_pix, 32, &err);
    lesson_capture_end(L);
    /* END STEP */
    lesson_plot_shown(L, &ph, s, &err, "histogram of pixel values after normalising (log count)");
    /* The two routes to [-1, 1] agree to float rounding. */
    float direct[256];
    uint8_t all[256];
    for (int b = 0; b < 256; b++) all[b] = (uint8_t)b;
    nn_bytes_to_float(direct, all, 256, NN_RANGE_PM1);
    double gap = 0.0;
    for (int b = 0; b < 256; b++) {
        double via_norm = ((double)b / 255.0 - 0.5) / 0.5;
        gap = fmax(gap, fabs(via_norm - direct[b]));
    }
    lesson_key(L, "pixel_mean_01", "%.4f", mean01);
    lesson_key(L, "pixel_std_01", "%.4f", std01);
    lesson_key(L, "pixel_mean_pm1", "%.4f", mean);
    lesson_key(L, "pixel_std_pm1", "%.4f", std);
    lesson_key(L, "max_gap_two_routes", "%.2g", gap);
    lesson_say(L,
               "Alternatively, standardising with the data's own mean and std (%.4f, %.4f "
               "on [0, 1]) gives zero mean and unit variance, which classifiers like. But "
               "then these pixels reach %.2f (the brightest, (%.4f - %.4f) / %.4f) and "
               "%.2f (the darkest), while a tanh generator cannot go above 1 or below -1: "
               "it could never draw the brightest pixels, and D could tell real from fake "
               "by that alone. So GANs keep the plain [-1, 1].",
               mean01, std01, ((hi + 1.0) / 2.0 - mean01) / std01, (hi + 1.0) / 2.0, mean01,
               std01, ((lo + 1.0) / 2.0 - mean01) / std01);
    nn_free(x);
}

/* Step 5: the pictured images resized to 32 x 32. */
static void resize_images(lesson *L, dataset_tour *t)
{
    nn_dataset ds = t->ds;
    float *img = t->img;
    nn_grid_opts grid = t->grid;
    int dim = ds.c * ds.h * ds.w;
    FILE *f;
    nn_error err;
    nn_status s;
    lesson_step(L, "Resizing 28 x 28 to 32 x 32");
    lesson_say(L,
               "Convolutional GANs halve the image size layer by layer, 32 -> 16 -> 8 -> 4, "
               "so 28 x 28 images are often resized to 32 x 32 first. Bilinear resizing "
               "takes each output pixel from the four nearest input pixels, weighted by "
               "distance (the same formula as PyTorch's interpolate with "
               "align_corners=False, checked against it in tests/test_data.c).");
    lesson_code(L, "resize");
    /* STEP: resize */
    enum { NR = 8 };
    float *big = nn_alloc((size_t)NR * ds.c * 32 * 32, sizeof(float));
    if (!big) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d images", NR);
    nn_resize_bilinear(big, 32, 32, img, NR, ds.c, ds.h, ds.w);
    s = nn_image_write_grid(lesson_path(L, "resized_32.png"), big, NR, ds.c, 32, 32, &grid,
                            &err);
    lesson_check(L, s, &err);
    lesson_print(L, "(%d, %d) -> (%d, %d) per batch\n", NR, dim, NR, ds.c * 32 * 32);
    f = lesson_capture_begin(L);
    nn_image_preview(f, big, 2, ds.c, 32, 32, 2, 0.0f, 1.0f, NN_PREVIEW_AUTO);
    lesson_capture_end(L);
    /* END STEP */
    lesson_figure(L, "resized_32.png", "the first 8 sample images resized to 32 x 32");
    double m28, s28, m32, s32;
    nn_mean_std(img, (size_t)NR * dim, &m28, &s28);
    nn_mean_std(big, (size_t)NR * ds.c * 32 * 32, &m32, &s32);
    lesson_key(L, "resize_mean_28", "%.4f", m28);
    lesson_key(L, "resize_mean_32", "%.4f", m32);
    nn_free(big);
    nn_free(img);
    t->img = NULL;
}

/* Step 6: shuffled, reproducible batches, and the cost of one pass. */
static void iterate_batches(lesson *L, dataset_tour *t)
{
    nn_dataset ds = t->ds;
    int dim = ds.c * ds.h * ds.w;
    nn_error err;
    nn_status s;
    lesson_step(L, "Batches, shuffled and reproducible");
    lesson_say(L,
               "Training takes a batch of images at a time. The loader shuffles the order "
               "at the start of every epoch with the seeded generator, converts each batch "
               "from bytes to floats in [-1, 1] on the fly, and with drop_last skips the "
               "last partial batch (GAN code often assumes full batches). Run the lesson "
               "with another --seed and the labels below change; with the same seed they "
               "do not.");
    lesson_code(L, "loader");
    /* STEP: loader */
    enum { BATCH = 64 };
    float *xb = nn_alloc((size_t)BATCH * dim, sizeof(float));
    if (!xb) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for a batch");
    int yb[BATCH], again[BATCH];
    nn_loader ld;
    s = nn_loader_init(&ld, &ds, BATCH, 1, 1, NN_RANGE_PM1, L->seed, &err);
    lesson_check(L, s, &err);
    int rows = nn_loader_next(&ld, xb, yb);
    lesson_print(L, "batches per epoch: %d (drop_last: %d images left out)\n",
                 nn_loader_batches_per_epoch(&ld), ds.n % BATCH);
    lesson_print(L, "batch x: (%d, %d) floats, labels: (%d)\n", rows, dim, rows);
    lesson_print(L, "first labels: ");
    for (int i = 0; i < 10; i++) lesson_print(L, "%d ", yb[i]);
    lesson_print(L, "\n");
    /* The same seed again: the same first batch. */
    nn_loader same;
    s = nn_loader_init(&same, &ds, BATCH, 1, 1, NN_RANGE_PM1, L->seed, &err);
    lesson_check(L, s, &err);
    nn_loader_next(&same, xb, again);
    int equal = memcmp(yb, again, sizeof yb) == 0;
    lesson_print(L, "same seed, same first batch: %s\n", equal ? "yes" : "NO");
    /* END STEP */
    lesson_key(L, "batch_rows", "%d", rows);
    lesson_key(L, "batches_per_epoch", "%d", nn_loader_batches_per_epoch(&ld));
    lesson_key(L, "same_seed_same_batch", "%d", equal);
    if (!equal) lesson_fail(L, LESSON_EXIT_INTERNAL, "the loader is not reproducible");

    /* One full pass (fast: 50 batches) shows the cost of converting on the fly. */
    int limit = L->fast ? 50 : nn_loader_batches_per_epoch(&ld);
    double t0 = lesson_seconds();
    int done = 1;
    lesson_progress pr;
    lesson_progress_start(L, &pr, "epoch", limit);
    while (done < limit && nn_loader_next(&ld, xb, yb) > 0) {
        done++;
        lesson_progress_tick(&pr, done, NULL);
    }
    lesson_progress_done(&pr);
    double dt = lesson_seconds() - t0;
    lesson_print(L, "%d batches of %d in %.3f s\n", done, BATCH, dt);
    lesson_key_quiet(L, "loader_batches_per_s", "%.0f", dt > 0 ? done / dt : 0.0);
    lesson_say(L,
               "Converting a batch costs microseconds next to a training step, which is why "
               "the images can stay bytes in memory. Lesson 03 builds the generator that "
               "will learn to draw these.");

    nn_free(xb);
    nn_loader_free(&same);
    nn_loader_free(&ld);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        2, "dataset", "The data set",
        "Loading Fashion-MNIST (or any MNIST-format data), looking at it, normalising its "
        "pixels to [-1, 1] for a tanh generator, resizing, and handing it out in shuffled, "
        "reproducible batches.",
        42};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    dataset_tour t;

    load_training_set(L, &t);
    count_classes(L, &t);
    show_images(L, &t);
    normalise_pixels(L, &t);
    resize_images(L, &t);
    iterate_batches(L, &t);
    nn_dataset_free(&t.ds);
    return lesson_end(L);
}
