/* Script mode --once: fetch a view once and print it as 80-column text or one JSON document. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "timeutil.h"
#include "xalloc.h"

/* Height of the text rendering: the compact layout at 80×24. */
#define ONCE_COLS 80
#define ONCE_LINES 24

/* JSON keys of the sources (NULL: not printed). */
static const char *const json_keys[SRC_COUNT] = {
    [SRC_KPIS] = "kpis",
    [SRC_SUMMARY] = "summary",
    [SRC_REVENUE] = "revenue_monthly",
    [SRC_EXPMONTHLY] = "expenses_monthly",
    [SRC_TOP_CLIENTS] = "top_clients",
    [SRC_ACTIVITY] = "recent_activity",
    [SRC_QUOTA_PERF] = "quota_performance",
    [SRC_READY] = "health",
    [SRC_METRICS] = NULL, /* text; written as figures below */
    [SRC_QUOTES] = "quotes",
    [SRC_QUOTE] = "quote",
    [SRC_EXPENSES] = "expenses",
    [SRC_QUOTA_MONTH] = "quota_performance_month",
    [SRC_QUOTAS] = "quotas",
    [SRC_ALERTS] = "alerts",
    [SRC_USERS] = "users",
};

static void print_json(struct app *a, unsigned mask)
{
    struct buf out = BUF_INIT;
    char ts[RFC3339_MAX];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    time_rfc3339(&now, false, ts);
    cJSON *head = cJSON_CreateObject();
    cJSON_AddStringToObject(head, "view", views[a->view].name);
    cJSON_AddStringToObject(head, "url", a->opt->url);
    cJSON_AddStringToObject(head, "fetched_at", ts);
    char *h = cJSON_PrintUnformatted(head);
    cJSON_Delete(head);
    /* Splice the API's bodies in verbatim, so numbers stay exactly as sent. */
    buf_add(&out, h, strlen(h) - 1);
    free(h);
    cJSON *errors = cJSON_CreateObject();
    for (int s = 0; s < SRC_COUNT; s++) {
        if (!(mask & SRC_BIT(s)))
            continue;
        const struct src_state *st = &a->data.st[s];
        if (s == SRC_METRICS && st->has_data) {
            const struct m_metrics *m = &a->data.metrics;
            cJSON *o = cJSON_CreateObject();
            cJSON *c = cJSON_AddObjectToObject(o, "cache_requests");
            cJSON_AddNumberToObject(c, "hit", m->cache_hit);
            cJSON_AddNumberToObject(c, "miss", m->cache_miss);
            cJSON_AddNumberToObject(c, "stale", m->cache_stale);
            cJSON_AddNumberToObject(c, "bypass", m->cache_bypass);
            double rate = model_cache_hit_rate(m);
            if (rate >= 0)
                cJSON_AddNumberToObject(o, "cache_hit_rate", rate);
            else
                cJSON_AddNullToObject(o, "cache_hit_rate");
            cJSON_AddStringToObject(o, "version", m->version);
            char *t = cJSON_PrintUnformatted(o);
            buf_printf(&out, ",\"metrics\":%s", t);
            free(t);
            cJSON_Delete(o);
        } else if (json_keys[s] && a->data.body[s]) {
            buf_printf(&out, ",\"%s\":%s", json_keys[s], a->data.body[s]);
        }
        if (st->error)
            cJSON_AddStringToObject(errors, data_src_name((enum src)s), st->error);
    }
    char *e = cJSON_PrintUnformatted(errors);
    buf_printf(&out, ",\"errors\":%s}\n", e);
    free(e);
    cJSON_Delete(errors);
    fputs(buf_str(&out), stdout);
    buf_free(&out);
}

int app_once(struct options *o)
{
    struct app a;
    char *err = NULL;
    if (app_init(&a, o, false, &err) != 0) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
        return 2;
    }
    if (o->theme_warning)
        fprintf(stderr, "onquota: %s (using the default theme)\n", o->theme_warning);
    bool json = !strcmp(o->format, "json");
    a.data.keep_bodies = json;
    unsigned mask = app_view_sources(&a, a.view) & ~SRC_BIT(SRC_QUOTE);
    unsigned token_mask = 0;
    for (int s = 0; s < SRC_COUNT; s++)
        if ((mask & SRC_BIT(s)) && data_needs_token((enum src)s))
            token_mask |= SRC_BIT(s);
    if (token_mask && !o->token) {
        fprintf(stderr, "onquota: no token — run onquota login, or give --token-file\n");
        app_free(&a);
        return EXIT_USAGE;
    }
    app_fetch(&a, mask);
    while (a.round_pending > 0) {
        net_perform(a.net);
        if (a.round_pending > 0)
            net_wait(a.net, NULL, 0, 200);
    }
    int rc = 0, transport = 0, auth = 0, tried = 0;
    for (int s = 0; s < SRC_COUNT; s++) {
        if (!(mask & SRC_BIT(s)))
            continue;
        enum fetch_outcome out = a.data.st[s].outcome;
        tried++;
        transport += out == FETCH_TRANSPORT;
        auth += out == FETCH_AUTH;
        if (out != FETCH_OK && out != FETCH_UNCHANGED && out != FETCH_UNAVAILABLE && rc == 0)
            rc = 1;
    }
    if (tried > 0 && transport == tried) {
        fprintf(stderr, "onquota: %s\n", data_error(&a.data, mask));
        app_free(&a);
        return 2;
    }
    if (auth > 0) {
        fprintf(stderr, "onquota: token expired or revoked — run onquota login\n");
        app_free(&a);
        return EXIT_USAGE;
    }
    if (json) {
        print_json(&a, mask);
    } else {
        app_draw(&a, ONCE_COLS, ONCE_LINES, time_mono());
        char *text = grid_to_text(a.grid);
        fputs(text, stdout);
        free(text);
    }
    if (rc != 0) {
        const char *e = data_error(&a.data, mask);
        fprintf(stderr, "onquota: %s\n", e ? e : "some data could not be fetched");
    }
    app_free(&a);
    return rc;
}
