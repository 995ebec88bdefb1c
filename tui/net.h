/* Non-blocking HTTP for the client: curl multi, one reused keep-alive connection per lane. */
#ifndef ONQUOTA_TUI_NET_H
#define ONQUOTA_TUI_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net;

/* Requests go one at a time per lane, each lane on its own keep-alive
 * connection: the API's requests queue behind each other, and health
 * checks (/health/..., /metrics) never wait behind a slow API answer. */
enum net_lane { NET_LANE_DATA = 0, NET_LANE_HEALTH, NET_LANE_STREAM, NET_LANE_COUNT };

/* The lane of a path. */
enum net_lane net_lane_of(const char *path);

/* Settings of a client; the strings are copied by net_new. */
struct net_opts {
    const char *base_url;    /* "http://127.0.0.1:8000" (no trailing slash needed) */
    const char *token;       /* bearer token, or NULL: no Authorization header */
    const char *lang;        /* Accept-Language value ("en", "es"), or NULL */
    const char *cacert;      /* CA bundle for https, or NULL: the system's */
    long timeout_ms;         /* one exchange, from when it is sent (not queued); 0 = 10 s */
    long connect_timeout_ms; /* 0 = 3 s */
    size_t max_reply_bytes;  /* a longer reply body fails the exchange; 0 = NET_MAX_REPLY */
};

/* The default cap on one reply body: the largest real answer (a page of 100
 * quotes) is about 200 KB, so 8 MiB means something is wrong. */
#define NET_MAX_REPLY ((size_t)8 << 20)

/* The outcome of one exchange, valid only during the completion callback. */
struct net_result {
    const char *method;
    const char *path;  /* as given to net_get/net_send */
    long status;       /* HTTP status; 0 when the exchange failed (err says why) */
    bool not_modified; /* 304 to an If-None-Match: the caller's copy is current */
    const char *body;  /* NUL-terminated ("" when none) */
    size_t body_len;
    const char *etag;          /* the response's ETag, or NULL */
    const char *server_timing; /* the Server-Timing header, or NULL */
    const char *x_cache;       /* HIT, MISS, STALE, BYPASS, or NULL */
    const char *content_type;  /* or NULL */
    double total_ms;           /* wall time from sending (connect included) to the last byte */
    double server_ms;          /* request ready to send to the last byte back */
    uint64_t bytes_in;         /* headers + body received */
    uint64_t bytes_out;        /* request bytes sent */
    const char *err;           /* transport error text ("" when status != 0); a timeout reads
                                  "no answer in N s" */
};

/* Called once per finished exchange, from net_perform. r and its strings
 * live until the callback returns. */
typedef void (*net_done_fn)(void *ud, const struct net_result *r);

/* Running totals since net_new. */
struct net_stats {
    uint64_t requests, failures, not_modified;
    uint64_t bytes_in, bytes_out;
    uint64_t connects; /* new TCP connections opened (1 while keep-alive holds) */
};

/* Creates a client. Returns NULL with a malloc'd *err when libcurl cannot
 * be set up. curl_global_init must have run (net_global_init). Not
 * thread-safe: one thread drives a client. */
struct net *net_new(const struct net_opts *o, char **err);

/* Aborts every exchange in flight (no callbacks) and frees the client. */
void net_free(struct net *n);

/* Calls curl_global_init once per process (idempotent) and registers the
 * matching cleanup with atexit. */
void net_global_init(void);

/* Replaces the bearer token (NULL: none) for exchanges started afterwards. */
void net_set_token(struct net *n, const char *token);

/* Queues GET path (relative to the base URL, with its query). When
 * conditional, the last ETag seen for this exact path is sent in
 * If-None-Match and a 304 comes back as not_modified. done(ud, result) runs
 * from net_perform. Returns 0, or -1 when the request could not be queued
 * (done is then not called). */
int net_get(struct net *n, const char *path, bool conditional, net_done_fn done, void *ud);

/* Bytes of a stream as they arrive: status and content_type are the
 * answer's (content_type may be NULL). Return false to end the stream. */
typedef bool (*net_chunk_fn)(void *ud, long status, const char *content_type, const char *bytes,
                             size_t n);

/* Opens a long-lived GET of path (an event stream) on a lane of its own,
 * with no overall timeout: it ends when the server closes it, when no byte
 * arrives for 45 s (heartbeats come every 15 s), or when chunk returns
 * false. last_event_id (NULL: none) is sent as Last-Event-ID. done runs once
 * at the end (its body is empty). Same return as net_get. */
int net_stream(struct net *n, const char *path, const char *last_event_id, net_chunk_fn chunk,
               net_done_fn done, void *ud);

/* Queues method path with a JSON body (NULL: none). Same contract as net_get. */
int net_send(struct net *n, const char *method, const char *path, const char *json_body,
             net_done_fn done, void *ud);

/* Drops the remembered ETag of path (all paths when NULL), so the next
 * conditional GET fetches the body again. */
void net_forget_etag(struct net *n, const char *path);

/* Waits up to timeout_ms for network activity or for one of the nfds file
 * descriptors in fds to become readable, whichever comes first; returns
 * early on a signal (EINTR). Returns a bit mask: bit i set when fds[i] is
 * readable (nfds at most 8). */
unsigned net_wait(struct net *n, const int *fds, int nfds, int timeout_ms);

/* Moves every transfer forward without blocking and calls the completion
 * callbacks of the finished ones. */
void net_perform(struct net *n);

/* Exchanges queued or in flight. */
int net_pending(const struct net *n);

/* A copy of the running totals. */
struct net_stats net_get_stats(const struct net *n);

/* Blocking convenience for script modes: GET or send, wait for the answer
 * (at most the client's timeout), and hand it to done. Returns the status
 * (0 on a transport failure). */
long net_fetch_sync(struct net *n, const char *method, const char *path, const char *json_body,
                    net_done_fn done, void *ud);

#endif
