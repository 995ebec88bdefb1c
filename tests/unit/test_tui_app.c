/* Unit tests of whole frames: the real application state and panels drawn into a grid from fixed
 * answers (no terminal, no network): themes' contrast, translations, columns, keys. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "check_main.h"
#include "format.h"
#include "msg.h"
#include "options.h"
#include "panels.h"
#include "test_tui_util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------- fixtures */

static const char *const KPIS =
    "{\"total_revenue\":{\"title\":\"Ingresos del mes\",\"current_value\":9320.48,"
    "\"previous_value\":8000,\"change_percent\":16.5,\"format_type\":\"currency\","
    "\"is_positive\":true},\"pending_approvals\":{\"title\":\"Aprobaciones pendientes\","
    "\"current_value\":3,\"format_type\":\"number\",\"is_positive\":false,"
    "\"change_percent\":-3.1}}";
static const char *const REVENUE =
    "{\"current_year\":[{\"month\":\"2026-01\",\"value\":100},{\"month\":\"2026-02\","
    "\"value\":300}],\"previous_year\":[{\"month\":\"2025-01\",\"value\":200},{\"month\":"
    "\"2025-02\",\"value\":300}],\"total_current_year\":400,\"total_previous_year\":500}";
static const char *const EXPMONTHLY =
    "{\"current_year\":[{\"month\":\"2026-01\",\"value\":10}],\"previous_year\":[],"
    "\"by_category\":[{\"category\":\"COMBUSTIBLE\",\"total\":120.5},{\"category\":\"HOTEL\","
    "\"total\":80}],\"total_current_year\":10,\"total_previous_year\":0}";
static const char *const ACTIVITY =
    "{\"events\":[{\"id\":\"q1\",\"type\":\"quote_accepted\",\"title\":\"Cotización "
    "Q-2026-000001\",\"user_name\":\"Ana Ruiz\",\"timestamp\":\"2026-11-29T02:01:42Z\","
    "\"metadata\":{\"quote_number\":\"Q-2026-000001\",\"status\":\"accepted\",\"amount\":1200}},"
    "{\"id\":\"q2\",\"type\":\"quote_created\",\"title\":\"Cotización Q-2026-000002\","
    "\"user_name\":\"Ana Ruiz\",\"timestamp\":\"2026-11-28T02:01:42Z\"}],\"total_events\":2}";
static const char *const PERF =
    "{\"year\":2026,\"month\":11,\"pace_percent\":50,\"team\":{\"target\":1000,\"achieved\":400,"
    "\"percent\":40,\"status\":\"at_risk\"},\"reps\":[{\"user_id\":\"u1\",\"user_name\":"
    "\"Ana Ruiz\",\"target\":500,\"achieved\":100,\"percent\":20,\"status\":\"behind\"},"
    "{\"user_id\":\"u2\",\"user_name\":\"Luis Gil\",\"target\":500,\"achieved\":300,"
    "\"percent\":60,\"status\":\"on_track\"}]}";
static const char *const READY =
    "{\"status\":\"ready\",\"is_ready\":true,\"timestamp\":\"2026-11-29T02:01:42Z\","
    "\"components\":{\"database\":{\"status\":\"healthy\",\"latency_ms\":0.4,\"pool\":{\"size\":"
    "10,\"in_use\":1}},\"redis\":{\"status\":\"healthy\",\"latency_ms\":0.2,\"memory_used\":"
    "\"1.2M\"}}}";
static const char *const METRICS = "onquota_cache_requests_total{result=\"hit\"} 90\n"
                                   "onquota_cache_requests_total{result=\"miss\"} 10\n";
static const char *const QUOTES =
    "{\"total\":41,\"items\":[{\"id\":\"q1\",\"quote_number\":\"Q-2026-000001\","
    "\"total_amount\":1025.00,\"currency\":\"USD\",\"status\":\"sent\",\"created_at\":"
    "\"2026-11-29T01:08:49Z\",\"client\":{\"id\":\"c1\",\"name\":\"Ferretería Ebro\"},"
    "\"sales_rep\":{\"id\":\"u1\",\"full_name\":\"Ana Ruiz\"},\"items\":[{\"product_name\":"
    "\"Fleje\",\"quantity\":10,\"unit_price\":105.128205,\"discount_percent\":2.50,"
    "\"subtotal\":1025.00}]}],\"page\":1,\"page_size\":20,\"pages\":3}";
static const char *const QUOTES_EMPTY =
    "{\"total\":0,\"items\":[],\"page\":1,\"page_size\":20,\"pages\":0}";
static const char *const EXPENSES =
    "{\"total\":2,\"items\":[{\"id\":\"e1\",\"user\":{\"full_name\":\"Diego Sanz\"},"
    "\"category\":{\"name\":\"COMBUSTIBLE\"},\"amount\":101.10,\"description\":\"Repostaje\","
    "\"date\":\"2026-11-29\",\"status\":\"pending\",\"vendor_name\":null},{\"id\":\"e2\","
    "\"user\":{\"full_name\":\"Marta Paz\"},\"category\":{\"name\":\"HOTEL\"},\"amount\":80,"
    "\"description\":\"Noche\",\"date\":\"2026-11-28\",\"status\":\"approved\","
    "\"vendor_name\":\"Parador\"}],\"page\":1,\"page_size\":20,\"pages\":1}";
static const char *const ALERTS =
    "{\"as_of\":\"2026-11-30\",\"year\":2026,\"month\":11,\"pace_percent\":100,\"alerts\":"
    "[{\"user_id\":\"u1\",\"user_name\":\"Ana Ruiz\",\"target\":500,\"achieved\":100,"
    "\"percent\":20,\"status\":\"behind\"}]}";
static const char *const QUOTAS =
    "[{\"id\":\"t1\",\"user_id\":\"u1\",\"user_name\":\"Ana Ruiz\",\"year\":2026,\"month\":11,"
    "\"target_amount\":500,\"achieved\":100,\"percent\":20}]";

static struct options O;
static struct app A;
static char cfgdir[128];

/* A non-interactive application in lang with the built-in theme. */
static void app_up(const char *lang)
{
    memset(&O, 0, sizeof O);
    O.url = xstrdup("http://127.0.0.1:9");
    O.token = xstrdup("oq_test");
    O.lang = xstrdup(lang);
    O.theme = xstrdup("default");
    O.format = xstrdup("text");
    O.view = xstrdup("dashboard");
    O.interval = 5;
    theme_default(&O.theme_data);
    char *err = NULL;
    ck_assert_msg(app_init(&A, &O, false, &err) == 0, "app_init: %s", err ? err : "");
    A.data.q.quota_year = 2026;
    A.data.q.quota_month = 11;
}

static void app_down(void)
{
    app_free(&A);
    options_free(&O);
}

/* Records answer body to a GET of s as the application would. */
static void feed(enum src s, const char *body)
{
    char path[DATA_PATH_MAX];
    data_path(&A.data, s, path, sizeof path);
    struct net_result r = {.method = "GET",
                           .path = path,
                           .status = 200,
                           .body = body,
                           .body_len = strlen(body),
                           .err = ""};
    ck_assert_msg(data_apply(&A.data, s, &r, 1.0) == FETCH_OK, "fixture of %s", data_src_name(s));
}

static void feed_all(void)
{
    feed(SRC_KPIS, KPIS);
    feed(SRC_REVENUE, REVENUE);
    feed(SRC_EXPMONTHLY, EXPMONTHLY);
    feed(SRC_ACTIVITY, ACTIVITY);
    feed(SRC_QUOTA_PERF, PERF);
    feed(SRC_READY, READY);
    feed(SRC_METRICS, METRICS);
    feed(SRC_QUOTES, QUOTES);
    feed(SRC_EXPENSES, EXPENSES);
    feed(SRC_QUOTA_MONTH, PERF);
    feed(SRC_QUOTAS, QUOTAS);
    feed(SRC_ALERTS, ALERTS);
}

/* Draws view v at w×h and returns the screen as text (malloc'd). */
static char *frame(int v, int w, int h)
{
    A.view = v;
    app_draw(&A, w, h, 2.0);
    return grid_to_text(A.grid);
}

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

/* ---------------------------------------------------------------- keys */

/* G goes to the last record of the list (its last page), g to the first. */
START_TEST(bottom_goes_to_the_last_record)
{
    app_up("en");
    feed(SRC_QUOTES, QUOTES);
    A.view = 1;
    app_key(&A, 'G', 2.0);
    ck_assert_int_eq(A.data.q.quotes_page, 3);
    ck_assert_msg(A.pst[1][0].sel >= PANEL_SEL_LAST, "the last row is selected once it arrives");
    app_key(&A, 'g', 2.0);
    ck_assert_int_eq(A.data.q.quotes_page, 1);
    app_down();
}
END_TEST

/* Ctrl-U clears a prompt's line; Esc clears an active filter. */
START_TEST(prompt_clear_and_filter_escape)
{
    app_up("en");
    feed(SRC_QUOTES, QUOTES);
    A.view = 1;
    app_key(&A, '/', 2.0);
    ck_assert(A.prompt.active);
    app_key(&A, 'E', 2.0);
    app_key(&A, 'b', 2.0);
    ck_assert_str_eq(A.prompt.text, "Eb");
    app_key(&A, KEYC_CTRL('u'), 2.0);
    ck_assert_str_eq(A.prompt.text, "");
    app_key(&A, 'x', 2.0);
    app_key(&A, KEYC_ENTER, 2.0);
    ck_assert_str_eq(A.data.q.quotes_search, "x");
    app_key(&A, KEYC_ESC, 2.0);
    ck_assert_str_eq(A.data.q.quotes_search, "");
    app_down();
}
END_TEST

/* Tables take the rows that fit: the page size follows the panel. */
START_TEST(pages_fill_the_panel)
{
    app_up("en");
    feed(SRC_QUOTES, QUOTES);
    free(frame(1, 120, 40));
    app_fit_pages(&A);
    ck_assert_msg(A.data.q.page_size == A.lay.rects[0].h - 4 && A.data.q.page_size > 30,
                  "page size %d for a panel of %d rows", A.data.q.page_size, A.lay.rects[0].h);
    app_down();
}
END_TEST

/* --help names the mouse once. */
START_TEST(help_names_the_mouse_once)
{
    struct buf b = BUF_INIT;
    options_help(&b);
    const char *p = buf_str(&b);
    int n = 0;
    while ((p = strstr(p, "the wheel scrolls"))) {
        n++;
        p++;
    }
    ck_assert_int_eq(n, 1);
    ck_assert_msg(strstr(buf_str(&b), "--profile") && strstr(buf_str(&b), "csv"),
                  "--help has the new options");
    buf_free(&b);
}
END_TEST

/* Types text into the open prompt and answers it. */
static void type_answer(const char *text)
{
    for (const char *p = text; *p; p++)
        app_key(&A, (unsigned char)*p, 2.0);
    app_key(&A, KEYC_ENTER, 2.0);
}

/* Expenses: / searches and o/O sort through the API, marked in the header. */
START_TEST(expenses_filter_and_sort)
{
    app_up("en");
    feed(SRC_EXPENSES, EXPENSES);
    A.view = 2;
    app_key(&A, '/', 2.0);
    type_answer("Repo");
    char p[DATA_PATH_MAX];
    data_path(&A.data, SRC_EXPENSES, p, sizeof p);
    ck_assert_msg(strstr(p, "search=Repo") && strstr(p, "sort=-date"), "path %s", p);
    app_key(&A, 'o', 2.0);
    app_key(&A, 'O', 2.0);
    data_path(&A.data, SRC_EXPENSES, p, sizeof p);
    ck_assert_msg(strstr(p, "sort=amount"), "path %s", p);
    feed(SRC_EXPENSES, EXPENSES);
    char *s = frame(2, 120, 30);
    ck_assert_msg(strstr(s, "▲Amount") && strstr(s, "/Repo"), "sort mark and filter:\n%s", s);
    free(s);
    app_key(&A, KEYC_ESC, 2.0);
    ck_assert_str_eq(A.data.q.expenses_search, "");
    app_down();
}
END_TEST

/* Quotas: / keeps the matching reps; Enter on a rep drills down to their
 * quotes (and expenses); Esc comes back. */
START_TEST(quotas_filter_and_drill_down)
{
    app_up("en");
    feed_all();
    A.view = 3;
    A.focus[3] = 0;
    app_key(&A, '/', 2.0);
    type_answer("luis");
    int idx[GAUGES_MAX_ROWS];
    ck_assert_int_eq(gauges_rows(&A.pst[3][0], &A.data.quota_month, idx), 1);
    char *s = frame(3, 140, 40);
    ck_assert_msg(strstr(s, "/luis"), "the filter shows:\n%s", s);
    free(s);
    app_key(&A, KEYC_ENTER, 2.0);
    ck_assert_int_eq(A.view, 1);
    char p[DATA_PATH_MAX];
    data_path(&A.data, SRC_QUOTES, p, sizeof p);
    ck_assert_msg(strstr(p, "sales_rep_id=u2"), "Luis's quotes: %s", p);
    data_path(&A.data, SRC_EXPENSES, p, sizeof p);
    ck_assert_msg(strstr(p, "user_id=u2"), "Luis's expenses: %s", p);
    app_key(&A, KEYC_ESC, 2.0);
    ck_assert_int_eq(A.view, 3);
    ck_assert_str_eq(A.data.q.rep_id, "");
    app_down();
}
END_TEST

/* Activity: / filters the feed; Enter opens the quote; Esc comes back. */
START_TEST(activity_filter_and_open)
{
    app_up("en");
    feed_all();
    A.view = 0;
    A.focus[0] = 4; /* the activity panel */
    app_key(&A, '/', 2.0);
    type_answer("000002");
    char *s = frame(0, 120, 40);
    ck_assert_msg(strstr(s, "Q-2026-000002") && !strstr(s, "Q-2026-000001"),
                  "only the matching event:\n%s", s);
    free(s);
    app_key(&A, KEYC_ENTER, 2.0);
    ck_assert_int_eq(A.view, 1);
    ck_assert(A.pst[1][0].detail);
    ck_assert_str_eq(A.data.q.quote_id, "q2");
    app_key(&A, KEYC_ESC, 2.0);
    ck_assert_int_eq(A.view, 0);
    app_down();
}
END_TEST

/* The : palette completes with Tab and jumps on Enter. */
START_TEST(palette_completes_and_jumps)
{
    app_up("en");
    feed_all();
    A.view = 0;
    app_key(&A, ':', 2.0);
    app_key(&A, 'h', 2.0);
    app_key(&A, 'e', 2.0);
    app_key(&A, KEYC_TAB, 2.0);
    ck_assert_str_eq(A.prompt.text, "health");
    app_key(&A, KEYC_ENTER, 2.0);
    ck_assert_int_eq(A.view, 4);
    app_key(&A, ':', 2.0);
    type_answer("Luis Gil");
    ck_assert_int_eq(A.view, 1);
    ck_assert_str_eq(A.data.q.rep_id, "u2");
    app_key(&A, ':', 2.0);
    type_answer("Q-2026-000001");
    ck_assert_str_eq(A.data.q.quotes_search, "Q-2026-000001");
    app_down();
}
END_TEST

/* ---------------------------------------------------------------- configuration */

static void write_config(const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/onquota", cfgdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/onquota/config", cfgdir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *read_config(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/onquota/config", cfgdir);
    FILE *f = fopen(path, "r");
    static char text[4096];
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    return text;
}

/* t and + are kept in the config file's global part. */
START_TEST(theme_and_interval_are_saved)
{
    write_config("# mine\nlang = en\n[profile x]\nurl = http://127.0.0.1:1\n");
    app_up("en");
    A.view = 0;
    app_key(&A, 't', 2.0);
    app_key(&A, '+', 2.0);
    const char *cfg = read_config();
    char want[96];
    snprintf(want, sizeof want, "theme = %s\n", A.themes[A.theme_idx]);
    ck_assert_msg(strstr(cfg, want) && strstr(cfg, "interval = 10\n"), "saved:\n%s", cfg);
    ck_assert_msg(strstr(cfg, "interval") < strstr(cfg, "[profile x]"),
                  "global keys stay before the sections:\n%s", cfg);
    app_key(&A, '+', 2.0);
    cfg = read_config();
    ck_assert_msg(strstr(cfg, "interval = 15\n") && !strstr(cfg, "interval = 10"),
                  "one line per key:\n%s", cfg);
    app_down();
}
END_TEST

/* [profile NAME] sections: --profile picks one, P switches to the next. */
START_TEST(profiles_pick_and_switch)
{
    char tok[256];
    snprintf(tok, sizeof tok, "%s/tok", cfgdir);
    FILE *f = fopen(tok, "w");
    fputs("oq_prof\n", f);
    fclose(f);
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "interval = 7\n[profile prod]\nurl = http://127.0.0.1:1001\ntoken_file = %s\n"
             "theme = dark\n[profile staging]\nurl = http://127.0.0.1:1002\n",
             tok);
    write_config(cfg);
    struct options o;
    char *err = NULL;
    char *argv[] = {"onquota", "--once", "--profile", "prod", NULL};
    ck_assert_msg(options_load(&o, 4, argv, &err) == 0, "load: %s", err ? err : "");
    ck_assert_str_eq(o.url, "http://127.0.0.1:1001");
    ck_assert_str_eq(o.token, "oq_prof");
    ck_assert_str_eq(o.theme, "dark");
    ck_assert_int_eq(o.interval, 7);
    options_free(&o);
    char *bad[] = {"onquota", "--once", "--profile", "nope", NULL};
    ck_assert(options_load(&o, 4, bad, &err) != 0);
    ck_assert_msg(strstr(err, "nope"), "names the profile: %s", err);
    free(err);
    options_free(&o);
    size_t n;
    char **names = options_profiles(&n);
    ck_assert(n == 2 && !strcmp(names[0], "prod") && !strcmp(names[1], "staging"));
    options_names_free(names);

    app_up("en");
    app_key(&A, 'P', 2.0);
    ck_assert_str_eq(A.opt->url, "http://127.0.0.1:1001");
    ck_assert_str_eq(A.opt->profile, "prod");
    app_key(&A, 'P', 2.0);
    ck_assert_str_eq(A.opt->url, "http://127.0.0.1:1002");
    app_down();
}
END_TEST

static void cfg_setup(void)
{
    tui_locale();
    snprintf(cfgdir, sizeof cfgdir, "/tmp/onquota-app-test-%d", (int)getpid());
    mkdir(cfgdir, 0700);
    setenv("XDG_CONFIG_HOME", cfgdir, 1);
    unsetenv("ONQUOTA_TOKEN");
    unsetenv("ONQUOTA_PROFILE");
    unsetenv("ONQUOTA_URL");
    unsetenv("ONQUOTA_THEME");
    unsetenv("NO_COLOR");
}

static void cfg_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cfgdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", cfgdir);
}

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
    tcase_add_test(tc, bottom_goes_to_the_last_record);
    tcase_add_test(tc, prompt_clear_and_filter_escape);
    tcase_add_test(tc, pages_fill_the_panel);
    tcase_add_test(tc, help_names_the_mouse_once);
    tcase_add_test(tc, expenses_filter_and_sort);
    tcase_add_test(tc, quotas_filter_and_drill_down);
    tcase_add_test(tc, activity_filter_and_open);
    tcase_add_test(tc, palette_completes_and_jumps);
    tcase_add_test(tc, theme_and_interval_are_saved);
    tcase_add_test(tc, profiles_pick_and_switch);
    suite_add_tcase(s, tc);
    return check_main(s);
}
