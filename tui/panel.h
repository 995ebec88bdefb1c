/* The panel class (fetch paths, draw into a grid region, keys, size) and the views. */
#ifndef ONQUOTA_TUI_PANEL_H
#define ONQUOTA_TUI_PANEL_H

#include <stdbool.h>
#include <time.h>

#include "data.h"
#include "grid.h"
#include "keys.h"
#include "layout.h"
#include "msg.h"

struct app;

/* A selection past any list: drawing clamps it to the last row that arrives. */
#define PANEL_SEL_LAST (1 << 24)

/* Per-panel UI state kept by the application across frames. */
struct panel_state {
    int sel;     /* selected row (lists) */
    int scroll;  /* first row shown */
    int rows;    /* rows of data the last draw had (for paging) */
    int visible; /* rows the last draw could show */
    bool detail; /* showing a drill-down */
    /* Lists filtered and sorted here, not by the API (the quota reps, the
     * activity feed): the / text and the sort column (0: as the API sends). */
    char filter[64];
    int sort;
    bool desc;
};

/* What a panel sees while drawing or handling a key. */
struct panel_ctx {
    struct data *data;
    struct panel_state *st;
    struct app *app; /* for the panel_* services below */
    bool focused;
    bool compact; /* narrow layout: compact numbers allowed (< 80 columns) */
    const char *lang;
    double now;  /* monotonic seconds */
    time_t wall; /* wall clock, for relative times */
    int interval;
};

struct panel {
    const char *name;           /* "kpis"; also the --once json key */
    enum msg_id title;          /* frame title */
    unsigned sources;           /* SRC_BIT mask: fetched while the panel is shown */
    unsigned age_sources;       /* the sources its age and staleness follow; 0: all of sources */
    struct layout_item wide;    /* layout hint at 120+ columns */
    struct layout_item compact; /* layout hint below */
    bool frameless;             /* one-line panels (the health strip) draw no frame */
    /* Draws into inner (the frame's inside; the whole rect when frameless).
     * Called only when some source of the panel has data. */
    void (*draw)(struct grid *g, struct rect inner, struct panel_ctx *c);
    /* Handles an action while focused; returns true when it used it. NULL:
     * the panel takes no keys. */
    bool (*on_key)(struct panel_ctx *c, enum action a);
    /* A click on row `row` of inner (0-based). NULL: focus only. */
    void (*on_click)(struct panel_ctx *c, int row);
    /* Extra frame info (e.g. "page 2/9"), written into out; NULL: none. */
    void (*info)(const struct panel_ctx *c, char *out, size_t n);
};

/* A view: keys 1–5. */
struct view {
    const char *name;  /* --view value: "dashboard" */
    enum msg_id title; /* tab text */
    enum msg_id tab;   /* short tab text, for narrow headers */
    const struct panel *const *panels;
    int npanels;
};

#define VIEW_COUNT 5
extern const struct view views[VIEW_COUNT]; /* panels/registry.c */

/* The view named name, or -1. */
int view_find(const char *name);

/* ---------------------------------------------------------------- panel services (app.c) */

/* The application's data store (for prompt and confirm callbacks). */
struct data *panel_data(struct app *a);

/* Fetches the sources in mask now (after a filter or page change). */
void panel_refetch(struct app *a, unsigned mask);

/* Shows a message in the status line (printf-style); error colours it bad. */
void panel_status(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Asks for a line of text in the status line; done(a, text) runs with the
 * answer on Enter (text may be ""), nothing on Esc. initial may be NULL. */
typedef void (*panel_text_fn)(struct app *a, const char *text);
void panel_prompt(struct app *a, const char *question, const char *initial, panel_text_fn done);

/* Asks "question [y/N]"; done(a) runs on 'y'. ctx strings are copied into
 * the app's pending action (up to 3 of them) and handed to done. */
typedef void (*panel_confirm_fn)(struct app *a, const char *const ctx[3]);
void panel_confirm(struct app *a, const char *question, panel_confirm_fn done, const char *c0,
                   const char *c1, const char *c2);

/* Drill-down: the Quotes view for one rep's quotes (and the Expenses view
 * for their expenses) until Esc, which comes back to the view it left. */
void panel_drill_rep(struct app *a, const char *user_id, const char *name);

/* Drill-down: a quote's detail in the Quotes view; Esc comes back. */
void panel_open_quote(struct app *a, const char *quote_id);

/* Drill-down: the Expenses view searched for text (an approved expense's
 * description) among the approved ones; Esc comes back. */
void panel_open_expense(struct app *a, const char *text);

/* Esc in a drill-down: back to the view it came from (true), or false when
 * the view was not entered by a drill-down. */
bool panel_back(struct app *a);

/* The state of the focused panel of the current view (for prompt callbacks). */
struct panel_state *panel_focused(struct app *a);

/* True when text contains filter, ignoring ASCII case ("" matches all). */
bool panel_match(const char *text, const char *filter);

/* Sends a mutation; on its answer the status line shows ok_text or the
 * server's message, and the sources in refresh are fetched again. */
void panel_mutate(struct app *a, const char *method, const char *path, const char *json_body,
                  const char *ok_text, unsigned refresh);

/* ---------------------------------------------------------------- helpers for panels */

/* Moves st->sel by action (down, up, pages, top, bottom) within rows; true
 * when the action was a movement. */
bool panel_list_move(struct panel_state *st, enum action a, int rows);

/* The keys of a list filtered and sorted in memory (the quota reps, the
 * activity feed): "/" asks question and keeps the answer in st->filter,
 * "o" cycles st->sort through nsorts orders, "O" reverses (st->desc), Esc
 * clears a filter (false when there is none, so Esc goes on to go back).
 * Returns whether a was handled. */
bool panel_local_list_key(struct panel_ctx *c, enum action a, const char *question, int nsorts);

/* Selects the row under a click on row `row` of a table drawn with a header
 * row at the top (row 0 is the header: no change). */
void panel_list_click(struct panel_state *st, int row, int rows);

/* Records that a draw has rows of data and room for visible of them, and
 * keeps st->scroll within 0..rows - visible. */
void panel_scroll_fit(struct panel_state *st, int rows, int visible);

/* Moves a paged list to page `to` (1..pages; pages <= 0: no upper bound):
 * sets *page, selects the first row and refetches the sources of mask.
 * Out of range: no change. */
void panel_page_to(struct panel_ctx *c, int *page, long pages, int to, unsigned mask);

/* The role of a quota status (achieved good, on_track text, at_risk warn,
 * behind bad). */
enum color_role panel_status_role(enum model_quota_status s);

/* The status as words for the screen ("on track", "at risk"; Spanish for lang "es"). */
const char *panel_status_word(enum model_quota_status s, const char *lang);

/* Formats money in full, or compact when c->compact. */
void panel_money(const struct panel_ctx *c, double v, char *out, size_t n);

/* The message id in the panel's language (a shorthand for msg(c->lang, id)). */
static inline const char *T(const struct panel_ctx *c, enum msg_id id)
{
    return msg(c->lang, id);
}

/* The API's status word (quote or expense) in the panel's language; an
 * unknown word is returned as it is. */
const char *panel_api_status(const struct panel_ctx *c, const char *status);

/* "page 2/9 · 171" for a paged list (p: the API's paging, asked: the page
 * asked for), or "no results" when the list is empty, into out. */
void panel_page_text(const struct panel_ctx *c, const struct model_page *p, int asked, char *out,
                     size_t n);

/* The message id in the application's language (for prompt callbacks). */
const char *panel_msg(struct app *a, enum msg_id id);

/* Draws a centred one-line note (e.g. "no events") in r. */
void panel_note(struct grid *g, struct rect r, const char *text);

#endif
