/* libFuzzer target: a request target (path and query string) through routing, query decoding and
 * every query validator. */
#include <event2/http.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/request.h"
#include "api/router.h"
#include "cache/cache.h"
#include "http/access.h"
#include "registry.h"
#include "routes/routes.h"
#include "xalloc.h"

/* Only the TTLs are read by the dashboard parsers. */
static const struct config cfg = {
    .cache_ttl_kpis = 30, .cache_ttl_monthly = 300, .cache_ttl_default = 60};

/* The methods tried on each path. */
static const int methods[] = {EVHTTP_REQ_GET, EVHTTP_REQ_POST, EVHTTP_REQ_PUT, EVHTTP_REQ_DELETE};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        router_init(registry_routes());
        ready = 1;
    }
    if (memchr(data, '\0', size))
        return 0;
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    /* libevent parses the request line's target this way before we see it. */
    struct evhttp_uri *uri = evhttp_uri_parse_with_flags(text, EVHTTP_URI_NONCONFORMANT);
    free(text);
    if (!uri)
        return 0;
    const char *path = evhttp_uri_get_path(uri), *query = evhttp_uri_get_query(uri);

    struct ctx *c = xcalloc(1, sizeof *c);
    c->cfg = &cfg;
    c->path = xstrdup(path && *path ? path : "/");
    access_query_fill(c, query);
    c->headers[0].key = xstrdup("Accept-Language");
    const char *lang = evhttp_uri_get_fragment(uri); /* any text: the header is free-form */
    c->headers[0].value = xstrdup(lang ? lang : "en-US");
    c->nheaders = 1;

    /* Routing, for each method, as access_ctx_new does. */
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        const struct route *r = NULL;
        char *params[REQ_MAX_PARAMS] = {NULL};
        int n = 0;
        char allow[64];
        if (router_match(methods[m], c->path, &r, params, &n, allow, sizeof allow) == ROUTE_FOUND &&
            r->dash) {
            struct cache_req req;
            struct verr v;
            verr_init(&v);
            r->dash->parse(c, &req, &v);
            verr_respond(&v, c);
            verr_free(&v);
        }
        for (int i = 0; i < n; i++)
            free(params[i]);
    }
    /* Every query check on the decoded parameters. */
    for (const struct route_check *const *t = registry_checks(); *t; t++) {
        for (const struct route_check *k = *t; k->name; k++) {
            if (k->body)
                continue;
            struct verr v;
            verr_init(&v);
            k->run(c, &v);
            verr_respond(&v, c);
            verr_free(&v);
        }
    }
    ctx_free(c);
    evhttp_uri_free(uri);
    return 0;
}
