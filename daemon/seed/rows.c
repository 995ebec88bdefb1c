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
static const unsigned category_weights[SEED_CATEGORIES] = {30, 8, 15, 25, 12, 10};
static const int64_t category_min[SEED_CATEGORIES] = {2500, 6000, 250, 1200, 6500, 500};
static const int64_t category_max[SEED_CATEGORIES] = {12000, 90000, 4500, 9500, 26000, 30000};
/* Expense submitters: admin, supervisor, rep1..rep5, analyst. */
static const unsigned expense_user_weights[SEED_USERS] = {2, 8, 18, 18, 18, 18, 18, 0};

static void col_tp(struct seed_buf *b, struct seed_tp t)
{
    seed_col_ts(b, t.day, t.sec);
}

static long emit_tenants(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    struct seed_tp created = seed_at(g, g->start - 120, 9 * HOUR);

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tenant_def *def = &seed_tenants[ti];
        seed_col_str(b, g->t[ti].id);
        seed_col_str(b, def->company_name);
        seed_col_str(b, def->domain);
        seed_col_bool(b, 1);
        seed_col_str(b, def->settings);
        seed_col_str(b, "pro");
        col_tp(b, created);
        col_tp(b, created);
        if (seed_row_end(b) != 0)
            return -1;
    }
    return seed_emit_end(b, SEED_TENANTS);
}

static long emit_users(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    struct seed_rng r;

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tenant_def *def = &seed_tenants[ti];
        seed_rng_stream(&r, g->seed, ti, 'U');
        for (int u = 0; u < SEED_USERS; u++) {
            const struct seed_user_def *ud = &def->users[u];
            struct seed_tp created = seed_at(g, g->start - 90 + u, 10 * HOUR);
            struct seed_tp login = seed_at(g, g->today - (int32_t)seed_rng_below(&r, 4),
                                           7 * HOUR + (int64_t)seed_rng_below(&r, 12 * HOUR));
            seed_col_str(b, g->t[ti].user_ids[u]);
            seed_col_str(b, g->t[ti].id);
            seed_col_fmt(b, "%s@%s", ud->local, def->domain);
            seed_col_str(b, g->pwhash);
            seed_col_str(b, ud->full_name);
            seed_col_str(b, ud->role);
            seed_col_bool(b, 1);
            if (u == SEED_U_ANALYST)
                seed_col_null(b);
            else
                col_tp(b, login);
            col_tp(b, created);
            col_tp(b, created);
            if (seed_row_end(b) != 0)
                return -1;
        }
    }
    return seed_emit_end(b, SEED_TENANTS * SEED_USERS);
}

static long emit_categories(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    struct seed_tp created = seed_at(g, g->start - 100, 11 * HOUR);

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        for (int c = 0; c < SEED_CATEGORIES; c++) {
            seed_col_str(b, g->t[ti].cat_ids[c]);
            seed_col_str(b, g->t[ti].id);
            seed_col_str(b, seed_category_names[c]);
            seed_col_str(b, seed_tenants[ti].categories[c].description);
            seed_col_str(b, seed_category_icons[c]);
            seed_col_str(b, seed_category_colors[c]);
            seed_col_bool(b, 1);
            col_tp(b, created);
            col_tp(b, created);
            if (seed_row_end(b) != 0)
                return -1;
        }
    }
    return seed_emit_end(b, SEED_TENANTS * SEED_CATEGORIES);
}

/* Client i of tenant ti; the first few cover every industry, status and type. */
static void client_row(struct seedgen *g, int ti, size_t i, struct seed_buf *b)
{
    const struct seed_tenant_def *def = &seed_tenants[ti];
    const struct seed_client *c = &g->t[ti].clients[i];
    const struct seed_place *pl;
    char name[256], slug[128], slug2[64], id[UUID_STR_LEN + 1];
    int individual, industry, status, deleted, with_city, tag;
    uint32_t a, bb, cc, phone, back;
    struct seed_tp created, del;
    struct seed_rng r;

    created = seed_at(g, c->w.day, c->w.sec);
    seed_rng_init(&r, c->w.seed);
    seed_rng_uuid_v7(&r, seed_unix_ms(created, &r), id); /* replays the planned id's draws */
    individual = seed_rng_below(&r, 100) < 25;
    industry = (int)seed_rng_below(&r, N_INDUSTRIES);
    status = (int)seed_rng_weighted(&r, client_status_weights, N_CLIENT_STATUSES);
    a = seed_rng_below(&r, (uint32_t)(individual ? def->nfirst : def->na));
    bb = seed_rng_below(&r, (uint32_t)(individual ? def->nlast : def->nb));
    cc = seed_rng_below(&r, (uint32_t)(individual ? def->nlast : def->nc));
    pl = &def->places[seed_rng_below(&r, (uint32_t)def->nplaces)];
    with_city = seed_rng_below(&r, 2);
    phone = seed_rng_below(&r, 100000000);
    tag = (int)seed_rng_below(&r, (uint32_t)seed_ntags * 3);
    deleted = seed_rng_below(&r, 100) < 2;
    back = seed_rng_below(&r, 30);
    if (i < N_INDUSTRIES)
        industry = (int)i;
    if (i < N_CLIENT_STATUSES)
        status = (int)i;
    if (i < 2)
        individual = (int)i;

    if (individual) {
        snprintf(name, sizeof name, "%s %s", def->first_names[a % def->nfirst],
                 def->last_names[bb % def->nlast]);
        seed_slugify(def->first_names[a % def->nfirst], slug2, sizeof slug2);
        seed_slugify(def->last_names[bb % def->nlast], slug, sizeof slug);
    } else {
        snprintf(name, sizeof name, "%s %s%s%s %s", def->company_a[a % def->na],
                 def->company_b[bb % def->nb], with_city ? " " : "", with_city ? pl->city : "",
                 def->company_c[cc % def->nc]);
        seed_slugify(def->company_a[a % def->na], slug2, sizeof slug2);
        snprintf(slug, sizeof slug, "%s", slug2);
        seed_slugify(def->company_b[bb % def->nb], slug2, sizeof slug2);
    }
    del = seed_tp_max(created, seed_at(g, g->today - (int32_t)back, 9 * HOUR));

    seed_col_str(b, c->id);
    seed_col_str(b, g->t[ti].id);
    seed_col_str(b, name);
    seed_col_str(b, individual ? "individual" : "company");
    if (individual)
        seed_col_fmt(b, "%s.%s@mail.example", slug2, slug);
    else
        seed_col_fmt(b, "info@%s%s.example", slug, slug2);
    seed_col_fmt(b, def->phone_fmt, (int)(phone % def->phone_mod));
    if (individual)
        seed_col_null(b);
    else
        seed_col_fmt(b, "https://www.%s%s.example", slug, slug2);
    seed_col_str(b, pl->city);
    seed_col_str(b, pl->country);
    seed_col_str(b, industry_names[industry]);
    seed_col_str(b, client_status_names[status]);
    seed_col_null(b);
    if (tag < (int)seed_ntags)
        seed_col_str(b, seed_tags[tag]);
    else
        seed_col_null(b);
    col_tp(b, created);
    col_tp(b, deleted ? del : created);
    seed_col_bool(b, deleted);
    if (deleted)
        col_tp(b, del);
    else
        seed_col_null(b);
}

static long emit_clients(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        for (size_t i = 0; i < g->t[ti].nclients; i++, rows++) {
            client_row(g, ti, i, b);
            if (seed_row_end(b) != 0)
                return -1;
        }
    }
    return seed_emit_end(b, rows);
}

static long emit_quotes(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tstate *t = &g->t[ti];
        for (size_t i = 0; i < t->nquotes; i++, rows++) {
            const struct seed_quote *h = &t->quotes[i];
            struct seed_qfull q;
            struct seed_tp updated;
            int y, m, d;
            seed_quote_derive(g, ti, h, &q);
            date_from_days(h->w.day, &y, &m, &d);
            updated = q.created;
            seed_col_str(b, q.id);
            seed_col_str(b, t->id);
            seed_col_str(b, t->clients[q.client].id);
            seed_col_str(b, t->user_ids[SEED_U_REP1 + q.rep]);
            seed_col_fmt(b, "Q-%04d-%06u", y, h->number);
            seed_col_money(b, q.total);
            seed_col_str(b, "USD");
            seed_col_str(b, quote_status_names[q.status]);
            seed_col_date(b, q.valid_until);
            if (q.note < (int)seed_tenants[ti].nnotes)
                seed_col_str(b, seed_tenants[ti].quote_notes[q.note]);
            else
                seed_col_null(b);
            if (q.status != SEED_Q_DRAFT) {
                col_tp(b, q.sent);
                updated = q.sent;
            } else {
                seed_col_null(b);
            }
            if (q.status == SEED_Q_ACCEPTED) {
                col_tp(b, q.accepted);
                updated = q.accepted;
            } else {
                seed_col_null(b);
            }
            col_tp(b, q.created);
            col_tp(b, q.deleted ? q.deleted_at : updated);
            seed_col_bool(b, q.deleted);
            if (q.deleted)
                col_tp(b, q.deleted_at);
            else
                seed_col_null(b);
            if (seed_row_end(b) != 0)
                return -1;
        }
    }
    return seed_emit_end(b, rows);
}

static long emit_quote_items(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tstate *t = &g->t[ti];
        for (size_t i = 0; i < t->nquotes; i++) {
            struct seed_qfull q;
            seed_quote_derive(g, ti, &t->quotes[i], &q);
            for (int k = 0; k < q.nitems; k++, rows++) {
                const struct seed_item *it = &q.items[k];
                seed_col_str(b, it->id);
                seed_col_str(b, t->id);
                seed_col_str(b, q.id);
                seed_col_str(b, seed_tenants[ti].products[it->product].name);
                seed_col_null(b);
                seed_col_money(b, it->qty);
                seed_col_money(b, it->price);
                seed_col_money(b, it->disc);
                seed_col_money(b, it->subtotal);
                col_tp(b, q.created);
                col_tp(b, q.created);
                if (seed_row_end(b) != 0)
                    return -1;
            }
        }
    }
    return seed_emit_end(b, rows);
}

/* Expense e of tenant ti: mostly approved; recent ones still pending. */
static void expense_row(struct seedgen *g, int ti, const struct seed_when *w, struct seed_buf *b)
{
    const struct seed_tenant_def *def = &seed_tenants[ti];
    const struct seed_tstate *t = &g->t[ti];
    struct seed_tp created = seed_at(g, w->day, w->sec), decided;
    int u, c, status, approver, deleted;
    uint32_t text, vendor, su, appr, reason, receipt;
    int32_t delay;
    int64_t amount;
    char id[UUID_STR_LEN + 1];
    struct seed_rng r;

    seed_rng_init(&r, w->seed);
    seed_rng_uuid_v7(&r, seed_unix_ms(created, &r), id);
    u = (int)seed_rng_weighted(&r, expense_user_weights, SEED_USERS);
    c = (int)seed_rng_weighted(&r, category_weights, SEED_CATEGORIES);
    amount =
        category_min[c] + seed_rng_below(&r, (uint32_t)(category_max[c] - category_min[c] + 1));
    text = seed_rng_below(&r, 3);
    vendor = seed_rng_below(&r, 3);
    su = seed_rng_below(&r, 100);
    appr = seed_rng_below(&r, 100);
    delay = HOUR + (int32_t)seed_rng_below(&r, 5 * DAY);
    reason = seed_rng_below(&r, (uint32_t)def->nreject);
    receipt = seed_rng_below(&r, 1000000);
    deleted = seed_rng_below(&r, 100) < 5;

    if (g->today - w->day <= 21)
        status = su < 45 ? E_PENDING : su < 95 ? E_APPROVED : E_REJECTED;
    else
        status = su < 3 ? E_PENDING : su < 91 ? E_APPROVED : E_REJECTED;
    deleted = deleted && status == E_PENDING; /* people withdraw their own pending claims */
    if (u == SEED_U_SUPERVISOR)
        approver = SEED_U_ADMIN;
    else if (u == SEED_U_ADMIN)
        approver = SEED_U_SUPERVISOR;
    else
        approver = appr < 75 ? SEED_U_SUPERVISOR : SEED_U_ADMIN;
    decided = seed_at(g, w->day, (int64_t)w->sec + delay);

    seed_col_str(b, id);
    seed_col_str(b, t->id);
    seed_col_str(b, t->user_ids[u]);
    seed_col_str(b, t->cat_ids[c]);
    seed_col_money(b, amount);
    seed_col_str(b, "USD");
    seed_col_str(b, def->categories[c].items[text]);
    seed_col_date(b, w->day);
    seed_col_str(b, expense_status_names[status]);
    if (status == E_PENDING) {
        seed_col_null(b);
        seed_col_null(b);
    } else {
        seed_col_str(b, t->user_ids[approver]);
        col_tp(b, decided);
    }
    if (status == E_REJECTED)
        seed_col_str(b, def->reject_reasons[reason]);
    else
        seed_col_null(b);
    seed_col_str(b, def->categories[c].vendors[vendor]);
    seed_col_fmt(b, "R-%06u", receipt);
    seed_col_null(b);
    col_tp(b, created);
    col_tp(b, status == E_PENDING && !deleted ? created : decided);
    seed_col_bool(b, deleted);
    if (deleted)
        col_tp(b, decided);
    else
        seed_col_null(b);
}

static long emit_expenses(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    long rows = 0;

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        for (size_t i = 0; i < g->t[ti].nexpenses; i++, rows++) {
            expense_row(g, ti, &g->t[ti].expenses[i], b);
            if (seed_row_end(b) != 0)
                return -1;
        }
    }
    return seed_emit_end(b, rows);
}

/* A target for every rep and every month of the window, around the rep's
 * average monthly revenue, rounded to 500.00. */
static long emit_quotas(struct seedgen *g, const struct seed_sink *sink)
{
    struct seed_buf *b = seed_emit_begin(g, sink);
    int y0, m0, y1, m1, d;
    long rows = 0;
    struct seed_rng r;

    date_from_days(g->start, &y0, &m0, &d);
    date_from_days(g->today, &y1, &m1, &d);
    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tstate *t = &g->t[ti];
        seed_rng_stream(&r, g->seed, ti, 'T');
        for (int rep = 0; rep < SEED_REPS; rep++) {
            double monthly = (double)t->rep_revenue[rep] * 30.44 / g->span;
            for (int y = y0, m = m0; y < y1 || (y == y1 && m <= m1); m = m % 12 + 1, y += m == 1) {
                char id[UUID_STR_LEN + 1];
                double factor;
                int64_t target;
                struct seed_tp created;
                seed_rng_uuid(&r, id);
                factor = 0.85 + 0.45 * seed_rng_unit(&r);
                target = (int64_t)(monthly * factor / 50000.0 + 0.5) * 50000;
                if (target < 100000)
                    target = 100000;
                created = seed_at(g, (int32_t)date_to_days(y, m, 1) - 5, 9 * HOUR);
                seed_col_str(b, id);
                seed_col_str(b, t->id);
                seed_col_str(b, t->user_ids[SEED_U_REP1 + rep]);
                seed_col_int(b, y);
                seed_col_int(b, m);
                seed_col_money(b, target);
                col_tp(b, created);
                col_tp(b, created);
                rows++;
                if (seed_row_end(b) != 0)
                    return -1;
            }
        }
    }
    return seed_emit_end(b, rows);
}

static long emit_vehicles(struct seedgen *g, const struct seed_sink *sink)
{
    static const char letters[] = "BCDFGHJKLMNPRSTVWXYZ";
    static const char *const status[SEED_VEHICLES] = {
        "active", "active", "active",      "active",      "active",
        "active", "active", "maintenance", "maintenance", "inactive"};
    struct seed_buf *b = seed_emit_begin(g, sink);
    struct seed_rng r;

    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        const struct seed_tstate *t = &g->t[ti];
        seed_rng_stream(&r, g->seed, ti, 'V');
        for (int v = 0; v < SEED_VEHICLES; v++) {
            const struct seed_vehicle_def *vd = &seed_vehicles[v];
            char id[UUID_STR_LEN + 1];
            uint32_t num, l1, l2, l3, year, km;
            struct seed_tp created = seed_at(g, g->start - 60 + v, 10 * HOUR);
            seed_rng_uuid(&r, id);
            num = seed_rng_below(&r, 10000);
            l1 = seed_rng_below(&r, 20);
            l2 = seed_rng_below(&r, 20);
            l3 = seed_rng_below(&r, 20);
            year = 2015 + seed_rng_below(&r, 10);
            km = 500000 + seed_rng_below(&r, 25000000);
            seed_col_str(b, id);
            seed_col_str(b, t->id);
            seed_col_fmt(b, seed_tenants[ti].plate_fmt, (int)num, letters[l1], letters[l2],
                         letters[l3]);
            seed_col_str(b, vd->brand);
            seed_col_str(b, vd->model);
            seed_col_int(b, year);
            seed_col_str(b, vd->type);
            seed_col_str(b, status[v]);
            if (v < SEED_REPS)
                seed_col_str(b, t->user_ids[SEED_U_REP1 + v]);
            else if (v == SEED_REPS)
                seed_col_str(b, t->user_ids[SEED_U_SUPERVISOR]);
            else
                seed_col_null(b);
            seed_col_money(b, km);
            col_tp(b, created);
            col_tp(b, created);
            seed_col_bool(b, 0);
            seed_col_null(b);
            if (seed_row_end(b) != 0)
                return -1;
        }
    }
    return seed_emit_end(b, SEED_TENANTS * SEED_VEHICLES);
}

/* ---------------------------------------------------------------- tables */

const struct seed_table seed_tables[] = {
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
const size_t seed_ntables = sizeof seed_tables / sizeof seed_tables[0];
