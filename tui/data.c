/* The client's data store: paths per source, answers into models, ages, errors, timings. */
#include "data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

const char *const data_quote_sorts[] = {"created_at", "total_amount", "quote_number",
                                        "status",     "valid_until",  NULL};
const char *const data_quote_statuses[] = {"all",      "draft",   "sent", "accepted",
                                           "rejected", "expired", NULL};
const char *const data_expense_statuses[] = {"all", "pending", "approved", "rejected", NULL};
const char *const data_expense_sorts[] = {"date", "amount", "status", "created_at", NULL};

/* ---------------------------------------------------------------- parsing per source */

/* Parses body into a fresh model and swaps it in only on success, so a bad
 * answer never loses the last good data. */
#define APPLY(fn, type, field, parse, release)                                                     \
    static int fn(struct data *d, const char *body, char **err)                                    \
    {                                                                                              \
        type tmp;                                                                                  \
        if (parse(body, &tmp, err) != 0)                                                           \
            return -1;                                                                             \
        release(&d->field);                                                                        \
        d->field = tmp;                                                                            \
        return 0;                                                                                  \
    }

static void no_free(void *p)
{
    (void)p;
}

APPLY(apply_kpis, struct model_kpis, kpis, model_parse_kpis, model_kpis_free)
APPLY(apply_summary, struct model_summary, summary, model_parse_summary, no_free)
APPLY(apply_revenue, struct model_monthly, revenue, model_parse_monthly, model_monthly_free)
APPLY(apply_expmonthly, struct model_monthly, expmonthly, model_parse_monthly, model_monthly_free)
APPLY(apply_top, struct model_top_clients, top, model_parse_top_clients, model_top_clients_free)
APPLY(apply_quota_perf, struct model_quota_perf, quota_perf, model_parse_quota_perf,
      model_quota_perf_free)
APPLY(apply_quota_month, struct model_quota_perf, quota_month, model_parse_quota_perf,
      model_quota_perf_free)
APPLY(apply_ready, struct model_ready, ready, model_parse_ready, model_ready_free)
APPLY(apply_quotes, struct model_quotes, quotes, model_parse_quotes, model_quotes_free)
APPLY(apply_quote, struct model_quote, quote, model_parse_quote, model_quote_free)
APPLY(apply_expenses, struct model_expenses, expenses, model_parse_expenses, model_expenses_free)
APPLY(apply_quotas, struct model_quotas, quotas, model_parse_quotas, model_quotas_free)
APPLY(apply_alerts, struct model_alerts, alerts, model_parse_alerts, model_alerts_free)
APPLY(apply_users, struct model_users, users, model_parse_users, model_users_free)
APPLY(apply_me, struct model_user, me, model_parse_user, model_user_free)

/* Activity answers are merged: a since= answer holds only the new events. */
static int apply_activity(struct data *d, const char *body, char **err)
{
    struct model_activity fresh;
    if (model_parse_activity(body, &fresh, err) != 0)
        return -1;
    if (fresh.n == 0)
        d->changes--; /* nothing new: data_apply's count is taken back */
    model_activity_merge(&d->activity, &fresh, 100);
    return 0;
}

static int apply_metrics(struct data *d, const char *body, char **err)
{
    (void)err;
    model_parse_metrics(body, &d->metrics);
    return 0;
}

struct src_def {
    const char *name;
    bool token;
    int (*apply)(struct data *d, const char *body, char **err);
};

static const struct src_def defs[SRC_COUNT] = {
    [SRC_KPIS] = {"kpis", true, apply_kpis},
    [SRC_SUMMARY] = {"summary", true, apply_summary},
    [SRC_REVENUE] = {"revenue-monthly", true, apply_revenue},
    [SRC_EXPMONTHLY] = {"expenses-monthly", true, apply_expmonthly},
    [SRC_TOP_CLIENTS] = {"top-clients", true, apply_top},
    [SRC_ACTIVITY] = {"recent-activity", true, apply_activity},
    [SRC_QUOTA_PERF] = {"quota-performance", true, apply_quota_perf},
    [SRC_READY] = {"health", false, apply_ready},
    [SRC_METRICS] = {"metrics", false, apply_metrics},
    [SRC_QUOTES] = {"quotes", true, apply_quotes},
    [SRC_QUOTE] = {"quote", true, apply_quote},
    [SRC_EXPENSES] = {"expenses", true, apply_expenses},
    [SRC_QUOTA_MONTH] = {"quota month", true, apply_quota_month},
    [SRC_QUOTAS] = {"quotas", true, apply_quotas},
    [SRC_ALERTS] = {"alerts", true, apply_alerts},
    [SRC_USERS] = {"users", true, apply_users},
    [SRC_ME] = {"me", true, apply_me},
};

bool data_needs_token(enum src s)
{
    return defs[s].token;
}

const char *data_src_name(enum src s)
{
    return (unsigned)s < SRC_COUNT ? defs[s].name : "?";
}

/* ---------------------------------------------------------------- lifecycle */

void data_init(struct data *d)
{
    memset(d, 0, sizeof *d);
    d->q.quotes_page = 1;
    d->q.expenses_page = 1;
    d->q.quotes_desc = true;
    d->q.expenses_desc = true;
    d->q.page_size = 20;
}

void data_reset(struct data *d, enum src s)
{
    struct src_state *st = &d->st[s];
    free(st->error);
    bool busy = st->in_flight;
    memset(st, 0, sizeof *st);
    st->in_flight = busy;
    free(d->body[s]);
    d->body[s] = NULL;
    switch (s) {
    case SRC_QUOTES:
        model_quotes_free(&d->quotes);
        break;
    case SRC_QUOTE:
        model_quote_free(&d->quote);
        break;
    case SRC_EXPENSES:
        model_expenses_free(&d->expenses);
        break;
    case SRC_QUOTAS:
        model_quotas_free(&d->quotas);
        break;
    case SRC_QUOTA_MONTH:
        model_quota_perf_free(&d->quota_month);
        break;
    case SRC_QUOTA_PERF:
        model_quota_perf_free(&d->quota_perf);
        break;
    case SRC_REVENUE:
        model_monthly_free(&d->revenue);
        break;
    case SRC_EXPMONTHLY:
        model_monthly_free(&d->expmonthly);
        break;
    case SRC_ACTIVITY:
        model_activity_free(&d->activity);
        break;
    default:
        break;
    }
}

void data_free(struct data *d)
{
    for (int s = 0; s < SRC_COUNT; s++) {
        free(d->st[s].error);
        free(d->body[s]);
    }
    model_kpis_free(&d->kpis);
    model_monthly_free(&d->revenue);
    model_monthly_free(&d->expmonthly);
    model_top_clients_free(&d->top);
    model_activity_free(&d->activity);
    model_quota_perf_free(&d->quota_perf);
    model_quota_perf_free(&d->quota_month);
    model_ready_free(&d->ready);
    model_quotes_free(&d->quotes);
    model_quote_free(&d->quote);
    model_expenses_free(&d->expenses);
    model_quotas_free(&d->quotas);
    model_alerts_free(&d->alerts);
    model_users_free(&d->users);
    model_user_free(&d->me);
    memset(d, 0, sizeof *d);
}

/* ---------------------------------------------------------------- paths */

/* Appends "&key=value" (or "?key=value" first) with value percent-encoded. */
static void add_param(char *out, size_t n, const char *key, const char *value)
{
    size_t len = strlen(out);
    if (len + 2 >= n)
        return;
    len += (size_t)snprintf(out + len, n - len, "%c%s=", strchr(out, '?') ? '&' : '?', key);
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)value; *p && len + 4 < n; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p)) {
            out[len++] = (char)*p;
        } else {
            out[len++] = '%';
            out[len++] = hex[*p >> 4];
            out[len++] = hex[*p & 15];
        }
    }
    out[len < n ? len : n - 1] = '\0';
}

static void add_int(char *out, size_t n, const char *key, long v)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", v);
    add_param(out, n, key, num);
}

/* Days in month m of year y. */
static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[(m - 1) % 12];
}

void data_alerts_day(const struct query *q, char *out, size_t n)
{
    int ry, rm, rd;
    if (!(q->as_of[0] && sscanf(q->as_of, "%4d-%2d-%2d", &ry, &rm, &rd) == 3)) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        ry = tm.tm_year + 1900;
        rm = tm.tm_mon + 1;
        rd = tm.tm_mday;
    }
    int y = q->quota_year ? q->quota_year : ry, m = q->quota_month ? q->quota_month : rm;
    int d = rd;
    if (y * 12 + m < ry * 12 + rm)
        d = month_days(y, m); /* a past month: as it ended */
    else if (y * 12 + m > ry * 12 + rm)
        d = 1; /* a month ahead: its first day */
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

void data_path(const struct data *d, enum src s, char *out, size_t n)
{
    const struct query *q = &d->q;
    static const char *const bases[SRC_COUNT] = {
        [SRC_KPIS] = "/api/v1/dashboard/kpis",
        [SRC_SUMMARY] = "/api/v1/dashboard/summary",
        [SRC_REVENUE] = "/api/v1/dashboard/revenue-monthly",
        [SRC_EXPMONTHLY] = "/api/v1/dashboard/expenses-monthly",
        [SRC_TOP_CLIENTS] = "/api/v1/dashboard/top-clients",
        [SRC_ACTIVITY] = "/api/v1/dashboard/recent-activity",
        [SRC_QUOTA_PERF] = "/api/v1/dashboard/quota-performance",
        [SRC_READY] = "/health/ready",
        [SRC_METRICS] = "/metrics",
        [SRC_QUOTES] = "/api/v1/sales/quotes",
        [SRC_QUOTE] = "/api/v1/sales/quotes/",
        [SRC_EXPENSES] = "/api/v1/expenses",
        [SRC_QUOTA_MONTH] = "/api/v1/dashboard/quota-performance",
        [SRC_QUOTAS] = "/api/v1/quotas",
        [SRC_ALERTS] = "/api/v1/quotas/alerts",
        [SRC_USERS] = "/api/v1/users",
        [SRC_ME] = "/api/v1/auth/me",
    };
    snprintf(out, n, "%s%s", bases[s], s == SRC_QUOTE ? q->quote_id : "");
    bool dated = s <= SRC_QUOTA_PERF || s == SRC_QUOTA_MONTH;
    switch (s) {
    case SRC_REVENUE:
    case SRC_EXPMONTHLY:
        if (q->year)
            add_int(out, n, "year", q->year);
        break;
    case SRC_TOP_CLIENTS:
        add_param(out, n, "limit", "10");
        break;
    case SRC_ACTIVITY: {
        add_param(out, n, "limit", "50");
        const char *since = model_activity_since(&d->activity);
        if (since && d->st[s].has_data)
            add_param(out, n, "since", since);
        break;
    }
    case SRC_QUOTA_PERF:
        if (q->month_year && q->month) {
            add_int(out, n, "year", q->month_year);
            add_int(out, n, "month", q->month);
        }
        break;
    case SRC_QUOTA_MONTH:
        if (q->quota_year && q->quota_month) {
            add_int(out, n, "year", q->quota_year);
            add_int(out, n, "month", q->quota_month);
        }
        break;
    case SRC_QUOTES: {
        add_int(out, n, "page", q->quotes_page);
        add_int(out, n, "page_size", q->page_size);
        char sort[32];
        snprintf(sort, sizeof sort, "%s%s", q->quotes_desc ? "-" : "",
                 data_quote_sorts[q->quotes_sort]);
        add_param(out, n, "sort", sort);
        if (q->quotes_search[0])
            add_param(out, n, "search", q->quotes_search);
        if (q->quotes_status > 0)
            add_param(out, n, "status", data_quote_statuses[q->quotes_status]);
        if (q->rep_id[0])
            add_param(out, n, "sales_rep_id", q->rep_id);
        break;
    }
    case SRC_EXPENSES:
        add_int(out, n, "page", q->expenses_page);
        add_int(out, n, "page_size", q->page_size);
        if (q->expenses_status > 0)
            add_param(out, n, "status", data_expense_statuses[q->expenses_status]);
        {
            char sort[32];
            snprintf(sort, sizeof sort, "%s%s", q->expenses_desc ? "-" : "",
                     data_expense_sorts[q->expenses_sort]);
            add_param(out, n, "sort", sort);
        }
        if (q->expenses_search[0])
            add_param(out, n, "search", q->expenses_search);
        if (q->rep_id[0])
            add_param(out, n, "user_id", q->rep_id);
        break;
    case SRC_QUOTAS:
        if (q->quota_year && q->quota_month) {
            add_int(out, n, "year", q->quota_year);
            add_int(out, n, "month", q->quota_month);
        }
        add_param(out, n, "page_size", "100");
        break;
    case SRC_ALERTS: {
        /* Alerts take a day, not a month: the day of the Quotas view's month. */
        char day[16];
        data_alerts_day(q, day, sizeof day);
        add_param(out, n, "as_of", day);
        break;
    }
    case SRC_USERS:
        add_param(out, n, "page_size", "100");
        break;
    default:
        break;
    }
    if (dated && q->as_of[0])
        add_param(out, n, "as_of", q->as_of);
}

/* ---------------------------------------------------------------- answers */

/* The request a held answer of s stands for: path itself, but for
 * recent-activity without its since= (answers are merged). */
static void held_key(enum src s, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s", path);
    if (s != SRC_ACTIVITY)
        return;
    char *p = strstr(out, "since=");
    if (!p || (p[-1] != '?' && p[-1] != '&'))
        return;
    char *end = strchr(p, '&');
    if (end)
        memmove(p, end + 1, strlen(end + 1) + 1);
    else
        p[-1] = '\0';
}

bool data_conditional(const struct data *d, enum src s, const char *path)
{
    char key[DATA_PATH_MAX];
    held_key(s, path, key, sizeof key);
    return d->st[s].has_data && !strcmp(d->st[s].held, key);
}

char *data_error_words(long status, const char *body, const char *transport_err)
{
    if (status == 0)
        return xasprintf("daemon unreachable: %s",
                         transport_err && *transport_err ? transport_err : "no answer");
    if (status == 401)
        return xstrdup("token expired or revoked — run onquota login");
    char *detail = model_error_detail(body);
    if (detail)
        return detail;
    if (status == 403)
        return xstrdup("forbidden: your role may not do this");
    if (status == 404)
        return xstrdup("not available on this server");
    return xasprintf("the daemon answered %ld", status);
}

/* Remembers a readiness change (for "last status change"); word is the
 * status read, "unreachable" while readiness gets no answer. */
static void note_ready(struct data *d, const char *word)
{
    const char *now = word ? word : d->ready.status ? d->ready.status : "unknown";
    if (strcmp(now, d->ready_status) != 0) {
        if (d->ready_status[0])
            d->ready_changed_at = (double)time(NULL);
        snprintf(d->ready_status, sizeof d->ready_status, "%s", now);
    }
}

static void note_timing(struct data *d, const struct src_state *st, const char *path)
{
    struct timing_rec *t = &d->timings[d->timings_at];
    snprintf(t->path, sizeof t->path, "%s", path);
    char *q = strchr(t->path, '?');
    if (q)
        *q = '\0';
    t->ms = st->ms;
    t->t = st->timing;
    memcpy(t->x_cache, st->x_cache, sizeof t->x_cache);
    d->timings_at = (d->timings_at + 1) % DATA_TIMINGS_N;
    if (d->ntimings < DATA_TIMINGS_N)
        d->ntimings++;
}

static enum fetch_outcome classify(long status)
{
    if (status == 0)
        return FETCH_TRANSPORT;
    if (status == 304)
        return FETCH_UNCHANGED;
    if (status == 401)
        return FETCH_AUTH;
    if (status == 403)
        return FETCH_FORBIDDEN;
    if (status == 404)
        return FETCH_UNAVAILABLE;
    if (status >= 500)
        return FETCH_SERVER;
    if (status >= 400)
        return FETCH_CLIENT;
    return FETCH_OK;
}

enum fetch_outcome data_apply(struct data *d, enum src s, const struct net_result *r, double now)
{
    struct src_state *st = &d->st[s];
    st->in_flight = false;
    st->tried_at = now;
    st->status = r->status;
    st->ms = r->server_ms;
    model_parse_timing(r->server_timing, &st->timing);
    snprintf(st->x_cache, sizeof st->x_cache, "%s", r->x_cache ? r->x_cache : "");
    enum fetch_outcome out = classify(r->status);
    /* Readiness answers 503 with a full body when a dependency is down:
     * that is data, not a failure. */
    if (s == SRC_READY && r->status == 503 && r->body_len > 0)
        out = FETCH_OK;
    char key[DATA_PATH_MAX];
    held_key(s, r->path ? r->path : "", key, sizeof key);
    if (r->not_modified && !(st->has_data && !strcmp(st->held, key)))
        out = FETCH_CLIENT; /* 304 for data we do not hold: refetch in full */
    char *err = NULL;
    unsigned long changes = d->changes;
    if (out == FETCH_OK && s != SRC_METRICS)
        d->changes++;
    if (out == FETCH_OK && defs[s].apply(d, r->body, &err) != 0) {
        out = FETCH_CLIENT;
        d->changes = changes;
    }
    free(st->error);
    st->error = NULL;
    st->outcome = out;
    if (out == FETCH_OK || out == FETCH_UNCHANGED) {
        st->has_data = true;
        snprintf(st->held, sizeof st->held, "%s", key);
        st->ok_at = now;
        st->fails = 0;
        if (out == FETCH_OK && d->keep_bodies) {
            free(d->body[s]);
            d->body[s] = xstrdup(r->body);
        }
        if (s == SRC_READY)
            note_ready(d, NULL);
        if (s == SRC_READY) {
            /* The sparkline's API latency: the client's round trip to readiness. */
            if (d->nlatency == DATA_LATENCY_N) {
                memmove(d->latency, d->latency + 1, sizeof d->latency[0] * (DATA_LATENCY_N - 1));
                d->nlatency--;
            }
            d->latency[d->nlatency++] = r->server_ms;
        }
        note_timing(d, st, r->path);
    } else {
        st->fails++;
        st->error = err ? xasprintf("%s: %s", defs[s].name, err)
                        : data_error_words(r->status, r->body, r->err);
        /* An outage is a status change too. */
        if (s == SRC_READY)
            note_ready(d, DATA_UNREACHABLE);
    }
    free(err);
    return out;
}

/* ---------------------------------------------------------------- queries */

double data_age(const struct data *d, unsigned mask, double now)
{
    double age = -1;
    for (int s = 0; s < SRC_COUNT; s++) {
        if (!(mask & SRC_BIT(s)) || !d->st[s].has_data || d->st[s].outcome == FETCH_UNAVAILABLE)
            continue;
        double a = now - d->st[s].ok_at;
        if (a > age)
            age = a;
    }
    return age < 0 ? -1 : fmax(age, 0);
}

const char *data_error(const struct data *d, unsigned mask)
{
    for (int s = 0; s < SRC_COUNT; s++)
        if ((mask & SRC_BIT(s)) && d->st[s].error && d->st[s].outcome != FETCH_UNAVAILABLE)
            return d->st[s].error;
    return NULL;
}

bool data_unavailable(const struct data *d, unsigned mask)
{
    bool any = false;
    for (int s = 0; s < SRC_COUNT; s++) {
        if (!(mask & SRC_BIT(s)) || d->st[s].outcome == FETCH_NONE)
            continue;
        if (d->st[s].outcome != FETCH_UNAVAILABLE)
            return false;
        any = true;
    }
    return any;
}

bool data_ready_unreachable(const struct data *d)
{
    enum fetch_outcome o = d->st[SRC_READY].outcome;
    return o != FETCH_NONE && o != FETCH_OK && o != FETCH_UNCHANGED;
}

bool data_has(const struct data *d, unsigned mask)
{
    for (int s = 0; s < SRC_COUNT; s++)
        if ((mask & SRC_BIT(s)) && d->st[s].has_data)
            return true;
    return false;
}
