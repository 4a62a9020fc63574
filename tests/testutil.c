/* testutil.c - shared cmocka helpers; see testutil.h. */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include "nn/gradcheck.h"

void tu_assert_rel_close(const float *a, const float *expected, size_t n, double tol,
                         const char *what, const char *file, int line)
{
    double rel = nn_rel_error(a, expected, n);
    if (!(rel <= tol)) { /* also catches NaN */
        size_t worst = 0;
        double wd = -1.0;
        for (size_t i = 0; i < n; i++) {
            double d = fabs((double)a[i] - (double)expected[i]);
            if (!(d <= wd)) { wd = d; worst = i; }
        }
        print_error("%s: relative error %.3g above %.3g (worst at [%zu]: %.9g, expected %.9g)\n",
                    what, rel, tol, worst, (double)a[worst], (double)expected[worst]);
        _fail(file, line);
    }
}

void tu_assert_close(double a, double b, double tol, const char *what, const char *file,
                     int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.9g, expected %.9g (tolerance %.3g)\n", what, a, b, tol);
        _fail(file, line);
    }
}

void tu_assert_not_all_zero(const float *g, size_t n, const char *what, const char *file,
                            int line)
{
    for (size_t i = 0; i < n; i++)
        if (g[i] != 0.0f) return;
    print_error("%s: all %zu elements are zero; the check would prove nothing\n", what, n);
    _fail(file, line);
}

const char *tu_tmpdir(void)
{
    static char dir[256];
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/gansteps-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        print_error("cannot create a temporary directory under %s\n", base ? base : "/tmp");
        fail();
    }
    return dir;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

void tu_rmtree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char tu_dir[256];

int tu_tmpdir_setup(void **state)
{
    (void)state;
    snprintf(tu_dir, sizeof tu_dir, "%s", tu_tmpdir());
    return 0;
}

int tu_tmpdir_teardown(void **state)
{
    (void)state;
    tu_rmtree(tu_dir);
    return 0;
}
