/* PostgreSQL access for one worker: prepared statements, timing, counting, reconnection. */
#ifndef ONQUOTA_DB_H
#define ONQUOTA_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

/* A statement prepared on a connection when it opens. Modules declare them
 * in NULL-name-terminated tables; whoever creates a handle says which tables
 * it prepares (registry.c lists every table for the request workers). */
struct sql_stmt {
    const char *name; /* unique, e.g. "auth_token_lookup" */
    const char *sql;  /* with $1..$n placeholders */
};

enum db_status {
    DB_OK = 0,
    DB_UNAVAILABLE, /* no connection (down, or inside the reconnect backoff) */
    DB_TIMEOUT,     /* statement_timeout or lock_timeout fired (57014, 55P03) */
    DB_UNIQUE,      /* unique violation (23505) */
    DB_FOREIGN_KEY, /* foreign key violation (23503) */
    DB_CHECK,       /* check or not-null violation (23514, 23502), bad input (22xxx) */
    DB_ERROR,       /* anything else */
};

struct db;

/* Creates a handle for conninfo (libpq syntax). Does not connect: the first
 * query does. statement_timeout_ms is set on every connection, and every
 * statement of prepare (a NULL-terminated list of tables, or NULL for none;
 * borrowed, it must outlive the handle) is prepared when a connection opens.
 * The handle belongs to one thread at a time. */
struct db *db_new(const char *conninfo, int statement_timeout_ms, const char *app_name,
                  const struct sql_stmt *const *prepare);
void db_free(struct db *db);

/* Runs a prepared statement with text parameters (NULL = SQL null). On DB_OK
 * *out is the result, which the caller frees with PQclear. On failure *out is
 * NULL; db_last_error() describes it (never shown to clients). A broken
 * connection is dropped and re-opened on a later call, no sooner than the
 * backoff (100 ms doubling to 2 s) allows. Counts one query. */
enum db_status db_exec(struct db *db, const struct sql_stmt *st, int nparams,
                       const char *const *params, PGresult **out);

/* Runs a plain statement without parameters (BEGIN, COMMIT, ROLLBACK, ...).
 * Counts one query. */
enum db_status db_simple(struct db *db, const char *sql);

/* The transaction helpers: db_begin() then db_commit() or db_rollback().
 * A failed commit returns its status; rollback never fails loudly. */
enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);

/* Statements executed and milliseconds spent since the last reset; the
 * request pipeline resets before each request and reads after. */
void db_counters_reset(struct db *db);
int db_query_count(const struct db *db);
double db_query_ms(const struct db *db);

/* True when the connection is open and idle. */
bool db_connected(const struct db *db);
/* Connects now if not connected (respecting the backoff). */
enum db_status db_ensure(struct db *db);
const char *db_last_error(const struct db *db);

/* Readiness check: SELECT 1 with its own timeout in ms, using an async send
 * and poll so a dead or stuck server cannot hold the caller longer. Returns
 * DB_OK and the round-trip latency in *ms, or an error with a short reason in
 * db_last_error(). Not counted as a request query. */
enum db_status db_ping(struct db *db, int timeout_ms, double *ms);

/* Read replica fallback: primary (borrowed, owned by the same thread) takes
 * db_exec's statements whenever the replica db is down (see
 * db_read_replica_up), in its reconnect backoff, or when a statement finds
 * no connection on it; that first failure is retried on primary at once and
 * marks the replica down for every handle. db_simple and transactions stay
 * on db. */
void db_set_fallback(struct db *db, struct db *primary);

/* True while dashboard reads go to the replica (also with no replica). */
bool db_read_replica_up(void);

/* The readiness probe's verdict on the replica: up (reads go back to it) or
 * down, with a short reason for the log. Logs each switch. Thread-safe. */
void db_read_replica_set_up(bool up, const char *why);

/* Number of handles connected right now (for /metrics' pool gauges). */
int db_open_connections(void);

#endif
