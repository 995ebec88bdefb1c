/* Logging: one JSON (or text) line per event on stderr, never a secret. */
#ifndef ONQUOTA_LOG_H
#define ONQUOTA_LOG_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
enum log_format { LOG_FORMAT_JSON, LOG_FORMAT_TEXT };

/* Sets format and minimum level; safe to call again at run time (SIGHUP).
 * When $JOURNAL_STREAM names stderr (systemd's journal), every line starts
 * with its syslog priority, "<3>" error to "<7>" debug. */
void log_setup(enum log_format fmt, enum log_level min);
/* Parses "debug|info|warn|error" / "json|text". */
bool log_level_parse(const char *s, enum log_level *out);
bool log_format_parse(const char *s, enum log_format *out);
bool log_enabled(enum log_level lvl);

/* Logs a message line {"ts","level","msg"}. Thread-safe: one write(2) per line. */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs an event object: adds "ts" and "level" in front, writes one line,
 * and frees obj (ownership passes to log_event). In text format the fields
 * are written as key=value. */
void log_event(enum log_level lvl, struct cJSON *obj);

/* ------------------------------------------------------------ hot path */

struct buf;

/* One field of a line built without cJSON (the access log). */
struct log_field {
    const char *key;
    enum { LOG_STR, LOG_INT, LOG_MS, LOG_NULL } type;
    const char *s; /* LOG_STR; NULL writes null */
    long long i;   /* LOG_INT */
    double ms;     /* LOG_MS: written with three decimals */
};

/* Appends to out the line log_event would write for {"ts", "level",
 * fields...} (JSON or text as set up, journal prefix included, a newline at the
 * end), without allocating per field. Thread-safe. */
void log_format_line(struct buf *out, enum log_level lvl, const struct log_field *fields, size_t n);

/* Writes n bytes of whole lines to stderr at once (lines of other threads
 * never interleave with them). Thread-safe. */
void log_write(const char *s, size_t n);

#endif
