/* Exercise 1: nn_sample_latent draws N(0, 1) from the rng, in row order. */
#define EX_NUM 1
#define EX_FUNC "nn_sample_latent"
#include "exercise_util.h"
#include "nn.h"

#include <stdlib.h>

/* The same seed must give exactly the stream of nn_rng_normal, element by
 * element: that is what makes a lesson's samples reproducible. */
static void test_matches_rng_stream(void **state)
{
    (void)state;
    enum { B = 6, DIM = 10 };
    float z[B * DIM] = {0}, want[B * DIM];
    nn_rng r, ref;
    nn_rng_seed(&r, 2024, 0);
    nn_rng_seed(&ref, 2024, 0);
    nn_sample_latent(z, B, DIM, &r);
    for (int i = 0; i < B * DIM; i++) want[i] = nn_rng_normal(&ref);
    ex_expect_close(z, want, B * DIM, 0.0,
                    "z must be nn_rng_normal's numbers, one per element, in order");
    /* Exactly batch*dim draws: the next number must agree too. */
    ex_expect(nn_rng_normal(&r) == nn_rng_normal(&ref),
              "drew more or fewer than batch*dim numbers from rng");
}

/* Many samples: mean near 0, standard deviation near 1, all finite. */
static void test_statistics(void **state)
{
    (void)state;
    enum { B = 64, DIM = 100 };
    float *z = malloc(sizeof(float) * B * DIM);
    assert_non_null(z);
    nn_rng r;
    nn_rng_seed(&r, 7, 0);
    nn_sample_latent(z, B, DIM, &r);
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < B * DIM; i++) {
        s += z[i];
        s2 += (double)z[i] * z[i];
    }
    double mean = s / (B * DIM), sd = sqrt(s2 / (B * DIM) - mean * mean);
    free(z);
    /* 6400 samples: the mean's standard error is 1/80; 0.05 is 4 of them. */
    ex_expect_near(mean, 0.0, 0.05, "the mean of 6400 samples");
    ex_expect_near(sd, 1.0, 0.05, "the standard deviation of 6400 samples");
}

/* Two different seeds give two different batches. */
static void test_seeds_differ(void **state)
{
    (void)state;
    float a[32] = {0}, b[32] = {0};
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    nn_sample_latent(a, 4, 8, &r);
    nn_rng_seed(&r, 2, 0);
    nn_sample_latent(b, 4, 8, &r);
    size_t where;
    ex_expect(ex_rel_error(a, b, 32, &where) > 0.01, "seeds 1 and 2 gave the same z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_rng_stream),
        cmocka_unit_test(test_statistics),
        cmocka_unit_test(test_seeds_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
