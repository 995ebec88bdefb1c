/* Primitives of the demo generator: PRNG, calendar arithmetic, the COPY text writer. */
#ifndef ONQUOTA_SEED_UTIL_H
#define ONQUOTA_SEED_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "uuid.h"

/* xoshiro256** state; deterministic across platforms for a given seed. */
struct seed_rng {
    uint64_t s[4];
};

void seed_rng_init(struct seed_rng *r, uint64_t seed);
void seed_rng_stream(struct seed_rng *r, uint64_t seed, int tenant, char tag);
uint64_t seed_rng_next(struct seed_rng *r);
uint32_t seed_rng_below(struct seed_rng *r, uint32_t n); /* [0, n); 0 if n == 0 */
double seed_rng_unit(struct seed_rng *r);                /* [0, 1) */
size_t seed_rng_weighted(struct seed_rng *r, const unsigned *w, size_t n);
void seed_rng_uuid(struct seed_rng *r, char out[UUID_STR_LEN + 1]); /* version 4 UUID text */
/* Version 7 UUID text: time-ordered, so bulk loads append to the B-trees
 * instead of touching random pages. Both variants make two draws. */
void seed_rng_uuid_v7(struct seed_rng *r, int64_t unix_ms, char out[UUID_STR_LEN + 1]);
/* Formats 16 bytes as a lower-case 8-4-4-4-12 UUID. */
void seed_uuid_format(const unsigned char b[16], char out[UUID_STR_LEN + 1]);

/* Aborts with a message on out-of-memory. */
void *seed_xrealloc(void *p, size_t n);

/* Receives COPY text-format data; returns 0, or -1 to stop the generator. */
struct seed_sink {
    int (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
};

/* Rows in COPY text format, handed to `sink` in large chunks. Once the sink
 * fails, `failed` stays set and seed_row_end/seed_buf_flush return -1. */
struct seed_buf {
    char *p;
    size_t len, cap;
    int col; /* columns written in the current row */
    const struct seed_sink *sink;
    int failed;
};

void seed_col_str(struct seed_buf *b, const char *s); /* escaped text */
void seed_col_null(struct seed_buf *b);
void seed_col_fmt(struct seed_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seed_col_int(struct seed_buf *b, int64_t v);
void seed_col_money(struct seed_buf *b, int64_t cents); /* cents >= 0, as 123.45 */
void seed_col_date(struct seed_buf *b, int32_t day);
void seed_col_ts(struct seed_buf *b, int32_t day, int32_t sec); /* UTC */
void seed_col_bool(struct seed_buf *b, int v);
int seed_row_end(struct seed_buf *b);
int seed_buf_flush(struct seed_buf *b);

/* Lower-case ASCII letters and digits of UTF-8 text, accents folded. */
void seed_slugify(const char *s, char *out, size_t cap);

#endif
