/* Scale suite: a streaming standby (pg_basebackup -R) as database_read_url, stopped and restarted.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "test_scale.h"

#define RECENT "/api/v1/dashboard/recent-activity"
#define FALLBACK_MAX_MS 3000
#define RETURN_MAX_MS 8000

static struct {
    char dir[96];
    char bin[256];
    int port;
    char url[512]; /* the scratch database on the standby */
} S;

/* Runs a PostgreSQL program as the user scripts/services runs PostgreSQL as
 * (postgres when we are root: PostgreSQL refuses to run as root). */
static int as_pg(const char *const *args, char **out)
{
    const char *argv[24];
    int n = 0;
    if (geteuid() == 0) {
        argv[n++] = "runuser";
        argv[n++] = "-u";
        argv[n++] = "postgres";
        argv[n++] = "--";
    }
    for (; *args && n < 23; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    return harness_run(argv, NULL, NULL, out, NULL);
}

static const char *pg_prog(const char *name)
{
    static char path[320];
    snprintf(path, sizeof path, "%s/%s", S.bin, name);
    return path;
}

static void standby_ctl(const char *verb)
{
    char opts[160], log[160];
    snprintf(opts, sizeof opts, "-p %d -k %s -c listen_addresses=127.0.0.1", S.port, S.dir);
    snprintf(log, sizeof log, "%s/standby.log", S.dir);
    const char *start[] = {
        pg_prog("pg_ctl"), "-D", S.dir, "-o", opts, "-l", log, "-w", "-s", "-t", "30",
        "start",           NULL};
    const char *stop[] = {pg_prog("pg_ctl"), "-D", S.dir, "-m", "fast", "-w", "-s", "stop", NULL};
    int rc = as_pg(!strcmp(verb, "start") ? start : stop, NULL);
    ck_assert_msg(rc == 0, "expected pg_ctl %s of the standby in %s to succeed (exit %d)", verb,
                  S.dir, rc);
}

/* The standby's postmaster pid (from postmaster.pid), or 0. */
static pid_t standby_pid(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s/postmaster.pid", S.dir);
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return (pid_t)pid;
}

static bool standby_answers(int timeout_ms)
{
    for (double end = harness_now_ms() + timeout_ms; harness_now_ms() < end;
         harness_sleep_ms(100)) {
        char *v = harness_psql_value(S.url, "SELECT pg_is_in_recovery()::text", NULL);
        bool ok = v && !strcmp(v, "true");
        free(v);
        if (ok)
            return true;
    }
    return false;
}

/* Unchecked fixture (runs in the suite's process): a standby of the test
 * cluster, streaming from it, on a free port. */
static void standby_up(void)
{
    const char *bin = getenv("ONQUOTA_PG_BIN");
    snprintf(S.bin, sizeof S.bin, "%s", bin && *bin ? bin : "/usr/lib/postgresql/15/bin");
    snprintf(S.dir, sizeof S.dir, "/tmp/oq-scale-standby-%d", (int)getpid());
    const char *pg_port = getenv("ONQUOTA_PG_PORT");
    ck_assert_msg(pg_port && *pg_port, "ONQUOTA_PG_PORT must be set (scripts/test sets it)");
    char rm[160];
    snprintf(rm, sizeof rm, "rm -rf '%s'", S.dir);
    ck_assert_int_eq(system(rm), 0);
    ck_assert_int_eq(mkdir(S.dir, 0700), 0);
    if (geteuid() == 0) {
        const char *chown_argv[] = {"chown", "postgres:postgres", S.dir, NULL};
        ck_assert_int_eq(harness_run(chown_argv, NULL, NULL, NULL, NULL), 0);
    }
    const char *backup[] = {pg_prog("pg_basebackup"),
                            "-h",
                            "127.0.0.1",
                            "-p",
                            pg_port,
                            "-U",
                            "postgres",
                            "-D",
                            S.dir,
                            "-R",
                            "-X",
                            "stream",
                            "-c",
                            "fast",
                            NULL};
    ck_assert_msg(as_pg(backup, NULL) == 0, "expected pg_basebackup -R into %s to succeed", S.dir);
    S.port = harness_free_port();
    /* The scratch database's URL with the standby's port. */
    const char *db = harness_db();
    const char *slash = strrchr(db, '/');
    snprintf(S.url, sizeof S.url, "postgresql://postgres@127.0.0.1:%d%s", S.port, slash);
    standby_ctl("start");
    ck_assert_msg(standby_answers(15000), "expected the standby to answer in recovery");
}

static void standby_down(void)
{
    pid_t pid = standby_pid();
    if (pid > 0) {
        kill(pid, SIGINT); /* fast shutdown */
        for (int i = 0; i < 300 && kill(pid, 0) == 0; i++)
            harness_sleep_ms(100);
    }
    char rm[160];
    snprintf(rm, sizeof rm, "rm -rf '%s'", S.dir);
    if (S.dir[0] && system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", S.dir);
}

/* Backends of the daemon's read handles on the server of url. */
static long read_backends(const char *url)
{
    char *v = harness_psql_value(
        url,
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE application_name = 'onquotad-read' AND datname = current_database()",
        NULL);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

/* A dashboard miss: a write moves the tenant's generation, then a GET. */
static long fresh_read(const struct harness_daemon *d, const char *name, struct harness_resp *r)
{
    char body[96];
    snprintf(body, sizeof body, "{\"name\": \"%s\"}", name);
    struct harness_resp w;
    long st = harness_send(d, "POST", "/api/v1/clients", scale_token(), body, &w);
    ck_assert_msg(st == 201, "expected the write on the primary to answer 201, got %ld: %.200s", st,
                  w.body ? w.body : w.err);
    harness_resp_free(&w);
    return harness_get(d, RECENT, scale_token(), r);
}

/* /health/ready's database_read component: status and reads_from. */
static void read_component(const struct harness_daemon *d, long *status, char *state, size_t n,
                           char *from, size_t fn)
{
    struct harness_resp r;
    *status = harness_get(d, "/health/ready", NULL, &r);
    cJSON *comp = harness_json(&r) ? cJSON_GetObjectItem(harness_json(&r), "components") : NULL;
    cJSON *dr = comp ? cJSON_GetObjectItem(comp, "database_read") : NULL;
    snprintf(state, n, "%s",
             dr && harness_jstr(dr, "status") ? harness_jstr(dr, "status") : "(none)");
    snprintf(from, fn, "%s",
             dr && harness_jstr(dr, "reads_from") ? harness_jstr(dr, "reads_from") : "(none)");
    harness_resp_free(&r);
}

static bool metric_is(const struct harness_daemon *d, const char *line)
{
    struct harness_resp r;
    harness_get(d, "/metrics", NULL, &r);
    bool ok = r.body && strstr(r.body, line);
    harness_resp_free(&r);
    return ok;
}

START_TEST(replica_reads_fall_back_and_return)
{
    struct harness_daemon d;
    const char *extra[] = {"--database-read-url",
                           S.url,
                           "--health-probe-s",
                           "1",
                           "--no-jobs",
                           "--db-workers",
                           "2",
                           NULL};
    harness_daemon_start(&d, harness_db(), extra);

    /* Misses run on the standby; writes on the primary. */
    struct harness_resp r;
    ck_assert_int_eq(fresh_read(&d, "Replica One", &r), 200);
    harness_resp_free(&r);
    ck_assert_msg(read_backends(S.url) > 0, "expected the dashboard miss on the standby");
    ck_assert_msg(read_backends(harness_db()) == 0, "expected no read connection on the primary");
    ck_assert_msg(harness_sql_long("SELECT count(*) FROM clients WHERE name = 'Replica One'") == 1,
                  "expected the write on the primary");
    long st;
    char state[32], from[32];
    read_component(&d, &st, state, sizeof state, from, sizeof from);
    ck_assert_msg(st == 200 && !strcmp(state, "healthy") && !strcmp(from, "replica"),
                  "expected ready 200 with database_read healthy from the replica, got %ld %s %s",
                  st, state, from);
    ck_assert_msg(metric_is(&d, "onquota_db_read_replica_up 1"), "expected replica_up 1");

    /* The standby stops: the next miss is served from the primary at once. */
    standby_ctl("stop");
    double stopped = harness_now_ms();
    st = fresh_read(&d, "Replica Two", &r);
    double took = harness_now_ms() - stopped;
    bool listed = r.body && strstr(r.body, "Replica Two");
    harness_resp_free(&r);
    ck_assert_msg(st == 200 && listed,
                  "expected the first miss after the standby stopped answered from the primary "
                  "(200 listing the new client), got %ld",
                  st);
    ck_assert_msg(took < FALLBACK_MAX_MS, "expected the fallback within %d ms, took %.0f ms",
                  FALLBACK_MAX_MS, took);
    read_component(&d, &st, state, sizeof state, from, sizeof from);
    ck_assert_msg(st == 200 && !strcmp(state, "unhealthy") && !strcmp(from, "primary"),
                  "expected ready 200 with database_read unhealthy, reads from the primary; got "
                  "%ld %s %s",
                  st, state, from);
    ck_assert_msg(metric_is(&d, "onquota_db_read_replica_up 0") &&
                      metric_is(&d, "onquota_db_read_fallbacks_total 1"),
                  "expected /metrics to show the fallback");
    for (int i = 0; i < 5; i++) { /* every worker keeps answering */
        ck_assert_int_eq(harness_get(&d, RECENT "?limit=3", scale_token(), &r), 200);
        harness_resp_free(&r);
    }

    /* Back up: reads return to the standby. */
    standby_ctl("start");
    ck_assert_msg(standby_answers(15000), "expected the standby back");
    double back = harness_now_ms();
    while (harness_now_ms() - back < RETURN_MAX_MS) {
        read_component(&d, &st, state, sizeof state, from, sizeof from);
        if (!strcmp(from, "replica"))
            break;
        harness_sleep_ms(100);
    }
    ck_assert_msg(!strcmp(from, "replica") && !strcmp(state, "healthy"),
                  "expected reads back on the replica within %d ms, got %s %s", RETURN_MAX_MS,
                  state, from);
    ck_assert_int_eq(fresh_read(&d, "Replica Three", &r), 200);
    harness_resp_free(&r);
    ck_assert_msg(read_backends(S.url) > 0, "expected misses on the standby again");
    ck_assert_msg(metric_is(&d, "onquota_db_read_replica_up 1"), "expected replica_up 1 again");
    harness_daemon_stop_clean(&d);
}
END_TEST

void scale_add_replica(Suite *s)
{
    TCase *tc = harness_tcase(s, "replica");
    tcase_add_unchecked_fixture(tc, standby_up, standby_down);
    tcase_add_test(tc, replica_reads_fall_back_and_return);
}
