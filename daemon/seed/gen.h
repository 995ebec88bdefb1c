/* Internal interface of the demo data generator behind seed.c; no other callers. */
#ifndef ONQUOTA_SEED_GEN_H
#define ONQUOTA_SEED_GEN_H

#include "seed/data.h"
#include "seed/util.h"

/* -------------------------------------------------- generator (gen.c) */

enum { SEED_Q_DRAFT, SEED_Q_SENT, SEED_Q_ACCEPTED, SEED_Q_REJECTED, SEED_Q_EXPIRED };

struct seed_tp {
    int32_t day, sec;
};

/* When a planned row was created, and the seed its other columns derive from.
 * Plans are sorted by it, so rows (and their v7 ids) load in time order. */
struct seed_when {
    uint64_t seed;
    int32_t day, sec;
};

struct seed_client {
    struct seed_when w; /* first member: plans sort through seed_when */
    char id[UUID_STR_LEN + 1];
};

struct seed_quote {
    struct seed_when w;
    uint32_t number; /* per tenant and year, in creation order */
};

struct seed_tstate {
    char id[UUID_STR_LEN + 1];
    char user_ids[SEED_USERS][UUID_STR_LEN + 1];
    char cat_ids[SEED_CATEGORIES][UUID_STR_LEN + 1];
    struct seed_client *clients; /* sorted by creation */
    size_t nclients;
    struct seed_quote *quotes; /* sorted by creation */
    size_t nquotes;
    struct seed_when *expenses; /* sorted by creation */
    size_t nexpenses;
    int64_t rep_revenue[SEED_REPS]; /* accepted and undeleted, whole window, cents */
};

/* The whole plan; shared by gen.c (planning) and rows.c (emitting). */
struct seedgen {
    int scale;
    uint64_t seed;
    int32_t today, now_sec, start, span; /* window [start, today]; span = today - start */
    const char *pwhash;
    struct seed_tstate t[SEED_TENANTS];
    struct seed_buf buf;
};

/* A quote with everything derived from its seed; both quote passes agree on it. */
struct seed_item {
    int product;
    int64_t qty, price, disc, subtotal; /* hundredths, cents, basis points, cents */
    char id[UUID_STR_LEN + 1];
};

struct seed_qfull {
    char id[UUID_STR_LEN + 1];
    int rep, status, nitems, note, deleted;
    size_t client;
    int32_t valid_until;
    struct seed_tp created, sent, accepted, deleted_at;
    int64_t total;
    struct seed_item items[8];
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
struct seed_tp seed_at(const struct seedgen *g, int32_t day, int64_t sec);
struct seed_tp seed_tp_max(struct seed_tp a, struct seed_tp b);
/* A day in the window, fewer at weekends; growing towards today if `growth`. */
int32_t seed_pick_day(const struct seedgen *g, struct seed_rng *r, int growth);
/* Derives quote h of tenant ti, with its items, from its seed. */
void seed_quote_derive(const struct seedgen *g, int ti, const struct seed_quote *h,
                       struct seed_qfull *q);
/* Milliseconds since the epoch of an instant, for v7 ids. */
int64_t seed_unix_ms(struct seed_tp t, struct seed_rng *r);
/* Starts streaming to `sink`; every emitter ends with seed_emit_end. */
struct seed_buf *seed_emit_begin(struct seedgen *g, const struct seed_sink *sink);
long seed_emit_end(struct seed_buf *b, long rows);

/* One table to load: its COPY statement and the function that streams its
 * rows to `sink`, returning the number of rows, or -1 when the sink failed. */
struct seed_table {
    const char *name;
    const char *copy_sql;
    long (*emit)(struct seedgen *g, const struct seed_sink *sink);
};

/* The tables in foreign-key order (static data). */
extern const struct seed_table seed_tables[];
extern const size_t seed_ntables;

/* Tenant i's generated id (UUID text), valid for g's lifetime. */
const char *seedgen_tenant_id(const struct seedgen *g, int i);

#endif
