/* Helpers shared by the tui unit tests: UTF-8 locale, grid rows as text, table sizes. */
#ifndef ONQUOTA_TEST_TUI_UTIL_H
#define ONQUOTA_TEST_TUI_UTIL_H

#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "grid.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* wcwidth needs a UTF-8 LC_CTYPE; every tui test runs under C.UTF-8. */
static inline void tui_locale(void)
{
    ck_assert_msg(setlocale(LC_ALL, "C.UTF-8") != NULL, "the C.UTF-8 locale must exist");
}

/* Row y of g as text, not trimmed; malloc'd. */
static inline char *row_text(const struct grid *g, int y)
{
    struct buf b = BUF_INIT;
    grid_row_text(g, y, false, &b);
    return buf_take(&b);
}

/* Asserts that row y of g reads exactly `want`, naming the case on failure. */
#define ck_row(g, y, want, what)                                                                   \
    do {                                                                                           \
        char *got_ = row_text((g), (y));                                                           \
        ck_assert_msg(strcmp(got_, (want)) == 0, "%s: row %d: expected \"%s\", got \"%s\"",        \
                      (what), (y), (want), got_);                                                  \
        free(got_);                                                                                \
    } while (0)

/* True when every cell of g is ASCII text. */
static inline bool grid_all_ascii(const struct grid *g)
{
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++)
            for (const char *p = grid_cell(g, x, y)->text; *p; p++)
                if ((unsigned char)*p >= 0x80)
                    return false;
    return true;
}

/* True when every cell outside r still reads "#" (the sentinel tests fill
 * around a widget's rectangle); otherwise *bx, *by name the first one that
 * changed. Plain loops: a ck_assert per cell would be slow. */
static inline bool outside_untouched(const struct grid *g, struct rect r, int *bx, int *by)
{
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++)
            if ((x < r.x || x >= r.x + r.w || y < r.y || y >= r.y + r.h) &&
                strcmp(grid_cell(g, x, y)->text, "#") != 0) {
                *bx = x;
                *by = y;
                return false;
            }
    return true;
}

#endif
