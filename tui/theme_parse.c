/* The theme file parser: INI text to a struct theme, with errors that name the line. */
#include "theme.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini.h"
#include "xalloc.h"

static const char *const color_names[16] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright_black",   "bright_red",
    "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan",
    "bright_white",
};

static const struct {
    const char *name;
    unsigned attr;
} attr_names[] = {
    {"bold", ATTR_BOLD},
    {"dim", ATTR_DIM},
    {"underline", ATTR_UNDERLINE},
    {"reverse", ATTR_REVERSE},
};

/* Trims spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One colour word: a name, 0–255, #RRGGBB or default. */
static bool parse_color(const char *s, struct theme_color *c)
{
    memset(c, 0, sizeof *c);
    if (strcasecmp(s, "default") == 0) {
        c->kind = THEME_COLOR_DEFAULT;
        return true;
    }
    for (int i = 0; i < 16; i++) {
        if (strcasecmp(s, color_names[i]) == 0) {
            c->kind = THEME_COLOR_INDEX;
            c->index = i;
            return true;
        }
    }
    if (s[0] == '#') {
        uint32_t v = 0;
        for (int i = 1; i <= 6; i++) {
            int h = hexval(s[i]);
            if (h < 0)
                return false;
            v = v << 4 | (uint32_t)h;
        }
        if (s[7] != '\0')
            return false;
        c->kind = THEME_COLOR_RGB;
        c->rgb = v;
        return true;
    }
    if (*s == '\0' || strlen(s) > 3)
        return false;
    int v = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v > 255)
        return false;
    c->kind = THEME_COLOR_INDEX;
    c->index = v;
    return true;
}

struct parser {
    struct theme *theme;
    char *msg; /* the error of the current line, malloc'd */
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct parser *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!p->msg)
        p->msg = xstrdup(msg);
    return false;
}

/* "COLOUR [on COLOUR]", "on COLOUR" or an attribute, comma-separated. */
static bool parse_style(struct parser *p, const char *key, char *value, struct theme_style *st)
{
    bool have_fg = false;

    memset(st, 0, sizeof *st);
    for (char *tok = value, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        tok = trim(tok);
        if (*tok == '\0')
            return fail(p, "empty item in '%s'", key);
        bool is_attr = false;
        for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
            if (strcasecmp(tok, attr_names[i].name) == 0) {
                st->attrs |= attr_names[i].attr;
                is_attr = true;
            }
        }
        if (is_attr)
            continue;
        char *on = strncasecmp(tok, "on ", 3) == 0 ? tok : strstr(tok, " on ");
        if (on) {
            char *bg = trim(on + (on == tok ? 3 : 4));
            *on = '\0';
            if (!parse_color(bg, &st->bg))
                return fail(p, "unknown colour '%s'", bg);
            tok = trim(tok);
            if (*tok == '\0')
                continue;
        }
        if (have_fg)
            return fail(p, "two colours for '%s' (use 'FG on BG')", key);
        if (!parse_color(tok, &st->fg))
            return fail(p, "unknown colour '%s'", tok);
        have_fg = true;
    }
    return true;
}

static bool parse_palette(struct parser *p, char *value, struct theme *t)
{
    int n = 0;
    struct theme_color c[THEME_PALETTE_N];

    for (char *tok = value, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        tok = trim(tok);
        if (n == THEME_PALETTE_N)
            return fail(p, "palette has more than %d colours", THEME_PALETTE_N);
        if (!parse_color(tok, &c[n]))
            return fail(p, "unknown colour '%s'", tok);
        n++;
    }
    if (n != THEME_PALETTE_N)
        return fail(p, "palette needs %d colours, got %d", THEME_PALETTE_N, n);
    for (int i = 0; i < n; i++) {
        memset(&t->roles[ROLE_PALETTE0 + i], 0, sizeof t->roles[0]);
        t->roles[ROLE_PALETTE0 + i].fg = c[i];
    }
    return true;
}

static bool parse_item(struct parser *p, const struct ini_item *it)
{
    struct theme *t = p->theme;
    if (!it->key) {
        if (strcmp(it->section, "theme") != 0 && strcmp(it->section, "colors") != 0)
            return fail(p, "unknown section '%s'", it->section);
        return true;
    }
    if (*it->section == '\0')
        return fail(p, "'%s' outside a section", it->key);
    if (strcmp(it->section, "theme") == 0) {
        if (strcmp(it->key, "name") != 0)
            return fail(p, "unknown key '%s' in [theme]", it->key);
        snprintf(t->name, sizeof t->name, "%s", it->value);
        return true;
    }
    char *value = xstrdup(it->value); /* the item parsers cut it up */
    bool ok = false, known = false;
    if (strcmp(it->key, "palette") == 0) {
        ok = parse_palette(p, value, t);
        known = true;
    }
    for (int r = 0; r < ROLE_COUNT && !known; r++) {
        if (strcmp(it->key, theme_role_name((enum color_role)r)) == 0) {
            ok = parse_style(p, it->key, value, &t->roles[r]);
            known = true;
        }
    }
    free(value);
    return known ? ok : fail(p, "unknown role '%s'", it->key);
}

/* The reader's callback: one header or key of the theme. */
static int theme_item(const struct ini_item *it, void *arg, char **msg)
{
    struct parser *p = arg;
    if (parse_item(p, it))
        return 0;
    *msg = p->msg;
    p->msg = NULL;
    return -1;
}

bool theme_parse(const char *text, const char *source, struct theme *t, char **err)
{
    struct parser p = {.theme = t};
    char *e = NULL;

    source = source ? source : "theme";
    theme_default(t);
    t->name[0] = '\0';
    text = text ? text : "";
    if (ini_parse(text, strlen(text), source, theme_item, &p, &e) != 0) {
        theme_default(t);
        if (err)
            *err = e;
        else
            free(e);
        return false;
    }
    if (t->name[0] == '\0') {
        /* No [theme] name: the source's base name without ".theme". */
        const char *base = strrchr(source, '/');
        base = base ? base + 1 : source;
        size_t n = strcspn(base, ".");
        snprintf(t->name, sizeof t->name, "%.*s", (int)n, base);
    }
    return true;
}
