/* Helpers shared by the panels: list movement, status colours, money text, notes. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "format.h"

bool panel_list_move(struct panel_state *st, enum action a, int rows)
{
    int page = st->visible > 1 ? st->visible - 1 : 1;
    switch (a) {
    case ACT_DOWN:
        st->sel++;
        break;
    case ACT_UP:
        st->sel--;
        break;
    case ACT_PAGE_DOWN:
        st->sel += page;
        break;
    case ACT_PAGE_UP:
        st->sel -= page;
        break;
    case ACT_TOP:
        st->sel = 0;
        break;
    case ACT_BOTTOM:
        st->sel = rows - 1;
        break;
    default:
        return false;
    }
    if (st->sel >= rows)
        st->sel = rows - 1;
    if (st->sel < 0)
        st->sel = 0;
    return true;
}

void panel_list_click(struct panel_state *st, int row, int rows)
{
    if (row < 1 || rows <= 0)
        return;
    st->sel = st->scroll + row - 1;
    if (st->sel >= rows)
        st->sel = rows - 1;
}

void panel_scroll_fit(struct panel_state *st, int rows, int visible)
{
    st->rows = rows;
    st->visible = visible;
    if (st->scroll > rows - visible)
        st->scroll = rows - visible;
    if (st->scroll < 0)
        st->scroll = 0;
}

void panel_page_to(struct panel_ctx *c, int *page, long pages, int to, unsigned mask)
{
    if (to < 1 || (pages > 0 && to > pages))
        return;
    *page = to;
    c->st->sel = 0;
    c->st->scroll = 0;
    panel_refetch(c->app, mask);
}

enum color_role panel_status_role(enum model_quota_status s)
{
    switch (s) {
    case M_QS_ACHIEVED:
        return ROLE_GOOD;
    case M_QS_ON_TRACK:
        return ROLE_TEXT;
    case M_QS_AT_RISK:
        return ROLE_WARN;
    case M_QS_BEHIND:
        return ROLE_BAD;
    default:
        return ROLE_DIM;
    }
}

const char *panel_status_word(enum model_quota_status s, const char *lang)
{
    static const enum msg_id words[] = {MSG_QS_UNKNOWN, MSG_QS_ACHIEVED, MSG_QS_ON_TRACK,
                                        MSG_QS_AT_RISK, MSG_QS_BEHIND};
    return msg(lang, words[(unsigned)s < 5 ? s : 0]);
}

const char *panel_api_status(const struct panel_ctx *c, const char *status)
{
    static const struct {
        const char *api;
        enum msg_id id;
    } words[] = {
        {"all", MSG_ST_ALL},           {"draft", MSG_ST_DRAFT},       {"sent", MSG_ST_SENT},
        {"accepted", MSG_ST_ACCEPTED}, {"rejected", MSG_ST_REJECTED}, {"expired", MSG_ST_EXPIRED},
        {"pending", MSG_ST_PENDING},   {"approved", MSG_ST_APPROVED},
    };
    for (size_t i = 0; status && i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(status, words[i].api))
            return T(c, words[i].id);
    return status;
}

void panel_money(const struct panel_ctx *c, double v, char *out, size_t n)
{
    if (c->compact)
        format_compact(v, out, n);
    else
        format_money(v, out, n);
}

void panel_page_text(const struct panel_ctx *c, const struct model_page *p, int asked, char *out,
                     size_t n)
{
    if (p->total <= 0 || p->pages <= 0) {
        snprintf(out, n, "%s", T(c, MSG_PAGE_EMPTY));
        return;
    }
    snprintf(out, n, T(c, MSG_PAGE_INFO), p->page ? p->page : (long)asked, p->pages, p->total);
}

bool panel_match(const char *text, const char *filter)
{
    return !filter || !*filter || (text && strcasestr(text, filter));
}

void panel_note(struct grid *g, struct rect r, const char *text)
{
    if (r.h <= 0 || r.w <= 0)
        return;
    grid_put(g, r.x, r.y + (r.h - 1) / 2, r.w, text, PEN(ROLE_DIM), PUT_CENTER | PUT_ELLIPSIS);
}

/* The prompt's answer becomes the focused panel's filter, from its top. */
static void local_filter_set(struct app *a, const char *text)
{
    struct panel_state *st = panel_focused(a);
    snprintf(st->filter, sizeof st->filter, "%s", text);
    st->sel = st->scroll = 0;
}

bool panel_local_list_key(struct panel_ctx *c, enum action a, const char *question, int nsorts)
{
    struct panel_state *st = c->st;
    switch (a) {
    case ACT_FILTER:
        panel_prompt(c->app, question, st->filter, local_filter_set);
        return true;
    case ACT_SORT:
        st->sort = (st->sort + 1) % nsorts;
        st->sel = st->scroll = 0;
        return true;
    case ACT_SORT_REVERSE:
        st->desc = !st->desc;
        return true;
    case ACT_BACK:
        if (!st->filter[0])
            return false;
        local_filter_set(c->app, "");
        return true;
    default:
        return false;
    }
}
