/* Script mode --once: fetch a view once and print it as a text report, one JSON document or CSV. */
#include <cjson/cJSON.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "format.h"
#include "report.h"
#include "timeutil.h"
#include "xalloc.h"

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
            const struct model_metrics *m = &a->data.metrics;
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

/* Fetches the sources in mask and waits for every answer. */
static void fetch_all(struct app *a, unsigned mask)
{
    app_fetch(a, mask);
    while (a->round_pending > 0) {
        net_perform(a->net);
        if (a->round_pending > 0)
            net_wait(a->net, NULL, 0, 200);
    }
}

/* The paged list of a view (its page number and source), or NULL. */
static int *paged(struct app *a, enum src *s)
{
    if (a->view == 1) {
        *s = SRC_QUOTES;
        return &a->data.q.quotes_page;
    }
    if (a->view == 2) {
        *s = SRC_EXPENSES;
        return &a->data.q.expenses_page;
    }
    return NULL;
}

static long pages_of(const struct app *a, enum src s)
{
    return s == SRC_QUOTES ? a->data.quotes.page.pages : a->data.expenses.page.pages;
}

/* The text report: a head with the server and the absolute fetch time, then
 * every panel's section with every row (every page of a paged list).
 * Returns false when a section failed. */
static bool print_text(struct app *a, unsigned mask, struct buf *out)
{
    char when[64];
    format_local_time(time(NULL), when, sizeof when);
    char fetched[96];
    snprintf(fetched, sizeof fetched, msg(a->lang, MSG_FETCHED), when);
    buf_printf(out, "OnQuota %s · %s · %s\n%s\n", ONQUOTA_VERSION,
               msg(a->lang, views[a->view].title), a->opt->url, fetched);
    const struct view *v = &views[a->view];
    bool ok = true;
    enum src ps = SRC_QUOTES;
    int *page = paged(a, &ps);
    for (int i = 0; i < v->npanels; i++) {
        struct panel_ctx c = app_panel_ctx(a, i, time_mono());
        ok = report_text(out, v->panels[i], &c) && ok;
        /* The other pages of a paged list. */
        long pages = page ? pages_of(a, ps) : 0;
        for (int p = 2; page && ok && p <= pages; p++) {
            *page = p;
            fetch_all(a, SRC_BIT(ps));
            if (!a->data.st[ps].has_data || a->data.st[ps].outcome != FETCH_OK) {
                buf_printf(out, "%s\n",
                           data_error(&a->data, mask) ? data_error(&a->data, mask) : "?");
                ok = false;
                break;
            }
            report_rows(out, v->panels[i], &c);
        }
    }
    (void)mask;
    return ok;
}

/* CSV of a list view: the header row, then every record of every page. */
static bool print_csv(struct app *a, struct buf *out)
{
    enum src ps = SRC_QUOTA_MONTH;
    int *page = paged(a, &ps);
    report_csv(out, a->view, &a->data, true);
    long pages = page ? pages_of(a, ps) : 0;
    for (int p = 2; page && p <= pages; p++) {
        *page = p;
        fetch_all(a, SRC_BIT(ps));
        if (a->data.st[ps].outcome != FETCH_OK)
            return false;
        report_csv(out, a->view, &a->data, false);
    }
    return true;
}

static volatile sig_atomic_t watch_stop;

static void on_stop(int sig)
{
    (void)sig;
    watch_stop = 1;
}

/* Prints the view in the chosen format; false when a section failed. */
static bool print_view(struct app *a, unsigned mask, bool json, bool csv)
{
    struct buf out = BUF_INIT;
    bool ok = true;
    if (json)
        print_json(a, mask);
    else if (csv)
        ok = print_csv(a, &out);
    else
        ok = print_text(a, mask, &out);
    fputs(buf_str(&out), stdout);
    buf_free(&out);
    /* A paged list was walked to its last page: hold page 1 again, so the
     * next refresh (and --watch's next print) starts where a report does. */
    enum src ps = SRC_QUOTES;
    int *page = paged(a, &ps);
    if (page && *page != 1) {
        *page = 1;
        fetch_all(a, SRC_BIT(ps));
    }
    return ok;
}

/* --watch: after the first print, prints again whenever an answer changes
 * what is shown: at once on an event of the stream, else at each interval.
 * A terminal is cleared before each print; a pipe gets a blank line between
 * them. Ends on SIGINT, SIGTERM or a closed pipe; returns 0. */
static int watch(struct app *a, unsigned mask, bool json, bool csv)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    bool tty = isatty(STDOUT_FILENO);
    unsigned long shown = a->data.changes;
    double next_poll = time_mono() + a->interval;
    while (!watch_stop) {
        double now = time_mono();
        app_stream_tick(a, now);
        /* Polling is the fallback: with a live stream, events drive. */
        if (a->stream != STREAM_LIVE && now >= next_poll && a->round_pending == 0) {
            app_fetch(a, mask);
            next_poll = now + a->interval;
        }
        net_wait(a->net, NULL, 0, 250);
        net_perform(a->net);
        if (a->round_pending > 0 || a->data.changes == shown)
            continue;
        /* Every page again for the lists (the report prints them all). */
        shown = a->data.changes;
        fputs(tty ? "\033[H\033[2J" : "\n", stdout);
        print_view(a, mask, json, csv);
        shown = a->data.changes;
        if (fflush(stdout) != 0 || ferror(stdout))
            break;
    }
    return 0;
}

int app_once(struct options *o)
{
    struct app a;
    char *err = NULL;
    bool json = !strcmp(o->format, "json"), csv = !strcmp(o->format, "csv");
    if (csv && !report_csv_view(view_find(o->view))) {
        fprintf(stderr, "onquota: --format csv prints a list view: --view quotes, expenses or "
                        "quotas\n");
        return EXIT_USAGE;
    }
    if (app_init(&a, o, false, &err) != 0) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
        return 2;
    }
    if (o->theme_warning)
        fprintf(stderr, "onquota: %s (using the default theme)\n", o->theme_warning);
    a.data.keep_bodies = json;
    if (!json)
        a.data.q.page_size = 100; /* every row, in as few requests as the API allows */
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
    /* --watch: the stream first, so no change between the first fetch and
     * the subscription goes unseen. */
    if (o->watch)
        app_stream_tick(&a, time_mono());
    fetch_all(&a, mask);
    int rc = 0, transport = 0, auth = 0, tried = 0, onquota = 0;
    for (int s = 0; s < SRC_COUNT; s++) {
        if (!(mask & SRC_BIT(s)))
            continue;
        enum fetch_outcome out = a.data.st[s].outcome;
        tried++;
        transport += out == FETCH_TRANSPORT;
        auth += out == FETCH_AUTH;
        /* /metrics is any text: it proves nothing about the server. */
        onquota += s != SRC_METRICS && (out == FETCH_OK || out == FETCH_UNCHANGED ||
                                        out == FETCH_AUTH || out == FETCH_FORBIDDEN);
        /* A section without its data is a failure, a route not served too. */
        if (out != FETCH_OK && out != FETCH_UNCHANGED && rc == 0)
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
    if (tried > 0 && onquota == 0) {
        /* Nothing answered as OnQuota does: another server, or a proxy's page. */
        fprintf(stderr, "onquota: %s does not answer as an OnQuota server (%s)\n", o->url,
                data_error(&a.data, mask) ? data_error(&a.data, mask) : "no OnQuota answer");
        app_free(&a);
        return 1;
    }
    if (!print_view(&a, mask, json, csv) && rc == 0)
        rc = 1;
    if (o->watch) {
        fflush(stdout);
        /* /metrics changes with every request: it alone is no reason to print. */
        rc = watch(&a, mask, json, csv);
        app_free(&a);
        return rc;
    }
    if (rc != 0) {
        const char *e = data_error(&a.data, mask);
        fprintf(stderr, "onquota: %s\n", e ? e : "some data could not be fetched");
    }
    app_free(&a);
    return rc;
}
