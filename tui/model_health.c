/* Health JSON (/health/ready) and Prometheus text (/metrics) to model structs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_priv.h"
#include "xalloc.h"

static void component(const cJSON *o, const char *state_key, struct model_component *c)
{
    memset(c, 0, sizeof *c);
    if (!o)
        return;
    c->present = true;
    c->status = model_json_str(o, "status");
    c->state = model_json_str(o, state_key);
    c->latency_ms = model_json_num(o, "latency_ms", &c->has_latency);
    c->memory_used = model_json_str(o, "memory_used");
    const cJSON *pool = model_json_obj(o, "pool");
    if (pool) {
        c->has_pool = true;
        c->pool_size = model_json_long(pool, "size", 0);
        c->pool_in_use = model_json_long(pool, "in_use", 0);
    }
}

static void component_free(struct model_component *c)
{
    free(c->status);
    free(c->state);
    free(c->memory_used);
    memset(c, 0, sizeof *c);
}

int model_parse_ready(const char *json, struct model_ready *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    out->status = model_json_str(root, "status");
    out->timestamp = model_json_str(root, "timestamp");
    out->is_ready =
        model_json_bool(root, "is_ready", out->status && strcmp(out->status, "ready") == 0);
    const cJSON *comps = model_json_obj(root, "components");
    component(model_json_obj(comps, "database"), "database", &out->database);
    component(model_json_obj(comps, "redis"), "redis", &out->redis);
    cJSON_Delete(root);
    return 0;
}

void model_ready_free(struct model_ready *m)
{
    free(m->status);
    free(m->timestamp);
    component_free(&m->database);
    component_free(&m->redis);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- /metrics */

/* Copies the value of label key of a sample line's {...} into out. */
static bool label_value(const char *labels, const char *end, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    for (const char *p = labels; p && p < end; p++) {
        if ((p == labels || p[-1] == '{' || p[-1] == ',') && (size_t)(end - p) > kl + 2 &&
            strncmp(p, key, kl) == 0 && p[kl] == '=' && p[kl + 1] == '"') {
            const char *v = p + kl + 2;
            size_t i = 0;
            while (v < end && *v != '"' && i + 1 < n)
                out[i++] = *v++;
            out[i] = '\0';
            return true;
        }
    }
    return false;
}

/* Handles one sample line "name{labels} value". */
static void metrics_line(const char *line, size_t len, struct model_metrics *m)
{
    char name[96];
    size_t nl = strcspn(line, "{ ");
    if (nl == 0 || nl >= sizeof name || nl >= len)
        return;
    memcpy(name, line, nl);
    name[nl] = '\0';
    const char *labels = line[nl] == '{' ? line + nl : NULL;
    const char *lend = labels ? memchr(labels, '}', len - nl) : NULL;
    const char *vp = lend ? lend + 1 : line + nl;
    double v = strtod(vp, NULL);
    char lv[40];

    if (strcmp(name, "onquota_cache_requests_total") == 0 && lend &&
        label_value(labels + 1, lend, "result", lv, sizeof lv)) {
        m->has_cache = true;
        if (strcmp(lv, "hit") == 0)
            m->cache_hit = v;
        else if (strcmp(lv, "miss") == 0)
            m->cache_miss = v;
        else if (strcmp(lv, "stale") == 0)
            m->cache_stale = v;
        else if (strcmp(lv, "bypass") == 0)
            m->cache_bypass = v;
    } else if (strcmp(name, "onquota_cache_invalidations_total") == 0) {
        m->invalidations += v;
    } else if (strcmp(name, "onquota_redis_errors_total") == 0) {
        m->redis_errors += v;
    } else if (strcmp(name, "onquota_db_queries_total") == 0) {
        m->db_queries += v;
    } else if (strcmp(name, "onquota_http_requests_total") == 0) {
        m->http_requests += v;
    } else if (strcmp(name, "process_resident_memory_bytes") == 0) {
        m->rss_bytes = v;
    } else if (strcmp(name, "process_start_time_seconds") == 0) {
        m->start_time = v;
    } else if (strcmp(name, "onquota_build_info") == 0 && lend) {
        label_value(labels + 1, lend, "version", m->version, sizeof m->version);
    }
}

void model_parse_metrics(const char *text, struct model_metrics *out)
{
    memset(out, 0, sizeof *out);
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > 0 && *p != '#')
            metrics_line(p, len, out);
        p = eol ? eol + 1 : p + len;
    }
}

double model_cache_hit_rate(const struct model_metrics *m)
{
    double total = m->cache_hit + m->cache_miss + m->cache_stale + m->cache_bypass;
    if (!m->has_cache || total <= 0)
        return -1;
    return 100.0 * m->cache_hit / total;
}
