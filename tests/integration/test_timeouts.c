/* Integration tests of statement timeouts: 504, then the connection serves again. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct harness_daemon D;
static char *token;

static int setup(const char *db)
{
    char *id =
        harness_user_add(db, "Timeout Co", "admin@timeout.example", "admin", "long-enough-pw");
    token = id ? harness_token_create(db, "admin@timeout.example", "t", 1) : NULL;
    free(id);
    return token ? 0 : -1;
}

static const char *const short_timeout[] = {
    "--statement-timeout-ms", "300", "--db-workers", "1", "--no-jobs", NULL};

static void up(void)
{
    harness_daemon_start(&D, harness_db(), short_timeout);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&D, "/api/v1/auth/me", token, &r), 200); /* connect + warm token */
    harness_resp_free(&r);
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
}

/* A request whose statement waits on a lock longer than the timeout. */
static const struct {
    const char *table;
    const char *path;
} stuck[] = {
    {"users", "/api/v1/auth/me"},
    {"rollup.quotes_daily", "/api/v1/dashboard/kpis?as_of=2025-01-15"}, /* kpis reads rollups */
    {"clients", "/api/v1/clients"},
};

START_TEST(timeout_answers_504_then_recovers)
{
    PGconn *lock = harness_pg_connect(harness_db());
    char sql[128];
    snprintf(sql, sizeof sql, "BEGIN; LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", stuck[_i].table);
    ck_assert_int_eq(harness_pg_exec(lock, sql), 0);
    struct harness_resp r;
    long st = harness_get(&D, stuck[_i].path, token, &r);
    bool ok = st == 504 && r.ms < 3000 && harness_json(&r) &&
              cJSON_IsString(cJSON_GetObjectItem(harness_json(&r), "detail"));
    char got[160];
    snprintf(got, sizeof got, "%ld after %.0f ms: %.80s", st, r.ms, r.body ? r.body : "");
    harness_resp_free(&r);
    harness_pg_exec(lock, "COMMIT");
    PQfinish(lock);
    ck_assert_msg(ok, "%s with %s locked: expected 504 with a detail within 3 s, got %s",
                  stuck[_i].path, stuck[_i].table, got);
    /* The same (only) worker connection still serves. */
    ck_assert_int_eq(harness_get(&D, stuck[_i].path, token, &r), 200);
    harness_resp_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timeouts");
    TCase *tc = harness_tcase(s, "timeouts");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_loop_test(tc, timeout_answers_504_then_recovers, 0,
                        (int)(sizeof stuck / sizeof stuck[0]));
    return harness_main(s, "it_timeouts", setup);
}
