/* libFuzzer target: a JSON request body through every resource's real body validators. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/request.h"
#include "registry.h"
#include "routes/routes.h"
#include "xalloc.h"

/* The input is the body as it arrives; it is parsed as pipeline.c does
 * (NUL-terminated, nothing after the value, no embedded NUL) and, when it
 * parses, handed to every body check, whose 422 list is then built. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, '\0', size))
        return 0;
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithOpts(text, &end, true);
    free(text);
    for (const struct route_check *const *t = registry_checks(); *t; t++) {
        for (const struct route_check *k = *t; k->name; k++) {
            if (!k->body)
                continue;
            struct ctx *c = xcalloc(1, sizeof *c);
            c->json = json;
            struct verr v;
            verr_init(&v);
            k->run(c, &v);
            verr_respond(&v, c);
            verr_free(&v);
            c->json = NULL; /* shared by every check; deleted below */
            ctx_free(c);
        }
    }
    cJSON_Delete(json);
    return 0;
}
