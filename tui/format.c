/* Locale-independent number, money, percentage and age text (UTF-8 helpers live in format_text.c).
 */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

/* ---- exact decimal rounding and grouping -------------------------------- */

/* Digits kept at most; beyond that a value is not worth showing exactly. */
#define DEC_DIGITS 40

/* A decimal number as sign, digit string and power of ten:
 * value = digits × 10^exp. */
struct dec {
    bool neg;
    char dig[DEC_DIGITS + 1];
    int ndig;
    int exp;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses "-123.45", "1e+15", "2.5E-3" (JSON number grammar, plus a leading
 * '+' and leading zeros). Leading zeros are dropped from the digits. */
static bool dec_parse(const char *s, struct dec *d)
{
    memset(d, 0, sizeof *d);
    if (!s)
        return false;
    if (*s == '-' || *s == '+')
        d->neg = *s++ == '-';
    int frac = 0, seen = 0;
    bool in_frac = false;
    for (;; s++) {
        if (is_digit(*s)) {
            seen++;
            if (d->ndig == 0 && *s == '0') {
                if (in_frac)
                    frac++;
                continue;
            }
            if (d->ndig >= DEC_DIGITS) {
                /* Further fraction digits cannot matter at two decimals. */
                if (in_frac)
                    continue;
                return false;
            }
            d->dig[d->ndig++] = *s;
            if (in_frac)
                frac++;
        } else if (*s == '.' && !in_frac && seen > 0) {
            in_frac = true;
            if (!is_digit(s[1]))
                return false;
        } else {
            break;
        }
    }
    if (seen == 0)
        return false;
    long e = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = false;
        if (*s == '-' || *s == '+')
            eneg = *s++ == '-';
        if (!is_digit(*s))
            return false;
        while (is_digit(*s)) {
            if (e < 10000)
                e = e * 10 + (*s - '0');
            s++;
        }
        if (eneg)
            e = -e;
    }
    if (*s != '\0')
        return false;
    d->exp = (int)e - frac;
    return true;
}

/* Rounds to `decimals` decimals, half away from zero, and writes the result
 * with ',' every three integer digits when `group`. False when too long. */
static bool dec_format(const struct dec *d, int decimals, bool group, char *out, size_t outsz)
{
    char n[DEC_DIGITS + 8];
    int len = d->ndig;
    memcpy(n, d->dig, (size_t)len);
    int shift = d->exp + decimals; /* n × 10^shift is the value in units of 10^-decimals */
    if (shift >= 0) {
        if (len + shift > DEC_DIGITS)
            return false;
        memset(n + len, '0', (size_t)shift);
        len += shift;
    } else {
        int drop = -shift;
        bool up;
        if (drop > len) {
            up = false;
            len = 0;
        } else {
            up = n[len - drop] >= '5';
            len -= drop;
        }
        for (int i = len - 1; up && i >= 0; i--) {
            if (n[i] == '9') {
                n[i] = '0';
            } else {
                n[i]++;
                up = false;
            }
        }
        if (up) {
            memmove(n + 1, n, (size_t)len);
            n[0] = '1';
            len++;
        }
    }
    /* At least one integer digit. */
    while (len < decimals + 1) {
        memmove(n + 1, n, (size_t)len);
        n[0] = '0';
        len++;
    }
    bool zero = true;
    for (int i = 0; i < len; i++)
        zero = zero && n[i] == '0';

    /* At most DEC_DIGITS + 1 digits, a comma per three, a sign and a point. */
    char tmp[DEC_DIGITS * 2 + 8];
    size_t p = 0;
    if (d->neg && !zero)
        tmp[p++] = '-';
    int ilen = len - decimals;
    for (int i = 0; i < ilen; i++) {
        if (group && i > 0 && (ilen - i) % 3 == 0)
            tmp[p++] = ',';
        tmp[p++] = n[i];
    }
    if (decimals > 0) {
        tmp[p++] = '.';
        memcpy(tmp + p, n + ilen, (size_t)decimals);
        p += (size_t)decimals;
    }
    tmp[p] = '\0';
    snprintf(out, outsz, "%s", tmp);
    return true;
}

/* The shortest decimal text that reads back as v ("2.675", "1e+15"). */
static void double_text(double v, char buf[40])
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static bool double_fixed(double v, int decimals, bool group, char *out, size_t outsz)
{
    char text[40];
    struct dec d;

    if (!isfinite(v))
        return false;
    double_text(v, text);
    return dec_parse(text, &d) && dec_format(&d, decimals, group, out, outsz);
}

/* ---- numbers and money -------------------------------------------------- */

enum format_type format_type_parse(const char *s)
{
    if (s && strcmp(s, "currency") == 0)
        return FORMAT_CURRENCY;
    if (s && strcmp(s, "percentage") == 0)
        return FORMAT_PERCENTAGE;
    return FORMAT_NUMBER;
}

void format_money(double v, char *out, size_t outsz)
{
    if (!double_fixed(v, 2, true, out, outsz))
        snprintf(out, outsz, "-");
}

bool format_money_text(const char *numeric, char *out, size_t outsz)
{
    struct dec d;

    if (dec_parse(numeric, &d) && dec_format(&d, 2, true, out, outsz))
        return true;
    snprintf(out, outsz, "-");
    return false;
}

void format_number(double v, int decimals, char *out, size_t outsz)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!double_fixed(v, decimals, true, out, outsz))
        snprintf(out, outsz, "-");
}

void format_count(long long n, char *out, size_t outsz)
{
    char text[32];
    struct dec d;

    snprintf(text, sizeof text, "%lld", n);
    if (!dec_parse(text, &d) || !dec_format(&d, 0, true, out, outsz))
        snprintf(out, outsz, "-");
}

void format_compact(double v, char *out, size_t outsz)
{
    static const char units[] = "kMBT";
    double a = fabs(v);

    if (!isfinite(v)) {
        snprintf(out, outsz, "-");
        return;
    }
    if (round(a) < 1000.0) {
        format_number(v, 0, out, outsz);
        return;
    }
    int u = 0;
    double x = a / 1e3;
    while (u < 3 && x >= 1000.0) {
        x /= 1000.0;
        u++;
    }
    /* Promote when rounding would print 1000 of a unit ("999.96k" → "1.0M"). */
    for (;;) {
        double shown = x < 99.95 ? round(x * 10) / 10 : round(x);
        if (shown < 1000.0 || u == 3) {
            char num[FMT_MAX];
            format_number(shown, x < 99.95 ? 1 : 0, num, sizeof num);
            snprintf(out, outsz, "%s%s%c", v < 0 ? "-" : "", num, units[u]);
            return;
        }
        x /= 1000.0;
        u++;
    }
}

void format_percent(double pct, int decimals, char *out, size_t outsz)
{
    char num[FMT_MAX];

    format_number(pct, decimals, num, sizeof num);
    snprintf(out, outsz, "%s%%", num);
}

void format_percent_exact(double pct, char *out, size_t outsz)
{
    double cents = round(pct * 100);
    int decimals = fmod(cents, 100) == 0 ? 0 : fmod(cents, 10) == 0 ? 1 : 2;
    format_percent(pct, decimals, out, outsz);
}

void format_local_time(time_t t, char *out, size_t outsz)
{
    struct tm tm;
    char zone[16];
    localtime_r(&t, &tm);
    if (!strftime(zone, sizeof zone, "%Z", &tm) || !zone[0] || zone[0] == '?')
        strftime(zone, sizeof zone, "%z", &tm);
    snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d:%02d %s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
}

void format_iso_local(const char *iso, char *out, size_t outsz)
{
    struct tm tm = {0};
    const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!end) {
        snprintf(out, outsz, "%s", iso ? iso : "-");
        return;
    }
    format_local_time(timegm(&tm), out, outsz);
}

void format_change(double pct, bool ascii, char *out, size_t outsz)
{
    char num[FMT_MAX];

    format_number(fabs(pct), 1, num, sizeof num);
    if (!isfinite(pct))
        snprintf(out, outsz, "-");
    else if (strcmp(num, "0.0") == 0)
        snprintf(out, outsz, "= 0.0%%");
    else if (pct > 0)
        snprintf(out, outsz, "%s %s%%", ascii ? "^" : "▲", num);
    else
        snprintf(out, outsz, "%s %s%%", ascii ? "v" : "▼", num);
}

void format_value(enum format_type type, double v, bool compact, char *out, size_t outsz)
{
    switch (type) {
    case FORMAT_CURRENCY:
        if (compact)
            format_compact(v, out, outsz);
        else
            format_money(v, out, outsz);
        break;
    case FORMAT_PERCENTAGE:
        format_percent(v, 1, out, outsz);
        break;
    default:
        if (compact) {
            format_compact(v, out, outsz);
        } else {
            /* Counts show no decimals; other numbers keep up to two. */
            double r = round(v * 100) / 100;
            int decimals = 2;
            if (fabs(r - round(r)) < 1e-9)
                decimals = 0;
            else if (fabs(r * 10 - round(r * 10)) < 1e-9)
                decimals = 1;
            format_number(v, decimals, out, outsz);
        }
        break;
    }
}

/* ---- times -------------------------------------------------------------- */

void format_ago(int64_t secs, const char *lang, char *out, size_t outsz)
{
    static const struct {
        int64_t span;
        const char *unit;
    } steps[] = {
        {60, "s"},         {3600, "m"},         {86400, "h"},
        {86400 * 30, "d"}, {86400 * 365, "mo"}, {INT64_MAX, "y"},
    };
    static const int64_t unit_len[] = {1, 60, 3600, 86400, 86400 * 30, 86400 * 365};
    bool es = msg_is_es(lang);

    if (secs < 1) {
        snprintf(out, outsz, "%s", es ? "ahora" : "just now");
        return;
    }
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (secs < steps[i].span) {
            long long n = (long long)(secs / unit_len[i]);
            if (es)
                snprintf(out, outsz, "hace %lld%s", n, steps[i].unit);
            else
                snprintf(out, outsz, "%lld%s ago", n, steps[i].unit);
            return;
        }
    }
}

void format_duration(int64_t secs, char *out, size_t outsz)
{
    long long s = secs < 0 ? 0 : (long long)secs;

    if (s < 60)
        snprintf(out, outsz, "%llds", s);
    else if (s < 3600 && s % 60 == 0)
        snprintf(out, outsz, "%lldm", s / 60);
    else if (s < 3600)
        snprintf(out, outsz, "%lldm %llds", s / 60, s % 60);
    else
        snprintf(out, outsz, "%lldh %lldm", s / 3600, s % 3600 / 60);
}

void format_ms(double ms, char *out, size_t outsz)
{
    if (!isfinite(ms) || ms < 0)
        snprintf(out, outsz, "-");
    else if (ms < 1)
        snprintf(out, outsz, "%.2f ms", ms);
    else if (ms < 99.95)
        snprintf(out, outsz, "%.1f ms", ms);
    else if (ms < 999.5)
        snprintf(out, outsz, "%.0f ms", ms);
    else
        snprintf(out, outsz, "%.2f s", ms / 1000);
}
