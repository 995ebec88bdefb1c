/* Connection URLs: DATABASE_URL to libpq conninfo, REDIS_URL to a target, secret masking. */
#include "url.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "xalloc.h"

#define SCHEME_MAX 32
#define REDIS_DEFAULT_PORT 6379
#define REDIS_SENTINEL_DEFAULT_PORT 26379

/* ---- helpers ---------------------------------------------------------- */

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_err(char **err, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (err)
        *err = buf_take(&b);
    else
        buf_free(&b);
}

/* Splits "scheme://rest": writes the lower-cased scheme and returns rest, or
 * NULL when url does not start with a scheme and "://". */
static const char *scheme_split(const char *url, char scheme[SCHEME_MAX])
{
    size_t i = 0;

    if (!isalpha((unsigned char)url[0]))
        return NULL;
    for (; url[i] && url[i] != ':'; i++) {
        unsigned char c = (unsigned char)url[i];
        if ((!isalnum(c) && c != '+' && c != '-' && c != '.') || i + 1 >= SCHEME_MAX)
            return NULL;
        scheme[i] = (char)tolower(c);
    }
    scheme[i] = '\0';
    if (strncmp(url + i, "://", 3) != 0)
        return NULL;
    return url + i + 3;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into a malloc'd string; NULL when an escape is
 * malformed or decodes to NUL. */
static char *pct_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
        int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return out;
}

/* Parses s[0..n) as a decimal integer in [lo, hi]. */
static bool parse_int(const char *s, size_t n, long lo, long hi, int *out)
{
    long v = 0;

    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
        if (v > hi)
            return false;
    }
    if (v < lo)
        return false;
    *out = (int)v;
    return true;
}

static bool span_eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncmp(s, lit, n) == 0;
}

/* One name=value pair of a query string [p, end): returns the position after
 * it (past the '&'), or NULL at the end. */
struct param {
    const char *name, *val;
    size_t nlen, vlen;
};

static const char *next_param(const char *p, const char *end, struct param *pr)
{
    if (p >= end)
        return NULL;
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *stop = amp ? amp : end;
    const char *eq = memchr(p, '=', (size_t)(stop - p));
    pr->name = p;
    pr->nlen = (size_t)((eq ? eq : stop) - p);
    pr->val = eq ? eq + 1 : stop;
    pr->vlen = (size_t)(stop - pr->val);
    return amp ? amp + 1 : end;
}

/* ---- PostgreSQL ------------------------------------------------------- */

/* asyncpg spells libpq's sslmode as ssl=, with true/false as well. */
static const char *pg_sslmode(const char *v, size_t n)
{
    static const char *const modes[] = {"disable", "allow",     "prefer",
                                        "require", "verify-ca", "verify-full"};
    if (span_eq(v, n, "true"))
        return "require";
    if (span_eq(v, n, "false"))
        return "disable";
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (span_eq(v, n, modes[i]))
            return modes[i];
    return NULL;
}

char *url_pg_conninfo(const char *url, char **err)
{
    char scheme[SCHEME_MAX];
    struct buf out = BUF_INIT;

    if (!url || !*url) {
        set_err(err, "the database URL is empty");
        return NULL;
    }
    const char *rest = scheme_split(url, scheme);
    if (!rest) {
        if (strchr(url, '='))
            return xstrdup(url);
        set_err(err, "the database URL is neither a postgresql:// URL nor a key=value conninfo");
        return NULL;
    }
    /* "postgresql+asyncpg" and the like: the driver part means nothing to libpq. */
    char *plus = strchr(scheme, '+');
    if (plus)
        *plus = '\0';
    if (strcmp(scheme, "postgresql") != 0 && strcmp(scheme, "postgres") != 0) {
        if (plus)
            *plus = '+';
        set_err(err, "unsupported scheme '%s' in the database URL (expected postgresql://)",
                scheme);
        return NULL;
    }

    /* Like libpq: user information ends at an '@' met before any '/'. */
    const char *host = rest + strcspn(rest, "@/");
    host = *host == '@' ? host + 1 : rest;
    const char *q = strchr(host, '?');
    const char *qend = q ? q + strlen(q) : NULL;
    bool has_host = !strchr("/?:,", *host) && !(host[0] == '[' && host[1] == ']');

    buf_adds(&out, "postgresql://");
    buf_add(&out, rest, q ? (size_t)(q - rest) : strlen(rest));
    if (q) {
        const char *p = q + 1;
        struct param pr;
        char sep = '?';
        while ((p = next_param(p, qend, &pr))) {
            buf_addc(&out, sep);
            sep = '&';
            if ((span_eq(pr.name, pr.nlen, "host") || span_eq(pr.name, pr.nlen, "hostaddr")) &&
                pr.vlen > 0)
                has_host = true;
            if (!span_eq(pr.name, pr.nlen, "ssl")) {
                buf_add(&out, pr.name, (size_t)(pr.val + pr.vlen - pr.name));
                continue;
            }
            const char *mode = pg_sslmode(pr.val, pr.vlen);
            if (!mode) {
                set_err(err, "unsupported ssl value '%.*s' in the database URL", (int)pr.vlen,
                        pr.val);
                goto fail;
            }
            buf_printf(&out, "sslmode=%s", mode);
        }
    }
    if (!has_host) {
        set_err(err, "the database URL names no host (postgresql://user@host/db, or "
                     "?host=/run/postgresql for a socket)");
        goto fail;
    }
    return buf_take(&out);

fail:
    buf_free(&out);
    return NULL;
}

/* ---- Redis ------------------------------------------------------------ */

void redis_target_free(struct redis_target *t)
{
    if (!t)
        return;
    free(t->host);
    free(t->unix_path);
    free(t->username);
    if (t->password)
        explicit_bzero(t->password, strlen(t->password));
    free(t->password);
    free(t->sentinel_master);
    for (int i = 0; i < t->nsentinels; i++)
        free(t->sentinels[i].host);
    free(t->sentinels);
    memset(t, 0, sizeof *t);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void redis_target_copy(struct redis_target *dst, const struct redis_target *src)
{
    *dst = *src;
    dst->host = dup_or_null(src->host);
    dst->unix_path = dup_or_null(src->unix_path);
    dst->username = dup_or_null(src->username);
    dst->password = dup_or_null(src->password);
    dst->sentinel_master = dup_or_null(src->sentinel_master);
    dst->sentinels = NULL;
    if (src->nsentinels > 0) {
        dst->sentinels = xcalloc((size_t)src->nsentinels, sizeof *dst->sentinels);
        for (int i = 0; i < src->nsentinels; i++) {
            dst->sentinels[i].host = xstrdup(src->sentinels[i].host);
            dst->sentinels[i].port = src->sentinels[i].port;
        }
    }
}

/* Replaces *slot with the decoded span; false when the escapes are bad. */
static bool set_decoded(char **slot, const char *s, size_t n)
{
    char *v = pct_decode(s, n);
    if (!v)
        return false;
    free(*slot);
    *slot = v;
    return true;
}

/* "user:password" or ":password" (a bare word is a user name, as in redis-py). */
static int redis_userinfo(const char *s, size_t n, struct redis_target *t, char **err)
{
    const char *colon = memchr(s, ':', n);
    size_t ulen = colon ? (size_t)(colon - s) : n;

    if (ulen > 0 && !set_decoded(&t->username, s, ulen))
        goto bad;
    if (colon && n - ulen - 1 > 0 && !set_decoded(&t->password, colon + 1, n - ulen - 1))
        goto bad;
    return 0;
bad:
    set_err(err, "the Redis URL has a malformed percent escape in its user information");
    return -1;
}

/* host[:port] or [v6]:port; the port is default_port when not given. */
static int redis_hostport(const char *s, size_t n, int default_port, struct redis_target *t,
                          char **err)
{
    const char *end = s + n, *port = NULL;
    const char *h = s, *hend;

    if (n > 0 && s[0] == '[') {
        h = s + 1;
        hend = memchr(h, ']', n - 1);
        if (!hend || (hend + 1 < end && hend[1] != ':')) {
            set_err(err, "the Redis URL has a malformed IPv6 address");
            return -1;
        }
        port = hend + 1 < end ? hend + 2 : NULL;
    } else {
        hend = memchr(s, ':', n);
        port = hend ? hend + 1 : NULL;
        hend = hend ? hend : end;
    }
    if (hend == h) {
        set_err(err, "the Redis URL names no host");
        return -1;
    }
    if (!set_decoded(&t->host, h, (size_t)(hend - h))) {
        set_err(err, "the Redis URL has a malformed percent escape in its host");
        return -1;
    }
    t->port = default_port;
    if (port && !parse_int(port, (size_t)(end - port), 1, 65535, &t->port)) {
        set_err(err, "the Redis URL port must be a number from 1 to 65535");
        return -1;
    }
    return 0;
}

/* ?db=N&password=P&username=U */
static int redis_query(const char *q, struct redis_target *t, char **err)
{
    const char *end = q + strlen(q);
    struct param pr;

    while ((q = next_param(q, end, &pr))) {
        bool ok;
        if (pr.nlen == 0)
            continue;
        if (span_eq(pr.name, pr.nlen, "db"))
            ok = parse_int(pr.val, pr.vlen, 0, INT_MAX, &t->db);
        else if (span_eq(pr.name, pr.nlen, "password"))
            ok = set_decoded(&t->password, pr.val, pr.vlen);
        else if (span_eq(pr.name, pr.nlen, "username"))
            ok = set_decoded(&t->username, pr.val, pr.vlen);
        else {
            set_err(err, "the Redis URL has an unknown parameter '%.*s'", (int)pr.nlen, pr.name);
            return -1;
        }
        if (!ok) {
            set_err(err, "the Redis URL parameter '%.*s' has a bad value", (int)pr.nlen, pr.name);
            return -1;
        }
    }
    return 0;
}

/* host[:port][,host[:port]...] of a redis+sentinel:// URL. */
static int sentinel_hosts(const char *s, size_t n, struct redis_target *t, char **err)
{
    const char *end = s + n;
    t->sentinels = xcalloc(URL_SENTINELS_MAX, sizeof *t->sentinels);
    for (const char *p = s; p <= end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (t->nsentinels == URL_SENTINELS_MAX) {
            set_err(err, "the Redis URL names more than %d Sentinels", URL_SENTINELS_MAX);
            return -1;
        }
        struct redis_target one = {0};
        int rc = redis_hostport(p, (size_t)(stop - p), REDIS_SENTINEL_DEFAULT_PORT, &one, err);
        t->sentinels[t->nsentinels].host = one.host;
        t->sentinels[t->nsentinels].port = one.port;
        t->nsentinels++;
        if (rc < 0)
            return -1;
        p = stop + 1;
    }
    return 0;
}

/* /master[/db] of a redis+sentinel:// URL (path starts at its '/'). */
static int sentinel_path(const char *path, struct redis_target *t, char **err)
{
    const char *name = path ? path + 1 : "";
    const char *slash = strchr(name, '/');
    size_t nlen = slash ? (size_t)(slash - name) : strlen(name);
    if (nlen == 0) {
        set_err(err, "the redis+sentinel:// URL names no primary: write "
                     "redis+sentinel://host:26379/mymaster");
        return -1;
    }
    if (!set_decoded(&t->sentinel_master, name, nlen)) {
        set_err(err, "the Redis URL has a malformed percent escape in its primary's name");
        return -1;
    }
    if (slash && slash[1] && !parse_int(slash + 1, strlen(slash + 1), 0, INT_MAX, &t->db)) {
        set_err(err, "the Redis URL database must be a non-negative number (/mymaster/0, ...)");
        return -1;
    }
    return 0;
}

int url_redis_parse(const char *url, struct redis_target *out, char **err)
{
    char scheme[SCHEME_MAX];
    struct redis_target t = {0};

    const char *rest = url ? scheme_split(url, scheme) : NULL;
    if (!rest) {
        set_err(err, "the Redis URL must look like redis://host:port/db, unix:///path or "
                     "redis+sentinel://host:port/mymaster");
        return -1;
    }
    bool is_unix = strcmp(scheme, "unix") == 0 || strcmp(scheme, "redis+unix") == 0;
    if (strcmp(scheme, "rediss") == 0) {
        set_err(err, "TLS Redis URLs (rediss://) are not supported");
        return -1;
    }
    bool is_sentinel = strcmp(scheme, "redis+sentinel") == 0;
    if (!is_unix && !is_sentinel && strcmp(scheme, "redis") != 0) {
        set_err(err,
                "unsupported scheme '%s' in the Redis URL (expected redis://, unix:// or "
                "redis+sentinel://)",
                scheme);
        return -1;
    }

    const char *frag = strchr(rest, '#');
    size_t len = frag ? (size_t)(frag - rest) : strlen(rest);
    char *copy = xstrndup(rest, len); /* NUL-terminated pieces below */
    char *query = strchr(copy, '?');
    if (query)
        *query++ = '\0';
    char *path = strchr(copy, '/');
    size_t alen = path ? (size_t)(path - copy) : strlen(copy);
    char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (copy[i] == '@')
            at = copy + i;
    const char *hp = at ? at + 1 : copy;
    size_t hplen = alen - (size_t)(hp - copy);

    if (at && redis_userinfo(copy, (size_t)(at - copy), &t, err) < 0)
        goto fail;
    if (is_unix) {
        t.port = 0;
        if (hplen > 0) {
            set_err(err, "a unix:// Redis URL takes no host: write unix:///absolute/path");
            goto fail;
        }
        if (!path || !path[1]) {
            set_err(err, "the unix:// Redis URL names no socket path");
            goto fail;
        }
        if (!set_decoded(&t.unix_path, path, strlen(path))) {
            set_err(err, "the Redis URL has a malformed percent escape in its socket path");
            goto fail;
        }
    } else if (is_sentinel) {
        t.port = 0;
        if (sentinel_hosts(hp, hplen, &t, err) < 0 || sentinel_path(path, &t, err) < 0)
            goto fail;
    } else {
        if (redis_hostport(hp, hplen, REDIS_DEFAULT_PORT, &t, err) < 0)
            goto fail;
        if (path && path[1] && !parse_int(path + 1, strlen(path + 1), 0, INT_MAX, &t.db)) {
            set_err(err, "the Redis URL database must be a non-negative number (/0, /1, ...)");
            goto fail;
        }
    }
    if (query && redis_query(query, &t, err) < 0)
        goto fail;
    free(copy);
    *out = t;
    return 0;

fail:
    free(copy);
    redis_target_free(&t);
    return -1;
}

/* ---- masking ---------------------------------------------------------- */

static bool is_key_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static bool key_is_secret(const char *k, size_t n)
{
    static const char suffix[] = "password";
    size_t sl = sizeof suffix - 1;
    return n >= sl && strncasecmp(k + n - sl, suffix, sl) == 0;
}

/* Copies s to b with the value of every "...password=" key replaced by ***.
 * In a query string values end at '&'; in conninfo at white space, and may
 * be single-quoted with backslash escapes. */
static void mask_params(struct buf *b, const char *s, bool query)
{
    const char *p = s;
    while (*p) {
        bool boundary = p == s || strchr(query ? "?&;" : " \t\n\r", p[-1]);
        if (!boundary || !is_key_char(*p)) {
            buf_addc(b, *p++);
            continue;
        }
        const char *k = p;
        while (is_key_char(*p))
            p++;
        const char *eq = p + (query ? 0 : strspn(p, " \t"));
        if (*eq != '=' || !key_is_secret(k, (size_t)(p - k))) {
            buf_add(b, k, (size_t)(p - k));
            continue;
        }
        const char *v = eq + 1 + (query ? 0 : strspn(eq + 1, " \t"));
        buf_add(b, k, (size_t)(v - k));
        buf_adds(b, "***");
        if (!query && *v == '\'') {
            for (v++; *v && *v != '\''; v++)
                if (*v == '\\' && v[1])
                    v++;
            p = *v ? v + 1 : v;
        } else {
            p = v + strcspn(v, query ? "&#" : " \t\n\r");
        }
    }
}

char *url_mask_secret(const char *url)
{
    char scheme[SCHEME_MAX];
    struct buf b = BUF_INIT;

    if (!url)
        return xstrdup("");
    const char *rest = scheme_split(url, scheme);
    if (!rest) {
        mask_params(&b, url, false);
        return buf_take(&b);
    }
    /* Err on the side of masking: the user information ends at the last
     * '@' before the query, even when the password holds an unescaped '/'. */
    size_t qpos = strcspn(rest, "?#");
    const char *at = NULL;
    for (const char *p = rest; p < rest + qpos; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(rest, ':', (size_t)(at - rest)) : NULL;
    if (colon) {
        buf_add(&b, url, (size_t)(colon + 1 - url));
        buf_adds(&b, "***");
        buf_add(&b, at, (size_t)(rest + qpos - at));
    } else {
        buf_add(&b, url, (size_t)(rest + qpos - url));
    }
    mask_params(&b, rest + qpos, true);
    return buf_take(&b);
}
