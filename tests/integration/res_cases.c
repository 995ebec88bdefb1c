/* Table-driven request cases for the resource suites: {VAR} templates, statuses, 422 locs. */
#include "res_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct harness_daemon cases_daemon;
static const struct cases_var *cases_table;

void cases_vars(const struct cases_var *vars)
{
    cases_table = vars;
}

char *cases_expand(const char *text)
{
    size_t cap = strlen(text) + 1;
    for (const struct cases_var *v = cases_table; v && v->name; v++)
        for (const char *p = strstr(text, v->name); p; p = strstr(p + 1, v->name))
            cap += strlen(v->value);
    char *out = malloc(cap), *o = out;
    ck_assert_ptr_nonnull(out);
    while (*text) {
        const struct cases_var *hit = NULL;
        for (const struct cases_var *v = cases_table; v && v->name && !hit; v++)
            if (!strncmp(text, v->name, strlen(v->name)))
                hit = v;
        if (hit) {
            o += sprintf(o, "%s", hit->value);
            text += strlen(hit->name);
        } else {
            *o++ = *text++;
        }
    }
    *o = '\0';
    return out;
}

cJSON *cases_call(const struct harness_daemon *d, const char *token, const char *method,
                  const char *path, const char *body, long status, struct harness_resp *r)
{
    struct harness_resp own;
    struct harness_resp *resp = r ? r : &own;
    char *p = cases_expand(path), *b = body ? cases_expand(body) : NULL;
    long got = harness_send(d, method, p, token, b, resp);
    ck_assert_msg(got == status, "%s %s %s: expected %ld, got %ld: %s", method, p, b ? b : "",
                  status, got, resp->body ? resp->body : resp->err);
    free(p);
    free(b);
    if (r)
        return harness_json(r);
    cJSON *copy = own.body_len ? cJSON_Duplicate(harness_json(&own), 1) : NULL;
    harness_resp_free(&own);
    return copy;
}

void cases_run(const struct cases_case *k, char *const *tokens)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[k->who], k->method, k->path, k->body, k->status, &r);
    if (k->status == 403 || k->status == 404)
        ck_assert_msg(harness_detail_is(&r, k->status == 403 ? "Forbidden" : NULL),
                      "%s %s: expected a {\"detail\"} body, got %s", k->method, k->path, r.body);
    if (k->loc)
        ck_assert_msg(harness_detail_has_loc(&r, k->loc), "%s %s %s: expected loc %s in %s",
                      k->method, k->path, k->body ? k->body : "", k->loc, r.body);
    harness_resp_free(&r);
}

char *cases_create(const struct harness_daemon *d, const char *token, const char *path,
                   const char *body)
{
    struct harness_resp r;
    cases_call(d, token, "POST", path, body, 201, &r);
    const char *id = harness_jstr(harness_json(&r), "id"), *loc = harness_header(&r, "Location");
    ck_assert_msg(id && loc, "expected an id and a Location header: %s", r.body);
    char want[256];
    snprintf(want, sizeof want, "%s/%s", path, id);
    ck_assert_str_eq(loc, want);
    char *out = strdup(id);
    harness_resp_free(&r);
    return out;
}

double cases_num(const cJSON *o, const char *path)
{
    char copy[128], *save = NULL;
    snprintf(copy, sizeof copy, "%s", path);
    for (char *part = strtok_r(copy, ".", &save); part && o; part = strtok_r(NULL, ".", &save))
        o = cJSON_GetObjectItemCaseSensitive(o, part);
    ck_assert_msg(cJSON_IsNumber(o), "expected a number at %s", path);
    return o->valuedouble;
}

void cases_same_queries(const struct harness_daemon *d, const char *token, const char *path,
                        int min_items)
{
    int n[2];
    const char *sizes[] = {"1", "100"};
    for (int i = 0; i < 2; i++) {
        char url[512];
        snprintf(url, sizeof url, "%s%spage_size=%s", path, strchr(path, '?') ? "&" : "?",
                 sizes[i]);
        struct harness_resp r;
        ck_assert_int_eq(harness_get(d, url, token, &r), 200);
        int items = cJSON_GetArraySize(cJSON_GetObjectItem(harness_json(&r), "items"));
        ck_assert_msg(items == (i ? items : 1) && (i == 0 || items >= min_items),
                      "%s: expected 1 item, then at least %d; got %d", url, min_items, items);
        n[i] = harness_server_timing_queries(&r);
        harness_resp_free(&r);
    }
    ck_assert_msg(n[0] > 0 && n[0] == n[1],
                  "%s: expected the same statement count for pages of 1 and 100, got %d and %d",
                  path, n[0], n[1]);
}

void cases_start(const char *const *extra, const struct cases_var *vars)
{
    const char *args[16] = {"--no-jobs", "--health-probe-s", "3600"};
    int n = 3;
    for (const char *const *e = extra; e && *e && n < 15; e++)
        args[n++] = *e;
    args[n] = NULL;
    harness_daemon_start(&cases_daemon, harness_db(), args);
    cases_vars(vars);
}

void cases_stop(void)
{
    harness_daemon_stop_clean(&cases_daemon);
}
