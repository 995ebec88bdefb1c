/* Health view: readiness, each component's status, latency and error; the last change. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

static int component(struct grid *g, struct rect r, int y, const char *name,
                     const struct model_component *m, const struct panel_ctx *c)
{
    if (y >= r.y + r.h)
        return y;
    grid_put(g, r.x, y, 12, name, PEN_A(ROLE_TITLE, ATTR_BOLD), 0);
    /* Without an answer the last known state is not the current one. */
    if (data_ready_unreachable(c->data)) {
        grid_put(g, r.x + 12, y, r.w - 12, T(c, MSG_UNKNOWN_WHILE_DOWN), PEN(ROLE_DIM),
                 PUT_ELLIPSIS);
        return y + 1;
    }
    if (!m->present) {
        grid_put(g, r.x + 12, y, r.w - 12, T(c, MSG_NOT_REPORTED), PEN(ROLE_DIM), 0);
        return y + 1;
    }
    int x = r.x + 12;
    x += draw_badge(g, x, y, r.w - 12, badge_from_text(m->status)) + 2;
    char lat[FMT_MAX] = "-";
    if (m->has_latency)
        format_ms(m->latency_ms, lat, sizeof lat);
    grid_put(g, x, y, 9, lat, PEN(ROLE_TEXT), PUT_RIGHT);
    x += 11;
    char extra[64] = "";
    if (m->has_pool)
        snprintf(extra, sizeof extra, T(c, MSG_POOL_IN_USE), m->pool_in_use, m->pool_size);
    else if (m->memory_used)
        snprintf(extra, sizeof extra, T(c, MSG_MEM), m->memory_used);
    grid_put(g, x, y, r.x + r.w - x, extra, PEN(ROLE_DIM), PUT_ELLIPSIS);
    y++;
    /* The state ("connected", or the error text) on its own line. */
    if (y < r.y + r.h) {
        bool bad = badge_from_text(m->status) != BADGE_OK;
        grid_put(g, r.x + 2, y, r.w - 2, m->state ? m->state : "", PEN(bad ? ROLE_BAD : ROLE_DIM),
                 PUT_ELLIPSIS);
        y++;
    }
    return y;
}

static void health_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct data *d = c->data;
    const struct model_ready *rd = &d->ready;
    int y = r.y;
    /* No answer: unreachable, never the last answer's "ready". */
    bool down = data_ready_unreachable(d);
    bool ok = rd->is_ready && !down;
    grid_put(g, r.x, y, 12, T(c, MSG_READINESS), PEN_A(ROLE_TITLE, ATTR_BOLD), 0);
    int x = r.x + 12;
    x += draw_badge(g, x, y, r.w - 12, ok ? BADGE_OK : BADGE_FAIL) + 2;
    if (down && d->st[SRC_READY].status == 0) {
        const char *err = d->st[SRC_READY].error;
        const char *colon = err ? strstr(err, ": ") : NULL;
        grid_putf(g, x, y, r.x + r.w - x, PEN_A(ROLE_BAD, ATTR_BOLD), PUT_ELLIPSIS,
                  T(c, MSG_UNREACHABLE_DETAIL),
                  colon ? colon + 2
                  : err ? err
                        : "?");
    } else {
        grid_putf(g, x, y, r.x + r.w - x, PEN_A(ok ? ROLE_GOOD : ROLE_BAD, ATTR_BOLD), PUT_ELLIPSIS,
                  T(c, MSG_HTTP_STATUS), rd->status ? rd->status : "?", d->st[SRC_READY].status);
    }
    y += 2;
    y = component(g, r, y, "PostgreSQL", &rd->database, c);
    y = component(g, r, y + 1, "Redis", &rd->redis, c);
    if (y + 1 < r.y + r.h) {
        y++;
        char when[128];
        snprintf(when, sizeof when, "%s", T(c, MSG_NONE_SINCE_START));
        if (d->ready_changed_at > 0) {
            char stamp[48], ago[FMT_MAX];
            format_local_time((time_t)d->ready_changed_at, stamp, sizeof stamp);
            format_ago((int64_t)(c->wall - (time_t)d->ready_changed_at), c->lang, ago, sizeof ago);
            snprintf(when, sizeof when, "%s (%s)", stamp, ago);
        }
        /* Beside the label when it fits, else under it. */
        grid_put(g, r.x, y, 20, T(c, MSG_LAST_CHANGE), PEN(ROLE_DIM), 0);
        int x0 = r.x + 20;
        if (format_width(when) > r.w - 20 && y + 1 < r.y + r.h) {
            y++;
            x0 = r.x + 2;
        }
        grid_put(g, x0, y, r.x + r.w - x0, when, PEN(ROLE_TEXT), PUT_ELLIPSIS);
    }
}

static void health_info(const struct panel_ctx *c, char *out, size_t n)
{
    snprintf(out, n, "%.40s", c->data->ready.timestamp ? c->data->ready.timestamp : "");
}

const struct panel panel_health = {
    .name = "readiness",
    .title = MSG_P_HEALTH,
    .sources = SRC_BIT(SRC_READY),
    .wide = {.band = 0, .weight = 3, .min_w = 40, .min_h = 6, .pref_h = 12},
    .compact = {.band = 0, .weight = 1, .min_w = 40, .min_h = 6, .pref_h = 11},
    .draw = health_draw,
    .info = health_info,
};
