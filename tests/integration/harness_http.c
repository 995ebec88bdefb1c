/* Integration-test harness, HTTP side: libcurl requests, JSON helpers and raw sockets. */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct harness_resp *r = arg;
    size_t len = size * n;
    char *b = realloc(r->body, r->body_len + len + 1);
    if (!b)
        return 0;
    memcpy(b + r->body_len, p, len);
    r->body = b;
    r->body_len += len;
    r->body[r->body_len] = '\0';
    return len;
}

static void headers_clear(struct harness_resp *r)
{
    for (int i = 0; i < r->nheaders; i++) {
        free(r->hname[i]);
        free(r->hvalue[i]);
    }
    r->nheaders = 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct harness_resp *r = arg;
    size_t len = size * n;
    if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
        headers_clear(r); /* a new (final or interim) response starts */
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || r->nheaders == HARNESS_MAX_HEADERS)
        return len;
    const char *v = colon + 1, *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    r->hname[r->nheaders] = strndup(p, (size_t)(colon - p));
    r->hvalue[r->nheaders] = strndup(v, (size_t)(end - v));
    r->nheaders++;
    return len;
}

static bool names_header(const char *const *headers, const char *name)
{
    size_t n = strlen(name);
    for (const char *const *h = headers; h && *h; h++)
        if (!strncasecmp(*h, name, n) && (*h)[n] == ':')
            return true;
    return false;
}

long harness_http_timeout(const struct harness_daemon *d, const char *method, const char *path,
                          const char *const *headers, const char *body, struct harness_resp *r,
                          long timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->body = calloc(1, 1);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(r->err, sizeof r->err, "curl_easy_init failed");
        return 0;
    }
    char url[1024];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", d->port, path);
    struct curl_slist *hl = NULL;
    for (const char *const *h = headers; h && *h; h++)
        hl = curl_slist_append(hl, *h);
    if (body && !names_header(headers, "Content-Type"))
        hl = curl_slist_append(hl, "Content-Type: application/json");
    if (!names_header(headers, "Expect"))
        hl = curl_slist_append(hl, "Expect:");
    bool bodyless = strcmp(method, "POST") && strcmp(method, "PUT") && strcmp(method, "PATCH");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L); /* headers only: read no body */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    if (body || !bodyless) {
        /* Also a body-less POST sends Content-Length: 0. */
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    double t0 = harness_now_ms();
    CURLcode rc = curl_easy_perform(c);
    r->ms = harness_now_ms() - t0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    else
        snprintf(r->err, sizeof r->err, "%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return r->status;
}

long harness_http(const struct harness_daemon *d, const char *method, const char *path,
                  const char *const *headers, const char *body, struct harness_resp *r)
{
    return harness_http_timeout(d, method, path, headers, body, r, 30000);
}

long harness_send(const struct harness_daemon *d, const char *method, const char *path,
                  const char *token, const char *body, struct harness_resp *r)
{
    char auth[256];
    const char *headers[] = {token ? harness_bearer(auth, sizeof auth, token) : NULL, NULL};
    return harness_http(d, method, path, headers, body, r);
}

long harness_get(const struct harness_daemon *d, const char *path, const char *token,
                 struct harness_resp *r)
{
    return harness_send(d, "GET", path, token, NULL, r);
}

void harness_resp_free(struct harness_resp *r)
{
    headers_clear(r);
    free(r->body);
    cJSON_Delete(r->json);
    r->body = NULL;
    r->json = NULL;
}

const char *harness_header(const struct harness_resp *r, const char *name)
{
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->hname[i], name))
            return r->hvalue[i];
    return NULL;
}

cJSON *harness_json(struct harness_resp *r)
{
    if (!r->json && r->body)
        r->json = cJSON_Parse(r->body);
    return r->json;
}

const char *harness_jstr(const cJSON *o, const char *name)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

int harness_server_timing_queries(const struct harness_resp *r)
{
    const char *t = harness_header(r, "Server-Timing");
    const char *db = t ? strstr(t, "db;") : NULL;
    const char *desc = db ? strstr(db, "desc=\"") : NULL;
    int n;
    char word[16];
    if (!desc || sscanf(desc + 6, "%d %15[a-z]", &n, word) != 2 || strcmp(word, "queries"))
        return -1;
    return n;
}

bool harness_detail_is(struct harness_resp *r, const char *want)
{
    const char *d = harness_jstr(harness_json(r), "detail");
    return d && *d && (!want || !strcmp(d, want));
}

/* True when the JSON array loc equals the dotted path want. */
static bool loc_equals(const cJSON *loc, const char *want)
{
    char copy[256], *save = NULL;
    snprintf(copy, sizeof copy, "%s", want);
    const cJSON *e = loc ? loc->child : NULL;
    for (char *part = strtok_r(copy, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
        if (!e)
            return false;
        char num[32];
        if (cJSON_IsNumber(e))
            snprintf(num, sizeof num, "%d", e->valueint);
        if (strcmp(cJSON_IsString(e) ? e->valuestring : cJSON_IsNumber(e) ? num : "", part))
            return false;
        e = e->next;
    }
    return e == NULL;
}

bool harness_detail_has_loc(struct harness_resp *r, const char *loc)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(harness_json(r), "detail");
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        if (loc_equals(cJSON_GetObjectItemCaseSensitive(e, "loc"), loc) && harness_jstr(e, "msg") &&
            harness_jstr(e, "type"))
            return true;
    }
    return false;
}

/* ================================================================ raw sockets */

int harness_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int harness_send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Length of a complete response in buf[0..len), or 0 when more is needed. */
static size_t response_complete(const char *buf, size_t len)
{
    const char *end = strstr(buf, "\r\n\r\n");
    if (!end)
        return 0;
    size_t head = (size_t)(end - buf) + 4;
    long clen = -1;
    for (const char *p = strstr(buf, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n"))
        if (!strncasecmp(p + 2, "Content-Length:", 15))
            clen = strtol(p + 17, NULL, 10);
    if (clen < 0)
        return 0; /* read until EOF */
    return len >= head + (size_t)clen ? head + (size_t)clen : 0;
}

long harness_recv_response(int fd, char *buf, size_t cap, int timeout_ms)
{
    size_t len = 0;
    double deadline = harness_now_ms() + timeout_ms;
    buf[0] = '\0';
    while (len + 1 < cap) {
        int left = (int)(deadline - harness_now_ms());
        if (left <= 0)
            return len ? (long)len : -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            continue;
        ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
        if (n < 0)
            return len ? (long)len : -2;
        if (n == 0)
            return (long)len;
        len += (size_t)n;
        buf[len] = '\0';
        if (response_complete(buf, len))
            return (long)len;
    }
    return (long)len;
}

int harness_raw_status(const char *buf)
{
    int major, minor, status;
    return sscanf(buf, "HTTP/%d.%d %d", &major, &minor, &status) == 3 ? status : 0;
}
