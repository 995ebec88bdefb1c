/* Allocation wrappers that abort with a message on out-of-memory. */
#ifndef ONQUOTA_XALLOC_H
#define ONQUOTA_XALLOC_H

#include <stddef.h>

/* Each returns memory the caller frees with free(); none returns NULL:
 * on exhaustion they print "onquota: out of memory" and abort(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
