/* The client's data store: per API endpoint its path, parsed model, age and errors. */
#ifndef ONQUOTA_TUI_DATA_H
#define ONQUOTA_TUI_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "net.h"

/* Every endpoint the client reads. Panels name the ones they draw from as a
 * bit mask (SRC_BIT). */
enum src {
    SRC_KPIS = 0,
    SRC_SUMMARY,
    SRC_REVENUE,     /* revenue-monthly */
    SRC_EXPMONTHLY,  /* expenses-monthly (by_category) */
    SRC_TOP_CLIENTS, /* top-clients */
    SRC_ACTIVITY,    /* recent-activity, incremental with since= */
    SRC_QUOTA_PERF,  /* quota-performance of the dashboard's month */
    SRC_READY,       /* /health/ready (no token) */
    SRC_METRICS,     /* /metrics (no token) */
    SRC_QUOTES,      /* a page of /sales/quotes */
    SRC_QUOTE,       /* one quote (drill-down) */
    SRC_EXPENSES,    /* a page of /expenses */
    SRC_QUOTA_MONTH, /* quota-performance of the Quotas view's month */
    SRC_QUOTAS,      /* /quotas of that month */
    SRC_ALERTS,      /* /quotas/alerts */
    SRC_USERS,       /* /users (names of reps) */
    SRC_ME,          /* /auth/me (role) */
    SRC_COUNT
};

#define SRC_BIT(s) (1u << (s))

/* Filters and periods: what the paths ask for. Changed by keys. */
struct query {
    char as_of[11];              /* "" or YYYY-MM-DD */
    int year;                    /* 0: the API's default (year of as_of) */
    int month_year, month;       /* dashboard gauges' period; 0: the API's default */
    int quota_year, quota_month; /* Quotas view period */
    int quotes_page;             /* 1.. */
    int quotes_sort;             /* index in data_quote_sorts */
    bool quotes_desc;
    char quotes_search[64];
    int quotes_status; /* 0: all, else index in data_quote_statuses */
    char quote_id[40]; /* drill-down target */
    int expenses_page;
    int expenses_status; /* 0: all, else index in data_expense_statuses */
    int expenses_sort;   /* index in data_expense_sorts */
    bool expenses_desc;
    char expenses_search[64]; /* the API's search: description or vendor */
    char expense_id[40];      /* the expense an approve or reject is about */
    char rep_id[40];          /* drill-down: only this rep's quotes and expenses ("" all) */
    char rep_name[64];
    int page_size;
};

extern const char *const data_quote_sorts[]; /* NULL-terminated: "created_at", ... */
extern const char
    *const data_quote_statuses[]; /* [0] = "all", then the API's words, NULL-terminated */
extern const char *const data_expense_statuses[];
extern const char *const data_expense_sorts[]; /* NULL-terminated: "date", "amount", ... */

/* How the last exchange of a source ended. */
enum fetch_outcome {
    FETCH_NONE = 0,    /* never tried */
    FETCH_OK,          /* 200, parsed */
    FETCH_UNCHANGED,   /* 304 */
    FETCH_UNAVAILABLE, /* 404: the route is not served (yet) */
    FETCH_AUTH,        /* 401 */
    FETCH_FORBIDDEN,   /* 403 */
    FETCH_CLIENT,      /* other 4xx, or a body that does not parse */
    FETCH_SERVER,      /* 5xx */
    FETCH_TRANSPORT,   /* no HTTP answer */
};

/* Room for a source's path with its query string. */
#define DATA_PATH_MAX 320

struct src_state {
    bool has_data; /* a good answer was parsed at least once */
    /* The request (path and query) the held data answers: a 304 revalidates
     * only that exact request. For recent-activity, the path without since=
     * (each answer is merged into what is held). */
    char held[DATA_PATH_MAX];
    bool in_flight;
    double ok_at; /* monotonic time of the last 200/304; 0 never */
    double tried_at;
    enum fetch_outcome outcome;
    long status;
    int fails;   /* consecutive failures */
    char *error; /* the last failure in words (owned), or NULL */
    double ms;   /* last exchange's server latency (request sent to first byte) */
    struct model_timing timing;
    char x_cache[12];
};

#define DATA_LATENCY_N 60
#define DATA_TIMINGS_N 8

/* The last few exchanges' Server-Timing, for the Health view. */
struct timing_rec {
    char path[48];
    double ms;
    struct model_timing t;
    char x_cache[12];
};

struct data {
    struct query q;
    struct src_state st[SRC_COUNT];
    struct model_kpis kpis;
    struct model_summary summary;
    struct model_monthly revenue, expmonthly;
    struct model_top_clients top;
    struct model_activity activity;
    struct model_quota_perf quota_perf, quota_month;
    struct model_ready ready;
    struct model_metrics metrics;
    struct model_quotes quotes;
    struct model_quote quote;
    struct model_expenses expenses;
    struct model_quotas quotas;
    struct model_alerts alerts;
    struct model_users users;
    struct model_user me;
    /* API latency of the last refreshes (ms, oldest first) for the sparkline */
    double latency[DATA_LATENCY_N];
    int nlatency;
    struct timing_rec timings[DATA_TIMINGS_N]; /* ring, newest at timings_at - 1 */
    int timings_at, ntimings;
    char ready_status[24];   /* last readiness status word */
    double ready_changed_at; /* wall clock (time(NULL)) of its last change; 0 never */
    bool keep_bodies;        /* keep raw 200 bodies (for --once --format json) */
    unsigned long changes;   /* answers that changed what is shown (not /metrics, nor an
                                activity answer without new events): for --watch */
    char *body[SRC_COUNT];   /* raw bodies when keep_bodies (owned) */
};

/* Zeroes d and sets the query's defaults (pages 1, page size 20). */
void data_init(struct data *d);
/* Frees every model and message; d may be reused after data_init. */
void data_free(struct data *d);

/* The day alerts are asked for (YYYY-MM-DD into out): in the Quotas view's
 * month, the reference day (--as-of, else today) when it falls in that month,
 * the month's last day for a past month, its first day for a later one. */
void data_alerts_day(const struct query *q, char *out, size_t n);

/* The source's path (with its query string) for the next fetch, into out. */
void data_path(const struct data *d, enum src s, char *out, size_t n);

/* Whether the source needs a bearer token (health and metrics do not). */
bool data_needs_token(enum src s);

/* Short name of a source for messages ("kpis", "quotes"). */
const char *data_src_name(enum src s);

/* Records the answer r to a fetch of s at monotonic time now: parses a 200
 * into the model (replacing the old one only when the parse succeeds), keeps
 * the model on a 304 or any failure, and updates the state, message and
 * timings. A 304 counts as FETCH_UNCHANGED only when the held data answers
 * r->path exactly; any other 304 is FETCH_CLIENT (the caller forgets that
 * ETag and asks again in full). Returns the outcome. */
enum fetch_outcome data_apply(struct data *d, enum src s, const struct net_result *r, double now);

/* Whether a GET of path for s may be conditional (If-None-Match): only when
 * the data held answers exactly that request, so a 304 can revalidate it. */
bool data_conditional(const struct data *d, enum src s, const char *path);

/* Forgets the model and state of s (e.g. after a filter change). */
void data_reset(struct data *d, enum src s);

/* The age in seconds of the oldest good answer among the sources in mask
 * that have data, or -1 when none has. */
double data_age(const struct data *d, unsigned mask, double now);

/* The first failure message among mask's sources, or NULL. */
const char *data_error(const struct data *d, unsigned mask);

/* True when every source in mask that was tried answered 404 (the route
 * does not exist), and at least one was tried. */
bool data_unavailable(const struct data *d, unsigned mask);

/* The readiness word recorded while /health/ready gets no usable answer. */
#define DATA_UNREACHABLE "unreachable"

/* True when the last readiness check failed (no answer, or no readiness
 * document): the components' last known states are no longer current. */
bool data_ready_unreachable(const struct data *d);

/* True when some source in mask has data. */
bool data_has(const struct data *d, unsigned mask);

/* The words for an HTTP failure: 401 gives the login hint, 403 and 5xx the
 * server's detail (or a generic phrase), 0 the transport error. Returns a
 * malloc'd string. */
char *data_error_words(long status, const char *body, const char *transport_err);

#endif
