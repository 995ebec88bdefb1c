/* Frame composition: header tabs, banner, panels with ages and states, status line, help. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "format.h"

/* The message id in the client's language. */
static const char *M(const struct app *a, enum msg_id id)
{
    return msg(a->lang, id);
}

/* The banner's text, or NULL when none is due. */
static const char *banner_text(const struct app *a, double now, char *buf, size_t n)
{
    if (a->fails >= APP_OFFLINE_AFTER && !a->paused) {
        int secs = (int)ceil(a->next_fetch - now);
        if (a->round_pending > 0 || secs < 1)
            snprintf(buf, n, "%s", M(a, MSG_OFFLINE_RETRYING));
        else
            snprintf(buf, n, M(a, MSG_OFFLINE_RETRY_IN), secs);
        return buf;
    }
    if (a->paused) {
        snprintf(buf, n, "%s", M(a, MSG_PAUSED_BANNER));
        return buf;
    }
    if (a->auth_failed) {
        snprintf(buf, n, "%s", M(a, MSG_TOKEN_EXPIRED));
        return buf;
    }
    if (!a->opt->token && app_view_sources(a, a->view) != SRC_BIT(SRC_READY) &&
        (app_view_sources(a, a->view) & ~(SRC_BIT(SRC_READY) | SRC_BIT(SRC_METRICS)))) {
        snprintf(buf, n, "%s", M(a, MSG_NO_TOKEN_BANNER));
        return buf;
    }
    return NULL;
}

/* View tab labels from the longest form down to what fits: full titles,
 * short ones, then numbers with the current view's title. */
static int tabs_width(const struct app *a, int form)
{
    int w = 9; /* " OnQuota " */
    for (int i = 0; i < VIEW_COUNT; i++) {
        const char *t = M(a, views[i].title);
        if (form == 1)
            t = M(a, views[i].tab);
        else if (form == 2 && i != a->view)
            t = "";
        w += 3 + format_width(t) + (t[0] ? 1 : 0);
    }
    return w;
}

static void draw_header(struct app *a, struct grid *g, struct rect r)
{
    grid_fill(g, r, " ", PEN(ROLE_TEXT));
    int form = 0;
    while (form < 2 && tabs_width(a, form) > r.w)
        form++;
    int x = r.x;
    x += grid_put(g, x, r.y, r.w, " OnQuota ", PEN_A(ROLE_TITLE, ATTR_BOLD), 0);
    for (int i = 0; i < VIEW_COUNT && x < r.x + r.w; i++) {
        char tab[48];
        const char *t = M(a, views[i].title);
        if (form == 1)
            t = M(a, views[i].tab);
        else if (form == 2 && i != a->view)
            t = "";
        snprintf(tab, sizeof tab, " %d%s%s ", i + 1, t[0] ? " " : "", t);
        /* The selected role in its own colours (its fg on its bg). */
        struct pen pen = i == a->view ? PEN_A(ROLE_SELECTED, ATTR_BOLD) : PEN(ROLE_DIM);
        a->tab_x[i] = x;
        a->tab_w[i] = grid_put(g, x, r.y, r.x + r.w - x, tab, pen, 0);
        x += a->tab_w[i];
    }
    char right[96];
    const char *url = a->opt->url;
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    /* Live (events push changes) or polling, said in words. */
    snprintf(right, sizeof right, M(a, MSG_HEADER_RIGHT), host,
             M(a, a->stream == STREAM_LIVE ? MSG_LIVE : MSG_POLLING), a->interval,
             a->paused ? M(a, MSG_HEADER_PAUSED) : "");
    int rw = format_width(right);
    if (x + rw + 1 <= r.x + r.w)
        grid_put(g, r.x + r.w - rw, r.y, rw, right, PEN(ROLE_DIM), 0);
}

static void draw_status(struct app *a, struct grid *g, struct rect r, double now)
{
    grid_fill(g, r, " ", PEN(ROLE_TEXT));
    if (a->prompt.active) {
        int x = grid_put(g, r.x, r.y, r.w, a->prompt.question, PEN_A(ROLE_TITLE, ATTR_BOLD), 0);
        if (!a->prompt.confirm) {
            x += 1;
            x += grid_put(g, r.x + x, r.y, r.w - x, a->prompt.text, PEN(ROLE_TEXT), 0);
            grid_put(g, r.x + x, r.y, r.w - x, g->ascii ? "_" : "▏", PEN(ROLE_TITLE), 0);
        }
        return;
    }
    if (!a->interactive) {
        grid_putf(g, r.x, r.y, r.w, PEN(ROLE_DIM), PUT_ELLIPSIS, " onquota %s · %s",
                  ONQUOTA_VERSION, a->opt->url);
        return;
    }
    if (a->status[0] && now - a->status_at < 10) {
        grid_put(g, r.x, r.y, r.w, a->status,
                 PEN_A(a->status_error ? ROLE_BAD : ROLE_GOOD, a->status_error ? ATTR_BOLD : 0),
                 PUT_ELLIPSIS);
        return;
    }
    /* The first failure in the view's sources, else key hints. */
    const char *err = data_error(&a->data, app_view_sources(a, a->view));
    if (err && a->fails < APP_OFFLINE_AFTER) {
        grid_put(g, r.x, r.y, r.w, err, PEN_A(ROLE_BAD, ATTR_BOLD), PUT_ELLIPSIS);
        return;
    }
    grid_put(g, r.x, r.y, r.w, M(a, MSG_HINTS), PEN(ROLE_DIM), PUT_ELLIPSIS);
}

/* The frame's right-hand info: the panel's own text and the data's age,
 * shortened to what fits beside the title in width w. */
static void panel_info(struct app *a, const struct panel *p, const struct panel_ctx *c, double now,
                       int w, char *out, size_t n, bool *stale)
{
    char own[128] = "", age[80] = "", ago[FMT_MAX] = "";
    if (p->info && data_has(&a->data, p->sources))
        p->info(c, own, sizeof own);
    unsigned aged = p->age_sources ? p->age_sources : p->sources;
    double secs = data_age(&a->data, aged, now);
    *stale = secs > 2.0 * a->interval;
    if (secs >= 0) {
        format_ago((int64_t)secs, a->lang, ago, sizeof ago);
        snprintf(age, sizeof age, M(a, MSG_UPDATED), ago);
    } else if (a->data.st[__builtin_ctz(p->sources)].in_flight) {
        snprintf(age, sizeof age, "%s", M(a, MSG_LOADING));
    }
    /* Longest first: "own · updated 4s ago", "updated 4s ago", "own · 4s ago", "4s ago". */
    const char *forms[4][2] = {{own, age}, {"", age}, {own, ago}, {"", ago}};
    int room = w - (stale ? 8 : 0);
    for (int i = 0; i < 4; i++) {
        snprintf(out, n, "%s%s%s", forms[i][0], forms[i][0][0] && forms[i][1][0] ? " · " : "",
                 forms[i][1]);
        if (format_width(out) <= room)
            return;
    }
}

static void draw_one(struct app *a, struct grid *g, int i, struct rect r, double now)
{
    const struct panel *p = views[a->view].panels[i];
    struct panel_ctx c = app_panel_ctx(a, i, now);
    char info[256];
    bool stale;
    const char *title = M(a, p->title);
    panel_info(a, p, &c, now, r.w - format_width(title) - 8, info, sizeof info, &stale);
    struct rect inner = r;
    if (r.h >= 3) {
        struct frame_spec f = {title, info, c.focused, stale, M(a, MSG_STALE)};
        inner = draw_frame(g, r, &f);
    } else {
        /* One-line form: the age at the right end. */
        char ago[64] = "";
        double secs = data_age(&a->data, p->age_sources ? p->age_sources : p->sources, now);
        if (secs >= 0)
            format_ago((int64_t)secs, a->lang, ago, sizeof ago);
        int w = format_width(ago);
        if (w > 0 && r.w > w + 20) {
            grid_put(g, r.x + r.w - w, r.y, w, ago, PEN_A(stale ? ROLE_WARN : ROLE_DIM, 0), 0);
            inner.w -= w + 1;
        }
    }
    enum src primary = (enum src)__builtin_ctz(p->sources);
    bool needs_token = false;
    for (int s = 0; s < SRC_COUNT; s++)
        if ((p->sources & SRC_BIT(s)) && data_needs_token((enum src)s))
            needs_token = true;
    if (needs_token && !a->opt->token) {
        panel_note(g, inner, M(a, MSG_NO_TOKEN_NOTE));
    } else if (data_unavailable(&a->data, SRC_BIT(primary))) {
        panel_note(g, inner, M(a, MSG_NOT_AVAILABLE));
    } else if (!a->data.st[primary].has_data) {
        const char *err = data_error(&a->data, p->sources);
        panel_note(g, inner, err ? err : M(a, MSG_LOADING));
    } else {
        p->draw(g, inner, &c);
    }
    /* Old or unreachable data stays visible, dimmed. */
    if (stale || a->fails >= APP_OFFLINE_AFTER)
        draw_dim(g, r.h >= 3 ? inner : r);
}

void app_draw(struct app *a, int cols, int lines, double now)
{
    struct grid *g = a->grid;
    if (g->w != cols || g->h != lines)
        grid_resize(g, cols, lines);
    else
        grid_clear(g, PEN(ROLE_TEXT));
    g->ascii = a->ascii;
    /* Without colours (or with a theme that gives both years one colour)
     * the chart's series differ by pattern. */
    g->mono = a->mono || theme_same_fg(&a->theme, ROLE_CHART_CURRENT, ROLE_CHART_PREVIOUS);
    char btext[160];
    const char *banner = banner_text(a, now, btext, sizeof btext);
    const struct view *v = &views[a->view];
    struct layout_item items[LAYOUT_MAX_ITEMS];
    for (int i = 0; i < v->npanels; i++)
        items[i] = cols >= LAYOUT_WIDE_COLS ? v->panels[i]->wide : v->panels[i]->compact;
    layout_compute(cols, lines, items, v->npanels, a->stack_scroll, banner ? LAYOUT_BANNER : 0,
                   &a->lay);
    if (a->lay.mode == LAYOUT_TOO_SMALL) {
        /* One line, the longest form that fits. */
        if (a->lay.message.w > 0) {
            char forms[2][128];
            snprintf(forms[0], sizeof forms[0], M(a, MSG_TOO_SMALL), LAYOUT_MIN_COLS,
                     LAYOUT_MIN_LINES, cols, lines);
            snprintf(forms[1], sizeof forms[1], M(a, MSG_TOO_SMALL_SHORT), LAYOUT_MIN_COLS,
                     LAYOUT_MIN_LINES);
            int k = 0;
            while (k < 1 && format_width(forms[k]) > cols)
                k++;
            grid_put(g, a->lay.message.x, a->lay.message.y, a->lay.message.w, forms[k],
                     PEN_A(ROLE_WARN, ATTR_BOLD), PUT_CENTER | PUT_ELLIPSIS);
        }
        return;
    }
    a->stack_scroll = a->lay.scroll;
    draw_header(a, g, a->lay.header);
    if (banner)
        draw_banner(g, a->lay.banner, banner);
    for (int i = 0; i < v->npanels; i++)
        if (a->lay.rects[i].w > 0 && a->lay.rects[i].h > 0)
            draw_one(a, g, i, a->lay.rects[i], now);
    struct rect status = a->lay.status;
    if (a->lay.mode == LAYOUT_STACKED && a->lay.scroll_max > 0 && !a->prompt.active) {
        char more[48];
        snprintf(more, sizeof more, " %d/%d %s ", a->lay.scroll + 1, a->lay.scroll_max + 1,
                 g->ascii ? "j/k" : "↕");
        int w = format_width(more);
        grid_put(g, cols - w, status.y, w, more, PEN_A(ROLE_TITLE, ATTR_REVERSE), 0);
        status.w -= w;
    }
    draw_status(a, g, status, now);
    if (a->help) {
        int w = cols < 72 ? cols : 72, h = lines - 2;
        struct rect hr = {(cols - w) / 2, 1, w, h};
        int max = keys_help_rows() - (h - 2);
        if (a->help_scroll > max)
            a->help_scroll = max > 0 ? max : 0;
        grid_fill(g, hr, " ", PEN(ROLE_TEXT));
        keys_draw_help(g, hr, a->lang, a->help_scroll);
    }
}
