/* Exact money and percentage text: PostgreSQL numeric text in, JSON number text out. */
#ifndef ONQUOTA_MONEY_H
#define ONQUOTA_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MONEY_TEXT_MAX 48

/* Rewrites PostgreSQL numeric text ("1500", "-0.5", "123456789012345.678")
 * as a JSON number with exactly two decimals ("1500.00", "-0.50"), rounding
 * half away from zero past two decimals, exactly (no double). Writes into
 * out (size outsz, at least MONEY_TEXT_MAX is always enough for numeric(…,2)
 * values); returns false when the input is not plain numeric text or does not
 * fit. Never goes through a floating-point type. */
bool money_from_numeric(const char *numeric, char *out, size_t outsz);

/* Parses an incoming JSON amount (a double) into cents. Fails (false) when
 * the value has more than two decimals, is not finite, or |cents| exceeds
 * max_cents (for numeric(12,2): 999999999999). */
bool money_cents_from_double(double v, int64_t max_cents, int64_t *cents);

/* Formats cents as "-12.34" into out (at least 24 bytes). */
void money_format_cents(int64_t cents, char *out, size_t outsz);

#endif
