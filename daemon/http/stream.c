/* Server-Sent Events: long-lived /api/v1/events streams held by the I/O threads, fed by
 * cross-instance events. */
#include "http/stream.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "auth/auth.h"
#include "buf.h"
#include "uuid.h"
#include "xalloc.h"

#define STREAM_HUBS_MAX 256
#define EVENT_NAME_MAX 24
#define INSTANCE_LEN 8 /* hex characters naming this process in event ids */

struct stream {
    struct stream *next, *prev;
    struct evhttp_request *req;
    struct evhttp_connection *evcon;
    char tenant[UUID_STR_LEN + 1];
    char user[UUID_STR_LEN + 1];
    char token[65]; /* SHA-256 of the bearer token, hex */
};

struct stream_hub {
    struct event_base *base;
    struct event *heartbeat;
    struct stream *list;
};

/* One published event, kept in the replay ring and copied to each hub. */
struct note {
    unsigned long long id;
    char tenant[UUID_STR_LEN + 1]; /* "" = every tenant */
    char event[EVENT_NAME_MAX];
    char *data; /* owned */
};

static struct {
    pthread_mutex_t mu;
    struct stream_hub *hubs[STREAM_HUBS_MAX];
    int nhubs;
    unsigned long long last_id; /* 0 = none yet */
    struct note ring[STREAM_RING];
    char instance[INSTANCE_LEN + 1];
} reg = {.mu = PTHREAD_MUTEX_INITIALIZER};

static atomic_int open_streams;

/* ---------------------------------------------------------------- ids */

/* Names this process in event ids, so that an id from another instance
 * (after the client reconnected elsewhere) reads as a gap. Under reg.mu. */
static const char *instance_locked(void)
{
    if (!reg.instance[0]) {
        unsigned char raw[INSTANCE_LEN / 2];
        if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
            memset(raw, 0x5a, sizeof raw);
        for (size_t i = 0; i < sizeof raw; i++)
            snprintf(reg.instance + 2 * i, 3, "%02x", raw[i]);
    }
    return reg.instance;
}

bool stream_parse_last_id(const char *header, unsigned long long *id)
{
    if (!header)
        return false;
    pthread_mutex_lock(&reg.mu);
    const char *inst = instance_locked();
    bool ours = !strncmp(header, inst, INSTANCE_LEN) && header[INSTANCE_LEN] == '-';
    pthread_mutex_unlock(&reg.mu);
    if (!ours)
        return false;
    const char *digits = header + INSTANCE_LEN + 1;
    char *end = NULL;
    if (*digits < '0' || *digits > '9')
        return false;
    unsigned long long v = strtoull(digits, &end, 10);
    if (*end)
        return false;
    *id = v;
    return true;
}

/* ---------------------------------------------------------------- writing */

static void stream_unlink(struct stream_hub *hub, struct stream *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        hub->list = s->next;
    if (s->next)
        s->next->prev = s->prev;
    atomic_fetch_sub(&open_streams, 1);
}

/* Sends text on s, or drops s (closing its connection) when the client has
 * stopped reading and STREAM_BACKLOG_MAX waits unsent. Returns false when s
 * was dropped (and freed). */
static bool stream_write(struct stream_hub *hub, struct stream *s, const char *text, size_t len)
{
    struct bufferevent *bev = evhttp_connection_get_bufferevent(s->evcon);
    if (bev && evbuffer_get_length(bufferevent_get_output(bev)) > STREAM_BACKLOG_MAX) {
        stream_unlink(hub, s);
        struct evhttp_connection *evcon = s->evcon;
        free(s);
        evhttp_connection_free(evcon); /* its close callback no longer finds s */
        return false;
    }
    struct evbuffer *b = evbuffer_new();
    evbuffer_add(b, text, len);
    evhttp_send_reply_chunk(s->req, b);
    evbuffer_free(b);
    return true;
}

/* Ends s with the chunked terminator; the connection stays for keep-alive. */
static void stream_end(struct stream_hub *hub, struct stream *s)
{
    stream_unlink(hub, s);
    evhttp_send_reply_end(s->req);
    free(s);
}

/* The wire form of one event into out (n bytes); returns its length. */
static size_t note_format(const struct note *e, char *out, size_t n)
{
    int w = snprintf(out, n, "id: %s-%llu\nevent: %s\ndata: %s\n\n", reg.instance, e->id, e->event,
                     e->data);
    return w < 0 ? 0 : (size_t)w < n ? (size_t)w : n - 1;
}

/* ---------------------------------------------------------------- on each hub */

struct delivery {
    struct stream_hub *hub;
    struct note note;
};

static void deliver(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct delivery *d = arg;
    size_t cap = strlen(d->note.data) + 160;
    char *text = xmalloc(cap);
    size_t len = note_format(&d->note, text, cap);
    for (struct stream *s = d->hub->list, *next; s; s = next) {
        next = s->next;
        if (!d->note.tenant[0] || !strcmp(d->note.tenant, s->tenant))
            stream_write(d->hub, s, text, len);
    }
    free(text);
    free(d->note.data);
    free(d);
}

struct revocation {
    struct stream_hub *hub;
    char token[65];
    char user[UUID_STR_LEN + 1];
};

static void revoke_here(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct revocation *r = arg;
    for (struct stream *s = r->hub->list, *next; s; s = next) {
        next = s->next;
        if ((r->token[0] && !strcmp(r->token, s->token)) ||
            (r->user[0] && !strcmp(r->user, s->user)))
            stream_end(r->hub, s);
    }
    free(r);
}

static void on_heartbeat(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct stream_hub *hub = arg;
    static const char beat[] = ": heartbeat\n\n";
    for (struct stream *s = hub->list, *next; s; s = next) {
        next = s->next;
        stream_write(hub, s, beat, sizeof beat - 1);
    }
}

/* ---------------------------------------------------------------- hubs */

struct stream_hub *stream_hub_new(struct event_base *base)
{
    struct stream_hub *hub = xcalloc(1, sizeof *hub);
    hub->base = base;
    hub->heartbeat = event_new(base, -1, EV_PERSIST, on_heartbeat, hub);
    const struct timeval every = {STREAM_HEARTBEAT_S, 0};
    pthread_mutex_lock(&reg.mu);
    bool room = reg.nhubs < STREAM_HUBS_MAX;
    if (room && hub->heartbeat)
        reg.hubs[reg.nhubs++] = hub;
    pthread_mutex_unlock(&reg.mu);
    if (!room || !hub->heartbeat || event_add(hub->heartbeat, &every) != 0) {
        stream_hub_free(hub);
        return NULL;
    }
    return hub;
}

void stream_hub_free(struct stream_hub *hub)
{
    if (!hub)
        return;
    pthread_mutex_lock(&reg.mu);
    for (int i = 0; i < reg.nhubs; i++) {
        if (reg.hubs[i] == hub) {
            reg.hubs[i] = reg.hubs[--reg.nhubs];
            break;
        }
    }
    pthread_mutex_unlock(&reg.mu);
    while (hub->list) {
        struct stream *s = hub->list;
        stream_unlink(hub, s);
        free(s); /* its connection is libevent's to free */
    }
    if (hub->heartbeat)
        event_free(hub->heartbeat);
    free(hub);
}

/* ---------------------------------------------------------------- opening */

/* Writes to s what it missed after last (every kept event of its tenant or
 * of all), or "event: reset" when the gap is no longer kept. */
static void replay(struct stream_hub *hub, struct stream *s, bool has_last, unsigned long long last)
{
    struct buf out = BUF_INIT;
    pthread_mutex_lock(&reg.mu);
    unsigned long long newest = reg.last_id;
    unsigned long long oldest = newest >= STREAM_RING ? newest - STREAM_RING + 1 : 1;
    if (!has_last || last > newest || (last + 1 < oldest && newest > 0)) {
        char reset[128];
        snprintf(reset, sizeof reset, "event: reset\ndata: {\"last_id\":\"%s-%llu\"}\n\n",
                 instance_locked(), newest);
        buf_adds(&out, reset);
    } else {
        for (unsigned long long id = last + 1; id <= newest; id++) {
            const struct note *e = &reg.ring[id % STREAM_RING];
            if (e->id != id || (e->tenant[0] && strcmp(e->tenant, s->tenant)))
                continue;
            size_t cap = strlen(e->data) + 160;
            char *text = xmalloc(cap);
            buf_add(&out, text, note_format(e, text, cap));
            free(text);
        }
    }
    pthread_mutex_unlock(&reg.mu);
    if (out.len)
        stream_write(hub, s, out.data, out.len);
    buf_free(&out);
}

void stream_open(struct stream_hub *hub, struct evhttp_request *req, const struct ctx *c)
{
    struct stream *s = xcalloc(1, sizeof *s);
    s->req = req;
    s->evcon = evhttp_request_get_connection(req);
    snprintf(s->tenant, sizeof s->tenant, "%s", c->tenant_id);
    snprintf(s->user, sizeof s->user, "%s", c->user_id);
    auth_request_token_hash(c, s->token);
    evhttp_send_reply_start(req, 200, "OK");
    /* A stream is idle by nature: no read or write timeout ends it; the
     * heartbeat and the backlog cap watch it instead. */
    struct bufferevent *bev = evhttp_connection_get_bufferevent(s->evcon);
    if (bev)
        bufferevent_set_timeouts(bev, NULL, NULL);
    s->next = hub->list;
    if (hub->list)
        hub->list->prev = s;
    hub->list = s;
    atomic_fetch_add(&open_streams, 1);

    static const char hello[] = "retry: 3000\n: connected\n\n";
    if (!stream_write(hub, s, hello, sizeof hello - 1))
        return;
    unsigned long long last = 0;
    const char *header = ctx_header(c, "Last-Event-ID");
    bool has_last = stream_parse_last_id(header, &last);
    if (header || has_last)
        replay(hub, s, has_last, last);
}

void stream_closed(struct stream_hub *hub, struct evhttp_connection *evcon)
{
    if (!hub)
        return;
    for (struct stream *s = hub->list; s; s = s->next) {
        if (s->evcon == evcon) {
            struct evhttp_request *req = s->req;
            stream_unlink(hub, s);
            free(s);
            /* libevent frees the request with the connection, unless it let
             * go of it first (the client went away mid-stream, so the reply
             * is ours to end): ending it then frees it. */
            if (!evhttp_request_get_connection(req))
                evhttp_send_reply_end(req);
            return;
        }
    }
}

/* ---------------------------------------------------------------- publishing */

void stream_publish(const char *tenant_id, const char *event, const char *data)
{
    pthread_mutex_lock(&reg.mu);
    instance_locked();
    struct note *slot = &reg.ring[++reg.last_id % STREAM_RING];
    free(slot->data);
    slot->id = reg.last_id;
    snprintf(slot->tenant, sizeof slot->tenant, "%s", tenant_id ? tenant_id : "");
    snprintf(slot->event, sizeof slot->event, "%s", event);
    slot->data = xstrdup(data);
    for (int i = 0; i < reg.nhubs; i++) {
        struct delivery *d = xmalloc(sizeof *d);
        d->hub = reg.hubs[i];
        d->note = *slot;
        d->note.data = xstrdup(data);
        if (event_base_once(d->hub->base, -1, EV_TIMEOUT, deliver, d, NULL) != 0) {
            free(d->note.data);
            free(d);
        }
    }
    pthread_mutex_unlock(&reg.mu);
}

void stream_revoke(const char *token_hash_hex, const char *user_id)
{
    pthread_mutex_lock(&reg.mu);
    for (int i = 0; i < reg.nhubs; i++) {
        struct revocation *r = xcalloc(1, sizeof *r);
        r->hub = reg.hubs[i];
        snprintf(r->token, sizeof r->token, "%s", token_hash_hex ? token_hash_hex : "");
        snprintf(r->user, sizeof r->user, "%s", user_id ? user_id : "");
        if (event_base_once(r->hub->base, -1, EV_TIMEOUT, revoke_here, r, NULL) != 0)
            free(r);
    }
    pthread_mutex_unlock(&reg.mu);
}

static void close_here(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct stream_hub *hub = arg;
    while (hub->list)
        stream_end(hub, hub->list);
}

void stream_close_all(void)
{
    pthread_mutex_lock(&reg.mu);
    for (int i = 0; i < reg.nhubs; i++)
        event_base_once(reg.hubs[i]->base, -1, EV_TIMEOUT, close_here, reg.hubs[i], NULL);
    pthread_mutex_unlock(&reg.mu);
}

int stream_count(void)
{
    return atomic_load(&open_streams);
}
