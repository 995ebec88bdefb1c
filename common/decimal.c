/* Decimal text of integers and fixed-point numbers without printf: the request hot path writes
 * several per request. */
#include "decimal.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

size_t decimal_u64(char *out, uint64_t v)
{
    char tmp[21];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

size_t decimal_fixed(char *out, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(v) || fabs(v) * scale[decimals] >= DECIMAL_EXACT)
        v = 0;
    bool neg = v < 0;
    uint64_t units = (uint64_t)(fabs(v) * scale[decimals] + 0.5);
    uint64_t whole = units / (uint64_t)scale[decimals];
    uint64_t frac = units % (uint64_t)scale[decimals];
    size_t n = 0;
    if (neg && units)
        out[n++] = '-';
    n += decimal_u64(out + n, whole);
    if (decimals) {
        out[n++] = '.';
        for (int i = decimals - 1; i >= 0; i--) {
            out[n + (size_t)i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        n += (size_t)decimals;
    }
    out[n] = '\0';
    return n;
}
