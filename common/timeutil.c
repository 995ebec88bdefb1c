/* Dates and timestamps: strict YYYY-MM-DD and RFC 3339 parsing and formatting, monotonic clocks. */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

#define USEC_PER_SEC 1000000LL

/* Reads exactly n decimal digits at s. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* H. Hinnant's civil-from-days algorithms, for the proleptic Gregorian calendar. */
int64_t date_to_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD" at s, without looking past it. */
static bool date_at(const char *s, int *y, int *m, int *d)
{
    int yy, mm, dd;
    if (!digits(s, 4, &yy) || s[4] != '-' || !digits(s + 5, 2, &mm) || s[7] != '-' ||
        !digits(s + 8, 2, &dd))
        return false;
    if (yy < 1 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(yy, mm))
        return false;
    *y = yy;
    *m = mm;
    *d = dd;
    return true;
}

/* "HH:MM:SS" at s. A leap second (60) is accepted, as RFC 3339 allows. */
static bool clock_at(const char *s, int *h, int *mi, int *sec)
{
    return digits(s, 2, h) && s[2] == ':' && digits(s + 3, 2, mi) && s[5] == ':' &&
           digits(s + 6, 2, sec) && *h <= 23 && *mi <= 59 && *sec <= 60;
}

bool date_parse(const char *s, int *y, int *m, int *d)
{
    int yy, mm, dd;
    if (!s || !date_at(s, &yy, &mm, &dd) || s[10] != '\0')
        return false;
    if (y)
        *y = yy;
    if (m)
        *m = mm;
    if (d)
        *d = dd;
    return true;
}

void time_rfc3339(const struct timespec *ts, bool with_ms, char out[RFC3339_MAX])
{
    /* Every log line asks: the seconds' text is kept for the next call in
     * the same second on this thread. */
    static _Thread_local struct {
        time_t sec;
        size_t len;
        char text[RFC3339_MAX];
    } last = {.sec = -1};
    time_t t = ts->tv_sec;
    if (t != last.sec) {
        struct tm tm;
        if (!gmtime_r(&t, &tm)) {
            snprintf(out, RFC3339_MAX, "1970-01-01T00:00:00Z");
            return;
        }
        last.len = strftime(last.text, sizeof last.text, "%Y-%m-%dT%H:%M:%S", &tm);
        last.sec = t;
    }
    memcpy(out, last.text, last.len);
    char *p = out + last.len;
    if (with_ms) {
        long ms = (long)(ts->tv_nsec / 1000000);
        *p++ = '.';
        *p++ = (char)('0' + ms / 100);
        *p++ = (char)('0' + ms / 10 % 10);
        *p++ = (char)('0' + ms % 10);
    }
    *p++ = 'Z';
    *p = '\0';
}

bool time_parse_rfc3339(const char *s, int64_t *usec)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    int64_t frac = 0;

    if (!s || !date_at(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !clock_at(s + 11, &h, &mi, &sec))
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        int scale = 100000, n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++) {
            /* Digits past the microsecond are dropped (truncated). */
            frac += (*p - '0') * scale;
            scale /= 10;
        }
        if (n == 0)
            return false;
    }
    int sign = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;
    int64_t secs = date_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    secs -= sign * (oh * 3600 + om * 60);
    if (usec)
        *usec = secs * USEC_PER_SEC + frac;
    return true;
}

bool time_pg_to_rfc3339(const char *pg, char out[RFC3339_MAX])
{
    int y, mo, d, h, mi, sec;

    if (!pg || !date_at(pg, &y, &mo, &d) || pg[10] != ' ' || !clock_at(pg + 11, &h, &mi, &sec))
        return false;
    const char *p = pg + 19;
    if (*p == '.') {
        size_t nfrac = strspn(p + 1, "0123456789");
        if (nfrac < 1 || nfrac > 6)
            return false;
        p += 1 + nfrac;
    }
    /* Only UTC: the session's TimeZone must be UTC for this to be right. */
    if (strcmp(p, "+00") != 0 && strcmp(p, "+00:00") != 0)
        return false;
    size_t n = (size_t)(p - pg);
    memcpy(out, pg, n);
    out[10] = 'T';
    out[n] = 'Z';
    out[n + 1] = '\0';
    return true;
}

double time_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}
