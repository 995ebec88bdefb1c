/* What quotes and their line items share: the write lock, the draft-only rule, and exact item
 * arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "routes/quote_rules.h"
#include "routes/resource.h"

/* ---------------------------------------------------------------- locking */

bool quote_lock(struct ctx *c, const char *client_id, const char *sales_rep_id, const char *item_id,
                struct quote_head *h)
{
    if (!write_begin(c))
        return false;
    const char *p[] = {c->tenant_id, c->params[0], client_id, sales_rep_id, item_id};
    PGresult *res = res_exec(c, &quotes_sql[Q_LOCK], 5, p);
    if (!res)
        return false;
    bool found = PQntuples(res) == 1;
    if (found) {
        memset(h, 0, sizeof *h);
        snprintf(h->status, sizeof h->status, "%s", PQgetvalue(res, 0, 0));
        snprintf(h->sales_rep_id, sizeof h->sales_rep_id, "%s", PQgetvalue(res, 0, 1));
        h->total = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
        h->client_ok = PQgetvalue(res, 0, 3)[0] == 't';
        h->rep_ok = PQgetvalue(res, 0, 4)[0] == 't';
        h->nitems = strtol(PQgetvalue(res, 0, 5), NULL, 10);
        h->item_found = PQgetvalue(res, 0, 6)[0] == 't';
        h->item_q = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
        h->item_p = strtoll(PQgetvalue(res, 0, 8), NULL, 10);
        h->item_d = strtoll(PQgetvalue(res, 0, 9), NULL, 10);
        h->item_sub = strtoll(PQgetvalue(res, 0, 10), NULL, 10);
    }
    PQclear(res);
    if (!found || (item_id && !h->item_found)) {
        write_abort(c);
        resp_error(c, 404, "Not Found");
        return false;
    }
    if ((c->role & ROLE_SALES_REP) && strcmp(h->sales_rep_id, c->user_id)) {
        write_abort(c);
        resp_error(c, 403, "Forbidden");
        return false;
    }
    return true;
}

bool quote_draft_only(struct ctx *c, const struct quote_head *h)
{
    if (!strcmp(h->status, "draft"))
        return true;
    char msg[96];
    snprintf(msg, sizeof msg, "only draft quotes can be changed; this quote is %s", h->status);
    write_abort(c);
    resp_error(c, 409, msg);
    return false;
}

bool quote_reject(struct ctx *c, struct verr *v)
{
    bool any = verr_any(v);
    if (any) {
        write_abort(c);
        verr_respond(v, c);
    }
    verr_free(v);
    return any;
}

/* ------------------------------------------------------------- arithmetic */

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

cJSON *quote_item_row(const cJSON *obj, int ord, const struct quote_item *it)
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
        cJSON_AddItemToArray(rows, quote_item_row(obj, i + 1, &it));
    }
    quote_total_check(*total, "body.items", v);
    if (ok && *total <= QUOTE_MAX_CENTS)
        *json = cJSON_PrintUnformatted(rows);
    cJSON_Delete(rows);
}
