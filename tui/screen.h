/* The terminal: the only module that talks to ncursesw. */
#ifndef ONQUOTA_TUI_SCREEN_H
#define ONQUOTA_TUI_SCREEN_H

#include <stdbool.h>

#include "grid.h"
#include "theme.h"

enum color_mode {
    COLOR_MODE_MONO = 0,
    COLOR_MODE_8,
    COLOR_MODE_16,
    COLOR_MODE_256,
    COLOR_MODE_DIRECT,
};

struct screen_opts {
    bool mouse;    /* report clicks and the wheel */
    bool no_color; /* --no-color or NO_COLOR: monochrome */
};

/* One input event. */
enum screen_mouse { MOUSE_NONE = 0, MOUSE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };

struct screen_event {
    int key;                 /* a key code of keys.h; KEYC_NONE when none */
    enum screen_mouse mouse; /* with key == KEYC_MOUSE */
    int mx, my;              /* mouse cell */
};

/* Picks the colour mode from the environment alone (TERM, COLORTERM,
 * NO_COLOR) and the number of colours the terminfo entry offers (colors,
 * -1 when unknown), without touching the terminal. Pure; for tests and
 * for screen_open. */
enum color_mode screen_pick_mode(const char *term, const char *colorterm, bool no_color, int colors,
                                 bool direct_supported);

/* The mode's name ("direct", "256", "16", "8", "mono"). */
const char *screen_mode_name(enum color_mode m);

/* Takes over the terminal: alternate screen, raw keys (Ctrl-C arrives as a
 * key), no echo, hidden cursor, mouse when asked. Installs handlers so the
 * terminal is restored on exit(), SIGINT/SIGTERM/SIGHUP (which request a
 * quit: screen_quit_requested) and crashes (SIGSEGV and friends restore,
 * then die by the same signal). Returns 0, or -1 with a malloc'd *err (no
 * terminal, unknown TERM). Not thread-safe; one screen per process. */
int screen_open(const struct screen_opts *o, char **err);

/* Restores the terminal; idempotent, safe after a failed open. */
void screen_close(void);

/* The terminal's size in cells. */
void screen_size(int *cols, int *rows);

/* The colour mode chosen at open. */
enum color_mode screen_color_mode(void);

/* Maps the theme's roles to colour pairs for the current mode; call after
 * open and whenever the theme changes (forces a full repaint). */
void screen_set_theme(const struct theme *t);

/* Draws g. Only cells that differ from the last blitted grid are written
 * (wnoutrefresh + doupdate), unless a full repaint is pending (after open,
 * a resize, a theme change or screen_invalidate). */
void screen_blit(const struct grid *g);

/* Forces the next blit to repaint everything (Ctrl-L). */
void screen_invalidate(void);

/* Descriptors to wait on for input: the keyboard and the signal pipe
 * (resize, quit). Returns how many were written into fds (at most 2). */
int screen_wait_fds(int fds[2]);

/* Reads one pending event without blocking; false when there is none. A
 * terminal resize comes as KEYC_RESIZE after ncurses learnt the new size. */
bool screen_read(struct screen_event *ev);

/* True after SIGINT, SIGTERM or SIGHUP. */
bool screen_quit_requested(void);

/* True once open succeeded and until close. */
bool screen_is_open(void);

#endif
