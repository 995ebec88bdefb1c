/* Exact money text: PostgreSQL numeric to two-decimal JSON numbers, JSON doubles to cents. */
#include "money.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The i-th digit of the magnitude scaled to cents: the integer digits, then
 * the first two fraction digits ('0' when the fraction is shorter). */
static char cent_digit(const char *ip, size_t ilen, const char *fp, size_t flen, size_t i)
{
    if (i < ilen)
        return ip[i];
    i -= ilen;
    return i < flen ? fp[i] : '0';
}

bool money_from_numeric(const char *numeric, char *out, size_t outsz)
{
    const char *p = numeric;
    bool neg = false;

    if (!p || !out || outsz == 0)
        return false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';

    const char *ip = p;
    while (is_digit(*p))
        p++;
    size_t ilen = (size_t)(p - ip);
    const char *fp = p;
    size_t flen = 0;
    if (*p == '.') {
        fp = ++p;
        while (is_digit(*p))
            p++;
        flen = (size_t)(p - fp);
        if (flen == 0)
            return false;
    }
    if (ilen == 0 || *p != '\0')
        return false;

    while (ilen > 1 && *ip == '0') {
        ip++;
        ilen--;
    }
    /* Half away from zero: on the magnitude, a third decimal of 5 or more
     * rounds up, whatever follows it. */
    bool round_up = flen > 2 && fp[2] >= '5';
    size_t ndig = ilen + 2;
    bool all_nine = true, all_zero = true;
    for (size_t i = 0; i < ndig; i++) {
        char c = cent_digit(ip, ilen, fp, flen, i);
        all_nine = all_nine && c == '9';
        all_zero = all_zero && c == '0';
    }
    bool carry_out = round_up && all_nine;
    if (all_zero && !round_up)
        neg = false; /* PostgreSQL prints no negative zero */

    size_t len = (neg ? 1 : 0) + (carry_out ? 1 : 0) + ndig + 1;
    if (len + 1 > outsz)
        return false;

    size_t pos = len;
    out[pos] = '\0';
    int carry = round_up ? 1 : 0;
    for (size_t i = ndig; i-- > 0;) {
        int d = cent_digit(ip, ilen, fp, flen, i) - '0' + carry;
        carry = d > 9;
        out[--pos] = (char)('0' + (carry ? 0 : d));
        if (i == ilen)
            out[--pos] = '.';
    }
    if (carry_out)
        out[--pos] = '1';
    if (neg)
        out[--pos] = '-';
    return true;
}

bool money_cents_from_double(double v, int64_t max_cents, int64_t *cents)
{
    if (!isfinite(v) || max_cents < 0)
        return false;
    double x = v * 100.0;
    double r = round(x);
    /* 19.99 * 100 is 1998.9999999999998: accept what is an integer up to the
     * error of the multiplication, which grows with the magnitude, but not a
     * third decimal (1.005 * 100 is 100.49999999999999). */
    double tol = fmax(1e-6, fabs(x) * 4 * DBL_EPSILON);
    if (fabs(x - r) > tol)
        return false;
    /* 2^63 itself does not convert to int64_t. */
    if (fabs(r) > (double)max_cents || fabs(r) >= 9223372036854775808.0)
        return false;
    int64_t c = (int64_t)r;
    if (c > max_cents || c < -max_cents)
        return false;
    if (cents)
        *cents = c;
    return true;
}

void money_format_cents(int64_t cents, char *out, size_t outsz)
{
    /* Through uint64_t so that INT64_MIN has a magnitude. */
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(out, outsz, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", mag / 100, mag % 100);
}
