/* The : command palette: completion over views, reps, clients and quote numbers, and the jump. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "timeutil.h"

/* Every candidate in a fixed order; calls fn(ud, text) for each, stopping
 * when it returns true. */
static void each_candidate(struct app *a, bool (*fn)(void *ud, const char *text), void *ud)
{
    for (int v = 0; v < VIEW_COUNT; v++)
        if (fn(ud, views[v].name) || fn(ud, msg(a->lang, views[v].title)))
            return;
    const struct data *d = &a->data;
    for (int i = 0; i < d->users.n; i++)
        if (d->users.u[i].full_name && fn(ud, d->users.u[i].full_name))
            return;
    for (int i = 0; i < d->quota_perf.nreps; i++)
        if (d->quota_perf.reps[i].user_name && fn(ud, d->quota_perf.reps[i].user_name))
            return;
    for (int i = 0; i < d->quotes.n; i++)
        if ((d->quotes.q[i].client_name && fn(ud, d->quotes.q[i].client_name)) ||
            (d->quotes.q[i].quote_number && fn(ud, d->quotes.q[i].quote_number)))
            return;
    for (int i = 0; i < d->activity.n; i++)
        if (d->activity.ev[i].quote_number && fn(ud, d->activity.ev[i].quote_number))
            return;
}

struct seek {
    const char *prefix, *after;
    bool passed; /* `after` was seen: the next match is the answer */
    const char *found, *first;
};

static bool seek_one(void *ud, const char *text)
{
    struct seek *s = ud;
    if (strncasecmp(text, s->prefix, strlen(s->prefix)) != 0)
        return false;
    if (!s->first)
        s->first = text;
    if (!s->after || s->passed) {
        if (!s->after || strcmp(text, s->after) != 0) {
            s->found = text;
            return true;
        }
        return false;
    }
    if (!strcmp(text, s->after))
        s->passed = true;
    return false;
}

static const char *complete(struct app *a, const char *prefix, const char *after)
{
    struct seek s = {.prefix = prefix, .after = after};
    each_candidate(a, seek_one, &s);
    return s.found;
}

/* A rep's id by name (users, else the quota reps), or NULL. */
static const char *rep_id(const struct app *a, const char *name)
{
    for (int i = 0; i < a->data.users.n; i++)
        if (a->data.users.u[i].full_name && !strcasecmp(a->data.users.u[i].full_name, name))
            return a->data.users.u[i].id;
    for (int i = 0; i < a->data.quota_perf.nreps; i++)
        if (a->data.quota_perf.reps[i].user_name &&
            !strcasecmp(a->data.quota_perf.reps[i].user_name, name))
            return a->data.quota_perf.reps[i].user_id;
    return NULL;
}

static void go(struct app *a, const char *text)
{
    double now = time_mono();
    if (!text[0])
        return;
    for (int v = 0; v < VIEW_COUNT; v++) {
        if (!strcasecmp(text, views[v].name) || !strcasecmp(text, msg(a->lang, views[v].title)) ||
            (text[0] == '1' + v && !text[1])) {
            app_set_view(a, v, now);
            return;
        }
    }
    struct query *q = &a->data.q;
    const char *id = rep_id(a, text);
    if (id) {
        /* A rep: that rep's quotes (and expenses, on view 3). */
        panel_drill_rep(a, id, text);
        return;
    }
    /* A quote number or a client: the quotes search covers both. */
    snprintf(q->quotes_search, sizeof q->quotes_search, "%s", text);
    q->quotes_page = 1;
    a->pst[1][0].sel = a->pst[1][0].scroll = 0;
    a->pst[1][0].detail = false;
    app_fetch(a, SRC_BIT(SRC_QUOTES));
    app_set_view(a, 1, now);
    panel_status(a, false, msg(a->lang, MSG_FILTER_IS), text);
}

void app_palette_open(struct app *a)
{
    panel_prompt(a, msg(a->lang, MSG_PALETTE_PROMPT), NULL, go);
    a->prompt.complete = complete;
}
