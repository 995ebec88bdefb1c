/* The request context every handler receives, and the response it fills in. */
#ifndef ONQUOTA_REQUEST_H
#define ONQUOTA_REQUEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "runtime/config.h"
#include "uuid.h"

struct db;
struct rconn;
struct route;

enum role {
    ROLE_SUPER_ADMIN = 1 << 0,
    ROLE_ADMIN = 1 << 1,
    ROLE_SUPERVISOR = 1 << 2,
    ROLE_SALES_REP = 1 << 3,
    ROLE_ANALYST = 1 << 4,
};

/* Role sets used in route tables. ROLES_PUBLIC means "no token needed". */
#define ROLES_PUBLIC 0u
#define ROLES_ADMIN ((unsigned)(ROLE_SUPER_ADMIN | ROLE_ADMIN))
#define ROLES_MANAGE (ROLES_ADMIN | ROLE_SUPERVISOR)
#define ROLES_ALL (ROLES_MANAGE | ROLE_SALES_REP | ROLE_ANALYST)

/* "admin" <-> ROLE_ADMIN; role_parse returns 0 for an unknown name. */
unsigned role_parse(const char *name);
const char *role_name(unsigned role);

#define REQ_MAX_PARAMS 4
#define REQ_MAX_QUERY 16
#define REQ_MAX_HEADERS 16

struct kv {
    char *key;
    char *value;
};

struct resp {
    int status;
    struct buf body;
    const char *content_type; /* static string; default application/json */
    struct kv headers[REQ_MAX_HEADERS];
    int nheaders;
    bool no_store; /* Cache-Control: no-store (secrets in the body) */
};

/* Everything a handler may use. Built on the I/O thread from the evhttp
 * request (all strings copied), then handed to a worker, or run inline. */
struct ctx {
    /* request */
    const struct route *route;
    int method; /* EVHTTP_REQ_* */
    const char *method_name;
    char *path;
    char *params[REQ_MAX_PARAMS]; /* path parameters, in pattern order */
    int nparams;
    struct kv query[REQ_MAX_QUERY];
    int nquery;
    struct kv headers[REQ_MAX_HEADERS]; /* the request headers we keep */
    int nheaders;
    char *body;
    size_t body_len;
    cJSON *json; /* parsed body, when the route takes one */
    char request_id[65];
    char peer[64];  /* client address (behind a trusted proxy, from X-Forwarded-For) */
    char proxy[64]; /* the trusted proxy it came through, or "" */
    /* authentication (empty when the route is public) */
    bool authenticated;
    char tenant_id[UUID_STR_LEN + 1];
    char user_id[UUID_STR_LEN + 1];
    char token_id[UUID_STR_LEN + 1];
    unsigned role;
    /* resources of the thread running the handler (NULL inline) */
    struct db *db;
    struct db *primary; /* the worker's primary connection (writes), NULL inline */
    struct db *replica; /* its read replica connection, or NULL when there is none */
    struct rconn *redis;
    const struct config *cfg;
    /* bookkeeping */
    int steps_passed;         /* pipeline steps already passed (pipeline.c) */
    bool stream;              /* the answer is an event stream the server keeps open */
    double started;           /* time_mono() at arrival */
    bool background;          /* a warm-up, no client's request: not in the metrics */
    const char *cache_status; /* "HIT", ... or NULL */
    int queries;              /* SQL statements this request executed */
    double db_ms;             /* time spent in them */
    struct resp resp;
};

typedef void (*handler_fn)(struct ctx *c);

/* Request header lookup, case-insensitive; NULL when absent. */
const char *ctx_header(const struct ctx *c, const char *name);
/* Query parameter lookup; NULL when absent. */
const char *ctx_query(const struct ctx *c, const char *name);

/* Response helpers. Each replaces any earlier body. json is consumed. */
void resp_json(struct ctx *c, int status, cJSON *json);
/* {"detail": "<detail>"} */
void resp_error(struct ctx *c, int status, const char *detail);
/* 204 or another status with no body. */
void resp_empty(struct ctx *c, int status);
/* Adds a response header (copied). */
void resp_header(struct ctx *c, const char *name, const char *value);

/* The 422 list shape: {"detail": [{"loc": [...], "msg", "type"}]}. */
struct verr {
    cJSON *list;
};
void verr_init(struct verr *v);
/* Adds one error; loc is "body.items.0.quantity"-style dotted text whose
 * numeric parts become JSON numbers. */
void verr_add(struct verr *v, const char *loc, const char *msg, const char *type);
bool verr_any(const struct verr *v);
/* Answers 422 with the list (consumed); returns true if there was one. */
bool verr_respond(struct verr *v, struct ctx *c);
void verr_free(struct verr *v);

/* Maps a failed database status to the documented answer: 503 (with
 * Retry-After), 504, 409 or 500. */
void resp_db_error(struct ctx *c, int db_status);

void ctx_free(struct ctx *c);

#endif
