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
    const struct m_expense *e = &rc->c->data->expenses.e[row];
    switch (col) {
    case 0:
        return e->date;
    case 1:
        return e->description;
    case 2:
        return e->category_name;
    case 3:
        pen->role = ROLE_DIM;
        return e->vendor_name ? e->vendor_name : e->user_name;
    case 4:
        panel_money(rc->c, e->amount, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 5:
        pen->role = status_role(e->status);
        return e->status;
    }
    return NULL;
}

static void expenses_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct m_expenses *ex = &c->data->expenses;
    struct panel_state *st = c->st;
    if (ex->n == 0) {
        panel_note(g, r, "no expenses with this status");
        return;
    }
    static const struct table_col cols[] = {
        {"Date", 10, 0, ALIGN_LEFT},     {"Description", 16, 5, ALIGN_LEFT},
        {"Category", 11, 1, ALIGN_LEFT}, {"Vendor", 10, 2, ALIGN_LEFT},
        {"Amount", 12, 0, ALIGN_RIGHT},  {"Status", 8, 0, ALIGN_LEFT},
    };
    struct row_ctx rc = {.c = c};
    if (st->sel >= ex->n)
        st->sel = ex->n - 1;
    struct table_spec t = {cols, 6, ex->n, st->sel, c->focused, cell, &rc};
    st->rows = ex->n;
    struct rect table = r;
    const struct m_expense *sel = st->sel >= 0 ? &ex->e[st->sel] : NULL;
    bool reason = sel && sel->rejection_reason && r.h > 4;
    if (reason)
        table.h--;
    st->visible = draw_table(g, table, &t, &st->scroll);
    if (reason)
        grid_putf(g, r.x, r.y + r.h - 1, r.w, PEN(ROLE_DIM), PUT_ELLIPSIS, "rejected: %s",
                  sel->rejection_reason);
}

/* ---------------------------------------------------------------- approve and reject */

static bool may_approve(struct panel_ctx *c)
{
    const char *role = c->data->me.role;
    if (!role)
        return true; /* unknown: let the server decide */
    if (!strcmp(role, "admin") || !strcmp(role, "super_admin") || !strcmp(role, "supervisor"))
        return true;
    panel_status(c->app, true, "your role (%s) may not approve or reject expenses", role);
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
    panel_mutate(a, "PUT", path, json,
                 !strcmp(status, "approved") ? "expense approved" : "expense rejected",
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
        panel_status(a, true, "a rejection needs a reason; nothing sent");
        return;
    }
    char q[160];
    snprintf(q, sizeof q, "Reject this expense because \"%.80s\"?", text);
    panel_confirm(a, q, reject_confirmed, d->q.expense_id, text, NULL);
}

/* The selected expense when it is pending; otherwise a status message and NULL. */
static const struct m_expense *pending_selection(struct panel_ctx *c)
{
    const struct m_expenses *ex = &c->data->expenses;
    if (c->st->sel < 0 || c->st->sel >= ex->n)
        return NULL;
    const struct m_expense *e = &ex->e[c->st->sel];
    if (!e->id)
        return NULL;
    if (e->status && strcmp(e->status, "pending") != 0) {
        panel_status(c->app, true, "only pending expenses change state (this one is %s)",
                     e->status);
        return NULL;
    }
    return e;
}

static bool expenses_key(struct panel_ctx *c, enum action a)
{
    struct query *q = &c->data->q;
    const struct m_expense *e;
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
        snprintf(question, sizeof question, "Approve \"%.60s\" (%s)?",
                 e->description ? e->description : "expense", money);
        panel_confirm(c->app, question, approve_confirmed, e->id, NULL, NULL);
        return true;
    case ACT_REJECT:
        if (!may_approve(c) || !(e = pending_selection(c)))
            return true;
        snprintf(q->expense_id, sizeof q->expense_id, "%s", e->id);
        panel_prompt(c->app, "reason for rejecting:", NULL, reject_reason);
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
    const struct m_page *p = &c->data->expenses.page;
    snprintf(out, n, "%s · page %ld/%ld · %ld · s status  a approve  x reject",
             data_expense_statuses[q->expenses_status], p->page ? p->page : q->expenses_page,
             p->pages, p->total);
}

const struct panel panel_expenses = {
    .name = "expenses",
    .title = "Expenses",
    .title_es = "Gastos",
    .sources = SRC_BIT(SRC_EXPENSES),
    .wide = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 40},
    .compact = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 40},
    .draw = expenses_draw,
    .on_key = expenses_key,
    .on_click = expenses_click,
    .info = expenses_info,
};
