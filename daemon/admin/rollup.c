/* "onquotad rollup": checks the dashboard rollups against the base tables and rebuilds them. */
#include "admin/rollup.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cli.h"
#include "store/pgutil.h"
#include "xalloc.h"

/* Differences printed per table; the rest are only counted. */
#define ROLLUP_SHOWN_MAX 20

/* Session advisory lock key for rebuilds: "OnQuotaR" as an int64. */
#define ROLLUP_LOCK_KEY "5723601741257400658"

/* Each rollup table, its key columns and whether it has a total column. Its
 * expected content is the view <name>_expected (004_rollups.sql). */
static const struct rollup_table {
    const char *name;
    const char *keys;
    bool has_total;
} rollup_tables[] = {
    {.name = "rollup.quotes_daily",
     .keys = "tenant_id, status, day, sales_rep_id",
     .has_total = true},
    {.name = "rollup.quotes_monthly", .keys = "tenant_id, status, month", .has_total = true},
    {.name = "rollup.expenses_daily",
     .keys = "tenant_id, status, day, category_id",
     .has_total = true},
    {.name = "rollup.expenses_monthly",
     .keys = "tenant_id, status, month, category_id",
     .has_total = true},
    {.name = "rollup.expenses_status", .keys = "tenant_id, status", .has_total = false},
    {.name = "rollup.clients_daily", .keys = "tenant_id, day", .has_total = false},
    {.name = "rollup.clients_status", .keys = "tenant_id, status", .has_total = false},
};

/* Compares one table with its view; prints differences; returns their count or -1. */
static long verify_table(PGconn *conn, const struct rollup_table *t, FILE *out, char **err)
{
    const char *total = t->has_total ? "total" : "NULL::numeric";
    char *sql = xasprintf("WITH r AS (SELECT ROW(%s)::text AS k, n, %s AS total FROM %s"
                          "           WHERE n <> 0 OR %s <> 0),"
                          " e AS (SELECT ROW(%s)::text AS k, n, %s AS total FROM %s_expected)"
                          " SELECT coalesce(r.k, e.k), coalesce(r.n, 0), coalesce(r.total, 0),"
                          "        coalesce(e.n, 0), coalesce(e.total, 0), count(*) OVER ()"
                          " FROM r FULL JOIN e ON r.k = e.k"
                          " WHERE r.n IS DISTINCT FROM e.n OR r.total IS DISTINCT FROM e.total"
                          " ORDER BY 1 LIMIT %d",
                          t->keys, total, t->name, t->has_total ? "total" : "0", t->keys, total,
                          t->name, ROLLUP_SHOWN_MAX);
    PGresult *res = NULL;
    int rc = pg_exec_expect(conn, sql, PGRES_TUPLES_OK, t->name, &res, err);
    free(sql);
    if (rc != 0)
        return -1;
    long n = PQntuples(res) ? atol(PQgetvalue(res, 0, 5)) : 0;
    for (int i = 0; i < PQntuples(res) && i < ROLLUP_SHOWN_MAX; i++) {
        fprintf(out, "%s (%s) = %s: rollup n=%s", t->name, t->keys, PQgetvalue(res, i, 0),
                PQgetvalue(res, i, 1));
        if (t->has_total)
            fprintf(out, " total=%s", PQgetvalue(res, i, 2));
        fprintf(out, ", base tables n=%s", PQgetvalue(res, i, 3));
        if (t->has_total)
            fprintf(out, " total=%s", PQgetvalue(res, i, 4));
        fputc('\n', out);
    }
    if (n > ROLLUP_SHOWN_MAX)
        fprintf(out, "%s: %ld more differences\n", t->name, n - ROLLUP_SHOWN_MAX);
    PQclear(res);
    return n;
}

long rollup_verify(PGconn *conn, FILE *out, char **err)
{
    /* One snapshot for every table, so that concurrent writes cannot show up as differences. */
    if (pg_exec_expect(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", PGRES_COMMAND_OK,
                       "BEGIN", NULL, err) != 0)
        return -1;
    long total = 0;
    for (size_t i = 0; i < sizeof rollup_tables / sizeof rollup_tables[0]; i++) {
        long n = verify_table(conn, &rollup_tables[i], out, err);
        if (n < 0) {
            PQclear(PQexec(conn, "ROLLBACK"));
            return -1;
        }
        total += n;
    }
    PQclear(PQexec(conn, "ROLLBACK"));
    return total;
}

/* Rebuilds inside the caller's transaction, which holds the rebuild lock. */
static int rebuild_locked(PGconn *conn, const char *zone, char **err)
{
    /* SHARE: writers wait (their triggers would race the refill), readers do not. */
    if (pg_exec_expect(conn, "LOCK TABLE quotes, expenses, clients IN SHARE MODE", PGRES_COMMAND_OK,
                       "locking the base tables", NULL, err) != 0)
        return -1;
    const char *p[] = {zone};
    PGresult *res = PQexecParams(conn, "SELECT rollup.rebuild($1)", 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *err = pg_error(conn, res, "rebuilding the rollups");
        PQclear(res);
        return -1;
    }
    PQclear(res);
    return 0;
}

static int begin_locked(PGconn *conn, char **err)
{
    if (pg_exec_expect(conn, "BEGIN", PGRES_COMMAND_OK, "BEGIN", NULL, err) != 0)
        return -1;
    if (pg_exec_expect(conn, "SELECT pg_advisory_xact_lock(" ROLLUP_LOCK_KEY ")", PGRES_TUPLES_OK,
                       "taking the rollup lock", NULL, err) != 0) {
        PQclear(PQexec(conn, "ROLLBACK"));
        return -1;
    }
    return 0;
}

static int finish(PGconn *conn, int rc, char **err)
{
    if (rc != 0) {
        PQclear(PQexec(conn, "ROLLBACK"));
        return -1;
    }
    return pg_exec_expect(conn, "COMMIT", PGRES_COMMAND_OK, "COMMIT", NULL, err);
}

int rollup_rebuild(PGconn *conn, const char *zone, char **err)
{
    if (begin_locked(conn, err) != 0)
        return -1;
    return finish(conn, rebuild_locked(conn, zone, err), err);
}

int rollup_follow_zone(PGconn *conn, const char *zone, bool *rebuilt, char **err)
{
    *rebuilt = false;
    if (begin_locked(conn, err) != 0)
        return -1;
    PGresult *res = NULL;
    /* Read under the lock: another daemon may have just rebuilt for this zone. */
    if (pg_exec_expect(conn, "SELECT zone FROM rollup.settings", PGRES_TUPLES_OK,
                       "reading the rollup zone", &res, err) != 0)
        return finish(conn, -1, err);
    bool same = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), zone);
    PQclear(res);
    int rc = 0;
    if (!same) {
        rc = rebuild_locked(conn, zone, err);
        *rebuilt = rc == 0;
    }
    return finish(conn, rc, err);
}

int cli_rollup(const struct config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"verify", no_argument, NULL, 'v'},
        {"rebuild", no_argument, NULL, 'r'},
        {0, 0, 0, 0},
    };
    const char *use = "onquotad rollup --verify | --rebuild";
    int ch, mode = 0;
    optind = 1;
    opterr = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((ch != 'v' && ch != 'r') || mode) {
            fprintf(stderr, "usage: %s\n", use);
            return 2;
        }
        mode = ch;
    }
    if (!mode || optind != argc) {
        fprintf(stderr, "usage: %s\n", use);
        return 2;
    }
    PGconn *conn = cli_connect(cfg);
    if (!conn)
        return 1;
    char *err = NULL;
    int rc = 1;
    if (mode == 'v') {
        long n = rollup_verify(conn, stdout, &err);
        if (n == 0)
            printf("rollups match the base tables\n");
        else if (n > 0)
            printf("%ld rollup rows differ from the base tables; onquotad rollup --rebuild "
                   "refills them\n",
                   n);
        rc = n == 0 ? 0 : 1;
    } else if (rollup_rebuild(conn, cfg->timezone, &err) == 0) {
        printf("rebuilt the rollups (days in %s)\n", cfg->timezone);
        rc = 0;
    }
    if (err)
        fprintf(stderr, "onquotad: rollup: %s\n", err);
    free(err);
    PQfinish(conn);
    return rc;
}
