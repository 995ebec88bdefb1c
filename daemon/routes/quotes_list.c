/* GET /api/v1/sales/quotes: the page as rows (two statements), its JSON written here in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes/quote_rules.h"
#include "routes/resource.h"
#include "uuid.h"

static const char *const statuses[] = {"draft", "sent", "accepted", "rejected", "expired", NULL};

static const struct list_spec list_spec = {
    .sortable = quotes_sortable,
    .default_sort = "-created_at",
    .searchable = true,
    .filters =
        {
            {.name = "status", .type = FILTER_ENUM, .values = statuses},
            {.name = "client_id", .type = FILTER_UUID},
            {.name = "sales_rep_id", .type = FILTER_UUID},
            {.name = "date_from", .type = FILTER_DATE},
            {.name = "date_to", .type = FILTER_DATE},
            /* Keyset pagination (not a filter): checked by cursor_parse. */
            {.name = "cursor", .type = FILTER_TEXT},
            {.name = NULL},
        },
};

/* Columns of a page row (the list statements in quotes_sql.c). */
enum {
    L_TOTAL,
    L_ESTIMATED,
    L_ID,
    L_TENANT,
    L_NUMBER,
    L_CLIENT_ID,
    L_REP_ID,
    L_AMOUNT,
    L_CURRENCY,
    L_STATUS,
    L_VALID_UNTIL,
    L_NOTES,
    L_SENT_AT,
    L_ACCEPTED_AT,
    L_CREATED_AT,
    L_UPDATED_AT,
    L_CLIENT_NAME,
    L_REP_NAME,
    L_CURSOR,
};

/* The cursor parameter's index in list_spec.filters. */
#define CURSOR_FILTER 5

/* A cursor is the created_at of a row in microseconds since 1970 (a bigint's text, with
 * its NUL at most this long), '_', its id. */
#define CURSOR_US_MAX 24

/* Columns of an item row (Q_LIST_ITEMS). */
enum {
    I_ORD,
    I_ID,
    I_QUOTE,
    I_PRODUCT,
    I_DESCRIPTION,
    I_QTY,
    I_PRICE,
    I_DISCOUNT,
    I_SUBTOTAL,
    I_CREATED_AT,
    I_UPDATED_AT
};

/* s as a JSON string, escaped as PostgreSQL's json functions do. */
static void json_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_addc(b, '"');
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        buf_add(b, run, (size_t)(p - run));
        run = p + 1;
        switch (ch) {
        case '"':
            buf_adds(b, "\\\"");
            break;
        case '\\':
            buf_adds(b, "\\\\");
            break;
        case '\b':
            buf_adds(b, "\\b");
            break;
        case '\f':
            buf_adds(b, "\\f");
            break;
        case '\n':
            buf_adds(b, "\\n");
            break;
        case '\r':
            buf_adds(b, "\\r");
            break;
        case '\t':
            buf_adds(b, "\\t");
            break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 0xF], '\0'};
            buf_adds(b, u);
        }
        }
    }
    buf_adds(b, run);
    buf_addc(b, '"');
}

/* How a column is written: a JSON string, a number (PostgreSQL's text, e.g. numeric(12,2)'s
 * "19.90") or a UTC timestamp's text ("2026-03-15 23:59:59.5") as "2026-03-15T23:59:59Z". */
enum kind { K_STRING, K_NUMBER, K_TIME };

/* Length of "YYYY-MM-DD HH:MM:SS". */
#define UTC_TEXT_LEN 19

/* "key": followed by column col of row, written as kind says, or null. */
static void member(struct buf *b, const char *key, const PGresult *res, int row, int col,
                   enum kind kind)
{
    buf_printf(b, "\"%s\": ", key);
    const char *v = PQgetvalue(res, row, col);
    if (PQgetisnull(res, row, col)) {
        buf_adds(b, "null");
    } else if (kind == K_NUMBER) {
        buf_adds(b, v);
    } else if (kind == K_TIME && strlen(v) >= UTC_TEXT_LEN && v[10] == ' ') {
        buf_addc(b, '"');
        buf_add(b, v, 10);
        buf_addc(b, 'T');
        buf_add(b, v + 11, UTC_TEXT_LEN - 11);
        buf_adds(b, "Z\"");
    } else {
        json_string(b, v);
    }
}

static void item_json(struct buf *b, const PGresult *it, int r)
{
    buf_addc(b, '{');
    member(b, "id", it, r, I_ID, K_STRING);
    buf_adds(b, ", ");
    member(b, "quote_id", it, r, I_QUOTE, K_STRING);
    buf_adds(b, ", ");
    member(b, "product_name", it, r, I_PRODUCT, K_STRING);
    buf_adds(b, ", ");
    member(b, "description", it, r, I_DESCRIPTION, K_STRING);
    buf_adds(b, ", ");
    member(b, "quantity", it, r, I_QTY, K_NUMBER);
    buf_adds(b, ", ");
    member(b, "unit_price", it, r, I_PRICE, K_NUMBER);
    buf_adds(b, ", ");
    member(b, "discount_percent", it, r, I_DISCOUNT, K_NUMBER);
    buf_adds(b, ", ");
    member(b, "subtotal", it, r, I_SUBTOTAL, K_NUMBER);
    buf_adds(b, ", ");
    member(b, "created_at", it, r, I_CREATED_AT, K_TIME);
    buf_adds(b, ", ");
    member(b, "updated_at", it, r, I_UPDATED_AT, K_TIME);
    buf_addc(b, '}');
}

/* Quote row r with its items: those rows of it from *next on whose ord is r + 1. */
static void quote_json(struct buf *b, const PGresult *q, int r, const PGresult *it, int *next)
{
    static const struct {
        const char *key;
        int col;
        enum kind kind;
    } cols[] = {
        {"id", L_ID, K_STRING},
        {"tenant_id", L_TENANT, K_STRING},
        {"quote_number", L_NUMBER, K_STRING},
        {"client_id", L_CLIENT_ID, K_STRING},
        {"sales_rep_id", L_REP_ID, K_STRING},
        {"total_amount", L_AMOUNT, K_NUMBER},
        {"currency", L_CURRENCY, K_STRING},
        {"status", L_STATUS, K_STRING},
        {"valid_until", L_VALID_UNTIL, K_STRING},
        {"notes", L_NOTES, K_STRING},
        {"sent_at", L_SENT_AT, K_TIME},
        {"accepted_at", L_ACCEPTED_AT, K_TIME},
        {"created_at", L_CREATED_AT, K_TIME},
        {"updated_at", L_UPDATED_AT, K_TIME},
    };
    buf_addc(b, '{');
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        member(b, cols[i].key, q, r, cols[i].col, cols[i].kind);
        buf_adds(b, ", ");
    }
    buf_adds(b, "\"client\": ");
    if (PQgetisnull(q, r, L_CLIENT_NAME)) {
        buf_adds(b, "null");
    } else {
        buf_addc(b, '{');
        member(b, "id", q, r, L_CLIENT_ID, K_STRING);
        buf_adds(b, ", ");
        member(b, "name", q, r, L_CLIENT_NAME, K_STRING);
        buf_addc(b, '}');
    }
    buf_adds(b, ", \"sales_rep\": ");
    if (PQgetisnull(q, r, L_REP_NAME)) {
        buf_adds(b, "null");
    } else {
        buf_addc(b, '{');
        member(b, "id", q, r, L_REP_ID, K_STRING);
        buf_adds(b, ", ");
        member(b, "full_name", q, r, L_REP_NAME, K_STRING);
        buf_addc(b, '}');
    }
    buf_adds(b, ", \"items\": [");
    for (bool first = true; *next < PQntuples(it) && atol(PQgetvalue(it, *next, I_ORD)) == r + 1;
         (*next)++, first = false) {
        if (!first)
            buf_adds(b, ", ");
        item_json(b, it, *next);
    }
    buf_adds(b, "]}");
}

/* The page's ids as a uuid[] literal; caller frees. */
static char *ids_literal(const PGresult *q, int n)
{
    struct buf b;
    buf_init(&b);
    buf_addc(&b, '{');
    for (int r = 0; r < n; r++) {
        if (r)
            buf_addc(&b, ',');
        buf_adds(&b, PQgetvalue(q, r, L_ID));
    }
    buf_addc(&b, '}');
    return buf_take(&b);
}

/* Splits the cursor text into its two statement parameters, or answers 422: a cursor needs
 * sort=created_at or -created_at (the default) and page 1. */
static bool cursor_parse(struct ctx *c, const struct list_query *q, char us[CURSOR_US_MAX],
                         char id[UUID_STR_LEN + 1])
{
    const char *s = q->filter[CURSOR_FILTER];
    const char *msg = NULL;
    const char *sep = s ? strchr(s, '_') : NULL;
    char *end = NULL;
    if (!s)
        return true;
    if (strcmp(q->sort + (q->sort[0] == '-'), "created_at"))
        msg = "a cursor pages by created_at: use sort=created_at or -created_at";
    else if (q->page != 1)
        msg = "a cursor replaces page: leave page out";
    else if (!sep || sep - s >= CURSOR_US_MAX || (strtoll(s, &end, 10), end != sep) ||
             !uuid_parse(sep + 1, id))
        msg = "invalid cursor: use the X-Next-Cursor of the previous page";
    if (msg) {
        struct verr v;
        verr_init(&v);
        verr_add(&v, "query.cursor", msg, "value_error");
        verr_respond(&v, c);
        verr_free(&v);
        return false;
    }
    snprintf(us, CURSOR_US_MAX, "%.*s", (int)(sep - s), s);
    return true;
}

void quote_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *field = q.sort + (q.sort[0] == '-');
    int stmt = Q_LIST;
    for (int i = 0; quotes_sortable[i] && strcmp(quotes_sortable[i], field); i++)
        stmt += 2;
    stmt += q.sort[0] == '-';
    char us[CURSOR_US_MAX], id[UUID_STR_LEN + 1];
    if (!cursor_parse(c, &q, us, id))
        return;
    bool keyset = stmt <= Q_LIST + 1; /* the created_at orders */
    const char *cursor = q.filter[CURSOR_FILTER];
    bool plain =
        keyset && !q.filter[1] && !q.filter[2] && !q.filter[3] && !q.filter[4] && !q.search;
    PGresult *page;
    if (plain) {
        const char *p[] = {c->tenant_id, q.filter[0],        q.limit,
                           q.offset,     cursor ? us : NULL, cursor ? id : NULL};
        page = res_exec(c, &quotes_sql[Q_PLAIN + (stmt - Q_LIST)], 6, p);
    } else {
        const char *p[] = {c->tenant_id, q.filter[0],      q.filter[1],        q.filter[2],
                           q.filter[3],  q.filter[4],      q.search,           q.limit,
                           q.offset,     c->cfg->timezone, cursor ? us : NULL, cursor ? id : NULL};
        page = res_exec(c, &quotes_sql[stmt], keyset ? 12 : 10, p);
    }
    if (!page)
        return;
    if (PQntuples(page) < 1 || PQnfields(page) <= L_CURSOR) {
        PQclear(page);
        resp_error(c, 500, "Internal server error");
        return;
    }
    /* An empty page is one row of NULLs after the total. */
    int n = PQgetisnull(page, 0, L_ID) ? 0 : PQntuples(page);
    char *ids = ids_literal(page, n);
    const char *ip[] = {c->tenant_id, ids};
    PGresult *items = res_exec(c, &quotes_sql[Q_LIST_ITEMS], 2, ip);
    free(ids);
    if (!items) {
        PQclear(page);
        return;
    }
    long total = atol(PQgetvalue(page, 0, L_TOTAL));
    struct buf *b = &c->resp.body;
    buf_reset(b);
    buf_printf(b, "{\"total\": %ld, \"items\": [", total);
    int next = 0;
    for (int r = 0; r < n; r++) {
        if (r)
            buf_adds(b, ", ");
        quote_json(b, page, r, items, &next);
    }
    buf_printf(b, "], \"page\": %ld, \"page_size\": %ld, \"pages\": %ld}", q.page, q.page_size,
               (total + q.page_size - 1) / q.page_size);
    c->resp.status = 200;
    c->resp.content_type = "application/json";
    if (PQgetvalue(page, 0, L_ESTIMATED)[0] == 't')
        resp_header(c, "X-Total-Count-Estimated", "true");
    if (keyset && n == q.page_size)
        resp_header(c, "X-Next-Cursor", PQgetvalue(page, n - 1, L_CURSOR));
    PQclear(page);
    PQclear(items);
}

void quote_list_check(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}
