/* Health view: cache statistics and process figures from /metrics. */
#include <stdio.h>
#include <time.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

static void line(struct grid *g, struct rect r, int *y, const char *k, const char *v,
                 enum color_role role)
{
    if (*y >= r.y + r.h)
        return;
    grid_put(g, r.x, *y, 16, k, PEN(ROLE_DIM), 0);
    grid_put(g, r.x + 16, *y, r.w - 16, v, PEN(role), PUT_ELLIPSIS);
    (*y)++;
}

static void cache_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_metrics *m = &c->data->metrics;
    char buf[FMT_MAX * 2 + 8], a[FMT_MAX], b[FMT_MAX];
    int y = r.y;
    double rate = model_cache_hit_rate(m);
    if (rate >= 0)
        format_percent(rate, 1, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "%s", T(c, MSG_NO_LOOKUPS_YET));
    line(g, r, &y, T(c, MSG_HIT_RATE), buf, rate >= 50 || rate < 0 ? ROLE_GOOD : ROLE_WARN);
    if (y < r.y + r.h && rate >= 0 && r.w > 20) {
        draw_gauge_bar(g, r.x + 16, y, r.w - 16 < 30 ? r.w - 16 : 30, rate, -1, ROLE_GOOD);
        y++;
    }
    format_count((long long)m->cache_hit, a, sizeof a);
    format_count((long long)m->cache_miss, b, sizeof b);
    snprintf(buf, sizeof buf, "%s / %s", a, b);
    line(g, r, &y, T(c, MSG_HITS_MISSES), buf, ROLE_TEXT);
    format_count((long long)m->cache_stale, a, sizeof a);
    format_count((long long)m->cache_bypass, b, sizeof b);
    snprintf(buf, sizeof buf, "%s / %s", a, b);
    line(g, r, &y, T(c, MSG_STALE_BYPASS), buf, m->cache_bypass > 0 ? ROLE_WARN : ROLE_TEXT);
    format_count((long long)m->invalidations, buf, sizeof buf);
    line(g, r, &y, T(c, MSG_INVALIDATIONS), buf, ROLE_TEXT);
    format_count((long long)m->redis_errors, buf, sizeof buf);
    line(g, r, &y, T(c, MSG_REDIS_ERRORS), buf, m->redis_errors > 0 ? ROLE_WARN : ROLE_TEXT);
    format_count((long long)m->db_queries, buf, sizeof buf);
    line(g, r, &y, T(c, MSG_SQL_STATEMENTS), buf, ROLE_TEXT);
    format_number(m->rss_bytes / 1048576.0, 1, a, sizeof a);
    snprintf(buf, sizeof buf, "%s MiB", a);
    line(g, r, &y, T(c, MSG_DAEMON_RSS), buf, ROLE_TEXT);
    if (m->start_time > 0) {
        format_duration((int64_t)(c->wall - (time_t)m->start_time), buf, sizeof buf);
        line(g, r, &y, T(c, MSG_UPTIME), buf, ROLE_TEXT);
    }
    line(g, r, &y, T(c, MSG_VERSION), m->version[0] ? m->version : "-", ROLE_TEXT);
}

const struct panel panel_cache = {
    .name = "cache",
    .title = MSG_P_CACHE,
    .sources = SRC_BIT(SRC_METRICS),
    .wide = {.band = 0, .weight = 2, .min_w = 34, .min_h = 6, .pref_h = 12},
    .compact = {.band = 0, .weight = 1, .min_w = 38, .min_h = 6, .pref_h = 11},
    .draw = cache_draw,
};
