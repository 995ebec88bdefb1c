/* Logging: one JSON or text line per event, written to stderr with a single write(2). */
#include "log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "decimal.h"
#include "timeutil.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};
#define N_LEVELS (sizeof level_names / sizeof level_names[0])

/* Top-level keys whose values are replaced, in case a caller slips. */
static const char *const secret_keys[] = {"password", "authorization", "token", "access_token"};

/* syslog priorities (sd-daemon(3) prefixes) of debug, info, warn, error */
static const int level_priorities[] = {7, 6, 4, 3};

static _Atomic int cur_format = LOG_FORMAT_JSON;
/* stderr is the journal: lines start with "<N>" so that journalctl -p works */
static atomic_bool to_journal;
static _Atomic int cur_min = LOG_INFO;
/* Lines of different threads must not interleave, even on a partial write. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* True when $JOURNAL_STREAM ("DEV:INODE", set by systemd) names the file
 * stderr is connected to: a stderr redirected elsewhere gets no prefixes. */
static bool stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
           (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_setup(enum log_format fmt, enum log_level min)
{
    atomic_store(&cur_format, (int)fmt);
    atomic_store(&cur_min, (int)min);
    atomic_store(&to_journal, stderr_is_journal());
}

bool log_level_parse(const char *s, enum log_level *out)
{
    for (size_t i = 0; s && i < N_LEVELS; i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return true;
        }
    }
    if (s && strcasecmp(s, "warning") == 0) {
        *out = LOG_WARN;
        return true;
    }
    return false;
}

bool log_format_parse(const char *s, enum log_format *out)
{
    if (s && strcasecmp(s, "json") == 0)
        *out = LOG_FORMAT_JSON;
    else if (s && strcasecmp(s, "text") == 0)
        *out = LOG_FORMAT_TEXT;
    else
        return false;
    return true;
}

bool log_enabled(enum log_level lvl)
{
    return (int)lvl >= atomic_load(&cur_min);
}

static const char *level_name(enum log_level lvl)
{
    return (size_t)lvl < N_LEVELS ? level_names[lvl] : "info";
}

static void write_line(const char *s, size_t n)
{
    pthread_mutex_lock(&write_lock);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        s += w;
        n -= (size_t)w;
    }
    pthread_mutex_unlock(&write_lock);
}

static bool is_secret_key(const char *k)
{
    for (size_t i = 0; k && i < sizeof secret_keys / sizeof secret_keys[0]; i++)
        if (strcasecmp(k, secret_keys[i]) == 0)
            return true;
    return false;
}

/* A new object {ts, level, ...obj's members}: obj's members are moved, not
 * copied, and a "ts" or "level" of obj's own is dropped. NULL on OOM. */
static cJSON *with_header(cJSON *obj, const char *ts, enum log_level lvl)
{
    cJSON *line = cJSON_CreateObject();

    if (!line || !cJSON_AddStringToObject(line, "ts", ts) ||
        !cJSON_AddStringToObject(line, "level", level_name(lvl))) {
        cJSON_Delete(line);
        return NULL;
    }
    /* Members move in order, each keeping its key. */
    while (obj && obj->child) {
        cJSON *item = cJSON_DetachItemViaPointer(obj, obj->child);
        const char *key = item->string ? item->string : "";
        if (strcmp(key, "ts") == 0 || strcmp(key, "level") == 0) {
            cJSON_Delete(item);
        } else if (is_secret_key(key) && !cJSON_IsNull(item)) {
            cJSON_AddStringToObject(line, key, "***");
            cJSON_Delete(item);
        } else if (!cJSON_AddItemToObject(line, key, item)) {
            cJSON_Delete(item);
        }
    }
    return line;
}

/* A text value goes bare when it is a plain word, JSON-quoted otherwise. */
static void text_value(struct buf *b, const cJSON *item)
{
    if (cJSON_IsString(item)) {
        const char *s = item->valuestring;
        bool bare = *s != '\0';
        for (const char *p = s; *p && bare; p++)
            bare = (unsigned char)*p > ' ' && *p != '"' && *p != '=' && *p != 0x7f;
        if (bare) {
            buf_adds(b, s);
            return;
        }
    }
    char *v = cJSON_PrintUnformatted(item);
    buf_adds(b, v ? v : "?");
    free(v);
}

static void format_text(struct buf *b, const cJSON *obj)
{
    const cJSON *item;
    bool first = true;

    cJSON_ArrayForEach(item, obj)
    {
        if (!first)
            buf_addc(b, ' ');
        first = false;
        if (strcmp(item->string, "ts") == 0 || strcmp(item->string, "level") == 0) {
            text_value(b, item);
            continue;
        }
        buf_adds(b, item->string);
        buf_addc(b, '=');
        text_value(b, item);
    }
}

void log_event(enum log_level lvl, cJSON *obj)
{
    struct buf line = BUF_INIT;
    char ts[RFC3339_MAX];
    struct timespec now;
    cJSON *line_obj = NULL;

    if (!log_enabled(lvl))
        goto out;
    if (obj && !cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    time_rfc3339(&now, true, ts);
    line_obj = with_header(obj, ts, lvl);
    if (!line_obj)
        goto out;
    if (atomic_load(&to_journal))
        buf_printf(&line, "<%d>", level_priorities[(size_t)lvl < N_LEVELS ? lvl : LOG_INFO]);

    if (atomic_load(&cur_format) == LOG_FORMAT_TEXT) {
        format_text(&line, line_obj);
    } else {
        char *s = cJSON_PrintUnformatted(line_obj);
        if (!s)
            goto out;
        buf_adds(&line, s);
        free(s);
    }
    buf_addc(&line, '\n');
    write_line(line.data, line.len);
out:
    cJSON_Delete(line_obj);
    cJSON_Delete(obj);
    buf_free(&line);
}

/* A text value: bare when it is a plain word, a JSON string otherwise. */
static void text_string(struct buf *b, const char *s)
{
    bool bare = *s != '\0';
    for (const char *p = s; *p && bare; p++)
        bare = (unsigned char)*p > ' ' && *p != '"' && *p != '=' && *p != 0x7f;
    if (bare)
        buf_adds(b, s);
    else
        buf_add_json_string(b, s);
}

void log_format_line(struct buf *out, enum log_level lvl, const struct log_field *fields, size_t n)
{
    char ts[RFC3339_MAX];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    time_rfc3339(&now, true, ts);
    bool text = atomic_load(&cur_format) == LOG_FORMAT_TEXT;
    char num[DECIMAL_MAX];
    if (atomic_load(&to_journal)) {
        buf_addc(out, '<');
        buf_add(out, num,
                decimal_u64(num, (uint64_t)level_priorities[(size_t)lvl < N_LEVELS ? lvl : 1]));
        buf_addc(out, '>');
    }
    buf_adds(out, text ? "" : "{\"ts\":\"");
    buf_adds(out, ts);
    buf_adds(out, text ? " " : "\",\"level\":\"");
    buf_adds(out, level_name(lvl));
    if (!text)
        buf_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        const struct log_field *f = &fields[i];
        if (text) {
            buf_addc(out, ' ');
            buf_adds(out, f->key);
            buf_addc(out, '=');
        } else {
            buf_adds(out, ",\"");
            buf_adds(out, f->key);
            buf_adds(out, "\":");
        }
        if (f->type == LOG_INT) {
            if (f->i < 0)
                buf_addc(out, '-');
            buf_add(out, num, decimal_u64(num, f->i < 0 ? -(uint64_t)f->i : (uint64_t)f->i));
        } else if (f->type == LOG_MS) {
            buf_add(out, num, decimal_fixed(num, f->ms, 3));
        } else if (f->type == LOG_NULL || !f->s)
            buf_adds(out, "null");
        else if (text)
            text_string(out, f->s);
        else
            buf_add_json_string(out, f->s);
    }
    buf_adds(out, text ? "\n" : "}\n");
}

void log_write(const char *s, size_t n)
{
    write_line(s, n);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;

    if (!log_enabled(lvl))
        return;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    cJSON *obj = cJSON_CreateObject();
    if (obj)
        cJSON_AddStringToObject(obj, "msg", buf_str(&msg));
    buf_free(&msg);
    log_event(lvl, obj);
}
