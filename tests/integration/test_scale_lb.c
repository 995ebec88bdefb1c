/* Scale suite: two daemons behind nginx (packaging/nginx/onquota.conf) on loopback. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "test_scale.h"

#define KPIS "/api/v1/dashboard/kpis"
#define CLIENTS "/api/v1/clients"
#define NGINX_CONF_MAX 16384
#define LB_GET_THREADS 4
#define LB_POST_THREADS 2
#define LB_AFTER_KILL_MS 2500
#define LB_KILL_AT_MS 1500
#define LB_WARM_GETS 40
#define LB_WARM_MAX_MS 15000
#define LB_MAX_IDS 4096

struct nginx {
    pid_t pid;
    char dir[96];
    struct harness_daemon front; /* the public listener, for harness_http (pid 0) */
};

static struct harness_daemon A, B;
static struct nginx N;

/* Replaces the first "from" in buf (size cap) with "to"; false when absent. */
static bool replace(char *buf, size_t cap, const char *from, const char *to)
{
    char *at = strstr(buf, from);
    if (!at || strlen(buf) - strlen(from) + strlen(to) >= cap)
        return false;
    memmove(at + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
    memcpy(at, to, strlen(to));
    return true;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f, "cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

/* packaging/nginx/onquota.conf with its ports moved to free loopback ones:
 * the two upstreams to a and b, the public listener to public_port and the
 * internal one to internal_port. */
static void derive_conf(char *out, size_t cap, int a, int b, int public_port, int internal_port)
{
    char path[512];
    const char *root = getenv("ONQUOTA_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/packaging/nginx/onquota.conf", root ? root : ".");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f, "expected %s: %s", path, strerror(errno));
    size_t n = fread(out, 1, cap - 1, f);
    fclose(f);
    out[n] = '\0';
    char to[64];
    snprintf(to, sizeof to, "server 127.0.0.1:%d ", a);
    ck_assert(replace(out, cap, "server 127.0.0.1:8000 ", to));
    snprintf(to, sizeof to, "server 127.0.0.1:%d ", b);
    ck_assert(replace(out, cap, "server 127.0.0.1:8001 ", to));
    snprintf(to, sizeof to, "listen 127.0.0.1:%d;", public_port);
    ck_assert(replace(out, cap, "listen 80;", to));
    ck_assert(replace(out, cap, "listen [::]:80;", ""));
    snprintf(to, sizeof to, "listen 127.0.0.1:%d;", internal_port);
    ck_assert(replace(out, cap, "listen 127.0.0.1:9080;", to));
}

static void nginx_start(struct nginx *n, int a, int b)
{
    memset(n, 0, sizeof *n);
    snprintf(n->dir, sizeof n->dir, "/tmp/oq-scale-nginx-%d", (int)getpid());
    mkdir(n->dir, 0755);
    char site[NGINX_CONF_MAX], main_conf[2048], path[256], log[256];
    n->front.port = harness_free_port();
    derive_conf(site, sizeof site, a, b, n->front.port, harness_free_port());
    snprintf(path, sizeof path, "%s/onquota.conf", n->dir);
    write_text(path, site);
    snprintf(main_conf, sizeof main_conf,
             "daemon off;\nworker_processes 1;\npid %s/nginx.pid;\n"
             "error_log %s/error.log warn;\nevents { worker_connections 1024; }\n"
             "http {\n  access_log off;\n  client_body_temp_path %s/body;\n"
             "  proxy_temp_path %s/proxy;\n  fastcgi_temp_path %s/fastcgi;\n"
             "  uwsgi_temp_path %s/uwsgi;\n  scgi_temp_path %s/scgi;\n"
             "  include %s/onquota.conf;\n}\n",
             n->dir, n->dir, n->dir, n->dir, n->dir, n->dir, n->dir, n->dir);
    snprintf(path, sizeof path, "%s/nginx.conf", n->dir);
    write_text(path, main_conf);
    snprintf(log, sizeof log, "%s/stderr.log", n->dir);
    char errlog[256];
    snprintf(errlog, sizeof errlog, "%s/error.log", n->dir);
    const char *nginx_bin = access("/usr/sbin/nginx", X_OK) == 0 ? "/usr/sbin/nginx" : "nginx";
    const char *argv[] = {nginx_bin, "-p", n->dir, "-c", path, "-e", errlog, NULL};
    n->pid = harness_spawn_logged(argv, log, false);
    for (double end = harness_now_ms() + 10000; harness_now_ms() < end; harness_sleep_ms(50)) {
        struct harness_resp r;
        long st = harness_http_timeout(&n->front, "GET", "/health/live", NULL, NULL, &r, 1000);
        harness_resp_free(&r);
        if (st == 200)
            return;
    }
    ck_abort_msg("expected nginx to answer on port %d (logs in %s)", n->front.port, n->dir);
}

static void nginx_stop(struct nginx *n)
{
    if (n->pid <= 0)
        return;
    kill(n->pid, SIGTERM);
    waitpid(n->pid, NULL, 0);
    n->pid = 0;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", n->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", n->dir);
}

static const char *const quiet[] = {"--no-jobs", "--health-probe-s", "1", NULL};

static void lb_up(void)
{
    harness_daemon_start(&A, harness_db(), quiet);
    harness_daemon_start(&B, harness_db(), quiet);
    nginx_start(&N, A.port, B.port);
}

static void lb_down(void)
{
    nginx_stop(&N);
    harness_daemon_kill(&A);
    harness_daemon_kill(&B);
}

static const char *xcache(const struct harness_resp *r)
{
    const char *x = harness_header(r, "X-Cache");
    return x ? x : "(none)";
}

/* recent-activity lists new clients: it is cached, and a write shows in it. */
#define RECENT "/api/v1/dashboard/recent-activity"

/* GETs d's recent activity until it is cached (HIT). */
static void prime(const struct harness_daemon *d, const char *name)
{
    for (int i = 0; i < 5; i++) {
        struct harness_resp r;
        ck_assert_int_eq(harness_get(d, RECENT, scale_token(), &r), 200);
        bool hit = !strcmp(xcache(&r), "HIT");
        harness_resp_free(&r);
        if (hit)
            return;
    }
    ck_abort_msg("expected %s's recent activity cached (HIT)", name);
}

/* The first of d's recent-activity answers that lists the client named
 * name: ms from since to the moment that request was sent (the requests
 * follow each other back to back), or -1 after timeout_ms. */
static double until_shows(const struct harness_daemon *d, const char *name, double since,
                          int timeout_ms)
{
    while (harness_now_ms() - since < timeout_ms) {
        double sent = harness_now_ms() - since;
        struct harness_resp r;
        harness_get(d, RECENT, scale_token(), &r);
        bool seen = r.status == 200 && r.body && strstr(r.body, name);
        harness_resp_free(&r);
        if (seen)
            return sent;
    }
    return -1;
}

struct watch {
    const struct harness_daemon *d;
    const char *name;
    double since, ms;
};

static void *watch_main(void *arg)
{
    struct watch *w = arg;
    w->ms = until_shows(w->d, w->name, w->since, 1000);
    return NULL;
}

/* until_shows on A and B at the same time (one recomputing its answer must
 * not delay the other's check). */
static void both_show(const char *name, double since, double *a_ms, double *b_ms)
{
    struct watch wa = {.d = &A, .name = name, .since = since};
    struct watch wb = {.d = &B, .name = name, .since = since};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, watch_main, &wa);
    pthread_create(&tb, NULL, watch_main, &wb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    *a_ms = wa.ms;
    *b_ms = wb.ms;
}

static void post_client(const struct harness_daemon *d, const char *name)
{
    char body[128];
    snprintf(body, sizeof body, "{\"name\": \"%s\"}", name);
    struct harness_resp r;
    long st = harness_send(d, "POST", CLIENTS, scale_token(), body, &r);
    ck_assert_msg(st == 201, "expected POST %s 201, got %ld: %.200s", CLIENTS, st,
                  r.body ? r.body : r.err);
    harness_resp_free(&r);
}

START_TEST(lb_write_through_one_invalidates_the_other)
{
    lb_up();
    /* Straight to A: B's cached answer gives way within 100 ms. */
    prime(&B, "B");
    post_client(&A, "LB Direct");
    double t0 = harness_now_ms();
    double b_ms = until_shows(&B, "LB Direct", t0, 1000);
    /* Through the balancer: whichever instance took it, both show it. */
    prime(&A, "A");
    prime(&B, "B");
    post_client(&N.front, "LB Balanced");
    double t1 = harness_now_ms();
    double a2, b2;
    both_show("LB Balanced", t1, &a2, &b2);
    lb_down();
    ck_assert_msg(b_ms >= 0 && b_ms < 100,
                  "expected a write on A to invalidate B's cache within 100 ms, took %.1f ms",
                  b_ms);
    ck_assert_msg(a2 >= 0 && a2 < 100 && b2 >= 0 && b2 < 100,
                  "expected a write through nginx to invalidate both caches within 100 ms "
                  "(A %.1f ms, B %.1f ms)",
                  a2, b2);
}
END_TEST

/* ------------------------------------------------ SIGKILL under load */

struct load {
    volatile bool stop;
    pthread_mutex_t mu;
    int gets, get_failures;
    char first_failure[256];
    int posts, acked;
    char *ids[LB_MAX_IDS];
};

static void *get_main(void *arg)
{
    struct load *l = arg;
    const char *paths[] = {KPIS, CLIENTS "?page_size=5", "/api/v1/auth/me"};
    for (int i = 0; !l->stop; i++) {
        struct harness_resp r;
        long st = harness_get(&N.front, paths[i % 3], scale_token(), &r);
        pthread_mutex_lock(&l->mu);
        l->gets++;
        if (st != 200 && l->get_failures++ == 0)
            snprintf(l->first_failure, sizeof l->first_failure, "GET %s: %ld %.150s", paths[i % 3],
                     st, r.body && *r.body ? r.body : r.err);
        pthread_mutex_unlock(&l->mu);
        harness_resp_free(&r);
    }
    return NULL;
}

static void *post_main(void *arg)
{
    struct load *l = arg;
    static atomic_int seq;
    while (!l->stop) {
        char body[96];
        snprintf(body, sizeof body, "{\"name\": \"LB Load %d\"}", atomic_fetch_add(&seq, 1));
        struct harness_resp r;
        long st = harness_send(&N.front, "POST", CLIENTS, scale_token(), body, &r);
        const char *id =
            st == 201 && harness_json(&r) ? harness_jstr(harness_json(&r), "id") : NULL;
        pthread_mutex_lock(&l->mu);
        l->posts++;
        if (st == 201 && id && l->acked < LB_MAX_IDS)
            l->ids[l->acked++] = strdup(id);
        pthread_mutex_unlock(&l->mu);
        harness_resp_free(&r);
    }
    return NULL;
}

START_TEST(lb_sigkill_under_load_fails_no_get)
{
    lb_up();
    static struct load l;
    memset(&l, 0, sizeof l);
    pthread_mutex_init(&l.mu, NULL);
    pthread_t g[LB_GET_THREADS], p[LB_POST_THREADS];
    for (int i = 0; i < LB_GET_THREADS; i++)
        pthread_create(&g[i], NULL, get_main, &l);
    for (int i = 0; i < LB_POST_THREADS; i++)
        pthread_create(&p[i], NULL, post_main, &l);
    /* Kill once every thread has had answers (a cold instance opens its
     * database connections on first use), and at least LB_KILL_AT_MS in. */
    double t0 = harness_now_ms();
    harness_sleep_ms(LB_KILL_AT_MS);
    while (l.gets < LB_WARM_GETS && harness_now_ms() - t0 < LB_WARM_MAX_MS)
        harness_sleep_ms(50);
    int gets_before = l.gets;
    kill(A.pid, SIGKILL);
    harness_sleep_ms(LB_AFTER_KILL_MS);
    l.stop = true;
    for (int i = 0; i < LB_GET_THREADS; i++)
        pthread_join(g[i], NULL);
    for (int i = 0; i < LB_POST_THREADS; i++)
        pthread_join(p[i], NULL);
    harness_daemon_kill(&A);

    /* Every acknowledged write is in the database. */
    char list[LB_MAX_IDS * 40 + 16];
    size_t len = (size_t)snprintf(list, sizeof list, "{");
    for (int i = 0; i < l.acked; i++) {
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "," : "", l.ids[i]);
        free(l.ids[i]);
    }
    snprintf(list + len, sizeof list - len, "}");
    char *found = harness_psql_value(
        harness_db(), "SELECT count(*) FROM clients WHERE id = ANY($1::uuid[])", list);
    long in_db = found ? atol(found) : -1;
    free(found);
    lb_down();
    ck_assert_msg(gets_before > 0 && l.gets > gets_before,
                  "expected GETs before and after the kill (%d, %d)", gets_before, l.gets);
    ck_assert_msg(
        l.get_failures == 0,
        "expected no GET to fail when one instance is SIGKILLed; %d of %d failed, first: %s",
        l.get_failures, l.gets, l.first_failure);
    ck_assert_msg(l.acked > 0, "expected some writes acknowledged with 201 (%d sent)", l.posts);
    ck_assert_msg(in_db == l.acked,
                  "expected every write acknowledged with 201 in the database: %ld of %d", in_db,
                  l.acked);
}
END_TEST

void scale_add_lb(Suite *s)
{
    TCase *tc = harness_tcase(s, "balancer");
    tcase_add_test(tc, lb_write_through_one_invalidates_the_other);
    tcase_add_test(tc, lb_sigkill_under_load_fails_no_get);
}
