/* Small widgets: sparklines, KPI tiles, OK/WARN/FAIL badges, panel frames, stale dimming and
 * banners. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- sparkline ---------------------------------------------------------- */

static const char *const spark[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char spark_ascii[] = "_.-=+*#%";

int draw_sparkline(struct grid *g, int x, int y, int w, const double *values, int n, struct pen pen)
{
    if (w <= 0 || n <= 0 || !values)
        return 0;
    int count = n < w ? n : w;
    const double *v = values + (n - count);
    double lo = 0, hi = 0;
    bool any = false;
    for (int i = 0; i < count; i++) {
        if (isnan(v[i]))
            continue;
        if (!any || v[i] < lo)
            lo = v[i];
        if (!any || v[i] > hi)
            hi = v[i];
        any = true;
    }
    if (lo > 0)
        lo = 0; /* bars from zero, unless values go negative */
    for (int i = 0; i < count; i++) {
        if (isnan(v[i])) {
            grid_set(g, x + i, y, " ", pen);
            continue;
        }
        int level = hi > lo ? (int)lround((v[i] - lo) / (hi - lo) * 7) : 0;
        level = level < 0 ? 0 : level > 7 ? 7 : level;
        if (g->ascii) {
            char s[2] = {spark_ascii[level], '\0'};
            grid_set(g, x + i, y, s, pen);
        } else {
            grid_set(g, x + i, y, spark[level], pen);
        }
    }
    return count;
}

/* ---- KPI tile ----------------------------------------------------------- */

void draw_kpi(struct grid *g, struct rect r, const struct kpi_spec *k)
{
    char change[FMT_MAX];
    struct pen cpen;

    if (r.w <= 0 || r.h <= 0)
        return;
    if (k->has_change) {
        format_change(k->change, g->ascii, change, sizeof change);
        cpen = PEN_A(k->positive ? ROLE_GOOD : ROLE_BAD, ATTR_BOLD);
    } else {
        strcpy(change, g->ascii ? "-" : "—");
        cpen = PEN(ROLE_DIM);
    }
    const char *value = k->value ? k->value : "-";
    struct pen vpen = PEN_A(ROLE_TEXT, ATTR_BOLD);
    struct pen tpen = PEN(ROLE_TITLE);
    int cw = format_width(change), vw = format_width(value);

    if (r.h >= 3) {
        grid_put(g, r.x, r.y, r.w, k->title, tpen, PUT_ELLIPSIS);
        grid_put(g, r.x, r.y + 1, r.w, value, vpen, PUT_RIGHT | PUT_ELLIPSIS);
        grid_put(g, r.x, r.y + 2, r.w, change, cpen, PUT_RIGHT | PUT_ELLIPSIS);
    } else if (r.h == 2) {
        int tw = r.w - cw - 1;
        if (tw > 0)
            grid_put(g, r.x, r.y, tw, k->title, tpen, PUT_ELLIPSIS);
        grid_put(g, r.x, r.y, r.w, change, cpen, PUT_RIGHT | PUT_ELLIPSIS);
        grid_put(g, r.x, r.y + 1, r.w, value, vpen, PUT_RIGHT | PUT_ELLIPSIS);
    } else {
        /* The value never gives way: title first, then the change. */
        int right = vw + 1 + cw;
        if (right > r.w) {
            grid_put(g, r.x, r.y, r.w, value, vpen, PUT_RIGHT | PUT_ELLIPSIS);
            return;
        }
        grid_put(g, r.x + r.w - cw, r.y, cw, change, cpen, 0);
        grid_put(g, r.x + r.w - right, r.y, vw, value, vpen, 0);
        if (r.w - right - 1 > 0)
            grid_put(g, r.x, r.y, r.w - right - 1, k->title, tpen, PUT_ELLIPSIS);
    }
}

/* ---- badge -------------------------------------------------------------- */

enum badge_status badge_from_text(const char *s)
{
    static const char *const ok[] = {"pass", "healthy", "ok", "ready", "up", "connected"};
    static const char *const warn[] = {"warn", "degraded", "warning"};

    if (!s)
        return BADGE_FAIL;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcasecmp(s, ok[i]) == 0)
            return BADGE_OK;
    for (size_t i = 0; i < sizeof warn / sizeof warn[0]; i++)
        if (strcasecmp(s, warn[i]) == 0)
            return BADGE_WARN;
    return BADGE_FAIL;
}

int draw_badge(struct grid *g, int x, int y, int w, enum badge_status s)
{
    static const struct {
        const char *utf8, *ascii;
        enum color_role role;
        unsigned attrs;
    } look[] = {
        [BADGE_OK] = {"✓ OK", "+ OK", ROLE_GOOD, 0},
        [BADGE_WARN] = {"! WARN", "! WARN", ROLE_WARN, ATTR_BOLD},
        [BADGE_FAIL] = {"✗ FAIL", "x FAIL", ROLE_BAD, ATTR_BOLD},
    };
    if ((int)s < 0 || s > BADGE_FAIL)
        s = BADGE_FAIL;
    return grid_put(g, x, y, w, g->ascii ? look[s].ascii : look[s].utf8,
                    PEN_A(look[s].role, look[s].attrs), 0);
}

/* ---- frames, dimming, banners ------------------------------------------- */

struct rect draw_frame(struct grid *g, struct rect r, const struct frame_spec *f)
{
    struct pen border = PEN(f->focused ? ROLE_BORDER_FOCUS : ROLE_BORDER);
    struct pen title = PEN_A(ROLE_TITLE, f->focused ? ATTR_BOLD : 0);
    char info[128];
    const char *stale = f->stale_text && *f->stale_text ? f->stale_text : "STALE";

    grid_box(g, r, border, NULL, title);
    if (r.w < 6 || r.h < 2)
        return rect_inset(r, 1);
    info[0] = '\0';
    if (f->info && *f->info)
        snprintf(info, sizeof info, "%s%s%s", f->stale ? stale : "", f->stale ? " " : "", f->info);
    else if (f->stale)
        snprintf(info, sizeof info, "%s", stale);
    int iw = format_width(info);
    int tw = f->title ? format_width(f->title) : 0;
    int room = r.w - 4; /* inside the corners, less a space each side */

    /* The info may squeeze the title down to a few columns; when even that
     * fails a stale panel keeps just "STALE", others drop the info. */
    int title_min = tw < 4 ? tw : 4;
    if (iw && room - iw - 3 < title_min && f->stale) {
        snprintf(info, sizeof info, "%s", stale);
        iw = format_width(info);
    }
    if (iw && room - iw - 3 < title_min)
        iw = 0;
    if (tw > 0) {
        int used =
            grid_put(g, r.x + 2, r.y, room - (iw ? iw + 3 : 0), f->title, title, PUT_ELLIPSIS);
        grid_set(g, r.x + 1, r.y, " ", border);
        grid_set(g, r.x + 2 + used, r.y, " ", border);
    }
    if (iw) {
        int x = r.x + r.w - 2 - iw;
        struct pen ipen = f->stale ? PEN_A(ROLE_WARN, ATTR_BOLD) : PEN(ROLE_DIM);
        grid_set(g, x - 1, r.y, " ", border);
        grid_put(g, x, r.y, iw, info, ipen, 0);
        grid_set(g, x + iw, r.y, " ", border);
    }
    return rect_inset(r, 1);
}

void draw_dim(struct grid *g, struct rect r)
{
    grid_restyle(g, r, ROLE_DIM, ATTR_DIM);
}

void draw_banner(struct grid *g, struct rect r, const char *text)
{
    struct pen pen = PEN_A(ROLE_BANNER, ATTR_BOLD);

    if (r.w <= 0 || r.h <= 0)
        return;
    grid_fill(g, (struct rect){r.x, r.y, r.w, 1}, " ", pen);
    grid_put(g, r.x, r.y, r.w, text, pen, PUT_CENTER | PUT_ELLIPSIS);
}
