/* Unit tests of the pointer set used to count connections. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "check_main.h"
#include "ptrset.h"

START_TEST(test_add_del_has)
{
    struct ptrset s = PTRSET_INIT;
    static char objs[5000];
    for (int i = 0; i < 5000; i++)
        ck_assert_msg(ptrset_add(&s, &objs[i]), "expected %d to be new", i);
    ck_assert_msg(!ptrset_add(&s, &objs[7]), "expected a second add to report a member");
    ck_assert_uint_eq(s.count, 5000);
    for (int i = 0; i < 5000; i += 2)
        ck_assert(ptrset_del(&s, &objs[i]));
    ck_assert_msg(!ptrset_del(&s, &objs[0]), "expected a second delete to report absence");
    ck_assert_uint_eq(s.count, 2500);
    for (int i = 0; i < 5000; i++)
        ck_assert_msg(ptrset_has(&s, &objs[i]) == (i % 2 == 1), "membership of %d", i);
    ptrset_free(&s);
    ck_assert(!ptrset_has(&s, &objs[1]));
}
END_TEST

/* Churn (add one, drop one) must not fill the table with tombstones. */
START_TEST(test_churn_stays_small)
{
    struct ptrset s = PTRSET_INIT;
    static char objs[64];
    for (int round = 0; round < 100000; round++) {
        ck_assert(ptrset_add(&s, &objs[round % 64]));
        ck_assert(ptrset_del(&s, &objs[round % 64]));
    }
    ck_assert_uint_eq(s.count, 0);
    ck_assert_msg(s.cap <= 128, "expected the table to stay small under churn, cap %zu", s.cap);
    ptrset_free(&s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("ptrset");
    TCase *tc = tcase_create("ptrset");
    tcase_add_test(tc, test_add_del_has);
    tcase_add_test(tc, test_churn_stays_small);
    suite_add_tcase(su, tc);
    return check_main(su);
}
