/* Integration-test harness: scratch databases, onquotad processes, HTTP, raw sockets. */
#ifndef ONQUOTA_TEST_HARNESS_H
#define ONQUOTA_TEST_HARNESS_H

#include <check.h>
#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Every Check test case of the integration suites gets this timeout (s). */
#define HARNESS_TCASE_TIMEOUT 180

/* ---------------------------------------------------------------- running */

/* Runs suite s and returns the process exit status for meson: 77 (skip) when
 * DATABASE_URL is unset, else 0 or 1. Before the tests: sets up libcurl
 * (before Check forks), creates a scratch database (harness_db_create(db_prefix)),
 * migrates it and calls setup(url) (may be NULL) to load fixtures; setup
 * returns 0, or -1 to fail the run. Afterwards drops the database. */
int harness_main(Suite *s, const char *db_prefix, int (*setup)(const char *db_url));

/* The scratch database's URL (valid once harness_main created it). */
const char *harness_db(void);

/* A test case with HARNESS_TCASE_TIMEOUT, added to s; tests are added by the caller. */
TCase *harness_tcase(Suite *s, const char *name);

/* The onquotad binary under test: $ONQUOTAD, else "onquotad". */
const char *harness_onquotad(void);

/* Runs argv (argv[0] is looked up in PATH) with stdin fed from input (NULL:
 * /dev/null) and extra environment entries env ("K=V", NULL-terminated, may
 * be NULL). Returns the exit status (128 + signal when killed); *out and
 * *err receive malloc'd stdout and stderr (either may be NULL to discard).
 * Fails the test when the output carries a sanitizer report. */
int harness_run(const char *const *argv, const char *input, const char *const *env, char **out,
                char **err);

/* Fails the current test when text holds an ASan, LSan or UBSan report;
 * what names the process in the message. */
void harness_assert_no_sanitizer(const char *text, const char *what);

/* Runs "$ONQUOTA_SERVICES verb which" (falling back to the source tree's
 * scripts/services) and fails the test unless it exits 0. */
void harness_service(const char *verb, const char *which);

/* The same without assertions (for unchecked fixtures); returns its status. */
int harness_service_try(const char *verb, const char *which);

/* ---------------------------------------------------------------- databases */

/* Creates a fresh scratch database named prefix_<pid> on the server of
 * DATABASE_URL (dropping a leftover of the same name) and returns its URL
 * (static storage, valid until harness_db_drop). Aborts the process on failure:
 * call it from main, before the tests run. */
const char *harness_db_create(const char *prefix);

/* Drops the scratch database (WITH FORCE); a no-op when none was created. */
void harness_db_drop(void);

/* Runs "onquotad migrate" on db_url; returns its exit status (stdout in
 * *out when not NULL). */
int harness_migrate(const char *db_url, char **out);

/* A libpq connection to db_url, or NULL with a message on stderr. */
PGconn *harness_pg_connect(const char *db_url);

/* Executes sql (one or more statements) on a short-lived connection; returns
 * 0, or -1 with the error on stderr. */
int harness_psql(const char *db_url, const char *sql);

/* The first column of the first row of sql, with param as $1 when not NULL,
 * as a malloc'd string, or NULL (no row, NULL value or an error). */
char *harness_psql_value(const char *db_url, const char *sql, const char *param);

/* harness_psql_value into out (n bytes, truncated); 0, or -1 when there is no value. */
int harness_psql_into(const char *db_url, char *out, size_t n, const char *sql, const char *param);

/* The first column of sql's first row on the scratch database (harness_db()), as a
 * malloc'd string, failing the test when there is none; harness_sql_long reads it
 * as a number. */
char *harness_sql_value(const char *sql);
long harness_sql_long(const char *sql);

/* Executes sql on an open connection; returns 0, or -1 with the error on stderr. */
int harness_pg_exec(PGconn *conn, const char *sql);

/* Waits up to timeout_ms until at least n backends of db_url wait for a
 * lock (pg_stat_activity.wait_event_type = 'Lock'); true when they do. */
bool harness_pg_wait_blocked(const char *db_url, int n, int timeout_ms);

/* Creates a user through "onquotad user add" (the tenant is created when
 * absent) and returns its id (malloc'd), or NULL. */
char *harness_user_add(const char *db_url, const char *tenant, const char *email, const char *role,
                       const char *password);

/* Creates an API token through "onquotad token create" and returns the
 * token (malloc'd), or NULL. days 0 means no expiry. */
char *harness_token_create(const char *db_url, const char *email, const char *name, int days);

/* Creates an API token through harness_token_create for each of the n emails into
 * out[i] (a NULL email is skipped: out[i] stays as it was); returns 0, or -1
 * at the first that fails. */
int harness_tokens(const char *db_url, const char *const *emails, int n, const char *name, int days,
                   char **out);

/* Runs "onquotad --database-url db_url seed --demo" with the extra arguments
 * (NULL-terminated, may be NULL); returns its exit status. */
int harness_seed_demo(const char *db_url, const char *const *extra);

/* ---------------------------------------------------------------- daemons */

/* A free loopback TCP port (bound and released; another process may take
 * it before the caller binds it). */
int harness_free_port(void);

/* Forks argv (argv[0] a path) with stdin from /dev/null and stdout and
 * stderr to log_path (appended or truncated); the child dies with the test
 * process. Returns its pid. */
pid_t harness_spawn_logged(const char *const *argv, const char *log_path, bool append);

struct harness_daemon {
    pid_t pid; /* 0 when not running */
    int port;
    char log[256]; /* the daemon's stderr */
};

/* Starts onquotad on a free loopback port against db_url and $REDIS_URL,
 * with --log-level warn plus extra (NULL-terminated, may be NULL), stderr to
 * a log file, and waits until /health/live answers (10 s). Fails the test
 * (with the log's tail) when it does not come up. The daemon dies with the
 * process that started it (PR_SET_PDEATHSIG), so a failed test leaks none. */
void harness_daemon_start(struct harness_daemon *d, const char *db_url, const char *const *extra);

/* Sends SIGTERM, waits up to 30 s and returns the exit status (128 + signal
 * when killed, -1 when it had to be killed after the wait). Fails the test
 * when the log holds a sanitizer report. */
int harness_daemon_stop(struct harness_daemon *d);

/* Waits up to timeout_ms for d to exit by itself; returns its exit status
 * as harness_daemon_stop does, or -1 (still running). Fails the test when the log
 * holds a sanitizer report; removes the log after an exit 0. */
int harness_daemon_wait(struct harness_daemon *d, int timeout_ms);

/* SIGKILL and reap, without checks. */
void harness_daemon_kill(struct harness_daemon *d);

/* Stops d and fails the test unless it exited 0 with a clean log. */
void harness_daemon_stop_clean(struct harness_daemon *d);

/* The daemon's log so far (malloc'd). */
char *harness_daemon_log(const struct harness_daemon *d);

/* The daemon's log (malloc'd) once it holds needle, or after timeout_ms
 * whatever it holds: access lines are written in batches, every 100 ms. */
char *harness_daemon_log_wait(const struct harness_daemon *d, const char *needle, int timeout_ms);

/* ---------------------------------------------------------------- HTTP */

#define HARNESS_MAX_HEADERS 64

struct harness_resp {
    long status; /* 0 when the exchange failed (err says why) */
    int nheaders;
    char *hname[HARNESS_MAX_HEADERS], *hvalue[HARNESS_MAX_HEADERS];
    char *body; /* NUL-terminated */
    size_t body_len;
    double ms; /* wall time of the exchange */
    char err[256];
    cJSON *json; /* parsed by harness_json, owned */
};

/* Sends method path to d with extra header lines ("Name: value", NULL-
 * terminated, may be NULL) and body (NULL: none). A body gets
 * "Content-Type: application/json" unless headers name one ("Content-Type:"
 * alone sends none), and no "Expect: 100-continue" unless headers ask for
 * it. Fills *r (free with harness_resp_free) and returns the status, 0 on a
 * transport failure. Thread-safe. */
long harness_http(const struct harness_daemon *d, const char *method, const char *path,
                  const char *const *headers, const char *body, struct harness_resp *r);

/* The same with a timeout in ms for the whole exchange. */
long harness_http_timeout(const struct harness_daemon *d, const char *method, const char *path,
                          const char *const *headers, const char *body, struct harness_resp *r,
                          long timeout_ms);

/* GET path; token (may be NULL) goes into Authorization: Bearer. */
long harness_get(const struct harness_daemon *d, const char *path, const char *token,
                 struct harness_resp *r);

/* method path with a JSON body (may be NULL) and an optional bearer token. */
long harness_send(const struct harness_daemon *d, const char *method, const char *path,
                  const char *token, const char *body, struct harness_resp *r);

void harness_resp_free(struct harness_resp *r);

/* The value of response header name (case-insensitive), or NULL. */
const char *harness_header(const struct harness_resp *r, const char *name);

/* The body parsed as JSON (owned by r), or NULL. */
cJSON *harness_json(struct harness_resp *r);

/* The string member name of object o, or NULL. */
const char *harness_jstr(const cJSON *o, const char *name);

/* The N of desc="N queries" in Server-Timing, or -1. */
int harness_server_timing_queries(const struct harness_resp *r);

/* True when body is {"detail": "<non-empty string>"} (and, when want is not
 * NULL, that string equals want). */
bool harness_detail_is(struct harness_resp *r, const char *want);

/* True when body is {"detail": [...]} and some entry's loc equals loc
 * (e.g. "body.email", "query.x"). */
bool harness_detail_has_loc(struct harness_resp *r, const char *loc);

/* ---------------------------------------------------------------- raw sockets */

/* A blocking TCP connection to 127.0.0.1:port, or -1. */
int harness_connect(int port);

/* Writes all of buf; 0, or -1 (the connection broke). */
int harness_send_all(int fd, const void *buf, size_t n);

/* Reads one HTTP response (headers plus Content-Length body, or until EOF)
 * into buf (NUL-terminated) within timeout_ms. Returns its length, 0 on EOF
 * before anything, -1 on a timeout with nothing read, -2 on an error. */
long harness_recv_response(int fd, char *buf, size_t cap, int timeout_ms);

/* The status code of a raw response, or 0. */
int harness_raw_status(const char *buf);

/* ---------------------------------------------------------------- misc */

double harness_now_ms(void);
void harness_sleep_ms(int ms);

/* True when s is an RFC 3339 UTC timestamp with a Z suffix. */
bool harness_is_rfc3339z(const char *s);

/* A header line "Authorization: Bearer <token>" in out. */
const char *harness_bearer(char *out, size_t n, const char *token);

/* ------------------------------------------------------------ data files */

/* One case of tests/data/SUITE/NAME.case: "key: value" header lines
 * (name, path, lang, who; "#" lines are comments), a "---" line, then the
 * expected JSON body, laid out for reading. */
struct harness_case {
    char *file, *name, *path;
    char *lang; /* NULL when the file names none */
    char *who;  /* whose token the suite sends ("other-tenant"), NULL: its default */
    char *body; /* compacted: whitespace outside strings removed */
};

/* Loads every case file of tests/data/SUITE/ (under $ONQUOTA_SOURCE_ROOT)
 * in file-name order into *out (malloc'd, never freed: they live as long as
 * the suite). Returns their number, or -1 when the folder cannot be read. */
int harness_cases_load(const char *suite, struct harness_case **out);

/* text with the whitespace outside JSON strings removed (malloc'd). */
char *harness_json_compact(const char *text);

#endif
