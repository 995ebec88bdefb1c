/* Colour roles, colours and attributes, and theme files (INI) mapping one to the other. */
#ifndef ONQUOTA_THEME_H
#define ONQUOTA_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell is, not what colour it is: drawing code picks a role, the theme
 * turns it into colours. ROLE_BACKGROUND is 0 so that a zeroed field means
 * "no role given" where a struct says so (cell.bg, draw specs). */
enum color_role {
    ROLE_BACKGROUND = 0, /* the screen's background colour */
    ROLE_TEXT,
    ROLE_DIM,
    ROLE_TITLE,
    ROLE_BORDER,
    ROLE_BORDER_FOCUS,
    ROLE_SELECTED,
    ROLE_GOOD,
    ROLE_WARN,
    ROLE_BAD,
    ROLE_GAUGE_FILL,
    ROLE_GAUGE_EMPTY,
    ROLE_GAUGE_TARGET,
    ROLE_GAUGE_PACE,
    ROLE_CHART_CURRENT,
    ROLE_CHART_PREVIOUS,
    ROLE_PALETTE0, /* ROLE_PALETTE0 + i, i in 0..7: category colours */
    ROLE_PALETTE7 = ROLE_PALETTE0 + 7,
    ROLE_BANNER,
    ROLE_COUNT
};

#define THEME_PALETTE_N 8

/* Cell attributes, OR-ed. Screen code maps them to A_BOLD etc. */
enum {
    ATTR_BOLD = 1u << 0,
    ATTR_DIM = 1u << 1,
    ATTR_UNDERLINE = 1u << 2,
    ATTR_REVERSE = 1u << 3,
};

enum theme_color_kind {
    THEME_COLOR_DEFAULT = 0, /* the terminal's own default (ncurses -1) */
    THEME_COLOR_INDEX,       /* index 0–255: 0–7 black…white, 8–15 bright_* */
    THEME_COLOR_RGB,         /* 24-bit #RRGGBB */
};

struct theme_color {
    enum theme_color_kind kind;
    int index;    /* THEME_COLOR_INDEX: 0–255 */
    uint32_t rgb; /* THEME_COLOR_RGB: 0xRRGGBB */
};

/* One role's look. For ROLE_BACKGROUND only fg is used, and it is the
 * screen's background colour. */
struct theme_style {
    struct theme_color fg;
    struct theme_color bg; /* DEFAULT: the background role's colour */
    unsigned attrs;        /* ATTR_* */
};

#define THEME_NAME_MAX 64

struct theme {
    char name[THEME_NAME_MAX]; /* [theme] name, or the file's base name */
    struct theme_style roles[ROLE_COUNT];
};

/* Result of looking a theme up by name. */
enum theme_status {
    THEME_OK = 0,    /* loaded as asked */
    THEME_BROKEN,    /* found but has errors: *t is the built-in default, *err says where */
    THEME_NOT_FOUND, /* no such theme anywhere: *t is the built-in default (exit 3 in CLI) */
};

/* The role's key in theme files and messages ("gauge_fill", "palette3"), or
 * NULL for an out-of-range value. Static storage. */
const char *theme_role_name(enum color_role role);

/* Fills *t with the built-in default theme (the same colours as
 * themes/default.theme), which needs no file. */
void theme_default(struct theme *t);

/* Parses theme INI text. source names it in messages (e.g. "default.theme").
 * Sections: [theme] with name = ...; [colors] with role = value, where value
 * is "COLOUR [on COLOUR][, attr]..." (attrs: bold, dim, underline, reverse),
 * or for palette eight comma-separated colours. COLOUR: black…white,
 * bright_black…bright_white, 0–255, #RRGGBB, default. '#' or ';' at the start
 * of a line is a comment. Roles not given keep the built-in default's value.
 * On success returns true and fills *t. On the first error returns false,
 * sets *t to the built-in default and, when err is not NULL, stores in *err a
 * malloc'd one-line message "SOURCE:LINE: what" (caller frees). */
bool theme_parse(const char *text, const char *source, struct theme *t, char **err);

/* Reads and parses a file; messages name its base name and line. An
 * unreadable file is an error "PATH: strerror". Same contract as theme_parse. */
bool theme_load_file(const char *path, struct theme *t, char **err);

/* Where theme NAME lives: the first existing NAME.theme in theme_dir (may be
 * NULL), $XDG_CONFIG_HOME/onquota/themes (or ~/.config/onquota/themes), then
 * the installed share dir (ONQUOTA_THEME_DIR), then the source tree's
 * themes/ (so an uninstalled build finds the shipped themes). Returns a malloc'd path (caller
 * frees) or NULL. Names holding '/' or starting with '.' are never found. */
char *theme_find(const char *name, const char *theme_dir);

/* Looks up and loads NAME (NULL or "" means "default"). "default" with no
 * file anywhere is the built-in theme (THEME_OK). On THEME_BROKEN and
 * THEME_NOT_FOUND, *t is the built-in default and *err (when err is not NULL)
 * is a malloc'd one-line message the caller frees and shows. */
enum theme_status theme_load(const char *name, const char *theme_dir, struct theme *t, char **err);

/* Every theme name found in the search path plus "default", sorted, without
 * duplicates, for the `t` key. Returns a malloc'd, NULL-terminated array of
 * malloc'd strings; *n (may be NULL) gets the count. Free with
 * theme_list_free. */
char **theme_list(const char *theme_dir, size_t *n);
void theme_list_free(char **names);

/* The final colours and attributes of a cell drawn with foreground role `role`
 * and background role `bg` (ROLE_BACKGROUND = none): fg is the role's fg (or
 * the text role's when DEFAULT); bg is bg role's fg colour when bg is given,
 * else the role's own bg, else the background role's colour; attrs are the
 * role's attrs OR extra_attrs. Pure. */
struct theme_style theme_resolve(const struct theme *t, enum color_role role, enum color_role bg,
                                 unsigned extra_attrs);

/* True when roles a and b resolve to the same foreground colour (a
 * monochrome theme): then only patterns tell them apart. */
bool theme_same_fg(const struct theme *t, enum color_role a, enum color_role b);

/* The colour as 0xRRGGBB for direct-colour terminals: RGB as is, INDEX by
 * the xterm palette. Returns false (and leaves *rgb) for DEFAULT. */
bool theme_color_rgb(struct theme_color c, uint32_t *rgb);

/* Approximates a colour for a terminal with `colors` colours (256, 16 or 8):
 * returns an index below `colors`, or -1 for DEFAULT. RGB goes to the
 * nearest of the xterm 256 cube/greys or of the 16 ANSI colours; indexes
 * above the limit are mapped the same way. Pure. */
int theme_color_approx(struct theme_color c, int colors);

#endif
