/* Quotes: /api/v1/sales/quotes — list, get, create, update, delete, status transitions (items in
 * quote_items.c, what both share in quote_rules.c). */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "money.h"
#include "routes/quote_rules.h"
#include "routes/resource.h"
#include "routes/routes.h"
#include "uuid.h"

static const char *const statuses[] = {"draft", "sent", "accepted", "rejected", "expired", NULL};

/* Answers the quote c->params[0] (or id) with status after committing. */
static void quote_finish(struct ctx *c, int status, const char *id)
{
    const char *p[] = {c->tenant_id, id ? id : c->params[0]};
    PGresult *res = res_exec(c, &quotes_sql[Q_GET], 2, p);
    if (!res)
        return;
    if (write_commit(c))
        object_respond(c, status, res, QUOTES_PATH);
    else
        PQclear(res);
}

/* ---------------------------------------------------------------- list, get */

static void quote_get(struct ctx *c)
{
    const char *p[] = {c->tenant_id, c->params[0]};
    PGresult *res = res_exec(c, &quotes_sql[Q_GET], 2, p);
    if (res)
        object_respond(c, 200, res, NULL);
}

/* ---------------------------------------------------------------- bodies */

/* Every field but items (quote_items_parse checks those), all optional:
 * create adds its requirements. total_amount is only compared with the
 * server's total. */
static const struct field quote_fields[] = {
    {.name = "client_id", .type = F_UUID},
    {.name = "sales_rep_id", .type = F_UUID, .nullable = true},
    {.name = "quote_number", .type = F_STRING, .nullable = true, .min = 1, .max = 50},
    {.name = "currency", .type = F_STRING, .min = 3, .max = 3},
    {.name = "valid_until", .type = F_DATE},
    {.name = "notes", .type = F_STRING, .nullable = true},
    {.name = "total_amount", .type = F_MONEY, .nullable = true, .min = 0, .max = QUOTE_MAX_CENTS},
    {.name = NULL},
};

static const char *const create_required[] = {"client_id", "valid_until", "items", NULL};

/* body_validate of every member but "items", through a view of references. */
static void check_scalars(const cJSON *body, struct verr *v)
{
    if (body && !cJSON_IsObject(body)) {
        verr_add(v, "body", "must be a JSON object", "type_error.dict");
        return;
    }
    cJSON *view = cJSON_CreateObject();
    for (cJSON *ch = body ? body->child : NULL; ch; ch = ch->next)
        if (strcmp(ch->string, "items"))
            cJSON_AddItemReferenceToObject(view, ch->string, ch);
    body_validate_object(view, quote_fields, "body", v);
    cJSON_Delete(view);
}

/* Validates a create (create) or update body into v. When its items are
 * valid, *items is their Q_ITEMS_INSERT JSON (cJSON_free) and *total their
 * sum; without items *total is current (the quote's, or -1 on create). A
 * total_amount that disagrees with *total is an error. */
static void check_body(const struct ctx *c, bool create, int64_t current, struct verr *v,
                       char **items, int64_t *total)
{
    check_scalars(c->json, v);
    for (const char *const *n = create_required; create && cJSON_IsObject(c->json) && *n; n++) {
        if (!cJSON_GetObjectItemCaseSensitive(c->json, *n)) {
            char loc[64];
            snprintf(loc, sizeof loc, "body.%s", *n);
            verr_add(v, loc, "field required", "value_error.missing");
        }
    }
    const char *cur = body_str(c, "currency");
    if (cur && strlen(cur) == 3 && strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
        verr_add(v, "body.currency", "must be an ISO 4217 code: three upper-case letters",
                 "value_error.currency");
    const cJSON *its = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, "items") : NULL;
    *items = NULL;
    *total = current;
    if (its)
        quote_items_parse(its, v, items, total);
    const cJSON *sent = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, "total_amount") : NULL;
    int64_t cents;
    if ((its ? *items != NULL : current >= 0) && cJSON_IsNumber(sent) &&
        money_cents_from_double(sent->valuedouble, QUOTE_MAX_CENTS, &cents) && cents >= 0 &&
        cents != *total) {
        char msg[96], want[32];
        money_format_cents(*total, want, sizeof want);
        snprintf(msg, sizeof msg, "does not match the total of the items (%s)", want);
        verr_add(v, "body.total_amount", msg, "value_error.total_mismatch");
    }
}

static void check_refs(struct verr *v, bool client_ok, bool rep_ok)
{
    if (!client_ok)
        verr_add(v, "body.client_id", "no such client", "value_error.foreign_key");
    if (!rep_ok)
        verr_add(v, "body.sales_rep_id", "no such user", "value_error.foreign_key");
}

/* s when it is a UUID, else NULL (it is then already a 422 entry). */
static const char *uuid_or_null(const char *s)
{
    return s && uuid_parse(s, NULL) ? s : NULL;
}

/* A sales rep may only name themselves as the quote's sales rep. */
static bool rep_forbidden(const struct ctx *c)
{
    const char *rep = body_str(c, "sales_rep_id");
    return (c->role & ROLE_SALES_REP) && rep && strcasecmp(rep, c->user_id);
}

/* Runs statement q, whose quote_number may already be taken; answers (409
 * for that) and rolls back on failure. */
static PGresult *exec_numbered(struct ctx *c, enum quotes_query q, int n, const char *const *p)
{
    PGresult *res = NULL;
    enum db_status st = db_exec(c->db, &quotes_sql[q], n, p, &res);
    if (st == DB_OK)
        return res;
    write_abort(c);
    if (st == DB_UNIQUE)
        resp_error(c, 409, "a quote with this quote_number already exists");
    else
        resp_db_error(c, st);
    return NULL;
}

/* Inserts items (Q_ITEMS_INSERT's JSON) into quote id, replacing its
 * items when replace; false after answering. */
static bool put_items(struct ctx *c, const char *id, const char *items, bool replace)
{
    const char *p[] = {c->tenant_id, id, items, replace ? "true" : "false"};
    PGresult *res = res_exec(c, &quotes_sql[Q_ITEMS_INSERT], 4, p);
    if (!res)
        return false;
    PQclear(res);
    return true;
}

/* ---------------------------------------------------------------- create */

/* Inserts the quote and its items; answers and returns false on failure
 * (a duplicate quote_number is 409). */
static bool insert_quote(struct ctx *c, const char *client, const char *rep, const char *items,
                         int64_t total, char *id)
{
    char amount[32];
    money_format_cents(total, amount, sizeof amount);
    const char *cur = body_str(c, "currency");
    const char *p[] = {c->tenant_id,
                       client,
                       rep,
                       body_str(c, "quote_number"),
                       cur ? cur : "USD",
                       body_str(c, "valid_until"),
                       body_str(c, "notes"),
                       amount,
                       c->cfg->timezone};
    PGresult *res = exec_numbered(c, Q_INSERT, 9, p);
    if (!res)
        return false;
    snprintf(id, UUID_STR_LEN + 1, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return put_items(c, id, items, false);
}

static void quote_create(struct ctx *c)
{
    if (rep_forbidden(c)) {
        resp_error(c, 403, "Forbidden");
        return;
    }
    struct verr v;
    verr_init(&v);
    char *items = NULL, id[UUID_STR_LEN + 1];
    int64_t total;
    check_body(c, true, -1, &v, &items, &total);
    const char *client = uuid_or_null(body_str(c, "client_id"));
    const char *rep =
        body_has(c, "sales_rep_id") ? uuid_or_null(body_str(c, "sales_rep_id")) : c->user_id;
    /* The numbering lock is taken here, before the statement that reads
     * the largest number, so that its snapshot sees every earlier quote. */
    if (client && rep) {
        const char *p[] = {c->tenant_id, client, rep,
                           body_has(c, "quote_number") ? "false" : "true"};
        PGresult *res = write_begin(c) ? res_exec(c, &quotes_sql[Q_REFS], 4, p) : NULL;
        if (!res)
            goto out;
        check_refs(&v, PQgetvalue(res, 0, 0)[0] == 't', PQgetvalue(res, 0, 1)[0] == 't');
        PQclear(res);
    }
    if (!quote_reject(c, &v) && insert_quote(c, client, rep, items, total, id))
        quote_finish(c, 201, id);
out:
    verr_free(&v);
    cJSON_free(items);
}

/* ---------------------------------------------------------------- update, delete */

static void quote_update(struct ctx *c)
{
    struct quote_head h;
    const char *client = uuid_or_null(body_str(c, "client_id"));
    const char *rep = uuid_or_null(body_str(c, "sales_rep_id"));
    if (!quote_lock(c, client, rep, NULL, &h))
        return;
    if (rep_forbidden(c)) {
        write_abort(c);
        resp_error(c, 403, "Forbidden");
        return;
    }
    struct verr v;
    verr_init(&v);
    char *items = NULL, amount[32];
    int64_t total;
    check_body(c, false, h.total, &v, &items, &total);
    check_refs(&v, h.client_ok, h.rep_ok);
    if (quote_reject(c, &v) || !quote_draft_only(c, &h))
        goto out;
    money_format_cents(total, amount, sizeof amount);
    const char *p[] = {c->tenant_id,
                       c->params[0],
                       client,
                       rep,
                       body_str(c, "quote_number"),
                       body_str(c, "currency"),
                       body_str(c, "valid_until"),
                       c->json && cJSON_GetObjectItemCaseSensitive(c->json, "notes") ? "true"
                                                                                     : "false",
                       body_str(c, "notes"),
                       items ? amount : NULL};
    PGresult *res = exec_numbered(c, Q_UPDATE, 10, p);
    if (!res)
        goto out;
    PQclear(res);
    if (!items || put_items(c, c->params[0], items, true))
        quote_finish(c, 200, NULL);
out:
    cJSON_free(items);
}

static void quote_delete(struct ctx *c)
{
    struct quote_head h;
    if (!quote_lock(c, NULL, NULL, NULL, &h) || !quote_draft_only(c, &h))
        return;
    const char *p[] = {c->tenant_id, c->params[0]};
    PGresult *res = res_exec(c, &quotes_sql[Q_DELETE], 2, p);
    if (!res)
        return;
    PQclear(res);
    if (write_commit(c))
        resp_empty(c, 204);
}

/* ---------------------------------------------------------------- status */

/* The allowed moves from each status, as api.md lists them; the others
 * (accepted, rejected, expired) are final. */
static const struct {
    const char *from;
    const char *const to[4];
} transitions[] = {
    {"draft", {"sent", NULL}},
    {"sent", {"accepted", "rejected", "expired", NULL}},
};

static const struct field status_fields[] = {
    {.name = "status", .type = F_ENUM, .required = true, .values = statuses},
    {.name = NULL},
};

/* True when from -> to is allowed; otherwise writes the allowed targets
 * ("accepted, rejected, expired" or "none") into allowed. */
static bool transition_check(const char *from, const char *to, char *allowed, size_t n)
{
    snprintf(allowed, n, "none");
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
        if (strcmp(transitions[i].from, from))
            continue;
        allowed[0] = '\0';
        for (const char *const *t = transitions[i].to; *t; t++) {
            if (!strcmp(*t, to))
                return true;
            size_t len = strlen(allowed);
            snprintf(allowed + len, n - len, "%s%s", len ? ", " : "", *t);
        }
    }
    return false;
}

static void quote_status(struct ctx *c)
{
    struct quote_head h;
    if (!quote_lock(c, NULL, NULL, NULL, &h))
        return;
    struct verr v;
    verr_init(&v);
    body_validate(c, status_fields, &v);
    if (quote_reject(c, &v))
        return;
    const char *to = body_str(c, "status");
    char allowed[64];
    if (!transition_check(h.status, to, allowed, sizeof allowed)) {
        char msg[160];
        snprintf(msg, sizeof msg, "cannot move a quote from %s to %s; allowed: %s", h.status, to,
                 allowed);
        write_abort(c);
        resp_error(c, 409, msg);
        return;
    }
    const char *p[] = {c->tenant_id, c->params[0], to};
    PGresult *res = res_exec(c, &quotes_sql[Q_STATUS], 3, p);
    if (!res)
        return;
    PQclear(res);
    quote_finish(c, 200, NULL);
}

/* ---------------------------------------------------------------- checks */

static void check_create(struct ctx *c, struct verr *v)
{
    char *items;
    int64_t total;
    check_body(c, true, -1, v, &items, &total);
    cJSON_free(items);
}

/* An update of a quote whose items total 0.00. */
static void check_update(struct ctx *c, struct verr *v)
{
    char *items;
    int64_t total;
    check_body(c, false, 0, v, &items, &total);
    cJSON_free(items);
}

static void check_status(struct ctx *c, struct verr *v)
{
    body_validate(c, status_fields, v);
}

const struct route_check quotes_checks[] = {
    {.name = "quotes.create", .body = true, .run = check_create},
    {.name = "quotes.update", .body = true, .run = check_update},
    {.name = "quotes.status", .body = true, .run = check_status},
    {.name = "quotes.list", .run = quote_list_check},
    {.name = NULL},
};

/* ---------------------------------------------------------------- table */

const struct route quotes_routes[] = {
    ROUTE(EVHTTP_REQ_GET, QUOTES_PATH, ROLES_ALL, CACHE_NONE, 0, quote_list),
    ROUTE(EVHTTP_REQ_POST, QUOTES_PATH, ROLES_QUOTE_WRITE, CACHE_NONE, ROUTE_BODY, quote_create),
    ROUTE(EVHTTP_REQ_GET, QUOTES_PATH "/{id}", ROLES_ALL, CACHE_NONE, 0, quote_get),
    ROUTE(EVHTTP_REQ_PUT, QUOTES_PATH "/{id}", ROLES_QUOTE_WRITE, CACHE_NONE, ROUTE_BODY,
          quote_update),
    ROUTE(EVHTTP_REQ_DELETE, QUOTES_PATH "/{id}", ROLES_QUOTE_WRITE, CACHE_NONE, 0, quote_delete),
    ROUTE(EVHTTP_REQ_PATCH, QUOTES_PATH "/{id}/status", ROLES_QUOTE_WRITE, CACHE_NONE, ROUTE_BODY,
          quote_status),
    ROUTE_END,
};
