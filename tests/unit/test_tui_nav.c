/* Unit tests of the client's keys on the real application state (no terminal, no network):
 * paging, prompts, filters, drill-down, the palette, the event stream, saved settings, profiles. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "panels.h"
#include "sse.h"
#include "test_tui_app_util.h"

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
    /* An approved expense opens the Expenses view on it. */
    struct net_result r = {
        .method = "GET",
        .path = "/api/v1/dashboard/recent-activity?limit=50",
        .status = 200,
        .body = "{\"events\":[{\"id\":\"e9\",\"type\":\"expense_approved\",\"title\":"
                "\"Expense approved: Hotel Sevilla\",\"timestamp\":\"2026-11-30T02:01:42Z\"}]}",
        .err = ""};
    r.body_len = strlen(r.body);
    data_apply(&A.data, SRC_ACTIVITY, &r, 3.0);
    A.pst[0][4].filter[0] = '\0';
    A.pst[0][4].sel = 0;
    app_key(&A, KEYC_ENTER, 2.0);
    ck_assert_int_eq(A.view, 2);
    ck_assert_str_eq(A.data.q.expenses_search, "Hotel Sevilla");
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

/* Events from the stream refetch what they touch; an answer that is not an
 * event stream means polling, and the header says which. */
START_TEST(stream_events_and_polling)
{
    app_up("en");
    feed_all();
    A.sse = xcalloc(1, sizeof *A.sse);
    sse_init(A.sse);
    A.view = 2;
    char *s = frame(2, 120, 30);
    ck_assert_msg(strstr(s, "polling every 5s"), "polling before a stream:\n%s", s);
    free(s);
    static const char chunk[] = "retry: 3000\n: connected\n\nid: abc-7\nevent: dashboard\r\n"
                                "data: {\"reason\":\"write\"}\n\n";
    ck_assert(app_stream_chunk(&A, 200, "text/event-stream", chunk, 30));
    ck_assert_int_eq(A.stream, STREAM_LIVE);
    ck_assert_msg(A.round_pending == 0, "no event yet: the chunk ended mid-event");
    ck_assert(app_stream_chunk(&A, 200, "text/event-stream", chunk + 30, sizeof chunk - 31));
    ck_assert_str_eq(A.stream_id, "abc-7");
    ck_assert_msg(A.data.st[SRC_EXPENSES].in_flight, "the event refetches the view's list");
    ck_assert_msg(!A.data.st[SRC_READY].in_flight, "a dashboard event leaves health alone");
    s = frame(2, 120, 30);
    ck_assert_msg(strstr(s, "live, refresh every 5s"), "live:\n%s", s);
    free(s);
    /* An event while in flight: asked again when the answer lands. */
    static const char again[] = "event: dashboard\ndata: {}\n\n";
    app_stream_chunk(&A, 200, "text/event-stream", again, sizeof again - 1);
    ck_assert(A.refetch & SRC_BIT(SRC_EXPENSES));
    /* An older server: 404 → polling for good. */
    ck_assert(!app_stream_chunk(&A, 404, "application/json", "{}", 2));
    ck_assert_int_eq(A.stream, STREAM_UNSUPPORTED);
    app_down();
}
END_TEST

/* The parser: fields, CR/LF/CRLF, multi-line data, comments, caps. */
struct sse_got {
    int n;
    char type[32], data[64], id[32];
};

static void sse_on(void *ud, const struct sse_event *ev)
{
    struct sse_got *g = ud;
    g->n++;
    snprintf(g->type, sizeof g->type, "%s", ev->type);
    snprintf(g->data, sizeof g->data, "%s", ev->data);
    snprintf(g->id, sizeof g->id, "%s", ev->id);
}

START_TEST(sse_parser_edges)
{
    struct sse_parser *p = xcalloc(1, sizeof *p);
    sse_init(p);
    struct sse_got g = {0};
    static const char s1[] = ": heartbeat\r\rdata: a\rdata:b\r\n\r\n";
    sse_feed(p, s1, sizeof s1 - 1, sse_on, &g);
    ck_assert_int_eq(g.n, 1);
    ck_assert_str_eq(g.type, "message");
    ck_assert_str_eq(g.data, "a\nb");
    ck_assert_int_eq((int)p->comments, 1);
    static const char s2[] = "event: health\nid: 9\nretry: 250\n\nevent: x\n\n";
    sse_feed(p, s2, sizeof s2 - 1, sse_on, &g);
    ck_assert_int_eq(g.n, 1); /* no data: not dispatched */
    ck_assert(p->retry_ms == 250 && !strcmp(p->id, "9"));
    /* A line past the cap is dropped, not kept. */
    static char big[SSE_LINE_MAX * 2 + 16];
    memset(big, 'x', SSE_LINE_MAX * 2 + 6);
    memcpy(big, "data: ", 6);
    sse_feed(p, big, strlen(big), sse_on, &g);
    sse_feed(p, "\n\ndata: ok\n\n", 12, sse_on, &g);
    ck_assert_int_eq(g.n, 2);
    ck_assert_str_eq(g.data, "ok");
    free(p);
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

int main(void)
{
    Suite *s = suite_create("tui_nav");
    TCase *tc = tcase_create("nav");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, cfg_setup, cfg_teardown);
    tcase_add_test(tc, bottom_goes_to_the_last_record);
    tcase_add_test(tc, prompt_clear_and_filter_escape);
    tcase_add_test(tc, pages_fill_the_panel);
    tcase_add_test(tc, help_names_the_mouse_once);
    tcase_add_test(tc, expenses_filter_and_sort);
    tcase_add_test(tc, quotas_filter_and_drill_down);
    tcase_add_test(tc, activity_filter_and_open);
    tcase_add_test(tc, palette_completes_and_jumps);
    tcase_add_test(tc, stream_events_and_polling);
    tcase_add_test(tc, sse_parser_edges);
    tcase_add_test(tc, theme_and_interval_are_saved);
    tcase_add_test(tc, profiles_pick_and_switch);
    suite_add_tcase(s, tc);
    return check_main(s);
}
