/* The client application: state, main loop, frame composition and script modes. */
#ifndef ONQUOTA_TUI_APP_H
#define ONQUOTA_TUI_APP_H

#include <stdbool.h>
#include <stdio.h>

#include "data.h"
#include "grid.h"
#include "layout.h"
#include "net.h"
#include "options.h"
#include "panel.h"
#include "sse.h"
#include "theme.h"

/* Backoff after failed refreshes: from 1 s, doubling, to 60 s, ±20%. */
#define APP_BACKOFF_MIN 1.0
#define APP_BACKOFF_MAX 60.0
/* Outside the Health view /metrics (16 KiB of text, no ETag) is fetched at
 * most this often (seconds), so an unchanged refresh stays small. */
#define APP_METRICS_PERIOD 60.0
/* Failed refreshes in a row before the OFFLINE banner. */
#define APP_OFFLINE_AFTER 3

struct app_prompt {
    bool active;
    bool confirm; /* a y/N question rather than a line of text */
    char question[160];
    char text[128];
    size_t len;
    panel_text_fn done;
    panel_confirm_fn confirm_done;
    /* Tab completion (the : palette): the next candidate after `after`
     * (NULL: the first) that starts with prefix, or NULL. */
    const char *(*complete)(struct app *a, const char *prefix, const char *after);
    char typed[128]; /* what was typed before Tab cycled through candidates */
    char *ctx[3];
};

/* The event stream's state (app_stream.c). */
enum stream_state {
    STREAM_OFF = 0,     /* not open: (re)connect when due */
    STREAM_CONNECTING,  /* asked, no event-stream answer yet */
    STREAM_LIVE,        /* open: events refetch what they touch */
    STREAM_UNSUPPORTED, /* the server offers none: poll only */
};

struct app {
    struct options *opt;
    struct net *net;
    struct data data;
    struct theme theme;
    char **themes; /* names for the t key */
    size_t ntheme;
    size_t theme_idx;
    const char *lang;
    bool ascii;
    bool mono;        /* no colours on screen (NO_COLOR, a monochrome terminal, --once text) */
    bool interactive; /* false in --once: no screen */
    int interval;     /* seconds */

    int view;
    int back_view; /* the view a drill-down left (Esc returns), or -1 */
    int focus[VIEW_COUNT];
    struct panel_state pst[VIEW_COUNT][LAYOUT_MAX_ITEMS];
    struct layout lay;
    int stack_scroll;
    struct grid *grid;
    int tab_x[VIEW_COUNT], tab_w[VIEW_COUNT]; /* header tabs, for clicks */

    bool paused, help, quit;
    int help_scroll;
    struct app_prompt prompt;

    /* refreshing */
    int round_pending; /* fetches of the current round not answered yet */
    bool round_failed; /* a fetch of it failed at the transport level or with 5xx */
    bool round_auth;   /* a fetch of it answered 401 */
    int fails;         /* failed rounds in a row */
    double next_fetch; /* monotonic time of the next round; 0 = now */
    bool auth_failed;  /* the last round's token sources all answered 401 */

    char status[256];
    bool status_error;
    double status_at;

    double started; /* monotonic start, for the first-paint figure */
    bool painted_full;
    bool dirty;            /* something changed: draw before waiting again */
    double drawn_at;       /* monotonic time of the last frame */
    FILE *stats;           /* $ONQUOTA_STATS: JSON lines for bench/tui, or NULL */
    double bench_interval; /* $ONQUOTA_BENCH_INTERVAL_MS in s (bench/tui only); 0: off */
    unsigned long rounds;

    /* live events */
    enum stream_state stream;
    struct sse_parser *sse;        /* owned; NULL until the first connection */
    char stream_id[SSE_FIELD_MAX]; /* the last event id, for Last-Event-ID */
    double stream_retry_at;
    int stream_fails;
    unsigned refetch;     /* sources to fetch again when their answer lands */
    unsigned long events; /* events that caused a refetch */
    bool push_pending;    /* an event's refetch is not on screen yet (bench/tui's push figure) */
};

/* Sets up a (possibly non-interactive) application from options: the data
 * store, the HTTP client and the theme. Returns 0, or -1 with *err. */
int app_init(struct app *a, struct options *o, bool interactive, char **err);
void app_free(struct app *a);

/* The interactive dashboard; returns the process exit status. */
int app_run(struct options *o);

/* Starts fetches of every source in mask that is not in flight (sources
 * needing a token are skipped without one). */
void app_fetch(struct app *a, unsigned mask);

/* The sources the current view needs. */
unsigned app_view_sources(const struct app *a, int view);

/* Lays out and draws the whole frame for a cols×lines terminal into a->grid. */
void app_draw(struct app *a, int cols, int lines, double now);

/* Sizes the pages of the Quotes and Expenses tables to the rows their panel
 * shows (at least 5, at most 100), keeping the first row on screen, and
 * refetches when the size changed. Call after app_draw. */
void app_fit_pages(struct app *a);

/* The panel context for panel i of the current view. */
struct panel_ctx app_panel_ctx(struct app *a, int i, double now);

/* Handles a key while a prompt is open: text, Backspace, Ctrl-U (clear),
 * Enter (answer), Esc (cancel); y/N for a confirmation. */
void app_prompt_key(struct app *a, int key);

/* Handles one key or mouse action (a key goes to the open prompt first);
 * returns after updating state. */
void app_key(struct app *a, int key, double now);
void app_click(struct app *a, int x, int y, int wheel, double now);

/* The : command palette (app_palette.c): a prompt whose Tab completes view
 * names, reps, clients and quote numbers, and whose Enter goes there. */
void app_palette_open(struct app *a);

/* Switches to view v, fetching what it needs and is not fresh. */
void app_set_view(struct app *a, int v, double now);

/* Opens the event stream when it is due (a token, not open, past the
 * retry time); from the main loop. */
void app_stream_tick(struct app *a, double now);

/* Forgets the stream (after net_free closed it, e.g. a profile switch). */
void app_stream_reset(struct app *a);

/* The stream's bytes (net_chunk_fn): an answer that is not an event stream
 * turns streaming off for good (STREAM_UNSUPPORTED: the client polls);
 * events refetch the current view's sources they touch. */
bool app_stream_chunk(void *ud, long status, const char *content_type, const char *bytes, size_t n);

/* Script modes (once.c, cmd_health.c, cmd_login.c); each returns the exit status. */
int app_once(struct options *o);
int cmd_health(struct options *o);
int cmd_login(struct options *o);
int cmd_logout(struct options *o);

#endif
