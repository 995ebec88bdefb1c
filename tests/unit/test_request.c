/* Unit tests of the JSON helpers: body validation against field tables, the 422 list, query params.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "check_main.h"
#include "api/params.h"
#include "api/request.h"
#include "http/access.h"
#include "xalloc.h"

static const char *const colours[] = {"red", "green", NULL};

static const struct field fields[] = {
    {.name = "name", .type = F_STRING, .required = true, .nullable = false, .min = 1, .max = 5},
    /* a positive amount of at most 1000.00 */
    {.name = "amount", .type = F_MONEY, .min = 0, .gt_min = true, .max = 100000},
    {.name = "colour", .type = F_ENUM, .values = colours},
    {.name = "ratio", .type = F_NUMBER, .min = 0, .max = 100},
    {.name = "count", .type = F_INT, .required = false, .nullable = false, .min = 1, .max = 10},
    {.name = "active", .type = F_BOOL, .required = false, .nullable = true, .min = 0, .max = 0},
    {.name = "owner_id", .type = F_UUID, .required = false, .nullable = false, .min = 0, .max = 0},
    {.name = "day", .type = F_DATE, .required = false, .nullable = false, .min = 0, .max = 0},
    {.name = NULL},
};

/* body, then the expected 422 entries as "loc|type" joined by ';' ("" = valid). */
static const struct {
    const char *body;
    const char *want;
} cases[] = {
    {"{\"name\":\"ab\"}", ""},
    {"{\"name\":\"ñandú\"}", ""}, /* 5 characters, 7 bytes */
    {"{\"name\":\"abcdef\"}", "body.name|value_error.any_str"},
    {"{\"name\":\"\"}", "body.name|value_error.any_str"},
    {"{}", "body.name|value_error.missing"},
    {"[]", "body|type_error.dict"},
    {"{\"name\":3}", "body.name|type_error.str"},
    {"{\"name\":\"a\",\"count\":2.5}", "body.count|type_error.integer"},
    {"{\"name\":\"a\",\"count\":\"2\"}", "body.count|type_error.integer"},
    {"{\"name\":\"a\",\"count\":11}", "body.count|value_error.number"},
    {"{\"name\":\"a\",\"active\":null}", ""},
    {"{\"name\":\"a\",\"count\":null}", "body.count|type_error.none.not_allowed"},
    {"{\"name\":\"a\",\"active\":1}", "body.active|type_error.bool"},
    {"{\"name\":\"a\",\"owner_id\":\"nope\"}", "body.owner_id|type_error.uuid"},
    {"{\"name\":\"a\",\"day\":\"2026-02-30\"}", "body.day|type_error.date"},
    {"{\"name\":\"a\",\"extra\":1}", "body.extra|value_error.extra"},
    {"{\"name\":\"a\",\"name\":\"b\"}", "body.name|value_error.duplicate"},
    /* F_MONEY: at most two decimals, within (min, max] in cents, a number. */
    {"{\"name\":\"a\",\"amount\":12.5}", ""},
    {"{\"name\":\"a\",\"amount\":19.99}", ""},
    {"{\"name\":\"a\",\"amount\":1000}", ""},
    {"{\"name\":\"a\",\"amount\":0.01}", ""},
    {"{\"name\":\"a\",\"amount\":12.345}", "body.amount|value_error.decimal"},
    {"{\"name\":\"a\",\"amount\":1000.01}", "body.amount|value_error.decimal"},
    {"{\"name\":\"a\",\"amount\":0}", "body.amount|value_error.number"},
    {"{\"name\":\"a\",\"amount\":-5}", "body.amount|value_error.number"},
    {"{\"name\":\"a\",\"amount\":\"12.50\"}", "body.amount|type_error.float"},
    /* F_ENUM: one of the listed strings, exactly. */
    {"{\"name\":\"a\",\"colour\":\"green\"}", ""},
    {"{\"name\":\"a\",\"colour\":\"Green\"}", "body.colour|type_error.enum"},
    {"{\"name\":\"a\",\"colour\":\"blue\"}", "body.colour|type_error.enum"},
    {"{\"name\":\"a\",\"colour\":2}", "body.colour|type_error.enum"},
    /* F_NUMBER: any number within [min, max]. */
    {"{\"name\":\"a\",\"ratio\":0}", ""},
    {"{\"name\":\"a\",\"ratio\":33.333}", ""},
    {"{\"name\":\"a\",\"ratio\":100}", ""},
    {"{\"name\":\"a\",\"ratio\":100.5}", "body.ratio|value_error.number"},
    {"{\"name\":\"a\",\"ratio\":-0.1}", "body.ratio|value_error.number"},
    {"{\"name\":\"a\",\"ratio\":\"5\"}", "body.ratio|type_error.float"},
    {"{\"name\":\"a\",\"amount\":0,\"colour\":\"x\",\"ratio\":101}",
     "body.amount|value_error.number;body.colour|type_error.enum;body.ratio|value_error.number"},
    /* Every invalid field is listed, not only the first. */
    {"{\"count\":0,\"zzz\":true}",
     "body.zzz|value_error.extra;body.name|value_error.missing;body.count|value_error.number"},
};

/* Renders the error list as "loc|type;..." with loc parts joined by '.'. */
static char *render(const cJSON *list)
{
    struct buf b = BUF_INIT;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        if (b.len)
            buf_addc(&b, ';');
        const cJSON *part;
        bool first = true;
        cJSON_ArrayForEach(part, cJSON_GetObjectItem(e, "loc"))
        {
            if (!first)
                buf_addc(&b, '.');
            first = false;
            if (cJSON_IsNumber(part))
                buf_printf(&b, "%d", part->valueint);
            else
                buf_adds(&b, part->valuestring);
        }
        buf_printf(&b, "|%s", cJSON_GetObjectItem(e, "type")->valuestring);
        ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(e, "msg")), "every entry has a msg");
    }
    return buf_take(&b);
}

START_TEST(test_body_validate)
{
    struct ctx c = {0};
    c.json = cJSON_Parse(cases[_i].body);
    ck_assert_ptr_nonnull(c.json);
    struct verr v;
    verr_init(&v);
    bool ok = body_validate(&c, fields, &v);
    char *got = render(v.list);
    ck_assert_msg(!strcmp(got, cases[_i].want), "%s: expected errors '%s', got '%s'",
                  cases[_i].body, cases[_i].want, got);
    ck_assert_int_eq(ok, cases[_i].want[0] == '\0');
    free(got);
    verr_free(&v);
    cJSON_Delete(c.json);
}
END_TEST

START_TEST(test_verr_respond_shape)
{
    struct ctx *c = xcalloc(1, sizeof *c);
    struct verr v;
    verr_init(&v);
    verr_add(&v, "body.items.0.quantity", "must be greater than 0", "value_error");
    ck_assert(verr_respond(&v, c));
    ck_assert_int_eq(c->resp.status, 422);
    ck_assert_str_eq(buf_str(&c->resp.body),
                     "{\"detail\":[{\"loc\":[\"body\",\"items\",0,\"quantity\"],"
                     "\"msg\":\"must be greater than 0\",\"type\":\"value_error\"}]}");
    verr_free(&v);
    ctx_free(c);
}
END_TEST

static void set_query(struct ctx *c, const char *const *kv)
{
    for (c->nquery = 0; kv[2 * c->nquery]; c->nquery++) {
        c->query[c->nquery].key = xstrdup(kv[2 * c->nquery]);
        c->query[c->nquery].value = xstrdup(kv[2 * c->nquery + 1]);
    }
}

START_TEST(test_params)
{
    static const char *const allowed[] = {"page", "page_size", NULL};
    static const char *const q[] = {"page", "2", "page_size", "0", "page", "3", "x", "1", NULL};
    struct ctx *c = xcalloc(1, sizeof *c);
    set_query(c, q);
    struct verr v;
    verr_init(&v);
    long page, size;
    ck_assert(!params_known(c, allowed, &v));
    ck_assert(!params_page(c, &page, &size, &v));
    char *got = render(v.list);
    ck_assert_str_eq(got, "query.page|value_error;query.x|value_error.extra;"
                          "query.page_size|value_error.number");
    free(got);
    verr_free(&v);
    ctx_free(c);
}
END_TEST

START_TEST(test_params_defaults)
{
    struct ctx *c = xcalloc(1, sizeof *c);
    struct verr v;
    verr_init(&v);
    long page = 0, size = 0;
    ck_assert(params_page(c, &page, &size, &v));
    ck_assert_int_eq(page, 1);
    ck_assert_int_eq(size, 20);
    static const char *const q[] = {"page_size", "abc", NULL};
    set_query(c, q);
    ck_assert(!params_page(c, &page, &size, &v));
    verr_free(&v);
    ctx_free(c);
}
END_TEST

/* Found by fuzz_query: a query with more pairs than REQ_MAX_QUERY leaked
 * the pairs copied before the overflow (ctx_free frees none at -1). */
START_TEST(test_query_overflow_frees)
{
    char q[512] = "";
    for (int i = 0; i <= REQ_MAX_QUERY; i++)
        snprintf(q + strlen(q), sizeof q - strlen(q), "%sk%d=v", i ? "&" : "", i);
    struct ctx *c = xcalloc(1, sizeof *c);
    access_query_fill(c, q);
    ck_assert_int_eq(c->nquery, -1);
    for (int i = 0; i < REQ_MAX_QUERY; i++)
        ck_assert_ptr_null(c->query[i].key);
    ctx_free(c);

    c = xcalloc(1, sizeof *c);
    access_query_fill(c, "a=1&b=%20x");
    ck_assert_int_eq(c->nquery, 2);
    ck_assert_str_eq(ctx_query(c, "b"), " x");
    ctx_free(c);
}
END_TEST

START_TEST(test_roles)
{
    static const char *const names[] = {"super_admin", "admin", "supervisor", "sales_rep",
                                        "analyst"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(role_name(role_parse(names[i])), names[i]);
    ck_assert_uint_eq(role_parse("root"), 0);
    ck_assert_uint_eq(role_parse(NULL), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("request");
    TCase *tc = tcase_create("json");
    tcase_add_loop_test(tc, test_body_validate, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_verr_respond_shape);
    tcase_add_test(tc, test_params);
    tcase_add_test(tc, test_params_defaults);
    tcase_add_test(tc, test_query_overflow_frees);
    tcase_add_test(tc, test_roles);
    suite_add_tcase(s, tc);
    return check_main(s);
}
