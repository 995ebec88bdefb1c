/* Unit tests of the tui widgets: gauges, category bars, the monthly chart, sparklines, tiles,
 * badges, frames, tables. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "draw.h"
#include "test_tui_util.h"

/* ---- gauges ------------------------------------------------------------- */

static const struct {
    const char *what;
    double percent, pace;
    const char *utf8, *ascii;
} gauge_cases[] = {
    {"0%", 0, -1, "▕          ▏", "[..........]"},
    {"37.5% (partial eighth)", 37.5, -1, "▕███▊      ▏", "[####......]"},
    {"12.5% (one and a quarter cells)", 12.5, -1, "▕█▎        ▏", "[#.........]"},
    {"99%", 99, -1, "▕█████████▉▏", "[##########]"},
    {"100%", 100, -1, "▕██████████▏", "[##########]"},
    {"135% overflow", 135, -1, "▕███████│▓▓▏", "[#######|++]"},
    {"250% beyond the scale", 250, -1, "▕█████│▓▓▓▶▏", "[#####|+++>]"},
    {"37.5% with pace 50%", 37.5, 50, "▕███▊ ┆    ▏", "[####.:....]"},
    {"pace 100% at the last cell", 20, 100, "▕██       ┆▏", "[##.......:]"},
    {"negative counts as 0", -20, -1, "▕          ▏", "[..........]"},
    {"NaN counts as 0", NAN, -1, "▕          ▏", "[..........]"},
};

START_TEST(test_gauge_bar)
{
    for (int ascii = 0; ascii <= 1; ascii++) {
        struct grid *g = grid_new(12, 1);
        g->ascii = ascii;
        draw_gauge_bar(g, 0, 0, 12, gauge_cases[_i].percent, gauge_cases[_i].pace, ROLE_BACKGROUND);
        char what[96];
        snprintf(what, sizeof what, "gauge %s (%s)", gauge_cases[_i].what,
                 ascii ? "ASCII" : "UTF-8");
        ck_row(g, 0, ascii ? gauge_cases[_i].ascii : gauge_cases[_i].utf8, what);
        grid_free(g);
    }
}
END_TEST

START_TEST(test_gauge_roles)
{
    struct grid *g = grid_new(12, 1);

    draw_gauge_bar(g, 0, 0, 12, 50, -1, ROLE_BACKGROUND);
    ck_assert_msg(grid_cell(g, 11, 0)->role == ROLE_GAUGE_TARGET,
                  "at or below 100%% the right edge is the target marker");
    ck_assert_msg(grid_cell(g, 1, 0)->role == ROLE_GAUGE_FILL, "filled cells use gauge_fill");
    ck_assert_msg(grid_cell(g, 9, 0)->bg == ROLE_GAUGE_EMPTY, "empty cells paint gauge_empty");

    draw_gauge_bar(g, 0, 0, 12, 135, -1, ROLE_BAD);
    ck_assert_msg(grid_cell(g, 8, 0)->role == ROLE_GAUGE_TARGET, "the 100%% marker inside the bar");
    ck_assert_msg(grid_cell(g, 9, 0)->role == ROLE_BAD && grid_cell(g, 10, 0)->role == ROLE_BAD,
                  "overflow cells use the overflow role given");
    draw_gauge_bar(g, 0, 0, 12, 135, -1, ROLE_BACKGROUND);
    ck_assert_msg(grid_cell(g, 9, 0)->role == ROLE_GOOD, "overflow defaults to the good role");

    /* Too narrow: nothing drawn, nothing outside. */
    grid_clear(g, PEN(ROLE_TEXT));
    draw_gauge_bar(g, 0, 0, 2, 50, -1, ROLE_BACKGROUND);
    ck_row(g, 0, "            ", "a gauge narrower than 3 draws nothing");
    grid_free(g);
}
END_TEST

START_TEST(test_gauge_line)
{
    static const struct {
        const char *what;
        int w;
        bool ascii;
        double percent;
        const char *want;
    } cases[] = {
        {"full line", 40, false, 37.5, "Ana Ruiz   ▕████▉        ▏  38% behind  "},
        {"full line ascii", 40, true, 37.5, "Ana Ruiz   [#####........]  38% behind  "},
        {"overflow shows the real percent", 40, true, 135,
         "Ana Ruiz   [#########|+++] 135% behind  "},
        {"narrow: status dropped", 22, true, 37.5, "Ana Ruiz   [##..]  38%"},
        {"very narrow: label dropped too", 12, true, 37.5, "[##...]  38%"},
        {"tiny: percent only", 5, true, 37.5, "  38%"},
    };
    for (int i = 0; i < N(cases); i++) {
        struct grid *g = grid_new(cases[i].w, 1);
        g->ascii = cases[i].ascii;
        struct gauge_spec s = {.label = "Ana Ruiz",
                               .label_w = 10,
                               .percent = cases[i].percent,
                               .pace = -1,
                               .status = "behind",
                               .status_w = 8,
                               .status_role = ROLE_BAD};
        draw_gauge(g, (struct rect){0, 0, cases[i].w, 1}, &s);
        ck_row(g, 0, cases[i].want, cases[i].what);
        grid_free(g);
    }
}
END_TEST

/* ---- category bars ------------------------------------------------------ */

START_TEST(test_bars_exact)
{
    struct bar_item items[] = {{"Fuel", 300, NULL}, {"Meals", 100, "100.00"}};
    static const char *const want_ascii[] = {
        "Fuel  ==================== 300.00  75.0%",
        "Meals =======              100.00  25.0%",
    };
    static const char *const want_utf8[] = {
        "Fuel  ████████████████████ 300.00  75.0%",
        "Meals ██████▋              100.00  25.0%",
    };
    for (int ascii = 0; ascii <= 1; ascii++) {
        struct grid *g = grid_new(40, 2);
        g->ascii = ascii;
        int rows = draw_bars(g, (struct rect){0, 0, 40, 2}, items, 2, false);
        ck_assert_int_eq(rows, 2);
        for (int y = 0; y < 2; y++)
            ck_row(g, y, ascii ? want_ascii[y] : want_utf8[y], ascii ? "bars ascii" : "bars utf-8");
        ck_assert_msg(grid_cell(g, 6, 1)->role == ROLE_PALETTE0 + 1,
                      "the second bar takes the second palette colour");
        grid_free(g);
    }
}
END_TEST

START_TEST(test_bars_tiny_and_huge)
{
    struct bar_item items[] = {
        {"Fuel", 999999999999.99, NULL},
        {"Meals", 0.01, NULL},
        {"Tolls", 0, NULL},
        {"Other", -5, NULL},
    };
    for (int ascii = 0; ascii <= 1; ascii++) {
        /* A frame of '#' around the rectangle shows any write outside it. */
        struct grid *g = grid_new(64, 6);
        g->ascii = ascii;
        grid_fill(g, (struct rect){0, 0, 64, 6}, "#", PEN(ROLE_TEXT));
        struct rect r = {2, 1, 60, 4};
        grid_fill(g, r, " ", PEN(ROLE_TEXT));
        draw_bars(g, r, items, 4, false);
        int bx, by;
        ck_assert_msg(outside_untouched(g, r, &bx, &by),
                      "bars wrote outside their rectangle at %d,%d", bx, by);
        char *huge = row_text(g, 1), *tiny = row_text(g, 2), *zero = row_text(g, 3);
        ck_assert_msg(strstr(huge, "999,999,999,999.99") && strstr(huge, "100.0%"),
                      "huge value in full with a 100.0%% share: got \"%s\"", huge);
        ck_assert_msg(strstr(tiny, "0.01") && strstr(tiny, "0.0%"),
                      "tiny value and 0.0%%: got \"%s\"", tiny);
        const char *mark = ascii ? "=" : "▏";
        ck_assert_msg(strstr(tiny, mark) != NULL,
                      "a tiny non-zero value shows one eighth (%s): got \"%s\"", mark, tiny);
        ck_assert_msg(!strstr(zero, ascii ? "=" : "▏") && strstr(zero, "0.00"),
                      "a zero shows no bar: got \"%s\"", zero);
        free(huge);
        free(tiny);
        free(zero);
        grid_free(g);
    }

    /* So narrow that the share goes: the amount still shows in full. */
    struct grid *g = grid_new(30, 1);
    draw_bars(g, (struct rect){0, 0, 30, 1}, items, 1, false);
    char *t = row_text(g, 0);
    ck_assert_msg(strstr(t, "999,999,999,999.99") && !strstr(t, "%"),
                  "narrow bars keep the amount and drop the share: got \"%s\"", t);
    free(t);
    draw_bars(g, (struct rect){0, 0, 30, 1}, items, 1, true);
    t = row_text(g, 0);
    ck_assert_msg(strstr(t, " 1.0T 100.0%") != NULL, "compact amounts: expected 1.0T in \"%s\"", t);
    free(t);
    grid_free(g);
}
END_TEST

/* ---- chart -------------------------------------------------------------- */

static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

START_TEST(test_chart_all_zero)
{
    double zero[12] = {0};
    struct chart_spec c = {.current = zero,
                           .previous = zero,
                           .n = 12,
                           .labels = months,
                           .current_name = "2026",
                           .previous_name = "2025"};
    static const char *const want[2][8] = {
        {
            "■ 2026 0.00  ■ 2025 0.00                ",
            " │                                      ",
            " │                                      ",
            " │               no data                ",
            " │                                      ",
            " │                                      ",
            "0│                                      ",
            "  J  F  M  A  M  J  J  A  S  O  N  D    ",
        },
        {
            "# 2026 0.00  : 2025 0.00                ",
            " |                                      ",
            " |                                      ",
            " |               no data                ",
            " |                                      ",
            " |                                      ",
            "0|                                      ",
            "  J  F  M  A  M  J  J  A  S  O  N  D    ",
        },
    };
    for (int ascii = 0; ascii <= 1; ascii++) {
        struct grid *g = grid_new(40, 8);
        g->ascii = ascii;
        draw_chart(g, (struct rect){0, 0, 40, 8}, &c);
        for (int y = 0; y < 8; y++)
            ck_row(g, y, want[ascii][y], ascii ? "all-zero chart, ASCII" : "all-zero chart, UTF-8");
        grid_free(g);
    }

    /* No data at all (NULL series) behaves the same, and never divides by zero. */
    struct chart_spec none = {.n = 12, .current_name = "2026", .empty_text = "sin datos"};
    struct grid *g = grid_new(40, 8);
    draw_chart(g, (struct rect){0, 0, 40, 8}, &none);
    char *mid = row_text(g, 3);
    ck_assert_msg(strstr(mid, "sin datos") != NULL, "custom empty text: got \"%s\"", mid);
    free(mid);
    grid_free(g);
}
END_TEST

START_TEST(test_chart_values)
{
    double cur[12] = {100, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    double prev[12] = {0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    struct chart_spec c = {.current = cur,
                           .previous = prev,
                           .n = 12,
                           .labels = months,
                           .current_name = "2026",
                           .previous_name = "2025",
                           .current_total = 150,
                           .previous_total = 101};
    struct grid *g = grid_new(64, 8);
    draw_chart(g, (struct rect){0, 0, 64, 8}, &c);
    /* aw = 3 ("100"), px = 4, pw = 60, gw = 5, bars 2 wide: Jan current at 4–5,
     * Feb previous at 11–12, Dec previous at 61–62. */
    ck_row(g, 0, "■ 2026 150.00  ■ 2025 101.00                                    ", "legend");
    ck_assert_msg(strcmp(grid_cell(g, 4, 1)->text, "█") == 0 &&
                      grid_cell(g, 4, 1)->role == ROLE_CHART_CURRENT,
                  "the largest current value reaches the top row");
    ck_assert_msg(strcmp(grid_cell(g, 11, 1)->text, "█") == 0 &&
                      grid_cell(g, 11, 1)->role == ROLE_CHART_PREVIOUS,
                  "the largest previous value reaches the top row");
    ck_assert_msg(strcmp(grid_cell(g, 9, 3)->text, " ") == 0 &&
                      strcmp(grid_cell(g, 9, 4)->text, "█") == 0,
                  "half the maximum fills the bottom half (rows 4–6 of 1–6)");
    ck_assert_msg(strcmp(grid_cell(g, 61, 6)->text, "▁") == 0,
                  "a tiny value shows one eighth, got \"%s\"", grid_cell(g, 61, 6)->text);
    char *labels = row_text(g, 7);
    ck_assert_msg(strncmp(labels, "    Jan  Feb  Mar", 17) == 0, "month labels: got \"%s\"",
                  labels);
    free(labels);
    grid_free(g);
}
END_TEST

/* ---- sparkline, tile, badge, frame, banner ------------------------------ */

START_TEST(test_sparkline)
{
    static const double ramp[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    static const double zeros[3] = {0, 0, 0};
    static const struct {
        const char *what;
        const double *v;
        int n, w;
        bool ascii;
        const char *want;
    } cases[] = {
        {"ramp", ramp, 8, 8, false, "▁▂▃▄▅▆▇█"},
        {"ramp ascii", ramp, 8, 8, true, "_.-=+*#%"},
        {"last values only", ramp, 8, 4, false, "▅▆▇█"},
        {"zeros", zeros, 3, 5, false, "▁▁▁  "},
    };
    for (int i = 0; i < N(cases); i++) {
        struct grid *g = grid_new(cases[i].w, 1);
        g->ascii = cases[i].ascii;
        draw_sparkline(g, 0, 0, cases[i].w, cases[i].v, cases[i].n, PEN(ROLE_GOOD));
        ck_row(g, 0, cases[i].want, cases[i].what);
        grid_free(g);
    }
}
END_TEST

START_TEST(test_kpi)
{
    struct kpi_spec k = {"Revenue this month", "15,230.50", true, 26.92, true};
    struct grid *g = grid_new(20, 3);

    draw_kpi(g, (struct rect){0, 0, 20, 3}, &k);
    ck_row(g, 0, "Revenue this month  ", "kpi title");
    ck_row(g, 1, "           15,230.50", "kpi value right-aligned");
    ck_row(g, 2, "             ▲ 26.9%", "kpi change");
    ck_assert_msg(grid_cell(g, 19, 2)->role == ROLE_GOOD, "a positive change is good");

    k.positive = false;
    k.change = -3.14;
    g->ascii = true;
    grid_clear(g, PEN(ROLE_TEXT));
    draw_kpi(g, (struct rect){0, 0, 20, 3}, &k);
    ck_row(g, 2, "              v 3.1%", "kpi change ascii");
    ck_assert_msg(grid_cell(g, 19, 2)->role == ROLE_BAD, "a negative change is bad");
    grid_free(g);

    g = grid_new(40, 1);
    k = (struct kpi_spec){"Revenue this month", "15,230.50", true, 26.92, true};
    draw_kpi(g, (struct rect){0, 0, 40, 1}, &k);
    ck_row(g, 0, "Revenue this month     15,230.50 ▲ 26.9%", "kpi on one line");
    k.has_change = false;
    grid_clear(g, PEN(ROLE_TEXT));
    draw_kpi(g, (struct rect){0, 0, 40, 1}, &k);
    ck_row(g, 0, "Revenue this month           15,230.50 —", "kpi with a null change");
    grid_free(g);
}
END_TEST

START_TEST(test_badge)
{
    static const struct {
        const char *status;
        enum badge_status want;
        const char *utf8, *ascii;
        enum color_role role;
    } cases[] = {
        {"healthy", BADGE_OK, "✓ OK  ", "+ OK  ", ROLE_GOOD},
        {"pass", BADGE_OK, "✓ OK  ", "+ OK  ", ROLE_GOOD},
        {"warn", BADGE_WARN, "! WARN", "! WARN", ROLE_WARN},
        {"unhealthy", BADGE_FAIL, "✗ FAIL", "x FAIL", ROLE_BAD},
        {NULL, BADGE_FAIL, "✗ FAIL", "x FAIL", ROLE_BAD},
    };
    for (int i = 0; i < N(cases); i++) {
        enum badge_status s = badge_from_text(cases[i].status);
        ck_assert_msg(s == cases[i].want, "badge_from_text(%s): expected %d, got %d",
                      cases[i].status ? cases[i].status : "NULL", cases[i].want, s);
        for (int ascii = 0; ascii <= 1; ascii++) {
            struct grid *g = grid_new(6, 1);
            g->ascii = ascii;
            draw_badge(g, 0, 0, 6, s);
            ck_row(g, 0, ascii ? cases[i].ascii : cases[i].utf8, "badge");
            ck_assert_msg(grid_cell(g, 2, 0)->role == cases[i].role, "badge colour role");
            grid_free(g);
        }
    }
}
END_TEST

START_TEST(test_frame_banner_dim)
{
    struct grid *g = grid_new(30, 3);
    struct frame_spec f = {"Gauges", "updated 4s ago", true, false, NULL};
    struct rect in = draw_frame(g, (struct rect){0, 0, 30, 3}, &f);
    ck_row(g, 0, "╭ Gauges ──── updated 4s ago ╮", "frame with info");
    ck_assert_msg(in.x == 1 && in.y == 1 && in.w == 28 && in.h == 1, "frame inner rectangle");
    ck_assert_msg(grid_cell(g, 0, 0)->role == ROLE_BORDER_FOCUS, "a focused frame");

    f.stale = true;
    draw_frame(g, (struct rect){0, 0, 30, 3}, &f);
    ck_row(g, 0, "╭ Gauges ───────────── STALE ╮", "a stale frame keeps at least STALE");
    ck_assert_msg(grid_cell(g, 23, 0)->role == ROLE_WARN, "the stale marker is a warning");
    draw_frame(g, (struct rect){0, 0, 30, 3},
               &(struct frame_spec){"Gauges", "4s ago", false, true, NULL});
    ck_row(g, 0, "╭ Gauges ────── STALE 4s ago ╮", "a stale frame with room for the age");

    draw_dim(g, (struct rect){0, 1, 30, 2});
    ck_assert_msg(grid_cell(g, 0, 1)->role == ROLE_DIM && (grid_cell(g, 0, 1)->attrs & ATTR_DIM),
                  "dimmed cells take the dim role and attribute");
    ck_assert_msg(grid_cell(g, 0, 0)->role != ROLE_DIM, "cells outside the rectangle stay");

    g->ascii = true;
    draw_banner(g, (struct rect){0, 1, 30, 1}, "OFFLINE — retrying in 4s");
    ck_row(g, 1, "   OFFLINE - retrying in 4s   ", "banner centred, transliterated");
    ck_assert_msg(grid_cell(g, 0, 1)->role == ROLE_BANNER, "the banner spans the row");
    grid_free(g);
}
END_TEST

/* ---- table -------------------------------------------------------------- */

static const char *cell_text(void *ud, int row, int col, struct pen *pen)
{
    static char buf[32];
    (void)ud;
    if (col == 0)
        snprintf(buf, sizeof buf, "Q-%04d", row);
    else if (col == 1)
        snprintf(buf, sizeof buf, row == 4 ? "Cliente Conversión SA" : "Client %d", row);
    else
        snprintf(buf, sizeof buf, "%d.00", row * 100);
    if (col == 2 && row == 3)
        pen->role = ROLE_BAD;
    return buf;
}

START_TEST(test_table)
{
    static const struct table_col cols[] = {
        {"Number", 8, 0, ALIGN_LEFT},
        {"Client", 6, 1, ALIGN_LEFT},
        {"Total", 10, 0, ALIGN_RIGHT},
    };
    struct table_spec t = {cols, 3, 10, 5, true, cell_text, NULL, 0, false};
    struct grid *g = grid_new(30, 4);
    int scroll = 0;

    int rows = draw_table(g, (struct rect){0, 0, 30, 4}, &t, &scroll);
    ck_assert_msg(rows == 3 && scroll == 3,
                  "selection 5 with 3 rows visible: expected scroll 3, got %d", scroll);
    ck_row(g, 0, "Number   Client          Total", "table header");
    ck_row(g, 1, "Q-0003   Client 3       300.00", "first visible row");
    ck_row(g, 2, "Q-0004   Cliente C…     400.00", "long text is ellipsised");
    ck_row(g, 3, "Q-0005   Client 5       500.00", "selected row");
    ck_assert_msg(grid_cell(g, 29, 1)->role == ROLE_BAD, "a cell's pen from the callback");
    ck_assert_msg(grid_cell(g, 8, 3)->role == ROLE_SELECTED, "the whole selected row is selected");

    /* Narrower than all columns: the last column goes. */
    struct grid *n = grid_new(16, 2);
    draw_table(n, (struct rect){0, 0, 16, 2}, &t, NULL);
    ck_row(n, 0, "Number   Client ", "narrow table keeps the columns that fit");
    grid_free(n);
    grid_free(g);
}
END_TEST

/* ---- every widget, every size ------------------------------------------- */

/* Two-column characters are always whole: a CELL_WIDE cell then its CELL_CONT. */
static void check_wide_pairs(const struct grid *g, const char *what)
{
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++) {
            const struct cell *c = grid_cell(g, x, y);
            if ((c->flags & CELL_WIDE) &&
                !(x + 1 < g->w && (grid_cell(g, x + 1, y)->flags & CELL_CONT)))
                ck_abort_msg("%s: a wide cell at %d,%d without its right half", what, x, y);
            if ((c->flags & CELL_CONT) && !(x > 0 && (grid_cell(g, x - 1, y)->flags & CELL_WIDE)))
                ck_abort_msg("%s: a right half at %d,%d without its left half", what, x, y);
        }
}

static void draw_everything(struct grid *g, struct rect r, int which)
{
    static const double vals[12] = {5, 0, 1e9, 3, 0.01, 7, 7, 0, 2, 9, 1, 4};
    static const struct bar_item items[] = {{"Combustible", 1e12, NULL},
                                            {"東京 hotel", 0.01, NULL}};
    static const struct table_col cols[] = {{"Número", 6, 1, ALIGN_LEFT},
                                            {"Total", 8, 0, ALIGN_RIGHT}};
    struct gauge_spec gs = {"Ana 山田", 10, 135, 50, "achieved", 8, ROLE_GOOD, ROLE_BACKGROUND};
    struct chart_spec cs = {vals, vals, 12, months, "2026", "2025", 1e9, 2e9, false, NULL};
    struct kpi_spec ks = {"Tasa de Conversión", "12,345,678.90", true, -3.1, false};
    struct frame_spec fs = {"Ingresos por mes", "updated 4s ago", true, true, "ANTIGUO"};
    struct table_spec ts = {cols, 2, 20, 7, true, cell_text, NULL, 2, true};
    int scroll = 0;

    switch (which) {
    case 0:
        draw_gauge(g, r, &gs);
        break;
    case 1:
        draw_bars(g, r, items, 2, r.w < 40);
        break;
    case 2:
        draw_chart(g, r, &cs);
        break;
    case 3:
        draw_kpi(g, r, &ks);
        break;
    case 4:
        draw_frame(g, r, &fs);
        break;
    case 5:
        draw_table(g, r, &ts, &scroll);
        break;
    case 6:
        draw_banner(g, r, "OFFLINE — retrying in 4s");
        break;
    case 7:
        if (r.h > 0)
            draw_sparkline(g, r.x, r.y, r.w, vals, 12, PEN(ROLE_GOOD));
        break;
    default:
        if (r.h > 0)
            draw_badge(g, r.x, r.y, r.w, BADGE_FAIL);
        break;
    }
}

START_TEST(test_every_size)
{
    static const char *const names[] = {"gauge", "bars",   "chart",     "kpi",  "frame",
                                        "table", "banner", "sparkline", "badge"};
    for (int which = 0; which < N(names); which++) {
        for (int ascii = 0; ascii <= 1; ascii++) {
            for (int w = 0; w <= 44; w++) {
                for (int h = 0; h <= 9; h++) {
                    struct grid *g = grid_new(w + 4, h + 4);
                    g->ascii = ascii;
                    grid_fill(g, (struct rect){0, 0, w + 4, h + 4}, "#", PEN(ROLE_TEXT));
                    struct rect r = {2, 2, w, h};
                    grid_fill(g, r, " ", PEN(ROLE_TEXT));
                    draw_everything(g, r, which);
                    int bx, by;
                    if (!outside_untouched(g, r, &bx, &by))
                        ck_abort_msg("%s at %dx%d (%s) wrote outside at %d,%d", names[which], w, h,
                                     ascii ? "ASCII" : "UTF-8", bx, by);
                    check_wide_pairs(g, names[which]);
                    if (ascii && !grid_all_ascii(g))
                        ck_abort_msg("%s at %dx%d: ASCII mode holds only ASCII", names[which], w,
                                     h);
                    grid_free(g);
                }
            }
        }
    }
}
END_TEST

static Suite *draw_suite(void)
{
    Suite *s = suite_create("tui_draw");
    TCase *tc = tcase_create("draw");
    tcase_add_checked_fixture(tc, tui_locale, NULL);
    tcase_add_loop_test(tc, test_gauge_bar, 0, N(gauge_cases));
    tcase_add_test(tc, test_gauge_roles);
    tcase_add_test(tc, test_gauge_line);
    tcase_add_test(tc, test_bars_exact);
    tcase_add_test(tc, test_bars_tiny_and_huge);
    tcase_add_test(tc, test_chart_all_zero);
    tcase_add_test(tc, test_chart_values);
    tcase_add_test(tc, test_sparkline);
    tcase_add_test(tc, test_kpi);
    tcase_add_test(tc, test_badge);
    tcase_add_test(tc, test_frame_banner_dim);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_every_size);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(draw_suite());
}
