/* Unit tests of tui/layout: wide, compact, stacked and too-small layouts, at the sizes tui.md names
 * and at every size. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "layout.h"
#include "test_tui_util.h"

/* A dashboard as the client describes it: KPIs across the top; gauges,
 * category bars and chart in the middle; activity and health below. */
static const struct layout_item dashboard[] = {
    {0, 1, 40, 5, 8},  /* KPI tiles */
    {1, 1, 26, 6, 14}, /* gauges */
    {1, 1, 26, 6, 10}, /* category bars */
    {1, 1, 26, 6, 12}, /* revenue chart */
    {2, 2, 40, 3, 12}, /* activity */
    {2, 1, 20, 3, 6},  /* health strip */
};
#define NDASH N(dashboard)

/* Every shown rectangle lies inside the body and none overlaps another. */
static void check_invariants(const struct layout *l, int cols, int lines, const char *what)
{
    struct rect screen = {0, 0, cols, lines};
    for (int i = 0; i < l->n; i++) {
        struct rect a = l->rects[i];
        if (a.w == 0 && a.h == 0)
            continue;
        ck_assert_msg(a.w > 0 && a.h > 0, "%s %dx%d: rect %d has a zero side (%dx%d)", what, cols,
                      lines, i, a.w, a.h);
        ck_assert_msg(rect_contains(l->body, a) && rect_contains(screen, a),
                      "%s %dx%d: rect %d (%d,%d %dx%d) must lie inside the body (%d,%d %dx%d)",
                      what, cols, lines, i, a.x, a.y, a.w, a.h, l->body.x, l->body.y, l->body.w,
                      l->body.h);
        for (int j = i + 1; j < l->n; j++)
            ck_assert_msg(!rect_overlaps(a, l->rects[j]), "%s %dx%d: rects %d and %d overlap", what,
                          cols, lines, i, j);
    }
    struct rect chrome[] = {l->header, l->banner, l->status};
    for (int k = 0; k < 3; k++) {
        ck_assert_msg(chrome[k].w == 0 || rect_contains(screen, chrome[k]),
                      "%s %dx%d: header, banner and status lie on the screen", what, cols, lines);
        ck_assert_msg(!rect_overlaps(chrome[k], l->body), "%s %dx%d: chrome overlaps the body",
                      what, cols, lines);
    }
}

static int shown(const struct layout *l)
{
    int n = 0;
    for (int i = 0; i < l->n; i++)
        n += l->rects[i].w > 0 && l->rects[i].h > 0;
    return n;
}

START_TEST(test_named_sizes)
{
    static const struct {
        int cols, lines;
        enum layout_mode mode;
        int min_shown; /* panels visible at scroll 0 */
    } cases[] = {
        {120, 40, LAYOUT_WIDE, NDASH},   {200, 60, LAYOUT_WIDE, NDASH},
        {80, 24, LAYOUT_COMPACT, NDASH}, {100, 30, LAYOUT_COMPACT, NDASH},
        {60, 20, LAYOUT_STACKED, 1},     {79, 40, LAYOUT_STACKED, 1},
        {120, 23, LAYOUT_STACKED, 1},    {40, 10, LAYOUT_STACKED, 1},
        {30, 8, LAYOUT_TOO_SMALL, 0},    {39, 50, LAYOUT_TOO_SMALL, 0},
        {200, 9, LAYOUT_TOO_SMALL, 0},
    };
    static const char *const names[] = {"too small", "stacked", "compact", "wide"};
    for (int i = 0; i < N(cases); i++) {
        struct layout l;
        layout_compute(cases[i].cols, cases[i].lines, dashboard, NDASH, 0, 0, &l);
        ck_assert_msg(l.mode == cases[i].mode, "%dx%d: expected the %s layout, got %s",
                      cases[i].cols, cases[i].lines, names[cases[i].mode], names[l.mode]);
        ck_assert_msg(shown(&l) >= cases[i].min_shown,
                      "%dx%d: expected at least %d panels shown, got %d", cases[i].cols,
                      cases[i].lines, cases[i].min_shown, shown(&l));
        check_invariants(&l, cases[i].cols, cases[i].lines, names[l.mode]);
    }
}
END_TEST

START_TEST(test_wide_shape)
{
    struct layout l;
    layout_compute(120, 40, dashboard, NDASH, 0, 0, &l);

    /* KPIs span the width at the top; three columns side by side below. */
    ck_assert_msg(l.rects[0].x == 0 && l.rects[0].w == 120 && l.rects[0].y == l.body.y,
                  "KPIs across the top");
    ck_assert_msg(l.rects[1].y == l.rects[2].y && l.rects[2].y == l.rects[3].y &&
                      l.rects[1].x < l.rects[2].x && l.rects[2].x < l.rects[3].x,
                  "gauges, categories and chart in one row, left to right");
    ck_assert_msg(l.rects[1].w + l.rects[2].w + l.rects[3].w == 120,
                  "the three columns fill the width");
    ck_assert_msg(l.rects[4].w == 80 && l.rects[5].w == 40,
                  "activity takes 2 shares of 3: got %d and %d", l.rects[4].w, l.rects[5].w);
    ck_assert_msg(l.rects[4].y + l.rects[4].h == l.body.y + l.body.h,
                  "the last band reaches the status line");
    ck_assert_msg(l.header.y == 0 && l.status.y == 39 && l.body.y == 1 && l.body.h == 38,
                  "header on row 0, status on the last row");
    ck_assert_msg(layout_hit(&l, 0, l.rects[0].y) == 0 && layout_hit(&l, 119, 39) == -1,
                  "hits: a KPI cell is panel 0, the status line no panel");
}
END_TEST

START_TEST(test_compact_heights)
{
    struct layout l;
    layout_compute(80, 24, dashboard, NDASH, 0, LAYOUT_BANNER, &l);
    ck_assert_msg(l.mode == LAYOUT_COMPACT, "80x24 with a banner is still compact");
    ck_assert_msg(l.banner.y == 1 && l.banner.h == 1 && l.body.y == 2 && l.body.h == 21,
                  "banner on row 1, body rows 2–22");
    for (int i = 0; i < NDASH; i++)
        ck_assert_msg(l.rects[i].h >= dashboard[i].min_h && l.rects[i].w >= dashboard[i].min_w,
                      "panel %d gets at least its minimum (%dx%d), got %dx%d", i,
                      dashboard[i].min_w, dashboard[i].min_h, l.rects[i].w, l.rects[i].h);
    check_invariants(&l, 80, 24, "compact with banner");
}
END_TEST

START_TEST(test_too_small)
{
    struct layout l;
    layout_compute(30, 8, dashboard, NDASH, 0, 0, &l);
    ck_assert_msg(l.mode == LAYOUT_TOO_SMALL, "30x8 is too small");
    ck_assert_msg(strcmp(l.text, "terminal too small, need 40x10") == 0,
                  "the message names the size needed, got \"%s\"", l.text);
    ck_assert_msg((int)strlen(l.text) <= 30, "the message fits 30 columns");
    ck_assert_msg(l.message.y == 4 && l.message.w == 30 && l.message.h == 1,
                  "the message row is centred");
    ck_assert_msg(shown(&l) == 0 && l.body.w == 0 && l.header.w == 0, "nothing else is laid out");

    static const int sizes[][2] = {{0, 0}, {-5, 3}, {1, 1}, {39, 9}};
    for (int i = 0; i < N(sizes); i++) {
        layout_compute(sizes[i][0], sizes[i][1], dashboard, NDASH, 0, 0, &l);
        ck_assert_msg(l.mode == LAYOUT_TOO_SMALL, "%dx%d is too small", sizes[i][0], sizes[i][1]);
        ck_assert_msg(l.message.w <= (sizes[i][0] > 0 ? sizes[i][0] : 0), "the message row fits");
    }
}
END_TEST

START_TEST(test_stacked_scroll)
{
    struct layout l;
    layout_compute(60, 20, dashboard, NDASH, 0, 0, &l);
    ck_assert_msg(l.rects[0].y == l.body.y && l.rects[0].w == 60,
                  "stacked: the first panel at the top, full width");
    ck_assert_msg(l.scroll_max > 0, "a 60x20 dashboard scrolls");

    for (int s = 0; s <= l.scroll_max; s++) {
        struct layout k;
        layout_compute(60, 20, dashboard, NDASH, s, 0, &k);
        ck_assert_msg(k.scroll == s && k.rects[s].y == k.body.y,
                      "scroll %d puts panel %d at the top", s, s);
        for (int i = 0; i < s; i++)
            ck_assert_msg(k.rects[i].w == 0, "scroll %d hides panel %d", s, i);
        check_invariants(&k, 60, 20, "stacked scrolled");
    }
    struct layout far;
    layout_compute(60, 20, dashboard, NDASH, 99, 0, &far);
    ck_assert_msg(far.scroll == l.scroll_max, "scroll is clamped to %d, got %d", l.scroll_max,
                  far.scroll);
    ck_assert_msg(far.rects[NDASH - 1].w > 0, "at the largest scroll the last panel shows");
    layout_compute(60, 20, dashboard, NDASH, -3, 0, &far);
    ck_assert_msg(far.scroll == 0, "negative scroll is clamped to 0");
}
END_TEST

START_TEST(test_every_size)
{
    /* Never overlapping, never outside, at any size (a resize passes through
     * all of them). */
    for (int cols = -1; cols <= 180; cols++) {
        for (int lines = -1; lines <= 60; lines++) {
            struct layout l;
            layout_compute(cols, lines, dashboard, NDASH, lines % 4, cols % 2 ? LAYOUT_BANNER : 0,
                           &l);
            check_invariants(&l, cols, lines, "sweep");
        }
    }
    /* No items, and a single full-screen panel. */
    struct layout l;
    layout_compute(80, 24, NULL, 0, 0, 0, &l);
    ck_assert_msg(l.n == 0 && l.mode != LAYOUT_TOO_SMALL, "no items: empty body");
    static const struct layout_item one[] = {{0, 1, 40, 5, 1000}};
    layout_compute(100, 30, one, 1, 0, 0, &l);
    ck_assert_msg(l.rects[0].w == 100 && l.rects[0].h == 28, "one panel fills the body, got %dx%d",
                  l.rects[0].w, l.rects[0].h);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("tui_layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, test_named_sizes);
    tcase_add_test(tc, test_wide_shape);
    tcase_add_test(tc, test_compact_heights);
    tcase_add_test(tc, test_too_small);
    tcase_add_test(tc, test_stacked_scroll);
    tcase_add_test(tc, test_every_size);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(layout_suite());
}
