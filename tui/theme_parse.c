/* The theme file parser: INI text to a struct theme, with errors that name the line. */
#include "theme.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    const char *source;
    int line;
    char *err; /* first error, malloc'd */
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct parser *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!p->err)
        p->err = xasprintf("%s:%d: %s", p->source, p->line, msg);
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

static bool parse_line(struct parser *p, char *line, char *section, struct theme *t)
{
    line = trim(line);
    if (*line == '\0' || *line == '#' || *line == ';')
        return true;
    if (*line == '[') {
        char *end = strchr(line, ']');
        if (!end || end[1] != '\0')
            return fail(p, "malformed section header");
        *end = '\0';
        char *name = trim(line + 1);
        if (strcmp(name, "theme") != 0 && strcmp(name, "colors") != 0)
            return fail(p, "unknown section '%s'", name);
        snprintf(section, 16, "%s", name);
        return true;
    }
    char *eq = strchr(line, '=');
    if (!eq)
        return fail(p, "expected 'key = value'");
    *eq = '\0';
    char *key = trim(line), *value = trim(eq + 1);
    if (*section == '\0')
        return fail(p, "'%s' outside a section", key);
    if (strcmp(section, "theme") == 0) {
        if (strcmp(key, "name") != 0)
            return fail(p, "unknown key '%s' in [theme]", key);
        snprintf(t->name, sizeof t->name, "%s", value);
        return true;
    }
    if (strcmp(key, "palette") == 0)
        return parse_palette(p, value, t);
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (strcmp(key, theme_role_name((enum color_role)r)) == 0)
            return parse_style(p, key, value, &t->roles[r]);
    }
    return fail(p, "unknown role '%s'", key);
}

bool theme_parse(const char *text, const char *source, struct theme *t, char **err)
{
    struct parser p = {.source = source ? source : "theme"};
    char section[16] = "";
    char *copy = xstrdup(text ? text : "");
    bool ok = true;

    theme_default(t);
    t->name[0] = '\0';
    char *line = copy;
    while (ok && line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        p.line++;
        ok = parse_line(&p, line, section, t);
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
    if (!ok) {
        theme_default(t);
        if (err)
            *err = p.err;
        else
            free(p.err);
        return false;
    }
    if (t->name[0] == '\0') {
        /* No [theme] name: the source's base name without ".theme". */
        const char *base = strrchr(p.source, '/');
        base = base ? base + 1 : p.source;
        size_t n = strcspn(base, ".");
        snprintf(t->name, sizeof t->name, "%.*s", (int)n, base);
    }
    return true;
}
