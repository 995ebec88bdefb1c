/* Idempotency-Key on POST: replaying the first answer of a retried request. */
#include "http/idempotency.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "store/redisconn.h"
#include "api/router.h"
#include "timeutil.h"
#include "token.h"
#include "store/fleet.h"

#define PENDING_TTL_S 60 /* a crashed first attempt frees its key after this */
#define DONE_TTL_S 86400 /* answers are replayed for 24 h */
#define WAIT_S 2.0       /* how long a concurrent retry waits for the first one */
#define POLL_MS 25
#define HEADER "Idempotency-Key"

static const char warn_cache[] = "199 - \"Idempotency-Key ignored: cache unavailable\"";
static const char warn_secret[] = "199 - \"Idempotency-Key ignored: the answer carries a secret\"";

/* 1–64 visible ASCII characters. */
static bool key_valid(const char *k)
{
    size_t n = strlen(k);
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7e)
            return false;
    return n >= 1 && n <= IDEM_KEY_MAX;
}

static void request_hash(const struct ctx *c, char out[65])
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s %s\n", c->method_name, c->path);
    if (c->body_len)
        buf_add(&b, c->body, c->body_len);
    sha256_hex(b.data ? b.data : "", b.len, out);
    buf_free(&b);
}

static void reject_key(struct ctx *c, const char *msg)
{
    struct verr v;
    verr_init(&v);
    verr_add(&v, "header." HEADER, msg, "value_error");
    verr_respond(&v, c);
    verr_free(&v);
}

/* ------------------------------------------------------------ replay */

/* A finished value: "D <hash> <status> <location or ->\n<body>". Answers c
 * with it; false when the value is malformed. */
static bool replay(struct ctx *c, const char *val, size_t len)
{
    char hash[65], loc[256];
    int status = 0;
    const char *nl = memchr(val, '\n', len);
    if (!nl || sscanf(val, "D %64s %d %255s", hash, &status, loc) != 3 || status < 200)
        return false;
    const char *body = nl + 1;
    size_t blen = len - (size_t)(body - val);
    if (blen) {
        c->resp.status = status;
        c->resp.content_type = "application/json";
        buf_reset(&c->resp.body);
        buf_add(&c->resp.body, body, blen);
    } else {
        resp_empty(c, status);
    }
    if (strcmp(loc, "-"))
        resp_header(c, "Location", loc);
    resp_header(c, "Idempotent-Replayed", "true");
    return true;
}

enum verdict { V_ANSWERED, V_PENDING, V_GONE };

/* Judges the stored value of our key against this request. */
static enum verdict judge(struct ctx *c, const struct idem *st, const redisReply *rep)
{
    if (rep->type != REDIS_REPLY_STRING || rep->len < 2 + 64)
        return V_GONE;
    if (strncmp(rep->str + 2, st->hash, 64)) {
        reject_key(c, "was already used with a different request body");
        return V_ANSWERED;
    }
    if (rep->str[0] == 'P')
        return V_PENDING;
    if (!replay(c, rep->str, rep->len))
        resp_error(c, 500, "Internal server error");
    return V_ANSWERED;
}

/* ------------------------------------------------------------ begin, finish */

/* SET NX of the pending marker: 1 taken, 0 already there, -1 Redis down. */
static int take_marker(struct ctx *c, const struct idem *st)
{
    char marker[80];
    snprintf(marker, sizeof marker, "P %s", st->hash);
    redisReply *rep =
        c->redis ? rconn_cmd(c->redis, "SET %s %s NX EX %d", st->rkey, marker, PENDING_TTL_S)
                 : NULL;
    if (!rep)
        return -1;
    int rc = rep->type == REDIS_REPLY_STATUS;
    freeReplyObject(rep);
    return rc;
}

bool idem_begin(struct ctx *c, struct idem *st)
{
    memset(st, 0, sizeof *st);
    const char *key = ctx_header(c, HEADER);
    if (!key || c->method != EVHTTP_REQ_POST || !c->authenticated)
        return true;
    if (!key_valid(key)) {
        reject_key(c, "must be 1 to 64 visible ASCII characters");
        return false;
    }
    if (c->route->flags & ROUTE_SECRET) {
        st->secret = true;
        return true;
    }
    fleet_key(st->rkey, sizeof st->rkey, "idem", "{%s}:%s:%s", c->tenant_id, c->token_id, key);
    request_hash(c, st->hash);
    double deadline = time_mono() + WAIT_S;
    for (;;) {
        int taken = take_marker(c, st);
        if (taken != 0) {
            st->owner = taken == 1;
            st->ignored = taken < 0;
            return true;
        }
        redisReply *rep = rconn_cmd(c->redis, "GET %s", st->rkey);
        if (!rep) {
            st->ignored = true;
            return true;
        }
        enum verdict v = judge(c, st, rep);
        freeReplyObject(rep);
        if (v == V_ANSWERED)
            return false;
        if (time_mono() >= deadline) {
            resp_error(c, 409, "request with this Idempotency-Key is in progress");
            return false;
        }
        if (v == V_PENDING)
            nanosleep(&(struct timespec){0, POLL_MS * 1000000L}, NULL);
        /* V_GONE: the key expired meanwhile; try to take it again (a value
         * we cannot read ends with the deadline too) */
    }
}

static const char *resp_location(const struct ctx *c)
{
    for (int i = 0; i < c->resp.nheaders; i++)
        if (!strcasecmp(c->resp.headers[i].key, "Location"))
            return c->resp.headers[i].value;
    return "-";
}

void idem_finish(struct ctx *c, const struct idem *st)
{
    if (st->ignored || st->secret)
        resp_header(c, "Warning", st->secret ? warn_secret : warn_cache);
    if (!st->owner)
        return;
    int status = c->resp.status;
    redisReply *rep;
    if (status >= 200 && status < 500 && status != 429) {
        struct buf v = BUF_INIT;
        buf_printf(&v, "D %s %d %s\n", st->hash, status, resp_location(c));
        if (status != 204 && c->resp.body.len)
            buf_add(&v, c->resp.body.data, c->resp.body.len);
        char ttl[16];
        snprintf(ttl, sizeof ttl, "%d", DONE_TTL_S);
        const char *argv[] = {"SET", st->rkey, v.data, "EX", ttl};
        size_t lens[] = {3, strlen(st->rkey), v.len, 2, strlen(ttl)};
        rep = rconn_cmdv(c->redis, 5, argv, lens);
        buf_free(&v);
    } else {
        rep = rconn_cmd(c->redis, "DEL %s", st->rkey); /* a retry runs again */
    }
    if (rep)
        freeReplyObject(rep);
}
