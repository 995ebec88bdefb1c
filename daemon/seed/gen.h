/* Internal interface of the demo data generator behind seed.c; no other callers. */
#ifndef ONQUOTA_SEED_GEN_H
#define ONQUOTA_SEED_GEN_H

#include <stddef.h>
#include <stdint.h>

enum { SG_TENANTS = 2, SG_USERS = 8, SG_REPS = 5, SG_CATEGORIES = 6, SG_VEHICLES = 10 };

/* Index of each role in a tenant's user list (sg_tenant_def.users). */
enum { SG_U_ADMIN = 0, SG_U_SUPERVISOR = 1, SG_U_REP1 = 2, SG_U_ANALYST = 7 };

/* ------------------------------------------------------- static demo vocabulary */

struct sg_user_def {
    const char *local; /* e-mail local part: "admin", "rep1", ... */
    const char *role;  /* user_role value */
    const char *full_name;
};

struct sg_product {
    const char *name;
    int64_t price_cents; /* list price at the start of the window */
    int qmin, qmax;      /* quantity range */
    int fractional;      /* quantities in quarters (kg, hours) */
};

struct sg_place {
    const char *city, *country;
};

struct sg_category_text {
    const char *description;
    const char *items[3]; /* expense descriptions */
    const char *vendors[3];
};

struct sg_vehicle_def {
    const char *brand, *model, *type;
};

/* Everything language- or tenant-specific about one demo tenant. */
struct sg_tenant_def {
    const char *company_name, *domain, *settings;
    struct sg_user_def users[SG_USERS];
    const struct sg_product *products;
    size_t nproducts;
    const struct sg_place *places;
    size_t nplaces;
    const char *const *company_a, *const *company_b, *const *company_c;
    size_t na, nb, nc;
    const char *const *first_names, *const *last_names;
    size_t nfirst, nlast;
    const char *phone_fmt; /* printf format with one int in [0, phone_mod) */
    unsigned phone_mod;
    struct sg_category_text categories[SG_CATEGORIES];
    const char *const *reject_reasons;
    size_t nreject;
    const char *const *quote_notes;
    size_t nnotes;
    const char *plate_fmt; /* printf format: int, then three letters */
};

extern const struct sg_tenant_def sg_tenants[SG_TENANTS];

/* FUEL, MAINTENANCE, ...: name, icon, colour; shared by both tenants. */
extern const char *const sg_category_names[SG_CATEGORIES];
extern const char *const sg_category_icons[SG_CATEGORIES];
extern const char *const sg_category_colors[SG_CATEGORIES];
extern const struct sg_vehicle_def sg_vehicles[SG_VEHICLES];
extern const char *const sg_tags[];
extern const size_t sg_ntags;

/* ------------------------------------------------- primitives (util.c) */

/* xoshiro256** state; deterministic across platforms for a given seed. */
struct sg_rng {
    uint64_t s[4];
};

void sg_rng_init(struct sg_rng *r, uint64_t seed);
void sg_rng_stream(struct sg_rng *r, uint64_t seed, int tenant, char tag);
uint64_t sg_rng_next(struct sg_rng *r);
uint32_t sg_rng_below(struct sg_rng *r, uint32_t n); /* [0, n); 0 if n == 0 */
double sg_rng_unit(struct sg_rng *r);                /* [0, 1) */
size_t sg_rng_weighted(struct sg_rng *r, const unsigned *w, size_t n);
void sg_rng_uuid(struct sg_rng *r, char out[37]); /* version 4 UUID text */
/* Version 7 UUID text: time-ordered, so bulk loads append to the B-trees
 * instead of touching random pages. Both variants make two draws. */
void sg_rng_uuid_v7(struct sg_rng *r, int64_t unix_ms, char out[37]);
/* Formats 16 bytes as a lower-case 8-4-4-4-12 UUID. */
void sg_uuid_format(const unsigned char b[16], char out[37]);

/* Aborts with a message on out-of-memory. */
void *sg_xrealloc(void *p, size_t n);

/* Receives COPY text-format data; returns 0, or -1 to stop the generator. */
struct sg_sink {
    int (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
};

/* Rows in COPY text format, handed to `sink` in large chunks. Once the sink
 * fails, `failed` stays set and sg_row_end/sg_buf_flush return -1. */
struct sg_buf {
    char *p;
    size_t len, cap;
    int col; /* columns written in the current row */
    const struct sg_sink *sink;
    int failed;
};

void sg_col_str(struct sg_buf *b, const char *s); /* escaped text */
void sg_col_null(struct sg_buf *b);
void sg_col_fmt(struct sg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sg_col_int(struct sg_buf *b, int64_t v);
void sg_col_money(struct sg_buf *b, int64_t cents); /* cents >= 0, as 123.45 */
void sg_col_date(struct sg_buf *b, int32_t day);
void sg_col_ts(struct sg_buf *b, int32_t day, int32_t sec); /* UTC */
void sg_col_bool(struct sg_buf *b, int v);
int sg_row_end(struct sg_buf *b);
int sg_buf_flush(struct sg_buf *b);

/* Lower-case ASCII letters and digits of UTF-8 text, accents folded. */
void sg_slugify(const char *s, char *out, size_t cap);

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
    char id[37];
};

struct sg_quote {
    struct sg_when w;
    uint32_t number; /* per tenant and year, in creation order */
};

struct sg_tstate {
    char id[37];
    char user_ids[SG_USERS][37];
    char cat_ids[SG_CATEGORIES][37];
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
    char id[37];
};

struct sg_qfull {
    char id[37];
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
