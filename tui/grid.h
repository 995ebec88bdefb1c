/* A cell grid: what the screen should show, one cell per display column, with diffs between frames.
 */
#ifndef ONQUOTA_GRID_H
#define ONQUOTA_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "theme.h"

/* Bytes of UTF-8 a cell holds, NUL included: one base character plus as many
 * zero-width combining characters as fit (extra ones are dropped). */
#define CELL_TEXT_MAX 12

/* cell.flags */
enum {
    CELL_WIDE = 1u << 0, /* the left half of a two-column character */
    CELL_CONT = 1u << 1, /* the right half: text is "", draw nothing here */
};

struct cell {
    char text[CELL_TEXT_MAX]; /* NUL-terminated UTF-8 of one character; "" for CELL_CONT */
    uint8_t role;             /* enum color_role of the foreground */
    uint8_t bg;               /* enum color_role painted behind; ROLE_BACKGROUND = none */
    uint8_t attrs;            /* ATTR_* */
    uint8_t flags;            /* CELL_WIDE / CELL_CONT */
};

/* How to draw: foreground role, background role (ROLE_BACKGROUND = none) and
 * extra attributes. */
struct pen {
    enum color_role role;
    enum color_role bg;
    unsigned attrs;
};

#define PEN(r) ((struct pen){(r), ROLE_BACKGROUND, 0})
#define PEN_A(r, a) ((struct pen){(r), ROLE_BACKGROUND, (a)})

struct rect {
    int x, y, w, h;
};

/* The grid. Fields are public for reading; change cells only through the
 * functions below so the wide-character invariants hold: a CELL_WIDE cell is
 * always followed by its CELL_CONT cell in the same row, and overwriting
 * either half turns the other half into a space. When ascii is true every
 * write is transliterated (format_ascii rules) so the grid holds only ASCII,
 * and widgets pick their ASCII glyphs. */
struct grid {
    int w, h;
    bool ascii;
    bool mono;          /* no colours tell series apart: widgets use patterns (set by the caller) */
    struct cell *cells; /* h rows of w cells */
};

/* Flags for grid_put. */
enum {
    PUT_RIGHT = 1u << 0,    /* right-align in the width */
    PUT_CENTER = 1u << 1,   /* centre in the width */
    PUT_ELLIPSIS = 1u << 2, /* text longer than the width ends in "…" ("..." in ASCII) */
    PUT_PAD = 1u << 3,      /* fill the rest of the width with spaces in the pen */
};

/* A run of changed cells in one row: columns x..x+w-1 of row y. */
struct grid_run {
    int x, y, w;
};

/* A reusable list of runs; zero-initialise (GRID_RUNS_INIT), free with
 * grid_runs_free. */
struct grid_runs {
    struct grid_run *v;
    size_t n, cap;
};

#define GRID_RUNS_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* A w×h grid of spaces in PEN(ROLE_TEXT), ascii false. Negative sizes count
 * as 0. Never returns NULL (aborts on out-of-memory). Free with grid_free. */
struct grid *grid_new(int w, int h);
void grid_free(struct grid *g);

/* Changes the size and clears every cell; keeps ascii. */
void grid_resize(struct grid *g, int w, int h);

/* Makes dst an exact copy of src (size, ascii, cells). */
void grid_copy(struct grid *dst, const struct grid *src);

/* Every cell becomes a space in the pen. */
void grid_clear(struct grid *g, struct pen pen);

/* The cell at (x, y), or NULL outside the grid. Read-only use. */
const struct cell *grid_cell(const struct grid *g, int x, int y);

/* Writes one character (the first of glyph, plus its combining marks) at
 * (x, y) in the pen; a two-column character that does not fit before the
 * grid's right edge is written as a space. Returns the columns used (0 outside
 * the grid, 1 or 2). */
int grid_set(struct grid *g, int x, int y, const char *glyph, struct pen pen);

/* Writes UTF-8 text in row y within columns [x, x+w): clipped to that span
 * and to the grid, measured with wcwidth (control and invalid bytes show as
 * U+FFFD / '?'), never cutting a wide character in half (a half that would
 * not fit leaves a space). flags: PUT_*. With PUT_ELLIPSIS a text wider than
 * w ends in an ellipsis inside w. Returns the columns the text occupies
 * (ellipsis included, padding excluded). w < 0 means "to the grid's right
 * edge". NULL text is "". */
int grid_put(struct grid *g, int x, int y, int w, const char *text, struct pen pen, unsigned flags);

/* printf-style grid_put (no alignment flags beyond those given). */
int grid_putf(struct grid *g, int x, int y, int w, struct pen pen, unsigned flags, const char *fmt,
              ...) __attribute__((format(printf, 7, 8)));

/* Fills the rectangle (clipped to the grid) with one glyph in the pen. */
void grid_fill(struct grid *g, struct rect r, const char *glyph, struct pen pen);

/* Restyles every cell of the rectangle (clipped), keeping the text: when
 * role_or_neg >= 0 the cell's role becomes it and its bg is cleared
 * (ROLE_BACKGROUND, so the role's own background shows); attrs_on is OR-ed
 * into the attrs. For selection bars and stale dimming. */
void grid_restyle(struct grid *g, struct rect r, int role_or_neg, unsigned attrs_on);

/* Draws a box on the rectangle's edge (UTF-8 ╭─╮│╰╯ or ASCII +-|), with an
 * optional title in the top edge (" title ", ellipsised) drawn in title_pen.
 * Boxes narrower or lower than 2 draw nothing. */
void grid_box(struct grid *g, struct rect r, struct pen pen, const char *title,
              struct pen title_pen);

/* Horizontal / vertical lines of ─ / │ (ASCII - / |). */
void grid_hline(struct grid *g, int x, int y, int w, struct pen pen);
void grid_vline(struct grid *g, int x, int y, int h, struct pen pen);

/* The rectangle shrunk by n cells on each side (never negative sizes). */
struct rect rect_inset(struct rect r, int n);
/* The intersection (w or h 0 when empty). */
struct rect rect_clip(struct rect r, struct rect bound);
bool rect_overlaps(struct rect a, struct rect b);
bool rect_contains(struct rect outer, struct rect inner);

/* True when the two cells look the same (text, role, bg, attrs, flags). */
bool cell_eq(const struct cell *a, const struct cell *b);

/* Lists the runs of cells that differ between prev and next, row by row, left
 * to right, into *out (emptied first; its memory is reused). A run that
 * touches either half of a wide character covers both halves, so the screen
 * can redraw a run from its first cell. When the sizes differ (or prev is
 * NULL) every row of next is one full-width run. Returns out->n. */
size_t grid_diff(const struct grid *prev, const struct grid *next, struct grid_runs *out);
void grid_runs_free(struct grid_runs *r);

/* Appends row y's text (UTF-8, continuation cells skipped) to out; with rtrim
 * trailing spaces are dropped. Rows outside the grid append nothing. */
void grid_row_text(const struct grid *g, int y, bool rtrim, struct buf *out);

/* The whole grid as text: rows right-trimmed, each ending in '\n'. malloc'd,
 * caller frees. For --once text output and tests. */
char *grid_to_text(const struct grid *g);

#endif
