/* Responsive layout: from the terminal size and a view's panel hints to screen rectangles. */
#ifndef ONQUOTA_LAYOUT_H
#define ONQUOTA_LAYOUT_H

#include <stdbool.h>

#include "grid.h"

/* The smallest terminal anything but the "too small" line is drawn in. */
#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_LINES 10
/* Bands side by side need at least this much (tui.md: 80×24 compact). */
#define LAYOUT_COMPACT_COLS 80
#define LAYOUT_COMPACT_LINES 24
/* Three-column "wide" layout from this width. */
#define LAYOUT_WIDE_COLS 120

#define LAYOUT_MAX_ITEMS 16

/* Where a panel would like to go. Layout knows nothing about what the panels
 * are: a view is a list of these, in reading order (band by band, left to
 * right). */
struct layout_item {
    int band;   /* horizontal band, 0 at the top; items of a band sit side by side */
    int weight; /* share of the band's width (<= 0 counts as 1) */
    int min_w;  /* smallest useful size, frame included (the compact form) */
    int min_h;
    int pref_h; /* height wanted when there is room (< min_h counts as min_h) */
};

enum layout_mode {
    LAYOUT_TOO_SMALL = 0, /* below 40×10: only the message */
    LAYOUT_STACKED,       /* one panel per row, full width, scrolled by panel */
    LAYOUT_COMPACT,       /* bands side by side, 80–119 columns */
    LAYOUT_WIDE,          /* bands side by side, 120+ columns */
};

/* layout_compute flags */
enum {
    LAYOUT_BANNER = 1u << 0, /* reserve a banner row under the header (OFFLINE, PAUSED) */
};

struct layout {
    enum layout_mode mode;
    struct rect screen;  /* 0, 0, cols, lines */
    struct rect header;  /* row 0: view tabs, title */
    struct rect banner;  /* the banner row, or w = h = 0 */
    struct rect body;    /* between header/banner and status */
    struct rect status;  /* the last row: status line, key hints */
    struct rect message; /* TOO_SMALL: the row for `text`; else empty */
    char text[64];       /* TOO_SMALL: "terminal too small, need 40x10" */
    int n;               /* number of items laid out (as given, at most LAYOUT_MAX_ITEMS) */
    struct rect rects[LAYOUT_MAX_ITEMS]; /* per item; w = h = 0: not shown now */
    int scroll;     /* STACKED: index of the first panel shown (clamped); else 0 */
    int scroll_max; /* STACKED: the largest useful scroll; else 0 */
};

/* Lays out `n` items (extra ones beyond LAYOUT_MAX_ITEMS are ignored) on a
 * cols×lines terminal:
 * - below LAYOUT_MIN_COLS × LAYOUT_MIN_LINES (or any size <= 0): TOO_SMALL,
 *   every rect empty, `text` and the centred `message` row set;
 * - at least 80×24, when each band's min_w sum fits the width and the bands'
 *   tallest min_h sum fits the body: bands side by side (WIDE at 120+
 *   columns, else COMPACT); widths by weight, heights from min_h with the
 *   spare rows shared by (pref_h - min_h);
 * - otherwise STACKED: items one under another at full width and pref_h,
 *   starting at item `scroll`; the last one shown is cut to the rows left
 *   (when at least its min_h, or 3, remain), and the rest are hidden.
 * Rectangles never overlap one another and always lie inside the body.
 * Pure; no allocation. */
void layout_compute(int cols, int lines, const struct layout_item *items, int n, int scroll,
                    unsigned flags, struct layout *out);

/* True when the cell (x, y) is inside rect i of the layout (for mouse focus);
 * returns the item index or -1. */
int layout_hit(const struct layout *l, int x, int y);

#endif
