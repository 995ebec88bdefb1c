/* Integration tests of operator concerns: service ports, signals, reload, sockets, logs, metrics.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Linux's default ephemeral range starts here (net.ipv4.ip_local_port_range). */
#define EPHEMERAL_LOW 32768

#define FLAGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static struct h_daemon A, B;

static void down(void)
{
    h_daemon_stop_clean(&A);
    h_daemon_stop_clean(&B);
}

/* The path of scripts/services: $ONQUOTA_SERVICES, else the source tree's. */
static const char *services(void)
{
    static char path[1024];
    const char *s = getenv("ONQUOTA_SERVICES");
    if (s && *s)
        return s;
    snprintf(path, sizeof path, "%s/scripts/services", getenv("ONQUOTA_SOURCE_ROOT"));
    return path;
}

/* The port in "...127.0.0.1:PORT..." of the line of text starting with key. */
static long port_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    ck_assert_msg(p, "expected '%s' in: %s", key, text);
    p = strstr(p, "127.0.0.1:");
    ck_assert_msg(p, "expected 127.0.0.1:PORT after %s in: %s", key, text);
    return atol(p + strlen("127.0.0.1:"));
}

/* ------------------------------------------------------------ scripts */

/* Item 14: the default ports sit below the ephemeral range, and stay overridable. */
START_TEST(service_ports_below_ephemeral_range)
{
    char *out = NULL;
    int rc =
        h_run(FLAGS("env", "-u", "ONQUOTA_PG_PORT", "-u", "ONQUOTA_REDIS_PORT", services(), "env"),
              NULL, NULL, &out, NULL);
    ck_assert_int_eq(rc, 0);
    long pg = port_after(out, "DATABASE_URL"), redis = port_after(out, "REDIS_URL");
    ck_assert_msg(pg > 1024 && pg < EPHEMERAL_LOW,
                  "expected the default PostgreSQL port below "
                  "%d, got %ld",
                  EPHEMERAL_LOW, pg);
    ck_assert_msg(redis > 1024 && redis < EPHEMERAL_LOW,
                  "expected the default Redis port below "
                  "%d, got %ld",
                  EPHEMERAL_LOW, redis);
    free(out);
    out = NULL;
    rc = h_run(FLAGS(services(), "env"), NULL,
               FLAGS("ONQUOTA_PG_PORT=24111", "ONQUOTA_REDIS_PORT=24112"), &out, NULL);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(port_after(out, "DATABASE_URL"), 24111);
    ck_assert_int_eq(port_after(out, "REDIS_URL"), 24112);
    free(out);
}
END_TEST

/* ------------------------------------------------------------ signals */

/* Item 1: a SIGHUP right behind a SIGTERM must not cancel the shutdown. */
START_TEST(term_then_hup_still_stops)
{
    for (int i = 0; i < 3; i++) {
        h_daemon_start(&A, h_db(), NULL);
        kill(A.pid, SIGTERM);
        kill(A.pid, SIGHUP);
        int rc = h_daemon_wait(&A, 15000);
        if (rc == -1)
            h_daemon_kill(&A);
        ck_assert_msg(rc == 0, "trial %d: expected SIGTERM then SIGHUP to exit 0, got %d%s", i + 1,
                      rc, rc == -1 ? " (still running after 15 s)" : "");
    }
}
END_TEST

/* Writes text to a fresh config file named after this process into path. */
static void write_config(char *path, size_t n, const char *text)
{
    snprintf(path, n, "/tmp/onquota-ops-%d.conf", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_msg(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Waits up to timeout_ms for d's log to contain text. */
static bool log_shows(const struct h_daemon *d, const char *text, int timeout_ms)
{
    double deadline = h_now_ms() + timeout_ms;
    do {
        char *log = h_daemon_log(d);
        bool found = log && strstr(log, text);
        free(log);
        if (found)
            return true;
        h_sleep_ms(50);
    } while (h_now_ms() < deadline);
    return false;
}

/* How many of n GETs of path answer 429. */
static int count_429(const struct h_daemon *d, const char *path, const char *token, int n)
{
    int refused = 0;
    for (int i = 0; i < n; i++) {
        struct h_resp r;
        long st = h_get(d, path, token, &r);
        h_resp_free(&r);
        ck_assert_msg(st == 200 || st == 429, "expected 200 or 429 from %s, got %ld", path, st);
        refused += st == 429;
    }
    return refused;
}

/* Item 2: SIGHUP applies the rate limit and CORS at once, and names each
 * changed key that needs a restart. */
START_TEST(hup_applies_live_keys_and_names_the_rest)
{
    char conf[128], *token = h_token_create(h_db(), "admin@acme.example", "ops-hup", 1);
    ck_assert_ptr_nonnull(token);
    write_config(conf, sizeof conf, "rate_limit_per_token = 0\nio_threads = 2\n");
    h_daemon_start(&A, h_db(), FLAGS("--config", conf));
    ck_assert_int_eq(count_429(&A, "/api/v1/auth/me", token, 6), 0);

    write_config(conf, sizeof conf,
                 "rate_limit_per_token = 1/1\nio_threads = 3\njob_quote_expiry_s = 77\n"
                 "cors_origins = https://app.example\n");
    kill(A.pid, SIGHUP);
    ck_assert_msg(log_shows(&A, "need a restart", 5000),
                  "expected a warning naming the keys that need a restart");
    char *log = h_daemon_log(&A);
    ck_assert_msg(strstr(log, "io_threads") && strstr(log, "job_quote_expiry_s"),
                  "expected the warning to name io_threads and job_quote_expiry_s:\n%s", log);
    ck_assert_msg(!strstr(log, "rate_limit_per_token, ") && !strstr(log, "cors_origins, "),
                  "expected live keys not to be named as needing a restart:\n%s", log);
    free(log);
    ck_assert_int_ge(count_429(&A, "/api/v1/auth/me", token, 4), 2);

    struct h_resp r;
    char auth[256];
    const char *hdr[] = {"Origin: https://app.example", h_bearer(auth, sizeof auth, token), NULL};
    ck_assert_int_eq(h_http(&A, "GET", "/health", hdr, NULL, &r), 200);
    const char *acao = h_header(&r, "Access-Control-Allow-Origin");
    ck_assert_msg(acao && !strcmp(acao, "https://app.example"),
                  "expected CORS on after SIGHUP, got %s", acao ? acao : "no header");
    h_resp_free(&r);
    unlink(conf);
    free(token);
}
END_TEST

/* ------------------------------------------------------------ setup */

static int setup(const char *db)
{
    static const char *const reset[] = {"--scale", "1", "--reset", NULL};
    return h_seed_demo(db, reset);
}

static TCase *group(Suite *s, const char *name)
{
    TCase *tc = h_tcase(s, name);
    tcase_add_checked_fixture(tc, NULL, down);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("ops");
    TCase *tc = group(s, "scripts");
    tcase_add_test(tc, service_ports_below_ephemeral_range);
    tc = group(s, "signals");
    tcase_add_test(tc, term_then_hup_still_stops);
    tcase_add_test(tc, hup_applies_live_keys_and_names_the_rest);
    return h_main(s, "it_ops", setup);
}
