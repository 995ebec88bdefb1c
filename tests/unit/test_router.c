/* Unit tests of route matching (404, 405 with Allow, UUID captures) and the route table. */
#include <check.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "api/router.h"
#include "registry.h"

static const struct {
    int method;
    const char *path;
    enum route_match_result want;
    const char *pattern; /* expected route, or the Allow header for 405 */
    const char *param0;  /* expected first capture, lower-cased */
} cases[] = {
    {EVHTTP_REQ_GET, "/health", ROUTE_FOUND, "/health", NULL},
    {EVHTTP_REQ_GET, "/health/live", ROUTE_FOUND, "/health/live", NULL},
    {EVHTTP_REQ_GET, "/health/ready", ROUTE_FOUND, "/health/ready", NULL},
    {EVHTTP_REQ_GET, "/metrics", ROUTE_FOUND, "/metrics", NULL},
    {EVHTTP_REQ_GET, "/health/", ROUTE_NOT_FOUND, NULL, NULL},
    {EVHTTP_REQ_GET, "/", ROUTE_NOT_FOUND, NULL, NULL},
    {EVHTTP_REQ_GET, "/healthz", ROUTE_NOT_FOUND, NULL, NULL},
    {EVHTTP_REQ_GET, "/health/live/x", ROUTE_NOT_FOUND, NULL, NULL},
    {EVHTTP_REQ_DELETE, "/health", ROUTE_BAD_METHOD, "GET", NULL},
    {EVHTTP_REQ_POST, "/api/v1/auth/login", ROUTE_FOUND, "/api/v1/auth/login", NULL},
    {EVHTTP_REQ_GET, "/api/v1/auth/login", ROUTE_BAD_METHOD, "POST", NULL},
    {EVHTTP_REQ_PUT, "/api/v1/auth/tokens", ROUTE_BAD_METHOD, "POST, GET", NULL},
    {EVHTTP_REQ_DELETE, "/api/v1/auth/tokens/0F8FAD5B-D9CB-469F-A165-70867728950E", ROUTE_FOUND,
     "/api/v1/auth/tokens/{id}", "0f8fad5b-d9cb-469f-a165-70867728950e"},
    /* A path parameter that is not a UUID answers 404, not 422. */
    {EVHTTP_REQ_DELETE, "/api/v1/auth/tokens/not-a-uuid", ROUTE_NOT_FOUND, NULL, NULL},
    {EVHTTP_REQ_DELETE, "/api/v1/auth/tokens/0f8fad5b-d9cb-469f-a165-70867728950", ROUTE_NOT_FOUND,
     NULL, NULL},
    {EVHTTP_REQ_DELETE, "/api/v1/auth/tokens/", ROUTE_NOT_FOUND, NULL, NULL},
    {EVHTTP_REQ_GET, "/api/v1/auth/tokens/0f8fad5b-d9cb-469f-a165-70867728950e", ROUTE_BAD_METHOD,
     "DELETE", NULL},
};

START_TEST(test_match_table)
{
    char *params[REQ_MAX_PARAMS] = {0};
    int nparams = -1;
    char allow[64];
    const struct route *r = NULL;
    enum route_match_result got =
        router_match(cases[_i].method, cases[_i].path, &r, params, &nparams, allow, sizeof allow);
    ck_assert_msg(got == cases[_i].want, "%s %s: expected result %d, got %d",
                  router_method_name(cases[_i].method), cases[_i].path, cases[_i].want, got);
    if (got == ROUTE_FOUND) {
        ck_assert_str_eq(r->pattern, cases[_i].pattern);
        if (cases[_i].param0) {
            ck_assert_int_eq(nparams, 1);
            ck_assert_str_eq(params[0], cases[_i].param0);
        } else {
            ck_assert_int_eq(nparams, 0);
        }
    } else {
        ck_assert_msg(nparams == 0, "%s: no captures expected on a failed match", cases[_i].path);
    }
    if (got == ROUTE_BAD_METHOD)
        ck_assert_str_eq(allow, cases[_i].pattern);
    for (int i = 0; i < nparams; i++)
        free(params[i]);
}
END_TEST

/* Every route has a handler, an absolute pattern, and no duplicate. */
START_TEST(test_table_shape)
{
    size_t n = 0;
    for (const struct route *r; (r = router_route_at(n)); n++) {
        ck_assert_msg(r->handler != NULL, "%s has no handler", r->pattern);
        ck_assert_msg(r->pattern[0] == '/', "%s is not absolute", r->pattern);
        for (size_t j = 0; j < n; j++) {
            const struct route *o = router_route_at(j);
            ck_assert_msg(!(o->method == r->method && !strcmp(o->pattern, r->pattern)),
                          "%s %s is listed twice", router_method_name(r->method), r->pattern);
        }
        /* /api/v1 routes need a token except login; the root ones never do. */
        bool api = !strncmp(r->pattern, "/api/v1/", 8);
        bool public = r->roles == ROLES_PUBLIC;
        ck_assert_msg(api ? (public == !strcmp(r->pattern, "/api/v1/auth/login")) : public,
                      "%s: wrong authentication requirement", r->pattern);
    }
    ck_assert_msg(n >= 10, "expected at least the health and auth routes, found %zu", n);
}
END_TEST

int main(void)
{
    router_init(registry_routes());
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("match");
    tcase_add_loop_test(tc, test_match_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_table_shape);
    suite_add_tcase(s, tc);
    return check_main(s);
}
