/* Dates and timestamps: strict parsing and RFC 3339 formatting. */
#ifndef ONQUOTA_TIMEUTIL_H
#define ONQUOTA_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define RFC3339_MAX 40

/* Strictly parses YYYY-MM-DD (a real calendar date). */
bool date_parse(const char *s, int *y, int *m, int *d);
/* Days since 1970-01-01 of a (proleptic Gregorian) date, and back. */
int64_t date_to_days(int y, int m, int d);
void date_from_days(int64_t days, int *y, int *m, int *d);
/* Days in month m (1–12) of year y. */
int days_in_month(int y, int m);
/* Formats a UTC time as 2026-03-15T23:59:59Z, or with millis when
 * with_ms (2026-03-15T23:59:59.123Z). */
void time_rfc3339(const struct timespec *ts, bool with_ms, char out[RFC3339_MAX]);
/* Parses RFC 3339 ("...Z" or "+hh:mm", optional fraction) to microseconds since
 * the epoch. */
bool time_parse_rfc3339(const char *s, int64_t *usec);
/* Rewrites PostgreSQL timestamptz text in UTC ("2026-03-15 23:59:59.5+00")
 * as RFC 3339 ("2026-03-15T23:59:59.5Z"). Returns false when not of that form.
 * The connection's TimeZone must be UTC. */
bool time_pg_to_rfc3339(const char *pg, char out[RFC3339_MAX]);
/* Monotonic clock in seconds / microseconds. */
double time_mono(void);
int64_t time_mono_us(void);

#endif
