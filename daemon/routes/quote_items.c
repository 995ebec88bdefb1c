/* Quote line items: their validation and exact arithmetic, and the /quotes/{id}/items routes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "routes/quotes.h"
#include "routes/resource.h"

/* ---------------------------------------------------------------- arithmetic */

const struct field quote_item_fields[] = {
    {.name = "product_name", .type = F_STRING, .min = 1, .max = 255},
    {.name = "description", .type = F_STRING, .nullable = true},
    {.name = "quantity", .type = F_MONEY, .min = 0, .gt_min = true, .max = CENTS_NUMERIC_10_2},
    {.name = "unit_price", .type = F_MONEY, .min = 0, .max = CENTS_NUMERIC_12_2},
    {.name = "discount_percent", .type = F_MONEY, .nullable = true, .min = 0, .max = 10000},
    {.name = NULL},
};

static const char *const item_required[] = {"product_name", "quantity", "unit_price", NULL};

int64_t quote_item_subtotal(int64_t q, int64_t p, int64_t d)
{
    /* q/100 * p/100 * (1 - d/10000) in cents is q * p * (10000 - d) / 1e6;
     * at most 1e9 * 1e11 * 1e4, which needs 128 bits. Never negative. */
    __int128 x = (__int128)q * p * (10000 - d);
    return (int64_t)((x + 500000) / 1000000);
}

bool quote_item_check(const cJSON *obj, const char *prefix, bool required, struct verr *v)
{
    bool ok = body_validate_object(obj, quote_item_fields, prefix, v);
    for (const char *const *n = item_required; required && (!obj || cJSON_IsObject(obj)) && *n;
         n++) {
        if (!cJSON_GetObjectItemCaseSensitive(obj, *n)) {
            char loc[96];
            snprintf(loc, sizeof loc, "%s.%s", prefix, *n);
            verr_add(v, loc, "field required", "value_error.missing");
            ok = false;
        }
    }
    return ok;
}

/* The cents of a validated F_MONEY member, or keep when absent or null. */
static int64_t cents_of(const cJSON *obj, const char *name, int64_t keep)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
    int64_t cents;
    if (!cJSON_IsNumber(j) || !money_cents_from_double(j->valuedouble, QUOTE_MAX_CENTS, &cents))
        return keep;
    return cents;
}

void quote_item_amounts(const cJSON *obj, struct quote_item *it)
{
    it->q = cents_of(obj, "quantity", it->q);
    it->p = cents_of(obj, "unit_price", it->p);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, "discount_percent");
    it->d = cJSON_IsNull(d) ? 0 : cents_of(obj, "discount_percent", it->d);
    it->sub = quote_item_subtotal(it->q, it->p, it->d);
}

void quote_total_check(int64_t total, const char *loc, struct verr *v)
{
    if (total <= QUOTE_MAX_CENTS)
        return;
    char max[32], msg[96];
    money_format_cents(QUOTE_MAX_CENTS, max, sizeof max);
    snprintf(msg, sizeof msg, "the quote's total must be at most %s", max);
    verr_add(v, loc, msg, "value_error.number");
}

static void add_cents(cJSON *o, const char *name, int64_t cents)
{
    char text[32];
    money_format_cents(cents, text, sizeof text);
    cJSON_AddRawToObject(o, name, text);
}

/* One row of Q_ITEMS_INSERT's JSON array, from a validated item. */
static cJSON *item_row(const cJSON *obj, int ord, const struct quote_item *it)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(obj, "description");
    cJSON_AddNumberToObject(o, "ord", ord);
    cJSON_AddStringToObject(
        o, "product_name",
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "product_name")));
    if (cJSON_IsString(desc))
        cJSON_AddStringToObject(o, "description", desc->valuestring);
    add_cents(o, "quantity", it->q);
    add_cents(o, "unit_price", it->p);
    add_cents(o, "discount_percent", it->d);
    add_cents(o, "subtotal", it->sub);
    return o;
}

void quote_items_parse(const cJSON *items, struct verr *v, char **json, int64_t *total)
{
    *json = NULL;
    *total = 0;
    if (!cJSON_IsArray(items)) {
        verr_add(v, "body.items", "must be a list", "type_error.list");
        return;
    }
    if (cJSON_GetArraySize(items) < 1) {
        verr_add(v, "body.items", "must hold at least 1 item", "value_error.list.min_items");
        return;
    }
    cJSON *rows = cJSON_CreateArray();
    bool ok = true;
    int i = 0;
    for (const cJSON *obj = items->child; obj; obj = obj->next, i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "body.items.%d", i);
        if (!quote_item_check(obj, prefix, true, v)) {
            ok = false;
            continue;
        }
        struct quote_item it = {0};
        quote_item_amounts(obj, &it);
        *total += it.sub;
        cJSON_AddItemToArray(rows, item_row(obj, i + 1, &it));
    }
    quote_total_check(*total, "body.items", v);
    if (ok && *total <= QUOTE_MAX_CENTS)
        *json = cJSON_PrintUnformatted(rows);
    cJSON_Delete(rows);
}

/* ---------------------------------------------------------------- routes */

static const char *const items_sortable[] = {"created_at", "product_name", "subtotal", NULL};

/* Items sort by default in the order they were added. */
static const struct list_spec items_spec = {
    .sortable = items_sortable,
    .default_sort = "created_at",
    .filters = {{.name = NULL}},
};

void quote_items_list(struct ctx *c)
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
static bool item_body(struct ctx *c, const struct quote_head *h, bool create, struct quote_item *it)
{
    struct verr v;
    verr_init(&v);
    if (quote_item_check(c->json, "body", create, &v)) {
        quote_item_amounts(c->json, it);
        quote_total_check(h->total - (create ? 0 : h->item_sub) + it->sub, "body", &v);
    }
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

void quote_item_create(struct ctx *c)
{
    struct quote_head h;
    struct quote_item it = {0};
    if (!quote_lock(c, NULL, NULL, NULL, &h) || !item_body(c, &h, true, &it))
        return;
    cJSON *rows = cJSON_CreateArray();
    cJSON_AddItemToArray(rows, item_row(c->json, 1, &it));
    char *json = cJSON_PrintUnformatted(rows);
    cJSON_Delete(rows);
    const char *p[] = {c->tenant_id, c->params[0], json, "false"};
    PGresult *res = res_exec(c, &quotes_sql[Q_ITEMS_INSERT], 4, p);
    cJSON_free(json);
    if (res)
        item_finish(c, 201, res);
}

void quote_item_update(struct ctx *c)
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

void quote_item_delete(struct ctx *c)
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
