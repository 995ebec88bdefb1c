/* Helpers shared by the panels: list movement, status colours, money text, notes. */
#include "panel.h"

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

enum color_role panel_status_role(enum m_quota_status s)
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

const char *panel_status_word(enum m_quota_status s, const char *lang)
{
    static const char *const en[] = {"unknown", "achieved", "on track", "at risk", "behind"};
    static const char *const es[] = {"desconocido", "logrado", "en camino", "en riesgo",
                                     "atrasado"};
    return (lang_is_spanish(lang) ? es : en)[(unsigned)s < 5 ? s : 0];
}

void panel_money(const struct panel_ctx *c, double v, char *out, size_t n)
{
    if (c->compact)
        format_compact(v, out, n);
    else
        format_money(v, out, n);
}

void panel_note(struct grid *g, struct rect r, const char *text)
{
    if (r.h <= 0 || r.w <= 0)
        return;
    grid_put(g, r.x, r.y + (r.h - 1) / 2, r.w, text, PEN(ROLE_DIM), PUT_CENTER | PUT_ELLIPSIS);
}
