/* Unit tests of whole frames: the real application state and panels drawn into a grid from fixed
 * answers (no terminal, no network): themes' contrast, translations, columns. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "format.h"
#include "msg.h"
#include "test_tui_app_util.h"

/* ---------------------------------------------------------------- contrast */

/* 0xRRGGBB of a resolved colour; DEFAULT is the terminal's own foreground
 * (light grey) or background (black). */
static uint32_t rgb_of(struct theme_color c, bool fg)
{
    uint32_t v;
    if (theme_color_rgb(c, &v))
        return v;
    return fg ? 0xd0d0d0 : 0x000000;
}

static double luminance(uint32_t rgb)
{
    double ch[3];
    for (int i = 0; i < 3; i++) {
        double v = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;
        ch[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

static double contrast(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* Every text cell of every view, drawn in every shipped theme, is readable:
 * its colours differ and reach a contrast of 1.5:1 (the active tab's were
 * equal). Default colours count as the terminal's light-on-dark. */
START_TEST(every_theme_every_role_pair_is_readable)
{
    app_up("en");
    feed_all();
    A.paused = true; /* the banner too */
    size_t n = 0;
    char **names = theme_list(NULL, &n);
    ck_assert_msg(n >= 7, "expected the shipped themes, found %zu", n);
    for (size_t t = 0; t < n; t++) {
        char *err = NULL;
        ck_assert_msg(theme_load(names[t], NULL, &A.theme, &err) == THEME_OK, "theme %s: %s",
                      names[t], err ? err : "");
        for (int v = 0; v < VIEW_COUNT; v++) {
            A.focus[v] = 0;
            free(frame(v, 120, 40));
            const struct grid *g = A.grid;
            for (int y = 0; y < g->h; y++) {
                for (int x = 0; x < g->w; x++) {
                    const struct cell *c = grid_cell(g, x, y);
                    if (!c->text[0] || !strcmp(c->text, " "))
                        continue;
                    struct theme_style st = theme_resolve(&A.theme, (enum color_role)c->role,
                                                          (enum color_role)c->bg, c->attrs);
                    uint32_t fg = rgb_of(st.fg, true), bg = rgb_of(st.bg, false);
                    if (st.fg.kind == THEME_COLOR_DEFAULT && st.bg.kind == THEME_COLOR_DEFAULT)
                        continue; /* the terminal's own pair */
                    double k = contrast(fg, bg);
                    ck_assert_msg(k >= 1.5,
                                  "theme %s, view %d, cell %d,%d \"%s\": %s on %s has contrast "
                                  "%.2f (fg %06x, bg %06x)",
                                  names[t], v + 1, x, y, c->text,
                                  theme_role_name((enum color_role)c->role),
                                  theme_role_name((enum color_role)c->bg), k, fg, bg);
                }
            }
        }
        free(err);
    }
    theme_list_free(names);
    app_down();
}
END_TEST

/* ---------------------------------------------------------------- translation */

/* True when word occurs in text as a whole word (not inside "OnQuota", nor
 * an API key such as "quotes_accepted", which a KPI without a title shows). */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; (p = strstr(p, word)); p++) {
        bool left = p == text || !((p[-1] >= 'a' && p[-1] <= 'z') ||
                                   (p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '_');
        char r = p[n];
        bool right = !((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_');
        if (left && right)
            return true;
    }
    return false;
}

/* Counts printf conversions ("%s", "%.80s", "%ld", "%%") in order, as a signature. */
static void conversions(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = s; *p && k + 2 < n; p++) {
        if (*p != '%')
            continue;
        p++;
        while (*p && strchr("0123456789.-+ #*", *p))
            p++;
        while (*p == 'l' || *p == 'z')
            out[k++] = *p++;
        if (*p)
            out[k++] = *p;
    }
    out[k] = '\0';
}

/* The message table: every id has both texts, Spanish differs unless it is
 * meant to be the same, and both take the same printf arguments. */
START_TEST(message_table_is_complete)
{
    for (int id = 1; id < MSG_COUNT; id++) {
        const struct msg_text *m = &msg_table[id];
        ck_assert_msg(m->en && *m->en, "message %d has no English text", id);
        ck_assert_msg(m->es && *m->es, "message %d (\"%s\") has no Spanish text", id, m->en);
        ck_assert_msg(m->same || strcmp(m->en, m->es) != 0,
                      "message \"%s\" is not translated (mark it same if meant)", m->en);
        char a[32], b[32];
        conversions(m->en, a, sizeof a);
        conversions(m->es, b, sizeof b);
        ck_assert_msg(!strcmp(a, b), "message \"%s\": conversions %s in English, %s in Spanish",
                      m->en, a, b);
    }
    for (size_t i = 0; i < key_table_len; i++)
        ck_assert_msg(key_table[i].help > MSG_NONE && key_table[i].help < MSG_COUNT,
                      "key %s has a help message", key_table[i].name);
    for (int v = 0; v < VIEW_COUNT; v++)
        for (int p = 0; p < views[v].npanels; p++)
            ck_assert_msg(views[v].panels[p]->title > MSG_NONE, "panel %s has a title",
                          views[v].panels[p]->name);
}
END_TEST

/* With --lang es no English text of the table reaches the screen, in any
 * view, the help overlay, a banner or a prompt. */
START_TEST(spanish_screens_hold_no_english)
{
    app_up("es");
    feed_all();
    struct buf all = BUF_INIT;
    for (int v = 0; v < VIEW_COUNT; v++) {
        for (int f = 0; f < views[v].npanels; f++) {
            A.focus[v] = f;
            char *s = frame(v, 120, 40);
            buf_adds(&all, s);
            free(s);
            s = frame(v, 80, 24);
            buf_adds(&all, s);
            free(s);
        }
    }
    A.pst[1][0].detail = true;
    snprintf(A.data.q.quote_id, sizeof A.data.q.quote_id, "q1");
    char *s = frame(1, 120, 40);
    buf_adds(&all, s);
    free(s);
    A.help = true;
    for (int scroll = 0; scroll < 80; scroll += 20) {
        A.help_scroll = scroll;
        s = frame(0, 120, 30);
        buf_adds(&all, s);
        free(s);
    }
    A.help = false;
    A.paused = true;
    s = frame(0, 120, 40);
    buf_adds(&all, s);
    free(s);
    const char *text = buf_str(&all);
    if (getenv("TUI_APP_DUMP"))
        fputs(text, stderr);
    int checked = 0;
    for (int id = 1; id < MSG_COUNT; id++) {
        const struct msg_text *m = &msg_table[id];
        if (m->same || !strcmp(m->en, m->es))
            continue;
        /* The literal text before any conversion, trimmed. */
        char lit[128];
        snprintf(lit, sizeof lit, "%s", m->en);
        lit[strcspn(lit, "%")] = '\0';
        char *p = lit + strspn(lit, " ");
        size_t len = strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            p[--len] = '\0';
        if (len < 5 || strstr(m->es, p))
            continue;
        checked++;
        ck_assert_msg(!has_word(text, p), "English \"%s\" on a Spanish screen", p);
    }
    ck_assert_msg(checked > 50, "expected many English texts checked, got %d", checked);
    ck_assert_msg(strstr(text, "Cotizaciones") && strstr(text, "Proveedor") &&
                      strstr(text, "actualizado") && strstr(text, "Teclas"),
                  "the Spanish words are there");
    buf_free(&all);
    app_down();
}
END_TEST

/* ---------------------------------------------------------------- views */

/* Expenses: the vendor column holds the vendor (or "-"), and who submitted
 * the expense has a column of its own. */
START_TEST(expenses_vendor_and_submitter)
{
    app_up("en");
    feed(SRC_EXPENSES, EXPENSES);
    char *s = frame(2, 120, 30);
    ck_assert_msg(strstr(s, "Vendor") && strstr(s, "Submitted by"),
                  "expected Vendor and Submitted by headers:\n%s", s);
    char *row = strstr(s, "Repostaje");
    ck_assert_msg(row, "the first expense:\n%s", s);
    char *vendor = strstr(s, "Vendor"), *by = strstr(s, "Submitted by");
    /* Columns by position in the header: the row's text under Vendor is "-". */
    char *line = row;
    while (line > s && line[-1] != '\n')
        line--;
    char *head = vendor;
    while (head > s && head[-1] != '\n')
        head--;
    /* Columns, not bytes: the header holds a sort mark (▼). */
    int vcol = 0, bcol = 0;
    for (const char *q = head; q < vendor; q++)
        vcol += ((unsigned char)*q & 0xC0) != 0x80;
    for (const char *q = head; q < by; q++)
        bcol += ((unsigned char)*q & 0xC0) != 0x80;
    const char *at_v = line, *at_b = line;
    for (int k = 0; k < vcol; k++)
        format_utf8_next(&at_v);
    for (int k = 0; k < bcol; k++)
        format_utf8_next(&at_b);
    ck_assert_msg(*at_v == '-', "no vendor shows \"-\" under Vendor:\n%s", s);
    ck_assert_msg(!strncmp(at_b, "Diego Sanz", 10), "the submitter under Submitted by:\n%s", s);
    ck_assert_msg(strstr(s, "Parador"), "a vendor shows:\n%s", s);
    free(s);
    app_down();
}
END_TEST

/* A 2.5% discount reads 2.5%, so the line adds up. */
START_TEST(quote_detail_shows_exact_discount)
{
    setenv("TZ", "Europe/Madrid", 1);
    tzset();
    app_up("en");
    feed(SRC_QUOTES, QUOTES);
    A.pst[1][0].detail = true;
    snprintf(A.data.q.quote_id, sizeof A.data.q.quote_id, "q1");
    char *s = frame(1, 120, 30);
    ck_assert_msg(strstr(s, "2.5%") && !strstr(s, " 3%"), "expected 2.5%% in the items:\n%s", s);
    /* Times in the local zone, with the zone (TZ is Europe/Madrid here). */
    ck_assert_msg(strstr(s, "2026-11-29 02:08:49 CET"), "created in local time:\n%s", s);
    free(s);
    char out[32];
    format_percent_exact(12.25, out, sizeof out);
    ck_assert_str_eq(out, "12.25%");
    format_percent_exact(10, out, sizeof out);
    ck_assert_str_eq(out, "10%");
    app_down();
    unsetenv("TZ");
    tzset();
}
END_TEST

/* Without colour the two revenue years differ by pattern. */
START_TEST(mono_revenue_years_differ)
{
    app_up("en");
    feed(SRC_REVENUE, REVENUE);
    A.mono = true;
    char *s = frame(0, 120, 40);
    ck_assert_msg(strstr(s, "░"), "expected the previous year as a pattern:\n%s", s);
    free(s);
    A.mono = false;
    s = frame(0, 120, 40);
    ck_assert_msg(!strstr(s, "░"), "colour tells the years apart without a pattern");
    free(s);
    app_down();
}
END_TEST

/* An empty search says so instead of "page 1/0"; the sort column is marked
 * in the header. */
START_TEST(empty_search_and_sort_mark)
{
    app_up("en");
    feed(SRC_QUOTES, QUOTES);
    char *s = frame(1, 120, 30);
    ck_assert_msg(strstr(s, "Date▼"), "expected the sort mark on Date:\n%s", s);
    free(s);
    feed(SRC_QUOTES, QUOTES_EMPTY);
    s = frame(1, 120, 30);
    ck_assert_msg(!strstr(s, "1/0") && strstr(s, "no results"), "expected no results:\n%s", s);
    free(s);
    app_down();
}
END_TEST

/* ASCII: "won" is not the falling arrow's v. */
START_TEST(ascii_won_is_not_a_fall)
{
    app_up("en");
    feed(SRC_ACTIVITY, ACTIVITY);
    A.ascii = true;
    char *s = frame(0, 120, 40);
    ck_assert_msg(strstr(s, "W won") && !strstr(s, "v won"), "expected W won:\n%s", s);
    free(s);
    app_down();
}
END_TEST

/* While readiness gets no answer the Health view says unreachable, not the
 * last "ready", and the outage is the last status change, in local time
 * with its zone. */
START_TEST(health_while_the_daemon_is_down)
{
    setenv("TZ", "Europe/Madrid", 1);
    tzset();
    app_up("en");
    feed(SRC_READY, READY);
    struct net_result down = {.method = "GET",
                              .path = "/health/ready",
                              .body = "",
                              .err = "Connection "
                                     "refused"};
    data_apply(&A.data, SRC_READY, &down, 3.0);
    char *s = frame(4, 120, 40);
    ck_assert_msg(strstr(s, "unreachable") && !strstr(s, "ready (HTTP"),
                  "expected unreachable:\n%s", s);
    ck_assert_msg(!strstr(s, "none since start"), "an outage is a status change:\n%s", s);
    ck_assert_msg(strstr(s, " CET") || strstr(s, " CEST"), "local time with its zone:\n%s", s);
    free(s);
    app_down();
    unsetenv("TZ");
    tzset();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tui_app");
    TCase *tc = tcase_create("app");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, cfg_setup, cfg_teardown);
    tcase_add_test(tc, every_theme_every_role_pair_is_readable);
    tcase_add_test(tc, message_table_is_complete);
    tcase_add_test(tc, spanish_screens_hold_no_english);
    tcase_add_test(tc, expenses_vendor_and_submitter);
    tcase_add_test(tc, quote_detail_shows_exact_discount);
    tcase_add_test(tc, mono_revenue_years_differ);
    tcase_add_test(tc, empty_search_and_sort_mark);
    tcase_add_test(tc, ascii_won_is_not_a_fall);
    tcase_add_test(tc, health_while_the_daemon_is_down);
    suite_add_tcase(s, tc);
    return check_main(s);
}
