/* Dashboard panel: the health strip (DB, Redis, API latency, cache, version). */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

/* One line of the strip: a name, a badge and a figure. */
struct item {
    const char *name;
    enum badge_status st;
    bool known;
    char figure[48];
};

/* A latency without the space before the unit ("2.0ms"), for the one-line form. */
static void tight_ms(double ms, char *out, size_t n)
{
    char tmp[FMT_MAX];
    format_ms(ms, tmp, sizeof tmp);
    size_t j = 0;
    for (size_t i = 0; tmp[i] && j + 1 < n; i++)
        if (tmp[i] != ' ')
            out[j++] = tmp[i];
    out[j] = '\0';
}

static void component_item(const struct model_component *m, const char *name, struct item *it,
                           bool down)
{
    it->name = name;
    it->known = m->present && !down; /* no answer: the last state is not current */
    it->st = badge_from_text(m->status);
    if (m->has_latency)
        tight_ms(m->latency_ms, it->figure, sizeof it->figure);
    else if (m->state)
        snprintf(it->figure, sizeof it->figure, "%s", m->state);
}

/* Builds the five items from the data. */
static int items(const struct panel_ctx *c, struct item out[5])
{
    const struct data *d = c->data;
    memset(out, 0, sizeof(struct item) * 5);
    bool down = data_ready_unreachable(d);
    component_item(&d->ready.database, T(c, MSG_HS_DB), &out[0], down);
    component_item(&d->ready.redis, T(c, MSG_HS_REDIS), &out[1], down);
    const struct src_state *rs = &d->st[SRC_READY];
    out[2].name = T(c, MSG_HS_API);
    out[2].known = rs->has_data || rs->outcome == FETCH_TRANSPORT;
    if (rs->outcome == FETCH_TRANSPORT) {
        out[2].st = BADGE_FAIL;
        snprintf(out[2].figure, sizeof out[2].figure, "%s", T(c, MSG_UNREACHABLE));
    } else {
        out[2].st = rs->ms < 250 ? BADGE_OK : rs->ms < 1000 ? BADGE_WARN : BADGE_FAIL;
        tight_ms(rs->ms, out[2].figure, sizeof out[2].figure);
    }
    out[3].name = T(c, MSG_HS_CACHE);
    double rate = model_cache_hit_rate(&d->metrics);
    out[3].known = d->st[SRC_METRICS].has_data;
    /* The hit rate is a figure, not a fault; the cache is degraded when Redis
     * is down and lookups bypass it. */
    out[3].st = d->ready.redis.present && badge_from_text(d->ready.redis.status) != BADGE_OK
                    ? BADGE_WARN
                    : BADGE_OK;
    if (rate >= 0)
        format_percent(rate, 1, out[3].figure, sizeof out[3].figure);
    else
        snprintf(out[3].figure, sizeof out[3].figure, "%s", T(c, MSG_NO_LOOKUPS));
    out[4].name = "v";
    out[4].known = d->metrics.version[0] != '\0';
    out[4].st = BADGE_OK;
    snprintf(out[4].figure, sizeof out[4].figure, "%s", d->metrics.version);
    return 5;
}

/* The width of item it in the one-line form. */
static int item_width(const struct item *it, int i)
{
    int w = format_width(it->name) + (i < 4) + format_width(it->known ? it->figure : "-");
    if (i < 4 && it->known)
        w += it->st == BADGE_OK ? 5 : it->st == BADGE_WARN ? 7 : 7;
    return w;
}

/* One row: "DB ✓ OK 0.41 ms │ Redis ✓ OK 0.12 ms │ ..."; items that do not
 * fit are left out from the end. */
static void draw_line(struct grid *g, struct rect r, const struct item *it, int n)
{
    int x = r.x, end = r.x + r.w;
    const char *sep = g->ascii ? " | " : " │ ";
    for (int i = 0; i < n && x < end; i++) {
        if (x + (i > 0 ? 3 : 0) + item_width(&it[i], i) > end)
            break;
        if (i > 0)
            x += grid_put(g, x, r.y, end - x, sep, PEN(ROLE_BORDER), 0);
        x += grid_put(g, x, r.y, end - x, it[i].name, PEN(ROLE_TITLE), 0);
        if (i < 4)
            x += grid_put(g, x, r.y, end - x, " ", PEN(ROLE_TEXT), 0);
        if (i < 4 && it[i].known) {
            x += draw_badge(g, x, r.y, end - x, it[i].st);
            x += grid_put(g, x, r.y, end - x, " ", PEN(ROLE_TEXT), 0);
        }
        x += grid_put(g, x, r.y, end - x, it[i].known ? it[i].figure : "-", PEN(ROLE_TEXT),
                      PUT_ELLIPSIS);
    }
}

static void healthstrip_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    struct item it[5];
    int n = items(c, it);
    if (r.h < 3) {
        draw_line(g, r, it, n);
        return;
    }
    const struct data *d = c->data;
    for (int i = 0; i < n && i < r.h; i++) {
        int y = r.y + i;
        grid_put(g, r.x, y, 9, i == 4 ? T(c, MSG_HS_VERSION) : it[i].name, PEN(ROLE_TITLE),
                 PUT_ELLIPSIS);
        int x = r.x + 9;
        if (i < 4) {
            if (it[i].known)
                draw_badge(g, x, y, r.w - 9, it[i].st);
            x += 8;
        }
        grid_put(g, x, y, r.x + r.w - x, it[i].known ? it[i].figure : "-", PEN(ROLE_TEXT),
                 PUT_ELLIPSIS);
        char extra[48] = "";
        if (i == 0 && d->ready.database.has_pool)
            snprintf(extra, sizeof extra, T(c, MSG_POOL), d->ready.database.pool_in_use,
                     d->ready.database.pool_size);
        else if (i == 1 && d->ready.redis.memory_used)
            snprintf(extra, sizeof extra, T(c, MSG_MEM), d->ready.redis.memory_used);
        else if (i == 2 && d->st[SRC_READY].timing.has_app)
            snprintf(extra, sizeof extra, T(c, MSG_APP_MS), d->st[SRC_READY].timing.app_ms);
        if (extra[0] && r.w > 40)
            grid_put(g, r.x + 29, y, r.w - 29, extra, PEN(ROLE_DIM), PUT_ELLIPSIS);
    }
    /* Room left: the API latency of the last refreshes. */
    int y = r.y + n + 1;
    if (y + 1 < r.y + r.h && d->nlatency > 0) {
        grid_put(g, r.x, y, r.w, T(c, MSG_API_LATENCY), PEN(ROLE_DIM), 0);
        draw_sparkline(g, r.x, y + 1, r.w, d->latency, d->nlatency, PEN(ROLE_CHART_CURRENT));
    }
}

const struct panel panel_healthstrip = {
    .name = "health",
    .title = MSG_P_HEALTHSTRIP,
    .sources = SRC_BIT(SRC_READY) | SRC_BIT(SRC_METRICS),
    /* /metrics is large and refreshed slowly outside the Health view (app.c):
     * the strip's age is its readiness answer's. */
    .age_sources = SRC_BIT(SRC_READY),
    .wide = {.band = 2, .weight = 1, .min_w = 30, .min_h = 4, .pref_h = 14},
    .compact = {.band = 3, .weight = 1, .min_w = 40, .min_h = 1, .pref_h = 1},
    .draw = healthstrip_draw,
};
