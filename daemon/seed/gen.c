/* Plans the deterministic demo data (ids, calendars, quotes) from a seed and a date. */
#include "seed/gen.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define DAY 86400
#define HOUR 3600

/* The demo's skews: who sells most, how many items per quote, which discounts. */
static const unsigned rep_weights[SEED_REPS] = {28, 24, 20, 16, 12};
static const unsigned item_weights[8] = {20, 20, 17, 13, 10, 8, 7, 5};
static const int64_t discount_bp[] = {250, 500, 750, 1000, 1250, 1500, 2000};

/* ------------------------------------------------------------------- time */

/*
 * Pulls a planned instant back to at most "now". Today's times of day are
 * squeezed into the first 90% of [0, now_sec]; instants planned after today
 * share the last 10%, in order. The map is monotone, so event order
 * survives, and dates never depend on the hour of the run.
 */
struct seed_tp seed_at(const struct seedgen *g, int32_t day, int64_t sec)
{
    struct seed_tp t;

    day += (int32_t)(sec / DAY);
    sec %= DAY;
    t.day = day > g->today ? g->today : day;
    if (day > g->today) {
        int64_t ahead = (int64_t)(day - g->today > 30 ? 30 : day - g->today) * DAY + sec;
        t.sec = (int32_t)(g->now_sec * 9 / 10 + (int64_t)g->now_sec * ahead / (10 * 31 * DAY));
    } else if (day == g->today) {
        t.sec = (int32_t)(sec * g->now_sec * 9 / (10 * DAY));
    } else {
        t.sec = (int32_t)sec;
    }
    return t;
}

struct seed_tp seed_tp_max(struct seed_tp a, struct seed_tp b)
{
    return (a.day > b.day || (a.day == b.day && a.sec >= b.sec)) ? a : b;
}

/* A day in the window, fewer at weekends; growing towards today when `growth`. */
int32_t seed_pick_day(const struct seedgen *g, struct seed_rng *r, int growth)
{
    static const double weekday_weight[7] = {0.15, 1, 1, 1, 1, 1, 0.35}; /* Sunday first */
    for (;;) {
        int32_t d = g->start + (int32_t)seed_rng_below(r, (uint32_t)g->span + 1);
        double w = weekday_weight[((d % 7) + 11) % 7]; /* 1970-01-01 was a Thursday */
        if (growth)
            w *= 0.8 + 0.4 * (double)(d - g->start) / g->span;
        if (seed_rng_unit(r) * 1.2 < w)
            return d;
    }
}

int64_t seed_unix_ms(struct seed_tp t, struct seed_rng *r)
{
    return ((int64_t)t.day * DAY + t.sec) * 1000 + seed_rng_below(r, 1000);
}

/* --------------------------------------------------------------- quotes */

/* Clients created before `day` (the first 30% predate the window). */
static size_t clients_before(const struct seed_tstate *t, int32_t day)
{
    size_t lo = 0, hi = t->nclients;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->clients[mid].w.day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo : t->nclients;
}

/* Derives a whole quote from its seed; the draws happen in a fixed order. */
void seed_quote_derive(const struct seedgen *g, int ti, const struct seed_quote *h,
                       struct seed_qfull *q)
{
    const struct seed_tenant_def *def = &seed_tenants[ti];
    const struct seed_tstate *t = &g->t[ti];
    const struct seed_when *w = &h->w;
    double growth = 1.0 + 0.15 * (double)(w->day - g->start) / g->span;
    int32_t age = g->today - w->day, send_delay, decide_delay, extra, del_delay;
    int64_t ms;
    uint32_t su;
    struct seed_rng r;

    seed_rng_init(&r, w->seed);
    q->created = seed_at(g, w->day, w->sec);
    ms = seed_unix_ms(q->created, &r);
    seed_rng_uuid_v7(&r, ms, q->id);
    q->rep = (int)seed_rng_weighted(&r, rep_weights, SEED_REPS);
    q->client = seed_rng_below(&r, (uint32_t)clients_before(t, w->day));
    su = seed_rng_below(&r, 100);
    q->status = su < 35   ? SEED_Q_ACCEPTED
                : su < 55 ? SEED_Q_SENT
                : su < 70 ? SEED_Q_REJECTED
                : su < 80 ? SEED_Q_EXPIRED
                          : SEED_Q_DRAFT;
    q->valid_until = w->day + 30 + 15 * (int32_t)seed_rng_below(&r, 3);
    send_delay = (int32_t)seed_rng_below(&r, 2 * DAY);
    decide_delay = HOUR + (int32_t)seed_rng_below(&r, 14 * DAY);
    extra = 1 + (int32_t)seed_rng_below(&r, 60);
    del_delay = (int32_t)seed_rng_below(&r, 3 * DAY);
    q->deleted = seed_rng_below(&r, 100) < 8;
    q->note = (int)seed_rng_below(&r, 4 * (uint32_t)def->nnotes);
    q->nitems = 1 + (int)seed_rng_weighted(&r, item_weights, 8);
    q->total = 0;
    for (int i = 0; i < q->nitems; i++) {
        struct seed_item *it = &q->items[i];
        const struct seed_product *p;
        uint32_t steps;
        it->product = (int)seed_rng_below(&r, (uint32_t)def->nproducts);
        p = &def->products[it->product];
        it->price =
            (int64_t)((double)p->price_cents * (0.92 + 0.16 * seed_rng_unit(&r)) * growth + 0.5);
        /* fractional products come in quarters (kg, hours) */
        steps = (uint32_t)(p->qmax - p->qmin) * (p->fractional ? 4 : 1) + 1;
        it->qty = p->qmin * 100 + (p->fractional ? 25 : 100) * (int64_t)seed_rng_below(&r, steps);
        it->disc = seed_rng_below(&r, 100) < 60 ? 0 : discount_bp[seed_rng_below(&r, 7)];
        /* round(quantity * unit_price * (1 - discount_percent / 100), 2), exactly */
        it->subtotal = (it->qty * it->price * (10000 - it->disc) + 500000) / 1000000;
        q->total += it->subtotal;
        seed_rng_uuid_v7(&r, ms, it->id);
    }

    /* A quote created today cannot have expired yet. */
    if (q->status == SEED_Q_EXPIRED && age < 1)
        q->status = SEED_Q_SENT;
    q->sent = seed_at(g, w->day, (int64_t)w->sec + send_delay);
    q->accepted = seed_at(g, w->day, (int64_t)w->sec + send_delay + decide_delay);
    q->deleted_at = seed_at(g, w->day, (int64_t)w->sec + del_delay);
    q->deleted = q->deleted && q->status == SEED_Q_DRAFT; /* only drafts can be deleted */
    if (q->status == SEED_Q_SENT && q->valid_until < g->today)
        q->valid_until = g->today + extra; /* still open: keep the expiry job away */
    if (q->status == SEED_Q_EXPIRED && q->valid_until >= g->today)
        q->valid_until = g->today - 1;
}

/* ----------------------------------------------------------------- plan */

/* Orders plans by creation; every plan struct starts with its seed_when. */
static int cmp_when(const void *a, const void *b)
{
    const struct seed_when *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    return x->seed < y->seed ? -1 : x->seed > y->seed;
}

static void plan_clients(struct seedgen *g, int ti, struct seed_tstate *t)
{
    struct seed_rng r;

    t->nclients = 200 * (size_t)g->scale;
    t->clients = seed_xrealloc(NULL, t->nclients * sizeof *t->clients);
    seed_rng_stream(&r, g->seed, ti, 'C');
    for (size_t i = 0; i < t->nclients; i++) {
        struct seed_when *w = &t->clients[i].w;
        w->seed = seed_rng_next(&r);
        if (seed_rng_below(&r, 100) < 30)
            w->day = g->start - 1 - (int32_t)seed_rng_below(&r, 730);
        else
            w->day = g->start + (int32_t)seed_rng_below(&r, (uint32_t)g->span + 1);
        w->sec = 8 * HOUR + (int32_t)seed_rng_below(&r, 11 * HOUR);
    }
    qsort(t->clients, t->nclients, sizeof *t->clients, cmp_when);
    for (size_t i = 0; i < t->nclients; i++) {
        struct seed_client *c = &t->clients[i];
        struct seed_rng cr;
        seed_rng_init(&cr, c->w.seed);
        seed_rng_uuid_v7(&cr, seed_unix_ms(seed_at(g, c->w.day, c->w.sec), &cr), c->id);
    }
}

static void plan_quotes(struct seedgen *g, int ti, struct seed_tstate *t)
{
    struct seed_rng r;
    int year = 0;
    uint32_t seq = 0;

    t->nquotes = 2000 * (size_t)g->scale;
    t->quotes = seed_xrealloc(NULL, t->nquotes * sizeof *t->quotes);
    seed_rng_stream(&r, g->seed, ti, 'Q');
    for (size_t i = 0; i < t->nquotes; i++) {
        struct seed_when *w = &t->quotes[i].w;
        w->seed = seed_rng_next(&r);
        w->day = seed_pick_day(g, &r, 1);
        w->sec = 8 * HOUR + (int32_t)seed_rng_below(&r, 11 * HOUR);
    }
    qsort(t->quotes, t->nquotes, sizeof *t->quotes, cmp_when);
    for (size_t i = 0; i < t->nquotes; i++) {
        struct seed_qfull qf;
        int y, m, d;
        date_from_days(t->quotes[i].w.day, &y, &m, &d);
        if (y != year) {
            year = y;
            seq = 0;
        }
        t->quotes[i].number = ++seq;
        seed_quote_derive(g, ti, &t->quotes[i], &qf);
        if (qf.status == SEED_Q_ACCEPTED && !qf.deleted)
            t->rep_revenue[qf.rep] += qf.total;
    }
}

static void plan_expenses(struct seedgen *g, int ti, struct seed_tstate *t)
{
    struct seed_rng r;

    t->nexpenses = 3000 * (size_t)g->scale;
    t->expenses = seed_xrealloc(NULL, t->nexpenses * sizeof *t->expenses);
    seed_rng_stream(&r, g->seed, ti, 'E');
    for (size_t i = 0; i < t->nexpenses; i++) {
        struct seed_when *w = &t->expenses[i];
        w->seed = seed_rng_next(&r);
        w->day = seed_pick_day(g, &r, 0);
        w->sec = 7 * HOUR + (int32_t)seed_rng_below(&r, 14 * HOUR);
    }
    qsort(t->expenses, t->nexpenses, sizeof *t->expenses, cmp_when);
}

/* A version-4 UUID from getrandom(2) (the PRNG's stream when that fails). */
static void random_uuid(char out[UUID_STR_LEN + 1])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
        return;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    seed_uuid_format(b, out);
}

static void plan_tenant(struct seedgen *g, int ti)
{
    struct seed_tstate *t = &g->t[ti];
    struct seed_rng r;

    seed_rng_stream(&r, g->seed, ti, 'I');
    seed_rng_uuid(&r, t->id);
    /* The tenant id alone is fresh on every run (the draw above still keeps
     * the stream's shape): two databases seeded alike must not share tenant
     * ids, since caches in a shared Redis are keyed by tenant. */
    random_uuid(t->id);
    for (int u = 0; u < SEED_USERS; u++)
        seed_rng_uuid(&r, t->user_ids[u]);
    for (int c = 0; c < SEED_CATEGORIES; c++)
        seed_rng_uuid(&r, t->cat_ids[c]);
    plan_clients(g, ti, t);
    plan_quotes(g, ti, t);
    plan_expenses(g, ti, t);
}

struct seedgen *seedgen_new(int scale, uint64_t seed, int32_t today, int32_t now_sec,
                            const char *password_hash)
{
    struct seedgen *g = seed_xrealloc(NULL, sizeof *g);
    int y, m, d;

    memset(g, 0, sizeof *g);
    g->scale = scale;
    g->seed = seed;
    g->today = today;
    g->now_sec = now_sec;
    g->pwhash = password_hash;
    /* The window starts on the same day 24 months ago (clamped to the month's end). */
    date_from_days(today, &y, &m, &d);
    y -= 2;
    if (d > days_in_month(y, m))
        d = days_in_month(y, m);
    g->start = (int32_t)date_to_days(y, m, d);
    g->span = today - g->start;
    for (int ti = 0; ti < SEED_TENANTS; ti++)
        plan_tenant(g, ti);
    return g;
}

void seedgen_free(struct seedgen *g)
{
    if (!g)
        return;
    for (int ti = 0; ti < SEED_TENANTS; ti++) {
        free(g->t[ti].clients);
        free(g->t[ti].quotes);
        free(g->t[ti].expenses);
    }
    free(g->buf.p);
    free(g);
}

const char *seedgen_tenant_id(const struct seedgen *g, int i)
{
    return g->t[i].id;
}

/* Starts streaming to `sink`; every emitter ends with emit_end. */
struct seed_buf *seed_emit_begin(struct seedgen *g, const struct seed_sink *sink)
{
    g->buf.sink = sink;
    g->buf.failed = 0;
    g->buf.len = 0;
    g->buf.col = 0;
    return &g->buf;
}

long seed_emit_end(struct seed_buf *b, long rows)
{
    return seed_buf_flush(b) == 0 ? rows : -1;
}
