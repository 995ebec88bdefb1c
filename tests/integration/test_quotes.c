/* Integration tests of quotes and their items: CRUD, numbering races, transitions, roles, tenant
 * isolation, query counts, dashboard effects. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_quotes.h"

/* The demo data (scale 1) plus fixed Acme quotes of rep1 that the cases
 * name: {D} a draft with items {I1} and {I2}, {S} a sent one with item
 * {IS}, {A} an accepted one; {D2} is a draft of rep2 with item {I3}; {X}
 * is a Borealis draft with item {IX}; {N} exists nowhere. */
#define ID_D "d0000000-0000-4000-8000-000000000001"
#define ID_S "d0000000-0000-4000-8000-000000000002"
#define ID_A "d0000000-0000-4000-8000-000000000003"
#define ID_D2 "d0000000-0000-4000-8000-000000000004"
#define ID_X "d0000000-0000-4000-8000-000000000005"
#define ID_I1 "f0000000-0000-4000-8000-000000000001"
#define ID_I2 "f0000000-0000-4000-8000-000000000002"
#define ID_IS "f0000000-0000-4000-8000-000000000003"
#define ID_I3 "f0000000-0000-4000-8000-000000000004"
#define ID_IX "f0000000-0000-4000-8000-000000000005"
#define ID_N "0f000000-0000-4000-8000-000000000000"
#define ID_C QUOTES_CLIENT

char *tokens[NWHO];
char rep1_id[40], rep2_id[40], admin_id[40];
static char other_client[40], other_user[40];
static char long51[52], long256[257]; /* one past the columns' limits */

static const struct cases_var vars[] = {
    {"{D}", ID_D},          {"{S}", ID_S},       {"{A}", ID_A},     {"{D2}", ID_D2},
    {"{X}", ID_X},          {"{I1}", ID_I1},     {"{I2}", ID_I2},   {"{IS}", ID_IS},
    {"{I3}", ID_I3},        {"{IX}", ID_IX},     {"{N}", ID_N},     {"{C}", ID_C},
    {"{OC}", other_client}, {"{R1}", rep1_id},   {"{R2}", rep2_id}, {"{OU}", other_user},
    {"{L51}", long51},      {"{L256}", long256}, {NULL, NULL},
};

/* clang-format off */
static const char fixture_sql[] =
    "INSERT INTO clients (id, tenant_id, name, status) SELECT '" ID_C "', id, '"
    QUOTES_CLIENT_NAME "', 'active' FROM tenants WHERE domain = 'acme.example';"
    "INSERT INTO quotes (id, tenant_id, client_id, sales_rep_id, quote_number, total_amount,"
    " status, valid_until, sent_at, accepted_at)"
    " SELECT v.id::uuid, u.tenant_id,"
    " coalesce((SELECT c.id FROM clients c WHERE c.id = '" ID_C "' AND c.tenant_id = u.tenant_id),"
    "  (SELECT c.id FROM clients c WHERE c.tenant_id = u.tenant_id ORDER BY c.id LIMIT 1)),"
    " u.id, v.num, v.total, v.status::sale_status, current_date + 30,"
    " CASE WHEN v.status <> 'draft' THEN now() END, CASE WHEN v.status = 'accepted' THEN now() END"
    " FROM (VALUES ('" ID_D "', 'rep1@acme.example', 'FIX-D', 30.00, 'draft'),"
    " ('" ID_S "', 'rep1@acme.example', 'FIX-S', 10.00, 'sent'),"
    " ('" ID_A "', 'rep1@acme.example', 'FIX-A', 10.00, 'accepted'),"
    " ('" ID_D2 "', 'rep2@acme.example', 'FIX-D2', 10.00, 'draft'),"
    " ('" ID_X "', 'rep1@borealis.example', 'FIX-X', 10.00, 'draft'))"
    " v(id, email, num, total, status) JOIN users u ON u.email = v.email;"
    "INSERT INTO quote_items (id, tenant_id, quote_id, product_name, quantity, unit_price,"
    " subtotal)"
    " SELECT v.id::uuid, q.tenant_id, q.id, 'Fixture item', 1, v.price, v.price"
    " FROM (VALUES ('" ID_I1 "', '" ID_D "', 10.00), ('" ID_I2 "', '" ID_D "', 20.00),"
    " ('" ID_IS "', '" ID_S "', 10.00), ('" ID_I3 "', '" ID_D2 "', 10.00),"
    " ('" ID_IX "', '" ID_X "', 10.00)) v(id, quote, price) JOIN quotes q ON q.id = v.quote::uuid;";
/* clang-format on */

static int setup(const char *db)
{
    memset(long51, 'x', sizeof long51 - 1);
    memset(long256, 'x', sizeof long256 - 1);
    static const char *const scale1[] = {"--scale", "1", NULL};
    if (harness_seed_demo(db, scale1) != 0 || harness_psql(db, fixture_sql) != 0)
        return -1;
    static const char *const emails[NWHO] = {
        [ADMIN] = "admin@acme.example",     [SUPERVISOR] = "supervisor@acme.example",
        [REP] = "rep1@acme.example",        [REP2] = "rep2@acme.example",
        [ANALYST] = "analyst@acme.example", [OTHER_TENANT] = "admin@borealis.example",
    };
    if (harness_tokens(db, emails, NWHO, "it", 0, tokens) != 0)
        return -1;
    static const char by_domain[] =
        "SELECT c.id FROM clients c JOIN tenants t ON t.id = c.tenant_id"
        " WHERE t.domain = $1 AND NOT c.is_deleted"
        " ORDER BY c.created_at, c.id LIMIT 1";
    static const char user[] = "SELECT id FROM users WHERE email = $1";
    return harness_psql_into(db, other_client, sizeof other_client, by_domain,
                             "borealis.example") ||
                   harness_psql_into(db, admin_id, sizeof admin_id, user, "admin@acme.example") ||
                   harness_psql_into(db, rep1_id, sizeof rep1_id, user, "rep1@acme.example") ||
                   harness_psql_into(db, rep2_id, sizeof rep2_id, user, "rep2@acme.example") ||
                   harness_psql_into(db, other_user, sizeof other_user, user,
                                     "rep1@borealis.example")
               ? -1
               : 0;
}

static void daemon_up(void)
{
    cases_start(NULL, vars);
}

/* ---------------------------------------------------------------- error cases */

#define ITEM "{\"product_name\": \"P\", \"quantity\": 1, \"unit_price\": 5}"
#define Q_CLIENT "\"client_id\": \"{C}\""
#define Q_VALID "\"valid_until\": \"2027-01-31\""
#define Q_ITEMS "\"items\": [" ITEM "]"
#define OK_QUOTE Q_CLIENT ", " Q_VALID ", " Q_ITEMS
#define WITH_ITEMS(list) "{" Q_CLIENT ", " Q_VALID ", \"items\": " list "}"
/* One good item and one with every field wrong. */
#define BAD_ITEMS                                                                                  \
    WITH_ITEMS("[" ITEM ", {\"product_name\": \"\", \"quantity\": 0, \"unit_price\": -1,"          \
               " \"discount_percent\": 100.01, \"bar\": 1}]")
#define NEW_ITEM "{\"product_name\": \"N\", \"quantity\": 2, \"unit_price\": 1}"

static const struct cases_case cases[] = {
    /* roles: analysts read only; a sales rep writes only their own quotes */
    {ANALYST, "POST", QUOTES, "{" OK_QUOTE "}", 403, NULL},
    {ANALYST, "PUT", QUOTES "/{D}", "{}", 403, NULL},
    {ANALYST, "DELETE", QUOTES "/{D}", NULL, 403, NULL},
    {ANALYST, "PATCH", QUOTES "/{D}/status", "{\"status\": \"sent\"}", 403, NULL},
    {ANALYST, "POST", QUOTES "/{D}/items", NEW_ITEM, 403, NULL},
    {ANALYST, "PUT", QUOTES "/{D}/items/{I1}", "{}", 403, NULL},
    {ANALYST, "DELETE", QUOTES "/{D}/items/{I1}", NULL, 403, NULL},
    {REP, "POST", QUOTES, "{" OK_QUOTE ", \"sales_rep_id\": \"{R2}\"}", 403, NULL},
    {REP, "PUT", QUOTES "/{D2}", "{\"notes\": \"x\"}", 403, NULL},
    {REP, "PUT", QUOTES "/{D}", "{\"sales_rep_id\": \"{R2}\"}", 403, NULL},
    {REP, "DELETE", QUOTES "/{D2}", NULL, 403, NULL},
    {REP, "PATCH", QUOTES "/{D2}/status", "{\"status\": \"sent\"}", 403, NULL},
    {REP, "POST", QUOTES "/{D2}/items", NEW_ITEM, 403, NULL},
    {REP, "PUT", QUOTES "/{D2}/items/{I3}", "{\"quantity\": 3}", 403, NULL},
    {REP, "DELETE", QUOTES "/{D2}/items/{I3}", NULL, 403, NULL},
    /* other tenants and unknown ids: 404 before validation */
    {OTHER_TENANT, "GET", QUOTES "/{D}", NULL, 404, NULL},
    {OTHER_TENANT, "PUT", QUOTES "/{D}", "{\"notes\": 5}", 404, NULL},
    {OTHER_TENANT, "DELETE", QUOTES "/{D}", NULL, 404, NULL},
    {OTHER_TENANT, "PATCH", QUOTES "/{D}/status", "{\"status\": \"sent\"}", 404, NULL},
    {OTHER_TENANT, "GET", QUOTES "/{D}/items", NULL, 404, NULL},
    {OTHER_TENANT, "POST", QUOTES "/{D}/items", NEW_ITEM, 404, NULL},
    {OTHER_TENANT, "PUT", QUOTES "/{D}/items/{I1}", "{}", 404, NULL},
    {OTHER_TENANT, "DELETE", QUOTES "/{D}/items/{I1}", NULL, 404, NULL},
    {ADMIN, "PUT", QUOTES "/{D}/items/{IX}", "{}", 404, NULL},
    {ADMIN, "DELETE", QUOTES "/{D}/items/{IX}", NULL, 404, NULL},
    {ADMIN, "PUT", QUOTES "/{D}/items/{I3}", "{}", 404, NULL},
    {ADMIN, "DELETE", QUOTES "/{D}/items/{I3}", NULL, 404, NULL},
    {ADMIN, "PUT", QUOTES "/{D}/items/{N}", "{}", 404, NULL},
    {ADMIN, "GET", QUOTES "/{N}", NULL, 404, NULL},
    {ADMIN, "GET", QUOTES "/not-a-uuid", NULL, 404, NULL},
    {ADMIN, "PUT", QUOTES "/{N}", "{\"notes\": 5}", 404, NULL},
    {ADMIN, "DELETE", QUOTES "/{N}", NULL, 404, NULL},
    {ADMIN, "PATCH", QUOTES "/{N}/status", "{\"status\": \"bogus\"}", 404, NULL},
    {ADMIN, "GET", QUOTES "/{N}/items", NULL, 404, NULL},
    {ADMIN, "POST", QUOTES "/{N}/items", "{}", 404, NULL},
    /* create: validation, every field */
    {ADMIN, "POST", QUOTES, "{}", 422, "body.client_id"},
    {ADMIN, "POST", QUOTES, "{}", 422, "body.valid_until"},
    {ADMIN, "POST", QUOTES, "{}", 422, "body.items"},
    {ADMIN, "POST", QUOTES, "[1]", 422, "body"},
    {ADMIN, "POST", QUOTES, "{\"client_id\": \"{OC}\", " Q_VALID ", " Q_ITEMS "}", 422,
     "body.client_id"},
    {ADMIN, "POST", QUOTES, "{\"client_id\": \"{N}\", " Q_VALID ", " Q_ITEMS "}", 422,
     "body.client_id"},
    {ADMIN, "POST", QUOTES, "{\"client_id\": \"nope\", " Q_VALID ", " Q_ITEMS "}", 422,
     "body.client_id"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"sales_rep_id\": \"{OU}\"}", 422, "body.sales_rep_id"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"quote_number\": \"{L51}\"}", 422,
     "body.quote_number"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"quote_number\": \"\"}", 422, "body.quote_number"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"currency\": \"usd\"}", 422, "body.currency"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"currency\": \"EURO\"}", 422, "body.currency"},
    {ADMIN, "POST", QUOTES, "{" Q_CLIENT ", \"valid_until\": \"2027-02-30\", " Q_ITEMS "}", 422,
     "body.valid_until"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"notes\": 5}", 422, "body.notes"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"total_amount\": 4.99}", 422, "body.total_amount"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"total_amount\": 5.001}", 422, "body.total_amount"},
    {ADMIN, "POST", QUOTES, "{" OK_QUOTE ", \"foo\": 1}", 422, "body.foo"},
    {ADMIN, "POST", QUOTES, WITH_ITEMS("[]"), 422, "body.items"},
    {ADMIN, "POST", QUOTES, WITH_ITEMS("{}"), 422, "body.items"},
    {ADMIN, "POST", QUOTES, BAD_ITEMS, 422, "body.items.1.product_name"},
    {ADMIN, "POST", QUOTES, BAD_ITEMS, 422, "body.items.1.quantity"},
    {ADMIN, "POST", QUOTES, BAD_ITEMS, 422, "body.items.1.unit_price"},
    {ADMIN, "POST", QUOTES, BAD_ITEMS, 422, "body.items.1.discount_percent"},
    {ADMIN, "POST", QUOTES, BAD_ITEMS, 422, "body.items.1.bar"},
    {ADMIN, "POST", QUOTES, WITH_ITEMS("[{\"product_name\": \"{L256}\"}]"), 422,
     "body.items.0.product_name"},
    {ADMIN, "POST", QUOTES, WITH_ITEMS("[{\"product_name\": \"P\"}]"), 422,
     "body.items.0.quantity"},
    {ADMIN, "POST", QUOTES,
     WITH_ITEMS("[{\"product_name\": \"P\", \"quantity\": 1.005, \"unit_price\": 1}]"), 422,
     "body.items.0.quantity"},
    {ADMIN, "POST", QUOTES,
     WITH_ITEMS(
         "[{\"product_name\": \"P\", \"quantity\": 9999999.99, \"unit_price\": 999999999.99}]"),
     422, "body.items"},
    /* update: validation, then draft only */
    {ADMIN, "PUT", QUOTES "/{D}", "{\"client_id\": \"{OC}\"}", 422, "body.client_id"},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"sales_rep_id\": \"{OU}\"}", 422, "body.sales_rep_id"},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"client_id\": null}", 422, "body.client_id"},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"items\": []}", 422, "body.items"},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"total_amount\": 31}", 422, "body.total_amount"},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"items\": [" ITEM "], \"total_amount\": 30}", 422,
     "body.total_amount"},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"foo\": 1}", 422, "body.foo"},
    {ADMIN, "PUT", QUOTES "/{S}", "{\"notes\": 5}", 422, "body.notes"},
    {ADMIN, "PUT", QUOTES "/{S}", "{\"notes\": \"late\"}", 409, NULL},
    {ADMIN, "PUT", QUOTES "/{D}", "{\"quote_number\": \"FIX-S\"}", 409, NULL},
    {ADMIN, "DELETE", QUOTES "/{S}", NULL, 409, NULL},
    {ADMIN, "DELETE", QUOTES "/{A}", NULL, 409, NULL},
    /* status: validation, then transitions */
    {ADMIN, "PATCH", QUOTES "/{D}/status", "{}", 422, "body.status"},
    {ADMIN, "PATCH", QUOTES "/{D}/status", "{\"status\": \"won\"}", 422, "body.status"},
    {ADMIN, "PATCH", QUOTES "/{D}/status", "{\"status\": \"sent\", \"x\": 1}", 422, "body.x"},
    {ADMIN, "PATCH", QUOTES "/{D}/status", "{\"status\": \"accepted\"}", 409, NULL},
    {ADMIN, "PATCH", QUOTES "/{S}/status", "{\"status\": \"draft\"}", 409, NULL},
    {ADMIN, "PATCH", QUOTES "/{A}/status", "{\"status\": \"sent\"}", 409, NULL},
    /* items: validation, then draft only */
    {ADMIN, "POST", QUOTES "/{D}/items", "{}", 422, "body.product_name"},
    {ADMIN, "POST", QUOTES "/{D}/items", "{\"product_name\": \"P\", \"unit_price\": 1}", 422,
     "body.quantity"},
    {ADMIN, "POST", QUOTES "/{D}/items", "{\"product_name\": \"P\", \"quantity\": 1}", 422,
     "body.unit_price"},
    {ADMIN, "POST", QUOTES "/{D}/items",
     "{"
     "\"product_name\": \"P\", \"quantity\": 9999999.99,"
     " \"unit_price\": 999999999.99}",
     422, "body"},
    {ADMIN, "PUT", QUOTES "/{D}/items/{I1}", "{\"quantity\": 0}", 422, "body.quantity"},
    {ADMIN, "PUT", QUOTES "/{D}/items/{I1}", "{\"discount_percent\": -1}", 422,
     "body.discount_percent"},
    {ADMIN, "PUT", QUOTES "/{D}/items/{I1}", "{\"product_name\": null}", 422, "body.product_name"},
    {ADMIN, "PUT", QUOTES "/{D}/items/{I1}", "{\"id\": \"{I2}\"}", 422, "body.id"},
    {ADMIN, "POST", QUOTES "/{S}/items", NEW_ITEM, 409, NULL},
    {ADMIN, "PUT", QUOTES "/{S}/items/{IS}", "{\"quantity\": 3}", 409, NULL},
    {ADMIN, "DELETE", QUOTES "/{S}/items/{IS}", NULL, 409, NULL},
    {ADMIN, "DELETE", QUOTES "/{D2}/items/{I3}", NULL, 409, NULL}, /* its only item */
    /* lists */
    {ADMIN, "GET", QUOTES "?status=won", NULL, 422, "query.status"},
    {ADMIN, "GET", QUOTES "?client_id=nope", NULL, 422, "query.client_id"},
    {ADMIN, "GET", QUOTES "?sales_rep_id=nope", NULL, 422, "query.sales_rep_id"},
    {ADMIN, "GET", QUOTES "?date_from=2026-13-01", NULL, 422, "query.date_from"},
    {ADMIN, "GET", QUOTES "?date_to=today", NULL, 422, "query.date_to"},
    {ADMIN, "GET", QUOTES "?sort=notes", NULL, 422, "query.sort"},
    {ADMIN, "GET", QUOTES "?page_size=101", NULL, 422, "query.page_size"},
    {ADMIN, "GET", QUOTES "?page=0", NULL, 422, "query.page"},
    {ADMIN, "GET", QUOTES "?foo=1", NULL, 422, "query.foo"},
    {ADMIN, "GET", QUOTES "/{D}/items?sort=quantity", NULL, 422, "query.sort"},
};

START_TEST(error_case)
{
    cases_run(&cases[_i], tokens);
}
END_TEST

/* One request with every field wrong lists every one of them, the foreign
 * client included. */
START_TEST(every_invalid_field_listed)
{
    static const char *const locs[] = {"body.client_id",
                                       "body.currency",
                                       "body.valid_until",
                                       "body.quote_number",
                                       "body.foo",
                                       "body.items.0.quantity",
                                       "body.items.1.product_name",
                                       "body.items.1.discount_percent"};
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "POST", QUOTES,
               "{\"client_id\": \"{OC}\", \"currency\": \"us\", \"valid_until\": \"soon\","
               " \"quote_number\": \"\", \"foo\": 1, \"items\": [{\"product_name\": \"P\","
               " \"quantity\": -1, \"unit_price\": 1}, {\"quantity\": 1, \"unit_price\": 1,"
               " \"discount_percent\": 150}]}",
               422, &r);
    for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++)
        ck_assert_msg(harness_detail_has_loc(&r, locs[i]), "expected %s in %s", locs[i], r.body);
    harness_resp_free(&r);
}
END_TEST

/* The 409 of a transition names the moves allowed from where it stands. */
START_TEST(transition_conflicts_name_allowed_moves)
{
    static const struct {
        const char *path, *body, *detail;
    } t[] = {
        {QUOTES "/{D}/status", "{\"status\": \"accepted\"}",
         "cannot move a quote from draft to accepted; allowed: sent"},
        {QUOTES "/{S}/status", "{\"status\": \"sent\"}",
         "cannot move a quote from sent to sent; allowed: accepted, rejected, expired"},
        {QUOTES "/{A}/status", "{\"status\": \"sent\"}",
         "cannot move a quote from accepted to sent; allowed: none"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct harness_resp r;
        cases_call(&cases_daemon, tokens[ADMIN], "PATCH", t[i].path, t[i].body, 409, &r);
        ck_assert_msg(harness_detail_is(&r, t[i].detail), "expected detail \"%s\", got %s",
                      t[i].detail, r.body);
        harness_resp_free(&r);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("quotes");
    TCase *tc = harness_tcase(s, "quotes");
    /* One daemon for the whole case: the tests run one after another. */
    tcase_add_unchecked_fixture(tc, daemon_up, cases_stop);
    tcase_add_loop_test(tc, error_case, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, every_invalid_field_listed);
    tcase_add_test(tc, transition_conflicts_name_allowed_moves);
    quotes_flow_tests(tc);
    return harness_main(s, "it_quotes", setup);
}
