/* Expenses view: a table by status; approve (a) and reject (x, with a reason), confirmed. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

/* Sources that change when an expense does. */
#define AFTER_MUTATION                                                                             \
    (SRC_BIT(SRC_EXPENSES) | SRC_BIT(SRC_KPIS) | SRC_BIT(SRC_EXPMONTHLY) | SRC_BIT(SRC_ACTIVITY))

struct row_ctx {
    const struct panel_ctx *c;
    char buf[64];
};

static enum color_role status_role(const char *s)
{
    if (!s)
        return ROLE_DIM;
    if (!strcmp(s, "approved"))
        return ROLE_GOOD;
    if (!strcmp(s, "rejected"))
        return ROLE_BAD;
    return ROLE_WARN;
}

static const char *cell(void *ud, int row, int col, struct pen *pen)
{
    struct row_ctx *rc = ud;
    const struct model_expense *e = &rc->c->data->expenses.e[row];
    switch (col) {
    case 0:
        return e->date;
    case 1:
        return e->description;
    case 2:
        return e->category_name;
    case 3:
        /* The vendor only: who submitted it has a column of its own. */
        pen->role = ROLE_DIM;
        return e->vendor_name && *e->vendor_name ? e->vendor_name : "-";
    case 4:
        return e->user_name;
    case 5:
        panel_money(rc->c, e->amount, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 6:
        pen->role = status_role(e->status);
        return panel_api_status(rc->c, e->status);
    }
    return NULL;
}

static void expenses_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_expenses *ex = &c->data->expenses;
    struct panel_state *st = c->st;
    if (ex->n == 0) {
        panel_note(g, r, T(c, MSG_EXPENSES_NONE));
        return;
    }
    /* Amount and status come before the wide text columns drop out. */
    const struct table_col cols[] = {
        {T(c, MSG_COL_DATE), 10, 0, ALIGN_LEFT},
        {T(c, MSG_COL_DESCRIPTION), 14, 5, ALIGN_LEFT},
        {T(c, MSG_COL_CATEGORY), 10, 1, ALIGN_LEFT},
        {T(c, MSG_COL_VENDOR), 10, 2, ALIGN_LEFT},
        {T(c, MSG_COL_SUBMITTED_BY), 12, 2, ALIGN_LEFT},
        {T(c, MSG_COL_AMOUNT), 12, 0, ALIGN_RIGHT},
        {T(c, MSG_COL_STATUS), 9, 0, ALIGN_LEFT},
    };
    struct row_ctx rc = {.c = c};
    if (st->sel >= ex->n)
        st->sel = ex->n - 1;
    /* The column each API sort key orders (1-based), for the header's mark. */
    static const int sort_cols[] = {1, 6, 7, 0};
    struct table_spec t = {cols,
                           7,
                           ex->n,
                           st->sel,
                           c->focused,
                           cell,
                           &rc,
                           sort_cols[c->data->q.expenses_sort],
                           c->data->q.expenses_desc};
    st->rows = ex->n;
    struct rect table = r;
    const struct model_expense *sel = st->sel >= 0 ? &ex->e[st->sel] : NULL;
    bool reason = sel && sel->rejection_reason && r.h > 4;
    if (reason)
        table.h--;
    st->visible = draw_table(g, table, &t, &st->scroll);
    if (reason)
        grid_putf(g, r.x, r.y + r.h - 1, r.w, PEN(ROLE_DIM), PUT_ELLIPSIS,
                  T(c, MSG_EXPENSE_REJECTED_BECAUSE), sel->rejection_reason);
}

/* ---------------------------------------------------------------- approve and reject */

static bool may_approve(struct panel_ctx *c)
{
    const char *role = c->data->me.role;
    if (!role)
        return true; /* unknown: let the server decide */
    if (!strcmp(role, "admin") || !strcmp(role, "super_admin") || !strcmp(role, "supervisor"))
        return true;
    panel_status(c->app, true, T(c, MSG_ROLE_MAY_NOT), role);
    return false;
}

static void send_status(struct app *a, const char *id, const char *status, const char *reason)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "status", status);
    if (reason)
        cJSON_AddStringToObject(body, "rejection_reason", reason);
    char *json = cJSON_PrintUnformatted(body);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/expenses/%s/status", id);
    panel_mutate(
        a, "PUT", path, json,
        panel_msg(a, !strcmp(status, "approved") ? MSG_EXPENSE_APPROVED : MSG_EXPENSE_REJECTED),
        AFTER_MUTATION);
    free(json);
    cJSON_Delete(body);
}

static void approve_confirmed(struct app *a, const char *const ctx[3])
{
    send_status(a, ctx[0], "approved", NULL);
}

static void reject_confirmed(struct app *a, const char *const ctx[3])
{
    send_status(a, ctx[0], "rejected", ctx[1]);
}

static void reject_reason(struct app *a, const char *text)
{
    struct data *d = panel_data(a);
    if (!text[0]) {
        panel_status(a, true, "%s", panel_msg(a, MSG_REJECT_NEEDS_REASON));
        return;
    }
    char q[160];
    snprintf(q, sizeof q, panel_msg(a, MSG_REJECT_CONFIRM), text);
    panel_confirm(a, q, reject_confirmed, d->q.expense_id, text, NULL);
}

/* The selected expense when it is pending; otherwise a status message and NULL. */
static const struct model_expense *pending_selection(struct panel_ctx *c)
{
    const struct model_expenses *ex = &c->data->expenses;
    if (c->st->sel < 0 || c->st->sel >= ex->n)
        return NULL;
    const struct model_expense *e = &ex->e[c->st->sel];
    if (!e->id)
        return NULL;
    if (e->status && strcmp(e->status, "pending") != 0) {
        panel_status(c->app, true, T(c, MSG_ONLY_PENDING), panel_api_status(c, e->status));
        return NULL;
    }
    return e;
}

static void set_search(struct app *a, const char *text)
{
    struct query *q = &panel_data(a)->q;
    snprintf(q->expenses_search, sizeof q->expenses_search, "%s", text);
    q->expenses_page = 1;
    panel_focused(a)->sel = panel_focused(a)->scroll = 0;
    panel_refetch(a, SRC_BIT(SRC_EXPENSES));
}

static bool expenses_key(struct panel_ctx *c, enum action a)
{
    struct query *q = &c->data->q;
    const struct model_expense *e;
    char money[FMT_MAX], question[160];
    switch (a) {
    case ACT_STATUS_FILTER:
        q->expenses_status =
            data_expense_statuses[q->expenses_status + 1] ? q->expenses_status + 1 : 0;
        q->expenses_page = 1;
        c->st->sel = c->st->scroll = 0;
        panel_refetch(c->app, SRC_BIT(SRC_EXPENSES));
        return true;
    case ACT_APPROVE:
        if (!may_approve(c) || !(e = pending_selection(c)))
            return true;
        format_money(e->amount, money, sizeof money);
        snprintf(question, sizeof question, T(c, MSG_APPROVE_CONFIRM),
                 e->description ? e->description : T(c, MSG_EXPENSE_FALLBACK), money);
        panel_confirm(c->app, question, approve_confirmed, e->id, NULL, NULL);
        return true;
    case ACT_REJECT:
        if (!may_approve(c) || !(e = pending_selection(c)))
            return true;
        snprintf(q->expense_id, sizeof q->expense_id, "%s", e->id);
        panel_prompt(c->app, T(c, MSG_REJECT_REASON), NULL, reject_reason);
        return true;
    case ACT_BOTTOM:
        /* The last record of the list, not of this page. */
        if (c->data->expenses.page.pages > q->expenses_page) {
            panel_page_to(c, &q->expenses_page, c->data->expenses.page.pages,
                          (int)c->data->expenses.page.pages, SRC_BIT(SRC_EXPENSES));
            c->st->sel = PANEL_SEL_LAST;
            return true;
        }
        return panel_list_move(c->st, a, c->data->expenses.n);
    case ACT_TOP:
        if (q->expenses_page > 1) {
            panel_page_to(c, &q->expenses_page, 0, 1, SRC_BIT(SRC_EXPENSES));
            return true;
        }
        return panel_list_move(c->st, a, c->data->expenses.n);
    case ACT_FILTER:
        panel_prompt(c->app, T(c, MSG_EXPENSES_SEARCH), q->expenses_search, set_search);
        return true;
    case ACT_SORT:
    case ACT_SORT_REVERSE:
        if (a == ACT_SORT)
            q->expenses_sort = data_expense_sorts[q->expenses_sort + 1] ? q->expenses_sort + 1 : 0;
        else
            q->expenses_desc = !q->expenses_desc;
        q->expenses_page = 1;
        c->st->sel = c->st->scroll = 0;
        panel_refetch(c->app, SRC_BIT(SRC_EXPENSES));
        return true;
    case ACT_BACK:
        /* Esc clears the filter first, then leaves a rep's drill-down. */
        if (q->expenses_search[0]) {
            set_search(c->app, "");
            panel_status(c->app, false, "%s", T(c, MSG_FILTER_CLEARED));
            panel_back(c->app); /* an activity drill-down comes back */
            return true;
        }
        if (!q->rep_id[0])
            return panel_back(c->app);
        q->rep_id[0] = q->rep_name[0] = '\0';
        q->expenses_status = 0;
        q->expenses_page = 1;
        c->st->sel = c->st->scroll = 0;
        panel_refetch(c->app, SRC_BIT(SRC_EXPENSES) | SRC_BIT(SRC_QUOTES));
        panel_back(c->app);
        return true;
    case ACT_RIGHT:
    case ACT_LEFT:
        panel_page_to(c, &q->expenses_page, c->data->expenses.page.pages,
                      q->expenses_page + (a == ACT_RIGHT ? 1 : -1), SRC_BIT(SRC_EXPENSES));
        return true;
    default:
        return panel_list_move(c->st, a, c->data->expenses.n);
    }
}

static void expenses_click(struct panel_ctx *c, int row)
{
    panel_list_click(c->st, row, c->data->expenses.n);
}

static void expenses_info(const struct panel_ctx *c, char *out, size_t n)
{
    const struct query *q = &c->data->q;
    const struct model_page *p = &c->data->expenses.page;
    char page[64];
    panel_page_text(c, p, q->expenses_page, page, sizeof page);
    static const enum msg_id sort_names[] = {MSG_SORT_DATE, MSG_SORT_AMOUNT, MSG_SORT_STATUS,
                                             MSG_SORT_ENTERED};
    char sort[64];
    snprintf(sort, sizeof sort, T(c, MSG_SORT_BY), q->expenses_desc ? "-" : "",
             T(c, sort_names[q->expenses_sort]));
    snprintf(out, n, "%s%s%s%s%s%s · %s · %s · %s", q->expenses_search[0] ? "/" : "",
             q->expenses_search, q->expenses_search[0] ? " · " : "", q->rep_name,
             q->rep_name[0] ? " · " : "", sort,
             panel_api_status(c, data_expense_statuses[q->expenses_status]), page,
             T(c, MSG_EXPENSES_HINT));
}

const struct panel panel_expenses = {
    .name = "expenses",
    .title = MSG_P_EXPENSES,
    .sources = SRC_BIT(SRC_EXPENSES),
    .wide = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 40},
    .compact = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 40},
    .draw = expenses_draw,
    .on_key = expenses_key,
    .on_click = expenses_click,
    .info = expenses_info,
};
