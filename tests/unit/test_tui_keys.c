/* Unit tests of tui/keys: every binding of tui.md, no key bound twice, every action documented, the
 * help drawn from the table. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "keys.h"
#include "test_tui_util.h"

START_TEST(test_unique_keys)
{
    for (size_t i = 0; i < key_table_len; i++) {
        for (int a = 0; a < KEY_BINDING_KEYS && key_table[i].keys[a]; a++) {
            int key = key_table[i].keys[a];
            for (size_t j = i; j < key_table_len; j++) {
                for (int b = 0; b < KEY_BINDING_KEYS && key_table[j].keys[b]; b++) {
                    if (j == i && b <= a)
                        continue;
                    char name[16];
                    ck_assert_msg(key_table[j].keys[b] != key,
                                  "key %s is bound twice (\"%s\" and \"%s\")",
                                  keys_code_name(key, name, sizeof name), key_table[i].name,
                                  key_table[j].name);
                }
            }
        }
    }
}
END_TEST

START_TEST(test_every_action_documented)
{
    for (int a = 1; a < ACT_COUNT; a++) {
        int bindings = 0;
        for (size_t i = 0; i < key_table_len; i++) {
            if (key_table[i].action != (enum action)a)
                continue;
            bindings++;
            ck_assert_msg(key_table[i].name && *key_table[i].name,
                          "action %s: a key name for the help", keys_action_name((enum action)a));
            ck_assert_msg(*msg("en", key_table[i].help) && *msg("es", key_table[i].help),
                          "action %s: a help line in English and Spanish",
                          keys_action_name((enum action)a));
            ck_assert_msg(key_table[i].keys[0] != 0, "action %s: at least one key",
                          keys_action_name((enum action)a));
        }
        ck_assert_msg(bindings == 1, "action %s: expected exactly one table row, got %d",
                      keys_action_name((enum action)a), bindings);
        ck_assert_msg(keys_action_name((enum action)a) != NULL, "action %d has a name", a);
        for (int b = 1; b < a; b++)
            ck_assert_msg(
                strcmp(keys_action_name((enum action)a), keys_action_name((enum action)b)) != 0,
                "action names are unique (%s)", keys_action_name((enum action)a));
    }
    ck_assert(keys_action_name(ACT_COUNT) == NULL);
}
END_TEST

/* tui.md's key table, key by key. */
static const struct {
    int key;
    enum action want;
} spec_keys[] = {
    {'q', ACT_QUIT},
    {KEYC_CTRL('c'), ACT_QUIT},
    {'?', ACT_HELP},
    {KEYC_F1, ACT_HELP},
    {'r', ACT_REFRESH},
    {KEYC_F5, ACT_REFRESH},
    {'p', ACT_PAUSE},
    {KEYC_TAB, ACT_FOCUS_NEXT},
    {KEYC_BTAB, ACT_FOCUS_PREV},
    {'1', ACT_VIEW_DASHBOARD},
    {'2', ACT_VIEW_QUOTES},
    {'3', ACT_VIEW_EXPENSES},
    {'4', ACT_VIEW_QUOTAS},
    {'5', ACT_VIEW_HEALTH},
    {'j', ACT_DOWN},
    {'k', ACT_UP},
    {KEYC_DOWN, ACT_DOWN},
    {KEYC_UP, ACT_UP},
    {KEYC_LEFT, ACT_LEFT},
    {KEYC_RIGHT, ACT_RIGHT},
    {KEYC_PGUP, ACT_PAGE_UP},
    {KEYC_PGDN, ACT_PAGE_DOWN},
    {'g', ACT_TOP},
    {'G', ACT_BOTTOM},
    {KEYC_ENTER, ACT_OPEN},
    {KEYC_ESC, ACT_BACK},
    {'/', ACT_FILTER},
    {'t', ACT_THEME_NEXT},
    {'+', ACT_INTERVAL_UP},
    {'-', ACT_INTERVAL_DOWN},
    {'y', ACT_YEAR_PREV},
    {'Y', ACT_YEAR_NEXT},
    {'[', ACT_MONTH_PREV},
    {']', ACT_MONTH_NEXT},
    {KEYC_CTRL('l'), ACT_REDRAW},
    {'s', ACT_STATUS_FILTER},
    {'a', ACT_APPROVE},
    {'x', ACT_REJECT},
    {'z', ACT_NONE},
    {KEYC_RESIZE, ACT_NONE},
    {KEYC_NONE, ACT_NONE},
};

START_TEST(test_spec_bindings)
{
    char name[16];
    enum action got = keys_lookup(spec_keys[_i].key);
    ck_assert_msg(got == spec_keys[_i].want, "key %s: expected action %s, got %s",
                  keys_code_name(spec_keys[_i].key, name, sizeof name),
                  keys_action_name(spec_keys[_i].want), keys_action_name(got));
}
END_TEST

START_TEST(test_code_names)
{
    static const struct {
        int key;
        const char *want;
    } cases[] = {
        {'q', "q"},
        {KEYC_CTRL('c'), "Ctrl-C"},
        {KEYC_PGDN, "PgDn"},
        {KEYC_F1, "F1"},
        {KEYC_BTAB, "Shift-Tab"},
        {' ', "Space"},
        {0xF1, "ñ"},
        {-4, "key -4"},
    };
    char out[16];
    for (int i = 0; i < N(cases); i++)
        ck_assert_msg(strcmp(keys_code_name(cases[i].key, out, sizeof out), cases[i].want) == 0,
                      "keys_code_name(%d): expected %s, got %s", cases[i].key, cases[i].want, out);
}
END_TEST

/* The whole grid as one string, for "does it contain" checks. */
static char *all_text(const struct grid *g)
{
    return grid_to_text(g);
}

START_TEST(test_help_overlay)
{
    int rows = keys_help_rows();
    ck_assert_msg(rows > (int)key_table_len, "help rows include headings: %d", rows);

    struct grid *g = grid_new(80, rows + 2);
    keys_draw_help(g, (struct rect){0, 0, 80, rows + 2}, "en", 0);
    char *text = all_text(g);
    for (size_t i = 0; i < key_table_len; i++) {
        char line[160];
        snprintf(line, sizeof line, "%-11s %s", key_table[i].name, msg("en", key_table[i].help));
        ck_assert_msg(strstr(text, line) != NULL, "the help overlay shows \"%s\"", line);
    }
    ck_assert_msg(strstr(text, "Keys") && strstr(text, "Mouse") && strstr(text, "wheel"),
                  "the overlay has its title and the mouse line");
    free(text);

    /* Spanish, ASCII, and scrolled to the end (clamped). */
    g->ascii = true;
    grid_clear(g, PEN(ROLE_TEXT));
    keys_draw_help(g, (struct rect){0, 0, 80, 12}, "es", 1000);
    text = all_text(g);
    ck_assert_msg(grid_all_ascii(g), "an ASCII help overlay holds only ASCII");
    ck_assert_msg(strstr(text, "Teclas") && strstr(text, "la rueda desplaza"),
                  "the Spanish overlay, scrolled to its last line: got\n%s", text);
    ck_assert_msg(strstr(text, "ano anterior") != NULL, "accents transliterated (año → ano)");
    free(text);

    /* The overlay says when it scrolls: more below at the top, more above at
     * the end, both in between. */
    grid_clear(g, PEN(ROLE_TEXT));
    keys_draw_help(g, (struct rect){0, 0, 80, 12}, "en", 0);
    char *bottom = row_text(g, 11), *top = row_text(g, 0);
    ck_assert_msg(strstr(bottom, "more below") && !strstr(top, "more above"),
                  "at the top: \"more below\" on the bottom edge; got\n%s\n%s", top, bottom);
    free(bottom);
    free(top);
    grid_clear(g, PEN(ROLE_TEXT));
    keys_draw_help(g, (struct rect){0, 0, 80, 12}, "en", 1000);
    bottom = row_text(g, 11);
    top = row_text(g, 0);
    ck_assert_msg(!strstr(bottom, "more below") && strstr(top, "more above"),
                  "at the end: \"more above\" on the top edge; got\n%s\n%s", top, bottom);
    free(bottom);
    free(top);
    grid_free(g);

    /* Tiny rectangles draw what fits and nothing else. */
    g = grid_new(5, 2);
    keys_draw_help(g, (struct rect){0, 0, 5, 2}, NULL, 0);
    keys_draw_help(g, (struct rect){0, 0, 0, 0}, NULL, 0);
    grid_free(g);
}
END_TEST

START_TEST(test_help_text)
{
    struct buf b = BUF_INIT;
    keys_help_text(&b);
    for (size_t i = 0; i < key_table_len; i++)
        ck_assert_msg(strstr(buf_str(&b), msg(NULL, key_table[i].help)) != NULL,
                      "--help lists \"%s\"", msg(NULL, key_table[i].help));
    ck_assert_msg(strstr(buf_str(&b), "  q, Ctrl-C   quit, restoring the terminal\n") != NULL,
                  "--help lines read \"  NAME  DESCRIPTION\": got\n%s", buf_str(&b));
    buf_free(&b);
}
END_TEST

static Suite *keys_suite(void)
{
    Suite *s = suite_create("tui_keys");
    TCase *tc = tcase_create("keys");
    tcase_add_checked_fixture(tc, tui_locale, NULL);
    tcase_add_test(tc, test_unique_keys);
    tcase_add_test(tc, test_every_action_documented);
    tcase_add_loop_test(tc, test_spec_bindings, 0, N(spec_keys));
    tcase_add_test(tc, test_code_names);
    tcase_add_test(tc, test_help_overlay);
    tcase_add_test(tc, test_help_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(keys_suite());
}
