/* testutil.h - what every cmocka suite here shares.
 *
 * cmocka 1.1.5 has assert_float_equal but no relative-error check, and the
 * course compares gradients and reference values by relative error
 *     max|a-b| / max(1e-8, max|a| + max|b|)
 * so this is the one helper every suite uses for arrays of floats.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Fails the current test, naming what was compared, when the relative error
 * of a against expected is above tol. */
#define assert_rel_close(a, expected, n, tol) \
    tu_assert_rel_close((a), (expected), (n), (tol), #a, __FILE__, __LINE__)
void tu_assert_rel_close(const float *a, const float *expected, size_t n, double tol,
                         const char *what, const char *file, int line);

/* Fails unless |a - b| <= tol (scalars, double precision). */
#define assert_close(a, b, tol) tu_assert_close((a), (b), (tol), #a, __FILE__, __LINE__)
void tu_assert_close(double a, double b, double tol, const char *what, const char *file,
                     int line);

/* Fails when every element of g is exactly zero: a gradient check that
 * compares two zero vectors proves nothing. */
#define assert_not_all_zero(g, n) tu_assert_not_all_zero((g), (n), #g, __FILE__, __LINE__)
void tu_assert_not_all_zero(const float *g, size_t n, const char *what, const char *file,
                            int line);

/* A fresh temporary directory for files a test writes; removed by
 * tu_rmtree. The returned string is static: copy it to keep it. */
const char *tu_tmpdir(void);
void tu_rmtree(const char *dir);

/* cmocka fixtures for tests that write files: the setup makes a fresh
 * temporary directory in tu_dir, the teardown removes it with everything in
 * it. Use as cmocka_unit_test_setup_teardown(test, tu_tmpdir_setup,
 * tu_tmpdir_teardown). */
extern char tu_dir[256];
int tu_tmpdir_setup(void **state);
int tu_tmpdir_teardown(void **state);

#endif
