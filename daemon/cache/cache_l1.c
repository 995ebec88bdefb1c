/* The dashboard cache's in-process L1: recent answers (TTL <= 2 s), tenant generations. */
#include "cache/cache_l1.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "timeutil.h"
#include "uuid.h"
#include "xalloc.h"

#define GEN_SLOTS 1024 /* tenants whose generation is kept */

/* One cached answer; its key is the map's. */
struct answer {
    char *body; /* malloc'd, NUL-terminated; freed with the entry */
    size_t len;
    char etag[ETAG_MAX];
    char tenant[UUID_STR_LEN + 1];
};

/* Tenant -> generation, as last read from Redis. */
struct gen {
    long long gen;
};

/* Both maps expire entries after at most L1_TTL_MAX_S; answers are bounded
 * by L1_MAX_ENTRIES and L1_MAX_BYTES (body and key), the least recently
 * used going first. One mutex guards both and the epoch. */
static struct {
    pthread_mutex_t mu;
    struct hmap *answers, *gens; /* made on first use */
    unsigned long epoch;
} l1 = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void answer_free(void *value)
{
    free(((struct answer *)value)->body);
}

/* Makes the maps on first use. Caller holds mu. */
static void maps_locked(void)
{
    if (l1.answers)
        return;
    l1.answers = hmap_new(&(struct hmap_config){.max_entries = L1_MAX_ENTRIES,
                                                .max_cost = L1_MAX_BYTES,
                                                .value_size = sizeof(struct answer),
                                                .value_free = answer_free});
    l1.gens =
        hmap_new(&(struct hmap_config){.max_entries = GEN_SLOTS, .value_size = sizeof(struct gen)});
}

bool l1_get(const char *key, bool want_body, struct l1_hit *out)
{
    double now = time_mono();
    pthread_mutex_lock(&l1.mu);
    maps_locked();
    const struct answer *a = hmap_get(l1.answers, key, now);
    if (a) {
        out->len = a->len;
        out->body = NULL;
        if (want_body) {
            out->body = xmalloc(a->len + 1);
            memcpy(out->body, a->body, a->len + 1);
        }
        snprintf(out->etag, sizeof out->etag, "%s", a->etag);
    }
    pthread_mutex_unlock(&l1.mu);
    return a != NULL;
}

bool l1_etag_matches(const char *key, const char *if_none_match)
{
    double now = time_mono();
    pthread_mutex_lock(&l1.mu);
    maps_locked();
    const struct answer *a = hmap_get(l1.answers, key, now);
    bool match = a && etag_match(if_none_match, a->etag);
    pthread_mutex_unlock(&l1.mu);
    return match;
}

unsigned long l1_epoch(void)
{
    pthread_mutex_lock(&l1.mu);
    unsigned long e = l1.epoch;
    pthread_mutex_unlock(&l1.mu);
    return e;
}

void l1_put(const char *key, const char *tenant, const char *body, size_t len, const char *etag,
            double ttl_s, unsigned long epoch)
{
    /* The copy is made before taking the lock: readers wait less. */
    char *copy = xmalloc(len + 1);
    memcpy(copy, body, len);
    copy[len] = '\0';
    double expires = time_mono() + (ttl_s < L1_TTL_MAX_S ? ttl_s : L1_TTL_MAX_S);

    pthread_mutex_lock(&l1.mu);
    if (epoch != l1.epoch) { /* invalidated while this was computed */
        pthread_mutex_unlock(&l1.mu);
        free(copy);
        return;
    }
    maps_locked();
    struct answer *a = hmap_put(l1.answers, key, len + strlen(key), expires);
    a->body = copy;
    a->len = len;
    snprintf(a->etag, sizeof a->etag, "%s", etag);
    snprintf(a->tenant, sizeof a->tenant, "%s", tenant);
    pthread_mutex_unlock(&l1.mu);
}

static bool of_tenant(const char *key, void *value, void *tenant)
{
    (void)key;
    return !strcmp(((const struct answer *)value)->tenant, tenant);
}

void l1_drop(const char *tenant)
{
    double now = time_mono();
    pthread_mutex_lock(&l1.mu);
    maps_locked();
    l1.epoch++;
    if (tenant) {
        hmap_each(l1.answers, now, of_tenant, (void *)tenant);
        hmap_remove(l1.gens, tenant);
    } else {
        hmap_clear(l1.answers);
        hmap_clear(l1.gens);
    }
    pthread_mutex_unlock(&l1.mu);
}

bool l1_gen_get(const char *tenant, long long *gen)
{
    double now = time_mono();
    pthread_mutex_lock(&l1.mu);
    maps_locked();
    const struct gen *g = hmap_get(l1.gens, tenant, now);
    if (g)
        *gen = g->gen;
    pthread_mutex_unlock(&l1.mu);
    return g != NULL;
}

void l1_gen_put(const char *tenant, long long gen, unsigned long epoch)
{
    double expires = time_mono() + L1_TTL_MAX_S;
    pthread_mutex_lock(&l1.mu);
    if (epoch == l1.epoch) { /* else read before an invalidation: do not keep it */
        maps_locked();
        struct gen *g = hmap_put(l1.gens, tenant, 0, expires);
        g->gen = gen;
    }
    pthread_mutex_unlock(&l1.mu);
}

void l1_stats(unsigned long *entries, unsigned long *bytes)
{
    pthread_mutex_lock(&l1.mu);
    maps_locked();
    *entries = (unsigned long)hmap_count(l1.answers);
    *bytes = (unsigned long)hmap_cost(l1.answers);
    pthread_mutex_unlock(&l1.mu);
}

bool etag_match(const char *inm, const char *etag)
{
    if (!inm || !*etag)
        return false;
    size_t elen = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (!strncmp(p, "W/", 2))
            p += 2; /* weak comparison is what If-None-Match uses */
        size_t n = strcspn(p, ",");
        while (n && p[n - 1] == ' ')
            n--;
        if (n == elen && !strncmp(p, etag, n))
            return true;
        p += strcspn(p, ",");
    }
    return false;
}
