/* Request context helpers: header and query lookup, responses, the 422 error list. */
#include "api/request.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db.h"
#include "xalloc.h"

static const struct {
    unsigned role;
    const char *name;
} role_names[] = {
    {ROLE_SUPER_ADMIN, "super_admin"}, {ROLE_ADMIN, "admin"},     {ROLE_SUPERVISOR, "supervisor"},
    {ROLE_SALES_REP, "sales_rep"},     {ROLE_ANALYST, "analyst"},
};

unsigned role_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof role_names / sizeof role_names[0]; i++)
        if (!strcmp(role_names[i].name, name))
            return role_names[i].role;
    return 0;
}

const char *role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
        if (role_names[i].role == role)
            return role_names[i].name;
    return "unknown";
}

const char *ctx_header(const struct ctx *c, const char *name)
{
    for (int i = 0; i < c->nheaders; i++)
        if (!strcasecmp(c->headers[i].key, name))
            return c->headers[i].value;
    return NULL;
}

const char *ctx_query(const struct ctx *c, const char *name)
{
    for (int i = 0; i < c->nquery; i++)
        if (!strcmp(c->query[i].key, name))
            return c->query[i].value;
    return NULL;
}

void resp_json(struct ctx *c, int status, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    c->resp.status = status;
    buf_reset(&c->resp.body);
    buf_adds(&c->resp.body, text ? text : "null");
    free(text);
    c->resp.content_type = "application/json";
}

void resp_error(struct ctx *c, int status, const char *detail)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "detail", detail);
    resp_json(c, status, o);
}

void resp_empty(struct ctx *c, int status)
{
    c->resp.status = status;
    buf_reset(&c->resp.body);
    c->resp.content_type = NULL;
}

void resp_header(struct ctx *c, const char *name, const char *value)
{
    for (int i = 0; i < c->resp.nheaders; i++) {
        if (!strcasecmp(c->resp.headers[i].key, name)) {
            free(c->resp.headers[i].value);
            c->resp.headers[i].value = xstrdup(value);
            return;
        }
    }
    if (c->resp.nheaders == REQ_MAX_HEADERS)
        abort(); /* a programming error: handlers set a handful of headers */
    c->resp.headers[c->resp.nheaders].key = xstrdup(name);
    c->resp.headers[c->resp.nheaders].value = xstrdup(value);
    c->resp.nheaders++;
}

void resp_db_error(struct ctx *c, int db_status)
{
    switch (db_status) {
    case DB_UNAVAILABLE:
        resp_header(c, "Retry-After", "1");
        resp_error(c, 503, "Database unavailable");
        break;
    case DB_TIMEOUT:
        resp_error(c, 504, "Database statement timed out");
        break;
    case DB_UNIQUE:
        resp_error(c, 409, "Conflict with an existing record");
        break;
    default:
        resp_error(c, 500, "Internal server error");
        break;
    }
}

void verr_init(struct verr *v)
{
    v->list = cJSON_CreateArray();
}

void verr_add(struct verr *v, const char *loc, const char *msg, const char *type)
{
    cJSON *e = cJSON_CreateObject();
    cJSON *l = cJSON_AddArrayToObject(e, "loc");
    char *copy = xstrdup(loc), *save = NULL;
    for (char *part = strtok_r(copy, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
        bool numeric = *part != '\0';
        for (const char *p = part; *p; p++)
            numeric = numeric && isdigit((unsigned char)*p);
        cJSON_AddItemToArray(l,
                             numeric ? cJSON_CreateNumber(atoi(part)) : cJSON_CreateString(part));
    }
    free(copy);
    cJSON_AddStringToObject(e, "msg", msg);
    cJSON_AddStringToObject(e, "type", type);
    cJSON_AddItemToArray(v->list, e);
}

bool verr_any(const struct verr *v)
{
    return cJSON_GetArraySize(v->list) > 0;
}

bool verr_respond(struct verr *v, struct ctx *c)
{
    if (!verr_any(v))
        return false;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "detail", v->list);
    v->list = NULL;
    resp_json(c, 422, o);
    return true;
}

void verr_free(struct verr *v)
{
    cJSON_Delete(v->list);
    v->list = NULL;
}

static void kv_free(struct kv *kv, int n)
{
    for (int i = 0; i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
}

void ctx_free(struct ctx *c)
{
    if (!c)
        return;
    free(c->path);
    for (int i = 0; i < c->nparams; i++)
        free(c->params[i]);
    kv_free(c->query, c->nquery);
    kv_free(c->headers, c->nheaders);
    kv_free(c->resp.headers, c->resp.nheaders);
    free(c->body);
    cJSON_Delete(c->json);
    buf_free(&c->resp.body);
    free(c);
}
