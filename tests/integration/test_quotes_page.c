/* Integration tests of the quotes page past 10,000 quotes: exact and estimated totals, statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define QUOTES "/api/v1/sales/quotes"
/* More than the 10,000 matches up to which a filtered total is counted exactly. */
#define BIG 10050

static char *token;
static struct harness_daemon D;

/* One tenant with BIG quotes "BIG-1".."BIG-10050", three a minute back from now (so
 * created_at ties), two of them soft-deleted, and ten more "SMALL-n" quotes. */
static int setup(const char *db)
{
    char *a = harness_user_add(db, "page.test", "admin@page.test", "admin", "admin-password-1");
    token = harness_token_create(db, "admin@page.test", "it", 0);
    bool ok = a && token;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO clients (tenant_id, name) SELECT tenant_id, 'Big client' FROM users"
             " WHERE id = '%s';"
             "INSERT INTO quotes (tenant_id, client_id, sales_rep_id, quote_number, total_amount,"
             " valid_until, created_at)"
             " SELECT u.tenant_id, c.id, u.id, x.prefix || g, 10.50, '2030-01-31',"
             " date_trunc('minute', now()) - (g / 3) * interval '1 minute'"
             " FROM users u JOIN clients c ON c.tenant_id = u.tenant_id,"
             " (VALUES ('BIG-', %d), ('SMALL-', 10)) x(prefix, n), generate_series(1, x.n) g"
             " WHERE u.id = '%s';"
             "UPDATE quotes SET is_deleted = true WHERE quote_number IN ('BIG-7', 'BIG-8');",
             a ? a : "", BIG, a ? a : "");
    ok = ok && harness_psql(db, sql) == 0;
    free(a);
    return ok ? 0 : -1;
}

static void up(void)
{
    static const char *const extra[] = {"--no-jobs", "--health-probe-s", "3600", NULL};
    harness_daemon_start(&D, harness_db(), extra);
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
}

/* GETs path into r (200 expected) and answers its "total". */
static long total_of(const char *path, struct harness_resp *r)
{
    ck_assert_int_eq(harness_get(&D, path, token, r), 200);
    ck_assert_msg(harness_server_timing_queries(r) <= 3, "%s: %d statements", path,
                  harness_server_timing_queries(r));
    cJSON *t = harness_json(r) ? cJSON_GetObjectItem(harness_json(r), "total") : NULL;
    ck_assert_msg(cJSON_IsNumber(t), "%s: no total in %.200s", path, r->body);
    return (long)t->valuedouble;
}

/* Without filters (or by status only) the total is exact however large. */
START_TEST(unfiltered_total_is_exact)
{
    struct harness_resp r;
    long total = total_of(QUOTES "?page_size=100", &r);
    ck_assert_int_eq(total, BIG - 2 + 10);
    ck_assert_ptr_null(harness_header(&r, "X-Total-Count-Estimated"));
    cJSON *items = cJSON_GetObjectItem(harness_json(&r), "items");
    ck_assert_int_eq(cJSON_GetArraySize(items), 100);
    ck_assert_int_eq(cJSON_GetObjectItem(harness_json(&r), "pages")->valueint, (total + 99) / 100);
    harness_resp_free(&r);
    ck_assert_int_eq(total_of(QUOTES "?status=draft&page_size=1", &r), BIG - 2 + 10);
    ck_assert_ptr_null(harness_header(&r, "X-Total-Count-Estimated"));
    harness_resp_free(&r);
    ck_assert_int_eq(total_of(QUOTES "?status=sent", &r), 0);
    harness_resp_free(&r);
}
END_TEST

/* A filtered total is exact up to 10,000 matches and estimated past that,
 * with X-Total-Count-Estimated: true. */
START_TEST(filtered_total_is_estimated_past_10000)
{
    struct harness_resp r;
    ck_assert_int_eq(total_of(QUOTES "?search=SMALL-", &r), 10);
    ck_assert_ptr_null(harness_header(&r, "X-Total-Count-Estimated"));
    harness_resp_free(&r);
    ck_assert_int_eq(total_of(QUOTES "?search=BIG-999", &r), 11); /* 999, 9990-9999 */
    harness_resp_free(&r);
    long est = total_of(QUOTES "?search=BIG-&page_size=100", &r);
    const char *h = harness_header(&r, "X-Total-Count-Estimated");
    ck_assert_msg(h && !strcmp(h, "true"), "expected X-Total-Count-Estimated: true, got %s",
                  h ? h : "none");
    /* The matches are the oldest rows but the ten SMALL ones: the estimate is close. */
    ck_assert_msg(est > 10000 && est <= BIG + 10, "estimate %ld out of range", est);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(harness_json(&r), "items")), 100);
    harness_resp_free(&r);
}
END_TEST

/* The ids of a page's items, joined by ',' into out (n bytes). */
static void page_ids(struct harness_resp *r, char *out, size_t n)
{
    out[0] = '\0';
    cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(harness_json(r), "items"))
    {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s,", harness_jstr(it, "id"));
    }
}

/* Following X-Next-Cursor walks the same rows as page=2, 3, ... (ties on
 * created_at included: three quotes share each minute), in
 * both orders; a bad cursor, or one with another sort or a page, is a 422. */
START_TEST(cursor_walks_the_pages)
{
    static const char *const sorts[] = {"-created_at", "created_at"};
    static char by_cursor[8192], by_page[8192], ids[4096];
    for (size_t k = 0; k < 2; k++) {
        char cursor[128] = "", path[256];
        by_cursor[0] = by_page[0] = '\0';
        for (int page = 1; page <= 4; page++) {
            struct harness_resp r;
            snprintf(path, sizeof path, QUOTES "?page_size=25&sort=%s%s%s", sorts[k],
                     cursor[0] ? "&cursor=" : "", cursor);
            total_of(path, &r);
            const char *next = harness_header(&r, "X-Next-Cursor");
            ck_assert_msg(next, "%s: no X-Next-Cursor on a full page", path);
            snprintf(cursor, sizeof cursor, "%s", next);
            page_ids(&r, ids, sizeof ids);
            strncat(by_cursor, ids, sizeof by_cursor - strlen(by_cursor) - 1);
            harness_resp_free(&r);
            snprintf(path, sizeof path, QUOTES "?page_size=25&sort=%s&page=%d", sorts[k], page);
            total_of(path, &r);
            page_ids(&r, ids, sizeof ids);
            strncat(by_page, ids, sizeof by_page - strlen(by_page) - 1);
            harness_resp_free(&r);
        }
        ck_assert_msg(!strcmp(by_cursor, by_page), "sort %s: cursor pages differ from offsets",
                      sorts[k]);
    }
    static const char *const bad[] = {
        QUOTES "?cursor=12",
        QUOTES "?cursor=x_00000000-0000-4000-8000-000000000000",
        QUOTES "?cursor=1_00000000-0000-4000-8000-000000000000&sort=status",
        QUOTES "?cursor=1_00000000-0000-4000-8000-000000000000&page=2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct harness_resp r;
        ck_assert_int_eq(harness_get(&D, bad[i], token, &r), 422);
        ck_assert_msg(harness_detail_has_loc(&r, "query.cursor"), "%s: %s", bad[i], r.body);
        harness_resp_free(&r);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("quotes_page");
    TCase *tc = harness_tcase(s, "quotes_page");
    tcase_add_unchecked_fixture(tc, up, down);
    tcase_add_test(tc, unfiltered_total_is_exact);
    tcase_add_test(tc, filtered_total_is_estimated_past_10000);
    tcase_add_test(tc, cursor_walks_the_pages);
    return harness_main(s, "it_qpage", setup);
}
