/* Quotes internals shared by quotes.c, quote_items.c and quotes_sql.c: statements, locking,
 * line-item arithmetic (quote_rules.c). */
#ifndef ONQUOTA_ROUTES_QUOTE_RULES_H
#define ONQUOTA_ROUTES_QUOTE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "api/body.h"
#include "store/db.h"
#include "api/request.h"
#include "uuid.h"

#define QUOTES_PATH "/api/v1/sales/quotes"

/* Who may write quotes; a sales rep only their own (checked per quote). */
#define ROLES_QUOTE_WRITE (ROLES_MANAGE | ROLE_SALES_REP)

/* Indexes into quotes_sql[]. Parameters are listed at each statement in
 * quotes_sql.c; all are text. */
enum quotes_query {
    /* The list, one statement per sort: Q_LIST + 2 * field + (descending),
     * fields in the order of quotes_sortable[]. */
    Q_LIST,
    Q_LIST_LAST = Q_LIST + 9,
    Q_LIST_ITEMS,
    /* The created_at orders when nothing but status filters: Q_PLAIN + (descending). */
    Q_PLAIN,
    Q_PLAIN_LAST = Q_PLAIN + 1,
    Q_GET,
    Q_REFS,
    Q_LOCK,
    Q_INSERT,
    Q_UPDATE,
    Q_DELETE,
    Q_STATUS,
    Q_ITEMS_INSERT,
    Q_ITEMS_LIST,
    Q_ITEM_UPDATE,
    Q_ITEM_DELETE,
    Q_TOTAL,
};

/* NULL-name terminated; listed in registry.c. */
extern const struct sql_stmt quotes_sql[];

/* GET QUOTES_PATH (quotes_list.c): a page with each quote's client, sales rep and items, in at
 * most two statements; the total is estimated past 10,000 matches (X-Total-Count-Estimated). */
void quote_list(struct ctx *c);

/* The list's query checks alone (the fuzzers' validator table). */
void quote_list_check(struct ctx *c, struct verr *v);

/* The list's sortable fields, NULL-terminated, in Q_LIST order. */
extern const char *const quotes_sortable[];

/* ---------------------------------------------------------------- locking */

/* What a write needs to know about the quote it changes. */
struct quote_head {
    char status[16];
    char sales_rep_id[UUID_STR_LEN + 1];
    int64_t total;   /* cents */
    bool client_ok;  /* the client_id passed to quote_lock (or none) is usable */
    bool rep_ok;     /* the same for sales_rep_id */
    long nitems;     /* line items of the quote */
    bool item_found; /* the item_id passed to quote_lock belongs to the quote */
    int64_t item_q;  /* its quantity, unit price and discount in hundredths */
    int64_t item_p;
    int64_t item_d;
    int64_t item_sub; /* its subtotal in cents */
};

/* Opens the write transaction and locks quote c->params[0] of c's tenant
 * (FOR UPDATE), checking client_id and sales_rep_id (either may be NULL)
 * and loading item_id (may be NULL) on the way. Answers and returns false
 * (the transaction rolled back) when the quote does not exist (404), when
 * item_id is given but not one of its items (404), or when the caller is a
 * sales rep and the quote is not theirs (403). */
bool quote_lock(struct ctx *c, const char *client_id, const char *sales_rep_id, const char *item_id,
                struct quote_head *h);

/* Answers 409 and rolls back when h's quote is not a draft; returns true
 * when it is. */
bool quote_draft_only(struct ctx *c, const struct quote_head *h);

/* Answers the verr list as 422 and rolls back if it holds anything; frees
 * v either way. Returns true when it answered. */
bool quote_reject(struct ctx *c, struct verr *v);

/* ---------------------------------------------------------------- line items */

/* Every line item field, all optional: item_require() adds the create-time
 * requirements. */
extern const struct field quote_item_fields[];

/* A line item in exact units: quantity, unit price and discount in
 * hundredths, subtotal in cents. */
struct quote_item {
    int64_t q, p, d, sub;
};

/* The largest amount numeric(12,2) holds, in cents. */
#define QUOTE_MAX_CENTS CENTS_NUMERIC_12_2

/* round(quantity * unit_price * (1 - discount / 100), 2) in cents, exactly
 * (half away from zero, as PostgreSQL's round(numeric, 2)). */
int64_t quote_item_subtotal(int64_t q, int64_t p, int64_t d);

/* Validates one line item object at prefix ("body" or "body.items.3"):
 * every field of quote_item_fields, plus product_name, quantity and
 * unit_price when required. Adds entries to v; true when valid. */
bool quote_item_check(const cJSON *obj, const char *prefix, bool required, struct verr *v);

/* Reads a validated item's amounts into it (fields absent keep it's values)
 * and computes its subtotal. */
void quote_item_amounts(const cJSON *obj, struct quote_item *it);

/* Validates the "items" array of a create or update body (at least one
 * item, each complete) and appends the canonical JSON array that
 * Q_ITEMS_INSERT takes (owned by the caller, cJSON_free) to *json, and the
 * sum of the subtotals to *total. Adds entries to v; *json stays NULL when
 * anything is invalid. */
void quote_items_parse(const cJSON *items, struct verr *v, char **json, int64_t *total);

/* One row of Q_ITEMS_INSERT's JSON array (ord is its 1-based position) from
 * a validated item obj and its amounts. Caller owns the result. */
cJSON *quote_item_row(const cJSON *obj, int ord, const struct quote_item *it);

/* Adds a 422 entry at loc when total exceeds numeric(12,2). */
void quote_total_check(int64_t total, const char *loc, struct verr *v);

#endif
