/* Unit tests of tui/grid: clipped and aligned text, wide characters, ellipses, ASCII mode, boxes
 * and diffs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "grid.h"
#include "test_tui_util.h"

/* ---- text placement ----------------------------------------------------- */

static const struct {
    const char *what;
    int gw; /* grid width (one row) */
    bool ascii;
    int x, w; /* span given to grid_put */
    const char *text;
    unsigned flags;
    const char *want; /* the whole row */
    int ret;          /* grid_put's return */
} put_cases[] = {
    {"left", 10, false, 0, 10, "abc", 0, "abc       ", 3},
    {"right", 10, false, 0, 10, "abc", PUT_RIGHT, "       abc", 3},
    {"center", 10, false, 0, 10, "abc", PUT_CENTER, "   abc    ", 3},
    {"span inside the row", 10, false, 2, 4, "abcdef", 0, "  abcd    ", 4},
    {"clipped by the grid edge", 10, false, 8, -1, "abcdef", 0, "        ab", 2},
    {"ellipsis", 10, false, 0, 6, "abcdefgh", PUT_ELLIPSIS, "abcde…    ", 6},
    {"ellipsis ascii", 10, true, 0, 6, "abcdefgh", PUT_ELLIPSIS, "abc...    ", 6},
    {"fits exactly, no ellipsis", 10, false, 0, 3, "abc", PUT_ELLIPSIS, "abc       ", 3},
    {"right ellipsis", 10, false, 0, 10, "abcdefghijkl", PUT_RIGHT | PUT_ELLIPSIS, "abcdefghi…",
     10},
    {"CJK measured by wcwidth", 10, false, 0, 10, "東京", 0, "東京      ", 4},
    {"CJK right-aligned", 10, false, 0, 10, "東京", PUT_RIGHT, "      東京", 4},
    {"CJK ellipsis never cuts a character", 10, false, 0, 5, "東京タワー", PUT_ELLIPSIS,
     "東京…     ", 5},
    {"CJK ellipsis on an odd column", 10, false, 0, 6, "東京タワー", PUT_ELLIPSIS, "東京 …    ", 6},
    {"CJK cut without ellipsis leaves a space", 10, false, 0, 5, "東京タワー", 0, "東京      ", 5},
    {"emoji ellipsis", 6, false, 0, 4, "🎉🎉🎉", PUT_ELLIPSIS, "🎉 …  ", 4},
    {"wide char at the grid edge", 3, false, 0, 3, "ab東", 0, "ab ", 3},
    {"mixed Latin and CJK", 13, false, 0, 13, "Ana 山田 Ruiz", PUT_ELLIPSIS, "Ana 山田 Ruiz", 13},
    {"mixed, truncated", 12, false, 0, 7, "Ana 山田 Ruiz", PUT_ELLIPSIS, "Ana 山…     ", 7},
    {"combining mark stays with its letter", 6, false, 0, 6, "Conversio\xcc\x81n", PUT_ELLIPSIS,
     "Conve…", 6},
    {"control characters shown", 5, false, 0, 5,
     "a\x01"
     "b\tc",
     0,
     "a\xef\xbf\xbd"
     "b c",
     5},
    {"ascii transliterates", 12, true, 0, 12, "Conversión", 0, "Conversion  ", 10},
    {"ascii CJK", 6, true, 0, 6, "東京", 0, "??    ", 2},
    {"ascii ellipsis of accented text", 10, true, 0, 8, "Aprobación pendiente", PUT_ELLIPSIS,
     "Aprob...  ", 8},
    {"ellipsis wider than the span", 4, true, 0, 2, "abcdef", PUT_ELLIPSIS, "..  ", 2},
    {"NULL text", 3, false, 0, 3, NULL, 0, "   ", 0},
};

START_TEST(test_put)
{
    struct grid *g = grid_new(put_cases[_i].gw, 1);
    g->ascii = put_cases[_i].ascii;
    int ret = grid_put(g, put_cases[_i].x, 0, put_cases[_i].w, put_cases[_i].text, PEN(ROLE_TEXT),
                       put_cases[_i].flags);
    ck_row(g, 0, put_cases[_i].want, put_cases[_i].what);
    ck_assert_msg(ret == put_cases[_i].ret, "%s: expected grid_put to return %d, got %d",
                  put_cases[_i].what, put_cases[_i].ret, ret);
    if (put_cases[_i].ascii)
        ck_assert_msg(grid_all_ascii(g), "%s: an ascii grid must hold only ASCII",
                      put_cases[_i].what);
    grid_free(g);
}
END_TEST

START_TEST(test_pad_and_pen)
{
    struct grid *g = grid_new(8, 1);
    grid_put(g, 1, 0, 6, "ab", PEN_A(ROLE_GOOD, ATTR_BOLD), PUT_RIGHT | PUT_PAD);
    for (int x = 0; x < 8; x++) {
        const struct cell *c = grid_cell(g, x, 0);
        enum color_role want = x >= 1 && x < 7 ? ROLE_GOOD : ROLE_TEXT;
        ck_assert_msg(c->role == want,
                      "column %d: expected role %d (padding takes the pen), got %d", x, want,
                      c->role);
    }
    ck_row(g, 0, "     ab ", "padded right");
    grid_free(g);
}
END_TEST

/* ---- wide-character invariants ------------------------------------------ */

START_TEST(test_wide_cells)
{
    struct grid *g = grid_new(6, 1);
    grid_put(g, 0, 0, -1, "東京", PEN(ROLE_TEXT), 0);
    ck_assert_msg(grid_cell(g, 0, 0)->flags == CELL_WIDE && grid_cell(g, 1, 0)->flags == CELL_CONT,
                  "a CJK character takes a CELL_WIDE cell and a CELL_CONT cell");
    ck_assert_msg(grid_cell(g, 1, 0)->text[0] == '\0', "a continuation cell holds no text");

    /* Overwriting the right half blanks the left half, and the reverse. */
    grid_set(g, 1, 0, "x", PEN(ROLE_TEXT));
    ck_row(g, 0, " x京  ", "right half overwritten");
    grid_set(g, 2, 0, "y", PEN(ROLE_TEXT));
    ck_row(g, 0, " xy   ", "left half overwritten");
    ck_assert_msg(grid_cell(g, 3, 0)->flags == 0, "the orphaned continuation became a plain cell");

    /* A wide glyph on the last column becomes a space. */
    ck_assert_int_eq(grid_set(g, 5, 0, "京", PEN(ROLE_TEXT)), 1);
    ck_row(g, 0, " xy   ", "wide glyph on the last column");
    grid_free(g);
}
END_TEST

/* ---- boxes and lines ---------------------------------------------------- */

START_TEST(test_box)
{
    static const struct {
        bool ascii;
        const char *title;
        const char *rows[3];
    } cases[] = {
        {false, "Sales", {"╭ Sales ─╮", "│        │", "╰────────╯"}},
        {true, "Sales", {"+ Sales -+", "|        |", "+--------+"}},
        {false, "Expenses by category", {"╭ Expe… ─╮", "│        │", "╰────────╯"}},
        {true, NULL, {"+--------+", "|        |", "+--------+"}},
    };
    for (int i = 0; i < N(cases); i++) {
        struct grid *g = grid_new(10, 3);
        g->ascii = cases[i].ascii;
        grid_box(g, (struct rect){0, 0, 10, 3}, PEN(ROLE_BORDER), cases[i].title, PEN(ROLE_TITLE));
        char what[64];
        snprintf(what, sizeof what, "box case %d", i);
        for (int y = 0; y < 3; y++)
            ck_row(g, y, cases[i].rows[y], what);
        grid_free(g);
    }
}
END_TEST

START_TEST(test_rects)
{
    struct rect a = {0, 0, 10, 5}, b = {5, 2, 10, 5}, c = {10, 0, 3, 3};
    ck_assert_msg(rect_overlaps(a, b), "overlapping rectangles");
    ck_assert_msg(!rect_overlaps(a, c), "touching rectangles do not overlap");
    struct rect k = rect_clip(b, a);
    ck_assert_msg(k.x == 5 && k.y == 2 && k.w == 5 && k.h == 3,
                  "clip: expected 5,2 5x3, got %d,%d %dx%d", k.x, k.y, k.w, k.h);
    struct rect in = rect_inset((struct rect){0, 0, 1, 1}, 1);
    ck_assert_msg(in.w == 0 && in.h == 0, "inset never gives negative sizes");
    ck_assert_msg(rect_contains(a, (struct rect){1, 1, 9, 4}), "contains");
    ck_assert_msg(!rect_contains(a, (struct rect){1, 1, 10, 4}), "does not contain");
}
END_TEST

/* ---- diff --------------------------------------------------------------- */

START_TEST(test_diff)
{
    struct grid *a = grid_new(10, 3), *b = grid_new(10, 3);
    struct grid_runs runs = GRID_RUNS_INIT;

    ck_assert_msg(grid_diff(a, b, &runs) == 0, "identical grids differ in nothing");

    grid_put(b, 2, 1, 3, "abc", PEN(ROLE_TEXT), 0);
    ck_assert_msg(grid_diff(a, b, &runs) == 1 && runs.v[0].x == 2 && runs.v[0].y == 1 &&
                      runs.v[0].w == 3,
                  "one changed run expected at 2,1 width 3");

    /* Only the role changes: still a change. */
    grid_copy(a, b);
    grid_restyle(b, (struct rect){0, 2, 1, 1}, ROLE_BAD, 0);
    ck_assert_msg(grid_diff(a, b, &runs) == 1 && runs.v[0].x == 0 && runs.v[0].y == 2 &&
                      runs.v[0].w == 1,
                  "a colour change is a change");

    /* A wide character's change covers both halves, even if only one differs. */
    grid_copy(a, b);
    grid_put(a, 6, 0, 2, "東", PEN(ROLE_TEXT), 0);
    grid_put(b, 6, 0, 2, "京", PEN(ROLE_TEXT), 0);
    grid_diff(a, b, &runs);
    ck_assert_msg(runs.n == 1 && runs.v[0].x == 6 && runs.v[0].w == 2,
                  "wide change: expected one run 6..7, got %zu runs (first x=%d w=%d)", runs.n,
                  runs.n ? runs.v[0].x : -1, runs.n ? runs.v[0].w : -1);
    grid_copy(a, b);
    grid_set(b, 7, 0, "x", PEN(ROLE_TEXT)); /* right half replaced: left becomes a space */
    grid_diff(a, b, &runs);
    ck_assert_msg(runs.n == 1 && runs.v[0].x == 6 && runs.v[0].w == 2,
                  "half replaced: expected one run 6..7, got x=%d w=%d", runs.v[0].x, runs.v[0].w);

    /* A size change redraws everything. */
    grid_resize(b, 12, 2);
    ck_assert_msg(grid_diff(a, b, &runs) == 2 && runs.v[0].w == 12, "resized: every row is a run");
    ck_assert_msg(grid_diff(NULL, b, &runs) == 2, "no previous frame: every row is a run");

    grid_runs_free(&runs);
    grid_free(a);
    grid_free(b);
}
END_TEST

START_TEST(test_to_text)
{
    struct grid *g = grid_new(6, 2);
    grid_put(g, 0, 0, -1, "ab", PEN(ROLE_TEXT), 0);
    grid_put(g, 2, 1, -1, "東", PEN(ROLE_TEXT), 0);
    char *t = grid_to_text(g);
    ck_assert_msg(strcmp(t, "ab\n  東\n") == 0,
                  "grid_to_text: expected \"ab\\n  東\\n\", got \"%s\"", t);
    free(t);
    grid_resize(g, 0, 0);
    t = grid_to_text(g);
    ck_assert_msg(strcmp(t, "") == 0, "an empty grid is empty text");
    free(t);
    grid_free(g);
}
END_TEST

/* ---- random writes ------------------------------------------------------ */

START_TEST(test_random_writes)
{
    static const char *const texts[] = {"Conversión", "東京タワー", "🎉🎉",  "a\x01b", "e\xcc\x81",
                                        "\xff\xfe",   "abc",        "─│╭", "",       "ｗｉｄｅ"};
    unsigned seed = 12345;
    struct grid *g = grid_new(17, 5);

    for (int i = 0; i < 10000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        g->ascii = (r & 1) != 0;
        int x = (int)(r % 23) - 3, y = (int)(r / 23 % 7) - 1, w = (int)(r / 161 % 22) - 2;
        const char *t = texts[r / 3542 % N(texts)];
        unsigned flags = r / 35420 % 16;
        if (r % 5 == 0)
            grid_set(g, x, y, t, PEN(ROLE_TEXT));
        else
            grid_put(g, x, y, w, t, PEN(ROLE_TEXT), flags);
        /* Plain ifs: a ck_assert per cell would cost a pipe write each. */
        for (int yy = 0; yy < g->h; yy++)
            for (int xx = 0; xx < g->w; xx++) {
                const struct cell *c = grid_cell(g, xx, yy);
                if ((c->flags & CELL_WIDE) &&
                    !(xx + 1 < g->w && (grid_cell(g, xx + 1, yy)->flags & CELL_CONT)))
                    ck_abort_msg("write %d: a wide cell at %d,%d lost its right half", i, xx, yy);
                if ((c->flags & CELL_CONT) &&
                    !(xx > 0 && (grid_cell(g, xx - 1, yy)->flags & CELL_WIDE)))
                    ck_abort_msg("write %d: a right half at %d,%d lost its left half", i, xx, yy);
                if (!(c->flags & CELL_CONT) && c->text[0] == '\0')
                    ck_abort_msg("write %d: an empty cell at %d,%d", i, xx, yy);
            }
    }
    grid_free(g);
}
END_TEST

static Suite *grid_suite(void)
{
    Suite *s = suite_create("tui_grid");
    TCase *tc = tcase_create("grid");
    tcase_add_checked_fixture(tc, tui_locale, NULL);
    tcase_add_loop_test(tc, test_put, 0, N(put_cases));
    tcase_add_test(tc, test_pad_and_pen);
    tcase_add_test(tc, test_wide_cells);
    tcase_add_test(tc, test_box);
    tcase_add_test(tc, test_rects);
    tcase_add_test(tc, test_diff);
    tcase_add_test(tc, test_to_text);
    tcase_add_test(tc, test_random_writes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(grid_suite());
}
