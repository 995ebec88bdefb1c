/* Query-string checks shared by handlers: unknown and repeated names, integers, pages. */
#ifndef ONQUOTA_PARAMS_H
#define ONQUOTA_PARAMS_H

#include <stdbool.h>

#include "api/request.h"

/* Adds a 422 entry (loc query.<name>) for every parameter not in allowed
 * (NULL-terminated) and every repeated one, and for a malformed query
 * string. Returns true when all are known. */
bool params_known(struct ctx *c, const char *const *allowed, struct verr *v);

/* Reads an optional integer parameter in [min, max]; def when absent.
 * Records a 422 entry and returns false when malformed or out of range. */
bool params_int(struct ctx *c, const char *name, long min, long max, long def, long *out,
                struct verr *v);

/* Pagination: page >= 1 (default 1), page_size 1..100 (default 20). */
bool params_page(struct ctx *c, long *page, long *page_size, struct verr *v);

#endif
