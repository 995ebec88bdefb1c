/* A Server-Sent Events parser: bytes of a text/event-stream in, whole events out. */
#ifndef ONQUOTA_TUI_SSE_H
#define ONQUOTA_TUI_SSE_H

#include <stdbool.h>
#include <stddef.h>

/* Caps: a longer line is dropped (with its event), so a broken or hostile
 * stream cannot grow the client. */
#define SSE_LINE_MAX 16384
#define SSE_FIELD_MAX 64

/* One dispatched event; the strings are valid during the callback only. */
struct sse_event {
    const char *type; /* "event:" field, "message" when none */
    const char *data; /* "data:" lines joined by '\n' */
    const char *id;   /* the last "id:" seen (kept across events), "" when none */
};

typedef void (*sse_event_fn)(void *ud, const struct sse_event *ev);

struct sse_parser {
    char line[SSE_LINE_MAX];
    size_t len;
    bool overflow; /* the current line passed SSE_LINE_MAX: drop it */
    bool cr;       /* the last byte was '\r' (a following '\n' ends nothing) */
    char type[SSE_FIELD_MAX];
    char id[SSE_FIELD_MAX];
    char data[SSE_LINE_MAX];
    size_t data_len;
    bool has_data;
    long retry_ms;          /* the last "retry:" field, 0 when none */
    unsigned long comments; /* ": ..." lines seen (heartbeats) */
};

/* Zeroes p for a new stream. */
void sse_init(struct sse_parser *p);

/* Feeds n bytes of the stream; calls fn for each event completed by a blank
 * line (events without data are not dispatched, as the standard says). Lines
 * end in LF, CRLF or CR. */
void sse_feed(struct sse_parser *p, const char *bytes, size_t n, sse_event_fn fn, void *ud);

#endif
