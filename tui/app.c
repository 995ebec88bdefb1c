/* The interactive client: refresh rounds with backoff, the panel services, and the main loop. */
#include "app.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "credentials.h"
#include "screen.h"
#include "timeutil.h"
#include "xalloc.h"

/* Per-source callback context (one fetch per source is in flight at most). */
struct fetch_ctx {
    struct app *a;
    enum src s;
    char path[DATA_PATH_MAX];
};
static struct fetch_ctx fctx[SRC_COUNT];

/* ---------------------------------------------------------------- set-up */

int app_init(struct app *a, struct options *o, bool interactive, char **err)
{
    memset(a, 0, sizeof *a);
    a->opt = o;
    a->interactive = interactive;
    a->lang = o->lang;
    a->ascii = o->ascii_effective;
    a->mono = !interactive || o->no_color;
    a->interval = o->interval;
    a->view = o->view_index;
    a->back_view = -1;
    a->theme = o->theme_data;
    data_init(&a->data);
    if (o->as_of)
        snprintf(a->data.q.as_of, sizeof a->data.q.as_of, "%s", o->as_of);
    a->data.q.year = o->year;
    /* The Quotas view starts at the month of --as-of, else this month. */
    int y, m, d;
    if (!(o->as_of && date_parse(o->as_of, &y, &m, &d))) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        y = tm.tm_year + 1900;
        m = tm.tm_mon + 1;
    }
    a->data.q.quota_year = y;
    a->data.q.quota_month = m;
    net_global_init();
    struct net_opts no = {.base_url = o->url,
                          .token = o->token,
                          .lang = o->lang,
                          .cacert = o->cacert,
                          .max_reply_bytes = (size_t)o->max_reply_mib << 20};
    a->net = net_new(&no, err);
    if (!a->net)
        return -1;
    a->grid = grid_new(0, 0);
    a->grid->ascii = a->ascii;
    a->themes = theme_list(o->theme_dir, &a->ntheme);
    for (size_t i = 0; i < a->ntheme; i++)
        if (!strcmp(a->themes[i], o->theme))
            a->theme_idx = i;
    a->started = time_mono();
    const char *stats = getenv("ONQUOTA_STATS");
    if (stats && *stats)
        a->stats = fopen(stats, "a");
    /* bench/tui's 1,000-refresh run: refresh rounds back to back. */
    const char *fast = getenv("ONQUOTA_BENCH_INTERVAL_MS");
    if (fast && atoi(fast) > 0)
        a->bench_interval = atoi(fast) / 1000.0;
    return 0;
}

void app_free(struct app *a)
{
    net_free(a->net);
    data_free(&a->data);
    grid_free(a->grid);
    theme_list_free(a->themes);
    free(a->sse);
    for (int i = 0; i < 3; i++)
        free(a->prompt.ctx[i]);
    if (a->stats)
        fclose(a->stats);
    memset(a, 0, sizeof *a);
}

/* ---------------------------------------------------------------- fetching */

unsigned app_view_sources(const struct app *a, int view)
{
    (void)a;
    unsigned mask = 0;
    for (int i = 0; i < views[view].npanels; i++)
        mask |= views[view].panels[i]->sources;
    return mask;
}

static void end_round(struct app *a, double now);

static void fetch_done(void *ud, const struct net_result *r)
{
    struct fetch_ctx *f = ud;
    struct app *a = f->a;
    double now = time_mono();
    char path[DATA_PATH_MAX];
    data_path(&a->data, f->s, path, sizeof path);
    a->round_pending--;
    if (strcmp(path, f->path) != 0 && f->s != SRC_ACTIVITY) {
        /* The filter or period changed while this was in flight: ask again. */
        a->data.st[f->s].in_flight = false;
        app_fetch(a, SRC_BIT(f->s));
    } else {
        enum fetch_outcome out = data_apply(&a->data, f->s, r, now);
        if (out == FETCH_TRANSPORT || out == FETCH_SERVER)
            a->round_failed = true;
        if (out == FETCH_AUTH)
            a->round_auth = true;
        if ((out == FETCH_OK || out == FETCH_UNCHANGED) && data_needs_token(f->s))
            a->auth_failed = false;
        if (out == FETCH_CLIENT && r->not_modified) {
            /* A 304 that does not revalidate what is held: ask in full. */
            net_forget_etag(a->net, f->path);
            app_fetch(a, SRC_BIT(f->s));
        } else if (a->refetch & SRC_BIT(f->s)) {
            /* An event came while this was in flight: ask again. */
            a->refetch &= ~SRC_BIT(f->s);
            app_fetch(a, SRC_BIT(f->s));
        }
    }
    if (a->round_pending == 0) {
        end_round(a, now);
        a->dirty = true; /* a finished round is drawn at once */
    }
}

void app_fetch(struct app *a, unsigned mask)
{
    for (int s = 0; s < SRC_COUNT; s++) {
        struct src_state *st = &a->data.st[s];
        if (!(mask & SRC_BIT(s)) || st->in_flight)
            continue;
        if (data_needs_token((enum src)s) && !a->opt->token)
            continue;
        if (s == SRC_QUOTE && !a->data.q.quote_id[0])
            continue;
        struct fetch_ctx *f = &fctx[s];
        f->a = a;
        f->s = (enum src)s;
        data_path(&a->data, (enum src)s, f->path, sizeof f->path);
        /* Conditional only when what is held answers this very request. */
        bool cond = data_conditional(&a->data, (enum src)s, f->path);
        if (net_get(a->net, f->path, cond, fetch_done, f) == 0) {
            st->in_flight = true;
            a->round_pending++;
        }
    }
}

/* Backoff after n failed rounds: 1, 2, 4 … 60 s, ±20% jitter. */
static double backoff(int n)
{
    double d = APP_BACKOFF_MIN * pow(2, n > 1 ? n - 1 : 0);
    if (d > APP_BACKOFF_MAX)
        d = APP_BACKOFF_MAX;
    return d * (0.8 + 0.4 * ((double)rand() / RAND_MAX));
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void end_round(struct app *a, double now)
{
    if (a->round_failed) {
        a->fails++;
        a->next_fetch = now + backoff(a->fails);
    } else {
        a->fails = 0;
        a->next_fetch = now + (a->bench_interval > 0 ? a->bench_interval : a->interval);
    }
    if (a->round_auth)
        a->auth_failed = true;
    a->round_failed = a->round_auth = false;
    a->rounds++;
    if (a->stats) {
        struct net_stats ns = net_get_stats(a->net);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(a->stats,
                "{\"event\":\"round\",\"n\":%lu,\"t\":%.4f,\"net_in\":%llu,\"net_out\":%llu,"
                "\"requests\":%llu,\"not_modified\":%llu,\"connects\":%llu,\"rss_kib\":%ld,"
                "\"cpu_s\":%.3f}\n",
                a->rounds, now - a->started, (unsigned long long)ns.bytes_in,
                (unsigned long long)ns.bytes_out, (unsigned long long)ns.requests,
                (unsigned long long)ns.not_modified, (unsigned long long)ns.connects, rss_kib(),
                (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
                    ru.ru_stime.tv_usec / 1e6);
        fflush(a->stats);
    }
}

/* Starts a round when one is due. */
static void tick(struct app *a, double now)
{
    if (a->round_pending > 0 || a->paused || now < a->next_fetch)
        return;
    unsigned mask = app_view_sources(a, a->view);
    const struct src_state *m = &a->data.st[SRC_METRICS];
    if (a->view != 4 && m->has_data && now - m->ok_at < APP_METRICS_PERIOD)
        mask &= ~SRC_BIT(SRC_METRICS);
    if (a->opt->token && !a->data.st[SRC_ME].has_data)
        mask |= SRC_BIT(SRC_ME);
    app_fetch(a, mask);
    if (a->round_pending == 0)
        a->next_fetch = now + a->interval; /* nothing to fetch (no token) */
}

/* ---------------------------------------------------------------- panel services */

struct data *panel_data(struct app *a)
{
    return &a->data;
}

const char *panel_msg(struct app *a, enum msg_id id)
{
    return msg(a->lang, id);
}

void panel_drill_rep(struct app *a, const char *user_id, const char *name)
{
    struct query *q = &a->data.q;
    snprintf(q->rep_id, sizeof q->rep_id, "%s", user_id);
    snprintf(q->rep_name, sizeof q->rep_name, "%s", name);
    q->quotes_page = q->expenses_page = 1;
    for (int v = 1; v <= 2; v++) {
        a->pst[v][0].sel = a->pst[v][0].scroll = 0;
        a->pst[v][0].detail = false;
    }
    int from = a->view;
    app_set_view(a, 1, time_mono());
    app_fetch(a, SRC_BIT(SRC_QUOTES));
    a->back_view = from != 1 ? from : a->back_view;
    panel_status(a, false, msg(a->lang, MSG_DRILL_REP), name);
}

void panel_open_quote(struct app *a, const char *quote_id)
{
    snprintf(a->data.q.quote_id, sizeof a->data.q.quote_id, "%s", quote_id);
    a->pst[1][0].detail = true;
    int from = a->view;
    app_set_view(a, 1, time_mono());
    app_fetch(a, SRC_BIT(SRC_QUOTE));
    a->back_view = from != 1 ? from : a->back_view;
}

struct panel_state *panel_focused(struct app *a)
{
    return &a->pst[a->view][a->focus[a->view]];
}

void panel_open_expense(struct app *a, const char *text)
{
    struct query *q = &a->data.q;
    snprintf(q->expenses_search, sizeof q->expenses_search, "%s", text);
    q->expenses_status = 0;
    for (int i = 0; data_expense_statuses[i]; i++)
        if (!strcmp(data_expense_statuses[i], "approved"))
            q->expenses_status = i;
    q->expenses_page = 1;
    a->pst[2][0].sel = a->pst[2][0].scroll = 0;
    int from = a->view;
    app_set_view(a, 2, time_mono());
    app_fetch(a, SRC_BIT(SRC_EXPENSES));
    a->back_view = from != 2 ? from : a->back_view;
}

bool panel_back(struct app *a)
{
    if (a->back_view < 0 || a->back_view == a->view)
        return false;
    int to = a->back_view;
    a->back_view = -1;
    app_set_view(a, to, time_mono());
    return true;
}

void panel_refetch(struct app *a, unsigned mask)
{
    app_fetch(a, mask);
}

void panel_status(struct app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->status_error = error;
    a->status_at = time_mono();
    a->dirty = true;
}

static void prompt_reset(struct app *a)
{
    for (int i = 0; i < 3; i++)
        free(a->prompt.ctx[i]);
    memset(&a->prompt, 0, sizeof a->prompt);
}

void panel_prompt(struct app *a, const char *question, const char *initial, panel_text_fn done)
{
    prompt_reset(a);
    a->prompt.active = true;
    a->prompt.done = done;
    snprintf(a->prompt.question, sizeof a->prompt.question, "%s", question);
    snprintf(a->prompt.text, sizeof a->prompt.text, "%s", initial ? initial : "");
    a->prompt.len = strlen(a->prompt.text);
}

void panel_confirm(struct app *a, const char *question, panel_confirm_fn done, const char *c0,
                   const char *c1, const char *c2)
{
    char *ctx[3] = {c0 ? xstrdup(c0) : NULL, c1 ? xstrdup(c1) : NULL, c2 ? xstrdup(c2) : NULL};
    prompt_reset(a);
    a->prompt.active = a->prompt.confirm = true;
    a->prompt.confirm_done = done;
    snprintf(a->prompt.question, sizeof a->prompt.question, msg(a->lang, MSG_YES_NO), question);
    memcpy(a->prompt.ctx, ctx, sizeof ctx);
}

struct mutation {
    struct app *a;
    char ok_text[96];
    unsigned refresh;
};

static void mutation_done(void *ud, const struct net_result *r)
{
    struct mutation *m = ud;
    if (r->status >= 200 && r->status < 300) {
        panel_status(m->a, false, "%s", m->ok_text);
    } else {
        char *words = data_error_words(r->status, r->body, r->err);
        panel_status(m->a, true, "%s", words);
        free(words);
    }
    app_fetch(m->a, m->refresh);
    free(m);
}

void panel_mutate(struct app *a, const char *method, const char *path, const char *json_body,
                  const char *ok_text, unsigned refresh)
{
    struct mutation *m = xcalloc(1, sizeof *m);
    m->a = a;
    m->refresh = refresh;
    snprintf(m->ok_text, sizeof m->ok_text, "%s", ok_text);
    if (net_send(a->net, method, path, json_body, mutation_done, m) != 0) {
        panel_status(a, true, "%s", msg(a->lang, MSG_SEND_FAILED));
        free(m);
        return;
    }
    panel_status(a, false, "%s", msg(a->lang, MSG_SENDING));
}

/* ---------------------------------------------------------------- prompt keys */

/* Handles a key while a prompt is open. */
void app_prompt_key(struct app *a, int key)
{
    struct app_prompt *p = &a->prompt;
    if (p->confirm) {
        bool yes = key == 'y' || key == 'Y' || (msg_is_es(a->lang) && (key == 's' || key == 'S'));
        if (yes) {
            const char *ctx[3] = {p->ctx[0], p->ctx[1], p->ctx[2]};
            panel_confirm_fn fn = p->confirm_done;
            p->active = false;
            fn(a, ctx);
            if (!a->prompt.active)
                prompt_reset(a);
        } else {
            prompt_reset(a);
            panel_status(a, false, "%s", msg(a->lang, MSG_CANCELLED));
        }
        return;
    }
    if (key == KEYC_ESC) {
        prompt_reset(a);
        return;
    }
    if (key == KEYC_ENTER) {
        char text[sizeof p->text];
        memcpy(text, p->text, sizeof text);
        panel_text_fn fn = p->done;
        p->active = false;
        fn(a, text);
        if (!a->prompt.active)
            prompt_reset(a);
        return;
    }
    if (key == KEYC_TAB && p->complete) {
        /* Tab: the next candidate for what was typed. */
        if (!p->typed[0] && p->len > 0)
            snprintf(p->typed, sizeof p->typed, "%s", p->text);
        const char *next = p->complete(a, p->typed, p->len ? p->text : NULL);
        if (!next)
            next = p->complete(a, p->typed, NULL);
        if (next) {
            snprintf(p->text, sizeof p->text, "%s", next);
            p->len = strlen(p->text);
        }
        return;
    }
    p->typed[0] = '\0'; /* any other key: completion starts again from the text */
    if (key == KEYC_CTRL('u')) {
        /* Ctrl-U clears the line, as in a shell. */
        p->len = 0;
        p->text[0] = '\0';
        return;
    }
    if (key == KEYC_BACKSPACE) {
        /* Drop one UTF-8 character. */
        while (p->len > 0 && ((unsigned char)p->text[--p->len] & 0xC0) == 0x80) {
        }
        p->text[p->len] = '\0';
        return;
    }
    if (key >= 32 && key < KEYC_BASE && key != 127) {
        char enc[8];
        int n = 0;
        unsigned cp = (unsigned)key;
        if (cp < 0x80) {
            enc[n++] = (char)cp;
        } else if (cp < 0x800) {
            enc[n++] = (char)(0xC0 | cp >> 6);
            enc[n++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            enc[n++] = (char)(0xE0 | cp >> 12);
            enc[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            enc[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            enc[n++] = (char)(0xF0 | cp >> 18);
            enc[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            enc[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            enc[n++] = (char)(0x80 | (cp & 0x3F));
        }
        if (p->len + (size_t)n < sizeof p->text) {
            memcpy(p->text + p->len, enc, (size_t)n);
            p->len += (size_t)n;
            p->text[p->len] = '\0';
        }
    }
}

/* ---------------------------------------------------------------- main loop */

/* Re-reads the token after a 401: `onquota login` in another terminal fixes
 * a running client. */
static void reload_token(struct app *a)
{
    char *err = NULL, *tok = NULL;
    if (a->opt->token_file &&
        (!a->opt->token_origin || strcmp(a->opt->token_origin, "ONQUOTA_TOKEN") != 0))
        tok = credentials_read_token_file(a->opt->token_file, &err);
    else if (!getenv("ONQUOTA_TOKEN")) {
        struct credentials c;
        if (credentials_read(&c, &err) == 0) {
            tok = c.token;
            c.token = NULL;
        }
        credentials_free(&c);
    }
    free(err);
    if (tok && (!a->opt->token || strcmp(tok, a->opt->token) != 0)) {
        free(a->opt->token);
        a->opt->token = tok;
        net_set_token(a->net, tok);
        a->next_fetch = 0;
    } else {
        free(tok);
    }
}

void app_fit_pages(struct app *a)
{
    if ((a->view != 1 && a->view != 2) || a->lay.mode == LAYOUT_TOO_SMALL || a->lay.rects[0].h <= 0)
        return;
    /* Frame (2), header (1) and the expense's reason line (1). */
    int want = a->lay.rects[0].h - 4;
    want = want < 5 ? 5 : want > 100 ? 100 : want;
    struct query *q = &a->data.q;
    if (want == q->page_size)
        return;
    int *page = a->view == 1 ? &q->quotes_page : &q->expenses_page;
    struct panel_state *st = &a->pst[a->view][0];
    long first = (long)(*page - 1) * q->page_size + (st->scroll > 0 ? st->scroll : 0);
    *page = (int)(first / want) + 1;
    q->page_size = want;
    st->sel = st->scroll = 0;
    app_fetch(a, a->view == 1 ? SRC_BIT(SRC_QUOTES) : SRC_BIT(SRC_EXPENSES));
}

/* Milliseconds until the next thing to do: a round, or the next whole
 * second (ages and countdowns change once a second). */
static int wait_ms(const struct app *a, double now)
{
    double next = floor(now - a->started) + 1 + a->started;
    if (!a->paused && a->round_pending == 0 && a->next_fetch < next)
        next = a->next_fetch;
    int ms = (int)ceil((next - now) * 1000);
    return ms < 0 ? 0 : ms > 1000 ? 1000 : ms;
}

int app_run(struct options *o)
{
    struct app a;
    char *err = NULL;
    if (app_init(&a, o, true, &err) != 0) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
        return EXIT_USAGE;
    }
    struct screen_opts so = {.mouse = !o->no_mouse, .no_color = o->no_color};
    if (screen_open(&so, &err) != 0) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
        app_free(&a);
        return EXIT_USAGE;
    }
    srand((unsigned)(time(NULL) ^ getpid()));
    screen_set_theme(&a.theme);
    a.mono = a.mono || screen_color_mode() == COLOR_MODE_MONO;
    if (a.stats)
        fprintf(a.stats, "{\"event\":\"screen_ready\",\"ms\":%.1f}\n",
                (time_mono() - a.started) * 1000);
    if (o->theme_warning)
        panel_status(&a, true, msg(a.lang, MSG_THEME_FALLBACK), o->theme_warning);
    int fds[2];
    int nfds = screen_wait_fds(fds);
    double last_reload = 0;
    a.dirty = true;
    while (!a.quit && !screen_quit_requested()) {
        double now = time_mono();
        tick(&a, now);
        app_stream_tick(&a, now);
        if (a.auth_failed && now - last_reload > 2) {
            reload_token(&a);
            last_reload = now;
        }
        /* Draw when something changed, when a second has passed (ages and
         * countdowns), and while answers arrive at most every 50 ms: each
         * answer of a round need not cost a frame. */
        bool tick_second = floor(now - a.started) != floor(a.drawn_at - a.started);
        bool arriving = a.round_pending > 0 && now - a.drawn_at >= 0.05;
        if (a.dirty || tick_second || arriving) {
            int cols, rows;
            screen_size(&cols, &rows);
            app_draw(&a, cols, rows, now);
            screen_blit(a.grid);
            if (a.push_pending && a.round_pending == 0) {
                /* An event's data is on screen: bench/tui times it from the write. */
                a.push_pending = false;
                if (a.stats) {
                    struct timespec w;
                    clock_gettime(CLOCK_REALTIME, &w);
                    fprintf(a.stats, "{\"event\":\"push_drawn\",\"n\":%lu,\"wall\":%.6f}\n",
                            a.events, (double)w.tv_sec + w.tv_nsec / 1e9);
                    fflush(a.stats);
                }
            }
            app_fit_pages(&a);
            a.drawn_at = now;
            a.dirty = false;
            if (!a.painted_full && a.stats && data_has(&a.data, SRC_BIT(SRC_KPIS)) &&
                a.round_pending == 0) {
                a.painted_full = true;
                fprintf(a.stats, "{\"event\":\"first_paint\",\"ms\":%.1f}\n",
                        (time_mono() - a.started) * 1000);
                fflush(a.stats);
            }
        }
        int ms = wait_ms(&a, time_mono());
        if (a.round_pending > 0 && ms > 50)
            ms = 50;
        net_wait(a.net, fds, nfds, ms);
        net_perform(a.net);
        struct screen_event ev;
        while (screen_read(&ev)) {
            now = time_mono();
            a.dirty = true;
            if (ev.key == KEYC_MOUSE)
                app_click(&a, ev.mx, ev.my,
                          ev.mouse == MOUSE_WHEEL_UP     ? -1
                          : ev.mouse == MOUSE_WHEEL_DOWN ? 1
                                                         : 0,
                          now);
            else
                app_key(&a, ev.key, now);
        }
    }
    screen_close();
    app_free(&a);
    return 0;
}
