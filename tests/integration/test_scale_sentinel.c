/* Scale suite: redis+sentinel:// with a primary, a replica and one Sentinel; the primary killed
 * under load. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "test_scale.h"

#define RECENT "/api/v1/dashboard/recent-activity"
#define MASTER_NAME "oqprimary"
#define LOAD_THREADS 3
#define KILL_AFTER_MS 1000
#define FAILOVER_MAX_MS 30000

struct node {
    pid_t pid;
    int port;
};

static struct {
    char dir[96];
    struct node primary, replica, sentinel;
} R;

/* redis-cli -p port args... ; its stdout (malloc'd, trailing newline cut)
 * or NULL when it failed. */
static char *cli(int port, const char *const *args)
{
    char p[16];
    snprintf(p, sizeof p, "%d", port);
    const char *argv[16] = {"redis-cli", "-h", "127.0.0.1", "-p", p};
    int n = 5;
    for (; *args && n < 15; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    char *out = NULL;
    if (harness_run(argv, NULL, NULL, &out, NULL) != 0) {
        free(out);
        return NULL;
    }
    size_t len = strlen(out);
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return out;
}

static bool cli_has(int port, const char *const *args, const char *want)
{
    char *out = cli(port, args);
    bool ok = out && strstr(out, want);
    free(out);
    return ok;
}

static void spawn_node(struct node *n, const char *name, const char *const *argv)
{
    char log[160];
    snprintf(log, sizeof log, "%s/%s.log", R.dir, name);
    n->pid = harness_spawn_logged(argv, log, false);
    for (double end = harness_now_ms() + 10000; harness_now_ms() < end; harness_sleep_ms(50))
        if (cli_has(n->port, (const char *const[]){"PING", NULL}, "PONG"))
            return;
    ck_abort_msg("expected %s to answer PING on port %d (log %s)", name, n->port, log);
}

static const char *redis_bin(const char *name)
{
    static char path[2][64];
    int i = !strcmp(name, "redis-sentinel");
    snprintf(path[i], sizeof path[i], "/usr/bin/%s", name);
    return path[i];
}

static void redis_server(struct node *n, const char *name, const char *replica_of)
{
    char port[16];
    n->port = harness_free_port();
    snprintf(port, sizeof port, "%d", n->port);
    const char *argv[] = {redis_bin("redis-server"),
                          "--port",
                          port,
                          "--bind",
                          "127.0.0.1",
                          "--daemonize",
                          "no",
                          "--save",
                          "",
                          "--appendonly",
                          "no",
                          "--dir",
                          R.dir,
                          replica_of ? "--replicaof" : NULL,
                          replica_of,
                          NULL};
    spawn_node(n, name, argv);
}

static void sentinel_start(void)
{
    R.sentinel.port = harness_free_port();
    char conf[160], text[1024];
    snprintf(conf, sizeof conf, "%s/sentinel.conf", R.dir);
    snprintf(text, sizeof text,
             "port %d\nbind 127.0.0.1\ndaemonize no\ndir %s\n"
             "sentinel monitor %s 127.0.0.1 %d 1\n"
             "sentinel down-after-milliseconds %s 1000\n"
             "sentinel failover-timeout %s 10000\n",
             R.sentinel.port, R.dir, MASTER_NAME, R.primary.port, MASTER_NAME, MASTER_NAME);
    FILE *f = fopen(conf, "w");
    ck_assert_msg(f, "cannot write %s", conf);
    fputs(text, f);
    fclose(f);
    const char *argv[] = {redis_bin("redis-sentinel"), conf, NULL};
    spawn_node(&R.sentinel, "sentinel", argv);
}

static void stop_node(struct node *n)
{
    if (n->pid > 0) {
        kill(n->pid, SIGTERM);
        waitpid(n->pid, NULL, 0);
    }
    n->pid = 0;
}

/* A primary, its replica in sync, and a Sentinel that knows both. */
static void trio_up(void)
{
    memset(&R, 0, sizeof R);
    snprintf(R.dir, sizeof R.dir, "/tmp/oq-scale-sentinel-%d", (int)getpid());
    mkdir(R.dir, 0700);
    redis_server(&R.primary, "primary", NULL);
    char of[48];
    snprintf(of, sizeof of, "127.0.0.1 %d", R.primary.port);
    redis_server(&R.replica, "replica", of);
    sentinel_start();
    double end = harness_now_ms() + 20000;
    while (harness_now_ms() < end &&
           !(cli_has(R.replica.port, (const char *const[]){"INFO", "replication", NULL},
                     "master_link_status:up") &&
             cli_has(R.sentinel.port,
                     (const char *const[]){"SENTINEL", "replicas", MASTER_NAME, NULL}, "slave")))
        harness_sleep_ms(100);
    ck_assert_msg(harness_now_ms() < end, "expected the replica in sync and known to the Sentinel");
}

static void trio_down(void)
{
    stop_node(&R.sentinel);
    stop_node(&R.replica);
    stop_node(&R.primary);
    char rm[160];
    snprintf(rm, sizeof rm, "rm -rf '%s'", R.dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", R.dir);
}

/* ------------------------------------------------------------ load */

struct load {
    const struct harness_daemon *d;
    volatile bool stop;
    pthread_mutex_t mu;
    int requests, failures, bypass;
    char first_failure[200];
};

static void *load_main(void *arg)
{
    struct load *l = arg;
    const char *paths[] = {RECENT, "/api/v1/clients?page_size=5", "/api/v1/auth/me"};
    for (int i = 0; !l->stop; i++) {
        struct harness_resp r;
        long st = harness_get(l->d, paths[i % 3], scale_token(), &r);
        const char *x = harness_header(&r, "X-Cache");
        pthread_mutex_lock(&l->mu);
        l->requests++;
        if (x && !strcmp(x, "BYPASS"))
            l->bypass++;
        if (st != 200 && l->failures++ == 0)
            snprintf(l->first_failure, sizeof l->first_failure, "%s: %ld %.120s", paths[i % 3], st,
                     r.body && *r.body ? r.body : r.err);
        pthread_mutex_unlock(&l->mu);
        harness_resp_free(&r);
        harness_sleep_ms(5);
    }
    return NULL;
}

/* Keys of this test's fleet on the node at port matching pattern. */
static bool node_has_keys(int port, const char *pattern)
{
    char *out = cli(port, (const char *const[]){"--scan", "--pattern", pattern, NULL});
    bool any = out && *out;
    free(out);
    return any;
}

static long ready_status(const struct harness_daemon *d, char *redis_state, size_t n)
{
    struct harness_resp r;
    long st = harness_get(d, "/health/ready", NULL, &r);
    cJSON *comp = harness_json(&r) ? cJSON_GetObjectItem(harness_json(&r), "components") : NULL;
    cJSON *rc = comp ? cJSON_GetObjectItem(comp, "redis") : NULL;
    snprintf(redis_state, n, "%s",
             rc && harness_jstr(rc, "status") ? harness_jstr(rc, "status") : "(none)");
    harness_resp_free(&r);
    return st;
}

START_TEST(sentinel_failover_under_load)
{
    trio_up();
    char url[160], state[32];
    snprintf(url, sizeof url, "redis+sentinel://127.0.0.1:%d/%s/0", R.sentinel.port, MASTER_NAME);
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(),
                         (const char *const[]){"--redis-url", url, "--health-probe-s", "1",
                                               "--no-jobs", "--ready-requires-cache", NULL});
    /* Before: the cache is on the primary. */
    struct harness_resp r;
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(harness_get(&d, RECENT, scale_token(), &r), 200);
        harness_resp_free(&r);
    }
    ck_assert_msg(node_has_keys(R.primary.port, "onquota:*:dashboard:*"),
                  "expected the dashboard cache on the primary");
    ck_assert_msg(ready_status(&d, state, sizeof state) == 200, "expected ready before");

    static struct load l;
    memset(&l, 0, sizeof l);
    l.d = &d;
    pthread_mutex_init(&l.mu, NULL);
    pthread_t th[LOAD_THREADS];
    for (int i = 0; i < LOAD_THREADS; i++)
        pthread_create(&th[i], NULL, load_main, &l);
    harness_sleep_ms(KILL_AFTER_MS);
    kill(R.primary.pid, SIGKILL);
    waitpid(R.primary.pid, NULL, 0);
    R.primary.pid = 0;
    double killed = harness_now_ms();

    /* The Sentinel promotes the replica; the daemon follows it. */
    char want[32];
    snprintf(want, sizeof want, "%d", R.replica.port);
    bool promoted = false, ready = false;
    while (harness_now_ms() - killed < FAILOVER_MAX_MS && !(promoted && ready)) {
        promoted = promoted || cli_has(R.sentinel.port,
                                       (const char *const[]){"SENTINEL", "get-master-addr-by-name",
                                                             MASTER_NAME, NULL},
                                       want);
        ready =
            promoted && ready_status(&d, state, sizeof state) == 200 && !strcmp(state, "healthy");
        harness_sleep_ms(100);
    }
    double took = harness_now_ms() - killed;
    harness_sleep_ms(500); /* a little load on the new primary */
    l.stop = true;
    for (int i = 0; i < LOAD_THREADS; i++)
        pthread_join(th[i], NULL);
    ck_assert_msg(promoted, "expected the Sentinel to promote the replica");
    ck_assert_msg(ready, "expected /health/ready 200 with Redis healthy after the failover");
    ck_assert_msg(l.failures == 0,
                  "expected every request answered during the failover; %d of %d failed, first: %s",
                  l.failures, l.requests, l.first_failure);

    /* After: the cache and the invalidations are on the new primary. */
    bool hit = false;
    for (int i = 0; i < 20 && !hit; i++) {
        ck_assert_int_eq(harness_get(&d, RECENT, scale_token(), &r), 200);
        const char *x = harness_header(&r, "X-Cache");
        hit = x && !strcmp(x, "HIT");
        harness_resp_free(&r);
        harness_sleep_ms(100);
    }
    ck_assert_msg(hit, "expected dashboard HITs again after the failover");
    ck_assert_msg(node_has_keys(R.replica.port, "onquota:*:dashboard:*"),
                  "expected the dashboard cache on the new primary");
    bool subscribed = false;
    for (int i = 0; i < 50 && !subscribed; i++, harness_sleep_ms(100))
        subscribed =
            cli_has(R.replica.port, (const char *const[]){"PUBSUB", "CHANNELS", NULL}, ":events");
    ck_assert_msg(subscribed, "expected the daemon subscribed to its events on the new primary");
    ck_assert_int_eq(harness_send(&d, "POST", "/api/v1/clients", scale_token(),
                                  "{\"name\": \"After Failover\"}", &r),
                     201);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&d, RECENT, scale_token(), &r), 200);
    bool fresh = r.body && strstr(r.body, "After Failover");
    harness_resp_free(&r);
    ck_assert_msg(fresh, "expected the write to invalidate the cache on the new primary");
    ck_assert_msg(node_has_keys(R.replica.port, "onquota:*:gen:*"),
                  "expected the tenant generation on the new primary");
    harness_daemon_stop_clean(&d);
    trio_down();
    fprintf(stderr,
            "sentinel failover: ready again %.0f ms after the kill; %d requests, %d BYPASS\n", took,
            l.requests, l.bypass);
}
END_TEST

void scale_add_sentinel(Suite *s)
{
    TCase *tc = harness_tcase(s, "sentinel");
    tcase_add_test(tc, sentinel_failover_under_load);
}
