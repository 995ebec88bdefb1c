/* A bounded hash map of string keys: one hash function, least-recently-used eviction, expiry. */
#include "hmap.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* One entry: this header, then the value (aligned for any type), then the key. */
struct entry {
    struct entry *next;          /* the bucket's chain */
    struct entry *newer, *older; /* the order of use: m->newest ... m->oldest */
    uint64_t hash;
    double expires; /* 0: never */
    size_t cost;
};

#define ALIGN_UP(n, a) (((n) + (a)-1) / (a) * (a))
#define VALUE_OFFSET ALIGN_UP(sizeof(struct entry), alignof(max_align_t))

struct hmap {
    struct hmap_config cfg;
    size_t value_span; /* value_size rounded up: where the key starts */
    struct entry **buckets;
    unsigned bits; /* log2 of the bucket count */
    struct entry *newest, *oldest;
    size_t count, cost;
};

static void *value_of(struct entry *e)
{
    return (char *)e + VALUE_OFFSET;
}

static struct entry *entry_of(void *value)
{
    return (struct entry *)(void *)((char *)value - VALUE_OFFSET);
}

static const char *key_of(const struct hmap *m, struct entry *e)
{
    return (const char *)e + VALUE_OFFSET + m->value_span;
}

uint64_t hmap_hash(const char *key)
{
    uint64_t h = 14695981039346656037u;
    while (*key)
        h = (h ^ (unsigned char)*key++) * 1099511628211u;
    return h;
}

/* Fibonacci hashing picks the bucket from the high bits, so callers may
 * stripe on the low ones. */
static struct entry **bucket_of(const struct hmap *m, uint64_t h)
{
    return &m->buckets[(h * 11400714819323198485u) >> (64 - m->bits)];
}

struct hmap *hmap_new(const struct hmap_config *cfg)
{
    struct hmap *m = xcalloc(1, sizeof *m);
    m->cfg = *cfg;
    if (m->cfg.max_entries == 0)
        m->cfg.max_entries = 1;
    m->value_span = ALIGN_UP(cfg->value_size, alignof(max_align_t));
    m->bits = 4;
    while (((size_t)1 << m->bits) < m->cfg.max_entries && m->bits < 24)
        m->bits++;
    m->buckets = xcalloc((size_t)1 << m->bits, sizeof *m->buckets);
    return m;
}

/* ------------------------------------------------------------ order of use */

static void unlink_use(struct hmap *m, struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        m->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        m->oldest = e->newer;
}

static void link_newest(struct hmap *m, struct entry *e)
{
    e->newer = NULL;
    e->older = m->newest;
    if (m->newest)
        m->newest->newer = e;
    else
        m->oldest = e;
    m->newest = e;
}

/* ------------------------------------------------------------ entries */

/* Unlinks e, whose chain link is *pp, and frees it. */
static void drop(struct hmap *m, struct entry **pp, struct entry *e)
{
    *pp = e->next;
    unlink_use(m, e);
    m->count--;
    m->cost -= e->cost;
    if (m->cfg.value_free)
        m->cfg.value_free(value_of(e));
    free(e);
}

/* The chain link pointing at key's entry, or NULL. */
static struct entry **find(struct hmap *m, const char *key, uint64_t h)
{
    for (struct entry **pp = bucket_of(m, h); *pp; pp = &(*pp)->next)
        if ((*pp)->hash == h && !strcmp(key_of(m, *pp), key))
            return pp;
    return NULL;
}

static void drop_entry(struct hmap *m, struct entry *e)
{
    struct entry **pp = bucket_of(m, e->hash);
    while (*pp != e)
        pp = &(*pp)->next;
    drop(m, pp, e);
}

static bool expired(const struct entry *e, double now)
{
    return e->expires != 0 && now >= e->expires;
}

void *hmap_get(struct hmap *m, const char *key, double now)
{
    struct entry **pp = find(m, key, hmap_hash(key));
    if (!pp)
        return NULL;
    struct entry *e = *pp;
    if (expired(e, now)) {
        drop(m, pp, e);
        return NULL;
    }
    if (m->newest != e) {
        unlink_use(m, e);
        link_newest(m, e);
    }
    return value_of(e);
}

void *hmap_put(struct hmap *m, const char *key, size_t cost, double expires)
{
    uint64_t h = hmap_hash(key);
    struct entry **pp = find(m, key, h);
    if (pp)
        drop(m, pp, *pp);
    while (m->oldest && (m->count >= m->cfg.max_entries ||
                         (m->cfg.max_cost && m->cost + cost > m->cfg.max_cost)))
        drop_entry(m, m->oldest);

    size_t klen = strlen(key);
    struct entry *e = xcalloc(1, VALUE_OFFSET + m->value_span + klen + 1);
    memcpy((char *)e + VALUE_OFFSET + m->value_span, key, klen + 1);
    e->hash = h;
    e->expires = expires;
    e->cost = cost;
    pp = bucket_of(m, h);
    e->next = *pp;
    *pp = e;
    link_newest(m, e);
    m->count++;
    m->cost += cost;
    return value_of(e);
}

void hmap_set_expiry(struct hmap *m, void *value, double expires)
{
    (void)m;
    entry_of(value)->expires = expires;
}

bool hmap_remove(struct hmap *m, const char *key)
{
    struct entry **pp = find(m, key, hmap_hash(key));
    if (pp)
        drop(m, pp, *pp);
    return pp != NULL;
}

void hmap_each(struct hmap *m, double now, bool (*fn)(const char *key, void *value, void *arg),
               void *arg)
{
    for (struct entry *e = m->newest, *next; e; e = next) {
        next = e->older;
        if (expired(e, now) || fn(key_of(m, e), value_of(e), arg))
            drop_entry(m, e);
    }
}

void hmap_clear(struct hmap *m)
{
    while (m->oldest)
        drop_entry(m, m->oldest);
}

void hmap_free(struct hmap *m)
{
    if (!m)
        return;
    hmap_clear(m);
    free(m->buckets);
    free(m);
}

size_t hmap_count(const struct hmap *m)
{
    return m->count;
}

size_t hmap_cost(const struct hmap *m)
{
    return m->cost;
}
