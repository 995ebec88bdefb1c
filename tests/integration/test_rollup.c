/* Integration tests of the dashboard rollups: exact under concurrent writes, verify and rebuild. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Not UTC, so that local days differ from UTC days and the start-up rebuild runs. */
#define TZ_NAME "America/Bogota"
#define QUOTES "/api/v1/sales/quotes"
#define EXPENSES "/api/v1/expenses"
#define CLIENTS "/api/v1/clients"

/* Writers and operations per writer: a few thousand writes in all. */
#define WRITERS 6
#define OPS_PER_WRITER 500
/* Ids a writer remembers per kind (older ones are forgotten). */
#define IDS_MAX 64
#define ID_LEN 40

static char *admin_token;
static char rep_id[ID_LEN], admin_id[ID_LEN], cat_ids[3][ID_LEN];
static struct harness_daemon D;

static int setup(const char *db)
{
    char *a = harness_user_add(db, "roll.test", "admin@roll.test", "admin", "admin-password-1");
    char *r = harness_user_add(db, "roll.test", "rep@roll.test", "sales_rep", "rep-password-01");
    admin_token = harness_token_create(db, "admin@roll.test", "it", 0);
    bool ok = a && r && admin_token;
    if (ok) {
        snprintf(admin_id, sizeof admin_id, "%s", a);
        snprintf(rep_id, sizeof rep_id, "%s", r);
        ok = harness_psql(db,
                          "INSERT INTO expense_categories (tenant_id, name)"
                          " SELECT tenant_id, n FROM users, unnest('{FUEL,MEALS,TOLLS}'::text[]) n"
                          " WHERE email = 'admin@roll.test'") == 0;
    }
    for (int i = 0; ok && i < 3; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT id FROM expense_categories ORDER BY name OFFSET %d LIMIT 1", i);
        ok = harness_psql_into(db, cat_ids[i], sizeof cat_ids[i], sql, NULL) == 0;
    }
    free(a);
    free(r);
    return ok ? 0 : -1;
}

static void up(void)
{
    static const char *const extra[] = {"--timezone",       TZ_NAME, "--no-jobs",
                                        "--health-probe-s", "3600",  NULL};
    harness_daemon_start(&D, harness_db(), extra);
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
}

/* "onquotad rollup <flag>" on the scratch database; returns its exit status, stdout in *out. */
static int rollup_cmd(const char *flag, char **out)
{
    return harness_run((const char *const[]){harness_onquotad(), "--database-url", harness_db(),
                                             "--timezone", TZ_NAME, "rollup", flag, NULL},
                       NULL, NULL, out, NULL);
}

/* ---------------------------------------------------------------- writers */

struct ids {
    char v[IDS_MAX][ID_LEN];
    int n;
};

struct writer {
    unsigned seed;
    PGconn *sql; /* for restores: the API has no undelete */
    struct ids quotes, expenses, clients;
    int ok, conflicts, failures;
    char failure[256];
};

static void ids_add(struct ids *s, const char *id)
{
    if (!id)
        return;
    snprintf(s->v[s->n % IDS_MAX], ID_LEN, "%s", id);
    s->n++;
}

/* A random remembered id, or NULL when there is none. */
static const char *ids_pick(struct writer *w, const struct ids *s)
{
    int n = s->n < IDS_MAX ? s->n : IDS_MAX;
    return n ? s->v[rand_r(&w->seed) % n] : NULL;
}

/* Sends one request and tallies it: 2xx counts as done; 404, 409 and a 422
 * for a client deleted meanwhile as a lost race or a refused transition;
 * anything else as a failure. */
static void call(struct writer *w, const char *method, const char *path, const char *body,
                 struct ids *created)
{
    struct harness_resp r;
    long st = harness_send(&D, method, path, admin_token, body, &r);
    if (st >= 200 && st < 300) {
        w->ok++;
        if (created && harness_json(&r))
            ids_add(created, harness_jstr(harness_json(&r), "id"));
    } else if (st == 404 || st == 409 ||
               (st == 422 && r.body && strstr(r.body, "value_error.foreign_key"))) {
        w->conflicts++;
    } else {
        if (!w->failures++)
            snprintf(w->failure, sizeof w->failure, "%s %s -> %ld %.150s", method, path, st,
                     r.body ? r.body : r.err);
    }
    harness_resp_free(&r);
}

/* Undeletes a row with plain SQL and moves its creation (or date) up to ten
 * days back, so that rows change day and sometimes month. */
static void restore(struct writer *w, const char *table, const char *id)
{
    char sql[256];
    int hours = rand_r(&w->seed) % 240;
    if (!strcmp(table, "expenses"))
        snprintf(sql, sizeof sql,
                 "UPDATE expenses SET is_deleted = false, deleted_at = NULL,"
                 " date = date - %d WHERE id = '%s'",
                 hours / 24, id);
    else
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET is_deleted = false, deleted_at = NULL,"
                 " created_at = created_at - interval '%d hours' WHERE id = '%s'",
                 table, hours, id);
    if (harness_pg_exec(w->sql, sql) == 0)
        w->ok++;
    else if (!w->failures++)
        snprintf(w->failure, sizeof w->failure, "restore %s %s failed", table, id);
}

static void quote_op(struct writer *w, int op)
{
    static const char *const next[] = {"sent", "accepted", "rejected", "expired"};
    char path[160], body[512];
    const char *q = ids_pick(w, &w->quotes), *c = ids_pick(w, &w->clients);
    if (op == 0 || !q) {
        if (!c)
            return;
        snprintf(body, sizeof body,
                 "{\"client_id\": \"%s\", \"sales_rep_id\": \"%s\", \"valid_until\": "
                 "\"2030-01-31\", \"items\": [{\"product_name\": \"P\", \"quantity\": %d,"
                 " \"unit_price\": %d.%02d, \"discount_percent\": %d}]}",
                 c, rand_r(&w->seed) % 2 ? rep_id : admin_id, 1 + rand_r(&w->seed) % 5,
                 rand_r(&w->seed) % 900, rand_r(&w->seed) % 100, rand_r(&w->seed) % 30);
        call(w, "POST", QUOTES, body, &w->quotes);
    } else if (op == 1) {
        snprintf(path, sizeof path, QUOTES "/%s", q);
        snprintf(body, sizeof body, "{\"sales_rep_id\": \"%s\", \"notes\": \"n%d\"}",
                 rand_r(&w->seed) % 2 ? rep_id : admin_id, rand_r(&w->seed));
        call(w, "PUT", path, body, NULL);
    } else if (op == 2) {
        snprintf(path, sizeof path, QUOTES "/%s/items", q);
        snprintf(body, sizeof body,
                 "{\"product_name\": \"X\", \"quantity\": 2, \"unit_price\": %d}",
                 1 + rand_r(&w->seed) % 500);
        call(w, "POST", path, body, NULL);
    } else if (op == 3 || op == 4) {
        snprintf(path, sizeof path, QUOTES "/%s/status", q);
        snprintf(body, sizeof body, "{\"status\": \"%s\"}", next[rand_r(&w->seed) % 4]);
        call(w, "PATCH", path, body, NULL);
    } else if (op == 5) {
        snprintf(path, sizeof path, QUOTES "/%s", q);
        call(w, "DELETE", path, NULL, NULL);
    } else {
        restore(w, "quotes", q);
    }
}

static void expense_op(struct writer *w, int op)
{
    char path[160], body[512], cat[64] = "null";
    const char *e = ids_pick(w, &w->expenses);
    int k = rand_r(&w->seed) % 4;
    if (k < 3)
        snprintf(cat, sizeof cat, "\"%s\"", cat_ids[k]);
    if (op == 0 || !e) {
        snprintf(body, sizeof body,
                 "{\"category_id\": %s, \"amount\": %d.%02d, \"description\": \"d\","
                 " \"date\": \"2026-%02d-%02d\"}",
                 cat, 1 + rand_r(&w->seed) % 400, rand_r(&w->seed) % 100, 1 + rand_r(&w->seed) % 12,
                 1 + rand_r(&w->seed) % 28);
        call(w, "POST", EXPENSES, body, &w->expenses);
    } else if (op == 1) {
        snprintf(path, sizeof path, EXPENSES "/%s", e);
        snprintf(body, sizeof body, "{\"category_id\": %s, \"amount\": %d.50}", cat,
                 1 + rand_r(&w->seed) % 400);
        call(w, "PUT", path, body, NULL);
    } else if (op == 2 || op == 3) {
        snprintf(path, sizeof path, EXPENSES "/%s/status", e);
        call(w, "PUT", path,
             rand_r(&w->seed) % 3 ? "{\"status\": \"approved\"}"
                                  : "{\"status\": \"rejected\", \"rejection_reason\": \"r\"}",
             NULL);
    } else if (op == 4 || op == 5) {
        snprintf(path, sizeof path, EXPENSES "/%s", e);
        call(w, "DELETE", path, NULL, NULL);
    } else {
        restore(w, "expenses", e);
    }
}

static void client_op(struct writer *w, int op)
{
    static const char *const statuses[] = {"lead", "prospect", "active", "inactive", "lost"};
    char path[160], body[256];
    const char *c = ids_pick(w, &w->clients);
    if (op <= 1 || !c) {
        snprintf(body, sizeof body, "{\"name\": \"Client %u\", \"status\": \"%s\"}",
                 (unsigned)rand_r(&w->seed), statuses[rand_r(&w->seed) % 5]);
        call(w, "POST", CLIENTS, body, &w->clients);
    } else if (op <= 3) {
        snprintf(path, sizeof path, CLIENTS "/%s/status", c);
        snprintf(body, sizeof body, "{\"status\": \"%s\"}", statuses[rand_r(&w->seed) % 5]);
        call(w, "PUT", path, body, NULL);
    } else if (op == 4) {
        snprintf(path, sizeof path, CLIENTS "/%s", c);
        call(w, "DELETE", path, NULL, NULL);
    } else {
        restore(w, "clients", c);
    }
}

static void *writer_run(void *arg)
{
    struct writer *w = arg;
    client_op(w, 0); /* every writer has a client for its quotes */
    for (int i = 0; i < OPS_PER_WRITER; i++) {
        int kind = rand_r(&w->seed) % 10, op = rand_r(&w->seed) % 7;
        if (kind < 5)
            quote_op(w, op);
        else if (kind < 8)
            expense_op(w, op);
        else
            client_op(w, op);
    }
    return NULL;
}

/* Several writers create, edit, change the status of, soft-delete and
 * restore quotes, expenses and clients at once; then --verify, which
 * recomputes every rollup from the base tables, finds no difference. */
START_TEST(concurrent_writes_keep_rollups_exact)
{
    struct writer w[WRITERS] = {0};
    pthread_t th[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        w[i].seed = 1234u + (unsigned)i;
        w[i].sql = harness_pg_connect(harness_db());
        ck_assert_ptr_nonnull(w[i].sql);
        pthread_create(&th[i], NULL, writer_run, &w[i]);
    }
    int ok = 0, failures = 0;
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(th[i], NULL);
        PQfinish(w[i].sql);
        ok += w[i].ok;
        failures += w[i].failures;
        ck_assert_msg(w[i].failures == 0, "writer %d: %d failures, the first: %s", i, w[i].failures,
                      w[i].failure);
    }
    ck_assert_msg(ok >= WRITERS * OPS_PER_WRITER / 2, "expected most writes to succeed, got %d",
                  ok);
    char *out = NULL;
    int rc = rollup_cmd("--verify", &out);
    ck_assert_msg(rc == 0 && strstr(out, "rollups match the base tables"),
                  "after %d writes: rollup --verify exited %d:\n%s", ok, rc, out);
    free(out);
    /* The writes reached the rollups at all (not a vacuous match). */
    ck_assert_int_gt(harness_sql_long("SELECT count(*) FROM rollup.quotes_daily WHERE n > 0"), 0);
    ck_assert_int_gt(harness_sql_long("SELECT count(*) FROM rollup.expenses_monthly WHERE n > 0"),
                     0);
}
END_TEST

/* A difference planted with SQL is reported (exit 1) and --rebuild repairs it. */
START_TEST(verify_finds_a_planted_difference)
{
    char *out = NULL;
    ck_assert_int_eq(harness_psql(harness_db(), "INSERT INTO clients (tenant_id, name, status)"
                                                " SELECT tenant_id, 'Planted', 'active' FROM users"
                                                " WHERE email = 'admin@roll.test'"),
                     0);
    ck_assert_int_eq(rollup_cmd("--verify", &out), 0);
    free(out);
    ck_assert_int_eq(harness_psql(harness_db(), "UPDATE rollup.clients_status SET n = n + 1"
                                                " WHERE status = 'active';"
                                                "DELETE FROM rollup.clients_daily"),
                     0);
    int rc = rollup_cmd("--verify", &out);
    ck_assert_msg(rc == 1 && strstr(out, "rollup.clients_status (tenant_id, status) = (") &&
                      strstr(out, "rollup.clients_daily") && strstr(out, "rollup rows differ"),
                  "expected the planted differences reported with exit 1, got %d:\n%s", rc, out);
    free(out);
    ck_assert_int_eq(rollup_cmd("--rebuild", &out), 0);
    free(out);
    rc = rollup_cmd("--verify", &out);
    ck_assert_msg(rc == 0, "after --rebuild, verify exited %d:\n%s", rc, out);
    free(out);
}
END_TEST

/* The daemon's days follow its configured zone: started in Bogotá, the
 * rollups are in Bogotá time, so a client created at 02:00Z counts the day before. */
START_TEST(rollups_follow_the_configured_zone)
{
    char *zone = harness_sql_value("SELECT zone FROM rollup.settings");
    ck_assert_str_eq(zone, TZ_NAME);
    free(zone);
    ck_assert_int_eq(harness_psql(harness_db(),
                                  "INSERT INTO clients (tenant_id, name, created_at)"
                                  " SELECT tenant_id, 'Night owl', '2026-03-02 02:00Z'"
                                  " FROM users WHERE email = 'admin@roll.test'"),
                     0);
    ck_assert_int_eq(
        harness_sql_long("SELECT n FROM rollup.clients_daily WHERE day = '2026-03-01'"), 1);
    char *out = NULL;
    ck_assert_int_eq(rollup_cmd("--bogus", &out), 2);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rollup");
    TCase *tc = harness_tcase(s, "rollup");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, rollups_follow_the_configured_zone);
    tcase_add_test(tc, concurrent_writes_keep_rollups_exact);
    tcase_add_test(tc, verify_finds_a_planted_difference);
    return harness_main(s, "it_rollup", setup);
}
