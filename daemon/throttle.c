/* Login throttling: failed attempts per key in a sliding one-minute window, in process memory. */
#include "throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"
#include "xalloc.h"

#define WINDOW_S 60.0
#define SLOTS 4096
#define PER_KEY 64 /* failures remembered per key: above any sane limit */

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

bool throttle_blocked(const char *key, int limit, int *retry_after)
{
    if (limit <= 0)
        return false;
    pthread_mutex_lock(&t.mu);
    struct slot *s = slot_for(key, false);
    double now = time_mono(), oldest = now;
    int n = s ? recent(s, now, &oldest) : 0;
    pthread_mutex_unlock(&t.mu);
    if (n < limit)
        return false;
    *retry_after = (int)(WINDOW_S - (now - oldest)) + 1;
    return true;
}

void throttle_fail(const char *key)
{
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
