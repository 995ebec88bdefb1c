/* The quotes resource's prepared statements: the list (one per sort), the quote object, writes
 * and line items. */
#include <stddef.h>

#include "routes/quote_rules.h"

/* The SQL is laid out by hand: clang-format cannot indent macro-built strings. */
/* clang-format off */
#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* The same instant as plain UTC text ("2026-03-15 23:59:59.5"), which the list writes
 * as TS would in C (to_char costs more than the rest of a page's row). */
#define UTC(col) "(" col " AT TIME ZONE 'UTC')"

/* A line item row a (a table alias) as its JSON object. */
#define ITEM_JSON(a)                                                                               \
    "json_build_object('id', " a ".id, 'quote_id', " a ".quote_id, 'product_name', " a             \
    ".product_name, 'description', " a ".description, 'quantity', round(" a ".quantity, 2),"       \
    " 'unit_price', round(" a ".unit_price, 2), 'discount_percent', round(" a                      \
    ".discount_percent, 2), 'subtotal', round(" a ".subtotal, 2),"                                \
    " 'created_at', " TS(a ".created_at") ", 'updated_at', " TS(a ".updated_at") ")"

/* A quote row q as its JSON object, embedding client, sales_rep and every
 * line item (in the order they were added). The embedded objects are
 * correlated subqueries on primary keys, so a page of 100 costs 100 index
 * probes each and never a scan. */
#define QUOTE_JSON                                                                                 \
    "json_build_object('id', q.id, 'tenant_id', q.tenant_id, 'quote_number', q.quote_number,"      \
    " 'client_id', q.client_id, 'sales_rep_id', q.sales_rep_id,"                                   \
    " 'total_amount', round(q.total_amount, 2), 'currency', q.currency, 'status', q.status,"       \
    " 'valid_until', q.valid_until::text, 'notes', q.notes,"                                       \
    " 'sent_at', " TS("q.sent_at") ", 'accepted_at', " TS("q.accepted_at") ","                     \
    " 'created_at', " TS("q.created_at") ", 'updated_at', " TS("q.updated_at") ","                 \
    " 'client', (SELECT json_build_object('id', c.id, 'name', c.name)"                             \
    "   FROM clients c WHERE c.id = q.client_id),"                                                 \
    " 'sales_rep', (SELECT json_build_object('id', u.id, 'full_name', u.full_name)"                \
    "   FROM users u WHERE u.id = q.sales_rep_id),"                                                \
    " 'items', coalesce((SELECT json_agg(" ITEM_JSON("i") " ORDER BY i.created_at, i.id)"          \
    "   FROM quote_items i WHERE i.quote_id = q.id), '[]'))"

/* The list's filters on quotes q: $1 tenant, $2 status, $3 client_id,
 * $4 sales_rep_id, $5 date_from, $6 date_to (creation dates in the time
 * zone $10), $7 search (a case-insensitive substring of the quote number or
 * the client's name; % and _ match themselves). NULL: no filter. */
#define SEARCH_PATTERN                                                                             \
    "('%' || replace(replace(replace($7::text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')"
#define LIST_WHERE                                                                                 \
    " q.tenant_id = $1 AND NOT q.is_deleted"                                                       \
    " AND ($2::text IS NULL OR q.status = $2::text::sale_status)"                                  \
    " AND ($3::uuid IS NULL OR q.client_id = $3::uuid)"                                            \
    " AND ($4::uuid IS NULL OR q.sales_rep_id = $4::uuid)"                                         \
    " AND ($5::date IS NULL OR q.created_at >= $5::date::timestamp AT TIME ZONE $10::text)"        \
    " AND ($6::date IS NULL OR q.created_at < ($6::date + 1)::timestamp AT TIME ZONE $10::text)"   \
    " AND ($7::text IS NULL OR q.quote_number ILIKE " SEARCH_PATTERN " OR q.client_id IN"          \
    "   (SELECT s.id FROM clients s WHERE s.tenant_id = $1 AND s.name ILIKE " SEARCH_PATTERN "))"

/* Past this many matches the list's total is estimated (X-Total-Count-Estimated). */
#define TOTAL_EXACT_MAX "10000"

/* No filter but status: the total is the exact sum of rollup.quotes_monthly. */
#define ONLY_STATUS                                                                                \
    "($3::uuid IS NULL AND $4::uuid IS NULL AND $5::date IS NULL AND $6::date IS NULL"             \
    " AND $7::text IS NULL)"

/* Keyset pagination on created_at: $11 the cursor row's created_at in microseconds since
 * 1970, $12 its id (both NULL: from the start). The row comparison is rechecked after the
 * index range on created_at alone. */
#define CURSOR_TS "('epoch'::timestamptz + $11::bigint * interval '1 microsecond')"
#define AFTER_CURSOR(op, cmp)                                                                      \
    " AND ($11::bigint IS NULL OR (q.created_at " op " " CURSOR_TS                                 \
    " AND (q.created_at, q.id) " cmp " (" CURSOR_TS ", $12::uuid)))"

/* A page's rows (see LIST_STMT) from CTE t (total, estimated) and the page of quotes q. */
#define PAGE_SELECT                                                                                \
    " SELECT t.total, t.estimated, q.id, q.tenant_id, q.quote_number, q.client_id,"                \
    " q.sales_rep_id, q.total_amount, q.currency, q.status, q.valid_until, q.notes,"               \
    " " UTC("q.sent_at") ", " UTC("q.accepted_at") ", " UTC("q.created_at") ","                    \
    " " UTC("q.updated_at") ", q.client_name, q.rep_name,"                                         \
    " (extract(epoch FROM q.created_at) * 1000000)::bigint || '_' || q.id"
#define PAGE_FROM(where, order, limit, offset)                                                     \
    " FROM t LEFT JOIN (SELECT q.*,"                                                               \
    "   (SELECT c.name FROM clients c WHERE c.id = q.client_id) AS client_name,"                   \
    "   (SELECT u.full_name FROM users u WHERE u.id = q.sales_rep_id) AS rep_name"                 \
    "   FROM (SELECT q.* FROM quotes q WHERE" where " ORDER BY " order                             \
    "   LIMIT " limit " OFFSET " offset ") q) q ON true"                                           \
    " ORDER BY " order

/* One list statement per sort order, so that the planner sees a plain
 * ORDER BY: the default (-created_at) walks quotes_tenant_live_created_idx
 * backwards and stops after the page instead of sorting every row.
 * $8 limit, $9 offset; the two created_at orders also take a cursor ($11, $12) and
 * answer each row's as their last column. Answers one row per quote of the page (or one row of
 * NULLs after the first two columns when the page is empty): total,
 * estimated, then the quote's columns as quotes_list.c writes them. The client
 * and rep names are correlated subqueries on primary keys: a join let the
 * planner hash every client of the tenant for a page of 100.
 * The total costs no scan when only status filters (the rollup's months);
 * otherwise matches are counted newest first up to TOTAL_EXACT_MAX + 1, and
 * past that the total is estimated as matches per row walked times the rows
 * (of that status) in the rollup. */
#define LIST_STMT(name, order, keyset)                                                             \
    {"quotes_list_" name,                                                                          \
     "WITH sup AS (SELECT coalesce(sum(m.n), 0) AS n FROM rollup.quotes_monthly m"                 \
     "   WHERE m.tenant_id = $1 AND ($2::text IS NULL OR m.status = $2::text::sale_status)),"     \
     " cap AS (SELECT count(*) AS n, max(s.rn) AS walked FROM (SELECT w.rn FROM"                   \
     "   (SELECT row_number() OVER (ORDER BY q.created_at DESC) AS rn, (" LIST_WHERE ") AS ok"     \
     "    FROM quotes q WHERE q.tenant_id = $1 AND NOT q.is_deleted"                               \
     "      AND ($2::text IS NULL OR q.status = $2::text::sale_status)) w"                         \
     "   WHERE w.ok LIMIT " TOTAL_EXACT_MAX " + 1) s),"                                            \
     " t AS (SELECT CASE WHEN " ONLY_STATUS " THEN (SELECT n FROM sup)"                            \
     "   WHEN (SELECT n FROM cap) <= " TOTAL_EXACT_MAX " THEN (SELECT n FROM cap)"                 \
     "   ELSE round((SELECT n FROM cap)::numeric * (SELECT n FROM sup) / (SELECT walked FROM cap))" \
     "   END AS total,"                                                                            \
     "   NOT " ONLY_STATUS " AND (SELECT n FROM cap) > " TOTAL_EXACT_MAX " AS estimated)"          \
     PAGE_SELECT PAGE_FROM(LIST_WHERE keyset, order, "$8", "$9")}

/* The same page when nothing but status filters (the common case): no count CTE and no
 * optional filters, so that it plans in a fraction of the time. $1 tenant, $2 status, $3 limit,
 * $4 offset, $5 and $6 the cursor (as $11 and $12 above). */
#define PLAIN_WHERE                                                                                \
    " q.tenant_id = $1 AND NOT q.is_deleted"                                                       \
    " AND ($2::text IS NULL OR q.status = $2::text::sale_status)"
#define PLAIN_CURSOR_TS "('epoch'::timestamptz + $5::bigint * interval '1 microsecond')"
#define PLAIN_AFTER_CURSOR(op, cmp)                                                                \
    " AND ($5::bigint IS NULL OR (q.created_at " op " " PLAIN_CURSOR_TS                            \
    " AND (q.created_at, q.id) " cmp " (" PLAIN_CURSOR_TS ", $6::uuid)))"
#define PLAIN_STMT(name, order, op, cmp)                                                           \
    {"quotes_plain_" name,                                                                         \
     "WITH t AS (SELECT coalesce(sum(m.n), 0) AS total, false AS estimated"                        \
     "   FROM rollup.quotes_monthly m WHERE m.tenant_id = $1"                                      \
     "   AND ($2::text IS NULL OR m.status = $2::text::sale_status))"                              \
     PAGE_SELECT PAGE_FROM(PLAIN_WHERE PLAIN_AFTER_CURSOR(op, cmp), order, "$3", "$4")}

const char *const quotes_sortable[] = {"created_at", "total_amount", "quote_number", "status",
                                       "valid_until", NULL};

/* The item list's sort: $3 is "created_at" (the default: the order they
 * were added), "product_name" or "subtotal", optionally with '-'. */
#define ITEM_ORDER(a)                                                                              \
    "CASE WHEN $3 = 'product_name' THEN " a ".product_name END,"                                   \
    " CASE WHEN $3 = '-product_name' THEN " a ".product_name END DESC,"                            \
    " CASE WHEN $3 = 'subtotal' THEN " a ".subtotal END,"                                          \
    " CASE WHEN $3 = '-subtotal' THEN " a ".subtotal END DESC,"                                    \
    " CASE WHEN $3 LIKE '-%' THEN " a ".created_at END DESC,"                                      \
    " CASE WHEN $3 LIKE '-%' THEN " a ".id END DESC, " a ".created_at, " a ".id"

/* Quote numbers: the tenant's largest Q-<year>-NNNNNN of the current year
 * (in the time zone $9) plus one, read backwards from the unique index on
 * (tenant_id, quote_number). Only race-free under the advisory lock that
 * Q_REFS takes in an earlier statement of the same transaction. */
#define NEXT_NUMBER                                                                                \
    "(SELECT 'Q-' || y.y || '-' || lpad(n.n::text, greatest(6, length(n.n::text)), '0')"           \
    " FROM (SELECT to_char(now() AT TIME ZONE $9::text, 'YYYY') AS y) y,"                          \
    " LATERAL (SELECT coalesce((SELECT substr(x.quote_number, 8)::int FROM quotes x"               \
    "   WHERE x.tenant_id = $1 AND x.quote_number LIKE 'Q-' || y.y || '-%'"                        \
    "   AND x.quote_number ~ '^Q-[0-9]{4}-[0-9]{6}$'"                                              \
    "   ORDER BY x.quote_number DESC LIMIT 1), 0) + 1 AS n) n)"

const struct sql_stmt quotes_sql[] = {
    LIST_STMT("created_at", "q.created_at, q.id", AFTER_CURSOR(">=", ">")),
    LIST_STMT("created_at_desc", "q.created_at DESC, q.id DESC", AFTER_CURSOR("<=", "<")),
    LIST_STMT("total_amount", "q.total_amount, q.id", ""),
    LIST_STMT("total_amount_desc", "q.total_amount DESC, q.id DESC", ""),
    LIST_STMT("quote_number", "q.quote_number, q.id", ""),
    LIST_STMT("quote_number_desc", "q.quote_number DESC, q.id DESC", ""),
    LIST_STMT("status", "q.status, q.id", ""),
    LIST_STMT("status_desc", "q.status DESC, q.id DESC", ""),
    LIST_STMT("valid_until", "q.valid_until, q.id", ""),
    LIST_STMT("valid_until_desc", "q.valid_until DESC, q.id DESC", ""),

    /* $1 tenant, $2 the page's quote ids as a uuid[] literal: their line items, in the page's
     * order and each quote's in the order they were added: the position in $2, then the item's
     * columns as quotes_list.c writes them. */
    [Q_PLAIN] = PLAIN_STMT("created_at", "q.created_at, q.id", ">=", ">"),
    [Q_PLAIN + 1] = PLAIN_STMT("created_at_desc", "q.created_at DESC, q.id DESC", "<=", "<"),

    [Q_LIST_ITEMS] = {"quotes_list_items",
                      "SELECT p.ord, i.id, i.quote_id, i.product_name, i.description, i.quantity,"
                      " i.unit_price, i.discount_percent, i.subtotal, " UTC("i.created_at") ","
                      " " UTC("i.updated_at") " FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, ord)"
                      " JOIN quote_items i ON i.quote_id = p.id AND i.tenant_id = $1"
                      " ORDER BY p.ord, i.created_at, i.id"},

    /* $1 tenant, $2 id: the quote object, or no row. */
    [Q_GET] = {"quotes_get", "SELECT " QUOTE_JSON "::text FROM quotes q"
                             " WHERE q.id = $2 AND q.tenant_id = $1 AND NOT q.is_deleted"},

    /* $1 tenant, $2 client_id, $3 sales_rep_id, $4 true to take the
     * tenant's quote-numbering lock (held until the transaction ends).
     * Answers client usable, sales rep usable. */
    [Q_REFS] = {"quotes_refs",
                "SELECT EXISTS (SELECT 1 FROM clients c WHERE c.id = $2::uuid"
                "   AND c.tenant_id = $1 AND NOT c.is_deleted),"
                " EXISTS (SELECT 1 FROM users u WHERE u.id = $3::uuid AND u.tenant_id = $1"
                "   AND NOT u.is_deleted),"
                " CASE WHEN $4::bool THEN pg_advisory_xact_lock(hashtext('onquota.quote_number'),"
                "   hashtext($1::text)) END IS NULL"},

    /* $1 tenant, $2 id, $3 client_id, $4 sales_rep_id, $5 item_id (each
     * NULL when not asked): locks the quote and answers status,
     * sales_rep_id, total (cents), client usable, sales rep usable, item
     * count, item found, and the item's quantity, unit price, discount
     * (hundredths) and subtotal (cents). */
    [Q_LOCK] = {"quotes_lock",
                "SELECT q.status::text, q.sales_rep_id, (q.total_amount * 100)::bigint,"
                " $3::uuid IS NULL OR EXISTS (SELECT 1 FROM clients c WHERE c.id = $3::uuid"
                "   AND c.tenant_id = $1 AND NOT c.is_deleted),"
                " $4::uuid IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = $4::uuid"
                "   AND u.tenant_id = $1 AND NOT u.is_deleted),"
                " (SELECT count(*) FROM quote_items n WHERE n.quote_id = q.id),"
                " i.id IS NOT NULL, (i.quantity * 100)::bigint, (i.unit_price * 100)::bigint,"
                " (i.discount_percent * 100)::bigint, (coalesce(i.subtotal, 0) * 100)::bigint"
                " FROM quotes q LEFT JOIN quote_items i ON i.id = $5::uuid AND i.quote_id = q.id"
                "   AND i.tenant_id = $1"
                " WHERE q.id = $2 AND q.tenant_id = $1 AND NOT q.is_deleted FOR UPDATE OF q"},

    /* $1 tenant, $2 client_id, $3 sales_rep_id, $4 quote_number (NULL:
     * the next number), $5 currency, $6 valid_until, $7 notes, $8 total,
     * $9 time zone. Answers the new id. */
    [Q_INSERT] = {"quotes_insert",
                  "INSERT INTO quotes (tenant_id, client_id, sales_rep_id, quote_number,"
                  " total_amount, currency, valid_until, notes)"
                  " VALUES ($1, $2, $3, coalesce($4::text, " NEXT_NUMBER "), $8, $5, $6, $7)"
                  " RETURNING id"},

    /* $1 tenant, $2 id; NULL keeps: $3 client_id, $4 sales_rep_id,
     * $5 quote_number, $6 currency, $7 valid_until, $10 total; $9 notes
     * when $8 is true. */
    [Q_UPDATE] = {"quotes_update",
                  "UPDATE quotes SET client_id = coalesce($3::uuid, client_id),"
                  " sales_rep_id = coalesce($4::uuid, sales_rep_id),"
                  " quote_number = coalesce($5::text, quote_number),"
                  " currency = coalesce($6::text, currency),"
                  " valid_until = coalesce($7::date, valid_until),"
                  " notes = CASE WHEN $8::bool THEN $9::text ELSE notes END,"
                  " total_amount = coalesce($10::numeric, total_amount)"
                  " WHERE id = $2 AND tenant_id = $1"},

    /* $1 tenant, $2 id: a soft delete. */
    [Q_DELETE] = {"quotes_delete", "UPDATE quotes SET is_deleted = true, deleted_at = now()"
                                   " WHERE id = $2 AND tenant_id = $1"},

    /* $1 tenant, $2 id, $3 new status; stamps sent_at and accepted_at. */
    [Q_STATUS] = {"quotes_status",
                  "UPDATE quotes SET status = $3::text::sale_status,"
                  " sent_at = CASE WHEN $3::text = 'sent' THEN now() ELSE sent_at END,"
                  " accepted_at = CASE WHEN $3::text = 'accepted' THEN now() ELSE accepted_at END"
                  " WHERE id = $2 AND tenant_id = $1"},

    /* $1 tenant, $2 quote id, $3 the items as a JSON array of {ord,
     * product_name, description, quantity, unit_price, discount_percent,
     * subtotal}, $4 true to replace the quote's items. created_at is
     * offset by ord microseconds so that items keep their order. Answers
     * each new item's JSON. */
    [Q_ITEMS_INSERT] =
        {"quotes_items_insert",
         "WITH gone AS (DELETE FROM quote_items"
         "   WHERE $4::bool AND quote_id = $2 AND tenant_id = $1)"
         " INSERT INTO quote_items AS i (tenant_id, quote_id, product_name, description, quantity,"
         " unit_price, discount_percent, subtotal, created_at, updated_at)"
         " SELECT $1, $2, x.product_name, x.description, x.quantity, x.unit_price,"
         " x.discount_percent, x.subtotal, now() + x.ord * interval '1 microsecond',"
         " now() + x.ord * interval '1 microsecond'"
         " FROM json_to_recordset($3::json) AS x(ord int, product_name text, description text,"
         " quantity numeric, unit_price numeric, discount_percent numeric, subtotal numeric)"
         " RETURNING " ITEM_JSON("i") "::text"},

    /* $1 tenant, $2 quote id, $3 sort, $4 limit, $5 offset: {"total",
     * "items"}, or NULL when the quote does not exist. */
    [Q_ITEMS_LIST] = {"quotes_items_list",
                      "SELECT CASE WHEN EXISTS (SELECT 1 FROM quotes q WHERE q.id = $2"
                      "   AND q.tenant_id = $1 AND NOT q.is_deleted)"
                      " THEN json_build_object('total', (SELECT count(*) FROM quote_items i"
                      "   WHERE i.quote_id = $2 AND i.tenant_id = $1),"
                      " 'items', coalesce((SELECT json_agg(" ITEM_JSON("p") " ORDER BY " ITEM_ORDER(
                          "p") ") FROM (SELECT i.* FROM quote_items i"
                               " WHERE i.quote_id = $2 AND i.tenant_id = $1"
                               " ORDER BY " ITEM_ORDER("i") " LIMIT $4 OFFSET $5) p), '[]'))::text"
                                                            " END"},

    /* $1 tenant, $2 item id, $3 product_name (NULL keeps), $5 description
     * when $4 is true, $6 quantity, $7 unit_price, $8 discount_percent,
     * $9 subtotal. Answers the item's JSON. */
    [Q_ITEM_UPDATE] = {"quotes_item_update",
                       "UPDATE quote_items i SET product_name = coalesce($3::text, product_name),"
                       " description = CASE WHEN $4::bool THEN $5::text ELSE description END,"
                       " quantity = $6, unit_price = $7, discount_percent = $8, subtotal = $9"
                       " WHERE i.id = $2 AND i.tenant_id = $1 RETURNING " ITEM_JSON("i") "::text"},

    /* $1 tenant, $2 item id. */
    [Q_ITEM_DELETE] = {"quotes_item_delete",
                       "DELETE FROM quote_items WHERE id = $2 AND tenant_id = $1"},

    /* $1 tenant, $2 quote id: total_amount = the sum of the subtotals. */
    [Q_TOTAL] = {"quotes_total",
                 "UPDATE quotes SET total_amount = (SELECT coalesce(sum(i.subtotal), 0)"
                 " FROM quote_items i WHERE i.quote_id = $2) WHERE id = $2 AND tenant_id = $1"},
    {NULL, NULL},
};
/* clang-format on */
