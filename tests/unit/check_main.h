/* The shared main() of the Check unit tests: run one suite, exit by its failures. */
#ifndef ONQUOTA_TEST_CHECK_MAIN_H
#define ONQUOTA_TEST_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Runs every test of s (CK_NORMAL output) and returns the process exit
 * status: EXIT_SUCCESS when none failed, else EXIT_FAILURE. */
static inline int check_main(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
