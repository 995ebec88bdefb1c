/* The dashboard cache's in-process L1: recent answers (TTL <= 2 s), tenant generations. */
#include "cache/cache_l1.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"
#include "xalloc.h"

#define BUCKETS 4096
#define GEN_SLOTS 1024

struct entry {
    struct entry *next;          /* bucket chain */
    struct entry *older, *newer; /* age list, for eviction */
    char *key;
    char tenant[37];
    char *body;
    size_t len;
    char etag[ETAG_MAX];
    double expires;
};

static struct {
    pthread_mutex_t mu;
    struct entry *buckets[BUCKETS];
    struct entry *oldest, *newest;
    unsigned long count, bytes;
    unsigned long epoch;
    struct {
        char tenant[37];
        long long gen;
        double at;
    } gens[GEN_SLOTS];
} l1 = {.mu = PTHREAD_MUTEX_INITIALIZER};

static unsigned long hash(const char *s)
{
    unsigned long h = 1469598103934665603UL; /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211UL;
    return h;
}

static void unlink_entry(struct entry *e)
{
    struct entry **pp = &l1.buckets[hash(e->key) % BUCKETS];
    while (*pp != e)
        pp = &(*pp)->next;
    *pp = e->next;
    if (e->older)
        e->older->newer = e->newer;
    else
        l1.oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        l1.newest = e->older;
    l1.count--;
    l1.bytes -= e->len + strlen(e->key);
    free(e->key);
    free(e->body);
    free(e);
}

/* The live entry for key, removing it when expired. Caller holds mu. */
static struct entry *find(const char *key)
{
    for (struct entry *e = l1.buckets[hash(key) % BUCKETS]; e; e = e->next) {
        if (strcmp(e->key, key))
            continue;
        if (time_mono() >= e->expires) {
            unlink_entry(e);
            return NULL;
        }
        return e;
    }
    return NULL;
}

bool l1_get(const char *key, bool want_body, struct l1_hit *out)
{
    pthread_mutex_lock(&l1.mu);
    struct entry *e = find(key);
    if (e) {
        out->len = e->len;
        out->body = NULL;
        if (want_body) {
            out->body = xmalloc(e->len + 1);
            memcpy(out->body, e->body, e->len + 1);
        }
        snprintf(out->etag, sizeof out->etag, "%s", e->etag);
    }
    pthread_mutex_unlock(&l1.mu);
    return e != NULL;
}

bool l1_etag_matches(const char *key, const char *if_none_match)
{
    pthread_mutex_lock(&l1.mu);
    struct entry *e = find(key);
    bool match = e && etag_match(if_none_match, e->etag);
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
    struct entry *n = xcalloc(1, sizeof *n);
    n->key = xstrdup(key);
    snprintf(n->tenant, sizeof n->tenant, "%s", tenant);
    n->body = xmalloc(len + 1);
    memcpy(n->body, body, len);
    n->body[len] = '\0';
    n->len = len;
    snprintf(n->etag, sizeof n->etag, "%s", etag);
    n->expires = time_mono() + (ttl_s < L1_TTL_MAX_S ? ttl_s : L1_TTL_MAX_S);

    pthread_mutex_lock(&l1.mu);
    if (epoch != l1.epoch) { /* invalidated while this was computed */
        pthread_mutex_unlock(&l1.mu);
        free(n->key);
        free(n->body);
        free(n);
        return;
    }
    struct entry *old = find(key);
    if (old)
        unlink_entry(old);
    while (l1.oldest && (l1.count + 1 > L1_MAX_ENTRIES || l1.bytes + len > L1_MAX_BYTES))
        unlink_entry(l1.oldest);
    unsigned long b = hash(key) % BUCKETS;
    n->next = l1.buckets[b];
    l1.buckets[b] = n;
    n->older = l1.newest;
    if (l1.newest)
        l1.newest->newer = n;
    else
        l1.oldest = n;
    l1.newest = n;
    l1.count++;
    l1.bytes += len + strlen(key);
    pthread_mutex_unlock(&l1.mu);
}

void l1_drop(const char *tenant)
{
    pthread_mutex_lock(&l1.mu);
    l1.epoch++;
    for (struct entry *e = l1.oldest, *next; e; e = next) {
        next = e->newer;
        if (!tenant || !strcmp(e->tenant, tenant))
            unlink_entry(e);
    }
    for (size_t i = 0; i < GEN_SLOTS; i++)
        if (!tenant || !strcmp(l1.gens[i].tenant, tenant))
            l1.gens[i].at = 0;
    pthread_mutex_unlock(&l1.mu);
}

bool l1_gen_get(const char *tenant, long long *gen)
{
    size_t i = hash(tenant) % GEN_SLOTS;
    pthread_mutex_lock(&l1.mu);
    bool ok = l1.gens[i].at > 0 && !strcmp(l1.gens[i].tenant, tenant) &&
              time_mono() - l1.gens[i].at < L1_TTL_MAX_S;
    if (ok)
        *gen = l1.gens[i].gen;
    pthread_mutex_unlock(&l1.mu);
    return ok;
}

void l1_gen_put(const char *tenant, long long gen, unsigned long epoch)
{
    size_t i = hash(tenant) % GEN_SLOTS;
    pthread_mutex_lock(&l1.mu);
    if (epoch != l1.epoch) { /* read before an invalidation: do not keep it */
        pthread_mutex_unlock(&l1.mu);
        return;
    }
    snprintf(l1.gens[i].tenant, sizeof l1.gens[i].tenant, "%s", tenant);
    l1.gens[i].gen = gen;
    l1.gens[i].at = time_mono();
    pthread_mutex_unlock(&l1.mu);
}

void l1_stats(unsigned long *entries, unsigned long *bytes)
{
    pthread_mutex_lock(&l1.mu);
    *entries = l1.count;
    *bytes = l1.bytes;
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
