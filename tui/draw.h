/* Pure widgets that render into a grid region: gauges, bars, charts, sparklines, tiles, badges,
 * tables, banners. */
#ifndef ONQUOTA_DRAW_H
#define ONQUOTA_DRAW_H

#include <stdbool.h>

#include "format.h"
#include "grid.h"

/* Every widget draws only inside the rectangle (or span) it is given,
 * clipped to the grid, never reads the terminal, and picks ASCII glyphs when
 * g->ascii. Sizes too small for the widget draw what fits (possibly nothing);
 * no size crashes. Strings are borrowed for the call only. */

/* ---- gauge (draw_gauge.c) ---------------------------------------------- */

/* Beyond this percent the gauge's scale stops growing and the last cell shows
 * an overflow arrow (▶ / >). */
#define GAUGE_SCALE_MAX 200.0

/* Draws a gauge bar in exactly w columns of row y: a frame cell at each end
 * (▕ ▏ in UTF-8, [ ] in ASCII) around w-2 inner cells.
 * - The scale is 0–100% when percent <= 100; the right frame cell is then the
 *   target marker (ROLE_GAUGE_TARGET).
 * - Filled cells are █ with ROLE_GAUGE_FILL, the last one a partial eighth
 *   block ▏▎▍▌▋▊▉ (rounded to the nearest eighth); ASCII uses '#' per whole
 *   cell (rounded to the nearest cell). Empty cells are spaces on
 *   ROLE_GAUGE_EMPTY ('.' in ASCII).
 * - Above 100% the scale is 0–percent (at most GAUGE_SCALE_MAX): the bar fills
 *   completely, a target marker │ ('|') sits in the cell where 100% falls, and
 *   cells past it are overflow: ▓ ('+') in overflow_role (ROLE_BACKGROUND:
 *   ROLE_GOOD). Above GAUGE_SCALE_MAX the last inner cell is ▶ ('>').
 * - pace >= 0 draws a pace marker ┆ (':') in ROLE_GAUGE_PACE in the cell where
 *   pace falls on the same scale (clamped inside); pace < 0 draws none.
 * Examples, w = 12: 37.5% "▕███▊      ▏" / "[####......]"; 135% "▕███████│▓▓▏" /
 * "[#######|++]". NaN counts as 0, negatives as 0. w < 3 draws nothing. */
void draw_gauge_bar(struct grid *g, int x, int y, int w, double percent, double pace,
                    enum color_role overflow_role);

struct gauge_spec {
    const char *label;  /* left, ellipsised to label_w (NULL: no label) */
    int label_w;        /* columns for the label; 0: no label column */
    double percent;     /* achieved / target × 100 */
    double pace;        /* pace marker percent; < 0: none */
    const char *status; /* status word ("achieved", "behind"…); NULL: none */
    int status_w;       /* columns kept for the status word (so bars align); 0: its width */
    enum color_role status_role;   /* colour of the percent and status word */
    enum color_role overflow_role; /* see draw_gauge_bar; 0: ROLE_GOOD */
};

/* One gauge line in row r.y: "label␠bar␠pct␠status" with the percent
 * right-aligned in 5 columns ("   0%", "  38%", " 135%", rounded half away
 * from zero) and the status word last in status_role (bold). The bar takes
 * what is left; when that is under 3 columns the status, then the label are
 * dropped, and at last the bar. Uses only the first row of r. */
void draw_gauge(struct grid *g, struct rect r, const struct gauge_spec *s);

/* ---- category bars (draw_bars.c) --------------------------------------- */

struct bar_item {
    const char *label;  /* category name */
    double value;       /* amount; negatives draw as 0 */
    const char *amount; /* decimal text to show exactly (format_money_text); NULL: format value */
};

/* Horizontal bars, one item per row from r.y (rows beyond r.h are not
 * drawn): "label  bar  amount  share%". Labels are left-aligned in the width
 * of the longest (at most a third of r.w), amounts right-aligned (full money,
 * or format_compact when compact), shares "12.3%" of the sum of values. Bars
 * are scaled to the largest value in eighth blocks (ASCII '='), in
 * ROLE_PALETTE0 + i % 8; any non-zero value shows at least one eighth (one
 * '=') so tiny values stay visible, and a zero shows no bar. An all-zero list
 * shows 0.0% shares and no bars. Returns the rows used. */
int draw_bars(struct grid *g, struct rect r, const struct bar_item *items, int n, bool compact);

/* ---- monthly chart (draw_chart.c) --------------------------------------- */

struct chart_spec {
    const double *current;     /* n values (NULL: all zero) */
    const double *previous;    /* n values (NULL: all zero; then only one series) */
    int n;                     /* points, usually 12 */
    const char *const *labels; /* n axis labels ("Jan"…); NULL: 1, 2, 3… */
    const char *current_name;  /* legend, e.g. "2026" */
    const char *previous_name; /* legend, e.g. "2025" */
    double current_total;      /* shown in the legend */
    double previous_total;
    bool compact;           /* compact money in legend and axis */
    const char *empty_text; /* shown centred when every value is 0; NULL: "no data" */
};

/* A two-series vertical bar chart in r (with g->mono, the previous series
 * is drawn in the ░ pattern, whole cells, so the years differ without
 * colour; its legend swatch is ░ too):
 * - row 0: the legend "■ 2026 9,320.48   ■ 2025 8,100.00" (ASCII '#' and
 *   ':' swatches) in ROLE_CHART_CURRENT / ROLE_CHART_PREVIOUS;
 * - the last row: the labels under their groups (first letters when narrow);
 * - between: the plot, a y axis with the maximum and 0 at its left, then per
 *   point a group of a current bar and a previous bar (eighth blocks
 *   ▁▂▃▄▅▆▇█, ASCII '#' and ':' in whole cells), scaled to the largest value.
 * All-zero data draws the axis and the empty text instead of bars; negatives
 * count as 0. Needs r.h >= 4 and r.w >= 12 for the plot; smaller draws only
 * the legend. */
void draw_chart(struct grid *g, struct rect r, const struct chart_spec *c);

/* ---- sparkline, tile, badge (draw_misc.c) ------------------------------- */

/* The last min(n, w) values as one row of ▁▂▃▄▅▆▇█ (ASCII "_.-=+*#%" levels)
 * from x, scaled from 0 (or the minimum when it is negative) to the maximum;
 * when all are 0 they draw the lowest level. NaN draws a space. Returns the
 * columns drawn. */
int draw_sparkline(struct grid *g, int x, int y, int w, const double *values, int n,
                   struct pen pen);

struct kpi_spec {
    const char *title;
    const char *value; /* already formatted (format_value), right-aligned */
    bool has_change;   /* false when change_percent is null */
    double change;     /* change_percent */
    bool positive;     /* is_positive: good (▲ in ROLE_GOOD) or bad (ROLE_BAD) */
};

/* A KPI tile in r (no border). h >= 3: title, value (bold, right-aligned),
 * change (right-aligned); h == 2: title with change at its right, value;
 * h == 1: title left, "value change" right. The change is format_change text
 * in ROLE_GOOD when positive else ROLE_BAD; with no change "—" ("-") in
 * ROLE_DIM. */
void draw_kpi(struct grid *g, struct rect r, const struct kpi_spec *k);

enum badge_status {
    BADGE_OK = 0,
    BADGE_WARN,
    BADGE_FAIL,
};

/* Case-insensitive: "pass", "healthy", "ok", "ready", "up", "connected" →
 * OK; "warn", "warning", "degraded" → WARN; anything else (NULL too) →
 * FAIL. */
enum badge_status badge_from_text(const char *status);

/* "✓ OK" (ROLE_GOOD), "! WARN" (ROLE_WARN), "✗ FAIL" (ROLE_BAD, bold) at
 * (x, y), ASCII "+ OK", "! WARN", "x FAIL"; the glyph keeps the meaning
 * without colour. Returns the columns drawn (at most w). */
int draw_badge(struct grid *g, int x, int y, int w, enum badge_status s);

/* ---- frames, banners, stale marking (draw_misc.c) ----------------------- */

struct frame_spec {
    const char *title;
    const char *info;       /* right side of the top edge, e.g. "updated 4s ago"; NULL: none */
    bool focused;           /* ROLE_BORDER_FOCUS border and bold title */
    bool stale;             /* info is prefixed "STALE " and drawn in ROLE_WARN, bold */
    const char *stale_text; /* the word for "STALE" in the interface's language; NULL: STALE */
};

/* A panel frame: box on r's edge with the title at the left of the top edge
 * and info at its right. The title is ellipsised (down to 4 columns) to make
 * room for the info; past that a stale frame shows just "STALE" and a fresh
 * one drops the info. Returns the inner rectangle (r inset by 1). */
struct rect draw_frame(struct grid *g, struct rect r, const struct frame_spec *f);

/* Marks the rectangle stale: every cell becomes ROLE_DIM with ATTR_DIM, text
 * kept (backgrounds cleared so gauges read as dimmed too). */
void draw_dim(struct grid *g, struct rect r);

/* A full-width banner in row y of r: text centred (ellipsised) on a
 * ROLE_BANNER line, bold, e.g. "OFFLINE — retrying in 4s" or "PAUSED". */
void draw_banner(struct grid *g, struct rect r, const char *text);

/* ---- tables (draw_table.c) ---------------------------------------------- */

enum align {
    ALIGN_LEFT = 0,
    ALIGN_RIGHT,
    ALIGN_CENTER,
};

struct table_col {
    const char *title;
    int min_w; /* columns it always gets (when the table is wide enough) */
    int flex;  /* share of the extra width (0: stays at min_w) */
    enum align align;
};

/* Fills *text (borrowed until the next call) and may change *pen for one
 * cell. Return NULL for an empty cell. */
typedef const char *(*table_cell_fn)(void *ud, int row, int col, struct pen *pen);

struct table_spec {
    const struct table_col *cols;
    int ncols;
    int nrows;
    int selected; /* row index, or -1 */
    bool focused; /* selected row in ROLE_SELECTED when focused, else only bold */
    table_cell_fn cell;
    void *ud;
    int sort_col; /* 1 + the column the rows are sorted by (its header gets ▲/▼, ^/v); 0: none */
    bool sort_desc; /* descending: ▼ (v) */
};

/* A table in r: a header row (ROLE_TITLE, underline), then the rows from
 * *scroll. *scroll (may be NULL: 0) is clamped and moved so that the
 * selected row is visible. Columns get min_w, then extra width by flex,
 * separated by one space; columns that do not fit are dropped from the
 * right. Cell text is ellipsised, never cut mid-character. Returns the rows
 * of data visible (r.h - 1, or fewer). */
int draw_table(struct grid *g, struct rect r, const struct table_spec *t, int *scroll);

#endif
