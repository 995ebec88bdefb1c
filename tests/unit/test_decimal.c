/* Unit tests of common/decimal.c: integer and fixed-point text against printf's. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "decimal.h"

START_TEST(integers_as_printf_writes_them)
{
    static const uint64_t cases[] = {0, 7, 10, 99, 100, 4200, 1234567890123ULL, UINT64_MAX};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[DECIMAL_MAX], want[DECIMAL_MAX];
        size_t n = decimal_u64(got, cases[i]);
        snprintf(want, sizeof want, "%llu", (unsigned long long)cases[i]);
        ck_assert_str_eq(got, want);
        ck_assert_uint_eq(n, strlen(want));
    }
}
END_TEST

/* Thousands of values that are not exact halves: the same text as "%.*f". */
START_TEST(fixed_point_as_printf_writes_it)
{
    srand(7);
    for (int i = 0; i < 20000; i++) {
        double v = (rand() / (double)RAND_MAX - 0.5) * pow(10, rand() % 9);
        int d = rand() % 4;
        double scaled = fabs(v) * pow(10, d);
        if (fabs(scaled - floor(scaled) - 0.5) < 1e-6)
            continue; /* a half: printf rounds to even, decimal_fixed away from zero */
        char got[DECIMAL_MAX], want[64];
        decimal_fixed(got, v, d);
        snprintf(want, sizeof want, "%.*f", d, v);
        if (!strcmp(want, "-0") || !strcmp(want, "-0.0") || !strcmp(want, "-0.00") ||
            !strcmp(want, "-0.000"))
            memmove(want, want + 1, strlen(want)); /* no negative zero */
        ck_assert_msg(!strcmp(got, want), "%.17g to %d places: got %s, want %s", v, d, got, want);
    }
}
END_TEST

START_TEST(fixed_point_edges)
{
    char got[DECIMAL_MAX];
    decimal_fixed(got, 0.125, 2);
    ck_assert_str_eq(got, "0.13"); /* a half goes away from zero */
    decimal_fixed(got, -0.0001, 2);
    ck_assert_str_eq(got, "0.00");
    decimal_fixed(got, NAN, 3);
    ck_assert_str_eq(got, "0.000");
    decimal_fixed(got, 1e20, 1);
    ck_assert_str_eq(got, "0.0");
    decimal_fixed(got, 12.5, 0);
    ck_assert_str_eq(got, "13");
    decimal_fixed(got, 999999.999, 6);
    ck_assert_str_eq(got, "999999.999000");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("decimal");
    TCase *tc = tcase_create("decimal");
    tcase_add_test(tc, integers_as_printf_writes_them);
    tcase_add_test(tc, fixed_point_as_printf_writes_it);
    tcase_add_test(tc, fixed_point_edges);
    suite_add_tcase(s, tc);
    return check_main(s);
}
