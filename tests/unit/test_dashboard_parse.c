/* Unit tests of the dashboard endpoints' query parsing: canonical cache params, defaults,
 * languages, 422s. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "check_main.h"
#include "api/request.h"
#include "routes/routes.h"

#define MAX_KV 5

struct parse_case {
    const char *endpoint;          /* path under /api/v1/dashboard/ */
    const char *query[MAX_KV * 2]; /* name, value, ... (NULL-terminated) */
    const char *lang;              /* Accept-Language, or NULL */
    const char *want;              /* canonical params, or the 422 locs "query.a;query.b" */
    bool valid;
    int ttl; /* with kpis 301, monthly 601, default 302 */
};

static const struct parse_case cases[] = {
    {"kpis", {"as_of", "2026-11-29"}, NULL, "as_of=2026-11-29&lang=es", true, 301},
    {"kpis", {"as_of", "2026-11-29"}, "en-US,en;q=0.9", "as_of=2026-11-29&lang=en", true, 301},
    {"kpis", {"as_of", "2026-11-29"}, "  EN;q=0.3", "as_of=2026-11-29&lang=en", true, 301},
    {"kpis", {"as_of", "2026-11-29"}, "es, en", "as_of=2026-11-29&lang=es", true, 301},
    {"kpis", {"as_of", "2026-11-29"}, "eng", "as_of=2026-11-29&lang=es", true, 301},
    {"summary", {"as_of", "2026-01-01"}, NULL, "as_of=2026-01-01&lang=es", true, 301},
    /* Defaults are resolved into the key, in a fixed order whatever the
     * order of the query. */
    {"revenue-monthly",
     {"as_of", "2026-03-31"},
     NULL,
     "as_of=2026-03-31&year=2026&lang=es",
     true,
     601},
    {"expenses-monthly",
     {"year", "2025", "as_of", "2026-03-31"},
     "en",
     "as_of=2026-03-31&year=2025&lang=en",
     true,
     601},
    {"top-clients",
     {"as_of", "2026-03-31"},
     NULL,
     "as_of=2026-03-31&limit=10&period=current_year&lang=es",
     true,
     302},
    {"top-clients",
     {"period", "all_time", "limit", "50", "as_of", "2026-03-31"},
     NULL,
     "as_of=2026-03-31&limit=50&period=all_time&lang=es",
     true,
     302},
    {"recent-activity",
     {"as_of", "2026-03-31"},
     NULL,
     "as_of=2026-03-31&limit=20&lang=es",
     true,
     302},
    /* since becomes canonical UTC, keeping its fraction. */
    {"recent-activity",
     {"as_of", "2026-03-31", "since", "2026-03-15T18:59:59.500-05:00"},
     NULL,
     "as_of=2026-03-31&limit=20&since=2026-03-15T23:59:59.5Z&lang=es",
     true,
     302},
    {"recent-activity",
     {"as_of", "2026-03-31", "since", "2026-03-15T23:59:59Z", "limit", "100"},
     NULL,
     "as_of=2026-03-31&limit=100&since=2026-03-15T23:59:59Z&lang=es",
     true,
     302},
    {"quota-performance",
     {"as_of", "2026-11-29"},
     NULL,
     "as_of=2026-11-29&year=2026&month=11&lang=es",
     true,
     302},
    {"quota-performance",
     {"as_of", "2026-11-29", "month", "2"},
     NULL,
     "as_of=2026-11-29&year=2026&month=2&lang=es",
     true,
     302},
    /* Invalid: every bad field is listed. */
    {"revenue-monthly", {"year", "1999"}, NULL, "query.year", false, 0},
    {"revenue-monthly", {"year", "2101"}, NULL, "query.year", false, 0},
    {"kpis", {"as_of", "2026-13-01"}, NULL, "query.as_of", false, 0},
    {"kpis", {"as_of", "2026-02-29"}, NULL, "query.as_of", false, 0},
    {"kpis", {"as_of", "2026-1-5"}, NULL, "query.as_of", false, 0},
    {"kpis", {"as_of", "2026-01-05", "as_of", "2026-01-06"}, NULL, "query.as_of", false, 0},
    {"kpis", {"year", "2026"}, NULL, "query.year", false, 0},
    {"top-clients", {"period", "weekly"}, NULL, "query.period", false, 0},
    {"top-clients", {"limit", "0"}, NULL, "query.limit", false, 0},
    {"top-clients",
     {"limit", "51", "period", "week", "zzz", "1"},
     NULL,
     "query.zzz;query.limit;query.period",
     false,
     0},
    {"recent-activity", {"limit", "101"}, NULL, "query.limit", false, 0},
    {"recent-activity", {"since", "2026-03-15"}, NULL, "query.since", false, 0},
    {"quota-performance", {"month", "0", "year", "2019"}, NULL, "query.year;query.month", false, 0},
};

static const struct route *route_of(const char *endpoint)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/dashboard/%s", endpoint);
    for (const struct route *r = dashboard_routes; r->pattern; r++)
        if (!strcmp(r->pattern, path))
            return r;
    return NULL;
}

static struct config cfg = {
    .cache_ttl_kpis = 301, .cache_ttl_monthly = 601, .cache_ttl_default = 302};

/* Runs endpoint's parse on a context holding query (name, value pairs) and
 * lang; returns whether it was valid, with r and the errors "loc;loc". */
static bool parse(const char *endpoint, const char *const *query, const char *lang,
                  struct cache_req *r, char *errs, size_t n)
{
    const struct route *rt = route_of(endpoint);
    ck_assert_msg(rt && rt->dash && rt->handler == cache_handle, "expected a cached route for %s",
                  endpoint);
    struct ctx c = {.route = rt, .cfg = &cfg};
    for (int i = 0; i < MAX_KV * 2 && query[i]; i += 2) {
        c.query[c.nquery].key = (char *)query[i];
        c.query[c.nquery].value = (char *)query[i + 1];
        c.nquery++;
    }
    if (lang) {
        c.headers[0].key = (char *)"Accept-Language";
        c.headers[0].value = (char *)lang;
        c.nheaders = 1;
    }
    struct verr v;
    verr_init(&v);
    memset(r, 0, sizeof *r);
    bool ok = rt->dash->parse(&c, r, &v);
    errs[0] = '\0';
    const cJSON *e;
    cJSON_ArrayForEach(e, v.list)
    {
        const cJSON *loc = cJSON_GetObjectItem(e, "loc");
        snprintf(errs + strlen(errs), n - strlen(errs), "%s%s.%s", errs[0] ? ";" : "",
                 cJSON_GetArrayItem(loc, 0)->valuestring, cJSON_GetArrayItem(loc, 1)->valuestring);
    }
    ck_assert_msg(ok == !verr_any(&v), "expected parse's result to match its error list");
    verr_free(&v);
    return ok;
}

START_TEST(canonical_params)
{
    const struct parse_case *k = &cases[_i];
    struct cache_req r;
    char errs[256];
    bool ok = parse(k->endpoint, k->query, k->lang, &r, errs, sizeof errs);
    if (k->valid) {
        ck_assert_msg(ok, "expected %s to parse, got errors %s", k->endpoint, errs);
        ck_assert_msg(!strcmp(r.params, k->want), "expected %s params \"%s\", got \"%s\"",
                      k->endpoint, k->want, r.params);
        ck_assert_msg(r.ttl_s == k->ttl, "expected %s ttl %d, got %d", k->endpoint, k->ttl,
                      r.ttl_s);
        ck_assert_msg(r.endpoint && *r.endpoint && !strchr(r.endpoint, ':'),
                      "expected a key-safe endpoint name for %s", k->endpoint);
    } else {
        ck_assert_msg(!ok, "expected %s to be refused", k->endpoint);
        ck_assert_msg(!strcmp(errs, k->want), "expected %s errors \"%s\", got \"%s\"", k->endpoint,
                      k->want, errs);
    }
}
END_TEST

/* Without as_of the date is today in the process zone (the daemon sets TZ
 * to its configured timezone at start). */
START_TEST(as_of_defaults_to_local_today)
{
    setenv("TZ", "Pacific/Kiritimati", 1); /* UTC+14: usually another date than UTC */
    tzset();
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char want[64];
    strftime(want, sizeof want, "as_of=%Y-%m-%d&lang=es", &tm);
    static const char *const none[] = {NULL};
    struct cache_req r;
    char errs[64];
    ck_assert(parse("kpis", none, NULL, &r, errs, sizeof errs));
    ck_assert_msg(!strcmp(r.params, want), "expected \"%s\", got \"%s\"", want, r.params);
}
END_TEST

/* Each endpoint has its own key space. */
START_TEST(endpoint_names_differ)
{
    static const char *const eps[] = {
        "kpis",        "summary",         "revenue-monthly",  "expenses-monthly",
        "top-clients", "recent-activity", "quota-performance"};
    const char *seen[7];
    for (int i = 0; i < 7; i++) {
        static const char *const q[] = {"as_of", "2026-01-01", NULL};
        struct cache_req r;
        char errs[64];
        ck_assert(parse(eps[i], q, NULL, &r, errs, sizeof errs));
        seen[i] = r.endpoint;
        for (int j = 0; j < i; j++)
            ck_assert_msg(strcmp(seen[i], seen[j]), "expected distinct endpoint names");
    }
    ck_assert_msg(!strcmp(seen[0], "kpis"), "expected kpis keys as onquota:<fleet>:dashboard:kpis:*");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dashboard_parse");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, canonical_params, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, as_of_defaults_to_local_today);
    tcase_add_test(tc, endpoint_names_differ);
    suite_add_tcase(s, tc);
    return check_main(s);
}
