/* Unit tests of tui/format: money, compact numbers, percentages, changes, ages, widths and
 * transliteration. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "format.h"
#include "msg.h"
#include "test_tui_util.h"

/* ---- money -------------------------------------------------------------- */

static const struct {
    double v;
    const char *want;
} money_cases[] = {
    {9320.48, "9,320.48"},
    {-9320.48, "-9,320.48"},
    {0, "0.00"},
    {-0.0, "0.00"},
    {-0.001, "0.00"},
    {0.5, "0.50"},
    {999.995, "1,000.00"},
    {2.675, "2.68"},
    {-2.675, "-2.68"},
    {1000, "1,000.00"},
    {100000, "100,000.00"},
    {1234567.891, "1,234,567.89"},
    {999999999999.99, "999,999,999,999.99"},
    {-999999999999.99, "-999,999,999,999.99"},
    {1234567890123.45, "1,234,567,890,123.45"},
    {-1234567890123.45, "-1,234,567,890,123.45"},
    {123456789012345.0, "123,456,789,012,345.00"},
    {-123456789012345.0, "-123,456,789,012,345.00"},
    {123456789012345.67, "123,456,789,012,345.67"},
    {999999999999999.0, "999,999,999,999,999.00"},
    {1e15, "1,000,000,000,000,000.00"},
    {1e-5, "0.00"},
    {NAN, "-"},
    {INFINITY, "-"},
};

START_TEST(test_money)
{
    char out[FMT_MAX];
    format_money(money_cases[_i].v, out, sizeof out);
    ck_assert_msg(strcmp(out, money_cases[_i].want) == 0,
                  "format_money(%.17g): expected %s, got %s", money_cases[_i].v,
                  money_cases[_i].want, out);
}
END_TEST

static const struct {
    const char *in, *want;
    bool ok;
} money_text_cases[] = {
    {"9320.48", "9,320.48", true},
    {"-0.5", "-0.50", true},
    {"123456789012345.675", "123,456,789,012,345.68", true},
    {"-123456789012345.674", "-123,456,789,012,345.67", true},
    {"999999999999999.995", "1,000,000,000,000,000.00", true},
    {"-0.004", "0.00", true},
    {"1e+15", "1,000,000,000,000,000.00", true},
    {"2.5E-3", "0.00", true},
    {"12345", "12,345.00", true},
    {"007.10", "7.10", true},
    {"abc", "-", false},
    {"", "-", false},
    {"1.", "-", false},
    {"1e", "-", false},
    {"1,000", "-", false},
};

START_TEST(test_money_text)
{
    char out[FMT_MAX];
    bool ok = format_money_text(money_text_cases[_i].in, out, sizeof out);
    ck_assert_msg(ok == money_text_cases[_i].ok && strcmp(out, money_text_cases[_i].want) == 0,
                  "format_money_text(\"%s\"): expected %s (%s), got %s (%s)",
                  money_text_cases[_i].in, money_text_cases[_i].want,
                  money_text_cases[_i].ok ? "ok" : "refused", out, ok ? "ok" : "refused");
}
END_TEST

START_TEST(test_money_short_buffer)
{
    char out[6];
    format_money(1234567.0, out, sizeof out);
    ck_assert_msg(strlen(out) == 5, "a short buffer is truncated, not overflowed: got \"%s\"", out);
}
END_TEST

/* ---- compact, counts, percentages, changes ------------------------------- */

static const struct {
    double v;
    const char *want;
} compact_cases[] = {
    {0, "0"},          {950, "950"},     {-12, "-12"},     {999.4, "999"},   {999.6, "1.0k"},
    {9320.48, "9.3k"}, {-9320, "-9.3k"}, {93200, "93.2k"}, {932000, "932k"}, {999960, "1.0M"},
    {1234567, "1.2M"}, {3.4e9, "3.4B"},  {5.6e12, "5.6T"}, {7e15, "7,000T"}, {NAN, "-"},
};

START_TEST(test_compact)
{
    char out[FMT_MAX];
    format_compact(compact_cases[_i].v, out, sizeof out);
    ck_assert_msg(strcmp(out, compact_cases[_i].want) == 0,
                  "format_compact(%g): expected %s, got %s", compact_cases[_i].v,
                  compact_cases[_i].want, out);
}
END_TEST

START_TEST(test_count_percent_change)
{
    static const struct {
        const char *what, *want;
        int kind; /* 0 count, 1 percent, 2 change utf-8, 3 change ascii, 4 value */
        double v;
        int arg;
    } cases[] = {
        {"count 0", "0", 0, 0, 0},
        {"count 1234", "1,234", 0, 1234, 0},
        {"count -1234567", "-1,234,567", 0, -1234567, 0},
        {"percent 12.44/1", "12.4%", 1, 12.44, 1},
        {"percent -3.15/1", "-3.2%", 1, -3.15, 1},
        {"percent 135/0", "135%", 1, 135, 0},
        {"percent 37.5/0", "38%", 1, 37.5, 0},
        {"change +12.4", "▲ 12.4%", 2, 12.4, 0},
        {"change -3.1", "▼ 3.1%", 2, -3.1, 0},
        {"change 0.01", "= 0.0%", 2, 0.01, 0},
        {"change ascii +12.4", "^ 12.4%", 3, 12.4, 0},
        {"change ascii -3.1", "v 3.1%", 3, -3.1, 0},
        {"value currency", "15,230.50", 4, 15230.5, FORMAT_CURRENCY},
        {"value number", "42", 4, 42, FORMAT_NUMBER},
        {"value number 1234.5", "1,234.5", 4, 1234.5, FORMAT_NUMBER},
        {"value percentage", "26.9%", 4, 26.92, FORMAT_PERCENTAGE},
    };
    char out[FMT_MAX];
    for (int i = 0; i < N(cases); i++) {
        switch (cases[i].kind) {
        case 0:
            format_count((long long)cases[i].v, out, sizeof out);
            break;
        case 1:
            format_percent(cases[i].v, cases[i].arg, out, sizeof out);
            break;
        case 2:
        case 3:
            format_change(cases[i].v, cases[i].kind == 3, out, sizeof out);
            break;
        default:
            format_value((enum format_type)cases[i].arg, cases[i].v, false, out, sizeof out);
            break;
        }
        ck_assert_msg(strcmp(out, cases[i].want) == 0, "%s: expected \"%s\", got \"%s\"",
                      cases[i].what, cases[i].want, out);
    }
    ck_assert_int_eq(format_type_parse("currency"), FORMAT_CURRENCY);
    ck_assert_int_eq(format_type_parse("percentage"), FORMAT_PERCENTAGE);
    ck_assert_int_eq(format_type_parse("number"), FORMAT_NUMBER);
    ck_assert_int_eq(format_type_parse(NULL), FORMAT_NUMBER);
}
END_TEST

/* ---- times -------------------------------------------------------------- */

static const struct {
    int64_t secs;
    const char *lang, *want;
} ago_cases[] = {
    {-5, "en", "just now"},        {0, "en", "just now"},
    {1, "en", "1s ago"},           {4, "en", "4s ago"},
    {59, "en", "59s ago"},         {60, "en", "1m ago"},
    {3 * 60 + 59, "en", "3m ago"}, {3599, "en", "59m ago"},
    {3600, "en", "1h ago"},        {2 * 3600 + 1800, "en", "2h ago"},
    {86399, "en", "23h ago"},      {86400, "en", "1d ago"},
    {5 * 86400, "en", "5d ago"},   {45 * 86400, "en", "1mo ago"},
    {400 * 86400, "en", "1y ago"}, {0, "es", "ahora"},
    {180, "es", "hace 3m"},        {7200, NULL, "2h ago"},
};

START_TEST(test_ago)
{
    char out[FMT_MAX];
    format_ago(ago_cases[_i].secs, ago_cases[_i].lang, out, sizeof out);
    ck_assert_msg(strcmp(out, ago_cases[_i].want) == 0, "format_ago(%lld, %s): expected %s, got %s",
                  (long long)ago_cases[_i].secs, ago_cases[_i].lang ? ago_cases[_i].lang : "NULL",
                  ago_cases[_i].want, out);
}
END_TEST

static const struct {
    const char *lang;
    bool spanish;
} lang_cases[] = {
    {"es", true}, {"en", false}, {NULL, false}, {"", false}, {"e", false}, {"est", false},
};

START_TEST(test_msg_is_es)
{
    ck_assert_msg(msg_is_es(lang_cases[_i].lang) == lang_cases[_i].spanish,
                  "expected lang \"%s\" %s", lang_cases[_i].lang ? lang_cases[_i].lang : "(null)",
                  lang_cases[_i].spanish ? "to be Spanish" : "not to be Spanish");
}
END_TEST

START_TEST(test_duration_ms)
{
    static const struct {
        int kind;
        double v;
        const char *want;
    } cases[] = {
        {0, 45, "45s"},      {0, 180, "3m"},       {0, 125, "2m 5s"},     {0, 3840, "1h 4m"},
        {0, -3, "0s"},       {1, 0.41, "0.41 ms"}, {1, 12.34, "12.3 ms"}, {1, 245, "245 ms"},
        {1, 1250, "1.25 s"}, {1, -1, "-"},
    };
    char out[FMT_MAX];
    for (int i = 0; i < N(cases); i++) {
        if (cases[i].kind == 0)
            format_duration((int64_t)cases[i].v, out, sizeof out);
        else
            format_ms(cases[i].v, out, sizeof out);
        ck_assert_msg(strcmp(out, cases[i].want) == 0, "%s(%g): expected \"%s\", got \"%s\"",
                      cases[i].kind ? "format_ms" : "format_duration", cases[i].v, cases[i].want,
                      out);
    }
}
END_TEST

/* ---- text --------------------------------------------------------------- */

static const struct {
    const char *in, *want;
} ascii_cases[] = {
    {"Conversión", "Conversion"},
    {"Tasa de Conversión", "Tasa de Conversion"},
    {"Año ñandú", "Ano nandu"},
    {"Müller Çelik", "Muller Celik"},
    {"ÀÉÎÕÜ àéîõü", "AEIOU aeiou"},
    {"straße Œuvre æther", "strasse OEuvre aether"},
    {"Łódź Šibenik Ørsted", "Lodz Sibenik Orsted"},
    {"Conversio\xcc\x81n", "Conversion"}, /* decomposed: o + U+0301 */
    {"a — b … “c”", "a - b ... \"c\""},
    {"東京", "??"},
    {"🎉 party", "? party"},
    {"tab\there", "tab here"},
    {"bad \xff byte", "bad ? byte"},
    {"", ""},
};

START_TEST(test_ascii)
{
    char *out = format_ascii(ascii_cases[_i].in);
    ck_assert_msg(strcmp(out, ascii_cases[_i].want) == 0,
                  "format_ascii(\"%s\"): expected \"%s\", got \"%s\"", ascii_cases[_i].in,
                  ascii_cases[_i].want, out);
    free(out);
}
END_TEST

START_TEST(test_width_and_utf8)
{
    static const struct {
        const char *s;
        int w;
    } cases[] = {
        {"abc", 3}, {"Conversión", 10}, {"東京", 4}, {"🎉", 2}, {"e\xcc\x81", 1},
        {"", 0},    {"\xff", 1},        {"a\tb", 3},
    };
    for (int i = 0; i < N(cases); i++)
        ck_assert_msg(format_width(cases[i].s) == cases[i].w,
                      "format_width(\"%s\"): expected %d, got %d", cases[i].s, cases[i].w,
                      format_width(cases[i].s));

    /* Round trip of every encoded length, and rejection of bad sequences. */
    static const uint32_t cps[] = {0x41, 0xF1, 0x6771, 0x1F389};
    for (int i = 0; i < N(cps); i++) {
        char buf[5];
        format_utf8_put(cps[i], buf);
        const char *p = buf;
        uint32_t back = format_utf8_next(&p);
        ck_assert_msg(back == cps[i] && *p == '\0', "U+%04X must round-trip, got U+%04X", cps[i],
                      back);
    }
    static const char *const bad[] = {"\xc0\xaf", "\xed\xa0\x80", "\xe6\x9d", "\x80"};
    for (int i = 0; i < N(bad); i++) {
        const char *p = bad[i];
        ck_assert_msg(format_utf8_next(&p) == 0xFFFD && p == bad[i] + 1,
                      "bad sequence %d must decode as U+FFFD and advance one byte", i);
    }
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("tui_format");
    TCase *tc = tcase_create("format");
    tcase_add_checked_fixture(tc, tui_locale, NULL);
    tcase_add_loop_test(tc, test_money, 0, N(money_cases));
    tcase_add_loop_test(tc, test_money_text, 0, N(money_text_cases));
    tcase_add_test(tc, test_money_short_buffer);
    tcase_add_loop_test(tc, test_compact, 0, N(compact_cases));
    tcase_add_test(tc, test_count_percent_change);
    tcase_add_loop_test(tc, test_ago, 0, N(ago_cases));
    tcase_add_test(tc, test_duration_ms);
    tcase_add_loop_test(tc, test_msg_is_es, 0, N(lang_cases));
    tcase_add_loop_test(tc, test_ascii, 0, N(ascii_cases));
    tcase_add_test(tc, test_width_and_utf8);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(format_suite());
}
