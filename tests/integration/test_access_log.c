/* Integration tests of the batched access log: lines arrive within a flush period, and none is lost
 * at shutdown. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define REQUESTS 400

static const char *const info[] = {"--no-jobs", "--log-level", "info", NULL};

/* Counts the access lines of request id in log. */
static int lines_of(const char *log, const char *id)
{
    char needle[160];
    snprintf(needle, sizeof needle, "\"request_id\":\"%.80s\"", id);
    int n = 0;
    for (const char *p = strstr(log, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A line is written within the 100 ms flush period, not only when 64 KiB
 * have gathered. */
START_TEST(a_line_arrives_within_the_flush_period)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), info);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&d, "/health/live", NULL, &r), 200);
    char id[96];
    snprintf(id, sizeof id, "%s", harness_header(&r, "X-Request-Id"));
    harness_resp_free(&r);
    char needle[160];
    snprintf(needle, sizeof needle, "\"request_id\":\"%s\"", id);
    char *log = harness_daemon_log_wait(&d, needle, 1000);
    ck_assert_msg(lines_of(log, id) == 1, "expected the request's line within 1 s:\n%s", log);
    ck_assert_msg(strstr(log, "\"msg\":\"request\"") && strstr(log, "\"route\":\"/health/live\"") &&
                      strstr(log, "\"status\":200") && strstr(log, "\"cache\":null"),
                  "expected the usual fields:\n%s", log);
    free(log);
    harness_daemon_stop_clean(&d);
}
END_TEST

/* Every request answered before SIGTERM has its line once the daemon has
 * exited, whatever was still in a batch. */
START_TEST(no_line_is_lost_at_shutdown)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), info);
    static char ids[REQUESTS][96];
    for (int i = 0; i < REQUESTS; i++) {
        struct harness_resp r;
        long st = harness_get(&d, i % 3 ? "/health/live" : "/nowhere", NULL, &r);
        ck_assert(st == 200 || st == 404);
        snprintf(ids[i], sizeof ids[i], "%s", harness_header(&r, "X-Request-Id"));
        harness_resp_free(&r);
    }
    ck_assert_int_eq(kill(d.pid, SIGTERM), 0);
    int status = 0;
    ck_assert_int_eq(waitpid(d.pid, &status, 0), d.pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "expected exit 0");
    d.pid = 0;
    char *log = harness_daemon_log(&d);
    harness_assert_no_sanitizer(log, "onquotad");
    int missing = 0;
    for (int i = 0; i < REQUESTS; i++)
        missing += lines_of(log, ids[i]) != 1;
    ck_assert_msg(missing == 0, "%d of %d requests have no (or more than one) access line", missing,
                  REQUESTS);
    free(log);
    unlink(d.log);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("access_log");
    TCase *tc = harness_tcase(s, "batches");
    tcase_add_test(tc, a_line_arrives_within_the_flush_period);
    tcase_add_test(tc, no_line_is_lost_at_shutdown);
    return harness_main(s, "it_access_log", NULL);
}
