/* Unit tests of the bounded hash map (common/hmap.c): bounds, order of use, expiry, walks. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "hmap.h"

struct val {
    int n;
    char *owned; /* freed by value_free */
};

static int freed; /* value_free calls since the test began */

static void val_free(void *v)
{
    free(((struct val *)v)->owned);
    freed++;
}

static struct hmap *new_map(size_t max_entries, size_t max_cost)
{
    freed = 0;
    return hmap_new(&(struct hmap_config){.max_entries = max_entries,
                                          .max_cost = max_cost,
                                          .value_size = sizeof(struct val),
                                          .value_free = val_free});
}

static void put(struct hmap *m, const char *key, int n, size_t cost, double expires)
{
    struct val *v = hmap_put(m, key, cost, expires);
    ck_assert_msg(v->n == 0 && v->owned == NULL, "expected a zeroed value for '%s'", key);
    v->n = n;
    v->owned = strdup(key);
}

/* The value stored under key, or -1 when absent at time now. */
static int get(struct hmap *m, const char *key, double now)
{
    struct val *v = hmap_get(m, key, now);
    return v ? v->n : -1;
}

START_TEST(test_hash_is_fnv1a)
{
    /* The published 64-bit FNV-1a values. */
    ck_assert_msg(hmap_hash("") == 0xcbf29ce484222325u, "expected the offset basis for \"\"");
    ck_assert_msg(hmap_hash("a") == 0xaf63dc4c8601ec8cu, "expected FNV-1a(\"a\")");
    ck_assert_msg(hmap_hash("foobar") == 0x85944171f73967e8u, "expected FNV-1a(\"foobar\")");
}
END_TEST

START_TEST(test_put_get_remove)
{
    struct hmap *m = new_map(100, 0);
    ck_assert_int_eq(get(m, "a", 0), -1);
    put(m, "a", 1, 0, 0);
    put(m, "b", 2, 0, 0);
    put(m, "", 3, 0, 0);
    ck_assert_int_eq(get(m, "a", 0), 1);
    ck_assert_int_eq(get(m, "b", 0), 2);
    ck_assert_msg(get(m, "", 0) == 3, "expected the empty key to be a key like any other");
    ck_assert_int_eq(get(m, "ab", 0), -1);
    ck_assert_uint_eq(hmap_count(m), 3);

    /* A put on a present key replaces it: the old value is freed, the new one zeroed. */
    put(m, "a", 10, 0, 0);
    ck_assert_int_eq(freed, 1);
    ck_assert_int_eq(get(m, "a", 0), 10);
    ck_assert_uint_eq(hmap_count(m), 3);

    ck_assert_msg(hmap_remove(m, "b"), "expected 'b' to be removed");
    ck_assert_msg(!hmap_remove(m, "b"), "expected a second remove to find nothing");
    ck_assert_int_eq(get(m, "b", 0), -1);
    ck_assert_int_eq(freed, 2);
    hmap_free(m);
    ck_assert_msg(freed == 4, "expected hmap_free to free the 2 values left, freed %d", freed - 2);
}
END_TEST

START_TEST(test_evicts_least_recently_used)
{
    struct hmap *m = new_map(3, 0);
    put(m, "a", 1, 0, 0);
    put(m, "b", 2, 0, 0);
    put(m, "c", 3, 0, 0);
    ck_assert_int_eq(get(m, "a", 0), 1); /* a is now the most recently used */
    put(m, "d", 4, 0, 0);
    ck_assert_msg(get(m, "b", 0) == -1, "expected 'b', the least recently used, evicted");
    ck_assert_int_eq(get(m, "a", 0), 1);
    ck_assert_int_eq(get(m, "c", 0), 3);
    ck_assert_int_eq(get(m, "d", 0), 4);
    ck_assert_uint_eq(hmap_count(m), 3);
    ck_assert_int_eq(freed, 1);
    hmap_free(m);
}
END_TEST

START_TEST(test_cost_bound)
{
    struct hmap *m = new_map(100, 10);
    put(m, "a", 1, 4, 0);
    put(m, "b", 2, 4, 0);
    ck_assert_uint_eq(hmap_cost(m), 8);
    put(m, "c", 3, 4, 0);
    ck_assert_msg(get(m, "a", 0) == -1, "expected 'a' evicted to keep the cost at most 10");
    ck_assert_uint_eq(hmap_cost(m), 8);
    /* Replacing an entry gives back its cost first. */
    put(m, "b", 20, 6, 0);
    ck_assert_int_eq(get(m, "c", 0), 3);
    ck_assert_uint_eq(hmap_cost(m), 10);
    /* One entry over the bound alone is kept once everything else is gone. */
    put(m, "big", 9, 50, 0);
    ck_assert_uint_eq(hmap_count(m), 1);
    ck_assert_uint_eq(hmap_cost(m), 50);
    ck_assert_int_eq(get(m, "big", 0), 9);
    hmap_free(m);
}
END_TEST

START_TEST(test_expiry)
{
    struct hmap *m = new_map(100, 0);
    put(m, "t", 1, 3, 10.0);
    put(m, "forever", 2, 0, 0);
    ck_assert_int_eq(get(m, "t", 9.99), 1);
    ck_assert_msg(get(m, "t", 10.0) == -1, "expected 't' gone at its expiry");
    ck_assert_msg(hmap_count(m) == 1 && hmap_cost(m) == 0, "expected the expired entry removed");
    ck_assert_int_eq(freed, 1);
    ck_assert_msg(get(m, "forever", 1e12) == 2, "expected expiry 0 to mean never");

    struct val *v = hmap_get(m, "forever", 0);
    hmap_set_expiry(m, v, 5.0);
    ck_assert_int_eq(get(m, "forever", 4.0), 2);
    ck_assert_int_eq(get(m, "forever", 5.0), -1);
    hmap_free(m);
}
END_TEST

static bool remove_odd(const char *key, void *value, void *arg)
{
    struct val *v = value;
    char *order = arg;
    strcat(order, key);
    return v->n % 2 == 1;
}

START_TEST(test_each)
{
    struct hmap *m = new_map(100, 0);
    put(m, "a", 1, 0, 0);
    put(m, "b", 2, 0, 0);
    put(m, "c", 3, 0, 5.0);
    put(m, "d", 4, 0, 0);
    put(m, "e", 5, 0, 0);
    char order[16] = "";
    hmap_each(m, 6.0, remove_odd, order);
    ck_assert_msg(!strcmp(order, "edba"),
                  "expected the walk newest first, skipping expired 'c': got '%s'", order);
    ck_assert_uint_eq(hmap_count(m), 2);
    ck_assert_int_eq(freed, 3);
    ck_assert_int_eq(get(m, "b", 0), 2);
    ck_assert_int_eq(get(m, "d", 0), 4);

    hmap_free(m);

    /* The walk does not reorder: 'b' (found last) stays the newest, so 'd' goes. */
    m = new_map(2, 0);
    put(m, "b", 2, 0, 0);
    put(m, "d", 4, 0, 0);
    ck_assert_int_eq(get(m, "b", 0), 2);
    order[0] = '\0';
    hmap_each(m, 0, remove_odd, order);
    put(m, "x", 6, 0, 0);
    ck_assert_msg(get(m, "d", 0) == -1 && get(m, "b", 0) == 2,
                  "expected a walk to leave the order of use as it was");
    hmap_free(m);
}
END_TEST

START_TEST(test_clear)
{
    struct hmap *m = new_map(100, 0);
    for (int i = 0; i < 50; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        put(m, k, i, 1, 0);
    }
    hmap_clear(m);
    ck_assert_msg(hmap_count(m) == 0 && hmap_cost(m) == 0 && freed == 50,
                  "expected clear to free all 50, freed %d", freed);
    ck_assert_int_eq(get(m, "k7", 0), -1);
    put(m, "k7", 7, 1, 0);
    ck_assert_int_eq(get(m, "k7", 0), 7);
    hmap_free(m);
}
END_TEST

/* Many more keys than the bound: the newest stay, every one findable. */
START_TEST(test_churn)
{
    struct hmap *m = new_map(1000, 0);
    char k[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(k, sizeof k, "token-%d", i);
        put(m, k, i, 0, 0);
    }
    ck_assert_uint_eq(hmap_count(m), 1000);
    ck_assert_int_eq(freed, 99000);
    for (int i = 99000; i < 100000; i++) {
        snprintf(k, sizeof k, "token-%d", i);
        ck_assert_msg(get(m, k, 0) == i, "expected the recent key %s to be there", k);
    }
    ck_assert_int_eq(get(m, "token-98999", 0), -1);
    hmap_free(m);
}
END_TEST

/* Keys a striping caller sends to one map share their hash's low bits; the
 * map must still tell them apart (it indexes by the high bits). */
START_TEST(test_striped_keys)
{
    struct hmap *m = new_map(4096, 0);
    char k[32];
    int n = 0;
    for (int i = 0; n < 3000; i++) {
        snprintf(k, sizeof k, "tok-%d", i);
        if (hmap_hash(k) % 64 == 0)
            put(m, k, n++, 0, 0);
    }
    for (int i = 0, seen = 0; seen < 3000; i++) {
        snprintf(k, sizeof k, "tok-%d", i);
        if (hmap_hash(k) % 64 == 0)
            ck_assert_int_eq(get(m, k, 0), seen++);
    }
    hmap_free(m);
}
END_TEST

START_TEST(test_no_value)
{
    struct hmap *m = hmap_new(&(struct hmap_config){.max_entries = 2});
    ck_assert_ptr_nonnull(hmap_put(m, "set-member", 0, 0));
    ck_assert_ptr_nonnull(hmap_get(m, "set-member", 0));
    ck_assert_ptr_null(hmap_get(m, "other", 0));
    hmap_free(m);
    hmap_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hmap");
    TCase *tc = tcase_create("hmap");
    tcase_add_test(tc, test_hash_is_fnv1a);
    tcase_add_test(tc, test_put_get_remove);
    tcase_add_test(tc, test_evicts_least_recently_used);
    tcase_add_test(tc, test_cost_bound);
    tcase_add_test(tc, test_expiry);
    tcase_add_test(tc, test_each);
    tcase_add_test(tc, test_clear);
    tcase_add_test(tc, test_churn);
    tcase_add_test(tc, test_striped_keys);
    tcase_add_test(tc, test_no_value);
    suite_add_tcase(s, tc);
    return check_main(s);
}
