/* PostgreSQL access for one worker: prepared statements, timing, counting, reconnection. */
#include "store/db.h"

#include <cjson/cJSON.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "runtime/metrics.h"
#include "timeutil.h"
#include "xalloc.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define CONNECT_TIMEOUT_MS 2000

struct db {
    char *conninfo;
    char *app_name;
    int statement_timeout_ms;
    const struct sql_stmt *const *prepare; /* borrowed; NULL = none */
    PGconn *conn;
    bool in_tx;
    int backoff_ms;
    double next_attempt; /* time_mono() before which we do not reconnect */
    int queries;
    double ms;
    char err[256];
    struct db *fallback; /* a replica handle: the primary its reads fall back to */
};

/* The read replica, shared by every worker's replica handle: up until a
 * read on it fails, then down (reads go to the primary) until a readiness
 * probe reaches it again. */
static atomic_bool replica_down;

static atomic_int open_connections;

int db_open_connections(void)
{
    return atomic_load(&open_connections);
}

struct db *db_new(const char *conninfo, int statement_timeout_ms, const char *app_name,
                  const struct sql_stmt *const *prepare)
{
    struct db *db = xcalloc(1, sizeof *db);
    db->conninfo = xstrdup(conninfo);
    db->app_name = xstrdup(app_name);
    db->statement_timeout_ms = statement_timeout_ms;
    db->prepare = prepare;
    db->backoff_ms = BACKOFF_MIN_MS;
    return db;
}

static void db_drop(struct db *db)
{
    if (db->conn) {
        PQfinish(db->conn);
        db->conn = NULL;
        atomic_fetch_sub(&open_connections, 1);
    }
    db->in_tx = false;
}

void db_free(struct db *db)
{
    if (!db)
        return;
    db_drop(db);
    free(db->conninfo);
    free(db->app_name);
    free(db);
}

static void set_err(struct db *db, const char *msg)
{
    snprintf(db->err, sizeof db->err, "%s", msg && *msg ? msg : "unknown error");
    /* libpq messages end in a newline; keep logs to one line. */
    for (char *p = db->err; *p; p++)
        if (*p == '\n')
            *p = ' ';
    size_t n = strlen(db->err);
    while (n && db->err[n - 1] == ' ')
        db->err[--n] = '\0';
}

const char *db_last_error(const struct db *db)
{
    return db->err;
}

bool db_connected(const struct db *db)
{
    return db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

/* Waits for the socket to be ready as libpq asks, until deadline. */
static bool wait_socket(PGconn *conn, bool for_write, double deadline)
{
    double left = deadline - time_mono();
    if (left <= 0)
        return false;
    struct pollfd pfd = {.fd = PQsocket(conn), .events = for_write ? POLLOUT : POLLIN};
    int rc = poll(&pfd, 1, (int)(left * 1000) + 1);
    return rc > 0;
}

/* Opens a connection within timeout_ms and prepares every registered
 * statement. Non-blocking connect so a silent server cannot hold us. With
 * bounded, the prepares too end by timeout_ms (else by statement_timeout). */
static enum db_status db_connect(struct db *db, int timeout_ms, bool bounded)
{
    char options[96];
    snprintf(options, sizeof options, "-c statement_timeout=%d -c TimeZone=UTC",
             db->statement_timeout_ms);
    const char *keys[] = {"dbname", "application_name", "options", NULL};
    const char *vals[] = {db->conninfo, db->app_name, options, NULL};
    double deadline = time_mono() + timeout_ms / 1000.0;

    PGconn *conn = PQconnectStartParams(keys, vals, 1);
    if (!conn || PQstatus(conn) == CONNECTION_BAD) {
        set_err(db, conn ? PQerrorMessage(conn) : "out of memory");
        PQfinish(conn);
        return DB_UNAVAILABLE;
    }
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
        if (st == PGRES_POLLING_FAILED) {
            set_err(db, PQerrorMessage(conn));
            PQfinish(conn);
            return DB_UNAVAILABLE;
        }
        if (!wait_socket(conn, st == PGRES_POLLING_WRITING, deadline)) {
            set_err(db, "connection timed out");
            PQfinish(conn);
            return DB_UNAVAILABLE;
        }
        st = PQconnectPoll(conn);
    }
    /* A PREPARE waits for locks on the tables it names: a readiness check
     * bounds the prepares by what is left of its timeout, so that a table
     * lock held elsewhere cannot hold it past that. */
    char set[64];
    int left_ms = (int)((deadline - time_mono()) * 1000.0);
    if (bounded && left_ms < db->statement_timeout_ms) {
        snprintf(set, sizeof set, "SET statement_timeout = %d", left_ms > 1 ? left_ms : 1);
        PQclear(PQexec(conn, set));
    }
    for (const struct sql_stmt *const *t = db->prepare; t && *t; t++) {
        for (const struct sql_stmt *s = *t; s->name; s++) {
            PGresult *r = PQprepare(conn, s->name, s->sql, 0, NULL);
            bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            /* A PREPARE waits for table locks: running out of time there is
             * a timeout (504), not a broken statement. */
            const char *state = ok ? NULL : PQresultErrorField(r, PG_DIAG_SQLSTATE);
            enum db_status fail = state && (!strcmp(state, "57014") || !strcmp(state, "55P03"))
                                      ? DB_TIMEOUT
                                      : DB_ERROR;
            if (!ok) {
                char msg[200];
                snprintf(msg, sizeof msg, "prepare %s: %s", s->name, PQresultErrorMessage(r));
                set_err(db, msg);
            }
            PQclear(r);
            if (!ok) {
                PQfinish(conn);
                return fail;
            }
        }
    }
    if (bounded && left_ms < db->statement_timeout_ms) {
        snprintf(set, sizeof set, "SET statement_timeout = %d", db->statement_timeout_ms);
        PQclear(PQexec(conn, set));
    }
    db->conn = conn;
    atomic_fetch_add(&open_connections, 1);
    return DB_OK;
}

enum db_status db_ensure(struct db *db)
{
    if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
        return DB_OK;
    db_drop(db);
    double now = time_mono();
    if (now < db->next_attempt)
        return DB_UNAVAILABLE; /* inside the backoff: fail fast, keep the last error */
    enum db_status st = db_connect(db, CONNECT_TIMEOUT_MS, false);
    if (st == DB_OK) {
        db->backoff_ms = BACKOFF_MIN_MS;
        db->next_attempt = 0;
        return DB_OK;
    }
    db->next_attempt = now + db->backoff_ms / 1000.0;
    db->backoff_ms = db->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : db->backoff_ms * 2;
    return st == DB_ERROR || st == DB_TIMEOUT ? st : DB_UNAVAILABLE;
}

static enum db_status classify(struct db *db, PGresult *r)
{
    ExecStatusType rs = PQresultStatus(r);
    if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK)
        return DB_OK;
    set_err(db, r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn));
    if (PQstatus(db->conn) != CONNECTION_OK)
        return DB_UNAVAILABLE;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!state)
        return DB_ERROR;
    if (!strcmp(state, "57014") || !strcmp(state, "55P03"))
        return DB_TIMEOUT;
    if (!strcmp(state, "23505"))
        return DB_UNIQUE;
    if (!strcmp(state, "23503"))
        return DB_FOREIGN_KEY;
    if (!strcmp(state, "23514") || !strcmp(state, "23502") || !strncmp(state, "22", 2))
        return DB_CHECK;
    if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
        !strcmp(state, "57P03"))
        return DB_UNAVAILABLE;
    return DB_ERROR;
}

static const char *const status_names[] = {
    [DB_OK] = "ok",         [DB_UNAVAILABLE] = "unavailable", [DB_TIMEOUT] = "timeout",
    [DB_UNIQUE] = "unique", [DB_FOREIGN_KEY] = "foreign_key", [DB_CHECK] = "check",
    [DB_ERROR] = "error",
};

/* --log-level debug: one line per statement, its name (or the first word of
 * plain SQL), duration, outcome and rows. */
static void log_statement(const struct db *db, const struct sql_stmt *st, const char *sql,
                          double ms, enum db_status s, PGresult *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "msg", "sql");
    if (st) {
        cJSON_AddStringToObject(o, "statement", st->name);
    } else {
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)strcspn(sql, " ;"), sql);
        cJSON_AddStringToObject(o, "statement", word);
    }
    cJSON_AddStringToObject(o, "app", db->app_name);
    cJSON_AddNumberToObject(o, "ms", (double)(long)(ms * 1000) / 1000.0);
    cJSON_AddStringToObject(o, "result", status_names[s]);
    if (s == DB_OK && r)
        cJSON_AddNumberToObject(o, "rows", PQntuples(r));
    log_event(LOG_DEBUG, o);
}

/* One attempt; on a dead connection outside a transaction, the caller may
 * retry once on a fresh connection (nothing was executed). */
static enum db_status exec_once(struct db *db, const struct sql_stmt *st, const char *sql,
                                int nparams, const char *const *params, PGresult **out)
{
    double t0 = time_mono();
    PGresult *r = st ? PQexecPrepared(db->conn, st->name, nparams, params, NULL, NULL, 0)
                     : PQexec(db->conn, sql);
    double dt = time_mono() - t0;
    enum db_status s = classify(db, r);
    if (log_enabled(LOG_DEBUG))
        log_statement(db, st, sql, dt * 1000.0, s, r);
    if (s == DB_UNAVAILABLE) {
        PQclear(r);
        return s;
    }
    db->queries++;
    db->ms += dt * 1000.0;
    metrics_db_query(dt);
    if (s != DB_OK) {
        PQclear(r);
        return s;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return DB_OK;
}

static enum db_status run_here(struct db *db, const struct sql_stmt *st, const char *sql,
                               int nparams, const char *const *params, PGresult **out)
{
    if (out)
        *out = NULL;
    bool was_connected = db_connected(db);
    enum db_status s = db_ensure(db);
    if (s != DB_OK)
        return s == DB_ERROR || s == DB_TIMEOUT ? s : DB_UNAVAILABLE;
    s = exec_once(db, st, sql, nparams, params, out);
    if (s == DB_UNAVAILABLE) {
        bool in_tx = db->in_tx;
        db_drop(db);
        /* A connection that broke while idle (server restarted) gets one
         * immediate retry; inside a transaction the work is lost, so no. */
        if (was_connected && !in_tx && db_connect(db, CONNECT_TIMEOUT_MS, false) == DB_OK) {
            s = exec_once(db, st, sql, nparams, params, out);
            if (s == DB_UNAVAILABLE)
                db_drop(db);
        } else {
            db->next_attempt = time_mono() + db->backoff_ms / 1000.0;
        }
    }
    return s;
}

void db_set_fallback(struct db *db, struct db *primary)
{
    db->fallback = primary;
    metrics_read_replica(!atomic_load(&replica_down));
}

bool db_read_replica_up(void)
{
    return !atomic_load(&replica_down);
}

void db_read_replica_set_up(bool up, const char *why)
{
    bool was_down = atomic_exchange(&replica_down, !up);
    metrics_read_replica(up);
    if (was_down && up)
        log_msg(LOG_INFO, "read replica answers again: dashboard reads go back to it");
    else if (!was_down && !up)
        log_msg(LOG_WARN, "read replica unavailable (%s): dashboard reads fall back to the primary",
                why && *why ? why : "no connection");
}

/* A replica handle runs the statement on itself while the replica is up,
 * and on the primary when it is down, when this handle is waiting out its
 * reconnect backoff, or when the statement fails for want of a connection
 * (the first failed read is retried on the primary at once). Inside a
 * transaction begun on the replica, statements stay there. */
static enum db_status run_read(struct db *db, const struct sql_stmt *st, const char *sql,
                               int nparams, const char *const *params, PGresult **out)
{
    struct db *primary = db->fallback;
    if (!primary || db->in_tx)
        return run_here(db, st, sql, nparams, params, out);
    bool backing_off = !db_connected(db) && time_mono() < db->next_attempt;
    if (atomic_load(&replica_down) || backing_off)
        return run_here(primary, st, sql, nparams, params, out);
    enum db_status s = run_here(db, st, sql, nparams, params, out);
    if (s != DB_UNAVAILABLE)
        return s;
    db_read_replica_set_up(false, db->err);
    return run_here(primary, st, sql, nparams, params, out);
}

enum db_status db_exec(struct db *db, const struct sql_stmt *st, int nparams,
                       const char *const *params, PGresult **out)
{
    return run_read(db, st, NULL, nparams, params, out);
}

enum db_status db_simple(struct db *db, const char *sql)
{
    return run_here(db, NULL, sql, 0, NULL, NULL);
}

enum db_status db_begin(struct db *db)
{
    enum db_status s = db_simple(db, "BEGIN");
    if (s == DB_OK)
        db->in_tx = true;
    return s;
}

enum db_status db_commit(struct db *db)
{
    enum db_status s = db_simple(db, "COMMIT");
    db->in_tx = false;
    return s;
}

void db_rollback(struct db *db)
{
    if (db->conn && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        (void)db_simple(db, "ROLLBACK");
    db->in_tx = false;
}

void db_counters_reset(struct db *db)
{
    db->queries = 0;
    db->ms = 0;
}

int db_query_count(const struct db *db)
{
    return db->queries;
}

double db_query_ms(const struct db *db)
{
    return db->ms;
}

enum db_status db_ping(struct db *db, int timeout_ms, double *ms)
{
    double t0 = time_mono();
    double deadline = t0 + timeout_ms / 1000.0;
    if (!db_connected(db)) {
        db_drop(db);
        if (db_connect(db, timeout_ms, true) != DB_OK)
            return DB_UNAVAILABLE;
    }
    if (!PQsendQuery(db->conn, "SELECT 1")) {
        set_err(db, PQerrorMessage(db->conn));
        db_drop(db);
        return DB_UNAVAILABLE;
    }
    enum db_status result = DB_OK;
    for (;;) {
        if (!PQconsumeInput(db->conn)) {
            set_err(db, PQerrorMessage(db->conn));
            db_drop(db);
            return DB_UNAVAILABLE;
        }
        if (!PQisBusy(db->conn))
            break;
        if (!wait_socket(db->conn, false, deadline)) {
            set_err(db, "timed out");
            db_drop(db); /* the answer may still come: never reuse this socket */
            return DB_TIMEOUT;
        }
    }
    PGresult *r;
    while ((r = PQgetResult(db->conn))) {
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            set_err(db, PQresultErrorMessage(r));
            result = DB_UNAVAILABLE;
        }
        PQclear(r);
    }
    if (result != DB_OK && PQstatus(db->conn) != CONNECTION_OK)
        db_drop(db);
    *ms = (time_mono() - t0) * 1000.0;
    return result;
}
