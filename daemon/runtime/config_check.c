/* Validation of the configuration's string values: listen address, URLs, time zone, limits. */
#include "runtime/config_check.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cidr.h"
#include "log.h"
#include "url.h"
#include "xalloc.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define PAIR_MAX 1000000L /* upper bound of each number in "RATE/BURST" style values */

/* ---- checks of string values ------------------------------------------ */

static int fail(char **why, const char *reason)
{
    *why = xstrdup(reason);
    return -1;
}

char *config_trim(char *s)
{
    char *end = s + strlen(s);

    while (isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* Parses 1..max decimal digits at *s into *out and advances *s; false if none
 * or out of range. */
static bool parse_digits(const char **s, long min, long max, long *out)
{
    const char *p = *s;
    long n = 0;

    if (!isdigit((unsigned char)*p))
        return false;
    for (; isdigit((unsigned char)*p); p++) {
        n = n * 10 + (*p - '0');
        if (n > max)
            return false;
    }
    *s = p;
    *out = n;
    return n >= min;
}

/* Skips HOST[:PORT] or [IPV6][:PORT] at p, the port 1..65535 and required if
 * need_port; returns where it ends, or NULL. */
static const char *skip_host_port(const char *p, bool need_port)
{
    size_t n;
    long port;

    if (*p == '[') {
        n = strspn(p + 1, "0123456789abcdefABCDEF:.");
        if (n == 0 || p[n + 1] != ']')
            return NULL;
        p += n + 2;
    } else {
        n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");
        if (n == 0)
            return NULL;
        p += n;
    }
    if (*p++ != ':')
        return need_port ? NULL : p - 1;
    return parse_digits(&p, 1, 65535, &port) ? p : NULL;
}

int check_listen(const char *v, char **why)
{
    const char *end;

    if (strncmp(v, "unix:", 5) == 0) {
        if (v[5] != '/')
            return fail(why, "a unix socket path must be absolute (unix:/PATH)");
        /* sun_path holds 108 bytes including the NUL */
        return strlen(v + 5) < 108 ? 0 : fail(why, "the unix socket path is too long");
    }
    end = skip_host_port(v, true);
    if (!end || *end != '\0')
        return fail(why, "must be HOST:PORT, [IPV6]:PORT or unix:/PATH, PORT from 1 to 65535");
    return 0;
}

int check_pg_url(const char *v, char **why)
{
    char *conninfo = url_pg_conninfo(v, why);

    free(conninfo);
    return conninfo ? 0 : -1;
}

int check_redis_url(const char *v, char **why)
{
    struct redis_target t = {0};

    if (url_redis_parse(v, &t, why) != 0)
        return -1;
    redis_target_free(&t);
    return 0;
}

int check_timezone(const char *v, char **why)
{
    static const char reason[] = "must be UTC or a zone name such as Europe/Paris";
    struct stat st;
    char *path;
    bool found;

    if (strcmp(v, "UTC") == 0)
        return 0;
    /* the name becomes a path: no absolute paths, no way out of the zoneinfo tree */
    if (v[0] == '\0' || v[0] == '/' || strstr(v, ".."))
        return fail(why, reason);
    if (v[strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+-")])
        return fail(why, reason);
    path = xasprintf("%s/%s", ZONEINFO_DIR, v);
    found = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return found ? 0 : fail(why, "unknown time zone (no such file under " ZONEINFO_DIR ")");
}

int check_log_format(const char *v, char **why)
{
    enum log_format f;

    return log_format_parse(v, &f) ? 0 : fail(why, "must be json or text");
}

int check_log_level(const char *v, char **why)
{
    enum log_level l;

    return log_level_parse(v, &l) ? 0 : fail(why, "must be debug, info, warn or error");
}

/* True for "A/B", two integers in 1..PAIR_MAX. */
static bool is_pair(const char *v)
{
    long a, b;

    return parse_digits(&v, 1, PAIR_MAX, &a) && *v++ == '/' && parse_digits(&v, 1, PAIR_MAX, &b) &&
           *v == '\0';
}

int check_rate_limit(const char *v, char **why)
{
    if (strcmp(v, "0") == 0 || is_pair(v))
        return 0;
    return fail(why, "must be 0 or RATE/BURST, two positive integers");
}

int check_login_throttle(const char *v, char **why)
{
    return is_pair(v) ? 0 : fail(why, "must be PER_EMAIL/PER_ADDRESS, two positive integers");
}

/* True if s is SCHEME://HOST[:PORT] with nothing after (no path). */
static bool is_origin(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    const char *end;

    if (n == 0 || !isalpha((unsigned char)*s) || strncmp(s + n, "://", 3) != 0)
        return false;
    end = skip_host_port(s + n + 3, false);
    return end && *end == '\0';
}

int check_cors_origins(const char *v, char **why)
{
    char *copy = xstrdup(v), *save = NULL;
    int rc = 0;

    for (char *o = strtok_r(copy, ",", &save); o && rc == 0; o = strtok_r(NULL, ",", &save)) {
        o = config_trim(o);
        if (!is_origin(o)) {
            *why = xasprintf("'%s' is not an origin like https://example.com[:PORT]", o);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

int check_trusted_proxies(const char *v, char **why)
{
    char *copy = xstrdup(v), *save = NULL;
    int rc = 0;

    for (char *e = strtok_r(copy, ",", &save); e && rc == 0; e = strtok_r(NULL, ",", &save)) {
        struct cidr c;
        e = config_trim(e);
        if (*e && strcmp(e, PROXY_UNIX) != 0 && !cidr_parse(e, strlen(e), &c)) {
            *why = xasprintf("'%s' is not an address, a CIDR range like 10.0.0.0/8 or "
                             "\"" PROXY_UNIX "\"",
                             e);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

int check_socket_mode(const char *v, char **why)
{
    char *end;
    long mode = strtol(v, &end, 8);
    if (!*v || *end || mode < 0 || mode > 0777 || strspn(v, "01234567") != strlen(v))
        return fail(why, "must be octal permissions from 0000 to 0777, like 0660");
    if (!(mode & 0200))
        return fail(why, "must let the owner write (connect), like 0660");
    return 0;
}

int check_socket_group(const char *v, char **why)
{
    if (!*v)
        return 0;
    if (strspn(v, "0123456789") == strlen(v))
        return 0;
    struct group gr, *found = NULL;
    char buf[4096];
    if (getgrnam_r(v, &gr, buf, sizeof buf, &found) != 0 || !found)
        return fail(why, "must name an existing group (or be a group number)");
    return 0;
}
