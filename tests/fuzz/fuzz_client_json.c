/* libFuzzer target: the client's parsers of every endpoint's JSON (tui/model*.c), its data store
 * applying answers (tui/data.c), the event stream (tui/sse.c), the error detail and Server-Timing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "model.h"
#include "sse.h"
#include "xalloc.h"

/* Room for any parser's result. */
union any {
    struct model_kpis kpis;
    struct model_summary summary;
    struct model_monthly monthly;
    struct model_top_clients top_clients;
    struct model_activity activity;
    struct model_quota_perf quota_perf;
    struct model_ready ready;
    struct model_quotes quotes;
    struct model_quote quote;
    struct model_expenses expenses;
    struct model_expense expense;
    struct model_quotas quotas;
    struct model_alerts alerts;
    struct model_users users;
    struct model_user user;
};

static void summary_free(struct model_summary *m)
{
    (void)m; /* nothing owned */
}

/* run_FIELD(json): parses into the union and releases what it got. */
#define RUNNER(field, parse, release)                                                              \
    static void run_##field(const char *json)                                                      \
    {                                                                                              \
        union any a;                                                                               \
        char *err = NULL;                                                                          \
        if (parse(json, &a.field, &err) == 0)                                                      \
            release(&a.field);                                                                     \
        else if (!err)                                                                             \
            abort(); /* the contract: -1 comes with a message */                                   \
        free(err);                                                                                 \
    }

RUNNER(kpis, model_parse_kpis, model_kpis_free)
RUNNER(summary, model_parse_summary, summary_free)
RUNNER(monthly, model_parse_monthly, model_monthly_free)
RUNNER(top_clients, model_parse_top_clients, model_top_clients_free)
RUNNER(quota_perf, model_parse_quota_perf, model_quota_perf_free)
RUNNER(ready, model_parse_ready, model_ready_free)
RUNNER(quotes, model_parse_quotes, model_quotes_free)
RUNNER(quote, model_parse_quote, model_quote_free)
RUNNER(expenses, model_parse_expenses, model_expenses_free)
RUNNER(expense, model_parse_expense, model_expense_free)
RUNNER(quotas, model_parse_quotas, model_quotas_free)
RUNNER(alerts, model_parse_alerts, model_alerts_free)
RUNNER(users, model_parse_users, model_users_free)
RUNNER(user, model_parse_user, model_user_free)

/* The activity feed is merged into the one on screen, as the client does on
 * every refresh: a fresh parse goes into a copy of the previous one. */
static void run_activity(const char *json)
{
    static const char *const previous =
        "{\"items\": [{\"type\": \"quote\", \"id\": \"a\", \"title\": \"Q-1\", "
        "\"timestamp\": \"2026-01-01T00:00:00Z\"}]}";
    struct model_activity into, fresh;
    char *err = NULL;
    if (model_parse_activity(previous, &into, &err) != 0)
        abort();
    if (model_parse_activity(json, &fresh, &err) == 0) {
        model_activity_merge(&into, &fresh, 50);
        (void)model_activity_since(&into);
        model_activity_free(&fresh);
    }
    free(err);
    model_activity_free(&into);
}

static void (*const runners[])(const char *json) = {
    run_kpis,       run_summary, run_monthly, run_top_clients, run_activity,
    run_quota_perf, run_ready,   run_quotes,  run_quote,       run_expenses,
    run_expense,    run_quotas,  run_alerts,  run_users,       run_user,
};

/* The client's store applies the input as every source's answer, as a
 * refresh does: a 200 (parsed into the model), then the same body as a 503,
 * a 401 and a transport failure (the model is kept, the error worded). */
static void run_store(const char *text, size_t len)
{
    static const long statuses[] = {200, 503, 401, 0};
    struct data d;
    data_init(&d);
    for (int s = 0; s < SRC_COUNT; s++) {
        char path[256];
        data_path(&d, (enum src)s, path, sizeof path);
        for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
            struct net_result r = {.method = "GET",
                                   .path = path,
                                   .status = statuses[i],
                                   .body = text,
                                   .body_len = len,
                                   .server_timing = text,
                                   .x_cache = "HIT",
                                   .content_type = "application/json",
                                   .err = statuses[i] ? "" : "no answer in 10 s"};
            data_apply(&d, (enum src)s, &r, 1.0 + (double)i);
            (void)data_error(&d, SRC_BIT(s));
        }
    }
    (void)data_age(&d, ~0u, 10.0);
    data_free(&d);
}

/* Checks what the stream parser promises of each event. */
static void on_event(void *ud, const struct sse_event *ev)
{
    unsigned long *n = ud;
    if (!ev->type || !ev->data || !ev->id || strlen(ev->data) >= SSE_LINE_MAX ||
        strlen(ev->type) >= SSE_FIELD_MAX || strlen(ev->id) >= SSE_FIELD_MAX)
        abort();
    (*n)++;
}

/* The input as /api/v1/events bytes, whole and then split in two at a point
 * the input chooses (a stream arrives in any chunks): the same events. */
static void run_stream(const uint8_t *data, size_t size)
{
    struct sse_parser *p = xmalloc(sizeof *p);
    unsigned long whole = 0, split = 0;
    sse_init(p);
    sse_feed(p, (const char *)data, size, on_event, &whole);
    size_t cut = size ? data[0] % (size + 1) : 0;
    sse_init(p);
    sse_feed(p, (const char *)data, cut, on_event, &split);
    sse_feed(p, (const char *)data + cut, size - cut, on_event, &split);
    if (whole != split)
        abort(); /* chunking must not change the events */
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < sizeof runners / sizeof runners[0]; i++)
        runners[i](text);
    run_store(text, strlen(text));
    run_stream(data, size);
    free(model_error_detail(text));
    struct model_timing t;
    model_parse_timing(text, &t);
    struct model_metrics m;
    model_parse_metrics(text, &m);
    (void)model_cache_hit_rate(&m);
    free(text);
    return 0;
}
