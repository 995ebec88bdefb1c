/* Integration tests of statement timeouts: 504, then the connection serves again. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_daemon D;
static char *token;

static int setup(const char *db)
{
    char *id = h_user_add(db, "Timeout Co", "admin@timeout.example", "admin", "long-enough-pw");
    token = id ? h_token_create(db, "admin@timeout.example", "t", 1) : NULL;
    free(id);
    return token ? 0 : -1;
}

static const char *const short_timeout[] = {
    "--statement-timeout-ms", "300", "--db-workers", "1", "--no-jobs", NULL};

static void up(void)
{
    h_daemon_start(&D, h_db(), short_timeout);
    struct h_resp r;
    ck_assert_int_eq(h_get(&D, "/api/v1/auth/me", token, &r), 200); /* connect + warm token */
    h_resp_free(&r);
}

static void down(void)
{
    h_daemon_stop_clean(&D);
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
    PGconn *lock = h_pg_connect(h_db());
    char sql[128];
    snprintf(sql, sizeof sql, "BEGIN; LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", stuck[_i].table);
    ck_assert_int_eq(h_pg_exec(lock, sql), 0);
    struct h_resp r;
    long st = h_get(&D, stuck[_i].path, token, &r);
    bool ok = st == 504 && r.ms < 3000 && h_json(&r) &&
              cJSON_IsString(cJSON_GetObjectItem(h_json(&r), "detail"));
    char got[160];
    snprintf(got, sizeof got, "%ld after %.0f ms: %.80s", st, r.ms, r.body ? r.body : "");
    h_resp_free(&r);
    h_pg_exec(lock, "COMMIT");
    PQfinish(lock);
    ck_assert_msg(ok, "%s with %s locked: expected 504 with a detail within 3 s, got %s",
                  stuck[_i].path, stuck[_i].table, got);
    /* The same (only) worker connection still serves. */
    ck_assert_int_eq(h_get(&D, stuck[_i].path, token, &r), 200);
    h_resp_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timeouts");
    TCase *tc = h_tcase(s, "timeouts");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_loop_test(tc, timeout_answers_504_then_recovers, 0,
                        (int)(sizeof stuck / sizeof stuck[0]));
    return h_main(s, "it_timeouts", setup);
}
