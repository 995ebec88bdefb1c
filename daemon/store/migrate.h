/* migrate.h: applies and checks the SQL migrations embedded in the daemon binary. */
#ifndef ONQUOTA_MIGRATE_H
#define ONQUOTA_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

/* One numbered migration file, e.g. {1, "001_initial.sql", "CREATE TYPE ..."}. */
struct migration_file {
    int version;      /* from the file name prefix; strictly increasing in the table */
    const char *name; /* base name, used in every message */
    const char *sql;  /* the file's text, byte for byte; its SHA-256 is the checksum */
};

/* Generated at build time by embed_sql.py (migrations_embedded.c). */
extern const struct migration_file migrations_embedded[];
extern const size_t migrations_embedded_count;

/*
 * Applies every pending migration of migrations_embedded[] in version order.
 *
 * Serialised across processes by a session advisory lock, taken on entry and
 * released before returning (also on failure), so several instances starting
 * at once are safe. Creates schema_migrations if missing. Each pending file
 * runs in its own transaction together with its schema_migrations row; a
 * failure rolls that file back and stops. An applied file whose checksum
 * differs stops everything before any later file runs.
 *
 * Prints "applied NNN_name.sql" per file, or "up to date", to `out` (may be
 * NULL). `conn` must be idle (no open transaction).
 *
 * Returns 0 on success; -1 with *err set to a malloc'd message naming the
 * file (the caller frees it).
 */
int migrate_apply(PGconn *conn, FILE *out, char **err);

/*
 * Prints one line per migration to `out` (may be NULL): version, name and
 * "applied <UTC timestamp>", "pending" or "CHANGED" (checksum mismatch).
 * Applied versions this binary does not know are listed as "applied ...
 * (unknown to this binary)" and are not an error. Read-only: it creates
 * nothing.
 *
 * Returns 0 when everything is applied and unchanged, 1 when something is
 * pending or changed, -1 on a database error (*err malloc'd, caller frees).
 */
int migrate_status(PGconn *conn, FILE *out, char **err);

/*
 * For daemon start: returns 0 when every embedded migration is applied with
 * a matching checksum. Otherwise -1 with *err (malloc'd, caller frees) naming
 * the first offending file, e.g. "migration 002_x.sql is pending; run
 * onquotad migrate" or "migration 001_initial.sql has changed since it was
 * applied (checksum mismatch)". Read-only.
 */
int migrate_check(PGconn *conn, char **err);

/*
 * The same three operations over an explicit list of `n` files instead of
 * migrations_embedded[]; the list must be sorted by strictly increasing
 * version (checked: -1 otherwise). For tests and tools.
 */
int migrate_apply_files(PGconn *conn, const struct migration_file *files, size_t n, FILE *out,
                        char **err);
int migrate_status_files(PGconn *conn, const struct migration_file *files, size_t n, FILE *out,
                         char **err);
int migrate_check_files(PGconn *conn, const struct migration_file *files, size_t n, char **err);

/*
 * Writes the SHA-256 of `sql` as 64 lower-case hex digits plus NUL into
 * `hex`. Returns 0, or -1 if OpenSSL fails. Exposed for tests and tools.
 */
int migrate_checksum(const char *sql, char hex[65]);

#endif
