/* Login throttling: failed attempts per email and address in a one-minute window. */
#include "auth/throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hmap.h"
#include "store/redisconn.h"
#include "timeutil.h"
#include "token.h"
#include "store/fleet.h"
#include "xalloc.h"

#define WINDOW_S 60.0
#define KEYS_MAX 4096 /* keys remembered; past it the least recently used goes */
#define PER_KEY 64    /* failures remembered per key: above any sane limit */
/* The fleet's count is kept in Redis in 10-second slots, the last six of
 * which make its window (50 to 60 s of it). */
#define FLEET_SLOT_S 10
#define FLEET_SLOTS 6

/* One key's recent failures; a key with none in the window expires. */
struct failures {
    double at[PER_KEY]; /* ring of failure times */
    int n, head;
};

static struct {
    pthread_mutex_t mu;
    struct hmap *map; /* key -> struct failures, made on first use */
} t = {.mu = PTHREAD_MUTEX_INITIALIZER};

static struct hmap *map_locked(void)
{
    if (!t.map)
        t.map = hmap_new(
            &(struct hmap_config){.max_entries = KEYS_MAX, .value_size = sizeof(struct failures)});
    return t.map;
}

static int recent(const struct failures *s, double now, double *oldest)
{
    int count = 0;
    *oldest = now;
    for (int i = 0; i < s->n; i++) {
        double at = s->at[(s->head + PER_KEY - 1 - i) % PER_KEY];
        if (now - at > WINDOW_S)
            break;
        count++;
        *oldest = at;
    }
    return count;
}

/* The fleet's counter of key for one slot. The key is hashed: no e-mail
 * address or client address is stored in Redis in clear. */
static void shared_key(const char *key, long long slot, char *out, size_t n)
{
    char h[65];
    sha256_hex(key, strlen(key), h);
    fleet_key(out, n, "throttle", "%.32s:%lld", h, slot);
}

/* The fleet's failures of key in the window, or -1 when Redis does not
 * answer. *retry_after: seconds until the oldest counted failure leaves
 * the window. */
static long long shared_count(struct rconn *r, const char *key, int *retry_after)
{
    time_t now = time(NULL);
    long long cur = (long long)now / FLEET_SLOT_S;
    char keys[FLEET_SLOTS][FLEET_KEY_MAX];
    const char *argv[FLEET_SLOTS + 1] = {"MGET"};
    for (int i = 0; i < FLEET_SLOTS; i++) {
        shared_key(key, cur - i, keys[i], sizeof keys[i]);
        argv[i + 1] = keys[i];
    }
    redisReply *rep = r ? rconn_cmdv(r, FLEET_SLOTS + 1, argv, NULL) : NULL;
    if (!rep)
        return -1;
    long long n = 0;
    for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY && i < rep->elements; i++) {
        if (rep->element[i]->type != REDIS_REPLY_STRING)
            continue;
        n += atoll(rep->element[i]->str);
        *retry_after = (int)((cur - (long long)i + FLEET_SLOTS) * FLEET_SLOT_S - (long long)now);
    }
    freeReplyObject(rep);
    return n;
}

bool throttle_blocked(struct rconn *r, const char *key, int limit, int *retry_after)
{
    if (limit <= 0)
        return false;
    double now = time_mono(), oldest = now;
    pthread_mutex_lock(&t.mu);
    const struct failures *s = hmap_get(map_locked(), key, now);
    int n = s ? recent(s, now, &oldest) : 0;
    pthread_mutex_unlock(&t.mu);
    if (n >= limit) {
        *retry_after = (int)(WINDOW_S - (now - oldest)) + 1;
        return true;
    }
    int left_s = 1;
    if (shared_count(r, key, &left_s) < limit)
        return false;
    *retry_after = left_s > 0 ? left_s : 1;
    return true;
}

void throttle_fail(struct rconn *r, const char *key)
{
    char k[FLEET_KEY_MAX];
    shared_key(key, (long long)time(NULL) / FLEET_SLOT_S, k, sizeof k);
    redisReply *rep = r ? rconn_cmd(r, "INCR %s", k) : NULL;
    if (rep && rep->type == REDIS_REPLY_INTEGER && rep->integer == 1) {
        freeReplyObject(rep);
        rep = rconn_cmd(r, "EXPIRE %s %d", k, (FLEET_SLOTS + 1) * FLEET_SLOT_S);
    }
    if (rep)
        freeReplyObject(rep);

    double now = time_mono();
    pthread_mutex_lock(&t.mu);
    struct hmap *m = map_locked();
    struct failures *s = hmap_get(m, key, now);
    if (!s)
        s = hmap_put(m, key, 0, 0);
    s->at[s->head] = now;
    s->head = (s->head + 1) % PER_KEY;
    if (s->n < PER_KEY)
        s->n++;
    hmap_set_expiry(m, s, now + WINDOW_S);
    pthread_mutex_unlock(&t.mu);
}
