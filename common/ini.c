/* The INI reader: section headers and key = value lines, handed to a callback with their line. */
#include "ini.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Trims spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
    while (blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* True when s[i] starts a comment: a lone ';' or '#' word. at_start: s[i]
 * has only blanks (or nothing) before it. */
static bool comment_at(const char *s, size_t i, bool at_start)
{
    return (s[i] == ';' || s[i] == '#') && (at_start || (i > 0 && blank(s[i - 1]))) &&
           (s[i + 1] == '\0' || blank(s[i + 1]));
}

/* Cuts a trailing comment off s (trimmed), then trims again. */
static char *cut_comment(char *s)
{
    for (size_t i = 0; s[i]; i++) {
        if (comment_at(s, i, i == 0)) {
            s[i] = '\0';
            break;
        }
    }
    return trim(s);
}

/* True when s (trimmed) is empty or only a comment. */
static bool nothing_but_comment(char *s)
{
    s = trim(s);
    return *s == '\0' || comment_at(s, 0, true);
}

/* The value of the text after '=': quotes and a trailing comment removed. */
static char *clean_value(char *v)
{
    v = trim(v);
    if (v[0] == '"' || v[0] == '\'') {
        char *close = strchr(v + 1, v[0]);
        if (close && nothing_but_comment(close + 1)) {
            *close = '\0';
            return v + 1;
        }
    }
    return cut_comment(v);
}

/* Parses one line (NUL-terminated, no '\n'). Returns 0 or -1 with *msg. */
static int parse_line(char *line, char **section, ini_fn fn, void *arg, int lineno, char **msg)
{
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\r')
        line[n - 1] = '\0';
    char *s = trim(line);
    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    struct ini_item it = {.line = lineno};
    if (*s == '[') {
        char *end = strchr(s, ']');
        if (!end || !nothing_but_comment(end + 1)) {
            *msg = xstrdup("malformed section header");
            return -1;
        }
        *end = '\0';
        char *name = trim(s + 1);
        if (*name == '\0') {
            *msg = xstrdup("empty section name");
            return -1;
        }
        free(*section);
        *section = xstrdup(name);
        it.section = *section;
        return fn(&it, arg, msg);
    }
    char *eq = strchr(s, '=');
    if (!eq || eq == s) {
        *msg = xstrdup("expected 'key = value'");
        return -1;
    }
    *eq = '\0';
    it.section = *section;
    it.key = trim(s);
    it.value = clean_value(eq + 1);
    return fn(&it, arg, msg);
}

/* Parses buf[0..len) in place. */
static int parse_buf(char *buf, size_t len, const char *source, ini_fn fn, void *arg, char **err)
{
    char *section = xstrdup(""), *msg = NULL;
    int lineno = 0, rc = 0;
    for (char *line = buf; rc == 0 && line < buf + len;) {
        char *nl = memchr(line, '\n', (size_t)(buf + len - line));
        char *end = nl ? nl : buf + len;
        *end = '\0';
        lineno++;
        if (strlen(line) != (size_t)(end - line)) {
            msg = xstrdup("contains a NUL byte");
            rc = -1;
        } else {
            rc = parse_line(line, &section, fn, arg, lineno, &msg);
        }
        line = end + 1;
    }
    if (rc != 0)
        *err = xasprintf("%s:%d: %s", source, lineno, msg ? msg : "refused");
    free(msg);
    free(section);
    return rc;
}

int ini_parse(const char *text, size_t len, const char *source, ini_fn fn, void *arg, char **err)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    int rc = parse_buf(copy, len, source, fn, arg, err);
    explicit_bzero(copy, len + 1);
    free(copy);
    return rc;
}

int ini_parse_file(FILE *f, const char *source, ini_fn fn, void *arg, char **err)
{
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap + 1);
    int rc = -1;
    for (;;) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap || cap > INI_MAX_BYTES)
            break;
        /* Grow by copying, so that the old bytes can be wiped. */
        char *bigger = xmalloc(cap * 2 + 1);
        memcpy(bigger, buf, len);
        explicit_bzero(buf, len);
        free(buf);
        buf = bigger;
        cap *= 2;
    }
    if (ferror(f))
        *err = xasprintf("%s: %s", source, strerror(errno ? errno : EIO));
    else if (len > INI_MAX_BYTES)
        *err = xasprintf("%s: larger than %u bytes", source, INI_MAX_BYTES);
    else
        rc = parse_buf(buf, len, source, fn, arg, err);
    explicit_bzero(buf, cap + 1);
    free(buf);
    return rc;
}
