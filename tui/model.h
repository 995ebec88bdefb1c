/* The client's data model: API JSON parsed into C structs, tolerant of missing fields and nulls. */
#ifndef ONQUOTA_TUI_MODEL_H
#define ONQUOTA_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every parser below has the same contract:
 *   int model_parse_X(const char *json, struct model_X *out, char **err);
 * It fills *out (which it first zeroes) from the JSON text and returns 0, or
 * returns -1 with a malloc'd *err when the text is not JSON or its top level
 * has the wrong type. Missing members, nulls and members of the wrong type
 * are not errors: numbers become 0 with their has_ flag false, strings
 * become NULL. Strings are owned by *out; model_X_free releases them (and is a
 * no-op on a zeroed struct). Pure functions, thread-compatible. */

/* ---------------------------------------------------------------- errors */

/* The human message of an error body: {"detail": "text"} gives "text";
 * {"detail": [{"loc": [...], "msg": "m"}, ...]} gives "loc.path: m" of the
 * first entry. Returns a malloc'd string, or NULL when body has no detail. */
char *model_error_detail(const char *body);

/* ---------------------------------------------------------------- Server-Timing */

struct model_timing {
    double db_ms, app_ms;
    int queries; /* -1 when absent */
    char cache[12];
    bool has_db, has_app;
};

/* Parses a Server-Timing header (db;dur=1.8;desc="2 queries", cache;desc="HIT",
 * app;dur=2.1). Unknown entries are ignored; NULL gives an empty result. */
void model_parse_timing(const char *header, struct model_timing *out);

/* ---------------------------------------------------------------- dashboard */

enum model_format { M_FMT_NUMBER, M_FMT_CURRENCY, M_FMT_PERCENTAGE };

#define M_KPI_COUNT 9

/* The nine KPI keys of /dashboard/kpis, in display order. */
extern const char *const model_kpi_keys[M_KPI_COUNT];

struct model_kpi {
    bool present;
    char *title;
    double current, previous, change;
    bool has_current, has_previous, has_change;
    bool is_positive;
    enum model_format format;
};

struct model_kpis {
    struct model_kpi k[M_KPI_COUNT]; /* indexed like model_kpi_keys */
};
int model_parse_kpis(const char *json, struct model_kpis *out, char **err);
void model_kpis_free(struct model_kpis *m);

struct model_summary {
    double revenue_ytd, expenses_ytd, net_profit_ytd, profit_margin;
    double revenue_mom, expenses_mom;
    double month_revenue, month_expenses;
    long total_clients, total_quotes, total_expenses_count, month_quotes;
    bool has_revenue_mom, has_expenses_mom;
};
int model_parse_summary(const char *json, struct model_summary *out, char **err);

struct model_point {
    char month[8]; /* "2026-01" */
    char *label;
    double value;
};

struct model_category {
    char *name;
    double total;
};

/* revenue-monthly and expenses-monthly (which adds by_category). */
struct model_monthly {
    struct model_point cur[12], prev[12];
    int ncur, nprev;
    double total_cur, total_prev;
    struct model_category *cats;
    int ncats;
};
int model_parse_monthly(const char *json, struct model_monthly *out, char **err);
void model_monthly_free(struct model_monthly *m);

struct model_top_client {
    char *id, *name, *last_quote_date;
    double revenue;
    long quotes;
};
struct model_top_clients {
    struct model_top_client *c;
    int n;
    char *period;
};
int model_parse_top_clients(const char *json, struct model_top_clients *out, char **err);
void model_top_clients_free(struct model_top_clients *m);

struct model_event {
    char *id, *type, *title, *description, *user_name, *timestamp;
    int64_t ts_us; /* parsed timestamp; 0 when absent or malformed */
    char *quote_number, *status;
    double amount;
    bool has_amount;
};
struct model_activity {
    struct model_event *ev; /* newest first */
    int n, cap;
    long total_events;
};
int model_parse_activity(const char *json, struct model_activity *out, char **err);
void model_activity_free(struct model_activity *m);

/* Merges the events of fresh (newest first, as a since= answer gives them)
 * in front of into's, skipping ids already there and keeping at most keep
 * events. fresh's events are moved (fresh is left empty). */
void model_activity_merge(struct model_activity *into, struct model_activity *fresh, int keep);

/* The since= value for the next incremental fetch: the newest timestamp
 * held, or NULL when into is empty. Owned by into. */
const char *model_activity_since(const struct model_activity *m);

enum model_quota_status { M_QS_UNKNOWN, M_QS_ACHIEVED, M_QS_ON_TRACK, M_QS_AT_RISK, M_QS_BEHIND };

/* "achieved", "on_track", ... to the enum (unknown text gives M_QS_UNKNOWN). */
enum model_quota_status model_quota_status_parse(const char *s);
/* The API's word for a status ("on_track"); "unknown" for M_QS_UNKNOWN. */
const char *model_quota_status_name(enum model_quota_status s);

struct model_rep {
    char *user_id, *user_name;
    double target, achieved, percent;
    enum model_quota_status status;
};
struct model_quota_perf {
    int year, month;
    double pace_percent;
    bool has_team;
    struct model_rep team;
    struct model_rep *reps;
    int nreps;
};
int model_parse_quota_perf(const char *json, struct model_quota_perf *out, char **err);
void model_quota_perf_free(struct model_quota_perf *m);

/* ---------------------------------------------------------------- health */

struct model_component {
    bool present;
    char *status; /* "healthy", "unhealthy" */
    char *state;  /* the "database"/"redis" member: "connected" or "error: ..." */
    double latency_ms;
    bool has_latency;
    char *memory_used;
    long pool_size, pool_in_use;
    bool has_pool;
};
struct model_ready {
    char *status; /* "ready", "not_ready", "shutting_down" */
    char *timestamp;
    bool is_ready;
    struct model_component database, redis;
};
int model_parse_ready(const char *json, struct model_ready *out, char **err);
void model_ready_free(struct model_ready *m);

/* Figures read from the Prometheus text of /metrics. */
struct model_metrics {
    double cache_hit, cache_miss, cache_stale, cache_bypass;
    bool has_cache;
    double invalidations, redis_errors, db_queries, http_requests;
    double rss_bytes, start_time;
    char version[32];
};
/* Parses the text exposition format; never fails (unknown lines are skipped).
 * Fills *out (zeroed first). */
void model_parse_metrics(const char *text, struct model_metrics *out);
/* hit / (hit + miss + stale + bypass) in percent, or -1 without lookups. */
double model_cache_hit_rate(const struct model_metrics *m);

/* ---------------------------------------------------------------- resources */

struct model_page {
    long total, page, page_size, pages;
};

struct model_quote_item {
    char *product_name, *description;
    double quantity, unit_price, discount_percent, subtotal;
};
struct model_quote {
    char *id, *quote_number, *status, *currency, *valid_until, *notes;
    char *client_id, *client_name, *rep_id, *rep_name;
    char *created_at, *sent_at, *accepted_at;
    double total;
    struct model_quote_item *items;
    int nitems;
};
struct model_quotes {
    struct model_quote *q;
    int n;
    struct model_page page;
};
int model_parse_quotes(const char *json, struct model_quotes *out, char **err);
/* One quote (GET /sales/quotes/{id}). */
int model_parse_quote(const char *json, struct model_quote *out, char **err);
void model_quote_free(struct model_quote *q);
void model_quotes_free(struct model_quotes *m);

struct model_expense {
    char *id, *description, *status, *date, *currency, *vendor_name;
    char *category_name, *category_color, *user_id, *user_name, *rejection_reason;
    double amount;
};
struct model_expenses {
    struct model_expense *e;
    int n;
    struct model_page page;
};
int model_parse_expenses(const char *json, struct model_expenses *out, char **err);
/* One expense (the answer of PUT /expenses/{id}/status). */
int model_parse_expense(const char *json, struct model_expense *out, char **err);
void model_expense_free(struct model_expense *e);
void model_expenses_free(struct model_expenses *m);

struct model_quota {
    char *id, *user_id, *user_name;
    int year, month;
    double target, achieved, percent;
    bool has_achieved;
};
struct model_quotas {
    struct model_quota *q;
    int n;
    struct model_page page;
};
int model_parse_quotas(const char *json, struct model_quotas *out, char **err);
void model_quotas_free(struct model_quotas *m);

/* GET /quotas/alerts: a list of rep rows (the quota-performance fields),
 * accepted as a bare array or under "alerts", "items" or "reps". */
struct model_alerts {
    struct model_rep *a;
    int n;
};
int model_parse_alerts(const char *json, struct model_alerts *out, char **err);
void model_alerts_free(struct model_alerts *m);

struct model_user {
    char *id, *email, *full_name, *role, *last_login;
    bool is_active;
};
struct model_users {
    struct model_user *u;
    int n;
    struct model_page page;
};
int model_parse_users(const char *json, struct model_users *out, char **err);
/* One user (GET /auth/me, or the "user" member of a login answer). */
int model_parse_user(const char *json, struct model_user *out, char **err);
void model_user_free(struct model_user *u);
void model_users_free(struct model_users *m);
/* The full name of user id in m, or NULL. */
const char *model_user_name(const struct model_users *m, const char *id);

#endif
