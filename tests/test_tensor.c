/* test_tensor.c - tensors (create, view, wrap, fill, copy, free) and the
 * common functions they rest on (nn_alloc, nn_fail, nn_status_name). */
#include "testutil.h"

#include <string.h>

#include "base/common.h"
#include "base/tensor.h"

static void test_alloc_zeroed_aligned(void **state)
{
    (void)state;
    float *p = nn_alloc(1000, sizeof(float));
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 64, 0);
    for (int i = 0; i < 1000; i++) assert_true(p[i] == 0.0f);
    nn_free(p);
    /* A zero-sized request still gives a block that can be freed. */
    void *z = nn_alloc(0, 4);
    assert_non_null(z);
    nn_free(z);
    nn_free(NULL);
}

static void test_alloc_overflow(void **state)
{
    (void)state;
    /* count * size wraps around size_t: must fail rather than under-allocate. */
    assert_null(nn_alloc((size_t)-1 / 2 + 2, 2));
    assert_null(nn_alloc(SIZE_MAX, sizeof(float)));
}

static void test_fail_message(void **state)
{
    (void)state;
    nn_error err;
    memset(&err, 0, sizeof err);
    nn_status st = nn_fail(&err, NN_ERR_IO, "%s: cannot open (%d)", "data.idx", 7);
    assert_int_equal(st, NN_ERR_IO);
    assert_int_equal(err.code, NN_ERR_IO);
    assert_string_equal(err.msg, "data.idx: cannot open (7)");
    /* NULL err: the code still comes back. */
    assert_int_equal(nn_fail(NULL, NN_ERR_SHAPE, "x"), NN_ERR_SHAPE);
    /* A message longer than the buffer is cut, still terminated. */
    char long_name[1000];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    nn_fail(&err, NN_ERR_ARG, "%s", long_name);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_string_equal(nn_status_name(NN_OK), "ok");
    assert_string_equal(nn_status_name(NN_ERR_FORMAT), "format");
    assert_string_equal(nn_status_name(NN_ERR_NOMEM), "nomem");
}

static void test_create_zeroed(void **state)
{
    (void)state;
    nn_tensor *t = nn_tensor_create(3, 5);
    assert_non_null(t);
    assert_int_equal(t->rows, 3);
    assert_int_equal(t->cols, 5);
    assert_int_equal(t->owns, 1);
    assert_int_equal(t->c + t->h + t->w, 0);
    assert_int_equal(nn_tensor_size(t), 15);
    for (size_t i = 0; i < 15; i++) assert_true(t->data[i] == 0.0f);
    nn_tensor_free(t);
    nn_tensor_free(NULL);
}

static void test_create_image(void **state)
{
    (void)state;
    nn_tensor *t = nn_tensor_create_image(4, 3, 8, 6);
    assert_non_null(t);
    assert_int_equal(t->rows, 4);
    assert_int_equal(t->cols, 3 * 8 * 6);
    assert_int_equal(t->c, 3);
    assert_int_equal(t->h, 8);
    assert_int_equal(t->w, 6);
    nn_tensor_free(t);
}

static void test_at_fill_zero(void **state)
{
    (void)state;
    nn_tensor *t = nn_tensor_create(2, 3);
    nn_tensor_fill(t, 2.5f);
    for (size_t i = 0; i < 6; i++) assert_true(t->data[i] == 2.5f);
    *nn_tensor_at(t, 1, 2) = -1.0f;
    /* Row-major: (1, 2) is element 1*3 + 2. */
    assert_true(t->data[5] == -1.0f);
    assert_ptr_equal(nn_tensor_at(t, 0, 1), &t->data[1]);
    nn_tensor_zero(t);
    for (size_t i = 0; i < 6; i++) assert_true(t->data[i] == 0.0f);
    nn_tensor_free(t);
}

static void test_view_rows_shares_memory(void **state)
{
    (void)state;
    nn_tensor *t = nn_tensor_create_image(5, 1, 2, 2);
    for (size_t i = 0; i < nn_tensor_size(t); i++) t->data[i] = (float)i;
    nn_tensor *v = nn_tensor_view_rows(t, 2, 2);
    assert_non_null(v);
    assert_int_equal(v->owns, 0);
    assert_int_equal(v->rows, 2);
    assert_int_equal(v->cols, 4);
    assert_int_equal(v->h, 2);           /* keeps the image shape */
    assert_ptr_equal(v->data, t->data + 8);
    assert_true(*nn_tensor_at(v, 0, 0) == 8.0f);
    nn_tensor_fill(v, -3.0f);            /* writes through to rows 2 and 3 */
    assert_true(t->data[7] == 7.0f);
    assert_true(t->data[8] == -3.0f && t->data[15] == -3.0f);
    assert_true(t->data[16] == 16.0f);
    nn_tensor_free(v);                   /* leaves t's data alone (ASan checks) */
    assert_true(t->data[8] == -3.0f);
    nn_tensor_free(t);
}

static void test_wrap_and_copy(void **state)
{
    (void)state;
    float mine[6] = {1, 2, 3, 4, 5, 6};
    nn_tensor *w = nn_tensor_wrap(mine, 2, 3);
    assert_non_null(w);
    assert_int_equal(w->owns, 0);
    assert_ptr_equal(w->data, mine);
    nn_tensor *t = nn_tensor_create(2, 3);
    nn_tensor_copy(t, w);
    assert_rel_close(t->data, mine, 6, 0.0);
    assert_ptr_not_equal(t->data, mine);
    /* Freeing the wrapper must not free stack memory (ASan would abort). */
    nn_tensor_free(w);
    assert_true(mine[5] == 6.0f);
    nn_tensor_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_zeroed_aligned),
        cmocka_unit_test(test_alloc_overflow),
        cmocka_unit_test(test_fail_message),
        cmocka_unit_test(test_create_zeroed),
        cmocka_unit_test(test_create_image),
        cmocka_unit_test(test_at_fill_zero),
        cmocka_unit_test(test_view_rows_shares_memory),
        cmocka_unit_test(test_wrap_and_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
