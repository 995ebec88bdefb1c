/* Integration tests of /api/v1/clients: lists, writes, roles, tenants, KPI invalidation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "res_cases.h"

#define CLIENTS "/api/v1/clients"
#define ACME "(SELECT id FROM tenants WHERE domain = 'acme.example')"
#define BOREALIS "(SELECT id FROM tenants WHERE domain = 'borealis.example')"

static const char *const emails[NWHO] = {
    [ADMIN] = "admin@acme.example",
    [SUPERVISOR] = "supervisor@acme.example",
    [REP] = "rep1@acme.example",
    [ANALYST] = "analyst@acme.example",
    [OTHER_TENANT] = "admin@borealis.example",
};
static char *tok[NWHO], *kpi_tok;
static struct harness_daemon D;

/* ---------------------------------------------------------------- fixture */

/* The demo data (two tenants of 200 clients each) and an API token per
 * role; and a rep of a tenant of its own (a random id: the demo's tenant ids
 * are the same in every suite's database, and so are their dashboard cache
 * keys in the shared Redis), whose token kpi_tok reads the KPIs. */
static int setup(const char *db)
{
    if (harness_seed_demo(db, NULL) != 0 ||
        harness_tokens(db, emails, NWHO, "it-clients", 1, tok) != 0)
        return -1;
    char *id =
        harness_user_add(db, "Clients KPI Co", "kpi.rep@clients.test", "sales_rep", "kpi-pass-01");
    bool ok = id != NULL;
    free(id);
    return ok && (kpi_tok = harness_token_create(db, "kpi.rep@clients.test", "it-kpi", 1)) ? 0 : -1;
}

/* No background jobs or probes: their statements would blur query counts. */
static void up(void)
{
    static const char *const quiet[] = {"--health-probe-s", "3600", "--no-jobs", NULL};
    harness_daemon_start(&D, harness_db(), quiet);
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
}

/* ---------------------------------------------------------------- helpers */

static char *create_client(enum who who, const char *body)
{
    return cases_create(&D, tok[who], CLIENTS, body);
}

static void client_path(char *out, size_t n, const char *id, const char *suffix)
{
    snprintf(out, n, CLIENTS "/%s%s", id, suffix);
}

/* ---------------------------------------------------------------- lists */

static const char *const client_keys[] = {"id",      "name", "client_type", "email",     "phone",
                                          "website", "city", "country",     "industry",  "status",
                                          "notes",   "tags", "created_at",  "updated_at"};
#define NKEYS (sizeof client_keys / sizeof client_keys[0])

START_TEST(list_shape_and_total)
{
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ANALYST], "GET", CLIENTS, NULL, 200, &r);
    long total = harness_sql_long("SELECT count(*) FROM clients WHERE tenant_id = " ACME
                                  " AND NOT is_deleted");
    ck_assert_msg(cases_num(j, "total") == total, "expected total %ld (the tenant's clients): %s",
                  total, r.body);
    ck_assert_msg(cases_num(j, "page") == 1 && cases_num(j, "page_size") == 20 &&
                      cases_num(j, "pages") == (total + 19) / 20,
                  "expected page 1, page_size 20, pages %ld: %.200s", (total + 19) / 20, r.body);
    cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items"), *it;
    ck_assert_int_eq(cJSON_GetArraySize(items), 20);
    cJSON_ArrayForEach(it, items)
    {
        ck_assert_msg(cJSON_GetArraySize(it) == (int)NKEYS, "expected %zu fields per client",
                      NKEYS);
        for (size_t k = 0; k < NKEYS; k++)
            ck_assert_msg(cJSON_GetObjectItemCaseSensitive(it, client_keys[k]),
                          "expected field %s in client %s", client_keys[k], harness_jstr(it, "id"));
        ck_assert_msg(harness_is_rfc3339z(harness_jstr(it, "created_at")),
                      "expected RFC 3339 created_at");
    }
    harness_resp_free(&r);
}
END_TEST

START_TEST(list_query_count_constant)
{
    struct harness_resp r;
    cases_call(&D, tok[ADMIN], "GET", CLIENTS "?page_size=1", NULL, 200, &r); /* warms the token */
    harness_resp_free(&r);
    cases_same_queries(&D, tok[ADMIN], CLIENTS, 100);
}
END_TEST

/* A list query and the SQL that orders the same rows: the first page's ids
 * must match, in order. */
static const struct {
    const char *query, *order, *where;
} list_cases[] = {
    {"", "created_at DESC, id", ""},
    {"?sort=name", "name, id", ""},
    {"?sort=-name", "name DESC, id", ""},
    {"?sort=status", "status, id", ""},
    {"?sort=-status", "status DESC, id", ""},
    {"?sort=created_at&page=2", "created_at, id OFFSET 20", ""},
    {"?status=active&sort=name", "name, id", " AND status = 'active'"},
    {"?status=lost", "created_at DESC, id", " AND status = 'lost'"},
    /* search: case-insensitive, on the name or the email */
    {"?search=FARMACIA&sort=name", "name, id", " AND name ILIKE '%farmacia%'"},
    {"?search=MAIL.EXAMPLE&sort=name", "name, id",
     " AND (name ILIKE '%mail.example%' OR email ILIKE '%mail.example%')"},
    {"?search=zz-no-such-client", "id", " AND false"},
};

START_TEST(list_filters_and_sorts)
{
    char sql[512], path[160];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(string_agg(id::text, ',' ORDER BY n), '') FROM (SELECT id,"
             " row_number() OVER () n FROM (SELECT id FROM clients WHERE tenant_id = " ACME
             " AND NOT is_deleted%s ORDER BY %s LIMIT 20) s) t",
             list_cases[_i].where, list_cases[_i].order);
    char *want = harness_psql_value(harness_db(), sql, NULL);
    snprintf(path, sizeof path, CLIENTS "%s", list_cases[_i].query);
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[REP], "GET", path, NULL, 200, &r), *it;
    char got[20 * 37 + 1] = "";
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "items"))
    {
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", got[0] ? "," : "",
                 harness_jstr(it, "id"));
    }
    ck_assert_msg(want && !strcmp(got, want), "expected %s to list [%s], got [%s]", path, want,
                  got);
    free(want);
    harness_resp_free(&r);
}
END_TEST

/* Pages of 7 sorted by status (many ties) cover every client exactly once. */
START_TEST(list_pages_stable)
{
    long total = harness_sql_long("SELECT count(*) FROM clients WHERE tenant_id = " ACME
                                  " AND NOT is_deleted"),
         seen = 0;
    char *ids = calloc((size_t)total + 1, 37), path[96];
    for (long page = 1; page <= (total + 6) / 7; page++) {
        snprintf(path, sizeof path, CLIENTS "?sort=status&page_size=7&page=%ld", page);
        struct harness_resp r;
        cJSON *items = cJSON_GetObjectItem(cases_call(&D, tok[ADMIN], "GET", path, NULL, 200, &r),
                                           "items"),
              *it;
        cJSON_ArrayForEach(it, items)
        {
            for (long k = 0; k < seen; k++)
                ck_assert_msg(strcmp(ids + k * 37, harness_jstr(it, "id")),
                              "expected client %s once across pages", harness_jstr(it, "id"));
            snprintf(ids + seen++ * 37, 37, "%s", harness_jstr(it, "id"));
        }
        harness_resp_free(&r);
    }
    ck_assert_msg(seen == total, "expected %ld clients across pages, got %ld", total, seen);
    free(ids);
}
END_TEST

static const struct {
    const char *query, *loc;
} bad_queries[] = {
    {"?status=bogus", "query.status"},     {"?sort=email", "query.sort"},
    {"?sort=-bogus", "query.sort"},        {"?page_size=0", "query.page_size"},
    {"?page_size=101", "query.page_size"}, {"?page=0", "query.page"},
    {"?colour=red", "query.colour"},       {"?status=lead&status=lost", "query.status"},
};

START_TEST(list_bad_queries)
{
    char path[128];
    snprintf(path, sizeof path, CLIENTS "%s", bad_queries[_i].query);
    struct harness_resp r;
    cases_call(&D, tok[ADMIN], "GET", path, NULL, 422, &r);
    ck_assert_msg(harness_detail_has_loc(&r, bad_queries[_i].loc), "expected loc %s for %s: %s",
                  bad_queries[_i].loc, path, r.body);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- create, get */

static const char full_body[] =
    "{\"name\": \"Óptica Río Test\", \"client_type\": \"individual\","
    " \"email\": \"optica@rio.test\", \"phone\": \"+34 600 000 000\","
    " \"website\": \"https://rio.test\", \"city\": \"Zaragoza\", \"country\": \"España\","
    " \"industry\": \"retail\", \"status\": \"prospect\", \"notes\": \"Met at the fair\","
    " \"tags\": \"fair,2026\"}";

START_TEST(create_then_get)
{
    char *id = create_client(REP, full_body), path[96];
    client_path(path, sizeof path, id, "");
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ANALYST], "GET", path, NULL, 200, &r);
    cJSON *sent = cJSON_Parse(full_body), *f;
    cJSON_ArrayForEach(f, sent)
    {
        const char *got = harness_jstr(j, f->string);
        ck_assert_msg(got && !strcmp(got, f->valuestring), "expected %s = %s, got %s", f->string,
                      f->valuestring, got);
    }
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(j, "created_at")) &&
                      harness_is_rfc3339z(harness_jstr(j, "updated_at")),
                  "expected RFC 3339 timestamps: %s", r.body);
    cJSON_Delete(sent);
    harness_resp_free(&r);
    free(id);
}
END_TEST

START_TEST(create_defaults)
{
    char *id = create_client(SUPERVISOR, "{\"name\": \"Just A Name\"}"), path[96];
    client_path(path, sizeof path, id, "");
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ADMIN], "GET", path, NULL, 200, &r);
    ck_assert_msg(!strcmp(harness_jstr(j, "client_type"), "company") &&
                      !strcmp(harness_jstr(j, "status"), "lead"),
                  "expected client_type company and status lead by default: %s", r.body);
    static const char *const nulls[] = {"email",   "phone",    "website", "city",
                                        "country", "industry", "notes",   "tags"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, nulls[i])),
                      "expected %s null by default: %s", nulls[i], r.body);
    harness_resp_free(&r);
    free(id);
}
END_TEST

#define S64 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define S256 S64 S64 S64 S64 /* 256 characters: one over varchar(255) */

/* Bodies that answer 422, each naming the field(s) at fault. */
static const struct {
    const char *body, *locs[3];
} bad_bodies[] = {
    {"{}", {"body.name"}},
    {"{\"name\": \"\"}", {"body.name"}},
    {"{\"name\": null}", {"body.name"}},
    {"{\"name\": 5}", {"body.name"}},
    {"{\"name\": \"" S256 "\"}", {"body.name"}},
    {"{\"name\": \"ok\", \"email\": \"" S256 "@x.test\"}", {"body.email"}},
    {"{\"name\": \"ok\", \"phone\": \"012345678901234567890123456789012345678901234567890\"}",
     {"body.phone"}},
    {"{\"name\": \"ok\", \"client_type\": \"alien\"}", {"body.client_type"}},
    {"{\"name\": \"ok\", \"industry\": \"mining\"}", {"body.industry"}},
    {"{\"name\": \"ok\", \"status\": \"won\"}", {"body.status"}},
    {"{\"name\": \"ok\", \"status\": null}", {"body.status"}},
    {"{\"name\": \"ok\", \"tenant_id\": \"x\"}", {"body.tenant_id"}},
    {"[1, 2]", {"body"}},
    /* every invalid field is listed, not only the first */
    {"{\"name\": \"\", \"city\": 3, \"country\": \"" S256 "\", \"extra\": 1}",
     {"body.name", "body.city", "body.country"}},
};

START_TEST(create_invalid)
{
    struct harness_resp r;
    cases_call(&D, tok[ADMIN], "POST", CLIENTS, bad_bodies[_i].body, 422, &r);
    for (int k = 0; k < 3 && bad_bodies[_i].locs[k]; k++)
        ck_assert_msg(harness_detail_has_loc(&r, bad_bodies[_i].locs[k]),
                      "expected loc %s for %s: %s", bad_bodies[_i].locs[k], bad_bodies[_i].body,
                      r.body);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- update, status, delete */

START_TEST(update_is_partial)
{
    char *id = create_client(ADMIN, full_body), path[96];
    client_path(path, sizeof path, id, "");
    struct harness_resp r;
    cJSON *before = cJSON_Duplicate(cases_call(&D, tok[ADMIN], "GET", path, NULL, 200, &r), true);
    harness_resp_free(&r);
    cJSON *j = cases_call(&D, tok[REP], "PUT", path, "{\"city\": \"Huesca\", \"email\": null}", 200,
                          &r),
          *f;
    cJSON_ArrayForEach(f, before)
    {
        if (!strcmp(f->string, "city") || !strcmp(f->string, "email") ||
            !strcmp(f->string, "updated_at"))
            continue;
        ck_assert_msg(cJSON_Compare(f, cJSON_GetObjectItemCaseSensitive(j, f->string), true),
                      "expected %s to keep its value after a partial PUT: %s", f->string, r.body);
    }
    ck_assert_msg(!strcmp(harness_jstr(j, "city"), "Huesca") &&
                      cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "email")),
                  "expected city Huesca and email null: %s", r.body);
    harness_resp_free(&r);
    j = cases_call(&D, tok[ADMIN], "GET", path, NULL, 200, &r);
    ck_assert_msg(!strcmp(harness_jstr(j, "city"), "Huesca"), "expected the update stored: %s",
                  r.body);
    harness_resp_free(&r);
    cases_call(&D, tok[ADMIN], "PUT", path, "{\"name\": \"\", \"industry\": \"mining\"}", 422, &r);
    ck_assert_msg(harness_detail_has_loc(&r, "body.name") &&
                      harness_detail_has_loc(&r, "body.industry"),
                  "expected both invalid fields listed: %s", r.body);
    harness_resp_free(&r);
    cJSON_Delete(before);
    free(id);
}
END_TEST

START_TEST(set_status)
{
    char *id = create_client(REP, "{\"name\": \"Status Co\"}"), path[128];
    client_path(path, sizeof path, id, "/status");
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[REP], "PUT", path, "{\"status\": \"active\"}", 200, &r);
    ck_assert_msg(!strcmp(harness_jstr(j, "status"), "active") &&
                      !strcmp(harness_jstr(j, "id"), id),
                  "expected the client answered with status active: %s", r.body);
    harness_resp_free(&r);
    static const char *const bad[] = {"{}", "{\"status\": \"won\"}", "{\"status\": null}",
                                      "{\"status\": \"lost\", \"name\": \"x\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cases_call(&D, tok[ADMIN], "PUT", path, bad[i], 422, &r);
        ck_assert_msg(harness_detail_has_loc(&r, i == 3 ? "body.name" : "body.status"),
                      "expected %s to be refused naming the field: %s", bad[i], r.body);
        harness_resp_free(&r);
    }
    free(id);
}
END_TEST

START_TEST(soft_delete)
{
    char *id = create_client(REP, "{\"name\": \"Doomed Client zq\"}"), path[128], sql[256];
    client_path(path, sizeof path, id, "");
    struct harness_resp r;
    cases_call(&D, tok[REP], "DELETE", path, NULL, 204, &r);
    ck_assert_msg(r.body_len == 0, "expected no body on 204");
    harness_resp_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT is_deleted AND deleted_at IS NOT NULL FROM clients"
             " WHERE id = '%s'",
             id);
    char *flag = harness_sql_value(sql);
    ck_assert_msg(!strcmp(flag, "t"), "expected a soft delete (row kept, is_deleted)");
    free(flag);
    cases_call(&D, tok[ADMIN], "GET", path, NULL, 404, &r);
    harness_resp_free(&r);
    cases_call(&D, tok[ADMIN], "DELETE", path, NULL, 404, &r);
    harness_resp_free(&r);
    cases_call(&D, tok[ADMIN], "PUT", path, "{\"city\": \"x\"}", 404, &r);
    harness_resp_free(&r);
    cJSON *j =
        cases_call(&D, tok[ADMIN], "GET", CLIENTS "?search=doomed%20client%20zq", NULL, 200, &r);
    ck_assert_msg(cases_num(j, "total") == 0, "expected a deleted client in no list: %s", r.body);
    harness_resp_free(&r);
    free(id);
}
END_TEST

/* ---------------------------------------------------------------- 404, roles, tenants */

/* Every route that takes an id, with a body that is valid for it. */
static const struct {
    const char *method, *suffix, *body;
    long status; /* on success */
} id_routes[] = {
    {"GET", "", NULL, 200},
    {"PUT", "", "{\"city\": \"Teruel\"}", 200},
    {"PUT", "/status", "{\"status\": \"inactive\"}", 200},
    {"DELETE", "", NULL, 204},
};
#define N_ID_ROUTES (sizeof id_routes / sizeof id_routes[0])

/* An unknown id, another tenant's id and a malformed id answer 404 on every
 * id route, before any body validation; the other tenant's row is left as it
 * was. */
START_TEST(unknown_and_foreign_ids_are_404)
{
    char *foreign = harness_sql_value("SELECT id FROM clients WHERE tenant_id = " BOREALIS
                                      " AND NOT is_deleted ORDER BY id LIMIT 1");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT md5(row(name, city, status, is_deleted, updated_at)::text) FROM clients"
             " WHERE id = '%s'",
             foreign);
    char *fingerprint = harness_sql_value(sql);
    const char *ids[] = {foreign, "3f2c4b1e-0000-4000-8000-000000000000", "not-a-uuid"};
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = 0; k < N_ID_ROUTES; k++) {
            char path[128];
            client_path(path, sizeof path, ids[i], id_routes[k].suffix);
            struct harness_resp r;
            cases_call(&D, tok[ADMIN], id_routes[k].method, path, id_routes[k].body, 404, &r);
            harness_resp_free(&r);
            if (id_routes[k].body) { /* an invalid body does not turn the 404 into a 422 */
                cases_call(&D, tok[ADMIN], id_routes[k].method, path, "{\"status\": 7}", 404, &r);
                harness_resp_free(&r);
            }
        }
    }
    char *after = harness_sql_value(sql);
    ck_assert_msg(!strcmp(fingerprint, after), "expected the other tenant's client untouched");
    free(after);
    free(fingerprint);
    free(foreign);
}
END_TEST

/* The other tenant's clients never show in a list, and ours not in theirs. */
START_TEST(lists_are_tenant_scoped)
{
    char *id = create_client(ADMIN, "{\"name\": \"Acme Only Client qx\"}");
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[OTHER_TENANT], "GET", CLIENTS "?search=acme%20only%20client%20qx",
                          NULL, 200, &r);
    ck_assert_msg(cases_num(j, "total") == 0, "expected another tenant not to see our client: %s",
                  r.body);
    harness_resp_free(&r);
    long theirs = harness_sql_long("SELECT count(*) FROM clients WHERE tenant_id = " BOREALIS
                                   " AND NOT is_deleted");
    j = cases_call(&D, tok[OTHER_TENANT], "GET", CLIENTS, NULL, 200, &r);
    ck_assert_msg(cases_num(j, "total") == theirs, "expected their own %ld clients: %s", theirs,
                  r.body);
    harness_resp_free(&r);
    free(id);
}
END_TEST

/* Who may do what (api.md, role matrix): reads for all, writes for all but
 * analysts. */
START_TEST(roles)
{
    static const struct {
        enum who who;
        bool writes;
    } cases[] = {{ADMIN, true}, {SUPERVISOR, true}, {REP, true}, {ANALYST, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum who who = cases[i].who;
        struct harness_resp r;
        cases_call(&D, tok[who], "GET", CLIENTS, NULL, 200, &r);
        harness_resp_free(&r);
        cases_call(&D, tok[who], "POST", CLIENTS, "{\"name\": \"Role Test\"}",
                   cases[i].writes ? 201 : 403, &r);
        if (!cases[i].writes)
            ck_assert_msg(harness_detail_is(&r, "Forbidden"),
                          "expected {\"detail\": \"Forbidden\"}");
        harness_resp_free(&r);
        char *id = create_client(ADMIN, "{\"name\": \"Role Target\"}");
        for (size_t k = 0; k < N_ID_ROUTES; k++) {
            char path[128];
            client_path(path, sizeof path, id, id_routes[k].suffix);
            bool read = !strcmp(id_routes[k].method, "GET");
            cases_call(&D, tok[who], id_routes[k].method, path, id_routes[k].body,
                       read || cases[i].writes ? id_routes[k].status : 403, &r);
            harness_resp_free(&r);
        }
        free(id);
    }
}
END_TEST

/* ---------------------------------------------------------------- dashboard */

static double new_clients_kpi(void)
{
    struct harness_resp r;
    cases_call(&D, kpi_tok, "GET", "/api/v1/dashboard/kpis", NULL, 200, &r);
    double v = cases_num(harness_json(&r), "new_clients_this_month.current_value");
    harness_resp_free(&r);
    return v;
}

/* A new client moves new_clients_this_month on the next read (the write
 * invalidated the cached KPIs), and deleting it moves it back. */
START_TEST(create_moves_new_clients_kpi)
{
    double before = new_clients_kpi();
    ck_assert_msg(new_clients_kpi() == before, "expected a stable (cached) KPI");
    char *id = cases_create(&D, kpi_tok, CLIENTS, "{\"name\": \"KPI Mover\"}"), path[96];
    double after = new_clients_kpi();
    ck_assert_msg(after == before + 1, "expected new_clients_this_month %g + 1, got %g", before,
                  after);
    client_path(path, sizeof path, id, "");
    struct harness_resp r;
    cases_call(&D, kpi_tok, "DELETE", path, NULL, 204, &r);
    harness_resp_free(&r);
    ck_assert_msg(new_clients_kpi() == before, "expected the delete to move it back to %g", before);
    free(id);
}
END_TEST

/* A client created through the API shows up in the incremental activity
 * feed as a client_created event newer than the last one seen. */
START_TEST(create_appears_in_activity_feed)
{
    struct harness_resp r;
    cases_call(&D, kpi_tok, "GET", "/api/v1/dashboard/recent-activity?limit=1", NULL, 200, &r);
    cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(harness_json(&r), "events"), 0);
    char since[64] = "2020-01-01T00:00:00Z";
    if (ev)
        snprintf(since, sizeof since, "%s", harness_jstr(ev, "timestamp"));
    harness_resp_free(&r);
    harness_sleep_ms(1100); /* timestamps have whole seconds: be strictly newer */
    char *id = cases_create(&D, kpi_tok, CLIENTS, "{\"name\": \"Feed Newcomer\"}");
    char path[160];
    snprintf(path, sizeof path, "/api/v1/dashboard/recent-activity?since=%s", since);
    cases_call(&D, kpi_tok, "GET", path, NULL, 200, &r);
    bool found = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(harness_json(&r), "events"))
    {
        found = found || (!strcmp(harness_jstr(e, "type"), "client_created") &&
                          !strcmp(harness_jstr(e, "id"), id) &&
                          strstr(harness_jstr(e, "title"), "Feed Newcomer"));
    }
    ck_assert_msg(found, "expected a client_created event for the new client since %s: %s", since,
                  r.body);
    harness_resp_free(&r);
    free(id);
}
END_TEST

/* ---------------------------------------------------------------- main */

int main(void)
{
    Suite *s = suite_create("clients");
    TCase *tc = harness_tcase(s, "clients");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, list_shape_and_total);
    tcase_add_test(tc, create_appears_in_activity_feed);
    tcase_add_test(tc, list_query_count_constant);
    tcase_add_loop_test(tc, list_filters_and_sorts, 0, sizeof list_cases / sizeof list_cases[0]);
    tcase_add_test(tc, list_pages_stable);
    tcase_add_loop_test(tc, list_bad_queries, 0, sizeof bad_queries / sizeof bad_queries[0]);
    tcase_add_test(tc, create_then_get);
    tcase_add_test(tc, create_defaults);
    tcase_add_loop_test(tc, create_invalid, 0, sizeof bad_bodies / sizeof bad_bodies[0]);
    tcase_add_test(tc, update_is_partial);
    tcase_add_test(tc, set_status);
    tcase_add_test(tc, soft_delete);
    tcase_add_test(tc, unknown_and_foreign_ids_are_404);
    tcase_add_test(tc, lists_are_tenant_scoped);
    tcase_add_test(tc, roles);
    tcase_add_test(tc, create_moves_new_clients_kpi);
    return harness_main(s, "it_clients", setup);
}
