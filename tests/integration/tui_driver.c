/* The e2e tests' driver: onquotad on a chosen port, and the onquota client in a private tmux
 * server. */
#include "tui_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct tui_driver_state td;

/* ---------------------------------------------------------------- daemons on a chosen port */

/* Starts onquotad on port (0: a free one) with redis_url (NULL: $REDIS_URL)
 * and waits for /health/live; the harness's harness_daemon_* work on the result.
 * A fixed port lets a test stop the daemon and bring it back where the
 * client expects it. */
void tui_driver_daemon_at(struct harness_daemon *d, int port, const char *redis_url)
{
    memset(d, 0, sizeof *d);
    d->port = port ? port : harness_free_port();
    snprintf(d->log, sizeof d->log, "%.200s/onquotad-%d.log", td.work, d->port);
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", d->port);
    const char *redis = redis_url ? redis_url : getenv("REDIS_URL");
    const char *argv[] = {
        harness_onquotad(), "--listen", listen,        "--database-url", harness_db(),
        "--redis-url",      redis,      "--log-level", "warn",           NULL};
    pid_t pid = harness_spawn_logged(argv, d->log, true);
    d->pid = pid;
    for (int i = 0; i < 500; i++) {
        struct harness_resp r;
        long st = harness_http_timeout(d, "GET", "/health/live", NULL, NULL, &r, 500);
        harness_resp_free(&r);
        if (st == 200)
            return;
        harness_sleep_ms(20);
    }
    char *log = harness_daemon_log(d);
    harness_daemon_kill(d);
    ck_abort_msg("expected onquotad on port %d to come up; log:\n%s", d->port, log);
}

/* ---------------------------------------------------------------- tmux */

const char *tui_driver_onquota(void)
{
    const char *p = getenv("ONQUOTA");
    return p && *p ? p : "onquota";
}

char *tui_driver_tmux(const char *a0, ...)
{
    const char *argv[32] = {"tmux", "-L", td.sock};
    int n = 3;
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a && n < 31; a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    char *out = NULL;
    harness_run(argv, NULL, NULL, &out, NULL);
    return out;
}

/* Runs the client in a fresh w×h tmux session with extra environment
 * ("K=V K=V", may be "") and extra arguments. The shell prints its exit
 * status when it quits. */
void tui_driver_start(int w, int h, const char *env, const char *args)
{
    snprintf(td.errfile, sizeof td.errfile, "%s/tui-%d.err", td.work, (int)getpid());
    char cmd[2048], ws[16], hs[16];
    /* A clean environment, but the sanitizers' settings pass through. */
    char san[512] = "";
    static const char *const keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(keep[i]);
        if (v && *v && !strpbrk(v, "'\"\\$`"))
            snprintf(san + strlen(san), sizeof san - strlen(san), "%s='%s' ", keep[i], v);
    }
    snprintf(cmd, sizeof cmd,
             "env -i PATH=/usr/bin:/bin TERM=screen-256color HOME=%s XDG_CONFIG_HOME=%s "
             "LANG=C.UTF-8 %s %s %s --url %s --token-file %s --interval 1 %s 2>%s; "
             "echo EXIT=$?; sleep 600",
             td.work, td.work, san, env, tui_driver_onquota(), td.url, td.token_file, args,
             td.errfile);
    snprintf(ws, sizeof ws, "%d", w);
    snprintf(hs, sizeof hs, "%d", h);
    free(tui_driver_tmux("kill-server", (char *)NULL));
    free(tui_driver_tmux("-f", "/dev/null", "new-session", "-d", "-x", ws, "-y", hs, "-s", "t", cmd,
                         (char *)NULL));
}

char *tui_driver_capture(void)
{
    return tui_driver_tmux("capture-pane", "-p", "-t", "t", (char *)NULL);
}

void tui_driver_keys(const char *k)
{
    free(tui_driver_tmux("send-keys", "-t", "t", k, (char *)NULL));
}

void tui_driver_resize(int w, int h)
{
    char ws[16], hs[16];
    snprintf(ws, sizeof ws, "%d", w);
    snprintf(hs, sizeof hs, "%d", h);
    free(tui_driver_tmux("resize-window", "-t", "t", "-x", ws, "-y", hs, (char *)NULL));
}

/* Waits until the screen holds want (or, with absent, no longer holds it);
 * fails with the screen otherwise. Returns the last capture (caller frees). */
char *tui_driver_wait(const char *want, bool absent, int timeout_ms)
{
    double deadline = harness_now_ms() + timeout_ms;
    for (;;) {
        char *s = tui_driver_capture();
        bool has = strstr(s, want) != NULL;
        if (has != absent)
            return s;
        if (harness_now_ms() > deadline)
            ck_abort_msg("expected the screen %s \"%s\" within %d ms; it shows:\n%s",
                         absent ? "to lose" : "to show", want, timeout_ms, s);
        free(s);
        harness_sleep_ms(100);
    }
}

void tui_driver_expect(const char *want, int timeout_ms)
{
    free(tui_driver_wait(want, false, timeout_ms));
}

/* Quits with q, expects exit status 0 and a clean stderr, and kills tmux. */
void tui_driver_quit(void)
{
    tui_driver_keys("q");
    char *s = tui_driver_wait("EXIT=", false, 5000);
    ck_assert_msg(strstr(s, "EXIT=0"), "expected onquota to exit 0 on q; screen:\n%s", s);
    free(s);
    FILE *f = fopen(td.errfile, "r");
    char buf[8192] = "";
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    harness_assert_no_sanitizer(buf, "onquota");
    free(tui_driver_tmux("kill-server", (char *)NULL));
}

/* Kills this run's tmux server; runs at every exit, the forked tests' too,
 * so a failed test leaves no client behind. */
void tui_driver_cleanup(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1);
        dup2(null, 2);
        execlp("tmux", "tmux", "-L", td.sock, "kill-server", (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

void tui_driver_init(void)
{
    snprintf(td.sock, sizeof td.sock, "oq-e2e-%d", (int)getpid());
    atexit(tui_driver_cleanup);
}

int tui_driver_seed(const char *db_url, const char *name, char *token, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(td.work, sizeof td.work, "%.150s/onquota-%s-%d", t && *t ? t : "/tmp", name,
             (int)getpid());
    mkdir(td.work, 0700);
    snprintf(td.token_file, sizeof td.token_file, "%s/demo-token", td.work);
    char dburl[512];
    snprintf(dburl, sizeof dburl, "DATABASE_URL=%s", db_url);
    const char *argv[] = {harness_onquotad(), "seed",        "--demo",
                          "--token-file",     td.token_file, NULL};
    const char *env[] = {dburl, NULL};
    char *out = NULL, *err = NULL;
    int rc = harness_run(argv, NULL, env, &out, &err);
    if (rc != 0)
        fprintf(stderr, "seed failed (%d): %s%s\n", rc, out, err);
    free(out);
    free(err);
    FILE *f = fopen(td.token_file, "r");
    if (!f || !fgets(token, (int)n, f))
        rc = -1;
    if (f)
        fclose(f);
    token[strcspn(token, "\r\n")] = '\0';
    return rc == 0 ? 0 : -1;
}
