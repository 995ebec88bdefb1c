/* Applies the embedded SQL migrations under an advisory lock; verifies checksums. */
#include "store/migrate.h"
#include "store/pgutil.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* Session advisory lock key shared by every onquotad: "OnQuotaM" as an int64. */
#define MIGRATE_LOCK_KEY "5723601741257400653"

#define CREATE_SCHEMA_MIGRATIONS                                                                   \
    "CREATE TABLE IF NOT EXISTS schema_migrations ("                                               \
    " version integer PRIMARY KEY,"                                                                \
    " name text NOT NULL,"                                                                         \
    " checksum text NOT NULL,"                                                                     \
    " applied_at timestamptz NOT NULL DEFAULT now())"

enum mig_state { MIG_APPLIED, MIG_PENDING, MIG_CHANGED };

/* 1-based line of the 1-based character position `pos` in `sql` (UTF-8). */
static int line_of_position(const char *sql, long pos)
{
    int line = 1;
    long chars = 0;

    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        if ((*p & 0xC0) != 0x80 && ++chars >= pos)
            break;
        if (*p == '\n')
            line++;
    }
    return line;
}

/* --------------------------------------------------------------- checksum */

int migrate_checksum(const char *sql, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    static const char digits[] = "0123456789abcdef";

    if (!EVP_Digest(sql, strlen(sql), md, &len, EVP_sha256(), NULL) || len != 32)
        return -1;
    for (unsigned int i = 0; i < len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 0xF];
    }
    hex[64] = '\0';
    return 0;
}

/* --------------------------------------------------- schema_migrations rows */

/* Loads the applied rows ordered by version: version, checksum, applied_at
 * (UTC text), name. Sets *out to NULL when schema_migrations does not exist. */
static int load_applied(PGconn *conn, PGresult **out, char **err)
{
    PGresult *res;
    int exists;

    *out = NULL;
    res = PQexec(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        char *m = pg_error(conn, res, NULL);
        *err = xasprintf("reading schema_migrations: %s", m);
        free(m);
        PQclear(res);
        return -1;
    }
    exists = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!exists)
        return 0;

    res = PQexec(conn, "SELECT version, checksum,"
                       " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                       " name FROM schema_migrations ORDER BY version");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        char *m = pg_error(conn, res, NULL);
        *err = xasprintf("reading schema_migrations: %s", m);
        free(m);
        PQclear(res);
        return -1;
    }
    *out = res;
    return 0;
}

/* Row of `version` in `applied` (may be NULL), or -1. */
static int find_applied(const PGresult *applied, int version)
{
    int n = applied ? PQntuples(applied) : 0;

    for (int i = 0; i < n; i++)
        if (atoi(PQgetvalue(applied, i, 0)) == version)
            return i;
    return -1;
}

/* Classifies `f` against the applied rows; *row gets its row or -1. */
static int file_state(const PGresult *applied, const struct migration_file *f,
                      enum mig_state *state, int *row, char **err)
{
    char hex[65];

    *row = find_applied(applied, f->version);
    if (*row < 0) {
        *state = MIG_PENDING;
        return 0;
    }
    if (migrate_checksum(f->sql, hex) != 0) {
        *err = xasprintf("migration %s: SHA-256 failed", f->name);
        return -1;
    }
    *state = strcmp(hex, PQgetvalue(applied, *row, 1)) == 0 ? MIG_APPLIED : MIG_CHANGED;
    return 0;
}

static int check_order(const struct migration_file *files, size_t n, char **err)
{
    for (size_t i = 0; i < n; i++) {
        if (files[i].version <= 0 || (i > 0 && files[i].version <= files[i - 1].version)) {
            *err =
                xasprintf("migration %s: versions must be positive and increasing", files[i].name);
            return -1;
        }
    }
    return 0;
}

static char *changed_message(const struct migration_file *f)
{
    return xasprintf("migration %s has changed since it was applied (checksum mismatch)", f->name);
}

/* Fails (-1 with *err) at the first of files that changed since it was
 * applied, or, unless pending_ok, that is still pending; else 0. */
static int verify_files(const PGresult *applied, const struct migration_file *files, size_t n,
                        bool pending_ok, char **err)
{
    for (size_t i = 0; i < n; i++) {
        enum mig_state st;
        int row;
        if (file_state(applied, &files[i], &st, &row, err) != 0)
            return -1;
        if (st == MIG_PENDING && !pending_ok) {
            *err = xasprintf("migration %s is pending; run onquotad migrate", files[i].name);
            return -1;
        }
        if (st == MIG_CHANGED) {
            *err = changed_message(&files[i]);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ apply */

/* Runs one file and records it, in one transaction; rolls back on failure. */
static int apply_one(PGconn *conn, const struct migration_file *f, char **err)
{
    char hex[65], version[16];
    const char *params[3];
    PGresult *res = NULL;
    int rc = -1;

    if (migrate_checksum(f->sql, hex) != 0) {
        *err = xasprintf("migration %s: SHA-256 failed", f->name);
        return -1;
    }
    if (pg_exec_expect(conn, "BEGIN", PGRES_COMMAND_OK, "BEGIN", NULL, err) != 0)
        return -1;

    res = PQexec(conn, f->sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK &&
        PQresultStatus(res) != PGRES_EMPTY_QUERY) {
        const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
        char *m = pg_error(conn, res, NULL);
        if (pos)
            *err = xasprintf("migration %s failed at line %d: %s", f->name,
                             line_of_position(f->sql, atol(pos)), m);
        else
            *err = xasprintf("migration %s failed: %s", f->name, m);
        free(m);
        goto out;
    }
    PQclear(res);

    snprintf(version, sizeof version, "%d", f->version);
    params[0] = version;
    params[1] = f->name;
    params[2] = hex;
    res = PQexecParams(
        conn, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", 3,
        NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        char *m = pg_error(conn, res, NULL);
        *err = xasprintf("migration %s: recording it failed: %s", f->name, m);
        free(m);
        goto out;
    }
    if (pg_exec_expect(conn, "COMMIT", PGRES_COMMAND_OK, "COMMIT", NULL, err) != 0)
        goto out;
    rc = 0;
out:
    PQclear(res);
    if (rc != 0 && PQtransactionStatus(conn) != PQTRANS_IDLE)
        PQclear(PQexec(conn, "ROLLBACK"));
    return rc;
}

int migrate_apply_files(PGconn *conn, const struct migration_file *files, size_t n, FILE *out,
                        char **err)
{
    PGresult *applied = NULL;
    int rc = -1, locked = 0, applied_any = 0;

    *err = NULL;
    if (check_order(files, n, err) != 0)
        goto out;
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
        *err = xasprintf("migrate: the connection is inside a transaction");
        goto out;
    }
    if (pg_exec_expect(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", PGRES_TUPLES_OK,
                       "taking the migration lock", NULL, err) != 0)
        goto out;
    locked = 1;

    /* IF NOT EXISTS alone would print a NOTICE on every run; ask first. */
    if (load_applied(conn, &applied, err) != 0)
        goto out;
    if (!applied) {
        if (pg_exec_expect(conn, CREATE_SCHEMA_MIGRATIONS, PGRES_COMMAND_OK,
                           "creating schema_migrations", NULL, err) != 0)
            goto out;
        if (load_applied(conn, &applied, err) != 0)
            goto out;
    }

    /* Verify every applied file first, so that nothing runs on a tampered history. */
    if (verify_files(applied, files, n, true, err) != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (find_applied(applied, files[i].version) >= 0)
            continue;
        if (apply_one(conn, &files[i], err) != 0)
            goto out;
        applied_any = 1;
        if (out)
            fprintf(out, "applied %s\n", files[i].name);
    }
    if (!applied_any && out)
        fprintf(out, "up to date\n");
    rc = 0;
out:
    PQclear(applied);
    if (locked) {
        char *uerr = NULL;
        if (PQtransactionStatus(conn) == PQTRANS_INERROR ||
            PQtransactionStatus(conn) == PQTRANS_INTRANS)
            PQclear(PQexec(conn, "ROLLBACK"));
        /* A dead connection drops the session lock by itself. */
        if (pg_exec_expect(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", PGRES_TUPLES_OK,
                           "releasing the migration lock", NULL, &uerr) != 0 &&
            rc == 0) {
            *err = uerr;
            uerr = NULL;
            rc = -1;
        }
        free(uerr);
    }
    return rc;
}

int migrate_apply(PGconn *conn, FILE *out, char **err)
{
    return migrate_apply_files(conn, migrations_embedded, migrations_embedded_count, out, err);
}

/* ------------------------------------------------------------ status, check */

int migrate_status_files(PGconn *conn, const struct migration_file *files, size_t n, FILE *out,
                         char **err)
{
    PGresult *applied = NULL;
    int rc = -1, dirty = 0, nrows;
    size_t i = 0;
    int r = 0;

    *err = NULL;
    if (check_order(files, n, err) != 0 || load_applied(conn, &applied, err) != 0)
        goto out;
    nrows = applied ? PQntuples(applied) : 0;

    /* Merge walk: both lists are sorted by version. */
    while (i < n || r < nrows) {
        int rv = r < nrows ? atoi(PQgetvalue(applied, r, 0)) : 0;
        if (i < n && (r >= nrows || files[i].version <= rv)) {
            enum mig_state st;
            int row;
            if (file_state(applied, &files[i], &st, &row, err) != 0)
                goto out;
            if (out && st == MIG_APPLIED)
                fprintf(out, "%03d  %-32s  applied %s\n", files[i].version, files[i].name,
                        PQgetvalue(applied, row, 2));
            else if (out)
                fprintf(out, "%03d  %-32s  %s\n", files[i].version, files[i].name,
                        st == MIG_PENDING ? "pending" : "CHANGED");
            dirty |= st != MIG_APPLIED;
            if (row >= 0)
                r++;
            i++;
        } else {
            if (out)
                fprintf(out, "%03d  %-32s  applied %s (unknown to this binary)\n", rv,
                        PQgetvalue(applied, r, 3), PQgetvalue(applied, r, 2));
            r++;
        }
    }
    rc = dirty ? 1 : 0;
out:
    PQclear(applied);
    return rc;
}

int migrate_status(PGconn *conn, FILE *out, char **err)
{
    return migrate_status_files(conn, migrations_embedded, migrations_embedded_count, out, err);
}

int migrate_check_files(PGconn *conn, const struct migration_file *files, size_t n, char **err)
{
    PGresult *applied = NULL;
    int rc = -1;

    *err = NULL;
    if (check_order(files, n, err) != 0 || load_applied(conn, &applied, err) != 0 ||
        verify_files(applied, files, n, false, err) != 0)
        goto out;
    rc = 0;
out:
    PQclear(applied);
    return rc;
}

int migrate_check(PGconn *conn, char **err)
{
    return migrate_check_files(conn, migrations_embedded, migrations_embedded_count, err);
}
