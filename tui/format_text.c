/* UTF-8 decoding and encoding, display width (wcwidth) and ASCII transliteration of data text. */
#include "format.h"

#include <string.h>
#include <wchar.h>

#include "buf.h"

#define REPLACEMENT 0xFFFDu

/* ---- UTF-8 -------------------------------------------------------------- */

uint32_t format_utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp, min;
    int n;

    if (!p || *p == 0)
        return 0;
    if (p[0] < 0x80) {
        *s += 1;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1Fu;
        n = 1;
        min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0Fu;
        n = 2;
        min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        cp = p[0] & 0x07u;
        n = 3;
        min = 0x10000;
    } else {
        *s += 1;
        return REPLACEMENT;
    }
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += 1;
            return REPLACEMENT;
        }
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *s += 1;
        return REPLACEMENT;
    }
    *s += n + 1;
    return cp;
}

int format_utf8_put(uint32_t cp, char *out)
{
    int n;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = REPLACEMENT;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | cp >> 18);
        out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    out[n] = '\0';
    return n;
}

/* ---- width -------------------------------------------------------------- */

/* Combining marks and invisible format characters: no column of their own,
 * whatever the locale (so ASCII mode drops them even under LANG=C). */
static bool is_zero_width(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF;
}

int format_cp_width(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return 1;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 1; /* shown as U+FFFD */
    if (is_zero_width(cp))
        return 0;
    int w = wcwidth((wchar_t)cp);
    if (w < 0)
        return 1; /* unprintable here: shown as U+FFFD */
    return w > 2 ? 2 : w;
}

int format_width(const char *utf8)
{
    const char *p = utf8;
    int w = 0;
    uint32_t cp;

    if (!p)
        return 0;
    while ((cp = format_utf8_next(&p)) != 0)
        w += format_cp_width(cp);
    return w;
}

/* ---- transliteration ---------------------------------------------------- */

/* U+00C0–U+00FF, up to two letters each. */
static const char latin1[64][3] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  "x", "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "/", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* U+0100–U+017F, one letter each; IJ, ij, OE, oe are special-cased. */
static const char latin_ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi"
                                  "--JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo--RrRrRrSsSsSsSsTtTtTt"
                                  "UuUuUuUuUuUuWwYyYZzZzZzs";

_Static_assert(sizeof latin_ext_a - 1 == 0x80, "one letter per code point U+0100-U+017F");

static const struct {
    uint32_t from, to;
    const char *ascii;
} ranges[] = {
    {0x00A0, 0x00A0, " "},   {0x00A1, 0x00A1, "!"},   {0x00AB, 0x00AB, "\""}, {0x00AD, 0x00AD, "-"},
    {0x00B7, 0x00B7, "."},   {0x00BB, 0x00BB, "\""},  {0x00BF, 0x00BF, "?"},  {0x0218, 0x0218, "S"},
    {0x0219, 0x0219, "s"},   {0x021A, 0x021A, "T"},   {0x021B, 0x021B, "t"},  {0x2000, 0x200A, " "},
    {0x2010, 0x2015, "-"},   {0x2018, 0x201B, "'"},   {0x201C, 0x201F, "\""}, {0x2022, 0x2022, "*"},
    {0x2026, 0x2026, "..."}, {0x2039, 0x2039, "<"},   {0x203A, 0x203A, ">"},  {0x202F, 0x202F, " "},
    {0x205F, 0x205F, " "},   {0x20AC, 0x20AC, "EUR"}, {0x2212, 0x2212, "-"},  {0x2500, 0x2501, "-"},
    {0x2502, 0x2503, "|"},   {0x250C, 0x254B, "+"},   {0x256D, 0x2570, "+"},  {0x2581, 0x2588, "#"},
    {0x2589, 0x258F, "#"},   {0x25B2, 0x25B2, "^"},   {0x25BC, 0x25BC, "v"},  {0x2713, 0x2714, "+"},
    {0x2717, 0x2718, "x"},   {0x3000, 0x3000, " "},
};

int format_cp_ascii(uint32_t cp, char out[4])
{
    const char *s = "?";

    if (cp == '\t' || cp == '\n' || cp == '\r') {
        s = " ";
    } else if (cp >= 0x20 && cp < 0x7F) {
        out[0] = (char)cp;
        out[1] = '\0';
        return 1;
    } else if (is_zero_width(cp)) {
        out[0] = '\0';
        return 0;
    } else if (cp >= 0xC0 && cp <= 0xFF) {
        s = latin1[cp - 0xC0];
    } else if (cp == 0x132 || cp == 0x133 || cp == 0x152 || cp == 0x153) {
        s = cp == 0x132 ? "IJ" : cp == 0x133 ? "ij" : cp == 0x152 ? "OE" : "oe";
    } else if (cp >= 0x100 && cp <= 0x17F) {
        out[0] = latin_ext_a[cp - 0x100];
        out[1] = '\0';
        return 1;
    } else {
        for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
            if (cp >= ranges[i].from && cp <= ranges[i].to) {
                s = ranges[i].ascii;
                break;
            }
        }
    }
    size_t n = strlen(s);
    memcpy(out, s, n + 1);
    return (int)n;
}

char *format_ascii(const char *utf8)
{
    struct buf b = BUF_INIT;
    const char *p = utf8 ? utf8 : "";
    uint32_t cp;
    char a[4];

    while ((cp = format_utf8_next(&p)) != 0) {
        int n = format_cp_ascii(cp, a);
        buf_add(&b, a, (size_t)n);
    }
    return buf_take(&b);
}
