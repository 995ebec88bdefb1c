/* Unit tests of the token-bucket rate limiter. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "auth/ratelimit.h"

/* One step of a bucket's life: at time `at`, a take is expected to succeed
 * or (when wait > 0) to fail with that wait in seconds. */
struct step {
    double at;
    bool ok;
    double wait;
};

/* rate 2/s, burst 3 */
static const struct {
    const char *name;
    struct step steps[8];
    int n;
} cases[] = {
    {"a new bucket starts full, then empties",
     {{100.0, true, 0}, {100.0, true, 0}, {100.0, true, 0}, {100.0, false, 0.5}},
     4},
    {"it refills at the rate",
     {{100.0, true, 0}, {100.0, true, 0}, {100.0, true, 0}, {100.5, true, 0}, {100.5, false, 0.5}},
     5},
    {"a partial refill shortens the wait",
     {{100.0, true, 0}, {100.0, true, 0}, {100.0, true, 0}, {100.25, false, 0.25}},
     4},
    {"it never holds more than the burst",
     {{100.0, true, 0}, {200.0, true, 0}, {200.0, true, 0}, {200.0, true, 0}, {200.0, false, 0.5}},
     5},
    {"a clock going backwards refills nothing",
     {{100.0, true, 0}, {100.0, true, 0}, {100.0, true, 0}, {99.0, false, 0.5}},
     4},
};

START_TEST(test_tbucket)
{
    struct tbucket b = {0};
    for (int s = 0; s < cases[_i].n; s++) {
        const struct step *st = &cases[_i].steps[s];
        double wait = -1;
        bool ok = tbucket_take(&b, 2.0, 3.0, st->at, &wait);
        ck_assert_msg(ok == st->ok, "%s: step %d at %.2f: expected %s", cases[_i].name, s, st->at,
                      st->ok ? "a token" : "a refusal");
        if (!st->ok)
            ck_assert_msg(fabs(wait - st->wait) < 1e-9, "%s: step %d: expected wait %.3f, got %.3f",
                          cases[_i].name, s, st->wait, wait);
    }
}
END_TEST

static struct config limited(const char *spec)
{
    struct config c;
    memset(&c, 0, sizeof c);
    c.rate_limit_per_token = (char *)spec;
    c.redis_timeout_ms = 100;
    return c;
}

START_TEST(test_off_by_default)
{
    struct config c = limited("0");
    ratelimit_start(&c, NULL);
    int retry = 0;
    for (int i = 0; i < 10000; i++)
        ck_assert_msg(ratelimit_take("tok-a", &retry), "expected no limit with \"0\"");
    ratelimit_stop();
}
END_TEST

START_TEST(test_per_token)
{
    /* One request a second, bursts of 3: the test runs well within a second. */
    struct config c = limited("1/3");
    ratelimit_start(&c, NULL);
    int retry = 0;
    for (int i = 0; i < 3; i++)
        ck_assert_msg(ratelimit_take("tok-a", &retry), "expected request %d of the burst", i + 1);
    ck_assert_msg(!ratelimit_take("tok-a", &retry), "expected the 4th request to be refused");
    ck_assert_int_eq(retry, 1);
    ck_assert_msg(ratelimit_take("tok-b", &retry), "expected another token's bucket to be full");
    ratelimit_stop();
    /* Stopping forgets every bucket. */
    ratelimit_start(&c, NULL);
    ck_assert_msg(ratelimit_take("tok-a", &retry), "expected a fresh bucket after a restart");
    ratelimit_stop();
}
END_TEST

START_TEST(test_many_tokens)
{
    /* More buckets than the stripes keep (64 x 4096): the least recently
     * used go, none is refused. At this rate a bucket is full again at once. */
    struct config c = limited("1000000/1");
    ratelimit_start(&c, NULL);
    int retry = 0;
    char id[UUID_STR_LEN + 1];
    for (int i = 0; i < 300000; i++) {
        snprintf(id, sizeof id, "token-%d", i);
        ck_assert_msg(ratelimit_take(id, &retry), "expected token %d's first request", i);
    }
    ratelimit_stop();
}
END_TEST

START_TEST(test_empty_bucket_is_kept)
{
    /* An empty bucket is remembered however many other tokens come and go
     * (while they fit the bound): forgetting it would refill it early. */
    struct config c = limited("1/2");
    ratelimit_start(&c, NULL);
    int retry = 0;
    ck_assert(ratelimit_take("tok-a", &retry));
    ck_assert(ratelimit_take("tok-a", &retry));
    char id[UUID_STR_LEN + 1];
    for (int i = 0; i < 20000; i++) {
        snprintf(id, sizeof id, "other-%d", i);
        ck_assert(ratelimit_take(id, &retry));
    }
    ck_assert_msg(!ratelimit_take("tok-a", &retry), "expected tok-a's bucket to stay empty");
    ratelimit_stop();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("bucket");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_tbucket, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_off_by_default);
    tcase_add_test(tc, test_per_token);
    tcase_add_test(tc, test_many_tokens);
    tcase_add_test(tc, test_empty_bucket_is_kept);
    suite_add_tcase(s, tc);
    return check_main(s);
}
