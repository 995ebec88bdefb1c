/* bench/dashsql: times every dashboard statement (cold and warm) and writes its EXPLAIN ANALYZE. */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "routes/dashboard_sql.h"
#include "routes/quote_rules.h"

/* Warm executions per statement; the median is reported. */
#define WARM_RUNS 25
#define PARAMS_MAX 12
#define PARAM_LEN 40

/* One statement's call: which one, a label, and its parameters as printf
 * templates over the tenant id ({T}), as_of ({D}), zone ({Z}), year ({Y})
 * and month ({M}); NULL stands for SQL NULL. */
struct call {
    const struct sql_stmt *st;
    const char *label;
    int n;
    const char *params[PARAMS_MAX];
};

static const struct call calls[] = {
    {&dashboard_sql[Q_KPIS], "kpis", 4, {"{T}", "{D}", "{Z}", "es"}},
    {&dashboard_sql[Q_SUMMARY], "summary", 3, {"{T}", "{D}", "{Z}"}},
    {&dashboard_sql[Q_REVENUE_MONTHLY], "revenue-monthly", 4, {"{T}", "{Z}", "es", "{Y}"}},
    {&dashboard_sql[Q_EXPENSES_MONTHLY], "expenses-monthly", 3, {"{T}", "es", "{Y}"}},
    {&dashboard_sql[Q_TOP_CLIENTS],
     "top-clients (current_year)",
     5,
     {"{T}", "{D}", "{Z}", "current_year", "10"}},
    {&dashboard_sql[Q_TOP_CLIENTS],
     "top-clients (all_time)",
     5,
     {"{T}", "{D}", "{Z}", "all_time", "10"}},
    {&dashboard_sql[Q_RECENT_ACTIVITY],
     "recent-activity",
     6,
     {"{T}", "{D}", "{Z}", "es", "20", NULL}},
    {&dashboard_sql[Q_QUOTA_PERFORMANCE],
     "quota-performance",
     5,
     {"{T}", "{D}", "{Z}", "{Y}", "{M}"}},
    /* Not the dashboard: the quotes page of 100 (newest first), first and 50th page, as the
     * daemon sends it without filters (Q_PLAIN) and with the general statement. */
    {&quotes_sql[Q_PLAIN + 1],
     "quotes page 1 of 100 (no filter)",
     6,
     {"{T}", NULL, "100", "0", NULL, NULL}},
    {&quotes_sql[Q_PLAIN + 1],
     "quotes page 50 of 100 (no filter)",
     6,
     {"{T}", NULL, "100", "4900", NULL, NULL}},
    {&quotes_sql[Q_LIST + 1],
     "quotes page 1 of 100 (general statement)",
     12,
     {"{T}", NULL, NULL, NULL, NULL, NULL, NULL, "100", "0", "{Z}", NULL, NULL}},
    {&quotes_sql[Q_LIST + 1],
     "quotes page 50 of 100 (general statement)",
     12,
     {"{T}", NULL, NULL, NULL, NULL, NULL, NULL, "100", "4900", "{Z}", NULL, NULL}},
};

struct vars {
    char tenant[PARAM_LEN], date[PARAM_LEN], zone[PARAM_LEN], year[PARAM_LEN], month[PARAM_LEN];
};

static const char *expand(const char *tpl, const struct vars *v)
{
    if (!tpl)
        return NULL;
    if (!strcmp(tpl, "{T}"))
        return v->tenant;
    if (!strcmp(tpl, "{D}"))
        return v->date;
    if (!strcmp(tpl, "{Z}"))
        return v->zone;
    if (!strcmp(tpl, "{Y}"))
        return v->year;
    if (!strcmp(tpl, "{M}"))
        return v->month;
    return tpl;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Executes the prepared statement once; returns its wall time in ms, or -1. */
static double exec_once(PGconn *conn, const char *name, int n, const char *const *p)
{
    double t0 = now_ms();
    PGresult *r = PQexecPrepared(conn, name, n, p, NULL, NULL, 0);
    double ms = now_ms() - t0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "dashsql: %s: %s", name, PQresultErrorMessage(r));
        ms = -1;
    }
    PQclear(r);
    return ms;
}

/* Writes EXPLAIN (ANALYZE, BUFFERS) EXECUTE of the statement to out. */
static void explain(PGconn *conn, const struct call *c, const char *const *p, FILE *out)
{
    char sql[1024];
    size_t len =
        (size_t)snprintf(sql, sizeof sql, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE %s(", c->st->name);
    for (int i = 0; i < c->n; i++) {
        char *lit = p[i] ? PQescapeLiteral(conn, p[i], strlen(p[i])) : NULL;
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s", i ? ", " : "",
                                lit ? lit : "NULL");
        PQfreemem(lit);
    }
    snprintf(sql + len, sizeof sql - len, ")");
    PGresult *r = PQexec(conn, sql);
    fprintf(out, "### %s\n\n```\n", c->label);
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++)
        fprintf(out, "%s\n", PQgetvalue(r, i, 0));
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(out, "error: %s", PQresultErrorMessage(r));
    fprintf(out, "```\n\n");
    PQclear(r);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: dashsql CONNINFO DOMAIN [ZONE [EXPLAIN_FILE]]\n"
                "Prints a markdown row per dashboard statement: cold (first run on a\n"
                "new connection) and warm (median of %d) ms, for the tenant DOMAIN.\n",
                WARM_RUNS);
        return 2;
    }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "dashsql: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 1;
    }
    /* DASHSQL_PLAN=force_generic_plan (or force_custom_plan) compares plan caching modes. */
    const char *mode = getenv("DASHSQL_PLAN");
    if (mode) {
        const char *mp[] = {mode};
        PQclear(PQexecParams(conn, "SELECT set_config('plan_cache_mode', $1, false)", 1, NULL, mp,
                             NULL, NULL, 0));
    }
    struct vars v = {0};
    snprintf(v.zone, sizeof v.zone, "%s", argc > 3 ? argv[3] : "UTC");
    const char *tp[] = {argv[2], v.zone};
    PGresult *r = PQexecParams(conn,
                               "SELECT id, (now() AT TIME ZONE $2)::date,"
                               " extract(year FROM now() AT TIME ZONE $2),"
                               " extract(month FROM now() AT TIME ZONE $2)"
                               " FROM tenants WHERE domain = $1",
                               2, NULL, tp, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        fprintf(stderr, "dashsql: no tenant with domain %s\n", argv[2]);
        PQclear(r);
        PQfinish(conn);
        return 1;
    }
    snprintf(v.tenant, sizeof v.tenant, "%s", PQgetvalue(r, 0, 0));
    snprintf(v.date, sizeof v.date, "%s", PQgetvalue(r, 0, 1));
    snprintf(v.year, sizeof v.year, "%s", PQgetvalue(r, 0, 2));
    snprintf(v.month, sizeof v.month, "%s", PQgetvalue(r, 0, 3));
    PQclear(r);
    FILE *ex = argc > 4 ? fopen(argv[4], "w") : NULL;
    int rc = 0;

    printf("| statement | cold ms | warm ms (median of %d) |\n| --- | ---: | ---: |\n", WARM_RUNS);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        const struct call *c = &calls[i];
        const char *p[PARAMS_MAX];
        for (int k = 0; k < c->n; k++)
            p[k] = expand(c->params[k], &v);
        const struct sql_stmt *st = c->st;
        r = PQprepare(conn, st->name, st->sql, 0, NULL);
        bool prepared = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!prepared)
            fprintf(stderr, "dashsql: prepare %s: %s", st->name, PQresultErrorMessage(r));
        PQclear(r);
        if (!prepared) {
            rc = 1;
            continue;
        }
        double cold = exec_once(conn, st->name, c->n, p), warm[WARM_RUNS];
        for (int k = 0; k < WARM_RUNS; k++)
            warm[k] = exec_once(conn, st->name, c->n, p);
        qsort(warm, WARM_RUNS, sizeof warm[0], cmp_double);
        printf("| %s | %.2f | %.2f |\n", c->label, cold, warm[WARM_RUNS / 2]);
        if (cold < 0 || warm[0] < 0)
            rc = 1;
        if (ex)
            explain(conn, c, p, ex);
        PQclear(PQexec(conn, "DEALLOCATE ALL"));
    }
    if (ex)
        fclose(ex);
    PQfinish(conn);
    return rc;
}
