/* Quote line items: the /api/v1/sales/quotes/{id}/items routes. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "routes/quote_rules.h"
#include "routes/resource.h"
#include "routes/routes.h"

static const char *const items_sortable[] = {"created_at", "product_name", "subtotal", NULL};

/* Items sort by default in the order they were added. */
static const struct list_spec items_spec = {
    .sortable = items_sortable,
    .default_sort = "created_at",
    .filters = {{.name = NULL}},
};

static void quote_items_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &items_spec, &q))
        return;
    const char *p[] = {c->tenant_id, c->params[0], q.sort, q.limit, q.offset};
    PGresult *res = res_exec(c, &quotes_sql[Q_ITEMS_LIST], 5, p);
    if (!res)
        return;
    if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
        PQclear(res);
        resp_error(c, 404, "Not Found");
        return;
    }
    list_respond(c, &q, res);
}

/* Validates an item body against the locked quote h (it holds the item's
 * current amounts on an update) and computes the quote's new total. Answers
 * 422 or 409 and returns false. */
/* The body's checks into v against h's current total. */
static void item_check(const struct ctx *c, const struct quote_head *h, bool create,
                       struct quote_item *it, struct verr *v)
{
    if (quote_item_check(c->json, "body", create, v)) {
        quote_item_amounts(c->json, it);
        quote_total_check(h->total - (create ? 0 : h->item_sub) + it->sub, "body", v);
    }
}

static bool item_body(struct ctx *c, const struct quote_head *h, bool create, struct quote_item *it)
{
    struct verr v;
    verr_init(&v);
    item_check(c, h, create, it, &v);
    return !quote_reject(c, &v) && quote_draft_only(c, h);
}

/* Recomputes the quote's total from its items and commits; false after
 * answering. */
static bool total_commit(struct ctx *c)
{
    const char *p[] = {c->tenant_id, c->params[0]};
    PGresult *tot = res_exec(c, &quotes_sql[Q_TOTAL], 2, p);
    if (!tot)
        return false;
    PQclear(tot);
    return write_commit(c);
}

/* Commits and answers the item in res (consumed) with status. */
static void item_finish(struct ctx *c, int status, PGresult *res)
{
    if (!total_commit(c)) {
        PQclear(res);
        return;
    }
    char prefix[96];
    snprintf(prefix, sizeof prefix, QUOTES_PATH "/%s/items", c->params[0]);
    object_respond(c, status, res, prefix);
}

static void quote_item_create(struct ctx *c)
{
    struct quote_head h;
    struct quote_item it = {0};
    if (!quote_lock(c, NULL, NULL, NULL, &h) || !item_body(c, &h, true, &it))
        return;
    cJSON *rows = cJSON_CreateArray();
    cJSON_AddItemToArray(rows, quote_item_row(c->json, 1, &it));
    char *json = cJSON_PrintUnformatted(rows);
    cJSON_Delete(rows);
    const char *p[] = {c->tenant_id, c->params[0], json, "false"};
    PGresult *res = res_exec(c, &quotes_sql[Q_ITEMS_INSERT], 4, p);
    cJSON_free(json);
    if (res)
        item_finish(c, 201, res);
}

static void quote_item_update(struct ctx *c)
{
    struct quote_head h;
    if (!quote_lock(c, NULL, NULL, c->params[1], &h))
        return;
    struct quote_item it = {.q = h.item_q, .p = h.item_p, .d = h.item_d};
    if (!item_body(c, &h, false, &it))
        return;
    char q[32], pr[32], d[32], sub[32];
    money_format_cents(it.q, q, sizeof q);
    money_format_cents(it.p, pr, sizeof pr);
    money_format_cents(it.d, d, sizeof d);
    money_format_cents(it.sub, sub, sizeof sub);
    bool desc = cJSON_GetObjectItemCaseSensitive(c->json, "description") != NULL;
    const char *p[] = {c->tenant_id,
                       c->params[1],
                       body_str(c, "product_name"),
                       desc ? "true" : "false",
                       body_str(c, "description"),
                       q,
                       pr,
                       d,
                       sub};
    PGresult *res = res_exec(c, &quotes_sql[Q_ITEM_UPDATE], 9, p);
    if (res)
        item_finish(c, 200, res);
}

static void quote_item_delete(struct ctx *c)
{
    struct quote_head h;
    if (!quote_lock(c, NULL, NULL, c->params[1], &h) || !quote_draft_only(c, &h))
        return;
    if (h.nitems <= 1) {
        write_abort(c);
        resp_error(c, 409, "a quote keeps at least one item; delete the quote instead");
        return;
    }
    const char *p[] = {c->tenant_id, c->params[1]};
    PGresult *res = res_exec(c, &quotes_sql[Q_ITEM_DELETE], 2, p);
    if (!res)
        return;
    PQclear(res);
    if (total_commit(c))
        resp_empty(c, 204);
}

/* ---------------------------------------------------------------- checks */

/* Against a quote whose total is already the largest but one cent, so that
 * the total check is reached; an update's item holds that cent. */
static void check_create(struct ctx *c, struct verr *v)
{
    struct quote_head h = {.total = QUOTE_MAX_CENTS - 1};
    struct quote_item it = {0};
    item_check(c, &h, true, &it, v);
}

static void check_update(struct ctx *c, struct verr *v)
{
    struct quote_head h = {.total = QUOTE_MAX_CENTS - 1, .item_q = 100, .item_p = 1, .item_sub = 1};
    struct quote_item it = {.q = 100, .p = 1, .sub = 1};
    item_check(c, &h, false, &it, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &items_spec, &q);
}

const struct route_check quote_items_checks[] = {
    {.name = "quote_items.create", .body = true, .run = check_create},
    {.name = "quote_items.update", .body = true, .run = check_update},
    {.name = "quote_items.list", .run = check_list},
    {.name = NULL},
};

const struct route quote_items_routes[] = {
    ROUTE(EVHTTP_REQ_GET, QUOTES_PATH "/{id}/items", ROLES_ALL, CACHE_NONE, 0, quote_items_list),
    ROUTE(EVHTTP_REQ_POST, QUOTES_PATH "/{id}/items", ROLES_QUOTE_WRITE, CACHE_NONE, ROUTE_BODY,
          quote_item_create),
    ROUTE(EVHTTP_REQ_PUT, QUOTES_PATH "/{id}/items/{item_id}", ROLES_QUOTE_WRITE, CACHE_NONE,
          ROUTE_BODY, quote_item_update),
    ROUTE(EVHTTP_REQ_DELETE, QUOTES_PATH "/{id}/items/{item_id}", ROLES_QUOTE_WRITE, CACHE_NONE, 0,
          quote_item_delete),
    ROUTE_END,
};
