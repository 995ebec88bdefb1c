/* Decimal text of integers and fixed-point numbers without printf: the request hot path writes
 * several per request. */
#ifndef ONQUOTA_DECIMAL_H
#define ONQUOTA_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* Longest text decimal_fixed writes, terminator included. */
#define DECIMAL_MAX 32

/* Writes v in decimal into out (at least 21 bytes, NUL-terminated) and
 * returns its length. */
size_t decimal_u64(char *out, uint64_t v);

/* Below this, a double scaled to its decimals is still an exact integer. */
#define DECIMAL_EXACT 9e15

/* Writes v rounded to decimals (0-6) places, as printf's "%.*f" would (but
 * exact halves go away from zero), into out (DECIMAL_MAX bytes,
 * NUL-terminated); returns its length. A value whose scaled magnitude
 * reaches DECIMAL_EXACT, or that is not finite, is written as 0. */
size_t decimal_fixed(char *out, double v, int decimals);

#endif
