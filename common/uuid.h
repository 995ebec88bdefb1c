/* UUID text validation and normalisation. */
#ifndef ONQUOTA_UUID_H
#define ONQUOTA_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 36

/* True when s is a canonical 8-4-4-4-12 hex UUID (either case). When out is
 * not NULL, writes the lower-case form plus NUL (37 bytes). */
bool uuid_parse(const char *s, char *out);

#endif
