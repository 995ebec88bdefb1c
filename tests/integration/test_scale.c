/* Integration tests of scale-out hardening: slow clients are cut, SIGTERM drains and refuses. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "test_scale.h"

/* ------------------------------------------------------------ slow clients */

#define SLOW_HEADER_CLIENTS 60
#define SLOW_BODY_CLIENTS 10
#define SLOW_STEP_MS 500
#define SLOW_WATCH_MS 4500
#define LIVE_MAX_MS 200.0

/* True when the peer closed fd (EOF or reset); never blocks. */
static bool peer_closed(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0)
        return false;
    char b[512];
    ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

struct trickle {
    int fd[SLOW_HEADER_CLIENTS + SLOW_BODY_CLIENTS];
    bool closed[SLOW_HEADER_CLIENTS + SLOW_BODY_CLIENTS];
    double closed_at[SLOW_HEADER_CLIENTS + SLOW_BODY_CLIENTS];
    int n;
    double start;
    volatile bool stop;
};

/* Every SLOW_STEP_MS: one more header line (or one more body byte) on every
 * connection still open; notes when the daemon cut each one. */
static void *trickle_main(void *arg)
{
    struct trickle *t = arg;
    for (int step = 0; !t->stop; step++) {
        for (int i = 0; i < t->n; i++) {
            if (t->closed[i])
                continue;
            char line[64];
            if (i < SLOW_HEADER_CLIENTS)
                snprintf(line, sizeof line, "X-Slow-%d: %d\r\n", step, i);
            else
                snprintf(line, sizeof line, "a");
            if (peer_closed(t->fd[i]) ||
                send(t->fd[i], line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                t->closed[i] = true;
                t->closed_at[i] = harness_now_ms() - t->start;
            }
        }
        harness_sleep_ms(SLOW_STEP_MS / 5);
        for (int k = 0; k < 4 && !t->stop; k++)
            harness_sleep_ms(SLOW_STEP_MS / 5);
    }
    return NULL;
}

START_TEST(slow_clients_are_cut)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), (const char *const[]){"--idle-timeout-s", "2", NULL});
    static struct trickle t;
    memset(&t, 0, sizeof t);
    t.start = harness_now_ms();
    for (int i = 0; i < SLOW_HEADER_CLIENTS + SLOW_BODY_CLIENTS; i++) {
        int fd = harness_connect(d.port);
        ck_assert_msg(fd >= 0, "expected slow connection %d to connect", i);
        const char *head = i < SLOW_HEADER_CLIENTS
                               ? "GET /health/live HTTP/1.1\r\nHost: x\r\n"
                               : "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                 "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{";
        ck_assert_int_eq(harness_send_all(fd, head, strlen(head)), 0);
        t.fd[t.n++] = fd;
    }
    pthread_t th;
    pthread_create(&th, NULL, trickle_main, &t);

    /* A well-behaved keep-alive client meanwhile: one request every 500 ms
     * on the same connection, each served at once. */
    int keep = harness_connect(d.port);
    double worst_live = 0;
    int keep_ok = 0, rounds = 0;
    char buf[4096];
    while (harness_now_ms() - t.start < SLOW_WATCH_MS) {
        struct harness_resp r;
        long st = harness_http_timeout(&d, "GET", "/health/live", NULL, NULL, &r, 2000);
        ck_assert_msg(st == 200, "expected /health/live 200 among slow clients, got %ld (%s)", st,
                      r.err);
        if (r.ms > worst_live)
            worst_live = r.ms;
        harness_resp_free(&r);
        const char *req = "GET /health/live HTTP/1.1\r\nHost: k\r\n\r\n";
        if (harness_send_all(keep, req, strlen(req)) == 0 &&
            harness_recv_response(keep, buf, sizeof buf, 1000) > 0 &&
            harness_raw_status(buf) == 200)
            keep_ok++;
        rounds++;
        harness_sleep_ms(SLOW_STEP_MS);
    }
    t.stop = true;
    pthread_join(th, NULL);
    int open_headers = 0, open_bodies = 0;
    double latest = 0;
    for (int i = 0; i < t.n; i++) {
        if (!t.closed[i] && !peer_closed(t.fd[i]))
            *(i < SLOW_HEADER_CLIENTS ? &open_headers : &open_bodies) += 1;
        else if (t.closed_at[i] > latest)
            latest = t.closed_at[i];
        close(t.fd[i]);
    }
    close(keep);
    harness_daemon_stop_clean(&d);
    ck_assert_msg(open_headers == 0,
                  "expected every header trickle cut within idle_timeout_s (2 s) of its first "
                  "byte; %d of %d still open after %d ms",
                  open_headers, SLOW_HEADER_CLIENTS, SLOW_WATCH_MS);
    ck_assert_msg(open_bodies == 0, "expected every body trickle cut; %d of %d still open",
                  open_bodies, SLOW_BODY_CLIENTS);
    ck_assert_msg(latest < 3500, "expected the cuts by 3.5 s, the last came at %.0f ms", latest);
    ck_assert_msg(worst_live < LIVE_MAX_MS,
                  "expected /health/live under %.0f ms while %d connections trickle, worst %.1f ms",
                  LIVE_MAX_MS, t.n, worst_live);
    ck_assert_msg(keep_ok == rounds,
                  "expected a busy keep-alive connection never cut (%d of %d requests served)",
                  keep_ok, rounds);
}
END_TEST

/* ------------------------------------------------------------ draining */

struct blocked_get {
    const struct harness_daemon *d;
    long status;
    double done_at;
};

static void *blocked_get_main(void *arg)
{
    struct blocked_get *b = arg;
    struct harness_resp r;
    b->status = harness_http_timeout(b->d, "GET", "/api/v1/clients",
                                     (const char *const[]){scale_bearer(), NULL}, NULL, &r, 15000);
    b->done_at = harness_now_ms();
    harness_resp_free(&r);
    return NULL;
}

START_TEST(sigterm_refuses_new_connections_and_finishes_inflight)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), NULL);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&d, "/api/v1/clients", scale_token(), &r),
                     200); /* warm the token */
    harness_resp_free(&r);
    PGconn *lock = harness_pg_connect(harness_db());
    ck_assert_int_eq(harness_pg_exec(lock, "BEGIN; LOCK TABLE clients IN ACCESS EXCLUSIVE MODE"),
                     0);
    struct blocked_get job = {.d = &d};
    pthread_t th;
    pthread_create(&th, NULL, blocked_get_main, &job);
    ck_assert_msg(harness_pg_wait_blocked(harness_db(), 1, 3000),
                  "expected the GET blocked on the lock");
    double term_at = harness_now_ms();
    kill(d.pid, SIGTERM);

    /* Within 300 ms every listening socket is closed: connect is refused. */
    int fd = 0;
    double refused_at = 0;
    while (harness_now_ms() - term_at < 300) {
        fd = harness_connect(d.port);
        if (fd < 0) {
            refused_at = harness_now_ms() - term_at;
            break;
        }
        close(fd);
        harness_sleep_ms(10);
    }
    bool refused = fd < 0;
    /* ... and stays refused while the request is in flight. */
    int late = -1;
    if (refused) {
        harness_sleep_ms(500);
        late = harness_connect(d.port);
        if (late >= 0)
            close(late);
    }
    double probed = harness_now_ms() - term_at;
    if (probed < 2000)
        harness_sleep_ms((int)(2000 - probed));
    int early = harness_daemon_wait(&d, 1);
    if (early != -1)
        pthread_join(th, NULL);
    ck_assert_msg(early == -1,
                  "expected the daemon to wait for the blocked GET, it exited %d (GET: %ld %.0f ms "
                  "after SIGTERM; probes took %.0f ms)",
                  early, job.status, job.done_at - term_at, probed);
    ck_assert_int_eq(harness_pg_exec(lock, "COMMIT"), 0);
    PQfinish(lock);
    pthread_join(th, NULL);
    int rc = harness_daemon_wait(&d, 10000);
    ck_assert_msg(refused, "expected new connections refused within 300 ms of SIGTERM");
    ck_assert_msg(late < 0,
                  "expected new connections still refused 500 ms later (first at %.0f ms)",
                  refused_at);
    ck_assert_msg(job.status == 200,
                  "expected the GET blocked 2 s behind a table lock to get 200, got %ld",
                  job.status);
    ck_assert_msg(rc == 0, "expected exit 0 after draining, got %d", rc);
}
END_TEST

/* ------------------------------------------------------------ fixtures */

static char *token;
static char bearer[600];

const char *scale_token(void)
{
    return token;
}

const char *scale_bearer(void)
{
    return harness_bearer(bearer, sizeof bearer, token);
}

static int setup(const char *db)
{
    char *id = harness_user_add(db, "Scale Co", "admin@scale.example", "admin", "long-enough-pw");
    token = id ? harness_token_create(db, "admin@scale.example", "scale", 1) : NULL;
    free(id);
    return token ? 0 : -1;
}

int main(void)
{
    Suite *s = suite_create("scale");
    TCase *tc = harness_tcase(s, "hardening");
    tcase_add_test(tc, slow_clients_are_cut);
    tcase_add_test(tc, sigterm_refuses_new_connections_and_finishes_inflight);
    scale_add_lb(s);
    scale_add_replica(s);
    scale_add_sentinel(s);
    return harness_main(s, "scale", setup);
}
