/* Themes: the built-in default, finding and loading theme files, and resolving roles to colours. */
#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "xalloc.h"

#ifndef ONQUOTA_THEME_DIR
#define ONQUOTA_THEME_DIR "/usr/local/share/onquota/themes"
#endif

/* ---- roles and the built-in default ------------------------------------- */

static const char *const role_names[ROLE_COUNT] = {
    [ROLE_BACKGROUND] = "background",
    [ROLE_TEXT] = "text",
    [ROLE_DIM] = "dim",
    [ROLE_TITLE] = "title",
    [ROLE_BORDER] = "border",
    [ROLE_BORDER_FOCUS] = "border_focus",
    [ROLE_SELECTED] = "selected",
    [ROLE_GOOD] = "good",
    [ROLE_WARN] = "warn",
    [ROLE_BAD] = "bad",
    [ROLE_GAUGE_FILL] = "gauge_fill",
    [ROLE_GAUGE_EMPTY] = "gauge_empty",
    [ROLE_GAUGE_TARGET] = "gauge_target",
    [ROLE_GAUGE_PACE] = "gauge_pace",
    [ROLE_CHART_CURRENT] = "chart_current",
    [ROLE_CHART_PREVIOUS] = "chart_previous",
    [ROLE_PALETTE0] = "palette0",
    [ROLE_PALETTE0 + 1] = "palette1",
    [ROLE_PALETTE0 + 2] = "palette2",
    [ROLE_PALETTE0 + 3] = "palette3",
    [ROLE_PALETTE0 + 4] = "palette4",
    [ROLE_PALETTE0 + 5] = "palette5",
    [ROLE_PALETTE0 + 6] = "palette6",
    [ROLE_PALETTE7] = "palette7",
    [ROLE_BANNER] = "banner",
};

const char *theme_role_name(enum color_role role)
{
    if ((int)role < 0 || role >= ROLE_COUNT)
        return NULL;
    return role_names[role];
}

#define IDX(i)                                                                                     \
    {                                                                                              \
        THEME_COLOR_INDEX, (i), 0                                                                  \
    }
#define DEF                                                                                        \
    {                                                                                              \
        THEME_COLOR_DEFAULT, 0, 0                                                                  \
    }

enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE, BRIGHT = 8 };

/* Keep in step with themes/default.theme: 16 colours so it works on any
 * colour terminal, dark or light. */
static const struct theme_style default_roles[ROLE_COUNT] = {
    [ROLE_BACKGROUND] = {DEF, DEF, 0},
    [ROLE_TEXT] = {DEF, DEF, 0},
    [ROLE_DIM] = {IDX(BRIGHT + BLACK), DEF, 0},
    [ROLE_TITLE] = {DEF, DEF, ATTR_BOLD},
    [ROLE_BORDER] = {IDX(BRIGHT + BLACK), DEF, 0},
    [ROLE_BORDER_FOCUS] = {IDX(CYAN), DEF, ATTR_BOLD},
    [ROLE_SELECTED] = {IDX(BLACK), IDX(CYAN), 0},
    [ROLE_GOOD] = {IDX(GREEN), DEF, 0},
    [ROLE_WARN] = {IDX(YELLOW), DEF, 0},
    [ROLE_BAD] = {IDX(RED), DEF, ATTR_BOLD},
    [ROLE_GAUGE_FILL] = {IDX(CYAN), DEF, 0},
    [ROLE_GAUGE_EMPTY] = {IDX(BRIGHT + BLACK), DEF, 0},
    [ROLE_GAUGE_TARGET] = {DEF, DEF, ATTR_BOLD},
    [ROLE_GAUGE_PACE] = {IDX(YELLOW), DEF, ATTR_BOLD},
    [ROLE_CHART_CURRENT] = {IDX(CYAN), DEF, 0},
    [ROLE_CHART_PREVIOUS] = {IDX(BLUE), DEF, 0},
    [ROLE_PALETTE0] = {IDX(BLUE), DEF, 0},
    [ROLE_PALETTE0 + 1] = {IDX(GREEN), DEF, 0},
    [ROLE_PALETTE0 + 2] = {IDX(YELLOW), DEF, 0},
    [ROLE_PALETTE0 + 3] = {IDX(MAGENTA), DEF, 0},
    [ROLE_PALETTE0 + 4] = {IDX(CYAN), DEF, 0},
    [ROLE_PALETTE0 + 5] = {IDX(RED), DEF, 0},
    [ROLE_PALETTE0 + 6] = {IDX(BRIGHT + BLUE), DEF, 0},
    [ROLE_PALETTE7] = {IDX(BRIGHT + GREEN), DEF, 0},
    [ROLE_BANNER] = {IDX(BRIGHT + WHITE), IDX(RED), ATTR_BOLD},
};

void theme_default(struct theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    memcpy(t->roles, default_roles, sizeof default_roles);
}

/* ---- files -------------------------------------------------------------- */

bool theme_load_file(const char *path, struct theme *t, char **err)
{
    FILE *f = fopen(path, "r");
    struct buf b = BUF_INIT;
    char chunk[4096];
    size_t n;

    if (!f) {
        theme_default(t);
        if (err)
            *err = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1 << 20)
        buf_add(&b, chunk, n);
    fclose(f);
    const char *base = strrchr(path, '/');
    bool ok = theme_parse(buf_str(&b), base ? base + 1 : path, t, err);
    buf_free(&b);
    return ok;
}

/* The search path, in order; entries may be NULL. dirs[1] is malloc'd. */
static void search_dirs(const char *theme_dir, const char *dirs[4], char **owned)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    *owned = NULL;
    if (xdg && *xdg)
        *owned = xasprintf("%s/onquota/themes", xdg);
    else if (home && *home)
        *owned = xasprintf("%s/.config/onquota/themes", home);
    dirs[0] = theme_dir && *theme_dir ? theme_dir : NULL;
    dirs[1] = *owned;
    dirs[2] = ONQUOTA_THEME_DIR;
#ifdef ONQUOTA_SOURCE_THEME_DIR
    dirs[3] = ONQUOTA_SOURCE_THEME_DIR;
#else
    dirs[3] = NULL;
#endif
}

static bool name_ok(const char *name)
{
    return name && *name && name[0] != '.' && !strchr(name, '/') && strlen(name) < 200;
}

char *theme_find(const char *name, const char *theme_dir)
{
    const char *dirs[4];
    char *owned, *found = NULL;
    struct stat st;

    if (!name_ok(name))
        return NULL;
    search_dirs(theme_dir, dirs, &owned);
    for (int i = 0; i < 4 && !found; i++) {
        if (!dirs[i])
            continue;
        char *path = xasprintf("%s/%s.theme", dirs[i], name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            found = path;
        else
            free(path);
    }
    free(owned);
    return found;
}

enum theme_status theme_load(const char *name, const char *theme_dir, struct theme *t, char **err)
{
    if (!name || !*name)
        name = "default";
    char *path = theme_find(name, theme_dir);
    if (!path) {
        theme_default(t);
        if (strcmp(name, "default") == 0)
            return THEME_OK;
        if (err)
            *err = xasprintf("unknown theme '%s'", name);
        return THEME_NOT_FOUND;
    }
    bool ok = theme_load_file(path, t, err);
    free(path);
    return ok ? THEME_OK : THEME_BROKEN;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_list(const char *theme_dir, size_t *count)
{
    const char *dirs[4];
    char *owned;
    size_t n = 0, cap = 8;
    char **v = xmalloc(cap * sizeof *v);

    v[n++] = xstrdup("default");
    search_dirs(theme_dir, dirs, &owned);
    for (int i = 0; i < 4; i++) {
        DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0 || e->d_name[0] == '.')
                continue;
            if (n + 1 >= cap) {
                cap *= 2;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n++] = xstrndup(e->d_name, len - 6);
        }
        if (d)
            closedir(d);
    }
    free(owned);
    qsort(v, n, sizeof *v, cmp_names);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && strcmp(v[out - 1], v[i]) == 0)
            free(v[i]);
        else
            v[out++] = v[i];
    }
    v[out] = NULL;
    if (count)
        *count = out;
    return v;
}

void theme_list_free(char **names)
{
    for (char **p = names; p && *p; p++)
        free(*p);
    free(names);
}

/* ---- resolving and approximating ---------------------------------------- */

struct theme_style theme_resolve(const struct theme *t, enum color_role role, enum color_role bg,
                                 unsigned extra_attrs)
{
    struct theme_style out;

    if ((int)role < 0 || role >= ROLE_COUNT)
        role = ROLE_TEXT;
    if ((int)bg < 0 || bg >= ROLE_COUNT)
        bg = ROLE_BACKGROUND;
    const struct theme_style *s = &t->roles[role];
    out.fg = s->fg.kind == THEME_COLOR_DEFAULT ? t->roles[ROLE_TEXT].fg : s->fg;
    if (bg != ROLE_BACKGROUND)
        out.bg = t->roles[bg].fg;
    else if (s->bg.kind != THEME_COLOR_DEFAULT)
        out.bg = s->bg;
    else
        out.bg = t->roles[ROLE_BACKGROUND].fg;
    out.attrs = s->attrs | extra_attrs;
    return out;
}

bool theme_same_fg(const struct theme *t, enum color_role a, enum color_role b)
{
    struct theme_style x = theme_resolve(t, a, ROLE_BACKGROUND, 0);
    struct theme_style y = theme_resolve(t, b, ROLE_BACKGROUND, 0);
    return x.fg.kind == y.fg.kind && x.fg.index == y.fg.index && x.fg.rgb == y.fg.rgb;
}

static const uint32_t ansi16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static const int cube_levels[6] = {0, 95, 135, 175, 215, 255};

static uint32_t xterm_rgb(int i)
{
    if (i < 16)
        return ansi16[i];
    if (i < 232) {
        i -= 16;
        return (uint32_t)cube_levels[i / 36] << 16 | (uint32_t)cube_levels[i / 6 % 6] << 8 |
               (uint32_t)cube_levels[i % 6];
    }
    uint32_t v = (uint32_t)(8 + (i - 232) * 10);
    return v << 16 | v << 8 | v;
}

bool theme_color_rgb(struct theme_color c, uint32_t *rgb)
{
    if (c.kind == THEME_COLOR_RGB)
        *rgb = c.rgb & 0xFFFFFF;
    else if (c.kind == THEME_COLOR_INDEX && c.index >= 0 && c.index < 256)
        *rgb = xterm_rgb(c.index);
    else
        return false;
    return true;
}

static long dist2(uint32_t a, uint32_t b)
{
    long dr = (long)(a >> 16 & 0xFF) - (long)(b >> 16 & 0xFF);
    long dg = (long)(a >> 8 & 0xFF) - (long)(b >> 8 & 0xFF);
    long db = (long)(a & 0xFF) - (long)(b & 0xFF);
    /* Weighted towards green, as the eye is. */
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

int theme_color_approx(struct theme_color c, int colors)
{
    uint32_t rgb;

    if (colors < 8 || !theme_color_rgb(c, &rgb))
        return -1;
    if (c.kind == THEME_COLOR_INDEX && c.index < colors)
        return c.index;
    if (c.kind == THEME_COLOR_INDEX && colors == 8 && c.index < 16)
        return c.index - 8;
    int first = colors >= 256 ? 16 : 0, last = colors >= 256 ? 256 : (colors >= 16 ? 16 : 8);
    int best = first;
    long best_d = -1;
    for (int i = first; i < last; i++) {
        long d = dist2(rgb, xterm_rgb(i));
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}
