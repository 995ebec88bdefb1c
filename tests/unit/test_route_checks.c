/* Unit tests of the route files' database-free request checks (registry_checks), which the fuzzers
 * run. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "api/request.h"
#include "check_main.h"
#include "http/access.h"
#include "registry.h"
#include "routes/routes.h"
#include "xalloc.h"

/* Runs check k on a context with body json (parsed from text) or query
 * string query; true when it rejected the input (422 entries or an answer). */
static bool rejects(const struct route_check *k, const char *text, const char *query)
{
    struct ctx *c = xcalloc(1, sizeof *c);
    if (text)
        c->json = cJSON_Parse(text);
    access_query_fill(c, query);
    struct verr v;
    verr_init(&v);
    k->run(c, &v);
    bool rejected = verr_respond(&v, c) || c->resp.status == 422;
    verr_free(&v);
    ctx_free(c);
    return rejected;
}

static size_t count_checks(bool body)
{
    size_t n = 0;
    for (const struct route_check *const *t = registry_checks(); *t; t++)
        for (const struct route_check *k = *t; k->name; k++)
            n += k->body == body;
    return n;
}

/* Every body check rejects a body that is not an object, and one with an
 * unknown field; every query check rejects an unknown parameter. So each
 * entry reaches its resource's real validators. */
START_TEST(every_check_validates)
{
    for (const struct route_check *const *t = registry_checks(); *t; t++) {
        for (const struct route_check *k = *t; k->name; k++) {
            if (k->body) {
                ck_assert_msg(rejects(k, "[1]", NULL), "%s accepted [1]", k->name);
                ck_assert_msg(rejects(k, "{\"no_such_field\": 1}", NULL),
                              "%s accepted an unknown field", k->name);
            } else {
                ck_assert_msg(rejects(k, NULL, "no_such_param=1"),
                              "%s accepted an unknown parameter", k->name);
                ck_assert_msg(!rejects(k, NULL, NULL), "%s rejected an empty query", k->name);
            }
        }
    }
    ck_assert_uint_ge(count_checks(true), 20);
    ck_assert_uint_ge(count_checks(false), 10);
}
END_TEST

static const struct route_check *find(const char *name)
{
    for (const struct route_check *const *t = registry_checks(); *t; t++)
        for (const struct route_check *k = *t; k->name; k++)
            if (!strcmp(k->name, name))
                return k;
    return NULL;
}

/* The checks are the handlers' own: a valid body passes, each resource's
 * extra rules (beyond the field table) still apply. */
START_TEST(checks_keep_the_extra_rules)
{
    ck_assert(!rejects(find("clients.create"), "{\"name\": \"Acme\"}", NULL));
    ck_assert(rejects(find("users.create"),
                      "{\"email\": \"no-at-sign\", \"full_name\": \"A\", \"password\": "
                      "\"0123456789\"}",
                      NULL));
    ck_assert(rejects(find("users.password"),
                      "{\"current_password\": \"0123456789\", \"new_password\": \"0123456789\"}",
                      NULL));
    ck_assert(rejects(find("expenses.status"), "{\"status\": \"rejected\"}", NULL));
    ck_assert(!rejects(find("expenses.status"), "{\"status\": \"approved\"}", NULL));
    ck_assert(
        rejects(find("categories.create"), "{\"name\": \"Fuel\", \"color\": \"#GGGGGG\"}", NULL));
    ck_assert(rejects(find("quotes.create"),
                      "{\"client_id\": \"3f1c0a9e-4b2d-4c6e-8f10-2a3b4c5d6e7f\", \"valid_until\": "
                      "\"2030-01-01\", \"items\": []}",
                      NULL));
    ck_assert(rejects(find("auth.token_create"), NULL, NULL));
    ck_assert(rejects(find("quotas.alerts"), NULL, "as_of=1999-01-01"));
    ck_assert(!rejects(find("clients.list"), NULL, "page=2&sort=-name&status=lead"));
    ck_assert(rejects(find("clients.list"), NULL, "sort=bogus"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("route_checks");
    TCase *tc = tcase_create("checks");
    tcase_add_test(tc, every_check_validates);
    tcase_add_test(tc, checks_keep_the_extra_rules);
    suite_add_tcase(s, tc);
    return check_main(s);
}
