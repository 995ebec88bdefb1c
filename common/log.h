/* Logging: one JSON (or text) line per event on stderr, never a secret. */
#ifndef ONQUOTA_LOG_H
#define ONQUOTA_LOG_H

#include <stdbool.h>

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

#endif
