/* A set of pointers (open addressing): constant-time add, remove and membership. */
#include "ptrset.h"

#include <stdint.h>
#include <stdlib.h>

#include "xalloc.h"

static char tomb_marker;
#define TOMB ((void *)&tomb_marker)

static size_t slot_of(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL; /* a 64-bit mix, so aligned pointers spread */
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

/* The slot holding p, or NULL. */
static void **find(const struct ptrset *s, const void *p)
{
    if (!s->cap)
        return NULL;
    for (size_t i = slot_of(p, s->cap), n = 0; n < s->cap; i = (i + 1) & (s->cap - 1), n++) {
        if (!s->slots[i])
            return NULL;
        if (s->slots[i] == p)
            return &s->slots[i];
    }
    return NULL;
}

static void grow(struct ptrset *s)
{
    size_t old_cap = s->cap;
    void **old = s->slots;
    s->cap = old_cap ? (s->count * 4 > old_cap ? old_cap * 2 : old_cap) : 64;
    s->slots = xcalloc(s->cap, sizeof *s->slots);
    s->used = s->count = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] && old[i] != TOMB)
            ptrset_add(s, old[i]);
    free(old);
}

bool ptrset_add(struct ptrset *s, const void *p)
{
    if (find(s, p))
        return false;
    if ((s->used + 1) * 2 > s->cap)
        grow(s); /* also clears tombstones */
    size_t i = slot_of(p, s->cap);
    while (s->slots[i] && s->slots[i] != TOMB)
        i = (i + 1) & (s->cap - 1);
    if (!s->slots[i])
        s->used++;
    s->slots[i] = (void *)p;
    s->count++;
    return true;
}

bool ptrset_del(struct ptrset *s, const void *p)
{
    void **slot = find(s, p);
    if (!slot)
        return false;
    *slot = TOMB;
    s->count--;
    return true;
}

bool ptrset_has(const struct ptrset *s, const void *p)
{
    return find(s, p) != NULL;
}

void ptrset_free(struct ptrset *s)
{
    free(s->slots);
    *s = (struct ptrset)PTRSET_INIT;
}
