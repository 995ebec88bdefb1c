/* The quotes suite's success paths: creation and numbering, lists, updates, transitions, items, and
 * the dashboard figures they move. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_quotes.h"

/* ---------------------------------------------------------------- helpers */

/* Creates a quote from body as who; asserts 201 with its Location and
 * returns the answer. */
static cJSON *create(int who, const char *body)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[who], "POST", QUOTES, body, 201, &r);
    cJSON *q = cJSON_Duplicate(harness_json(&r), 1);
    const char *id = harness_jstr(q, "id"), *loc = harness_header(&r, "Location");
    char want[128];
    snprintf(want, sizeof want, QUOTES "/%s", id ? id : "?");
    ck_assert_msg(loc && !strcmp(loc, want), "expected Location %s, got %s", want, loc);
    harness_resp_free(&r);
    return q;
}

/* A draft of one item (2 x 10.50) for the fixture client, as who. */
#define ONE_ITEM                                                                                   \
    "{\"client_id\": \"" QUOTES_CLIENT "\", \"valid_until\": \"2027-01-31\", \"items\":"           \
    " [{\"product_name\": \"Widget\", \"quantity\": 2, \"unit_price\": 10.50}]}"

/* QUOTES/<id of q><suffix> into out. */
static const char *path_of(char out[160], const cJSON *q, const char *suffix)
{
    snprintf(out, 160, QUOTES "/%s%s", harness_jstr(q, "id"), suffix);
    return out;
}

static double num(const cJSON *o, const char *path)
{
    return cases_num(o, path);
}

/* True when the raw body writes key with exactly this number text, as
 * money must be ("150.00", never 150). */
static bool has_number(const char *body, const char *key, const char *text)
{
    char a[96], b[96];
    snprintf(a, sizeof a, "\"%s\" : %s", key, text);
    snprintf(b, sizeof b, "\"%s\":%s", key, text);
    for (const char *p = strstr(body, a); p; p = strstr(p + 1, a))
        if (strchr(",}] ", p[strlen(a)]))
            return true;
    for (const char *p = strstr(body, b); p; p = strstr(p + 1, b))
        if (strchr(",}] ", p[strlen(b)]))
            return true;
    return false;
}

static bool number_shaped(const char *n, int year)
{
    char prefix[16];
    snprintf(prefix, sizeof prefix, "Q-%04d-", year);
    return n && strlen(n) == 13 && !strncmp(n, prefix, 7) && strspn(n + 7, "0123456789") == 6;
}

static int this_year(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
}

/* ---------------------------------------------------------------- create */

START_TEST(create_computes_subtotals_and_total)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "POST", QUOTES,
               "{\"client_id\": \"{C}\", \"valid_until\": \"2027-01-31\", \"notes\": \"n\","
               " \"total_amount\": 202.47, \"items\": ["
               "{\"product_name\": \"A\", \"quantity\": 3, \"unit_price\": 19.99,"
               " \"discount_percent\": 12.5, \"description\": \"first\"},"
               "{\"product_name\": \"B\", \"quantity\": 1.5, \"unit_price\": 100}]}",
               201, &r);
    cJSON *q = harness_json(&r);
    const char *n = harness_jstr(q, "quote_number");
    ck_assert_msg(number_shaped(n, this_year()), "expected Q-%d-NNNNNN, got %s", this_year(), n);
    ck_assert_str_eq(harness_jstr(q, "status"), "draft");
    ck_assert_str_eq(harness_jstr(q, "currency"), "USD");
    ck_assert_str_eq(harness_jstr(q, "sales_rep_id"), admin_id);
    ck_assert_str_eq(harness_jstr(cJSON_GetObjectItem(q, "sales_rep"), "id"), admin_id);
    ck_assert_ptr_nonnull(harness_jstr(cJSON_GetObjectItem(q, "sales_rep"), "full_name"));
    ck_assert_str_eq(harness_jstr(cJSON_GetObjectItem(q, "client"), "name"), QUOTES_CLIENT_NAME);
    cJSON *items = cJSON_GetObjectItem(q, "items");
    ck_assert_int_eq(cJSON_GetArraySize(items), 2);
    ck_assert_str_eq(harness_jstr(cJSON_GetArrayItem(items, 0), "product_name"), "A");
    ck_assert_str_eq(harness_jstr(cJSON_GetArrayItem(items, 0), "description"), "first");
    /* 3 x 19.99 x 0.875 = 52.47375 -> 52.47; 1.5 x 100 = 150.00 */
    ck_assert_msg(has_number(r.body, "subtotal", "52.47") &&
                      has_number(r.body, "subtotal", "150.00") &&
                      has_number(r.body, "total_amount", "202.47") &&
                      has_number(r.body, "quantity", "1.50") &&
                      has_number(r.body, "discount_percent", "12.50"),
                  "expected exact two-decimal amounts: %s", r.body);
    char path[160];
    struct harness_resp g;
    cases_call(&cases_daemon, tokens[ANALYST], "GET", path_of(path, q, ""), NULL, 200, &g);
    ck_assert_str_eq(g.body, r.body);
    harness_resp_free(&g);
    harness_resp_free(&r);
}
END_TEST

START_TEST(explicit_numbers_are_unique)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"client_id\": \"{C}\", \"valid_until\": \"2027-01-31\", \"currency\": \"EUR\","
             " \"quote_number\": \"MANUAL-%d\", \"items\": [{\"product_name\": \"P\","
             " \"quantity\": 1, \"unit_price\": 0}]}",
             (int)getpid());
    cJSON *q = create(SUPERVISOR, body);
    ck_assert_str_eq(harness_jstr(q, "currency"), "EUR");
    ck_assert_msg(!strncmp(harness_jstr(q, "quote_number"), "MANUAL-", 7),
                  "expected the given number");
    ck_assert_double_eq(num(q, "total_amount"), 0);
    cJSON_Delete(cases_call(&cases_daemon, tokens[ADMIN], "POST", QUOTES, body, 409, NULL));
    cJSON_Delete(q);
}
END_TEST

START_TEST(sales_rep_defaults_to_the_caller)
{
    cJSON *own = create(REP, ONE_ITEM);
    ck_assert_str_eq(harness_jstr(cJSON_GetObjectItem(own, "sales_rep"), "id"), rep1_id);
    cJSON *named = create(REP, "{\"client_id\": \"{C}\", \"valid_until\": \"2027-01-31\","
                               " \"sales_rep_id\": \"{R1}\", \"items\": [{\"product_name\":"
                               " \"P\", \"quantity\": 1, \"unit_price\": 1}]}");
    ck_assert_str_eq(harness_jstr(named, "sales_rep_id"), rep1_id);
    cJSON *for_rep2 = create(SUPERVISOR, "{\"client_id\": \"{C}\", \"valid_until\":"
                                         " \"2027-01-31\", \"sales_rep_id\": \"{R2}\", \"items\":"
                                         " [{\"product_name\": \"P\", \"quantity\": 1,"
                                         " \"unit_price\": 1}]}");
    ck_assert_str_eq(harness_jstr(cJSON_GetObjectItem(for_rep2, "sales_rep"), "id"), rep2_id);
    cJSON_Delete(own);
    cJSON_Delete(named);
    cJSON_Delete(for_rep2);
}
END_TEST

enum { RACERS = 20 };

struct racer {
    struct harness_resp r;
};

static void *race_create(void *arg)
{
    struct racer *x = arg;
    char *body = cases_expand(ONE_ITEM);
    harness_send(&cases_daemon, "POST", QUOTES, tokens[ADMIN], body, &x->r);
    free(body);
    return NULL;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 20 creates at once get 20 distinct numbers. */
START_TEST(concurrent_creates_get_distinct_numbers)
{
    pthread_t th[RACERS];
    struct racer *x = calloc(RACERS, sizeof *x);
    for (int i = 0; i < RACERS; i++)
        pthread_create(&th[i], NULL, race_create, &x[i]);
    const char *numbers[RACERS];
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(x[i].r.status == 201, "create %d: expected 201, got %ld: %s", i,
                      x[i].r.status, x[i].r.body);
        numbers[i] = harness_jstr(harness_json(&x[i].r), "quote_number");
        ck_assert_msg(number_shaped(numbers[i], this_year()), "bad number %s", numbers[i]);
    }
    qsort(numbers, RACERS, sizeof numbers[0], by_string);
    for (int i = 1; i < RACERS; i++)
        ck_assert_msg(strcmp(numbers[i - 1], numbers[i]), "number %s given twice", numbers[i]);
    for (int i = 0; i < RACERS; i++)
        harness_resp_free(&x[i].r);
    free(x);
}
END_TEST

/* ---------------------------------------------------------------- lists */

/* Asserts that every item of the list at path satisfies ok(item, arg) and
 * returns the list's total. */
static long list_all(const char *path, bool (*ok)(const cJSON *, const void *), const void *arg)
{
    cJSON *l = cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, NULL);
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
    {
        ck_assert_msg(ok(it, arg), "%s: unexpected item %s", path,
                      harness_jstr(it, "quote_number"));
    }
    long total = (long)num(l, "total");
    cJSON_Delete(l);
    return total;
}

static bool embeds_all(const cJSON *q, const void *arg)
{
    (void)arg;
    const cJSON *c = cJSON_GetObjectItem(q, "client"), *s = cJSON_GetObjectItem(q, "sales_rep");
    return harness_jstr(c, "id") && harness_jstr(c, "name") && harness_jstr(s, "id") &&
           harness_jstr(s, "full_name") &&
           !strcmp(harness_jstr(c, "id"), harness_jstr(q, "client_id")) &&
           !strcmp(harness_jstr(s, "id"), harness_jstr(q, "sales_rep_id")) &&
           cJSON_IsArray(cJSON_GetObjectItem(q, "items"));
}

static bool field_is(const cJSON *q, const void *arg)
{
    const char *const *kv = arg; /* {"object.field" or "field", value} */
    char obj[32];
    const char *dot = strchr(kv[0], '.');
    if (!dot)
        return !strcmp(harness_jstr(q, kv[0]) ? harness_jstr(q, kv[0]) : "", kv[1]);
    snprintf(obj, sizeof obj, "%.*s", (int)(dot - kv[0]), kv[0]);
    const char *v = harness_jstr(cJSON_GetObjectItem(q, obj), dot + 1);
    return v && !strcmp(v, kv[1]);
}

static bool created_since(const cJSON *q, const void *day)
{
    return strncmp(harness_jstr(q, "created_at"), day, 10) >= 0;
}

START_TEST(list_embeds_and_filters)
{
    ck_assert_int_gt(list_all(QUOTES "?page_size=100", embeds_all, NULL), 100);
    cJSON *d = cases_call(&cases_daemon, tokens[ANALYST], "GET",
                          QUOTES "?search=fix-d&sort=quote_number", NULL, 200, NULL);
    ck_assert_int_eq((int)num(d, "total"), 2); /* FIX-D and FIX-D2 */
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "items"), 0);
    ck_assert_str_eq(harness_jstr(first, "quote_number"), "FIX-D");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(first, "items")), 2);
    ck_assert_int_eq((int)num(d, "page"), 1);
    ck_assert_int_eq((int)num(d, "pages"), 1);
    cJSON_Delete(d);

    static const char *const draft[] = {"status", "draft"};
    static const char *const by_client[] = {"client.id", QUOTES_CLIENT};
    static const char *const by_name[] = {"client.name", QUOTES_CLIENT_NAME};
    const char *const by_rep[] = {"sales_rep.id", rep2_id};
    ck_assert_int_gt(list_all(QUOTES "?status=draft&page_size=100", field_is, draft), 0);
    long n = list_all(QUOTES "?client_id={C}&page_size=100", field_is, by_client);
    ck_assert_msg(list_all(QUOTES "?search=zYxW&page_size=100", field_is, by_name) == n,
                  "expected the client-name search to find the client's %ld quotes", n);
    ck_assert_int_gt(list_all(QUOTES "?sales_rep_id={R2}&page_size=100", field_is, by_rep), 0);
    /* % and _ are literal characters in a search */
    ck_assert_int_eq(list_all(QUOTES "?search=%25", embeds_all, NULL), 0);
    ck_assert_int_eq(list_all(QUOTES "?search=_", embeds_all, NULL), 0);

    char today[16], path[128];
    time_t now = time(NULL);
    strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
    snprintf(path, sizeof path, QUOTES "?date_from=%s&page_size=100", today);
    ck_assert_int_gt(list_all(path, created_since, today), 0); /* the fixture's quotes */
    snprintf(path, sizeof path, QUOTES "?date_from=%s&date_to=2000-01-01", today);
    ck_assert_int_eq(list_all(path, embeds_all, NULL), 0);
}
END_TEST

/* Each sort orders the page by its field (ties by id), and pages of a sort
 * with many ties neither overlap nor skip. */
START_TEST(list_sorts_and_stable_pages)
{
    static const char *const sorts[] = {"total_amount",  "-total_amount", "quote_number",
                                        "-quote_number", "valid_until",   "-valid_until",
                                        "created_at",    "-created_at"};
    for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
        const char *field = sorts[s] + (sorts[s][0] == '-');
        int dir = sorts[s][0] == '-' ? -1 : 1;
        char path[128];
        snprintf(path, sizeof path, QUOTES "?page_size=50&sort=%s", sorts[s]);
        cJSON *l = cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, NULL);
        const cJSON *prev = NULL, *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
        {
            if (prev) {
                const cJSON *a = cJSON_GetObjectItem(prev, field),
                            *b = cJSON_GetObjectItem(it, field);
                double cmp = cJSON_IsNumber(a) ? a->valuedouble - b->valuedouble
                                               : strcmp(a->valuestring, b->valuestring);
                ck_assert_msg(cmp * dir <= 0, "%s: %s out of order", path, harness_jstr(it, "id"));
            }
            prev = it;
        }
        cJSON_Delete(l);
    }
    cJSON *all = cases_call(&cases_daemon, tokens[ANALYST], "GET",
                            QUOTES "?sort=status&page_size=14", NULL, 200, NULL);
    for (int page = 1; page <= 2; page++) {
        char path[128];
        snprintf(path, sizeof path, QUOTES "?sort=status&page_size=7&page=%d", page);
        cJSON *l = cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, NULL);
        for (int i = 0; i < 7; i++)
            ck_assert_str_eq(
                harness_jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), i), "id"),
                harness_jstr(
                    cJSON_GetArrayItem(cJSON_GetObjectItem(all, "items"), (page - 1) * 7 + i),
                    "id"));
        cJSON_Delete(l);
    }
    cJSON_Delete(all);
}
END_TEST

/* A page of 100 costs the same statements as a page of 1, at most 3. */
START_TEST(list_statements_do_not_grow_with_the_page)
{
    cases_same_queries(&cases_daemon, tokens[ANALYST], QUOTES, 100);
    cases_same_queries(&cases_daemon, tokens[ANALYST], QUOTES "?sort=-total_amount&status=accepted",
                       50);
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ANALYST], "GET", QUOTES "?page_size=100&search=q", NULL, 200,
               &r);
    ck_assert_msg(harness_server_timing_queries(&r) <= 3, "expected at most 3 statements, got %d",
                  harness_server_timing_queries(&r));
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- update, delete */

START_TEST(update_is_partial_and_replaces_items)
{
    cJSON *q = create(REP, ONE_ITEM);
    char path[160];
    path_of(path, q, "");
    cJSON *u =
        cases_call(&cases_daemon, tokens[REP], "PUT", path, "{\"notes\": \"changed\"}", 200, NULL);
    ck_assert_str_eq(harness_jstr(u, "notes"), "changed");
    ck_assert_str_eq(harness_jstr(u, "quote_number"), harness_jstr(q, "quote_number"));
    ck_assert_double_eq_tol(num(u, "total_amount"), 21.00, 0.001);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(u, "items")), 1);
    cJSON_Delete(u);
    /* 3 x 2.50 x 0.9 = 6.75, and a matching total is accepted */
    u = cases_call(
        &cases_daemon, tokens[SUPERVISOR], "PUT", path,
        "{\"items\": [{\"product_name\": \"New\", \"quantity\": 3, \"unit_price\": 2.5,"
        " \"discount_percent\": 10}], \"total_amount\": 6.75, \"valid_until\": \"2027-03-01\","
        " \"currency\": \"MXN\", \"notes\": null}",
        200, NULL);
    ck_assert_double_eq_tol(num(u, "total_amount"), 6.75, 0.001);
    ck_assert_str_eq(harness_jstr(u, "valid_until"), "2027-03-01");
    ck_assert_str_eq(harness_jstr(u, "currency"), "MXN");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(u, "notes")));
    cJSON *items = cJSON_GetObjectItem(u, "items");
    ck_assert_int_eq(cJSON_GetArraySize(items), 1);
    ck_assert_str_eq(harness_jstr(cJSON_GetArrayItem(items, 0), "product_name"), "New");
    cJSON_Delete(u);
    cJSON_Delete(q);
}
END_TEST

START_TEST(delete_only_drafts)
{
    cJSON *q = create(REP, ONE_ITEM);
    char path[160], search[160];
    path_of(path, q, "");
    cJSON_Delete(cases_call(&cases_daemon, tokens[REP], "DELETE", path, NULL, 204, NULL));
    cJSON_Delete(cases_call(&cases_daemon, tokens[ADMIN], "GET", path, NULL, 404, NULL));
    cJSON_Delete(cases_call(&cases_daemon, tokens[ADMIN], "DELETE", path, NULL, 404, NULL));
    snprintf(search, sizeof search, QUOTES "?search=%s", harness_jstr(q, "quote_number"));
    ck_assert_int_eq(list_all(search, embeds_all, NULL), 0);
    cJSON_Delete(q);
}
END_TEST

/* ---------------------------------------------------------------- status */

START_TEST(status_walks_the_allowed_moves)
{
    static const char *const finals[] = {"accepted", "rejected", "expired"};
    for (size_t i = 0; i < 3; i++) {
        cJSON *q = create(REP, ONE_ITEM);
        char path[160], body[64];
        path_of(path, q, "/status");
        cJSON *s = cases_call(&cases_daemon, tokens[REP], "PATCH", path, "{\"status\": \"sent\"}",
                              200, NULL);
        ck_assert_str_eq(harness_jstr(s, "status"), "sent");
        ck_assert(harness_is_rfc3339z(harness_jstr(s, "sent_at")));
        ck_assert(cJSON_IsNull(cJSON_GetObjectItem(s, "accepted_at")));
        snprintf(body, sizeof body, "{\"status\": \"%s\"}", finals[i]);
        cJSON *f = cases_call(&cases_daemon, tokens[REP], "PATCH", path, body, 200, NULL);
        ck_assert_str_eq(harness_jstr(f, "status"), finals[i]);
        ck_assert_str_eq(harness_jstr(f, "sent_at"), harness_jstr(s, "sent_at"));
        ck_assert_msg(i == 0 ? harness_is_rfc3339z(harness_jstr(f, "accepted_at"))
                             : cJSON_IsNull(cJSON_GetObjectItem(f, "accepted_at")),
                      "accepted_at is set on acceptance only");
        cJSON_Delete(cases_call(&cases_daemon, tokens[REP], "PATCH", path,
                                "{\"status\": \"draft\"}", 409, NULL));
        cJSON_Delete(s);
        cJSON_Delete(f);
        cJSON_Delete(q);
    }
}
END_TEST

/* ---------------------------------------------------------------- items */

START_TEST(items_add_change_remove_and_total)
{
    cJSON *q = create(REP, ONE_ITEM), *t;
    char quote[160], items[160], item[200], loc[200];
    path_of(quote, q, "");
    path_of(items, q, "/items");
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[REP], "POST", items,
               "{\"product_name\": \"Extra\", \"quantity\": 4, \"unit_price\": 2.25,"
               " \"discount_percent\": 50}",
               201, &r);
    char id[40];
    snprintf(id, sizeof id, "%s", harness_jstr(harness_json(&r), "id"));
    snprintf(item, sizeof item, "%s/%s", items, id);
    snprintf(loc, sizeof loc, "%s",
             harness_header(&r, "Location") ? harness_header(&r, "Location") : "");
    ck_assert_str_eq(loc, item);
    ck_assert_msg(has_number(r.body, "subtotal", "4.50"), "4 x 2.25 x 0.5: %s", r.body);
    harness_resp_free(&r);
    t = cases_call(&cases_daemon, tokens[ANALYST], "GET", quote, NULL, 200, NULL);
    ck_assert_double_eq_tol(num(t, "total_amount"), 25.50, 0.001);
    cJSON_Delete(t);

    cJSON *l = cases_call(&cases_daemon, tokens[ANALYST], "GET", items, NULL, 200, NULL);
    ck_assert_int_eq((int)num(l, "total"), 2);
    ck_assert_str_eq(harness_jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 1), "id"),
                     id);
    cJSON_Delete(l);
    char sorted[200];
    snprintf(sorted, sizeof sorted, "%s?sort=subtotal", items);
    l = cases_call(&cases_daemon, tokens[ANALYST], "GET", sorted, NULL, 200, NULL);
    ck_assert_str_eq(harness_jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 0), "id"),
                     id);
    cJSON_Delete(l);

    cJSON *u = cases_call(&cases_daemon, tokens[REP], "PUT", item, "{\"quantity\": 10}", 200, NULL);
    ck_assert_double_eq_tol(num(u, "subtotal"), 11.25, 0.001); /* 10 x 2.25 x 0.5 */
    ck_assert_str_eq(harness_jstr(u, "product_name"), "Extra");
    cJSON_Delete(u);
    u = cases_call(&cases_daemon, tokens[REP], "PUT", item,
                   "{\"description\": \"d\", \"discount_percent\": null}", 200, NULL);
    ck_assert_double_eq_tol(num(u, "subtotal"), 22.50, 0.001);
    ck_assert_str_eq(harness_jstr(u, "description"), "d");
    cJSON_Delete(u);
    t = cases_call(&cases_daemon, tokens[ANALYST], "GET", quote, NULL, 200, NULL);
    ck_assert_double_eq_tol(num(t, "total_amount"), 43.50, 0.001);
    cJSON_Delete(t);

    cJSON_Delete(cases_call(&cases_daemon, tokens[REP], "DELETE", item, NULL, 204, NULL));
    cJSON_Delete(cases_call(&cases_daemon, tokens[REP], "DELETE", item, NULL, 404, NULL));
    t = cases_call(&cases_daemon, tokens[ANALYST], "GET", quote, NULL, 200, NULL);
    ck_assert_double_eq_tol(num(t, "total_amount"), 21.00, 0.001);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(t, "items")), 1);
    cJSON_Delete(t);
    cJSON_Delete(q);
}
END_TEST

/* ---------------------------------------------------------------- dashboard */

static double kpi(const char *name)
{
    cJSON *k =
        cases_call(&cases_daemon, tokens[ADMIN], "GET", "/api/v1/dashboard/kpis", NULL, 200, NULL);
    char path[64];
    snprintf(path, sizeof path, "%s.current_value", name);
    double v = num(k, path);
    cJSON_Delete(k);
    return v;
}

/* The event of type about quote number in the feed since, or NULL
 * (caller cJSON_Delete). */
static cJSON *event(const char *since, const char *type, const char *number)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/dashboard/recent-activity?limit=100&since=%s", since);
    cJSON *feed = cases_call(&cases_daemon, tokens[ADMIN], "GET", path, NULL, 200, NULL),
          *found = NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(feed, "events"))
    {
        const char *n = harness_jstr(cJSON_GetObjectItem(e, "metadata"), "quote_number");
        if (!found && !strcmp(harness_jstr(e, "type"), type) && n && !strcmp(n, number))
            found = cJSON_Duplicate(e, 1);
    }
    cJSON_Delete(feed);
    return found;
}

/* Accepting a quote created this month moves revenue and accepted quotes
 * at once, and the feed shows its creation, then its acceptance. */
START_TEST(acceptance_moves_the_dashboard)
{
    char t0[32];
    time_t now = time(NULL) - 2;
    strftime(t0, sizeof t0, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    double revenue = kpi("total_revenue"), accepted = kpi("quotes_accepted");
    cJSON *q = create(ADMIN, "{\"client_id\": \"{C}\", \"valid_until\": \"2027-01-31\", \"items\":"
                             " [{\"product_name\": \"Big\", \"quantity\": 1,"
                             " \"unit_price\": 1234.56}]}");
    const char *number = harness_jstr(q, "quote_number");
    cJSON *created = event(t0, "quote_created", number);
    ck_assert_msg(created, "expected a quote_created event for %s since %s", number, t0);
    char path[160];
    path_of(path, q, "/status");
    cJSON_Delete(cases_call(&cases_daemon, tokens[ADMIN], "PATCH", path, "{\"status\": \"sent\"}",
                            200, NULL));
    cJSON_Delete(cases_call(&cases_daemon, tokens[ADMIN], "PATCH", path,
                            "{\"status\": \"accepted\"}", 200, NULL));
    ck_assert_double_eq_tol(kpi("total_revenue"), revenue + 1234.56, 0.001);
    ck_assert_double_eq_tol(kpi("quotes_accepted"), accepted + 1, 0.001);
    const char *t1 = harness_jstr(created, "timestamp");
    cJSON *acc = event(t1, "quote_accepted", number), *again = event(t1, "quote_created", number);
    ck_assert_msg(acc, "expected a quote_accepted event for %s since %s", number, t1);
    ck_assert_msg(!again, "expected since=%s to leave out the creation already seen", t1);
    cJSON_Delete(acc);
    cJSON_Delete(created);
    cJSON_Delete(q);
}
END_TEST

void quotes_flow_tests(TCase *tc)
{
    tcase_add_test(tc, create_computes_subtotals_and_total);
    tcase_add_test(tc, explicit_numbers_are_unique);
    tcase_add_test(tc, sales_rep_defaults_to_the_caller);
    tcase_add_test(tc, concurrent_creates_get_distinct_numbers);
    tcase_add_test(tc, list_embeds_and_filters);
    tcase_add_test(tc, list_sorts_and_stable_pages);
    tcase_add_test(tc, list_statements_do_not_grow_with_the_page);
    tcase_add_test(tc, update_is_partial_and_replaces_items);
    tcase_add_test(tc, delete_only_drafts);
    tcase_add_test(tc, status_walks_the_allowed_moves);
    tcase_add_test(tc, items_add_change_remove_and_total);
    tcase_add_test(tc, acceptance_moves_the_dashboard);
}
