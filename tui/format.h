/* Locale-independent text for numbers, money, percentages and ages; UTF-8 width and ASCII
 * transliteration. */
#ifndef ONQUOTA_FORMAT_H
#define ONQUOTA_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Enough for every format_* output below (the longest is a grouped
 * 20-digit money value with sign). Every function writes a NUL-terminated
 * string into out and truncates rather than overflows when outsz is short. */
#define FMT_MAX 48

/* The API's format_type values. */
enum format_type {
    FORMAT_NUMBER = 0, /* "number": a count, "1,234" (decimals kept when present, "1,234.5") */
    FORMAT_CURRENCY,   /* "currency": money, "9,320.48" */
    FORMAT_PERCENTAGE, /* "percentage": "12.4%" */
};

/* "currency" / "number" / "percentage" → the enum; anything else (or NULL)
 * is FORMAT_NUMBER. */
enum format_type format_type_parse(const char *s);

/* Money in full: ',' thousands, '.' decimals, exactly two decimals, '-' for
 * negatives, whatever the locale ("9,320.48", "-1,234,567,890,123.45"). The
 * double is first written as its shortest round-trip decimal, then rounded
 * half away from zero in decimal, so 2.675 gives "2.68" and 15-significant-
 * digit values come out exactly. Never "-0.00". NaN/inf give "-". */
void format_money(double v, char *out, size_t outsz);

/* The same from decimal text ("9320.48", "-0.5", PostgreSQL numeric or a JSON
 * number, exponents allowed): exact, no floating point for plain decimals.
 * Returns false (and writes "-") when the text is not a number. */
bool format_money_text(const char *numeric, char *out, size_t outsz);

/* Compact money/number for narrow layouts: below 1,000 in full with no
 * decimals ("950", "-12"); then one decimal under 100 of the unit and none
 * above ("9.3k", "93.2k", "932k", "1.2M", "3.4B", "5.6T"), never "1000k". */
void format_compact(double v, char *out, size_t outsz);

/* A count with thousands separators: "1,234", "-5". */
void format_count(long long n, char *out, size_t outsz);

/* A number with thousands separators and `decimals` fixed decimals
 * (0–6): format_number(1234.5, 1) is "1,234.5". */
void format_number(double v, int decimals, char *out, size_t outsz);

/* A percentage with `decimals` decimals and '%': "12.4%", "-3.1%", "135%". */
void format_percent(double pct, int decimals, char *out, size_t outsz);

/* A percent with as many decimals as it has, up to two: 10 → "10%",
 * 2.5 → "2.5%", 12.25 → "12.25%" (never rounded to a whole number). */
void format_percent_exact(double pct, char *out, size_t outsz);

/* t as local time with its zone, "2026-12-03 09:41:07 CET" (the zone's
 * abbreviation from the TZ database; "+0100" when it has none). */
void format_local_time(time_t t, char *out, size_t outsz);

/* An API timestamp ("2026-11-29T02:01:42Z", UTC) as format_local_time
 * writes it; text that does not parse is copied as it is ("-" for NULL). */
void format_iso_local(const char *iso, char *out, size_t outsz);

/* A change: "▲ 12.4%" for > 0, "▼ 3.1%" for < 0 (magnitude shown), "= 0.0%"
 * for a value that rounds to zero; ASCII "^ 12.4%", "v 3.1%". */
void format_change(double pct, bool ascii, char *out, size_t outsz);

/* A value by the KPI's format_type, full or compact (compact applies to
 * currency and number only). */
void format_value(enum format_type type, double v, bool compact, char *out, size_t outsz);

/* Relative age of something `secs` seconds old: "just now" (under 1 s or in
 * the future), "4s ago", "3m ago", "2h ago", "5d ago", "3mo ago" (30-day
 * months), "2y ago" (365-day years). lang "es" gives "ahora", "hace 4s",
 * "hace 3m"...; anything else English. */
void format_ago(int64_t secs, const char *lang, char *out, size_t outsz);

/* A short duration: "45s", "3m", "2m 5s", "1h 4m". Negative counts as 0. */
void format_duration(int64_t secs, char *out, size_t outsz);

/* A latency in milliseconds: "0.41 ms", "12.3 ms", "245 ms", "1.25 s". */
void format_ms(double ms, char *out, size_t outsz);

/* Decodes one UTF-8 character at *s and advances *s past it (by at least one
 * byte unless at the NUL). Invalid or truncated sequences, overlongs and
 * surrogates give U+FFFD and advance one byte. Returns 0 at the end. */
uint32_t format_utf8_next(const char **s);

/* Encodes cp (U+FFFD when invalid) into out (at least 5 bytes); returns the
 * byte count, NUL-terminates. */
int format_utf8_put(uint32_t cp, char *out);

/* The display width of one character: wcwidth under the current locale,
 * with controls and unprintables counted as 1 (they are shown as U+FFFD or
 * '?') and combining marks 0. Needs a UTF-8 LC_CTYPE for non-ASCII. */
int format_cp_width(uint32_t cp);

/* The display width of UTF-8 text (sum of format_cp_width). */
int format_width(const char *utf8);

/* The ASCII stand-in of one character: itself when ASCII (controls become
 * '?'), the base letter for accented Latin letters (á→a, Ñ→N, ç→c, ß→"ss",
 * æ→"ae", ø→o...), a close form for common punctuation (— – → "-", “ ” → '"',
 * ‘ ’ → '\'', … → "...", NBSP → ' ', • · → '*' '.'), nothing for combining
 * marks, and '?' for anything else. Writes up to 3 chars + NUL into out[4];
 * returns their count (0 for combining marks). */
int format_cp_ascii(uint32_t cp, char out[4]);

/* Transliterates UTF-8 text to ASCII by format_cp_ascii
 * ("Conversión" → "Conversion", "東京" → "??"). Returns a malloc'd string the
 * caller frees (never NULL; NULL input gives ""). */
char *format_ascii(const char *utf8);

#endif
