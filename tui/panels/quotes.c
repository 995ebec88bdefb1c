/* Quotes view: a paged table sorted and filtered by the API, and a quote's detail on Enter. */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

struct row_ctx {
    const struct panel_ctx *c;
    char buf[64];
};

static enum color_role status_role(const char *s)
{
    if (!s)
        return ROLE_DIM;
    if (!strcmp(s, "accepted"))
        return ROLE_GOOD;
    if (!strcmp(s, "rejected") || !strcmp(s, "expired"))
        return ROLE_BAD;
    if (!strcmp(s, "sent"))
        return ROLE_CHART_CURRENT;
    return ROLE_DIM;
}

static const char *cell(void *ud, int row, int col, struct pen *pen)
{
    struct row_ctx *rc = ud;
    const struct model_quote *q = &rc->c->data->quotes.q[row];
    switch (col) {
    case 0:
        return q->quote_number;
    case 1:
        return q->client_name;
    case 2:
        return q->rep_name;
    case 3:
        pen->role = status_role(q->status);
        return panel_api_status(rc->c, q->status);
    case 4:
        panel_money(rc->c, q->total, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 5:
        snprintf(rc->buf, sizeof rc->buf, "%.10s", q->created_at ? q->created_at : "");
        return rc->buf;
    }
    return NULL;
}

/* The quote shown in detail: the fetched one when it matches, else the list's copy. */
static const struct model_quote *detail_quote(const struct panel_ctx *c)
{
    const struct data *d = c->data;
    if (d->quote.id && !strcmp(d->quote.id, d->q.quote_id))
        return &d->quote;
    for (int i = 0; i < d->quotes.n; i++)
        if (d->quotes.q[i].id && !strcmp(d->quotes.q[i].id, d->q.quote_id))
            return &d->quotes.q[i];
    return NULL;
}

static void kv(struct grid *g, int x, int y, int w, const char *k, const char *v)
{
    /* Labels in a column of 12, values after them. */
    grid_put(g, x, y, w < 12 ? w : 12, k, PEN(ROLE_DIM), PUT_ELLIPSIS);
    grid_put(g, x + 12, y, w - 12, v && *v ? v : "-", PEN(ROLE_TEXT), PUT_ELLIPSIS);
}

static void time_text(const char *ts, char *out, size_t n)
{
    /* "2026-11-02T10:00:00Z" → "2026-11-02 11:00:00 CET": local, zone shown. */
    format_iso_local(ts, out, n);
}

static void draw_detail(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_quote *q = detail_quote(c);
    if (!q) {
        panel_note(g, r, T(c, MSG_QUOTE_LOADING));
        return;
    }
    /* A readable width, not the whole of a wide terminal. */
    if (r.w > 100)
        r.w = 100;
    int half = r.w / 2, y = r.y;
    char buf[FMT_MAX], t1[48], t2[48], t3[48];
    grid_putf(g, r.x, y, half, PEN_A(ROLE_TITLE, ATTR_BOLD), PUT_ELLIPSIS, T(c, MSG_QUOTE_TITLE),
              q->quote_number ? q->quote_number : "?");
    grid_put(g, r.x + half, y, r.w - half, panel_api_status(c, q->status),
             PEN_A(status_role(q->status), ATTR_BOLD), PUT_RIGHT);
    y++;
    kv(g, r.x, y, half - 1, T(c, MSG_COL_CLIENT), q->client_name);
    kv(g, r.x + half, y++, r.w - half, T(c, MSG_COL_REP), q->rep_name);
    time_text(q->created_at, t1, sizeof t1);
    time_text(q->sent_at, t2, sizeof t2);
    time_text(q->accepted_at, t3, sizeof t3);
    kv(g, r.x, y, half - 1, T(c, MSG_Q_CREATED), t1);
    kv(g, r.x + half, y++, r.w - half, T(c, MSG_Q_VALID_UNTIL), q->valid_until);
    kv(g, r.x, y, half - 1, T(c, MSG_Q_SENT), t2);
    kv(g, r.x + half, y++, r.w - half, T(c, MSG_Q_ACCEPTED), t3);
    y++;
    /* Items: product, quantity, unit price, discount, subtotal. */
    int num = 12, qty = 8, disc = 7;
    int pw = r.w - num * 2 - qty - disc - 4;
    if (pw < 8)
        pw = 8;
    if (y < r.y + r.h)
        grid_putf(g, r.x, y++, r.w, PEN_A(ROLE_TITLE, ATTR_UNDERLINE), PUT_PAD,
                  "%-*.*s %*s %*s %*s %*s", pw, pw, T(c, MSG_Q_ITEM), qty, T(c, MSG_Q_QTY), num,
                  T(c, MSG_Q_UNIT_PRICE), disc, T(c, MSG_Q_DISC), num, T(c, MSG_Q_SUBTOTAL));
    for (int i = 0; i < q->nitems && y < r.y + r.h - 2; i++, y++) {
        const struct model_quote_item *it = &q->items[i];
        grid_put(g, r.x, y, pw, it->product_name, PEN(ROLE_TEXT), PUT_ELLIPSIS);
        int x = r.x + pw + 1;
        format_number(it->quantity, 2, buf, sizeof buf);
        grid_put(g, x, y, qty, buf, PEN(ROLE_TEXT), PUT_RIGHT);
        x += qty + 1;
        format_money(it->unit_price, buf, sizeof buf);
        grid_put(g, x, y, num, buf, PEN(ROLE_TEXT), PUT_RIGHT);
        x += num + 1;
        /* Exactly as the API states it (2.5%, not 3%), so the line adds up. */
        format_percent_exact(it->discount_percent, buf, sizeof buf);
        grid_put(g, x, y, disc, buf, PEN(ROLE_DIM), PUT_RIGHT);
        x += disc + 1;
        format_money(it->subtotal, buf, sizeof buf);
        grid_put(g, x, y, num, buf, PEN(ROLE_TEXT), PUT_RIGHT);
    }
    if (y < r.y + r.h) {
        format_money(q->total, buf, sizeof buf);
        grid_putf(g, r.x, y++, r.w, PEN_A(ROLE_TEXT, ATTR_BOLD), PUT_RIGHT, T(c, MSG_Q_TOTAL_LINE),
                  buf, q->currency ? q->currency : "");
    }
    if (y < r.y + r.h)
        kv(g, r.x, y, r.w, T(c, MSG_Q_NOTES), q->notes);
}

static void quotes_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    struct panel_state *st = c->st;
    if (st->detail) {
        draw_detail(g, r, c);
        return;
    }
    const struct model_quotes *qs = &c->data->quotes;
    if (qs->n == 0) {
        panel_note(g, r, T(c, MSG_QUOTES_NONE));
        return;
    }
    const struct table_col cols[] = {
        {T(c, MSG_COL_NUMBER), 13, 0, ALIGN_LEFT}, {T(c, MSG_COL_CLIENT), 14, 4, ALIGN_LEFT},
        {T(c, MSG_COL_REP), 10, 2, ALIGN_LEFT},    {T(c, MSG_COL_STATUS), 9, 0, ALIGN_LEFT},
        {T(c, MSG_COL_TOTAL), 12, 0, ALIGN_RIGHT}, {T(c, MSG_COL_DATE), 10, 0, ALIGN_LEFT},
    };
    /* The column each API sort key orders (1-based), for the header's mark. */
    static const int sort_cols[] = {6, 5, 1, 4, 0};
    struct row_ctx rc = {.c = c};
    if (st->sel >= qs->n)
        st->sel = qs->n - 1;
    struct table_spec t = {cols,
                           6,
                           qs->n,
                           st->sel,
                           c->focused,
                           cell,
                           &rc,
                           sort_cols[c->data->q.quotes_sort],
                           c->data->q.quotes_desc};
    st->rows = qs->n;
    st->visible = draw_table(g, r, &t, &st->scroll);
}

/* ---------------------------------------------------------------- keys */

static void set_search(struct app *a, const char *text)
{
    struct query *q = &panel_data(a)->q;
    snprintf(q->quotes_search, sizeof q->quotes_search, "%s", text);
    q->quotes_page = 1;
    panel_refetch(a, SRC_BIT(SRC_QUOTES));
}

static void page_to(struct panel_ctx *c, int page)
{
    panel_page_to(c, &c->data->q.quotes_page, c->data->quotes.page.pages, page,
                  SRC_BIT(SRC_QUOTES));
}

static bool quotes_key(struct panel_ctx *c, enum action a)
{
    struct panel_state *st = c->st;
    struct query *q = &c->data->q;
    if (st->detail) {
        if (a == ACT_BACK) {
            st->detail = false;
            panel_back(c->app); /* opened from another view: back there */
            return true;
        }
        return a == ACT_OPEN;
    }
    switch (a) {
    case ACT_OPEN:
        if (st->sel < c->data->quotes.n && c->data->quotes.q[st->sel].id) {
            snprintf(q->quote_id, sizeof q->quote_id, "%s", c->data->quotes.q[st->sel].id);
            st->detail = true;
            panel_refetch(c->app, SRC_BIT(SRC_QUOTE));
        }
        return true;
    case ACT_FILTER:
        panel_prompt(c->app, T(c, MSG_QUOTES_SEARCH), q->quotes_search, set_search);
        return true;
    case ACT_BACK:
        /* Esc clears an active filter (and leaves a rep's drill-down). */
        if (!q->quotes_search[0] && !q->quotes_status && !q->rep_id[0])
            return panel_back(c->app);
        q->quotes_search[0] = '\0';
        q->quotes_status = 0;
        q->rep_id[0] = q->rep_name[0] = '\0';
        panel_back(c->app);
        q->quotes_page = 1;
        st->sel = st->scroll = 0;
        panel_status(c->app, false, "%s", T(c, MSG_FILTER_CLEARED));
        panel_refetch(c->app, SRC_BIT(SRC_QUOTES));
        return true;
    case ACT_STATUS_FILTER:
        q->quotes_status = data_quote_statuses[q->quotes_status + 1] ? q->quotes_status + 1 : 0;
        q->quotes_page = 1;
        panel_refetch(c->app, SRC_BIT(SRC_QUOTES));
        return true;
    case ACT_SORT:
        q->quotes_sort = data_quote_sorts[q->quotes_sort + 1] ? q->quotes_sort + 1 : 0;
        q->quotes_page = 1;
        panel_refetch(c->app, SRC_BIT(SRC_QUOTES));
        return true;
    case ACT_SORT_REVERSE:
        q->quotes_desc = !q->quotes_desc;
        q->quotes_page = 1;
        panel_refetch(c->app, SRC_BIT(SRC_QUOTES));
        return true;
    case ACT_BOTTOM:
        /* The last record of the list, not of this page. */
        if (c->data->quotes.page.pages > q->quotes_page) {
            page_to(c, (int)c->data->quotes.page.pages);
            st->sel = PANEL_SEL_LAST;
            return true;
        }
        break;
    case ACT_TOP:
        if (q->quotes_page > 1) {
            page_to(c, 1);
            return true;
        }
        break;
    case ACT_RIGHT:
        page_to(c, q->quotes_page + 1);
        return true;
    case ACT_LEFT:
        page_to(c, q->quotes_page - 1);
        return true;
    case ACT_PAGE_DOWN:
        if (st->sel >= st->rows - 1) {
            page_to(c, q->quotes_page + 1);
            return true;
        }
        break;
    case ACT_PAGE_UP:
        if (st->sel == 0 && q->quotes_page > 1) {
            page_to(c, q->quotes_page - 1);
            c->st->sel = c->data->q.page_size - 1;
            return true;
        }
        break;
    default:
        break;
    }
    return panel_list_move(st, a, c->data->quotes.n);
}

static void quotes_click(struct panel_ctx *c, int row)
{
    if (!c->st->detail)
        panel_list_click(c->st, row, c->data->quotes.n);
}

static void quotes_info(const struct panel_ctx *c, char *out, size_t n)
{
    const struct query *q = &c->data->q;
    const struct model_page *p = &c->data->quotes.page;
    if (c->st->detail) {
        snprintf(out, n, "%s", T(c, MSG_ESC_BACK));
        return;
    }
    static const enum msg_id sort_names[] = {MSG_SORT_CREATED, MSG_SORT_TOTAL, MSG_SORT_NUMBER,
                                             MSG_SORT_STATUS, MSG_SORT_VALID};
    char page[64], sort[64];
    panel_page_text(c, p, q->quotes_page, page, sizeof page);
    snprintf(sort, sizeof sort, T(c, MSG_SORT_BY), q->quotes_desc ? "-" : "",
             T(c, sort_names[q->quotes_sort]));
    snprintf(out, n, "%s%s%s · %s%s%s%s%s", q->rep_name, q->rep_name[0] ? " · " : "", page, sort,
             q->quotes_status ? " · " : "",
             q->quotes_status ? panel_api_status(c, data_quote_statuses[q->quotes_status]) : "",
             q->quotes_search[0] ? " · /" : "", q->quotes_search);
}

const struct panel panel_quotes = {
    .name = "quotes",
    .title = MSG_P_QUOTES,
    .sources = SRC_BIT(SRC_QUOTES), /* the detail (SRC_QUOTE) is fetched on Enter */
    .wide = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 40},
    .compact = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 40},
    .draw = quotes_draw,
    .on_key = quotes_key,
    .on_click = quotes_click,
    .info = quotes_info,
};
