/* libFuzzer target: route matching of a method and a raw path against the daemon's real route
 * tables. */
#include <event2/http.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/router.h"
#include "registry.h"
#include "xalloc.h"

static const int methods[] = {EVHTTP_REQ_GET,    EVHTTP_REQ_POST,  EVHTTP_REQ_PUT,
                              EVHTTP_REQ_DELETE, EVHTTP_REQ_PATCH, EVHTTP_REQ_HEAD,
                              EVHTTP_REQ_OPTIONS};

/* The first byte picks the method; the rest is the path. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        router_init(registry_routes());
        ready = 1;
    }
    if (size < 1 || memchr(data + 1, '\0', size - 1))
        return 0;
    int method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    char *path = xmalloc(size);
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    const struct route *r = NULL;
    char *params[REQ_MAX_PARAMS] = {NULL};
    int n = 0;
    char allow[64];
    enum route_match_result res = router_match(method, path, &r, params, &n, allow, sizeof allow);
    if (res == ROUTE_FOUND && (!r || n < 0 || n > REQ_MAX_PARAMS))
        abort(); /* the contract of router_match */
    if (res == ROUTE_BAD_METHOD && !memchr(allow, '\0', sizeof allow))
        abort();
    for (int i = 0; i < n; i++)
        free(params[i]);
    free(path);
    return 0;
}
