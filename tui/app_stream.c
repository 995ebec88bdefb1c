/* The live event stream: subscribe to /api/v1/events, refetch what an event touches, else poll. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "timeutil.h"
#include "xalloc.h"

#define STREAM_PATH "/api/v1/events"
/* Reconnecting after a stream ends: from 1 s, doubling, to this. */
#define STREAM_RETRY_MAX 30.0

/* The sources an event of type touches in the current view. */
static unsigned touched(const struct app *a, const char *type)
{
    unsigned shown = app_view_sources(a, a->view);
    unsigned health = SRC_BIT(SRC_READY) | SRC_BIT(SRC_METRICS);
    if (!strcmp(type, "health"))
        return shown & SRC_BIT(SRC_READY);
    if (!strcmp(type, "dashboard") || !strcmp(type, "reset"))
        return shown & ~health;
    return 0;
}

static void on_event(void *ud, const struct sse_event *ev)
{
    struct app *a = ud;
    if (ev->id[0])
        snprintf(a->stream_id, sizeof a->stream_id, "%s", ev->id);
    unsigned mask = touched(a, ev->type);
    if (!mask)
        return;
    a->events++;
    a->push_pending = true;
    /* Sources already in flight may hold an answer from before the change:
     * ask them again when it lands. */
    for (int s = 0; s < SRC_COUNT; s++)
        if ((mask & SRC_BIT(s)) && a->data.st[s].in_flight)
            a->refetch |= SRC_BIT(s);
    app_fetch(a, mask);
    a->dirty = true;
}

bool app_stream_chunk(void *ud, long status, const char *content_type, const char *bytes, size_t n)
{
    struct app *a = ud;
    if (status != 200 || !content_type || strncmp(content_type, "text/event-stream", 17) != 0) {
        /* No stream here (an older server, or an error): poll. A 401 may
         * heal with a new token, so only other answers stop the tries. */
        a->stream = status == 401 ? STREAM_OFF : STREAM_UNSUPPORTED;
        return false;
    }
    if (a->stream != STREAM_LIVE) {
        a->stream = STREAM_LIVE;
        a->stream_fails = 0;
        a->dirty = true;
    }
    sse_feed(a->sse, bytes, n, on_event, a);
    return true;
}

static void stream_done(void *ud, const struct net_result *r)
{
    struct app *a = ud;
    (void)r;
    if (a->stream == STREAM_UNSUPPORTED) {
        panel_status(a, false, msg(a->lang, MSG_POLLING_ONLY), a->interval);
        return;
    }
    a->stream = STREAM_OFF;
    a->stream_fails++;
    double wait = 1.0;
    for (int i = 1; i < a->stream_fails && wait < STREAM_RETRY_MAX; i++)
        wait *= 2;
    a->stream_retry_at = time_mono() + (wait > STREAM_RETRY_MAX ? STREAM_RETRY_MAX : wait);
    a->dirty = true;
}

void app_stream_tick(struct app *a, double now)
{
    if (a->stream != STREAM_OFF || !a->opt->token || now < a->stream_retry_at)
        return;
    if (!a->sse)
        a->sse = xcalloc(1, sizeof *a->sse);
    sse_init(a->sse);
    if (net_stream(a->net, STREAM_PATH, a->stream_id, app_stream_chunk, stream_done, a) == 0)
        a->stream = STREAM_CONNECTING;
    else
        a->stream_retry_at = now + STREAM_RETRY_MAX;
}

void app_stream_reset(struct app *a)
{
    a->stream = STREAM_OFF;
    a->stream_fails = 0;
    a->stream_retry_at = 0;
    a->stream_id[0] = '\0';
}
