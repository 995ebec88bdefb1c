/* `onquota health`: exit 0 ready, 1 not ready, 2 unreachable; for cron, CI and monitoring. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "format.h"
#include "model.h"
#include "xalloc.h"

struct answer {
    long status;
    char *body;
    char *err;
};

static void on_ready(void *ud, const struct net_result *r)
{
    struct answer *a = ud;
    a->status = r->status;
    a->body = xstrdup(r->body);
    a->err = xstrdup(r->err);
}

/* One line for a component: "database ok 0.41 ms" or "redis error: ...". */
static void component_text(struct buf *b, const char *name, const struct model_component *c)
{
    if (!c->present)
        return;
    char ms[FMT_MAX] = "";
    if (c->has_latency)
        format_ms(c->latency_ms, ms, sizeof ms);
    buf_printf(b, ", %s %s%s%s", name,
               c->state    ? c->state
               : c->status ? c->status
                           : "?",
               ms[0] ? " " : "", ms);
}

int cmd_health(struct options *o)
{
    net_global_init();
    char *err = NULL;
    /* Readiness needs no token: none is sent. */
    struct net_opts no = {.base_url = o->url,
                          .lang = o->lang,
                          .cacert = o->cacert,
                          .timeout_ms = 5000,
                          .connect_timeout_ms = 2000,
                          .max_reply_bytes = (size_t)o->max_reply_mib << 20};
    struct net *n = net_new(&no, &err);
    if (!n) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
        return 2;
    }
    struct answer ans = {0};
    net_fetch_sync(n, "GET", "/health/ready", NULL, on_ready, &ans);
    net_free(n);

    int rc;
    struct model_ready rd;
    char *perr = NULL;
    bool parsed = ans.status && model_parse_ready(ans.body, &rd, &perr) == 0;
    if (ans.status == 0)
        rc = 2;
    else if (!parsed || (ans.status != 200 && ans.status != 503))
        rc = 2; /* something answers, but not an onquota daemon's readiness */
    else
        rc = ans.status == 200 && rd.is_ready ? 0 : 1;

    if (!o->quiet) {
        if (o->json) {
            if (parsed) {
                fputs(ans.body, stdout);
                fputc('\n', stdout);
            } else {
                printf("{\"status\":\"unreachable\",\"is_ready\":false,\"http_status\":%ld}\n",
                       ans.status);
            }
        } else if (ans.status == 0) {
            printf("unreachable: %s (%s)\n", ans.err && *ans.err ? ans.err : "no answer", o->url);
        } else if (!parsed) {
            printf("unreachable: %s answered HTTP %ld without a readiness document\n", o->url,
                   ans.status);
        } else {
            struct buf b = BUF_INIT;
            buf_printf(&b, "%s", rd.status ? rd.status : rc == 0 ? "ready" : "not_ready");
            component_text(&b, "database", &rd.database);
            component_text(&b, "redis", &rd.redis);
            printf("%s\n", buf_str(&b));
            buf_free(&b);
        }
    }
    if (parsed)
        model_ready_free(&rd);
    free(perr);
    free(ans.body);
    free(ans.err);
    return rc;
}
