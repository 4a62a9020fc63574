/* 01_environment.c - lesson 01: what a GAN is, what gansteps needs, what the
 * library gives, what it runs on, and how seeding makes runs repeatable.
 *
 * The course questions it answers: what game do a generator and a
 * discriminator play; which packages are needed and how are they
 * installed; which modules do we "import"; which device do we compute on (is
 * there a GPU); how do we make a run reproducible.
 */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson.h"
#include "nn.h"
#include "viz/plot.h"
#include "envprobe.h"

/* Why each package is there; the list itself is read from tools/deps.sh. */
static const char *package_purpose(const char *pkg)
{
    static const char *const why[][2] = {
        {"build-essential", "the C compiler and make"},
        {"pkg-config", "finds the libraries' compile flags"},
        {"libcmocka-dev", "the unit-test framework (make test, make check)"},
        {"libpng-dev", "writes sample grids as PNG"},
        {"zlib1g-dev", "reads the gzip-compressed data sets"},
        {"gnuplot-nox", "draws every figure (PNG and terminal plots)"},
        {"dataset-fashion-mnist", "the default data set, 70,000 28x28 images"},
        {"libopenblas-dev", "a fast matrix multiply for the fast path"},
        {"libcmark-dev", "turns each run's lesson.md into its web page"},
        {"libjs-katex", "typesets the formulas on the pages"},
        {"chromium", "loads the pages in the book's test"},
        {"python3-websocket", "drives chromium in the book's test"},
        {"python3-nbformat", "validates each run's lesson.ipynb"},
    };
    for (size_t i = 0; i < sizeof why / sizeof why[0]; i++)
        if (!strcmp(why[i][0], pkg))
            return why[i][1];
    return "";
}

/* Step 1: the game a generator and a discriminator play. */
static void explain_the_game(lesson *L)
{
    lesson_step(L, "What the course builds: a GAN");
    lesson_say(L,
               "A generative adversarial network (GAN, Goodfellow et al. 2014) is two "
               "networks playing a game against each other:\n"
               "- the generator G turns a vector of random numbers z into a sample, here a "
               "28 x 28 image. It wants its fakes to be taken for real.\n"
               "- the discriminator D reads a sample and gives the probability D(x) that it "
               "is real. It wants to say 1 on real images and 0 on G's fakes.\n\n"
               "One training step is one round of the game:\n\n"
               "  z ~ N(0, 1) -> G -> fake --> D <-- real image x\n"
               "                               |\n"
               "                    D(fake), D(x): how real each looks\n\n"
               LESSON_MATH("L_D = -\\log D(x) - \\log(1 - D(G(z))) \\quad \\text{low when D is right on both}", "D's loss: -log D(x) - log(1 - D(G(z)))   low when D is right on both") "\n"
               LESSON_MATH("L_G = -\\log D(G(z)) \\quad \\text{low when D takes the fake for real}", "G's loss: -log D(G(z))                    low when D takes the fake for ")
               "real\n\n"
               "D takes a step down its loss; then G takes a step down its own, with the "
               "gradient flowing back through D into G's weights. G never sees a real "
               "image: all it learns comes through D's judgement. In theory the game ends "
               "when G draws samples distributed exactly as the data: then no D can do "
               "better than a coin, D = 1/2 everywhere.\n\n"
               "The course builds it piece by piece: this lesson the tools, 02 the data, "
               "03 the generator, 04 the discriminator, 05 the losses (and why G's loss is "
               "written as above rather than the original game's log(1 - D(G(z)))), 06 the "
               "training, 07 a check of the gradients, 08 what happens to G's gradient "
               "when D wins, 09 a generator that draws only part of the data.");
}

/* Step 2: the packages of tools/deps.sh, as dpkg has them. */
static void list_packages(lesson *L)
{
    lesson_step(L, "What gansteps needs");
    lesson_say(L,
               "gansteps is plain C: a compiler, a test framework, libpng for images, zlib "
               "for the compressed data sets and gnuplot for the figures. `make deps` (run "
               "by `make test` and `make tour`) asks dpkg which of the packages below are "
               "missing and installs only those with apt-get, as root or through sudo; "
               "without either it prints the exact command to run.\n\n"
               "Here the lesson asks dpkg the same question for each package of "
               "tools/deps.sh:");
    lesson_code(L, "packages");
    /* STEP: packages */
    size_t len;
    const char *deps = envprobe_project_file("tools/deps.sh", &len);
    const char *need = deps ? strstr(deps, "need=\"") : NULL;
    char list[512] = "";
    if (need)
        snprintf(list, sizeof list, "%.*s", (int)strcspn(need + 6, "\"$"), need + 6);
    int installed = 0, total = 0;
    lesson_print(L, "%-22s %-26s %s\n", "package", "version", "what for");
    for (char *pkg = strtok(list, " "); pkg; pkg = strtok(NULL, " ")) {
        char ver[128];
        envprobe_dpkg_version(pkg, ver, sizeof ver);
        lesson_print(L, "%-22s %-26s %s\n", pkg, ver[0] ? ver : "(missing)",
                     package_purpose(pkg));
        installed += ver[0] != '\0';
        total++;
    }
    /* END STEP */
    lesson_key(L, "packages_installed", "%d", installed);
    lesson_key(L, "packages_needed", "%d", total);
    if (installed < total)
        lesson_say(L, "Some packages are missing: run `make deps` (or the apt-get command "
                      "it prints) and run this lesson again.");
    char torch[128];
    envprobe_dpkg_version("python3-torch", torch, sizeof torch);
    lesson_say(L,
               "PyTorch (python3-torch) is not needed to build or learn: the tests carry "
               "reference values it computed once, and the scripts that made them are in "
               "tests/reference/. Here it is %s.",
               torch[0] ? "installed" : "not installed");
}

/* Step 3: lib/'s headers and the first sentence of each. */
static void list_modules(lesson *L)
{
    lesson_step(L, "The library's modules");
    lesson_say(L,
               "A Python course starts with `import torch`. In C the answer is a header: "
               "`#include \"nn.h\"` gives the whole library, each prototype with its maths "
               "in one line. Its headers sit in lib/ in layers, one folder each, every "
               "folder resting only on those before it: base (messages, tensors, the rng), "
               "kernels (the matrix product and its threads), nn (layers, losses, "
               "optimizers, the model), then gan, flow and gen on top of nn, and data, eval "
               "and viz on base alone. Each header's first line says what it gives:");
    lesson_code(L, "modules");
    /* STEP: modules */
    int modules = 0;
    for (const char *p = lesson_project_files; (p = strstr(p, "==> lib/")) != NULL; p++) {
        const char *name = p + 4, *body = strstr(p, "<==\n") + 4;
        int name_len = (int)(strstr(name, " <==") - name);
        char what[400];
        envprobe_header_summary(body, what, sizeof what);
        lesson_print(L, "  %-24.*s %s\n", name_len, name, what);
        modules++;
    }
    /* END STEP */
    lesson_key(L, "modules", "%d", modules);
}

/* Step 4: the processor, its SIMD features, a GPU, and the fast path's speed. */
static void describe_device(lesson *L)
{
    lesson_step(L, "The compute device");
    lesson_say(L,
               "Everything runs on the CPU. The hot loop of a GAN is the matrix multiply; "
               "the library's fast path uses the processor's SIMD instructions (AVX2 and "
               "FMA do 8 float multiply-adds in one instruction) and a few threads. Linux "
               "lists the processor and its features in /proc/cpuinfo:");
    lesson_code(L, "device");
    /* STEP: device */
    char model[256], flags[4096];
    if (!envprobe_cpuinfo_field("model name", model, sizeof model))
        snprintf(model, sizeof model, "unknown");
    envprobe_cpuinfo_field("flags", flags, sizeof flags);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    lesson_print(L, "processor   %s\ncores       %ld\nthreads     %d (the library's; "
                    "GANSTEPS_THREADS=n changes it)\n",
                 model, cores, nn_get_threads());
    static const char *const simd[] = {"sse4_2", "avx", "avx2", "fma", "avx512f"};
    lesson_print(L, "SIMD       ");
    for (int i = 0; i < 5; i++)
        lesson_print(L, " %s:%s", simd[i], envprobe_has_flag(flags, simd[i]) ? "yes" : "no");
    lesson_print(L, "\n");
    int gpu = access("/dev/nvidia0", F_OK) == 0 || access("/proc/driver/nvidia", F_OK) == 0;
    lesson_print(L, "GPU         %s\n", gpu ? "an NVIDIA driver is present" : "none found");
    /* END STEP */
    lesson_key_quiet(L, "cpu_model", "%s", model);
    lesson_key(L, "cores", "%ld", cores);
    lesson_key(L, "threads", "%d", nn_get_threads());
    for (int i = 0; i < 5; i++)
        lesson_key_quiet(L, simd[i], "%d", envprobe_has_flag(flags, simd[i]));
    lesson_key(L, "gpu", "%d", gpu);
    lesson_say(L,
               "%s gansteps has no GPU code: the networks of this course are small "
               "enough that a few CPU cores train them, and every number is reproducible "
               "from a seed on this machine (the seeding step below says why not bit for "
               "bit on every machine). PyTorch does the same: without "
               "CUDA, `device = \"cuda\" if available else \"cpu\"` falls back to the CPU.",
               gpu ? "A GPU is here, but" : "No GPU here, and that is fine:");

    /* How fast is it? One matrix multiply the size of a hidden layer's batch. */
    lesson_say(L, "How much the fast path matters: the same product C = A . B^T with the "
                  "plain three loops and with the fast path, in billions of float "
                  "operations per second (GFLOP/s):");
    lesson_code(L, "speed");
    /* STEP: speed */
    int n = L->fast ? 128 : 256;
    float *A = nn_alloc((size_t)n * n, sizeof(float)), *B = nn_alloc((size_t)n * n, sizeof(float));
    float *C = nn_alloc((size_t)n * n, sizeof(float));
    if (!A || !B || !C)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for three %dx%d matrices", n, n);
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 0);
    nn_rng_fill_normal(&rng, A, (size_t)n * n, 0.0f, 1.0f);
    nn_rng_fill_normal(&rng, B, (size_t)n * n, 0.0f, 1.0f);
    double gflops[2];
    for (int fast = 0; fast < 2; fast++) {
        int reps = fast ? 20 : 2;
        double t0 = lesson_seconds();
        for (int r = 0; r < reps; r++)
            if (fast)
                nn_matmul(C, A, B, n, n, n, 0, 1, 0);
            else
                nn_matmul_reference(C, A, B, n, n, n, 0, 1, 0);
        double dt = lesson_seconds() - t0;
        gflops[fast] = 2.0 * n * n * n * reps / (dt > 1e-9 ? dt : 1e-9) / 1e9;
    }
    lesson_print(L, "%dx%d times %dx%d:  plain loops %.2f GFLOP/s,  fast path %.2f GFLOP/s "
                    "(%.1fx)\n",
                 n, n, n, n, gflops[0], gflops[1], gflops[1] / gflops[0]);
    /* END STEP */
    nn_free(A);
    nn_free(B);
    nn_free(C);
    lesson_key_quiet(L, "matmul_gflops_plain", "%.3f", gflops[0]);
    lesson_key_quiet(L, "matmul_gflops_fast", "%.3f", gflops[1]);
}

/* Step 5: the same seed gives the same numbers. */
static void show_seeding(lesson *L)
{
    lesson_step(L, "Seeding: the same numbers every run");
    lesson_say(L,
               "A GAN starts from random weights and random latent vectors, so two runs "
               "differ unless the random numbers are the same. The library's generator "
               "(PCG32) makes its whole stream from one 64-bit seed with integer arithmetic "
               "only, so the same seed gives the same uniform integers on every machine. "
               "Normal samples are made from them by the Box-Muller transform, which calls "
               "the C library's log, sin and cos. The C standard does not require those to "
               "be correctly rounded, and libm versions differ in the last bit of some "
               "results, so another machine, C library or compiler may give samples that "
               "differ in their last bits; over a training run such differences grow. What "
               "holds is this: the same seed gives the same numbers on this machine, with "
               "this build. Every lesson takes --seed N. Two generators with seed %llu and "
               "one with seed %llu, their first normal samples side by side:",
               (unsigned long long)L->seed, (unsigned long long)(L->seed + 1));
    lesson_code(L, "seed");
    /* STEP: seed */
    nn_rng a, b, c;
    nn_rng_seed(&a, L->seed, 0);
    nn_rng_seed(&b, L->seed, 0);
    nn_rng_seed(&c, L->seed + 1, 0);
    int same = 1, differ = 0;
    lesson_print(L, "  i   seed %-8llu  seed %-8llu  seed %-8llu\n", (unsigned long long)L->seed,
                 (unsigned long long)L->seed, (unsigned long long)(L->seed + 1));
    for (int i = 0; i < 6; i++) {
        float x = nn_rng_normal(&a), y = nn_rng_normal(&b), z = nn_rng_normal(&c);
        lesson_print(L, "  %d   %+13.6f  %+13.6f  %+13.6f\n", i, x, y, z);
        same &= x == y;
        differ |= x != z;
    }
    /* END STEP */
    lesson_key(L, "same_seed_same_numbers", "%d", same);
    lesson_key(L, "other_seed_other_numbers", "%d", differ);
    lesson_say(L,
               "Determinism also needs the same order of floating-point additions: the "
               "library's threads split work the same way for a given thread count, so "
               "results repeat exactly at a given GANSTEPS_THREADS.");
}

/* Step 6: a histogram of N(0, 1) samples, as a figure. */
static void draw_first_figure(lesson *L)
{
    lesson_step(L, "A first figure");
    lesson_say(L,
               "Every figure is written three ways: NAME.dat (the numbers), NAME.gp (the "
               "gnuplot script: edit it and re-run `gnuplot NAME.gp` in the folder) and "
               "NAME.png; a terminal version is printed too. The first one: a histogram of "
               "samples from N(0, 1), which the generator's latent vectors will be.");
    nn_rng rng;
    lesson_code(L, "figure");
    /* STEP: figure */
    int count = L->fast ? 2000 : 20000;
    float *z = nn_alloc((size_t)count, sizeof(float));
    if (!z)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d samples", count);
    nn_rng_seed(&rng, L->seed, 0);
    nn_rng_fill_normal(&rng, z, (size_t)count, 0.0f, 1.0f);
    nn_plot p = {.dir = L->out, .name = "normal_hist", .title = "samples of N(0, 1)",
                 .xlabel = "z", .ylabel = "count", .term = lesson_capture_begin(L)};
    nn_error err;
    nn_status s = nn_plot_histogram(&p, z, count, 40, &err);
    lesson_capture_end(L);
    /* END STEP */
    lesson_plot_shown(L, &p, s, &err, "histogram of samples from N(0, 1)");
    double mean = 0, var = 0;
    for (int i = 0; i < count; i++)
        mean += z[i];
    mean /= count;
    for (int i = 0; i < count; i++)
        var += (z[i] - mean) * (z[i] - mean);
    nn_free(z);
    lesson_key(L, "normal_mean", "%.4f", mean);
    lesson_key(L, "normal_std", "%.4f", sqrt(var / count));
    lesson_say(L, "The mean is close to 0 and the standard deviation close to 1, as they "
                  "should be; with more samples they get closer.");
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        1, "environment", "The environment",
        "What a GAN is (the game the course builds), what gansteps needs and how "
        "`make deps` installed it, which library modules "
        "a lesson includes, which processor the numbers are computed on, and how a seed "
        "makes every run repeatable.",
        42};
    lesson *L = lesson_begin(argc, argv, &info, NULL, 0);

    explain_the_game(L);
    list_packages(L);
    list_modules(L);
    describe_device(L);
    show_seeding(L);
    draw_first_figure(L);
    return lesson_end(L);
}
