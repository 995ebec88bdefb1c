/* Server-Sent Events parsing (the WHATWG event-stream format), line by line, with caps. */
#include "sse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sse_init(struct sse_parser *p)
{
    memset(p, 0, sizeof *p);
}

/* A blank line: dispatch the event being built, then start the next one. */
static void dispatch(struct sse_parser *p, sse_event_fn fn, void *ud)
{
    if (p->has_data) {
        p->data[p->data_len] = '\0';
        struct sse_event ev = {
            .type = p->type[0] ? p->type : "message", .data = p->data, .id = p->id};
        if (fn)
            fn(ud, &ev);
    }
    p->type[0] = '\0';
    p->data_len = 0;
    p->has_data = false;
}

/* One complete line (without its end). */
static void line(struct sse_parser *p, char *l, size_t n, sse_event_fn fn, void *ud)
{
    if (n == 0) {
        dispatch(p, fn, ud);
        return;
    }
    if (l[0] == ':') {
        p->comments++;
        return;
    }
    char *colon = memchr(l, ':', n);
    char *value = colon ? colon + 1 : l + n;
    if (colon) {
        *colon = '\0';
        if (*value == ' ')
            value++;
    }
    l[n] = '\0';
    if (!strcmp(l, "event")) {
        snprintf(p->type, sizeof p->type, "%s", value);
    } else if (!strcmp(l, "data")) {
        size_t vl = strlen(value);
        if (p->has_data && p->data_len + 1 < sizeof p->data)
            p->data[p->data_len++] = '\n';
        if (p->data_len + vl >= sizeof p->data)
            vl = sizeof p->data - 1 - p->data_len;
        memcpy(p->data + p->data_len, value, vl);
        p->data_len += vl;
        p->has_data = true;
    } else if (!strcmp(l, "id")) {
        snprintf(p->id, sizeof p->id, "%s", value);
    } else if (!strcmp(l, "retry")) {
        char *end;
        long v = strtol(value, &end, 10);
        if (*value && !*end && v >= 0)
            p->retry_ms = v;
    }
}

void sse_feed(struct sse_parser *p, const char *bytes, size_t n, sse_event_fn fn, void *ud)
{
    for (size_t i = 0; i < n; i++) {
        char c = bytes[i];
        if (c == '\n' && p->cr) {
            p->cr = false;
            continue; /* the LF of a CRLF */
        }
        p->cr = c == '\r';
        if (c == '\n' || c == '\r') {
            if (!p->overflow)
                line(p, p->line, p->len, fn, ud);
            p->len = 0;
            p->overflow = false;
            continue;
        }
        if (p->len + 1 >= sizeof p->line) {
            p->overflow = true;
            continue;
        }
        p->line[p->len++] = c;
    }
}
