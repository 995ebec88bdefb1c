/* Primitives of the demo generator: PRNG, calendar arithmetic, the COPY text writer. */
#ifndef ONQUOTA_SEED_UTIL_H
#define ONQUOTA_SEED_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "uuid.h"

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
void sg_rng_uuid(struct sg_rng *r, char out[UUID_STR_LEN + 1]); /* version 4 UUID text */
/* Version 7 UUID text: time-ordered, so bulk loads append to the B-trees
 * instead of touching random pages. Both variants make two draws. */
void sg_rng_uuid_v7(struct sg_rng *r, int64_t unix_ms, char out[UUID_STR_LEN + 1]);
/* Formats 16 bytes as a lower-case 8-4-4-4-12 UUID. */
void sg_uuid_format(const unsigned char b[16], char out[UUID_STR_LEN + 1]);

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

#endif
