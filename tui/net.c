/* Non-blocking HTTP: curl multi, a keep-alive connection per lane, ETags, response headers. */
#include "net.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "xalloc.h"

#define NET_MAX_WAIT_FDS 8

/* One exchange in flight. */
struct req {
    CURL *easy;
    struct curl_slist *headers;
    struct buf body;
    char *method, *path, *post_body;
    char *etag, *server_timing, *x_cache, *content_type;
    net_done_fn done;
    void *ud;
    bool conditional;
    enum net_lane lane;
    bool sent;          /* handed to curl: its timeout runs from here */
    net_chunk_fn chunk; /* a stream: bytes go here, not into body */
    char *last_id;
    size_t cap;   /* the body may not grow past this (net_opts.max_reply_bytes) */
    bool too_big; /* it tried to: the exchange was cut */
    char errbuf[CURL_ERROR_SIZE];
    struct req *next;
};

/* The last ETag per path, for If-None-Match. */
struct etag_ent {
    char *path, *etag;
    struct etag_ent *next;
};

struct net {
    CURLM *multi;
    char *base, *token, *lang, *cacert;
    long timeout_ms, connect_ms;
    size_t max_reply;
    /* Per lane: requests waiting their turn (FIFO) and the one in flight.
     * A request is handed to curl only when its lane is free, so its
     * timeout counts from when it is sent, never time spent queued. */
    struct req *queue[NET_LANE_COUNT];
    struct req *running[NET_LANE_COUNT];
    struct req *refused; /* curl would not take them; reported by net_perform */
    bool performing;     /* inside curl_multi_perform: its callbacks may queue, not start */
    int npending;
    struct etag_ent *etags;
    struct net_stats st;
};

static void global_cleanup(void)
{
    curl_global_cleanup();
}

void net_global_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    atexit(global_cleanup);
}

struct net *net_new(const struct net_opts *o, char **err)
{
    struct net *n = xcalloc(1, sizeof *n);
    n->multi = curl_multi_init();
    if (!n->multi) {
        free(n);
        *err = xstrdup("libcurl: cannot create a multi handle");
        return NULL;
    }
    /* One reused connection per lane: data requests queue behind each other
     * (in net.c, not in curl), and health checks have a connection of their
     * own, so a slow answer never holds readiness up. */
    curl_multi_setopt(n->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)NET_LANE_COUNT);
    curl_multi_setopt(n->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)NET_LANE_COUNT);
    curl_multi_setopt(n->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
    curl_multi_setopt(n->multi, CURLMOPT_MAXCONNECTS, (long)NET_LANE_COUNT);
    size_t bl = strlen(o->base_url);
    while (bl > 0 && o->base_url[bl - 1] == '/')
        bl--;
    n->base = xstrndup(o->base_url, bl);
    n->token = o->token ? xstrdup(o->token) : NULL;
    n->lang = o->lang ? xstrdup(o->lang) : NULL;
    n->cacert = o->cacert ? xstrdup(o->cacert) : NULL;
    n->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
    n->connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 3000;
    n->max_reply = o->max_reply_bytes > 0 ? o->max_reply_bytes : NET_MAX_REPLY;
    return n;
}

static void req_free(struct req *r)
{
    curl_slist_free_all(r->headers);
    buf_free(&r->body);
    free(r->method);
    free(r->path);
    free(r->post_body);
    free(r->etag);
    free(r->server_timing);
    free(r->x_cache);
    free(r->content_type);
    free(r->last_id);
    free(r);
}

void net_free(struct net *n)
{
    if (!n)
        return;
    for (int l = 0; l < NET_LANE_COUNT; l++) {
        for (struct req *r = n->queue[l], *nx; r; r = nx) {
            nx = r->next;
            curl_easy_cleanup(r->easy);
            req_free(r);
        }
        for (struct req *r = l == 0 ? n->refused : NULL, *nx; r; r = nx) {
            nx = r->next;
            curl_easy_cleanup(r->easy);
            req_free(r);
        }
        if (n->running[l]) {
            curl_multi_remove_handle(n->multi, n->running[l]->easy);
            curl_easy_cleanup(n->running[l]->easy);
            req_free(n->running[l]);
        }
    }
    for (struct etag_ent *e = n->etags, *nx; e; e = nx) {
        nx = e->next;
        free(e->path);
        free(e->etag);
        free(e);
    }
    curl_multi_cleanup(n->multi);
    free(n->base);
    free(n->token);
    free(n->lang);
    free(n->cacert);
    free(n);
}

void net_set_token(struct net *n, const char *token)
{
    free(n->token);
    n->token = token ? xstrdup(token) : NULL;
}

/* ---------------------------------------------------------------- ETags */

static struct etag_ent *etag_find(struct net *n, const char *path)
{
    for (struct etag_ent *e = n->etags; e; e = e->next)
        if (strcmp(e->path, path) == 0)
            return e;
    return NULL;
}

static void etag_store(struct net *n, const char *path, const char *etag)
{
    struct etag_ent *e = etag_find(n, path);
    if (!e) {
        e = xcalloc(1, sizeof *e);
        e->path = xstrdup(path);
        e->next = n->etags;
        n->etags = e;
    }
    free(e->etag);
    e->etag = xstrdup(etag);
}

void net_forget_etag(struct net *n, const char *path)
{
    for (struct etag_ent **pp = &n->etags; *pp;) {
        struct etag_ent *e = *pp;
        if (!path || strcmp(e->path, path) == 0) {
            *pp = e->next;
            free(e->path);
            free(e->etag);
            free(e);
        } else {
            pp = &e->next;
        }
    }
}

/* ---------------------------------------------------------------- callbacks */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct req *r = ud;
    size_t len = size * nmemb;
    if (r->chunk) {
        /* A stream: its bytes go to the caller as they come, never kept. */
        long status = 0;
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
        return r->chunk(r->ud, status, r->content_type, p, len) ? len : 0;
    }
    if (len > r->cap - r->body.len) {
        r->too_big = true;
        return 0; /* curl ends the exchange with CURLE_WRITE_ERROR */
    }
    buf_add(&r->body, p, len);
    return len;
}

/* Copies the value of header line "Name: value\r\n" into *dst when its name
 * is name. */
static void take_header(const char *line, size_t len, const char *name, char **dst)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return;
    const char *v = line + nl + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    free(*dst);
    *dst = xstrndup(v, (size_t)(end - v));
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct req *r = ud;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new response (after a 100 Continue): forget the previous headers. */
        free(r->etag);
        free(r->server_timing);
        free(r->x_cache);
        free(r->content_type);
        r->etag = r->server_timing = r->x_cache = r->content_type = NULL;
        return len;
    }
    take_header(p, len, "ETag", &r->etag);
    take_header(p, len, "Server-Timing", &r->server_timing);
    take_header(p, len, "X-Cache", &r->x_cache);
    take_header(p, len, "Content-Type", &r->content_type);
    return len;
}

/* ---------------------------------------------------------------- requests */

enum net_lane net_lane_of(const char *path)
{
    if (strncmp(path, "/api/v1/events", 14) == 0)
        return NET_LANE_STREAM;
    return strncmp(path, "/health", 7) == 0 || strncmp(path, "/metrics", 8) == 0 ? NET_LANE_HEALTH
                                                                                 : NET_LANE_DATA;
}

/* Hands the next queued request of each free lane to curl. */
static void pump(struct net *n)
{
    for (int l = 0; l < NET_LANE_COUNT; l++) {
        while (!n->running[l] && n->queue[l]) {
            struct req *r = n->queue[l];
            n->queue[l] = r->next;
            r->next = NULL;
            if (curl_multi_add_handle(n->multi, r->easy) == CURLM_OK) {
                r->sent = true;
                n->running[l] = r;
                break;
            }
            /* curl refused it: net_perform reports it as failed. */
            snprintf(r->errbuf, sizeof r->errbuf, "libcurl could not start the request");
            r->next = n->refused;
            n->refused = r;
        }
    }
}

static int start(struct net *n, const char *method, const char *path, const char *body,
                 bool conditional, net_done_fn done, void *ud, net_chunk_fn chunk,
                 const char *last_id)
{
    struct req *r = xcalloc(1, sizeof *r);
    r->easy = curl_easy_init();
    if (!r->easy) {
        free(r);
        return -1;
    }
    r->method = xstrdup(method);
    r->path = xstrdup(path);
    r->post_body = body ? xstrdup(body) : NULL;
    r->done = done;
    r->ud = ud;
    r->conditional = conditional;
    r->lane = net_lane_of(path);
    r->chunk = chunk;
    r->last_id = last_id && *last_id ? xstrdup(last_id) : NULL;
    r->cap = n->max_reply;

    char *url = xasprintf("%s%s%s", n->base, path[0] == '/' ? "" : "/", path);
    CURL *e = r->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    free(url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    if (chunk) {
        /* A stream lasts; silence for 45 s (three missed heartbeats) ends it. */
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 0L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 45L);
    } else {
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, n->timeout_ms);
    }
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, n->connect_ms);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "onquota/" ONQUOTA_VERSION);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    if (n->cacert)
        curl_easy_setopt(e, CURLOPT_CAINFO, n->cacert);

    /* Headers are kept few and short: an unchanged refresh is mostly them
     * ("Accept:" drops curl's default Accept). */
    struct curl_slist *h = curl_slist_append(NULL, chunk ? "Accept: text/event-stream" : "Accept:");
    char line[512];
    if (r->last_id) {
        snprintf(line, sizeof line, "Last-Event-ID: %.400s", r->last_id);
        h = curl_slist_append(h, line);
    }
    if (n->lang) {
        snprintf(line, sizeof line, "Accept-Language: %s", n->lang);
        h = curl_slist_append(h, line);
    }
    if (n->token) {
        char *auth = xasprintf("Authorization: Bearer %s", n->token);
        h = curl_slist_append(h, auth);
        free(auth);
    }
    struct etag_ent *et = conditional ? etag_find(n, path) : NULL;
    if (et) {
        snprintf(line, sizeof line, "If-None-Match: %s", et->etag);
        h = curl_slist_append(h, line);
    }
    if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
        h = curl_slist_append(h, "Expect:");
        if (r->post_body) {
            h = curl_slist_append(h, "Content-Type: application/json");
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->post_body);
        } else {
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
        }
    }
    r->headers = h;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);

    struct req **tail = &n->queue[r->lane];
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    n->npending++;
    n->st.requests++;
    /* Inside curl_multi_perform (a stream's bytes queue a refetch) curl
     * takes no new handle: net_perform hands it over when perform returns. */
    if (!n->performing)
        pump(n);
    return 0;
}

int net_get(struct net *n, const char *path, bool conditional, net_done_fn done, void *ud)
{
    return start(n, "GET", path, NULL, conditional, done, ud, NULL, NULL);
}

int net_stream(struct net *n, const char *path, const char *last_event_id, net_chunk_fn chunk,
               net_done_fn done, void *ud)
{
    return start(n, "GET", path, NULL, false, done, ud, chunk, last_event_id);
}

int net_send(struct net *n, const char *method, const char *path, const char *json_body,
             net_done_fn done, void *ud)
{
    return start(n, method, path, json_body, false, done, ud, NULL, NULL);
}

/* Reports a finished exchange to its owner and releases it. */
static void finish(struct net *n, struct req *r, CURLcode rc)
{
    struct net_result res = {.method = r->method, .path = r->path, .err = ""};
    long status = 0;
    curl_off_t down = 0, hdr = 0, reqsz = 0, total_us = 0, pre_us = 0, first_us = 0;
    long conns = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
    curl_easy_getinfo(r->easy, CURLINFO_HEADER_SIZE, &hdr);
    curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &reqsz);
    curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &total_us);
    curl_easy_getinfo(r->easy, CURLINFO_PRETRANSFER_TIME_T, &pre_us);
    curl_easy_getinfo(r->easy, CURLINFO_STARTTRANSFER_TIME_T, &first_us);
    curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &conns);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        /* Say what happened, not curl's phase ("Failed to resolve host ...
         * with timeout after 0 ms"). */
        curl_off_t connect_us = 0;
        curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        if (connect_us > 0)
            snprintf(r->errbuf, sizeof r->errbuf, "no answer in %g s",
                     (double)n->timeout_ms / 1000);
        else
            snprintf(r->errbuf, sizeof r->errbuf, "no connection in %g s",
                     (double)n->connect_ms / 1000);
    }
    if (r->too_big)
        snprintf(r->errbuf, sizeof r->errbuf, "reply larger than %zu bytes (--max-reply-size)",
                 r->cap);
    if (rc != CURLE_OK) {
        status = 0;
        res.err = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
        n->st.failures++;
    }
    res.status = status;
    res.body = buf_str(&r->body);
    res.body_len = r->body.len;
    res.etag = r->etag;
    res.server_timing = r->server_timing;
    res.x_cache = r->x_cache;
    res.content_type = r->content_type;
    /* The request was handed to curl when its lane was free: the total
     * holds no queueing. The server's share runs from the request being
     * ready to send to the last byte back, so it is never less than the
     * time the server itself reports. */
    (void)first_us;
    res.total_ms = (double)total_us / 1000.0;
    res.server_ms = total_us > pre_us ? (double)(total_us - pre_us) / 1000.0 : res.total_ms;
    res.bytes_in = (uint64_t)(down + hdr);
    res.bytes_out = (uint64_t)reqsz + (r->post_body ? strlen(r->post_body) : 0);
    n->st.bytes_in += res.bytes_in;
    n->st.bytes_out += res.bytes_out;
    n->st.connects += (uint64_t)conns;
    if (status == 304 && r->conditional) {
        res.not_modified = true;
        n->st.not_modified++;
    } else if (status == 200 && r->etag && strcmp(r->method, "GET") == 0) {
        etag_store(n, r->path, r->etag);
    }

    /* Free the lane before the callback, which may queue new requests. */
    if (n->running[r->lane] == r)
        n->running[r->lane] = NULL;
    n->npending--;
    curl_multi_remove_handle(n->multi, r->easy);
    if (r->done)
        r->done(r->ud, &res);
    curl_easy_cleanup(r->easy);
    req_free(r);
    pump(n);
}

void net_perform(struct net *n)
{
    int running = 0;
    n->performing = true;
    curl_multi_perform(n->multi, &running);
    n->performing = false;
    pump(n);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(n->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        if (r)
            finish(n, r, m->data.result);
    }
    pump(n);
    while (n->refused) {
        struct req *r = n->refused;
        n->refused = r->next;
        struct net_result res = {
            .method = r->method, .path = r->path, .body = "", .err = r->errbuf};
        n->npending--;
        n->st.failures++;
        if (r->done)
            r->done(r->ud, &res);
        curl_easy_cleanup(r->easy);
        req_free(r);
    }
}

unsigned net_wait(struct net *n, const int *fds, int nfds, int timeout_ms)
{
    struct curl_waitfd w[NET_MAX_WAIT_FDS];
    if (nfds > NET_MAX_WAIT_FDS)
        nfds = NET_MAX_WAIT_FDS;
    for (int i = 0; i < nfds; i++)
        w[i] = (struct curl_waitfd){.fd = fds[i], .events = CURL_WAIT_POLLIN};
    int numfds = 0;
    if (curl_multi_poll(n->multi, w, (unsigned)nfds, timeout_ms, &numfds) != CURLM_OK) {
        /* Fall back to a plain poll of our descriptors. */
        struct pollfd p[NET_MAX_WAIT_FDS];
        for (int i = 0; i < nfds; i++)
            p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
        if (poll(p, (nfds_t)nfds, timeout_ms) <= 0)
            return 0;
        unsigned mask = 0;
        for (int i = 0; i < nfds; i++)
            if (p[i].revents)
                mask |= 1u << i;
        return mask;
    }
    unsigned mask = 0;
    for (int i = 0; i < nfds; i++)
        if (w[i].revents)
            mask |= 1u << i;
    return mask;
}

int net_pending(const struct net *n)
{
    return n->npending;
}

struct net_stats net_get_stats(const struct net *n)
{
    return n->st;
}

/* ---------------------------------------------------------------- blocking */

struct sync_ctx {
    bool done;
    long status;
    net_done_fn fn;
    void *ud;
};

static void sync_done(void *ud, const struct net_result *r)
{
    struct sync_ctx *c = ud;
    c->done = true;
    c->status = r->status;
    if (c->fn)
        c->fn(c->ud, r);
}

long net_fetch_sync(struct net *n, const char *method, const char *path, const char *json_body,
                    net_done_fn done, void *ud)
{
    struct sync_ctx c = {.fn = done, .ud = ud};
    int rc = strcmp(method, "GET") == 0 ? net_get(n, path, false, sync_done, &c)
                                        : net_send(n, method, path, json_body, sync_done, &c);
    if (rc != 0)
        return 0;
    while (!c.done) {
        net_perform(n);
        if (!c.done)
            net_wait(n, NULL, 0, 100);
    }
    return c.status;
}
