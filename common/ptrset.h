/* A set of pointers (open addressing): constant-time add, remove and membership. */
#ifndef ONQUOTA_PTRSET_H
#define ONQUOTA_PTRSET_H

#include <stdbool.h>
#include <stddef.h>

struct ptrset {
    void **slots; /* NULL = empty, PTRSET_TOMB = removed */
    size_t cap;   /* a power of two, or 0 */
    size_t count; /* members */
    size_t used;  /* members + tombstones */
};

#define PTRSET_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

/* Adds p (not NULL); returns true when it was not there. Not thread-safe. */
bool ptrset_add(struct ptrset *s, const void *p);
/* Removes p; returns true when it was there. */
bool ptrset_del(struct ptrset *s, const void *p);
bool ptrset_has(const struct ptrset *s, const void *p);
void ptrset_free(struct ptrset *s);

#endif
