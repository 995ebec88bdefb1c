/* The client's data model: API JSON parsed into C structs, tolerant of missing fields and nulls. */
#ifndef ONQUOTA_TUI_MODEL_H
#define ONQUOTA_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every parser below has the same contract:
 *   int model_parse_X(const char *json, struct m_X *out, char **err);
 * It fills *out (which it first zeroes) from the JSON text and returns 0, or
 * returns -1 with a malloc'd *err when the text is not JSON or its top level
 * has the wrong type. Missing members, nulls and members of the wrong type
 * are not errors: numbers become 0 with their has_ flag false, strings
 * become NULL. Strings are owned by *out; m_X_free releases them (and is a
 * no-op on a zeroed struct). Pure functions, thread-compatible. */

/* ---------------------------------------------------------------- errors */

/* The human message of an error body: {"detail": "text"} gives "text";
 * {"detail": [{"loc": [...], "msg": "m"}, ...]} gives "loc.path: m" of the
 * first entry. Returns a malloc'd string, or NULL when body has no detail. */
char *model_error_detail(const char *body);

/* ---------------------------------------------------------------- Server-Timing */

struct m_timing {
    double db_ms, app_ms;
    int queries; /* -1 when absent */
    char cache[12];
    bool has_db, has_app;
};

/* Parses a Server-Timing header (db;dur=1.8;desc="2 queries", cache;desc="HIT",
 * app;dur=2.1). Unknown entries are ignored; NULL gives an empty result. */
void model_parse_timing(const char *header, struct m_timing *out);

/* ---------------------------------------------------------------- dashboard */

enum m_format { M_FMT_NUMBER, M_FMT_CURRENCY, M_FMT_PERCENTAGE };

#define M_KPI_COUNT 9

/* The nine KPI keys of /dashboard/kpis, in display order. */
extern const char *const model_kpi_keys[M_KPI_COUNT];

struct m_kpi {
    bool present;
    char *title;
    double current, previous, change;
    bool has_current, has_previous, has_change;
    bool is_positive;
    enum m_format format;
};

struct m_kpis {
    struct m_kpi k[M_KPI_COUNT]; /* indexed like model_kpi_keys */
};
int model_parse_kpis(const char *json, struct m_kpis *out, char **err);
void m_kpis_free(struct m_kpis *m);

struct m_summary {
    double revenue_ytd, expenses_ytd, net_profit_ytd, profit_margin;
    double revenue_mom, expenses_mom;
    double month_revenue, month_expenses;
    long total_clients, total_quotes, total_expenses_count, month_quotes;
    bool has_revenue_mom, has_expenses_mom;
};
int model_parse_summary(const char *json, struct m_summary *out, char **err);

struct m_point {
    char month[8]; /* "2026-01" */
    char *label;
    double value;
};

struct m_category {
    char *name;
    double total;
};

/* revenue-monthly and expenses-monthly (which adds by_category). */
struct m_monthly {
    struct m_point cur[12], prev[12];
    int ncur, nprev;
    double total_cur, total_prev;
    struct m_category *cats;
    int ncats;
};
int model_parse_monthly(const char *json, struct m_monthly *out, char **err);
void m_monthly_free(struct m_monthly *m);

struct m_top_client {
    char *id, *name, *last_quote_date;
    double revenue;
    long quotes;
};
struct m_top_clients {
    struct m_top_client *c;
    int n;
    char *period;
};
int model_parse_top_clients(const char *json, struct m_top_clients *out, char **err);
void m_top_clients_free(struct m_top_clients *m);

struct m_event {
    char *id, *type, *title, *description, *user_name, *timestamp;
    int64_t ts_us; /* parsed timestamp; 0 when absent or malformed */
    char *quote_number, *status;
    double amount;
    bool has_amount;
};
struct m_activity {
    struct m_event *ev; /* newest first */
    int n, cap;
    long total_events;
};
int model_parse_activity(const char *json, struct m_activity *out, char **err);
void m_activity_free(struct m_activity *m);

/* Merges the events of fresh (newest first, as a since= answer gives them)
 * in front of into's, skipping ids already there and keeping at most keep
 * events. fresh's events are moved (fresh is left empty). */
void model_activity_merge(struct m_activity *into, struct m_activity *fresh, int keep);

/* The since= value for the next incremental fetch: the newest timestamp
 * held, or NULL when into is empty. Owned by into. */
const char *model_activity_since(const struct m_activity *m);

enum m_quota_status { M_QS_UNKNOWN, M_QS_ACHIEVED, M_QS_ON_TRACK, M_QS_AT_RISK, M_QS_BEHIND };

/* "achieved", "on_track", ... to the enum (unknown text gives M_QS_UNKNOWN). */
enum m_quota_status model_quota_status(const char *s);
/* The API's word for a status ("on_track"); "unknown" for M_QS_UNKNOWN. */
const char *model_quota_status_name(enum m_quota_status s);

struct m_rep {
    char *user_id, *user_name;
    double target, achieved, percent;
    enum m_quota_status status;
};
struct m_quota_perf {
    int year, month;
    double pace_percent;
    bool has_team;
    struct m_rep team;
    struct m_rep *reps;
    int nreps;
};
int model_parse_quota_perf(const char *json, struct m_quota_perf *out, char **err);
void m_quota_perf_free(struct m_quota_perf *m);

/* ---------------------------------------------------------------- health */

struct m_component {
    bool present;
    char *status; /* "healthy", "unhealthy" */
    char *state;  /* the "database"/"redis" member: "connected" or "error: ..." */
    double latency_ms;
    bool has_latency;
    char *memory_used;
    long pool_size, pool_in_use;
    bool has_pool;
};
struct m_ready {
    char *status; /* "ready", "not_ready", "shutting_down" */
    char *timestamp;
    bool is_ready;
    struct m_component database, redis;
};
int model_parse_ready(const char *json, struct m_ready *out, char **err);
void m_ready_free(struct m_ready *m);

/* Figures read from the Prometheus text of /metrics. */
struct m_metrics {
    double cache_hit, cache_miss, cache_stale, cache_bypass;
    bool has_cache;
    double invalidations, redis_errors, db_queries, http_requests;
    double rss_bytes, start_time;
    char version[32];
};
/* Parses the text exposition format; never fails (unknown lines are skipped).
 * Fills *out (zeroed first). */
void model_parse_metrics(const char *text, struct m_metrics *out);
/* hit / (hit + miss + stale + bypass) in percent, or -1 without lookups. */
double model_cache_hit_rate(const struct m_metrics *m);

/* ---------------------------------------------------------------- resources */

struct m_page {
    long total, page, page_size, pages;
};

struct m_quote_item {
    char *product_name, *description;
    double quantity, unit_price, discount_percent, subtotal;
};
struct m_quote {
    char *id, *quote_number, *status, *currency, *valid_until, *notes;
    char *client_id, *client_name, *rep_id, *rep_name;
    char *created_at, *sent_at, *accepted_at;
    double total;
    struct m_quote_item *items;
    int nitems;
};
struct m_quotes {
    struct m_quote *q;
    int n;
    struct m_page page;
};
int model_parse_quotes(const char *json, struct m_quotes *out, char **err);
/* One quote (GET /sales/quotes/{id}). */
int model_parse_quote(const char *json, struct m_quote *out, char **err);
void m_quote_free(struct m_quote *q);
void m_quotes_free(struct m_quotes *m);

struct m_expense {
    char *id, *description, *status, *date, *currency, *vendor_name;
    char *category_name, *category_color, *user_id, *user_name, *rejection_reason;
    double amount;
};
struct m_expenses {
    struct m_expense *e;
    int n;
    struct m_page page;
};
int model_parse_expenses(const char *json, struct m_expenses *out, char **err);
/* One expense (the answer of PUT /expenses/{id}/status). */
int model_parse_expense(const char *json, struct m_expense *out, char **err);
void m_expense_free(struct m_expense *e);
void m_expenses_free(struct m_expenses *m);

struct m_quota {
    char *id, *user_id, *user_name;
    int year, month;
    double target, achieved, percent;
    bool has_achieved;
};
struct m_quotas {
    struct m_quota *q;
    int n;
    struct m_page page;
};
int model_parse_quotas(const char *json, struct m_quotas *out, char **err);
void m_quotas_free(struct m_quotas *m);

/* GET /quotas/alerts: a list of rep rows (the quota-performance fields),
 * accepted as a bare array or under "alerts", "items" or "reps". */
struct m_alerts {
    struct m_rep *a;
    int n;
};
int model_parse_alerts(const char *json, struct m_alerts *out, char **err);
void m_alerts_free(struct m_alerts *m);

struct m_user {
    char *id, *email, *full_name, *role, *last_login;
    bool is_active;
};
struct m_users {
    struct m_user *u;
    int n;
    struct m_page page;
};
int model_parse_users(const char *json, struct m_users *out, char **err);
/* One user (GET /auth/me, or the "user" member of a login answer). */
int model_parse_user(const char *json, struct m_user *out, char **err);
void m_user_free(struct m_user *u);
void m_users_free(struct m_users *m);
/* The full name of user id in m, or NULL. */
const char *model_user_name(const struct m_users *m, const char *id);

#endif
