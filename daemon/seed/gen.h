/* Internal interface of the demo data generator behind seed.c; no other callers. */
#ifndef ONQUOTA_SEED_GEN_H
#define ONQUOTA_SEED_GEN_H

#include "seed/data.h"
#include "seed/util.h"

/* -------------------------------------------------- generator (gen.c) */

enum { SG_Q_DRAFT, SG_Q_SENT, SG_Q_ACCEPTED, SG_Q_REJECTED, SG_Q_EXPIRED };

struct sg_tp {
    int32_t day, sec;
};

/* When a planned row was created, and the seed its other columns derive from.
 * Plans are sorted by it, so rows (and their v7 ids) load in time order. */
struct sg_when {
    uint64_t seed;
    int32_t day, sec;
};

struct sg_client {
    struct sg_when w; /* first member: plans sort through sg_when */
    char id[UUID_STR_LEN + 1];
};

struct sg_quote {
    struct sg_when w;
    uint32_t number; /* per tenant and year, in creation order */
};

struct sg_tstate {
    char id[UUID_STR_LEN + 1];
    char user_ids[SG_USERS][UUID_STR_LEN + 1];
    char cat_ids[SG_CATEGORIES][UUID_STR_LEN + 1];
    struct sg_client *clients; /* sorted by creation */
    size_t nclients;
    struct sg_quote *quotes; /* sorted by creation */
    size_t nquotes;
    struct sg_when *expenses; /* sorted by creation */
    size_t nexpenses;
    int64_t rep_revenue[SG_REPS]; /* accepted and undeleted, whole window, cents */
};

/* The whole plan; shared by gen.c (planning) and rows.c (emitting). */
struct seedgen {
    int scale;
    uint64_t seed;
    int32_t today, now_sec, start, span; /* window [start, today]; span = today - start */
    const char *pwhash;
    struct sg_tstate t[SG_TENANTS];
    struct sg_buf buf;
};

/* A quote with everything derived from its seed; both quote passes agree on it. */
struct sg_item {
    int product;
    int64_t qty, price, disc, subtotal; /* hundredths, cents, basis points, cents */
    char id[UUID_STR_LEN + 1];
};

struct sg_qfull {
    char id[UUID_STR_LEN + 1];
    int rep, status, nitems, note, deleted;
    size_t client;
    int32_t valid_until;
    struct sg_tp created, sent, accepted, deleted_at;
    int64_t total;
    struct sg_item items[8];
};

/*
 * Plans the demo data for `scale` and `seed`, with "today" as days since
 * 1970-01-01 (UTC) and `now_sec` seconds since today's midnight: ids, client
 * and quote calendars, quote numbers and quota bases, all in memory. Emitting
 * rows then only streams. `password_hash` is borrowed and must outlive the
 * generator. Aborts on out-of-memory; never returns NULL.
 */
struct seedgen *seedgen_new(int scale, uint64_t seed, int32_t today, int32_t now_sec,
                            const char *password_hash);
void seedgen_free(struct seedgen *g);

/* Internal to the generator: shared by gen.c and rows.c. */

/* An instant pulled back to at most "now" (see gen.c). */
struct sg_tp sg_at(const struct seedgen *g, int32_t day, int64_t sec);
struct sg_tp sg_tp_max(struct sg_tp a, struct sg_tp b);
/* A day in the window, fewer at weekends; growing towards today if `growth`. */
int32_t sg_pick_day(const struct seedgen *g, struct sg_rng *r, int growth);
/* Derives quote h of tenant ti, with its items, from its seed. */
void sg_quote_derive(const struct seedgen *g, int ti, const struct sg_quote *h, struct sg_qfull *q);
/* Milliseconds since the epoch of an instant, for v7 ids. */
int64_t sg_unix_ms(struct sg_tp t, struct sg_rng *r);
/* Starts streaming to `sink`; every emitter ends with sg_emit_end. */
struct sg_buf *sg_emit_begin(struct seedgen *g, const struct sg_sink *sink);
long sg_emit_end(struct sg_buf *b, long rows);

/* One table to load: its COPY statement and the function that streams its
 * rows to `sink`, returning the number of rows, or -1 when the sink failed. */
struct sg_table {
    const char *name;
    const char *copy_sql;
    long (*emit)(struct seedgen *g, const struct sg_sink *sink);
};

/* The tables in foreign-key order (static data). */
extern const struct sg_table sg_tables[];
extern const size_t sg_ntables;

/* Tenant i's generated id (UUID text), valid for g's lifetime. */
const char *seedgen_tenant_id(const struct seedgen *g, int i);

#endif
