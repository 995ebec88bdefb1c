/* Resource JSON (quotes, expenses, quotas and alerts, users) to model structs. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_priv.h"
#include "xalloc.h"

/* Reads one JSON object o into the element at dst. */
typedef void (*item_read_fn)(const cJSON *o, void *dst);

/* Parses a list answer: allocates *arr for its items (elem bytes each), reads
 * every object item with read into the next element (counted in *n) and fills
 * *page, whose total defaults to *n. Returns 0, or -1 with a malloc'd *err. */
static int list_parse(const char *json, size_t elem, void **arr, int *n, struct model_page *page,
                      item_read_fn read, char **err)
{
    cJSON *root = model_json_parse(json, 0, err);
    if (!root)
        return -1;
    const cJSON *items = model_json_items(root);
    int cap = items ? cJSON_GetArraySize(items) : 0;
    *arr = cap > 0 ? xcalloc((size_t)cap, elem) : NULL;
    const cJSON *o;
    cJSON_ArrayForEach(o, items)
    {
        if (cJSON_IsObject(o))
            read(o, (char *)*arr + (size_t)(*n)++ * elem);
    }
    model_json_page(root, page);
    if (!page->total)
        page->total = *n;
    cJSON_Delete(root);
    return 0;
}

/* Parses a one-object answer into dst with read. Returns 0, or -1 with a
 * malloc'd *err. */
static int object_parse(const char *json, void *dst, item_read_fn read, char **err)
{
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    read(root, dst);
    cJSON_Delete(root);
    return 0;
}

/* ---------------------------------------------------------------- quotes */

static void quote_read(const cJSON *o, void *dst)
{
    struct model_quote *q = dst;
    memset(q, 0, sizeof *q);
    q->id = model_json_str(o, "id");
    q->quote_number = model_json_str(o, "quote_number");
    q->status = model_json_str(o, "status");
    q->currency = model_json_str(o, "currency");
    q->valid_until = model_json_str(o, "valid_until");
    q->notes = model_json_str(o, "notes");
    q->created_at = model_json_str(o, "created_at");
    q->sent_at = model_json_str(o, "sent_at");
    q->accepted_at = model_json_str(o, "accepted_at");
    q->total = model_json_num(o, "total_amount", NULL);
    const cJSON *client = model_json_obj(o, "client");
    q->client_id = client ? model_json_str(client, "id") : model_json_str(o, "client_id");
    q->client_name = client ? model_json_str(client, "name") : model_json_str(o, "client_name");
    const cJSON *rep = model_json_obj(o, "sales_rep");
    q->rep_id = rep ? model_json_str(rep, "id") : model_json_str(o, "sales_rep_id");
    q->rep_name = rep ? model_json_str(rep, "full_name") : model_json_str(o, "sales_rep_name");
    const cJSON *items = model_json_arr(o, "items");
    int n = items ? cJSON_GetArraySize(items) : 0;
    q->items = n ? xcalloc((size_t)n, sizeof *q->items) : NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        if (!cJSON_IsObject(it))
            continue;
        struct model_quote_item *x = &q->items[q->nitems++];
        x->product_name = model_json_str(it, "product_name");
        x->description = model_json_str(it, "description");
        x->quantity = model_json_num(it, "quantity", NULL);
        x->unit_price = model_json_num(it, "unit_price", NULL);
        x->discount_percent = model_json_num(it, "discount_percent", NULL);
        x->subtotal = model_json_num(it, "subtotal", NULL);
    }
}

void model_quote_free(struct model_quote *q)
{
    char **s[] = {&q->id,         &q->quote_number, &q->status,      &q->currency, &q->valid_until,
                  &q->notes,      &q->client_id,    &q->client_name, &q->rep_id,   &q->rep_name,
                  &q->created_at, &q->sent_at,      &q->accepted_at};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(*s[i]);
    for (int i = 0; i < q->nitems; i++) {
        free(q->items[i].product_name);
        free(q->items[i].description);
    }
    free(q->items);
    memset(q, 0, sizeof *q);
}

int model_parse_quotes(const char *json, struct model_quotes *out, char **err)
{
    memset(out, 0, sizeof *out);
    return list_parse(json, sizeof *out->q, (void **)&out->q, &out->n, &out->page, quote_read, err);
}

int model_parse_quote(const char *json, struct model_quote *out, char **err)
{
    memset(out, 0, sizeof *out);
    return object_parse(json, out, quote_read, err);
}

void model_quotes_free(struct model_quotes *m)
{
    for (int i = 0; i < m->n; i++)
        model_quote_free(&m->q[i]);
    free(m->q);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- expenses */

static void expense_read(const cJSON *o, void *dst)
{
    struct model_expense *e = dst;
    memset(e, 0, sizeof *e);
    e->id = model_json_str(o, "id");
    e->description = model_json_str(o, "description");
    e->status = model_json_str(o, "status");
    e->date = model_json_str(o, "date");
    e->currency = model_json_str(o, "currency");
    e->vendor_name = model_json_str(o, "vendor_name");
    e->user_id = model_json_str(o, "user_id");
    e->rejection_reason = model_json_str(o, "rejection_reason");
    e->amount = model_json_num(o, "amount", NULL);
    const cJSON *cat = model_json_obj(o, "category");
    e->category_name = model_json_str(cat, "name");
    e->category_color = model_json_str(cat, "color");
    const cJSON *user = model_json_obj(o, "user");
    e->user_name = user ? model_json_str(user, "full_name") : model_json_str(o, "user_name");
}

void model_expense_free(struct model_expense *e)
{
    char **s[] = {&e->id,
                  &e->description,
                  &e->status,
                  &e->date,
                  &e->currency,
                  &e->vendor_name,
                  &e->user_id,
                  &e->user_name,
                  &e->category_name,
                  &e->category_color,
                  &e->rejection_reason};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(*s[i]);
    memset(e, 0, sizeof *e);
}

int model_parse_expenses(const char *json, struct model_expenses *out, char **err)
{
    memset(out, 0, sizeof *out);
    return list_parse(json, sizeof *out->e, (void **)&out->e, &out->n, &out->page, expense_read,
                      err);
}

int model_parse_expense(const char *json, struct model_expense *out, char **err)
{
    memset(out, 0, sizeof *out);
    return object_parse(json, out, expense_read, err);
}

void model_expenses_free(struct model_expenses *m)
{
    for (int i = 0; i < m->n; i++)
        model_expense_free(&m->e[i]);
    free(m->e);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- quotas and alerts */

static void quota_read(const cJSON *o, void *dst)
{
    struct model_quota *q = dst;
    q->id = model_json_str(o, "id");
    q->user_id = model_json_str(o, "user_id");
    const cJSON *user = model_json_obj(o, "user");
    q->user_name = user ? model_json_str(user, "full_name") : model_json_str(o, "user_name");
    q->year = (int)model_json_long(o, "year", 0);
    q->month = (int)model_json_long(o, "month", 0);
    q->target = model_json_num(o, "target_amount", NULL);
    q->achieved = model_json_num(o, "achieved", &q->has_achieved);
    q->percent = model_json_num(o, "percent", NULL);
}

int model_parse_quotas(const char *json, struct model_quotas *out, char **err)
{
    memset(out, 0, sizeof *out);
    return list_parse(json, sizeof *out->q, (void **)&out->q, &out->n, &out->page, quota_read, err);
}

void model_quotas_free(struct model_quotas *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->q[i].id);
        free(m->q[i].user_id);
        free(m->q[i].user_name);
    }
    free(m->q);
    memset(m, 0, sizeof *m);
}

int model_parse_alerts(const char *json, struct model_alerts *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, 0, err);
    if (!root)
        return -1;
    const cJSON *a = cJSON_IsArray(root) ? root : model_json_arr(root, "alerts");
    if (!a)
        a = model_json_arr(root, "items");
    if (!a)
        a = model_json_arr(root, "reps");
    int n = a ? cJSON_GetArraySize(a) : 0;
    out->a = n ? xcalloc((size_t)n, sizeof *out->a) : NULL;
    const cJSON *o;
    cJSON_ArrayForEach(o, a)
    {
        if (cJSON_IsObject(o))
            model_json_rep(o, &out->a[out->n++]);
    }
    cJSON_Delete(root);
    return 0;
}

void model_alerts_free(struct model_alerts *m)
{
    for (int i = 0; i < m->n; i++)
        model_json_rep_free(&m->a[i]);
    free(m->a);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- users */

static void user_read(const cJSON *o, void *dst)
{
    struct model_user *u = dst;
    memset(u, 0, sizeof *u);
    u->id = model_json_str(o, "id");
    u->email = model_json_str(o, "email");
    u->full_name = model_json_str(o, "full_name");
    u->role = model_json_str(o, "role");
    u->last_login = model_json_str(o, "last_login");
    u->is_active = model_json_bool(o, "is_active", true);
}

void model_user_free(struct model_user *u)
{
    free(u->id);
    free(u->email);
    free(u->full_name);
    free(u->role);
    free(u->last_login);
    memset(u, 0, sizeof *u);
}

int model_parse_user(const char *json, struct model_user *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    const cJSON *inner = model_json_obj(root, "user");
    user_read(inner ? inner : root, out);
    cJSON_Delete(root);
    return 0;
}

int model_parse_users(const char *json, struct model_users *out, char **err)
{
    memset(out, 0, sizeof *out);
    return list_parse(json, sizeof *out->u, (void **)&out->u, &out->n, &out->page, user_read, err);
}

void model_users_free(struct model_users *m)
{
    for (int i = 0; i < m->n; i++)
        model_user_free(&m->u[i]);
    free(m->u);
    memset(m, 0, sizeof *m);
}

const char *model_user_name(const struct model_users *m, const char *id)
{
    for (int i = 0; id && m && i < m->n; i++)
        if (m->u[i].id && strcmp(m->u[i].id, id) == 0)
            return m->u[i].full_name;
    return NULL;
}
