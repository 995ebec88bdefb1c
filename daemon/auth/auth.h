/* Token authentication: verifying through an L1/Redis cache, issuing and revoking. */
#ifndef ONQUOTA_AUTH_H
#define ONQUOTA_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "api/request.h"

struct rconn;
struct worker;

/* SQL statements of this module (registered in registry.c). */
extern const struct sql_stmt auth_sql[];

/* Authenticates c from its Authorization header. A warm token costs no SQL:
 * it is found in the in-process cache (short TTL) or in Redis. On success
 * fills c->tenant_id, user_id, token_id, role and authenticated, and returns
 * true. Otherwise leaves the answer in c (401 with WWW-Authenticate, or 503
 * when the database is down and the token is not cached) and returns false. */
bool auth_authenticate(struct ctx *c, struct worker *w);

/* The I/O thread's variant: succeeds only when the token is in this
 * process's cache (no Redis, no SQL); fills c as auth_authenticate does.
 * Returns false without answering otherwise. */
bool auth_try_local(struct ctx *c);

/* Like auth_try_local, then the fleet's Redis cache (redis may be NULL):
 * no SQL. Returns false without answering when the token is in neither. */
bool auth_try_cached(struct ctx *c, struct rconn *redis);

/* Creates a token for a user: writes the clear token (TOKEN_LEN + 1) to
 * token_out, its id (UUID_STR_LEN + 1) to id_out and its RFC 3339 expiry
 * (RFC3339_MAX, "" for none) to expires_out. kind is "session" or "api";
 * ttl_seconds 0 = no expiry. Runs one INSERT on db. Returns DB_OK or the failure. */
enum db_status auth_token_issue(struct db *db, const char *tenant_id, const char *user_id,
                                const char *name, const char *kind, int64_t ttl_seconds,
                                char *token_out, char *id_out, char *expires_out);

/* Drops a token hash (hex) / all of a user's tokens from this instance's
 * cache, and (through Redis) from every instance: the Redis entry is deleted
 * and an event ("token" or "user") is published, which every instance's
 * subscription (auth_subscribe) applies to its own cache. */
void auth_revoke_cached(struct worker *w, const char *token_hash_hex);
void auth_revoke_cached_user(struct worker *w, const char *user_id, const char *const *hashes_hex,
                             int nhashes);
/* After a user's role changed: drops their live tokens' cached entries
 * everywhere without revoking them, so that the next use of each re-reads
 * the role from the database. */
void auth_refresh_cached_user(struct worker *w, const char *user_id, const char *const *hashes_hex,
                              int nhashes);

/* Subscribes this process's token cache to the "token" and "user" events
 * (events_on). Call once at start, before events_start(). */
void auth_subscribe(void);

/* Writes last_used_at for the tokens used since the previous call, in one
 * UPDATE on db. Called by a background job, so its query is not counted
 * against any request. */
void auth_flush_last_used(struct db *db);

/* The SHA-256 of the bearer token of c as hex, or "" when there is none. */
void auth_request_token_hash(const struct ctx *c, char out[65]);

#endif
