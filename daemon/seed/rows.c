/* Streams each demo table, in COPY text format, from the plan made by gen.c. */
#include "seed/gen.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define HOUR 3600

static const char *const quote_status_names[] = {"draft", "sent", "accepted", "rejected",
                                                 "expired"};
static const char *const client_status_names[] = {"lead", "prospect", "active", "inactive", "lost"};
static const char *const expense_status_names[] = {"pending", "approved", "rejected"};
static const char *const industry_names[] = {
    "technology",  "healthcare",   "finance",     "retail",         "manufacturing",
    "education",   "real_estate",  "hospitality", "transportation", "energy",
    "agriculture", "construction", "consulting",  "other"};
enum { N_INDUSTRIES = 14, N_CLIENT_STATUSES = 5 };
enum { E_PENDING, E_APPROVED, E_REJECTED };

/* The demo's skews: client mix, expense mix and amounts, who spends. */
static const unsigned client_status_weights[N_CLIENT_STATUSES] = {15, 20, 40, 15, 10};
static const unsigned category_weights[SG_CATEGORIES] = {30, 8, 15, 25, 12, 10};
static const int64_t category_min[SG_CATEGORIES] = {2500, 6000, 250, 1200, 6500, 500};
static const int64_t category_max[SG_CATEGORIES] = {12000, 90000, 4500, 9500, 26000, 30000};
/* Expense submitters: admin, supervisor, rep1..rep5, analyst. */
static const unsigned expense_user_weights[SG_USERS] = {2, 8, 18, 18, 18, 18, 18, 0};

static void col_tp(struct sg_buf *b, struct sg_tp t)
{
    sg_col_ts(b, t.day, t.sec);
}

static long emit_tenants(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    struct sg_tp created = sg_at(g, g->start - 120, 9 * HOUR);

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        const struct sg_tenant_def *def = &sg_tenants[ti];
        sg_col_str(b, g->t[ti].id);
        sg_col_str(b, def->company_name);
        sg_col_str(b, def->domain);
        sg_col_bool(b, 1);
        sg_col_str(b, def->settings);
        sg_col_str(b, "pro");
        col_tp(b, created);
        col_tp(b, created);
        if (sg_row_end(b) != 0)
            return -1;
    }
    return sg_emit_end(b, SG_TENANTS);
}

static long emit_users(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    struct sg_rng r;

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        const struct sg_tenant_def *def = &sg_tenants[ti];
        sg_rng_stream(&r, g->seed, ti, 'U');
        for (int u = 0; u < SG_USERS; u++) {
            const struct sg_user_def *ud = &def->users[u];
            struct sg_tp created = sg_at(g, g->start - 90 + u, 10 * HOUR);
            struct sg_tp login = sg_at(g, g->today - (int32_t)sg_rng_below(&r, 4),
                                       7 * HOUR + (int64_t)sg_rng_below(&r, 12 * HOUR));
            sg_col_str(b, g->t[ti].user_ids[u]);
            sg_col_str(b, g->t[ti].id);
            sg_col_fmt(b, "%s@%s", ud->local, def->domain);
            sg_col_str(b, g->pwhash);
            sg_col_str(b, ud->full_name);
            sg_col_str(b, ud->role);
            sg_col_bool(b, 1);
            if (u == SG_U_ANALYST)
                sg_col_null(b);
            else
                col_tp(b, login);
            col_tp(b, created);
            col_tp(b, created);
            if (sg_row_end(b) != 0)
                return -1;
        }
    }
    return sg_emit_end(b, SG_TENANTS * SG_USERS);
}

static long emit_categories(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    struct sg_tp created = sg_at(g, g->start - 100, 11 * HOUR);

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        for (int c = 0; c < SG_CATEGORIES; c++) {
            sg_col_str(b, g->t[ti].cat_ids[c]);
            sg_col_str(b, g->t[ti].id);
            sg_col_str(b, sg_category_names[c]);
            sg_col_str(b, sg_tenants[ti].categories[c].description);
            sg_col_str(b, sg_category_icons[c]);
            sg_col_str(b, sg_category_colors[c]);
            sg_col_bool(b, 1);
            col_tp(b, created);
            col_tp(b, created);
            if (sg_row_end(b) != 0)
                return -1;
        }
    }
    return sg_emit_end(b, SG_TENANTS * SG_CATEGORIES);
}

/* Client i of tenant ti; the first few cover every industry, status and type. */
static void client_row(struct seedgen *g, int ti, size_t i, struct sg_buf *b)
{
    const struct sg_tenant_def *def = &sg_tenants[ti];
    const struct sg_client *c = &g->t[ti].clients[i];
    const struct sg_place *pl;
    char name[256], slug[128], slug2[64], id[UUID_STR_LEN + 1];
    int individual, industry, status, deleted, with_city, tag;
    uint32_t a, bb, cc, phone, back;
    struct sg_tp created, del;
    struct sg_rng r;

    created = sg_at(g, c->w.day, c->w.sec);
    sg_rng_init(&r, c->w.seed);
    sg_rng_uuid_v7(&r, sg_unix_ms(created, &r), id); /* replays the planned id's draws */
    individual = sg_rng_below(&r, 100) < 25;
    industry = (int)sg_rng_below(&r, N_INDUSTRIES);
    status = (int)sg_rng_weighted(&r, client_status_weights, N_CLIENT_STATUSES);
    a = sg_rng_below(&r, (uint32_t)(individual ? def->nfirst : def->na));
    bb = sg_rng_below(&r, (uint32_t)(individual ? def->nlast : def->nb));
    cc = sg_rng_below(&r, (uint32_t)(individual ? def->nlast : def->nc));
    pl = &def->places[sg_rng_below(&r, (uint32_t)def->nplaces)];
    with_city = sg_rng_below(&r, 2);
    phone = sg_rng_below(&r, 100000000);
    tag = (int)sg_rng_below(&r, (uint32_t)sg_ntags * 3);
    deleted = sg_rng_below(&r, 100) < 2;
    back = sg_rng_below(&r, 30);
    if (i < N_INDUSTRIES)
        industry = (int)i;
    if (i < N_CLIENT_STATUSES)
        status = (int)i;
    if (i < 2)
        individual = (int)i;

    if (individual) {
        snprintf(name, sizeof name, "%s %s", def->first_names[a % def->nfirst],
                 def->last_names[bb % def->nlast]);
        sg_slugify(def->first_names[a % def->nfirst], slug2, sizeof slug2);
        sg_slugify(def->last_names[bb % def->nlast], slug, sizeof slug);
    } else {
        snprintf(name, sizeof name, "%s %s%s%s %s", def->company_a[a % def->na],
                 def->company_b[bb % def->nb], with_city ? " " : "", with_city ? pl->city : "",
                 def->company_c[cc % def->nc]);
        sg_slugify(def->company_a[a % def->na], slug2, sizeof slug2);
        snprintf(slug, sizeof slug, "%s", slug2);
        sg_slugify(def->company_b[bb % def->nb], slug2, sizeof slug2);
    }
    del = sg_tp_max(created, sg_at(g, g->today - (int32_t)back, 9 * HOUR));

    sg_col_str(b, c->id);
    sg_col_str(b, g->t[ti].id);
    sg_col_str(b, name);
    sg_col_str(b, individual ? "individual" : "company");
    if (individual)
        sg_col_fmt(b, "%s.%s@mail.example", slug2, slug);
    else
        sg_col_fmt(b, "info@%s%s.example", slug, slug2);
    sg_col_fmt(b, def->phone_fmt, (int)(phone % def->phone_mod));
    if (individual)
        sg_col_null(b);
    else
        sg_col_fmt(b, "https://www.%s%s.example", slug, slug2);
    sg_col_str(b, pl->city);
    sg_col_str(b, pl->country);
    sg_col_str(b, industry_names[industry]);
    sg_col_str(b, client_status_names[status]);
    sg_col_null(b);
    if (tag < (int)sg_ntags)
        sg_col_str(b, sg_tags[tag]);
    else
        sg_col_null(b);
    col_tp(b, created);
    col_tp(b, deleted ? del : created);
    sg_col_bool(b, deleted);
    if (deleted)
        col_tp(b, del);
    else
        sg_col_null(b);
}

static long emit_clients(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        for (size_t i = 0; i < g->t[ti].nclients; i++, rows++) {
            client_row(g, ti, i, b);
            if (sg_row_end(b) != 0)
                return -1;
        }
    }
    return sg_emit_end(b, rows);
}

static long emit_quotes(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        const struct sg_tstate *t = &g->t[ti];
        for (size_t i = 0; i < t->nquotes; i++, rows++) {
            const struct sg_quote *h = &t->quotes[i];
            struct sg_qfull q;
            struct sg_tp updated;
            int y, m, d;
            sg_quote_derive(g, ti, h, &q);
            date_from_days(h->w.day, &y, &m, &d);
            updated = q.created;
            sg_col_str(b, q.id);
            sg_col_str(b, t->id);
            sg_col_str(b, t->clients[q.client].id);
            sg_col_str(b, t->user_ids[SG_U_REP1 + q.rep]);
            sg_col_fmt(b, "Q-%04d-%06u", y, h->number);
            sg_col_money(b, q.total);
            sg_col_str(b, "USD");
            sg_col_str(b, quote_status_names[q.status]);
            sg_col_date(b, q.valid_until);
            if (q.note < (int)sg_tenants[ti].nnotes)
                sg_col_str(b, sg_tenants[ti].quote_notes[q.note]);
            else
                sg_col_null(b);
            if (q.status != SG_Q_DRAFT) {
                col_tp(b, q.sent);
                updated = q.sent;
            } else {
                sg_col_null(b);
            }
            if (q.status == SG_Q_ACCEPTED) {
                col_tp(b, q.accepted);
                updated = q.accepted;
            } else {
                sg_col_null(b);
            }
            col_tp(b, q.created);
            col_tp(b, q.deleted ? q.deleted_at : updated);
            sg_col_bool(b, q.deleted);
            if (q.deleted)
                col_tp(b, q.deleted_at);
            else
                sg_col_null(b);
            if (sg_row_end(b) != 0)
                return -1;
        }
    }
    return sg_emit_end(b, rows);
}

static long emit_quote_items(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        const struct sg_tstate *t = &g->t[ti];
        for (size_t i = 0; i < t->nquotes; i++) {
            struct sg_qfull q;
            sg_quote_derive(g, ti, &t->quotes[i], &q);
            for (int k = 0; k < q.nitems; k++, rows++) {
                const struct sg_item *it = &q.items[k];
                sg_col_str(b, it->id);
                sg_col_str(b, t->id);
                sg_col_str(b, q.id);
                sg_col_str(b, sg_tenants[ti].products[it->product].name);
                sg_col_null(b);
                sg_col_money(b, it->qty);
                sg_col_money(b, it->price);
                sg_col_money(b, it->disc);
                sg_col_money(b, it->subtotal);
                col_tp(b, q.created);
                col_tp(b, q.created);
                if (sg_row_end(b) != 0)
                    return -1;
            }
        }
    }
    return sg_emit_end(b, rows);
}

/* Expense e of tenant ti: mostly approved; recent ones still pending. */
static void expense_row(struct seedgen *g, int ti, const struct sg_when *w, struct sg_buf *b)
{
    const struct sg_tenant_def *def = &sg_tenants[ti];
    const struct sg_tstate *t = &g->t[ti];
    struct sg_tp created = sg_at(g, w->day, w->sec), decided;
    int u, c, status, approver, deleted;
    uint32_t text, vendor, su, appr, reason, receipt;
    int32_t delay;
    int64_t amount;
    char id[UUID_STR_LEN + 1];
    struct sg_rng r;

    sg_rng_init(&r, w->seed);
    sg_rng_uuid_v7(&r, sg_unix_ms(created, &r), id);
    u = (int)sg_rng_weighted(&r, expense_user_weights, SG_USERS);
    c = (int)sg_rng_weighted(&r, category_weights, SG_CATEGORIES);
    amount = category_min[c] + sg_rng_below(&r, (uint32_t)(category_max[c] - category_min[c] + 1));
    text = sg_rng_below(&r, 3);
    vendor = sg_rng_below(&r, 3);
    su = sg_rng_below(&r, 100);
    appr = sg_rng_below(&r, 100);
    delay = HOUR + (int32_t)sg_rng_below(&r, 5 * DAY);
    reason = sg_rng_below(&r, (uint32_t)def->nreject);
    receipt = sg_rng_below(&r, 1000000);
    deleted = sg_rng_below(&r, 100) < 5;

    if (g->today - w->day <= 21)
        status = su < 45 ? E_PENDING : su < 95 ? E_APPROVED : E_REJECTED;
    else
        status = su < 3 ? E_PENDING : su < 91 ? E_APPROVED : E_REJECTED;
    deleted = deleted && status == E_PENDING; /* people withdraw their own pending claims */
    if (u == SG_U_SUPERVISOR)
        approver = SG_U_ADMIN;
    else if (u == SG_U_ADMIN)
        approver = SG_U_SUPERVISOR;
    else
        approver = appr < 75 ? SG_U_SUPERVISOR : SG_U_ADMIN;
    decided = sg_at(g, w->day, (int64_t)w->sec + delay);

    sg_col_str(b, id);
    sg_col_str(b, t->id);
    sg_col_str(b, t->user_ids[u]);
    sg_col_str(b, t->cat_ids[c]);
    sg_col_money(b, amount);
    sg_col_str(b, "USD");
    sg_col_str(b, def->categories[c].items[text]);
    sg_col_date(b, w->day);
    sg_col_str(b, expense_status_names[status]);
    if (status == E_PENDING) {
        sg_col_null(b);
        sg_col_null(b);
    } else {
        sg_col_str(b, t->user_ids[approver]);
        col_tp(b, decided);
    }
    if (status == E_REJECTED)
        sg_col_str(b, def->reject_reasons[reason]);
    else
        sg_col_null(b);
    sg_col_str(b, def->categories[c].vendors[vendor]);
    sg_col_fmt(b, "R-%06u", receipt);
    sg_col_null(b);
    col_tp(b, created);
    col_tp(b, status == E_PENDING && !deleted ? created : decided);
    sg_col_bool(b, deleted);
    if (deleted)
        col_tp(b, decided);
    else
        sg_col_null(b);
}

static long emit_expenses(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        for (size_t i = 0; i < g->t[ti].nexpenses; i++, rows++) {
            expense_row(g, ti, &g->t[ti].expenses[i], b);
            if (sg_row_end(b) != 0)
                return -1;
        }
    }
    return sg_emit_end(b, rows);
}

/* A target for every rep and every month of the window, around the rep's
 * average monthly revenue, rounded to 500.00. */
static long emit_quotas(struct seedgen *g, const struct sg_sink *sink)
{
    struct sg_buf *b = sg_emit_begin(g, sink);
    int y0, m0, y1, m1, d;
    long rows = 0;
    struct sg_rng r;

    date_from_days(g->start, &y0, &m0, &d);
    date_from_days(g->today, &y1, &m1, &d);
    for (int ti = 0; ti < SG_TENANTS; ti++) {
        const struct sg_tstate *t = &g->t[ti];
        sg_rng_stream(&r, g->seed, ti, 'T');
        for (int rep = 0; rep < SG_REPS; rep++) {
            double monthly = (double)t->rep_revenue[rep] * 30.44 / g->span;
            for (int y = y0, m = m0; y < y1 || (y == y1 && m <= m1); m = m % 12 + 1, y += m == 1) {
                char id[UUID_STR_LEN + 1];
                double factor;
                int64_t target;
                struct sg_tp created;
                sg_rng_uuid(&r, id);
                factor = 0.85 + 0.45 * sg_rng_unit(&r);
                target = (int64_t)(monthly * factor / 50000.0 + 0.5) * 50000;
                if (target < 100000)
                    target = 100000;
                created = sg_at(g, (int32_t)date_to_days(y, m, 1) - 5, 9 * HOUR);
                sg_col_str(b, id);
                sg_col_str(b, t->id);
                sg_col_str(b, t->user_ids[SG_U_REP1 + rep]);
                sg_col_int(b, y);
                sg_col_int(b, m);
                sg_col_money(b, target);
                col_tp(b, created);
                col_tp(b, created);
                rows++;
                if (sg_row_end(b) != 0)
                    return -1;
            }
        }
    }
    return sg_emit_end(b, rows);
}

static long emit_vehicles(struct seedgen *g, const struct sg_sink *sink)
{
    static const char letters[] = "BCDFGHJKLMNPRSTVWXYZ";
    static const char *const status[SG_VEHICLES] = {
        "active", "active", "active",      "active",      "active",
        "active", "active", "maintenance", "maintenance", "inactive"};
    struct sg_buf *b = sg_emit_begin(g, sink);
    struct sg_rng r;

    for (int ti = 0; ti < SG_TENANTS; ti++) {
        const struct sg_tstate *t = &g->t[ti];
        sg_rng_stream(&r, g->seed, ti, 'V');
        for (int v = 0; v < SG_VEHICLES; v++) {
            const struct sg_vehicle_def *vd = &sg_vehicles[v];
            char id[UUID_STR_LEN + 1];
            uint32_t num, l1, l2, l3, year, km;
            struct sg_tp created = sg_at(g, g->start - 60 + v, 10 * HOUR);
            sg_rng_uuid(&r, id);
            num = sg_rng_below(&r, 10000);
            l1 = sg_rng_below(&r, 20);
            l2 = sg_rng_below(&r, 20);
            l3 = sg_rng_below(&r, 20);
            year = 2015 + sg_rng_below(&r, 10);
            km = 500000 + sg_rng_below(&r, 25000000);
            sg_col_str(b, id);
            sg_col_str(b, t->id);
            sg_col_fmt(b, sg_tenants[ti].plate_fmt, (int)num, letters[l1], letters[l2],
                       letters[l3]);
            sg_col_str(b, vd->brand);
            sg_col_str(b, vd->model);
            sg_col_int(b, year);
            sg_col_str(b, vd->type);
            sg_col_str(b, status[v]);
            if (v < SG_REPS)
                sg_col_str(b, t->user_ids[SG_U_REP1 + v]);
            else if (v == SG_REPS)
                sg_col_str(b, t->user_ids[SG_U_SUPERVISOR]);
            else
                sg_col_null(b);
            sg_col_money(b, km);
            col_tp(b, created);
            col_tp(b, created);
            sg_col_bool(b, 0);
            sg_col_null(b);
            if (sg_row_end(b) != 0)
                return -1;
        }
    }
    return sg_emit_end(b, SG_TENANTS * SG_VEHICLES);
}

/* ---------------------------------------------------------------- tables */

const struct sg_table sg_tables[] = {
    {"tenants",
     "COPY tenants (id, company_name, domain, is_active, settings, subscription_plan,"
     " created_at, updated_at) FROM STDIN",
     emit_tenants},
    {"users",
     "COPY users (id, tenant_id, email, hashed_password, full_name, role, is_active,"
     " last_login, created_at, updated_at) FROM STDIN",
     emit_users},
    {"expense_categories",
     "COPY expense_categories (id, tenant_id, name, description, icon, color, is_active,"
     " created_at, updated_at) FROM STDIN",
     emit_categories},
    {"clients",
     "COPY clients (id, tenant_id, name, client_type, email, phone, website, city, country,"
     " industry, status, notes, tags, created_at, updated_at, is_deleted, deleted_at) FROM STDIN",
     emit_clients},
    {"quotes",
     "COPY quotes (id, tenant_id, client_id, sales_rep_id, quote_number, total_amount, currency,"
     " status, valid_until, notes, sent_at, accepted_at, created_at, updated_at, is_deleted,"
     " deleted_at) FROM STDIN",
     emit_quotes},
    {"quote_items",
     "COPY quote_items (id, tenant_id, quote_id, product_name, description, quantity,"
     " unit_price, discount_percent, subtotal, created_at, updated_at) FROM STDIN",
     emit_quote_items},
    {"expenses",
     "COPY expenses (id, tenant_id, user_id, category_id, amount, currency, description, date,"
     " status, approved_by, approved_at, rejection_reason, vendor_name, receipt_number, notes,"
     " created_at, updated_at, is_deleted, deleted_at) FROM STDIN",
     emit_expenses},
    {"quotas",
     "COPY quotas (id, tenant_id, user_id, year, month, target_amount, created_at, updated_at)"
     " FROM STDIN",
     emit_quotas},
    {"vehicles",
     "COPY vehicles (id, tenant_id, plate_number, brand, model, year, vehicle_type, status,"
     " assigned_driver_id, mileage_km, created_at, updated_at, is_deleted, deleted_at)"
     " FROM STDIN",
     emit_vehicles},
};
const size_t sg_ntables = sizeof sg_tables / sizeof sg_tables[0];
