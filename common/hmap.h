/* A bounded hash map of string keys: one hash function, least-recently-used eviction, expiry. */
#ifndef ONQUOTA_HMAP_H
#define ONQUOTA_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The map holds at most max_entries entries and, when max_cost is not 0,
 * entries whose costs add up to at most max_cost. Storing past a bound
 * evicts the least recently used entries (used = stored or found by
 * hmap_get) until the new one fits. An entry may also carry an expiry: from
 * that time on it is gone (removed when a lookup or a walk meets it).
 *
 * Each entry holds a copy of its key and value_size bytes of value, stored
 * in the map and zeroed when the entry is made. When value_free is set it
 * is called on the value of every entry that leaves the map (replaced,
 * evicted, expired, removed, cleared), so a value may own memory.
 *
 * Not thread-safe: the caller serialises every call on one map (one mutex
 * per map); distinct maps share nothing. A caller that wants less
 * contention stripes: N maps, each with its lock, chosen by
 * hmap_hash(key) % N (the map itself indexes by the hash's high bits, so
 * the two choices stay independent). */
struct hmap;

struct hmap_config {
    size_t max_entries; /* at least 1 */
    size_t max_cost;    /* 0: no bound on the total cost */
    size_t value_size;  /* bytes of value per entry (may be 0) */
    void (*value_free)(void *value);
};

/* The one string hash of the code base (64-bit FNV-1a). Pure. */
uint64_t hmap_hash(const char *key);

/* A new empty map bounded by cfg (copied). Aborts on out-of-memory, like
 * xmalloc. The caller frees it with hmap_free. */
struct hmap *hmap_new(const struct hmap_config *cfg);

/* Frees every entry (value_free on each value) and the map. NULL is fine. */
void hmap_free(struct hmap *m);

/* The value of key's entry when it is there and not expired at now
 * (entries with expiry 0 never expire); NULL otherwise, removing the
 * entry when it had expired. A found entry becomes the most recently used.
 * The pointer stays valid until the next call on m other than hmap_get,
 * hmap_set_expiry, hmap_count and hmap_cost; the caller may change the
 * value in place. */
void *hmap_get(struct hmap *m, const char *key, double now);

/* Makes a new entry for key (replacing any entry it had) with a zeroed
 * value, cost and expiry (0: never), evicting least recently used entries
 * while the map is over a bound, and returns the value for the caller to
 * fill. An entry whose cost alone exceeds max_cost is stored once all
 * others are gone. Valid as hmap_get's. Aborts on out-of-memory. */
void *hmap_put(struct hmap *m, const char *key, size_t cost, double expires);

/* Sets the expiry of the entry whose value (from hmap_get or hmap_put) is
 * value; 0 means never. */
void hmap_set_expiry(struct hmap *m, void *value, double expires);

/* Removes key's entry; returns whether there was one. */
bool hmap_remove(struct hmap *m, const char *key);

/* Calls fn on every entry not expired at now, from the most to the least
 * recently used, removing it when fn returns true; expired entries met are
 * removed without a call. fn must not call other functions on m. The walk
 * does not change the order of use. */
void hmap_each(struct hmap *m, double now, bool (*fn)(const char *key, void *value, void *arg),
               void *arg);

/* Removes every entry. */
void hmap_clear(struct hmap *m);

/* Entries in the map (expired ones not yet met included) and their total cost. */
size_t hmap_count(const struct hmap *m);
size_t hmap_cost(const struct hmap *m);

#endif
