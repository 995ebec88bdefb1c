/* Login throttling: failed attempts per email and address in a one-minute window. */
#include "auth/throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/redisconn.h"
#include "timeutil.h"
#include "token.h"
#include "xalloc.h"
#include "store/fleet.h"

#define WINDOW_S 60.0
#define SLOTS 4096
#define PER_KEY 64 /* failures remembered per key: above any sane limit */
/* The fleet's count is kept in Redis in 10-second slots, the last six of
 * which make its window (50 to 60 s of it). */
#define FLEET_SLOT_S 10
#define FLEET_SLOTS 6

struct slot {
    char *key;
    double at[PER_KEY]; /* ring of failure times */
    int n, head;
};

static struct {
    pthread_mutex_t mu;
    struct slot slots[SLOTS];
} t = {.mu = PTHREAD_MUTEX_INITIALIZER};

static unsigned long hash(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

/* Finds key's slot (linear probing), or a free or expired one for it. */
static struct slot *slot_for(const char *key, bool create)
{
    double now = time_mono();
    unsigned long h = hash(key);
    for (int i = 0; i < 16; i++) {
        struct slot *s = &t.slots[(h + (unsigned long)i) % SLOTS];
        if (s->key && !strcmp(s->key, key))
            return s;
        bool stale = s->key && s->n && now - s->at[(s->head + PER_KEY - 1) % PER_KEY] > WINDOW_S;
        if (create && (!s->key || stale)) {
            free(s->key);
            memset(s, 0, sizeof *s);
            s->key = xstrdup(key);
            return s;
        }
    }
    return NULL; /* a crowded neighbourhood: forget rather than grow */
}

static int recent(const struct slot *s, double now, double *oldest)
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

bool throttle_blocked(struct rconn *r, const char *key, int limit,
                      int *retry_after)
{
    if (limit <= 0)
        return false;
    pthread_mutex_lock(&t.mu);
    struct slot *s = slot_for(key, false);
    double now = time_mono(), oldest = now;
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

    pthread_mutex_lock(&t.mu);
    struct slot *s = slot_for(key, true);
    if (s) {
        s->at[s->head] = time_mono();
        s->head = (s->head + 1) % PER_KEY;
        if (s->n < PER_KEY)
            s->n++;
    }
    pthread_mutex_unlock(&t.mu);
}
