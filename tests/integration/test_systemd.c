/* Integration tests of the service-manager protocol: READY, STATUS, watchdog pings, RELOADING
 * around SIGHUP, STOPPING. */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"

#define MSG_MAX 64
#define MSG_LEN 512

/* What the daemon sent to NOTIFY_SOCKET, in order. */
struct notes {
    int fd;
    int n;
    char msg[MSG_MAX][MSG_LEN];
};

/* Binds a datagram socket in a fresh directory and points NOTIFY_SOCKET at
 * it (the daemon inherits the environment), with a watchdog of usec. */
static void notes_open(struct notes *t, const char *usec, char *dir, size_t dirsz)
{
    snprintf(dir, dirsz, "/tmp/onquota-notify-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", dir);
    t->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(t->fd, 0);
    ck_assert_int_eq(bind(t->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {0, 100000};
    setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
    setenv("WATCHDOG_USEC", usec, 1);
    unsetenv("WATCHDOG_PID");
    t->n = 0;
}

static void notes_close(struct notes *t, const char *dir)
{
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    close(t->fd);
    char path[300];
    snprintf(path, sizeof path, "%s/notify", dir);
    unlink(path);
    rmdir(dir);
}

/* Reads what arrives for ms milliseconds. */
static void notes_read(struct notes *t, int ms)
{
    double end = harness_now_ms() + ms;
    while (harness_now_ms() < end && t->n < MSG_MAX) {
        ssize_t got = recv(t->fd, t->msg[t->n], MSG_LEN - 1, 0);
        if (got > 0)
            t->msg[t->n++][got] = '\0';
    }
}

/* The index of the first message from `from` on that holds line, or -1. */
static int notes_find(const struct notes *t, int from, const char *line)
{
    for (int i = from; i < t->n; i++)
        if (strstr(t->msg[i], line))
            return i;
    return -1;
}

static int notes_count(const struct notes *t, const char *line)
{
    int k = 0;
    for (int i = 0; i < t->n; i++)
        k += strstr(t->msg[i], line) != NULL;
    return k;
}

static const char *const quiet[] = {"--no-jobs", NULL};

/* Ready with a status line, pings at half the watchdog period (every I/O
 * thread answering), RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1. */
START_TEST(notify_ready_watchdog_reload_stop)
{
    struct notes t;
    char dir[64];
    notes_open(&t, "400000", dir, sizeof dir); /* 0.4 s: a ping every 0.2 s */
    struct harness_daemon d;
    const char *const args[] = {"--io-threads", "3", "--no-jobs", NULL};
    harness_daemon_start(&d, harness_db(), args);
    notes_read(&t, 1500);
    int ready = notes_find(&t, 0, "READY=1");
    ck_assert_msg(ready >= 0, "expected READY=1 (got %d messages)", t.n);
    ck_assert_msg(strstr(t.msg[ready], "STATUS=serving on "),
                  "expected a STATUS line with READY=1, got \"%s\"", t.msg[ready]);
    int pings = notes_count(&t, "WATCHDOG=1");
    ck_assert_msg(pings >= 4,
                  "expected a ping every 0.2 s from 3 live I/O threads, got %d in 1.5 s", pings);

    int before = t.n;
    kill(d.pid, SIGHUP);
    notes_read(&t, 800);
    int reloading = notes_find(&t, before, "RELOADING=1");
    ck_assert_msg(reloading >= 0, "expected RELOADING=1 after SIGHUP");
    ck_assert_msg(strstr(t.msg[reloading], "MONOTONIC_USEC="),
                  "expected MONOTONIC_USEC with RELOADING=1, got \"%s\"", t.msg[reloading]);
    ck_assert_msg(notes_find(&t, reloading + 1, "READY=1") > reloading,
                  "expected READY=1 after RELOADING=1");

    before = t.n;
    kill(d.pid, SIGTERM);
    notes_read(&t, 800);
    int stopping = notes_find(&t, before, "STOPPING=1");
    ck_assert_msg(stopping >= 0 && strstr(t.msg[stopping], "STATUS=draining"),
                  "expected STOPPING=1 with a draining status");
    ck_assert_int_eq(harness_daemon_wait(&d, 10000), 0);
    notes_close(&t, dir);
}
END_TEST

/* Without NOTIFY_SOCKET nothing is sent and the daemon runs as usual. */
START_TEST(no_manager_no_messages)
{
    unsetenv("NOTIFY_SOCKET");
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), quiet);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&d, "/health/live", NULL, &r), 200);
    harness_resp_free(&r);
    harness_daemon_stop_clean(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("systemd");
    TCase *tc = harness_tcase(s, "notify");
    tcase_add_test(tc, notify_ready_watchdog_reload_stop);
    tcase_add_test(tc, no_manager_no_messages);
    return harness_main(s, "it_systemd", NULL);
}
