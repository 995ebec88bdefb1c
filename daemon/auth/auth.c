/* Token authentication: verifying through an L1/Redis cache, issuing and revoking. */
#include "auth/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "hmap.h"
#include "store/events.h"
#include "store/pool.h"
#include "store/redisconn.h"
#include "timeutil.h"
#include "token.h"
#include "store/fleet.h"
#include "uuid.h"
#include "xalloc.h"

#define L1_TTL_S 10.0 /* bounds staleness if a revocation message is lost */
#define L1_MAX 20000  /* tokens; the least recently used goes first */
#define L2_TTL_MAX_S 300
#define L2_TOMBSTONE "revoked"

enum {
    Q_LOOKUP,
    Q_INSERT,
    Q_TOUCH,
};

const struct sql_stmt auth_sql[] = {
    [Q_LOOKUP] = {"auth_token_lookup",
                  "SELECT t.id, t.tenant_id, t.user_id, u.role::text,"
                  /* floor, not the cast's rounding: a cached token must not
                   * outlive its expiry by up to a second */
                  " coalesce(floor(extract(epoch FROM t.expires_at))::bigint, 0)"
                  " FROM auth_tokens t"
                  " JOIN users u ON u.id = t.user_id"
                  " JOIN tenants n ON n.id = t.tenant_id"
                  " WHERE t.token_hash = $1::bytea AND t.revoked_at IS NULL"
                  " AND (t.expires_at IS NULL OR t.expires_at > now())"
                  " AND u.is_active AND NOT u.is_deleted AND u.tenant_id = t.tenant_id"
                  " AND n.is_active AND NOT n.is_deleted"},
    [Q_INSERT] = {"auth_token_insert",
                  "INSERT INTO auth_tokens (tenant_id, user_id, name, kind, token_hash, expires_at)"
                  " VALUES ($1, $2, $3, $4, $5::bytea,"
                  " CASE WHEN $6::bigint > 0 THEN now() + make_interval(secs => $6::bigint) END)"
                  " RETURNING id, expires_at"},
    [Q_TOUCH] = {"auth_token_touch",
                 "UPDATE auth_tokens SET last_used_at = now() WHERE id = ANY($1::uuid[])"},
    {NULL, NULL},
};

/* ------------------------------------------------------------ L1 cache */

/* A verified token, as the caches keep it. */
struct entry {
    char hash[65];
    char tenant[UUID_STR_LEN + 1], user[UUID_STR_LEN + 1], token[UUID_STR_LEN + 1];
    unsigned role;
    int64_t expires; /* epoch seconds, 0 = never */
};

/* Token hash -> entry, each kept L1_TTL_S; the least recently used goes
 * past L1_MAX. */
static struct {
    pthread_mutex_t mu;
    struct hmap *map; /* made on first use */
} l1 = {.mu = PTHREAD_MUTEX_INITIALIZER};

static struct hmap *l1_map_locked(void)
{
    if (!l1.map)
        l1.map = hmap_new(
            &(struct hmap_config){.max_entries = L1_MAX, .value_size = sizeof(struct entry)});
    return l1.map;
}

static bool l1_get(const char *hex, struct entry *out)
{
    pthread_mutex_lock(&l1.mu);
    const struct entry *e = hmap_get(l1_map_locked(), hex, time_mono());
    if (e)
        *out = *e;
    pthread_mutex_unlock(&l1.mu);
    return e != NULL;
}

static void l1_put(const struct entry *src)
{
    double expires = time_mono() + L1_TTL_S;
    pthread_mutex_lock(&l1.mu);
    struct entry *e = hmap_put(l1_map_locked(), src->hash, 0, expires);
    *e = *src;
    pthread_mutex_unlock(&l1.mu);
}

static bool of_user(const char *key, void *value, void *user)
{
    (void)key;
    return !strcmp(((const struct entry *)value)->user, user);
}

/* Removes the entry of hash (when not NULL) and those of user (when not NULL). */
static void l1_evict(const char *hex, const char *user)
{
    pthread_mutex_lock(&l1.mu);
    struct hmap *m = l1_map_locked();
    if (hex)
        hmap_remove(m, hex);
    if (user)
        hmap_each(m, time_mono(), of_user, (void *)user);
    pthread_mutex_unlock(&l1.mu);
}

static void cache_flush(void)
{
    pthread_mutex_lock(&l1.mu);
    hmap_clear(l1_map_locked());
    pthread_mutex_unlock(&l1.mu);
}

/* Events: a token hash (hex) or a user id to drop; NULL drops everything. */
static void on_token_event(const char *hex)
{
    if (!hex)
        cache_flush();
    else if (strlen(hex) == 64)
        l1_evict(hex, NULL);
}

static void on_user_event(const char *user_id)
{
    if (!user_id)
        cache_flush();
    else
        l1_evict(NULL, user_id);
}

void auth_subscribe(void)
{
    events_on("token", on_token_event);
    events_on("user", on_user_event);
}

/* ------------------------------------------------------------ L2 (Redis) */

static void l2_key(const char *hex, char *out, size_t n)
{
    fleet_key(out, n, "token", "%s", hex);
}

/* 1 = found (out filled), 0 = absent, -1 = tombstone (revoked), -2 = Redis down. */
static int l2_get(struct rconn *r, const char *hex, struct entry *out)
{
    char key[FLEET_KEY_MAX];
    l2_key(hex, key, sizeof key);
    redisReply *rep = rconn_cmd(r, "GET %s", key);
    if (!rep)
        return -2;
    int rc = 0;
    if (rep->type == REDIS_REPLY_STRING) {
        if (!strcmp(rep->str, L2_TOMBSTONE)) {
            rc = -1;
        } else {
            char role[32];
            long long exp = 0;
            memset(out, 0, sizeof *out);
            if (sscanf(rep->str, "%36s %36s %36s %31s %lld", out->tenant, out->user, out->token,
                       role, &exp) == 5 &&
                (out->role = role_parse(role)) != 0) {
                out->expires = exp;
                snprintf(out->hash, sizeof out->hash, "%s", hex);
                rc = 1;
            }
        }
    }
    freeReplyObject(rep);
    return rc;
}

/* Stores a verified token unless a tombstone (or a fresher entry) is there:
 * SET NX keeps a revocation that raced with our database read. Returns true
 * when the entry is now in Redis or Redis is down (then L1 alone applies). */
static bool l2_put(struct rconn *r, const struct entry *e)
{
    int64_t ttl = L2_TTL_MAX_S;
    if (e->expires) {
        int64_t left = e->expires - (int64_t)time(NULL);
        if (left < ttl)
            ttl = left;
    }
    if (ttl <= 0)
        return false;
    char key[FLEET_KEY_MAX], val[200];
    l2_key(e->hash, key, sizeof key);
    snprintf(val, sizeof val, "%s %s %s %s %lld", e->tenant, e->user, e->token, role_name(e->role),
             (long long)e->expires);
    redisReply *rep = rconn_cmd(r, "SET %s %s EX %lld NX", key, val, (long long)ttl);
    if (!rep)
        return true;
    bool stored = rep->type == REDIS_REPLY_STATUS;
    freeReplyObject(rep);
    return stored;
}

void auth_revoke_cached(struct worker *w, const char *hex)
{
    char key[FLEET_KEY_MAX];
    l2_key(hex, key, sizeof key);
    l1_evict(hex, NULL);
    redisReply *rep = rconn_cmd(w->redis, "SET %s %s EX %d", key, L2_TOMBSTONE, L2_TTL_MAX_S);
    if (rep)
        freeReplyObject(rep);
    events_publish(w->redis, "token", hex);
}

/* Drops a user's tokens from every cache: each hash's Redis entry becomes a
 * tombstone (revoked) or goes away (refresh: the next use re-reads the
 * database), and the "user" event evicts the user's L1 entries everywhere. */
static void drop_user(struct worker *w, const char *user_id, const char *const *hashes, int n,
                      bool tombstone)
{
    for (int i = 0; i < n; i++) {
        char key[FLEET_KEY_MAX];
        l2_key(hashes[i], key, sizeof key);
        redisReply *rep =
            tombstone ? rconn_cmd(w->redis, "SET %s %s EX %d", key, L2_TOMBSTONE, L2_TTL_MAX_S)
                      : rconn_cmd(w->redis, "DEL %s", key);
        if (rep)
            freeReplyObject(rep);
    }
    l1_evict(NULL, user_id);
    events_publish(w->redis, "user", user_id);
}

void auth_revoke_cached_user(struct worker *w, const char *user_id, const char *const *hashes,
                             int n)
{
    drop_user(w, user_id, hashes, n, true);
}

void auth_refresh_cached_user(struct worker *w, const char *user_id, const char *const *hashes,
                              int n)
{
    drop_user(w, user_id, hashes, n, false);
}

/* ------------------------------------------------------------ verify */

void auth_request_token_hash(const struct ctx *c, char out[65])
{
    out[0] = '\0';
    const char *h = ctx_header(c, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7))
        return;
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    if (!token_wellformed(tok))
        return;
    unsigned char digest[TOKEN_HASH_LEN];
    token_sha256(tok, digest);
    hex_encode(digest, sizeof digest, out);
}

static bool unauthorized(struct ctx *c)
{
    resp_header(c, "WWW-Authenticate", "Bearer");
    resp_error(c, 401, "Not authenticated");
    return false;
}

/* ------------------------------------------------------------ last_used_at */

/* Token ids used since the last flush, written in one batched UPDATE off the
 * request path, so a warm request still sends no SQL. */
#define TOUCH_MAX 4096

static struct {
    pthread_mutex_t mu;
    char ids[TOUCH_MAX][UUID_STR_LEN + 1];
    int n;
} touched = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void note_use(const char *token_id)
{
    pthread_mutex_lock(&touched.mu);
    bool seen = false;
    for (int i = 0; i < touched.n && !seen; i++)
        seen = !strcmp(touched.ids[i], token_id);
    if (!seen && touched.n < TOUCH_MAX)
        snprintf(touched.ids[touched.n++], sizeof touched.ids[0], "%s", token_id);
    pthread_mutex_unlock(&touched.mu);
}

void auth_flush_last_used(struct db *db)
{
    struct buf arr = BUF_INIT;
    pthread_mutex_lock(&touched.mu);
    buf_addc(&arr, '{');
    for (int i = 0; i < touched.n; i++)
        buf_printf(&arr, "%s%s", i ? "," : "", touched.ids[i]);
    buf_addc(&arr, '}');
    int n = touched.n;
    touched.n = 0;
    pthread_mutex_unlock(&touched.mu);
    if (n) {
        const char *p[] = {buf_str(&arr)};
        (void)db_exec(db, &auth_sql[Q_TOUCH], 1, p, NULL);
    }
    buf_free(&arr);
}

static void accept_entry(struct ctx *c, const struct entry *e)
{
    note_use(e->token);
    snprintf(c->tenant_id, sizeof c->tenant_id, "%s", e->tenant);
    snprintf(c->user_id, sizeof c->user_id, "%s", e->user);
    snprintf(c->token_id, sizeof c->token_id, "%s", e->token);
    c->role = e->role;
    c->authenticated = true;
}

static bool expired(const struct entry *e)
{
    return e->expires && e->expires <= (int64_t)time(NULL);
}

bool auth_try_local(struct ctx *c)
{
    char hex[65];
    struct entry e;
    auth_request_token_hash(c, hex);
    if (!hex[0] || !l1_get(hex, &e) || expired(&e))
        return false;
    accept_entry(c, &e);
    return true;
}

bool auth_try_cached(struct ctx *c, struct rconn *redis)
{
    if (auth_try_local(c))
        return true;
    char hex[65];
    auth_request_token_hash(c, hex);
    struct entry e;
    if (!hex[0] || !redis || l2_get(redis, hex, &e) != 1 || expired(&e))
        return false;
    l1_put(&e);
    accept_entry(c, &e);
    return true;
}

bool auth_authenticate(struct ctx *c, struct worker *w)
{
    char hex[65];
    auth_request_token_hash(c, hex);
    if (!hex[0])
        return unauthorized(c);

    struct entry e;
    if (l1_get(hex, &e)) {
        if (expired(&e))
            return unauthorized(c);
        accept_entry(c, &e);
        return true;
    }
    int l2 = l2_get(w->redis, hex, &e);
    if (l2 == -1)
        return unauthorized(c);
    if (l2 == 1 && !expired(&e)) {
        l1_put(&e);
        accept_entry(c, &e);
        return true;
    }

    char param[2 + 65] = "\\x";
    memcpy(param + 2, hex, 65);
    const char *params[] = {param};
    PGresult *res = NULL;
    enum db_status st = db_exec(w->db, &auth_sql[Q_LOOKUP], 1, params, &res);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return false;
    }
    bool found = PQntuples(res) == 1;
    if (found) {
        memset(&e, 0, sizeof e);
        snprintf(e.hash, sizeof e.hash, "%s", hex);
        snprintf(e.token, sizeof e.token, "%s", PQgetvalue(res, 0, 0));
        snprintf(e.tenant, sizeof e.tenant, "%s", PQgetvalue(res, 0, 1));
        snprintf(e.user, sizeof e.user, "%s", PQgetvalue(res, 0, 2));
        e.role = role_parse(PQgetvalue(res, 0, 3));
        e.expires = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
        found = e.role != 0;
    }
    PQclear(res);
    if (!found)
        return unauthorized(c);
    if (l2_put(w->redis, &e))
        l1_put(&e);
    accept_entry(c, &e);
    return true;
}

enum db_status auth_token_issue(struct db *db, const char *tenant_id, const char *user_id,
                                const char *name, const char *kind, int64_t ttl_seconds,
                                char *token_out, char *id_out, char *expires_out)
{
    if (token_generate(token_out) != 0)
        return DB_ERROR;
    unsigned char digest[TOKEN_HASH_LEN];
    char hex[2 + 65] = "\\x", ttl[24];
    token_sha256(token_out, digest);
    hex_encode(digest, sizeof digest, hex + 2);
    snprintf(ttl, sizeof ttl, "%lld", (long long)ttl_seconds);
    const char *params[] = {tenant_id, user_id, name, kind, hex, ttl};
    PGresult *res = NULL;
    enum db_status st = db_exec(db, &auth_sql[Q_INSERT], 6, params, &res);
    if (st != DB_OK)
        return st;
    snprintf(id_out, UUID_STR_LEN + 1, "%s", PQgetvalue(res, 0, 0));
    expires_out[0] = '\0';
    if (!PQgetisnull(res, 0, 1))
        time_pg_to_rfc3339(PQgetvalue(res, 0, 1), expires_out);
    PQclear(res);
    return DB_OK;
}
