/* Key and mouse dispatch: the focused panel first, then the key table's global actions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "screen.h"

/* Refresh intervals the + and - keys step through (seconds). */
static const int intervals[] = {1, 2, 3, 5, 10, 15, 30, 60, 120, 300};
#define NINTERVALS ((int)(sizeof intervals / sizeof intervals[0]))

struct panel_ctx app_panel_ctx(struct app *a, int i, double now)
{
    struct panel_ctx c = {
        .data = &a->data,
        .st = &a->pst[a->view][i],
        .app = a,
        .focused = a->focus[a->view] == i,
        .compact = a->lay.screen.w < LAYOUT_COMPACT_COLS,
        .lang = a->lang,
        .now = now,
        .wall = time(NULL),
        .interval = a->interval,
    };
    return c;
}

void app_set_view(struct app *a, int v, double now)
{
    if (v == a->view)
        return;
    a->view = v;
    a->stack_scroll = 0;
    /* Fetch at once what the new view shows and is not fresh. */
    unsigned mask = app_view_sources(a, v), due = 0;
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct src_state *st = &a->data.st[s];
        if ((mask & SRC_BIT(s)) && (!st->has_data || now - st->ok_at >= a->interval))
            due |= SRC_BIT(s);
    }
    app_fetch(a, due);
}

/* Keeps a setting changed by a key for the next start (the config file). */
static void save_setting(struct app *a, const char *key, const char *value)
{
    char *err = NULL;
    if (options_save(key, value, &err) != 0)
        panel_status(a, true, msg(a->lang, MSG_SAVE_FAILED), key, err);
    free(err);
}

/* P: the next [profile NAME] of the config file: its server, token and
 * theme, with fresh data. The language and the view stay. */
static void next_profile(struct app *a)
{
    size_t n = 0;
    char **names = options_profiles(&n);
    if (n == 0) {
        char *path = options_config_path();
        panel_status(a, true, msg(a->lang, MSG_PROFILE_NONE), path);
        free(path);
        options_names_free(names);
        return;
    }
    size_t next = 0;
    for (size_t i = 0; a->opt->profile && i < n; i++)
        if (!strcmp(names[i], a->opt->profile))
            next = (i + 1) % n;
    char *argv[] = {"onquota", "--profile", names[next], "--lang", a->opt->lang, NULL};
    struct options no;
    char *err = NULL;
    if (options_load(&no, 5, argv, &err) != 0) {
        panel_status(a, true, "%s", err);
        free(err);
        options_free(&no);
        options_names_free(names);
        return;
    }
    options_names_free(names);
    struct net_opts nopt = {
        .base_url = no.url, .token = no.token, .lang = no.lang, .cacert = no.cacert};
    struct net *net = net_new(&nopt, &err);
    if (!net) {
        panel_status(a, true, "%s", err);
        free(err);
        options_free(&no);
        return;
    }
    net_free(a->net); /* aborts what is in flight (the stream too), without callbacks */
    a->net = net;
    app_stream_reset(a);
    a->refetch = 0;
    options_free(a->opt);
    *a->opt = no;
    a->lang = a->opt->lang;
    a->theme = a->opt->theme_data;
    if (a->interactive)
        screen_set_theme(&a->theme);
    for (int s = 0; s < SRC_COUNT; s++) {
        a->data.st[s].in_flight = false;
        data_reset(&a->data, (enum src)s);
    }
    a->data.ready_status[0] = '\0';
    a->data.ready_changed_at = 0;
    a->data.nlatency = a->data.ntimings = 0;
    a->round_pending = 0;
    a->fails = 0;
    a->auth_failed = false;
    a->next_fetch = 0;
    panel_status(a, false, msg(a->lang, MSG_PROFILE_IS), a->opt->profile, a->opt->url);
}

static void step_interval(struct app *a, int dir)
{
    int i = 0;
    while (i < NINTERVALS - 1 && intervals[i] < a->interval)
        i++;
    if (dir > 0 && intervals[i] <= a->interval && i < NINTERVALS - 1)
        i++;
    else if (dir < 0 && i > 0)
        i--;
    a->interval = intervals[i];
    panel_status(a, false, msg(a->lang, MSG_REFRESH_EVERY), a->interval);
    char num[16];
    snprintf(num, sizeof num, "%d", a->interval);
    save_setting(a, "interval", num);
}

/* y/Y and [/]: the chart year on the dashboard, the month on the Quotas view. */
static void step_period(struct app *a, enum action act)
{
    struct query *q = &a->data.q;
    int dy = act == ACT_YEAR_PREV ? -1 : act == ACT_YEAR_NEXT ? 1 : 0;
    int dm = act == ACT_MONTH_PREV ? -1 : act == ACT_MONTH_NEXT ? 1 : 0;
    int *py, *pm;
    unsigned refetch;
    if (a->view == 3) {
        py = &q->quota_year;
        pm = &q->quota_month;
        if (!*py) {
            *py = a->data.quota_month.year;
            *pm = a->data.quota_month.month;
        }
        refetch = SRC_BIT(SRC_QUOTA_MONTH) | SRC_BIT(SRC_QUOTAS) | SRC_BIT(SRC_ALERTS);
    } else if (dm) {
        py = &q->month_year;
        pm = &q->month;
        if (!*py) {
            *py = a->data.quota_perf.year;
            *pm = a->data.quota_perf.month;
        }
        refetch = SRC_BIT(SRC_QUOTA_PERF);
    } else {
        if (!q->year && a->data.revenue.ncur > 0)
            sscanf(a->data.revenue.cur[0].month, "%4d", &q->year);
        if (!q->year)
            return;
        int y = q->year + dy;
        if (y >= 2020 && y <= 2100)
            q->year = y;
        panel_status(a, false, msg(a->lang, MSG_YEAR_IS), q->year);
        app_fetch(a, SRC_BIT(SRC_REVENUE) | SRC_BIT(SRC_EXPMONTHLY));
        return;
    }
    if (!*py || !*pm)
        return;
    int m = *pm + dm, y = *py + dy;
    if (m < 1) {
        m = 12;
        y--;
    } else if (m > 12) {
        m = 1;
        y++;
    }
    if (y < 2000 || y > 2100)
        return;
    *py = y;
    *pm = m;
    panel_status(a, false, "%04d-%02d", y, m);
    app_fetch(a, refetch);
}

static void global_action(struct app *a, enum action act, double now)
{
    const struct view *v = &views[a->view];
    switch (act) {
    case ACT_QUIT:
        a->quit = true;
        break;
    case ACT_HELP:
        a->help = !a->help;
        a->help_scroll = 0;
        break;
    case ACT_REFRESH:
        a->next_fetch = 0;
        if (a->paused)
            app_fetch(a, app_view_sources(a, a->view));
        break;
    case ACT_PAUSE:
        a->paused = !a->paused;
        if (!a->paused)
            a->next_fetch = 0;
        break;
    case ACT_FOCUS_NEXT:
    case ACT_FOCUS_PREV: {
        int n = v->npanels;
        int f = (a->focus[a->view] + (act == ACT_FOCUS_NEXT ? 1 : n - 1)) % n;
        a->focus[a->view] = f;
        if (a->lay.mode == LAYOUT_STACKED)
            a->stack_scroll = f;
        break;
    }
    case ACT_VIEW_DASHBOARD:
    case ACT_VIEW_QUOTES:
    case ACT_VIEW_EXPENSES:
    case ACT_VIEW_QUOTAS:
    case ACT_VIEW_HEALTH:
        app_set_view(a, act - ACT_VIEW_DASHBOARD, now);
        break;
    case ACT_THEME_NEXT: {
        if (a->ntheme == 0)
            break;
        a->theme_idx = (a->theme_idx + 1) % a->ntheme;
        char *err = NULL;
        enum theme_status ts =
            theme_load(a->themes[a->theme_idx], a->opt->theme_dir, &a->theme, &err);
        if (ts == THEME_OK) {
            panel_status(a, false, msg(a->lang, MSG_THEME_IS), a->themes[a->theme_idx]);
            save_setting(a, "theme", a->themes[a->theme_idx]);
        } else
            panel_status(a, true, "%s", err ? err : "theme error");
        free(err);
        if (a->interactive)
            screen_set_theme(&a->theme);
        break;
    }
    case ACT_INTERVAL_UP:
    case ACT_INTERVAL_DOWN:
        step_interval(a, act == ACT_INTERVAL_UP ? 1 : -1);
        break;
    case ACT_YEAR_PREV:
    case ACT_YEAR_NEXT:
    case ACT_MONTH_PREV:
    case ACT_MONTH_NEXT:
        if (a->view == 0 || a->view == 3)
            step_period(a, act);
        break;
    case ACT_REDRAW:
        if (a->interactive)
            screen_invalidate();
        break;
    case ACT_PROFILE_NEXT:
        next_profile(a);
        break;
    case ACT_PALETTE:
        app_palette_open(a);
        break;
    case ACT_DOWN:
    case ACT_PAGE_DOWN:
        if (a->lay.mode == LAYOUT_STACKED && a->stack_scroll < a->lay.scroll_max)
            a->stack_scroll++;
        break;
    case ACT_UP:
    case ACT_PAGE_UP:
        if (a->lay.mode == LAYOUT_STACKED && a->stack_scroll > 0)
            a->stack_scroll--;
        break;
    case ACT_TOP:
        a->stack_scroll = 0;
        break;
    case ACT_BOTTOM:
        a->stack_scroll = a->lay.scroll_max;
        break;
    default:
        break;
    }
}

void app_key(struct app *a, int key, double now)
{
    if (key == KEYC_RESIZE || key == KEYC_NONE)
        return;
    if (a->prompt.active) {
        app_prompt_key(a, key);
        return;
    }
    enum action act = keys_lookup(key);
    if (a->help) {
        /* The overlay takes the keys: scroll it, or close it. */
        if (act == ACT_DOWN || act == ACT_PAGE_DOWN)
            a->help_scroll += act == ACT_DOWN ? 1 : 10;
        else if (act == ACT_UP || act == ACT_PAGE_UP)
            a->help_scroll -= act == ACT_UP ? 1 : 10;
        else if (key == KEYC_CTRL('c'))
            a->quit = true;
        else
            a->help = false;
        if (a->help_scroll < 0)
            a->help_scroll = 0;
        return;
    }
    if (act == ACT_QUIT) {
        a->quit = true;
        return;
    }
    const struct view *v = &views[a->view];
    int f = a->focus[a->view];
    if (f < v->npanels && v->panels[f]->on_key) {
        struct panel_ctx c = app_panel_ctx(a, f, now);
        if (v->panels[f]->on_key(&c, act))
            return;
    }
    global_action(a, act, now);
}

void app_click(struct app *a, int x, int y, int wheel, double now)
{
    if (a->help || a->prompt.active)
        return;
    /* The header's tabs switch views. */
    if (y == 0) {
        for (int i = 0; i < VIEW_COUNT; i++)
            if (x >= a->tab_x[i] && x < a->tab_x[i] + a->tab_w[i])
                app_set_view(a, i, now);
        return;
    }
    int i = layout_hit(&a->lay, x, y);
    if (i < 0) {
        if (wheel)
            global_action(a, wheel > 0 ? ACT_DOWN : ACT_UP, now);
        return;
    }
    const struct panel *p = views[a->view].panels[i];
    a->focus[a->view] = i;
    struct panel_ctx c = app_panel_ctx(a, i, now);
    if (wheel) {
        bool used = false;
        for (int k = 0; k < 3 && p->on_key; k++)
            used = p->on_key(&c, wheel > 0 ? ACT_DOWN : ACT_UP) || used;
        if (!used)
            global_action(a, wheel > 0 ? ACT_DOWN : ACT_UP, now);
        return;
    }
    struct rect r = a->lay.rects[i];
    int inner_y = r.h >= 3 ? r.y + 1 : r.y;
    if (p->on_click && y >= inner_y)
        p->on_click(&c, y - inner_y);
}
