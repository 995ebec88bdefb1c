/* Unit tests of the client's HTTP layer against a slow loopback server: per-lane queues, timeouts
 * from sending, the timeout's words and latency figures. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "net.h"

/* ---------------------------------------------------------------- a slow server */

/* Serves one keep-alive connection: every request is answered after the
 * milliseconds its path names ("/slow?ms=600"; none: at once), with a
 * Server-Timing header stating that time. */
static void serve_conn(int fd)
{
    char req[4096];
    size_t have = 0;
    for (;;) {
        ssize_t got = read(fd, req + have, sizeof req - 1 - have);
        if (got <= 0)
            _exit(0);
        have += (size_t)got;
        req[have] = '\0';
        char *end;
        while ((end = strstr(req, "\r\n\r\n"))) {
            int ms = 0, bytes = 0;
            const char *p = strstr(req, "ms=");
            if (p && p < end)
                ms = atoi(p + 3);
            p = strstr(req, "bytes=");
            if (p && p < end)
                bytes = atoi(p + 6);
            usleep((useconds_t)ms * 1000);
            char resp[256];
            int n = snprintf(resp, sizeof resp,
                             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Server-Timing: app;dur=%d\r\nContent-Length: %d\r\n\r\n%s",
                             ms, bytes ? bytes : 2, bytes ? "" : "{}");
            if (write(fd, resp, (size_t)n) != n)
                _exit(0);
            /* "bytes=N": a body of N spaces (valid JSON whitespace, no value). */
            for (int left = bytes; left > 0;) {
                char chunk[4096];
                int k = left < (int)sizeof chunk ? left : (int)sizeof chunk;
                memset(chunk, ' ', (size_t)k);
                if (write(fd, chunk, (size_t)k) != k)
                    _exit(0);
                left -= k;
            }
            size_t used = (size_t)(end + 4 - req);
            memmove(req, end + 4, have - used + 1);
            have -= used;
        }
    }
}

static pid_t server_pid;
static int server_port;

static void server_start(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    ck_assert(listen(s, 16) == 0);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    server_port = ntohs(a.sin_port);
    server_pid = fork();
    ck_assert(server_pid >= 0);
    if (server_pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        signal(SIGCHLD, SIG_IGN);
        for (;;) {
            int c = accept(s, NULL, NULL);
            if (c < 0)
                continue;
            if (fork() == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                close(s);
                serve_conn(c);
            }
            close(c);
        }
    }
    close(s);
}

static void server_stop(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGKILL);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
}

static struct net *client(long timeout_ms)
{
    char url[64], *err = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", server_port);
    net_global_init();
    struct net_opts o = {.base_url = url, .timeout_ms = timeout_ms};
    struct net *n = net_new(&o, &err);
    ck_assert_msg(n, "net_new: %s", err ? err : "?");
    return n;
}

/* ---------------------------------------------------------------- answers */

#define MAXANS 8

struct answers {
    int n;
    char path[MAXANS][64];
    long status[MAXANS];
    char err[MAXANS][128];
    double total_ms[MAXANS], server_ms[MAXANS];
};

static void on_done(void *ud, const struct net_result *r)
{
    struct answers *a = ud;
    if (a->n >= MAXANS)
        return;
    snprintf(a->path[a->n], sizeof a->path[0], "%s", r->path);
    a->status[a->n] = r->status;
    snprintf(a->err[a->n], sizeof a->err[0], "%s", r->err ? r->err : "");
    a->total_ms[a->n] = r->total_ms;
    a->server_ms[a->n] = r->server_ms;
    a->n++;
}

static void run_all(struct net *n)
{
    for (int i = 0; i < 2000 && net_pending(n) > 0; i++) {
        net_perform(n);
        if (net_pending(n) > 0)
            net_wait(n, NULL, 0, 50);
    }
    ck_assert_int_eq(net_pending(n), 0);
}

/* Four answers of 600 ms each on one connection take 2.4 s; with a 1.5 s
 * timeout each still arrives, because the clock starts when it is sent. */
START_TEST(queued_requests_time_out_from_sending)
{
    server_start();
    struct net *n = client(1500);
    struct answers a = {0};
    char path[64];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/api/v1/slow?ms=600&i=%d", i);
        ck_assert_int_eq(net_get(n, path, false, on_done, &a), 0);
    }
    run_all(n);
    ck_assert_int_eq(a.n, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(a.status[i] == 200, "request %d: status %ld, error \"%s\"", i, a.status[i],
                      a.err[i]);
    net_free(n);
    server_stop();
}
END_TEST

/* A readiness check queued behind slow API requests is answered first: it
 * has its own connection. */
START_TEST(health_has_its_own_connection)
{
    server_start();
    struct net *n = client(10000);
    struct answers a = {0};
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/dashboard/kpis?ms=700&i=%d", i);
        ck_assert_int_eq(net_get(n, path, false, on_done, &a), 0);
    }
    ck_assert_int_eq(net_get(n, "/health/ready", false, on_done, &a), 0);
    run_all(n);
    ck_assert_int_eq(a.n, 4);
    ck_assert_msg(!strcmp(a.path[0], "/health/ready"),
                  "expected readiness answered first, got %s first", a.path[0]);
    ck_assert(net_lane_of("/metrics") == NET_LANE_HEALTH);
    ck_assert(net_lane_of("/api/v1/health") == NET_LANE_DATA);
    net_free(n);
    server_stop();
}
END_TEST

/* A request with no answer in time says so in plain words. */
START_TEST(timeout_says_no_answer)
{
    server_start();
    struct net *n = client(1000);
    struct answers a = {0};
    ck_assert_int_eq(net_get(n, "/api/v1/slow?ms=2500", false, on_done, &a), 0);
    run_all(n);
    ck_assert_int_eq(a.n, 1);
    ck_assert_int_eq(a.status[0], 0);
    ck_assert_msg(!strcmp(a.err[0], "no answer in 1 s"), "got \"%s\"", a.err[0]);
    net_free(n);
    server_stop();
}
END_TEST

/* The client's figure for an exchange is never below the time the server
 * spent on it. */
START_TEST(latency_covers_the_server_time)
{
    server_start();
    struct net *n = client(10000);
    struct answers a = {0};
    ck_assert_int_eq(net_get(n, "/api/v1/slow?ms=0", false, on_done, &a), 0);
    ck_assert_int_eq(net_get(n, "/api/v1/slow?ms=300", false, on_done, &a), 0);
    run_all(n);
    ck_assert_int_eq(a.n, 2);
    /* The total never runs short of the server's time. The server figure
     * starts when curl has handed the request over (PRETRANSFER), which
     * can be just after the server started on it: a millisecond or two of
     * slack there, none on the total. */
    ck_assert_msg(a.server_ms[1] >= 298 && a.total_ms[1] >= 300,
                  "expected at least 300 ms, got server %.3f total %.3f", a.server_ms[1],
                  a.total_ms[1]);
    ck_assert_msg(a.server_ms[0] > 0.01, "expected a real round trip, got %.4f ms", a.server_ms[0]);
    /* Queued behind each other, each still counts its own server time. */
    struct answers b = {0};
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(net_get(n, "/api/v1/slow?ms=200", false, on_done, &b), 0);
    run_all(n);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(b.server_ms[i] >= 198 && b.total_ms[i] >= 200,
                      "queued request %d: server %.3f total %.3f ms", i, b.server_ms[i],
                      b.total_ms[i]);
    net_free(n);
    server_stop();
}
END_TEST

/* A reply past the cap fails with a clear error instead of growing the
 * buffer; one under it arrives whole (curl's dynbuf "toobig"). */
START_TEST(reply_over_the_cap_is_refused)
{
    server_start();
    char url[64], *err = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", server_port);
    net_global_init();
    struct net_opts o = {.base_url = url, .timeout_ms = 5000, .max_reply_bytes = 65536};
    struct net *n = net_new(&o, &err);
    ck_assert(n);
    struct answers a = {0};
    ck_assert_int_eq(net_get(n, "/api/v1/big?bytes=60000", false, on_done, &a), 0);
    ck_assert_int_eq(net_get(n, "/api/v1/big?bytes=300000", false, on_done, &a), 0);
    run_all(n);
    ck_assert_int_eq(a.n, 2);
    ck_assert_msg(a.status[0] == 200, "expected 200 under the cap, got %ld (%s)", a.status[0],
                  a.err[0]);
    ck_assert_msg(a.status[1] == 0 && strstr(a.err[1], "reply larger than 65536 bytes"),
                  "expected the cap's error, got %ld \"%s\"", a.status[1], a.err[1]);
    net_free(n);
    server_stop();
}
END_TEST

/* A request queued from a stream's bytes (inside curl's callback) is sent
 * and answered, not refused. */
struct nested {
    struct net *n;
    struct answers *a;
    int chunks;
};

static bool on_chunk(void *ud, long status, const char *content_type, const char *bytes, size_t n)
{
    struct nested *x = ud;
    (void)status;
    (void)content_type;
    (void)bytes;
    (void)n;
    if (x->chunks++ == 0)
        ck_assert_int_eq(net_get(x->n, "/api/v1/after-event", false, on_done, x->a), 0);
    return true;
}

static void nested_done(void *ud, const struct net_result *r)
{
    struct nested *x = ud;
    on_done(x->a, r);
}

START_TEST(request_from_a_stream_callback_is_sent)
{
    server_start();
    struct net *n = client(5000);
    struct answers a = {0};
    struct nested x = {.n = n, .a = &a};
    ck_assert_int_eq(net_stream(n, "/api/v1/events", "id-1", on_chunk, nested_done, &x), 0);
    run_all(n);
    ck_assert_msg(x.chunks > 0, "the stream's bytes arrived");
    ck_assert_int_eq(a.n, 2);
    for (int i = 0; i < 2; i++)
        ck_assert_msg(a.status[i] == 200, "%s: status %ld \"%s\"", a.path[i], a.status[i],
                      a.err[i]);
    net_free(n);
    server_stop();
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    Suite *s = suite_create("tui_net");
    TCase *tc = tcase_create("net");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, queued_requests_time_out_from_sending);
    tcase_add_test(tc, health_has_its_own_connection);
    tcase_add_test(tc, timeout_says_no_answer);
    tcase_add_test(tc, latency_covers_the_server_time);
    tcase_add_test(tc, request_from_a_stream_callback_is_sent);
    tcase_add_test(tc, reply_over_the_cap_is_refused);
    suite_add_tcase(s, tc);
    return check_main(s);
}
