/* Integration tests of GET /api/v1/events: Server-Sent Events per tenant, replay, revocation, idle
 * connections. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct harness_daemon D;
static char *token, *other_token;

static int setup(const char *db)
{
    char *a = harness_user_add(db, "Stream Co", "admin@stream.example", "admin", "long-enough-pw");
    char *b = harness_user_add(db, "Other Co", "admin@other.example", "admin", "long-enough-pw");
    token = a ? harness_token_create(db, "admin@stream.example", "events", 1) : NULL;
    other_token = b ? harness_token_create(db, "admin@other.example", "events", 1) : NULL;
    free(a);
    free(b);
    return token && other_token ? 0 : -1;
}

/* idle_timeout_s 2: a stream must outlive it. */
static const char *const args[] = {"--no-jobs", "--idle-timeout-s", "2", NULL};

static void up(void)
{
    harness_daemon_start(&D, harness_db(), args);
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
}

/* ---------------------------------------------------------------- a raw stream */

struct sse {
    int fd;
    char text[65536]; /* everything read so far, NUL-terminated */
    size_t len;
};

/* Opens GET /api/v1/events with token (and a Last-Event-ID, or NULL). */
static void sse_open(struct sse *s, const char *tok, const char *last_id)
{
    char req[512], last[160] = "";
    if (last_id)
        snprintf(last, sizeof last, "Last-Event-ID: %s\r\n", last_id);
    snprintf(req, sizeof req,
             "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
             "Authorization: Bearer %s\r\n%s\r\n",
             tok, last);
    s->fd = harness_connect(D.port);
    ck_assert_int_ge(s->fd, 0);
    s->len = 0;
    s->text[0] = '\0';
    ck_assert_int_eq(harness_send_all(s->fd, req, strlen(req)), 0);
}

/* Reads until want appears after byte from, or ms pass. Returns a pointer
 * into s->text, or NULL. EOF counts as "not yet". */
static const char *sse_wait(struct sse *s, size_t from, const char *want, int ms)
{
    double end = harness_now_ms() + ms;
    for (;;) {
        const char *hit = s->len > from ? strstr(s->text + from, want) : NULL;
        if (hit)
            return hit;
        int left = (int)(end - harness_now_ms());
        if (left <= 0 || s->len + 1 >= sizeof s->text)
            return NULL;
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        if (poll(&p, 1, left) <= 0)
            continue;
        ssize_t got = read(s->fd, s->text + s->len, sizeof s->text - 1 - s->len);
        if (got <= 0)
            return strstr(s->text + from, want);
        s->len += (size_t)got;
        s->text[s->len] = '\0';
    }
}

static void sse_close(struct sse *s)
{
    close(s->fd);
}

/* Creates a client as tok (one write: the tenant's cache generation moves). */
static void write_something(const char *tok, const char *name)
{
    char body[128];
    snprintf(body, sizeof body, "{\"name\": \"%s\"}", name);
    struct harness_resp r;
    long st = harness_send(&D, "POST", "/api/v1/clients", tok, body, &r);
    ck_assert_msg(st == 201, "expected 201 creating a client, got %ld: %s", st, r.body);
    harness_resp_free(&r);
}

/* The id of the last "id:" line at or after from ("" when none) into out. */
static void last_id(const struct sse *s, size_t from, char *out, size_t n)
{
    out[0] = '\0';
    for (const char *p = s->text + from; (p = strstr(p, "id: ")); p += 4)
        snprintf(out, n, "%.*s", (int)strcspn(p + 4, "\r\n"), p + 4);
}

/* ---------------------------------------------------------------- tests */

START_TEST(no_token_no_stream)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&D, "/api/v1/events", NULL, &r), 401);
    harness_resp_free(&r);
}
END_TEST

/* A write shows on the writer's tenant's stream within a second, and never
 * on another tenant's; the stream outlives idle_timeout_s. */
START_TEST(a_write_reaches_its_tenant_only)
{
    struct sse mine, theirs;
    sse_open(&mine, token, NULL);
    sse_open(&theirs, other_token, NULL);
    ck_assert_msg(sse_wait(&mine, 0, ": connected", 3000), "expected the stream to open, got %s",
                  mine.text);
    ck_assert_msg(strstr(mine.text, "200 OK") && strstr(mine.text, "text/event-stream"),
                  "expected 200 text/event-stream, got %.300s", mine.text);
    ck_assert(sse_wait(&theirs, 0, ": connected", 3000));
    harness_sleep_ms(3000); /* past idle_timeout_s = 2 */
    size_t mark = mine.len, other_mark = theirs.len;
    double t0 = harness_now_ms();
    write_something(token, "Pushed Client");
    const char *ev = sse_wait(&mine, mark, "event: dashboard", 1000);
    ck_assert_msg(ev, "expected 'event: dashboard' within 1 s of the write, got: %s",
                  mine.text + mark);
    ck_assert_msg(harness_now_ms() - t0 < 1000, "the event took %.0f ms", harness_now_ms() - t0);
    ck_assert_msg(!sse_wait(&theirs, other_mark, "event: dashboard", 500),
                  "another tenant's stream heard the write: %s", theirs.text + other_mark);
    sse_close(&mine);
    sse_close(&theirs);
}
END_TEST

/* Reconnecting with the last id seen replays what was missed; an id this
 * daemon does not know gets "event: reset". */
START_TEST(last_event_id_replays_or_resets)
{
    struct sse s;
    sse_open(&s, token, NULL);
    ck_assert(sse_wait(&s, 0, ": connected", 3000));
    write_something(token, "First");
    ck_assert(sse_wait(&s, 0, "event: dashboard", 2000));
    ck_assert(sse_wait(&s, 0, "\n\n", 500));
    char seen[96];
    last_id(&s, 0, seen, sizeof seen);
    ck_assert_msg(seen[0], "expected an id line, got %s", s.text);
    sse_close(&s);

    write_something(token, "Missed");
    harness_sleep_ms(300); /* the event reaches the daemon through Redis */
    struct sse again;
    sse_open(&again, token, seen);
    ck_assert_msg(sse_wait(&again, 0, "event: dashboard", 2000),
                  "expected the missed event replayed after %s, got %s", seen, again.text);
    char replayed[96];
    last_id(&again, 0, replayed, sizeof replayed);
    ck_assert_msg(strcmp(replayed, seen), "expected a newer id than %s", seen);
    sse_close(&again);

    struct sse stranger;
    sse_open(&stranger, token, "0badc0de-42");
    ck_assert_msg(sse_wait(&stranger, 0, "event: reset", 2000),
                  "expected 'event: reset' for an unknown id, got %s", stranger.text);
    sse_close(&stranger);
}
END_TEST

/* Revoking the token ends its streams (the chunked answer is closed). */
START_TEST(revoking_the_token_ends_the_stream)
{
    char *db = (char *)harness_db();
    char *tok = harness_token_create(db, "admin@stream.example", "short-lived", 1);
    ck_assert_ptr_nonnull(tok);
    struct sse s;
    sse_open(&s, tok, NULL);
    ck_assert(sse_wait(&s, 0, ": connected", 3000));
    size_t mark = s.len;
    struct harness_resp r;
    ck_assert_int_eq(harness_send(&D, "POST", "/api/v1/auth/logout", tok, NULL, &r), 204);
    harness_resp_free(&r);
    ck_assert_msg(sse_wait(&s, mark, "0\r\n\r\n", 2000),
                  "expected the stream to end after the token was revoked, got %s", s.text + mark);
    sse_close(&s);
    free(tok);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("events");
    TCase *tc = harness_tcase(s, "events");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, no_token_no_stream);
    tcase_add_test(tc, a_write_reaches_its_tenant_only);
    tcase_add_test(tc, last_event_id_replays_or_resets);
    tcase_add_test(tc, revoking_the_token_ends_the_stream);
    return harness_main(s, "it_events", setup);
}
