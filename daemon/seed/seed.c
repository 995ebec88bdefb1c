/* "onquotad seed --demo": one transaction of COPYs, then demo logins and an API token. */
#include "seed/seed.h"
#include "seed/gen.h"

#include "password.h"
#include "store/pgutil.h"
#include "token.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Transaction advisory lock key: "OnQuotaS" as an int64. */
#define SEED_LOCK_KEY "5723601741257400659"
#define DEMO_TENANTS "SELECT id FROM tenants WHERE domain IN ('acme.example', 'borealis.example')"

/* ----------------------------------------------------------------- COPY */

static int copy_write(void *ctx, const char *data, size_t len)
{
    return PQputCopyData(ctx, data, (int)len) == 1 ? 0 : -1;
}

/* Streams one generated table through COPY FROM STDIN; *rows gets its size. */
static int copy_table(PGconn *conn, struct seedgen *g, const struct seed_table *t, long *rows,
                      char **err)
{
    struct seed_sink sink = {copy_write, conn};
    PGresult *res;
    int rc = 0;

    if (pg_exec_expect(conn, t->copy_sql, PGRES_COPY_IN, t->name, NULL, err) != 0)
        return -1;
    *rows = t->emit(g, &sink);
    if (PQputCopyEnd(conn, *rows < 0 ? "row generation failed" : NULL) != 1)
        rc = -1;
    while ((res = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && !*err)
            *err = pg_error(conn, res, t->name);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = -1;
        PQclear(res);
    }
    if (rc != 0 && !*err)
        *err = pg_error(conn, NULL, t->name);
    return rc;
}

/* ------------------------------------------------------ password, token */

/* yescrypt hash of `password` (malloc'd), computed once for every demo user. */
static int token_store(PGconn *conn, const unsigned char hash[32], char **err)
{
    const char *values[1] = {(const char *)hash};
    const int lengths[1] = {32}, formats[1] = {1};
    const Oid types[1] = {17}; /* bytea */
    PGresult *res;
    int rc = 0;

    res = PQexecParams(conn,
                       "INSERT INTO auth_tokens (tenant_id, user_id, name, kind, token_hash,"
                       " expires_at) SELECT tenant_id, id, 'demo', 'api', $1,"
                       " now() + interval '30 days' FROM users WHERE email = 'admin@acme.example'",
                       1, types, values, lengths, formats, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        *err = pg_error(conn, res, "storing the API token");
        rc = -1;
    } else if (strcmp(PQcmdTuples(res), "1") != 0) {
        *err = xasprintf("storing the API token: admin@acme.example not found");
        rc = -1;
    }
    PQclear(res);
    return rc;
}

/* Writes "token\n" to `path`, mode 0600 even if the file existed. */
static int token_write_file(const char *path, const char *token, char **err)
{
    char line[TOKEN_LEN + 2];
    size_t len = (size_t)snprintf(line, sizeof line, "%s\n", token), off = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    int rc = -1;

    if (fd < 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0600) != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        goto out;
    }
    while (off < len) {
        ssize_t n = write(fd, line + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err = xasprintf("%s: %s", path, strerror(errno));
            goto out;
        }
        off += (size_t)n;
    }
    rc = 0;
out:
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        rc = -1;
    }
    if (fd >= 0 && rc != 0)
        unlink(path); /* never leave a half-written token behind */
    explicit_bzero(line, sizeof line);
    return rc;
}

/* ------------------------------------------------------------- the seed */

/*
 * When the database holds nothing but the demo tenants (a demo or benchmark
 * database), empties the tables with TRUNCATE: DELETE would leave a million
 * dead index entries that the reload then wades through at half speed.
 * Returns 1 when it did, 0 when the caller must delete instead.
 */
static int try_truncate(PGconn *conn, char **err)
{
    PGresult *res = NULL;
    char *ignored = NULL;
    long others;

    if (pg_exec_expect(conn,
                       "SELECT count(*) FROM tenants WHERE domain IS NULL"
                       " OR domain NOT IN ('acme.example', 'borealis.example')",
                       PGRES_TUPLES_OK, "looking for other tenants", &res, err) != 0)
        return -1;
    others = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (others > 0)
        return 0;
    if (pg_exec_expect(conn, "SAVEPOINT seed_truncate", PGRES_COMMAND_OK, "SAVEPOINT", NULL, err) !=
        0)
        return -1;
    /* Fails without the TRUNCATE privilege, or if a later table references these. */
    if (pg_exec_expect(conn,
                       "TRUNCATE auth_tokens, quote_items, quotes, expenses, expense_categories,"
                       " quotas, vehicles, clients, users, tenants",
                       PGRES_COMMAND_OK, "TRUNCATE", NULL, &ignored) != 0) {
        free(ignored);
        return pg_exec_expect(conn, "ROLLBACK TO SAVEPOINT seed_truncate", PGRES_COMMAND_OK,
                              "ROLLBACK TO SAVEPOINT", NULL, err);
    }
    return pg_exec_expect(conn, "RELEASE SAVEPOINT seed_truncate", PGRES_COMMAND_OK, "RELEASE",
                          NULL, err) == 0
               ? 1
               : -1;
}

/* Deletes both demo tenants and all their rows, children first. */
static int reset_demo(PGconn *conn, char **err)
{
    static const char *const tables[] = {
        "auth_tokens", "quote_items", "quotes",  "expenses", "expense_categories",
        "quotas",      "vehicles",    "clients", "users",
    };
    char sql[256];
    int rc = try_truncate(conn, err);

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE tenant_id IN (" DEMO_TENANTS ")",
                 tables[i]);
        if (pg_exec_expect(conn, sql, PGRES_COMMAND_OK, "removing the old demo data", NULL, err) !=
            0)
            return -1;
    }
    return pg_exec_expect(conn, "DELETE FROM tenants WHERE id IN (" DEMO_TENANTS ")",
                          PGRES_COMMAND_OK, "removing the old demo data", NULL, err);
}

/* Refuses, or resets, when demo tenants exist. */
static int check_existing(PGconn *conn, bool reset, char **err)
{
    PGresult *res = NULL;
    int n;

    if (pg_exec_expect(conn, DEMO_TENANTS " FOR UPDATE", PGRES_TUPLES_OK, "looking for demo data",
                       &res, err) != 0)
        return -1;
    n = PQntuples(res);
    PQclear(res);
    if (n == 0)
        return 0;
    if (!reset) {
        *err = xasprintf("the demo tenants (acme.example, borealis.example) already exist;"
                         " use --reset to replace them");
        return -1;
    }
    return reset_demo(conn, err);
}

/* Today (days since 1970-01-01) and seconds since midnight, in UTC, at transaction start. */
static int fetch_today(PGconn *conn, int32_t *today, int32_t *now_sec, char **err)
{
    PGresult *res = NULL;

    if (pg_exec_expect(conn,
                       "SELECT (now() AT TIME ZONE 'UTC')::date - DATE '1970-01-01',"
                       " floor(extract(epoch FROM (now() AT TIME ZONE 'UTC')::time))::int",
                       PGRES_TUPLES_OK, "reading the date", &res, err) != 0)
        return -1;
    *today = (int32_t)atol(PQgetvalue(res, 0, 0));
    *now_sec = (int32_t)atol(PQgetvalue(res, 0, 1));
    PQclear(res);
    return 0;
}

static double elapsed_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_summary(FILE *out, const struct seed_opts *o, const long *rows, double secs)
{
    fprintf(out, "loaded demo data (scale %d, seed %lu) in %.2f s:", o->scale, o->seed, secs);
    for (size_t i = 0; i < seed_ntables; i++)
        fprintf(out, "%s %s %ld", i ? "," : "", seed_tables[i].name, rows[i]);
    /* A chosen password is not echoed; the default one is the documented "demo". */
    fprintf(out, "\ndemo logins (password: %s):\n",
            !o->password || strcmp(o->password, "demo") == 0 ? "demo" : "as given by --password");
    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tenant_def *def = &seed_tenants[ti];
        fprintf(out, "  %s\n", def->company_name);
        for (int u = 0; u < SEED_USERS; u++) {
            char email[128];
            snprintf(email, sizeof email, "%s@%s", def->users[u].local, def->domain);
            fprintf(out, "    %-28s %-11s %s\n", email, def->users[u].role,
                    def->users[u].full_name);
        }
    }
    if (o->token_file)
        fprintf(out, "API token for admin@acme.example (30 days) written to %s\n", o->token_file);
}

int seed_demo(PGconn *conn, const struct seed_opts *o, char **err)
{
    struct seedgen *g = NULL;
    char *pwhash = NULL, token[TOKEN_LEN + 1] = "";
    unsigned char hash[32];
    long rows[16] = {0};
    int32_t today, now_sec;
    int rc = -1, in_tx = 0, token_written = 0;
    struct timespec t0;

    *err = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (o->scale < 1 || o->scale > 1000) {
        *err = xasprintf("seed: scale must be between 1 and 1000, not %d", o->scale);
        goto out;
    }
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
        *err = xasprintf("seed: the connection is inside a transaction");
        goto out;
    }
    /* Hash before BEGIN: yescrypt is deliberately slow; hold no locks meanwhile. */
    pwhash = password_hash(o->password ? o->password : "demo", err);
    if (!pwhash)
        goto out;

    if (pg_exec_expect(conn, "BEGIN", PGRES_COMMAND_OK, "BEGIN", NULL, err) != 0)
        goto out;
    in_tx = 1;
    if (pg_exec_expect(conn, "SET LOCAL client_encoding = 'UTF8'", PGRES_COMMAND_OK, "seed", NULL,
                       err) != 0 ||
        pg_exec_expect(conn, "SELECT pg_advisory_xact_lock(" SEED_LOCK_KEY ")", PGRES_TUPLES_OK,
                       "taking the seed lock", NULL, err) != 0 ||
        check_existing(conn, o->reset, err) != 0 || fetch_today(conn, &today, &now_sec, err) != 0)
        goto out;

    g = seedgen_new(o->scale, (uint64_t)o->seed, today, now_sec, pwhash);
    for (size_t i = 0; i < seed_ntables && i < sizeof rows / sizeof rows[0]; i++)
        if (copy_table(conn, g, &seed_tables[i], &rows[i], err) != 0)
            goto out;
    /* Fresh statistics, so that the first dashboard queries already use the indexes. */
    if (pg_exec_expect(conn,
                       "ANALYZE tenants, users, clients, quotes, quote_items, expenses, quotas,"
                       " rollup.quotes_daily, rollup.quotes_monthly, rollup.expenses_daily,"
                       " rollup.expenses_monthly, rollup.clients_daily",
                       PGRES_COMMAND_OK, "ANALYZE", NULL, err) != 0)
        goto out;

    if (o->token_file) {
        if (token_generate(token) != 0) {
            *err = xasprintf("getrandom: %s", strerror(errno));
            goto out;
        }
        token_sha256(token, hash);
        if (token_store(conn, hash, err) != 0 || token_write_file(o->token_file, token, err) != 0)
            goto out;
        token_written = 1;
    }
    in_tx = 0;
    if (pg_exec_expect(conn, "COMMIT", PGRES_COMMAND_OK, "COMMIT", NULL, err) != 0)
        goto out;
    if (o->out)
        print_summary(o->out, o, rows, elapsed_since(&t0));
    rc = 0;
out:
    if (in_tx && PQtransactionStatus(conn) != PQTRANS_IDLE)
        PQclear(PQexec(conn, "ROLLBACK"));
    if (rc != 0 && token_written)
        unlink(o->token_file);
    explicit_bzero(token, sizeof token);
    if (pwhash) {
        explicit_bzero(pwhash, strlen(pwhash));
        free(pwhash);
    }
    seedgen_free(g);
    return rc;
}
