/* Dashboard panel: recent activity with relative times, a tag per event type and the user. */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

/* Tag, glyph (UTF-8 and ASCII) and colour of each event type. */
/* ASCII glyphs stay apart from the arrows (^ v) of rises and falls. */
static const struct {
    const char *type;
    enum msg_id tag;
    const char *glyph, *ascii;
    enum color_role role;
} tags[] = {
    {"quote_created", MSG_TAG_QUOTE, "✚", "+", ROLE_CHART_CURRENT},
    {"quote_accepted", MSG_TAG_WON, "✓", "W", ROLE_GOOD},
    {"expense_approved", MSG_TAG_EXPENSE, "$", "$", ROLE_WARN},
    {"client_created", MSG_TAG_CLIENT, "★", "*", ROLE_PALETTE0 + 1},
};

enum col { COL_WHEN, COL_TYPE, COL_GLYPH, COL_EVENT, COL_WHO, COL_AMOUNT };

/* Most events the feed keeps (data.c merges up to 100). */
#define ACTIVITY_MAX 128

struct row_ctx {
    const struct panel_ctx *c;
    bool ascii;
    const enum col *ids; /* what each table column shows */
    const int *idx;      /* table row → event (filtered and sorted) */
    char buf[96];
};

/* The event's tag in the interface's language, or its type. */
static const char *tag_of(const struct panel_ctx *c, const struct model_event *e)
{
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (e->type && !strcmp(e->type, tags[i].type))
            return T(c, tags[i].tag);
    return e->type;
}

/* The events shown, into idx: those matching the / filter (title, person,
 * tag), newest first or by st->sort (1 type, 2 who). Returns how many. */
static int shown(const struct panel_ctx *c, int *idx)
{
    const struct model_activity *a = &c->data->activity;
    const struct panel_state *st = c->st;
    int n = 0;
    for (int i = 0; i < a->n && n < ACTIVITY_MAX; i++) {
        const struct model_event *e = &a->ev[i];
        if (st->filter[0] && !panel_match(e->title, st->filter) &&
            !panel_match(e->user_name, st->filter) && !panel_match(tag_of(c, e), st->filter))
            continue;
        int j = n++;
        while (st->sort && j > 0) {
            const struct model_event *p = &a->ev[idx[j - 1]];
            const char *x = st->sort == 1 ? tag_of(c, p) : p->user_name;
            const char *y = st->sort == 1 ? tag_of(c, e) : e->user_name;
            int k = strcasecmp(x ? x : "", y ? y : "");
            if (!(st->desc ? k < 0 : k > 0))
                break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return n;
}

static const char *cell(void *ud, int row, int col, struct pen *pen)
{
    struct row_ctx *rc = ud;
    const struct model_event *e = &rc->c->data->activity.ev[rc->idx[row]];
    switch (rc->ids[col]) {
    case COL_WHEN: {
        if (!e->ts_us)
            return "";
        format_ago((int64_t)rc->c->wall - e->ts_us / 1000000, rc->c->lang, rc->buf, sizeof rc->buf);
        pen->role = ROLE_DIM;
        return rc->buf;
    }
    case COL_TYPE:
    case COL_GLYPH:
        for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
            if (e->type && !strcmp(e->type, tags[i].type)) {
                const char *glyph = rc->ascii ? tags[i].ascii : tags[i].glyph;
                if (rc->ids[col] == COL_GLYPH)
                    snprintf(rc->buf, sizeof rc->buf, "%s", glyph);
                else
                    snprintf(rc->buf, sizeof rc->buf, "%s %s", glyph, T(rc->c, tags[i].tag));
                pen->role = tags[i].role;
                return rc->buf;
            }
        }
        return e->type ? e->type : "?";
    case COL_EVENT:
        return e->title;
    case COL_WHO:
        pen->role = ROLE_DIM;
        return e->user_name;
    case COL_AMOUNT:
        if (!e->has_amount)
            return "";
        panel_money(rc->c, e->amount, rc->buf, sizeof rc->buf);
        return rc->buf;
    }
    return NULL;
}

static void activity_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    int idx[ACTIVITY_MAX];
    int n = shown(c, idx);
    if (n == 0) {
        panel_note(g, r, T(c, MSG_ACTIVITY_NONE));
        return;
    }
    /* Wide: every column; narrow: the tag as a glyph, no amount. */
    const struct table_col wide[] = {
        {T(c, MSG_COL_WHEN), 9, 0, ALIGN_RIGHT},       {T(c, MSG_COL_TYPE), 10, 0, ALIGN_LEFT},
        {T(c, MSG_COL_EVENT), 16, 4, ALIGN_LEFT},      {T(c, MSG_COL_WHO), 10, 2, ALIGN_LEFT},
        {T(c, MSG_COL_EV_AMOUNT), 10, 0, ALIGN_RIGHT},
    };
    static const enum col wide_ids[] = {COL_WHEN, COL_TYPE, COL_EVENT, COL_WHO, COL_AMOUNT};
    const struct table_col narrow[] = {
        {T(c, MSG_COL_WHEN), 9, 0, ALIGN_RIGHT},
        {"", 1, 0, ALIGN_LEFT},
        {T(c, MSG_COL_EVENT), 12, 3, ALIGN_LEFT},
        {T(c, MSG_COL_WHO), 6, 1, ALIGN_LEFT},
    };
    static const enum col narrow_ids[] = {COL_WHEN, COL_GLYPH, COL_EVENT, COL_WHO};
    bool is_wide = r.w >= 56;
    struct row_ctx rc = {
        .c = c, .ascii = g->ascii, .ids = is_wide ? wide_ids : narrow_ids, .idx = idx};
    struct panel_state *st = c->st;
    if (st->sel >= n)
        st->sel = n - 1;
    /* The sort column: when (newest first), type, who. */
    static const int sort_wide[] = {1, 2, 4}, sort_narrow[] = {1, 2, 4};
    struct table_spec t = {
        .cols = is_wide ? wide : narrow,
        .ncols = is_wide ? 5 : 4,
        .nrows = n,
        .selected = c->focused ? st->sel : -1,
        .focused = c->focused,
        .cell = cell,
        .ud = &rc,
        .sort_col = (is_wide ? sort_wide : sort_narrow)[st->sort % 3],
        .sort_desc = st->sort == 0 ? !st->desc : st->desc,
    };
    st->rows = n;
    st->visible = draw_table(g, r, &t, &st->scroll);
}

static bool activity_key(struct panel_ctx *c, enum action a)
{
    const struct model_activity *ac = &c->data->activity;
    struct panel_state *st = c->st;
    int idx[ACTIVITY_MAX];
    int n = shown(c, idx);
    switch (a) {
    case ACT_OPEN:
        /* Enter opens the event's quote (Esc comes back). */
        if (st->sel >= 0 && st->sel < n) {
            const struct model_event *e = &ac->ev[idx[st->sel]];
            const char *colon = e->title ? strstr(e->title, ": ") : NULL;
            if (e->type && !strncmp(e->type, "quote_", 6) && e->id)
                panel_open_quote(c->app, e->id);
            else if (e->type && !strcmp(e->type, "expense_approved") && colon)
                panel_open_expense(c->app, colon + 2); /* "Expense approved: <description>" */
        }
        return true;
    case ACT_FILTER:
    case ACT_SORT:
    case ACT_SORT_REVERSE:
    case ACT_BACK:
        return panel_local_list_key(c, a, T(c, MSG_ACTIVITY_SEARCH), 3);
    default:
        return panel_list_move(st, a, n);
    }
}

static void activity_click(struct panel_ctx *c, int row)
{
    int idx[ACTIVITY_MAX];
    panel_list_click(c->st, row, shown(c, idx));
}

static void activity_info(const struct panel_ctx *c, char *out, size_t n)
{
    int idx[ACTIVITY_MAX];
    int shown_n = shown(c, idx);
    if (c->st->filter[0])
        snprintf(out, n, "/%s · %d/%d", c->st->filter, shown_n, c->data->activity.n);
    else
        snprintf(out, n, "%d", c->data->activity.n);
}

const struct panel panel_activity = {
    .name = "recent_activity",
    .title = MSG_P_ACTIVITY,
    .sources = SRC_BIT(SRC_ACTIVITY),
    .wide = {.band = 2, .weight = 2, .min_w = 40, .min_h = 4, .pref_h = 14},
    .compact = {.band = 2, .weight = 1, .min_w = 36, .min_h = 4, .pref_h = 7},
    .draw = activity_draw,
    .on_key = activity_key,
    .on_click = activity_click,
    .info = activity_info,
};
