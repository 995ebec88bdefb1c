/* The key table: every binding, its help text and the action it triggers; the ? overlay is drawn
 * from it. */
#ifndef ONQUOTA_KEYS_H
#define ONQUOTA_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "grid.h"
#include "msg.h"

/* Key codes: a printable key is its Unicode code point ('q', '?', '1');
 * control keys are their ASCII codes (KEYC_CTRL('c') == 3); special keys are
 * the KEYC_* values above Unicode. screen.c maps ncurses codes to these
 * (KEY_UP → KEYC_UP, '\n'/'\r'/KEY_ENTER → KEYC_ENTER, 27 → KEYC_ESC, '\t' →
 * KEYC_TAB, KEY_BTAB → KEYC_BTAB, KEY_F(1) → KEYC_F1…). */
#define KEYC_CTRL(c) ((c)&0x1f)

enum key_code {
    KEYC_NONE = 0,
    KEYC_BASE = 0x110000,
    KEYC_UP = KEYC_BASE,
    KEYC_DOWN,
    KEYC_LEFT,
    KEYC_RIGHT,
    KEYC_PGUP,
    KEYC_PGDN,
    KEYC_HOME,
    KEYC_END,
    KEYC_ENTER,
    KEYC_ESC,
    KEYC_TAB,
    KEYC_BTAB,
    KEYC_BACKSPACE,
    KEYC_F1,
    KEYC_F5,
    KEYC_RESIZE, /* not bound: the main loop handles it */
    KEYC_MOUSE,  /* not bound: the main loop handles it */
};

enum action {
    ACT_NONE = 0,
    ACT_QUIT,
    ACT_HELP,
    ACT_REFRESH,
    ACT_PAUSE,
    ACT_FOCUS_NEXT,
    ACT_FOCUS_PREV,
    ACT_VIEW_DASHBOARD,
    ACT_VIEW_QUOTES,
    ACT_VIEW_EXPENSES,
    ACT_VIEW_QUOTAS,
    ACT_VIEW_HEALTH,
    ACT_DOWN,
    ACT_UP,
    ACT_LEFT,
    ACT_RIGHT,
    ACT_PAGE_DOWN,
    ACT_PAGE_UP,
    ACT_TOP,
    ACT_BOTTOM,
    ACT_OPEN,
    ACT_BACK,
    ACT_FILTER,
    ACT_STATUS_FILTER,
    ACT_SORT,
    ACT_SORT_REVERSE,
    ACT_APPROVE,
    ACT_REJECT,
    ACT_THEME_NEXT,
    ACT_INTERVAL_UP,
    ACT_INTERVAL_DOWN,
    ACT_YEAR_PREV,
    ACT_YEAR_NEXT,
    ACT_MONTH_PREV,
    ACT_MONTH_NEXT,
    ACT_REDRAW,
    ACT_PALETTE,
    ACT_PROFILE_NEXT,
    ACT_CLEAR_LINE, /* handled by the open prompt; listed for the help */
    ACT_COUNT
};

/* Where a binding applies (for the help overlay's grouping; every key is
 * still unique across the whole table). */
enum key_scope {
    KEYS_GLOBAL = 0,
    KEYS_LISTS,    /* any focused list or table */
    KEYS_QUOTES,   /* view 2 */
    KEYS_EXPENSES, /* view 3 */
    KEYS_PERIOD,   /* views with a year or month (dashboard, quotas) */
    KEYS_PROMPT,   /* an open prompt or filter */
};

#define KEY_BINDING_KEYS 4

struct key_binding {
    int keys[KEY_BINDING_KEYS]; /* key codes; unused slots are 0 */
    const char *name;           /* as the help shows it: "q, Ctrl-C" */
    enum action action;
    enum key_scope scope;
    enum msg_id help; /* its description in the message table */
};

/* THE table, in help order; key_table_len entries. */
extern const struct key_binding key_table[];
extern const size_t key_table_len;

/* The binding of a key code, or NULL when unbound. */
const struct key_binding *keys_find(int key);

/* The action of a key code, ACT_NONE when unbound. */
enum action keys_lookup(int key);

/* The action's identifier ("quit", "view_dashboard"…), for logs and tests;
 * NULL when out of range. Static storage. */
const char *keys_action_name(enum action a);

/* A key code's name for messages ("q", "Ctrl-C", "PgDn", "F1", "Tab"). Writes
 * into out (at least 16 bytes) and returns it. */
const char *keys_code_name(int key, char *out, size_t outsz);

/* Rows of the help overlay's list (scope headings and the mouse line
 * included), for scrolling it. */
int keys_help_rows(void);

/* Draws the help overlay in r: a framed box titled "Keys" (lang "es":
 * "Teclas") listing each scope, then "name  description" per binding in
 * table order, from row `scroll` of the list (clamped), plus a "mouse" line.
 * Ellipsises to the width. When rows are hidden above or below, the frame's
 * top or bottom edge says so ("▲ more above: k/PgUp", "▼ more below: ..."). */
void keys_draw_help(struct grid *g, struct rect r, const char *lang, int scroll);

/* Appends the table as plain text for --help: one "  NAME  DESCRIPTION" line
 * per binding, names padded to a column. English. */
void keys_help_text(struct buf *out);

#endif
