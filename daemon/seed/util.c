/* PRNG, calendar arithmetic and the COPY text writer behind the demo generator. */
#include "seed/util.h"
#include "timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (256 * 1024)

void *seed_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("onquotad: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* ------------------------------------------------------------------ PRNG */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void seed_rng_init(struct seed_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t seed_rng_next(struct seed_rng *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n); 0 when n is 0. The modulo bias is irrelevant at these sizes. */
uint32_t seed_rng_below(struct seed_rng *r, uint32_t n)
{
    uint64_t x = seed_rng_next(r);
    return n ? (uint32_t)(x % n) : 0;
}

double seed_rng_unit(struct seed_rng *r)
{
    return (double)(seed_rng_next(r) >> 11) * 0x1.0p-53;
}

size_t seed_rng_weighted(struct seed_rng *r, const unsigned *w, size_t n)
{
    unsigned total = 0, x;
    size_t i;

    for (i = 0; i < n; i++)
        total += w[i];
    x = seed_rng_below(r, total);
    for (i = 0; i + 1 < n && x >= w[i]; i++)
        x -= w[i];
    return i;
}

/* Independent stream per (seed, tenant, purpose), so tables do not shift each other. */
void seed_rng_stream(struct seed_rng *r, uint64_t seed, int tenant, char tag)
{
    uint64_t x = seed ^ ((uint64_t)(tenant + 1) << 56) ^ ((uint64_t)(unsigned char)tag << 48);
    seed_rng_init(r, splitmix64(&x));
}

void seed_uuid_format(const unsigned char b[16], char out[UUID_STR_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    int o = 0;

    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0xF];
    }
    out[o] = '\0';
}

/* 16 random bytes from two draws (always two, so streams keep their shape). */
static void uuid_random(struct seed_rng *r, unsigned char b[16])
{
    uint64_t a = seed_rng_next(r), c = seed_rng_next(r);

    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(a >> (8 * i));
        b[8 + i] = (unsigned char)(c >> (8 * i));
    }
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 9562 variant */
}

void seed_rng_uuid(struct seed_rng *r, char out[UUID_STR_LEN + 1])
{
    unsigned char b[16];

    uuid_random(r, b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    seed_uuid_format(b, out);
}

void seed_rng_uuid_v7(struct seed_rng *r, int64_t unix_ms, char out[UUID_STR_LEN + 1])
{
    unsigned char b[16];

    uuid_random(r, b);
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)((uint64_t)unix_ms >> (8 * (5 - i)));
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x70);
    seed_uuid_format(b, out);
}

/* ------------------------------------------------------------ COPY text */

static void buf_reserve(struct seed_buf *b, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = seed_xrealloc(b->p, b->cap);
    }
}

int seed_buf_flush(struct seed_buf *b)
{
    if (!b->failed && b->len > 0 && b->sink->write(b->sink->ctx, b->p, b->len) != 0)
        b->failed = 1;
    b->len = 0;
    return b->failed ? -1 : 0;
}

static void col_begin(struct seed_buf *b, size_t n)
{
    buf_reserve(b, n + 1);
    if (b->col++ > 0)
        b->p[b->len++] = '\t';
}

/* A text column in COPY text format: backslash, tab, CR and LF escaped. */
void seed_col_str(struct seed_buf *b, const char *s)
{
    size_t n = strlen(s);

    col_begin(b, 2 * n);
    for (; *s; s++) {
        char c = *s;
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            b->p[b->len++] = '\\';
            c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
        }
        b->p[b->len++] = c;
    }
}

void seed_col_null(struct seed_buf *b)
{
    col_begin(b, 2);
    b->p[b->len++] = '\\';
    b->p[b->len++] = 'N';
}

void seed_col_fmt(struct seed_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    seed_col_str(b, tmp);
}

/* Writes v in decimal, zero-padded to `width` digits. */
static void put_uint(struct seed_buf *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    buf_reserve(b, (size_t)n);
    while (n)
        b->p[b->len++] = tmp[--n];
}

void seed_col_int(struct seed_buf *b, int64_t v)
{
    col_begin(b, 1);
    if (v < 0) {
        b->p[b->len++] = '-';
        v = -v;
    }
    put_uint(b, (uint64_t)v, 1);
}

void seed_col_money(struct seed_buf *b, int64_t cents)
{
    col_begin(b, 0);
    put_uint(b, (uint64_t)(cents / 100), 1);
    buf_reserve(b, 1);
    b->p[b->len++] = '.';
    put_uint(b, (uint64_t)(cents % 100), 2);
}

static void put_date(struct seed_buf *b, int32_t day)
{
    int y, m, d;

    date_from_days(day, &y, &m, &d);
    put_uint(b, (uint64_t)y, 4);
    buf_reserve(b, 1);
    b->p[b->len++] = '-';
    put_uint(b, (uint64_t)m, 2);
    buf_reserve(b, 1);
    b->p[b->len++] = '-';
    put_uint(b, (uint64_t)d, 2);
}

void seed_col_date(struct seed_buf *b, int32_t day)
{
    col_begin(b, 0);
    put_date(b, day);
}

/* "YYYY-MM-DD HH:MM:SS+00" */
void seed_col_ts(struct seed_buf *b, int32_t day, int32_t sec)
{
    col_begin(b, 0);
    put_date(b, day);
    buf_reserve(b, 1);
    b->p[b->len++] = ' ';
    put_uint(b, (uint64_t)(sec / 3600), 2);
    buf_reserve(b, 1);
    b->p[b->len++] = ':';
    put_uint(b, (uint64_t)(sec / 60 % 60), 2);
    buf_reserve(b, 1);
    b->p[b->len++] = ':';
    put_uint(b, (uint64_t)(sec % 60), 2);
    buf_reserve(b, 3);
    memcpy(b->p + b->len, "+00", 3);
    b->len += 3;
}

void seed_col_bool(struct seed_buf *b, int v)
{
    seed_col_str(b, v ? "t" : "f");
}

/* Ends a row; hands full buffers to the sink. Returns -1 once the sink failed. */
int seed_row_end(struct seed_buf *b)
{
    buf_reserve(b, 1);
    b->p[b->len++] = '\n';
    b->col = 0;
    if (b->len >= FLUSH_AT)
        return seed_buf_flush(b);
    return b->failed ? -1 : 0;
}

/* Lower-case ASCII slug of UTF-8 text: Latin-1 letters lose their accents,
 * everything else but letters and digits is dropped. */
void seed_slugify(const char *s, char *out, size_t cap)
{
    /* U+00C0..U+00FF folded to ASCII ('_' drops the character). */
    static const char fold[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
                               "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < cap; p++) {
        char c = 0;
        if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            c = fold[p[1] & 0x3F];
            p++;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            c = (char)*p;
        } else if (*p >= 'A' && *p <= 'Z') {
            c = (char)(*p - 'A' + 'a');
        }
        if (c && c != '_')
            out[n++] = c;
    }
    out[n] = '\0';
}
