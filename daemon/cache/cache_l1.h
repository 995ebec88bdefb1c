/* The dashboard cache's in-process L1: recent answers (TTL <= 2 s), tenant generations. */
#ifndef ONQUOTA_CACHE_L1_H
#define ONQUOTA_CACHE_L1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define L1_TTL_MAX_S 2.0
#define L1_MAX_ENTRIES 20000
#define L1_MAX_BYTES (64u << 20)
#define ETAG_MAX 48

/* A copy of one cached answer. */
struct l1_hit {
    char *body; /* malloc'd; the caller frees */
    size_t len;
    char etag[ETAG_MAX];
};

/* Looks key up; on a live entry copies it into out (body only when
 * want_body) and returns true. Thread-safe. */
bool l1_get(const char *key, bool want_body, struct l1_hit *out);

/* Compares etag (quoted) with key's live entry without copying the body. */
bool l1_etag_matches(const char *key, const char *if_none_match);

/* The drop epoch: it moves on every l1_drop. A computation reads it before
 * it starts and passes it to l1_put, so that an answer computed before an
 * invalidation is never stored after it. */
unsigned long l1_epoch(void);

/* Stores a copy of body under key for ttl_s (capped at L1_TTL_MAX_S),
 * evicting the least recently used entries while over the entry or byte bound, unless
 * the drop epoch is no longer epoch. tenant is kept to drop a tenant's
 * entries at once. Thread-safe. */
void l1_put(const char *key, const char *tenant, const char *body, size_t len, const char *etag,
            double ttl_s, unsigned long epoch);

/* Drops a tenant's entries and its cached generation (NULL: everything). */
void l1_drop(const char *tenant);

/* The tenant's generation as last read from Redis, if read less than
 * L1_TTL_MAX_S ago. */
bool l1_gen_get(const char *tenant, long long *gen);
void l1_gen_put(const char *tenant, long long gen, unsigned long epoch);

void l1_stats(unsigned long *entries, unsigned long *bytes);

/* True when an If-None-Match header value matches etag (a list, W/ or *). */
bool etag_match(const char *if_none_match, const char *etag);

#endif
