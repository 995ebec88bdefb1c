/* Unit tests of tui/theme: the INI parser (valid and broken), the search path, shipped themes,
 * resolving and approximating colours. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "theme.h"
#include "test_tui_util.h"
#include "xalloc.h"

static bool same_roles(const struct theme *a, const struct theme *b)
{
    return memcmp(a->roles, b->roles, sizeof a->roles) == 0;
}

/* ---- parsing ------------------------------------------------------------ */

START_TEST(test_parse_valid)
{
    static const char text[] = "# Solarized, as in tui.md\n"
                               "[theme]\n"
                               "name = Solarized Dark\n"
                               "[colors]\n"
                               "background = #002b36\n"
                               "text = #839496\n"
                               "title = #93a1a1, bold\n"
                               "  good = #859900   \n"
                               "; a comment\n"
                               "selected = black on bright_cyan, bold, underline\n"
                               "banner = on red, reverse\n"
                               "dim = 244 ; a grey (inline comments go)\n"
                               "border = default # the terminal's\n"
                               "palette = #268bd2, #2aa198, #859900, #b58900, #cb4b16, #d33682, "
                               "#6c71c4, #dc322f\n";
    struct theme t, def;
    char *err = NULL;

    ck_assert_msg(theme_parse(text, "solarized-dark.theme", &t, &err), "valid theme refused: %s",
                  err ? err : "");
    ck_assert_msg(err == NULL, "no message on success");
    ck_assert_str_eq(t.name, "Solarized Dark");
    ck_assert_msg(t.roles[ROLE_BACKGROUND].fg.kind == THEME_COLOR_RGB &&
                      t.roles[ROLE_BACKGROUND].fg.rgb == 0x002b36,
                  "background #002b36");
    ck_assert_msg(t.roles[ROLE_TITLE].attrs == ATTR_BOLD && t.roles[ROLE_TITLE].fg.rgb == 0x93a1a1,
                  "title colour and bold");
    ck_assert_msg(t.roles[ROLE_SELECTED].fg.kind == THEME_COLOR_INDEX &&
                      t.roles[ROLE_SELECTED].fg.index == 0 &&
                      t.roles[ROLE_SELECTED].bg.index == 14 &&
                      t.roles[ROLE_SELECTED].attrs == (ATTR_BOLD | ATTR_UNDERLINE),
                  "selected = black on bright_cyan, bold, underline");
    ck_assert_msg(t.roles[ROLE_BANNER].fg.kind == THEME_COLOR_DEFAULT &&
                      t.roles[ROLE_BANNER].bg.index == 1 &&
                      t.roles[ROLE_BANNER].attrs == ATTR_REVERSE,
                  "banner = on red, reverse");
    ck_assert_msg(t.roles[ROLE_DIM].fg.index == 244, "dim = 244");
    ck_assert_msg(t.roles[ROLE_BORDER].fg.kind == THEME_COLOR_DEFAULT, "border = default");
    ck_assert_msg(t.roles[ROLE_PALETTE7].fg.rgb == 0xdc322f &&
                      t.roles[ROLE_PALETTE0].fg.rgb == 0x268bd2,
                  "the palette's eight colours");
    theme_default(&def);
    ck_assert_msg(
        memcmp(&t.roles[ROLE_GAUGE_PACE], &def.roles[ROLE_GAUGE_PACE], sizeof def.roles[0]) == 0,
        "a role not given keeps the built-in value");

    /* No [theme] name: the file's base name. */
    ck_assert(theme_parse("[colors]\ntext = red\n", "/x/y/my-theme.theme", &t, NULL));
    ck_assert_str_eq(t.name, "my-theme");
}
END_TEST

static const struct {
    const char *text, *want;
} broken_cases[] = {
    {"# line 1\n[theme]\nname = X\n\n[colors]\ntext = white\ngood = blu\n",
     "default.theme:7: unknown colour 'blu'"},
    {"[colors]\nfoo = red\n", "default.theme:2: unknown role 'foo'"},
    {"text = red\n", "default.theme:1: 'text' outside a section"},
    {"[colours]\n", "default.theme:1: unknown section 'colours'"},
    {"[colors\n", "default.theme:1: malformed section header"},
    {"[colors]\n\ntext red\n", "default.theme:3: expected 'key = value'"},
    {"[colors]\npalette = red, green\n", "default.theme:2: palette needs 8 colours, got 2"},
    {"[colors]\npalette = 1,2,3,4,5,6,7,8,9\n", "default.theme:2: palette has more than 8 colours"},
    {"[colors]\ntext = 256\n", "default.theme:2: unknown colour '256'"},
    {"[colors]\ntext = #12345\n", "default.theme:2: unknown colour '#12345'"},
    {"[colors]\ntext = #12345g\n", "default.theme:2: unknown colour '#12345g'"},
    {"[colors]\ntext = red, blue\n", "default.theme:2: two colours for 'text' (use 'FG on BG')"},
    {"[colors]\ntext = red on nope\n", "default.theme:2: unknown colour 'nope'"},
    {"[colors]\ntext = red,, bold\n", "default.theme:2: empty item in 'text'"},
    {"[theme]\nauthor = me\n", "default.theme:2: unknown key 'author' in [theme]"},
};

START_TEST(test_parse_broken)
{
    struct theme t, def;
    char *err = NULL;

    theme_default(&def);
    bool ok = theme_parse(broken_cases[_i].text, "default.theme", &t, &err);
    ck_assert_msg(!ok, "broken theme %d accepted (expected \"%s\")", _i, broken_cases[_i].want);
    ck_assert_msg(err && strcmp(err, broken_cases[_i].want) == 0, "expected \"%s\", got \"%s\"",
                  broken_cases[_i].want, err ? err : "(null)");
    ck_assert_msg(same_roles(&t, &def) && strcmp(t.name, "default") == 0,
                  "a broken theme falls back to the built-in default");
    free(err);
    ck_assert(!theme_parse(broken_cases[_i].text, "x", &t, NULL)); /* err may be NULL */
}
END_TEST

/* ---- files and the search path ------------------------------------------ */

static char tmp[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static void setup_dirs(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/onquota-theme-test-XXXXXX");
    ck_assert(mkdtemp(tmp) != NULL);
    char *p = xasprintf("%s/dir", tmp);
    mkdir(p, 0700);
    free(p);
    p = xasprintf("%s/xdg/onquota/themes", tmp);
    char *q = xasprintf("%s/xdg", tmp), *r = xasprintf("%s/xdg/onquota", tmp);
    mkdir(q, 0700);
    mkdir(r, 0700);
    mkdir(p, 0700);
    free(p);
    free(q);
    free(r);
    p = xasprintf("%s/xdg", tmp);
    setenv("XDG_CONFIG_HOME", p, 1);
    free(p);
}

static void teardown_dirs(void)
{
    char *cmd = xasprintf("rm -rf '%s'", tmp);
    ck_assert(system(cmd) == 0);
    free(cmd);
}

START_TEST(test_search_order)
{
    char *dir = xasprintf("%s/dir", tmp);
    char *a = xasprintf("%s/dir/mine.theme", tmp);
    char *b = xasprintf("%s/xdg/onquota/themes/mine.theme", tmp);
    char *bad = xasprintf("%s/dir/broken.theme", tmp);
    struct theme t;
    char *err = NULL;

    write_file(a, "[theme]\nname = From theme-dir\n");
    write_file(b, "[theme]\nname = From XDG\n");
    write_file(bad, "[colors]\n\ntext = blu\n");

    ck_assert_int_eq(theme_load("mine", dir, &t, &err), THEME_OK);
    ck_assert_msg(strcmp(t.name, "From theme-dir") == 0, "--theme-dir comes first, got %s", t.name);
    ck_assert_int_eq(theme_load("mine", NULL, &t, &err), THEME_OK);
    ck_assert_msg(strcmp(t.name, "From XDG") == 0, "then $XDG_CONFIG_HOME/onquota/themes, got %s",
                  t.name);

    ck_assert_int_eq(theme_load("broken", dir, &t, &err), THEME_BROKEN);
    ck_assert_msg(err && strcmp(err, "broken.theme:3: unknown colour 'blu'") == 0,
                  "a broken file names its line, got \"%s\"", err ? err : "(null)");
    free(err);
    err = NULL;
    ck_assert_str_eq(t.name, "default");

    ck_assert_int_eq(theme_load("nope", dir, &t, &err), THEME_NOT_FOUND);
    ck_assert_msg(err && strcmp(err, "unknown theme 'nope'") == 0,
                  "unknown theme message, got \"%s\"", err ? err : "(null)");
    free(err);
    err = NULL;
    ck_assert_msg(theme_find("../dir/mine", dir) == NULL && theme_find(".hidden", dir) == NULL,
                  "names with '/' or a leading '.' are never found");

    char *missing = xasprintf("%s/none.theme", tmp);
    ck_assert(!theme_load_file(missing, &t, &err));
    ck_assert_msg(err && strstr(err, "none.theme: No such file") != NULL,
                  "unreadable file, got \"%s\"", err ? err : "(null)");
    free(err);

    size_t n;
    char **names = theme_list(dir, &n);
    bool mine = false, def = false, broken = false;
    for (size_t i = 0; i < n; i++) {
        mine = mine || strcmp(names[i], "mine") == 0;
        def = def || strcmp(names[i], "default") == 0;
        broken = broken || strcmp(names[i], "broken") == 0;
        if (i > 0)
            ck_assert_msg(strcmp(names[i - 1], names[i]) < 0, "theme_list is sorted and unique");
    }
    ck_assert_msg(mine && def && broken && names[n] == NULL,
                  "theme_list holds every theme and default");
    theme_list_free(names);

    free(missing);
    free(dir);
    free(a);
    free(b);
    free(bad);
}
END_TEST

START_TEST(test_shipped_themes)
{
    static const char *const shipped[] = {"default",       "dark",       "light", "solarized-dark",
                                          "high-contrast", "colorblind", "mono"};
    struct theme t, def;
    char *err = NULL;

    theme_default(&def);
    for (int i = 0; i < N(shipped); i++) {
        char *path = theme_find(shipped[i], NULL);
        ck_assert_msg(path != NULL, "the shipped theme %s is found (source or installed dir)",
                      shipped[i]);
        ck_assert_msg(theme_load_file(path, &t, &err), "%s must parse: %s", shipped[i],
                      err ? err : "");
        free(path);
        if (strcmp(shipped[i], "default") == 0)
            ck_assert_msg(same_roles(&t, &def),
                          "themes/default.theme and the built-in default agree");
        if (strcmp(shipped[i], "mono") == 0)
            for (int r = 0; r < ROLE_COUNT; r++)
                ck_assert_msg(t.roles[r].fg.kind == THEME_COLOR_DEFAULT &&
                                  t.roles[r].bg.kind == THEME_COLOR_DEFAULT,
                              "mono uses no colour (role %s)", theme_role_name((enum color_role)r));
    }
    /* With no file anywhere, "default" is built in. */
    ck_assert_int_eq(theme_load(NULL, "/nonexistent", &t, NULL), THEME_OK);
}
END_TEST

/* ---- resolving and approximating ---------------------------------------- */

START_TEST(test_resolve_and_approx)
{
    struct theme t;
    ck_assert(theme_parse("[colors]\nbackground = #101010\ntext = white\ndim = default\n"
                          "selected = black on cyan\ngauge_empty = 238\ngood = green, bold\n",
                          "t", &t, NULL));
    struct theme_style s = theme_resolve(&t, ROLE_DIM, ROLE_BACKGROUND, ATTR_DIM);
    ck_assert_msg(s.fg.index == 7 && s.bg.rgb == 0x101010 && s.attrs == ATTR_DIM,
                  "a default fg is the text colour, the bg the background's");
    s = theme_resolve(&t, ROLE_SELECTED, ROLE_BACKGROUND, 0);
    ck_assert_msg(s.fg.index == 0 && s.bg.index == 6, "a role's own background");
    s = theme_resolve(&t, ROLE_GOOD, ROLE_GAUGE_EMPTY, ATTR_UNDERLINE);
    ck_assert_msg(s.fg.index == 2 && s.bg.index == 238 && s.attrs == (ATTR_BOLD | ATTR_UNDERLINE),
                  "a bg role paints its colour behind");

    static const struct {
        struct theme_color c;
        int colors, want;
    } cases[] = {
        {{THEME_COLOR_RGB, 0, 0xff0000}, 256, 196}, {{THEME_COLOR_RGB, 0, 0xff0000}, 16, 9},
        {{THEME_COLOR_RGB, 0, 0xff0000}, 8, 1},     {{THEME_COLOR_RGB, 0, 0x808080}, 256, 244},
        {{THEME_COLOR_INDEX, 12, 0}, 256, 12},      {{THEME_COLOR_INDEX, 12, 0}, 8, 4},
        {{THEME_COLOR_INDEX, 196, 0}, 16, 9},       {{THEME_COLOR_DEFAULT, 0, 0}, 256, -1},
        {{THEME_COLOR_RGB, 0, 0x00ff00}, 2, -1},
    };
    for (int i = 0; i < N(cases); i++) {
        int got = theme_color_approx(cases[i].c, cases[i].colors);
        ck_assert_msg(got == cases[i].want, "approx case %d (%d colours): expected %d, got %d", i,
                      cases[i].colors, cases[i].want, got);
    }
    uint32_t rgb = 0;
    ck_assert(theme_color_rgb((struct theme_color){THEME_COLOR_INDEX, 196, 0}, &rgb) &&
              rgb == 0xff0000);
    ck_assert(!theme_color_rgb((struct theme_color){THEME_COLOR_DEFAULT, 0, 0}, &rgb));
    for (int r = 0; r < ROLE_COUNT; r++)
        ck_assert_msg(theme_role_name((enum color_role)r) != NULL, "role %d has a name", r);
    ck_assert(theme_role_name(ROLE_COUNT) == NULL);
}
END_TEST

static Suite *theme_suite(void)
{
    Suite *s = suite_create("tui_theme");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_parse_valid);
    tcase_add_loop_test(tc, test_parse_broken, 0, N(broken_cases));
    tcase_add_test(tc, test_resolve_and_approx);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup_dirs, teardown_dirs);
    tcase_add_test(tc, test_search_order);
    tcase_add_test(tc, test_shipped_themes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(theme_suite());
}
